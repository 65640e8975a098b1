/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_LIMITS_H_
#define _SHIM_LINUX_LIMITS_H_

/* glibc's <limits.h> includes the uapi one: keep it whole. */
#include_next <linux/limits.h>
#include <stdint.h>

#define U32_MAX UINT32_MAX
#define U64_MAX UINT64_MAX
#ifndef ULONG_MAX
#define ULONG_MAX (~0ul)
#endif

#endif
