// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package processenv holds the process settings the provider binary (and
// the benchmark's instrumented copy of it) applies before serving: logs
// off unless asked for, and a garbage collector target for its allocation
// pattern. Nothing here runs unless main calls it.
package processenv

import (
	"os"
	"runtime/debug"
	"strings"
)

// QuietLogsUnlessRequested turns the provider's and the SDK's logs off when
// no TF_LOG* (or OpenTofu's TOFU_LOG*) variable asks for logs. Their default
// is TRACE, and Terraform discards them unless such a variable is set:
// producing them only to be discarded cost a large share of the provider's
// CPU (DESIGN.md, "Workarounds": half the provider's CPU per instance). Any TF_LOG* variable, TF_LOG=TRACE or TF_LOG_PROVIDER=DEBUG
// say, keeps the libraries' own defaults. Call it before serving.
func QuietLogsUnlessRequested() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TOFU_LOG") {
			return
		}
	}
	for _, env := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(env, "OFF")
	}
}

// DefaultGCPercent is the garbage collector's target the provider runs
// with unless GOGC is set. Serving a request allocates much more than the
// provider keeps (the framework converts every value several times), so at
// Go's default of 100 the collector runs every few requests; 200 halves the
// cycles for a little more memory (DESIGN.md, "Workarounds").
const DefaultGCPercent = 200

// SetGCPercentUnlessRequested sets DefaultGCPercent when GOGC is not set.
func SetGCPercentUnlessRequested() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(DefaultGCPercent)
	}
}
