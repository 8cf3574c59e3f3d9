#!/usr/bin/env bash
# Runs the kernel's `scripts/checkpatch.pl --strict` on each patch in `series`, in the patched
# tree (so its tree checks, SPDX included, run too), exactly as a reviewer would; fails unless
# a patch reports 0 errors, 0 warnings and 0 checks. One warning is accepted, and counted: the
# tree has no upstream history, so checkpatch cannot look up the commit of a Fixes: tag
# (UNKNOWN_COMMIT_ID); it is accepted for the ids in ci/upstream-commits, when the tag names
# the subject listed there. A second one is accepted, and named: a patch for stable without a
# Fixes: tag (MISSING_FIXES_TAG) when its stable tag says how far back the bug goes
# (`Cc: stable@vger.kernel.org # X.Y+`, as Documentation/process/stable-kernel-rules.rst
# allows), for a bug whose introducing commit is not known for certain.
# Usage: ci/checkpatch.sh [PATCH...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[[ -x $SRC/scripts/checkpatch.pl ]] || die "no kernel tree at $SRC (run ci/base-tree.sh)"
if (($#)); then
	patches=("$@")
else
	mapfile -t patches < <(series_patches)
fi
declare -A upstream=()
while read -r id subject; do
	[[ -z $id || $id == \#* ]] || upstream[$id]=$subject
done <"$TOP/ci/upstream-commits"

bad=0
for p in "${patches[@]}"; do
	f=$p
	[[ -f $f ]] || f=$PATCHES/$p
	f=$(realpath "$f")
	# Debian's python3 first (python3-ply, python3-git), should PATH start with another one.
	out=$(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict "$f" 2>&1) || true
	problems=() accepted=()
	# A helper of checkpatch that did not run (e.g. spdxcheck.py without python3-ply).
	if grep -q '^Traceback' <<<"$out"; then
		problems+=("a checkpatch helper failed: $(grep -m1 'Error' <<<"$out")")
	fi
	# A Fixes: tag, or a citation in the text (`commit ID ("SUBJECT")`, the subject
	# possibly wrapped): the subject must be the listed one.
	flat=$(sed -n '/^Subject: /,/^---$/p' "$f" | tr '\n' ' ' | tr -s ' ')
	while read -r id; do
		want=${upstream[$id]:-}
		if [[ -z $want ]]; then
			problems+=("commit $id is not in ci/upstream-commits")
		elif ! grep -qxF "Fixes: $id (\"$want\")" "$f" && [[ $flat != *"$id (\"$want\")"* ]]; then
			problems+=("commit $id is not cited as \"$want\"")
		else
			accepted+=("UNKNOWN_COMMIT_ID $id (listed in ci/upstream-commits; no history here)")
		fi
	done < <(sed -n "s/^WARNING: Unknown commit id '\([0-9a-f]*\)'.*/\1/p" <<<"$out")
	if grep -q "^WARNING: The commit message has 'stable@', perhaps it also needs a 'Fixes:' tag" \
		<<<"$out"; then
		if grep -qE '^Cc: stable@vger\.kernel\.org # [0-9]+\.[0-9]+\+$' "$f"; then
			accepted+=("MISSING_FIXES_TAG (the stable tag is bounded by version)")
		else
			problems+=("a stable tag without Fixes: and without a '# X.Y+' bound")
		fi
	fi
	total=$(grep -m1 '^total:' <<<"$out" || echo 'total: (no summary)')
	[[ $total == "total: 0 errors, ${#accepted[@]} warnings, 0 checks,"* ]] ||
		problems+=("$total")
	if ((${#problems[@]})); then
		printf '%s\n' "$out"
		printf 'checkpatch: %s: not clean: %s\n' "$p" "$(IFS=';' && echo "${problems[*]}")"
		bad=1
	elif ((${#accepted[@]})); then
		printf 'checkpatch: %s: clean but for %s\n' "$p" "$(IFS=';' && echo "${accepted[*]}")"
	else
		printf 'checkpatch: %s: clean\n' "$p"
	fi
done
exit "$bad"
