// SPDX-License-Identifier: MIT
/*
 * gring-fuzz: choosing and making the next call.
 *
 * Calls are built from live objects, so most of them are well formed and
 * reach deep into the kernel (a SUBMIT whose BOs, ranges and syncobjs all
 * exist, a CPU_FINI of a range CPU_PREP gave); then, some of the time, one
 * field is mutated, so the kernel's check of that one field is what
 * decides. Objects are shared by all threads: one may destroy a ring while
 * another submits to it, which is the point. An object is borrowed for the
 * duration of a call, and a file or mapping is closed only when nobody
 * borrows it, so that an fd number never names something else in the
 * middle of a call (the errno would then be about the wrong file).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "gring_drm.h"
#include "run.h"

#define OUT_PATTERN	0xa5u

/* --- the pool ------------------------------------------------------------- */

void fz_pool_init(struct fz_pool *pool)
{
	unsigned int i;

	memset(pool, 0, sizeof(*pool));
	for (i = 0; i < FZ_POOL_MAX; i++)
		pool->objs[i].type = FZ_NR_OTYPES;	/* free */
	pthread_mutex_init(&pool->lock, NULL);
}

static void log_sys(struct fz_thread *t, enum fz_kind kind, int fd, int dev,
		    long ret, int err, const uint64_t *a);

/* Called with the lock held, on an object nobody borrows any more. */
static void obj_destroy(struct fz_thread *t, struct fz_obj *o)
{
	uint64_t a[5] = { 0 };
	long ret;

	switch (o->type) {
	case FZ_O_DRM:
	case FZ_O_SYNCOBJ_FD:
	case FZ_O_SYNC_FILE:
	case FZ_O_DMABUF:
		ret = close(o->fd);
		log_sys(t, FZ_CLOSE, o->fd, o->dev, ret, errno, a);
		break;
	case FZ_O_MAP:
		a[0] = o->map_slot;
		a[1] = o->size;
		ret = munmap(o->addr, o->size);
		log_sys(t, FZ_MUNMAP, -1, -1, ret, errno, a);
		break;
	default:
		/* Handles die with their file, or by the call that removed them. */
		break;
	}
	t->pool->count[o->type]--;
	o->type = FZ_NR_OTYPES;
}

static void put_locked(struct fz_thread *t, int i)
{
	struct fz_obj *o;

	while (i >= 0) {
		int parent;

		o = &t->pool->objs[i];
		parent = o->parent;
		if (--o->users == 0 && !o->live)
			obj_destroy(t, o);
		i = parent;
	}
}

static void put(struct fz_thread *t, int i)
{
	if (i < 0)
		return;
	pthread_mutex_lock(&t->pool->lock);
	put_locked(t, i);
	pthread_mutex_unlock(&t->pool->lock);
}

/* Borrow @i and everything it hangs off. */
static void get_locked(struct fz_pool *p, int i)
{
	for (; i >= 0; i = p->objs[i].parent)
		p->objs[i].users++;
}

/*
 * A random live object of @type, of file @parent if @parent >= 0,
 * borrowed; -1 if there is none.
 */
static int pick(struct fz_thread *t, enum fz_otype type, int parent)
{
	struct fz_pool *p = t->pool;
	int i, n = 0, chosen = -1;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < FZ_POOL_MAX; i++) {
		struct fz_obj *o = &p->objs[i];

		if (o->type != type || !o->live ||
		    (parent >= 0 && o->parent != parent))
			continue;
		/* Reservoir sampling: one pass, each equally likely. */
		if (fz_rng_below(&t->rng, ++n) == 0)
			chosen = i;
	}
	if (chosen >= 0)
		get_locked(p, chosen);
	pthread_mutex_unlock(&p->lock);
	return chosen;
}

static unsigned int count_of(struct fz_thread *t, enum fz_otype type)
{
	return __atomic_load_n(&t->pool->count[type], __ATOMIC_RELAXED);
}

/* Add @o (a copy) to the pool; -1 if full: the caller then undoes it. */
static int add(struct fz_thread *t, const struct fz_obj *o)
{
	struct fz_pool *p = t->pool;
	int i;

	pthread_mutex_lock(&p->lock);
	/*
	 * Made on a file (or BO) another thread removed meanwhile: it dies
	 * with it, and must not outlive its parent's slot in the pool.
	 */
	if (o->parent >= 0 && !p->objs[o->parent].live) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	for (i = 0; i < FZ_POOL_MAX; i++) {
		if (p->objs[i].type != FZ_NR_OTYPES)
			continue;
		p->objs[i] = *o;
		p->objs[i].live = true;
		p->objs[i].users = 0;
		if (o->type == FZ_O_MAP)
			p->objs[i].map_slot = p->next_map_slot++ % 4096;
		p->count[o->type]++;
		pthread_mutex_unlock(&p->lock);
		return i;
	}
	pthread_mutex_unlock(&p->lock);
	return -1;
}

/*
 * Mark what hangs off @i dead, down to the holds of a file's BOs, and
 * free what nobody borrows: it must never be picked with a parent whose
 * slot is gone (and maybe reused).
 */
static void kill_children(struct fz_thread *t, int i)
{
	struct fz_pool *p = t->pool;
	int j;

	for (j = 0; j < FZ_POOL_MAX; j++) {
		struct fz_obj *o = &p->objs[j];

		if (o->type == FZ_NR_OTYPES || !o->live || o->parent != i)
			continue;
		o->live = false;
		kill_children(t, j);
		if (!o->users)
			obj_destroy(t, o);
	}
}

/*
 * Take @i out of the pool (the caller borrows it): nobody picks it again,
 * and it is closed when the last borrower is done. A file takes its
 * handles with it, a BO its holds.
 */
static void remove_obj(struct fz_thread *t, int i)
{
	pthread_mutex_lock(&t->pool->lock);
	t->pool->objs[i].live = false;
	kill_children(t, i);
	pthread_mutex_unlock(&t->pool->lock);
}

/* --- making a call -------------------------------------------------------- */

static void count(struct fz_thread *t, enum fz_kind kind, long ret, int err)
{
	int e = ret < 0 ? err : 0;

	if (e < 0 || e >= FZ_ERRNO_MAX)
		e = FZ_ERRNO_MAX - 1;
	__atomic_store_n(&t->counts[kind][e], t->counts[kind][e] + 1,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&t->calls, t->calls + 1, __ATOMIC_RELAXED);
}

static struct fz_rec *new_rec(struct fz_thread *t, enum fz_kind kind, int fd,
			      int dev)
{
	struct fz_rec *r = fz_log_next(&t->log);

	r->gseq = atomic_fetch_add(&t->ctx->gseq, 1);
	r->seq = (uint32_t)t->log.count;
	r->kind = kind;
	r->fd = fd;
	r->dev = dev;
	return r;
}

static void check(struct fz_thread *t, const struct fz_rec *r)
{
	char why[256];

	if (!fz_check_rec(r, why, sizeof(why)))
		fz_fail(t->ctx, t, why);
}

static void log_sys(struct fz_thread *t, enum fz_kind kind, int fd, int dev,
		    long ret, int err, const uint64_t *a)
{
	struct fz_rec *r = new_rec(t, kind, fd, dev);

	memcpy(r->a, a, sizeof(r->a));
	r->ret = ret;
	r->err = ret < 0 ? err : 0;
	count(t, kind, ret, r->err);
	check(t, r);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* The vectors a call was given, as the reproducer needs them. */
struct vecspec {
	unsigned int n;
	struct {
		uint16_t field_off;
		uint16_t len;
		bool in;
	} v[FZ_VEC_MAX];
};

/*
 * Make ioctl @kind on @fd with @arg (its absolute times relative), record
 * it and check it. Returns the ioctl's result (-errno on failure).
 */
static long do_ioctl(struct fz_thread *t, enum fz_kind kind, int fd, int dev,
		     void *arg, const struct vecspec *vs, int mutated)
{
	const struct fz_desc *d = fz_desc(kind);
	uint8_t call[FZ_ARG_MAX];
	struct fz_rec *r;
	unsigned int i, voff = 0;
	long ret;
	int err;

	/* Pure outputs start as a pattern, so "left alone" is visible. */
	for (i = 0; i < d->nr_fields; i++) {
		const struct fz_field *f = &d->fields[i];

		if ((f->flags & (FZ_F_IN | FZ_F_OUT)) == FZ_F_OUT)
			memset((uint8_t *)arg + f->off, OUT_PATTERN, f->size);
	}

	r = new_rec(t, kind, fd, dev);
	r->mutated = mutated + 1;
	memcpy(r->arg, arg, d->size);
	for (i = 0; vs && i < vs->n; i++) {
		struct fz_field pf = { "", vs->v[i].field_off, 8, 0 };
		uint64_t p = fz_field_get(arg, &pf);
		unsigned int len = vs->v[i].len;

		/* A mutated pointer is printed as the number it is. */
		if (p != (uintptr_t)t->vbuf[i] || voff + len > FZ_VEC_BYTES)
			continue;
		r->vecs[r->nr_vecs] = (struct fz_vec){
			.field_off = vs->v[i].field_off, .off = voff,
			.len = len, .flags = vs->v[i].in ? FZ_VEC_IN : 0,
		};
		memcpy(r->vec + voff, t->vbuf[i], len);
		voff += len;
		r->nr_vecs++;
	}

	memcpy(call, arg, d->size);
	for (i = 0; i < d->nr_fields; i++) {
		const struct fz_field *f = &d->fields[i];

		if (f->flags & FZ_F_ABSTIME)
			fz_field_set(call, f, fz_field_get(call, f) + now_ns());
	}
	ret = ioctl(fd, d->req, call);
	err = errno;
	for (i = 0; i < d->nr_fields; i++) {
		const struct fz_field *f = &d->fields[i];

		if (f->flags & FZ_F_ABSTIME)
			fz_field_set(call, f, fz_field_get(arg, f));
	}
	memcpy(arg, call, d->size);
	memcpy(r->out, call, d->size);
	r->ret = ret;
	r->err = ret < 0 ? err : 0;
	count(t, kind, ret, r->err);
	check(t, r);
	return ret < 0 ? -err : ret;
}

/* --- mutation ------------------------------------------------------------- */

static const uint64_t interesting_vals[] = {
	0, 1, 2, 3, 4, 7, 8, 16, 63, 64, 255, 256, 4095, 4096, 4097, 65535,
	65536, 1u << 20, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu,
	0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
	0xfffffffffffff000ull, 0xffffffffffffffffull,
};

static uint64_t interesting(struct fz_thread *t, uint64_t old, unsigned int size)
{
	uint64_t v;

	switch (fz_rng_below(&t->rng, 5)) {
	case 0:
	case 1:
		v = interesting_vals[fz_rng_below(&t->rng,
			sizeof(interesting_vals) / sizeof(interesting_vals[0]))];
		break;
	case 2:
		v = old ^ (1ull << fz_rng_below(&t->rng, size * 8));
		break;
	case 3:
		v = old + fz_rng_below(&t->rng, 9) - 4;
		break;
	default:
		v = fz_rng_next(&t->rng);
		break;
	}
	return size == 4 ? (uint32_t)v : v;
}

/* A pointer that is not the vector: unmapped, kernel, straddling a fault. */
static uint64_t bad_pointer(struct fz_thread *t, uint64_t old)
{
	switch (fz_rng_below(&t->rng, 5)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)t->guard + 4096;
	case 2:
		return (uintptr_t)t->guard + 4096 - 8;
	case 3:
		return 0xffff888000000000ull;
	default:
		return old + 1;
	}
}

/*
 * Mutate one field of @arg (described by @fields) and return its index,
 * or -1 if none could be.
 */
static int mutate_one(struct fz_thread *t, void *arg,
		      const struct fz_field *fields, unsigned int n)
{
	unsigned int tries;

	for (tries = 0; tries < 8; tries++) {
		unsigned int i = fz_rng_below(&t->rng, n);
		const struct fz_field *f = &fields[i];
		uint64_t old = fz_field_get(arg, f);

		if (!(f->flags & FZ_F_IN) || (f->flags & FZ_F_NOMUT))
			continue;
		if (f->flags & FZ_F_FD)
			fz_field_set(arg, f, (uint32_t)-1);
		else if (f->flags & FZ_F_PTR)
			fz_field_set(arg, f, bad_pointer(t, old));
		else
			fz_field_set(arg, f, interesting(t, old, f->size));
		return i;
	}
	return -1;
}

static int maybe_mutate(struct fz_thread *t, enum fz_kind kind, void *arg)
{
	const struct fz_desc *d = fz_desc(kind);

	if (!fz_rng_pct(&t->rng, t->ctx->opts.mutate_pct))
		return -1;
	return mutate_one(t, arg, d->fields, d->nr_fields);
}

/* --- objects of a file ---------------------------------------------------- */

static struct fz_obj *obj(struct fz_thread *t, int i)
{
	return &t->pool->objs[i];
}

/* A file to call on: borrowed, or -1 (and one is opened for next time). */
static int pick_drm(struct fz_thread *t)
{
	return pick(t, FZ_O_DRM, -1);
}

static int open_dev(struct fz_thread *t, int dev)
{
	uint64_t a[5] = { 0 };
	struct fz_obj o = { .type = FZ_O_DRM, .parent = -1, .dev = dev };
	int fd;

	fd = open(t->ctx->devs[dev].path, O_RDWR | O_CLOEXEC);
	log_sys(t, FZ_OPEN, -1, dev, fd, errno, a);
	if (fd < 0)
		return -1;
	o.fd = fd;
	if (add(t, &o) < 0) {
		close(fd);
		log_sys(t, FZ_CLOSE, fd, dev, 0, 0, a);
		return -1;
	}
	return 0;
}

int fz_open_devices(struct fz_thread *t)
{
	unsigned int i;

	for (i = 0; i < t->ctx->nr_devs; i++)
		if (open_dev(t, i))
			return -1;
	return 0;
}

static void gen_open(struct fz_thread *t)
{
	if (count_of(t, FZ_O_DRM) < 8)
		open_dev(t, fz_rng_below(&t->rng, t->ctx->nr_devs));
}

/* Close a file of any kind: a device file, a dma-buf, a sync_file. */
static void gen_close(struct fz_thread *t)
{
	static const enum fz_otype types[] = {
		FZ_O_DRM, FZ_O_DMABUF, FZ_O_SYNC_FILE, FZ_O_SYNCOBJ_FD,
	};
	enum fz_otype type = types[fz_rng_below(&t->rng, 4)];
	int i;

	/* Keep a file of each device: most calls need one. */
	if (type == FZ_O_DRM && count_of(t, FZ_O_DRM) <= t->ctx->nr_devs)
		return;
	i = pick(t, type, -1);
	if (i < 0)
		return;
	remove_obj(t, i);
	put(t, i);
}

static void gen_get_param(struct fz_thread *t)
{
	struct drm_gring_get_param a = {
		.param = fz_rng_below(&t->rng, 6),
	};
	int f = pick_drm(t);

	if (f < 0)
		return;
	do_ioctl(t, FZ_GET_PARAM, obj(t, f)->fd, obj(t, f)->dev, &a, NULL,
		 maybe_mutate(t, FZ_GET_PARAM, &a));
	put(t, f);
}

/* Mostly small BOs, some of a few pages, rarely a big one. */
static uint64_t bo_size(struct fz_thread *t)
{
	unsigned int r = fz_rng_below(&t->rng, 100);

	if (r < 60)
		return 4096 * (1 + fz_rng_below(&t->rng, 4));
	if (r < 95)
		return 1 + fz_rng_below(&t->rng, 64 * 4096);
	return 4096 * (64 + fz_rng_below(&t->rng, 448));
}

static void gen_gem_create(struct fz_thread *t)
{
	struct drm_gring_gem_create a = { .size = bo_size(t) };
	struct fz_obj o = { .type = FZ_O_BO };
	int f, m;
	long ret;

	if (count_of(t, FZ_O_BO) >= 96)
		return;
	f = pick_drm(t);
	if (f < 0)
		return;
	m = maybe_mutate(t, FZ_GEM_CREATE, &a);
	ret = do_ioctl(t, FZ_GEM_CREATE, obj(t, f)->fd, obj(t, f)->dev, &a,
		       NULL, m);
	if (ret == 0) {
		o.parent = f;
		o.dev = obj(t, f)->dev;
		o.handle = a.handle;
		o.size = a.size;
		add(t, &o);
	}
	put(t, f);
}

static void gen_gem_close(struct fz_thread *t)
{
	int b = pick(t, FZ_O_BO, -1);
	struct drm_gem_close a;
	int m;

	if (b < 0)
		return;
	a = (struct drm_gem_close){ .handle = obj(t, b)->handle };
	m = maybe_mutate(t, FZ_GEM_CLOSE, &a);
	if (m < 0)
		remove_obj(t, b);
	do_ioctl(t, FZ_GEM_CLOSE, obj(t, obj(t, b)->parent)->fd, obj(t, b)->dev,
		 &a, NULL, m);
	put(t, b);
}

static void gen_mmap_offset(struct fz_thread *t)
{
	int b = pick(t, FZ_O_BO, -1);
	struct drm_gring_gem_mmap_offset a;
	struct fz_obj *f;

	if (b < 0)
		return;
	f = obj(t, obj(t, b)->parent);
	a = (struct drm_gring_gem_mmap_offset){ .handle = obj(t, b)->handle };
	do_ioctl(t, FZ_GEM_MMAP_OFFSET, f->fd, f->dev, &a, NULL,
		 maybe_mutate(t, FZ_GEM_MMAP_OFFSET, &a));
	put(t, b);
}

/* mmap a BO (through its file and fake offset), a dma-buf or a ring's status page. */
static void gen_mmap(struct fz_thread *t)
{
	struct fz_obj o = { .type = FZ_O_MAP, .parent = -1, .dev = -1 };
	uint64_t a[5] = { 0 };
	struct drm_gring_gem_mmap_offset mo;
	int b, fd, flags = MAP_SHARED, prot = PROT_READ | PROT_WRITE;
	uint64_t len, off = 0;
	void *p;
	int i;

	if (count_of(t, FZ_O_MAP) >= 64)
		return;
	if (fz_rng_pct(&t->rng, 15)) {
		/* uapi 6: read-only and shared, one page; writable is EACCES. */
		b = pick(t, FZ_O_RING, -1);
		if (b < 0)
			return;
		fd = obj(t, obj(t, b)->parent)->fd;
		off = DRM_GRING_RING_STATUS_OFFSET(obj(t, b)->handle);
		len = DRM_GRING_STATUS_SIZE;
		prot = fz_rng_pct(&t->rng, t->ctx->opts.mutate_pct) ?
		       PROT_READ | PROT_WRITE : PROT_READ;
		o.read_only = true;
	} else if (fz_rng_pct(&t->rng, 30)) {
		b = pick(t, FZ_O_DMABUF, -1);
		if (b < 0)
			return;
		fd = obj(t, b)->fd;
		len = obj(t, b)->size;
	} else {
		b = pick(t, FZ_O_BO, -1);
		if (b < 0)
			return;
		fd = obj(t, obj(t, b)->parent)->fd;
		mo = (struct drm_gring_gem_mmap_offset){ .handle = obj(t, b)->handle };
		if (do_ioctl(t, FZ_GEM_MMAP_OFFSET, fd, obj(t, b)->dev, &mo,
			     NULL, -1)) {
			put(t, b);
			return;
		}
		off = mo.offset;
		len = obj(t, b)->size;
	}
	/* Sometimes wrong: private (refused), too long, off the end. */
	if (fz_rng_pct(&t->rng, t->ctx->opts.mutate_pct)) {
		switch (fz_rng_below(&t->rng, 3)) {
		case 0:
			flags = MAP_PRIVATE;
			break;
		case 1:
			len += 4096;
			break;
		default:
			off += 4096;
			break;
		}
	}
	if (!len)
		len = 4096;
	p = mmap(NULL, len, prot, flags, fd, off);
	/* The slot the pool will give it, for the reproducer's mapv[]. */
	a[0] = off;
	a[1] = len;
	a[2] = prot;
	a[3] = flags;
	a[4] = __atomic_load_n(&t->pool->next_map_slot, __ATOMIC_RELAXED) % 4096;
	log_sys(t, FZ_MMAP, fd, obj(t, b)->dev, p == MAP_FAILED ? -1 : 0,
		errno, a);
	put(t, b);
	if (p == MAP_FAILED)
		return;
	if (o.read_only) {
		const struct drm_gring_ring_status *st = p;

		/* The uapi's promise: never writable; seqnos, not addresses. */
		if (prot & PROT_WRITE)
			fz_fail(t->ctx, t, "a ring's status page was mapped writable");
		else if (st->errors > st->completed)
			fz_fail(t->ctx, t, "a status page counts more failures than jobs");
	}
	o.addr = p;
	o.size = len;
	i = add(t, &o);
	if (i < 0)
		munmap(p, len);
}

static void gen_munmap(struct fz_thread *t)
{
	int i = pick(t, FZ_O_MAP, -1);

	if (i < 0)
		return;
	remove_obj(t, i);
	put(t, i);
}

/*
 * Read or write a byte of a mapping. The uapi lets the CPU store into
 * bytes a queued job uses (no MMU trap sits on the mapping): what the
 * kernel must survive is the page fault, not the race.
 */
static void gen_touch(struct fz_thread *t)
{
	int i = pick(t, FZ_O_MAP, -1);
	volatile uint8_t *p;
	uint64_t a[5] = { 0 };

	if (i < 0)
		return;
	p = obj(t, i)->addr;
	a[0] = obj(t, i)->map_slot;
	a[1] = fz_rng_below(&t->rng, obj(t, i)->size);
	if (!obj(t, i)->read_only && fz_rng_pct(&t->rng, 50)) {
		a[2] = 0x100 | fz_rng_below(&t->rng, 256);
		p[a[1]] = (uint8_t)a[2];
	} else {
		(void)p[a[1]];
	}
	log_sys(t, FZ_TOUCH, -1, -1, 0, 0, a);
	put(t, i);
}

/* --- rings and jobs ------------------------------------------------------- */

static void gen_ring_create(struct fz_thread *t)
{
	struct drm_gring_ring_create a = { 0 };
	struct fz_obj o = { .type = FZ_O_RING };
	struct fz_dev *dev;
	int f, m;

	if (count_of(t, FZ_O_RING) >= 24)
		return;
	f = pick_drm(t);
	if (f < 0)
		return;
	dev = &t->ctx->devs[obj(t, f)->dev];
	if ((dev->engines & (1u << DRM_GRING_ENGINE_VIRTIO_GPU)) &&
	    fz_rng_pct(&t->rng, 50)) {
		a.engine = DRM_GRING_ENGINE_VIRTIO_GPU;
	} else {
		a.engine = DRM_GRING_ENGINE_SOFT;
		a.size = fz_rng_pct(&t->rng, 30) ? 0 :
			 DRM_GRING_RING_SIZE_MIN << fz_rng_below(&t->rng, 5);
	}
	m = maybe_mutate(t, FZ_RING_CREATE, &a);
	if (do_ioctl(t, FZ_RING_CREATE, obj(t, f)->fd, obj(t, f)->dev, &a,
		     NULL, m) == 0) {
		o.parent = f;
		o.dev = obj(t, f)->dev;
		o.handle = a.ring_id;
		o.engine = a.engine;
		o.size = a.size;
		add(t, &o);
	}
	put(t, f);
}

static void gen_ring_destroy(struct fz_thread *t)
{
	int r = pick(t, FZ_O_RING, -1);
	struct drm_gring_ring_destroy a;
	int m;

	if (r < 0)
		return;
	a = (struct drm_gring_ring_destroy){ .ring_id = obj(t, r)->handle };
	m = maybe_mutate(t, FZ_RING_DESTROY, &a);
	if (m < 0)
		remove_obj(t, r);
	do_ioctl(t, FZ_RING_DESTROY, obj(t, obj(t, r)->parent)->fd,
		 obj(t, r)->dev, &a, NULL, m);
	put(t, r);
}

static void gen_ring_query(struct fz_thread *t)
{
	int r = pick(t, FZ_O_RING, -1);
	struct drm_gring_ring_query a;
	struct vecspec vs = { .n = 1 };
	unsigned int room = fz_rng_below(&t->rng, 8);

	if (r < 0)
		return;
	a = (struct drm_gring_ring_query){
		.ring_id = obj(t, r)->handle,
		.regions = fz_rng_pct(&t->rng, 20) ? 0 : (uintptr_t)t->vbuf[0],
		.region_count = room,
	};
	vs.v[0].field_off = offsetof(struct drm_gring_ring_query, regions);
	vs.v[0].len = room * sizeof(struct drm_gring_region);
	do_ioctl(t, FZ_RING_QUERY, obj(t, obj(t, r)->parent)->fd,
		 obj(t, r)->dev, &a, &vs, maybe_mutate(t, FZ_RING_QUERY, &a));
	put(t, r);
}

/* One well-formed soft-engine command on BO @b (of the ring's file). */
static void soft_cmd(struct fz_thread *t, struct drm_gring_cmd *c,
		     const struct fz_obj *b)
{
	uint64_t sz = b ? b->size : 0;
	unsigned int op = fz_rng_below(&t->rng, 7);

	memset(c, 0, sizeof(*c));
	if (!b && op != DRM_GRING_OP_NOP)
		op = DRM_GRING_OP_STALL;
	c->op = op;
	switch (op) {
	case DRM_GRING_OP_WRITE32:
		c->dst_handle = b->handle;
		c->dst_offset = fz_rng_below(&t->rng, sz / 4) * 4;
		c->value = (uint32_t)fz_rng_next(&t->rng);
		break;
	case DRM_GRING_OP_WRITE64:
	case DRM_GRING_OP_TIMESTAMP:
		c->dst_handle = b->handle;
		c->dst_offset = fz_rng_below(&t->rng, sz / 8) * 8;
		if (op == DRM_GRING_OP_WRITE64)
			c->value = fz_rng_next(&t->rng);
		break;
	case DRM_GRING_OP_COPY:
		c->size = 1 + fz_rng_below(&t->rng, sz / 2);
		c->dst_handle = b->handle;
		c->src_handle = b->handle;
		c->dst_offset = fz_rng_below(&t->rng, sz - c->size + 1);
		c->src_offset = fz_rng_below(&t->rng, sz - c->size + 1);
		break;
	case DRM_GRING_OP_FILL:
		c->size = 4 * (1 + fz_rng_below(&t->rng, sz / 8));
		c->dst_handle = b->handle;
		c->dst_offset = 4 * fz_rng_below(&t->rng, (sz - c->size) / 4 + 1);
		c->value = (uint32_t)fz_rng_next(&t->rng);
		break;
	case DRM_GRING_OP_STALL:
		/* Short: a hung job costs the engine its timeout (2 s). */
		c->value = fz_rng_pct(&t->rng, 95) ?
			   fz_rng_below(&t->rng, 100000) :
			   fz_rng_below(&t->rng, 5000000);
		break;
	}
}

/* One virtio-gpu 2D command, well formed as far as the fuzzer knows. */
static void vgpu_cmd(struct fz_thread *t, struct drm_gring_vgpu_cmd *c,
		     const struct fz_obj *b)
{
	static const uint32_t types[] = {
		DRM_GRING_VGPU_GET_DISPLAY_INFO,
		DRM_GRING_VGPU_RESOURCE_CREATE_2D,
		DRM_GRING_VGPU_RESOURCE_UNREF,
		DRM_GRING_VGPU_SET_SCANOUT,
		DRM_GRING_VGPU_RESOURCE_FLUSH,
		DRM_GRING_VGPU_TRANSFER_TO_HOST_2D,
		DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING,
		DRM_GRING_VGPU_RESOURCE_DETACH_BACKING,
	};
	/* Resources are small squares, their side a function of their id. */
	uint32_t id = 1 + fz_rng_below(&t->rng, 8), side = 8 * id;

	memset(c, 0, sizeof(*c));
	c->type = types[fz_rng_below(&t->rng, 8)];
	if (c->type != DRM_GRING_VGPU_GET_DISPLAY_INFO)
		c->resource_id = id;
	switch (c->type) {
	case DRM_GRING_VGPU_RESOURCE_CREATE_2D:
		c->format = 2;	/* VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM */
		c->width = side;
		c->height = side;
		break;
	case DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING:
		if (!b || b->size < (uint64_t)side * side * 4) {
			c->type = DRM_GRING_VGPU_GET_DISPLAY_INFO;
			c->resource_id = 0;
			break;
		}
		c->bo_handle = b->handle;
		c->bo_size = (uint64_t)side * side * 4;
		break;
	case DRM_GRING_VGPU_SET_SCANOUT:
		if (fz_rng_pct(&t->rng, 30))
			c->resource_id = 0;
		/* fall through */
	case DRM_GRING_VGPU_RESOURCE_FLUSH:
	case DRM_GRING_VGPU_TRANSFER_TO_HOST_2D:
		if (c->resource_id) {
			c->rect.width = 1 + fz_rng_below(&t->rng, side);
			c->rect.height = 1 + fz_rng_below(&t->rng, side);
			c->rect.x = fz_rng_below(&t->rng, side - c->rect.width + 1);
			c->rect.y = fz_rng_below(&t->rng, side - c->rect.height + 1);
		}
		break;
	}
	if (b && b->size >= 4096 && fz_rng_pct(&t->rng, 30)) {
		c->resp_handle = b->handle;
		c->resp_offset = 8 * fz_rng_below(&t->rng, (b->size - 512) / 8);
	}
}

static void gen_submit(struct fz_thread *t)
{
	struct drm_gring_submit a = { 0 };
	struct vecspec vs = { .n = 2 };
	int r, f, bos[4] = { -1, -1, -1, -1 }, syncs[3] = { -1, -1, -1 };
	unsigned int i, n, nb = 0, ns = 0;
	bool vgpu;
	int m = -1;
	long ret;

	r = pick(t, FZ_O_RING, -1);
	if (r < 0) {
		gen_ring_create(t);
		return;
	}
	f = obj(t, r)->parent;
	vgpu = obj(t, r)->engine == DRM_GRING_ENGINE_VIRTIO_GPU;
	for (i = 0; i < 4; i++) {
		bos[i] = pick(t, FZ_O_BO, f);
		if (bos[i] >= 0)
			nb++;
	}
	/* At most 12: they fit in one vector of the record (fz_rec.vec). */
	n = fz_rng_pct(&t->rng, 90) ? 1 + fz_rng_below(&t->rng, 4) :
				      1 + fz_rng_below(&t->rng, 12);
	for (i = 0; i < n; i++) {
		int b = nb ? bos[fz_rng_below(&t->rng, nb)] : -1;

		if (b < 0)
			b = bos[0];
		if (vgpu)
			vgpu_cmd(t, (struct drm_gring_vgpu_cmd *)t->vbuf[0] + i,
				 b >= 0 ? obj(t, b) : NULL);
		else
			soft_cmd(t, (struct drm_gring_cmd *)t->vbuf[0] + i,
				 b >= 0 ? obj(t, b) : NULL);
	}

	/* In-syncs: syncobjs of the file, at a point that was used. */
	for (i = 0; i < 2; i++) {
		if (!fz_rng_pct(&t->rng, 25))
			continue;
		syncs[ns] = pick(t, FZ_O_SYNCOBJ, f);
		if (syncs[ns] < 0)
			continue;
		((struct drm_gring_sync *)t->vbuf[1])[ns] = (struct drm_gring_sync){
			.handle = obj(t, syncs[ns])->handle,
			.point = obj(t, syncs[ns])->point ?
				 1 + fz_rng_below(&t->rng, obj(t, syncs[ns])->point) : 0,
		};
		ns++;
	}
	if (fz_rng_pct(&t->rng, 50))
		syncs[2] = pick(t, FZ_O_SYNCOBJ, f);

	a.ring_id = obj(t, r)->handle;
	a.flags = fz_rng_pct(&t->rng, 80) ? DRM_GRING_SUBMIT_NONBLOCK : 0;
	a.cmds = (uintptr_t)t->vbuf[0];
	a.cmd_count = n;
	a.cmd_size = vgpu ? sizeof(struct drm_gring_vgpu_cmd) :
			    sizeof(struct drm_gring_cmd);
	a.in_syncs = ns ? (uintptr_t)t->vbuf[1] : 0;
	a.in_sync_count = ns;
	if (syncs[2] >= 0) {
		a.out_sync = obj(t, syncs[2])->handle;
		/* Timeline points only grow; racing threads may collide. */
		if (fz_rng_pct(&t->rng, 50))
			a.out_sync_point = obj(t, syncs[2])->point + 1;
	}

	/* Mutate the argument, or a field of one command or in-sync. */
	if (fz_rng_pct(&t->rng, t->ctx->opts.mutate_pct)) {
		unsigned int what = fz_rng_below(&t->rng, 3);
		void *v;

		if (what == 0) {
			m = mutate_one(t, &a, fz_desc(FZ_SUBMIT)->fields,
				       fz_desc(FZ_SUBMIT)->nr_fields);
		} else if (what == 1 || !ns) {
			v = (uint8_t *)t->vbuf[0] +
			    fz_rng_below(&t->rng, n) * a.cmd_size;
			if (vgpu)
				mutate_one(t, v, fz_vgpu_cmd_fields,
					   fz_vgpu_cmd_nr_fields);
			else
				mutate_one(t, v, fz_cmd_fields, fz_cmd_nr_fields);
		} else {
			v = (struct drm_gring_sync *)t->vbuf[1] +
			    fz_rng_below(&t->rng, ns);
			mutate_one(t, v, fz_sync_fields, fz_sync_nr_fields);
		}
	}
	vs.v[0].field_off = offsetof(struct drm_gring_submit, cmds);
	vs.v[0].len = n * (vgpu ? sizeof(struct drm_gring_vgpu_cmd) :
				  sizeof(struct drm_gring_cmd));
	vs.v[0].in = true;
	vs.v[1].field_off = offsetof(struct drm_gring_submit, in_syncs);
	vs.v[1].len = ns * sizeof(struct drm_gring_sync);
	vs.v[1].in = true;
	ret = do_ioctl(t, FZ_SUBMIT, obj(t, f)->fd, obj(t, r)->dev, &a, &vs, m);
	if (ret == 0 && syncs[2] >= 0 && a.out_sync_point >
	    obj(t, syncs[2])->point) {
		pthread_mutex_lock(&t->pool->lock);
		obj(t, syncs[2])->point = a.out_sync_point;
		pthread_mutex_unlock(&t->pool->lock);
	}
	for (i = 0; i < 4; i++)
		put(t, bos[i]);
	for (i = 0; i < 3; i++)
		put(t, syncs[i]);
	put(t, r);
}

/* --- CPU_PREP / CPU_FINI -------------------------------------------------- */

static void gen_cpu_prep(struct fz_thread *t)
{
	struct fz_obj h = { .type = FZ_O_HOLD };
	struct drm_gring_cpu_prep a;
	int b, m;
	uint64_t sz;

	if (count_of(t, FZ_O_HOLD) >= 32)
		return;
	b = pick(t, FZ_O_BO, -1);
	if (b < 0)
		return;
	sz = obj(t, b)->size;
	a = (struct drm_gring_cpu_prep){
		.handle = obj(t, b)->handle,
		.flags = (1 + fz_rng_below(&t->rng, 3)) |
			 (fz_rng_pct(&t->rng, 50) ? DRM_GRING_PREP_NOWAIT : 0),
		.size = 1 + fz_rng_below(&t->rng, sz),
		.timeout_ns = fz_rng_below(&t->rng, 20 * 1000 * 1000),
	};
	a.offset = fz_rng_below(&t->rng, sz - a.size + 1);
	m = maybe_mutate(t, FZ_CPU_PREP, &a);
	if (do_ioctl(t, FZ_CPU_PREP, obj(t, obj(t, b)->parent)->fd,
		     obj(t, b)->dev, &a, NULL, m) == 0) {
		/* The hold belongs to the BO's file: it goes with the BO. */
		h.parent = b;
		h.dev = obj(t, b)->dev;
		h.handle = a.handle;
		h.off = a.offset;
		h.size = a.size;
		add(t, &h);
	}
	put(t, b);
}

static void gen_cpu_fini(struct fz_thread *t)
{
	struct drm_gring_cpu_fini a;
	int h = pick(t, FZ_O_HOLD, -1), b, m;

	if (h < 0)
		return;
	b = obj(t, h)->parent;
	a = (struct drm_gring_cpu_fini){
		.handle = obj(t, h)->handle,
		.offset = obj(t, h)->off,
		.size = obj(t, h)->size,
	};
	m = maybe_mutate(t, FZ_CPU_FINI, &a);
	if (m < 0)
		remove_obj(t, h);
	do_ioctl(t, FZ_CPU_FINI, obj(t, obj(t, b)->parent)->fd,
		 obj(t, b)->dev, &a, NULL, m);
	put(t, h);
}

/* --- syncobjs, sync_files ------------------------------------------------- */

static void gen_syncobj_create(struct fz_thread *t)
{
	struct drm_syncobj_create a = {
		.flags = fz_rng_pct(&t->rng, 50) ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
	};
	struct fz_obj o = { .type = FZ_O_SYNCOBJ };
	int f;

	if (count_of(t, FZ_O_SYNCOBJ) >= 48)
		return;
	f = pick_drm(t);
	if (f < 0)
		return;
	if (do_ioctl(t, FZ_SYNCOBJ_CREATE, obj(t, f)->fd, obj(t, f)->dev, &a,
		     NULL, maybe_mutate(t, FZ_SYNCOBJ_CREATE, &a)) == 0) {
		o.parent = f;
		o.dev = obj(t, f)->dev;
		o.handle = a.handle;
		add(t, &o);
	}
	put(t, f);
}

static void gen_syncobj_destroy(struct fz_thread *t)
{
	int s = pick(t, FZ_O_SYNCOBJ, -1), m;
	struct drm_syncobj_destroy a;

	if (s < 0)
		return;
	a = (struct drm_syncobj_destroy){ .handle = obj(t, s)->handle };
	m = maybe_mutate(t, FZ_SYNCOBJ_DESTROY, &a);
	if (m < 0)
		remove_obj(t, s);
	do_ioctl(t, FZ_SYNCOBJ_DESTROY, obj(t, obj(t, s)->parent)->fd,
		 obj(t, s)->dev, &a, NULL, m);
	put(t, s);
}

/*
 * The array ioctls: WAIT, TIMELINE_WAIT, RESET, SIGNAL, TIMELINE_SIGNAL,
 * QUERY, on up to four syncobjs of one file.
 */
static void gen_syncobj_array(struct fz_thread *t, enum fz_kind kind)
{
	uint32_t *handles = (uint32_t *)t->vbuf[0];
	uint64_t *points = t->vbuf[1];
	int s[4] = { -1, -1, -1, -1 }, first, f;
	unsigned int i, n = 1 + fz_rng_below(&t->rng, 4);
	struct vecspec vs = { .n = 2 };
	union {
		struct drm_syncobj_wait w;
		struct drm_syncobj_timeline_wait tw;
		struct drm_syncobj_array arr;
		struct drm_syncobj_timeline_array tarr;
	} a;
	/* Short waits: a wait for submit on an idle syncobj never ends. */
	int64_t timeout = fz_rng_below(&t->rng, 2000000);
	uint32_t wflags = fz_rng_below(&t->rng, 8) &
			  (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE);

	first = pick(t, FZ_O_SYNCOBJ, -1);
	if (first < 0)
		return;
	f = obj(t, first)->parent;
	s[0] = first;
	for (i = 1; i < n; i++) {
		s[i] = pick(t, FZ_O_SYNCOBJ, f);
		if (s[i] < 0)
			break;
	}
	n = i;
	for (i = 0; i < n; i++) {
		handles[i] = obj(t, s[i])->handle;
		points[i] = kind == FZ_SYNCOBJ_TIMELINE_SIGNAL ?
			    obj(t, s[i])->point + 1 :
			    obj(t, s[i])->point ?
			    fz_rng_below(&t->rng, obj(t, s[i])->point + 1) : 0;
	}
	memset(&a, 0, sizeof(a));
	vs.v[0].len = n * 4;
	vs.v[0].in = true;
	vs.v[1].len = n * 8;
	vs.v[1].in = kind != FZ_SYNCOBJ_QUERY;
	switch (kind) {
	case FZ_SYNCOBJ_WAIT:
		a.w = (struct drm_syncobj_wait){
			.handles = (uintptr_t)handles, .count_handles = n,
			.timeout_nsec = timeout,
			.flags = wflags & ~DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE,
		};
		vs.n = 1;
		vs.v[0].field_off = offsetof(struct drm_syncobj_wait, handles);
		break;
	case FZ_SYNCOBJ_TIMELINE_WAIT:
		a.tw = (struct drm_syncobj_timeline_wait){
			.handles = (uintptr_t)handles,
			.points = (uintptr_t)points, .count_handles = n,
			.timeout_nsec = timeout, .flags = wflags,
		};
		vs.v[0].field_off = offsetof(struct drm_syncobj_timeline_wait, handles);
		vs.v[1].field_off = offsetof(struct drm_syncobj_timeline_wait, points);
		break;
	case FZ_SYNCOBJ_RESET:
	case FZ_SYNCOBJ_SIGNAL:
		a.arr = (struct drm_syncobj_array){
			.handles = (uintptr_t)handles, .count_handles = n,
		};
		vs.n = 1;
		vs.v[0].field_off = offsetof(struct drm_syncobj_array, handles);
		break;
	default:
		a.tarr = (struct drm_syncobj_timeline_array){
			.handles = (uintptr_t)handles,
			.points = (uintptr_t)points, .count_handles = n,
		};
		vs.v[0].field_off = offsetof(struct drm_syncobj_timeline_array, handles);
		vs.v[1].field_off = offsetof(struct drm_syncobj_timeline_array, points);
		break;
	}
	if (do_ioctl(t, kind, obj(t, f)->fd, obj(t, first)->dev, &a, &vs,
		     maybe_mutate(t, kind, &a)) == 0 &&
	    kind == FZ_SYNCOBJ_TIMELINE_SIGNAL) {
		pthread_mutex_lock(&t->pool->lock);
		for (i = 0; i < n; i++)
			if (points[i] > obj(t, s[i])->point)
				obj(t, s[i])->point = points[i];
		pthread_mutex_unlock(&t->pool->lock);
	}
	for (i = 0; i < n; i++)
		put(t, s[i]);
}

static void gen_syncobj_transfer(struct fz_thread *t)
{
	int src = pick(t, FZ_O_SYNCOBJ, -1), dst;
	struct drm_syncobj_transfer a;

	if (src < 0)
		return;
	dst = pick(t, FZ_O_SYNCOBJ, obj(t, src)->parent);
	if (dst < 0) {
		put(t, src);
		return;
	}
	a = (struct drm_syncobj_transfer){
		.src_handle = obj(t, src)->handle,
		.dst_handle = obj(t, dst)->handle,
		.src_point = obj(t, src)->point ?
			     fz_rng_below(&t->rng, obj(t, src)->point + 1) : 0,
		.dst_point = fz_rng_pct(&t->rng, 50) ? obj(t, dst)->point + 1 : 0,
	};
	if (do_ioctl(t, FZ_SYNCOBJ_TRANSFER, obj(t, obj(t, src)->parent)->fd,
		     obj(t, src)->dev, &a, NULL,
		     maybe_mutate(t, FZ_SYNCOBJ_TRANSFER, &a)) == 0 &&
	    a.dst_point > obj(t, dst)->point) {
		pthread_mutex_lock(&t->pool->lock);
		obj(t, dst)->point = a.dst_point;
		pthread_mutex_unlock(&t->pool->lock);
	}
	put(t, dst);
	put(t, src);
}

/* A syncobj as an fd, or its fence as a sync_file. */
static void gen_syncobj_export(struct fz_thread *t)
{
	int s = pick(t, FZ_O_SYNCOBJ, -1);
	struct fz_obj o = { .parent = -1 };
	struct drm_syncobj_handle a;
	bool sync_file = fz_rng_pct(&t->rng, 60);

	if (s < 0)
		return;
	a = (struct drm_syncobj_handle){
		.handle = obj(t, s)->handle,
		.flags = sync_file ? DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE : 0,
	};
	if (do_ioctl(t, FZ_SYNCOBJ_HANDLE_TO_FD, obj(t, obj(t, s)->parent)->fd,
		     obj(t, s)->dev, &a, NULL,
		     maybe_mutate(t, FZ_SYNCOBJ_HANDLE_TO_FD, &a)) == 0) {
		o.type = a.flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE ?
			 FZ_O_SYNC_FILE : FZ_O_SYNCOBJ_FD;
		o.fd = a.fd;
		o.dev = obj(t, s)->dev;
		if (count_of(t, o.type) >= 32 || add(t, &o) < 0)
			close(a.fd);
	}
	put(t, s);
}

/* Import a syncobj fd (a new handle), or a sync_file into a syncobj. */
static void gen_syncobj_import(struct fz_thread *t)
{
	bool sync_file = fz_rng_pct(&t->rng, 50);
	int x = pick(t, sync_file ? FZ_O_SYNC_FILE : FZ_O_SYNCOBJ_FD, -1);
	int f, s = -1;
	struct drm_syncobj_handle a = { 0 };
	struct fz_obj o = { .type = FZ_O_SYNCOBJ };

	if (x < 0)
		return;
	f = pick_drm(t);
	if (f < 0) {
		put(t, x);
		return;
	}
	a.fd = obj(t, x)->fd;
	if (sync_file) {
		s = pick(t, FZ_O_SYNCOBJ, f);
		if (s < 0)
			goto out;
		a.handle = obj(t, s)->handle;
		a.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE;
	}
	if (do_ioctl(t, FZ_SYNCOBJ_FD_TO_HANDLE, obj(t, f)->fd, obj(t, f)->dev,
		     &a, NULL, maybe_mutate(t, FZ_SYNCOBJ_FD_TO_HANDLE, &a)) == 0 &&
	    !a.flags && count_of(t, FZ_O_SYNCOBJ) < 48) {
		o.parent = f;
		o.dev = obj(t, f)->dev;
		o.handle = a.handle;
		add(t, &o);
	}
out:
	put(t, s);
	put(t, f);
	put(t, x);
}

static void gen_sync_merge(struct fz_thread *t)
{
	int x = pick(t, FZ_O_SYNC_FILE, -1), y;
	struct fz_obj o = { .type = FZ_O_SYNC_FILE, .parent = -1, .dev = -1 };
	struct sync_merge_data a = { .name = "fz" };

	if (x < 0)
		return;
	/* With itself if it is the only one: allowed, and a case of its own. */
	y = pick(t, FZ_O_SYNC_FILE, -1);
	a.fd2 = obj(t, y >= 0 ? y : x)->fd;
	if (do_ioctl(t, FZ_SYNC_MERGE, obj(t, x)->fd, -1, &a, NULL,
		     maybe_mutate(t, FZ_SYNC_MERGE, &a)) >= 0) {
		o.fd = a.fence;
		if (count_of(t, FZ_O_SYNC_FILE) >= 32 || add(t, &o) < 0)
			close(a.fence);
	}
	put(t, y);
	put(t, x);
}

static void gen_sync_file_info(struct fz_thread *t)
{
	int x = pick(t, FZ_O_SYNC_FILE, -1);
	struct sync_file_info a = { 0 };
	struct vecspec vs = { .n = 1 };
	unsigned int room = fz_rng_below(&t->rng, 4);

	if (x < 0)
		return;
	if (room) {
		a.num_fences = room;
		a.sync_fence_info = (uintptr_t)t->vbuf[0];
	}
	vs.v[0].field_off = offsetof(struct sync_file_info, sync_fence_info);
	vs.v[0].len = room * sizeof(struct sync_fence_info);
	do_ioctl(t, FZ_SYNC_FILE_INFO, obj(t, x)->fd, -1, &a, &vs,
		 maybe_mutate(t, FZ_SYNC_FILE_INFO, &a));
	put(t, x);
}

static void gen_poll(struct fz_thread *t)
{
	int x = pick(t, fz_rng_pct(&t->rng, 50) ? FZ_O_DMABUF : FZ_O_SYNC_FILE, -1);
	struct pollfd p;
	uint64_t a[5] = { 0 };
	int ret;

	if (x < 0)
		return;
	p = (struct pollfd){
		.fd = obj(t, x)->fd,
		.events = fz_rng_pct(&t->rng, 50) ? POLLIN : POLLIN | POLLOUT,
	};
	a[0] = p.events;
	a[1] = fz_rng_below(&t->rng, 3);
	ret = poll(&p, 1, (int)a[1]);
	log_sys(t, FZ_POLL, p.fd, -1, ret, errno, a);
	put(t, x);
}

/* --- dma-bufs ------------------------------------------------------------- */

static void gen_prime_export(struct fz_thread *t)
{
	int b = pick(t, FZ_O_BO, -1);
	struct fz_obj o = { .type = FZ_O_DMABUF, .parent = -1 };
	struct drm_prime_handle a;

	if (b < 0)
		return;
	a = (struct drm_prime_handle){
		.handle = obj(t, b)->handle,
		.flags = DRM_CLOEXEC | (fz_rng_pct(&t->rng, 80) ? DRM_RDWR : 0),
	};
	if (do_ioctl(t, FZ_PRIME_HANDLE_TO_FD, obj(t, obj(t, b)->parent)->fd,
		     obj(t, b)->dev, &a, NULL,
		     maybe_mutate(t, FZ_PRIME_HANDLE_TO_FD, &a)) == 0) {
		o.fd = a.fd;
		o.dev = obj(t, b)->dev;
		o.size = obj(t, b)->size;
		if (count_of(t, FZ_O_DMABUF) >= 32 || add(t, &o) < 0)
			close(a.fd);
	}
	put(t, b);
}

/* Import a dma-buf into a file (its own device's, or another's). */
static void gen_prime_import(struct fz_thread *t)
{
	int x = pick(t, FZ_O_DMABUF, -1), f;
	struct fz_obj o = { .type = FZ_O_BO };
	struct drm_prime_handle a;

	if (x < 0)
		return;
	f = pick_drm(t);
	if (f < 0) {
		put(t, x);
		return;
	}
	a = (struct drm_prime_handle){ .fd = obj(t, x)->fd };
	if (do_ioctl(t, FZ_PRIME_FD_TO_HANDLE, obj(t, f)->fd, obj(t, f)->dev,
		     &a, NULL, maybe_mutate(t, FZ_PRIME_FD_TO_HANDLE, &a)) == 0 &&
	    count_of(t, FZ_O_BO) < 96) {
		/*
		 * The same BO may now have this handle twice in the pool
		 * (import of its own export): closing one makes the other
		 * stale, which is ENOENT and allowed.
		 */
		o.parent = f;
		o.dev = obj(t, f)->dev;
		o.handle = a.handle;
		o.size = obj(t, x)->size;
		add(t, &o);
	}
	put(t, f);
	put(t, x);
}

static void gen_dmabuf_sync(struct fz_thread *t)
{
	int x = pick(t, FZ_O_DMABUF, -1);
	struct dma_buf_sync a = {
		.flags = (fz_rng_pct(&t->rng, 50) ? DMA_BUF_SYNC_START : DMA_BUF_SYNC_END) |
			 (1 + fz_rng_below(&t->rng, 3)),
	};

	if (x < 0)
		return;
	do_ioctl(t, FZ_DMABUF_SYNC, obj(t, x)->fd, -1, &a, NULL,
		 maybe_mutate(t, FZ_DMABUF_SYNC, &a));
	put(t, x);
}

static void gen_dmabuf_export_sync(struct fz_thread *t)
{
	int x = pick(t, FZ_O_DMABUF, -1);
	struct fz_obj o = { .type = FZ_O_SYNC_FILE, .parent = -1, .dev = -1 };
	struct dma_buf_export_sync_file a = {
		.flags = 1 + fz_rng_below(&t->rng, 3),
	};

	if (x < 0)
		return;
	if (do_ioctl(t, FZ_DMABUF_EXPORT_SYNC_FILE, obj(t, x)->fd, -1, &a,
		     NULL, maybe_mutate(t, FZ_DMABUF_EXPORT_SYNC_FILE, &a)) == 0) {
		o.fd = a.fd;
		if (count_of(t, FZ_O_SYNC_FILE) >= 32 || add(t, &o) < 0)
			close(a.fd);
	}
	put(t, x);
}

static void gen_dmabuf_import_sync(struct fz_thread *t)
{
	int x = pick(t, FZ_O_DMABUF, -1), s;
	struct dma_buf_import_sync_file a;

	if (x < 0)
		return;
	s = pick(t, FZ_O_SYNC_FILE, -1);
	if (s < 0) {
		put(t, x);
		return;
	}
	a = (struct dma_buf_import_sync_file){
		.flags = 1 + fz_rng_below(&t->rng, 3),
		.fd = obj(t, s)->fd,
	};
	do_ioctl(t, FZ_DMABUF_IMPORT_SYNC_FILE, obj(t, x)->fd, -1, &a, NULL,
		 maybe_mutate(t, FZ_DMABUF_IMPORT_SYNC_FILE, &a));
	put(t, s);
	put(t, x);
}

/* --- fork ----------------------------------------------------------------- */

/*
 * A child shares the files of the moment (the same DRM files: their
 * rings, BOs and holds), makes a few calls of its own on them, and exits
 * without cleaning up, so the kernel's last-close paths run with the
 * parent's calls in flight. It works on a copy of the pool made under the
 * lock, with every object borrowed across the fork, so no fd it was given
 * is closed before it had its copy; it touches nothing shared afterwards
 * (another thread may have held any lock at the fork).
 */
static void gen_fork(struct fz_thread *t)
{
	struct fz_pool *p = t->pool, *copy;
	uint64_t a[5] = { 0 };
	unsigned int i, n;
	int status = 0;
	pid_t pid;

	if (t->child || !t->ctx->opts.fork)
		return;
	copy = malloc(sizeof(*copy));
	if (!copy)
		return;
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < FZ_POOL_MAX; i++)
		if (p->objs[i].type != FZ_NR_OTYPES && p->objs[i].live)
			get_locked(p, i);
	*copy = *p;
	pthread_mutex_unlock(&p->lock);
	n = 5 + fz_rng_below(&t->rng, 20);
	a[0] = n;

	pid = fork();
	if (pid == 0) {
		struct fz_thread *c = t;

		pthread_mutex_init(&copy->lock, NULL);
		for (i = 0; i < FZ_POOL_MAX; i++)
			copy->objs[i].users = 0;
		c->pool = copy;
		c->child = true;
		fz_rng_seed(&c->rng, t->ctx->opts.seed,
			    ((uint64_t)t->idx << 32) | (t->calls & 0xffffffff));
		for (i = 0; i < n && !c->child_failed; i++)
			fz_step(c);
		_exit(c->child_failed ? 1 : 0);
	}
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < FZ_POOL_MAX; i++)
		if (copy->objs[i].type != FZ_NR_OTYPES && copy->objs[i].live)
			put_locked(t, i);
	pthread_mutex_unlock(&p->lock);
	free(copy);
	if (pid > 0)
		waitpid(pid, &status, 0);
	a[1] = status;
	log_sys(t, FZ_FORK, -1, -1, pid < 0 ? -1 : 0, errno, a);
	if (pid > 0 && (!WIFEXITED(status) || WEXITSTATUS(status)))
		fz_fail(t->ctx, t, "a forked child failed (its reproducer is above)");
}

/* --- choosing ------------------------------------------------------------- */

struct gen {
	void (*fn)(struct fz_thread *t);
	unsigned int weight;
};

static void gen_sync_wait(struct fz_thread *t) { gen_syncobj_array(t, FZ_SYNCOBJ_WAIT); }
static void gen_tl_wait(struct fz_thread *t) { gen_syncobj_array(t, FZ_SYNCOBJ_TIMELINE_WAIT); }
static void gen_reset(struct fz_thread *t) { gen_syncobj_array(t, FZ_SYNCOBJ_RESET); }
static void gen_signal(struct fz_thread *t) { gen_syncobj_array(t, FZ_SYNCOBJ_SIGNAL); }
static void gen_tl_signal(struct fz_thread *t) { gen_syncobj_array(t, FZ_SYNCOBJ_TIMELINE_SIGNAL); }
static void gen_query(struct fz_thread *t) { gen_syncobj_array(t, FZ_SYNCOBJ_QUERY); }

/* Weights: SUBMIT and what feeds it first; teardown often enough to churn. */
static const struct gen gens[] = {
	{ gen_submit, 30 },
	{ gen_gem_create, 6 },
	{ gen_gem_close, 3 },
	{ gen_mmap_offset, 2 },
	{ gen_mmap, 3 },
	{ gen_munmap, 2 },
	{ gen_touch, 4 },
	{ gen_ring_create, 3 },
	{ gen_ring_destroy, 2 },
	{ gen_ring_query, 4 },
	{ gen_cpu_prep, 5 },
	{ gen_cpu_fini, 4 },
	{ gen_syncobj_create, 3 },
	{ gen_syncobj_destroy, 2 },
	{ gen_sync_wait, 3 },
	{ gen_tl_wait, 2 },
	{ gen_reset, 1 },
	{ gen_signal, 1 },
	{ gen_tl_signal, 1 },
	{ gen_query, 1 },
	{ gen_syncobj_transfer, 1 },
	{ gen_syncobj_export, 3 },
	{ gen_syncobj_import, 2 },
	{ gen_sync_merge, 1 },
	{ gen_sync_file_info, 2 },
	{ gen_poll, 2 },
	{ gen_prime_export, 2 },
	{ gen_prime_import, 2 },
	{ gen_dmabuf_sync, 2 },
	{ gen_dmabuf_export_sync, 1 },
	{ gen_dmabuf_import_sync, 1 },
	{ gen_get_param, 1 },
	{ gen_open, 1 },
	{ gen_close, 2 },
	{ gen_fork, 1 },
};

void fz_step(struct fz_thread *t)
{
	unsigned int total = 0, i, r;

	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++)
		total += gens[i].weight;
	r = fz_rng_below(&t->rng, total);
	for (i = 0; r >= gens[i].weight; i++)
		r -= gens[i].weight;
	gens[i].fn(t);
}

void fz_pool_drain(struct fz_thread *t)
{
	unsigned int i;

	/* Handles go with their files; mappings and fds are closed. */
	for (i = 0; i < FZ_POOL_MAX; i++) {
		struct fz_obj *o = &t->pool->objs[i];

		if (o->type == FZ_NR_OTYPES || !o->live)
			continue;
		if (o->type == FZ_O_BO || o->type == FZ_O_RING ||
		    o->type == FZ_O_SYNCOBJ || o->type == FZ_O_HOLD) {
			o->live = false;
			continue;
		}
		o->users++;
		remove_obj(t, i);
		put(t, i);
	}
}
