// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package elementdef compares, checks and writes custom element
// definitions: the element JSON as the Element Builder or the vendor's asset
// tool (doctor) exports it, and the resources an extension adds to a catalog
// element. It knows nothing of Terraform; cloudelements_element and
// cloudelements_element_extension use it for their semantic equality, their
// plan-time checks and their requests.
package elementdef

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/jsonvalue"
)

// What the server writes into an element, as the documented create pair
// shows (devportal:docs/legacy/element-builder/create-via-api.md#L59-L375:
// the request at #L60-119, the answer at #L138-375) and the catalog's
// answers with ids (devportal:docs/elements/clover/clover.json). This file
// turns a definition into a canonical form in which none of that is a
// difference, so that a pasted export, a reordered file or the server's
// answer compare equal to what the user wrote.

// serverFields are ids and dates the server assigns, on the element and on
// every part of it (element-get--2: configuration, resources, parameters,
// hooks and objects carry id, elementId or resourceId, createdDate,
// ownerAccountId).
var serverFields = []string{"id", "createdDate", "updatedDate", "ownerAccountId", "elementId", "resourceId",
	"objectId", "accountId", "userId"}

// ArgumentFields are the arguments of cloudelements_element: inside the
// definition they are overridden by the arguments.
var ArgumentFields = []string{"key", "name"}

// filledFlags are top-level flags and metadata the server sets on its own
// (create-via-api.md#L369-374 adds active, deleted, typeOauth, trialAccount,
// transformationsEnabled; the exports of doctor-core's snapshot carry the
// rest): compared only when both sides have them.
var filledFlags = []string{"active", "deleted", "typeOauth", "trialAccount", "transformationsEnabled",
	"bulkDownloadEnabled", "bulkUploadEnabled", "childTransformationsEnabled", "useModelsForMetadata",
	"extendable", "cloneable", "beta", "paginatorVersion", "modelType", "hookName",
	"elementMetadata", "configDescription", "existingAccountDescription", "signupURL", "elementProvisionType"}

// computedFlags the server decides whatever a body says: private (a
// POST /elements makes a private element; an export of a clone may lack
// it: doctor-core:src/core/elements/getElements.js#L95-L96) and extended
// (the account added resources to a catalog element; the test suite's
// fixtures POST extended: true for brand-new elements). Never compared.
var computedFlags = []string{"private", "extended"}

// expandedConfigFields are what the server fills into a configuration entry
// sent as {key, defaultValue} (create-via-api.md#L148-340): compared only
// when both sides have them.
var expandedConfigFields = []string{"name", "description", "type", "required", "hideFromConsole", "internal",
	"active", "resellerConfig", "companyConfig", "groupControl", "displayOrder", "isPrivate", "groupName"}

// Masked is how the API shows a secret value.
const Masked = "********"

var hubPrefix = regexp.MustCompile(`^/hubs/[^/]+`)

// Parse decodes a definition, which must be a JSON object.
func Parse(s string) (map[string]any, error) {
	return jsonvalue.DecodeObject(s, "an element definition is an object with name, authentication, configuration and resources")
}

// ParseResources decodes an extension's resources, which must be a JSON
// array of objects, each with a method and a path.
func ParseResources(s string) ([]map[string]any, error) {
	def, err := jsonvalue.DecodeObject(`{"resources":`+s+`}`, "")
	if err != nil {
		return nil, fmt.Errorf("not a JSON array of resources: %w", err)
	}
	l, ok := def["resources"].([]any)
	if !ok {
		return nil, fmt.Errorf("not a JSON array: the resources are a list of objects, as an extended element's export lists them")
	}
	out := make([]map[string]any, 0, len(l))
	seen := map[string]int{}
	for i, item := range l {
		r, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("resources[%d] is not an object", i)
		}
		m, _ := r["method"].(string)
		p, _ := r["path"].(string)
		if m == "" || p == "" {
			return nil, fmt.Errorf("resources[%d] needs a method and a path", i)
		}
		k := ResourceKey(r)
		if j, dup := seen[k]; dup {
			return nil, fmt.Errorf("resources[%d] and resources[%d] are both %s: a resource is identified by its method and path", j, i, k)
		}
		seen[k] = i
		out = append(out, r)
	}
	return out, nil
}

// ResourceKey is what identifies a resource: its method (upper case) and
// its path without the /hubs/{hub} prefix the server adds
// (create-via-api.md#L100 vs #L346), e.g. "GET /contacts/{id}".
func ResourceKey(r map[string]any) string {
	m, _ := r["method"].(string)
	p, _ := r["path"].(string)
	return strings.ToUpper(m) + " " + NormalizePath(p)
}

// NormalizePath drops the /hubs/{hub} prefix and a trailing slash.
func NormalizePath(p string) string {
	p = hubPrefix.ReplaceAllString(p, "")
	if p != "/" {
		p = strings.TrimSuffix(p, "/")
	}
	if p == "" {
		p = "/"
	}
	return p
}

// secretEntry reports whether a configuration entry holds a secret: its
// type is PASSWORD, or its key names a secret (configkeys.Secret:
// oauth.api.secret, jks.password, event.notification.signature.key, ...).
func secretEntry(e map[string]any) bool {
	k, _ := e["key"].(string)
	t, _ := e["type"].(string)
	return strings.EqualFold(t, "PASSWORD") || configkeys.Secret(k)
}

// serverAddedEntry reports whether the server adds a configuration entry
// with that key to every element it creates (create-via-api.md#L148-340:
// pagination.max, pagination.offset, event.vendor.type,
// event.notification.*, oauth.user.token[.secret]) or to every instance
// (filter.response.nulls): an entry of the answer the definition lacks is
// then no difference.
func serverAddedEntry(key string) bool {
	return strings.HasPrefix(key, "pagination.") || strings.HasPrefix(key, "event.") ||
		strings.HasPrefix(key, "oauth.user.") || key == "filter.response.nulls"
}

// InlineSecrets lists, sorted, the configuration keys whose entry is a
// secret and carries a default value in the definition itself: those belong
// in sensitive_defaults, never in a plan. An empty or masked value is no
// secret.
func InlineSecrets(def map[string]any) []string {
	var out []string
	for _, e := range jsonvalue.Objects(def["configuration"]) {
		v, _ := e["defaultValue"].(string)
		if secretEntry(e) && v != "" && v != Masked {
			k, _ := e["key"].(string)
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// stripServerFields deletes, in place, the server's ids and dates from a
// definition and every part of it.
func stripServerFields(def map[string]any) {
	for _, k := range serverFields {
		delete(def, k)
	}
	for _, list := range []string{"configuration", "parameters", "hooks", "resources", "objects"} {
		for _, part := range jsonvalue.Objects(def[list]) {
			stripPart(part)
		}
	}
}

func stripPart(part map[string]any) {
	for _, k := range serverFields {
		delete(part, k)
	}
	for _, list := range []string{"parameters", "hooks", "fields"} {
		for _, sub := range jsonvalue.Objects(part[list]) {
			for _, k := range serverFields {
				delete(sub, k)
			}
		}
	}
}

// RequestBody is the body of a create or an update (PUT replaces the whole
// element: doctor:src/core/elements/createElements.js#L143-L156): the
// definition without server fields, with the resource's key and name, and
// sensitive_defaults merged into the configuration (an entry without one
// is added as a PASSWORD entry).
func RequestBody(definition, key, name string, secrets map[string]string) (json.RawMessage, error) {
	def, err := Parse(definition)
	if err != nil {
		return nil, err
	}
	stripServerFields(def)
	def["key"], def["name"] = key, name
	if len(secrets) > 0 {
		cfg, _ := def["configuration"].([]any)
		keys := make([]string, 0, len(secrets))
		for k := range secrets {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			found := false
			for _, e := range jsonvalue.Objects(cfg) {
				if e["key"] == k {
					e["defaultValue"], found = secrets[k], true
				}
			}
			if !found {
				cfg = append(cfg, map[string]any{"key": k, "name": k, "description": k, "type": "PASSWORD",
					"defaultValue": secrets[k]})
			}
		}
		def["configuration"] = cfg
	}
	return json.Marshal(def)
}

// Stored is the definition to keep in state for an element as the server
// returned it, in the form doctor writes its exports in
// (doctor:src/core/elements/saveElementsToDir.js#L32-L70): no ids or dates,
// no key or name (they are arguments), no secret default values (they live
// in sensitive_defaults), configuration sorted by key, parameters by name,
// hooks by type, resources by path then method. A plan after an import then
// names what changed, not the server's bookkeeping.
func Stored(body json.RawMessage) (string, error) {
	def, err := Parse(string(body))
	if err != nil {
		return "", err
	}
	stripServerFields(def)
	for _, k := range ArgumentFields {
		delete(def, k)
	}
	for _, e := range jsonvalue.Objects(def["configuration"]) {
		if secretEntry(e) {
			delete(e, "defaultValue")
		}
	}
	sortList(def, "configuration", "key")
	sortList(def, "parameters", "name")
	sortList(def, "hooks", "type")
	if l, ok := def["resources"].([]any); ok {
		def["resources"] = sortResources(l)
	}
	b, err := json.Marshal(def)
	return string(b), err
}

// StoredResources is an extension's resources to keep in state: the given
// resources as the server holds them, without ids and dates, sorted by path
// then method.
func StoredResources(rs []map[string]any) (string, error) {
	l := make([]any, len(rs))
	for i, r := range rs {
		c, _ := jsonvalue.Copy(r).(map[string]any)
		stripPart(c)
		l[i] = c
	}
	b, err := json.Marshal(sortResources(l))
	return string(b), err
}

// ResourceBody is the body of a POST or PUT of one extension resource:
// the resource without server fields.
func ResourceBody(r map[string]any) json.RawMessage {
	c, _ := jsonvalue.Copy(r).(map[string]any)
	stripPart(c)
	b, _ := json.Marshal(c)
	return b
}

func sortResources(l []any) []any {
	sort.SliceStable(l, func(i, j int) bool {
		a, _ := l[i].(map[string]any)
		b, _ := l[j].(map[string]any)
		pa, _ := a["path"].(string)
		pb, _ := b["path"].(string)
		if pa != pb {
			return pa < pb
		}
		ma, _ := a["method"].(string)
		mb, _ := b["method"].(string)
		return ma < mb
	})
	for _, r := range jsonvalue.Objects(l) {
		sortList(r, "parameters", "name")
		sortList(r, "hooks", "type")
	}
	return l
}

func sortList(obj map[string]any, list, field string) {
	l, ok := obj[list].([]any)
	if !ok {
		return
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, _ := l[i].(map[string]any)
		b, _ := l[j].(map[string]any)
		va, _ := a[field].(string)
		vb, _ := b[field].(string)
		return va < vb
	})
}

// canonicalResource is a resource's comparable form: no server fields, the
// path without its hub prefix, the defaults the server fills (type "api",
// a parameter's source "request", a hook's isLegacy false) dropped,
// parameters keyed by name and type, hooks by type.
func canonicalResource(r map[string]any) map[string]any {
	c, _ := jsonvalue.Copy(r).(map[string]any)
	stripPart(c)
	jsonvalue.DropNulls(c)
	if p, ok := c["path"].(string); ok {
		c["path"] = NormalizePath(p)
	}
	if m, ok := c["method"].(string); ok {
		c["method"] = strings.ToUpper(m)
	}
	if c["type"] == "api" {
		delete(c, "type")
	}
	for _, p := range jsonvalue.Objects(c["parameters"]) {
		if p["source"] == "request" {
			delete(p, "source")
		}
	}
	canonicalHooks(c)
	keyed(c, "parameters", func(p map[string]any) string {
		n, _ := p["name"].(string)
		t, _ := p["type"].(string)
		return n + "|" + t
	})
	dropEmpty(c, "parameters", "hooks")
	return c
}

func canonicalHooks(obj map[string]any) {
	for _, h := range jsonvalue.Objects(obj["hooks"]) {
		if h["isLegacy"] == false {
			delete(h, "isLegacy")
		}
	}
	keyed(obj, "hooks", func(h map[string]any) string { t, _ := h["type"].(string); return t })
}

// keyed replaces, in place, a list of objects by a map keyed by id; a list
// whose ids repeat is sorted instead.
func keyed(obj map[string]any, list string, id func(map[string]any) string) {
	l, ok := obj[list].([]any)
	if !ok {
		return
	}
	m := make(map[string]any, len(l))
	for _, item := range l {
		o, ok := item.(map[string]any)
		if !ok {
			obj[list] = jsonvalue.SortedValues(l)
			return
		}
		k := id(o)
		if _, dup := m[k]; dup {
			obj[list] = jsonvalue.SortedValues(l)
			return
		}
		m[k] = o
	}
	obj[list] = m
}

// dropEmpty deletes, in place, the lists and maps that are empty: the
// server answers "parameters": [] for none (create-via-api.md#L374).
func dropEmpty(obj map[string]any, keys ...string) {
	for _, k := range keys {
		switch v := obj[k].(type) {
		case []any:
			if len(v) == 0 {
				delete(obj, k)
			}
		case map[string]any:
			if len(v) == 0 {
				delete(obj, k)
			}
		}
	}
}

// canonical is the form in which two definitions that mean the same
// element are equal, up to the fields compared only when both sides have
// them (see Equivalent).
func canonical(def map[string]any) map[string]any {
	out, _ := jsonvalue.Copy(def).(map[string]any)
	stripServerFields(out)
	for _, k := range append(ArgumentFields, computedFlags...) {
		delete(out, k)
	}
	jsonvalue.DropNulls(out)
	if h, ok := out["hub"].(string); ok {
		out["hub"] = strings.ToLower(h)
	}
	for _, e := range jsonvalue.Objects(out["configuration"]) {
		if secretEntry(e) {
			delete(e, "defaultValue")
		}
	}
	for _, p := range jsonvalue.Objects(out["parameters"]) {
		if p["source"] == "request" {
			delete(p, "source")
		}
	}
	if l, ok := out["resources"].([]any); ok {
		m := make(map[string]any, len(l))
		for _, r := range jsonvalue.Objects(l) {
			k := ResourceKey(r)
			if t, _ := r["type"].(string); t != "" && t != "api" {
				k += " " + t
			}
			m[k] = canonicalResource(r)
		}
		out["resources"] = m
	}
	canonicalHooks(out)
	keyed(out, "configuration", func(e map[string]any) string { k, _ := e["key"].(string); return k })
	keyed(out, "parameters", func(p map[string]any) string {
		n, _ := p["name"].(string)
		t, _ := p["type"].(string)
		return n + "|" + t
	})
	keyed(out, "objects", func(o map[string]any) string { n, _ := o["name"].(string); return n })
	for _, o := range mapValues(out["objects"]) {
		keyed(o, "fields", func(f map[string]any) string { n, _ := f["path"].(string); return n })
	}
	dropEmpty(out, "configuration", "parameters", "hooks", "resources", "objects")
	jsonvalue.NormalizeScalars(out)
	return out
}

func mapValues(v any) []map[string]any {
	m, _ := v.(map[string]any)
	out := make([]map[string]any, 0, len(m))
	for _, x := range m {
		if o, ok := x.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// Equivalent reports whether two definitions describe the same element.
// Text that is not a JSON object is equal only to itself.
func Equivalent(a, b string) bool {
	if a == b {
		return true
	}
	da, errA := Parse(a)
	db, errB := Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	return reflect.DeepEqual(comparable(canonical(da), canonical(db)))
}

// comparable drops from both canonical forms what only one side has of
// the fields the server fills in.
func comparable(ca, cb map[string]any) (map[string]any, map[string]any) {
	jsonvalue.IgnoreUnlessBoth(ca, cb, filledFlags...)
	sa, _ := ca["configuration"].(map[string]any)
	sb, _ := cb["configuration"].(map[string]any)
	for _, pair := range [][2]map[string]any{{sa, sb}, {sb, sa}} {
		for k := range pair[0] {
			if _, has := pair[1][k]; !has && serverAddedEntry(k) {
				delete(pair[0], k)
			}
		}
	}
	for k, ea := range sa {
		ma, okA := ea.(map[string]any)
		mb, okB := sb[k].(map[string]any)
		if okA && okB {
			jsonvalue.IgnoreUnlessBoth(ma, mb, expandedConfigFields...)
		}
	}
	for _, c := range []map[string]any{ca, cb} {
		if m, ok := c["configuration"].(map[string]any); ok && len(m) == 0 {
			delete(c, "configuration")
		}
	}
	return ca, cb
}

// ResourcesEquivalent reports whether two extensions' resources are the
// same set of resources.
func ResourcesEquivalent(a, b string) bool {
	if a == b {
		return true
	}
	ra, errA := ParseResources(a)
	rb, errB := ParseResources(b)
	if errA != nil || errB != nil {
		return false
	}
	return reflect.DeepEqual(canonicalResources(ra), canonicalResources(rb))
}

func canonicalResources(rs []map[string]any) map[string]any {
	out := make(map[string]any, len(rs))
	for _, r := range rs {
		c := canonicalResource(r)
		jsonvalue.NormalizeScalars(c)
		out[ResourceKey(r)] = c
	}
	return out
}

// SameResource reports whether a resource the server holds is the one the
// configuration lists (same fields once the server's are set aside).
func SameResource(want, got map[string]any) bool {
	a, b := canonicalResource(want), canonicalResource(got)
	jsonvalue.NormalizeScalars(a)
	jsonvalue.NormalizeScalars(b)
	return reflect.DeepEqual(a, b)
}

// DerivedKey is the key the server derives from a name when a create sends
// none: lower case, without spaces (create-via-api.md#L141 "Twitter" ->
// "twitter"; churros deletes /elements/churros before posting "Churros").
func DerivedKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), ""))
}

// Overrides lists the key and name inside a definition that differ from
// the arguments, for a warning: the arguments win.
func Overrides(def map[string]any, key, name string) []string {
	var out []string
	for _, f := range [][2]string{{"key", key}, {"name", name}} {
		if v, ok := def[f[0]].(string); ok && v != f[1] {
			out = append(out, fmt.Sprintf("%q: %q, but the element's %s argument is %q", f[0], v, f[0], f[1]))
		}
	}
	return out
}

// Configuration is a definition's configuration as the catalog serves it
// once the element exists: its own entries, then the server-added ones it
// lacks (event notifications, the vendor type), for the plan-time checks
// of the instances planned with it. Secret default values are left out.
func Configuration(def map[string]any) []cloudelements.ConfigDefinition {
	var out []cloudelements.ConfigDefinition
	seen := map[string]bool{}
	for _, e := range jsonvalue.Objects(def["configuration"]) {
		k, _ := e["key"].(string)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		d := cloudelements.ConfigDefinition{Key: k}
		d.Name, _ = e["name"].(string)
		d.Description, _ = e["description"].(string)
		d.Type, _ = e["type"].(string)
		if d.Type == "" {
			d.Type = "TEXTFIELD_128"
			if secretEntry(e) {
				d.Type = "PASSWORD"
			}
		}
		d.Required = cloudelements.FlexBool(truthy(e["required"]))
		d.Internal = cloudelements.FlexBool(truthy(e["internal"]))
		d.HideFromConsole = cloudelements.FlexBool(truthy(e["hideFromConsole"]))
		if v, ok := scalar(e["defaultValue"]); ok && !secretEntry(e) {
			d.DefaultValue = &v
		}
		out = append(out, d)
	}
	for _, std := range []struct{ key, typ, def string }{
		{"event.notification.enabled", "BOOLEAN", "false"},
		{"event.notification.callback.url", "TEXTFIELD_1000", ""},
		{"event.notification.signature.key", "PASSWORD", ""},
		{"event.vendor.type", "TEXTFIELD_32", ""},
		{"filter.response.nulls", "BOOLEAN", "true"},
	} {
		if seen[std.key] {
			continue
		}
		d := cloudelements.ConfigDefinition{Key: std.key, Name: std.key, Type: std.typ}
		if std.def != "" {
			v := std.def
			d.DefaultValue = &v
		}
		out = append(out, d)
	}
	return out
}

func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return strings.EqualFold(t, "true")
	}
	return false
}

func scalar(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		if t {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// Hub is a definition's hub, lower-cased as the server stores it.
func Hub(def map[string]any) string {
	h, _ := def["hub"].(string)
	return strings.ToLower(h)
}

// AuthenticationType is a definition's authentication.type.
func AuthenticationType(def map[string]any) string {
	a, _ := def["authentication"].(map[string]any)
	t, _ := a["type"].(string)
	return t
}

// Resources returns a definition's resources as objects.
func Resources(def map[string]any) []map[string]any {
	return jsonvalue.Objects(def["resources"])
}

// AccountResource reports whether a resource of an element's answer
// belongs to the account (an extension) rather than to the catalog:
// ownerAccountId 1 is the system account
// (doctor-core:src/core/elements/createElements.js#L28-L45; element-get--2).
func AccountResource(r map[string]any) bool {
	v, ok := scalar(r["ownerAccountId"])
	return ok && v != "1"
}

// Keys lists the ResourceKey of each resource, in order.
func Keys(rs []map[string]any) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = ResourceKey(r)
	}
	return out
}

// Contains reports whether key is one of keys.
func Contains(keys []string, key string) bool { return slices.Contains(keys, key) }

// StoredFor is Stored for an element whose state holds prior and whose
// sensitive defaults set keys: a secret entry the server holds only
// because sensitive_defaults added it (prior does not list it) is left out
// too, so it is no difference.
func StoredFor(body json.RawMessage, prior string, sensitiveKeys []string) (string, error) {
	stored, err := Stored(body)
	if err != nil || len(sensitiveKeys) == 0 {
		return stored, err
	}
	def, _ := Parse(stored)
	listed := map[string]bool{}
	if p, err := Parse(prior); err == nil {
		for _, e := range jsonvalue.Objects(p["configuration"]) {
			k, _ := e["key"].(string)
			listed[k] = true
		}
	}
	cfg, _ := def["configuration"].([]any)
	kept := make([]any, 0, len(cfg))
	for _, item := range cfg {
		e, _ := item.(map[string]any)
		k, _ := e["key"].(string)
		if slices.Contains(sensitiveKeys, k) && !listed[k] {
			continue
		}
		kept = append(kept, item)
	}
	if cfg != nil {
		def["configuration"] = kept
	}
	b, err := json.Marshal(def)
	return string(b), err
}

// ClearDefaults returns the default values an answer shows in clear for
// keys (not masked, not empty, not omitted).
func ClearDefaults(body json.RawMessage, keys []string) map[string]string {
	def, err := Parse(string(body))
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, e := range jsonvalue.Objects(def["configuration"]) {
		k, _ := e["key"].(string)
		v, _ := e["defaultValue"].(string)
		if slices.Contains(keys, k) && v != "" && v != Masked {
			out[k] = v
		}
	}
	return out
}

// Leftovers lists what an answer to a write still holds that the request
// body does not: the ids of its resources (by method and path) and the keys
// of its configuration entries (those the server adds to every element
// aside). A PUT that keeps what its body leaves out leaves them behind.
func Leftovers(body, answer json.RawMessage) (resourceIDs []int64, configKeys []string) {
	sent, err := Parse(string(body))
	if err != nil {
		return nil, nil
	}
	got, err := Parse(string(answer))
	if err != nil {
		return nil, nil
	}
	want := map[string]bool{}
	for _, r := range Resources(sent) {
		want[ResourceKey(r)] = true
	}
	for _, r := range Resources(got) {
		if !want[ResourceKey(r)] {
			if id, ok := scalar(r["id"]); ok {
				if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
					resourceIDs = append(resourceIDs, n)
				}
			}
		}
	}
	keys := map[string]bool{}
	for _, e := range jsonvalue.Objects(sent["configuration"]) {
		k, _ := e["key"].(string)
		keys[k] = true
	}
	for _, e := range jsonvalue.Objects(got["configuration"]) {
		if k, _ := e["key"].(string); k != "" && !keys[k] && !serverAddedEntry(k) {
			configKeys = append(configKeys, k)
		}
	}
	sort.Strings(configKeys)
	return resourceIDs, configKeys
}

// Differences names, sorted, the parts in which two definitions differ
// once compared as elements ("resources[GET /contacts]",
// "configuration[base.url]", "hub"), for messages; nil when they are
// equivalent or either is not an element.
func Differences(a, b string) []string {
	da, errA := Parse(a)
	db, errB := Parse(b)
	if errA != nil || errB != nil {
		return nil
	}
	ca, cb := comparable(canonical(da), canonical(db))
	var out []string
	keys := map[string]bool{}
	for k := range ca {
		keys[k] = true
	}
	for k := range cb {
		keys[k] = true
	}
	for k := range keys {
		ma, okA := ca[k].(map[string]any)
		mb, okB := cb[k].(map[string]any)
		if okA && okB && (k == "resources" || k == "configuration" || k == "hooks" || k == "parameters" || k == "objects") {
			parts := map[string]bool{}
			for p := range ma {
				parts[p] = true
			}
			for p := range mb {
				parts[p] = true
			}
			for p := range parts {
				if !reflect.DeepEqual(ma[p], mb[p]) {
					out = append(out, k+"["+p+"]")
				}
			}
			continue
		}
		if !reflect.DeepEqual(ca[k], cb[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
