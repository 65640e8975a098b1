// SPDX-License-Identifier: MIT
/*
 * Who runs the test: both subtests print the process's user, group and
 * supplementary groups, for the --user checks (one of them is listed in the
 * self-test's DRIVER-root.txt, so it must stay root).
 */
#include <stdio.h>
#include <unistd.h>

#include "fake_igt.h"

static int whoami(void)
{
	gid_t groups[64];
	int i, n = getgroups(ARRAY_SIZE(groups), groups);

	printf("uid=%u euid=%u gid=%u groups=", (unsigned int)getuid(),
	       (unsigned int)geteuid(), (unsigned int)getgid());
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", (unsigned int)groups[i]);
	printf("\n");
	return IGT_EXIT_SUCCESS;
}

static const struct fake_subtest subtests[] = {
	{ "as-user", whoami },
	{ "as-root", whoami },
};

int main(int argc, char **argv)
{
	return fake_main(argc, argv, subtests, ARRAY_SIZE(subtests), NULL);
}
