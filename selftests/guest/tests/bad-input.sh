#!/bin/sh
# Bad input catalogue: every sysfs file the series adds or changes, and the kmem/dax paths it
# affects, fed invalid values (empty, huge, negative, non-numeric, wrong device names). Each
# write must fail with the errno named here and change nothing: the attribute keeps its value,
# no memory block or System RAM appears or goes, the device stays with its driver, a block
# keeps its state. Prints "# catalog FILE COUNT" per file for Documentation/testing.md.
# Needs memory_hotplug.memmap_on_memory=1 and a dax device bound to device_dax.
# Usage: bad-input.sh [DAXDEV]
. /bench/lib.sh
dax=${1:-$(first_dax)}
drv=/sys/bus/dax/drivers
attr=/sys/bus/dax/devices/$dax/memmap_on_memory
param=/sys/module/memory_hotplug/parameters/memmap_on_memory
huge=$(head -c 5000 /dev/zero | tr '\0' x)
hugenum=99999999999999999999999999999999
counts=/tmp/catalog

plan 68
if ! ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax"; then
	exit 1
fi

# errno_of VALUE FILE: writes VALUE and a newline to FILE; prints the errno's name, or "ok".
errno_of() {
	_e=$( (echo "$1" >"$2") 2>&1)
	case $_e in
	"") echo ok ;;
	*"Invalid argument"*) echo EINVAL ;;
	*"Device or resource busy"*) echo EBUSY ;;
	*"No such device"*) echo ENODEV ;;
	*"Operation not supported"*) echo EOPNOTSUPP ;;
	*"Permission denied"*) echo EACCES ;;
	*"Argument list too long"*) echo E2BIG ;;
	*) echo "other: $_e" ;;
	esac
}

# state: what a bad write must not change.
state() {
	echo "attr=$(cat "$attr") blocks=$(blocks | wc -l) ram=$(grep -c 'System RAM' /proc/iomem)" \
		"total=$(meminfo MemTotal) driver=$(basename "$(readlink "/sys/bus/dax/devices/$dax/driver")")"
}

# refuse FILE ERRNO LABEL -- VALUE...: each VALUE written to FILE fails with ERRNO and leaves
# state() and FILE's contents as they were.
refuse() {
	_f=$1 _want=$2 _label=$3
	shift 4
	for _v in "$@"; do
		_s0=$(state)
		_c0=$(cat "$_f" 2>/dev/null)
		_got=$(errno_of "$_v" "$_f")
		_s1=$(state)
		_shown=$(echo "$_v" | cut -c 1-24)
		[ ${#_v} -le 24 ] || _shown="$_shown... (${#_v} bytes)"
		_ktap_n=$((_ktap_n + 1))
		if [ "$_got" = "$_want" ] && [ "$_s0" = "$_s1" ] && [ "$_c0" = "$(cat "$_f" 2>/dev/null)" ]
		then
			echo "ok $_ktap_n $_label <- '$_shown': $_want, nothing changed"
		else
			echo "not ok $_ktap_n $_label <- '$_shown' # got $_got, want $_want;" \
				"before: $_s0 $_c0; after: $_s1 $(cat "$_f" 2>/dev/null)"
		fi
		echo "$_label" >>$counts
	done
}

bad_bools() {
	refuse "$attr" EINVAL "$1" -- "" "2" "-1" "abc" " 1" "$hugenum" "$huge"
}

# 1. The new attribute, with device_dax bound: 0 and 1 each survive every bad value.
is "memmap_on_memory defaults to 0" "$(cat "$attr")" 0
bad_bools "daxX.Y/memmap_on_memory (value 0)"
ok "memmap_on_memory can be set to 1" put 1 "$attr"
bad_bools "daxX.Y/memmap_on_memory (value 1)"

# 2. The module parameter the series documents as read-only.
refuse "$param" EACCES "memory_hotplug.memmap_on_memory" -- "0" "1" "abc"

# 3. kmem's new_id and unbind, and device_dax's unbind, with wrong device names.
refuse "$drv/kmem/new_id" EINVAL "kmem/new_id" -- "" "dax" "abc" "-1" "${dax}x" \
	"dax$hugenum.0" "$huge"
refuse "$drv/kmem/remove_id" EINVAL "kmem/remove_id" -- "" "abc" "-1" "$huge"
refuse "$drv/kmem/unbind" ENODEV "kmem/unbind" -- "" "dax99.0" "$dax" "-1" "$huge"
refuse "$drv/device_dax/unbind" ENODEV "device_dax/unbind" -- "" "dax99.0" "-1" "$huge"

# 4. Bound to kmem: the attribute cannot change (EBUSY), keeps refusing bad values, and takes
# its own value again; a memory block refuses bad states and needless transitions.
blocks >/tmp/blocks.before
put "$dax" $drv/device_dax/unbind
ok "kmem binds $dax" put "$dax" $drv/kmem/new_id
new=$(new_blocks /tmp/blocks.before)
first=${new%%[!0-9]*}
refuse "$attr" EBUSY "daxX.Y/memmap_on_memory (bound)" -- "0" "n" "off"
refuse "$attr" EINVAL "daxX.Y/memmap_on_memory (bound)" -- "" "abc" "$huge"
ok "writing its own value again while bound succeeds" put 1 "$attr"
mstate=$MEMSYS/memory$first/state
refuse "$mstate" EINVAL "memoryN/state (offline)" -- "" "bogus" "-1" "online_movablex" \
	"offline" "$hugenum" "$huge"
ok "block $first onlines" put online_movable "$mstate"
refuse "$mstate" EINVAL "memoryN/state (online)" -- "" "bogus" "online" "online_kernel" "$huge"
refuse "$drv/kmem/new_id" EINVAL "kmem/new_id (bound)" -- "${dax}.0" "$huge"

# 5. Everything still works: offline, unbind, back to device_dax with the attribute at 0.
ok "block $first offlines again" put offline "$mstate"
ok "kmem unbinds" put "$dax" $drv/kmem/unbind
is "no block of $dax left" "$(count_new)" 0
ok "back to device_dax" sh -c "echo $dax >$drv/kmem/remove_id && echo $dax >$drv/device_dax/bind"
ok "memmap_on_memory back to 0" put 0 "$attr"

sort $counts | uniq -c | while read -r n f; do
	diag "catalog $f $n"
done
diag "metric bad_inputs $(wc -l <$counts)"
