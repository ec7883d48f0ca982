#!/usr/bin/env bash
# Run the acceptance tests (TF_ACC=1) against ONE CLI.
#
# Usage: scripts/testacc.sh terraform|tofu [extra go test args...]
#        TESTARGS='-run TestAccInstance -v' scripts/testacc.sh tofu
#
# The CLI comes from scripts/terraform-cli.sh (built into bin/ if missing).
# terraform-plugin-testing then uses TF_ACC_TERRAFORM_PATH and never downloads.
# Runs: go test ./internal/... -count=1 -timeout 30m $TESTARGS "$@"
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo"

cli="${1:-}"
case "$cli" in
  terraform | tofu) shift ;;
  *) echo "usage: $0 terraform|tofu [go test args...]" >&2; exit 2 ;;
esac

cli_path="$(bash scripts/terraform-cli.sh "$cli")"

mkdir -p build/tmp/"$cli"
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

read -r -a testargs <<<"${TESTARGS:-}"

echo "==> Acceptance tests with $cli: $cli_path ($("$cli_path" version | sed -n 1p))"
set -x
go test ./internal/... -count=1 -timeout 30m "${testargs[@]}" "$@"
