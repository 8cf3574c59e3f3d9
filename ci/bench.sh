#!/usr/bin/env bash
# The benchmark (not a test): boots the same QEMU machines with three kernels, the unpatched
# 6.1 base, 6.1 with the series and Debian's 6.12 (mainline's implementation), and measures
# for kmem (dax_hmem) and ACPI DIMMs, memmap_on_memory off and on: boot memory consumed per
# GiB hot-added (1, 4, 16 GiB), the usable fraction after onlining, the largest dax device a
# 256 MiB guest can take (up to 64 GiB), and the time to add+online and offline+remove 4 GiB
# (median of 10: two boots of 5 runs, kernels in opposite orders; as a ratio to the
# unpatched kernel). Prints the tables and the targets;
# writes build/bench/results.tsv, Documentation/results.md and Documentation/results.svg.
#   --smoke  unpatched and patched only, memmap_on_memory on, 1 GiB, one timed run, no small
#            guest; writes build/bench/smoke/ only. Fails when a figure is missing or
#            implausible (what ci/test.sh runs to keep the bench working).
# Stages: ci/bench-kernels.sh, ci/bench-initramfs.sh, ci/bench-run.sh, ci/bench-report.py.
# Usage: ci/bench.sh [--smoke]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=0
case ${1:-} in
'') ;;
--smoke) smoke=1 ;;
*) die "usage: $0 [--smoke]" ;;
esac
if ((smoke)); then
	out=$BUILD/bench/smoke run=(--smoke) kopt=(--no-debian) doc=()
else
	out=$BUILD/bench/run run=() kopt=() doc=(--doc "$TOP/Documentation")
fi
stages=''

# stage NAME CMD...: runs one stage, timed.
stage() {
	local name=$1 t0=$SECONDS
	shift
	log "$name ..."
	"$@"
	stages+="${stages:+, }$name $((SECONDS - t0)) s"
}

stage kernels "$TOP/ci/bench-kernels.sh" "${kopt[@]}"
stage initramfs "$TOP/ci/bench-initramfs.sh"
stage guests "$TOP/ci/bench-run.sh" "${run[@]}" "$out"

version() { make -s -C "$1" kernelversion; }
frags="tinyconfig + kernel-config/{base,hotplug,dax}.config (\`ci/build.sh bench\`)"
{
	printf 'mode\t%s\n' "$( ((smoke)) && echo smoke || echo full)"
	printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'machine\t%s, %s cores, %s GiB, Debian %s\n' \
		"$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" \
		"$(awk '$1 == "MemTotal:" { printf "%d", $2 / 1048576 + 0.5 }' /proc/meminfo)" \
		"$(cat /etc/debian_version)"
	printf 'qemu\t%s\n' "$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version //p')"
	printf 'kernel.unpatched\tLinux %s, Debian linux-source-6.1 %s, %s\n' \
		"$(version "$BUILD/linux-bench-base")" "$BASE_PKG_VERSION" "$frags"
	printf 'kernel.patched\t%s\n' \
		"the same with the series ($(series_patches | grep -vc cover-letter) patches in \`series\`)"
	if [[ -f $BUILD/bench/debian-6.12/pkg.id ]] && ((!smoke)); then
		printf 'kernel.debian\t%s (its own config; dax, kmem, dax_hmem as modules)\n' \
			"$(cat "$BUILD/bench/debian-6.12/pkg.id")"
	fi
	printf 'wall\t%d min %d s\n' $((SECONDS / 60)) $((SECONDS % 60))
	printf 'stages\t%s\n' "$stages"
} >"$out/meta.tsv"
# The largest hot-add beyond the search's top, when ci/bench-largest.sh has measured it.
largest=()
[[ -s $BUILD/bench/largest/raw.tsv ]] && ((!smoke)) && largest=(--largest "$BUILD/bench/largest")
"$TOP/ci/bench-report.py" --check "${doc[@]}" "${largest[@]}" "$out"
((smoke)) || cp "$out/results.tsv" "$BUILD/bench/results.tsv"
log "done in $((SECONDS / 60)) min $((SECONDS % 60)) s ($stages); figures in $out"
