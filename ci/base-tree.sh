#!/usr/bin/env bash
# Makes the tree's git tree (build/linux for 6.1, build/TREE/linux otherwise) whose first
# commit (tag "base") is the pristine base: Debian's BASE_PKG at BASE_PKG_VERSION from
# ci/trees/$TREE.conf (fetched with ci/fetch-tree.sh when it comes from another suite), or
# KERNEL_SRC: a source directory or tarball of the user's own, of the same kernel version.
# Reuses the tree when its base has not changed. Prints the exact base it used.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$TREE_BUILD"
exec 9>"$TREE_BUILD/.base-tree.lock"
flock -w 600 9 || die "another ci/base-tree.sh holds $TREE_BUILD/.base-tree.lock"

if [[ -n ${KERNEL_SRC:-} ]]; then
	src=$KERNEL_SRC
	[[ -e $src ]] || die "KERNEL_SRC=$src does not exist"
	src=$(realpath "$src")
	id="KERNEL_SRC=$src $(stat -c %Y "$src")"
elif [[ -z $BASE_SUITE ]]; then
	src=/usr/src/$BASE_PKG.tar.xz
	[[ -f $src ]] || die "$src is missing: run ci/deps.sh (package $BASE_PKG=$BASE_PKG_VERSION)"
	id="$BASE_PKG=$(dpkg-query -W -f '${Version}' "$BASE_PKG")"
else
	deb=$("$TOP/ci/fetch-tree.sh" "$BASE_PKG=$BASE_PKG_VERSION@$BASE_SUITE" | tail -n 1)
	id="$BASE_PKG=$BASE_PKG_VERSION"
	src=$TREE_BUILD/$BASE_PKG.tar.xz
	if [[ ! -f $TREE_BUILD/base.id || $(cat "$TREE_BUILD/base.id") != "$id" || ! -f $src ]]; then
		dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$BASE_PKG.tar.xz" >"$src.new"
		mv "$src.new" "$src"
	fi
fi

if [[ -f $TREE_BUILD/base.id && $(cat "$TREE_BUILD/base.id") == "$id" ]] &&
	git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1; then
	log "base tree: $id"
	exit 0
fi

log "unpacking $id into $SRC"
# Unpack and check aside: bad input must leave the existing tree as it was.
new=$(mktemp -d "$TREE_BUILD/linux.new.XXXXXX")
trap 'rm -rf "$new"' EXIT
if [[ -d $src ]]; then
	tar -C "$src" --exclude=.git -cf - . | tar -C "$new" -xf -
elif ! tar -C "$new" --strip-components=1 -xaf "$src" 2>/dev/null; then
	die "KERNEL_SRC=$src is neither a kernel source directory nor a tarball tar can unpack"
fi
mk=$new/Makefile
v=${BASE_KVERSION%%.*} pl=${BASE_KVERSION#*.}
if ! [[ -f $mk ]] || ! grep -qx "VERSION = $v" "$mk" || ! grep -qx "PATCHLEVEL = $pl" "$mk"; then
	die "$src is not a Linux $BASE_KVERSION source tree (no 'VERSION = $v' and" \
		"'PATCHLEVEL = $pl' in its Makefile)"
fi
rm -rf "$SRC" "$TREE_BUILD/base.id"
mv "$new" "$SRC"

cd "$SRC"
git init -q -b base-tree
# Debian's tarball ignores everything in its .gitignore: add by force.
git "${GIT_ID[@]}" add -A -f .
git "${GIT_ID[@]}" commit -q -m "Linux $BASE_KVERSION base: $id"
git tag base
printf '%s\n' "$id" >"$TREE_BUILD/base.id"
log "base tree ready: $(make -s kernelversion)"
