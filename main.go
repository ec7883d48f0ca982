// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-cloudelements serves the Cloud Elements provider
// to Terraform over plugin protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/processenv"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/protocolserver"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/provider"
)

const address = "registry.terraform.io/cloudelements/cloudelements"

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider in debug mode for debuggers such as delve")
	flag.Parse()

	processenv.QuietLogsUnlessRequested()
	processenv.SetGCPercentUnlessRequested()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// What providerserver.Serve does for protocol 6, with the framework's
	// server wrapped so that the contexts it keeps of finished requests are
	// released (internal/protocolserver).
	err := tf6server.Serve(address, protocolserver.NewProtocol6(provider.New(version)()), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
