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
run_each -o "$TREE_BUILD/results-long" -- "${names[@]}"
