# SPDX-License-Identifier: GPL-2.0
# Shared paths and helpers for the dmaxfer scripts. Source it, do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DMAXFER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dmaxfer}
BUILD=${DMAXFER_BUILD:-$TOP/build}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$CACHE" "$BUILD"

die() { echo "error: $*" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" >&2; }

# Kernel source: Debian's linux-source-6.12, unpacked once per package version.
ksrc_version() { dpkg-query -W -f='${Version}' linux-source-6.12; }
ksrc_dir() {
	local v dir
	v=$(ksrc_version) || die "linux-source-6.12 is not installed"
	dir=$CACHE/src/linux-$v
	if [ ! -f "$dir/.dmaxfer-unpacked" ]; then
		log "unpacking linux-source-6.12 $v"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -C "$dir.tmp" -xf /usr/src/linux-source-6.12.tar.xz --strip-components=1
		mv "$dir.tmp" "$dir"
		touch "$dir/.dmaxfer-unpacked"
	fi
	echo "$dir"
}

# board_load BOARD: sets KARCH, KCROSS, KIMAGE, KDTB.
board_load() {
	local f=$TOP/scripts/boards/$1.env
	[ -f "$f" ] || die "unknown board '$1'"
	# shellcheck source=/dev/null
	. "$f"
}

# The kernel build directory of a board: keyed by everything that goes in.
kbuild_key() {
	board_load "$1"
	{
		ksrc_version
		cat "$TOP/scripts/configs/common.config" "$TOP/scripts/configs/$1.config"
		cat "$TOP/scripts/boards/$1.env"
		"${KCROSS}gcc" --version | head -n1
		echo "dtc-symbols-v1"
	} | sha256sum | cut -c1-12
}
kbuild_dir() { echo "$CACHE/kernel/$1-$(kbuild_key "$1")"; }
