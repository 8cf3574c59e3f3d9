#!/bin/sh
# Fault sweep of a kmem bind (a multi-block hot-add in the writing task): the N-th fault
# injection point of the bind fails (fail-nth, so only this task's calls count; failslab and
# fail_page_alloc, sleeping allocations included), for N = 1, 2, ... until a bind meets no
# injected fault. After every failed bind nothing of the range may be left: no memory block,
# no System RAM, MemTotal and the direct map (DirectMap* of meminfo) as before. Then the next
# clean bind must succeed.
# Then the matching remove: memory notifiers refusing MEM_GOING_ONLINE and MEM_GOING_OFFLINE
# (notifier-error-inject) leave the block as it was; every fault point of offlining a block
# and of the kmem unbind (which removes the memory) fails in turn, and each time the block is
# either still online or wholly offline; after each unbind either nothing of the range is
# left, or (a fault before the unbind began) all of it is still there, bound.
# With "leak" it checks the opposite, what unpatched 6.1 and mainline do: a fault part-way
# through __add_pages() leaves sections behind, and every later bind of the range fails with
# -EEXIST. With "directmap", what unpatched mainline does: a failed bind leaves the range in
# the direct map (arch_add_memory() maps it before add_pages() fails, and never unmaps it).
# The device starts bound to device_dax (lib.sh's to_device_dax: mainline's boot binds it to
# kmem). MOM (default 0) is written to the device's memmap_on_memory attribute first.
# Usage: kmem-faults.sh MAX_POINTS [clean|leak|directmap] [MOM] [DAXDEV]
# shellcheck disable=SC2086 # $new holds block ids, one per word
. /bench/lib.sh
max=$1
mode=${2:-clean} mom=${3:-0}
dax=${4:-$(first_dax)}
drv=/sys/bus/dax/drivers

case $mode in
leak | directmap) plan 3 ;;
*) plan 13 ;;
esac
if ! ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax"; then
	exit 1
fi
fault_setup

size=$(cat "/sys/bus/dax/devices/$dax/size")
nblocks=$((size / $(block_bytes)))
put "$dax" $drv/device_dax/unbind
[ "$mom" = 0 ] || put "$mom" "/sys/bus/dax/devices/$dax/memmap_on_memory"
diag "$dax: $nblocks blocks, memmap_on_memory=$mom, auto_online_blocks \
$(cat $MEMSYS/auto_online_blocks)"
total0=$(meminfo MemTotal)
iomem0=$(grep -c . /proc/iomem)
dm0=$(directmap)
blocks >/tmp/blocks.before

unbind_kmem() {
	if [ -e "$drv/kmem/$dax" ]; then
		new=$(new_blocks /tmp/blocks.before)
		set_state offline $new 2>/dev/null
		put "$dax" $drv/kmem/unbind
	fi
	put "$dax" $drv/kmem/remove_id
}

n=0 leftover=0 first_bad="" dm_kept=0
while [ $n -lt "$max" ]; do
	n=$((n + 1))
	r=$(write_with_fault $n "$dax" $drv/kmem/new_id 2>/dev/null)
	[ "$r" = clean ] && break
	if [ -e "$drv/kmem/$dax" ]; then
		# The fault hit a point the bind survived: undo it like any bind.
		unbind_kmem
		continue
	fi
	put "$dax" $drv/kmem/remove_id
	[ "$(directmap)" = "$dm0" ] || dm_kept=$((dm_kept + 1))
	if [ "$(count_new)" != 0 ] || [ "$(meminfo MemTotal)" != "$total0" ] ||
		[ "$(grep -c . /proc/iomem)" != "$iomem0" ] || [ "$(directmap)" != "$dm0" ]; then
		leftover=$((leftover + 1))
		[ -n "$first_bad" ] || first_bad="point $n: $(count_new) blocks, MemTotal \
$(meminfo MemTotal), $(grep -c . /proc/iomem) iomem lines, direct map \
$(($(directmap) - dm0)) KiB more"
	fi
done
diag "metric fault_points $((n - 1))"
diag "failed binds after which the direct map was larger: $dm_kept"
if [ "$mode" = directmap ]; then
	ok "the sweep ended with a bind that met no injected fault (within $max points)" \
		test "$r" = clean
	ok "failed binds left the range in the direct map ($dm_kept binds; now \
$(($(directmap) - dm0)) KiB more)" test "$dm_kept" -gt 0
	exit 0
fi
if [ "$mode" = leak ]; then
	# 6.1: "probe of dax0.0 failed ...", mainline: "dax0.0: probe with driver kmem failed ...".
	ok "a bind after the faults fails with -EEXIST (sections left behind)" \
		sh -c "dmesg | grep '$dax' | grep -q 'failed with error -17'"
	is "the last bind, which met no fault, added no block" "$(count_new)" 0
	exit 0
fi
ok "the sweep ended with a bind that met no injected fault (within $max points)" \
	test "$r" = clean
is "failed binds that left something behind${first_bad:+ (first: $first_bad)}" "$leftover" 0
is "the clean bind added every block" "$(count_new)" "$nblocks"
new=$(new_blocks /tmp/blocks.before)
node=$(cat "/sys/bus/dax/devices/$dax/target_node")
unmanaged0=$(unmanaged_node "$node")
ok "its blocks online" set_state online_movable $new
is "memmap pages on its blocks (present - managed, node $node)" \
	$(($(unmanaged_node "$node") - unmanaged0)) $((mom * nblocks * $(block_bytes) / 4096 / 64))
ok "its blocks offline" set_state offline $new

b=${new%%[!0-9]*}
st=$MEMSYS/memory$b/state
nei=/sys/kernel/debug/notifier-error-inject/memory/actions
refused() {
	put -12 "$nei/$1/error"
	! put "$2" "$st" 2>/dev/null
	_r=$?
	put 0 "$nei/$1/error"
	[ $_r = 0 ] && [ "$(cat "$st")" = "$3" ]
}
ok "a notifier refusing MEM_GOING_ONLINE leaves block $b offline" \
	refused MEM_GOING_ONLINE online_movable offline
put online_movable "$st"
ok "a notifier refusing MEM_GOING_OFFLINE leaves block $b online" \
	refused MEM_GOING_OFFLINE offline online

# Offline sweep of block $b (online here).
n=0 bad=0
while [ $n -lt "$max" ]; do
	n=$((n + 1))
	r=$(write_with_fault $n offline "$st" 2>/dev/null)
	case $(cat "$st") in
	online) [ "$r" = hit ] || bad=$((bad + 1)) ;;
	offline) [ "$r" = clean ] && break ;;
	*) bad=$((bad + 1)) ;;
	esac
	[ "$(cat "$st")" = online ] || put online_movable "$st"
done
diag "metric offline_fault_points $((n - 1))"
ok "the offline sweep ended with a clean offline (within $max points)" test "$r" = clean
is "offline faults that left block $b neither online nor offline" "$bad" 0

# Either the unbind happened and removed everything, or it never started (a fault in the
# write itself) and the device is still bound with all its blocks.
unbind_consistent() {
	if [ -e "$drv/kmem/$dax" ]; then
		[ "$(count_new)" = "$nblocks" ] && [ "$r" = hit ]
	else
		no_new && [ "$(meminfo MemTotal)" = "$total0" ] &&
			[ "$(grep -c . /proc/iomem)" = "$iomem0" ] && [ "$(directmap)" = "$dm0" ]
	fi
}

# Unbind sweep: every fault point of the kmem unbind, with all blocks offline.
n=0 leftover=0 first_bad=""
while [ $n -lt "$max" ]; do
	n=$((n + 1))
	[ -e "$drv/kmem/$dax" ] || put "$dax" $drv/kmem/bind
	r=$(write_with_fault $n "$dax" $drv/kmem/unbind 2>/dev/null)
	if ! unbind_consistent; then
		leftover=$((leftover + 1))
		[ -n "$first_bad" ] || first_bad="point $n: $(count_new) blocks, MemTotal \
$(meminfo MemTotal), $(grep -c . /proc/iomem) iomem lines"
		unbind_kmem
		put "$dax" $drv/kmem/new_id
	fi
	[ "$r" = clean ] && break
done
diag "metric unbind_fault_points $((n - 1))"
ok "the unbind sweep ended with a clean unbind (within $max points)" test "$r" = clean
is "faulted unbinds that left something behind${first_bad:+ (first: $first_bad)}" \
	"$leftover" 0
unbind_kmem
put "$dax" $drv/device_dax/bind
