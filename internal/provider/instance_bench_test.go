// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Benchmarks of the provider's per-instance hot paths, run by `make bench`
// (or `go test -run='^$' -bench=. -benchmem ./internal/provider/`):
//
//   - BenchmarkInstanceModel: the mapping between the API's Instance and the
//     Terraform model (refresh after Read/Create, the create request body);
//   - BenchmarkInstanceRPC: each RPC Terraform sends per instance, through
//     the framework's protocol-6 server in process (no gRPC, no
//     terraform-plugin-go logging: the context carries no loggers), against
//     a local HTTP server that answers with a canned instance (not the mock,
//     which records every request and would show up as retained memory).
//
// Times are machine-dependent; compare sub-benchmarks of one run, never
// absolute values. retained-B/op is heap still reachable after the loop
// (after two GCs) divided by b.N: steadily above ~0 means each call leaks.
// With terraform-plugin-framework v1.19.0 every RPC retains ~100 B here
// (more with an HTTP call): proto6server.registerContext appends each RPC's
// context.CancelFunc to a slice that only StopProvider clears, so every
// RPC context stays reachable for the life of the provider process. Under
// Terraform those contexts carry terraform-plugin-go's per-RPC loggers, and
// the same leak is ~20 KB per RPC (see the live-heap profiles of
// BENCH_PPROF=1 make bench).

import (
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// benchInstanceJSON is the instance as the mock answers it for the resource
// `make bench` creates (element "fake", two tags, events on).
const benchInstanceJSON = `{"id":1000,"name":"bench-7","createdDate":"2026-11-27T09:37:12Z",` +
	`"token":"B5Chg9NbF9P53ttfiWZmouPXG2U4QDFR0kSuYHbp2iM=","element":{"id":1,"key":"fake","name":"Fake"},` +
	`"elementId":1,"tags":["bench","n-7"],"provisionInteractions":[],"valid":true,"disabled":false,` +
	`"configuration":{"event.notification.callback.url":"https://hooks.example.com/bench/7",` +
	`"event.notification.enabled":"true","event.vendor.type":"webhook","filter.response.nulls":"true"},` +
	`"eventsEnabled":true,"eventsNotificationCallbackUrl":"https://hooks.example.com/bench/7",` +
	`"externalAuthentication":"none","user":{"id":123456,"emailAddress":"sandbox@example.com"}}` + "\n"

const benchCallbackURL = "https://hooks.example.com/bench/7"

// benchPlanModel is the plan of the `make bench` resource as Create sees it.
func benchPlanModel(b *testing.B) instanceResourceModel {
	b.Helper()
	ctx := context.Background()
	tags, d := types.SetValueFrom(ctx, types.StringType, []string{"bench", "n-7"})
	if d.HasError() {
		b.Fatal(d)
	}
	ev := eventNotificationModel{
		Enabled:               types.BoolValue(true),
		CallbackURL:           types.StringValue(benchCallbackURL),
		SignatureKey:          types.StringNull(),
		VendorType:            types.StringValue(configkeys.VendorWebhook),
		PollerRefreshInterval: types.Int64Null(),
		PollerConfiguration:   jsontypes.NewNormalizedNull(),
		Objects:               types.SetNull(types.StringType),
		InstanceFinder:        types.StringNull(),
		PollerURLs:            types.StringNull(),
		Metadata:              jsontypes.NewNormalizedNull(),
	}
	list, d := types.ListValueFrom(ctx, eventNotificationObjectType, []eventNotificationModel{ev})
	if d.HasError() {
		b.Fatal(d)
	}
	return instanceResourceModel{
		ID:                     types.StringUnknown(),
		ElementKey:             types.StringValue("fake"),
		Name:                   types.StringValue("bench-7"),
		ProviderData:           types.MapNull(types.StringType),
		ProviderDataWO:         types.MapNull(types.StringType),
		SensitiveConfigWO:      types.MapNull(types.StringType),
		Configuration:          types.MapNull(types.StringType),
		SensitiveConfiguration: types.MapNull(types.StringType),
		Tags:                   tags,
		TagsAll:                tags,
		Disabled:               types.BoolValue(false),
		EventNotification:      list,
		Token:                  types.StringUnknown(),
		ElementID:              types.Int64Unknown(),
		Valid:                  types.BoolUnknown(),
		CreatedDate:            types.StringUnknown(),
	}
}

func BenchmarkInstanceModel(b *testing.B) {
	ctx := context.Background()
	var in cloudelements.Instance
	if err := json.Unmarshal([]byte(benchInstanceJSON), &in); err != nil {
		b.Fatal(err)
	}
	plan := benchPlanModel(b)

	b.Run("refresh", func(b *testing.B) { // API instance -> model, as after Create and Read
		b.ReportAllocs()
		for b.Loop() {
			m := plan
			if d := m.refresh(ctx, &in, refreshApply, nil); d.HasError() {
				b.Fatal(d)
			}
		}
	})
	b.Run("refresh-import", func(b *testing.B) { // no prior: every readable key is pulled in
		b.ReportAllocs()
		for b.Loop() {
			m := instanceResourceModel{ID: types.StringValue("1000"), Tags: types.SetNull(types.StringType),
				EventNotification: types.ListNull(eventNotificationObjectType)}
			if d := m.refresh(ctx, &in, refreshImport, nil); d.HasError() {
				b.Fatal(d)
			}
		}
	})
	b.Run("create-request", func(b *testing.B) { // model -> POST /instances body
		b.ReportAllocs()
		for b.Loop() {
			if _, d := plan.createRequest(ctx, writeOnlyValues{}); d.HasError() {
				b.Fatal(d)
			}
		}
	})
	b.Run("update-request-no-change", func(b *testing.B) { // the diff Update computes
		state := plan
		if d := state.refresh(ctx, &in, refreshRead, nil); d.HasError() {
			b.Fatal(d)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, changed, d := updateRequest(ctx, &state, &state, managedKeys{}); d.HasError() || changed {
				b.Fatalf("changed=%v %v", changed, d)
			}
		}
	})
}

// benchRPC is a configured protocol-6 server and the values of one instance.
type benchRPC struct {
	srv                   tfprotov6.ProviderServer
	typ                   tftypes.Type
	config, null, created *tfprotov6.DynamicValue
	rawState              []byte
}

func newBenchRPC(b *testing.B) *benchRPC {
	b.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Elements-Request-Id", "0123456789abcdef01234567")
		if r.Method == http.MethodDelete {
			_, _ = io.WriteString(w, "{}\n")
			return
		}
		_, _ = io.WriteString(w, benchInstanceJSON)
	}))
	b.Cleanup(api.Close)

	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || benchHasError(schemas.Diagnostics) {
		b.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	provCfg := benchDynamic(b, schemas.Provider.ValueType(), map[string]any{
		"base_url": api.URL + "/elements/api-v2", "user_secret": "u", "organization_secret": "o",
	})
	conf, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: provCfg})
	if err != nil || benchHasError(conf.Diagnostics) {
		b.Fatalf("ConfigureProvider: %v %v", err, conf.Diagnostics)
	}

	r := &benchRPC{srv: srv, typ: schemas.ResourceSchemas["cloudelements_instance"].ValueType()}
	r.config = benchDynamic(b, r.typ, map[string]any{
		"element_key": "fake", "name": "bench-7", "tags": []any{"bench", "n-7"},
		"event_notification": []any{map[string]any{"callback_url": benchCallbackURL}},
	})
	r.null = benchDynamic(b, r.typ, nil)
	plan := r.planCreate(ctx, b)
	r.created = r.apply(ctx, b, r.null, plan)
	v, err := r.created.Unmarshal(r.typ)
	if err != nil {
		b.Fatal(err)
	}
	if r.rawState, err = json.Marshal(benchGo(v)); err != nil {
		b.Fatal(err)
	}
	return r
}

func (r *benchRPC) planCreate(ctx context.Context, b *testing.B) *tfprotov6.DynamicValue {
	resp, err := r.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "cloudelements_instance", PriorState: r.null, ProposedNewState: r.config, Config: r.config})
	if err != nil || benchHasError(resp.Diagnostics) {
		b.Fatalf("PlanResourceChange (create): %v %v", err, resp.Diagnostics)
	}
	return resp.PlannedState
}

func (r *benchRPC) apply(ctx context.Context, b *testing.B, prior, planned *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	resp, err := r.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "cloudelements_instance", PriorState: prior, PlannedState: planned, Config: r.config})
	if err != nil || benchHasError(resp.Diagnostics) {
		b.Fatalf("ApplyResourceChange: %v %v", err, resp.Diagnostics)
	}
	return resp.NewState
}

// BenchmarkInstanceRPC: the RPCs of one instance in `terraform apply`
// (ValidateResourceConfig, PlanResourceChange create, ApplyResourceChange
// create), `terraform plan` (UpgradeResourceState, ReadResource,
// PlanResourceChange without changes) and `terraform destroy` (the plan
// RPCs, then ApplyResourceChange delete).
func BenchmarkInstanceRPC(b *testing.B) {
	ctx := context.Background()
	r := newBenchRPC(b)
	const typeName = "cloudelements_instance"
	run := func(name string, call func() error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			before := benchHeapAfterGC()
			b.ResetTimer()
			for range b.N {
				if err := call(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(int64(benchHeapAfterGC())-int64(before))/float64(b.N), "retained-B/op")
		})
	}
	check := func(rpc string, err error, diags []*tfprotov6.Diagnostic) error {
		if err == nil && benchHasError(diags) {
			err = &benchDiagError{rpc: rpc, diags: diags}
		}
		return err
	}
	run("ValidateResourceConfig", func() error {
		resp, err := r.srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: r.config})
		return check("ValidateResourceConfig", err, resp.Diagnostics)
	})
	run("PlanResourceChange/create", func() error {
		resp, err := r.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: r.null, ProposedNewState: r.config, Config: r.config})
		return check("PlanResourceChange", err, resp.Diagnostics)
	})
	planned := r.planCreate(ctx, b)
	run("ApplyResourceChange/create", func() error { // one POST /instances
		resp, err := r.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: typeName, PriorState: r.null, PlannedState: planned, Config: r.config})
		return check("ApplyResourceChange", err, resp.Diagnostics)
	})
	run("UpgradeResourceState", func() error {
		resp, err := r.srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
			TypeName: typeName, RawState: &tfprotov6.RawState{JSON: r.rawState}})
		return check("UpgradeResourceState", err, resp.Diagnostics)
	})
	run("ReadResource", func() error { // one GET /instances/{id}
		resp, err := r.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: r.created})
		return check("ReadResource", err, resp.Diagnostics)
	})
	run("PlanResourceChange/no-change", func() error {
		resp, err := r.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: r.created, ProposedNewState: r.created, Config: r.config})
		return check("PlanResourceChange", err, resp.Diagnostics)
	})
	run("PlanResourceChange/destroy", func() error {
		resp, err := r.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: r.created, ProposedNewState: r.null, Config: r.null})
		return check("PlanResourceChange", err, resp.Diagnostics)
	})
	run("ApplyResourceChange/delete", func() error { // one DELETE /instances/{id}
		resp, err := r.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: typeName, PriorState: r.created, PlannedState: r.null, Config: r.null})
		return check("ApplyResourceChange", err, resp.Diagnostics)
	})
}

type benchDiagError struct {
	rpc   string
	diags []*tfprotov6.Diagnostic
}

func (e *benchDiagError) Error() string {
	var parts []string
	for _, d := range e.diags {
		parts = append(parts, d.Summary+": "+d.Detail)
	}
	return e.rpc + ": " + strings.Join(parts, "; ")
}

func benchHasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func benchHeapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func benchDynamic(b *testing.B, typ tftypes.Type, v any) *tfprotov6.DynamicValue {
	b.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, benchValue(typ, v))
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

// benchValue builds a tftypes.Value of typ from Go values: objects from
// map[string]any (missing attributes null), lists and sets from []any,
// strings, bools and numbers (int or float64); nil is null.
func benchValue(typ tftypes.Type, v any) tftypes.Value {
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	switch t := typ.(type) {
	case tftypes.Object:
		in, _ := v.(map[string]any)
		vals := map[string]tftypes.Value{}
		for name, at := range t.AttributeTypes {
			vals[name] = benchValue(at, in[name])
		}
		return tftypes.NewValue(t, vals)
	case tftypes.List:
		return tftypes.NewValue(t, benchElems(t.ElementType, v))
	case tftypes.Set:
		return tftypes.NewValue(t, benchElems(t.ElementType, v))
	case tftypes.Map:
		in, _ := v.(map[string]any)
		vals := map[string]tftypes.Value{}
		for k, e := range in {
			vals[k] = benchValue(t.ElementType, e)
		}
		return tftypes.NewValue(t, vals)
	}
	switch x := v.(type) {
	case int:
		return tftypes.NewValue(typ, big.NewFloat(float64(x)))
	case float64:
		return tftypes.NewValue(typ, big.NewFloat(x))
	}
	return tftypes.NewValue(typ, v)
}

func benchElems(typ tftypes.Type, v any) []tftypes.Value {
	in, _ := v.([]any)
	out := make([]tftypes.Value, 0, len(in))
	for _, e := range in {
		out = append(out, benchValue(typ, e))
	}
	return out
}

// benchGo turns a known tftypes.Value into plain Go values, the shape of
// the state file's "attributes" JSON.
func benchGo(v tftypes.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.Object{}), v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = benchGo(e)
		}
		return out
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}), v.Type().Is(tftypes.Tuple{}):
		var l []tftypes.Value
		_ = v.As(&l)
		out := make([]any, 0, len(l))
		for _, e := range l {
			out = append(out, benchGo(e))
		}
		return out
	case v.Type().Is(tftypes.Number):
		var f big.Float
		_ = v.As(&f)
		return json.Number(f.Text('f', -1))
	case v.Type().Is(tftypes.Bool):
		var x bool
		_ = v.As(&x)
		return x
	}
	var s string
	_ = v.As(&s)
	return s
}
