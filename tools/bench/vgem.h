/* SPDX-License-Identifier: MIT */
/*
 * gring-bench's vgem side: the two vgem ioctls it uses, as in the kernel's
 * include/uapi/drm/vgem_drm.h (Linux 6.12), since libdrm ships no vgem
 * header; and dumb-buffer helpers (vgem.c) over the core DRM ioctls.
 */
#ifndef GRING_BENCH_VGEM_H
#define GRING_BENCH_VGEM_H

#include <stddef.h>
#include <stdint.h>

#include <drm.h>

#define DRM_VGEM_FENCE_ATTACH	0x1
#define DRM_VGEM_FENCE_SIGNAL	0x2

#define DRM_IOCTL_VGEM_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VGEM_FENCE_ATTACH, \
		 struct drm_vgem_fence_attach)
#define DRM_IOCTL_VGEM_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VGEM_FENCE_SIGNAL, \
		struct drm_vgem_fence_signal)

struct drm_vgem_fence_attach {
	__u32 handle;
	__u32 flags;
#define VGEM_FENCE_WRITE	0x1
	__u32 out_fence;
	__u32 pad;
};

struct drm_vgem_fence_signal {
	__u32 fence;
	__u32 flags;
};

int vgem_dumb_create(int fd, uint64_t size, uint32_t *handle);
int vgem_dumb_map_offset(int fd, uint32_t handle, uint64_t *offset);
int vgem_gem_close(int fd, uint32_t handle);

#endif /* GRING_BENCH_VGEM_H */
