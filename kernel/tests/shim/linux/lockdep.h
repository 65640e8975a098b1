/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_LOCKDEP_H_
#define _SHIM_LINUX_LOCKDEP_H_

#include <linux/spinlock.h>

#define lockdep_assert_held(lock)					\
	do {								\
		if (!(lock)->held)					\
			shim_die("lockdep_assert_held: lock not held");	\
	} while (0)

#endif
