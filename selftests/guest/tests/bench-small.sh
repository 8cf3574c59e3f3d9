#!/bin/sh
# ci/bench.sh: a guest with little boot memory and one large dax device: device_dax unbound,
# memmap_on_memory MOM, kmem bind, every block onlined (movable). Reports `# bench small_ok
# GIB 1` only when kmem bound, every block of the device was added and onlined and the guest
# still runs programs; a guest that dies of it reports nothing.
# Usage: bench-small.sh MOM
# shellcheck source=../lib.sh
. /bench/lib.sh
# shellcheck source=../bench-lib.sh
. /bench/bench-lib.sh
mom=$1

plan 4
load_dax_modules
dax=$(dax_devices | tail -n 1)
ok "dax device ${dax:-none}" test -n "$dax" || exit 1
size=$(cat "/sys/bus/dax/devices/$dax/size")
gib=$((size >> 30))
nblocks=$((size / $(block_bytes)))
blocks >/tmp/blocks.before
dax_release "$dax"
dax_set_mom "$dax" "$mom"
diag "$dax: $gib GiB = $nblocks blocks, MOM=$mom; MemFree $(meminfo MemFree) KiB"
free0=$(meminfo MemFree)
kmem_bind "$dax" 2>/dev/null
is "kmem binds" "$?" 0
added=$(count_new)
bench drop_kib "$gib" $((free0 - $(meminfo MemFree)))
online=0
for b in $(new_blocks /tmp/blocks.before); do
	set_state online_movable "$b" 2>/dev/null && online=$((online + 1))
done
diag "$added blocks added, $online online; MemFree $(meminfo MemFree) KiB"
is "every block added and online" "$added $online" "$nblocks $nblocks"
ok "the guest still runs programs" sh -c 'ls /proc >/dev/null && awk "BEGIN { exit 0 }"'
[ "$added $online" = "$nblocks $nblocks" ] && bench small_ok "$gib" 1
