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
 * 3 - rings on the soft engine: RING_CREATE, RING_DESTROY, SUBMIT (in- and
 *     out-syncobjs, timeline points), CPU_PREP, CPU_FINI, RING_QUERY.
 * 4 - DRM_GRING_PARAM_ENGINES; rings on a virtio-gpu device bound to gring
 *     (DRM_GRING_ENGINE_VIRTIO_GPU, struct drm_gring_vgpu_cmd).
 * 5 - DRM_GRING_PARAM_MAX_RINGS and -EMFILE from RING_CREATE beyond it;
 *     RING_DESTROY and close return at once while the ring's jobs run on;
 *     jobs' fences in each BO's dma_resv (implicit sync with dma-buf
 *     users); a job whose dependency failed is skipped with -ECANCELED;
 *     CPU_PREP: timeout_ns 0 does not wait, NOWAIT ignores timeout_ns.
 * 6 - a ring's completion mapped read-only (struct drm_gring_ring_status
 *     at DRM_GRING_RING_STATUS_OFFSET()); ring ids stay below
 *     DRM_GRING_MAX_RING_ID; a virtio-gpu device recovers from a hang
 *     (lost resources: -ESTALE).
 */
#define DRM_GRING_UAPI_VERSION		6

#define DRM_GRING_GET_PARAM		0x00
#define DRM_GRING_GEM_CREATE		0x01
#define DRM_GRING_GEM_MMAP_OFFSET	0x02
#define DRM_GRING_RING_CREATE		0x03
#define DRM_GRING_RING_DESTROY		0x04
#define DRM_GRING_SUBMIT		0x05
#define DRM_GRING_CPU_PREP		0x06
#define DRM_GRING_CPU_FINI		0x07
#define DRM_GRING_RING_QUERY		0x08

#define DRM_IOCTL_GRING_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_GET_PARAM, \
		 struct drm_gring_get_param)
#define DRM_IOCTL_GRING_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_GEM_CREATE, \
		 struct drm_gring_gem_create)
#define DRM_IOCTL_GRING_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_GEM_MMAP_OFFSET, \
		 struct drm_gring_gem_mmap_offset)
#define DRM_IOCTL_GRING_RING_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_RING_CREATE, \
		 struct drm_gring_ring_create)
#define DRM_IOCTL_GRING_RING_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_GRING_RING_DESTROY, \
		struct drm_gring_ring_destroy)
#define DRM_IOCTL_GRING_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_SUBMIT, \
		 struct drm_gring_submit)
#define DRM_IOCTL_GRING_CPU_PREP \
	DRM_IOW(DRM_COMMAND_BASE + DRM_GRING_CPU_PREP, \
		struct drm_gring_cpu_prep)
#define DRM_IOCTL_GRING_CPU_FINI \
	DRM_IOW(DRM_COMMAND_BASE + DRM_GRING_CPU_FINI, \
		struct drm_gring_cpu_fini)
#define DRM_IOCTL_GRING_RING_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GRING_RING_QUERY, \
		 struct drm_gring_ring_query)

/**
 * enum drm_gring_param - values readable with DRM_IOCTL_GRING_GET_PARAM
 * @DRM_GRING_PARAM_UAPI_VERSION: DRM_GRING_UAPI_VERSION of the kernel.
 * @DRM_GRING_PARAM_MAX_BO_SIZE: largest size GEM_CREATE accepts, in bytes.
 * @DRM_GRING_PARAM_BO_ALIGN: granule BO sizes are rounded up to, in bytes.
 * @DRM_GRING_PARAM_PINNED_CAP: most bytes all live BOs of the device may
 *	hold together, in bytes (since version 2). BO memory is pinned:
 *	it can be neither swapped nor reclaimed while the BO lives.
 * @DRM_GRING_PARAM_ENGINES: the engines this device's rings may use, as a
 *	mask of (1 << enum drm_gring_engine). Every gring device has the soft
 *	engine; one bound to a virtio-gpu PCI function also has
 *	DRM_GRING_ENGINE_VIRTIO_GPU.
 * @DRM_GRING_PARAM_MAX_RINGS: most rings one DRM file may have at once
 *	(since version 5); RING_CREATE beyond it fails with -EMFILE.
 */
enum drm_gring_param {
	DRM_GRING_PARAM_UAPI_VERSION = 0,
	DRM_GRING_PARAM_MAX_BO_SIZE = 1,
	DRM_GRING_PARAM_BO_ALIGN = 2,
	DRM_GRING_PARAM_PINNED_CAP = 3,
	DRM_GRING_PARAM_ENGINES = 4,
	DRM_GRING_PARAM_MAX_RINGS = 5,
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

/**
 * enum drm_gring_engine - what consumes a ring
 * @DRM_GRING_ENGINE_SOFT: the software command processor in the module. It
 *	reaches memory only through DMA addresses, resolved through its own
 *	table of mapped buffers; anything else is a device fault.
 * @DRM_GRING_ENGINE_VIRTIO_GPU: the virtio-gpu device (QEMU's
 *	virtio-gpu-pci) the gring device was bound to. Its rings take
 *	struct drm_gring_vgpu_cmd: 2D control commands, checked by the kernel,
 *	which fills every guest address itself. Only on a device whose
 *	DRM_GRING_PARAM_ENGINES has it; elsewhere RING_CREATE fails -ENODEV.
 *	@size of RING_CREATE must be 0; the ring holds
 *	DRM_GRING_VGPU_MAX_CMDS commands in flight.
 */
enum drm_gring_engine {
	DRM_GRING_ENGINE_SOFT = 0,
	DRM_GRING_ENGINE_VIRTIO_GPU = 1,
};

/**
 * struct drm_gring_ring_create - create a command ring on an engine
 * @engine: in, one of enum drm_gring_engine.
 * @flags: must be zero.
 * @size: in, ring size in bytes: a power of two from
 *	DRM_GRING_RING_SIZE_MIN to DRM_GRING_RING_SIZE_MAX, or 0 for
 *	DRM_GRING_RING_SIZE_DEFAULT; out, the size used.
 * @ring_id: out, the ring's id, valid on this file only.
 * @extensions: must be zero.
 */
struct drm_gring_ring_create {
	__u32 engine;
	__u32 flags;
	__u32 size;
	__u32 ring_id;
	__u64 extensions;
};

#define DRM_GRING_RING_SIZE_MIN		(4u << 10)
#define DRM_GRING_RING_SIZE_MAX		(1024u << 10)
#define DRM_GRING_RING_SIZE_DEFAULT	(64u << 10)

/**
 * struct drm_gring_ring_destroy - destroy a ring
 * @ring_id: in, a ring of this file.
 * @flags: must be zero.
 *
 * The id is free at once and the call does not wait for the ring's jobs:
 * jobs already submitted still run (or time out) afterwards, and their
 * fences signal with their status as if the ring were still there. The
 * same holds when the file is closed. (Before version 5, RING_DESTROY
 * waited for the jobs, and cancelled those still running.)
 */
struct drm_gring_ring_destroy {
	__u32 ring_id;
	__u32 flags;
};

/**
 * enum drm_gring_op - the commands a soft-engine ring executes
 * @DRM_GRING_OP_NOP: nothing; every other field zero.
 * @DRM_GRING_OP_WRITE32: store the low 32 bits of @value at dst (4-byte
 *	aligned); @value must fit in 32 bits.
 * @DRM_GRING_OP_WRITE64: store @value at dst (8-byte aligned).
 * @DRM_GRING_OP_COPY: copy @size bytes (non-zero) from src to dst.
 * @DRM_GRING_OP_FILL: fill @size bytes at dst (both 4-byte aligned,
 *	non-zero) with the 32-bit pattern @value.
 * @DRM_GRING_OP_TIMESTAMP: store the engine's monotonic time in ns at dst
 *	(8-byte aligned).
 * @DRM_GRING_OP_STALL: keep the engine busy for @value ns (at most
 *	DRM_GRING_STALL_MAX_NS): lets tests make a job slow, or hung.
 */
enum drm_gring_op {
	DRM_GRING_OP_NOP = 0,
	DRM_GRING_OP_WRITE32 = 1,
	DRM_GRING_OP_WRITE64 = 2,
	DRM_GRING_OP_COPY = 3,
	DRM_GRING_OP_FILL = 4,
	DRM_GRING_OP_TIMESTAMP = 5,
	DRM_GRING_OP_STALL = 6,
};

#define DRM_GRING_STALL_MAX_NS		(60ull * 1000 * 1000 * 1000)

/**
 * struct drm_gring_cmd - one command, naming buffers by handle + offset
 * @op: one of enum drm_gring_op.
 * @flags: must be zero.
 * @dst_handle: GEM handle of the destination BO (this file's), or zero
 *	when @op has no destination.
 * @src_handle: GEM handle of the source BO, or zero when @op has none.
 * @dst_offset: byte offset into the destination BO.
 * @src_offset: byte offset into the source BO.
 * @size: bytes for COPY and FILL; zero otherwise.
 * @value: the immediate of WRITE32/WRITE64/FILL, STALL's nanoseconds;
 *	zero otherwise.
 *
 * Every field an op does not use must be zero. The kernel checks that each
 * range lies inside its BO and translates it to the DMA address the engine
 * uses; userspace never supplies or sees an address.
 */
struct drm_gring_cmd {
	__u32 op;
	__u32 flags;
	__u32 dst_handle;
	__u32 src_handle;
	__u64 dst_offset;
	__u64 src_offset;
	__u64 size;
	__u64 value;
};

/**
 * struct drm_gring_sync - a syncobj to wait on
 * @handle: the syncobj handle.
 * @flags: must be zero.
 * @point: the timeline point, or zero for a binary syncobj.
 */
struct drm_gring_sync {
	__u32 handle;
	__u32 flags;
	__u64 point;
};

/* SUBMIT: return -EAGAIN instead of waiting when the ring is full. */
#define DRM_GRING_SUBMIT_NONBLOCK	0x1u
#define DRM_GRING_SUBMIT_FLAGS		DRM_GRING_SUBMIT_NONBLOCK

/* Most commands in one SUBMIT. */
#define DRM_GRING_MAX_CMDS		4096
/* Most in-syncobjs in one SUBMIT. */
#define DRM_GRING_MAX_IN_SYNCS		64

/**
 * struct drm_gring_submit - queue one job of commands on a ring
 * @ring_id: in, a ring of this file.
 * @flags: in, DRM_GRING_SUBMIT_* flags.
 * @cmds: in, pointer to @cmd_count struct drm_gring_cmd (a
 *	DRM_GRING_ENGINE_VIRTIO_GPU ring: struct drm_gring_vgpu_cmd).
 * @cmd_count: in, 1 to DRM_GRING_MAX_CMDS (DRM_GRING_VGPU_MAX_CMDS).
 * @cmd_size: in, sizeof the command struct: lets the struct grow.
 * @in_syncs: in, pointer to @in_sync_count struct drm_gring_sync; the job
 *	starts once all of them have signalled.
 * @in_sync_count: in, 0 to DRM_GRING_MAX_IN_SYNCS.
 * @out_sync: in, a syncobj that receives the job's fence, or zero.
 * @out_sync_point: in, timeline point for @out_sync, or zero to replace a
 *	binary syncobj's fence.
 * @seqno: out, the job's sequence number on its ring (1, 2, ...).
 * @extensions: must be zero.
 *
 * The commands are written into the ring, which then belongs to the engine
 * until the job completes. When the ring has no room the call waits for
 * room (up to the engine's job timeout), or fails with -EAGAIN under
 * DRM_GRING_SUBMIT_NONBLOCK. A job the engine cannot complete (a device
 * fault, a hang) signals its fence with an error; the ring goes on.
 *
 * Ordering. Jobs of one ring run in submission order. Besides its
 * in-syncs, a job waits for every earlier job, of any ring and any file,
 * that touches bytes of the same BO it touches (reads included: the engine
 * owns each byte exclusively), and for the fences other drivers put in the
 * BO's reservation object (dma_resv) that its access conflicts with. Its
 * own fence is added to the reservation object of each BO it touches, as a
 * write where it writes and a read where it only reads, so dma-buf
 * importers (poll, DMA_BUF_IOCTL_SYNC, other drivers) wait for it.
 * A job whose in-sync fence, or whose implicit dependency on another
 * ring's job, ended in an error does not run: its fence signals with
 * -ECANCELED. An earlier job of the same ring that failed does not stop
 * the ring's later jobs.
 *
 * @cmd_size may exceed this header's struct size when the bytes beyond it
 * are zero (a newer header's unused fields); non-zero bytes there give
 * -EINVAL. A smaller size reads the missing fields as zero.
 *
 * Return: 0; -EINVAL for a bad field or command; -ENOENT for an unknown
 * ring, BO or syncobj; -EFAULT for unreadable arrays; -E2BIG when the
 * commands take more than half the ring; -EBUSY when a command touches a
 * range the CPU holds (CPU_PREP); -EAGAIN (NONBLOCK, ring full) or
 * -ETIMEDOUT (the ring stayed full); -ENODEV once the device is gone;
 * -ENOMEM. Nothing is queued and nothing changes on failure.
 */
struct drm_gring_submit {
	__u32 ring_id;
	__u32 flags;
	__u64 cmds;
	__u32 cmd_count;
	__u32 cmd_size;
	__u64 in_syncs;
	__u32 in_sync_count;
	__u32 out_sync;
	__u64 out_sync_point;
	__u64 seqno;
	__u64 extensions;
};

/*
 * The virtio-gpu 2D control commands a DRM_GRING_ENGINE_VIRTIO_GPU ring
 * takes, numbered as in the virtio spec ("GPU Device", and
 * <linux/virtio_gpu.h>'s VIRTIO_GPU_CMD_*).
 */
#define DRM_GRING_VGPU_GET_DISPLAY_INFO		0x0100
#define DRM_GRING_VGPU_RESOURCE_CREATE_2D	0x0101
#define DRM_GRING_VGPU_RESOURCE_UNREF		0x0102
#define DRM_GRING_VGPU_SET_SCANOUT		0x0103
#define DRM_GRING_VGPU_RESOURCE_FLUSH		0x0104
#define DRM_GRING_VGPU_TRANSFER_TO_HOST_2D	0x0105
#define DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING	0x0106
#define DRM_GRING_VGPU_RESOURCE_DETACH_BACKING	0x0107

/* Most commands one job on a virtio-gpu ring may hold, and in flight. */
#define DRM_GRING_VGPU_MAX_CMDS		32
/* Largest 2D resource side, in pixels. */
#define DRM_GRING_VGPU_MAX_DIM		16384

/**
 * struct drm_gring_vgpu_rect - a rectangle of a resource, in pixels
 * @x: left column.
 * @y: top row.
 * @width: columns.
 * @height: rows.
 */
struct drm_gring_vgpu_rect {
	__u32 x;
	__u32 y;
	__u32 width;
	__u32 height;
};

/**
 * struct drm_gring_vgpu_cmd - one virtio-gpu 2D command for SUBMIT
 * @type: in, a DRM_GRING_VGPU_* command.
 * @flags: must be zero.
 * @resource_id: in, a resource of this file (ids are per file, non-zero;
 *	RESOURCE_CREATE_2D names a new one). SET_SCANOUT takes 0 to turn the
 *	scanout off.
 * @scanout_id: in, SET_SCANOUT: the scanout, below the count the device
 *	reports; otherwise zero.
 * @format: in, RESOURCE_CREATE_2D: a VIRTIO_GPU_FORMAT_* with 4 bytes per
 *	pixel; otherwise zero.
 * @width: in, RESOURCE_CREATE_2D: pixels, 1 to DRM_GRING_VGPU_MAX_DIM.
 * @height: in, RESOURCE_CREATE_2D: pixels, 1 to DRM_GRING_VGPU_MAX_DIM.
 * @bo_handle: in, RESOURCE_ATTACH_BACKING: the BO that backs the resource;
 *	otherwise zero.
 * @bo_offset: in, RESOURCE_ATTACH_BACKING: where the backing starts in the
 *	BO (page-aligned); TRANSFER_TO_HOST_2D: where the rectangle's first
 *	pixel is in the backing (the device's "offset": rows are
 *	width * 4 bytes apart).
 * @bo_size: in, RESOURCE_ATTACH_BACKING: backing bytes, at least
 *	width * height * 4 of the resource, inside the BO; otherwise zero.
 * @rect: in, SET_SCANOUT, RESOURCE_FLUSH, TRANSFER_TO_HOST_2D: inside the
 *	resource, non-empty; otherwise zero.
 * @resp_handle: in, zero, or a BO of this file that receives the device's
 *	response (struct virtio_gpu_ctrl_hdr, or struct
 *	virtio_gpu_resp_display_info for GET_DISPLAY_INFO) once the job is
 *	done.
 * @resp_offset: in, where in @resp_handle: 8-aligned, with room for the
 *	whole response; zero without @resp_handle.
 *
 * Userspace names memory by BO handle and offset only; the kernel checks
 * every field and writes the device's request itself, guest addresses
 * included. A command the device answers with an error
 * (VIRTIO_GPU_RESP_ERR_*) fails its job's fence: -ENOMEM for
 * ERR_OUT_OF_MEMORY, -EINVAL for the others. RESOURCE_UNREF of a resource
 * with a backing detaches it too.
 *
 * Hangs. A job the device does not complete within the engine's timeout
 * resets the device, which is then set up again: that job, and every job
 * whose commands the device had at the time, signal -ETIMEDOUT. A reset
 * device has forgotten every resource and shows nothing on its scanouts,
 * which belong to no file any more. A resource that existed at the reset
 * (its CREATE queued before it included) is lost: SUBMIT refuses a
 * command naming it with -ESTALE, but RESOURCE_UNREF, which frees its id
 * for a new RESOURCE_CREATE_2D; a job queued before the reset that names
 * one signals -ESTALE without reaching the device. If the device does
 * not come back, every later job signals -ENODEV.
 */
struct drm_gring_vgpu_cmd {
	__u32 type;
	__u32 flags;
	__u32 resource_id;
	__u32 scanout_id;
	__u32 format;
	__u32 width;
	__u32 height;
	__u32 bo_handle;
	__u64 bo_offset;
	__u64 bo_size;
	struct drm_gring_vgpu_rect rect;
	__u32 resp_handle;
	__u32 resp_offset;
};

/* CPU_PREP: the CPU will read the range / will write it. */
#define DRM_GRING_PREP_READ		0x1u
#define DRM_GRING_PREP_WRITE		0x2u
/* CPU_PREP: fail with -EBUSY rather than wait. */
#define DRM_GRING_PREP_NOWAIT		0x4u
#define DRM_GRING_PREP_FLAGS		(DRM_GRING_PREP_READ | \
					 DRM_GRING_PREP_WRITE | \
					 DRM_GRING_PREP_NOWAIT)

/**
 * struct drm_gring_cpu_prep - take a BO range for the CPU
 * @handle: in, the BO.
 * @flags: in, DRM_GRING_PREP_READ and/or _WRITE, optionally _NOWAIT.
 * @offset: in, first byte of the range.
 * @size: in, bytes in the range (non-zero, inside the BO).
 * @timeout_ns: in, longest wait in ns (relative): 0 does not wait (-ETIMEDOUT
 *	at once if busy); ignored with NOWAIT.
 *
 * Waits until no job in flight writes the range (READ) or touches it at
 * all (WRITE), and for the conflicting fences other drivers put in the
 * BO's reservation object; after that, the CPU's view of those bytes is
 * current. The range stays the CPU's until CPU_FINI: a SUBMIT touching it
 * fails with -EBUSY. This is a contract between gring's ioctls, not a
 * hardware protection: a store through a mapping into bytes a queued job
 * uses is neither refused nor counted (no MMU trap sits on the mapping).
 * Return: 0; -EBUSY (NOWAIT, busy) or -ETIMEDOUT; -EINVAL for bad fields;
 * -ENOENT for an unknown handle.
 */
struct drm_gring_cpu_prep {
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u64 size;
	__u64 timeout_ns;
};

/**
 * struct drm_gring_cpu_fini - give a range taken by CPU_PREP back
 * @handle: in, the BO.
 * @flags: must be zero.
 * @offset: in, exactly the offset CPU_PREP took.
 * @size: in, exactly the size CPU_PREP took.
 */
struct drm_gring_cpu_fini {
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u64 size;
};

/* Owners in struct drm_gring_region. */
#define DRM_GRING_OWNER_CPU		0
#define DRM_GRING_OWNER_GPU		1
#define DRM_GRING_OWNER_MIXED		2

/**
 * struct drm_gring_region - one stretch of a ring and who owns it
 * @offset: first byte, as an offset into the ring.
 * @size: bytes.
 * @owner: DRM_GRING_OWNER_CPU or DRM_GRING_OWNER_GPU, as the ownership
 *	layer has it; DRM_GRING_OWNER_MIXED would mean the ring's pointers
 *	and its owners disagree (a bug).
 * @pad: zero.
 */
struct drm_gring_region {
	__u64 offset;
	__u64 size;
	__u32 owner;
	__u32 pad;
};

/**
 * struct drm_gring_ring_query - a ring's pointers, owners and counters
 * @ring_id: in, a ring of this file.
 * @flags: must be zero.
 * @regions: in, pointer to room for @region_count struct drm_gring_region,
 *	or zero to learn how many there are.
 * @region_count: in, room at @regions; out, regions the ring has now
 *	(written even when larger than the room given, nothing then copied).
 * @size: out, ring size in bytes.
 * @wptr: out, the CPU's write offset.
 * @rptr: out, the engine's read offset (from the writeback area).
 * @submitted: out, the seqno of the last job submitted.
 * @completed: out, the seqno the engine last wrote to the writeback area.
 * @faults: out, jobs that ended with a device fault.
 * @timeouts: out, jobs that hung and were cancelled.
 * @refusals: out, ownership violations refused on this ring's buffers.
 *
 * Only offsets and counts: never an address.
 *
 * A DRM_GRING_ENGINE_VIRTIO_GPU ring has no command ring of its own (its
 * commands go through the device's virtqueue, which debugfs gring_rings
 * shows): @size, @wptr, @rptr and @region_count are zero, @completed is
 * the last job whose responses came back, @faults counts jobs the device
 * answered with an error.
 */
struct drm_gring_ring_query {
	__u32 ring_id;
	__u32 flags;
	__u64 regions;
	__u32 region_count;
	__u32 size;
	__u32 wptr;
	__u32 rptr;
	__u64 submitted;
	__u64 completed;
	__u64 faults;
	__u64 timeouts;
	__u64 refusals;
};

/*
 * A ring's completion, readable without an ioctl. mmap() of the DRM file
 * that created the ring, DRM_GRING_STATUS_SIZE bytes at offset
 * DRM_GRING_RING_STATUS_OFFSET(ring_id), maps its struct
 * drm_gring_ring_status: PROT_READ and MAP_SHARED only (a writable
 * mapping is -EACCES, also by mprotect() later; a private one -EINVAL;
 * another size or a ring the file does not have, -EINVAL / -ENOENT). The
 * mapping outlives RING_DESTROY and close, frozen where the ring ended;
 * once the device is unbound, reading it raises SIGBUS and a new one is
 * -ENODEV, as for a BO's mapping.
 * Offsets below 4 GiB are never a BO's (theirs come from
 * GEM_MMAP_OFFSET), hence the ring id limit.
 */
#define DRM_GRING_MAX_RING_ID			0xfffffu
#define DRM_GRING_STATUS_SIZE			4096
#define DRM_GRING_RING_STATUS_OFFSET(ring_id)	((__u64)(ring_id) << 12)
#define DRM_GRING_STATUS_ERRORS			64

/**
 * struct drm_gring_ring_status - a ring's completion, mapped read-only
 * @completed: every job of the ring up to this seqno is done: the engine
 *	finished it and its writes are visible to the CPU. Its fence has
 *	signalled or signals right after, with the status below. Written
 *	after the log, with a write barrier between.
 * @errors: jobs of the ring up to @completed that ended with an error.
 * @error_seqno: the seqnos of the last DRM_GRING_STATUS_ERRORS of them,
 *	in seqno order: the n-th (from 0) at n % DRM_GRING_STATUS_ERRORS.
 * @error: their errors (negative errnos), as their fences carry them.
 *	An entry's seqno is written before its error, a write barrier
 *	between, and @errors after both.
 *
 * Only seqnos, counts and errnos: never an address. A job's outcome, as
 * libgring's gring_ring_status_job() reads it: load @completed with
 * acquire semantics; above it, the job is not done. Else load @errors
 * (acquire), look for the seqno in the log (each entry: @error, read
 * barrier, @error_seqno), then load @errors again after a read barrier:
 * if it changed, look again. Found: the job failed with that error. Not
 * found: it succeeded if the log reaches back to it (@errors <=
 * DRM_GRING_STATUS_ERRORS, or the seqno is above the oldest entry's);
 * otherwise only its fence still says.
 */
struct drm_gring_ring_status {
	__u64 completed;
	__u64 errors;
	__u64 error_seqno[DRM_GRING_STATUS_ERRORS];
	__s32 error[DRM_GRING_STATUS_ERRORS];
};

#if defined(__cplusplus)
}
#endif

#endif /* _GRING_DRM_H_ */
