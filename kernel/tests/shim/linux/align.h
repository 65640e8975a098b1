/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_ALIGN_H_
#define _SHIM_LINUX_ALIGN_H_

#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)
#define ALIGN(x, a) ({						\
	typeof(x) __shim_m = (typeof(x))(a) - 1;			\
	((x) + __shim_m) & ~__shim_m;					\
})

#endif
