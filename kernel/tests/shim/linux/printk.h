/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_PRINTK_H_
#define _SHIM_LINUX_PRINTK_H_

#include "../shim.h"

#define pr_warn(fmt...) shim_printk("pr_warn", fmt)

#endif
