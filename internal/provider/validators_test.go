// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCallbackURLValidator(t *testing.T) {
	for raw, want := range map[string]string{
		"https://app.example.com/events":           "",
		"http://localhost:9000/events":             "",
		"http://127.0.0.1/e":                       "",
		"http://[::1]/e":                           "",
		"http://app.example.com/events":            "warning: Callback URL Without TLS",
		"ftp://app.example.com/events":             "error: Invalid Callback URL",
		"/events":                                  "error: Invalid Callback URL",
		"https:///nohost":                          "error: Invalid Callback URL",
		"https://app.example.com/my events":        "error: Invalid Callback URL",
		" https://app.example.com/events":          "error: Invalid Callback URL",
		"https://hook:hunter2@app.example.com/e":   "error: Credentials in Callback URL",
		"https://hook@app.example.com/e":           "error: Credentials in Callback URL",
		"http://hook:hunter2@localhost:9000/event": "error: Credentials in Callback URL",
		"https://hook:hunter2 @app.example.com/e":  "error: Invalid Callback URL",
	} {
		resp := validator.StringResponse{}
		eventsCallbackURL.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("callback_url"), ConfigValue: types.StringValue(raw),
		}, &resp)
		if got := oneDiag(resp.Diagnostics); got != want {
			t.Errorf("%s: %q, want %q", raw, got, want)
		}
		for _, d := range resp.Diagnostics {
			if strings.Contains(d.Detail(), "hunter2") || !strings.Contains(d.Detail(), "callback_url") && want != "" {
				t.Errorf("%s: detail %q shows the password or does not name callback_url", raw, d.Detail())
			}
		}
	}
}

func TestSecretInPlainConfigurationWarns(t *testing.T) {
	var diags diag.Diagnostics
	cfg := types.MapValueMust(types.StringType, map[string]attr.Value{
		"oauth.api.secret": types.StringValue("s"), "oauth.api.key": types.StringValue("id"), "event.helper.key": types.StringValue("x"),
	})
	validateConfigurationKeys(cfg, types.MapNull(types.StringType), &diags)
	if got := oneDiag(diags); got != "warning: Secret in Plain Configuration" {
		t.Errorf("diagnostics: %v", diags)
	}
	if !strings.Contains(diags[0].Detail(), "sensitive_configuration") {
		t.Errorf("the warning does not name sensitive_configuration: %s", diags[0].Detail())
	}
}

func oneDiag(diags diag.Diagnostics) string {
	switch len(diags) {
	case 0:
		return ""
	case 1:
		return strings.ToLower(diags[0].Severity().String()) + ": " + diags[0].Summary()
	default:
		return "several"
	}
}

func TestFieldTypeValidator(t *testing.T) {
	for typ, want := range map[string]string{
		"string": "", "date": "", "array [string]": "", "array[line_items]": "",
		"array[string]":  `error: Invalid Common Resource Field Type: fields["tags"] is "array[string]", which names an object called "string". An array of values is written with a space: "array [string]".`,
		"array[Number]":  `error: Invalid Common Resource Field Type: fields["tags"] is "array[Number]", which names an object called "Number". An array of values is written with a space: "array [number]".`,
		"strng":          `error: Invalid Common Resource Field Type: fields["tags"] is "strng": a type must be string, number, boolean, date, an array such as "array [string]", or "array[<common resource>]". Did you mean "string"?`,
		"array [object]": `error: Invalid Common Resource Field Type: fields["tags"] is "array [object]": a type must be string, number, boolean, date, an array such as "array [string]", or "array[<common resource>]". Did you mean "array [boolean]"?`,
	} {
		var resp validator.StringResponse
		fieldTypeValidator{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("fields").AtMapKey("tags"), ConfigValue: types.StringValue(typ),
		}, &resp)
		got := oneDiag(resp.Diagnostics)
		if got != "" {
			got += ": " + resp.Diagnostics[0].Detail()
		}
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", typ, got, want)
		}
	}
}
