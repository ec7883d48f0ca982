// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Handlers below run with s.mu held (see Server.handle).

// createInstance serves POST /instances and, with pathElem set, POST
// /elements/{keyOrId}/instances.
func (s *Server) createInstance(rc *reqCtx, pathElem *string) result {
	fields, err := decodeObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	var e *element
	if pathElem != nil {
		var found bool
		if e, _, found = s.findElement(*pathElem); !found {
			return rc.fail(http.StatusBadRequest, "No element found with key or id '%s'", *pathElem)
		}
	} else {
		var res *result
		if e, res = s.resolveElement(rc, fields["element"]); res != nil {
			return *res
		}
	}
	nameRaw, has := fields["name"]
	if !has || isNull(nameRaw) {
		return rc.fail(http.StatusBadRequest, "'name' is required")
	}
	name, err := parseName(nameRaw)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	tags := []string{name} // a create without tags is tagged with its name
	if raw, has := fields["tags"]; has && !isNull(raw) {
		if tags, err = parseTags(raw); err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
	}
	sent, res := parseConfig(rc, fields["configuration"])
	if res != nil {
		return *res
	}
	pd, res := parseProviderData(rc, fields["providerData"])
	if res != nil {
		return *res
	}
	in, err := s.provision(e, name, tags, sent, pd)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	return s.instanceResult(in)
}

// provision checks a parsed create and stores the new instance (s.mu held):
// the sent configuration (nulls already dropped), the element's defaults,
// and the credentials when providerData carries a code.
func (s *Server) provision(e *element, name string, tags []string, sent map[string]*string, pd map[string]string) (Instance, error) {
	if err := validateConfig(sent); err != nil {
		return Instance{}, err
	}
	if e.OAuth && pd["code"] == "" {
		return Instance{}, fmt.Errorf("providerData.code is required to authenticate an instance of element '%s'", e.Key)
	}
	if missing := e.missingInputs(sent); len(missing) > 0 {
		//nolint:staticcheck // ST1005: the text is the API's message, answered to clients as is
		return Instance{}, fmt.Errorf("Missing required configuration entries for element '%s': %s", e.Key, strings.Join(missing, ", "))
	}
	cfg := make(map[string]*string, len(sent))
	for k, v := range sent {
		if v != nil {
			cfg[k] = v
		}
	}
	e.addDefaults(cfg)
	if pd["code"] != "" {
		e.issueCredentials(cfg)
	}
	in := Instance{
		ID:           s.nextID,
		Name:         name,
		ElementKey:   e.Key,
		ElementID:    e.ID,
		Token:        newToken(),
		Tags:         tags,
		ProviderData: pd,
		Valid:        true,
		CreatedDate:  s.now().UTC().Truncate(time.Second),
	}
	in.setConfig(cfg)
	s.put(&record{inst: in})
	return in, nil
}

func (s *Server) instanceResult(in Instance) result {
	res := ok(s.toInstanceJSON(in))
	res.header = http.Header{"Elements-Element-Instance-Id": {strconv.FormatInt(in.ID, 10)}}
	return res
}

// resolveElement reads {"key": ...} or {"id": ...} (key wins when both).
func (s *Server) resolveElement(rc *reqCtx, raw json.RawMessage) (*element, *result) {
	fail := func(format string, args ...any) (*element, *result) {
		r := rc.fail(http.StatusBadRequest, format, args...)
		return nil, &r
	}
	if raw == nil || isNull(raw) {
		return fail("'element' is required")
	}
	var ref struct {
		Key *string         `json:"key"`
		ID  json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		return fail("'element' must be an object with a key or an id")
	}
	if ref.Key != nil && *ref.Key != "" {
		if e, ok := s.elementForKey(*ref.Key); ok {
			return e, nil
		}
		return fail("No element found with key '%s'", *ref.Key)
	}
	if ref.ID != nil && !isNull(ref.ID) {
		idStr, err := scalarString(ref.ID)
		if err != nil || idStr == nil {
			return fail("'element.id' must be a number")
		}
		id, err := strconv.ParseInt(*idStr, 10, 64)
		if err != nil {
			return fail("'element.id' must be a number")
		}
		if e, ok := s.elementForID(id); ok {
			return e, nil
		}
		return fail("No element found with id '%d'", id)
	}
	return fail("'element' must have a key or an id")
}

// parseConfig reads the configuration of a create or PUT: values as the
// strings the API stores; a null value means "not sent" and is dropped.
func parseConfig(rc *reqCtx, raw json.RawMessage) (map[string]*string, *result) {
	cfg := map[string]*string{}
	if raw == nil || isNull(raw) {
		return cfg, nil
	}
	m, err := parseStringMap(raw, "configuration")
	if err != nil {
		r := rc.fail(http.StatusBadRequest, "%v", err)
		return nil, &r
	}
	for k, v := range m {
		if v != nil {
			cfg[k] = v
		}
	}
	return cfg, nil
}

func parseProviderData(rc *reqCtx, raw json.RawMessage) (map[string]string, *result) {
	if raw == nil || isNull(raw) {
		return nil, nil
	}
	m, err := parseStringMap(raw, "providerData")
	if err != nil {
		r := rc.fail(http.StatusBadRequest, "%v", err)
		return nil, &r
	}
	pd := map[string]string{}
	for k, v := range m {
		if v != nil {
			pd[k] = *v
		}
	}
	return pd, nil
}
