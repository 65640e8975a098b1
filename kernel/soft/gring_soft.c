// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the soft engine's driver side -- its rings, SUBMIT on them, its
 * schedulers' backend, its timeout, its ring state for RING_QUERY and
 * debugfs. The command processor it drives is gring_engine_soft.c.
 *
 * A SUBMIT writes its commands into the queue's ring at once (so a full
 * ring can make the caller wait or fail, and RING_QUERY shows the job's
 * bytes device-owned from that moment) and pushes a drm_sched job. The
 * scheduler calls run_job once the job's dependencies have signalled: that
 * is the doorbell. The engine then executes the job's stretch of the ring
 * on the device's workqueue, as a device would: by DMA address only. When
 * it is done it writes its read pointer to the writeback area and "raises
 * an interrupt": the ring retires, the job's ranges come back, the
 * hardware fence signals.
 *
 * The direct path: a job that could not wait for anything does not go
 * through the scheduler at all. When its ring is idle (every earlier job
 * completed, its fence signalled), its in-fences have signalled without
 * error, nothing busy overlaps its buffer ranges, and it is bounded (no
 * STALL, at most GRING_SOFT_DIRECT_CMDS commands and
 * GRING_SOFT_DIRECT_BYTES copied or filled), SUBMIT itself rings the
 * doorbell: the engine executes the job's stretch of the ring there, with
 * the same code as the work item, the ring retires and the job's fence
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

/* Hardware queues of the soft engine: rings spread over them. */
#define GRING_SOFT_QUEUES	4

/*
 * The direct path's bound on one job, which runs inside SUBMIT without
 * yielding the CPU: commands, and bytes copied or filled. 256 KiB is a
 * few hundred microseconds of memcpy even under TCG -- less than a
 * scheduler round trip costs there -- so SUBMIT's latency stays bounded
 * and the scheduled path's bulk copies (soft.copy.1m) keep going through
 * the work item, where they yield between commands. 256 commands of the
 * cheap kinds are in the same range.
 */
#define GRING_SOFT_DIRECT_CMDS	256
#define GRING_SOFT_DIRECT_BYTES	SZ_256K

/* FENCE: [hdr] [seqno's DMA handle] [seqno]. */
#define GRING_FENCE_WORDS	3

/* The ring's padding word: a one-word NOP, whatever half the engine reads. */
#define GRING_SOFT_NOP_WORD	((u32)gring_soft_hdr(GRING_SOFT_OP_NOP, 1, 0))

/*
 * Where an injected fault points: page-aligned, far above any memory, so
 * the engine's table has no mapping for it and a 64-bit access does not
 * wrap.
 */
#define GRING_FAULT_DMA		((dma_addr_t)~0ull << 12)

/**
 * struct gring_soft_queue - a soft-engine ring
 * @base: the queue
 * @ring: the ring protocol over views of the queue's BO
 * @wb_rptr: the view of the writeback area's read pointer
 * @wb_seqno: the view of the writeback area's completed seqno, which
 *	every job's last command (a FENCE) writes
 * @size: bytes in the ring
 * @space_wq: where SUBMIT waits for ring space
 * @retired: bumped at every completion, for SUBMIT waiting for room
 * @last_sched: the finished fence of the last job pushed to the scheduler,
 *	with a reference, or NULL (@base.submit_lock): the ring is idle once
 *	it has signalled
 * @nr_direct: jobs that took the direct path (@base.submit_lock)
 * @nr_scheduled: jobs pushed to the scheduler (@base.submit_lock)
 */
struct gring_soft_queue {
	struct gring_queue base;
	struct gring_ring ring;
	struct gring_view wb_rptr;
	struct gring_view wb_seqno;
	u32 size;
	wait_queue_head_t space_wq;
	atomic_t retired;
	struct dma_fence *last_sched;
	u64 nr_direct;
	u64 nr_scheduled;
};

/**
 * struct gring_soft_job - a soft-engine job
 * @base: the job
 * @ring_offset: where its commands start in the ring
 * @ring_bytes: bytes of ring it occupies (padding included)
 * @ring_lease: the ring bytes holding its commands, the engine's until it
 *	completes
 * @work: the engine executing it
 */
struct gring_soft_job {
	struct gring_job base;
	u32 ring_offset;
	u32 ring_bytes;
	struct gring_lease ring_lease;
	struct work_struct work;
};

static struct gring_soft_queue *to_soft_queue(struct gring_queue *q)
{
	return container_of(q, struct gring_soft_queue, base);
}

static struct gring_soft_job *to_soft_job(struct gring_job *job)
{
	return container_of(job, struct gring_soft_job, base);
}

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
static void gring_soft_job_done(struct gring_soft_job *sjob, int err, u64 ns)
{
	struct gring_soft_queue *q = to_soft_queue(sjob->base.queue);
	struct gring_lease *lease;

	/* Reads the engine's read pointer, then dma_rmb(), then the data. */
	gring_job_take_ranges(&sjob->base);
	while (gring_ring_retire(&q->ring, &lease) == 1)
		;
	atomic_inc(&q->retired);
	wake_up_all(&q->space_wq);
	gring_job_done(&sjob->base, err, ns);
}

/*
 * Execute a job's stretch of the ring and complete it: what both paths do
 * once the doorbell rang, inside drm_dev_enter() and a fence signalling
 * section. A scheduled job's failed dependency skips it (a direct job has
 * none); a direct job is bounded and does not yield between commands.
 */
static void gring_soft_execute(struct gring_soft_job *sjob)
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
	};
	u64 start = ktime_get_ns();
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
					      x.fault_op, x.fault_offset, err);
			drm_dbg_driver(&gdev->drm,
				       "ring %u job %llu: engine fault %d, op %u at ring offset %#x\n",
				       job->queue->id, job->seqno, err,
				       x.fault_op, x.fault_offset);
			err = -EFAULT;
		}
	}

	/*
	 * The device moves its read pointer past the whole job, executed or
	 * not: a faulting, skipped or cancelled job is passed over, and the
	 * ring goes on.
	 */
	gring_soft_publish_rptr(x.mmu, gring_view_dma_handle(&q->wb_rptr),
				(sjob->ring_offset + sjob->ring_bytes) % q->size);

	gring_soft_job_done(sjob, err, ktime_get_ns() - start);
}

static void gring_soft_engine_run(struct work_struct *work)
{
	struct gring_soft_job *sjob = container_of(work, struct gring_soft_job,
						   work);
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
		gring_job_done(job, -ENODEV, 0);
		dma_fence_end_signalling(cookie);
		return;
	}
	gring_soft_execute(sjob);
	drm_dev_exit(idx);
	dma_fence_end_signalling(cookie);
}

/* --- the scheduler's backend ------------------------------------------------ */

static struct dma_fence *gring_soft_run_job(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);
	struct dma_fence *fence = gring_job_run_begin(job);

	/* The doorbell. One credit: the queue runs one job at a time. */
	queue_work(job->queue->gdev->wq, &to_soft_job(job)->work);
	return fence;
}

/*
 * The job really hung: tell the engine, which notices within one stall
 * slice, skips the rest of the job and signals its fence with -ETIMEDOUT.
 */
static void gring_soft_reset(struct gring_job *job)
{
	dev_info_ratelimited(job->queue->gdev->drm.dev,
			     "%s: job %llu hung for %u ms and was cancelled\n",
			     job->queue->name, job->seqno,
			     gring_job_timeout_ms());
	WRITE_ONCE(job->cancel, true);
	dma_fence_wait(job->hw_fence, false);
}

static enum drm_gpu_sched_stat
gring_soft_timedout_job(struct drm_sched_job *sched_job)
{
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

/* --- SUBMIT ------------------------------------------------------------------- */

/* One command, as checked, with the references its buffers hold. */
struct gring_soft_cmd {
	struct drm_gring_cmd cmd;
	struct drm_gem_object *dst;
	struct drm_gem_object *src;
	struct gring_cmd_range dst_range;
	struct gring_cmd_range src_range;
};

/* Commands and ring words a small job keeps on SUBMIT's stack. */
#define GRING_SOFT_FEW_CMDS	2
#define GRING_SOFT_FEW_WORDS	16

/* Everything SUBMIT gathers before it touches the ring. */
struct gring_soft_submit {
	struct gring_soft_cmd *cmds;
	u32 count;
	unsigned int nr_ranges;
	u32 words;
	struct gring_out_sync out;
	struct gring_soft_cmd few[GRING_SOFT_FEW_CMDS];
};

static void gring_soft_submit_fini(struct gring_soft_submit *s)
{
	u32 i;

	for (i = 0; i < s->count; i++) {
		if (s->cmds[i].dst)
			drm_gem_object_put(s->cmds[i].dst);
		if (s->cmds[i].src)
			drm_gem_object_put(s->cmds[i].src);
	}
	if (s->cmds != s->few)
		kvfree(s->cmds);
	gring_out_sync_fini(&s->out);
}

/* A non-zero handle must name a BO of @file. */
static int gring_soft_lookup(struct drm_file *file, u32 handle,
			     struct drm_gem_object **obj)
{
	if (!handle)
		return 0;
	*obj = drm_gem_object_lookup(file, handle);
	return *obj ? 0 : -ENOENT;
}

/* Copy and check every command; count ranges and ring words. */
static int gring_soft_copy_cmds(struct drm_file *file,
				const struct drm_gring_submit *args,
				struct gring_soft_submit *s)
{
	const u8 __user *ucmds = u64_to_user_ptr(args->cmds);
	bool same_size = args->cmd_size == sizeof(struct drm_gring_cmd);
	struct drm_gring_cmd *raw = NULL;
	u32 i;
	int ret;

	/* A small job's commands stay on the stack, copied one by one. */
	if (args->cmd_count <= GRING_SOFT_FEW_CMDS) {
		s->cmds = s->few;
		same_size = false;
	} else {
		s->cmds = kvcalloc(args->cmd_count, sizeof(*s->cmds),
				   GFP_KERNEL_ACCOUNT);
	}
	if (!s->cmds)
		return -ENOMEM;

	/* This kernel's own struct size: the whole array in one copy. */
	if (same_size) {
		raw = vmemdup_array_user(ucmds, args->cmd_count, sizeof(*raw));
		if (IS_ERR(raw))
			return PTR_ERR(raw);
	}

	for (i = 0; i < args->cmd_count; i++) {
		struct gring_soft_cmd *c = &s->cmds[i];

		/* Counted first, so gring_soft_submit_fini() drops what is held. */
		s->count = i + 1;

		/*
		 * A larger struct from newer userspace is accepted when its
		 * extra bytes are zero, a smaller one is zero-extended.
		 */
		if (same_size) {
			c->cmd = raw[i];
		} else {
			ret = copy_struct_from_user(&c->cmd, sizeof(c->cmd),
						    ucmds + (size_t)i *
						    args->cmd_size,
						    args->cmd_size);
			if (ret) {
				ret = ret == -E2BIG ? -EINVAL : ret;
				goto out;
			}
		}

		ret = gring_soft_lookup(file, c->cmd.dst_handle, &c->dst);
		if (!ret)
			ret = gring_soft_lookup(file, c->cmd.src_handle, &c->src);
		if (ret)
			goto out;

		ret = gring_cmd_check(&c->cmd, c->dst ? c->dst->size : 0,
				      c->src ? c->src->size : 0,
				      &c->dst_range, &c->src_range);
		if (ret)
			goto out;

		s->nr_ranges += !!c->dst_range.size + !!c->src_range.size;
		s->words += gring_cmd_words(&c->cmd);
	}
	s->words += GRING_FENCE_WORDS;
	ret = 0;
out:
	kvfree(raw);
	return ret;
}

/* Give the job its ranges (and references), merged. */
static void gring_soft_fill_ranges(struct gring_soft_submit *s,
				   struct gring_job *job)
{
	unsigned int n = 0;
	u32 i;

	for (i = 0; i < s->count; i++) {
		struct gring_soft_cmd *c = &s->cmds[i];
		const struct {
			struct drm_gem_object *obj;
			struct gring_cmd_range *range;
		} sides[] = {
			{ c->dst, &c->dst_range },
			{ c->src, &c->src_range },
		};
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(sides); k++) {
			struct gring_job_range *r;

			if (!sides[k].range->size)
				continue;
			r = &job->ranges[n++];
			drm_gem_object_get(sides[k].obj);
			r->bo = to_gring_gem_object(sides[k].obj);
			r->offset = sides[k].range->offset;
			r->size = sides[k].range->size;
			r->write = sides[k].range->write;
		}
	}
	gring_job_merge_ranges(job);
}

/*
 * Translate every command into @out, in ring order, ending with the FENCE
 * that writes @seqno: each buffer range becomes a view, and a view's DMA
 * handle is the only address the engine is given.
 */
static int gring_soft_encode(struct gring_soft_queue *q,
			     struct gring_soft_submit *s, u64 seqno,
			     __le64 *out)
{
	bool inject = atomic_add_unless(&q->base.gdev->inject_faults, -1, 0);
	u32 i, w = 0;
	int ret;

	for (i = 0; i < s->count; i++) {
		struct gring_soft_cmd *c = &s->cmds[i];
		struct gring_view dst = {}, src = {};
		dma_addr_t dst_dma = 0, src_dma = 0;

		if (c->dst_range.size) {
			ret = gring_coherent_view(&to_gring_gem_object(c->dst)->coh,
						  c->dst_range.offset,
						  c->dst_range.size, 0, &dst);
			if (ret)
				return ret;
			dst_dma = gring_view_dma_handle(&dst);
			/* debugfs asked for a device fault: here it is. */
			if (inject) {
				dst_dma = GRING_FAULT_DMA;
				inject = false;
			}
		}
		if (c->src_range.size) {
			ret = gring_coherent_view(&to_gring_gem_object(c->src)->coh,
						  c->src_range.offset,
						  c->src_range.size, 0, &src);
			if (ret)
				return ret;
			src_dma = gring_view_dma_handle(&src);
		}
		w += gring_cmd_encode(&c->cmd, dst_dma, src_dma, out + w);
	}

	out[w++] = cpu_to_le64(gring_soft_hdr(GRING_SOFT_OP_FENCE,
					      GRING_FENCE_WORDS, 0));
	out[w++] = cpu_to_le64(gring_view_dma_handle(&q->wb_seqno));
	out[w++] = cpu_to_le64(seqno);
	return 0;
}

/*
 * Reserve ring room for @len bytes, waiting for the engine to retire jobs
 * when the ring is full. Returns with the queue's submit_lock held on
 * success. No reservation lock is held while waiting.
 */
static int gring_soft_reserve(struct gring_soft_queue *q, u32 len,
			      bool nonblock,
			      struct gring_ring_reservation *res)
{
	long left = msecs_to_jiffies(2 * gring_job_timeout_ms());
	int ret;

	for (;;) {
		int seen = atomic_read(&q->retired);

		mutex_lock(&q->base.submit_lock);
		ret = gring_ring_reserve(&q->ring, len, res);
		if (ret != -EAGAIN)
			break;
		mutex_unlock(&q->base.submit_lock);

		if (nonblock)
			return -EAGAIN;
		left = wait_event_interruptible_timeout(q->space_wq,
							atomic_read(&q->retired) != seen,
							left);
		if (left < 0)
			return left;
		if (!left)
			return -ETIMEDOUT;
	}
	if (ret) {
		/* -E2BIG: more than half the ring, it could never be placed. */
		mutex_unlock(&q->base.submit_lock);
		return ret;
	}
	return 0;
}

/*
 * Could the job go the direct path, as far as SUBMIT can tell before it
 * takes a lock: bounded, and its ring idle as far as a racy look says (the
 * look under the ring's lock, gring_soft_ring_idle(), decides).
 */
static bool gring_soft_direct_candidate(struct gring_soft_queue *q,
					const struct gring_soft_submit *s)
{
	u64 bytes = 0;
	u32 i;

	if (s->count > GRING_SOFT_DIRECT_CMDS ||
	    READ_ONCE(q->base.engine->stopped) ||
	    READ_ONCE(q->base.seqno) != READ_ONCE(q->base.completed))
		return false;
	for (i = 0; i < s->count; i++) {
		const struct drm_gring_cmd *c = &s->cmds[i].cmd;

		if (c->op == DRM_GRING_OP_STALL)
			return false;
		if (c->op == DRM_GRING_OP_COPY || c->op == DRM_GRING_OP_FILL)
			bytes += c->size;
		if (bytes > GRING_SOFT_DIRECT_BYTES)
			return false;
	}
	return true;
}

/*
 * Is the ring idle: every job it was given completed, and the last one the
 * scheduler ran has signalled its finished fence (so the ring's fences
 * signal in ring order, whichever path each took)?
 */
static bool gring_soft_ring_idle(struct gring_soft_queue *q)
{
	bool idle;

	lockdep_assert_held(&q->base.submit_lock);
	if (q->last_sched && !dma_fence_is_signaled(q->last_sched))
		return false;
	spin_lock_irq(&q->base.lock);
	idle = q->base.completed == q->base.seqno;
	spin_unlock_irq(&q->base.lock);
	return idle && !READ_ONCE(q->base.engine->stopped);
}

/*
 * The direct path's doorbell: the job's commands are committed to the
 * ring; the engine executes them here and now, and the job completes.
 * Returns the job's fence, signalled, with a reference for the caller.
 */
static struct dma_fence *gring_soft_run_direct(struct gring_soft_job *sjob)
{
	struct gring_job *job = &sjob->base;
	bool cookie;

	gring_job_direct_begin(job);
	/* As in the work item: from here, signalling. Nothing allocates. */
	cookie = dma_fence_begin_signalling();
	gring_soft_execute(sjob);
	dma_fence_end_signalling(cookie);
	return dma_fence_get(job->hw_fence);
}

/*
 * SUBMIT on a soft-engine ring. The order: copy and check everything,
 * allocate everything, decide whether the job can take the direct path,
 * (scheduled only: make it a scheduler job and collect its in-fences),
 * reserve ring room (may wait, holding no BO lock), lock the BOs'
 * reservations, check CPU holds and collect implicit dependencies (direct:
 * check that there are none and that the ring is idle, else start again
 * the scheduled way), write and commit the commands, push or execute.
 * Nothing changes before the push; nothing fails after the commit.
 */
static int gring_soft_submit(struct drm_file *file, struct gring_queue *base,
			     const struct drm_gring_submit *args, u64 *seqno)
{
	struct gring_soft_queue *q = to_soft_queue(base);
	struct gring_ring_reservation res;
	struct gring_soft_submit s = {};
	struct gring_busy_lock bl = {};
	__le64 few_words[GRING_SOFT_FEW_WORDS];
	struct gring_soft_job *sjob;
	struct dma_fence *fence;
	struct gring_job *job;
	__le64 *words = NULL;
	bool direct;
	int ret, idx;
	u32 len;

	ret = gring_soft_copy_cmds(file, args, &s);
	if (ret)
		goto out_fini;
	ret = gring_out_sync_prepare(file, args, &s.out);
	if (ret)
		goto out_fini;

	len = s.words * GRING_SOFT_WORD;
	if (s.words <= ARRAY_SIZE(few_words))
		words = few_words;
	else
		words = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!words) {
		ret = -ENOMEM;
		goto out_fini;
	}

	job = gring_job_alloc_bare(base, s.nr_ranges);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		goto out_fini;
	}
	sjob = to_soft_job(job);
	gring_lease_init(&sjob->ring_lease);
	INIT_WORK(&sjob->work, gring_soft_engine_run);
	gring_soft_fill_ranges(&s, job);

	/* Decided before the job has any scheduler state. */
	direct = gring_soft_direct_candidate(q, &s) &&
		 gring_submit_in_syncs_signalled(file, args);
again:
	if (!direct) {
		ret = gring_job_sched_init(job, 1, file);
		if (!ret)
			ret = gring_submit_in_syncs(file, args, job);
		if (ret)
			goto out_abort;
	}

	/* The ring's memory is there only while the device is. */
	if (!drm_dev_enter(&base->gdev->drm, &idx)) {
		ret = -ENODEV;
		goto out_abort;
	}
	ret = gring_soft_reserve(q, len, args->flags & DRM_GRING_SUBMIT_NONBLOCK,
				 &res);
	if (ret)
		goto out_exit;
	ret = gring_busy_lock_job(job, &bl);
	if (ret)
		goto out_unlock_ring;
	if (direct) {
		ret = gring_busy_job_ready(job);
		if (!ret && !gring_soft_ring_idle(q))
			ret = 1;
		if (ret == 1) {
			/* Something to wait for after all: the scheduler waits. */
			gring_busy_unlock(&bl);
			mutex_unlock(&base->submit_lock);
			drm_dev_exit(idx);
			direct = false;
			goto again;
		}
	} else {
		ret = gring_busy_check_job(job);
	}
	if (ret)
		goto out_unlock;

	ret = gring_soft_encode(q, &s, base->seqno + 1, words);
	if (!ret)
		ret = gring_view_write(&res.view, 0, words, len);
	if (!ret) {
		sjob->ring_offset = res.wptr;
		sjob->ring_bytes = res.pad + len;
		ret = gring_ring_commit(&q->ring, &res, &sjob->ring_lease);
	}
	if (ret)
		goto out_unlock;

	/* From here on nothing fails: the job is queued, or done. */
	if (direct) {
		fence = gring_soft_run_direct(sjob);
		gring_busy_publish_fence(job, fence);
		q->nr_direct++;
	} else {
		fence = gring_job_push(job);
		if (q->last_sched)
			dma_fence_put(q->last_sched);
		q->last_sched = dma_fence_get(fence);
		q->nr_scheduled++;
	}
	*seqno = base->seqno;
	gring_busy_unlock(&bl);
	mutex_unlock(&base->submit_lock);
	drm_dev_exit(idx);

	gring_out_sync_commit(&s.out, fence, args->out_sync_point);
	dma_fence_put(fence);
	if (direct)
		gring_job_direct_free(job);
	goto out_fini;

out_unlock:
	gring_busy_unlock(&bl);
out_unlock_ring:
	mutex_unlock(&base->submit_lock);
out_exit:
	drm_dev_exit(idx);
out_abort:
	gring_job_abort(job);
out_fini:
	if (words != few_words)
		kvfree(words);
	gring_soft_submit_fini(&s);
	return ret;
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
		   base->id, st.size);
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
