#!/usr/bin/env bash
# Builds the guest's initramfs: busybox, bash, coreutils' timeout (for the kselftest runner),
# the kselftests of the patched tree (KSELFTEST_TARGETS of ci/trees/$TREE.conf) and the bench's guest side. Prints its path last.
# Usage: ci/initramfs.sh [TREE]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=${1:-$SRC}
stage=$TREE_BUILD/initramfs
out=$TREE_BUILD/initramfs.cpio
[[ -d $tree/tools/testing/selftests ]] || die "no kernel tree at $tree"

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,dev,proc,sys,tmp,bench}
cp /bin/busybox "$stage/bin/busybox"
cp /bin/bash-static "$stage/bin/bash"
ln -s /bin/busybox "$stage/sbin/modprobe"
# The kselftest runner needs `timeout --foreground`, which busybox lacks.
cp /usr/bin/timeout "$stage/usr/bin/timeout"
while read -r lib; do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done < <(ldd /usr/bin/timeout | grep -o '/[^ ]*')
mknod -m 600 "$stage/dev/console" c 5 1

make -s -C "$tree/tools/testing/selftests" TARGETS="${KSELFTEST_TARGETS[*]}" \
	O="$TREE_BUILD/kselftest-obj" INSTALL_PATH="$stage/kselftest" install >"$TREE_BUILD/kselftest.log" 2>&1 ||
	die "kselftest install failed (log: $TREE_BUILD/kselftest.log)"

# The bench's test modules (mhp_test, and the zone->contiguous checker of zone-contig*),
# built against the tree's test kernel and against the unpatched base (/bench/modules/base:
# the series changes struct zone; mainline-lib.sh's bench_module picks the build for the
# running kernel). Without an unpatched test kernel
# (ci/build.sh test "$(ci/base-worktree.sh)") the base builds are left out, and said so.
mkdir -p "$stage/bench/modules/base"
: >"$TREE_BUILD/modules.log"
[[ -f $BASE_WT/obj-test/Module.symvers ]] ||
	log "no unpatched test kernel in $BASE_WT: modules for it left out (baselines need them)"
for m in mhp_test zone_contig_test; do
	for kind in patched base; do
		ktree=$tree dst=$stage/bench/modules
		[[ $kind == patched ]] || ktree=$BASE_WT dst=$stage/bench/modules/base
		[[ $kind == patched || -f $ktree/obj-test/Module.symvers ]] || continue
		mod=$TREE_BUILD/modules/$kind/$m
		rm -rf "$mod"
		mkdir -p "$mod"
		cp "$TOP/selftests/modules/$m"/* "$mod/"
		make -s -C "$ktree" O="$ktree/obj-test" M="$mod" modules >>"$TREE_BUILD/modules.log" 2>&1 ||
			die "test module $m ($kind) build failed (log: $TREE_BUILD/modules.log; run ci/build.sh first)"
		cp "$mod/$m.ko" "$dst/"
	done
done

# The memory hotplug admin guide of the tree and of its unpatched base (docs-params checks
# what it says of the memory_hotplug parameters against the running kernel).
mkdir -p "$stage/bench/docs/base"
cp "$tree/Documentation/admin-guide/mm/memory-hotplug.rst" "$stage/bench/docs/"
if [[ -f $BASE_WT/Documentation/admin-guide/mm/memory-hotplug.rst ]]; then
	cp "$BASE_WT/Documentation/admin-guide/mm/memory-hotplug.rst" "$stage/bench/docs/base/"
fi

# The guest's own programs (busybox has no pattern writer).
mkdir -p "$stage/bench/bin"
gcc -O2 -static -Wall -Wextra -Werror -o "$stage/bench/bin/pattern" "$TOP/selftests/guest/src/pattern.c" ||
	die "cannot build selftests/guest/src/pattern.c"

cp "$TOP/selftests/guest/init" "$stage/init"
cp "$TOP/selftests/guest/lib.sh" "$stage/bench/lib.sh"
cp "$TOP/selftests/guest/mainline-lib.sh" "$stage/bench/mainline-lib.sh"
cp -r "$TOP/selftests/guest/tests" "$stage/bench/tests"
# Written beside and renamed: a guest booting meanwhile (ci/repeat.sh) reads the old one whole.
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.new"
mv -f "$out.new" "$out"
printf '%s\n' "$out"
