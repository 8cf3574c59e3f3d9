#!/bin/sh
# An ACPI DIMM hot-add whose memory blocks fail to bind to the ACPI device: the host hot-adds
# the DIMM (action "add") while failslab fails the first slab allocation made inside
# acpi_bind_one() (the physical_node kzalloc()), so binding the DIMM's first block fails with
# -ENOMEM after __add_memory() succeeded, and the hot-add gives up. Nothing of the DIMM may be
# left: no memory block, no System RAM resource, MemTotal as before; then the host removes the
# DIMM and a clean add (blocks bound to the ACPI device) and remove work.
# With "leak" it checks the opposite, what unpatched mainline does: every block of the DIMM
# and its System RAM resource stay, unbound, until reboot. They are then removed through
# mhp_test.ko, before the host removes the DIMM under them, and the clean cycle must work.
# Usage: acpi-bind-fault.sh SIZE_MIB [fixed|leak]
# shellcheck disable=SC2086 # block ids, one per word
. /bench/lib.sh
. /bench/mainline-lib.sh
size_mib=$1 mode=${2:-fixed}
nblocks=$((size_mib * 1048576 / $(block_bytes)))
fs=/sys/kernel/debug/failslab

fault_setup
if ! fault_require failslab acpi_bind_one; then
	echo "1..0 # SKIP needs CONFIG_FAULT_INJECTION_STACKTRACE_FILTER=y and /proc/kallsyms"
	exit 4
fi
plan 7
diag "DIMM of $size_mib MiB = $nblocks blocks; acpi_bind_one at $(sym_range acpi_bind_one)"
total0=$(meminfo MemTotal)
ram0=$(ram_lines)
blocks >/tmp/blocks.before
dmesg -c >/dev/null

put 100 $fs/probability
ok "host adds the DIMM" hostact add
ok "the hot-add met the fault and failed" wait_for 60 dmesg_has 'acpi_memory_enable_device\(\) error'
put 0 $fs/probability
is "a fault was injected in acpi_bind_one()" "$(cat $fs/times)" 0
# Let the rest of the hot-add work finish before looking.
sleep 2
left=$(count_new)
ram=$(($(ram_lines) - ram0))
diag "after the failed hot-add: $left blocks, $ram System RAM resources, MemTotal $(meminfo MemTotal) KiB (boot $total0)"
if [ "$mode" = leak ]; then
	is "unpatched: every block of the DIMM is left behind" "$left" "$nblocks"
	is "unpatched: its System RAM resource is left behind" "$ram" 1
else
	is "memory blocks left by the failed hot-add" "$left" 0
	is "System RAM resources left by the failed hot-add" "$ram" 0
fi
is "MemTotal after the failed hot-add (KiB over boot)" $(($(meminfo MemTotal) - total0)) 0

# Unpatched: take the leaked blocks away before the host unplugs the DIMM under them.
if [ "$left" != 0 ]; then
	new=$(new_blocks /tmp/blocks.before)
	diag "leaked blocks: $(echo "$new" | tr "\n" " "); removing them through mhp_test"
	set_state offline $new 2>/dev/null
	[ -e /sys/kernel/debug/mhp_test ] || insmod "$(bench_module mhp_test)"
	first=$(echo "$new" | head -n 1)
	printf '%x %x' $((first * $(block_bytes))) $((left * $(block_bytes))) \
		>/sys/kernel/debug/mhp_test/remove
fi
ok "unplug, then a clean add (blocks bound to the ACPI device) and remove" \
	dimm_clean_cycle "$nblocks" "$total0"
