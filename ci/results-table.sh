#!/usr/bin/env bash
# Prints the results table of a run from its results.tsv (default build/results/results.tsv).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tsv=${1:-$TREE_BUILD/results/results.tsv}
[[ -f $tsv ]] || die "no results at $tsv"
{
	printf 'SCENARIO\tVERDICT\tPASSED\tFAILED\tSKIPPED\tPLAN\tSECONDS\tDESCRIPTION / REASON\n'
	while IFS=$'\t' read -r name verdict p f s n secs why; do
		desc=$why
		if [[ -z $desc && -f $TOP/selftests/$name.scn ]]; then
			desc=$(sed -n '1s/^# *//p' "$TOP/selftests/$name.scn")
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$verdict" "$p" "$f" "$s" "$n" \
			"$secs" "${desc:0:90}"
	done <"$tsv"
} | column -t -s $'\t'
