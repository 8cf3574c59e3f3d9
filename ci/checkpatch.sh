#!/usr/bin/env bash
# Runs checkpatch.pl --strict on each patch in `series`; fails unless every patch reports
# 0 errors, 0 warnings and 0 checks. Usage: ci/checkpatch.sh [PATCH...]
# One test is left out: the base is a release tarball without upstream history, so
# checkpatch cannot look up the commit ids of Fixes: tags in it (UNKNOWN_COMMIT_ID). Run it
# in a clone of the stable tree to have them checked too.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[[ -x $SRC/scripts/checkpatch.pl ]] || die "no kernel tree at $SRC (run ci/base-tree.sh)"
if (($#)); then
	patches=("$@")
else
	mapfile -t patches < <(series_patches)
fi
bad=0
for p in "${patches[@]}"; do
	f=$p
	[[ -f $f ]] || f=$PATCHES/$p
	out=$(cd "$SRC" && ./scripts/checkpatch.pl --strict --no-tree --ignore UNKNOWN_COMMIT_ID --showfile -q "$f" 2>&1) || true
	if [[ -n $out ]]; then
		printf '%s\n' "$out"
		printf 'checkpatch: %s: not clean\n' "$p"
		bad=1
	else
		printf 'checkpatch: %s: clean\n' "$p"
	fi
done
exit "$bad"
