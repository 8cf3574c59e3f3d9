#!/usr/bin/env bash
# Builds the test kernel at every prefix of the series (incrementally, in one object
# directory), then leaves build/linux at the whole series. Fails naming the first patch
# after which the kernel does not build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cd "$SRC"
mapfile -t commits < <(git rev-list --reverse base..series)
trap 'git -C "$SRC" checkout -q -f series' EXIT
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	subject=$(git log -1 --format=%s "$c")
	git checkout -q -f "$c"
	if "$TOP/ci/build.sh" test >/dev/null; then
		printf 'bisect: %d/%d builds: %s\n' "$i" "${#commits[@]}" "$subject"
	else
		die "the kernel does not build after patch $i/${#commits[@]}: $subject"
	fi
done
printf 'bisect: %d prefix(es) of the series build\n' "${#commits[@]}"
