#!/usr/bin/env bash
# Static checks of the C files the series touches, patched tree against the unpatched base:
#   sparse      `make C=1`: no warning the base does not have
#   w1          `make W=1` (gcc's extra warnings): no warning the base does not have
#   coccicheck  `make C=1 CHECK=scripts/coccicheck MODE=report`: no report the base does not
#               have; fails saying why when Debian's spatch cannot run the kernel's scripts
# Both trees are configured alike (tinyconfig + kernel-config/{base,hotplug,dax}.config, which
# build every touched file) in their own obj-static. Line numbers are dropped before comparing;
# new warnings are printed with file:line. Prints one line per check; exits non-zero naming
# the failing checks. Usage: ci/static-checks.sh [--list | CHECK...]   (no CHECK: all)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

checks=(sparse w1 coccicheck)
if [[ ${1-} == --list ]]; then
	printf '%s\n' "${checks[@]}"
	exit 0
fi
(($#)) || set -- "${checks[@]}"
for c in "$@"; do [[ " ${checks[*]} " == *" $c "* ]] || die "unknown check '$c' (see --list)"; done

[[ $(git -C "$SRC" rev-parse HEAD) == "$(git -C "$SRC" rev-parse series)" ]] ||
	die "$SRC is not at branch series (is ci/bisect-build.sh running?)"
mapfile -t files < <(git -C "$SRC" diff --name-only base..series -- '*.c' ':!tools')
((${#files[@]})) || die "the series touches no C file of the kernel"
base=$("$TOP/ci/base-worktree.sh")
frag=$TOP/kernel-config
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
for tree in "$base" "$SRC"; do
	"$TOP/ci/configure.sh" "$tree" "$tree/obj-static" \
		"$frag/base.config" "$frag/hotplug.config" "$frag/dax.config"
done

# run_check CHECK TREE: the check's diagnostics for every touched file of TREE, one a line.
run_check() {
	local check=$1 tree=$2 f obj=$2/obj-static args=()
	case $check in
	sparse) args=(C=1) ;;
	w1) args=(W=1) ;;
	coccicheck) args=(C=1 CHECK="$tree/scripts/coccicheck" MODE=report) ;;
	esac
	for f in "${files[@]}"; do
		[[ -f $tree/$f ]] || continue
		rm -f "$obj/${f%.c}.o"
		make -s -C "$tree" O="$obj" CC="ccache gcc" -j"$(nproc)" "${args[@]}" "${f%.c}.o" \
			>"$obj/$check.out" 2>&1 || {
			cat "$obj/$check.out" >&2
			echo "$check could not run on $f in $tree (output above)" >&2
			return 1
		}
		case $check in
		sparse) grep -E ': (warning|error):' "$obj/$check.out" | grep -vE '\[-W[^]]*\]$' || true ;;
		w1) grep -E ': (warning|error):' "$obj/$check.out" || true ;;
		coccicheck) grep -E '^[^ ]+:[0-9]+:[0-9-]+: ' "$obj/$check.out" || true ;;
		esac
	done
}

# new_only BASE PATCHED: the lines of PATCHED that BASE does not have, line numbers ignored.
new_only() {
	awk 'function key(s) {
		gsub(/:[0-9]+(:[0-9]+(-[0-9]+)?)?:/, ":", s); gsub(/line [0-9]+/, "line N", s); return s }
	FILENAME == ARGV[1] { seen[key($0)]++; next }
	{ k = key($0); if (seen[k] > 0) seen[k]--; else print }' "$1" "$2"
}

failed=()
for check in "$@"; do
	t0=$SECONDS
	out=$BUILD/static-checks
	mkdir -p "$out"
	# Both trees at once: spatch and sparse use one core each.
	run_check "$check" "$base" >"$out/$check.base" &
	pid=$!
	ok=1
	run_check "$check" "$SRC" >"$out/$check.patched" || ok=0
	wait "$pid" || ok=0
	if ((!ok)); then
		printf 'static: %-10s FAIL %4ds  cannot run (see above)\n' "$check" $((SECONDS - t0))
		failed+=("$check")
		continue
	fi
	new_only "$out/$check.base" "$out/$check.patched" >"$out/$check.new"
	n=$(wc -l <"$out/$check.new")
	summary="base $(wc -l <"$out/$check.base"), patched $(wc -l <"$out/$check.patched"), new $n"
	if ((n)); then
		sed 's/^/new: /' "$out/$check.new"
		printf 'static: %-10s FAIL %4ds  %s\n' "$check" $((SECONDS - t0)) "$summary"
		failed+=("$check")
	else
		printf 'static: %-10s PASS %4ds  %s\n' "$check" $((SECONDS - t0)) "$summary"
	fi
done
((${#failed[@]} == 0)) || die "check(s) failed: ${failed[*]}"
