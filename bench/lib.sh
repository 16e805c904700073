# bench/lib.sh: what the load and build benchmarks share (http.sh, gin.sh
# through http.sh, builds.sh, peers.sh). Sourced, not run. The sourcing
# script sets WORK (its temporary directory) and BIN (where its binaries
# go), and for the load functions CPU0 and CPU1 (taskset prefixes, or
# empty), LOADGEN (wrk or go), PIN (on or off) and CONNS.

say() { printf '\n== %s\n' "$*" >&2; }
die() {
	echo "$(basename "$0"): $*" >&2
	exit 2
}

# snapshot ROOT [GOFLAGS...] copies the working tree at ROOT (without .git
# and bench/) to $WORK/otelgen-src, sets SRC to it, builds otelgen from it
# into $WORK/otelgen (with the given build flags) and sets OTELGEN. The
# instrumented builds compile otelgen's hook packages from the snapshot, so
# that edits to the checkout during a run cannot break it.
snapshot() {
	local root=$1
	shift
	SRC=$WORK/otelgen-src
	mkdir "$SRC"
	tar -C "$root" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
	(cd "$SRC" && go build "$@" -o "$WORK/otelgen" ./cmd/otelgen)
	OTELGEN=$WORK/otelgen
}

# ------------------------------------------------------------ load

# waitaddr FILE prints the address a program printed as
# "httpload: listening on ADDR" in FILE, waiting up to 10 s for it.
waitaddr() {
	local i a
	for ((i = 0; i < 200; i++)); do
		a=$(awk '/^httpload: listening on / { print $4; exit }' "$1" 2>/dev/null) || true
		if [[ -n $a ]]; then
			echo "$a"
			return
		fi
		sleep 0.05
	done
	return 1
}

# sinkstat prints the span count of the sink at $SINK (httpload/cmd/sink).
sinkstat() { "$BIN/load" -get "http://$SINK/stats" | awk '{ print $4 }'; }

# peakrss PID prints the peak resident set size (VmHWM) of process PID, in
# KiB: over its whole life, start-up and the load so far.
peakrss() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# cputicks PID prints the user + system clock ticks of process PID.
cputicks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# load URL SECONDS runs the load generator and prints
# "requests N errors N rps X p50_us X p99_us X".
load() {
	if [[ $LOADGEN == go ]]; then
		"${CPU1[@]}" "$BIN/load" -url "$1" -c "$CONNS" -d "${2}s"
		return
	fi
	local threads=1
	[[ $PIN == on ]] || threads=2
	"${CPU1[@]}" wrk -t"$threads" -c"$CONNS" -d"${2}s" --latency "$1" | awk '
		function us(v) {
			if (v ~ /us$/) return v + 0
			if (v ~ /ms$/) return v * 1000
			if (v ~ /s$/) return v * 1e6
			return v
		}
		/ requests in / { n = $1 }
		/^Requests\/sec:/ { rps = $2 }
		/^ *50% / { p50 = us($2) }
		/^ *99% / { p99 = us($2) }
		/Non-2xx or 3xx responses:/ { e += $NF }
		/Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 }
		END { printf "requests %d errors %d rps %s p50_us %s p99_us %s\n", n, e, rps, p50, p99 }'
}

# field LINE NAME prints the value after NAME in a "name value ..." line.
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$1"; }

# start NAME BINARY [ENV...] starts a server on CPU 0, sets SPID and SADDR,
# and checks that GET $CHECK_PATH answers $CHECK_BODY.
CHECK_PATH=${CHECK_PATH:-/hello/check}
CHECK_BODY=${CHECK_BODY:-hello, check}
start() {
	local name=$1 bin=$2
	shift 2
	# Emptied first: the file of the previous run of this configuration
	# would otherwise give its address to waitaddr before the new server
	# writes its own.
	: >"$WORK/$name.out"
	"${CPU0[@]}" env "$@" "$bin" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	SPID=$!
	SADDR=$(waitaddr "$WORK/$name.out") || die "$name did not start: $(cat "$WORK/$name.err")"
	local body
	body=$("$BIN/load" -get "http://$SADDR$CHECK_PATH") || die "$name did not answer"
	[[ $body == "$CHECK_BODY" ]] || die "$name answered $body"
}

# stop ends the server SPID: SIGTERM (the instrumented builds flush), then
# SIGKILL after 10 s.
stop() {
	kill -TERM "$SPID" 2>/dev/null || true
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$SPID" 2>/dev/null || true
	wait "$SPID" 2>/dev/null || true
	SPID=""
}

# median reads numbers, one a line, and prints their median.
median() {
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ------------------------------------------------------------ builds

# timed LABEL DIR CMD... runs CMD in DIR under GNU time ($TIME) and appends
# "LABEL wall cpu" to $WORK/times; a failed command stops the run.
timed() {
	local label=$1 dir=$2
	shift 2
	if ! (cd "$dir" && $TIME -f '%e %U %S' -o "$WORK/time.out" "$@" >"$WORK/cmd.out" 2>&1); then
		echo "$(basename "$0"): $label failed: $*" >&2
		cat "$WORK/cmd.out" >&2
		exit 2
	fi
	awk -v l="$label" 'END { printf "%s %s %.3f\n", l, $1, $2 + $3 }' "$WORK/time.out" >>"$WORK/times"
	tail -n 1 "$WORK/times" >&2
}
