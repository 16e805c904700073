#!/usr/bin/env bash
# bench/amqp.sh measures what otelgen's amqp091-go integration adds to
# publishing and consuming RabbitMQ messages, in one session, and prints
# ratios. Builds of one small program (bench/amqpload): on one connection,
# a channel publishes messages of 100 bytes with PublishWithContext to a
# queue of its own, one at a time, while a second channel consumes them on a
# goroutine of its own (Consume, manual acknowledgement, prefetch 100) and
# acks each; it prints the wall and CPU time per message published and
# consumed:
#
#   plain        cmd/pubsub, go build: no OpenTelemetry at all
#   otelgen-off  cmd/pubsub, otelgen generate + go build -overlay (built-in
#                rules as shipped), run with OTEL_SDK_DISABLED=true
#   otelgen      the same build, tracing on: rules/amqp091, a "send" span
#                per message published and a "process" span per delivery,
#                from its arrival to its Ack
#
# There is no hand-written peer to compare with: OpenTelemetry's contrib
# has no instrumentation of amqp091-go, nor does the library ship one.
#
# The server is a real RabbitMQ node (Debian's rabbitmq-server, started
# from /usr/lib/rabbitmq/bin as testkit.RabbitMQ starts it) on loopback
# ports, its data in the temporary directory, started once; every run
# declares a server-named queue of its own. The traced build exports over
# OTLP/HTTP to a sink on 127.0.0.1 that reads and drops every request
# (bench/httpload's cmd/sink). Every configuration runs once per round, in
# ROUNDS interleaved rounds, each in a fresh process; the figures are
# medians of the wall time per message and of the program's CPU time (user
# + system, all its threads) per message, which a busy machine disturbs
# less. With PIN=on (taskset, at least 2 cores) the program runs on CPU 0,
# RabbitMQ and the sink on CPU 1.
#
#   bash bench/amqp.sh           # about 2 minutes on 2 cores, builds included
#
# It is a report, not a test: it exits 0 with its figures, 2 when a build,
# the server or a sanity check fails. It writes only to a temporary
# directory (removed on exit) and the go command's caches. Knobs: ROUNDS=5,
# N=10000 (messages per run, after WARMUP=1000 not measured), PIN=off|on,
# KEEP=1, PROFILE=DIR (a CPU profile of otelgen, in one more run).
set -euo pipefail

NAME=amqp LOAD=amqpload CMD=pubsub PEER="" UNIT=message SPANS=2
RABBIT=/usr/lib/rabbitmq/bin/rabbitmq-server
[[ -x $RABBIT ]] || { echo "amqp.sh: no $RABBIT (on Debian: apt-get install rabbitmq-server)" >&2; exit 2; }
rewritten() { compgen -G "$APP/_otel/mod/github.com/rabbitmq/amqp091-go@*/channel.go" >/dev/null; }
RABBITPID="" EPMD_PORT=""
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
server_up() {
	say "starting RabbitMQ"
	local port dist dir=$WORK/rabbitmq i
	port=$(freeport) EPMD_PORT=$(freeport) dist=$(freeport)
	mkdir -p "$dir"
	# A process group of its own (setsid), so that the script, the Erlang
	# VM and its helpers go together.
	env HOME="$dir" RABBITMQ_NODENAME="otelgenbench$port@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
		RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT="$dist" ERL_EPMD_PORT="$EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1 \
		RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
		RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
		RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
		"${CPU1[@]}" setsid "$RABBIT" >"$WORK/rabbitmq.log" 2>&1 &
	RABBITPID=$!
	export AMQP_URL="amqp://guest:guest@127.0.0.1:$port/"
	for ((i = 0; i < 450; i++)); do
		"$BIN/plain" -n 1 -warmup 0 >/dev/null 2>&1 && return
		kill -0 "$RABBITPID" 2>/dev/null || die "rabbitmq-server ended: $(tail -20 "$WORK/rabbitmq.log")"
		sleep 0.2
	done
	die "RabbitMQ not ready in 90 s: $(tail -20 "$WORK/rabbitmq.log")"
}
server_down() {
	[[ -n $RABBITPID ]] || return 0
	kill -KILL -- "-$RABBITPID" 2>/dev/null || true
	wait "$RABBITPID" 2>/dev/null || true
	RABBITPID=""
	# The port mapper left the group; it stops only once no node is on it,
	# a moment after the node's VM is gone.
	local i
	for ((i = 0; i < 50; i++)); do
		[[ $(ERL_EPMD_PORT=$EPMD_PORT epmd -port "$EPMD_PORT" -kill 2>&1) != Killed ]] || break
		sleep 0.1
	done
}
run_before() { :; }
run_after() { :; }
describe() { echo "RabbitMQ $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null || echo '?'), amqp091-go $(cd "$APP" && go list -m -f '{{.Version}}' github.com/rabbitmq/amqp091-go)"; }
# shellcheck source=msgbench.sh
source "$(dirname "${BASH_SOURCE[0]}")/msgbench.sh"
