// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ ephemeral.EphemeralResource              = &instanceTokenEphemeralResource{}
	_ ephemeral.EphemeralResourceWithConfigure = &instanceTokenEphemeralResource{}
)

// NewInstanceTokenEphemeralResource is the constructor for
// ephemeral "cloudelements_instance_token".
func NewInstanceTokenEphemeralResource() ephemeral.EphemeralResource {
	return &instanceTokenEphemeralResource{}
}

// instanceTokenEphemeralResource reads an instance's token for the length
// of one Terraform run: it is handed to whatever consumes it (a write-only
// argument, a provider block) and never written to the plan or state.
type instanceTokenEphemeralResource struct {
	data *providerData
}

type instanceTokenModel struct {
	ID         types.String `tfsdk:"id"`
	Token      types.String `tfsdk:"token"`
	Name       types.String `tfsdk:"name"`
	ElementKey types.String `tfsdk:"element_key"`
}

func (r *instanceTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance_token"
}

func (r *instanceTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an instance's token (the `Element` part of the `Authorization` header) without storing it: " +
			"the value exists only while Terraform runs and never reaches the plan or state. Feed it to a write-only " +
			"argument or a provider block, for example to hand the token to a secrets manager. Each run reads the " +
			"token afresh (`GET /instances/{id}`), so it follows re-authentication. Needs Terraform 1.10 or later " +
			"(or OpenTofu 1.11).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id, as a string (the `id` of a `cloudelements_instance`).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(numericIDPattern, "must be a numeric instance id")},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "The instance token (`token`).",
				Computed:            true,
				Sensitive:           true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the instance (`name`).",
				Computed:            true,
			},
			"element_key": schema.StringAttribute{
				MarkdownDescription: "Key of the instance's element (`element.key`).",
				Computed:            true,
			},
		},
	}
}

func (r *instanceTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *instanceTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m instanceTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		addNotConfigured(&resp.Diagnostics, "Reading an instance token needs the provider's credentials")
		return
	}
	id, ok := parseID(m.ID.ValueString(), "Instance", path.Root("id"), &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	in, err := r.data.client.GetInstance(ctx, id)
	switch {
	case errors.Is(err, cloudelements.ErrNotFound):
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Cloud Elements Instance Not Found",
			fmt.Sprintf("There is no instance %d, so its token cannot be read. Check the id; the instance may have been deleted.", id))
		return
	case err != nil:
		resp.Diagnostics.AddError("Error Reading Cloud Elements Instance Token",
			fmt.Sprintf("Could not read instance %d: %s", id, err))
		return
	case in.Token == "":
		resp.Diagnostics.AddError("Cloud Elements Instance Has No Token",
			fmt.Sprintf("The API answered for instance %d without a token.", id))
		return
	}
	m.Token = types.StringValue(in.Token)
	m.Name = types.StringValue(in.Name)
	m.ElementKey = types.StringValue(in.Element.Key)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
