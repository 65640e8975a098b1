// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: jobs -- the scheduler's backend in front of a ring, and the soft
 * engine behind it. The queues jobs run on are gring_queue.c's.
 *
 * A SUBMIT writes its commands into the queue's ring at once (so a full
 * ring can make the caller wait or fail, and RING_QUERY shows the job's
 * bytes device-owned from that moment) and pushes a drm_sched job. The
 * scheduler calls run_job once the job's in-fences have signalled: that is
 * the doorbell. The engine then executes the job's stretch of the ring on
 * the queue's ordered workqueue, as a device would: by DMA address only.
 * When it is done it writes its read pointer to the writeback area and
 * "raises an interrupt": gring_queue_job_done() retires the ring, takes
 * the job's buffer ranges back and signals the hardware fence.
 *
 * A job that hangs is caught by the scheduler's timeout: the engine is
 * told to cancel it, skips the rest of its commands, and the ring goes on
 * with the next job.
 */

#include <linux/dma-fence.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_vgpu.h"

#define CREATE_TRACE_POINTS
#include "gring_job_trace.h"

static unsigned int job_timeout_ms = 2000;
module_param(job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms,
		 "A job still running after this many ms is cancelled (default 2000)");

/**
 * gring_job_timeout_ms() - how long a job may run before it is cancelled
 *
 * Return: the job_timeout_ms module parameter, at least 1.
 */
unsigned int gring_job_timeout_ms(void)
{
	return max(job_timeout_ms, 1U);
}

/**
 * struct gring_hw_fence - the engine's completion of one job
 * @base: the fence
 * @lock: its own lock: the fence may outlive the queue in a syncobj
 */
struct gring_hw_fence {
	struct dma_fence base;
	spinlock_t lock; /* the fence's */
};

static const char *gring_fence_driver_name(struct dma_fence *fence)
{
	return "gring";
}

static const char *gring_fence_timeline_name(struct dma_fence *fence)
{
	return "gring-soft";
}

static const struct dma_fence_ops gring_hw_fence_ops = {
	.get_driver_name = gring_fence_driver_name,
	.get_timeline_name = gring_fence_timeline_name,
};

static struct gring_job *to_gring_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct gring_job, base);
}

/* --- the engine (device side) ------------------------------------------- */

static bool gring_job_should_stop(void *data)
{
	struct gring_job *job = data;

	return READ_ONCE(job->cancel);
}

/**
 * gring_job_give_ranges() - hand every buffer range of a job to the engine
 * @job: a job about to execute
 *
 * The scheduler ordered this job after every earlier job touching the
 * same bytes, so a refusal here is a gring bug, reported by the ownership
 * layer.
 *
 * Return: 0, or the ownership layer's error (nothing is then given).
 */
int gring_job_give_ranges(struct gring_job *job)
{
	unsigned int i;
	int ret;

	for (i = 0; i < job->nr_ranges; i++) {
		struct gring_job_range *r = &job->ranges[i];
		struct gring_view view;

		ret = gring_coherent_view(&r->bo->coh, r->offset, r->size, 0,
					  &view);
		if (!ret)
			ret = gring_lease_give(&view, &r->lease);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * gring_job_take_ranges() - take a job's buffer ranges back for the CPU
 * @job: a job the engine is done with; ranges already taken are skipped
 */
void gring_job_take_ranges(struct gring_job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_ranges; i++)
		if (gring_lease_active(&job->ranges[i].lease))
			gring_lease_take(&job->ranges[i].lease);
}

/**
 * gring_queue_job_done() - complete a job the engine is done with
 * @q: its queue
 * @job: the job
 * @err: 0, or the job's error for its fence
 * @ns: engine time it took
 *
 * The driver's half: what an interrupt handler does on completion (the
 * virtio-gpu engine calls it from its interrupt handler). Takes the
 * job's ranges back, retires its ring bytes (soft engine), counts, and
 * signals the hardware fence.
 *
 * Context: any; takes spinlocks only.
 */
void gring_queue_job_done(struct gring_queue *q, struct gring_job *job,
			  int err, u64 ns)
{
	struct gring_lease *lease;
	unsigned long flags;

	/* Reads the engine's read pointer, then dma_rmb(), then the data. */
	gring_job_take_ranges(job);
	if (q->engine == DRM_GRING_ENGINE_SOFT)
		while (gring_ring_retire(&q->ring, &lease) == 1)
			;
	atomic_inc(&q->retired);
	wake_up_all(&q->space_wq);

	spin_lock_irqsave(&q->lock, flags);
	list_del_init(&job->link);
	q->completed = job->seqno;
	q->busy_ns += ns;
	if (err == -ETIMEDOUT)
		q->timeouts++;
	else if (err)
		q->faults++;
	spin_unlock_irqrestore(&q->lock, flags);
	atomic64_add(ns, &q->gfile->engine_ns);

	trace_gring_job_done(q->name, job->seqno, err, ns);
	if (err)
		dma_fence_set_error(job->hw_fence, err);
	dma_fence_signal(job->hw_fence);
}

/**
 * gring_queue_job_lost() - complete a job with -ENODEV, touching nothing
 * @q: its queue
 * @job: the job
 *
 * The device is gone: its ring bytes stay the engine's; the queue's
 * teardown knows.
 */
void gring_queue_job_lost(struct gring_queue *q, struct gring_job *job)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	list_del_init(&job->link);
	spin_unlock_irqrestore(&q->lock, flags);
	dma_fence_set_error(job->hw_fence, -ENODEV);
	dma_fence_signal(job->hw_fence);
}

static void gring_engine_run(struct work_struct *work)
{
	struct gring_job *job = container_of(work, struct gring_job, work);
	struct gring_queue *q = job->queue;
	struct gring_soft_exec x = {
		.mmu = &q->gdev->soft_mmu,
		.ring = gring_view_dma_handle(&q->ring.ring),
		.ring_size = q->ring_size,
		.head = job->ring_offset,
		.bytes = job->ring_bytes,
		.should_stop = gring_job_should_stop,
		.stop_data = job,
	};
	u64 start = ktime_get_ns();
	int idx, err;

	/*
	 * The device's memory goes at remove, after drm_dev_unplug(): inside
	 * this section it is there, and remove waits for the section to end.
	 * A job that comes later completes with -ENODEV, touching nothing.
	 */
	if (READ_ONCE(q->gdev->engine_stopped) ||
	    !drm_dev_enter(&q->gdev->drm, &idx)) {
		gring_queue_job_lost(q, job);
		return;
	}

	trace_gring_job_start(q->name, job->seqno);
	err = gring_job_give_ranges(job);
	/* A job whose in-fence failed is skipped, but its ring bytes retire. */
	if (!err && !job->base.s_fence->finished.error) {
		err = gring_soft_exec_run(&x);
		if (err == -ECANCELED) {
			err = -ETIMEDOUT;
		} else if (err) {
			trace_gring_job_fault(q->name, job->seqno, x.fault_op,
					      x.fault_offset, err);
			drm_dbg_driver(&q->gdev->drm,
				       "ring %u job %llu: engine fault %d, op %u at ring offset %#x\n",
				       q->id, job->seqno, err, x.fault_op,
				       x.fault_offset);
			err = -EFAULT;
		}
	}

	/*
	 * The device moves its read pointer past the whole job, executed or
	 * not: a faulting or cancelled job is skipped, and the ring goes on.
	 */
	gring_soft_publish_rptr(x.mmu, gring_view_dma_handle(&q->wb_rptr),
				(job->ring_offset + job->ring_bytes) %
				q->ring_size);

	gring_queue_job_done(q, job, err, ktime_get_ns() - start);
	drm_dev_exit(idx);
}

/* --- the scheduler's backend ---------------------------------------------- */

static struct dma_fence *gring_job_run(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);
	struct gring_queue *q = job->queue;
	struct dma_fence *fence = dma_fence_get(job->hw_fence);

	spin_lock_irq(&q->lock);
	list_add_tail(&job->link, &q->inflight);
	spin_unlock_irq(&q->lock);

	/*
	 * A virtio-gpu job is sent to the device right here: sending never
	 * sleeps (chains without descriptors wait in the transport's
	 * backlog), and the scheduler calls run_job in submission order.
	 */
	if (q->engine == DRM_GRING_ENGINE_VIRTIO_GPU) {
		job->work.func(&job->work);
		return fence;
	}
	/* The doorbell: the engine's queue runs jobs in the order rung. */
	queue_work(q->engine_wq, &job->work);
	return fence;
}

static void gring_job_free(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);
	struct gring_queue *q = job->queue;
	unsigned int i;

	gring_busy_release_job(q->gdev, job);
	/*
	 * Retired before its fence signalled -- unless the device went away
	 * first and the engine never consumed it: then the ring forgets it
	 * here, without touching memory that may be gone.
	 */
	if (gring_lease_active(&job->ring_lease))
		gring_ring_drop(&q->ring, &job->ring_lease);
	for (i = 0; i < job->nr_ranges; i++)
		drm_gem_object_put(&job->ranges[i].bo->base);
	gring_vgpu_job_free(job);
	drm_sched_job_cleanup(sched_job);
	dma_fence_put(job->hw_fence);
	kvfree(job);

	/* Under the lock: gring_queue_release() frees @q once it sees 0. */
	spin_lock_irq(&q->lock);
	if (atomic_dec_and_test(&q->jobs_alive))
		wake_up_all(&q->idle_wq);
	spin_unlock_irq(&q->lock);
}

/*
 * The scheduler took the job off its pending list before calling this, so
 * it will not free it: once the engine has let go of it, this does.
 */
static enum drm_gpu_sched_stat
gring_job_timedout(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);
	struct gring_queue *q = job->queue;

	WRITE_ONCE(job->cancel, true);
	/* A virtio-gpu command cannot be cancelled: the device is reset. */
	if (q->engine == DRM_GRING_ENGINE_VIRTIO_GPU)
		gring_vgpu_job_timedout(job);
	/* A stall checks for cancellation at least every half millisecond. */
	dma_fence_wait(job->hw_fence, false);
	dma_fence_wait(&sched_job->s_fence->finished, false);

	if (job->hw_fence->error == -ETIMEDOUT)
		drm_info(&q->gdev->drm,
			 "ring %u: job %llu hung for %u ms and was cancelled\n",
			 q->id, job->seqno, gring_job_timeout_ms());
	gring_job_free(sched_job);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

/* Every queue's scheduler backend (gring_queue_create()). */
const struct drm_sched_backend_ops gring_sched_ops = {
	.run_job = gring_job_run,
	.timedout_job = gring_job_timedout,
	.free_job = gring_job_free,
};

/* --- jobs ------------------------------------------------------------------ */

/**
 * gring_job_alloc() - allocate a job for a queue
 * @q: the queue
 * @nr_ranges: buffer ranges its commands touch
 * @credits: the scheduler credits it takes (1 on the soft engine; one per
 *	command slot on a virtio-gpu ring)
 * @file: the submitting file, for the scheduler's client id
 *
 * Return: the job, initialised for the scheduler but not armed, or an
 * ERR_PTR(): -ENOMEM, or the scheduler's error.
 */
struct gring_job *gring_job_alloc(struct gring_queue *q,
				  unsigned int nr_ranges, u32 credits,
				  struct drm_file *file)
{
	struct gring_hw_fence *hw;
	struct gring_job *job;
	unsigned int i;
	int ret;

	/* Up to two ranges per command: large jobs need not be contiguous. */
	job = kvzalloc(struct_size(job, ranges, nr_ranges), GFP_KERNEL_ACCOUNT);
	if (!job)
		return ERR_PTR(-ENOMEM);
	job->nr_ranges = nr_ranges;
	hw = kzalloc(sizeof(*hw), GFP_KERNEL_ACCOUNT);
	if (!hw) {
		ret = -ENOMEM;
		goto err_free_job;
	}
	spin_lock_init(&hw->lock);
	job->hw_fence = &hw->base;
	job->queue = q;
	INIT_WORK(&job->work, gring_engine_run);
	INIT_LIST_HEAD(&job->link);
	gring_lease_init(&job->ring_lease);
	for (i = 0; i < nr_ranges; i++)
		gring_lease_init(&job->ranges[i].lease);

	ret = drm_sched_job_init(&job->base, &q->entity, credits, q,
				 file->client_id);
	if (ret)
		goto err_free_hw;
	return job;

err_free_hw:
	kfree(hw);
err_free_job:
	kvfree(job);
	return ERR_PTR(ret);
}

/**
 * gring_job_abort() - free a job gring_job_alloc() made that was not pushed
 * @job: the job; the buffer references in its ranges are dropped
 */
void gring_job_abort(struct gring_job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_ranges; i++)
		if (job->ranges[i].bo)
			drm_gem_object_put(&job->ranges[i].bo->base);
	drm_sched_job_cleanup(&job->base);
	/* Never initialised as a fence: plain memory. */
	kfree(container_of(job->hw_fence, struct gring_hw_fence, base));
	kvfree(job);
}

/**
 * gring_job_push() - arm a job and hand it to the scheduler
 * @job: the job, its commands committed to the ring at @job->ring_offset
 * @seqno: its sequence number on the queue
 *
 * The job may be freed as soon as this returns: the caller must not touch
 * it any more.
 *
 * Context: the queue's submit_lock and the device's busy_lock held, so
 * ring order, seqno order and scheduling order are one. Cannot fail.
 * Return: the job's finished fence, with a reference for the caller.
 */
struct dma_fence *gring_job_push(struct gring_job *job, u64 seqno)
{
	struct dma_fence *finished;
	struct gring_queue *q = job->queue;
	struct gring_hw_fence *hw =
		container_of(job->hw_fence, struct gring_hw_fence, base);

	lockdep_assert_held(&q->submit_lock);

	job->seqno = seqno;
	dma_fence_init(&hw->base, &gring_hw_fence_ops, &hw->lock,
		       q->fence_context, seqno);
	drm_sched_job_arm(&job->base);
	finished = dma_fence_get(&job->base.s_fence->finished);
	trace_gring_job_submit(q->name, seqno, job->ring_offset,
			       job->ring_bytes);
	gring_busy_publish_job(q->gdev, job);
	atomic_inc(&q->jobs_alive);
	drm_sched_entity_push_job(&job->base);
	return finished;
}
