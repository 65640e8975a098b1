/* SPDX-License-Identifier: MIT */
/*
 * Small helpers every part of the runner uses: allocation that cannot fail
 * silently, a growable byte buffer, clocks.
 */
#ifndef GRING_IGT_RUNNER_UTIL_H
#define GRING_IGT_RUNNER_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define PROG_NAME	"gring-igt-runner"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(f, a)	__attribute__((format(printf, f, a)))
#define __noreturn	__attribute__((noreturn))

/* Exit status for usage and runner errors (tests failing is 1). */
#define EXIT_RUNNER	2

/*
 * A growable byte buffer. data is always NUL-terminated (when non-NULL) so
 * text helpers may use it, but it may also hold NUL bytes: len is the truth.
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

__printf(1, 2) __noreturn void die(const char *fmt, ...);
__printf(1, 2) void errmsg(const char *fmt, ...);

void *xmalloc(size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
__printf(1, 2) char *xasprintf(const char *fmt, ...);

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
__printf(2, 3) void buf_printf(struct buf *b, const char *fmt, ...);
void buf_free(struct buf *b);

double now_mono(void);
double now_wall(void);

#endif
