// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/elementcatalog"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	fwlist "github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// listSeeds are the instances the list tests find: two of the synthetic
// element (one with a secret the mock masks), and two OAuth elements of
// the catalog created as the API would create them, with the credentials
// the OAuth exchange writes (paypalv2: oauth.user.token and
// oauth.user.refresh_token in clear) and the keys the API masks (sfdc:
// oauth.api.key and oauth.api.secret).
type listSeeds struct {
	crmEU, crmUS, payments, sales mockapi.Instance
}

func seedForList(t *testing.T, mock *testMock) listSeeds {
	t.Helper()
	var s listSeeds
	s.crmEU = mock.Seed(mockapi.Instance{
		Name: "CRM EU", Tags: []string{"team-crm", "eu"},
		Configuration: map[string]string{
			"region":                          "eu",
			"password":                        "crm-eu-password",
			"event.notification.enabled":      "true",
			"event.notification.callback.url": "https://app.example.com/events",
			"event.vendor.type":               "webhook",
		},
	})
	s.crmUS = mock.Seed(mockapi.Instance{Name: "CRM US", Tags: []string{"team-crm", "us"}, Configuration: map[string]string{"region": "us"}})
	var err error
	s.payments, err = mock.SeedDocumented("paypalv2", "Payments", map[string]string{
		"oauth.api.key": "paypal-client-id", "oauth.api.secret": "paypal-client-secret",
		"oauth.callback.url": "https://app.example.com/oauth/paypal",
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	s.sales, err = mock.SeedDocumented("sfdc", "Sales Cloud", map[string]string{
		"oauth.api.key": "sfdc-client-id", "oauth.api.secret": "sfdc-client-secret",
		"oauth.callback.url": "https://app.example.com/oauth/sfdc",
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"oauth.user.token", "oauth.user.refresh_token"} {
		if s.payments.Configuration[want] == "" {
			t.Fatalf("the seeded paypalv2 instance has no %s: the test would prove nothing", want)
		}
	}
	return s
}

// secretsOf lists what must never leave the API through a list result or
// generated configuration: the instance tokens and every secret value (the
// OAuth tokens the API obtained, client secrets, passwords).
func secretsOf(mock *testMock, ids ...int64) map[string]string {
	return instanceValues(mock, ids, configkeys.Secret)
}

// serverWrittenOf lists the values of the keys the API wrote itself
// (oauth.user.*, base.url, pagination.*, ...) that are long enough not to
// turn up by chance: generated configuration holds none of them. (A list
// result may: configuration_all shows the non-secret ones, as state does.)
func serverWrittenOf(mock *testMock, ids ...int64) map[string]string {
	return instanceValues(mock, ids, configkeys.ServerOwned)
}

func instanceValues(mock *testMock, ids []int64, keep func(key string) bool) map[string]string {
	out := map[string]string{}
	for _, id := range ids {
		in, ok := mock.Instance(id)
		if !ok {
			continue
		}
		out[in.Token] = fmt.Sprintf("the token of instance %d", id)
		for k, v := range in.Configuration {
			if len(v) >= 6 && keep(k) {
				out[v] = fmt.Sprintf("%s of instance %d", k, id)
			}
		}
	}
	return out
}

func idOf(in mockapi.Instance) string { return strconv.FormatInt(in.ID, 10) }

func byID(in mockapi.Instance) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(idOf(in))})
}

// TestAccInstanceList_query runs `terraform query` (plugin-testing's Query
// mode) against the mock: every instance with its identity and name, each
// filter alone and together, the limit, and the resource objects an import
// would give, without any secret.
func TestAccInstanceList_query(t *testing.T) {
	mock := newTestMock(t, mockapi.Options{})
	s := seedForList(t, mock)
	secrets := secretsOf(mock, s.crmEU.ID, s.crmUS.ID, s.payments.ID, s.sales.ID)

	identity := func(in mockapi.Instance) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"id": knownvalue.StringExact(idOf(in))}
	}
	named := func(addr string, in mockapi.Instance) querycheck.QueryResultCheck {
		return querycheck.ExpectResourceDisplayName(addr, byID(in), knownvalue.StringExact(in.Name))
	}

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Query: true,
				Config: mock.ProviderConfig() + `
list "cloudelements_instance" "all" {
  provider = cloudelements
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_instance.all", 4),
					querycheck.ExpectIdentity("cloudelements_instance.all", identity(s.crmEU)),
					querycheck.ExpectIdentity("cloudelements_instance.all", identity(s.crmUS)),
					querycheck.ExpectIdentity("cloudelements_instance.all", identity(s.payments)),
					querycheck.ExpectIdentity("cloudelements_instance.all", identity(s.sales)),
					named("cloudelements_instance.all", s.crmEU),
					named("cloudelements_instance.all", s.crmUS),
					named("cloudelements_instance.all", s.payments),
					named("cloudelements_instance.all", s.sales),
				},
			},
			{
				Query: true,
				Config: mock.ProviderConfig() + `
list "cloudelements_instance" "team" {
  provider = cloudelements
  config {
    tags = ["team-crm"]
  }
}

list "cloudelements_instance" "team_eu" {
  provider = cloudelements
  config {
    tags = ["eu", "team-crm"]
  }
}

list "cloudelements_instance" "paypal" {
  provider = cloudelements
  config {
    element_key = "paypalv2"
  }
}

list "cloudelements_instance" "crm" {
  provider = cloudelements
  config {
    name_contains = "CRM"
  }
}

# Case-sensitive, as in data source cloudelements_instances: the API's own
# search ignores case, the provider checks again.
list "cloudelements_instance" "lower_case" {
  provider = cloudelements
  config {
    name_contains = "crm"
  }
}

list "cloudelements_instance" "all_filters" {
  provider = cloudelements
  config {
    tags          = ["us"]
    element_key   = "fake"
    name_contains = "CRM"
  }
}

list "cloudelements_instance" "first_two" {
  provider = cloudelements
  limit    = 2
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_instance.team", 2),
					querycheck.ExpectIdentity("cloudelements_instance.team", identity(s.crmEU)),
					querycheck.ExpectIdentity("cloudelements_instance.team", identity(s.crmUS)),
					querycheck.ExpectLength("cloudelements_instance.team_eu", 1),
					querycheck.ExpectIdentity("cloudelements_instance.team_eu", identity(s.crmEU)),
					querycheck.ExpectLength("cloudelements_instance.paypal", 1),
					querycheck.ExpectIdentity("cloudelements_instance.paypal", identity(s.payments)),
					named("cloudelements_instance.paypal", s.payments),
					querycheck.ExpectLength("cloudelements_instance.crm", 2),
					querycheck.ExpectLength("cloudelements_instance.lower_case", 0),
					querycheck.ExpectLength("cloudelements_instance.all_filters", 1),
					querycheck.ExpectIdentity("cloudelements_instance.all_filters", identity(s.crmUS)),
					// The lowest ids come first.
					querycheck.ExpectLength("cloudelements_instance.first_two", 2),
					querycheck.ExpectIdentity("cloudelements_instance.first_two", identity(s.crmEU)),
					querycheck.ExpectIdentity("cloudelements_instance.first_two", identity(s.crmUS)),
				},
			},
			{
				Query: true,
				Config: mock.ProviderConfig() + `
list "cloudelements_instance" "full" {
  provider         = cloudelements
  include_resource = true
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_instance.full", 4),
					// What an import brings in: the keys a user could have
					// written, tags, the event settings.
					querycheck.ExpectResourceKnownValues("cloudelements_instance.full", byID(s.crmEU), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(idOf(s.crmEU))},
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("CRM EU")},
						{Path: tfjsonpath.New("element_key"), KnownValue: knownvalue.StringExact("fake")},
						{Path: tfjsonpath.New("configuration"), KnownValue: knownvalue.MapExact(map[string]knownvalue.Check{
							"region": knownvalue.StringExact("eu"),
						})},
						{Path: tfjsonpath.New("tags"), KnownValue: knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("eu"), knownvalue.StringExact("team-crm"),
						})},
						{Path: at("event_notification", 0, "callback_url"), KnownValue: knownvalue.StringExact("https://app.example.com/events")},
						{Path: at("event_notification", 0, "vendor_type"), KnownValue: knownvalue.StringExact("webhook")},
						{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()},
					}),
					// paypalv2: the API's own keys and the OAuth credentials
					// stay out; the client secret it returns in clear is left
					// out of the result (an import puts it in
					// sensitive_configuration).
					querycheck.ExpectResourceKnownValues("cloudelements_instance.full", byID(s.payments), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("element_key"), KnownValue: knownvalue.StringExact("paypalv2")},
						{Path: tfjsonpath.New("configuration"), KnownValue: knownvalue.MapExact(map[string]knownvalue.Check{
							"oauth.api.key":      knownvalue.StringExact("paypal-client-id"),
							"oauth.callback.url": knownvalue.StringExact("https://app.example.com/oauth/paypal"),
						})},
						{Path: tfjsonpath.New("sensitive_configuration"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("provider_data"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("event_notification"), KnownValue: knownvalue.ListSizeExact(0)},
						{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()},
					}),
					// sfdc masks its client id and secret: nothing to bring in.
					querycheck.ExpectResourceKnownValues("cloudelements_instance.full", byID(s.sales), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("configuration"), KnownValue: knownvalue.MapExact(map[string]knownvalue.Check{
							"oauth.callback.url": knownvalue.StringExact("https://app.example.com/oauth/sfdc"),
						})},
						{Path: tfjsonpath.New("sensitive_configuration"), KnownValue: knownvalue.Null()},
					}),
					noSecretInResults(secrets),
				},
			},
		},
	})
}

// noSecretInResults fails when any result (identity, name, resource
// object) holds one of secrets (value -> what it is).
func noSecretInResults(secrets map[string]string) querycheck.QueryResultCheck {
	return secretFreeResults(secrets)
}

type secretFreeResults map[string]string

func (c secretFreeResults) CheckQuery(_ context.Context, req querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	if len(req.Query) == 0 {
		resp.Error = fmt.Errorf("no results to check")
		return
	}
	raw, err := json.Marshal(req.Query)
	if err != nil {
		resp.Error = err
		return
	}
	if leaks := leaksIn(string(raw), c); len(leaks) > 0 {
		resp.Error = fmt.Errorf("query results hold %s", strings.Join(leaks, ", "))
	}
}

func leaksIn(text string, secrets map[string]string) []string {
	var out []string
	for v, what := range secrets {
		if strings.Contains(text, v) {
			out = append(out, what)
		}
	}
	sort.Strings(out)
	return out
}

// TestAccInstanceList_generateConfig adopts existing instances as the
// guide "Adopting existing instances" describes, through the CLI:
// `terraform query -generate-config-out`, review, plan, apply. The generated
// file holds one resource block and one import block (by identity) per
// instance and no secret; a plan of it as generated imports everything
// and changes nothing, except that paypalv2, whose catalog entry requires
// oauth.api.secret, fails until the secret (which Terraform writes as
// `null # sensitive`) is added back, as the guide says to. Then the apply
// only imports, sends nothing to the API, and the next plan is empty.
func TestAccInstanceList_generateConfig(t *testing.T) {
	cli := newCLIRunner(t)
	skipUnlessQuery(t, cli.cli)
	mock := newTestMock(t, mockapi.Options{})
	s := seedForList(t, mock)
	ids := []int64{s.crmEU.ID, s.crmUS.ID, s.payments.ID, s.sales.ID}
	secrets := secretsOf(mock, ids...)
	serverWritten := serverWrittenOf(mock, ids...)
	for _, want := range []string{"paypal-client-secret", "crm-eu-password", s.payments.Configuration["oauth.user.token"]} {
		if secrets[want] == "" {
			t.Fatalf("%q is not among the secrets checked", want)
		}
	}

	cli.write(`
terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + mock.ProviderConfig())
	writeFile(t, filepath.Join(cli.dir, "adopt.tfquery.hcl"), `
list "cloudelements_instance" "crm" {
  provider = cloudelements
  config {
    tags = ["team-crm"]
  }
}

list "cloudelements_instance" "oauth" {
  provider = cloudelements
  config {
    name_contains = "a"
  }
}
`)
	cli.run("init", "-input=false")
	mock.ResetRequests()
	out := cli.run("query", "-generate-config-out=generated.tf")
	for _, in := range []mockapi.Instance{s.crmEU, s.crmUS, s.payments, s.sales} {
		if !strings.Contains(out, "id="+idOf(in)) || !strings.Contains(out, in.Name) {
			t.Errorf("query output does not list instance %d %q:\n%s", in.ID, in.Name, out)
		}
	}
	jsonOut := cli.run("query", "-json")
	if leaks := leaksIn(jsonOut, secrets); len(leaks) > 0 {
		t.Errorf("terraform query -json prints %s", strings.Join(leaks, ", "))
	}
	for _, r := range mock.Requests() {
		if r.Method != "GET" {
			t.Errorf("query sent %s %s", r.Method, r.Path)
		}
	}

	generated := readFile(t, filepath.Join(cli.dir, "generated.tf"))
	t.Logf("generated.tf:\n%s", generated)
	if leaks := append(leaksIn(generated, secrets), leaksIn(generated, serverWritten)...); len(leaks) > 0 {
		t.Errorf("generated.tf holds %s", strings.Join(leaks, ", "))
	}
	blocks := generatedBlocks(generated)
	// crm finds CRM EU and CRM US; oauth ("a" in the name) finds Payments
	// and Sales Cloud: one resource and one import block each.
	want := map[string]mockapi.Instance{
		idOf(s.crmEU): s.crmEU, idOf(s.crmUS): s.crmUS, idOf(s.payments): s.payments, idOf(s.sales): s.sales,
	}
	if len(blocks.resources) != len(want) || len(blocks.imports) != len(want) {
		t.Fatalf("%d resource and %d import blocks, want %d of each", len(blocks.resources), len(blocks.imports), len(want))
	}
	addrOf := map[string]string{} // id -> resource address
	for addr, id := range blocks.imports {
		in, ok := want[id]
		if !ok {
			t.Errorf("import block for %s names id %s, not a seeded instance", addr, id)
			continue
		}
		body, ok := blocks.resources[addr]
		if !ok {
			t.Errorf("import block for %s has no resource block", addr)
			continue
		}
		if !regexp.MustCompile(`(?m)^\s*name\s+= ` + regexp.QuoteMeta(strconv.Quote(in.Name)) + `$`).MatchString(body) {
			t.Errorf("%s (id %s) is not named %q:\n%s", addr, id, in.Name, body)
		}
		addrOf[id] = addr
	}
	for _, k := range []string{"oauth.user.", "base.url", "pagination.", "oauth.token.url", "event.notification.enabled"} {
		if strings.Contains(generated, k) {
			t.Errorf("generated.tf holds the server-written key %s", k)
		}
	}

	// As generated, everything imports without change: an import reads no
	// secret, and Terraform writes sensitive arguments as null.
	plan := cli.run("plan", "-input=false")
	if !strings.Contains(plan, "Plan: 4 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("want a plan that only imports:\n%s", plan)
	}
	mock.ResetRequests()
	apply := cli.run("apply", "-auto-approve", "-input=false")
	if !strings.Contains(apply, "Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("want an apply that only imports:\n%s", apply)
	}
	for _, r := range mock.Requests() {
		if r.Method != "GET" {
			t.Errorf("the apply sent %s %s", r.Method, r.Path)
		}
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after adopting is not empty (%v):\n%s", err, out)
	}
	// Review: supply the client secret an import cannot read; the next
	// apply writes it, and only it.
	payments := addrOf[idOf(s.payments)]
	generated = readFile(t, filepath.Join(cli.dir, "generated.tf"))
	reviewed := replaceInBlock(t, generated, payments,
		"sensitive_configuration            = null # sensitive",
		`sensitive_configuration            = { "oauth.api.secret" = "paypal-client-secret" }`)
	writeFile(t, filepath.Join(cli.dir, "generated.tf"), reviewed)
	mock.ResetRequests()
	if out := cli.run("apply", "-auto-approve", "-input=false"); !strings.Contains(out, "0 added, 1 changed, 0 destroyed") || strings.Contains(out, "paypal-client-secret") {
		t.Errorf("want one in-place update that hides the secret:\n%s", out)
	}
	if patches := requestBodies(t, mock, "PATCH", "/instances/{id}"); len(patches) != 1 ||
		fmt.Sprint(patches[0]["configuration"]) != "map[oauth.api.secret:paypal-client-secret]" {
		t.Errorf("PATCH bodies %v, want one writing only the secret", patches)
	}
	state := cli.run("show", "-json")
	for _, id := range []string{idOf(s.payments), idOf(s.sales)} {
		if !strings.Contains(state, `"id":"`+id+`"`) {
			t.Errorf("instance %s is not in state", id)
		}
	}
}

// skipUnlessQuery skips unless cli is Terraform 1.14 or later: OpenTofu
// and older Terraform have no `terraform query`.
func skipUnlessQuery(t *testing.T, cli string) {
	t.Helper()
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	text, _ := exec.Command(cli, "version").Output()
	if strings.Contains(string(text), "OpenTofu") {
		t.Skipf("OpenTofu %s has no terraform query", v.Version)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("%s version %q: %v", cli, v.Version, err)
	}
	if major < 1 || major == 1 && minor < 14 {
		t.Skipf("Terraform %s has no terraform query (1.14 and later)", v.Version)
	}
}

type generatedConfig struct {
	resources map[string]string // address -> block text
	imports   map[string]string // to address -> identity id
}

var (
	resourceBlockStart = regexp.MustCompile(`(?m)^resource "cloudelements_instance" "([^"]+)" \{$`)
	importTo           = regexp.MustCompile(`(?m)^\s*to\s*=\s*(cloudelements_instance\.\S+)$`)
	importIdentityID   = regexp.MustCompile(`(?m)^\s*identity\s*=\s*\{\s*\n\s*id\s*=\s*"([0-9]+)"`)
)

// generatedBlocks splits Terraform's generated configuration into its
// top-level blocks (each ends with a "}" in the first column).
func generatedBlocks(text string) generatedConfig {
	g := generatedConfig{resources: map[string]string{}, imports: map[string]string{}}
	for _, block := range topLevelBlocks(text) {
		switch {
		case strings.HasPrefix(block, "resource "):
			if m := resourceBlockStart.FindStringSubmatch(block); m != nil {
				g.resources["cloudelements_instance."+m[1]] = block
			}
		case strings.HasPrefix(block, "import "):
			to, id := importTo.FindStringSubmatch(block), importIdentityID.FindStringSubmatch(block)
			if to != nil && id != nil {
				g.imports[to[1]] = id[1]
			}
		}
	}
	return g
}

func topLevelBlocks(text string) []string {
	var blocks []string
	var cur []string
	for _, line := range strings.Split(text, "\n") {
		if len(cur) == 0 && (strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "") {
			continue
		}
		cur = append(cur, line)
		if line == "}" {
			blocks = append(blocks, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	return blocks
}

// replaceInBlock replaces old with new inside the resource block of addr.
func replaceInBlock(t *testing.T, text, addr, old, new string) string {
	t.Helper()
	for _, block := range topLevelBlocks(text) {
		if m := resourceBlockStart.FindStringSubmatch(block); m != nil && "cloudelements_instance."+m[1] == addr {
			if !strings.Contains(block, old) {
				t.Fatalf("%s has no %q:\n%s", addr, old, block)
			}
			return strings.Replace(text, block, strings.Replace(block, old, new, 1), 1)
		}
	}
	t.Fatalf("no resource block %s", addr)
	return ""
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInstanceListResource_limitAndLookup calls List directly, against an
// API whose list answers carry no configuration (hydrate is not
// documented): full resources come from one GET per result, only for the
// results Terraform takes (the limit), and the limit holds.
func TestInstanceListResource_limitAndLookup(t *testing.T) {
	ctx := context.Background()
	mock := newTestMock(t, mockapi.Options{})
	for _, name := range []string{"One", "Two", "Three"} {
		mock.Seed(mockapi.Instance{Name: name, Configuration: map[string]string{"region": strings.ToLower(name)}})
	}
	// Strip "configuration" from every GET /instances answer.
	stripper := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		mock.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/instances") && rec.Code == http.StatusOK {
			var page []map[string]any
			if err := json.Unmarshal(body, &page); err != nil {
				t.Errorf("list answer: %v", err)
			}
			for _, in := range page {
				delete(in, "configuration")
			}
			body, _ = json.Marshal(page)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(stripper.Close)
	client, err := cloudelements.NewClient(cloudelements.Config{
		BaseURL: stripper.URL + "/elements/api-v2", UserSecret: testUserSecret, OrganizationSecret: testOrgSecret,
	})
	if err != nil {
		t.Fatal(err)
	}
	lr := &instanceListResource{data: &providerData{client: client, catalog: elementcatalog.New(client)}}

	var cfgSchema fwlist.ListResourceSchemaResponse
	lr.ListResourceConfigSchema(ctx, fwlist.ListResourceSchemaRequest{}, &cfgSchema)
	var resSchema fwresource.SchemaResponse
	(&instanceResource{}).Schema(ctx, fwresource.SchemaRequest{}, &resSchema)
	var idSchema fwresource.IdentitySchemaResponse
	(&instanceResource{}).IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &idSchema)
	cfgType := cfgSchema.Schema.Type().TerraformType(ctx).(tftypes.Object)
	nulls := map[string]tftypes.Value{}
	for name, typ := range cfgType.AttributeTypes {
		nulls[name] = tftypes.NewValue(typ, nil)
	}

	run := func(limit int64, include bool) []fwlist.ListResult {
		mock.ResetRequests()
		stream := &fwlist.ListResultsStream{}
		lr.List(ctx, fwlist.ListRequest{
			Config:                 tfsdk.Config{Schema: cfgSchema.Schema, Raw: tftypes.NewValue(cfgType, nulls)},
			IncludeResource:        include,
			Limit:                  limit,
			ResourceSchema:         resSchema.Schema,
			ResourceIdentitySchema: idSchema.IdentitySchema,
		}, stream)
		var out []fwlist.ListResult
		for r := range stream.Results {
			if r.Diagnostics.HasError() {
				t.Fatalf("result diagnostics: %v", r.Diagnostics)
			}
			out = append(out, r)
		}
		return out
	}

	got := run(2, true)
	if len(got) != 2 {
		t.Fatalf("%d results with limit 2", len(got))
	}
	for i, want := range []string{"one", "two"} {
		var cfg map[string]string
		if d := got[i].Resource.GetAttribute(ctx, path.Root("configuration"), &cfg); d.HasError() {
			t.Fatal(d)
		}
		if cfg["region"] != want || got[i].DisplayName != strings.ToUpper(want[:1])+want[1:] {
			t.Errorf("result %d: %q with configuration %v", i, got[i].DisplayName, cfg)
		}
	}
	if n := mock.RequestCount("GET", "/instances/{id}"); n != 2 {
		t.Errorf("%d instance reads for 2 results", n)
	}

	if got := run(0, false); len(got) != 3 {
		t.Errorf("%d results without a limit, want 3", len(got))
	}
	if n := mock.RequestCount("GET", "/instances/{id}"); n != 0 {
		t.Errorf("%d instance reads without include_resource", n)
	}
}

// Instances that already carry the provider's default_tags adopt as they
// are: the generated configuration leaves those tags to the provider, and
// plans import-only (issue 21 item 3). An sfdc instance, whose
// oauth.api.key the API masks, is listed with a warning that names the key
// the generated configuration cannot carry (item 5).
func TestAccInstanceList_generateConfigDefaultTags(t *testing.T) {
	cli := newCLIRunner(t)
	skipUnlessQuery(t, cli.cli)
	mock := newTestMock(t, mockapi.Options{})
	const defaultTag = "managed-by:terraform"
	tagged := mock.Seed(mockapi.Instance{Name: "CRM EU", Tags: []string{"team-crm", defaultTag}, Configuration: map[string]string{"region": "eu"}})
	onlyDefault := mock.Seed(mockapi.Instance{Name: "CRM US", Tags: []string{defaultTag}, Configuration: map[string]string{"region": "us"}})
	sales, err := mock.SeedDocumented("sfdc", "Sales Cloud", map[string]string{
		"oauth.api.key": "sfdc-client-id", "oauth.api.secret": "sfdc-client-secret",
		"oauth.callback.url": "https://app.example.com/oauth/sfdc",
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := mock.Instance(sales.ID); got.Configuration["oauth.api.key"] == "" {
		t.Fatal("the seeded sfdc instance has no oauth.api.key: the test would prove nothing")
	}
	mock.Mutate(sales.ID, func(in *mockapi.Instance) { in.Tags = append(in.Tags, defaultTag) })

	cli.write(cliProviderConfig(mock.BaseURL, fmt.Sprintf("  default_tags = [%q]", defaultTag)))
	// Disjoint blocks (the sfdc instance carries the tag too): each
	// instance is found once.
	writeFile(t, filepath.Join(cli.dir, "adopt.tfquery.hcl"), fmt.Sprintf(`
list "cloudelements_instance" "tagged" {
  provider = cloudelements
  config {
    tags        = [%q]
    element_key = "fake"
  }
}

list "cloudelements_instance" "sfdc" {
  provider = cloudelements
  config {
    element_key = "sfdc"
  }
}
`, defaultTag))
	cli.run("init", "-input=false")
	out := cli.run("query", "-generate-config-out=generated.tf")
	if !regexp.MustCompile(`Warning: [\s\S]*oauth\.api\.key[\s\S]*Sales Cloud`).MatchString(out) {
		t.Errorf("no warning names the masked oauth.api.key of the sfdc instance:\n%s", out)
	}
	generated := readFile(t, filepath.Join(cli.dir, "generated.tf"))
	t.Logf("generated.tf:\n%s", generated)
	if strings.Contains(generated, defaultTag) {
		t.Errorf("generated.tf repeats the provider's default tag %q", defaultTag)
	}
	blocks := generatedBlocks(generated)
	for addr, id := range blocks.imports {
		if id == idOf(tagged) && !strings.Contains(blocks.resources[addr], `"team-crm"`) {
			t.Errorf("%s lost its own tag:\n%s", addr, blocks.resources[addr])
		}
	}
	if len(blocks.imports) != 3 {
		t.Fatalf("%d import blocks, want 3 (CRM EU %d, CRM US %d, Sales Cloud %d)", len(blocks.imports), tagged.ID, onlyDefault.ID, sales.ID)
	}
	plan := cli.run("plan", "-input=false")
	if !strings.Contains(plan, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("want a plan that only imports:\n%s", plan)
	}
}
