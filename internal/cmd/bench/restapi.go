// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// The restapi contender: Mastercard's generic REST provider, built from its
// module on demand and never committed.
const (
	restapiModule  = "github.com/Mastercard/terraform-provider-restapi"
	restapiVersion = "v1.20.0"
	restapiAddress = "registry.terraform.io/Mastercard/restapi"
)

// restapiDebugMain serves restapi in managed debug mode, like
// `terraform-provider-cloudelements -debug`: the bench reattaches
// Terraform to it and reads its rusage, as for cloudelements. Its own
// main.go has no debug mode.
const restapiDebugMain = `// Written by make bench (internal/cmd/bench/restapi.go); not restapi's code.
package main

import (
	"github.com/Mastercard/terraform-provider-restapi/restapi"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{
		ProviderFunc: func() *schema.Provider { return restapi.Provider() },
		Debug:        true,
		ProviderAddr: "` + restapiAddress + `",
	})
}
`

// ensureRestapi returns bin/terraform-provider-restapi_<version>-bench,
// building it when missing: `go mod download -json` of the module in a
// temporary directory outside the repository, a writable copy of its
// source under build/restapi/ (removed after the build), the debug main
// above, `go build`.
func ensureRestapi(ctx context.Context, s settings, logf func(string, ...any)) (string, error) {
	bin := filepath.Join(s.repo, "bin", "terraform-provider-restapi_"+restapiVersion+"-bench")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	logf("building %s@%s into %s (about 20 s)", restapiModule, restapiVersion, rel(s.repo, bin))
	tmp, err := os.MkdirTemp("", "bench-restapi-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := goCmd(ctx, tmp, nil, "mod", "init", "bench-restapi-download"); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", restapiModule+"@"+restapiVersion)
	cmd.Dir = tmp
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w", restapiModule, restapiVersion, err)
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: no directory (%s): %v", restapiModule, restapiVersion, mod.Error, err)
	}
	src := filepath.Join(s.repo, "build", "restapi", restapiVersion)
	if err := os.RemoveAll(src); err != nil {
		return "", err
	}
	if err := copyTree(mod.Dir, src); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(src, "benchdebug"), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "benchdebug", "main.go"), []byte(restapiDebugMain), 0o644); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	// GOFLAGS=-mod=mod: the module's go.sum may miss entries for the
	// packages the debug main adds; GOWORK=off: not part of this repo.
	if err := goCmd(ctx, src, []string{"GOFLAGS=-mod=mod", "GOWORK=off"}, "build", "-o", bin, "./benchdebug"); err != nil {
		return "", err
	}
	// The copy is not needed once built, and `gofmt -l .` would list its
	// files.
	return bin, os.RemoveAll(filepath.Join(s.repo, "build", "restapi"))
}

// copyTree copies the regular files under src to dst, writable (the module
// cache is read-only).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, r)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
