// SPDX-License-Identifier: MIT
/* Tests the runner has to stop: a sleeper, one deaf to SIGTERM, a leaker. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "fake_igt.h"

static int sleep_long(void)
{
	sleep(60);
	return IGT_EXIT_SUCCESS;
}

static int ignore_term(void)
{
	signal(SIGTERM, SIG_IGN);
	printf("ignoring SIGTERM\n");
	fflush(stdout);
	sleep(60);
	return IGT_EXIT_SUCCESS;
}

/*
 * Passes at once but leaves a child holding stdout open: the runner must
 * not wait for that pipe to close.
 */
static int leftover_child(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return IGT_EXIT_FAILURE;
	if (pid == 0) {
		sleep(60);
		_exit(0);
	}
	return IGT_EXIT_SUCCESS;
}

static const struct fake_subtest subtests[] = {
	{ "sleep", sleep_long },
	{ "ignore-term", ignore_term },
	{ "leftover-child", leftover_child },
};

int main(int argc, char **argv)
{
	return fake_main(argc, argv, subtests, ARRAY_SIZE(subtests), NULL);
}
