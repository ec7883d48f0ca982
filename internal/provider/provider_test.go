// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/protocolserver"
)

const (
	testUserSecret = "test-user-secret-4f1c"
	testOrgSecret  = "test-org-secret-9b2e"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the CLI.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudelements": protocolserver.NewProtocol6WithError(New("test")()),
}

func TestMain(m *testing.M) {
	// A CLI config path that does not exist makes OpenTofu print a warning
	// on stdout, which breaks plugin-testing's JSON parsing.
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); err != nil {
			os.Unsetenv("TF_CLI_CONFIG_FILE")
		}
	}
	os.Setenv("CHECKPOINT_DISABLE", "1")
	os.Exit(m.Run())
}

// newestCLIOnly runs a test on the newest Terraform only (1.14 and later;
// it skips on the oldest supported Terraform and on OpenTofu): the replays
// of documented bodies test the provider's mapping, not the CLI, and three
// runs would triple their cost.
var newestCLIOnly = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// readingCLIs is the CLI matrix of one reading in a test over the API's
// unverified readings (mockapi.Options): the default reading runs on every
// CLI; the others test the provider's answer to the API, which no CLI
// changes, so they run on the newest only.
func readingCLIs(isDefault bool) []tfversion.TerraformVersionCheck {
	if isDefault {
		return nil
	}
	return newestCLIOnly
}

// testMock is a fresh mock Cloud Elements API for one test.
type testMock struct {
	*mockapi.Server
	BaseURL string
}

func newTestMock(t *testing.T, opts mockapi.Options) *testMock {
	t.Helper()
	if opts.UserSecret == "" {
		opts.UserSecret = testUserSecret
	}
	if opts.OrganizationSecret == "" {
		opts.OrganizationSecret = testOrgSecret
	}
	srv := mockapi.New(opts)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testMock{Server: srv, BaseURL: hs.URL + "/elements/api-v2"}
}

// ProviderConfig is a provider block pointing at the mock with the test
// secrets. (Fault tests that need fast retries use the provider's unexported
// retry-wait hook instead; see reliability_test.go.)
func (m *testMock) ProviderConfig() string {
	return fmt.Sprintf(`
provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
}
`, m.BaseURL, testUserSecret, testOrgSecret)
}

func TestAccProvider_configuration(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	listAll := `
data "cloudelements_instances" "all" {}
`
	block := func(body string) string { return "provider \"cloudelements\" {\n" + body + "\n}\n" + listAll }
	good := fmt.Sprintf("base_url = %q\n", mock.BaseURL)

	cases := map[string]struct {
		config string
		env    map[string]string
		err    string
	}{
		"explicit": {
			config: block(good + fmt.Sprintf("user_secret = %q\norganization_secret = %q\nmax_retries = 0", testUserSecret, testOrgSecret)),
		},
		"environment": {
			config: block(""),
			env:    map[string]string{envBaseURL: mock.BaseURL, envUserSecret: testUserSecret, envOrganizationSecret: testOrgSecret},
		},
		"missing user secret": {
			config: block(good + fmt.Sprintf("organization_secret = %q", testOrgSecret)),
			err:    `Missing Cloud Elements User Secret[\s\S]*CLOUDELEMENTS_USER_SECRET`,
		},
		"missing organization secret": {
			config: block(good + fmt.Sprintf("user_secret = %q", testUserSecret)),
			err:    `Missing Cloud Elements Organization Secret[\s\S]*CLOUDELEMENTS_ORGANIZATION_SECRET`,
		},
		"empty secret from environment": {
			config: block(good),
			env:    map[string]string{envUserSecret: "", envOrganizationSecret: testOrgSecret},
			err:    `Missing Cloud Elements User Secret`,
		},
		"malformed base url": {
			config: block(fmt.Sprintf("base_url = \"api.cloud-elements.com\"\nuser_secret = %q\norganization_secret = %q", testUserSecret, testOrgSecret)),
			err:    `Invalid Cloud Elements Base URL[\s\S]*not an absolute URL`,
		},
		"ftp base url": {
			config: block(fmt.Sprintf("base_url = \"ftp://example.com/x\"\nuser_secret = %q\norganization_secret = %q", testUserSecret, testOrgSecret)),
			err:    `must use the https scheme`,
		},
		"plain http to a remote host": {
			config: block(fmt.Sprintf("base_url = \"http://api.example.com/elements/api-v2\"\nuser_secret = %q\norganization_secret = %q", testUserSecret, testOrgSecret)),
			err:    `plain http[\s\S]*allow_insecure_http`,
		},
		"negative max retries": {
			config: block(good + fmt.Sprintf("user_secret = %q\norganization_secret = %q\nmax_retries = -1", testUserSecret, testOrgSecret)),
			err:    `max_retries`,
		},
		"wrong secrets": {
			config: block(good + fmt.Sprintf("user_secret = \"wrong\"\norganization_secret = %q\nmax_retries = 0", testOrgSecret)),
			err:    `401[\s\S]*Invalid\s+Organization\s+or\s+User\s+secret`,
		},
		"unknown secret": {
			config: `
resource "terraform_data" "secret" { input = "later" }
` + block(good+fmt.Sprintf("user_secret = terraform_data.secret.output\norganization_secret = %q", testOrgSecret)),
			err: `Unknown Cloud Elements User Secret[\s\S]*CLOUDELEMENTS_USER_SECRET`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// Clear the environment fallbacks so the host's variables cannot leak in.
			for _, env := range []string{envBaseURL, envUserSecret, envOrganizationSecret} {
				t.Setenv(env, "")
				os.Unsetenv(env)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			step := resource.TestStep{Config: tc.config}
			if tc.err != "" {
				step.ExpectError = errorPattern(tc.err)
			} else {
				step.ConfigStateChecks = []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cloudelements_instances.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}

func TestCheckBaseURL(t *testing.T) {
	cases := []struct {
		url      string
		insecure bool
		ok       bool
	}{
		{"https://api.cloud-elements.com/elements/api-v2", false, true},
		{"http://127.0.0.1:8080/elements/api-v2", false, true},
		{"http://localhost:8080/elements/api-v2", false, true},
		{"http://[::1]:8080/elements/api-v2", false, true},
		{"http://api.example.com/elements/api-v2", false, false},
		{"http://api.example.com/elements/api-v2", true, true},
		{"api.example.com", false, false},
		{"ftp://api.example.com", true, false},
		{"https://bob:hunter2@api.example.com/elements/api-v2", false, false},
		{"", false, false},
	}
	for _, tc := range cases {
		got := checkBaseURL(tc.url, tc.insecure) == ""
		if got != tc.ok {
			t.Errorf("checkBaseURL(%q, %v) ok = %v, want %v", tc.url, tc.insecure, got, tc.ok)
		}
	}
}

func TestUserAgent(t *testing.T) {
	got := userAgent("1.2.3", "1.8.5")
	want := "terraform-provider-cloudelements/1.2.3 (+https://registry.terraform.io/providers/cloudelements/cloudelements) Terraform/1.8.5"
	if got != want {
		t.Errorf("userAgent = %q, want %q", got, want)
	}
}

// Wrong secrets fail the plan at configure time, with one request; the
// opt-out plans without it.
func TestAccProvider_credentialsCheck(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	provider := func(extra string) string {
		return fmt.Sprintf("provider \"cloudelements\" {\n  base_url = %q\n  user_secret = \"wrong\"\n  organization_secret = %q\n  max_retries = 0\n%s\n}\n",
			mock.BaseURL, testOrgSecret, extra)
	}
	create := instanceHCL{Element: "fake", Name: "Planned"}.String()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   mock.ResetRequests,
				Config:      provider("") + create,
				PlanOnly:    true,
				ExpectError: errorPattern(`Invalid Cloud Elements Credentials[\s\S]*rejected the user and organization secrets[\s\S]*skip_credentials_validation`),
			},
			{
				PreConfig: func() {
					for _, r := range mock.Requests() {
						if !isCredentialCheck(r) {
							t.Errorf("a plan that failed its credentials check sent %s %s", r.Method, r.Path)
						}
					}
					mock.ResetRequests()
				},
				Config:             provider("  skip_credentials_validation = true") + create,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	for _, r := range mock.Requests() {
		if isCredentialCheck(r) {
			t.Errorf("skip_credentials_validation still checked the secrets")
		}
	}
}

// A base_url without /elements/api-v2 warns, and the credentials check then
// fails the plan naming base_url and the path it lacks, whether the host
// answers the API's JSON 404 for an unknown path or a web server's HTML
// page; no request beyond the check is made.
func TestAccProvider_baseURLWithoutAPIPath(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!doctype html><html><head><title>Welcome</title></head></html>"))
	}))
	t.Cleanup(web.Close)
	for name, base := range map[string]string{
		"api host": strings.TrimSuffix(mock.BaseURL, apiPath),
		"web page": web.URL + "/elements/api-v2",
	} {
		t.Run(name, func(t *testing.T) {
			cli := newCLIRunner(t)
			cli.write(cliProviderConfig(base, "") + instanceHCL{Element: "fake", Name: "Planned"}.String())
			cli.run("init", "-input=false")
			out, err := cli.try("plan", "-input=false")
			if err == nil {
				t.Fatalf("the plan passed:\n%s", out)
			}
			if !regexp.MustCompile(`Error: Cloud Elements Base URL Is Not the API[\s\S]*base_url[\s\S]*/elements/api-v2`).MatchString(out) {
				t.Errorf("the error does not name base_url and the API path:\n%s", out)
			}
			if strings.Contains(out, "knows no element") {
				t.Errorf("misleading element error:\n%s", out)
			}
		})
	}
}

// A base_url nobody answers on fails the plan at configure time, naming
// base_url, without retrying the refused connection (max_retries is left
// at its default); skip_credentials_validation still plans without the check.
func TestAccProvider_unreachableBaseURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + apiPath
	ln.Close() // nobody listens there now: connection refused
	cli := newCLIRunner(t)
	resource := instanceHCL{Element: "fake", Name: "Planned"}.String()
	cli.write(cliProviderConfig(base, "") + resource)
	cli.run("init", "-input=false")
	out, err := cli.try("plan", "-input=false")
	if err == nil {
		t.Fatalf("the plan passed against nothing:\n%s", out)
	}
	if !regexp.MustCompile(`Error: Cloud Elements API Unreachable[\s\S]*base_url[\s\S]*connection refused`).MatchString(out) {
		t.Errorf("the error does not name base_url:\n%s", out)
	}
	if strings.Contains(out, "giving up after") {
		t.Errorf("the refused connection was retried:\n%s", out)
	}
	cli.write(cliProviderConfig(base, "  skip_credentials_validation = true\n  max_retries = 0") + resource)
	if out, err := cli.try("plan", "-input=false"); err != nil {
		t.Errorf("skip_credentials_validation did not skip the check: %v\n%s", err, out)
	}
}

// cliProviderConfig is the required_providers and provider blocks for a
// cliRunner, with the test secrets, base and extra attributes.
func cliProviderConfig(base, extra string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
%s
}
`, base, testUserSecret, testOrgSecret, extra)
}
