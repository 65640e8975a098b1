// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the virtio-gpu engine.
 *
 * A ring of engine DRM_GRING_ENGINE_VIRTIO_GPU takes struct
 * drm_gring_vgpu_cmd: virtio-gpu 2D control commands that name memory by
 * BO handle and offset and resources by the file's own ids. SUBMIT checks
 * every command against the file's resources (as the earlier commands of
 * the same SUBMIT leave them) and encodes the device's request itself,
 * device resource ids and guest addresses included; userspace never
 * writes a byte the device reads as a request.
 *
 * The ring's memory is one coherent BO of DRM_GRING_VGPU_MAX_CMDS command
 * slots: a request view and a response view each. The scheduler gives
 * each job as many credits as it has commands, so a job that runs always
 * finds free slots. Running a job hands its buffer ranges to the device
 * (the backing rows a TRANSFER_TO_HOST_2D reads, the BO range a response
 * is copied to), writes each request into a free slot and sends one chain
 * per command down the controlq (gring_vpci_send()): request view out,
 * response view in, each leased to the device by the virtqueue until it
 * comes back. When the last chain of a job is back, the responses are
 * read from their now CPU-owned views; an error response fails the job's
 * fence, and requested responses are copied to userspace's BO.
 *
 * Resources: the file's id -> struct gring_vgpu_res, which holds the
 * device's id (unique on the device, from an IDA) and a reference to the
 * backing BO. A device id is given back only when the device has
 * executed the RESOURCE_UNREF, so another file's RESOURCE_CREATE_2D
 * cannot reach the device before it. A backing BO is released only when
 * the job that detached it is done.
 */

#include <linux/dma-fence.h>
#include <linux/idr.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <uapi/linux/virtio_gpu.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"
#include "gring_job_trace.h"
#include "gring_ring.h"
#include "gring_vgpu_priv.h"

static struct lock_class_key gring_vgpu_ids_key;

static void gring_vgpu_ida_destroy(struct drm_device *drm, void *ids)
{
	ida_destroy(ids);
}

/**
 * gring_vgpu_device_init() - give a gring device its virtio-gpu engine
 * @gdev: the device being created
 * @vpci: the transport of the PCI function it sits on
 *
 * Return: 0, -ENOMEM or the scheduler's error.
 */
int gring_vgpu_device_init(struct gring_drm_device *gdev,
			   struct gring_vpci *vpci)
{
	struct gring_vgpu *vgpu;
	int ret;

	vgpu = drmm_kzalloc(&gdev->drm, sizeof(*vgpu), GFP_KERNEL);
	if (!vgpu)
		return -ENOMEM;
	vgpu->vpci = vpci;
	/*
	 * Device ids are taken at SUBMIT and given back by a resource's
	 * release work. The IDA's lock keeps a class of its own, apart
	 * from every xarray initialised in this file, as when ids were
	 * given back in the interrupt handler.
	 */
	spin_lock_init(&vgpu->res_lock);
	INIT_LIST_HEAD(&vgpu->res_list);
	ida_init(&vgpu->ids);
	lockdep_set_class(&vgpu->ids.xa.xa_lock, &gring_vgpu_ids_key);
	gdev->vgpu = vgpu;
	ret = drmm_add_action_or_reset(&gdev->drm, gring_vgpu_ida_destroy,
				       &vgpu->ids);
	if (ret)
		return ret;
	return gring_engine_create(gdev, DRM_GRING_ENGINE_VIRTIO_GPU,
				   &gring_vgpu_engine_ops, vgpu);
}

/*
 * Remove: reset the device. Commands in flight complete with -ENODEV;
 * nothing is sent afterwards.
 */
static void gring_vgpu_stop(struct gring_engine *engine)
{
	struct gring_vgpu *vgpu = engine->priv;

	gring_vpci_quiesce(vgpu->vpci, -ENODEV);
}

/* --- running ---------------------------------------------------------------- */

static struct gring_vgpu_job *to_vjob(struct gring_job *job)
{
	return container_of(job, struct gring_vgpu_job, base);
}

/* A virtio-gpu command cannot be cancelled: give an emulated device long. */
static unsigned int gring_vgpu_timeout_ms(void)
{
	return GRING_VGPU_TIMEOUT_MS;
}

static struct gring_vgpu_queue *to_vgpu_queue(struct gring_queue *q)
{
	return container_of(q, struct gring_vgpu_queue, base);
}

/* A virtio-gpu ring's buffer: its command slots, nothing else. */
static int gring_vgpu_queue_init(struct gring_queue *q, u32 size)
{
	q->bo = gring_gem_create(q->gdev, DRM_GRING_VGPU_MAX_CMDS *
				 GRING_VGPU_SLOT_SIZE);
	return PTR_ERR_OR_ZERO(q->bo);
}

/* Slots come back with their chains: nothing to take back here. */
static void gring_vgpu_queue_fini(struct gring_queue *q)
{
}

/* What a response says: 0, or the error it reports. */
static int gring_vgpu_response(struct gring_vgpu *vgpu,
			       struct gring_queue *q, struct gring_vgpu_cmd *cmd,
			       struct gring_view *resp)
{
	struct virtio_gpu_ctrl_hdr hdr;
	u32 type;
	int ret;

	if (cmd->status)
		return cmd->status;
	if (cmd->len < sizeof(hdr))
		return -EIO;
	/* The chain is back: gring_vq_get_used() took the view back. */
	ret = gring_view_read(resp, 0, &hdr, sizeof(hdr));
	if (ret)
		return ret;
	atomic64_inc(&vgpu->completed);
	type = le32_to_cpu(hdr.type);
	if (type == cmd->resp_type && cmd->len >= cmd->resp_len)
		return 0;
	atomic64_inc(&vgpu->errors);
	drm_dbg_driver(&q->gdev->drm, "%s: command %#x: response %#x\n",
		       q->name, le32_to_cpu(((struct virtio_gpu_ctrl_hdr *)
					    cmd->req)->type), type);
	if (type == VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY)
		return -ENOMEM;
	if (type >= VIRTIO_GPU_RESP_ERR_UNSPEC)
		return -EINVAL;
	return -EIO;
}

/* A slot's request and response views in the ring's buffer. */
static int gring_vgpu_slot_views(struct gring_queue *q, u32 slot,
				 u32 req_len, u32 resp_len,
				 struct gring_view *req, struct gring_view *resp)
{
	size_t base = (size_t)slot * GRING_VGPU_SLOT_SIZE;

	return gring_coherent_view(&q->bo->coh, base, req_len, 8, req) ?:
	       gring_coherent_view(&q->bo->coh, base + GRING_VGPU_REQ_MAX,
				   resp_len, 8, resp);
}

/* Copy a response that came back to the BO range userspace named. */
static void gring_vgpu_copy_resp(struct gring_vgpu_cmd *cmd,
				 const struct gring_view *resp)
{
	struct virtio_gpu_resp_display_info buf;
	u32 len = min3(cmd->len, cmd->resp_len, (u32)sizeof(buf));
	struct gring_view dst;

	if (!gring_view_read(resp, 0, &buf, len) &&
	    !gring_coherent_view(&cmd->resp_bo->coh, cmd->resp_off, len, 0,
				 &dst))
		gring_view_write(&dst, 0, &buf, len);
}

/*
 * Before a job's fence signals, so that whoever saw the fence sees it
 * too: the resources its refused CREATEs would have made do not exist
 * (struct gring_vgpu_res @refused), and those its executed UNREFs ended
 * are gone from the device (@gone). The rest of what the commands did to
 * the file's table follows when the job is freed (gring_vgpu_cmd_done()),
 * which may be after a waiter has looked.
 */
static void gring_vgpu_mark_outcome(struct gring_vgpu_job *vjob)
{
	u32 i;

	for (i = 0; i < vjob->count; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];

		if (cmd->type == DRM_GRING_VGPU_RESOURCE_CREATE_2D &&
		    cmd->result)
			WRITE_ONCE(cmd->res->refused, true);
		else if (cmd->type == DRM_GRING_VGPU_RESOURCE_UNREF &&
			 !cmd->result)
			WRITE_ONCE(cmd->res->gone, true);
	}
}

/*
 * The last chain of a job came back: complete it. Called from the
 * transport's dequeue work (or a reset), in process context, outside the
 * controlq's lock; it must not sleep (struct gring_vpci_chain).
 *
 * Its BOs' memory is there without drm_dev_enter(): chains come back from
 * the device only while it runs, and remove resets it (completing the
 * chains in flight through here) before the memory is revoked.
 */
static void gring_vgpu_job_done(struct gring_vgpu_job *vjob)
{
	struct gring_job *job = &vjob->base;
	struct gring_queue *q = job->queue;
	struct gring_vgpu_queue *vq = to_vgpu_queue(q);
	struct gring_vgpu *vgpu = q->engine->priv;
	unsigned long flags;
	int err = 0, ret;
	ktime_t end;
	u32 i;

	/* The device is done with the job's ranges: the CPU's again. */
	gring_job_take_ranges(job);
	for (i = 0; i < vjob->count; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];

		if (cmd->local)
			continue;
		/* The response view is the chain's: the CPU's again now. */
		ret = gring_vgpu_response(vgpu, q, cmd, &cmd->chain.in);
		if (ret && !err)
			err = ret;
		/* What the resource does next follows this (job_fini). */
		cmd->result = ret;
		/* An error response is copied too: it says what went wrong. */
		if (cmd->resp_bo && !cmd->status && cmd->len)
			gring_vgpu_copy_resp(cmd, &cmd->chain.in);
	}
	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; i < vjob->count; i++)
		if (!vjob->cmds[i].local)
			__clear_bit(vjob->cmds[i].slot, vq->slots);
	spin_unlock_irqrestore(&q->lock, flags);
	gring_vgpu_mark_outcome(vjob);
	end = ktime_get();
	gring_job_done(job, err, ktime_to_ns(end) - vjob->start_ns, end);
}

/* The chain's done(): see gring_vgpu_job_done() for the context. */
static void gring_vgpu_chain_done(struct gring_vpci_chain *chain, u32 len,
				  int status)
{
	struct gring_vgpu_cmd *cmd = container_of(chain, struct gring_vgpu_cmd,
						  chain);
	struct gring_vgpu_job *vjob = cmd->vjob;

	cmd->len = len;
	cmd->status = status;
	if (atomic_dec_and_test(&vjob->pending))
		gring_vgpu_job_done(vjob);
}

/*
 * A job queued before a device reset may name resources the reset took
 * (gring_vgpu_forget()): it is not sent, and ends -ESTALE. UNREFs of such
 * resources are the exception: they only end what the device already
 * forgot, so they are done here, without it.
 */
static int gring_vgpu_job_stale(struct gring_vgpu_job *vjob)
{
	struct gring_vgpu_cmd *cmd;
	u32 i;

	for (i = 0; i < vjob->count; i++) {
		cmd = &vjob->cmds[i];
		if (cmd->res && READ_ONCE(cmd->res->lost) &&
		    cmd->type != DRM_GRING_VGPU_RESOURCE_UNREF)
			return -ESTALE;
	}
	for (i = 0; i < vjob->count; i++) {
		cmd = &vjob->cmds[i];
		if (cmd->res && READ_ONCE(cmd->res->lost)) {
			cmd->local = true;
			cmd->result = 0;
		}
	}
	return 0;
}

/*
 * run_job: send the job's commands to the device right here. Sending never
 * sleeps (chains without descriptors wait in the transport's backlog),
 * and the scheduler calls run_job in submission order.
 */
static struct dma_fence *gring_vgpu_run_job(struct drm_sched_job *sched_job)
{
	struct gring_job *job = to_gring_job(sched_job);
	struct dma_fence *fence = gring_job_run_begin(job);
	struct gring_vgpu_job *vjob = to_vjob(job);
	struct gring_queue *q = job->queue;
	struct gring_vgpu_queue *vq = to_vgpu_queue(q);
	struct gring_vgpu *vgpu = q->engine->priv;
	LIST_HEAD(chains);
	u32 i, nsend = 0;
	bool cookie;
	int err, idx;

	cookie = dma_fence_begin_signalling();
	vjob->start_ns = ktime_get_ns();
	if (READ_ONCE(q->engine->stopped) || !drm_dev_enter(&q->gdev->drm, &idx)) {
		gring_job_done(job, -ENODEV, 0, 0);
		goto out;
	}
	/* A job whose dependency failed is not sent; it ends -ECANCELED. */
	err = gring_job_deps_status(job) ?: gring_vgpu_job_stale(vjob);
	if (!err)
		err = gring_job_give_ranges(job);
	if (err)
		goto out_done;

	/* The credits guarantee a free slot for each command. */
	spin_lock_irq(&q->lock);
	for (i = 0; i < vjob->count; i++) {
		if (vjob->cmds[i].local)
			continue;
		vjob->cmds[i].slot = find_first_zero_bit(vq->slots,
							 DRM_GRING_VGPU_MAX_CMDS);
		if (WARN_ON(vjob->cmds[i].slot >= DRM_GRING_VGPU_MAX_CMDS)) {
			err = -EIO;
			break;
		}
		__set_bit(vjob->cmds[i].slot, vq->slots);
	}
	spin_unlock_irq(&q->lock);
	if (err)
		goto out_slots;

	for (i = 0; i < vjob->count && !err; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];

		if (cmd->local)
			continue;
		err = gring_vgpu_slot_views(q, cmd->slot, cmd->req_len,
					    cmd->resp_len, &cmd->chain.out,
					    &cmd->chain.in) ?:
		      gring_view_write(&cmd->chain.out, 0, cmd->req,
				       cmd->req_len);
		cmd->chain.done = gring_vgpu_chain_done;
		list_add_tail(&cmd->chain.link, &chains);
		nsend++;
	}
	if (err)
		goto out_slots;
	/* Only UNREFs of lost resources: done, with nothing to send. */
	if (!nsend)
		goto out_done;
	atomic_set(&vjob->pending, nsend);
	err = gring_vpci_send(vgpu->vpci, &chains);
	if (err)
		goto out_slots;
	atomic64_add(nsend, &vgpu->sent);
	drm_dev_exit(idx);
	goto out;

out_slots:
	spin_lock_irq(&q->lock);
	for (i = 0; i < vjob->count; i++)
		if (!vjob->cmds[i].local &&
		    vjob->cmds[i].slot < DRM_GRING_VGPU_MAX_CMDS)
			__clear_bit(vjob->cmds[i].slot, vq->slots);
	spin_unlock_irq(&q->lock);
out_done:
	/*
	 * Nothing reached the device (with @err 0: nothing had to). What
	 * the commands did not do is undone when the job is freed
	 * (gring_vgpu_job_fini()).
	 */
	gring_job_take_ranges(job);
	gring_vgpu_mark_outcome(vjob);
	gring_job_done(job, err, 0, 0);
	drm_dev_exit(idx);
out:
	dma_fence_end_signalling(cookie);
	return fence;
}

/*
 * Jobs of one virtio-gpu ring overlap on the device, but drm_sched does
 * not wait for a fence of the job's own entity. A later job touching
 * bytes an earlier job of the same ring touches (SUBMIT recorded that
 * dependency; the scheduler keeps the latest of each ring) waits here for
 * that job's hardware fence, which is of another context. The controlq
 * completes in order, so the latest such job done means all are.
 */
static struct dma_fence *gring_vgpu_prepare_job(struct drm_sched_job *sched_job,
						struct drm_sched_entity *entity)
{
	u64 finished_ctx = entity->fence_context + 1;
	struct dma_fence *dep;
	unsigned long index;

	xa_for_each(&sched_job->dependencies, index, dep) {
		struct drm_sched_fence *s_fence;
		struct dma_fence *hw;

		if (dep->context != finished_ctx || dma_fence_is_signaled(dep))
			continue;
		/* Run before this one: its parent is set. */
		s_fence = to_drm_sched_fence(dep);
		hw = s_fence ? s_fence->parent : NULL;
		if (hw && !dma_fence_is_signaled(hw))
			return dma_fence_get(hw);
	}
	return NULL;
}

/*
 * For a device reset: the device will hold no resource and show nothing.
 * Every resource there is now is lost, even one whose CREATE is still
 * queued: a job queued before the reset cannot be told from one that
 * builds on what the reset takes, so none of them is sent
 * (gring_vgpu_job_stale()). Scanouts are nobody's: the reset blanks
 * them. Returns how many resources the device held.
 */
static unsigned int gring_vgpu_forget(struct gring_vgpu *vgpu)
{
	struct gring_vgpu_res *res;
	unsigned int held = 0;
	u32 i;

	spin_lock(&vgpu->res_lock);
	list_for_each_entry(res, &vgpu->res_list, link) {
		if (!READ_ONCE(res->gone))
			held++;
		WRITE_ONCE(res->lost, true);
		WRITE_ONCE(res->gone, true);
	}
	spin_unlock(&vgpu->res_lock);
	for (i = 0; i < GRING_VGPU_MAX_SCANOUTS; i++)
		WRITE_ONCE(vgpu->scanout_owner[i], NULL);
	atomic_inc(&vgpu->resets);
	return held;
}

/*
 * The job really hung (gring_job_timedout() checked its fence): first
 * collect what the device already answered, as an interrupt may be
 * pending. A command cannot be cancelled: if the job is still not done,
 * the device is reset and set up again (gring_vpci_recover()). Every
 * command it had, the hung job's and those of jobs overlapping it,
 * completes with -ETIMEDOUT; the files learn that their resources are
 * gone from -ESTALE (struct gring_vgpu_res). If the device does not come
 * back, it is reset for good and every later job fails -ENODEV.
 */
static void gring_vgpu_reset(struct gring_job *job)
{
	struct gring_queue *q = job->queue;
	struct gring_vgpu *vgpu = q->engine->priv;
	unsigned int lost;
	int idx, err;

	if (!drm_dev_enter(&q->gdev->drm, &idx))
		return;
	gring_vpci_sync(vgpu->vpci);
	if (!dma_fence_is_signaled(job->hw_fence)) {
		drm_err_ratelimited(&q->gdev->drm,
				    "%s: job %llu hung; resetting the device\n",
				    q->name, job->seqno);
		/*
		 * Before the reset, while the scheduler is stopped: what a
		 * SUBMIT queues from here on runs on the new device.
		 */
		lost = gring_vgpu_forget(vgpu);
		err = gring_vpci_recover(vgpu->vpci, -ETIMEDOUT);
		if (err)
			drm_err(&q->gdev->drm,
				"device reset for good (%d): %u resources lost\n",
				err, lost);
		else
			drm_info(&q->gdev->drm,
				 "device reset and running again: %u resources lost\n",
				 lost);
	}
	drm_dev_exit(idx);
}

static enum drm_gpu_sched_stat
gring_vgpu_timedout_job(struct drm_sched_job *sched_job)
{
	return gring_job_timedout(sched_job, gring_vgpu_reset);
}

static const struct drm_sched_backend_ops gring_vgpu_sched_ops = {
	.prepare_job = gring_vgpu_prepare_job,
	.run_job = gring_vgpu_run_job,
	.timedout_job = gring_vgpu_timedout_job,
	.free_job = gring_job_free,
};

/*
 * Release what a virtio-gpu job held, done or never run: its resources
 * follow what the device made of each command (gring_vgpu_cmd_done()),
 * under the file's SUBMIT lock, as the file's table is changed there.
 */
static void gring_vgpu_job_fini(struct gring_job *job)
{
	struct gring_vgpu_job *vjob = to_vjob(job);
	struct gring_file *gfile = job->queue->gfile;
	u32 i;

	if (!vjob->cmds)
		return;
	mutex_lock(&gfile->vgpu_lock);
	for (i = 0; i < vjob->count; i++)
		gring_vgpu_cmd_done(gfile, &vjob->cmds[i]);
	mutex_unlock(&gfile->vgpu_lock);

	for (i = 0; i < vjob->count; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];

		if (cmd->resp_bo)
			drm_gem_object_put(&cmd->resp_bo->base);
		kfree(cmd->held);
		if (cmd->res)
			gring_vgpu_res_put(cmd->res);
	}
	kfree(vjob->cmds);
}

/* --- SUBMIT ------------------------------------------------------------------- */

/*
 * The checking state of a SUBMIT of @count commands, zeroed, in one
 * allocation: a job of three commands should not clear room for 32.
 */
static struct gring_vgpu_check *gring_vgpu_check_alloc(u32 count)
{
	struct gring_vgpu_check *c;
	size_t size = sizeof(*c);
	size_t o_shadow, o_bo, o_resp, o_ucmd, o_ranges;

	o_ucmd = size;
	size += count * sizeof(*c->ucmd);
	o_shadow = size;
	size += count * sizeof(*c->shadow);
	o_ranges = size;
	size += 2 * count * sizeof(*c->ranges);
	o_bo = size;
	size += count * sizeof(*c->bo);
	o_resp = size;
	size += count * sizeof(*c->resp);
	c = kzalloc(size, GFP_KERNEL);
	if (!c)
		return NULL;
	c->ucmd = (void *)c + o_ucmd;
	c->shadow = (void *)c + o_shadow;
	c->ranges = (void *)c + o_ranges;
	c->bo = (void *)c + o_bo;
	c->resp = (void *)c + o_resp;
	return c;
}

/*
 * SUBMIT on a virtio-gpu ring: each command is checked against the file's
 * resources as the earlier commands of the same SUBMIT leave them, under
 * the file's vgpu_lock, which is held until the job is pushed so that the
 * file's state changes in job order. Returns the errors of
 * gring_ioctl_submit(), plus -EEXIST for a resource id the file has,
 * -EBUSY for an attach to a backed resource and -ESTALE for a resource a
 * device reset took. Nothing changes on failure.
 */
static int gring_vgpu_submit(struct drm_file *file, struct gring_queue *q,
			     const struct drm_gring_submit *args, u64 *seqno)
{
	const u8 __user *ucmds = u64_to_user_ptr(args->cmds);
	struct gring_drm_device *gdev = q->gdev;
	struct gring_vgpu *vgpu = q->engine->priv;
	struct gring_file *gfile = file->driver_priv;
	struct gring_out_sync out = {};
	struct gring_vgpu_cmd *cmds = NULL;
	struct gring_busy_lock bl = {};
	struct gring_vgpu_job *vjob;
	struct gring_vgpu_check *c;
	struct gring_job *job = NULL;
	struct dma_fence *fence;
	unsigned int nr = 0, k;
	int ret, idx;
	u32 i;

	if (args->cmd_count > DRM_GRING_VGPU_MAX_CMDS)
		return -EINVAL;
	c = gring_vgpu_check_alloc(args->cmd_count);
	if (!c)
		return -ENOMEM;
	c->file = file;
	c->vgpu = vgpu;
	c->gfile = gfile;

	/* This kernel's own struct size: the whole array in one copy. */
	if (args->cmd_size == sizeof(*c->ucmd)) {
		if (copy_from_user(c->ucmd, ucmds,
				   (size_t)args->cmd_count * sizeof(*c->ucmd))) {
			ret = -EFAULT;
			goto out_free;
		}
	}
	for (i = 0; args->cmd_size != sizeof(*c->ucmd) &&
	     i < args->cmd_count; i++) {
		ret = copy_struct_from_user(&c->ucmd[i], sizeof(c->ucmd[i]),
					    ucmds + (size_t)i * args->cmd_size,
					    args->cmd_size);
		if (ret) {
			ret = ret == -E2BIG ? -EINVAL : ret;
			goto out_free;
		}
	}

	cmds = kcalloc(args->cmd_count, sizeof(*cmds), GFP_KERNEL_ACCOUNT);
	if (!cmds) {
		ret = -ENOMEM;
		goto out_free;
	}

	ret = gring_out_sync_prepare(file, args, &out);
	if (ret)
		goto out_free;

	/* The device's memory and transport are there only inside this. */
	if (!drm_dev_enter(&gdev->drm, &idx)) {
		ret = -ENODEV;
		goto out_fini;
	}
	c->scanouts = gring_vpci_num_scanouts(vgpu->vpci);

	mutex_lock(&gfile->vgpu_lock);
	for (i = 0; i < args->cmd_count; i++) {
		struct gring_vgpu_cmd *cmd = &cmds[i];

		/* Counted first, so gring_vgpu_check_fini() drops what is held. */
		c->count = i + 1;
		cmd->slot = DRM_GRING_VGPU_MAX_CMDS;
		ret = gring_vgpu_check_one(c, i, cmd, &c->ranges[nr]);
		if (!ret)
			ret = gring_vgpu_check_resp(c, i, cmd);
		if (ret)
			goto out_unlock;
		if (c->ranges[nr].size)
			nr++;
		if (c->resp[i]) {
			c->ranges[nr++] = (struct gring_vgpu_range){
				.bo = c->resp[i],
				.offset = cmd->resp_off,
				.size = cmd->resp_len,
				.write = true,
			};
		}
	}

	job = gring_job_alloc(q, nr, args->cmd_count, file);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		job = NULL;
		goto out_unlock;
	}
	vjob = to_vjob(job);
	for (k = 0; k < nr; k++) {
		job->ranges[k].bo = c->ranges[k].bo;
		drm_gem_object_get(&c->ranges[k].bo->base);
		job->ranges[k].offset = c->ranges[k].offset;
		job->ranges[k].size = c->ranges[k].size;
		job->ranges[k].write = c->ranges[k].write;
	}
	gring_job_merge_ranges(job);
	ret = gring_submit_in_syncs(file, args, job);
	if (ret)
		goto out_unlock;

	mutex_lock(&q->submit_lock);
	ret = gring_busy_lock_job(job, &bl);
	if (ret)
		goto out_unlock_submit;
	ret = gring_busy_check_job(job);
	if (ret)
		goto out_unlock_busy;

	/* From here on nothing fails: the job is queued. */
	for (i = 0; i < args->cmd_count; i++) {
		cmds[i].vjob = vjob;
		cmds[i].resp_bo = c->resp[i];
		c->resp[i] = NULL;	/* the job's reference now */
	}
	vjob->cmds = cmds;
	vjob->count = args->cmd_count;
	cmds = NULL;
	gring_vgpu_commit(c, vjob);
	mutex_unlock(&gfile->vgpu_lock);
	fence = gring_job_push(job);
	*seqno = q->seqno;
	gring_busy_unlock(&bl);
	mutex_unlock(&q->submit_lock);
	drm_dev_exit(idx);

	gring_out_sync_commit(&out, fence, args->out_sync_point);
	dma_fence_put(fence);
	goto out_fini;

out_unlock_busy:
	gring_busy_unlock(&bl);
out_unlock_submit:
	mutex_unlock(&q->submit_lock);
out_unlock:
	mutex_unlock(&gfile->vgpu_lock);
	drm_dev_exit(idx);
	if (job)
		gring_job_abort(job);
out_fini:
	gring_out_sync_fini(&out);
	gring_vgpu_check_fini(c);
out_free:
	for (i = 0; cmds && i < args->cmd_count; i++)
		kfree(cmds[i].held);
	kfree(cmds);
	kfree(c);
	return ret;
}

/* --- files and debugfs ---------------------------------------------------------- */

/**
 * gring_vgpu_file_close() - give back a closing file's resources
 * @gdev: the device
 * @gfile: the file, whose rings and jobs are all gone
 *
 * The table's references go; each resource is released (unref'd on the
 * device, its id and backings given back) once nothing names it. The
 * file's scanouts are nobody's any more.
 */
void gring_vgpu_file_close(struct gring_drm_device *gdev,
			   struct gring_file *gfile)
{
	struct gring_vgpu_res *res;
	unsigned long id;
	u32 i;

	if (gdev->vgpu) {
		xa_for_each(&gfile->vgpu_res, id, res) {
			xa_erase(&gfile->vgpu_res, id);
			gring_vgpu_res_put(res);
		}
		for (i = 0; i < GRING_VGPU_MAX_SCANOUTS; i++)
			cmpxchg(&gdev->vgpu->scanout_owner[i], gfile, NULL);
	}
	xa_destroy(&gfile->vgpu_res);
	mutex_destroy(&gfile->vgpu_lock);
}

/* A virtio-gpu ring for debugfs gring_rings, inside drm_dev_enter(). */
static void gring_vgpu_queue_show(struct gring_queue *q, struct seq_file *m)
{
	struct gring_vgpu *vgpu = q->engine->priv;
	u64 completed, faults, timeouts;
	u32 used;

	spin_lock_irq(&q->lock);
	completed = q->completed;
	faults = q->faults;
	timeouts = q->timeouts;
	used = bitmap_weight(to_vgpu_queue(q)->slots, DRM_GRING_VGPU_MAX_CMDS);
	spin_unlock_irq(&q->lock);
	seq_printf(m, "%s: ring id %u, engine virtio-gpu, slots %u of %u in use\n",
		   q->name, READ_ONCE(q->id), used, DRM_GRING_VGPU_MAX_CMDS);
	seq_printf(m, "  seqno submitted %llu completed %llu\n", q->seqno,
		   completed);
	seq_printf(m, "  jobs failed %llu timed out %llu\n", faults, timeouts);
	seq_puts(m, "  controlq:\n");
	gring_vpci_controlq_show(vgpu->vpci, m);
}

/* RING_QUERY: no ring of gring's own (see the uapi), only the seqno. */
static void gring_vgpu_query(struct gring_queue *q,
			     struct gring_ring_state *st)
{
	*st = (struct gring_ring_state){ .seqno = READ_ONCE(q->completed) };
}

/* Nodes are only added, and freed after the resource left the list. */
static unsigned int gring_vgpu_held_count(struct gring_vgpu_res *res)
{
	struct llist_node *n;
	unsigned int count = 0;

	llist_for_each(n, READ_ONCE(res->held.first))
		count++;
	return count;
}

/*
 * Every resource whose id is taken: its device id, size, references (the
 * file's table and queued commands), backing, and whether the device
 * still holds it. Ids and counts only, never an address.
 */
static void gring_vgpu_resources_show(struct gring_vgpu *vgpu,
				      struct seq_file *m)
{
	struct gring_vgpu_res *res;
	u32 i;

	spin_lock(&vgpu->res_lock);
	list_for_each_entry(res, &vgpu->res_list, link)
		seq_printf(m, "  resource %u: %ux%u refs %u backing %s, BOs held %u%s\n",
			   res->hw_id, res->width, res->height,
			   kref_read(&res->ref),
			   res->backing ? "attached" : "none",
			   gring_vgpu_held_count(res),
			   READ_ONCE(res->lost) ? ", lost in a reset" :
			   READ_ONCE(res->gone) ? ", gone from the device" : "");
	spin_unlock(&vgpu->res_lock);
	for (i = 0; i < GRING_VGPU_MAX_SCANOUTS; i++)
		if (READ_ONCE(vgpu->scanout_owner[i]))
			seq_printf(m, "  scanout %u: owned by a file\n", i);
}

/**
 * gring_vgpu_debugfs_show() - debugfs gring_vgpu: the engine's counts
 * @m: the debugfs file (a struct drm_debugfs_entry's)
 * @data: unused
 *
 * Return: 0.
 */
int gring_vgpu_debugfs_show(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct gring_drm_device *gdev = to_gring_drm_device(entry->dev);
	struct gring_vgpu *vgpu = gdev->vgpu;
	int idx;

	if (!vgpu)
		return 0;
	seq_printf(m, "resources %d\n", atomic_read(&vgpu->resources));
	seq_printf(m, "resets %d\n", atomic_read(&vgpu->resets));
	gring_vgpu_resources_show(vgpu, m);
	seq_printf(m, "commands sent %lld completed %lld errors %lld\n",
		   (s64)atomic64_read(&vgpu->sent),
		   (s64)atomic64_read(&vgpu->completed),
		   (s64)atomic64_read(&vgpu->errors));
	if (drm_dev_enter(&gdev->drm, &idx)) {
		gring_vpci_controlq_show(vgpu->vpci, m);
		drm_dev_exit(idx);
	}
	return 0;
}

/*
 * The virtio-gpu engine.
 * One hardware queue, the device's controlq: jobs overlap on it, with
 * one credit per command so that a job that runs finds a free slot in
 * its ring (each ring has DRM_GRING_VGPU_MAX_CMDS).
 */
const struct gring_engine_ops gring_vgpu_engine_ops = {
	.name = "virtio-gpu",
	.sched_ops = &gring_vgpu_sched_ops,
	.nr_scheds = 1,
	.credit_limit = DRM_GRING_VGPU_MAX_CMDS,
	.timeout_ms = gring_vgpu_timeout_ms,
	.queue_size = sizeof(struct gring_vgpu_queue),
	.job_size = sizeof(struct gring_vgpu_job),
	.queue_init = gring_vgpu_queue_init,
	.queue_fini = gring_vgpu_queue_fini,
	.submit = gring_vgpu_submit,
	.query = gring_vgpu_query,
	.show = gring_vgpu_queue_show,
	.job_fini = gring_vgpu_job_fini,
	.stop = gring_vgpu_stop,
};
