// SPDX-License-Identifier: MIT
/*
 * Console report.
 *
 *   [ 3/17] igt@gring_gem@create-zero-size     pass          0.012s
 *   [ 4/17] igt@gring_gem@mmap-bad-offset      fail          0.020s
 *       (last lines of the test's stderr without IGT's DEBUG dump, or of
 *       stdout for a skip, where IGT writes the unmet requirement; then
 *       the kernel log records that made it dmesg-warn or dmesg-fail)
 *   ...
 *   12 passed, 1 failed, 4 skipped
 *
 * The closing line is always the last line the runner prints, and always
 * has all three parts. Counted as failed: fail, crash, timeout, abort,
 * dmesg-warn, dmesg-fail, incomplete, and an unexpected pass. Counted as
 * skipped: skip and notrun. Expected failures and flakes are counted
 * apart, on a line of their own just before the closing line.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

#define NAME_WIDTH_MAX	64
#define TAIL_LINES	10
#define TAIL_BYTES	2000
#define TAIL_INDENT	"    "

/* IGT dumps its debug log to stderr between these lines when a test fails. */
#define IGT_DEBUG_BEGIN	"**** DEBUG ****"
#define IGT_DEBUG_END	"****  END  ****"

/**
 * count_test() - add a finished (or never run) test to the counts.
 * @c: the counts.
 * @t: the test.
 */
void count_test(struct counts *c, const struct test *t)
{
	switch (t->note) {
	case NOTE_SKIPS_LIST:
		c->skipped++;
		return;
	case NOTE_EXPECTED_FAIL:
		c->expected_fails++;
		return;
	case NOTE_FLAKE:
		c->flakes++;
		return;
	case NOTE_UNEXPECTED_PASS:
		c->failed++;
		return;
	case NOTE_NONE:
		break;
	}

	switch (t->result) {
	case RES_PASS:
		c->passed++;
		break;
	case RES_SKIP:
	case RES_NOTRUN:
		c->skipped++;
		break;
	default:
		c->failed++;
		break;
	}
}

static int name_width(const struct run *run)
{
	size_t i, w = 0;

	for (i = 0; i < run->ntests; i++)
		if (strlen(run->tests[i].name) > w)
			w = strlen(run->tests[i].name);
	return (int)(w > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : w);
}

static int digits(size_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Print the last lines of @b, indented; "..." if some were left out. */
static void print_tail(const struct buf *b)
{
	size_t end = b->len, start, lines = 0;

	while (end && (b->data[end - 1] == '\n' || b->data[end - 1] == '\r'))
		end--;
	if (!end)
		return;

	start = end;
	while (start && end - start < TAIL_BYTES) {
		if (b->data[start - 1] == '\n' && ++lines == TAIL_LINES)
			break;
		start--;
	}
	if (start)
		printf(TAIL_INDENT "...\n");

	while (start < end) {
		const char *nl = memchr(b->data + start, '\n', end - start);
		size_t len = nl ? (size_t)(nl - (b->data + start)) : end - start;

		fputs(TAIL_INDENT, stdout);
		fwrite(b->data + start, 1, len, stdout);
		fputc('\n', stdout);
		start += len + 1;
	}
}

/* @err without IGT's debug dump: what a person wants to see first. */
static void strip_debug_dump(const struct buf *err, struct buf *out)
{
	size_t pos = 0;
	bool in_dump = false;

	while (pos < err->len) {
		const char *line = err->data + pos;
		const char *nl = memchr(line, '\n', err->len - pos);
		size_t len = nl ? (size_t)(nl - line) + 1 : err->len - pos;

		if (!strncmp(line, IGT_DEBUG_BEGIN, strlen(IGT_DEBUG_BEGIN)))
			in_dump = true;
		else if (!strncmp(line, IGT_DEBUG_END, strlen(IGT_DEBUG_END)))
			in_dump = false;
		else if (!in_dump)
			buf_append(out, line, len);
		pos += len;
	}
}

static void print_output(const struct test *t)
{
	struct buf err = { 0 };

	if (t->result == RES_SKIP && t->out.len) {
		print_tail(&t->out);
		return;
	}
	strip_debug_dump(&t->err, &err);
	print_tail(err.len ? &err : &t->out);
	buf_free(&err);
}

static void print_note(const struct test *t)
{
	switch (t->note) {
	case NOTE_SKIPS_LIST:
		printf("  (skips list)");
		break;
	case NOTE_EXPECTED_FAIL:
		printf("  (expected failure: listed as %s)", t->expected_status);
		break;
	case NOTE_UNEXPECTED_PASS:
		printf("  (unexpected pass: listed as %s)", t->expected_status);
		break;
	case NOTE_FLAKE:
		printf("  (flake)");
		break;
	case NOTE_NONE:
		break;
	}
}

/**
 * report_test() - print the line of test @index, and its output's tail if
 * it did not pass.
 * @run: the run.
 * @index: which test.
 */
void report_test(const struct run *run, size_t index)
{
	const struct test *t = &run->tests[index];

	printf("[%*zu/%zu] %-*s %-10s %8.3fs", digits(run->ntests), index + 1,
	       run->ntests, name_width(run), t->name, result_name(t->result),
	       t->duration);
	print_note(t);
	putchar('\n');

	if (t->result == RES_PASS || t->result == RES_NOTRUN)
		return;
	print_output(t);
	if (t->dmesg_warnings.len) {
		printf(TAIL_INDENT "kernel log:\n");
		print_tail(&t->dmesg_warnings);
	}
}

/**
 * report_not_run() - say how many tests were left out, and why.
 * @n: how many.
 * @why: the reason, e.g. "after the abort".
 */
void report_not_run(size_t n, const char *why)
{
	if (n)
		printf("%zu test%s not run %s\n", n, n == 1 ? "" : "s", why);
}

/**
 * report_closing() - print the closing line: "N passed, N failed, N skipped".
 * @run: the run, with its counts final.
 */
void report_closing(const struct run *run)
{
	const struct counts *c = &run->counts;

	if (c->expected_fails || c->flakes)
		printf("%zu expected failure%s, %zu flake%s (not counted as failed)\n",
		       c->expected_fails, c->expected_fails == 1 ? "" : "s",
		       c->flakes, c->flakes == 1 ? "" : "s");
	printf("%zu passed, %zu failed, %zu skipped\n",
	       c->passed, c->failed, c->skipped);
	fflush(stdout);
}
