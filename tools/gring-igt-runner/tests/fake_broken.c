// SPDX-License-Identifier: MIT
/* Crashes even when asked to list its subtests. */
#include <signal.h>

#include "fake_igt.h"

int main(void)
{
	fake_die_by(SIGABRT);
	return IGT_EXIT_FAILURE;
}
