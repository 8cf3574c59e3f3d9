#!/usr/bin/env bash
# Runs scenarios (selftests/NAME.scn) on a kernel: boots, drives and grades each one.
# Usage: ci/run-scenario.sh [-k KERNEL] [-i INITRD] [-o OUTDIR] NAME...
# Per scenario OUTDIR (default build/results) gets NAME.console, NAME.ktap and NAME.status;
# OUTDIR/results.tsv gets one row. Exits non-zero when a scenario does not pass.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$SRC/obj-test/arch/x86/boot/bzImage
initrd=$BUILD/initramfs.cpio
out=$BUILD/results
while getopts k:i:o: opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	o) out=$OPTARG ;;
	*) die "usage: $0 [-k KERNEL] [-i INITRD] [-o OUTDIR] NAME..." ;;
	esac
done
shift $((OPTIND - 1))
(($#)) || die "usage: $0 [-k KERNEL] [-i INITRD] [-o OUTDIR] NAME..."

# A NAME is selftests/NAME.scn, or a path to a .scn file (the bench's own fixtures).
scn_file() {
	if [[ $1 == *.scn ]]; then printf '%s\n' "$1"; else printf '%s\n' "$TOP/selftests/$1.scn"; fi
}
known() { find "$TOP/selftests" -maxdepth 1 -name '*.scn' -printf '%f\n' | sed 's/\.scn$//' | sort | xargs; }
for name in "$@"; do
	[[ -f $(scn_file "$name") ]] || die "unknown scenario '$name' (known: $(known))"
done

mkdir -p "$out"
run=$(mktemp -d /tmp/bench.XXXXXX)
trap 'rm -rf "$run"' EXIT
bad=0
for arg in "$@"; do
	file=$(scn_file "$arg")
	name=$(basename "$file" .scn)
	base=$out/$name
	rm -f "$base".{console,console.qemu,ktap,status}
	if ! "$TOP/ci/scenario.py" "$file" >"$run/$name.json"; then
		printf '%s\tFAIL\t0\t0\t0\t0\t0\tbad scenario file\n' "$name" >>"$out/results.tsv"
		bad=1
		continue
	fi
	append=$(python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["cmdline"]))' \
		<"$run/$name.json")
	machine=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["machine"])' \
		<"$run/$name.json")
	"$TOP/ci/qemu-cmd.sh" "$machine" "$kernel" "$initrd" "$append" \
		"$run/$name.ctl" "$run/$name.qmp" "$base.console" >"$run/$name.argv"
	log "$name: booting $(basename "$kernel") on machine '$machine' (${ACCEL:-tcg})"
	"$TOP/ci/drive.py" --scenario "$run/$name.json" --qemu-argv "$run/$name.argv" \
		--ctl "$run/$name.ctl" --qmp "$run/$name.qmp" --console "$base.console" \
		--results "$base.ktap" --status "$base.status" \
		--boot-timeout "${BOOT_TIMEOUT:-120}" || true
	"$TOP/ci/grade.py" "$name" "$base.ktap" "$base.console" "$base.status" \
		"$out/results.tsv" || bad=1
done
exit "$bad"
