// SPDX-License-Identifier: MIT
/*
 * gring-bench: time a benchmark and summarise its samples.
 *
 * One sample is one call of run() with a fixed iteration count, timed with
 * CLOCK_MONOTONIC around the call and divided by the work it did. First
 * one untimed iteration warms up: it takes the first-use costs (shmem
 * pages allocated on a first mmap, page tables, the kernel's caches) that
 * would otherwise make calibration pick too few iterations. Calibration
 * then doubles the count from 1 until a call takes CALIBRATE_NS, and
 * scales it so a sample takes about TARGET_NS. Under TCG that is long
 * enough for the clock to be noise, and short enough that --repeat 1 over
 * every benchmark takes about a second.
 *
 * A self-timed benchmark is calibrated the same way, on the time its
 * run() takes in all, but its sample is the figure run() leaves in
 * bench_run.value: the time of the part it measures (an ioctl without the
 * wait that follows, a latency's median), already in its unit.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define CALIBRATE_NS	10000000ull	/* 10 ms */
#define TARGET_NS	25000000ull	/* 25 ms */
#define MAX_ITERS	(1ull << 32)

static int set_why(struct bench_run *r, int ret, const char *fmt, va_list ap)
{
	vsnprintf(r->why, r->why_len, fmt, ap);
	return ret;
}

/**
 * bench_fail() - say why a benchmark failed
 * @r: the benchmark's run.
 * @fmt: printf format of the reason.
 *
 * Return: -1, for `return bench_fail(r, ...);`.
 */
int bench_fail(struct bench_run *r, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = set_why(r, -1, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * bench_unavailable() - say why a benchmark cannot run here
 * @r: the benchmark's run.
 * @fmt: printf format of the reason.
 *
 * Return: BENCH_UNAVAILABLE, for `return bench_unavailable(r, ...);`.
 */
int bench_unavailable(struct bench_run *r, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = set_why(r, BENCH_UNAVAILABLE, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * bench_unit_name() - the unit as printed and written to JSON
 * @unit: a unit.
 *
 * Return: a constant string.
 */
const char *bench_unit_name(enum bench_unit unit)
{
	return unit == BENCH_GB_PER_S ? "GB/s" : "us/op";
}

/**
 * bench_find() - look a benchmark up by name
 * @benches: the table.
 * @nbench: its length.
 * @name: the name.
 *
 * Return: its index, or -1.
 */
int bench_find(const struct bench *const *benches, size_t nbench,
	       const char *name)
{
	size_t i;

	for (i = 0; i < nbench; i++)
		if (!strcmp(benches[i]->name, name))
			return (int)i;
	return -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int timed_run(const struct bench *b, struct bench_run *r,
		     uint64_t iters, uint64_t *ns)
{
	uint64_t t0, t1;
	int ret;

	t0 = now_ns();
	ret = b->run(r, iters);
	t1 = now_ns();
	/* Never 0: a sample is a divisor of ratios and bandwidths. */
	*ns = t1 > t0 ? t1 - t0 : 1;
	return ret;
}

static uint64_t calibrate(const struct bench *b, struct bench_run *r,
			  int *ret)
{
	uint64_t iters = 1, ns, k;

	*ret = b->run(r, 1);
	if (*ret)
		return 0;
	for (;;) {
		*ret = timed_run(b, r, iters, &ns);
		if (*ret)
			return 0;
		if (ns >= CALIBRATE_NS || iters >= MAX_ITERS)
			break;
		iters *= 2;
	}
	k = (uint64_t)((double)iters * TARGET_NS / (double)ns);
	if (k < 1)
		k = 1;
	if (k > MAX_ITERS)
		k = MAX_ITERS;
	return k;
}

/* Microseconds per operation or GB/s, from one sample's time. */
static double sample_value(const struct bench *b, uint64_t iters, uint64_t ns)
{
	double work = (double)iters * (double)b->per_iter;

	if (b->unit == BENCH_GB_PER_S)
		return work / (double)ns;	/* bytes per ns is GB/s */
	return (double)ns / 1000.0 / work;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/**
 * bench_quantile() - a quantile of some values
 * @v: @n values, sorted here in place.
 * @n: at least 1.
 * @q: 0.5 for the median (the mean of the middle two when @n is even), else
 *	the value at rank ceil(q * n) (nearest rank: 0.99 is the p99).
 *
 * Return: the quantile.
 */
double bench_quantile(double *v, size_t n, double q)
{
	size_t k;

	qsort(v, n, sizeof(*v), cmp_double);
	if (q == 0.5)
		return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	k = (size_t)(q * (double)n + 0.999999);
	k = k < 1 ? 1 : k > n ? n : k;
	return v[k - 1];
}

static void summarise(const struct bench *b, struct bench_result *res)
{
	unsigned int n = res->nsamples, i, e;
	double sorted[BENCH_MAX_REPEAT];

	memcpy(sorted, res->samples, n * sizeof(*sorted));
	res->median = bench_quantile(sorted, n, 0.5);
	res->min = sorted[0];
	res->max = sorted[n - 1];
	for (e = 0; e < b->nextra; e++) {
		for (i = 0; i < n; i++)
			sorted[i] = res->extra_samples[i * BENCH_MAX_EXTRAS + e];
		res->extra_median[e] = bench_quantile(sorted, n, 0.5);
	}
}

static int check_needs(const struct bench *b, struct bench_run *r)
{
	const struct bench_ctx *ctx = r->ctx;

	/* gring-bench exists to measure gring: without it, it failed. */
	if ((b->needs & BENCH_NEEDS_GRING) && ctx->gring_err)
		return bench_fail(r, "no gring device: %s",
				  ctx->gring_err == -ENODEV ?
				  "none found (is gring.ko loaded?)" :
				  strerror(-ctx->gring_err));
	if ((b->needs & BENCH_NEEDS_VGEM) && ctx->vgem_why[0])
		return bench_unavailable(r, "%s", ctx->vgem_why);
	return 0;
}

/**
 * bench_start() - set a benchmark up and calibrate it
 * @b: the benchmark.
 * @ctx: the shared devices.
 * @st: its state until bench_finish(); filled here.
 * @res: its result; res->samples must hold as many values as will be
 *	sampled.
 *
 * The benchmark stays set up so that bench_sample() can be called in
 * rounds across every benchmark: a repeat of each baseline then sits next
 * to a repeat of what it is compared with, and a slow patch of the host
 * lands on both sides of a ratio instead of on one.
 */
void bench_start(const struct bench *b, struct bench_ctx *ctx,
		 struct bench_state *st, struct bench_result *res)
{
	memset(st, 0, sizeof(*st));
	st->r.bench = b;
	st->r.ctx = ctx;
	st->r.why = res->why;
	st->r.why_len = sizeof(res->why);
	res->nsamples = 0;
	res->why[0] = '\0';

	st->ret = check_needs(b, &st->r);
	if (st->ret)
		return;
	if (b->priv_size) {
		st->r.priv = calloc(1, b->priv_size);
		if (!st->r.priv) {
			st->ret = bench_fail(&st->r, "out of memory");
			return;
		}
	}
	st->ret = b->setup ? b->setup(&st->r) : 0;
	if (st->ret)
		return;
	st->set_up = true;
	res->iters = calibrate(b, &st->r, &st->ret);
}

/**
 * bench_sample() - take one more sample of a started benchmark
 * @st: as left by bench_start().
 * @res: the sample is appended to res->samples.
 *
 * Does nothing once the benchmark has failed or was unavailable.
 */
void bench_sample(struct bench_state *st, struct bench_result *res)
{
	const struct bench *b = st->r.bench;
	unsigned int e;
	uint64_t ns;
	double v;

	if (st->ret)
		return;
	st->r.value = 0;
	st->ret = timed_run(b, &st->r, res->iters, &ns);
	if (st->ret)
		return;
	v = b->self_timed ? st->r.value : sample_value(b, res->iters, ns);
	/* A figure is a divisor of ratios: a bug in run() must not pass. */
	if (!(v > 0) || !isfinite(v)) {
		st->ret = bench_fail(&st->r, "bug: sample %g is not a positive figure",
				     v);
		return;
	}
	for (e = 0; e < b->nextra; e++)
		res->extra_samples[res->nsamples * BENCH_MAX_EXTRAS + e] =
			st->r.extra[e];
	res->samples[res->nsamples++] = v;
}

/**
 * bench_finish() - tear a benchmark down and summarise its samples
 * @st: as left by bench_start() and bench_sample().
 * @res: status, median, min and max are set.
 */
void bench_finish(struct bench_state *st, struct bench_result *res)
{
	if (st->set_up && st->r.bench->teardown)
		st->r.bench->teardown(&st->r);
	free(st->r.priv);
	st->r.priv = NULL;

	if (st->ret == BENCH_UNAVAILABLE) {
		res->status = BENCH_STATUS_UNAVAILABLE;
	} else if (st->ret) {
		res->status = BENCH_FAILED;
		if (!res->why[0])
			snprintf(res->why, sizeof(res->why), "failed");
	} else {
		res->status = BENCH_OK;
		summarise(st->r.bench, res);
	}
	if (res->status != BENCH_OK)
		res->nsamples = 0;
}

/**
 * bench_ratio_compute() - numerator median / denominator median
 * @ratio: the ratio.
 * @benches: the benchmark table; its units were checked at start-up.
 * @results: one per benchmark.
 * @nbench: entries in both.
 * @out: filled, with whether the value meets the ratio's target.
 */
void bench_ratio_compute(const struct bench_ratio *ratio,
			 const struct bench *const *benches,
			 const struct bench_result *results, size_t nbench,
			 struct bench_ratio_result *out)
{
	const char *names[2] = { ratio->num, ratio->den };
	const struct bench_result *res[2];
	int i, idx;

	for (i = 0; i < 2; i++) {
		idx = bench_find(benches, nbench, names[i]);
		res[i] = &results[idx];
		if (res[i]->status == BENCH_NOT_RUN) {
			out->status = BENCH_NOT_RUN;
			snprintf(out->why, sizeof(out->why),
				 "%s was not selected", names[i]);
			return;
		}
	}
	for (i = 0; i < 2; i++) {
		if (res[i]->status != BENCH_OK) {
			out->status = BENCH_STATUS_UNAVAILABLE;
			snprintf(out->why, sizeof(out->why), "%s %s", names[i],
				 res[i]->status == BENCH_FAILED ?
				 "failed" : "unavailable");
			return;
		}
	}
	out->status = BENCH_OK;
	out->why[0] = '\0';
	out->value = res[0]->median / res[1]->median;
	out->target_met = ratio->target_kind == BENCH_AT_MOST ?
			  out->value <= ratio->target :
			  ratio->target_kind == BENCH_AT_LEAST ?
			  out->value >= ratio->target : true;
}

/**
 * bench_target_op() - how a target bounds its ratio, as printed
 * @kind: a target kind.
 *
 * Return: "<=", ">=", or "" for BENCH_NO_TARGET.
 */
const char *bench_target_op(enum bench_target kind)
{
	switch (kind) {
	case BENCH_AT_MOST:
		return "<=";
	case BENCH_AT_LEAST:
		return ">=";
	case BENCH_NO_TARGET:
		break;
	}
	return "";
}
