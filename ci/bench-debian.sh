#!/usr/bin/env bash
# Fetches the mainline reference for ci/bench.sh: Debian's prebuilt 6.12 kernel package
# (linux-image-6.12.*-amd64-unsigned, the newest the apt lists offer, or DEBIAN_KERNEL_PKG),
# unpacked with dpkg -x into build/bench/debian-6.12. Its dax modules kmem and dax_hmem (the
# dax core is built in; neither depends on another module; device_dax is left out, see
# selftests/guest/bench-lib.sh) are decompressed into modules/ there, for the bench
# initramfs. Prints the kernel image's path last.
# Usage: ci/bench-debian.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$BUILD/bench/debian-6.12
re='^linux-image-6\.12\.[0-9.]+\+deb[0-9]+-amd64-unsigned$'
pkg=${DEBIAN_KERNEL_PKG:-$(apt-cache search --names-only "$re" | cut -d' ' -f1 | sort -V | tail -n 1)}
[[ -n $pkg ]] || die "no linux-image-6.12.*-amd64-unsigned in the apt lists" \
	"(bookworm-security or -backports; run apt-get update)"
ver=$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" { print $2 }')
id="$pkg=$ver"

if [[ -f $out/pkg.id && $(cat "$out/pkg.id") == "$id" ]]; then
	find "$out/boot" -name 'vmlinuz-*' -print -quit
	exit 0
fi
log "fetching $id"
dl=$(mktemp -d)
trap 'rm -rf "$dl"' EXIT
(cd "$dl" && apt-get download -q "$id" >/dev/null 2>&1) || die "apt-get download $id failed"
rm -rf "$out"
mkdir -p "$out/modules"
dpkg -x "$dl"/*.deb "$out"
kver=${pkg#linux-image-}
kver=${kver%-unsigned}
for m in kmem dax_hmem; do
	ko=$(find "$out/lib/modules/$kver/kernel/drivers/dax" -name "$m.ko*" -print -quit)
	[[ -n $ko ]] || die "$pkg has no $m module"
	case $ko in
	*.xz) xz -dc "$ko" >"$out/modules/$m.ko" ;;
	*.zst) zstd -qdc "$ko" >"$out/modules/$m.ko" ;;
	*) cp "$ko" "$out/modules/$m.ko" ;;
	esac
done
# What the bench relies on (the guest's console and control channel, ACPI memory hotplug,
# memmap_on_memory, dax): fail here rather than in a guest.
cfg=$out/boot/config-$kver
for opt in SERIAL_8250=y SERIAL_8250_CONSOLE=y ACPI_HOTPLUG_MEMORY=y MEMORY_HOTPLUG=y \
	MEMORY_HOTREMOVE=y MHP_MEMMAP_ON_MEMORY=y NUMA=y ACPI_NUMA=y EFI_SOFT_RESERVE=y DAX=y; do
	grep -qx "CONFIG_$opt" "$cfg" || die "$pkg lacks CONFIG_$opt"
done
rm -rf "${out:?}/lib" "${out:?}/usr"
printf '%s\n' "$id" >"$out/pkg.id"
printf '%s\n' "$kver" >"$out/kernel.release"
printf '%s\n' "$out/boot/vmlinuz-$kver"
