# bench/lib.sh: what the load and build benchmarks share (http.sh, gin.sh
# through http.sh, builds.sh, peers.sh). Sourced, not run. The sourcing
# script sets WORK (its temporary directory) and BIN (where its binaries
# go), and for the load functions LOADGEN and PIN (which loadknobs settles,
# setting CPU0 and CPU1) and CONNS; for rounds and measure also ROUNDS,
# WARMUP, DURATION, SINK (the sink's address) and CLK_TCK.

say() { printf '\n== %s\n' "$*" >&2; }

# cleanup is the EXIT trap of the load scripts (http.sh, peers.sh): it kills
# the server and the sink if they run (SPID, SINKPID: only processes the
# script started and has not reaped) and removes $WORK, or with KEEP=1
# prints its path.
cleanup() {
	[[ -z ${SPID:-} ]] || kill -KILL "$SPID" 2>/dev/null || true
	[[ -z ${SINKPID:-} ]] || kill -KILL "$SINKPID" 2>/dev/null || true
	wait 2>/dev/null || true
	if [[ ${KEEP:-} == 1 ]]; then
		echo "kept $WORK" >&2
	else
		# What the go command made read-only would stop rm.
		chmod -R u+w "$WORK" 2>/dev/null
		rm -rf "$WORK"
	fi
}

# loadknobs settles the load knobs the sourcing script read: LOADGEN=auto
# becomes wrk when it is installed, else go; PIN=auto becomes on with
# taskset and at least 2 cores, and anything else off. CPU0 and CPU1 become
# the taskset prefixes that pin a command to CPU 0 or 1, or nothing:
# arrays rather than a function, so that "${CPU0[@]}" CMD & starts CMD
# itself (taskset and env exec it) and $! is its process id.
loadknobs() {
	if [[ $LOADGEN == auto ]]; then
		if command -v wrk >/dev/null; then LOADGEN=wrk; else LOADGEN=go; fi
	fi
	if [[ $PIN == auto ]] && command -v taskset >/dev/null && (($(nproc) >= 2)); then
		PIN=on
	else
		PIN=off
	fi
	CPU0=()
	CPU1=()
	if [[ $PIN == on ]]; then
		CPU0=(taskset -c 0)
		CPU1=(taskset -c 1)
	fi
}
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

# rounds FUNCTION NAME... empties $WORK/runs.txt and, in each of $ROUNDS
# rounds, runs FUNCTION NAME ROUND for every NAME (a configuration). Each
# round starts one configuration later, so that no configuration always
# runs first or after the same one.
rounds() {
	local run=$1 r k
	shift
	: >"$WORK/runs.txt"
	for ((r = 1; r <= ROUNDS; r++)); do
		say "round $r of $ROUNDS ($LOADGEN, $CONNS connections, ${WARMUP}s warm-up + ${DURATION}s)"
		for ((k = 0; k < $#; k++)); do
			"$run" "${@:$(((k + r - 1) % $# + 1)):1}" "$r"
		done
	done
}

# measure NAME ROUND TRACED BINARY PATH [ENV...] runs one measured load: it
# starts BINARY as NAME (see start), loads http://SERVER$PATH for $WARMUP
# seconds, unmeasured, then for $DURATION seconds, and stops the server. It
# appends "NAME ROUND LINE" to $WORK/runs.txt and prints it, where LINE is
# the load generator's line followed by
#   cpu_us_per_req X cpu_util X spans_per_req X rss_kb N
# (the server's user + system CPU per request and its share of a core over
# the run, the spans the sink at $SINK received per request, the server's
# peak RSS). A run in which no request completed stops the script, and so
# does one whose spans are wrong: a traced server (TRACED=1) exports more
# than half a span per request (its exporter's queue may drop some under
# load), an untraced one none.
measure() {
	local name=$1 round=$2 traced=$3 bin=$4 url=$5 line s0 s1 t0 t1 w0 w1 rss n spr
	shift 5
	start "$name" "$bin" "$@"
	url="http://$SADDR$url"
	load "$url" "$WARMUP" >/dev/null
	s0=$(sinkstat)
	t0=$(cputicks "$SPID")
	w0=$(date +%s%N)
	line=$(load "$url" "$DURATION")
	w1=$(date +%s%N)
	t1=$(cputicks "$SPID")
	s1=$(sinkstat)
	rss=$(peakrss "$SPID")
	stop
	n=$(field "$line" requests)
	((n > 0)) || die "$name: no request completed: $line"
	line="$line $(awk -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" -v n="$n" -v w0="$w0" -v w1="$w1" -v s0="$s0" -v s1="$s1" -v rss="$rss" 'BEGIN {
		cpu = (t1 - t0) / hz
		printf "cpu_us_per_req %.2f cpu_util %.2f spans_per_req %.3f rss_kb %d", cpu * 1e6 / n, cpu / ((w1 - w0) / 1e9), (s1 - s0) / n, rss }')"
	echo "$name $round $line" >>"$WORK/runs.txt"
	printf '%-16s round %d: %s\n' "$name" "$round" "$line" >&2
	spr=$(field "$line" spans_per_req)
	if [[ $traced == 1 ]]; then
		awk -v v="$spr" 'BEGIN { exit !(v > 0.5) }' || die "$name exported $spr spans per request"
	else
		awk -v v="$spr" 'BEGIN { exit !(v == 0) }' || die "$name exported $spr spans per request"
	fi
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
