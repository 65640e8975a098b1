/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_BITS_H_
#define _SHIM_LINUX_BITS_H_

#define BIT(n) (1ul << (n))

#endif
