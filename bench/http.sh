#!/usr/bin/env bash
# bench/http.sh measures an instrumented net/http server under load over
# loopback, in one session, and prints ratios. Three builds of the same small
# server (bench/httpload):
#
#   plain     cmd/server, go build: no OpenTelemetry at all
#   otelgen   cmd/server, otelgen generate + go build -overlay (built-in
#             rules as shipped); run with OTEL_SDK_DISABLED=true ("otelgen
#             off") and with tracing on
#   otelhttp  cmd/otelhttp: the handler wrapped with otelhttp.NewHandler, the
#             SDK set up by hand as rules/sdk sets it up
#
# Both instrumented builds export over OTLP/HTTP (http/protobuf) to a sink on
# 127.0.0.1 that reads and drops every request (cmd/sink). The load is wrk
# (or cmd/load, a Go closed-loop generator, when wrk is not installed) with
# CONNS keep-alive connections, for DURATION seconds after WARMUP seconds;
# every configuration runs once per round, in ROUNDS interleaved rounds, each
# run in a fresh server process. With taskset and at least 2 cores the server
# runs on CPU 0 and the load generator and the sink on CPU 1.
#
#   bash bench/http.sh                      # about 5.5 minutes on 2 cores
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script still exits 0 (2 when a build or a sanity check fails). It writes
# only to a temporary directory (removed on exit) and the go command's
# caches. Knobs, as environment variables:
#
#   ROUNDS=5      interleaved rounds
#   DURATION=10   seconds of load per measured run
#   WARMUP=2      seconds of load before each measured run (not measured)
#   CONNS=32      connections
#   LOADGEN=auto  "auto": wrk if installed, else cmd/load; "wrk"; "go"
#   PIN=auto      "auto": taskset when installed and nproc >= 2; "off"
#   PROFILE=on    after the rounds, one more run of each configuration, built
#                 with the pprof tag (net/http/pprof on a port of its own):
#                 its allocations per request (runtime.MemStats, exact) and
#                 the top of a CPU profile (go tool pprof -top); "auto":
#                 only for the configurations behind a missed target; "off"
#   SAT=0.95      a run is "saturated" when the server used at least this share
#                 of its core; ratios are printed over all runs and over
#                 saturated runs only
#   CONFIGS="plain otelgen-off otelgen otelhttp"
#                 the configurations to run (ratios without theirs print n/a)
#   KEEP=1        keep the temporary directory and print its path
#   SERVER=./cmd/server  CONTRIB=otelhttp  WHAT=net/http
#                 the program built plain and with otelgen, the command under
#                 cmd/ instrumented by hand (the "otelhttp" configuration),
#                 and the title of the report: bench/gin.sh sets them to
#                 ./cmd/gin, otelgin and gin. CONTRIB= (empty): there is no
#                 hand-instrumented peer (bench/fasthttp.sh); the otelhttp
#                 configuration is left out and its ratio prints n/a
#   REWRITTEN=std/net/http/server.go
#                 a file under _otel/ (a glob) that otelgen must have written
#                 for the server's requests to be traced: the scripts for
#                 servers that are not net/http's name their library's file
set -euo pipefail

SERVER=${SERVER:-./cmd/server}
CONTRIB=${CONTRIB-otelhttp}
REWRITTEN=${REWRITTEN:-std/net/http/server.go}
WHAT=${WHAT:-net/http}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-32}
LOADGEN=${LOADGEN:-auto}
PIN=${PIN:-auto}
PROFILE=${PROFILE:-on}
SAT=${SAT:-0.95}

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-http.XXXXXX")
SINKPID=""
SPID=""
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
trap cleanup EXIT
loadknobs
export GOWORK=off
CLK_TCK=$(getconf CLK_TCK)

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# A snapshot of the working tree (without .git and bench/), as bench/run.sh
# takes one: the instrumented build compiles otelgen's hook packages from it.
say "snapshot of $ROOT, building otelgen"
snapshot "$ROOT"

APP=$WORK/httpload
cp -R "$BENCH/httpload" "$APP"
rm -rf "$APP/_otel"
(cd "$APP" && go mod edit -replace "github.com/otelgen/otelgen=$SRC")
say "otelgen generate $SERVER"
"$OTELGEN" -C "$APP" generate "$SERVER" >&2
compgen -G "$APP/_otel/$REWRITTEN" >/dev/null || die "otelgen did not write _otel/$REWRITTEN"
OVERLAY=$APP/_otel/overlay.json

say "building plain, otelgen, ${CONTRIB:-no peer}, sink, load"
BIN=$WORK/bin
mkdir "$BIN"
(cd "$APP" &&
	go build -o "$BIN/plain" "$SERVER" &&
	go build -overlay="$OVERLAY" -o "$BIN/otelgen" "$SERVER" &&
	{ [[ -z $CONTRIB ]] || go build -o "$BIN/otelhttp" "./cmd/$CONTRIB"; } &&
	go build -o "$BIN/sink" ./cmd/sink &&
	go build -o "$BIN/load" ./cmd/load) || die "a build failed"

say "starting the sink"
"${CPU1[@]}" "$BIN/sink" >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINKPID=$!
SINK=$(waitaddr "$WORK/sink.out") || die "the sink did not start: $(cat "$WORK/sink.err")"
export OTEL_EXPORTER_OTLP_ENDPOINT=http://$SINK
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
unset OTEL_SDK_DISABLED OTEL_TRACES_EXPORTER OTEL_METRICS_EXPORTER OTEL_TRACES_SAMPLER 2>/dev/null || true

# The configurations: name, binary, environment.
DEFAULT_CONFIGS="plain otelgen-off otelgen otelhttp"
[[ -n $CONTRIB ]] || DEFAULT_CONFIGS="plain otelgen-off otelgen"
read -r -a CONFIGS <<<"${CONFIGS:-$DEFAULT_CONFIGS}"
declare -A CBIN=([plain]=plain [otelgen-off]=otelgen [otelgen]=otelgen [otelhttp]=otelhttp)
declare -A CENV=([plain]="" [otelgen-off]="OTEL_SDK_DISABLED=true" [otelgen]="" [otelhttp]="")
declare -A CDESC=(
	[plain]="uninstrumented (go build)"
	[otelgen-off]="otelgen, OTEL_SDK_DISABLED=true"
	[otelgen]="otelgen, tracing on"
	[otelhttp]="$CONTRIB by hand, tracing on"
)
for c in "${CONFIGS[@]}"; do
	[[ -n ${CBIN[$c]:-} ]] || die "unknown configuration $c (plain, otelgen-off, otelgen, otelhttp)"
	[[ $c != otelhttp || -n $CONTRIB ]] || die "configuration otelhttp without CONTRIB"
done

# runone CONFIG ROUND measures one run (see measure in lib.sh); the tracing
# builds export about a span per request, the others none.
runone() {
	local traced=0
	[[ $1 != otelgen && $1 != otelhttp ]] || traced=1
	# shellcheck disable=SC2086 # CENV holds zero or more words
	measure "$1" "$2" "$traced" "$BIN/${CBIN[$1]}" /hello/bench ${CENV[$1]}
}

# ---------------------------------------------------------------- runs

rounds runone "${CONFIGS[@]}"

# med CONFIG FIELD [SAT] prints the median of FIELD over CONFIG's runs, or
# over those whose cpu_util is at least SAT.
med() {
	awk -v c="$1" -v k="$2" -v sat="${3:-0}" '$1 == c {
		for (i = 3; i < NF; i++) { if ($i == k) x = $(i + 1); if ($i == "cpu_util") u = $(i + 1) }
		if (u + 0 >= sat) print x }' "$WORK/runs.txt" | median
}

# nruns CONFIG [SAT] prints how many runs of CONFIG there are (whose cpu_util is
# at least SAT).
nruns() { awk -v c="$1" -v sat="${2:-0}" '$1 == c { for (i = 3; i < NF; i++) if ($i == "cpu_util" && $(i + 1) >= sat) n++ } END { print n + 0 }' "$WORK/runs.txt"; }

# paired A B FIELD [SAT] prints the min and max over rounds of A's FIELD / B's
# (over the rounds in which both runs have a cpu_util of at least SAT).
paired() {
	awk -v a="$1" -v b="$2" -v k="$3" -v sat="${4:-0}" '
		($1 == a || $1 == b) {
			for (i = 3; i < NF; i++) { if ($i == k) x = $(i + 1); if ($i == "cpu_util") u = $(i + 1) }
			if (u + 0 >= sat) v[$1, $2] = x
		}
		END {
			for (r = 1; r <= '"$ROUNDS"'; r++) if ((a, r) in v && (b, r) in v && v[b, r] > 0) {
				x = v[a, r] / v[b, r]
				if (min == "" || x < min) min = x
				if (max == "" || x > max) max = x
			}
			if (min == "") print "n/a"; else printf "%.3f-%.3f", min, max
		}' "$WORK/runs.txt"
}

# calc EXPR evaluates an awk expression; n/a when it involves a missing
# figure (nan).
calc() {
	if [[ $1 == *nan* ]]; then
		echo n/a
		return
	fi
	awk "BEGIN { printf \"%.3f\", $1 }"
}
verdict() {
	if [[ $1 == n/a ]]; then
		echo n/a
		return
	fi
	awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 >= l + 0) ? "met" : "MISSED" }'
}

# ratio A B TARGET SAT prints, for A measured against base B, over all runs
# (SAT 0) or the saturated ones: the throughput ratio (median req/s of A / of
# B), its per-round range, the ratio of requests per CPU-second of the
# server (median CPU per request of B / of A), the number of runs of each,
# and the verdict of the throughput ratio against TARGET ("-" for none).
ratio() {
	local a=$1 b=$2 target=$3 sat=$4 r c v="-"
	r=$(calc "$(med "$a" rps "$sat") / $(med "$b" rps "$sat")")
	c=$(calc "$(med "$b" cpu_us_per_req "$sat") / $(med "$a" cpu_us_per_req "$sat")")
	[[ $target == - ]] || v=$(verdict "$r" "$target")
	echo "$r $(paired "$a" "$b" rps "$sat") $c $(nruns "$a" "$sat")+$(nruns "$b" "$sat") $v"
}
declare -A RATIO
for s in 0 "$SAT"; do
	RATIO[1, $s]=$(ratio otelgen-off plain 0.98 "$s")
	RATIO[2, $s]=$(ratio otelgen otelhttp 1.0 "$s")
	RATIO[3, $s]=$(ratio otelgen plain - "$s")
done
# missed N is true when measure N missed its target over all runs or over
# the saturated ones.
missed() { [[ "${RATIO[$1, 0]} ${RATIO[$1, $SAT]}" == *MISSED* ]]; }

# ------------------------------------------------------------- profiles

# memstats ADDR prints the Mallocs and TotalAlloc of runtime.MemStats, read
# from net/http/pprof at ADDR.
memstats() {
	"$BIN/load" -get "http://$1/debug/pprof/allocs?debug=1" |
		awk '/^# Mallocs = / { m = $4 } /^# TotalAlloc = / { t = $4 } END { print m + 0, t + 0 }'
}

# profile CONFIG runs CONFIG once more, in a build with the pprof tag (which
# serves net/http/pprof on a port of its own), appends its allocations per
# request to $WORK/allocs.txt and prints the top of a CPU profile taken
# under load.
profile() {
	local c=$1 bin pp url m0 m1 line secs=$((DURATION > 3 ? DURATION - 2 : 1))
	bin=$BIN/${CBIN[$c]}-pprof
	if [[ ! -x $bin ]]; then
		case ${CBIN[$c]} in
		plain) (cd "$APP" && go build -tags pprof -o "$bin" "$SERVER") ;;
		otelgen) (cd "$APP" && go build -tags pprof -overlay="$OVERLAY" -o "$bin" "$SERVER") ;;
		otelhttp) (cd "$APP" && go build -tags pprof -o "$bin" "./cmd/$CONTRIB") ;;
		esac
	fi
	# shellcheck disable=SC2086
	start "$c-pprof" "$bin" HTTPLOAD_PPROF=127.0.0.1:0 ${CENV[$c]}
	pp=$(awk '/^httpload: pprof on / { print $4; exit }' "$WORK/$c-pprof.out")
	url="http://$SADDR/hello/bench"
	load "$url" "$WARMUP" >/dev/null
	m0=$(memstats "$pp")
	load "$url" "$DURATION" >"$WORK/$c-pprof.load" &
	local lpid=$!
	sleep 1
	mkdir -p "$WORK/pprof"
	PPROF_TMPDIR=$WORK/pprof go tool pprof -proto -seconds "$secs" \
		"http://$pp/debug/pprof/profile" >"$WORK/$c.pprof" 2>/dev/null || true
	wait "$lpid" || true
	m1=$(memstats "$pp")
	stop
	line=$(cat "$WORK/$c-pprof.load")
	awk -v c="$c" -v n="$(field "$line" requests)" -v m0="$m0" -v m1="$m1" 'BEGIN {
		split(m0, a, " "); split(m1, b, " ")
		if (n > 0) printf "%s allocs_per_req %.1f bytes_per_req %.0f\n", c, (b[1] - a[1]) / n, (b[2] - a[2]) / n
	}' >>"$WORK/allocs.txt"
	echo
	echo "PROFILE $c (${CDESC[$c]}), ${secs}s under load: $line"
	echo "-- flat"
	go tool pprof -top -nodecount=25 "$WORK/$c.pprof" 2>/dev/null | sed -n '/^ *flat/,$p'
	echo "-- cumulative"
	go tool pprof -top -cum -nodecount=45 "$WORK/$c.pprof" 2>/dev/null | sed -n '/^ *flat/,$p'
}

toprofile=()
case $PROFILE in
on) toprofile=("${CONFIGS[@]}") ;;
auto)
	! missed 1 || toprofile+=(plain otelgen-off)
	! missed 2 || toprofile+=(otelgen otelhttp)
	;;
esac
PROFILES=$WORK/profiles.txt
: >"$PROFILES"
: >"$WORK/allocs.txt"
for c in "${toprofile[@]}"; do
	say "allocations and CPU profile of $c"
	profile "$c" >>"$PROFILES"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------- report

{
	echo
	echo "$WHAT under load: $(go version | awk '{print $3, $4}'), $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(date -u +%F)"
	pin="not pinned"
	[[ $PIN == on ]] && pin="server on CPU 0, load and sink on CPU 1"
	echo "load: $LOADGEN, $CONNS connections, ${WARMUP}s warm-up + ${DURATION}s per run, $ROUNDS interleaved rounds; $pin"
	echo "load average at start $LOAD_START, at end $LOAD_END"
	if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n * 0.75) }'; then
		echo "WARNING: the machine was busy when the run started (1-minute load average above 3/4 of its cores): the figures are noisy"
	fi
	echo
	echo "RATIOS, measured / base, of medians. req/s: throughput; cpu: requests per CPU-second of the server."
	echo "Runs: all, or only the saturated ones, in which the server had its core (cpu util >= $SAT) and so"
	echo "the figures measure the server rather than the machine's other load; (n+n): runs of each."
	printf '%-38s %-16s %7s %13s %7s %8s %7s\n' "measure" "runs" "req/s" "per round" "cpu" "target" "verdict"
	# fmt CONFIG FIELD SAT DECIMALS prints med CONFIG FIELD SAT, or "-".
	fmt() {
		local m
		m=$(med "$1" "$2" "$3")
		if [[ $m == nan ]]; then echo -; else awk -v m="$m" -v d="$4" 'BEGIN { printf "%.*f", d, m }'; fi
	}
	row() {
		local r pr c n v
		read -r r pr c n v <<<"${RATIO[$2, $3]}"
		printf '%-38s %-16s %7s %13s %7s %8s %7s\n' "$1" "$4 ($n)" "$r" "$pr" "$c" "$5" "$v"
	}
	row "1. otelgen off / uninstrumented" 1 0 all ">= 0.98"
	row "" 1 "$SAT" saturated ">= 0.98"
	rr=$(calc "$(med otelgen-off rss_kb) / $(med plain rss_kb)")
	rv=n/a
	[[ $rr == n/a ]] || rv=$(awk -v v="$rr" 'BEGIN { print (v <= 1.15) ? "met" : "MISSED" }')
	printf '%-38s %-16s %7s %13s %7s %8s %7s\n' "   otelgen off / uninstrumented, RSS" "all" "$rr" "" "" "<= 1.15" "$rv"
	row "2. otelgen / ${CONTRIB:-(no peer)}, tracing on" 2 0 all ">= 1.0"
	row "" 2 "$SAT" saturated ">= 1.0"
	row "   otelgen tracing on / uninstrumented" 3 0 all "-"
	row "" 3 "$SAT" saturated "-"
	echo
	for s in 0 "$SAT"; do
		if [[ $s == 0 ]]; then
			echo "RAW FIGURES, medians over all runs"
		else
			echo "RAW FIGURES, medians over the saturated runs (cpu util >= $SAT)"
		fi
		printf '%-34s %5s %10s %9s %9s %11s %9s %10s %9s %11s %8s\n' "build" "runs" "req/s" "p50 (us)" "p99 (us)" "cpu us/req" "cpu util" "spans/req" "RSS (MiB)" "allocs/req" "B/req"
		for c in "${CONFIGS[@]}"; do
			al=$(awk -v c="$c" '$1 == c { print $3, $5 }' "$WORK/allocs.txt")
			[[ -n $al ]] || al="- -"
			printf '%-34s %5s %10s %9s %9s %11s %9s %10s %9s %11s %8s\n' "${CDESC[$c]}" "$(nruns "$c" "$s")" \
				"$(fmt "$c" rps "$s" 0)" "$(fmt "$c" p50_us "$s" 0)" "$(fmt "$c" p99_us "$s" 0)" \
				"$(fmt "$c" cpu_us_per_req "$s" 2)" "$(fmt "$c" cpu_util "$s" 2)" "$(fmt "$c" spans_per_req "$s" 3)" \
				"$(awk -v k="$(fmt "$c" rss_kb "$s" 0)" 'BEGIN { if (k == "-") print k; else printf "%.1f", k / 1024 }')" "${al% *}" "${al#* }"
		done
		echo
	done
	echo "cpu us/req: the server's user + system time per request; cpu util: its share of one core over the"
	echo "run; spans/req: spans the sink received during the run; RSS: the server's peak resident set"
	echo "(VmHWM) at the end of the run; allocs/req and B/req: runtime.MemStats"
	echo "over the profiling run (\"-\" without one)."
	errs=$(awk '{ for (i = 3; i < NF; i++) if ($i == "errors") e += $(i + 1) } END { print e + 0 }' "$WORK/runs.txt")
	echo "load errors over all runs: $errs"
	echo
	echo "RUNS"
	cat "$WORK/runs.txt"
	if [[ -s $PROFILES ]]; then
		cat "$PROFILES"
	fi
}
