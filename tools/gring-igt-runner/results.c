// SPDX-License-Identifier: MIT
/*
 * results.json writer.
 *
 * Shape (results_version 10, as IGT's resultgen.c):
 *
 *   { "__type__": "TestrunResult", "results_version": 10,
 *     "name": ..., "uname": ..., "cmdline": [...],
 *     "time_elapsed": { "__type__": "TimeAttribute", "start": T, "end": T },
 *     "tests": { "igt@BIN@SUBTEST": { "result": ..., "time": {TimeAttribute,
 *                start 0, end = duration}, "out", "err", "dmesg",
 *                ["dmesg-warnings"], ["expectation", "expected-status"] } },
 *     "totals": { "": {...}, "root": {...}, "igt@BIN": {...} },
 *     "runtimes": { "igt@BIN": { "time": {TimeAttribute} } },
 *     "summary": { the closing line's counts } }
 *
 * "expectation", "expected-status" and "summary" are this runner's own
 * additions; readers of IGT's format ignore unknown keys.
 *
 * Test output is arbitrary bytes: control characters are escaped and bytes
 * that are not valid UTF-8 become U+FFFD, so the file is always valid JSON.
 * The file is replaced atomically (write a temporary file, fsync, rename)
 * so a reader, or a VM that dies mid-run, never sees half of one.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "results.h"

#define MAX_DEPTH	8

struct jw {
	FILE *f;
	int depth;
	bool first[MAX_DEPTH];
};

static void indent(struct jw *w)
{
	int i;

	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("    ", w->f);
}

/* Separate from the previous member and start a new line. */
static void next_member(struct jw *w)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	indent(w);
}

/*
 * Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0 if it
 * is not one: no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static void put_escape(FILE *f, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", f);
		break;
	case '\\':
		fputs("\\\\", f);
		break;
	case '\n':
		fputs("\\n", f);
		break;
	case '\t':
		fputs("\\t", f);
		break;
	default:
		fprintf(f, "\\u%04x", c);
		break;
	}
}

static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

static void put_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', f);
	while (i < n) {
		size_t run = i, len;

		/* Copy plain ASCII in one go. */
		while (run < n && s[run] < 0x80 && !needs_escape(s[run]))
			run++;
		fwrite(s + i, 1, run - i, f);
		i = run;
		if (i == n)
			break;

		if (needs_escape(s[i])) {
			put_escape(f, s[i]);
			i++;
			continue;
		}
		len = utf8_len(s + i, n - i);
		if (len) {
			fwrite(s + i, 1, len, f);
			i += len;
		} else {
			fputs("\\ufffd", f);
			i++;
		}
	}
	fputc('"', f);
}

static void key(struct jw *w, const char *k)
{
	next_member(w);
	put_string(w->f, k, strlen(k));
	fputs(": ", w->f);
}

static void open_obj(struct jw *w, char c)
{
	fputc(c, w->f);
	if (w->depth + 1 >= MAX_DEPTH)
		die("results.json nesting too deep");
	w->first[++w->depth] = true;
}

static void close_obj(struct jw *w, char c)
{
	bool empty = w->first[w->depth];

	w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->f);
}

static void kv_str(struct jw *w, const char *k, const char *v)
{
	key(w, k);
	put_string(w->f, v, strlen(v));
}

static void kv_buf(struct jw *w, const char *k, const struct buf *b)
{
	key(w, k);
	put_string(w->f, b->data ? b->data : "", b->len);
}

static void kv_num(struct jw *w, const char *k, double v)
{
	key(w, k);
	fprintf(w->f, "%.6f", v);
}

static void kv_int(struct jw *w, const char *k, size_t v)
{
	key(w, k);
	fprintf(w->f, "%zu", v);
}

static void time_attr(struct jw *w, const char *k, double start, double end)
{
	key(w, k);
	open_obj(w, '{');
	kv_str(w, "__type__", "TimeAttribute");
	kv_num(w, "start", start);
	kv_num(w, "end", end);
	close_obj(w, '}');
}

static void write_uname(struct jw *w)
{
	struct utsname u;
	char *s;

	if (uname(&u)) {
		kv_str(w, "uname", "");
		return;
	}
	s = xasprintf("%s %s %s %s %s", u.sysname, u.nodename, u.release,
		      u.version, u.machine);
	kv_str(w, "uname", s);
	free(s);
}

static void write_cmdline(struct jw *w, const struct run *run)
{
	int i;

	key(w, "cmdline");
	open_obj(w, '[');
	for (i = 0; i < run->argc; i++) {
		next_member(w);
		put_string(w->f, run->argv[i], strlen(run->argv[i]));
	}
	close_obj(w, ']');
}

static void write_test(struct jw *w, const struct test *t)
{
	const char *note = note_name(t->note);

	key(w, t->name);
	open_obj(w, '{');
	kv_str(w, "result", result_name(t->result));
	/* IGT writes a test's time as start 0, end = its duration. */
	time_attr(w, "time", 0.0, t->duration);
	kv_buf(w, "out", &t->out);
	kv_buf(w, "err", &t->err);
	kv_buf(w, "dmesg", &t->dmesg);
	if (t->dmesg_warnings.len)
		kv_buf(w, "dmesg-warnings", &t->dmesg_warnings);
	if (note)
		kv_str(w, "expectation", note);
	if (t->expected_status)
		kv_str(w, "expected-status", t->expected_status);
	close_obj(w, '}');
}

static void write_tests(struct jw *w, const struct run *run)
{
	size_t i;

	key(w, "tests");
	open_obj(w, '{');
	for (i = 0; i < run->ntests; i++)
		write_test(w, &run->tests[i]);
	close_obj(w, '}');
}

/* IGT's totals key order (resultgen.c's get_totals_object()). */
static const enum result totals_order[] = {
	RES_CRASH, RES_PASS, RES_DMESG_FAIL, RES_DMESG_WARN, RES_SKIP,
	RES_INCOMPLETE, RES_ABORT, RES_TIMEOUT, RES_NOTRUN, RES_FAIL, RES_WARN,
};

static void write_total(struct jw *w, const char *k, const struct run *run,
			const char *group)
{
	size_t n[RES_COUNT] = { 0 };
	size_t i;

	for (i = 0; i < run->ntests; i++)
		if (!group || !strcmp(run->tests[i].group, group))
			n[run->tests[i].result]++;

	key(w, k);
	open_obj(w, '{');
	for (i = 0; i < ARRAY_SIZE(totals_order); i++)
		kv_int(w, result_name(totals_order[i]), n[totals_order[i]]);
	close_obj(w, '}');
}

/* Tests of one binary are adjacent: a group starts where its name changes. */
static bool group_starts(const struct run *run, size_t i)
{
	return !i || strcmp(run->tests[i - 1].group, run->tests[i].group);
}

static void write_totals(struct jw *w, const struct run *run)
{
	size_t i;

	key(w, "totals");
	open_obj(w, '{');
	write_total(w, "", run, NULL);
	write_total(w, "root", run, NULL);
	for (i = 0; i < run->ntests; i++)
		if (group_starts(run, i))
			write_total(w, run->tests[i].group, run,
				    run->tests[i].group);
	close_obj(w, '}');
}

static void write_runtimes(struct jw *w, const struct run *run)
{
	size_t i, k;

	key(w, "runtimes");
	open_obj(w, '{');
	for (i = 0; i < run->ntests; i++) {
		double total = 0;

		if (!group_starts(run, i))
			continue;
		for (k = i; k < run->ntests &&
		     !strcmp(run->tests[k].group, run->tests[i].group); k++)
			total += run->tests[k].duration;

		key(w, run->tests[i].group);
		open_obj(w, '{');
		time_attr(w, "time", 0.0, total);
		close_obj(w, '}');
	}
	close_obj(w, '}');
}

static void write_summary(struct jw *w, const struct run *run)
{
	key(w, "summary");
	open_obj(w, '{');
	kv_int(w, "passed", run->counts.passed);
	kv_int(w, "failed", run->counts.failed);
	kv_int(w, "skipped", run->counts.skipped);
	kv_int(w, "expected-failures", run->counts.expected_fails);
	kv_int(w, "flakes", run->counts.flakes);
	close_obj(w, '}');
}

static void write_run(FILE *f, const struct run *run)
{
	struct jw w = { .f = f };

	open_obj(&w, '{');
	kv_str(&w, "__type__", "TestrunResult");
	key(&w, "results_version");
	fputs("10", f);
	kv_str(&w, "name", run->name);
	write_uname(&w);
	write_cmdline(&w, run);
	time_attr(&w, "time_elapsed", run->start, run->end);
	write_tests(&w, run);
	write_totals(&w, run);
	write_runtimes(&w, run);
	write_summary(&w, run);
	close_obj(&w, '}');
	fputc('\n', f);
}

/**
 * results_write() - replace @path with the run's results.json.
 * @run: the run so far.
 * @path: where results.json goes.
 *
 * Return: 0, or a negative errno after printing what failed.
 */
int results_write(const struct run *run, const char *path)
{
	char *tmp = xasprintf("%s.tmp", path);
	int ret = 0;
	FILE *f;

	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		errmsg("%s: %s", tmp, strerror(errno));
		goto out;
	}

	errno = 0;
	write_run(f, run);

	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		ret = -(errno ? errno : EIO);
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		errmsg("writing %s: %s", path, strerror(-ret));
		unlink(tmp);
	}
out:
	free(tmp);
	return ret;
}
