package mockapi

import (
	"encoding/base64"
	"encoding/json"
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
	var e element
	if pathElem != nil {
		var found bool
		if id, perr := strconv.ParseInt(*pathElem, 10, 64); perr == nil {
			e, found = elementByID(id)
		} else {
			e, found = elementByKey(*pathElem)
		}
		if !found {
			return rc.fail(http.StatusBadRequest, "No element found with key or id '%s'", *pathElem)
		}
	} else {
		var res *result
		if e, res = resolveElement(rc, fields["element"]); res != nil {
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
	var tags []string
	if raw, has := fields["tags"]; has && !isNull(raw) {
		if tags, err = parseTags(raw); err != nil {
			return rc.fail(http.StatusBadRequest, "%v", err)
		}
	}
	cfg, res := parseConfig(rc, fields["configuration"])
	if res != nil {
		return *res
	}
	pd, res := parseProviderData(rc, fields["providerData"])
	if res != nil {
		return *res
	}
	if e.OAuth && pd["code"] == "" {
		return rc.fail(http.StatusBadRequest, "providerData.code is required to authenticate an instance of element '%s'", e.Key)
	}
	in := Instance{
		ID:            s.nextID,
		Name:          name,
		ElementKey:    e.Key,
		ElementID:     e.ID,
		Token:         newToken(),
		Tags:          tags,
		Configuration: cfg,
		ProviderData:  pd,
		Valid:         true,
		CreatedDate:   s.now().UTC().Truncate(time.Second),
	}
	s.put(&record{inst: in})
	return instanceResult(in)
}

func instanceResult(in Instance) result {
	res := ok(toInstanceJSON(in))
	res.header = http.Header{"Elements-Element-Instance-Id": {strconv.FormatInt(in.ID, 10)}}
	return res
}

// resolveElement reads {"key": ...} or {"id": ...} (key wins when both).
func resolveElement(rc *reqCtx, raw json.RawMessage) (element, *result) {
	fail := func(format string, args ...any) (element, *result) {
		r := rc.fail(http.StatusBadRequest, format, args...)
		return element{}, &r
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
		if e, ok := elementByKey(*ref.Key); ok {
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
		if e, ok := elementByID(id); ok {
			return e, nil
		}
		return fail("No element found with id '%d'", id)
	}
	return fail("'element' must have a key or an id")
}

// parseConfig reads a full configuration (create, PUT): nulls are dropped,
// defaults added, event settings validated.
func parseConfig(rc *reqCtx, raw json.RawMessage) (map[string]string, *result) {
	cfg := map[string]string{}
	if raw != nil && !isNull(raw) {
		m, err := parseStringMap(raw, "configuration")
		if err != nil {
			r := rc.fail(http.StatusBadRequest, "%v", err)
			return nil, &r
		}
		for k, v := range m {
			if v != nil {
				cfg[k] = *v
			}
		}
	}
	applyDefaults(cfg)
	if err := validateConfig(cfg); err != nil {
		r := rc.fail(http.StatusBadRequest, "%v", err)
		return nil, &r
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

// listInstances serves GET /instances.
func (s *Server) listInstances(rc *reqCtx) result {
	q := rc.query
	var tags []string
	for _, t := range append(q["tags[]"], q["tags"]...) {
		if t != "" {
			tags = append(tags, t)
		}
	}
	search := strings.ToLower(q.Get("searchText"))
	pageSize := s.maxPageSize
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return rc.fail(http.StatusBadRequest, "Invalid pageSize '%s'", v)
		}
		pageSize = min(n, s.maxPageSize)
	}
	after := int64(0)
	if tok := q.Get("nextPage"); tok != "" {
		var ok bool
		if after, ok = decodePageToken(tok); !ok {
			return rc.fail(http.StatusBadRequest, "Invalid nextPage token '%s'", tok)
		}
	}

	var matched []Instance
	for _, rec := range s.sortedRecords() {
		if hasAllTags(rec.inst.Tags, tags) && strings.Contains(strings.ToLower(rec.inst.Name), search) {
			matched = append(matched, rec.inst)
		}
	}
	if (len(tags) > 0 || search != "") && len(matched) == 0 {
		return rc.fail(http.StatusNotFound, "No instances found")
	}
	page := []instanceJSON{}
	more := false
	for _, in := range matched {
		if in.ID <= after {
			continue
		}
		if len(page) == pageSize {
			more = true
			break
		}
		page = append(page, toInstanceJSON(in))
	}
	res := ok(page)
	res.header = http.Header{
		"Elements-Total-Count":    {strconv.Itoa(len(matched))},
		"Elements-Returned-Count": {strconv.Itoa(len(page))},
	}
	if more {
		res.header.Set("Elements-Next-Page-Token", encodePageToken(page[len(page)-1].ID.(int64)))
	}
	return res
}

func hasAllTags(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Page tokens are opaque to clients: the last id served, base64url-encoded.
func encodePageToken(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.FormatInt(lastID, 10)))
}

func decodePageToken(tok string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(b), "after:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id >= 0
}
