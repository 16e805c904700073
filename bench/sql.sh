#!/usr/bin/env bash
# bench/sql.sh measures database/sql's SELECT 1 against a real PostgreSQL on
# loopback, in one session, and prints ratios. Builds of one small program
# (bench/sqlload), which runs SELECT 1 in a loop through pgx's database/sql
# driver on a pool of one connection and prints the time per query:
#
#   plain        cmd/select, go build: no OpenTelemetry at all
#   otelgen-off  cmd/select, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: a span and a duration
#                measurement per query, the pool metrics
#   otelsql      cmd/otelsql: the driver wrapped with github.com/XSAM/otelsql
#                and its DB stats metrics registered, the SDK set up by hand
#                as rules/sdk sets it up
#
# Both instrumented builds export over OTLP/HTTP to a sink on 127.0.0.1 that
# reads and drops every request (bench/httpload's cmd/sink). Every
# configuration runs once per round, in ROUNDS interleaved rounds, each in a
# fresh process; the figures are medians of the wall time per query and of
# the program's CPU time (user + system) per query, which a busy machine
# disturbs less. With PIN=on (taskset, at least 2 cores) the program runs
# on CPU 0, the server and the sink on CPU 1.
#
#   bash bench/sql.sh                       # about 3 minutes on 2 cores, after the builds
#
# It needs PostgreSQL's server (Debian: apt-get install postgresql), run as
# the user postgres when the script runs as root. It is a report, not a
# test: a missed target is printed as MISSED and the script exits 0 (2 when
# a build or the server fails). It writes only to temporary directories
# (removed on exit) and the go command's caches. Knobs: ROUNDS=5, N=20000
# (queries per run, after 2000 not measured), PIN=off|on, KEEP=1.
set -euo pipefail

NAME=sql LOAD=sqlload PEER=otelsql TARGET=database/sql
rewritten() { [[ -f $APP/_otel/std/database/sql/sql.go ]]; }
# shellcheck source=dbselect.sh
source "$(dirname "${BASH_SOURCE[0]}")/dbselect.sh"
