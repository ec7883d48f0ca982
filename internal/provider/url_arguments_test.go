// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// urlArguments are the configurable URL arguments of every resource,
// data source and ephemeral resource, by path, with their validators: any
// string argument whose name ends in "url" or "urls".
func urlArguments(t *testing.T) map[string][]validator.String {
	t.Helper()
	ctx := context.Background()
	out := map[string][]validator.String{}
	isURL := func(name string) bool { return strings.HasSuffix(name, "url") || strings.HasSuffix(name, "urls") }
	var walk func(prefix string, attrs map[string]schema.Attribute, blocks map[string]schema.Block)
	walk = func(prefix string, attrs map[string]schema.Attribute, blocks map[string]schema.Block) {
		for name, a := range attrs {
			if s, ok := a.(schema.StringAttribute); ok && isURL(name) && (s.Required || s.Optional) {
				out[prefix+name] = s.Validators
			}
		}
		for name, b := range blocks {
			switch b := b.(type) {
			case schema.ListNestedBlock:
				walk(prefix+name+".", b.NestedObject.Attributes, b.NestedObject.Blocks)
			case schema.SingleNestedBlock:
				walk(prefix+name+".", b.Attributes, b.Blocks)
			}
		}
	}
	p := New("test")()
	for _, f := range p.Resources(ctx) {
		r := f()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cloudelements"}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		walk(meta.TypeName+".", resp.Schema.Attributes, resp.Schema.Blocks)
	}
	for _, f := range p.DataSources(ctx) {
		d := f()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cloudelements"}, &meta)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		flatURLArguments("data."+meta.TypeName+".", resp.Schema.Attributes, func(a dsschema.Attribute) ([]validator.String, bool) {
			s, ok := a.(dsschema.StringAttribute)
			return s.Validators, ok && (s.Required || s.Optional)
		}, out)
	}
	for _, f := range p.(interface {
		EphemeralResources(context.Context) []func() ephemeral.EphemeralResource
	}).EphemeralResources(ctx) {
		e := f()
		var meta ephemeral.MetadataResponse
		e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: "cloudelements"}, &meta)
		var resp ephemeral.SchemaResponse
		e.Schema(ctx, ephemeral.SchemaRequest{}, &resp)
		flatURLArguments("ephemeral."+meta.TypeName+".", resp.Schema.Attributes, func(a ephschema.Attribute) ([]validator.String, bool) {
			s, ok := a.(ephschema.StringAttribute)
			return s.Validators, ok && (s.Required || s.Optional)
		}, out)
	}
	return out
}

// flatURLArguments adds to out the configurable URL arguments of a schema
// without blocks; get returns an attribute's validators and whether it is
// a configurable string.
func flatURLArguments[A any](prefix string, attrs map[string]A, get func(A) ([]validator.String, bool), out map[string][]validator.String) {
	for name, a := range attrs {
		if v, ok := get(a); ok && (strings.HasSuffix(name, "url") || strings.HasSuffix(name, "urls")) {
			out[prefix+name] = v
		}
	}
}

// TestURLArgumentsRefuseCredentials: no URL argument accepts a user name
// or password in it (they would show in every plan and log), and the error
// does not echo them. notification_webhook_url accepted them before it
// shared the instance callback_url's validator.
func TestURLArgumentsRefuseCredentials(t *testing.T) {
	args := urlArguments(t)
	for _, want := range []string{"cloudelements_formula_instance.notification_webhook_url",
		"cloudelements_instance.event_notification.callback_url", "cloudelements_instance.event_notification.poller_urls",
		"data.cloudelements_oauth_url.callback_url"} {
		if _, ok := args[want]; !ok {
			t.Errorf("no URL argument %s among %v", want, args)
		}
	}
	for name, validators := range args {
		value := "https://bob:hunter2@hooks.example.com/fail"
		if strings.HasSuffix(name, "urls") {
			value = "contacts|" + value
		}
		var resp validator.StringResponse
		for _, v := range validators {
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(value)}, &resp)
		}
		if !resp.Diagnostics.HasError() {
			t.Errorf("%s accepts a URL with a password", name)
		}
		for _, d := range resp.Diagnostics {
			if strings.Contains(d.Summary()+d.Detail(), "hunter2") || strings.Contains(d.Detail(), "bob") {
				t.Errorf("%s: the diagnostic shows the credentials: %s: %s", name, d.Summary(), d.Detail())
			}
		}
	}
}
