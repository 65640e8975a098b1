// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: jobs -- what every engine's jobs share: allocation, pushing to
 * the scheduler, dependencies, buffer ranges handed to the engine and back,
 * completion, the timeout the v3d/panfrost way, and the free.
 *
 * A SUBMIT allocates everything a job will need (its hardware fence
 * included), checks, and pushes; from run_job on nothing allocates, so
 * the fence signalling path cannot wait for memory reclaim. run_job is the
 * doorbell: each engine's backend (gring_soft.c, gring_vgpu.c) starts the
 * job there and signals the hardware fence when the device is done.
 */

#include <linux/build_bug.h>
#include <linux/dma-fence.h>
#include <linux/dma-fence-unwrap.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stddef.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"

#define CREATE_TRACE_POINTS
#include "gring_job_trace.h"

/* A job's memory goes back to its queue's spare slot, or is freed. */
static void gring_job_free_mem(struct gring_queue *q, struct gring_job *job)
{
	if (job->spare_sized && !cmpxchg(&q->spare, NULL, job))
		return;
	kvfree(job);
}

/* gring_job_alloc_bare() zeroes a recycled job past its scheduler part. */
static_assert(offsetof(struct gring_job, base) == 0);

/**
 * gring_job_alloc_bare() - allocate a job for a queue, without scheduler
 *	state
 * @q: the queue; the job takes a reference
 * @nr_ranges: buffer ranges its commands touch
 *
 * The job is the engine's job struct (@q->ops->job_size bytes, embedding
 * struct gring_job), its ranges and its hardware fence. A job that takes
 * the direct path never gets more; gring_job_sched_init() makes one for
 * the scheduler.
 *
 * Return: the job, or ERR_PTR(-ENOMEM).
 */
struct gring_job *gring_job_alloc_bare(struct gring_queue *q,
				       unsigned int nr_ranges)
{
	size_t head = ALIGN(q->ops->job_size, __alignof__(struct gring_job_range));
	bool spare_sized = nr_ranges <= GRING_JOB_SPARE_RANGES;
	struct gring_job *job = NULL;
	size_t size;
	unsigned int i;

	if (check_add_overflow(head,
			       array_size(spare_sized ? GRING_JOB_SPARE_RANGES :
					  nr_ranges,
					  sizeof(struct gring_job_range)),
			       &size))
		return ERR_PTR(-ENOMEM);
	/*
	 * Most jobs touch few ranges: those all have one size, so the last
	 * one freed on this queue is this one's memory, still in the CPU's
	 * cache, with no allocator call either way.
	 */
	if (spare_sized)
		job = xchg(&q->spare, NULL);
	if (job) {
		/*
		 * What the job uses is zeroed, as kvzalloc() would have, but
		 * for the scheduler's part: gring_job_sched_init() zeroes
		 * that, and a direct job never has one.
		 */
		memset((void *)job + sizeof(job->base), 0,
		       head - sizeof(job->base) +
		       nr_ranges * sizeof(struct gring_job_range));
		job->base.s_fence = NULL;
	} else {
		job = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	}
	if (!job)
		return ERR_PTR(-ENOMEM);
	job->spare_sized = spare_sized;
	job->nr_ranges = nr_ranges;
	job->ranges = (void *)job + head;
	for (i = 0; i < nr_ranges; i++)
		gring_lease_init(&job->ranges[i].lease);
	INIT_LIST_HEAD(&job->link);

	job->hw_fence = gring_hw_fence_alloc();
	if (!job->hw_fence) {
		gring_job_free_mem(q, job);
		return ERR_PTR(-ENOMEM);
	}
	kref_get(&q->refcount);
	job->queue = q;
	return job;
}

/**
 * gring_job_sched_init() - make a job from gring_job_alloc_bare() a
 *	scheduler job
 * @job: the job
 * @credits: the scheduler credits it takes
 * @file: the submitting file, for the scheduler's client id
 *
 * Return: 0, or the scheduler's error (the job is then still aborted with
 * gring_job_abort()).
 */
int gring_job_sched_init(struct gring_job *job, u32 credits,
			 struct drm_file *file)
{
	struct gring_queue *q = job->queue;

	/* A recycled job's scheduler part was not zeroed: see above. */
	memset(&job->base, 0, sizeof(job->base));
	return drm_sched_job_init(&job->base, &q->entity, credits, q,
				  file->client_id);
}

/**
 * gring_job_alloc() - allocate a job for a queue
 * @q: the queue; the job takes a reference
 * @nr_ranges: buffer ranges its commands touch
 * @credits: the scheduler credits it takes
 * @file: the submitting file, for the scheduler's client id
 *
 * gring_job_alloc_bare() and gring_job_sched_init() in one.
 *
 * Return: the job, initialised for the scheduler but not armed, or an
 * ERR_PTR(): -ENOMEM, or the scheduler's error.
 */
struct gring_job *gring_job_alloc(struct gring_queue *q,
				  unsigned int nr_ranges, u32 credits,
				  struct drm_file *file)
{
	struct gring_job *job = gring_job_alloc_bare(q, nr_ranges);
	int ret;

	if (IS_ERR(job))
		return job;
	ret = gring_job_sched_init(job, credits, file);
	if (ret) {
		/* Before the engine's part is set up: not gring_job_abort(). */
		gring_hw_fence_free_unused(job->hw_fence);
		gring_job_free_mem(q, job);
		gring_queue_put(q);
		return ERR_PTR(ret);
	}
	return job;
}

/* Drop what a job holds that both the abort and the free give back. */
static void gring_job_release(struct gring_job *job)
{
	struct gring_queue *q = job->queue;
	unsigned int i;

	if (q->ops->job_fini)
		q->ops->job_fini(job);
	for (i = 0; i < job->nr_ranges; i++) {
		gring_busy_range_discard(&job->ranges[i]);
		if (job->ranges[i].bo)
			drm_gem_object_put(&job->ranges[i].bo->base);
	}
	/* Only a job gring_job_sched_init() made has scheduler state. */
	if (job->base.s_fence)
		drm_sched_job_cleanup(&job->base);
	gring_job_free_mem(q, job);
	gring_queue_put(q);
}

/**
 * gring_job_abort() - free a job gring_job_alloc() made that was not pushed
 * @job: the job; the buffer references in its ranges are dropped
 */
void gring_job_abort(struct gring_job *job)
{
	gring_hw_fence_free_unused(job->hw_fence);
	gring_job_release(job);
}

/**
 * gring_job_push() - arm a job and hand it to the scheduler
 * @job: the job, with everything it needs; its BOs' reservations locked
 *	(gring_busy_lock_job()), which stay locked
 *
 * Publishes the job's ranges in its BOs and its fence in their
 * reservation objects. The job may be freed once the caller drops the
 * reservations: the caller must not touch it after that.
 *
 * Context: the queue's submit_lock held, so ring order, seqno order and
 * scheduling order are one. Cannot fail.
 * Return: the job's finished fence, with a reference for the caller.
 */
struct dma_fence *gring_job_push(struct gring_job *job)
{
	struct gring_queue *q = job->queue;
	struct dma_fence *finished;

	lockdep_assert_held(&q->submit_lock);

	job->seqno = ++q->seqno;
	drm_sched_job_arm(&job->base);
	finished = dma_fence_get(&job->base.s_fence->finished);
	/*
	 * Another ring's job waiting for this one waits for its end, not
	 * for its start on the same hardware queue: a virtio-gpu queue runs
	 * jobs side by side, and a skipped job must see this one's status.
	 */
	set_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &finished->flags);
	gring_busy_publish_job(job, finished);
	trace_gring_job_submit(q->name, job->seqno, job->nr_ranges, false);
	job->pushed = true;
	atomic_inc(&q->engine->jobs_alive);
	drm_sched_entity_push_job(&job->base);
	return finished;
}

/**
 * gring_job_direct_begin() - number a job that takes the direct path
 * @job: a job from gring_job_alloc_bare(), never seen by the scheduler;
 *	its ring idle and its BOs locked, with nothing to wait for
 *
 * Gives the job the ring's next seqno and makes its hardware fence the
 * direct fence of that seqno (gring_direct_fence_init()). The engine then
 * executes it at once, and gring_job_done() signals that fence.
 *
 * Context: the queue's submit_lock held, as for gring_job_push().
 */
void gring_job_direct_begin(struct gring_job *job)
{
	struct gring_queue *q = job->queue;

	lockdep_assert_held(&q->submit_lock);
	job->seqno = ++q->seqno;
	job->direct = true;
	gring_direct_fence_init(job->hw_fence, q->direct_context, job->seqno);
	trace_gring_job_submit(q->name, job->seqno, job->nr_ranges, true);
	trace_gring_job_start(q->name, job->seqno);
}

/**
 * gring_job_direct_free() - free a job that completed on the direct path
 * @job: the job; its fence has signalled, and whoever needs it took a
 *	reference of their own
 */
void gring_job_direct_free(struct gring_job *job)
{
	dma_fence_put(job->hw_fence);
	gring_job_release(job);
}

/**
 * gring_job_run_begin() - the generic half of run_job
 * @job: the job the scheduler is handing to a hardware queue
 *
 * Makes the job's hardware fence the next of the hardware queue it runs
 * on, and puts the job on that queue's list of jobs in flight.
 *
 * Return: the hardware fence, with the reference run_job returns.
 */
struct dma_fence *gring_job_run_begin(struct gring_job *job)
{
	struct gring_sched *s = to_gring_sched(job->base.sched);

	job->sched = s;
	gring_hw_fence_init(job->hw_fence, s);
	spin_lock_irq(&s->lock);
	list_add_tail(&job->link, &s->inflight);
	spin_unlock_irq(&s->lock);
	trace_gring_job_start(job->queue->name, job->seqno);
	return dma_fence_get(job->hw_fence);
}

/*
 * Whether a dependency counts for skipping: the ring's own earlier jobs do
 * not -- a failed job does not stop its ring (uapi: SUBMIT).
 */
static bool gring_job_own_fence(struct gring_job *job, struct dma_fence *f)
{
	u64 ctx = job->queue->entity.fence_context;

	return f->context == ctx || f->context == ctx + 1 ||
	       f->context == job->queue->direct_context;
}

/**
 * gring_job_deps_status() - did a dependency of a job fail?
 * @job: a job whose dependencies have all signalled (run_job or later)
 *
 * drm_sched in this kernel does not pass a dependency's error on: a job
 * whose in-fence failed would run. gring skips it instead (uapi: SUBMIT).
 * Timeline points and merged fences are looked into.
 *
 * Return: 0, or -ECANCELED if an in-fence or another ring's job it waited
 * for ended in an error.
 */
int gring_job_deps_status(struct gring_job *job)
{
	struct dma_fence *dep, *f;
	struct dma_fence_unwrap iter;
	unsigned long index;

	xa_for_each(&job->base.dependencies, index, dep) {
		if (gring_job_own_fence(job, dep))
			continue;
		dma_fence_unwrap_for_each(f, &iter, dep) {
			if (dma_fence_get_status(f) < 0) {
				/* The walk holds the chain link it stands on. */
				dma_fence_put(iter.chain);
				return -ECANCELED;
			}
		}
	}
	return 0;
}

/**
 * gring_job_give_ranges() - hand every buffer range of a job to the engine
 * @job: a job about to execute
 *
 * The job was ordered after every earlier job touching the same bytes, so
 * a refusal here is a gring bug, reported by the ownership layer.
 *
 * Return: 0, or the ownership layer's error (ranges already given stay
 * given; gring_job_take_ranges() takes them back).
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
 * @job: a job the engine is done with; ranges not given are skipped
 */
void gring_job_take_ranges(struct gring_job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_ranges; i++)
		if (gring_lease_active(&job->ranges[i].lease))
			gring_lease_take(&job->ranges[i].lease);
}

/**
 * gring_job_done() - complete a job the engine is done with
 * @job: the job; the engine has taken its ranges back
 * @err: 0, or the job's error for its fence
 * @ns: engine time it took
 * @end: when the engine finished it (ktime_get()), the fence's timestamp,
 *	as a device's completion timestamp would be; 0 for now
 *
 * What an interrupt handler does on completion: count, and signal the
 * hardware fence (the scheduler then signals the finished fence; a
 * direct job's hardware fence is its only fence).
 *
 * Context: any; takes spinlocks only.
 */
void gring_job_done(struct gring_job *job, int err, u64 ns, ktime_t end)
{
	struct gring_queue *q = job->queue;
	struct gring_sched *s = job->sched;
	unsigned long flags;

	/* A direct job was on no hardware queue. */
	if (s) {
		spin_lock_irqsave(&s->lock, flags);
		list_del_init(&job->link);
		spin_unlock_irqrestore(&s->lock, flags);
	}

	spin_lock_irqsave(&q->lock, flags);
	gring_queue_retire(q, job->seqno, err);
	q->busy_ns += ns;
	if (err == -ETIMEDOUT)
		q->timeouts++;
	else if (err == -ECANCELED)
		q->skipped++;
	else if (err)
		q->faults++;
	spin_unlock_irqrestore(&q->lock, flags);
	atomic64_add(ns, &q->gfile->engine_ns[q->engine->id]);

	trace_gring_job_done(q->name, job->seqno, err, ns);
	if (err)
		dma_fence_set_error(job->hw_fence, err);
	/* The engine read the clock as it finished: no second read here. */
	if (end)
		dma_fence_signal_timestamp(job->hw_fence, end);
	else
		dma_fence_signal(job->hw_fence);
}

/**
 * gring_job_free() - the scheduler's free_job, for every engine
 * @sched_job: a job whose finished fence has signalled
 *
 * Takes no lock a SUBMIT holds: the ranges the job published in its BOs
 * are pruned by later users of those BOs, once its fence has signalled.
 */
void gring_job_free(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);
	struct gring_engine *engine = job->queue->engine;

	dma_fence_put(job->hw_fence);
	gring_job_release(job);
	if (atomic_dec_and_test(&engine->jobs_alive))
		wake_up_all(&engine->idle_wq);
}

/**
 * gring_job_timedout() - the scheduler's timeout, for every engine
 * @sched_job: the job at the head of its hardware queue, still running
 * @reset: what the engine does to end a job that really hung; it must
 *	end with the hardware fence signalled, and may sleep
 *
 * The v3d/panfrost sequence: stop the scheduler (it puts the job back on
 * its pending list), check the job really hung -- its fence may have
 * signalled since the timer fired --, reset, restart. The scheduler
 * completes and frees the job the ordinary way. Nothing here allocates
 * or takes a lock held across an allocation: it is on the signalling
 * path.
 *
 * Return: DRM_GPU_SCHED_STAT_NOMINAL.
 */
enum drm_gpu_sched_stat gring_job_timedout(struct drm_sched_job *sched_job,
					   void (*reset)(struct gring_job *))
{
	struct gring_job *job = to_gring_job(sched_job);
	struct drm_gpu_scheduler *sched = sched_job->sched;
	struct drm_sched_job *s_job;
	bool cookie;

	/*
	 * Outside the annotated section: drm_sched_stop() frees jobs that
	 * are already done, and an engine's job_fini may take a lock that
	 * SUBMIT holds across allocations. What follows signals fences.
	 */
	drm_sched_stop(sched, sched_job);
	cookie = dma_fence_begin_signalling();
	/* The engine reports the hang, rate-limited: it knows what it did. */
	if (!dma_fence_is_signaled(job->hw_fence))
		reset(job);

	/*
	 * drm_sched_stop() took each pending job's hardware fence away, for
	 * drm_sched_resubmit_jobs() to run it again. gring's engines skip a
	 * hung job rather than run it again: give each its fence back, and
	 * drm_sched_start() completes those the reset ended with their
	 * status. The finished fence holds its hardware fence again, and
	 * with it the scheduler's memory (gring_sched.c).
	 */
	spin_lock(&sched->job_list_lock);
	list_for_each_entry(s_job, &sched->pending_list, list)
		if (!s_job->s_fence->parent)
			s_job->s_fence->parent =
				dma_fence_get(to_gring_job(s_job)->hw_fence);
	spin_unlock(&sched->job_list_lock);
	drm_sched_start(sched);
	dma_fence_end_signalling(cookie);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static int gring_range_cmp(const void *a, const void *b)
{
	const struct gring_job_range *ra = a, *rb = b;

	if (ra->bo != rb->bo)
		return ra->bo < rb->bo ? -1 : 1;
	if (ra->offset != rb->offset)
		return ra->offset < rb->offset ? -1 : 1;
	return 0;
}

/**
 * gring_job_merge_ranges() - merge a job's overlapping buffer ranges
 * @job: a job whose ranges are filled in, with a reference each
 *
 * Commands of one job often touch the same bytes (write, then copy from
 * there). The job hands each byte to the engine once: sort its ranges and
 * merge those that overlap or touch, a write anywhere making the whole
 * merged range a write. References of merged-away ranges are dropped.
 * Sorted by BO, the ranges also give each BO once, for locking.
 */
void gring_job_merge_ranges(struct gring_job *job)
{
	unsigned int i, n = 0;

	if (!job->nr_ranges)
		return;
	/* Commands often come in order already: sorting is then skipped. */
	for (i = 1; i < job->nr_ranges; i++)
		if (gring_range_cmp(&job->ranges[i - 1], &job->ranges[i]) > 0)
			break;
	if (i < job->nr_ranges)
		sort(job->ranges, job->nr_ranges, sizeof(job->ranges[0]),
		     gring_range_cmp, NULL);
	for (i = 1; i < job->nr_ranges; i++) {
		struct gring_job_range *cur = &job->ranges[n];
		struct gring_job_range *r = &job->ranges[i];

		if (r->bo == cur->bo && r->offset <= cur->offset + cur->size) {
			cur->size = max(cur->size, r->offset + r->size -
					cur->offset);
			cur->write |= r->write;
			drm_gem_object_put(&r->bo->base);
			r->bo = NULL;
			continue;
		}
		job->ranges[++n] = *r;
		if (n != i)
			r->bo = NULL;
	}
	job->nr_ranges = n + 1;
}
