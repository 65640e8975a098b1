/* SPDX-License-Identifier: GPL-2.0-only */
/* The host tests run on little-endian x86, as the module does. */
#ifndef _SHIM_ASM_BYTEORDER_H_
#define _SHIM_ASM_BYTEORDER_H_

#include <linux/types.h>

#define cpu_to_le64(x) ((__le64)(u64)(x))
#define le64_to_cpu(x) ((u64)(x))
#define cpu_to_le32(x) ((__le32)(u32)(x))
#define le32_to_cpu(x) ((u32)(x))
#define cpu_to_le16(x) ((__le16)(u16)(x))
#define le16_to_cpu(x) ((u16)(x))

#endif
