#!/usr/bin/env bash
# Applies the tree's bench-only patches (TEST_PATCHES in ci/trees/TREE.conf) to a kernel tree's
# working copy (default: the patched tree, build/linux), so that its test kernels, patched and
# unpatched alike, have what the bench needs and the base lacks. They are not part of the
# series: they are never committed, and ci/apply.sh's checkout drops them. A patch that is
# already applied is left alone; one that applies neither way stops the run, naming it.
# Usage: ci/test-patches.sh [TREE]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=${1:-$SRC}
[[ -f $tree/Makefile ]] || die "no kernel tree at $tree"
for p in "${TEST_PATCHES[@]}"; do
	[[ -f $p ]] || die "bench-only patch $p does not exist"
	if git -C "$tree" apply --check -R "$p" 2>/dev/null; then
		continue
	fi
	git -C "$tree" apply --check "$p" 2>/dev/null ||
		die "bench-only patch $(basename "$p") does not apply to $tree"
	git -C "$tree" apply "$p"
	log "applied bench-only $(basename "$p") to $tree"
done
