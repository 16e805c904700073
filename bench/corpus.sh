#!/usr/bin/env bash
# corpus.sh: otelgen generate on the programs of e2e/testdata/corpus (client-go,
# the AWS SDK, gRPC, gin, mongo-driver, kafka-go), measured against
# go list -deps -json of the same packages: wall time, CPU time and peak RSS,
# as ratios, in interleaved rounds. A benchmark, not a test: nothing fails on a
# slow figure. See README.md, "Large dependency graphs".
#
#   bash bench/corpus.sh                  # about 5 minutes on 2 cores
#   ROUNDS=5 bash bench/corpus.sh         # steadier figures, slower
#   PROGRAMS="k8s grpc" bash bench/corpus.sh
#
# Knobs: ROUNDS (3), PROGRAMS (k8s aws grpc gin mongo kafka; "all", the whole
# module, is always measured too), KEEP=1 keeps the temporary directory.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
PROGRAMS=${PROGRAMS:-k8s aws grpc gin mongo kafka}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-corpus.XXXXXX")
if [[ ${KEEP:-} == 1 ]]; then
	trap 'echo "kept $WORK" >&2' EXIT
else
	trap 'rm -rf "$WORK"' EXIT
fi
# GOSUMDB=off as in e2e's TestCorpus: the corpus' go.sum is complete, and
# init adds only lines for modules it downloads through the proxy.
export GOWORK=off GOSUMDB=off GOFLAGS=
# otelgen's type cache: one of the run's own, emptied before every cold
# generate, so that cold means what it did before the cache existed.
export OTELGEN_CACHE=$WORK/otelgen-cache

say() { printf '\n== %s\n' "$*" >&2; }

TIME=/usr/bin/time
if ! [[ -x $TIME ]]; then
	echo "corpus.sh: needs GNU time at $TIME (apt-get install -y time)" >&2
	exit 2
fi

# ---------------------------------------------------------------- setup

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# A snapshot of the working tree, so that edits to the checkout during the run
# cannot reach it, as in run.sh.
say "snapshot of $ROOT, building otelgen"
SRC=$WORK/otelgen-src
mkdir "$SRC"
tar -C "$ROOT" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
(cd "$SRC" && go build -o "$WORK/otelgen" ./cmd/otelgen)
OTELGEN=$WORK/otelgen

# The corpus module, in the state otelgen init leaves it in, as TestCorpus
# makes it: go.mod from go.mod.in pointing at the snapshot, the module cache
# warmed with the tool's modules (init's go get then runs offline, as it does
# when go.mod replaces otelgen), then init. The warm-up is TestCorpus's
# (warmInitCache): the same go get -tool, online, on a copy of the module,
# then every package and test it imports, so that a fresh module cache works.
say "corpus module: otelgen init"
CORPUS=$WORK/corpus
cp -R "$ROOT/e2e/testdata/corpus" "$CORPUS"
sed "s#OTELGEN_ROOT#$SRC#" "$CORPUS/go.mod.in" >"$CORPUS/go.mod"
rm "$CORPUS/go.mod.in"
cp -R "$CORPUS" "$WORK/scratch"
# A proxy that answers 403 for a package path that is no module needs "|off"
# to go on to the module's path.
proxy=$(go env GOPROXY)
proxy=${proxy%%,*}
case $proxy in off | direct) ;; *) proxy="$proxy|off" ;; esac
(cd "$WORK/scratch" && GOFLAGS= GOPROXY=$proxy go get -tool github.com/otelgen/otelgen/cmd/otelgen@v0.0.0 >&2 &&
	go list -mod=mod -deps -test ./... >/dev/null)
"$OTELGEN" -C "$CORPUS" init >&2

# measure OUT CMD... runs CMD in the corpus module under GNU time and appends
# "wall cpu maxrss_kb" to OUT. Peak RSS is that of the largest single process
# (otelgen, or the go list it runs; for go list, go list itself).
measure() {
	local out=$1
	shift
	if ! (cd "$CORPUS" && "$TIME" -o "$WORK/time.out" -f '%e %U %S %M' "$@" >/dev/null 2>"$WORK/cmd.err"); then
		echo "corpus.sh: failed: $*" >&2
		cat "$WORK/cmd.err" >&2
		exit 2
	fi
	awk '{ print $1, $2 + $3, $4 }' "$WORK/time.out" >>"$out"
}

# pkgs NAME prints the package pattern of program NAME ("all": the module).
pkgs() { if [[ $1 == all ]]; then echo ./...; else echo "./cmd/$1"; fi; }

# ---------------------------------------------------------------- rounds

names=($PROGRAMS all)
for n in "${names[@]}"; do
	: >"$WORK/$n.list" && : >"$WORK/$n.cold" && : >"$WORK/$n.warm" && : >"$WORK/$n.cached"
done
# One untimed pass first: module index, page cache, and a check that each
# generate succeeds and that a second one takes the fast path.
for n in "${names[@]}"; do
	say "untimed pass: $n"
	(cd "$CORPUS" && go list -deps -json "$(pkgs "$n")" >/dev/null && rm -rf _otel &&
		"$OTELGEN" generate "$(pkgs "$n")" >&2 &&
		"$OTELGEN" generate "$(pkgs "$n")" | grep '^otelgen: unchanged' >/dev/null) || {
		echo "corpus.sh: otelgen generate $(pkgs "$n") failed, or a second one was not a no-op" >&2
		exit 2
	}
done
for ((r = 1; r <= ROUNDS; r++)); do
	for n in "${names[@]}"; do
		say "round $r of $ROUNDS: $n: go list -deps -json, generate cold (no _otel/), generate warm (nothing changed), generate cached (no _otel/, otelgen's cache warm)"
		p=$(pkgs "$n")
		measure "$WORK/$n.list" go list -deps -json "$p"
		rm -rf "$CORPUS/_otel" "$OTELGEN_CACHE"
		measure "$WORK/$n.cold" "$OTELGEN" generate "$p"
		measure "$WORK/$n.warm" "$OTELGEN" generate "$p"
		rm -rf "$CORPUS/_otel"
		measure "$WORK/$n.cached" "$OTELGEN" generate "$p"
	done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report

# med FILE COL prints the median of column COL of FILE.
med() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

{
	echo
	echo "otelgen generate on e2e/testdata/corpus: $(go version | awk '{print $3, $4}'), $(nproc) cores, $(date -u '+%F %H:%M UTC')"
	echo "rounds=$ROUNDS (medians); load average at start $LOAD_START, at end $LOAD_END"
	if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n * 0.75) }'; then
		echo "WARNING: the machine was busy when the run started (1-minute load average above 3/4 of its cores): wall-clock figures are noisy; CPU time suffers less"
	fi
	echo "packages: go list -deps of each program; cold: no _otel/, otelgen's cache empty; warm: nothing changed since the last generate;"
	echo "cached: no _otel/, otelgen's cache warm (a fresh clone on a machine that generated the program before)"
	echo
	printf '%-7s %5s | %-21s | %-21s %-25s | %-21s %-17s | %-21s %-17s\n' "" "" "go list -deps -json" "generate, cold" "cold / go list" "generate, warm" "warm / go list" "generate, cached" "cached / go list"
	printf '%-7s %5s | %6s %6s %7s | %6s %6s %7s %8s %7s %8s | %6s %6s %7s %8s %8s | %6s %6s %7s %8s %8s\n' \
		program pkgs wall cpu "rss MB" wall cpu "rss MB" wall cpu rss wall cpu "rss MB" wall rss wall cpu "rss MB" wall cpu
	for n in "${names[@]}"; do
		np=$(cd "$CORPUS" && go list -deps "$(pkgs "$n")" | wc -l)
		lw=$(med "$WORK/$n.list" 1) lc=$(med "$WORK/$n.list" 2) lm=$(med "$WORK/$n.list" 3)
		cw=$(med "$WORK/$n.cold" 1) cc=$(med "$WORK/$n.cold" 2) cm=$(med "$WORK/$n.cold" 3)
		ww=$(med "$WORK/$n.warm" 1) wc=$(med "$WORK/$n.warm" 2) wm=$(med "$WORK/$n.warm" 3)
		kw=$(med "$WORK/$n.cached" 1) kc=$(med "$WORK/$n.cached" 2) km=$(med "$WORK/$n.cached" 3)
		printf '%-7s %5s | %6.2f %6.2f %7s | %6.2f %6.2f %7s %8s %7s %8s | %6.2f %6.2f %7s %8s %8s | %6.2f %6.2f %7s %8s %8s\n' \
			"$n" "$np" "$lw" "$lc" "$(mb "$lm")" \
			"$cw" "$cc" "$(mb "$cm")" "$(ratio "$cw" "$lw")" "$(ratio "$cc" "$lc")" "$(ratio "$cm" "$lm")" \
			"$ww" "$wc" "$(mb "$wm")" "$(ratio "$ww" "$lw")" "$(ratio "$wm" "$lm")" \
			"$kw" "$kc" "$(mb "$km")" "$(ratio "$kw" "$lw")" "$(ratio "$kc" "$lc")"
	done
	echo
	echo "target (issue 14, item 7): cold generate <= 3x go list -deps -json of the same packages"
}
