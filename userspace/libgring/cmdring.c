// SPDX-License-Identifier: MIT
/*
 * Command rings: create, destroy, query.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "gring.h"
#include "gring_internal.h"

int gring_cmdring_create(const struct gring_device *dev, uint32_t engine,
			 uint32_t size, struct gring_cmdring *ring)
{
	struct drm_gring_ring_create req = {
		.engine = engine,
		.size = size,
	};
	int ret;

	memset(ring, 0, sizeof(*ring));
	if (dev->fd < 0)
		return -EBADF;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_GRING_RING_CREATE, &req);
	if (ret)
		return ret;

	ring->id = req.ring_id;
	ring->engine = engine;
	ring->size = req.size;
	return 0;
}

int gring_cmdring_destroy(const struct gring_device *dev,
			  struct gring_cmdring *ring)
{
	struct drm_gring_ring_destroy req = {
		.ring_id = ring->id,
	};
	int ret;

	if (!ring->id)
		return 0;
	if (dev->fd < 0)
		return -EBADF;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_GRING_RING_DESTROY, &req);
	if (ret)
		return ret;

	memset(ring, 0, sizeof(*ring));
	return 0;
}

int gring_cmdring_query(const struct gring_device *dev,
			const struct gring_cmdring *ring,
			struct gring_cmdring_info *info)
{
	struct drm_gring_region regions[GRING_CMDRING_MAX_REGIONS];
	struct drm_gring_ring_query req = {
		.ring_id = ring->id,
		.regions = (uintptr_t)regions,
		.region_count = GRING_CMDRING_MAX_REGIONS,
	};
	int ret;

	if (dev->fd < 0)
		return -EBADF;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_GRING_RING_QUERY, &req);
	if (ret)
		return ret;
	/* The kernel copies nothing when the regions do not fit. */
	if (req.region_count > GRING_CMDRING_MAX_REGIONS)
		return -EOVERFLOW;

	memset(info, 0, sizeof(*info));
	info->size = req.size;
	info->wptr = req.wptr;
	info->rptr = req.rptr;
	info->region_count = req.region_count;
	info->submitted = req.submitted;
	info->completed = req.completed;
	info->faults = req.faults;
	info->timeouts = req.timeouts;
	info->refusals = req.refusals;
	memcpy(info->regions, regions, req.region_count * sizeof(regions[0]));
	return 0;
}
