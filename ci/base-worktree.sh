#!/usr/bin/env bash
# Makes build/linux-base a checkout of the unpatched base (tag "base" of build/linux), for
# building the unpatched 6.1 kernel with the same config (ci/build.sh test build/linux-base).
# Prints the tree's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

wt=$BUILD/linux-base
git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1 ||
	die "no base tree at $SRC (run ci/base-tree.sh)"
if [[ $(git -C "$wt" rev-parse -q --verify HEAD 2>/dev/null) != "$(git -C "$SRC" rev-parse base)" ]]; then
	git -C "$SRC" worktree remove -f "$wt" >/dev/null 2>&1 || rm -rf "$wt"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" base
fi
printf '%s\n' "$wt"
