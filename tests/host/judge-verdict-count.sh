#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative controls of the judge's verdict count (judge_verdict_counts in
# scripts/judge.sh): the guest counts each verdict it prints and prints
# the count after each script (DMAXFER-RESULTS-COUNT); a console that
# shows fewer verdicts than counted, because a kernel message cut into a
# verdict line, must fail PREFIX/verdicts-complete, as must a script or
# init's health checks without a count and a verdict printed uncounted.
# Prints PASS/FAIL lines.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RESULTS=$tmp/results
. "$TOP/scripts/judge.sh"

t() { if [ "$2" = "$3" ]; then echo "PASS host/$1"; else echo "FAIL host/$1: got '$2', want '$3'"; fi; }

# verdict LOG [NAME]: what judge_console says of verdicts-complete (or of
# NAME), PASS or FAIL, - if it says nothing.
verdict() {
	local r
	: >"$RESULTS"
	judge_console t "$1" >/dev/null
	r=$(sed -n "s/^\(PASS\|FAIL\) t\/${2:-verdicts-complete}\([ :].*\)\{0,1\}$/\1/p" "$RESULTS" | head -n1)
	echo "${r:--}"
}

# script NAME COUNT BODY: one test script's section as init prints it.
script() {
	echo "DMAXFER-TEST-BEGIN $1"
	printf '%b' "$3"
	echo "DMAXFER-TEST-COMPLETE $1"
	echo "DMAXFER-TEST-END $1"
	[ "$2" = - ] || echo "DMAXFER-RESULTS-COUNT $1 $2"
}
# console HEALTH_COUNT SCRIPT...: a finished guest's console.
console() {
	local h=$1
	shift
	echo "DMAXFER-BOOTED 6.12.57 aarch64"
	"$@"
	echo "DMAXFER-RESULT: PASS dma-api-errors"
	[ "$h" = - ] || echo "DMAXFER-RESULTS-COUNT health $h"
	echo "DMAXFER-DONE"
}
log=$tmp/console.log
kmsg='[   12.345678] hrtimer: interrupt took 1234567 ns\n'

two() {
	script a 2 "DMAXFER-RESULT: PASS x\nDMAXFER-RESULT: SKIP y: no reason\n"
	script b 1 "DMAXFER-INFO: b\nDMAXFER-RESULT: FAIL z: why\n"
}
console 1 two >"$log"
t judge-verdicts-counted-pass "$(verdict "$log")" PASS
t judge-verdicts-counted-fail-still-fails "$(verdict "$log" z)" FAIL

# The FAIL of script b cut by a kernel message: its line no longer starts
# with DMAXFER-RESULT, so it is not parsed; the count catches it.
cut_fail() {
	script a 2 "DMAXFER-RESULT: PASS x\nDMAXFER-RESULT: SKIP y: no reason\n"
	script b 1 "DMAXFER-INFO: b\nDMAXFER-RES$kmsg""ULT: FAIL z: why\n"
}
console 1 cut_fail >"$log"
t judge-verdict-cut-by-kernel-message-fails "$(verdict "$log")" FAIL
# The same cut in the health checks after the scripts.
cut_health() {
	script a 2 "DMAXFER-RESULT: PASS x\nDMAXFER-RESULT: SKIP y: no reason\n"
	printf '%b' "DMAXFER-RESU$kmsg""LT: FAIL kmemleak: 1\n"
}
console 2 cut_health >"$log"
t judge-health-verdict-cut-fails "$(verdict "$log")" FAIL
# A kernel message after the verdict's prefix: still a verdict, still counted.
cut_late() { script a 1 "DMAXFER-RESULT: FAIL x-$kmsg""y: why\n"; }
console 1 cut_late >"$log"
t judge-verdict-cut-late-is-counted "$(verdict "$log")" PASS
t judge-verdict-cut-late-still-fails "$(grep -c '^FAIL t/x-' "$RESULTS")" 1
# No count: a script, or the health checks.
console 1 script a - "DMAXFER-RESULT: PASS x\n" >"$log"
t judge-script-without-count-fails "$(verdict "$log")" FAIL
console - script a 1 "DMAXFER-RESULT: PASS x\n" >"$log"
t judge-health-without-count-fails "$(verdict "$log")" FAIL
# A verdict that was printed but not counted (a printer that bypasses
# count_verdict) is a mismatch too.
console 1 script a 1 "DMAXFER-RESULT: PASS x\nDMAXFER-RESULT: PASS w\n" >"$log"
t judge-uncounted-verdict-fails "$(verdict "$log")" FAIL
# A guest that hung in script b: no count for b, no DONE (health not required).
hung() {
	script a 1 "DMAXFER-RESULT: PASS x\n"
	printf 'DMAXFER-TEST-BEGIN b\nDMAXFER-RESULT: PASS v\n'
}
hung >"$log"
t judge-hung-script-without-count-fails "$(verdict "$log")" FAIL
