#!/usr/bin/env bash
# bench/grpc.sh measures gRPC unary calls per second over loopback, in one
# session, and prints ratios. Three builds of the same program
# (bench/grpcload: a TestService server and CONNS goroutines calling its
# UnaryCall over one ClientConn, in one process, so each call is traced on
# both sides):
#
#   plain     cmd/plain, go build: no OpenTelemetry at all
#   otelgen   cmd/plain, otelgen generate + go build -overlay (built-in rules
#             as shipped); run with OTEL_SDK_DISABLED=true ("otelgen off")
#             and with tracing on
#   otelgrpc  cmd/otelgrpc: otelgrpc's stats handlers on server and client,
#             the SDK set up by hand as rules/sdk sets it up
#
# Both instrumented builds export over OTLP/HTTP to a sink on 127.0.0.1 that
# reads and drops every request (bench/httpload's cmd/sink). Every
# configuration runs once per round, in ROUNDS interleaved rounds, each run a
# fresh process: WARMUP seconds of calls, then DURATION measured seconds.
#
#   bash bench/grpc.sh                      # about 3 minutes on 2 cores
#
# It is a report, not a test: it exits 0 whatever the figures (2 when a build
# or a sanity check fails), and writes only to a temporary directory (removed
# on exit; KEEP=1 keeps it) and the go command's caches. Knobs:
# ROUNDS=5, DURATION=8, WARMUP=2, CONNS=16,
# CONFIGS="plain otelgen-off otelgen otelgrpc".
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-16}

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-grpc.XXXXXX")
SINKPID=""
cleanup() {
	# Only the process this script started and has not reaped yet.
	[[ -z $SINKPID ]] || kill -KILL "$SINKPID" 2>/dev/null || true
	wait 2>/dev/null || true
	if [[ ${KEEP:-} == 1 ]]; then
		echo "kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
export GOWORK=off

say() { printf '\n== %s\n' "$*" >&2; }
die() {
	echo "grpc.sh: $*" >&2
	exit 2
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "snapshot of $ROOT, building otelgen"
SRC=$WORK/otelgen-src
mkdir "$SRC"
tar -C "$ROOT" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
(cd "$SRC" && go build -o "$WORK/otelgen" ./cmd/otelgen)

APP=$WORK/grpcload
HTTPLOAD=$WORK/httpload
cp -R "$BENCH/grpcload" "$APP"
cp -R "$BENCH/httpload" "$HTTPLOAD"
rm -rf "$APP/_otel" "$HTTPLOAD/_otel"
(cd "$APP" && go mod edit -replace "github.com/otelgen/otelgen=$SRC")
(cd "$HTTPLOAD" && go mod edit -replace "github.com/otelgen/otelgen=$SRC")
say "otelgen generate ./cmd/plain"
"$WORK/otelgen" -C "$APP" generate ./cmd/plain >&2
grep -q grpc-client "$APP/_otel/otelgen.lock" || die "the gRPC rules did not apply"

say "building plain, otelgen, otelgrpc, sink"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/plain" ./cmd/plain &&
	go build -overlay="$APP/_otel/overlay.json" -o "$BIN/otelgen" ./cmd/plain &&
	go build -o "$BIN/otelgrpc" ./cmd/otelgrpc) || die "a build failed"
(cd "$HTTPLOAD" && go build -o "$BIN/sink" ./cmd/sink && go build -o "$BIN/get" ./cmd/load) || die "a build failed"

"$BIN/sink" >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINKPID=$!
for ((i = 0; i < 200; i++)); do
	SINK=$(awk '/^httpload: listening on / { print $4; exit }' "$WORK/sink.out" 2>/dev/null) || true
	[[ -z $SINK ]] || break
	sleep 0.05
done
[[ -n $SINK ]] || die "the sink did not start: $(cat "$WORK/sink.err")"
export OTEL_EXPORTER_OTLP_ENDPOINT=http://$SINK
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_METRICS_EXPORTER OTEL_TRACES_SAMPLER 2>/dev/null || true
spans() { "$BIN/get" -get "http://$SINK/stats" | awk '{ print $4 }'; }

read -r -a CONFIGS <<<"${CONFIGS:-plain otelgen-off otelgen otelgrpc}"
declare -A CBIN=([plain]=plain [otelgen-off]=otelgen [otelgen]=otelgen [otelgrpc]=otelgrpc)
declare -A CENV=([plain]="" [otelgen-off]="OTEL_SDK_DISABLED=true" [otelgen]="" [otelgrpc]="")
for c in "${CONFIGS[@]}"; do
	[[ -n ${CBIN[$c]:-} ]] || die "unknown configuration $c"
done

: >"$WORK/runs.txt"
nc=${#CONFIGS[@]}
for ((r = 1; r <= ROUNDS; r++)); do
	say "round $r of $ROUNDS ($CONNS callers, ${WARMUP}s warm-up + ${DURATION}s)"
	for ((k = 0; k < nc; k++)); do
		c=${CONFIGS[$(((k + r - 1) % nc))]}
		s0=$(spans)
		# shellcheck disable=SC2086 # CENV holds zero or more words
		line=$(env ${CENV[$c]} "$BIN/${CBIN[$c]}" -c "$CONNS" -d "${DURATION}s" -w "${WARMUP}s") || die "$c failed"
		s1=$(spans)
		n=$(awk '{ for (i = 1; i < NF; i++) if ($i == "calls_total") print $(i + 1) }' <<<"$line")
		line="$line spans_per_call $(awk -v a="$s0" -v b="$s1" -v n="$n" 'BEGIN { printf "%.3f", (b - a) / n }')"
		echo "$c $r $line" >>"$WORK/runs.txt"
		printf '%-12s round %d: %s\n' "$c" "$r" "$line" >&2
	done
done

# med CONFIG FIELD prints the median of FIELD over CONFIG's runs.
med() {
	awk -v c="$1" -v k="$2" '$1 == c { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$WORK/runs.txt" |
		sort -g | awk '{ v[NR] = $1 } END {
			if (NR == 0) { print "nan"; exit }
			if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() {
	local a b
	a=$(med "$1" "$3") b=$(med "$2" "$3")
	if [[ $a == nan || $b == nan ]]; then echo n/a; else awk -v a="$a" -v b="$b" -v inv="${4:-0}" 'BEGIN { printf "%.3f", inv ? b / a : a / b }'; fi
}
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo
	echo "gRPC unary calls: $(go version | awk '{print $3, $4}'), $(nproc) cores, $(date -u +%F); $CONNS callers, ${WARMUP}s + ${DURATION}s per run, $ROUNDS interleaved rounds"
	echo "load average at start $LOAD_START, at end $LOAD_END"
	echo
	echo "RATIOS of medians (calls/s; cpu: calls per CPU-second of the process, server and client)"
	printf '%-40s %8s %8s %8s\n' measure "calls/s" cpu target
	printf '%-40s %8s %8s %8s\n' "otelgen off / uninstrumented" "$(ratio otelgen-off plain rps)" "$(ratio otelgen-off plain cpu_us_per_req 1)" ">= 0.97"
	printf '%-40s %8s %8s %8s\n' "otelgen / otelgrpc, tracing on" "$(ratio otelgen otelgrpc rps)" "$(ratio otelgen otelgrpc cpu_us_per_req 1)" ">= 1.0"
	printf '%-40s %8s %8s %8s\n' "otelgen tracing on / uninstrumented" "$(ratio otelgen plain rps)" "$(ratio otelgen plain cpu_us_per_req 1)" "-"
	echo
	printf '%-14s %10s %12s %10s %10s\n' build "calls/s" "cpu us/call" "cpu util" "spans/call"
	for c in "${CONFIGS[@]}"; do
		printf '%-14s %10s %12s %10s %10s\n' "$c" "$(med "$c" rps)" "$(med "$c" cpu_us_per_req)" "$(med "$c" cpu_util)" "$(med "$c" spans_per_call)"
	done
	echo
	echo "cpu util: the process's CPU seconds per second (2 = both cores); spans/call: spans the sink"
	echo "received per call the process made (2 when every span of both sides is exported; the batch"
	echo "span processor drops spans when its queue is full)."
	echo
	echo "RUNS"
	cat "$WORK/runs.txt"
}
