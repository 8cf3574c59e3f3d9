#!/bin/sh
# Runs one kselftest program that has to skip on this kernel: it exits with the skip status
# (4), none of its checks fails, and the check whose description contains TEXT still ran and
# passed (it is not skipped). Usage: kselftest-skip.sh DIR/PROGRAM TEXT
. /bench/lib.sh
prog=$1 text=$2

plan 3
out=$(cd "/kselftest/${prog%/*}" && timeout 300 "./${prog##*/}" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
is "$prog exits with the skip status" "$rc" 4
is "none of its checks fails" "$(echo "$out" | grep -c '^not ok')" 0
ran() {
	echo "$out" | grep '^ok [0-9]' | grep -F -- "$text" | grep -qv '# SKIP'
}
ok "its check '$text' ran and passed" ran
