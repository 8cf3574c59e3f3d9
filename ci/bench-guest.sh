#!/usr/bin/env bash
# Boots one guest of ci/bench.sh and drives it (ci/drive.py): a machine preset file, a kernel,
# the bench initramfs and a guest test. Leaves OUTDIR/NAME.{console,ktap,status} and appends
# the guest's `# bench KEY GIB VALUE` lines to OUTDIR/raw.tsv as rows
# `LABEL KEY GIB VALUE` (LABEL: tab-separated words naming the leg). Exits with drive.py's
# status (0: the guest test ran to its end).
# Usage: ci/bench-guest.sh -o OUTDIR -n NAME -l LABEL -k KERNEL -m MACHINE-FILE -c CMDLINE
#          [-t TIMEOUT] [-a ACTION=WHAT,ARG...]... TEST [ARG...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: $0 -o OUTDIR -n NAME -l LABEL -k KERNEL -m MACHINE -c CMDLINE [-t S]"
usage+=" [-a ACT=WHAT,ARG...]... TEST [ARG...]"
out='' name='' label='' kernel='' machine='' cmdline='' timeout=600 actions=()
while getopts o:n:l:k:m:c:t:a: opt; do
	case $opt in
	o) out=$OPTARG ;;
	n) name=$OPTARG ;;
	l) label=$OPTARG ;;
	k) kernel=$OPTARG ;;
	m) machine=$OPTARG ;;
	c) cmdline=$OPTARG ;;
	t) timeout=$OPTARG ;;
	a) actions+=("$OPTARG") ;;
	*) die "$usage" ;;
	esac
done
shift $((OPTIND - 1))
(($#)) || die "$usage"
[[ -n $out && -n $name && -n $label && -n $kernel && -n $machine ]] || die "$usage"
initrd=$BUILD/bench/initramfs.cpio

mkdir -p "$out"
run=$(mktemp -d /tmp/bench-guest.XXXXXX)
trap 'rm -rf "$run"' EXIT
base=$out/$name
rm -f "$base".{console,console.qemu,ktap,status}
# The scenario drive.py wants, as ci/scenario.py would print it.
python3 -c '
import json, sys
name, timeout, nact = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
acts = sys.argv[4:4 + nact]
guest = sys.argv[4 + nact:]
actions = {}
for a in acts:
    key, what = a.split("=", 1)
    actions[key] = what.split(",")
print(json.dumps({"name": name, "timeout": timeout, "guest": guest, "actions": actions}))
' "$name" "$timeout" "${#actions[@]}" "${actions[@]}" "$@" >"$run/scn.json"
"$TOP/ci/qemu-cmd.sh" "$machine" "$kernel" "$initrd" "$cmdline" \
	"$run/ctl" "$run/qmp" "$base.console" >"$run/argv"
rc=0
"$TOP/ci/drive.py" --scenario "$run/scn.json" --qemu-argv "$run/argv" --ctl "$run/ctl" \
	--qmp "$run/qmp" --console "$base.console" --results "$base.ktap" \
	--status "$base.status" --boot-timeout "${BOOT_TIMEOUT:-120}" 2>"$run/drive.err" || rc=$?
# drive.py's one-line reason (the console's tail is in OUTDIR/NAME.console).
grep -v -m1 '^action ' "$run/drive.err" >&2 || true
awk -v label="$label" '$1 == "#" && $2 == "bench" && NF == 5 {
	printf "%s\t%s\t%s\t%s\n", label, $3, $4, $5 }' "$base.ktap" >>"$out/raw.tsv" 2>/dev/null || true
exit "$rc"
