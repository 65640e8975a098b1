// SPDX-License-Identifier: MIT
/*
 * gring-bench: the floors gring's figures are compared with, measured in
 * the same machine and run: a bare ioctl on gring's node and on vgem's,
 * a vgem fence attach + signal, and memcpy bandwidth. io_uring is in
 * bench_uring.c.
 *
 * The two bare ioctls are chosen to do the same work: 16 bytes copied in
 * and out through drm_ioctl() on a render node, a switch on a constant,
 * no locks. gring's is GET_PARAM(UAPI_VERSION), a driver ioctl; vgem's is
 * the core GET_CAP(DRM_CAP_TIMESTAMP_MONOTONIC), which vgem, having no
 * driver ioctl that trivial, is measured with. Both go through drmIoctl(),
 * as libgring's calls do.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#include "bench.h"
#include "vgem.h"

/* ioctl.gring */

static int ioctl_gring_run(struct bench_run *r, uint64_t iters)
{
	uint64_t i, value;
	int ret;

	for (i = 0; i < iters; i++) {
		ret = gring_get_param(&r->ctx->gring,
				      DRM_GRING_PARAM_UAPI_VERSION, &value);
		if (ret)
			return bench_fail(r, "GET_PARAM(UAPI_VERSION): %s",
					  strerror(-ret));
	}
	return 0;
}

const struct bench bench_ioctl_gring = {
	.name = "ioctl.gring",
	.desc = "bare gring ioctl: GET_PARAM(UAPI_VERSION) on gring's render node",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.needs = BENCH_NEEDS_GRING,
	.run = ioctl_gring_run,
};

/* ioctl.vgem */

static int ioctl_vgem_run(struct bench_run *r, uint64_t iters)
{
	struct drm_get_cap cap;
	uint64_t i;

	for (i = 0; i < iters; i++) {
		cap.capability = DRM_CAP_TIMESTAMP_MONOTONIC;
		cap.value = 0;
		if (drmIoctl(r->ctx->vgem_render, DRM_IOCTL_GET_CAP, &cap))
			return bench_fail(r, "GET_CAP(TIMESTAMP_MONOTONIC): %s",
					  strerror(errno));
	}
	return 0;
}

const struct bench bench_ioctl_vgem = {
	.name = "ioctl.vgem",
	.desc = "bare DRM ioctl: GET_CAP(TIMESTAMP_MONOTONIC) on vgem's render node",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.needs = BENCH_NEEDS_VGEM,
	.run = ioctl_vgem_run,
};

/* vgem.fence */

#define FENCE_BO_SIZE	4096

struct vgem_fence_priv {
	uint32_t handle;
};

static int vgem_fence_setup(struct bench_run *r)
{
	struct vgem_fence_priv *p = r->priv;
	int ret;

	ret = vgem_dumb_create(r->ctx->vgem_card, FENCE_BO_SIZE, &p->handle);
	if (ret)
		return bench_fail(r, "vgem CREATE_DUMB: %s", strerror(-ret));
	return 0;
}

/*
 * vgem keeps every fence id it hands out until the file is closed
 * (signalling only clears the slot), so ids grow by one per iteration:
 * a few thousand per sample, too few to change the idr's cost.
 */
static int vgem_fence_run(struct bench_run *r, uint64_t iters)
{
	struct vgem_fence_priv *p = r->priv;
	struct drm_vgem_fence_attach attach;
	struct drm_vgem_fence_signal signal;
	int fd = r->ctx->vgem_card;
	uint64_t i;

	for (i = 0; i < iters; i++) {
		memset(&attach, 0, sizeof(attach));
		attach.handle = p->handle;
		if (drmIoctl(fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach))
			return bench_fail(r, "vgem FENCE_ATTACH: %s",
					  strerror(errno));
		signal.fence = attach.out_fence;
		signal.flags = 0;
		if (drmIoctl(fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &signal))
			return bench_fail(r, "vgem FENCE_SIGNAL: %s",
					  strerror(errno));
	}
	return 0;
}

static void vgem_fence_teardown(struct bench_run *r)
{
	struct vgem_fence_priv *p = r->priv;

	vgem_gem_close(r->ctx->vgem_card, p->handle);
}

const struct bench bench_vgem_fence = {
	.name = "vgem.fence",
	.desc = "vgem FENCE_ATTACH + FENCE_SIGNAL on a 4 KiB dumb BO, per pair",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.needs = BENCH_NEEDS_VGEM,
	.priv_size = sizeof(struct vgem_fence_priv),
	.setup = vgem_fence_setup,
	.run = vgem_fence_run,
	.teardown = vgem_fence_teardown,
};

/*
 * memcpy: glibc's own, whichever variant it picks for the CPU. Under TCG
 * with QEMU's default CPU model (SSE2, no ERMS) that is an SSE2 loop, about
 * 2.2 GB/s; a `rep movsb` copy of the same buffers runs at about 0.55 GB/s,
 * so a copy engine should be compared with the variant it actually uses.
 */

#define MEMCPY_SIZE	(1u << 20)

struct memcpy_priv {
	unsigned char *src;
	unsigned char *dst;
};

static int memcpy_setup(struct bench_run *r)
{
	struct memcpy_priv *p = r->priv;

	p->src = malloc(MEMCPY_SIZE);
	p->dst = malloc(MEMCPY_SIZE);
	if (!p->src || !p->dst) {
		free(p->src);
		free(p->dst);
		return bench_fail(r, "out of memory");
	}
	/* Fault both in now: the samples measure copying, not page faults. */
	memset(p->src, 0x5a, MEMCPY_SIZE);
	memset(p->dst, 0, MEMCPY_SIZE);
	return 0;
}

static int memcpy_run(struct bench_run *r, uint64_t iters)
{
	struct memcpy_priv *p = r->priv;
	uint64_t i;

	for (i = 0; i < iters; i++) {
		memcpy(p->dst, p->src, MEMCPY_SIZE);
		/* dst is "used" here, so no copy can be elided or merged. */
		__asm__ __volatile__("" : : "r"(p->dst) : "memory");
	}
	return 0;
}

static void memcpy_teardown(struct bench_run *r)
{
	struct memcpy_priv *p = r->priv;

	free(p->src);
	free(p->dst);
}

const struct bench bench_memcpy = {
	.name = "memcpy",
	.desc = "memcpy of 1 MiB to 1 MiB in the CPU's memory (bytes copied per second)",
	.section = BENCH_BASELINE,
	.unit = BENCH_GB_PER_S,
	.per_iter = MEMCPY_SIZE,
	.priv_size = sizeof(struct memcpy_priv),
	.setup = memcpy_setup,
	.run = memcpy_run,
	.teardown = memcpy_teardown,
};
