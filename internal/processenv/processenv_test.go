// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package processenv

import (
	"os"
	"strings"
	"testing"
)

var quietened = []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// clearLogEnv removes every TF_LOG*/TOFU_LOG* variable for this test.
func clearLogEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TOFU_LOG") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
	for _, name := range quietened {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
}

func TestQuietLogsUnlessRequested(t *testing.T) {
	t.Run("nobody asked for logs", func(t *testing.T) {
		clearLogEnv(t)
		QuietLogsUnlessRequested()
		for _, name := range quietened {
			if got := os.Getenv(name); got != "OFF" {
				t.Errorf("%s = %q, want OFF", name, got)
			}
		}
	})
	for _, asked := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH", "TOFU_LOG"} {
		t.Run(asked+" set", func(t *testing.T) {
			clearLogEnv(t)
			t.Setenv(asked, "DEBUG")
			QuietLogsUnlessRequested()
			for _, name := range quietened {
				if name == asked {
					continue
				}
				if v, ok := os.LookupEnv(name); ok {
					t.Errorf("%s = %q, want it left unset", name, v)
				}
			}
		})
	}
}
