#!/usr/bin/env bash
# Resets build/linux to its base and applies the patches in `series` with git am, one commit
# each, on branch "series". A patch that does not apply stops the run, naming it and the hunk.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1 ||
	die "no base tree at $SRC (run ci/base-tree.sh)"
[[ -f $SERIES ]] || die "series file $SERIES does not exist"
cd "$SRC"
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B series base
n=0
while read -r p; do
	[[ -f $PATCHES/$p ]] || die "series lists $p, which is not in $PATCHES"
	if ! out=$(git "${GIT_ID[@]}" am -q "$PATCHES/$p" 2>&1); then
		git am --abort >/dev/null 2>&1 || true
		hunk=$(grep -m1 -E 'patch failed|does not apply|corrupt|error' <<<"$out" || true)
		die "$p does not apply: ${hunk#error: }"
	fi
	n=$((n + 1))
done < <(series_patches)
log "applied $n patch(es) on $(git describe --tags --always base)"
