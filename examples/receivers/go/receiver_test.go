// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package receiver

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The fixed vector of provider::cloudelements::webhook_signature, computed
// independently (Python's hmac module) and written out literally.
const (
	vectorBody = `{"message":{"instanceId":12345}}`
	vectorKey  = "sig-key-1"
	vectorSig  = "sha256=w0+bzG60VYH1A/4si2VP4efzEfFqbWr/YYJ4btwVpMc="
)

func TestGoReceiver(t *testing.T) {
	if !ValidSignature([]byte(vectorBody), vectorSig, vectorKey) {
		t.Error("the fixed vector does not verify")
	}
	if ValidSignature([]byte(vectorBody+" "), vectorSig, vectorKey) {
		t.Error("a changed body verifies")
	}
	var got string
	h := Handler(vectorKey, func(b []byte) { got = string(b) })
	for _, tc := range []struct {
		sig  string
		want int
	}{{vectorSig, http.StatusNoContent}, {"sha256=AAAA", http.StatusUnauthorized}, {"", http.StatusUnauthorized}} {
		req := httptest.NewRequest(http.MethodPost, "/events", strings.NewReader(vectorBody))
		req.Header.Set("Elements-Webhook-Signature", tc.sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("signature %q: status %d, want %d", tc.sig, rec.Code, tc.want)
		}
	}
	if got != vectorBody {
		t.Errorf("handler got body %q", got)
	}
}

// The Node.js and Python snippets in the "Receiving events" guide are
// checked against the same vector. They need node and python3; CI has both.
func TestNodeAndPythonReceivers(t *testing.T) {
	scripts := map[string][]string{
		"node": {"--input-type=module", "-e", `
import { validSignature } from "` + abs(t, "../node/verify.mjs") + `";
const ok = validSignature(Buffer.from(process.argv[1]), process.argv[2], process.argv[3]);
const bad = validSignature(Buffer.from(process.argv[1] + " "), process.argv[2], process.argv[3]);
process.exit(ok && !bad ? 0 : 1);`},
		"python3": {"-c", `
import sys; sys.path.insert(0, "` + abs(t, "../python") + `")
from verify import valid_signature
body, sig, key = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
sys.exit(0 if valid_signature(body, sig, key) and not valid_signature(body + b" ", sig, key) else 1)`},
	}
	for tool, args := range scripts {
		t.Run(tool, func(t *testing.T) {
			if _, err := exec.LookPath(tool); err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("%s is not installed; CI must install it", tool)
				}
				t.Skipf("%s is not installed", tool)
			}
			args := append(args, vectorBody, vectorSig, vectorKey)
			if tool == "node" {
				args = append([]string{args[0], args[1], args[2], "--"}, args[3:]...)
			}
			out, err := exec.Command(tool, args...).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", tool, err, out)
			}
		})
	}
}

func abs(t *testing.T, rel string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd + "/" + rel
}
