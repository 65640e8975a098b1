/* SPDX-License-Identifier: MIT */
/*
 * From command-line arguments to the list of tests: binaries and
 * directories of them, each binary's --list-subtests, the --filter.
 */
#ifndef GRING_IGT_RUNNER_DISCOVER_H
#define GRING_IGT_RUNNER_DISCOVER_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "runner.h"

struct filter {
	regex_t *res;
	size_t n;
};

struct binaries {
	char **paths;
	size_t n;
};

int filter_add(struct filter *f, const char *regex);
void filter_free(struct filter *f);
bool filter_match(const struct filter *f, const char *name);
void keep_if_selected(struct run *run, const struct filter *f);

int discover_binaries(char *const args[], int nargs, struct binaries *bins);
void binaries_free(struct binaries *bins);

int discover_tests(struct run *run, const struct binaries *bins,
		   const struct filter *filter, double timeout, double grace);

#endif
