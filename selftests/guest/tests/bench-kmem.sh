#!/bin/sh
# shellcheck disable=SC2086,SC2046 # block ids, one per word
# ci/bench.sh: every dax device (dax_hmem) to kmem with memmap_on_memory MOM, smallest
# first. First every device is bound in turn, all blocks left offline, and the boot memory
# each bind consumes is read (free pages before and after); nothing is removed between two
# readings, as memory freed by a removal comes back late (after the blocks are gone) and
# would be counted against the next one. Then each device's blocks are onlined (movable) in
# turn and MemTotal's growth read; everything is offlined and unbound. Then RUNS timed
# cycles on the device of TIME_GIB GiB: bind + online, and offline + unbind. MEASURE=0 skips
# all but the timed cycles.
# Reports `# bench drop_kib|growth_kib|add_ms|hotadd_ms|online_ms|remove_ms GIB VALUE`.
# Usage: bench-kmem.sh MOM TIME_GIB RUNS [MEASURE]
# shellcheck source=../lib.sh
. /bench/lib.sh
# shellcheck source=../bench-lib.sh
. /bench/bench-lib.sh
mom=$1 tgib=$2 runs=$3 measure=${4:-1}

load_dax_modules
devs=$(dax_devices)
ndev=$(echo $devs | wc -w)
plan $((2 + measure * ndev * 6 + runs * 2))
diag "dax devices:" $devs
ok "$ndev dax devices" test "$ndev" -gt 0 || exit 1
bb=$(block_bytes)
param=/sys/module/memory_hotplug/parameters/memmap_on_memory
diag "kernel $(uname -r); memmap_on_memory=$(cat $param 2>/dev/null); attribute MOM=$mom"
blocks >/tmp/blocks.boot
# Whatever holds a device at boot (device_dax is kept away: bench-lib.sh) lets go first.
for dax in $devs; do
	dax_release "$dax"
done

gib_of() {
	echo $(($(cat "/sys/bus/dax/devices/$1/size") >> 30))
}

[ "$measure" = 1 ] || devs_measured=''
for dax in ${devs_measured-$devs}; do
	gib=$(gib_of "$dax")
	blocks >/tmp/blocks.before
	ok "$dax ($gib GiB): memmap_on_memory set to $mom" dax_set_mom "$dax" "$mom"
	free0=$(free_kib)
	ok "$dax: kmem binds" kmem_bind "$dax"
	bench drop_kib "$gib" $((free0 - $(free_kib)))
	new_blocks /tmp/blocks.before >"/tmp/new.$dax"
	# kmem adds the whole blocks inside the device.
	is "$dax: memory blocks added" "$(wc -l <"/tmp/new.$dax")" \
		$(($(cat "/sys/bus/dax/devices/$dax/size") / bb))
done
for dax in ${devs_measured-$devs}; do
	total0=$(meminfo MemTotal)
	ok "$dax: blocks online" set_state online_movable $(cat "/tmp/new.$dax")
	bench growth_kib "$(gib_of "$dax")" $(($(meminfo MemTotal) - total0))
done
for dax in ${devs_measured-$devs}; do
	ok "$dax: blocks offline" set_state offline $(cat "/tmp/new.$dax")
	ok "$dax: kmem unbinds" kmem_unbind "$dax"
done
blocks >/tmp/blocks.before
is "every added memory block removed" "$(new_blocks /tmp/blocks.boot | wc -l)" 0

for dax in $devs; do
	[ "$(gib_of "$dax")" = "$tgib" ] || continue
	for r in $(seq "$runs"); do
		t0=$(now_ms)
		ta=$t0
		kmem_bind "$dax" && ta=$(now_ms) &&
			set_state online_movable $(new_blocks /tmp/blocks.before)
		rc=$?
		t1=$(now_ms)
		ok "run $r: $dax bound and online" test $rc = 0
		set_state offline $(new_blocks /tmp/blocks.before) && kmem_unbind "$dax"
		rc=$?
		t2=$(now_ms)
		ok "run $r: $dax offline and unbound" test $rc = 0
		bench add_ms "$tgib" $((t1 - t0))
		# Its two parts: the bind (the hot-add), and onlining the blocks.
		bench hotadd_ms "$tgib" $((ta - t0))
		bench online_ms "$tgib" $((t1 - ta))
		bench remove_ms "$tgib" $((t2 - t1))
	done
	break
done
