// SPDX-License-Identifier: MIT
/*
 * results.json, built as a json-c tree (json-c is what IGT's own runner
 * writes it with).
 *
 * Shape (results_version 10, as IGT's resultgen.c):
 *
 *   { "__type__": "TestrunResult", "results_version": 10,
 *     "name": ..., "uname": ..., "cmdline": [...],
 *     "time_elapsed": { "__type__": "TimeAttribute", "start": T, "end": T },
 *     "tests": { "igt@BIN@SUBTEST": { "result": ..., "time": {TimeAttribute,
 *                start 0, end = duration}, "out", "err", "dmesg",
 *                ["dmesg-warnings"], ["expectation", "expected-status"],
 *                ["user"] } },
 *     "totals": { "": {...}, "root": {...}, "igt@BIN": {...} },
 *     "runtimes": { "igt@BIN": { "time": {TimeAttribute} } },
 *     "summary": { the closing line's counts } }
 *
 * "expectation", "expected-status", "user" (under --user: who ran the
 * test) and "summary" are this runner's own additions; readers of IGT's
 * format ignore unknown keys.
 *
 * Test output is arbitrary bytes and json-c copies string bytes as they
 * are: bytes that are not valid UTF-8 become U+FFFD here first, so the file
 * is always valid JSON (json-c escapes control characters and NUL).
 * The file is replaced atomically (write a temporary file, fsync, rename)
 * so a reader, or a VM that dies mid-run, never sees half of one.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "results.h"

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

/* A JSON string of @n bytes at @str, invalid UTF-8 replaced by U+FFFD. */
static struct json_object *utf8_string(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	struct json_object *o;
	struct buf clean = { 0 };
	size_t i = 0, run, len;

	while (i < n) {
		/* Copy valid runs in one go. */
		for (run = i; run < n && (len = utf8_len(s + run, n - run));)
			run += len;
		buf_append(&clean, s + i, run - i);
		i = run;
		if (i < n) {
			buf_puts(&clean, "\xef\xbf\xbd");
			i++;
		}
	}
	o = json_object_new_string_len(clean.data ? clean.data : "",
				       (int)clean.len);
	buf_free(&clean);
	return o;
}

static void add(struct json_object *obj, const char *k, struct json_object *v)
{
	if (!v || json_object_object_add(obj, k, v))
		die("results.json: out of memory");
}

static void add_str(struct json_object *obj, const char *k, const char *v)
{
	add(obj, k, utf8_string(v, strlen(v)));
}

static void add_buf(struct json_object *obj, const char *k,
		    const struct buf *b)
{
	add(obj, k, utf8_string(b->data ? b->data : "", b->len));
}

static void add_int(struct json_object *obj, const char *k, size_t v)
{
	add(obj, k, json_object_new_int64((int64_t)v));
}

static struct json_object *new_object(void)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		die("results.json: out of memory");
	return o;
}

static void add_time(struct json_object *obj, const char *k, double start,
		     double end)
{
	struct json_object *t = new_object();

	add_str(t, "__type__", "TimeAttribute");
	add(t, "start", json_object_new_double(start));
	add(t, "end", json_object_new_double(end));
	add(obj, k, t);
}

static void add_uname(struct json_object *obj)
{
	struct utsname u;
	char *s;

	if (uname(&u)) {
		add_str(obj, "uname", "");
		return;
	}
	s = xasprintf("%s %s %s %s %s", u.sysname, u.nodename, u.release,
		      u.version, u.machine);
	add_str(obj, "uname", s);
	free(s);
}

static void add_cmdline(struct json_object *obj, const struct run *run)
{
	struct json_object *a = json_object_new_array();
	int i;

	if (!a)
		die("results.json: out of memory");
	for (i = 0; i < run->argc; i++)
		if (json_object_array_add(a, utf8_string(run->argv[i],
							 strlen(run->argv[i]))))
			die("results.json: out of memory");
	add(obj, "cmdline", a);
}

static struct json_object *test_object(const struct test *t)
{
	struct json_object *o = new_object();
	const char *note = note_name(t->note);

	add_str(o, "result", result_name(t->result));
	/* IGT writes a test's time as start 0, end = its duration. */
	add_time(o, "time", 0.0, t->duration);
	add_buf(o, "out", &t->out);
	add_buf(o, "err", &t->err);
	add_buf(o, "dmesg", &t->dmesg);
	if (t->dmesg_warnings.len)
		add_buf(o, "dmesg-warnings", &t->dmesg_warnings);
	if (note)
		add_str(o, "expectation", note);
	if (t->expected_status)
		add_str(o, "expected-status", t->expected_status);
	if (t->user)
		add_str(o, "user", t->user);
	return o;
}

static void add_tests(struct json_object *obj, const struct run *run)
{
	struct json_object *tests = new_object();
	size_t i;

	for (i = 0; i < run->ntests; i++)
		add(tests, run->tests[i].name, test_object(&run->tests[i]));
	add(obj, "tests", tests);
}

/* IGT's totals key order (resultgen.c's get_totals_object()). */
static const enum result totals_order[] = {
	RES_CRASH, RES_PASS, RES_DMESG_FAIL, RES_DMESG_WARN, RES_SKIP,
	RES_INCOMPLETE, RES_ABORT, RES_TIMEOUT, RES_NOTRUN, RES_FAIL, RES_WARN,
};

static void add_total(struct json_object *obj, const char *k,
		      const struct run *run, const char *group)
{
	struct json_object *tot = new_object();
	size_t n[RES_COUNT] = { 0 };
	size_t i;

	for (i = 0; i < run->ntests; i++)
		if (!group || !strcmp(run->tests[i].group, group))
			n[run->tests[i].result]++;
	for (i = 0; i < ARRAY_SIZE(totals_order); i++)
		add_int(tot, result_name(totals_order[i]), n[totals_order[i]]);
	add(obj, k, tot);
}

/* Tests of one binary are adjacent: a group starts where its name changes. */
static bool group_starts(const struct run *run, size_t i)
{
	return !i || strcmp(run->tests[i - 1].group, run->tests[i].group);
}

static void add_totals(struct json_object *obj, const struct run *run)
{
	struct json_object *totals = new_object();
	size_t i;

	add_total(totals, "", run, NULL);
	add_total(totals, "root", run, NULL);
	for (i = 0; i < run->ntests; i++)
		if (group_starts(run, i))
			add_total(totals, run->tests[i].group, run,
				  run->tests[i].group);
	add(obj, "totals", totals);
}

static void add_runtimes(struct json_object *obj, const struct run *run)
{
	struct json_object *runtimes = new_object();
	size_t i, k;

	for (i = 0; i < run->ntests; i++) {
		struct json_object *rt;
		double total = 0;

		if (!group_starts(run, i))
			continue;
		for (k = i; k < run->ntests &&
		     !strcmp(run->tests[k].group, run->tests[i].group); k++)
			total += run->tests[k].duration;

		rt = new_object();
		add_time(rt, "time", 0.0, total);
		add(runtimes, run->tests[i].group, rt);
	}
	add(obj, "runtimes", runtimes);
}

static void add_summary(struct json_object *obj, const struct run *run)
{
	struct json_object *s = new_object();

	add_int(s, "passed", run->counts.passed);
	add_int(s, "failed", run->counts.failed);
	add_int(s, "skipped", run->counts.skipped);
	add_int(s, "expected-failures", run->counts.expected_fails);
	add_int(s, "flakes", run->counts.flakes);
	add(obj, "summary", s);
}

static struct json_object *run_object(const struct run *run)
{
	struct json_object *o = new_object();

	add_str(o, "__type__", "TestrunResult");
	add(o, "results_version", json_object_new_int(10));
	add_str(o, "name", run->name);
	add_uname(o);
	add_cmdline(o, run);
	add_time(o, "time_elapsed", run->start, run->end);
	add_tests(o, run);
	add_totals(o, run);
	add_runtimes(o, run);
	add_summary(o, run);
	return o;
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
	struct json_object *obj = run_object(run);
	char *tmp = xasprintf("%s.tmp", path);
	int ret = 0, fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		errmsg("%s: %s", tmp, strerror(errno));
		goto out;
	}

	errno = 0;
	if (json_object_to_fd(fd, obj, JSON_C_TO_STRING_PRETTY |
			      JSON_C_TO_STRING_SPACED |
			      JSON_C_TO_STRING_NOSLASHESCAPE) ||
	    write(fd, "\n", 1) != 1 || fsync(fd))
		ret = -(errno ? errno : EIO);
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		errmsg("writing %s: %s", path, strerror(-ret));
		unlink(tmp);
	}
out:
	json_object_put(obj);
	free(tmp);
	return ret;
}
