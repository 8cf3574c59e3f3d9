#!/bin/sh
# zone->contiguous against a full pageblock walk (zone_contig_test.ko, which recomputes for
# every zone what set_zone_contiguous() decides) while the blocks of the dax_hmem device that
# mainline's boot handed to kmem go through online_movable: onlined in order (the zone grows at
# its end), offlined from the end, onlined in reverse order (the zone grows at its start), a
# middle block offlined (a hole) and onlined again (the hole is filled), offlined from the
# start, then kmem unbinds (the memory is removed). The module is read after every step; any
# "not ok" line fails the step. The zone must be contiguous exactly when it has no hole.
# With "unpatched" it checks what unpatched mainline does: after its blocks are onlined the
# hotplugged zone is left non-contiguous although the walk finds no hole
# (move_pfn_range_to_zone() walks the zone before the new sections are online).
# Usage: zone-contig.sh [fixed|unpatched] [DAXDEV]
# shellcheck disable=SC2086,SC2046 # $blks and $(rev ...) hold block ids, one per word
. /bench/lib.sh
. /bench/mainline-lib.sh
mode=${1:-fixed}
dax=${2:-$(first_dax)}
drv=/sys/bus/dax/drivers
chk=/sys/kernel/debug/zone_contig_test/check
zname=Movable

# check: the module sees no mismatch; its lines go to the log as diagnostics.
check() {
	_out=$(cat $chk) || return 1
	echo "$_out" | sed 's/^/# /'
	! echo "$_out" | grep -q '^not ok'
}
# contig NODE: "contiguous=C expected=E" of $zname on NODE as the module prints it.
contig() {
	sed -n "s/.* zone $1\/$zname \(contiguous=[01] expected=[01]\).*/\1/p" $chk
}
rev() {
	for _b in "$@"; do echo "$_b"; done | sort -rn
}
# kmem_blocks: the block ids of the "System RAM (kmem)" ranges in /proc/iomem.
kmem_blocks() {
	_bb=$(block_bytes)
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM (kmem)$/\1 \2/p' /proc/iomem |
		while read -r _s _e; do
			_i=$((0x$_s / _bb))
			while [ $_i -le $((0x$_e / _bb)) ]; do
				echo $_i
				_i=$((_i + 1))
			done
		done
}
# steps STATE ID...: writes STATE to each block in turn, checking after each; fails when a
# write is refused or the module sees a mismatch.
steps() {
	_s=$1 _r=0
	shift
	for _b in "$@"; do
		set_state "$_s" "$_b" && check >/dev/null || _r=1
	done
	return $_r
}

if [ "$mode" = unpatched ]; then plan 6; else plan 18; fi
mod=$(bench_module zone_contig_test)
diag "module $mod"
[ -e /sys/kernel/debug/zone_contig_test ] || insmod "$mod"
ok "test module loaded and boot zones match the walk" check
blks=$(kmem_blocks)
set_state offline $(rev $blks) 2>/dev/null
n=$(echo $blks | wc -w)
ok "$dax is bound to kmem at boot with $n blocks, all offline" \
	test -e "$drv/kmem/$dax" -a "$n" -gt 2
node=$(cat "/sys/bus/dax/devices/$dax/target_node")
mid=$(echo $blks | awk '{ print $(int(NF / 2) + 1) }')
diag "$dax: blocks $(echo $blks | tr ' ' ,), node $node, middle block $mid"

if [ "$mode" = unpatched ]; then
	ok "online in order (online_movable)" set_state online_movable $blks
	check
	is "unpatched: node $node $zname after onlining, no hole" "$(contig "$node")" \
		"contiguous=0 expected=1"
	ok "offline all" set_state offline $(rev $blks)
	ok "kmem unbinds (memory removed)" put "$dax" $drv/kmem/unbind
	exit 0
fi

# 1. The zone grows at its end.
ok "online in order: every step matches the walk" steps online_movable $blks
is "online in order: node $node $zname" "$(contig "$node")" "contiguous=1 expected=1"
# 2. The zone shrinks at its end.
ok "offline from the end: every step matches the walk" steps offline $(rev $blks)
# 3. The zone grows at its start.
ok "online in reverse order: every step matches the walk" steps online_movable $(rev $blks)
is "online in reverse order: node $node $zname" "$(contig "$node")" "contiguous=1 expected=1"
# 4. A hole in the middle, then filled.
ok "offline middle block $mid" set_state offline "$mid"
ok "hole: matches the walk" check
is "hole: node $node $zname" "$(contig "$node")" "contiguous=0 expected=0"
ok "online middle block $mid again" set_state online_movable "$mid"
ok "hole filled: matches the walk" check
is "hole filled: node $node $zname" "$(contig "$node")" "contiguous=1 expected=1"
# 5. The zone shrinks at its start.
ok "offline from the start: every step matches the walk" steps offline $blks
# 6. Removal, and a fresh add.
ok "kmem unbinds (memory removed)" put "$dax" $drv/kmem/unbind
ok "after removal: matches the walk" check
ok "kmem binds again" put "$dax" $drv/kmem/bind
ok "online again: every step matches the walk" steps online_movable $(kmem_blocks)
