/* SPDX-License-Identifier: MIT */
/*
 * The kernel log around each test, read from /dev/kmsg, and IGT's rule
 * for when it turns a result into dmesg-warn or dmesg-fail.
 */
#ifndef GRING_IGT_RUNNER_KMSG_H
#define GRING_IGT_RUNNER_KMSG_H

#include <stddef.h>

#include "util.h"

/* Records at this priority or more severe taint a result (IGT default). */
#define KMSG_WARN_LEVEL	4	/* KERN_WARNING */

struct kmsg {
	int fd;
	char *rec;
	size_t rec_cap;
};

int kmsg_open(struct kmsg *k);
int kmsg_collect(struct kmsg *k, struct buf *text, struct buf *warnings);
void kmsg_close(struct kmsg *k);

#endif
