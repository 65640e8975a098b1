/* SPDX-License-Identifier: MIT */
/*
 * gring-bench: the benchmark descriptor, the context every benchmark gets,
 * and what the runner and the reports share.
 *
 * A benchmark is one struct bench: a name, a unit, a section, the devices
 * it needs and three callbacks. run() does `iters` iterations of the
 * operation and nothing else; the runner times it, so one call is one
 * sample. A self-timed benchmark times only part of what run() does (an
 * ioctl, not the wait that follows it) and leaves its own figure; it may
 * also report a few secondary figures (a p99, a count) beside it. A ratio
 * is one struct bench_ratio naming two benchmarks. Both tables live in
 * table.c: adding a row there is all a new figure needs.
 */
#ifndef GRING_BENCH_H
#define GRING_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gring.h>

/* Largest --repeat: samples of one benchmark are sorted on the stack. */
#define BENCH_MAX_REPEAT	1000

/* Most secondary figures (struct bench_extra) one benchmark reports. */
#define BENCH_MAX_EXTRAS	5

/* Returned by setup() when a device or feature it needs is missing. */
#define BENCH_UNAVAILABLE	1

enum bench_section {
	BENCH_BASELINE,		/* what gring is compared with */
	BENCH_GRING,		/* gring itself */
};

enum bench_unit {
	BENCH_US_PER_OP,	/* microseconds per operation: lower is better */
	BENCH_GB_PER_S,		/* 10^9 bytes per second: higher is better */
};

/* What a benchmark needs opened before its setup() runs. */
#define BENCH_NEEDS_GRING	(1u << 0)
#define BENCH_NEEDS_VGEM	(1u << 1)

/**
 * struct bench_ctx - devices shared by every benchmark of one invocation
 * @gring: gring's node (render node), opened by libgring; fd -1 if absent.
 * @gring_err: why @gring is not open (negative errno), 0 if it is.
 * @vgem_render: vgem's render node, or -1.
 * @vgem_card: vgem's primary node (dumb buffers are not render-allowed),
 *	or -1.
 * @vgem_render_path: its path, for the report.
 * @vgem_card_path: its path, for the report.
 * @vgem_why: why vgem is unavailable, empty if it is available.
 * @page_size: the CPU page size, for the benchmarks that touch pages.
 */
struct bench_ctx {
	struct gring_device gring;
	int gring_err;
	int vgem_render;
	int vgem_card;
	char vgem_render_path[280];
	char vgem_card_path[280];
	char vgem_why[128];
	size_t page_size;
};

/**
 * struct bench_run - what a benchmark's callbacks are handed
 * @bench: the benchmark being run (for its @arg).
 * @ctx: the shared devices.
 * @priv: the benchmark's own state: bench->priv_size zeroed bytes, alive
 *	from setup() to teardown().
 * @why: where setup() and run() say why they failed or are unavailable
 *	(use bench_fail() / bench_unavailable()).
 * @why_len: size of @why.
 * @value: a self-timed benchmark's run() leaves its sample here, in the
 *	benchmark's unit (positive and finite, or the run fails).
 * @extra: its run() leaves its secondary figures here, in the order of
 *	bench->extras.
 */
struct bench_run {
	const struct bench *bench;
	struct bench_ctx *ctx;
	void *priv;
	char *why;
	size_t why_len;
	double value;
	double extra[BENCH_MAX_EXTRAS];
};

/**
 * struct bench_extra - a secondary figure reported beside each sample
 * @name: short key, unique within its benchmark ("p99").
 * @unit: what the value is in ("us"), or NULL for a count.
 */
struct bench_extra {
	const char *name;
	const char *unit;
};

/**
 * struct bench - one benchmark
 * @name: short dotted name, unique ("gem.create.4k").
 * @desc: one line for people: what one iteration is.
 * @section: BENCH_BASELINE or BENCH_GRING.
 * @unit: how a sample is expressed.
 * @per_iter: operations (BENCH_US_PER_OP) or bytes (BENCH_GB_PER_S) one
 *	iteration of run() accounts for; unused when @self_timed.
 * @arg: a parameter for callbacks that several benchmarks share (a size).
 * @needs: BENCH_NEEDS_* devices; the runner checks them before setup().
 * @priv_size: bytes of private state the runner allocates for it.
 * @setup: optional; 0, BENCH_UNAVAILABLE or -1 (failed, @why set).
 * @run: do @iters iterations; 0 or -1 (failed, @why set). Timed.
 * @teardown: optional; undoes setup(), called whenever setup() returned 0.
 * @self_timed: run() measures its own figure and leaves it in
 *	bench_run.value; the runner's clock around run() then only sizes the
 *	samples (calibration), and @per_iter is not used.
 * @extras: @nextra secondary figures run() leaves in bench_run.extra
 *	with each sample (NULL when none); reported as medians over samples.
 * @nextra: entries in @extras, at most BENCH_MAX_EXTRAS.
 */
struct bench {
	const char *name;
	const char *desc;
	enum bench_section section;
	enum bench_unit unit;
	uint64_t per_iter;
	uint64_t arg;
	unsigned int needs;
	size_t priv_size;
	int (*setup)(struct bench_run *r);
	int (*run)(struct bench_run *r, uint64_t iters);
	void (*teardown)(struct bench_run *r);
	bool self_timed;
	const struct bench_extra *extras;
	unsigned int nextra;
};

/* Which way a ratio's target bounds it. */
enum bench_target {
	BENCH_NO_TARGET,	/* informative only */
	BENCH_AT_MOST,		/* met when value <= target */
	BENCH_AT_LEAST,		/* met when value >= target */
};

/**
 * struct bench_ratio - one ratio row: numerator's median / denominator's
 * @name: short name, unique among ratios.
 * @num: name of the numerator benchmark.
 * @den: name of the denominator benchmark (same unit).
 * @desc: one line for people: what the number says.
 * @target_kind: BENCH_NO_TARGET, or how @target bounds the value.
 * @target: the bound (positive) when @target_kind has one. A missed target
 *	is reported, never an error: the row is printed either way.
 */
struct bench_ratio {
	const char *name;
	const char *num;
	const char *den;
	const char *desc;
	enum bench_target target_kind;
	double target;
};

enum bench_status {
	BENCH_NOT_RUN,		/* filtered out */
	BENCH_OK,
	BENCH_STATUS_UNAVAILABLE,
	BENCH_FAILED,
};

/**
 * struct bench_result - what the runner measured for one benchmark
 * @status: how it went.
 * @why: reason when unavailable or failed.
 * @iters: iterations per sample, found by calibration.
 * @nsamples: samples taken (the repeat count when @status is BENCH_OK).
 * @samples: the samples, in the benchmark's unit, in the order taken.
 * @median: median of @samples.
 * @min: smallest sample.
 * @max: largest sample.
 * @extra_samples: room for BENCH_MAX_EXTRAS secondary figures per sample:
 *	sample i's are at [i * BENCH_MAX_EXTRAS, ...).
 * @extra_median: median over samples of each secondary figure.
 */
struct bench_result {
	enum bench_status status;
	char why[256];
	uint64_t iters;
	unsigned int nsamples;
	double *samples;
	double median;
	double min;
	double max;
	double *extra_samples;
	double extra_median[BENCH_MAX_EXTRAS];
};

/**
 * struct bench_state - a benchmark between bench_start() and bench_finish()
 * @r: what its callbacks see.
 * @ret: 0 while it is fine, else BENCH_UNAVAILABLE or -1 (failed).
 * @set_up: setup() succeeded, so teardown() is owed.
 */
struct bench_state {
	struct bench_run r;
	int ret;
	bool set_up;
};

/**
 * struct bench_ratio_result - a ratio as reported
 * @status: BENCH_OK, BENCH_STATUS_UNAVAILABLE (an operand was not
 *	measured) or BENCH_NOT_RUN (an operand was filtered out).
 * @why: reason when not BENCH_OK.
 * @value: numerator median / denominator median.
 * @target_met: whether @value meets the ratio's target; meaningful only
 *	when @status is BENCH_OK and the ratio has a target.
 */
struct bench_ratio_result {
	enum bench_status status;
	char why[128];
	double value;
	bool target_met;
};

/**
 * struct bench_report - everything a report prints
 * @version: gring-bench's version.
 * @date: UTC date and time of the run, ISO 8601.
 * @kernel: uname -r.
 * @nproc: online CPUs.
 * @repeat: samples per benchmark asked for.
 * @filter: --filter substring, or NULL.
 * @ctx: the devices, for their paths.
 * @benches: the benchmark table; @results has @nbench entries beside it.
 * @results: one per benchmark.
 * @nbench: entries in @benches.
 * @ratios: the ratio table; @ratio_results beside it.
 * @ratio_results: one per ratio.
 * @nratio: entries in @ratios.
 */
struct bench_report {
	const char *version;
	char date[32];
	char kernel[128];
	long nproc;
	unsigned int repeat;
	const char *filter;
	const struct bench_ctx *ctx;
	const struct bench *const *benches;
	const struct bench_result *results;
	size_t nbench;
	const struct bench_ratio *ratios;
	const struct bench_ratio_result *ratio_results;
	size_t nratio;
};

/* table.c */
extern const struct bench *const bench_table[];
extern const size_t bench_table_len;
extern const struct bench_ratio ratio_table[];
extern const size_t ratio_table_len;

/* The benchmarks, one definition each in bench_*.c. */
extern const struct bench bench_ioctl_gring;
extern const struct bench bench_ioctl_vgem;
extern const struct bench bench_uring_nop;
extern const struct bench bench_uring_nop64;
extern const struct bench bench_vgem_fence;
extern const struct bench bench_memcpy;
extern const struct bench bench_gem_create_4k;
extern const struct bench bench_gem_create_1m;
extern const struct bench bench_vgem_dumb_4k;
extern const struct bench bench_vgem_dumb_1m;
extern const struct bench bench_gem_mmap_1m;
extern const struct bench bench_vgem_mmap_1m;
extern const struct bench bench_memcpy_1m;
extern const struct bench bench_soft_nop_rt;
extern const struct bench bench_soft_cmd64;
extern const struct bench bench_soft_copy_1m;
extern const struct bench bench_soft_copy_1m_x16;
extern const struct bench bench_vgpu_frame;
extern const struct bench bench_vgpu_rt;
extern const struct bench bench_virtgpu_frame;
extern const struct bench bench_virtgpu_rt;
extern const struct bench bench_submit_range_16;
extern const struct bench bench_submit_range_256;
extern const struct bench bench_submit_range_4096;
extern const struct bench bench_prep_nowait_idle;
extern const struct bench bench_prep_nowait_busy;
extern const struct bench bench_syncobj_wait_signalled;
extern const struct bench bench_wake_thread;
extern const struct bench bench_soft_nop_rt_wait;
extern const struct bench bench_soft_nop_rt_syncobj;
extern const struct bench bench_soft_nop_pipe;
extern const struct bench bench_soft_nop_sched_rt;

/* devices.c */
void bench_ctx_open(struct bench_ctx *ctx);
void bench_ctx_close(struct bench_ctx *ctx);

/* measure.c */
__attribute__((format(printf, 2, 3)))
int bench_fail(struct bench_run *r, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
int bench_unavailable(struct bench_run *r, const char *fmt, ...);
void bench_start(const struct bench *b, struct bench_ctx *ctx,
		 struct bench_state *st, struct bench_result *res);
void bench_sample(struct bench_state *st, struct bench_result *res);
void bench_finish(struct bench_state *st, struct bench_result *res);
void bench_ratio_compute(const struct bench_ratio *ratio,
			 const struct bench *const *benches,
			 const struct bench_result *results, size_t nbench,
			 struct bench_ratio_result *out);
const char *bench_unit_name(enum bench_unit unit);
const char *bench_target_op(enum bench_target kind);
int bench_find(const struct bench *const *benches, size_t nbench,
	       const char *name);
double bench_quantile(double *v, size_t n, double q);

/* report.c */
void bench_report_table(FILE *f, const struct bench_report *rep);
void bench_report_json(FILE *f, const struct bench_report *rep);

#endif /* GRING_BENCH_H */
