#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the kselftest's race loops (tools/testing/dmaxfer/races.c)
# with many iterations, on virt64 over dmasim, with and without swiotlb
# bouncing. DMAXFER_ITERS sets the iterations (default 200). Verdicts in
# build/stress-results.txt; the last line printed is "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"
RESULTS=${RESULTS:-$BUILD/stress-results.txt}
export RESULTS
: >"$RESULTS"
t0=$(date +%s)
iters=${DMAXFER_ITERS:-200}
# About 6 s per iteration on the KASAN kernel, two boots.
export DMAXFER_GUEST_TIMEOUT=${DMAXFER_GUEST_TIMEOUT:-$((600 + 8 * iters))}

bash "$TOP/scripts/setup-host.sh" || die "host set-up failed"
logs=$BUILD/virt64/logs
dtb=$(bash "$TOP/scripts/virt64-dtb.sh" virt64-dmasim) || die "dmasim overlay did not apply"
bash "$TOP/scripts/run-guest.sh" virt64 stress-bounce virt64-races "$dtb" \
	"swiotlb=16384,force DMAXFER_ITERS=$iters"
judge_console virt64-stress-bounce "$logs/stress-bounce.console.log"
bash "$TOP/scripts/run-guest.sh" virt64 stress virt64-races "$dtb" "DMAXFER_ITERS=$iters"
judge_console virt64-stress "$logs/stress.console.log"
grep -h '^DMAXFER-INFO: race' "$logs/stress-bounce.console.log" "$logs/stress.console.log"

passed=$(grep -c '^PASS ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
echo
grep '^FAIL ' "$RESULTS" | sed 's/^/  /'
echo "make stress ($iters iterations) took $(( $(date +%s) - t0 )) s; results: $RESULTS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
