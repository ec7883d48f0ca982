// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
	"time"
)

// Masked is what the API answers in place of a secret configuration value.
const Masked = "********"

type userJSON struct {
	ID           int64  `json:"id"`
	EmailAddress string `json:"emailAddress"`
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
}

var sandboxUser = userJSON{ID: 123456, EmailAddress: "sandbox@example.com", FirstName: "Sandbox", LastName: "User"}

// instanceJSON is an instance as the API answers it.
type instanceJSON struct {
	ID                            any                `json:"id"` // int64; a string under FaultStringID
	Name                          string             `json:"name"`
	CreatedDate                   string             `json:"createdDate"`
	Token                         string             `json:"token"`
	Element                       json.RawMessage    `json:"element"`
	ElementID                     int64              `json:"elementId"`
	Tags                          any                `json:"tags,omitempty"` // nil, []string or []tagJSON
	ProvisionInteractions         []any              `json:"provisionInteractions"`
	Valid                         bool               `json:"valid"`
	Disabled                      bool               `json:"disabled"`
	MaxCacheSize                  int                `json:"maxCacheSize"`
	CacheTimeToLive               int                `json:"cacheTimeToLive"`
	Configuration                 map[string]*string `json:"configuration"`
	EventsEnabled                 bool               `json:"eventsEnabled"`
	EventsNotificationCallbackURL *string            `json:"eventsNotificationCallbackUrl,omitempty"`
	TraceLoggingEnabled           bool               `json:"traceLoggingEnabled"`
	CachingEnabled                bool               `json:"cachingEnabled"`
	ExternalAuthentication        string             `json:"externalAuthentication"`
	User                          userJSON           `json:"user"`
}

// tagJSON is a tag in the old object shape.
type tagJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// tagID is a stable id for a tag name (the shape needs one; the API's
// allocation is unknown).
func tagID(name string) int64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return int64(h.Sum32() & 0x7fffffff)
}

func maskedValue(e *element, key, value string) *string {
	if e.masks(key) {
		value = Masked
	}
	return &value
}

func (s *Server) toInstanceJSON(in Instance) instanceJSON {
	e := s.elementOf(in)
	cfg := make(map[string]*string, len(in.Configuration)+len(in.NullConfiguration))
	for _, k := range in.NullConfiguration {
		cfg[k] = nil
	}
	for k, v := range in.Configuration {
		cfg[k] = maskedValue(e, k, v)
	}
	out := instanceJSON{
		ID:                     in.ID,
		Name:                   in.Name,
		CreatedDate:            in.CreatedDate.UTC().Truncate(time.Second).Format(time.RFC3339),
		Token:                  in.Token,
		Element:                e.object,
		ElementID:              e.ID,
		ProvisionInteractions:  []any{},
		Valid:                  in.Valid,
		Disabled:               in.Disabled,
		Configuration:          cfg,
		EventsEnabled:          strings.EqualFold(in.Configuration["event.notification.enabled"], "true"),
		ExternalAuthentication: "none",
		User:                   sandboxUser,
	}
	switch {
	case len(in.Tags) == 0:
	case e.tagObjects:
		tags := make([]tagJSON, len(in.Tags))
		for i, t := range in.Tags {
			tags[i] = tagJSON{ID: tagID(t), Name: t}
		}
		out.Tags = tags
	default:
		out.Tags = append([]string(nil), in.Tags...)
	}
	if u, has := in.Configuration["event.notification.callback.url"]; has && out.EventsEnabled {
		out.EventsNotificationCallbackURL = &u
	} else if !out.EventsEnabled {
		out.EventsNotificationCallbackURL = e.callbackOff
	}
	return out
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// stripHTML removes HTML tags, as the API does for names and tags.
func stripHTML(s string) string {
	return strings.TrimSpace(htmlTag.ReplaceAllString(s, ""))
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func parseName(raw json.RawMessage) (string, error) {
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return "", fmt.Errorf("'name' must be a string")
	}
	name = stripHTML(name)
	if name == "" {
		return "", fmt.Errorf("'name' is required and must not be empty")
	}
	return name, nil
}

// parseTags accepts strings, or objects with a "name" (an old response shape).
// HTML is stripped; empty and duplicate tags are dropped; order is kept.
func parseTags(raw json.RawMessage) ([]string, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("'tags' must be an array of strings")
	}
	out := []string{}
	seen := map[string]bool{}
	for _, it := range items {
		var tag string
		if err := json.Unmarshal(it, &tag); err != nil {
			var obj struct {
				Name *string `json:"name"`
			}
			if err := json.Unmarshal(it, &obj); err != nil || obj.Name == nil {
				return nil, fmt.Errorf("'tags' must be an array of strings")
			}
			tag = *obj.Name
		}
		tag = stripHTML(tag)
		if tag != "" && !seen[tag] {
			seen[tag] = true
			out = append(out, tag)
		}
	}
	return out, nil
}

// scalarString turns a JSON value into the string the API stores: strings as
// is, booleans and numbers as their literal text, objects and arrays as
// compact JSON. null gives (nil, nil).
func scalarString(raw json.RawMessage) (*string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || isNull(raw) {
		return nil, nil
	}
	var s string
	switch raw[0] {
	case '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
	case '{', '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, err
		}
		s = buf.String()
	default: // true, false, numbers: the literal
		s = string(raw)
	}
	return &s, nil
}

// parseStringMap parses a JSON object of scalar values; null values are kept
// as nil entries so callers can treat them as "remove".
func parseStringMap(raw json.RawMessage, field string) (map[string]*string, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || (fields == nil && !isNull(raw)) {
		return nil, fmt.Errorf("'%s' must be a JSON object", field)
	}
	out := make(map[string]*string, len(fields))
	for k, v := range fields {
		s, err := scalarString(v)
		if err != nil {
			return nil, fmt.Errorf("'%s.%s' has an invalid value", field, k)
		}
		out[k] = s
	}
	return out, nil
}

// validateConfig applies the API's checks to the event settings a request
// sends.
func validateConfig(sent map[string]*string) error {
	if v := sent["event.vendor.type"]; v != nil {
		switch *v {
		case "webhook", "webhooks", "polling":
		default:
			return fmt.Errorf("invalid value '%s' for event.vendor.type: expected webhook or polling", *v)
		}
	}
	if v := sent["event.poller.configuration"]; v != nil && !json.Valid([]byte(*v)) {
		return fmt.Errorf("event.poller.configuration must be valid JSON")
	}
	return nil
}
