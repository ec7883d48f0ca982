// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var objectNamePattern = regexp.MustCompile(`^[^,\s]+$`)

// urlValidator is the one validator of every URL argument. It refuses a
// user name or password in the URL without echoing it: URL arguments are
// not sensitive, so a password there would show in every plan and log.
// An absolute URL (every argument but a list) must be http or https
// without spaces; plain http is allowed, as the API allows it, with a
// warning unless the host is loopback (a local receiver during
// development). A list (sep set, such as the "|" of event.poller.urls)
// may hold paths; only its URLs are checked, for credentials.
type urlValidator struct {
	what   string // what the URL is, title-cased: "Callback URL", "Webhook URL"
	advice string // how to authenticate instead, for the credentials error
	sep    string // a list of URLs and paths separated by sep
}

var _ validator.String = urlValidator{}

// Callback URLs: where the instance's events go (authenticated with the
// signature key) and where an OAuth flow returns.
var (
	eventsCallbackURL = urlValidator{what: "Callback URL",
		advice: "authenticate events with signature_key (the Elements-Webhook-Signature header) instead"}
	oauthCallbackURL = urlValidator{what: "Callback URL", advice: "the OAuth app's redirect URL never needs them"}
	webhookURL       = urlValidator{what: "Webhook URL", advice: "let the receiver check a token kept out of the URL's user info instead, or accept the call from the network only"}
	pollerURLs       = urlValidator{what: "Poller URL", advice: "the element's own credentials authenticate its polling", sep: "|"}
)

func (v urlValidator) Description(context.Context) string {
	if v.sep != "" {
		return "must not carry a user name or password in any URL"
	}
	return "must be an absolute http or https URL without spaces or credentials, such as https://app.example.com/events"
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	parts := []string{raw}
	if v.sep != "" {
		parts = strings.Split(raw, v.sep)
	}
	for _, part := range parts {
		if u, err := url.Parse(strings.TrimSpace(part)); err == nil && u.User != nil {
			resp.Diagnostics.AddAttributeError(req.Path, "Credentials in "+v.what,
				fmt.Sprintf("%s for host %q carries a user name or password, which would show in plan output and logs. "+
					"Remove them from the URL; %s.", req.Path, u.Hostname(), v.advice))
			return
		}
	}
	if v.sep != "" {
		return
	}
	u, err := url.Parse(raw)
	if err != nil || strings.ContainsFunc(raw, unicode.IsSpace) || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		shown := strconv.Quote(raw)
		if strings.Contains(raw, "@") {
			shown = "(not shown: it may hold credentials)"
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
			fmt.Sprintf("%s %s %s (escape a space in a path as %%20).", req.Path, shown, v.Description(ctx)))
		return
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		resp.Diagnostics.AddAttributeWarning(req.Path, v.what+" Without TLS",
			fmt.Sprintf("%s %q is called over plain http, unencrypted, with what it carries readable on the way. "+
				"Use an https URL unless the network between Cloud Elements and the receiver is trusted.", req.Path, raw))
	}
}

// markupValidator refuses < and >: the API strips markup from names and
// tags, so a value holding it would come back different from what was sent.
type markupValidator struct{}

func noMarkup() markupValidator { return markupValidator{} }

func (markupValidator) Description(context.Context) string {
	return "must not contain < or > (the API strips markup)"
}

func (v markupValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v markupValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); strings.ContainsAny(s, "<>") {
		resp.Diagnostics.AddAttributeError(req.Path, "Markup Not Allowed",
			fmt.Sprintf("%q contains < or >. The Cloud Elements API strips markup from names and tags, so the instance would "+
				"not keep this value; remove the angle brackets.", s))
	}
}

// jsonObjectValidator accepts a JSON object (the API documents the poller
// configuration as one) and reports anything else once, at the attribute.
type jsonObjectValidator struct{}

func (jsonObjectValidator) Description(context.Context) string { return "must be a JSON object" }

func (v jsonObjectValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v jsonObjectValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := []byte(req.ConfigValue.ValueString())
	if !json.Valid(raw) {
		return // the JSON type reports that, at this attribute
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON Object",
			"The value must be a JSON object keyed by resource name, such as "+
				`jsonencode({ contacts = { url = "/hubs/crm/contacts", idField = "id" } }).`)
	}
}

// validateConfigurationKeys rejects, in the configuration maps, the
// event.* keys the event_notification block owns (other event.* keys may
// be set there) and keys set in both maps; it warns about keys in the
// non-sensitive map whose name says they hold a secret.
func validateConfigurationKeys(cfg, sensitive types.Map, diags *diag.Diagnostics) {
	for _, m := range []struct {
		name  string
		value types.Map
	}{{"configuration", cfg}, {"sensitive_configuration", sensitive}} {
		if m.value.IsNull() || m.value.IsUnknown() {
			continue
		}
		for _, k := range sortedKeys(m.value) {
			if a, owned := eventKeyAttribute[k]; owned {
				diags.AddAttributeError(path.Root(m.name).AtMapKey(k), "Event Setting in "+m.name,
					fmt.Sprintf("%q is managed by the event_notification block: set it with event_notification.%s instead of in %s.", k, a, m.name))
			}
		}
	}
	validatePlainAndSecretKeys(cfg, sensitive, "sensitive_configuration", diags)
}

// validatePlainAndSecretKeys warns about each key of configuration (cfg)
// whose name says it holds a secret (configkeys.Secret), since plans show
// its value, and refuses a key set both there and in the secret map named
// secretName. Instances and formula instances share it.
func validatePlainAndSecretKeys(cfg, secret types.Map, secretName string, diags *diag.Diagnostics) {
	if !cfg.IsNull() && !cfg.IsUnknown() {
		for _, k := range sortedKeys(cfg) {
			if _, owned := eventKeyAttribute[k]; !owned && configkeys.Secret(k) {
				diags.AddAttributeWarning(path.Root("configuration").AtMapKey(k), "Secret in Plain Configuration",
					fmt.Sprintf("%q looks like a secret, and values in configuration are shown in plan output and logs. "+
						"Move it to sensitive_configuration, which is hidden.", k))
			}
		}
	}
	checkSetTwice(cfg, secret, secretName, diags)
}

// checkSetTwice refuses a key set both in configuration and in the map
// named other.
func checkSetTwice(cfg, other types.Map, otherName string, diags *diag.Diagnostics) {
	if cfg.IsNull() || cfg.IsUnknown() || other.IsNull() || other.IsUnknown() {
		return
	}
	for _, k := range sortedKeys(cfg) {
		if _, dup := other.Elements()[k]; dup {
			diags.AddAttributeError(path.Root(otherName).AtMapKey(k), "Configuration Key Set Twice",
				fmt.Sprintf("%q is set in both configuration and %s; set it in only one of them.", k, otherName))
		}
	}
}
