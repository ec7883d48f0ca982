// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-cloudelements serves the Cloud Elements provider
// to Terraform over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/provider"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider in debug mode for debuggers such as delve")
	flag.Parse()

	quietLogsUnlessRequested()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/cloudelements/cloudelements",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietLogsUnlessRequested turns the provider's and the SDK's logs off when
// no TF_LOG* (or OpenTofu's TOFU_LOG*) variable asks for logs. Their default
// is TRACE, and Terraform discards them unless such a variable is set: make
// bench measured producing and discarding them at about a third of the
// provider's CPU. Any TF_LOG* variable, TF_LOG=TRACE or TF_LOG_PROVIDER=DEBUG
// say, keeps the libraries' own defaults.
func quietLogsUnlessRequested() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TOFU_LOG") {
			return
		}
	}
	for _, env := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(env, "OFF")
	}
}
