#!/bin/sh
# An ACPI memory device that is present but not enabled: loads an SSDT through ACPI configfs
# with a PNP0C80 device, \_SB.MEMX, whose _STA says "present, functioning, not enabled" (0x0D)
# and whose _CRS is 128 MiB at 256 GiB (no RAM there). The ACPI core attaches present devices;
# the memory hotplug handler refuses this one and must fail the attach: no platform device
# "PNP0C80:NN", no /proc/iomem entry for the range. A second SSDT then enables the device
# (module-level code sets \_SB.MXST to 0x0F; loading a table rescans the namespace): the rescan
# must add the range (one offline block), which is then ejected through sysfs (_EJ0 disables
# the device again).
# With "bug" it checks what unpatched mainline does: the handler returns 0, the core registers
# the platform device with the range in /proc/iomem and marks the device enumerated, and the
# rescan after the device is enabled adds nothing.
# The range must never be onlined or carry its memmap: the scenario must not set
# memhp_default_state or memory_hotplug.memmap_on_memory (checked below).
# Needs CONFIG_ACPI_CONFIGFS=y. Sources of the tables: mainline/patches-incoming/acpi/memx.asl
# and memxon.asl (iasl 20200925); the AML is inlined below as octal escapes.
# Usage: acpi-sta.sh [fixed|bug]
. /bench/lib.sh
. /bench/mainline-lib.sh
mode=${1:-fixed}
cfg=/sys/kernel/config
base=$((0x4000000000))

mkdir -p $cfg
mount -t configfs configfs $cfg 2>/dev/null
if [ ! -d $cfg/acpi/table ]; then
	echo "1..0 # SKIP needs CONFIG_ACPI_CONFIGFS=y"
	exit 4
fi
if [ "$(cat "$MEMSYS"/auto_online_blocks)" != offline ] ||
	grep -qv N /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null; then
	echo "1..0 # SKIP the range has no RAM: needs offline blocks and no memmap_on_memory"
	exit 4
fi

memx_aml=$(tr -d '\t\n' <<'AML'
	\123\123\104\124\237\000\000\000\002\176\123\105\105\104\000\000\115\105
	\115\130\000\000\000\000\001\000\000\000\111\116\124\114\045\011\040\040
	\020\112\007\134\137\123\102\137\010\115\130\123\124\012\015\133\202\112
	\006\115\105\115\130\010\137\110\111\104\014\101\320\014\200\010\137\125
	\111\104\013\130\115\024\013\137\123\124\101\000\244\115\130\123\124\010
	\137\103\122\123\021\063\012\060\212\053\000\000\015\003\000\000\000\000
	\000\000\000\000\000\000\000\000\100\000\000\000\377\377\377\007\100\000
	\000\000\000\000\000\000\000\000\000\000\000\000\000\010\000\000\000\000
	\171\000\024\014\137\105\112\060\001\160\000\115\130\123\124
AML
)
memxon_aml=$(tr -d '\t\n' <<'AML'
	\123\123\104\124\101\000\000\000\002\104\123\105\105\104\000\000\115\105
	\115\130\117\116\000\000\001\000\000\000\111\116\124\114\045\011\040\040
	\240\017\000\025\134\056\137\123\102\137\115\130\123\124\001\000\160\012
	\017\134\056\137\123\102\137\115\130\123\124
AML
)

# load NAME AML: loads the table through configfs (the write is committed on close).
load() {
	mkdir $cfg/acpi/table/"$1" || return 1
	# shellcheck disable=SC2059 # the format is the table, octal escapes only
	printf "$2" >$cfg/acpi/table/"$1"/aml
}
# memx: the sysfs name of \_SB.MEMX's ACPI device (PNP0C80:NN), once it exists.
memx() {
	for _d in /sys/bus/acpi/devices/PNP0C80:*; do
		[ "$(cat "$_d/path" 2>/dev/null)" = '\_SB_.MEMX' ] && echo "${_d##*/}" && return 0
	done
	return 1
}
range=$(printf '%x-%x' $base $((base + 0x8000000 - 1)))

if [ "$mode" = bug ]; then plan 5; else plan 6; fi
blocks >/tmp/blocks.before
ok "SSDT with a present but not enabled PNP0C80 device loads" load memx "$memx_aml"
wait_for 30 memx >/dev/null
adev=$(memx)
# The attach runs in the same scan work right after the device object appears.
sleep 2
diag "ACPI device $adev, _STA $(cat /sys/bus/acpi/devices/"$adev"/status 2>/dev/null)"
iomem=$(grep -c "^ *$range : " /proc/iomem)
if [ "$mode" = bug ]; then
	ok "unpatched: a platform device $adev exists" test -e /sys/bus/platform/devices/"$adev"
	is "unpatched: /proc/iomem entries for its range" "$iomem" 1
else
	ok "no platform device for the memory device" test ! -e /sys/bus/platform/devices/"$adev"
	is "/proc/iomem entries for its range" "$iomem" 0
fi

ok "SSDT that enables the device loads" load memxon "$memxon_aml"
if [ "$mode" = bug ]; then
	sleep 10
	is "unpatched: the rescan adds nothing (blocks after 10 s)" "$(count_new)" 0
	exit 0
fi
ok "the rescan adds the device's memory" wait_for 30 have_new 1
eject_gone() {
	[ -w /sys/bus/acpi/devices/"$adev"/eject ] || return 1
	echo 1 >/sys/bus/acpi/devices/"$adev"/eject || return 1
	wait_for 30 no_new
}
if [ "$(count_new)" != 0 ]; then
	ok "eject removes it" eject_gone
else
	skip "eject removes it" "nothing was added"
fi
