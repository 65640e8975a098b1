/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_DELAY_H_
#define _SHIM_LINUX_DELAY_H_

#include <unistd.h>

static inline void fsleep(unsigned long usecs)
{
	usleep(usecs);
}

#endif
