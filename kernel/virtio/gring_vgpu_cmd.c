// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the virtio-gpu engine's commands -- checking what userspace
 * sends and encoding what the device gets.
 *
 * A SUBMIT is checked against shadows of the file's resources: each
 * command sees them as the earlier commands of the same SUBMIT leave
 * them, and nothing real changes until the job is queued
 * (gring_vgpu_commit()). Every request is written by the kernel: device
 * resource ids come from the device's IDA, and a backing's address is the
 * DMA handle of its view; userspace's fields are only ever sizes,
 * offsets, handles and its own resource ids.
 */

#include <linux/llist.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <uapi/linux/virtio_gpu.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "gring_drv.h"
#include "gring_vgpu_priv.h"

static const u32 gring_vgpu_formats[] = {
	VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
	VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM, VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM,
	VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM, VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM,
	VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM, VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM,
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
	/*
	 * Its CREATE was refused and its job's fence has signalled, but the
	 * job's release, which takes it out of the table, may not have run:
	 * do that now, as userspace may reuse the id from the fence on.
	 */
	if (READ_ONCE(res->refused)) {
		WRITE_ONCE(res->gone, true);
		xa_erase(&c->gfile->vgpu_res, id);
		gring_vgpu_res_put(res);
		return NULL;
	}
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
	kref_init(&res->ref);		/* the file's table's, once queued */
	INIT_WORK(&res->release_work, gring_vgpu_res_release_work);
	INIT_LIST_HEAD(&res->link);
	init_llist_head(&res->held);
	res->vgpu = c->vgpu;
	res->hw_id = id;
	res->format = u->format;
	res->width = u->width;
	res->height = u->height;
	cmd->res = res;
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
				     struct gring_vgpu_range *range)
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

	void **owner;

	if (u->scanout_id >= c->scanouts ||
	    u->scanout_id >= GRING_VGPU_MAX_SCANOUTS)
		return -EINVAL;
	/*
	 * A scanout belongs to the file that set it until that file blanks
	 * it or closes: another file's SET_SCANOUT is -EBUSY. Claimed here,
	 * so that two files' SUBMITs cannot both pass; given back if this
	 * SUBMIT fails (gring_vgpu_check_fini()).
	 */
	owner = &c->vgpu->scanout_owner[u->scanout_id];
	if (!(c->claimed & BIT(u->scanout_id))) {
		void *old = cmpxchg(owner, NULL, c->gfile);

		if (old && old != c->gfile)
			return -EBUSY;
		if (!old)
			c->claimed |= BIT(u->scanout_id);
	}
	if (u->resource_id) {
		sh = gring_vgpu_lookup(c, u->resource_id);
		if (!sh)
			return -ENOENT;
		if (READ_ONCE(sh->res->lost))
			return -ESTALE;
		if (!gring_vgpu_rect_ok(&u->rect, sh->res))
			return -EINVAL;
		cmd->res = sh->res;
	} else if (!gring_vgpu_rect_zero(&u->rect)) {
		return -EINVAL;
	}
	gring_vgpu_put_rect(&req->r, &u->rect);
	req->scanout_id = cpu_to_le32(u->scanout_id);
	req->resource_id = cpu_to_le32(sh ? sh->res->hw_id : 0);
	cmd->req_len = sizeof(*req);
	return 0;
}

/**
 * gring_vgpu_check_one() - check one command of a SUBMIT and encode it
 * @c: the SUBMIT's checking state
 * @i: the command's index in @c->ucmd
 * @cmd: where its request goes
 * @range: set to the backing rows a TRANSFER_TO_HOST_2D reads (else left
 *	zero)
 *
 * The command is checked against the shadow state the earlier commands
 * left, which it then updates; a response BO is checked by
 * gring_vgpu_check_resp().
 *
 * Return: 0, or the uapi's error for the command.
 */
int gring_vgpu_check_one(struct gring_vgpu_check *c, u32 i,
			 struct gring_vgpu_cmd *cmd,
			 struct gring_vgpu_range *range)
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
	cmd->type = u->type;
	cmd->uid = u->resource_id;
	/* Until the device says it executed the command. */
	cmd->result = -ECANCELED;

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
		/* Lost in a device reset: the file may only UNREF it. */
		if (READ_ONCE(sh->res->lost) &&
		    u->type != DRM_GRING_VGPU_RESOURCE_UNREF)
			return -ESTALE;
		cmd->res = sh->res;
		break;
	}
	if (ret)
		return ret;

	/* The resource's hold on the BO, so that queueing cannot fail. */
	if (u->type == DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING) {
		cmd->held = kzalloc(sizeof(*cmd->held), GFP_KERNEL_ACCOUNT);
		if (!cmd->held)
			return -ENOMEM;
	}

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

/**
 * gring_vgpu_check_resp() - check where a command's response is copied
 * @c: the SUBMIT's checking state
 * @i: the command's index
 * @cmd: the command, checked by gring_vgpu_check_one()
 *
 * A response BO must have room for the whole response, 8-aligned.
 *
 * Return: 0; -EINVAL; -ENOENT for an unknown BO.
 */
int gring_vgpu_check_resp(struct gring_vgpu_check *c, u32 i,
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

/* --- queueing ------------------------------------------------------------- */

/**
 * gring_vgpu_check_fini() - release what checking a SUBMIT holds
 * @c: the checking state; resources it would have created are forgotten
 */
void gring_vgpu_check_fini(struct gring_vgpu_check *c)
{
	u32 i;

	for (i = 0; i < c->count; i++) {
		if (c->bo[i])
			drm_gem_object_put(&c->bo[i]->base);
		if (c->resp[i])
			drm_gem_object_put(&c->resp[i]->base);
	}
	/* Scanouts this SUBMIT claimed. */
	for (i = 0; i < GRING_VGPU_MAX_SCANOUTS; i++)
		if (c->claimed & BIT(i))
			cmpxchg(&c->vgpu->scanout_owner[i], c->gfile, NULL);
	/* Resources this SUBMIT would have created. */
	for (i = 0; i < c->n; i++) {
		if (c->shadow[i].created && c->shadow[i].res) {
			xa_release(&c->gfile->vgpu_res, c->shadow[i].id);
			ida_free(&c->vgpu->ids, c->shadow[i].res->hw_id);
			kfree(c->shadow[i].res);
		}
	}
}

/**
 * gring_vgpu_commit() - apply a queued SUBMIT to the file's resources
 * @c: the checking state that accepted it
 * @vjob: the job: its commands take a reference to each resource they
 *	name, and UNREF and DETACH keep what they release until the device
 *	has executed them
 *
 * In command order; the shadows already proved every step valid, and the
 * file's slots for new resources were reserved, so nothing fails.
 */
void gring_vgpu_commit(struct gring_vgpu_check *c,
		       struct gring_vgpu_job *vjob)
{
	struct gring_drm_device *gdev = to_gring_drm_device(c->file->minor->dev);
	u32 blanked = 0;
	struct gring_vgpu_res *res;
	u32 i;

	/* Claimed scanouts are the file's now (but see @blanked below). */
	c->claimed = 0;
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
			res->gdev = gdev;
			drm_dev_get(&gdev->drm);
			spin_lock(&c->vgpu->res_lock);
			list_add_tail(&res->link, &c->vgpu->res_list);
			spin_unlock(&c->vgpu->res_lock);
			xa_store(&c->gfile->vgpu_res, u->resource_id, res,
				 GFP_KERNEL);
			atomic_inc(&c->vgpu->resources);
			break;
		case DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING:
			res = xa_load(&c->gfile->vgpu_res, u->resource_id);
			res->backing = c->bo[i];
			res->b_off = u->bo_offset;
			res->b_size = u->bo_size;
			cmd->attach_bo = c->bo[i];
			cmd->held->bo = c->bo[i];	/* the resource's now */
			llist_add(&cmd->held->node, &res->held);
			cmd->held = NULL;
			c->bo[i] = NULL;
			break;
		case DRM_GRING_VGPU_RESOURCE_DETACH_BACKING:
			res = xa_load(&c->gfile->vgpu_res, u->resource_id);
			cmd->put_bo = res->backing;
			res->backing = NULL;
			break;
		case DRM_GRING_VGPU_RESOURCE_UNREF:
			/* The table's reference becomes the command's. */
			res = xa_erase(&c->gfile->vgpu_res, u->resource_id);
			cmd->put_bo = res->backing;
			res->backing = NULL;
			break;
		case DRM_GRING_VGPU_SET_SCANOUT:
			/* The last SET_SCANOUT of a scanout decides. */
			if (u->resource_id)
				blanked &= ~BIT(u->scanout_id);
			else
				blanked |= BIT(u->scanout_id);
			break;
		}
		if (cmd->res && u->type != DRM_GRING_VGPU_RESOURCE_UNREF)
			kref_get(&cmd->res->ref);
	}
	/*
	 * A scanout this SUBMIT leaves blank is given back; one it leaves
	 * showing a resource stays claimed from the check on, so no other
	 * file can take it in between.
	 */
	for (i = 0; i < GRING_VGPU_MAX_SCANOUTS; i++)
		if (blanked & BIT(i))
			cmpxchg(&c->vgpu->scanout_owner[i], c->gfile, NULL);
}

/* --- the device's answers -------------------------------------------------- */

/**
 * gring_vgpu_res_release_work() - a resource nothing names any more
 * @work: its release_work
 *
 * If the device may still hold it (its UNREF was never executed), the
 * device is told now and answers before the id is given back; then every
 * BO ever attached to it is released: the device reads none of them.
 */
void gring_vgpu_res_release_work(struct work_struct *work)
{
	struct gring_vgpu_res *res = container_of(work, struct gring_vgpu_res,
						  release_work);
	struct gring_drm_device *gdev = res->gdev;
	struct gring_vgpu *vgpu = res->vgpu;
	struct gring_vgpu_held *h, *next;
	int idx;

	/*
	 * Whatever the answer -- OK, an error for a resource the device
	 * never created, or none from a device reset for good or gone --
	 * the device holds no such resource afterwards.
	 */
	if (!READ_ONCE(res->gone) && drm_dev_enter(&gdev->drm, &idx)) {
		gring_vpci_resource_unref(vgpu->vpci, res->hw_id);
		drm_dev_exit(idx);
	}
	/* Off debugfs's list before what it shows goes. */
	spin_lock(&vgpu->res_lock);
	list_del(&res->link);
	spin_unlock(&vgpu->res_lock);
	llist_for_each_entry_safe(h, next, llist_del_all(&res->held), node) {
		drm_gem_object_put(&h->bo->base);
		kfree(h);
	}
	ida_free(&vgpu->ids, res->hw_id);
	atomic_dec(&vgpu->resources);
	kfree(res);
	drm_dev_put(&gdev->drm);
}

static void gring_vgpu_res_release(struct kref *ref)
{
	struct gring_vgpu_res *res = container_of(ref, struct gring_vgpu_res,
						  ref);

	queue_work(gring_wq, &res->release_work);
}

/**
 * gring_vgpu_res_put() - drop a reference to a resource
 * @res: the resource; the last reference releases it from gring_wq
 */
void gring_vgpu_res_put(struct gring_vgpu_res *res)
{
	kref_put(&res->ref, gring_vgpu_res_release);
}

/**
 * gring_vgpu_cmd_done() - make a done command's resource follow the device
 * @gfile: the file that submitted it (its vgpu_lock held)
 * @cmd: a command of a job the device is done with; @cmd->result says
 *	whether the device executed it
 *
 * The file's table changed when the command was queued. What the device
 * refused, or never got (a job skipped for a failed dependency, a device
 * reset), is rolled back where the file's view still allows it. BOs are
 * not released here: a resource holds every BO attached to it until it
 * is gone from the device (struct gring_vgpu_held).
 */
void gring_vgpu_cmd_done(struct gring_file *gfile, struct gring_vgpu_cmd *cmd)
{
	struct gring_vgpu_res *res = cmd->res;
	bool done = !cmd->result;

	lockdep_assert_held(&gfile->vgpu_lock);
	switch (cmd->type) {
	case DRM_GRING_VGPU_RESOURCE_CREATE_2D:
		/* Refused: the device has no such resource; the id is free. */
		if (!done) {
			WRITE_ONCE(res->gone, true);
			if (xa_cmpxchg(&gfile->vgpu_res, cmd->uid, res, NULL,
				       GFP_KERNEL) == res)
				gring_vgpu_res_put(res);
		}
		break;
	case DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING:
		/* Refused: the resource has no backing, as far as it knows. */
		if (!done && res->backing == cmd->attach_bo)
			res->backing = NULL;
		break;
	case DRM_GRING_VGPU_RESOURCE_DETACH_BACKING:
		/* Refused: still attached on the device, so in the view too. */
		if (!done && !res->backing)
			res->backing = cmd->put_bo;
		break;
	case DRM_GRING_VGPU_RESOURCE_UNREF:
		/*
		 * Executed: @gone was set before the fence signalled
		 * (gring_vgpu_job_done()). Refused: the release tells the
		 * device again.
		 */
		break;
	}
}
