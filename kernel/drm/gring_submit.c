// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the ring uapi -- RING_CREATE, RING_DESTROY, SUBMIT -- and the
 * syncobjs every engine's SUBMIT waits on and signals.
 *
 * As everywhere in gring's ioctls, every field is checked before anything
 * changes, and outputs are written only once nothing can fail any more.
 * SUBMIT in particular changes nothing -- no ring bytes, no seqno, no
 * syncobj -- unless the job is queued. These are the only functions that
 * pick an engine: by the number userspace gave (RING_CREATE) or the ring
 * (SUBMIT), through the engine's ops.
 */

#include <linux/dma-fence-chain.h>
#include <linux/dma-fence-unwrap.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

#include "gring_cmd.h"
#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_vgpu.h"

/**
 * gring_ioctl_ring_create() - DRM_IOCTL_GRING_RING_CREATE
 * @drm: the gring DRM device
 * @data: a struct drm_gring_ring_create
 * @file: the caller's DRM file, which will own the ring
 *
 * Return: 0 with @data->ring_id and @data->size set; -EINVAL for an
 * unknown engine, non-zero flags or extensions, or a bad size; -ENODEV
 * for an engine this device does not have; -EMFILE when the file has
 * DRM_GRING_PARAM_MAX_RINGS rings; -ENOMEM, -ENOSPC (the device's
 * pinned-memory cap), or another error from allocating the ring's buffer.
 */
int gring_ioctl_ring_create(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(drm);
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_ring_create *args = data;
	struct gring_engine *engine;
	struct gring_queue *q;
	int ret, idx;
	u32 size, id;

	if (args->engine >= GRING_ENGINE_KINDS || args->flags ||
	    args->extensions)
		return -EINVAL;
	/*
	 * The uapi's rule per engine: a soft ring has a size (0 for the
	 * default), a virtio-gpu ring's ring is the device's virtqueue.
	 */
	if (args->engine == DRM_GRING_ENGINE_VIRTIO_GPU) {
		if (args->size)
			return -EINVAL;
		size = 0;
	} else {
		size = args->size ?: DRM_GRING_RING_SIZE_DEFAULT;
		if (!is_power_of_2(size) || size < DRM_GRING_RING_SIZE_MIN ||
		    size > DRM_GRING_RING_SIZE_MAX)
			return -EINVAL;
	}
	engine = gdev->engine[args->engine];
	if (!engine)
		return -ENODEV;

	/* Counted before anything is made, so that racing creates cannot pass. */
	xa_lock(&gfile->queues);
	if (gfile->nr_queues >= gring_max_rings()) {
		xa_unlock(&gfile->queues);
		return -EMFILE;
	}
	gfile->nr_queues++;
	xa_unlock(&gfile->queues);

	/* Allocating device memory: only while the device is there. */
	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto err_count;
	}
	q = gring_queue_create(gdev, gfile, engine, size);
	drm_dev_exit(idx);
	if (IS_ERR(q)) {
		ret = PTR_ERR(q);
		goto err_count;
	}

	/*
	 * Ids start at 1, so that 0 never names a ring. Once @q is in the
	 * table another thread of the file may RING_DESTROY it by a guessed
	 * id and drop the only reference: its @id is written under the same
	 * lock (which __xa_alloc() does not drop once it has stored), and
	 * nothing here touches @q after the unlock.
	 */
	xa_lock(&gfile->queues);
	ret = __xa_alloc(&gfile->queues, &id, q,
			 XA_LIMIT(1, DRM_GRING_MAX_RING_ID), GFP_KERNEL);
	if (!ret)
		WRITE_ONCE(q->id, id);
	xa_unlock(&gfile->queues);
	if (ret) {
		/* -EBUSY: every id is taken, which max_rings says first. */
		if (ret == -EBUSY)
			ret = -EMFILE;
		gring_queue_put(q);
		goto err_count;
	}
	args->ring_id = id;
	args->size = size;
	return 0;

err_count:
	xa_lock(&gfile->queues);
	gfile->nr_queues--;
	xa_unlock(&gfile->queues);
	return ret;
}

/**
 * gring_ioctl_ring_destroy() - DRM_IOCTL_GRING_RING_DESTROY
 * @drm: the gring DRM device
 * @data: a struct drm_gring_ring_destroy
 * @file: the caller's DRM file
 *
 * Returns at once: the ring's jobs hold the ring, run on and signal their
 * fences; the last one to go tears the ring down.
 *
 * Return: 0; -EINVAL for non-zero flags; -ENOENT for an unknown ring.
 */
int gring_ioctl_ring_destroy(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_ring_destroy *args = data;
	struct gring_queue *q;

	if (args->flags)
		return -EINVAL;

	xa_lock(&gfile->queues);
	q = __xa_erase(&gfile->queues, args->ring_id);
	if (q)
		gfile->nr_queues--;
	xa_unlock(&gfile->queues);
	if (!q)
		return -ENOENT;
	gring_queue_put(q);
	return 0;
}

/**
 * gring_ioctl_submit() - DRM_IOCTL_GRING_SUBMIT: queue a job on a ring
 * @drm: the gring DRM device
 * @data: a struct drm_gring_submit
 * @file: the caller's DRM file
 *
 * Checks the fields every engine shares, then hands the rest to the ring's
 * engine.
 *
 * Return: 0 with @data->seqno set; the errors of struct drm_gring_submit
 * in the uapi. Nothing is queued and nothing changes on failure.
 */
int gring_ioctl_submit(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_submit *args = data;
	struct gring_queue *q;
	u64 seqno;
	int ret;

	if (args->flags & ~DRM_GRING_SUBMIT_FLAGS || args->extensions)
		return -EINVAL;
	if (!args->cmd_count || args->cmd_count > DRM_GRING_MAX_CMDS ||
	    !args->cmd_size || args->cmd_size > PAGE_SIZE ||
	    args->in_sync_count > DRM_GRING_MAX_IN_SYNCS)
		return -EINVAL;

	q = gring_queue_lookup(gfile, args->ring_id);
	if (!q)
		return -ENOENT;
	ret = q->ops->submit(file, q, args, &seqno);
	if (!ret)
		args->seqno = seqno;
	gring_queue_put(q);
	return ret;
}

/**
 * gring_submit_in_syncs() - make a job wait for SUBMIT's in-syncobjs
 * @file: the submitting file
 * @args: the SUBMIT, whose @in_sync_count the caller bounded
 * @job: the job, not yet armed
 *
 * Return: 0; -EFAULT; -EINVAL for non-zero flags or handle 0; -ENOENT
 * for an unknown syncobj (or point); -ENOMEM.
 */
int gring_submit_in_syncs(struct drm_file *file,
			  const struct drm_gring_submit *args,
			  struct gring_job *job)
{
	struct drm_gring_sync __user *usyncs = u64_to_user_ptr(args->in_syncs);
	u32 i;
	int ret;

	for (i = 0; i < args->in_sync_count; i++) {
		struct drm_gring_sync sync;

		if (copy_from_user(&sync, &usyncs[i], sizeof(sync)))
			return -EFAULT;
		if (sync.flags || !sync.handle)
			return -EINVAL;
		ret = drm_sched_job_add_syncobj_dependency(&job->base, file,
							   sync.handle,
							   sync.point);
		if (ret)
			return ret;
	}
	return 0;
}

/* Has @fence signalled, and has nothing in it (points, merges) failed? */
static bool gring_fence_done_ok(struct dma_fence *fence)
{
	struct dma_fence_unwrap iter;
	struct dma_fence *f;

	if (!dma_fence_is_signaled(fence))
		return false;
	dma_fence_unwrap_for_each(f, &iter, fence) {
		if (dma_fence_get_status(f) != 1) {
			/* The walk holds the chain link it stands on. */
			dma_fence_put(iter.chain);
			return false;
		}
	}
	return true;
}

/**
 * gring_submit_in_syncs_signalled() - has every in-fence of a SUBMIT
 *	already signalled, without error?
 * @file: the submitting file
 * @args: the SUBMIT, whose @in_sync_count the caller bounded
 *
 * The direct path's test, made before the job has any scheduler state
 * and before any lock is taken (it reads userspace memory). Anything it
 * does not like -- an unsignalled or failed fence, and an entry
 * gring_submit_in_syncs() would refuse -- sends the job the scheduled
 * way, which waits, skips the job with -ECANCELED, or returns the error
 * as it always has.
 *
 * Return: true if every in-syncobj's fence (or point) has signalled and
 * none of what it is made of failed.
 */
bool gring_submit_in_syncs_signalled(struct drm_file *file,
				     const struct drm_gring_submit *args)
{
	struct drm_gring_sync __user *usyncs = u64_to_user_ptr(args->in_syncs);
	u32 i;

	for (i = 0; i < args->in_sync_count; i++) {
		struct drm_gring_sync sync;
		struct dma_fence *fence;
		bool ok;

		if (copy_from_user(&sync, &usyncs[i], sizeof(sync)) ||
		    sync.flags || !sync.handle)
			return false;
		if (drm_syncobj_find_fence(file, sync.handle, sync.point, 0,
					   &fence))
			return false;
		ok = gring_fence_done_ok(fence);
		dma_fence_put(fence);
		if (!ok)
			return false;
	}
	return true;
}

/**
 * gring_out_sync_prepare() - look up SUBMIT's out-syncobj before queueing
 * @file: the submitting file
 * @args: the SUBMIT
 * @out: filled in; gring_out_sync_fini() releases it
 *
 * Return: 0; -EINVAL for a point without a syncobj; -ENOENT; -ENOMEM.
 */
int gring_out_sync_prepare(struct drm_file *file,
			   const struct drm_gring_submit *args,
			   struct gring_out_sync *out)
{
	if (!args->out_sync)
		return args->out_sync_point ? -EINVAL : 0;

	out->syncobj = drm_syncobj_find(file, args->out_sync);
	if (!out->syncobj)
		return -ENOENT;
	if (args->out_sync_point) {
		out->chain = dma_fence_chain_alloc();
		if (!out->chain)
			return -ENOMEM;
	}
	return 0;
}

/**
 * gring_out_sync_commit() - give the out-syncobj a queued job's fence
 * @out: from gring_out_sync_prepare(); its timeline link is used up
 * @fence: the job's finished fence
 * @point: the timeline point, or 0 to replace a binary syncobj's fence
 */
void gring_out_sync_commit(struct gring_out_sync *out, struct dma_fence *fence,
			   u64 point)
{
	if (!out->syncobj)
		return;
	if (out->chain) {
		drm_syncobj_add_point(out->syncobj, out->chain, fence, point);
		out->chain = NULL;
	} else {
		drm_syncobj_replace_fence(out->syncobj, fence);
	}
}

/**
 * gring_out_sync_fini() - release what gring_out_sync_prepare() took
 * @out: the out-syncobj state
 */
void gring_out_sync_fini(struct gring_out_sync *out)
{
	dma_fence_chain_free(out->chain);
	out->chain = NULL;
	if (out->syncobj)
		drm_syncobj_put(out->syncobj);
	out->syncobj = NULL;
}

