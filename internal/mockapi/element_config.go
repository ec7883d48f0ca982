// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
)

// statedDefaults are the configuration defaults the vendor states for every
// element (common-instance-config, see SPEC.md). Elements without a
// documented configuration get them whenever they are absent.
var statedDefaults = map[string]string{
	"filter.response.nulls":      "true",
	"event.notification.enabled": "false",
}

const signatureKey = "event.notification.signature.key"

// defaults are the keys the server adds when a create (or a replacing PUT)
// does not send them: the documented server keys, else the stated defaults.
func (e *element) defaults() map[string]*string {
	if e.documented {
		return e.serverKeys
	}
	out := make(map[string]*string, len(statedDefaults))
	for k, v := range statedDefaults {
		out[k] = &v
	}
	return out
}

// addDefaults adds the defaults cfg lacks.
func (e *element) addDefaults(cfg map[string]*string) {
	for k, v := range e.defaults() {
		if _, has := cfg[k]; !has {
			cfg[k] = clonePtr(v)
		}
	}
}

// addStatedDefaults re-adds the stated defaults after a PATCH, for elements
// without a documented configuration.
func (e *element) addStatedDefaults(cfg map[string]*string) {
	if !e.documented {
		e.addDefaults(cfg)
	}
}

// issueCredentials writes what the server stores after an OAuth exchange:
// fresh values for token-like keys, the documented value for the others
// when absent; documented nulls and empty values stay as they are.
func (e *element) issueCredentials(cfg map[string]*string) {
	for k, v := range e.credentials {
		_, has := cfg[k]
		switch {
		case v == nil || *v == "":
			if !has {
				cfg[k] = clonePtr(v)
			}
		case tokenLike(k):
			fresh := newSecretValue()
			cfg[k] = &fresh
		case !has:
			cfg[k] = clonePtr(v)
		}
	}
}

// masks reports whether responses hide the key's value: the element's
// documented masked keys; for elements without a documented configuration
// any key containing "password"; and the signature key.
func (e *element) masks(key string) bool {
	if key == signatureKey || slices.Contains(e.masked, key) {
		return true
	}
	return !e.documented && strings.Contains(strings.ToLower(key), "password")
}

// missingInputs lists, sorted, the required inputs cfg lacks.
func (e *element) missingInputs(cfg map[string]*string) []string {
	var out []string
	for _, in := range e.inputs {
		if v := cfg[in.Key]; in.Required && v == nil {
			out = append(out, in.Key)
		}
	}
	sort.Strings(out)
	return out
}

// tokenLike keys hold what an OAuth exchange or a login issues.
func tokenLike(key string) bool {
	switch key {
	case "oauth.user.token", "oauth.user.refresh_token", "oauth.user.token.secret":
		return true
	}
	k := strings.ToLower(key)
	return strings.Contains(k, "session") && strings.HasSuffix(k, "id")
}

// secretLike keys get the PASSWORD definition type: their name says
// password, secret or token, and they are not a URL.
func secretLike(key string) bool {
	k := strings.ToLower(key)
	if strings.HasSuffix(k, ".url") || strings.HasSuffix(k, "_url") || strings.HasSuffix(k, ".uri") {
		return false
	}
	return strings.Contains(k, "password") || strings.Contains(k, "secret") || strings.Contains(k, "token")
}

// definitionType is the type of an element's configuration definition.
// oauth.api.key is the OAuth client id, shown in clear: not a PASSWORD.
func definitionType(key, documented string) string {
	if secretLike(key) {
		return "PASSWORD"
	}
	switch documented {
	case "BOOLEAN", "TEXTAREA":
		return documented
	}
	return "TEXTFIELD_128"
}

func newSecretValue() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func clonePtr(v *string) *string {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}
