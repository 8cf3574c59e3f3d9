#!/usr/bin/env bash
# Runs every test, for each target tree (TREES, default: 6.1 mainline; ci/trees/): which base
# it is and whether Debian has moved on, the series' per-patch checks (quilt, git am on the
# tree's other releases, the mails, checkpatch --strict, every prefix builds) and every scenario
# of the tree under QEMU but the long ones. Then the bench's own bad-input checks. Ends with `N passed, N failed` and exits
# non-zero on any failure. Logs: build/logs/. CI runs it as it is (under 75 minutes from an
# empty ccache on 2 cores).
# A tree whose ci/trees file says BASELINES=long (mainline) leaves its unpatched kernel and the
# scenarios that boot it (the baselines) to --long.
#   --long  also the long scenarios of each tree (selftests/long.list), the baselines of such
#           a tree, and for 6.1 a smoke
#           run of the benchmark (ci/bench.sh --smoke), the scenarios of
#           selftests/kasan.list on a KASAN kernel (all of them: ci/debug-all.sh), the build
#           matrix and the static checks.
# Usage: [TREES="6.1 mainline"] ci/test.sh [--long]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

long=0
case ${1:-} in
'') ;;
--long) long=1 ;;
*) die "usage: $0 [--long]" ;;
esac
logs=$BUILD/logs
mkdir -p "$logs"
passed=0 failed=0

# check NAME CMD...: runs one check, logs its output, prints one line.
check() {
	local name=$1 t0=$SECONDS log
	shift
	name="[$TREE] $name"
	log=$logs/${name//[^A-Za-z0-9._-]/_}.log
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'PASS  %-56s %4ds\n' "$name" $((SECONDS - t0))
	else
		failed=$((failed + 1))
		printf 'FAIL  %-56s %4ds  %s\n' "$name" $((SECONDS - t0)) "$(tail -n 1 "$log")"
	fi
}

build_unpatched() {
	"$TOP/ci/build.sh" test "$("$TOP/ci/base-worktree.sh")"
}

finish() {
	printf '%d passed, %d failed\n' "$passed" "$failed"
	((failed == 0))
}

# tree_checks: the checks of the series of $TREE, up to its scenarios.
tree_checks() {
	# What every later check needs: stop at the first of these that fails.
	local step name failed0=$failed
	for step in deps base-tree apply; do
		check "$step" "$TOP/ci/$step.sh"
		((failed == failed0)) || return 0
	done
	check "the tree is the newest Debian carries (ci/tree-current.sh)" "$TOP/ci/tree-current.sh"
	check "quilt push -a" "$TOP/ci/quilt-check.sh"
	check "git am and quilt on ${RELEASES[*]}" "$TOP/ci/apply-releases.sh"
	check "mails for the list (b4, get_maintainer.pl To/Cc, round trip)" "$TOP/ci/mails.sh"
	while read -r p; do
		check "checkpatch $p" "$TOP/ci/checkpatch.sh" "$p"
	done < <(series_patches)
	# Every prefix builds: always for a tree whose ci/trees file says BISECT=always, with
	# --long for the others (CI's time: each prefix is a kernel build).
	if [[ $BISECT == always ]] || ((long)); then
		check "every prefix of the series builds" "$TOP/ci/bisect-build.sh"
	fi
	# The scenarios need the kernels and the initramfs, not the checks above: a patch that
	# does not apply to another release, say, must not hide the scenarios' results.
	local failed1=$failed
	check "build test kernel" "$TOP/ci/build.sh" test
	# The unpatched kernel and its scenarios (the baselines): always for a tree whose
	# ci/trees file says BASELINES=always, with --long for the others (CI's time).
	local baselines=1
	case ${BASELINES:-always} in
	always) ;;
	long) ((long)) || baselines=0 ;;
	*) die "ci/trees/$TREE.conf: BASELINES must be always or long, not '$BASELINES'" ;;
	esac
	if ((baselines)); then
		check "build unpatched kernel (same config)" build_unpatched
	fi
	check "build initramfs" "$TOP/ci/initramfs.sh"
	((failed == failed1)) || return 0

	rm -f "$TREE_BUILD/results/results.tsv"
	# A scenario that another one `expect`s runs (and is graded) inside that one's check.
	local skip
	mapfile -t skip < <(awk '$1 == "expect" { print $NF }' "$TOP"/selftests/*.scn | sort -u)
	# The long ones only with --long.
	((long)) || mapfile -t -O "${#skip[@]}" skip < <(grep -v '^#' "$TOP/selftests/long.list")
	# Without the unpatched kernel, the scenarios that boot it.
	# (A scenario that `expect`s a baseline boots the unpatched kernel as well: keep such
	# trees at BASELINES=always, as 6.1 is.)
	((baselines)) || mapfile -t -O "${#skip[@]}" skip < <(grep -l '^kernel[[:space:]]*unpatched' \
		"$TOP"/selftests/*.scn | xargs -r -n1 basename | sed 's/\.scn$//')
	local names=()
	while read -r name; do
		[[ " ${skip[*]} " == *" $name "* ]] || names+=("$name")
	done < <(tree_scenarios)
	check_scenarios "${names[@]}"
}

# check_scenarios NAME...: runs the scenarios, SCENARIO_JOBS (default: the number of CPUs) at a
# time: QEMU's TCG runs a one-CPU guest on one host CPU, and each scenario has its own sockets
# and result files. Prints and counts them as check does, in the order given.
check_scenarios() {
	local jobs=${SCENARIO_JOBS:-$(nproc)} dir name i=0 rc t
	dir=$(mktemp -d)
	for name; do
		while (($(jobs -rp | wc -l) >= jobs)); do
			wait -n || true
		done
		(
			t0=$SECONDS
			rc=0
			"$TOP/ci/run-scenario.sh" "$name" >"$dir/$i.log" 2>&1 || rc=$?
			echo "$rc $((SECONDS - t0))" >"$dir/$i.rc"
		) &
		i=$((i + 1))
	done
	wait
	i=0
	for name; do
		read -r rc t <"$dir/$i.rc"
		local label="[$TREE] scenario $name"
		local log=$logs/${label//[^A-Za-z0-9._-]/_}.log
		cp "$dir/$i.log" "$log"
		if ((rc == 0)); then
			passed=$((passed + 1))
			printf 'PASS  %-56s %4ds\n' "$label" "$t"
		else
			failed=$((failed + 1))
			printf 'FAIL  %-56s %4ds  %s\n' "$label" "$t" "$(tail -n 1 "$log")"
		fi
		i=$((i + 1))
	done
	rm -rf "$dir"
}

for TREE in ${TREES:-6.1 mainline}; do
	export TREE
	unset SRC SERIES PATCHES
	. "$TOP/ci/lib.sh"
	tree_checks
done

# The bench's bad-input checks; with --long the 6.1 bench smoke run, KASAN kernel, build
# matrix and static checks.
export TREE=6.1
unset SRC SERIES PATCHES
. "$TOP/ci/lib.sh"
if [[ " ${TREES:-6.1 mainline} " == *" 6.1 "* && -f $SRC/obj-test/arch/x86/boot/bzImage ]]; then
	# Two more kernels (the bench variant, no debugging): with --long.
	((long)) && check "bench --smoke (unpatched vs patched, 1 GiB)" "$TOP/ci/bench.sh" --smoke
	while read -r case; do
		check "bench rejects: $case" "$TOP/ci/selftest-bench.sh" "$case"
	done < <("$TOP/ci/selftest-bench.sh" --list)
fi
if ((long)) && [[ " ${TREES:-6.1 mainline} " == *" 6.1 "* && -f $SRC/obj-test/arch/x86/boot/bzImage ]]; then
	check "build kasan kernel" "$TOP/ci/build.sh" kasan
	while read -r name _; do
		[[ -z $name || $name == \#* ]] && continue
		check "kasan: scenario $name" "$TOP/ci/run-scenario.sh" \
			-k "$SRC/obj-kasan/arch/x86/boot/bzImage" -o "$BUILD/results-kasan" -c "$KASAN_CMDLINE" \
			"$name"
	done <"$TOP/selftests/kasan.list"
	# After bisect-build.sh, which leaves build/linux on branch series again.
	while read -r leg; do
		check "build matrix: $leg" "$TOP/ci/build-matrix.sh" "$leg"
	done < <("$TOP/ci/build-matrix.sh" --list)
	while read -r c; do
		check "static: $c (touched files, patched vs base)" "$TOP/ci/static-checks.sh" "$c"
	done < <("$TOP/ci/static-checks.sh" --list)
fi

finish
