#!/usr/bin/env bash
# Prints the QEMU command line for a machine preset, one argument per line.
# Usage: ci/qemu-cmd.sh MACHINE KERNEL INITRD "KERNEL-ARGS" [CTL-SOCKET QMP-SOCKET CONSOLE-LOG]
# Without the sockets the console is on stdio (interactive). ACCEL=kvm uses KVM (default tcg).
# MACHINE is a preset in selftests/machines/, or a path to a preset file (with a '/').
set -euo pipefail
. "$(dirname "$0")/lib.sh"

(($# == 4 || $# == 7)) || die "usage: $0 MACHINE KERNEL INITRD ARGS [CTL QMP CONSOLE]"
machine=$1 kernel=$2 initrd=$3 append=$4
preset=$TOP/selftests/machines/$machine
[[ $machine != */* ]] || preset=$machine
[[ -f $preset ]] || die "no machine preset '$machine' in selftests/machines/"
[[ -f $kernel ]] || die "kernel image $kernel does not exist (run ci/build.sh)"
[[ -f $initrd ]] || die "initramfs $initrd does not exist (run ci/initramfs.sh)"

case ${ACCEL:-tcg} in
tcg) accel=(-accel tcg -cpu max) ;;
kvm) accel=(-accel kvm -cpu host) ;;
*) die "ACCEL must be tcg or kvm, not '$ACCEL'" ;;
esac

args=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot "${accel[@]}")
while read -r line; do
	line=${line%%#*}
	# shellcheck disable=SC2206 # a preset line is whitespace-separated arguments
	[[ -n ${line// /} ]] && args+=($line)
done <"$preset"
args+=(-kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 panic=-1 $append")
if (($# == 7)); then
	args+=(-serial "file:$7"
		-chardev "socket,id=ctl,path=$5,server=on,wait=on" -serial chardev:ctl
		-qmp "unix:$6,server=on,wait=off")
else
	args+=(-serial mon:stdio)
fi
printf '%s\n' "${args[@]}"
