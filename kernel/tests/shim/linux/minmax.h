/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_MINMAX_H_
#define _SHIM_LINUX_MINMAX_H_

#define min(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b); __a < __b ? __a : __b; })
#define max(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b); __a > __b ? __a : __b; })

#endif
