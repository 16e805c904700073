#!/usr/bin/env bash
# bench/gin.sh measures a gin server (bench/httpload/cmd/gin: GET
# /hello/:name behind gin.Recovery) under load over loopback, in one
# session, and prints ratios, as bench/http.sh does for net/http (its
# knobs apply): plain (go build), otelgen (otelgen generate + go build
# -overlay: net/http's SERVER span named after gin's route), with
# OTEL_SDK_DISABLED=true and with tracing on, and otelgin by hand
# (cmd/otelgin: otelgin.Middleware, the SDK set up as rules/sdk does).
# In the report, "otelhttp" names the otelgin build.
#
#   bash bench/gin.sh                      # about 5.5 minutes on 2 cores
set -euo pipefail
SERVER=./cmd/gin CONTRIB=otelgin WHAT=gin exec bash "$(dirname "${BASH_SOURCE[0]}")/http.sh" "$@"
