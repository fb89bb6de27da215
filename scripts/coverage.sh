#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make coverage: line coverage of drivers/dmaxfer/ from KUnit and the arm64
# end-to-end tests together. The modules are built with GCOV_PROFILE in a
# build tree of their own (build/coverage), run in one virt64 boot with
# forced bouncing, and the .gcda files the guest prints are fed to the
# cross gcov next to their .gcno files.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
export DMAXFER_BUILD=$TOP/build/coverage DMAXFER_GCOV=1
BUILD=$DMAXFER_BUILD
mkdir -p "$BUILD"

bash "$TOP/scripts/build-modules.sh" virt64 >/dev/null ||
	die "module build failed"
dtb=$(bash "$TOP/scripts/virt64-dtb.sh" virt64-dmasim) || die "overlay failed"
tests=kunit,virt64-dmasim
[ -f "$TOP/scripts/guest/virt64-uapi.sh" ] && tests+=,virt64-uapi
[ -z "${COVERAGE_REUSE:-}" ] &&
	bash "$TOP/scripts/run-guest.sh" virt64 coverage "$tests,gcov-dump" "$dtb" \
		"swiotlb=16384,force"
logf=$BUILD/virt64/logs/coverage.console.log
obj=$BUILD/virt64/mod/src/drivers/dmaxfer
rm -f "$obj"/*.gcda
tr -d '\r' <"$logf" | awk -v dir="$obj" '/^DMAXFER-GCDA-BEGIN/{f=dir "/" $2 ".b64"; next}
	/^DMAXFER-GCDA-END/{f=""} f{print > f}'
for b in "$obj"/*.gcda.b64; do
	[ -f "$b" ] || die "no gcov data in $logf"
	base64 -d "$b" >"${b%.b64}" && rm -f "$b"
done
cd "$obj" || exit 1
# The sources that have data: not dmaxfer.mod.c, whose missing .gcno would
# make gcov fail.
mapfile -t srcs < <(for g in ./*.gcda; do echo "${g%.gcda}.c"; done)
aarch64-linux-gnu-gcov -n -o . "${srcs[@]}" 2>/dev/null | awk '
	/^File .*\.c'"'"'$/ { f = $2; gsub(/'"'"'/, "", f); n = split(f, p, "/"); f = p[n] }
	/^Lines executed:/ && f != "" {
		split($2, a, ":"); pct = a[2] + 0; sub(/%.*/, "", pct)
		lines = $4; hit = pct * lines / 100
		printf "  %-10s %6.2f%% of %4d lines\n", f, pct, lines
		H += hit; L += lines; f = ""
	}
	END { printf "drivers/dmaxfer: %.1f%% of %d lines\n", 100 * H / L, L }'
uncovered=$(aarch64-linux-gnu-gcov -n -f -o . "${srcs[@]}" 2>/dev/null | awk '
	/^Function / { fn = $2 } /^Lines executed:0.00%/ && fn ~ /(dmaxfer|bench|timeout_ms)/ { print "  " fn } /^File/ { fn = "" }' |
	tr -d "'" | sort -u) || die "gcov failed in $obj"
echo "uncovered functions:"
echo "${uncovered:-  (none)}"
