#!/usr/bin/env bash
# Turns the series into mails ready for `git send-email` (offline, nothing is signed or sent):
# git format-patch on the patched tree, the cover letter's text from
# patches/0000-cover-letter.patch, To: the maintainers of the code the series changes (memory
# hotplug, mm, dax), Cc: everyone else scripts/get_maintainer.pl names for the patches. Checks
# that MAINTAINERS-snippet carries the same To/Cc list.
# Usage: ci/mails.sh [OUTDIR]   (default: build/mails); then: git send-email OUTDIR/*.patch
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:-$BUILD/mails}
cover=$PATCHES/0000-cover-letter.patch
mapfile -t patches < <(series_patches | grep -v '^0000-')
git -C "$SRC" rev-parse -q --verify base >/dev/null || die "no tag 'base' in $SRC (run ci/base-tree.sh)"
n=$(git -C "$SRC" rev-list --count base..HEAD)
((n == ${#patches[@]})) || die "$SRC has $n commits over base, the series ${#patches[@]} (run ci/apply.sh)"

getm() {
	(cd "$SRC" && perl scripts/get_maintainer.pl --nogit --nogit-fallback --norolestats "$@" \
		2>/dev/null)
}
# To: who takes the series; Cc: the other maintainers, reviewers and lists of touched files.
mapfile -t to < <(getm --nol --nor -f mm/memory_hotplug.c drivers/dax/kmem.c)
mapfile -t all < <(getm "${patches[@]/#/$PATCHES/}")
((${#to[@]} && ${#all[@]})) || die "scripts/get_maintainer.pl named nobody"
mapfile -t cc < <(printf '%s\n' "${all[@]}" | grep -vxF -f <(printf '%s\n' "${to[@]}"))

want=$( (printf 'To: %s\n' "${to[@]}" && printf 'Cc: %s\n' "${cc[@]}"))
have=$(sed -n '/^# To\/Cc$/,$p' "$TOP/MAINTAINERS-snippet" | grep -E '^(To|Cc): ')
[[ $have == "$want" ]] || die "MAINTAINERS-snippet's To/Cc list is not what get_maintainer.pl gives:
$(diff <(printf '%s\n' "$have") <(printf '%s\n' "$want") || true)"

# The cover letter: its subject (without the [PATCH 00/N] prefix) and the text above the
# shortlog, as the description of a branch that format-patch turns into patch 0.
subject=$(awk '/^Subject: / { s = $0; while ((getline l) > 0 && l ~ /^ /) s = s l; print s; exit }' \
	"$cover" | sed 's/^Subject: \[PATCH[^]]*\] //')
body=$(awk 'NR > 1 && !hdr && /^$/ { hdr = 1; next } hdr && /^[^ ].* \([0-9]+\):$/ { exit }
	hdr' "$cover")
[[ -n $subject && -n $body ]] || die "cannot read subject and text from $cover"
git -C "$SRC" branch -f mailout HEAD
git -C "$SRC" config branch.mailout.description "$subject

$body"

rm -rf "$out"
toargs=("${to[@]/#/--to=}")
ccargs=("${cc[@]/#/--cc=}")
git -C "$SRC" format-patch -q -o "$out" --thread=shallow --cover-letter \
	--cover-from-description=subject "${toargs[@]}" "${ccargs[@]}" base..mailout
count=$(find "$out" -name '*.patch' | wc -l)
((count == ${#patches[@]} + 1)) || die "format-patch wrote $count mails, want $((${#patches[@]} + 1))"
! grep -l '\*\*\* SUBJECT HERE \*\*\*\|\*\*\* BLURB HERE \*\*\*' "$out"/*.patch >/dev/null ||
	die "the cover letter kept format-patch's placeholders"
log "$count mails in $out, To: ${#to[@]}, Cc: ${#cc[@]} (send with: git send-email $out/*.patch)"
