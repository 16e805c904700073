#!/usr/bin/env bash
# bench/run.sh measures what otelgen costs, in one session, and prints ratios.
#
#   bash bench/run.sh
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script still exits 0. It writes only to a temporary directory (removed on
# exit) and to the go command's caches. Knobs, as environment variables:
#
#   COUNT=10         rounds of the ns/op benchmarks (go test -count, interleaved)
#   BENCHTIME=0.3s   go test -benchtime
#   RUNS=10          timed runs per command for the build and generate timings
#   BENCHSTAT=auto   "auto": go run golang.org/x/perf/cmd/benchstat@latest if
#                    it can be fetched; "off": medians only
#   TIMER=auto       "auto": hyperfine if installed, else a date +%s%N loop;
#                    "loop": the loop even when hyperfine is installed
#   KEEP=1           keep the temporary directory and print its path
#   PARTS=abcd       which parts to run and report (README.md): PARTS=a runs
#                    only the ns/op pairs; gls.sh runs after them unless GLS=0
set -euo pipefail

COUNT=${COUNT:-10}
BENCHTIME=${BENCHTIME:-0.3s}
RUNS=${RUNS:-10}
BENCHSTAT=${BENCHSTAT:-auto}
TIMER=${TIMER:-auto}
PARTS=${PARTS:-abcd}
# part X reports whether part X is to be run.
part() { [[ $PARTS == *$1* ]]; }
if [[ $TIMER == auto ]] && command -v hyperfine >/dev/null; then
	TIMER=hyperfine
else
	TIMER=loop
fi
BENCHSTAT_PKG=golang.org/x/perf/cmd/benchstat@latest

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-bench.XXXXXX")
# otelgen's type cache: one of the run's own, emptied before every cold
# generate (c), so that cold means what it did before the cache existed;
# bench/generate.sh measures a cold generate over a warm cache.
export OTELGEN_CACHE=$WORK/otelgen-cache
if [[ ${KEEP:-} == 1 ]]; then
	trap 'echo "kept $WORK" >&2' EXIT
else
	trap 'rm -rf "$WORK"' EXIT
fi
export GOWORK=off

say() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# A snapshot of the working tree (without .git and bench/), so that edits made
# to the checkout during the run do not reach it: the instrumented builds
# compile otelgen's hook packages from it.
say "snapshot of $ROOT, building otelgen"
SRC=$WORK/otelgen-src
mkdir "$SRC"
tar -C "$ROOT" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
(cd "$SRC" && go build -o "$WORK/otelgen" ./cmd/otelgen)
OTELGEN=$WORK/otelgen

# Copy the benchmark modules, point their replace at this checkout, and
# generate their _otel/ trees. Nothing is written under bench/.
#   nohook            the ns/op pairs (a), and a tiny module for c and d
#   httpapp           net/http + github.com/google/uuid, with otelgen's
#                     built-in rules as shipped (net/http, SDK setup)
#   httpapp-nobuiltin the same with every built-in rule disabled: only its own
#                     rule on std (net/http) and on a dependency (uuid)
for m in nohook httpapp; do
	cp -R "$BENCH/$m" "$WORK/$m"
	rm -rf "$WORK/$m/_otel"
	(cd "$WORK/$m" && go mod edit -replace "github.com/otelgen/otelgen=$SRC")
done
cp -R "$WORK/httpapp" "$WORK/httpapp-nobuiltin"
builtins=$("$OTELGEN" -C "$WORK/httpapp" rules | awk 'NR > 1 && $NF !~ /^otelgen\.yaml:/ { printf "%s%s", sep, $1; sep = ", " }')
{
	echo "disable: [$builtins]"
	cat "$BENCH/httpapp/otelgen.yaml"
} >"$WORK/httpapp-nobuiltin/otelgen.yaml"

# golist[m] is the go list -deps -json command that loads what otelgen loads
# for module m: its patterns and every hook package, as go/packages asks for
# them (read from GOPACKAGESDEBUG). -e because a hook package may not resolve
# with the module's own go.mod (otelgen then loads again with a -modfile).
declare -A golist
for m in nohook httpapp httpapp-nobuiltin; do
	say "otelgen generate in $m"
	GOPACKAGESDEBUG=true "$OTELGEN" -C "$WORK/$m" generate 2>"$WORK/$m.debug" >&2 || {
		cat "$WORK/$m.debug" >&2
		exit 2
	}
	args=$(grep -m1 -o -- '-deps=true .* -- .*$' "$WORK/$m.debug" | sed 's/.* -- //') || args="./..."
	golist[$m]="go list -e -deps -json $args"
done
NOHOOK=$WORK/nohook
if ! grep -q 'otelgen_bench_add_before != nil' "$NOHOOK/_otel/main/pair/pair.go"; then
	echo "run.sh: otelgen did not instrument pair.InstrumentedAdd" >&2
	exit 2
fi

# median reads numbers, one a line, and prints their median.
median() {
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# nsop FILE NAME [UNIT] prints the median ns/op (or UNIT) of benchmark NAME
# in FILE.
nsop() {
	awk -v n="Benchmark$2" -v u="${3:-ns/op}" '{ sub(/-[0-9]+$/, "", $1) } $1 == n { for (i = 3; i < NF; i++) if ($(i+1) == u) print $i }' "$1" | median
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

# verdict VALUE LIMIT prints met when VALUE <= LIMIT, else MISSED.
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 <= l + 0) ? "met" : "MISSED" }'; }

# timeit DIR PREPARE CMD... times each CMD (run in DIR, after PREPARE, which
# may be "") and prints, one line per command, its median wall-clock seconds
# and its mean CPU seconds (user + system, of the command and its children;
# "nan" without hyperfine). With hyperfine it uses hyperfine; otherwise a loop
# over date +%s%N that alternates the commands. Each command runs twice,
# untimed, first.
timeit() {
	local dir=$1 prep=$2
	shift 2
	local json
	json=$(mktemp "$WORK/hf.XXXXXX")
	if [[ $TIMER == hyperfine ]]; then
		local args=(-N --warmup 2 --runs "$RUNS" --style basic --export-json "$json")
		[[ -n $prep ]] && args+=(--prepare "$prep")
		(cd "$dir" && hyperfine "${args[@]}" "$@" >&2) || return 1
		awk -F': *' '
			/^ *"median":/ { m = $2 + 0 }
			/^ *"user":/ { u = $2 + 0 }
			/^ *"system":/ { print m, u + $2 }' "$json"
		return
	fi
	local i c t0 t1
	for ((i = 0; i < 2; i++)); do
		for c in "$@"; do
			(cd "$dir" && { [[ -z $prep ]] || $prep; } && $c >/dev/null 2>&1) || return 1
		done
	done
	local n=0
	for c in "$@"; do : >"$json.$n"; n=$((n + 1)); done
	for ((i = 0; i < RUNS; i++)); do
		n=0
		for c in "$@"; do
			(cd "$dir" && { [[ -z $prep ]] || $prep; } &&
				t0=$(date +%s%N) && $c >/dev/null 2>&1 && t1=$(date +%s%N) &&
				echo "$(((t1 - t0) / 1000))" >>"$json.$n") || return 1
			n=$((n + 1))
		done
	done
	n=0
	for c in "$@"; do
		echo "$(awk '{print $1 / 1e6}' "$json.$n" | median) nan"
		n=$((n + 1))
	done
}

# timed runs timeit with the same arguments and puts its lines in the array t;
# a failed command stops the run.
timed() {
	if ! timeit "$@" >"$WORK/timed.out"; then
		echo "run.sh: a timed command failed: ${*:3}" >&2
		exit 2
	fi
	mapfile -t t <"$WORK/timed.out"
}

# -------------------------------------------- a. ns/op, instrumented vs plain

# Three test binaries, built once: the package test of pair with the overlay
# (no main package, so no hook bound), the test of the main package
# cmd/hooked with the overlay (otelgen_register.go binds the hooks), and the
# package test of pair without the overlay (control: the pairs are identical
# source, so their difference there is layout and noise). The binaries then
# run in COUNT interleaved rounds, so that drift of the machine hits all alike.
if part a; then
say "a. ns/op: building the test binaries"
(cd "$NOHOOK" &&
	go test -vet=off -c -o "$WORK/nohook.test" -overlay="$NOHOOK/_otel/overlay.json" ./pair &&
	go test -vet=off -c -o "$WORK/hooked.test" -overlay="$NOHOOK/_otel/overlay.json" ./cmd/hooked &&
	go test -vet=off -c -o "$WORK/control.test" ./pair)
# The tests check that the hooks are bound exactly where they should be.
"$WORK/nohook.test" -test.run '^TestHooksNotBound$' >&2
"$WORK/hooked.test" -test.run '^TestHooksBound$' >&2
for f in nohook hooked control; do : >"$WORK/$f.txt"; done
for ((r = 1; r <= COUNT; r++)); do
	say "a. ns/op: round $r of $COUNT (nohook: overlay, no hook bound; hooked: hooks bound; control: no overlay)"
	for f in nohook hooked control; do
		"$WORK/$f.test" -test.run '^$' -test.bench . -test.benchtime "$BENCHTIME" -test.benchmem |
			tee -a "$WORK/$f.txt" | grep '^Benchmark' | sed "s/^/$f: /" >&2
	done
done

# benchstat, if it can be had: rename PlainSum/InstrumentedSum to Sum/impl=...
# so that benchstat -col /impl compares the two halves of a pair.
if [[ $BENCHSTAT != off ]]; then
	bs="$WORK/benchstat.out"
	: >"$bs"
	for f in nohook hooked control; do
		sed -E 's/^Benchmark(Hooked)?Plain(Sum|Add|AfterAdd)/Benchmark\2\/impl=plain/;
			s/^Benchmark(Hooked)?PlainNoinline(Sum|Add|AfterAdd)/Benchmark\2\/impl=noinline/;
			s/^Benchmark(Hooked)?Instrumented(Sum|Add|AfterAdd)/Benchmark\2\/impl=instrumented/' \
			"$WORK/$f.txt" >"$WORK/$f.bs.txt"
		{ echo "--- $f"; } >>"$bs"
		units='.unit:sec/op'
		[[ $f == hooked ]] && units='.unit:(sec/op OR allocs/op)'
		if ! (cd "$WORK" && go run "$BENCHSTAT_PKG" -col /impl -filter "$units" "$f.bs.txt") >>"$bs" 2>"$WORK/benchstat.err"; then
			echo "benchstat unavailable ($(head -c 200 "$WORK/benchstat.err")); medians only" >&2
			: >"$bs"
			break
		fi
	done
fi
fi

# ------------------------------------------- b. warm go build, overlay vs plain

declare -A bplain binst clist cgen dgen bplaincpu binstcpu clistcpu cgencpu dgencpu
part b && for m in httpapp httpapp-nobuiltin; do
	say "b. warm build of $m: go build vs go build -overlay"
	dir=$WORK/$m
	plainbin=$WORK/$m.plain.bin
	instbin=$WORK/$m.inst.bin
	overlay=$dir/_otel/overlay.json
	# Fill the build cache for both; every timed run then links a new
	# binary, since go build -o skips the link when the output is up to
	# date.
	(cd "$dir" && go build -o "$plainbin" . && go build -overlay="$overlay" -o "$instbin" .)
	out=$(OTEL_SDK_DISABLED=true "$instbin")
	if [[ $out != *"hook calls 3"* ]]; then
		echo "run.sh: the instrumented $m did not run its hooks" >&2
		exit 2
	fi
	timed "$dir" "rm -f $plainbin $instbin" \
		"go build -o $plainbin ." \
		"go build -overlay=$overlay -o $instbin ."
	read -r bplain[$m] bplaincpu[$m] <<<"${t[0]}"
	read -r binst[$m] binstcpu[$m] <<<"${t[1]}"
done

# --------------------------------------- c. cold generate vs go list -deps -json

part c && for m in httpapp httpapp-nobuiltin nohook; do
	say "c. $m: cold otelgen generate (no _otel/) vs ${golist[$m]}"
	dir=$WORK/$m
	timed "$dir" "rm -rf $dir/_otel $OTELGEN_CACHE" "${golist[$m]}" "$OTELGEN -C $dir generate"
	read -r clist[$m] clistcpu[$m] <<<"${t[0]}"
	read -r cgen[$m] cgencpu[$m] <<<"${t[1]}"
done

# ------------------------------------------------ d. generate, nothing changed

part d && for m in httpapp httpapp-nobuiltin nohook; do
	say "d. $m: otelgen generate when nothing changed"
	dir=$WORK/$m
	[[ -d $dir/_otel ]] || "$OTELGEN" -C "$dir" generate >/dev/null
	out=$("$OTELGEN" -C "$dir" generate)
	if [[ $out != "otelgen: unchanged:"* ]]; then
		echo "run.sh: a second generate in $m was not a no-op" >&2
		exit 2
	fi
	timed "$dir" "" "$OTELGEN -C $dir generate"
	read -r dgen[$m] dgencpu[$m] <<<"${t[0]}"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------- report

{
	echo
	echo "otelgen benchmarks: $(go version | awk '{print $3, $4}'), $(nproc) cores, $(date -u +%F)"
	echo "count=$COUNT benchtime=$BENCHTIME runs=$RUNS timer=$TIMER; load average at start $LOAD_START, at end $LOAD_END"
	# The load at the end includes this script's own builds: judge the start.
	if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n * 0.75) }'; then
		echo "WARNING: the machine was busy when the run started (1-minute load average above 3/4 of its cores): the figures are noisy"
	fi
	echo
	echo "RATIOS"
	printf '%-58s %10s %10s %8s %10s\n' "measure" "value" "target" "verdict" "cpu ratio"
	part a && for fn in Sum Add AfterAdd; do
		p=$(nsop "$WORK/nohook.txt" "Plain$fn")
		i=$(nsop "$WORK/nohook.txt" "Instrumented$fn")
		d=$(calc "$i - $p")
		printf '%-58s %10s %10s %8s\n' "a. $fn: instrumented, no hook - plain (ns/op)" "$d" "<= 1" \
			"$(verdict "$d" 1)"
		printf '%-58s %10s\n' "   $fn: instrumented, no hook / plain" "$(calc "$i / $p")x"
	done
	part b && for m in httpapp httpapp-nobuiltin; do
		b=$(calc "${binst[$m]} / ${bplain[$m]}")
		printf '%-58s %10s %10s %8s %10s\n' "b. warm build $m: -overlay / plain" "${b}x" "<= 1.1x" "$(verdict "$b" 1.1)" \
			"$(calc "${binstcpu[$m]} / ${bplaincpu[$m]}")"
	done
	part c && for m in httpapp httpapp-nobuiltin nohook; do
		c=$(calc "${cgen[$m]} / ${clist[$m]}")
		printf '%-58s %10s %10s %8s %10s\n' "c. cold generate / go list -deps -json, $m" "${c}x" "<= 2x" "$(verdict "$c" 2)" \
			"$(calc "${cgencpu[$m]} / ${clistcpu[$m]}")"
	done
	part d && for m in httpapp httpapp-nobuiltin nohook; do
		printf '%-58s %10s %10s %8s\n' "d. generate, nothing changed, $m (s)" "$(calc "${dgen[$m]}")" "<= 0.5" "$(verdict "${dgen[$m]}" 0.5)"
	done
	echo
	echo "RAW FIGURES (medians)"
	printf '%-22s %14s %14s %14s %14s\n' "ns/op" "plain" "plain noinline" "instrumented" "instr - plain"
	part a && for f in control nohook hooked; do
		for fn in Sum Add AfterAdd; do
			pre=""
			[[ $f == hooked ]] && pre=Hooked
			p=$(nsop "$WORK/$f.txt" "${pre}Plain$fn")
			n=$(nsop "$WORK/$f.txt" "${pre}PlainNoinline$fn")
			i=$(nsop "$WORK/$f.txt" "${pre}Instrumented$fn")
			case $f in
			control) label="no overlay" ;;
			nohook) label="overlay, no hook" ;;
			hooked) label="overlay, hooks bound" ;;
			esac
			printf '%-22s %14s %14s %14s %14s\n' "$fn, $label" "$p" "$n" "$i" "$(calc "$i - $p")"
		done
	done
	part a && for fn in Sum Add AfterAdd; do
		printf '%-58s %10s\n' "a. hooks bound, Instrumented$fn: allocs/op, B/op" \
			"$(nsop "$WORK/hooked.txt" "HookedInstrumented$fn" allocs/op), $(nsop "$WORK/hooked.txt" "HookedInstrumented$fn" B/op)"
	done
	printf '%-58s %10s %10s\n' "seconds" "wall" "cpu"
	part b && for m in httpapp httpapp-nobuiltin; do
		printf '%-58s %10s %10s\n' "b. $m: warm go build, plain" "$(calc "${bplain[$m]}")" "$(calc "${bplaincpu[$m]}")"
		printf '%-58s %10s %10s\n' "b. $m: warm go build -overlay" "$(calc "${binst[$m]}")" "$(calc "${binstcpu[$m]}")"
	done
	part c && for m in httpapp httpapp-nobuiltin nohook; do
		printf '%-58s %10s %10s\n' "c. $m: go list -e -deps -json" "$(calc "${clist[$m]}")" "$(calc "${clistcpu[$m]}")"
		printf '%-58s %10s %10s\n' "c. $m: otelgen generate, cold" "$(calc "${cgen[$m]}")" "$(calc "${cgencpu[$m]}")"
	done
	part d && for m in httpapp httpapp-nobuiltin nohook; do
		printf '%-58s %10s %10s\n' "d. $m: otelgen generate, nothing changed" "$(calc "${dgen[$m]}")" "$(calc "${dgencpu[$m]}")"
	done
	echo "c. go list arguments: ${golist[httpapp]#go list -e -deps -json }"
	echo "   built-in rules disabled in httpapp-nobuiltin: $builtins"
	if [[ -s ${bs:-} ]]; then
		echo
		echo "BENCHSTAT (-col /impl; plain is the base)"
		cat "$bs"
	fi
}
[[ ${GLS:-1} == 0 ]] || bash "$BENCH/gls.sh" # goroutine-local storage, see README.md; GLS=0 skips it
