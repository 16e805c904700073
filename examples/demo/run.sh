#!/usr/bin/env bash
# The demo: build otelgen, instrument examples/demo, build it with the overlay
# and run it, printing its spans to the console (no collector needed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT

echo "== go build ./cmd/otelgen"
(cd "$root" && go build -o "$bin/otelgen" ./cmd/otelgen)

echo "== otelgen generate   (in examples/demo)"
"$bin/otelgen" -C "$here" generate

echo "== go build -overlay=\$PWD/_otel/overlay.json"
(cd "$here" && go build -overlay="$here/_otel/overlay.json" -o "$bin/demo" .)

echo "== ./demo   (OTEL_TRACES_EXPORTER=console)"
(cd "$root" && go build -o "$bin/traceview" ./examples/traceview)
OTEL_TRACES_EXPORTER=console OTEL_METRICS_EXPORTER=none "$bin/demo" | "$bin/traceview"
