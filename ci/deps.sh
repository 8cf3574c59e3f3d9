#!/usr/bin/env bash
# Installs the Debian packages the bench needs, only those that are missing.
# Usage: ci/deps.sh [extra-package...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The 6.1 base comes from the machine's own apt sources; other trees are fetched by
# ci/fetch-tree.sh (ci/base-tree.sh) without installing anything.
base=()
[[ -n $BASE_SUITE ]] || base=("$BASE_PKG=$BASE_PKG_VERSION")
pkgs=(
	"${base[@]}"
	# base tree and patches; the mails (b4)
	git quilt xz-utils patchutils b4
	# kernel build
	make gcc bc flex bison libelf-dev libssl-dev ccache perl python3 cpio kmod
	# guest userspace and kselftest install
	busybox-static bash-static rsync coreutils
	# QEMU
	qemu-system-x86 qemu-utils
	# the bench's own checks; checkpatch.pl's SPDX check (scripts/spdxcheck.py)
	shellcheck python3-ply python3-git
	# ci/build-matrix.sh: cross compilers for its arm64, s390x and riscv64 legs
	gcc-aarch64-linux-gnu gcc-s390x-linux-gnu gcc-riscv64-linux-gnu
	# ci/static-checks.sh (coccinelle's OCaml-scripted rules need ocamlopt)
	sparse coccinelle ocaml-nox
	# ci/bench.sh's plot
	gnuplot-nox
	"$@"
)

missing=()
for p in "${pkgs[@]}"; do
	name=${p%%=*}
	want=${p#*=}
	have=$(dpkg-query -W -f '${db:Status-Abbrev}|${Version}' "$name" 2>/dev/null || true)
	if [[ $have != ii* ]] || { [[ $p == *=* ]] && [[ ${have#*|} != "$want" ]]; }; then
		missing+=("$p")
	fi
done
((${#missing[@]})) || exit 0

log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get could not install: ${missing[*]}"
