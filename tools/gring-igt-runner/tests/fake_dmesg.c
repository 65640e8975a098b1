// SPDX-License-Identifier: MIT
/*
 * Kernel log records written the way a driver's would land: the runner must
 * turn warnings into dmesg-warn / dmesg-fail. Skips (77) with a reason if
 * /dev/kmsg cannot be written (not root).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fake_igt.h"

static int kmsg_write(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		printf("cannot open /dev/kmsg for writing: %s\n", strerror(errno));
		return -1;
	}
	n = write(fd, line, strlen(line));
	close(fd);
	if (n != (ssize_t)strlen(line)) {
		printf("cannot write /dev/kmsg: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int warn(void)
{
	if (kmsg_write("<4>gring-selftest: WARNING: fake warning\n"))
		return IGT_EXIT_SKIP;
	return IGT_EXIT_SUCCESS;
}

static int fail_warn(void)
{
	if (kmsg_write("<3>gring-selftest: fake error\n"))
		return IGT_EXIT_SKIP;
	return IGT_EXIT_FAILURE;
}

/* Info level, but it reads like a splat. */
static int splat_text(void)
{
	if (kmsg_write("<6>gring-selftest: Call Trace: fake\n"))
		return IGT_EXIT_SKIP;
	return IGT_EXIT_SUCCESS;
}

/* An error the test says it expects (IGT's marker): still a pass. */
static int ignored(void)
{
	if (kmsg_write("<6>[IGT] add ignored dmesg regex: gring-selftest: expected e[r]+or\n") ||
	    kmsg_write("<3>gring-selftest: expected error\n"))
		return IGT_EXIT_SKIP;
	return IGT_EXIT_SUCCESS;
}

/* The marker never excuses a splat. */
static int ignored_splat(void)
{
	if (kmsg_write("<6>[IGT] add ignored dmesg regex: gring-selftest\n") ||
	    kmsg_write("<4>gring-selftest: WARNING: expected or not\n"))
		return IGT_EXIT_SKIP;
	return IGT_EXIT_SUCCESS;
}

/* The same error, without the marker, in the next test: it counts. */
static int after_ignored(void)
{
	if (kmsg_write("<3>gring-selftest: expected error\n"))
		return IGT_EXIT_SKIP;
	return IGT_EXIT_SUCCESS;
}

static int quiet(void)
{
	if (kmsg_write("<6>gring-selftest: just information\n"))
		return IGT_EXIT_SKIP;
	return IGT_EXIT_SUCCESS;
}

static const struct fake_subtest subtests[] = {
	{ "warn", warn },
	{ "fail-warn", fail_warn },
	{ "splat-text", splat_text },
	{ "quiet", quiet },
	{ "ignored", ignored },
	{ "ignored-splat", ignored_splat },
	{ "after-ignored", after_ignored },
};

int main(int argc, char **argv)
{
	return fake_main(argc, argv, subtests, ARRAY_SIZE(subtests), NULL);
}
