#!/usr/bin/env bash
# Makes the three kernels ci/bench.sh compares, none of them a debug kernel: the patched 6.1
# (build/linux, applied with ci/apply.sh when it is not yet) and the unpatched 6.1 base (a
# worktree of its own, build/linux-bench-base at tag "base"), both built as the `bench`
# variant of ci/build.sh (tinyconfig + base, hotplug and dax fragments), and Debian's 6.12
# (ci/bench-debian.sh). Prints the three image paths, unpatched, patched, Debian.
# Usage: ci/bench-kernels.sh [--no-debian]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

debian=1
[[ ${1:-} == --no-debian ]] && debian=0

"$TOP/ci/deps.sh"
"$TOP/ci/base-tree.sh"
# Apply only when the tree does not carry the series yet: re-applying touches every file of
# the series and makes other builds in the tree recompile.
n=$(series_patches | wc -l)
if [[ $(git -C "$SRC" symbolic-ref -q --short HEAD) != series ]] ||
	[[ $(git -C "$SRC" rev-list --count base..series) != "$n" ]]; then
	"$TOP/ci/apply.sh"
fi

wt=$BUILD/linux-bench-base
base=$(git -C "$SRC" rev-parse base)
if [[ $(git -C "$wt" rev-parse -q --verify HEAD 2>/dev/null) != "$base" ]]; then
	git -C "$SRC" worktree remove -f "$wt" >/dev/null 2>&1 || rm -rf "$wt"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" base
fi

patched=$(nice -n 5 "$TOP/ci/build.sh" bench "$SRC" | tail -n 1)
unpatched=$(nice -n 5 "$TOP/ci/build.sh" bench "$wt" | tail -n 1)
printf '%s\n' "$unpatched" "$patched"
((debian == 0)) || "$TOP/ci/bench-debian.sh" | tail -n 1
