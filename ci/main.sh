#!/usr/bin/env bash
# The main job: installs what is missing, applies the tree's series to its base, builds the
# test kernel (and the unpatched one, for the baselines) and the initramfs, boots every
# scenario of the tree under QEMU (the kselftests run inside) but the long ones
# (selftests/long.list: ci/long-tests.sh), and prints the results table. Exits non-zero when a
# scenario does not pass. Usage: [TREE=6.1|mainline] ci/main.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/ci/deps.sh"
"$TOP/ci/base-tree.sh"
"$TOP/ci/apply.sh"
kernel=$("$TOP/ci/build.sh" test | tail -n 1)
unpatched=$("$TOP/ci/build.sh" test "$("$TOP/ci/base-worktree.sh")" | tail -n 1)
initrd=$("$TOP/ci/initramfs.sh" | tail -n 1)
mapfile -t names < <(tree_scenarios | grep -vxF -f <(grep -v '^#' "$TOP/selftests/long.list"))
rm -f "$TREE_BUILD/results/results.tsv"
rc=0
"$TOP/ci/run-scenario.sh" -k "$kernel" -u "$unpatched" -i "$initrd" "${names[@]}" || rc=$?
echo
"$TOP/ci/results-table.sh"
exit "$rc"
