#!/bin/sh
# An ACPI DIMM hot-add whose System RAM resource cannot be allocated: failslab fails the first
# slab allocation under register_memory_resource() (the struct resource __request_region()
# allocates), which then returns -EEXIST although nothing holds the range.
# Fixed (mainline patch 13): the ACPI driver does not take that for memory present since boot.
# The range is skipped, the hot-add fails ("acpi_memory_enable_device() error"), nothing is
# added, and the eject and a clean add and remove work.
# With "warn" (unpatched mainline): the driver marks the range enabled and attaches with
# nothing added; the eject then removes memory that was never added. The scenario boots with
# panic_on_warn and expects the WARNING in remove_memory_block_devices() to kill the guest.
# Usage: acpi-eexist.sh SIZE_MIB [fixed|warn]
. /bench/lib.sh
. /bench/mainline-lib.sh
size_mib=$1 mode=${2:-fixed}
nblocks=$((size_mib * 1048576 / $(block_bytes)))
fs=/sys/kernel/debug/failslab

fault_setup
if ! fault_require failslab register_memory_resource; then
	echo "1..0 # SKIP needs CONFIG_FAULT_INJECTION_STACKTRACE_FILTER=y and /proc/kallsyms"
	exit 4
fi
injected() {
	[ "$(cat $fs/times)" = 0 ]
}
if [ "$mode" = warn ]; then plan 5; else plan 8; fi
diag "DIMM of $size_mib MiB = $nblocks blocks; register_memory_resource at" \
	"$(sym_range register_memory_resource)"
total0=$(meminfo MemTotal)
ram0=$(ram_lines)
blocks >/tmp/blocks.before
dmesg -c >/dev/null

put 100 $fs/probability
ok "host adds the DIMM" hostact add
ok "a fault was injected under register_memory_resource()" wait_for 60 injected
put 0 $fs/probability
# Let the rest of the hot-add work finish before looking.
sleep 2
left=$(count_new)
diag "after the hot-add: $left blocks, $(($(ram_lines) - ram0)) System RAM resources," \
	"MemTotal $(meminfo MemTotal) KiB (boot $total0)"
is "memory blocks added" "$left" 0
if [ "$mode" = warn ]; then
	# Unpatched: the device attached although nothing was added; its eject removes memory
	# that does not exist (the WARNING, with panic_on_warn the end of this guest).
	ok "unpatched: the hot-add did not fail" sh -c "! dmesg | grep -q 'acpi_memory_enable_device() error'"
	hostact remove
	sleep 10
	ok "the eject WARNed (panic_on_warn ends the guest before this line)" false
	exit 0
fi
ok "the hot-add failed" dmesg_has 'acpi_memory_enable_device\(\) error'
ok "the driver said why it skipped the range" dmesg_has 'cannot claim \[mem .*not present memory'
is "System RAM resources added" $(($(ram_lines) - ram0)) 0
is "MemTotal after the failed hot-add (KiB over boot)" $(($(meminfo MemTotal) - total0)) 0
ok "unplug, then a clean add (blocks bound to the ACPI device) and remove" \
	dimm_clean_cycle "$nblocks" "$total0"
