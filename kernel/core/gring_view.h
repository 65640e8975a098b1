/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: views of a coherent DMA buffer, and who owns their bytes.
 *
 * This header is all another driver needs; nothing in it depends on DRM.
 */
#ifndef _GRING_VIEW_H_
#define _GRING_VIEW_H_

#include <linux/container_of.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct device;

/**
 * DOC: gring views and ownership
 *
 * One coherent DMA allocation is shared by the CPU and a device. gring
 * wraps it in a &struct gring_coherent and lets a driver carve it into
 * *views*: (buffer, offset, size) triples that are checked when they are
 * made and that each carry their own DMA handle, so a driver never adds
 * offsets to DMA addresses by hand.
 *
 * Every byte belongs to the CPU or to the device ("GPU"). Bytes start out
 * CPU-owned; gring_lease_give() hands a view to the device and
 * gring_lease_take() hands it back, each with the barrier the DMA API asks
 * for at that point. While the device owns a byte, CPU access to any view
 * touching it is refused, whichever view the CPU came through. Misuse is
 * refused with an errno, counted in the buffer's &struct gring_coherent_stats,
 * traced (events gring_core:gring_refused, gring_core:gring_to_gpu,
 * gring_core:gring_to_cpu) and reported once per call site, each under the
 * buffer's name (gring_coherent_init()'s @name).
 *
 * The core is its own module, gring_core.ko; its exports are in the symbol
 * namespace GRING, so a user of it has MODULE_IMPORT_NS(GRING).
 *
 * A driver with a command ring and a writeback area in one allocation::
 *
 *	struct my_wb { u32 rptr; u32 pad; u64 seqno; };
 *
 *	struct gring_coherent *buf;
 *	struct gring_view all, ring, wb, seqno;
 *	struct gring_lease lease = {};
 *	u64 done;
 *	int err;
 *
 *	buf = gring_coherent_alloc(dev, SZ_64K, GFP_KERNEL, "my-ring");
 *	if (IS_ERR(buf))
 *		return PTR_ERR(buf);
 *	err = gring_coherent_view(buf, 0, SZ_64K, 0, &all) ?:
 *	      gring_view_sub(&all, 0, SZ_32K, SZ_4K, &ring) ?:
 *	      gring_view_sub_type(&all, SZ_32K, struct my_wb, &wb) ?:
 *	      gring_view_field(&wb, struct my_wb, seqno, &seqno);
 *	if (err)
 *		goto out_free;
 *
 *	gring_view_wr_field(&wb, struct my_wb, seqno, 0);   (CPU owns wb)
 *	err = gring_lease_give(&wb, &lease);          (dma_wmb, device owns wb)
 *	my_hw_set_fence_addr(gring_view_dma_handle(&seqno));
 *	...
 *	gring_view_poll_field(&wb, struct my_wb, seqno, &done);  (the one CPU
 *	                                   read allowed on device-owned bytes)
 *	gring_view_wr_field(&wb, struct my_wb, seqno, 1);  (refused: -EBUSY)
 *	err = gring_lease_take(&lease);               (dma_rmb, CPU owns wb)
 *
 * For a command ring built from views (free part CPU-owned, pending part
 * device-owned, wrap-around, writeback), see gring_ring.h.
 *
 * Locking: a buffer's ownership state is protected by its spinlock, taken
 * with interrupts disabled, so every call here may be made from process,
 * softirq or hard interrupt context (a fence callback, say), and none
 * allocates memory except gring_coherent_alloc().
 */

/**
 * struct gring_coherent_stats - what happened to one buffer
 * @to_gpu: successful CPU->device handoffs (gring_lease_give()).
 * @to_cpu: successful device->CPU handoffs (gring_lease_take()).
 * @cpu_refused: CPU accesses refused because the device owned a byte.
 * @give_busy: handoffs refused because the device already owned a byte.
 * @give_twice: handoffs refused because the lease was already given.
 * @take_unheld: take-backs refused because the lease was not given.
 * @bad_view: projections refused (bounds, overflow, alignment, size 0).
 *
 * Read a consistent copy with gring_coherent_get_stats().
 */
struct gring_coherent_stats {
	u64 to_gpu;
	u64 to_cpu;
	u64 cpu_refused;
	u64 give_busy;
	u64 give_twice;
	u64 take_unheld;
	u64 bad_view;
};

/**
 * struct gring_coherent - a coherent DMA buffer shared with a device
 * @vaddr: the CPU's mapping of the buffer.
 * @dma_handle: the buffer's address as the device sees it.
 * @size: the buffer's size in bytes.
 * @name: for reports and traces; must outlive the buffer.
 * @dev: the device that allocated it with gring_coherent_alloc(), or NULL
 *	when the memory belongs to the caller (gring_coherent_init()).
 * @lock: protects @leases and @stats.
 * @leases: the active leases, sorted by offset: every byte inside one is
 *	device-owned, every other byte is CPU-owned.
 * @stats: counters, see &struct gring_coherent_stats.
 *
 * The fields are read-only to users; the DMA handle is meant for views
 * (gring_view_dma_handle()), not for arithmetic.
 */
struct gring_coherent {
	void *vaddr;
	dma_addr_t dma_handle;
	size_t size;
	const char *name;
	struct device *dev;

	spinlock_t lock; /* protects leases and stats */
	struct rb_root leases;
	struct gring_coherent_stats stats;
};

/**
 * struct gring_view - a checked byte range of a &struct gring_coherent
 * @buf: the buffer.
 * @offset: first byte, from the start of the buffer.
 * @size: length in bytes, never 0; @offset + @size never exceeds the
 *	buffer's size.
 *
 * A small value type: copy it, keep it in structures, pass it by pointer.
 * Only gring's projection functions fill one in, so every view in
 * existence has been checked. Holding a view confers no ownership.
 */
struct gring_view {
	struct gring_coherent *buf;
	size_t offset;
	size_t size;
};

/**
 * struct gring_lease - one view handed to the device
 * @rb: in the buffer's tree of active leases.
 * @node: free for the lease holder's use while the lease is active (the
 *	ring keeps its in-flight leases in order with it).
 * @buf: the buffer of the latest handoff; NULL before the first one.
 * @offset: first byte of the latest handoff, from the buffer's start.
 * @size: number of bytes of the latest handoff.
 * @active: the device owns @offset..@offset + @size - 1.
 *
 * Embed one in the state that tracks the device's work (a job, a
 * descriptor), zero it (or gring_lease_init()) once, and it can be given
 * and taken any number of times, one handoff at a time. gring never
 * allocates leases, so a handoff cannot fail for lack of memory.
 */
struct gring_lease {
	struct rb_node rb;
	struct list_head node;
	struct gring_coherent *buf;
	size_t offset;
	size_t size;
	bool active;
};

/**
 * struct gring_range - a byte range of a buffer
 * @offset: first byte, from the start of the buffer.
 * @size: number of bytes.
 */
struct gring_range {
	size_t offset;
	size_t size;
};

/**
 * enum gring_owner - who owns the bytes of a view
 * @GRING_OWNER_CPU: the CPU owns every byte.
 * @GRING_OWNER_GPU: the device owns every byte.
 * @GRING_OWNER_MIXED: some bytes belong to each.
 */
enum gring_owner {
	GRING_OWNER_CPU,
	GRING_OWNER_GPU,
	GRING_OWNER_MIXED,
};

/**
 * struct gring_site - where an API call was made, for once-per-site reports
 * @file: source file of the call.
 * @func: function of the call.
 * @line: line of the call.
 * @reported: a misuse at this site has been reported.
 *
 * Not used directly: the API macros below make one static site per call.
 */
struct gring_site {
	const char *file;
	const char *func;
	int line;
	bool reported;
};

/*
 * One static site per expansion, like the flag behind each pr_warn_once():
 * the same misuse from two places is reported twice, from one place once.
 */
#define GRING_SITE() ({							\
	static struct gring_site __gring_site = {			\
		.file = __FILE__, .func = __func__, .line = __LINE__,	\
	};								\
	&__gring_site;							\
})

/* --- buffers ------------------------------------------------------------ */

void gring_coherent_init(struct gring_coherent *buf, void *vaddr,
			 dma_addr_t dma_handle, size_t size, const char *name);
int gring_coherent_fini(struct gring_coherent *buf);
struct gring_coherent *gring_coherent_alloc(struct device *dev, size_t size,
					    gfp_t gfp, const char *name);
void gring_coherent_free(struct gring_coherent *buf);
void gring_coherent_get_stats(struct gring_coherent *buf,
			      struct gring_coherent_stats *stats);

/* --- projections --------------------------------------------------------- */

int gring_coherent_view(struct gring_coherent *buf, size_t offset,
			size_t size, size_t align, struct gring_view *out);
int gring_view_sub(const struct gring_view *view, size_t offset, size_t size,
		   size_t align, struct gring_view *out);
int gring_view_sub_array(const struct gring_view *view, size_t index,
			 size_t elem_size, size_t align,
			 struct gring_view *out);
int __gring_view_field(const struct gring_view *view, size_t type_size,
		       size_t offset, size_t size, size_t align,
		       struct gring_view *out);

/*
 * The typed macros below pass the member last, as __VA_ARGS__, so that it
 * may be a designator such as a.b[2] and each macro names it once.
 */
#define __gring_field(view, out, type, ...)				\
	__gring_view_field(view, sizeof(type),				\
			   offsetof(type, __VA_ARGS__),			\
			   sizeof_field(type, __VA_ARGS__),		\
			   __alignof__(typeof_member(type, __VA_ARGS__)), out)

/*
 * @ptr itself, but a compiler diagnostic ("pointer type mismatch") unless
 * it points to the member's type: the typed accessors cannot mis-size.
 */
#define __gring_member_ptr(ptr, type, ...)				\
	(1 ? (ptr) : (typeof_member(type, __VA_ARGS__) *)NULL)

#define __gring_rd_field(view, ptr, type, ...)				\
	__gring_view_rd_typed(view, sizeof(type),			\
			      offsetof(type, __VA_ARGS__),		\
			      __gring_member_ptr(ptr, type, __VA_ARGS__), \
			      sizeof_field(type, __VA_ARGS__), GRING_SITE())

#define __gring_poll_field(view, ptr, type, ...)			\
	__gring_view_poll_typed(view, sizeof(type),			\
				offsetof(type, __VA_ARGS__),		\
				__gring_member_ptr(ptr, type, __VA_ARGS__), \
				sizeof_field(type, __VA_ARGS__), GRING_SITE())

#define __gring_wr_field(view, val, type, ...) ({			\
	typeof_member(type, __VA_ARGS__) __gring_v = (val);		\
	__gring_view_wr_typed(view, sizeof(type),			\
			      offsetof(type, __VA_ARGS__), &__gring_v,	\
			      sizeof(__gring_v), GRING_SITE());		\
})

/**
 * gring_view_sub_type() - project a view holding one object of a type
 * @view: the parent view
 * @offset: where the object starts, from the start of @view
 * @type: the object's type; gives the size and the alignment
 * @out: the new view, written only on success
 *
 * Return: as gring_view_sub().
 */
#define gring_view_sub_type(view, offset, type, out)			\
	gring_view_sub(view, offset, sizeof(type), __alignof__(type), out)

/**
 * gring_view_elem() - project element @index of an array of @type
 * @view: the parent view, holding the array from its first byte
 * @type: the element type; gives the stride and the alignment
 * @index: which element
 * @out: the new view, written only on success
 *
 * Return: as gring_view_sub_array().
 */
#define gring_view_elem(view, type, index, out)				\
	gring_view_sub_array(view, index, sizeof(type), __alignof__(type), out)

/**
 * gring_view_field() - project one field of the object a view holds
 * @view: a view holding one @type at its first byte
 * @type: a struct type
 * @field: a member of @type
 * @out: the new view, written only on success
 *
 * Offset, size and alignment come from the type, so the field cannot be
 * mis-sized by hand: the C counterpart of Rust's io_project!().
 *
 * Return: 0, or -ERANGE if @view is smaller than @type, or as
 * gring_view_sub().
 */
#define gring_view_field(view, type, field, out)			\
	__gring_field(view, out, type, field)

/**
 * gring_view_dma_handle() - the device's address of a view's first byte
 * @view: the view
 *
 * The buffer's handle plus the view's offset: the only DMA address a
 * driver needs, for any view at any depth of projection.
 *
 * Return: the DMA address.
 */
static inline dma_addr_t gring_view_dma_handle(const struct gring_view *view)
{
	return view->buf->dma_handle + view->offset;
}

/**
 * gring_view_overlaps() - whether two views share a byte
 * @a: one view
 * @b: the other
 *
 * Return: true if they are views of the same buffer and share a byte.
 */
static inline bool gring_view_overlaps(const struct gring_view *a,
				       const struct gring_view *b)
{
	return a->buf == b->buf && a->offset < b->offset + b->size &&
	       b->offset < a->offset + a->size;
}

/* --- ownership ------------------------------------------------------------ */

enum gring_owner gring_view_owner(const struct gring_view *view);
size_t gring_coherent_gpu_ranges(struct gring_coherent *buf,
				 struct gring_range *out, size_t max);
void gring_lease_init(struct gring_lease *lease);

/**
 * gring_lease_active() - whether the device holds a lease
 * @lease: the lease
 *
 * Return: true between a successful give and its take.
 */
static inline bool gring_lease_active(const struct gring_lease *lease)
{
	return lease->active;
}

int __gring_lease_give(const struct gring_view *view, struct gring_lease *lease,
		       struct gring_site *site);
int __gring_lease_take(struct gring_lease *lease, struct gring_site *site);

/**
 * gring_lease_give() - hand a view to the device
 * @view: the bytes the device may now read and write
 * @lease: an inactive lease; records the handoff until gring_lease_take()
 *
 * See __gring_lease_give().
 */
#define gring_lease_give(view, lease)					\
	__gring_lease_give(view, lease, GRING_SITE())

/**
 * gring_lease_take() - take a view back from the device
 * @lease: the active lease of the view
 *
 * See __gring_lease_take().
 */
#define gring_lease_take(lease) __gring_lease_take(lease, GRING_SITE())

/* --- CPU access ------------------------------------------------------------ */

void *__gring_view_cpu_ptr(const struct gring_view *view,
			   struct gring_site *site);
int __gring_view_read(const struct gring_view *view, size_t offset, void *dst,
		      size_t len, struct gring_site *site);
int __gring_view_write(const struct gring_view *view, size_t offset,
		       const void *src, size_t len, struct gring_site *site);
int __gring_view_poll(const struct gring_view *view, size_t offset, void *dst,
		      size_t len, struct gring_site *site);

/**
 * gring_view_cpu_ptr() - the CPU's pointer to a view's first byte
 * @view: a view the CPU owns entirely
 *
 * See __gring_view_cpu_ptr().
 */
#define gring_view_cpu_ptr(view) __gring_view_cpu_ptr(view, GRING_SITE())

/**
 * gring_view_read() - copy bytes out of a CPU-owned view
 * @view: the view
 * @offset: from the start of @view
 * @dst: destination
 * @len: number of bytes
 *
 * See __gring_view_read().
 */
#define gring_view_read(view, offset, dst, len)				\
	__gring_view_read(view, offset, dst, len, GRING_SITE())

/**
 * gring_view_write() - copy bytes into a CPU-owned view
 * @view: the view
 * @offset: from the start of @view
 * @src: source
 * @len: number of bytes
 *
 * See __gring_view_write().
 */
#define gring_view_write(view, offset, src, len)			\
	__gring_view_write(view, offset, src, len, GRING_SITE())

/**
 * gring_view_rd_field() - read one field of the object a view holds
 * @view: a CPU-owned view holding one @type at its first byte
 * @type: a struct type
 * @field: a member of @type
 * @ptr: where to store the value; must point to the field's type
 *
 * In the spirit of iosys_map_rd_field(), but refused (not done) when the
 * device owns a byte of the field.
 *
 * Return: 0, -ERANGE if @view is smaller than @type, or -EBUSY.
 */
#define gring_view_rd_field(view, type, field, ptr)			\
	__gring_rd_field(view, ptr, type, field)

/**
 * gring_view_wr_field() - write one field of the object a view holds
 * @view: a CPU-owned view holding one @type at its first byte
 * @type: a struct type
 * @field: a member of @type
 * @val: the value, converted to the field's type
 *
 * Return: 0, -ERANGE if @view is smaller than @type, or -EBUSY.
 */
#define gring_view_wr_field(view, type, field, val)			\
	__gring_wr_field(view, val, type, field)

/**
 * gring_view_poll_field() - read a field the device publishes
 * @view: a view holding one @type at its first byte, whoever owns it
 * @type: a struct type
 * @field: a member of @type, 4 or 8 bytes and naturally aligned
 * @ptr: where to store the value; must point to the field's type
 *
 * The only CPU read allowed on device-owned bytes; see __gring_view_poll().
 *
 * Return: 0, -ERANGE if @view is smaller than @type, or -EINVAL.
 */
#define gring_view_poll_field(view, type, field, ptr)			\
	__gring_poll_field(view, ptr, type, field)

/* The typed accessors: check that @view holds a @type, then access. */
static inline int __gring_view_rd_typed(const struct gring_view *view,
					size_t type_size, size_t offset,
					void *dst, size_t len,
					struct gring_site *site)
{
	if (view->size < type_size)
		return -ERANGE;
	return __gring_view_read(view, offset, dst, len, site);
}

static inline int __gring_view_wr_typed(const struct gring_view *view,
					size_t type_size, size_t offset,
					const void *src, size_t len,
					struct gring_site *site)
{
	if (view->size < type_size)
		return -ERANGE;
	return __gring_view_write(view, offset, src, len, site);
}

static inline int __gring_view_poll_typed(const struct gring_view *view,
					  size_t type_size, size_t offset,
					  void *dst, size_t len,
					  struct gring_site *site)
{
	if (view->size < type_size)
		return -ERANGE;
	return __gring_view_poll(view, offset, dst, len, site);
}

#endif /* _GRING_VIEW_H_ */
