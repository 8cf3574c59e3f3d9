#!/bin/sh
# A failed direct-map page-table allocation during an ACPI DIMM hot-add on x86_64: the host
# hot-adds a DIMM of SIZE_MIB (action "add"; less than 1 GiB, so that its direct map needs a
# new PMD table, at 4 GiB, where the boot direct map has none) while fail_page_alloc fails
# the first page allocation made under init_memory_mapping(), which is that table's
# (alloc_low_pages(), which the stack shows as its caller, phys_pud_init()). The hot-add must fail cleanly: no memory block, no System RAM resource,
# MemTotal and the direct map (DirectMap* of meminfo) as before; then the host removes the
# DIMM and a clean add (blocks bound to the ACPI device) and remove work.
# With "oops" it shows what unpatched mainline does: the page-table walker uses the NULL
# table, and the hot-add oopses (NULL dereference in phys_pmd_init()/phys_pud_init()); the
# scenario's expect-oops judges that, the test only waits for it.
# Usage: x86pt-fault.sh SIZE_MIB [fixed|oops]
# shellcheck disable=SC2086 # block ids, one per word
. /bench/lib.sh
. /bench/mainline-lib.sh
size_mib=$1 mode=${2:-fixed}
nblocks=$((size_mib * 1048576 / $(block_bytes)))
fs=/sys/kernel/debug/fail_page_alloc

fault_setup
if ! fault_require fail_page_alloc init_memory_mapping; then
	echo "1..0 # SKIP needs CONFIG_FAULT_INJECTION_STACKTRACE_FILTER=y and /proc/kallsyms"
	exit 4
fi
# The failing call's stack goes to the log: it must be alloc_low_pages()'s.
put 2 $fs/verbose
if [ "$mode" = oops ]; then plan 2; else plan 9; fi
diag "DIMM of $size_mib MiB = $nblocks blocks; init_memory_mapping at $(sym_range init_memory_mapping)"
total0=$(meminfo MemTotal)
ram0=$(ram_lines)
dm0=$(directmap)
blocks >/tmp/blocks.before
dmesg -c >/dev/null

put 100 $fs/probability
ok "host adds the DIMM" hostact add
if [ "$mode" = oops ]; then
	ok "unpatched: the hot-add oopses" wait_for 60 dmesg_has 'BUG: kernel NULL pointer|Oops'
	exit 0
fi
ok "the hot-add met the fault and failed" wait_for 60 dmesg_has 'acpi_memory_enable_device\(\) error'
put 0 $fs/probability
is "a fault was injected under init_memory_mapping()" "$(cat $fs/times)" 0
ok "the fault hit a direct-map page-table allocation" dmesg_has 'alloc_low_pages|phys_p(4d|ud|md)_init'
sleep 2
diag "after the failed hot-add: $(count_new) blocks, $(($(ram_lines) - ram0)) System RAM resources, DirectMap $(directmap) KiB (before $dm0)"
is "memory blocks left by the failed hot-add" "$(count_new)" 0
is "System RAM resources left by the failed hot-add" $(($(ram_lines) - ram0)) 0
is "MemTotal after the failed hot-add (KiB over boot)" $(($(meminfo MemTotal) - total0)) 0
is "direct map after the failed hot-add (KiB over boot)" $(($(directmap) - dm0)) 0
ok "unplug, then a clean add (blocks bound to the ACPI device) and remove" \
	dimm_clean_cycle "$nblocks" "$total0"
