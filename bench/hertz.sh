#!/usr/bin/env bash
# bench/hertz.sh measures a Hertz server (bench/httpload/cmd/hertz: GET
# /hello/:name behind the recovery middleware, on netpoll) under load over
# loopback, in one session, and prints ratios, as bench/http.sh does for
# net/http (its knobs apply): plain (go build), otelgen (otelgen generate +
# go build -overlay: rules/hertz's SERVER span), with OTEL_SDK_DISABLED=true
# and with tracing on, and obs-opentelemetry by hand (cmd/otelhertz:
# hertz-contrib/obs-opentelemetry's server tracer and middleware, the SDK set
# up as rules/sdk does). In the report, "otelhttp" names the otelhertz build.
#
#   bash bench/hertz.sh                    # about 5.5 minutes on 2 cores
set -euo pipefail
SERVER=./cmd/hertz CONTRIB=otelhertz WHAT=hertz REWRITTEN='mod/github.com/cloudwego/hertz@*/pkg/route/engine.go' \
	exec bash "$(dirname "${BASH_SOURCE[0]}")/http.sh" "$@"
