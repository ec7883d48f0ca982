// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/protocolserver"
)

// cliRunner drives the Terraform (or OpenTofu) CLI directly against this
// provider served in-process, for what plugin-testing cannot do: it never
// installs modules, for one (its init runs before the step's configuration
// is written).
type cliRunner struct {
	t        *testing.T
	dir      string
	cli      string
	reattach string
	// cliConfig, when set, is a CLI configuration launching the built
	// provider (newLaunchedCLIRunner) instead of the reattached one.
	cliConfig string
}

// newCLIRunner serves the provider under its published address and returns
// a runner in a fresh working directory. It skips unless TF_ACC is set.
func newCLIRunner(t *testing.T) *cliRunner {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no CLI: set TF_ACC_TERRAFORM_PATH")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	server := protocolserver.NewProtocol6(New("test")())
	go func() {
		err := tf6server.Serve("registry.terraform.io/cloudelements/cloudelements",
			func() tfprotov6.ProviderServer { return server() },
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithoutLogStderrOverride(),
			// Logs follow TF_LOG and TF_LOG_PATH, as under plugin-testing.
			tf6server.WithLoggingSink(t))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
			close(configCh)
		}
	}()
	cfg, ok := <-configCh
	if !ok || cfg == nil {
		cancel()
		t.FailNow()
	}
	t.Cleanup(func() { cancel(); <-closeCh })

	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	entry := reattach{string(cfg.Protocol), cfg.ProtocolVersion, cfg.Pid, true, addr{cfg.Addr.Network(), cfg.Addr.String()}}
	raw, err := json.Marshal(map[string]reattach{
		"registry.terraform.io/cloudelements/cloudelements": entry,
		"registry.opentofu.org/cloudelements/cloudelements": entry,
	})
	if err != nil {
		t.Fatal(err)
	}
	base := os.Getenv("TF_ACC_TEMP_DIR")
	if base != "" {
		if err := os.MkdirAll(base, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Under TF_ACC_TEMP_DIR like plugin-testing's own directories, so a
	// failed run leaves nothing in /tmp.
	dir, err := os.MkdirTemp(base, "cli-") //nolint:usetesting // t.TempDir ignores TF_ACC_TEMP_DIR

	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return &cliRunner{t: t, dir: dir, cli: cli, reattach: string(raw)}
}

// write replaces the configuration in the working directory.
func (r *cliRunner) write(config string) {
	r.t.Helper()
	if err := os.WriteFile(r.dir+"/main.tf", []byte(config), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// run runs one CLI command and returns its combined output; it fails the
// test when the command fails.
func (r *cliRunner) run(args ...string) string {
	r.t.Helper()
	out, err := r.try(args...)
	if err != nil {
		r.t.Fatalf("%s %s: %v\n%s", r.cli, strings.Join(args, " "), err, out)
	}
	return out
}

// try runs one CLI command and returns its output and error.
func (r *cliRunner) try(args ...string) (string, error) {
	cmd := exec.Command(r.cli, append(args, "-no-color")...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+r.reattach, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	if r.cliConfig != "" {
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+r.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// skipUnlessNewest is newestCLIOnly for tests that drive the CLI
// themselves: it skips below Terraform 1.14 (OpenTofu reports its own
// version, below that too).
func (r *cliRunner) skipUnlessNewest() {
	r.t.Helper()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(r.run("version", "-json")), &v); err != nil {
		r.t.Fatalf("version -json: %v", err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		r.t.Fatalf("version %q: %v", v.Version, err)
	}
	if major == 1 && minor < 14 {
		r.t.Skipf("CLI version %s is below 1.14.0: the replays run on the newest Terraform only", v.Version)
	}
}

var (
	providerBinaryOnce sync.Once
	providerBinaryDir  string
	providerBinaryErr  error
)

// newLaunchedCLIRunner is newCLIRunner with the provider built and launched
// by the CLI (dev_overrides), one process per provider configuration as in
// real use, instead of served in-process: a configuration with provider
// aliases configures each its own process (a reattached server would be
// configured once per alias, the last configuration winning). The binary is
// built once per test binary.
func newLaunchedCLIRunner(t *testing.T) *cliRunner {
	t.Helper()
	r := newCLIRunner(t)
	providerBinaryOnce.Do(func() {
		providerBinaryDir, providerBinaryErr = filepath.Abs("../../build/bin/acc-provider")
		if providerBinaryErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(providerBinaryDir, "terraform-provider-cloudelements"), "../..").CombinedOutput()
		if err != nil {
			providerBinaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if providerBinaryErr != nil {
		t.Fatal(providerBinaryErr)
	}
	rc := filepath.Join(r.dir, ".terraformrc")
	var overrides strings.Builder
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		fmt.Fprintf(&overrides, "    %q = %q\n", host+"/cloudelements/cloudelements", providerBinaryDir)
	}
	if err := os.WriteFile(rc, []byte("provider_installation {\n  dev_overrides {\n"+overrides.String()+"  }\n  direct {}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.cliConfig = rc
	return r
}

// installModules is the command that prepares the working directory:
// init, or, when the CLI launches the built provider (dev_overrides, which
// init would look up in the registry), get, which installs the modules only.
func (r *cliRunner) installModules() []string {
	if r.cliConfig != "" {
		return []string{"get"}
	}
	return []string{"init", "-input=false"}
}
