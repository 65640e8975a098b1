// SPDX-License-Identifier: MIT
/*
 * /dev/kmsg reader.
 *
 * Each read() returns one record, "PRIO,SEQ,USEC,FLAGS[,...];TEXT\n",
 * followed by dictionary lines that start with a space. Non-printable bytes
 * of TEXT arrive as \xNN. A buffer too small for a record fails with EINVAL
 * (so records are never cut short: the buffer grows and the read is
 * retried), EAGAIN means we are up to date, and EPIPE means the ring
 * overwrote records we had not read yet; reading continues with the oldest
 * one left, and the loss is written into the test's dmesg.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"

#define KMSG_PATH	"/dev/kmsg"
#define REC_CAP_START	8192	/* the kernel's CONSOLE_EXT_LOG_MAX */
#define REC_CAP_MAX	(1024 * 1024)

/*
 * Text that means trouble at any priority: a WARN() or BUG() splat, an
 * oops, a GPF, and the stack trace that follows each of them.
 */
static const char *const trouble[] = {
	"WARNING:",
	"BUG:",
	"Oops",
	"general protection",
	"Call Trace",
};

/*
 * Warnings that say the host was busy, not that the kernel misbehaved:
 * under TCG a vCPU can be off the host CPU for a second, and the
 * clocksource watchdog and the hrtimer code (once per boot) say so at
 * warning level. Not trouble, whatever the test.
 */
static const char *const host_noise[] = {
	"clocksource: Long readout interval, skipping watchdog check",
	"hrtimer: interrupt took ",
	/* The watchdog giving up on the TSC for the same reason. */
	"clocksource: timekeeping watchdog on CPU",
	"TSC found unstable after boot",
	"tsc: Marking TSC unstable due to clocksource watchdog",
};

static void drop_ignore(struct kmsg *k)
{
	if (k->has_ignore)
		regfree(&k->ignore);
	k->has_ignore = false;
}

/**
 * kmsg_open() - start following the kernel log from its current end.
 * @k: the reader.
 *
 * Return: 0, or a negative errno.
 */
int kmsg_open(struct kmsg *k)
{
	int err;

	k->fd = open(KMSG_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -errno;
	if (lseek(k->fd, 0, SEEK_END) < 0) {
		err = -errno;
		close(k->fd);
		k->fd = -1;
		return err;
	}
	k->rec_cap = REC_CAP_START;
	k->has_ignore = false;
	k->rec = xmalloc(k->rec_cap);
	return 0;
}

void kmsg_close(struct kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	free(k->rec);
	k->rec = NULL;
	drop_ignore(k);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append @text with the kernel's \xNN escapes turned back into bytes. */
static void append_unescaped(struct buf *b, const char *text)
{
	const char *p = text;

	while (*p) {
		int hi = p[0] == '\\' && p[1] == 'x' ? hexval(p[2]) : -1;
		int lo = hi >= 0 ? hexval(p[3]) : -1;
		char c;

		if (lo < 0) {
			buf_append(b, p, 1);
			p++;
			continue;
		}
		c = (char)(hi << 4 | lo);
		buf_append(b, &c, 1);
		p += 4;
	}
}

static bool is_trouble(const struct kmsg *k, unsigned int prio, char flag,
		       const char *line)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(trouble); i++)
		if (strstr(line, trouble[i]))
			return true;
	/* 'c' marks a continuation of a record already judged (old kernels) */
	if (prio > KMSG_WARN_LEVEL || flag == 'c')
		return false;
	for (i = 0; i < ARRAY_SIZE(host_noise); i++)
		if (strstr(line, host_noise[i]))
			return false;
	/* Expected of this test, by its own word (KMSG_IGNORE_MARK). */
	return !(k->has_ignore && !regexec(&k->ignore, line, 0, NULL, 0));
}

/* A test's KMSG_IGNORE_MARK record: remember its regex (the last one wins). */
static void take_ignore(struct kmsg *k, const char *line, struct buf *text)
{
	const char *re = strstr(line, KMSG_IGNORE_MARK);
	char *copy, *nl;

	if (!re)
		return;
	copy = xstrdup(re + strlen(KMSG_IGNORE_MARK));
	nl = strchr(copy, '\n');
	if (nl)
		*nl = '\0';
	drop_ignore(k);
	if (!regcomp(&k->ignore, copy, REG_EXTENDED | REG_NOSUB))
		k->has_ignore = true;
	else if (text)
		buf_printf(text, PROG_NAME ": bad ignored-dmesg regex '%s'\n", copy);
	free(copy);
}

/* Format one record the way IGT's runner does: "<PRIO> [SEC.USEC] TEXT". */
static void add_record(struct kmsg *k, char *rec, struct buf *text,
		       struct buf *warnings)
{
	unsigned long long seq, usec;
	struct buf line = { 0 };
	unsigned int flags;
	char flag = '-';
	char *msg, *nl;

	if (sscanf(rec, "%u,%llu,%llu,%c", &flags, &seq, &usec, &flag) < 3)
		return;
	msg = strchr(rec, ';');
	if (!msg)
		return;
	msg++;
	nl = strchr(msg, '\n');
	if (nl)
		*nl = '\0';	/* the dictionary lines after it are dropped */

	buf_printf(&line, "<%u> [%llu.%06llu] ", flags & 7,
		   usec / 1000000, usec % 1000000);
	append_unescaped(&line, msg);
	buf_append(&line, "\n", 1);

	if (text)
		buf_append(text, line.data, line.len);
	take_ignore(k, line.data, text);
	if (warnings && is_trouble(k, flags & 7, flag, line.data))
		buf_append(warnings, line.data, line.len);
	buf_free(&line);
}

/**
 * kmsg_collect() - read every record logged since the last call.
 * @k: the reader.
 * @text: where all records go (may be NULL to discard).
 * @warnings: where records that taint a result go (may be NULL).
 *
 * Return: 0, or a negative errno if the log cannot be read.
 */
int kmsg_collect(struct kmsg *k, struct buf *text, struct buf *warnings)
{
	for (;;) {
		ssize_t n = read(k->fd, k->rec, k->rec_cap - 1);

		if (n > 0) {
			k->rec[n] = '\0';
			add_record(k, k->rec, text, warnings);
			continue;
		}
		if (n == 0 || errno == EAGAIN) {
			/* One call per test: its ignored regex ends with it. */
			drop_ignore(k);
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE) {
			if (text)
				buf_puts(text, PROG_NAME
					 ": kernel log records lost (overwritten before they were read)\n");
			continue;
		}
		if (errno == EINVAL && k->rec_cap < REC_CAP_MAX) {
			k->rec_cap *= 2;
			k->rec = xrealloc(k->rec, k->rec_cap);
			continue;
		}
		return -errno;
	}
}
