/* SPDX-License-Identifier: MIT */
/*
 * Running one test process: its own process group, stdout and stderr
 * captured whole, a deadline enforced by SIGTERM then SIGKILL to the group.
 */
#ifndef GRING_IGT_RUNNER_PROC_H
#define GRING_IGT_RUNNER_PROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

/* Whom a child runs as: set up with proc_user_lookup(). */
struct proc_user {
	const char *name;
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* supplementary groups, from the group file */
	int ngroups;
};

struct proc_result {
	int status;		/* waitpid() status; valid unless abandoned */
	bool timed_out;		/* the runner killed it at the deadline */
	bool interrupted;	/* the runner itself was told to stop */
	bool abandoned;		/* still alive after SIGKILL: stuck in the kernel */
	double duration;	/* seconds from fork to reaping (monotonic) */
	struct buf out;
	struct buf err;
};

void proc_init(void);
bool proc_stop_requested(void);
int proc_stop_signal(void);
int proc_run(char *const argv[], double timeout, double grace,
	     const struct proc_user *user, struct proc_result *res);
int proc_user_lookup(struct proc_user *u, const char *name);
void proc_user_free(struct proc_user *u);
void proc_describe(const struct proc_result *res, struct buf *b);
void proc_result_free(struct proc_result *res);

#endif
