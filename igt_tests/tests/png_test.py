#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gring_png against PNGs written here, with an encoder of this script's
own: every filter type (0-4) on rows of one image and one filter for a
whole image, RGB and RGBA, odd sizes, IDAT split over several chunks; and
malformed files (bad CRC, truncated, 16-bit, interlaced, palette) that
must be refused.  Usage: png_test.py PATH/TO/png_check"""
import os
import random
import struct
import subprocess
import sys
import tempfile
import zlib


def chunk(kind, body):
    return (struct.pack('>I', len(body)) + kind + body +
            struct.pack('>I', zlib.crc32(kind + body)))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filtered(rows, bpp, pick):
    """Rows of bytes -> the filtered stream; pick(y) is row y's filter."""
    out = bytearray()
    prev = bytes(len(rows[0]))
    for y, row in enumerate(rows):
        f = pick(y)
        out.append(f)
        for x, v in enumerate(row):
            a = row[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][f]
            out.append((v - pred) & 0xff)
        prev = row
    return bytes(out)


def png(w, h, bpp, rows, pick, idat_split=3, depth=8, ctype=None,
        interlace=0):
    ctype = ctype if ctype is not None else (2 if bpp == 3 else 6)
    data = zlib.compress(filtered(rows, bpp, pick))
    step = max(1, len(data) // idat_split)
    idats = b''.join(chunk(b'IDAT', data[i:i + step])
                     for i in range(0, len(data), step))
    ihdr = struct.pack('>IIBBBBB', w, h, depth, ctype, 0, 0, interlace)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
            chunk(b'tEXt', b'Software\0png_test') + idats +
            chunk(b'IEND', b''))


def main():
    check = sys.argv[1]
    rnd = random.Random(12)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        def run(args, what):
            nonlocal failures
            r = subprocess.run([check] + args, capture_output=True, text=True)
            if r.returncode:
                failures += 1
                print('FAIL %s: %s' % (what, r.stderr.strip()))
            else:
                print('ok   %s' % what)

        cases = []
        for w, h, bpp in ((1, 1, 3), (7, 5, 3), (33, 17, 4), (64, 9, 3)):
            # Smooth rows make the predictors matter; noise rows too.
            rows = [bytes(((x * 3 + y * 5) & 0xff) if y % 2 else
                          rnd.randrange(256) for x in range(w * bpp))
                    for y in range(h)]
            cases.append(('%dx%d bpp %d, filters cycling' % (w, h, bpp),
                          w, h, bpp, rows, lambda y: y % 5))
            for f in range(5):
                cases.append(('%dx%d bpp %d, filter %d' % (w, h, bpp, f),
                              w, h, bpp, rows, lambda y, f=f: f))
        for i, (what, w, h, bpp, rows, pick) in enumerate(cases):
            p = os.path.join(tmp, '%d.png' % i)
            raw = os.path.join(tmp, '%d.raw' % i)
            with open(p, 'wb') as f:
                f.write(png(w, h, bpp, rows, pick))
            with open(raw, 'wb') as f:
                f.write(b''.join(rows))
            run([p, str(w), str(h), str(bpp), raw], what)

        rows = [bytes(range(12)) for _ in range(4)]
        good = png(4, 4, 3, rows, lambda y: 1)
        bad = {
            'bad CRC': good[:30] + bytes([good[30] ^ 1]) + good[31:],
            'truncated': good[:len(good) - 20],
            'no IEND': good[:-12],
            'not a PNG': b'GIF89a' + good[6:],
            '16-bit': png(4, 4, 3, rows, lambda y: 0, depth=16),
            'palette': png(4, 4, 3, rows, lambda y: 0, ctype=3),
            'interlaced': png(4, 4, 3, rows, lambda y: 0, interlace=1),
        }
        # Filter byte 5 on row 0: recompress by hand.
        stream = bytearray(filtered(rows, 3, lambda y: 0))
        stream[0] = 5
        ihdr = struct.pack('>IIBBBBB', 4, 4, 8, 2, 0, 0, 0)
        bad['filter type 5'] = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
                                chunk(b'IDAT', zlib.compress(bytes(stream))) +
                                chunk(b'IEND', b''))
        for what, data in bad.items():
            p = os.path.join(tmp, 'bad.png')
            with open(p, 'wb') as f:
                f.write(data)
            run(['--refuse', p], 'refused: ' + what)
    print('%d failure(s)' % failures)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
