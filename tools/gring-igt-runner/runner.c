// SPDX-License-Identifier: MIT
/*
 * Result names and the list of tests in a run.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static const char *const result_names[RES_COUNT] = {
	[RES_NOTRUN] = "notrun",
	[RES_PASS] = "pass",
	[RES_SKIP] = "skip",
	[RES_FAIL] = "fail",
	[RES_CRASH] = "crash",
	[RES_TIMEOUT] = "timeout",
	[RES_ABORT] = "abort",
	[RES_DMESG_WARN] = "dmesg-warn",
	[RES_DMESG_FAIL] = "dmesg-fail",
	[RES_INCOMPLETE] = "incomplete",
	[RES_WARN] = "warn",
};

const char *result_name(enum result r)
{
	return r < RES_COUNT ? result_names[r] : "incomplete";
}

const char *note_name(enum note n)
{
	switch (n) {
	case NOTE_SKIPS_LIST:
		return "skips-list";
	case NOTE_EXPECTED_FAIL:
		return "expected-failure";
	case NOTE_UNEXPECTED_PASS:
		return "unexpected-pass";
	case NOTE_FLAKE:
		return "flake";
	case NOTE_NONE:
		break;
	}
	return NULL;
}

/* The results an expectation (fails.txt or flakes.txt) may excuse. */
bool result_is_failure(enum result r)
{
	switch (r) {
	case RES_FAIL:
	case RES_CRASH:
	case RES_TIMEOUT:
	case RES_DMESG_WARN:
	case RES_DMESG_FAIL:
		return true;
	default:
		return false;
	}
}

/* IGT's piglit names: lower case, cut at the first blank. */
static void append_lower(struct buf *b, const char *s)
{
	for (; *s && !isspace((unsigned char)*s); s++) {
		char c = (char)tolower((unsigned char)*s);

		buf_append(b, &c, 1);
	}
}

static char *group_name(const char *path)
{
	const char *base = strrchr(path, '/');
	struct buf b = { 0 };

	buf_puts(&b, "igt@");
	append_lower(&b, base ? base + 1 : path);
	return b.data;
}

/**
 * run_add_test() - append a test to @run.
 * @run: the run.
 * @path: the binary; must outlive @run.
 * @subtest: the subtest, or NULL for a binary without subtests.
 *
 * Return: the new test, named igt@BIN[@SUBTEST].
 */
struct test *run_add_test(struct run *run, const char *path,
			  const char *subtest)
{
	struct test *t;
	struct buf name = { 0 };

	run->tests = xreallocarray(run->tests, run->ntests + 1,
				   sizeof(*run->tests));
	t = &run->tests[run->ntests++];
	memset(t, 0, sizeof(*t));

	t->group = group_name(path);
	buf_puts(&name, t->group);
	if (subtest) {
		buf_puts(&name, "@");
		append_lower(&name, subtest);
		t->subtest = xstrdup(subtest);
	}
	t->name = name.data;
	t->path = path;
	t->listed = true;
	t->result = RES_NOTRUN;
	return t;
}

void test_free(struct test *t)
{
	free(t->name);
	free(t->group);
	free(t->subtest);
	buf_free(&t->out);
	buf_free(&t->err);
	buf_free(&t->dmesg);
	buf_free(&t->dmesg_warnings);
}

void run_free(struct run *run)
{
	size_t i;

	for (i = 0; i < run->ntests; i++)
		test_free(&run->tests[i]);
	free(run->tests);
	run->tests = NULL;
	run->ntests = 0;
}
