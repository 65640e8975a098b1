/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_BUG_H_
#define _SHIM_LINUX_BUG_H_

#include <linux/types.h>

#include "../shim.h"

/* Logged as "WARN" once per site; the value is the condition's. */
#define WARN_ONCE(cond, fmt...) ({					\
	static bool __shim_warned;					\
	bool __shim_c = !!(cond);					\
	if (__shim_c && !__shim_warned) {				\
		__shim_warned = true;					\
		shim_printk("WARN", fmt);				\
	}								\
	__shim_c;							\
})

/* Logged as "WARN" once per site; the value is the condition's. */
#define WARN_ON_ONCE(cond) WARN_ONCE(cond, "%s", #cond)

#endif
