// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package configkeys holds what is known of element instance configuration
// keys, in one place: the event.* keys the API documents, which keys are
// secrets, and which the API writes itself. The element's definitions
// (GET /elements/{key}) refine the name rules when they can be read
// (Classify); the name rules are the fallback and apply on top of them.
package configkeys

import (
	"strings"
	"unicode"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// This file holds the rules that Classify configuration keys, in one place:
// which keys are secrets, which the API writes itself, and which belong to
// the event_notification block. The element catalog (GET /elements/{key})
// refines them when it can be read; these name rules are the fallback and
// apply on top of it.

// Configuration keys behind the event_notification block.
const (
	EventsEnabled    = "event.notification.enabled"
	CallbackURL      = "event.notification.callback.url"
	SignatureKey     = "event.notification.signature.key"
	VendorType       = "event.vendor.type"
	PollerInterval   = "event.poller.refresh_interval"
	PollerConfig     = "event.poller.configuration"
	EventObjects     = "event.objects"
	InstanceFinder   = "event.notification.instance.finder"
	PollerURLs       = "event.poller.urls"
	NotificationType = "event.notification.type"
	EventMetadata    = "event.metadata"

	EventPrefix = "event."

	// Server-written OAuth credentials that re-authentication drops, as
	// the vendor's re-authentication procedure says.
	UserToken        = "oauth.user.token"
	UserRefreshToken = "oauth.user.refresh_token"

	VendorWebhook = "webhook"
	VendorPolling = "polling"
)

// NotImportedEventKey reports whether an import leaves key out of
// `configuration`: the event.* keys, which are the event_notification
// block's or the API's own, save event.notification.type, a setting of the
// user's that the block does not model (it has one documented value).
func NotImportedEventKey(key string) bool {
	return strings.HasPrefix(key, EventPrefix) && key != NotificationType
}

// ServerDefaults are values the API sets on its own: the vendor documents
// filter.response.nulls as defaulting to true and
// event.notification.enabled to false. An import leaves them out.
var ServerDefaults = map[string]string{
	"filter.response.nulls": "true",
	EventsEnabled:           "false",
}

// Words splits a configuration key into lower-case words at dots,
// dashes, underscores and camelCase boundaries: "oauth.user.refresh_token"
// -> oauth user refresh token, "sessionId" -> session id.
func Words(key string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(key)
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(runes[i-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// notSecretLast are last words that make a key describe a secret's
// surroundings rather than hold one: "oauth.token.url",
// "oauth.user.refresh_time", "oauth.request.authorization.type".
var notSecretLast = map[string]bool{
	"url": true, "uri": true, "urls": true, "type": true, "time": true, "interval": true,
	"date": true, "expires": true, "enabled": true, "header": true, "format": true, "name": true,
}

// secretPairs are two consecutive words that name a secret.
var secretPairs = map[[2]string]bool{
	{"session", "id"}: true, {"private", "key"}: true, {"signature", "key"}: true,
	{"subscription", "key"}: true, {"api", "key"}: true, {"access", "key"}: true,
	{"secret", "key"}: true, {"client", "secret"}: true,
}

// Secret reports whether a configuration key names a secret: a
// password, secret, token, refresh token, token secret, session id, private
// key, signature key or API key. "oauth.api.key" is the OAuth client id,
// which the API shows in clear for most elements, so its name alone does
// not make it a secret (an element that masks it makes it one).
func Secret(key string) bool {
	w := Words(key)
	if len(w) == 0 || notSecretLast[w[len(w)-1]] {
		return false
	}
	for i, word := range w {
		if strings.Contains(word, "password") || strings.Contains(word, "passwd") ||
			strings.Contains(word, "secret") || strings.Contains(word, "token") ||
			word == "sessionid" || word == "privatekey" || word == "apikey" {
			return true
		}
		if i+1 < len(w) && secretPairs[[2]string{word, w[i+1]}] {
			if word == "api" && i > 0 && w[i-1] == "oauth" {
				continue
			}
			return true
		}
	}
	return false
}

// serverOwnedExact and serverOwnedPrefixes are keys the API adds to an
// instance itself, as the vendor's documented create responses show
// (base.url, pagination.*, bulk.*, oauth.token.url, ... present in
// responses to requests that did not send them), and the reserved keys of
// the vendor's Element Builder.
var serverOwnedExact = map[string]bool{
	"base.url": true, "authentication.time": true, "expires_in": true, "expires": true,
	"oauth.token.url": true, "oauth.authorization.url": true, "oauth.request.url": true,
	"oauth.token.refresh_url": true, "oauth.token.revoke_url": true, "oauth.basic.header": true,
	"oauth.request.authorization.type": true, "session.id": true, "sessionId": true,
}

var serverOwnedPrefixes = []string{"pagination.", "bulk.", "oauth.user."}

// ServerOwned reports whether the API writes a key itself: the
// element's URLs and paging settings, and the credentials it obtains in
// the OAuth exchange (oauth.user.*, session ids). A user may still set such
// a key; an import never brings it in.
func ServerOwned(key string) bool {
	if serverOwnedExact[key] {
		return true
	}
	for _, p := range serverOwnedPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	w := Words(key)
	for i := 0; i+1 < len(w); i++ {
		if w[i] == "session" { // sfdc.session.*, intacct.session.id
			return true
		}
	}
	return false
}

// Class is what the provider knows of one configuration key of one
// element: from the element's definition when the catalog has one, and
// from the name rules above.
type Class struct {
	Secret      bool // never shown in clear: sensitive attributes only
	ServerOwned bool // written by the API; import leaves it out
	Def         *cloudelements.ConfigDefinition
}

// Classify returns the class of key for an element whose definitions are
// defs (nil when the catalog could not be read).
func Classify(key string, defs map[string]*cloudelements.ConfigDefinition) Class {
	c := Class{Secret: Secret(key), ServerOwned: ServerOwned(key)}
	if d := defs[key]; d != nil {
		// The element's definition says who writes the key; a name can
		// only make it more secret.
		c.Def = d
		c.Secret = c.Secret || strings.EqualFold(d.Type, "PASSWORD")
		c.ServerOwned = bool(d.Internal) || bool(d.HideFromConsole)
	}
	return c
}
