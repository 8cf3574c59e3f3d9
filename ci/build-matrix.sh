#!/usr/bin/env bash
# Builds the whole series (build/linux at branch series) in the configurations and on the
# architectures the test kernel does not cover. Each leg has its own object directory,
# build/linux/obj-matrix-LEG, configured from tinyconfig plus kernel-config/matrix-LEG.config
# (which says what the leg proves). A leg fails when olddefconfig drops a requested option,
# when the build (or modpost) fails, or when a file the series touches has a warning.
# Prints one line per leg with its time; exits non-zero naming the failing legs.
# Usage: ci/build-matrix.sh [--list | LEG...]    (no LEG: every leg)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# LEG  ARCH  CROSS_COMPILE (- for the host's gcc)  make targets
legs=(
	"x86_64-nohotplug  x86_64 -                  bzImage"
	"x86_64-nohotremove x86_64 -                 bzImage"
	"x86_64-nomemmap   x86_64 -                  bzImage"
	"x86_64-kmem-m     x86_64 -                  bzImage,modules"
	"arm64             arm64  aarch64-linux-gnu- Image"
	"s390x             s390   s390x-linux-gnu-   bzImage"
	"riscv64           riscv  riscv64-linux-gnu- Image"
)

if [[ ${1-} == --list ]]; then
	printf '%s\n' "${legs[@]%% *}"
	exit 0
fi

# The series' C sources and headers: a warning in one of them fails the leg.
mapfile -t touched < <(git -C "$SRC" diff --name-only base..series -- '*.c' '*.h')
((${#touched[@]})) || die "no series in $SRC (run ci/base-tree.sh and ci/apply.sh)"
touched_re="(^|/)($(printf '%s|' "${touched[@]}" | sed 's/|$//; s/\./\\./g')):[0-9]+(:[0-9]+)?: warning:"

# bisect-build.sh checks out each prefix in the same tree: refuse to build anything else.
at_series() {
	[[ $(git -C "$SRC" rev-parse HEAD) == "$(git -C "$SRC" rev-parse series)" ]] ||
		die "$SRC is not at branch series (is ci/bisect-build.sh running?)"
}

# build_leg NAME ARCH CROSS TARGETS: configures and builds one leg, checks its log.
build_leg() {
	local name=$1 arch=$2 cross=${3#-} targets=${4//,/ } obj=$SRC/obj-matrix-$1 log n
	local frag=$TOP/kernel-config/matrix-$name.config
	command -v "${cross}gcc" >/dev/null || { echo "no ${cross}gcc (run ci/deps.sh)"; return 1; }
	ARCH=$arch CROSS_COMPILE=$cross "$TOP/ci/configure.sh" "$SRC" "$obj" "$frag" || return 1
	log=$obj/build.log
	# shellcheck disable=SC2086 # targets is a list of words
	if ! make -s -C "$SRC" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" \
		-j"$(nproc)" $targets >"$log" 2>&1; then
		grep -E 'error|ERROR' "$log" | head -n 20 || true
		echo "build failed (full log: $log)"
		return 1
	fi
	n=$(grep -cE "$touched_re" "$log" || true)
	if ((n)); then
		grep -E "$touched_re" "$log"
		echo "$n warning(s) in files the series touches (full log: $log)"
		return 1
	fi
	echo "$(grep -ciE 'warning:' "$log" || true) warning(s) elsewhere"
}

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
(($#)) || set -- "${legs[@]%% *}"
failed=()
for want in "$@"; do
	spec=
	for l in "${legs[@]}"; do [[ ${l%% *} == "$want" ]] && spec=$l; done
	[[ -n $spec ]] || die "unknown leg '$want' (see --list)"
	at_series
	t0=$SECONDS
	# shellcheck disable=SC2086 # spec is a list of words
	if out=$(build_leg $spec 2>&1); then
		at_series
		printf 'matrix: %-20s PASS %5ds  %s\n' "$want" $((SECONDS - t0)) "${out##*$'\n'}"
	else
		printf '%s\n' "$out" >&2
		printf 'matrix: %-20s FAIL %5ds  %s\n' "$want" $((SECONDS - t0)) "${out##*$'\n'}"
		failed+=("$want")
	fi
done
((${#failed[@]} == 0)) || die "leg(s) failed: ${failed[*]}"
