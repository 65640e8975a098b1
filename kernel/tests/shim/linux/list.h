/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_LIST_H_
#define _SHIM_LINUX_LIST_H_

#include <string.h>

#include <linux/container_of.h>
#include <linux/types.h>

/* A circular doubly linked list with the kernel's interface. */
struct list_head {
	struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_add_tail(struct list_head *entry,
				 struct list_head *head)
{
	entry->prev = head->prev;
	entry->next = head;
	head->prev->next = entry;
	head->prev = entry;
}

static inline void list_del(struct list_head *entry)
{
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	/* Poisoned, as in the kernel: a second list_del() crashes the test. */
	entry->next = NULL;
	entry->prev = NULL;
}

static inline void list_del_init(struct list_head *entry)
{
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	INIT_LIST_HEAD(entry);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)

#define list_first_entry(head, type, member)				\
	list_entry((head)->next, type, member)

#define list_first_entry_or_null(head, type, member) ({		\
	struct list_head *__shim_h = (head);				\
	list_empty(__shim_h) ? NULL :					\
		list_first_entry(__shim_h, type, member);		\
})

/*
 * The kernel's list_for_each_entry(), but with each argument named once:
 * the walk itself is in shim_list_iter_next(), which stores each entry
 * into the caller's cursor.
 */
struct shim_list_iter {
	const struct list_head *head, *node;
	size_t offset;
	void *cursor;
};

static inline struct shim_list_iter
shim_list_iter_start(const struct list_head *head, size_t offset, void *cursor)
{
	struct shim_list_iter it = {
		.head = head, .node = head, .offset = offset, .cursor = cursor,
	};

	return it;
}

static inline bool shim_list_iter_next(struct shim_list_iter *it)
{
	void *entry;

	it->node = it->node->next;
	if (it->node == it->head)
		return false;
	entry = (char *)it->node - it->offset;
	memcpy(it->cursor, &entry, sizeof(entry));
	return true;
}

#define list_for_each_entry(pos, head, member)				\
	for (struct shim_list_iter __shim_it = shim_list_iter_start(head, \
		offsetof(typeof(*(typeof(pos))NULL), member), &(pos));	\
	     shim_list_iter_next(&__shim_it);)

#endif
