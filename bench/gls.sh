#!/usr/bin/env bash
# bench/gls.sh measures what otelgen's goroutine-local storage (GLS) costs, in
# one session, and prints ratios:
#
#   1. goroutine spawn + join, runtime patched vs unpatched (target <= 1.02x)
#   2. the GLS accessors: raw get/set, gls.Save/Restore, Push, Span (<= 5 ns)
#   3. a parent lookup through GLS vs trace.SpanFromContext five contexts deep
#
#   bash bench/gls.sh
#
# It is a report, not a test: a missed target is printed as MISSED and the
# script still exits 0 (it exits 2 when a build or a sanity check fails). It
# writes only to a temporary directory (removed on exit) and to the go
# command's caches. Knobs, as environment variables (the same as run.sh's):
#
#   COUNT=10         interleaved rounds of every benchmark (go test -count)
#   BENCHTIME=0.3s   go test -benchtime
#   BENCHSTAT=auto   "auto": go run golang.org/x/perf/cmd/benchstat@latest if
#                    it can be fetched; "off": medians only
#   KEEP=1           keep the temporary directory and print its path
set -euo pipefail

COUNT=${COUNT:-10}
BENCHTIME=${BENCHTIME:-0.3s}
BENCHSTAT=${BENCHSTAT:-auto}
BENCHSTAT_PKG=golang.org/x/perf/cmd/benchstat@latest

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-glsbench.XXXXXX")
if [[ ${KEEP:-} == 1 ]]; then
	trap 'echo "kept $WORK" >&2' EXIT
else
	trap 'rm -rf "$WORK"' EXIT
fi
export GOWORK=off
unset GOMAXPROCS # -test.cpu sets it

say() { printf '\n== %s\n' "$*" >&2; }
die() {
	echo "gls.sh: $*" >&2
	exit 2
}

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# A snapshot of the working tree (without .git and bench/), so that edits made
# to the checkout during the run do not reach it: the benchmarks compile
# gls-runtime and the runtime patch from it.
say "snapshot of $ROOT, building otelgen"
SRC=$WORK/otelgen-src
mkdir "$SRC"
tar -C "$ROOT" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
(cd "$SRC" && go build -o "$WORK/otelgen" ./cmd/otelgen)
OTELGEN=$WORK/otelgen

# Copy the benchmark module, point its replace at the snapshot, turn off
# every built-in rule except the runtime patch (rules from gls-runtime/), so
# that the overlay holds the patch and the one trivial rule that needs it.
say "otelgen generate in bench/gls"
MOD=$WORK/gls
cp -R "$BENCH/gls" "$MOD"
rm -rf "$MOD/_otel"
(cd "$MOD" && go mod edit -replace "github.com/otelgen/otelgen=$SRC" -replace "github.com/otelgen/otelgen/gls-runtime=$SRC/gls-runtime")
builtins=$("$OTELGEN" -C "$MOD" rules | awk 'NR > 1 && $NF !~ /^otelgen\.yaml:/ && $NF !~ /^gls-runtime\// { printf "%s%s", sep, $1; sep = ", " }')
{
	echo "disable: [$builtins]"
	cat "$BENCH/gls/otelgen.yaml"
} >"$MOD/otelgen.yaml"
"$OTELGEN" -C "$MOD" generate >&2
OVERLAY=$MOD/_otel/overlay.json
for f in otelgen_gls.go proc.go runtime2.go; do
	grep -q "/src/runtime/$f\"" "$OVERLAY" || die "the overlay does not patch runtime/$f; otelgen explain says:
$("$OTELGEN" -C "$MOD" explain 2>&1)"
done

# Four test binaries, built once:
#   patched   bench/gls's benchmarks, with the overlay (runtime patched)
#   plain     the same, without the overlay
#   raw       gls-runtime's own test (raw get/set), with the overlay
#   fallback  gls-runtime's test without the overlay (its TestFallback)
# The plain binary runs twice in each round ("plain" and "plain2"): the
# difference between those two runs of one binary is the noise floor.
say "building the test binaries (the first build with the overlay compiles the runtime)"
(cd "$MOD" &&
	go test -vet=off -c -o "$WORK/patched.test" -overlay="$OVERLAY" . &&
	go test -vet=off -c -o "$WORK/plain.test" . &&
	go test -vet=off -c -o "$WORK/raw.test" -overlay="$OVERLAY" github.com/otelgen/otelgen/gls-runtime &&
	go test -vet=off -c -o "$WORK/fallback.test" github.com/otelgen/otelgen/gls-runtime)
GLSBENCH_PATCHED=1 "$WORK/patched.test" -test.run '^TestRuntime$' -test.v >&2 || die "patched.test is not patched"
GLSBENCH_PATCHED=0 "$WORK/plain.test" -test.run '^TestRuntime$' -test.v >&2 || die "plain.test is patched"
"$WORK/raw.test" -test.run '^(TestPatched|TestFallback)$' -test.v >&2 || die "gls-runtime's tests fail over the patched runtime"
"$WORK/fallback.test" -test.run '^(TestPatched|TestFallback)$' -test.v >&2 || die "gls-runtime's tests fail without the patch"
for t in patched raw; do
	out=$(GLSBENCH_PATCHED=1 "$WORK/$t.test" -test.run '^(TestRuntime|TestPatched)$' -test.v 2>&1)
	[[ $out == *"--- PASS: TestRuntime"* || $out == *"--- PASS: TestPatched"* ]] || die "$t.test skipped its patched checks"
done

# ------------------------------------------------------------------ rounds

# Spawn benchmarks run at GOMAXPROCS 1 (no wake-up of an idle P: the runtime
# path alone, newproc1 to gdestroy) and at every core; the others at 1.
NCPU=$(nproc)
SPAWN_CPU=1
[[ $NCPU -gt 1 ]] && SPAWN_CPU="1,$NCPU"
run() { # run NAME BINARY BENCH-REGEXP CPU
	"$WORK/$2.test" -test.run '^$' -test.bench "$3" -test.cpu "$4" -test.benchtime "$BENCHTIME" -test.benchmem |
		tee -a "$WORK/$1.txt" | grep '^Benchmark' | sed "s/^/$1: /" >&2
}
for f in patched plain plain2 raw; do : >"$WORK/$f.txt"; done
for ((r = 1; r <= COUNT; r++)); do
	say "round $r of $COUNT (patched: overlay; plain, plain2: no overlay, one binary run twice; raw: gls-runtime)"
	# Rotate the order, so that no binary always runs first or last.
	order=(patched plain plain2)
	case $((r % 3)) in
	1) order=(plain patched plain2) ;;
	2) order=(plain2 plain patched) ;;
	esac
	for f in "${order[@]}"; do
		bin=$f
		[[ $f == plain2 ]] && bin=plain
		run "$f" "$bin" '^BenchmarkSpawn' "$SPAWN_CPU"
	done
	run patched patched '^Benchmark(Save|SaveRestore|PushRestore|Span|Parent.*)$' 1
	run plain plain '^BenchmarkParent.*$' 1
	run raw raw '^BenchmarkRaw' 1
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ figures

median() {
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# nsop FILE NAME [UNIT] prints the median ns/op (or UNIT) of benchmark NAME in
# FILE; NAME carries the -N suffix of GOMAXPROCS N > 1, as go test prints it.
nsop() {
	awk -v n="Benchmark$2" -v u="${3:-ns/op}" '$1 == n { for (i = 3; i < NF; i++) if ($(i+1) == u) print $i }' "$1" | median
}
# cpuop FILE NAME prints the median CPU time per op (the benchmarks' own
# cpu-ns/op metric: the process's user + system time over the loop).
cpuop() { nsop "$1" "$2" cpu-ns/op; }
calc() {
	if [[ $1 == *nan* ]]; then
		echo n/a
		return
	fi
	awk "BEGIN { printf \"%.3f\", $1 }"
}
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v != "n/a" && v + 0 <= l + 0) ? "met" : "MISSED" }'; }

if [[ $BENCHSTAT != off ]]; then
	bs=$WORK/benchstat.out
	if ! (cd "$WORK" && go run "$BENCHSTAT_PKG" -filter '.name:/^Spawn/ .unit:(sec/op OR cpu-ns/op)' \
		plain=plain.txt plain2=plain2.txt patched=patched.txt) >"$bs" 2>"$WORK/benchstat.err"; then
		echo "benchstat unavailable ($(head -c 200 "$WORK/benchstat.err")); medians only" >&2
		: >"$bs"
	fi
fi

# ------------------------------------------------------------------- report

# Verdicts are on CPU time: on a shared machine the wall clock also counts the
# time the benchmark waits for a core (see the control rows).
row() { printf '%-46s %10s %10s %9s %8s\n' "$@"; }
{
	echo
	echo "otelgen GLS benchmarks: $(go version | awk '{print $3, $4}'), $NCPU cores, $(date -u +%F)"
	echo "count=$COUNT benchtime=$BENCHTIME; load average at start $LOAD_START, at end $LOAD_END"
	if awk -v l="${LOAD_START%% *}" -v n="$NCPU" 'BEGIN { exit !(l > n * 0.75) }'; then
		echo "WARNING: the machine was busy when the run started (1-minute load average above 3/4 of its cores): the figures are noisy"
	fi
	echo
	echo "RATIOS AND FIGURES (medians of $COUNT; verdicts on CPU time)"
	row "measure" "wall" "cpu" "target" "verdict"
	for b in Spawn Spawn100; do
		for c in ${SPAWN_CPU//,/ }; do
			n=$b
			[[ $c != 1 ]] && n=$b-$c
			w=$(calc "$(nsop "$WORK/patched.txt" "$n") / $(nsop "$WORK/plain.txt" "$n")")
			u=$(calc "$(cpuop "$WORK/patched.txt" "$n") / $(cpuop "$WORK/plain.txt" "$n")")
			row "1. $b, GOMAXPROCS=$c: patched / plain" "${w}x" "${u}x" "<= 1.02x" "$(verdict "$u" 1.02)"
			row "   control: plain2 / plain (same binary)" \
				"$(calc "$(nsop "$WORK/plain2.txt" "$n") / $(nsop "$WORK/plain.txt" "$n")")x" \
				"$(calc "$(cpuop "$WORK/plain2.txt" "$n") / $(cpuop "$WORK/plain.txt" "$n")")x"
		done
	done
	for b in raw:RawGet raw:RawSet patched:Save patched:SaveRestore patched:PushRestore patched:Span; do
		u=$(calc "$(cpuop "$WORK/${b%%:*}.txt" "${b#*:}")")
		row "2. ${b#*:} (ns/op)" "$(calc "$(nsop "$WORK/${b%%:*}.txt" "${b#*:}")")" "$u" "<= 5" "$(verdict "$u" 5)"
	done
	for b in ParentGLS ParentCtx5 ParentCtx5Live; do
		declare "w$b=$(nsop "$WORK/patched.txt" "$b")" "u$b=$(cpuop "$WORK/patched.txt" "$b")"
	done
	row "3. parent via gls.Span (ns/op)" "$(calc "$wParentGLS")" "$(calc "$uParentGLS")"
	row "   via ctx 5 deep: SpanFromContext (ns/op)" "$(calc "$wParentCtx5")" "$(calc "$uParentCtx5")"
	row "   gls / ctx" "$(calc "$wParentGLS / $wParentCtx5")x" "$(calc "$uParentGLS / $uParentCtx5")x"
	row "   ctx 5 deep + IsRecording (ns/op)" "$(calc "$wParentCtx5Live")" "$(calc "$uParentCtx5Live")"
	row "   gls / (ctx + IsRecording)" "$(calc "$wParentGLS / $wParentCtx5Live")x" "$(calc "$uParentGLS / $uParentCtx5Live")x"
	echo
	echo "RAW FIGURES (medians; wall ns/op / cpu ns/op)"
	printf '%-26s %18s %18s %18s\n' "" "plain" "plain2" "patched"
	for b in Spawn Spawn100; do
		for c in ${SPAWN_CPU//,/ }; do
			n=$b
			[[ $c != 1 ]] && n=$b-$c
			printf '%-26s %18s %18s %18s\n' "$b, GOMAXPROCS=$c" \
				"$(nsop "$WORK/plain.txt" "$n") / $(cpuop "$WORK/plain.txt" "$n")" \
				"$(nsop "$WORK/plain2.txt" "$n") / $(cpuop "$WORK/plain2.txt" "$n")" \
				"$(nsop "$WORK/patched.txt" "$n") / $(cpuop "$WORK/patched.txt" "$n")"
		done
	done
	for b in ParentCtx5 ParentCtx5Live; do
		printf '%-26s %18s %18s %18s\n' "$b" "$(nsop "$WORK/plain.txt" "$b") / $(cpuop "$WORK/plain.txt" "$b")" "" \
			"$(nsop "$WORK/patched.txt" "$b") / $(cpuop "$WORK/patched.txt" "$b")"
	done
	echo "PushRestore: $(nsop "$WORK/patched.txt" PushRestore allocs/op) allocs/op, $(nsop "$WORK/patched.txt" PushRestore B/op) B/op"
	echo "built-in rules disabled: $builtins"
	if [[ -s ${bs:-} ]]; then
		echo
		echo "BENCHSTAT (spawn; plain is the base, plain2 the same binary again)"
		cat "$bs"
	fi
}
