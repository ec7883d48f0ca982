// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ datasource.DataSource                     = &instanceDataSource{}
	_ datasource.DataSourceWithConfigure        = &instanceDataSource{}
	_ datasource.DataSourceWithConfigValidators = &instanceDataSource{}
)

// NewInstanceDataSource is the constructor for data "cloudelements_instance".
func NewInstanceDataSource() datasource.DataSource { return &instanceDataSource{} }

type instanceDataSource struct {
	data *providerData
}

type instanceDataSourceModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	ElementKey        types.String `tfsdk:"element_key"`
	ElementID         types.Int64  `tfsdk:"element_id"`
	Tags              types.Set    `tfsdk:"tags"`
	Configuration     types.Map    `tfsdk:"configuration"`
	ConfigurationAll  types.Map    `tfsdk:"configuration_all"`
	Valid             types.Bool   `tfsdk:"valid"`
	Disabled          types.Bool   `tfsdk:"disabled"`
	CreatedDate       types.String `tfsdk:"created_date"`
	Token             types.String `tfsdk:"token"`
	EventNotification types.List   `tfsdk:"event_notification"`
}

// eventSettingModel is the read-only view of the event.* keys: the
// resource's event_notification block, with signature_key_set for the key
// the API usually masks.
type eventSettingModel struct {
	Enabled               types.Bool           `tfsdk:"enabled"`
	CallbackURL           types.String         `tfsdk:"callback_url"`
	SignatureKeySet       types.Bool           `tfsdk:"signature_key_set"`
	VendorType            types.String         `tfsdk:"vendor_type"`
	PollerRefreshInterval types.Int64          `tfsdk:"poller_refresh_interval"`
	PollerConfiguration   jsontypes.Normalized `tfsdk:"poller_configuration"`
	Objects               types.Set            `tfsdk:"objects"`
	InstanceFinder        types.String         `tfsdk:"instance_finder"`
	PollerURLs            types.String         `tfsdk:"poller_urls"`
	NotificationType      types.String         `tfsdk:"notification_type"`
	Metadata              jsontypes.Normalized `tfsdk:"metadata"`
}

var eventSettingObjectType = types.ObjectType{AttrTypes: eventSettingTypes(map[string]attr.Type{
	"signature_key_set": types.BoolType,
	"notification_type": types.StringType,
})}

func (d *instanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (d *instanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one element instance by `id` or by exact `name`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id (`id`). Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(numericIDPattern, "must be a numeric instance id")},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The instance's exact name (`name`). It is an error when no instance, or more than one, has this name.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"element_key":  schema.StringAttribute{MarkdownDescription: "Key of the element (`element.key`).", Computed: true},
			"element_id":   schema.Int64Attribute{MarkdownDescription: "Numeric id of the element (`elementId`).", Computed: true},
			"tags":         schema.SetAttribute{MarkdownDescription: "Tags on the instance (`tags`).", ElementType: types.StringType, Computed: true},
			"valid":        schema.BoolAttribute{MarkdownDescription: "Whether the instance's authentication is valid (`valid`).", Computed: true},
			"disabled":     schema.BoolAttribute{MarkdownDescription: "Whether the instance is disabled (`disabled`).", Computed: true},
			"created_date": schema.StringAttribute{MarkdownDescription: "When the instance was created (`createdDate`).", Computed: true},
			"token": schema.StringAttribute{
				MarkdownDescription: "The instance token (`token`).",
				Computed:            true,
				Sensitive:           true,
			},
			"configuration": schema.MapAttribute{
				MarkdownDescription: "The configuration keys a user could have written (`configuration`), as an import brings them in: " +
					"without the `event.*` keys (see `event_notification`), the keys the API adds itself (`base.url`, `pagination.*`, " +
					"`oauth.user.*`, ...), values equal to documented defaults, empty and masked values, and keys whose name marks " +
					"a secret. Sensitive, because a secret whose name does not say so may still come back readable here. " +
					"Use `nonsensitive()` on values you know to be public.",
				ElementType: types.StringType,
				Computed:    true,
				Sensitive:   true,
			},
			"configuration_all": schema.MapAttribute{
				MarkdownDescription: "The whole configuration as the API returns it, including the keys it adds itself; " +
					"unset values null, and the value of every secret key masked (`********`), even one the API returns in clear.",
				ElementType: types.StringType,
				Computed:    true,
				Sensitive:   true,
			},
			"event_notification": schema.ListNestedAttribute{
				MarkdownDescription: "The instance's event settings (the `event.*` configuration keys), shaped like the resource's " +
					"`event_notification` block: one element when events are on or a callback URL is set, none otherwise, " +
					"so `event_notification[0].callback_url` reads the same on both.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: eventSettingAttributes()},
			},
		},
	}
}

func eventSettingAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"enabled":      schema.BoolAttribute{MarkdownDescription: "Whether events are delivered (`event.notification.enabled`).", Computed: true},
		"callback_url": schema.StringAttribute{MarkdownDescription: "Callback URL (`event.notification.callback.url`).", Computed: true},
		"signature_key_set": schema.BoolAttribute{
			MarkdownDescription: "Whether a signature key is set (`event.notification.signature.key`); the key itself is never exposed.",
			Computed:            true,
		},
		"vendor_type":             schema.StringAttribute{MarkdownDescription: "`webhook` or `polling` (`event.vendor.type`).", Computed: true},
		"poller_refresh_interval": schema.Int64Attribute{MarkdownDescription: "Minutes between polls (`event.poller.refresh_interval`).", Computed: true},
		"poller_configuration": schema.StringAttribute{
			MarkdownDescription: "Poller configuration JSON (`event.poller.configuration`).",
			Computed:            true,
			CustomType:          jsontypes.NormalizedType{},
		},
		"objects":           schema.SetAttribute{MarkdownDescription: "Object names (`event.objects`).", ElementType: types.StringType, Computed: true},
		"instance_finder":   schema.StringAttribute{MarkdownDescription: "`event.notification.instance.finder`.", Computed: true},
		"poller_urls":       schema.StringAttribute{MarkdownDescription: "`event.poller.urls`.", Computed: true},
		"notification_type": schema.StringAttribute{MarkdownDescription: "`event.notification.type`.", Computed: true},
		"metadata": schema.StringAttribute{
			MarkdownDescription: "`event.metadata` (JSON).",
			Computed:            true,
			CustomType:          jsontypes.NormalizedType{},
		},
	}
}

func (d *instanceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *instanceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *instanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	// Every API call runs under a deadline (data sources have no timeouts block).
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	var m instanceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	var in *cloudelements.Instance
	if !m.ID.IsNull() {
		id, ok := parseID(m.ID.ValueString(), "Instance", path.Root("id"), &resp.Diagnostics)
		if !ok {
			return
		}
		var err error
		in, err = d.data.client.GetInstance(ctx, id)
		if errors.Is(err, cloudelements.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Cloud Elements Instance Not Found",
				fmt.Sprintf("No instance has id %d.", id))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Error Reading Cloud Elements Instance", fmt.Sprintf("Could not read instance %d: %s", id, err))
			return
		}
	} else {
		in = d.findByName(ctx, m.Name.ValueString(), resp)
		if in == nil {
			return
		}
	}

	resp.Diagnostics.Append(m.fill(ctx, in)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (d *instanceDataSource) findByName(ctx context.Context, name string, resp *datasource.ReadResponse) *cloudelements.Instance {
	in, err := findInstanceByName(ctx, d.data.client, name)
	if err != nil {
		var nf *nameLookupError
		if errors.As(err, &nf) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), nf.summary, nf.detail)
		} else {
			resp.Diagnostics.AddError("Error Listing Cloud Elements Instances", err.Error())
		}
		return nil
	}
	return in
}

// nameLookupError is a name that matches no instance, or several.
type nameLookupError struct{ summary, detail string }

func (e *nameLookupError) Error() string { return e.detail }

// findInstanceByName returns the one instance named exactly name. The API's
// searchText narrows the listing; the exact match is checked here. No
// instance, or several, is a *nameLookupError listing the candidates.
func findInstanceByName(ctx context.Context, c *cloudelements.Client, name string) (*cloudelements.Instance, error) {
	found, err := c.ListInstances(ctx, cloudelements.ListInstancesOptions{SearchText: name})
	if err != nil {
		return nil, fmt.Errorf("could not search for instances named %q: %w", name, err)
	}
	var exact []*cloudelements.Instance
	var near []string
	for i := range found {
		if found[i].Name == name {
			exact = append(exact, &found[i])
		} else if strings.Contains(strings.ToLower(found[i].Name), strings.ToLower(name)) {
			near = append(near, fmt.Sprintf("%s (%q)", found[i].ID, found[i].Name))
		}
	}
	switch len(exact) {
	case 1:
		return exact[0], nil
	case 0:
		detail := fmt.Sprintf("No instance is named exactly %q.", name)
		if len(near) > 0 {
			detail += " Instances whose names contain it: " + strings.Join(near, ", ") + "."
		}
		return nil, &nameLookupError{"Cloud Elements Instance Not Found", detail}
	default:
		ids := make([]string, len(exact))
		for i, in := range exact {
			ids[i] = fmt.Sprintf("%s (created %s)", in.ID, in.CreatedDate)
		}
		return nil, &nameLookupError{"Several Cloud Elements Instances Found",
			fmt.Sprintf("%d instances are named %q: %s. Use the id instead.", len(exact), name, strings.Join(ids, ", "))}
	}
}

func (m *instanceDataSourceModel) fill(ctx context.Context, in *cloudelements.Instance) (diags diag.Diagnostics) {
	s, d := summarize(ctx, in)
	diags.Append(d...)
	m.ID, m.Name, m.ElementKey, m.ElementID = s.ID, s.Name, s.ElementKey, s.ElementID
	m.Tags, m.Valid, m.Disabled, m.CreatedDate = s.Tags, s.Valid, s.Disabled, s.CreatedDate
	m.Token = types.StringValue(in.Token)
	m.Configuration = importedConfiguration(in.Configuration, nil)
	if m.Configuration.IsNull() {
		m.Configuration = types.MapValueMust(types.StringType, nil)
	}
	m.ConfigurationAll = configurationAll(in.Configuration)
	ev, d := readEventSettings(ctx, in.Configuration, path.Root("event_notification").AtListIndex(0).AtName)
	diags.Append(d...)
	m.EventNotification = ev
	return diags
}

// readEventSettings is the data sources' event_notification: one element
// when events are on or a callback URL is set (as an import would make the
// resource's block), none when only the element's defaults are there.
func readEventSettings(ctx context.Context, cfg map[string]*string, at func(string) path.Path) (types.List, diag.Diagnostics) {
	k, diags := readEventKeys(ctx, cfg, at)
	if !k.Enabled && k.CallbackURL.IsNull() {
		return types.ListValueMust(eventSettingObjectType, nil), diags
	}
	list, d := types.ListValueFrom(ctx, eventSettingObjectType, []eventSettingModel{{
		Enabled:               types.BoolValue(k.Enabled),
		CallbackURL:           k.CallbackURL,
		SignatureKeySet:       types.BoolValue(!k.SignatureKey.IsNull()),
		VendorType:            k.VendorType,
		PollerRefreshInterval: k.PollerRefreshInterval,
		PollerConfiguration:   k.PollerConfiguration,
		Objects:               k.Objects,
		InstanceFinder:        k.InstanceFinder,
		PollerURLs:            k.PollerURLs,
		NotificationType:      k.NotificationType,
		Metadata:              k.Metadata,
	}})
	diags.Append(d...)
	return list, diags
}

// configurationAll is the whole configuration as the API answered it,
// nulls null, with the value of every secret key masked as the API masks
// it: no secret reaches the state through it, even one the API returns in
// clear (the OAuth tokens it obtained, for one).
func configurationAll(cfg map[string]*string) types.Map {
	out := make(map[string]attr.Value, len(cfg))
	for k, v := range cfg {
		switch {
		case v == nil:
			out[k] = types.StringNull()
		case configkeys.Secret(k) && *v != "":
			out[k] = types.StringValue(cloudelements.MaskedValue)
		default:
			out[k] = types.StringValue(*v)
		}
	}
	return types.MapValueMust(types.StringType, out)
}
