#!/bin/sh
# shellcheck disable=SC2086 # $new holds block ids, one per word
# A dax device from soft-reserved memory (dax_hmem) moved from device_dax to kmem, onlined,
# offlined, unbound and given back to device_dax, CYCLES times. With MOM=1 the device's
# memmap_on_memory attribute is set first: every block then carries its own memmap (512 pages
# per 128 MiB on the device's node); with MOM=0 (or a kernel without the attribute) the
# memmap comes from boot memory, as in 6.1. Prints the MemFree drop at bind time (blocks
# offline) as the metric memfree_drop_kib.
# Usage: hmem-kmem.sh CYCLES [MOM] [DAXDEV]
. /bench/lib.sh
cycles=$1 mom=${2:-0}
dax=${3:-$(first_dax)}
drv=/sys/bus/dax/drivers
attr=/sys/bus/dax/devices/$dax/memmap_on_memory

plan $((1 + cycles * 12))
if ! ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax"; then
	exit 1
fi
size=$(cat "/sys/bus/dax/devices/$dax/size")
node=$(cat "/sys/bus/dax/devices/$dax/target_node")
bb=$(block_bytes)
nblocks=$((size / bb))
memmap=$((mom * bb * 64 / 4096 / 4096))
total0=$(meminfo MemTotal)
unmanaged0=$(unmanaged_node "$node")
blocks >/tmp/blocks.before
diag "$dax: $size bytes = $nblocks blocks, node $node, memmap_on_memory=$mom"

kmem_ram() {
	grep -c 'System RAM (kmem)' /proc/iomem
}
# set_mom: writes the attribute; a kernel without it passes for MOM=0 only.
set_mom() {
	if [ -e "$attr" ]; then put "$mom" "$attr"; else [ "$mom" = 0 ]; fi
}

for c in $(seq "$cycles"); do
	ok "cycle $c: unbound from device_dax" put "$dax" $drv/device_dax/unbind
	ok "cycle $c: memmap_on_memory set to $mom" set_mom
	free0=$(meminfo MemFree)
	ok "cycle $c: kmem binds" put "$dax" $drv/kmem/new_id
	diag "metric memfree_drop_kib $((free0 - $(meminfo MemFree))) (cycle $c, blocks offline)"
	is "cycle $c: memory blocks added" "$(count_new)" "$nblocks"
	new=$(new_blocks /tmp/blocks.before)
	ok "cycle $c: blocks online" set_state online_movable $new
	is "cycle $c: memmap pages on node $node (present - managed)" \
		$(($(unmanaged_node "$node") - unmanaged0)) $((nblocks * memmap))
	is "cycle $c: MemTotal growth in KiB" $(($(meminfo MemTotal) - total0)) \
		$((size / 1024 - nblocks * memmap * 4))
	ok "cycle $c: blocks offline" set_state offline $new
	ok "cycle $c: kmem unbinds" put "$dax" $drv/kmem/unbind
	is "cycle $c: memory blocks removed" "$(count_new)" 0
	is "cycle $c: no System RAM (kmem) left in /proc/iomem" "$(kmem_ram)" 0
	ok "cycle $c: back to device_dax" sh -c "echo $dax >$drv/kmem/remove_id &&
		echo $dax >$drv/device_dax/bind"
done
