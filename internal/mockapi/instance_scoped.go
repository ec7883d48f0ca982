package mockapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// instanceScoped serves the /instances/{id}... routes (s.mu held).
func (s *Server) instanceScoped(rc *reqCtx) result {
	idStr := rc.rm.params["id"]
	id, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "Invalid instance id '%s': must be a number", idStr)
	}
	rec, found := s.instances[id]
	if !found {
		return rc.fail(http.StatusNotFound, "No instance found with id %d", id)
	}
	switch rc.rm.route {
	case "/instances/{id}":
		switch rc.method {
		case "GET":
			return instanceResult(rec.inst)
		case "PATCH":
			return s.patchInstance(rc, rec)
		case "PUT":
			return s.replaceInstance(rc, rec)
		default: // DELETE
			delete(s.instances, id)
			return ok(struct{}{})
		}
	case "/instances/{id}/enabled":
		rec.inst.Disabled = rc.method == "DELETE"
		return instanceResult(rec.inst)
	}
	if rec.inst.Disabled {
		return rc.fail(http.StatusForbidden, "Element instance %d is disabled", id)
	}
	switch rc.rm.route {
	case "/instances/{id}/configuration":
		s.ensureConfigIDs(rec)
		return ok(configRecords(rec))
	case "/instances/{id}/configuration/{configId}":
		return s.configRecord(rc, rec)
	default: // /instances/{id}/events
		return ok(eventLog(rec))
	}
}

// patchInstance: name and tags replace when present (non-null); configuration
// merges (null removes a key; defaults re-added); providerData merges into the
// stored (never returned) data. All checks pass before anything changes.
func (s *Server) patchInstance(rc *reqCtx, rec *record) result {
	fields, err := decodeObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	in := rec.inst.clone()
	if raw, has := fields["name"]; has && !isNull(raw) {
		if in.Name, err = parseName(raw); err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
	}
	if raw, has := fields["tags"]; has && !isNull(raw) {
		if in.Tags, err = parseTags(raw); err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
	}
	if raw, has := fields["configuration"]; has && !isNull(raw) {
		m, err := parseStringMap(raw, "configuration")
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		if in.Configuration == nil {
			in.Configuration = map[string]string{}
		}
		for k, v := range m {
			if v == nil {
				delete(in.Configuration, k)
			} else {
				in.Configuration[k] = *v
			}
		}
		applyDefaults(in.Configuration)
		if err := validateConfig(in.Configuration); err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
	}
	pd, res := parseProviderData(rc, fields["providerData"])
	if res != nil {
		return *res
	}
	if pd != nil && in.ProviderData == nil {
		in.ProviderData = map[string]string{}
	}
	for k, v := range pd {
		in.ProviderData[k] = v
	}
	rec.inst = in
	s.ensureConfigIDs(rec)
	return instanceResult(in)
}

// replaceInstance: PUT replaces name (required), tags (absent -> none) and
// configuration (absent -> only the defaults); providerData replaces the
// stored data when given. ?reAuthenticate=true requires providerData.code and
// issues a new token. The element cannot change (a body element is ignored).
func (s *Server) replaceInstance(rc *reqCtx, rec *record) result {
	fields, err := decodeObject(rc.body)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	in := rec.inst.clone()
	nameRaw, has := fields["name"]
	if !has || isNull(nameRaw) {
		return rc.fail(http.StatusBadRequest, "'name' is required")
	}
	if in.Name, err = parseName(nameRaw); err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	in.Tags = nil
	if raw, has := fields["tags"]; has && !isNull(raw) {
		if in.Tags, err = parseTags(raw); err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
	}
	cfg, res := parseConfig(rc, fields["configuration"])
	if res != nil {
		return *res
	}
	in.Configuration = cfg
	pd, res := parseProviderData(rc, fields["providerData"])
	if res != nil {
		return *res
	}
	if pd != nil {
		in.ProviderData = pd
	}
	if strings.EqualFold(rc.query.Get("reAuthenticate"), "true") {
		if pd["code"] == "" {
			return rc.fail(http.StatusBadRequest, "providerData.code is required to re-authenticate an instance")
		}
		in.Token = newToken()
		in.Valid = true
	}
	rec.inst = in
	s.ensureConfigIDs(rec)
	return instanceResult(in)
}

// configRecord serves GET and PATCH /instances/{id}/configuration/{configId}.
// The PATCH body is the whole record; a "key" in it must match, "id" is
// ignored, "propertyValue" is required (string, boolean or number).
func (s *Server) configRecord(rc *reqCtx, rec *record) result {
	cidStr := rc.rm.params["configId"]
	cid, err := strconv.ParseInt(cidStr, 10, 64)
	if err != nil {
		return rc.fail(http.StatusBadRequest, "Invalid configuration id '%s': must be a number", cidStr)
	}
	s.ensureConfigIDs(rec)
	key := ""
	for k, v := range rec.configIDs {
		if v == cid {
			key = k
		}
	}
	if _, present := rec.inst.Configuration[key]; key == "" || !present {
		return rc.fail(http.StatusNotFound, "No configuration found with id %d", cid)
	}
	if rc.method == "PATCH" {
		fields, err := decodeObject(rc.body)
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		if raw, has := fields["key"]; has && !isNull(raw) {
			var k string
			if json.Unmarshal(raw, &k) != nil || k != key {
				return rc.fail(http.StatusBadRequest, "Configuration %d has key '%s'; the body names another key", cid, key)
			}
		}
		val, err := scalarString(fields["propertyValue"])
		if err != nil || val == nil {
			return rc.fail(http.StatusBadRequest, "'propertyValue' is required")
		}
		cfg := cloneMap(rec.inst.Configuration)
		cfg[key] = *val
		if err := validateConfig(cfg); err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		rec.inst.Configuration = cfg
	}
	return ok(configRecord{ID: cid, Key: key, PropertyValue: maskedValue(elementOf(rec.inst), key, rec.inst.Configuration[key])})
}
