# bench/msgbench.sh is the body that bench/kafka.sh and bench/amqp.sh share:
# it builds a messaging load program plain, instrumented by otelgen and (when
# there is one) instrumented by hand, starts the OTLP sink, runs the
# configurations in interleaved rounds, each in a fresh process, and prints
# medians, ratios to plain and what each instrumentation adds per message.
# Sourced, not run. The sourcing script sets
#
#   NAME     its own name (kafka, amqp)
#   LOAD     the program's folder under bench/
#   CMD      the command under LOAD/cmd/ that otelgen instruments
#   PEER     the hand-instrumented command under LOAD/cmd/, or empty
#   UNIT     what one operation is called in the report (record, message)
#   SPANS    the spans a traced build makes per operation
#
# and these functions:
#
#   rewritten    succeeds when otelgen rewrote the library
#   server_up    starts what every run shares (after the builds; $BIN is set)
#   run_before   readies one run (a fresh broker, say): may export variables
#   run_after    ends what run_before started
#   server_down  stops what server_up started (the EXIT trap calls it)
#   describe     prints the server's name and version, for the report
#
# Knobs: ROUNDS, N, WARMUP, PIN (see the sourcing script), KEEP=1, and
# PROFILE=DIR for CPU profiles of the traced configurations (PROFILE=1 or on:
# ./msgbench-profiles; 0, off or unset: none).
set -euo pipefail

ROUNDS=${ROUNDS:-5}
N=${N:-10000}
WARMUP=${WARMUP:-1000}
PIN=${PIN:-off}
if [[ $PIN == auto || $PIN == on ]] && command -v taskset >/dev/null && (($(nproc) >= 2)); then
	PIN=on
else
	PIN=off
fi

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-$NAME.XXXXXX")
SINKPID=""
cleanup() {
	# Only the processes this script started.
	[[ -z $SINKPID ]] || kill -KILL "$SINKPID" 2>/dev/null || true
	run_after 2>/dev/null || true
	server_down 2>/dev/null || true
	wait 2>/dev/null || true
	if [[ ${KEEP:-} == 1 ]]; then
		echo "kept $WORK" >&2
	else
		chmod -R u+w "$WORK" 2>/dev/null || true
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
export GOWORK=off

say() { printf '\n== %s\n' "$*" >&2; }
die() {
	echo "$NAME.sh: $*" >&2
	exit 2
}

CPU0=()
CPU1=()
if [[ $PIN == on ]]; then
	CPU0=(taskset -c 0)
	CPU1=(taskset -c 1)
fi

# waitline FILE PREFIX prints the 4th field of the first line of FILE that
# starts with PREFIX ("kfake: listening on ADDR"), waiting up to 10 s.
waitline() {
	local i a
	for ((i = 0; i < 200; i++)); do
		a=$(awk -v p="$2" 'index($0, p) == 1 { print $4; exit }' "$1" 2>/dev/null) || true
		if [[ -n $a ]]; then
			echo "$a"
			return
		fi
		sleep 0.05
	done
	return 1
}

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck source=snapshot.sh
source "$BENCH/snapshot.sh"
snapshot
say "otelgen generate ./cmd/$CMD"
"$OTELGEN" -C "$APP" generate "./cmd/$CMD" >&2
rewritten || die "otelgen did not rewrite the library"

say "building plain, otelgen${PEER:+, $PEER}, the sink"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/plain" "./cmd/$CMD" &&
	go build -overlay="$APP/_otel/overlay.json" -o "$BIN/otelgen" "./cmd/$CMD" &&
	go build -o "$BIN/" ./cmd/...) || die "a build failed"
(cd "$WORK/httpload" && go build -o "$BIN/sink" ./cmd/sink && go build -o "$BIN/load" ./cmd/load) || die "building the sink failed"

server_up

say "starting the sink"
"${CPU1[@]}" "$BIN/sink" >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINKPID=$!
SINK=$(waitline "$WORK/sink.out" "httpload: listening on ") || die "the sink did not start: $(cat "$WORK/sink.err")"
export OTEL_EXPORTER_OTLP_ENDPOINT=http://$SINK OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_METRICS_EXPORTER OTEL_LOGS_EXPORTER OTEL_TRACES_SAMPLER 2>/dev/null || true

# sinkspans prints the spans the sink has received so far.
sinkspans() { "$BIN/load" -get "http://$SINK/stats" | awk '{ print $4 }'; }

# ---------------------------------------------------------------- rounds

CONFIGS=(plain otelgen-off otelgen ${PEER:+"$PEER"})
declare -A WALL CPU SPR
for ((r = 1; r <= ROUNDS; r++)); do
	say "round $r of $ROUNDS"
	for ((k = 0; k < ${#CONFIGS[@]}; k++)); do
		# Each round starts one configuration later.
		c=${CONFIGS[$(((k + r - 1) % ${#CONFIGS[@]}))]}
		case $c in
		plain) cmd=("$BIN/plain") ;;
		otelgen-off) cmd=(env OTEL_SDK_DISABLED=true "$BIN/otelgen") ;;
		otelgen) cmd=("$BIN/otelgen") ;;
		*) cmd=("$BIN/$c") ;;
		esac
		run_before
		s0=$(sinkspans)
		line=$("${CPU0[@]}" "${cmd[@]}" -n "$N" -warmup "$WARMUP" | grep '^ns/op ') || die "$c failed"
		run_after
		# The program flushed its spans on its way out.
		s1=$(sinkspans)
		read -r _ ns _ cpu <<<"$line"
		spr=$(awk -v a="$s0" -v b="$s1" -v n="$((N + WARMUP))" 'BEGIN { printf "%.3f", (b - a) / n }')
		WALL[$c]+="$ns "
		CPU[$c]+="$cpu "
		SPR[$c]+="$spr "
		printf 'round %d %-12s %8s ns/op %8s cpu ns/op %6s spans/op\n' "$r" "$c" "$ns" "$cpu" "$spr" >&2
		case $c in
		plain | otelgen-off) awk -v v="$spr" 'BEGIN { exit !(v == 0) }' || die "$c exported $spr spans per $UNIT" ;;
		# The batch processor's queue may drop some under load.
		*) awk -v v="$spr" -v w="$SPANS" 'BEGIN { exit !(v > w / 2) }' || die "$c exported $spr spans per $UNIT, want about $SPANS" ;;
		esac
	done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# With PROFILE=DIR, one more run of each traced configuration writes a CPU
# profile of its timed part, next to a copy of its binary.
case ${PROFILE:-} in
"" | 0 | off | no) PROFILE= ;;
1 | on) PROFILE=$PWD/msgbench-profiles ;;
esac
if [[ -n $PROFILE ]]; then
	mkdir -p "$PROFILE"
	for c in otelgen ${PEER:+"$PEER"}; do
		cp "$BIN/$c" "$PROFILE/$c"
		run_before
		"${CPU0[@]}" "$BIN/$c" -n "$N" -warmup "$WARMUP" -cpuprofile "$PROFILE/$c.prof" >/dev/null || die "$c failed"
		run_after
		say "profile: go tool pprof -top -cum $PROFILE/$c $PROFILE/$c.prof"
	done
fi

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { print a - b }'; }

echo
echo "otelgen $NAME benchmark: $(go version | awk '{ print $3, $4 }'), $(nproc) cores, $(describe), $(date -u '+%F %H:%M') UTC"
echo "rounds=$ROUNDS n=$N warmup=$WARMUP pin=$PIN; load average at start $LOAD_START, at end $LOAD_END"
echo "medians of $ROUNDS runs; wall and CPU (user + system, the program's process) per $UNIT sent and consumed"
declare -A MW MC
printf '%-12s %10s %8s %12s %8s %9s\n' config "wall ns" ratio "cpu ns" ratio spans/op
for c in "${CONFIGS[@]}"; do
	MW[$c]=$(median "${WALL[$c]}")
	MC[$c]=$(median "${CPU[$c]}")
	printf '%-12s %10.0f %7sx %12.0f %7sx %9s\n' "$c" "${MW[$c]}" "$(ratio "${MW[$c]}" "${MW[plain]}")" \
		"${MC[$c]}" "$(ratio "${MC[$c]}" "${MC[plain]}")" "$(median "${SPR[$c]}")"
done
for k in wall cpu; do
	if [[ $k == wall ]]; then g=${MW[otelgen]} p=${MW[plain]}; else g=${MC[otelgen]} p=${MC[plain]}; fi
	ag=$(minus "$g" "$p")
	if [[ -z $PEER ]]; then
		printf 'added %s per %s: otelgen %.0f ns (no hand-written peer to compare with)\n' "$k" "$UNIT" "$ag"
		continue
	fi
	if [[ $k == wall ]]; then s=${MW[$PEER]}; else s=${MC[$PEER]}; fi
	as=$(minus "$s" "$p")
	verdict=MET
	awk -v g="$ag" -v s="$as" 'BEGIN { exit !(g <= s) }' || verdict=MISSED
	printf 'added %s per %s: otelgen %.0f ns, %s %.0f ns; target otelgen <= %s: %s\n' "$k" "$UNIT" "$ag" "$PEER" "$as" "$PEER" "$verdict"
done
