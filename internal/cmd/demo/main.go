// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command demo is `make demo`: it shows the provider end to end on this
// machine. It builds the provider, starts the mock Cloud Elements API and a
// receiver that verifies signatures (both in this process), applies
// examples/demo with the real Terraform CLI, sends a vendor event through the
// mock, reports what the receiver got and the formula executions the event
// caused, and destroys everything again, also
// when a step fails or on Ctrl-C. It exits non-zero if any step fails.
//
// Usage: go run ./internal/cmd/demo -terraform /path/to/terraform
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	receiver "github.com/cloudelements/terraform-provider-cloudelements/examples/receivers/go"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

const (
	userSecret   = "demo-user-secret"
	orgSecret    = "demo-organization-secret"
	signatureKey = "demo-signature-key"
)

func main() {
	tf := flag.String("terraform", "terraform", "Terraform CLI to run")
	workDir := flag.String("workdir", "build/demo", "scratch directory (provider binary, CLI config, state)")
	flag.Parse()
	os.Exit(demo(*tf, *workDir))
}

func demo(tf, workDir string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, tf, workDir); err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo FAILED: %v\n", err)
		return 1
	}
	fmt.Println("\ndemo OK: everything it started is stopped and the mock holds no instances.")
	return 0
}

// shownPath is path relative to the working directory when it lies below
// it, so the demo's output shows no machine path; else path unchanged.
func shownPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

func step(msg string)                 { fmt.Println("==> " + msg) }
func info(format string, args ...any) { fmt.Printf("    "+format+"\n", args...) }

func run(ctx context.Context, tf, workDir string) (err error) {
	workDir, err = filepath.Abs(workDir)
	if err != nil {
		return err
	}
	pluginDir := filepath.Join(workDir, "plugins")
	stateDir := filepath.Join(workDir, "tf")
	for _, d := range []string{pluginDir, stateDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}

	step("Building the provider")
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-cloudelements"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	info("%s", shownPath(filepath.Join(pluginDir, "terraform-provider-cloudelements")))

	step("Starting the mock Cloud Elements API")
	mock := mockapi.New(mockapi.Options{
		UserSecret: userSecret, OrganizationSecret: orgSecret,
		DeliveryAttempts: 3, DeliveryBackoff: mockapi.ExponentialBackoff(200*time.Millisecond, time.Second),
	})
	defer mock.Close()
	mockURL, stopMock, err := serve(mock)
	if err != nil {
		return err
	}
	defer stopMock()
	baseURL := mockURL + mockapi.Prefix
	info("%s", baseURL)

	step("Starting a receiver that verifies Elements-Webhook-Signature")
	got := &inbox{}
	recvURL, stopRecv, err := serve(http.StripPrefix("/events", receiverHandler(got)))
	if err != nil {
		return err
	}
	defer stopRecv()
	callback := recvURL + "/events"
	info("%s", callback)

	cli := &terraform{path: tf, dir: stateDir, env: append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+writeCLIConfig(workDir, pluginDir),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"CLOUDELEMENTS_BASE_URL="+baseURL,
		"CLOUDELEMENTS_USER_SECRET="+userSecret,
		"CLOUDELEMENTS_ORGANIZATION_SECRET="+orgSecret,
		"TF_VAR_callback_url="+callback,
		"TF_VAR_signature_key="+signatureKey,
	)}
	if err := copyConfig(stateDir); err != nil {
		return err
	}

	step("terraform apply examples/demo")
	// Destroy whatever apply created, whatever happens next, even after Ctrl-C.
	defer func() {
		step("terraform destroy")
		dctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, derr := cli.run(dctx, "destroy", "-auto-approve", "-input=false")
		if derr != nil {
			err = errors.Join(err, fmt.Errorf("destroy: %w", derr))
			return
		}
		info("%s", summary(out, "Destroy complete"))
		if left := mock.Instances(); len(left) != 0 {
			err = errors.Join(err, fmt.Errorf("%d instances left in the mock after destroy", len(left)))
		}
		if left := mock.CustomElements(); len(left) != 0 {
			err = errors.Join(err, fmt.Errorf("%d custom elements left in the mock after destroy", len(left)))
		}
	}()
	out, err := cli.run(ctx, "apply", "-auto-approve", "-input=false")
	if err != nil {
		return err
	}
	info("%s", summary(out, "Apply complete"))
	outputs, err := cli.outputs(ctx)
	if err != nil {
		return err
	}
	id := outputs["instance_id"]
	info("instance %s, events %s", id, outputs["events"])

	step("Custom element cloudelements_element.mycrm and an instance of it")
	info("%s", outputs["custom_element"])
	if n := len(mock.CustomElements()); n != 1 {
		return fmt.Errorf("the mock holds %d custom elements, want 1", n)
	}

	step("Data source cloudelements_instances (tags = [\"team-crm\"])")
	for _, line := range strings.Split(outputs["crm_instances"], "\n") {
		info("%s", line)
	}

	step("Sending a vendor event through the mock: contacts/42 CREATED")
	if err := sendVendorEvent(ctx, baseURL, id); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := mock.WaitForDeliveries(wctx); err != nil {
		return fmt.Errorf("waiting for the delivery: %w", err)
	}
	deliveries := got.all()
	if len(deliveries) == 0 {
		return errors.New("the receiver got no notification")
	}
	for _, d := range deliveries {
		info("receiver got event %s: %s", d.id, d.summary)
		info("Elements-Webhook-Signature %s: %s", d.signature, map[bool]string{true: "verified", false: "DOES NOT VERIFY"}[d.verified])
		if !d.verified {
			return errors.New("a notification's signature did not verify")
		}
	}

	fiID := outputs["formula_instance_id"]
	step("Executions of formula instance " + fiID + " (GET /formulas/instances/" + fiID + "/executions)")
	executions, err := formulaExecutions(ctx, baseURL, fiID)
	if err != nil {
		return err
	}
	if len(executions) == 0 {
		return errors.New("the vendor event caused no formula execution")
	}
	for _, ex := range executions {
		info("execution %d of formula instance %d: %s (event %s)", ex.ID, ex.FormulaInstanceID, ex.Status, ex.EventID)
	}

	step("provider::cloudelements::webhook_signature agrees with the mock's signing")
	sample := `{"message":{"instanceId":12345}}`
	if fn, want := outputs["sample_signature"], mockapi.Sign(signatureKey, []byte(sample)); fn != want {
		return fmt.Errorf("function gave %s, the mock signs %s", fn, want)
	}
	info("%s", outputs["sample_signature"])
	return nil
}

// serve runs h on a free loopback port.
func serve(h http.Handler) (url string, stop func(), err error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

type delivery struct {
	id, summary, signature string
	verified               bool
}

type inbox struct {
	mu   sync.Mutex
	list []delivery
}

func (b *inbox) all() []delivery {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]delivery(nil), b.list...)
}

// receiverHandler is the guide's Go receiver, recording what it verified.
func receiverHandler(b *inbox) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := delivery{id: r.Header.Get("Elements-Webhook-Id"), signature: r.Header.Get("Elements-Webhook-Signature")}
		var body []byte
		receiver.Handler(signatureKey, func(raw []byte) {
			d.verified = true
			body = raw
		}).ServeHTTP(w, r)
		var n struct {
			Message struct {
				InstanceID int64 `json:"instanceId"`
				Events     []struct{ EventType, ObjectType, ObjectID string }
			}
		}
		if err := json.Unmarshal(body, &n); err == nil {
			for _, e := range n.Message.Events {
				d.summary += fmt.Sprintf("%s %s/%s on instance %d", e.EventType, e.ObjectType, e.ObjectID, n.Message.InstanceID)
			}
		}
		b.mu.Lock()
		b.list = append(b.list, d)
		b.mu.Unlock()
	})
}

func sendVendorEvent(ctx context.Context, baseURL, id string) error {
	body := `{"objectType":"contacts","objectId":"42","eventType":"CREATED"}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/events/campaignmonitor?elementInstanceId="+id, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "User "+userSecret+", Organization "+orgSecret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST /events/campaignmonitor: %s", resp.Status)
	}
	return nil
}

// formulaExecutions reads a formula instance's executions from the mock's
// API (one page: the demo causes a handful).
func formulaExecutions(ctx context.Context, baseURL, id string) ([]mockapi.FormulaExecution, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/formulas/instances/"+id+"/executions", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "User "+userSecret+", Organization "+orgSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /formulas/instances/%s/executions: %s", id, resp.Status)
	}
	var out []mockapi.FormulaExecution
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("GET /formulas/instances/%s/executions: %w", id, err)
	}
	return out, nil
}

// writeCLIConfig points Terraform at the freshly built provider
// (dev_overrides: no init, no registry).
func writeCLIConfig(workDir, pluginDir string) string {
	path := filepath.Join(workDir, "terraformrc")
	cfg := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cloudelements/cloudelements" = %q
    "registry.opentofu.org/cloudelements/cloudelements" = %q
  }
  direct {}
}
`, pluginDir, pluginDir)
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		panic(err)
	}
	return path
}

func copyConfig(dir string) error {
	src, err := os.ReadFile(filepath.Join("examples", "demo", "main.tf"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644)
}

type terraform struct {
	path, dir string
	env       []string
}

// run runs one CLI command; on failure the error carries its whole output.
func (t *terraform) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, t.path, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = t.dir, t.env
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("terraform %s: %v\n%s", args[0], err, out)
	}
	return string(out), nil
}

// outputs returns every output as text (lists one item a line), sensitive
// ones included: the demo checks the function's result.
func (t *terraform) outputs(ctx context.Context) (map[string]string, error) {
	out, err := t.run(ctx, "output", "-json")
	if err != nil {
		return nil, err
	}
	var raw map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	start := strings.Index(out, "{")
	if start < 0 {
		return nil, fmt.Errorf("terraform output printed no JSON:\n%s", out)
	}
	if err := json.Unmarshal([]byte(out[start:]), &raw); err != nil {
		return nil, fmt.Errorf("terraform output: %w", err)
	}
	res := map[string]string{}
	for k, v := range raw {
		var s string
		var list []string
		switch {
		case json.Unmarshal(v.Value, &s) == nil:
			res[k] = s
		case json.Unmarshal(v.Value, &list) == nil:
			res[k] = strings.Join(list, "\n")
		default:
			res[k] = string(bytes.TrimSpace(v.Value))
		}
	}
	return res, nil
}

// summary picks the CLI's closing line, e.g. "Apply complete! Resources: 1 added, ...".
func summary(out, prefix string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), prefix) {
			return strings.TrimSpace(line)
		}
	}
	return prefix
}
