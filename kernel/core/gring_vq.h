/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: a virtio split virtqueue built only from views.
 */
#ifndef _GRING_VQ_H_
#define _GRING_VQ_H_

#include <linux/types.h>

#include "gring_view.h"

/**
 * DOC: gring split virtqueue
 *
 * A split virtqueue (virtio 1.x, "Split Virtqueues") is three areas the
 * driver and the device share; gring makes each a view of one coherent
 * buffer, with its own DMA handle for the transport to program::
 *
 *	desc   16 * num bytes, 16-aligned   the descriptor table
 *	avail  6 + 2 * num bytes, 2-aligned  driver -> device: heads, idx
 *	used   8 + 8 * num bytes, 4-aligned  device -> driver: id/len, idx
 *
 * (The used ring's last field, avail_event, is a 16-bit word; gring reads
 * it as the low half of one aligned 32-bit load, so its view takes two
 * bytes more than the spec's 6 + 8 * num.)
 *
 * Ownership, in the terms of gring_view.h:
 *
 * - the avail ring is CPU-owned for the queue's life: the device only
 *   reads it, and the CPU publishes into it with single stores;
 * - the used ring is device-owned for the queue's life: the CPU only
 *   polls it (gring_view_poll_field() style: one aligned load, then
 *   dma_rmb());
 * - every descriptor, and every buffer a descriptor points at, is
 *   CPU-owned while free and device-owned from gring_vq_add() until the
 *   device returns its chain in the used ring and gring_vq_get_used()
 *   takes it back: one lease each, all taken back together. Writing a
 *   descriptor or buffer the device still owns is refused and reported
 *   by the ownership layer, as is adding a buffer still in flight.
 *
 * The descriptors carry the DMA handles of the caller's views, never an
 * address the caller computed. Producer and consumer::
 *
 *	err = gring_vq_add(vq, out, 1, in, 1, req);  (-ENOSPC: full)
 *	...more adds...
 *	gring_vq_publish(vq);                        (one avail idx store)
 *	if (gring_vq_kick_prepare(vq))
 *		my_notify(vq);                       (MMIO doorbell)
 *
 *	(interrupt, or polling)
 *	while ((err = gring_vq_get_used(vq, &token, &len)) == 1)
 *		my_complete(token, len);
 *	if (!gring_vq_enable_cb(vq))
 *		... more arrived meanwhile: drain again ...
 *
 * The caller serialises all calls on one queue (a spinlock shared with
 * its interrupt handler); the queue has no lock of its own, like the
 * kernel's virtqueues.
 */

/* The spec's descriptor flags (virtio 1.x, 2.7.5). */
#define GRING_VQ_DESC_F_NEXT		1
#define GRING_VQ_DESC_F_WRITE		2
/* avail ring flags: "don't interrupt me" (without EVENT_IDX). */
#define GRING_VQ_AVAIL_F_NO_INTERRUPT	1
/* used ring flags: "don't notify me" (without EVENT_IDX). */
#define GRING_VQ_USED_F_NO_NOTIFY	1
/* The largest split queue the spec allows. */
#define GRING_VQ_MAX_NUM		32768

/**
 * struct gring_vq_desc - one descriptor, as the device reads it
 * @addr: the buffer's DMA address (a view's handle).
 * @len: its length in bytes.
 * @flags: %GRING_VQ_DESC_F_NEXT, %GRING_VQ_DESC_F_WRITE.
 * @next: the next descriptor of the chain, if %GRING_VQ_DESC_F_NEXT.
 */
struct gring_vq_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

/**
 * struct gring_vq_used_elem - one returned chain, as the device writes it
 * @id: the head descriptor of the chain.
 * @len: bytes the device wrote into the chain's device-writable buffers.
 */
struct gring_vq_used_elem {
	__le32 id;
	__le32 len;
};

/**
 * struct gring_vq_views - the three areas of one queue
 * @desc: the descriptor table.
 * @avail: the available (driver) ring.
 * @used: the used (device) ring.
 */
struct gring_vq_views {
	struct gring_view desc;
	struct gring_view avail;
	struct gring_view used;
};

/**
 * struct gring_vq_stats - what happened to one queue
 * @added: chains added.
 * @published: avail idx updates (gring_vq_publish() with something new).
 * @notified: kick_prepare calls that said "notify".
 * @suppressed: kick_prepare calls the device's suppression answered "no".
 * @used: chains taken back from the used ring.
 * @full: adds refused with -ENOSPC.
 * @bad_used: used elements refused (unknown id, id not in flight, length
 *	beyond the chain's writable bytes, used idx ahead of what was
 *	published); the queue is then broken.
 */
struct gring_vq_stats {
	u64 added;
	u64 published;
	u64 notified;
	u64 suppressed;
	u64 used;
	u64 full;
	u64 bad_used;
};

struct gring_vq_slot;

/**
 * struct gring_vq - a split virtqueue over three views
 * @views: the three areas; their DMA handles are what the transport
 *	programs (queue_desc, queue_driver, queue_device).
 * @name: for reports; must outlive the queue.
 * @num: the queue size, a power of two.
 * @event_idx: VIRTIO_RING_F_EVENT_IDX was negotiated.
 * @broken: the device returned something impossible; adds are refused.
 * @cb_enabled: the driver wants used-buffer notifications.
 * @num_free: descriptors on the free list.
 * @free_head: first free descriptor (@num when none).
 * @avail_idx: the driver's next avail idx (published or not).
 * @avail_pub: the avail idx the device was last given.
 * @kicked: the avail idx at the last gring_vq_kick_prepare().
 * @last_used: the used idx up to which chains were taken back.
 * @avail_p: CPU pointer to the avail ring (CPU-owned for life).
 * @used_lease: holds the used ring for the device.
 * @slots: per-descriptor state (free-list link, leases, token).
 * @stats: counters.
 *
 * Read-only to users, except through the functions below.
 */
struct gring_vq {
	struct gring_vq_views views;
	const char *name;
	u16 num;
	bool event_idx;
	bool broken;
	bool cb_enabled;
	u16 num_free;
	u16 free_head;
	u16 avail_idx;
	u16 avail_pub;
	u16 kicked;
	u16 last_used;
	__le16 *avail_p;
	struct gring_lease used_lease;
	struct gring_vq_slot *slots;
	struct gring_vq_stats stats;
};

/**
 * struct gring_vq_state - a queue at one instant
 * @num: queue size.
 * @num_free: free descriptors.
 * @avail_idx: the driver's next avail idx.
 * @avail_pub: the published avail idx.
 * @last_used: the driver's used idx.
 * @used_idx: the device's used idx.
 * @used_flags: the device's used-ring flags.
 * @avail_event: the device's avail_event (meaningful with event_idx).
 * @used_event: the driver's used_event.
 * @avail_flags: the driver's avail-ring flags.
 * @inflight: chains added and not yet taken back.
 * @device_descs: descriptors the ownership layer says the device owns.
 * @event_idx: VIRTIO_RING_F_EVENT_IDX in use.
 * @broken: see &struct gring_vq.
 * @stats: counters.
 */
struct gring_vq_state {
	u16 num;
	u16 num_free;
	u16 avail_idx;
	u16 avail_pub;
	u16 last_used;
	u16 used_idx;
	u16 used_flags;
	u16 avail_event;
	u16 used_event;
	u16 avail_flags;
	u16 inflight;
	u16 device_descs;
	bool event_idx;
	bool broken;
	struct gring_vq_stats stats;
};

/**
 * gring_vq_need_event() - whether an event index was crossed
 * @event: the index the other side asked to be told about
 * @new_idx: the index now
 * @old_idx: the index when the other side was last told
 *
 * The spec's rule (virtio 1.x, 2.7.10): notify if @event lies in
 * [@old_idx, @new_idx), counted modulo 2^16.
 *
 * Return: true if the other side must be notified.
 */
static inline bool gring_vq_need_event(u16 event, u16 new_idx, u16 old_idx)
{
	return (u16)(new_idx - event - 1) < (u16)(new_idx - old_idx);
}

size_t gring_vq_area_size(u16 num);
int gring_vq_carve(const struct gring_view *area, u16 num,
		   struct gring_vq_views *out);
int gring_vq_init(struct gring_vq *vq, const struct gring_vq_views *views,
		  u16 num, bool event_idx, const char *name);
int gring_vq_fini(struct gring_vq *vq);
int gring_vq_add(struct gring_vq *vq, const struct gring_view *out,
		 unsigned int n_out, const struct gring_view *in,
		 unsigned int in_count, void *token);
void gring_vq_publish(struct gring_vq *vq);
bool gring_vq_kick_prepare(struct gring_vq *vq);
int gring_vq_get_used(struct gring_vq *vq, void **token, u32 *len);
bool gring_vq_enable_cb(struct gring_vq *vq);
void gring_vq_disable_cb(struct gring_vq *vq);
int gring_vq_detach(struct gring_vq *vq, void **token);
void gring_vq_query(struct gring_vq *vq, struct gring_vq_state *st);

/**
 * gring_vq_num_free() - free descriptors
 * @vq: the queue
 *
 * Return: how many descriptors the next chains may use in total.
 */
static inline unsigned int gring_vq_num_free(const struct gring_vq *vq)
{
	return vq->num_free;
}

#endif /* _GRING_VQ_H_ */
