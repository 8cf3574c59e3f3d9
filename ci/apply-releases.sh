#!/usr/bin/env bash
# Checks that the series applies with `git am` and with `quilt push -a` to the other trees it
# must apply to (RELEASES in ci/trees/$TREE.conf: for 6.1 an older 6.1.y release, for
# mainline the newest stable tree). For each PACKAGE=VERSION[@SUITE] it downloads the package
# (ci/fetch-tree.sh), makes a git tree of the files the patches touch, and applies the series:
# with git am (a patch whose context differs there is retried with -C1 and named) and with
# quilt push -a (its default fuzz; hunks with fuzz are counted). RELEASE_PATCHES in the tree's
# file says which patches: "all", or "stable" (those that carry Cc: stable@vger.kernel.org, in
# series order: what a stable tree takes; new features need not apply to an older tree).
# Usage: ci/apply-releases.sh [PACKAGE=VERSION[@SUITE]...]   (default: RELEASES)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

specs=("$@")
((${#specs[@]})) || specs=("${RELEASES[@]}")
dir=$TREE_BUILD/releases
mkdir -p "$dir"

mapfile -t patches < <(series_patches)
case $RELEASE_PATCHES in
all) ;;
stable)
	mapfile -t patches < <(cd "$PATCHES" && grep -l '^Cc: stable@vger.kernel.org' "${patches[@]}")
	;;
*) die "RELEASE_PATCHES must be all or stable, not '$RELEASE_PATCHES'" ;;
esac
((${#patches[@]})) || die "no patch of $SERIES to apply (RELEASE_PATCHES=$RELEASE_PATCHES)"
# Files the series changes that must already exist (the ones it creates need not).
mapfile -t files < <(cd "$PATCHES" && awk '
	/^diff --git / { f = substr($3, 3) }
	/^new file mode/ { new[f] = 1 }
	/^diff --git / { all[f] = 1 }
	END { for (f in all) if (!(f in new)) print f }' "${patches[@]}" | sort)
((${#files[@]})) || die "the series touches no file"

for spec in "${specs[@]}"; do
	deb=$("$TOP/ci/fetch-tree.sh" "$spec" | tail -n 1)
	pkg=$(dpkg-deb -f "$deb" Package) kver=$(dpkg-deb -f "$deb" Version)
	tree=$dir/$pkg-$kver
	rm -rf "$tree"
	mkdir -p "$tree"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" |
		tar -xJ -C "$tree" --strip-components=1 "${files[@]/#/$pkg/}"
	git -C "$tree" init -q
	git -C "$tree" add -A -f
	git -C "$tree" "${GIT_ID[@]}" commit -q -m "$pkg $kver (touched files only)"
	# Patch by patch: one whose context differs in this tree is retried with git am -C1
	# (at least one line of context must match), as a stable maintainer would, and named.
	reduced=()
	for p in "${patches[@]}"; do
		git -C "$tree" "${GIT_ID[@]}" am -q "$PATCHES/$p" >"$tree.log" 2>&1 && continue
		git -C "$tree" am --abort || true
		if git -C "$tree" "${GIT_ID[@]}" am -q -C1 "$PATCHES/$p" >>"$tree.log" 2>&1; then
			reduced+=("$p")
			continue
		fi
		git -C "$tree" am --abort || true
		die "$p does not apply to $pkg $kver, even with git am -C1:" \
			"$(grep -m1 -E '^(error|Patch failed)' "$tree.log")"
	done
	if ((${#reduced[@]})); then
		log "$pkg $kver: ${#patches[@]} patches ($RELEASE_PATCHES) apply with git am; with -C1 (context differs):" \
			"${reduced[*]}"
	else
		log "$pkg $kver: all ${#patches[@]} patches ($RELEASE_PATCHES) apply with git am"
	fi
	git -C "$tree" checkout -q -f HEAD~"${#patches[@]}"
	# quilt with its default fuzz, as a user types it; hunks applied with fuzz are named.
	printf '%s\n' "${patches[@]}" >"$tree.series"
	if ! out=$(cd "$tree" && QUILT_PATCHES=$PATCHES QUILT_SERIES=$tree.series quilt push -a 2>&1); then
		die "quilt push -a fails on $pkg $kver: $(tail -n 1 <<<"$out")"
	fi
	fuzz=$(grep -c 'with fuzz' <<<"$out" || true)
	log "$pkg $kver: quilt push -a: $(tail -n 1 <<<"$out"), $fuzz hunk(s) with fuzz"
done
