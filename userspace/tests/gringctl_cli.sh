#!/bin/sh
# SPDX-License-Identifier: MIT
# gringctl's command-line contract: help exits 0 on stdout, bad usage
# exits 2 with a message on stderr, device errors exit 1. Needs no device.
set -u
gringctl=$1
fail=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect STATUS STREAM-THAT-MUST-BE-NON-EMPTY ARGS...
expect() {
	want=$1 stream=$2
	shift 2
	"$gringctl" "$@" >"$out" 2>"$err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: gringctl $*: exit $got, want $want" >&2
		cat "$err" >&2
		fail=1
	elif [ ! -s "$stream" ]; then
		echo "FAIL: gringctl $*: nothing printed" >&2
		fail=1
	else
		echo "ok: gringctl $* -> $got"
	fi
}

expect 0 "$out" --help
expect 0 "$out" -h
expect 0 "$out" --version
expect 0 "$out" help
expect 0 "$out" help info
expect 0 "$out" info --help
expect 0 "$out" info -h
expect 0 "$out" help demo
expect 0 "$out" demo --help
expect 0 "$out" demo -h
expect 2 "$err"
expect 2 "$err" frobnicate
expect 2 "$err" --bogus
expect 2 "$err" info --bogus
expect 2 "$err" info -x
expect 2 "$err" info extra
expect 2 "$err" info --device
expect 2 "$err" --device
expect 1 "$err" --device /dev/null info
expect 1 "$err" info --device /nonexistent
expect 1 "$err" info --json --device /dev/null
expect 2 "$err" demo --bogus
expect 2 "$err" demo extra
expect 2 "$err" demo --device
expect 1 "$err" demo --device /dev/null
expect 1 "$err" demo --json --device /nonexistent
expect 0 "$out" help present
expect 0 "$out" present --help
expect 2 "$err" present --bogus
expect 2 "$err" present extra
expect 2 "$err" present --pattern nosuch
expect 2 "$err" present --raw f.raw --width 1280
expect 2 "$err" present --raw f.raw --height 800
expect 2 "$err" present --width 1280 --height 800
expect 2 "$err" present --pattern bars --raw f.raw --width 8 --height 8
expect 2 "$err" present --raw f.raw --width 0 --height 8
expect 2 "$err" present --raw f.raw --width 16385 --height 8
expect 2 "$err" present --raw f.raw --width 12x --height 8
expect 2 "$err" present --scanout 16
expect 2 "$err" present --hold -1
expect 2 "$err" present --exec
expect 1 "$err" present --device /dev/null
expect 1 "$err" present --raw /nonexistent --width 1280 --height 800 --device /dev/null
expect 1 "$err" present --raw /nonexistent --device /dev/null

# --help lists every command, and each command's help names it.
"$gringctl" --help >"$out"
for c in info demo present; do
	grep -q "^  $c " "$out" || { echo "FAIL: gringctl --help does not list $c" >&2; fail=1; }
	"$gringctl" "$c" --help | grep -q "^Usage: gringctl $c " ||
		{ echo "FAIL: gringctl $c --help: no usage line" >&2; fail=1; }
done

if [ ! -e /dev/dri ]; then
	for c in info demo present; do
		expect 1 "$err" $c
		grep -q "no gring device found" "$err" || {
			echo "FAIL: gringctl $c: unexpected message: $(cat "$err")" >&2
			fail=1
		}
	done
fi
exit $fail
