// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// withTimeout bounds ctx by the operation's configured timeout (get is
// e.g. plan.Timeouts.Create), or defaultTimeout.
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	d, ds := get(ctx, defaultTimeout)
	diags.Append(ds...)
	if ds.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

func parseID(raw string, p path.Path, diags *diag.Diagnostics) (int64, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		diags.AddAttributeError(p, "Invalid Cloud Elements Instance ID",
			fmt.Sprintf("An instance id is a positive whole number such as 12345, got %q.", raw))
		return 0, false
	}
	return id, true
}

func eventPath(attrName string) path.Path {
	return path.Root("event_notification").AtListIndex(0).AtName(attrName)
}

// providerDataFrom returns what the provider's Configure handed over, or
// nil before the provider is configured.
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd
}

// addNotConfigured reports a call that needs the provider's configuration
// before Terraform configured it; task says what needed what, e.g.
// "Listing formulas needs the provider's credentials".
func addNotConfigured(diags *diag.Diagnostics, task string) {
	diags.AddError("Provider Not Configured",
		task+", but the provider is not configured. This is a bug in the provider; please report it.")
}

// clientFrom is providerDataFrom's API client.
func clientFrom(data any, diags *diag.Diagnostics) *cloudelements.Client {
	if pd := providerDataFrom(data, diags); pd != nil {
		return pd.client
	}
	return nil
}

func parseInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// uniqueStrings drops repeated values (order kept; never nil): a set
// attribute rejects duplicates, and the API's lists are not guaranteed to
// be free of them.
func uniqueStrings(in []string) []string {
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func configValue(cfg map[string]*string, key string) string {
	if v := cfg[key]; v != nil {
		return *v
	}
	return ""
}

func mergeStringMap(ctx context.Context, m types.Map, into map[string]string) diag.Diagnostics {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	var values map[string]types.String
	diags := m.ElementsAs(ctx, &values, false)
	for k, v := range values {
		if !v.IsNull() && !v.IsUnknown() {
			into[k] = v.ValueString()
		}
	}
	return diags
}

func setIfKnown(into map[string]string, key string, v types.String) {
	if !v.IsNull() && !v.IsUnknown() {
		into[key] = v.ValueString()
	}
}

// createdRecently reports whether an API createdDate lies within window of now.
func createdRecently(created string, now time.Time, window time.Duration) bool {
	t, err := time.Parse(time.RFC3339, created)
	if err != nil {
		return false
	}
	d := now.Sub(t)
	return d > -window && d < window
}

func sortedKeys(m types.Map) []string {
	keys := make([]string, 0, len(m.Elements()))
	for k := range m.Elements() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
