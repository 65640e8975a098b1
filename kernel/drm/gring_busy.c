// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: who may touch which bytes of a buffer object -- implicit sync,
 * range by range, under each BO's reservation lock.
 *
 * Two kinds of claim sit on a BO's bytes, each in an interval tree of the
 * BO, both protected by the BO's dma_resv lock (no device-wide lock: two
 * SUBMITs or CPU_PREPs on different BOs never wait for each other):
 *
 * - busy ranges: a job in flight reads or writes them. Each carries the
 *   job's finished fence. A later job touching an overlapping range waits
 *   for it, so two jobs never hand the same bytes to the engine at once;
 *   CPU_PREP waits for it (for writers only, when the CPU only reads).
 *   A busy range whose fence has signalled is pruned by whoever finds it:
 *   the scheduler's free_job takes no reservation lock.
 * - CPU holds: CPU_PREP took the range for the CPU, until CPU_FINI. A
 *   SUBMIT touching a held range is refused with -EBUSY.
 *
 * The rest of the world sees gring's jobs the standard way: each job's
 * finished fence is added to the reservation object of every BO it
 * touches (a write where it writes), so dma-buf poll, DMA_BUF_IOCTL_SYNC
 * and other drivers wait for it. Fences other drivers put there are
 * waited for whole-BO, as drm_sched_job_add_implicit_dependencies() would;
 * gring's own are skipped there, since the busy ranges say more precisely
 * which bytes they cover. A SUBMIT's cost is linear in its own ranges
 * (times the log of the claims on its BOs).
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/interval_tree_generic.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"

/* Prune a BO's whole tree of signalled ranges at least this rarely. */
#define GRING_BUSY_PRUNE_MIN	64

static u64 gring_claim_start(struct gring_claim *c)
{
	return c->start;
}

static u64 gring_claim_last(struct gring_claim *c)
{
	return c->last;
}

INTERVAL_TREE_DEFINE(struct gring_claim, rb, u64, subtree_last,
		     gring_claim_start, gring_claim_last, static,
		     gring_claim_tree)

/**
 * struct gring_busy_span - one range of a claim
 * @start: first byte
 * @last: last byte (inclusive)
 * @write: the job writes it
 */
struct gring_busy_span {
	u64 start;
	u64 last;
	bool write;
};

/**
 * struct gring_busy_range - the bytes of a BO one job in flight touches
 * @node: in the BO's busy tree, spanning the first to the last byte
 * @fence: the job's finished fence (a reference)
 * @count: entries in @spans
 * @spans: the job's ranges of this BO: sorted, disjoint, not adjacent
 *
 * One node per job and BO, however many ranges the job has there: a
 * SUBMIT's cost per range stays constant (a binary search in the claims
 * it meets), and a job's claim is allocated, inserted and pruned whole.
 */
struct gring_busy_range {
	struct gring_claim node;
	struct dma_fence *fence;
	unsigned int count;
	struct gring_busy_span spans[] __counted_by(count);
};

static void gring_busy_range_free(struct gring_busy_range *br)
{
	if (br->fence)
		dma_fence_put(br->fence);
	kvfree(br);
}

static void gring_busy_remove(struct gring_gem_object *bo,
			      struct gring_busy_range *br)
{
	gring_claim_tree_remove(&br->node, &bo->busy);
	bo->nr_busy--;
	gring_busy_range_free(br);
}

/*
 * Does a span of @br overlap [@start, @last] (and, with @writers, is it
 * written)? A binary search for the first span ending at or after @start.
 */
static bool gring_busy_overlaps(const struct gring_busy_range *br, u64 start,
				u64 last, bool writers)
{
	unsigned int lo = 0, hi = br->count;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (br->spans[mid].last < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < br->count && br->spans[lo].start <= last; lo++)
		if (!writers || br->spans[lo].write)
			return true;
	return false;
}

/* Forget every busy range whose job is done; amortised by the caller. */
static void gring_busy_prune(struct gring_gem_object *bo)
{
	struct gring_claim *c, *next;

	for (c = gring_claim_tree_iter_first(&bo->busy, 0, U64_MAX); c;
	     c = next) {
		struct gring_busy_range *br =
			container_of(c, struct gring_busy_range, node);

		next = gring_claim_tree_iter_next(c, 0, U64_MAX);
		if (dma_fence_is_signaled(br->fence))
			gring_busy_remove(bo, br);
	}
	bo->prune_at = max_t(unsigned int, GRING_BUSY_PRUNE_MIN,
			     2 * bo->nr_busy);
}

/**
 * gring_busy_bo_init() - a new BO has no claims
 * @bo: the BO
 */
void gring_busy_bo_init(struct gring_gem_object *bo)
{
	bo->busy = RB_ROOT_CACHED;
	bo->holds = RB_ROOT_CACHED;
	bo->nr_busy = 0;
	bo->prune_at = GRING_BUSY_PRUNE_MIN;
}

/**
 * gring_busy_bo_fini() - forget a freed BO's busy ranges
 * @bo: the BO, with no reference left: no job and no hold uses it
 */
void gring_busy_bo_fini(struct gring_gem_object *bo)
{
	struct gring_claim *c;

	while ((c = gring_claim_tree_iter_first(&bo->busy, 0, U64_MAX)))
		gring_busy_remove(bo, container_of(c, struct gring_busy_range,
						   node));
	WARN_ON(!RB_EMPTY_ROOT(&bo->holds.rb_root));
}

/* Is @fence a job's of this device? Its schedulers run on the device's wq. */
static bool gring_busy_own_fence(struct gring_drm_device *gdev,
				 struct dma_fence *fence)
{
	struct drm_sched_fence *s_fence = to_drm_sched_fence(fence);

	return s_fence && s_fence->sched->submit_wq == gdev->wq;
}

/**
 * gring_busy_lock_job() - lock the reservations of every BO a job touches
 * @job: a job whose ranges are merged (so sorted by BO)
 * @l: filled in; gring_busy_unlock() releases it
 *
 * Each reservation gets room for the job's fence, so that publishing it
 * cannot fail.
 *
 * Return: 0 with every reservation locked, or -ENOMEM, -EINTR or
 * -ERESTARTSYS with none.
 */
int gring_busy_lock_job(struct gring_job *job, struct gring_busy_lock *l)
{
	unsigned int i;
	int ret;

	l->count = 0;
	l->objs = NULL;
	if (!job->nr_ranges)
		return 0;
	if (job->nr_ranges <= ARRAY_SIZE(l->few))
		l->objs = l->few;
	else
		l->objs = kvmalloc_array(job->nr_ranges, sizeof(*l->objs),
					 GFP_KERNEL);
	if (!l->objs)
		return -ENOMEM;
	for (i = 0; i < job->nr_ranges; i++) {
		struct drm_gem_object *obj = &job->ranges[i].bo->base;

		if (!l->count || l->objs[l->count - 1] != obj)
			l->objs[l->count++] = obj;
	}
	if (!l->count)
		return 0;

	ret = drm_gem_lock_reservations(l->objs, l->count, &l->ctx);
	if (ret)
		goto err_free;
	for (i = 0; i < l->count; i++) {
		ret = dma_resv_reserve_fences(l->objs[i]->resv, 1);
		if (ret)
			goto err_unlock;
	}
	return 0;

err_unlock:
	drm_gem_unlock_reservations(l->objs, l->count, &l->ctx);
err_free:
	if (l->objs != l->few)
		kvfree(l->objs);
	l->objs = NULL;
	l->count = 0;
	return ret;
}

/**
 * gring_busy_unlock() - drop what gring_busy_lock_job() took
 * @l: the locks; may be the zeroed state of a job without ranges
 */
void gring_busy_unlock(struct gring_busy_lock *l)
{
	if (l->count)
		drm_gem_unlock_reservations(l->objs, l->count, &l->ctx);
	/* A job without ranges has no array at all. */
	if (l->objs && l->objs != l->few)
		kvfree(l->objs);
	l->objs = NULL;
	l->count = 0;
}

/* Make @job wait for the other drivers' fences on @bo it conflicts with. */
static int gring_busy_foreign_deps(struct gring_job *job,
				   struct gring_gem_object *bo, bool write)
{
	struct gring_drm_device *gdev = job->queue->gdev;
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	int ret;

	dma_resv_for_each_fence(&cursor, bo->base.resv,
				dma_resv_usage_rw(write), fence) {
		if (gring_busy_own_fence(gdev, fence) ||
		    dma_fence_is_signaled(fence))
			continue;
		/* The scheduler takes its own reference. */
		ret = drm_sched_job_add_dependency(&job->base,
						   dma_fence_get(fence));
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Does the earlier job of @br touch any of @job's ranges @first..@end-1
 * (one BO's, sorted)? The smaller side is searched in the larger.
 */
static bool gring_busy_job_overlaps(struct gring_job *job, unsigned int first,
				    unsigned int end,
				    const struct gring_busy_range *br)
{
	unsigned int i;

	if (end - first <= br->count) {
		for (i = first; i < end; i++) {
			const struct gring_job_range *r = &job->ranges[i];

			if (gring_busy_overlaps(br, r->offset,
						r->offset + r->size - 1, false))
				return true;
		}
		return false;
	}
	for (i = 0; i < br->count; i++) {
		unsigned int lo = first, hi = end;

		while (lo < hi) {
			unsigned int mid = lo + (hi - lo) / 2;
			const struct gring_job_range *r = &job->ranges[mid];

			if (r->offset + r->size - 1 < br->spans[i].start)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < end && job->ranges[lo].offset <= br->spans[i].last)
			return true;
	}
	return false;
}

/*
 * Does a CPU hold overlap @job's ranges @first..@end-1 (one BO's)? Says in
 * @write whether any of them is written.
 */
static bool gring_busy_held(struct gring_job *job, unsigned int first,
			    unsigned int end, bool *write)
{
	struct gring_gem_object *bo = job->ranges[first].bo;
	unsigned int i;

	*write = false;
	for (i = first; i < end; i++) {
		const struct gring_job_range *r = &job->ranges[i];

		if (gring_claim_tree_iter_first(&bo->holds, r->offset,
						r->offset + r->size - 1))
			return true;
		*write |= r->write;
	}
	return false;
}

/*
 * Call @fn with the fence of each earlier job still running whose busy
 * ranges overlap @job's ranges @first..@end-1 (one BO's), pruning the
 * signalled ones met on the way, until @fn returns non-zero.
 */
static int gring_busy_each_pending(struct gring_job *job, unsigned int first,
				   unsigned int end,
				   int (*fn)(struct gring_job *job,
					     struct dma_fence *fence))
{
	struct gring_gem_object *bo = job->ranges[first].bo;
	u64 lo = job->ranges[first].offset;
	u64 hi = job->ranges[end - 1].offset + job->ranges[end - 1].size - 1;
	struct gring_claim *c, *next;
	int ret;

	for (c = gring_claim_tree_iter_first(&bo->busy, lo, hi); c; c = next) {
		struct gring_busy_range *br =
			container_of(c, struct gring_busy_range, node);

		next = gring_claim_tree_iter_next(c, lo, hi);
		if (dma_fence_is_signaled(br->fence)) {
			gring_busy_remove(bo, br);
			continue;
		}
		if (!gring_busy_job_overlaps(job, first, end, br))
			continue;
		ret = fn(job, br->fence);
		if (ret)
			return ret;
	}
	return 0;
}

/* Deduplicated per fence context by the scheduler. */
static int gring_busy_add_dep(struct gring_job *job, struct dma_fence *fence)
{
	return drm_sched_job_add_dependency(&job->base, dma_fence_get(fence));
}

/* The direct path's question: is there one at all? */
static int gring_busy_pending(struct gring_job *job, struct dma_fence *fence)
{
	return 1;
}

/* Check and collect dependencies for @job's ranges @first..@end-1 of @bo. */
static int gring_busy_check_bo(struct gring_job *job, unsigned int first,
			       unsigned int end)
{
	struct gring_gem_object *bo = job->ranges[first].bo;
	struct gring_busy_range *claim;
	bool write;
	int ret;

	dma_resv_assert_held(bo->base.resv);
	if (gring_busy_held(job, first, end, &write))
		return -EBUSY;

	ret = gring_busy_each_pending(job, first, end, gring_busy_add_dep) ?:
	      gring_busy_foreign_deps(job, bo, write);
	if (ret)
		return ret;

	claim = kvzalloc(struct_size(claim, spans, end - first),
			 GFP_KERNEL_ACCOUNT);
	if (!claim)
		return -ENOMEM;
	claim->count = end - first;
	job->ranges[first].busy = claim;
	return 0;
}

/*
 * Call @fn on each BO's run of a job's ranges (merged: sorted by BO, then
 * offset), [first, end), until one returns non-zero.
 */
static int gring_busy_each_bo(struct gring_job *job,
			      int (*fn)(struct gring_job *job,
					unsigned int first, unsigned int end))
{
	unsigned int first, end;
	int ret;

	for (first = 0; first < job->nr_ranges; first = end) {
		for (end = first + 1; end < job->nr_ranges &&
		     job->ranges[end].bo == job->ranges[first].bo; end++)
			;
		ret = fn(job, first, end);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * gring_busy_check_job() - check a job's ranges against CPU holds, and
 *	make it wait for what it must
 * @job: a job whose ranges are merged (sorted by BO, then offset), its BOs
 *	locked
 *
 * Collects the job's implicit dependencies: every earlier job whose busy
 * ranges overlap its own (any overlap orders the two, two readers
 * included: the engine owns bytes exclusively, one lease per byte), and
 * other drivers' fences in the BOs' reservations. Allocates the claims
 * gring_busy_publish_job() inserts, one per BO.
 *
 * Return: 0, -EBUSY if a range overlaps a CPU hold, or -ENOMEM (the
 * allocations stay with the job and go with it).
 */
int gring_busy_check_job(struct gring_job *job)
{
	return gring_busy_each_bo(job, gring_busy_check_bo);
}

/*
 * Could @job's ranges @first..@end-1 of one BO be handed to the engine
 * now? Not if an earlier job still touches them, or another driver's
 * fence the job would wait for has not signalled.
 */
static int gring_busy_bo_ready(struct gring_job *job, unsigned int first,
			       unsigned int end)
{
	struct gring_gem_object *bo = job->ranges[first].bo;
	struct gring_drm_device *gdev = job->queue->gdev;
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	bool write;

	dma_resv_assert_held(bo->base.resv);
	if (gring_busy_held(job, first, end, &write))
		return -EBUSY;
	if (gring_busy_each_pending(job, first, end, gring_busy_pending))
		return 1;

	dma_resv_for_each_fence(&cursor, bo->base.resv,
				dma_resv_usage_rw(write), fence) {
		if (!gring_busy_own_fence(gdev, fence) &&
		    !dma_fence_is_signaled(fence))
			return 1;
	}
	return 0;
}

/**
 * gring_busy_job_ready() - can a job's ranges go to the engine at once?
 * @job: a job whose ranges are merged (sorted by BO, then offset), its BOs
 *	locked (gring_busy_lock_job())
 *
 * The direct path's test: what gring_busy_check_job() would make the job
 * wait for, without making it wait. Frees the signalled busy ranges it
 * meets, allocates nothing, adds no dependency.
 *
 * Return: 0 if nothing the job touches is busy; 1 if an unsignalled
 * earlier job overlaps one of its ranges, or another driver's unsignalled
 * fence is in one of its BOs' reservations; -EBUSY if a range overlaps a
 * CPU hold (as gring_busy_check_job() says).
 */
int gring_busy_job_ready(struct gring_job *job)
{
	return gring_busy_each_bo(job, gring_busy_bo_ready);
}

/**
 * gring_busy_publish_fence() - give a direct job's fence to its BOs'
 *	reservations
 * @job: the job, checked by gring_busy_job_ready(), its BOs still locked
 * @fence: its fence, already signalled
 *
 * As gring_busy_publish_job() does for a scheduled job, a write where the
 * job writes, so the rest of the world sees the job the standard way. No
 * busy range: one whose fence has signalled claims nothing.
 *
 * Cannot fail: the fence slots were reserved.
 */
void gring_busy_publish_fence(struct gring_job *job, struct dma_fence *fence)
{
	bool write = false;
	unsigned int i;

	for (i = 0; i < job->nr_ranges; i++) {
		struct gring_job_range *r = &job->ranges[i];

		write |= r->write;
		if (i + 1 < job->nr_ranges && job->ranges[i + 1].bo == r->bo)
			continue;
		dma_resv_add_fence(r->bo->base.resv, fence,
				   write ? DMA_RESV_USAGE_WRITE :
					   DMA_RESV_USAGE_READ);
		write = false;
	}
}

/**
 * gring_busy_publish_job() - mark an armed job's ranges busy and give its
 *	fence to its BOs' reservations
 * @job: the job, checked by gring_busy_check_job(), its BOs still locked
 * @finished: its finished fence
 *
 * Cannot fail: the fence slots were reserved, the claims allocated.
 */
void gring_busy_publish_job(struct gring_job *job, struct dma_fence *finished)
{
	struct gring_busy_range *br = NULL;
	struct gring_gem_object *bo;
	bool write = false;
	unsigned int i, k = 0;

	for (i = 0; i < job->nr_ranges; i++) {
		struct gring_job_range *r = &job->ranges[i];

		if (r->busy) {
			br = r->busy;	/* the first range of a BO */
			r->busy = NULL;
			k = 0;
		}
		br->spans[k++] = (struct gring_busy_span){
			.start = r->offset,
			.last = r->offset + r->size - 1,
			.write = r->write,
		};
		write |= r->write;
		if (i + 1 < job->nr_ranges && job->ranges[i + 1].bo == r->bo)
			continue;

		/* The BO's last range: the claim is complete. */
		bo = r->bo;
		br->node.start = br->spans[0].start;
		br->node.last = br->spans[br->count - 1].last;
		br->fence = dma_fence_get(finished);
		if (bo->nr_busy >= bo->prune_at)
			gring_busy_prune(bo);
		gring_claim_tree_insert(&br->node, &bo->busy);
		bo->nr_busy++;
		dma_resv_add_fence(bo->base.resv, finished,
				   write ? DMA_RESV_USAGE_WRITE :
					   DMA_RESV_USAGE_READ);
		write = false;
	}
}

/**
 * gring_busy_range_discard() - free a claim a job never published
 * @r: the job's range (the first of its BO holds the claim)
 */
void gring_busy_range_discard(struct gring_job_range *r)
{
	if (r->busy)
		gring_busy_range_free(r->busy);
	r->busy = NULL;
}

/**
 * gring_busy_conflict() - what a CPU access to a BO range must wait for
 * @bo: the BO, its reservation locked
 * @offset: first byte
 * @size: bytes (non-zero)
 * @write: the CPU will write (else only read)
 *
 * Reading needs the writers gone; writing needs every job gone. Other
 * drivers' fences count for the whole BO.
 *
 * Return: an unsignalled fence to wait for, with a reference, or NULL.
 */
struct dma_fence *gring_busy_conflict(struct gring_gem_object *bo, u64 offset,
				      u64 size, bool write)
{
	struct gring_drm_device *gdev = to_gring_drm_device(bo->base.dev);
	u64 last = offset + size - 1;
	struct dma_resv_iter cursor;
	struct gring_claim *c, *next;
	struct dma_fence *fence;

	dma_resv_assert_held(bo->base.resv);
	for (c = gring_claim_tree_iter_first(&bo->busy, offset, last); c;
	     c = next) {
		struct gring_busy_range *br =
			container_of(c, struct gring_busy_range, node);

		next = gring_claim_tree_iter_next(c, offset, last);
		if (dma_fence_is_signaled(br->fence)) {
			gring_busy_remove(bo, br);
			continue;
		}
		if (gring_busy_overlaps(br, offset, last, !write))
			return dma_fence_get(br->fence);
	}
	dma_resv_for_each_fence(&cursor, bo->base.resv,
				dma_resv_usage_rw(write), fence) {
		if (!gring_busy_own_fence(gdev, fence) &&
		    !dma_fence_is_signaled(fence))
			return dma_fence_get(fence);
	}
	return NULL;
}

/**
 * gring_busy_hold_add() - give a BO range to the CPU
 * @bo: the BO, its reservation locked, with no conflicting job
 * @hold: the hold; @hold->node's range is filled in here
 * @offset: first byte
 * @size: bytes (non-zero)
 */
void gring_busy_hold_add(struct gring_gem_object *bo,
			 struct gring_cpu_hold *hold, u64 offset, u64 size)
{
	dma_resv_assert_held(bo->base.resv);
	hold->node.start = offset;
	hold->node.last = offset + size - 1;
	gring_claim_tree_insert(&hold->node, &bo->holds);
}

/**
 * gring_busy_hold_del() - take a hold off its BO
 * @hold: a hold gring_busy_hold_add() added, its BO's reservation locked
 */
void gring_busy_hold_del(struct gring_cpu_hold *hold)
{
	dma_resv_assert_held(hold->bo->base.resv);
	gring_claim_tree_remove(&hold->node, &hold->bo->holds);
}
