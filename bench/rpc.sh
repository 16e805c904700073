#!/usr/bin/env bash
# bench/rpc.sh measures calls per second and CPU per call of an RPC
# framework over loopback, as grpc.sh does for gRPC, in one session, and
# prints ratios. WHAT picks the framework:
#
#   WHAT=kitex   bench/kitexload: a generic Kitex server (a Thrift IDL
#                parsed at run time) and a generic client calling Echo over
#                TTHeader; the peer is obsotel, the tracing suites of
#                github.com/kitex-contrib/obs-opentelemetry
#   WHAT=kratos  bench/kratosload: Kratos HTTP and gRPC servers and Kratos'
#                clients calling SayHello over TRANSPORTS (http, grpc or
#                both: each its own rounds and report); the peer is
#                kratostrace, Kratos' own tracing middleware
#
# Four configurations of the same program (CONNS goroutines calling the
# server in the same process, so that every call is traced on both sides):
#
#   plain        cmd/plain, go build: no OpenTelemetry at all
#   otelgen-off  cmd/plain, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same, tracing on
#   PEER         the peer, the SDK set up by hand as rules/sdk sets it up
#
# Both traced builds export over OTLP/HTTP to a sink on 127.0.0.1 that reads
# and drops every request (bench/httpload's cmd/sink). Every configuration
# runs once per round, in ROUNDS interleaved rounds, each run a fresh
# process: WARMUP seconds of calls, then DURATION measured seconds. With
# PROFILE=1 one more otelgen run and one more PEER run write CPU profiles,
# and the report lists their heaviest functions.
#
#   WHAT=kitex bash bench/rpc.sh                      # about 7 minutes on 2 cores
#   WHAT=kratos TRANSPORTS="http grpc" bash bench/rpc.sh
#
# It is a report, not a test: it exits 0 whatever the figures (2 when a build
# or a sanity check fails), and writes only to a temporary directory (removed
# on exit; KEEP=1 keeps it) and the go command's caches. Knobs: WHAT (kitex),
# TRANSPORTS (http; kratos only), ROUNDS=5, DURATION=8, WARMUP=2, CONNS=16,
# PROFILE=1, CONFIGS (a subset of the four, in order).
set -euo pipefail

WHAT=${WHAT:-kitex}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-16}
PROFILE=${PROFILE:-1}
LOADGEN=in-process # for rounds' heading

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
# shellcheck source=lib.sh
source "$BENCH/lib.sh"
# shellcheck source=snapshot.sh
source "$BENCH/snapshot.sh"

case $WHAT in
kitex)
	LOAD=kitexload PEER=obsotel TRANSPORTS=ttheader
	PEERDESC="kitex-contrib/obs-opentelemetry's tracing suites"
	RULES=(kitex-client kitex-server)
	INSTR='otelgen/otelgen/(rules|hook|gls)|otelgen_|obs-opentelemetry'
	;;
kratos)
	LOAD=kratosload PEER=kratostrace TRANSPORTS=${TRANSPORTS:-http}
	PEERDESC="Kratos' tracing middleware"
	# Kratos' own rules, and the net/http and gRPC rules that make the spans.
	RULES=(kratos-server-context nethttp-server grpc-client)
	INSTR='otelgen/otelgen/(rules|hook|gls)|otelgen_|kratos/v2/middleware/tracing'
	;;
*) die "WHAT is kitex or kratos, not $WHAT" ;;
esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-rpc-$WHAT.XXXXXX")
SPID="" SINKPID=""
trap cleanup EXIT
export GOWORK=off

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
snapshot
say "otelgen generate ./cmd/plain"
"$OTELGEN" -C "$APP" generate ./cmd/plain >&2
for r in "${RULES[@]}"; do
	grep -q -- "$r" "$APP/_otel/otelgen.lock" || die "the rule $r did not apply"
done

say "building plain, otelgen, $PEER, sink"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/plain" ./cmd/plain &&
	go build -overlay="$APP/_otel/overlay.json" -o "$BIN/otelgen" ./cmd/plain &&
	go build -o "$BIN/$PEER" "./cmd/$PEER") || die "a build failed"
(cd "$WORK/httpload" && go build -o "$BIN/sink" ./cmd/sink && go build -o "$BIN/load" ./cmd/load) || die "a build failed"

"$BIN/sink" >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINKPID=$!
SINK=$(waitaddr "$WORK/sink.out") || die "the sink did not start: $(cat "$WORK/sink.err")"
export OTEL_EXPORTER_OTLP_ENDPOINT=http://$SINK OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_METRICS_EXPORTER OTEL_LOGS_EXPORTER OTEL_TRACES_SAMPLER \
	OTEL_GO_DISABLED_INSTRUMENTATIONS 2>/dev/null || true

read -r -a CONFIGS <<<"${CONFIGS:-plain otelgen-off otelgen $PEER}"
declare -A CBIN=([plain]=plain [otelgen-off]=otelgen [otelgen]=otelgen [$PEER]=$PEER)
declare -A CENV=([plain]="" [otelgen-off]="OTEL_SDK_DISABLED=true" [otelgen]="" [$PEER]="")
for c in "${CONFIGS[@]}"; do
	[[ -n ${CBIN[$c]:-} ]] || die "unknown configuration $c"
done

# args prints the load program's flags for transport $TR.
args() {
	[[ $WHAT == kratos ]] && printf -- '-t %s ' "$TR"
	printf -- '-c %s -d %ss -w %ss' "$CONNS" "$DURATION" "$WARMUP"
}

# run CONFIG ROUND runs one configuration once and appends its line to
# $WORK/runs.txt, with spans_per_call: the spans the sink received while
# it ran over every call it made. A traced run must export more than half
# a span per call (the batch processor drops spans when its queue is
# full), an untraced one none.
run() {
	local c=$1 r=$2 line s0 s1 n spc
	s0=$(sinkstat)
	# shellcheck disable=SC2046,SC2086 # CENV and args hold zero or more words
	line=$(env ${CENV[$c]} "$BIN/${CBIN[$c]}" $(args) 2>"$WORK/$c.err") || die "$c failed: $(tail -5 "$WORK/$c.err")"
	s1=$(sinkstat)
	n=$(field "$line" calls_total)
	spc=$(awk -v a="$s0" -v b="$s1" -v n="$n" 'BEGIN { printf "%.3f", (b - a) / n }')
	line="$line spans_per_call $spc"
	echo "$c $r $line" >>"$WORK/runs.txt"
	printf '%-12s round %d: %s\n' "$c" "$r" "$line" >&2
	case $c in
	plain | otelgen-off) [[ $spc == 0.000 ]] || die "$c exported $spc spans per call" ;;
	*) awk -v v="$spc" 'BEGIN { exit !(v > 0.5) }' || die "$c exported $spc spans per call" ;;
	esac
}

# med CONFIG FIELD prints the median of FIELD over CONFIG's runs.
med() { awk -v c="$1" -v k="$2" '$1 == c { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$WORK/runs.txt" | median; }
ratio() {
	local a b
	a=$(med "$1" "$3") b=$(med "$2" "$3")
	if [[ $a == nan || $b == nan ]]; then echo n/a; else awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }'; fi
}
has() { [[ " ${CONFIGS[*]} " == *" $1 "* ]]; }

for TR in $TRANSPORTS; do
	say "$WHAT over $TR"
	rounds run "${CONFIGS[@]}"
	LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
	{
		echo
		echo "$WHAT over $TR: $(go version | awk '{print $3, $4}'), $(nproc) cores, $(date -u '+%F %H:%M UTC'); $CONNS callers, ${WARMUP}s + ${DURATION}s per run, $ROUNDS interleaved rounds"
		echo "load average at start $LOAD_START, at end $LOAD_END; peer $PEER: $PEERDESC"
		if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n * 0.75) }'; then
			echo "WARNING: the machine was busy (1-minute load average above 3/4 of its cores): read CPU per call, not calls/s"
		fi
		echo
		echo "medians; cpu: the process's CPU time (user + system, server and client) per call"
		printf '%-12s %10s %8s %12s %8s %9s %10s\n' build "calls/s" ratio "cpu us/call" ratio "cpu util" "spans/call"
		for c in "${CONFIGS[@]}"; do
			printf '%-12s %10s %7sx %12s %7sx %9s %10s\n' "$c" "$(med "$c" rps)" "$(ratio "$c" plain rps)" \
				"$(med "$c" cpu_us_per_req)" "$(ratio "$c" plain cpu_us_per_req)" "$(med "$c" cpu_util)" "$(med "$c" spans_per_call)"
		done
		if has plain && has otelgen && has "$PEER"; then
			awk -v p="$(med plain cpu_us_per_req)" -v g="$(med otelgen cpu_us_per_req)" -v s="$(med "$PEER" cpu_us_per_req)" -v peer="$PEER" 'BEGIN {
				printf "CPU per call added to plain: otelgen %.1f us, %s %.1f us; otelgen / %s %.2fx (%s)\n",
					g - p, peer, s - p, peer, (g - p) / (s - p), (g - p) <= (s - p) ? "otelgen adds no more" : "otelgen adds more" }'
		fi
		echo
		echo "cpu util: the process's CPU seconds per second (2 = both cores); spans/call: spans the sink"
		echo "received per call the process made (2 when both sides' spans are all exported)"
		echo
		echo "RUNS"
		cat "$WORK/runs.txt"
	}
	if [[ $PROFILE == 1 ]]; then
		say "profiles: one more otelgen and $PEER run with -cpuprofile"
		echo
		for c in otelgen "$PEER"; do
			# shellcheck disable=SC2046 # args holds several words
			"$BIN/$c" $(args) -cpuprofile "$WORK/$c-$TR.pprof" >/dev/null 2>&1 || die "the profiled $c run failed"
			echo "$c over $TR, CPU profile of ${DURATION}s: the 12 heaviest functions by own time"
			go tool pprof -top -nodecount=12 "$BIN/$c" "$WORK/$c-$TR.pprof" 2>/dev/null | sed -n '/flat%/,$p'
			echo "$c: the instrumentation's functions and the SDK's span start and end, by cumulative time"
			go tool pprof -top -cum "$BIN/$c" "$WORK/$c-$TR.pprof" 2>/dev/null |
				grep -E "$INSTR|sdk/trace\.\(\*tracer\)\.Start|sdk/trace\.\(\*recordingSpan\)\.End\$|Propagator\)\.(Inject|Extract)|sdk/metric\.\(\*float64Inst\)\.Record\$" | head -20
			echo
		done
	fi
done
