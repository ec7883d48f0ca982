// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementcatalog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource                     = &elementDataSource{}
	_ datasource.DataSourceWithConfigure        = &elementDataSource{}
	_ datasource.DataSourceWithConfigValidators = &elementDataSource{}
)

// NewElementDataSource is the constructor for data "cloudelements_element".
func NewElementDataSource() datasource.DataSource { return &elementDataSource{} }

type elementDataSource struct {
	data *providerData
}

type elementDataSourceModel struct {
	Key                types.String            `tfsdk:"key"`
	ID                 types.String            `tfsdk:"id"`
	Name               types.String            `tfsdk:"name"`
	Hub                types.String            `tfsdk:"hub"`
	AuthenticationType types.String            `tfsdk:"authentication_type"`
	OAuth              types.Bool              `tfsdk:"oauth"`
	EventMethods       types.List              `tfsdk:"event_methods"`
	Configuration      []configDefinitionModel `tfsdk:"configuration"`
}

type configDefinitionModel struct {
	Key          types.String `tfsdk:"key"`
	Name         types.String `tfsdk:"name"`
	Description  types.String `tfsdk:"description"`
	Required     types.Bool   `tfsdk:"required"`
	DefaultValue types.String `tfsdk:"default_value"`
	Type         types.String `tfsdk:"type"`
	Secret       types.Bool   `tfsdk:"secret"`
	Internal     types.Bool   `tfsdk:"internal"`
}

func (d *elementDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_element"
}

func (d *elementDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An element (connector) of the catalog, or a custom element of the account (built in the Element " +
			"Builder or with `cloudelements_element`), with its configuration definitions: which keys an instance needs, which " +
			"are secrets, their defaults, and how the element delivers events. Read with `GET /elements/{keyOrId}`; the same " +
			"definitions check `cloudelements_instance` at plan time. A custom element that reuses a catalog element's key is " +
			"the one read by that key (the API answers it first); read the catalog element by its `id` then. A custom element " +
			"planned in the same configuration is read as planned. Secret default values are never read.",
		Attributes: map[string]schema.Attribute{
			"key": schema.StringAttribute{
				MarkdownDescription: "The element's key, such as `sfdc` or `paypalv2`. Exactly one of `key` and `id` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "The element's numeric id, as a string.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(numericIDPattern, "must be a numeric element id")},
			},
			"name":                schema.StringAttribute{MarkdownDescription: "Display name.", Computed: true},
			"hub":                 schema.StringAttribute{MarkdownDescription: "Hub, such as `crm` or `payment`.", Computed: true},
			"authentication_type": schema.StringAttribute{MarkdownDescription: "Authentication type (`authentication.type`), such as `oauth2`, `oauth1`, `basic` or `custom`.", Computed: true},
			"oauth": schema.BoolAttribute{
				MarkdownDescription: "Whether instances authenticate with OAuth: they then need an authorization code in " +
					"`provider_data` (see `cloudelements_oauth_url`).",
				Computed: true,
			},
			"event_methods": schema.ListAttribute{
				MarkdownDescription: "How the element delivers events (`webhook`, `polling`), where the API says; empty when it does not.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"configuration": schema.ListNestedAttribute{
				MarkdownDescription: "The element's configuration definitions, sorted by key.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"key":           schema.StringAttribute{MarkdownDescription: "Configuration key.", Computed: true},
					"name":          schema.StringAttribute{MarkdownDescription: "Display name.", Computed: true},
					"description":   schema.StringAttribute{MarkdownDescription: "Description.", Computed: true},
					"required":      schema.BoolAttribute{MarkdownDescription: "Whether an instance must set it.", Computed: true},
					"default_value": schema.StringAttribute{MarkdownDescription: "Default value; null when none, and for secrets.", Computed: true},
					"type":          schema.StringAttribute{MarkdownDescription: "Type, such as `TEXTFIELD_32`, `PASSWORD`, `BOOLEAN` or `SELECTION`.", Computed: true},
					"secret": schema.BoolAttribute{
						MarkdownDescription: "Whether it holds a secret (type `PASSWORD`, or a name such as `*.password`, `*.secret` or `*.token`): " +
							"set it in `sensitive_configuration`.",
						Computed: true,
					},
					"internal": schema.BoolAttribute{
						MarkdownDescription: "Whether the API manages it itself (internal or hidden from the console): not for users to set.",
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *elementDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("key"), path.MatchRoot("id"))}
}

func (d *elementDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *elementDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m elementDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	keyOrID, attr := m.Key.ValueString(), "key"
	if m.Key.IsNull() {
		keyOrID, attr = m.ID.ValueString(), "id"
	}
	e, err := d.data.catalog.Lookup(ctx, keyOrID)
	if err != nil {
		if elementcatalog.Unknown(err) {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Cloud Elements Element Not Found",
				fmt.Sprintf("The API knows no element %q.", keyOrID))
			return
		}
		resp.Diagnostics.AddError("Error Reading Cloud Elements Element", fmt.Sprintf("Could not read element %q: %s", keyOrID, err))
		return
	}
	el := e.Element
	m.Key, m.ID, m.Name, m.Hub = types.StringValue(el.Key), types.StringValue(el.ID.String()), types.StringValue(el.Name), types.StringValue(el.Hub)
	m.AuthenticationType = types.StringValue(el.Authentication.Type)
	m.OAuth = types.BoolValue(bool(el.TypeOauth) || strings.HasPrefix(strings.ToLower(el.Authentication.Type), "oauth"))
	methods := []string{}
	if el.Events != nil {
		methods = append(methods, el.Events.Methods...)
	}
	list, diags := types.ListValueFrom(ctx, types.StringType, methods)
	resp.Diagnostics.Append(diags...)
	m.EventMethods = list
	m.Configuration = make([]configDefinitionModel, 0, len(el.Configuration))
	for _, def := range el.Configuration {
		c := configkeys.Classify(def.Key, e.Defs)
		dv := types.StringNull()
		if def.DefaultValue != nil && !c.Secret {
			// A secret's default (a custom element's OAuth client secret) is never shown.
			dv = types.StringValue(*def.DefaultValue)
		}
		m.Configuration = append(m.Configuration, configDefinitionModel{
			Key: types.StringValue(def.Key), Name: types.StringValue(def.Name), Description: types.StringValue(def.Description),
			Required: types.BoolValue(bool(def.Required)), DefaultValue: dv, Type: types.StringValue(def.Type),
			Secret: types.BoolValue(c.Secret), Internal: types.BoolValue(bool(def.Internal) || bool(def.HideFromConsole)),
		})
	}
	sort.Slice(m.Configuration, func(i, j int) bool {
		return m.Configuration[i].Key.ValueString() < m.Configuration[j].Key.ValueString()
	})
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
