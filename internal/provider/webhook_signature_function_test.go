// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// fixedSignatureVector was computed outside Go (Python's hmac module) and is
// written out literally so that the function and this test cannot share a bug.
const (
	fixedVectorBody = `{"message":{"instanceId":12345}}`
	fixedVectorKey  = "sig-key-1"
	fixedVectorSig  = "sha256=w0+bzG60VYH1A/4si2VP4efzEfFqbWr/YYJ4btwVpMc="
)

func independentSignature(body, key string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(body))
	return "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestWebhookSignature(t *testing.T) {
	if got := webhookSignature([]byte(fixedVectorBody), fixedVectorKey); got != fixedVectorSig {
		t.Errorf("fixed vector: got %s, want %s", got, fixedVectorSig)
	}
	for _, tc := range []struct{ body, key string }{
		{"", "k"},
		{`{"a":1}`, "another key"},
		{"ünïcødé ✓\n", "k\x00ey"},
	} {
		if got, want := webhookSignature([]byte(tc.body), tc.key), independentSignature(tc.body, tc.key); got != want {
			t.Errorf("webhookSignature(%q, %q) = %s, want %s", tc.body, tc.key, got, want)
		}
	}
}

func TestAccWebhookSignatureFunction(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
output "fixed" {
  value = provider::cloudelements::webhook_signature("{\"message\":{\"instanceId\":12345}}", "sig-key-1")
}
output "jsonencoded" {
  value = provider::cloudelements::webhook_signature(jsonencode({ a = 1 }), "another key")
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("fixed", knownvalue.StringExact(fixedVectorSig)),
					statecheck.ExpectKnownOutputValue("jsonencoded", knownvalue.StringExact(independentSignature(`{"a":1}`, "another key"))),
				},
			},
			{
				Config:      `output "bad" { value = provider::cloudelements::webhook_signature("body", "") }`,
				ExpectError: errorPattern(`key must not be empty`),
			},
		},
	})
}
