// SPDX-License-Identifier: MIT
/*
 * gring-bench: jobs on the soft engine, and the copy they are judged by.
 *
 * soft.nop.rt is the round trip of the smallest job: SUBMIT of one NOP
 * with an out-syncobj, then drmSyncobjWait() until the engine has run it
 * and the scheduler has signalled its fence. soft.cmd64 is throughput:
 * SUBMITs of 64 NOPs each, back to back with no wait, the last one with
 * an out-syncobj that is waited for; jobs on one ring complete in order,
 * so that wait covers them all, and the time is counted per command.
 * soft.copy.1m is one job of one 1 MiB COPY between two BOs, waited for,
 * in bytes per second; soft.copy.1m.x16 puts sixteen of them in one job,
 * so that the job's own cost (submit, two workqueue hops, fence, wake-up)
 * is spread over 16 MiB and the copy itself shows.
 *
 * The engine copies with the kernel's memmove(). On x86-64 that is, for a
 * forward copy of at least 680 bytes whose source and destination share
 * their low address byte (two page-aligned coherent buffers do),
 * `rep movsq`; on CPUs with ERMS or FSRM it is `rep movsb`. Under TCG
 * these run at very different speeds from glibc's SSE2 memcpy, so
 * memcpy.1m copies between two mmapped gring BOs with the instruction
 * the kernel picks on this CPU: the same routine on the same memory, done
 * by the CPU in user space instead of by the engine.
 *
 * Every sample ends with RING_QUERY: all jobs submitted must have
 * completed, with no device fault and no timeout, or the benchmark fails
 * (a job that faulted would signal its fence early and look fast).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <xf86drm.h>

#include "bench.h"

#define SOFT_BATCH		64
#define SOFT_COPY_SIZE		(1ull << 20)
#define SOFT_COPY_BATCH		16
/* Longest wait for one job; the engine's own job timeout is 2 s. */
#define SOFT_WAIT_NS		(10ull * 1000 * 1000 * 1000)

/* A ring, and the binary syncobj its timed jobs signal. */
struct soft_ring {
	uint32_t id;
	uint32_t sync;
};

static int soft_fd(const struct bench_run *r)
{
	return gring_device_fd(&r->ctx->gring);
}

static int soft_ring_open(struct bench_run *r, uint32_t size,
			  struct soft_ring *sr)
{
	struct drm_gring_ring_create arg = {
		.engine = DRM_GRING_ENGINE_SOFT,
		.size = size,
	};
	int fd = soft_fd(r);

	if (drmIoctl(fd, DRM_IOCTL_GRING_RING_CREATE, &arg))
		return bench_fail(r, "RING_CREATE(soft, %u): %s", size,
				  strerror(errno));
	sr->id = arg.ring_id;
	if (drmSyncobjCreate(fd, 0, &sr->sync)) {
		struct drm_gring_ring_destroy d = { .ring_id = sr->id };

		drmIoctl(fd, DRM_IOCTL_GRING_RING_DESTROY, &d);
		sr->id = 0;
		return bench_fail(r, "SYNCOBJ_CREATE: %s", strerror(errno));
	}
	return 0;
}

static void soft_ring_close(struct bench_run *r, struct soft_ring *sr)
{
	struct drm_gring_ring_destroy d = { .ring_id = sr->id };
	int fd = soft_fd(r);

	if (sr->sync)
		drmSyncobjDestroy(fd, sr->sync);
	if (sr->id)
		drmIoctl(fd, DRM_IOCTL_GRING_RING_DESTROY, &d);
	sr->id = 0;
	sr->sync = 0;
}

static int soft_submit(struct bench_run *r, const struct soft_ring *sr,
		       const struct drm_gring_cmd *cmds, uint32_t n,
		       uint32_t out_sync)
{
	struct drm_gring_submit arg = {
		.ring_id = sr->id,
		.cmds = (uintptr_t)cmds,
		.cmd_count = n,
		.cmd_size = sizeof(*cmds),
		.out_sync = out_sync,
	};

	if (drmIoctl(soft_fd(r), DRM_IOCTL_GRING_SUBMIT, &arg))
		return bench_fail(r, "SUBMIT(%u commands): %s", n,
				  strerror(errno));
	return 0;
}

/* Block until the fence last put in @sr->sync has signalled. */
static int soft_wait(struct bench_run *r, const struct soft_ring *sr)
{
	struct timespec ts;
	uint32_t h = sr->sync;
	int64_t deadline;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec +
		   (int64_t)SOFT_WAIT_NS;
	ret = drmSyncobjWait(soft_fd(r), &h, 1, deadline, 0, NULL);
	if (ret)
		return bench_fail(r, "SYNCOBJ_WAIT: %s", strerror(-ret));
	return 0;
}

/* Every job submitted so far has completed, without fault or timeout. */
static int soft_check(struct bench_run *r, const struct soft_ring *sr)
{
	struct drm_gring_ring_query q = { .ring_id = sr->id };

	if (drmIoctl(soft_fd(r), DRM_IOCTL_GRING_RING_QUERY, &q))
		return bench_fail(r, "RING_QUERY: %s", strerror(errno));
	if (q.faults || q.timeouts)
		return bench_fail(r, "ring %u: %llu device faults, %llu timeouts",
				  sr->id, (unsigned long long)q.faults,
				  (unsigned long long)q.timeouts);
	if (q.completed != q.submitted)
		return bench_fail(r, "ring %u: job %llu completed after the wait, %llu submitted",
				  sr->id, (unsigned long long)q.completed,
				  (unsigned long long)q.submitted);
	return 0;
}

/*
 * Submit @iters jobs of the @n commands at @cmds one after the other, each
 * with @sr's out-syncobj and waited for before the next, then check that
 * they all completed: the round trip that soft.nop.rt and the copies time.
 */
static int soft_jobs_waited(struct bench_run *r, const struct soft_ring *sr,
			    const struct drm_gring_cmd *cmds, uint32_t n,
			    uint64_t iters)
{
	uint64_t i;

	for (i = 0; i < iters; i++) {
		if (soft_submit(r, sr, cmds, n, sr->sync) || soft_wait(r, sr))
			return -1;
	}
	return soft_check(r, sr);
}

/*
 * soft.nop.rt and soft.cmd64 share a ring of arg bytes (0: the default
 * size) and a batch of NOPs; soft.nop.rt submits the first one alone.
 */

struct soft_nop_priv {
	struct soft_ring ring;
	struct drm_gring_cmd cmds[SOFT_BATCH];
};

static int soft_nop_setup(struct bench_run *r)
{
	struct soft_nop_priv *p = r->priv;
	unsigned int i;

	for (i = 0; i < SOFT_BATCH; i++)
		p->cmds[i].op = DRM_GRING_OP_NOP;
	return soft_ring_open(r, (uint32_t)r->bench->arg, &p->ring);
}

static void soft_nop_teardown(struct bench_run *r)
{
	struct soft_nop_priv *p = r->priv;

	soft_ring_close(r, &p->ring);
}

/* soft.nop.rt */

static int soft_nop_run(struct bench_run *r, uint64_t iters)
{
	struct soft_nop_priv *p = r->priv;

	return soft_jobs_waited(r, &p->ring, p->cmds, 1, iters);
}

const struct bench bench_soft_nop_rt = {
	.name = "soft.nop.rt",
	.desc = "soft engine: SUBMIT of one NOP job with an out-syncobj, then drmSyncobjWait() until it signalled",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = 0,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct soft_nop_priv),
	.setup = soft_nop_setup,
	.run = soft_nop_run,
	.teardown = soft_nop_teardown,
};

/* soft.cmd64 */

static int soft_cmd64_run(struct bench_run *r, uint64_t iters)
{
	struct soft_nop_priv *p = r->priv;
	uint64_t i;

	for (i = 0; i < iters; i++)
		if (soft_submit(r, &p->ring, p->cmds, SOFT_BATCH,
				i + 1 == iters ? p->ring.sync : 0))
			return -1;
	if (soft_wait(r, &p->ring))
		return -1;
	return soft_check(r, &p->ring);
}

/*
 * The largest ring, so the submitter can run far ahead of the engine and
 * the figure is the steady state of both, not one job's latency.
 */
const struct bench bench_soft_cmd64 = {
	.name = "soft.cmd64",
	.desc = "soft engine: SUBMITs of 64 NOPs back to back, the last one waited for, per NOP",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = SOFT_BATCH,
	.arg = DRM_GRING_RING_SIZE_MAX,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct soft_nop_priv),
	.setup = soft_nop_setup,
	.run = soft_cmd64_run,
	.teardown = soft_nop_teardown,
};

/* Two mapped BOs of @size: @src holds a pattern, @dst zeroes. */
struct bo_pair {
	struct gring_bo src;
	struct gring_bo dst;
};

/* Distinct in every 32-bit word of a 1 MiB buffer, and not its index. */
static uint32_t pattern(uint64_t word)
{
	return (uint32_t)(word * 2654435761u) ^ 0xa5c3e1f7u;
}

static int bo_pair_open(struct bench_run *r, uint64_t size,
			struct bo_pair *bp)
{
	const struct gring_device *dev = &r->ctx->gring;
	uint32_t *s;
	uint64_t i;
	int ret;

	ret = gring_bo_create(dev, size, 0, &bp->src);
	if (!ret)
		ret = gring_bo_create(dev, size, 0, &bp->dst);
	if (!ret)
		ret = gring_bo_map(dev, &bp->src);
	if (!ret)
		ret = gring_bo_map(dev, &bp->dst);
	if (ret) {
		gring_bo_close(dev, &bp->dst);
		gring_bo_close(dev, &bp->src);
		return bench_fail(r, "two %llu-byte BOs: %s",
				  (unsigned long long)size, strerror(-ret));
	}
	s = bp->src.map;
	for (i = 0; i < size / 4; i++)
		s[i] = pattern(i);
	memset(bp->dst.map, 0, size);
	return 0;
}

static void bo_pair_close(struct bench_run *r, struct bo_pair *bp)
{
	gring_bo_close(&r->ctx->gring, &bp->dst);
	gring_bo_close(&r->ctx->gring, &bp->src);
}

/* The copy really happened: dst holds src's pattern, word for word. */
static int bo_pair_verify(struct bench_run *r, const struct bo_pair *bp,
			  uint64_t size, const char *who)
{
	const volatile uint32_t *d = bp->dst.map;
	uint64_t i;

	for (i = 0; i < size / 4; i++)
		if (d[i] != pattern(i))
			return bench_fail(r, "%s: word %llu of the copy is %#x, not %#x",
					  who, (unsigned long long)i, d[i],
					  pattern(i));
	return 0;
}

/*
 * soft.copy.1m, and soft.copy.1m.x16: sixteen of the same COPY in one job,
 * which shows the engine's copy speed with the per-job cost spread thin.
 * The job's copy count is per_iter / arg.
 */

struct soft_copy_priv {
	struct soft_ring ring;
	struct bo_pair bp;
	struct drm_gring_cmd copy[SOFT_COPY_BATCH];
	uint32_t ncopy;
};

static int soft_copy_setup(struct bench_run *r)
{
	struct soft_copy_priv *p = r->priv;
	uint64_t size = r->bench->arg;
	unsigned int i;

	p->ncopy = (uint32_t)(r->bench->per_iter / size);
	if (!p->ncopy || p->ncopy > SOFT_COPY_BATCH)
		return bench_fail(r, "bug: %u copies per job", p->ncopy);
	if (bo_pair_open(r, size, &p->bp))
		return -1;
	if (soft_ring_open(r, 0, &p->ring)) {
		bo_pair_close(r, &p->bp);
		return -1;
	}
	for (i = 0; i < p->ncopy; i++)
		p->copy[i] = (struct drm_gring_cmd){
			.op = DRM_GRING_OP_COPY,
			.dst_handle = p->bp.dst.handle,
			.src_handle = p->bp.src.handle,
			.size = size,
		};
	/* One job now, checked, so the samples time copies that work. */
	if (soft_jobs_waited(r, &p->ring, p->copy, p->ncopy, 1) ||
	    bo_pair_verify(r, &p->bp, size, "soft engine COPY")) {
		soft_ring_close(r, &p->ring);
		bo_pair_close(r, &p->bp);
		return -1;
	}
	return 0;
}

static int soft_copy_run(struct bench_run *r, uint64_t iters)
{
	struct soft_copy_priv *p = r->priv;

	return soft_jobs_waited(r, &p->ring, p->copy, p->ncopy, iters);
}

static void soft_copy_teardown(struct bench_run *r)
{
	struct soft_copy_priv *p = r->priv;

	soft_ring_close(r, &p->ring);
	bo_pair_close(r, &p->bp);
}

const struct bench bench_soft_copy_1m = {
	.name = "soft.copy.1m",
	.desc = "soft engine: one job of one 1 MiB COPY between two gring BOs, waited for (bytes copied per second)",
	.section = BENCH_GRING,
	.unit = BENCH_GB_PER_S,
	.per_iter = SOFT_COPY_SIZE,
	.arg = SOFT_COPY_SIZE,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct soft_copy_priv),
	.setup = soft_copy_setup,
	.run = soft_copy_run,
	.teardown = soft_copy_teardown,
};

const struct bench bench_soft_copy_1m_x16 = {
	.name = "soft.copy.1m.x16",
	.desc = "soft engine: one job of 16 COPYs of 1 MiB between the same two BOs, waited for (bytes copied per second)",
	.section = BENCH_GRING,
	.unit = BENCH_GB_PER_S,
	.per_iter = SOFT_COPY_BATCH * SOFT_COPY_SIZE,
	.arg = SOFT_COPY_SIZE,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct soft_copy_priv),
	.setup = soft_copy_setup,
	.run = soft_copy_run,
	.teardown = soft_copy_teardown,
};

/* memcpy.1m: the kernel memmove()'s instruction, in user space */

enum kcopy_insn {
	KCOPY_NONE,	/* the kernel would use a register loop: not written */
	KCOPY_MOVSQ,
	KCOPY_MOVSB,
};

struct memcpy_bo_priv {
	struct bo_pair bp;
	enum kcopy_insn insn;
};

#if defined(__x86_64__)
/*
 * The instruction x86-64's memmove() uses for a forward copy of @n bytes
 * from @src to @dst, by the CPU features the kernel patches it for.
 */
static enum kcopy_insn kcopy_pick(const void *dst, const void *src, size_t n)
{
	unsigned int eax, ebx = 0, ecx, edx = 0;
	bool erms, fsrm;

	__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
	erms = ebx & (1u << 9);		/* CPUID.(7,0):EBX.ERMS */
	fsrm = edx & (1u << 4);		/* CPUID.(7,0):EDX.FSRM */
	if (fsrm || (erms && n >= 32))
		return KCOPY_MOVSB;
	if (n >= 680 && ((uintptr_t)dst & 0xff) == ((uintptr_t)src & 0xff))
		return KCOPY_MOVSQ;
	return KCOPY_NONE;
}

static void kcopy(enum kcopy_insn insn, void *dst, const void *src, size_t n)
{
	size_t count = insn == KCOPY_MOVSQ ? n / 8 : n;
	size_t tail = insn == KCOPY_MOVSQ ? n % 8 : 0;

	if (insn == KCOPY_MOVSQ)
		__asm__ __volatile__("rep movsq"
				     : "+D"(dst), "+S"(src), "+c"(count)
				     : : "memory");
	else
		__asm__ __volatile__("rep movsb"
				     : "+D"(dst), "+S"(src), "+c"(count)
				     : : "memory");
	/* rep movs leaves both pointers past what it copied. */
	if (tail)
		memcpy(dst, src, tail);
}
#else
static enum kcopy_insn kcopy_pick(const void *dst, const void *src, size_t n)
{
	(void)dst;
	(void)src;
	(void)n;
	return KCOPY_NONE;
}

static void kcopy(enum kcopy_insn insn, void *dst, const void *src, size_t n)
{
	(void)insn;
	(void)dst;
	(void)src;
	(void)n;
}
#endif

static int memcpy_bo_setup(struct bench_run *r)
{
	struct memcpy_bo_priv *p = r->priv;
	uint64_t size = r->bench->arg;

	if (bo_pair_open(r, size, &p->bp))
		return -1;
	p->insn = kcopy_pick(p->bp.dst.map, p->bp.src.map, size);
	if (p->insn == KCOPY_NONE) {
		bo_pair_close(r, &p->bp);
		return bench_unavailable(r, "the kernel's memmove() copies this with a register loop here (or this is not x86-64): no user-space twin");
	}
	kcopy(p->insn, p->bp.dst.map, p->bp.src.map, size);
	if (bo_pair_verify(r, &p->bp, size, "rep movs copy")) {
		bo_pair_close(r, &p->bp);
		return -1;
	}
	return 0;
}

static int memcpy_bo_run(struct bench_run *r, uint64_t iters)
{
	struct memcpy_bo_priv *p = r->priv;
	uint64_t i;

	for (i = 0; i < iters; i++)
		kcopy(p->insn, p->bp.dst.map, p->bp.src.map, r->bench->arg);
	return 0;
}

static void memcpy_bo_teardown(struct bench_run *r)
{
	struct memcpy_bo_priv *p = r->priv;

	bo_pair_close(r, &p->bp);
}

const struct bench bench_memcpy_1m = {
	.name = "memcpy.1m",
	.desc = "1 MiB copy between two mmapped gring BOs with the instruction x86-64 kernel memmove() uses for it (rep movsq; rep movsb on ERMS/FSRM CPUs), as the soft engine's COPY does",
	.section = BENCH_BASELINE,
	.unit = BENCH_GB_PER_S,
	.per_iter = SOFT_COPY_SIZE,
	.arg = SOFT_COPY_SIZE,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct memcpy_bo_priv),
	.setup = memcpy_bo_setup,
	.run = memcpy_bo_run,
	.teardown = memcpy_bo_teardown,
};
