#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The bench's screendump service, end to end, in two short boots (after a
# build; `make screendump-test`):
#
#  1. kms-show-raw (tools/tests/, added to the guest for this boot) shows
#     the llvmpipe reference frame (gring-osmesa-frame, rendered on the
#     host) on the second virtio-gpu-pci -- the gring display, QOM id
#     gringgpu -- through the kernel's own virtio_gpu. `gring-screendump
#     t1` must bring back a PNG whose IHDR says 1280x800 (the first device,
#     never lit, would dump QEMU's 640x480 placeholder) and that equals the
#     frame pixel for pixel (tools/png-compare). A request naming a device
#     QEMU lacks must fail at once with QEMU's reason.
#  2. With the service off (GRING_VM_SCREENDUMP=0), a request must fail at
#     once with a message saying so, not wait for its timeout.
#
#   screendump-test.sh [TOOLS_VM]      (after tools/vm build)
# ok() always returns 0, so "A && ok || bad" is an if-then-else here;
# the guest scripts are single-quoted on purpose (they expand in the guest).
# shellcheck disable=SC2015,SC2016
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VM=${1:-$ROOT/tools/vm}
OUT=$ROOT/build/vm-shot-out
FRAME=$ROOT/build/vm-shot-frame.raw
SHOW=$ROOT/build/meson/tools/kms-show-raw
RENDER=$ROOT/build/meson/userspace/tools/gring-osmesa-frame
checks=0
failures=0

ok() { checks=$((checks + 1)); echo "ok   $*"; }
bad() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL $*"; }

# PNG signature, then the IHDR chunk (its CRC checked): "WxH" or an error.
png_size() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
if d[:8] != b'\x89PNG\r\n\x1a\n':
    sys.exit('not a PNG signature')
n, t = struct.unpack('>I4s', d[8:16])
if t != b'IHDR' or n != 13:
    sys.exit('first chunk is not a 13-byte IHDR')
if struct.unpack('>I', d[29:33])[0] != zlib.crc32(d[12:29]):
    sys.exit('IHDR CRC mismatch')
print('%dx%d' % struct.unpack('>II', d[16:24]))
PY
}

# Boot 1.  The frame stays up while kms-show-raw waits for a line on its
# stdin, a FIFO this shell holds open until the dumps are taken.
guest1='
set -u
gpu=$(for p in /sys/bus/pci/devices/*; do
	[ "$(cat $p/vendor):$(cat $p/device)" = 0x1af4:0x1050 ] && echo ${p##*/}
done | sed -n 2p)
card=$(ls -d /sys/bus/pci/devices/$gpu/drm/card* | head -n 1)
echo "gring display: $gpu, ${card##*/}"
mkfifo /tmp/hold
kms-show-raw /dev/dri/${card##*/} /frame.raw 1280 800 </tmp/hold >/tmp/show.log 2>&1 &
exec 3>/tmp/hold
i=0
while ! grep -q "^shown" /tmp/show.log && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
cat /tmp/show.log
# DIRTYFB returns before the device has the frame: give it time.
sleep 1
gring-screendump t1; echo "t1 exit $?"
gring-screendump --ppm t1; echo "t1.ppm exit $?"
s=$(date +%s)
gring-screendump --device nosuchgpu --timeout 20 t2; echo "t2 exit $? after $(($(date +%s) - s))s"
echo >&3; wait
'
rm -rf "$OUT" "$OUT-off" "$FRAME"
"$RENDER" --out "$FRAME" --width 1280 --height 800 >/dev/null ||
	{ echo "screendump-test: cannot render the frame (tools/vm build first?)"; exit 2; }
"$VM" --no-build run --out "$OUT" --add "$SHOW" --add "$FRAME:/frame.raw" -- \
	sh -c "$guest1" >"$OUT.1.log" 2>&1
st=$?
cat "$OUT.1.log"
[ $st = 0 ] && ok "boot 1 finished cleanly" || bad "boot 1: tools/vm exited $st"
grep -q '^/out/t1.png$' "$OUT.1.log" && grep -q '^t1 exit 0$' "$OUT.1.log" &&
	ok "gring-screendump t1 printed /out/t1.png and exited 0" ||
	bad "gring-screendump t1 did not print /out/t1.png with exit 0"
if [ -e "$OUT/t1.png" ]; then
	size=$(png_size "$OUT/t1.png" 2>&1)
	[ "$size" = 1280x800 ] && ok "t1.png IHDR says 1280x800" ||
		bad "t1.png: IHDR says '$size', want 1280x800"
	"$ROOT/tools/png-compare" "$OUT/t1.png" "$FRAME" --width 1280 --height 800 &&
		ok "t1.png equals the frame shown, pixel for pixel" ||
		bad "t1.png is not the frame shown (above)"
else
	bad "no $OUT/t1.png on the host"
fi
# The PPM: P6 header, then exactly the frame's pixels as R, G, B.
grep -q '^/out/t1.ppm$' "$OUT.1.log" && python3 - "$OUT/t1.ppm" "$FRAME" <<'PY'
import sys
ppm, raw = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
head = b'P6\n1280 800\n255\n'
rgb = bytearray(1280 * 800 * 3)
rgb[0::3], rgb[1::3], rgb[2::3] = raw[2::4], raw[1::4], raw[0::4]
sys.exit(0 if ppm == head + bytes(rgb) else 1)
PY
[ $? = 0 ] && ok "gring-screendump --ppm t1: a P6 1280x800 PPM of the same pixels" ||
	bad "gring-screendump --ppm t1: not a P6 1280x800 PPM of the frame"
grep -q "gring-screendump: QMP screendump of device 'nosuchgpu' failed: DeviceNotFound" "$OUT.1.log" &&
	grep -qE '^t2 exit 1 after [0-5]s$' "$OUT.1.log" &&
	ok "a missing device fails at once (exit 1) with QEMU's reason" ||
	bad "a request for device nosuchgpu did not fail at once with QEMU's reason"
[ ! -e "$OUT/t2.png" ] && ok "no t2.png" || bad "t2.png exists"

# Boot 2: the service off.
guest2='s=$(date +%s); gring-screendump --timeout 20 t3; echo "t3 exit $? after $(($(date +%s) - s))s"'
GRING_VM_SCREENDUMP=0 "$VM" --no-build run --out "$OUT-off" -- sh -c "$guest2" >"$OUT.2.log" 2>&1
st=$?
cat "$OUT.2.log"
[ $st = 0 ] && ok "boot 2 finished cleanly" || bad "boot 2: tools/vm exited $st"
grep -q 'gring-screendump: no screendump: the screendump service is off (GRING_VM_SCREENDUMP=0 on the host)' "$OUT.2.log" &&
	grep -qE '^t3 exit 1 after [0-5]s$' "$OUT.2.log" &&
	ok "with the service off a request fails at once (exit 1), saying so" ||
	bad "with the service off the request did not fail at once with a clear message"

# The helper must be gone with QEMU.
if pgrep -f "vm-screendump .*--out $OUT( |\$)" >/dev/null; then
	bad "tools/vm-screendump still running after the boots"
else
	ok "no tools/vm-screendump left running"
fi

echo "screendump-test: $((checks - failures)) of $checks checks passed"
[ $failures -eq 0 ]
