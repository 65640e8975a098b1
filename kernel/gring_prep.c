// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: who may touch which bytes of a buffer object, range by range.
 *
 * Two kinds of claim sit on a BO's ranges:
 *
 * - busy ranges: a job in flight reads or writes them. Each carries the
 *   job's finished fence. A later job touching an overlapping range waits
 *   for it, so two jobs never hand the same bytes to the engine at once;
 *   CPU_PREP waits for it (for writers only, when the CPU only reads).
 * - CPU holds: CPU_PREP took the range for the CPU, until CPU_FINI. A
 *   SUBMIT touching a held range is refused with -EBUSY: the CPU has not
 *   given those bytes up.
 *
 * This is msm's and etnaviv's CPU_PREP/CPU_FINI made range-granular and
 * strict. Both lists of every BO are protected by the device's busy_lock,
 * a mutex: SUBMIT checks holds and publishes its busy ranges in one
 * critical section, so a CPU_PREP cannot slip between the two.
 */

#include <linux/dma-fence.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"

/**
 * struct gring_cpu_hold - a range CPU_PREP gave the CPU
 * @bo_link: in the BO's list of holds
 * @file_link: in the file's list of holds, released when it closes
 * @bo: the BO; the hold keeps a reference
 * @offset: first byte
 * @size: bytes
 * @flags: the DRM_GRING_PREP_READ/WRITE flags it was taken with
 */
struct gring_cpu_hold {
	struct list_head bo_link;
	struct list_head file_link;
	struct gring_gem_object *bo;
	u64 offset;
	u64 size;
	u32 flags;
};

static bool gring_ranges_overlap(u64 a_off, u64 a_size, u64 b_off,
				 u64 b_size)
{
	return a_off < b_off + b_size && b_off < a_off + a_size;
}

/**
 * gring_busy_check_job() - check a job's ranges against CPU holds, and
 *	make it wait for earlier jobs on the same bytes
 * @gdev: the device
 * @job: a job whose ranges are filled in, not yet armed
 *
 * Context: the caller holds @gdev->busy_lock, and keeps holding it until
 * gring_busy_publish_job(), so no CPU_PREP can take a range in between.
 * Return: 0, -EBUSY if a range overlaps a CPU hold, or the error of
 * drm_sched_job_add_dependency() (-ENOMEM).
 */
int gring_busy_check_job(struct gring_drm_device *gdev, struct gring_job *job)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&gdev->busy_lock);

	for (i = 0; i < job->nr_ranges; i++) {
		struct gring_job_range *r = &job->ranges[i];
		struct gring_cpu_hold *hold;
		struct gring_job_range *busy;

		list_for_each_entry(hold, &r->bo->holds, bo_link)
			if (gring_ranges_overlap(r->offset, r->size,
						 hold->offset, hold->size))
				return -EBUSY;

		/*
		 * Any overlap orders the two jobs, two readers included: the
		 * engine owns bytes exclusively (one lease per byte), so the
		 * later job may take them only once the earlier gave them back.
		 */
		list_for_each_entry(busy, &r->bo->busy, busy_link) {
			if (!gring_ranges_overlap(r->offset, r->size,
						  busy->offset, busy->size))
				continue;
			/* The scheduler takes its own reference. */
			dma_fence_get(busy->fence);
			ret = drm_sched_job_add_dependency(&job->base,
							   busy->fence);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/**
 * gring_busy_publish_job() - mark an armed job's ranges busy
 * @gdev: the device
 * @job: the job, armed: its finished fence exists
 *
 * Context: @gdev->busy_lock held since gring_busy_check_job().
 */
void gring_busy_publish_job(struct gring_drm_device *gdev,
			    struct gring_job *job)
{
	unsigned int i;

	lockdep_assert_held(&gdev->busy_lock);

	for (i = 0; i < job->nr_ranges; i++) {
		struct gring_job_range *r = &job->ranges[i];

		r->fence = dma_fence_get(&job->base.s_fence->finished);
		list_add_tail(&r->busy_link, &r->bo->busy);
	}
}

/**
 * gring_busy_release_job() - forget a finished job's busy ranges
 * @gdev: the device
 * @job: a job gring_busy_publish_job() published, now finished
 */
void gring_busy_release_job(struct gring_drm_device *gdev,
			    struct gring_job *job)
{
	unsigned int i;

	mutex_lock(&gdev->busy_lock);
	for (i = 0; i < job->nr_ranges; i++) {
		struct gring_job_range *r = &job->ranges[i];

		if (r->fence) {
			list_del(&r->busy_link);
			dma_fence_put(r->fence);
			r->fence = NULL;
		}
	}
	mutex_unlock(&gdev->busy_lock);
}

/*
 * The first unsignalled fence of a job that conflicts with a CPU access
 * of @flags to the range, with a reference; NULL when there is none.
 */
static struct dma_fence *gring_busy_conflict(struct gring_gem_object *bo,
					     u64 offset, u64 size, u32 flags)
{
	struct gring_job_range *busy;

	list_for_each_entry(busy, &bo->busy, busy_link) {
		/* Reading needs only the writers gone; writing needs all. */
		if (!(flags & DRM_GRING_PREP_WRITE) && !busy->write)
			continue;
		if (!gring_ranges_overlap(offset, size, busy->offset,
					  busy->size))
			continue;
		if (dma_fence_is_signaled(busy->fence))
			continue;
		return dma_fence_get(busy->fence);
	}
	return NULL;
}

static int gring_prep_args(struct drm_gem_object *obj, u32 flags, u64 offset,
			   u64 size)
{
	u64 end;

	if (!size || check_add_overflow(offset, size, &end) ||
	    end > obj->size)
		return -EINVAL;
	return 0;
}

/**
 * gring_ioctl_cpu_prep() - DRM_IOCTL_GRING_CPU_PREP: take a BO range for
 *	the CPU
 * @drm: the gring DRM device
 * @data: a struct drm_gring_cpu_prep
 * @file: the caller's DRM file
 *
 * Return: 0 with the range held by @file until CPU_FINI; -EINVAL for bad
 * flags, padding or range; -ENOENT for an unknown handle; -EBUSY when a
 * job still uses the range and DRM_GRING_PREP_NOWAIT was given;
 * -ETIMEDOUT when the wait ran out; -ERESTARTSYS on a signal; -ENOMEM.
 */
int gring_ioctl_cpu_prep(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(drm);
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_cpu_prep *args = data;
	struct gring_cpu_hold *hold;
	struct drm_gem_object *obj;
	struct gring_gem_object *bo;
	struct dma_fence *fence;
	ktime_t deadline;
	int ret;

	if (args->flags & ~DRM_GRING_PREP_FLAGS ||
	    !(args->flags & (DRM_GRING_PREP_READ | DRM_GRING_PREP_WRITE)))
		return -EINVAL;
	if (args->flags & DRM_GRING_PREP_NOWAIT && args->timeout_ns)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	bo = to_gring_gem_object(obj);
	ret = gring_prep_args(obj, args->flags, args->offset, args->size);
	if (ret)
		goto out_put;

	hold = kzalloc(sizeof(*hold), GFP_KERNEL_ACCOUNT);
	if (!hold) {
		ret = -ENOMEM;
		goto out_put;
	}

	deadline = ktime_add_ns(ktime_get(),
				min_t(u64, args->timeout_ns, KTIME_MAX / 2));
	for (;;) {
		long left;

		mutex_lock(&gdev->busy_lock);
		fence = gring_busy_conflict(bo, args->offset, args->size,
					    args->flags);
		if (!fence)
			break;
		mutex_unlock(&gdev->busy_lock);

		if (args->flags & DRM_GRING_PREP_NOWAIT) {
			ret = -EBUSY;
		} else {
			left = nsecs_to_jiffies(ktime_to_ns(ktime_sub(deadline,
								      ktime_get())));
			left = dma_fence_wait_timeout(fence, true,
						      max(left, 0L));
			ret = left < 0 ? left : left == 0 ? -ETIMEDOUT : 0;
		}
		dma_fence_put(fence);
		if (ret)
			goto out_free;
	}

	/* Still under busy_lock: no SUBMIT can claim the range meanwhile. */
	hold->bo = bo;
	hold->offset = args->offset;
	hold->size = args->size;
	hold->flags = args->flags & (DRM_GRING_PREP_READ | DRM_GRING_PREP_WRITE);
	list_add_tail(&hold->bo_link, &bo->holds);
	list_add_tail(&hold->file_link, &gfile->holds);
	mutex_unlock(&gdev->busy_lock);
	/* The hold keeps the lookup's reference. */
	return 0;

out_free:
	kfree(hold);
out_put:
	drm_gem_object_put(obj);
	return ret;
}

/*
 * The reference is dropped by the caller, after busy_lock: it may be the
 * last one, and freeing a BO must not happen under the lock.
 */
static void gring_hold_unlink(struct gring_cpu_hold *hold)
{
	list_del(&hold->bo_link);
	list_del(&hold->file_link);
}

static void gring_hold_free(struct gring_cpu_hold *hold)
{
	drm_gem_object_put(&hold->bo->base);
	kfree(hold);
}

/**
 * gring_ioctl_cpu_fini() - DRM_IOCTL_GRING_CPU_FINI: give a held range back
 * @drm: the gring DRM device
 * @data: a struct drm_gring_cpu_fini
 * @file: the caller's DRM file
 *
 * Return: 0; -EINVAL for non-zero flags or a range this file does not hold
 * (exactly as CPU_PREP took it); -ENOENT for an unknown handle.
 */
int gring_ioctl_cpu_fini(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(drm);
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_cpu_fini *args = data;
	struct gring_cpu_hold *hold, *found = NULL;
	struct drm_gem_object *obj;

	if (args->flags)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	mutex_lock(&gdev->busy_lock);
	list_for_each_entry(hold, &gfile->holds, file_link) {
		if (&hold->bo->base == obj && hold->offset == args->offset &&
		    hold->size == args->size) {
			found = hold;
			break;
		}
	}
	if (found)
		gring_hold_unlink(found);
	mutex_unlock(&gdev->busy_lock);

	if (found)
		gring_hold_free(found);

	drm_gem_object_put(obj);
	return found ? 0 : -EINVAL;
}

/**
 * gring_prep_file_close() - drop every hold a closing file still has
 * @gdev: the device
 * @gfile: the file's gring state
 */
void gring_prep_file_close(struct gring_drm_device *gdev,
			   struct gring_file *gfile)
{
	struct gring_cpu_hold *hold, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&gdev->busy_lock);
	list_for_each_entry_safe(hold, tmp, &gfile->holds, file_link) {
		list_del(&hold->bo_link);
		list_move(&hold->file_link, &gone);
	}
	mutex_unlock(&gdev->busy_lock);

	list_for_each_entry_safe(hold, tmp, &gone, file_link)
		gring_hold_free(hold);
}
