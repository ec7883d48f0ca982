// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package configkeys

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// The rule is held to every key the vendor documents, so a change to it
// shows exactly which real keys move.
func TestKeyClassification(t *testing.T) {
	f, err := os.Open("testdata/config-keys.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	n := 0
	for s.Scan() {
		line := s.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		class, key, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		n++
		wantSecret := strings.Contains(class, "secret")
		wantServer := strings.Contains(class, "server")
		if got := Secret(key); got != wantSecret {
			t.Errorf("Secret(%q) = %v, want %v", key, got, wantSecret)
		}
		if got := ServerOwned(key); got != wantServer {
			t.Errorf("ServerOwned(%q) = %v, want %v", key, got, wantServer)
		}
	}
	if n < 200 {
		t.Fatalf("only %d keys checked", n)
	}
	// The documented credentials the API writes are all secret.
	for _, k := range []string{"oauth.user.token", "oauth.user.refresh_token", "oauth.user.token.secret", "session.id", "sessionId"} {
		if !Secret(k) {
			t.Errorf("%s is not a secret", k)
		}
	}
}

func TestKeyWords(t *testing.T) {
	for key, want := range map[string]string{
		"oauth.user.refresh_token": "oauth user refresh token",
		"sessionId":                "session id",
		"api-token":                "api token",
		"FreshBooks Classic.site":  "fresh books classic site",
	} {
		if got := strings.Join(Words(key), " "); got != want {
			t.Errorf("Words(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestClassifyWithDefinitions(t *testing.T) {
	defs := map[string]*cloudelements.ConfigDefinition{
		"pin":            {Key: "pin", Type: "PASSWORD"},
		"pagination.max": {Key: "pagination.max", Internal: true},
		"hidden.default": {Key: "hidden.default", HideFromConsole: true},
		"oauth.api.key":  {Key: "oauth.api.key", Type: "TEXTFIELD_128"},
	}
	for key, want := range map[string]Class{
		"pin":            {Secret: true},
		"pagination.max": {ServerOwned: true},
		"hidden.default": {ServerOwned: true},
		"oauth.api.key":  {},
		"password":       {Secret: true},
		"unknown.key":    {},
	} {
		got := Classify(key, defs)
		if got.Secret != want.Secret || got.ServerOwned != want.ServerOwned {
			t.Errorf("Classify(%q) = secret %v server %v, want %v %v", key, got.Secret, got.ServerOwned, want.Secret, want.ServerOwned)
		}
	}
}
