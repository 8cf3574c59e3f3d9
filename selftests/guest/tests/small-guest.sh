#!/bin/sh
# shellcheck disable=SC2086 # $new holds block ids, one per word
# A small guest and a large dax device: moves the device from device_dax to kmem with
# memmap_on_memory MOM and onlines every block. With MOM=1 all of it must work and the guest
# stay healthy. With MOM=0 it reports what happens (bind result, blocks added and onlined, free
# boot memory) without judging it: that is the problem the series solves.
# Usage: small-guest.sh MOM
. /bench/lib.sh
mom=$1
dax=$(first_dax)
drv=/sys/bus/dax/drivers
attr=/sys/bus/dax/devices/$dax/memmap_on_memory

if [ "$mom" = 1 ]; then plan 7; else plan 2; fi
ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax" || exit 1
size=$(cat "/sys/bus/dax/devices/$dax/size")
nblocks=$((size / $(block_bytes)))
blocks >/tmp/blocks.before
put "$dax" $drv/device_dax/unbind
free0=$(meminfo MemFree)
total0=$(meminfo MemTotal)
diag "boot memory: MemTotal $(meminfo MemTotal) KiB, MemFree $free0 KiB after device_dax let go"
diag "$dax: $((size >> 30)) GiB = $nblocks blocks, memmap_on_memory=$mom"
[ -e "$attr" ] && put "$mom" "$attr"
put "$dax" $drv/kmem/new_id 2>/dev/null
bound=no
[ -e "$drv/kmem/$dax" ] && bound=yes
added=$(count_new)
diag "metric memfree_drop_kib $((free0 - $(meminfo MemFree))) (bound $bound, $added blocks, offline)"
online=0
for b in $(new_blocks /tmp/blocks.before); do
	set_state online_movable "$b" 2>/dev/null && online=$((online + 1))
done
diag "onlined $online of $added blocks; MemTotal $(meminfo MemTotal) KiB, MemFree $(meminfo MemFree) KiB"

if [ "$mom" = 0 ]; then
	ok "without memmap_on_memory the device is not usable: kmem bound $bound, $added of $nblocks blocks added, $online online" \
		test "$online" -lt "$nblocks"
	exit 0
fi
is "kmem binds" "$bound" yes
is "every block of the device is added" "$added" "$nblocks"
is "every block onlines" "$online" "$nblocks"
is "MemTotal grows by the device less its memmap (KiB)" $(($(meminfo MemTotal) - total0)) \
	$((size / 1024 - nblocks * (size / nblocks) * 64 / 4096 / 1024))
ok "the guest still runs programs" sh -c 'ls /proc >/dev/null && awk "BEGIN { exit 0 }"'
offline_unbind() {
	# shellcheck disable=SC2046 # one block id per word
	set_state offline $(new_blocks /tmp/blocks.before) && put "$dax" $drv/kmem/unbind
}
ok "every block offlines and kmem unbinds" offline_unbind
