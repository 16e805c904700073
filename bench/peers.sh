#!/usr/bin/env bash
# bench/peers.sh builds and loads one net/http server four ways, in one
# session, and reports each against the plain build (issue 14, item 8).
# The server (bench/peers): GET / calls GET /backend on the same server
# through an http.Client, so a traced request makes a server span, a client
# span and a second server span.
#
#   plain        peers/cmd/server, go build
#   manual       peers/cmd/manual: otelhttp.NewHandler and otelhttp.NewTransport,
#                the SDK set up by hand (OTLP/HTTP trace and metric exporters)
#   otelgen      peers/cmd/server, otelgen generate + go build -overlay
#                (built-in rules as shipped)
#   orchestrion  peers/orch/cmd/server (the same program in a module whose
#                orchestrion.tool.go lists dd-trace-go's tracer and net/http
#                integration), go tool orchestrion go build
#
# Rows: cold build (a fresh clone, an empty GOCACHE of its own), warm
# rebuild with no change, one-line edit in main.go, binary size, traced
# req/s, server CPU per request, server peak RSS, and req/s and RSS with
# the tracer off (OTEL_SDK_DISABLED=true; DD_TRACE_ENABLED=false).
#
# Export: manual and otelgen send OTLP/HTTP (http/protobuf) traces and
# metrics to httpload/cmd/sink on 127.0.0.1; orchestrion's tracer sends
# msgpack v0.4 traces (and its telemetry) to the same sink, which stands in
# for a Datadog agent (DD_TRACE_AGENT_URL). The sink reads every body,
# counts spans and drops them.
#
#   bash bench/peers.sh                      # about 25 minutes on 2 idle cores
#   BUILDS=0 bash bench/peers.sh             # load only
#
# Knobs: ROUNDS (load rounds, 5), DURATION (10), WARMUP (2), CONNS (32),
# LOADGEN, PIN (as http.sh), RUNS (warm and edit builds per config, 3),
# BUILDS=0 (no build timing: only the builds the load needs), COLD=0 (no
# cold builds), PROFILE=1 (after the rounds, a CPU profile of the traced
# otelgen server under load, top printed), CONFIGS (plain manual otelgen
# orchestrion), KEEP=1. Every build uses a GOCACHE under the temporary
# directory (one per config, filled by its cold build), removed at exit:
# nothing is added to the shared build cache. It is a report: it exits 0
# whatever the figures, 2 when a build or a sanity check fails.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-32}
LOADGEN=${LOADGEN:-auto}
PIN=${PIN:-auto}
RUNS=${RUNS:-3}
BUILDS=${BUILDS:-1}
COLD=${COLD:-1}
PROFILE=${PROFILE:-0}
read -r -a CONFIGS <<<"${CONFIGS:-plain manual otelgen orchestrion}"

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-peers.XXXXXX")
BIN=$WORK/bin
SINKPID=""
SPID=""
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
trap cleanup EXIT
loadknobs
export GOWORK=off GOTOOLCHAIN=local LC_ALL=C
CLK_TCK=$(getconf CLK_TCK)
TIME=/usr/bin/time
[[ -x $TIME ]] || {
	echo "peers.sh: needs GNU time (apt-get install -y time)" >&2
	exit 2
}
CHECK_PATH=/
CHECK_BODY="front, backend"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- setup

say "snapshot of $ROOT, building otelgen (stamped v0.0.0-bench)"
snapshot "$ROOT" -ldflags=-X=main.stampedVersion=v0.0.0-bench
mkdir "$BIN"
(cd "$BENCH/httpload" && go build -o "$BIN/sink" ./cmd/sink && go build -o "$BIN/load" ./cmd/load)

APP=$WORK/peers
cp -R "$BENCH/peers" "$APP"
rm -rf "$APP/_otel"
(cd "$APP" && go mod edit -replace "github.com/otelgen/otelgen=$SRC" -tool=github.com/otelgen/otelgen/cmd/otelgen-overlay)
for m in cmd/server/main.go cmd/manual/main.go orch/cmd/server/main.go; do
	sed -i 's/^func main() {$/func main() {\n\tlog.SetPrefix("edit-0 ")/' "$APP/$m"
	grep -q 'log.SetPrefix("edit-0 ")' "$APP/$m" || die "could not add the edit line to $m"
done
say "otelgen generate ./cmd/server"
"$OTELGEN" -C "$APP" generate ./cmd/server >&2
OVL=$APP/_otel/overlay.json
[[ -f $APP/_otel/std/net/http/server.go ]] || die "otelgen did not rewrite net/http's server"

# Each config's build command, run in $APP (DIR/ for orchestrion's module).
declare -A MAINGO=([plain]=cmd/server/main.go [manual]=cmd/manual/main.go [otelgen]=cmd/server/main.go [orchestrion]=orch/cmd/server/main.go)
build() { # CONFIG DIR: the build of CONFIG in the module copy DIR, timed as LABEL
	case $1 in
	plain) timed "$3" "$2" go build -o "$BIN/plain" ./cmd/server ;;
	manual) timed "$3" "$2" go build -o "$BIN/manual" ./cmd/manual ;;
	otelgen) timed "$3" "$2" go build -overlay="$2/_otel/overlay.json" -o "$BIN/otelgen" ./cmd/server ;;
	orchestrion) timed "$3" "$2/orch" go tool orchestrion go build -o "$BIN/orchestrion" ./cmd/server ;;
	esac
}
clone() { # DIR: a fresh clone of $APP, without the git-ignored overlay.json and state.json
	rm -rf "$1"
	mkdir -p "$1"
	tar -C "$APP" --exclude=./_otel/overlay.json --exclude=./_otel/state.json -cf - . | tar -C "$1" -xf -
}
: >"$WORK/times"

# ---------------------------------------------------------------- builds

# In the reverse order of CONFIGS: orchestrion, the build most likely to
# fail, first.
for ((i = ${#CONFIGS[@]} - 1; i >= 0; i--)); do
	c=${CONFIGS[$i]}
	export GOCACHE=$WORK/gocache-$c
	mkdir -p "$GOCACHE"
	if [[ $BUILDS == 1 && $COLD == 1 ]]; then
		say "cold build, $c (empty GOCACHE, fresh clone)"
		clone "$WORK/clone"
		if [[ $c == otelgen ]]; then
			timed cold-otelgen-overlaystep "$WORK/clone" go tool otelgen-overlay
		fi
		build "$c" "$WORK/clone" "cold-$c"
		[[ $c != otelgen ]] || awk '$1 ~ /^cold-otelgen/ { w += $2; u += $3 } END { printf "cold-otelgen-ci %.2f %.3f\n", w, u }' "$WORK/times" >>"$WORK/times"
		rm -rf "$WORK/clone"
	fi
	say "filling the build cache for $c"
	build "$c" "$APP" "fill-$c"
	if [[ $BUILDS == 1 ]]; then
		for ((r = 1; r <= RUNS; r++)); do
			say "warm rebuild, no change, $c ($r of $RUNS)"
			rm -f "$BIN/$c"
			build "$c" "$APP" "warm-$c"
		done
		for ((r = 1; r <= RUNS; r++)); do
			say "one-line edit in main.go, $c ($r of $RUNS)"
			sed -i "s/log.SetPrefix(\"edit-[0-9-]* \")/log.SetPrefix(\"edit-$r-$$ \")/" "$APP/${MAINGO[$c]}"
			if [[ $c == otelgen ]]; then
				timed edit-otelgen-generate "$APP" "$OTELGEN" generate ./cmd/server
				build "$c" "$APP" edit-otelgen-build
				tail -n 2 "$WORK/times" | awk '{ w += $2; u += $3 } END { printf "edit-otelgen %.2f %.3f\n", w, u }' >>"$WORK/times"
			else
				build "$c" "$APP" "edit-$c"
			fi
		done
	fi
	# What the load runs is the binary as built; the pprof build for the
	# profile needs the same cache.
	if [[ $PROFILE == 1 && $c == otelgen ]]; then
		(cd "$APP" && go build -tags pprof -overlay="$OVL" -o "$BIN/otelgen-pprof" ./cmd/server)
	fi
	unset GOCACHE
	chmod -R u+w "$WORK/gocache-$c" && rm -rf "$WORK/gocache-$c"
done

# ------------------------------------------------------------------ load

say "starting the sink"
"${CPU1[@]}" "$BIN/sink" >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINKPID=$!
SINK=$(waitaddr "$WORK/sink.out") || die "the sink did not start: $(cat "$WORK/sink.err")"
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_METRICS_EXPORTER OTEL_LOGS_EXPORTER OTEL_TRACES_SAMPLER DD_TRACE_ENABLED 2>/dev/null || true
OTLP="OTEL_EXPORTER_OTLP_ENDPOINT=http://$SINK OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
DD="DD_TRACE_AGENT_URL=http://$SINK DD_SERVICE=server"

# The load configurations: the traced builds, and each with its tracer off.
declare -A LENV=(
	[plain]=""
	[manual]="$OTLP" [manual-off]="$OTLP OTEL_SDK_DISABLED=true"
	[otelgen]="$OTLP" [otelgen-off]="$OTLP OTEL_SDK_DISABLED=true"
	[orchestrion]="$DD" [orchestrion-off]="$DD DD_TRACE_ENABLED=false"
)
LOADS=()
for c in "${CONFIGS[@]}"; do
	LOADS+=("$c")
	[[ $c == plain ]] || LOADS+=("$c-off")
done

# runone LOAD ROUND measures one run (see measure in lib.sh); a traced
# build exports spans (three a request, but the exporters' queues may drop
# some under load), the others none.
runone() {
	local traced=1
	[[ $1 != plain && $1 != *-off ]] || traced=0
	# shellcheck disable=SC2086 # LENV holds zero or more words
	measure "$1" "$2" "$traced" "$BIN/${1%-off}" / ${LENV[$1]}
}

rounds runone "${LOADS[@]}"

# med LOAD FIELD: the median of FIELD over LOAD's runs.
med() {
	awk -v c="$1" -v k="$2" '$1 == c { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$WORK/runs.txt" | median
}

# ---------------------------------------------------------------- profile

if [[ $PROFILE == 1 && -x $BIN/otelgen-pprof ]]; then
	say "CPU profile of the traced otelgen server"
	# shellcheck disable=SC2086
	start otelgen-pprof "$BIN/otelgen-pprof" HTTPLOAD_PPROF=127.0.0.1:0 ${LENV[otelgen]}
	pp=$(awk '/^httpload: pprof on / { print $4; exit }' "$WORK/otelgen-pprof.out")
	load "http://$SADDR/" "$WARMUP" >/dev/null
	load "http://$SADDR/" "$DURATION" >"$WORK/pprof.load" &
	lpid=$!
	sleep 1
	mkdir -p "$WORK/pprof"
	PPROF_TMPDIR=$WORK/pprof go tool pprof -proto -seconds $((DURATION > 3 ? DURATION - 2 : 1)) \
		"http://$pp/debug/pprof/profile" >"$WORK/otelgen.pprof" 2>/dev/null || true
	wait "$lpid" || true
	stop
	if [[ -n ${PROFILE_OUT:-} ]]; then cp "$WORK/otelgen.pprof" "$PROFILE_OUT"; fi
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ report

# bmed LABEL COLUMN: the median of a column (2 wall, 3 cpu) of LABEL's builds.
bmed() {
	awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$WORK/times" | median
}
# cell VALUE BASE FORMAT: "VALUE (RATIO×)", or n/a.
cell() {
	awk -v v="$1" -v b="$2" -v f="$3" 'BEGIN {
		if (v == "nan" || v == "") { print "n/a"; exit }
		s = sprintf(f, v)
		if (b != "nan" && b + 0 > 0) s = s sprintf(" (%.2f×)", v / b)
		print s }'
}
{
	echo "peers.sh: $(go version | awk '{print $3, $4}'), $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(date -u '+%F %H:%M') UTC"
	pin="not pinned"
	[[ $PIN == on ]] && pin="server on CPU 0, load and sink on CPU 1"
	echo "load: $LOADGEN, $CONNS connections, GET / (which calls /backend), ${WARMUP}s warm-up + ${DURATION}s per run, $ROUNDS interleaved rounds; $pin"
	echo "builds: RUNS=$RUNS BUILDS=$BUILDS COLD=$COLD; load average at start $LOAD_START, at end $LOAD_END"
	echo "orchestrion $(cd "$APP/orch" && go list -m -f '{{.Version}}' github.com/DataDog/orchestrion), dd-trace-go $(cd "$APP/orch" && go list -m -f '{{.Version}}' github.com/DataDog/dd-trace-go/v2)"
	echo
	printf '| row |'
	for c in "${CONFIGS[@]}"; do printf ' %s |' "$c"; done
	echo
	printf '|---|'
	for c in "${CONFIGS[@]}"; do printf -- '---|'; done
	echo
	row() { # TITLE FUNCTION: FUNCTION CONFIG prints the cell
		printf '| %s |' "$1"
		for c in "${CONFIGS[@]}"; do printf ' %s |' "$($2 "$c")"; done
		echo
	}
	cold_label() { if [[ $1 == otelgen ]]; then echo cold-otelgen-ci; else echo "cold-$1"; fi; }
	cold_wall() { cell "$(bmed "$(cold_label "$1")" 2)" "$(bmed cold-plain 2)" '%.1f s'; }
	cold_cpu() { cell "$(bmed "$(cold_label "$1")" 3)" "$(bmed cold-plain 3)" '%.1f s'; }
	warm_wall() { cell "$(bmed "warm-$1" 2)" "$(bmed warm-plain 2)" '%.2f s'; }
	warm_cpu() { cell "$(bmed "warm-$1" 3)" "$(bmed warm-plain 3)" '%.2f s'; }
	edit_wall() { cell "$(bmed "edit-$1" 2)" "$(bmed edit-plain 2)" '%.2f s'; }
	edit_cpu() { cell "$(bmed "edit-$1" 3)" "$(bmed edit-plain 3)" '%.2f s'; }
	size() { cell "$(stat -c %s "$BIN/$1" 2>/dev/null | awk '{ print $1 / 1e6 }')" "$(stat -c %s "$BIN/plain" | awk '{ print $1 / 1e6 }')" '%.2f MB'; }
	lrps() { cell "$(med "$1" rps)" "$(med plain rps)" '%.0f'; }
	lcpu() { cell "$(med "$1" cpu_us_per_req)" "$(med plain cpu_us_per_req)" '%.1f µs'; }
	lrss() { cell "$(med "$1" rss_kb | awk '{ print $1 / 1024 }')" "$(med plain rss_kb | awk '{ print $1 / 1024 }')" '%.1f MiB'; }
	lspans() { if [[ $1 == plain ]]; then echo 0; else med "$1" spans_per_req; fi; }
	offrps() { if [[ $1 == plain ]]; then lrps plain; else cell "$(med "$1-off" rps)" "$(med plain rps)" '%.0f'; fi; }
	offcpu() { if [[ $1 == plain ]]; then lcpu plain; else cell "$(med "$1-off" cpu_us_per_req)" "$(med plain cpu_us_per_req)" '%.1f µs'; fi; }
	offrss() { if [[ $1 == plain ]]; then lrss plain; else cell "$(med "$1-off" rss_kb | awk '{ print $1 / 1024 }')" "$(med plain rss_kb | awk '{ print $1 / 1024 }')" '%.1f MiB'; fi; }
	if [[ $BUILDS == 1 ]]; then
		if [[ $COLD == 1 ]]; then
			row "cold build, wall" cold_wall
			row "cold build, CPU" cold_cpu
		fi
		row "warm rebuild, no change, wall" warm_wall
		row "warm rebuild, no change, CPU" warm_cpu
		row "one-line edit in main.go, wall" edit_wall
		row "one-line edit in main.go, CPU" edit_cpu
	fi
	row "binary size" size
	row "traced req/s" lrps
	row "server CPU per request, traced" lcpu
	row "server peak RSS, traced" lrss
	row "spans exported per request" lspans
	row "tracer off: req/s" offrps
	row "tracer off: CPU per request" offcpu
	row "tracer off: peak RSS" offrss
	echo
	echo "Medians; (×) is the ratio to plain. Builds: GNU time, CPU = user + system of the command and its"
	echo "children. cold otelgen = go tool otelgen-overlay + go build -overlay (a CI job from the committed"
	echo "_otel/); edit otelgen = otelgen generate + go build -overlay; orchestrion = go tool orchestrion go build."
	echo "Load: the server's req/s, its user + system CPU per request (a request to / is two server requests"
	echo "and one client call), its peak resident set (VmHWM); tracer off = OTEL_SDK_DISABLED=true for"
	echo "manual and otelgen, DD_TRACE_ENABLED=false for orchestrion."
	errs=$(awk '{ for (i = 3; i < NF; i++) if ($i == "errors") e += $(i + 1) } END { print e + 0 }' "$WORK/runs.txt")
	echo "load errors over all runs: $errs"
	echo
	echo "builds (label wall cpu):"
	sed 's/^/    /' "$WORK/times"
	echo "runs:"
	sed 's/^/    /' "$WORK/runs.txt"
	if [[ -s $WORK/otelgen.pprof ]]; then
		echo
		echo "PROFILE otelgen, traced: $(cat "$WORK/pprof.load")"
		go tool pprof -top -cum -nodecount=60 "$WORK/otelgen.pprof" 2>/dev/null | sed -n '/^ *flat/,$p'
	fi
}
