#!/usr/bin/env bash
# Checks that the series applies with `git am` to other 6.1.y releases than the base: for each
# Debian linux-source-6.1 VERSION it downloads the package (cached in build/releases), makes a
# git tree of the files the patches touch, and runs `git am` on the whole series.
# Usage: ci/apply-releases.sh [VERSION...]   (default: RELEASES in ci/lib.sh, the oldest 6.1
# source Debian has; the base itself is ci/apply.sh's)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

versions=("$@")
((${#versions[@]})) || versions=("${RELEASES[@]}")
dir=$BUILD/releases
mkdir -p "$dir"

mapfile -t patches < <(series_patches)
# Files the series changes that must already exist (the ones it creates need not).
mapfile -t files < <(cd "$PATCHES" && awk '
	/^diff --git / { f = substr($3, 3) }
	/^new file mode/ { new[f] = 1 }
	/^diff --git / { all[f] = 1 }
	END { for (f in all) if (!(f in new)) print f }' "${patches[@]}" | sort)

for v in "${versions[@]}"; do
	deb=$dir/${BASE_PKG}_${v}_all.deb
	if [[ ! -f $deb ]]; then
		(cd "$dir" && apt-get download "$BASE_PKG=$v" >/dev/null 2>&1) ||
			die "cannot download $BASE_PKG $v (apt-get download $BASE_PKG=$v)"
	fi
	tree=$dir/$v
	rm -rf "$tree"
	mkdir -p "$tree"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.1.tar.xz |
		tar -xJ -C "$tree" --strip-components=1 "${files[@]/#/linux-source-6.1/}"
	git -C "$tree" init -q
	git -C "$tree" add -A
	git -C "$tree" "${GIT_ID[@]}" commit -q -m "linux-source-6.1 $v (touched files only)"
	kver=$(dpkg-deb -f "$deb" Version)
	if ! git -C "$tree" "${GIT_ID[@]}" am -q "${patches[@]/#/$PATCHES/}" >"$tree.log" 2>&1; then
		failed=$(git -C "$tree" am --show-current-patch=diff 2>/dev/null | head -n 1 || true)
		git -C "$tree" am --abort || true
		die "series does not apply to $kver: $(grep -m1 -E '^(error|Patch failed)' "$tree.log") ${failed}"
	fi
	log "$kver: all ${#patches[@]} patches apply with git am"
done
