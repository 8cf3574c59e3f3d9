#!/usr/bin/env bash
# Applies the tree's bench-only patches (TEST_PATCHES in ci/trees/TREE.conf) to a kernel tree's
# working copy (default: the patched tree, build/linux), so that its test kernels, patched and
# unpatched alike, have what the bench needs and the base lacks. They are not part of the
# series: they are never committed, and every `git checkout -f` in the tree (ci/apply.sh,
# ci/bisect-build.sh, ci/mails.sh) drops them again, which is why ci/build.sh calls this before
# every build. A patch that is already applied is left alone; one that applies neither way
# stops the run, naming it and git's reason.
# Usage: ci/test-patches.sh [TREE [PATCH...]]   (PATCH...: instead of the tree's; the bench's
# own checks use it)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=${1:-$SRC}
(($# < 2)) || TEST_PATCHES=("${@:2}")
[[ -f $tree/Makefile ]] || die "no kernel tree at $tree"
((${#TEST_PATCHES[@]})) || exit 0
# git apply works on paths relative to the repository's top: a tree that is not the top of its
# own repository would make every check pass and nothing apply.
top=$(git -C "$tree" rev-parse --show-toplevel 2>/dev/null) || die "$tree is not a git tree"
[[ $(realpath "$top") == "$(realpath "$tree")" ]] ||
	die "$tree is not the top of its git tree ($top): cannot apply the bench-only patches"
for p in "${TEST_PATCHES[@]}"; do
	[[ -f $p ]] || die "bench-only patch $p does not exist"
	if git -C "$tree" apply --check -R "$p" 2>/dev/null; then
		continue
	fi
	if ! err=$(git -C "$tree" apply "$p" 2>&1); then
		die "bench-only patch $(basename "$p") does not apply to $tree: $(head -n 1 <<<"$err")"
	fi
	log "applied bench-only $(basename "$p") to $tree"
done
