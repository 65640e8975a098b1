// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the uapi entry points. Each one validates every field of its
 * argument first and returns early; output fields are written only once
 * nothing can fail any more, because the DRM core copies the structure
 * back to userspace even when the ioctl fails.
 */

#include <linux/limits.h>
#include <linux/mm.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"

/**
 * gring_ioctl_get_param() - DRM_IOCTL_GRING_GET_PARAM: read one parameter
 * @drm: the gring DRM device
 * @data: a struct drm_gring_get_param
 * @file: the caller's DRM file
 *
 * Return: 0 with @data->value set, or -EINVAL for non-zero padding or an
 * unknown parameter.
 */
int gring_ioctl_get_param(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(drm);
	struct drm_gring_get_param *args = data;
	u64 value;

	if (args->pad)
		return -EINVAL;

	switch (args->param) {
	case DRM_GRING_PARAM_UAPI_VERSION:
		value = DRM_GRING_UAPI_VERSION;
		break;
	case DRM_GRING_PARAM_MAX_BO_SIZE:
		value = gdev->max_bo_size;
		break;
	case DRM_GRING_PARAM_BO_ALIGN:
		value = PAGE_SIZE;
		break;
	case DRM_GRING_PARAM_ENGINES:
		value = gdev->engines;
		break;
	case DRM_GRING_PARAM_PINNED_CAP:
		value = gdev->pinned_cap;
		break;
	case DRM_GRING_PARAM_MAX_RINGS:
		value = gring_max_rings();
		break;
	default:
		return -EINVAL;
	}

	args->value = value;
	return 0;
}

/**
 * gring_ioctl_gem_create() - DRM_IOCTL_GRING_GEM_CREATE: allocate a buffer
 * @drm: the gring DRM device
 * @data: a struct drm_gring_gem_create
 * @file: the caller's DRM file, which will own the handle
 *
 * The size is rounded up to PAGE_SIZE (DRM_GRING_PARAM_BO_ALIGN). A size
 * that is malformed -- zero, or so large that rounding it overflows -- is
 * -EINVAL like any other bad field. A well-formed size above
 * DRM_GRING_PARAM_MAX_BO_SIZE is -E2BIG (as i915 does for objects it can
 * never back): asking again cannot help, unlike -ENOMEM, which reports
 * memory that is short now and may not be later. Beyond the device's
 * pinned-bytes cap the answer is -ENOSPC: the device's budget, shared by
 * every client, is spent until some BO is freed.
 *
 * Return: 0 with @data->size set to the allocated size and @data->handle to
 * the new handle; -EINVAL for non-zero flags or extensions, a zero size or
 * one that overflows when rounded; -E2BIG for a rounded size above the
 * maximum; -ENOSPC when the device's pinned bytes would exceed
 * DRM_GRING_PARAM_PINNED_CAP; -ENOMEM when the memory cannot be allocated
 * (also when the caller's memory cgroup is at its limit); -ENODEV once the
 * device is unplugged; or another negative errno from the GEM core (handle
 * or mmap offset space exhausted). @data is unchanged on failure.
 */
int gring_ioctl_gem_create(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(drm);
	struct drm_gring_gem_create *args = data;
	u64 size;
	u32 handle;
	int ret, idx;

	if (args->flags || args->extensions)
		return -EINVAL;

	if (!args->size || args->size > U64_MAX - (PAGE_SIZE - 1))
		return -EINVAL;

	size = round_up(args->size, PAGE_SIZE);
	if (size > gdev->max_bo_size)
		return -E2BIG;

	/*
	 * The DRM core refuses ioctls on an unplugged device, but one that
	 * got past that check must not allocate memory of a device being
	 * removed: remove waits for this section, then frees every BO's
	 * memory. The other ioctls touch neither the device nor memory.
	 */
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	ret = gring_gem_create_with_handle(gdev, file, size, &handle);
	drm_dev_exit(idx);
	if (ret)
		return ret;

	args->size = size;
	args->handle = handle;
	return 0;
}

/**
 * gring_ioctl_gem_mmap_offset() - DRM_IOCTL_GRING_GEM_MMAP_OFFSET
 * @drm: the gring DRM device
 * @data: a struct drm_gring_gem_mmap_offset
 * @file: the caller's DRM file
 *
 * The offset is a cookie for mmap() on the same DRM file, not an address:
 * the DRM core only lets files holding a handle to the object map it.
 *
 * Return: 0 with @data->offset set, -EINVAL for non-zero flags, or -ENOENT
 * if @data->handle names no object of @file.
 */
int gring_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_gring_gem_mmap_offset *args = data;
	struct drm_gem_object *obj;

	if (args->flags)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	/* Created with the object, so it cannot fail or change here. */
	args->offset = drm_vma_node_offset_addr(&obj->vma_node);

	drm_gem_object_put(obj);
	return 0;
}
