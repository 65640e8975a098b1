// SPDX-License-Identifier: MIT
/* A test without subtests: the runner runs it bare, as igt@fake_simple. */
#include <stdio.h>

#include "fake_igt.h"

static int simple_test(void)
{
	printf("simple test ran\n");
	return IGT_EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	return fake_main(argc, argv, NULL, 0, simple_test);
}
