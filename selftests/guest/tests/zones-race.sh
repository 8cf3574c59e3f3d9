#!/bin/sh
# Reading a memory block's valid_zones while kmem hot-adds its range (patch 0005's race): a
# reader spins on memoryN/valid_zones of the device's first block (shell builtins only, no
# fork, so it reads as often as it can) while the device is bound to kmem and unbound CYCLES
# times. Every bind creates the block devices and registers node 1 again, the window in which
# 6.1 shows a block without a node and valid_zones_show() reads NODE_DATA(NUMA_NO_NODE).
# Passes when the guest survives every cycle and the reader read the file while it existed;
# on a kernel with the race the guest oopses (the scenario's grader sees the report).
# Usage: zones-race.sh CYCLES [DAXDEV]
. /bench/lib.sh
cycles=$1
dax=${2:-$(first_dax)}
drv=/sys/bus/dax/drivers
dev=/sys/bus/dax/devices/$dax

plan 5
if ! ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax"; then
	exit 1
fi
bb=$(block_bytes)
first=$(($(cat "$dev/resource") / bb))
nblocks=$(($(cat "$dev/size") / bb))
zones=$MEMSYS/memory$first/valid_zones
diag "reading $zones during $cycles binds of $dax ($nblocks blocks)"

# reader: counts the reads of $zones that returned a line until /tmp/stop exists; the count
# goes to /tmp/reads.
reader() {
	_n=0
	while [ ! -e /tmp/stop ]; do
		if read -r _z <"$zones"; then
			_n=$((_n + 1))
		fi 2>/dev/null
	done
	echo "$_n" >/tmp/reads
}

rm -f /tmp/stop /tmp/reads
reader &
done_cycles=0
i=0
while [ $i -lt "$cycles" ]; do
	i=$((i + 1))
	if ! { put "$dax" $drv/device_dax/unbind && put "$dax" $drv/kmem/new_id &&
		put "$dax" $drv/kmem/unbind && put "$dax" $drv/kmem/remove_id &&
		put "$dax" $drv/device_dax/bind; }; then
		break
	fi
	done_cycles=$i
done
touch /tmp/stop
wait
reads=$(cat /tmp/reads)
diag "metric zones_race_cycles $done_cycles"
diag "metric zones_race_reads $reads"
is "every bind/unbind cycle worked" "$done_cycles" "$cycles"
ok "the reader read valid_zones while the block existed ($reads reads)" test "$reads" -gt 0
ok "$dax is back with device_dax" test -e "$drv/device_dax/$dax"
ok "no block of $dax left" test ! -e "$MEMSYS/memory$first"
