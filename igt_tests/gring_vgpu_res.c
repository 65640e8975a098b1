// SPDX-License-Identifier: MIT
/*
 * gring_vgpu_res: the virtio-gpu engine's resources as the device holds
 * them. A resource's device id is taken as long as the device may hold
 * the resource or a queued command names it, so a late command of one
 * file can never reach another file's resource; what the device refused
 * or never got is rolled back (a CREATE_2D, an ATTACH, a DETACH); and a
 * scanout belongs to the file that set it until that file blanks it or
 * closes.
 *
 * Commands are held back behind a soft-engine STALL on the same device
 * (the job's in-sync), or made to be skipped behind a soft-engine job
 * that faults (debugfs gring_inject_faults). What the kernel keeps is read
 * from debugfs gring_vgpu: its "resource <hw id>: ..." lines, printed at
 * each step, and its "scanout <n>: owned by a file" lines. Root, like
 * gring_vgpu (gring-root.txt): it moves the device between drivers and
 * reads and writes debugfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"
#include "gring_ring_test.h"
#include "gring_virtio_test.h"
#include "gring_vgpu_test.h"

IGT_TEST_DESCRIPTION("virtio-gpu resources follow the device: ids never reused under a queued command, refused or skipped commands rolled back, scanouts owned by one file.");

/* The virtio spec's error responses (<linux/virtio_gpu.h>). */
#define RESP_ERR_UNSPEC			0x1200
#define RESP_ERR_INVALID_RESOURCE_ID	0x1203

#define STALL_NS	(1000 * NSEC_PER_MSEC)
#define SETTLE_TRIES	1000		/* of 10 ms: 10 s */

/* ---- debugfs gring_vgpu's resource and scanout lines ------------------- */

/* "  resource <hw id>: <w>x<h> refs <n> backing attached|none[, ...]" */
struct res_line {
	uint32_t id, w, h, refs;
	bool attached, stale, gone;
};

#define MAX_LINES	64

/*
 * The resource lines of debugfs gring_vgpu into @out (at most MAX_LINES);
 * with @what, the resource and scanout lines are printed under it.
 */
static unsigned int res_lines(int fd, struct res_line *out, const char *what)
{
	char *text = vgpu_debugfs_text(fd), *p, *nl;
	unsigned int n = 0;

	if (what)
		igt_info("debugfs gring_vgpu, %s:\n", what);
	for (p = text; p && *p; p = nl ? nl + 1 : NULL) {
		struct res_line r = {};
		char backing[16];

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (what && (!strncmp(p, "resources ", 10) ||
			     !strncmp(p, "  resource ", 11) ||
			     !strncmp(p, "  scanout ", 10)))
			igt_info("  | %s\n", p);
		if (strncmp(p, "  resource ", 11))
			continue;
		igt_assert_f(sscanf(p, "  resource %u: %ux%u refs %u backing %15[a-z]",
				    &r.id, &r.w, &r.h, &r.refs, backing) == 5,
			     "bad resource line: \"%s\"\n", p);
		igt_assert_f(!strcmp(backing, "attached") ||
			     !strcmp(backing, "none"),
			     "bad resource line: \"%s\"\n", p);
		r.attached = !strcmp(backing, "attached");
		r.stale = strstr(p, ", stale backings held");
		r.gone = strstr(p, ", gone from the device");
		igt_assert_f(n < MAX_LINES, "more than %u resources\n",
			     MAX_LINES);
		out[n++] = r;
	}
	free(text);
	return n;
}

static const struct res_line *find_id(const struct res_line *l, unsigned int n,
				      uint32_t id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (l[i].id == id)
			return &l[i];
	return NULL;
}

/* The one resource of @w x @h, which must be there exactly once. */
static const struct res_line *find_size(const struct res_line *l,
					unsigned int n, uint32_t w, uint32_t h)
{
	const struct res_line *found = NULL;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (l[i].w != w || l[i].h != h)
			continue;
		igt_assert_f(!found, "two %ux%u resources: ids %u and %u\n",
			     w, h, found->id, l[i].id);
		found = &l[i];
	}
	igt_assert_f(found, "no %ux%u resource in debugfs\n", w, h);
	return found;
}

static void assert_ids_distinct(const struct res_line *l, unsigned int n)
{
	unsigned int i, k;

	for (i = 0; i < n; i++)
		for (k = i + 1; k < n; k++)
			igt_assert_f(l[i].id != l[k].id,
				     "device id %u is taken twice (%ux%u and %ux%u)\n",
				     l[i].id, l[i].w, l[i].h, l[k].w, l[k].h);
}

/* Poll until the device id @id is given back; false after 10 s. */
static bool wait_id_free(int fd, uint32_t id)
{
	struct res_line l[MAX_LINES];
	unsigned int i;

	for (i = 0; i < SETTLE_TRIES; i++) {
		if (!find_id(l, res_lines(fd, l, NULL), id))
			return true;
		usleep(10 * 1000);
	}
	return false;
}

static bool scanout_owned(int fd, uint32_t scanout)
{
	char *text = vgpu_debugfs_text(fd), line[64];
	bool owned;

	snprintf(line, sizeof(line), "\n  scanout %u: owned by a file\n",
		 scanout);
	owned = strstr(text, line);
	free(text);
	return owned;
}

/*
 * Wait until nobody owns @scanout: a closed file gives its scanouts back
 * shortly after close returned (uapi version 5). False after 10 s.
 */
static bool wait_scanout_free(int fd, uint32_t scanout)
{
	unsigned int i;

	for (i = 0; i < SETTLE_TRIES; i++) {
		if (!scanout_owned(fd, scanout))
			return true;
		usleep(10 * 1000);
	}
	return false;
}

/*
 * The files and mappings of a subtest, closed and unmapped by the next
 * one if it failed half-way (an assertion leaves them; a mapping keeps
 * its file open), so that its resources and scanouts do not make every
 * later subtest fail too.
 */
static int open_fds[8];
static unsigned int nr_open_fds;
static struct { void *p; uint64_t size; } maps[8];
static unsigned int nr_maps;

static void *vmap(int fd, uint32_t bo, uint64_t size)
{
	void *p = igt_gring_gem_mmap(fd, bo, size);

	igt_assert(nr_maps < sizeof(maps) / sizeof(maps[0]));
	maps[nr_maps].p = p;
	maps[nr_maps++].size = size;
	return p;
}

static void vunmap(void *p, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < nr_maps; i++) {
		if (maps[i].p == p) {
			maps[i] = maps[--nr_maps];
			break;
		}
	}
	igt_assert_eq(munmap(p, size), 0);
}

static int vopen(void)
{
	int fd = vgpu_open();

	igt_assert(nr_open_fds < sizeof(open_fds) / sizeof(open_fds[0]));
	open_fds[nr_open_fds++] = fd;
	return fd;
}

static void vclose(int fd)
{
	unsigned int i;

	for (i = 0; i < nr_open_fds; i++) {
		if (open_fds[i] == fd) {
			open_fds[i] = open_fds[--nr_open_fds];
			break;
		}
	}
	igt_assert_eq(close(fd), 0);
}

static void close_leftovers(void)
{
	while (nr_maps) {
		nr_maps--;
		munmap(maps[nr_maps].p, maps[nr_maps].size);
	}
	while (nr_open_fds)
		close(open_fds[--nr_open_fds]);
}

/*
 * Every subtest starts on a device without resources or scanout owners:
 * the earlier subtests' files are closed, and let go of all of it shortly
 * after.
 */
static struct vgpu_stats settled_start(int watch)
{
	struct vgpu_stats s = vgpu_stats_settle(watch, 0);

	igt_assert_f(s.resources == 0,
		     "%" PRIu64 " resources left by earlier subtests\n",
		     s.resources);
	igt_assert_f(wait_scanout_free(watch, 0),
		     "scanout 0 still owned after earlier subtests\n");
	return s;
}

static void fill(uint32_t *px, uint64_t bytes, uint32_t salt)
{
	uint64_t i;

	for (i = 0; i < bytes / CPP; i++)
		px[i] = word_pattern(i, salt) & 0x00ffffff;
}

static const char *errname(int status)
{
	return status == 1 ? "OK" : status == 0 ? "busy" : strerror(-status);
}

/* ---- virtio-no-cross-file-resource ------------------------------------- */

#define A_W	40u	/* A's resource: a size nobody else uses */
#define A_H	30u
#define B_W	64u
#define B_H	64u
#define B3_W	16u
#define B3_H	16u
#define A_CMDS	6u

/*
 * File A queues commands on its resource 1 behind a 1 s stall (ring 1),
 * then unrefs it on ring 2, which the device executes at once; file B,
 * another open of the same device, then creates three resources, backs,
 * transfers, flushes and shows one of them, while A's job is still
 * queued. A's resource is gone from the device but its device id stays
 * taken until A's job is done: B's resources get other ids, and A's job,
 * once it runs, reaches no resource at all (each command: the device's
 * ERR_INVALID_RESOURCE_ID). B's state is then intact: its resources are
 * there with its backings, and its resource 1, created without backing,
 * takes one (an ATTACH of A's to it would make the device refuse B's).
 *
 * A closes both of its BOs while its job is queued: the kernel keeps what
 * the device may still read (KASAN on the debug lane watches).
 */
static void test_no_cross_file(void)
{
	const uint64_t a_size = igt_gring_page_round(A_W * A_H * CPP);
	const uint64_t b_size = igt_gring_page_round(B_W * B_H * CPP);
	const uint64_t b3_size = igt_gring_page_round(B3_W * B3_H * CPP);
	const uint64_t b_bo_size = 2 * b_size + b3_size;
	int watch = vopen();
	struct vgpu_stats base = settled_start(watch), s;
	struct igt_gring_gem_stats gem0 = igt_gring_gem_stats(watch), gem1;
	int a = vopen(), b = vopen();
	uint32_t ra1 = vring_create(a), ra2 = vring_create(a);
	uint32_t sring = ring_create(a, 0), rb = vring_create(b);
	uint32_t bo_a = igt_gring_gem_create(a, a_size, NULL);
	uint32_t bo_a2 = igt_gring_gem_create(a, a_size, NULL);
	uint32_t resp = igt_gring_gem_create(a, 4096, NULL);
	uint32_t bo_b = igt_gring_gem_create(b, b_bo_size, NULL);
	uint8_t *rmap = vmap(a, resp, 4096);
	uint32_t *pa = vmap(a, bo_a, a_size);
	uint32_t *pa2 = vmap(a, bo_a2, a_size);
	uint32_t *pb = vmap(b, bo_b, b_bo_size);
	uint32_t gate = syncobj_create(a), a_done = syncobj_create(a);
	struct drm_gring_cmd stall = cmd_stall(STALL_NS);
	struct res_line l0[MAX_LINES], l1[MAX_LINES], l2[MAX_LINES];
	struct res_line l3[MAX_LINES];
	const struct res_line *r, *ra;
	struct drm_gring_vgpu_cmd c[8];
	uint32_t hw_a, b_ids[3] = {};
	unsigned int n0, n1, n2, n3, i, nb = 0;
	int status;

	fill(pa, a_size, 0xa);
	fill(pa2, a_size, 0xa2);
	fill(pb, b_bo_size, 0xb);
	memset(rmap, 0xff, 4096);

	/* A: resource 1 with a backing; its device id is A's. */
	c[0] = c_create(1, A_W, A_H);
	c[1] = c_attach(1, bo_a, 0, a_size);
	vrun_ok(a, ra1, c, 2);
	n0 = res_lines(watch, l0, "A's resource 1 created and backed");
	ra = find_size(l0, n0, A_W, A_H);
	hw_a = ra->id;
	igt_assert(ra->attached && !ra->gone);
	igt_info("A's resource 1 is device id %u\n", hw_a);

	/*
	 * A, ring 1: commands on resource 1 held back behind the stall --
	 * transfer and flush, then a new backing, transfer and flush again.
	 */
	submit(a, sring, &stall, 1, gate);
	c[0] = with_resp(c_transfer(1, A_W, 0, 0, A_W, A_H), resp, 0);
	c[1] = with_resp(c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, A_W,
				A_H), resp, 64);
	c[2] = with_resp(c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1), resp,
			 128);
	c[3] = with_resp(c_attach(1, bo_a2, 0, a_size), resp, 192);
	c[4] = with_resp(c_transfer(1, A_W, 0, 0, A_W, A_H), resp, 256);
	c[5] = with_resp(c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, A_W,
				A_H), resp, 320);
	igt_assert_eq(__vsubmit(a, ra1, c, A_CMDS, gate, a_done, NULL), 0);

	/* A, ring 2: unref resource 1. Nothing holds it back. */
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 1);
	vrun_ok(a, ra2, c, 1);
	/* And A lets go of both BOs the queued job names. */
	vunmap(pa, a_size);
	vunmap(pa2, a_size);
	gem_close(a, bo_a);
	gem_close(a, bo_a2);
	igt_assert_f(syncobj_status(a, a_done) == 0,
		     "A's job is no longer queued behind the %u ms stall\n",
		     (unsigned int)(STALL_NS / NSEC_PER_MSEC));

	n1 = res_lines(watch, l1, "A's job queued, A's resource 1 unref'd");
	r = find_id(l1, n1, hw_a);
	igt_assert_f(r, "device id %u given back while A's job naming it is queued\n",
		     hw_a);
	igt_assert_f(r->gone, "the device executed the UNREF of id %u, but debugfs does not say it is gone\n",
		     hw_a);
	igt_assert_f(r->refs >= 1, "id %u: refs %u\n", hw_a, r->refs);

	/*
	 * B, while A's job is queued: resources 1 (no backing yet), 2 (backed,
	 * transferred, on scanout 0, flushed) and 3 (backed).
	 */
	c[0] = c_create(1, B_W, B_H);
	c[1] = c_create(2, B_W, B_H);
	c[2] = c_create(3, B3_W, B3_H);
	c[3] = c_attach(2, bo_b, 0, b_size);
	c[4] = c_transfer(2, B_W, 0, 0, B_W, B_H);
	c[5] = c_scanout(0, 2, B_W, B_H);
	c[6] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 2, 0, 0, B_W, B_H);
	c[7] = c_attach(3, bo_b, 2 * b_size, b3_size);
	vrun_ok(b, rb, c, 8);
	igt_assert_f(syncobj_status(a, a_done) == 0,
		     "A's job ran before B was done: the test proves nothing\n");

	n2 = res_lines(watch, l2, "B's resources made, A's job still queued");
	assert_ids_distinct(l2, n2);
	r = find_id(l2, n2, hw_a);
	igt_assert_f(r && r->gone && r->w == A_W && r->h == A_H,
		     "A's old device id %u is not A's gone resource any more\n",
		     hw_a);
	for (i = 0; i < n2; i++) {
		if (find_id(l1, n1, l2[i].id))
			continue;
		igt_assert_f(nb < 3, "more than 3 new resources\n");
		b_ids[nb++] = l2[i].id;
		igt_assert_f(l2[i].id != hw_a, "B got A's device id %u\n",
			     hw_a);
		igt_assert(!l2[i].gone && !l2[i].stale);
	}
	igt_assert_eq(nb, 3);
	igt_info("B's resources are device ids %u, %u, %u; A's %u is still taken\n",
		 b_ids[0], b_ids[1], b_ids[2], hw_a);

	/* A's job runs now, and reaches nothing: its resource is gone. */
	igt_assert_eq(syncobj_wait(a, a_done, 3 * STALL_NS + JOB_TIMEOUT), 0);
	status = syncobj_status(a, a_done);
	igt_info("A's held-back job: %d (%s)\n", status, errname(status));
	igt_assert_f(status == -EINVAL,
		     "A's job on its unref'd resource ended %d (%s), not -EINVAL: did it reach another resource?\n",
		     status, errname(status));
	for (i = 0; i < A_CMDS; i++) {
		uint32_t t = resp_type(a, resp, rmap, i * 64);

		igt_assert_f(t == RESP_ERR_INVALID_RESOURCE_ID,
			     "A's command %u: response %#x, want %#x (no such resource)\n",
			     i, t, RESP_ERR_INVALID_RESOURCE_ID);
	}

	/* Nothing names A's resource now: its id is given back. */
	igt_assert_f(wait_id_free(watch, hw_a),
		     "device id %u still taken 10 s after A's job\n", hw_a);

	/*
	 * B: resource 1 takes its backing (the device would refuse it if A's
	 * ATTACH had reached it), and everything of B's works.
	 */
	c[0] = c_attach(1, bo_b, b_size, b_size);
	c[1] = c_transfer(1, B_W, 0, 0, B_W, B_H);
	c[2] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, B_W, B_H);
	c[3] = c_transfer(2, B_W, 0, 0, B_W, B_H);
	c[4] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 2, 0, 0, B_W, B_H);
	c[5] = c_transfer(3, B3_W, 0, 0, B3_W, B3_H);
	status = vrun(b, rb, c, 6);
	igt_assert_f(status == 1,
		     "B's attach, transfers and flushes after A's job: %d (%s)\n",
		     status, errname(status));
	n3 = res_lines(watch, l3, "A's job done, B's resource 1 backed");
	assert_ids_distinct(l3, n3);
	for (i = 0; i < nb; i++) {
		r = find_id(l3, n3, b_ids[i]);
		igt_assert_f(r, "B's device id %u is gone\n", b_ids[i]);
		igt_assert_f(r->attached && !r->gone && !r->stale,
			     "B's device id %u: backing %s%s%s\n", b_ids[i],
			     r->attached ? "attached" : "none",
			     r->gone ? ", gone" : "", r->stale ? ", stale" : "");
	}

	/* B off the scanout; both files close; nothing is left. */
	c[0] = c_scanout(0, 0, 0, 0);
	vrun_ok(b, rb, c, 1);
	vunmap(rmap, 4096);
	vunmap(pb, b_bo_size);
	vclose(a);
	vclose(b);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	assert_queue_idle(&s);
	gem1 = igt_gring_gem_stats_settle(watch, gem0);
	igt_assert_eq_u64(gem1.objects, gem0.objects);
	igt_assert_eq_u64(gem1.bytes, gem0.bytes);
	vclose(watch);
}

/*
 * SUBMIT @c, which creates an id whose earlier CREATE the device refused
 * or never got, right after that job's fence. The kernel rolls that
 * CREATE back when it frees the job, which may be after the fence has
 * signalled: an -EEXIST then is counted in @eexist (and retried for up to
 * 10 s), so that a subtest may tell the two apart.
 */
static int submit_recreate(int fd, uint32_t ring,
			   const struct drm_gring_vgpu_cmd *c, uint32_t n,
			   uint32_t sync, unsigned int *eexist)
{
	unsigned int i;
	int ret = __vsubmit(fd, ring, c, n, 0, sync, NULL);

	if (ret != -EEXIST)
		return ret;
	if ((*eexist)++ < 3)
		igt_info("CREATE of an id right after its refused or skipped CREATE's fence: -EEXIST\n");
	for (i = 0; i < SETTLE_TRIES && ret == -EEXIST; i++) {
		usleep(10 * 1000);
		ret = __vsubmit(fd, ring, c, n, 0, sync, NULL);
	}
	return ret;
}

/* ---- virtio-refused-create-rolls-back ----------------------------------- */

#define RC_ROUNDS	10u
#define RC_ROUNDS_AT_FENCE	300u
#define RC_W		64u
#define RC_H		64u

/*
 * A CREATE_2D the device refuses (16384 x 16384: 1 GiB, over QEMU's 2D
 * host memory) leaves the file without that resource: the same id can be
 * created again, backed and used, and debugfs counts just that one.
 * @at_fence: and that already once the refused one's fence has signalled
 * (no -EEXIST in any of @rounds), else within 10 s.
 */
static void test_refused_create(unsigned int rounds, bool at_fence)
{
	const uint32_t max = DRM_GRING_VGPU_MAX_DIM;
	const uint64_t size = igt_gring_page_round(RC_W * RC_H * CPP);
	int fd = vopen(), watch = vopen();
	struct vgpu_stats base = settled_start(watch), s;
	uint32_t ring = vring_create(fd);
	uint32_t bo = igt_gring_gem_create(fd, size, NULL);
	uint32_t resp = igt_gring_gem_create(fd, 4096, NULL);
	uint8_t *rmap = vmap(fd, resp, 4096);
	uint32_t sync = syncobj_create(fd);
	struct res_line l[MAX_LINES];
	struct drm_gring_vgpu_cmd c[3];
	unsigned int round, n, eexist = 0;
	int ret, status;

	for (round = 0; round < rounds; round++) {
		c[0] = with_resp(c_create(7, max, max), resp, 0);
		status = vrun(fd, ring, c, 1);
		igt_assert_f(status == -ENOMEM, "round %u: the 16384x16384 CREATE: %d (%s)\n",
			     round, status, errname(status));
		igt_assert_eq_u32(resp_type(fd, resp, rmap, 0),
				  RESP_ERR_OUT_OF_MEMORY);

		/* The id is free again. */
		c[0] = c_create(7, RC_W, RC_H);
		c[1] = c_attach(7, bo, 0, size);
		ret = submit_recreate(fd, ring, c, 2, sync, &eexist);
		igt_assert_f(ret == 0, "round %u: CREATE + ATTACH of id 7: %d (%s)\n",
			     round, ret, errname(ret));
		igt_assert_eq(syncobj_wait(fd, sync, JOB_TIMEOUT), 0);
		status = syncobj_status(fd, sync);
		igt_assert_f(status == 1, "round %u: CREATE + ATTACH of id 7: %d (%s)\n",
			     round, status, errname(status));

		/* One resource, the 64x64 one, backed. */
		s = vgpu_stats_settle(watch, base.resources + 1);
		igt_assert_eq_u64(s.resources, base.resources + 1);
		n = res_lines(watch, l, round ? NULL : "id 7 created again");
		igt_assert_eq(n, 1);
		igt_assert(l[0].w == RC_W && l[0].h == RC_H);
		igt_assert(l[0].attached && !l[0].gone && !l[0].stale);

		c[0] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 7);
		vrun_ok(fd, ring, c, 1);
		s = vgpu_stats_settle(watch, base.resources);
		igt_assert_eq_u64(s.resources, base.resources);
	}
	igt_info("%u of %u rounds: -EEXIST right after the refused CREATE's fence\n",
		 eexist, rounds);
	igt_assert_f(!at_fence || eexist == 0,
		     "%u of %u rounds: the id of a CREATE the device refused was still the file's after its fence\n",
		     eexist, rounds);

	vunmap(rmap, 4096);
	gem_close(fd, bo);
	gem_close(fd, resp);
	vclose(fd);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	assert_queue_idle(&s);
	vclose(watch);
}

/* ---- virtio-skipped-job-rolls-back -------------------------------------- */

#define SK_W	32u
#define SK_H	32u

/*
 * A virtio-gpu job [CREATE 9, ATTACH 9, TRANSFER 9, CREATE 10] behind a
 * soft-engine job that faults (injected) is never sent: it ends
 * -ECANCELED, nothing reaches the device, and ids 9 and 10 are free again
 * (shortly after its fence: see submit_recreate()); likewise a job whose
 * in-fence had failed before it was submitted. Closing the file leaves
 * nothing.
 */
static void test_skipped_job(void)
{
	const uint64_t page = igt_gring_page_size();
	const uint64_t size = igt_gring_page_round(SK_W * SK_H * CPP);
	int fd = vopen(), watch = vopen();
	struct vgpu_stats base = settled_start(watch), s, before;
	struct igt_gring_gem_stats gem0 = igt_gring_gem_stats(watch), gem1;
	uint32_t vring = vring_create(fd), sring = ring_create(fd, 0);
	uint32_t wbo = igt_gring_gem_create(fd, page, NULL);
	uint32_t bo = igt_gring_gem_create(fd, size, NULL);
	uint32_t failed = syncobj_create(fd), vdone = syncobj_create(fd);
	uint32_t vdone2 = syncobj_create(fd);
	unsigned int eexist = 0;
	struct drm_gring_cmd soft[2] = {
		cmd_stall(200 * NSEC_PER_MSEC),
		cmd_write32(wbo, 0, 0xbad),
	};
	struct res_line l[MAX_LINES];
	struct drm_gring_vgpu_cmd c[4];
	unsigned int n;
	int status, ret;

	/* The soft job faults after its stall; the vgpu job waits for it. */
	igt_gring_inject_faults(fd, 1);
	submit(fd, sring, soft, 2, failed);
	before = vgpu_stats(watch);
	c[0] = c_create(9, SK_W, SK_H);
	c[1] = c_attach(9, bo, 0, size);
	c[2] = c_transfer(9, SK_W, 0, 0, SK_W, SK_H);
	c[3] = c_create(10, 8, 8);
	igt_assert_eq(__vsubmit(fd, vring, c, 4, failed, vdone, NULL), 0);
	igt_assert_eq(syncobj_status(fd, vdone), 0);
	n = res_lines(watch, l, "the job queued behind the faulting one");
	igt_assert_eq(n, 2);

	igt_assert_eq(syncobj_wait(fd, vdone, JOB_TIMEOUT), 0);
	status = syncobj_status(fd, failed);
	igt_assert_f(status == -EFAULT, "the soft job: %d (%s), want -EFAULT\n",
		     status, errname(status));
	status = syncobj_status(fd, vdone);
	igt_assert_f(status == -ECANCELED,
		     "the vgpu job behind it: %d (%s), want -ECANCELED\n",
		     status, errname(status));
	s = vgpu_stats(watch);
	igt_assert_eq_u64(s.sent, before.sent);

	/* Behind a fence that had already failed when it was submitted. */
	c[0] = c_create(11, 8, 8);
	igt_assert_eq(__vsubmit(fd, vring, c, 1, failed, vdone2, NULL), 0);
	igt_assert_eq(syncobj_wait(fd, vdone2, JOB_TIMEOUT), 0);
	status = syncobj_status(fd, vdone2);
	igt_assert_f(status == -ECANCELED,
		     "a vgpu job behind a failed fence: %d (%s), want -ECANCELED\n",
		     status, errname(status));
	s = vgpu_stats(watch);
	igt_assert_eq_u64(s.sent, before.sent);

	/* None of the ids is the file's. */
	c[0] = c_create(9, SK_W, SK_H);
	c[1] = c_attach(9, bo, 0, size);
	c[2] = c_create(10, 8, 8);
	c[3] = c_create(11, 8, 8);
	ret = submit_recreate(fd, vring, c, 4, vdone, &eexist);
	igt_assert_f(ret == 0,
		     "CREATE of ids 9, 10, 11 after their skipped jobs' fences: %d (%s)\n",
		     ret, errname(ret));
	if (eexist)
		igt_info("(ids 9, 10, 11 were free only some time after the skipped jobs' fences)\n");
	igt_assert_eq(syncobj_wait(fd, vdone, JOB_TIMEOUT), 0);
	status = syncobj_status(fd, vdone);
	igt_assert_f(status == 1, "ids 9, 10, 11 created again: %d (%s)\n",
		     status, errname(status));
	s = vgpu_stats_settle(watch, base.resources + 3);
	igt_assert_eq_u64(s.resources, base.resources + 3);
	igt_assert_eq_u64(s.sent, before.sent + 4);
	n = res_lines(watch, l, "ids 9, 10, 11 created again");
	igt_assert_eq(n, 3);
	igt_assert(find_size(l, n, SK_W, SK_H)->attached);

	/* Closed, the file leaves nothing. */
	gem_close(fd, wbo);
	gem_close(fd, bo);
	vclose(fd);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	assert_queue_idle(&s);
	gem1 = igt_gring_gem_stats_settle(watch, gem0);
	igt_assert_eq_u64(gem1.objects, gem0.objects);
	vclose(watch);
}

/* ---- virtio-scanout-owned ------------------------------------------------ */

#define SO_W	64u
#define SO_H	48u

/* A file with a ring and resource 1, backed and transferred. */
struct so_file {
	int fd;
	uint32_t ring, bo;
};

static struct so_file so_open(uint32_t salt)
{
	const uint64_t size = igt_gring_page_round(SO_W * SO_H * CPP);
	struct so_file f = { .fd = vopen() };
	struct drm_gring_vgpu_cmd c[3];
	uint32_t *px;

	f.ring = vring_create(f.fd);
	f.bo = igt_gring_gem_create(f.fd, size, NULL);
	px = vmap(f.fd, f.bo, size);
	fill(px, size, salt);
	vunmap(px, size);
	c[0] = c_create(1, SO_W, SO_H);
	c[1] = c_attach(1, f.bo, 0, size);
	c[2] = c_transfer(1, SO_W, 0, 0, SO_W, SO_H);
	vrun_ok(f.fd, f.ring, c, 3);
	return f;
}

/* SET_SCANOUT 0 to resource @id (0: blank), then FLUSH it; 0 or -errno. */
static int so_set(const struct so_file *f, uint32_t id)
{
	struct drm_gring_vgpu_cmd c[2] = {
		id ? c_scanout(0, id, SO_W, SO_H) : c_scanout(0, 0, 0, 0),
		c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, SO_W, SO_H),
	};
	uint32_t sync = syncobj_create(f->fd);
	int ret, status;

	ret = __vsubmit(f->fd, f->ring, c, 2, 0, sync, NULL);
	if (!ret) {
		igt_assert_eq(syncobj_wait(f->fd, sync, JOB_TIMEOUT), 0);
		status = syncobj_status(f->fd, sync);
		igt_assert_f(status == 1, "SET_SCANOUT 0 -> %u: job %d (%s)\n",
			     id, status, errname(status));
	}
	drmSyncobjDestroy(f->fd, sync);
	return ret;
}

/* A refused SET_SCANOUT: -EBUSY, nothing sent, the ring's seqno unchanged. */
static void so_refused(int watch, const struct so_file *f, uint32_t id,
		       const char *who)
{
	struct vgpu_stats s0 = vgpu_stats(watch), s1;
	uint64_t seq0 = ring_submitted(f->fd, f->ring, NULL, NULL);
	int ret = so_set(f, id);

	igt_assert_f(ret == -EBUSY, "%s's SET_SCANOUT 0 -> %u: %d (%s), want -EBUSY\n",
		     who, id, ret, errname(ret));
	s1 = vgpu_stats(watch);
	igt_assert_eq_u64(s1.sent, s0.sent);
	igt_assert_eq_u64(ring_submitted(f->fd, f->ring, NULL, NULL), seq0);
}

static void so_close(struct so_file *f)
{
	gem_close(f->fd, f->bo);
	vclose(f->fd);
	f->fd = -1;
}

/*
 * Scanout 0 belongs to the file that set it: another file's SET_SCANOUT
 * of it, its resource or blank, is -EBUSY and sends nothing, until the
 * owner blanks it or closes. A SUBMIT that fails for another reason claims
 * nothing.
 */
static void test_scanout_owned(void)
{
	int watch = vopen();
	struct vgpu_stats base = settled_start(watch), s;
	struct so_file a = so_open(0xa), b = so_open(0xb);
	struct res_line l[MAX_LINES];
	struct drm_gring_vgpu_cmd c[2];
	int ret;

	/* A SUBMIT that fails after its SET_SCANOUT claims nothing. */
	c[0] = c_scanout(0, 1, SO_W, SO_H);
	c[1] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 77, 0, 0, 1, 1);
	igt_assert_eq(__vsubmit(b.fd, b.ring, c, 2, 0, 0, NULL), -ENOENT);
	igt_assert(!scanout_owned(watch, 0));

	/* A takes scanout 0. */
	igt_assert_eq(so_set(&a, 1), 0);
	res_lines(watch, l, "A shows its resource on scanout 0");
	igt_assert(scanout_owned(watch, 0));
	/* Its own again: a page flip to the same resource. */
	igt_assert_eq(so_set(&a, 1), 0);

	/* B can neither show its resource nor blank A's. */
	so_refused(watch, &b, 1, "B");
	so_refused(watch, &b, 0, "B");
	igt_assert(scanout_owned(watch, 0));

	/* A blanks it: B may take it, and then A may not. */
	igt_assert_eq(so_set(&a, 0), 0);
	igt_assert(!scanout_owned(watch, 0));
	ret = so_set(&b, 1);
	igt_assert_f(ret == 0, "B's SET_SCANOUT after A blanked: %d (%s)\n",
		     ret, errname(ret));
	res_lines(watch, l, "B shows its resource on scanout 0");
	igt_assert(scanout_owned(watch, 0));
	so_refused(watch, &a, 1, "A");
	so_refused(watch, &a, 0, "A");

	/* B closes without blanking: shortly after, A may take it again. */
	so_close(&b);
	igt_assert_f(wait_scanout_free(watch, 0),
		     "scanout 0 still owned 10 s after its owner closed\n");
	ret = so_set(&a, 1);
	igt_assert_f(ret == 0, "A's SET_SCANOUT after B closed: %d (%s)\n",
		     ret, errname(ret));
	res_lines(watch, l, "B closed, A shows its resource again");
	igt_assert(scanout_owned(watch, 0));
	igt_assert_eq(so_set(&a, 0), 0);

	so_close(&a);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	igt_assert(wait_scanout_free(watch, 0));
	vclose(watch);
}

/* ---- virtio-detach-refused-keeps-backing -------------------------------- */

#define DR_W	32u
#define DR_H	24u

/*
 * Resource 1 without backing. Ring 1: ATTACH of BO 1, held back behind a
 * 1 s stall. Ring 2: DETACH, which the file's state allows (the ATTACH is
 * queued) but which reaches the device first: the device refuses it (no
 * backing yet). The backing is then the resource's again in the kernel,
 * as it is on the device once the ATTACH has run: a TRANSFER is taken, a
 * second ATTACH is -EBUSY, and BO 1 stays alive after its handle is
 * closed, until a DETACH the device executes.
 */
static void test_detach_refused(void)
{
	const uint64_t size = igt_gring_page_round(DR_W * DR_H * CPP);
	int fd = vopen(), watch = vopen();
	struct vgpu_stats base = settled_start(watch), s;
	struct igt_gring_gem_stats gem0 = igt_gring_gem_stats(watch), gem, gem1;
	uint32_t r1 = vring_create(fd), r2 = vring_create(fd);
	uint32_t sring = ring_create(fd, 0);
	uint32_t bo1 = igt_gring_gem_create(fd, size, NULL);
	uint32_t bo2 = igt_gring_gem_create(fd, size, NULL);
	uint32_t gate = syncobj_create(fd), att = syncobj_create(fd);
	struct drm_gring_cmd stall = cmd_stall(STALL_NS);
	struct res_line l[MAX_LINES];
	struct drm_gring_vgpu_cmd c[2];
	unsigned int n;
	int status, ret;

	c[0] = c_create(1, DR_W, DR_H);
	vrun_ok(fd, r1, c, 1);

	submit(fd, sring, &stall, 1, gate);
	c[0] = c_attach(1, bo1, 0, size);
	igt_assert_eq(__vsubmit(fd, r1, c, 1, gate, att, NULL), 0);
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1);
	status = vrun(fd, r2, c, 1);
	igt_info("the DETACH that overtook the ATTACH: %d (%s)\n", status,
		 errname(status));
	igt_assert_f(status == -EINVAL,
		     "the DETACH of a resource the device has no backing for: %d (%s), want -EINVAL\n",
		     status, errname(status));
	igt_assert_f(syncobj_status(fd, att) == 0,
		     "the ATTACH is no longer queued: the test proves nothing\n");

	igt_assert_eq(syncobj_wait(fd, att, 3 * STALL_NS + JOB_TIMEOUT), 0);
	status = syncobj_status(fd, att);
	igt_assert_f(status == 1, "the ATTACH: %d (%s)\n", status,
		     errname(status));
	n = res_lines(watch, l, "the DETACH refused, then the ATTACH done");
	igt_assert_eq(n, 1);
	igt_assert_f(l[0].attached,
		     "the device has the backing, the kernel says none\n");

	/* The kernel knows the backing the device has. */
	c[0] = c_attach(1, bo2, 0, size);
	ret = __vsubmit(fd, r1, c, 1, 0, 0, NULL);
	igt_assert_f(ret == -EBUSY,
		     "a second ATTACH: %d (%s), want -EBUSY (it has a backing)\n",
		     ret, errname(ret));
	c[0] = c_transfer(1, DR_W, 0, 0, DR_W, DR_H);
	status = vrun(fd, r1, c, 1);
	igt_assert_f(status == 1, "a TRANSFER from the backing: %d (%s)\n",
		     status, errname(status));

	/* BO 1's handle goes; the device still reads it: the kernel keeps it. */
	gem = igt_gring_gem_stats(watch);
	gem_close(fd, bo1);
	usleep(100 * 1000);
	gem1 = igt_gring_gem_stats(watch);
	igt_assert_f(gem1.objects == gem.objects,
		     "%" PRIu64 " BOs after closing the handle of the backing the device has, want %" PRIu64 "\n",
		     gem1.objects, gem.objects);

	/* A DETACH the device executes lets it go; BO 2 can be attached. */
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1);
	c[1] = c_attach(1, bo2, 0, size);
	status = vrun(fd, r1, c, 2);
	igt_assert_f(status == 1, "DETACH, then ATTACH of BO 2: %d (%s)\n",
		     status, errname(status));
	n = res_lines(watch, l, "BO 1 detached, BO 2 attached");
	igt_assert_eq(n, 1);
	igt_assert(l[0].attached && !l[0].stale && !l[0].gone);

	gem_close(fd, bo2);
	vclose(fd);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	assert_queue_idle(&s);
	gem1 = igt_gring_gem_stats_settle(watch, gem0);
	igt_assert_eq_u64(gem1.objects, gem0.objects);
	vclose(watch);
}

/* ---- virtio-reordered-detach-keeps-bo ------------------------------------ */

/*
 * Resource 1 backed by BO 1. Ring 1: [DETACH, ATTACH of BO 2], held back
 * behind a 1 s stall. Ring 2: DETACH, which the file's state takes as the
 * detach of BO 2 (queued after ring 1's ATTACH) but which the device
 * executes first: it detaches BO 1. BO 2's handle is then closed. The
 * held-back ATTACH still names BO 2, and the device takes it once the
 * stall ends (its DETACH is refused: no backing): BO 2 must stay alive
 * all along, for the device reads it as the resource's backing.
 */
static void test_reordered_detach(void)
{
	const uint64_t size = igt_gring_page_round(DR_W * DR_H * CPP);
	int fd = vopen(), watch = vopen();
	struct vgpu_stats base = settled_start(watch), s;
	struct igt_gring_gem_stats gem0 = igt_gring_gem_stats(watch), gem, gem1;
	uint32_t r1 = vring_create(fd), r2 = vring_create(fd);
	uint32_t sring = ring_create(fd, 0);
	uint32_t bo1 = igt_gring_gem_create(fd, size, NULL);
	uint32_t bo2 = igt_gring_gem_create(fd, size, NULL);
	uint32_t gate = syncobj_create(fd), j1 = syncobj_create(fd);
	struct drm_gring_cmd stall = cmd_stall(STALL_NS);
	struct res_line l[MAX_LINES];
	struct drm_gring_vgpu_cmd c[2];
	int status;

	c[0] = c_create(1, DR_W, DR_H);
	c[1] = c_attach(1, bo1, 0, size);
	vrun_ok(fd, r1, c, 2);

	submit(fd, sring, &stall, 1, gate);
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1);
	c[1] = c_attach(1, bo2, 0, size);
	igt_assert_eq(__vsubmit(fd, r1, c, 2, gate, j1, NULL), 0);
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1);
	status = vrun(fd, r2, c, 1);
	igt_info("ring 2's DETACH, first on the device: %d (%s)\n", status,
		 errname(status));
	igt_assert_eq(status, 1);

	gem = igt_gring_gem_stats(watch);
	gem_close(fd, bo2);
	usleep(100 * 1000);
	gem1 = igt_gring_gem_stats(watch);
	igt_info("BOs: %" PRIu64 " before closing BO 2's handle, %" PRIu64 " after\n",
		 gem.objects, gem1.objects);
	igt_assert_f(syncobj_status(fd, j1) == 0,
		     "ring 1's job is no longer queued: the test proves nothing\n");
	igt_assert_f(gem1.objects == gem.objects,
		     "BO 2 was freed while a queued ATTACH names it\n");

	igt_assert_eq(syncobj_wait(fd, j1, 3 * STALL_NS + JOB_TIMEOUT), 0);
	status = syncobj_status(fd, j1);
	igt_info("ring 1's DETACH + ATTACH of BO 2: %d (%s)\n", status,
		 errname(status));
	res_lines(watch, l, "ring 1's job done");
	usleep(100 * 1000);
	gem1 = igt_gring_gem_stats(watch);
	igt_assert_f(gem1.objects == gem.objects,
		     "BO 2 is the device's backing, but was freed\n");

	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1);
	vrun_ok(fd, r1, c, 1);
	gem_close(fd, bo1);
	vclose(fd);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	gem1 = igt_gring_gem_stats_settle(watch, gem0);
	igt_assert_eq_u64(gem1.objects, gem0.objects);
	vclose(watch);
}

/* ---- virtio-scanout-blank-then-set ---------------------------------------- */

/*
 * One SUBMIT that blanks scanout 0 and then shows the file's resource on
 * it leaves the scanout the file's: another file's SET_SCANOUT is -EBUSY.
 */
static void test_blank_then_set(void)
{
	int watch = vopen();
	struct vgpu_stats base = settled_start(watch), s;
	struct so_file a = so_open(0xa), b = so_open(0xb);
	struct drm_gring_vgpu_cmd c[2];

	c[0] = c_scanout(0, 0, 0, 0);
	c[1] = c_scanout(0, 1, SO_W, SO_H);
	vrun_ok(a.fd, a.ring, c, 2);
	igt_assert_f(scanout_owned(watch, 0),
		     "A shows its resource on scanout 0, but nobody owns it\n");
	so_refused(watch, &b, 1, "B");

	/* Owned already, the same again. */
	vrun_ok(a.fd, a.ring, c, 2);
	igt_assert_f(scanout_owned(watch, 0),
		     "A shows its resource on scanout 0, but nobody owns it\n");
	so_refused(watch, &b, 1, "B");

	igt_assert_eq(so_set(&a, 0), 0);
	so_close(&b);
	so_close(&a);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	igt_assert(wait_scanout_free(watch, 0));
	vclose(watch);
}

igt_main
{
	igt_fixture {
		vt_require_two_devices(&devs);
		igt_install_exit_handler(exit_handler);
	}

	igt_describe("File A's commands on its resource, held back behind a 1 s stall, then the resource unref'd (executed at once); file B makes, backs, shows resources meanwhile: B's get other device ids than A's (taken until A's job is done), A's job reaches no resource (ERR_INVALID_RESOURCE_ID, fence -EINVAL), B's resources keep their backings and B's resource without backing takes one afterwards. A closes its BOs while its job is queued.");
	igt_subtest("virtio-no-cross-file-resource") {
		close_leftovers();
		test_no_cross_file();
	}

	igt_describe("A CREATE_2D the device refuses (-ENOMEM) leaves the id free: the same id is created (no lasting -EEXIST), backed and counted once, 10 rounds.");
	igt_subtest("virtio-refused-create-rolls-back") {
		close_leftovers();
		test_refused_create(RC_ROUNDS, false);
	}

	igt_describe("A CREATE/ATTACH/TRANSFER job behind a failed soft-engine job (injected fault) ends -ECANCELED without reaching the device, and its ids are free again; likewise behind an already failed fence; the closed file leaves nothing.");
	igt_subtest("virtio-skipped-job-rolls-back") {
		close_leftovers();
		test_skipped_job();
	}

	igt_describe("Scanout 0 belongs to the file that set it: another file's SET_SCANOUT of it (a resource or blank) is -EBUSY and sends nothing until the owner blanks it or closes; a failed SUBMIT claims nothing.");
	igt_subtest("virtio-scanout-owned") {
		close_leftovers();
		test_scanout_owned();
	}

	igt_describe("A DETACH that overtakes a held-back ATTACH is refused by the device; the kernel then keeps the backing as the device does: a TRANSFER is taken, a second ATTACH is -EBUSY, the BO outlives its handle until a DETACH the device executes.");
	igt_subtest("virtio-detach-refused-keeps-backing") {
		close_leftovers();
		test_detach_refused();
	}

	igt_describe("The id of a CREATE_2D the device refused is free as soon as its fence has signalled: no -EEXIST in 300 rounds of refused CREATE, CREATE again.");
	igt_subtest("virtio-refused-create-free-at-fence") {
		close_leftovers();
		test_refused_create(RC_ROUNDS_AT_FENCE, true);
	}

	igt_describe("A DETACH on another ring that overtakes a held-back [DETACH, ATTACH of BO 2] detaches the old backing on the device; the ATTACH then attaches BO 2, which stays alive though its handle was closed.");
	igt_subtest("virtio-reordered-detach-keeps-bo") {
		close_leftovers();
		test_reordered_detach();
	}

	igt_describe("A SUBMIT that blanks scanout 0 and then shows the file's resource on it leaves the scanout the file's: another file's SET_SCANOUT is -EBUSY.");
	igt_subtest("virtio-scanout-blank-then-set") {
		close_leftovers();
		test_blank_then_set();
	}

	igt_fixture
		vt_give_back(&devs);
}
