#!/bin/sh
# ci/bench-scaling.sh: one dax device of GIB GiB on the small guest, memmap_on_memory on: the
# device is sized if its region is idle (mainline booted with dax_hmem.region_idle=1, so that
# kmem does not take it at boot), released, given memmap_on_memory 1, bound to kmem (timed:
# the hot-add) and every block onlined movable in address order (timed: the onlining). Then
# 512 MiB, twice the boot memory, is filled with a pattern on the device's node and verified.
# Reports `# bench add_ms GIB`, `# bench online_ms GIB`, and `# bench scale_ok GIB 1` only
# when every block is online and the memory verified.
# Usage: bench-scale.sh GIB
# shellcheck source=../lib.sh
. /bench/lib.sh
# shellcheck source=../bench-lib.sh
. /bench/bench-lib.sh
gib=$1

plan 5
load_dax_modules
dax=$(first_dax)
ok "dax device ${dax:-none}" test -n "$dax" || exit 1
dax_release "$dax"
dev=/sys/bus/dax/devices/$dax
if [ "$(cat "$dev/size")" = 0 ]; then
	# An idle region (dax_hmem.region_idle=1): give the seed device the whole region.
	put "$(cat "$dev/../dax_region/available_size")" "$dev/size"
fi
size=$(cat "$dev/size")
nblocks=$((size / $(block_bytes)))
is "the device is $gib GiB" $((size >> 30)) "$gib"
blocks >/tmp/blocks.before
dax_set_mom "$dax" 1
t0=$(now_ms)
kmem_bind "$dax" 2>/dev/null
is "kmem binds" "$?" 0
t1=$(now_ms)
online=0
for b in $(new_blocks /tmp/blocks.before); do
	set_state online_movable "$b" 2>/dev/null && online=$((online + 1))
done
t2=$(now_ms)
is "every block online" "$online" "$nblocks"
bench add_ms "$gib" $((t1 - t0))
bench online_ms "$gib" $((t2 - t1))
diag "$nblocks blocks: add $((t1 - t0)) ms, online $((t2 - t1)) ms"
node=$(cat "$dev/target_node")
v=$(printf 'verify\nquit\n' | /bench/bin/pattern "$node" 512 | grep '^verified')
is "512 MiB on node $node (twice the boot memory) verified" "$v" "verified 536870912 mismatches 0"
[ "$online" = "$nblocks" ] && [ "$v" = "verified 536870912 mismatches 0" ] &&
	bench scale_ok "$gib" 1
