/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_ERRNO_H_
#define _SHIM_LINUX_ERRNO_H_

/* The kernel's values are the uapi ones for every errno gring uses. */
#include_next <linux/errno.h>

#endif
