/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_SPINLOCK_H_
#define _SHIM_LINUX_SPINLOCK_H_

#include <linux/types.h>

#include "../shim.h"

/*
 * The tests are single-threaded, so a lock is a flag that catches what
 * lockdep would: taking a lock already held (a self-deadlock), releasing
 * one not held, and asserting a lock that is not held.
 */
struct shim_spinlock {
	bool held;
};

#define spinlock_t struct shim_spinlock

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->held = false;
}

static inline void shim_spin_lock(spinlock_t *lock)
{
	if (lock->held)
		shim_die("spinlock taken twice (self-deadlock)");
	lock->held = true;
}

static inline void shim_spin_unlock(spinlock_t *lock)
{
	if (!lock->held)
		shim_die("spinlock released but not held");
	lock->held = false;
}

#define spin_lock_irqsave(lock, flags)					\
	do { (flags) = 0; shim_spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags)				\
	do { (void)(flags); shim_spin_unlock(lock); } while (0)

#endif
