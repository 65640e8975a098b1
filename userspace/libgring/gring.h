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

/* Command rings */

/*
 * The ring verbs follow liburing's shape: create a ring, fill an array of
 * commands with the gring_op_*() builders, gring_cmdring_submit() them as one job,
 * gring_wait() for the job's syncobj. Commands, in-syncobjs and region
 * lists are the uapi's own structures (struct drm_gring_cmd,
 * struct drm_gring_sync, struct drm_gring_region); flags are the uapi's
 * DRM_GRING_SUBMIT_* and DRM_GRING_PREP_* values.
 */

/* Regions struct gring_cmdring_info has room for (the kernel reports 3). */
#define GRING_CMDRING_MAX_REGIONS	8

/**
 * struct gring_cmdring - a command ring on an engine
 * @id: the kernel's ring id, valid on the device that created it; 0 when
 *	destroyed.
 * @engine: the engine it feeds, one of enum drm_gring_engine.
 * @size: ring size in bytes, as the kernel chose it.
 *
 * Filled by gring_cmdring_create(); released by gring_cmdring_destroy().
 */
struct gring_cmdring {
	uint32_t id;
	uint32_t engine;
	uint32_t size;
};

/**
 * struct gring_cmdring_info - a snapshot of a ring, from RING_QUERY
 * @size: ring size in bytes.
 * @wptr: the CPU's write offset into the ring.
 * @rptr: the engine's read offset into the ring.
 * @region_count: entries of @regions in use.
 * @submitted: seqno of the last job submitted.
 * @completed: seqno of the last job the engine completed.
 * @faults: jobs that ended with a device fault.
 * @timeouts: jobs that hung and were cancelled.
 * @refusals: ownership violations the kernel refused on this ring.
 * @regions: the ring cut into stretches, in offset order, each with its
 *	owner (DRM_GRING_OWNER_CPU or DRM_GRING_OWNER_GPU); together they
 *	cover [0, @size).
 *
 * Only offsets and counts: the kernel never reports an address.
 */
struct gring_cmdring_info {
	uint32_t size;
	uint32_t wptr;
	uint32_t rptr;
	uint32_t region_count;
	uint64_t submitted;
	uint64_t completed;
	uint64_t faults;
	uint64_t timeouts;
	uint64_t refusals;
	struct drm_gring_region regions[GRING_CMDRING_MAX_REGIONS];
};

/**
 * struct gring_cmdring_syncs - the syncobjs one job waits on and signals
 * @in: @in_count syncobjs (handle + timeline point, 0 for binary) that
 *	must all signal before the job starts; NULL when @in_count is 0.
 * @in_count: entries at @in, at most DRM_GRING_MAX_IN_SYNCS.
 * @out: a syncobj that receives the job's fence, or 0 for none.
 * @out_point: the timeline point of @out, or 0 to replace the fence of a
 *	binary syncobj.
 */
struct gring_cmdring_syncs {
	const struct drm_gring_sync *in;
	uint32_t in_count;
	uint32_t out;
	uint64_t out_point;
};

/**
 * gring_cmdring_create() - create a command ring
 * @dev: an open device.
 * @engine: one of enum drm_gring_engine (DRM_GRING_ENGINE_SOFT).
 * @size: ring bytes: a power of two from DRM_GRING_RING_SIZE_MIN to
 *	DRM_GRING_RING_SIZE_MAX, or 0 for DRM_GRING_RING_SIZE_DEFAULT.
 * @ring: filled on success; zeroed on failure.
 *
 * Return: 0 on success; -EINVAL for an unknown engine or a bad size;
 * -EBADF if @dev is closed; otherwise the ioctl's negative errno.
 */
int gring_cmdring_create(const struct gring_device *dev, uint32_t engine,
			 uint32_t size, struct gring_cmdring *ring);

/**
 * gring_cmdring_destroy() - destroy a command ring
 * @dev: the device that created @ring.
 * @ring: the ring; zeroed on success.
 *
 * Jobs already submitted still complete (or time out). A zeroed @ring
 * (id 0) is already destroyed: destroying it again succeeds.
 *
 * Return: 0 on success; -ENOENT if @ring is not a ring of @dev (then
 * @ring is left as it was); -EBADF if @dev is closed.
 */
int gring_cmdring_destroy(const struct gring_device *dev,
			  struct gring_cmdring *ring);

/**
 * gring_cmdring_query() - read a ring's pointers, owners and counters
 * @dev: the device that created @ring.
 * @ring: the ring.
 * @info: filled on success, untouched on failure.
 *
 * Return: 0 on success; -ENOENT for an unknown ring; -EOVERFLOW if the
 * kernel reports more than GRING_CMDRING_MAX_REGIONS regions; -EBADF if
 * @dev is closed; otherwise the ioctl's negative errno.
 */
int gring_cmdring_query(const struct gring_device *dev,
			const struct gring_cmdring *ring,
			struct gring_cmdring_info *info);

/**
 * gring_op_nop() - build a command that does nothing
 * @cmd: the command to fill; every field is written.
 *
 * Like the other gring_op_*() builders this only fills @cmd: nothing is
 * checked here, the kernel validates the whole job at gring_cmdring_submit().
 */
void gring_op_nop(struct drm_gring_cmd *cmd);

/**
 * gring_op_write32() - build a command storing a 32-bit value
 * @cmd: the command to fill; every field is written.
 * @dst: the buffer object to write.
 * @offset: byte offset in @dst, 4-byte aligned.
 * @value: the value to store.
 */
void gring_op_write32(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		      uint64_t offset, uint32_t value);

/**
 * gring_op_write64() - build a command storing a 64-bit value
 * @cmd: the command to fill; every field is written.
 * @dst: the buffer object to write.
 * @offset: byte offset in @dst, 8-byte aligned.
 * @value: the value to store.
 */
void gring_op_write64(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		      uint64_t offset, uint64_t value);

/**
 * gring_op_copy() - build a command copying bytes between buffer objects
 * @cmd: the command to fill; every field is written.
 * @dst: the buffer object written.
 * @dst_offset: first byte written in @dst.
 * @src: the buffer object read (may be @dst).
 * @src_offset: first byte read in @src.
 * @size: bytes to copy, non-zero; any offset and size alignment.
 */
void gring_op_copy(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		   uint64_t dst_offset, const struct gring_bo *src,
		   uint64_t src_offset, uint64_t size);

/**
 * gring_op_fill() - build a command filling a range with a 32-bit pattern
 * @cmd: the command to fill; every field is written.
 * @dst: the buffer object to write.
 * @offset: first byte, 4-byte aligned.
 * @size: bytes, non-zero and a multiple of 4.
 * @pattern: the 32-bit pattern, stored in the CPU's byte order.
 */
void gring_op_fill(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
		   uint64_t offset, uint64_t size, uint32_t pattern);

/**
 * gring_op_timestamp() - build a command storing the engine's clock
 * @cmd: the command to fill; every field is written.
 * @dst: the buffer object to write.
 * @offset: byte offset in @dst, 8-byte aligned; receives the engine's
 *	CLOCK_MONOTONIC time in ns when it runs the command.
 */
void gring_op_timestamp(struct drm_gring_cmd *cmd, const struct gring_bo *dst,
			uint64_t offset);

/**
 * gring_op_stall() - build a command keeping the engine busy
 * @cmd: the command to fill; every field is written.
 * @ns: how long, at most DRM_GRING_STALL_MAX_NS. A stall longer than the
 *	engine's job timeout makes the job hang on purpose.
 */
void gring_op_stall(struct drm_gring_cmd *cmd, uint64_t ns);

/**
 * gring_cmdring_submit() - queue an array of commands on a ring as one job
 * @dev: the device that created @ring.
 * @ring: the ring.
 * @cmds: @count commands, built with the gring_op_*() builders.
 * @count: 1 to DRM_GRING_MAX_CMDS.
 * @syncs: in-syncobjs to wait for and an out-syncobj to signal, or NULL.
 * @flags: 0, or DRM_GRING_SUBMIT_NONBLOCK to fail rather than wait when
 *	the ring has no room.
 * @seqno: set on success to the job's sequence number on @ring (1, 2,
 *	...), which gring_cmdring_query() reports as completed once it ran;
 *	may be NULL. Untouched on failure.
 *
 * The commands are copied into the ring, which belongs to the engine until
 * the job completes: @cmds may be reused as soon as this returns.
 *
 * Return: 0 on success; -EAGAIN if the ring is full under
 * DRM_GRING_SUBMIT_NONBLOCK; -EBUSY if a command touches a range the CPU
 * holds through gring_cpu_prep(); -EINVAL for a malformed command or
 * argument; -ENOENT for an unknown ring, buffer handle or syncobj; -EBADF
 * if @dev is closed; otherwise the ioctl's negative errno. Nothing is
 * queued on failure.
 */
int gring_cmdring_submit(const struct gring_device *dev,
			 const struct gring_cmdring *ring,
			 const struct drm_gring_cmd *cmds, uint32_t count,
			 const struct gring_cmdring_syncs *syncs, uint32_t flags,
			 uint64_t *seqno);

/**
 * gring_syncobj_create() - create a DRM syncobj for gring_cmdring_submit()
 * @dev: an open device.
 * @handle: set on success to the new syncobj's handle; untouched on
 *	failure.
 *
 * The syncobj starts empty; one syncobj serves as a binary syncobj (point
 * 0) or a timeline (points 1, 2, ...), whichever the caller uses it as.
 *
 * Return: 0 on success; -EBADF if @dev is closed; otherwise the ioctl's
 * negative errno.
 */
int gring_syncobj_create(const struct gring_device *dev, uint32_t *handle);

/**
 * gring_syncobj_destroy() - destroy a syncobj
 * @dev: the device that created it.
 * @handle: the syncobj.
 *
 * Return: 0 on success; -EINVAL for an unknown handle; -EBADF if @dev is
 * closed.
 */
int gring_syncobj_destroy(const struct gring_device *dev, uint32_t handle);

/**
 * gring_fence_status() - the state of the fence in a syncobj, now
 * @dev: the device that created @syncobj.
 * @syncobj: a syncobj given to gring_cmdring_submit() as out-syncobj.
 * @point: its timeline point, or 0 for a binary syncobj.
 *
 * Reads the fence's status through a sync_file (SYNC_IOC_FILE_INFO), so a
 * job's error is seen, not only its completion. A timeline point is first
 * copied to a temporary binary syncobj. Caveat of DRM timelines: once a
 * later point has signalled, the kernel may have dropped an earlier one,
 * and its error with it; wait for each point whose error matters.
 *
 * Return: 1 if the job completed without error; 0 if it has not completed
 * yet; the job's negative error if it completed with one (-ETIMEDOUT: the
 * engine cancelled it as hung; others: a device fault); -EINVAL if the
 * syncobj holds no fence for @point yet (nothing was submitted);
 * -ENOENT for an unknown syncobj; -EBADF if @dev is closed.
 */
int gring_fence_status(const struct gring_device *dev, uint32_t syncobj,
		       uint64_t point);

/**
 * gring_wait() - wait for a job's fence and report the job's error
 * @dev: the device that created @syncobj.
 * @syncobj: a syncobj given to gring_cmdring_submit() as out-syncobj.
 * @point: its timeline point, or 0 for a binary syncobj.
 * @timeout_ns: longest wait, relative, in ns; 0 only polls.
 *
 * Waits also for a fence not submitted yet (WAIT_FOR_SUBMIT), then reads
 * the fence's status like gring_fence_status(). For a timeline point the
 * job's own fence is captured as soon as it is submitted, so its error is
 * reported even when later points signal right after it -- unless the
 * point had already signalled and been superseded before this call.
 *
 * Return: 0 if the job completed without error; -ETIME if it did not
 * complete within @timeout_ns (the wait timed out, the job may still
 * complete); the job's own negative error if it completed with one, e.g.
 * -ETIMEDOUT when the engine cancelled it as hung (mind -ETIME vs
 * -ETIMEDOUT); -EINVAL/-ENOENT for an unknown syncobj; -EBADF if @dev is
 * closed.
 */
int gring_wait(const struct gring_device *dev, uint32_t syncobj,
	       uint64_t point, uint64_t timeout_ns);

/* A ring's completion without an ioctl (uAPI 6) */

/**
 * struct gring_ring_status - a ring's status page, mapped read-only
 * @page: the kernel's struct drm_gring_ring_status, or NULL once unmapped.
 * @ring_id: the ring it belongs to.
 */
struct gring_ring_status {
	const volatile struct drm_gring_ring_status *page;
	uint32_t ring_id;
};

/**
 * gring_ring_status_map() - map a ring's status page
 * @dev: the device whose file created the ring.
 * @ring_id: the ring (gring_cmdring's id, or a virtio-gpu ring's).
 * @status: filled in on success.
 *
 * The mapping is read-only and outlives the ring (frozen where it ended);
 * unmap it with gring_ring_status_unmap().
 *
 * Return: 0; -ENOENT for a ring the file does not have; -EINVAL for a
 * ring id of 0 or above DRM_GRING_MAX_RING_ID, or a kernel without
 * status pages (uAPI < 6); -EBADF if @dev is closed.
 */
int gring_ring_status_map(const struct gring_device *dev, uint32_t ring_id,
			  struct gring_ring_status *status);

/**
 * gring_ring_status_unmap() - unmap a status page
 * @status: mapped by gring_ring_status_map(); its @page becomes NULL.
 *
 * Return: 0, or munmap()'s negative errno.
 */
int gring_ring_status_unmap(struct gring_ring_status *status);

/**
 * gring_ring_status_job() - a job's outcome, from the status page alone
 * @status: the ring's mapped status page.
 * @seqno: the job's seqno (what SUBMIT returned).
 *
 * No system call: reads the page as struct drm_gring_ring_status
 * describes (acquire loads and read barriers), so a job seen done has its
 * writes visible.
 *
 * Return: 1 if the job completed without error; 0 if the ring has not
 * completed it (or an earlier job) yet; its negative error if it failed;
 * -ENODATA if it completed but the page's log no longer reaches back to
 * it (ask its fence: gring_fence_status()); -EINVAL for seqno 0 or an
 * unmapped page.
 */
int gring_ring_status_job(const struct gring_ring_status *status,
			  uint64_t seqno);

/**
 * gring_ring_wait() - wait for a job, reading its outcome from the page
 * @dev: the device that created @syncobj.
 * @status: the job's ring's mapped status page.
 * @seqno: the job's seqno.
 * @syncobj: the job's out-syncobj, for sleeping (and the fallback).
 * @point: its timeline point, or 0 for a binary syncobj.
 * @timeout_ns: longest wait, relative, in ns.
 *
 * A job already done costs no ioctl; one that is not costs the syncobj
 * wait alone. When the page cannot say (an earlier job of the ring still
 * runs, or the log was overwritten), the fence is asked, as gring_wait()
 * does.
 *
 * Return: what gring_wait() returns.
 */
int gring_ring_wait(const struct gring_device *dev,
		    const struct gring_ring_status *status, uint64_t seqno,
		    uint32_t syncobj, uint64_t point, uint64_t timeout_ns);

/* CPU ownership of buffer ranges */

/**
 * gring_cpu_prep() - take a buffer object range for the CPU
 * @dev: the device that created @bo.
 * @bo: the buffer object.
 * @offset: first byte of the range.
 * @size: bytes in the range, non-zero, inside @bo.
 * @flags: DRM_GRING_PREP_READ and/or DRM_GRING_PREP_WRITE, plus
 *	DRM_GRING_PREP_NOWAIT to fail rather than wait.
 * @timeout_ns: longest wait, relative, in ns; ignored with NOWAIT.
 *
 * Waits until no job in flight writes the range (READ) or touches it
 * (WRITE). On success the range is the CPU's: reads through bo->map see
 * what the engine wrote, writes cannot race it, and a gring_cmdring_submit()
 * touching the range fails with -EBUSY until gring_cpu_fini().
 *
 * Return: 0 on success (then call gring_cpu_fini()); -EBUSY if busy under
 * NOWAIT; -ETIMEDOUT if the wait ran out; -EINVAL for bad flags or range;
 * -ENOENT for an unknown handle; -EBADF if @dev is closed.
 */
int gring_cpu_prep(const struct gring_device *dev, const struct gring_bo *bo,
		   uint64_t offset, uint64_t size, uint32_t flags,
		   uint64_t timeout_ns);

/**
 * gring_cpu_fini() - give a range taken by gring_cpu_prep() back
 * @dev: the device that created @bo.
 * @bo: the buffer object.
 * @offset: exactly the offset gring_cpu_prep() took.
 * @size: exactly the size gring_cpu_prep() took.
 *
 * Return: 0 on success; -EINVAL if the range is not one the CPU holds;
 * -ENOENT for an unknown handle; -EBADF if @dev is closed.
 */
int gring_cpu_fini(const struct gring_device *dev, const struct gring_bo *bo,
		   uint64_t offset, uint64_t size);

/* virtio-gpu 2D */

/*
 * A gring device bound to a virtio-gpu PCI function has, beside the soft
 * engine, DRM_GRING_ENGINE_VIRTIO_GPU: its rings take the virtio-gpu 2D
 * control commands (struct drm_gring_vgpu_cmd), which the kernel checks
 * and turns into the device's own requests. The flow, as in liburing:
 * open the device with gring_device_open_engine(), create a ring with
 * gring_cmdring_create(dev, DRM_GRING_ENGINE_VIRTIO_GPU, 0, &ring), fill
 * commands with the gring_vgpu_op_*() builders, then gring_vgpu_submit()
 * and gring_wait(), or gring_vgpu_run() for both. Memory is named by BO
 * handle and offset only: the kernel writes every guest address itself.
 */

/*
 * The virtio-gpu format of DRM's XRGB8888 (a little-endian 32-bit
 * 0xXXRRGGBB per pixel: bytes B, G, R, X in memory), which is
 * VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM in <linux/virtio_gpu.h>.
 */
#define GRING_VGPU_FORMAT_XRGB8888	2
/* Bytes per pixel of every format a gring resource may have. */
#define GRING_VGPU_CPP			4
/* Scanouts in a display-info response (VIRTIO_GPU_MAX_SCANOUTS). */
#define GRING_VGPU_MAX_SCANOUTS		16
/*
 * Response sizes, as the device writes them at resp_handle/resp_offset:
 * struct virtio_gpu_ctrl_hdr, and struct virtio_gpu_resp_display_info
 * (the header, then 16 x { rect, enabled, flags }).
 */
#define GRING_VGPU_RESP_HDR_SIZE	24
#define GRING_VGPU_RESP_DISPLAY_SIZE	(GRING_VGPU_RESP_HDR_SIZE + \
					 GRING_VGPU_MAX_SCANOUTS * 24)

/**
 * struct gring_vgpu_scanout - one scanout of a display-info response
 * @rect: where it is and how large, in pixels (the mode the host wants).
 * @enabled: non-zero if the host has a display on it.
 * @flags: the device's flags for it.
 */
struct gring_vgpu_scanout {
	struct drm_gring_vgpu_rect rect;
	uint32_t enabled;
	uint32_t flags;
};

/**
 * struct gring_vgpu_display_info - a GET_DISPLAY_INFO response, decoded
 * @scanouts: every scanout slot of the response, in the CPU's byte order.
 *
 * Slots past the device's scanout count read as disabled and empty.
 */
struct gring_vgpu_display_info {
	struct gring_vgpu_scanout scanouts[GRING_VGPU_MAX_SCANOUTS];
};

/**
 * struct gring_vgpu_resource - what a caller knows of one 2D resource
 * @id: the resource id (per file, non-zero), chosen by the caller.
 * @format: its format, e.g. GRING_VGPU_FORMAT_XRGB8888.
 * @width: pixels per row.
 * @height: rows.
 *
 * Plain data the caller keeps: the kernel holds the resource itself. The
 * backing is laid out as the device expects it, rows @width *
 * GRING_VGPU_CPP bytes apart.
 */
struct gring_vgpu_resource {
	uint32_t id;
	uint32_t format;
	uint32_t width;
	uint32_t height;
};

/**
 * gring_device_engines() - the engines an open device's rings may use
 * @dev: an open device.
 * @mask: set on success to a mask of (1 << enum drm_gring_engine).
 *
 * A kernel older than DRM_GRING_PARAM_ENGINES has the soft engine only,
 * and that is what @mask says for it.
 *
 * Return: 0 on success; -EBADF if @dev is closed; otherwise the ioctl's
 * negative errno.
 */
int gring_device_engines(const struct gring_device *dev, uint64_t *mask);

/**
 * gring_device_open_engine() - find and open a gring device with an engine
 * @dev: filled on success; dev->fd is -1 on failure.
 * @engine: one of enum drm_gring_engine, e.g. DRM_GRING_ENGINE_VIRTIO_GPU.
 *
 * Searches like gring_device_open(), but keeps the first gring node whose
 * gring_device_engines() has @engine: a machine may have several gring
 * devices (the platform one, one per virtio-gpu function bound to gring).
 *
 * Return: 0 on success; -ENODEV if no gring node has @engine (including
 * when there is no gring node at all: gring_device_open() tells those
 * apart); otherwise as gring_device_open().
 */
int gring_device_open_engine(struct gring_device *dev, uint32_t engine);

/**
 * gring_vgpu_op_get_display_info() - build GET_DISPLAY_INFO
 * @cmd: the command to fill; every field is written.
 * @resp: the BO that receives the response, GRING_VGPU_RESP_DISPLAY_SIZE
 *	bytes at @resp_offset.
 * @resp_offset: 8-byte aligned.
 *
 * Like every gring_vgpu_op_*() builder this only fills @cmd; the kernel
 * checks the job at submit time.
 */
void gring_vgpu_op_get_display_info(struct drm_gring_vgpu_cmd *cmd,
				    const struct gring_bo *resp,
				    uint32_t resp_offset);

/**
 * gring_vgpu_op_create_2d() - build RESOURCE_CREATE_2D
 * @cmd: the command to fill; every field is written.
 * @res: the new resource: id (not yet used on this file), format, size
 *	(1 to DRM_GRING_VGPU_MAX_DIM each way).
 */
void gring_vgpu_op_create_2d(struct drm_gring_vgpu_cmd *cmd,
			     const struct gring_vgpu_resource *res);

/**
 * gring_vgpu_op_attach_backing() - build RESOURCE_ATTACH_BACKING
 * @cmd: the command to fill; every field is written.
 * @res: the resource, without a backing yet.
 * @bo: the BO that backs it.
 * @offset: where the backing starts in @bo, page-aligned.
 * @size: backing bytes, at least width * height * GRING_VGPU_CPP, inside
 *	@bo; gring_vgpu_backing_size() gives the least.
 */
void gring_vgpu_op_attach_backing(struct drm_gring_vgpu_cmd *cmd,
				  const struct gring_vgpu_resource *res,
				  const struct gring_bo *bo, uint64_t offset,
				  uint64_t size);

/**
 * gring_vgpu_op_detach_backing() - build RESOURCE_DETACH_BACKING
 * @cmd: the command to fill; every field is written.
 * @res: the resource, which has a backing.
 */
void gring_vgpu_op_detach_backing(struct drm_gring_vgpu_cmd *cmd,
				  const struct gring_vgpu_resource *res);

/**
 * gring_vgpu_op_set_scanout() - build SET_SCANOUT
 * @cmd: the command to fill; every field is written.
 * @scanout_id: the scanout, below the device's count.
 * @res: the resource to show, or NULL to turn the scanout off.
 * @rect: the part of @res shown, non-empty and inside it; ignored (zero)
 *	when @res is NULL.
 */
void gring_vgpu_op_set_scanout(struct drm_gring_vgpu_cmd *cmd,
			       uint32_t scanout_id,
			       const struct gring_vgpu_resource *res,
			       const struct drm_gring_vgpu_rect *rect);

/**
 * gring_vgpu_op_transfer() - build TRANSFER_TO_HOST_2D
 * @cmd: the command to fill; every field is written.
 * @res: the resource, which has a backing.
 * @rect: the part to copy from the backing to the host, inside @res.
 *
 * The offset the device reads the first pixel from is computed here from
 * @res's row pitch: (@rect->y * width + @rect->x) * GRING_VGPU_CPP bytes
 * into the backing, i.e. the backing holds the whole resource.
 */
void gring_vgpu_op_transfer(struct drm_gring_vgpu_cmd *cmd,
			    const struct gring_vgpu_resource *res,
			    const struct drm_gring_vgpu_rect *rect);

/**
 * gring_vgpu_op_flush() - build RESOURCE_FLUSH
 * @cmd: the command to fill; every field is written.
 * @res: the resource.
 * @rect: the part of @res to show again on the scanouts showing it.
 */
void gring_vgpu_op_flush(struct drm_gring_vgpu_cmd *cmd,
			 const struct gring_vgpu_resource *res,
			 const struct drm_gring_vgpu_rect *rect);

/**
 * gring_vgpu_op_unref() - build RESOURCE_UNREF
 * @cmd: the command to fill; every field is written.
 * @res: the resource; a backing it still has is detached too.
 */
void gring_vgpu_op_unref(struct drm_gring_vgpu_cmd *cmd,
			 const struct gring_vgpu_resource *res);

/**
 * gring_vgpu_op_response() - have the device's response to @cmd kept
 * @cmd: a command already built; only its response fields are written.
 * @resp: the BO that receives the response (GRING_VGPU_RESP_HDR_SIZE
 *	bytes, GRING_VGPU_RESP_DISPLAY_SIZE for GET_DISPLAY_INFO).
 * @resp_offset: 8-byte aligned.
 */
void gring_vgpu_op_response(struct drm_gring_vgpu_cmd *cmd,
			    const struct gring_bo *resp, uint32_t resp_offset);

/**
 * gring_vgpu_backing_size() - the least backing a resource takes
 * @res: the resource.
 *
 * Return: @res->width * @res->height * GRING_VGPU_CPP, in bytes.
 */
uint64_t gring_vgpu_backing_size(const struct gring_vgpu_resource *res);

/**
 * gring_vgpu_submit() - queue virtio-gpu commands on a ring as one job
 * @dev: the device that created @ring.
 * @ring: a DRM_GRING_ENGINE_VIRTIO_GPU ring.
 * @cmds: @count commands built with the gring_vgpu_op_*() builders; each
 *	sees the effects of the ones before it.
 * @count: 1 to DRM_GRING_VGPU_MAX_CMDS.
 * @syncs: as for gring_cmdring_submit(), or NULL.
 * @flags: as for gring_cmdring_submit().
 * @seqno: as for gring_cmdring_submit(); may be NULL.
 *
 * The job's fence fails with -ENOMEM if the device answered a command
 * with VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY and -EINVAL for its other
 * errors; gring_wait() returns that error.
 *
 * Return: 0 on success; -EINVAL for a malformed command (nothing is
 * queued or changed); -ENOENT for an unknown BO, resource or ring;
 * -EEXIST for RESOURCE_CREATE_2D of an id this file has; -EBUSY for
 * ATTACH_BACKING of a resource that has one, or a range the CPU holds;
 * otherwise as gring_cmdring_submit().
 */
int gring_vgpu_submit(const struct gring_device *dev,
		      const struct gring_cmdring *ring,
		      const struct drm_gring_vgpu_cmd *cmds, uint32_t count,
		      const struct gring_cmdring_syncs *syncs, uint32_t flags,
		      uint64_t *seqno);

/**
 * gring_vgpu_run() - submit virtio-gpu commands and wait for them
 * @dev: the device that created @ring.
 * @ring: a DRM_GRING_ENGINE_VIRTIO_GPU ring.
 * @cmds: @count commands, as for gring_vgpu_submit().
 * @count: 1 to DRM_GRING_VGPU_MAX_CMDS.
 * @syncobj: the out-syncobj to use, or 0 for one made and destroyed here.
 * @timeout_ns: longest wait, relative.
 *
 * Return: 0 once the device has completed every command; the negative
 * errno of gring_vgpu_submit() (nothing queued); -ETIME if the job did
 * not complete in @timeout_ns; the job's error (-EINVAL, -ENOMEM: the
 * device refused a command).
 */
int gring_vgpu_run(const struct gring_device *dev,
		   const struct gring_cmdring *ring,
		   const struct drm_gring_vgpu_cmd *cmds, uint32_t count,
		   uint32_t syncobj, uint64_t timeout_ns);

/**
 * gring_vgpu_present() - show a rectangle of a resource, and wait
 * @dev: the device that created @ring.
 * @ring: a DRM_GRING_ENGINE_VIRTIO_GPU ring.
 * @res: a resource with a backing holding the whole resource (pitch
 *	width * GRING_VGPU_CPP), normally on a scanout.
 * @rect: the part that changed, or NULL for the whole resource.
 * @syncobj: as for gring_vgpu_run().
 * @timeout_ns: as for gring_vgpu_run().
 *
 * One job: TRANSFER_TO_HOST_2D of @rect, then RESOURCE_FLUSH of it, waited
 * for: when this returns 0 the host shows the new pixels.
 *
 * Return: as gring_vgpu_run().
 */
int gring_vgpu_present(const struct gring_device *dev,
		       const struct gring_cmdring *ring,
		       const struct gring_vgpu_resource *res,
		       const struct drm_gring_vgpu_rect *rect,
		       uint32_t syncobj, uint64_t timeout_ns);

/**
 * gring_vgpu_parse_display_info() - decode a GET_DISPLAY_INFO response
 * @resp: the response as the device wrote it (little-endian).
 * @len: bytes at @resp.
 * @info: filled on success, untouched on failure.
 *
 * Return: 0 on success; -EINVAL if @len is below
 * GRING_VGPU_RESP_DISPLAY_SIZE; -EPROTO if the header's type is not
 * VIRTIO_GPU_RESP_OK_DISPLAY_INFO (0x1101).
 */
int gring_vgpu_parse_display_info(const void *resp, size_t len,
				  struct gring_vgpu_display_info *info);

/**
 * gring_vgpu_display_info() - ask the device for its scanouts, and wait
 * @dev: the device that created @ring.
 * @ring: a DRM_GRING_ENGINE_VIRTIO_GPU ring.
 * @resp: a mapped BO of @dev with GRING_VGPU_RESP_DISPLAY_SIZE bytes at
 *	@resp_offset for the response.
 * @resp_offset: 8-byte aligned.
 * @info: filled on success, untouched on failure.
 * @timeout_ns: as for gring_vgpu_run().
 *
 * Runs one GET_DISPLAY_INFO job, then reads the response under
 * gring_cpu_prep()/gring_cpu_fini().
 *
 * Return: 0 on success; -EFAULT if @resp is not mapped; otherwise the
 * errno of gring_vgpu_run(), gring_cpu_prep() or
 * gring_vgpu_parse_display_info().
 */
int gring_vgpu_display_info(const struct gring_device *dev,
			    const struct gring_cmdring *ring,
			    const struct gring_bo *resp, uint32_t resp_offset,
			    struct gring_vgpu_display_info *info,
			    uint64_t timeout_ns);

#if defined(__cplusplus)
}
#endif

#endif /* _GRING_H_ */
