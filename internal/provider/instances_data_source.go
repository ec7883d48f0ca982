// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ datasource.DataSource              = &instancesDataSource{}
	_ datasource.DataSourceWithConfigure = &instancesDataSource{}
)

var numericIDPattern = regexp.MustCompile(`^[1-9][0-9]*$`)

// NewInstancesDataSource is the constructor for data "cloudelements_instances".
func NewInstancesDataSource() datasource.DataSource { return &instancesDataSource{} }

type instancesDataSource struct {
	data *providerData
}

type instancesDataSourceModel struct {
	Tags         types.Set              `tfsdk:"tags"`
	ElementKey   types.String           `tfsdk:"element_key"`
	NameContains types.String           `tfsdk:"name_contains"`
	Instances    []instanceSummaryModel `tfsdk:"instances"`
	IDs          []types.String         `tfsdk:"ids"`
}

// instanceSummaryModel is one entry of the instances list.
type instanceSummaryModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	ElementKey    types.String `tfsdk:"element_key"`
	ElementID     types.Int64  `tfsdk:"element_id"`
	Tags          types.Set    `tfsdk:"tags"`
	Valid         types.Bool   `tfsdk:"valid"`
	Disabled      types.Bool   `tfsdk:"disabled"`
	EventsEnabled types.Bool   `tfsdk:"events_enabled"`
	CallbackURL   types.String `tfsdk:"callback_url"`
	CreatedDate   types.String `tfsdk:"created_date"`
}

func (d *instancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instances"
}

func (d *instancesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists element instances, optionally filtered by tags, element and name. Every page of the API's list is read.",
		Attributes: map[string]schema.Attribute{
			"tags": schema.SetAttribute{
				MarkdownDescription: "Only instances that carry all of these tags. Sent to the API as `tags[]` and checked again " +
					"on the answer, so the result holds only instances with every tag whatever the API does with several `tags[]`.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"element_key": schema.StringAttribute{
				MarkdownDescription: "Only instances of this element (`element.key`), such as `campaignmonitor`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name_contains": schema.StringAttribute{
				MarkdownDescription: "Only instances whose name contains this text, case-sensitively. Sent to the API as `searchText` " +
					"and checked again on the answer.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The ids of the instances found, in ascending numeric order.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"instances": schema.ListNestedAttribute{
				MarkdownDescription: "The instances found, in ascending numeric id order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":             schema.StringAttribute{MarkdownDescription: "Numeric id (`id`).", Computed: true},
						"name":           schema.StringAttribute{MarkdownDescription: "Name (`name`).", Computed: true},
						"element_key":    schema.StringAttribute{MarkdownDescription: "Element key (`element.key`).", Computed: true},
						"element_id":     schema.Int64Attribute{MarkdownDescription: "Element id (`elementId`).", Computed: true},
						"tags":           schema.SetAttribute{MarkdownDescription: "Tags (`tags`).", ElementType: types.StringType, Computed: true},
						"valid":          schema.BoolAttribute{MarkdownDescription: "Authentication is valid (`valid`).", Computed: true},
						"disabled":       schema.BoolAttribute{MarkdownDescription: "Disabled (`disabled`).", Computed: true},
						"events_enabled": schema.BoolAttribute{MarkdownDescription: "Events on (`event.notification.enabled`).", Computed: true},
						"callback_url":   schema.StringAttribute{MarkdownDescription: "Event callback URL (`event.notification.callback.url`).", Computed: true},
						"created_date":   schema.StringAttribute{MarkdownDescription: "Created (`createdDate`).", Computed: true},
					},
				},
			},
		},
	}
}

func (d *instancesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *instancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	// Every API call runs under a deadline (data sources have no timeouts block).
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	var m instancesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts := cloudelements.ListInstancesOptions{SearchText: m.NameContains.ValueString()}
	if !m.Tags.IsNull() {
		resp.Diagnostics.Append(m.Tags.ElementsAs(ctx, &opts.Tags, false)...)
		sort.Strings(opts.Tags)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	found, err := d.data.client.ListInstances(ctx, opts)
	if err != nil {
		resp.Diagnostics.AddError("Error Listing Cloud Elements Instances", fmt.Sprintf("Could not list instances: %s", err))
		return
	}
	sort.Slice(found, func(i, j int) bool { return found[i].ID < found[j].ID })

	m.Instances = []instanceSummaryModel{}
	m.IDs = []types.String{}
	for i := range found {
		// The API's filters are not documented for /instances: whatever it
		// did with them, keep only what the filters ask for.
		if !matchesFilters(&found[i], m.ElementKey.ValueString(), opts.SearchText, opts.Tags) {
			continue
		}
		s, diags := summarize(ctx, &found[i])
		resp.Diagnostics.Append(diags...)
		m.Instances = append(m.Instances, s)
		m.IDs = append(m.IDs, s.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func summarize(ctx context.Context, in *cloudelements.Instance) (instanceSummaryModel, diag.Diagnostics) {
	tags, diags := types.SetValueFrom(ctx, types.StringType, uniqueStrings(in.Tags))
	return instanceSummaryModel{
		ID:            types.StringValue(in.ID.String()),
		Name:          types.StringValue(in.Name),
		ElementKey:    types.StringValue(in.Element.Key),
		ElementID:     types.Int64Value(elementIDOf(in)),
		Tags:          tags,
		Valid:         types.BoolValue(in.Valid),
		Disabled:      types.BoolValue(in.Disabled),
		EventsEnabled: types.BoolValue(strings.EqualFold(configValue(in.Configuration, configkeys.EventsEnabled), "true")),
		CallbackURL:   callbackURLOf(in.Configuration),
		CreatedDate:   types.StringValue(in.CreatedDate),
	}, diags
}

// matchesFilters reports whether an instance passes the list filters: the
// element key, a case-sensitive name substring, and every tag.
func matchesFilters(in *cloudelements.Instance, elementKey, nameContains string, tags []string) bool {
	if elementKey != "" && in.Element.Key != elementKey {
		return false
	}
	if nameContains != "" && !strings.Contains(in.Name, nameContains) {
		return false
	}
	for _, want := range tags {
		found := false
		for _, have := range in.Tags {
			if have == want {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// callbackURLOf reads the callback URL; the API's "no callback" values
// (null, "", "false") read as null.
func callbackURLOf(cfg map[string]*string) types.String {
	u := strings.TrimSpace(configValue(cfg, configkeys.CallbackURL))
	if u == "" || strings.EqualFold(u, "false") {
		return types.StringNull()
	}
	return types.StringValue(u)
}
