// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: RING_QUERY -- what a ring looks like from outside: its pointers,
 * counters and the owner of each of its regions, as its engine reports
 * them. Offsets and counts only: never an address.
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
#include "gring_ring.h"

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
	q->ops->query(q, &st);
	submitted = q->seqno;
	mutex_unlock(&q->submit_lock);
	drm_dev_exit(idx);

	spin_lock_irq(&q->lock);
	faults = q->faults;
	timeouts = q->timeouts;
	spin_unlock_irq(&q->lock);
	gring_coherent_get_stats(&q->bo->coh, &cs);
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
