// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: queues -- a ring of a file, with its buffer, its scheduler and
 * its engine context: creation on either engine, the device-wide stop at
 * remove, and teardown once the last job is freed. Jobs are gring_job.c's.
 */

#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_vgpu.h"

/* Jobs the scheduler may have handed to one soft-engine queue at once. */
#define GRING_QUEUE_CREDITS	256

/* The ring's padding word: a one-word NOP, whatever half the engine reads. */
#define GRING_SOFT_NOP_WORD	((u32)gring_soft_hdr(GRING_SOFT_OP_NOP, 1, 0))

/* A virtio-gpu ring's buffer: its command slots, nothing else. */
static int gring_queue_init_vgpu(struct gring_queue *q)
{
	q->bo = gring_gem_create(q->gdev, DRM_GRING_VGPU_MAX_CMDS *
				 GRING_VGPU_SLOT_SIZE);
	return PTR_ERR_OR_ZERO(q->bo);
}

/*
 * A soft-engine ring's buffer: the ring and, in the page after it, the
 * writeback area: two views, two DMA handles, one allocation.
 */
static int gring_queue_init_soft(struct gring_queue *q)
{
	struct gring_view all, ring, wb;
	u32 size = q->ring_size;
	int ret;

	q->bo = gring_gem_create(q->gdev, size + PAGE_SIZE);
	if (IS_ERR(q->bo))
		return PTR_ERR(q->bo);

	ret = gring_coherent_view(&q->bo->coh, 0, q->bo->base.size, 0, &all);
	if (!ret)
		ret = gring_view_sub(&all, 0, size, PAGE_SIZE, &ring);
	if (!ret)
		ret = gring_view_sub_type(&all, size,
					  struct gring_ring_writeback, &wb);
	if (!ret)
		ret = gring_view_field(&wb, struct gring_ring_writeback, rptr,
				       &q->wb_rptr);
	if (!ret)
		ret = gring_view_field(&wb, struct gring_ring_writeback, seqno,
				       &q->wb_seqno);
	if (!ret)
		ret = gring_ring_init(&q->ring, &ring, &wb, GRING_SOFT_NOP_WORD,
				      q->name);
	if (ret)
		drm_gem_object_put(&q->bo->base);
	return ret;
}

/**
 * gring_queue_create() - a ring on an engine, with its scheduler
 * @gdev: the device
 * @gfile: the file it belongs to
 * @engine: DRM_GRING_ENGINE_SOFT, or DRM_GRING_ENGINE_VIRTIO_GPU on a
 *	device that has it
 * @size: soft engine: ring bytes, a power of two the uapi accepts;
 *	virtio-gpu: 0
 *
 * The caller sets the queue's @id once it has published it.
 *
 * Return: the queue, holding one reference, or an ERR_PTR().
 */
struct gring_queue *gring_queue_create(struct gring_drm_device *gdev,
				       struct gring_file *gfile, u32 engine,
				       u32 size)
{
	bool vgpu = engine == DRM_GRING_ENGINE_VIRTIO_GPU;
	struct drm_gpu_scheduler *sched_list[1];
	struct drm_sched_init_args args = {
		.ops = &gring_sched_ops,
		/* Entities default to DRM_SCHED_PRIORITY_NORMAL: have its rq. */
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = vgpu ? DRM_GRING_VGPU_MAX_CMDS :
				       GRING_QUEUE_CREDITS,
		/*
		 * A virtio-gpu command cannot be cancelled, only the device
		 * reset for good: give a slow (emulated) device a long while.
		 */
		.timeout = msecs_to_jiffies(vgpu ? GRING_VGPU_TIMEOUT_MS :
					    gring_job_timeout_ms()),
		.name = vgpu ? "gring-vgpu" : "gring-soft",
		.dev = gdev->drm.dev,
	};
	struct gring_queue *q;
	int ret;

	q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);
	if (!q)
		return ERR_PTR(-ENOMEM);
	kref_init(&q->refcount);
	q->gdev = gdev;
	q->gfile = gfile;
	q->ring_size = size;
	q->engine = engine;
	mutex_init(&q->submit_lock);
	init_waitqueue_head(&q->space_wq);
	init_waitqueue_head(&q->idle_wq);
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->inflight);
	q->fence_context = dma_fence_context_alloc(1);
	snprintf(q->name, sizeof(q->name), "gring-%s-%u",
		 vgpu ? "vgpu" : "ring", atomic_inc_return(&gdev->queue_serial));

	ret = vgpu ? gring_queue_init_vgpu(q) : gring_queue_init_soft(q);
	if (ret)
		goto err_free;

	/*
	 * The soft engine's hardware queue: ordered, so jobs execute in ring
	 * order. A virtio-gpu ring has no engine work of its own (jobs are
	 * sent from run_job and completed in the interrupt handler), so its
	 * workqueue is the scheduler's submit_wq instead: per-CPU and
	 * high-priority, run_job then runs on the CPU that just submitted,
	 * with no unbound worker to wake elsewhere (measured: the 1x1
	 * create round trip from ~150 us to ~130 us under TCG). drm_sched
	 * guards its job lists with its own lock, and its timeout work
	 * already runs beside run_job and free_job on another queue, so the
	 * two need not share one ordered queue.
	 */
	if (vgpu)
		q->engine_wq = alloc_workqueue("%s", WQ_MEM_RECLAIM | WQ_HIGHPRI,
					       1, q->name);
	else
		q->engine_wq = alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM,
						       q->name);
	if (!q->engine_wq) {
		ret = -ENOMEM;
		goto err_ring;
	}
	if (vgpu)
		args.submit_wq = q->engine_wq;

	ret = drm_sched_init(&q->sched, &args);
	if (ret)
		goto err_wq;
	sched_list[0] = &q->sched;
	ret = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_NORMAL,
				    sched_list, 1, NULL);
	if (ret)
		goto err_sched;

	mutex_lock(&gdev->queues_lock);
	list_add_tail(&q->dev_link, &gdev->queues);
	mutex_unlock(&gdev->queues_lock);
	return q;

err_sched:
	drm_sched_fini(&q->sched);
err_wq:
	destroy_workqueue(q->engine_wq);
err_ring:
	if (!vgpu)
		gring_ring_fini(&q->ring);
	drm_gem_object_put(&q->bo->base);
err_free:
	kfree(q);
	return ERR_PTR(ret);
}

/* Cancel every job on the engine, and wait until the engine lets go. */
static void gring_queue_cancel(struct gring_queue *q)
{
	struct gring_job *job;

	spin_lock_irq(&q->lock);
	list_for_each_entry(job, &q->inflight, link)
		WRITE_ONCE(job->cancel, true);
	spin_unlock_irq(&q->lock);
	flush_workqueue(q->engine_wq);
}

/**
 * gring_engine_stop_all() - stop the soft engine on every queue
 * @gdev: a device being removed
 *
 * Jobs on the engine are cancelled; jobs that reach it later complete with
 * -ENODEV without executing.
 */
void gring_engine_stop_all(struct gring_drm_device *gdev)
{
	struct gring_queue *q;

	mutex_lock(&gdev->queues_lock);
	WRITE_ONCE(gdev->engine_stopped, true);
	list_for_each_entry(q, &gdev->queues, dev_link)
		gring_queue_cancel(q);
	mutex_unlock(&gdev->queues_lock);
}

/*
 * Jobs not yet started are flushed (or killed when the process is
 * exiting), jobs on the engine are cancelled, and this returns once the
 * last job is freed, so nothing of the queue is left running.
 */
static void gring_queue_release(struct kref *kref)
{
	struct gring_queue *q = container_of(kref, struct gring_queue,
					     refcount);
	struct gring_drm_device *gdev = q->gdev;
	struct gring_lease *lease;
	int idx;

	drm_sched_entity_destroy(&q->entity);

	gring_queue_cancel(q);
	wait_event(q->idle_wq, !atomic_read(&q->jobs_alive));
	/* The last gring_job_free() is out of its critical section. */
	spin_lock_irq(&q->lock);
	spin_unlock_irq(&q->lock);

	mutex_lock(&gdev->queues_lock);
	list_del(&q->dev_link);
	mutex_unlock(&gdev->queues_lock);

	drm_sched_fini(&q->sched);
	destroy_workqueue(q->engine_wq);

	/*
	 * The engine is idle. With the device still there, take the ring
	 * back (a cancelled job may have left bytes unretired); once it is
	 * gone, so is the ring's memory: leave it alone.
	 */
	if (q->engine != DRM_GRING_ENGINE_SOFT) {
		/* Slots come back with their chains: nothing to take. */
	} else if (drm_dev_enter(&gdev->drm, &idx)) {
		while (gring_ring_reset(&q->ring, &lease) == 1)
			;
		WARN_ON(gring_ring_fini(&q->ring));
		drm_dev_exit(idx);
	} else {
		gring_ring_abandon(&q->ring);
	}
	drm_gem_object_put(&q->bo->base);
	kfree(q);
}

/**
 * gring_queue_put() - drop a reference to a queue
 * @q: the queue
 *
 * The last reference stops the queue and frees it (see
 * gring_queue_release()); it may sleep for as long as jobs take to finish
 * or be cancelled.
 *
 * Context: process context, no locks held.
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
