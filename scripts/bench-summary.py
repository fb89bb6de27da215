#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-summary.py LINES: the ratios of make bench, from its DMAXFER-BENCH
lines (prefix already stripped) on standard input.

Each repetition ("rep=N") of the guest's ratio section pairs a user-space
figure with the bare in-kernel path measured right before it on a table of
the same shape; a ratio is computed per repetition and the median of the
repetitions is reported, together with every repetition's value.
"""
import json
import re
import statistics
import sys

kernel = {}   # (rep, size, depth, layout) -> (MB/s, transfers/s, nents)
tool = {}     # (rep, mode, size, depth) -> (MB/s, transfers/s, nents)
cpu = {}      # mode -> [CPU us per MiB, one a repetition]  (virt64, dmasim)
copied = {}   # mode -> bytes the driver copied, all repetitions
nents = {}    # mode -> sg entries of the last transfer


for line in sys.stdin:
    m = re.match(r'cpu rep=\d+ nents=(\d+) copied=(\d+) (\{.*\})', line)
    if m:
        j = json.loads(m.group(3))
        mode = j['mode']
        if j.get('ok'):
            cpu.setdefault(mode, []).append(
                j['cpu_us_per_transfer'] * 1048576 / j['size'] / 1000)
        copied[mode] = copied.get(mode, 0) + int(m.group(2))
        nents[mode] = int(m.group(1))
        continue
    m = re.match(r'(rep=\d+) kernel tx (.*)', line)
    if m:
        f = dict(kv.split('=', 1) for kv in m.group(2).split())
        key = (m.group(1), int(f['size']), int(f['depth']), f['layout'])
        kernel[key] = (int(f['KBps']) / 1000, int(f['tps']), int(f['nents']))
        continue
    m = re.match(r'(rep=\d+) tool nents=(\d+) (\{.*\})', line)
    if m:
        try:
            j = json.loads(m.group(3))
        except ValueError:
            continue
        if j.get('chan') != 'tx' or not j.get('ok'):
            continue
        key = (m.group(1), j['mode'], j['size'], j['depth'])
        tool[key] = (j['mb_per_s'], j['transfers_per_s'], int(m.group(2)))

reps = sorted({k[0] for k in kernel if k[0] != 'rep=0'})


def row(name, pairs, idx, bar=None):
    """
    Print one ratio of figure idx of (numerator, denominator) pairs, one
    pair a repetition: the median of the per-repetition ratios (each
    value shown), and the ratio of the best figures (noise here only ever
    slows a run down, so the best of each side is its least disturbed
    measurement). The bar, if any, is judged on both.
    """
    pairs = [(n, d) for n, d in pairs if n is not None and d is not None and d[idx]]
    if not pairs:
        print(f'{name:46s} (no data)')
        return
    vals = [n[idx] / d[idx] for n, d in pairs]
    med = statistics.median(vals)
    best = max(n[idx] for n, _ in pairs) / max(d[idx] for _, d in pairs)
    each = ' '.join(f'{v:.3f}' for v in vals)
    verdict = ''
    if bar is not None:
        ok = med >= bar and best >= bar
        verdict = f'  bar >= {bar}: ' + ('met' if ok else 'NOT MET')
    print(f'{name:46s} median {med:.3f}  best/best {best:.3f}  [{each}]{verdict}')


print('ratios, tx to UART0 on zynq, median of %d interleaved repetitions '
      '(one boot)' % len(reps))
for size, label in ((65536, '64 KiB'), (1048576, '1 MiB')):
    row(f'zero-copy / in-kernel (pages), {label}, MB/s',
        [(tool.get((r, 'zero-copy', size, 1)),
          kernel.get((r, size, 1, 'pages'))) for r in reps], 0, 0.95)
    row(f'pool / in-kernel (contig), {label}, MB/s',
        [(tool.get((r, 'pool', size, 1)),
          kernel.get((r, size, 1, 'contig'))) for r in reps], 0)
row('zero-copy / in-kernel (pages), 4 KiB, xfers/s',
    [(tool.get((r, 'zero-copy', 4096, 1)),
      kernel.get((r, 4096, 1, 'pages'))) for r in reps], 1, 0.8)
row('zero-copy depth 8 / depth 1, 4 KiB, xfers/s',
    [(tool.get((r, 'zero-copy', 4096, 8)),
      tool.get((r, 'zero-copy', 4096, 1))) for r in reps], 1)
row('in-kernel depth 8 / depth 1, 4 KiB, xfers/s',
    [(kernel.get((r, 4096, 8, 'pages')),
      kernel.get((r, 4096, 1, 'pages'))) for r in reps], 1)

print('sg entries per transfer (last repetition): ', end='')
last = reps[-1] if reps else None
shapes = []
for size in (65536, 1048576):
    z = tool.get((last, 'zero-copy', size, 1))
    k = kernel.get((last, size, 1, 'pages'))
    p = tool.get((last, 'pool', size, 1))
    c = kernel.get((last, size, 1, 'contig'))
    shapes.append(f'{size}: zero-copy {z[2] if z else "?"} / kernel pages '
                  f'{k[2] if k else "?"}, pool {p[2] if p else "?"} / '
                  f'kernel contig {c[2] if c else "?"}')
print('; '.join(shapes))


print()
print('CPU time of the sending process per MiB, tx on virt64 over dmasim '
      '(dmasim moves the data in a kworker), median and best of the repetitions')
for mode in ('write', 'zero-copy', 'pool'):
    v = cpu.get(mode)
    if v:
        each = ' '.join(f'{x:.1f}' for x in v)
        print(f'{mode:10s} median {statistics.median(v):6.2f} ms/MiB  best {min(v):6.2f}  '
              f'[{each}]  sg entries {nents.get(mode, "?")}, '
              f'driver copied {copied.get(mode, "?")} bytes')
    else:
        print(f'{mode:10s} (no data)')
if cpu.get('write') and cpu.get('zero-copy'):
    print('zero-copy / write() CPU time: median %.3f, best %.3f' % (
        statistics.median(cpu['zero-copy']) / statistics.median(cpu['write']),
        min(cpu['zero-copy']) / min(cpu['write'])))
