// SPDX-License-Identifier: MIT
/*
 * gring_prep: CPU_PREP and CPU_FINI -- a BO range the engine uses is
 * busy (NOWAIT) or waited for, a range the CPU holds cannot be handed to
 * the engine, and the three paths (SUBMIT, CPU_PREP, RING_QUERY) keep
 * their contracts when they interleave.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gring_ring_test.h"

IGT_TEST_DESCRIPTION("CPU_PREP/CPU_FINI: the CPU takes buffer ranges back from the engine, range by range.");

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

/*
 * timeout_ns 0 does not wait (uapi version 5): on a range a job will write
 * for a second, CPU_PREP without NOWAIT is -ETIMEDOUT at once. Idle
 * bytes of the same BO are given at once.
 */
static void test_cpu_prep_timeout_zero(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, 2 * page, NULL);
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	struct drm_gring_cmd cmds[] = {
		cmd_stall(NSEC_PER_SEC),
		cmd_write32(bo, 0, 0x7e40),
	};
	uint64_t t0, took;
	int ret;

	submit(fd, ring, cmds, 2, sync);
	t0 = now_ns();
	ret = __cpu_prep(fd, bo, DRM_GRING_PREP_WRITE, 0, 4, 0);
	took = now_ns() - t0;
	igt_info("CPU_PREP timeout 0 on a busy range: %d after %" PRIu64 " ms\n",
		 ret, (uint64_t)(took / NSEC_PER_MSEC));
	igt_assert_eq(ret, -ETIMEDOUT);
	igt_assert_f(took < 100 * NSEC_PER_MSEC,
		     "CPU_PREP with timeout 0 took %" PRIu64 " ms\n",
		     (uint64_t)(took / NSEC_PER_MSEC));
	igt_assert_eq(syncobj_status(fd, sync), 0);

	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_WRITE, page, 4, 0), 0);
	igt_assert_eq(__cpu_fini(fd, bo, page, 4), 0);

	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);
	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem_close(fd, bo);
}

/*
 * NOWAIT ignores timeout_ns (uapi version 5; before, a timeout with NOWAIT
 * was -EINVAL): with a second's timeout a busy range is -EBUSY at once,
 * and an idle one is given.
 */
static void test_cpu_prep_nowait_timeout(int fd)
{
	const uint64_t page = igt_gring_page_size();
	const uint32_t nowait = DRM_GRING_PREP_WRITE | DRM_GRING_PREP_NOWAIT;
	uint32_t bo = igt_gring_gem_create(fd, 2 * page, NULL);
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	struct drm_gring_cmd cmds[] = {
		cmd_stall(NSEC_PER_SEC),
		cmd_write32(bo, 0, 0x7e41),
	};
	uint64_t t0, took;
	int ret;

	submit(fd, ring, cmds, 2, sync);
	t0 = now_ns();
	ret = __cpu_prep(fd, bo, nowait, 0, 4, NSEC_PER_SEC);
	took = now_ns() - t0;
	igt_info("CPU_PREP NOWAIT, timeout 1 s, busy range: %d after %" PRIu64 " ms\n",
		 ret, (uint64_t)(took / NSEC_PER_MSEC));
	igt_assert_eq(ret, -EBUSY);
	igt_assert_f(took < 250 * NSEC_PER_MSEC,
		     "CPU_PREP NOWAIT took %" PRIu64 " ms: it waited\n",
		     (uint64_t)(took / NSEC_PER_MSEC));
	igt_assert_eq(syncobj_status(fd, sync), 0);

	/* Idle bytes of the same BO, while the job runs. */
	igt_assert_eq(__cpu_prep(fd, bo, nowait, page, 4, NSEC_PER_SEC), 0);
	igt_assert_eq(__cpu_fini(fd, bo, page, 4), 0);

	/* The job's range too, once it is done. */
	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);
	igt_assert_eq(__cpu_prep(fd, bo, nowait, 0, 4, NSEC_PER_SEC), 0);
	igt_assert_eq(__cpu_fini(fd, bo, 0, 4), 0);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
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
	const char *first_op;
};

/* The first unexpected error, and which call gave it, for the report. */
static void stress_error(struct stress *st, const char *op, int err)
{
	if (!st->errors++) {
		st->first_error = err;
		st->first_op = op;
	}
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
			stress_error(st, "SUBMIT", ret);
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
			stress_error(st, "CPU_PREP", ret);
			continue;
		}
		st->preps++;
		ret = __cpu_fini(st->fd, st->bo, 0, 4);
		if (ret)
			stress_error(st, "CPU_FINI", ret);
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
		const char *op = "RING_QUERY";
		int ret = __query(st->fd, st->ring, &q, r, 3);

		if (!ret) {
			op = "RING_CREATE";
			ret = __ring_create(st->fd, &rc);
		}
		if (!ret) {
			op = "RING_DESTROY";
			ret = __ring_destroy(st->fd, rc.ring_id);
		}
		if (ret)
			stress_error(st, op, ret);
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
	igt_assert_f(!st.errors, "%u unexpected errors, the first %d from %s\n",
		     st.errors, st.first_error, st.first_op);
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

igt_main
{
	/* static: kept intact across the siglongjmp() out of each subtest */
	static int fd = -1;

	igt_fixture
		fd = igt_gring_open();

	igt_describe("CPU_PREP NOWAIT on a range a job writes is -EBUSY; elsewhere in the BO it is not.");
	igt_subtest("cpu-prep-busy-nowait")
		test_cpu_prep_busy_nowait(fd);

	igt_describe("A blocking CPU_PREP returns after the job, with its writes visible; a short timeout says -ETIMEDOUT.");
	igt_subtest("cpu-prep-waits-for-job")
		test_cpu_prep_waits(fd);

	igt_describe("CPU_PREP with timeout_ns 0 on a busy range does not wait: -ETIMEDOUT at once.");
	igt_subtest("cpu-prep-timeout-zero")
		test_cpu_prep_timeout_zero(fd);

	igt_describe("CPU_PREP NOWAIT ignores timeout_ns: -EBUSY at once on a busy range, 0 on an idle one.");
	igt_subtest("cpu-prep-nowait-ignores-timeout")
		test_cpu_prep_nowait_timeout(fd);

	igt_describe("A range held by CPU_PREP cannot be handed to the engine until CPU_FINI.");
	igt_subtest("cpu-hold-refuses-submit")
		test_cpu_hold_refuses_submit(fd);

	igt_describe("CPU_PREP/CPU_FINI refuse bad flags, ranges and handles.");
	igt_subtest("cpu-prep-invalid")
		test_cpu_prep_invalid(fd);

	igt_describe("SUBMIT, CPU_PREP/FINI, RING_QUERY and ring create/destroy from three threads at once keep their contracts.");
	igt_subtest("concurrent-submit-prep-query")
		test_concurrent(fd);

	igt_fixture
		close(fd);
}
