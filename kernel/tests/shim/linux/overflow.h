/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_OVERFLOW_H_
#define _SHIM_LINUX_OVERFLOW_H_

/* The kernel's are these builtins too, plus type checks. */
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

#endif
