// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

const oauthURLRoute = "/elements/{keyOrId}/oauth/url"

// eventsJSON is what the catalog knows of an element's events.
type eventsJSON struct {
	Supported bool     `json:"supported"`
	Methods   []string `json:"methods"`
}

func (e *element) events() eventsJSON {
	return eventsJSON{Supported: len(e.methods) > 0, Methods: append([]string{}, e.methods...)}
}

// catalogRead serves GET /elements, and GET /elements/{keyOrId}
// [/configuration|/metadata|/oauth/url] (s.mu held).
func (s *Server) catalogRead(rc *reqCtx) result {
	if st := s.readings.catalogStatus; st != 0 {
		return rc.fail(st, "%s", http.StatusText(st))
	}
	if rc.rm.route == "/elements" {
		return listElements()
	}
	kid := rc.rm.params["keyOrId"]
	e, found := catalogElement(kid)
	if !found {
		return rc.fail(http.StatusNotFound, "No element found with key or id '%s'", kid)
	}
	switch rc.rm.route {
	case "/elements/{keyOrId}/configuration":
		return ok(e.definitions())
	case "/elements/{keyOrId}/metadata":
		return ok(map[string]any{"id": e.ID, "key": e.Key, "name": e.Name,
			"description": e.description(), "events": e.events()})
	case oauthURLRoute:
		return oauthURL(rc, e)
	}
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(e.object, &obj) // built by json.Marshal: cannot fail
	out := map[string]any{}
	for k, v := range obj {
		out[k] = v
	}
	out["configuration"] = e.definitions()
	if len(e.methods) > 0 {
		out["events"] = e.events()
	}
	return ok(out)
}

// description is the element object's description, "" when it has none.
func (e *element) description() string {
	var obj struct {
		Description string `json:"description"`
	}
	_ = json.Unmarshal(e.object, &obj)
	return obj.Description
}

// oauthURL serves GET /elements/{keyOrId}/oauth/url: the provider's
// authorization URL for the given client, never carrying apiSecret.
func oauthURL(rc *reqCtx, e *element) result {
	if !e.OAuth {
		return rc.fail(http.StatusBadRequest, "Element '%s' does not authenticate with OAuth", e.Key)
	}
	q := rc.query
	apiKey, callback := q.Get("apiKey"), q.Get("callbackUrl")
	if apiKey == "" || callback == "" {
		return rc.fail(http.StatusBadRequest, "'apiKey' and 'callbackUrl' are required")
	}
	base := "https://" + url.PathEscape(e.Key) + ".oauth.example.com/authorize"
	if v := e.serverKeys["oauth.authorization.url"]; v != nil && absoluteURL(*v) {
		base = *v
	}
	params := [][2]string{{"response_type", "code"}, {"client_id", apiKey}, {"redirect_uri", callback}}
	for _, name := range []string{"state", "scope"} {
		if q.Has(name) {
			params = append(params, [2]string{name, q.Get(name)})
		}
	}
	var b strings.Builder
	b.WriteString(base)
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	for _, p := range params {
		b.WriteString(sep + p[0] + "=" + url.QueryEscape(p[1]))
		sep = "&"
	}
	return ok(map[string]string{"oauthUrl": b.String(), "element": e.Key})
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// listElements serves GET /elements: the element objects (id, key, name,
// ...), as documented at docs.cloud-elements.com/home/elements-api-reference
// ("List Element"). The documented paging (pageSize at most 200, the
// Elements-Next-Page-Token header) is not modelled: the catalog holds fewer
// elements than one page.
func listElements() result {
	list := loadCatalog().list
	out := make([]json.RawMessage, len(list))
	for i, e := range list {
		out[i] = e.object
	}
	return ok(out)
}
