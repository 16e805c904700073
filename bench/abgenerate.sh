#!/usr/bin/env bash
# bench/abgenerate.sh compares otelgen generate between two builds of
# otelgen, alternated run by run so that the machine's drift (a fifth between
# runs here) falls on both: on copies of examples/demo and examples/store
# without _otel/, with otelgen's cache empty, and warm from the same build's
# earlier run. It prints medians of CPU seconds (user + system, go list
# included) and of wall seconds, and the changes.
#
#   bash bench/abgenerate.sh HEAD~3            # that revision against the checkout
#   bash bench/abgenerate.sh v0.1.0 HEAD       # two revisions
#   RUNS=9 MODULES=demo bash bench/abgenerate.sh /path/to/otelgen-old
#   GOMAXPROCS=1 bash bench/abgenerate.sh HEAD~3  # the work done, on one core
#
# Each argument is an otelgen binary or a git revision of this repository
# (built from its files, in a temporary directory); the second defaults to
# the checkout as it is. Both builds generate with the checkout's rules and
# integrations (the examples' go.mod replaces otelgen with it). On two
# cores the CPU seconds of the same binary vary by a tenth or more from run
# to run with how much of the work overlaps; GOMAXPROCS=1, which the go
# command inherits too, measures the work itself. Knobs: RUNS
# (7, pairs per module), MODULES ("demo store"). It writes only to a
# temporary directory, removed on exit.
set -euo pipefail

RUNS=${RUNS:-7}
MODULES=${MODULES:-demo store}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GOWORK=off OTELGEN_PROGRESS_AFTER=off

if [[ $# -lt 1 || $# -gt 2 ]]; then
	echo "usage: bash bench/abgenerate.sh OLD [NEW]  (each an otelgen binary or a git revision)" >&2
	exit 2
fi

# build puts otelgen for $1 (a binary, a revision, or "" for the checkout) at $2.
build() {
	if [[ -z $1 ]]; then
		(cd "$ROOT" && go build -o "$2" ./cmd/otelgen)
	elif [[ -f $1 && -x $1 ]]; then
		cp "$1" "$2"
	else
		local src
		src=$(mktemp -d "$WORK/src.XXXXXX")
		git -C "$ROOT" archive "$1" | tar -C "$src" -xf -
		(cd "$src" && go build -o "$2" ./cmd/otelgen)
	fi
}
build "$1" "$WORK/a"
build "${2:-}" "$WORK/b"
A=$1 B=${2:-checkout}

median() {
	sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# cpu runs generate with binary $1 and cache $2 in directory $3 and prints
# its CPU seconds and its wall seconds.
cpu() {
	rm -rf "$3/_otel"
	(cd "$3" && /usr/bin/time -f '%U %S %e' -o "$WORK/time" env OTELGEN_CACHE="$2" "$1" generate >/dev/null 2>"$WORK/err") || {
		cat "$WORK/err" >&2
		exit 2
	}
	awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$WORK/time"
}

printf '%s, %s, load %s; a = %s, b = %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(go version | cut -d' ' -f3-4)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$A" "$B"
printf '%-6s %-6s %8s %8s %8s %8s %8s %8s\n' module cache "a cpu s" "b cpu s" change "a wall s" "b wall s" change
for m in $MODULES; do
	dir=$WORK/$m
	cp -R "$ROOT/examples/$m" "$dir"
	(cd "$dir" && go mod edit -replace "github.com/otelgen/otelgen=$ROOT")
	for x in a b; do
		: >"$WORK/$m.$x.cold" && : >"$WORK/$m.$x.warm"
		cpu "$WORK/$x" "$WORK/cache-$m-$x" "$dir" >/dev/null # warms the go command's caches too
	done
	for ((r = 1; r <= RUNS; r++)); do
		for x in a b; do
			rm -rf "$WORK/empty"
			cpu "$WORK/$x" "$WORK/empty" "$dir" >>"$WORK/$m.$x.cold"
			cpu "$WORK/$x" "$WORK/cache-$m-$x" "$dir" >>"$WORK/$m.$x.warm"
		done
	done
	for k in cold warm; do
		a=$(cut -d' ' -f1 "$WORK/$m.a.$k" | median) b=$(cut -d' ' -f1 "$WORK/$m.b.$k" | median)
		aw=$(cut -d' ' -f2 "$WORK/$m.a.$k" | median) bw=$(cut -d' ' -f2 "$WORK/$m.b.$k" | median)
		label=empty
		[[ $k == warm ]] && label=warm
		printf '%-6s %-6s %8.3f %8.3f %+7.0f%% %8.3f %8.3f %+7.0f%%\n' "$m" "$label" "$a" "$b" "$(echo "($b - $a) * 100 / $a" | bc -l)" "$aw" "$bw" "$(echo "($bw - $aw) * 100 / $aw" | bc -l)"
	done
done
