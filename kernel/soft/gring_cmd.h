/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: userspace commands (struct drm_gring_cmd) -- validated, then
 * translated into the soft engine's command stream with DMA addresses the
 * kernel fills in itself.
 *
 * Userspace names memory by GEM handle + offset only. This file decides
 * whether a command is well formed and which buffer ranges it touches;
 * SUBMIT turns each range into a view of its buffer, and only the view's
 * DMA handle reaches the engine.
 *
 * All inline: SUBMIT checks and encodes once per command, up to 4096 of
 * them, and a call and return per command (through the return thunk that
 * Debian's kernels use against Retbleed) cost as much as the check. Under
 * QEMU's TCG, where the bench runs, inlining them took a fifth off a
 * 64-command SUBMIT's time per command.
 *
 * No DRM objects here: the caller looks the handles up and passes each
 * buffer's size and DMA address, so this file is also built and tested on
 * the host.
 */
#ifndef _GRING_CMD_H_
#define _GRING_CMD_H_

#include <linux/align.h>
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/types.h>

#include <asm/byteorder.h>

#include "gring_drm.h"
#include "gring_engine_soft.h"

/* Most words one translated command takes in the ring. */
#define GRING_CMD_MAX_WORDS	4

/**
 * struct gring_cmd_range - a buffer range one command reads or writes
 * @offset: first byte, inside the buffer
 * @size: bytes (non-zero)
 * @write: the engine writes the range (it only reads it otherwise)
 */
struct gring_cmd_range {
	u64 offset;
	u64 size;
	bool write;
};

/* Which operands each op takes; everything else must be zero. */
#define GRING_CMD_USES_DST	BIT(0)
#define GRING_CMD_USES_SRC	BIT(1)
#define GRING_CMD_USES_SIZE	BIT(2)
#define GRING_CMD_USES_VALUE	BIT(3)

/* What gring_cmd_check() and gring_cmd_encode() know of one op. */
struct gring_cmd_desc {
	u8 uses;
	u8 dst_align;		/* alignment of dst_offset (and size, FILL) */
	u8 dst_bytes;		/* bytes at dst when there is no size */
	u8 soft_op;		/* enum gring_soft_op */
};

static const struct gring_cmd_desc gring_cmd_descs[] = {
	[DRM_GRING_OP_NOP] = { 0, 0, 0, GRING_SOFT_OP_NOP },
	[DRM_GRING_OP_WRITE32] = {
		GRING_CMD_USES_DST | GRING_CMD_USES_VALUE, 4, 4,
		GRING_SOFT_OP_WRITE32
	},
	[DRM_GRING_OP_WRITE64] = {
		GRING_CMD_USES_DST | GRING_CMD_USES_VALUE, 8, 8,
		GRING_SOFT_OP_WRITE64
	},
	[DRM_GRING_OP_COPY] = {
		GRING_CMD_USES_DST | GRING_CMD_USES_SRC | GRING_CMD_USES_SIZE,
		1, 0, GRING_SOFT_OP_COPY
	},
	[DRM_GRING_OP_FILL] = {
		GRING_CMD_USES_DST | GRING_CMD_USES_SIZE | GRING_CMD_USES_VALUE,
		4, 0, GRING_SOFT_OP_FILL
	},
	[DRM_GRING_OP_TIMESTAMP] = {
		GRING_CMD_USES_DST, 8, 8, GRING_SOFT_OP_TIMESTAMP
	},
	[DRM_GRING_OP_STALL] = {
		GRING_CMD_USES_VALUE, 0, 0, GRING_SOFT_OP_STALL
	},
};

/* A NOP is one word here; the engine would skip a longer one too. */
static inline unsigned int gring_cmd_desc_words(const struct gring_cmd_desc *d)
{
	return d->soft_op == GRING_SOFT_OP_NOP ? 1 :
	       gring_soft_op_words(d->soft_op);
}

/* @offset + @size must lie inside a buffer of @bo_size bytes. */
static inline bool gring_cmd_in_bo(u64 offset, u64 size, u64 bo_size)
{
	u64 end;

	return size && !check_add_overflow(offset, size, &end) &&
	       end <= bo_size;
}

/**
 * gring_cmd_check() - validate one userspace command
 * @cmd: the command, as copied from userspace
 * @dst_bo_size: size of the BO @cmd->dst_handle names, 0 if the handle is 0
 * @src_bo_size: size of the BO @cmd->src_handle names, 0 if the handle is 0
 * @dst: out, the destination range (size 0 when the op has none)
 * @src: out, the source range (size 0 when the op has none)
 *
 * The caller has looked each non-zero handle up in the submitting file (a
 * handle of another file does not resolve there); this checks everything
 * else: a known op, zero flags, a handle exactly where the op needs one,
 * every unused field zero, alignment, non-zero sizes and ranges inside
 * their buffers with no arithmetic overflow. @dst and @src are written
 * only on success.
 *
 * Return: the ring words the command translates to (1 to
 * %GRING_CMD_MAX_WORDS: what gring_cmd_encode() will write, returned here
 * so that SUBMIT sizes its ring reservation in the same pass), or -EINVAL.
 */
static inline int gring_cmd_check(const struct drm_gring_cmd *cmd,
				  u64 dst_bo_size, u64 src_bo_size,
				  struct gring_cmd_range *dst,
				  struct gring_cmd_range *src)
{
	const struct gring_cmd_desc *d;
	u64 dst_bytes = 0, src_bytes = 0;

	if (cmd->op >= ARRAY_SIZE(gring_cmd_descs) || cmd->flags)
		return -EINVAL;
	d = &gring_cmd_descs[cmd->op];

	if (!(d->uses & GRING_CMD_USES_DST) &&
	    (cmd->dst_handle || cmd->dst_offset))
		return -EINVAL;
	if (!(d->uses & GRING_CMD_USES_SRC) &&
	    (cmd->src_handle || cmd->src_offset))
		return -EINVAL;
	if (!(d->uses & GRING_CMD_USES_SIZE) && cmd->size)
		return -EINVAL;
	if (!(d->uses & GRING_CMD_USES_VALUE) && cmd->value)
		return -EINVAL;

	switch (cmd->op) {
	case DRM_GRING_OP_WRITE32:
		if (cmd->value > U32_MAX)
			return -EINVAL;
		break;
	case DRM_GRING_OP_FILL:
		if (cmd->value > U32_MAX || !IS_ALIGNED(cmd->size, 4))
			return -EINVAL;
		break;
	case DRM_GRING_OP_STALL:
		if (cmd->value > DRM_GRING_STALL_MAX_NS)
			return -EINVAL;
		break;
	}

	if (d->uses & GRING_CMD_USES_DST) {
		dst_bytes = d->dst_bytes ? d->dst_bytes : cmd->size;
		if (!cmd->dst_handle ||
		    !IS_ALIGNED(cmd->dst_offset, d->dst_align) ||
		    !gring_cmd_in_bo(cmd->dst_offset, dst_bytes, dst_bo_size))
			return -EINVAL;
	}
	if (d->uses & GRING_CMD_USES_SRC) {
		src_bytes = cmd->size;
		if (!cmd->src_handle ||
		    !gring_cmd_in_bo(cmd->src_offset, src_bytes, src_bo_size))
			return -EINVAL;
	}

	*dst = (struct gring_cmd_range){
		.offset = cmd->dst_offset, .size = dst_bytes, .write = true,
	};
	*src = (struct gring_cmd_range){
		.offset = cmd->src_offset, .size = src_bytes, .write = false,
	};
	return gring_cmd_desc_words(d);
}

/**
 * gring_cmd_encode() - translate a valid command for the soft engine
 * @cmd: a command gring_cmd_check() accepted
 * @dst_dma: DMA handle of the view of its destination range (ignored when
 *	it has none)
 * @src_dma: DMA handle of the view of its source range (ignored likewise)
 * @out: room for %GRING_CMD_MAX_WORDS words, in ring (little-endian) order
 *
 * Return: the words written, what gring_cmd_check() returned for @cmd.
 */
static inline unsigned int gring_cmd_encode(const struct drm_gring_cmd *cmd,
					    dma_addr_t dst_dma,
					    dma_addr_t src_dma, __le64 *out)
{
	const struct gring_cmd_desc *d = &gring_cmd_descs[cmd->op];
	enum gring_soft_op op = d->soft_op;
	unsigned int words = gring_cmd_desc_words(d);
	u32 arg = 0;

	if (op == GRING_SOFT_OP_WRITE32 || op == GRING_SOFT_OP_FILL)
		arg = (u32)cmd->value;
	out[0] = cpu_to_le64(gring_soft_hdr(op, words, arg));

	switch (op) {
	case GRING_SOFT_OP_NOP:
		break;
	case GRING_SOFT_OP_WRITE32:
	case GRING_SOFT_OP_TIMESTAMP:
		out[1] = cpu_to_le64(dst_dma);
		break;
	case GRING_SOFT_OP_WRITE64:
		out[1] = cpu_to_le64(dst_dma);
		out[2] = cpu_to_le64(cmd->value);
		break;
	case GRING_SOFT_OP_COPY:
		out[1] = cpu_to_le64(dst_dma);
		out[2] = cpu_to_le64(src_dma);
		out[3] = cpu_to_le64(cmd->size);
		break;
	case GRING_SOFT_OP_FILL:
		out[1] = cpu_to_le64(dst_dma);
		out[2] = cpu_to_le64(cmd->size);
		break;
	case GRING_SOFT_OP_STALL:
		out[1] = cpu_to_le64(cmd->value);
		break;
	default:
		/* FENCE is the kernel's own; gring_cmd_check() knows no more. */
		break;
	}
	return words;
}

#endif /* _GRING_CMD_H_ */
