#!/usr/bin/env bash
# bench/elasticsearch.sh measures what otelgen's go-elasticsearch
# integration (rules/elasticsearch) adds to a search, against the client's
# own OpenTelemetry instrumentation, in one session, and prints ratios.
# Builds of one small program (bench/esload), which runs a search of a
# one-document index through esapi in a loop on one client,
# context.Background() (each call a root span), reading every response,
# and prints the time per call:
#
#   plain            cmd/search, go build: no OpenTelemetry at all
#   otelgen-off      cmd/search, otelgen generate + go build -overlay
#                    (built-in rules as shipped), run with
#                    OTEL_SDK_DISABLED=true
#   otelgen          the same build, tracing on: rules/elasticsearch's
#                    CLIENT span and db.client.operation.duration point per
#                    call, and under it rules/nethttp's CLIENT span of the
#                    HTTP request (and its http.client.request.duration
#                    point)
#   otelgen-no-nethttp  the same, run with
#                    OTEL_GO_DISABLED_INSTRUMENTATIONS=nethttp: the
#                    Elasticsearch span and point alone
#   otelelastic      cmd/otelelastic: the transport's Instrumentation set
#                    by hand to elastictransport.NewOtelInstrumentation
#                    (what elasticsearch.NewOpenTelemetryInstrumentation
#                    gives), the SDK set up by hand as rules/sdk sets it
#                    up: a span per call, no metrics
#
# The server is ZincSearch (its Elasticsearch-compatible /es/ API), the one
# rules/elasticsearch's tests use: the build testkit keeps in the user's
# cache directory when there is one, else built here from the module proxy
# as testkit/zincsearch.go builds it (a few minutes). The traced builds
# export over OTLP/HTTP to a sink on 127.0.0.1 that reads and drops every
# request (bench/httpload's cmd/sink). Every configuration runs once per
# round, in ROUNDS interleaved rounds, each in a fresh process; the
# figures are medians of the wall time per call and of the program's CPU
# time (user + system) per call, which a busy machine disturbs less. With
# PIN=on (taskset, at least 2 cores) the program runs on CPU 0, the server
# and the sink on CPU 1. At the end, one more otelgen run is profiled.
#
#   bash bench/elasticsearch.sh             # about 6 minutes on 2 cores, builds included
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script exits 0 (2 when a build, the server or a sanity check fails). It
# writes only to temporary directories (removed on exit) and the go
# command's caches. Knobs: ROUNDS=5, N=5000 (calls per run, after
# WARMUP=500 not measured), PIN=off|on, PROFILE=1|0 (PROFN=N calls in
# the profiled run), KEEP=1.
set -euo pipefail

NAME=elasticsearch LOAD=esload MAIN=search PEER=otelelastic OP=search ALSO_OFF=nethttp
TARGET=github.com/elastic/elastic-transport-go/v8/elastictransport
rewritten() { compgen -G "$APP/_otel/mod/github.com/elastic/elastic-transport-go/v8@*/elastictransport/otelgen_hooks.go" >/dev/null; }

# ZincSearch answers a search in about a millisecond of its own CPU.
N=${N:-5000} WARMUP=${WARMUP:-500}
ZINCSEARCH_VERSION=v0.4.10 # testkit.ZincSearchVersion
ZINC_USER=otelgen ZINC_PASSWORD=bench-zinc-pass
startserver() {
	local bin
	bin=${XDG_CACHE_HOME:-$HOME/.cache}/otelgen-testkit/zincsearch-$ZINCSEARCH_VERSION-$(go env GOOS)-$(go env GOARCH)/zincsearch
	if [[ ! -x $bin ]]; then
		say "building ZincSearch $ZINCSEARCH_VERSION (no build in testkit's cache)"
		local dir src=$WORK/zincsearch-src
		dir=$(cd "$WORK" && GOFLAGS= go mod download -json "github.com/zincsearch/zincsearch@$ZINCSEARCH_VERSION" | awk -F'"' '/"Dir":/ { print $4 }')
		[[ -n $dir ]] || die "go mod download ZincSearch failed"
		cp -R "$dir" "$src"
		chmod -R u+w "$src"
		# As testkit/zincsearch.go: the web UI's built files are not in the
		# module, and its profiling client no longer compiles; it is
		# started only when configured to, so a stand-in does.
		mkdir -p "$src/web/dist" "$src/_nopyroscope/pyroscope"
		echo '<!doctype html><title>ZincSearch</title>' >"$src/web/dist/index.html"
		printf 'module github.com/pyroscope-io/client\n\ngo 1.20\n' >"$src/_nopyroscope/go.mod"
		cat >"$src/_nopyroscope/pyroscope/pyroscope.go" <<'GO'
// Package pyroscope stands in for the profiling client: it profiles nothing.
package pyroscope

type ProfileType string

const (
	ProfileCPU          ProfileType = "cpu"
	ProfileAllocObjects ProfileType = "alloc_objects"
	ProfileAllocSpace   ProfileType = "alloc_space"
	ProfileInuseObjects ProfileType = "inuse_objects"
	ProfileInuseSpace   ProfileType = "inuse_space"
)

type Config struct {
	ApplicationName string
	ServerAddress   string
	Logger          any
	AuthToken       string
	ProfileTypes    []ProfileType
}

type Profiler struct{}

func Start(Config) (*Profiler, error) { return &Profiler{}, nil }
GO
		(cd "$src" && go mod edit -replace github.com/pyroscope-io/client=./_nopyroscope &&
			GOFLAGS=-mod=mod GOSUMDB=off go build -o "$WORK/zincsearch" ./cmd/zincsearch) || die "building ZincSearch failed"
		bin=$WORK/zincsearch
	fi
	say "starting ZincSearch"
	mkdir "$WORK/zinc-data"
	local port
	port=$(freeport)
	(cd "$WORK/zinc-data" && exec env ZINC_FIRST_ADMIN_USER=$ZINC_USER ZINC_FIRST_ADMIN_PASSWORD=$ZINC_PASSWORD \
		ZINC_DATA_PATH="$WORK/zinc-data" ZINC_SERVER_ADDRESS=127.0.0.1 ZINC_SERVER_PORT="$port" \
		ZINC_TELEMETRY=false ZINC_SENTRY=false GIN_MODE=release "${CPU1[@]}" "$bin") >"$WORK/zincsearch.log" 2>&1 &
	SRVPID=$!
	export ES_URL="http://$ZINC_USER:$ZINC_PASSWORD@127.0.0.1:$port/es"
	for ((i = 0; i < 200; i++)); do
		"$BIN/plain" -n 1 -warmup 0 >/dev/null 2>&1 && return
		sleep 0.1
	done
	"$BIN/plain" -n 1 -warmup 0 >/dev/null || die "ZincSearch did not start: $(tail -n 20 "$WORK/zincsearch.log")"
}

# shellcheck source=clientloop.sh
source "$(dirname "${BASH_SOURCE[0]}")/clientloop.sh"
