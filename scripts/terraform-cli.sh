#!/usr/bin/env bash
# Copyright (c) The terraform-provider-cloudelements authors
# SPDX-License-Identifier: MPL-2.0
# Locate (or build) the Terraform and OpenTofu CLIs used by the acceptance
# tests, `make generate` and `make demo`.
#
# Usage:
#   scripts/terraform-cli.sh                   # ensures all three; prints three lines:
#                                              #   terraform=/abs/path/to/terraform
#                                              #   terraform-latest=/abs/path/to/terraform
#                                              #   tofu=/abs/path/to/tofu
#   scripts/terraform-cli.sh terraform         # ensures only that CLI; prints its bare path
#   scripts/terraform-cli.sh terraform-latest  #   (same)
#   scripts/terraform-cli.sh tofu              #   (same)
#
# terraform (the oldest supported): `terraform` from PATH if it is Terraform
#   1.8.x (provider-defined functions need 1.8); otherwise bin/terraform,
#   built with `go install github.com/hashicorp/terraform@v1.8.5` (~3 min cold).
#   A newer terraform on PATH is not the oldest supported, so it is not used.
# terraform-latest: `terraform` from PATH if it is Terraform >= 1.14.0;
#   otherwise bin/terraform-1.14, Terraform v1.14.9 built from its module
#   (~5 to 7 min cold on 2 cores, ~1.5 min with a warm Go build cache).
#   `go install` refuses v1.14.9: its go.mod replaces nine remote-state backend
#   modules and internal/legacy with local folders that the module zip lacks.
#   So the source is copied to build/src/terraform, those requires/replaces are
#   dropped and the nine backends are removed from internal/backend/init/init.go.
#   The resulting binary keeps only the local, remote, http, inmem and cloud
#   backends (no s3, gcs, azurerm, consul, cos, kubernetes, oci, oss, pg);
#   the tests use none of them.
# OpenTofu: bin/tofu if `bin/tofu version` reports v1.12.6; otherwise built
#   from the module github.com/opentofu/opentofu@v1.12.6 (~5 min cold).
#
# Only paths go to stdout. Build output goes to build/logs/<cli>-build.log;
# on failure the log's tail is printed to stderr and the script exits non-zero.
# Idempotent: when the CLIs are already in place it only runs `<cli> version`.
# Builds are serialised with flock, so concurrent runs never build twice.
set -euo pipefail

TERRAFORM_MIN_MINOR=8          # Terraform 1.8.x from PATH is accepted
TERRAFORM_VERSION=1.8.5        # version built into bin/terraform otherwise
LATEST_MIN_MINOR=14            # Terraform 1.14.0 or newer from PATH is terraform-latest
LATEST_VERSION=1.14.9          # version built into bin/terraform-1.14 otherwise
LATEST_BIN=terraform-1.14
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

# path_terraform <min minor> [max minor]: prints the absolute path of
# `terraform` on PATH if it is Terraform >= 1.<min minor>.0 (and at most
# 1.<max minor>.x when given), else nothing.
path_terraform() {
  local cand line major minor
  cand="$(command -v terraform 2>/dev/null)" || return 0
  cand="$(cd "$(dirname "$cand")" && pwd -P)/$(basename "$cand")"
  # bin/ may be on PATH; bin/terraform is our own 1.8.5 build, not a PATH choice.
  [ "$cand" != "$bin/terraform" ] || return 0
  line="$(version_line "$cand")"
  if [[ "$line" =~ ^Terraform\ v([0-9]+)\.([0-9]+)\.[0-9]+ ]]; then
    major="${BASH_REMATCH[1]}" minor="${BASH_REMATCH[2]}"
    if (( major > 1 || (major == 1 && minor >= $1) )) && [ -z "${2:-}" -o "$major.$minor" = "1.${2:-}" ]; then
      echo "$cand"
    fi
  fi
}

# Says why `terraform` on PATH is not used; logged before a build only.
log_path_terraform() { # <min minor>
  local cand
  if cand="$(command -v terraform 2>/dev/null)"; then
    log "terraform on PATH ($cand: '$(version_line "$cand")') is not Terraform >= 1.$1.0"
  else
    log "no terraform on PATH"
  fi
}

# module_source <module@version> <dest> <logfile>: downloads the module with
# `go mod download` and leaves a writable copy of its source in <dest>.
module_source() {
  local tmp dir
  # Download outside this module so go.mod/go.sum stay untouched.
  tmp="$(mktemp -d)"
  dir="$( (cd "$tmp" && GOWORK=off go mod download -json "$1") 2>>"$3" |
          tee -a "$3" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\([^"]*\)".*/\1/p')" || true
  rmdir "$tmp" 2>/dev/null || true
  [ -n "$dir" ] && [ -d "$dir" ] || fail_with_log "$3" "downloading $1 failed"

  # The module cache is read-only; build from a writable copy.
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  cp -r "$dir" "$2"
  chmod -R u+w "$2"
}

ensure_terraform() {
  local cand line
  # The oldest supported Terraform is what this CLI tests: one on PATH only
  # if it is that minor version, else our own build.
  cand="$(path_terraform "$TERRAFORM_MIN_MINOR" "$TERRAFORM_MIN_MINOR")"
  if [ -n "$cand" ]; then
    echo "$cand"
    return
  fi

  if [ -x "$bin/terraform" ] && [ "$(version_line "$bin/terraform")" = "Terraform v$TERRAFORM_VERSION" ]; then
    echo "$bin/terraform"
    return
  fi

  local logf="$logs/terraform-build.log"
  log "terraform on PATH, if any, is not Terraform 1.$TERRAFORM_MIN_MINOR.x, the oldest supported"
  log "building Terraform v$TERRAFORM_VERSION into bin/ (~3 min cold; log: build/logs/terraform-build.log)"
  local start=$SECONDS
  if ! (cd "$repo/build" && GOWORK=off GOBIN="$bin" go install \
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

# The remote-state backends that live in nested modules of Terraform v1.14
# (directory under internal/backend/remote-state). They are removed from the
# build; internal/legacy (also a nested module) is only needed by them and tests.
LATEST_DROPPED_BACKENDS=(azure consul cos gcs kubernetes oci oss pg s3)

# drop_backends <terraform source dir> <logfile>: removes the nested modules
# from go.mod and the backends from internal/backend/init/init.go. Fails if
# init.go does not look as expected (one import and one map entry per backend).
drop_backends() {
  local src="$1" logf="$2" init="$1/internal/backend/init/init.go"
  local mod="github.com/hashicorp/terraform/internal" d alias n edits=()
  for d in "${LATEST_DROPPED_BACKENDS[@]}"; do
    edits+=("-dropreplace=$mod/backend/remote-state/$d" "-droprequire=$mod/backend/remote-state/$d")
  done
  edits+=("-dropreplace=$mod/legacy" "-droprequire=$mod/legacy")
  (cd "$src" && GOWORK=off go mod edit "${edits[@]}") >>"$logf" 2>&1 ||
    fail_with_log "$logf" "go mod edit of Terraform's go.mod failed"
  if grep -nE "$mod/(backend/remote-state/[a-z0-9]+|legacy)( |$)" "$src/go.mod" >>"$logf"; then
    fail_with_log "$logf" "Terraform's go.mod still names a nested module (lines above)"
  fi

  [ -f "$init" ] || fail_with_log "$logf" "$init is missing"
  for d in "${LATEST_DROPPED_BACKENDS[@]}"; do
    # The import:  backendS3 "github.com/hashicorp/terraform/internal/backend/remote-state/s3"
    n="$(grep -cE "^[[:space:]]*[A-Za-z0-9_]+[[:space:]]+\"$mod/backend/remote-state/$d\"[[:space:]]*\$" "$init" || true)"
    [ "$n" = 1 ] || fail_with_log "$logf" "init.go: expected 1 aliased import of remote-state/$d, found $n"
    alias="$(sed -nE "s|^[[:space:]]*([A-Za-z0-9_]+)[[:space:]]+\"$mod/backend/remote-state/$d\"[[:space:]]*\$|\\1|p" "$init")"
    # The map entry:  "s3": func() backend.Backend { return backendS3.New() },
    n="$(grep -cE "^[[:space:]]*\"[a-z0-9]+\":[[:space:]]*func\(\) backend\.Backend \{ return $alias\.New\(\) \},[[:space:]]*\$" "$init" || true)"
    [ "$n" = 1 ] || fail_with_log "$logf" "init.go: expected 1 map entry using $alias.New(), found $n"
    sed -i -E \
      -e "\\|^[[:space:]]*$alias[[:space:]]+\"$mod/backend/remote-state/$d\"[[:space:]]*\$|d" \
      -e "/^[[:space:]]*\"[a-z0-9]+\":[[:space:]]*func\(\) backend\.Backend \{ return $alias\.New\(\) \},[[:space:]]*\$/d" \
      "$init"
    if grep -nE "\\b$alias\\b|remote-state/$d\"" "$init" >>"$logf"; then
      fail_with_log "$logf" "init.go still refers to $alias or remote-state/$d (lines above)"
    fi
    echo "init.go: removed backend $d ($alias)" >>"$logf"
  done
  gofmt -w "$init" >>"$logf" 2>&1 || fail_with_log "$logf" "gofmt of init.go failed"
}

ensure_terraform_latest() {
  local cand line want="Terraform v$LATEST_VERSION"
  cand="$(path_terraform "$LATEST_MIN_MINOR")"
  if [ -n "$cand" ]; then
    echo "$cand"
    return
  fi

  if [ -x "$bin/$LATEST_BIN" ] && [ "$(version_line "$bin/$LATEST_BIN")" = "$want" ]; then
    echo "$bin/$LATEST_BIN"
    return
  fi

  local logf="$logs/terraform-latest-build.log" src="$repo/build/src/terraform" start=$SECONDS
  log_path_terraform "$LATEST_MIN_MINOR"
  log "building Terraform v$LATEST_VERSION into bin/$LATEST_BIN (~5 to 7 min cold; log: build/logs/terraform-latest-build.log)"
  : >"$logf"
  module_source "github.com/hashicorp/terraform@v$LATEST_VERSION" "$src" "$logf"
  drop_backends "$src" "$logf"
  if ! (cd "$src" && GOWORK=off go build \
          -ldflags "-X github.com/hashicorp/terraform/version.dev=no" \
          -o "$bin/$LATEST_BIN.tmp" .) >>"$logf" 2>&1; then
    fail_with_log "$logf" "building Terraform v$LATEST_VERSION failed"
  fi
  mv -f "$bin/$LATEST_BIN.tmp" "$bin/$LATEST_BIN"
  rm -rf "$src"
  line="$(version_line "$bin/$LATEST_BIN")"
  [ "$line" = "$want" ] ||
    fail_with_log "$logf" "bin/$LATEST_BIN reports '$line', expected $want"
  log "built Terraform v$LATEST_VERSION in $((SECONDS - start))s"
  echo "$bin/$LATEST_BIN"
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

  local logf="$logs/tofu-build.log" src="$repo/build/src/opentofu" start=$SECONDS
  log "building OpenTofu v$TOFU_VERSION into bin/ (~5 min cold; log: build/logs/tofu-build.log)"
  : >"$logf"
  module_source "github.com/opentofu/opentofu@v$TOFU_VERSION" "$src" "$logf"
  if ! (cd "$src" && GOWORK=off go build \
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
    # Sequential on purpose: on 2 cores parallel builds are no faster.
    tf="$(ensure_terraform)"
    latest="$(ensure_terraform_latest)"
    tofu="$(ensure_tofu)"
    echo "terraform=$tf"
    echo "terraform-latest=$latest"
    echo "tofu=$tofu"
    ;;
  terraform) ensure_terraform ;;
  terraform-latest) ensure_terraform_latest ;;
  tofu) ensure_tofu ;;
  *) die "usage: $0 [terraform|terraform-latest|tofu]" ;;
esac
