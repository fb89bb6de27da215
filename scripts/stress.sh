#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: what does not fit make check's budget, every guest under a
# timeout (run-guest.sh). Verdicts go to build/stress-results.txt; the last
# line printed is "N passed, N failed" as in make check.
#
# On the virt64 debug kernel (KASAN, kmemleak, lockdep, UBSAN, DMA-API debug):
#   1. the seeded ABI fuzzer for DMAXFER_STRESS_SECS (default 600 s);
#   2. unbind/rebind under load, DMAXFER_STRESS_ROUNDS rounds (default 20),
#      of dmaxfer and (through the device link) of dmasim;
#   3. the kselftest's race loops (timeout and close, spurious ECANCELED)
#      DMAXFER_ITERS times (default 200), with and without bouncing.
# On a KCSAN kernel (virt64kcsan: it cannot share a kernel with KASAN):
#   4. the fuzzer for DMAXFER_KCSAN_SECS (default 180 s) and 3 unbind
#      rounds. A KCSAN report with a dmaxfer or dmasim frame fails; others
#      are listed.
# On a PREEMPT_RT kernel (virt64rt):
#   5. KUnit (the engine suite) and the ABI suite, dmasim's hard-IRQ
#      callback mode included (through the hostile run's callback modes).
# On the other LTS series (virt64-6.1, the same debug config):
#   6. every virt64 boot of make check that make check itself runs only on
#      the default series (run-board.sh virt64-6.1 all: bounced and plain
#      ABI runs, race loops, fault-injection sweep, hostile modes, fuzzer
#      and unbind under load), and every rpi3 boot (run-board.sh rpi3-6.1
#      all: the ABI suite and the bounced boot, which make check leaves
#      out there).
#
#   DMAXFER_FUZZ_SEED       the fuzzer's seed (default: the date, printed)
#   DMAXFER_STRESS_ONLY     run only these parts, e.g. "kcsan rt"
#                           (parts: fuzz unbind races kcsan rt lts)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
export RESULTS=${RESULTS:-$BUILD/stress-results.txt}
. "$TOP/scripts/judge.sh"
: >"$RESULTS"
t0=$(date +%s)
secs=${DMAXFER_STRESS_SECS:-600}
rounds=${DMAXFER_STRESS_ROUNDS:-20}
iters=${DMAXFER_ITERS:-200}
ksecs=${DMAXFER_KCSAN_SECS:-180}
seed=${DMAXFER_FUZZ_SEED:-$(date +%Y%m%d%H%M)}
only=${DMAXFER_STRESS_ONLY:-fuzz unbind races kcsan rt lts}
want() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }

bash "$TOP/scripts/setup-host.sh" || die "host set-up failed"
dtb=$(bash "$TOP/scripts/virt64-dtb.sh" virt64-dmasim) ||
	{ fail "stress/dtb" "dmasim overlay did not apply"; exit 1; }
log "stress: seed $seed; parts: $only"

# judge_kcsan PREFIX LOG: a verdict per KCSAN report (FAIL when one of its
# frames is in dmaxfer or dmasim, else listed), then the usual judgement of
# the console with the reports taken out.
judge_kcsan() {
	local prefix=$1 log=$2 rest=$2.rest ours others
	awk -v ours="$log.ours" -v others="$log.others" '
	/BUG: KCSAN: / { inrep = 1; rep = $0 "\n"; next }
	inrep && /^(\[ *[0-9.]+\] )?=+$/ {
		print rep > ((rep ~ /\[(dmaxfer|dmasim)\]/) ? ours : others)
		inrep = 0; next
	}
	inrep { rep = rep $0 "\n"; next }
	{ print }' "$log" >"$rest"
	: >>"$log.ours"
	: >>"$log.others"
	ours=$(grep -c 'BUG: KCSAN' "$log.ours")
	others=$(grep -c 'BUG: KCSAN' "$log.others")
	if [ "$ours" -eq 0 ]; then
		pass "$prefix/kcsan-no-report-in-dmaxfer-or-dmasim"
	else
		grep 'BUG: KCSAN' "$log.ours" | sort | uniq -c
		fail "$prefix/kcsan-no-report-in-dmaxfer-or-dmasim" "$ours reports, see $log.ours"
	fi
	echo "KCSAN reports elsewhere in the kernel: $others (listed in $log.others)"
	grep 'BUG: KCSAN' "$log.others" | sed 's/^\[ *[0-9.]*\] //' | sort | uniq -c
	judge_console "$prefix" "$rest"
}

if want fuzz; then
	# No operation budget, only the time bound; at least 300 operations
	# a second (a quarter of a quiet host's rate) so that a crawl fails.
	DMAXFER_GUEST_TIMEOUT=$((secs + 300)) bash "$TOP/scripts/run-guest.sh" virt64 stress-fuzz \
		virt64-fuzz "$dtb" "DMAXFER_FUZZ_SEED=$seed DMAXFER_FUZZ_OPS=1000000000 \
		DMAXFER_FUZZ_SECS=$secs DMAXFER_FUZZ_MIN_OPS=$((secs * 300))"
	judge_console stress-fuzz "$BUILD/virt64/logs/stress-fuzz.console.log"
	grep -h '^DMAXFER-FUZZ: seed' "$BUILD/virt64/logs/stress-fuzz.console.log" | tr -d '\r'
fi

if want unbind; then
	DMAXFER_GUEST_TIMEOUT=$((rounds * 60 + 300)) bash "$TOP/scripts/run-guest.sh" virt64 \
		stress-unbind virt64-unbind "$dtb" "DMAXFER_UNBIND_ROUNDS=$rounds"
	judge_console stress-unbind "$BUILD/virt64/logs/stress-unbind.console.log"
fi

if want races; then
	# About 7 s per iteration of the six loops with a 1 s timeout on the
	# KASAN kernel, about 2.5 s with DMAXFER_RACE_TIMEOUT_MS (default 300).
	rtmo=${DMAXFER_RACE_TIMEOUT_MS:-300}
	for b in bounce plain; do
		app="DMAXFER_ITERS=$iters DMAXFER_RACE_TIMEOUT_MS=$rtmo"
		[ $b = bounce ] && app="swiotlb=16384,force $app"
		DMAXFER_GUEST_TIMEOUT=$((600 + 8 * iters)) bash "$TOP/scripts/run-guest.sh" virt64 \
			"stress-races-$b" virt64-races "$dtb" "$app"
		judge_console "stress-races-$b" "$BUILD/virt64/logs/stress-races-$b.console.log"
		grep -h '^DMAXFER-INFO: race' "$BUILD/virt64/logs/stress-races-$b.console.log" | tr -d '\r'
	done
fi

if want lts; then
	for s in "${KSERIES_ALL[@]:1}"; do
		DMAXFER_FUZZ_SEED=$seed bash "$TOP/scripts/run-board.sh" "virt64-$s" all
		bash "$TOP/scripts/run-board.sh" "rpi3-$s" all
	done
fi

if want kcsan; then
	DMAXFER_GUEST_TIMEOUT=$((ksecs + 900)) bash "$TOP/scripts/run-guest.sh" virt64kcsan kcsan \
		virt64-fuzz,virt64-unbind "$dtb" "DMAXFER_FUZZ_SEED=$seed DMAXFER_FUZZ_OPS=1000000000 \
		DMAXFER_FUZZ_SECS=$ksecs DMAXFER_FUZZ_MIN_OPS=$((ksecs * 100)) DMAXFER_UNBIND_ROUNDS=3"
	judge_kcsan stress-kcsan "$BUILD/virt64kcsan/logs/kcsan.console.log"
fi

if want rt; then
	bash "$TOP/scripts/run-guest.sh" virt64rt kunit kunit "$dtb" "swiotlb=16384,force"
	judge_console stress-rt "$BUILD/virt64rt/logs/kunit.console.log"
	judge_kunit stress-rt "$BUILD/virt64rt/logs/kunit.console.log"
	bash "$TOP/scripts/run-guest.sh" virt64rt uapi virt64-uapi,virt64-hostile "$dtb"
	judge_console stress-rt-uapi "$BUILD/virt64rt/logs/uapi.console.log"
fi

results_summary "make stress took $(($(date +%s) - t0)) s (seed $seed)"
