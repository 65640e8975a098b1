#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Host test of the bench's pass/fail decision (`tools/vm check DIR`) on
# fabricated run directories: what programs print never fails a run, what
# the kernel logs always does, in both directions.
#
#   vm-check.sh TOOLS_VM
set -u
VM=${1:?usage: vm-check.sh TOOLS_VM}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vm-check.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
checks=0
failures=0

# A finished run: boot lines from the kernel (time-stamped), the command's
# output between the markers, its status, a clean dmesg and taint 12288.
mkrun() {
	local d=$WORK/$1
	mkdir -p "$d"
	{
		printf '[    0.000000] Linux version 6.12.0 (fake)\r\n'
		printf 'GRING-VM-BOOTED 6.12.0\r\n'
		printf 'GRING-VM-START\r\n'
	} >"$d/console.log"
	printf '[    0.000000] Linux version 6.12.0 (fake)\n' >"$d/dmesg.txt"
	echo 12288 >"$d/tainted"
	echo "$d"
}

finish() {
	printf 'GRING-VM-RC %s\r\nGRING-VM-END\r\n' "${2:-0}" >>"$1/console.log"
}

# expect NAME STATUS: tools/vm check on $WORK/NAME must exit STATUS.
expect() {
	local got
	"$VM" check "$WORK/$1" >"$WORK/$1.log" 2>&1
	got=$?
	checks=$((checks + 1))
	if [ "$got" = "$2" ]; then
		echo "ok   - $1: exit $got"
	else
		failures=$((failures + 1))
		echo "FAIL - $1: exit $got, want $2"
		sed 's/^/    | /' "$WORK/$1.log"
	fi
}

d=$(mkrun clean)
printf 'hello\r\n' >>"$d/console.log"
finish "$d"
expect clean 0

d=$(mkrun cmd-status)
finish "$d" 5
expect cmd-status 5

# A program printing the words, plain or in IGT's own log format.
d=$(mkrun user-prints)
printf 'WARNING: CPU: 0 PID: 1 at fake\r\nOops\r\nCall Trace:\r\n' >>"$d/console.log"
printf '(gring_gem:123) igt_kmod-WARNING: could not load i915\r\n' >>"$d/console.log"
printf 'BUG: not really\r\nKernel panic - not syncing: a story\r\n' >>"$d/console.log"
finish "$d"
expect user-prints 0

# The same words from the kernel, in dmesg.txt only.
d=$(mkrun dmesg-warning)
printf '[    5.123456] WARNING: CPU: 0 PID: 1 at fake\n' >>"$d/dmesg.txt"
finish "$d"
expect dmesg-warning 3

# ... on the console only (time-stamped), with dmesg clean.
d=$(mkrun console-warning)
printf '[    5.123456] WARNING: CPU: 0 PID: 1 at fake\r\n' >>"$d/console.log"
finish "$d"
expect console-warning 3

d=$(mkrun console-oops)
printf '[   12.5] Oops: general protection fault\r\n' >>"$d/console.log"
finish "$d"
expect console-oops 3

d=$(mkrun dmesg-calltrace)
printf '[    6.000001] Call Trace:\n' >>"$d/dmesg.txt"
finish "$d"
expect dmesg-calltrace 3

# A panic: no end marker, nothing reached /out.
d=$(mkrun panic)
printf '[    7.000000] Kernel panic - not syncing: fake\r\n' >>"$d/console.log"
rm "$d/dmesg.txt" "$d/tainted"
expect panic 3

d=$(mkrun no-dmesg)
finish "$d"
rm "$d/dmesg.txt"
expect no-dmesg 3

d=$(mkrun taint)
finish "$d"
echo 12800 >"$d/tainted"   # + W (512): a warning happened
expect taint 3

# KUnit taints N (262144): allowed only after gring's suites ran.
d=$(mkrun kunit-taint)
finish "$d"
printf '[    9.000000]     # Subtest: gring_core_view\n' >>"$d/dmesg.txt"
echo 274432 >"$d/tainted"
expect kunit-taint 0

d=$(mkrun test-taint-no-kunit)
finish "$d"
echo 274432 >"$d/tainted"  # N without gring's suites: some other test ran
expect test-taint-no-kunit 3

# --out: a directory the bench did not make is refused and left alone
# (before anything boots; --timeout 1 bounds a broken refusal).
mine=$WORK/mine
mkdir -p "$mine"
echo precious >"$mine/file"
"$VM" --no-build --timeout 1 run --out "$mine" -- true >"$WORK/out.log" 2>&1
got=$?
checks=$((checks + 1))
if [ "$got" = 2 ] && [ "$(cat "$mine/file")" = precious ] &&
	[ "$(ls -A "$mine")" = file ] && grep -q 'refusing' "$WORK/out.log"; then
	echo "ok   - --out refuses a non-empty directory it did not make"
else
	failures=$((failures + 1))
	echo "FAIL - --out on a user's directory: exit $got, now holds: $(ls -A "$mine")"
	sed 's/^/    | /' "$WORK/out.log"
fi

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
