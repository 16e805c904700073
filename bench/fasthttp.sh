#!/usr/bin/env bash
# bench/fasthttp.sh measures a fasthttp server (bench/httpload/cmd/fasthttp:
# GET /hello/NAME, routed by hand) under load over loopback, in one session,
# and prints ratios, as bench/http.sh does for net/http (its knobs apply):
# plain (go build) and otelgen (otelgen generate + go build -overlay:
# rules/fasthttp's SERVER span), with OTEL_SDK_DISABLED=true and with
# tracing on. There is no hand-instrumented peer: OpenTelemetry's contrib
# has no fasthttp instrumentation and no maintained third-party middleware
# is served by the module proxy, so ratio 2 prints n/a.
#
#   bash bench/fasthttp.sh                 # about 4 minutes on 2 cores
set -euo pipefail
SERVER=./cmd/fasthttp CONTRIB= WHAT=fasthttp REWRITTEN='mod/github.com/valyala/fasthttp@*/server.go' \
	exec bash "$(dirname "${BASH_SOURCE[0]}")/http.sh" "$@"
