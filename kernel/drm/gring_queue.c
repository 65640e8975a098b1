// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: queues -- a ring of a file: an entity on its engine's schedulers
 * and the engine's state for it. Creation, lookup, and the teardown that
 * runs once the file has let go and the queue's last job is freed.
 */

#include <linux/dma-fence.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"

static unsigned int max_rings = 256;
module_param(max_rings, uint, 0444);
MODULE_PARM_DESC(max_rings,
		 "Most rings one DRM file may have at once (default 256)");

/**
 * gring_max_rings() - how many rings one file may have
 *
 * Return: the max_rings module parameter, at least 1.
 */
u32 gring_max_rings(void)
{
	return max(max_rings, 1U);
}

static void gring_queue_release_work(struct work_struct *work)
{
	struct gring_queue *q = container_of(work, struct gring_queue,
					     release_work);
	struct gring_drm_device *gdev = q->gdev;

	/* No job is left: the entity is idle, and fini does not wait. */
	drm_sched_entity_fini(&q->entity);
	mutex_lock(&gdev->queues_lock);
	list_del(&q->dev_link);
	mutex_unlock(&gdev->queues_lock);
	q->ops->queue_fini(q);
	drm_gem_object_put(&q->bo->base);
	mutex_destroy(&q->submit_lock);
	gring_file_put(q->gfile);
	/* Mappings of the status page hold their own references. */
	put_page(q->status_page);
	kvfree(q->spare);
	kfree(q);
	/*
	 * The queue held the module for its jobs, which may outlive every
	 * file. Last, and safe: module exit drains gring_wq, this work
	 * included, before the code goes.
	 */
	module_put(THIS_MODULE);
}

static void gring_queue_release(struct kref *kref)
{
	struct gring_queue *q = container_of(kref, struct gring_queue,
					     refcount);

	/* Often the last job's free_job, inside the scheduler: not here. */
	queue_work(gring_wq, &q->release_work);
}

/**
 * gring_queue_create() - a ring on an engine
 * @gdev: the device
 * @gfile: the file it belongs to; the queue takes a reference
 * @engine: the engine
 * @size: RING_CREATE's size, as the engine takes it
 *
 * No thread and no scheduler is made: the queue is an entity on the
 * engine's schedulers, which may run it on any of them when it is idle.
 * The caller sets the queue's @id as it publishes it, under the
 * file's table lock.
 *
 * Return: the queue, holding one reference, or an ERR_PTR().
 */
struct gring_queue *gring_queue_create(struct gring_drm_device *gdev,
				       struct gring_file *gfile,
				       struct gring_engine *engine, u32 size)
{
	const struct gring_engine_ops *ops = engine->ops;
	struct gring_queue *q;
	int ret;

	BUILD_BUG_ON(sizeof(struct drm_gring_ring_status) >
		     DRM_GRING_STATUS_SIZE);
	BUILD_BUG_ON(DRM_GRING_STATUS_SIZE != PAGE_SIZE);
	q = kzalloc(ops->queue_size, GFP_KERNEL_ACCOUNT);
	if (!q)
		return ERR_PTR(-ENOMEM);
	q->status_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!q->status_page) {
		kfree(q);
		return ERR_PTR(-ENOMEM);
	}
	q->status = page_address(q->status_page);
	kref_init(&q->refcount);
	INIT_WORK(&q->release_work, gring_queue_release_work);
	q->gdev = gdev;
	q->engine = engine;
	q->ops = ops;
	mutex_init(&q->submit_lock);
	spin_lock_init(&q->lock);
	q->direct_context = dma_fence_context_alloc(1);
	snprintf(q->name, sizeof(q->name), "gring-%s-%u", ops->name,
		 atomic_inc_return(&gdev->queue_serial));

	ret = ops->queue_init(q, size);
	if (ret)
		goto err_free;

	ret = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_NORMAL,
				    engine->sched_list, engine->nr_scheds,
				    NULL);
	if (ret)
		goto err_engine;

	kref_get(&gfile->ref);
	q->gfile = gfile;
	__module_get(THIS_MODULE);
	mutex_lock(&gdev->queues_lock);
	list_add_tail(&q->dev_link, &gdev->queues);
	mutex_unlock(&gdev->queues_lock);
	return q;

err_engine:
	ops->queue_fini(q);
	drm_gem_object_put(&q->bo->base);
err_free:
	mutex_destroy(&q->submit_lock);
	put_page(q->status_page);
	kvfree(q->spare);
	kfree(q);
	return ERR_PTR(ret);
}

/**
 * gring_queue_put() - drop a reference to a queue
 * @q: the queue
 *
 * The last reference tears the queue down from the driver's workqueue;
 * this never waits.
 *
 * Context: any context that may queue work.
 */
void gring_queue_put(struct gring_queue *q)
{
	kref_put(&q->refcount, gring_queue_release);
}

/**
 * gring_queue_lookup() - find a ring of a file by id, with a reference
 * @gfile: the file's gring state
 * @id: the ring id userspace gave
 *
 * Return: the queue, holding a reference for gring_queue_put(), or NULL.
 */
struct gring_queue *gring_queue_lookup(struct gring_file *gfile, u32 id)
{
	struct gring_queue *q;

	xa_lock(&gfile->queues);
	q = xa_load(&gfile->queues, id);
	if (q)
		kref_get(&q->refcount);
	xa_unlock(&gfile->queues);
	return q;
}

/**
 * gring_queue_retire() - record that a job of the queue is done
 * @q: the queue, its @lock held
 * @seqno: the job's seqno
 * @err: 0, or the error its fence signals with
 *
 * Jobs of a ring may complete out of order (a virtio-gpu job skipped for
 * a failed dependency, while earlier ones are still on the device): the
 * ring's completed seqno advances over a job only once every earlier one
 * is done too, and the errors go into the status page's log in seqno
 * order, with the barriers struct drm_gring_ring_status promises its
 * readers. Called before the job's fence signals, so whoever saw the
 * fence signalled sees the page too.
 */
void gring_queue_retire(struct gring_queue *q, u64 seqno, int err)
{
	struct drm_gring_ring_status *st = q->status;
	u64 ahead = seqno - q->completed - 1;

	lockdep_assert_held(&q->lock);
	if (WARN_ON_ONCE(seqno <= q->completed ||
			 ahead >= GRING_RETIRE_WINDOW))
		return;
	q->retire_err[seqno % GRING_RETIRE_WINDOW] = err;
	q->retire_mask |= BIT_ULL(ahead);
	if (!(q->retire_mask & 1))
		return;
	while (q->retire_mask & 1) {
		u64 done = ++q->completed;
		int e = q->retire_err[done % GRING_RETIRE_WINDOW];

		q->retire_mask >>= 1;
		if (e) {
			u64 n = st->errors;
			u32 slot = n % DRM_GRING_STATUS_ERRORS;

			WRITE_ONCE(st->error_seqno[slot], done);
			/*
			 * The seqno before the error: a reader that sees
			 * the new error sees the new seqno, never the old
			 * one beside it.
			 */
			smp_wmb();
			WRITE_ONCE(st->error[slot], e);
			/* The entry before the count that publishes it. */
			smp_wmb();
			WRITE_ONCE(st->errors, n + 1);
		}
	}
	/* The log before the seqno that says it is complete (release). */
	smp_store_release(&st->completed, q->completed);
}

/**
 * gring_queue_status_mmap() - map a ring's status page for userspace
 * @filp: the DRM file
 * @vma: the mapping: DRM_GRING_RING_STATUS_OFFSET(ring_id), one page
 *
 * Read-only and shared: a writable or private mapping is refused, and
 * the mapping can never be made writable (VM_MAYWRITE cleared). It holds
 * a reference to the page, which outlives the ring.
 *
 * An unbind zaps it with every other mapping of the device
 * (drm_dev_unplug()): it has no fault handler, so a later access raises
 * SIGBUS, as a BO's does.
 *
 * Return: 0; -ENODEV once the device is gone; -EINVAL for a private
 * mapping, another size or no ring id; -EACCES for a writable one;
 * -ENOENT for a ring the file does not have.
 */
int gring_queue_status_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct drm_file *file = filp->private_data;
	struct gring_file *gfile = file->driver_priv;
	struct gring_queue *q;
	int ret, idx;

	/* Gone with the device, as a BO's mapping is (drm_dev_unplug()). */
	if (!drm_dev_enter(file->minor->dev, &idx))
		return -ENODEV;
	drm_dev_exit(idx);
	if (!(vma->vm_flags & VM_SHARED) ||
	    vma->vm_end - vma->vm_start != DRM_GRING_STATUS_SIZE ||
	    !vma->vm_pgoff || vma->vm_pgoff > DRM_GRING_MAX_RING_ID)
		return -EINVAL;
	if (vma->vm_flags & (VM_WRITE | VM_EXEC))
		return -EACCES;
	q = gring_queue_lookup(gfile, vma->vm_pgoff);
	if (!q)
		return -ENOENT;
	vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP,
		     VM_MAYWRITE | VM_MAYEXEC);
	ret = vm_insert_page(vma, vma->vm_start, q->status_page);
	gring_queue_put(q);
	return ret;
}

/**
 * gring_queue_debugfs_show() - dump one queue for debugfs gring_rings
 * @q: the queue
 * @m: the debugfs file
 *
 * Context: inside drm_dev_enter(): engines read their ring memory.
 */
void gring_queue_debugfs_show(struct gring_queue *q, struct seq_file *m)
{
	q->ops->show(q, m);
}
