/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_KERNEL_H_
#define _SHIM_LINUX_KERNEL_H_

#include <linux/array_size.h>
#include <linux/bug.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/types.h>

#endif
