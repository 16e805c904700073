#!/usr/bin/env bash
# bench/generate.sh times otelgen generate without _otel/ against go list
# -deps -json of the same packages, on copies of examples/demo and
# examples/store, with otelgen's cache empty (the first run of this otelgen
# and Go on the machine), warmed by the other example only (the first run in
# a module, on a machine that has run otelgen before), and warm from the
# same module's last run, and prints ratios: "x" to go list with the
# module's go.mod, "x2" to go list with the go.mod that otelgen loads with,
# where the hook packages resolve.
#
#   bash bench/generate.sh
#   RUNS=9 MODULES=demo bash bench/generate.sh
#
# Knobs: RUNS (5, timed runs per command; medians are printed), MODULES
# ("demo store"). It writes only to a temporary directory (removed on exit)
# and the go command's caches; otelgen's cache is a directory of its own
# there (OTELGEN_CACHE), so the user's is neither read nor written.
set -euo pipefail

RUNS=${RUNS:-5}
MODULES=${MODULES:-demo store}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GOWORK=off
OTELGEN=$WORK/otelgen
(cd "$ROOT" && go build -o "$OTELGEN" ./cmd/otelgen)

median() {
	sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run prints "wall cpu" (seconds; cpu = user + system, children included)
# of the command in $1, run in directory $2.
run() {
	local out
	out=$( { TIMEFORMAT='%R %U %S'; time (cd "$2" && eval "$1" >/dev/null 2>&1); } 2>&1 | tail -1)
	awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' <<<"$out"
}

printf '%s, %s, load %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(go version | cut -d' ' -f3-4)" "$(cut -d' ' -f1-3 /proc/loadavg)"
for m in $MODULES; do
	dir=$WORK/$m
	cp -R "$ROOT/examples/$m" "$dir"
	rm -rf "$dir/_otel"
	(cd "$dir" && go mod edit -replace "github.com/otelgen/otelgen=$ROOT")
	cache=$WORK/cache-$m
	# The first generate says which packages go/packages lists: the
	# patterns and every hook package. It also warms the go command's
	# caches, so that every timed run finds them as warm.
	OTELGEN_CACHE=$cache GOPACKAGESDEBUG=true "$OTELGEN" -C "$dir" generate 2>"$WORK/$m.debug" >/dev/null || {
		cat "$WORK/$m.debug" >&2
		exit 2
	}
	args=$(grep -o -- '-deps=true .* -- .*$' "$WORK/$m.debug" | tail -1 | sed 's/.* -- //')
	golist="go list -e -deps -json $args"
	# The same list with the go.mod that otelgen loaded with (_otel/go.mod
	# without the replace directives that only the overlay completes), so
	# that the hook packages and their imports resolve as they do for
	# otelgen: the same packages, where plain go list fails on the hook
	# packages that go.mod does not require and lists fewer.
	mkdir -p "$WORK/$m-mod"
	grep -v '=> ./_otel/mod/' "$dir/_otel/go.mod" >"$WORK/$m-mod/go.mod"
	cp "$dir/_otel/go.sum" "$WORK/$m-mod/go.sum"
	golistmod="go list -mod=readonly -modfile=$WORK/$m-mod/go.mod -e -deps -json ${args% ./_otelgen_requirements}"
	# A cache that only the other example has warmed.
	other=demo
	[[ $m == demo ]] && other=store
	if [[ ! -d $WORK/warm-$other ]]; then
		cp -R "$ROOT/examples/$other" "$WORK/warm-$other"
		(cd "$WORK/warm-$other" && go mod edit -replace "github.com/otelgen/otelgen=$ROOT")
	fi
	rm -rf "$WORK/warm-$other/_otel"
	OTELGEN_CACHE=$WORK/other-$m "$OTELGEN" -C "$WORK/warm-$other" generate >/dev/null 2>&1
	: >"$WORK/list" && : >"$WORK/listmod" && : >"$WORK/cold" && : >"$WORK/other" && : >"$WORK/warm"
	for ((r = 1; r <= RUNS; r++)); do
		run "$golist" "$dir" >>"$WORK/list"
		run "$golistmod" "$dir" >>"$WORK/listmod"
		rm -rf "$dir/_otel" "$cache"
		run "OTELGEN_CACHE=$cache $OTELGEN generate" "$dir" >>"$WORK/cold"
		rm -rf "$dir/_otel" "$WORK/cache-other"
		cp -R "$WORK/other-$m" "$WORK/cache-other"
		run "OTELGEN_CACHE=$WORK/cache-other $OTELGEN generate" "$dir" >>"$WORK/other"
		rm -rf "$dir/_otel"
		run "OTELGEN_CACHE=$cache $OTELGEN generate" "$dir" >>"$WORK/warm"
	done
	lw=$(cut -d' ' -f1 "$WORK/list" | median) lc=$(cut -d' ' -f2 "$WORK/list" | median)
	mw=$(cut -d' ' -f1 "$WORK/listmod" | median) mc=$(cut -d' ' -f2 "$WORK/listmod" | median)
	n=$(cd "$dir" && go list -e -deps $args 2>/dev/null | wc -l | tr -d ' ')
	nm=$(cd "$dir" && eval "${golistmod/-json/-f .}" 2>/dev/null | wc -l | tr -d ' ')
	echo "$m: $(wc -l <"$WORK/$m.debug" | tr -d ' ') debug lines; go list: $golist" | cut -c1-200
	printf '  %-44s %8s %8s %8s %8s %9s %9s\n' "median of $RUNS" "wall s" "cpu s" "wall x" "cpu x" "wall x2" "cpu x2"
	printf '  %-44s %8.3f %8.3f %8s %8s\n' "go list -e -deps -json ($n packages)" "$lw" "$lc" 1 1
	printf '  %-44s %8.3f %8.3f %8s %8s %9s %9s\n' "same, -modfile ($nm packages)" "$mw" "$mc" "" "" 1 1
	for k in cold other warm; do
		w=$(cut -d' ' -f1 "$WORK/$k" | median) c=$(cut -d' ' -f2 "$WORK/$k" | median)
		case $k in
		cold) label="generate, no _otel/, empty otelgen cache" ;;
		other) label="same, cache warmed by $other only" ;;
		warm) label="same, cache warm from this module" ;;
		esac
		printf '  %-44s %8.3f %8.3f %8.1f %8.1f %9.1f %9.1f\n' "$label" "$w" "$c" "$(echo "$w / $lw" | bc -l)" "$(echo "$c / $lc" | bc -l)" "$(echo "$w / $mw" | bc -l)" "$(echo "$c / $mc" | bc -l)"
	done
done
