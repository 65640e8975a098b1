#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Host test of tools/png-compare on PNGs this test encodes itself.

Every PNG here is written by the encoder below from a pixel function; the
raw XRGB8888 frame it is compared with is written from the same function
directly.  Each of the five PNG filter types is applied by the test's own
forward filter (the spec's definitions), alone and mixed per row, RGB and
RGBA, image data split over several IDAT chunks.

    png-compare-test.py TOOLS_PNG_COMPARE
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

TOOL = sys.argv[1]
WORK = tempfile.mkdtemp(prefix='png-compare-test.')
checks = 0
failures = 0


def check(cond, what):
    global checks, failures
    checks += 1
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures += 1


def pixels(w, h, seed, alpha=False):
    """Rows of (r, g, b[, a]) from a small LCG: no structure a filter could hide."""
    x = seed
    rows = []
    for _ in range(h):
        row = []
        for _ in range(w):
            px = []
            for _ in range(4 if alpha else 3):
                x = (x * 1103515245 + 12345) & 0x7fffffff
                px.append((x >> 16) & 0xff)
            if alpha:
                px[3] = 255
            row.append(tuple(px))
        rows.append(row)
    return rows


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(ftype, cur, prev, bpp):
    out = bytearray()
    for i, v in enumerate(cur):
        a = cur[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        pred = (0, a, b, (a + b) // 2, paeth(a, b, c))[ftype]
        out.append((v - pred) & 0xff)
    return bytes([ftype]) + bytes(out)


def chunk(ctype, body):
    return struct.pack('>I', len(body)) + ctype + body + struct.pack('>I', zlib.crc32(ctype + body))


def encode(rows, filters, idat_parts=1, depth=8, colour=None, interlace=0, extra=b''):
    h, w = len(rows), len(rows[0])
    bpp = len(rows[0][0])
    if colour is None:
        colour = 2 if bpp == 3 else 6
    data = b''
    prev = bytes(w * bpp)
    for y, row in enumerate(rows):
        cur = bytes(v for px in row for v in px)
        data += filter_row(filters[y % len(filters)], cur, prev, bpp)
        prev = cur
    z = zlib.compress(data, 9)
    step = -(-len(z) // idat_parts)
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, colour, 0, 0, interlace))
    png += extra
    for i in range(0, len(z), step):
        png += chunk(b'IDAT', z[i:i + step])
    return png + chunk(b'IEND', b'')


def raw_of(rows, x_byte=lambda i: 0):
    out = bytearray()
    i = 0
    for row in rows:
        for px in row:
            out += bytes((px[2], px[1], px[0], x_byte(i) & 0xff))
            i += 1
    return bytes(out)


def write(name, data):
    path = os.path.join(WORK, name)
    with open(path, 'wb') as f:
        f.write(data)
    return path


def run(png, raw, w, h, *extra):
    p = subprocess.run([TOOL, png, raw, '--width', str(w), '--height', str(h), *extra],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


W, H = 37, 23
FILTERS = {0: 'None', 1: 'Sub', 2: 'Up', 3: 'Average', 4: 'Paeth'}

# Each filter alone, RGB and RGBA: pixel-exact.
for alpha in (False, True):
    kind = 'RGBA' if alpha else 'RGB'
    rows = pixels(W, H, 7 + alpha, alpha)
    raw = write(f'{kind}.raw', raw_of(rows))
    for ftype, fname in FILTERS.items():
        png = write(f'{kind}-{fname}.png', encode(rows, [ftype]))
        st, out, err = run(png, raw, W, H)
        check(st == 0 and out.startswith('match'),
              f'{kind} filter {fname}: match, exit 0' + ('' if st == 0 else f' (got {st}: {out.strip()} {err.strip()})'))

# All five mixed row by row, four IDAT chunks, an ancillary chunk before them.
rows = pixels(W, H, 99)
mixed = write('mixed.png', encode(rows, [4, 0, 3, 1, 2, 4, 4, 3], idat_parts=4,
                                  extra=chunk(b'tEXt', b'Comment\0made by the test')))
raw = write('mixed.raw', raw_of(rows))
st, out, _ = run(mixed, raw, W, H)
check(st == 0, f'mixed filters, 4 IDATs, tEXt: match (exit {st})')

# X is not compared.
st, _, _ = run(mixed, write('mixed-x.raw', raw_of(rows, lambda i: i * 37 + 1)), W, H)
check(st == 0, f'the raw frame\'s X byte is ignored (exit {st})')

# One pixel off by one in red, at (5, 3): counted, located, both values shown.
bad = bytearray(raw_of(rows))
off = (3 * W + 5) * 4
bad[off + 2] ^= 1
r, g, b = rows[3][5]
st, out, _ = run(mixed, write('one.raw', bytes(bad)), W, H)
want_png = '#%02x%02x%02x' % (r, g, b)
want_raw = '#%02x%02x%02x' % (r ^ 1, g, b)
check(st == 1 and f'1 of {W * H} pixels differ' in out and
      f'(5,3)  png {want_png}  raw {want_raw}' in out,
      f'one pixel differs: exit 1, count, (5,3) and both values (got {st}: {out!r})')
st, out, _ = run(mixed, os.path.join(WORK, 'one.raw'), W, H, '--json')
j = json.loads(out)
check(st == 1 and j['match'] is False and j['differing'] == 1 and
      j['first'] == [{'x': 5, 'y': 3, 'png': want_png, 'raw': want_raw}],
      f'--json: differing 1, first [(5,3)] (got {st}: {out.strip()})')
st, out, _ = run(mixed, raw, W, H, '--json')
j = json.loads(out)
check(st == 0 and j['match'] is True and j['differing'] == 0 and j['pixels'] == W * H,
      '--json on a match: match true, differing 0')

# Every 7th pixel in blue: the count is exact, the list is the first N in
# row-major order.
bad = bytearray(raw_of(rows))
spots = list(range(0, W * H, 7))
for i in spots:
    bad[i * 4] ^= 0x80
st, out, _ = run(mixed, write('many.raw', bytes(bad)), W, H, '--json', '--show', '3')
j = json.loads(out)
check(st == 1 and j['differing'] == len(spots) and
      [(d['x'], d['y']) for d in j['first']] == [(i % W, i // W) for i in spots[:3]],
      f'{len(spots)} pixels differ: counted, first 3 in order (got {j["differing"]})')

# A non-opaque RGBA pixel is not an XRGB pixel.
arows = pixels(W, H, 8, True)
arows[10][20] = arows[10][20][:3] + (128,)
st, out, _ = run(write('alpha.png', encode(arows, [0])), write('alpha.raw', raw_of(arows)), W, H)
check(st == 1 and '(20,10)' in out, f'RGBA alpha 128 at (20,10): mismatch there (exit {st})')

# Same bytes, other shape: a mismatch, not a match of reshaped rows.
st, out, _ = run(mixed, raw, H, W)
check(st == 1 and 'size differs' in out, f'{H}x{W} against a {W}x{H} PNG: size differs, exit 1 (got {st})')

# Bad input: exit 2 with a message.
good = encode(rows, [0])
ihdr_at = 8 + 8                       # IHDR body starts here
crc_broken = bytearray(good)
crc_broken[ihdr_at + 13] ^= 1          # first CRC byte
cases = {
    'not-a-png': b'GIF89a' + bytes(100),
    'crc-error': bytes(crc_broken),
    'interlaced': encode(rows, [0], interlace=1),
    '16-bit': encode(rows, [0], depth=16),
    'palette': encode(rows, [0], colour=3),
    'truncated': good[:len(good) // 2],
}
# Rows with filter type 5 (none exists), and image data 5 bytes short:
# built by hand.
data = b''.join(b'\x05' + bytes(v for px in row for v in px) for row in rows)
cases['filter-5'] = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 2, 0, 0, 0))
                     + chunk(b'IDAT', zlib.compress(data)) + chunk(b'IEND', b''))
cases['short-idat'] = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 2, 0, 0, 0))
                       + chunk(b'IDAT', zlib.compress(data[:-5])) + chunk(b'IEND', b''))
for name, png in cases.items():
    st, out, err = run(write(name + '.png', png), raw, W, H)
    check(st == 2 and err.startswith('png-compare: '), f'bad PNG {name}: exit 2 with a message (got {st}: {err.strip()})')
st, _, err = run(mixed, write('short.raw', raw_of(rows)[:-4]), W, H)
check(st == 2 and 'bytes, want' in err, f'raw frame one pixel short: exit 2 (got {st})')
st, _, err = run(mixed, os.path.join(WORK, 'missing.raw'), W, H)
check(st == 2, f'missing raw file: exit 2 (got {st})')
st, _, err = run(mixed, raw, 0, H)
check(st == 2, f'--width 0: exit 2 (got {st})')
p = subprocess.run([TOOL, mixed], capture_output=True, text=True)
check(p.returncode == 2, f'no RAW/--width/--height: exit 2 (got {p.returncode})')
p = subprocess.run([TOOL, '--help'], capture_output=True, text=True)
check(p.returncode == 0 and 'XRGB8888' in p.stdout, '--help: exit 0, says what it compares')

shutil.rmtree(WORK)
print(f'png-compare-test: {checks - failures} of {checks} checks passed')
sys.exit(1 if failures else 0)
