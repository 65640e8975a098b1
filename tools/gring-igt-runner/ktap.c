// SPDX-License-Identifier: MIT
/*
 * KTAP (Documentation/dev-tools/ktap.rst) as KUnit's debugfs prints one
 * suite:
 *
 *   KTAP version 1
 *   1..1
 *       KTAP version 1
 *       # Subtest: gring_core_view
 *       1..11
 *       # give-take: EXPECTATION FAILED at ...     (a case's log)
 *       not ok 5 give-take
 *       ok 6 double-give
 *       ok 7 something # SKIP why
 *   ok 1 gring_core_view
 *
 * Each case result at the indentation of its suite's "# Subtest:" line
 * becomes a test, already run: kunit@SUITE@CASE, pass, fail or skip, its
 * log (the lines since the previous result) as its output. A suite that
 * reported fewer cases than its plan announced (the kernel stopped it, or
 * the file was cut) adds one failed test, kunit@SUITE, saying so; a file
 * with no suite in it, one failed test named after the file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"

struct ktap_suite {
	char *name;
	size_t indent;		/* of its "# Subtest:" line */
	long plan;		/* its "1..N", or -1 */
	long reported;		/* case results seen */
	struct buf log;		/* lines since the last case result */
};

static size_t indent_of(const char *line)
{
	return strspn(line, " ");
}

static char *lower_dup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (char)tolower((unsigned char)s[i]);
	d[n] = '\0';
	return d;
}

static struct test *add_done(struct run *run, const char *path,
			     const char *suite, const char *kcase,
			     enum result result)
{
	struct test *t;

	run->tests = xreallocarray(run->tests, run->ntests + 1,
				   sizeof(*run->tests));
	t = &run->tests[run->ntests++];
	memset(t, 0, sizeof(*t));
	t->group = xasprintf("kunit@%s", suite);
	t->name = kcase ? xasprintf("%s@%s", t->group, kcase) :
			  xstrdup(t->group);
	t->subtest = kcase ? xstrdup(kcase) : NULL;
	t->path = path;
	t->listed = false;	/* its result is known: nothing to run */
	t->done = true;
	t->result = result;
	return t;
}

/* "ok N NAME[ # SKIP why]" or "not ok N NAME..." at the suite's indent. */
static int add_case(struct run *run, const char *path, struct ktap_suite *s,
		    const char *line, const struct filter *f)
{
	const char *p = line;
	enum result result;
	struct test *t;
	char *name;
	size_t n;

	if (!strncmp(p, "ok ", 3)) {
		result = RES_PASS;
		p += 3;
	} else if (!strncmp(p, "not ok ", 7)) {
		result = RES_FAIL;
		p += 7;
	} else {
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return 0;
	p += strspn(p, "0123456789");
	if (*p++ != ' ')
		return 0;
	n = strcspn(p, " ");
	if (!n)
		return 0;
	if (strstr(p + n, " # SKIP") == p + n)
		result = RES_SKIP;

	name = lower_dup(p, n);
	t = add_done(run, path, s->name, name, result);
	free(name);
	t->out = s->log;
	memset(&s->log, 0, sizeof(s->log));
	s->reported++;
	keep_if_selected(run, f);
	return 1;
}

static void end_suite(struct run *run, const char *path, struct ktap_suite *s,
		      const struct filter *f)
{
	struct test *t;

	if (s->name && s->plan >= 0 && s->reported < s->plan) {
		t = add_done(run, path, s->name, NULL, RES_INCOMPLETE);
		buf_printf(&t->err, "%s: suite %s announced %ld cases, reported %ld\n",
			   path, s->name, s->plan, s->reported);
		t->out = s->log;
		memset(&s->log, 0, sizeof(s->log));
		keep_if_selected(run, f);
	}
	free(s->name);
	buf_free(&s->log);
	memset(s, 0, sizeof(*s));
	s->plan = -1;
}

static int read_file(const char *path, struct buf *b)
{
	char chunk[4096];
	FILE *fp = fopen(path, "r");
	size_t n;
	int err = 0;

	if (!fp)
		return -errno;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(b, chunk, n);
	if (ferror(fp))
		err = -EIO;
	fclose(fp);
	if (!b->data)
		buf_puts(b, "");
	return err;
}

/**
 * ktap_add_results() - add the cases of the KUnit suites in a KTAP file.
 * @run: the run; the cases are appended as tests that already have their
 *	result, named kunit@SUITE@CASE (lower case), grouped as kunit@SUITE.
 * @path: the file, e.g. a copy of /sys/kernel/debug/kunit/SUITE/results;
 *	must outlive @run.
 * @f: which tests to keep (--filter).
 *
 * Return: 0, or a negative errno if @path cannot be read.
 */
int ktap_add_results(struct run *run, const char *path,
		     const struct filter *f)
{
	struct ktap_suite s = { .plan = -1 };
	struct buf text = { 0 };
	char *line, *save = NULL;
	const char *body;
	bool any = false;
	size_t in;
	int err;

	err = read_file(path, &text);
	if (err) {
		errmsg("cannot read %s: %s", path, strerror(-err));
		buf_free(&text);
		return err;
	}

	for (line = strtok_r(text.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		in = indent_of(line);
		body = line + in;
		if (!strncmp(body, "# Subtest: ", 11)) {
			end_suite(run, path, &s, f);
			s.name = lower_dup(body + 11, strcspn(body + 11, " \r"));
			s.indent = in;
			any = true;
			continue;
		}
		if (!s.name)
			continue;
		if (in == s.indent && s.plan < 0 && !strncmp(body, "1..", 3)) {
			s.plan = strtol(body + 3, NULL, 10);
			continue;
		}
		if (in == s.indent && add_case(run, path, &s, body, f))
			continue;
		if (in < s.indent) {
			/* The suite's own result line: the suite is over. */
			end_suite(run, path, &s, f);
			continue;
		}
		buf_puts(&s.log, line);
		buf_puts(&s.log, "\n");
	}
	end_suite(run, path, &s, f);

	if (!any) {
		struct test *t = add_done(run, path, "no-suite", NULL, RES_FAIL);

		buf_printf(&t->err, "%s: no KUnit suite (no \"# Subtest:\" line)\n",
			   path);
		keep_if_selected(run, f);
	}
	buf_free(&text);
	return 0;
}
