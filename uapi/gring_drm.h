/* SPDX-License-Identifier: MIT */
/*
 * gring: a GPU ring-buffer framework on DRM -- userspace interface.
 *
 * Every structure is made of __u32/__u64 fields with explicit padding, so
 * its layout is the same for 32- and 64-bit userspace. Every pad, reserved
 * and flags field must be zero: the kernel refuses anything else with
 * -EINVAL, which keeps those bits free for later versions. Output fields are
 * only written when the ioctl succeeds.
 */
#ifndef _GRING_DRM_H_
#define _GRING_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/*
 * Bumped whenever an ioctl, flag or parameter is added:
 * 1 - GET_PARAM, GEM_CREATE, GEM_MMAP_OFFSET.
 * 2 - DRM_GRING_PARAM_PINNED_CAP; GEM_CREATE fails with -ENOSPC beyond it;
 *     private (copy-on-write) mmaps of a BO fail with -EINVAL.
 */
#define DRM_GRING_UAPI_VERSION		2

#define DRM_GRING_GET_PARAM		0x00
#define DRM_GRING_GEM_CREATE		0x01
#define DRM_GRING_GEM_MMAP_OFFSET	0x02

#define DRM_IOCTL_GRING_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_GET_PARAM, \
		 struct drm_gring_get_param)
#define DRM_IOCTL_GRING_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_GEM_CREATE, \
		 struct drm_gring_gem_create)
#define DRM_IOCTL_GRING_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_GEM_MMAP_OFFSET, \
		 struct drm_gring_gem_mmap_offset)

/**
 * enum drm_gring_param - values readable with DRM_IOCTL_GRING_GET_PARAM
 * @DRM_GRING_PARAM_UAPI_VERSION: DRM_GRING_UAPI_VERSION of the kernel.
 * @DRM_GRING_PARAM_MAX_BO_SIZE: largest size GEM_CREATE accepts, in bytes.
 * @DRM_GRING_PARAM_BO_ALIGN: granule BO sizes are rounded up to, in bytes.
 * @DRM_GRING_PARAM_PINNED_CAP: most bytes all live BOs of the device may
 *	hold together, in bytes (since version 2). BO memory is pinned:
 *	it can be neither swapped nor reclaimed while the BO lives.
 */
enum drm_gring_param {
	DRM_GRING_PARAM_UAPI_VERSION = 0,
	DRM_GRING_PARAM_MAX_BO_SIZE = 1,
	DRM_GRING_PARAM_BO_ALIGN = 2,
	DRM_GRING_PARAM_PINNED_CAP = 3,
};

/**
 * struct drm_gring_get_param - read one device parameter
 * @param: in, one of enum drm_gring_param; unknown values get -EINVAL.
 * @pad: must be zero.
 * @value: out, the parameter's value.
 */
struct drm_gring_get_param {
	__u32 param;
	__u32 pad;
	__u64 value;
};

/**
 * struct drm_gring_gem_create - allocate a coherent DMA buffer object
 * @size: in, bytes wanted (non-zero, at most DRM_GRING_PARAM_MAX_BO_SIZE
 *	once rounded); out, bytes allocated (rounded up to
 *	DRM_GRING_PARAM_BO_ALIGN).
 * @flags: must be zero in this version.
 * @handle: out, the GEM handle of the new object.
 * @extensions: pointer to a chain of extensions; must be zero for now.
 *
 * The buffer's DMA address stays in the kernel: userspace names buffers by
 * handle only.
 *
 * Errors: -EINVAL for a malformed argument; -E2BIG for a size above
 * DRM_GRING_PARAM_MAX_BO_SIZE; -ENOSPC when the live BOs of the device
 * (every client's) plus this one would exceed DRM_GRING_PARAM_PINNED_CAP,
 * which may succeed again once BOs are freed; -ENOMEM when the memory
 * cannot be had, including when the caller's memory cgroup is at its limit
 * (the memory is charged to it); -ENODEV once the device is gone. Nothing
 * is allocated and @handle is not written on failure.
 *
 * Mapping: mmap() the offset from GEM_MMAP_OFFSET with MAP_SHARED. A
 * private (copy-on-write) mapping is refused with -EINVAL: writes to it
 * would go to a copy the device never sees. Once the device is unplugged,
 * new mappings fail with -ENODEV and touching an old one raises SIGBUS.
 */
struct drm_gring_gem_create {
	__u64 size;
	__u32 flags;
	__u32 handle;
	__u64 extensions;
};

/**
 * struct drm_gring_gem_mmap_offset - get the fake offset to mmap a BO
 * @handle: in, the GEM handle.
 * @flags: must be zero.
 * @offset: out, the offset to pass to mmap() on the DRM file descriptor.
 */
struct drm_gring_gem_mmap_offset {
	__u32 handle;
	__u32 flags;
	__u64 offset;
};

#if defined(__cplusplus)
}
#endif

#endif /* _GRING_DRM_H_ */
