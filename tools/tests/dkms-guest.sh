#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The guest half of tools/tests/dkms-test.sh (busybox sh, as root), run
# from /opt/dkms/, which holds gring_third.ko and modules.sha256 (the DKMS
# builds' checksums at the paths vm-init loaded gring_core.ko and gring.ko
# from).  Each step prints "ok" or "FAIL"; all of them go to
# /out/dkms-test.json with the verdict, and the last line is
# "dkms-guest: PASS ..." or "dkms-guest: FAIL ...", with exit status 0 or 1.
# Every step runs even after a failure, so the modules are unloaded anyway.
d=$(dirname "$0")
expect=/usr/share/gring/igt
n=0
failed=0
steps=

# step NAME CMD...: run CMD, record NAME's result; its output is shown on
# failure (and on success when it prints what the step proved).
step() {
	name=$1
	shift
	n=$((n + 1))
	if "$@" >/tmp/step.log 2>&1; then
		r=pass
		echo "ok   - $name"
		sed 's/^/       /' /tmp/step.log
	else
		r=fail
		failed=$((failed + 1))
		echo "FAIL - $name"
		sed 's/^/       /' /tmp/step.log
	fi
	steps="$steps${steps:+,
}    {\"name\": \"$name\", \"result\": \"$r\"}"
}

loaded() { grep -q "^$1 " /proc/modules; }

dkms_modules() {
	sha256sum -c "$d/modules.sha256" && loaded gring_core && loaded gring
}

holders() {
	# shellcheck disable=SC2012 # module names are plain words
	echo "holders of gring_core: $(ls /sys/module/gring_core/holders | tr '\n' ' ')"
	for m in "$@"; do
		[ -e "/sys/module/gring_core/holders/$m" ] || return 1
	done
}

third_pass() {
	# Its one line; the load fails on any failure, so both must agree.
	dmesg | grep 'gring_third: ' | tail -n 1
	dmesg | grep -q 'gring_third: PASS: ' &&
		! dmesg | grep -q 'gring_third: FAIL'
}

igt() {
	gring-igt-runner --timeout 60 --results /out/dkms-igt.json \
		--expectations "$expect" --driver gring --user gring \
		/usr/libexec/gring/igt >/tmp/igt.log 2>&1
	rc=$?
	tail -n 1 /tmp/igt.log
	[ $rc = 0 ] || { cat /tmp/igt.log; return 1; }
	# A skipped subtest proves nothing here either.
	tail -n 1 /tmp/igt.log | grep -q ', 0 skipped$'
}

# Files and fences hold gring for a moment after the tests close them.
rmmod_gring() {
	i=0
	while ! rmmod gring 2>/dev/null && [ $i -lt 50 ]; do
		i=$((i + 1))
		sleep 0.2
	done
	! loaded gring
}

rmmod_core() { rmmod gring_core && ! loaded gring_core; }

step "gring_core and gring are loaded from DKMS's builds (sha256)" dkms_modules
step "gring_core's holders list gring" holders gring
step "insmod gring_third.ko next to gring.ko" insmod "$d/gring_third.ko"
step "gring_third's line says PASS" third_pass
step "gring_core's holders list gring_third and gring" holders gring_third gring
step "every IGT subtest on DKMS's gring_core.ko and gring.ko (as user gring)" igt
step "rmmod gring_third: gone, and no longer a holder" \
	sh -c "rmmod gring_third && ! grep -q '^gring_third ' /proc/modules && [ ! -e /sys/module/gring_core/holders/gring_third ]"
step "rmmod gring" rmmod_gring
# The tree's samples/gring_edu, which tools/vm-init loaded on the core too.
step "rmmod gring_edu" sh -c "rmmod gring_edu && ! grep -q '^gring_edu ' /proc/modules"
step "rmmod gring_core" rmmod_core

verdict=PASS
[ $failed = 0 ] || verdict=FAIL
cat >/out/dkms-test.json <<EOF
{
  "kernel": "$(uname -r)",
  "steps": [
$steps
  ],
  "passed": $((n - failed)),
  "failed": $failed,
  "verdict": "$verdict"
}
EOF
echo "dkms-guest: $verdict ($((n - failed)) of $n steps passed)"
[ $failed = 0 ]
