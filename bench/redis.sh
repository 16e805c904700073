#!/usr/bin/env bash
# bench/redis.sh measures what otelgen's go-redis v9 integration
# (rules/goredis) adds to a GET, against go-redis's own redisotel, in one
# session, and prints ratios. Builds of one small program (bench/redisload),
# which sets one key and runs GET of it in a loop on one client,
# context.Background() (each command a root span), and prints the time per
# call:
#
#   plain        cmd/get, go build: no OpenTelemetry at all
#   otelgen-off  cmd/get, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: a CLIENT span and a
#                db.client.operation.duration point per command
#   redisotel    cmd/redisotel: redisotel.InstrumentTracing and
#                InstrumentMetrics on the client (a span and its
#                db.client.operation.duration point per command, and a
#                connection-pool gauge), the SDK set up by hand as rules/sdk
#                sets it up
#
# The server is a redis-server on a Unix socket in the temporary directory.
# Both traced builds export over OTLP/HTTP to a sink on 127.0.0.1 that reads
# and drops every request (bench/httpload's cmd/sink), so that each records
# and exports what it would in production. Every configuration runs once per
# round, in ROUNDS interleaved rounds, each in a fresh process; the figures
# are medians of the wall time per call and of the program's CPU time
# (user + system) per call. With PIN=on (taskset, at least 2 cores) the
# program runs on CPU 0, the server and the sink on CPU 1. At the end, one
# more otelgen run is profiled.
#
#   bash bench/redis.sh                     # about 3 minutes on 2 cores, builds included
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script exits 0 (2 when a build, the server or a sanity check fails). It
# writes only to temporary directories (removed on exit) and the go
# command's caches. Knobs: ROUNDS=5, N=20000 (calls per run, after
# WARMUP=2000 not measured), PIN=off|on, PROFILE=1|0 (PROFN=N calls in
# the profiled run), KEEP=1.
set -euo pipefail

NAME=redis LOAD=redisload MAIN=get PEER=redisotel OP=GET TARGET=github.com/redis/go-redis/v9
rewritten() { compgen -G "$APP/_otel/mod/github.com/redis/go-redis/v9@*/otelgen_hooks.go" >/dev/null; }

startserver() {
	command -v redis-server >/dev/null || die "no redis-server (Debian: apt-get install redis-server)"
	say "starting redis-server"
	local sock=$WORK/redis.sock
	"${CPU1[@]}" redis-server --port 0 --unixsocket "$sock" --save '' --appendonly no --dir "$WORK" \
		--logfile "$WORK/redis.log" &
	SRVPID=$!
	export REDIS_NETWORK=unix REDIS_ADDR=$sock
	for ((i = 0; i < 200; i++)); do
		"$BIN/plain" -n 1 -warmup 0 >/dev/null 2>&1 && return
		sleep 0.1
	done
	"$BIN/plain" -n 1 -warmup 0 >/dev/null || die "redis-server did not start: $(cat "$WORK/redis.log")"
}

# shellcheck source=clientloop.sh
source "$(dirname "${BASH_SOURCE[0]}")/clientloop.sh"
