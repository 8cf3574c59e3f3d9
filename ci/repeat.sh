#!/usr/bin/env bash
# Runs each scenario N times in a row on the tree's test kernel (TREE, as every stage) and
# shows whether it is reliable: every run must pass. It also shows how far the figures the
# guest prints as "metric" lines (fault points per sweep, probes, pages) move between runs:
# a sweep's point count follows the allocator's state (a slab that needs a new page adds a
# fault point), so it may differ by a few points from run to run while every point still
# fails in turn. Prints one line per run and a summary per scenario with each figure's range;
# results of run I in $TREE_BUILD/results-repeat/I. Ends with `N passed, N failed`
# (scenarios, not runs). Usage: ci/repeat.sh N NAME...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if (($# < 2)) || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
	die "usage: $0 N NAME..."
fi
n=$1
shift
out=$TREE_BUILD/results-repeat
passed=0 failed=0
# metrics RUN NAME: "NAME VALUE" of the metric lines of that run, without the values that
# measure time.
metrics() {
	{ grep -h '^# metric ' "$out/$1/$2.ktap" 2>/dev/null || true; } |
		awk '$3 !~ /(_s|_ms|time)$/ { print $3, $4 }'
}
for name; do
	bad=0
	for ((i = 1; i <= n; i++)); do
		mkdir -p "$out/$i"
		t0=$SECONDS
		if "$TOP/ci/run-scenario.sh" -o "$out/$i" "$name" >"$out/$i/$name.log" 2>&1; then
			res=PASS
		else
			res="FAIL: $(tail -n 1 "$out/$i/$name.log")"
			bad=1
		fi
		printf '[%s] %s run %d/%d: %s (%ds)\n' "$TREE" "$name" "$i" "$n" "$res" $((SECONDS - t0))
	done
	ranges=$(for ((i = 1; i <= n; i++)); do metrics "$i" "$name"; done |
		awk '{ if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2; if (!($1 in hi) || $2 > hi[$1]) hi[$1] = $2
			if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
			END { for (j = 1; j <= k; j++) { m = order[j]
				printf "%s %s%s; ", m, lo[m], (hi[m] != lo[m] ? "-" hi[m] : "") } }')
	if ((bad)); then
		failed=$((failed + 1))
		printf '[%s] %s: FAILED in some of %d runs; figures: %s\n' "$TREE" "$name" "$n" "$ranges"
	else
		passed=$((passed + 1))
		printf '[%s] %s: %d of %d runs passed; figures: %s\n' "$TREE" "$name" "$n" "$n" "$ranges"
	fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
