// SPDX-License-Identifier: MIT
/*
 * gring-bench: vgem dumb buffers, the baseline for gring's buffer objects.
 *
 * vgem allocates dumb buffers from shmem: creating one reserves no pages,
 * the first mmap() pins them. Dumb-buffer ioctls are not render-allowed,
 * so @fd is vgem's primary node. Each helper returns 0 or a negative
 * errno, like libgring.
 */
#include <errno.h>

#include <xf86drm.h>

#include "vgem.h"

/* Rows of 1024 32-bit pixels: one 4 KiB page per row. */
#define DUMB_WIDTH	1024
#define DUMB_BPP	32
#define DUMB_PITCH	(DUMB_WIDTH * DUMB_BPP / 8)

/**
 * vgem_dumb_create() - create a dumb buffer of @size bytes
 * @fd: vgem's primary node.
 * @size: a non-zero multiple of 4 KiB.
 * @handle: set on success.
 *
 * Return: 0, -EINVAL if @size is not a multiple of a row, -ENOSPC if the
 * kernel made it smaller than asked, or the ioctl's negative errno.
 */
int vgem_dumb_create(int fd, uint64_t size, uint32_t *handle)
{
	struct drm_mode_create_dumb req = {
		.width = DUMB_WIDTH,
		.bpp = DUMB_BPP,
	};

	if (!size || size % DUMB_PITCH || size / DUMB_PITCH > UINT32_MAX)
		return -EINVAL;
	req.height = (uint32_t)(size / DUMB_PITCH);
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &req))
		return -errno;
	*handle = req.handle;
	if (req.size < size) {
		vgem_gem_close(fd, req.handle);
		return -ENOSPC;
	}
	return 0;
}

/**
 * vgem_dumb_map_offset() - the fake offset to mmap() a dumb buffer at
 * @fd: vgem's primary node.
 * @handle: the buffer.
 * @offset: set on success.
 *
 * Return: 0 or the ioctl's negative errno.
 */
int vgem_dumb_map_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_mode_map_dumb req = { .handle = handle };

	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &req))
		return -errno;
	*offset = req.offset;
	return 0;
}

/**
 * vgem_gem_close() - release a GEM handle, as gring_bo_close() does
 * @fd: the node the handle belongs to.
 * @handle: the handle.
 *
 * Return: 0 or the ioctl's negative errno.
 */
int vgem_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close req = { .handle = handle };

	if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &req))
		return -errno;
	return 0;
}
