/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: userspace commands (struct drm_gring_cmd) -- validated, then
 * translated into the soft engine's command stream with DMA addresses the
 * kernel fills in itself.
 *
 * No DRM objects here: the caller looks the handles up and passes each
 * buffer's size and DMA address, so this file is also built and tested on
 * the host.
 */
#ifndef _GRING_CMD_H_
#define _GRING_CMD_H_

#include <linux/types.h>

#include "gring_drm.h"

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

int gring_cmd_check(const struct drm_gring_cmd *cmd, u64 dst_bo_size,
		    u64 src_bo_size, struct gring_cmd_range *dst,
		    struct gring_cmd_range *src);
unsigned int gring_cmd_encode(const struct drm_gring_cmd *cmd,
			      dma_addr_t dst_dma, dma_addr_t src_dma,
			      __le64 *out);

#endif /* _GRING_CMD_H_ */
