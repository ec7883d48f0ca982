// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Custom elements (the Element Builder's private connectors) and the
// resources an account adds to catalog elements (SPEC.md, "Custom
// elements"). Every handler runs with Server.mu held.

const (
	// customIDBase is the first id of a custom element: above every
	// catalog id (documented ids, or syntheticIDBase + index).
	customIDBase = 500000
	// mockAccountID owns the account's resources (ownerAccountId); the
	// catalog's own resources belong to the system account, 1.
	mockAccountID = 2001
	// systemResourceIDBase + 10 * the element's id + n is the id of a
	// catalog element's n-th own resource: apart from every other id.
	systemResourceIDBase = 90000000
	systemAccount        = 1
	exportRoute          = "/elements/{keyOrId}/export"
)

// customStore holds the custom elements and the account's resources on
// catalog elements. Its zero value is empty and usable.
type customStore struct {
	byID   map[int64]*customElement
	lastID int64
	// extensions are the account's resources on catalog elements, by
	// catalog element id.
	extensions map[int64][]map[string]any
}

// customElement is one private element: body is the element as the API
// answers it (server fields included, secret defaults in clear).
type customElement struct {
	id   int64
	body map[string]any
	elem *element // what instances of it see
}

func (cs *customStore) newID() int64 {
	if cs.lastID == 0 {
		cs.lastID = customIDBase
	}
	cs.lastID++
	return cs.lastID
}

// byKey returns the private element with that key (nil when none).
func (cs *customStore) byKey(key string) *customElement {
	for _, id := range cs.ids() {
		if c := cs.byID[id]; stringField(c.body, "key") == key {
			return c
		}
	}
	return nil
}

func (cs *customStore) ids() []int64 {
	out := make([]int64, 0, len(cs.byID))
	for id := range cs.byID {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// findElement resolves {keyOrId} of a URL: a numeric id names a custom or
// a catalog element; a key names the private element with that key first,
// then the catalog's: "GET /resources will always return private element
// resources if exists" (doctor-core:src/core/elements/createElements.js#L30,
// #L106-L107).
func (s *Server) findElement(keyOrID string) (*element, *customElement, bool) {
	if id, err := strconv.ParseInt(keyOrID, 10, 64); err == nil {
		if c := s.customs.byID[id]; c != nil {
			return c.elem, c, true
		}
	} else if c := s.customs.byKey(keyOrID); c != nil {
		return c.elem, c, true
	}
	e, ok := lookupElement(keyOrID)
	return e, nil, ok
}

// elementForKey is findElement for an element named by key in a body.
func (s *Server) elementForKey(key string) (*element, bool) {
	if c := s.customs.byKey(key); c != nil {
		return c.elem, true
	}
	return elementByKey(key)
}

func (s *Server) elementForID(id int64) (*element, bool) {
	if c := s.customs.byID[id]; c != nil {
		return c.elem, true
	}
	return elementByID(id)
}

// elementOf returns the element of a stored instance (custom ones first).
func (s *Server) elementOf(in Instance) *element {
	if c := s.customs.byID[in.ElementID]; c != nil {
		return c.elem
	}
	return elementOf(in)
}

// serveElements serves GET and POST /elements, and everything under
// /elements/{keyOrId} that is not a catalog read.
func (s *Server) serveElements(rc *reqCtx) result {
	if st := s.readings.catalogStatus; st != 0 && rc.method == http.MethodGet {
		return rc.fail(st, "%s", http.StatusText(st))
	}
	switch rc.rm.route {
	case "/elements":
		if rc.method == http.MethodPost {
			return s.createCustomElement(rc)
		}
		return s.listAllElements(rc)
	case "/elements/{keyOrId}":
		switch rc.method {
		case http.MethodPut:
			return s.replaceCustomElement(rc)
		case http.MethodDelete:
			return s.deleteCustomElement(rc)
		}
	case exportRoute:
		return s.exportElement(rc)
	case "/elements/{keyOrId}/configuration/{configKey}":
		return s.deleteConfigurationEntry(rc)
	case "/elements/{keyOrId}/resources", "/elements/{keyOrId}/resources/{resourceId}":
		return s.serveElementResources(rc)
	}
	kid := rc.rm.params["keyOrId"]
	if _, c, _ := s.findElement(kid); c != nil {
		return s.customRead(rc, c)
	}
	res := s.catalogRead(rc)
	if rc.rm.route == "/elements/{keyOrId}" && res.status == http.StatusOK {
		if e, _, _ := s.findElement(kid); e != nil {
			if ext := s.customs.extensions[e.ID]; len(ext) > 0 {
				// A catalog element's answer carries the account's resources
				// too (churros:src/test/platform/elementbuilder/elementextend.js#L39-L46).
				out, _ := res.body.(map[string]any)
				out["resources"] = s.resourcesOf(e, false)
				out["extended"] = true
			}
		}
	}
	return res
}

// customRead serves GET /elements/{keyOrId}[/configuration|/metadata] of a
// custom element.
func (s *Server) customRead(rc *reqCtx, c *customElement) result {
	if st := s.readings.catalogStatus; st != 0 {
		return rc.fail(st, "%s", http.StatusText(st))
	}
	body := s.answerBody(c)
	switch rc.rm.route {
	case "/elements/{keyOrId}/configuration":
		return ok(body["configuration"])
	case "/elements/{keyOrId}/metadata":
		return ok(map[string]any{"id": c.id, "key": c.elem.Key, "name": c.elem.Name,
			"description": body["description"], "events": c.elem.events()})
	case oauthURLRoute:
		return oauthURL(rc, c.elem)
	}
	return ok(body)
}

// answerBody is a custom element as GET, POST and PUT answer it, secret
// default values shown under the ElementSecrets reading.
func (s *Server) answerBody(c *customElement) map[string]any {
	out := copyObject(c.body)
	cfg, _ := objects(out, "configuration")
	for _, e := range cfg {
		if !secretEntry(e) || e["defaultValue"] == nil {
			continue
		}
		switch s.readings.elementSecrets {
		case ElementSecretsMasked:
			e["defaultValue"] = Masked
		case ElementSecretsOmitted:
			delete(e, "defaultValue")
		}
	}
	return out
}

// secretEntry: a PASSWORD entry, or one whose key names a secret
// (the keys ENDPOINTS lists as secrets: oauth.api.secret, jks.password, ...).
func secretEntry(e map[string]any) bool {
	k := stringField(e, "key")
	return strings.EqualFold(stringField(e, "type"), "PASSWORD") || (secretLike(k) && k != "oauth.api.key")
}

var hubPrefix = regexp.MustCompile(`^/hubs/[^/]+`)

// createCustomElement serves POST /elements: the whole definition, rewritten
// as the documented create pair shows (devportal:docs/legacy/element-builder/create-via-api.md,
// the request at #L59-119, the answer at #L138-375).
func (s *Server) createCustomElement(rc *reqCtx) result {
	body, err := decodeJSONObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	name := stringField(body, "name")
	if name == "" {
		return rc.fail(http.StatusBadRequest, "'name' is required")
	}
	key := stringField(body, "key")
	if key == "" {
		// "Twitter" -> "twitter" (#L141)
		key = strings.ToLower(strings.Join(strings.Fields(name), ""))
	}
	if s.customs.byKey(key) != nil {
		// The generic conflict answer (devportal:_includes/error-codes.md#L5-L27):
		// no source shows a duplicate element key.
		return rc.fail(http.StatusConflict, "An element with key '%s' already exists", key)
	}
	if s.customs.byID == nil {
		s.customs.byID = map[int64]*customElement{}
	}
	c := &customElement{id: s.customs.newID()}
	if res := s.storeCustomElement(rc, c, body, key, nil); res != nil {
		return *res
	}
	s.customs.byID[c.id] = c
	return ok(s.answerBody(c))
}

// storeCustomElement rewrites body as the server stores it and sets c from
// it; prior is the stored body a PUT replaces (nil on create).
func (s *Server) storeCustomElement(rc *reqCtx, c *customElement, body map[string]any, key string, prior map[string]any) *result {
	auth, _ := body["authentication"].(map[string]any)
	if stringField(auth, "type") == "" {
		// element.schema.json requires authentication
		// (churros:src/test/platform/elements/assets/element.schema.json#L137-L142).
		r := rc.fail(http.StatusBadRequest, "'authentication.type' is required")
		return &r
	}
	now := s.now().UTC().Truncate(time.Second).Format(time.RFC3339)
	if prior != nil && s.readings.elementPut == ElementPutMerge {
		body = mergeElement(prior, body)
	}
	body["id"], body["key"] = c.id, key
	if prior != nil {
		body["createdDate"] = prior["createdDate"]
		body["updatedDate"] = now
	} else {
		body["createdDate"] = now
	}
	hub := strings.ToLower(stringField(body, "hub")) // "Social" -> "social" (#L63 vs #L373)
	if hub != "" {
		body["hub"] = hub
	}
	for k, v := range map[string]any{"active": true, "deleted": false, "typeOauth": false, "trialAccount": false,
		"transformationsEnabled": true, "parameters": []any{}} { // #L369-374
		setDefault(body, k, v)
	}
	body["private"], body["extended"] = true, false
	priorIDs := map[string]any{}
	if prior != nil {
		pr, _ := objects(prior, "resources")
		for _, r := range pr {
			priorIDs[resourceKey(r)] = r["id"]
		}
	}
	rs, err := objects(body, "resources")
	if err != nil {
		r := rc.fail(http.StatusBadRequest, "%v", err)
		return &r
	}
	for _, r := range rs {
		id := priorIDs[resourceKey(r)]
		if id == nil {
			id = s.customs.newID()
		}
		s.stampResource(r, id, hub, now)
	}
	if hs, _ := objects(body, "hooks"); hs != nil {
		for _, h := range hs {
			setDefault(h, "id", s.customs.newID())
			h["elementId"] = c.id
			setDefault(h, "isLegacy", false)
		}
	}
	ps, _ := objects(body, "parameters")
	for _, p := range ps {
		setDefault(p, "id", s.customs.newID())
		p["elementId"], p["createdDate"] = c.id, now
	}
	name := stringField(body, "name")
	body["configuration"] = s.expandConfiguration(body, name)
	c.body = body
	c.elem = customToElement(c.id, key, name, body)
	return nil
}

// mergeElement is the ElementPutMerge reading: the configuration entries,
// resources and hooks the body leaves out are kept.
func mergeElement(prior, body map[string]any) map[string]any {
	for _, list := range []struct{ name, by string }{{"configuration", "key"}, {"resources", ""}, {"hooks", "type"}} {
		old, _ := objects(prior, list.name)
		sent, _ := objects(body, list.name)
		id := func(o map[string]any) string {
			if list.by == "" {
				return resourceKey(o)
			}
			return stringField(o, list.by)
		}
		have := map[string]bool{}
		for _, o := range sent {
			have[id(o)] = true
		}
		out := make([]any, 0, len(old)+len(sent))
		for _, o := range sent {
			out = append(out, o)
		}
		for _, o := range old {
			if !have[id(o)] {
				out = append(out, copyObject(o))
			}
		}
		body[list.name] = out
	}
	return body
}

// stampResource writes the server fields of a resource: its id, dates,
// owner (the account), type "api", the /hubs/{hub} path prefix (create-via-api.md#L100 vs
// #L346), and its parameters' ids and source "request".
func (s *Server) stampResource(r map[string]any, id any, hub, now string) {
	r["id"], r["ownerAccountId"] = id, mockAccountID
	setDefault(r, "createdDate", now)
	setDefault(r, "type", "api")
	if p := stringField(r, "path"); hub != "" && !hubPrefix.MatchString(p) {
		r["path"] = "/hubs/" + hub + p
	}
	ps, _ := objects(r, "parameters")
	for _, p := range ps {
		setDefault(p, "id", s.customs.newID())
		p["resourceId"], p["createdDate"] = id, now
		setDefault(p, "source", "request")
	}
	hs, _ := objects(r, "hooks")
	for _, h := range hs {
		setDefault(h, "id", s.customs.newID())
		h["resourceId"] = id
		setDefault(h, "isLegacy", false)
	}
}

// resourceKey identifies a resource: method and path without the hub
// prefix (doctor matches by method + path + type: createElements.js#L163-L168).
func resourceKey(r map[string]any) string {
	return strings.ToUpper(stringField(r, "method")) + " " + hubPrefix.ReplaceAllString(stringField(r, "path"), "")
}

// serverConfiguration are the entries the create adds when the definition
// lacks them (create-via-api.md#L148-340).
var serverConfiguration = []struct{ key, name, typ, def string }{
	{"pagination.max", "Max Page Size", "TEXTFIELD_32", "100"},
	{"pagination.offset", "Pagination Offset", "BOOLEAN", "false"},
	{"event.vendor.type", "Event Type", "TEXTFIELD_32", "webhook"},
	{"event.notification.instance.finder", "Event Instance Finder", "TEXTFIELD_64", ""},
	{"event.notification.enabled", "Events Enabled", "BOOLEAN", "false"},
	{"event.notification.callback.url", "Event Notification Callback URL", "TEXTFIELD_128", ""},
}

// expandConfiguration expands every entry as the create does (a
// {key, defaultValue} pair gets a name, a description, a type and flags)
// and adds the server's default entries.
func (s *Server) expandConfiguration(body map[string]any, name string) []any {
	cfg, _ := objects(body, "configuration")
	out := make([]any, 0, len(cfg)+len(serverConfiguration))
	seen := map[string]bool{}
	add := func(e map[string]any) {
		k := stringField(e, "key")
		seen[k] = true
		setDefault(e, "id", s.customs.newID())
		setDefault(e, "name", k)
		setDefault(e, "description", name+" "+stringField(e, "name"))
		typ := "TEXTFIELD_128"
		if secretEntry(e) {
			typ = "PASSWORD"
		}
		setDefault(e, "type", typ)
		for f, v := range map[string]any{"required": false, "hideFromConsole": false, "internal": false, "active": true,
			"resellerConfig": false, "companyConfig": false, "displayOrder": len(out) + 1} {
			setDefault(e, f, v)
		}
		out = append(out, e)
	}
	for _, e := range cfg {
		if k := stringField(e, "key"); k != "" && !seen[k] {
			add(e)
		}
	}
	for _, d := range serverConfiguration {
		if seen[d.key] {
			continue
		}
		e := map[string]any{"key": d.key, "name": d.name, "type": d.typ}
		if d.def != "" {
			e["defaultValue"] = d.def
		}
		add(e)
	}
	return out
}

// customToElement is what instances of a custom element see: its
// configuration entries as inputs (required when required and without a
// default), their defaults as the server keys, its secret entries masked.
func customToElement(id int64, key, name string, body map[string]any) *element {
	auth, _ := body["authentication"].(map[string]any)
	e := &element{ID: id, Key: key, Name: name, documented: true, serverKeys: map[string]*string{},
		OAuth: strings.HasPrefix(strings.ToLower(stringField(auth, "type")), "oauth")}
	cfg, _ := objects(body, "configuration")
	for _, c := range cfg {
		k := stringField(c, "key")
		def, hasDef := scalarText(c["defaultValue"])
		typ := stringField(c, "type")
		e.inputs = append(e.inputs, ElementInput{Key: k, Type: typ, Required: c["required"] == true && !hasDef})
		if hasDef && def != "" {
			e.serverKeys[k] = &def
		}
		if secretEntry(c) {
			e.masked = append(e.masked, k)
		}
	}
	if v := e.serverKeys["event.vendor.type"]; v != nil {
		e.vendorType = *v
		e.methods = []string{*v}
	}
	obj, _ := json.Marshal(map[string]any{"id": id, "key": key, "name": name, "description": body["description"],
		"authentication": body["authentication"], "hub": body["hub"], "private": true})
	e.object = obj
	return e
}

func scalarText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case int:
		return strconv.Itoa(t), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	}
	return "", false
}

// replaceCustomElement serves PUT /elements/{keyOrId}: the whole element
// (churros:src/test/platform/elements/elements.js#L34;
// doctor-core:src/core/elements/createElements.js#L143-L156), replacing it
// (the default reading) or keeping what the body leaves out (merge).
// The key stays (the provider replaces an element to change it: whether PUT
// can is not documented). A catalog element cannot be replaced.
func (s *Server) replaceCustomElement(rc *reqCtx) result {
	kid := rc.rm.params["keyOrId"]
	_, c, found := s.findElement(kid)
	if !found {
		return rc.fail(http.StatusNotFound, "No element found with key or id '%s'", kid)
	}
	if c == nil {
		return rc.fail(http.StatusNotFound, "No private element found with key or id '%s'", kid)
	}
	body, err := decodeJSONObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	name := stringField(body, "name")
	if name == "" {
		return rc.fail(http.StatusBadRequest, "'name' is required")
	}
	next := &customElement{id: c.id}
	if res := s.storeCustomElement(rc, next, body, c.elem.Key, c.body); res != nil {
		return *res
	}
	*c = *next
	return ok(s.answerBody(c))
}

// deleteCustomElement serves DELETE /elements/{keyOrId}
// (churros:src/test/platform/elements/elements.js#L44). Whether instances
// block it is not documented: under the ElementInUseStatus reading they do.
func (s *Server) deleteCustomElement(rc *reqCtx) result {
	kid := rc.rm.params["keyOrId"]
	_, c, found := s.findElement(kid)
	if !found {
		return rc.fail(http.StatusNotFound, "No element found with key or id '%s'", kid)
	}
	if c == nil {
		return rc.fail(http.StatusForbidden, "Element '%s' is a catalog element and cannot be deleted", kid)
	}
	var using []string
	for _, rec := range s.sortedRecords() {
		if in := rec.inst; in.ElementID == c.id {
			using = append(using, strconv.FormatInt(in.ID, 10))
		}
	}
	if len(using) > 0 && s.readings.elementInUse != 0 {
		return rc.fail(s.readings.elementInUse, "Element '%s' has element instances (%s); delete them first",
			c.elem.Key, strings.Join(using, ", "))
	}
	delete(s.customs.byID, c.id)
	return ok(struct{}{})
}

// deleteConfigurationEntry serves DELETE
// /elements/{keyOrId}/configuration/{configKey} of a custom element: entries
// are addressed by key (churros:src/test/platform/elements/configuration.js#L9-L19).
func (s *Server) deleteConfigurationEntry(rc *reqCtx) result {
	kid, key := rc.rm.params["keyOrId"], rc.rm.params["configKey"]
	_, c, found := s.findElement(kid)
	if !found || c == nil {
		return rc.fail(http.StatusNotFound, "No private element found with key or id '%s'", kid)
	}
	cfg, _ := c.body["configuration"].([]any)
	i := slices.IndexFunc(cfg, func(v any) bool { e, _ := v.(map[string]any); return stringField(e, "key") == key })
	if i < 0 {
		return rc.fail(http.StatusNotFound, "No configuration '%s' for element '%s'", key, c.elem.Key)
	}
	c.body["configuration"] = slices.Delete(cfg, i, i+1)
	c.elem = customToElement(c.id, c.elem.Key, c.elem.Name, c.body)
	return ok(struct{}{})
}

// exportElement serves GET /elements/{keyOrId}/export: a custom element
// without resource ids and secret default values (as the exports of
// doctor-core's snapshot carry none); with extendedOnly=true, a catalog
// element with only the account's resources
// (doctor-core:src/core/elements/getElements.js#L85-L107).
func (s *Server) exportElement(rc *reqCtx) result {
	kid := rc.rm.params["keyOrId"]
	e, c, found := s.findElement(kid)
	if !found {
		return rc.fail(http.StatusNotFound, "No element found with key or id '%s'", kid)
	}
	var out map[string]any
	if c != nil {
		out = copyObject(c.body)
	} else {
		_ = json.Unmarshal(e.object, &out)
		out["configuration"] = e.definitions()
		out["resources"] = s.resourcesOf(e, strings.EqualFold(rc.query.Get("extendedOnly"), "true"))
		out["extended"] = len(s.customs.extensions[e.ID]) > 0
	}
	rs, _ := objects(out, "resources")
	for _, r := range rs {
		delete(r, "id")
	}
	cfg, _ := objects(out, "configuration")
	for _, entry := range cfg {
		if secretEntry(entry) {
			delete(entry, "defaultValue")
		}
	}
	return ok(out)
}

// listAllElements serves GET /elements: the catalog and the account's
// custom elements, narrowed by the CEQL clauses the vendor's asset tool
// sends (private='true', extended='true', key = 'k', abridged='true':
// doctor-core:src/core/elements/getPrivateElements.js#L28-L32,
// createElements.js#L108), paged with pageSize and nextPage (an offset
// token) when a where clause is given. No private element answers 404
// "No elements found", as the vendor's other listings do.
func (s *Server) listAllElements(rc *reqCtx) result {
	where := rc.query.Get("where")
	if where == "" {
		out, _ := listElements().body.([]json.RawMessage)
		for _, id := range s.customs.ids() {
			b, _ := json.Marshal(s.answerBody(s.customs.byID[id]))
			out = append(out, b)
		}
		return ok(out)
	}
	clauses := map[string]string{}
	for _, part := range regexp.MustCompile(`(?i)\s+AND\s+`).Split(where, -1) {
		m := regexp.MustCompile(`^\s*(\w+)\s*=\s*'((?:[^']|'')*)'\s*$`).FindStringSubmatch(part)
		if m == nil {
			return rc.fail(http.StatusBadRequest, "Invalid where clause: %s", where)
		}
		clauses[m[1]] = strings.ReplaceAll(m[2], "''", "'")
	}
	var all []map[string]any
	if clauses["private"] != "true" {
		for _, e := range loadCatalog().list {
			var obj map[string]any
			_ = json.Unmarshal(e.object, &obj)
			obj["private"] = false
			obj["extended"] = len(s.customs.extensions[e.ID]) > 0
			all = append(all, obj)
		}
	}
	for _, id := range s.customs.ids() {
		all = append(all, s.answerBody(s.customs.byID[id]))
	}
	var out []map[string]any
	for _, obj := range all {
		keep := true
		for k, v := range clauses {
			switch k {
			case "abridged":
			case "private", "extended":
				keep = keep && (obj[k] == true) == (v == "true")
			default:
				got, _ := scalarText(obj[k])
				keep = keep && got == v
			}
		}
		if keep {
			out = append(out, obj)
		}
	}
	if len(out) == 0 {
		return rc.fail(http.StatusNotFound, "No elements found")
	}
	return s.page(rc, out)
}

// page answers one page of items: pageSize (at most the server's page
// size), nextPage an offset token from the previous answer.
func (s *Server) page(rc *reqCtx, items []map[string]any) result {
	size := s.maxPageSize
	if n, err := strconv.Atoi(rc.query.Get("pageSize")); err == nil && n > 0 && n < size {
		size = n
	}
	start := 0
	if t := rc.query.Get("nextPage"); t != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(t, "offset-"))
		if err != nil || n < 0 {
			return rc.fail(http.StatusBadRequest, "Invalid nextPage token")
		}
		start = min(n, len(items))
	}
	end := min(start+size, len(items))
	res := ok(items[start:end])
	if end < len(items) {
		res.header = http.Header{"Elements-Next-Page-Token": {"offset-" + strconv.Itoa(end)}}
	}
	return res
}

// systemResources are a catalog element's own resources, as the catalog's
// answers show them (ownerAccountId 1: devportal:docs/elements/clover/clover.json).
// The mock's catalog holds no element's resource list, so each catalog
// element has two, named for its key.
func systemResources(e *element) []map[string]any {
	hub := "/hubs/" + e.hub()
	return []map[string]any{
		{"id": systemResourceIDBase + e.ID*10 + 1, "method": "GET", "path": hub + "/ping", "vendorPath": "/ping", "vendorMethod": "GET",
			"description": "Ping " + e.Name, "type": "api", "ownerAccountId": systemAccount},
		{"id": systemResourceIDBase + e.ID*10 + 2, "method": "GET", "path": hub + "/contacts", "vendorPath": "/contacts", "vendorMethod": "GET",
			"description": "List contacts", "type": "api", "ownerAccountId": systemAccount},
	}
}

// hub is the element's hub (its key when the catalog does not say), the
// prefix of its resource paths.
func (e *element) hub() string {
	var obj struct {
		Hub string `json:"hub"`
	}
	_ = json.Unmarshal(e.object, &obj)
	if obj.Hub == "" {
		return strings.ToLower(e.Key)
	}
	return strings.ToLower(obj.Hub)
}

// resourcesOf lists a catalog element's resources: its own, where an
// account resource with the same method and path overrides it
// (elementextend.js#L120-L133), then the account's; accountOnly lists the
// account's alone (elementextend.js#L49-L64).
func (s *Server) resourcesOf(e *element, accountOnly bool) []any {
	ext := s.customs.extensions[e.ID]
	over := map[string]bool{}
	for _, r := range ext {
		over[resourceKey(r)] = true
	}
	var out []any
	if !accountOnly {
		for _, r := range systemResources(e) {
			if !over[resourceKey(r)] {
				out = append(out, r)
			}
		}
	}
	for _, r := range ext {
		out = append(out, copyObject(r))
	}
	if out == nil {
		out = []any{}
	}
	return out
}

// serveElementResources serves /elements/{keyOrId}/resources[/{resourceId}]
// of a catalog element (an extension) or a custom element.
func (s *Server) serveElementResources(rc *reqCtx) result {
	kid := rc.rm.params["keyOrId"]
	e, c, found := s.findElement(kid)
	if !found {
		return rc.fail(http.StatusNotFound, "No element found with key or id '%s'", kid)
	}
	if c != nil {
		return s.customResources(rc, c)
	}
	rid, hasID := rc.rm.params["resourceId"]
	if !hasID {
		if rc.method == http.MethodGet {
			return ok(s.resourcesOf(e, strings.EqualFold(rc.query.Get("accountOnly"), "true")))
		}
		r, err := decodeJSONObject(rc.body)
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		if stringField(r, "method") == "" || stringField(r, "path") == "" {
			return rc.fail(http.StatusBadRequest, "'method' and 'path' are required")
		}
		k := resourceKey(r)
		for _, o := range s.customs.extensions[e.ID] {
			if resourceKey(o) == k {
				return rc.fail(http.StatusConflict, "Resource %s already exists for element '%s'", k, e.Key)
			}
		}
		s.stampResource(r, s.customs.newID(), e.hub(), s.now().UTC().Truncate(time.Second).Format(time.RFC3339))
		if s.customs.extensions == nil {
			s.customs.extensions = map[int64][]map[string]any{}
		}
		s.customs.extensions[e.ID] = append(s.customs.extensions[e.ID], r)
		return ok(copyObject(r))
	}
	id, _ := strconv.ParseInt(rid, 10, 64)
	ext := s.customs.extensions[e.ID]
	i := slices.IndexFunc(ext, func(r map[string]any) bool { v, _ := scalarText(r["id"]); return v == rid })
	if i < 0 {
		if rc.method == http.MethodGet {
			for _, r := range systemResources(e) {
				if r["id"] == id {
					return ok(r)
				}
			}
		}
		// The catalog's resources cannot be edited: their sub-resources
		// answer 404 (elementextend.js#L159-L188).
		return rc.fail(http.StatusNotFound, "No account resource with id '%s' for element '%s'", rid, e.Key)
	}
	switch rc.method {
	case http.MethodGet:
		return ok(copyObject(ext[i]))
	case http.MethodDelete:
		s.customs.extensions[e.ID] = slices.Delete(ext, i, i+1)
		return ok(struct{}{})
	}
	r, err := decodeJSONObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	s.stampResource(r, ext[i]["id"], e.hub(), stringField(ext[i], "createdDate"))
	ext[i] = r
	return ok(copyObject(r))
}

// customResources serves the resources of a custom element: they live in
// its body.
func (s *Server) customResources(rc *reqCtx, c *customElement) result {
	rs, _ := objects(c.body, "resources")
	rid, hasID := rc.rm.params["resourceId"]
	if !hasID {
		if rc.method == http.MethodGet {
			out := make([]any, len(rs))
			for i, r := range rs {
				out[i] = copyObject(r)
			}
			return ok(out)
		}
		r, err := decodeJSONObject(rc.body)
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		s.stampResource(r, s.customs.newID(), stringField(c.body, "hub"), s.now().UTC().Format(time.RFC3339))
		list, _ := c.body["resources"].([]any)
		c.body["resources"] = append(list, r)
		return ok(copyObject(r))
	}
	i := slices.IndexFunc(rs, func(r map[string]any) bool { v, _ := scalarText(r["id"]); return v == rid })
	if i < 0 {
		return rc.fail(http.StatusNotFound, "No resource with id '%s' for element '%s'", rid, c.elem.Key)
	}
	list, _ := c.body["resources"].([]any)
	switch rc.method {
	case http.MethodGet:
		return ok(copyObject(rs[i]))
	case http.MethodDelete:
		c.body["resources"] = slices.Delete(list, i, i+1)
		return ok(struct{}{})
	}
	r, err := decodeJSONObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	s.stampResource(r, rs[i]["id"], stringField(c.body, "hub"), stringField(rs[i], "createdDate"))
	list[i] = r
	return ok(copyObject(r))
}

// CustomElement is a copy of one custom element as the server holds it
// (secret defaults in clear), for tests.
type CustomElement struct {
	ID   int64
	Key  string
	Body map[string]any
}

// CustomElements returns copies of every custom element, by id.
func (s *Server) CustomElements() []CustomElement {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CustomElement
	for _, id := range s.customs.ids() {
		c := s.customs.byID[id]
		out = append(out, CustomElement{ID: c.id, Key: c.elem.Key, Body: copyObject(c.body)})
	}
	return out
}

// MutateCustomElement changes the stored element with that key as a
// console edit would (fn edits the body; the key and id stay); false when
// there is none.
func (s *Server) MutateCustomElement(key string, fn func(body map[string]any)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customs.byKey(key)
	if c == nil {
		return false
	}
	fn(c.body)
	c.body["id"], c.body["key"] = c.id, key
	c.elem = customToElement(c.id, key, stringField(c.body, "name"), c.body)
	return true
}

// AccountResources returns copies of the account's resources on the
// catalog element with that key, sorted by method and path.
func (s *Server) AccountResources(catalogKey string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := elementByKey(catalogKey)
	if !ok {
		return nil
	}
	var out []map[string]any
	for _, r := range s.customs.extensions[e.ID] {
		out = append(out, copyObject(r))
	}
	sort.Slice(out, func(i, j int) bool { return resourceKey(out[i]) < resourceKey(out[j]) })
	return out
}

// ElementResources returns a catalog element's resources as GET
// /elements/{key}/resources lists them (overrides applied), for tests.
func (s *Server) ElementResources(catalogKey string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := elementByKey(catalogKey)
	if !ok {
		return nil
	}
	var out []map[string]any
	for _, r := range s.resourcesOf(e, false) {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// MutateAccountResources changes the account's resources on a catalog
// element as console edits would; false when the key is not a catalog
// element.
func (s *Server) MutateAccountResources(catalogKey string, fn func([]map[string]any) []map[string]any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := elementByKey(catalogKey)
	if !ok {
		return false
	}
	if s.customs.extensions == nil {
		s.customs.extensions = map[int64][]map[string]any{}
	}
	s.customs.extensions[e.ID] = fn(s.customs.extensions[e.ID])
	return true
}
