// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Secrets stay out of logs, CLI output, diagnostics and non-sensitive state;
// plain http needs an explicit opt-in for hosts that are not loopback.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// secretSet collects every secret value a test used or the API issued.
type secretSet struct {
	mu     sync.Mutex
	values map[string]string // value -> what it is
}

func (s *secretSet) add(what string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.values == nil {
		s.values = map[string]string{}
	}
	for _, v := range values {
		if v != "" {
			s.values[v] = what
		}
	}
}

// addTokens records the instance tokens the mock has issued so far.
func (s *secretSet) addTokens(mock *testMock) {
	for _, in := range mock.Instances() {
		s.add(fmt.Sprintf("token of instance %d", in.ID), in.Token)
	}
}

// leaks lists the secrets found in text.
func (s *secretSet) leaks(text string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for v, what := range s.values {
		if i := strings.Index(text, v); i >= 0 {
			out = append(out, fmt.Sprintf("%s at %q", what, excerptAround(text, i, len(v))))
		}
	}
	sort.Strings(out)
	return out
}

func excerptAround(text string, i, n int) string {
	from, to := max(0, i-80), min(len(text), i+n+40)
	return text[from:to]
}

// onlySensitiveCheck fails when a secret appears in state anywhere but in
// an attribute (or element) the provider marks sensitive.
type onlySensitiveCheck struct {
	secrets *secretSet
	mock    *testMock
}

func (c onlySensitiveCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	c.secrets.addTokens(c.mock)
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	var problems []string
	for _, r := range req.State.Values.RootModule.Resources {
		var sensitive any
		if len(r.SensitiveValues) > 0 {
			if err := json.Unmarshal(r.SensitiveValues, &sensitive); err != nil {
				resp.Error = fmt.Errorf("%s: sensitive_values: %w", r.Address, err)
				return
			}
		}
		var walk func(p string, v, sens any)
		walk = func(p string, v, sens any) {
			if b, ok := sens.(bool); ok && b {
				return
			}
			switch v := v.(type) {
			case string:
				for _, leak := range c.secrets.leaks(v) {
					problems = append(problems, fmt.Sprintf("%s.%s holds the %s but is not sensitive", r.Address, p, leak))
				}
			case map[string]any:
				sm, _ := sens.(map[string]any)
				for k, e := range v {
					walk(p+"."+k, e, sm[k])
				}
			case []any:
				sl, _ := sens.([]any)
				for i, e := range v {
					var se any
					if i < len(sl) {
						se = sl[i]
					}
					walk(fmt.Sprintf("%s[%d]", p, i), e, se)
				}
			}
		}
		sm, _ := sensitive.(map[string]any)
		for k, v := range r.AttributeValues {
			walk(k, v, sm[k])
		}
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("secrets outside sensitive attributes:\n%s", strings.Join(problems, "\n"))
	}
}

// TestAccSecrets_neverLogged applies, plans, fails and destroys with TRACE
// logging of the CLI and of the provider (which runs in the test process
// and logs through tflog into the same file), then checks that no secret
// (provider secrets, provider_data, sensitive_configuration, signature
// keys, instance tokens) appears in the log, in the CLI's plan output, or in
// a diagnostic, and that state holds them only in sensitive attributes.
// Not parallel: the log settings are environment variables.
func TestAccSecrets_neverLogged(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath) // the CLI's log, and the provider's (TRACE)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG", "TRACE")

	mock := newTestMock(t, mockapi.Options{})
	var secrets secretSet
	secrets.add("user secret", testUserSecret)
	secrets.add("organization secret", testOrgSecret)
	type version struct{ code, apiSecret, clientToken, sigKey string }
	v := func(tag string) version {
		s := version{"pd-code-" + tag + "-7Qx", "sc-secret-" + tag + "-1Xz", "sc-plain-" + tag + "-2Yw", "sig-key-" + tag + "-3Zv"}
		secrets.add("provider_data code "+tag, s.code)
		secrets.add("sensitive_configuration api.secret "+tag, s.apiSecret)
		secrets.add("sensitive_configuration client.token "+tag, s.clientToken)
		secrets.add("signature_key "+tag, s.sigKey)
		return s
	}
	alpha, bravo, charlie := v("alpha"), v("bravo"), v("charlie")
	// Secrets reach the configuration as variables (TF_VAR_*, as in real
	// use), so the configuration text, which terraform-plugin-testing itself
	// logs, holds none. The variables are not marked sensitive: the
	// provider's schema alone must hide them.
	vars := func(s version) {
		for name, value := range map[string]string{
			"user_secret": testUserSecret, "organization_secret": testOrgSecret,
			"code": s.code, "api_secret": s.apiSecret, "client_token": s.clientToken, "sig_key": s.sigKey,
		} {
			t.Setenv("TF_VAR_"+name, value)
		}
	}
	config := mock.ProviderConfig()
	for _, secret := range []string{testUserSecret, testOrgSecret} {
		config = strings.Replace(config, fmt.Sprintf("%q", secret), "var."+map[string]string{
			testUserSecret: "user_secret", testOrgSecret: "organization_secret"}[secret], 1)
	}
	config += `
variable "user_secret" {}
variable "organization_secret" {}
variable "code" {}
variable "api_secret" {}
variable "client_token" {}
variable "sig_key" {}

resource "cloudelements_instance" "test" {
  element_key   = "hubspot"
  name          = "Secretive"
  provider_data = { code = var.code }
  configuration = { "oauth.callback.url" = "https://app.example.com/cb" }
  sensitive_configuration = {
    "api.secret"   = var.api_secret   # masked by the API
    "client.token" = var.client_token # not masked: returned in clear
  }
  event_notification {
    callback_url  = "https://app.example.com/events"
    signature_key = var.sig_key
  }
}

data "cloudelements_instances" "all" {
  depends_on = [cloudelements_instance.test]
}
`
	if leaks := secrets.leaks(config); len(leaks) > 0 {
		t.Fatalf("the configuration itself holds secrets: %v", leaks)
	}
	var capture diagCapture
	var texts []string // CLI output and diagnostics captured from failing steps
	take := func() {
		text, _ := capture.take(t)
		texts = append(texts, text)
	}
	onlySensitive := onlySensitiveCheck{&secrets, mock}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: fastRetryFactories,
		ErrorCheck:               capture.errorCheck,
		CheckDestroy:             checkMockEmpty(mock),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { vars(alpha) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectSensitiveValue(testAddr, at("provider_data")),
					plancheck.ExpectSensitiveValue(testAddr, at("sensitive_configuration")),
					plancheck.ExpectSensitiveValue(testAddr, ev("signature_key")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					onlySensitive,
					statecheck.ExpectKnownValue(testAddr, at("sensitive_configuration", "client.token"), knownvalue.StringExact(alpha.clientToken)),
				},
			},
			{ // New secrets everywhere; the new code re-authenticates (new token).
				PreConfig:         func() { vars(bravo) },
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{onlySensitive},
			},
			{ // The CLI's rendering of a plan that changes every secret.
				PreConfig: func() {
					vars(charlie)
					capture.arm()
				},
				Config:   config,
				PlanOnly: true,
			},
			{ // A failing update that carries new secrets.
				PreConfig: func() {
					take()
					capture.arm()
					mock.InjectFault(mockapi.Fault{Method: "PUT", Route: "/instances/{id}", Status: http.StatusInternalServerError, Count: -1})
				},
				Config: config,
			},
			{
				PreConfig: func() {
					take()
					mock.ClearFaults()
				},
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{onlySensitive},
			},
		},
	})
	secrets.addTokens(mock) // none left; tokens were recorded by the state checks
	if len(texts) != 2 {
		t.Fatalf("captured %d failing steps, want 2", len(texts))
	}
	plan, diag := texts[0], texts[1]
	expectText(t, plan, `The non-refresh plan was not empty`, `cloudelements_instance.test will be updated in-place`, `\(sensitive value\)`)
	expectText(t, diag, `Error: Error Updating Cloud Elements Instance`, `PUT /instances/[0-9]+: 500 Internal Server Error`)
	for i, text := range texts {
		if leaks := secrets.leaks(text); len(leaks) > 0 {
			t.Errorf("%s leaks:\n%s", []string{"plan output", "diagnostic"}[i], strings.Join(leaks, "\n"))
		}
	}

	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	// The log must really hold both sides, or the test proves nothing.
	for _, marker := range []string{
		`(Terraform|OpenTofu) version`,             // the CLI
		`Cloud Elements API request`,               // the provider's own lines (per HTTP attempt)
		`"?method"?[:=]\s*"?PUT`,                   // ... including the re-authentication
		`Calling provider defined Resource Create`, // the framework
	} {
		if !regexp.MustCompile(marker).MatchString(log) {
			t.Errorf("the TRACE log (%d bytes) has no line matching %q", len(log), marker)
		}
	}
	if leaks := secrets.leaks(log); len(leaks) > 0 {
		t.Errorf("the TRACE log leaks:\n%s", strings.Join(leaks, "\n"))
	}
}

// TestAccProvider_allowInsecureHTTP: a plain http base URL on a host that is
// not loopback is refused, unless allow_insecure_http = true, and then works.
func TestAccProvider_allowInsecureHTTP(t *testing.T) {
	if os.Getenv("HTTP_PROXY") != "" || os.Getenv("http_proxy") != "" {
		t.Skip("an HTTP proxy is configured: a request to a non-loopback address would go through it")
	}
	ip := nonLoopbackIPv4()
	if ip == nil {
		t.Skip("no non-loopback IPv4 address to serve the mock on")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := mockapi.New(mockapi.Options{UserSecret: testUserSecret, OrganizationSecret: testOrgSecret})
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { hs.Close() })
	baseURL := "http://" + ln.Addr().String() + "/elements/api-v2"
	config := func(extra string) string {
		return fmt.Sprintf(`
provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
  %s
}

data "cloudelements_instances" "all" {}
`, baseURL, testUserSecret, testOrgSecret, extra)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(""),
				ExpectError: errorPattern(`Invalid Cloud Elements Base URL[\s\S]*plain http on a host that is not loopback`),
			},
			{
				Config:      config("allow_insecure_http = false"),
				ExpectError: errorPattern(`plain http on a host that is not loopback`),
			},
			{
				Config: config("allow_insecure_http = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cloudelements_instances.all", at("ids"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
	if n := srv.RequestCount("GET", "/instances"); n == 0 {
		t.Error("the opted-in provider never reached the API")
	}
}

func nonLoopbackIPv4() net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP
		}
	}
	return nil
}
