#!/bin/sh
# shellcheck disable=SC2086 # $new holds block ids, one per word
# A dax device from soft-reserved memory (dax_hmem) moved from device_dax to kmem, onlined,
# offlined, unbound and given back to device_dax, CYCLES times.
# Usage: hmem-kmem.sh CYCLES [DAXDEV]
. /bench/lib.sh
cycles=$1
dax=${2:-$(first_dax)}
drv=/sys/bus/dax/drivers

plan $((1 + cycles * 10))
if ! ok "dax device ${dax:-none} is bound to device_dax" test -e "$drv/device_dax/$dax"; then
	exit 1
fi
size=$(cat "/sys/bus/dax/devices/$dax/size")
nblocks=$((size / $(block_bytes)))
total0=$(meminfo MemTotal)
blocks >/tmp/blocks.before
diag "$dax: $size bytes = $nblocks blocks, target node $(cat "/sys/bus/dax/devices/$dax/target_node")"

kmem_ram() {
	grep -c 'System RAM (kmem)' /proc/iomem
}

for c in $(seq "$cycles"); do
	ok "cycle $c: unbound from device_dax" put "$dax" $drv/device_dax/unbind
	ok "cycle $c: kmem binds" put "$dax" $drv/kmem/new_id
	is "cycle $c: memory blocks added" "$(count_new)" "$nblocks"
	new=$(new_blocks /tmp/blocks.before)
	ok "cycle $c: blocks online" set_state online_movable $new
	is "cycle $c: MemTotal growth in KiB" $(($(meminfo MemTotal) - total0)) $((size / 1024))
	ok "cycle $c: blocks offline" set_state offline $new
	ok "cycle $c: kmem unbinds" put "$dax" $drv/kmem/unbind
	is "cycle $c: memory blocks removed" "$(count_new)" 0
	is "cycle $c: no System RAM (kmem) left in /proc/iomem" "$(kmem_ram)" 0
	ok "cycle $c: back to device_dax" sh -c "echo $dax >$drv/kmem/remove_id &&
		echo $dax >$drv/device_dax/bind"
done
