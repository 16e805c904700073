# bench/dbselect.sh is the body that bench/pgx.sh and bench/sql.sh share: it
# builds a SELECT 1 load program plain, instrumented by otelgen and
# instrumented by hand, starts a throwaway PostgreSQL and the OTLP sink, runs
# the configurations in interleaved rounds, and prints medians and ratios.
# The sourcing script sets NAME (its own name), LOAD (the program's folder
# under bench/), PEER (the hand-instrumented command under LOAD/cmd/), TARGET
# (what otelgen must rewrite, for the error) and a function rewritten that
# checks it did.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
N=${N:-20000}
PIN=${PIN:-off}
if [[ $PIN == auto || $PIN == on ]] && command -v taskset >/dev/null && (($(nproc) >= 2)); then
	PIN=on
else
	PIN=off
fi

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-$NAME.XXXXXX")
PGDIR=""
SINKPID=""
cleanup() {
	# Only the processes this script started.
	[[ -z $SINKPID ]] || kill -KILL "$SINKPID" 2>/dev/null || true
	if [[ -n $PGDIR && -f $PGDIR/data/postmaster.pid ]]; then
		kill -TERM "$(head -1 "$PGDIR/data/postmaster.pid")" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	if [[ ${KEEP:-} == 1 ]]; then
		echo "kept $WORK $PGDIR" >&2
	else
		rm -rf "$WORK"
		[[ -z $PGDIR ]] || rm -rf "$PGDIR"
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

# ---------------------------------------------------------------- setup

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x ${PGBIN:-/nonexistent}/postgres ]] || PGBIN=$(dirname "$(command -v postgres 2>/dev/null || echo /nonexistent/x)")
[[ -x $PGBIN/postgres ]] || die "no PostgreSQL server (Debian: apt-get install postgresql)"
ASPG=()
[[ $(id -u) != 0 ]] || ASPG=(runuser -u postgres --)

# shellcheck source=snapshot.sh
source "$BENCH/snapshot.sh"
snapshot
say "otelgen generate ./cmd/select"
"$OTELGEN" -C "$APP" generate ./cmd/select >&2
rewritten || die "otelgen did not rewrite $TARGET"

say "building plain, otelgen, $PEER, sink"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/plain" ./cmd/select &&
	go build -overlay="$APP/_otel/overlay.json" -o "$BIN/otelgen" ./cmd/select &&
	go build -o "$BIN/$PEER" "./cmd/$PEER") || die "a build failed"
(cd "$WORK/httpload" && go build -o "$BIN/sink" ./cmd/sink) || die "building the sink failed"

say "starting PostgreSQL"
PGDIR=$(mktemp -d "/tmp/otelgen-$NAME-pg.XXXXXX")
[[ $(id -u) != 0 ]] || chown postgres: "$PGDIR"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)
"${ASPG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --no-sync >"$WORK/initdb.log" 2>&1 || die "initdb: $(cat "$WORK/initdb.log")"
"${CPU1[@]}" "${ASPG[@]}" "$PGBIN/postgres" -D "$PGDIR/data" -p "$PGPORT" -k "$PGDIR" -c listen_addresses=127.0.0.1 \
	-c fsync=off >"$WORK/postgres.log" 2>&1 &

export DSN="postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"
for ((i = 0; i < 200; i++)); do
	"$BIN/plain" -n 1 -warmup 0 >/dev/null 2>&1 && break
	sleep 0.1
done
"$BIN/plain" -n 1 -warmup 0 >/dev/null || die "PostgreSQL did not start: $(cat "$WORK/postgres.log")"

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
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_METRICS_EXPORTER OTEL_TRACES_SAMPLER 2>/dev/null || true

# ---------------------------------------------------------------- rounds

CONFIGS=(plain otelgen-off otelgen "$PEER")
WARMUP=2000 # loadkit's default
declare -A WALL CPU SPANS
for ((r = 1; r <= ROUNDS; r++)); do
	for c in "${CONFIGS[@]}"; do
		case $c in
		plain) cmd=("$BIN/plain") ;;
		otelgen-off) cmd=(env OTEL_SDK_DISABLED=true "$BIN/otelgen") ;;
		otelgen) cmd=("$BIN/otelgen") ;;
		"$PEER") cmd=("$BIN/$PEER") ;;
		esac
		s0=$(sinkspans)
		line=$("${CPU0[@]}" "${cmd[@]}" -n "$N" -warmup "$WARMUP" | grep '^ns/op ') || die "$c failed"
		# The process flushed its spans when it ended: the sink has them all
		# unless the batch processor's queue dropped some.
		s1=$(sinkspans)
		spo=$(awk -v a="$s0" -v b="$s1" -v n=$((N + WARMUP)) 'BEGIN { printf "%.2f", (b - a) / n }')
		read -r _ ns _ cpu <<<"$line"
		WALL[$c]+="$ns "
		CPU[$c]+="$cpu "
		SPANS[$c]+="$spo "
		printf 'round %d %-12s %8s ns/op %8s cpu ns/op %5s spans/op\n' "$r" "$c" "$ns" "$cpu" "$spo" >&2
		case $c in
		plain | otelgen-off) [[ $spo == 0.00 ]] || die "$c exported $spo spans per query" ;;
		*) awk -v v="$spo" 'BEGIN { exit !(v > 0.5) }' || die "$c exported $spo spans per query: it does not trace every query" ;;
		esac
	done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

say "results: medians of $ROUNDS runs of $N queries; wall and CPU (user + system, the program's process) per SELECT 1"
declare -A MW MC
printf '%-12s %10s %8s %12s %8s %9s\n' config "wall ns" ratio "cpu ns" ratio spans/op
for c in "${CONFIGS[@]}"; do
	MW[$c]=$(median "${WALL[$c]}")
	MC[$c]=$(median "${CPU[$c]}")
	printf '%-12s %10.0f %7sx %12.0f %7sx %9s\n' "$c" "${MW[$c]}" "$(ratio "${MW[$c]}" "${MW[plain]}")" "${MC[$c]}" "$(ratio "${MC[$c]}" "${MC[plain]}")" "$(median "${SPANS[$c]}")"
done
for k in wall cpu; do
	if [[ $k == wall ]]; then g=${MW[otelgen]} s=${MW[$PEER]} p=${MW[plain]}; else g=${MC[otelgen]} s=${MC[$PEER]} p=${MC[plain]}; fi
	ag=$(awk -v a="$g" -v b="$p" 'BEGIN { print a - b }')
	as=$(awk -v a="$s" -v b="$p" 'BEGIN { print a - b }')
	verdict=MET
	awk -v g="$ag" -v s="$as" 'BEGIN { exit !(g <= s) }' || verdict=MISSED
	printf 'added %s per query: otelgen %.0f ns, %s %.0f ns; target otelgen <= %s: %s\n' "$k" "$ag" "$PEER" "$as" "$PEER" "$verdict"
done
