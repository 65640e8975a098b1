/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_CONTAINER_OF_H_
#define _SHIM_LINUX_CONTAINER_OF_H_

#include <stddef.h>

#define container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))

#define typeof_member(type, ...) typeof(((type *)0)->__VA_ARGS__)

#endif
