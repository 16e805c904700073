#!/usr/bin/env bash
# Runs go vet and go test in every module of this repository: otelgen itself,
# gls-runtime, each integration under rules/ and its tests (rules/*/test, a
# module of their own, so that the kit's requirements stay out of the
# integration's), testkit and e2e. Arguments go to go test: "bash test.sh
# -short" skips every build of an instrumented program.
#
# OTELGEN_TEST_MODULES, a space-separated list of module directories, tests
# only those (CI's second Go release, for instance).
#
# Modules are tested OTELGEN_TEST_JOBS at a time (default 2): much of an
# integration test is waiting for go list, the linker or a server, which a
# second module's build fills. The longest ones (e2e, otelgen itself, then
# the other end-to-end modules) start first, so that none of them runs alone
# at the end. Each module's output is printed whole when it ends.
#
# go vet runs first, with every analyzer; go test's own vet step runs a
# subset of them on the same packages, so it is turned off (-vet=off) rather
# than run twice.
set -uo pipefail
cd "$(dirname "$0")"
export GOWORK=off
jobs=${OTELGEN_TEST_JOBS:-2}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

mods=()
for mod in ${OTELGEN_TEST_MODULES:-e2e . e2e/*/ examples/*/test/ gls-runtime rules/*/ rules/*/test/ testkit}; do
	mod=${mod%/}
	[ -f "$mod/go.mod" ] && mods+=("$mod")
done

# test_module runs in a subshell; its status is in $logs/<n>.rc.
test_module() {
	local n=$1 mod=$2
	shift 2
	{
		echo "== $mod"
		# e2e builds dozens of instrumented programs: more than go test's
		# default 10 minutes on a loaded 2-core machine. A -timeout in the
		# arguments comes later and wins.
		(cd "$mod" && go vet ./... && go test -timeout 45m -vet=off "$@" ./...)
		echo $? >"$logs/$n.rc"
	} >"$logs/$n.log" 2>&1
}

failed=()
declare -A printed=()
# flush prints the logs of the modules that have ended since the last call.
flush() {
	local n
	for n in "${!mods[@]}"; do
		if [ -z "${printed[$n]:-}" ] && [ -f "$logs/$n.rc" ]; then
			cat "$logs/$n.log"
			[ "$(cat "$logs/$n.rc")" = 0 ] || failed+=("${mods[$n]}")
			printed[$n]=1
		fi
	done
}
for i in "${!mods[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
		flush
	done
	test_module "$i" "${mods[$i]}" "$@" &
done
wait
flush
if [ ${#failed[@]} -gt 0 ]; then
	echo "FAIL in: ${failed[*]}"
	exit 1
fi
