#!/usr/bin/env bash
# Runs every scenario again on the debug kernels: the kasan variant (the test kernel's
# lockdep, kmemleak with a scan forced at the end of each scenario, DEBUG_VM and the hung-task
# detector, plus generic KASAN) of the patched tree, and of the unpatched tree for the
# baselines that scenarios compare against. Scenarios in selftests/kasan-skip.list are left
# out, each with its reason, and so are the long ones (selftests/long.list). A scenario passes only with zero kernel reports (ci/grade.py).
# Results: build/results-kasan. Ends with `N passed, N failed`.
# Usage: ci/debug-all.sh [NAME...]   (default: every scenario)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$TREE_BUILD/results-kasan
names=("$@")
if ((${#names[@]} == 0)); then
	mapfile -t skip < <(grep -hv '^#' "$TOP/selftests/kasan-skip.list" "$TOP/selftests/long.list")
	mapfile -t names < <(tree_scenarios | grep -vxF -f <(printf '%s\n' "${skip[@]}"))
fi
kasan=$("$TOP/ci/build.sh" kasan | tail -n 1)
kasan_base=$("$TOP/ci/build.sh" kasan "$("$TOP/ci/base-worktree.sh")" | tail -n 1)
"$TOP/ci/initramfs.sh" >/dev/null

# KASAN under TCG runs the guests two to four times slower.
export TIMEOUT_SCALE=${TIMEOUT_SCALE:-4}
run_each -k "$kasan" -u "$kasan_base" -o "$out" -c "$KASAN_CMDLINE" -- "${names[@]}"
