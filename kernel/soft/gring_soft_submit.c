// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: SUBMIT on a soft-engine ring -- commands copied from userspace
 * once, checked, encoded straight into the ring, then pushed to the
 * scheduler or, on the direct path, executed before SUBMIT returns (see
 * gring_soft.c for the two paths). It allocates nothing per job in the
 * common case: the ring keeps a job's memory (gring_job_alloc_bare()) and
 * a scratch for larger command arrays.
 */

#include <linux/dma-fence.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "gring_cmd.h"
#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_soft_priv.h"

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

/*
 * Where an injected fault points: page-aligned, far above any memory, so
 * the engine's table has no mapping for it and a 64-bit access does not
 * wrap.
 */
#define GRING_FAULT_DMA		((dma_addr_t)~0ull << 12)

/*
 * What SUBMIT keeps of one command that names a buffer: the references,
 * and the ranges gring_cmd_check() found. Commands that name none (NOP,
 * STALL) need nothing beyond their copy in the array userspace's commands
 * were copied to, so they get no entry and the passes over the commands
 * write nothing for them.
 */
struct gring_soft_cmd {
	struct drm_gem_object *dst;
	struct drm_gem_object *src;
	struct gring_cmd_range dst_range;
	struct gring_cmd_range src_range;
};

/*
 * Does @cmd name a buffer, so that it has a struct gring_soft_cmd? The
 * check and encode passes must agree on it: the entries are matched to
 * commands in order.
 */
static bool gring_soft_names_bo(const struct drm_gring_cmd *cmd)
{
	return cmd->dst_handle || cmd->src_handle;
}

/* Commands a small job keeps on SUBMIT's stack. */
#define GRING_SOFT_FEW_CMDS	2

/*
 * SUBMIT's scratch for a job too big for the stack: the entries of its
 * commands that name buffers, and userspace's array they are checked from
 * (@raw, @cap entries after @cmds). A queue keeps the last one SUBMIT
 * used (struct gring_soft_queue's @scratch) when it holds at most
 * GRING_SOFT_SCRATCH_KEEP commands, so a client that sends batches
 * allocates nothing per SUBMIT and holds little when idle.
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
 * commands (@raw, @count of them, checked) and the entries of those that
 * name buffers (@bufs, @nr_bufs, in command order): how many of their
 * ranges touch a buffer (@nr_ranges), and what the direct path's bounds
 * ask (@bulk_bytes copied or filled, whether a STALL @stalls).
 */
struct gring_soft_submit {
	const struct drm_gring_cmd *raw;
	u32 count;
	struct gring_soft_cmd *bufs;
	u32 nr_bufs;
	unsigned int nr_ranges;
	u32 words;
	u64 bulk_bytes;
	bool stalls;
	struct gring_out_sync out;
	struct gring_soft_scratch *scratch;
	struct gring_soft_cmd few[GRING_SOFT_FEW_CMDS];
	struct drm_gring_cmd few_raw[GRING_SOFT_FEW_CMDS];
};

static void gring_soft_submit_fini(struct gring_soft_queue *q,
				   struct gring_soft_submit *s)
{
	u32 i;

	for (i = 0; i < s->nr_bufs; i++) {
		if (s->bufs[i].dst)
			drm_gem_object_put(s->bufs[i].dst);
		if (s->bufs[i].src)
			drm_gem_object_put(s->bufs[i].src);
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
	/* The ranges of a command without buffers: none, never read. */
	struct gring_cmd_range no_dst, no_src;
	struct drm_gring_cmd *raw;
	u32 i;
	int ret;

	/* A small job's commands stay on the stack. */
	if (args->cmd_count <= GRING_SOFT_FEW_CMDS) {
		s->bufs = s->few;
		raw = s->few_raw;
	} else {
		s->scratch = gring_soft_scratch_get(q, args->cmd_count);
		if (!s->scratch)
			return -ENOMEM;
		s->bufs = s->scratch->cmds;
		raw = s->scratch->raw;
	}
	s->raw = raw;

	/*
	 * This kernel's own struct size: the whole array in one copy. One
	 * command (the common small job) is a copy of constant size, which
	 * hardened usercopy checks when the module is built, not per call.
	 */
	if (same_size && args->cmd_count == 1) {
		if (copy_from_user(raw, ucmds, sizeof(*raw)))
			return -EFAULT;
	} else if (same_size &&
		   copy_from_user(raw, ucmds, array_size(args->cmd_count,
							 sizeof(*raw)))) {
		return -EFAULT;
	}

	for (i = 0; i < args->cmd_count; i++) {
		const struct drm_gring_cmd *cmd = &raw[i];
		struct gring_soft_cmd *c;

		/*
		 * A larger struct from newer userspace is accepted when its
		 * extra bytes are zero, a smaller one is zero-extended.
		 */
		if (!same_size) {
			ret = copy_struct_from_user(&raw[i], sizeof(raw[i]),
						    ucmds + (size_t)i *
						    args->cmd_size,
						    args->cmd_size);
			if (ret)
				return ret == -E2BIG ? -EINVAL : ret;
		}
		s->count = i + 1;

		if (!gring_soft_names_bo(cmd)) {
			/* It returns the command's ring words. */
			ret = gring_cmd_check(cmd, 0, 0, &no_dst, &no_src);
			if (ret < 0)
				return ret;
			s->words += ret;
			s->stalls |= cmd->op == DRM_GRING_OP_STALL;
			continue;
		}

		/* Counted first, so gring_soft_submit_fini() drops what is held. */
		c = &s->bufs[s->nr_bufs++];
		c->dst = NULL;
		c->src = NULL;
		ret = gring_soft_lookup(file, cmd->dst_handle, &c->dst);
		if (!ret)
			ret = gring_soft_lookup(file, cmd->src_handle, &c->src);
		if (ret)
			return ret;

		ret = gring_cmd_check(cmd, c->dst ? c->dst->size : 0,
				      c->src ? c->src->size : 0,
				      &c->dst_range, &c->src_range);
		if (ret < 0)
			return ret;
		s->words += ret;

		s->nr_ranges += !!c->dst_range.size + !!c->src_range.size;
		if (cmd->op == DRM_GRING_OP_COPY || cmd->op == DRM_GRING_OP_FILL)
			s->bulk_bytes += cmd->size;
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

	for (i = 0; s->nr_ranges && i < s->nr_bufs; i++) {
		struct gring_soft_cmd *c = &s->bufs[i];

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
	/*
	 * Out here: a kernel built to zero every local (Debian's is) would
	 * clear them once per command inside the loop.
	 */
	struct gring_view dst, src;
	u32 i, b = 0, w = 0;
	int ret;

	for (i = 0; i < s->count; i++) {
		const struct drm_gring_cmd *cmd = &s->raw[i];
		dma_addr_t dst_dma = 0, src_dma = 0;
		struct gring_soft_cmd *c;

		if (!gring_soft_names_bo(cmd)) {
			w += gring_cmd_encode(cmd, 0, 0, out + w);
			continue;
		}
		c = &s->bufs[b++];
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
		w += gring_cmd_encode(cmd, dst_dma, src_dma, out + w);
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
	long left = 0;	/* the wait's budget: set when it first waits */
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
		if (!left)
			left = msecs_to_jiffies(2 * gring_job_timeout_ms());
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

/**
 * gring_soft_submit() - SUBMIT on a soft-engine ring
 * @file: the submitting file
 * @base: the ring
 * @args: the SUBMIT, its shared fields checked by gring_ioctl_submit()
 * @seqno: out, the job's seqno
 *
 * The order: copy and check everything,
 * allocate everything, decide whether the job can take the direct path,
 * (scheduled only: make it a scheduler job and collect its in-fences),
 * reserve ring room (may wait, holding no BO lock), lock the BOs'
 * reservations, check CPU holds and collect implicit dependencies (direct:
 * check that there are none and that the ring is idle, else start again
 * the scheduled way), write and commit the commands, push or execute.
 * Nothing changes before the push; nothing fails after the commit.
 *
 * Return: 0, or the errors of struct drm_gring_submit in the uapi.
 */
int gring_soft_submit(struct drm_file *file, struct gring_queue *base,
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
