// SPDX-License-Identifier: MIT
/*
 * Buffer objects: create, map, unmap, close.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "gring.h"
#include "gring_internal.h"

int gring_bo_create(const struct gring_device *dev, uint64_t size,
		    uint32_t flags, struct gring_bo *bo)
{
	struct drm_gring_gem_create req = {
		.size = size,
		.flags = flags,
	};
	int ret;

	memset(bo, 0, sizeof(*bo));
	if (dev->fd < 0)
		return -EBADF;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_GRING_GEM_CREATE, &req);
	if (ret)
		return ret;

	bo->handle = req.handle;
	bo->flags = flags;
	bo->size = req.size;
	return 0;
}

int gring_bo_mmap_offset(const struct gring_device *dev,
			 const struct gring_bo *bo, uint64_t *offset)
{
	struct drm_gring_gem_mmap_offset req = {
		.handle = bo->handle,
	};
	int ret;

	if (dev->fd < 0)
		return -EBADF;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_GRING_GEM_MMAP_OFFSET, &req);
	if (ret)
		return ret;

	*offset = req.offset;
	return 0;
}

int gring_bo_map(const struct gring_device *dev, struct gring_bo *bo)
{
	uint64_t offset;
	void *map;
	int ret;

	if (bo->map)
		return 0;
	if (bo->size > SIZE_MAX)
		return -EOVERFLOW;

	ret = gring_bo_mmap_offset(dev, bo, &offset);
	if (ret)
		return ret;

	/* The fake offset is page-aligned and below 2^63, so off_t holds it. */
	map = mmap(NULL, (size_t)bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   dev->fd, (off_t)offset);
	if (map == MAP_FAILED)
		return -errno;

	bo->map = map;
	return 0;
}

int gring_bo_unmap(struct gring_bo *bo)
{
	if (!bo->map)
		return 0;
	if (munmap(bo->map, (size_t)bo->size))
		return -errno;

	bo->map = NULL;
	return 0;
}

int gring_bo_close(const struct gring_device *dev, struct gring_bo *bo)
{
	struct drm_gem_close req = {
		.handle = bo->handle,
	};
	int ret;

	ret = gring_bo_unmap(bo);
	if (ret)
		return ret;
	if (!bo->handle)
		return 0;
	if (dev->fd < 0)
		return -EBADF;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &req);
	if (ret)
		return ret;

	memset(bo, 0, sizeof(*bo));
	return 0;
}
