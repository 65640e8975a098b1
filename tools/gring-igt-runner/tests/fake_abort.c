// SPDX-License-Identifier: MIT
/* IGT_EXIT_ABORT stops the run: "after" must never run. */
#include <stdio.h>

#include "fake_igt.h"

static int first(void)
{
	return IGT_EXIT_SUCCESS;
}

static int abort_run(void)
{
	fprintf(stderr, "the machine is in no state to go on\n");
	return IGT_EXIT_ABORT;
}

static int after_abort(void)
{
	printf("after the abort: the runner should not have run this\n");
	return IGT_EXIT_SUCCESS;
}

static const struct fake_subtest subtests[] = {
	{ "first", first },
	{ "abort", abort_run },
	{ "after", after_abort },
};

int main(int argc, char **argv)
{
	return fake_main(argc, argv, subtests, ARRAY_SIZE(subtests), NULL);
}
