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
# Runs: go test ./internal/... -count=1 -timeout 30m $TESTARGS "$@" through
# gotestsum (bin/gotestsum, installed by `make tools`), which prints a line
# per package and the full output of failing tests, then the skipped tests
# with their reasons; this script ends with one line
#   ==> Terraform v1.14.9 (terraform-latest): 237 passed, 0 failed, 4 skipped (3m2s)
# With -v among the arguments the output of passing tests is printed too.
# The events go to build/test-<cli>.json (`bin/gotestsum tool slowest
# --jsonfile build/test-<cli>.json` lists the slowest tests). Exits non-zero
# if a test or the build failed.
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


read -r -a testargs <<<"${TESTARGS:-}"
args=(-count=1 -timeout 30m "${testargs[@]}" "$@")
format=pkgname-and-test-fails
for a in "${args[@]}"; do
  case "$a" in -v | -v=true | -test.v | -test.v=true) format=standard-verbose ;; esac
done
gotestsum="$repo/bin/gotestsum"
[ -x "$gotestsum" ] || { echo "bin/gotestsum is missing: run make tools" >&2; exit 1; }

echo "==> Acceptance tests with $cli: $cli_path ($version)"
echo "+ gotestsum -- ./internal/... ${args[*]}"
start=$SECONDS
set +e
"$gotestsum" --format "$format" --format-hide-empty-pkg --format-icons text --no-color \
  --jsonfile "build/test-$cli.json" -- ./internal/... "${args[@]}"
status=$?
set -e
# gotestsum counts every test and subtest; the summary line counts them the
# same way, from the events file.
read -r passed failed skipped < <(awk -F'"Action":"' '/"Test":/ {split($2, a, "\""); n[a[1]]++} END {print n["pass"]+0, n["fail"]+0, n["skip"]+0}' "build/test-$cli.json")
elapsed=$((SECONDS - start))
echo "==> $version ($cli): $passed passed, $failed failed, $skipped skipped ($((elapsed / 60))m$((elapsed % 60))s)"
if [ "$status" -ne 0 ]; then
  echo "==> acceptance tests on $cli FAILED (gotestsum exit $status)" >&2
  exit 1
fi
