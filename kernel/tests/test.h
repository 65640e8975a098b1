/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny assert for gring's host tests: a failed check prints where and
 * what, and the test binary exits non-zero at the end.
 */
#ifndef _GRING_TEST_H_
#define _GRING_TEST_H_

#include <stdio.h>

static int test_failures;
static const char *test_group = "";

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: [%s] CHECK(%s) failed\n", \
				__FILE__, __LINE__, test_group, #cond);	\
			test_failures++;				\
		}							\
	} while (0)

/* Both sides as unsigned long long, printed on failure. */
#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long __ta = (unsigned long long)(a);	\
		unsigned long long __tb = (unsigned long long)(b);	\
		if (__ta != __tb) {					\
			fprintf(stderr,					\
				"%s:%d: [%s] CHECK_EQ(%s, %s) failed: %#llx != %#llx\n", \
				__FILE__, __LINE__, test_group, #a, #b,	\
				__ta, __tb);				\
			test_failures++;				\
		}							\
	} while (0)

#define TEST_GROUP(name)						\
	do {								\
		test_group = (name);					\
		printf("# %s\n", test_group);				\
	} while (0)

static inline int test_result(const char *binary)
{
	if (test_failures) {
		printf("%s: %d check(s) FAILED\n", binary, test_failures);
		return 1;
	}
	printf("%s: all checks passed\n", binary);
	return 0;
}

#endif /* _GRING_TEST_H_ */
