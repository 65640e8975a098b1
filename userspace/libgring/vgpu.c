// SPDX-License-Identifier: MIT
/*
 * virtio-gpu 2D: command builders for a DRM_GRING_ENGINE_VIRTIO_GPU ring,
 * submit, submit-and-wait, present, and the display-info response.
 *
 * Each builder fills one struct drm_gring_vgpu_cmd completely, every field
 * the command does not use zero (the kernel refuses anything else).
 * Nothing is checked here: the kernel validates the job at submit time.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "gring.h"
#include "gring_internal.h"

/* VIRTIO_GPU_RESP_OK_DISPLAY_INFO of <linux/virtio_gpu.h>. */
#define RESP_OK_DISPLAY_INFO	0x1101

static void vgpu_cmd(struct drm_gring_vgpu_cmd *cmd, uint32_t type,
		     uint32_t resource_id)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->type = type;
	cmd->resource_id = resource_id;
}

void gring_vgpu_op_get_display_info(struct drm_gring_vgpu_cmd *cmd,
				    const struct gring_bo *resp,
				    uint32_t resp_offset)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_GET_DISPLAY_INFO, 0);
	gring_vgpu_op_response(cmd, resp, resp_offset);
}

void gring_vgpu_op_create_2d(struct drm_gring_vgpu_cmd *cmd,
			     const struct gring_vgpu_resource *res)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_RESOURCE_CREATE_2D, res->id);
	cmd->format = res->format;
	cmd->width = res->width;
	cmd->height = res->height;
}

void gring_vgpu_op_attach_backing(struct drm_gring_vgpu_cmd *cmd,
				  const struct gring_vgpu_resource *res,
				  const struct gring_bo *bo, uint64_t offset,
				  uint64_t size)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING, res->id);
	cmd->bo_handle = bo->handle;
	cmd->bo_offset = offset;
	cmd->bo_size = size;
}

void gring_vgpu_op_detach_backing(struct drm_gring_vgpu_cmd *cmd,
				  const struct gring_vgpu_resource *res)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, res->id);
}

void gring_vgpu_op_set_scanout(struct drm_gring_vgpu_cmd *cmd,
			       uint32_t scanout_id,
			       const struct gring_vgpu_resource *res,
			       const struct drm_gring_vgpu_rect *rect)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_SET_SCANOUT, res ? res->id : 0);
	cmd->scanout_id = scanout_id;
	if (res)
		cmd->rect = *rect;
}

void gring_vgpu_op_transfer(struct drm_gring_vgpu_cmd *cmd,
			    const struct gring_vgpu_resource *res,
			    const struct drm_gring_vgpu_rect *rect)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_TRANSFER_TO_HOST_2D, res->id);
	cmd->rect = *rect;
	/*
	 * In 64 bits: out-of-range sizes are the kernel's to refuse, so the
	 * builder must not wrap them into a plausible offset.
	 */
	cmd->bo_offset = ((uint64_t)rect->y * res->width + rect->x) *
			 GRING_VGPU_CPP;
}

void gring_vgpu_op_flush(struct drm_gring_vgpu_cmd *cmd,
			 const struct gring_vgpu_resource *res,
			 const struct drm_gring_vgpu_rect *rect)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_RESOURCE_FLUSH, res->id);
	cmd->rect = *rect;
}

void gring_vgpu_op_unref(struct drm_gring_vgpu_cmd *cmd,
			 const struct gring_vgpu_resource *res)
{
	vgpu_cmd(cmd, DRM_GRING_VGPU_RESOURCE_UNREF, res->id);
}

void gring_vgpu_op_response(struct drm_gring_vgpu_cmd *cmd,
			    const struct gring_bo *resp, uint32_t resp_offset)
{
	cmd->resp_handle = resp->handle;
	cmd->resp_offset = resp_offset;
}

uint64_t gring_vgpu_backing_size(const struct gring_vgpu_resource *res)
{
	return (uint64_t)res->width * res->height * GRING_VGPU_CPP;
}

int gring_vgpu_submit(const struct gring_device *dev,
		      const struct gring_cmdring *ring,
		      const struct drm_gring_vgpu_cmd *cmds, uint32_t count,
		      const struct gring_cmdring_syncs *syncs, uint32_t flags,
		      uint64_t *seqno)
{
	return gring_submit_raw(dev->fd, ring->id, cmds, count, sizeof(*cmds),
				syncs, flags, seqno);
}

int gring_vgpu_run(const struct gring_device *dev,
		   const struct gring_cmdring *ring,
		   const struct drm_gring_vgpu_cmd *cmds, uint32_t count,
		   uint32_t syncobj, uint64_t timeout_ns)
{
	struct gring_cmdring_syncs syncs = { .out = syncobj };
	int ret;

	if (!syncobj) {
		ret = gring_syncobj_create(dev, &syncs.out);
		if (ret)
			return ret;
	}
	ret = gring_vgpu_submit(dev, ring, cmds, count, &syncs, 0, NULL);
	if (!ret)
		ret = gring_wait(dev, syncs.out, 0, timeout_ns);
	if (!syncobj)
		gring_syncobj_destroy(dev, syncs.out);
	return ret;
}

int gring_vgpu_present(const struct gring_device *dev,
		       const struct gring_cmdring *ring,
		       const struct gring_vgpu_resource *res,
		       const struct drm_gring_vgpu_rect *rect,
		       uint32_t syncobj, uint64_t timeout_ns)
{
	const struct drm_gring_vgpu_rect whole = {
		.width = res->width,
		.height = res->height,
	};
	struct drm_gring_vgpu_cmd cmds[2];

	if (!rect)
		rect = &whole;
	gring_vgpu_op_transfer(&cmds[0], res, rect);
	gring_vgpu_op_flush(&cmds[1], res, rect);
	return gring_vgpu_run(dev, ring, cmds, 2, syncobj, timeout_ns);
}

/* The device writes little-endian; assemble, whatever the CPU's order. */
static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int gring_vgpu_parse_display_info(const void *resp, size_t len,
				  struct gring_vgpu_display_info *info)
{
	const uint8_t *p = resp;
	unsigned int i;

	if (len < GRING_VGPU_RESP_DISPLAY_SIZE)
		return -EINVAL;
	/* struct virtio_gpu_ctrl_hdr starts with its le32 type. */
	if (le32_at(p) != RESP_OK_DISPLAY_INFO)
		return -EPROTO;

	/* Then 16 x { le32 x, y, width, height, enabled, flags }. */
	p += GRING_VGPU_RESP_HDR_SIZE;
	for (i = 0; i < GRING_VGPU_MAX_SCANOUTS; i++, p += 24) {
		struct gring_vgpu_scanout *s = &info->scanouts[i];

		s->rect.x = le32_at(p);
		s->rect.y = le32_at(p + 4);
		s->rect.width = le32_at(p + 8);
		s->rect.height = le32_at(p + 12);
		s->enabled = le32_at(p + 16);
		s->flags = le32_at(p + 20);
	}
	return 0;
}

int gring_vgpu_display_info(const struct gring_device *dev,
			    const struct gring_cmdring *ring,
			    const struct gring_bo *resp, uint32_t resp_offset,
			    struct gring_vgpu_display_info *info,
			    uint64_t timeout_ns)
{
	const uint64_t size = GRING_VGPU_RESP_DISPLAY_SIZE;
	struct drm_gring_vgpu_cmd cmd;
	int ret, fini;

	if (!resp->map)
		return -EFAULT;

	gring_vgpu_op_get_display_info(&cmd, resp, resp_offset);
	ret = gring_vgpu_run(dev, ring, &cmd, 1, 0, timeout_ns);
	if (ret)
		return ret;

	ret = gring_cpu_prep(dev, resp, resp_offset, size,
			     DRM_GRING_PREP_READ, timeout_ns);
	if (ret)
		return ret;
	ret = gring_vgpu_parse_display_info((const uint8_t *)resp->map +
					    resp_offset, size, info);
	fini = gring_cpu_fini(dev, resp, resp_offset, size);
	return ret ? ret : fini;
}
