/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the ring tests (gring_ring, gring_engine, gring_prep): raw
 * ioctl wrappers for RING_*, SUBMIT, CPU_PREP/FINI, command builders and
 * syncobj waits. Header-only so each binary takes what it uses.
 */
#ifndef GRING_RING_TEST_H
#define GRING_RING_TEST_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "igt_gring.h"
#include "gring_test.h"

#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_SEC	1000000000ull

/* Output fields are preset to this; a failed ioctl must leave them. */
#define UNTOUCHED	0x5a5a5a5au

static inline int ring_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN) &&
		 request != DRM_IOCTL_GRING_SUBMIT);
	return ret ? -errno : 0;
}

static inline int __ring_create(int fd, struct drm_gring_ring_create *arg)
{
	return ring_ioctl(fd, DRM_IOCTL_GRING_RING_CREATE, arg);
}

static inline uint32_t ring_create(int fd, uint32_t size)
{
	struct drm_gring_ring_create arg = {
		.engine = DRM_GRING_ENGINE_SOFT,
		.size = size,
	};

	igt_assert_eq(__ring_create(fd, &arg), 0);
	igt_assert(arg.ring_id != 0);
	return arg.ring_id;
}

static inline int __ring_destroy(int fd, uint32_t id)
{
	struct drm_gring_ring_destroy arg = { .ring_id = id };

	return ring_ioctl(fd, DRM_IOCTL_GRING_RING_DESTROY, &arg);
}

static inline void ring_destroy(int fd, uint32_t id)
{
	igt_assert_eq(__ring_destroy(fd, id), 0);
}

static inline int __submit(int fd, struct drm_gring_submit *arg)
{
	return ring_ioctl(fd, DRM_IOCTL_GRING_SUBMIT, arg);
}

/* Submit @n commands; signal @out_sync (0: none). Returns the seqno. */
static inline uint64_t submit(int fd, uint32_t ring, const struct drm_gring_cmd *cmds,
		       uint32_t n, uint32_t out_sync)
{
	struct drm_gring_submit arg = {
		.ring_id = ring,
		.cmds = (uintptr_t)cmds,
		.cmd_count = n,
		.cmd_size = sizeof(*cmds),
		.out_sync = out_sync,
	};

	igt_assert_eq(__submit(fd, &arg), 0);
	return arg.seqno;
}

static inline struct drm_gring_cmd cmd_write32(uint32_t bo, uint64_t off, uint32_t v)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_WRITE32,
		.dst_handle = bo, .dst_offset = off, .value = v };
}

static inline struct drm_gring_cmd cmd_write64(uint32_t bo, uint64_t off, uint64_t v)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_WRITE64,
		.dst_handle = bo, .dst_offset = off, .value = v };
}

static inline struct drm_gring_cmd cmd_copy(uint32_t dst, uint64_t doff, uint32_t src,
				     uint64_t soff, uint64_t size)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_COPY,
		.dst_handle = dst, .dst_offset = doff,
		.src_handle = src, .src_offset = soff, .size = size };
}

static inline struct drm_gring_cmd cmd_fill(uint32_t bo, uint64_t off, uint64_t size,
				     uint32_t pattern)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_FILL,
		.dst_handle = bo, .dst_offset = off, .size = size,
		.value = pattern };
}

static inline struct drm_gring_cmd cmd_stall(uint64_t ns)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_STALL, .value = ns };
}

static inline int __query(int fd, uint32_t ring, struct drm_gring_ring_query *q,
		   struct drm_gring_region *regions, uint32_t room)
{
	memset(q, 0, sizeof(*q));
	q->ring_id = ring;
	q->regions = (uintptr_t)regions;
	q->region_count = room;
	return ring_ioctl(fd, DRM_IOCTL_GRING_RING_QUERY, q);
}

static inline void query(int fd, uint32_t ring, struct drm_gring_ring_query *q,
		  struct drm_gring_region *regions, uint32_t room)
{
	igt_assert_eq(__query(fd, ring, q, regions, room), 0);
}

static inline uint32_t syncobj_create(int fd)
{
	uint32_t h;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &h), 0);
	return h;
}

/* Wait for a binary syncobj; 0 or -ETIME. */
static inline int syncobj_wait(int fd, uint32_t h, uint64_t timeout_ns)
{
	struct timespec ts;
	int64_t abs;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	abs = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec + timeout_ns;
	return drmSyncobjWait(fd, &h, 1, abs,
			      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
}

/* The status of the fence in a syncobj: 1 signalled, 0 busy, <0 error. */
static inline int syncobj_status(int fd, uint32_t h)
{
	struct sync_file_info info = {};
	int sf, ret;

	igt_assert_eq(drmSyncobjExportSyncFile(fd, h, &sf), 0);
	ret = ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	igt_assert_eq(ret, 0);
	return info.status;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Distinct for every 32-bit word index. */
static inline uint32_t word_pattern(uint64_t i, uint32_t salt)
{
	return (uint32_t)(i * 2654435761u) ^ salt;
}

static inline int __cpu_prep(int fd, uint32_t bo, uint32_t flags, uint64_t off,
		      uint64_t size, uint64_t timeout_ns)
{
	struct drm_gring_cpu_prep arg = {
		.handle = bo, .flags = flags, .offset = off, .size = size,
		.timeout_ns = timeout_ns,
	};

	return ring_ioctl(fd, DRM_IOCTL_GRING_CPU_PREP, &arg);
}

static inline int __cpu_fini(int fd, uint32_t bo, uint64_t off, uint64_t size)
{
	struct drm_gring_cpu_fini arg = {
		.handle = bo, .offset = off, .size = size,
	};

	return ring_ioctl(fd, DRM_IOCTL_GRING_CPU_FINI, &arg);
}

#endif /* GRING_RING_TEST_H */
