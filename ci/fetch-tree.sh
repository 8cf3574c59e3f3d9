#!/usr/bin/env bash
# Downloads one Debian kernel source package and prints the path of its .deb (cached in
# build/apt/). Usage: ci/fetch-tree.sh PACKAGE=VERSION[@SUITE]
#   Without SUITE the machine's own apt sources are used. With one (experimental, sid) a
#   private apt configuration in build/apt/SUITE/ lists only that suite and only downloads:
#   the machine's apt sources and installed packages stay as they are.
# Fails, saying what Debian carries now, when the pinned version is no longer there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if (($# != 1)) || [[ $1 != ?*=?* ]]; then die "usage: $0 PACKAGE=VERSION[@SUITE]"; fi
spec=$1 suite=
[[ $spec != *@* ]] || suite=${spec#*@} spec=${spec%@*}
pkg=${spec%%=*} version=${spec#*=}
[[ $suite =~ ^[a-z-]*$ ]] || die "bad suite '$suite'"

dir=$APT_DIR/${suite:-default}
mkdir -p "$dir/lists/partial"
deb=$dir/${pkg}_${version//:/%3a}_all.deb
if [[ -f $deb ]]; then
	printf '%s\n' "$deb"
	exit 0
fi
private_apt "$suite"
if ! (cd "$dir" && apt-get "${APT_OPTS[@]}" -qq download "$pkg=$version" >"$dir/download.log" 2>&1); then
	now=$(apt-cache "${APT_OPTS[@]}" policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	die "Debian${suite:+ $suite} no longer has $pkg $version (it has: ${now:-no $pkg at all}):" \
		"the pinned tree is gone; rebase the series onto what Debian carries and update the" \
		"pin in ci/trees/"
fi
[[ -f $deb ]] || die "apt-get download of $pkg $version wrote no $deb"
printf '%s\n' "$deb"
