/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim for gring's framework core: the event log the shimmed
 * barriers, READ_ONCE()/WRITE_ONCE(), printk and tracepoints append to,
 * so a test can assert the order they happened in.
 */
#ifndef _GRING_SHIM_H_
#define _GRING_SHIM_H_

#include <stdbool.h>
#include <stddef.h>

/**
 * struct shim_event - one entry of the event log
 * @what: "dma_wmb", "dma_rmb", "mb", "READ_ONCE", "WRITE_ONCE", "pr_warn",
 *	"WARN", or a tracepoint's name ("gring_to_gpu", ...).
 * @addr: the address READ_ONCE()/WRITE_ONCE() accessed, else NULL.
 */
struct shim_event {
	const char *what;
	const void *addr;
};

void shim_event(const char *what, const void *addr);
void shim_trace(const char *cls, const char *event, ...);
void shim_printk(const char *what, const char *fmt, ...);
void shim_log_reset(void);
int shim_log_len(void);
const struct shim_event *shim_log_at(int i);
int shim_log_count(const char *what);
int shim_log_find(int from, const char *what, const void *addr);
const char *shim_last_printk(void);
void shim_die(const char *what);

#endif /* _GRING_SHIM_H_ */
