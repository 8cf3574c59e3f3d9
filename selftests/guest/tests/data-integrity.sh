#!/bin/sh
# shellcheck disable=SC2086 # $new holds block ids, one per word
# Data integrity across offline/online: kmem adds a dax device (memmap_on_memory set when MOM
# is 1), its blocks go online, a process fills MIB MiB on the device's node with a pattern.
# Then, ROUNDS times, every block in turn is offlined (its pages migrate away; none of the
# buffer may stay in it) and onlined again, and the whole buffer is verified: 0 mismatches.
# Prints the metrics bytes_verified and pages_migrated.
# Usage: data-integrity.sh MIB ROUNDS [MOM] [DAXDEV]
. /bench/lib.sh
mib=$1 rounds=$2 mom=${3:-1}
dax=${4:-$(first_dax)}
drv=/sys/bus/dax/drivers
out=/tmp/pattern.out

size=$(cat "/sys/bus/dax/devices/$dax/size")
node=$(cat "/sys/bus/dax/devices/$dax/target_node")
nblocks=$((size / $(block_bytes)))
bpages=$(($(block_bytes) / 4096))
plan $((9 + rounds * (nblocks * 3 + 1)))
if ! ok "dax device ${dax:-none} is bound to device_dax" to_device_dax "$dax"; then
	exit 1
fi
blocks >/tmp/blocks.before
put "$dax" $drv/device_dax/unbind
ok "kmem binds $dax with memmap_on_memory=$mom" \
	sh -c "echo $mom >/sys/bus/dax/devices/$dax/memmap_on_memory && echo $dax >$drv/kmem/new_id"
new=$(new_blocks /tmp/blocks.before)
ok "its $nblocks blocks online (movable)" set_state online_movable $new

mkfifo /tmp/pattern.cmd
/bench/bin/pattern "$node" "$mib" </tmp/pattern.cmd >$out 2>&1 &
pid=$!
exec 9>/tmp/pattern.cmd
lines() {
	[ "$(grep -c . $out)" -ge "$1" ]
}
# ask COMMAND: sends COMMAND to the pattern process and prints its answer (the next line of
# its output; it answers every command with one line).
ask() {
	_n=$(grep -c . $out)
	echo "$1" >&9
	wait_for 300 lines $((_n + 1)) || return 1
	sed -n "$((_n + 1))p" $out
}
ok "the pattern process filled $mib MiB on node $node" wait_for 300 lines 1
in_block() {
	ask "inrange $(($1 * bpages)) $bpages" | awk '{ print $2 }'
}
on_dax=0
for b in $new; do
	on_dax=$((on_dax + $(in_block "$b")))
done
is "all of the buffer sits on the device's blocks" "$on_dax" $((mib * 256))

migrated=0 verified=0
for r in $(seq "$rounds"); do
	for b in $new; do
		migrated=$((migrated + $(in_block "$b")))
		ok "round $r: block $b offlines (its pages migrate)" set_state offline "$b"
		is "round $r: no page of the buffer left in block $b" "$(in_block "$b")" 0
		ok "round $r: block $b onlines again" set_state online_movable "$b"
	done
	v=$(ask verify)
	is "round $r: pattern verified (${v:-no answer})" "${v##* }" 0
	verified=$((verified + $(echo "$v" | awk '$1 == "verified" { b = $2 } END { print b + 0 }')))
done
echo quit >&9
wait $pid
is "the pattern process exits cleanly" "$?" 0
exec 9>&-
diag "metric bytes_verified $verified"
diag "metric pages_migrated $migrated"
ok "blocks offline" set_state offline $new
ok "kmem unbinds, back to device_dax" sh -c "echo $dax >$drv/kmem/unbind &&
	echo $dax >$drv/kmem/remove_id && echo $dax >$drv/device_dax/bind"
is "no block of $dax left" "$(count_new)" 0
