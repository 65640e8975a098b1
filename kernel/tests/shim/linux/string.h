/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_STRING_H_
#define _SHIM_LINUX_STRING_H_

#include <string.h>

#include <linux/types.h>

static inline void *memset32(u32 *s, u32 v, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		s[i] = v;
	return s;
}

#endif
