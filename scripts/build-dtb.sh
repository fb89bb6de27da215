#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-dtb.sh BOARD NAME [OVERLAY.dtso ...]: apply the overlays (default:
# dts/NAME.dtso) in order to BOARD's DTB (built with symbols, -@) and print
# the path of the result, build/BOARD/dtb/NAME.dtb.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

board=${1:?usage: build-dtb.sh BOARD NAME [OVERLAY.dtso ...]}
name=${2:?}
shift 2
[ $# -gt 0 ] || set -- "$TOP/dts/$name.dtso"
board_load "$board"
kdir=$(bash "$TOP/scripts/build-kernel.sh" "$board")
base=$kdir/arch/$KARCH/boot/dts/$KDTB
out=$BUILD/$board/dtb
mkdir -p "$out"
dtbos=()
for src in "$@"; do
	o=$out/$(basename "$src" .dtso).dtbo
	dtc -q -@ -I dts -O dtb -o "$o" "$src"
	dtbos+=("$o")
done
fdtoverlay -i "$base" -o "$out/$name.dtb" "${dtbos[@]}"
echo "$out/$name.dtb"
