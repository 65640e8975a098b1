/* SPDX-License-Identifier: MIT */
/*
 * KUnit results as tests of the run: the KTAP a suite's debugfs file
 * (/sys/kernel/debug/kunit/<suite>/results) prints, one test per case,
 * named kunit@<suite>@<case>.
 */
#ifndef GRING_IGT_RUNNER_KTAP_H
#define GRING_IGT_RUNNER_KTAP_H

#include "discover.h"
#include "runner.h"

int ktap_add_results(struct run *run, const char *path,
		     const struct filter *f);

#endif
