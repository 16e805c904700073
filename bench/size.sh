#!/usr/bin/env bash
# Binary size of examples/demo (net/http, traces and metrics over OTLP):
# plain vs instrumented with the committed _otel/ (regenerate it first when
# the rules changed: cd examples/demo && go run ../../cmd/otelgen generate).
# Prints both sizes, the ratio, whether gRPC or the protobuf runtime is in
# the instrumented build, and the packages that weigh most more than in the
# plain build (symbol bytes from go tool nm, bss left out).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
demo="$root/examples/demo"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export GOWORK=off LC_ALL=C
(cd "$demo" && go build -o "$tmp/plain" . && go build -overlay="$demo/_otel/overlay.json" -o "$tmp/otel" .)
p=$(stat -c %s "$tmp/plain"); o=$(stat -c %s "$tmp/otel")
awk -v p="$p" -v o="$o" 'BEGIN { printf "plain %d B (%.2f MB), instrumented %d B (%.2f MB): %.3fx\n", p, p/1e6, o, o/1e6, o/p }'
echo "gRPC / protobuf runtime / generated OTLP types in the instrumented build:"
(cd "$demo" && go list -overlay="$demo/_otel/overlay.json" -modfile=_otel/go.mod -deps . |
	grep -E '^google.golang.org/grpc|^google.golang.org/protobuf/(proto|reflect|internal/impl)|^go.opentelemetry.io/proto/otlp' || echo "  none")
bypkg() {
	go tool nm -size "$1" | awk '$3 != "B" && $3 != "b" && $2 < 16777216 {
		n = $4
		sub(/^(type:\.eq\.|type:\.namedata\.|go:itab\.|type:)/, "", n)
		sub(/^[*(]+/, "", n)
		s = n; slash = 0
		while ((i = index(s, "/")) > 0) { slash += i; s = substr(s, i + 1) }
		d = index(s, ".")
		pkg = d > 0 ? substr(n, 1, slash + d - 1) : n
		gsub(/ /, "_", pkg)
		if (pkg == "") next
		sum[pkg] += $2
	} END { for (k in sum) print k, sum[k] }' | sort
}
bypkg "$tmp/plain" >"$tmp/plain.pkg"
bypkg "$tmp/otel" >"$tmp/otel.pkg"
echo "bytes more than plain, by package (top 25):"
join -t " " -a 2 -e 0 -o 0,1.2,2.2 "$tmp/plain.pkg" "$tmp/otel.pkg" |
	awk '{ printf "%9d  %s\n", $3 - $2, $1 }' | sort -rn | head -25
