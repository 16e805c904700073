# bench/snapshot.sh is the setup that the client-loop benchmarks share
# (dbselect.sh, clientloop.sh, msgbench.sh), and sinkspans, which counts
# what the sink received. Sourced, not run. The sourcing
# script sets ROOT (the checkout), BENCH (its bench/), WORK (its temporary
# directory) and LOAD (its load module's folder under bench/), and defines
# say.

# snapshot builds otelgen from a snapshot of the working tree (bench/ left
# out), so that edits to the checkout during the run cannot reach it, and
# copies the load module, loadkit (its measured loop and hand-made SDK, which
# it replaces with ../loadkit) and httpload (the OTLP sink) to WORK, pointed
# at the snapshot. It sets SRC, OTELGEN and APP.
snapshot() {
	say "snapshot of $ROOT, building otelgen"
	SRC=$WORK/otelgen-src
	mkdir "$SRC"
	tar -C "$ROOT" --exclude=./.git --exclude=./bench -cf - . | tar -C "$SRC" -xf -
	(cd "$SRC" && go build -o "$WORK/otelgen" ./cmd/otelgen)
	OTELGEN=$WORK/otelgen

	APP=$WORK/$LOAD
	cp -R "$BENCH/$LOAD" "$APP"
	cp -R "$BENCH/httpload" "$WORK/httpload"
	cp -R "$BENCH/loadkit" "$WORK/loadkit"
	rm -rf "$APP/_otel"
	local m
	for m in "$APP" "$WORK/httpload"; do
		(cd "$m" && go mod edit -replace "github.com/otelgen/otelgen=$SRC")
	done
}

# sinkspans prints the count of spans the sink at $SINK received so far,
# asked over bash's /dev/tcp: no client to build.
sinkspans() {
	local host=${SINK%:*} port=${SINK##*:} reply
	exec 3<>"/dev/tcp/$host/$port"
	printf 'GET /stats HTTP/1.0\r\nHost: %s\r\n\r\n' "$SINK" >&3
	reply=$(cat <&3)
	exec 3<&-
	awk '/^trace_requests / { print $4 }' <<<"$reply"
}
