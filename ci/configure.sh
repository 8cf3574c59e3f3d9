#!/usr/bin/env bash
# Writes OBJ/.config: tinyconfig plus the given fragments, then checks that olddefconfig kept
# every option the fragments ask for. Usage: ci/configure.sh TREE OBJ FRAGMENT...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

(($# >= 3)) || die "usage: $0 TREE OBJ FRAGMENT..."
# Absolute paths: make -C resolves O= against TREE, the checks below against the cwd.
tree=$(realpath "$1") obj=$(realpath -m "$2")
shift 2
for f in "$@"; do [[ -f $f ]] || die "config fragment $f does not exist"; done

mkdir -p "$obj"
stamp=$obj/.fragments.sha
# The tree's bench-only patches count too: one that changes what Kconfig offers changes the
# config (ci/test-patches.sh).
sum=$( (cat "$@" "${TEST_PATCHES[@]}" && echo "${ARCH-}${CROSS_COMPILE-}") | sha256sum | cut -d' ' -f1)
if [[ -f $obj/.config && -f $stamp && $(cat "$stamp") == "$sum" ]]; then
	exit 0
fi

make -s -C "$tree" O="$obj" tinyconfig >/dev/null
"$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$@" >/dev/null
make -s -C "$tree" O="$obj" olddefconfig >/dev/null

dropped=()
while read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		grep -qxF "$line" "$obj/.config" || dropped+=("${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
	elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
		! grep -q "^${BASH_REMATCH[1]}=" "$obj/.config" || dropped+=("${BASH_REMATCH[1]}=n")
	fi
done < <(cat "$@")
((${#dropped[@]} == 0)) || die "olddefconfig dropped: ${dropped[*]} (a dependency is missing from the fragments)"
printf '%s\n' "$sum" >"$stamp"
