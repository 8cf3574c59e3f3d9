#!/bin/sh
# An ACPI DIMM hot-add whose firmware map entry gets no sysfs directory: failslab fails the
# first slab allocation under add_sysfs_fw_map_entry() (the name of the entry's kobject), so
# kobject_add() fails and its error path drops the entry.
# Fixed (mainline patch 14): the entry leaves the firmware map list before it is freed. The
# DIMM is added without a firmware map entry, its eject works, and a clean add (with its
# entry) and remove follow.
# With "uaf" (unpatched mainline): the freed entry stays on the list, and the eject's lookup
# in firmware_map_remove() runs into it; the scenario expects the oops.
# Usage: fwmap-sysfs-fault.sh SIZE_MIB [fixed|uaf]
. /bench/lib.sh
. /bench/mainline-lib.sh
size_mib=$1 mode=${2:-fixed}
nblocks=$((size_mib * 1048576 / $(block_bytes)))
fs=/sys/kernel/debug/failslab

fault_setup
if ! fault_require failslab add_sysfs_fw_map_entry; then
	echo "1..0 # SKIP needs CONFIG_FAULT_INJECTION_STACKTRACE_FILTER=y and /proc/kallsyms"
	exit 4
fi
injected() {
	[ "$(cat $fs/times)" = 0 ]
}
entries() {
	find /sys/firmware/memmap -mindepth 1 -maxdepth 1 | wc -l
}
# eject: the host removes the DIMM (its blocks offline) and they are gone.
eject() {
	# shellcheck disable=SC2046 # block ids, one per word
	set_state offline $(new_blocks /tmp/blocks.before) 2>/dev/null
	hostact remove && wait_for 60 no_new
}
# cycle: a clean add gives the DIMM's blocks and one firmware map entry; the eject takes both.
cycle() {
	hostact add && wait_for 60 have_new "$nblocks" || return 1
	[ $(($(entries) - entries0)) = 1 ] || return 1
	eject && [ "$(entries)" = "$entries0" ] && [ "$(meminfo MemTotal)" = "$total0" ]
}
if [ "$mode" = uaf ]; then plan 5; else plan 7; fi
diag "DIMM of $size_mib MiB = $nblocks blocks; add_sysfs_fw_map_entry at" \
	"$(sym_range add_sysfs_fw_map_entry)"
total0=$(meminfo MemTotal)
entries0=$(entries)
blocks >/tmp/blocks.before
dmesg -c >/dev/null

put 100 $fs/probability
ok "host adds the DIMM" hostact add
ok "a fault was injected under add_sysfs_fw_map_entry()" wait_for 60 injected
put 0 $fs/probability
ok "the hot-add went on: the DIMM's blocks are there" wait_for 60 have_new "$nblocks"
is "firmware map entries added" $(($(entries) - entries0)) 0
if [ "$mode" = uaf ]; then
	eject
	sleep 5
	ok "the eject ran into the freed entry (the guest oopses before this line)" false
	exit 0
fi
ok "the eject removed the DIMM" eject
is "MemTotal after the eject (KiB over boot)" $(($(meminfo MemTotal) - total0)) 0
ok "a clean add (blocks and firmware map entry) and remove" cycle
