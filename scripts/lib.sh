# SPDX-License-Identifier: GPL-2.0
# Shared paths and helpers for the dmaxfer scripts. Source it, do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DMAXFER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dmaxfer}
BUILD=${DMAXFER_BUILD:-$TOP/build}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$CACHE" "$BUILD"

die() { echo "error: $*" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" >&2; }

# Kernel sources: Debian's linux-source-SERIES, unpacked once per package
# version. KSERIES_ALL lists the LTS series the QEMU boards are built
# from; the first is the default (plain board names, lint, docs).
KSERIES_ALL=(6.12 6.1)
KSERIES=${KSERIES_ALL[0]}
ksrc_version() { dpkg-query -W -f='${Version}' "linux-source-${1:-$KSERIES}"; }
# ksrc_dir [SERIES]: the unpacked tree (default: $KSERIES).
ksrc_dir() {
	local s=${1:-$KSERIES} v dir
	v=$(ksrc_version "$s") || die "linux-source-$s is not installed"
	dir=$CACHE/src/linux-$v
	if [ ! -f "$dir/.dmaxfer-unpacked" ]; then
		# One unpacker at a time (make check's lanes); the others wait.
		mkdir -p "$CACHE/src"
		(
			flock 9
			if [ ! -f "$dir/.dmaxfer-unpacked" ]; then
				log "unpacking linux-source-$s $v"
				rm -rf "$dir" "$dir.tmp"
				mkdir -p "$dir.tmp"
				tar -C "$dir.tmp" -xf "/usr/src/linux-source-$s.tar.xz" \
					--strip-components=1
				mv "$dir.tmp" "$dir"
				touch "$dir/.dmaxfer-unpacked"
			fi
		) 9>"$CACHE/src/.lock" >&2
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

# board_load BOARD: BOARD is a board of scripts/boards/ on the default
# kernel series (zynq) or on another one of KSERIES_ALL (zynq-6.1). Sets
# KBOARD (the board itself), KSERIES, KARCH, KCROSS, KIMAGE, KDTB.
board_load() {
	local b=$1 s=${KSERIES_ALL[0]} k ok=
	case $b in
	*-[0-9]*.[0-9]*) s=${b##*-}; b=${b%-*} ;;
	esac
	for k in "${KSERIES_ALL[@]}"; do [ "$k" = "$s" ] && ok=1; done
	[ -n "$ok" ] || die "unknown kernel series '$s' in '$1' (known: ${KSERIES_ALL[*]})"
	local f=$TOP/scripts/boards/$b.env
	[ -f "$f" ] || die "unknown board '$1'"
	KBOARD=$b
	KSERIES=$s
	# shellcheck source=/dev/null
	. "$f"
	# Linux 6.5 moved the 32-bit ARM device trees into vendor directories
	# (arm/boot/dts/xilinx/zynq-zc702.dts was arm/boot/dts/zynq-zc702.dts).
	# arm64's have always been there (broadcom/bcm2837-rpi-3-b.dtb).
	case $KSERIES/$KARCH in
	6.1/arm) KDTB=${KDTB##*/} ;;
	esac
}

# board_frags: the config fragments of the loaded board, in merge order:
# common, the board's, then the series' own (configs/BOARD-SERIES.config),
# if there is one.
board_frags() {
	echo "$TOP/scripts/configs/common.config"
	echo "$TOP/scripts/configs/$KBOARD.config"
	[ -f "$TOP/scripts/configs/$KBOARD-$KSERIES.config" ] &&
		echo "$TOP/scripts/configs/$KBOARD-$KSERIES.config"
	return 0
}

# The kernel build directory of a board: keyed by everything that goes in.
kbuild_key() {
	board_load "$1"
	{
		ksrc_version
		board_frags | xargs cat
		cat "$TOP/scripts/boards/$KBOARD.env"
		"${KCROSS}gcc" --version | head -n1
		echo "dtc-symbols-v1"
	} | sha256sum | cut -c1-12
}
kbuild_dir() { echo "$CACHE/kernel/$1-$(kbuild_key "$1")"; }
