#!/usr/bin/env bash
# Builds the initramfs of ci/bench.sh's guests: busybox, the guest's /init and tests, and the
# dax modules of the Debian reference kernel in /bench/modules/RELEASE (the guest tests load
# them when `uname -r` is RELEASE; the bench kernels have dax built in) and the pattern
# writer (bench-scale.sh uses the memory it hot-adds). No kselftests and no
# test module: nothing here depends on a debug kernel. Prints its path last.
# Usage: ci/bench-initramfs.sh [DEBIAN-DIR]   (default build/bench/debian-6.12)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

deb=${1:-$BUILD/bench/debian-6.12}
stage=$BUILD/bench/initramfs
out=$BUILD/bench/initramfs.cpio

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,dev,proc,sys,tmp,bench}
cp /bin/busybox "$stage/bin/busybox"
mknod -m 600 "$stage/dev/console" c 5 1
if [[ -f $deb/kernel.release ]]; then
	mods=$stage/bench/modules/$(cat "$deb/kernel.release")
	mkdir -p "$mods"
	cp "$deb"/modules/*.ko "$mods/"
fi
mkdir -p "$stage/bench/bin"
gcc -O2 -static -Wall -Wextra -Werror -o "$stage/bench/bin/pattern" "$TOP/selftests/guest/src/pattern.c" ||
	die "cannot build selftests/guest/src/pattern.c"
cp "$TOP/selftests/guest/init" "$stage/init"
cp "$TOP/selftests/guest/lib.sh" "$TOP/selftests/guest/bench-lib.sh" "$stage/bench/"
cp -r "$TOP/selftests/guest/tests" "$stage/bench/tests"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out"
printf '%s\n' "$out"
