// SPDX-License-Identifier: MIT
/*
 * gring_ring: rings on the soft engine -- RING_CREATE/DESTROY, SUBMIT with
 * syncobjs, RING_QUERY's ownership map, CPU_PREP/CPU_FINI, and the
 * handoff between CPU and engine that all of them prove.
 *
 * Every expected value is computed here, by the test, from what it asked
 * for: byte patterns, offsets, seqnos, errnos.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "igt_gring.h"
#include "gring_test.h"

IGT_TEST_DESCRIPTION("Command rings on gring's soft engine and the CPU/GPU ownership handoff.");

#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_SEC	1000000000ull

/* Output fields are preset to this; a failed ioctl must leave them. */
#define UNTOUCHED	0x5a5a5a5au

static int ring_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN) &&
		 request != DRM_IOCTL_GRING_SUBMIT);
	return ret ? -errno : 0;
}

static int __ring_create(int fd, struct drm_gring_ring_create *arg)
{
	return ring_ioctl(fd, DRM_IOCTL_GRING_RING_CREATE, arg);
}

static uint32_t ring_create(int fd, uint32_t size)
{
	struct drm_gring_ring_create arg = {
		.engine = DRM_GRING_ENGINE_SOFT,
		.size = size,
	};

	igt_assert_eq(__ring_create(fd, &arg), 0);
	igt_assert(arg.ring_id != 0);
	return arg.ring_id;
}

static int __ring_destroy(int fd, uint32_t id)
{
	struct drm_gring_ring_destroy arg = { .ring_id = id };

	return ring_ioctl(fd, DRM_IOCTL_GRING_RING_DESTROY, &arg);
}

static void ring_destroy(int fd, uint32_t id)
{
	igt_assert_eq(__ring_destroy(fd, id), 0);
}

static int __submit(int fd, struct drm_gring_submit *arg)
{
	return ring_ioctl(fd, DRM_IOCTL_GRING_SUBMIT, arg);
}

/* Submit @n commands; signal @out_sync (0: none). Returns the seqno. */
static uint64_t submit(int fd, uint32_t ring, const struct drm_gring_cmd *cmds,
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

static struct drm_gring_cmd cmd_write32(uint32_t bo, uint64_t off, uint32_t v)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_WRITE32,
		.dst_handle = bo, .dst_offset = off, .value = v };
}

static struct drm_gring_cmd cmd_write64(uint32_t bo, uint64_t off, uint64_t v)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_WRITE64,
		.dst_handle = bo, .dst_offset = off, .value = v };
}

static struct drm_gring_cmd cmd_copy(uint32_t dst, uint64_t doff, uint32_t src,
				     uint64_t soff, uint64_t size)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_COPY,
		.dst_handle = dst, .dst_offset = doff,
		.src_handle = src, .src_offset = soff, .size = size };
}

static struct drm_gring_cmd cmd_fill(uint32_t bo, uint64_t off, uint64_t size,
				     uint32_t pattern)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_FILL,
		.dst_handle = bo, .dst_offset = off, .size = size,
		.value = pattern };
}

static struct drm_gring_cmd cmd_stall(uint64_t ns)
{
	return (struct drm_gring_cmd){ .op = DRM_GRING_OP_STALL, .value = ns };
}

static int __query(int fd, uint32_t ring, struct drm_gring_ring_query *q,
		   struct drm_gring_region *regions, uint32_t room)
{
	memset(q, 0, sizeof(*q));
	q->ring_id = ring;
	q->regions = (uintptr_t)regions;
	q->region_count = room;
	return ring_ioctl(fd, DRM_IOCTL_GRING_RING_QUERY, q);
}

static void query(int fd, uint32_t ring, struct drm_gring_ring_query *q,
		  struct drm_gring_region *regions, uint32_t room)
{
	igt_assert_eq(__query(fd, ring, q, regions, room), 0);
}

static uint32_t syncobj_create(int fd)
{
	uint32_t h;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &h), 0);
	return h;
}

/* Wait for a binary syncobj; 0 or -ETIME. */
static int syncobj_wait(int fd, uint32_t h, uint64_t timeout_ns)
{
	struct timespec ts;
	int64_t abs;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	abs = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec + timeout_ns;
	return drmSyncobjWait(fd, &h, 1, abs,
			      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
}

/* The status of the fence in a syncobj: 1 signalled, 0 busy, <0 error. */
static int syncobj_status(int fd, uint32_t h)
{
	struct sync_file_info info = {};
	int sf, ret;

	igt_assert_eq(drmSyncobjExportSyncFile(fd, h, &sf), 0);
	ret = ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	igt_assert_eq(ret, 0);
	return info.status;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Distinct for every 32-bit word index. */
static uint32_t word_pattern(uint64_t i, uint32_t salt)
{
	return (uint32_t)(i * 2654435761u) ^ salt;
}

/* ---- subtests ---------------------------------------------------------- */

static void test_create_destroy(int fd)
{
	struct drm_gring_ring_create arg = {
		.engine = DRM_GRING_ENGINE_SOFT,
	};
	struct drm_gring_ring_query q;
	uint32_t a, b;

	igt_assert_eq(__ring_create(fd, &arg), 0);
	igt_assert_eq_u32(arg.size, DRM_GRING_RING_SIZE_DEFAULT);
	a = arg.ring_id;
	b = ring_create(fd, DRM_GRING_RING_SIZE_MIN);
	igt_assert(a != b);

	query(fd, b, &q, NULL, 0);
	igt_assert_eq_u32(q.size, DRM_GRING_RING_SIZE_MIN);
	igt_assert_eq_u32(q.wptr, 0);
	igt_assert_eq_u32(q.rptr, 0);
	igt_assert_eq_u64(q.submitted, 0);

	ring_destroy(fd, a);
	igt_assert_eq(__ring_destroy(fd, a), -ENOENT);
	igt_assert_eq(__query(fd, a, &q, NULL, 0), -ENOENT);
	ring_destroy(fd, b);
}

static void create_must_fail(int fd, uint32_t engine, uint32_t flags,
			     uint32_t size, uint64_t ext)
{
	struct drm_gring_ring_create arg = {
		.engine = engine, .flags = flags, .size = size,
		.ring_id = UNTOUCHED, .extensions = ext,
	};
	const struct drm_gring_ring_create sent = arg;

	igt_assert_eq(__ring_create(fd, &arg), -EINVAL);
	igt_assert(!memcmp(&arg, &sent, sizeof(arg)));
}

static void test_create_invalid(int fd)
{
	create_must_fail(fd, 1, 0, 0, 0);
	create_must_fail(fd, ~0u, 0, 0, 0);
	create_must_fail(fd, 0, 1, 0, 0);
	create_must_fail(fd, 0, 0x80000000u, 0, 0);
	create_must_fail(fd, 0, 0, 0, 1);
	create_must_fail(fd, 0, 0, DRM_GRING_RING_SIZE_MIN - 1, 0);
	create_must_fail(fd, 0, 0, DRM_GRING_RING_SIZE_MIN / 2, 0);
	create_must_fail(fd, 0, 0, DRM_GRING_RING_SIZE_MIN * 3, 0);
	create_must_fail(fd, 0, 0, DRM_GRING_RING_SIZE_MAX * 2, 0);
}

static void test_write_lands(int fd)
{
	const uint64_t size = 4 * igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, size, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, size);
	volatile uint64_t *map64 = (volatile uint64_t *)map;
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	struct drm_gring_cmd cmds[] = {
		cmd_write32(bo, 0, 0x11223344),
		cmd_write32(bo, size - 4, 0x55667788),
		cmd_write64(bo, 8, 0x0123456789abcdefull),
		cmd_write64(bo, size - 16, 0xfedcba9876543210ull),
	};

	igt_assert_eq_u64(submit(fd, ring, cmds, 4, sync), 1);
	igt_assert_eq(syncobj_wait(fd, sync, 5 * NSEC_PER_SEC), 0);
	igt_assert_eq(syncobj_status(fd, sync), 1);

	igt_assert_eq_u32(map[0], 0x11223344);
	igt_assert_eq_u32(map[1], 0);
	igt_assert_eq_u64(map64[1], 0x0123456789abcdefull);
	igt_assert_eq_u32(map[4], 0);
	igt_assert_eq_u32(map[size / 4 - 1], 0x55667788);
	igt_assert_eq_u64(map64[size / 8 - 2], 0xfedcba9876543210ull);
	igt_assert_eq_u32(map[size / 4 - 5], 0);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	munmap((void *)map, size);
	gem_close(fd, bo);
}

/* COPY and FILL at odd offsets and sizes: exactly the bytes asked for. */
static void test_copy_fill_unaligned(int fd)
{
	const uint64_t size = 2 * igt_gring_page_size();
	uint32_t src = igt_gring_gem_create(fd, size, NULL);
	uint32_t dst = igt_gring_gem_create(fd, size, NULL);
	uint8_t *s = igt_gring_gem_mmap(fd, src, size);
	volatile uint8_t *d = igt_gring_gem_mmap(fd, dst, size);
	uint8_t *expect = malloc(size);
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	const struct { uint64_t doff, soff, len; } copies[] = {
		{ 1, 3, 1 }, { 7, 0, 13 }, { 100, 4001, 999 },
		{ size - 5, 17, 5 }, { 4093, 1, 6 },
	};
	struct drm_gring_cmd cmds[8];
	unsigned int n = 0, i;

	igt_assert(expect);
	for (i = 0; i < size; i++)
		s[i] = (uint8_t)(i * 7 + 3);
	memset(expect, 0, size);
	for (i = 0; i < sizeof(copies) / sizeof(copies[0]); i++) {
		cmds[n++] = cmd_copy(dst, copies[i].doff, src, copies[i].soff,
				     copies[i].len);
		memcpy(expect + copies[i].doff, s + copies[i].soff,
		       copies[i].len);
	}
	/* FILL: 4-byte granules, at the very end of the buffer. */
	cmds[n++] = cmd_fill(dst, size - 64, 40, 0xa1b2c3d4);
	for (i = 0; i < 40; i += 4) {
		const uint32_t p = 0xa1b2c3d4;

		memcpy(expect + size - 64 + i, &p, 4);
	}

	submit(fd, ring, cmds, n, sync);
	igt_assert_eq(syncobj_wait(fd, sync, 5 * NSEC_PER_SEC), 0);
	for (i = 0; i < size; i++)
		igt_assert_f(d[i] == expect[i], "byte %u: %#x, expected %#x\n",
			     i, d[i], expect[i]);

	free(expect);
	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	munmap(s, size);
	munmap((void *)d, size);
	gem_close(fd, src);
	gem_close(fd, dst);
}

/*
 * While a job is queued its ring bytes belong to the engine, per RING_QUERY;
 * once it completes the whole ring is the CPU's again.
 */
static void test_submit_owns_region(int fd)
{
	uint32_t bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL);
	uint32_t ring = ring_create(fd, DRM_GRING_RING_SIZE_MIN);
	uint32_t sync = syncobj_create(fd);
	struct drm_gring_cmd cmds[] = {
		cmd_stall(300 * NSEC_PER_MSEC),
		cmd_write32(bo, 0, 1),
	};
	/* Ring words: STALL 2, WRITE32 2, the kernel's FENCE 3. */
	const uint32_t job_bytes = (2 + 2 + 3) * 8;
	struct drm_gring_region r[4];
	struct drm_gring_ring_query q;

	submit(fd, ring, cmds, 2, sync);
	query(fd, ring, &q, r, 4);
	igt_assert_eq_u32(q.wptr, job_bytes);
	igt_assert_eq_u64(q.submitted, 1);
	igt_assert_eq_u32(q.region_count, 2);
	igt_assert_eq_u64(r[0].offset, 0);
	igt_assert_eq_u64(r[0].size, job_bytes);
	igt_assert_eq_u32(r[0].owner, DRM_GRING_OWNER_GPU);
	igt_assert_eq_u64(r[1].offset, job_bytes);
	igt_assert_eq_u64(r[1].size, DRM_GRING_RING_SIZE_MIN - job_bytes);
	igt_assert_eq_u32(r[1].owner, DRM_GRING_OWNER_CPU);

	igt_assert_eq(syncobj_wait(fd, sync, 5 * NSEC_PER_SEC), 0);
	query(fd, ring, &q, r, 4);
	igt_assert_eq_u32(q.rptr, job_bytes);
	igt_assert_eq_u64(q.completed, 1);
	igt_assert_eq_u32(q.region_count, 1);
	igt_assert_eq_u64(r[0].offset, 0);
	igt_assert_eq_u64(r[0].size, DRM_GRING_RING_SIZE_MIN);
	igt_assert_eq_u32(r[0].owner, DRM_GRING_OWNER_CPU);
	igt_assert_eq_u64(q.refusals, 0);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

static int __cpu_prep(int fd, uint32_t bo, uint32_t flags, uint64_t off,
		      uint64_t size, uint64_t timeout_ns)
{
	struct drm_gring_cpu_prep arg = {
		.handle = bo, .flags = flags, .offset = off, .size = size,
		.timeout_ns = timeout_ns,
	};

	return ring_ioctl(fd, DRM_IOCTL_GRING_CPU_PREP, &arg);
}

static int __cpu_fini(int fd, uint32_t bo, uint64_t off, uint64_t size)
{
	struct drm_gring_cpu_fini arg = {
		.handle = bo, .offset = off, .size = size,
	};

	return ring_ioctl(fd, DRM_IOCTL_GRING_CPU_FINI, &arg);
}

/*
 * A job that will write [page, 2 pages) after a stall: CPU_PREP of that
 * range is busy; of the other page it is not (range-granular).
 */
static void test_cpu_prep_busy_nowait(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, 2 * page, NULL);
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	struct drm_gring_cmd cmds[] = {
		cmd_stall(500 * NSEC_PER_MSEC),
		cmd_fill(bo, page, page, 0x01010101),
	};
	const uint32_t rw = DRM_GRING_PREP_READ | DRM_GRING_PREP_WRITE;

	submit(fd, ring, cmds, 2, sync);
	igt_assert_eq(__cpu_prep(fd, bo, rw | DRM_GRING_PREP_NOWAIT, page, 8,
				 0), -EBUSY);
	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_READ |
				 DRM_GRING_PREP_NOWAIT, 2 * page - 1, 1, 0),
		      -EBUSY);
	/* The first page is not the job's: free now. */
	igt_assert_eq(__cpu_prep(fd, bo, rw | DRM_GRING_PREP_NOWAIT, 0, page,
				 0), 0);
	igt_assert_eq(__cpu_fini(fd, bo, 0, page), 0);

	igt_assert_eq(syncobj_wait(fd, sync, 5 * NSEC_PER_SEC), 0);
	igt_assert_eq(__cpu_prep(fd, bo, rw | DRM_GRING_PREP_NOWAIT, page,
				 page, 0), 0);
	igt_assert_eq(__cpu_fini(fd, bo, page, page), 0);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

/* A blocking CPU_PREP returns once the job is done, its writes visible. */
static void test_cpu_prep_waits(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, page);
	uint32_t ring = ring_create(fd, 0);
	const uint64_t stall = 400 * NSEC_PER_MSEC;
	struct drm_gring_cmd cmds[] = {
		cmd_stall(stall),
		cmd_fill(bo, 0, page, 0xc0ffee00),
	};
	uint64_t t0;
	unsigned int i;

	t0 = now_ns();
	submit(fd, ring, cmds, 2, 0);
	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_READ, 0, page,
				 10 * NSEC_PER_SEC), 0);
	igt_assert_f(now_ns() - t0 >= stall,
		     "CPU_PREP returned %" PRIu64 " ns after submit, before the %" PRIu64 " ns stall ended\n",
		     now_ns() - t0, stall);
	for (i = 0; i < page / 4; i++)
		igt_assert_eq_u32(map[i], 0xc0ffee00);
	igt_assert_eq(__cpu_fini(fd, bo, 0, page), 0);

	/* A wait that runs out says so. */
	submit(fd, ring, cmds, 2, 0);
	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_WRITE, 0, 4,
				 10 * NSEC_PER_MSEC), -ETIMEDOUT);
	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_WRITE, 0, 4,
				 10 * NSEC_PER_SEC), 0);
	igt_assert_eq(__cpu_fini(fd, bo, 0, 4), 0);

	ring_destroy(fd, ring);
	munmap((void *)map, page);
	gem_close(fd, bo);
}

/* While the CPU holds a range, a job touching it is refused. */
static void test_cpu_hold_refuses_submit(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, 2 * page, NULL);
	uint32_t ring = ring_create(fd, 0);
	struct drm_gring_cmd in = cmd_write32(bo, page + 8, 7);
	struct drm_gring_cmd out = cmd_write32(bo, 8, 7);
	struct drm_gring_submit arg = {
		.ring_id = ring, .cmds = (uintptr_t)&in, .cmd_count = 1,
		.cmd_size = sizeof(in), .seqno = UNTOUCHED,
	};
	struct drm_gring_ring_query q;

	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_WRITE, page, page,
				 0), 0);
	igt_assert_eq(__submit(fd, &arg), -EBUSY);
	igt_assert_eq_u64(arg.seqno, UNTOUCHED);
	query(fd, ring, &q, NULL, 0);
	igt_assert_eq_u32(q.wptr, 0);
	igt_assert_eq_u64(q.submitted, 0);

	/* Outside the held range: fine. */
	igt_assert_eq_u64(submit(fd, ring, &out, 1, 0), 1);

	/* FINI must name exactly what PREP took. */
	igt_assert_eq(__cpu_fini(fd, bo, page, page - 4), -EINVAL);
	igt_assert_eq(__cpu_fini(fd, bo, page, page), 0);
	igt_assert_eq(__cpu_fini(fd, bo, page, page), -EINVAL);
	arg.seqno = 0;
	igt_assert_eq(__submit(fd, &arg), 0);
	igt_assert_eq_u64(arg.seqno, 2);

	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

static void test_cpu_prep_invalid(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	const uint32_t r = DRM_GRING_PREP_READ;

	igt_assert_eq(__cpu_prep(fd, bo, 0, 0, 4, 0), -EINVAL);
	igt_assert_eq(__cpu_prep(fd, bo, r | 0x8, 0, 4, 0), -EINVAL);
	igt_assert_eq(__cpu_prep(fd, bo, r, 0, 0, 0), -EINVAL);
	igt_assert_eq(__cpu_prep(fd, bo, r, page, 1, 0), -EINVAL);
	igt_assert_eq(__cpu_prep(fd, bo, r, 1, page, 0), -EINVAL);
	igt_assert_eq(__cpu_prep(fd, bo, r, ~0ull, 2, 0), -EINVAL);
	igt_assert_eq(__cpu_prep(fd, bo + 1000, r, 0, 4, 0), -ENOENT);
	igt_assert_eq(__cpu_fini(fd, bo, 0, 4), -EINVAL);
	gem_close(fd, bo);
}

/*
 * Every command that names memory wrongly is refused before anything
 * changes: no seqno, no ring bytes, no write.
 */
static void test_submit_invalid(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, page);
	int other = igt_gring_reopen(fd);
	uint32_t foreign[3];
	uint32_t ring = ring_create(fd, 0);
	unsigned int i;

	/*
	 * The other file's third BO: a handle that exists there and not
	 * here, where the test made one BO.
	 */
	for (i = 0; i < 3; i++)
		foreign[i] = igt_gring_gem_create(other, page, NULL);
	igt_assert(foreign[2] > bo);

	const struct {
		const char *what;
		struct drm_gring_cmd cmd;
		int err;
	} bad[] = {
		{ "unknown op", { .op = 99 }, -EINVAL },
		{ "flags", { .op = DRM_GRING_OP_NOP, .flags = 1 }, -EINVAL },
		{ "nop with a value", { .op = DRM_GRING_OP_NOP, .value = 1 },
		  -EINVAL },
		{ "write past the end", cmd_write32(bo, page, 1), -EINVAL },
		{ "write straddling the end", cmd_write64(bo, page - 4, 1),
		  -EINVAL },
		{ "misaligned write32", cmd_write32(bo, 2, 1), -EINVAL },
		{ "misaligned write64", cmd_write64(bo, 4, 1), -EINVAL },
		{ "write32 of 33 bits", { .op = DRM_GRING_OP_WRITE32,
		  .dst_handle = bo, .value = 1ull << 32 }, -EINVAL },
		{ "offset overflow", cmd_copy(bo, ~0ull - 2, bo, 0, 8),
		  -EINVAL },
		{ "copy of 0 bytes", cmd_copy(bo, 0, bo, 8, 0), -EINVAL },
		{ "copy source out of bounds", cmd_copy(bo, 0, bo, page - 8, 16),
		  -EINVAL },
		{ "fill not in words", cmd_fill(bo, 0, 6, 0), -EINVAL },
		{ "no handle", cmd_write32(0, 0, 1), -EINVAL },
		{ "unknown handle", cmd_write32(bo + 1000, 0, 1), -ENOENT },
		{ "another file's handle", cmd_write32(foreign[2], 0, 1),
		  -ENOENT },
		{ "stall too long", cmd_stall(DRM_GRING_STALL_MAX_NS + 1),
		  -EINVAL },
		{ "src on a write", { .op = DRM_GRING_OP_WRITE32,
		  .dst_handle = bo, .src_handle = bo }, -EINVAL },
	};
	struct drm_gring_ring_query q;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct drm_gring_cmd cmds[2] = {
			cmd_write32(bo, 0, 0xbad),
			bad[i].cmd,
		};
		struct drm_gring_submit arg = {
			.ring_id = ring, .cmds = (uintptr_t)cmds,
			.cmd_count = 2, .cmd_size = sizeof(cmds[0]),
			.seqno = UNTOUCHED,
		};

		igt_debug("%s\n", bad[i].what);
		igt_assert_f(__submit(fd, &arg) == bad[i].err, "%s: not %d\n",
			     bad[i].what, bad[i].err);
		igt_assert_eq_u64(arg.seqno, UNTOUCHED);
	}

	query(fd, ring, &q, NULL, 0);
	igt_assert_eq_u32(q.wptr, 0);
	igt_assert_eq_u64(q.submitted, 0);
	/* Give an engine that wrongly ran something time to show it. */
	usleep(100 * 1000);
	igt_assert_eq_u32(map[0], 0);

	munmap((void *)map, page);
	ring_destroy(fd, ring);
	gem_close(fd, bo);
	for (i = 0; i < 3; i++)
		gem_close(other, foreign[i]);
	close(other);
}

static void test_submit_invalid_args(int fd)
{
	uint32_t ring = ring_create(fd, 0);
	struct drm_gring_cmd nop = { .op = DRM_GRING_OP_NOP };
	struct drm_gring_sync bad_sync = { .handle = 12345 };
	const struct drm_gring_submit good = {
		.ring_id = ring, .cmds = (uintptr_t)&nop, .cmd_count = 1,
		.cmd_size = sizeof(nop), .seqno = UNTOUCHED,
	};
	struct drm_gring_submit arg;
	struct drm_gring_ring_query q;

#define SUBMIT_FAILS(field, val, err) do {			\
		arg = good;					\
		arg.field = (val);				\
		igt_assert_eq(__submit(fd, &arg), (err));	\
		igt_assert_eq_u64(arg.seqno, UNTOUCHED);	\
	} while (0)

	SUBMIT_FAILS(flags, 2, -EINVAL);
	SUBMIT_FAILS(extensions, 1, -EINVAL);
	SUBMIT_FAILS(cmd_count, 0, -EINVAL);
	SUBMIT_FAILS(cmd_count, DRM_GRING_MAX_CMDS + 1, -EINVAL);
	SUBMIT_FAILS(cmd_size, 0, -EINVAL);
	SUBMIT_FAILS(ring_id, ring + 1, -ENOENT);
	SUBMIT_FAILS(cmds, 8, -EFAULT);
	SUBMIT_FAILS(in_sync_count, DRM_GRING_MAX_IN_SYNCS + 1, -EINVAL);
	SUBMIT_FAILS(out_sync, 12345, -ENOENT);
	SUBMIT_FAILS(out_sync_point, 1, -EINVAL);
	arg = good;
	arg.in_syncs = (uintptr_t)&bad_sync;
	arg.in_sync_count = 1;
	igt_assert_eq(__submit(fd, &arg), -ENOENT);
	bad_sync.flags = 1;
	igt_assert_eq(__submit(fd, &arg), -EINVAL);

	query(fd, ring, &q, NULL, 0);
	igt_assert_eq_u64(q.submitted, 0);
	igt_assert_eq_u32(q.wptr, 0);
#undef SUBMIT_FAILS
	ring_destroy(fd, ring);
}

/*
 * What the hang and fault tests share: submit @bad (@nbad commands) and
 * then the one command @good on a new ring, wait up to @timeout_ns for
 * @good's fence, and check that @bad's fence carries @err, @good's
 * signalled, both jobs completed and the ring is empty again. The ring's
 * final counters go to @q, for the caller's timeout or fault count.
 */
static void bad_job_then_good(int fd, const struct drm_gring_cmd *bad,
			      uint32_t nbad, struct drm_gring_cmd good,
			      uint64_t timeout_ns, int err,
			      struct drm_gring_ring_query *q)
{
	uint32_t ring = ring_create(fd, 0);
	uint32_t bad_sync = syncobj_create(fd), good_sync = syncobj_create(fd);

	submit(fd, ring, bad, nbad, bad_sync);
	submit(fd, ring, &good, 1, good_sync);
	igt_assert_eq(syncobj_wait(fd, good_sync, timeout_ns), 0);
	igt_assert_eq(syncobj_status(fd, bad_sync), err);
	igt_assert_eq(syncobj_status(fd, good_sync), 1);

	query(fd, ring, q, NULL, 0);
	igt_assert_eq_u64(q->completed, 2);
	igt_assert_eq_u32(q->rptr, q->wptr);

	drmSyncobjDestroy(fd, bad_sync);
	drmSyncobjDestroy(fd, good_sync);
	ring_destroy(fd, ring);
}

/*
 * A job that never finishes is cancelled after the job timeout; its fence
 * carries the error and the next job on the same ring runs.
 */
static void test_hang_recovers(int fd)
{
	uint32_t bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, igt_gring_page_size());
	struct drm_gring_cmd hang[] = {
		cmd_stall(DRM_GRING_STALL_MAX_NS),
		cmd_write32(bo, 0, 0xdead),
	};
	struct drm_gring_ring_query q;

	bad_job_then_good(fd, hang, 2, cmd_write32(bo, 4, 0xa11fe),
			  30 * NSEC_PER_SEC, -ETIMEDOUT, &q);
	igt_assert_eq_u64(q.timeouts, 1);
	igt_assert_eq_u32(map[0], 0);
	igt_assert_eq_u32(map[1], 0xa11fe);

	munmap((void *)map, igt_gring_page_size());
	gem_close(fd, bo);
}

/* Make the next @n jobs fault (debugfs gring_inject_faults, root only). */
static void inject_faults(int fd, unsigned int n)
{
	char text[16];
	int dir, file, len;

	dir = igt_debugfs_dir(fd);
	igt_require_f(dir >= 0, "no debugfs directory for the gring device\n");
	file = openat(dir, "gring_inject_faults", O_WRONLY | O_CLOEXEC);
	close(dir);
	igt_assert_f(file >= 0, "cannot open debugfs gring_inject_faults: %m\n");
	len = snprintf(text, sizeof(text), "%u", n);
	igt_assert_eq(write(file, text, len), len);
	close(file);
}

/*
 * A job whose first write points outside every mapping: the engine's
 * table refuses it, the job stops there (nothing of it is written), its
 * fence carries -EFAULT, the ring counts a fault, and the next job runs.
 */
static void test_device_fault(int fd)
{
	uint32_t bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, igt_gring_page_size());
	struct drm_gring_cmd faulty[] = {
		cmd_write32(bo, 0, 0xbad),
		cmd_write32(bo, 4, 0xbad),
	};
	struct drm_gring_ring_query q;

	inject_faults(fd, 1);
	bad_job_then_good(fd, faulty, 2, cmd_write32(bo, 8, 0x900d),
			  10 * NSEC_PER_SEC, -EFAULT, &q);
	igt_assert_eq_u64(q.faults, 1);
	igt_assert_eq_u32(map[0], 0);
	igt_assert_eq_u32(map[1], 0);
	igt_assert_eq_u32(map[2], 0x900d);

	munmap((void *)map, igt_gring_page_size());
	gem_close(fd, bo);
}

/* Fill the ring behind a stalled job: -EAGAIN without blocking, then wait. */
static void test_ring_full(int fd)
{
	const uint32_t size = DRM_GRING_RING_SIZE_MIN;
	uint32_t ring = ring_create(fd, size);
	uint32_t bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL);
	struct drm_gring_cmd stall = cmd_stall(300 * NSEC_PER_MSEC);
	/* 10 words a job: 3 WRITE32 and the FENCE 3 + NOP... keep it simple */
	struct drm_gring_cmd w = cmd_write32(bo, 0, 1);
	struct drm_gring_submit arg = {
		.ring_id = ring, .cmds = (uintptr_t)&w, .cmd_count = 1,
		.cmd_size = sizeof(w), .flags = DRM_GRING_SUBMIT_NONBLOCK,
	};
	/* STALL 2 + FENCE 3 words; WRITE32 2 + FENCE 3 words. */
	const uint32_t first = 5 * 8, job = 5 * 8;
	uint32_t fitted = 0, sync = syncobj_create(fd);
	struct drm_gring_ring_query q;
	int ret;

	submit(fd, ring, &stall, 1, 0);
	while ((ret = __submit(fd, &arg)) == 0)
		fitted++;
	igt_assert_eq(ret, -EAGAIN);
	/*
	 * One slot (8 bytes) always stays empty; a job never wraps, and the
	 * last may need padding. Everything else must have been used.
	 */
	igt_assert_f(first + fitted * job >= size - 8 - job,
		     "only %u jobs of %u bytes fitted in %u\n", fitted, job,
		     size);
	igt_assert(first + fitted * job <= size - 8);
	query(fd, ring, &q, NULL, 0);
	igt_assert_eq_u64(q.submitted, 1 + fitted);

	/* Blocking: waits for the stall to retire, then goes in. */
	arg.flags = 0;
	arg.out_sync = sync;
	igt_assert_eq(__submit(fd, &arg), 0);
	igt_assert_eq_u64(arg.seqno, 2 + fitted);
	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

/*
 * A job waiting on another ring's job through an in-syncobj starts after
 * it ends. The two touch different BOs, so only the syncobj orders them:
 * A stalls, then stamps the engine's clock; B only stamps. B's stamp is
 * later than A's only if B waited.
 */
static void test_in_sync_order(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo_a = igt_gring_gem_create(fd, page, NULL);
	uint32_t bo_b = igt_gring_gem_create(fd, page, NULL);
	volatile uint64_t *ts_a = igt_gring_gem_mmap(fd, bo_a, page);
	volatile uint64_t *ts_b = igt_gring_gem_mmap(fd, bo_b, page);
	uint32_t a = ring_create(fd, 0), b = ring_create(fd, 0);
	uint32_t sa = syncobj_create(fd), sb = syncobj_create(fd);
	struct drm_gring_cmd first[] = {
		cmd_stall(300 * NSEC_PER_MSEC),
		{ .op = DRM_GRING_OP_TIMESTAMP, .dst_handle = bo_a },
	};
	struct drm_gring_cmd second = {
		.op = DRM_GRING_OP_TIMESTAMP, .dst_handle = bo_b,
	};
	struct drm_gring_sync wait_a = { .handle = sa };
	struct drm_gring_submit arg = {
		.ring_id = b, .cmds = (uintptr_t)&second, .cmd_count = 1,
		.cmd_size = sizeof(second), .in_syncs = (uintptr_t)&wait_a,
		.in_sync_count = 1, .out_sync = sb,
	};

	submit(fd, a, first, 2, sa);
	igt_assert_eq(__submit(fd, &arg), 0);
	igt_assert_eq(syncobj_wait(fd, sb, 10 * NSEC_PER_SEC), 0);
	igt_assert_eq(syncobj_status(fd, sa), 1);
	igt_assert(ts_a[0] != 0 && ts_b[0] != 0);
	igt_assert_f(ts_b[0] >= ts_a[0],
		     "B stamped %" PRIu64 " ns, before A's %" PRIu64 " ns\n",
		     ts_b[0], ts_a[0]);

	drmSyncobjDestroy(fd, sa);
	drmSyncobjDestroy(fd, sb);
	ring_destroy(fd, a);
	ring_destroy(fd, b);
	munmap((void *)ts_a, page);
	munmap((void *)ts_b, page);
	gem_close(fd, bo_a);
	gem_close(fd, bo_b);
}

/*
 * The largest job: DRM_GRING_MAX_CMDS COPYs, each between its own ranges
 * of two BOs (two ranges per command, none merged), in a 1 MiB ring; every
 * word lands. A job of more than half its ring is -E2BIG, one command over
 * the maximum -EINVAL.
 */
static void test_max_commands(int fd)
{
	const uint32_t n = DRM_GRING_MAX_CMDS;
	const uint64_t size = igt_gring_page_round(2ull * n * 8);
	uint32_t src = igt_gring_gem_create(fd, size, NULL);
	uint32_t dst = igt_gring_gem_create(fd, size, NULL);
	uint32_t *s = igt_gring_gem_mmap(fd, src, size);
	volatile uint32_t *d = igt_gring_gem_mmap(fd, dst, size);
	uint32_t big = ring_create(fd, DRM_GRING_RING_SIZE_MAX);
	uint32_t small = ring_create(fd, DRM_GRING_RING_SIZE_MIN);
	uint32_t sync = syncobj_create(fd);
	struct drm_gring_cmd *cmds = calloc(n + 1, sizeof(*cmds));
	struct drm_gring_submit arg = {
		.ring_id = small, .cmds = (uintptr_t)cmds,
		.cmd_size = sizeof(*cmds), .seqno = UNTOUCHED,
	};
	uint32_t i;

	igt_assert(cmds);
	for (i = 0; i < 2 * n; i++)
		s[i] = word_pattern(i, 0xb16);
	/* Every other word pair: ranges 16 bytes apart never touch. */
	for (i = 0; i < n; i++)
		cmds[i] = cmd_copy(dst, i * 16ull, src, i * 16ull + 8, 8);

	/* 4 words per COPY: far more than half of a 4 KiB ring. */
	arg.cmd_count = 200;
	igt_assert_eq(__submit(fd, &arg), -E2BIG);
	arg.cmd_count = n + 1;
	igt_assert_eq(__submit(fd, &arg), -EINVAL);
	igt_assert_eq_u64(arg.seqno, UNTOUCHED);

	igt_assert_eq_u64(submit(fd, big, cmds, n, sync), 1);
	igt_assert_eq(syncobj_wait(fd, sync, 60 * NSEC_PER_SEC), 0);
	igt_assert_eq(syncobj_status(fd, sync), 1);
	for (i = 0; i < n; i++) {
		igt_assert_eq_u32(d[4 * i], s[4 * i + 2]);
		igt_assert_eq_u32(d[4 * i + 1], s[4 * i + 3]);
		igt_assert_eq_u32(d[4 * i + 2], 0);
		igt_assert_eq_u32(d[4 * i + 3], 0);
	}

	free(cmds);
	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, big);
	ring_destroy(fd, small);
	munmap(s, size);
	munmap((void *)d, size);
	gem_close(fd, src);
	gem_close(fd, dst);
}

/*
 * Three threads on one file for a while: one submits jobs writing a BO
 * word, one takes and gives back that word with CPU_PREP/CPU_FINI, one
 * queries the ring and creates and destroys rings of its own. Every call
 * must succeed or fail only as the contract allows (-EBUSY for a SUBMIT
 * into a held range, -ETIMEDOUT for a CPU_PREP that waited its full
 * time); the last job's write must land. On its own this
 * proves little about locking under single-threaded TCG; it is there so
 * that the debug kernel's lockdep sees these paths interleave.
 */
struct stress {
	int fd;
	uint32_t ring, bo;
	volatile bool stop;
	unsigned int submits, busy, preps, timeouts, queries, errors;
	int first_error;
};

static void stress_error(struct stress *st, int err)
{
	if (!st->errors++)
		st->first_error = err;
}

static void *stress_submitter(void *arg)
{
	struct stress *st = arg;
	uint32_t i = 0;

	while (!st->stop) {
		struct drm_gring_cmd w = cmd_write32(st->bo, 0, ++i);
		struct drm_gring_submit sub = {
			.ring_id = st->ring, .cmds = (uintptr_t)&w,
			.cmd_count = 1, .cmd_size = sizeof(w),
		};
		int ret = __submit(st->fd, &sub);

		if (!ret)
			st->submits++;
		else if (ret == -EBUSY)
			st->busy++;
		else
			stress_error(st, ret);
	}
	return NULL;
}

static void *stress_prepper(void *arg)
{
	struct stress *st = arg;

	while (!st->stop) {
		int ret = __cpu_prep(st->fd, st->bo, DRM_GRING_PREP_WRITE, 0,
				     4, NSEC_PER_SEC);

		/*
		 * The submitter may keep the word busy for longer than the
		 * wait (CPU_PREP does not stop new jobs): -ETIMEDOUT is the
		 * contract then.
		 */
		if (ret == -ETIMEDOUT) {
			st->timeouts++;
			continue;
		}
		if (ret) {
			stress_error(st, ret);
			continue;
		}
		st->preps++;
		ret = __cpu_fini(st->fd, st->bo, 0, 4);
		if (ret)
			stress_error(st, ret);
	}
	return NULL;
}

static void *stress_querier(void *arg)
{
	struct stress *st = arg;

	while (!st->stop) {
		struct drm_gring_ring_create rc = {
			.engine = DRM_GRING_ENGINE_SOFT,
			.size = DRM_GRING_RING_SIZE_MIN,
		};
		struct drm_gring_region r[3];
		struct drm_gring_ring_query q;
		int ret = __query(st->fd, st->ring, &q, r, 3);

		if (!ret)
			ret = __ring_create(st->fd, &rc);
		if (!ret)
			ret = __ring_destroy(st->fd, rc.ring_id);
		if (ret)
			stress_error(st, ret);
		else
			st->queries++;
	}
	return NULL;
}

static void test_concurrent(int fd)
{
	struct stress st = {
		.fd = fd,
		.ring = ring_create(fd, DRM_GRING_RING_SIZE_MIN),
		.bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL),
	};
	void *(*const fn[])(void *) = {
		stress_submitter, stress_prepper, stress_querier,
	};
	volatile uint32_t *map;
	pthread_t t[3];
	struct drm_gring_cmd last;
	uint32_t sync = syncobj_create(fd);
	unsigned int i;

	for (i = 0; i < 3; i++)
		igt_assert_eq(pthread_create(&t[i], NULL, fn[i], &st), 0);
	usleep(1500 * 1000);
	st.stop = true;
	for (i = 0; i < 3; i++)
		igt_assert_eq(pthread_join(t[i], NULL), 0);

	igt_info("%u submits (%u refused: held), %u preps (%u timed out), %u queries\n",
		 st.submits, st.busy, st.preps, st.timeouts, st.queries);
	igt_assert_f(!st.errors, "%u unexpected errors, the first %d\n",
		     st.errors, st.first_error);
	igt_assert(st.submits > 0 && st.preps > 0 && st.queries > 0);

	/* Whatever happened, the ring still works: a last write lands. */
	last = cmd_write32(st.bo, 0, 0xfeedf00d);
	submit(fd, st.ring, &last, 1, sync);
	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);
	map = igt_gring_gem_mmap(fd, st.bo, igt_gring_page_size());
	igt_assert_eq_u32(map[0], 0xfeedf00d);

	munmap((void *)map, igt_gring_page_size());
	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, st.ring);
	gem_close(fd, st.bo);
}

/*
 * The debugfs dump of @ring (root only): the block that starts with its
 * "ring id <id>, <size> bytes" line, up to the next ring's. The caller
 * frees it.
 */
static char *debugfs_ring_block(int fd, uint32_t ring, uint32_t size)
{
	char head[64], *text, *start, *end;
	int dir, file;
	size_t len = 0;
	ssize_t ret;

	dir = igt_debugfs_dir(fd);
	igt_require_f(dir >= 0, "no debugfs directory for the gring device\n");
	file = openat(dir, "gring_rings", O_RDONLY | O_CLOEXEC);
	close(dir);
	igt_assert_f(file >= 0, "cannot open debugfs gring_rings: %m\n");
	text = malloc(1 << 16);
	igt_assert(text);
	while ((ret = read(file, text + len, (1 << 16) - 1 - len)) > 0)
		len += ret;
	close(file);
	text[len] = '\0';

	snprintf(head, sizeof(head), ": ring id %u, %u bytes", ring, size);
	start = strstr(text, head);
	igt_assert_f(start, "ring %u not in gring_rings:\n%s", ring, text);
	end = strstr(start + 1, ": ring id ");
	if (end)
		*end = '\0';
	start = strdup(start);
	free(text);
	return start;
}

/*
 * debugfs gring_rings shows the ring as the ownership layer has it: the
 * job's bytes the engine's while it runs, the whole ring the CPU's after.
 */
static void test_debugfs_rings(int fd)
{
	uint32_t bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL);
	uint32_t ring = ring_create(fd, DRM_GRING_RING_SIZE_MIN);
	uint32_t sync = syncobj_create(fd);
	struct drm_gring_cmd cmds[] = {
		cmd_stall(300 * NSEC_PER_MSEC),
		cmd_write32(bo, 0, 1),
	};
	char *block;

	/* STALL 2 words, WRITE32 2, the kernel's FENCE 3: 56 bytes. */
	submit(fd, ring, cmds, 2, sync);
	block = debugfs_ring_block(fd, ring, DRM_GRING_RING_SIZE_MIN);
	igt_debug("%s", block);
	igt_assert_f(strstr(block, "  [0x00000, 0x00038) gpu\n") &&
		     strstr(block, "  [0x00038, 0x01000) cpu\n") &&
		     strstr(block, "seqno submitted 1 "),
		     "while the job runs:\n%s", block);
	free(block);

	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);
	block = debugfs_ring_block(fd, ring, DRM_GRING_RING_SIZE_MIN);
	igt_assert_f(strstr(block, "  [0x00000, 0x01000) cpu\n") &&
		     strstr(block, "wptr 0x38 tail 0x38 rptr 0x38") &&
		     strstr(block, "seqno submitted 1 completed 1 (writeback 1)"),
		     "after the job:\n%s", block);
	free(block);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

/* Timeline syncobj points, signalled in order. */
static void test_timeline_points(int fd)
{
	uint32_t bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL);
	uint32_t ring = ring_create(fd, 0), tl;
	struct drm_gring_cmd w = cmd_write32(bo, 0, 1);
	struct drm_gring_submit arg = {
		.ring_id = ring, .cmds = (uintptr_t)&w, .cmd_count = 1,
		.cmd_size = sizeof(w),
	};
	uint64_t point = 0, last = 3;
	uint64_t p;

	tl = syncobj_create(fd);
	for (p = 1; p <= last; p++) {
		arg.out_sync = tl;
		arg.out_sync_point = p;
		igt_assert_eq(__submit(fd, &arg), 0);
	}
	igt_assert_eq(drmSyncobjTimelineWait(fd, &tl, &last, 1,
					     now_ns() + 10 * NSEC_PER_SEC,
					     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
					     NULL), 0);
	igt_assert_eq(drmSyncobjQuery(fd, &tl, &point, 1), 0);
	igt_assert_eq_u64(point, last);

	drmSyncobjDestroy(fd, tl);
	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

/*
 * Many small jobs through a small ring: it wraps dozens of times, and
 * every job's write lands where it should, in order.
 */
static void test_many_jobs_in_order(int fd, unsigned int jobs)
{
	const uint64_t size = (uint64_t)jobs * 4;
	uint64_t bo_size = igt_gring_page_round(size);
	uint32_t bo = igt_gring_gem_create(fd, bo_size, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, bo_size);
	uint32_t ring = ring_create(fd, DRM_GRING_RING_SIZE_MIN);
	uint32_t sync = syncobj_create(fd);
	struct drm_gring_cmd cmds[1];
	struct drm_gring_ring_query q;
	unsigned int i;

	for (i = 0; i < jobs; i++) {
		cmds[0] = cmd_write32(bo, i * 4ull, word_pattern(i, 0x5eed));
		submit(fd, ring, cmds, 1, i + 1 == jobs ? sync : 0);
	}
	igt_assert_eq(syncobj_wait(fd, sync, 120 * NSEC_PER_SEC), 0);
	for (i = 0; i < jobs; i++)
		igt_assert_f(map[i] == word_pattern(i, 0x5eed),
			     "word %u: %#x, expected %#x\n", i, map[i],
			     word_pattern(i, 0x5eed));

	query(fd, ring, &q, NULL, 0);
	igt_assert_eq_u64(q.submitted, jobs);
	igt_assert_eq_u64(q.completed, jobs);
	igt_assert_eq_u32(q.rptr, q.wptr);
	igt_assert_eq_u64(q.faults, 0);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	munmap((void *)map, bo_size);
	gem_close(fd, bo);
}

/* Closing a file with jobs queued and running frees everything. */
static void test_close_inflight(int fd)
{
	struct igt_gring_gem_stats before = igt_gring_gem_stats(fd), after;
	int other = igt_gring_reopen(fd);
	uint32_t bo = igt_gring_gem_create(other, igt_gring_page_size(), NULL);
	uint32_t ring = ring_create(other, 0);
	struct drm_gring_cmd cmds[] = {
		cmd_stall(200 * NSEC_PER_MSEC),
		cmd_write32(bo, 0, 1),
	};
	unsigned int i;

	for (i = 0; i < 4; i++)
		submit(other, ring, cmds, 2, 0);
	close(other);

	after = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(after.objects, before.objects);
	igt_assert_eq_u64(after.bytes, before.bytes);
}

/*
 * One of test_two_processes()'s children: no igt_assert here (it would
 * jump into the parent's subtest), just a verdict as the exit status.
 */
static int two_processes_child(int fd, unsigned int p, unsigned int jobs)
{
	const uint64_t page = igt_gring_page_size();
	struct drm_gring_gem_create bo_arg = { .size = page };
	struct drm_gring_ring_create ring_arg = { .size = 0 };
	struct drm_gring_gem_mmap_offset off = {};
	struct drm_gring_ring_query q;
	volatile uint32_t *map;
	unsigned int i;
	uint32_t sync;
	char *path;
	int cfd;

	path = drmGetDeviceNameFromFd2(fd);
	cfd = path ? open(path, O_RDWR | O_CLOEXEC) : -1;
	free(path);
	if (cfd < 0 || __igt_gring_gem_create(cfd, &bo_arg) ||
	    __ring_create(cfd, &ring_arg) || drmSyncobjCreate(cfd, 0, &sync))
		return 2;
	off.handle = bo_arg.handle;
	if (__igt_gring_gem_mmap_offset(cfd, &off))
		return 2;
	map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, cfd,
		   off.offset);
	if (map == MAP_FAILED)
		return 2;

	for (i = 0; i < jobs; i++) {
		struct drm_gring_cmd w = cmd_write32(bo_arg.handle,
						     (i % 256) * 4,
						     word_pattern(i, p));
		struct drm_gring_submit arg = {
			.ring_id = ring_arg.ring_id, .cmds = (uintptr_t)&w,
			.cmd_count = 1, .cmd_size = sizeof(w),
			.out_sync = i + 1 == jobs ? sync : 0,
		};

		if (__submit(cfd, &arg))
			return 3;
	}
	if (syncobj_wait(cfd, sync, 60 * NSEC_PER_SEC))
		return 4;
	/* The last 256 jobs wrote the words that are left. */
	for (i = jobs - 256; i < jobs; i++)
		if (map[i % 256] != word_pattern(i, p))
			return 5;
	if (__query(cfd, ring_arg.ring_id, &q, NULL, 0) ||
	    q.submitted != jobs || q.completed != jobs)
		return 6;
	return 0;
}

/* Two processes, each with its own ring and BO: no cross-talk. */
static void test_two_processes(int fd)
{
	const unsigned int jobs = 200;
	pid_t pids[2];
	unsigned int p;

	for (p = 0; p < 2; p++) {
		pids[p] = fork();
		igt_assert(pids[p] >= 0);
		if (pids[p] == 0)
			_exit(two_processes_child(fd, p, jobs));
	}
	for (p = 0; p < 2; p++) {
		int status;

		igt_assert_eq(waitpid(pids[p], &status, 0), pids[p]);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "process %u: status %#x (exit 5: a word was not its own)\n",
			     p, status);
	}
}

/*
 * No ioctl output carries anything that looks like an address: every
 * number RING_QUERY returns is bounded by what the test knows.
 */
static void test_no_address_in_outputs(int fd)
{
	uint32_t bo = igt_gring_gem_create(fd, igt_gring_page_size(), NULL);
	uint32_t ring = ring_create(fd, DRM_GRING_RING_SIZE_MIN);
	struct drm_gring_cmd w = cmd_write32(bo, 0, 1);
	struct drm_gring_region r[4];
	struct drm_gring_ring_query q;
	unsigned int i;

	for (i = 0; i < 50; i++)
		submit(fd, ring, &w, 1, 0);
	query(fd, ring, &q, r, 4);
	igt_assert(q.size == DRM_GRING_RING_SIZE_MIN);
	igt_assert(q.wptr < q.size && q.rptr < q.size);
	igt_assert(q.submitted == 50 && q.completed <= 50);
	igt_assert(q.region_count <= 3);
	for (i = 0; i < q.region_count; i++) {
		igt_assert(r[i].offset < q.size);
		igt_assert(r[i].offset + r[i].size <= q.size);
		igt_assert(r[i].owner <= DRM_GRING_OWNER_GPU);
		igt_assert_eq_u32(r[i].pad, 0);
	}
	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

igt_main
{
	/* static: kept intact across the siglongjmp() out of each subtest */
	static int fd = -1;

	igt_fixture
		fd = igt_gring_open();

	igt_describe("Rings are created with the asked size, get distinct ids and are destroyed once.");
	igt_subtest("ring-create-destroy")
		test_create_destroy(fd);
	igt_describe("RING_CREATE refuses unknown engines, flags, extensions and bad sizes, changing nothing.");
	igt_subtest("ring-create-invalid")
		test_create_invalid(fd);
	igt_describe("WRITE32/WRITE64 land exactly at the first and last words of a BO.");
	igt_subtest("write-lands-first-last")
		test_write_lands(fd);
	igt_describe("COPY and FILL at unaligned offsets and sizes touch exactly the bytes asked for.");
	igt_subtest("copy-fill-unaligned")
		test_copy_fill_unaligned(fd);
	igt_describe("A submitted job's ring bytes are GPU-owned per RING_QUERY until it completes.");
	igt_subtest("submit-owns-ring-region")
		test_submit_owns_region(fd);
	igt_describe("CPU_PREP NOWAIT on a range a job writes is -EBUSY; elsewhere in the BO it is not.");
	igt_subtest("cpu-prep-busy-nowait")
		test_cpu_prep_busy_nowait(fd);
	igt_describe("A blocking CPU_PREP returns after the job, with its writes visible; a short timeout says -ETIMEDOUT.");
	igt_subtest("cpu-prep-waits-for-job")
		test_cpu_prep_waits(fd);
	igt_describe("A range held by CPU_PREP cannot be handed to the engine until CPU_FINI.");
	igt_subtest("cpu-hold-refuses-submit")
		test_cpu_hold_refuses_submit(fd);
	igt_describe("CPU_PREP/CPU_FINI refuse bad flags, ranges and handles.");
	igt_subtest("cpu-prep-invalid")
		test_cpu_prep_invalid(fd);
	igt_describe("Commands naming memory outside their BO, or another file's BO, are refused with nothing queued.");
	igt_subtest("submit-invalid-commands")
		test_submit_invalid(fd);
	igt_describe("SUBMIT refuses bad flags, counts, pointers, rings and syncobjs with nothing queued.");
	igt_subtest("submit-invalid-args")
		test_submit_invalid_args(fd);
	igt_describe("A hung job is cancelled at the timeout, its fence says -ETIMEDOUT, and the ring goes on.");
	igt_subtest("hang-timeout-recovers")
		test_hang_recovers(fd);
	igt_describe("A device fault (an address outside every mapping) reaches the job's fence as -EFAULT and the ring goes on.");
	igt_subtest("device-fault-recovers")
		test_device_fault(fd);
	igt_describe("A full ring gives -EAGAIN with NONBLOCK and makes a blocking SUBMIT wait.");
	igt_subtest("ring-full")
		test_ring_full(fd);
	igt_describe("A job waiting on another ring's job through an in-syncobj runs after it.");
	igt_subtest("in-syncobj-orders-rings")
		test_in_sync_order(fd);
	igt_describe("A job of DRM_GRING_MAX_CMDS commands with two ranges each runs; more commands, or more than half the ring, are refused.");
	igt_subtest("submit-max-commands")
		test_max_commands(fd);
	igt_describe("SUBMIT, CPU_PREP/FINI, RING_QUERY and ring create/destroy from three threads at once keep their contracts.");
	igt_subtest("concurrent-submit-prep-query")
		test_concurrent(fd);
	igt_describe("debugfs gring_rings shows a running job's ring bytes GPU-owned and the whole ring CPU-owned after it.");
	igt_subtest("debugfs-rings-owners")
		test_debugfs_rings(fd);
	igt_describe("Timeline points are signalled by the jobs that carry them.");
	igt_subtest("out-syncobj-timeline")
		test_timeline_points(fd);
	igt_describe("10000 jobs through a 4 KiB ring complete in order with every result checked.");
	igt_subtest("jobs-10000-in-order")
		test_many_jobs_in_order(fd, 10000);
	igt_describe("Closing a file with jobs in flight frees every object.");
	igt_subtest("close-with-jobs-in-flight")
		test_close_inflight(fd);
	igt_describe("Two processes with their own rings see no cross-talk.");
	igt_subtest("two-processes-no-crosstalk")
		test_two_processes(fd);
	igt_describe("No RING_QUERY output is an address: every value is bounded by the ring.");
	igt_subtest("no-address-in-outputs")
		test_no_address_in_outputs(fd);

	igt_fixture
		close(fd);
}
