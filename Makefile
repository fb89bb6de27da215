# SPDX-License-Identifier: GPL-2.0
#
#   make demo      boot QEMU zynq, load dmaxfer, move verified data through the PL330
#   make check     every test on every board; ends with "N passed, N failed"
#   make lint      checkpatch --strict, kernel-doc -Wall, W=1 and sparse
#                  builds, -Werror tool builds, and make docs
#   make docs      Documentation/ to HTML in build/docs/html (Sphinx, the
#                  kernel's kernel-doc directive, warnings are errors)
#   make host-headers  W=1 builds against Debian's 6.1 and 6.12 amd64 headers,
#                  DKMS add/build/install/remove on both
#   make bench     throughput figures on zynq (in-kernel, write(), tool, dmatest)
#   make mutation  every planted bug of tests/mutants/ must be caught
#                  (MUTANTS=name[,name] to run some)
#   make stress    fuzzer 10 min, unbind under load, race loops x200 (virt64);
#                  fuzzer + unbind on KCSAN, engine + ABI suites on PREEMPT_RT
#   make coverage  line coverage of drivers/dmaxfer/ (KUnit + arm64 e2e, gcov)
#   make kernels   build (or reuse) the cached kernels
#   make modules KDIR=<prepared kernel tree> [ARCH=.. CROSS_COMPILE=..]
#                  out-of-tree build against any kernel
#   make clean     remove build/ (the kernel cache stays in ~/.cache/dmaxfer)
#
# All set-up (apt packages, kernel source, busybox) is done by the targets.

KDIR ?= /lib/modules/$(shell uname -r)/build
BOARDS := zynq virt64 vpb
comma := ,

.PHONY: all demo check mutation stress bench coverage lint docs host-headers kernels modules setup clean distclean

all: modules

setup:
	@bash scripts/setup-host.sh

demo: setup
	@bash scripts/demo.sh

check:
	@bash scripts/check.sh

mutation: setup
	@bash scripts/mutation.sh $(subst $(comma), ,$(MUTANTS))
stress: setup
	@bash scripts/stress.sh

bench: setup
	@bash scripts/bench.sh

coverage: setup
	@bash scripts/coverage.sh

lint: setup
	@RESULTS=build/lint.txt bash scripts/lint.sh

docs: setup
	@mkdir -p build && : >build/docs.txt && RESULTS=build/docs.txt bash scripts/docs.sh

# Fails when a check failed (results_summary), like make check.
host-headers: setup
	@mkdir -p build; : >build/host-headers.txt
	@RESULTS=build/host-headers.txt bash scripts/host-headers.sh
	@RESULTS=build/host-headers.txt bash scripts/dkms-check.sh
	@RESULTS=build/host-headers.txt bash -c '. scripts/lib.sh; . scripts/judge.sh; results_summary "make host-headers"'

kernels: setup
	@for b in $(BOARDS); do bash scripts/build-kernel.sh $$b || exit 1; done

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	rm -rf build
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null

distclean: clean
	rm -rf "$$(bash -c '. scripts/lib.sh; echo $$CACHE')"
