// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The demo prints paths below the directory it runs in relative to it, so
// its output (and the README's copy of it) shows no machine path.
func TestShownPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(wd, "build", "demo", "plugins", "terraform-provider-cloudelements")
	if got, want := shownPath(in), filepath.Join("build", "demo", "plugins", "terraform-provider-cloudelements"); got != want {
		t.Errorf("shownPath(%q) = %q, want %q", in, got, want)
	}
	outside := filepath.Join(filepath.Dir(filepath.Dir(wd)), "elsewhere", "x")
	if got := shownPath(outside); got != outside {
		t.Errorf("shownPath(%q) = %q, want it unchanged (not below the working directory)", outside, got)
	}
}
