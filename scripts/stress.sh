#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the seeded ABI fuzzer for 10 minutes, then unbind/rebind
# under load looped, on the virt64 debug kernel (KASAN, kmemleak, lockdep,
# UBSAN, DMA-API debug). Every guest runs under a timeout (run-guest.sh).
# Verdicts go to build/stress-results.txt; the last line printed is
# "N passed, N failed" as in make check.
#
#   DMAXFER_STRESS_SECS     fuzzing time (default 600)
#   DMAXFER_STRESS_ROUNDS   unbind/rebind rounds, dmaxfer and dmasim (default 20)
#   DMAXFER_FUZZ_SEED       the fuzzer's seed (default: the date, printed)
#
# TODO: the same on a KCSAN kernel and on a PREEMPT_RT kernel. Neither is
# built yet (no config fragment, and building them was out of scope); add
# scripts/configs/virt64-kcsan.config / virt64-rt.config and loop over them
# here.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
RESULTS=${RESULTS:-$BUILD/stress-results.txt}
. "$TOP/scripts/judge.sh"
: >"$RESULTS"
t0=$(date +%s)
secs=${DMAXFER_STRESS_SECS:-600}
rounds=${DMAXFER_STRESS_ROUNDS:-20}
seed=${DMAXFER_FUZZ_SEED:-$(date +%Y%m%d%H%M)}
logs=$BUILD/virt64/logs

dtb=$(bash "$TOP/scripts/virt64-dtb.sh" virt64-dmasim) ||
	{ fail "stress/dtb" "dmasim overlay did not apply"; exit 1; }
log "stress: fuzzing for $secs s with seed $seed, then $rounds unbind rounds"

# The fuzzer: no operation budget, only the time bound; at least 300
# operations a second (about a quarter of a quiet host's rate, above a
# loaded one's) so that a crawling run fails.
DMAXFER_GUEST_TIMEOUT=$((secs + 300)) bash "$TOP/scripts/run-guest.sh" virt64 stress-fuzz \
	virt64-fuzz "$dtb" "DMAXFER_FUZZ_SEED=$seed DMAXFER_FUZZ_OPS=1000000000 DMAXFER_FUZZ_SECS=$secs \
	DMAXFER_FUZZ_MIN_OPS=$((secs * 300))"
judge_console stress-fuzz "$logs/stress-fuzz.console.log"
grep -h '^DMAXFER-INFO: fuzz' "$logs/stress-fuzz.console.log" | tr -d '\r'

# Unbind and rebind under load, dmaxfer then (with a device link) dmasim.
DMAXFER_GUEST_TIMEOUT=$((rounds * 60 + 300)) bash "$TOP/scripts/run-guest.sh" virt64 stress-unbind \
	virt64-unbind "$dtb" "DMAXFER_UNBIND_ROUNDS=$rounds"
judge_console stress-unbind "$logs/stress-unbind.console.log"

passed=$(grep -c '^PASS ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
skipped=$(grep -c '^SKIP ' "$RESULTS")
echo
grep '^FAIL ' "$RESULTS" | sed 's/^/  /'
echo "make stress took $(($(date +%s) - t0)) s (seed $seed); results: $RESULTS"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
