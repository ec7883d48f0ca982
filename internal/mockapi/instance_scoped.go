// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"net/http"
	"strconv"
	"strings"
)

// instanceScoped serves the /instances/{id} routes (s.mu held).
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
	if rc.rm.route == "/instances/{id}/enabled" {
		rec.inst.Disabled = rc.method == "DELETE"
		return s.instanceResult(rec.inst)
	}
	switch rc.method {
	case "GET":
		return s.instanceResult(rec.inst)
	case "PATCH":
		return s.patchInstance(rc, rec)
	case "PUT":
		return s.replaceInstance(rc, rec)
	default: // DELETE
		delete(s.instances, id)
		return ok(struct{}{})
	}
}

// toggleByToken serves PUT and DELETE /instances/enabled: the instance is
// the one whose token the Authorization header's Element part carries
// (Server.handle has checked that it is live).
func (s *Server) toggleByToken(rc *reqCtx) result {
	tok := elementToken(rc.r.Header.Get("Authorization"))
	rec := s.recordByToken(tok)
	if tok == "" || rec == nil {
		return rc.fail(http.StatusBadRequest, "The instance is required: give its token as 'Element <token>' in the Authorization header")
	}
	rec.inst.Disabled = rc.method == "DELETE"
	return s.instanceResult(rec.inst)
}

// patchInstance: name and tags replace when present (non-null); configuration
// merges, a null value read per Options.PatchNull; providerData merges into
// the stored (never returned) data. All checks pass before anything changes.
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
		sent, err := parseStringMap(raw, "configuration")
		if err == nil {
			err = validateConfig(sent)
		}
		if err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
		e := s.elementOf(in)
		cfg := in.config()
		for k, v := range sent {
			switch {
			case v != nil:
				cfg[k] = v
			case s.readings.patchNull == PatchNullIgnore:
			case s.readings.patchNull == PatchNullReset:
				if d, has := e.defaults()[k]; has {
					cfg[k] = clonePtr(d)
				} else {
					delete(cfg, k)
				}
			default: // remove
				delete(cfg, k)
			}
		}
		e.addStatedDefaults(cfg)
		in.setConfig(cfg)
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
	return s.instanceResult(in)
}

// replaceInstance: PUT replaces name (required) and tags (absent -> none);
// configuration keys the body leaves out are read per Options.PutAbsentKeys
// (remove: full replace, then the element's defaults re-added; keep); a null
// value counts as left out; "********" sent for a key the mock masks keeps
// the stored value (the re-authentication recipe sends the GET body back).
// providerData replaces the stored data when given. ?reAuthenticate=true
// requires providerData.code, issues a new token and rewrites the
// credentials. The element cannot change (a body element is ignored).
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
	sent, res := parseConfig(rc, fields["configuration"])
	if res != nil {
		return *res
	}
	if err := validateConfig(sent); err != nil {
		return rc.fail(http.StatusBadRequest, "%v", err)
	}
	pd, res := parseProviderData(rc, fields["providerData"])
	if res != nil {
		return *res
	}
	reAuth := strings.EqualFold(rc.query.Get("reAuthenticate"), "true")
	if reAuth && pd["code"] == "" {
		return rc.fail(http.StatusBadRequest, "providerData.code is required to re-authenticate an instance")
	}
	e := s.elementOf(in)
	old := in.config()
	cfg := map[string]*string{}
	if s.readings.putAbsent == PutAbsentKeep {
		cfg = in.config()
	}
	for k, v := range sent {
		if prev, has := old[k]; has && *v == Masked && e.masks(k) {
			v = prev
		}
		cfg[k] = v
	}
	if s.readings.putAbsent != PutAbsentKeep {
		e.addDefaults(cfg)
	}
	if pd != nil {
		in.ProviderData = pd
	}
	if reAuth {
		e.issueCredentials(cfg)
		in.Token = newToken()
		in.Valid = true
	}
	in.setConfig(cfg)
	rec.inst = in
	return s.instanceResult(in)
}
