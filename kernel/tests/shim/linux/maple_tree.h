/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim of the maple tree's range API, as the soft engine's table
 * uses it: a small array searched linearly. Same answers, no speed.
 */
#ifndef _SHIM_LINUX_MAPLE_TREE_H_
#define _SHIM_LINUX_MAPLE_TREE_H_

#include <errno.h>
#include <stdbool.h>

#include <linux/types.h>

#define SHIM_MT_MAX	64

struct maple_tree {
	unsigned int n;
	struct {
		unsigned long first, last;
		void *entry;
	} r[SHIM_MT_MAX];
};

#define MT_FLAGS_USE_RCU	0x02

/* The host has one thread: RCU mode changes nothing here. */
static inline void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	(void)flags;
	mt->n = 0;
}

static inline void mt_init(struct maple_tree *mt)
{
	mt_init_flags(mt, 0);
}

static inline bool mtree_empty(const struct maple_tree *mt)
{
	return mt->n == 0;
}

static inline void mtree_destroy(struct maple_tree *mt)
{
	mt->n = 0;
}

static inline int mtree_insert_range(struct maple_tree *mt,
				     unsigned long first, unsigned long last,
				     void *entry, gfp_t gfp)
{
	unsigned int i;

	(void)gfp;
	if (first > last)
		return -EINVAL;
	for (i = 0; i < mt->n; i++)
		if (first <= mt->r[i].last && mt->r[i].first <= last)
			return -EEXIST;
	if (mt->n == SHIM_MT_MAX)
		return -ENOMEM;
	mt->r[mt->n].first = first;
	mt->r[mt->n].last = last;
	mt->r[mt->n].entry = entry;
	mt->n++;
	return 0;
}

static inline void *mtree_load(struct maple_tree *mt, unsigned long index)
{
	unsigned int i;

	for (i = 0; i < mt->n; i++)
		if (mt->r[i].first <= index && index <= mt->r[i].last)
			return mt->r[i].entry;
	return NULL;
}

static inline void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	unsigned int i;
	void *entry;

	for (i = 0; i < mt->n; i++) {
		if (mt->r[i].first <= index && index <= mt->r[i].last) {
			entry = mt->r[i].entry;
			mt->r[i] = mt->r[--mt->n];
			return entry;
		}
	}
	return NULL;
}

#endif
