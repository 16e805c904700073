#!/usr/bin/env bash
# The store example: build otelgen, instrument examples/store, build it with
# the overlay and run it against PostgreSQL and Redis, printing its spans to
# the console (no collector needed). Unless DATABASE_URL and REDIS_ADDR say
# where to find them, it starts a throwaway PostgreSQL and redis-server on
# free loopback ports, with their data in a temporary directory, and stops
# them on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# Find the servers first: a missing one is one line, before any build.
pgbin=""
if [ -z "${DATABASE_URL:-}" ]; then
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -rn) "$(dirname "$(command -v postgres 2>/dev/null || echo /nonexistent/x)")"; do
		if [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			pgbin="$d"
			break
		fi
	done
	if [ -z "$pgbin" ]; then
		echo "run.sh: PostgreSQL is not installed (on Debian: apt-get install postgresql), or set DATABASE_URL" >&2
		exit 1
	fi
fi
redisbin=""
if [ -z "${REDIS_ADDR:-}" ]; then
	if ! redisbin="$(command -v redis-server)"; then
		echo "run.sh: redis-server is not installed (on Debian: apt-get install redis-server), or set REDIS_ADDR" >&2
		exit 1
	fi
fi

tmp="$(mktemp -d)"
chmod 755 "$tmp" # the postgres user must reach its data directory inside
bin="$tmp/bin"
mkdir "$bin"
pgdata=""
redispid=""
# PostgreSQL refuses to run as root: as root, its programs run as the user
# postgres that Debian's package creates.
pgrun() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
cleanup() {
	if [ -n "$redispid" ]; then
		kill "$redispid" 2>/dev/null || true
		wait "$redispid" 2>/dev/null || true
	fi
	if [ -n "$pgdata" ]; then
		pgrun "$pgbin/pg_ctl" -D "$pgdata" -m immediate -s stop >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# freeport prints a loopback port that nothing listens on now.
freeport() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	echo "run.sh: no free loopback port" >&2
	exit 1
}

echo "== go build ./cmd/otelgen"
(cd "$root" && go build -o "$bin/otelgen" ./cmd/otelgen)

echo "== otelgen generate   (in examples/store)"
"$bin/otelgen" -C "$here" generate

echo "== go build -overlay=\$PWD/_otel/overlay.json"
(cd "$here" && go build -overlay="$here/_otel/overlay.json" -o "$bin/store" .)
(cd "$root" && go build -o "$bin/traceview" ./examples/traceview)

if [ -n "$pgbin" ]; then
	port=$(freeport)
	echo "== postgres   (127.0.0.1:$port, data in a temporary directory)"
	mkdir "$tmp/pg"
	[ "$(id -u)" = 0 ] && chown postgres: "$tmp/pg"
	pgrun "$pgbin/initdb" -D "$tmp/pg/data" -U postgres -A trust -E UTF8 --no-sync >"$tmp/initdb.log" 2>&1 ||
		{ cat "$tmp/initdb.log" >&2; exit 1; }
	pgdata="$tmp/pg/data"
	pgrun "$pgbin/pg_ctl" -D "$pgdata" -l "$tmp/pg/log" -w -s \
		-o "-p $port -k $tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off" start ||
		{ cat "$tmp/pg/log" >&2; exit 1; }
	export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
fi
if [ -n "$redisbin" ]; then
	port=$(freeport)
	echo "== redis-server   (127.0.0.1:$port, no persistence)"
	mkdir "$tmp/redis"
	"$redisbin" --bind 127.0.0.1 --port "$port" --dir "$tmp/redis" --save '' --appendonly no \
		--daemonize no --logfile "$tmp/redis/log" &
	redispid=$!
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && read -r -t 1 line <&3 && [ "${line%$'\r'}" = +PONG ]) 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	export REDIS_ADDR="127.0.0.1:$port"
fi

echo "== ./store   (OTEL_TRACES_EXPORTER=console)"
OTEL_TRACES_EXPORTER=console OTEL_METRICS_EXPORTER=none "$bin/store" | "$bin/traceview"
