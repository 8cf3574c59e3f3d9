#!/bin/sh
# Once a page is poisoned, does removing memory that was never onlined (a failed hot-add's
# unwind, or the removal of blocks that stayed offline) read struct pages that onlining never
# initialised? While num_poisoned_pages is not 0, 6.1's sparse_remove_section() looks at every
# struct page of a removed section from the altmap's offset on (vmem_altmap_offset()), and
# for each one that reads as poisoned clears the flag and takes one page off the count
# (HardwareCorrupted in /proc/meminfo). Onlining is what initialises a block's struct pages;
# before it they hold what their memory held: with CONFIG_DEBUG_VM (the test kernel),
# page_init_poison()'s 0xff bytes, so every one reads as poisoned and the count moves by
# exactly the pages looked at (without DEBUG_VM, by whatever the memory held).
# The test poisons one page of boot memory (soft_offline_page), then, with blocks never onlined
# (auto_online_blocks offline): with SWEEP, fails every fault point of a kmem bind in turn
# (fail-nth, as kmem-faults): no failed bind's unwind may move HardwareCorrupted (the 6.1
# series' unwind keeps __remove_pages() off those struct pages, as 6.1's one-block unwind does);
# then binds kmem and unbinds it, which removes the never-onlined blocks.
# What the kernel's base does decides what the removal must show: 6.1 walks, so the count
# moves (with or without the series: the unpatched scenario shows it for a plain kmem
# removal); mainline keeps the count (5033091de814, v6.2, counts poisoned pages per memory
# block and no longer walks struct pages on removal).
# MOM (default 0) is written to the device's memmap_on_memory attribute first.
# Usage: hwpoison-remove.sh [MOM] [sweep]
. /bench/lib.sh
mom=${1:-0} sweep=${2:-}
case $(uname -r) in
6.1.*) expect=walks ;;
*) expect=keeps ;;
esac
dax=$(first_dax)
drv=/sys/bus/dax/drivers

if [ -n "$sweep" ]; then plan 8; else plan 6; fi
if ! ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax"; then
	exit 1
fi
fault_setup
put "$dax" $drv/device_dax/unbind
[ "$mom" = 0 ] || put "$mom" "/sys/bus/dax/devices/$dax/memmap_on_memory"
put offline "$MEMSYS/auto_online_blocks"
blocks >/tmp/blocks.before
nblocks=$(($(cat "/sys/bus/dax/devices/$dax/size") / $(block_bytes)))
diag "$dax: $nblocks blocks, memmap_on_memory=$mom, blocks stay offline; $(uname -r): \
the removal $expect"

# poison_one: soft-offlines one page of node 0's boot memory (a free page is taken off the
# allocator, a movable one migrated first; either way the page is marked poisoned and counted
# in HardwareCorrupted), trying 2 MiB apart from 256 MiB on until one is taken.
poison_one() {
	_a=$((256 << 20))
	while [ $_a -lt $((480 << 20)) ]; do
		if echo $_a >/sys/devices/system/memory/soft_offline_page 2>/dev/null; then
			diag "soft_offline_page took $(printf '%#x' $_a)"
			return 0
		fi
		_a=$((_a + (2 << 20)))
	done
	return 1
}
ok "a page of boot memory is poisoned (soft_offline_page)" poison_one
hc0=$(meminfo HardwareCorrupted)
is "HardwareCorrupted counts that page" "$hc0" 4

# moved BEFORE: HardwareCorrupted differs from BEFORE (compared as strings: a count that went
# below zero prints as a 20-digit number).
moved() {
	[ "$(meminfo HardwareCorrupted)" != "$1" ]
}

if [ -n "$sweep" ]; then
	n=0 failed=0 walked=0 first=""
	while [ $n -lt 2000 ]; do
		n=$((n + 1))
		hc=$(meminfo HardwareCorrupted)
		r=$(write_with_fault $n "$dax" $drv/kmem/new_id 2>/dev/null)
		[ "$r" = clean ] && break
		if [ -e "$drv/kmem/$dax" ]; then
			# The bind survived the fault: undo it (a removal, not an unwind).
			put "$dax" $drv/kmem/unbind
			put "$dax" $drv/kmem/remove_id
			continue
		fi
		put "$dax" $drv/kmem/remove_id
		failed=$((failed + 1))
		if moved "$hc"; then
			walked=$((walked + 1))
			[ -n "$first" ] || first=$n
		fi
	done
	diag "metric fault_points $((n - 1))"
	diag "failed binds after which HardwareCorrupted moved: $walked of $failed \
(first at point ${first:-none}); now $(meminfo HardwareCorrupted) kB"
	is "the sweep ended with a clean bind, all blocks added" "$(count_new)" "$nblocks"
	ok "some binds failed ($failed)" test "$failed" -gt 0
	is "failed binds after which the count moved (unwinds never look at the struct pages)" \
		"$walked" 0
else
	ok "kmem adds the device's blocks" put "$dax" $drv/kmem/new_id
fi
all_offline() {
	for _b in $(new_blocks /tmp/blocks.before); do
		[ "$(cat "$MEMSYS/memory$_b/state")" = offline ] || return 1
	done
}
ok "the blocks were never onlined" all_offline
hc=$(meminfo HardwareCorrupted)
put "$dax" $drv/kmem/unbind
put "$dax" $drv/kmem/remove_id
hc1=$(meminfo HardwareCorrupted)
diag "removal of $nblocks never-onlined blocks: HardwareCorrupted $hc -> $hc1 kB"
# The count is an unsigned long printed in kB; ash's 64-bit arithmetic wraps the same way.
dropped=$((hc - hc1))
case $expect in
walks)
	# With DEBUG_VM every struct page of the removed blocks reads as poisoned.
	is "removing never-onlined blocks walks every struct page of them: kB taken off the \
count" "$dropped" $((nblocks * $(block_bytes) * 4 / 4096))
	;;
*)
	is "removing never-onlined blocks leaves the count alone (kB taken off)" "$dropped" 0
	;;
esac
put "$dax" $drv/device_dax/bind
