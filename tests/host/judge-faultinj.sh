#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative control of the judge's exemption for injected faults
# (kernel_log in scripts/judge.sh): a console with the messages of faults
# injected on purpose ("FAULT_INJECTION: forcing a failure." and, with
# verbose 2, a stack dump through should_fail_ex()) must give
# kernel-log-clean PASS; the same console with a real report among those
# messages (WARNING, KASAN, UBSAN, lockdep, DMA-API debug, a stack dump that
# is not the injection's) must give FAIL. Prints PASS/FAIL lines.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RESULTS=$tmp/results
. "$TOP/scripts/judge.sh"

# verdict LOG: what judge_console says about the kernel log (PASS or FAIL).
verdict() {
	: >"$RESULTS"
	judge_console t "$1" >/dev/null
	sed -n 's/^\(PASS\|FAIL\) t\/kernel-log-clean.*/\1/p' "$RESULTS"
}
t() { if [ "$2" = "$3" ]; then echo "PASS host/$1"; else echo "FAIL host/$1: got '$2', want '$3'"; fi; }

# A test script that stopped part-way (no COMPLETE after its BEGIN) fails
# tests-ran-to-the-end, though every verdict it printed passed.
ran_to_end() {
	: >"$RESULTS"
	judge_console t "$1" >/dev/null
	sed -n 's/^\(PASS\|FAIL\) t\/tests-ran-to-the-end.*/\1/p' "$RESULTS"
}
printf 'DMAXFER-TEST-BEGIN a\nDMAXFER-RESULT: PASS x\nDMAXFER-TEST-COMPLETE a\nDMAXFER-TEST-END a\nDMAXFER-DONE\n' >"$tmp/whole.log"
printf 'DMAXFER-TEST-BEGIN a\nDMAXFER-RESULT: PASS x\nDMAXFER-TEST-END a\nDMAXFER-DONE\n' >"$tmp/died.log"
t judge-script-ran-to-the-end-passes "$(ran_to_end "$tmp/whole.log")" PASS
t judge-script-stopped-part-way-fails "$(ran_to_end "$tmp/died.log")" FAIL

# One injected slab fault as virt64's kernel printed it with verbose 2
# (scripts/guest/virt64-faultinj.sh with DMAXFER_FI_VERBOSE=2).
fi_trace() {
	cat <<'EOF'
[   16.729393] FAULT_INJECTION: forcing a failure.
[   16.729393] name failslab, interval 1, probability 0, space 0, times 99999974
[   16.729929] CPU: 0 UID: 0 PID: 106 Comm: dmaxfer_failnth Tainted: G           O       6.12.117 #1
[   16.730004] Tainted: [O]=OOT_MODULE
[   16.730017] Hardware name: linux,dummy-virt (DT)
[   16.730036] Call trace:
[   16.730048]  dump_backtrace+0xa4/0xe0
[   16.730104]  show_stack+0x14/0x1c
[   16.730127]  dump_stack_lvl+0xb4/0xc4
[   16.730154]  dump_stack+0x18/0x20
[   16.730175]  should_fail_ex+0x4cc/0x5bc
[   16.730198]  should_failslab+0xd4/0x164
[   16.730221]  __kmalloc_noprof+0xb8/0x564
[   16.730245]  sg_kmalloc+0x1c/0x64
[   16.730268]  __sg_alloc_table+0x1d0/0x2f0
[   16.730289]  sg_alloc_table+0x30/0x168
[   16.730310]  dmaxfer_xfer_init_coherent+0x138/0x298 [dmaxfer]
[   16.730387]  dmaxfer_async_submit+0x7d8/0x1128 [dmaxfer]
[   16.730440]  dmaxfer_ioc_submit+0x64/0x84 [dmaxfer]
[   16.730491]  dmaxfer_ioctl+0x20c/0x464 [dmaxfer]
[   16.730542]  __arm64_sys_ioctl+0x248/0x1540
[   16.730568]  invoke_syscall.constprop.0+0xa0/0x238
[   16.730592]  do_el0_svc+0xc0/0x1b0
[   16.730613]  el0_svc+0x58/0xe4
[   16.730636]  el0t_64_sync_handler+0xc0/0xd4
[   16.730659]  el0t_64_sync+0x14c/0x150
EOF
}
fi_page_v1() {
	cat <<'EOF'
[   31.512117] FAULT_INJECTION: forcing a failure.
[   31.512117] name fail_page_alloc, interval 1, probability 0, space 0, times 99999986
EOF
}
warning() {
	cat <<'EOF'
[   31.420001] ------------[ cut here ]------------
[   31.420502] WARNING: CPU: 1 PID: 97 at drivers/dmaxfer/xfer.c:563 dmaxfer_xfer_fini+0x60/0x78 [dmaxfer]
[   31.421100] Modules linked in: dmaxfer(O) dmasim(O)
[   31.421500] CPU: 1 UID: 0 PID: 97 Comm: dmaxfer_failnth Tainted: G           O       6.12.57 #1
[   31.422000] Hardware name: linux,dummy-virt (DT)
[   31.422400] pstate: 60000005 (nZCv daif -PAN -UAO -TCO -DIT -SSBS BTYPE=--)
[   31.422800] pc : dmaxfer_xfer_fini+0x60/0x78 [dmaxfer]
[   31.423200] Call trace:
[   31.423400]  dmaxfer_xfer_fini+0x60/0x78 [dmaxfer]
[   31.423800]  dmaxfer_async_submit+0x3a4/0x920 [dmaxfer]
[   31.424200] ---[ end trace 0000000000000000 ]---
EOF
}
# console BODY...: a finished guest console around what the functions print.
console() {
	echo "DMAXFER-BOOTED 6.12.57 aarch64"
	echo "DMAXFER-TEST-BEGIN virt64-faultinj"
	"$@"
	echo "DMAXFER-INFO: fi submit-ptr-tx N=3: fault injected (slab), failed with ENOMEM (12)"
	echo "DMAXFER-TEST-END virt64-faultinj"
	echo "DMAXFER-DONE"
}
log=$tmp/console.log

# The exemption: injected faults alone are a clean kernel log.
console fi_trace >"$log"
t judge-fi-trace-is-clean "$(verdict "$log")" PASS
both() { fi_trace; fi_page_v1; fi_trace; }
console both >"$log"
t judge-fi-traces-and-single-lines-are-clean "$(verdict "$log")" PASS
# A kernel line cut into user-space output still counts as the kernel's.
cut() { printf 'DMAXFER-INFO: fi open N=2: fault inj'; fi_trace; }
console cut >"$log"
t judge-fi-trace-after-cut-user-line-is-clean "$(verdict "$log")" PASS
# The console lags: user space lines inside the dump, as seen on virt64.
lag() {
	fi_trace | head -n 2
	echo "DMAXFER-INFO: fi submit-pool N=3: fault injected (slab), failed with ENOMEM (12)"
	echo "DMAXFER-INFO: fi submit-pool N=4: fault injected (slab), absorbed: succeeded, returned 0"
	fi_trace | tail -n +3
}
console lag >"$log"
t judge-fi-trace-with-user-lines-inside-is-clean "$(verdict "$log")" PASS
# The same lines without timestamps (a kernel without PRINTK_TIME).
console fi_trace | sed 's/^\[ *[0-9.]*\] //' >"$log"
t judge-fi-trace-without-timestamps-is-clean "$(verdict "$log")" PASS

# Real reports among injected faults must not be hidden.
w1() { fi_trace; warning; fi_trace; }
console w1 >"$log"
t judge-warning-between-fi-traces-fails "$(verdict "$log")" FAIL
# A report that cuts into a dump (another CPU) ends the exempt block.
w2() { fi_trace | head -n 12; warning; fi_trace | tail -n 8; }
console w2 >"$log"
t judge-warning-inside-fi-trace-fails "$(verdict "$log")" FAIL
w3() {
	fi_trace
	echo '[   31.430000] =================================================================='
	echo '[   31.430100] BUG: KASAN: slab-use-after-free in dmaxfer_async_free+0x2c/0x1f0 [dmaxfer]'
	fi_trace
}
console w3 >"$log"
t judge-kasan-after-fi-trace-fails "$(verdict "$log")" FAIL
w4() {
	fi_page_v1
	echo '[   31.440000] UBSAN: shift-out-of-bounds in drivers/dmaxfer/xfer.c:120:14'
}
console w4 >"$log"
t judge-ubsan-after-fi-line-fails "$(verdict "$log")" FAIL
w5() {
	fi_trace
	echo '[   31.450000] WARNING: possible circular locking dependency detected'
}
console w5 >"$log"
t judge-lockdep-after-fi-trace-fails "$(verdict "$log")" FAIL
w6() {
	fi_page_v1
	echo '[   31.460000] DMA-API: dmasim dmasim: device driver tries to free DMA memory it has not allocated [device address=0x0000000041230000] [size=16384 bytes]'
}
console w6 >"$log"
t judge-dma-api-error-after-fi-line-fails "$(verdict "$log")" FAIL
# A stack dump behind a fault-injection header that does not go through
# should_fail_ex() is somebody else's.
w7() { fi_trace | grep -v should_fail_ex; }
console w7 >"$log"
t judge-dump-without-should-fail-ex-fails "$(verdict "$log")" FAIL
# Anything but frames after "Call trace:" ends the block.
w8() { fi_trace; echo '[   31.470000] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008'; }
console w8 >"$log"
t judge-oops-after-fi-trace-fails "$(verdict "$log")" FAIL
# A user space line inside a dump is judged like any other.
w10() { fi_trace | head -n 8; echo "BUG: soft lockup - CPU#0 stuck for 22s!"; fi_trace | tail -n +9; }
console w10 >"$log"
t judge-bad-user-line-inside-fi-trace-fails "$(verdict "$log")" FAIL
# An unknown attribute name is not an injected fault.
w9() { fi_trace | sed 's/name failslab/name something_else/'; }
console w9 >"$log"
t judge-fi-header-unknown-name-fails "$(verdict "$log")" FAIL
