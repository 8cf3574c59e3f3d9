#!/usr/bin/env bash
# Runs the scenarios of selftests/long.list (too long for ci/test.sh) on the test kernel.
# Results: build/results-long. Ends with `N passed, N failed`.
# Usage: ci/long-tests.sh [NAME...]   (default: every scenario of the list)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

names=("$@")
((${#names[@]})) || mapfile -t names < <(grep -v '^#' "$TOP/selftests/long.list")
"$TOP/ci/build.sh" test >/dev/null
"$TOP/ci/initramfs.sh" >/dev/null
passed=0 failed=0
for name in "${names[@]}"; do
	if "$TOP/ci/run-scenario.sh" -o "$BUILD/results-long" "$name"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
