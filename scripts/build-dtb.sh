#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-dtb.sh BOARD OVERLAY: apply dts/OVERLAY.dtso to BOARD's DTB (built
# with symbols, -@) and print the resulting DTB's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

board=${1:?usage: build-dtb.sh BOARD OVERLAY}
ovl=${2:?}
board_load "$board"
kdir=$(bash "$TOP/scripts/build-kernel.sh" "$board")
base=$kdir/arch/$KARCH/boot/dts/$KDTB
out=$BUILD/$board/dtb
mkdir -p "$out"
dtc -q -@ -I dts -O dtb -o "$out/$ovl.dtbo" "$TOP/dts/$ovl.dtso"
fdtoverlay -i "$base" -o "$out/$ovl.dtb" "$out/$ovl.dtbo"
echo "$out/$ovl.dtb"
