#!/usr/bin/env bash
# The main job: installs what is missing, applies `series` to the 6.1 base, builds the test
# kernel and initramfs, boots every scenario in selftests/ under QEMU and prints the results
# table. Exits non-zero when a scenario does not pass.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/ci/deps.sh"
"$TOP/ci/base-tree.sh"
"$TOP/ci/apply.sh"
kernel=$("$TOP/ci/build.sh" test | tail -n 1)
unpatched=$("$TOP/ci/build.sh" test "$("$TOP/ci/base-worktree.sh")" | tail -n 1)
initrd=$("$TOP/ci/initramfs.sh" | tail -n 1)
mapfile -t names < <(tree_scenarios)
rm -f "$TREE_BUILD/results/results.tsv"
rc=0
"$TOP/ci/run-scenario.sh" -k "$kernel" -u "$unpatched" -i "$initrd" "${names[@]}" || rc=$?
echo
"$TOP/ci/results-table.sh"
exit "$rc"
