#!/usr/bin/env bash
# Copyright (c) The terraform-provider-cloudelements authors
# SPDX-License-Identifier: MPL-2.0
# Run the acceptance tests (TF_ACC=1) against ONE CLI.
#
# Usage: scripts/testacc.sh terraform|terraform-latest|tofu [extra go test args...]
#        TESTARGS='-run TestAccInstance -v' scripts/testacc.sh tofu
#
# The CLI comes from scripts/terraform-cli.sh (built into bin/ if missing):
#   terraform         the oldest supported Terraform (>= 1.8 from PATH, or 1.8.5)
#   terraform-latest  Terraform >= 1.14 from PATH, or 1.14.9
#   tofu              OpenTofu 1.12.6
# terraform-plugin-testing then uses TF_ACC_TERRAFORM_PATH and never downloads.
#
# Runs: go test -json ./internal/... -count=1 -timeout 30m $TESTARGS "$@"
# piped through internal/cmd/testsummary, which prints the package result
# lines, build errors and the full output of failing tests, then one line
#   ==> Terraform v1.14.9 (terraform-latest): 237 passed, 0 failed, 4 skipped (3m2s)
# and every skipped test with its reason. With -v among the arguments the
# output of passing tests is printed too. Exits non-zero if go test failed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo"

cli="${1:-}"
case "$cli" in
  terraform | terraform-latest | tofu) shift ;;
  *) echo "usage: $0 terraform|terraform-latest|tofu [go test args...]" >&2; exit 2 ;;
esac

cli_path="$(bash scripts/terraform-cli.sh "$cli")"

mkdir -p build/tmp/"$cli" build/bin
[ -f build/terraformrc ] || : >build/terraformrc

export TF_ACC=1
export TF_ACC_TERRAFORM_PATH="$cli_path"
export TF_ACC_TEMP_DIR="$repo/build/tmp/$cli"
export TF_CLI_CONFIG_FILE="$repo/build/terraformrc"
export CHECKPOINT_DISABLE=1
if [ "$cli" = tofu ]; then
  export TF_ACC_PROVIDER_HOST=registry.opentofu.org
else
  unset TF_ACC_PROVIDER_HOST
fi

version="$("$cli_path" version | sed -n 1p)"
[ -n "$version" ] || { echo "$cli_path version printed nothing" >&2; exit 1; }

# Built first so a broken summariser fails here, not halfway through a pipe.
go build -o build/bin/testsummary ./internal/cmd/testsummary

read -r -a testargs <<<"${TESTARGS:-}"
args=(-count=1 -timeout 30m "${testargs[@]}" "$@")
summary_flags=(-label "$version ($cli)")
for a in "${args[@]}"; do
  case "$a" in -v | -v=true | -test.v | -test.v=true) summary_flags+=(-v) ;; esac
done

echo "==> Acceptance tests with $cli: $cli_path ($version)"
echo "+ go test -json ./internal/... ${args[*]}"
set +e
go test -json ./internal/... "${args[@]}" | build/bin/testsummary "${summary_flags[@]}"
status=("${PIPESTATUS[@]}")
set -e
if [ "${status[0]}" -ne 0 ] || [ "${status[1]}" -ne 0 ]; then
  echo "==> acceptance tests on $cli FAILED (go test exit ${status[0]}, testsummary exit ${status[1]})" >&2
  exit 1
fi
