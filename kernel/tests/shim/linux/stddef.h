/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_STDDEF_H_
#define _SHIM_LINUX_STDDEF_H_

#include_next <linux/stddef.h>
#include <stddef.h>

#include <linux/container_of.h>

/* The member last, so it may be a designator and is named once. */
#define sizeof_field(TYPE, ...) sizeof(typeof_member(TYPE, __VA_ARGS__))

#endif
