#!/usr/bin/env bash
# Checks that `quilt push -a` applies `series` cleanly to the base, in a throwaway
# checkout of the base commit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1 ||
	die "no base tree at $SRC (run ci/base-tree.sh)"
wt=$BUILD/quilt
git -C "$SRC" worktree remove -f "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$SRC" worktree prune
git -C "$SRC" worktree add -q --detach "$wt" base
trap 'git -C "$SRC" worktree remove -f "$wt" >/dev/null 2>&1 || true' EXIT
cd "$wt"
if [[ -z $(series_patches) ]]; then
	log "series is empty: nothing for quilt to push"
	exit 0
fi
out=$(QUILT_PATCHES=$PATCHES QUILT_SERIES=$SERIES quilt push -a --fuzz=0 2>&1) || {
	grep -m3 -E 'Applying|FAILED|fail|rej' <<<"$out" >&2 || true
	die "quilt push -a failed: $(tail -n 1 <<<"$out")"
}
log "quilt: $(tail -n 1 <<<"$out")"
