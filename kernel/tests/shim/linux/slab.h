/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_SLAB_H_
#define _SHIM_LINUX_SLAB_H_

#include <stdlib.h>

#include <linux/types.h>

#define GFP_KERNEL 0u

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(1, size);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(n, size);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#endif
