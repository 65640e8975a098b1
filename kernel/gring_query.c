// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: what a ring looks like from outside -- its pointers, counters and
 * the owner of each of its regions, for RING_QUERY and debugfs
 * gring_rings. Offsets and counts only: never an address.
 */

#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"
#include "gring_vgpu.h"

static const char *const gring_owner_names[] = {
	[GRING_OWNER_CPU] = "cpu",
	[GRING_OWNER_GPU] = "gpu",
	[GRING_OWNER_MIXED] = "mixed",
};

/**
 * gring_queue_debugfs_show() - dump one queue for debugfs gring_rings
 * @q: the queue
 * @m: the debugfs file
 *
 * Pointers and regions are ring offsets; the owner of each region is what
 * the ownership layer says, not what the pointers imply.
 *
 * Context: inside drm_dev_enter(): the writeback is read.
 */
void gring_queue_debugfs_show(struct gring_queue *q, struct seq_file *m)
{
	struct gring_coherent_stats cs;
	struct gring_ring_state st;
	u64 faults, timeouts, completed, busy_ns, submitted;
	u32 i;

	if (q->engine == DRM_GRING_ENGINE_VIRTIO_GPU) {
		gring_vgpu_queue_show(q, m);
		return;
	}
	mutex_lock(&q->submit_lock);
	gring_ring_query(&q->ring, &st);
	submitted = q->seqno;
	mutex_unlock(&q->submit_lock);
	gring_coherent_get_stats(&q->bo->coh, &cs);
	spin_lock(&q->lock);
	faults = q->faults;
	timeouts = q->timeouts;
	completed = q->completed;
	busy_ns = q->busy_ns;
	spin_unlock(&q->lock);

	seq_printf(m, "%s: ring id %u, %u bytes, engine soft\n", q->name,
		   q->id, st.size);
	seq_printf(m, "  wptr %#x tail %#x rptr %#x pending %u free %u\n",
		   st.wptr, st.tail, st.rptr, st.pending, st.free);
	seq_printf(m, "  seqno submitted %llu completed %llu (writeback %llu)\n",
		   submitted, completed, st.seqno);
	seq_printf(m, "  jobs faulted %llu timed out %llu, engine %llu ns\n",
		   faults, timeouts, busy_ns);
	seq_printf(m, "  ring commits %llu retired %llu wraps %llu pad %llu full %llu bad-rptr %llu\n",
		   st.stats.commits, st.stats.retired, st.stats.wraps,
		   st.stats.pad_bytes, st.stats.full, st.stats.bad_rptr);
	seq_printf(m, "  handoffs to-gpu %llu to-cpu %llu; refused cpu %llu busy %llu twice %llu unheld %llu view %llu\n",
		   cs.to_gpu, cs.to_cpu, cs.cpu_refused, cs.give_busy,
		   cs.give_twice, cs.take_unheld, cs.bad_view);
	for (i = 0; i < st.nr_regions; i++)
		seq_printf(m, "  [0x%05x, 0x%05x) %s\n", st.regions[i].offset,
			   st.regions[i].offset + st.regions[i].size,
			   gring_owner_names[st.regions[i].owner]);
}

/**
 * gring_ioctl_ring_query() - DRM_IOCTL_GRING_RING_QUERY
 * @drm: the gring DRM device
 * @data: a struct drm_gring_ring_query
 * @file: the caller's DRM file
 *
 * Return: 0 with the outputs set; -EINVAL for non-zero flags; -ENOENT for
 * an unknown ring; -EFAULT if @data->regions cannot be written.
 */
int gring_ioctl_ring_query(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_ring_query *args = data;
	static const u32 owners[] = {
		[GRING_OWNER_CPU] = DRM_GRING_OWNER_CPU,
		[GRING_OWNER_GPU] = DRM_GRING_OWNER_GPU,
		[GRING_OWNER_MIXED] = DRM_GRING_OWNER_MIXED,
	};
	struct drm_gring_region regions[GRING_RING_MAX_REGIONS];
	struct gring_coherent_stats cs;
	struct gring_ring_state st;
	struct gring_queue *q;
	u64 faults, timeouts, submitted;
	int ret = 0, idx;
	u32 n, i;

	if (args->flags)
		return -EINVAL;

	q = gring_queue_lookup(gfile, args->ring_id);
	if (!q)
		return -ENOENT;

	/* The writeback is read: only while the device (its memory) is there. */
	if (!drm_dev_enter(drm, &idx)) {
		gring_queue_put(q);
		return -ENODEV;
	}
	/* One snapshot under the submit lock: no commit moves wptr meanwhile. */
	mutex_lock(&q->submit_lock);
	if (q->engine == DRM_GRING_ENGINE_SOFT)
		gring_ring_query(&q->ring, &st);
	else
		st = (struct gring_ring_state){};	/* see the uapi */
	submitted = q->seqno;
	mutex_unlock(&q->submit_lock);
	drm_dev_exit(idx);

	spin_lock(&q->lock);
	faults = q->faults;
	timeouts = q->timeouts;
	spin_unlock(&q->lock);
	gring_coherent_get_stats(&q->bo->coh, &cs);
	if (q->engine != DRM_GRING_ENGINE_SOFT)
		st.seqno = READ_ONCE(q->completed);
	n = st.nr_regions;
	for (i = 0; i < n; i++)
		regions[i] = (struct drm_gring_region){
			.offset = st.regions[i].offset,
			.size = st.regions[i].size,
			.owner = owners[st.regions[i].owner],
		};

	if (args->regions && args->region_count >= n &&
	    copy_to_user(u64_to_user_ptr(args->regions), regions,
			 n * sizeof(regions[0])))
		ret = -EFAULT;
	if (!ret) {
		args->region_count = n;
		args->size = st.size;
		args->wptr = st.wptr;
		args->rptr = st.rptr;
		args->submitted = submitted;
		args->completed = st.seqno;
		args->faults = faults;
		args->timeouts = timeouts;
		args->refusals = cs.cpu_refused + cs.give_busy +
				 cs.give_twice + cs.take_unheld + cs.bad_view;
	}
	gring_queue_put(q);
	return ret;
}
