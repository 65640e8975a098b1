// SPDX-License-Identifier: MIT
/*
 * gring-bench: CPU_PREP NOWAIT on a BO nobody uses, while another file's
 * big SUBMIT is in the kernel, against the same call on an idle device
 * ("make bench gains, same boot").
 *
 * Two DRM files, each its own open() of gring's node. File B has a 4 KiB
 * BO that no job ever touches; its probe is CPU_PREP(WRITE | NOWAIT) of
 * the whole BO, timed, then CPU_FINI, untimed. Nothing can make that call
 * wait but the kernel's own locks. File A (busy row only) has a BO, a
 * ring and a thread that submits, one after the other, jobs of 4096
 * WRITE32s to distinct, non-adjacent ranges of that BO (offsets 0, 64,
 * 128, ...), waiting for each job before the next SUBMIT.
 *
 * When the probes are taken matters more than how many there are. A
 * thread that called CPU_PREP back to back would, behind a lock held for
 * the whole of a slow SUBMIT, take one slow sample per SUBMIT and then
 * many fast ones in the SUBMIT's unlocked parts: its median would say
 * nothing. So B probes at instants drawn independently of the kernel:
 * one every 125-375 us (uniformly drawn gaps, mean 250 us). It spins on
 * the clock in between rather than sleep: under TCG a guest whose vCPUs
 * are all idle lets QEMU's thread sleep, and the next ioctl then runs
 * several times slower (cold host caches: the idle row measured 16-21 us
 * sleeping, 3 us spinning). Under thread=single the two vCPUs take turns
 * on one host thread, so the spinning B halves A's speed, which lengthens
 * A's SUBMIT but not B's probe. At each instant:
 *
 *  - busy row: if A is not inside its SUBMIT ioctl (A publishes its
 *    window: a timestamp just before the ioctl and one just after), the
 *    instant is skipped. Otherwise B probes, and the probe's latency is a
 *    sample if it started before A's SUBMIT returned;
 *  - an instant that passes while B's own probe is still in the kernel
 *    (blocked behind A) is a sample too, of the time from that instant to
 *    the end of the blocked CPU_PREP (or of its CPU_FINI, if the instant
 *    came during that): a CPU_PREP made then would have waited at least as
 *    long. Without these the blocked stretch would count once however long
 *    it was. They are the "charged" extra;
 *  - an instant B reaches too late (its vCPU was not running: the other
 *    had its turn) is skipped: that delay is the emulator's, not the
 *    kernel's.
 *
 * So the figures are the latency of a CPU_PREP made at a random moment of
 * another file's 4096-range SUBMIT: prep.nowait.busy's figure is their
 * median in us, with p99 and max (over the sample's instants), the
 * instants taken and how many of them were charged, and A's mean SUBMIT
 * time. A sample goes on past its calibrated SUBMIT count until it has
 * PREP_MIN_INSTANTS instants (at most PREP_MAX_WINDOWS SUBMITs).
 * prep.nowait.idle is the same prober with no file A: every instant is
 * probed. The ratio prep.nowait.contended is busy / idle, target <= 2.
 *
 * Where SUBMIT holds a device-wide lock that CPU_PREP takes too, the
 * instants that fall in the locked stretch wait for its end: the p99 shows
 * it as soon as that stretch is a few percent of the SUBMIT, the median
 * once it is most of it. Where the two share nothing, both are about the
 * idle ones (the vCPUs' taking turns shows in max, rarely in the median).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define PREP_BO_SIZE		4096
#define PREP_RANGES		DRM_GRING_MAX_CMDS
#define PREP_STRIDE		64
/* Mean gap between two instants; gaps are uniform in [mean/2, 3*mean/2). */
#define PREP_GAP_NS		250000ull
#define PREP_MIN_INSTANTS	32
#define PREP_MAX_WINDOWS	1000
#define PREP_WAIT_NS		(10ull * 1000 * 1000 * 1000)

enum { X_P99, X_MAX, X_INSTANTS, X_CHARGED, X_SUBMIT };

static const struct bench_extra prep_extras[] = {
	[X_P99] = { "p99", "us" },
	[X_MAX] = { "max", "us" },
	[X_INSTANTS] = { "instants", NULL },
	[X_CHARGED] = { "charged", NULL },
	[X_SUBMIT] = { "submit", "us" },	/* A's mean SUBMIT (busy) */
};

/* One instant: when, in which of A's windows (0: idle), what it cost. */
struct prep_rec {
	uint64_t t;
	uint64_t win;
	uint64_t ns;
	bool charged;
};

struct prep_priv {
	/* B: the prober */
	struct gring_device dev_b;
	struct gring_bo bo_b;
	uint64_t rng;
	struct prep_rec *rec;
	size_t nrec, caprec;
	double *lat;

	/* A: the submitter (busy row only) */
	bool busy;
	struct gring_device dev_a;
	struct gring_cmdring ring_a;
	uint32_t sync_a;
	struct gring_bo bo_a;
	struct drm_gring_cmd cmds[PREP_RANGES];

	/* One run's shared state */
	pthread_t thread;
	uint64_t iters;
	uint64_t *enter, *leave;	/* each window's bounds, ns */
	uint64_t nwin;
	uint64_t submit_ns;
	_Atomic uint64_t inside;	/* window index + 1 inside SUBMIT, or 0 */
	_Atomic uint64_t probed;	/* B's instants inside a window */
	_Atomic bool done;		/* A has left its last window */
	int a_ret;
	char a_why[160];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Spin, not sleep: see the top of the file. */
static void spin_until(uint64_t t)
{
	while (now_ns() < t)
		;
}

/* The next gap, uniform in [mean/2, 3*mean/2): xorshift64*. */
static uint64_t prep_gap(struct prep_priv *p)
{
	p->rng ^= p->rng >> 12;
	p->rng ^= p->rng << 25;
	p->rng ^= p->rng >> 27;
	return PREP_GAP_NS / 2 +
	       (p->rng * 0x2545f4914f6cdd1dull >> 11) % PREP_GAP_NS;
}

static int prep_record(struct bench_run *r, struct prep_priv *p, uint64_t t,
		       uint64_t win, uint64_t ns, bool charged)
{
	if (p->nrec == p->caprec) {
		size_t cap = p->caprec ? 2 * p->caprec : 4096;
		struct prep_rec *rec = realloc(p->rec, cap * sizeof(*rec));
		double *lat = realloc(p->lat, cap * sizeof(*lat));

		if (rec)
			p->rec = rec;
		if (lat)
			p->lat = lat;
		if (!rec || !lat)
			return bench_fail(r, "out of memory for %zu instants",
					  cap);
		p->caprec = cap;
	}
	p->rec[p->nrec++] = (struct prep_rec){ t, win, ns, charged };
	return 0;
}

/*
 * B's probe: CPU_PREP NOWAIT of its whole BO, then CPU_FINI. @s, @e: the
 * CPU_PREP's bounds; @f: when CPU_FINI returned.
 */
static int prep_probe(struct bench_run *r, struct prep_priv *p, uint64_t *s,
		      uint64_t *e, uint64_t *f)
{
	int ret;

	*s = now_ns();
	ret = gring_cpu_prep(&p->dev_b, &p->bo_b, 0, PREP_BO_SIZE,
			     DRM_GRING_PREP_WRITE | DRM_GRING_PREP_NOWAIT, 0);
	*e = now_ns();
	if (ret)
		return bench_fail(r, "CPU_PREP NOWAIT of a BO no job uses: %s",
				  strerror(-ret));
	ret = gring_cpu_fini(&p->dev_b, &p->bo_b, 0, PREP_BO_SIZE);
	*f = now_ns();
	if (ret)
		return bench_fail(r, "CPU_FINI: %s", strerror(-ret));
	return 0;
}

/*
 * B: probe at instants until @want instants are recorded (idle) or A is
 * done (busy); see the comment at the top.
 */
static int prep_prober(struct bench_run *r, struct prep_priv *p,
		       uint64_t want)
{
	uint64_t next = now_ns() + prep_gap(p), t, s = 0, e = 0, f = 0, win;
	size_t n;

	for (;;) {
		if (p->busy ? atomic_load(&p->done) : p->nrec >= want)
			return 0;
		spin_until(next);
		t = now_ns();
		/* Late (the other vCPU had its turn): skip what passed. */
		if (t > next + PREP_GAP_NS / 2) {
			while (next < t)
				next += prep_gap(p);
			continue;
		}
		win = p->busy ? atomic_load(&p->inside) : 0;
		if (p->busy && !win) {
			next += prep_gap(p);
			continue;
		}
		n = p->nrec;
		if (prep_probe(r, p, &s, &e, &f) ||
		    prep_record(r, p, s, win, e - s, false))
			return -1;
		/* Instants that came while the probe was in the kernel. */
		for (next += prep_gap(p); next < f; next += prep_gap(p))
			if (prep_record(r, p, next, win,
					(next < e ? e : f) - next, true))
				return -1;
		if (win)
			atomic_fetch_add(&p->probed, p->nrec - n);
	}
}

/* A: SUBMIT after SUBMIT, each waited for; publishes its windows. */
static void *prep_submitter(void *arg)
{
	struct prep_priv *p = arg;
	const struct gring_cmdring_syncs syncs = { .out = p->sync_a };
	uint64_t w, t;
	int ret = 0;

	for (w = 0; w < PREP_MAX_WINDOWS; w++) {
		if (w >= p->iters &&
		    atomic_load(&p->probed) >= PREP_MIN_INSTANTS)
			break;
		p->enter[w] = now_ns();
		atomic_store(&p->inside, w + 1);
		ret = gring_cmdring_submit(&p->dev_a, &p->ring_a, p->cmds,
					   PREP_RANGES, &syncs, 0, NULL);
		t = now_ns();
		atomic_store(&p->inside, 0);
		p->leave[w] = t;
		if (ret) {
			snprintf(p->a_why, sizeof(p->a_why),
				 "file A's SUBMIT of %u ranges: %s",
				 PREP_RANGES, strerror(-ret));
			break;
		}
		p->submit_ns += t - p->enter[w];
		ret = gring_wait(&p->dev_a, p->sync_a, 0, PREP_WAIT_NS);
		if (ret) {
			snprintf(p->a_why, sizeof(p->a_why),
				 "file A's job: %s", strerror(-ret));
			w++;
			break;
		}
	}
	p->nwin = w;
	p->a_ret = ret;
	atomic_store(&p->done, true);
	return NULL;
}

/* Every job A submitted has completed, without fault or timeout. */
static int prep_check_a(struct bench_run *r, struct prep_priv *p)
{
	struct gring_cmdring_info info;
	int ret;

	ret = gring_cmdring_query(&p->dev_a, &p->ring_a, &info);
	if (ret)
		return bench_fail(r, "RING_QUERY: %s", strerror(-ret));
	if (info.faults || info.timeouts || info.completed != info.submitted)
		return bench_fail(r, "file A's ring: %llu faults, %llu timeouts, %llu of %llu jobs completed",
				  (unsigned long long)info.faults,
				  (unsigned long long)info.timeouts,
				  (unsigned long long)info.completed,
				  (unsigned long long)info.submitted);
	return 0;
}

/* The instants that count, their statistics into r->value and r->extra. */
static int prep_summarise(struct bench_run *r, struct prep_priv *p)
{
	size_t i, n = 0, charged = 0;

	for (i = 0; i < p->nrec; i++) {
		const struct prep_rec *rec = &p->rec[i];

		/* Busy: only instants before A's SUBMIT returned. */
		if (rec->win && rec->t > p->leave[rec->win - 1])
			continue;
		p->lat[n++] = (double)rec->ns / 1000.0;
		charged += rec->charged;
	}
	if (!n)
		return bench_fail(r, "no instant fell inside file A's %llu SUBMITs",
				  (unsigned long long)p->nwin);
	r->value = bench_quantile(p->lat, n, 0.5);
	r->extra[X_P99] = bench_quantile(p->lat, n, 0.99);
	r->extra[X_MAX] = p->lat[n - 1];
	r->extra[X_INSTANTS] = (double)n;
	r->extra[X_CHARGED] = (double)charged;
	if (p->busy)
		r->extra[X_SUBMIT] = (double)p->submit_ns / 1000.0 /
				     (double)p->nwin;
	return 0;
}

static int prep_run(struct bench_run *r, uint64_t iters)
{
	struct prep_priv *p = r->priv;
	uint64_t nwin = iters > PREP_MAX_WINDOWS ? iters : PREP_MAX_WINDOWS;
	int ret;

	p->nrec = 0;
	if (!p->busy) {
		if (prep_prober(r, p, iters))
			return -1;
		return prep_summarise(r, p);
	}

	p->iters = iters;
	p->nwin = 0;
	p->submit_ns = 0;
	p->a_ret = 0;
	atomic_store(&p->inside, 0);
	atomic_store(&p->probed, 0);
	atomic_store(&p->done, false);
	free(p->enter);
	free(p->leave);
	p->enter = calloc(nwin, sizeof(*p->enter));
	p->leave = calloc(nwin, sizeof(*p->leave));
	if (!p->enter || !p->leave)
		return bench_fail(r, "out of memory");
	ret = pthread_create(&p->thread, NULL, prep_submitter, p);
	if (ret)
		return bench_fail(r, "pthread_create: %s", strerror(ret));
	ret = prep_prober(r, p, 0);
	if (ret)
		/* A stops after its iters windows, no more instants wanted. */
		atomic_store(&p->probed, PREP_MIN_INSTANTS);
	pthread_join(p->thread, NULL);
	if (ret)
		return -1;
	if (p->a_ret)
		return bench_fail(r, "%s", p->a_why);
	if (prep_check_a(r, p))
		return -1;
	return prep_summarise(r, p);
}

static void prep_teardown(struct bench_run *r)
{
	struct prep_priv *p = r->priv;

	if (p->sync_a)
		gring_syncobj_destroy(&p->dev_a, p->sync_a);
	gring_cmdring_destroy(&p->dev_a, &p->ring_a);
	gring_bo_close(&p->dev_a, &p->bo_a);
	gring_device_close(&p->dev_a);
	gring_bo_close(&p->dev_b, &p->bo_b);
	gring_device_close(&p->dev_b);
	free(p->enter);
	free(p->leave);
	free(p->rec);
	free(p->lat);
}

static int prep_setup(struct bench_run *r)
{
	struct prep_priv *p = r->priv;
	const char *path = gring_device_path(&r->ctx->gring);
	uint32_t i;
	int ret;

	p->busy = r->bench->arg;
	p->rng = 0x9e3779b97f4a7c15ull;
	p->dev_a.fd = -1;
	ret = gring_device_open_path(&p->dev_b, path);
	if (!ret)
		ret = gring_bo_create(&p->dev_b, PREP_BO_SIZE, 0, &p->bo_b);
	if (ret || !p->busy)
		goto out;

	ret = gring_device_open_path(&p->dev_a, path);
	if (!ret)
		ret = gring_bo_create(&p->dev_a,
				      (uint64_t)PREP_RANGES * PREP_STRIDE, 0,
				      &p->bo_a);
	/* 4096 WRITE32s take 128 KiB of ring, which may hold half its size. */
	if (!ret)
		ret = gring_cmdring_create(&p->dev_a, DRM_GRING_ENGINE_SOFT,
					   DRM_GRING_RING_SIZE_MAX,
					   &p->ring_a);
	if (!ret)
		ret = gring_syncobj_create(&p->dev_a, &p->sync_a);
	for (i = 0; i < PREP_RANGES; i++)
		gring_op_write32(&p->cmds[i], &p->bo_a,
				 (uint64_t)i * PREP_STRIDE, i + 1);
out:
	if (ret) {
		prep_teardown(r);
		return bench_fail(r, "two files on %s, their BOs and ring: %s",
				  path, strerror(-ret));
	}
	return 0;
}

const struct bench bench_prep_nowait_idle = {
	.name = "prep.nowait.idle",
	.desc = "CPU_PREP NOWAIT (+ CPU_FINI, untimed) of an unused 4 KiB BO at random instants ~250 us apart, nothing else running; median latency",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = false,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct prep_priv),
	.setup = prep_setup,
	.run = prep_run,
	.teardown = prep_teardown,
	.self_timed = true,
	.extras = prep_extras,
	.nextra = 4,
};

const struct bench bench_prep_nowait_busy = {
	.name = "prep.nowait.busy",
	.desc = "the same CPU_PREP NOWAIT at random instants inside another file's SUBMITs of 4096 distinct ranges (instants a blocked probe let pass charged); median latency",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = true,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct prep_priv),
	.setup = prep_setup,
	.run = prep_run,
	.teardown = prep_teardown,
	.self_timed = true,
	.extras = prep_extras,
	.nextra = 5,
};
