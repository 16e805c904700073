#!/usr/bin/env bash
# bench/fiber.sh measures a fiber v2 server (bench/httpload/cmd/fiber: GET
# /hello/:name behind the recover middleware) under load over loopback, in
# one session, and prints ratios, as bench/http.sh does for net/http (its
# knobs apply): plain (go build), otelgen (otelgen generate + go build
# -overlay: rules/fasthttp's SERVER span named after fiber's route by
# rules/fiber), with OTEL_SDK_DISABLED=true and with tracing on, and
# otelfiber by hand (cmd/otelfiber: gofiber/contrib's otelfiber.Middleware,
# the SDK set up as rules/sdk does). In the report, "otelhttp" names the
# otelfiber build.
#
#   bash bench/fiber.sh                    # about 5.5 minutes on 2 cores
set -euo pipefail
SERVER=./cmd/fiber CONTRIB=otelfiber WHAT="fiber v2" REWRITTEN='mod/github.com/gofiber/fiber/v2@*/router.go' \
	exec bash "$(dirname "${BASH_SOURCE[0]}")/http.sh" "$@"
