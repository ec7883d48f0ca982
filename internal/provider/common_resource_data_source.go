// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ datasource.DataSource              = &commonResourceDataSource{}
	_ datasource.DataSourceWithConfigure = &commonResourceDataSource{}
)

// NewCommonResourceDataSource is the constructor for data "cloudelements_common_resource".
func NewCommonResourceDataSource() datasource.DataSource { return &commonResourceDataSource{} }

type commonResourceDataSource struct {
	data *providerData
}

type commonResourceDataSourceModel struct {
	Name        types.String `tfsdk:"name"`
	Fields      types.Map    `tfsdk:"fields"`
	ElementKeys types.List   `tfsdk:"element_keys"`
}

func (d *commonResourceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource"
}

func (d *commonResourceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A common resource of the organization, by name: its fields and the elements whose transformations " +
			"map it. Read with `GET /organizations/objects/{objectName}/definitions` and " +
			"`GET /organizations/objects/{objectName}/transformations`.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "The common resource's name, such as `myContact`.",
				Required:            true,
				Validators:          vdrNameValidators("name"),
			},
			"fields": schema.MapAttribute{
				MarkdownDescription: "The organization-level fields: path to type.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"element_keys": schema.ListAttribute{
				MarkdownDescription: "The keys of the elements with a transformation of it (at any level), sorted, each once.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *commonResourceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *commonResourceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m commonResourceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	name := m.Name.ValueString()
	def, err := d.data.client.GetObjectDefinition(ctx, name)
	if errors.Is(err, cloudelements.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Cloud Elements Common Resource Not Found",
			fmt.Sprintf("The organization has no common resource named %q.", name))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Common Resource",
			fmt.Sprintf("Could not read common resource %q: %s", name, err))
		return
	}
	list, err := d.data.client.ListObjectTransformations(ctx, name)
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Cloud Elements Transformations",
			fmt.Sprintf("Could not list the transformations of common resource %q: %s", name, err))
		return
	}
	keys := make([]string, 0, len(list))
	for _, t := range list {
		if k := t.Key(); k != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	fields, diags := types.MapValueFrom(ctx, types.StringType, fieldTypes(def))
	resp.Diagnostics.Append(diags...)
	elementKeys, diags := types.ListValueFrom(ctx, types.StringType, uniqueStrings(keys))
	resp.Diagnostics.Append(diags...)
	m.Fields, m.ElementKeys = fields, elementKeys
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
