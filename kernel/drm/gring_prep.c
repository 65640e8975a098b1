// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: CPU_PREP and CPU_FINI -- msm's and etnaviv's CPU ownership of a
 * buffer, made range-granular and strict: CPU_PREP waits (as
 * dma_resv_wait_timeout() would, but only for the jobs that touch the
 * range) and then holds the range for the CPU until CPU_FINI, refusing
 * SUBMITs that touch it. The claims themselves live in each BO's interval
 * trees under its reservation lock (gring_busy.c).
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"

static int gring_prep_args(struct drm_gem_object *obj, u32 flags, u64 offset,
			   u64 size)
{
	u64 end;

	if (!size || check_add_overflow(offset, size, &end) ||
	    end > obj->size)
		return -EINVAL;
	return 0;
}

/* The time left until @deadline, in jiffies, never negative. */
static long gring_prep_left(ktime_t deadline)
{
	s64 ns = ktime_to_ns(ktime_sub(deadline, ktime_get()));

	return ns > 0 ? nsecs_to_jiffies(ns) : 0;
}

/**
 * gring_ioctl_cpu_prep() - DRM_IOCTL_GRING_CPU_PREP: take a BO range for
 *	the CPU
 * @drm: the gring DRM device
 * @data: a struct drm_gring_cpu_prep
 * @file: the caller's DRM file
 *
 * Return: 0 with the range held by @file until CPU_FINI; -EINVAL for bad
 * flags or range; -ENOENT for an unknown handle; -EBUSY when a job still
 * uses the range and DRM_GRING_PREP_NOWAIT was given (its timeout is then
 * ignored); -ETIMEDOUT when the wait ran out (at once for a timeout of
 * 0); -ERESTARTSYS on a signal; -ENOMEM.
 */
int gring_ioctl_cpu_prep(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_cpu_prep *args = data;
	bool write = args->flags & DRM_GRING_PREP_WRITE;
	struct gring_cpu_hold *hold;
	struct drm_gem_object *obj;
	struct gring_gem_object *bo;
	struct dma_fence *fence;
	ktime_t deadline;
	int ret;

	if (args->flags & ~DRM_GRING_PREP_FLAGS ||
	    !(args->flags & (DRM_GRING_PREP_READ | DRM_GRING_PREP_WRITE)))
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

		ret = dma_resv_lock_interruptible(obj->resv, NULL);
		if (ret)
			goto out_free;
		fence = gring_busy_conflict(bo, args->offset, args->size,
					    write);
		if (!fence)
			break;
		dma_resv_unlock(obj->resv);

		if (args->flags & DRM_GRING_PREP_NOWAIT) {
			ret = -EBUSY;
		} else {
			left = dma_fence_wait_timeout(fence, true,
						      gring_prep_left(deadline));
			ret = left < 0 ? left : left == 0 ? -ETIMEDOUT : 0;
		}
		dma_fence_put(fence);
		if (ret)
			goto out_free;
	}

	/* Still under the reservation: no SUBMIT can claim the range meanwhile. */
	hold->bo = bo;
	hold->flags = args->flags & (DRM_GRING_PREP_READ | DRM_GRING_PREP_WRITE);
	gring_busy_hold_add(bo, hold, args->offset, args->size);
	dma_resv_unlock(obj->resv);
	/*
	 * The hold keeps the lookup's reference. Published last: once it is
	 * on the file's list, CPU_FINI on another thread may free it and put
	 * that reference, and a mutex may still be touched by its unlocker
	 * after the next owner took it.
	 */
	spin_lock(&gfile->holds_lock);
	list_add_tail(&hold->file_link, &gfile->holds);
	spin_unlock(&gfile->holds_lock);
	return 0;

out_free:
	kfree(hold);
out_put:
	drm_gem_object_put(obj);
	return ret;
}

/*
 * Take @hold off its BO and free it. Its reference is dropped after the
 * reservation lock: it may be the last one, and a BO is not freed under
 * its own lock.
 */
static void gring_hold_release(struct gring_cpu_hold *hold)
{
	struct drm_gem_object *obj = &hold->bo->base;

	dma_resv_lock(obj->resv, NULL);
	gring_busy_hold_del(hold);
	dma_resv_unlock(obj->resv);
	kfree(hold);
	drm_gem_object_put(obj);
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
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_cpu_fini *args = data;
	struct gring_cpu_hold *hold, *found = NULL;
	struct drm_gem_object *obj;

	if (args->flags)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	spin_lock(&gfile->holds_lock);
	list_for_each_entry(hold, &gfile->holds, file_link) {
		if (&hold->bo->base == obj &&
		    hold->node.start == args->offset &&
		    hold->node.last - hold->node.start + 1 == args->size) {
			found = hold;
			list_del(&hold->file_link);
			break;
		}
	}
	spin_unlock(&gfile->holds_lock);

	if (found)
		gring_hold_release(found);

	drm_gem_object_put(obj);
	return found ? 0 : -EINVAL;
}

/**
 * gring_prep_file_close() - drop every hold a closing file still has
 * @gfile: the file's gring state
 */
void gring_prep_file_close(struct gring_file *gfile)
{
	struct gring_cpu_hold *hold, *tmp;
	LIST_HEAD(gone);

	spin_lock(&gfile->holds_lock);
	list_splice_init(&gfile->holds, &gone);
	spin_unlock(&gfile->holds_lock);

	list_for_each_entry_safe(hold, tmp, &gone, file_link)
		gring_hold_release(hold);
}
