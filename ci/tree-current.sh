#!/usr/bin/env bash
# Prints the exact trees the series is tested on, and fails when Debian has moved on: when the
# suite that carries the base or a release of ci/trees/$TREE.conf has a newer linux-source
# (a newer version of the package, or a package of a later kernel). Rebasing is then real
# work: do it, retest, and change the pins. Trees from the machine's own apt sources (6.1 on
# Debian 12) are pinned to what Debian 12 carries and are only printed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stale=0
for spec in "$BASE_PKG=$BASE_PKG_VERSION${BASE_SUITE:+@$BASE_SUITE}" "${RELEASES[@]}"; do
	deb=$("$TOP/ci/fetch-tree.sh" "$spec" | tail -n 1)
	pkg=$(dpkg-deb -f "$deb" Package) version=$(dpkg-deb -f "$deb" Version)
	suite=${spec#*@}
	[[ $spec == *@* ]] || suite=
	printf 'tree %s: %s %s%s\n' "$TREE" "$pkg" "$version" "${suite:+ (Debian $suite)}"
	[[ -n $suite ]] || continue
	private_apt "$suite"
	# The newest linux-source-X.Y in the suite and its version.
	newest=$(apt-cache "${APT_OPTS[@]}" search --names-only '^linux-source-[0-9]+\.[0-9]+$' |
		awk '{ print $1 }' | sort -V | tail -n 1)
	[[ -n $newest ]] || die "Debian $suite has no linux-source package"
	newest="$newest $(apt-cache "${APT_OPTS[@]}" madison "$newest" | awk 'NR == 1 { print $3 }')"
	if [[ $newest != "$pkg $version" ]]; then
		printf 'tree %s: Debian %s has moved on to %s; the series is tested on %s %s:' \
			"$TREE" "$suite" "$newest" "$pkg" "$version"
		printf ' rebase it and update ci/trees/%s.conf\n' "$TREE"
		stale=1
	fi
done
exit "$stale"
