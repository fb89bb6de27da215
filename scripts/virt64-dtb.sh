#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# virt64-dtb.sh [OVERLAY]: dump the DTB QEMU generates for arm64 virt (with
# the machine options of run-guest.sh, since the DTB depends on them) into
# build/virt64/dtb/virt64.dtb, apply dts/OVERLAY.dtso (or a .dtso path)
# when given, and print the resulting DTB's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ovl=${1:-}
out=$BUILD/virt64/dtb
mkdir -p "$out"
base=$out/virt64.dtb
# Keep in step with the virt64 case of run-guest.sh.
# Temporary files of this process, renamed into place: make check runs
# virt64 boots in two lanes at once, and both call this script.
qemu-system-aarch64 -M virt,dumpdtb="$base.$$.tmp" -cpu cortex-a57 -smp 2 -m 2048 \
	-nographic -nic none >/dev/null 2>&1 </dev/null ||
	die "qemu-system-aarch64 could not dump the virt DTB"
mv "$base.$$.tmp" "$base"
if [ -z "$ovl" ]; then
	echo "$base"
	exit 0
fi

case $ovl in
*.dtso) src=$ovl; name=$(basename "$ovl" .dtso) ;;
*) src=$TOP/dts/$ovl.dtso; name=$ovl ;;
esac
[ -f "$src" ] || die "no overlay $src"
dtc -q -@ -I dts -O dtb -o "$out/$name.$$.dtbo" "$src" ||
	die "dtc failed on $src"
fdtoverlay -i "$base" -o "$out/$name.$$.dtb" "$out/$name.$$.dtbo" ||
	die "fdtoverlay could not apply $src"
mv "$out/$name.$$.dtbo" "$out/$name.dtbo"
mv "$out/$name.$$.dtb" "$out/$name.dtb"
echo "$out/$name.dtb"
