// SPDX-License-Identifier: MIT
/*
 * gring-bench: buffer objects, gring's beside vgem's.
 *
 * gring's objects are coherent DMA allocations, made and zeroed whole at
 * GEM_CREATE; vgem's dumb buffers are shmem, which reserves nothing until
 * an mmap() pins the pages. So the create pairs compare a real allocation
 * with a lazy one. The mmap pairs create the object once, then time mmap
 * offset + mmap + a write to every page + munmap. vgem pins the pages at
 * each mmap and unpins them at munmap, and its objects are write-combined,
 * so on x86 every pin and unpin also flips the pages' caching attributes
 * (set_pages_array_wc/wb in drm_gem_shmem_helper.c): that, more than the
 * page faults, is what vgem.mmap.1m measures.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"
#include "vgem.h"

#define SZ_4K	(4ull << 10)
#define SZ_1M	(1ull << 20)

/* One write per page, so every page is faulted in (or already mapped). */
static void touch_pages(void *map, uint64_t size, size_t page, uint64_t seq)
{
	volatile unsigned char *m = map;
	uint64_t off;

	for (off = 0; off < size; off += page)
		m[off] = (unsigned char)seq;
}

/* gem.create.* */

static int gem_create_run(struct bench_run *r, uint64_t iters)
{
	const struct gring_device *dev = &r->ctx->gring;
	struct gring_bo bo;
	uint64_t i;
	int ret;

	for (i = 0; i < iters; i++) {
		ret = gring_bo_create(dev, r->bench->arg, 0, &bo);
		if (ret)
			return bench_fail(r, "GEM_CREATE(%llu): %s",
					  (unsigned long long)r->bench->arg,
					  strerror(-ret));
		ret = gring_bo_close(dev, &bo);
		if (ret)
			return bench_fail(r, "GEM_CLOSE: %s", strerror(-ret));
	}
	return 0;
}

const struct bench bench_gem_create_4k = {
	.name = "gem.create.4k",
	.desc = "gring GEM_CREATE + GEM_CLOSE of a 4 KiB buffer object",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = SZ_4K,
	.needs = BENCH_NEEDS_GRING,
	.run = gem_create_run,
};

const struct bench bench_gem_create_1m = {
	.name = "gem.create.1m",
	.desc = "gring GEM_CREATE + GEM_CLOSE of a 1 MiB buffer object",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = SZ_1M,
	.needs = BENCH_NEEDS_GRING,
	.run = gem_create_run,
};

/* vgem.dumb.* */

static int vgem_dumb_run(struct bench_run *r, uint64_t iters)
{
	int fd = r->ctx->vgem_card;
	uint32_t handle;
	uint64_t i;
	int ret;

	for (i = 0; i < iters; i++) {
		ret = vgem_dumb_create(fd, r->bench->arg, &handle);
		if (ret)
			return bench_fail(r, "vgem CREATE_DUMB(%llu): %s",
					  (unsigned long long)r->bench->arg,
					  strerror(-ret));
		ret = vgem_gem_close(fd, handle);
		if (ret)
			return bench_fail(r, "vgem GEM_CLOSE: %s",
					  strerror(-ret));
	}
	return 0;
}

const struct bench bench_vgem_dumb_4k = {
	.name = "vgem.dumb.4k",
	.desc = "vgem CREATE_DUMB + GEM_CLOSE of a 4 KiB dumb buffer (shmem, lazy)",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = SZ_4K,
	.needs = BENCH_NEEDS_VGEM,
	.run = vgem_dumb_run,
};

const struct bench bench_vgem_dumb_1m = {
	.name = "vgem.dumb.1m",
	.desc = "vgem CREATE_DUMB + GEM_CLOSE of a 1 MiB dumb buffer (shmem, lazy)",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = SZ_1M,
	.needs = BENCH_NEEDS_VGEM,
	.run = vgem_dumb_run,
};

/* gem.mmap.1m */

struct gem_mmap_priv {
	struct gring_bo bo;
};

static int gem_mmap_setup(struct bench_run *r)
{
	struct gem_mmap_priv *p = r->priv;
	int ret;

	ret = gring_bo_create(&r->ctx->gring, r->bench->arg, 0, &p->bo);
	if (ret)
		return bench_fail(r, "GEM_CREATE(%llu): %s",
				  (unsigned long long)r->bench->arg,
				  strerror(-ret));
	return 0;
}

static int gem_mmap_run(struct bench_run *r, uint64_t iters)
{
	struct gem_mmap_priv *p = r->priv;
	uint64_t i;
	int ret;

	for (i = 0; i < iters; i++) {
		ret = gring_bo_map(&r->ctx->gring, &p->bo);
		if (ret)
			return bench_fail(r, "map (MMAP_OFFSET + mmap): %s",
					  strerror(-ret));
		touch_pages(p->bo.map, p->bo.size, r->ctx->page_size, i);
		ret = gring_bo_unmap(&p->bo);
		if (ret)
			return bench_fail(r, "munmap: %s", strerror(-ret));
	}
	return 0;
}

static void gem_mmap_teardown(struct bench_run *r)
{
	struct gem_mmap_priv *p = r->priv;

	gring_bo_close(&r->ctx->gring, &p->bo);
}

const struct bench bench_gem_mmap_1m = {
	.name = "gem.mmap.1m",
	.desc = "gring MMAP_OFFSET + mmap + write every page + munmap, 1 MiB BO",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = SZ_1M,
	.needs = BENCH_NEEDS_GRING,
	.priv_size = sizeof(struct gem_mmap_priv),
	.setup = gem_mmap_setup,
	.run = gem_mmap_run,
	.teardown = gem_mmap_teardown,
};

/* vgem.mmap.1m */

struct vgem_mmap_priv {
	uint32_t handle;
};

static int vgem_mmap_setup(struct bench_run *r)
{
	struct vgem_mmap_priv *p = r->priv;
	int ret;

	ret = vgem_dumb_create(r->ctx->vgem_card, r->bench->arg, &p->handle);
	if (ret)
		return bench_fail(r, "vgem CREATE_DUMB(%llu): %s",
				  (unsigned long long)r->bench->arg,
				  strerror(-ret));
	return 0;
}

static int vgem_mmap_run(struct bench_run *r, uint64_t iters)
{
	struct vgem_mmap_priv *p = r->priv;
	uint64_t i, size = r->bench->arg, offset;
	int fd = r->ctx->vgem_card;
	void *map;
	int ret;

	for (i = 0; i < iters; i++) {
		ret = vgem_dumb_map_offset(fd, p->handle, &offset);
		if (ret)
			return bench_fail(r, "vgem MAP_DUMB: %s",
					  strerror(-ret));
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   (off_t)offset);
		if (map == MAP_FAILED)
			return bench_fail(r, "vgem mmap: %s", strerror(errno));
		touch_pages(map, size, r->ctx->page_size, i);
		if (munmap(map, size))
			return bench_fail(r, "munmap: %s", strerror(errno));
	}
	return 0;
}

static void vgem_mmap_teardown(struct bench_run *r)
{
	struct vgem_mmap_priv *p = r->priv;

	vgem_gem_close(r->ctx->vgem_card, p->handle);
}

const struct bench bench_vgem_mmap_1m = {
	.name = "vgem.mmap.1m",
	.desc = "vgem MAP_DUMB + mmap + write every page + munmap, 1 MiB dumb BO",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.arg = SZ_1M,
	.needs = BENCH_NEEDS_VGEM,
	.priv_size = sizeof(struct vgem_mmap_priv),
	.setup = vgem_mmap_setup,
	.run = vgem_mmap_run,
	.teardown = vgem_mmap_teardown,
};
