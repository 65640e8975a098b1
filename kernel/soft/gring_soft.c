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
 * STALL, at most GRING_SOFT_DIRECT_CMDS commands and
 * GRING_SOFT_DIRECT_BYTES copied or filled), SUBMIT itself rings the
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

/* Hardware queues of the soft engine: rings spread over them. */
#define GRING_SOFT_QUEUES	4

/*
 * The direct path's bound on one job, which runs inside SUBMIT without
 * yielding the CPU: commands, and bytes copied or filled. 1 MiB is about a
 * millisecond of memmove under TCG and a tenth of that on hardware: a
 * SUBMIT's latency stays bounded, and a 1 MiB copy -- the bulk size
 * soft.copy.1m measures -- does not pay for a scheduler round trip, which
 * costs a fifth of the copy there. Larger copies go through run_job,
 * which yields between commands. 256 commands of the cheap kinds take
 * far less.
 */
#define GRING_SOFT_DIRECT_CMDS	256
#define GRING_SOFT_DIRECT_BYTES	SZ_1M

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
 * @scratch: a SUBMIT scratch kept for the next one (struct
 *	gring_soft_scratch), or NULL; taken and given back with xchg()
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
	struct gring_soft_scratch *scratch;
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
 */
struct gring_soft_job {
	struct gring_job base;
	u32 ring_offset;
	u32 ring_bytes;
	struct gring_lease ring_lease;
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
static void gring_soft_job_done(struct gring_soft_job *sjob, int err, u64 ns)
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
	gring_soft_publish_rptr(&x, gring_view_dma_handle(&q->wb_rptr),
				(sjob->ring_offset + sjob->ring_bytes) % q->size);

	gring_soft_job_done(sjob, err, ktime_get_ns() - start);
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
		gring_job_done(job, -ENODEV, 0);
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

/* --- SUBMIT ------------------------------------------------------------------- */

/* One command, as checked, with the references its buffers hold. */
struct gring_soft_cmd {
	struct drm_gring_cmd cmd;
	struct drm_gem_object *dst;
	struct drm_gem_object *src;
	struct gring_cmd_range dst_range;
	struct gring_cmd_range src_range;
};

/* Commands a small job keeps on SUBMIT's stack. */
#define GRING_SOFT_FEW_CMDS	2

/*
 * SUBMIT's scratch for a job too big for the stack: its checked commands,
 * and userspace's array they are checked from when it comes in this
 * kernel's struct size (@raw, @cap entries after @cmds). A queue keeps the
 * last one SUBMIT used (struct gring_soft_queue's @scratch) when it holds
 * at most GRING_SOFT_SCRATCH_KEEP commands, so a client that sends
 * batches allocates nothing per SUBMIT and holds little when idle.
 */
struct gring_soft_scratch {
	u32 cap;
	struct drm_gring_cmd *raw;
	struct gring_soft_cmd cmds[] __counted_by(cap);
};

#define GRING_SOFT_SCRATCH_MIN	64
#define GRING_SOFT_SCRATCH_KEEP	GRING_SOFT_DIRECT_CMDS

/* The queue's scratch if it is big enough, else a new one. */
static struct gring_soft_scratch *
gring_soft_scratch_get(struct gring_soft_queue *q, u32 count)
{
	struct gring_soft_scratch *sc = xchg(&q->scratch, NULL);
	size_t size;
	u32 cap;

	if (sc && sc->cap >= count)
		return sc;
	kvfree(sc);

	cap = max_t(u32, count, GRING_SOFT_SCRATCH_MIN);
	size = size_add(struct_size(sc, cmds, cap),
			array_size(cap, sizeof(*sc->raw)));
	/* Not zeroed: SUBMIT writes every field before it reads one. */
	sc = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!sc)
		return NULL;
	sc->cap = cap;
	sc->raw = (void *)&sc->cmds[cap];
	return sc;
}

/* Give the scratch back to its queue, or free it. */
static void gring_soft_scratch_put(struct gring_soft_queue *q,
				   struct gring_soft_scratch *sc)
{
	if (sc && sc->cap <= GRING_SOFT_SCRATCH_KEEP &&
	    !cmpxchg(&q->scratch, NULL, sc))
		return;
	kvfree(sc);
}

/*
 * Everything SUBMIT gathers before it touches the ring. Besides the
 * commands: how many of their ranges touch a buffer (@nr_ranges), whether
 * any command holds a buffer reference (@holds: if not, no pass over the
 * commands looks for one), and what the direct path's bounds ask
 * (@bulk_bytes copied or filled, whether a STALL @stalls).
 */
struct gring_soft_submit {
	struct gring_soft_cmd *cmds;
	u32 count;
	unsigned int nr_ranges;
	u32 words;
	u64 bulk_bytes;
	bool stalls;
	bool holds;
	struct gring_out_sync out;
	struct gring_soft_scratch *scratch;
	struct gring_soft_cmd few[GRING_SOFT_FEW_CMDS];
};

static void gring_soft_submit_fini(struct gring_soft_queue *q,
				   struct gring_soft_submit *s)
{
	u32 i;

	for (i = 0; s->holds && i < s->count; i++) {
		if (s->cmds[i].dst)
			drm_gem_object_put(s->cmds[i].dst);
		if (s->cmds[i].src)
			drm_gem_object_put(s->cmds[i].src);
	}
	gring_soft_scratch_put(q, s->scratch);
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
				struct gring_soft_queue *q,
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
		s->scratch = gring_soft_scratch_get(q, args->cmd_count);
		if (!s->scratch)
			return -ENOMEM;
		s->cmds = s->scratch->cmds;
		raw = s->scratch->raw;
	}

	/* This kernel's own struct size: the whole array in one copy. */
	if (same_size &&
	    copy_from_user(raw, ucmds, array_size(args->cmd_count,
						  sizeof(*raw))))
		return -EFAULT;

	for (i = 0; i < args->cmd_count; i++) {
		struct gring_soft_cmd *c = &s->cmds[i];

		/* Counted first, so gring_soft_submit_fini() drops what is held. */
		c->dst = NULL;
		c->src = NULL;
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
			if (ret)
				return ret == -E2BIG ? -EINVAL : ret;
		}

		ret = gring_soft_lookup(file, c->cmd.dst_handle, &c->dst);
		if (!ret)
			ret = gring_soft_lookup(file, c->cmd.src_handle, &c->src);
		s->holds |= c->dst || c->src;
		if (ret)
			return ret;

		ret = gring_cmd_check(&c->cmd, c->dst ? c->dst->size : 0,
				      c->src ? c->src->size : 0,
				      &c->dst_range, &c->src_range);
		if (ret)
			return ret;

		s->nr_ranges += !!c->dst_range.size + !!c->src_range.size;
		s->words += gring_cmd_words(&c->cmd);
		if (c->cmd.op == DRM_GRING_OP_COPY ||
		    c->cmd.op == DRM_GRING_OP_FILL)
			s->bulk_bytes += c->cmd.size;
		s->stalls |= c->cmd.op == DRM_GRING_OP_STALL;
	}
	s->words += GRING_FENCE_WORDS;
	return 0;
}

/* One range of a command: the job's own reference to its buffer. */
static void gring_soft_fill_range(struct gring_job_range *r,
				  struct drm_gem_object *obj,
				  const struct gring_cmd_range *range)
{
	drm_gem_object_get(obj);
	r->bo = to_gring_gem_object(obj);
	r->offset = range->offset;
	r->size = range->size;
	r->write = range->write;
}

/* Give the job its ranges (and references), merged. */
static void gring_soft_fill_ranges(struct gring_soft_submit *s,
				   struct gring_job *job)
{
	unsigned int n = 0;
	u32 i;

	for (i = 0; s->nr_ranges && i < s->count; i++) {
		struct gring_soft_cmd *c = &s->cmds[i];

		if (c->dst_range.size)
			gring_soft_fill_range(&job->ranges[n++], c->dst,
					      &c->dst_range);
		if (c->src_range.size)
			gring_soft_fill_range(&job->ranges[n++], c->src,
					      &c->src_range);
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
	return s->count <= GRING_SOFT_DIRECT_CMDS && !s->stalls &&
	       s->bulk_bytes <= GRING_SOFT_DIRECT_BYTES &&
	       !READ_ONCE(q->base.engine->stopped) &&
	       READ_ONCE(q->base.seqno) == READ_ONCE(q->base.completed);
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
	/* As in run_job: from here, signalling. Nothing allocates. */
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
	struct gring_soft_job *sjob;
	struct dma_fence *fence;
	struct gring_job *job;
	__le64 *words;
	bool direct;
	int ret, idx;
	u32 len;

	ret = gring_soft_copy_cmds(file, q, args, &s);
	if (ret)
		goto out_fini;
	ret = gring_out_sync_prepare(file, args, &s.out);
	if (ret)
		goto out_fini;

	len = s.words * GRING_SOFT_WORD;
	job = gring_job_alloc_bare(base, s.nr_ranges);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		goto out_fini;
	}
	sjob = to_soft_job(job);
	gring_lease_init(&sjob->ring_lease);
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

	/*
	 * The commands go straight into the reserved ring bytes, which the
	 * CPU owns until the commit hands them to the engine: one copy from
	 * userspace (the check), one encode, no buffer in between.
	 */
	words = gring_view_cpu_ptr(&res.view);
	ret = PTR_ERR_OR_ZERO(words);
	if (!ret)
		ret = gring_soft_encode(q, &s, base->seqno + 1, words);
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
	gring_soft_submit_fini(q, &s);
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
