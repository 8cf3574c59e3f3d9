#!/usr/bin/env bash
# How hot-add scales: the add+online time per GiB of one dax device of 1, 8, 64 and 512 GiB on
# the bench's small guest (256 MiB of boot memory, ci/lib.sh), memmap_on_memory on, for three
# kernels: unpatched mainline, mainline with its series, and 6.1 with its series. Each size is
# a fresh boot; the guest (bench-scale.sh) times the kmem bind and the onlining of every block
# in address order, then fills and verifies 512 MiB on the device's node. The guests run TCG
# with -icount (the guest clock counts instructions), so host load does not show.
# Target: with the series, the time per GiB at 512 GiB is at most 1.25 times that at 8 GiB.
# A guest that does not finish within its time limit (LIMIT seconds per 64 GiB, default 300)
# counts as "did not finish": its time per GiB is a lower bound.
# Kernels: the VARIANT (default test) of each tree, as ci/build.sh builds them.
# Writes build/bench/scaling/ and Documentation/results-scaling.md (table and plot).
# -K KERNELS runs only those (e.g. "mainline mainline+series"); the rows of other kernels and
# sizes from an earlier run stay, so the report can be made up in parts. A big device takes
# long to boot under TCG: BOOT_TIMEOUT (seconds, default 120) is raised with the size.
# Usage: ci/bench-scaling.sh [-v VARIANT] [-l LIMIT] [-K KERNELS] [GIB...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=test limit=300 only=''
while getopts v:l:K: opt; do
	case $opt in
	v) variant=$OPTARG ;;
	l) limit=$OPTARG ;;
	K) only=$OPTARG ;;
	*) die "usage: $0 [-v VARIANT] [-l LIMIT] [-K KERNELS] [GIB...]" ;;
	esac
done
shift $((OPTIND - 1))
sizes=("$@")
((${#sizes[@]})) || sizes=(1 8 64 512)
for g in "${sizes[@]}"; do
	[[ $g =~ ^[1-9][0-9]*$ ]] || die "sizes are whole GiB, not '$g'"
done
[[ $limit =~ ^[1-9][0-9]*$ ]] || die "LIMIT is a number of seconds, not '$limit'"

out=$BUILD/bench/scaling
doc=$TOP/Documentation/results-scaling.md
img=arch/x86/boot/bzImage
declare -A kernel=(
	[mainline]=$BUILD/mainline/linux-base/obj-$variant/$img
	[mainline+series]=$BUILD/mainline/linux/obj-$variant/$img
	[6.1+series]=$BUILD/linux/obj-$variant/$img
)
order=(mainline mainline+series 6.1+series)
if [[ -n $only ]]; then
	read -r -a order <<<"$only"
fi
for k in "${order[@]}"; do
	[[ -n ${kernel[$k]:-} ]] || die "unknown kernel '$k' (mainline, mainline+series, 6.1+series)"
	[[ -f ${kernel[$k]} ]] || die "no $k kernel at ${kernel[$k]} (ci/build.sh $variant, TREE=...)"
done
"$TOP/ci/bench-initramfs.sh" >/dev/null
mkdir -p "$out"
touch "$out/raw.tsv"
# Drop the earlier rows of the kernels and sizes this run measures again.
awk -F'\t' -v run=" ${order[*]} " -v gib=" ${sizes[*]} " \
	'index(run, " " $1 " ") == 0 || index(gib, " " $3 " ") == 0' "$out/raw.tsv" >"$out/raw.tsv.new"
mv "$out/raw.tsv.new" "$out/raw.tsv"

# The small guest with -icount; kmem must not take the device at boot (mainline's dax_hmem
# hands it to kmem unless its region is idle), and device_dax never binds.
for k in "${order[@]}"; do
	for g in "${sizes[@]}"; do
		m=$out/machine-$g
		{ small_guest_preset "$g" && echo "-icount shift=0,sleep=off"; } >"$m"
		t0=$SECONDS
		BOOT_TIMEOUT=$((${BOOT_TIMEOUT:-120} + g)) "$TOP/ci/bench-guest.sh" -o "$out" -n "$k-$g" -l "$k" -k "${kernel[$k]}" -m "$m" \
			-t $((limit * (g + 63) / 64 + 120)) \
			-c "$(small_guest_cmdline "$g" 1) dax_hmem.region_idle=1" bench-scale.sh "$g" >&2 ||
			true
		printf '%s\twall_s\t%s\t%s\n' "$k" "$g" $((SECONDS - t0)) >>"$out/raw.tsv"
		log "$k, $g GiB: $(grep -c '^ok' "$out/$k-$g.ktap" 2>/dev/null || echo 0) checks passed," \
			"$((SECONDS - t0)) s"
	done
done
"$TOP/ci/bench-scaling-report.py" --limit "$limit" --doc "$doc" "$out/raw.tsv" "${sizes[@]}"
