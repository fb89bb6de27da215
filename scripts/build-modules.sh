#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-modules.sh BOARD [make args]: build the out-of-tree modules against
# BOARD's kernel. The sources are copied to build/BOARD/mod first, because
# Linux 6.12 writes objects next to the sources and two boards (arm, arm64)
# must not share them. Prints the directory holding the .ko files.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

board=${1:?usage: build-modules.sh BOARD}
shift
board_load "$board"
kdir=$(bash "$TOP/scripts/build-kernel.sh" "$board")
mod=$BUILD/$board/mod
mkdir -p "$mod"
mkdir -p "$mod/src"
cp "$TOP/Kbuild" "$TOP/VERSION" "$mod/src/"
# The kernel feature probe the top-level Kbuild runs.
mkdir -p "$mod/src/scripts"
cp "$TOP/scripts/kconftest.sh" "$mod/src/scripts/"
# include/generated/ is the Kbuild's probe output (kconftest.sh): kept, so
# that the probe's header stays as it was and an unchanged tree rebuilds
# nothing (deleted, it came back new and every object was rebuilt, 25 s
# a boot on a 2-core host).
for d in drivers kunit include; do
	[ -d "$TOP/$d" ] && rsync -a --delete \
		--exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.gcno' --exclude='*.gcda' --exclude='/generated/' \
		"$TOP/$d/" "$mod/src/$d/"
done
# DMAXFER_GCOV=1 in the environment: profile the driver (make coverage).
[ -n "${DMAXFER_GCOV:-}" ] && set -- DMAXFER_GCOV=1 "$@"
# The harness builds the test knobs in (debugfs hold_issue).
# What the Kbuild left out for this kernel, and why ("dmaxfer: ..." lines),
# goes to left-out.txt too: judge_kunit skips the cases of a suite that
# was not built, with that reason.
# W=1 always: it changes only the warnings, not the objects, and kbuild
# rebuilds an object whose flags changed, so a build without it would
# redo everything lint.sh's W=1 C=2 build just did (20 s a board).
rc=0
make -s -C "$kdir" M="$mod/src" ARCH="$KARCH" CROSS_COMPILE="$KCROSS" DMAXFER_TEST_HOOKS=y \
	W=1 -j"$JOBS" "$@" modules >"$mod/build.log" 2>&1 || rc=$?
cat "$mod/build.log" >&2
grep '^dmaxfer: ' "$mod/build.log" | sort -u >"$mod/left-out.txt" || true
[ "$rc" -eq 0 ] || die "$board: module build failed"
mkdir -p "$mod/ko"
find "$mod/src" -name '*.ko' -exec cp {} "$mod/ko/" \;
echo "$mod/ko"
