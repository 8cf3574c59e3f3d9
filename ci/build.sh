#!/usr/bin/env bash
# Builds a test kernel (and its modules, and Module.symvers for external ones) from a tree
# (default: the patched tree, build/linux), after applying the tree's bench-only patches to
# its working copy (ci/test-patches.sh), and prints the image's path as its last line.
# Usage: ci/build.sh [VARIANT [TREE]]
#   VARIANT: test (default: minimal guest + hotplug + dax + debugging), kasan (test + KASAN)
#   or bench (minimal guest + hotplug + dax, no debugging: for ci/bench.sh's measurements)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:-test}
tree=${2:-$SRC}
[[ -f $tree/Makefile ]] || die "no kernel tree at $tree (run ci/base-tree.sh and ci/apply.sh)"
frag=$TOP/kernel-config
case $variant in
test) frags=("$frag/base.config" "$frag/hotplug.config" "$frag/dax.config" "$frag/debug.config") ;;
kasan) frags=("$frag/base.config" "$frag/hotplug.config" "$frag/dax.config" "$frag/debug.config"
	"$frag/kasan.config") ;;
bench) frags=("$frag/base.config" "$frag/hotplug.config" "$frag/dax.config") ;;
*) die "unknown kernel variant '$variant' (test, kasan, bench)" ;;
esac
frags+=("${TREE_FRAGMENTS[@]}")
# An object directory right inside the tree makes kbuild use relative paths, so ccache hits
# across trees (patched, unpatched) that share most of their sources.
obj=$tree/obj-$variant

"$TOP/ci/test-patches.sh" "$tree"
"$TOP/ci/configure.sh" "$tree" "$obj" "${frags[@]}"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
log "building $variant kernel from $tree in $obj"
if ! make -s -C "$tree" O="$obj" CC="ccache gcc" -j"$(nproc)" bzImage modules >"$obj/build.log" 2>&1; then
	grep -E 'error|Error' "$obj/build.log" | head -n 20 >&2 || true
	die "kernel build failed (full log: $obj/build.log)"
fi
printf '%s\n' "$obj/arch/x86/boot/bzImage"
