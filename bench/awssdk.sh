#!/usr/bin/env bash
# bench/awssdk.sh measures what otelgen's AWS SDK for Go v2 integration
# (rules/awssdk) adds to an S3 call, against OTel contrib's otelaws, in one
# session, and prints ratios. Builds of one small program (bench/s3load),
# which runs PutObject and GetObject of one 100-byte object in turn, in a
# loop on one client, context.Background() (each call a root span),
# reading every object's body, and prints the time per call:
#
#   plain            cmd/s3, go build: no OpenTelemetry at all
#   otelgen-off      cmd/s3, otelgen generate + go build -overlay (built-in
#                    rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen          the same build, tracing on: rules/awssdk's CLIENT span
#                    "S3.PutObject" / "S3.GetObject" per call, and under it
#                    rules/nethttp's CLIENT span of the HTTP request (and
#                    its http.client.request.duration point)
#   otelgen-no-nethttp  the same, run with
#                    OTEL_GO_DISABLED_INSTRUMENTATIONS=nethttp: the S3 span
#                    alone
#   otelaws          cmd/otelaws: otelaws.AppendMiddlewares on the client's
#                    APIOptions (go.opentelemetry.io/contrib/.../otelaws),
#                    the SDK set up by hand as rules/sdk sets it up: a span
#                    per call with trace context in the request's headers,
#                    no metrics
#
# The server is GoFakeS3 (buckets in memory), the one rules/awssdk's tests
# use, here in a process of its own (s3load/cmd/s3server), so that its CPU
# time is not the program's. The traced builds export over OTLP/HTTP to a
# sink on 127.0.0.1 that reads and drops every request (bench/httpload's
# cmd/sink). Every configuration runs once per round, in ROUNDS interleaved
# rounds, each in a fresh process; the figures are medians of the wall time
# per call and of the program's CPU time (user + system) per call, which a
# busy machine disturbs less. With PIN=on (taskset, at least 2 cores) the
# program runs on CPU 0, the server and the sink on CPU 1. At the end, one
# more otelgen run is profiled.
#
#   bash bench/awssdk.sh                    # about 6 minutes on 2 cores, builds included
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script exits 0 (2 when a build, the server or a sanity check fails). It
# writes only to a temporary directory (removed on exit) and the go
# command's caches. Knobs: ROUNDS=5, N=10000 (calls per run, half of each,
# after WARMUP=1000 not measured), PIN=off|on, PROFILE=1|0 (PROFN=N calls in
# the profiled run), KEEP=1.
set -euo pipefail

NAME=awssdk LOAD=s3load MAIN=s3 PEER=otelaws SERVER=s3server OP=call ALSO_OFF=nethttp
TARGET=github.com/aws/smithy-go/middleware
rewritten() { compgen -G "$APP/_otel/mod/github.com/aws/smithy-go@*/middleware/otelgen_hooks.go" >/dev/null; }

N=${N:-10000} WARMUP=${WARMUP:-1000}
startserver() {
	say "starting GoFakeS3"
	local port
	port=$(freeport)
	"${CPU1[@]}" "$BIN/$SERVER" -addr "127.0.0.1:$port" >"$WORK/s3server.log" 2>&1 &
	SRVPID=$!
	export S3_ENDPOINT="http://127.0.0.1:$port"
	for ((i = 0; i < 200; i++)); do
		"$BIN/plain" -n 2 -warmup 0 >/dev/null 2>&1 && return
		sleep 0.1
	done
	"$BIN/plain" -n 2 -warmup 0 >/dev/null || die "GoFakeS3 did not start: $(cat "$WORK/s3server.log")"
}

# shellcheck source=clientloop.sh
source "$(dirname "${BASH_SOURCE[0]}")/clientloop.sh"
