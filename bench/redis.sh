#!/usr/bin/env bash
# bench/redis.sh measures what otelgen's go-redis v9 integration adds to a
# Redis GET, against the hand-written contrib instrumentation, in one
# session, and prints ratios. One small program (bench/redisget: a loop of
# GETs of one key on one client, context.Background(), so each GET is a
# root span), in four configurations:
#
#   plain        go build: no OpenTelemetry at all
#   otelgen-off  otelgen generate + go build -overlay, OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on (built-in rules as shipped)
#   redisotel    go build, -redisotel: redisotel.InstrumentTracing and
#                InstrumentMetrics, the SDK set up by hand as rules/sdk does
#
# Every configuration records spans (always_on) into a batch processor and
# metrics into the SDK, and exports nowhere (OTEL_*_EXPORTER=none), so that
# the figures are the instrumentation's, not an exporter's. The server is a
# redis-server on a Unix socket in the temporary directory. Each round runs
# every configuration once, in a fresh process, in a rotating order.
#
#   bash bench/redis.sh           # about 3 minutes on 2 cores
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script still exits 0 (2 when a build or a sanity check fails). It writes
# only to a temporary directory (removed on exit) and the go command's
# caches. Knobs, as environment variables:
#
#   ROUNDS=7   interleaved rounds
#   N=20000    GETs timed per run (after WARM=2000 untimed)
#   KEEP=1     keep the temporary directory and print its path
set -euo pipefail

ROUNDS=${ROUNDS:-7}
N=${N:-20000}
WARM=${WARM:-2000}

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-redis.XXXXXX")
RPID=""
cleanup() {
	# Only the server this script started.
	[[ -z $RPID ]] || kill "$RPID" 2>/dev/null || true
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
	echo "redis.sh: $*" >&2
	exit 2
}
command -v redis-server >/dev/null || die "no redis-server (on Debian: apt-get install redis-server)"

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "snapshot of $ROOT, building otelgen"
SRC=$WORK/otelgen-src
mkdir "$SRC"
tar -C "$ROOT" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
(cd "$SRC" && go build -o "$WORK/otelgen" ./cmd/otelgen)
OTELGEN=$WORK/otelgen

APP=$WORK/redisget
cp -R "$BENCH/redisget" "$APP"
rm -rf "$APP/_otel"
(cd "$APP" && go mod edit -replace "github.com/otelgen/otelgen=$SRC")
say "otelgen generate"
"$OTELGEN" -C "$APP" generate >&2
OVERLAY=$APP/_otel/overlay.json
compgen -G "$APP/_otel/mod/github.com/redis/go-redis/v9@*/redis.go" >/dev/null || die "otelgen did not rewrite go-redis; otelgen explain says:
$("$OTELGEN" -C "$APP" explain github.com/redis/go-redis/v9 2>&1)"

say "building plain and otelgen"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/plain" . &&
	go build -overlay="$OVERLAY" -o "$BIN/otelgen" .) || die "a build failed"

SOCK=$WORK/redis.sock
redis-server --port 0 --unixsocket "$SOCK" --save '' --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" &
RPID=$!
for ((i = 0; i < 100; i++)); do
	[[ -S $SOCK ]] && break
	sleep 0.1
done
[[ -S $SOCK ]] || die "redis-server did not start: $(cat "$WORK/redis.log")"

QUIET=(OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none)
# The instrumented configurations must trace: one GET, printed to stdout.
out=$(env OTEL_TRACES_EXPORTER=console OTEL_METRICS_EXPORTER=none "$BIN/otelgen" -addr "$SOCK" -n 1 -warm 0)
[[ $out == *'"Name":"github.com/otelgen/otelgen/rules/goredis"'* ]] || die "the otelgen build made no go-redis span:
$out"
out=$(env OTEL_TRACES_EXPORTER=console OTEL_METRICS_EXPORTER=none "$BIN/plain" -redisotel -addr "$SOCK" -n 1 -warm 0)
[[ $out == *'redisotel'* ]] || die "the redisotel configuration made no span:
$out"

# ------------------------------------------------------------------ rounds

CONFIGS=(plain otelgen-off otelgen redisotel)
runone() { # runone CONFIG: appends "wall cpu" to $WORK/CONFIG.txt
	local line
	case $1 in
	plain) line=$(env "${QUIET[@]}" "$BIN/plain" -addr "$SOCK" -n "$N" -warm "$WARM") ;;
	otelgen-off) line=$(env "${QUIET[@]}" OTEL_SDK_DISABLED=true "$BIN/otelgen" -addr "$SOCK" -n "$N" -warm "$WARM") ;;
	otelgen) line=$(env "${QUIET[@]}" "$BIN/otelgen" -addr "$SOCK" -n "$N" -warm "$WARM") ;;
	redisotel) line=$(env "${QUIET[@]}" "$BIN/plain" -redisotel -addr "$SOCK" -n "$N" -warm "$WARM") ;;
	esac
	echo "$1: $line" >&2
	awk '{ print $4, $6 }' <<<"$line" >>"$WORK/$1.txt"
}
for ((r = 0; r < ROUNDS; r++)); do
	say "round $((r + 1)) of $ROUNDS"
	for ((i = 0; i < ${#CONFIGS[@]}; i++)); do
		runone "${CONFIGS[$(((i + r) % ${#CONFIGS[@]}))]}"
	done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ figures

median() { # median COLUMN FILE
	awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
for c in "${CONFIGS[@]}"; do
	v=${c//-/_}
	declare "wall_$v=$(median 1 "$WORK/$c.txt")" "cpu_$v=$(median 2 "$WORK/$c.txt")"
done
row() { printf '%-34s %12s %12s\n' "$@"; }
{
	echo
	echo "otelgen go-redis GET benchmark: $(go version | awk '{print $3, $4}'), $(nproc) cores, redis-server $(redis-server --version | awk '{print $3}'), $(date -u +%F)"
	echo "rounds=$ROUNDS n=$N warm=$WARM; load average at start $LOAD_START, at end $LOAD_END"
	if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n * 0.75) }'; then
		echo "WARNING: the machine was busy when the run started (1-minute load average above 3/4 of its cores): the figures are noisy"
	fi
	echo
	echo "MEDIANS (per GET)"
	row "configuration" "wall ns" "cpu ns"
	for c in "${CONFIGS[@]}"; do
		v=${c//-/_}
		w=wall_$v u=cpu_$v
		row "$c" "$(calc "${!w}" 0)" "$(calc "${!u}" 0)"
	done
	echo
	echo "RATIOS TO PLAIN"
	row "configuration" "wall" "cpu"
	for c in otelgen-off otelgen redisotel; do
		v=${c//-/_}
		w=wall_$v u=cpu_$v
		row "$c / plain" "$(calc "${!w} / $wall_plain")x" "$(calc "${!u} / $cpu_plain")x"
	done
	echo
	addo=$(calc "$cpu_otelgen - $cpu_plain" 0)
	addr=$(calc "$cpu_redisotel - $cpu_plain" 0)
	verdict=$(awk -v o="$addo" -v r="$addr" 'BEGIN { print (o <= r) ? "met" : "MISSED" }')
	echo "ADDED CPU PER GET: otelgen ${addo} ns, redisotel ${addr} ns (otelgen / redisotel $(calc "$addo / $addr")x)"
	echo "target: otelgen's added time per call at most redisotel's: $verdict"
}
