#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the end of a zynq UART0 capture after a timed-out transfer.

The guest reported MOVED bytes of a SIZE-byte seeded stream as sent before
the transfer was terminated. QEMU's PL330 may still push out bytes it had
fetched, so the capture from OFF on must be: the stream's first L bytes
with MOVED <= L <= SIZE, then MARK, then the SIZE2-byte stream SEED2, then
nothing. Prints PASS/FAIL lines; the host tool regenerates the streams.
"""
import subprocess
import sys

uart, tool, off, seed, moved, size, mark, seed2, size2 = sys.argv[1:10]
off, moved, size, size2 = int(off), int(moved), int(size), int(size2)
data = open(uart, 'rb').read()
gen = lambda s, n: subprocess.run([tool, 'gen', '-s', s, '-n', str(n)],
                                  check=True, capture_output=True).stdout
want = gen(seed, size)
cap = data[off:]
res = []

res.append(('timeout-reported-bytes-arrived', cap[:moved] == want[:moved],
            'the %d bytes reported as moved are not the stream' % moved))
m = cap.find(mark.encode() + b'\n', moved)
ok = moved <= m <= size and cap[:m] == want[:m]
res.append(('timeout-no-foreign-bytes', ok,
            'marker at %d; bytes before it must be the stream prefix (reported %d of %d)'
            % (m, moved, size)))
if ok:
    print('  timeout: reported %d bytes moved, %d reached UART0 before the marker'
          % (moved, m))
    rest = cap[m + len(mark) + 1:]
    res.append(('uart-after-timeout', rest[:size2] == gen(seed2, size2),
                'the transfer after the timeout does not match seed %s' % seed2))
    res.append(('uart-total-bytes', len(rest) == size2,
                'expected %d bytes after the marker, got %d' % (size2, len(rest))))
for name, good, why in res:
    print('PASS zynq/%s' % name if good else 'FAIL zynq/%s: %s' % (name, why))
