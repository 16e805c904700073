#!/usr/bin/env bash
# bench/clientgo.sh measures what otelgen's client-go integration
# (rules/clientgo) adds to a request to the Kubernetes API, against
# otelhttp's round tripper set in rest.Config's WrapTransport, in one
# session, and prints ratios. Builds of one small program (bench/k8sload),
# which runs a Get of one configmap through the typed core/v1 client in a
# loop on one client, context.Background() (each request a root span), and
# prints the time per call:
#
#   plain        cmd/get, go build: no OpenTelemetry at all
#   otelgen-off  cmd/get, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: rules/clientgo's CLIENT span
#                "get configmaps" per request, with the Kubernetes and HTTP
#                attributes, trace context in its headers, and an
#                http.client.request.duration point (rules/nethttp makes
#                no second span for the traced request)
#   otelhttp     cmd/otelhttp: rest.Config.WrapTransport set to
#                otelhttp.NewTransport, the SDK set up by hand as rules/sdk
#                sets it up: a CLIENT span per request with trace context in
#                its headers, and otelhttp's client metrics
#
# The server is k8sload/cmd/apiserver, in a process of its own: a loopback
# HTTP server that answers the Get with the API's JSON, as rules/clientgo's
# tests' server does (no Kubernetes API server is packaged for Debian). The
# traced builds export over OTLP/HTTP to a sink on 127.0.0.1 that reads and
# drops every request (bench/httpload's cmd/sink). Every configuration runs
# once per round, in ROUNDS interleaved rounds, each in a fresh process;
# the figures are medians of the wall time per call and of the program's
# CPU time (user + system) per call, which a busy machine disturbs less.
# With PIN=on (taskset, at least 2 cores) the program runs on CPU 0, the
# server and the sink on CPU 1. At the end, one more otelgen run is
# profiled.
#
#   bash bench/clientgo.sh                  # about 5 minutes on 2 cores, builds included
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script exits 0 (2 when a build, the server or a sanity check fails). It
# writes only to a temporary directory (removed on exit) and the go
# command's caches. Knobs: ROUNDS=5, N=20000 (calls per run, after
# WARMUP=2000 not measured), PIN=off|on, PROFILE=1|0 (PROFN=N calls in
# the profiled run), KEEP=1.
set -euo pipefail

NAME=clientgo LOAD=k8sload MAIN=get PEER=otelhttp SERVER=apiserver OP=Get TARGET=k8s.io/client-go/transport
rewritten() { compgen -G "$APP/_otel/mod/k8s.io/client-go@*/transport/otelgen_hooks.go" >/dev/null; }

startserver() {
	say "starting the API server"
	local port
	port=$(freeport)
	"${CPU1[@]}" "$BIN/$SERVER" -addr "127.0.0.1:$port" >"$WORK/apiserver.log" 2>&1 &
	SRVPID=$!
	export K8S_HOST="http://127.0.0.1:$port"
	for ((i = 0; i < 200; i++)); do
		"$BIN/plain" -n 1 -warmup 0 >/dev/null 2>&1 && return
		sleep 0.1
	done
	"$BIN/plain" -n 1 -warmup 0 >/dev/null || die "the API server did not start: $(cat "$WORK/apiserver.log")"
}

# shellcheck source=clientloop.sh
source "$(dirname "${BASH_SOURCE[0]}")/clientloop.sh"
