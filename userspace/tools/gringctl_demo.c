// SPDX-License-Identifier: MIT
/*
 * gringctl demo: a few jobs on the soft engine, and who owned what when.
 *
 * One BO, one small ring, three jobs (two of them start with a STALL, so
 * the engine keeps them long enough to be seen). After each step -- the
 * CPU writing, each submit, each wait -- the demo samples the ring's
 * ownership map (RING_QUERY) and probes every 256-byte cell of the BO with
 * CPU_PREP NOWAIT (-EBUSY: a job still owns it), and prints that as a
 * timeline. Then it reads the BO back through its mapping and compares
 * every byte with what it computed itself, and checks that the ownership
 * it saw is the one the jobs imply. Exit status 0 only if all is right.
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gring.h>

#include "gringctl.h"

#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_SEC	1000000000ull

#define RING_BYTES	DRM_GRING_RING_SIZE_MIN
#define RING_CELL	64			/* ring bytes per column */
#define RING_COLS	(RING_BYTES / RING_CELL)
#define BO_BYTES	4096u
#define BO_CELL		256u			/* BO bytes per column */
#define BO_COLS		(BO_BYTES / BO_CELL)

#define JOBS		3
#define MAX_STEPS	(1 + 2 * JOBS)
#define MAX_CHECKS	32
#define MAX_CMDS	6

/* What the jobs do, in BO offsets: each range is one job's own. */
#define SRC_OFF		0u			/* the CPU writes, job 3 reads */
#define SRC_LEN		256u
#define FILL_OFF	1024u			/* job 1 */
#define FILL_LEN	1024u
#define FILL_PATTERN	0x600df00du
#define W32_OFF		2048u			/* job 2 */
#define W32_COUNT	4u
#define W32_BASE	0xa0000001u
#define COPY_OFF	3072u			/* job 3 */
#define STALL1_MS	500u
#define STALL2_MS	300u

/* A BO cell no probe could classify (an unexpected CPU_PREP error). */
#define OWNER_UNKNOWN	3u

/* BO bytes [lo, hi) a job reads or writes. */
struct demo_range {
	uint64_t lo, hi;
};

struct demo_job {
	char what[128];
	struct drm_gring_cmd cmds[MAX_CMDS];
	unsigned int count;
	struct demo_range bo[2];	/* what the job touches in the BO */
	unsigned int nbo;
	uint32_t sync;
	uint64_t seqno;
	int wait_ret;		/* gring_wait()'s answer, once waited */
};

struct demo_step {
	char event[128];
	double t_ms;
	struct gring_cmdring_info ring;
	uint32_t bo_owner[BO_COLS];
	int fence[JOBS];	/* gring_fence_status(), -EINVAL: not submitted */
};

struct demo_check {
	char what[128];
	char detail[160];
	bool ok;
};

struct demo {
	struct gring_device dev;
	struct gring_bo bo;
	struct gring_cmdring ring;
	struct demo_job jobs[JOBS];
	struct demo_step steps[MAX_STEPS];
	unsigned int nsteps;
	struct demo_check checks[MAX_CHECKS];
	unsigned int nchecks;
	uint8_t expect[BO_BYTES];
	uint64_t t0;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint32_t src_word(unsigned int i)
{
	return 0x5eed0000u + i;
}

__attribute__((format(printf, 4, 5)))
static void check(struct demo *d, bool ok, const char *what,
		  const char *fmt, ...)
{
	struct demo_check *c;
	va_list ap;

	if (d->nchecks == MAX_CHECKS)
		return;
	c = &d->checks[d->nchecks++];
	c->ok = ok;
	snprintf(c->what, sizeof(c->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

/* Who owns each BO cell now: CPU_PREP NOWAIT, given straight back. */
static int probe_bo(struct demo *d, uint32_t owner[BO_COLS])
{
	const uint32_t rw = DRM_GRING_PREP_READ | DRM_GRING_PREP_WRITE |
			    DRM_GRING_PREP_NOWAIT;
	unsigned int i;
	int ret;

	for (i = 0; i < BO_COLS; i++) {
		ret = gring_cpu_prep(&d->dev, &d->bo, i * BO_CELL, BO_CELL, rw, 0);
		if (ret == -EBUSY) {
			owner[i] = DRM_GRING_OWNER_GPU;
			continue;
		}
		if (ret) {
			fprintf(stderr, "gringctl demo: CPU_PREP: %s\n",
				strerror(-ret));
			owner[i] = OWNER_UNKNOWN;
			return ret;
		}
		owner[i] = DRM_GRING_OWNER_CPU;
		ret = gring_cpu_fini(&d->dev, &d->bo, i * BO_CELL, BO_CELL);
		if (ret) {
			fprintf(stderr, "gringctl demo: CPU_FINI: %s\n",
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

__attribute__((format(printf, 2, 3)))
static int sample(struct demo *d, const char *fmt, ...)
{
	struct demo_step *s = &d->steps[d->nsteps];
	unsigned int j;
	va_list ap;
	int ret;

	if (d->nsteps == MAX_STEPS)
		return -ENOSPC;
	s->t_ms = (double)(now_ns() - d->t0) / 1e6;
	va_start(ap, fmt);
	vsnprintf(s->event, sizeof(s->event), fmt, ap);
	va_end(ap);

	ret = gring_cmdring_query(&d->dev, &d->ring, &s->ring);
	if (ret) {
		fprintf(stderr, "gringctl demo: RING_QUERY: %s\n",
			strerror(-ret));
		return ret;
	}
	ret = probe_bo(d, s->bo_owner);
	if (ret)
		return ret;
	for (j = 0; j < JOBS; j++)
		s->fence[j] = d->jobs[j].seqno ?
			      gring_fence_status(&d->dev, d->jobs[j].sync, 0) :
			      -EINVAL;
	d->nsteps++;
	return 0;
}

/* The owner of ring bytes [lo, hi) per the sampled map; MIXED if split. */
static uint32_t ring_owner(const struct gring_cmdring_info *r, uint64_t lo,
			   uint64_t hi)
{
	uint32_t owner = OWNER_UNKNOWN;
	unsigned int i;

	for (i = 0; i < r->region_count; i++) {
		const struct drm_gring_region *g = &r->regions[i];

		if (g->offset >= hi || g->offset + g->size <= lo)
			continue;
		if (owner == OWNER_UNKNOWN)
			owner = g->owner;
		else if (owner != g->owner)
			return DRM_GRING_OWNER_MIXED;
	}
	return owner;
}

/* Whether any region owned by the GPU overlaps ring bytes [lo, hi). */
static bool ring_has_gpu(const struct gring_cmdring_info *r, uint64_t lo,
			 uint64_t hi)
{
	unsigned int i;

	for (i = 0; i < r->region_count; i++)
		if (r->regions[i].owner == DRM_GRING_OWNER_GPU &&
		    r->regions[i].offset < hi &&
		    r->regions[i].offset + r->regions[i].size > lo)
			return true;
	return false;
}

/* The owner of BO bytes [lo, hi) per the sampled cells; MIXED if split. */
static uint32_t bo_owner(const struct demo_step *s, uint64_t lo, uint64_t hi)
{
	uint32_t owner = OWNER_UNKNOWN;
	uint64_t i;

	for (i = lo / BO_CELL; i < (hi + BO_CELL - 1) / BO_CELL; i++) {
		if (owner == OWNER_UNKNOWN)
			owner = s->bo_owner[i];
		else if (owner != s->bo_owner[i])
			return DRM_GRING_OWNER_MIXED;
	}
	return owner;
}

static const char *owner_name(uint32_t owner)
{
	switch (owner) {
	case DRM_GRING_OWNER_CPU:
		return "cpu";
	case DRM_GRING_OWNER_GPU:
		return "gpu";
	case DRM_GRING_OWNER_MIXED:
		return "mixed";
	}
	return "unknown";
}

static char owner_char(uint32_t owner)
{
	switch (owner) {
	case DRM_GRING_OWNER_CPU:
		return '.';
	case DRM_GRING_OWNER_GPU:
		return 'G';
	}
	return '?';
}

static const char *fence_name(int status)
{
	if (status == 1)
		return "done";
	if (status == 0)
		return "busy";
	if (status == -EINVAL)
		return "-";
	return "error";
}

static void build_jobs(struct demo *d)
{
	struct demo_job *j;
	unsigned int i;

	j = &d->jobs[0];
	gring_op_stall(&j->cmds[j->count++], STALL1_MS * NSEC_PER_MSEC);
	gring_op_fill(&j->cmds[j->count++], &d->bo, FILL_OFF, FILL_LEN,
		      FILL_PATTERN);
	j->bo[j->nbo++] = (struct demo_range){ FILL_OFF, FILL_OFF + FILL_LEN };
	snprintf(j->what, sizeof(j->what),
		 "STALL %u ms, FILL BO[%u,%u) with 0x%08x", STALL1_MS,
		 FILL_OFF, FILL_OFF + FILL_LEN, FILL_PATTERN);

	j = &d->jobs[1];
	gring_op_stall(&j->cmds[j->count++], STALL2_MS * NSEC_PER_MSEC);
	for (i = 0; i < W32_COUNT; i++)
		gring_op_write32(&j->cmds[j->count++], &d->bo, W32_OFF + 4 * i,
				 W32_BASE + i);
	j->bo[j->nbo++] = (struct demo_range){ W32_OFF,
					       W32_OFF + 4 * W32_COUNT };
	snprintf(j->what, sizeof(j->what),
		 "STALL %u ms, WRITE32 x%u at BO[%u,%u): 0x%08x..0x%08x",
		 STALL2_MS, W32_COUNT, W32_OFF, W32_OFF + 4 * W32_COUNT,
		 W32_BASE, W32_BASE + W32_COUNT - 1);

	j = &d->jobs[2];
	gring_op_copy(&j->cmds[j->count++], &d->bo, COPY_OFF, &d->bo, SRC_OFF,
		      SRC_LEN);
	/* It reads the source too: the CPU must keep off both. */
	j->bo[j->nbo++] = (struct demo_range){ SRC_OFF, SRC_OFF + SRC_LEN };
	j->bo[j->nbo++] = (struct demo_range){ COPY_OFF, COPY_OFF + SRC_LEN };
	snprintf(j->what, sizeof(j->what), "COPY BO[%u,%u) -> BO[%u,%u)",
		 SRC_OFF, SRC_OFF + SRC_LEN, COPY_OFF, COPY_OFF + SRC_LEN);
}

/* What the BO must hold at the end, computed without the engine. */
static void compute_expected(struct demo *d)
{
	uint32_t v;
	unsigned int i;

	memset(d->expect, 0, sizeof(d->expect));
	for (i = 0; i < SRC_LEN / 4; i++) {
		v = src_word(i);
		memcpy(d->expect + SRC_OFF + 4 * i, &v, 4);
	}
	for (i = 0; i < FILL_LEN / 4; i++) {
		v = FILL_PATTERN;
		memcpy(d->expect + FILL_OFF + 4 * i, &v, 4);
	}
	for (i = 0; i < W32_COUNT; i++) {
		v = W32_BASE + i;
		memcpy(d->expect + W32_OFF + 4 * i, &v, 4);
	}
	memcpy(d->expect + COPY_OFF, d->expect + SRC_OFF, SRC_LEN);
}

/* The CPU writes the copy's source, holding the range while it does. */
static int cpu_write_source(struct demo *d)
{
	uint32_t *words = (uint32_t *)((uint8_t *)d->bo.map + SRC_OFF);
	unsigned int i;
	int ret;

	ret = gring_cpu_prep(&d->dev, &d->bo, SRC_OFF, SRC_LEN,
			     DRM_GRING_PREP_WRITE, 10 * NSEC_PER_SEC);
	if (ret)
		return ret;
	for (i = 0; i < SRC_LEN / 4; i++)
		words[i] = src_word(i);
	return gring_cpu_fini(&d->dev, &d->bo, SRC_OFF, SRC_LEN);
}

/* Compare BO bytes [off, off + len) with the expectation; one check. */
static void check_bytes(struct demo *d, const char *what, uint64_t off,
			uint64_t len, const char *want)
{
	const uint8_t *got = (const uint8_t *)d->bo.map;
	uint64_t i;

	for (i = off; i < off + len; i++)
		if (got[i] != d->expect[i])
			break;
	if (i == off + len)
		check(d, true, what, "BO[%" PRIu64 ",%" PRIu64 ") %s", off,
		      off + len, want);
	else
		check(d, false, what,
		      "BO byte %" PRIu64 " is 0x%02x, expected 0x%02x", i,
		      got[i], d->expect[i]);
}

static void check_results(struct demo *d)
{
	const uint8_t *got = (const uint8_t *)d->bo.map;
	bool touched[BO_BYTES] = { false };
	uint64_t i, others = 0, bad = BO_BYTES;
	char buf[64];
	unsigned int j;

	for (j = 0; j < JOBS; j++)
		check(d, d->jobs[j].wait_ret == 0, "fence",
		      "job %u (seqno %" PRIu64 "): %s", j + 1,
		      d->jobs[j].seqno, d->jobs[j].wait_ret ?
		      strerror(-d->jobs[j].wait_ret) :
		      "signalled without error");

	check_bytes(d, "CPU write", SRC_OFF, SRC_LEN,
		    "holds the words the CPU wrote");
	snprintf(buf, sizeof(buf), "is %u words of 0x%08x", FILL_LEN / 4,
		 FILL_PATTERN);
	check_bytes(d, "FILL", FILL_OFF, FILL_LEN, buf);
	for (j = 0; j < W32_COUNT; j++) {
		snprintf(buf, sizeof(buf), "is 0x%08x", W32_BASE + j);
		check_bytes(d, "WRITE32", W32_OFF + 4 * j, 4, buf);
	}
	snprintf(buf, sizeof(buf), "equals BO[%u,%u)", SRC_OFF,
		 SRC_OFF + SRC_LEN);
	check_bytes(d, "COPY", COPY_OFF, SRC_LEN, buf);

	for (i = 0; i < SRC_LEN; i++) {
		touched[SRC_OFF + i] = true;
		touched[COPY_OFF + i] = true;
	}
	for (i = FILL_OFF; i < FILL_OFF + FILL_LEN; i++)
		touched[i] = true;
	for (i = W32_OFF; i < W32_OFF + 4 * W32_COUNT; i++)
		touched[i] = true;
	for (i = 0; i < BO_BYTES; i++) {
		if (touched[i])
			continue;
		others++;
		if (got[i] && bad == BO_BYTES)
			bad = i;
	}
	if (bad == BO_BYTES)
		check(d, true, "untouched", "the other %" PRIu64
		      " bytes are still zero", others);
	else
		check(d, false, "untouched", "BO byte %" PRIu64
		      " is 0x%02x, no job writes it", bad, got[bad]);
}

/*
 * What the samples must show: right after its submit, each job's ring
 * bytes [previous wptr, wptr) and its BO range are the GPU's (the first
 * job stalls long enough for all three submits to be sampled while it
 * runs); after the last wait everything is the CPU's again.
 */
static void check_ownership(struct demo *d)
{
	const struct demo_step *last = &d->steps[d->nsteps - 1];
	const struct gring_cmdring_info *r;
	uint32_t prev = 0, owner;
	unsigned int j, k;
	char what[32];

	for (j = 0; j < JOBS && 1 + j < d->nsteps; j++) {
		const struct demo_step *s = &d->steps[1 + j];

		r = &s->ring;
		snprintf(what, sizeof(what), "job %u submitted", j + 1);
		owner = r->wptr > prev ? ring_owner(r, prev, r->wptr) :
			OWNER_UNKNOWN;
		check(d, owner == DRM_GRING_OWNER_GPU, what,
		      "ring [%u,%u) owned by %s, expected gpu", prev, r->wptr,
		      owner_name(owner));
		for (k = 0; k < d->jobs[j].nbo; k++) {
			const struct demo_range *b = &d->jobs[j].bo[k];

			owner = bo_owner(s, b->lo, b->hi);
			check(d, owner == DRM_GRING_OWNER_GPU, what,
			      "BO[%" PRIu64 ",%" PRIu64 ") owned by %s, expected gpu",
			      b->lo, b->hi, owner_name(owner));
		}
		prev = r->wptr;
	}

	r = &last->ring;
	owner = ring_owner(r, 0, r->size);
	check(d, owner == DRM_GRING_OWNER_CPU && r->rptr == r->wptr &&
	      r->completed == JOBS && r->submitted == JOBS, "all done",
	      "ring [0,%u) owned by %s, rptr %u wptr %u, completed %" PRIu64
	      " of %" PRIu64, r->size, owner_name(owner), r->rptr, r->wptr,
	      r->completed, r->submitted);
	check(d, !r->faults && !r->timeouts, "all done",
	      "%" PRIu64 " device faults, %" PRIu64 " timeouts", r->faults,
	      r->timeouts);
	owner = bo_owner(last, 0, BO_BYTES);
	check(d, owner == DRM_GRING_OWNER_CPU, "all done",
	      "BO[0,%u) owned by %s, expected cpu", BO_BYTES,
	      owner_name(owner));
}

/* Submit, wait and sample; every step that happened is kept. */
static int run(struct demo *d)
{
	struct gring_cmdring_syncs syncs = { 0 };
	uint64_t t;
	unsigned int j;
	int ret;

	ret = cpu_write_source(d);
	if (ret) {
		fprintf(stderr, "gringctl demo: CPU write: %s\n", strerror(-ret));
		return ret;
	}
	d->t0 = now_ns();
	ret = sample(d, "CPU wrote BO[%u,%u) between CPU_PREP and CPU_FINI",
		     SRC_OFF, SRC_OFF + SRC_LEN);
	if (ret)
		return ret;

	for (j = 0; j < JOBS; j++) {
		syncs.out = d->jobs[j].sync;
		ret = gring_cmdring_submit(&d->dev, &d->ring, d->jobs[j].cmds,
					   d->jobs[j].count, &syncs, 0,
					   &d->jobs[j].seqno);
		if (ret) {
			fprintf(stderr, "gringctl demo: submitting job %u: %s\n",
				j + 1, strerror(-ret));
			return ret;
		}
		ret = sample(d, "submitted job %u (seqno %" PRIu64 ")", j + 1,
			     d->jobs[j].seqno);
		if (ret)
			return ret;
	}

	for (j = 0; j < JOBS; j++) {
		t = now_ns();
		d->jobs[j].wait_ret = gring_wait(&d->dev, d->jobs[j].sync, 0,
						 10 * NSEC_PER_SEC);
		ret = sample(d, "waited for job %u: %s after %.1f ms", j + 1,
			     d->jobs[j].wait_ret ?
			     strerror(-d->jobs[j].wait_ret) : "done",
			     (double)(now_ns() - t) / 1e6);
		if (ret)
			return ret;
	}

	/* Read the results as the CPU's: blocking CPU_PREP of the whole BO. */
	ret = gring_cpu_prep(&d->dev, &d->bo, 0, BO_BYTES, DRM_GRING_PREP_READ,
			     10 * NSEC_PER_SEC);
	if (ret) {
		fprintf(stderr, "gringctl demo: CPU_PREP READ: %s\n",
			strerror(-ret));
		return ret;
	}
	check_results(d);
	ret = gring_cpu_fini(&d->dev, &d->bo, 0, BO_BYTES);
	if (ret)
		return ret;
	check_ownership(d);
	return 0;
}

/* "GPU [0,56) [120,184)" or "all CPU", from owner runs of width @unit. */
static void gpu_ranges(char *buf, size_t len, const uint32_t *cells,
		       unsigned int n, unsigned int unit)
{
	unsigned int i = 0, start;
	size_t used = 0;

	buf[0] = '\0';
	while (i < n) {
		if (cells[i] != DRM_GRING_OWNER_GPU) {
			i++;
			continue;
		}
		for (start = i; i < n && cells[i] == DRM_GRING_OWNER_GPU; i++)
			;
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s[%u,%u)", used ? " " : "GPU ", start * unit,
				 i * unit);
	}
	if (!used)
		snprintf(buf, len, "all CPU");
}

static void print_ring(const struct gring_cmdring_info *r)
{
	char bar[RING_COLS + 1], ranges[160] = "";
	unsigned int c, i;
	size_t used = 0;

	/* A column is G if any of its bytes is the GPU's. */
	for (c = 0; c < RING_COLS; c++) {
		uint32_t owner = ring_owner(r, c * RING_CELL,
					    (c + 1) * RING_CELL);

		if (owner == DRM_GRING_OWNER_MIXED &&
		    ring_has_gpu(r, c * RING_CELL, (c + 1) * RING_CELL))
			owner = DRM_GRING_OWNER_GPU;
		bar[c] = owner_char(owner);
	}
	bar[RING_COLS] = '\0';
	for (i = 0; i < r->region_count; i++)
		if (r->regions[i].owner != DRM_GRING_OWNER_CPU)
			used += snprintf(ranges + used,
					 used < sizeof(ranges) ?
					 sizeof(ranges) - used : 0,
					 "%s%s[%" PRIu64 ",%" PRIu64 ")",
					 used ? " " : "",
					 r->regions[i].owner ==
					 DRM_GRING_OWNER_GPU ? "GPU " : "MIXED ",
					 (uint64_t)r->regions[i].offset,
					 (uint64_t)(r->regions[i].offset +
						    r->regions[i].size));
	printf("             ring |%s| %s\n", bar, used ? ranges : "all CPU");
	printf("                  wptr %u  rptr %u  jobs completed %" PRIu64
	       " of %" PRIu64 "\n", r->wptr, r->rptr, r->completed,
	       r->submitted);
}

static void print_text(const struct demo *d, bool pass)
{
	char bar[BO_COLS + 1], ranges[160];
	unsigned int i, j, ok = 0;

	printf("gringctl demo: %s, soft engine, ring %u (%u bytes), BO %" PRIu64
	       " bytes\n", gring_device_path(&d->dev), d->ring.id, d->ring.size,
	       d->bo.size);
	printf("jobs:\n");
	for (j = 0; j < JOBS; j++)
		printf("  %u  %s\n", j + 1, d->jobs[j].what);
	printf("\nownership timeline: G = the GPU (the engine) owns bytes there,"
	       " . = the CPU owns all\n"
	       "ring: one column = %u bytes (RING_QUERY); "
	       "BO: one column = %u bytes (CPU_PREP NOWAIT)\n\n",
	       RING_CELL, BO_CELL);

	for (i = 0; i < d->nsteps; i++) {
		const struct demo_step *s = &d->steps[i];

		printf("step %u %7.1f ms  %s\n", i, s->t_ms, s->event);
		print_ring(&s->ring);
		for (j = 0; j < BO_COLS; j++)
			bar[j] = owner_char(s->bo_owner[j]);
		bar[BO_COLS] = '\0';
		gpu_ranges(ranges, sizeof(ranges), s->bo_owner, BO_COLS,
			   BO_CELL);
		printf("             BO   |%s| %s\n", bar, ranges);
		printf("                  fences:");
		for (j = 0; j < JOBS; j++)
			printf("  job %u %s", j + 1, fence_name(s->fence[j]));
		printf("\n");
	}

	printf("\nverified (BO read through its mapping after CPU_PREP READ; "
	       "expected values computed by the demo):\n");
	for (i = 0; i < d->nchecks; i++) {
		printf("  %-4s %-16s %s\n", d->checks[i].ok ? "ok" : "FAIL",
		       d->checks[i].what, d->checks[i].detail);
		ok += d->checks[i].ok;
	}
	printf("%s: %u of %u checks passed\n", pass ? "PASS" : "FAIL", ok,
	       d->nchecks);
}

static struct json_object *regions_json(const struct drm_gring_region *r,
					unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "offset",
				       json_object_new_uint64(r[i].offset));
		json_object_object_add(o, "size",
				       json_object_new_uint64(r[i].size));
		json_object_object_add(o, "owner", json_object_new_string(
					       owner_name(r[i].owner)));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *ranges_json(const struct demo_range *r,
				       unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "offset", json_object_new_uint64(r[i].lo));
		json_object_object_add(o, "size",
				       json_object_new_uint64(r[i].hi - r[i].lo));
		json_object_array_add(a, o);
	}
	return a;
}

/* Milliseconds to the microsecond, printed as such (not %.17g). */
static struct json_object *ms_json(double ms)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", ms);
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

/* The BO's cells as runs of one owner, like the ring's regions. */
static struct json_object *bo_json(const struct demo_step *s)
{
	struct drm_gring_region runs[BO_COLS];
	unsigned int i, n = 0;

	for (i = 0; i < BO_COLS; i++) {
		if (n && runs[n - 1].owner == s->bo_owner[i]) {
			runs[n - 1].size += BO_CELL;
			continue;
		}
		runs[n].offset = i * BO_CELL;
		runs[n].size = BO_CELL;
		runs[n].owner = s->bo_owner[i];
		runs[n].pad = 0;
		n++;
	}
	return regions_json(runs, n);
}

static void print_json(const struct demo *d, bool pass)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *jobs = json_object_new_array();
	struct json_object *steps = json_object_new_array();
	struct json_object *checks = json_object_new_array();
	unsigned int i, j;

	json_object_object_add(doc, "node", json_object_new_string(
				       gring_device_path(&d->dev)));
	json_object_object_add(doc, "engine", json_object_new_string("soft"));
	json_object_object_add(doc, "ring_size",
			       json_object_new_uint64(d->ring.size));
	json_object_object_add(doc, "bo_size", json_object_new_uint64(d->bo.size));
	json_object_object_add(doc, "bo_probe_bytes",
			       json_object_new_uint64(BO_CELL));
	for (j = 0; j < JOBS; j++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "job", json_object_new_int(j + 1));
		json_object_object_add(o, "seqno",
				       json_object_new_uint64(d->jobs[j].seqno));
		json_object_object_add(o, "commands",
				       json_object_new_string(d->jobs[j].what));
		json_object_object_add(o, "bo_ranges", ranges_json(d->jobs[j].bo,
							   d->jobs[j].nbo));
		json_object_object_add(o, "wait", json_object_new_int(
					       d->jobs[j].wait_ret));
		json_object_array_add(jobs, o);
	}
	json_object_object_add(doc, "jobs", jobs);

	for (i = 0; i < d->nsteps; i++) {
		const struct demo_step *s = &d->steps[i];
		const struct gring_cmdring_info *r = &s->ring;
		struct json_object *o = json_object_new_object();
		struct json_object *ring = json_object_new_object();
		struct json_object *fences = json_object_new_array();

		json_object_object_add(o, "step", json_object_new_int(i));
		json_object_object_add(o, "t_ms", ms_json(s->t_ms));
		json_object_object_add(o, "event",
				       json_object_new_string(s->event));
		json_object_object_add(ring, "wptr", json_object_new_uint64(r->wptr));
		json_object_object_add(ring, "rptr", json_object_new_uint64(r->rptr));
		json_object_object_add(ring, "submitted",
				       json_object_new_uint64(r->submitted));
		json_object_object_add(ring, "completed",
				       json_object_new_uint64(r->completed));
		json_object_object_add(ring, "regions",
				       regions_json(r->regions, r->region_count));
		json_object_object_add(o, "ring", ring);
		json_object_object_add(o, "bo_regions", bo_json(s));
		for (j = 0; j < JOBS; j++)
			json_object_array_add(fences, json_object_new_string(
					fence_name(s->fence[j])));
		json_object_object_add(o, "fences", fences);
		json_object_array_add(steps, o);
	}
	json_object_object_add(doc, "steps", steps);

	for (i = 0; i < d->nchecks; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "what",
				       json_object_new_string(d->checks[i].what));
		json_object_object_add(o, "detail",
				       json_object_new_string(d->checks[i].detail));
		json_object_object_add(o, "ok",
				       json_object_new_boolean(d->checks[i].ok));
		json_object_array_add(checks, o);
	}
	json_object_object_add(doc, "checks", checks);
	json_object_object_add(doc, "result",
			       json_object_new_string(pass ? "PASS" : "FAIL"));

	puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

const char demo_usage[] =
	"Usage: gringctl demo [--json] [--device PATH]\n"
	"\n"
	"Run three small jobs on the soft engine -- FILL, WRITE32s and a COPY,\n"
	"two of them behind a STALL -- and show, step by step, who owned\n"
	"which bytes of the ring (RING_QUERY) and of the buffer object\n"
	"(CPU_PREP NOWAIT on each 256-byte cell): the CPU or the GPU. Then\n"
	"read the buffer back and compare every byte with the values the demo\n"
	"computed itself. Takes about a second (the stalls).\n"
	"\n"
	"Options:\n"
	"  -j, --json         print one JSON object instead of text\n"
	"  -d, --device PATH  use this DRM node instead of searching\n"
	"  -h, --help         show this help and exit\n"
	"\n"
	"Exit status: 0 every check passed (PASS), 1 a check failed (FAIL)\n"
	"or the device refused, 2 bad usage.\n";

int cmd_demo(int argc, char **argv, struct global_opts *g)
{
	bool json = false, pass = false;
	struct demo *d;
	unsigned int i;
	int ret;

	ret = parse_json_opts("demo", demo_usage, argc, argv, g, &json);
	if (ret >= 0)
		return ret;

	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, "gringctl demo: out of memory\n");
		return EXIT_FAILURE;
	}
	for (i = 0; i < JOBS; i++)
		d->jobs[i].wait_ret = -EINPROGRESS;
	if (open_device(g, &d->dev)) {
		free(d);
		return EXIT_FAILURE;
	}

	ret = gring_bo_create(&d->dev, BO_BYTES, 0, &d->bo);
	if (!ret)
		ret = gring_bo_map(&d->dev, &d->bo);
	if (!ret)
		ret = gring_cmdring_create(&d->dev, DRM_GRING_ENGINE_SOFT,
					   RING_BYTES, &d->ring);
	for (i = 0; !ret && i < JOBS; i++)
		ret = gring_syncobj_create(&d->dev, &d->jobs[i].sync);
	if (ret) {
		fprintf(stderr, "gringctl demo: setting up: %s\n",
			strerror(-ret));
		goto out;
	}

	build_jobs(d);
	compute_expected(d);
	ret = run(d);
	if (!ret) {
		pass = d->nchecks > 0;
		for (i = 0; i < d->nchecks; i++)
			pass = pass && d->checks[i].ok;
	}
	if (json)
		print_json(d, pass);
	else if (d->nsteps)
		print_text(d, pass);

out:
	for (i = 0; i < JOBS; i++)
		if (d->jobs[i].sync)
			gring_syncobj_destroy(&d->dev, d->jobs[i].sync);
	gring_cmdring_destroy(&d->dev, &d->ring);
	gring_bo_close(&d->dev, &d->bo);
	gring_device_close(&d->dev);
	free(d);
	return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
