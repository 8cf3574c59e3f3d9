#!/bin/sh
# What the memory hotplug admin guide of the running kernel's tree says of each memory_hotplug
# module parameter, read-only or read-write, holds on that kernel: the mode of its file in
# /sys/module/memory_hotplug/parameters, and whether root's write of the value it holds is
# taken. The guide is Documentation/admin-guide/mm/memory-hotplug.rst of the patched tree
# (/bench/docs) or, on the unpatched kernel, of the base (/bench/docs/base).
# With "stale" (unpatched mainline) it checks the bug instead: the guide calls
# memmap_on_memory read-write, and the kernel has it read-only (mainline patch 7).
# Usage: docs-params.sh [fixed|stale]
. /bench/lib.sh
. /bench/mainline-lib.sh
mode=${1:-fixed}
doc=/bench/docs/memory-hotplug.rst
series_kernel || doc=/bench/docs/base/memory-hotplug.rst
params=/sys/module/memory_hotplug/parameters
# The guide's table of module parameters: "``NAME``   read-only: ..." after its heading.
awk '/module parameters are currently defined/ { t = 1 }
	t && /^``[a-z_]+``[ \t]+read-(only|write):/ {
		split($0, a, "``"); c = $0; sub(/^``[a-z_]+``[ \t]+/, "", c); sub(/:.*/, "", c)
		print a[2], c }' "$doc" >/tmp/claims
n=$(grep -c . /tmp/claims)
plan $((n + 1))
diag "$doc: $(tr '\n' ' ' </tmp/claims)"
ok "the guide documents memory_hotplug parameters ($n)" test "$n" -gt 0
while read -r name claim; do
	f=$params/$name
	if [ -e "$f" ]; then
		perm=$(stat -c %a "$f")
		cat "$f" >/tmp/value
		if (cat /tmp/value >"$f") 2>/dev/null; then wr=taken; else wr=refused; fi
		case $perm:$wr in
		644:taken) real=read-write ;;
		444:refused) real=read-only ;;
		*) real="mode $perm, write $wr" ;;
		esac
	else
		real="no such parameter"
	fi
	if [ "$mode" = stale ] && [ "$name" = memmap_on_memory ]; then
		is "unpatched: the guide calls $name $claim; the kernel has it $real" \
			"$claim/$real" read-write/read-only
	else
		is "the guide calls $name $claim, as the kernel has it" "$real" "$claim"
	fi
done </tmp/claims
