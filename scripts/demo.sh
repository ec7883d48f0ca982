#!/usr/bin/env bash
# `make demo` entry point. Placeholder: describes the demo and exits 0.
# The full demo (start the mock, apply examples/demo against it with a
# dev_overrides CLI config, show the plan/apply output, stop the mock) replaces
# this script.
set -euo pipefail

cat <<'TEXT'
==> make demo
The demo will:
  1. build the provider (done by `make demo` before this script runs);
  2. start the mock Cloud Elements API:
       go run ./internal/cmd/cloudelements-mock -addr 127.0.0.1:0
     and read the CLOUDELEMENTS_* lines it prints;
  3. point Terraform at the freshly built provider and the mock, then run
     init/plan/apply/destroy on the demo configuration under examples/;
  4. stop the mock.
This version of the demo only prints these steps.
TEXT
