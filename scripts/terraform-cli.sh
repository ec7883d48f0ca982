#!/usr/bin/env bash
# Locate (or build) the Terraform and OpenTofu CLIs used by the acceptance
# tests and by `make generate`.
#
# Usage:
#   scripts/terraform-cli.sh            # ensures both; prints two lines:
#                                       #   terraform=/abs/path/to/terraform
#                                       #   tofu=/abs/path/to/tofu
#   scripts/terraform-cli.sh terraform  # ensures only Terraform; prints its bare path
#   scripts/terraform-cli.sh tofu       # ensures only OpenTofu; prints its bare path
#
# Terraform: `terraform` from PATH if it is Terraform >= 1.8.0 (provider-defined
#   functions need 1.8); otherwise bin/terraform, built with
#   `go install github.com/hashicorp/terraform@v1.8.5` (~3 min cold).
# OpenTofu: bin/tofu if `bin/tofu version` reports v1.12.6; otherwise built
#   from the module github.com/opentofu/opentofu@v1.12.6 (~5 min cold).
#
# Only paths go to stdout. Build output goes to build/logs/<cli>-build.log;
# on failure the log's tail is printed to stderr and the script exits non-zero.
# Idempotent: when the CLIs are already in place it only runs `<cli> version`.
set -euo pipefail

TERRAFORM_MIN_MINOR=8          # Terraform 1.8.0 or newer from PATH is accepted
TERRAFORM_VERSION=1.8.5        # version built into bin/ otherwise
TOFU_VERSION=1.12.6

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
bin="$repo/bin"
logs="$repo/build/logs"
mkdir -p "$bin" "$logs"

# A CLI config of our own: a missing TF_CLI_CONFIG_FILE makes OpenTofu print a
# warning on stdout. No version checks against checkpoint.hashicorp.com.
[ -f "$repo/build/terraformrc" ] || : >"$repo/build/terraformrc"
export TF_CLI_CONFIG_FILE="$repo/build/terraformrc"
export CHECKPOINT_DISABLE=1

log() { printf 'terraform-cli: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

fail_with_log() { # <logfile> <message>
  log "ERROR: $2; last lines of $1:"
  tail -n 40 "$1" >&2 || true
  exit 1
}

# First line of `<cli> version`, e.g. "Terraform v1.11.4" or "OpenTofu v1.12.6".
version_line() { "$1" version 2>/dev/null | sed -n 1p || true; }

# Serialise concurrent runs (e.g. two make targets) so nobody builds twice.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$repo/build/.terraform-cli.lock"
  flock 9
fi

ensure_terraform() {
  local cand line major minor
  if cand="$(command -v terraform 2>/dev/null)" && [ "$cand" != "$bin/terraform" ]; then
    line="$(version_line "$cand")"
    if [[ "$line" =~ ^Terraform\ v([0-9]+)\.([0-9]+)\.[0-9]+ ]]; then
      major="${BASH_REMATCH[1]}" minor="${BASH_REMATCH[2]}"
      if (( major > 1 || (major == 1 && minor >= TERRAFORM_MIN_MINOR) )); then
        cand="$(cd "$(dirname "$cand")" && pwd -P)/$(basename "$cand")"
        echo "$cand"
        return
      fi
      log "terraform on PATH ($cand: $line) is older than 1.$TERRAFORM_MIN_MINOR.0; using bin/terraform"
    else
      log "terraform on PATH ($cand) is not usable Terraform ('$line'); using bin/terraform"
    fi
  fi

  if [ -x "$bin/terraform" ] && [ "$(version_line "$bin/terraform")" = "Terraform v$TERRAFORM_VERSION" ]; then
    echo "$bin/terraform"
    return
  fi

  local logf="$logs/terraform-build.log"
  log "building Terraform v$TERRAFORM_VERSION into bin/ (~3 min cold; log: build/logs/terraform-build.log)"
  local start=$SECONDS
  if ! (cd "$repo/build" && GOBIN="$bin" go install \
          -ldflags "-X github.com/hashicorp/terraform/version.dev=no" \
          "github.com/hashicorp/terraform@v$TERRAFORM_VERSION") >"$logf" 2>&1; then
    fail_with_log "$logf" "building Terraform v$TERRAFORM_VERSION failed"
  fi
  line="$(version_line "$bin/terraform")"
  [ "$line" = "Terraform v$TERRAFORM_VERSION" ] ||
    fail_with_log "$logf" "bin/terraform reports '$line', expected Terraform v$TERRAFORM_VERSION"
  log "built Terraform v$TERRAFORM_VERSION in $((SECONDS - start))s"
  echo "$bin/terraform"
}

ensure_tofu() {
  local line
  # A release build says "OpenTofu v1.12.6"; a build without the
  # version.dev=no linker flag says "OpenTofu v1.12.6-dev". Both are the same code.
  line="$(if [ -x "$bin/tofu" ]; then version_line "$bin/tofu"; fi)"
  if [[ "$line" =~ ^OpenTofu\ v${TOFU_VERSION//./\\.}(-dev)?$ ]]; then
    echo "$bin/tofu"
    return
  fi

  local logf="$logs/tofu-build.log" src="$repo/build/src/opentofu" tmp dir start=$SECONDS
  log "building OpenTofu v$TOFU_VERSION into bin/ (~5 min cold; log: build/logs/tofu-build.log)"
  : >"$logf"
  # Download outside this module so go.mod/go.sum stay untouched.
  tmp="$(mktemp -d)"
  dir="$( (cd "$tmp" && go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION") 2>>"$logf" |
          tee -a "$logf" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\([^"]*\)".*/\1/p')" || true
  rmdir "$tmp" 2>/dev/null || true
  [ -n "$dir" ] && [ -d "$dir" ] || fail_with_log "$logf" "downloading github.com/opentofu/opentofu@v$TOFU_VERSION failed"

  # The module cache is read-only; build from a writable copy.
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  if ! (cd "$src" && go build \
          -ldflags "-X github.com/opentofu/opentofu/version.dev=no" \
          -o "$bin/tofu.tmp" ./cmd/tofu) >>"$logf" 2>&1; then
    fail_with_log "$logf" "building OpenTofu v$TOFU_VERSION failed"
  fi
  mv -f "$bin/tofu.tmp" "$bin/tofu"
  rm -rf "$src"
  line="$(version_line "$bin/tofu")"
  [[ "$line" =~ ^OpenTofu\ v${TOFU_VERSION//./\\.}(-dev)?$ ]] ||
    fail_with_log "$logf" "bin/tofu reports '$line', expected OpenTofu v$TOFU_VERSION"
  log "built OpenTofu v$TOFU_VERSION in $((SECONDS - start))s"
  echo "$bin/tofu"
}

command -v go >/dev/null 2>&1 || die "go is not on PATH"

case "${1:-}" in
  "")
    tf="$(ensure_terraform)"
    tofu="$(ensure_tofu)"
    echo "terraform=$tf"
    echo "tofu=$tofu"
    ;;
  terraform) ensure_terraform ;;
  tofu) ensure_tofu ;;
  *) die "usage: $0 [terraform|tofu]" ;;
esac
