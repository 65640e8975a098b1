// SPDX-License-Identifier: MIT
/*
 * gring-bench: the fast path's figures (issue 18) and the floors they are
 * judged against, all on the soft engine.
 *
 * Baselines, the floors no design that sleeps or waits through a syncobj
 * can go under:
 *
 * syncobj.wait.signalled is DRM_IOCTL_SYNCOBJ_WAIT on a syncobj created
 * signalled: what the syncobj path costs when there is nothing to wait
 * for.
 *
 * wake.thread is one wakeup plus a context switch between two threads of
 * one process on one CPU: a futex ping-pong, two wakeups per round trip.
 *
 * gring:
 *
 * soft.nop.rt.wait is SUBMIT of one NOP with an out-syncobj, then
 * libgring's gring_ring_wait(): the ring's status page, the syncobj only
 * when the job is not done yet, the page again for its outcome.
 *
 * soft.nop.rt.syncobj is SUBMIT of one NOP + DRM_IOCTL_SYNCOBJ_WAIT,
 * minus a SYNCOBJ_WAIT on a signalled syncobj right after it (paired,
 * median of the differences): the job's cost beyond the wait ioctl.
 *
 * soft.nop.pipe is 1000 one-NOP jobs submitted back to back on one ring,
 * the last with an out-syncobj that is waited for, per job.
 *
 * soft.nop.sched.rt is a job the scheduler must hold: its in-syncobj
 * carries a vgem fence, signalled by the client right after SUBMIT, then
 * the job's out-syncobj is waited for. Making that fence costs four
 * syscalls (vgem FENCE_ATTACH, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, the
 * syncobj import, close) and signalling it one more; every sample times
 * the same plumbing without the job right after, and the figure is the
 * median of the pairs' differences (the job's own cost).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/dma-buf.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "bench.h"
#include "vgem.h"

#define FAST_WAIT_NS	(10ull * 1000 * 1000 * 1000)
#define FAST_PIPE_JOBS	1000

static uint64_t fast_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int fast_fd(const struct bench_run *r)
{
	return gring_device_fd(&r->ctx->gring);
}

/* --- syncobj.wait.signalled ------------------------------------------------ */

struct signalled_priv {
	uint32_t sync;
};

static int signalled_setup(struct bench_run *r)
{
	struct signalled_priv *p = r->priv;

	if (drmSyncobjCreate(fast_fd(r), DRM_SYNCOBJ_CREATE_SIGNALED, &p->sync))
		return bench_fail(r, "SYNCOBJ_CREATE(SIGNALED): %s",
				  strerror(errno));
	return 0;
}

static int signalled_run(struct bench_run *r, uint64_t iters)
{
	struct signalled_priv *p = r->priv;
	uint64_t i;
	int ret;

	for (i = 0; i < iters; i++) {
		ret = drmSyncobjWait(fast_fd(r), &p->sync, 1, INT64_MAX, 0,
				     NULL);
		if (ret)
			return bench_fail(r, "SYNCOBJ_WAIT: %s", strerror(-ret));
	}
	return 0;
}

static void signalled_teardown(struct bench_run *r)
{
	struct signalled_priv *p = r->priv;

	drmSyncobjDestroy(fast_fd(r), p->sync);
}

const struct bench bench_syncobj_wait_signalled = {
	.name = "syncobj.wait.signalled",
	.desc = "DRM_IOCTL_SYNCOBJ_WAIT on a syncobj created signalled (gring's node)",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct signalled_priv),
	.setup = signalled_setup,
	.run = signalled_run,
	.teardown = signalled_teardown,
};

/* --- wake.thread ------------------------------------------------------------- */

/*
 * The ball: 0 is the benchmark's turn, 1 the partner's, 2 tells the
 * partner to leave. Whoever hands the ball over wakes the other.
 */
struct wake_priv {
	pthread_t partner;
	bool started;
	_Atomic uint32_t ball;
	cpu_set_t saved;
	bool pinned;
};

static void futex_wait(_Atomic uint32_t *f, uint32_t val)
{
	syscall(SYS_futex, f, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *f)
{
	syscall(SYS_futex, f, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *wake_partner(void *arg)
{
	struct wake_priv *p = arg;
	uint32_t v;

	for (;;) {
		while ((v = atomic_load(&p->ball)) == 0)
			futex_wait(&p->ball, 0);
		if (v == 2)
			return NULL;
		atomic_store(&p->ball, 0);
		futex_wake(&p->ball);
	}
}

/* Both threads on this CPU: the wakeup a submitter's own CPU pays. */
static int wake_setup(struct bench_run *r)
{
	struct wake_priv *p = r->priv;
	cpu_set_t one;
	int cpu = sched_getcpu(), ret;

	if (cpu >= 0 && !sched_getaffinity(0, sizeof(p->saved), &p->saved)) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		p->pinned = !sched_setaffinity(0, sizeof(one), &one);
	}
	atomic_store(&p->ball, 0);
	/* The partner inherits the affinity. */
	ret = pthread_create(&p->partner, NULL, wake_partner, p);
	if (ret)
		return bench_fail(r, "pthread_create: %s", strerror(ret));
	p->started = true;
	return 0;
}

static int wake_run(struct bench_run *r, uint64_t iters)
{
	struct wake_priv *p = r->priv;
	uint64_t i;

	for (i = 0; i < iters; i++) {
		atomic_store(&p->ball, 1);
		futex_wake(&p->ball);
		while (atomic_load(&p->ball) == 1)
			futex_wait(&p->ball, 1);
	}
	return 0;
}

static void wake_teardown(struct bench_run *r)
{
	struct wake_priv *p = r->priv;

	if (p->started) {
		atomic_store(&p->ball, 2);
		futex_wake(&p->ball);
		pthread_join(p->partner, NULL);
	}
	if (p->pinned)
		sched_setaffinity(0, sizeof(p->saved), &p->saved);
}

const struct bench bench_wake_thread = {
	.name = "wake.thread",
	.desc = "one futex wakeup + switch between two threads on one CPU (ping-pong, per wakeup)",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 2,
	.priv_size = sizeof(struct wake_priv),
	.setup = wake_setup,
	.run = wake_run,
	.teardown = wake_teardown,
};

/* --- soft-engine rings --------------------------------------------------- */

struct fast_ring {
	uint32_t id, sync;
	struct gring_ring_status status;
	uint64_t seqno;
	struct drm_gring_cmd nop;
};

static int fast_ring_open(struct bench_run *r, struct fast_ring *fr)
{
	struct drm_gring_ring_create rc = { .engine = DRM_GRING_ENGINE_SOFT };
	int fd = fast_fd(r), ret;

	fr->nop.op = DRM_GRING_OP_NOP;
	if (drmIoctl(fd, DRM_IOCTL_GRING_RING_CREATE, &rc))
		return bench_fail(r, "RING_CREATE: %s", strerror(errno));
	fr->id = rc.ring_id;
	if (drmSyncobjCreate(fd, 0, &fr->sync))
		return bench_fail(r, "SYNCOBJ_CREATE: %s", strerror(errno));
	ret = gring_ring_status_map(&r->ctx->gring, fr->id, &fr->status);
	if (ret)
		return bench_fail(r, "status page: %s", strerror(-ret));
	return 0;
}

static void fast_ring_close(struct bench_run *r, struct fast_ring *fr)
{
	struct drm_gring_ring_destroy d = { .ring_id = fr->id };

	gring_ring_status_unmap(&fr->status);
	if (fr->sync)
		drmSyncobjDestroy(fast_fd(r), fr->sync);
	if (fr->id)
		drmIoctl(fast_fd(r), DRM_IOCTL_GRING_RING_DESTROY, &d);
	fr->id = 0;
	fr->sync = 0;
}

static int fast_submit(struct bench_run *r, struct fast_ring *fr,
		       uint32_t out_sync, const struct drm_gring_sync *in)
{
	struct drm_gring_submit s = {
		.ring_id = fr->id,
		.cmds = (uintptr_t)&fr->nop,
		.cmd_count = 1,
		.cmd_size = sizeof(fr->nop),
		.out_sync = out_sync,
		.in_syncs = (uintptr_t)in,
		.in_sync_count = !!in,
	};

	if (drmIoctl(fast_fd(r), DRM_IOCTL_GRING_SUBMIT, &s))
		return bench_fail(r, "SUBMIT: %s", strerror(errno));
	fr->seqno = s.seqno;
	return 0;
}

/* The last job submitted, done and without error: libgring's wait. */
static int fast_wait(struct bench_run *r, struct fast_ring *fr)
{
	int ret = gring_ring_wait(&r->ctx->gring, &fr->status, fr->seqno,
				  fr->sync, 0, FAST_WAIT_NS);

	if (ret)
		return bench_fail(r, "job %llu: %s",
				  (unsigned long long)fr->seqno, strerror(-ret));
	return 0;
}

static int fast_ring_setup(struct bench_run *r)
{
	int ret = fast_ring_open(r, r->priv);

	if (ret)
		fast_ring_close(r, r->priv);
	return ret;
}

static void fast_ring_teardown(struct bench_run *r)
{
	fast_ring_close(r, r->priv);
}

/* soft.nop.rt.wait */

static int nop_rt_wait_run(struct bench_run *r, uint64_t iters)
{
	struct fast_ring *fr = r->priv;
	uint64_t i;

	for (i = 0; i < iters; i++)
		if (fast_submit(r, fr, fr->sync, NULL) || fast_wait(r, fr))
			return -1;
	return 0;
}

const struct bench bench_soft_nop_rt_wait = {
	.name = "soft.nop.rt.wait",
	.desc = "soft engine: SUBMIT of one NOP, then libgring's gring_ring_wait() (status page, syncobj only to sleep)",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct fast_ring),
	.setup = fast_ring_setup,
	.run = nop_rt_wait_run,
	.teardown = fast_ring_teardown,
};

/*
 * soft.nop.rt.syncobj: SUBMIT + DRM_IOCTL_SYNCOBJ_WAIT on the job's
 * out-syncobj, minus a SYNCOBJ_WAIT on a syncobj created signalled right
 * after it (syncobj.wait.signalled's figure, paired): what the job costs
 * beyond the wait ioctl itself.
 */
enum { X_RT, X_WAIT };

static const struct bench_extra rt_syncobj_extras[] = {
	[X_RT] = { "rt", "us" },	/* SUBMIT + SYNCOBJ_WAIT */
	[X_WAIT] = { "wait", "us" },	/* SYNCOBJ_WAIT, already signalled */
};

struct rt_syncobj_priv {
	struct fast_ring ring;
	uint32_t signalled;
	double *rt, *wait;
	uint64_t cap;
};

static void rt_syncobj_teardown(struct bench_run *r)
{
	struct rt_syncobj_priv *p = r->priv;

	free(p->rt);
	free(p->wait);
	if (p->signalled)
		drmSyncobjDestroy(fast_fd(r), p->signalled);
	fast_ring_close(r, &p->ring);
}

static int rt_syncobj_setup(struct bench_run *r)
{
	struct rt_syncobj_priv *p = r->priv;
	int ret = fast_ring_open(r, &p->ring);

	if (!ret && drmSyncobjCreate(fast_fd(r), DRM_SYNCOBJ_CREATE_SIGNALED,
				     &p->signalled))
		ret = bench_fail(r, "SYNCOBJ_CREATE(SIGNALED): %s",
				 strerror(errno));
	if (ret)
		rt_syncobj_teardown(r);
	return ret;
}

static int rt_syncobj_run(struct bench_run *r, uint64_t iters)
{
	struct rt_syncobj_priv *p = r->priv;
	int fd = fast_fd(r), ret;
	uint64_t i, t0;

	if (iters > p->cap) {
		free(p->rt);
		free(p->wait);
		p->rt = malloc(iters * sizeof(*p->rt));
		p->wait = malloc(iters * sizeof(*p->wait));
		p->cap = p->rt && p->wait ? iters : 0;
		if (!p->cap)
			return bench_fail(r, "out of memory");
	}
	for (i = 0; i < iters; i++) {
		t0 = fast_now_ns();
		if (fast_submit(r, &p->ring, p->ring.sync, NULL))
			return -1;
		ret = drmSyncobjWait(fd, &p->ring.sync, 1, INT64_MAX, 0, NULL);
		if (ret)
			return bench_fail(r, "SYNCOBJ_WAIT: %s", strerror(-ret));
		p->rt[i] = (double)(fast_now_ns() - t0) / 1000.0;
		t0 = fast_now_ns();
		ret = drmSyncobjWait(fd, &p->signalled, 1, INT64_MAX, 0, NULL);
		if (ret)
			return bench_fail(r, "SYNCOBJ_WAIT: %s", strerror(-ret));
		p->wait[i] = (double)(fast_now_ns() - t0) / 1000.0;
	}
	/* Every job done without a fault: the page says so, no ioctl. */
	if (gring_ring_status_job(&p->ring.status, p->ring.seqno) != 1)
		return bench_fail(r, "job %llu did not complete cleanly",
				  (unsigned long long)p->ring.seqno);
	r->extra[X_RT] = bench_quantile(p->rt, iters, 0.5);
	r->extra[X_WAIT] = bench_quantile(p->wait, iters, 0.5);
	for (i = 0; i < iters; i++)
		p->rt[i] -= p->wait[i];
	r->value = bench_quantile(p->rt, iters, 0.5);
	if (!(r->value > 0))
		return bench_unavailable(r, "the job cost less than the noise (median %.3f us, wait %.3f us)",
					 r->extra[X_RT], r->extra[X_WAIT]);
	return 0;
}

const struct bench bench_soft_nop_rt_syncobj = {
	.name = "soft.nop.rt.syncobj",
	.desc = "soft engine: SUBMIT of one NOP + SYNCOBJ_WAIT, minus a SYNCOBJ_WAIT on a signalled syncobj, paired",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct rt_syncobj_priv),
	.setup = rt_syncobj_setup,
	.run = rt_syncobj_run,
	.teardown = rt_syncobj_teardown,
	.self_timed = true,
	.extras = rt_syncobj_extras,
	.nextra = 2,
};

/* soft.nop.pipe */

static int nop_pipe_run(struct bench_run *r, uint64_t iters)
{
	struct fast_ring *fr = r->priv;
	uint64_t i;
	unsigned int j;

	for (i = 0; i < iters; i++) {
		for (j = 0; j < FAST_PIPE_JOBS; j++)
			if (fast_submit(r, fr, j + 1 == FAST_PIPE_JOBS ?
					fr->sync : 0, NULL))
				return -1;
		if (fast_wait(r, fr))
			return -1;
	}
	return 0;
}

const struct bench bench_soft_nop_pipe = {
	.name = "soft.nop.pipe",
	.desc = "soft engine: 1000 one-NOP jobs back to back on one ring, the last waited for, per job",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = FAST_PIPE_JOBS,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct fast_ring),
	.setup = fast_ring_setup,
	.run = nop_pipe_run,
	.teardown = fast_ring_teardown,
};

/* --- soft.nop.sched.rt ------------------------------------------------------ */

enum { X_PLUMB, X_FULL };

static const struct bench_extra sched_extras[] = {
	[X_PLUMB] = { "fence", "us" },	/* the vgem fence's plumbing alone */
	[X_FULL] = { "total", "us" },	/* plumbing + SUBMIT + wait */
};

struct sched_priv {
	struct fast_ring ring;
	uint32_t vgem_bo, in;
	int dmabuf;
	double *full, *plumb;
	uint64_t cap;
};

static void sched_teardown(struct bench_run *r);

static int sched_setup(struct bench_run *r)
{
	struct sched_priv *p = r->priv;
	int vfd = r->ctx->vgem_card, ret;

	p->dmabuf = -1;
	ret = fast_ring_open(r, &p->ring);
	if (!ret && drmSyncobjCreate(fast_fd(r), 0, &p->in))
		ret = bench_fail(r, "SYNCOBJ_CREATE: %s", strerror(errno));
	if (!ret) {
		ret = vgem_dumb_create(vfd, 4096, &p->vgem_bo);
		if (ret)
			ret = bench_fail(r, "vgem CREATE_DUMB: %s",
					 strerror(-ret));
	}
	if (!ret && drmPrimeHandleToFD(vfd, p->vgem_bo, DRM_CLOEXEC,
				       &p->dmabuf))
		ret = bench_fail(r, "vgem PRIME export: %s", strerror(errno));
	if (ret)
		sched_teardown(r);
	return ret;
}

/*
 * A vgem fence, unsignalled, in the syncobj @p->in: attach it to the
 * vgem BO, export the BO's write fence as a sync_file, import that.
 */
static int sched_fence(struct bench_run *r, struct sched_priv *p,
		       uint32_t *fence)
{
	struct drm_vgem_fence_attach attach = {
		.handle = p->vgem_bo, .flags = VGEM_FENCE_WRITE,
	};
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_WRITE };

	if (drmIoctl(r->ctx->vgem_card, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach))
		return bench_fail(r, "vgem FENCE_ATTACH: %s", strerror(errno));
	*fence = attach.out_fence;
	if (drmIoctl(p->dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp))
		return bench_fail(r, "EXPORT_SYNC_FILE: %s", strerror(errno));
	if (drmSyncobjImportSyncFile(fast_fd(r), p->in, exp.fd)) {
		close(exp.fd);
		return bench_fail(r, "syncobj import: %s", strerror(errno));
	}
	close(exp.fd);
	return 0;
}

static int sched_signal(struct bench_run *r, uint32_t fence)
{
	struct drm_vgem_fence_signal sig = { .fence = fence };

	if (drmIoctl(r->ctx->vgem_card, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig))
		return bench_fail(r, "vgem FENCE_SIGNAL: %s", strerror(errno));
	return 0;
}

static int sched_run(struct bench_run *r, uint64_t iters)
{
	struct sched_priv *p = r->priv;
	const struct drm_gring_sync in = { .handle = p->in };
	uint64_t i, t0;
	uint32_t fence;

	if (iters > p->cap) {
		free(p->full);
		free(p->plumb);
		p->full = malloc(iters * sizeof(*p->full));
		p->plumb = malloc(iters * sizeof(*p->plumb));
		p->cap = p->full && p->plumb ? iters : 0;
		if (!p->cap)
			return bench_fail(r, "out of memory");
	}
	for (i = 0; i < iters; i++) {
		/* The job, held by the scheduler until the client signals. */
		t0 = fast_now_ns();
		if (sched_fence(r, p, &fence) ||
		    fast_submit(r, &p->ring, p->ring.sync, &in) ||
		    sched_signal(r, fence) || fast_wait(r, &p->ring))
			return -1;
		p->full[i] = (double)(fast_now_ns() - t0) / 1000.0;
		/* The same plumbing, no job: a host hiccup hits both or neither. */
		t0 = fast_now_ns();
		if (sched_fence(r, p, &fence) || sched_signal(r, fence))
			return -1;
		p->plumb[i] = (double)(fast_now_ns() - t0) / 1000.0;
	}
	r->extra[X_FULL] = bench_quantile(p->full, iters, 0.5);
	r->extra[X_PLUMB] = bench_quantile(p->plumb, iters, 0.5);
	for (i = 0; i < iters; i++)
		p->full[i] -= p->plumb[i];
	r->value = bench_quantile(p->full, iters, 0.5);
	if (!(r->value > 0))
		return bench_unavailable(r, "the job cost less than the noise (median total %.3f us, fence %.3f us)",
					 r->extra[X_FULL], r->extra[X_PLUMB]);
	return 0;
}

static void sched_teardown(struct bench_run *r)
{
	struct sched_priv *p = r->priv;

	free(p->full);
	free(p->plumb);
	if (p->dmabuf >= 0)
		close(p->dmabuf);
	if (p->vgem_bo)
		vgem_gem_close(r->ctx->vgem_card, p->vgem_bo);
	if (p->in)
		drmSyncobjDestroy(fast_fd(r), p->in);
	fast_ring_close(r, &p->ring);
}

const struct bench bench_soft_nop_sched_rt = {
	.name = "soft.nop.sched.rt",
	.desc = "soft engine: one NOP held by an in-syncobj (a vgem fence) the client signals right after SUBMIT, waited; minus the fence's plumbing, paired",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.needs = BENCH_NEEDS_GRING | BENCH_NEEDS_VGEM,
	.priv_size = sizeof(struct sched_priv),
	.setup = sched_setup,
	.run = sched_run,
	.teardown = sched_teardown,
	.self_timed = true,
	.extras = sched_extras,
	.nextra = 2,
};
