#!/bin/sh
# shellcheck disable=SC2086 # $new holds block ids, one per word
# A small guest and a large dax device: moves the device from device_dax to kmem with
# memmap_on_memory MOM and onlines every block. With MOM=1 all of it must work, and the memory
# must be usable: a process bound to the device's node fills FILL_MIB MiB (more than the boot
# memory holds) with a pattern, all of it on the device, and verifies it. With MOM=0 it reports
# what happens (bind result, blocks added and onlined, free boot memory) without judging it:
# that is the problem the series solves.
# Usage: small-guest.sh MOM [FILL_MIB]
. /bench/lib.sh
mom=$1 fill=${2:-1024}
out=/tmp/pattern.out
dax=$(first_dax)
drv=/sys/bus/dax/drivers
attr=/sys/bus/dax/devices/$dax/memmap_on_memory

if [ "$mom" = 1 ]; then plan 10; else plan 2; fi
ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax" || exit 1
size=$(cat "/sys/bus/dax/devices/$dax/size")
nblocks=$((size / $(block_bytes)))
blocks >/tmp/blocks.before
node=$(cat "/sys/bus/dax/devices/$dax/target_node")
un0=$(unmanaged_node "$node")
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
# The memmap of a block as the kernel accounts it on the device's node (present - managed),
# the same for every block: a 64-byte struct page per 4 KiB page on x86_64.
mm=$(($(unmanaged_node "$node") - un0))
diag "node $node: $mm memmap pages for $nblocks blocks"
is "MemTotal grows by the device less its memmap (KiB)" $(($(meminfo MemTotal) - total0)) \
	$((size / 1024 - mm * 4))
# Use it: more than the boot memory holds, on the device's node.
mkfifo /tmp/pattern.cmd
/bench/bin/pattern "$node" "$fill" </tmp/pattern.cmd >$out 2>&1 &
pid=$!
exec 9>/tmp/pattern.cmd
lines() {
	[ "$(grep -c . $out)" -ge "$1" ]
}
# ask COMMAND: sends COMMAND to the pattern process and prints its answer.
ask() {
	_n=$(grep -c . $out)
	echo "$1" >&9
	wait_for 300 lines $((_n + 1)) || return 1
	sed -n "$((_n + 1))p" $out
}
lo=$(($(cat "/sys/bus/dax/devices/$dax/resource") / 4096))
ok "a process bound to node $node fills $fill MiB (boot MemTotal $((total0 / 1024)) MiB)" \
	wait_for 300 lines 1
is "all of the buffer sits on the device" "$(ask "inrange $lo $((size / 4096))")" \
	"inrange $((fill * 256))"
v=$(ask verify)
is "the pattern verifies (${v:-no answer})" "${v##* }" 0
echo quit >&9
wait $pid
is "the pattern process exits cleanly" "$?" 0
exec 9>&-
offline_unbind() {
	# shellcheck disable=SC2046 # one block id per word
	set_state offline $(new_blocks /tmp/blocks.before) && put "$dax" $drv/kmem/unbind
}
ok "every block offlines and kmem unbinds" offline_unbind
