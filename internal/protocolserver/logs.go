// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package protocolserver

import (
	"os"
	"runtime/debug"
	"strings"
)

// QuietLogsUnlessRequested turns the provider's and the SDK's logs off when
// no TF_LOG* (or OpenTofu's TOFU_LOG*) variable asks for logs. Their default
// is TRACE, and Terraform discards them unless such a variable is set: make
// bench measured producing and discarding them at about a third of the
// provider's CPU. Any TF_LOG* variable, TF_LOG=TRACE or TF_LOG_PROVIDER=DEBUG
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
// with unless GOGC is set. Serving a request allocates a lot (the
// framework converts every value several times: about 4.5 MB per instance
// for a plan) over a small live heap (5 to 8 MB), so at Go's default of
// 100 a GC cycle ran every few requests and took a third of the provider's
// CPU in make bench. 200 halves the cycles for about 10 MiB more RSS.
const DefaultGCPercent = 200

// SetGCPercentUnlessRequested sets DefaultGCPercent when GOGC is not set.
func SetGCPercentUnlessRequested() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(DefaultGCPercent)
	}
}
