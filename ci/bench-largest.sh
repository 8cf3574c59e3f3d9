#!/usr/bin/env bash
# The bench's largest hot-add beyond its 64 GiB search cap (too slow for ci/bench.sh: onlining
# 4096 blocks took 12 min under TCG, on a busy host). The 256 MiB guest of ci/bench.sh boots with one
# dax device (memmap_on_memory on, attribute set): the unpatched 6.1 with GIB/64 and GIB/32
# GiB (the largest it can take and the next power of two), the patched kernel with GIB GiB.
# A size counts when kmem binds, every block is added and onlined and the guest still runs
# programs. Prints a table and writes it to Documentation/results-largest.md.
# Usage: ci/bench-largest.sh [GIB]   (default 512, a power of two of at least 64)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

gib=${1:-512}
if ! [[ $gib =~ ^[0-9]+$ ]] || ((gib < 64 || (gib & (gib - 1)) != 0)); then
	die "GIB must be a power of two of at least 64, not '$gib'"
fi
out=$BUILD/bench/largest
doc=$TOP/Documentation/results-largest.md

"$TOP/ci/bench-kernels.sh" --no-debian >/dev/null
"$TOP/ci/bench-initramfs.sh" >/dev/null
declare -A kernel=(
	[unpatched]=$BUILD/linux-bench-base/obj-bench/arch/x86/boot/bzImage
	[patched]=$SRC/obj-bench/arch/x86/boot/bzImage
)
rm -rf "$out"
mkdir -p "$out"

# one KERNEL GIB: boots the 256 MiB guest with a GIB GiB device; prints a table row.
one() {
	local k=$1 g=$2 m=$out/machine-$2 t0=$SECONDS name=$1-$2 ok=no drop
	small_guest_preset "$g" >"$m"
	"$TOP/ci/bench-guest.sh" -o "$out" -n "$name" -l "$k"$'\tlargest\ton' -k "${kernel[$k]}" \
		-m "$m" -t $((600 + g * 4)) -c "$(small_guest_cmdline "$g" 1)" bench-small.sh 1 >&2 || true
	grep -q "^# bench small_ok $g 1" "$out/$name.ktap" 2>/dev/null && ok=yes
	drop=$(awk -v g="$g" '$1 == "#" && $2 == "bench" && $3 == "drop_kib" && $4 == g { print $5 }' \
		"$out/$name.ktap" 2>/dev/null)
	printf '| %s | %s GiB | %s | %s | %d s |\n' "$k" "$g" "$ok" "${drop:-(died)}" $((SECONDS - t0))
}

rows=$(
	one unpatched $((gib / 64))
	one unpatched $((gib / 32))
	one patched "$gib"
)
# shellcheck disable=SC2016 # backquotes are Markdown
{
	printf '# Largest hot-add beyond the bench cap\n\n'
	printf 'Measured %s by `ci/bench-largest.sh %s` on %s, %s cores, QEMU %s with TCG.\n' \
		"$(date -u '+%Y-%m-%d %H:%M UTC')" "$gib" "$(lscpu | sed -n 's/^Model name: *//p')" \
		"$(nproc)" "$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version //p')"
	printf 'Guest: 256 MiB of boot memory, one dax_hmem device, memmap_on_memory on (attribute set\n'
	printf 'on the patched kernel; 6.1 has none), kmem bind, every block onlined movable. Kernels\n'
	printf 'as in `Documentation/results.md` (`ci/build.sh bench`, no debug options).\n\n'
	printf '| kernel | device | bound and online | boot memory consumed at bind (KiB) | wall time |\n'
	printf '| --- | --- | --- | --- | --- |\n'
	printf '%s\n' "$rows"
} >"$doc"
cat "$doc"
awk -F' [|] ' -v g="$gib" '$1 == "| unpatched" && $3 == "yes" { u = $2 + 0 }
	$1 == "| patched" && $3 == "yes" { p = $2 + 0 }
	END { if (u && p) printf "\nlargest: patched %d GiB, unpatched %d GiB: %dx\n", p, u, p / u
	      else { print "\nlargest: no ratio (a guest did not take its device)"; exit 1 } }' \
	<<<"$rows" | tee -a "$doc"
