// SPDX-License-Identifier: MIT
/*
 * One test, one process: `BIN --run-subtest NAME`, or plain `BIN` for a
 * binary without subtests, as IGT's runner does in its default mode.
 *
 * Exit status to result:
 *
 *   0   IGT_EXIT_SUCCESS  pass
 *   77  IGT_EXIT_SKIP     skip
 *   98  IGT_EXIT_FAILURE  fail
 *   112 IGT_EXIT_ABORT    abort, and the run stops: the rest are notrun
 *   79  IGT_EXIT_INVALID  fail (the binary listed a subtest it then did not
 *                         know; IGT's runner calls this skip, which would
 *                         hide a broken test)
 *   other exit status     fail
 *   killed by a signal    crash
 *   killed at the limit   timeout (also when the SIGTERM made it exit)
 *
 * Then the kernel log: a record at KERN_WARNING or worse, or one that reads
 * like a splat (see kmsg.c), turns pass into dmesg-warn and fail into
 * dmesg-fail, as IGT does. A test's dmesg is everything logged since the
 * previous test ended: nothing is lost, and a late splat from the previous
 * test's teardown lands on the next one, as with IGT's runner.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "execute.h"
#include "proc.h"

static enum result exit_result(int code)
{
	switch (code) {
	case IGT_EXIT_SUCCESS:
		return RES_PASS;
	case IGT_EXIT_SKIP:
		return RES_SKIP;
	case IGT_EXIT_ABORT:
		return RES_ABORT;
	case IGT_EXIT_FAILURE:
	case IGT_EXIT_INVALID:
	default:
		return RES_FAIL;
	}
}

static enum result proc_result_of(const struct proc_result *res)
{
	if (res->interrupted)
		return RES_INCOMPLETE;
	if (res->timed_out || res->abandoned)
		return RES_TIMEOUT;
	if (WIFSIGNALED(res->status))
		return RES_CRASH;
	return exit_result(WEXITSTATUS(res->status));
}

/* What the runner saw that the test's own output may not say. */
static void add_runner_note(struct test *t, const struct proc_result *res)
{
	int code = WIFEXITED(res->status) ? WEXITSTATUS(res->status) : -1;
	bool plain = !res->interrupted && !res->timed_out && !res->abandoned &&
		     (code == IGT_EXIT_SUCCESS || code == IGT_EXIT_SKIP ||
		      code == IGT_EXIT_FAILURE);

	if (plain)
		return;

	if (t->err.len && t->err.data[t->err.len - 1] != '\n')
		buf_puts(&t->err, "\n");
	buf_puts(&t->err, PROG_NAME ": the test ");
	proc_describe(res, &t->err);
	if (!res->interrupted && !res->timed_out && !res->abandoned) {
		if (code == IGT_EXIT_INVALID)
			buf_puts(&t->err, " (IGT_EXIT_INVALID: subtest unknown or bad arguments)");
		else if (code == IGT_EXIT_ABORT)
			buf_puts(&t->err, " (IGT_EXIT_ABORT: the run stops here)");
	}
	buf_puts(&t->err, "\n");
}

static void apply_dmesg(struct test *t)
{
	if (!t->dmesg_warnings.len)
		return;
	if (t->result == RES_PASS)
		t->result = RES_DMESG_WARN;
	else if (t->result == RES_FAIL)
		t->result = RES_DMESG_FAIL;
}

static int collect_dmesg(struct test *t, struct kmsg *k)
{
	int ret;

	if (!k)
		return 0;
	ret = kmsg_collect(k, &t->dmesg, &t->dmesg_warnings);
	if (ret)
		errmsg("reading /dev/kmsg: %s", strerror(-ret));
	return ret;
}

/**
 * execute_test() - run @t and record its result, output and kernel log.
 * @t: the test.
 * @o: limits and the kernel log reader.
 * @as: the user to run it as, or NULL for the runner's own.
 * @stop_why: set when the run must not go on (abort, an unkillable test,
 *	a stop signal): why the remaining tests are not run.
 *
 * Return: 0, or a negative errno for a failure of the runner itself.
 */
int execute_test(struct test *t, const struct exec_opts *o,
		 const struct proc_user *as, const char **stop_why)
{
	char *argv[] = { (char *)t->path, NULL, NULL, NULL };
	struct proc_result res;
	int ret;

	if (t->subtest) {
		argv[1] = "--run-subtest";
		argv[2] = t->subtest;
	}

	ret = proc_run(argv, o->timeout, o->grace, as, &res);
	if (ret) {
		errmsg("running %s: %s", t->name, strerror(-ret));
		return ret;
	}

	t->out = res.out;
	t->err = res.err;
	t->duration = res.duration;
	t->result = proc_result_of(&res);
	t->done = true;
	add_runner_note(t, &res);

	ret = collect_dmesg(t, o->kmsg);
	apply_dmesg(t);

	if (res.interrupted)
		*stop_why = "(interrupted)";
	else if (res.abandoned)
		*stop_why = "after a test that could not be killed";
	else if (t->result == RES_ABORT)
		*stop_why = "after the abort";
	return ret;
}

/**
 * apply_expectations() - note how DRIVER-fails/flakes.txt judge @t.
 * @t: a test that ran.
 * @e: the expectations, or NULL.
 *
 * Listed in fails.txt: any failing result (fail, crash, timeout,
 * dmesg-warn, dmesg-fail) is an expected failure, and a pass is an
 * unexpected pass, which counts as a failure so the list gets updated (as
 * drm-ci does). Matched by flakes.txt: a failing result is a flake. Abort
 * and incomplete are never excused. The result itself is left as it was.
 */
void apply_expectations(struct test *t, const struct expectations *e)
{
	const char *status;

	if (!e)
		return;

	status = expect_fail_status(e, t->name);
	if (status) {
		t->expected_status = status;
		if (t->result == RES_PASS)
			t->note = NOTE_UNEXPECTED_PASS;
		else if (result_is_failure(t->result))
			t->note = NOTE_EXPECTED_FAIL;
		return;
	}
	if (result_is_failure(t->result) && expect_flake(e, t->name))
		t->note = NOTE_FLAKE;
}
