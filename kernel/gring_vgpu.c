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
#include "gring_vgpu.h"
#include "gring_virtio_pci.h"

/**
 * struct gring_vgpu - the virtio-gpu engine of one gring device
 * @vpci: the transport; reached only inside drm_dev_enter(), as it goes
 *	with the PCI function
 * @ids: device resource ids in use (from 1)
 * @resources: resources the device holds: created and not yet unref'd
 *	by an executed RESOURCE_UNREF
 * @sent: commands sent to the device
 * @completed: commands whose response came back
 * @errors: responses that were errors
 */
struct gring_vgpu {
	struct gring_vpci *vpci;
	struct ida ids;
	atomic_t resources;
	atomic64_t sent;
	atomic64_t completed;
	atomic64_t errors;
};

/**
 * struct gring_vgpu_res - one 2D resource of a file
 * @hw_id: the device's id for it
 * @format: VIRTIO_GPU_FORMAT_*
 * @width: pixels
 * @height: pixels
 * @backing: the attached BO (a reference), or NULL
 * @b_off: where the backing starts in @backing
 * @b_size: backing bytes
 */
struct gring_vgpu_res {
	u32 hw_id;
	u32 format;
	u32 width;
	u32 height;
	struct gring_gem_object *backing;
	u64 b_off;
	u64 b_size;
};

/**
 * struct gring_vgpu_cmd - one command of a job, as the device will get it
 * @chain: its request and response views on the controlq
 * @vjob: the job
 * @req: the request, encoded by the kernel
 * @req_len: bytes of @req
 * @resp_len: bytes of response the command expects
 * @resp_type: the OK response type the command expects
 * @slot: the ring slot it runs in
 * @resp_bo: the BO userspace asked the response to be copied to (a
 *	reference), or NULL
 * @resp_off: where in @resp_bo
 * @unref: the resource this command's RESOURCE_UNREF frees once executed
 * @put_bo: a backing this command detached, released once it is done
 * @len: bytes the device wrote
 * @status: 0, or the error the chain came back with
 */
struct gring_vgpu_cmd {
	struct gring_vpci_chain chain;
	struct gring_vgpu_job *vjob;
	u8 req[GRING_VGPU_REQ_MAX];
	u32 req_len;
	u32 resp_len;
	u32 resp_type;
	u32 slot;
	struct gring_gem_object *resp_bo;
	u64 resp_off;
	struct gring_vgpu_res *unref;
	struct gring_gem_object *put_bo;
	u32 len;
	int status;
};

/**
 * struct gring_vgpu_job - the virtio-gpu part of a job
 * @job: the job
 * @done_work: completes the job once every chain is back
 * @pending: chains not back yet
 * @start_ns: when the job was sent
 * @count: entries in @cmds
 * @cmds: its commands
 */
struct gring_vgpu_job {
	struct gring_job *job;
	struct work_struct done_work;
	atomic_t pending;
	u64 start_ns;
	u32 count;
	struct gring_vgpu_cmd cmds[] __counted_by(count);
};

static const u32 gring_vgpu_formats[] = {
	VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
	VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM, VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM,
	VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM, VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM,
	VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM, VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM,
};

/* Every 2D format is 4 bytes a pixel. */
#define GRING_VGPU_CPP	4

static void gring_vgpu_ida_destroy(struct drm_device *drm, void *ids)
{
	ida_destroy(ids);
}

/**
 * gring_vgpu_device_init() - give a gring device its virtio-gpu engine
 * @gdev: the device being created
 * @vpci: the transport of the PCI function it sits on
 *
 * Return: 0 or -ENOMEM.
 */
int gring_vgpu_device_init(struct gring_drm_device *gdev,
			   struct gring_vpci *vpci)
{
	struct gring_vgpu *vgpu;

	vgpu = drmm_kzalloc(&gdev->drm, sizeof(*vgpu), GFP_KERNEL);
	if (!vgpu)
		return -ENOMEM;
	vgpu->vpci = vpci;
	ida_init(&vgpu->ids);
	gdev->vgpu = vgpu;
	return drmm_add_action_or_reset(&gdev->drm, gring_vgpu_ida_destroy,
					&vgpu->ids);
}

/**
 * gring_vgpu_device_stop() - reset the device behind a gring device
 * @gdev: a device being removed
 *
 * Commands in flight complete with -ENODEV; nothing is sent afterwards.
 * A device without the engine is left alone.
 */
void gring_vgpu_device_stop(struct gring_drm_device *gdev)
{
	if (gdev->vgpu)
		gring_vpci_quiesce(gdev->vgpu->vpci, -ENODEV);
}

/**
 * gring_vgpu_file_init() - a new file has no resources
 * @gfile: the file's gring state
 */
void gring_vgpu_file_init(struct gring_file *gfile)
{
	mutex_init(&gfile->vgpu_lock);
	xa_init(&gfile->vgpu_res);
}

/* --- checking and encoding ------------------------------------------------ */

/*
 * What a resource looks like to the commands of one SUBMIT: the file's
 * state as the earlier commands of the same SUBMIT leave it. Nothing real
 * changes until the job is queued.
 */
struct gring_vgpu_shadow {
	u32 id;
	bool alive;
	bool created;		/* by this SUBMIT: @res is new */
	struct gring_vgpu_res *res;
	struct gring_gem_object *backing;
	u64 b_off;
	u64 b_size;
};

struct gring_vgpu_check {
	struct drm_file *file;
	struct gring_vgpu *vgpu;
	struct gring_file *gfile;
	u32 scanouts;
	u32 n;
	struct gring_vgpu_shadow shadow[DRM_GRING_VGPU_MAX_CMDS];
	/* Per command: the BOs it named, with references. */
	struct gring_gem_object *bo[DRM_GRING_VGPU_MAX_CMDS];
	struct gring_gem_object *resp[DRM_GRING_VGPU_MAX_CMDS];
	struct drm_gring_vgpu_cmd ucmd[DRM_GRING_VGPU_MAX_CMDS];
	u32 count;
	/* A TRANSFER's backing rows and a response's range, per command. */
	struct gring_job_range ranges[2 * DRM_GRING_VGPU_MAX_CMDS];
};

static struct gring_gem_object *gring_vgpu_bo(struct drm_file *file, u32 h)
{
	struct drm_gem_object *obj = h ? drm_gem_object_lookup(file, h) : NULL;

	return obj ? to_gring_gem_object(obj) : NULL;
}

static struct gring_vgpu_shadow *
gring_vgpu_shadow_find(struct gring_vgpu_check *c, u32 id)
{
	struct gring_vgpu_res *res;
	u32 i;

	for (i = 0; i < c->n; i++)
		if (c->shadow[i].id == id)
			return &c->shadow[i];
	res = xa_load(&c->gfile->vgpu_res, id);
	if (!res)
		return NULL;
	c->shadow[c->n] = (struct gring_vgpu_shadow){
		.id = id,
		.alive = true,
		.res = res,
		.backing = res->backing,
		.b_off = res->b_off,
		.b_size = res->b_size,
	};
	return &c->shadow[c->n++];
}

/* The resource @id as the commands so far leave it, or NULL. */
static struct gring_vgpu_shadow *
gring_vgpu_lookup(struct gring_vgpu_check *c, u32 id)
{
	struct gring_vgpu_shadow *sh = gring_vgpu_shadow_find(c, id);

	return sh && sh->alive ? sh : NULL;
}

static bool gring_vgpu_rect_ok(const struct drm_gring_vgpu_rect *r,
			       const struct gring_vgpu_res *res)
{
	u32 x_end, y_end;

	if (!r->width || !r->height ||
	    check_add_overflow(r->x, r->width, &x_end) ||
	    check_add_overflow(r->y, r->height, &y_end))
		return false;
	return x_end <= res->width && y_end <= res->height;
}

static bool gring_vgpu_rect_zero(const struct drm_gring_vgpu_rect *r)
{
	return !(r->x | r->y | r->width | r->height);
}

static void gring_vgpu_put_rect(struct virtio_gpu_rect *out,
				const struct drm_gring_vgpu_rect *r)
{
	out->x = cpu_to_le32(r->x);
	out->y = cpu_to_le32(r->y);
	out->width = cpu_to_le32(r->width);
	out->height = cpu_to_le32(r->height);
}

/* Which fields each command uses; every other one must be zero. */
#define F_RES		BIT(0)
#define F_SCANOUT	BIT(1)
#define F_CREATE	BIT(2)	/* format, width, height */
#define F_BO		BIT(3)	/* bo_handle, bo_size */
#define F_OFFSET	BIT(4)	/* bo_offset */
#define F_RECT		BIT(5)

static int gring_vgpu_unused_zero(const struct drm_gring_vgpu_cmd *u,
				  u32 used)
{
	if (u->flags)
		return -EINVAL;
	if (!(used & F_RES) && u->resource_id)
		return -EINVAL;
	if (!(used & F_SCANOUT) && u->scanout_id)
		return -EINVAL;
	if (!(used & F_CREATE) && (u->format | u->width | u->height))
		return -EINVAL;
	if (!(used & F_BO) && (u->bo_handle || u->bo_size))
		return -EINVAL;
	if (!(used & F_OFFSET) && u->bo_offset)
		return -EINVAL;
	if (!(used & F_RECT) && !gring_vgpu_rect_zero(&u->rect))
		return -EINVAL;
	return 0;
}

static u32 gring_vgpu_fields(u32 type)
{
	switch (type) {
	case DRM_GRING_VGPU_GET_DISPLAY_INFO:
		return 0;
	case DRM_GRING_VGPU_RESOURCE_CREATE_2D:
		return F_RES | F_CREATE;
	case DRM_GRING_VGPU_RESOURCE_UNREF:
	case DRM_GRING_VGPU_RESOURCE_DETACH_BACKING:
		return F_RES;
	case DRM_GRING_VGPU_SET_SCANOUT:
		return F_RES | F_SCANOUT | F_RECT;
	case DRM_GRING_VGPU_RESOURCE_FLUSH:
		return F_RES | F_RECT;
	case DRM_GRING_VGPU_TRANSFER_TO_HOST_2D:
		return F_RES | F_OFFSET | F_RECT;
	case DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING:
		return F_RES | F_BO | F_OFFSET;
	}
	return U32_MAX;
}

static bool gring_vgpu_format_ok(u32 format)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(gring_vgpu_formats); i++)
		if (gring_vgpu_formats[i] == format)
			return true;
	return false;
}

/* The resource's ids come from the device's IDA: only once queued. */
static int gring_vgpu_check_create(struct gring_vgpu_check *c,
				   const struct drm_gring_vgpu_cmd *u,
				   struct gring_vgpu_cmd *cmd)
{
	struct virtio_gpu_resource_create_2d *req = (void *)cmd->req;
	struct gring_vgpu_shadow *sh;
	struct gring_vgpu_res *res;
	int id, ret;

	if (!gring_vgpu_format_ok(u->format) ||
	    !u->width || u->width > DRM_GRING_VGPU_MAX_DIM ||
	    !u->height || u->height > DRM_GRING_VGPU_MAX_DIM)
		return -EINVAL;
	/*
	 * An id the file has is taken; one unref'd earlier in this SUBMIT
	 * is free again only from the next one on.
	 */
	sh = gring_vgpu_shadow_find(c, u->resource_id);
	if (sh)
		return sh->alive ? -EEXIST : -EBUSY;

	res = kzalloc(sizeof(*res), GFP_KERNEL_ACCOUNT);
	if (!res)
		return -ENOMEM;
	id = ida_alloc_min(&c->vgpu->ids, 1, GFP_KERNEL);
	if (id < 0) {
		kfree(res);
		return id;
	}
	/* The file's slot for it, so that queueing cannot fail for memory. */
	ret = xa_reserve(&c->gfile->vgpu_res, u->resource_id, GFP_KERNEL);
	if (ret) {
		ida_free(&c->vgpu->ids, id);
		kfree(res);
		return ret;
	}
	res->hw_id = id;
	res->format = u->format;
	res->width = u->width;
	res->height = u->height;
	sh = &c->shadow[c->n++];
	*sh = (struct gring_vgpu_shadow){
		.id = u->resource_id,
		.alive = true,
		.created = true,
		.res = res,
	};

	req->resource_id = cpu_to_le32(res->hw_id);
	req->format = cpu_to_le32(res->format);
	req->width = cpu_to_le32(res->width);
	req->height = cpu_to_le32(res->height);
	cmd->req_len = sizeof(*req);
	return 0;
}

static int gring_vgpu_check_attach(struct gring_vgpu_check *c,
				   const struct drm_gring_vgpu_cmd *u,
				   struct gring_gem_object *bo,
				   struct gring_vgpu_shadow *sh,
				   struct gring_vgpu_cmd *cmd)
{
	struct {
		struct virtio_gpu_resource_attach_backing hdr;
		struct virtio_gpu_mem_entry entry;
	} *req = (void *)cmd->req;
	struct gring_view view;
	u64 need, end;
	int ret;

	BUILD_BUG_ON(sizeof(*req) > GRING_VGPU_REQ_MAX);
	if (sh->backing)
		return -EBUSY;
	if (!bo)
		return -ENOENT;
	need = (u64)sh->res->width * sh->res->height * GRING_VGPU_CPP;
	if (!PAGE_ALIGNED(u->bo_offset) || u->bo_size < need ||
	    u->bo_size > U32_MAX ||
	    check_add_overflow(u->bo_offset, u->bo_size, &end) ||
	    end > bo->base.size)
		return -EINVAL;
	/* The backing's address is its view's DMA handle: one entry. */
	ret = gring_coherent_view(&bo->coh, u->bo_offset, u->bo_size, 0, &view);
	if (ret)
		return ret;
	sh->backing = bo;
	sh->b_off = u->bo_offset;
	sh->b_size = u->bo_size;

	req->hdr.resource_id = cpu_to_le32(sh->res->hw_id);
	req->hdr.nr_entries = cpu_to_le32(1);
	req->entry.addr = cpu_to_le64(gring_view_dma_handle(&view));
	req->entry.length = cpu_to_le32(u->bo_size);
	cmd->req_len = sizeof(*req);
	return 0;
}

static int gring_vgpu_check_transfer(const struct drm_gring_vgpu_cmd *u,
				     struct gring_vgpu_shadow *sh,
				     struct gring_vgpu_cmd *cmd,
				     struct gring_job_range *range)
{
	struct virtio_gpu_transfer_to_host_2d *req = (void *)cmd->req;
	u64 stride = (u64)sh->res->width * GRING_VGPU_CPP;
	u64 len, end;

	if (!gring_vgpu_rect_ok(&u->rect, sh->res) || !sh->backing)
		return -EINVAL;
	/* The device reads rect.height rows, stride apart, from offset. */
	len = (u64)(u->rect.height - 1) * stride +
	      (u64)u->rect.width * GRING_VGPU_CPP;
	if (check_add_overflow(u->bo_offset, len, &end) || end > sh->b_size)
		return -EINVAL;

	range->bo = sh->backing;
	range->offset = sh->b_off + u->bo_offset;
	range->size = len;
	range->write = false;

	gring_vgpu_put_rect(&req->r, &u->rect);
	req->offset = cpu_to_le64(u->bo_offset);
	req->resource_id = cpu_to_le32(sh->res->hw_id);
	cmd->req_len = sizeof(*req);
	return 0;
}

static int gring_vgpu_check_scanout(struct gring_vgpu_check *c,
				    const struct drm_gring_vgpu_cmd *u,
				    struct gring_vgpu_cmd *cmd)
{
	struct virtio_gpu_set_scanout *req = (void *)cmd->req;
	struct gring_vgpu_shadow *sh = NULL;

	if (u->scanout_id >= c->scanouts)
		return -EINVAL;
	if (u->resource_id) {
		sh = gring_vgpu_lookup(c, u->resource_id);
		if (!sh)
			return -ENOENT;
		if (!gring_vgpu_rect_ok(&u->rect, sh->res))
			return -EINVAL;
	} else if (!gring_vgpu_rect_zero(&u->rect)) {
		return -EINVAL;
	}
	gring_vgpu_put_rect(&req->r, &u->rect);
	req->scanout_id = cpu_to_le32(u->scanout_id);
	req->resource_id = cpu_to_le32(sh ? sh->res->hw_id : 0);
	cmd->req_len = sizeof(*req);
	return 0;
}

/*
 * Check command @i against the shadow state and encode its request. A
 * TRANSFER fills @range with the backing rows it reads; a response BO is
 * checked here, and its range added by the caller.
 */
static int gring_vgpu_check_one(struct gring_vgpu_check *c, u32 i,
				struct gring_vgpu_cmd *cmd,
				struct gring_job_range *range)
{
	const struct drm_gring_vgpu_cmd *u = &c->ucmd[i];
	struct virtio_gpu_ctrl_hdr *hdr = (void *)cmd->req;
	struct gring_vgpu_shadow *sh = NULL;
	u32 used = gring_vgpu_fields(u->type);
	int ret;

	if (used == U32_MAX)
		return -EINVAL;
	ret = gring_vgpu_unused_zero(u, used);
	if (ret)
		return ret;
	if ((used & F_RES) && !u->resource_id &&
	    u->type != DRM_GRING_VGPU_SET_SCANOUT)
		return -EINVAL;
	if (used & F_BO) {
		c->bo[i] = gring_vgpu_bo(c->file, u->bo_handle);
		if (!c->bo[i])
			return -ENOENT;
	}

	cmd->resp_len = sizeof(struct virtio_gpu_ctrl_hdr);
	cmd->resp_type = VIRTIO_GPU_RESP_OK_NODATA;
	cmd->req_len = sizeof(*hdr);

	switch (u->type) {
	case DRM_GRING_VGPU_GET_DISPLAY_INFO:
		cmd->resp_len = sizeof(struct virtio_gpu_resp_display_info);
		cmd->resp_type = VIRTIO_GPU_RESP_OK_DISPLAY_INFO;
		break;
	case DRM_GRING_VGPU_RESOURCE_CREATE_2D:
		ret = gring_vgpu_check_create(c, u, cmd);
		break;
	case DRM_GRING_VGPU_SET_SCANOUT:
		ret = gring_vgpu_check_scanout(c, u, cmd);
		break;
	default:
		sh = gring_vgpu_lookup(c, u->resource_id);
		if (!sh)
			return -ENOENT;
		break;
	}
	if (ret)
		return ret;

	switch (u->type) {
	case DRM_GRING_VGPU_RESOURCE_UNREF: {
		struct virtio_gpu_resource_unref *req = (void *)cmd->req;

		req->resource_id = cpu_to_le32(sh->res->hw_id);
		cmd->req_len = sizeof(*req);
		/* The device drops the backing with the resource. */
		sh->alive = false;
		sh->backing = NULL;
		break;
	}
	case DRM_GRING_VGPU_RESOURCE_DETACH_BACKING: {
		struct virtio_gpu_resource_detach_backing *req =
			(void *)cmd->req;

		if (!sh->backing)
			return -EINVAL;
		req->resource_id = cpu_to_le32(sh->res->hw_id);
		cmd->req_len = sizeof(*req);
		sh->backing = NULL;
		break;
	}
	case DRM_GRING_VGPU_RESOURCE_FLUSH: {
		struct virtio_gpu_resource_flush *req = (void *)cmd->req;

		if (!gring_vgpu_rect_ok(&u->rect, sh->res))
			return -EINVAL;
		gring_vgpu_put_rect(&req->r, &u->rect);
		req->resource_id = cpu_to_le32(sh->res->hw_id);
		cmd->req_len = sizeof(*req);
		break;
	}
	case DRM_GRING_VGPU_TRANSFER_TO_HOST_2D:
		ret = gring_vgpu_check_transfer(u, sh, cmd, range);
		break;
	case DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING:
		ret = gring_vgpu_check_attach(c, u, c->bo[i], sh, cmd);
		break;
	}
	if (ret)
		return ret;
	hdr->type = cpu_to_le32(u->type);
	return 0;
}

/* A response BO must have room for the whole response, 8-aligned. */
static int gring_vgpu_check_resp(struct gring_vgpu_check *c, u32 i,
				 struct gring_vgpu_cmd *cmd)
{
	const struct drm_gring_vgpu_cmd *u = &c->ucmd[i];
	struct gring_gem_object *resp;

	if (!u->resp_handle)
		return u->resp_offset ? -EINVAL : 0;
	resp = gring_vgpu_bo(c->file, u->resp_handle);
	if (!resp)
		return -ENOENT;
	c->resp[i] = resp;
	if (!IS_ALIGNED(u->resp_offset, 8) ||
	    (u64)u->resp_offset + cmd->resp_len > resp->base.size)
		return -EINVAL;
	cmd->resp_off = u->resp_offset;
	return 0;
}

/* --- running ---------------------------------------------------------------- */

static struct gring_vgpu_job *to_vjob(struct gring_job *job)
{
	return job->engine_data;
}

/* Called under the controlq's lock, maybe in its interrupt handler. */
static void gring_vgpu_chain_done(struct gring_vpci_chain *chain, u32 len,
				  int status)
{
	struct gring_vgpu_cmd *cmd = container_of(chain, struct gring_vgpu_cmd,
						  chain);
	struct gring_vgpu_job *vjob = cmd->vjob;

	cmd->len = len;
	cmd->status = status;
	if (atomic_dec_and_test(&vjob->pending))
		queue_work(vjob->job->queue->engine_wq, &vjob->done_work);
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

static void gring_vgpu_job_done(struct work_struct *work)
{
	struct gring_vgpu_job *vjob = container_of(work, struct gring_vgpu_job,
						   done_work);
	struct gring_job *job = vjob->job;
	struct gring_queue *q = job->queue;
	struct gring_vgpu *vgpu = q->gdev->vgpu;
	int err = 0, ret, idx;
	u32 i;

	if (!drm_dev_enter(&q->gdev->drm, &idx)) {
		gring_queue_job_lost(q, job);
		return;
	}
	/* The device is done with the job's ranges: the CPU's again. */
	gring_job_take_ranges(job);
	for (i = 0; i < vjob->count; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];
		struct gring_view req, resp;

		ret = gring_vgpu_slot_views(q, cmd->slot, cmd->req_len,
					    cmd->resp_len, &req, &resp);
		if (!ret)
			ret = gring_vgpu_response(vgpu, q, cmd, &resp);
		if (ret && !err)
			err = ret;
		/* An error response is copied too: it says what went wrong. */
		if (cmd->resp_bo && !cmd->status && cmd->len)
			gring_vgpu_copy_resp(cmd, &resp);
		if (cmd->unref && !cmd->status) {
			ida_free(&vgpu->ids, cmd->unref->hw_id);
			atomic_dec(&vgpu->resources);
			kfree(cmd->unref);
			cmd->unref = NULL;
		}
	}
	spin_lock(&q->lock);
	for (i = 0; i < vjob->count; i++)
		__clear_bit(vjob->cmds[i].slot, q->vgpu_slots);
	spin_unlock(&q->lock);
	gring_queue_job_done(q, job, err, ktime_get_ns() - vjob->start_ns);
	drm_dev_exit(idx);
}

/* The engine's side of run_job, on the queue's ordered workqueue. */
static void gring_vgpu_job_start(struct work_struct *work)
{
	struct gring_job *job = container_of(work, struct gring_job, work);
	struct gring_vgpu_job *vjob = to_vjob(job);
	struct gring_queue *q = job->queue;
	struct gring_vgpu *vgpu = q->gdev->vgpu;
	LIST_HEAD(chains);
	int err, idx;
	u32 i;

	if (READ_ONCE(q->gdev->engine_stopped) ||
	    !drm_dev_enter(&q->gdev->drm, &idx)) {
		gring_queue_job_lost(q, job);
		return;
	}
	trace_gring_job_start(q->name, job->seqno);
	vjob->start_ns = ktime_get_ns();
	/* A job whose in-fence failed is not sent; it completes with that. */
	err = job->base.s_fence->finished.error;
	if (!err)
		err = gring_job_give_ranges(job);
	if (err)
		goto out_done;

	/* The credits guarantee a free slot for each command. */
	spin_lock(&q->lock);
	for (i = 0; i < vjob->count; i++) {
		vjob->cmds[i].slot = find_first_zero_bit(q->vgpu_slots,
							 DRM_GRING_VGPU_MAX_CMDS);
		if (WARN_ON(vjob->cmds[i].slot >= DRM_GRING_VGPU_MAX_CMDS)) {
			err = -EIO;
			break;
		}
		__set_bit(vjob->cmds[i].slot, q->vgpu_slots);
	}
	spin_unlock(&q->lock);
	if (err)
		goto out_slots;

	for (i = 0; i < vjob->count && !err; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];

		err = gring_vgpu_slot_views(q, cmd->slot, cmd->req_len,
					    cmd->resp_len, &cmd->chain.out,
					    &cmd->chain.in) ?:
		      gring_view_write(&cmd->chain.out, 0, cmd->req,
				       cmd->req_len);
		cmd->chain.done = gring_vgpu_chain_done;
		list_add_tail(&cmd->chain.link, &chains);
	}
	if (err)
		goto out_slots;
	atomic_set(&vjob->pending, vjob->count);
	err = gring_vpci_send(vgpu->vpci, &chains);
	if (err)
		goto out_slots;
	atomic64_add(vjob->count, &vgpu->sent);
	drm_dev_exit(idx);
	return;

out_slots:
	spin_lock(&q->lock);
	for (i = 0; i < vjob->count; i++)
		if (vjob->cmds[i].slot < DRM_GRING_VGPU_MAX_CMDS)
			__clear_bit(vjob->cmds[i].slot, q->vgpu_slots);
	spin_unlock(&q->lock);
out_done:
	/*
	 * Nothing reached the device: an UNREF in the job did not run, so
	 * its device id stays taken (gring_vgpu_job_free()).
	 */
	gring_queue_job_done(q, job, err, 0);
	drm_dev_exit(idx);
}

/**
 * gring_vgpu_job_timedout() - a virtio-gpu job hung
 * @job: the job the scheduler gave up on
 *
 * The device cannot cancel a command, so it is reset for good: its
 * commands in flight complete with -ETIMEDOUT, and the device with them.
 */
void gring_vgpu_job_timedout(struct gring_job *job)
{
	struct gring_queue *q = job->queue;
	int idx;

	if (!drm_dev_enter(&q->gdev->drm, &idx))
		return;
	drm_err(&q->gdev->drm, "%s: job %llu hung; resetting the device\n",
		q->name, job->seqno);
	gring_vpci_quiesce(q->gdev->vgpu->vpci, -ETIMEDOUT);
	drm_dev_exit(idx);
}

/**
 * gring_vgpu_job_free() - release what a virtio-gpu job held
 * @job: the job, done or never run
 */
void gring_vgpu_job_free(struct gring_job *job)
{
	struct gring_vgpu_job *vjob = to_vjob(job);
	u32 i;

	if (!vjob)
		return;
	for (i = 0; i < vjob->count; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];

		if (cmd->resp_bo)
			drm_gem_object_put(&cmd->resp_bo->base);
		if (cmd->put_bo)
			drm_gem_object_put(&cmd->put_bo->base);
		/*
		 * The UNREF never ran (or failed): the device may still hold
		 * the resource, so its id stays taken; the file forgot it.
		 */
		kfree(cmd->unref);
	}
	kfree(vjob);
	job->engine_data = NULL;
}

/* --- SUBMIT ------------------------------------------------------------------- */

static void gring_vgpu_check_fini(struct gring_vgpu_check *c)
{
	u32 i;

	for (i = 0; i < c->count; i++) {
		if (c->bo[i])
			drm_gem_object_put(&c->bo[i]->base);
		if (c->resp[i])
			drm_gem_object_put(&c->resp[i]->base);
	}
	/* Resources this SUBMIT would have created. */
	for (i = 0; i < c->n; i++) {
		if (c->shadow[i].created && c->shadow[i].res) {
			xa_release(&c->gfile->vgpu_res, c->shadow[i].id);
			ida_free(&c->vgpu->ids, c->shadow[i].res->hw_id);
			kfree(c->shadow[i].res);
		}
	}
}

/*
 * Apply the commands to the file's real resources, in order, now that the
 * job is queued. The shadows already proved every step valid.
 */
static void gring_vgpu_commit(struct gring_vgpu_check *c,
			      struct gring_vgpu_job *vjob)
{
	struct gring_vgpu_res *res;
	u32 i;

	for (i = 0; i < c->count; i++) {
		const struct drm_gring_vgpu_cmd *u = &c->ucmd[i];
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];
		u32 k;

		switch (u->type) {
		case DRM_GRING_VGPU_RESOURCE_CREATE_2D:
			for (k = 0; k < c->n; k++)
				if (c->shadow[k].id == u->resource_id &&
				    c->shadow[k].created)
					break;
			res = c->shadow[k].res;
			c->shadow[k].res = NULL;	/* the file's now */
			c->shadow[k].created = false;
			xa_store(&c->gfile->vgpu_res, u->resource_id, res,
				 GFP_KERNEL);
			atomic_inc(&c->vgpu->resources);
			break;
		case DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING:
			res = xa_load(&c->gfile->vgpu_res, u->resource_id);
			res->backing = c->bo[i];
			res->b_off = u->bo_offset;
			res->b_size = u->bo_size;
			c->bo[i] = NULL;		/* the resource's now */
			break;
		case DRM_GRING_VGPU_RESOURCE_DETACH_BACKING:
			res = xa_load(&c->gfile->vgpu_res, u->resource_id);
			cmd->put_bo = res->backing;	/* until it is done */
			res->backing = NULL;
			break;
		case DRM_GRING_VGPU_RESOURCE_UNREF:
			res = xa_erase(&c->gfile->vgpu_res, u->resource_id);
			cmd->put_bo = res->backing;
			res->backing = NULL;
			cmd->unref = res;
			break;
		}
	}
}

/**
 * gring_vgpu_submit() - SUBMIT on a virtio-gpu ring
 * @file: the submitting file
 * @q: its ring, of engine DRM_GRING_ENGINE_VIRTIO_GPU
 * @args: the ioctl's arguments, whose generic fields the caller checked
 * @seqno: set to the job's seqno on success
 *
 * Return: 0; -EINVAL for a bad command or field; -ENOENT for an unknown
 * BO, resource or syncobj; -EEXIST for a resource id the file has;
 * -EBUSY for an attach to a backed resource or a range the CPU holds;
 * -EFAULT; -ENOMEM; -ENODEV once the device is gone. Nothing changes on
 * failure.
 */
int gring_vgpu_submit(struct drm_file *file, struct gring_queue *q,
		      const struct drm_gring_submit *args, u64 *seqno)
{
	const u8 __user *ucmds = u64_to_user_ptr(args->cmds);
	struct gring_drm_device *gdev = q->gdev;
	struct gring_file *gfile = file->driver_priv;
	struct gring_out_sync out = {};
	struct gring_vgpu_job *vjob = NULL;
	struct gring_vgpu_check *c;
	struct gring_job *job = NULL;
	struct dma_fence *fence;
	unsigned int nr = 0, k;
	int ret, idx;
	u32 i;

	if (args->cmd_count > DRM_GRING_VGPU_MAX_CMDS)
		return -EINVAL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->file = file;
	c->vgpu = gdev->vgpu;
	c->gfile = gfile;

	for (i = 0; i < args->cmd_count; i++) {
		ret = copy_struct_from_user(&c->ucmd[i], sizeof(c->ucmd[i]),
					    ucmds + (size_t)i * args->cmd_size,
					    args->cmd_size);
		if (ret) {
			ret = ret == -E2BIG ? -EINVAL : ret;
			goto out_free;
		}
	}

	vjob = kzalloc(struct_size(vjob, cmds, args->cmd_count), GFP_KERNEL);
	if (!vjob) {
		ret = -ENOMEM;
		goto out_free;
	}
	vjob->count = args->cmd_count;
	INIT_WORK(&vjob->done_work, gring_vgpu_job_done);

	ret = gring_out_sync_prepare(file, args, &out);
	if (ret)
		goto out_free;

	/* The device's memory and transport are there only inside this. */
	if (!drm_dev_enter(&gdev->drm, &idx)) {
		ret = -ENODEV;
		goto out_fini;
	}
	c->scanouts = gring_vpci_num_scanouts(gdev->vgpu->vpci);

	mutex_lock(&gfile->vgpu_lock);
	for (i = 0; i < args->cmd_count; i++) {
		struct gring_vgpu_cmd *cmd = &vjob->cmds[i];

		/* Counted first, so gring_vgpu_check_fini() drops what is held. */
		c->count = i + 1;
		cmd->vjob = vjob;
		cmd->slot = DRM_GRING_VGPU_MAX_CMDS;
		ret = gring_vgpu_check_one(c, i, cmd, &c->ranges[nr]);
		if (!ret)
			ret = gring_vgpu_check_resp(c, i, cmd);
		if (ret)
			goto out_unlock;
		if (c->ranges[nr].size)
			nr++;
		if (c->resp[i]) {
			c->ranges[nr++] = (struct gring_job_range){
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
	mutex_lock(&gdev->busy_lock);
	ret = gring_busy_check_job(gdev, job);
	if (ret) {
		mutex_unlock(&gdev->busy_lock);
		mutex_unlock(&q->submit_lock);
		goto out_unlock;
	}

	/* From here on nothing fails: the job is queued. */
	for (i = 0; i < args->cmd_count; i++) {
		vjob->cmds[i].resp_bo = c->resp[i];
		c->resp[i] = NULL;	/* the job's reference now */
	}
	gring_vgpu_commit(c, vjob);
	mutex_unlock(&gfile->vgpu_lock);
	vjob->job = job;
	job->engine_data = vjob;
	vjob = NULL;
	INIT_WORK(&job->work, gring_vgpu_job_start);
	*seqno = ++q->seqno;
	fence = gring_job_push(job, *seqno);
	mutex_unlock(&gdev->busy_lock);
	mutex_unlock(&q->submit_lock);
	drm_dev_exit(idx);

	gring_out_sync_commit(&out, fence, args->out_sync_point);
	dma_fence_put(fence);
	goto out_fini;

out_unlock:
	mutex_unlock(&gfile->vgpu_lock);
	drm_dev_exit(idx);
	if (job)
		gring_job_abort(job);
out_fini:
	gring_out_sync_fini(&out);
	gring_vgpu_check_fini(c);
out_free:
	kfree(vjob);
	kfree(c);
	return ret;
}

/* --- files and debugfs ---------------------------------------------------------- */

/**
 * gring_vgpu_file_close() - give back a closing file's resources
 * @gdev: the device
 * @gfile: the file, whose rings are gone (so no job of it runs)
 *
 * Each resource left is unref'd on the device (which drops its backing),
 * then its backing BO released. Once the device is gone there is nothing
 * to tell it.
 */
void gring_vgpu_file_close(struct gring_drm_device *gdev,
			   struct gring_file *gfile)
{
	struct gring_vgpu_res *res;
	unsigned long id;
	int idx;
	bool live;

	if (!gdev->vgpu) {
		xa_destroy(&gfile->vgpu_res);
		return;
	}
	live = drm_dev_enter(&gdev->drm, &idx);
	xa_for_each(&gfile->vgpu_res, id, res) {
		xa_erase(&gfile->vgpu_res, id);
		/*
		 * Whatever the answer -- OK, an error for a resource whose
		 * creation the device refused, or none from a device reset
		 * for good -- the device holds no such resource afterwards.
		 */
		if (live)
			gring_vpci_resource_unref(gdev->vgpu->vpci,
						  res->hw_id);
		ida_free(&gdev->vgpu->ids, res->hw_id);
		atomic_dec(&gdev->vgpu->resources);
		if (res->backing)
			drm_gem_object_put(&res->backing->base);
		kfree(res);
	}
	if (live)
		drm_dev_exit(idx);
	xa_destroy(&gfile->vgpu_res);
	mutex_destroy(&gfile->vgpu_lock);
}

/**
 * gring_vgpu_queue_show() - a virtio-gpu ring for debugfs gring_rings
 * @q: the queue
 * @m: the debugfs file
 *
 * Context: inside drm_dev_enter().
 */
void gring_vgpu_queue_show(struct gring_queue *q, struct seq_file *m)
{
	u64 completed, faults, timeouts;
	u32 used;

	spin_lock(&q->lock);
	completed = q->completed;
	faults = q->faults;
	timeouts = q->timeouts;
	used = bitmap_weight(q->vgpu_slots, DRM_GRING_VGPU_MAX_CMDS);
	spin_unlock(&q->lock);
	seq_printf(m, "%s: ring id %u, engine virtio-gpu, slots %u of %u in use\n",
		   q->name, q->id, used, DRM_GRING_VGPU_MAX_CMDS);
	seq_printf(m, "  seqno submitted %llu completed %llu\n", q->seqno,
		   completed);
	seq_printf(m, "  jobs failed %llu timed out %llu\n", faults, timeouts);
	seq_puts(m, "  controlq:\n");
	gring_vpci_controlq_show(q->gdev->vgpu->vpci, m);
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
