#!/usr/bin/env bash
# Rewrites the tree's MAINTAINERS snippet (MAIL_SNIPPET of ci/trees/$TREE.conf): the
# MAINTAINERS sections of the base tree that cover the files the series touches, and the
# To/Cc list of the mails ci/mails.sh last rendered (OUTDIR/to-cc.txt), which ci/mails.sh
# then checks. Run it after a change to the series' files or to the Cc: trailers, and review
# the diff. Usage: ci/maintainers-snippet.sh [OUTDIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

list=$(realpath -m "${1:-$TREE_BUILD/mails}")/to-cc.txt
[[ -s $list ]] || die "no $list (run ci/mails.sh first)"
args=()
while read -r f; do
	args+=(-f "$f")
done < <(git -C "$SRC" diff --name-only base series)
{
	printf '# MAINTAINERS sections of %s that cover the files the series touches, and\n' \
		"$BASE_PKG $BASE_PKG_VERSION"
	printf '# the To/Cc list of its mails (b4 prep --auto-to-cc: get_maintainer.pl of the tree,\n'
	printf '# plus the Cc: trailers of the patches). Written by ci/maintainers-snippet.sh.\n\n'
	# Sections, as get_maintainer.pl prints them, but "THE REST" (every file).
	(cd "$SRC" && perl scripts/get_maintainer.pl --nogit --nogit-fallback --nokeywords --sections \
		"${args[@]}" 2>/dev/null) | awk -v RS= -v ORS='\n\n' '$0 !~ /^THE REST\n/ && !seen[$0]++'
	printf '\n# To/Cc\n'
	sed 's/^/Cc: /' "$list"
} >"$MAIL_SNIPPET.new"
mv "$MAIL_SNIPPET.new" "$MAIL_SNIPPET"
log "wrote $MAIL_SNIPPET ($(wc -l <"$list") addresses)"
