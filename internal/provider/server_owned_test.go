// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// TestAccImport_serverOwnedKeys adopts instances of documented OAuth
// elements, seeded as the API stores them after an OAuth create: the keys a
// user sent, the keys the API adds (base.url, pagination.*, ...) and the
// credentials it obtained (oauth.user.token, refresh token, session ids),
// the latter in clear as the documented responses show them. Import blocks
// and a configuration holding only what the user set, as a user adopting
// them would write:
//
//   - no server-written credential, instance token or user secret appears
//     in plan or apply output, nor in the CLI's or the provider's TRACE log;
//   - the apply changes nothing the user did not configure: every key the
//     API added or wrote keeps its value in the mock, and no PATCH carries a
//     null (Terraform had set nothing on these instances);
//   - the next plan is empty.
//
// Not parallel: the log settings are environment variables.
func TestAccImport_serverOwnedKeys(t *testing.T) {
	logDir := t.TempDir()
	cliLog, providerLog := filepath.Join(logDir, "cli.log"), filepath.Join(logDir, "provider.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", cliLog)          // the CLI's log
	t.Setenv("TF_ACC_LOG_PATH", providerLog) // the provider's, served in-process
	cli := newCLIRunner(t)
	mock := newTestMock(t, mockapi.Options{})

	var secrets secretSet
	type adopted struct {
		label, element string
		id             int64
		config, secret map[string]string
	}
	var all []adopted
	for i, key := range []string{"paypalv2", "bullhorn", "sagelive", "sageone"} {
		e, ok := mockapi.LookupElement(key)
		if !ok || !e.OAuth || len(e.Credentials) == 0 {
			t.Fatalf("%s is not a documented OAuth element with credentials", key)
		}
		a := adopted{label: "a" + fmt.Sprint(i), element: key, config: map[string]string{}, secret: map[string]string{}}
		user := map[string]string{}
		for _, in := range e.Inputs {
			v := fmt.Sprintf("%s-value-%d", strings.ReplaceAll(in.Key, ".", "-"), i)
			if in.Type == "BOOLEAN" {
				v = "false"
			}
			user[in.Key] = v
			if configkeys.Secret(in.Key) {
				a.secret[in.Key] = v
				secrets.add("user secret "+in.Key, v)
			} else {
				a.config[in.Key] = v
			}
		}
		in, err := mock.SeedDocumented(key, "Adopted "+key, user, true)
		if err != nil {
			t.Fatal(err)
		}
		a.id = in.ID
		for k := range e.Credentials {
			if v, ok := in.Configuration[k]; ok && v != "" && configkeys.Secret(k) {
				secrets.add(key+" server-written "+k, v)
			}
		}
		secrets.add(key+" instance token", in.Token)
		all = append(all, a)
	}
	before := map[int64]mockapi.Instance{}
	for _, in := range mock.Instances() {
		before[in.ID] = in
	}

	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    cloudelements = { source = \"cloudelements/cloudelements\" }\n  }\n}\n")
	b.WriteString(mock.ProviderConfig())
	for _, a := range all {
		fmt.Fprintf(&b, "import {\n  to = cloudelements_instance.%s\n  id = \"%d\"\n}\n", a.label, a.id)
		b.WriteString(instanceHCL{
			Label: a.label, Element: a.element, Name: "Adopted " + a.element,
			ProviderData: map[string]string{"code": "seeded-oauth-code"},
			Config:       a.config, Sensitive: a.secret,
		}.String())
	}
	cli.write(b.String())
	cli.run("init", "-input=false")

	plan := cli.run("plan", "-input=false")
	if leaks := secrets.leaks(plan); len(leaks) > 0 {
		t.Errorf("plan output shows %s", strings.Join(leaks, "; "))
	}
	mock.ResetRequests()
	apply := cli.run("apply", "-auto-approve", "-input=false")
	if leaks := secrets.leaks(apply); len(leaks) > 0 {
		t.Errorf("apply output shows %s", strings.Join(leaks, "; "))
	}
	if !strings.Contains(apply, fmt.Sprintf("%d imported, 0 added", len(all))) {
		t.Errorf("want %d imports:\n%s", len(all), apply)
	}
	for _, body := range requestBodies(t, mock, "PATCH", "/instances/{id}") {
		cfg, _ := body["configuration"].(map[string]any)
		for k, v := range cfg {
			if v == nil {
				t.Errorf("a PATCH sent null for %s, which Terraform never set", k)
			}
		}
		for k := range body {
			if k != "configuration" {
				t.Errorf("a PATCH after the import changed %s", k)
			}
		}
	}
	if n := mock.RequestCount("PUT", "/instances/{id}"); n != 0 {
		t.Errorf("%d PUTs: the seeded OAuth code was replayed", n)
	}
	for _, a := range all {
		after, _ := mock.Instance(a.id)
		was := before[a.id]
		e, _ := mockapi.LookupElement(a.element)
		owned := []string{}
		for k := range e.ServerKeys {
			owned = append(owned, k)
		}
		for k := range e.Credentials {
			owned = append(owned, k)
		}
		sort.Strings(owned)
		for _, k := range owned {
			if was.Configuration[k] != after.Configuration[k] || contains(was.NullConfiguration, k) != contains(after.NullConfiguration, k) {
				t.Errorf("%s: the server's %s changed from %q to %q", a.element, k, was.Configuration[k], after.Configuration[k])
			}
		}
		if was.Token != after.Token {
			t.Errorf("%s: the instance was re-authenticated", a.element)
		}
	}
	if out, err := cli.try("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after adopting is not empty (%v):\n%s", err, out)
	}
	cli.run("destroy", "-auto-approve", "-input=false")

	for _, path := range []string{cliLog, providerLog} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("log %s: %v", path, err)
		}
		if len(raw) < 1000 {
			t.Errorf("log %s holds only %d bytes: TRACE logging did not reach it", path, len(raw))
		}
		if leaks := secrets.leaks(string(raw)); len(leaks) > 0 {
			t.Errorf("%s shows %s", filepath.Base(path), strings.Join(leaks, "; "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
