#!/usr/bin/env bash
# install-go.sh — install a Go 1.27 toolchain OUTSIDE the module cache.
#
# Usage: .ci/install-go.sh [DEST]        (DEST defaults to /opt/go1.27)
#
# Environment:
#   GO           bootstrap go command (default: go on PATH)
#   GO_VERSION   pin a release, e.g. go1.27.4 (default: latest go1.27.N on the proxy)
#
# Why: the go command refuses -overlay keys beneath GOMODCACHE ("Files beneath
# GOMODCACHE must not be replaced"), and a toolchain fetched by GOTOOLCHAIN lives in
# the module cache, so its GOROOT cannot be overlaid. We fetch the
# golang.org/toolchain module through the ordinary module proxy and copy its tree to
# a fixed directory.
#
# Idempotent: does nothing when DEST/bin/go already reports go1.27.x.
# Prints the installed version (the `go version` line) on the last line of stdout.
set -euo pipefail

DEST="${1:-/opt/go1.27}"
GO="${GO:-go}"
SERIES="go1.27"

die() { echo "install-go.sh: error: $*" >&2; exit 1; }
log() { echo "install-go.sh: $*" >&2; }

# GOTOOLCHAIN=local everywhere: never let a go.mod/go.env switch toolchains under us.
export GOTOOLCHAIN=local

case "$DEST" in
  /*) ;;
  *) DEST="$PWD/$DEST" ;;
esac
DEST="${DEST%/}"

installed_version() {
  # Prints "go version go1.27.N os/arch" if DEST holds a working go1.27.x, else nothing.
  [ -x "$DEST/bin/go" ] || return 0
  local v
  v="$("$DEST/bin/go" version 2>/dev/null)" || return 0
  case "$v" in
    "go version $SERIES."[0-9]*) echo "$v" ;;
  esac
}

v="$(installed_version)"
if [ -n "$v" ]; then
  log "already installed in $DEST, skipping"
  echo "$v"
  exit 0
fi

if [ -e "$DEST" ] && ! { [ -f "$DEST/VERSION" ] && head -n1 "$DEST/VERSION" | grep -q '^go'; } \
   && ! { [ -d "$DEST" ] && [ -z "$(ls -A "$DEST")" ]; }; then
  die "$DEST exists and is not a Go installation; refusing to overwrite it"
fi

command -v "$GO" >/dev/null 2>&1 || die "bootstrap go command '$GO' not found (set GO=/path/to/go)"

GOOS_HOST="$("$GO" env GOHOSTOS)" || die "'$GO env GOHOSTOS' failed"
ARCH="$("$GO" env GOARCH)" || die "'$GO env GOARCH' failed"
[ "$GOOS_HOST" = linux ] || die "only linux is supported (host GOOS is $GOOS_HOST)"

MODCACHE="$("$GO" env GOMODCACHE)" || die "'$GO env GOMODCACHE' failed"
case "$DEST/" in
  "$MODCACHE"/*) die "DEST $DEST is beneath GOMODCACHE ($MODCACHE); overlays there are refused by the go command" ;;
esac

# Run the module commands outside any module so no go.mod/go.work interferes.
WORK="$(mktemp -d)"
STAGE=""
cleanup() {
  rm -rf "$WORK"
  if [ -n "$STAGE" ] && [ -d "$STAGE" ]; then chmod -R u+w "$STAGE" 2>/dev/null || true; rm -rf "$STAGE"; fi
}
trap cleanup EXIT
cd "$WORK"
export GO111MODULE=on GOWORK=off GOFLAGS="${GOFLAGS:-}"

if [ -n "${GO_VERSION:-}" ]; then
  case "$GO_VERSION" in
    "$SERIES."[0-9]*) ;;
    *) die "GO_VERSION=$GO_VERSION is not a $SERIES.N release" ;;
  esac
  MODVER="v0.0.1-$GO_VERSION.linux-$ARCH"
else
  log "resolving the latest $SERIES patch release for linux-$ARCH on the proxy"
  versions="$("$GO" list -m -versions golang.org/toolchain)" || die "'go list -m -versions golang.org/toolchain' failed (is the module proxy reachable? GOPROXY=$("$GO" env GOPROXY))"
  MODVER="$(printf '%s\n' $versions \
    | grep -E "^v0\.0\.1-${SERIES//./\\.}\.[0-9]+\.linux-${ARCH}\$" \
    | sort -t. -k5,5n | tail -n1 || true)"
  [ -n "$MODVER" ] || die "no $SERIES.N linux-$ARCH release of golang.org/toolchain on the proxy"
fi

log "downloading golang.org/toolchain@$MODVER"
# -modcacherw keeps the module cache's directories writable (go clean -modcache works).
json="$("$GO" mod download -modcacherw -json "golang.org/toolchain@$MODVER")" \
  || die "go mod download golang.org/toolchain@$MODVER failed: $json"
SRC="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
[ -n "$SRC" ] || die "no Dir in go mod download output: $json"
# The module zip holds the files under "golang.org/toolchain@<ver>/"; the extracted
# module root (Dir) is the GOROOT itself. Check that.
[ -f "$SRC/VERSION" ] && [ -f "$SRC/bin/go" ] && [ -d "$SRC/src/runtime" ] && [ -d "$SRC/pkg/tool/linux_$ARCH" ] \
  || die "unexpected toolchain module layout in $SRC (want VERSION, bin/go, src/runtime, pkg/tool/linux_$ARCH)"

# Stage next to DEST, then rename: never leave a half-copied toolchain at DEST.
mkdir -p "$(dirname "$DEST")" || die "cannot create $(dirname "$DEST") (need write access; try sudo)"
STAGE="$(mktemp -d "$DEST.tmp.XXXXXX")" || die "cannot create a staging dir next to $DEST"
cp -R "$SRC/." "$STAGE/" || die "copy $SRC -> $STAGE failed"
# Module cache files are read-only and zips carry no exec bits: fix both the way
# cmd/go/internal/toolchain does (pkg/tool, lib/**/go_*_*_exec, bin).
chmod -R u+w "$STAGE"
find "$STAGE/pkg/tool" -type f -exec chmod a+x {} +
find "$STAGE/lib" -type f -name 'go_?*_?*_exec' -exec chmod a+x {} +
find "$STAGE/bin" -type f -exec chmod a+x {} +

if [ -e "$DEST" ]; then
  if [ -f "$DEST/VERSION" ] && head -n1 "$DEST/VERSION" | grep -q '^go'; then
    log "replacing the Go installation in $DEST ($(head -n1 "$DEST/VERSION"))"
    OLD="$DEST.old.$$"
    mv "$DEST" "$OLD" || die "cannot move $DEST aside"
    mv "$STAGE" "$DEST" || { mv "$OLD" "$DEST"; die "cannot move $STAGE to $DEST"; }
    STAGE=""
    chmod -R u+w "$OLD" 2>/dev/null || true
    rm -rf "$OLD"
  elif [ -d "$DEST" ] && [ -z "$(ls -A "$DEST")" ]; then
    rmdir "$DEST"
    mv "$STAGE" "$DEST" || die "cannot move $STAGE to $DEST"
    STAGE=""
  else
    die "$DEST exists and is not a Go installation; refusing to overwrite it"
  fi
else
  mv "$STAGE" "$DEST" || die "cannot move $STAGE to $DEST"
  STAGE=""
fi

# Verify: version, GOROOT, and a hello-world build.
v="$(installed_version)"
[ -n "$v" ] || die "$DEST/bin/go does not report $SERIES.x: $("$DEST/bin/go" version 2>&1 || true)"
root="$("$DEST/bin/go" env GOROOT)" || die "$DEST/bin/go env GOROOT failed"
[ "$root" = "$DEST" ] || log "warning: GOROOT is $root, not $DEST (a symlinked path? overlay keys must use $root)"

mkdir -p "$WORK/hello"
cat >"$WORK/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello from", "otelgen install-go.sh") }
EOF
printf 'module example.com/hello\n\ngo 1.27\n' >"$WORK/hello/go.mod"
out="$(cd "$WORK/hello" && "$DEST/bin/go" run . 2>&1)" || die "hello world with $DEST/bin/go failed: $out"
[ "$out" = "hello from otelgen install-go.sh" ] || die "hello world printed: $out"

log "installed golang.org/toolchain@$MODVER in $DEST"
echo "$v"
