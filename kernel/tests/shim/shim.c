// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host shim for gring's framework core: the event log.
 *
 * The tests are single-threaded, so the log is a plain array.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

#define SHIM_LOG_MAX 4096

static struct shim_event shim_log[SHIM_LOG_MAX];
static int shim_log_n;
static char shim_printk_buf[512];

/**
 * shim_event() - append one event to the log
 * @what: the event's name, a string that outlives the log
 * @addr: the address it concerns, or NULL
 *
 * A full log is a test bug: it stops the test rather than drop events.
 */
void shim_event(const char *what, const void *addr)
{
	if (shim_log_n == SHIM_LOG_MAX)
		shim_die("event log full: call shim_log_reset() more often");
	shim_log[shim_log_n].what = what;
	shim_log[shim_log_n].addr = addr;
	shim_log_n++;
}

/**
 * shim_trace() - a tracepoint fired
 * @cls: the tracepoint's class (its own name if it has none)
 * @event: the tracepoint's name
 *
 * The arguments are the tracepoint's; only its name is logged.
 */
void shim_trace(const char *cls, const char *event, ...)
{
	(void)cls;
	shim_event(event, NULL);
}

/**
 * shim_printk() - log a kernel message
 * @what: "pr_warn" or "WARN"
 * @fmt: printf format
 *
 * Printed to stderr when GRING_SHIM_VERBOSE is set; the last one is kept
 * for shim_last_printk().
 */
void shim_printk(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(shim_printk_buf, sizeof(shim_printk_buf), fmt, ap);
	va_end(ap);
	shim_event(what, NULL);
	if (getenv("GRING_SHIM_VERBOSE"))
		fprintf(stderr, "[%s] %s", what, shim_printk_buf);
}

/**
 * shim_last_printk() - the text of the last kernel message
 *
 * Return: the formatted message, "" if none yet.
 */
const char *shim_last_printk(void)
{
	return shim_printk_buf;
}

/**
 * shim_log_reset() - empty the log
 */
void shim_log_reset(void)
{
	shim_log_n = 0;
}

/**
 * shim_log_len() - number of events logged
 *
 * Return: the count since the last shim_log_reset().
 */
int shim_log_len(void)
{
	return shim_log_n;
}

/**
 * shim_log_at() - one logged event
 * @i: its index, 0 for the oldest
 *
 * Return: the event, or NULL if @i is out of range.
 */
const struct shim_event *shim_log_at(int i)
{
	return i >= 0 && i < shim_log_n ? &shim_log[i] : NULL;
}

/**
 * shim_log_count() - how often an event was logged
 * @what: the event's name
 *
 * Return: the count since the last shim_log_reset().
 */
int shim_log_count(const char *what)
{
	int i, n = 0;

	for (i = 0; i < shim_log_n; i++)
		n += !strcmp(shim_log[i].what, what);
	return n;
}

/**
 * shim_log_find() - the next occurrence of an event
 * @from: first index to look at
 * @what: the event's name
 * @addr: the address it must concern, or NULL for any
 *
 * Return: its index, or -1 if it does not occur at or after @from.
 */
int shim_log_find(int from, const char *what, const void *addr)
{
	int i;

	for (i = from < 0 ? 0 : from; i < shim_log_n; i++)
		if (!strcmp(shim_log[i].what, what) &&
		    (!addr || shim_log[i].addr == addr))
			return i;
	return -1;
}

/**
 * shim_die() - stop the test on a shim-detected bug
 * @what: what went wrong
 */
void shim_die(const char *what)
{
	fprintf(stderr, "shim: %s\n", what);
	abort();
}
