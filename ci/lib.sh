# shellcheck shell=bash disable=SC2034 # its variables are used by the scripts that source it
# Common helpers for the ci/ scripts. Source it; it sets no options of its own.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}

# The target tree: TREE=NAME picks ci/trees/NAME.conf (default 6.1), the one file that says
# which base package and version, which series, and where its build lives (TREE_BUILD). Every
# stage honours it, e.g. `TREE=mainline ci/build.sh test`.
TREE=${TREE:-6.1}
[[ -f $TOP/ci/trees/$TREE.conf ]] || {
	printf '%s: error: unknown tree "%s" (known: %s)\n' "$(basename "$0")" "$TREE" \
		"$(find "$TOP/ci/trees" -name '*.conf' -printf '%f\n' | sed 's/\.conf$//' | sort | xargs)" >&2
	exit 1
}
# SRC, SERIES and PATCHES set in the environment win over the tree's (the bench's own checks
# use them).
_env_series=${SERIES:-} _env_patches=${PATCHES:-}
# shellcheck source=ci/trees/6.1.conf
. "$TOP/ci/trees/$TREE.conf"
SERIES=${_env_series:-$SERIES} PATCHES=${_env_patches:-$PATCHES}
SRC=${SRC:-$TREE_BUILD/linux}
# The unpatched base of the tree, checked out beside it (ci/base-worktree.sh).
BASE_WT=$TREE_BUILD/linux-base
# Where ci/fetch-tree.sh keeps downloaded packages and its private apt state.
APT_DIR=$BUILD/apt

# private_apt SUITE: sets APT_OPTS to apt options that read only Debian's SUITE, from lists
# kept in build/apt/SUITE/ (the machine's own apt sources and state stay as they are), and
# refreshes those lists when they are over an hour old. An empty SUITE: the machine's apt.
private_apt() {
	APT_OPTS=()
	[[ -n $1 ]] || return 0
	local dir=$APT_DIR/$1
	mkdir -p "$dir/lists/partial"
	printf 'deb http://deb.debian.org/debian %s main\n' "$1" >"$dir/sources.list"
	APT_OPTS=(-o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=-
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache")
	[[ -z $(find "$dir/lists" -maxdepth 1 -name '*Packages*' -mmin -60 -print -quit) ]] || return 0
	apt-get "${APT_OPTS[@]}" -qq update >"$dir/update.log" 2>&1 ||
		die "apt-get update of Debian $1 failed (log: $dir/update.log)"
}

# Kernel command line arguments for every guest of a KASAN kernel. TCG's `-cpu max` has LA57,
# so guests use 5-level page tables; identify_cpu() clears the boot CPU's feature bits for a
# moment, and an interrupt in that window makes KASAN in 6.1 (with or without the series) see
# a direct-map address as a wild access (rcu_is_watching() at boot; seen once, in bad-input).
# 4-level page tables, as on most x86_64 machines, have no such window.
KASAN_CMDLINE=no5lvl

# The kernel command line of every bench guest: device_dax never binds (initcall_blacklist on
# 6.1; 6.12 never loads it), as it would take a memmap for the whole device from boot memory
# before kmem is involved; hot-added blocks stay offline until the guest test onlines them.
BENCH_CMDLINE="nokaslr memhp_default_state=offline initcall_blacklist=dax_init"

# small_guest_preset GIB: the QEMU machine preset of the bench's small guest, 256 MiB of boot
# memory on node 0 and GIB GiB on node 1 (lazily allocated), one argument group per line.
small_guest_preset() {
	printf '%s\n' "-machine pc,max-ram-below-4g=256M -smp 1 -m $((256 + $1 * 1024))M" \
		"-object memory-backend-ram,id=m0,size=256M" "-numa node,nodeid=0,memdev=m0" \
		"-object memory-backend-ram,id=m1,size=${1}G,reserve=off" "-numa node,nodeid=1,memdev=m1"
}

# small_guest_cmdline GIB MOM: its kernel command line, node 1 as one soft-reserved dax_hmem
# region, memory_hotplug.memmap_on_memory=MOM (0 or 1).
small_guest_cmdline() {
	printf '%s\n' "$BENCH_CMDLINE memory_hotplug.memmap_on_memory=$2 memmap=${1}G%0x100000000-1+0xefffffff"
}

# The identity every commit made by the bench carries.
GIT_ID=(-c user.name=memmap-bench -c user.email=memmap-bench@localhost)

die() {
	printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2
	exit 1
}

log() {
	printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

# The list of patch files in quilt order, comments and blank lines skipped.
series_patches() {
	local p
	while read -r p _; do
		[[ -z $p || $p == \#* ]] && continue
		printf '%s\n' "$p"
	done <"$SERIES"
}

# tree_scenarios: the names of the scenarios in selftests/ that run on $TREE, sorted.
tree_scenarios() {
	local f
	for f in "$TOP"/selftests/*.scn; do
		if awk -v t="$TREE" '$1 == "trees" { for (i = 2; i <= NF; i++) if ($i == t) f = 1; s = 1 }
			END { exit !(f || (!s && t == "6.1")) }' "$f"; then
			basename "$f" .scn
		fi
	done | sort
}

# run_each OPTION... -- NAME...: `ci/run-scenario.sh OPTION... NAME` for every NAME, then
# prints `N passed, N failed`; fails when one scenario did.
run_each() {
	local opts=() name passed=0 failed=0
	while (($#)) && [[ $1 != -- ]]; do
		opts+=("$1")
		shift
	done
	shift
	for name; do
		if "$TOP/ci/run-scenario.sh" "${opts[@]}" "$name"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done
	printf '%d passed, %d failed\n' "$passed" "$failed"
	((failed == 0))
}
