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

# One injected slab fault as virt64's kernel prints it with verbose 2.
fi_trace() {
	cat <<'EOF'
[   31.402117] FAULT_INJECTION: forcing a failure.
[   31.402117] name failslab, interval 1, probability 0, space 0, times 99999987
[   31.404870] CPU: 1 UID: 0 PID: 97 Comm: dmaxfer_failnth Tainted: G           O       6.12.57 #1
[   31.405380] Tainted: [O]=OOT_MODULE
[   31.405650] Hardware name: linux,dummy-virt (DT)
[   31.406004] Call trace:
[   31.406211]  dump_backtrace+0x9c/0x108
[   31.406528]  show_stack+0x20/0x38
[   31.406811]  dump_stack_lvl+0x98/0xd0
[   31.407108]  dump_stack+0x18/0x28
[   31.407388]  should_fail_ex+0x2b8/0x2f0
[   31.407706]  should_failslab+0x9c/0xe8
[   31.408010]  __kmalloc_cache_noprof+0x88/0x4c8
[   31.408364]  dmaxfer_async_submit+0x1a4/0x920 [dmaxfer]
[   31.408770]  dmaxfer_ioctl+0x254/0x3f0 [dmaxfer]
[   31.409139]  __arm64_sys_ioctl+0x128/0x1a0
[   31.409469]  invoke_syscall+0x6c/0x260
[   31.409779]  el0_svc_common.constprop.0+0xbc/0x248
[   31.410165]  do_el0_svc+0x48/0x68
[   31.410437]  el0_svc+0x54/0x160
[   31.410700]  el0t_64_sync_handler+0x10c/0x138
[   31.411046]  el0t_64_sync+0x198/0x1a0
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
# An unknown attribute name is not an injected fault.
w9() { fi_trace | sed 's/name failslab/name something_else/'; }
console w9 >"$log"
t judge-fi-header-unknown-name-fails "$(verdict "$log")" FAIL
