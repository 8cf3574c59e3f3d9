#!/usr/bin/env bash
# The bench's own checks: each kind of bad input gets a clear one-line error and a non-zero
# exit, within a bounded time. Usage: ci/selftest-bench.sh --list | CASE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

fix=$TOP/selftests/bench
cases=(unknown-scenario bad-scenario-file unknown-kernel-variant missing-kernel-src
	wrong-kernel-src patch-does-not-apply bench-patch-does-not-apply bench-patch-not-tree-top
	kernel-panics-at-boot boot-timeout guest-test-hangs
	expected-oops-missing)

# expect PATTERN CMD...: CMD must fail (not by our own timeout) and say PATTERN.
expect() {
	local pattern=$1 rc=0 out
	shift
	out=$(timeout 300 "$@" 2>&1) || rc=$?
	((rc != 0)) || die "expected a failure, the command succeeded: $*"
	((rc != 124)) || die "the command hung for 300 s: $*"
	grep -E -m1 -- "$pattern" <<<"$out" || {
		printf '%s\n' "$out" | tail -n 5
		die "the error does not say /$pattern/"
	}
}

tmp=$(mktemp -d /tmp/bench-selftest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

case ${1:-} in
--list) printf '%s\n' "${cases[@]}" ;;
unknown-scenario)
	expect "unknown scenario 'no-such-scenario' \(known: " \
		"$TOP/ci/run-scenario.sh" -o "$tmp" no-such-scenario ;;
bad-scenario-file)
	expect "bad-key.scn:3: unknown key 'colour'" "$TOP/ci/scenario.py" "$fix/bad-key.scn" ;;
unknown-kernel-variant)
	expect "unknown kernel variant 'huge'" "$TOP/ci/build.sh" huge ;;
missing-kernel-src)
	expect "KERNEL_SRC=/no/such/tree does not exist" \
		env KERNEL_SRC=/no/such/tree BUILD="$tmp" SRC="$tmp/linux" "$TOP/ci/base-tree.sh" ;;
wrong-kernel-src)
	mkdir "$tmp/linux-5.15"
	printf 'VERSION = 5\nPATCHLEVEL = 15\n' >"$tmp/linux-5.15/Makefile"
	expect "is not a Linux 6.1 source tree" \
		env KERNEL_SRC="$tmp/linux-5.15" BUILD="$tmp/build" SRC="$tmp/build/linux" "$TOP/ci/base-tree.sh" ;;
patch-does-not-apply)
	git init -q "$tmp/tree"
	printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$tmp/tree/Makefile"
	git -C "$tmp/tree" add Makefile
	git -C "$tmp/tree" "${GIT_ID[@]}" commit -q -m base
	git -C "$tmp/tree" tag base
	expect "0001-bench-does-not-apply.patch does not apply: patch failed: Makefile:1" \
		env SRC="$tmp/tree" SERIES="$fix/series" PATCHES="$fix" "$TOP/ci/apply.sh" ;;
bench-patch-does-not-apply)
	git init -q "$tmp/tree"
	printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$tmp/tree/Makefile"
	expect "bench-only patch 0001-bench-does-not-apply.patch does not apply to $tmp/tree: " \
		"$TOP/ci/test-patches.sh" "$tmp/tree" "$fix/0001-bench-does-not-apply.patch" ;;
bench-patch-not-tree-top)
	git init -q "$tmp/tree"
	mkdir "$tmp/tree/sub"
	printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$tmp/tree/sub/Makefile"
	expect "$tmp/tree/sub is not the top of its git tree" \
		"$TOP/ci/test-patches.sh" "$tmp/tree/sub" "$fix/0001-bench-does-not-apply.patch" ;;
kernel-panics-at-boot)
	expect "kernel did not boot: QEMU exited" \
		"$TOP/ci/run-scenario.sh" -o "$tmp" "$fix/no-init.scn" ;;
boot-timeout)
	expect "kernel did not boot within 1 s" \
		env BOOT_TIMEOUT=1 "$TOP/ci/run-scenario.sh" -o "$tmp" boot ;;
guest-test-hangs)
	expect "guest test hung: no end within 15 s \(last result line: ok 1 about to hang\)" \
		"$TOP/ci/run-scenario.sh" -o "$tmp" "$fix/hang.scn" ;;
expected-oops-missing)
	expect "FAIL oops-missing: .*expected the guest to die with /BUG: kernel NULL pointer dereference/" \
		"$TOP/ci/run-scenario.sh" -o "$tmp" "$fix/oops-missing.scn" ;;
*) die "unknown case '${1:-}' (--list shows them)" ;;
esac
