/* SPDX-License-Identifier: MIT */
/*
 * results.json in the shape IGT's igt_runner (resultgen.c) writes, which
 * piglit-style tooling (piglit summary, igt_results, CI dashboards) reads.
 */
#ifndef GRING_IGT_RUNNER_RESULTS_H
#define GRING_IGT_RUNNER_RESULTS_H

#include "runner.h"

int results_write(const struct run *run, const char *path);

#endif
