// SPDX-License-Identifier: MIT
/*
 * gring-fuzz: what each call's argument is made of, and which errors the
 * uapi lets it return.
 *
 * The error lists of gring's own ioctls are the "Return:"/"Errors:" lists
 * of uapi/gring_drm.h, checked against the kernel's ioctl code
 * (gring_ioctl.c, gring_submit.c, gring_soft.c, gring_prep.c,
 * gring_query.c, gring_vgpu.c). Those of the DRM core's, sync_file's and
 * dma-buf's ioctls come from the 6.12 sources (drm_gem.c, drm_prime.c,
 * drm_syncobj.c, sync_file.c, dma-buf.c): gring promises nothing there,
 * but an errno outside them on a gring file would still mean gring handed
 * the core something it does not expect.
 *
 * No list has EINTR: the fuzzer catches no signal, so no wait is
 * interrupted.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <sys/ioctl.h>

#include "gring_drm.h"
#include "fuzz.h"

#define FLD(type, field, fl) \
	{ #field, offsetof(type, field), sizeof(((type *)0)->field), (fl) }

/*
 * The syncobj array ioctls' counts are never mutated: the DRM core's
 * drm_syncobj_array_find() does kmalloc_array(count_handles) of whatever
 * userspace asks, and a huge count makes the page allocator WARN (6.12;
 * __GFP_NOWARN is missing there). That is the core's, not gring's, and
 * would end every run at once.
 */
#define COUNT	(FZ_F_IN | FZ_F_NOMUT)

#define IN	FZ_F_IN
#define OUT	FZ_F_OUT
#define INOUT	(FZ_F_IN | FZ_F_OUT)

static const struct fz_field get_param_f[] = {
	FLD(struct drm_gring_get_param, param, IN),
	FLD(struct drm_gring_get_param, pad, IN),
	FLD(struct drm_gring_get_param, value, OUT),
};

static const struct fz_field gem_create_f[] = {
	FLD(struct drm_gring_gem_create, size, INOUT),
	FLD(struct drm_gring_gem_create, flags, IN),
	FLD(struct drm_gring_gem_create, handle, OUT),
	FLD(struct drm_gring_gem_create, extensions, IN),
};

static const struct fz_field mmap_offset_f[] = {
	FLD(struct drm_gring_gem_mmap_offset, handle, IN),
	FLD(struct drm_gring_gem_mmap_offset, flags, IN),
	FLD(struct drm_gring_gem_mmap_offset, offset, OUT),
};

static const struct fz_field ring_create_f[] = {
	FLD(struct drm_gring_ring_create, engine, IN),
	FLD(struct drm_gring_ring_create, flags, IN),
	FLD(struct drm_gring_ring_create, size, INOUT),
	FLD(struct drm_gring_ring_create, ring_id, OUT),
	FLD(struct drm_gring_ring_create, extensions, IN),
};

static const struct fz_field ring_destroy_f[] = {
	FLD(struct drm_gring_ring_destroy, ring_id, IN),
	FLD(struct drm_gring_ring_destroy, flags, IN),
};

static const struct fz_field submit_f[] = {
	FLD(struct drm_gring_submit, ring_id, IN),
	FLD(struct drm_gring_submit, flags, IN),
	FLD(struct drm_gring_submit, cmds, IN | FZ_F_PTR),
	FLD(struct drm_gring_submit, cmd_count, IN),
	FLD(struct drm_gring_submit, cmd_size, IN),
	FLD(struct drm_gring_submit, in_syncs, IN | FZ_F_PTR),
	FLD(struct drm_gring_submit, in_sync_count, IN),
	FLD(struct drm_gring_submit, out_sync, IN),
	FLD(struct drm_gring_submit, out_sync_point, IN),
	FLD(struct drm_gring_submit, seqno, OUT),
	FLD(struct drm_gring_submit, extensions, IN),
};

static const struct fz_field cpu_prep_f[] = {
	FLD(struct drm_gring_cpu_prep, handle, IN),
	FLD(struct drm_gring_cpu_prep, flags, IN),
	FLD(struct drm_gring_cpu_prep, offset, IN),
	FLD(struct drm_gring_cpu_prep, size, IN),
	FLD(struct drm_gring_cpu_prep, timeout_ns, IN),
};

static const struct fz_field cpu_fini_f[] = {
	FLD(struct drm_gring_cpu_fini, handle, IN),
	FLD(struct drm_gring_cpu_fini, flags, IN),
	FLD(struct drm_gring_cpu_fini, offset, IN),
	FLD(struct drm_gring_cpu_fini, size, IN),
};

static const struct fz_field ring_query_f[] = {
	FLD(struct drm_gring_ring_query, ring_id, IN),
	FLD(struct drm_gring_ring_query, flags, IN),
	FLD(struct drm_gring_ring_query, regions, IN | FZ_F_PTR),
	FLD(struct drm_gring_ring_query, region_count, INOUT),
	FLD(struct drm_gring_ring_query, size, OUT),
	FLD(struct drm_gring_ring_query, wptr, OUT),
	FLD(struct drm_gring_ring_query, rptr, OUT),
	FLD(struct drm_gring_ring_query, submitted, OUT),
	FLD(struct drm_gring_ring_query, completed, OUT),
	FLD(struct drm_gring_ring_query, faults, OUT),
	FLD(struct drm_gring_ring_query, timeouts, OUT),
	FLD(struct drm_gring_ring_query, refusals, OUT),
};

static const struct fz_field gem_close_f[] = {
	FLD(struct drm_gem_close, handle, IN),
	FLD(struct drm_gem_close, pad, IN),
};

static const struct fz_field prime_handle_f[] = {
	FLD(struct drm_prime_handle, handle, INOUT),
	FLD(struct drm_prime_handle, flags, IN),
	FLD(struct drm_prime_handle, fd, INOUT | FZ_F_FD | FZ_F_SIGNED),
};

static const struct fz_field syncobj_create_f[] = {
	FLD(struct drm_syncobj_create, handle, OUT),
	FLD(struct drm_syncobj_create, flags, IN),
};

static const struct fz_field syncobj_destroy_f[] = {
	FLD(struct drm_syncobj_destroy, handle, IN),
	FLD(struct drm_syncobj_destroy, pad, IN),
};

static const struct fz_field syncobj_handle_f[] = {
	FLD(struct drm_syncobj_handle, handle, INOUT),
	FLD(struct drm_syncobj_handle, flags, IN),
	FLD(struct drm_syncobj_handle, fd, INOUT | FZ_F_FD | FZ_F_SIGNED),
	FLD(struct drm_syncobj_handle, pad, IN),
};

static const struct fz_field syncobj_wait_f[] = {
	FLD(struct drm_syncobj_wait, handles, IN | FZ_F_PTR),
	FLD(struct drm_syncobj_wait, timeout_nsec,
	    IN | FZ_F_ABSTIME | FZ_F_NOMUT | FZ_F_SIGNED),
	FLD(struct drm_syncobj_wait, count_handles, COUNT),
	FLD(struct drm_syncobj_wait, flags, IN),
	FLD(struct drm_syncobj_wait, first_signaled, OUT),
	FLD(struct drm_syncobj_wait, pad, IN),
};

static const struct fz_field syncobj_timeline_wait_f[] = {
	FLD(struct drm_syncobj_timeline_wait, handles, IN | FZ_F_PTR),
	FLD(struct drm_syncobj_timeline_wait, points, IN | FZ_F_PTR),
	FLD(struct drm_syncobj_timeline_wait, timeout_nsec,
	    IN | FZ_F_ABSTIME | FZ_F_NOMUT | FZ_F_SIGNED),
	FLD(struct drm_syncobj_timeline_wait, count_handles, COUNT),
	FLD(struct drm_syncobj_timeline_wait, flags, IN),
	FLD(struct drm_syncobj_timeline_wait, first_signaled, OUT),
	FLD(struct drm_syncobj_timeline_wait, pad, IN),
};

static const struct fz_field syncobj_array_f[] = {
	FLD(struct drm_syncobj_array, handles, IN | FZ_F_PTR),
	FLD(struct drm_syncobj_array, count_handles, COUNT),
	FLD(struct drm_syncobj_array, pad, IN),
};

/* TIMELINE_SIGNAL reads points, QUERY writes them: see the vectors. */
static const struct fz_field syncobj_timeline_array_f[] = {
	FLD(struct drm_syncobj_timeline_array, handles, IN | FZ_F_PTR),
	FLD(struct drm_syncobj_timeline_array, points, IN | FZ_F_PTR),
	FLD(struct drm_syncobj_timeline_array, count_handles, COUNT),
	FLD(struct drm_syncobj_timeline_array, flags, IN),
};

static const struct fz_field syncobj_transfer_f[] = {
	FLD(struct drm_syncobj_transfer, src_handle, IN),
	FLD(struct drm_syncobj_transfer, dst_handle, IN),
	FLD(struct drm_syncobj_transfer, src_point, IN),
	FLD(struct drm_syncobj_transfer, dst_point, IN),
	FLD(struct drm_syncobj_transfer, flags, IN),
	FLD(struct drm_syncobj_transfer, pad, IN),
};

/* The name arrays are left out: they are printed as zero. */
static const struct fz_field sync_merge_f[] = {
	FLD(struct sync_merge_data, fd2, IN | FZ_F_FD | FZ_F_SIGNED),
	FLD(struct sync_merge_data, fence, OUT | FZ_F_FD | FZ_F_SIGNED),
	FLD(struct sync_merge_data, flags, IN),
	FLD(struct sync_merge_data, pad, IN),
};

static const struct fz_field sync_file_info_f[] = {
	FLD(struct sync_file_info, status, OUT | FZ_F_SIGNED),
	FLD(struct sync_file_info, flags, IN),
	FLD(struct sync_file_info, num_fences, INOUT),
	FLD(struct sync_file_info, pad, IN),
	FLD(struct sync_file_info, sync_fence_info, IN | FZ_F_PTR),
};

static const struct fz_field dmabuf_sync_f[] = {
	FLD(struct dma_buf_sync, flags, IN),
};

static const struct fz_field dmabuf_export_f[] = {
	FLD(struct dma_buf_export_sync_file, flags, IN),
	FLD(struct dma_buf_export_sync_file, fd, OUT | FZ_F_FD | FZ_F_SIGNED),
};

static const struct fz_field dmabuf_import_f[] = {
	FLD(struct dma_buf_import_sync_file, flags, IN),
	FLD(struct dma_buf_import_sync_file, fd, IN | FZ_F_FD | FZ_F_SIGNED),
};

const struct fz_field fz_cmd_fields[] = {
	FLD(struct drm_gring_cmd, op, IN),
	FLD(struct drm_gring_cmd, flags, IN),
	FLD(struct drm_gring_cmd, dst_handle, IN),
	FLD(struct drm_gring_cmd, src_handle, IN),
	FLD(struct drm_gring_cmd, dst_offset, IN),
	FLD(struct drm_gring_cmd, src_offset, IN),
	FLD(struct drm_gring_cmd, size, IN),
	FLD(struct drm_gring_cmd, value, IN),
};
const unsigned int fz_cmd_nr_fields = sizeof(fz_cmd_fields) /
				      sizeof(fz_cmd_fields[0]);

const struct fz_field fz_vgpu_cmd_fields[] = {
	FLD(struct drm_gring_vgpu_cmd, type, IN),
	FLD(struct drm_gring_vgpu_cmd, flags, IN),
	FLD(struct drm_gring_vgpu_cmd, resource_id, IN),
	FLD(struct drm_gring_vgpu_cmd, scanout_id, IN),
	FLD(struct drm_gring_vgpu_cmd, format, IN),
	FLD(struct drm_gring_vgpu_cmd, width, IN),
	FLD(struct drm_gring_vgpu_cmd, height, IN),
	FLD(struct drm_gring_vgpu_cmd, bo_handle, IN),
	FLD(struct drm_gring_vgpu_cmd, bo_offset, IN),
	FLD(struct drm_gring_vgpu_cmd, bo_size, IN),
	FLD(struct drm_gring_vgpu_cmd, rect.x, IN),
	FLD(struct drm_gring_vgpu_cmd, rect.y, IN),
	FLD(struct drm_gring_vgpu_cmd, rect.width, IN),
	FLD(struct drm_gring_vgpu_cmd, rect.height, IN),
	FLD(struct drm_gring_vgpu_cmd, resp_handle, IN),
	FLD(struct drm_gring_vgpu_cmd, resp_offset, IN),
};
const unsigned int fz_vgpu_cmd_nr_fields = sizeof(fz_vgpu_cmd_fields) /
					   sizeof(fz_vgpu_cmd_fields[0]);

const struct fz_field fz_sync_fields[] = {
	FLD(struct drm_gring_sync, handle, IN),
	FLD(struct drm_gring_sync, flags, IN),
	FLD(struct drm_gring_sync, point, IN),
};
const unsigned int fz_sync_nr_fields = sizeof(fz_sync_fields) /
				       sizeof(fz_sync_fields[0]);

/* --- documented errors --------------------------------------------------- */

/* gring_ioctl_get_param(): bad pad or parameter. */
static const int get_param_e[] = { EINVAL, 0 };
/*
 * gring_ioctl_gem_create(); ENOSPC also for the GEM core's handle or mmap
 * offset space ("another negative errno from the GEM core").
 */
static const int gem_create_e[] = { EINVAL, E2BIG, ENOSPC, ENOMEM, 0 };
static const int mmap_offset_e[] = { EINVAL, ENOENT, 0 };
/* gring_ioctl_ring_create(): ENODEV for an engine the device lacks. */
static const int ring_create_e[] = { EINVAL, ENODEV, EMFILE, ENOMEM, ENOSPC, 0 };
static const int ring_destroy_e[] = { EINVAL, ENOENT, 0 };
/*
 * struct drm_gring_submit's "Return:"; a virtio-gpu ring adds EEXIST (a
 * resource id the file has) and ESTALE (a resource lost in a reset).
 */
static const int submit_e[] = {
	EINVAL, ENOENT, EFAULT, E2BIG, EBUSY, EAGAIN, ETIMEDOUT, ENOMEM,
	EEXIST, ESTALE, 0
};
static const int cpu_prep_e[] = { EBUSY, ETIMEDOUT, EINVAL, ENOENT, ENOMEM, 0 };
static const int cpu_fini_e[] = { EINVAL, ENOENT, 0 };
static const int ring_query_e[] = { EINVAL, ENOENT, EFAULT, 0 };

/* drm_gem_close_ioctl(): an unknown handle is EINVAL there. */
static const int gem_close_e[] = { EINVAL, 0 };
static const int prime_h2f_e[] = { EINVAL, ENOENT, EMFILE, ENOMEM, 0 };
/*
 * drm_gem_prime_fd_to_handle(): EBADF, EINVAL (not a dma-buf, or one of
 * another device gring cannot import), ENOMEM.
 */
static const int prime_f2h_e[] = { EBADF, EINVAL, ENOMEM, ENOSPC, 0 };
static const int syncobj_create_e[] = { EINVAL, ENOMEM, 0 };
static const int syncobj_destroy_e[] = { EINVAL, 0 };
static const int syncobj_h2f_e[] = { EINVAL, ENOENT, EMFILE, ENOMEM, 0 };
static const int syncobj_f2h_e[] = { EBADF, EINVAL, ENOENT, ENOMEM, 0 };
/* drm_syncobj_array_wait(): ETIME when the (absolute) timeout passes. */
static const int syncobj_wait_e[] = { EINVAL, ENOENT, EFAULT, ENOMEM, ETIME, 0 };
static const int syncobj_array_e[] = { EINVAL, ENOENT, EFAULT, ENOMEM, 0 };
/*
 * drm_syncobj_transfer(): a mutated flags word may hold
 * DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, and drm_syncobj_find_fence()
 * then waits up to 5 s for a point nobody submits: ETIME.
 */
static const int syncobj_transfer_e[] = { EINVAL, ENOENT, ENOMEM, ETIME, 0 };
/*
 * sync_file_ioctl_merge(): ENOENT for an fd2 that is no sync_file (6.12
 * says so, not EBADF), EINVAL for bad flags or pad.
 */
static const int sync_merge_e[] = { EINVAL, ENOENT, EMFILE, ENOMEM, 0 };
static const int sync_info_e[] = { EINVAL, EFAULT, ENOMEM, 0 };
static const int dmabuf_sync_e[] = { EINVAL, 0 };
static const int dmabuf_export_e[] = { EINVAL, EMFILE, ENOMEM, 0 };
static const int dmabuf_import_e[] = { EINVAL, EBADF, ENOMEM, 0 };

/* A record holds the whole argument (struct drm_gring_ring_query: 72). */
#define FITS(ty) _Static_assert(sizeof(ty) <= FZ_ARG_MAX, #ty " > FZ_ARG_MAX")
FITS(struct drm_gring_ring_query);
FITS(struct drm_gring_submit);
FITS(struct sync_file_info);
FITS(struct drm_syncobj_timeline_wait);

#define DESC(k, nm, rq, ty, g, f, e) \
	[k] = { nm, #rq, #ty, rq, sizeof(ty), g, f, \
		sizeof(f) / sizeof((f)[0]), e }

static const struct fz_desc descs[FZ_NR_IOCTLS] = {
	DESC(FZ_GET_PARAM, "GET_PARAM", DRM_IOCTL_GRING_GET_PARAM,
	     struct drm_gring_get_param, true, get_param_f, get_param_e),
	DESC(FZ_GEM_CREATE, "GEM_CREATE", DRM_IOCTL_GRING_GEM_CREATE,
	     struct drm_gring_gem_create, true, gem_create_f, gem_create_e),
	DESC(FZ_GEM_MMAP_OFFSET, "GEM_MMAP_OFFSET",
	     DRM_IOCTL_GRING_GEM_MMAP_OFFSET, struct drm_gring_gem_mmap_offset,
	     true, mmap_offset_f, mmap_offset_e),
	DESC(FZ_RING_CREATE, "RING_CREATE", DRM_IOCTL_GRING_RING_CREATE,
	     struct drm_gring_ring_create, true, ring_create_f, ring_create_e),
	DESC(FZ_RING_DESTROY, "RING_DESTROY", DRM_IOCTL_GRING_RING_DESTROY,
	     struct drm_gring_ring_destroy, true, ring_destroy_f,
	     ring_destroy_e),
	DESC(FZ_SUBMIT, "SUBMIT", DRM_IOCTL_GRING_SUBMIT,
	     struct drm_gring_submit, true, submit_f, submit_e),
	DESC(FZ_CPU_PREP, "CPU_PREP", DRM_IOCTL_GRING_CPU_PREP,
	     struct drm_gring_cpu_prep, true, cpu_prep_f, cpu_prep_e),
	DESC(FZ_CPU_FINI, "CPU_FINI", DRM_IOCTL_GRING_CPU_FINI,
	     struct drm_gring_cpu_fini, true, cpu_fini_f, cpu_fini_e),
	DESC(FZ_RING_QUERY, "RING_QUERY", DRM_IOCTL_GRING_RING_QUERY,
	     struct drm_gring_ring_query, true, ring_query_f, ring_query_e),
	DESC(FZ_GEM_CLOSE, "GEM_CLOSE", DRM_IOCTL_GEM_CLOSE,
	     struct drm_gem_close, false, gem_close_f, gem_close_e),
	DESC(FZ_PRIME_HANDLE_TO_FD, "PRIME_HANDLE_TO_FD",
	     DRM_IOCTL_PRIME_HANDLE_TO_FD, struct drm_prime_handle, false,
	     prime_handle_f, prime_h2f_e),
	DESC(FZ_PRIME_FD_TO_HANDLE, "PRIME_FD_TO_HANDLE",
	     DRM_IOCTL_PRIME_FD_TO_HANDLE, struct drm_prime_handle, false,
	     prime_handle_f, prime_f2h_e),
	DESC(FZ_SYNCOBJ_CREATE, "SYNCOBJ_CREATE", DRM_IOCTL_SYNCOBJ_CREATE,
	     struct drm_syncobj_create, false, syncobj_create_f,
	     syncobj_create_e),
	DESC(FZ_SYNCOBJ_DESTROY, "SYNCOBJ_DESTROY", DRM_IOCTL_SYNCOBJ_DESTROY,
	     struct drm_syncobj_destroy, false, syncobj_destroy_f,
	     syncobj_destroy_e),
	DESC(FZ_SYNCOBJ_HANDLE_TO_FD, "SYNCOBJ_HANDLE_TO_FD",
	     DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, struct drm_syncobj_handle, false,
	     syncobj_handle_f, syncobj_h2f_e),
	DESC(FZ_SYNCOBJ_FD_TO_HANDLE, "SYNCOBJ_FD_TO_HANDLE",
	     DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, struct drm_syncobj_handle, false,
	     syncobj_handle_f, syncobj_f2h_e),
	DESC(FZ_SYNCOBJ_WAIT, "SYNCOBJ_WAIT", DRM_IOCTL_SYNCOBJ_WAIT,
	     struct drm_syncobj_wait, false, syncobj_wait_f, syncobj_wait_e),
	DESC(FZ_SYNCOBJ_TIMELINE_WAIT, "SYNCOBJ_TIMELINE_WAIT",
	     DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, struct drm_syncobj_timeline_wait,
	     false, syncobj_timeline_wait_f, syncobj_wait_e),
	DESC(FZ_SYNCOBJ_RESET, "SYNCOBJ_RESET", DRM_IOCTL_SYNCOBJ_RESET,
	     struct drm_syncobj_array, false, syncobj_array_f,
	     syncobj_array_e),
	DESC(FZ_SYNCOBJ_SIGNAL, "SYNCOBJ_SIGNAL", DRM_IOCTL_SYNCOBJ_SIGNAL,
	     struct drm_syncobj_array, false, syncobj_array_f,
	     syncobj_array_e),
	DESC(FZ_SYNCOBJ_TIMELINE_SIGNAL, "SYNCOBJ_TIMELINE_SIGNAL",
	     DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL,
	     struct drm_syncobj_timeline_array, false,
	     syncobj_timeline_array_f, syncobj_array_e),
	DESC(FZ_SYNCOBJ_QUERY, "SYNCOBJ_QUERY", DRM_IOCTL_SYNCOBJ_QUERY,
	     struct drm_syncobj_timeline_array, false,
	     syncobj_timeline_array_f, syncobj_array_e),
	DESC(FZ_SYNCOBJ_TRANSFER, "SYNCOBJ_TRANSFER",
	     DRM_IOCTL_SYNCOBJ_TRANSFER, struct drm_syncobj_transfer, false,
	     syncobj_transfer_f, syncobj_transfer_e),
	DESC(FZ_SYNC_MERGE, "SYNC_MERGE", SYNC_IOC_MERGE,
	     struct sync_merge_data, false, sync_merge_f, sync_merge_e),
	DESC(FZ_SYNC_FILE_INFO, "SYNC_FILE_INFO", SYNC_IOC_FILE_INFO,
	     struct sync_file_info, false, sync_file_info_f, sync_info_e),
	DESC(FZ_DMABUF_SYNC, "DMABUF_SYNC", DMA_BUF_IOCTL_SYNC,
	     struct dma_buf_sync, false, dmabuf_sync_f, dmabuf_sync_e),
	DESC(FZ_DMABUF_EXPORT_SYNC_FILE, "DMABUF_EXPORT_SYNC_FILE",
	     DMA_BUF_IOCTL_EXPORT_SYNC_FILE, struct dma_buf_export_sync_file,
	     false, dmabuf_export_f, dmabuf_export_e),
	DESC(FZ_DMABUF_IMPORT_SYNC_FILE, "DMABUF_IMPORT_SYNC_FILE",
	     DMA_BUF_IOCTL_IMPORT_SYNC_FILE, struct dma_buf_import_sync_file,
	     false, dmabuf_import_f, dmabuf_import_e),
};

/* System calls: what they may return on the objects the fuzzer gives them. */
static const int open_e[] = { EMFILE, ENFILE, ENOMEM, 0 };
static const int close_e[] = { 0 };
/*
 * drm_gem_mmap(): EINVAL for an offset naming no object, a private
 * mapping (gring refuses copy-on-write) or a range past the object;
 * EACCES for an object this file has no handle to. dma-buf mmap: EINVAL.
 * A ring's status page (offsets below 4 GiB, uapi 6): EINVAL for a
 * private mapping, another size or ring id 0, EACCES for a writable or
 * executable one, ENOENT for a ring the file does not have.
 */
static const int mmap_e[] = { EINVAL, EACCES, ENOENT, ENOMEM, 0 };
static const int munmap_e[] = { EINVAL, 0 };
static const int none_e[] = { 0 };

static const char *const sys_names[] = {
	[FZ_OPEN - FZ_NR_IOCTLS] = "open",
	[FZ_CLOSE - FZ_NR_IOCTLS] = "close",
	[FZ_MMAP - FZ_NR_IOCTLS] = "mmap",
	[FZ_MUNMAP - FZ_NR_IOCTLS] = "munmap",
	[FZ_TOUCH - FZ_NR_IOCTLS] = "touch",
	[FZ_POLL - FZ_NR_IOCTLS] = "poll",
	[FZ_FORK - FZ_NR_IOCTLS] = "fork",
};

static const int *const sys_errnos[] = {
	[FZ_OPEN - FZ_NR_IOCTLS] = open_e,
	[FZ_CLOSE - FZ_NR_IOCTLS] = close_e,
	[FZ_MMAP - FZ_NR_IOCTLS] = mmap_e,
	[FZ_MUNMAP - FZ_NR_IOCTLS] = munmap_e,
	[FZ_TOUCH - FZ_NR_IOCTLS] = none_e,
	[FZ_POLL - FZ_NR_IOCTLS] = none_e,
	[FZ_FORK - FZ_NR_IOCTLS] = none_e,
};

const struct fz_desc *fz_desc(enum fz_kind kind)
{
	return kind < FZ_NR_IOCTLS ? &descs[kind] : NULL;
}

const char *fz_kind_name(enum fz_kind kind)
{
	if (kind < FZ_NR_IOCTLS)
		return descs[kind].name;
	if (kind < FZ_NR_KINDS)
		return sys_names[kind - FZ_NR_IOCTLS];
	return "?";
}

bool fz_errno_allowed(enum fz_kind kind, int err)
{
	const int *e;

	if (kind >= FZ_NR_KINDS)
		return false;
	e = kind < FZ_NR_IOCTLS ? descs[kind].errnos :
				  sys_errnos[kind - FZ_NR_IOCTLS];
	for (; *e; e++)
		if (*e == err)
			return true;
	return false;
}

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" },
	{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { ETIME, "ETIME" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ ESTALE, "ESTALE" }, { ECANCELED, "ECANCELED" },
};

const char *fz_errno_name(int err, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	snprintf(buf, len, "errno %d", err);
	return buf;
}

uint64_t fz_field_get(const void *arg, const struct fz_field *f)
{
	const uint8_t *p = (const uint8_t *)arg + f->off;
	uint32_t v32;
	uint64_t v64;

	if (f->size == 4) {
		memcpy(&v32, p, 4);
		return v32;
	}
	memcpy(&v64, p, 8);
	return v64;
}

void fz_field_set(void *arg, const struct fz_field *f, uint64_t v)
{
	uint8_t *p = (uint8_t *)arg + f->off;
	uint32_t v32 = (uint32_t)v;

	if (f->size == 4)
		memcpy(p, &v32, 4);
	else
		memcpy(p, &v, 8);
}
