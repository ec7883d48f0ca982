// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// The restapi contender: Mastercard's generic REST provider, built from its
// module source on first use into bin/ and never committed.
const (
	restapiModule  = "github.com/Mastercard/terraform-provider-restapi"
	restapiVersion = "v1.20.0"
)

// ensureRestapi returns bin/terraform-provider-restapi_<version>, building
// it when missing: `go install module@version` is refused (the proxy will
// not list the module's versions), so the module is downloaded into the
// module cache, copied to a writable directory (its go.sum lacks entries
// that `go build` adds) and built with its own main.go.
func ensureRestapi(ctx context.Context, repo string) (string, error) {
	bin := filepath.Join(repo, "bin", "terraform-provider-restapi_"+restapiVersion)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	logf("building %s@%s into %s", restapiModule, restapiVersion, bin)
	tmp, err := os.MkdirTemp("", "bench-restapi-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := goCmd(ctx, tmp, nil, "mod", "init", "bench-restapi"); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", restapiModule+"@"+restapiVersion)
	cmd.Dir = tmp
	out, err := cmd.Output()
	var mod struct{ Dir string }
	if err != nil || json.Unmarshal(out, &mod) != nil || mod.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: %v %s", restapiModule, restapiVersion, err, out)
	}
	src := filepath.Join(tmp, "src")
	if err := exec.CommandContext(ctx, "cp", "-r", mod.Dir, src).Run(); err != nil {
		return "", fmt.Errorf("copying %s: %w", mod.Dir, err)
	}
	if err := exec.CommandContext(ctx, "chmod", "-R", "u+w", src).Run(); err != nil {
		return "", err
	}
	return bin, goCmd(ctx, src, []string{"GOFLAGS=-mod=mod", "GOWORK=off"}, "build", "-o", bin, ".")
}
