// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// The house style every resource follows is in DESIGN.md; these are the
// helpers it shares.

// defaultTimeout bounds each operation unless a timeouts block says
// otherwise: enough for max_retries backoffs at their longest.
const defaultTimeout = 10 * time.Minute

// adoptWindow is how recently an object must have been created to be
// adopted after a create whose response was lost; adoptLookupTimeout
// bounds the search for it, which runs after the create's own deadline may
// have passed.
const (
	adoptWindow        = 15 * time.Minute
	adoptLookupTimeout = time.Minute
)

// withTimeout bounds ctx by the operation's configured timeout (get is
// e.g. plan.Timeouts.Create), or defaultTimeout. Every API call of a
// resource runs under it, plan-time reads included (with the read timeout).
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	d, ds := get(ctx, defaultTimeout)
	diags.Append(ds...)
	if ds.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

// parseID reads a numeric API id held as a string; what names the kind of
// object for the diagnostic ("Instance", "Formula", "Formula Instance").
func parseID(raw, what string, p path.Path, diags *diag.Diagnostics) (int64, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		diags.AddAttributeError(p, "Invalid Cloud Elements "+what+" ID",
			fmt.Sprintf("A %s id is a positive whole number such as 12345, got %q.", strings.ToLower(what), raw))
		return 0, false
	}
	return id, true
}

// identity is a resource identity: one struct per resource type, whose
// tfsdk tags match its identity schema. complete reports whether every
// part is known, so that it can be recorded.
type identity interface {
	complete() bool
}

// setIdentity records the identity where the CLI supports it (Terraform
// 1.12 and later; to is nil otherwise). The framework wants one even when
// the object is gone, so Read sets it before reading.
func setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, id identity, diags *diag.Diagnostics) {
	if to == nil || !id.complete() {
		return
	}
	diags.Append(to.Set(ctx, id)...)
}

// importTarget is what an import names: the import id, parsed by parse, or,
// when an import block gives an identity instead (Terraform 1.12), the
// identity decoded into T, turned back into an import id by format and
// parsed the same way, so both forms obey the same rules.
func importTarget[T identity](ctx context.Context, req resource.ImportStateRequest, parse func(string, *diag.Diagnostics) (T, bool),
	format func(T) string, diags *diag.Diagnostics,
) (T, bool) {
	raw := req.ID
	if raw == "" && req.Identity != nil {
		var v T
		diags.Append(req.Identity.Get(ctx, &v)...)
		if diags.HasError() {
			return v, false
		}
		raw = format(v)
	}
	return parse(raw, diags)
}

// isStatus reports whether err is the API's answer with that status.
func isStatus(err error, status int) bool {
	var apiErr *cloudelements.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// privateState is the part of the framework's private state a resource
// reads and writes (a request's Private or a response's).
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// lostCreate is what adopt needs to know to resolve a create whose answer
// was lost (cloudelements.ErrOutcomeUnknown): the API may have created the
// object, and a POST cannot be de-duplicated, so instead of retrying it the
// provider looks for what the create made and adopts it when there is
// exactly one.
type lostCreate[T any] struct {
	kind string // "Instance", "Formula": the diagnostics' summaries; lower-cased in their details
	// one and many name what the create was making, for messages:
	// `"fake" instance named "c"`, `"fake" instances named "c"`.
	one, many string
	// find returns the objects the create may have made: those with the
	// planned identity (name and element, key), created in the last
	// adoptWindow where the API keeps no unique key (createdRecently).
	find func(ctx context.Context) ([]T, error)
	// id and created name an object for messages ("" when not known).
	id, created func(T) string
}

// adopt runs the search under its own deadline (the create's may be what
// just expired) and returns the one object found, with a warning, or an
// error saying whether applying again is safe.
func (l lostCreate[T]) adopt(ctx context.Context, cause error, diags *diag.Diagnostics) (T, error) {
	var zero T
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), adoptLookupTimeout)
	defer cancel()
	found, err := l.find(ctx)
	if err != nil {
		return zero, fmt.Errorf("%w; looking for the %s it may have created also failed: %v. "+
			"Check the console for it before applying again", cause, l.one, err)
	}
	switch len(found) {
	case 0:
		return zero, fmt.Errorf("%w; no %s was created, so applying again is safe", cause, l.one)
	case 1:
		what := strings.ToLower(l.kind) + " " + l.id(found[0])
		if c := l.created(found[0]); c != "" {
			what += " (created " + c + ")"
		}
		diags.AddWarning("Adopted Cloud Elements "+l.kind+" After a Lost Response",
			fmt.Sprintf("The response to creating the %s was lost, but the API had created it: %s is now managed by Terraform.", l.one, what))
		return found[0], nil
	default:
		ids := make([]string, len(found))
		for i, f := range found {
			ids[i] = l.id(f)
		}
		return zero, fmt.Errorf("%w; %d %s were created in the last %s (ids %s). "+
			"Import the right one (terraform import) and delete the others", cause, len(found), l.many, adoptWindow, strings.Join(ids, ", "))
	}
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

// resourceTimeouts is every resource's timeouts block: one timeout per
// operation, each defaulting to defaultTimeout.
var resourceTimeouts = timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}

// nullTimeouts is an absent timeouts block, for a model built from scratch
// (a list result, which is not planned from a configuration).
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}

// knownStrings is a string map's elements, with "" for a value not known
// until apply.
func knownStrings(m types.Map) map[string]string {
	out := make(map[string]string, len(m.Elements()))
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			out[k] = s.ValueString()
		} else {
			out[k] = ""
		}
	}
	return out
}

// listConfig reads a list block's config into m. It returns false, with the
// stream answering the diagnostics, when it cannot or when the provider is
// not configured; task says what needs the credentials ("Listing formulas").
func listConfig[T any](ctx context.Context, req list.ListRequest, stream *list.ListResultsStream, data *providerData, task string, m *T) bool {
	diags := req.Config.Get(ctx, m)
	if !diags.HasError() && data == nil {
		addNotConfigured(&diags, task+" needs the provider's credentials")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return false
	}
	return true
}

// listResults is a list request's stream over what find returns, in its
// order and under the default deadline: result makes an entry a list result,
// or says it does not match the filters (false); the stream ends at the
// request's limit or when Terraform stops reading. kind names the assets in
// an error ("Formula Instances").
func listResults[T any](ctx context.Context, req list.ListRequest, kind string,
	find func(context.Context) ([]T, error), result func(context.Context, *T) (list.ListResult, bool)) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		ctx, cancel := context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
		found, err := find(ctx)
		if err != nil {
			var d diag.Diagnostics
			d.AddError("Error Listing Cloud Elements "+kind, fmt.Sprintf("Could not list %s: %s", strings.ToLower(kind), err))
			push(list.ListResult{Diagnostics: d})
			return
		}
		var pushed int64
		for i := range found {
			if req.Limit > 0 && pushed >= req.Limit {
				return
			}
			res, ok := result(ctx, &found[i])
			if !ok {
				continue
			}
			if !push(res) {
				return
			}
			pushed++
		}
	}
}

// identitySchema is a resource identity of string attributes, every one
// required for import, from each attribute's name to its description.
func identitySchema(descriptions map[string]string) identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(descriptions))
	for name, d := range descriptions {
		attrs[name] = identityschema.StringAttribute{Description: d, RequiredForImport: true}
	}
	return identityschema.Schema{Attributes: attrs}
}
