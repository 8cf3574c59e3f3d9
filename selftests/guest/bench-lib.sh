# shellcheck shell=sh
# Helpers for ci/bench.sh's guest tests (busybox ash), on top of lib.sh. A measurement is a
# KTAP diagnostic line `# bench KEY GIB VALUE` that ci/bench-report.py collects.

# bench KEY GIB VALUE: reports one measurement.
bench() {
	echo "# bench $1 $2 $3"
}

# now_ms: the monotonic clock (ktime_get(), "now at" in /proc/timer_list), in milliseconds;
# /proc/uptime (10 ms steps) where that file is missing.
now_ms() {
	if [ -r /proc/timer_list ]; then
		awk '$1 == "now" && $2 == "at" { printf "%d\n", $3 / 1000000; exit }' /proc/timer_list
	else
		awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
	fi
}

# free_kib: free memory in KiB, exactly: the per-CPU counter deltas folded in first
# (vm.stat_refresh), and the free pages on the per-CPU lists (zoneinfo's pagesets `count`)
# added to MemFree, as those lists take and give pages in batches of up to 63 pages.
free_kib() {
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	awk 'FILENAME == "/proc/meminfo" && $1 == "MemFree:" { f += $2 }
		FILENAME == "/proc/zoneinfo" && $1 == "count:" { f += $2 * 4 }
		END { print f }' /proc/meminfo /proc/zoneinfo
}

# load_dax_modules: the reference kernel has kmem and dax_hmem as modules, shipped in the
# initramfs under its release; the bench's own kernels have them built in. 6.12 binds
# dax_hmem devices to kmem as they appear (with memmap_on_memory 0): with the bus's autoprobe
# off they stay unbound until a test binds them. device_dax is never loaded (nor, on 6.1,
# registered: initcall_blacklist=dax_init), as binding it would take a memmap for the whole
# device from boot memory before kmem is involved.
load_dax_modules() {
	_mods=/bench/modules/$(uname -r)
	[ -d "$_mods" ] || return 0
	insmod "$_mods/kmem.ko" || return 1
	echo 0 >/sys/bus/dax/drivers_autoprobe
	insmod "$_mods/dax_hmem.ko" || return 1
	wait_for 10 first_dax >/dev/null
}

# dax_devices: the dax devices, smallest first, one per line.
dax_devices() {
	for _d in /sys/bus/dax/devices/*; do
		[ -e "$_d/size" ] && echo "$(cat "$_d/size") ${_d##*/}"
	done | sort -n | awk '$1 > 0 { print $2 }'
}

# dax_release DEV: unbinds DEV from whichever driver holds it.
dax_release() {
	[ -e "/sys/bus/dax/devices/$1/driver" ] || return 0
	echo "$1" >"/sys/bus/dax/devices/$1/driver/unbind"
}

# dax_set_mom DEV MOM: sets the device's memmap_on_memory attribute; a kernel without the
# attribute (6.1) passes, as the kernel parameter is all it has.
dax_set_mom() {
	[ -e "/sys/bus/dax/devices/$1/memmap_on_memory" ] || return 0
	put "$2" "/sys/bus/dax/devices/$1/memmap_on_memory"
}

# kmem_bind DEV: binds DEV, and only DEV, to kmem. 6.12's kmem matches dax_hmem devices and
# binds with `bind` (its new_id would bind every unbound device); 6.1's kmem matches a device
# only once new_id names it.
kmem_bind() {
	put "$1" /sys/bus/dax/drivers/kmem/bind 2>/dev/null ||
		put "$1" /sys/bus/dax/drivers/kmem/new_id
	[ -e "/sys/bus/dax/drivers/kmem/$1" ]
}

# kmem_unbind DEV: unbinds DEV from kmem and drops its new_id entry (6.1), so that a later
# new_id for another device does not bind this one again.
kmem_unbind() {
	put "$1" /sys/bus/dax/drivers/kmem/unbind || return 1
	put "$1" /sys/bus/dax/drivers/kmem/remove_id 2>/dev/null || true
}

# poll_for CMD...: polls CMD every 20 ms for up to 60 s (fine-grained, for timed steps).
poll_for() {
	_t=3000
	while ! "$@"; do
		_t=$((_t - 1))
		[ $_t -gt 0 ] || return 1
		sleep 0.02
	done
}

has_new() {
	[ "$(count_new)" -ge "$1" ]
}
