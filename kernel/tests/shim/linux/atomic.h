/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_ATOMIC_H_
#define _SHIM_LINUX_ATOMIC_H_

/* The few atomic_t operations the engine uses, on the compiler's atomics. */
typedef struct { int counter; } atomic_t;

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline int atomic_read_acquire(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);
}

static inline int atomic_inc_return(atomic_t *v)
{
	return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST);
}

#endif
