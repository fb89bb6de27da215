#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative control of the host-side comparator used on the UART capture:
# an intact stream passes; one altered byte, a missing tail byte and an
# extra byte each fail with the offset named. Prints PASS/FAIL lines.
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
