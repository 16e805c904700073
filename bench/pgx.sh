#!/usr/bin/env bash
# bench/pgx.sh measures pgx's native SELECT 1 against a real PostgreSQL on
# loopback, in one session, and prints ratios. Builds of one small program
# (bench/pgxload), which runs conn.QueryRow("SELECT 1") in a loop on one
# pgx connection, inside one span of its own as a request handler would
# (otelpgx traces only under a recording span), and prints the time per
# query:
#
#   plain        cmd/select, go build: no OpenTelemetry SDK (the program's
#                span is the API's no-op)
#   otelgen-off  cmd/select, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: rules/pgx's tracer, a span and
#                a duration measurement per query
#   otelpgx      cmd/otelpgx: the connection's Tracer set by hand to
#                github.com/exaring/otelpgx's (OTel's contrib has no pgx
#                tracer; this is the one programs use), the SDK set up by
#                hand as rules/sdk sets it up
#
# Both instrumented builds export over OTLP/HTTP to a sink on 127.0.0.1 that
# reads and drops every request (bench/httpload's cmd/sink). Every
# configuration runs once per round, in ROUNDS interleaved rounds, each in a
# fresh process; the figures are medians of the wall time per query and of
# the program's CPU time (user + system) per query, which a busy machine
# disturbs less. With PIN=on (taskset, at least 2 cores) the program runs
# on CPU 0, the server and the sink on CPU 1.
#
#   bash bench/pgx.sh                       # about 3 minutes on 2 cores, after the builds
#
# It needs PostgreSQL's server (Debian: apt-get install postgresql), run as
# the user postgres when the script runs as root. It is a report, not a
# test: a missed target is printed as MISSED and the script exits 0 (2 when
# a build or the server fails). It writes only to temporary directories
# (removed on exit) and the go command's caches. Knobs: ROUNDS=5, N=20000
# (queries per run, after 2000 not measured), PIN=off|on, KEEP=1.
set -euo pipefail

NAME=pgx LOAD=pgxload PEER=otelpgx TARGET=pgx
rewritten() { compgen -G "$APP/_otel/mod/github.com/jackc/pgx/v5@*/conn.go" >/dev/null; }
# shellcheck source=dbselect.sh
source "$(dirname "${BASH_SOURCE[0]}")/dbselect.sh"
