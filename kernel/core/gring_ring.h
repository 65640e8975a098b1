/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: a linear command ring built only from views.
 */
#ifndef _GRING_RING_H_
#define _GRING_RING_H_

#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "gring_view.h"

/**
 * DOC: gring linear command ring
 *
 * The ring is a view of a coherent buffer that the CPU fills with commands
 * and the device drains, plus a writeback view the device writes its read
 * pointer and completed seqno to. All pointers are byte offsets from the
 * start of the ring view; the device is given DMA handles of views only.
 *
 * The ring's bytes move between two parts::
 *
 *	 0        tail              wptr                size
 *	 |  free   |   pending       |   free            |
 *	           (device-owned)     (CPU-owned)
 *
 * *pending* is what the CPU committed and has not yet retired: it is held
 * by leases, so the device owns it and the CPU can neither write it nor
 * hand it off again. *free* is CPU-owned; a reservation is a view inside
 * it whose end is bounded by @tail, so a producer cannot write over what
 * the device still reads.
 *
 * One slot (%GRING_RING_ALIGN bytes) always stays free: the device only
 * sees two pointers, so a full ring must not look like an empty one
 * (wptr == rptr). An explicit count would tell the CPU, not the device.
 *
 * A command is never split across the end of the ring: when it does not
 * fit before the end, the rest of the ring is filled with the caller's
 * NOP word (which the engine must skip), committed with the command, and
 * the command starts at offset 0.
 *
 * Producer::
 *
 *	err = gring_ring_reserve(ring, len, &res);  (-EAGAIN: full for now)
 *	p = gring_view_cpu_ptr(&res.view);  (or gring_view_write())
 *	... write exactly len bytes of commands ...
 *	err = gring_ring_commit(ring, &res, &job->lease);
 *	my_hw_doorbell(gring_ring_wptr(ring));
 *
 * Device (the engine plays it)::
 *
 *	n = gring_ring_pending(ring, my_rptr, views);  (0, 1 or 2 views)
 *	... execute views[0], then views[1], via gring_view_dma_handle() ...
 *	write rptr and seqno to gring_view_dma_handle(&ring->wb)
 *
 * CPU, on completion (any context)::
 *
 *	while (gring_ring_retire(ring, &lease) == 1)
 *		my_job_done(container_of(lease, struct my_job, lease));
 */

/* Commands, padding and pointers are multiples of this. */
#define GRING_RING_ALIGN	8

/**
 * struct gring_ring_writeback - what the device writes back
 * @rptr: ring offset up to which the device has consumed commands.
 * @reserved: zero.
 * @seqno: the last seqno the device completed.
 */
struct gring_ring_writeback {
	u32 rptr;
	u32 reserved;
	u64 seqno;
};

/**
 * struct gring_ring_stats - what happened to one ring
 * @commits: successful gring_ring_commit() calls.
 * @retired: leases retired (padding included).
 * @wraps: commits that wrapped to offset 0 (padded or exactly at the end).
 * @pad_bytes: NOP bytes committed as padding.
 * @full: reservations refused with -EAGAIN.
 * @bad_rptr: device read pointers refused (-EIO).
 */
struct gring_ring_stats {
	u64 commits;
	u64 retired;
	u64 wraps;
	u64 pad_bytes;
	u64 full;
	u64 bad_rptr;
};

/**
 * struct gring_ring - a linear command ring
 * @ring: the command area.
 * @wb: the writeback area, a &struct gring_ring_writeback; device-owned
 *	from gring_ring_init() to gring_ring_fini().
 * @name: for traces.
 * @size: size of @ring in bytes.
 * @nop: the 32-bit word padding is filled with.
 * @wptr: where the next command goes; published to the device (with
 *	READ_ONCE()/WRITE_ONCE()) only by gring_ring_commit().
 * @lock: protects @tail, @inflight and @stats.
 * @tail: start of the oldest pending byte, or @wptr when nothing is pending.
 * @inflight: active leases of the pending part, in ring order.
 * @pad_lease: holds the padding; at most one padding is ever pending.
 * @wb_lease: holds @wb for the device.
 * @stats: counters, see &struct gring_ring_stats.
 *
 * Fields are for reading (debugfs, queries); change them only through the
 * functions below. One producer at a time: the caller serialises
 * reserve/commit (a submit lock, a scheduler); retire may run concurrently
 * from any context.
 */
struct gring_ring {
	struct gring_view ring;
	struct gring_view wb;
	const char *name;
	u32 size;
	u32 nop;
	u32 wptr;

	spinlock_t lock; /* protects tail, inflight and stats */
	u32 tail;
	struct list_head inflight;
	struct gring_lease pad_lease;
	struct gring_lease wb_lease;
	struct gring_ring_stats stats;
};

/**
 * struct gring_ring_reservation - room for one command
 * @view: where to write the command: CPU-owned, exactly the size asked.
 * @pad: bytes of NOP padding before the end of the ring that the commit
 *	will hand over with the command (0 if none).
 * @wptr: the ring's write pointer when the reservation was made.
 */
struct gring_ring_reservation {
	struct gring_view view;
	u32 pad;
	u32 wptr;
};

/* A ring cuts into at most three pieces: free, pending, free. */
#define GRING_RING_MAX_REGIONS	3

/**
 * struct gring_ring_region - a piece of a ring and who owns it
 * @offset: first byte, as a ring offset
 * @size: bytes
 * @owner: what the ownership layer says of these bytes
 */
struct gring_ring_region {
	u32 offset;
	u32 size;
	enum gring_owner owner;
};

/**
 * struct gring_ring_state - a ring at one instant, in offsets
 * @size: ring size in bytes.
 * @wptr: published write pointer.
 * @tail: start of the oldest pending byte (== @wptr when idle).
 * @rptr: the device's read pointer, from the writeback.
 * @seqno: the device's completed seqno, from the writeback.
 * @pending: bytes committed and not yet retired.
 * @free: bytes neither pending nor the always-empty slot. A single
 *	reservation may get less: commands do not wrap.
 * @stats: counters.
 * @nr_regions: entries used in @regions, 1 to %GRING_RING_MAX_REGIONS.
 * @regions: the ring cut at @tail and @wptr, in ring order, each with its
 *	owner as the ownership layer has it at the same instant.
 */
struct gring_ring_state {
	u32 size;
	u32 wptr;
	u32 tail;
	u32 rptr;
	u64 seqno;
	u32 pending;
	u32 free;
	struct gring_ring_stats stats;
	u32 nr_regions;
	struct gring_ring_region regions[GRING_RING_MAX_REGIONS];
};

int gring_ring_init(struct gring_ring *ring, const struct gring_view *ring_view,
		    const struct gring_view *wb_view, u32 nop, const char *name);
int gring_ring_fini(struct gring_ring *ring);
u32 gring_ring_max_reserve(const struct gring_ring *ring);
int gring_ring_reserve(struct gring_ring *ring, u32 len,
		       struct gring_ring_reservation *res);
int gring_ring_commit(struct gring_ring *ring,
		      const struct gring_ring_reservation *res,
		      struct gring_lease *lease);
int gring_ring_pending(struct gring_ring *ring, u32 rptr,
		       struct gring_view views[2]);
int gring_ring_retire(struct gring_ring *ring, struct gring_lease **done);
int gring_ring_reset(struct gring_ring *ring, struct gring_lease **done);
void gring_ring_drop(struct gring_ring *ring, struct gring_lease *lease);
void gring_ring_abandon(struct gring_ring *ring);
void gring_ring_query(struct gring_ring *ring, struct gring_ring_state *st);

/**
 * gring_ring_wptr() - the published write pointer
 * @ring: the ring
 *
 * Return: the offset the device may consume up to; for a doorbell.
 */
static inline u32 gring_ring_wptr(const struct gring_ring *ring)
{
	return READ_ONCE(ring->wptr);
}

#endif /* _GRING_RING_H_ */
