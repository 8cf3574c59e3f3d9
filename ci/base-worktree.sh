#!/usr/bin/env bash
# Makes linux-base beside the tree (build/linux-base for 6.1) a checkout of its unpatched base
# (tag "base"), for building the unpatched kernel with the same config
# (ci/build.sh test "$(ci/base-worktree.sh)"). Prints the checkout's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

wt=$BASE_WT
git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1 ||
	die "no base tree at $SRC (run ci/base-tree.sh)"
if [[ $(git -C "$wt" rev-parse -q --verify HEAD 2>/dev/null) != "$(git -C "$SRC" rev-parse base)" ]]; then
	git -C "$SRC" worktree remove -f "$wt" >/dev/null 2>&1 || rm -rf "$wt"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" base
fi
printf '%s\n' "$wt"
