#!/usr/bin/env bash
# bench/kafka.sh measures what otelgen's franz-go integration adds to
# producing and consuming Kafka records, against franz-go's own hand-written
# plugin kotel, in one session, and prints ratios. Builds of one small
# program (bench/kafkaload): one kgo client produces records of 100 bytes
# with ProduceSync, one at a time, while a second client on a goroutine of
# its own consumes them (PollFetches, EachRecord); it prints the wall and
# CPU time per record produced and consumed:
#
#   plain        cmd/produce, go build: no OpenTelemetry at all
#   otelgen-off  cmd/produce, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: rules/franzgo, a "send" span
#                and a "process" span per record, the messaging metrics
#   kotel        cmd/kotel: github.com/twmb/franz-go/plugin/kotel's tracer
#                ("send" and "receive" spans per record) and meter as hooks
#                of both clients, the SDK set up by hand as rules/sdk does
#
# The broker is franz-go's kfake (a Kafka wire-protocol cluster in Go), one
# broker, in a process of its own (bench/kafkaload/cmd/broker) so that its
# CPU time is not the program's, started afresh for every run. Both traced
# builds export over OTLP/HTTP to a sink on 127.0.0.1 that reads and drops
# every request (bench/httpload's cmd/sink). Every configuration runs once
# per round, in ROUNDS interleaved rounds, each in a fresh process; the
# figures are medians of the wall time per record and of the program's CPU
# time (user + system, all its threads) per record, which a busy machine
# disturbs less. With PIN=on (taskset, at least 2 cores) the program runs
# on CPU 0, the broker and the sink on CPU 1.
#
#   bash bench/kafka.sh          # about 5 minutes on 2 cores, builds included
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script exits 0 (2 when a build, the broker or a sanity check fails). It
# writes only to a temporary directory (removed on exit) and the go
# command's caches. Knobs: ROUNDS=5, N=10000 (records per run, after
# WARMUP=1000 not measured), PIN=off|on, KEEP=1, PROFILE=DIR (CPU profiles
# of otelgen and kotel, in one more run each).
set -euo pipefail

NAME=kafka LOAD=kafkaload CMD=produce PEER=kotel UNIT=record SPANS=2
rewritten() { compgen -G "$APP/_otel/mod/github.com/twmb/franz-go@*/pkg/kgo/client.go" >/dev/null; }
BROKERPID=""
server_up() { :; }
server_down() { :; }
run_before() {
	: >"$WORK/broker.out"
	"${CPU1[@]}" "$BIN/broker" >"$WORK/broker.out" 2>"$WORK/broker.err" &
	BROKERPID=$!
	KAFKA_ADDR=$(waitline "$WORK/broker.out" "kfake: listening on ") || die "kfake did not start: $(cat "$WORK/broker.err")"
	export KAFKA_ADDR
}
run_after() {
	[[ -n $BROKERPID ]] || return 0
	kill -TERM "$BROKERPID" 2>/dev/null || true
	wait "$BROKERPID" 2>/dev/null || true
	BROKERPID=""
}
describe() { echo "kfake $(cd "$APP" && go list -m -f '{{.Version}}' github.com/twmb/franz-go/pkg/kfake), franz-go $(cd "$APP" && go list -m -f '{{.Version}}' github.com/twmb/franz-go), kotel $(cd "$APP" && go list -m -f '{{.Version}}' github.com/twmb/franz-go/plugin/kotel)"; }
# shellcheck source=msgbench.sh
source "$(dirname "${BASH_SOURCE[0]}")/msgbench.sh"
