#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test on every board. Each check is one PASS/FAIL line
# in build/results.txt; the last line printed is "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"
: >"$RESULTS"
t0=$(date +%s)
# The boots of this run are the console logs newer than this.
mkdir -p "$BUILD"
touch "$BUILD/check.stamp"

bash "$TOP/scripts/setup-host.sh" || die "host set-up failed"

# Host: the tool and the comparator's negative control.
mkdir -p "$BUILD/tool-host"
if make -s -C "$TOP/tools/dmaxfer" O="$BUILD/tool-host"; then
	bash "$TOP/tests/host/verify-negative.sh" "$BUILD/tool-host/dmaxfer" | tee -a "$RESULTS"
else
	fail "host/tool-build"
fi
# The judge: injected faults' messages pass, real reports among them fail.
bash "$TOP/tests/host/judge-faultinj.sh" | tee -a "$RESULTS"
# The judge's UART resynchronisation: found within its slack, exact after.
bash "$TOP/tests/host/judge-uart-resync.sh" | tee -a "$RESULTS"
# The judge's verdict count: a verdict cut by a kernel message fails.
bash "$TOP/tests/host/judge-verdict-count.sh" | tee -a "$RESULTS"

lane() { echo "$BUILD/lane$1.$2"; }
: >"$(lane 0 res)"
rm -f "$BUILD/lint.locked" "$BUILD/lint.done"
# Lane 0: the static checks of the driver, the binding and the device
# trees, and the guard that the planted bugs of make mutation still apply
# (no boot). They run beside the boots: checkpatch, kernel-doc and Sphinx
# use one core, which the boots fill. lint.sh holds each board's build
# lock until its W=1 + sparse build is done, and says when it holds them
# all; only then do the lanes start, so that no boot packs a board's
# modules before lint has built them.
log "check: lint"
(
	export RESULTS=$(lane 0 res)
	# niced: the boots come first; lint fills the time they leave.
	LINT_LOCKED=$BUILD/lint.locked nice -n 10 bash "$TOP/scripts/lint.sh"
	bash "$TOP/scripts/mutation.sh" --check-apply | tee -a "$RESULTS"
	: >"$BUILD/lint.done"
) >"$(lane 0 log)" 2>&1 &
pid0=$!
# (A cold cache unpacks the kernel sources first: minutes.)
for _ in $(seq 6000); do
	[ -e "$BUILD/lint.locked" ] || [ -e "$BUILD/lint.done" ] && break
	sleep 0.1
done
[ -e "$BUILD/lint.locked" ] || log "check: lint did not take its build locks; the boots start anyway"

# Three lanes of boots side by side. A guest idles at times (deadlines,
# sleeps, the console), so two lanes left 13 % of the two cores unused.
#   lane 1 (foreground): virt64 on the default series, but for its fuzzer;
#   lane 2: the device-tree schema check, the ARM boards (zynq and vpb,
#     32-bit, one vCPU each) on both series after lint, the host-header
#     and DKMS checks;
#   lane 3: virt64's and rpi3's core boots on the other series, all of
#     rpi3 (arm64 raspi3b, four vCPUs that idle in WFI) on the default,
#     then virt64's fuzzer boot.
# (virt64's six boots in a row took 19 of 22 min, the other lanes 10 and
# 11.)
# Each lane keeps its verdicts and its output apart; they are added in a
# fixed order once all are done. Every board runs on both LTS series
# (KSERIES_ALL): all boots on the default one, the core boots on the
# other (run-board.sh; make stress runs the rest there).
log "check: boots"
other=("${KSERIES_ALL[@]:1}")
: >"$(lane 2 res)"
: >"$(lane 3 res)"
(
	export RESULTS=$(lane 2 res)
	[ -f "$TOP/scripts/dt-check.sh" ] && bash "$TOP/scripts/dt-check.sh"
	# zynq's and vpb's one vCPU each come after lint: with lint's builds
	# and two virt64 guests beside it, a zynq guest at a load of 8 saw a
	# 256 KiB transfer to UART0 outlive its 3 s timeout without a byte
	# moved. virt64's boots take that load; the one-vCPU boards need not.
	for _ in $(seq 1800); do
		[ -e "$BUILD/lint.done" ] && break
		kill -0 "$pid0" 2>/dev/null || break
		sleep 1
	done
	[ -e "$BUILD/lint.done" ] || log "check: lane 0 did not finish; zynq and vpb start anyway"
	# zynq: PL330 -> UART0, bytes checked on the host. vpb: PL080 binding
	# and the timeout path (QEMU's PL080 moves no slave data).
	for b in zynq vpb; do
		bash "$TOP/scripts/run-board.sh" "$b"
		for s in "${other[@]}"; do
			bash "$TOP/scripts/run-board.sh" "$b-$s" core
		done
	done
	# The modules against Debian 12's own amd64 kernel headers (6.1 and
	# 6.12), W=1, and the README's DKMS install and removal on both.
	bash "$TOP/scripts/host-headers.sh"
	bash "$TOP/scripts/dkms-check.sh"
) >"$(lane 2 log)" 2>&1 &
pid2=$!
(
	export RESULTS=$(lane 3 res)
	for s in "${other[@]}"; do
		bash "$TOP/scripts/run-board.sh" "virt64-$s" core
		bash "$TOP/scripts/run-board.sh" "rpi3-$s" core
	done
	# rpi3: BCM2835 DMA -> UART0, a byte per 32-bit word, checked on the
	# host.
	bash "$TOP/scripts/run-board.sh" rpi3
	# virt64: the ABI fuzzer, then unbind under load.
	bash "$TOP/scripts/run-board.sh" virt64 boots:fuzz
) >"$(lane 3 log)" 2>&1 &
pid3=$!

# virt64: KUnit on the debug kernel, every mapping bounced through swiotlb,
# the ABI without bouncing, the fault-injection sweep, the client under
# each of dmasim's hostile modes (its fuzzer boot ends lane 3). At the end
# of lane 2, which waits for lint, the hostile boot ran 2 min alone (fc13).
bash "$TOP/scripts/run-board.sh" virt64 boots:kunit,dmasim-bounce,dmasim,faultinj,hostile

pids=([0]=$pid0 [2]=$pid2 [3]=$pid3)
for n in 0 2 3; do
	wait "${pids[$n]}" || echo "lane $n: exit $?"
	cat "$(lane $n log)"
	cat "$(lane $n res)" >>"$RESULTS"
done

# Where the time went: each boot's wall and CPU seconds, the costliest
# first (run-guest.sh writes them at the end of each console log).
echo "boots by CPU (wall s, CPU s):"
find "$BUILD" -path '*/logs/*.console.log' -newer "$BUILD/check.stamp" -exec cat {} + |
	sed -n 's/^DMAXFER-HOST: \(.*\) ran \([0-9]\+\) s, CPU \([0-9]\+\) s$/\3 \2 \1/p' |
	sort -rn | awk '{ c += $1; printf "  %5d %5d  %s %s\n", $2, $1, $3, $4 }
		END { printf "  total CPU of the boots: %d s\n", c }'
results_summary "make check took $(( $(date +%s) - t0 )) s"
