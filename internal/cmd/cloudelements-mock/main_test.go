// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"flag"
	"os/exec"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

func TestExportLine(t *testing.T) {
	cases := map[string]string{
		"user-secret":                           "export X=user-secret",
		"http://127.0.0.1:8080/elements/api-v2": "export X=http://127.0.0.1:8080/elements/api-v2",
		"a b":                                   "export X='a b'",
		"it's":                                  `export X='it'\''s'`,
		"$HOME;rm":                              "export X='$HOME;rm'",
		"":                                      "export X=''",
	}
	for in, want := range cases {
		if got := exportLine("X", in); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
	// what a shell makes of it
	if _, err := exec.LookPath("sh"); err == nil {
		for in := range cases {
			out, err := exec.Command("sh", "-c", exportLine("X", in)+`; printf %s "$X"`).Output()
			if err != nil || string(out) != in {
				t.Errorf("%q: the shell read %q (%v)", in, out, err)
			}
		}
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-patch-null", "reset", "-put-absent-keys", "keep", "-tags-filter", "any",
		"-search-text", "ignore", "-paging", "always-token", "-list-entries", "masked", "-empty-search-404=false", "-catalog-status", "403"})
	if err != nil {
		t.Fatal(err)
	}
	o := c.opts
	if o.PatchNull != mockapi.PatchNullReset || o.PutAbsentKeys != mockapi.PutAbsentKeep || o.TagsFilter != mockapi.TagsFilterAny ||
		o.SearchText != mockapi.SearchTextIgnore || o.Paging != mockapi.PagingAlwaysToken || o.ListEntries != mockapi.ListEntriesMasked || o.EmptySearch404 == nil ||
		*o.EmptySearch404 || o.CatalogStatus != 403 {
		t.Errorf("options %+v", o)
	}
	c, err = parseFlags(nil)
	if err != nil || c.opts.PatchNull != mockapi.PatchNullRemove || *c.opts.EmptySearch404 != true || c.addr != "127.0.0.1:8080" {
		t.Errorf("defaults %+v %v", c, err)
	}
	for _, bad := range [][]string{{"-paging", "pages"}, {"-list-entries", "sparse"}, {"-patch-null", "drop"}, {"-catalog-status", "7"}, {"-delivery-attempts", "0"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// -help lists every reading flag.
func TestHelpListsReadings(t *testing.T) {
	var out strings.Builder
	_, err := parseFlagsTo([]string{"-help"}, &out)
	if err != flag.ErrHelp {
		t.Fatalf("err %v", err)
	}
	for _, name := range []string{"-patch-null", "-put-absent-keys", "-tags-filter", "-search-text", "-paging",
		"-list-entries", "-empty-search-404", "-catalog-status"} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("-help lacks %s:\n%s", name, out.String())
		}
	}
}

func TestParseVDRFlags(t *testing.T) {
	c, err := parseFlags([]string{"-vdr-field-order", "as-sent", "-vdr-undefined-paths", "accept", "-vdr-existing-definition", "replace"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (mockapi.VDROptions{FieldOrder: "as-sent", UndefinedPaths: "accept", ExistingDefinition: "replace",
		TypeChange: "keep", EmptyList: "object", TransformationListLevel: "level"}); c.opts.VDRs != want {
		t.Errorf("options %+v, want %+v", c.opts.VDRs, want)
	}
	if _, err := parseFlags([]string{"-vdr-undefined-paths", "drop"}); err == nil {
		t.Error("-vdr-undefined-paths drop accepted")
	}
}

// TestParseListFlags: the readings of the lists terraform query reads.
func TestParseListFlags(t *testing.T) {
	c, err := parseFlags([]string{"-vdr-type-change", "propagate", "-vdr-empty-list", "not-found",
		"-vdr-transformation-list-level", "none", "-formula-instance-list", "abridged"})
	if err != nil {
		t.Fatal(err)
	}
	if v := c.opts.VDRs; v.TypeChange != "propagate" || v.EmptyList != "not-found" || v.TransformationListLevel != "none" {
		t.Errorf("VDR options %+v", v)
	}
	if c.opts.FormulaInstanceList != mockapi.FormulaInstanceListAbridged {
		t.Errorf("FormulaInstanceList %q", c.opts.FormulaInstanceList)
	}
	for _, bad := range [][]string{{"-vdr-empty-list", "nothing"}, {"-formula-instance-list", "partial"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
