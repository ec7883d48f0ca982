// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// catalogJSON is the element catalog distilled from the vendor's documented
// create requests and responses; every entry names its sources.
//
//go:embed catalog/elements.json
var catalogJSON []byte

// syntheticIDBase + the entry's index is the id of an element whose
// documented id is missing or shared with another element.
const syntheticIDBase = 100000

// catalogEntry is one element of catalog/elements.json.
type catalogEntry struct {
	Key           string                     `json:"key"`
	ID            *int64                     `json:"id"`
	Name          string                     `json:"name"`
	OAuth         bool                       `json:"oauth"`
	Element       map[string]json.RawMessage `json:"element"`
	Inputs        []ElementInput             `json:"inputs"`
	ServerKeys    map[string]*string         `json:"serverKeys"`
	Credentials   map[string]*string         `json:"credentials"`
	Masked        []string                   `json:"masked"`
	Configuration string                     `json:"configuration"` // populated, empty or absent
	Tags          string                     `json:"tags"`          // absent, strings or objects
	Anomalies     []string                   `json:"anomalies"`
	Events        struct {
		VendorType string   `json:"vendorType"`
		Methods    []string `json:"methods"`
	} `json:"events"`
	TopLevel struct {
		EventsNotificationCallbackURL *string `json:"eventsNotificationCallbackUrl"`
	} `json:"topLevel"`
}

// element is one element as the mock serves it. Catalog elements are built
// once and never changed.
type element struct {
	ID    int64
	Key   string
	Name  string
	OAuth bool // create requires providerData.code
	// documented: the docs show the server's configuration for this element
	// (serverKeys, credentials, masking); else only the stated defaults apply.
	documented  bool
	inputs      []ElementInput
	serverKeys  map[string]*string
	credentials map[string]*string
	masked      []string
	vendorType  string
	methods     []string
	callbackOff *string // top-level eventsNotificationCallbackUrl while events are off
	tagObjects  bool    // tags are answered as {"id", "name"} objects
	object      json.RawMessage
}

// fakeElement is synthetic, for tests: no OAuth, no inputs, no server keys.
var fakeElement = &element{ID: 1, Key: "fake", Name: "Fake",
	object: json.RawMessage(`{"id":1,"key":"fake","name":"Fake"}`)}

type catalogIndex struct {
	list  []*element // fake first, then the file's order
	byKey map[string]*element
	byID  map[int64]*element
}

var (
	catalogOnce sync.Once
	catalogData *catalogIndex
)

// loadCatalog parses the embedded catalog on first use.
func loadCatalog() *catalogIndex {
	catalogOnce.Do(func() {
		c, err := buildCatalog(catalogJSON)
		if err != nil {
			panic("mockapi: embedded catalog: " + err.Error())
		}
		catalogData = c
	})
	return catalogData
}

// instanceFieldsInElement are instance fields some documented responses
// nest inside "element" (the entry's anomalies say so); they are dropped
// from the element object.
var instanceFieldsInElement = []string{"provisionInteractions", "valid", "disabled", "configuration",
	"eventsEnabled", "elementId", "user", "externalAuthentication", "eventsNotificationCallbackUrl",
	"cachingEnabled", "traceLoggingEnabled", "maxCacheSize", "cacheTimeToLive"}

func buildCatalog(data []byte) (*catalogIndex, error) {
	var file struct {
		Elements []catalogEntry `json:"elements"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, err
	}
	uses := map[int64]int{fakeElement.ID: 1}
	for _, ce := range file.Elements {
		if ce.ID != nil {
			uses[*ce.ID]++
		}
	}
	c := &catalogIndex{list: []*element{fakeElement}, byKey: map[string]*element{fakeElement.Key: fakeElement},
		byID: map[int64]*element{fakeElement.ID: fakeElement}}
	for i, ce := range file.Elements {
		id := int64(syntheticIDBase + i)
		if ce.ID != nil && uses[*ce.ID] == 1 {
			id = *ce.ID
		}
		e, err := newCatalogElement(ce, id)
		if err != nil {
			return nil, fmt.Errorf("element %q: %v", ce.Key, err)
		}
		if c.byKey[e.Key] != nil || c.byID[e.ID] != nil {
			return nil, fmt.Errorf("element %q: duplicate key or id %d", e.Key, e.ID)
		}
		c.list = append(c.list, e)
		c.byKey[e.Key], c.byID[e.ID] = e, e
	}
	return c, nil
}

func newCatalogElement(ce catalogEntry, id int64) (*element, error) {
	e := &element{ID: id, Key: ce.Key, Name: ce.Name, OAuth: ce.OAuth,
		documented: ce.Configuration == "populated", serverKeys: ce.ServerKeys, credentials: ce.Credentials,
		masked: ce.Masked, vendorType: ce.Events.VendorType, methods: ce.Events.Methods,
		tagObjects: ce.Tags == "objects"}
	for _, in := range ce.Inputs {
		in.Type = definitionType(in.Key, in.Type)
		e.inputs = append(e.inputs, in)
	}
	if oauthAuthentication(ce.Element) {
		e.inputs = withOAuthInputs(e.inputs)
	}
	// URL values were shown with events on (they are the example's callback)
	if v := ce.TopLevel.EventsNotificationCallbackURL; v != nil && *v == "false" {
		e.callbackOff = v
	}
	obj := map[string]json.RawMessage{}
	for k, v := range ce.Element {
		obj[k] = v
	}
	if slices.ContainsFunc(ce.Anomalies, func(a string) bool { return strings.Contains(a, "nested inside `element`") }) {
		for _, k := range instanceFieldsInElement {
			delete(obj, k)
		}
	}
	obj["id"] = json.RawMessage(strconv.FormatInt(id, 10))
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	e.object = raw
	return e, nil
}

// oauthInputKeys are the configuration keys of an OAuth create: the
// client id, its secret and the redirect URL
// (https://docs.cloud-elements.com/home/authenticate-instance-api, "OAuth2:
// key, providerData.code, oauth.api.key, oauth.api.secret,
// oauth.callback.url"; the Parameters table of every element's events page,
// e.g. cloud-elements/devportal@dad35730983a:docs/elements/egnyte/events.md).
var oauthInputKeys = []string{"oauth.callback.url", "oauth.api.key", "oauth.api.secret"}

// oauthAuthentication reports whether an element object's authentication
// type ({"authentication": {"type": ...}}, as GET /elements/{key} answers
// it) is OAuth (oauth, oauth1 or oauth2). This, not the entry's "oauth"
// flag (its documented create sent providerData.code), makes an element
// OAuth: hubspot is oauth2, though its documented create used an API key.
func oauthAuthentication(obj map[string]json.RawMessage) bool {
	var auth struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(obj["authentication"], &auth) != nil {
		return false
	}
	return strings.HasPrefix(strings.ToLower(auth.Type), "oauth")
}

// withOAuthInputs adds the OAuth keys an element's documented create did
// not send, as optional inputs: that create shows the element works
// without them.
func withOAuthInputs(inputs []ElementInput) []ElementInput {
	for _, key := range oauthInputKeys {
		if !slices.ContainsFunc(inputs, func(in ElementInput) bool { return in.Key == key }) {
			inputs = append(inputs, ElementInput{Key: key, Type: definitionType(key, "")})
		}
	}
	return inputs
}

// lookupElement finds an element by key, or by id when keyOrID is a number.
// "fake" is found without parsing the catalog.
func lookupElement(keyOrID string) (*element, bool) {
	if keyOrID == fakeElement.Key || keyOrID == strconv.FormatInt(fakeElement.ID, 10) {
		return fakeElement, true
	}
	c := loadCatalog()
	if id, err := strconv.ParseInt(keyOrID, 10, 64); err == nil {
		e, ok := c.byID[id]
		return e, ok
	}
	e, ok := c.byKey[keyOrID]
	return e, ok
}

func elementByKey(key string) (*element, bool) {
	if key == fakeElement.Key {
		return fakeElement, true
	}
	e, ok := loadCatalog().byKey[key]
	return e, ok
}

func elementByID(id int64) (*element, bool) {
	if id == fakeElement.ID {
		return fakeElement, true
	}
	e, ok := loadCatalog().byID[id]
	return e, ok
}

// elementOf returns the element of a stored instance; instances seeded with
// an element outside the catalog get a synthetic one.
func elementOf(in Instance) *element {
	if e, ok := elementByKey(in.ElementKey); ok {
		return e
	}
	if in.ElementKey == "" {
		if e, ok := elementByID(in.ElementID); ok {
			return e
		}
	}
	obj, _ := json.Marshal(map[string]any{"id": in.ElementID, "key": in.ElementKey, "name": in.ElementKey})
	return &element{ID: in.ElementID, Key: in.ElementKey, Name: in.ElementKey, object: obj}
}
