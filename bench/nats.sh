#!/usr/bin/env bash
# bench/nats.sh measures what otelgen's NATS integration (rules/nats) adds to
# a request/reply round trip, in one session, and prints ratios. Builds of
# one small program (bench/natsload), in which a responder on one
# connection answers bench.echo with the payload and a requester on another
# sends nc.Request after nc.Request, and prints the time per request:
#
#   plain        cmd/request, go build: no OpenTelemetry at all
#   otelgen-off  cmd/request, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: a PRODUCER span per publish
#                (the request and the reply), a CONSUMER span per message a
#                callback handles, trace context in the headers (rules/nats
#                records no metrics)
#
# OTel's contrib has no NATS instrumentation, so there is no hand-written
# configuration to compare with. The server is a nats-server on loopback
# (/usr/sbin/nats-server, Debian's nats-server). The traced build exports
# over OTLP/HTTP to a sink on 127.0.0.1 that reads and drops every request
# (bench/httpload's cmd/sink). Every configuration runs once per round, in
# ROUNDS interleaved rounds, each in a fresh process; the figures are
# medians of the wall time per request and of the program's CPU time
# (user + system, both ends') per request, which a busy machine disturbs
# less. With PIN=on (taskset, at least 2 cores) the program runs on CPU 0,
# the server and the sink on CPU 1. At the end, one more otelgen run is
# profiled.
#
#   bash bench/nats.sh                      # about 4 minutes on 2 cores, builds included
#
# It is a report, not a test: it exits 0 when every configuration ran (2
# when a build, the server or a sanity check fails). It writes only to a
# temporary directory (removed on exit) and the go command's caches. Knobs:
# ROUNDS=5, N=20000 (requests per run, after WARMUP=2000 not measured),
# PIN=off|on, PROFILE=1|0 (PROFN=N calls in the profiled run), KEEP=1.
set -euo pipefail

NAME=nats LOAD=natsload MAIN=request PEER="" OP=request TARGET=github.com/nats-io/nats.go
rewritten() { compgen -G "$APP/_otel/mod/github.com/nats-io/nats.go@*/otelgen_hooks.go" >/dev/null; }

startserver() {
	local bin
	bin=$(command -v nats-server || echo /usr/sbin/nats-server)
	[[ -x $bin ]] || die "no nats-server (Debian: apt-get install nats-server)"
	say "starting nats-server"
	local port
	port=$(freeport)
	"${CPU1[@]}" "$bin" -a 127.0.0.1 -p "$port" >"$WORK/nats.log" 2>&1 &
	SRVPID=$!
	export NATS_URL="nats://127.0.0.1:$port"
	for ((i = 0; i < 200; i++)); do
		"$BIN/plain" -n 1 -warmup 0 >/dev/null 2>&1 && return
		sleep 0.1
	done
	"$BIN/plain" -n 1 -warmup 0 >/dev/null || die "nats-server did not start: $(cat "$WORK/nats.log")"
}

# shellcheck source=clientloop.sh
source "$(dirname "${BASH_SOURCE[0]}")/clientloop.sh"
