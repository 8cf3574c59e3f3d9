# shellcheck shell=sh
# Helpers of the mainline-only guest tests (acpi-*, x86pt-fault, hmem-mom, zone-contig), on
# top of lib.sh: source lib.sh first.

# sym_range SYMBOL: "0xSTART 0xEND" of function SYMBOL of the core kernel (or of its first
# compiler clone, SYMBOL.isra.0 and the like), END being the
# address of the next higher symbol (/proc/kallsyms; fixed-width hex addresses compare as
# strings, awk's numbers cannot hold 64 bits). Fails when there is no such symbol or the
# addresses are hidden (kptr_restrict).
sym_range() {
	_from=$(awk -v s="$1" '($3 == s || index($3, s ".") == 1) && $2 ~ /^[tT]$/ { print $1; exit }' \
		/proc/kallsyms)
	case $_from in "" | 0000000000000000) return 1 ;; esac
	_to=$(awk -v a="$_from" '$1 "" > a && (e == "" || $1 "" < e) { e = $1 } END { print e }' \
		/proc/kallsyms)
	[ -n "$_to" ] || return 1
	echo "0x$_from 0x$_to"
}

# fault_require ATTR SYMBOL: fault attribute ATTR (failslab or fail_page_alloc) fails only
# calls that have the code of function SYMBOL on their stack, in any task, once (times 1,
# probability 0: arm it with `put 100 .../probability`). Needs
# CONFIG_FAULT_INJECTION_STACKTRACE_FILTER.
fault_require() {
	_f=/sys/kernel/debug/$1
	[ -e "$_f/require-start" ] || return 1
	# shellcheck disable=SC2046 # two words
	set -- "$_f" $(sym_range "$2")
	[ $# -eq 3 ] || return 1
	put 0 "$1/probability" && put N "$1/task-filter" && put 0 "$1/space" &&
		put 1 "$1/interval" && put 32 "$1/stacktrace-depth" &&
		put "$3" "$1/require-end" && put "$2" "$1/require-start" && put 1 "$1/times"
}

# dimm_clean_cycle NBLOCKS TOTAL0: the host removes the DIMM (action "remove"), adds it again
# (action "add"): its NBLOCKS blocks appear bound to the ACPI device (firmware_node), go
# offline, the host removes it, and MemTotal is TOTAL0 again. Needs /tmp/blocks.before.
dimm_clean_cycle() {
	hostact remove && wait_for 60 no_new || return 1
	hostact add && wait_for 60 have_new "$1" || return 1
	_new=$(new_blocks /tmp/blocks.before)
	for _b in $_new; do
		[ -e "$MEMSYS/memory$_b/firmware_node" ] || return 1
	done
	# shellcheck disable=SC2086 # block ids, one per word
	set_state offline $_new 2>/dev/null
	hostact remove && wait_for 60 no_new && [ "$(meminfo MemTotal)" = "$2" ]
}

# dmesg_has REGEX: the kernel log has a line matching REGEX (extended).
dmesg_has() {
	dmesg | grep -Eq "$1"
}

# ram_lines: the number of "System RAM" lines of /proc/iomem.
ram_lines() {
	grep -c 'System RAM' /proc/iomem
}

# series_kernel: the running kernel carries the mainline series (its last patch's
# zone_contig_update_range() is in /proc/kallsyms); the unpatched base does not.
series_kernel() {
	awk '$3 == "zone_contig_update_range" { f = 1; exit } END { exit !f }' /proc/kallsyms
}

# bench_module NAME: the path of test module NAME built for the running kernel: ci/initramfs.sh
# builds each against the patched tree (/bench/modules) and against the unpatched base
# (/bench/modules/base), whose struct layouts differ (struct zone).
bench_module() {
	if ! series_kernel && [ -e "/bench/modules/base/$1.ko" ]; then
		echo "/bench/modules/base/$1.ko"
	else
		echo "/bench/modules/$1.ko"
	fi
}
