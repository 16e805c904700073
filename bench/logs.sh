#!/usr/bin/env bash
# bench/logs.sh measures, in one session, what otelgen adds to a log call
# made inside a span, and what a //otel:span directive adds to an empty
# function while tracing is off; it prints ratios. Programs of
# bench/logload, each built once:
#
#   logs-plain    cmd/logs, go build: a slog JSON handler and a zap JSON
#                 core writing to io.Discard, in a span of the OTel API
#                 (a no-op without an SDK)
#   logs-otelgen  cmd/logs, otelgen generate + go build -overlay (built-in
#                 rules): the SDK records the span, each record gets
#                 trace_id, span_id, trace_flags; run as is ("otelgen") and
#                 with OTEL_LOGS_EXPORTER=otlp ("otelgen-otlp": the records
#                 are exported too)
#   logs-bridge   cmd/bridge, go build: the same loggers teed by hand to the
#                 contrib bridges otelslog and otelzap, the SDK set up by
#                 hand, OTEL_LOGS_EXPORTER=otlp (records exported; the
#                 program's own lines get no ids)
#   span-plain    cmd/span, go build: the directive is a comment
#   span-otelgen  cmd/span with the overlay: work.Spanned starts a span per
#                 call unless tracing is off; run with OTEL_SDK_DISABLED=true
#                 ("off") and OTEL_TRACES_EXPORTER=none (the SDK starts no
#                 tracer provider: the API's no-op, "noop"), and with
#                 OTEL_TRACES_SAMPLER=always_off (the SDK's provider,
#                 nothing sampled, "unsampled")
#
# Spans and log records are exported over OTLP/HTTP to a sink on 127.0.0.1
# that drops them (bench/httpload's cmd/sink); metrics are off. Every
# configuration runs once per round, in ROUNDS interleaved rounds, each in a
# fresh process that times each call for BENCHTIME (bench/logload/measure):
# wall ns/op, the process's CPU time (user + system, background export
# included) per op, allocations per op. Figures are medians over the rounds;
# on a busy machine, compare the CPU column.
#
#   bash bench/logs.sh                      # about 3 minutes on 2 cores, after the builds
#   ROUNDS=3 BENCHTIME=0.5s bash bench/logs.sh
#
# It is a report, not a test: it exits 0 whatever the figures (2 when a
# build or a sanity check fails). It writes only to a temporary directory
# (removed on exit; KEEP=1 keeps it) and the go command's caches. Knobs:
# ROUNDS=5, BENCHTIME=1s, KEEP=1.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
export BENCHTIME=${BENCHTIME:-1s}

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-logs.XXXXXX")
SINKPID=""
cleanup() {
	# Only the process this script started.
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
	echo "logs.sh: $*" >&2
	exit 2
}

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "snapshot of $ROOT, building otelgen"
SRC=$WORK/otelgen-src
mkdir "$SRC"
tar -C "$ROOT" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
(cd "$SRC" && go build -o "$WORK/otelgen" ./cmd/otelgen)
OTELGEN=$WORK/otelgen

APP=$WORK/logload
cp -R "$BENCH/logload" "$APP"
cp -R "$BENCH/httpload" "$WORK/httpload"
rm -rf "$APP/_otel"
for m in "$APP" "$WORK/httpload"; do
	(cd "$m" && go mod edit -replace "github.com/otelgen/otelgen=$SRC")
done
say "otelgen generate ./cmd/logs ./cmd/span"
"$OTELGEN" -C "$APP" generate ./cmd/logs ./cmd/span >&2
grep -q '"[^"]*/log/slog/[^"]*\.go"' "$APP/_otel/overlay.json" || die "otelgen did not rewrite log/slog"
# zap is a dependency: otelgen rewrites a copy of its module under _otel/mod.
compgen -G "$APP/_otel/mod/go.uber.org/zap@*/zapcore/otelgen_hooks.go" >/dev/null || die "otelgen did not rewrite zapcore"
grep -q 'logload/work/work.go"' "$APP/_otel/overlay.json" || die "otelgen did not rewrite work.Spanned"

say "building logs (plain, otelgen), bridge, span (plain, otelgen), sink"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/logs-plain" ./cmd/logs &&
	go build -overlay="$APP/_otel/overlay.json" -o "$BIN/logs-otelgen" ./cmd/logs &&
	go build -o "$BIN/logs-bridge" ./cmd/bridge &&
	go build -o "$BIN/span-plain" ./cmd/span &&
	go build -overlay="$APP/_otel/overlay.json" -o "$BIN/span-otelgen" ./cmd/span) || die "a build failed"
(cd "$WORK/httpload" && go build -o "$BIN/sink" ./cmd/sink) || die "building the sink failed"

say "starting the sink"
"$BIN/sink" >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINKPID=$!
SINK=""
for ((i = 0; i < 200; i++)); do
	SINK=$(awk '/^httpload: listening on / { print $4; exit }' "$WORK/sink.out" 2>/dev/null) || true
	[[ -n $SINK ]] && break
	sleep 0.05
done
[[ -n $SINK ]] || die "the sink did not start: $(cat "$WORK/sink.err")"
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_LOGS_EXPORTER OTEL_TRACES_SAMPLER OTEL_GO_DISABLED_INSTRUMENTATIONS 2>/dev/null || true
export OTEL_EXPORTER_OTLP_ENDPOINT=http://$SINK OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_METRICS_EXPORTER=none

# cmd CONFIG prints the command line of a configuration.
cmd() {
	case $1 in
	plain) echo "$BIN/logs-plain" ;;
	otelgen) echo "$BIN/logs-otelgen" ;;
	otelgen-otlp) echo "env OTEL_LOGS_EXPORTER=otlp $BIN/logs-otelgen" ;;
	bridge) echo "env OTEL_LOGS_EXPORTER=otlp $BIN/logs-bridge" ;;
	span-plain) echo "$BIN/span-plain" ;;
	span-off) echo "env OTEL_SDK_DISABLED=true $BIN/span-otelgen" ;;
	span-noop) echo "env OTEL_TRACES_EXPORTER=none $BIN/span-otelgen" ;;
	span-unsampled) echo "env OTEL_TRACES_SAMPLER=always_off $BIN/span-otelgen" ;;
	esac
}

# Sanity: the samples of the otelgen build name the span, the others' do
# not; BENCHTIME=1ms only for this.
say "sanity checks"
for c in plain otelgen otelgen-otlp bridge; do
	out=$(BENCHTIME=1ms $(cmd $c)) || die "$c failed"
	n=$(grep -c '^sample .*"trace_id":"[0-9a-f]\{32\}","span_id":"[0-9a-f]\{16\}","trace_flags":"01"' <<<"$out" || true)
	case $c in
	otelgen*) [[ $n == 2 ]] || die "$c: want 2 sample lines with the ids, got $n:"$'\n'"$out" ;;
	*) [[ $n == 0 ]] || die "$c: want no ids, got:"$'\n'"$out" ;;
	esac
	printf '%-13s %s\n' "$c" "$(grep '^sample' <<<"$out" | head -1)" >&2
done

# ---------------------------------------------------------------- rounds

LOGS=(plain otelgen otelgen-otlp bridge)
SPANS=(span-plain span-off span-noop span-unsampled)
declare -A WALL CPU ALLOCS BYTES
for ((r = 1; r <= ROUNDS; r++)); do
	for c in "${LOGS[@]}" "${SPANS[@]}"; do
		out=$($(cmd $c) | grep -v '^sample') || die "$c failed"
		while read -r name ns cpu allocs bytes; do
			k="$c/$name"
			WALL[$k]+="$ns "
			CPU[$k]+="$cpu "
			ALLOCS[$k]+="$allocs "
			BYTES[$k]+="$bytes "
			printf 'round %d %-15s %-15s %9s ns/op %9s cpu-ns/op %6s allocs/op %7s B/op\n' "$r" "$c" "$name" "$ns" "$cpu" "$allocs" "$bytes" >&2
		done <<<"$out"
	done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
diff() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", a - b }'; }

say "results: medians of $ROUNDS runs, BENCHTIME=$BENCHTIME, $(go version | cut -d' ' -f3), load $LOAD_START at the start, $LOAD_END at the end"
echo "1. a log call in a span (ratios to plain)"
printf '%-8s %-13s %10s %7s %12s %7s %9s %8s\n' logger config "wall ns" ratio "cpu ns" ratio allocs B
for l in slog zap; do
	for c in "${LOGS[@]}"; do
		k=$c/$l
		w=$(median "${WALL[$k]}") u=$(median "${CPU[$k]}")
		pw=$(median "${WALL[plain/$l]}") pu=$(median "${CPU[plain/$l]}")
		printf '%-8s %-13s %10.1f %6sx %12.1f %6sx %9s %8s\n' "$l" "$c" "$w" "$(ratio "$w" "$pw")" "$u" "$(ratio "$u" "$pu")" \
			"$(median "${ALLOCS[$k]}")" "$(median "${BYTES[$k]}")"
	done
	gu=$(median "${CPU[otelgen-otlp/$l]}") bu=$(median "${CPU[bridge/$l]}")
	gw=$(median "${WALL[otelgen-otlp/$l]}") bw=$(median "${WALL[bridge/$l]}")
	printf '%-8s otelgen-otlp / bridge: wall %sx, cpu %sx\n' "$l" "$(ratio "$gw" "$bw")" "$(ratio "$gu" "$bu")"
done
echo
echo "2. an empty function with //otel:span, tracing off (added ns per call)"
printf '%-15s %12s %12s %12s %12s %7s\n' config "plain ns" "spanned ns" "added wall" "added cpu" allocs
pw=$(median "${WALL[span-plain/spanned]}") pu=$(median "${CPU[span-plain/spanned]}")
for c in "${SPANS[@]}"; do
	w=$(median "${WALL[$c/spanned]}") u=$(median "${CPU[$c/spanned]}")
	printf '%-15s %12.2f %12.2f %12s %12s %7s\n' "$c" "$(median "${WALL[$c/plain-noinline]}")" "$w" "$(diff "$w" "$pw")" "$(diff "$u" "$pu")" "$(median "${ALLOCS[$c/spanned]}")"
done
echo "(plain ns: work.PlainNoinline in the same binary; added: work.Spanned minus span-plain's work.Spanned, an empty function called)"
