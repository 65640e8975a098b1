// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring_core: the linear command ring, built only from views and leases.
 *
 * Pointers are byte offsets from the start of the ring view, multiples of
 * GRING_RING_ALIGN, always below the ring's size. Every pending byte is
 * inside exactly one active lease, and the leases are kept in ring order
 * starting at @tail, so retiring is "take back the oldest lease while the
 * device's read pointer is past its end". See gring_ring.h for the picture.
 */

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include <asm/barrier.h>

#include "gring_ring.h"
#include "gring_core_trace.h"

/* Bytes from @from forward to @to, going round the end: (to - from) mod size. */
static u32 gring_ring_dist(const struct gring_ring *ring, u32 from, u32 to)
{
	return to >= from ? to - from : ring->size - from + to;
}

/*
 * A read pointer from the device (or the engine) is only believable if it
 * lies in the part the CPU committed: from @tail forward to @wptr. Anything
 * else would make the CPU take back bytes the device may still read.
 */
static bool gring_ring_rptr_valid_locked(const struct gring_ring *ring, u32 rptr)
{
	lockdep_assert_held(&ring->lock);
	return rptr < ring->size && !(rptr % GRING_RING_ALIGN) &&
	       gring_ring_dist(ring, ring->tail, rptr) <=
	       gring_ring_dist(ring, ring->tail, ring->wptr);
}

/**
 * gring_ring_init() - set up a ring over two views
 * @ring: the ring to initialise
 * @ring_view: the command area: CPU-owned, a multiple of %GRING_RING_ALIGN
 *	in size, at least two slots, at most 4 GiB - 1, and aligned to
 *	%GRING_RING_ALIGN
 * @wb_view: where the device writes back, starting with a
 *	&struct gring_ring_writeback; CPU-owned, not overlapping @ring_view
 * @nop: the 32-bit word the engine skips, used for padding
 * @name: for traces; must outlive the ring
 *
 * Zeroes the writeback and hands it to the device for the ring's
 * lifetime; its DMA handle is gring_view_dma_handle(&ring->wb).
 *
 * Return: 0; -EINVAL if a view does not meet the rules above; -EBUSY if
 * the device owns a byte of either view.
 */
int gring_ring_init(struct gring_ring *ring, const struct gring_view *ring_view,
		    const struct gring_view *wb_view, u32 nop, const char *name)
{
	static const struct gring_ring_writeback zero_wb;
	struct gring_view wb;
	int err;

	if (ring_view->size % GRING_RING_ALIGN ||
	    ring_view->size < 2 * GRING_RING_ALIGN ||
	    ring_view->size > U32_MAX ||
	    gring_view_dma_handle(ring_view) % GRING_RING_ALIGN ||
	    gring_view_overlaps(ring_view, wb_view))
		return -EINVAL;
	err = gring_view_sub_type(wb_view, 0, struct gring_ring_writeback, &wb);
	if (err)
		return -EINVAL;
	if (gring_view_owner(ring_view) != GRING_OWNER_CPU ||
	    gring_view_owner(&wb) != GRING_OWNER_CPU)
		return -EBUSY;

	memset(ring, 0, sizeof(*ring));
	ring->ring = *ring_view;
	ring->wb = wb;
	ring->name = name;
	ring->size = ring_view->size;
	ring->nop = nop;
	spin_lock_init(&ring->lock);
	INIT_LIST_HEAD(&ring->inflight);
	gring_lease_init(&ring->pad_lease);
	gring_lease_init(&ring->wb_lease);

	/* The device starts reading at 0 and has completed nothing. */
	err = gring_view_write(&ring->wb, 0, &zero_wb, sizeof(zero_wb));
	if (!err)
		err = gring_lease_give(&ring->wb, &ring->wb_lease);
	return err;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_init, GRING);

/**
 * gring_ring_fini() - take the writeback back from an idle ring
 * @ring: the ring
 *
 * Return: 0, after which both views are CPU-owned; or -EBUSY if commits
 * are still pending (retire them, or gring_ring_reset() once the device
 * is stopped), and nothing changes.
 */
int gring_ring_fini(struct gring_ring *ring)
{
	unsigned long flags;
	int err = -EBUSY;

	spin_lock_irqsave(&ring->lock, flags);
	if (list_empty(&ring->inflight))
		err = gring_lease_take(&ring->wb_lease);
	spin_unlock_irqrestore(&ring->lock, flags);
	return err;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_fini, GRING);

/**
 * gring_ring_max_reserve() - the largest command a ring takes
 * @ring: the ring
 *
 * Half the ring (rounded down to %GRING_RING_ALIGN). Once the ring drains,
 * wherever its pointers are, a command up to this size fits either before
 * the end or, after padding, from offset 0; a larger one might wait for
 * space forever.
 *
 * Return: the size in bytes.
 */
u32 gring_ring_max_reserve(const struct gring_ring *ring)
{
	return ring->size / 2 / GRING_RING_ALIGN * GRING_RING_ALIGN;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_max_reserve, GRING);

/**
 * gring_ring_reserve() - find room for one command
 * @ring: the ring
 * @len: the command's size in bytes: a non-zero multiple of
 *	%GRING_RING_ALIGN, at most gring_ring_max_reserve()
 * @res: the reservation, written only on success
 *
 * @res->view is @len CPU-owned bytes at the write pointer, or at offset 0
 * when the command does not fit before the end; then the bytes from the
 * write pointer to the end are filled with the NOP word now and handed to
 * the device with the command at commit. The view ends before @tail less
 * one slot: writes past it are refused by the view's accessors, so the
 * pending commands cannot be overwritten.
 *
 * Nothing else changes until gring_ring_commit(); dropping a reservation
 * is allowed.
 *
 * Return: 0; -EINVAL if @len is 0 or not a multiple of %GRING_RING_ALIGN;
 * -E2BIG if @len exceeds gring_ring_max_reserve(); -EAGAIN if the ring is
 * too full now (retire, then try again).
 */
int gring_ring_reserve(struct gring_ring *ring, u32 len,
		       struct gring_ring_reservation *res)
{
	u32 w = ring->wptr, t, start, pad = 0;
	struct gring_view view;
	unsigned long flags;
	u32 *p;
	int err;

	if (!len || len % GRING_RING_ALIGN)
		return -EINVAL;
	if (len > gring_ring_max_reserve(ring))
		return -E2BIG;

	/* Retiring only moves tail forward: a stale one is merely cautious. */
	spin_lock_irqsave(&ring->lock, flags);
	t = ring->tail;
	spin_unlock_irqrestore(&ring->lock, flags);

	if (t > w) {
		/* Free is [w, t): keep the last slot empty. */
		if (len > t - w - GRING_RING_ALIGN)
			goto full;
		start = w;
	} else if (len < ring->size - w ||
		   (len == ring->size - w && t > 0)) {
		/*
		 * Free is [w, size) and [0, t). Ending exactly at the end
		 * wraps wptr to 0, which must not land on tail.
		 */
		start = w;
	} else if (t >= GRING_RING_ALIGN && len <= t - GRING_RING_ALIGN) {
		/* Pad to the end and start again at 0, stopping a slot short of t. */
		start = 0;
		pad = ring->size - w;
	} else {
		goto full;
	}

	if (pad) {
		err = gring_view_sub(&ring->ring, w, pad, 0, &view);
		if (err)
			return err;
		p = gring_view_cpu_ptr(&view);
		if (IS_ERR(p))
			return PTR_ERR(p);
		memset32(p, ring->nop, pad / sizeof(u32));
	}
	err = gring_view_sub(&ring->ring, start, len, GRING_RING_ALIGN,
			     &res->view);
	if (err)
		return err;
	res->pad = pad;
	res->wptr = w;
	return 0;

full:
	spin_lock_irqsave(&ring->lock, flags);
	ring->stats.full++;
	spin_unlock_irqrestore(&ring->lock, flags);
	return -EAGAIN;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_reserve, GRING);

/**
 * gring_ring_commit() - hand a written command to the device
 * @ring: the ring
 * @res: a reservation from gring_ring_reserve(), the latest one
 * @lease: an inactive lease, active until gring_ring_retire() returns it
 *
 * The command (and its padding) become device-owned, with the barrier that
 * orders the CPU's writes to them first, and only then is the new write
 * pointer published. Ring the doorbell after this returns.
 *
 * Return: 0; -EINVAL (with a warning: a producer bug) if @res is stale;
 * or the error of gring_lease_give() (-EALREADY if @lease is active),
 * with nothing changed.
 */
int gring_ring_commit(struct gring_ring *ring,
		      const struct gring_ring_reservation *res,
		      struct gring_lease *lease)
{
	struct gring_view pad_view;
	unsigned long flags;
	u32 new_w;
	int err;

	if (WARN_ONCE(res->wptr != ring->wptr,
		      "%s: commit of a stale reservation\n", ring->name))
		return -EINVAL;

	new_w = res->view.offset - ring->ring.offset + res->view.size;
	if (new_w == ring->size)
		new_w = 0;

	spin_lock_irqsave(&ring->lock, flags);
	err = gring_lease_give(&res->view, lease);
	if (err)
		goto out_unlock;
	if (res->pad) {
		err = gring_view_sub(&ring->ring, res->wptr, res->pad, 0,
				     &pad_view);
		if (!err)
			err = gring_lease_give(&pad_view, &ring->pad_lease);
		if (err) {
			gring_lease_take(lease);
			goto out_unlock;
		}
		/* The padding comes first in ring order. */
		list_add_tail(&ring->pad_lease.node, &ring->inflight);
		ring->stats.pad_bytes += res->pad;
	}
	list_add_tail(&lease->node, &ring->inflight);
	ring->stats.commits++;
	if (new_w < res->wptr)
		ring->stats.wraps++;
	/*
	 * Each give above ended in dma_wmb(), so the command and padding
	 * bytes reach the device before this pointer does: a device that
	 * sees the new wptr finds the commands it covers. The doorbell the
	 * caller rings next is an MMIO write, ordered after this store by
	 * the MMIO accessors themselves.
	 */
	WRITE_ONCE(ring->wptr, new_w);
out_unlock:
	spin_unlock_irqrestore(&ring->lock, flags);
	if (!err)
		trace_gring_ring_publish(ring->name, new_w);
	return err;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_commit, GRING);

/**
 * gring_ring_pending() - what the device has to execute (device side)
 * @ring: the ring
 * @rptr: the device's read pointer
 * @views: the pending commands, in order: [@rptr, end) then [0, wptr)
 *	when they wrap, else one view; written only on success
 *
 * For the engine that plays the device: it executes the views through
 * their DMA handles. The wrap is computed here, once; a command never
 * straddles the two views.
 *
 * Return: the number of views (0 when nothing is pending), or -EINVAL if
 * @rptr is not between the oldest pending byte and the write pointer.
 */
int gring_ring_pending(struct gring_ring *ring, u32 rptr,
		       struct gring_view views[2])
{
	struct gring_view v[2];
	unsigned long flags;
	bool valid;
	u32 w;
	int n, err;

	spin_lock_irqsave(&ring->lock, flags);
	w = READ_ONCE(ring->wptr);
	valid = gring_ring_rptr_valid_locked(ring, rptr);
	spin_unlock_irqrestore(&ring->lock, flags);
	if (!valid)
		return -EINVAL;
	/*
	 * The engine reads commands after reading the pointer that covers
	 * them, as a device would; keep those reads after this one.
	 */
	dma_rmb();

	if (rptr == w)
		return 0;
	if (rptr < w) {
		err = gring_view_sub(&ring->ring, rptr, w - rptr, 0, &v[0]);
		n = 1;
	} else {
		err = gring_view_sub(&ring->ring, rptr, ring->size - rptr, 0,
				     &v[0]);
		n = 1;
		if (!err && w) {
			err = gring_view_sub(&ring->ring, 0, w, 0, &v[1]);
			n = 2;
		}
	}
	if (err)
		return err;
	memcpy(views, v, n * sizeof(v[0]));
	return n;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_pending, GRING);

/**
 * gring_ring_retire() - take back one command the device has consumed
 * @ring: the ring
 * @done: the command's lease, written only when 1 is returned
 *
 * Reads the device's read pointer from the writeback (then dma_rmb()), and
 * takes back, oldest first, the leases it has passed: padding silently,
 * the next command's lease into @done. Call until it returns 0. Any
 * context.
 *
 * Return: 1 with @done set; 0 when nothing more is consumed; -EIO if the
 * device reported a read pointer outside the pending part (counted in
 * &gring_ring_stats.bad_rptr; nothing is taken back).
 */
int gring_ring_retire(struct gring_ring *ring, struct gring_lease **done)
{
	struct gring_lease *lease;
	unsigned long flags;
	u32 rptr, consumed, tail;
	int ret = 0;

	/* Reads the pointer, then dma_rmb(): see __gring_view_poll(). */
	ret = gring_view_poll_field(&ring->wb, struct gring_ring_writeback,
				    rptr, &rptr);
	if (ret)
		return ret;

	spin_lock_irqsave(&ring->lock, flags);
	if (!gring_ring_rptr_valid_locked(ring, rptr)) {
		ring->stats.bad_rptr++;
		ret = -EIO;
		goto out_unlock;
	}
	consumed = gring_ring_dist(ring, ring->tail, rptr);
	while (!list_empty(&ring->inflight)) {
		lease = list_first_entry(&ring->inflight, struct gring_lease,
					 node);
		if (lease->size > consumed)
			break;
		/* Active, and ours: this cannot be refused. */
		ret = gring_lease_take(lease);
		if (ret)
			break;
		list_del_init(&lease->node);
		consumed -= lease->size;
		ring->tail = (ring->tail + lease->size) % ring->size;
		ring->stats.retired++;
		if (lease != &ring->pad_lease) {
			*done = lease;
			ret = 1;
			break;
		}
	}
out_unlock:
	tail = ring->tail;
	spin_unlock_irqrestore(&ring->lock, flags);
	if (ret == 1)
		trace_gring_ring_retire(ring->name, tail);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_retire, GRING);

/* Take back and unlink the oldest pending lease, if any (ring->lock held). */
static struct gring_lease *gring_ring_pop_locked(struct gring_ring *ring)
{
	struct gring_lease *lease;

	lease = list_first_entry_or_null(&ring->inflight, struct gring_lease,
					 node);
	if (lease) {
		gring_lease_take(lease);
		list_del_init(&lease->node);
	}
	return lease;
}

/**
 * gring_ring_reset() - take everything back from a stopped device
 * @ring: the ring
 * @done: a pending command's lease, written only when 1 is returned
 *
 * For recovery after a hang: the caller guarantees the device no longer
 * touches the ring and no producer is between reserve and commit (the
 * pointers move backwards here, which a reservation does not expect).
 * Returns the pending commands' leases one per call,
 * oldest first, whatever the read pointer says; when none is left, puts
 * both pointers and the writeback's read pointer back to 0 (the seqno is
 * kept) so the device restarts from an empty ring.
 *
 * Return: 1 with @done set, or 0 once the ring is empty and reset.
 */
int gring_ring_reset(struct gring_ring *ring, struct gring_lease **done)
{
	struct gring_lease *lease;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&ring->lock, flags);
	while ((lease = gring_ring_pop_locked(ring))) {
		ring->tail = (ring->tail + lease->size) % ring->size;
		if (lease != &ring->pad_lease) {
			*done = lease;
			ret = 1;
			goto out_unlock;
		}
	}
	ring->tail = 0;
	WRITE_ONCE(ring->wptr, 0);
	/* The device is stopped: the writeback is the CPU's for a moment. */
	if (!gring_lease_take(&ring->wb_lease)) {
		gring_view_wr_field(&ring->wb, struct gring_ring_writeback,
				    rptr, 0);
		gring_lease_give(&ring->wb, &ring->wb_lease);
	}
out_unlock:
	spin_unlock_irqrestore(&ring->lock, flags);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_reset, GRING);

/**
 * gring_ring_drop() - forget one pending command of a device that is gone
 * @ring: the ring
 * @lease: an active lease gring_ring_commit() put in @ring
 *
 * For a device whose memory has gone (hot unplug) and whose commands will
 * never be consumed: the lease is taken back and unlinked so that its
 * holder may be freed, and nothing of the ring's memory is touched --
 * unlike gring_ring_retire() and gring_ring_reset(), which read or write
 * the writeback. The ring is left inconsistent on purpose: the only thing
 * to do with it afterwards is gring_ring_abandon().
 */
void gring_ring_drop(struct gring_ring *ring, struct gring_lease *lease)
{
	unsigned long flags;

	spin_lock_irqsave(&ring->lock, flags);
	if (gring_lease_active(lease)) {
		gring_lease_take(lease);
		list_del_init(&lease->node);
	}
	spin_unlock_irqrestore(&ring->lock, flags);
}
EXPORT_SYMBOL_NS_GPL(gring_ring_drop, GRING);

/**
 * gring_ring_abandon() - tear a ring down after its device is gone
 * @ring: the ring; its device will never touch it again and its memory
 *	may already be freed
 *
 * Takes back every lease still out -- pending commands, padding, the
 * writeback -- touching only the bookkeeping, so that the buffer can be
 * finalised. The counterpart of gring_ring_fini() for hot unplug.
 */
void gring_ring_abandon(struct gring_ring *ring)
{
	unsigned long flags;

	spin_lock_irqsave(&ring->lock, flags);
	while (gring_ring_pop_locked(ring))
		;
	if (gring_lease_active(&ring->wb_lease))
		gring_lease_take(&ring->wb_lease);
	ring->tail = 0;
	WRITE_ONCE(ring->wptr, 0);
	spin_unlock_irqrestore(&ring->lock, flags);
}
EXPORT_SYMBOL_NS_GPL(gring_ring_abandon, GRING);

/*
 * Cut the ring at tail and wptr and ask the ownership layer who holds each
 * piece. Under ring->lock, as commit and retire hand the pending bytes over
 * under it too: the owners and the pointers are of one instant, so a piece
 * is "mixed" only if the leases and the pointers truly disagree.
 */
static u32 gring_ring_regions_locked(struct gring_ring *ring,
				     struct gring_ring_region *out)
{
	u32 cuts[4], n = 0, i, r = 0;
	u32 pending = gring_ring_dist(ring, ring->tail, ring->wptr);

	lockdep_assert_held(&ring->lock);
	cuts[n++] = 0;
	if (pending) {
		cuts[n++] = min(ring->tail, ring->wptr);
		cuts[n++] = max(ring->tail, ring->wptr);
	}
	cuts[n++] = ring->size;

	for (i = 0; i + 1 < n; i++) {
		struct gring_view v;

		if (cuts[i + 1] <= cuts[i])
			continue;
		out[r].offset = cuts[i];
		out[r].size = cuts[i + 1] - cuts[i];
		out[r].owner = GRING_OWNER_MIXED;
		if (!gring_view_sub(&ring->ring, cuts[i], out[r].size, 0, &v))
			out[r].owner = gring_view_owner(&v);
		r++;
	}
	return r;
}

/**
 * gring_ring_query() - a ring's pointers, counters and owners at one instant
 * @ring: the ring
 * @st: filled in; all pointers are ring offsets
 *
 * The pointers, counters and regions are taken under one hold of the ring's
 * lock; only the writeback fields (the device's) are read before it.
 */
void gring_ring_query(struct gring_ring *ring, struct gring_ring_state *st)
{
	unsigned long flags;
	u32 rptr = 0;
	u64 seqno = 0;

	gring_view_poll_field(&ring->wb, struct gring_ring_writeback, rptr,
			      &rptr);
	gring_view_poll_field(&ring->wb, struct gring_ring_writeback, seqno,
			      &seqno);

	spin_lock_irqsave(&ring->lock, flags);
	st->size = ring->size;
	st->wptr = ring->wptr;
	st->tail = ring->tail;
	st->pending = gring_ring_dist(ring, ring->tail, ring->wptr);
	st->free = ring->size - GRING_RING_ALIGN - st->pending;
	st->stats = ring->stats;
	st->nr_regions = gring_ring_regions_locked(ring, st->regions);
	spin_unlock_irqrestore(&ring->lock, flags);
	st->rptr = rptr;
	st->seqno = seqno;
}
EXPORT_SYMBOL_NS_GPL(gring_ring_query, GRING);
