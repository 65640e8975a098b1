/* SPDX-License-Identifier: MIT */
/*
 * Just enough of IGT's command line for the runner's self-test: a fake
 * test binary answers --list-subtests and --run-subtest NAME, prints IGT's
 * subtest lines and exits with IGT's codes. No libigt.
 */
#ifndef GRING_FAKE_IGT_H
#define GRING_FAKE_IGT_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct fake_subtest {
	const char *name;
	int (*run)(void);
};

static inline const char *fake_result(int code)
{
	switch (code) {
	case IGT_EXIT_SUCCESS:
		return "SUCCESS";
	case IGT_EXIT_SKIP:
		return "SKIP";
	default:
		return "FAIL";
	}
}

/* Die by @sig without leaving a core file in the build tree. */
static inline void fake_die_by(int sig)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	fflush(NULL);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * @simple runs when the binary has no subtests (@n == 0); like IGT's
 * simple tests, such a binary answers --list-subtests with IGT_EXIT_INVALID.
 */
static inline int fake_main(int argc, char **argv,
			    const struct fake_subtest *subtests, size_t n,
			    int (*simple)(void))
{
	size_t i;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "--list-subtests")) {
		if (!n)
			return IGT_EXIT_INVALID;
		for (i = 0; i < n; i++)
			printf("%s\n", subtests[i].name);
		return IGT_EXIT_SUCCESS;
	}
	if (argc == 1 && !n && simple)
		return simple();
	if (argc != 3 || strcmp(argv[1], "--run-subtest")) {
		fprintf(stderr, "usage: %s --list-subtests | --run-subtest NAME\n",
			argv[0]);
		return IGT_EXIT_INVALID;
	}

	for (i = 0; i < n; i++) {
		if (strcmp(argv[2], subtests[i].name))
			continue;
		printf("Starting subtest: %s\n", subtests[i].name);
		fflush(stdout);
		ret = subtests[i].run();
		printf("Subtest %s: %s\n", subtests[i].name, fake_result(ret));
		fflush(NULL);
		return ret;
	}
	fprintf(stderr, "Unknown subtest: %s\n", argv[2]);
	return IGT_EXIT_INVALID;
}

#endif
