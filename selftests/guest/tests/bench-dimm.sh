#!/bin/sh
# shellcheck disable=SC2086,SC2046 # block ids, one per word
# ci/bench.sh: ACPI DIMMs of SIZE GiB each, hot-added by the host (its actions add-SIZE and
# del-SIZE). First every DIMM is added in turn, all blocks left offline, and the boot memory
# each add consumes is read (free pages before, and after its last block appeared); nothing
# is removed between two readings (memory freed by a removal comes back after the blocks are
# gone). Then each DIMM's blocks are onlined (movable) in turn and MemTotal's growth read;
# everything is offlined and removed. Then RUNS timed cycles of the DIMM of TIME_GIB GiB:
# add + online, and offline + remove; the host keeps the DIMM's memory between two cycles
# (unplug-SIZE), so that from the second cycle on no kernel pays QEMU for touching fresh
# host memory, which a physical DIMM does not cost.
# Reports `# bench drop_kib|growth_kib|add_ms|hotadd_ms|online_ms|remove_ms GIB VALUE`.
# Usage: bench-dimm.sh TIME_GIB RUNS SIZE...
# shellcheck source=../lib.sh
. /bench/lib.sh
# shellcheck source=../bench-lib.sh
. /bench/bench-lib.sh
tgib=$1 runs=$2
shift 2

plan $((1 + $# * 5 + runs * 2))
bb=$(block_bytes)
param=/sys/module/memory_hotplug/parameters/memmap_on_memory
diag "kernel $(uname -r); memmap_on_memory=$(cat $param 2>/dev/null)"
blocks >/tmp/blocks.boot

for gib in "$@"; do
	n=$((gib * 1073741824 / bb))
	blocks >/tmp/blocks.before
	free0=$(free_kib)
	ok "$gib GiB DIMM: host adds it" hostact "add-$gib"
	poll_for has_new "$n"
	# The last block appears just before the add ends: let it finish.
	sleep 1
	bench drop_kib "$gib" $((free0 - $(free_kib)))
	new_blocks /tmp/blocks.before >"/tmp/new.$gib"
	is "$gib GiB DIMM: memory blocks added" "$(wc -l <"/tmp/new.$gib")" "$n"
done
for gib in "$@"; do
	total0=$(meminfo MemTotal)
	ok "$gib GiB DIMM: blocks online" set_state online_movable $(cat "/tmp/new.$gib")
	bench growth_kib "$gib" $(($(meminfo MemTotal) - total0))
done
for gib in "$@"; do
	ok "$gib GiB DIMM: blocks offline" set_state offline $(cat "/tmp/new.$gib")
	ok "$gib GiB DIMM: host removes it" hostact "del-$gib"
done
none_since_boot() {
	[ "$(new_blocks /tmp/blocks.boot | wc -l)" = 0 ]
}
poll_for none_since_boot
is "every added memory block removed" "$(new_blocks /tmp/blocks.boot | wc -l)" 0

n=$((tgib * 1073741824 / bb))
blocks >/tmp/blocks.before
for r in $(seq "$runs"); do
	t0=$(now_ms)
	ta=$t0
	hostact "add-$tgib" && poll_for has_new "$n" && ta=$(now_ms) &&
		set_state online_movable $(new_blocks /tmp/blocks.before)
	rc=$?
	t1=$(now_ms)
	ok "run $r: $tgib GiB DIMM added and online" test $rc = 0
	set_state offline $(new_blocks /tmp/blocks.before) && hostact "unplug-$tgib" &&
		poll_for no_new
	rc=$?
	t2=$(now_ms)
	ok "run $r: $tgib GiB DIMM offline and removed" test $rc = 0
	bench add_ms "$tgib" $((t1 - t0))
	# Its two parts: the hot-add (until every block is there), and onlining the blocks.
	bench hotadd_ms "$tgib" $((ta - t0))
	bench online_ms "$tgib" $((t1 - ta))
	bench remove_ms "$tgib" $((t2 - t1))
done
