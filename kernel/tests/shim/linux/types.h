/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_TYPES_H_
#define _SHIM_LINUX_TYPES_H_

/* The uapi half (__u32, ...), which the kernel's names are made of. */
#include_next <linux/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef u64 dma_addr_t;
typedef u32 gfp_t;

#endif
