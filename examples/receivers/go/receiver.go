// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package receiver verifies Cloud Elements event notifications.
package receiver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
)

// ValidSignature reports whether header (the Elements-Webhook-Signature
// value) is the HMAC-SHA256 of the raw body under key.
func ValidSignature(body []byte, header, key string) bool {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	want := "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	// Constant-time comparison: no timing hints for forgers.
	return hmac.Equal([]byte(header), []byte(want))
}

// Handler answers 204 to a correctly signed notification and 401 otherwise,
// passing the verified body to handle.
func Handler(key string, handle func(body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		if !ValidSignature(body, r.Header.Get("Elements-Webhook-Signature"), key) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		handle(body)
		w.WriteHeader(http.StatusNoContent)
	})
}
