/* SPDX-License-Identifier: MIT */
/*
 * libgring: userspace client library for the gring DRM driver.
 *
 * Conventions, as in libdrm and liburing:
 *
 * - Every function that can fail returns 0 (or a non-negative value where
 *   documented) on success and a negative errno on failure. errno itself is
 *   not meant to be read afterwards.
 * - Ownership: every structure is owned by the caller, who allocates it
 *   (usually on the stack or inside a larger struct) and passes a pointer;
 *   the library fills it and never keeps a pointer to it. The library
 *   allocates nothing that outlives a call and has no global or static
 *   mutable state, so calls on different objects may run in parallel on
 *   different threads. Two threads must not use one object at once.
 * - Fields of the structures below may be read directly; they are written
 *   only by the library. Accessors exist for code that prefers them.
 * - Kernel objects (the file descriptor, GEM handles, mappings) belong to
 *   the structure that received them and are released by the matching
 *   close/unmap call, never implicitly.
 *
 * Include as <gring.h> with the Cflags from `pkg-config --cflags gring`.
 */
#ifndef _GRING_H_
#define _GRING_H_

#include <stddef.h>
#include <stdint.h>

#include "gring_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/* The driver name the kernel module reports in DRM_IOCTL_VERSION. */
#define GRING_DRIVER_NAME	"gring"

/* Size of struct gring_device::path, terminating NUL included. */
#define GRING_PATH_MAX		256

/**
 * struct gring_device - an open gring DRM node
 * @fd: the DRM file descriptor (O_RDWR | O_CLOEXEC), or -1 when closed.
 * @path: the node path that was opened, e.g. "/dev/dri/renderD129".
 *
 * Filled by gring_device_open() or gring_device_open_path(); released by
 * gring_device_close(). Both open calls set @fd to -1 when they fail, so
 * gring_device_close() is always safe on a structure passed to them.
 */
struct gring_device {
	int fd;
	char path[GRING_PATH_MAX];
};

/**
 * struct gring_version - what the driver reports in DRM_IOCTL_VERSION
 * @major: driver major version.
 * @minor: driver minor version.
 * @patchlevel: driver patch level.
 * @name: driver name ("gring"), NUL-terminated, truncated if longer.
 * @date: driver date string, NUL-terminated, truncated if longer.
 * @desc: driver description, NUL-terminated, truncated if longer.
 */
struct gring_version {
	int major;
	int minor;
	int patchlevel;
	char name[64];
	char date[64];
	char desc[256];
};

/**
 * struct gring_bo - a gring buffer object (a coherent DMA buffer)
 * @handle: GEM handle, valid on the device that created it; 0 when closed.
 * @flags: flags it was created with.
 * @size: size in bytes, as rounded up by the kernel.
 * @map: CPU address of the mapping of the whole object, or NULL when it
 *	is not mapped.
 *
 * Filled by gring_bo_create(); released by gring_bo_close(). The buffer's
 * DMA address never leaves the kernel.
 */
struct gring_bo {
	uint32_t handle;
	uint32_t flags;
	uint64_t size;
	void *map;
};

/**
 * enum gring_unit - how a parameter's value is to be read by a person
 * @GRING_UNIT_NONE: a plain number (a count or version).
 * @GRING_UNIT_BYTES: a size in bytes.
 */
enum gring_unit {
	GRING_UNIT_NONE = 0,
	GRING_UNIT_BYTES = 1,
};

/**
 * struct gring_param_info - a human description of a device parameter
 * @param: the enum drm_gring_param value.
 * @name: its uapi name without prefix, e.g. "MAX_BO_SIZE".
 * @desc: a short phrase for people, e.g. "largest buffer object".
 * @unit: how to print the value.
 */
struct gring_param_info {
	uint32_t param;
	const char *name;
	const char *desc;
	enum gring_unit unit;
};

/* Device */

/**
 * gring_device_open() - find and open the gring device
 * @dev: filled on success; dev->fd is -1 on failure.
 *
 * Enumerates DRM devices with drmGetDevices2(), opens each device's render
 * node (its primary node if it has no render node) and keeps the first one
 * whose driver reports the name "gring"; every other node is closed again.
 * No node number is assumed: a machine may have several DRM drivers. Nodes
 * libdrm cannot classify (unknown bus) are then looked for directly in
 * /dev/dri, render nodes first.
 *
 * Return: 0 on success; -ENODEV if no DRM node belongs to gring; the
 * negative errno of a failed open() (e.g. -EACCES) if no gring node was
 * found but some node could not be opened, since that node may be gring's;
 * -ENOMEM if enumeration ran out of memory.
 */
int gring_device_open(struct gring_device *dev);

/**
 * gring_device_open_path() - open a given DRM node and check it is gring's
 * @dev: filled on success; dev->fd is -1 on failure.
 * @path: the node to open, e.g. "/dev/dri/renderD128".
 *
 * Return: 0 on success; -ENAMETOOLONG if @path does not fit in
 * GRING_PATH_MAX; the negative errno of open() (-ENOENT, -EACCES, ...);
 * -ENODEV if the node is not a DRM node or its driver is not gring.
 */
int gring_device_open_path(struct gring_device *dev, const char *path);

/**
 * gring_device_close() - close a device opened by gring_device_open*()
 * @dev: the device; its fd is set to -1. Closing twice is harmless.
 *
 * GEM handles created on the device die with it: close or forget every
 * struct gring_bo first. Mappings stay valid until unmapped (the kernel
 * keeps the object alive while it is mapped), but should be unmapped with
 * gring_bo_unmap() by their owner.
 */
void gring_device_close(struct gring_device *dev);

/**
 * gring_check_fd() - tell whether a DRM file descriptor is gring's
 * @fd: any open file descriptor.
 *
 * For callers that opened the node themselves (e.g. an IGT test).
 *
 * Return: 0 if the driver behind @fd is gring; -ENODEV if it is another
 * driver or @fd is not a DRM node; another negative errno (e.g. -EBADF)
 * if the query itself failed.
 */
int gring_check_fd(int fd);

/**
 * gring_device_fd() - the DRM file descriptor of an open device
 * @dev: an open device.
 *
 * Return: the descriptor, owned by @dev (do not close it), or -1 if @dev
 * is closed.
 */
int gring_device_fd(const struct gring_device *dev);

/**
 * gring_device_path() - the node path an open device was opened from
 * @dev: an open device.
 *
 * Return: a NUL-terminated string inside @dev, valid as long as @dev is.
 */
const char *gring_device_path(const struct gring_device *dev);

/**
 * gring_device_version() - read the driver's name, version, date and desc
 * @dev: an open device.
 * @ver: filled on success; strings that do not fit are truncated.
 *
 * Uses DRM_IOCTL_VERSION directly with @ver's buffers: nothing is
 * allocated and nothing needs freeing.
 *
 * Return: 0 on success; -EBADF if @dev is closed; otherwise the ioctl's
 * negative errno.
 */
int gring_device_version(const struct gring_device *dev,
			 struct gring_version *ver);

/**
 * gring_get_param() - read one device parameter
 * @dev: an open device.
 * @param: one of enum drm_gring_param.
 * @value: set on success, untouched on failure.
 *
 * Return: 0 on success; -EINVAL if the kernel does not know @param (an
 * older kernel, or a bad value); -EBADF if @dev is closed; otherwise the
 * ioctl's negative errno.
 */
int gring_get_param(const struct gring_device *dev, uint32_t param,
		    uint64_t *value);

/**
 * gring_param_info() - describe a device parameter for people
 * @param: one of enum drm_gring_param.
 *
 * Parameter ids are dense from 0, so a tool lists every parameter this
 * library knows with `for (p = 0; gring_param_info(p); p++)`.
 *
 * Return: a pointer to a constant description, or NULL if this library
 * does not know @param.
 */
const struct gring_param_info *gring_param_info(uint32_t param);

/**
 * gring_param_name() - the uapi name of a device parameter
 * @param: one of enum drm_gring_param.
 *
 * Return: a constant string such as "BO_ALIGN", or NULL if unknown.
 */
const char *gring_param_name(uint32_t param);

/* Buffer objects */

/**
 * gring_bo_create() - allocate a buffer object
 * @dev: an open device.
 * @size: bytes wanted; the kernel rounds it up to DRM_GRING_PARAM_BO_ALIGN.
 * @flags: creation flags; must be 0 in this uapi version.
 * @bo: filled on success (unmapped); zeroed on failure.
 *
 * @size and @flags go to the kernel unchanged: the kernel, not the
 * library, decides what is valid.
 *
 * Return: 0 on success; -EINVAL for a zero size, one that overflows when
 * rounded, or non-zero flags; -E2BIG for a size above
 * DRM_GRING_PARAM_MAX_BO_SIZE once rounded (retrying cannot help);
 * -ENOMEM if the kernel could not allocate it now; -EBADF if @dev is
 * closed; otherwise the ioctl's negative errno.
 */
int gring_bo_create(const struct gring_device *dev, uint64_t size,
		    uint32_t flags, struct gring_bo *bo);

/**
 * gring_bo_mmap_offset() - get the fake offset to mmap() a buffer object
 * @dev: the device that created @bo.
 * @bo: the buffer object.
 * @offset: set on success to the offset to pass to mmap() on the DRM fd.
 *
 * gring_bo_map() does this and the mmap(); this is for callers that map by
 * themselves (e.g. with other protections).
 *
 * Return: 0 on success; -ENOENT if @bo's handle is not valid on @dev;
 * -EINVAL for bad arguments; otherwise the ioctl's negative errno.
 */
int gring_bo_mmap_offset(const struct gring_device *dev,
			 const struct gring_bo *bo, uint64_t *offset);

/**
 * gring_bo_map() - map a whole buffer object for CPU access
 * @dev: the device that created @bo.
 * @bo: the buffer object; bo->map is set on success.
 *
 * The mapping is shared, readable and writable, and covers bo->size
 * bytes. Mapping a BO that is already mapped does nothing and succeeds.
 *
 * Return: 0 on success; -EOVERFLOW if bo->size does not fit in size_t;
 * the negative errno of gring_bo_mmap_offset() or of mmap() (e.g.
 * -ENOMEM, -EACCES).
 */
int gring_bo_map(const struct gring_device *dev, struct gring_bo *bo);

/**
 * gring_bo_unmap() - remove the CPU mapping of a buffer object
 * @bo: the buffer object; bo->map is NULL afterwards.
 *
 * Unmapping a BO that is not mapped does nothing and succeeds.
 *
 * Return: 0 on success; the negative errno of munmap() otherwise, in
 * which case bo->map is left as it was.
 */
int gring_bo_unmap(struct gring_bo *bo);

/**
 * gring_bo_close() - unmap a buffer object and release its GEM handle
 * @dev: the device that created @bo.
 * @bo: the buffer object; zeroed on success.
 *
 * A zeroed @bo (handle 0, which GEM never hands out) is already closed:
 * closing it again does nothing and succeeds.
 *
 * Return: 0 on success; the negative errno of gring_bo_unmap() (then
 * nothing else is done), or of DRM_IOCTL_GEM_CLOSE (-EINVAL for a handle
 * that is not valid on @dev; then bo->map is already NULL and bo->handle
 * is kept for inspection).
 */
int gring_bo_close(const struct gring_device *dev, struct gring_bo *bo);

#if defined(__cplusplus)
}
#endif

#endif /* _GRING_H_ */
