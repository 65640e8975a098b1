// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring_core: views of a coherent DMA buffer and the CPU/device handoff.
 *
 * Ownership is kept as the set of active leases of each buffer, in an
 * rbtree sorted by offset: a byte inside an active lease belongs to the
 * device, every other byte to the CPU. Leases never overlap (a give
 * touching a device-owned byte is refused), so their ends are sorted too,
 * and "does the device own a byte of [a, b)" is one descent: the lease
 * with the greatest offset below b, if any, is the only candidate. A ring
 * keeps one lease per job in flight, possibly thousands, and every submit
 * asks that question twice.
 *
 * No DRM in here: see gring_view.h for how another driver uses it.
 *
 * This file also gives the module gring_core.ko (this file, gring_ring.c
 * and gring_vq.c) its identity. It has no init or exit: nothing to set up
 * beyond what its users allocate. Its reports carry no module prefix: they
 * are printed under the buffer's (ring's, queue's) name, which the user of
 * the core chooses, so that a driver's buffer reads as that driver's.
 */

#include <linux/align.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <asm/barrier.h>

#include "gring_view.h"

#define CREATE_TRACE_POINTS
#include "gring_core_trace.h"

/*
 * Report one refused call: always traced, printed once per call site.
 * Userspace can reach these paths through ioctls, so this is a warning
 * in the log, never a WARN (which would taint, or panic with
 * panic_on_warn, at a user's request).
 */
static void gring_report(const struct gring_coherent *buf,
			 struct gring_site *site, const char *what,
			 size_t offset, size_t size, int err)
{
	const char *name = buf ? buf->name : KBUILD_MODNAME " (no buffer)";

	trace_gring_refused(name, what, offset, size, err);
	/* Racy like pr_warn_once(): at worst a second line. */
	if (site->reported)
		return;
	site->reported = true;
	pr_warn("%s: %s of [%#zx, +%#zx) refused (%d) at %s:%d %s(); further refusals at this site are counted, not printed\n",
		name, what, offset, size, err, site->file, site->line,
		site->func);
}

/*
 * The lease with the greatest offset below @end, or NULL: the only one
 * that can hold a byte of [start, end), since those before it end before
 * it starts.
 */
static struct gring_lease *gring_lease_below_locked(struct gring_coherent *buf,
						    size_t end)
{
	struct rb_node *node = buf->leases.rb_node;
	struct gring_lease *best = NULL, *lease;

	lockdep_assert_held(&buf->lock);
	while (node) {
		lease = rb_entry(node, struct gring_lease, rb);
		if (lease->offset < end) {
			best = lease;
			node = node->rb_right;
		} else {
			node = node->rb_left;
		}
	}
	return best;
}

/* An active lease sharing a byte with [offset, offset + size), or NULL. */
static struct gring_lease *gring_gpu_lease_locked(struct gring_coherent *buf,
						  size_t offset, size_t size)
{
	struct gring_lease *lease = gring_lease_below_locked(buf, offset + size);

	return lease && lease->offset + lease->size > offset ? lease : NULL;
}

static void gring_lease_insert_locked(struct gring_coherent *buf,
				      struct gring_lease *new)
{
	struct rb_node **link = &buf->leases.rb_node, *parent = NULL;
	struct gring_lease *lease;

	lockdep_assert_held(&buf->lock);
	while (*link) {
		parent = *link;
		lease = rb_entry(parent, struct gring_lease, rb);
		link = new->offset < lease->offset ? &parent->rb_left :
						     &parent->rb_right;
	}
	rb_link_node(&new->rb, parent, link);
	rb_insert_color(&new->rb, &buf->leases);
}

/**
 * gring_coherent_init() - wrap an existing coherent allocation
 * @buf: the buffer to initialise, e.g. embedded in a GEM object
 * @vaddr: the CPU's mapping, from dma_alloc_coherent()
 * @dma_handle: the device's address of the same memory
 * @size: size of the allocation in bytes
 * @name: for reports and traces; must outlive @buf
 *
 * Every byte starts CPU-owned. The memory stays the caller's to free,
 * after gring_coherent_fini() succeeds.
 */
void gring_coherent_init(struct gring_coherent *buf, void *vaddr,
			 dma_addr_t dma_handle, size_t size, const char *name)
{
	memset(buf, 0, sizeof(*buf));
	buf->vaddr = vaddr;
	buf->dma_handle = dma_handle;
	buf->size = size;
	buf->name = name;
	spin_lock_init(&buf->lock);
	buf->leases = RB_ROOT;
}
EXPORT_SYMBOL_NS_GPL(gring_coherent_init, GRING);

/**
 * gring_coherent_fini() - check that a buffer may be freed
 * @buf: the buffer
 *
 * Freeing memory the device may still write is a kernel bug, not a user
 * error: whoever handed work to the device holds a reference to the
 * buffer until it took the work back.
 *
 * Return: 0 if every byte is CPU-owned and the memory may be freed, or
 * -EBUSY (with a warning) if a lease is still active: the caller must
 * then leak the memory rather than free it.
 */
int gring_coherent_fini(struct gring_coherent *buf)
{
	unsigned long flags;
	bool busy;

	spin_lock_irqsave(&buf->lock, flags);
	busy = !RB_EMPTY_ROOT(&buf->leases);
	spin_unlock_irqrestore(&buf->lock, flags);

	if (WARN_ONCE(busy, "%s: freed while the device owns part of it\n",
		      buf->name))
		return -EBUSY;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(gring_coherent_fini, GRING);

/**
 * gring_coherent_alloc() - allocate a coherent buffer for a device
 * @dev: the device that will access it
 * @size: size in bytes, not 0
 * @gfp: allocation flags, as for dma_alloc_coherent()
 * @name: for reports and traces; must outlive the buffer
 *
 * For drivers that have no buffer object of their own to embed a
 * &struct gring_coherent in.
 *
 * Return: the buffer, or ERR_PTR(-EINVAL) if @size is 0, or
 * ERR_PTR(-ENOMEM).
 */
struct gring_coherent *gring_coherent_alloc(struct device *dev, size_t size,
					    gfp_t gfp, const char *name)
{
	struct gring_coherent *buf;
	dma_addr_t dma_handle;
	void *vaddr;

	if (!size)
		return ERR_PTR(-EINVAL);

	buf = kzalloc(sizeof(*buf), gfp);
	if (!buf)
		return ERR_PTR(-ENOMEM);

	vaddr = dma_alloc_coherent(dev, size, &dma_handle, gfp);
	if (!vaddr) {
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}

	gring_coherent_init(buf, vaddr, dma_handle, size, name);
	buf->dev = dev;
	return buf;
}
EXPORT_SYMBOL_NS_GPL(gring_coherent_alloc, GRING);

/**
 * gring_coherent_free() - free a buffer from gring_coherent_alloc()
 * @buf: the buffer, or NULL
 *
 * If the device still owns part of it, the memory is leaked (with a
 * warning from gring_coherent_fini()) rather than handed back to the
 * allocator while the device may write it.
 */
void gring_coherent_free(struct gring_coherent *buf)
{
	if (!buf || gring_coherent_fini(buf))
		return;
	dma_free_coherent(buf->dev, buf->size, buf->vaddr, buf->dma_handle);
	kfree(buf);
}
EXPORT_SYMBOL_NS_GPL(gring_coherent_free, GRING);

/**
 * gring_coherent_get_stats() - copy a buffer's counters
 * @buf: the buffer
 * @stats: where to copy them, taken at one instant
 */
void gring_coherent_get_stats(struct gring_coherent *buf,
			      struct gring_coherent_stats *stats)
{
	unsigned long flags;

	spin_lock_irqsave(&buf->lock, flags);
	*stats = buf->stats;
	spin_unlock_irqrestore(&buf->lock, flags);
}
EXPORT_SYMBOL_NS_GPL(gring_coherent_get_stats, GRING);

static void gring_count_bad_view(struct gring_coherent *buf)
{
	unsigned long flags;

	spin_lock_irqsave(&buf->lock, flags);
	buf->stats.bad_view++;
	spin_unlock_irqrestore(&buf->lock, flags);
}

/*
 * The one projection every other goes through: [offset, offset + size)
 * of the range [base, base + limit) of @buf, which is itself inside @buf.
 * The checks run in the order the errors are documented, and nothing is
 * clamped: a view is exactly what was asked for, or nothing.
 */
static int gring_project(struct gring_coherent *buf, size_t base,
			 size_t limit, size_t offset, size_t size,
			 size_t align, struct gring_view *out)
{
	size_t end, abs;
	int err;

	if (!size || (align > 1 && !is_power_of_2(align))) {
		err = -EINVAL;
		goto refuse;
	}
	if (check_add_overflow(offset, size, &end)) {
		err = -EOVERFLOW;
		goto refuse;
	}
	if (end > limit) {
		err = -ERANGE;
		goto refuse;
	}
	/* Cannot overflow: base + limit <= buf->size. */
	abs = base + offset;
	/*
	 * The device cares about its address, the CPU (typed access) about
	 * its own; with page-aligned allocations they agree, but nothing
	 * here assumes it.
	 */
	if (align > 1 &&
	    (!IS_ALIGNED(buf->dma_handle + abs, align) ||
	     !IS_ALIGNED((uintptr_t)buf->vaddr + abs, align))) {
		err = -EINVAL;
		goto refuse;
	}

	out->buf = buf;
	out->offset = abs;
	out->size = size;
	return 0;

refuse:
	gring_count_bad_view(buf);
	return err;
}

/**
 * gring_coherent_view() - project a view out of a buffer
 * @buf: the buffer
 * @offset: first byte of the view, from the start of @buf
 * @size: length of the view in bytes
 * @align: 0 or 1 for none, else a power of two that both the view's DMA
 *	address and its CPU address must be multiples of
 * @out: the new view, written only on success
 *
 * Return: 0 on success; -EINVAL if @size is 0 or @align is not a power of
 * two; -EOVERFLOW if @offset + @size wraps around; -ERANGE if the view
 * would end past the buffer; -EINVAL if it would be misaligned. Refusals
 * are counted in &gring_coherent_stats.bad_view.
 */
int gring_coherent_view(struct gring_coherent *buf, size_t offset,
			size_t size, size_t align, struct gring_view *out)
{
	return gring_project(buf, 0, buf->size, offset, size, align, out);
}
EXPORT_SYMBOL_NS_GPL(gring_coherent_view, GRING);

/**
 * gring_view_sub() - project a view out of a view
 * @view: the parent view
 * @offset: first byte of the new view, from the start of @view
 * @size: length of the new view in bytes
 * @align: as for gring_coherent_view()
 * @out: the new view, written only on success; may be @view itself
 *
 * The new view lies inside @view; its DMA handle is the parent's plus
 * @offset, at any depth.
 *
 * Return: as gring_coherent_view(), with "past the buffer" meaning past
 * the end of @view.
 */
int gring_view_sub(const struct gring_view *view, size_t offset, size_t size,
		   size_t align, struct gring_view *out)
{
	return gring_project(view->buf, view->offset, view->size, offset, size,
			     align, out);
}
EXPORT_SYMBOL_NS_GPL(gring_view_sub, GRING);

/**
 * gring_view_sub_array() - project one element of an array in a view
 * @view: the parent view, holding the array from its first byte
 * @index: the element
 * @elem_size: the size of one element, which is also the stride
 * @align: as for gring_coherent_view()
 * @out: the new view, written only on success
 *
 * Return: 0 on success; -EOVERFLOW if @index * @elem_size overflows; else
 * as gring_view_sub() for offset @index * @elem_size, size @elem_size.
 */
int gring_view_sub_array(const struct gring_view *view, size_t index,
			 size_t elem_size, size_t align,
			 struct gring_view *out)
{
	size_t offset;

	if (check_mul_overflow(index, elem_size, &offset)) {
		gring_count_bad_view(view->buf);
		return -EOVERFLOW;
	}
	return gring_view_sub(view, offset, elem_size, align, out);
}
EXPORT_SYMBOL_NS_GPL(gring_view_sub_array, GRING);

/**
 * __gring_view_field() - project a field of the object a view holds
 * @view: a view holding one object at its first byte
 * @type_size: the object's size
 * @offset: the field's offset in the object
 * @size: the field's size
 * @align: the field's alignment
 * @out: the new view, written only on success
 *
 * Use gring_view_field(), which takes all four numbers from the type.
 *
 * Return: 0 on success; -ERANGE if @view is smaller than @type_size;
 * else as gring_view_sub().
 */
int __gring_view_field(const struct gring_view *view, size_t type_size,
		       size_t offset, size_t size, size_t align,
		       struct gring_view *out)
{
	if (view->size < type_size) {
		gring_count_bad_view(view->buf);
		return -ERANGE;
	}
	return gring_view_sub(view, offset, size, align, out);
}
EXPORT_SYMBOL_NS_GPL(__gring_view_field, GRING);

/**
 * gring_view_owner() - who owns a view's bytes right now
 * @view: the view
 *
 * A snapshot: by the time the caller looks, a handoff may have changed it.
 * Use it for reports and tests; gring's accessors check ownership
 * themselves, atomically with the access.
 *
 * Return: %GRING_OWNER_CPU, %GRING_OWNER_GPU or %GRING_OWNER_MIXED.
 */
enum gring_owner gring_view_owner(const struct gring_view *view)
{
	struct gring_coherent *buf = view->buf;
	size_t start = view->offset, end = view->offset + view->size;
	struct gring_lease *lease;
	struct rb_node *node;
	unsigned long flags;
	size_t gpu = 0;

	spin_lock_irqsave(&buf->lock, flags);
	/*
	 * Leases never overlap, so the shared bytes add up. Start at the
	 * lease that may hold @start, else the first one after it.
	 */
	lease = gring_lease_below_locked(buf, start + 1);
	if (lease && lease->offset + lease->size > start)
		node = &lease->rb;
	else if (lease)
		node = rb_next(&lease->rb);
	else
		node = rb_first(&buf->leases);
	for (; node; node = rb_next(node)) {
		lease = rb_entry(node, struct gring_lease, rb);
		if (lease->offset >= end)
			break;
		gpu += min(end, lease->offset + lease->size) -
		       max(start, lease->offset);
	}
	spin_unlock_irqrestore(&buf->lock, flags);

	if (!gpu)
		return GRING_OWNER_CPU;
	return gpu == view->size ? GRING_OWNER_GPU : GRING_OWNER_MIXED;
}
EXPORT_SYMBOL_NS_GPL(gring_view_owner, GRING);

/**
 * gring_coherent_gpu_ranges() - the device-owned ranges of a buffer
 * @buf: the buffer
 * @out: where to store the ranges, by increasing offset, one per active
 *	lease (adjacent leases are not merged)
 * @max: room in @out
 *
 * A snapshot for debugfs and queries: the ownership map at one instant.
 *
 * Return: the number of active leases, which may exceed @max; only the
 * first @max ranges are stored.
 */
size_t gring_coherent_gpu_ranges(struct gring_coherent *buf,
				 struct gring_range *out, size_t max)
{
	struct gring_lease *lease;
	struct rb_node *node;
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&buf->lock, flags);
	for (node = rb_first(&buf->leases); node; node = rb_next(node), n++) {
		if (n >= max)
			continue;
		lease = rb_entry(node, struct gring_lease, rb);
		out[n].offset = lease->offset;
		out[n].size = lease->size;
	}
	spin_unlock_irqrestore(&buf->lock, flags);
	return n;
}
EXPORT_SYMBOL_NS_GPL(gring_coherent_gpu_ranges, GRING);

/**
 * gring_lease_init() - prepare a lease that was not zero-allocated
 * @lease: the lease
 */
void gring_lease_init(struct gring_lease *lease)
{
	memset(lease, 0, sizeof(*lease));
	INIT_LIST_HEAD(&lease->node);
}
EXPORT_SYMBOL_NS_GPL(gring_lease_init, GRING);

/**
 * __gring_lease_give() - hand a view to the device
 * @view: the bytes the device may now read and write
 * @lease: an inactive lease, which records the handoff
 * @site: the caller, for the once-per-site report
 *
 * Use gring_lease_give(). On success every byte of @view is device-owned
 * and the CPU's earlier writes to it are ordered before whatever the
 * caller does next to tell the device (a pointer store, a doorbell).
 *
 * Return: 0 on success; -EALREADY if @lease is already active (a double
 * handoff); -EBUSY if the device already owns a byte of @view. Refusals
 * change nothing and are counted, traced and reported.
 */
int __gring_lease_give(const struct gring_view *view, struct gring_lease *lease,
		       struct gring_site *site)
{
	struct gring_coherent *buf = view->buf;
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&buf->lock, flags);
	if (lease->active) {
		buf->stats.give_twice++;
		err = -EALREADY;
	} else if (gring_gpu_lease_locked(buf, view->offset, view->size)) {
		buf->stats.give_busy++;
		err = -EBUSY;
	} else {
		lease->buf = buf;
		lease->offset = view->offset;
		lease->size = view->size;
		lease->active = true;
		gring_lease_insert_locked(buf, lease);
		buf->stats.to_gpu++;
		/*
		 * The device may read these bytes as soon as the caller
		 * tells it to, and that telling is a store of its own (a
		 * write pointer, a descriptor index, a doorbell). Coherent
		 * memory is not ordered memory: without this barrier that
		 * store may reach the device before the CPU's writes to the
		 * view do, and the device reads stale commands.
		 */
		dma_wmb();
	}
	spin_unlock_irqrestore(&buf->lock, flags);

	if (err) {
		gring_report(buf, site, err == -EALREADY ?
			     "second handoff to the device" :
			     "handoff of device-owned bytes",
			     view->offset, view->size, err);
		return err;
	}
	trace_gring_to_gpu(buf->name, view->offset, view->size);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(__gring_lease_give, GRING);

/**
 * __gring_lease_take() - take a view back from the device
 * @lease: the active lease of the view
 * @site: the caller, for the once-per-site report
 *
 * Use gring_lease_take(), once the CPU has seen that the device is done
 * with the view (a fence, a read pointer past it). On success the view's
 * bytes are CPU-owned and the CPU's later reads of them are ordered after
 * that observation.
 *
 * Return: 0 on success; -EPERM if @lease is not active (handing back
 * what the caller does not hold). Refusals change nothing and are
 * counted (when the lease names a buffer), traced and reported.
 */
int __gring_lease_take(struct gring_lease *lease, struct gring_site *site)
{
	struct gring_coherent *buf = lease->buf;
	unsigned long flags;
	int err = 0;

	/* Never given: there is no buffer to count the refusal against. */
	if (!buf) {
		gring_report(NULL, site, "take-back of a lease never given",
			     0, 0, -EPERM);
		return -EPERM;
	}

	spin_lock_irqsave(&buf->lock, flags);
	if (!lease->active) {
		buf->stats.take_unheld++;
		err = -EPERM;
	} else {
		rb_erase(&lease->rb, &buf->leases);
		lease->active = false;
		buf->stats.to_cpu++;
	}
	spin_unlock_irqrestore(&buf->lock, flags);

	if (err) {
		gring_report(buf, site, "take-back of a lease not given",
			     lease->offset, lease->size, err);
		return err;
	}
	/*
	 * The caller learnt that the device is done by reading something
	 * (a fence's state, a read pointer the device wrote). Its reads of
	 * the bytes it now owns must not be satisfied before that read, or
	 * they may return what was there before the device's last writes.
	 */
	dma_rmb();
	trace_gring_to_cpu(buf->name, lease->offset, lease->size);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(__gring_lease_take, GRING);

/*
 * [offset, offset + len) inside @view, as an absolute range of its
 * buffer. len == 0 is allowed (at offset <= size) and touches nothing.
 */
static int gring_access_range(const struct gring_view *view, size_t offset,
			      size_t len, size_t *abs)
{
	size_t end;

	if (check_add_overflow(offset, len, &end))
		return -EOVERFLOW;
	if (end > view->size)
		return -ERANGE;
	*abs = view->offset + offset;
	return 0;
}

/*
 * Copy between the CPU and @view's bytes, refused if the device owns any
 * of them. The copy runs under the buffer's lock so that no handoff can
 * land between the check and the access; large copies should use
 * gring_view_cpu_ptr() on a view the caller alone hands off.
 */
static int gring_copy(const struct gring_view *view, size_t offset,
		      void *cpu, size_t len, bool to_view,
		      struct gring_site *site)
{
	struct gring_coherent *buf = view->buf;
	unsigned long flags;
	size_t abs;
	int err;

	err = gring_access_range(view, offset, len, &abs);
	if (err)
		return err;

	spin_lock_irqsave(&buf->lock, flags);
	if (len && gring_gpu_lease_locked(buf, abs, len)) {
		buf->stats.cpu_refused++;
		err = -EBUSY;
	} else if (to_view) {
		memcpy(buf->vaddr + abs, cpu, len);
	} else {
		memcpy(cpu, buf->vaddr + abs, len);
	}
	spin_unlock_irqrestore(&buf->lock, flags);

	if (err)
		gring_report(buf, site, to_view ? "CPU write" : "CPU read",
			     abs, len, err);
	return err;
}

/**
 * __gring_view_cpu_ptr() - the CPU's pointer to a view's first byte
 * @view: a view the CPU owns entirely
 * @site: the caller, for the once-per-site report
 *
 * Use gring_view_cpu_ptr(). The pointer is valid for @view's size and
 * only until the caller hands any of it to the device: C cannot revoke a
 * pointer, so that part is the caller's to keep.
 *
 * Return: the pointer, or ERR_PTR(-EBUSY) if the device owns a byte of
 * @view (counted, traced and reported).
 */
void *__gring_view_cpu_ptr(const struct gring_view *view,
			   struct gring_site *site)
{
	struct gring_coherent *buf = view->buf;
	unsigned long flags;
	bool busy;

	spin_lock_irqsave(&buf->lock, flags);
	busy = gring_gpu_lease_locked(buf, view->offset, view->size);
	if (busy)
		buf->stats.cpu_refused++;
	spin_unlock_irqrestore(&buf->lock, flags);

	if (busy) {
		gring_report(buf, site, "CPU pointer", view->offset, view->size,
			     -EBUSY);
		return ERR_PTR(-EBUSY);
	}
	return buf->vaddr + view->offset;
}
EXPORT_SYMBOL_NS_GPL(__gring_view_cpu_ptr, GRING);

/**
 * __gring_view_read() - copy bytes out of a CPU-owned view
 * @view: the view
 * @offset: from the start of @view
 * @dst: destination
 * @len: number of bytes
 * @site: the caller, for the once-per-site report
 *
 * Use gring_view_read().
 *
 * Return: 0 on success; -EOVERFLOW or -ERANGE if the range is not inside
 * @view; -EBUSY if the device owns one of its bytes (counted, traced and
 * reported). Nothing is copied on error.
 */
int __gring_view_read(const struct gring_view *view, size_t offset, void *dst,
		      size_t len, struct gring_site *site)
{
	return gring_copy(view, offset, dst, len, false, site);
}
EXPORT_SYMBOL_NS_GPL(__gring_view_read, GRING);

/**
 * __gring_view_write() - copy bytes into a CPU-owned view
 * @view: the view
 * @offset: from the start of @view
 * @src: source
 * @len: number of bytes
 * @site: the caller, for the once-per-site report
 *
 * Use gring_view_write(). A write past the end of @view is refused, not
 * truncated: that is what keeps a ring producer inside its free region.
 *
 * Return: as __gring_view_read(); nothing is written on error.
 */
int __gring_view_write(const struct gring_view *view, size_t offset,
		       const void *src, size_t len, struct gring_site *site)
{
	return gring_copy(view, offset, (void *)src, len, true, site);
}
EXPORT_SYMBOL_NS_GPL(__gring_view_write, GRING);

/**
 * __gring_view_poll() - read a value the device publishes
 * @view: the view, whoever owns it
 * @offset: from the start of @view; a multiple of @len
 * @dst: where to store the value
 * @len: 4 or 8
 * @site: the caller, for the once-per-site report
 *
 * Use gring_view_poll_field(). Devices announce progress by writing a
 * word (a read pointer, a seqno) that the CPU must read while the device
 * keeps owning it; that is the one CPU read of device-owned bytes gring
 * allows. It is a single aligned load the compiler may not tear or
 * repeat, followed by dma_rmb().
 *
 * Return: 0 on success; -EINVAL if @len is not 4 or 8 or the word is
 * misaligned; -EOVERFLOW or -ERANGE if it is not inside @view.
 */
int __gring_view_poll(const struct gring_view *view, size_t offset, void *dst,
		      size_t len, struct gring_site *site)
{
	struct gring_coherent *buf = view->buf;
	void *src;
	size_t abs;
	int err;

	err = gring_access_range(view, offset, len, &abs);
	if (err)
		return err;
	src = buf->vaddr + abs;
	if ((len != 4 && len != 8) || !IS_ALIGNED((uintptr_t)src, len)) {
		gring_report(buf, site, "device poll", abs, len, -EINVAL);
		return -EINVAL;
	}

	if (len == 4)
		*(u32 *)dst = READ_ONCE(*(u32 *)src);
	else
		*(u64 *)dst = READ_ONCE(*(u64 *)src);
	/*
	 * The value says how far the device got; the caller goes on to read
	 * what it covers (completed commands, results). Those reads must not
	 * be satisfied before this one, or they may see the bytes as they
	 * were before the device wrote them.
	 */
	dma_rmb();
	return 0;
}
EXPORT_SYMBOL_NS_GPL(__gring_view_poll, GRING);

/*
 * Every export is in the symbol namespace GRING: a module that uses the
 * core says so with MODULE_IMPORT_NS(GRING). In 6.12 the namespace is a
 * bare token (EXPORT_SYMBOL_NS_GPL(sym, GRING)); 6.13 made it a string
 * ("GRING"), which this code will take when it moves past 6.12.
 */
MODULE_DESCRIPTION("gring core: coherent buffers, views and leases, the linear ring, the virtio split virtqueue");
MODULE_LICENSE("GPL");
