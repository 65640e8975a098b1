/* SPDX-License-Identifier: MIT */
/*
 * The kernel log around each test, read from /dev/kmsg, and IGT's rule
 * for when it turns a result into dmesg-warn or dmesg-fail.
 */
#ifndef GRING_IGT_RUNNER_KMSG_H
#define GRING_IGT_RUNNER_KMSG_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Records at this priority or more severe taint a result (IGT default). */
#define KMSG_WARN_LEVEL	4	/* KERN_WARNING */

/*
 * IGT's marker (igt_emit_ignore_dmesg_regex() in newer IGT): a test that
 * logs "add ignored dmesg regex: RE" says that records matching the
 * extended regex RE are expected of it; for the rest of that test their
 * priority does not taint its result. A splat (WARNING:, BUG:, Oops, Call
 * Trace) always does.
 */
#define KMSG_IGNORE_MARK	"add ignored dmesg regex: "

struct kmsg {
	int fd;
	char *rec;
	size_t rec_cap;
	bool has_ignore;
	regex_t ignore;
};

int kmsg_open(struct kmsg *k);
int kmsg_collect(struct kmsg *k, struct buf *text, struct buf *warnings);
void kmsg_close(struct kmsg *k);

#endif
