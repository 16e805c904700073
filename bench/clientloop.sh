# bench/clientloop.sh is the body that bench/mongo.sh, bench/nats.sh and
# bench/redis.sh share: it builds a client load program plain,
# instrumented by otelgen and (when there is one) instrumented by hand,
# starts the server and the OTLP sink, runs the configurations in
# interleaved rounds, each in a fresh process, and prints medians, ratios
# to plain, the time each instrumentation adds per operation, the spans the
# sink got per operation, and the top of a CPU profile of the otelgen
# build. Sourced, not run.
#
# The sourcing script sets NAME (its own name), LOAD (the program's folder
# under bench/), MAIN (its uninstrumented command under LOAD/cmd/), PEER
# (the hand-instrumented command under LOAD/cmd/, or empty), OP (what one
# operation is, for the report), TARGET (what otelgen must rewrite, for the
# error), and the functions rewritten (checks that otelgen did rewrite it)
# and startserver (starts the server, sets SRVPID to the process to kill at
# the end, exports what the program reads to find it, and waits until it
# answers). Optionally: SERVER, a command under LOAD/cmd/ that is the
# server, built plain into $BIN/$SERVER with the others for startserver to
# run in a process of its own (so that its CPU is not the program's); and
# ALSO_OFF, the name of one of otelgen's integrations (nethttp, say), which
# adds the configuration otelgen-no-ALSO_OFF: the otelgen build run with
# OTEL_GO_DISABLED_INSTRUMENTATIONS=ALSO_OFF, for a peer that traces less
# than otelgen's built-in rules do together.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
N=${N:-20000}
WARMUP=${WARMUP:-2000}
PIN=${PIN:-off}
PROFILE=${PROFILE:-1}
PROFN=${PROFN:-$N}
if [[ $PIN == auto || $PIN == on ]] && command -v taskset >/dev/null && (($(nproc) >= 2)); then
	PIN=on
else
	PIN=off
fi

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-$NAME.XXXXXX")
SRVPID=""
SINKPID=""
cleanup() {
	# Only the processes this script started.
	[[ -z $SINKPID ]] || kill -KILL "$SINKPID" 2>/dev/null || true
	[[ -z $SRVPID ]] || kill -TERM "$SRVPID" 2>/dev/null || true
	# In braces, so that the shell's "Killed" notice goes to /dev/null too.
	{ wait; } 2>/dev/null || true
	if [[ ${KEEP:-} == 1 ]]; then
		echo "kept $WORK" >&2
	else
		# What the go command made read-only would stop rm.
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

# freeport prints a TCP port on 127.0.0.1 that nothing listens on.
freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + RANDOM % 20000))
}

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck source=snapshot.sh
source "$BENCH/snapshot.sh"
snapshot
say "otelgen generate ./cmd/$MAIN"
"$OTELGEN" -C "$APP" generate "./cmd/$MAIN" >&2
rewritten || die "otelgen did not rewrite $TARGET; otelgen explain says:
$("$OTELGEN" -C "$APP" explain "$TARGET" 2>&1)"

BUILT="plain, otelgen${PEER:+, $PEER}"
say "building $BUILT, sink"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/plain" "./cmd/$MAIN" &&
	go build -overlay="$APP/_otel/overlay.json" -o "$BIN/otelgen" "./cmd/$MAIN") || die "a build failed"
if [[ -n $PEER ]]; then
	(cd "$APP" && go build -o "$BIN/$PEER" "./cmd/$PEER") || die "building $PEER failed"
fi
if [[ -n ${SERVER:-} ]]; then
	(cd "$APP" && go build -o "$BIN/$SERVER" "./cmd/$SERVER") || die "building $SERVER failed"
fi
(cd "$WORK/httpload" && go build -o "$BIN/sink" ./cmd/sink) || die "building the sink failed"

startserver

say "starting the sink"
"${CPU1[@]}" "$BIN/sink" >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINKPID=$!
SINK=""
for ((i = 0; i < 200; i++)); do
	SINK=$(awk '/^httpload: listening on / { print $4; exit }' "$WORK/sink.out" 2>/dev/null) || true
	[[ -z $SINK ]] || break
	sleep 0.05
done
[[ -n $SINK ]] || die "the sink did not start: $(cat "$WORK/sink.err")"
export OTEL_EXPORTER_OTLP_ENDPOINT=http://$SINK OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_METRICS_EXPORTER OTEL_LOGS_EXPORTER OTEL_TRACES_SAMPLER \
	OTEL_GO_DISABLED_INSTRUMENTATIONS 2>/dev/null || true

# ---------------------------------------------------------------- rounds

CONFIGS=(plain otelgen-off otelgen)
TRACED=(otelgen)
if [[ -n ${ALSO_OFF:-} ]]; then
	CONFIGS+=("otelgen-no-$ALSO_OFF")
	TRACED+=("otelgen-no-$ALSO_OFF")
fi
[[ -z $PEER ]] || CONFIGS+=("$PEER")
command_of() { # command_of CONFIG: sets CMD
	case $1 in
	plain) CMD=("$BIN/plain") ;;
	otelgen-off) CMD=(env OTEL_SDK_DISABLED=true "$BIN/otelgen") ;;
	otelgen) CMD=("$BIN/otelgen") ;;
	otelgen-no-*) CMD=(env "OTEL_GO_DISABLED_INSTRUMENTATIONS=${1#otelgen-no-}" "$BIN/otelgen") ;;
	"$PEER") CMD=("$BIN/$PEER") ;;
	esac
}
declare -A WALL CPU SPANS
for ((r = 1; r <= ROUNDS; r++)); do
	say "round $r of $ROUNDS"
	for ((k = 0; k < ${#CONFIGS[@]}; k++)); do
		# Each round starts one configuration later.
		c=${CONFIGS[$(((k + r - 1) % ${#CONFIGS[@]}))]}
		command_of "$c"
		s0=$(sinkspans)
		line=$("${CPU0[@]}" "${CMD[@]}" -n "$N" -warmup "$WARMUP" | grep '^ns/op ') || die "$c failed"
		# The process flushed its spans when it ended: the sink has them all
		# unless the batch processor's queue dropped some.
		s1=$(sinkspans)
		spo=$(awk -v a="$s0" -v b="$s1" -v n=$((N + WARMUP)) 'BEGIN { printf "%.2f", (b - a) / n }')
		read -r _ ns _ cpu <<<"$line"
		WALL[$c]+="$ns "
		CPU[$c]+="$cpu "
		SPANS[$c]+="$spo "
		printf 'round %d %-18s %8s ns/op %8s cpu ns/op %5s spans/op\n' "$r" "$c" "$ns" "$cpu" "$spo" >&2
		case $c in
		plain | otelgen-off) [[ $spo == 0.00 ]] || die "$c exported $spo spans per $OP" ;;
		*) awk -v v="$spo" 'BEGIN { exit !(v > 0.5) }' || die "$c exported $spo spans per $OP" ;;
		esac
	done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

{
	echo
	echo "otelgen $NAME benchmark: $(go version | awk '{ print $3, $4 }'), $(nproc) cores, PIN=$PIN, $(date -u '+%F %H:%M UTC')"
	echo "rounds=$ROUNDS n=$N warmup=$WARMUP; load average at start $LOAD_START, at end $LOAD_END"
	if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n * 0.75) }'; then
		echo "WARNING: the machine was busy (1-minute load average above 3/4 of its cores): the wall figures are noisy, read the CPU ones"
	fi
	echo "medians of $ROUNDS runs of $N; wall and CPU (user + system, the program's process) per $OP"
	declare -A MW MC
	printf '%-18s %10s %8s %12s %8s %9s\n' config "wall ns" ratio "cpu ns" ratio spans/op
	for c in "${CONFIGS[@]}"; do
		MW[$c]=$(median "${WALL[$c]}")
		MC[$c]=$(median "${CPU[$c]}")
		printf '%-18s %10.0f %7sx %12.0f %7sx %9s\n' "$c" "${MW[$c]}" "$(ratio "${MW[$c]}" "${MW[plain]}")" \
			"${MC[$c]}" "$(ratio "${MC[$c]}" "${MC[plain]}")" "$(median "${SPANS[$c]}")"
	done
	for k in wall cpu; do
		for t in "${TRACED[@]}"; do
			if [[ $k == wall ]]; then g=${MW[$t]} p=${MW[plain]}; else g=${MC[$t]} p=${MC[plain]}; fi
			ag=$(awk -v a="$g" -v b="$p" 'BEGIN { print a - b }')
			if [[ -z $PEER ]]; then
				printf 'added %s per %s: %s %.0f ns\n' "$k" "$OP" "$t" "$ag"
				continue
			fi
			if [[ $k == wall ]]; then s=${MW[$PEER]}; else s=${MC[$PEER]}; fi
			as=$(awk -v a="$s" -v b="$p" 'BEGIN { print a - b }')
			verdict=MET
			awk -v g="$ag" -v s="$as" 'BEGIN { exit !(g <= s) }' || verdict=MISSED
			# The ratio of what the two add, when the peer adds something.
			rel=$(awk -v g="$ag" -v s="$as" 'BEGIN { if (s > 0) printf " (%.2fx)", g / s }')
			printf 'added %s per %s: %s %.0f ns, %s %.0f ns%s; target %s <= %s: %s\n' \
				"$k" "$OP" "$t" "$ag" "$PEER" "$as" "$rel" "$t" "$PEER" "$verdict"
		done
	done
}

# ---------------------------------------------------------------- profile

if [[ $PROFILE == 1 ]]; then
	say "profile: one more otelgen run with -cpuprofile"
	"${CPU0[@]}" "$BIN/otelgen" -n "$PROFN" -warmup "$WARMUP" -cpuprofile "$WORK/otelgen.pprof" >/dev/null || die "the profiled run failed"
	{
		echo
		echo "otelgen build, CPU profile of $PROFN calls ($OP): the 12 heaviest functions by own time,"
		echo "then otelgen's hook, rule and runtime packages by cumulative time"
		go tool pprof -top -nodecount=12 "$BIN/otelgen" "$WORK/otelgen.pprof" 2>/dev/null | sed -n '/flat%/,$p'
		go tool pprof -top -cum "$BIN/otelgen" "$WORK/otelgen.pprof" 2>/dev/null |
			grep -E 'otelgen/otelgen/(rules|hook|gls)|otelgen/gls' | head -15
	}
fi
