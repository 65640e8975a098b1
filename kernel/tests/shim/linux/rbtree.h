/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_RBTREE_H_
#define _SHIM_LINUX_RBTREE_H_

#include <linux/container_of.h>
#include <linux/types.h>

#include "../shim.h"

/*
 * The kernel's rbtree interface over a plain, unbalanced binary search
 * tree: the same order and the same answers, without the balancing,
 * which only changes how long a walk takes. rb_left and rb_right are the
 * kernel's field names; the parent is kept in a field of its own.
 */
struct rb_node {
	struct rb_node *rb_left, *rb_right, *shim_parent;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define RB_EMPTY_ROOT(root) (!(root)->rb_node)
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->rb_left = NULL;
	node->rb_right = NULL;
	node->shim_parent = parent;
	*link = node;
}

static inline void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	(void)node;
	(void)root;
}

/* Put @new (possibly NULL) where @old hangs from its parent. */
static inline void shim_rb_replace(struct rb_root *root, struct rb_node *old,
				   struct rb_node *new)
{
	struct rb_node *parent = old->shim_parent;

	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	if (new)
		new->shim_parent = parent;
}

static inline void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *next;

	if (node->shim_parent == node)
		shim_die("erasing a node that is in no tree");
	if (!node->rb_left) {
		shim_rb_replace(root, node, node->rb_right);
	} else if (!node->rb_right) {
		shim_rb_replace(root, node, node->rb_left);
	} else {
		/* Two children: the in-order successor takes its place. */
		next = node->rb_right;
		while (next->rb_left)
			next = next->rb_left;
		if (next->shim_parent != node) {
			shim_rb_replace(root, next, next->rb_right);
			next->rb_right = node->rb_right;
			next->rb_right->shim_parent = next;
		}
		shim_rb_replace(root, node, next);
		next->rb_left = node->rb_left;
		next->rb_left->shim_parent = next;
	}
	/* Poisoned: a second rb_erase() stops the test. */
	node->shim_parent = node;
}

static inline struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *node = root->rb_node;

	while (node && node->rb_left)
		node = node->rb_left;
	return node;
}

static inline struct rb_node *rb_next(const struct rb_node *node)
{
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while (node->shim_parent && node == node->shim_parent->rb_right)
		node = node->shim_parent;
	return node->shim_parent;
}

#endif
