#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative control of the host-side comparator used on the UART capture:
# an intact stream passes; one altered byte, a missing tail byte and an
# extra byte each fail with the offset named; the same in word mode
# (--word 4), plus captures of the wrong byte lanes. Prints PASS/FAIL lines.
set -u
tool=${1:?usage: verify-negative.sh HOST_TOOL}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=1048576

t() { if [ "$2" = "$3" ]; then echo "PASS host/$1"; else echo "FAIL host/$1: got '$2', want '$3'"; fi; }

"$tool" gen -s 42 -n $n >"$tmp/good"
"$tool" verify -s 42 -n $n "$tmp/good" >/dev/null
t verify-intact-stream "$?" 0

cp "$tmp/good" "$tmp/flip"
printf '\x5a' | dd of="$tmp/flip" bs=1 seek=777777 conv=notrunc 2>/dev/null
cmp -s "$tmp/good" "$tmp/flip" || true
out=$("$tool" verify -s 42 -n $n "$tmp/flip"); rc=$?
t verify-one-altered-byte-fails "$rc" 1
t verify-names-first-bad-offset "$(echo "$out" | grep -o 'offset [0-9]*')" "offset 777777"

head -c $((n - 1)) "$tmp/good" >"$tmp/short"
out=$("$tool" verify -s 42 -n $n "$tmp/short"); rc=$?
t verify-short-capture-fails "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset $((n - 1))"

cp "$tmp/good" "$tmp/long"; printf 'x' >>"$tmp/long"
"$tool" verify -s 42 -n $n "$tmp/long" >/dev/null
t verify-extra-byte-fails "$?" 1

# Word mode (--word 4, one stream byte per 32-bit word; QEMU's PL011 behind
# the BCM2835 DMA keeps the low byte of each word): the host's model of
# that FIFO takes byte 0 of every word of what the guest sends. 4 MiB of
# words give a 1 MiB capture.
w=$((4 * n))
"$tool" gen -s 43 -n $w --word 4 >"$tmp/words"
lane() { python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.stdout.buffer.write(d[int(sys.argv[2])::4])' "$tmp/words" "$1"; }
lane 0 >"$tmp/wgood"
t word-capture-is-1MiB "$(stat -c %s "$tmp/wgood")" $n
"$tool" verify -s 43 -n $w --word 4 "$tmp/wgood" >/dev/null
t word-verify-intact-capture "$?" 0

cp "$tmp/wgood" "$tmp/wflip"
old=$(od -An -tu1 -j 777777 -N 1 "$tmp/wflip" | tr -d ' ')
printf "\\$(printf '%03o' $(((old + 1) % 256)))" |
	dd of="$tmp/wflip" bs=1 seek=777777 conv=notrunc 2>/dev/null
out=$("$tool" verify -s 43 -n $w --word 4 "$tmp/wflip"); rc=$?
t word-verify-one-altered-byte-fails "$rc" 1
t word-verify-names-capture-offset "$(echo "$out" | grep -o 'offset [0-9]*')" "offset 777777"
t word-verify-names-dma-offset "$(echo "$out" | grep -o 'DMA byte [0-9]*')" "DMA byte $((4 * 777777))"

# A FIFO that kept another byte lane, or every byte, got no byte right.
for l in 1 2 3; do
	lane $l >"$tmp/wlane"
	out=$("$tool" verify -s 43 -n $w --word 4 "$tmp/wlane"); rc=$?
	t word-verify-lane-$l-fails "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset 0"
done
"$tool" verify -s 43 -n $w --word 4 "$tmp/words" >/dev/null
t word-verify-whole-words-fail "$?" 1
head -c $((n - 1)) "$tmp/wgood" >"$tmp/wshort"
out=$("$tool" verify -s 43 -n $w --word 4 "$tmp/wshort"); rc=$?
t word-verify-short-capture-fails "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset $((n - 1))"
"$tool" verify -s 43 -n $((w + 2)) --word 4 "$tmp/wgood" >/dev/null 2>&1
t word-verify-partial-word-is-usage-error "$?" 2
