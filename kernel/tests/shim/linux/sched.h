/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_SCHED_H_
#define _SHIM_LINUX_SCHED_H_

static inline void cond_resched(void)
{
}

#endif
