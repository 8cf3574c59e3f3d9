#!/usr/bin/env bash
# Boots the test kernel with the bench's initramfs and a shell on the console (ttyS0 on
# stdio; Ctrl-A X quits QEMU). Usage: ci/boot.sh [-k KERNEL] [MACHINE [KERNEL-ARGS...]]
# MACHINE is a preset in selftests/machines (default std). ACCEL=kvm uses KVM.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$SRC/obj-test/arch/x86/boot/bzImage
if [[ ${1:-} == -k ]]; then
	kernel=$2
	shift 2
fi
machine=${1:-std}
shift || true
mapfile -t argv < <("$TOP/ci/qemu-cmd.sh" "$machine" "$kernel" "$TREE_BUILD/initramfs.cpio" \
	"bench.shell $*")
exec "${argv[@]}"
