#!/bin/sh
# shellcheck disable=SC2086 # $new holds block ids, one per word
# ACPI DIMM hot-add and hot-remove, CYCLES times; the host carries out the scenario's "add"
# and "remove" actions. MEMMAP is the number of memmap pages expected on each block of the
# DIMM once online (512 when the memmap sits on the memory, 0 when it comes from boot memory).
# Usage: dimm.sh SIZE_MIB CYCLES MEMMAP
. /bench/lib.sh
size_mib=$1 cycles=$2 memmap=$3
nblocks=$((size_mib * 1048576 / $(block_bytes)))

plan $((cycles * 11))
total0=$(meminfo MemTotal)
unmanaged0=$(unmanaged)
blocks >/tmp/blocks.before
diag "DIMM of $size_mib MiB = $nblocks blocks; MemTotal $total0 KiB at boot"

for c in $(seq "$cycles"); do
	free0=$(meminfo MemFree)
	ok "cycle $c: host adds the DIMM" hostact add
	wait_for 60 have_new "$nblocks"
	is "cycle $c: memory blocks added" "$(count_new)" "$nblocks"
	diag "metric memfree_drop_kib $((free0 - $(meminfo MemFree))) (cycle $c, blocks offline)"
	new=$(new_blocks /tmp/blocks.before)
	is "cycle $c: one System RAM resource spans the DIMM" "$(ram_resources $new)" 1
	ok "cycle $c: blocks online" set_state online_movable $new
	is "cycle $c: memmap pages on the DIMM (present - managed)" \
		$(($(unmanaged) - unmanaged0)) $((nblocks * memmap))
	is "cycle $c: MemTotal growth in KiB" $(($(meminfo MemTotal) - total0)) \
		$((size_mib * 1024 - nblocks * memmap * 4))
	ok "cycle $c: blocks offline" set_state offline $new
	ok "cycle $c: host removes the DIMM" hostact remove
	wait_for 60 no_new
	is "cycle $c: memory blocks removed" "$(count_new)" 0
	is "cycle $c: MemTotal back to its boot value" "$(meminfo MemTotal)" "$total0"
	is "cycle $c: present - managed back to its boot value" "$(unmanaged)" "$unmanaged0"
done
