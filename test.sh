#!/usr/bin/env bash
# Runs go vet and go test in every module of this repository: otelgen itself,
# gls-runtime, each integration under rules/ and its tests (rules/*/test, a
# module of their own, so that the kit's requirements stay out of the
# integration's), testkit and e2e. Arguments go
# to go test: "bash test.sh -short" skips every build of an instrumented
# program.
set -uo pipefail
cd "$(dirname "$0")"
export GOWORK=off
failed=()
for mod in . gls-runtime rules/*/ rules/*/test/ testkit e2e; do
	mod=${mod%/}
	[ -f "$mod/go.mod" ] || continue
	echo "== $mod"
	# e2e builds dozens of instrumented programs: more than go test's
	# default 10 minutes on a loaded 2-core machine. A -timeout in the
	# arguments comes later and wins.
	(cd "$mod" && go vet ./... && go test -timeout 45m "$@" ./...) || failed+=("$mod")
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "FAIL in: ${failed[*]}"
	exit 1
fi
