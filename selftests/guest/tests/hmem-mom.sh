#!/bin/sh
# A small guest and a large Soft Reserved range with dax_hmem.memmap_on_memory=1 (and
# memory_hotplug.memmap_on_memory=1): mainline's boot hands the dax_hmem device to kmem, which
# must add the whole range with every block's memmap on the block itself. The test checks
# that (kmem bound, the device's memmap_on_memory attribute 1, every block added), onlines
# every block movable, checks that each carries its memmap (present - managed pages of the
# node = memmap pages per block times blocks) and that MemTotal grew by the range less its
# memmap, and then uses it: a process bound to the device's node fills MIB MiB (more than
# the boot memory holds) with a pattern, all of it on the device, and verifies it.
# With "unusable" it checks what unpatched mainline does when it survives the boot (it
# usually dies of OOM: the scenario's expect-panic): the range is not usable, kmem did not
# bind or not every block was added.
# Usage: hmem-mom.sh MIB [fixed|unusable]
. /bench/lib.sh
mib=$1 mode=${2:-fixed}
dax=$(first_dax)
drv=/sys/bus/dax/drivers
out=/tmp/pattern.out

size=$(cat "/sys/bus/dax/devices/$dax/size" 2>/dev/null || echo 0)
bb=$(block_bytes)
nblocks=$((size / bb))
lo=$(($(cat "/sys/bus/dax/devices/$dax/resource" 2>/dev/null || echo 0) / bb))
# range_blocks: the blocks of the device's range that exist.
range_blocks() {
	for _b in $(seq "$lo" $((lo + nblocks - 1))); do
		[ -e "$MEMSYS/memory$_b" ] && echo "$_b"
	done
}
if [ "$mode" = unusable ]; then plan 1; else plan 10; fi
bound=no
[ -e "$drv/kmem/$dax" ] && bound=yes
added=$(range_blocks | wc -l)
diag "boot memory: MemTotal $(meminfo MemTotal) KiB, MemFree $(meminfo MemFree) KiB"
diag "${dax:-no dax device}: $((size >> 20)) MiB = $nblocks blocks, kmem bound $bound, $added blocks added, memmap_on_memory $(cat "/sys/bus/dax/devices/$dax/memmap_on_memory" 2>/dev/null)"

unusable() {
	[ "$bound" = no ] || [ "$added" -lt "$nblocks" ] || [ "$nblocks" = 0 ]
}
if [ "$mode" = unusable ]; then
	ok "unpatched: the range is not usable (kmem bound $bound, $added of $nblocks blocks)" unusable
	exit 0
fi

is "kmem bound ${dax:-no dax device} at boot" "$bound" yes
is "the device's memmap_on_memory attribute" \
	"$(cat "/sys/bus/dax/devices/$dax/memmap_on_memory" 2>/dev/null)" 1
is "every block of the range is added" "$added" "$nblocks"
[ "$nblocks" -gt 0 ] || exit 1
node=$(cat "/sys/bus/dax/devices/$dax/target_node")
total0=$(meminfo MemTotal)
un0=$(unmanaged_node "$node")
online=0
for b in $(range_blocks); do
	set_state online_movable "$b" 2>/dev/null && online=$((online + 1))
done
is "every block onlines (movable)" "$online" "$nblocks"
# The memmap of a block: 64 bytes per 4 KiB page.
mm_pages=$((bb * 64 / 4096 / 4096))
is "node $node: present - managed pages = $mm_pages memmap pages per block" \
	$(($(unmanaged_node "$node") - un0)) $((nblocks * mm_pages))
is "MemTotal grows by the range less its memmap (KiB)" $(($(meminfo MemTotal) - total0)) \
	$((size / 1024 - nblocks * mm_pages * 4))
diag "after onlining: MemTotal $(meminfo MemTotal) KiB, MemFree $(meminfo MemFree) KiB"

mkfifo /tmp/pattern.cmd
/bench/bin/pattern "$node" "$mib" </tmp/pattern.cmd >$out 2>&1 &
pid=$!
exec 9>/tmp/pattern.cmd
lines() {
	[ "$(grep -c . $out)" -ge "$1" ]
}
# ask COMMAND: sends COMMAND to the pattern process and prints its answer.
ask() {
	_n=$(grep -c . $out)
	echo "$1" >&9
	wait_for 300 lines $((_n + 1)) || return 1
	sed -n "$((_n + 1))p" $out
}
ok "a process bound to node $node fills $mib MiB (boot MemTotal $((total0 / 1024)) MiB)" \
	wait_for 300 lines 1
is "all of the buffer sits on the device" "$(ask "inrange $((lo * bb / 4096)) $((size / 4096))")" \
	"inrange $((mib * 256))"
v=$(ask verify)
is "the pattern verifies (${v:-no answer})" "${v##* }" 0
echo quit >&9
wait $pid
is "the pattern process exits cleanly" "$?" 0
exec 9>&-
