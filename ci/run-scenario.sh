#!/usr/bin/env bash
# Runs scenarios (selftests/NAME.scn) under QEMU: boots, drives and grades each one.
# Usage: ci/run-scenario.sh [-k KERNEL] [-u KERNEL] [-i INITRD] [-o OUTDIR] [-c ARGS] NAME...
#   -k the patched kernel (default: the tree's obj-test, build/linux/obj-test/... for 6.1),
#   -u the unpatched one (default: its linux-base), for scenarios that say `kernel unpatched`.
#   -c kernel command line arguments added to every scenario's (the KASAN runs: no5lvl).
# Scenarios run on TREE (ci/trees/$TREE.conf) when their `trees` line names it.
# Per scenario OUTDIR (default build/results, build/TREE/results for other trees) gets NAME.console, NAME.ktap and NAME.status;
# OUTDIR/results.tsv gets one row. A scenario that `expect`s a metric of another runs that
# one first. Exits non-zero when a scenario does not pass.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: $0 [-k KERNEL] [-u KERNEL] [-i INITRD] [-o OUTDIR] [-c ARGS] NAME..."
patched=$SRC/obj-test/arch/x86/boot/bzImage
unpatched=$BASE_WT/obj-test/arch/x86/boot/bzImage
initrd=$TREE_BUILD/initramfs.cpio
out=$TREE_BUILD/results
extra=''
while getopts k:u:i:o:c: opt; do
	case $opt in
	c) extra=$OPTARG ;;
	k) patched=$OPTARG ;;
	u) unpatched=$OPTARG ;;
	i) initrd=$OPTARG ;;
	o) out=$OPTARG ;;
	*) die "$usage" ;;
	esac
done
shift $((OPTIND - 1))
(($#)) || die "$usage"

# A NAME is selftests/NAME.scn, or a path to a .scn file (the bench's own fixtures).
scn_file() {
	if [[ $1 == *.scn ]]; then printf '%s\n' "$1"; else printf '%s\n' "$TOP/selftests/$1.scn"; fi
}
known() {
	find "$TOP/selftests" -maxdepth 1 -name '*.scn' -printf '%f\n' | sed 's/\.scn$//' | sort | xargs
}
for name in "$@"; do
	[[ -f $(scn_file "$name") ]] || die "unknown scenario '$name' (known: $(known))"
done

mkdir -p "$out"
run=$(mktemp -d /tmp/bench.XXXXXX)
trap 'rm -rf "$run"' EXIT
bad=0
declare -A done_here=()

field() {
	python3 -c 'import json,sys; v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(" ".join(v) if isinstance(v, list) else v)' "$1" "$2"
}

run_one() {
	local file name base json kernel
	file=$(scn_file "$1")
	name=$(basename "$file" .scn)
	[[ -z ${done_here[$name]:-} ]] || return 0
	done_here[$name]=1
	base=$out/$name
	json=$run/$name.json
	rm -f "$base".{console,console.qemu,ktap,status}
	if ! "$TOP/ci/scenario.py" "$file" >"$json"; then
		printf '%s\tFAIL\t0\t0\t0\t0\t0\tbad scenario file\n' "$name" >>"$out/results.tsv"
		bad=1
		return 0
	fi
	if [[ " $(field "$json" trees) " != *" $TREE "* ]]; then
		printf '%s\tFAIL\t0\t0\t0\t0\t0\tnot a scenario of tree %s\n' "$name" "$TREE" >>"$out/results.tsv"
		log "$name: not a scenario of tree $TREE (its trees: $(field "$json" trees))"
		bad=1
		return 0
	fi
	local dep
	for dep in $(python3 -c 'import json,sys
for e in json.load(open(sys.argv[1]))["expect"]: print(e["scenario"])' "$json"); do
		run_one "$dep"
	done
	kernel=$patched
	[[ $(field "$json" kernel) == patched ]] || kernel=$unpatched
	if ! "$TOP/ci/qemu-cmd.sh" "$(field "$json" machine)" "$kernel" "$initrd" \
		"$(field "$json" cmdline)${extra:+ $extra}" "$run/$name.ctl" "$run/$name.qmp" "$base.console" \
		>"$run/$name.argv"; then
		printf '%s\tFAIL\t0\t0\t0\t0\t0\tcannot boot: see above\n' "$name" >>"$out/results.tsv"
		bad=1
		return 0
	fi
	log "$name: booting $(field "$json" kernel) kernel on machine '$(field "$json" machine)' (${ACCEL:-tcg})"
	"$TOP/ci/drive.py" --scenario "$json" --qemu-argv "$run/$name.argv" \
		--ctl "$run/$name.ctl" --qmp "$run/$name.qmp" --console "$base.console" \
		--results "$base.ktap" --status "$base.status" \
		--boot-timeout "${BOOT_TIMEOUT:-120}" || true
	"$TOP/ci/grade.py" "$json" "$out" || bad=1
}

for name in "$@"; do
	run_one "$name"
done
exit "$bad"
