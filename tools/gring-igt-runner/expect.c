// SPDX-License-Identifier: MIT
/*
 * drm-ci expectation files.
 *
 *   DRIVER-fails.txt   NAME,STATUS     tests known to fail
 *   DRIVER-skips.txt   REGEX           tests not to run at all
 *   DRIVER-flakes.txt  REGEX           tests whose failure is not a verdict
 *   DRIVER-root.txt    REGEX           tests that run as root under --user
 *                                      (they read debugfs, unbind devices)
 *
 * '#' starts a comment line; blank lines are ignored; a missing file is an
 * empty list. drm-ci writes names without IGT's "igt@" prefix
 * (kms_addfb_basic@bo-too-small); either spelling is accepted. A regex
 * (POSIX extended, unanchored, like drm-ci's) selects a test if it matches
 * the name with or without the prefix.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expect.h"
#include "util.h"

#define IGT_PREFIX	"igt@"

static const char *strip_prefix(const char *name)
{
	size_t len = strlen(IGT_PREFIX);

	return strncmp(name, IGT_PREFIX, len) ? name : name + len;
}

/* Trim whitespace (and the CR of CRLF files) in place; NULL if nothing left. */
static char *trim(char *line)
{
	char *end;

	while (isspace((unsigned char)*line))
		line++;
	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (!*line || *line == '#')
		return NULL;
	return line;
}

static int add_fail(struct expectations *e, char *line, const char *path,
		    unsigned int lineno)
{
	char *comma = strrchr(line, ',');
	char *name = NULL, *status = NULL;
	struct expect_fail *f;

	if (comma) {
		*comma = '\0';
		name = trim(line);
		status = trim(comma + 1);
	}
	if (!name || !status) {
		errmsg("%s:%u: expected NAME,STATUS", path, lineno);
		return -EINVAL;
	}

	e->fails = xreallocarray(e->fails, e->nfails + 1, sizeof(*e->fails));
	f = &e->fails[e->nfails++];
	f->name = xstrdup(strip_prefix(name));
	f->status = xstrdup(status);
	return 0;
}

static int add_regex(struct expect_regex **list, size_t *n, const char *line,
		     const char *path, unsigned int lineno)
{
	struct expect_regex *r;
	char msg[256];
	int ret;

	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	r = &(*list)[*n];
	ret = regcomp(&r->re, line, REG_EXTENDED | REG_NOSUB);
	if (ret) {
		regerror(ret, &r->re, msg, sizeof(msg));
		errmsg("%s:%u: bad regex '%s': %s", path, lineno, line, msg);
		return -EINVAL;
	}
	r->source = xstrdup(line);
	(*n)++;
	return 0;
}

enum list_kind { LIST_FAILS, LIST_SKIPS, LIST_FLAKES, LIST_ROOT };

static int load_line(struct expectations *e, enum list_kind kind, char *line,
		     const char *path, unsigned int lineno)
{
	switch (kind) {
	case LIST_FAILS:
		return add_fail(e, line, path, lineno);
	case LIST_SKIPS:
		return add_regex(&e->skips, &e->nskips, line, path, lineno);
	case LIST_FLAKES:
		return add_regex(&e->flakes, &e->nflakes, line, path, lineno);
	case LIST_ROOT:
		return add_regex(&e->root, &e->nroot, line, path, lineno);
	}
	return -EINVAL;
}

static int load_file(struct expectations *e, const char *dir,
		     const char *driver, const char *suffix,
		     enum list_kind kind)
{
	char *path = xasprintf("%s/%s-%s.txt", dir, driver, suffix);
	unsigned int lineno = 0;
	size_t cap = 0;
	char *raw = NULL;
	int ret = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		ret = errno == ENOENT ? 0 : -errno;
		if (ret)
			errmsg("%s: %s", path, strerror(errno));
		free(path);
		return ret;
	}

	errno = 0;
	while (getline(&raw, &cap, f) >= 0) {
		char *line = trim(raw);

		lineno++;
		if (!line)
			continue;
		ret = load_line(e, kind, line, path, lineno);
		if (ret)
			break;
	}
	if (!ret && ferror(f)) {
		ret = -EIO;
		errmsg("%s: read error", path);
	}
	free(raw);
	fclose(f);
	free(path);
	return ret;
}

/**
 * expect_load() - read DIR/DRIVER-{fails,skips,flakes,root}.txt.
 * @e: zero-initialised; free with expect_free().
 * @dir: the expectations directory; it must exist.
 * @driver: the file name prefix.
 *
 * Return: 0, or a negative errno after printing what is wrong.
 */
int expect_load(struct expectations *e, const char *dir, const char *driver)
{
	struct stat st;
	int ret;

	/* A typo in the directory must not silently mean "no expectations". */
	if (stat(dir, &st)) {
		ret = -errno;
		errmsg("%s: %s", dir, strerror(errno));
		return ret;
	}
	if (!S_ISDIR(st.st_mode)) {
		errmsg("%s: not a directory", dir);
		return -ENOTDIR;
	}

	ret = load_file(e, dir, driver, "fails", LIST_FAILS);
	if (!ret)
		ret = load_file(e, dir, driver, "skips", LIST_SKIPS);
	if (!ret)
		ret = load_file(e, dir, driver, "flakes", LIST_FLAKES);
	if (!ret)
		ret = load_file(e, dir, driver, "root", LIST_ROOT);
	return ret;
}

/* The STATUS column of @name's fails.txt line, or NULL if not listed. */
const char *expect_fail_status(const struct expectations *e, const char *name)
{
	const char *bare = strip_prefix(name);
	size_t i;

	for (i = 0; i < e->nfails; i++)
		if (!strcmp(e->fails[i].name, bare))
			return e->fails[i].status;
	return NULL;
}

static bool any_match(const struct expect_regex *list, size_t n,
		      const char *name)
{
	const char *bare = strip_prefix(name);
	size_t i;

	for (i = 0; i < n; i++)
		if (!regexec(&list[i].re, name, 0, NULL, 0) ||
		    !regexec(&list[i].re, bare, 0, NULL, 0))
			return true;
	return false;
}

bool expect_skip(const struct expectations *e, const char *name)
{
	return any_match(e->skips, e->nskips, name);
}

bool expect_flake(const struct expectations *e, const char *name)
{
	return any_match(e->flakes, e->nflakes, name);
}

bool expect_root(const struct expectations *e, const char *name)
{
	return any_match(e->root, e->nroot, name);
}

static void free_regexes(struct expect_regex *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		regfree(&list[i].re);
		free(list[i].source);
	}
	free(list);
}

void expect_free(struct expectations *e)
{
	size_t i;

	for (i = 0; i < e->nfails; i++) {
		free(e->fails[i].name);
		free(e->fails[i].status);
	}
	free(e->fails);
	free_regexes(e->skips, e->nskips);
	free_regexes(e->flakes, e->nflakes);
	free_regexes(e->root, e->nroot);
	memset(e, 0, sizeof(*e));
}
