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

static bool is_trouble(unsigned int prio, char flag, const char *line)
{
	size_t i;

	/* 'c' marks a continuation of a record already judged (old kernels) */
	if (prio <= KMSG_WARN_LEVEL && flag != 'c')
		return true;
	for (i = 0; i < ARRAY_SIZE(trouble); i++)
		if (strstr(line, trouble[i]))
			return true;
	return false;
}

/* Format one record the way IGT's runner does: "<PRIO> [SEC.USEC] TEXT". */
static void add_record(char *rec, struct buf *text, struct buf *warnings)
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
	if (warnings && is_trouble(flags & 7, flag, line.data))
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
			add_record(k->rec, text, warnings);
			continue;
		}
		if (n == 0 || errno == EAGAIN)
			return 0;
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
