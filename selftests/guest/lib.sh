# shellcheck shell=sh
# Helpers for guest tests (busybox ash): KTAP output, host actions, memory accounting.

_ktap_n=0

# plan N: start the KTAP document with a plan of N tests.
plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

diag() {
	echo "# $*"
}

# ok DESC CMD...: one test point, passing when CMD succeeds; returns CMD's success, so that
# `ok ... || exit 1` and `if ! ok ...; then` stop a test whose later points depend on it.
ok() {
	_d=$1
	shift
	_ktap_n=$((_ktap_n + 1))
	if "$@"; then
		echo "ok $_ktap_n $_d"
	else
		echo "not ok $_ktap_n $_d"
		return 1
	fi
}

# is DESC GOT WANT: one test point comparing two values.
is() {
	_ktap_n=$((_ktap_n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $_ktap_n $1"
	else
		echo "not ok $_ktap_n $1 # got '$2', want '$3'"
	fi
}

# skip DESC REASON: one test point that cannot run here.
skip() {
	_ktap_n=$((_ktap_n + 1))
	echo "ok $_ktap_n $1 # SKIP $2"
}

# hostact NAME: asks the host to carry out the scenario's action NAME and waits for it.
hostact() {
	echo "@@act $1"
	read -r _reply || return 1
	[ "$_reply" = "@@ok" ] && return 0
	echo "guest: host action $1: $_reply" >&2
	return 1
}

# meminfo KEY: the value of KEY in /proc/meminfo, in KiB.
meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# unmanaged: pages that zones span as present but the buddy does not manage (all zones).
unmanaged() {
	awk '$1 == "present" { p += $2 } $1 == "managed" { m += $2 } END { print p - m }' \
		/proc/zoneinfo
}

MEMSYS=/sys/devices/system/memory

block_bytes() {
	echo $((0x$(cat $MEMSYS/block_size_bytes)))
}

# blocks: the ids of all memory blocks, one per line, sorted.
blocks() {
	for _b in "$MEMSYS"/memory[0-9]*; do
		echo "${_b##*/memory}"
	done | sort -n
}

# new_blocks BEFORE: the ids of blocks that are not in the list BEFORE.
new_blocks() {
	blocks | grep -vxF -f "$1"
}

# set_state STATE ID...: writes STATE to each block; fails on the first refusal.
set_state() {
	_s=$1
	shift
	for _b in "$@"; do
		echo "$_s" >"$MEMSYS/memory$_b/state" || return 1
	done
}

# wait_for SECONDS CMD...: polls CMD every 0.2 s until it succeeds or time runs out.
wait_for() {
	_t=$(($1 * 5))
	shift
	while ! "$@"; do
		_t=$((_t - 1))
		[ $_t -gt 0 ] || return 1
		sleep 0.2
	done
}

# put VALUE FILE: writes VALUE to a sysfs FILE; fails when the kernel refuses it.
put() {
	echo "$1" >"$2"
}

# Memory blocks that appeared since `blocks >/tmp/blocks.before`.
count_new() {
	new_blocks /tmp/blocks.before | wc -l
}

have_new() {
	[ "$(count_new)" -ge "$1" ]
}

no_new() {
	[ "$(count_new)" -eq 0 ]
}

# first_dax: the name of the first dax device, if any.
first_dax() {
	for _d in /sys/bus/dax/devices/*; do
		[ -e "$_d" ] && echo "${_d##*/}" && return 0
	done
	return 1
}

# ram_resources ID...: how many "System RAM" lines of /proc/iomem span exactly the range of
# the consecutive blocks ID... (1 when they were added as one resource).
ram_resources() {
	_first=$1
	shift $(($# - 1))
	_bb=$(block_bytes)
	_range=$(printf '%08x-%08x' $((_first * _bb)) $((($1 + 1) * _bb - 1)))
	grep -c "^$_range : System RAM" /proc/iomem
}

# unmanaged_node NID: present - managed pages of node NID's zones.
unmanaged_node() {
	awk -v nid="$1" '$1 == "Node" { n = $2; sub(",", "", n) }
		n == nid && $1 == "present" { p += $2 } n == nid && $1 == "managed" { m += $2 }
		END { print p - m }' /proc/zoneinfo
}

# fault_setup: failslab and fail_page_alloc fail where fail-nth points, sleeping and order-0
# allocations included, quietly.
fault_setup() {
	for _a in failslab fail_page_alloc; do
		put N /sys/kernel/debug/$_a/ignore-gfp-wait
		put 0 /sys/kernel/debug/$_a/verbose
	done
	put N /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
	put 0 /sys/kernel/debug/fail_page_alloc/min-order
}

# write_with_fault N VALUE FILE: writes VALUE to FILE with the N-th fault injection point of
# this task failing (fail-nth); prints "hit" when the fault was injected, "clean" when the write
# never reached it. Every file is opened, and VALUE formatted, before the fault is armed, so
# that only the write's own points count. Run it in a subshell: $(write_with_fault ...).
write_with_fault() {
	_nth=/proc/thread-self/fail-nth
	# shellcheck disable=SC2094 # separate descriptors on purpose: arm, read back, disarm
	exec 5>"$3" 6>$_nth 7<$_nth 8>$_nth
	echo "$1" >&6
	echo "$2" >&5
	read -r _left <&7
	echo 0 >&8
	exec 5>&- 6>&- 7<&- 8>&-
	if [ "$_left" = 0 ]; then echo hit; else echo clean; fi
}

# directmap: KiB of RAM the kernel's direct map covers (DirectMap4k + 2M + 1G of meminfo); a
# hot-add maps its range there, a removal, or an add that fails, unmaps it.
directmap() {
	awk '$1 ~ /^DirectMap/ { s += $2 } END { print s }' /proc/meminfo
}

# fwmap: the entries of the firmware memory map (/sys/firmware/memmap, kexec's view), one
# "START-END TYPE" line each, sorted; hot-added "System RAM" gets an entry, its removal drops
# it. Nothing when the kernel has no CONFIG_FIRMWARE_MEMMAP.
fwmap() {
	for _e in /sys/firmware/memmap/*; do
		[ -e "$_e/start" ] && echo "$(cat "$_e/start")-$(cat "$_e/end") $(cat "$_e/type")"
	done | sort
}

# to_device_dax DAX: leaves dax device DAX bound to device_dax, the state every dax_hmem
# device has after 6.1's boot. Mainline hands soft-reserved (hmem) devices to kmem at boot
# (dax_match_type(): their region is of kmem's type), which adds their memory: this offlines
# that memory's blocks, unbinds kmem, which removes it, and binds device_dax by name
# (device_dax/new_id; its type no longer matches the device). A device bound to neither
# driver is left alone, and it fails.
to_device_dax() {
	_dd=/sys/bus/dax/drivers
	[ -e "$_dd/device_dax/$1" ] && return 0
	if [ -e "$_dd/kmem/$1" ]; then
		_bb=$(block_bytes)
		_lo=$(($(cat "/sys/bus/dax/devices/$1/resource") / _bb))
		_hi=$((_lo + $(cat "/sys/bus/dax/devices/$1/size") / _bb - 1))
		for _b in $(seq "$_lo" "$_hi"); do
			[ ! -e "$MEMSYS/memory$_b" ] || [ "$(cat "$MEMSYS/memory$_b/state")" = offline ] ||
				put offline "$MEMSYS/memory$_b/state" || return 1
		done
		put "$1" "$_dd/kmem/unbind" || return 1
		put "$1" "$_dd/device_dax/new_id" && [ -e "$_dd/device_dax/$1" ]
	else
		return 1
	fi
}

# fault_reject_code REGEX: failslab and fail_page_alloc fail no call that has code between the
# lowest and the end of the highest kernel text function matching REGEX on its stack (one
# function, or one object directory's functions, e.g. ACPICA's, which the kernel links in one
# piece). Call it after fault_require_code. Fails, saying why, when the filter or the
# functions are missing, or when the range is wider than 512 KiB.
fault_reject_code() {
	_etext=$(awk '$3 == "_etext" { print $1 }' /proc/kallsyms)
	_lohi=$(awk -v re="$1" -v et="$_etext" '$2 ~ /^[tT]$/ && $1 "" < et && $3 ~ re {
			if (lo == "" || $1 "" < lo) lo = $1; if (hi == "" || $1 "" > hi) hi = $1 }
		END { if (lo != "") print lo, hi }' /proc/kallsyms)
	[ -n "$_lohi" ] || { echo "guest: fault_reject_code $1: no such function" >&2; return 1; }
	_lo=${_lohi% *} _hi=${_lohi#* }
	_to=$(awk -v a="$_hi" '$1 "" > a && (e == "" || $1 "" < e) { e = $1 } END { print e }' \
		/proc/kallsyms)
	[ -n "$_to" ] || return 1
	if [ $((0x$_to - 0x$_lo)) -gt 524288 ] || [ $((0x$_to - 0x$_lo)) -le 0 ]; then
		echo "guest: fault_reject_code $1: range $_lo-$_to is too wide" >&2
		return 1
	fi
	for _a in failslab fail_page_alloc; do
		_f=/sys/kernel/debug/$_a
		[ -e $_f/reject-start ] ||
			{ echo "guest: $_f has no stack filter (reject-start)" >&2; return 1; }
		put "0x$_to" $_f/reject-end && put "0x$_lo" $_f/reject-start || return 1
	done
}

# fault_require_code SYMBOL...: failslab and fail_page_alloc fail only calls with code between
# the lowest and the highest of the functions SYMBOL... on their stack: SYMBOLs of one source
# file and one section span that file's code (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER, which
# fail-nth honours since v6.2; the 6.1 test kernels carry that as a bench-only backport).
# Fails, saying why, when the filter or a symbol is missing, or when the range is wider than
# 64 KiB: SYMBOLs in different sections (6.1 puts __ref functions in .ref.text) would let
# unrelated code (the slab allocator, the ACPI interpreter) through.
fault_require_code() {
	# The lowest and highest address of the SYMBOLs (fixed-width hex compares as strings).
	# A compiler's clone (name.constprop.0, name.isra.0) counts as the function.
	_lohi=$(awk -v want=" $* " '$2 ~ /^[tT]$/ { f = $3; sub(/\..*/, "", f) }
		$2 ~ /^[tT]$/ && index(want, " " f " ") {
			if (!seen[f]++) n++
			if (lo == "" || $1 "" < lo) lo = $1; if (hi == "" || $1 "" > hi) hi = $1 }
		END { if (n == split(want, w, " ")) print lo, hi }' /proc/kallsyms)
	_lo=${_lohi% *} _hi=${_lohi#* }
	case $_lo in "" | 0000000000000000)
		echo "guest: fault_require_code $*: a symbol is missing from /proc/kallsyms" >&2
		return 1 ;;
	esac
	# The end of the highest function: the next higher symbol.
	_to=$(awk -v a="$_hi" '$1 "" > a && (e == "" || $1 "" < e) { e = $1 } END { print e }' \
		/proc/kallsyms)
	[ -n "$_to" ] || return 1
	if [ $((0x$_to - 0x$_lo)) -gt 65536 ] || [ $((0x$_to - 0x$_lo)) -le 0 ]; then
		echo "guest: fault_require_code $*: range $_lo-$_to is not one file's code" >&2
		return 1
	fi
	for _a in failslab fail_page_alloc; do
		_f=/sys/kernel/debug/$_a
		[ -e $_f/require-start ] ||
			{ echo "guest: $_f has no stack filter (require-start)" >&2; return 1; }
		put 32 $_f/stacktrace-depth && put "0x$_to" $_f/require-end &&
			put "0x$_lo" $_f/require-start || return 1
	done
}

