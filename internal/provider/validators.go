package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var objectNamePattern = regexp.MustCompile(`^[^,\s]+$`)

// callbackURLValidator accepts absolute https URLs, and http only for
// localhost and loopback addresses (local receivers during development).
type callbackURLValidator struct{}

var _ validator.String = callbackURLValidator{}

func (callbackURLValidator) Description(context.Context) string {
	return "must be an absolute https URL (http only for localhost or a loopback address)"
}

func (v callbackURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v callbackURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	ok := err == nil && u.IsAbs() && u.Host != "" &&
		(u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname())))
	if !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Callback URL",
			fmt.Sprintf("%q %s, for example https://app.example.com/events.", raw, v.Description(ctx)))
	}
}

// validateConfigurationKeys rejects event.* keys in the configuration maps
// (they belong in event_notification) and keys set in both maps.
func validateConfigurationKeys(cfg, sensitive types.Map, diags *diag.Diagnostics) {
	for _, m := range []struct {
		name   string
		value  types.Map
		secret bool
	}{{"configuration", cfg, false}, {"sensitive_configuration", sensitive, true}} {
		if m.value.IsNull() || m.value.IsUnknown() {
			continue
		}
		for _, k := range sortedKeys(m.value) {
			if !strings.HasPrefix(k, eventKeyPrefix) {
				continue
			}
			where := "the event_notification block"
			if a, ok := eventKeyAttribute[k]; ok {
				where = "event_notification." + a
			}
			diags.AddAttributeError(path.Root(m.name).AtMapKey(k), "Event Setting in "+m.name,
				fmt.Sprintf("%q is an event setting managed by the event_notification block: set it with %s instead of in %s.", k, where, m.name))
		}
	}
	if cfg.IsNull() || cfg.IsUnknown() || sensitive.IsNull() || sensitive.IsUnknown() {
		return
	}
	secret := sensitive.Elements()
	for _, k := range sortedKeys(cfg) {
		if _, dup := secret[k]; dup {
			diags.AddAttributeError(path.Root("sensitive_configuration").AtMapKey(k), "Configuration Key Set Twice",
				fmt.Sprintf("%q is set in both configuration and sensitive_configuration; set it in only one of them.", k))
		}
	}
}
