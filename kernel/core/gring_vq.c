// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring_core: the virtio split virtqueue, built only from views and leases.
 *
 * Layout and rules are the virtio 1.x spec's ("Split Virtqueues"); see
 * gring_vq.h for who owns which area. Indices: avail and used idx are
 * free-running 16-bit counters; a ring slot is idx & (num - 1), which is
 * why num is a power of two.
 */

#include <linux/align.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <asm/barrier.h>
#include <asm/byteorder.h>

#include "gring_vq.h"

/*
 * What the CPU alone knows about descriptor @i. The device never sees
 * this: a device that scribbles on the descriptor table cannot corrupt
 * the free list or make the driver take back the wrong leases.
 */
struct gring_vq_slot {
	struct gring_lease desc_lease;	/* descriptor i, device-owned in flight */
	struct gring_lease buf_lease;	/* the buffer it points at */
	void *token;		/* head only: non-NULL while in flight */
	u32 in_bytes;		/* head only: device-writable bytes */
	u16 next;		/* free-list link, or next of the chain */
	u16 chain_len;		/* head only */
	u16 avail_at;		/* head only: its avail idx */
};

/* Byte offsets inside the avail ring: flags, idx, ring[num], used_event. */
#define AVAIL_FLAGS		0
#define AVAIL_IDX		1
#define AVAIL_RING(i)		(2 + (i))
#define AVAIL_USED_EVENT(num)	(2 + (num))

static size_t gring_vq_desc_size(u16 num)
{
	return (size_t)num * sizeof(struct gring_vq_desc);
}

static size_t gring_vq_avail_size(u16 num)
{
	return 6 + 2 * (size_t)num;
}

/* 6 + 8 * num per the spec, plus 2 so avail_event is a 32-bit load. */
static size_t gring_vq_used_size(u16 num)
{
	return 8 + 8 * (size_t)num;
}

/* Offset of avail_event in the used ring. */
static size_t gring_vq_avail_event_off(u16 num)
{
	return 4 + 8 * (size_t)num;
}

/*
 * One aligned 32-bit load of device-owned bytes, then dma_rmb(): the
 * used ring's fields are all read this way. The used ring's 16-bit
 * fields come in pairs (flags|idx) or with padding (avail_event), so a
 * 32-bit load never reads past the view.
 */
static u32 gring_vq_poll32(const struct gring_vq *vq, size_t offset)
{
	__le32 raw = 0;

	/* In bounds and aligned by construction (gring_vq_init()). */
	__gring_view_poll(&vq->views.used, offset, &raw, sizeof(raw),
			  GRING_SITE());
	return le32_to_cpu(raw);
}

static u16 gring_vq_used_idx(const struct gring_vq *vq)
{
	return gring_vq_poll32(vq, 0) >> 16;
}

/**
 * gring_vq_area_size() - bytes gring_vq_carve() needs for a queue
 * @num: the queue size
 *
 * Return: the size of the area, from a 16-aligned start.
 */
size_t gring_vq_area_size(u16 num)
{
	size_t used_off = ALIGN(gring_vq_desc_size(num) +
				gring_vq_avail_size(num), 4);

	return used_off + gring_vq_used_size(num);
}
EXPORT_SYMBOL_NS_GPL(gring_vq_area_size, GRING);

/**
 * gring_vq_carve() - project a queue's three areas out of one view
 * @area: at least gring_vq_area_size(@num) bytes, 16-aligned
 * @num: the queue size
 * @out: the three views, written only on success
 *
 * The descriptor table at the start, the avail ring right after it, the
 * used ring at the next multiple of 4: each with the alignment the spec
 * asks of its DMA address (16, 2, 4).
 *
 * Return: 0, or the error of the projection that failed (-ERANGE if
 * @area is too small, -EINVAL if misaligned).
 */
int gring_vq_carve(const struct gring_view *area, u16 num,
		   struct gring_vq_views *out)
{
	size_t avail_off = gring_vq_desc_size(num);
	size_t used_off = ALIGN(avail_off + gring_vq_avail_size(num), 4);
	struct gring_vq_views v;
	int err;

	if (!num)
		return -EINVAL;
	err = gring_view_sub(area, 0, gring_vq_desc_size(num), 16, &v.desc) ?:
	      gring_view_sub(area, avail_off, gring_vq_avail_size(num), 2,
			     &v.avail) ?:
	      gring_view_sub(area, used_off, gring_vq_used_size(num), 4,
			     &v.used);
	if (err)
		return err;
	*out = v;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_carve, GRING);

/**
 * gring_vq_init() - set up a queue over three views
 * @vq: the queue
 * @views: desc (16 * @num bytes, 16-aligned), avail (6 + 2 * @num,
 *	2-aligned) and used (8 + 8 * @num, 4-aligned) areas; CPU-owned,
 *	pairwise disjoint; larger views are cut to size
 * @num: the queue size: a power of two, at most %GRING_VQ_MAX_NUM
 * @event_idx: VIRTIO_RING_F_EVENT_IDX was negotiated
 * @name: for reports; must outlive the queue
 *
 * Zeroes the three areas (avail idx 0, used idx 0, no suppression),
 * builds the free list and hands the used ring to the device for the
 * queue's life. Program the device with the DMA handles of
 * @vq->views.desc, .avail and .used afterwards.
 *
 * Return: 0; -EINVAL if a view breaks the rules above; -EBUSY if the
 * device owns a byte of one; -ENOMEM.
 */
int gring_vq_init(struct gring_vq *vq, const struct gring_vq_views *views,
		  u16 num, bool event_idx, const char *name)
{
	struct gring_vq_views v;
	struct gring_vq_slot *slots;
	__le16 *avail;
	u16 i;
	int err;

	if (!num || !is_power_of_2(num) || num > GRING_VQ_MAX_NUM)
		return -EINVAL;
	if (gring_view_sub(&views->desc, 0, gring_vq_desc_size(num), 16,
			   &v.desc) ||
	    gring_view_sub(&views->avail, 0, gring_vq_avail_size(num), 2,
			   &v.avail) ||
	    gring_view_sub(&views->used, 0, gring_vq_used_size(num), 4,
			   &v.used))
		return -EINVAL;
	if (gring_view_overlaps(&v.desc, &v.avail) ||
	    gring_view_overlaps(&v.desc, &v.used) ||
	    gring_view_overlaps(&v.avail, &v.used))
		return -EINVAL;
	if (gring_view_owner(&v.desc) != GRING_OWNER_CPU ||
	    gring_view_owner(&v.avail) != GRING_OWNER_CPU ||
	    gring_view_owner(&v.used) != GRING_OWNER_CPU)
		return -EBUSY;

	avail = gring_view_cpu_ptr(&v.avail);
	if (IS_ERR(avail))
		return PTR_ERR(avail);
	slots = kcalloc(num, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;

	memset(vq, 0, sizeof(*vq));
	vq->views = v;
	vq->name = name;
	vq->num = num;
	vq->event_idx = event_idx;
	vq->cb_enabled = true;
	vq->avail_p = avail;
	vq->slots = slots;
	gring_lease_init(&vq->used_lease);
	for (i = 0; i < num; i++) {
		gring_lease_init(&slots[i].desc_lease);
		gring_lease_init(&slots[i].buf_lease);
		slots[i].next = i + 1;	/* num ends the list */
	}
	vq->free_head = 0;
	vq->num_free = num;

	/* All three CPU-owned, checked above: these cannot be refused. */
	memset(gring_view_cpu_ptr(&v.desc), 0, v.desc.size);
	memset(avail, 0, v.avail.size);
	memset(gring_view_cpu_ptr(&v.used), 0, v.used.size);
	/* The device writes the used ring; the CPU only polls it from now on. */
	err = gring_lease_give(&v.used, &vq->used_lease);
	if (err) {
		kfree(slots);
		vq->slots = NULL;
	}
	return err;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_init, GRING);

/**
 * gring_vq_fini() - take the used ring back from an idle queue
 * @vq: the queue, its device stopped or never started
 *
 * Return: 0, after which the three areas are CPU-owned; -EBUSY if chains
 * are still in flight (gring_vq_detach() them after a device reset), and
 * nothing changes.
 */
int gring_vq_fini(struct gring_vq *vq)
{
	int err;

	if (vq->num_free != vq->num)
		return -EBUSY;
	err = gring_lease_take(&vq->used_lease);
	if (err)
		return err;
	kfree(vq->slots);
	vq->slots = NULL;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_fini, GRING);

/* Take back the leases of the first @n descriptors of the chain at @head. */
static void gring_vq_take_chain(struct gring_vq *vq, u16 head, unsigned int n)
{
	struct gring_vq_slot *s;
	u16 i = head;

	while (n--) {
		s = &vq->slots[i];
		/* Active, and ours: neither take can be refused. */
		gring_lease_take(&s->desc_lease);
		gring_lease_take(&s->buf_lease);
		i = s->next;
	}
}

/**
 * gring_vq_add() - hand one chain of buffers to the device
 * @vq: the queue
 * @out: views the device reads, in order
 * @n_out: how many
 * @in: views the device writes, in order (after the @out ones, as the
 *	spec requires)
 * @in_count: how many
 * @token: returned by gring_vq_get_used() with this chain; not NULL
 *
 * Writes one descriptor per view (its DMA handle and size), then hands
 * each descriptor and each view to the device; puts the head into the
 * avail ring. The device does not see the chain until gring_vq_publish().
 *
 * Return: 0; -EINVAL if there is no view, a view is larger than 4 GiB - 1,
 * the writable total overflows 32 bits, or @token is NULL; -ENOSPC if
 * fewer than @n_out + @in_count descriptors are free (get_used, then try
 * again); -EIO if the queue is broken; -EBUSY if the device still owns a
 * byte of a view (a buffer reused before its chain came back: refused and
 * reported by the ownership layer). Nothing changes on error.
 */
int gring_vq_add(struct gring_vq *vq, const struct gring_view *out,
		 unsigned int n_out, const struct gring_view *in,
		 unsigned int in_count, void *token)
{
	unsigned int total, i, done;
	const struct gring_view *b;
	struct gring_vq_desc d;
	struct gring_vq_slot *s;
	struct gring_view dv;
	u32 in_bytes = 0;
	u16 head, idx;
	int err;

	if (!token || n_out > vq->num || in_count > vq->num)
		return -EINVAL;
	total = n_out + in_count;
	if (!total)
		return -EINVAL;
	for (i = 0; i < total; i++) {
		b = i < n_out ? &out[i] : &in[i - n_out];
		if (b->size > U32_MAX)
			return -EINVAL;
		if (i >= n_out && check_add_overflow(in_bytes, (u32)b->size,
						     &in_bytes))
			return -EINVAL;
	}
	if (vq->broken)
		return -EIO;
	if (total > vq->num_free) {
		vq->stats.full++;
		return -ENOSPC;
	}

	/* Walk the free list; nothing is taken off it until all succeeded. */
	head = vq->free_head;
	idx = head;
	for (done = 0; done < total; done++) {
		bool last = done + 1 == total;

		b = done < n_out ? &out[done] : &in[done - n_out];
		s = &vq->slots[idx];
		d.addr = cpu_to_le64(gring_view_dma_handle(b));
		d.len = cpu_to_le32(b->size);
		d.flags = cpu_to_le16((last ? 0 : GRING_VQ_DESC_F_NEXT) |
				      (done >= n_out ? GRING_VQ_DESC_F_WRITE : 0));
		d.next = cpu_to_le16(last ? 0 : s->next);
		/*
		 * The write is refused if the device still owns descriptor
		 * @idx (a free list that handed out an in-flight slot); the
		 * buffer's give is refused if the device still owns it (a
		 * caller reusing a buffer before its chain came back).
		 */
		err = gring_view_elem(&vq->views.desc, struct gring_vq_desc,
				      idx, &dv) ?:
		      gring_view_write(&dv, 0, &d, sizeof(d)) ?:
		      gring_lease_give(b, &s->buf_lease);
		if (err)
			goto unwind;
		/* Ends in dma_wmb(): the descriptor is written before it is given. */
		err = gring_lease_give(&dv, &s->desc_lease);
		if (err) {
			gring_lease_take(&s->buf_lease);
			goto unwind;
		}
		idx = s->next;
	}

	s = &vq->slots[head];
	s->token = token;
	s->in_bytes = in_bytes;
	s->chain_len = total;
	s->avail_at = vq->avail_idx;
	vq->free_head = idx;
	vq->num_free -= total;
	/*
	 * The avail ring is the driver's, but the device may read any entry
	 * below the published idx at any time: single untorn stores. This
	 * entry is above it until gring_vq_publish().
	 */
	WRITE_ONCE(vq->avail_p[AVAIL_RING(vq->avail_idx & (vq->num - 1))],
		   cpu_to_le16(head));
	vq->avail_idx++;
	vq->stats.added++;
	return 0;

unwind:
	gring_vq_take_chain(vq, head, done);
	return err;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_add, GRING);

/**
 * gring_vq_publish() - let the device see every chain added so far
 * @vq: the queue
 *
 * One avail idx store for any number of gring_vq_add() calls. Call
 * gring_vq_kick_prepare() next to learn whether to notify.
 */
void gring_vq_publish(struct gring_vq *vq)
{
	if (vq->avail_idx == vq->avail_pub)
		return;
	/*
	 * The device reads avail ring entries (and through them descriptors)
	 * only below the idx it sees: the entries written by gring_vq_add()
	 * must be visible before the idx that covers them (spec 2.7.13.3:
	 * "memory barrier before updating idx"). Descriptor gives already
	 * ended in dma_wmb(), but the avail entries were written after them.
	 */
	dma_wmb();
	WRITE_ONCE(vq->avail_p[AVAIL_IDX], cpu_to_le16(vq->avail_idx));
	vq->avail_pub = vq->avail_idx;
	vq->stats.published++;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_publish, GRING);

/**
 * gring_vq_kick_prepare() - whether the device wants a notification
 * @vq: the queue, after gring_vq_publish()
 *
 * With event_idx: whether the device's avail_event lies among the avail
 * indices published since the last call (gring_vq_need_event()); without:
 * whether the device's used ring lacks %GRING_VQ_USED_F_NO_NOTIFY. False
 * when nothing was published since the last call.
 *
 * Return: true if the caller must notify the device (an MMIO write, which
 * the MMIO accessors order after this).
 */
bool gring_vq_kick_prepare(struct gring_vq *vq)
{
	u16 old_idx = vq->kicked, new_idx = vq->avail_pub;
	bool need;

	/*
	 * A store (avail idx) then a load (the device's suppression state):
	 * only a full barrier orders those. Without it the CPU may read an
	 * old avail_event or flags, while the device, having already checked
	 * an old avail idx, went to sleep waiting for a notification that
	 * the CPU then decides not to send (spec 2.7.13.4).
	 */
	mb();
	vq->kicked = new_idx;
	if (old_idx == new_idx)
		return false;
	if (vq->event_idx) {
		u16 event = gring_vq_poll32(vq, gring_vq_avail_event_off(vq->num));

		need = gring_vq_need_event(event, new_idx, old_idx);
	} else {
		need = !(gring_vq_poll32(vq, 0) & GRING_VQ_USED_F_NO_NOTIFY);
	}
	if (need)
		vq->stats.notified++;
	else
		vq->stats.suppressed++;
	return need;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_kick_prepare, GRING);

/* The device gave something impossible: stop trusting it. */
static int gring_vq_bad_used(struct gring_vq *vq, const char *what, u32 id,
			     u32 len)
{
	vq->broken = true;
	vq->stats.bad_used++;
	pr_warn("%s: device returned %s (id %u len %u used %u)\n",
		vq->name, what, id, len, vq->last_used);
	return -EIO;
}

/**
 * gring_vq_get_used() - take back one chain the device returned
 * @vq: the queue
 * @token: the chain's token, written only when 1 is returned
 * @len: bytes the device wrote into it, written only when 1 is returned
 *
 * Reads the used idx, then (after dma_rmb()) the next used element;
 * checks it names a published chain in flight with no more than its
 * writable bytes; takes back every lease of the chain (its descriptors
 * and buffers are CPU-owned again, ordered after the device's writes) and
 * frees its descriptors. Call until it returns 0.
 *
 * Return: 1 with @token and @len set; 0 if nothing new; -EIO if the
 * device returned something impossible (counted in
 * &gring_vq_stats.bad_used, reported, queue broken: reset the device and
 * gring_vq_detach()).
 */
int gring_vq_get_used(struct gring_vq *vq, void **token, u32 *len)
{
	u16 used_idx, pending, head, last;
	struct gring_vq_slot *s;
	unsigned int i;
	size_t elem;
	u32 id, n;

	if (vq->broken)
		return -EIO;
	/* Polls end in dma_rmb(): the element is read after the idx. */
	used_idx = gring_vq_used_idx(vq);
	if (used_idx == vq->last_used)
		return 0;
	pending = vq->avail_pub - vq->last_used;
	if ((u16)(used_idx - vq->last_used) > pending)
		return gring_vq_bad_used(vq, "a used idx past what was published",
					 used_idx, 0);

	elem = 4 + sizeof(struct gring_vq_used_elem) *
		   (vq->last_used & (vq->num - 1));
	id = gring_vq_poll32(vq, elem);
	n = gring_vq_poll32(vq, elem + 4);
	if (id >= vq->num || !vq->slots[id].token)
		return gring_vq_bad_used(vq, "a chain not in flight", id, n);
	s = &vq->slots[id];
	if ((u16)(s->avail_at - vq->avail_pub) <
	    (u16)(vq->avail_idx - vq->avail_pub))
		return gring_vq_bad_used(vq, "an unpublished chain", id, n);
	if (n > s->in_bytes)
		return gring_vq_bad_used(vq, "more bytes than writable", id, n);

	head = id;
	gring_vq_take_chain(vq, head, s->chain_len);
	for (last = head, i = 1; i < s->chain_len; i++)
		last = vq->slots[last].next;
	vq->slots[last].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += s->chain_len;
	*token = s->token;
	*len = n;
	s->token = NULL;
	vq->last_used++;
	vq->stats.used++;

	if (vq->cb_enabled && vq->event_idx) {
		WRITE_ONCE(vq->avail_p[AVAIL_USED_EVENT(vq->num)],
			   cpu_to_le16(vq->last_used));
		/*
		 * "Interrupt me after the next one" must be visible before
		 * the next call reads the used idx: else the device may
		 * complete that one against the old used_event, not
		 * interrupt, and the driver, having seen nothing, waits.
		 */
		mb();
	}
	return 1;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_get_used, GRING);

/**
 * gring_vq_enable_cb() - ask for used-buffer notifications again
 * @vq: the queue
 *
 * With event_idx, used_event := the driver's used idx ("interrupt me
 * after the next one"); without, clears %GRING_VQ_AVAIL_F_NO_INTERRUPT.
 * Then looks whether the device returned more meanwhile.
 *
 * Return: true if nothing is pending; false if chains came back while
 * notifications were off (drain them with gring_vq_get_used()).
 */
bool gring_vq_enable_cb(struct gring_vq *vq)
{
	vq->cb_enabled = true;
	if (vq->event_idx)
		WRITE_ONCE(vq->avail_p[AVAIL_USED_EVENT(vq->num)],
			   cpu_to_le16(vq->last_used));
	else
		WRITE_ONCE(vq->avail_p[AVAIL_FLAGS], cpu_to_le16(0));
	/*
	 * A store (the request) then a load (the used idx): a full barrier,
	 * or a chain the device returned just before seeing the request
	 * would neither interrupt nor be seen here.
	 */
	mb();
	return gring_vq_used_idx(vq) == vq->last_used;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_enable_cb, GRING);

/**
 * gring_vq_disable_cb() - ask the device not to send used notifications
 * @vq: the queue
 *
 * Best effort, as in the spec: without event_idx sets
 * %GRING_VQ_AVAIL_F_NO_INTERRUPT; with it (where the flags must stay 0)
 * sets used_event one behind the driver's used idx, an index the device
 * has already passed and will not reach again for 65535 chains.
 */
void gring_vq_disable_cb(struct gring_vq *vq)
{
	vq->cb_enabled = false;
	if (vq->event_idx)
		WRITE_ONCE(vq->avail_p[AVAIL_USED_EVENT(vq->num)],
			   cpu_to_le16((u16)(vq->last_used - 1)));
	else
		WRITE_ONCE(vq->avail_p[AVAIL_FLAGS],
			   cpu_to_le16(GRING_VQ_AVAIL_F_NO_INTERRUPT));
}
EXPORT_SYMBOL_NS_GPL(gring_vq_disable_cb, GRING);

/**
 * gring_vq_detach() - take back a chain from a device that was reset
 * @vq: the queue; its device reset (it no longer touches the queue)
 * @token: a chain's token, written only when 1 is returned
 *
 * Returns the chains still in flight, published or not, one per call,
 * whatever the used ring says. When none is left, puts the queue back to
 * its state after gring_vq_init() (indices 0, areas zeroed, not broken)
 * so the device can be set up again.
 *
 * Return: 1 with @token set, or 0 once the queue is empty and reset.
 */
int gring_vq_detach(struct gring_vq *vq, void **token)
{
	struct gring_vq_slot *s;
	u16 i;

	for (i = 0; i < vq->num; i++) {
		s = &vq->slots[i];
		if (!s->token)
			continue;
		gring_vq_take_chain(vq, i, s->chain_len);
		*token = s->token;
		s->token = NULL;
		return 1;
	}
	for (i = 0; i < vq->num; i++)
		vq->slots[i].next = i + 1;
	vq->free_head = 0;
	vq->num_free = vq->num;
	vq->avail_idx = 0;
	vq->avail_pub = 0;
	vq->kicked = 0;
	vq->last_used = 0;
	vq->broken = false;
	vq->cb_enabled = true;
	memset(vq->avail_p, 0, vq->views.avail.size);
	/* The device is reset: the used ring is the CPU's for a moment. */
	if (!gring_lease_take(&vq->used_lease)) {
		memset(gring_view_cpu_ptr(&vq->views.used), 0,
		       vq->views.used.size);
		gring_lease_give(&vq->views.used, &vq->used_lease);
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_detach, GRING);

/**
 * gring_vq_query() - a queue's indices and counters at one instant
 * @vq: the queue (the caller's lock held, as for every call)
 * @st: filled in
 */
void gring_vq_query(struct gring_vq *vq, struct gring_vq_state *st)
{
	struct gring_view dv;
	u32 w = gring_vq_poll32(vq, 0);
	u16 i;

	memset(st, 0, sizeof(*st));
	st->num = vq->num;
	st->num_free = vq->num_free;
	st->avail_idx = vq->avail_idx;
	st->avail_pub = vq->avail_pub;
	st->last_used = vq->last_used;
	st->used_idx = w >> 16;
	st->used_flags = w & 0xffff;
	st->avail_event = gring_vq_poll32(vq, gring_vq_avail_event_off(vq->num));
	st->used_event = le16_to_cpu(READ_ONCE(vq->avail_p[AVAIL_USED_EVENT(vq->num)]));
	st->avail_flags = le16_to_cpu(READ_ONCE(vq->avail_p[AVAIL_FLAGS]));
	for (i = 0; i < vq->num; i++) {
		st->inflight += !!vq->slots[i].token;
		if (!gring_view_elem(&vq->views.desc, struct gring_vq_desc, i,
				     &dv) &&
		    gring_view_owner(&dv) == GRING_OWNER_GPU)
			st->device_descs++;
	}
	st->event_idx = vq->event_idx;
	st->broken = vq->broken;
	st->stats = vq->stats;
}
EXPORT_SYMBOL_NS_GPL(gring_vq_query, GRING);
