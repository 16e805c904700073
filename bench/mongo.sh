#!/usr/bin/env bash
# bench/mongo.sh measures what otelgen's MongoDB driver v1 integration
# (rules/mongo) adds to a FindOne, against OTel contrib's otelmongo, in one
# session, and prints ratios. Builds of one small program (bench/mongoload),
# which stores one document and runs FindOne of it by _id in a loop on one
# client, context.Background() (each command a root span), and prints the
# time per call:
#
#   plain        cmd/find, go build: no OpenTelemetry at all
#   otelgen-off  cmd/find, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: a CLIENT span and a
#                db.client.operation.duration point per command
#   otelmongo    cmd/otelmongo: the client's command monitor set by hand to
#                go.opentelemetry.io/contrib/.../mongo/otelmongo's (a span per
#                command, no metrics), the SDK set up by hand as rules/sdk
#                sets it up
#
# The server is FerretDB (the MongoDB wire protocol over SQLite), the one
# rules/mongo's tests use: the build testkit keeps in the user's cache
# directory when there is one, else built here from the module proxy as
# testkit/ferretdb.go builds it (a minute or more). Both traced builds
# export over OTLP/HTTP to a sink on 127.0.0.1 that reads and drops every
# request (bench/httpload's cmd/sink). Every configuration runs once per
# round, in ROUNDS interleaved rounds, each in a fresh process; the figures
# are medians of the wall time per call and of the program's CPU time
# (user + system) per call, which a busy machine disturbs less. With PIN=on
# (taskset, at least 2 cores) the program runs on CPU 0, the server and the
# sink on CPU 1. At the end, one more otelgen run is profiled.
#
#   bash bench/mongo.sh                     # about 6 minutes on 2 cores, builds included
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script exits 0 (2 when a build, the server or a sanity check fails). It
# writes only to temporary directories (removed on exit) and the go
# command's caches. Knobs: ROUNDS=5, N=10000 (calls per run, after
# WARMUP=1000 not measured), PIN=off|on, PROFILE=1|0 (PROFN=N calls in
# the profiled run), KEEP=1.
set -euo pipefail

NAME=mongo LOAD=mongoload MAIN=find PEER=otelmongo OP=FindOne TARGET=go.mongodb.org/mongo-driver/mongo
rewritten() { compgen -G "$APP/_otel/mod/go.mongodb.org/mongo-driver@*/mongo/otelgen_hooks.go" >/dev/null; }

# FerretDB over SQLite answers a FindOne in about a millisecond: fewer calls
# per run than the other scripts make keep the script near 6 minutes.
N=${N:-10000} WARMUP=${WARMUP:-1000}
FERRETDB_VERSION=v1.24.2 # testkit.FerretDBVersion
startserver() {
	local bin
	bin=${XDG_CACHE_HOME:-$HOME/.cache}/otelgen-testkit/ferretdb-$FERRETDB_VERSION-$(go env GOOS)-$(go env GOARCH)/ferretdb
	if [[ ! -x $bin ]]; then
		say "building FerretDB $FERRETDB_VERSION (no build in testkit's cache)"
		local dir
		dir=$(cd "$WORK" && GOFLAGS= go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | awk -F'"' '/"Dir":/ { print $4 }')
		[[ -n $dir ]] || die "go mod download FerretDB failed"
		cp -R "$dir" "$WORK/ferretdb-src"
		chmod -R u+w "$WORK/ferretdb-src"
		# The module's version file is empty, and FerretDB refuses to start without one.
		echo "$FERRETDB_VERSION" >"$WORK/ferretdb-src/build/version/version.txt"
		(cd "$WORK/ferretdb-src" && go build -o "$WORK/ferretdb" ./cmd/ferretdb) || die "building FerretDB failed"
		bin=$WORK/ferretdb
	fi
	say "starting FerretDB"
	mkdir "$WORK/ferretdb-data"
	local port
	port=$(freeport)
	"${CPU1[@]}" "$bin" --handler=sqlite --sqlite-url="file:$WORK/ferretdb-data/" --listen-addr="127.0.0.1:$port" \
		--state-dir="$WORK/ferretdb-data" --telemetry=disable --debug-addr=127.0.0.1:0 --log-level=warn \
		>"$WORK/ferretdb.log" 2>&1 &
	SRVPID=$!
	export MONGO_URI="mongodb://127.0.0.1:$port/?maxPoolSize=1"
	for ((i = 0; i < 200; i++)); do
		"$BIN/plain" -n 1 -warmup 0 >/dev/null 2>&1 && return
		sleep 0.1
	done
	"$BIN/plain" -n 1 -warmup 0 >/dev/null || die "FerretDB did not start: $(cat "$WORK/ferretdb.log")"
}

# shellcheck source=clientloop.sh
source "$(dirname "${BASH_SOURCE[0]}")/clientloop.sh"
