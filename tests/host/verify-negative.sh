#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative control of the host-side comparator used on the UART capture:
# an intact stream passes; one altered byte, a missing tail byte and an
# extra byte each fail with the offset named; the same in word mode
# (--word 4), plus captures of the wrong byte lanes; and recv's expected
# value (-e BYTE, -e WORD) on read() of a file, as on rpi3's rx. Prints
# PASS/FAIL lines.
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

# recv's expected value, on read() of a file that holds what rpi3's rx
# gets from its RAM word 0x3c5a96e1 (bytes e1 96 5a 3c, repeated): the
# word passes; the word with lanes 2 and 3 swapped fails at byte 2, one
# altered byte fails at its offset, and a single expected byte (the old
# check: 0x3c everywhere) fails. 8 hex digits make a word: 0x0000003c is
# not the byte 0x3c.
python3 -c 'import sys; sys.stdout.buffer.write(bytes([0xe1, 0x96, 0x5a, 0x3c]) * 262144)' >"$tmp/rx"
"$tool" recv -d "$tmp/rx" -n $n -o 12 -g 4096 -e 0x3c5a96e1 >/dev/null
t recv-word-intact "$?" 0
out=$("$tool" recv -d "$tmp/rx" -n $n -e 0x5a3c96e1 2>&1); rc=$?
t recv-word-lane-swap-fails "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset 2"
cp "$tmp/rx" "$tmp/rxflip"
printf '\x3c' | dd of="$tmp/rxflip" bs=1 seek=777777 conv=notrunc 2>/dev/null
out=$("$tool" recv -d "$tmp/rxflip" -n $n -e 0x3c5a96e1 2>&1); rc=$?
t recv-word-altered-byte-fails "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset 777777"
# Lane 3 too (777777 is lane 1): an altered byte at 777779.
cp "$tmp/rx" "$tmp/rxflip3"
printf '\x3d' | dd of="$tmp/rxflip3" bs=1 seek=777779 conv=notrunc 2>/dev/null
out=$("$tool" recv -d "$tmp/rxflip3" -n $n -e 0x3c5a96e1 2>&1); rc=$?
t recv-word-altered-lane3-fails "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset 777779"
out=$("$tool" recv -d "$tmp/rx" -n $n -e 0x3c 2>&1); rc=$?
t recv-byte-on-word-data-fails "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset 0"
# 8 digits make a word, whatever the value: on bytes that are all 0x3c,
# the byte 0x3c passes and the word 0x0000003c (3c 00 00 00) fails at 1.
python3 -c 'import sys; sys.stdout.buffer.write(bytes([0x3c]) * 4096)' >"$tmp/rx3c"
"$tool" recv -d "$tmp/rx3c" -n 4096 -e 0x3c >/dev/null 2>&1
t recv-byte-on-byte-data "$?" 0
out=$("$tool" recv -d "$tmp/rx3c" -n 4096 -e 0x0000003c 2>&1); rc=$?
t recv-8-digits-are-a-word "$rc:$(echo "$out" | grep -o 'offset [0-9]*')" "1:offset 1"
"$tool" recv -d "$tmp/rx" -n 4 -e 0x13c >/dev/null 2>&1
t recv-byte-above-0xff-is-usage-error "$?" 2
