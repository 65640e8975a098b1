// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the soft engine's driver side -- its rings, its schedulers'
 * backend and the engine's run, its timeout, its ring state for
 * RING_QUERY and debugfs. SUBMIT on its rings is gring_soft_submit.c; the
 * command processor it drives is gring_engine_soft.c.
 *
 * A SUBMIT writes its commands into the queue's ring at once (so a full
 * ring can make the caller wait or fail, and RING_QUERY shows the job's
 * bytes device-owned from that moment) and pushes a drm_sched job. The
 * scheduler calls run_job once the job's dependencies have signalled: that
 * is the doorbell. The engine executes the job's stretch of the ring right
 * there, inside run_job on the device's workqueue (the scheduler's
 * submit_wq), as a device would: by DMA address only. When it is done it
 * writes its read pointer to the writeback area and "raises an interrupt":
 * the ring retires, the job's ranges come back, the hardware fence
 * signals, and run_job returns that fence already signalled. No second
 * work item: a job costs the scheduler's hop and nothing more.
 *
 * The direct path: a job that could not wait for anything does not go
 * through the scheduler at all. When its ring is idle (every earlier job
 * completed, its fence signalled), its in-fences have signalled without
 * error, nothing busy overlaps its buffer ranges, and it is bounded (no
 * STALL, a bound on commands and bytes copied or filled: see
 * gring_soft_submit.c), SUBMIT itself rings the
 * doorbell: the engine executes the job's stretch of the ring there, with
 * the same code as run_job, the ring retires and the job's fence
 * (a direct fence, on the ring's own dma_fence context) signals before
 * SUBMIT returns. Such a job has no scheduler state and no timeout: it
 * cannot hang. Everything else goes the scheduled way.
 *
 * The engine has GRING_SOFT_QUEUES hardware queues, each a scheduler with
 * one credit: a queue executes one job at a time, so the scheduler's
 * timeout measures the job that runs, from when it started. A ring moves
 * between the queues only when idle (drm_sched's load balancing), so its
 * jobs run in ring order.
 */

#include <linux/dma-fence.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "gring_cmd.h"
#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_job_trace.h"
#include "gring_ring.h"
#include "gring_soft_priv.h"

/* Hardware queues of the soft engine: rings spread over them. */
#define GRING_SOFT_QUEUES	4

/* The ring's padding word: a one-word NOP, whatever half the engine reads. */
#define GRING_SOFT_NOP_WORD	((u32)gring_soft_hdr(GRING_SOFT_OP_NOP, 1, 0))

/* --- rings ------------------------------------------------------------------ */

/*
 * The ring's buffer: the ring and, in the page after it, the writeback
 * area: two views, two DMA handles, one allocation.
 */
static int gring_soft_queue_init(struct gring_queue *base, u32 size)
{
	struct gring_soft_queue *q = to_soft_queue(base);
	struct gring_view all, ring, wb;
	int ret;

	q->size = size;
	init_waitqueue_head(&q->space_wq);
	base->bo = gring_gem_create(base->gdev, size + PAGE_SIZE);
	if (IS_ERR(base->bo))
		return PTR_ERR(base->bo);

	ret = gring_coherent_view(&base->bo->coh, 0, base->bo->base.size, 0,
				  &all);
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
				      base->name);
	if (ret)
		drm_gem_object_put(&base->bo->base);
	return ret;
}

/*
 * The last job is freed. With the device still there, take the ring back
 * (a job that never reached the engine left bytes unretired); once it is
 * gone, so is the ring's memory: leave it alone.
 */
static void gring_soft_queue_fini(struct gring_queue *base)
{
	struct gring_soft_queue *q = to_soft_queue(base);
	struct gring_lease *lease;
	int idx;

	if (q->last_sched)
		dma_fence_put(q->last_sched);
	kvfree(q->scratch);
	if (drm_dev_enter(&base->gdev->drm, &idx)) {
		while (gring_ring_reset(&q->ring, &lease) == 1)
			;
		WARN_ON(gring_ring_fini(&q->ring));
		drm_dev_exit(idx);
	} else {
		gring_ring_abandon(&q->ring);
	}
}

/* --- the engine (device side) ---------------------------------------------- */

static bool gring_soft_should_stop(void *data)
{
	struct gring_job *job = data;

	return READ_ONCE(job->cancel);
}

/* The interrupt: retire the ring, take the ranges back, signal. */
static void gring_soft_job_done(struct gring_soft_job *sjob, int err, u64 ns,
				ktime_t end)
{
	struct gring_soft_queue *q = to_soft_queue(sjob->base.queue);
	struct gring_lease *lease;

	/* Reads the engine's read pointer, then dma_rmb(), then the data. */
	gring_job_take_ranges(&sjob->base);
	/*
	 * Up to this job's own commands: the engine runs one job of a ring
	 * at a time and has passed nothing beyond them.
	 */
	while (gring_ring_retire(&q->ring, &lease) == 1 &&
	       lease != &sjob->ring_lease)
		;
	atomic_inc(&q->retired);
	/*
	 * Nobody waits for room but a SUBMIT that found the ring full: skip
	 * the wait queue's lock otherwise. wq_has_sleeper()'s barrier pairs
	 * with the one in wait_event's prepare_to_wait_event(): a SUBMIT
	 * either is on the queue here or sees the new count.
	 */
	if (wq_has_sleeper(&q->space_wq))
		wake_up_all(&q->space_wq);
	gring_job_done(&sjob->base, err, ns, end);
}

/**
 * gring_soft_execute() - execute a job's stretch of the ring and complete it
 * @sjob: the job, its commands committed to the ring
 *
 * What both paths do once the doorbell rang: run_job, and SUBMIT on the
 * direct path. A scheduled job's failed dependency skips it (a direct job
 * has none); a direct job is bounded and does not yield between commands.
 *
 * Context: inside drm_dev_enter() and a fence signalling section.
 */
void gring_soft_execute(struct gring_soft_job *sjob)
{
	struct gring_job *job = &sjob->base;
	struct gring_soft_queue *q = to_soft_queue(job->queue);
	struct gring_drm_device *gdev = job->queue->gdev;
	struct gring_soft_exec x = {
		.mmu = &gdev->soft_mmu,
		.ring = gring_view_dma_handle(&q->ring.ring),
		.ring_size = q->size,
		.head = sjob->ring_offset,
		.bytes = sjob->ring_bytes,
		.should_stop = gring_soft_should_stop,
		.stop_data = job,
		.resched = !job->direct,
		.tlb = q->tlb,
		.tlb_gen = q->tlb_gen,
	};
	ktime_t start = ktime_get(), end;
	int err = 0;

	/* A job whose dependency failed is skipped; its ring bytes retire. */
	if (!job->direct)
		err = gring_job_deps_status(job);
	if (!err)
		err = gring_job_give_ranges(job);
	if (!err) {
		err = gring_soft_exec_run(&x);
		if (err == -ECANCELED) {
			err = -ETIMEDOUT;
		} else if (err) {
			trace_gring_job_fault(job->queue->name, job->seqno,
					      x.fault_op, x.head, err);
			drm_dbg_driver(&gdev->drm,
				       "ring %u job %llu: engine fault %d, op %u at ring offset %#x\n",
				       job->queue->id, job->seqno, err,
				       x.fault_op, x.head);
			err = -EFAULT;
		}
	}

	/*
	 * The device moves its read pointer past the whole job, executed or
	 * not: a faulting, skipped or cancelled job is passed over, and the
	 * ring goes on.
	 */
	gring_soft_publish_rptr(&x, gring_view_dma_handle(&q->wb_rptr),
				(sjob->ring_offset + sjob->ring_bytes) % q->size);
	q->tlb = x.tlb;
	q->tlb_gen = x.tlb_gen;

	end = ktime_get();
	gring_soft_job_done(sjob, err, ktime_to_ns(ktime_sub(end, start)), end);
}

/*
 * The engine, on the scheduled path: inside run_job, a job of any length,
 * yielding between commands (the workqueue is the device's, shared by its
 * hardware queues).
 */
static void gring_soft_engine_run(struct gring_soft_job *sjob)
{
	struct gring_job *job = &sjob->base;
	struct gring_drm_device *gdev = job->queue->gdev;
	bool cookie;
	int idx;

	cookie = dma_fence_begin_signalling();
	/*
	 * The device's memory goes at remove, after drm_dev_unplug(): inside
	 * this section it is there, and remove waits for the section to end.
	 * A job that comes later completes with -ENODEV, touching nothing:
	 * its ring bytes stay the engine's, and the queue's teardown knows.
	 */
	if (READ_ONCE(job->queue->engine->stopped) ||
	    !drm_dev_enter(&gdev->drm, &idx)) {
		gring_job_done(job, -ENODEV, 0, 0);
		dma_fence_end_signalling(cookie);
		return;
	}
	gring_soft_execute(sjob);
	drm_dev_exit(idx);
	dma_fence_end_signalling(cookie);
}

/* --- the scheduler's backend ------------------------------------------------ */

/*
 * The doorbell, and the engine behind it: one credit, so the hardware
 * queue runs one job at a time, and this is it. The fence returned has
 * signalled; drm_sched completes the job at once.
 */
static struct dma_fence *gring_soft_run_job(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);
	struct dma_fence *fence = gring_job_run_begin(job);

	gring_soft_engine_run(to_soft_job(job));
	return fence;
}

/*
 * The job really hung: tell the engine, which notices within one stall
 * slice, skips the rest of the job and signals its fence with -ETIMEDOUT.
 */
static void gring_soft_reset(struct gring_job *job)
{
	WRITE_ONCE(job->cancel, true);
	dma_fence_wait(job->hw_fence, false);
}

static enum drm_gpu_sched_stat
gring_soft_timedout_job(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);

	/*
	 * The job runs inside run_job, and drm_sched_stop() waits for
	 * run_job to return: cancel it before the generic sequence stops
	 * the scheduler, or the stop waits for the job to end by itself.
	 * It is overdue either way; the engine ends it within one stall
	 * slice, with -ETIMEDOUT. The flag, not dma_fence_is_signaled():
	 * the scheduler started the timer just before run_job, which may
	 * not have initialised the fence yet.
	 */
	if (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &job->hw_fence->flags)) {
		dev_info_ratelimited(job->queue->gdev->drm.dev,
				     "%s: job %llu hung for %u ms and was cancelled\n",
				     job->queue->name, job->seqno,
				     gring_job_timeout_ms());
		WRITE_ONCE(job->cancel, true);
	}
	return gring_job_timedout(sched_job, gring_soft_reset);
}

static const struct drm_sched_backend_ops gring_soft_sched_ops = {
	.run_job = gring_soft_run_job,
	.timedout_job = gring_soft_timedout_job,
	.free_job = gring_job_free,
};

/*
 * A job's ring bytes retired before its fence signalled -- unless the
 * device went away first and the engine never consumed them, or the job
 * was never pushed: then the ring forgets them here, without touching
 * memory that may be gone.
 */
static void gring_soft_job_fini(struct gring_job *job)
{
	struct gring_soft_job *sjob = to_soft_job(job);

	if (gring_lease_active(&sjob->ring_lease))
		gring_ring_drop(&to_soft_queue(job->queue)->ring,
				&sjob->ring_lease);
}

/* Remove: cancel what runs; what comes later sees engine->stopped. */
static void gring_soft_stop(struct gring_engine *engine)
{
	unsigned int i;

	for (i = 0; i < engine->nr_scheds; i++) {
		struct gring_sched *s = &engine->scheds[i];
		struct gring_job *job;

		spin_lock_irq(&s->lock);
		list_for_each_entry(job, &s->inflight, link)
			WRITE_ONCE(job->cancel, true);
		spin_unlock_irq(&s->lock);
	}
}

/* --- what the ring looks like ------------------------------------------------- */

static void gring_soft_query(struct gring_queue *base,
			     struct gring_ring_state *st)
{
	gring_ring_query(&to_soft_queue(base)->ring, st);
}

static const char *const gring_owner_names[] = {
	[GRING_OWNER_CPU] = "cpu",
	[GRING_OWNER_GPU] = "gpu",
	[GRING_OWNER_MIXED] = "mixed",
};

/*
 * Pointers and regions are ring offsets; the owner of each region is what
 * the ownership layer says, not what the pointers imply.
 */
static void gring_soft_show(struct gring_queue *base, struct seq_file *m)
{
	struct gring_soft_queue *q = to_soft_queue(base);
	struct gring_coherent_stats cs;
	struct gring_ring_state st;
	u64 faults, timeouts, skipped, completed, busy_ns, submitted;
	u64 direct, scheduled;
	u32 i;

	mutex_lock(&base->submit_lock);
	gring_ring_query(&q->ring, &st);
	submitted = base->seqno;
	direct = q->nr_direct;
	scheduled = q->nr_scheduled;
	mutex_unlock(&base->submit_lock);
	gring_coherent_get_stats(&base->bo->coh, &cs);
	spin_lock_irq(&base->lock);
	faults = base->faults;
	timeouts = base->timeouts;
	skipped = base->skipped;
	completed = base->completed;
	busy_ns = base->busy_ns;
	spin_unlock_irq(&base->lock);

	seq_printf(m, "%s: ring id %u, %u bytes, engine soft\n", base->name,
		   READ_ONCE(base->id), st.size);
	seq_printf(m, "  wptr %#x tail %#x rptr %#x pending %u free %u\n",
		   st.wptr, st.tail, st.rptr, st.pending, st.free);
	seq_printf(m, "  seqno submitted %llu completed %llu (writeback %llu)\n",
		   submitted, completed, st.seqno);
	seq_printf(m, "  jobs faulted %llu timed out %llu skipped %llu, engine %llu ns\n",
		   faults, timeouts, skipped, busy_ns);
	seq_printf(m, "  jobs direct %llu scheduled %llu\n", direct, scheduled);
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

/*
 * The soft engine.
 * RING_CREATE's size is checked by the ioctl: a power of two from
 * DRM_GRING_RING_SIZE_MIN to DRM_GRING_RING_SIZE_MAX.
 */
const struct gring_engine_ops gring_soft_engine_ops = {
	.name = "soft",
	.sched_ops = &gring_soft_sched_ops,
	.nr_scheds = GRING_SOFT_QUEUES,
	.credit_limit = 1,
	.timeout_ms = gring_job_timeout_ms,
	.queue_size = sizeof(struct gring_soft_queue),
	.job_size = sizeof(struct gring_soft_job),
	.queue_init = gring_soft_queue_init,
	.queue_fini = gring_soft_queue_fini,
	.submit = gring_soft_submit,
	.query = gring_soft_query,
	.show = gring_soft_show,
	.job_fini = gring_soft_job_fini,
	.stop = gring_soft_stop,
};
