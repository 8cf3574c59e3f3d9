#!/usr/bin/env bash
# Makes build/linux a git tree whose first commit (tag "base") is the pristine 6.1 base.
# The base is Debian's linux-source-6.1 (version in ci/lib.sh), or KERNEL_SRC: a 6.1 source
# directory or tarball of the user's own. Reuses the tree when its base has not changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$BUILD"
exec 9>"$BUILD/.base-tree.lock"
flock -w 600 9 || die "another ci/base-tree.sh holds $BUILD/.base-tree.lock"

src=${KERNEL_SRC:-$BASE_TARBALL}
if [[ -n ${KERNEL_SRC:-} ]]; then
	[[ -e $src ]] || die "KERNEL_SRC=$src does not exist"
	src=$(realpath "$src")
	id="KERNEL_SRC=$src $(stat -c %Y "$src")"
else
	[[ -f $src ]] || die "$src is missing: run ci/deps.sh (package $BASE_PKG=$BASE_PKG_VERSION)"
	id="$BASE_PKG=$(dpkg-query -W -f '${Version}' "$BASE_PKG")"
fi

if [[ -f $BUILD/base.id && $(cat "$BUILD/base.id") == "$id" ]] &&
	git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1; then
	exit 0
fi

log "unpacking $id into $SRC"
# Unpack and check aside: bad input must leave the existing tree as it was.
new=$(mktemp -d "$BUILD/linux.new.XXXXXX")
trap 'rm -rf "$new"' EXIT
if [[ -d $src ]]; then
	tar -C "$src" --exclude=.git -cf - . | tar -C "$new" -xf -
elif ! tar -C "$new" --strip-components=1 -xaf "$src" 2>/dev/null; then
	die "KERNEL_SRC=$src is neither a kernel source directory nor a tarball tar can unpack"
fi
mk=$new/Makefile
if ! [[ -f $mk ]] || ! grep -qx 'VERSION = 6' "$mk" || ! grep -qx 'PATCHLEVEL = 1' "$mk"; then
	die "$src is not a Linux 6.1 source tree (no 'VERSION = 6' and 'PATCHLEVEL = 1' in its Makefile)"
fi
rm -rf "$SRC" "$BUILD/base.id"
mv "$new" "$SRC"

cd "$SRC"
git init -q -b base-tree
# Debian's tarball ignores everything in its .gitignore: add by force.
git "${GIT_ID[@]}" add -A -f .
git "${GIT_ID[@]}" commit -q -m "Linux 6.1 base: $id"
git tag base
printf '%s\n' "$id" >"$BUILD/base.id"
log "base tree ready: $(make -s kernelversion)"
