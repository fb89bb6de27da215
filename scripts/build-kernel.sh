#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh BOARD: build (or reuse) the minimal kernel for BOARD (or
# BOARD-SERIES, e.g. zynq-6.1, from linux-source-6.1) and print its build
# directory. allnoconfig + configs/common.config + configs/BOARD.config
# (+ configs/BOARD-SERIES.config); every fragment symbol is checked after the merge,
# because Kconfig drops symbols with unmet dependencies without a word.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

board=${1:?usage: build-kernel.sh BOARD}
board_load "$board"
src=$(ksrc_dir)
out=$(kbuild_dir "$board")
# One build of a kernel at a time (make check's lanes, lint and make
# mutation may all ask for it at once): the others wait, then reuse it.
mkdir -p "$(dirname "$out")"
exec {lockfd}>"$out.lock"
flock "$lockfd"
if [ -f "$out/.dmaxfer-done" ]; then
	echo "$out"
	exit 0
fi

log "building $board kernel in $out (cold build: several minutes)"
rm -rf "$out"
mkdir -p "$out"
mapfile -t frags < <(board_frags)
kmake() {
	make -s -C "$src" O="$out" ARCH="$KARCH" CROSS_COMPILE="$KCROSS" \
		-j"$JOBS" "$@"
}
kmake allnoconfig >/dev/null
# merge_config.sh writes temporary files into the current directory.
(cd "$out" && ARCH=$KARCH CROSS_COMPILE=$KCROSS \
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
	"${frags[@]}" >/dev/null)
kmake olddefconfig >/dev/null

# A later fragment overrides an earlier one: check the last word on each symbol.
declare -A want=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) want[${line%%=*}]=$line ;;
	"# CONFIG_"*" is not set") sym=${line#\# }; want[${sym%% *}]=$line ;;
	esac
done < <(cat "${frags[@]}")
bad=0
for sym in "${!want[@]}"; do
	line=${want[$sym]}
	case "$line" in
	CONFIG_*)
		grep -qxF "$line" "$out/.config" || {
			echo "config: '$line' did not survive the merge" >&2
			bad=1
		} ;;
	*)
		if grep -q "^$sym=" "$out/.config"; then
			echo "config: '$sym' should be unset" >&2
			bad=1
		fi ;;
	esac
done
[ "$bad" -eq 0 ] || die "$board: config fragment not honoured (see $out/.config)"

targets=("$KIMAGE" modules)
[ -n "$KDTB" ] && targets+=("$KDTB")
kmake DTC_FLAGS=-@ "${targets[@]}" >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	die "$board kernel build failed (log: $out/build.log)"
}
touch "$out/.dmaxfer-done"
# Keep only the newest build of this board.
# (zynq-<key>, not zynq-6.1-<key>: the key is 12 hex digits).
for d in "$CACHE/kernel/$board"-*; do
	[[ ${d#"$CACHE/kernel/$board"-} =~ ^[0-9a-f]{12}$ ]] || continue
	[ "$d" = "$out" ] || rm -rf "$d" "$d.lock"
done
log "$board kernel ready"
echo "$out"
