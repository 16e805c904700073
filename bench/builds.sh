#!/usr/bin/env bash
# bench/builds.sh measures build times of one net/http server three ways, in
# one session, as ratios to the plain build (issue 14, item 3):
#
#   plain    httpload/cmd/server, go build
#   manual   httpload/cmd/otelhttp: the same server wrapped with otelhttp and
#            the SDK set up by hand, go build
#   otelgen  httpload/cmd/server with otelgen's built-in rules: otelgen
#            generate ./cmd/server, then go build -overlay
#
# and for each: a cold build from a fresh clone with an empty GOCACHE (for
# otelgen, what a CI job runs from the committed _otel/: go tool
# otelgen-overlay, then go build -overlay; and, for comparison, the same with
# go tool otelgen overlay, which compiles otelgen and golang.org/x/tools), a
# warm rebuild with no change, and a one-line edit in main.go (for otelgen,
# generate + build, as go generate and the build would run them).
#
#   bash bench/builds.sh                 # minutes on 2 idle cores; 35 at load 30
#   RUNS=3 COLD_RUNS=1 bash bench/builds.sh
#
# Knobs: RUNS (warm and edit runs per command, 5), COLD_RUNS (cold builds per
# command, 1), OLD=0 (skip the cold build through go tool otelgen overlay),
# COLD=0 (no cold builds),
# KEEP=1 (keep the temporary directory). Each cold build gets a GOCACHE of
# its own under the temporary directory; the shared GOCACHE is only added to
# (the warm builds), never cleared. The module cache is the shared one, warm:
# a CI job restores it, or downloads the same modules for every build.
#
# otelgen is built from a snapshot of this working tree with
# -ldflags=-X main.stampedVersion=v0.0.0-bench, so that it behaves as a
# release: only a release trusts the lock on a fresh clone (a devel build
# always loads the program). Times come from GNU time (apt-get install -y
# time): wall seconds, and CPU seconds (user + system, children included),
# which the other load of a shared machine disturbs less. It writes only to
# the temporary directory and the go command's caches; it prints a markdown
# report on stdout and exits 0 whatever the figures (2 when a command fails).
set -euo pipefail

RUNS=${RUNS:-5}
COLD_RUNS=${COLD_RUNS:-1}
OLD=${OLD:-1}
COLD=${COLD:-1}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/otelgen-builds.XXXXXX")
if [[ ${KEEP:-} == 1 ]]; then
	trap 'echo "kept $WORK" >&2' EXIT
else
	trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
fi
export GOWORK=off GOTOOLCHAIN=local LC_ALL=C
TIME=/usr/bin/time
if ! [[ -x $TIME ]]; then
	echo "builds.sh: needs GNU time (apt-get install -y time)" >&2
	exit 2
fi

# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

say "snapshot of $ROOT, building otelgen (stamped v0.0.0-bench)"
snapshot "$ROOT" -ldflags=-X=main.stampedVersion=v0.0.0-bench

# The module: httpload, its replace pointed at the snapshot, otelgen-overlay
# as a second tool (otelgen init adds it), and a line in each main.go that
# the edit runs change.
APP=$WORK/app
cp -R "$BENCH/httpload" "$APP"
rm -rf "$APP/_otel"
(cd "$APP" && go mod edit -replace "github.com/otelgen/otelgen=$SRC" -tool=github.com/otelgen/otelgen/cmd/otelgen-overlay)
for m in server otelhttp; do
	sed -i 's/^func main() {$/func main() {\n\tlog.SetPrefix("edit-0 ")/' "$APP/cmd/$m/main.go"
	grep -q 'log.SetPrefix("edit-0 ")' "$APP/cmd/$m/main.go" || {
		echo "builds.sh: could not add the edit line to cmd/$m/main.go" >&2
		exit 2
	}
done
say "otelgen generate ./cmd/server"
"$OTELGEN" -C "$APP" generate ./cmd/server >&2
COPIED=$(cd "$APP/_otel" && find main -name '*.go' ! -name 'otelgen_*' 2>/dev/null | tr '\n' ' ')

BIN=$WORK/bin
mkdir "$BIN"
: >"$WORK/times"

# clone DIR makes DIR a fresh clone of the module: what git checks out,
# without the git-ignored _otel/overlay.json and _otel/state.json.
clone() {
	rm -rf "$1"
	mkdir -p "$1"
	tar -C "$APP" --exclude=./_otel/overlay.json --exclude=./_otel/state.json -cf - . | tar -C "$1" -xf -
}

# ------------------------------------------------------------ cold builds

cold() { # LABEL CMD... with a GOCACHE of its own, in a fresh clone
	local label=$1
	shift
	local c=$WORK/clone
	clone "$c"
	export GOCACHE=$WORK/gocache
	rm -rf "$GOCACHE"
	mkdir "$GOCACHE"
	"$@"
	unset GOCACHE
	chmod -R u+w "$WORK/gocache" && rm -rf "$WORK/gocache"
}
cold_plain() { timed cold-plain "$WORK/clone" go build -o "$BIN/plain" ./cmd/server; }
cold_manual() { timed cold-manual "$WORK/clone" go build -o "$BIN/manual" ./cmd/otelhttp; }
cold_otelgen() {
	timed cold-otelgen-overlaystep "$WORK/clone" go tool otelgen-overlay
	timed cold-otelgen-build "$WORK/clone" go build -overlay="$WORK/clone/_otel/overlay.json" -o "$BIN/otelgen" ./cmd/server
}
cold_old() {
	timed cold-old-overlaystep "$WORK/clone" go tool otelgen overlay
	timed cold-old-build "$WORK/clone" go build -overlay="$WORK/clone/_otel/overlay.json" -o "$BIN/otelgen" ./cmd/server
}
[[ $COLD == 1 ]] || COLD_RUNS=0
for ((r = 1; r <= COLD_RUNS; r++)); do
	for k in plain manual otelgen; do
		say "cold build, $k (round $r of $COLD_RUNS)"
		cold "$k" "cold_$k"
	done
	if [[ $OLD == 1 ]]; then
		say "cold build, otelgen through go tool otelgen overlay (round $r of $COLD_RUNS)"
		cold old cold_old
	fi
done

# ------------------------------------------------------- warm, no change

say "warm builds: filling the build cache"
OVL=$APP/_otel/overlay.json
(cd "$APP" && go build -o "$BIN/plain" ./cmd/server && go build -o "$BIN/manual" ./cmd/otelhttp &&
	go build -overlay="$OVL" -o "$BIN/otelgen" ./cmd/server && "$OTELGEN" build -o "$BIN/otelgen" ./cmd/server >&2)
for ((r = 1; r <= RUNS; r++)); do
	say "warm rebuild, no change (round $r of $RUNS)"
	# go build -o skips the link when the output is up to date: remove it.
	rm -f "$BIN"/*
	timed warm-plain "$APP" go build -o "$BIN/plain" ./cmd/server
	timed warm-manual "$APP" go build -o "$BIN/manual" ./cmd/otelhttp
	timed warm-otelgen "$APP" go build -overlay="$OVL" -o "$BIN/otelgen" ./cmd/server
	rm -f "$BIN/otelgen"
	timed warm-otelgen-build "$APP" "$OTELGEN" build -o "$BIN/otelgen" ./cmd/server
done

# ------------------------------------------------ one-line edit in main.go

n=0
edit() { # FILE: a new literal each time, so that the build cache never has it
	n=$((n + 1))
	sed -i "s/log.SetPrefix(\"edit-[0-9-]* \")/log.SetPrefix(\"edit-$n-$$ \")/" "$APP/$1"
}
cat >"$WORK/gen-build.sh" <<EOF
#!/usr/bin/env bash
set -e
"$OTELGEN" generate ./cmd/server
go build -overlay="$OVL" -o "$BIN/otelgen" ./cmd/server
EOF
for ((r = 1; r <= RUNS; r++)); do
	say "one-line edit in main.go (round $r of $RUNS)"
	edit cmd/server/main.go
	timed edit-plain "$APP" go build -o "$BIN/plain" ./cmd/server
	edit cmd/otelhttp/main.go
	timed edit-manual "$APP" go build -o "$BIN/manual" ./cmd/otelhttp
	edit cmd/server/main.go
	timed edit-otelgen "$APP" bash "$WORK/gen-build.sh"
	if ! grep -q '^otelgen: unchanged' "$WORK/cmd.out"; then
		echo "builds.sh: generate after an edit of main.go did not take the quick path:" >&2
		cat "$WORK/cmd.out" >&2
	fi
	edit cmd/server/main.go
	timed edit-otelgen-generate "$APP" "$OTELGEN" generate ./cmd/server
	timed edit-otelgen-gobuild "$APP" go build -overlay="$OVL" -o "$BIN/otelgen" ./cmd/server
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ report

# med LABEL COLUMN: the median of a column (2 wall, 3 cpu) of LABEL's runs;
# sum of the medians of several labels when given "a+b".
med() {
	local total=0 l v
	IFS=+ read -ra parts <<<"$1"
	for l in "${parts[@]}"; do
		v=$(awk -v l="$l" -v c="$2" '$1 == l { print $c }' "$WORK/times" | sort -g |
			awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
		total=$(awk -v a="$total" -v b="$v" 'BEGIN { print (b == "nan") ? "nan" : a + b }')
	done
	echo "$total"
}
row() { # TITLE LABEL PLAINLABEL
	local w c pw pc
	w=$(med "$2" 2) c=$(med "$2" 3) pw=$(med "$3" 2) pc=$(med "$3" 3)
	awk -v t="$1" -v w="$w" -v c="$c" -v pw="$pw" -v pc="$pc" 'BEGIN {
		if (w == "nan") { printf "| %s | n/a | | | |\n", t; exit }
		printf "| %s | %.2f s | %.2f s | %.2f× | %.2f× |\n", t, w, c, w / pw, c / pc }'
}
{
	echo "builds.sh: $(go version | awk '{print $3, $4}'), $(nproc) cores, $(date -u '+%F %H:%M') UTC; RUNS=$RUNS COLD_RUNS=$COLD_RUNS"
	echo "load average at start $LOAD_START, at end $LOAD_END"
	echo "files of the program's own copied into _otel/main/: ${COPIED:-none}"
	echo
	echo "| build | wall (median) | cpu (median) | wall / plain | cpu / plain |"
	echo "|---|---|---|---|---|"
	row "cold, plain" cold-plain cold-plain
	row "cold, manual" cold-manual cold-plain
	row "cold CI, otelgen: go tool otelgen-overlay + go build -overlay" "cold-otelgen-overlaystep+cold-otelgen-build" cold-plain
	row "  of which go tool otelgen-overlay" cold-otelgen-overlaystep cold-plain
	row "cold CI, otelgen: go tool otelgen overlay + go build -overlay (before)" "cold-old-overlaystep+cold-old-build" cold-plain
	row "  of which go tool otelgen overlay" cold-old-overlaystep cold-plain
	row "warm, no change, plain" warm-plain warm-plain
	row "warm, no change, manual" warm-manual warm-plain
	row "warm, no change, otelgen: go build -overlay" warm-otelgen warm-plain
	row "warm, no change, otelgen build (freshness check + go build -overlay)" warm-otelgen-build warm-plain
	row "edit main.go, plain" edit-plain edit-plain
	row "edit main.go, manual" edit-manual edit-plain
	row "edit main.go, otelgen: generate + go build -overlay" edit-otelgen edit-plain
	row "  of which generate (quick path)" edit-otelgen-generate edit-plain
	row "  of which go build -overlay" edit-otelgen-gobuild edit-plain
	echo
	echo "binary sizes: plain $(stat -c %s "$BIN/plain" 2>/dev/null || echo n/a), manual $(stat -c %s "$BIN/manual" 2>/dev/null || echo n/a), otelgen $(stat -c %s "$BIN/otelgen" 2>/dev/null || echo n/a) bytes"
	echo
	echo "all runs (label wall cpu):"
	sed 's/^/    /' "$WORK/times"
}
