/* SPDX-License-Identifier: MIT */
/*
 * Running one test and deciding its result: exit code, signal, timeout,
 * kernel log, expectations.
 */
#ifndef GRING_IGT_RUNNER_EXECUTE_H
#define GRING_IGT_RUNNER_EXECUTE_H

#include "expect.h"
#include "kmsg.h"
#include "proc.h"
#include "runner.h"

struct exec_opts {
	double timeout;		/* seconds per test */
	double grace;		/* seconds between SIGTERM and SIGKILL */
	struct kmsg *kmsg;	/* NULL: --no-dmesg */
	const struct proc_user *user;	/* --user, or NULL */
};

int execute_test(struct test *t, const struct exec_opts *o,
		 const struct proc_user *as, const char **stop_why);
void apply_expectations(struct test *t, const struct expectations *e);

#endif
