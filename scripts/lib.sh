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

# Debian 12's amd64 header packages that scripts/host-headers.sh and
# scripts/dkms-check.sh build against, as "LABEL:METAPACKAGE" (the labels
# name the verdicts). scripts/setup-host.sh installs the metapackages.
HOST_HEADER_PKGS=(6.1-amd64:linux-headers-amd64 6.12-amd64:linux-headers-6.12-amd64)

# host_kernel METAPACKAGE: the kernel release whose headers it pulls in
# (linux-headers-amd64 depends on linux-headers-6.1.0-57-amd64: 6.1.0-57-amd64),
# once /usr/src/linux-headers-<release> is there to build against. Else it
# prints why not and fails.
host_kernel() {
	local dep k
	dep=$(dpkg-query -W -f='${Status}|${Depends}' "$1" 2>/dev/null)
	case $dep in
	*"ok installed|"*) ;;
	*) echo "$1 is not installed (scripts/setup-host.sh installs it)"; return 1 ;;
	esac
	k=$(echo "${dep#*|}" | tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1)
	if [ -z "$k" ] || [ ! -f "/usr/src/linux-headers-$k/Makefile" ]; then
		echo "$1: no /usr/src/linux-headers-${k:-?} to build against"
		return 1
	fi
	echo "$k"
}

# module_sources DIR: a fresh copy of what the module build needs (the
# Kbuild, dkms.conf, VERSION, every top-level directory but the harness,
# the tools and the documentation, and of scripts/ only the Kbuild's
# feature probe), as git sees the working tree: no objects of an earlier
# in-tree build come along.
module_sources() {
	local dst=$1
	rm -rf "$dst"
	mkdir -p "$dst"
	(cd "$TOP" && git ls-files -co --exclude-standard -z |
		grep -zvP '^(\.ci|Documentation|dts|tests|tools)/|^scripts/(?!kconftest\.sh$)' |
		grep -zvE '^[^/]*\.(md|txt)$' |
		rsync -a --from0 --files-from=- ./ "$dst/")
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
