// SPDX-License-Identifier: MIT
/* One subtest per result the runner must map, plus output edge cases. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_igt.h"

#define BIG_BYTES	(1024 * 1024)
#define BIG_CHUNK	4096

static int pass(void)
{
	printf("all good\n");
	return IGT_EXIT_SUCCESS;
}

static int skip_test(void)
{
	printf("Test requirement not met in function skip: fake\n");
	return IGT_EXIT_SKIP;
}

static int fail(void)
{
	fprintf(stderr, "Test assertion failure: fake: 1 == 2\n");
	return IGT_EXIT_FAILURE;
}

static int crash_test(void)
{
	fprintf(stderr, "about to crash\n");
	fake_die_by(SIGSEGV);
	return IGT_EXIT_FAILURE;
}

static int invalid(void)
{
	return IGT_EXIT_INVALID;
}

static int exit_code(void)
{
	fprintf(stderr, "exiting with 3\n");
	return 3;
}

/*
 * 1 MiB on each stream, alternating in chunks far smaller than a pipe: a
 * runner that reads one stream to the end before the other deadlocks.
 */
static int big_output(void)
{
	static char line[BIG_CHUNK];
	size_t done;
	int i;

	for (i = 0; i < BIG_CHUNK - 1; i++)
		line[i] = (char)('a' + i % 26);
	line[BIG_CHUNK - 1] = '\n';

	for (done = 0; done < BIG_BYTES; done += BIG_CHUNK) {
		if (fwrite(line, 1, BIG_CHUNK, stdout) != BIG_CHUNK ||
		    fwrite(line, 1, BIG_CHUNK, stderr) != BIG_CHUNK)
			return IGT_EXIT_FAILURE;
		fflush(stdout);
	}
	return IGT_EXIT_SUCCESS;
}

/* Bytes that are not text: JSON must still come out valid. */
static int garbage(void)
{
	static const char bytes[] =
		"bad utf-8: \xff\xfe \xc0\xaf \xed\xa0\x80 | ctl: \x01\x1b[0m\x7f"
		" | quote \" backslash \\ | ok utf-8: \xe2\x82\xac \xf0\x9f\x98\x80\n";

	fwrite(bytes, 1, sizeof(bytes) - 1, stdout);
	fwrite("nul:\0:end\n", 1, 10, stderr);
	return IGT_EXIT_SUCCESS;
}

static const struct fake_subtest subtests[] = {
	{ "pass", pass },
	{ "skip", skip_test },
	{ "fail", fail },
	{ "crash", crash_test },
	{ "invalid", invalid },
	{ "exit-code", exit_code },
	{ "big-output", big_output },
	{ "garbage", garbage },
};

int main(int argc, char **argv)
{
	return fake_main(argc, argv, subtests, ARRAY_SIZE(subtests), NULL);
}
