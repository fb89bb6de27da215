#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# repro-review.sh: run today's tests against the driver the independent
# review read (cb14f72), to show that they catch what it found: the
# spurious -ECANCELED after a reaped timeout, the WARN from a 64 MiB
# BUF_ALLOC, the undefined shift in INFO, and (when the race is won) the
# use-after-free at close. Not part of make check: it boots the old driver.
#
# The structs kept their sizes, so today's kselftest runs against the old
# driver; its one reference to a renamed reserved field is patched. The
# old KUnit module does not build against today's header and is left out.
#   DMAXFER_ITERS   race iterations (default 50)
#   REPRO_BASE      the old commit (default cb14f72)
#   REPRO_WIDEN=1   widen the review's use-after-free window, as one does
#                   to make a narrow race reproducible: the old
#                   dmaxfer_async_done() waits 2 ms between dropping
#                   f->lock and wake_up_all(&f->wq), the window in which
#                   close() can free the file (only the repro-widen boot
#                   runs then)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

base=${REPRO_BASE:-cb14f72}
iters=${DMAXFER_ITERS:-50}
wt=$(mktemp -d /tmp/dmaxfer-repro.XXXXXX)
trap 'git -C "$TOP" worktree remove --force "$wt" >/dev/null 2>&1; rm -rf "$wt"' EXIT
git -C "$TOP" worktree add -q --detach "$wt" HEAD || die "worktree failed"
git -C "$wt" checkout -q "$base" -- drivers || die "no $base"
sed -i '/kunit/d' "$wt/Kbuild"
sed -i 's/|| c->reserved0)/|| c->result_flags)/' "$wt/drivers/dmaxfer/async.c"
cat >"$wt/scripts/guest/repro-warn.sh" <<'EOT'
# The 64 MiB BUF_ALLOC of the review, alone.
[ -e /sys/kernel/debug/dmasim ] || insmod /lib/modules/dmasim.ko
insmod /lib/modules/dmaxfer.ko timeout_ms=1000
DMAXFER_LOOPBACK=1 /bin/dmaxfer_test -t alloc_max_no_warn
EOT
widen=${REPRO_WIDEN:-0}
if [ "$widen" = 1 ]; then
	f=$wt/drivers/dmaxfer/async.c
	grep -q '^	spin_unlock(&f->lock);$' "$f" || die "no window to widen in $f"
	# The first such unlock is dmaxfer_async_done()'s, before its wake-up.
	awk '!done && /^\tspin_unlock\(&f->lock\);$/ { print; print "\tmdelay(2);"; done = 1; next } 1' \
		"$f" >"$f.new" && mv "$f.new" "$f"
	sed -i '0,/^#include/s//#include <linux\/delay.h>\n#include/' "$f"
	grep -B3 -A3 'mdelay(2)' "$f"
fi
export DMAXFER_BUILD=$wt/build
dtb=$(bash "$wt/scripts/virt64-dtb.sh" virt64-dmasim) || die "dtb"
logs=$wt/build/virt64/logs
if [ "$widen" = 1 ]; then
	bash "$wt/scripts/run-guest.sh" virt64 repro-widen virt64-races "$dtb" "DMAXFER_ITERS=$iters"
else
	bash "$wt/scripts/run-guest.sh" virt64 repro-races virt64-races "$dtb" "DMAXFER_ITERS=$iters"
	bash "$wt/scripts/run-guest.sh" virt64 repro-bounce virt64-races "$dtb" \
		"swiotlb=16384,force DMAXFER_ITERS=$iters"
	bash "$wt/scripts/run-guest.sh" virt64 repro-warn repro-warn "$dtb" ""
fi
out=$BUILD/repro-review
mkdir -p "$out"
cp "$logs"/repro-*.console.log "$out/"
# What the old driver shows; each line is a defect caught.
for l in "$out"/repro-*.console.log; do
	echo "== $(basename "$l")"
	grep -aE 'BUG: KASAN|UBSAN|WARNING: CPU|Expected .*(-125|warn_count)|ended -125|not ok' "$l" |
		tr -d '\r' | head -n 20
done
echo "logs in $out"
