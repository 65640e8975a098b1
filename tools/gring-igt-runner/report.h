/* SPDX-License-Identifier: MIT */
/*
 * What a person watching the console sees: a line per test, the tail of a
 * non-passing test's output, and the closing line.
 */
#ifndef GRING_IGT_RUNNER_REPORT_H
#define GRING_IGT_RUNNER_REPORT_H

#include "runner.h"

void count_test(struct counts *c, const struct test *t);
void report_test(const struct run *run, size_t index);
void report_not_run(size_t n, const char *why);
void report_closing(const struct run *run);

#endif
