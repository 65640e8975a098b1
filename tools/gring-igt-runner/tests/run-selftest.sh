#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Self-test of gring-igt-runner on fake IGT binaries (tests/fake_*.c), on the
# host: no gring device needed. results_check reads results.json back with
# json-c's parser.
#
#   run-selftest.sh RUNNER FAKE_DIR RESULTS_CHECK
#
# Prints one line per check and exits non-zero if any check failed.

# Helpers are called through check(), which shellcheck cannot follow.
# shellcheck disable=SC2317

set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 RUNNER FAKE_DIR RESULTS_CHECK" >&2
	exit 2
fi
RUNNER=$1
FAKES=$2
RCHECK=$3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/igt-runner-selftest.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

checks=0
failures=0

ok() {
	checks=$((checks + 1))
	echo "ok   - $1"
}

not_ok() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	echo "FAIL - $1"
}

# check DESCRIPTION COMMAND...: one check, passing if COMMAND succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# run NAME ARGS...: run the runner; keep stdout, stderr and exit status.
run() {
	name=$1
	shift
	"$RUNNER" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	echo $? >"$WORK/$name.rc"
}

between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
rc_is() { [ "$(cat "$WORK/$1.rc")" = "$2" ]; }
closing_is() { [ "$(tail -n 1 "$WORK/$1.out")" = "$2" ]; }
out_has() { grep -qF -- "$2" "$WORK/$1.out"; }
err_has() { grep -qF -- "$2" "$WORK/$1.err"; }

# no_fake_left: no process of this build's fake_hang is still alive. By
# executable, not by name: another build's self-test may be running its own
# fake_hang on the same machine at the same time.
no_fake_left() {
	local p exe
	exe=$(readlink -f "$H")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$exe" ] && return 1
	done
	return 0
}

# show NAME: the runner's output, for a failed check.
show() {
	sed 's/^/    | /' "$WORK/$1.out" "$WORK/$1.err"
}

# results.json checks: results_check (results_check.c) parses it with
# json-c (strict, UTF-8 validated), checks the shape IGT's igt_runner writes,
# then each "NAME=RESULT", "NAME:KEY=VALUE", "NAME:KEY~=TEXT",
# "NAME:KEY>=LEN", "tests=A,B" or "summary=P,F,S,X,K" given.
json_ok() {
	file=$1
	shift
	"$RCHECK" "$WORK/$file" "$@"
}

# secs10 FILE TEST: a test's duration, in tenths of a second (truncated).
secs10() {
	"$RCHECK" --secs10 "$WORK/$1" "$2"
}

B=$FAKES/fake_basic
H=$FAKES/fake_hang
S=$FAKES/fake_simple
A=$FAKES/fake_abort
D=$FAKES/fake_dmesg
X=$FAKES/fake_broken

# --- command line ----------------------------------------------------------

run help --help
check "--help exits 0 and prints usage" \
	eval "rc_is help 0 && out_has help 'Usage: gring-igt-runner [OPTIONS]'"

for bad in "" "--bogus $S" "--expectations $WORK $S" "--timeout 0 $S" \
	   "--filter ( $S" "$WORK/does-not-exist"; do
	# shellcheck disable=SC2086 # word splitting wanted
	run usage $bad
	check "usage error exits 2: '${bad:-no arguments}'" rc_is usage 2
done

run list --list "$FAKES"
check "--list names every test of a directory, sorted by binary" \
	eval "rc_is list 0 && [ \"\$(tr '\n' ' ' <'$WORK/list.out')\" = \
'igt@fake_abort@first igt@fake_abort@abort igt@fake_abort@after \
igt@fake_basic@pass igt@fake_basic@skip igt@fake_basic@fail igt@fake_basic@crash \
igt@fake_basic@invalid igt@fake_basic@exit-code igt@fake_basic@big-output \
igt@fake_basic@garbage igt@fake_broken igt@fake_dmesg@warn igt@fake_dmesg@fail-warn \
igt@fake_dmesg@splat-text igt@fake_dmesg@quiet igt@fake_dmesg@ignored \
igt@fake_dmesg@ignored-splat igt@fake_dmesg@after-ignored igt@fake_hang@sleep \
igt@fake_hang@ignore-term igt@fake_hang@leftover-child igt@fake_simple \
igt@fake_whoami@as-user igt@fake_whoami@as-root ' ]"

# --- every result ----------------------------------------------------------

run main --no-dmesg --timeout 1 --grace 1 --results "$WORK/main.json" "$B" "$H" "$S"
check "main run: closing line" closing_is main "5 passed, 6 failed, 1 skipped"
check "main run: exit status 1 (tests failed)" rc_is main 1
check "main run: one line per test" out_has main "[12/12] igt@fake_simple"
check "main run: failure output shown under the line" \
	out_has main "    Test assertion failure: fake: 1 == 2"
check "main run: results.json valid, results mapped" json_ok main.json \
	igt@fake_basic@pass=pass igt@fake_basic@skip=skip \
	igt@fake_basic@fail=fail igt@fake_basic@crash=crash \
	igt@fake_basic@invalid=fail igt@fake_basic@exit-code=fail \
	igt@fake_basic@big-output=pass igt@fake_basic@garbage=pass \
	igt@fake_hang@sleep=timeout igt@fake_hang@ignore-term=timeout \
	igt@fake_hang@leftover-child=pass igt@fake_simple=pass \
	summary=5,6,1,0,0
check "main run: 1 MiB of stdout and of stderr kept whole" json_ok main.json \
	"igt@fake_basic@big-output:out>=1048576" \
	"igt@fake_basic@big-output:err>=1048576"
check "main run: bad UTF-8, control bytes and NUL escaped" json_ok main.json \
	"igt@fake_basic@garbage:out~=bad utf-8: $(printf '\357\277\275\357\277\275') " \
	"igt@fake_basic@garbage:out~=ctl: $(printf '\001\033')[0m" \
	"igt@fake_basic@garbage:out~=ok utf-8: $(printf '\342\202\254')" \
	"igt@fake_basic@garbage:err~=nul:"
check "main run: crash and exit codes explained in err" json_ok main.json \
	"igt@fake_basic@crash:err~=killed by signal 11" \
	"igt@fake_basic@invalid:err~=IGT_EXIT_INVALID"
t=$(secs10 main.json igt@fake_hang@sleep)
check "timeout: SIGTERM at the limit (took ${t}/10 s, limit 1 s)" \
	between "$t" 10 18
t=$(secs10 main.json igt@fake_hang@ignore-term)
check "timeout: SIGKILL after the grace period (took ${t}/10 s, 1 + 1 s)" \
	between "$t" 20 39
t=$(secs10 main.json igt@fake_hang@leftover-child)
check "a child left holding stdout does not stall the runner (${t}/10 s)" \
	between "$t" 0 4
check "no test process outlives its test" no_fake_left

# --- abort, broken binaries, simple tests ---------------------------------

run abort --no-dmesg --results "$WORK/abort.json" "$A"
check "abort: closing line" closing_is abort "1 passed, 1 failed, 1 skipped"
check "abort: exit status 1" rc_is abort 1
check "abort: the run stops, the rest are notrun" json_ok abort.json \
	igt@fake_abort@first=pass igt@fake_abort@abort=abort \
	igt@fake_abort@after=notrun
check "abort: says how many did not run" out_has abort "1 test not run after the abort"

run broken --no-dmesg --results "$WORK/broken.json" "$X" "$S"
check "broken binary: a failed test, the run goes on" json_ok broken.json \
	igt@fake_broken=fail igt@fake_simple=pass \
	"igt@fake_broken:err~=--list-subtests was killed by signal 6"
check "broken binary: closing line" closing_is broken "1 passed, 1 failed, 0 skipped"

# --- filter ----------------------------------------------------------------

run filter --no-dmesg --filter '@(pass|skip)$' --results "$WORK/filter.json" "$FAKES"
check "filter: only matching tests run" json_ok filter.json \
	tests=igt@fake_basic@pass,igt@fake_basic@skip
check "filter: closing line and exit 0" \
	eval "closing_is filter '1 passed, 0 failed, 1 skipped' && rc_is filter 0"

run allskip --no-dmesg --filter 'fake_basic@skip$' --results "$WORK/allskip.json" "$B"
check "all skipped: exit 1, nothing was proven" \
	eval "closing_is allskip '0 passed, 0 failed, 1 skipped' && rc_is allskip 1"

# --- expectations ----------------------------------------------------------

mkdir "$WORK/xf"
cat >"$WORK/xf/gring-fails.txt" <<'EOF'
# drm-ci style: NAME,STATUS; with or without the igt@ prefix
igt@fake_basic@fail,Fail
fake_basic@crash,Crash

fake_basic@pass,Fail
EOF
cat >"$WORK/xf/gring-skips.txt" <<'EOF'
# regexes
fake_basic@(invalid|big-output)
EOF
echo 'exit-code$' >"$WORK/xf/gring-flakes.txt"

run expect --no-dmesg --expectations "$WORK/xf" --driver gring \
	--results "$WORK/expect.json" "$B"
check "expectations: closing line" closing_is expect "1 passed, 1 failed, 3 skipped"
check "expectations: expected failures and flakes counted apart" \
	out_has expect "2 expected failures, 1 flake (not counted as failed)"
check "expectations: unexpected pass fails the run" rc_is expect 1
check "expectations: recorded in results.json" json_ok expect.json \
	igt@fake_basic@fail=fail "igt@fake_basic@fail:expectation=expected-failure" \
	igt@fake_basic@crash=crash "igt@fake_basic@crash:expectation=expected-failure" \
	igt@fake_basic@pass=pass "igt@fake_basic@pass:expectation=unexpected-pass" \
	igt@fake_basic@invalid=notrun "igt@fake_basic@invalid:expectation=skips-list" \
	igt@fake_basic@big-output=notrun \
	igt@fake_basic@exit-code=fail "igt@fake_basic@exit-code:expectation=flake" \
	summary=1,1,3,2,1

grep -v '^fake_basic@pass' "$WORK/xf/gring-fails.txt" >"$WORK/xf/f" &&
	mv "$WORK/xf/f" "$WORK/xf/gring-fails.txt"
run expect2 --no-dmesg --expectations "$WORK/xf" --driver gring \
	--results "$WORK/expect2.json" "$B"
check "expectations: only expected failures left, exit 0" \
	eval "closing_is expect2 '2 passed, 0 failed, 3 skipped' && rc_is expect2 0"

# --- --user: tests as an ordinary user, DRIVER-root.txt ones as root ----------

W=$FAKES/fake_whoami
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	nobody="uid=$(id -u nobody) euid=$(id -u nobody) gid=$(id -g nobody) groups=$(id -G nobody | tr ' ' ',')"
	mkdir "$WORK/xr"
	printf '# regexes\nfake_whoami@as-root$\n' >"$WORK/xr/gring-root.txt"
	run user --no-dmesg --user nobody --expectations "$WORK/xr" \
		--driver gring --results "$WORK/user.json" "$W"
	check "--user: both pass" \
		eval "closing_is user '2 passed, 0 failed, 0 skipped' && rc_is user 0"
	check "--user: the user's ids and groups, root only for root.txt" \
		json_ok user.json \
		"igt@fake_whoami@as-user:out~=$nobody" \
		"igt@fake_whoami@as-user:user=nobody" \
		"igt@fake_whoami@as-root:out~=uid=0 euid=0 gid=0" \
		"igt@fake_whoami@as-root:user=root"
	run nouser --no-dmesg --results "$WORK/nouser.json" "$W"
	check "without --user: no user recorded" json_ok nouser.json \
		"igt@fake_whoami@as-user:user=None"
	run baduser --no-dmesg --user no-such-user-here "$W"
	check "--user with an unknown user: exit 2" \
		eval "rc_is baduser 2 && err_has baduser 'no-such-user-here'"
else
	echo "SKIP - --user checks: need root and a user 'nobody'"
fi

# --- results while running, and a stop request ------------------------------

"$RUNNER" --no-dmesg --timeout 30 --results "$WORK/live.json" \
	--filter 'sleep$' "$H" >"$WORK/live.out" 2>"$WORK/live.err" &
pid=$!
sleep 1
check "results.json is written before a test starts (incomplete)" \
	json_ok live.json igt@fake_hang@sleep=incomplete
kill -TERM "$pid"
wait "$pid"
echo $? >"$WORK/live.rc"
check "SIGTERM to the runner: test killed, exit 2" rc_is live 2
check "SIGTERM to the runner: results.json final" json_ok live.json \
	igt@fake_hang@sleep=incomplete "igt@fake_hang@sleep:err~=interrupted"
check "SIGTERM to the runner: no test process left" no_fake_left

# --- KUnit results (--ktap) --------------------------------------------------

# What /sys/kernel/debug/kunit/SUITE/results prints: one suite, written
# here by hand (a pass, a failure with its log, a skip), then a suite cut
# short (its plan says 3, it reported 1), then a file with no suite.
cat >"$WORK/view.ktap" <<'EOF'
KTAP version 1
1..1
    KTAP version 1
    # Subtest: fake_view
    1..3
    ok 1 give-take
    # double-give: EXPECTATION FAILED at core/tests/x.c:12
    Expected a == b, but
    not ok 2 double-give
    ok 3 needs-dma # SKIP no DMA here
ok 1 fake_view
EOF
cat >"$WORK/cut.ktap" <<'EOF'
KTAP version 1
1..1
    KTAP version 1
    # Subtest: fake_ring
    1..3
    ok 1 init
EOF
echo "not KTAP" >"$WORK/none.ktap"

run ktap --no-dmesg --results "$WORK/ktap.json" --ktap "$WORK/view.ktap" \
	--ktap "$WORK/cut.ktap" "$S"
check "ktap: cases are tests, first, named kunit@SUITE@CASE" json_ok ktap.json \
	tests=kunit@fake_view@give-take,kunit@fake_view@double-give,kunit@fake_view@needs-dma,kunit@fake_ring@init,kunit@fake_ring,igt@fake_simple \
	kunit@fake_view@give-take=pass kunit@fake_view@double-give=fail \
	kunit@fake_view@needs-dma=skip kunit@fake_ring@init=pass \
	kunit@fake_ring=incomplete igt@fake_simple=pass summary=3,2,1,0,0
check "ktap: a failed case's log is its output" json_ok ktap.json \
	"kunit@fake_view@double-give:out~=EXPECTATION FAILED at core/tests/x.c:12"
check "ktap: a suite cut short says so" json_ok ktap.json \
	"kunit@fake_ring:err~=announced 3 cases, reported 1"
check "ktap: counted in the closing line, exit 1" \
	eval "closing_is ktap '3 passed, 2 failed, 1 skipped' && rc_is ktap 1"
check "ktap: shown like a test, failure output under it" \
	out_has ktap "    Expected a == b, but"

run ktaponly --no-dmesg --results "$WORK/ktaponly.json" --filter 'give-take' \
	--ktap "$WORK/view.ktap"
check "ktap: alone, no binary; --filter applies" \
	eval "closing_is ktaponly '1 passed, 0 failed, 0 skipped' && rc_is ktaponly 0"

run ktapnone --no-dmesg --results "$WORK/ktapnone.json" --ktap "$WORK/none.ktap"
check "ktap: a file with no suite is a failed test" \
	eval "closing_is ktapnone '0 passed, 1 failed, 0 skipped' && rc_is ktapnone 1"
run ktapmissing --no-dmesg --ktap "$WORK/does-not-exist.ktap"
check "ktap: an unreadable file is a runner error (exit 2)" rc_is ktapmissing 2

# --- kernel log --------------------------------------------------------------

run dmesg --timeout 5 --results "$WORK/dmesg.json" "$D"
if rc_is dmesg 2 && err_has dmesg "cannot read /dev/kmsg"; then
	ok "unreadable /dev/kmsg without --no-dmesg is a runner error (exit 2)"
	echo "SKIP - dmesg-warn check: /dev/kmsg is not readable here"
elif grep -q 'cannot [a-z ]*/dev/kmsg' "$WORK/dmesg.json"; then
	echo "SKIP - dmesg-warn check: /dev/kmsg is not writable here" \
	     "(the fake test could not log)"
else
	check "dmesg: warnings turn pass/fail into dmesg-warn/dmesg-fail" \
		json_ok dmesg.json \
		igt@fake_dmesg@warn=dmesg-warn \
		igt@fake_dmesg@fail-warn=dmesg-fail \
		igt@fake_dmesg@splat-text=dmesg-warn \
		igt@fake_dmesg@quiet=pass \
		igt@fake_dmesg@ignored=pass \
		igt@fake_dmesg@ignored-splat=dmesg-warn \
		igt@fake_dmesg@after-ignored=dmesg-warn \
		"igt@fake_dmesg@warn:dmesg-warnings~=gring-selftest: WARNING: fake warning" \
		"igt@fake_dmesg@quiet:dmesg~=gring-selftest: just information" \
		"igt@fake_dmesg@ignored:dmesg~=gring-selftest: expected error"
	check "dmesg: closing line" closing_is dmesg "2 passed, 5 failed, 0 skipped"
	check "dmesg: the offending record is shown" \
		out_has dmesg "gring-selftest: WARNING: fake warning"
fi

echo "$checks checks, $failures failed"
if [ "$failures" -ne 0 ]; then
	for name in main abort broken filter expect expect2 live ktap dmesg; do
		[ -f "$WORK/$name.out" ] || continue
		echo "--- $name"
		show "$name"
	done
	exit 1
fi
exit 0
