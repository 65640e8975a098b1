// SPDX-License-Identifier: MIT
/*
 * Command builders: each fills one struct drm_gring_cmd completely, every
 * field the op does not use zero (the kernel refuses anything else).
 * Nothing is checked here; the kernel validates the job at submit time.
 */
#include <string.h>

#include "gring.h"

/* A command aimed at @dst, every other field zero. */
static void op_dst(struct drm_gring_cmd *cmd, uint32_t op,
		   const struct gring_bo *dst, uint64_t offset)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->op = op;
	cmd->dst_handle = dst->handle;
	cmd->dst_offset = offset;
}

void gring_op_nop(struct drm_gring_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->op = DRM_GRING_OP_NOP;
}

void gring_op_write32(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		      uint64_t offset, uint32_t value)
{
	op_dst(cmd, DRM_GRING_OP_WRITE32, dst, offset);
	cmd->value = value;
}

void gring_op_write64(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		      uint64_t offset, uint64_t value)
{
	op_dst(cmd, DRM_GRING_OP_WRITE64, dst, offset);
	cmd->value = value;
}

void gring_op_copy(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		   uint64_t dst_offset, const struct gring_bo *src,
		   uint64_t src_offset, uint64_t size)
{
	op_dst(cmd, DRM_GRING_OP_COPY, dst, dst_offset);
	cmd->src_handle = src->handle;
	cmd->src_offset = src_offset;
	cmd->size = size;
}

void gring_op_fill(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		   uint64_t offset, uint64_t size, uint32_t pattern)
{
	op_dst(cmd, DRM_GRING_OP_FILL, dst, offset);
	cmd->size = size;
	cmd->value = pattern;
}

void gring_op_timestamp(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
			uint64_t offset)
{
	op_dst(cmd, DRM_GRING_OP_TIMESTAMP, dst, offset);
}

void gring_op_stall(struct drm_gring_cmd *cmd, uint64_t ns)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->op = DRM_GRING_OP_STALL;
	cmd->value = ns;
}
