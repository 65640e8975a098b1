// SPDX-License-Identifier: MIT
/*
 * gring_engine: what the soft engine does with jobs -- writes that land
 * exactly where the commands point, device faults and hangs reported in
 * the job's fence with the ring going on, syncobj ordering across rings,
 * 10000 jobs in order, and no cross-talk or leak between files; and the
 * direct path (a job completed inside its SUBMIT): the same results as the
 * scheduled path, taken only when nothing is to be waited for.
 *
 * Every expected value is computed here, by the test, from what it asked
 * for: byte patterns, offsets, seqnos, errnos.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gring_ring_test.h"

IGT_TEST_DESCRIPTION("Jobs on gring's soft engine: results, fences, faults, hangs and ordering.");

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

	igt_gring_inject_faults(fd, 1);
	bad_job_then_good(fd, faulty, 2, cmd_write32(bo, 8, 0x900d),
			  10 * NSEC_PER_SEC, -EFAULT, &q);
	igt_assert_eq_u64(q.faults, 1);
	igt_assert_eq_u32(map[0], 0);
	igt_assert_eq_u32(map[1], 0);
	igt_assert_eq_u32(map[2], 0x900d);

	munmap((void *)map, igt_gring_page_size());
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

/*
 * Closing a file with jobs queued and running frees everything. Since
 * uapi version 5 close does not wait for the jobs: they run on, holding
 * their BOs, and the last one to end lets the objects go. So the counts
 * must come back to where they were once the jobs (4 x 200 ms) are done;
 * the test gives them 10 s.
 */
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
	uint64_t t0, deadline;
	unsigned int i;

	for (i = 0; i < 4; i++)
		submit(other, ring, cmds, 2, 0);
	t0 = now_ns();
	close(other);

	deadline = t0 + 10 * NSEC_PER_SEC;
	for (;;) {
		after = igt_gring_gem_stats(fd);
		if ((after.objects == before.objects &&
		     after.bytes == before.bytes) || now_ns() > deadline)
			break;
		usleep(10 * 1000);
	}
	igt_info("objects back to %" PRIu64 " after %" PRIu64 " ms\n",
		 after.objects, (uint64_t)((now_ns() - t0) / NSEC_PER_MSEC));
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

/* --- the direct path --------------------------------------------------- */

/* Ring sizes the direct-path tests use, so their debugfs blocks are theirs. */
#define DIRECT_RING_SIZE	(32u << 10)
#define SCHED_RING_SIZE		(128u << 10)

/* A job the direct path never takes: a STALL, for @ms milliseconds. */
static uint32_t stall_job(int fd, uint32_t ring, uint64_t ms)
{
	struct drm_gring_cmd stall = cmd_stall(ms * NSEC_PER_MSEC);
	uint32_t sync = syncobj_create(fd);

	submit(fd, ring, &stall, 1, sync);
	return sync;
}

/* Submit with one in-syncobj (0: none); returns the seqno. */
static uint64_t submit_after(int fd, uint32_t ring,
			     const struct drm_gring_cmd *cmds, uint32_t n,
			     uint32_t in_sync, uint32_t out_sync)
{
	struct drm_gring_sync wait = { .handle = in_sync };
	struct drm_gring_submit arg = {
		.ring_id = ring, .cmds = (uintptr_t)cmds, .cmd_count = n,
		.cmd_size = sizeof(*cmds), .out_sync = out_sync,
		.in_syncs = in_sync ? (uintptr_t)&wait : 0,
		.in_sync_count = in_sync ? 1 : 0,
	};

	igt_assert_eq(__submit(fd, &arg), 0);
	return arg.seqno;
}

struct ring_paths {
	uint64_t direct;
	uint64_t scheduled;
};

/*
 * How many jobs of @ring took each path, from debugfs gring_rings (root
 * only): its line "jobs direct N scheduled M". A ring id is per file and
 * ids are reused, so the newest ring of that id and size is taken: the
 * device lists rings in creation order.
 */
static struct ring_paths ring_paths(int fd, uint32_t ring, uint32_t size)
{
	struct ring_paths p;
	char head[64], *text, *start = NULL, *at, *line;

	text = igt_gring_debugfs_text(fd, "gring_rings");

	snprintf(head, sizeof(head), ": ring id %u, %u bytes", ring, size);
	for (at = strstr(text, head); at; at = strstr(at + 1, head))
		start = at;
	igt_assert_f(start, "ring %u not in gring_rings:\n%s", ring, text);
	line = strstr(start, "jobs direct ");
	igt_assert_f(line && sscanf(line, "jobs direct %" SCNu64 " scheduled %" SCNu64,
				    &p.direct, &p.scheduled) == 2,
		     "no direct/scheduled counts for ring %u:\n%s", ring, start);
	free(text);
	return p;
}

static void assert_paths(int fd, uint32_t ring, uint32_t size,
			 uint64_t direct, uint64_t scheduled)
{
	struct ring_paths p = ring_paths(fd, ring, size);

	igt_assert_f(p.direct == direct && p.scheduled == scheduled,
		     "ring %u: %" PRIu64 " direct, %" PRIu64 " scheduled jobs; expected %" PRIu64 " and %" PRIu64 "\n",
		     ring, p.direct, p.scheduled, direct, scheduled);
}

/* The commands' effect on @dst (@src: the source BO's bytes), by the test. */
static void model_cmds(const struct drm_gring_cmd *cmds, unsigned int n,
		       uint32_t dst_handle, uint8_t *dst, const uint8_t *src)
{
	unsigned int i;
	uint64_t k;

	for (i = 0; i < n; i++) {
		const struct drm_gring_cmd *c = &cmds[i];
		uint32_t v32 = (uint32_t)c->value;

		igt_assert_eq_u32(c->dst_handle, dst_handle);
		switch (c->op) {
		case DRM_GRING_OP_WRITE32:
			memcpy(dst + c->dst_offset, &v32, 4);
			break;
		case DRM_GRING_OP_WRITE64:
			memcpy(dst + c->dst_offset, &c->value, 8);
			break;
		case DRM_GRING_OP_COPY:
			memcpy(dst + c->dst_offset, src + c->src_offset, c->size);
			break;
		case DRM_GRING_OP_FILL:
			for (k = 0; k < c->size; k += 4)
				memcpy(dst + c->dst_offset + k, &v32, 4);
			break;
		default:
			igt_assert_f(0, "op %u not modelled\n", c->op);
		}
	}
}

/* One command stream of direct-matches-scheduled. */
struct stream {
	const char *name;
	struct drm_gring_cmd cmds[8];
	unsigned int n;
	bool fault;
};

#define STREAM_BO_SIZE	(256 * 1024)

/*
 * Run @st on a fresh idle ring (the direct path) and on a ring whose job
 * waits for a STALL on a third ring (the scheduled path), each on its own
 * pair of BOs with the same initial bytes; both must give exactly the
 * bytes the test computed and the same fence status.
 */
static void run_stream(int fd, const struct stream *st)
{
	const uint64_t size = STREAM_BO_SIZE;
	uint32_t dst[2], src[2], ring[2], sync[2], block, hold;
	uint8_t *expect = malloc(size), *init = malloc(size);
	volatile uint8_t *d[2];
	struct drm_gring_cmd cmds[8];
	int status[2], want = st->fault ? -EFAULT : 1;
	uint64_t i;
	int p;

	igt_assert(expect && init);
	for (i = 0; i < size; i += 4) {
		uint32_t w = word_pattern(i / 4, 0xd1ec7);

		memcpy(init + i, &w, 4);
	}
	hold = ring_create(fd, 0);
	for (p = 0; p < 2; p++) {
		uint8_t *s;

		dst[p] = igt_gring_gem_create(fd, size, NULL);
		src[p] = igt_gring_gem_create(fd, size, NULL);
		d[p] = igt_gring_gem_mmap(fd, dst[p], size);
		s = igt_gring_gem_mmap(fd, src[p], size);
		for (i = 0; i < size; i++) {
			d[p][i] = (uint8_t)~init[i];
			s[i] = init[i];
		}
		munmap(s, size);
		ring[p] = ring_create(fd, p ? SCHED_RING_SIZE : DIRECT_RING_SIZE);
		sync[p] = syncobj_create(fd);
	}
	for (i = 0; i < size; i++)
		expect[i] = (uint8_t)~init[i];
	if (!st->fault)
		model_cmds(st->cmds, st->n, 1, expect, init);

	for (p = 0; p < 2; p++) {
		unsigned int k;

		for (k = 0; k < st->n; k++) {
			cmds[k] = st->cmds[k];
			cmds[k].dst_handle = dst[p];
			if (cmds[k].op == DRM_GRING_OP_COPY)
				cmds[k].src_handle = src[p];
		}
		/* The STALL first: it would use up the injected fault. */
		block = p ? stall_job(fd, hold, 200) : 0;
		if (st->fault)
			igt_gring_inject_faults(fd, 1);
		submit_after(fd, ring[p], cmds, st->n, block, sync[p]);
		if (!p) {
			/* Direct: complete when SUBMIT returns. */
			igt_assert_eq(syncobj_status(fd, sync[p]), want);
		} else {
			igt_assert_eq(syncobj_status(fd, sync[p]), 0);
			igt_assert_eq(syncobj_wait(fd, sync[p],
						   10 * NSEC_PER_SEC), 0);
			drmSyncobjDestroy(fd, block);
		}
		status[p] = syncobj_status(fd, sync[p]);
	}
	assert_paths(fd, ring[0], DIRECT_RING_SIZE, 1, 0);
	assert_paths(fd, ring[1], SCHED_RING_SIZE, 0, 1);

	igt_assert_f(status[0] == want && status[1] == want,
		     "%s: fence status direct %d, scheduled %d, expected %d\n",
		     st->name, status[0], status[1], want);
	for (p = 0; p < 2; p++)
		for (i = 0; i < size; i++)
			igt_assert_f(d[p][i] == expect[i],
				     "%s, %s path: byte %" PRIu64 " is %#x, expected %#x\n",
				     st->name, p ? "scheduled" : "direct", i,
				     d[p][i], expect[i]);

	for (p = 0; p < 2; p++) {
		drmSyncobjDestroy(fd, sync[p]);
		ring_destroy(fd, ring[p]);
		munmap((void *)d[p], size);
		gem_close(fd, dst[p]);
		gem_close(fd, src[p]);
	}
	ring_destroy(fd, hold);
	free(expect);
	free(init);
}

/*
 * The same command streams, on the direct and on the scheduled path: the
 * same bytes, the same fence statuses, a fault included. The dst handle
 * in the table is a placeholder (1); each path gets its own BOs.
 */
static void test_direct_matches_scheduled(int fd)
{
	const uint64_t sz = STREAM_BO_SIZE;
	const struct stream streams[] = {
		{ "writes", {
			cmd_write32(1, 0, 0x11223344),
			cmd_write32(1, sz - 4, 0x55667788),
			cmd_write64(1, 8, 0x0123456789abcdefull),
			cmd_write64(1, sz - 16, 0xfedcba9876543210ull),
		  }, 4, false },
		{ "fills", {
			cmd_fill(1, 0, 4, 0xa1b2c3d4),
			cmd_fill(1, 12, 4096 + 12, 0x01020304),
			cmd_fill(1, 65536, 65536, 0xcafef00d),
			cmd_fill(1, sz - 40, 40, 0x5a5aa5a5),
		  }, 4, false },
		{ "copies", {
			cmd_copy(1, 1, 1, 3, 1),
			cmd_copy(1, 7, 1, 0, 13),
			cmd_copy(1, 100, 1, 4001, 4095),
			cmd_copy(1, 8192, 1, 77, 65536),
			cmd_copy(1, sz - 5, 1, 17, 5),
		  }, 5, false },
		{ "copy-192k", {
			cmd_copy(1, 4096, 1, 65536 - 3, 192 * 1024),
		  }, 1, false },
		{ "mixed", {
			cmd_fill(1, 0, 8192, 0x0badcafe),
			cmd_copy(1, 4, 1, 4096, 100),
			cmd_write32(1, 8, 0x77777777),
			cmd_write64(1, 4096, 0x1122334455667788ull),
			cmd_copy(1, 200, 1, 0, 50),
		  }, 5, false },
		{ "fault", {
			cmd_write32(1, 0, 0xbad),
			cmd_fill(1, 64, 64, 0xbadbad),
		  }, 2, true },
	};
	unsigned int i;

	for (i = 0; i < sizeof(streams) / sizeof(streams[0]); i++)
		run_stream(fd, &streams[i]);
}

/*
 * What never takes the direct path: a job with an in-fence not yet
 * signalled, or one failed; a job on a ring with work outstanding; a
 * STALL; more than the byte or command budget. What does: the same job
 * once the ring is idle and its in-fence signalled.
 */
static void test_direct_only_when_idle(int fd)
{
	/* The bound README gives: at most 1 MiB copied or filled goes direct. */
	const uint64_t budget_bytes = 1024 * 1024;
	const uint64_t size = 2 * budget_bytes;
	uint32_t bo = igt_gring_gem_create(fd, size, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, size);
	uint32_t ring = ring_create(fd, DIRECT_RING_SIZE);
	uint32_t other = ring_create(fd, 0);
	uint32_t sync = syncobj_create(fd), sync2 = syncobj_create(fd);
	uint32_t block, failed = syncobj_create(fd);
	struct drm_gring_cmd w = cmd_write32(bo, 0, 1), many[257];
	struct drm_gring_cmd big = cmd_fill(bo, 0, budget_bytes + 4, 0x3);
	struct drm_gring_cmd budget = cmd_fill(bo, 0, budget_bytes, 0x4);
	struct drm_gring_cmd f = cmd_write32(bo, size - 4, 0xbad);
	uint64_t d = 0, s = 0;
	unsigned int i;

	/* Idle ring, no in-fence: direct. */
	submit(fd, ring, &w, 1, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, ++d, s);
	igt_assert_eq(syncobj_status(fd, sync), 1);

	/* An in-fence not yet signalled: scheduled, and not done on return. */
	block = stall_job(fd, other, 300);
	w = cmd_write32(bo, 0, 2);
	submit_after(fd, ring, &w, 1, block, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, d, ++s);
	igt_assert_eq(syncobj_status(fd, sync), 0);

	/* The ring has that job outstanding: scheduled, after it. */
	w = cmd_write32(bo, 4, 3);
	submit(fd, ring, &w, 1, sync2);
	assert_paths(fd, ring, DIRECT_RING_SIZE, d, ++s);
	igt_assert_eq(syncobj_wait(fd, sync2, 10 * NSEC_PER_SEC), 0);
	igt_assert_eq(syncobj_status(fd, sync), 1);
	igt_assert_eq_u32(map[0], 2);
	igt_assert_eq_u32(map[1], 3);

	/* Idle again, the in-fence signalled: direct. */
	w = cmd_write32(bo, 0, 4);
	submit_after(fd, ring, &w, 1, block, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, ++d, s);
	igt_assert_eq(syncobj_status(fd, sync), 1);
	igt_assert_eq_u32(map[0], 4);
	drmSyncobjDestroy(fd, block);

	/* A STALL, however short: scheduled. */
	block = stall_job(fd, ring, 1);
	assert_paths(fd, ring, DIRECT_RING_SIZE, d, ++s);
	igt_assert_eq(syncobj_wait(fd, block, 10 * NSEC_PER_SEC), 0);
	drmSyncobjDestroy(fd, block);

	/* The byte budget exactly: direct; one word more: scheduled. */
	submit(fd, ring, &budget, 1, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, ++d, s);
	igt_assert_eq(syncobj_status(fd, sync), 1);
	submit(fd, ring, &big, 1, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, d, ++s);
	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);
	igt_assert_eq_u32(map[size / 4 - 1], 0);
	igt_assert_eq_u32(map[budget_bytes / 4], 3);

	/* 256 commands: direct; 257: scheduled. */
	for (i = 0; i < 257; i++)
		many[i] = cmd_write32(bo, 4ull * i, 0x100 + i);
	submit(fd, ring, many, 256, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, ++d, s);
	submit(fd, ring, many, 257, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, d, ++s);
	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);
	for (i = 0; i < 257; i++)
		igt_assert_eq_u32(map[i], 0x100 + i);

	/*
	 * An in-fence that failed (a direct job of another ring that
	 * faulted): scheduled, and skipped with -ECANCELED as always.
	 */
	igt_gring_inject_faults(fd, 1);
	submit(fd, other, &f, 1, failed);
	igt_assert_eq(syncobj_status(fd, failed), -EFAULT);
	w = cmd_write32(bo, 0, 0xdead);
	submit_after(fd, ring, &w, 1, failed, sync);
	assert_paths(fd, ring, DIRECT_RING_SIZE, d, ++s);
	igt_assert_eq(syncobj_wait(fd, sync, 10 * NSEC_PER_SEC), 0);
	igt_assert_eq(syncobj_status(fd, sync), -ECANCELED);
	igt_assert_eq_u32(map[0], 0x100);
	igt_assert_eq_u32(map[size / 4 - 1], 0);

	drmSyncobjDestroy(fd, sync);
	drmSyncobjDestroy(fd, sync2);
	drmSyncobjDestroy(fd, failed);
	ring_destroy(fd, ring);
	ring_destroy(fd, other);
	munmap((void *)map, size);
	gem_close(fd, bo);
}

/*
 * A scheduled job that hangs is still cancelled at the timeout with
 * -ETIMEDOUT, while direct jobs on another ring go on completing, each
 * before its SUBMIT returns.
 */
static void test_direct_beside_hang(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, page);
	uint32_t hung = ring_create(fd, 0), ring = ring_create(fd, DIRECT_RING_SIZE);
	uint32_t hang = stall_job(fd, hung, DRM_GRING_STALL_MAX_NS / NSEC_PER_MSEC);
	uint32_t sync = syncobj_create(fd);
	uint64_t jobs = 0;

	igt_assert_eq(syncobj_status(fd, hang), 0);
	while (syncobj_status(fd, hang) == 0) {
		struct drm_gring_cmd w = cmd_write32(bo, 4 * (jobs % 1024),
						     word_pattern(jobs, 0x4a9));

		igt_assert_eq_u64(submit(fd, ring, &w, 1, sync), jobs + 1);
		igt_assert_eq(syncobj_status(fd, sync), 1);
		igt_assert_eq_u32(map[jobs % 1024], word_pattern(jobs, 0x4a9));
		jobs++;
		igt_assert_f(jobs < 10000000, "the hung job never timed out\n");
	}
	igt_assert_eq(syncobj_status(fd, hang), -ETIMEDOUT);
	igt_assert_f(jobs >= 10, "only %" PRIu64 " direct jobs beside the hang\n",
		     jobs);
	assert_paths(fd, ring, DIRECT_RING_SIZE, jobs, 0);

	drmSyncobjDestroy(fd, hang);
	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, hung);
	ring_destroy(fd, ring);
	munmap((void *)map, page);
	gem_close(fd, bo);
}

/*
 * A direct job's fence has signalled when SUBMIT returns: a sync_file
 * exported at once says so, and the ring reports the job completed --
 * without any wait.
 */
static void test_direct_signalled_on_return(int fd)
{
	const uint64_t page = igt_gring_page_size();
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, page);
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	struct drm_gring_ring_query q;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		struct drm_gring_cmd w = cmd_write32(bo, 4 * i, 0xf00 + i);

		igt_assert_eq_u64(submit(fd, ring, &w, 1, sync), i + 1);
		igt_assert_eq(syncobj_status(fd, sync), 1);
		igt_assert_eq_u32(map[i], 0xf00 + i);
		query(fd, ring, &q, NULL, 0);
		igt_assert_eq_u64(q.completed, i + 1);
		igt_assert_eq_u32(q.rptr, q.wptr);
	}

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	munmap((void *)map, page);
	gem_close(fd, bo);
}

igt_main
{
	/* static: kept intact across the siglongjmp() out of each subtest */
	static int fd = -1;

	igt_fixture
		fd = igt_gring_open();

	igt_describe("WRITE32/WRITE64 land exactly at the first and last words of a BO.");
	igt_subtest("write-lands-first-last")
		test_write_lands(fd);

	igt_describe("COPY and FILL at unaligned offsets and sizes touch exactly the bytes asked for.");
	igt_subtest("copy-fill-unaligned")
		test_copy_fill_unaligned(fd);

	igt_describe("A hung job is cancelled at the timeout, its fence says -ETIMEDOUT, and the ring goes on.");
	igt_subtest("hang-timeout-recovers")
		test_hang_recovers(fd);

	igt_describe("A device fault (an address outside every mapping) reaches the job's fence as -EFAULT and the ring goes on.");
	igt_subtest("device-fault-recovers")
		test_device_fault(fd);

	igt_describe("A job waiting on another ring's job through an in-syncobj runs after it.");
	igt_subtest("in-syncobj-orders-rings")
		test_in_sync_order(fd);

	igt_describe("Timeline points are signalled by the jobs that carry them.");
	igt_subtest("out-syncobj-timeline")
		test_timeline_points(fd);

	igt_describe("10000 jobs through a 4 KiB ring complete in order with every result checked.");
	igt_subtest("jobs-10000-in-order")
		test_many_jobs_in_order(fd, 10000);

	igt_describe("Closing a file with jobs in flight frees every object once the jobs are done.");
	igt_subtest("close-with-jobs-in-flight")
		test_close_inflight(fd);

	igt_describe("Two processes with their own rings see no cross-talk.");
	igt_subtest("two-processes-no-crosstalk")
		test_two_processes(fd);

	igt_describe("The same command streams give the same bytes and fence statuses on the direct and the scheduled path.");
	igt_subtest("direct-matches-scheduled")
		test_direct_matches_scheduled(fd);

	igt_describe("Only a bounded job with nothing to wait for, on an idle ring, takes the direct path.");
	igt_subtest("direct-only-when-idle")
		test_direct_only_when_idle(fd);

	igt_describe("A hung scheduled job still times out while direct jobs on another ring complete.");
	igt_subtest("direct-beside-hang")
		test_direct_beside_hang(fd);

	igt_describe("A direct job's fence has signalled when SUBMIT returns.");
	igt_subtest("direct-signalled-on-return")
		test_direct_signalled_on_return(fd);

	igt_fixture
		close(fd);
}
