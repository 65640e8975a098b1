// SPDX-License-Identifier: MIT
/*
 * CPU ownership of buffer object ranges: CPU_PREP / CPU_FINI.
 */
#include <errno.h>

#include "gring.h"
#include "gring_internal.h"

int gring_cpu_prep(const struct gring_device *dev, const struct gring_bo *bo,
		   uint64_t offset, uint64_t size, uint32_t flags,
		   uint64_t timeout_ns)
{
	struct drm_gring_cpu_prep req = {
		.handle = bo->handle,
		.flags = flags,
		.offset = offset,
		.size = size,
		.timeout_ns = timeout_ns,
	};

	if (dev->fd < 0)
		return -EBADF;
	return gring_ioctl(dev->fd, DRM_IOCTL_GRING_CPU_PREP, &req);
}

int gring_cpu_fini(const struct gring_device *dev, const struct gring_bo *bo,
		   uint64_t offset, uint64_t size)
{
	struct drm_gring_cpu_fini req = {
		.handle = bo->handle,
		.offset = offset,
		.size = size,
	};

	if (dev->fd < 0)
		return -EBADF;
	return gring_ioctl(dev->fd, DRM_IOCTL_GRING_CPU_FINI, &req);
}
