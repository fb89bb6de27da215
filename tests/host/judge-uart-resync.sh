#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative controls of judge_uart's resynchronisation (scripts/judge.sh):
# after a DMAXFER-EXPECT-RESYNC SLACK line the next stream may start up to
# SLACK bytes after the offset the guest counted (transfers that ended
# early moved more than their records said), and is looked for there;
# every byte from there on is still checked exactly. A synthetic capture:
# 1000 counted bytes, 300 uncounted ones, then two seeded streams.
# Prints PASS/FAIL lines.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RESULTS=$tmp/results
. "$TOP/scripts/judge.sh"
tool=$BUILD/tool-host/dmaxfer

t() { if [ "$2" = "$3" ]; then echo "PASS host/$1"; else echo "FAIL host/$1: got '$2', want '$3'"; fi; }

# verdicts LOG CAPTURE: "found/stream-a/stream-b/total" as PASS or FAIL (- if absent).
verdicts() {
	local v r out=()
	: >"$RESULTS"
	judge_uart t "$1" "$2" >/dev/null
	for v in uart-a-found uart-a uart-b uart-total-bytes; do
		r=$(sed -n "s/^\(PASS\|FAIL\) t\/$v\([ :].*\)\{0,1\}$/\1/p" "$RESULTS" | head -n1)
		out+=("${r:--}")
	done
	(IFS=/; echo "${out[*]}")
}

head -c 1300 /dev/urandom >"$tmp/cap"
"$tool" gen -s 5 -n 4096 >>"$tmp/cap"
"$tool" gen -s 6 -n 1024 >>"$tmp/cap"
streams='DMAXFER-EXPECT-STREAM a 1000 5 4096
DMAXFER-EXPECT-STREAM b 5096 6 1024'
printf 'DMAXFER-EXPECT-RESYNC 1048576\n%s\n' "$streams" >"$tmp/resync.log"
printf 'DMAXFER-EXPECT-RESYNC 100\n%s\n' "$streams" >"$tmp/short.log"
printf '%s\n' "$streams" >"$tmp/plain.log"

t judge-uart-resync-finds-the-stream "$(verdicts "$tmp/resync.log" "$tmp/cap")" PASS/PASS/PASS/PASS
t judge-uart-resync-beyond-slack-fails "$(verdicts "$tmp/short.log" "$tmp/cap")" FAIL/FAIL/FAIL/FAIL
t judge-uart-no-resync-fails "$(verdicts "$tmp/plain.log" "$tmp/cap")" -/FAIL/FAIL/FAIL
# One byte altered in the second stream, after the resync point.
cp "$tmp/cap" "$tmp/bad"
printf '\xff' | dd of="$tmp/bad" bs=1 seek=$((1300 + 4096 + 17)) conv=notrunc 2>/dev/null
t judge-uart-resync-altered-byte-fails "$(verdicts "$tmp/resync.log" "$tmp/bad")" PASS/PASS/FAIL/PASS
# A byte more at the end than the guest sent.
cp "$tmp/cap" "$tmp/long"
printf 'x' >>"$tmp/long"
t judge-uart-resync-extra-byte-fails "$(verdicts "$tmp/resync.log" "$tmp/long")" PASS/PASS/PASS/FAIL
