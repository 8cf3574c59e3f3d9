#!/bin/sh
# shellcheck disable=SC2086 # block lists, one id per word
# Concurrency: four bounded loops (at most MAXOPS operations each, at most SECONDS) run at
# once on one dax device: writes of 0 and 1 to its memmap_on_memory attribute, kmem bind and
# unbind (device_dax <-> kmem), memory block online and offline, and readers of the dax and
# memory sysfs files and /proc/iomem. Only the binder's "offline every block, then unbind" is
# kept apart from the onliner (a mkdir lock): 6.1's kmem unbinds even with online blocks and
# keeps that memory until reboot, by design. Afterwards the attribute holds the value last
# written successfully, every block of the device is present with kmem bound or gone without
# it, and a clean bind/online/offline/unbind cycle works.
# Usage: stress.sh SECONDS MAXOPS [DAXDEV]
. /bench/lib.sh
secs=$1 max=$2
dax=${3:-$(first_dax)}
drv=/sys/bus/dax/drivers
dev=/sys/bus/dax/devices/$dax
attr=$dev/memmap_on_memory

plan 9
if ! ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax"; then
	exit 1
fi
bb=$(block_bytes)
first=$(($(cat "$dev/resource") / bb))
nblocks=$(($(cat "$dev/size") / bb))
range=$(seq "$first" $((first + nblocks - 1)) | tr '\n' ' ')
blocks >/tmp/blocks.before
now() {
	awk '{ print int($1) }' /proc/uptime
}
end=$(($(now) + secs))
more() {
	[ "$1" -lt "$max" ] && [ "$(now)" -lt $end ]
}
lock() {
	until mkdir /tmp/lock 2>/dev/null; do sleep 0.05; done
}
unlock() {
	rmdir /tmp/lock
}
present() {
	for _b in $range; do [ -e "$MEMSYS/memory$_b" ] && echo "$_b"; done
}
# offline_all: offlines every online block of the device; true when none is left online.
offline_all() {
	for _b in $(present); do
		grep -qx offline "$MEMSYS/memory$_b/state" || echo offline >"$MEMSYS/memory$_b/state"
	done 2>/dev/null
	for _b in $(present); do
		grep -qx offline "$MEMSYS/memory$_b/state" || return 1
	done
}
# count NAME: one more operation done by loop NAME.
count() {
	echo >>"/tmp/ops.$1"
}

attr_writer() {
	_i=0
	while more $_i; do
		_i=$((_i + 1))
		if echo $((_i % 2)) >"$attr" 2>/dev/null; then
			echo $((_i % 2)) >/tmp/attr.last
		fi
		count attr
	done
}

binder() {
	_i=0
	while more $_i; do
		_i=$((_i + 1))
		lock
		if [ -e "$drv/kmem/$dax" ]; then
			if offline_all || offline_all; then
				echo "$dax" >$drv/kmem/unbind && echo "$dax" >$drv/kmem/remove_id &&
					echo "$dax" >$drv/device_dax/bind
			fi
		else
			[ ! -e "$drv/device_dax/$dax" ] || echo "$dax" >$drv/device_dax/unbind
			echo "$dax" >$drv/kmem/new_id || {
				echo "$dax" >$drv/kmem/remove_id
				echo "$dax" >$drv/device_dax/bind
			}
		fi 2>/dev/null
		unlock
		count bind
	done
}

onliner() {
	_i=0
	while more $_i; do
		_b=$((first + _i % nblocks))
		_i=$((_i + 1))
		lock
		case $(cat "$MEMSYS/memory$_b/state" 2>/dev/null) in
		online) echo offline >"$MEMSYS/memory$_b/state" ;;
		offline) echo online_movable >"$MEMSYS/memory$_b/state" ;;
		esac 2>/dev/null
		unlock
		count online
	done
}

reader() {
	_i=0
	while more $_i; do
		_i=$((_i + 1))
		cat "$dev"/* "$dev"/mapping*/* /proc/iomem /proc/zoneinfo >/dev/null 2>&1
		for _b in $range; do
			cat "$MEMSYS/memory$_b"/state "$MEMSYS/memory$_b"/phys_device \
				"$MEMSYS/memory$_b"/removable "$MEMSYS/memory$_b"/valid_zones
		done >/dev/null 2>&1
		count read
	done
}

echo 0 >/tmp/attr.last
for l in attr bind online read; do : >"/tmp/ops.$l"; done
t0=$(now)
attr_writer &
binder &
onliner &
reader &
wait
took=$(($(now) - t0))
total=0
for l in attr bind online read; do
	n=$(wc -l <"/tmp/ops.$l")
	total=$((total + n))
	diag "metric ops_$l $n"
done
diag "metric ops_total $total"
diag "metric stress_seconds $took"
ok "the loops finished within their bound ($took s of at most $secs s + slack)" \
	test "$took" -le $((secs + 60))
is "the attribute holds the value last written" "$(cat "$attr")" "$(cat /tmp/attr.last)"
p=$(present | wc -l)
if [ -e "$drv/kmem/$dax" ]; then
	is "kmem bound: every block of $dax is present" "$p" "$nblocks"
	is "kmem bound: one System RAM (kmem) resource" "$(grep -c 'System RAM (kmem)' /proc/iomem)" 1
else
	is "kmem not bound: no block of $dax is present" "$p" 0
	is "kmem not bound: no System RAM (kmem) resource" \
		"$(grep -c 'System RAM (kmem)' /proc/iomem)" 0
fi
ok "no block of $dax is half-way (going-offline)" \
	sh -c "! grep -q going $MEMSYS/memory*/state"

# Back to device_dax, then one clean cycle.
if [ -e "$drv/kmem/$dax" ]; then
	offline_all || offline_all
	put "$dax" $drv/kmem/unbind
	put "$dax" $drv/kmem/remove_id
	put "$dax" $drv/device_dax/bind
fi
ok "$dax is back with device_dax" test -e "$drv/device_dax/$dax"
ok "a clean cycle works: unbind, attribute 1, bind, online, offline, unbind" sh -c "
	echo $dax >$drv/device_dax/unbind && echo 1 >$attr && echo $dax >$drv/kmem/new_id &&
	for b in $range; do echo online_movable >$MEMSYS/memory\$b/state || exit 1; done &&
	for b in $range; do echo offline >$MEMSYS/memory\$b/state || exit 1; done &&
	echo $dax >$drv/kmem/unbind && echo $dax >$drv/kmem/remove_id &&
	echo $dax >$drv/device_dax/bind"
is "no block of $dax left" "$(present | wc -l)" 0
