// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the ring uapi -- RING_CREATE, RING_DESTROY, SUBMIT, RING_QUERY.
 *
 * As everywhere in gring's ioctls, every field is checked before anything
 * changes, and outputs are written only once nothing can fail any more.
 * SUBMIT in particular changes nothing -- no ring bytes, no seqno, no
 * syncobj -- unless the job is queued.
 */

#include <linux/dma-fence-chain.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

#include "gring_cmd.h"
#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_vgpu.h"

/* FENCE: [hdr] [seqno's DMA handle] [seqno]. */
#define GRING_FENCE_WORDS	3

/*
 * Where an injected fault points: page-aligned, far above any memory, so
 * the engine's table has no mapping for it and a 64-bit access does not
 * wrap.
 */
#define GRING_FAULT_DMA		((dma_addr_t)~0ull << 12)

/**
 * gring_ioctl_ring_create() - DRM_IOCTL_GRING_RING_CREATE
 * @drm: the gring DRM device
 * @data: a struct drm_gring_ring_create
 * @file: the caller's DRM file, which will own the ring
 *
 * Return: 0 with @data->ring_id and @data->size set; -EINVAL for an
 * unknown engine, non-zero flags or extensions, or a bad size; -ENODEV
 * for an engine this device does not have; -ENOMEM,
 * -ENOSPC (the device's pinned-memory cap), or another error from
 * allocating the ring's buffer or scheduler.
 */
int gring_ioctl_ring_create(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(drm);
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_ring_create *args = data;
	u32 size = args->size ?: DRM_GRING_RING_SIZE_DEFAULT;
	struct gring_queue *q;
	int ret, idx;
	u32 id;

	if (args->engine > DRM_GRING_ENGINE_VIRTIO_GPU || args->flags ||
	    args->extensions)
		return -EINVAL;
	if (args->engine == DRM_GRING_ENGINE_VIRTIO_GPU) {
		/* Its ring is the device's virtqueue: no size to choose. */
		if (args->size)
			return -EINVAL;
		size = 0;
	} else if (!is_power_of_2(size) || size < DRM_GRING_RING_SIZE_MIN ||
		   size > DRM_GRING_RING_SIZE_MAX) {
		return -EINVAL;
	}
	if (!(gdev->engines & BIT(args->engine)))
		return -ENODEV;

	/* Allocating device memory: only while the device is there. */
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	q = gring_queue_create(gdev, gfile, args->engine, size);
	drm_dev_exit(idx);
	if (IS_ERR(q))
		return PTR_ERR(q);

	/* Ids start at 1, so that 0 never names a ring. */
	ret = xa_alloc(&gfile->queues, &id, q, XA_LIMIT(1, INT_MAX),
		       GFP_KERNEL);
	if (ret) {
		gring_queue_put(q);
		return ret;
	}
	q->id = id;

	args->ring_id = id;
	args->size = size;
	return 0;
}

/**
 * gring_ioctl_ring_destroy() - DRM_IOCTL_GRING_RING_DESTROY
 * @drm: the gring DRM device
 * @data: a struct drm_gring_ring_destroy
 * @file: the caller's DRM file
 *
 * Waits for the ring's jobs to complete (or time out).
 *
 * Return: 0; -EINVAL for non-zero flags; -ENOENT for an unknown ring.
 */
int gring_ioctl_ring_destroy(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_ring_destroy *args = data;
	struct gring_queue *q;

	if (args->flags)
		return -EINVAL;

	q = xa_erase(&gfile->queues, args->ring_id);
	if (!q)
		return -ENOENT;
	gring_queue_put(q);
	return 0;
}

/* One command, as checked, with the references its buffers hold. */
struct gring_submit_cmd {
	struct drm_gring_cmd cmd;
	struct drm_gem_object *dst;
	struct drm_gem_object *src;
	struct gring_cmd_range dst_range;
	struct gring_cmd_range src_range;
};

/* Everything SUBMIT gathers before it touches the ring. */
struct gring_submit {
	struct gring_submit_cmd *cmds;
	u32 count;
	unsigned int nr_ranges;
	u32 words;
	struct gring_out_sync out;
};

static void gring_submit_fini(struct gring_submit *s)
{
	u32 i;

	for (i = 0; i < s->count; i++) {
		if (s->cmds[i].dst)
			drm_gem_object_put(s->cmds[i].dst);
		if (s->cmds[i].src)
			drm_gem_object_put(s->cmds[i].src);
	}
	kvfree(s->cmds);
	gring_out_sync_fini(&s->out);
}

/* A non-zero handle must name a BO of @file. */
static int gring_submit_lookup(struct drm_file *file, u32 handle,
			       struct drm_gem_object **obj)
{
	if (!handle)
		return 0;
	*obj = drm_gem_object_lookup(file, handle);
	return *obj ? 0 : -ENOENT;
}

/* Copy and check every command; count ranges and ring words. */
static int gring_submit_cmds(struct drm_file *file,
			     const struct drm_gring_submit *args,
			     struct gring_submit *s)
{
	const u8 __user *ucmds = u64_to_user_ptr(args->cmds);
	bool same_size = args->cmd_size == sizeof(struct drm_gring_cmd);
	struct drm_gring_cmd *raw = NULL;
	u32 i;
	int ret;

	s->cmds = kvcalloc(args->cmd_count, sizeof(*s->cmds),
			   GFP_KERNEL_ACCOUNT);
	if (!s->cmds)
		return -ENOMEM;

	/* This kernel's own struct size: the whole array in one copy. */
	if (same_size) {
		raw = vmemdup_array_user(ucmds, args->cmd_count, sizeof(*raw));
		if (IS_ERR(raw))
			return PTR_ERR(raw);
	}

	for (i = 0; i < args->cmd_count; i++) {
		struct gring_submit_cmd *c = &s->cmds[i];

		/* Counted first, so gring_submit_fini() drops what is held. */
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

		ret = gring_submit_lookup(file, c->cmd.dst_handle, &c->dst);
		if (!ret)
			ret = gring_submit_lookup(file, c->cmd.src_handle,
						  &c->src);
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

/**
 * gring_submit_in_syncs() - make a job wait for SUBMIT's in-syncobjs
 * @file: the submitting file
 * @args: the SUBMIT, whose @in_sync_count the caller bounded
 * @job: the job, not yet armed
 *
 * Return: 0; -EFAULT; -EINVAL for non-zero flags or handle 0; -ENOENT
 * for an unknown syncobj (or point); -ENOMEM.
 */
int gring_submit_in_syncs(struct drm_file *file,
			  const struct drm_gring_submit *args,
			  struct gring_job *job)
{
	struct drm_gring_sync __user *usyncs = u64_to_user_ptr(args->in_syncs);
	u32 i;
	int ret;

	for (i = 0; i < args->in_sync_count; i++) {
		struct drm_gring_sync sync;

		if (copy_from_user(&sync, &usyncs[i], sizeof(sync)))
			return -EFAULT;
		if (sync.flags || !sync.handle)
			return -EINVAL;
		ret = drm_sched_job_add_syncobj_dependency(&job->base, file,
							   sync.handle,
							   sync.point);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * gring_out_sync_prepare() - look up SUBMIT's out-syncobj before queueing
 * @file: the submitting file
 * @args: the SUBMIT
 * @out: filled in; gring_out_sync_fini() releases it
 *
 * Return: 0; -EINVAL for a point without a syncobj; -ENOENT; -ENOMEM.
 */
int gring_out_sync_prepare(struct drm_file *file,
			   const struct drm_gring_submit *args,
			   struct gring_out_sync *out)
{
	if (!args->out_sync)
		return args->out_sync_point ? -EINVAL : 0;

	out->syncobj = drm_syncobj_find(file, args->out_sync);
	if (!out->syncobj)
		return -ENOENT;
	if (args->out_sync_point) {
		out->chain = dma_fence_chain_alloc();
		if (!out->chain)
			return -ENOMEM;
	}
	return 0;
}

/**
 * gring_out_sync_commit() - give the out-syncobj a queued job's fence
 * @out: from gring_out_sync_prepare(); its timeline link is used up
 * @fence: the job's finished fence
 * @point: the timeline point, or 0 to replace a binary syncobj's fence
 */
void gring_out_sync_commit(struct gring_out_sync *out, struct dma_fence *fence,
			   u64 point)
{
	if (!out->syncobj)
		return;
	if (out->chain) {
		drm_syncobj_add_point(out->syncobj, out->chain, fence, point);
		out->chain = NULL;
	} else {
		drm_syncobj_replace_fence(out->syncobj, fence);
	}
}

/**
 * gring_out_sync_fini() - release what gring_out_sync_prepare() took
 * @out: the out-syncobj state
 */
void gring_out_sync_fini(struct gring_out_sync *out)
{
	dma_fence_chain_free(out->chain);
	out->chain = NULL;
	if (out->syncobj)
		drm_syncobj_put(out->syncobj);
	out->syncobj = NULL;
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
 */
void gring_job_merge_ranges(struct gring_job *job)
{
	unsigned int i, n = 0;

	if (!job->nr_ranges)
		return;
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
			continue;
		}
		job->ranges[++n] = *r;
	}
	job->nr_ranges = n + 1;
}

/* Move the ranges (and their references) into the job. */
static void gring_submit_fill_ranges(struct gring_submit *s,
				     struct gring_job *job)
{
	unsigned int n = 0;
	u32 i;

	for (i = 0; i < s->count; i++) {
		struct gring_submit_cmd *c = &s->cmds[i];
		const struct {
			struct drm_gem_object **obj;
			struct gring_cmd_range *range;
		} sides[] = {
			{ &c->dst, &c->dst_range },
			{ &c->src, &c->src_range },
		};
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(sides); k++) {
			struct gring_job_range *r;

			if (!sides[k].range->size)
				continue;
			r = &job->ranges[n++];
			/* The job takes its own reference. */
			drm_gem_object_get(*sides[k].obj);
			r->bo = to_gring_gem_object(*sides[k].obj);
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
static int gring_submit_encode(struct gring_queue *q, struct gring_submit *s,
			       u64 seqno, __le64 *out)
{
	bool inject = atomic_add_unless(&q->gdev->inject_faults, -1, 0);
	u32 i, w = 0;
	int ret;

	for (i = 0; i < s->count; i++) {
		struct gring_submit_cmd *c = &s->cmds[i];
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
 * when the ring is full. Returns with @q->submit_lock held on success.
 */
static int gring_submit_reserve(struct gring_queue *q, u32 len, bool nonblock,
				struct gring_ring_reservation *res)
{
	long left = msecs_to_jiffies(2 * gring_job_timeout_ms());
	int ret;

	for (;;) {
		int seen = atomic_read(&q->retired);

		mutex_lock(&q->submit_lock);
		ret = gring_ring_reserve(&q->ring, len, res);
		if (ret != -EAGAIN)
			break;
		mutex_unlock(&q->submit_lock);

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
		mutex_unlock(&q->submit_lock);
		return ret;
	}
	return 0;
}

/**
 * gring_ioctl_submit() - DRM_IOCTL_GRING_SUBMIT: queue a job on a ring
 * @drm: the gring DRM device
 * @data: a struct drm_gring_submit
 * @file: the caller's DRM file
 *
 * Return: 0 with @data->seqno set. -EINVAL for a bad field or command;
 * -ENOENT for an unknown ring, BO or syncobj; -EFAULT for unreadable
 * arrays; -E2BIG when the commands take more than half the ring; -EBUSY
 * when a command touches a range the CPU holds (CPU_PREP); -EAGAIN when
 * the ring is full and DRM_GRING_SUBMIT_NONBLOCK was given, -ETIMEDOUT
 * when it stayed full; -ERESTARTSYS on a signal; -ENOMEM. Nothing is
 * queued and nothing changes on failure.
 */
int gring_ioctl_submit(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(drm);
	struct gring_file *gfile = file->driver_priv;
	struct drm_gring_submit *args = data;
	struct gring_ring_reservation res;
	struct gring_submit s = {};
	struct dma_fence *fence;
	struct gring_queue *q;
	struct gring_job *job;
	__le64 *words = NULL;
	u64 seqno;
	int ret, idx;
	u32 len;

	if (args->flags & ~DRM_GRING_SUBMIT_FLAGS || args->extensions)
		return -EINVAL;
	if (!args->cmd_count || args->cmd_count > DRM_GRING_MAX_CMDS ||
	    !args->cmd_size || args->cmd_size > PAGE_SIZE ||
	    args->in_sync_count > DRM_GRING_MAX_IN_SYNCS)
		return -EINVAL;

	q = gring_queue_lookup(gfile, args->ring_id);
	if (!q)
		return -ENOENT;

	if (q->engine == DRM_GRING_ENGINE_VIRTIO_GPU) {
		ret = gring_vgpu_submit(file, q, args, &seqno);
		if (!ret)
			args->seqno = seqno;
		gring_queue_put(q);
		return ret;
	}

	ret = gring_submit_cmds(file, args, &s);
	if (ret)
		goto out_fini;
	ret = gring_out_sync_prepare(file, args, &s.out);
	if (ret)
		goto out_fini;

	len = s.words * GRING_SOFT_WORD;
	words = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!words) {
		ret = -ENOMEM;
		goto out_fini;
	}

	job = gring_job_alloc(q, s.nr_ranges, 1, file);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		goto out_fini;
	}
	gring_submit_fill_ranges(&s, job);
	ret = gring_submit_in_syncs(file, args, job);
	if (ret)
		goto out_abort;

	/* The ring's memory is there only while the device is. */
	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto out_abort;
	}
	ret = gring_submit_reserve(q, len,
				   args->flags & DRM_GRING_SUBMIT_NONBLOCK,
				   &res);
	if (ret)
		goto out_exit;

	mutex_lock(&gdev->busy_lock);
	ret = gring_busy_check_job(gdev, job);
	if (ret)
		goto out_unlock;

	seqno = q->seqno + 1;
	ret = gring_submit_encode(q, &s, seqno, words);
	if (!ret)
		ret = gring_view_write(&res.view, 0, words, len);
	if (!ret) {
		job->ring_offset = res.wptr;
		job->ring_bytes = res.pad + len;
		ret = gring_ring_commit(&q->ring, &res, &job->ring_lease);
	}
	if (ret)
		goto out_unlock;

	/* From here on nothing fails: the job is queued. */
	q->seqno = seqno;
	fence = gring_job_push(job, seqno);
	mutex_unlock(&gdev->busy_lock);
	mutex_unlock(&q->submit_lock);
	drm_dev_exit(idx);

	gring_out_sync_commit(&s.out, fence, args->out_sync_point);
	dma_fence_put(fence);
	args->seqno = seqno;
	goto out_fini;

out_unlock:
	mutex_unlock(&gdev->busy_lock);
	mutex_unlock(&q->submit_lock);
out_exit:
	drm_dev_exit(idx);
out_abort:
	gring_job_abort(job);
out_fini:
	kvfree(words);
	gring_submit_fini(&s);
	gring_queue_put(q);
	return ret;
}
