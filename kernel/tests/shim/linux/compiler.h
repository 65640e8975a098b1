/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_COMPILER_H_
#define _SHIM_LINUX_COMPILER_H_

#include "../shim.h"

/*
 * One untorn access each, as in the kernel, and an entry in the event log
 * with the address, so a test can see a pointer being published or read
 * relative to the barriers around it.
 */
#define READ_ONCE(x) ({							\
	__auto_type __shim_p = &(x);					\
	typeof(*__shim_p) __shim_v =					\
		__atomic_load_n(__shim_p, __ATOMIC_RELAXED);		\
	shim_event("READ_ONCE", __shim_p);				\
	__shim_v;							\
})

#define WRITE_ONCE(x, val) do {						\
	__auto_type __shim_p = &(x);					\
	__atomic_store_n(__shim_p, (val), __ATOMIC_RELAXED);		\
	shim_event("WRITE_ONCE", __shim_p);				\
} while (0)

#endif
