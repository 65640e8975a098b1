/* SPDX-License-Identifier: MIT */
/*
 * The run: every test it selected, what became of each, and the totals.
 */
#ifndef GRING_IGT_RUNNER_RUNNER_H
#define GRING_IGT_RUNNER_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* IGT's exit codes (igt_core.h). IGT has no timeout code: the runner decides. */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

/* The result strings of IGT's results.json, in its totals order. */
enum result {
	RES_NOTRUN,
	RES_PASS,
	RES_SKIP,
	RES_FAIL,
	RES_CRASH,
	RES_TIMEOUT,
	RES_ABORT,
	RES_DMESG_WARN,
	RES_DMESG_FAIL,
	RES_INCOMPLETE,
	RES_WARN,	/* never produced; kept so totals have IGT's keys */
	RES_COUNT
};

/* How an expectation list changed what a result counts as. */
enum note {
	NOTE_NONE,
	NOTE_SKIPS_LIST,	/* not run: matched DRIVER-skips.txt */
	NOTE_EXPECTED_FAIL,	/* failed as DRIVER-fails.txt says */
	NOTE_UNEXPECTED_PASS,	/* in DRIVER-fails.txt, but passed */
	NOTE_FLAKE,		/* failed, matched DRIVER-flakes.txt */
};

struct test {
	char *name;		/* igt@BIN or igt@BIN@SUBTEST */
	char *group;		/* igt@BIN: the key of totals and runtimes */
	const char *path;	/* the binary */
	char *subtest;		/* as the binary spells it; NULL: no subtests */
	bool listed;		/* false: listing failed, result already known */
	bool done;
	enum result result;
	enum note note;
	const char *expected_status;	/* DRIVER-fails.txt column, or NULL */
	const char *user;	/* under --user: who ran it; else NULL */
	double duration;
	struct buf out;
	struct buf err;
	struct buf dmesg;
	struct buf dmesg_warnings;
};

struct counts {
	size_t passed;
	size_t failed;
	size_t skipped;
	size_t expected_fails;
	size_t flakes;
};

struct run {
	struct test *tests;
	size_t ntests;
	const char *name;
	int argc;
	char **argv;
	double start;	/* wall clock */
	double end;
	struct counts counts;
};

const char *result_name(enum result r);
const char *note_name(enum note n);
bool result_is_failure(enum result r);

struct test *run_add_test(struct run *run, const char *path,
			  const char *subtest);
void test_free(struct test *t);
void run_free(struct run *run);

#endif
