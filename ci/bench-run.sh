#!/usr/bin/env bash
# Boots the bench guests of ci/bench.sh, one after the other, and collects their raw numbers
# in OUTDIR/raw.tsv (rows: KERNEL WAY MOM KEY GIB VALUE). For each kernel (unpatched 6.1,
# patched 6.1, Debian 6.12) and memmap_on_memory off and on:
#   kmem   1 GiB of boot memory; dax_hmem devices of 1, 4 and 16 GiB (soft reserved on node 1,
#          128 MiB of RAM between them so they stay apart) to kmem: boot memory consumed,
#          MemTotal growth, then 5 timed cycles of the 4 GiB device
#   dimm   1 GiB of boot memory; ACPI DIMMs of 1, 4 and 16 GiB over QMP, the same measurements
#   small  256 MiB of boot memory and one dax device: the largest of 1, 2, 4 ... 64 GiB that
#          binds and onlines (64 first; if it fails, a binary search below it; one boot each)
#   time   a second boot per kernel, way and setting for 5 more timed cycles, kernels in the
#          reverse order, so that a drift in the host's load weighs on all kernels alike.
#          BENCH_SMALL_MAX_GIB (a power of two) moves the top from 64 GiB.
# --smoke: unpatched and patched, memmap_on_memory on, 1 GiB, one timed cycle, no small guest.
# Guests whose test does not run to its end are listed in OUTDIR/failed (the small guest's
# deaths are its measurement, not failures). Exits non-zero when OUTDIR/failed is not empty.
# Usage: ci/bench-run.sh [--smoke] OUTDIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=0
[[ ${1:-} == --smoke ]] && smoke=1 && shift
(($# == 1)) || die "usage: $0 [--smoke] OUTDIR"
out=$1

declare -A kernel=(
	[unpatched]=$BUILD/linux-bench-base/obj-bench/arch/x86/boot/bzImage
	[patched]=$SRC/obj-bench/arch/x86/boot/bzImage
	[debian]=$(find "$BUILD/bench/debian-6.12/boot" -name 'vmlinuz-*' -print -quit 2>/dev/null || true)
)
if ((smoke)); then
	kernels=(unpatched patched) moms=(on) sizes=(1) tgib=1 runs=1 ways=(kmem dimm)
else
	kernels=(unpatched patched debian) moms=(off on) sizes=(1 4 16) tgib=4 runs=5
	ways=(kmem dimm small time)
fi
for k in "${kernels[@]}"; do
	[[ -f ${kernel[$k]} ]] || die "no $k kernel at '${kernel[$k]}' (run ci/bench-kernels.sh)"
done
[[ -f $BUILD/bench/initramfs.cpio ]] || die "no bench initramfs (run ci/bench-initramfs.sh)"

rm -rf "$out"
mkdir -p "$out/machines"
: >"$out/raw.tsv"
: >"$out/failed"


# machine NAME LINE...: writes a machine preset, prints its path.
machine() {
	local f=$out/machines/$1
	shift
	printf '%s\n' "$@" >"$f"
	printf '%s\n' "$f"
}

# The machines that time hot-plug run TCG with -icount: the guest's clock then counts the
# instructions it executes (1 ns each), not the host's time, so the host's load does not show
# in the times (without it, the same code on two kernels differed by up to 12% in one run).
# Idle time (waiting for QMP) is skipped (sleep=off). With KVM there is no icount.
clock=()
[[ ${ACCEL:-tcg} == tcg ]] && clock=("-icount shift=0,sleep=off")

# Node 0: 1 GiB of boot memory. Node 1 from 4 GiB: the devices, 128 MiB of RAM after each.
kmem_machine() {
	local node1=0 s
	for s in "${sizes[@]}"; do node1=$((node1 + s * 1024 + 128)); done
	machine kmem -machine pc,max-ram-below-4g=1G -smp 1 -m $((1024 + node1))M \
		"-object memory-backend-ram,id=m0,size=1G" "-numa node,nodeid=0,memdev=m0" \
		"-object memory-backend-ram,id=m1,size=${node1}M,reserve=off" \
		"-numa node,nodeid=1,memdev=m1" "${clock[@]}"
}
kmem_cmdline() {
	local start=$((4 << 30)) s args=''
	for s in "${sizes[@]}"; do
		args+=" memmap=${s}G%$(printf '0x%x' "$start")-1+0xefffffff"
		start=$((start + (s << 30) + (128 << 20)))
	done
	printf '%s\n' "${args# }"
}
# 1 GiB of boot memory, room for all DIMMs at once (and 1 GiB of alignment per slot).
dimm_machine() {
	local sum=0 s
	for s in "${sizes[@]}"; do sum=$((sum + s)); done
	machine dimm -machine pc -smp 1 "-m 1G,slots=4,maxmem=$((1 + sum + 4))G" "${clock[@]}"
}
small_machine() {
	small_guest_preset "$1" >"$out/machines/small-$1"
	printf '%s\n' "$out/machines/small-$1"
}

bit() { [[ $1 == on ]] && echo 1 || echo 0; }

# guest NAME KERNEL MOM TIMEOUT ARGS...: one bench-guest.sh run, logged.
guest() {
	local name=$1 k=$2 mom=$3 t=$4 t0=$SECONDS rc=0 way
	shift 4
	way=${name#"$k"-}
	way=${way%%-*}
	"$TOP/ci/bench-guest.sh" -o "$out" -n "$name" -l "$k"$'\t'"$way"$'\t'"$mom" \
		-k "${kernel[$k]}" -t "$t" "$@" || rc=$?
	if ((rc == 0)); then
		log "$name: $((SECONDS - t0)) s"
	else
		log "$name: $((SECONDS - t0)) s, the guest test did not end (drive.py status $rc)"
	fi
	return "$rc"
}

measured() {
	local name=$1
	shift
	if ! guest "$name" "$@" || grep -q '^not ok' "$out/$name.ktap"; then
		printf '%s\n' "$name" >>"$out/failed"
	fi
}

# small_ok KERNEL MOM GIB: one small guest; true when it bound and onlined all of it.
small_ok() {
	local name=$1-small-$2-$3
	guest "$name" "$1" "$2" $((120 + $3 * 4)) -m "$(small_machine "$3")" \
		-c "$(small_guest_cmdline "$3" "$(bit "$2")")" \
		bench-small.sh "$(bit "$2")" || true
	grep -q "^# bench small_ok $3 1" "$out/$name.ktap" 2>/dev/null
}

# small_search KERNEL MOM: the largest power of two up to the top that works, 0 if none.
small_max=${BENCH_SMALL_MAX_GIB:-64}
small_top=0
while (((1 << small_top) < small_max)); do small_top=$((small_top + 1)); done
(((1 << small_top) == small_max)) || die "BENCH_SMALL_MAX_GIB=$small_max is not a power of two"
small_search() {
	local lo=-1 hi=$small_top mid best=0
	if small_ok "$1" "$2" "$small_max"; then
		best=$small_max
	else
		while ((hi - lo > 1)); do
			mid=$(((lo + hi) / 2))
			if small_ok "$1" "$2" $((1 << mid)); then lo=$mid; else hi=$mid; fi
		done
		((lo < 0)) || best=$((1 << lo))
	fi
	printf '%s\tsmall\t%s\t%s\t0\t%s\n' "$1" "$2" max_gib "$best" "$1" "$2" top_gib "$small_max" \
		>>"$out/raw.tsv"
}

kmem_m=$(kmem_machine)
dimm_m=$(dimm_machine)
actions=()
for s in "${sizes[@]}" "$tgib"; do
	actions+=(-a "add-$s=dimm-add,d$s,${s}G" -a "del-$s=dimm-del,d$s"
		-a "unplug-$s=dimm-unplug,d$s")
done
for way in "${ways[@]}"; do
	[[ $way == time ]] && continue
	for k in "${kernels[@]}"; do
		for mom in "${moms[@]}"; do
			p="memory_hotplug.memmap_on_memory=$(bit "$mom")"
			case $way in
			kmem) measured "$k-kmem-$mom" "$k" "$mom" 1200 -m "$kmem_m" \
				-c "$BENCH_CMDLINE $p $(kmem_cmdline)" bench-kmem.sh "$(bit "$mom")" "$tgib" "$runs" ;;
			dimm) measured "$k-dimm-$mom" "$k" "$mom" 1200 -m "$dimm_m" -c "$BENCH_CMDLINE $p" \
				"${actions[@]}" bench-dimm.sh "$tgib" "$runs" "${sizes[@]}" ;;
			small) small_search "$k" "$mom" ;;
			esac
		done
	done
done
# The timing pass: kernels in reverse order, timed cycles only.
if [[ " ${ways[*]} " == *" time "* ]]; then
	for way in kmem dimm; do
		for mom in "${moms[@]}"; do
			for ((i = ${#kernels[@]} - 1; i >= 0; i--)); do
				k=${kernels[i]}
				p="memory_hotplug.memmap_on_memory=$(bit "$mom")"
				if [[ $way == kmem ]]; then
					measured "$k-kmem-$mom-time" "$k" "$mom" 600 -m "$kmem_m" \
						-c "$BENCH_CMDLINE $p $(kmem_cmdline)" bench-kmem.sh "$(bit "$mom")" "$tgib" "$runs" 0
				else
					measured "$k-dimm-$mom-time" "$k" "$mom" 600 -m "$dimm_m" -c "$BENCH_CMDLINE $p" \
						"${actions[@]}" bench-dimm.sh "$tgib" "$runs"
				fi
			done
		done
	done
fi
if [[ -s $out/failed ]]; then
	die "guests that failed (see $out/NAME.console and NAME.ktap): $(xargs <"$out/failed")"
fi
