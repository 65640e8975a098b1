/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_GFP_H_
#define _SHIM_LINUX_GFP_H_

#include <linux/slab.h>

#endif
