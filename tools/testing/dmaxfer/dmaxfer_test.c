// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test - kselftest of the /dev/dmaxfer<N> user-space ABI:
 * the ioctls of <linux/dmaxfer.h>, mmap() of pool buffers and poll().
 *
 * Environment:
 *   DMAXFER_DEV=/dev/dmaxferN   the device (default /dev/dmaxfer0)
 *   DMAXFER_LOOPBACK=1          rx returns what tx sent (dmasim): rx
 *                               transfers are fed by tx, and the tests
 *                               that check data run
 *   DMAXFER_FIFO_FLUSH=PATH     loopback only: file to write to empty the
 *                               loopback FIFO before and after each test
 *                               (default: every
 *                               /sys/kernel/debug/dmasim/<dev>/fifo_flush)
 *   DMAXFER_FIFO_LEVEL=PATH     loopback only: file that reads the FIFO's
 *                               level (default: the first
 *                               /sys/kernel/debug/dmasim/<dev>/fifo_level)
 *   DMAXFER_ITERS=N             iterations of the race loops (races.c;
 *                               default 20, make stress: 200 or more)
 *   DMAXFER_COHERENT=0|1        whether the device's DMA is coherent
 *                               (decides the rx zero-copy alignment rule;
 *                               unset: the test of that rule is skipped)
 *   DMAXFER_DMA_ALIGN=N         rx_align a non-coherent device must report
 *                               (default 64; arm64 before Linux 6.5: 128)
 *   DMAXFER_UNBIND=1            run the unbind case (it unbinds and
 *                               rebinds the device: run it alone, last)
 *
 * Without DMAXFER_LOOPBACK no test assumes anything about what rx reads,
 * only that an rx transfer completes by itself (a peripheral that always
 * has data, as zynq's fixed word). With it, rx transfers must be fed: the
 * tests feed them with write() on tx, and a transfer that has to stay in
 * flight for a while is an rx from the empty FIFO. Without it, such a
 * transfer is a long tx (256 KiB: about 1 s through QEMU zynq's UART0);
 * if it ends before the test could see it in flight, the test is skipped.
 *
 * Output is TAP, from the kernel's kselftest_harness.h. The cases live in
 * the files included below, one area each; they form one translation unit
 * because the harness keeps its list of tests in static variables.
 */
#include "helpers.h"
#include "sys.h"
#include "fixture.h"
#include "stuck.h"

#include "ioctl_abi.c"
#include "reserved.c"
#include "args.c"
#include "pool.c"
#include "xfer.c"
#include "inflight.c"
#include "lifetime.c"
#include "settled_queue_mem.c"
#include "settled_close_abi.c"
#include "batch.c"
#include "limits.c"
#include "races.c"
#include "deadlines.c"
#include "unbind.c"
#include "data.c"

TEST_HARNESS_MAIN
