#!/usr/bin/env bash
# Runs each scenario N times in a row on the tree's test kernel (TREE, as every stage) and
# shows whether it is deterministic: every run must pass, and print the same figures (the
# guest's "metric" lines: fault points per sweep, probes, pages) as the first run. Prints
# one line per run and a summary per scenario; results of run I in
# $TREE_BUILD/results-repeat/I. Ends with `N passed, N failed` (scenarios, not runs).
# Usage: ci/repeat.sh N NAME...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if (($# < 2)) || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
	die "usage: $0 N NAME..."
fi
n=$1
shift
out=$TREE_BUILD/results-repeat
passed=0 failed=0
# metrics RUN NAME: the metric lines of that run, without the values that measure time.
metrics() {
	grep -h '^# metric ' "$out/$1/$2.ktap" 2>/dev/null | grep -v '_s \|_ms \|time' || true
}
for name; do
	bad=0
	for ((i = 1; i <= n; i++)); do
		mkdir -p "$out/$i"
		t0=$SECONDS
		if "$TOP/ci/run-scenario.sh" -o "$out/$i" "$name" >"$out/$i/$name.log" 2>&1; then
			res=PASS
		else
			res=FAIL
			bad=1
		fi
		if ((i > 1)) && [[ $(metrics "$i" "$name") != "$(metrics 1 "$name")" ]]; then
			res="$res, figures differ from run 1: $(diff <(metrics 1 "$name") \
				<(metrics "$i" "$name") | grep '^>' | head -n 3 | tr '\n' ' ')"
			bad=1
		fi
		printf '[%s] %s run %d/%d: %s (%ds)\n' "$TREE" "$name" "$i" "$n" "$res" $((SECONDS - t0))
	done
	if ((bad)); then
		failed=$((failed + 1))
		printf '[%s] %s: NOT deterministic over %d runs\n' "$TREE" "$name" "$n"
	else
		passed=$((passed + 1))
		printf '[%s] %s: %d of %d runs passed, same figures each time: %s\n' "$TREE" "$name" \
			"$n" "$n" "$(metrics 1 "$name" | sed 's/^# metric //' | tr '\n' ';')"
	fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
