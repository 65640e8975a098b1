/* SPDX-License-Identifier: MIT */
/*
 * Expectations in drm-ci's format (drivers/gpu/drm/ci/xfails/):
 * DRIVER-fails.txt, DRIVER-skips.txt, DRIVER-flakes.txt, and this runner's
 * DRIVER-root.txt (tests that keep root under --user).
 */
#ifndef GRING_IGT_RUNNER_EXPECT_H
#define GRING_IGT_RUNNER_EXPECT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

struct expect_fail {
	char *name;	/* without the "igt@" prefix */
	char *status;	/* the second column: Fail, Crash, Timeout, ... */
};

struct expect_regex {
	regex_t re;
	char *source;
};

struct expectations {
	struct expect_fail *fails;
	size_t nfails;
	struct expect_regex *skips;
	size_t nskips;
	struct expect_regex *flakes;
	size_t nflakes;
	struct expect_regex *root;
	size_t nroot;
};

int expect_load(struct expectations *e, const char *dir, const char *driver);
const char *expect_fail_status(const struct expectations *e, const char *name);
bool expect_skip(const struct expectations *e, const char *name);
bool expect_flake(const struct expectations *e, const char *name);
bool expect_root(const struct expectations *e, const char *name);
void expect_free(struct expectations *e);

#endif
