// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
)

var (
	_ ephemeral.EphemeralResource              = &oauthURLEphemeralResource{}
	_ ephemeral.EphemeralResourceWithConfigure = &oauthURLEphemeralResource{}
)

// NewOAuthURLEphemeralResource is the constructor for
// ephemeral "cloudelements_oauth_url".
func NewOAuthURLEphemeralResource() ephemeral.EphemeralResource {
	return &oauthURLEphemeralResource{}
}

// oauthURLEphemeralResource is data "cloudelements_oauth_url" without the
// state: the client secret it sends, and the link, exist only while
// Terraform runs.
type oauthURLEphemeralResource struct {
	data *providerData
}

func (r *oauthURLEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_url"
}

func (r *oauthURLEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, a := range oauthURLAttributes("It is in neither the plan nor the state.") {
		attrs[a.name] = schema.StringAttribute{
			MarkdownDescription: a.description, Required: a.required, Optional: a.optional, Computed: a.computed,
			Sensitive: a.sensitive, Validators: a.validators,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The consent link of an OAuth element (`GET /elements/{key}/oauth/url`), as data source " +
			"`cloudelements_oauth_url` gives it, but stored nowhere: `api_secret` and the link never reach the plan or state. " +
			"Open the link, allow access, and the vendor redirects to `callback_url` with a `code` query parameter for the " +
			"instance's `provider_data`. Each run asks the API afresh. Needs Terraform 1.10 or later (or OpenTofu 1.11). " +
			"See the *Onboarding an OAuth element* guide.",
		Attributes: attrs,
	}
}

func (r *oauthURLEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *oauthURLEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	// Every API call runs under a deadline.
	ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	var m oauthURLDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		addNotConfigured(&resp.Diagnostics, "Reading an OAuth consent link needs the provider's base URL")
		return
	}
	if !m.fetch(ctx, r.data.client, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
