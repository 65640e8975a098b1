// SPDX-License-Identifier: MIT
/*
 * Test discovery, IGT-style.
 *
 * Each binary is asked for `--list-subtests`: one subtest name per line on
 * stdout. A binary that lists none (IGT's simple tests exit with 79,
 * IGT_EXIT_INVALID, for this question) is one test, igt@BIN, run with no
 * arguments. A binary that crashes, hangs or exits otherwise while listing
 * becomes one failed test, igt@BIN, carrying its output: a broken binary is
 * a result, not a reason to stop the run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "discover.h"
#include "proc.h"

/**
 * filter_add() - add a --filter regex; any match selects a test.
 * @f: the filter.
 * @regex: POSIX extended regex, unanchored, matched against igt@BIN@SUBTEST.
 *
 * Return: 0, or -EINVAL after printing why @regex is invalid.
 */
int filter_add(struct filter *f, const char *regex)
{
	char msg[256];
	int ret;

	f->res = xreallocarray(f->res, f->n + 1, sizeof(*f->res));
	ret = regcomp(&f->res[f->n], regex, REG_EXTENDED | REG_NOSUB);
	if (ret) {
		regerror(ret, &f->res[f->n], msg, sizeof(msg));
		errmsg("bad --filter '%s': %s", regex, msg);
		return -EINVAL;
	}
	f->n++;
	return 0;
}

void filter_free(struct filter *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		regfree(&f->res[i]);
	free(f->res);
	f->res = NULL;
	f->n = 0;
}

/**
 * filter_match() - whether a --filter selects a test.
 * @f: the filter; with no regex it selects everything.
 * @name: the test's name.
 *
 * Return: true if one of @f's regexes matches @name.
 */
bool filter_match(const struct filter *f, const char *name)
{
	size_t i;

	if (!f->n)
		return true;
	for (i = 0; i < f->n; i++)
		if (!regexec(&f->res[i], name, 0, NULL, 0))
			return true;
	return false;
}

static void add_path(struct binaries *bins, char *path)
{
	bins->paths = xreallocarray(bins->paths, bins->n + 1,
				    sizeof(*bins->paths));
	bins->paths[bins->n++] = path;
}

static bool is_test_binary(const char *path, const struct stat *st)
{
	return S_ISREG(st->st_mode) && !access(path, X_OK);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every executable regular file in @dir (not hidden ones), sorted. */
static int add_directory(struct binaries *bins, const char *dir)
{
	struct binaries found = { 0 };
	struct dirent *de;
	size_t i;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		errmsg("%s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((errno = 0, de = readdir(d))) {
		char *path;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s%s%s", dir,
				 dir[strlen(dir) - 1] == '/' ? "" : "/",
				 de->d_name);
		if (!stat(path, &st) && is_test_binary(path, &st))
			add_path(&found, path);
		else
			free(path);
	}
	if (errno) {
		int ret = -errno;

		errmsg("%s: %s", dir, strerror(errno));
		closedir(d);
		binaries_free(&found);
		return ret;
	}
	closedir(d);

	qsort(found.paths, found.n, sizeof(*found.paths), cmp_names);
	for (i = 0; i < found.n; i++)
		add_path(bins, found.paths[i]);
	free(found.paths);
	return 0;
}

/**
 * discover_binaries() - expand the command line into test binaries.
 * @args: paths of binaries or directories of them.
 * @nargs: how many.
 * @bins: filled in; free with binaries_free().
 *
 * Return: 0, or a negative errno after printing which argument is wrong.
 */
int discover_binaries(char *const args[], int nargs, struct binaries *bins)
{
	int i, ret;

	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (stat(args[i], &st)) {
			ret = -errno;
			errmsg("%s: %s", args[i], strerror(errno));
			return ret;
		}
		if (S_ISDIR(st.st_mode)) {
			ret = add_directory(bins, args[i]);
			if (ret)
				return ret;
		} else if (is_test_binary(args[i], &st)) {
			add_path(bins, xstrdup(args[i]));
		} else {
			errmsg("%s: not an executable file or a directory",
			       args[i]);
			return -EINVAL;
		}
	}
	return 0;
}

void binaries_free(struct binaries *bins)
{
	size_t i;

	for (i = 0; i < bins->n; i++)
		free(bins->paths[i]);
	free(bins->paths);
	bins->paths = NULL;
	bins->n = 0;
}

static bool name_taken(const struct run *run, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < run->ntests; i++)
		if (!strcmp(run->tests[i].name, name))
			return true;
	return false;
}

/**
 * keep_if_selected() - drop the test just added unless @f selects it,
 * and unless another test has its name.
 * @run: the run; its last test is the one just added.
 * @f: the filter.
 */
void keep_if_selected(struct run *run, const struct filter *f)
{
	struct test *t = &run->tests[run->ntests - 1];

	if (filter_match(f, t->name) && !name_taken(run, t->name))
		return;
	test_free(t);
	run->ntests--;
}

static size_t add_subtests(struct run *run, const char *path, char *list,
			   const struct filter *f)
{
	size_t listed = 0;
	char *line, *save = NULL;

	for (line = strtok_r(list, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		if (!*line)
			continue;
		listed++;
		run_add_test(run, path, line);
		keep_if_selected(run, f);
	}
	return listed;
}

static void add_broken(struct run *run, const char *path,
		       struct proc_result *res, const struct filter *f)
{
	struct test *t = run_add_test(run, path, NULL);
	struct buf why = { 0 };

	proc_describe(res, &why);
	errmsg("%s --list-subtests %s", path, why.data);

	t->listed = false;
	t->done = true;
	t->result = RES_FAIL;
	t->duration = res->duration;
	t->out = res->out;
	t->err = res->err;
	memset(&res->out, 0, sizeof(res->out));
	memset(&res->err, 0, sizeof(res->err));
	if (t->err.len && t->err.data[t->err.len - 1] != '\n')
		buf_puts(&t->err, "\n");
	buf_printf(&t->err, PROG_NAME ": %s --list-subtests %s\n", path,
		   why.data);
	buf_free(&why);
	keep_if_selected(run, f);
}

static bool listing_ok(const struct proc_result *res)
{
	if (res->timed_out || res->abandoned || !WIFEXITED(res->status))
		return false;
	return WEXITSTATUS(res->status) == IGT_EXIT_SUCCESS ||
	       WEXITSTATUS(res->status) == IGT_EXIT_INVALID;
}

static int list_binary(struct run *run, const char *path,
		       const struct filter *f, double timeout, double grace)
{
	char *argv[] = { (char *)path, "--list-subtests", NULL };
	struct proc_result res;
	int ret;

	ret = proc_run(argv, timeout, grace, NULL, &res);
	if (ret) {
		errmsg("%s --list-subtests: %s", path, strerror(-ret));
		return ret;
	}
	if (res.interrupted) {
		proc_result_free(&res);
		return -EINTR;
	}

	if (!listing_ok(&res)) {
		add_broken(run, path, &res, f);
	} else if (!add_subtests(run, path, res.out.data, f)) {
		run_add_test(run, path, NULL);
		keep_if_selected(run, f);
	}
	proc_result_free(&res);
	return 0;
}

/**
 * discover_tests() - list every binary's subtests into @run.
 * @run: where the tests go, in binary order, then in listing order.
 * @bins: the binaries.
 * @filter: which tests to keep.
 * @timeout: time limit for each --list-subtests.
 * @grace: seconds between SIGTERM and SIGKILL.
 *
 * Return: 0, -EINTR if the runner was told to stop, or another negative
 * errno for a failure of the runner itself.
 */
int discover_tests(struct run *run, const struct binaries *bins,
		   const struct filter *filter, double timeout, double grace)
{
	size_t i;
	int ret;

	for (i = 0; i < bins->n; i++) {
		if (proc_stop_requested())
			return -EINTR;
		ret = list_binary(run, bins->paths[i], filter, timeout, grace);
		if (ret)
			return ret;
	}
	return 0;
}
