// SPDX-License-Identifier: MIT
/*
 * gring-bench: what one more buffer range costs SUBMIT, at 16, 256 and
 * 4096 ranges per job ("make bench gains, same boot").
 *
 * A job of N commands, each a WRITE32 to its own 4 bytes of one BO at
 * offsets 0, 64, 128, ...: N distinct ranges with 60-byte gaps, so the
 * kernel, which merges a job's ranges only where they overlap or touch,
 * keeps all N. Each iteration submits a job of one such command and then
 * one of N, each waited for before the next SUBMIT, so every SUBMIT finds
 * its BO idle (its previous job completed). Only the SUBMIT ioctl is
 * timed, never the wait.
 *
 * The two jobs have a BO and a ring each: a SUBMIT also pays for what its
 * ring's previous job left (ring bytes to reclaim), and the 1-range job
 * must not pay for the N-range one's. The wait polls the syncobj instead
 * of sleeping in it: under TCG a guest whose vCPUs all go idle lets QEMU's
 * thread sleep, and the next ioctl then runs several times slower (cold
 * host caches), which would land on whichever SUBMIT came after a sleep.
 *
 * submit.range.N's figure is the marginal cost of a range at N ranges:
 * the median over the sample's pairs of t_N - t_1, / (N - 1), in
 * microseconds per range (a pair's two SUBMITs run back to back, so a
 * host hiccup mostly lands on both or neither). Its extras are the
 * median t_1 and t_N, in us. When the ranges cost less than the noise
 * (the debug kernel under load), the row is unavailable, not failed.
 * The ratio submit.ranges is submit.range.256 / submit.range.16: 1 when a
 * range costs the same however many there are, about 16 when SUBMIT's
 * work grows with the square of the ranges. submit.ranges.4k is 4096
 * against 256.
 *
 * A kernel that takes a second for a 4096-range SUBMIT makes that row's
 * sample one iteration (calibration sizes samples on their whole time),
 * about ten seconds for the row in all with --repeat 5.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

/* Bytes from one command's range to the next: 4 written, 60 untouched. */
#define RANGE_STRIDE		64
#define RANGE_MAX		DRM_GRING_MAX_CMDS
/* Longest wait for one job; the engine's own job timeout is 2 s. */
#define RANGE_WAIT_NS		(10ull * 1000 * 1000 * 1000)

enum { EXTRA_T1, EXTRA_TN };

static const struct bench_extra range_extras[] = {
	[EXTRA_T1] = { "t1", "us" },	/* median SUBMIT of 1 range */
	[EXTRA_TN] = { "tN", "us" },	/* median SUBMIT of N ranges */
};

/* What one of the two jobs needs: its BO, its ring and its syncobj. */
struct range_job {
	struct gring_bo bo;
	struct gring_cmdring ring;
	uint32_t sync;
	uint32_t n;			/* its commands */
};

struct range_priv {
	const struct gring_device *dev;
	struct range_job one;		/* the 1-range job */
	struct range_job many;		/* the N-range job */
	double *t1, *tn;		/* one run's SUBMIT times, us */
	uint64_t cap;			/* room in each */
	struct drm_gring_cmd cmds[RANGE_MAX];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The value command @i of every job writes: never 0, which BOs start as. */
static uint32_t range_value(uint32_t i)
{
	return 0x5a000000u | i;
}

/*
 * Submit @j's job (its commands are in p->cmds) and return the ioctl's
 * time in *us; then poll until it has completed.
 */
static int range_submit(struct bench_run *r, struct range_priv *p,
			const struct range_job *j, double *us)
{
	const struct gring_cmdring_syncs syncs = { .out = j->sync };
	uint64_t t0, t1, deadline;
	int ret;

	t0 = now_ns();
	ret = gring_cmdring_submit(p->dev, &j->ring, p->cmds, j->n, &syncs, 0,
				   NULL);
	t1 = now_ns();
	if (ret)
		return bench_fail(r, "SUBMIT of %u ranges: %s", j->n,
				  strerror(-ret));
	*us = (double)(t1 - t0) / 1000.0;
	deadline = t1 + RANGE_WAIT_NS;
	do
		ret = gring_wait(p->dev, j->sync, 0, 0);
	while (ret == -ETIME && now_ns() < deadline);
	if (ret)
		return bench_fail(r, "job of %u ranges: %s", j->n,
				  strerror(-ret));
	return 0;
}

/* Every job @j's ring ran has completed, without fault or timeout. */
static int range_check(struct bench_run *r, struct range_priv *p,
		       const struct range_job *j)
{
	struct gring_cmdring_info info;
	int ret;

	ret = gring_cmdring_query(p->dev, &j->ring, &info);
	if (ret)
		return bench_fail(r, "RING_QUERY: %s", strerror(-ret));
	if (info.faults || info.timeouts || info.completed != info.submitted)
		return bench_fail(r, "ring of the %u-range jobs: %llu faults, %llu timeouts, %llu of %llu jobs completed",
				  j->n, (unsigned long long)info.faults,
				  (unsigned long long)info.timeouts,
				  (unsigned long long)info.completed,
				  (unsigned long long)info.submitted);
	return 0;
}

/* Point the first j->n commands at j->n distinct ranges of j's BO. */
static void range_aim(struct range_priv *p, const struct range_job *j)
{
	uint32_t i;

	for (i = 0; i < j->n; i++)
		gring_op_write32(&p->cmds[i], &j->bo,
				 (uint64_t)i * RANGE_STRIDE, range_value(i));
}

/*
 * Pairs of jobs (1 range, N ranges) one iteration submits: 1024 / N, at
 * least 1. Even calibration's first call then takes a median of several
 * where a range costs little next to the host's hiccups (hundreds of us
 * when another guest shares the core), and a slow kernel's 4096-range
 * SUBMIT is done once.
 */
static uint64_t range_pairs(uint32_t n)
{
	return n < 1024 ? 1024 / n : 1;
}

static int range_run(struct bench_run *r, uint64_t iters)
{
	struct range_priv *p = r->priv;
	uint64_t i, pairs = iters * range_pairs(p->many.n);
	double t1, tn, diff;

	if (pairs > p->cap) {
		free(p->t1);
		free(p->tn);
		p->t1 = malloc(pairs * sizeof(*p->t1));
		p->tn = malloc(pairs * sizeof(*p->tn));
		p->cap = p->t1 && p->tn ? pairs : 0;
		if (!p->cap)
			return bench_fail(r, "out of memory");
	}
	for (i = 0; i < pairs; i++) {
		range_aim(p, &p->one);
		if (range_submit(r, p, &p->one, &p->t1[i]))
			return -1;
		range_aim(p, &p->many);
		if (range_submit(r, p, &p->many, &p->tn[i]))
			return -1;
	}
	if (range_check(r, p, &p->one) || range_check(r, p, &p->many))
		return -1;
	t1 = bench_quantile(p->t1, pairs, 0.5);
	tn = bench_quantile(p->tn, pairs, 0.5);
	/*
	 * The cost of the extra ranges is the median of each pair's
	 * difference: the two SUBMITs of a pair run back to back, so a host
	 * hiccup (another guest on the core) mostly hits both or neither.
	 */
	for (i = 0; i < pairs; i++)
		p->tn[i] -= p->t1[i];
	diff = bench_quantile(p->tn, pairs, 0.5);
	if (!(diff > 0))
		/*
		 * On a slow kernel under load the ranges can cost less than
		 * the noise: no figure, but no failed run either.
		 */
		return bench_unavailable(r, "a SUBMIT of %u ranges took %.3f us, of 1 range %.3f us (medians of %llu; median difference %.3f us): the ranges cost less than the noise",
					 p->many.n, tn, t1,
					 (unsigned long long)pairs, diff);
	r->value = diff / (double)(p->many.n - 1);
	r->extra[EXTRA_T1] = t1;
	r->extra[EXTRA_TN] = tn;
	return 0;
}

static void range_job_close(struct range_priv *p, struct range_job *j)
{
	if (j->sync)
		gring_syncobj_destroy(p->dev, j->sync);
	j->sync = 0;
	gring_cmdring_destroy(p->dev, &j->ring);
	gring_bo_close(p->dev, &j->bo);
}

static void range_teardown(struct bench_run *r)
{
	struct range_priv *p = r->priv;

	range_job_close(p, &p->many);
	range_job_close(p, &p->one);
	free(p->t1);
	free(p->tn);
}

static int range_job_open(struct bench_run *r, struct range_priv *p,
			  struct range_job *j, uint32_t n)
{
	int ret;

	j->n = n;
	ret = gring_bo_create(p->dev, (uint64_t)n * RANGE_STRIDE, 0, &j->bo);
	if (!ret)
		ret = gring_bo_map(p->dev, &j->bo);
	/* 4096 WRITE32s take 128 KiB of ring, which may hold half its size. */
	if (!ret)
		ret = gring_cmdring_create(p->dev, DRM_GRING_ENGINE_SOFT,
					   DRM_GRING_RING_SIZE_MAX, &j->ring);
	if (!ret)
		ret = gring_syncobj_create(p->dev, &j->sync);
	if (ret)
		return bench_fail(r, "BO, ring and syncobj for %u ranges: %s",
				  n, strerror(-ret));
	return 0;
}

/* One job of @j's now, checked, so the samples time jobs that work. */
static int range_job_try(struct bench_run *r, struct range_priv *p,
			 const struct range_job *j)
{
	const volatile uint32_t *w = j->bo.map;
	double us;
	uint32_t i;

	range_aim(p, j);
	if (range_submit(r, p, j, &us) || range_check(r, p, j))
		return -1;
	for (i = 0; i < j->n * RANGE_STRIDE / 4; i++) {
		uint32_t want = i % (RANGE_STRIDE / 4) ? 0 :
				range_value(i / (RANGE_STRIDE / 4));

		if (w[i] != want)
			return bench_fail(r, "byte %u of the %u-range BO holds %#x after the job, not %#x",
					  i * 4, j->n, w[i], want);
	}
	return 0;
}

static int range_setup(struct bench_run *r)
{
	struct range_priv *p = r->priv;
	uint32_t n = (uint32_t)r->bench->arg;

	p->dev = &r->ctx->gring;
	if (n < 2 || n > RANGE_MAX)
		return bench_fail(r, "bug: %u ranges", n);
	if (range_job_open(r, p, &p->one, 1) ||
	    range_job_open(r, p, &p->many, n) ||
	    range_job_try(r, p, &p->one) || range_job_try(r, p, &p->many)) {
		range_teardown(r);
		return -1;
	}
	return 0;
}

/* arg: N, the ranges of the second job. */
#define RANGE_BENCH(N)							\
const struct bench bench_submit_range_##N = {				\
	.name = "submit.range." #N,					\
	.desc = "SUBMIT's cost per range at " #N ": SUBMITs of " #N " WRITE32s to distinct, non-adjacent ranges of an idle BO and of 1, ioctl only, (t" #N " - t1) / (" #N " - 1)", \
	.section = BENCH_GRING,						\
	.unit = BENCH_US_PER_OP,					\
	.per_iter = 1,							\
	.arg = N,							\
	.needs = BENCH_NEEDS_GRING,					\
	.priv_size = sizeof(struct range_priv),				\
	.setup = range_setup,						\
	.run = range_run,						\
	.teardown = range_teardown,					\
	.self_timed = true,						\
	.extras = range_extras,						\
	.nextra = 2,							\
}

RANGE_BENCH(16);
RANGE_BENCH(256);
RANGE_BENCH(4096);
