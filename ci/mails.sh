#!/usr/bin/env bash
# Renders the tree's series as mails the way a kernel developer posts them, offline, and
# proves that they are what was tested. In the patched tree (branch series):
#   b4 prep: a prep branch "mail" enrolled at the base, the cover letter (the tree's
#     PATCHES/0000-cover-letter.patch, subject and text) as its first commit, the change-id
#     MAIL_CHANGE_ID of ci/trees/$TREE.conf, To/Cc from the tree's own get_maintainer.pl
#     (b4 prep --auto-to-cc);
#   b4 send -o OUTDIR: the mails, written and not sent (no network, nothing signed);
#   round trip: the mails, applied with b4 am and git am onto the base, give exactly the
#     tree the tests ran on (branch series).
# The poster is whoever `git config user.name` and `user.email` name in this repository.
# The To/Cc list must match the tree's MAINTAINERS snippet (MAIL_SNIPPET).
# Usage: ci/mails.sh [OUTDIR]   (default: build/mails, build/TREE/mails for other trees)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$(realpath -m "${1:-$TREE_BUILD/mails}")
cover=$PATCHES/0000-cover-letter.patch
[[ -f $cover ]] || die "no cover letter $cover"
mapfile -t patches < <(series_patches | grep -v '^0000-')
git -C "$SRC" rev-parse -q --verify series >/dev/null || die "no branch series in $SRC (run ci/apply.sh)"
n=$(git -C "$SRC" rev-list --count base..series)
((n == ${#patches[@]})) || die "$SRC has $n commits over base, the series ${#patches[@]} (run ci/apply.sh)"

name=$(git -C "$TOP" config user.name || true)
email=$(git -C "$TOP" config user.email || true)
[[ -n $name && -n $email ]] ||
	die "set the poster's identity: git config user.name NAME; git config user.email ADDR"

# The cover letter: its subject (without the [PATCH 00/N] prefix) and the text above the
# shortlog.
subject=$(awk '/^Subject: / { s = $0; while ((getline l) > 0 && l ~ /^ /) s = s l; print s; exit }' \
	"$cover" | sed 's/^Subject: \[PATCH[^]]*\] //')
body=$(awk 'NR > 1 && !hdr && /^$/ { hdr = 1; next } hdr && /^[^ ].* \([0-9]+\):$/ { exit }
	hdr' "$cover")
[[ -n $subject && -n $body ]] || die "cannot read subject and text from $cover"
work=$(mktemp -d)
trap 'rm -rf "$work"; git -C "$SRC" checkout -q -f series' EXIT
printf '%s\n\n%s\n' "$subject" "$body" >"$work/cover"

cd "$SRC"
git config user.name "$name"
git config user.email "$email"
git config sendemail.smtpserver /usr/sbin/sendmail
git checkout -q -f -B mail series
git config --remove-section branch.mail 2>/dev/null || true
b4 prep -e base >"$work/b4.log" 2>&1 || die "b4 prep -e base failed: $(tail -n 1 "$work/b4.log")"
EDITOR="cp $work/cover" b4 prep --edit-cover >>"$work/b4.log" 2>&1 ||
	die "b4 prep --edit-cover failed: $(tail -n 1 "$work/b4.log")"
# A stable change-id: every rendering of this series is the same series to b4 and lore.
first=$(git rev-list --reverse base..mail | sed -n 1p)
git log -1 --format=%B "$first" |
	sed "s/\"change-id\": \"[^\"]*\"/\"change-id\": \"$MAIL_CHANGE_ID\"/" >"$work/cover.msg"
newcover=$(git "${GIT_ID[@]}" commit-tree -p base -F "$work/cover.msg" "base^{tree}")
git "${GIT_ID[@]}" rebase -q --onto "$newcover" "$first" mail
((MAIL_REVISION == 1)) || b4 prep --force-revision "$MAIL_REVISION" >>"$work/b4.log" 2>&1 ||
	die "b4 prep --force-revision $MAIL_REVISION failed: $(tail -n 1 "$work/b4.log")"
((${#MAIL_PREFIXES[@]} == 0)) || b4 prep --set-prefixes "${MAIL_PREFIXES[@]}" >>"$work/b4.log" 2>&1
b4 prep --auto-to-cc >>"$work/b4.log" 2>&1 || die "b4 prep --auto-to-cc failed: $(tail -n 1 "$work/b4.log")"
rm -rf "$out"
b4 send -o "$out" --no-sign >>"$work/b4.log" 2>&1 || die "b4 send -o failed: $(tail -n 1 "$work/b4.log")"
count=$(find "$out" -name '*.eml' | wc -l)
((count == ${#patches[@]} + 1)) || die "b4 send wrote $count mails, want $((${#patches[@]} + 1))"
! grep -l 'EDITME' "$out"/*.eml >/dev/null || die "the cover letter kept b4's EDITME placeholders"

# To/Cc of the cover letter against the tree's MAINTAINERS snippet.
addrs() {
	python3 -c 'import email, email.utils, sys
m = email.message_from_file(open(sys.argv[1]))
for n, a in email.utils.getaddresses(m.get_all("To", []) + m.get_all("Cc", [])):
    print(email.utils.formataddr((n, a)) if n else a)' "$1" | sort -u
}
cover_mail=$(find "$out" -name '0000-*.eml' | sed -n 1p)
want=$(sed -n '/^# To\/Cc$/,$p' "$MAIL_SNIPPET" 2>/dev/null | sed -n 's/^\(To\|Cc\): //p' | sort -u)
have=$(addrs "$cover_mail" | grep -vxF "$name <$email>" || true)
printf '%s\n' "$have" >"$out/to-cc.txt"
[[ $have == "$want" ]] || die "the To/Cc of the mails are not $MAIL_SNIPPET's (ci/maintainers-snippet.sh rewrites it):
$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$have") || true)"

# Round trip: what reviewers get, applied onto the base, is the tree that was tested.
# An mbox of the mails as a list archive keeps them: each after a From_ line, headers
# unfolded (b4 0.12's am cannot take a folded From:), body lines starting with From quoted.
for m in "$out"/*.eml; do
	echo "From mboxrd@z Thu Jan  1 00:00:00 1970"
	awk 'body { sub(/^>*From /, ">&"); print; next }
		/^$/ { if (h != "") print h; body = 1; print; next }
		/^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next }
		{ if (h != "") print h; h = $0 }' "$m"
	echo
done >"$out/all.mbox"
msgid=$(sed -n 's/^Message-Id: <\(.*\)>$/\1/p' "$cover_mail" | sed -n 1p)
mkdir -p "$work/am"
(cd "$work" && b4 am -m "$out/all.mbox" -o "$work/am" "$msgid" >>"$work/b4.log" 2>&1) ||
	die "b4 am of the rendered mails failed: $(tail -n 1 "$work/b4.log")"
mbx=$(find "$work/am" -name '*.mbx' | sed -n 1p)
[[ -f $mbx ]] || die "b4 am wrote no mbox"
# A sparse checkout of the files the series touches: git am needs no more, and the
# resulting commit still records the whole tree.
git worktree add -q --detach --no-checkout "$work/rt" base
mapfile -t touched < <(git diff --name-only base series | sed 's|^|/|')
git -C "$work/rt" sparse-checkout set --no-cone "${touched[@]}" >/dev/null 2>&1
git -C "$work/rt" checkout -q --detach base
git -C "$work/rt" "${GIT_ID[@]}" am -q "$mbx" || die "git am of b4 am's mbox onto the base failed"
got=$(git -C "$work/rt" rev-parse 'HEAD^{tree}') want=$(git rev-parse 'series^{tree}')
git worktree remove -f "$work/rt"
[[ $got == "$want" ]] || die "round trip: the mails applied onto the base give tree $got, the tests ran on $want"
log "$count mails in $out (b4 send -o), To/Cc: $(wc -l <<<"$have") addresses as in" \
	"$(basename "$MAIL_SNIPPET"); round trip: b4 am + git am onto the base = the tested tree"
