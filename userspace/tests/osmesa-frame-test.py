#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Host test of gring-osmesa-frame (llvmpipe through OSMesa, on the host).

Every pixel whose centre lies at least MARGIN pixels inside one shape of
the scene (or outside all of them) is checked against the colour this
test expects there, from its own copy of the scene's geometry: flat
triangles and the background exactly, the gradient band within 2 of the
linear ramp.  Pixels near an edge are left out (rasterisation rules), but
at least 80% of the frame must be checked.  Also: the byte order (B, G, R,
X = 0xff), row 0 at the top (the red triangle's right angle is top-left),
identical bytes on a second run, --stride, --json and bad usage.

    osmesa-frame-test.py GRING_OSMESA_FRAME
"""

import json
import os
import subprocess
import sys
import tempfile

TOOL = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix='osmesa-frame-test.')
MARGIN = 1.5
checks = 0
failures = 0

BACKGROUND = (0x18, 0x20, 0x30)
# (vertices as fractions of the frame, y down), colour: the scene.
TRIANGLES = [
    (((0.05, 0.05), (0.40, 0.05), (0.05, 0.55)), (230, 40, 40)),
    (((0.50, 0.05), (0.70, 0.55), (0.30, 0.55)), (40, 200, 80)),
    (((0.95, 0.05), (0.95, 0.55), (0.75, 0.55)), (60, 90, 230)),
]
BAND = (0.05, 0.62, 0.95, 0.92)          # x0, y0, x1, y1
BAND_LEFT, BAND_RIGHT = (255, 128, 0), (0, 128, 255)


def check(cond, what):
    global checks, failures
    checks += 1
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures += 1


def render(w, h, *extra):
    path = os.path.join(WORK, f'{w}x{h}{"".join(extra)}.raw')
    p = subprocess.run([TOOL, '--out', path, '--width', str(w), '--height', str(h), *extra],
                       capture_output=True, text=True, timeout=300)
    data = open(path, 'rb').read() if p.returncode == 0 else b''
    return p, data


def edge_distance(p, a, b):
    """Signed distance of p from line a->b (positive on the left, y down)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    ex, ey = bx - ax, by - ay
    return ((px - ax) * ey - (py - ay) * ex) / (ex * ex + ey * ey) ** 0.5


def classify(cx, cy, w, h):
    """What covers pixel centre (cx, cy): a colour, 'band', or None (too near an edge)."""
    for verts, colour in TRIANGLES:
        pts = [(x * w, y * h) for x, y in verts]
        d = [edge_distance((cx, cy), pts[i], pts[(i + 1) % 3]) for i in range(3)]
        # Same sign on all three edges: inside, whatever the winding.
        if all(v >= MARGIN for v in d) or all(v <= -MARGIN for v in d):
            return colour
        if not (all(v >= -MARGIN for v in d) or all(v <= MARGIN for v in d)):
            continue            # clearly outside this one
        return None             # near one of its edges
    x0, y0, x1, y1 = BAND[0] * w, BAND[1] * h, BAND[2] * w, BAND[3] * h
    if x0 + MARGIN <= cx <= x1 - MARGIN and y0 + MARGIN <= cy <= y1 - MARGIN:
        return 'band'
    if x0 - MARGIN < cx < x1 + MARGIN and y0 - MARGIN < cy < y1 + MARGIN:
        return None
    return BACKGROUND


def verify(data, w, h, step=1, stride=None):
    stride = stride or w * 4
    checked = bad = 0
    first = []
    for y in range(0, h, step):
        for x in range(0, w, step):
            want = classify(x + 0.5, y + 0.5, w, h)
            if want is None:
                continue
            o = y * stride + x * 4
            got = (data[o + 2], data[o + 1], data[o])
            if want == 'band':
                t = (x + 0.5 - BAND[0] * w) / ((BAND[2] - BAND[0]) * w)
                exp = tuple(l + (r - l) * t for l, r in zip(BAND_LEFT, BAND_RIGHT))
                ok = all(abs(g - e) <= 2 for g, e in zip(got, exp))
            else:
                ok = got == want
            checked += 1
            if not ok:
                bad += 1
                if len(first) < 5:
                    first.append((x, y, got, want))
    total = len(range(0, h, step)) * len(range(0, w, step))
    return checked, total, bad, first


for w, h, step in ((160, 100, 1), (1280, 800, 5)):
    p, data = render(w, h)
    check(p.returncode == 0 and len(data) == w * h * 4,
          f'{w}x{h}: exit 0, {w * h * 4} bytes (got {p.returncode}, {len(data)}; {p.stderr.strip()})')
    if not data:
        continue
    check(set(data[3::4]) == {0xff}, f'{w}x{h}: every X byte is 0xff')
    checked, total, bad, first = verify(data, w, h, step)
    check(checked >= 0.8 * total and bad == 0,
          f'{w}x{h}: {checked} of {total} sampled pixels checked against the scene, {bad} wrong {first}')
    # Row 0 at the top, bytes B, G, R, X: red's right angle is top-left.
    x, y = int(0.07 * w), int(0.07 * h)
    o = (y * w + x) * 4
    check(data[o:o + 4] == bytes((40, 40, 230, 255)),
          f'{w}x{h}: pixel ({x},{y}) near the top-left is bytes 28 28 e6 ff (red) (got {data[o:o + 4].hex()})')
    y = h - 1 - y
    o = (y * w + x) * 4
    check(data[o:o + 3] == bytes(BACKGROUND[::-1]),
          f'{w}x{h}: its mirror ({x},{y}) near the bottom-left is background (got {data[o:o + 4].hex()})')
    p2, data2 = render(w, h, '--json')
    check(data2 == data, f'{w}x{h}: a second run gives the same bytes')
    if p2.returncode == 0:
        j = json.loads(p2.stdout)
        check(j['width'] == w and j['height'] == h and j['bytes'] == w * h * 4 and
              j['renderer'].startswith('llvmpipe'),
              f'{w}x{h} --json: size, bytes and an llvmpipe renderer ({j.get("renderer")})')

# A stride wider than a row: the same pixels, zero padding.
w, h, stride = 160, 100, 160 * 4 + 36
_, plain = render(w, h)
p, padded = render(w, h, '--stride', str(stride))
rows_ok = len(padded) == stride * h and all(
    padded[y * stride:y * stride + w * 4] == plain[y * w * 4:(y + 1) * w * 4] and
    padded[y * stride + w * 4:(y + 1) * stride] == bytes(stride - w * 4) for y in range(h))
check(p.returncode == 0 and rows_ok, f'--stride {stride}: same rows, zero padding')

for args, what in ((['--width', '0', '--height', '10', '--out', 'x'], '--width 0'),
                   (['--width', '10', '--height', '10'], 'no --out'),
                   (['--width', '10', '--height', '10', '--out', 'x', '--stride', '39'], '--stride below W*4'),
                   (['--width', '10', '--height', '10', '--out', 'x', '--stride', '42'], '--stride not a multiple of 4'),
                   (['--width', '20000', '--height', '10', '--out', 'x'], '--width 20000'),
                   (['--bogus'], 'unknown option')):
    p = subprocess.run([TOOL, *args], capture_output=True, text=True, cwd=WORK)
    check(p.returncode == 2 and not os.path.exists(os.path.join(WORK, 'x')),
          f'{what}: exit 2, nothing written (got {p.returncode})')
p = subprocess.run([TOOL, '--help'], capture_output=True, text=True)
check(p.returncode == 0 and 'XRGB8888' in p.stdout, '--help: exit 0')

subprocess.run(['rm', '-rf', WORK])
print(f'osmesa-frame-test: {checks - failures} of {checks} checks passed')
sys.exit(1 if failures else 0)
