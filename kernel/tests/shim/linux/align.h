/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_ALIGN_H_
#define _SHIM_LINUX_ALIGN_H_

#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)

#endif
