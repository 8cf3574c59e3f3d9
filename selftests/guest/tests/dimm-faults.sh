#!/bin/sh
# Fault sweep of an ACPI DIMM hot-add and hot-remove (the host's "add" and "remove" actions).
# ACPI adds and removes memory from its hotplug workqueue, not from a task of ours, so
# fail-nth N is armed in every unbound kworker (kacpi_hotplug is an ordered, unbound
# workqueue): the N-th fault point (failslab, fail_page_alloc, sleeping allocations included)
# of the worker that runs the hot-add, or the eject, fails.
# The worker passes ~1500 points for a hot-add and ~600 for an eject, most of them in the ACPI
# interpreter (_STA, _CRS, _OST, _EJ0) and kmemleak's bookkeeping. The kernel's stack filter
# (fault_require_code, fault_reject_code) makes fail-nth count only the points of the code
# under test, and the sweep fails every one of them in turn, so what it covers does not depend
# on the allocator's state:
# - default ("core"): the memory hotplug core (mm/memory_hotplug.c: everything under
#   __add_memory() and try_remove_memory(), x86's direct-map page tables included, which both
#   series make fail cleanly), without kmemleak's own records (__create_object()), whose
#   failure kmemleak absorbs from its reserve pool;
# - "full": the ACPI memory driver's add and remove (acpi_memhotplug.c: __add_memory(), the
#   binding of the blocks to the device and its unwind, the removal, and the driver's own
#   allocations that ACPICA does not call back), without the ACPI interpreter (ACPICA): a fault
#   there makes QEMU's eject of the DIMM time out a probe or two later (ACPICA's error paths,
#   on unpatched kernels too), which the sweep cannot recover from. kmemleak's records count.
# The filter sees the innermost 32 frames of a stack, which is deeper than any of these paths.
# The points are counted first (printed as dimm_*_points_total). After every point: the
# DIMM's blocks are all there or none is; after the remove (or, when the faulted eject failed,
# a clean one) nothing is left: no block, MemTotal and /proc/iomem as before the add. A fault
# in acpi_bind_one() after __add_memory() must leave nothing either (both series carry "ACPI:
# memhotplug: Remove a range whose memory blocks fail to bind"). Each injected fault prints its
# stack (verbose=2, except allocations that ask for no warning), which tells the memory
# hotplug points from the others. Then a clean add and remove must work.
# Usage: dimm-faults.sh SIZE_MIB [core|full]
. /bench/lib.sh
size_mib=$1 mode=${2:-core}
nblocks=$((size_mib * 1048576 / $(block_bytes)))

plan 9
fault_setup
case $mode in
full)
	code="acpi_memory_device_add acpi_memory_device_remove"
	reject='^acpi_(ds|ex|ns|ps|ut|rs|tb|ev|hw)_'
	what="the ACPI memory driver, not ACPICA"
	;;
core)
	# The entry points and what they call of memory_hotplug.c's one section (.ref.text on
	# 6.1, .text on mainline; __remove_memory() only calls try_remove_memory()).
	code="add_memory_resource __add_memory try_remove_memory __add_pages"
	reject='^__create_object(\.|$)'
	what="the memory hotplug core, not kmemleak's records"
	;;
*) echo "Bail out! unknown mode '$mode' (core, full)"; exit 1 ;;
esac
filter() {
	# shellcheck disable=SC2086 # code is a list of symbols
	fault_require_code $code && fault_reject_code "$reject"
}
ok "the stack filter confines faults to $what ($code)" filter || {
	echo "Bail out! the stack filter could not be set (the console's 'guest:' line says why;" \
		"6.1 needs kernel-config/test-patches/6.1)"
	exit 1
}
for _r in require reject; do
	diag "$_r range $(cat /sys/kernel/debug/fail_page_alloc/$_r-start)-$(cat /sys/kernel/debug/fail_page_alloc/$_r-end)"
done
# fail-nth must honour the filter (6.1 needs the bench-only backport of f9eeef5918bb for that):
# this task's own allocations (a file created in a subshell) are outside the required code,
# so its fail-nth 1 must neither fail one nor count down.
fail_nth_filtered() {
	(echo 1 >/proc/self/fail-nth && : >/tmp/fail-nth-probe && read -r _v </proc/self/fail-nth &&
		echo 0 >/proc/self/fail-nth && [ "$_v" = 1 ]) 2>/dev/null
}
ok "fail-nth counts only calls the stack filter lets through" fail_nth_filtered || {
	echo "Bail out! fail-nth ignores the stack filter (6.1: kernel-config/test-patches/6.1)"
	exit 1
}
# Each injected fault prints its stack: it tells the memory hotplug points from the ACPI
# interpreter's (_STA, _CRS, _OST, _EJ0 evaluation), whose own error paths are not the series'.
for a in failslab fail_page_alloc; do put 2 /sys/kernel/debug/$a/verbose; done
dmesg -c >/dev/null
add_re='add_memory_resource|__add_memory|arch_add_memory|create_memory_block_devices'
rm_re='try_remove_memory|__remove_memory|arch_remove_memory|remove_memory_block_devices'
# where RE: "hotplug" when the last injected fault's stack has a function matching RE,
# "silent" when it printed none (an allocation with __GFP_NOWARN: fail_dump() is skipped).
where() {
	dmesg -c >/tmp/dmesg
	if ! grep -q 'FAULT_INJECTION: forcing' /tmp/dmesg; then echo silent
	elif grep -qE "$1" /tmp/dmesg; then echo hotplug
	elif grep -q 'acpi_bind_one' /tmp/dmesg; then echo bind; else
		echo "acpi($(grep -oE 'acpi_[a-z_]+' /tmp/dmesg | grep -vE 'acpi_(os|ut|ds|ps|ex|ns|ev)_' |
			head -n 3 | tr '\n' ' '))"
	fi
}
total0=$(meminfo MemTotal)
iomem0=$(grep -c . /proc/iomem)
blocks >/tmp/blocks.before

workers() {
	grep -l '^kworker/u' /proc/[0-9]*/comm 2>/dev/null | sed 's|/comm$||'
}
# arm N: the N-th fault point of every unbound kworker fails.
arm() {
	workers >/tmp/armed
	while read -r _p; do echo "$1" >"$_p/fail-nth"; done </tmp/armed 2>/dev/null
}
# disarm: prints "hit" when an armed worker met its fault, "clean" otherwise.
disarm() {
	_hit=clean
	while read -r _p; do
		[ "$(cat "$_p/fail-nth" 2>/dev/null)" = 0 ] && _hit=hit
		echo 0 >"$_p/fail-nth"
	done </tmp/armed 2>/dev/null
	echo $_hit
}
# moved_and_idle N: an armed worker has passed fault points (its countdown left N), every
# armed worker is idle, and the countdowns did not change since the last call.
moved_and_idle() {
	_moved=no _snap=""
	while read -r _p; do
		_c=$(cat "$_p/fail-nth" 2>/dev/null) || continue
		[ "$_c" = "$1" ] || _moved=yes
		_snap="$_snap $_c"
		[ "$(cut -d' ' -f3 "$_p/stat")" = I ] || return 1
	done </tmp/armed
	_was=$(cat /tmp/snap 2>/dev/null)
	echo "$_snap" >/tmp/snap
	[ $_moved = yes ] && [ "$_snap" = "$_was" ]
}
# settle N: waits until the work the host's action queued has run in an armed worker.
settle() {
	rm -f /tmp/snap
	wait_for 30 moved_and_idle "$1"
}
memory_back() {
	[ "$(count_new)" = 0 ] && [ "$(meminfo MemTotal)" = "$total0" ]
}
back_to_start() {
	memory_back && [ "$(grep -c . /proc/iomem)" = "$iomem0" ]
}

# consumed: fault points the armed workers passed since arm 100000.
consumed() {
	_c=0
	while read -r _p; do
		_v=$(cat "$_p/fail-nth" 2>/dev/null) || continue
		[ "$_v" = 0 ] || _c=$((_c + 100000 - _v))
		echo 0 >"$_p/fail-nth"
	done </tmp/armed
	echo $_c
}
arm 100000
hostact add
settle 100000
add_total=$(consumed)
diag "metric dimm_add_points_total $add_total"
arm 100000
hostact remove
settle 100000
rm_total=$(consumed)
diag "metric dimm_remove_points_total $rm_total"
dmesg -c >/dev/null

hotplug_add=0 hotplug_rm=0 partial=0 leftover=0 refused=0 probes=0 first_bad=""
# check_back WHAT N: after point N, the memory and /proc/iomem must be as before the add.
check_back() {
	back_to_start || bad "$1" "$2"
}
bad() {
	leftover=$((leftover + 1))
	[ -n "$first_bad" ] || first_bad="$1 point $2: $(count_new) blocks, MemTotal \
$(($(meminfo MemTotal) - total0)) KiB off, $(($(grep -c . /proc/iomem) - iomem0)) iomem lines off"
}

# add_point N: a hot-add with the N-th point failing, then a clean remove. Prints the class.
add_point() {
	arm "$1"
	hostact add || return 1
	settle "$1"
	_r=$(disarm)
	_w=$(where "$add_re")
	_got=$(count_new)
	if [ "$_got" != "$nblocks" ] && [ "$_got" != 0 ]; then
		partial=$((partial + 1))
		[ -n "$first_bad" ] || first_bad="add point $1: $_got of $nblocks blocks"
	fi
	hostact remove || return 1
	wait_for 60 no_new
	check_back add "$1"
	probes=$((probes + 1))
	echo "guest: add point $1: $_r $_w, $_got blocks" >&2
	[ "$_r:$_w" != hit:hotplug ] || hotplug_add=$((hotplug_add + 1))
	echo "$_r:$_w" >/tmp/class
}

# rm_point N: a clean hot-add, then a remove with the N-th point failing.
rm_point() {
	hostact add && wait_for 60 have_new "$nblocks" || return 1
	arm "$1"
	if hostact remove; then
		_r=$(disarm)
	else
		# The eject failed (in memory hotplug, or in the ACPI interpreter after the memory
		# was gone): the DIMM's memory is whole or gone, and a clean remove must work.
		_r=$(disarm)
		[ "$(count_new)" = "$nblocks" ] || [ "$(count_new)" = 0 ] || bad "failed eject at" "$1"
		refused=$((refused + 1))
		hostact remove || return 1
	fi
	_w=$(where "$rm_re")
	wait_for 60 no_new
	check_back remove "$1"
	probes=$((probes + 1))
	echo "guest: remove point $1: $_r $_w" >&2
	[ "$_r:$_w" != hit:hotplug ] || hotplug_rm=$((hotplug_rm + 1))
	echo "$_r:$_w" >/tmp/class
}

# sweep FUNC TOTAL: fails every point from 1 to TOTAL in turn.
sweep() {
	_n=1
	while [ $_n -le "$2" ]; do
		$1 $_n || return 1
		[ "$(cut -d: -f1 /tmp/class)" = hit ] || missed=$((missed + 1))
		_n=$((_n + 1))
	done
}

missed=0
ok "add sweep ($mode: $add_total points) completed" sweep add_point "$add_total"
diag "metric dimm_add_hotplug_points $hotplug_add"
ok "rm sweep ($mode: $rm_total points) completed" sweep rm_point "$rm_total"
diag "metric dimm_remove_hotplug_points $hotplug_rm"
diag "metric dimm_fault_probes $probes"
# A point near the end of a count may not be reached when a slab refill came earlier than in
# the counting run: counted, never failed.
diag "metric dimm_points_not_reached $missed"
diag "$refused faulted ejects failed; a clean remove followed"
ok "faults hit memory hotplug code in the add ($hotplug_add) and the remove ($hotplug_rm)" \
	test $hotplug_add -gt 0 -a $hotplug_rm -gt 0
is "adds that left a partial DIMM" "$partial" 0
is "points after which something was left behind${first_bad:+ (first: $first_bad)}" \
	"$leftover" 0
clean_cycle() {
	_i=$(grep -c . /proc/iomem)
	hostact add && wait_for 60 have_new "$nblocks" || return 1
	_u=$(unmanaged)
	_new=$(new_blocks /tmp/blocks.before)
	# shellcheck disable=SC2086 # block ids, one per word
	set_state online_movable $_new || return 1
	memmap=$(($(unmanaged) - _u))
	# shellcheck disable=SC2086
	set_state offline $_new && hostact remove && wait_for 60 no_new &&
		memory_back && [ "$(grep -c . /proc/iomem)" = "$_i" ]
}
ok "a clean add and remove afterwards" clean_cycle
is "the DIMM's blocks carried their memmap (present - managed while online)" \
	"${memmap:-none}" $((nblocks * 512))
