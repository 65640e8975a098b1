// SPDX-License-Identifier: MIT
/*
 * gring_vgpu: the virtio-gpu engine through the uapi. With the bench's
 * second virtio-gpu-pci bound to gring, its DRM device takes 2D control
 * commands (struct drm_gring_vgpu_cmd) on a DRM_GRING_ENGINE_VIRTIO_GPU
 * ring: every command the kernel must refuse is refused with its errno and
 * nothing changed, the device's own answers come back in response BOs and
 * its errors on the job's fence, and long runs leave nothing behind.
 *
 * Expected values come from the test: QEMU's configuration (1280x800, one
 * scanout), the virtio spec's response codes and layouts, and byte offsets
 * worked out here. The driver's counts are read from debugfs, so this
 * needs root (gring-root.txt), as does moving the device between drivers.
 * What the device shows is gring_vgpu_display's.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"
#include "gring_ring_test.h"
#include "gring_virtio_test.h"
#include "gring_vgpu_test.h"

IGT_TEST_DESCRIPTION("The virtio-gpu engine: 2D commands through a gring ring, checked by the kernel, answered by QEMU's device.");


/* ---- virtio-engines-param ------------------------------------------- */

static void test_engines_param(void)
{
	uint64_t soft = 1ull << DRM_GRING_ENGINE_SOFT;
	uint64_t vgpu = 1ull << DRM_GRING_ENGINE_VIRTIO_GPU;
	int plat = igt_gring_open(), fd = vgpu_open();
	uint32_t id;

	/* The platform device: soft only, and no virtio-gpu ring. */
	igt_assert_eq_u64(igt_gring_get_param(plat, DRM_GRING_PARAM_ENGINES),
			  soft);
	igt_assert_eq(__vring_create(plat, DRM_GRING_ENGINE_VIRTIO_GPU, 0,
				     &id), -ENODEV);
	igt_assert_eq_u64(igt_gring_get_param(fd, DRM_GRING_PARAM_ENGINES),
			  soft | vgpu);
	igt_assert_eq_u64(igt_gring_get_param(fd, DRM_GRING_PARAM_UAPI_VERSION),
			  DRM_GRING_UAPI_VERSION);

	/* A virtio-gpu ring takes no size; an unknown engine is refused. */
	igt_assert_eq(__vring_create(fd, DRM_GRING_ENGINE_VIRTIO_GPU, 4096,
				     &id), -EINVAL);
	igt_assert_eq(__vring_create(fd, 2, 0, &id), -EINVAL);
	ring_destroy(fd, vring_create(fd));
	close(fd);
	close(plat);
}

/* ---- virtio-ring-display-info ----------------------------------------- */

static void test_display_info(void)
{
	int fd = vgpu_open();
	uint32_t ring = vring_create(fd);
	uint32_t bo = igt_gring_gem_create(fd, 4096, NULL);
	uint8_t *map = igt_gring_gem_mmap(fd, bo, 4096);
	struct drm_gring_vgpu_cmd c[2] = {
		with_resp((struct drm_gring_vgpu_cmd){
			.type = DRM_GRING_VGPU_GET_DISPLAY_INFO }, bo, 0),
		with_resp((struct drm_gring_vgpu_cmd){
			.type = DRM_GRING_VGPU_GET_DISPLAY_INFO }, bo, 2048),
	};
	uint64_t completed, seqno;

	memset(map, 0xa5, 4096);
	vrun_ok(fd, ring, c, 2);
	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_READ, 0, 4096,
				 JOB_TIMEOUT), 0);
	assert_display_response(map);
	assert_display_response(map + 2048);
	/* The device wrote the responses and nothing else. */
	for (unsigned int i = DISPLAY_SIZE; i < 2048; i++)
		igt_assert_eq_u32(map[i], 0xa5);
	for (unsigned int i = 2048 + DISPLAY_SIZE; i < 4096; i++)
		igt_assert_eq_u32(map[i], 0xa5);
	igt_assert_eq(__cpu_fini(fd, bo, 0, 4096), 0);

	seqno = ring_submitted(fd, ring, &completed, NULL);
	igt_assert_eq_u64(seqno, 1);
	igt_assert_eq_u64(completed, 1);
	munmap(map, 4096);
	gem_close(fd, bo);
	close(fd);
}

/* ---- virtio-2d-round-trip --------------------------------------------- */

#define RT_W	256
#define RT_H	128

static void test_round_trip(void)
{
	const uint64_t size = RT_W * RT_H * CPP;
	int fd = vgpu_open();
	struct vgpu_stats base = vgpu_stats(fd), s;
	uint32_t ring = vring_create(fd);
	uint32_t bo = igt_gring_gem_create(fd, size, NULL);
	uint32_t resp = igt_gring_gem_create(fd, 4096, NULL);
	uint8_t *rmap = igt_gring_gem_mmap(fd, resp, 4096);
	uint32_t *px = igt_gring_gem_mmap(fd, bo, size);
	struct drm_gring_vgpu_cmd c[6];
	unsigned int i;

	for (i = 0; i < RT_W * RT_H; i++)
		px[i] = word_pattern(i, 0x00ffffff) & 0x00ffffff;
	memset(rmap, 0, 4096);

	c[0] = with_resp(c_create(1, RT_W, RT_H), resp, 0);
	c[1] = with_resp(c_attach(1, bo, 0, size), resp, 64);
	c[2] = with_resp(c_transfer(1, RT_W, 0, 0, RT_W, RT_H), resp, 128);
	c[3] = with_resp(c_scanout(0, 1, RT_W, RT_H), resp, 192);
	c[4] = with_resp(c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0,
				RT_W, RT_H), resp, 256);
	/* A corner of it again: its own offset into the backing. */
	c[5] = with_resp(c_transfer(1, RT_W, 17, 33, 40, 20), resp, 320);
	vrun_ok(fd, ring, c, 6);
	for (i = 0; i < 6; i++)
		igt_assert_eq_u32(resp_type(fd, resp, rmap, i * 64),
				  RESP_OK_NODATA);

	s = vgpu_stats(fd);
	igt_assert_eq_u64(s.resources, base.resources + 1);
	igt_assert_eq_u64(s.sent, base.sent + 6);
	igt_assert_eq_u64(s.completed, base.completed + 6);
	igt_assert_eq_u64(s.errors, base.errors);
	assert_queue_idle(&s);

	/*
	 * Scanout off, detach, unref: back where it started, once the
	 * UNREF's job has let go of the resource (shortly after its fence).
	 */
	c[0] = c_scanout(0, 0, 0, 0);
	c[1] = c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1);
	c[2] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 1);
	vrun_ok(fd, ring, c, 3);
	s = vgpu_stats_settle(fd, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	igt_assert_eq_u64(s.sent, base.sent + 9);
	igt_assert_eq_u64(s.completed, base.completed + 9);

	/* The id is free again. */
	c[0] = c_create(1, 1, 1);
	c[1] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 1);
	vrun_ok(fd, ring, c, 2);

	munmap(px, size);
	munmap(rmap, 4096);
	gem_close(fd, bo);
	gem_close(fd, resp);
	close(fd);
}

/* ---- virtio-bad-commands ----------------------------------------------- */

#define BAD_W		64
#define BAD_H		32
#define BAD_BACKING	(BAD_W * BAD_H * CPP)	/* 8 KiB: two pages */

struct bad_cmd {
	const char *what;
	struct drm_gring_vgpu_cmd cmd;
	int err;
};

/*
 * Resource 1 is BAD_W x BAD_H with its backing at the start of @bo (BO
 * of 3 pages), resource 2 the same size without backing; another file has
 * resource 3.
 */
static unsigned int bad_commands(struct bad_cmd *t, uint32_t bo,
				 uint32_t resp, uint64_t page)
{
	const uint32_t TR = DRM_GRING_VGPU_TRANSFER_TO_HOST_2D;
	const uint32_t FL = DRM_GRING_VGPU_RESOURCE_FLUSH;
	const uint32_t DI = DRM_GRING_VGPU_GET_DISPLAY_INFO;
	const uint32_t UN = DRM_GRING_VGPU_RESOURCE_UNREF;
	const uint32_t DE = DRM_GRING_VGPU_RESOURCE_DETACH_BACKING;
	unsigned int n = 0;

#define BAD(w, c, e) do { t[n].what = (w); t[n].cmd = (c); t[n].err = (e); \
		n++; } while (0)
#define WITH(c, field, v) ({ struct drm_gring_vgpu_cmd __c = (c); \
		__c.field = (v); __c; })

	/* The command itself. */
	BAD("type 0", c_id(0, 1), -EINVAL);
	BAD("type 0x0108 (after DETACH)", c_id(0x0108, 1), -EINVAL);
	BAD("type 0x0200 (3D)", c_id(0x0200, 1), -EINVAL);
	BAD("flags", WITH(c_id(UN, 1), flags, 1), -EINVAL);
	BAD("flags high bit", WITH(c_create(9, 8, 8), flags, 0x80000000u), -EINVAL);

	/* Fields the type does not use. */
	BAD("UNREF with width", WITH(c_id(UN, 1), width, 1), -EINVAL);
	BAD("UNREF with rect", WITH(c_id(UN, 1), rect.height, 1), -EINVAL);
	BAD("DETACH with bo_handle", WITH(c_id(DE, 1), bo_handle, bo), -EINVAL);
	BAD("FLUSH with bo_offset",
	    WITH(c_rect(FL, 1, 0, 0, 8, 8), bo_offset, 4), -EINVAL);
	BAD("FLUSH with scanout_id",
	    WITH(c_rect(FL, 1, 0, 0, 8, 8), scanout_id, 0x1), -EINVAL);
	BAD("GET_DISPLAY_INFO with resource_id", c_id(DI, 1), -EINVAL);
	BAD("CREATE with bo_size", WITH(c_create(9, 8, 8), bo_size, 4096), -EINVAL);
	BAD("CREATE with rect", WITH(c_create(9, 8, 8), rect.x, 1), -EINVAL);
	BAD("ATTACH with format",
	    WITH(c_attach(2, bo, 0, BAD_BACKING), format, FORMAT_B8G8R8X8),
	    -EINVAL);
	BAD("TRANSFER with bo_size",
	    WITH(c_transfer(1, BAD_W, 0, 0, 8, 8), bo_size, 8), -EINVAL);
	BAD("resp_offset without resp_handle",
	    WITH(c_id(UN, 1), resp_offset, 8), -EINVAL);

	/* Resource ids. */
	BAD("CREATE id 0", c_create(0, 8, 8), -EINVAL);
	BAD("ATTACH id 0", c_attach(0, bo, 0, BAD_BACKING), -EINVAL);
	BAD("TRANSFER id 0", c_transfer(0, BAD_W, 0, 0, 8, 8), -EINVAL);
	BAD("FLUSH id 0", c_rect(FL, 0, 0, 0, 8, 8), -EINVAL);
	BAD("UNREF id 0", c_id(UN, 0), -EINVAL);
	BAD("DETACH id 0", c_id(DE, 0), -EINVAL);
	BAD("FLUSH of an unknown id", c_rect(FL, 77, 0, 0, 8, 8), -ENOENT);
	BAD("UNREF of an unknown id", c_id(UN, 77), -ENOENT);
	BAD("UNREF of another file's id", c_id(UN, 3), -ENOENT);
	BAD("SET_SCANOUT of another file's id", c_scanout(0, 3, 8, 8), -ENOENT);
	BAD("CREATE of an id this file has", c_create(1, 8, 8), -EEXIST);

	/* Sizes and formats. */
	BAD("CREATE width 0", c_create(9, 0, 8), -EINVAL);
	BAD("CREATE height 0", c_create(9, 8, 0), -EINVAL);
	BAD("CREATE width MAX_DIM + 1",
	    c_create(9, DRM_GRING_VGPU_MAX_DIM + 1, 8), -EINVAL);
	BAD("CREATE height MAX_DIM + 1",
	    c_create(9, 8, DRM_GRING_VGPU_MAX_DIM + 1), -EINVAL);
	BAD("CREATE format 0", WITH(c_create(9, 8, 8), format, 0), -EINVAL);
	BAD("CREATE format 5", WITH(c_create(9, 8, 8), format, 5), -EINVAL);
	BAD("CREATE format 0xffffffff",
	    WITH(c_create(9, 8, 8), format, 0xffffffffu), -EINVAL);

	/* Rectangles. */
	BAD("FLUSH empty", c_rect(FL, 1, 0, 0, 0, 8), -EINVAL);
	BAD("FLUSH one column past the right edge",
	    c_rect(FL, 1, 1, 0, BAD_W, BAD_H), -EINVAL);
	BAD("FLUSH one row past the bottom", c_rect(FL, 1, 0, BAD_H, 1, 1),
	    -EINVAL);
	BAD("FLUSH x + width wraps 32 bits",
	    c_rect(FL, 1, 0xffffffffu, 0, 2, 1), -EINVAL);
	BAD("SET_SCANOUT rect past the resource", c_scanout(0, 1, BAD_W + 1, 8),
	    -EINVAL);
	BAD("SET_SCANOUT empty rect", c_scanout(0, 1, 0, 0), -EINVAL);
	BAD("TRANSFER y + height wraps 32 bits",
	    c_rect(TR, 1, 0, 0xfffffff0u, 1, 0x20), -EINVAL);
	BAD("SET_SCANOUT scanout == count", c_scanout(SCANOUTS, 1, 8, 8),
	    -EINVAL);
	BAD("SET_SCANOUT scanout 16", c_scanout(16, 1, 8, 8), -EINVAL);

	/* Backing. */
	BAD("ATTACH offset not page-aligned", c_attach(2, bo, 64, BAD_BACKING),
	    -EINVAL);
	BAD("ATTACH past the BO's end", c_attach(2, bo, 2 * page, BAD_BACKING),
	    -EINVAL);
	BAD("ATTACH smaller than w*h*4", c_attach(2, bo, 0, BAD_BACKING - 4),
	    -EINVAL);
	BAD("ATTACH offset + size wraps 64 bits",
	    c_attach(2, bo, -page, 2 * page), -EINVAL);
	BAD("ATTACH of an unknown BO", c_attach(2, 0xdead, 0, BAD_BACKING),
	    -ENOENT);
	BAD("ATTACH to a resource that has a backing",
	    c_attach(1, bo, 0, BAD_BACKING), -EBUSY);
	BAD("TRANSFER on a resource without backing",
	    c_transfer(2, BAD_W, 0, 0, 8, 8), -EINVAL);
	BAD("TRANSFER reading past the backing",
	    WITH(c_transfer(1, BAD_W, 0, 0, BAD_W, BAD_H), bo_offset, CPP),
	    -EINVAL);
	BAD("TRANSFER offset past the backing",
	    WITH(c_transfer(1, BAD_W, 0, 0, 1, 1), bo_offset, BAD_BACKING),
	    -EINVAL);

	/* Responses. */
	BAD("resp_offset not 8-aligned",
	    with_resp((struct drm_gring_vgpu_cmd){ .type = DI }, resp, 4),
	    -EINVAL);
	BAD("display info without room",
	    with_resp((struct drm_gring_vgpu_cmd){ .type = DI }, resp,
		      page - DISPLAY_SIZE + 8), -EINVAL);
	BAD("header without room", with_resp(c_id(UN, 1), resp, page - 16),
	    -EINVAL);
	BAD("resp_handle unknown",
	    with_resp((struct drm_gring_vgpu_cmd){ .type = DI }, 0xdead, 0),
	    -ENOENT);
#undef WITH
#undef BAD
	return n;
}

static void test_bad_commands(void)
{
	const uint64_t page = igt_gring_page_size();
	int fd = vgpu_open(), other = vt_open_render(devs.second);
	uint32_t ring = vring_create(fd), oring = vring_create(other);
	uint32_t bo = igt_gring_gem_create(fd, 3 * page, NULL);
	uint32_t resp = igt_gring_gem_create(fd, page, NULL);
	struct drm_gring_vgpu_cmd c[DRM_GRING_VGPU_MAX_CMDS + 1];
	struct bad_cmd table[96];
	uint8_t big[sizeof(struct drm_gring_vgpu_cmd) + 8];
	struct drm_gring_submit arg;
	struct vgpu_stats before, after;
	uint64_t sub, done, sub2, done2;
	unsigned int n, i;

	c[0] = c_create(1, BAD_W, BAD_H);
	c[1] = c_attach(1, bo, 0, BAD_BACKING);
	c[2] = c_create(2, BAD_W, BAD_H);
	vrun_ok(fd, ring, c, 3);
	c[0] = c_create(3, 8, 8);
	vrun_ok(other, oring, c, 1);

	n = bad_commands(table, bo, resp, page);
	igt_assert(n <= sizeof(table) / sizeof(table[0]));
	before = vgpu_stats(fd);
	sub = ring_submitted(fd, ring, &done, NULL);

	for (i = 0; i < n; i++) {
		int ret;

		igt_debug("%s\n", table[i].what);
		/* Alone. */
		ret = __vsubmit(fd, ring, &table[i].cmd, 1, 0, 0, NULL);
		igt_assert_f(ret == table[i].err, "%s: %d (%s), want %d (%s)\n",
			     table[i].what, ret, strerror(-ret), table[i].err,
			     strerror(-table[i].err));
		/* After a good command, which must not happen either. */
		c[0] = c_create(10, 4, 4);
		c[1] = table[i].cmd;
		ret = __vsubmit(fd, ring, c, 2, 0, 0, NULL);
		igt_assert_f(ret == table[i].err, "%s after a CREATE: %d, want %d\n",
			     table[i].what, ret, table[i].err);
		/* Before a good command, likewise. */
		c[0] = table[i].cmd;
		c[1] = c_create(10, 4, 4);
		ret = __vsubmit(fd, ring, c, 2, 0, 0, NULL);
		igt_assert_f(ret == table[i].err, "%s before a CREATE: %d, want %d\n",
			     table[i].what, ret, table[i].err);
	}
	igt_info("%u bad commands refused, each alone and beside a good one\n", n);

	/* The SUBMIT itself: counts and command size. */
	c[0] = c_create(10, 4, 4);
	igt_assert_eq(__vsubmit(fd, ring, c, 0, 0, 0, NULL), -EINVAL);
	for (i = 0; i <= DRM_GRING_VGPU_MAX_CMDS; i++)
		c[i] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, 1, 1);
	igt_assert_eq(__vsubmit(fd, ring, c, DRM_GRING_VGPU_MAX_CMDS + 1, 0, 0,
				NULL), -EINVAL);
	/*
	 * cmd_size: a larger struct (newer userspace) is taken only with its
	 * extra bytes zero; a smaller one is zero-extended, then checked.
	 */
	memset(big, 0, sizeof(big));
	memcpy(big, &c[0], sizeof(c[0]));
	big[sizeof(c[0]) + 3] = 1;
	arg = (struct drm_gring_submit){ .ring_id = ring,
		.cmds = (uintptr_t)big, .cmd_count = 1,
		.cmd_size = sizeof(c[0]) + 8 };
	igt_assert_eq(__submit(fd, &arg), -EINVAL);
	/* Cut before the rect: a FLUSH of an empty rectangle. */
	arg = (struct drm_gring_submit){ .ring_id = ring,
		.cmds = (uintptr_t)c, .cmd_count = 1,
		.cmd_size = offsetof(struct drm_gring_vgpu_cmd, rect) };
	igt_assert_eq(__submit(fd, &arg), -EINVAL);
	arg.cmd_size = 0;
	igt_assert_eq(__submit(fd, &arg), -EINVAL);

	/* Nothing reached the device, nothing changed. */
	after = vgpu_stats(fd);
	assert_stats_eq(&before, &after);
	sub2 = ring_submitted(fd, ring, &done2, NULL);
	igt_assert_eq_u64(sub2, sub);
	igt_assert_eq_u64(done2, done);

	/* The good ones still work, and id 10 was never made. */
	c[0] = c_create(10, 4, 4);
	c[1] = c_transfer(1, BAD_W, 0, 0, BAD_W, BAD_H);
	c[2] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, BAD_W, BAD_H);
	c[3] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 10);
	vrun_ok(fd, ring, c, 4);
	after = vgpu_stats_settle(fd, before.resources);
	igt_assert_eq_u64(after.sent, before.sent + 4);
	igt_assert_eq_u64(after.resources, before.resources);

	/* The cmd_size cases that are accepted, as the uapi has it. */
	big[sizeof(c[0]) + 3] = 0;
	arg = (struct drm_gring_submit){ .ring_id = ring,
		.cmds = (uintptr_t)big, .cmd_count = 1,
		.cmd_size = sizeof(c[0]) + 8 };
	igt_assert_eq(__submit(fd, &arg), 0);
	c[0] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, 1, 1);
	arg = (struct drm_gring_submit){ .ring_id = ring,
		.cmds = (uintptr_t)c, .cmd_count = 1,
		.cmd_size = offsetof(struct drm_gring_vgpu_cmd, resp_handle),
		.out_sync = syncobj_create(fd) };
	igt_assert_eq(__submit(fd, &arg), 0);
	igt_assert_eq(syncobj_wait(fd, arg.out_sync, JOB_TIMEOUT), 0);
	igt_assert_eq(syncobj_status(fd, arg.out_sync), 1);
	after = vgpu_stats(fd);
	igt_assert_eq_u64(after.sent, before.sent + 6);

	gem_close(fd, bo);
	gem_close(fd, resp);
	close(other);
	close(fd);
}

/* ---- virtio-device-error-fence ----------------------------------------- */

static void test_device_error(void)
{
	const uint32_t max = DRM_GRING_VGPU_MAX_DIM;
	int fd = vgpu_open(), watch = vt_open_render(devs.second);
	struct vgpu_stats base = vgpu_stats(watch), s;
	uint32_t ring = vring_create(fd);
	uint32_t resp = igt_gring_gem_create(fd, 4096, NULL);
	uint8_t *map = igt_gring_gem_mmap(fd, resp, 4096);
	struct drm_gring_vgpu_cmd c[2];
	uint64_t faults;
	int status;

	/*
	 * 16384 x 16384 x 4 = 1 GiB passes gring's checks and is more than
	 * QEMU's 2D host memory (max_hostmem, 256 MiB by default).
	 */
	c[0] = with_resp(c_create(5, max, max), resp, 0);
	status = vrun(fd, ring, c, 1);
	igt_assert_eq(status, -ENOMEM);
	igt_assert_eq_u32(resp_type(fd, resp, map, 0), RESP_ERR_OUT_OF_MEMORY);
	ring_submitted(fd, ring, NULL, &faults);
	igt_assert_eq_u64(faults, 1);

	/* The ring goes on. */
	c[0] = with_resp((struct drm_gring_vgpu_cmd){
			.type = DRM_GRING_VGPU_GET_DISPLAY_INFO }, resp, 0);
	vrun_ok(fd, ring, c, 1);
	igt_assert_eq(__cpu_prep(fd, resp, DRM_GRING_PREP_READ, 0, 4096,
				 JOB_TIMEOUT), 0);
	assert_display_response(map);
	igt_assert_eq(__cpu_fini(fd, resp, 0, 4096), 0);
	ring_submitted(fd, ring, NULL, &faults);
	igt_assert_eq_u64(faults, 1);

	/* Whatever the kernel kept of the refused resource, close frees it. */
	munmap(map, 4096);
	gem_close(fd, resp);
	close(fd);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	igt_assert_eq_u64(s.sent, base.sent + 2);
	igt_assert_eq_u64(s.completed, base.completed + 2);
	igt_assert_eq_u64(s.errors, base.errors + 1);
	assert_queue_idle(&s);
	close(watch);
}

/* ---- virtio-commands-10000 --------------------------------------------- */

#define MANY		10000u
#define PER_RES		4u		/* create, attach, transfer, unref */
#define RES_PER_JOB	(DRM_GRING_VGPU_MAX_CMDS / PER_RES)
#define MANY_W		64u
#define MANY_H		64u

static void test_many(void)
{
	const uint64_t slice = MANY_W * MANY_H * CPP;	/* 16 KiB */
	int fd = vgpu_open();
	struct igt_gring_gem_stats gem0 = igt_gring_gem_stats(fd), gem1;
	struct vgpu_stats base = vgpu_stats(fd), s;
	uint32_t ring = vring_create(fd), sync = syncobj_create(fd);
	uint32_t bo = igt_gring_gem_create(fd, RES_PER_JOB * slice, NULL);
	struct drm_gring_vgpu_cmd c[DRM_GRING_VGPU_MAX_CMDS];
	uint64_t sent = 0, jobs = 0, completed, faults, t0;
	uint32_t id = 1;

	t0 = now_ns();
	while (sent < MANY) {
		unsigned int n = 0, r;

		for (r = 0; r < RES_PER_JOB && sent + n < MANY; r++, id++) {
			c[n++] = c_create(id, MANY_W, MANY_H);
			c[n++] = c_attach(id, bo, r * slice, slice);
			c[n++] = c_transfer(id, MANY_W, 0, 0, MANY_W, MANY_H);
			c[n++] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, id);
		}
		igt_assert_eq(__vsubmit(fd, ring, c, n, 0, sync, NULL), 0);
		sent += n;
		jobs++;
	}
	igt_assert_eq(syncobj_wait(fd, sync, 60 * NSEC_PER_SEC), 0);
	igt_assert_eq(syncobj_status(fd, sync), 1);
	igt_info("%" PRIu64 " commands in %" PRIu64 " jobs: %.1f ms\n", sent,
		 jobs, (now_ns() - t0) / 1e6);

	igt_assert_eq_u64(sent, MANY);
	igt_assert_eq_u64(ring_submitted(fd, ring, &completed, &faults), jobs);
	igt_assert_eq_u64(completed, jobs);
	igt_assert_eq_u64(faults, 0);

	s = vgpu_stats_settle(fd, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	igt_assert_eq_u64(s.sent, base.sent + MANY);
	igt_assert_eq_u64(s.completed, base.completed + MANY);
	igt_assert_eq_u64(s.errors, base.errors);
	assert_queue_idle(&s);

	gem_close(fd, bo);
	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem1 = igt_gring_gem_stats_settle(fd, gem0);
	igt_assert_eq_u64(gem1.objects, gem0.objects);
	igt_assert_eq_u64(gem1.bytes, gem0.bytes);
	close(fd);
}

/* ---- virtio-close-frees-resources -------------------------------------- */

static void test_close_frees(void)
{
	const uint64_t size = 32 * 32 * CPP;
	int fd = vgpu_open(), watch = vt_open_render(devs.second);
	struct vgpu_stats base = vgpu_stats(watch), s;
	struct igt_gring_gem_stats gem0 = igt_gring_gem_stats(watch), gem1;
	uint32_t ring = vring_create(fd);
	uint32_t bo = igt_gring_gem_create(fd, 2 * size, NULL);
	struct drm_gring_vgpu_cmd c[4];

	c[0] = c_create(1, 32, 32);
	c[1] = c_attach(1, bo, 0, size);
	c[2] = c_create(2, 32, 32);
	c[3] = c_scanout(0, 1, 32, 32);
	vrun_ok(fd, ring, c, 4);
	s = vgpu_stats(watch);
	igt_assert_eq_u64(s.resources, base.resources + 2);

	/*
	 * No unref, no detach, the BO still open: the close does it all,
	 * once the file's last job has let go (shortly after close).
	 */
	close(fd);
	gem1 = igt_gring_gem_stats_settle(watch, gem0);
	igt_assert_eq_u64(gem1.objects, gem0.objects);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.resources, base.resources);
	assert_queue_idle(&s);
	close(watch);
}

/* ---- virtio-prep-busy-during-transfer ---------------------------------- */

#define PB_W	128u
#define PB_H	64u

static void test_prep_busy(void)
{
	const uint64_t backing = PB_W * PB_H * CPP;	/* 32 KiB */
	int fd = vgpu_open();
	uint32_t vring = vring_create(fd), sring = ring_create(fd, 0);
	uint32_t bo = igt_gring_gem_create(fd, 2 * backing, NULL);
	uint32_t gate = syncobj_create(fd), done = syncobj_create(fd);
	struct drm_gring_cmd stall = cmd_stall(1000 * NSEC_PER_MSEC);
	struct drm_gring_vgpu_cmd c[2];
	int ret;

	c[0] = c_create(1, PB_W, PB_H);
	c[1] = c_attach(1, bo, 0, backing);
	vrun_ok(fd, vring, c, 2);

	/*
	 * The transfer waits behind a soft-engine job that stalls for 1 s:
	 * until it has run, the backing is the device's.
	 */
	submit(fd, sring, &stall, 1, gate);
	c[0] = c_transfer(1, PB_W, 0, 0, PB_W, PB_H);
	igt_assert_eq(__vsubmit(fd, vring, c, 1, gate, done, NULL), 0);

	ret = __cpu_prep(fd, bo, DRM_GRING_PREP_WRITE | DRM_GRING_PREP_NOWAIT,
			 0, backing, 0);
	igt_assert_eq(ret, -EBUSY);
	/* One pixel of it too, the last. */
	ret = __cpu_prep(fd, bo, DRM_GRING_PREP_WRITE | DRM_GRING_PREP_NOWAIT,
			 backing - CPP, CPP, 0);
	igt_assert_eq(ret, -EBUSY);
	igt_assert_eq(syncobj_status(fd, done), 0);
	/* The rest of the BO is not the backing: the CPU may have it. */
	ret = __cpu_prep(fd, bo, DRM_GRING_PREP_WRITE | DRM_GRING_PREP_NOWAIT,
			 backing, backing, 0);
	igt_assert_eq(ret, 0);
	igt_assert_eq(__cpu_fini(fd, bo, backing, backing), 0);

	igt_assert_eq(syncobj_wait(fd, done, JOB_TIMEOUT), 0);
	igt_assert_eq(syncobj_status(fd, done), 1);
	ret = __cpu_prep(fd, bo, DRM_GRING_PREP_WRITE | DRM_GRING_PREP_NOWAIT,
			 0, backing, 0);
	igt_assert_eq(ret, 0);
	igt_assert_eq(__cpu_fini(fd, bo, 0, backing), 0);

	gem_close(fd, bo);
	close(fd);
}

/* ---- virtio-same-ring-overlap -------------------------------------------- */

#define OV_PAIRS	100u
#define OV_RES		4u			/* resources, taken in turn */
#define OV_W		1024u
#define OV_H		1024u			/* 4 MiB of backing */
#define OV_FIRST	(DRM_GRING_VGPU_MAX_CMDS - 2)	/* a first job's */
#define OV_SLOT		512u			/* >= DISPLAY_SIZE */
#define OV_SHOW		5u			/* failures named of each kind */

/*
 * Pairs of jobs on one virtio-gpu ring, all submitted before any is waited
 * for, the second job of each pair touching bytes the first touches:
 *
 *   first:  30 TRANSFER_TO_HOST_2D of all of resource r (each reads its
 *           whole 4 MiB backing), the last one's response header at slot
 *           i of the response BO;
 *   second: one more such TRANSFER (the same backing bytes), then
 *           GET_DISPLAY_INFO, whose response lands on slot i as well.
 *
 * The first job keeps the device busy a while (120 MiB of copies), and the
 * two jobs' 32 commands fit the ring's DRM_GRING_VGPU_MAX_CMDS in flight,
 * so the second is ready while the first is still on the device: by the
 * uapi's rule (a job waits for every earlier job touching the same bytes,
 * of any ring, its own included) it must wait, not be refused.
 *
 * Pairs do not depend on each other: the next pair's first job needs the
 * room of this one's, so it starts once this first job is done, with at
 * most this second job beside it, which is on another resource (pair i
 * uses resource i % OV_RES) and another slot. Every job succeeds, and each
 * slot ends with the second job's display info, written after the first
 * job's header.
 */
static bool ov_display_ok(const uint8_t *p)
{
	const uint8_t *s0 = p + HDR_SIZE;	/* x, y, width, height, enabled */

	return le32(p) == RESP_OK_DISPLAY_INFO && le32(s0) == 0 &&
	       le32(s0 + 4) == 0 && le32(s0 + 8) == XRES &&
	       le32(s0 + 12) == YRES && le32(s0 + 16) == 1;
}

static void test_same_ring_overlap(void)
{
	const uint64_t backing = OV_W * OV_H * CPP;
	const uint64_t resp_size = igt_gring_page_round(OV_PAIRS * OV_SLOT);
	const uint64_t cmds_per_pair = OV_FIRST + 2;
	int fd = vgpu_open();
	struct vgpu_stats base, s;
	uint32_t ring = vring_create(fd);
	uint32_t resp = igt_gring_gem_create(fd, resp_size, NULL);
	uint8_t *rmap = igt_gring_gem_mmap(fd, resp, resp_size);
	uint32_t bo[OV_RES], first[OV_PAIRS], second[OV_PAIRS], id;
	int st_first, st_second;
	struct drm_gring_vgpu_cmd c[DRM_GRING_VGPU_MAX_CMDS];
	unsigned int i, k, n, bad_first = 0, bad_second = 0, bad_resp = 0;
	unsigned int ebusy = 0;
	uint64_t faults, submitted0, t0;

	igt_require_f(igt_gring_get_param(fd, DRM_GRING_PARAM_MAX_BO_SIZE) >=
		      backing, "BOs of %" PRIu64 " bytes\n", backing);
	/* Resource r + 1, backed by all of BO r. */
	for (k = 0; k < OV_RES; k++) {
		bo[k] = igt_gring_gem_create(fd, backing, NULL);
		c[2 * k] = c_create(k + 1, OV_W, OV_H);
		c[2 * k + 1] = c_attach(k + 1, bo[k], 0, backing);
	}
	vrun_ok(fd, ring, c, 2 * OV_RES);
	memset(rmap, 0xa5, resp_size);
	base = vgpu_stats(fd);
	submitted0 = ring_submitted(fd, ring, NULL, &faults);
	igt_assert_eq_u64(faults, 0);

	t0 = now_ns();
	for (i = 0; i < OV_PAIRS; i++) {
		first[i] = syncobj_create(fd);
		second[i] = syncobj_create(fd);
		id = i % OV_RES + 1;
		for (k = 0; k < OV_FIRST; k++)
			c[k] = c_transfer(id, OV_W, 0, 0, OV_W, OV_H);
		c[OV_FIRST - 1] = with_resp(c[OV_FIRST - 1], resp, i * OV_SLOT);
		igt_assert_eq(__vsubmit(fd, ring, c, OV_FIRST, 0, first[i],
					NULL), 0);
		c[0] = c_transfer(id, OV_W, 0, 0, OV_W, OV_H);
		c[1] = with_resp((struct drm_gring_vgpu_cmd){
				.type = DRM_GRING_VGPU_GET_DISPLAY_INFO },
				 resp, i * OV_SLOT);
		igt_assert_eq(__vsubmit(fd, ring, c, 2, 0, second[i], NULL), 0);
	}

	for (i = 0; i < OV_PAIRS; i++) {
		igt_assert_eq(syncobj_wait(fd, first[i], JOB_TIMEOUT), 0);
		igt_assert_eq(syncobj_wait(fd, second[i], JOB_TIMEOUT), 0);
		st_first = syncobj_status(fd, first[i]);
		st_second = syncobj_status(fd, second[i]);
		if (st_first != 1 && bad_first++ < OV_SHOW)
			igt_info("pair %u: first job status %d (%s)\n", i,
				 st_first, strerror(-st_first));
		ebusy += st_second == -EBUSY;
		if (st_second != 1 && bad_second++ < OV_SHOW)
			igt_info("pair %u: second job status %d (%s)\n", i,
				 st_second, strerror(-st_second));
		drmSyncobjDestroy(fd, first[i]);
		drmSyncobjDestroy(fd, second[i]);
	}
	igt_info("%u pairs done in %.1f ms\n", OV_PAIRS, (now_ns() - t0) / 1e6);

	/* Each slot: the display info, and nothing written past it. */
	igt_assert_eq(__cpu_prep(fd, resp, DRM_GRING_PREP_READ, 0, resp_size,
				 JOB_TIMEOUT), 0);
	for (i = 0; i < OV_PAIRS; i++) {
		const uint8_t *p = rmap + i * OV_SLOT;
		bool ok = ov_display_ok(p);

		for (n = DISPLAY_SIZE; n < OV_SLOT; n++)
			ok = ok && p[n] == 0xa5;
		if (!ok && bad_resp++ < OV_SHOW)
			igt_info("pair %u: slot holds response type %#x, want %#x (display info)\n",
				 i, le32(p), RESP_OK_DISPLAY_INFO);
	}
	for (n = OV_PAIRS * OV_SLOT; n < resp_size; n++)
		igt_assert_eq_u32(rmap[n], 0xa5);
	igt_assert_eq(__cpu_fini(fd, resp, 0, resp_size), 0);

	igt_info("%u pairs on one ring: %u second jobs failed (%u with -EBUSY), %u first jobs failed, %u slots without the display info\n",
		 OV_PAIRS, bad_second, ebusy, bad_first, bad_resp);
	igt_assert_f(bad_second == 0,
		     "%u of %u second jobs failed (%u refused with -EBUSY): same-ring jobs touching the same bytes overlapped on the device\n",
		     bad_second, OV_PAIRS, ebusy);
	igt_assert_f(bad_first == 0, "%u of %u first jobs failed\n", bad_first,
		     OV_PAIRS);
	igt_assert_f(bad_resp == 0, "%u of %u slots lack the second job's display info\n",
		     bad_resp, OV_PAIRS);

	/* Every command reached the device once, none failed there. */
	igt_assert_eq_u64(ring_submitted(fd, ring, NULL, &faults),
			  submitted0 + 2 * OV_PAIRS);
	igt_assert_eq_u64(faults, 0);
	s = vgpu_stats(fd);
	igt_assert_eq_u64(s.sent, base.sent + cmds_per_pair * OV_PAIRS);
	igt_assert_eq_u64(s.completed, base.completed + cmds_per_pair * OV_PAIRS);
	igt_assert_eq_u64(s.errors, base.errors);
	assert_queue_idle(&s);

	munmap(rmap, resp_size);
	for (k = 0; k < OV_RES; k++)
		gem_close(fd, bo[k]);
	gem_close(fd, resp);
	close(fd);
}

/* ---- virtio-unbind-busy -------------------------------------------------- */

/*
 * Unbinding the function from gring while a file has a ring with a job
 * queued (behind a 1 s soft-engine stall), a resource on the scanout and
 * a mapped BO: the unbind completes; the job's fence signals with an
 * error; the old file gets -ENODEV; closing it is clean; and binding again
 * gives a working device. The debug lane's kernel checks (lockdep, KASAN,
 * DMA-API, kmemleak) watch the whole of it.
 */
static void test_unbind_busy(void)
{
	const uint64_t size = 64 * 64 * CPP;
	int fd = vgpu_open(), fd2;
	uint32_t vring = vring_create(fd), sring = ring_create(fd, 0);
	uint32_t bo = igt_gring_gem_create(fd, size, NULL);
	uint32_t gate = syncobj_create(fd), done = syncobj_create(fd);
	struct drm_gring_cmd stall = cmd_stall(1000 * NSEC_PER_MSEC);
	struct sync_file_info info = {};
	struct drm_gring_vgpu_cmd c[3];
	struct pollfd pfd;
	uint32_t ring2;
	int sf;

	c[0] = c_create(1, 64, 64);
	c[1] = c_attach(1, bo, 0, size);
	c[2] = c_scanout(0, 1, 64, 64);
	vrun_ok(fd, vring, c, 3);

	submit(fd, sring, &stall, 1, gate);
	c[0] = c_transfer(1, 64, 0, 0, 64, 64);
	c[1] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, 64, 64);
	igt_assert_eq(__vsubmit(fd, vring, c, 2, gate, done, NULL), 0);
	igt_assert_eq(syncobj_status(fd, done), 0);
	/* A sync_file outlives the device; a syncobj ioctl won't. */
	igt_assert_eq(drmSyncobjExportSyncFile(fd, done, &sf), 0);

	/* The function goes while all of that is in flight. */
	igt_assert_eq(__igt_gring_write_text(VT_GRING_PCI "/unbind",
					     devs.second), 0);
	igt_assert(!vt_bound_to(devs.second, "gring"));

	/* The job has ended, with an error: it never reached a device. */
	pfd = (struct pollfd){ .fd = sf, .events = POLLIN };
	igt_assert_eq(poll(&pfd, 1, 10000), 1);
	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	igt_assert_f(info.status < 0, "job status %d after the unbind\n",
		     info.status);
	close(sf);
	c[0] = c_id(DRM_GRING_VGPU_GET_DISPLAY_INFO, 0);
	igt_assert_eq(__vsubmit(fd, vring, c, 1, 0, 0, NULL), -ENODEV);
	close(fd);

	/* Bound again, it is a new device that works. */
	fd2 = vgpu_open();
	ring2 = vring_create(fd2);
	c[0] = c_create(1, 64, 64);
	vrun_ok(fd2, ring2, c, 1);
	close(fd2);
}

/* ---- virtio-hung-job-reset ------------------------------------------------ */

/*
 * A device that never answers (vgpu_hang_device()) hangs a job of
 * DRM_GRING_VGPU_MAX_CMDS commands, which takes every credit of the
 * device's queue, so a job submitted behind it on another ring is still
 * queued when the scheduler times the hung one out (10 s). The device is
 * reset and set up again: the hung job's fence says -ETIMEDOUT; the
 * queued job, which names the file's resource, says -ESTALE without
 * reaching the device; the same ring runs the next job. The resource is
 * lost: every command but UNREF naming it is -ESTALE at SUBMIT with
 * nothing changed, CREATE of its id is -EEXIST; UNREF is done without
 * the device, and the id is then created anew and used.
 */
static void test_hung_job(void)
{
	const uint64_t size = 64 * 64 * CPP;
	struct drm_gring_vgpu_cmd hang[DRM_GRING_VGPU_MAX_CMDS], c[3];
	int fd = vgpu_open();
	uint32_t ring = vring_create(fd), ring2 = vring_create(fd);
	uint32_t hung = syncobj_create(fd), queued = syncobj_create(fd);
	uint32_t bo = igt_gring_gem_create(fd, size, NULL);
	struct vgpu_stats base, s;
	struct timespec t0, t1;
	double secs;
	char *text;
	unsigned int i;

	c[0] = c_create(1, 64, 64);
	c[1] = c_attach(1, bo, 0, size);
	vrun_ok(fd, ring, c, 2);
	base = vgpu_stats(fd);

	vgpu_hang_device();
	for (i = 0; i < DRM_GRING_VGPU_MAX_CMDS; i++)
		hang[i] = c_id(DRM_GRING_VGPU_GET_DISPLAY_INFO, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	igt_assert_eq(__vsubmit(fd, ring, hang, DRM_GRING_VGPU_MAX_CMDS, 0,
				hung, NULL), 0);
	c[0] = c_transfer(1, 64, 0, 0, 64, 64);
	igt_assert_eq(__vsubmit(fd, ring2, c, 1, 0, queued, NULL), 0);

	igt_assert_eq(syncobj_wait(fd, hung, 30 * NSEC_PER_SEC), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	igt_info("the hung job ended after %.1f s\n", secs);
	igt_assert_eq(syncobj_status(fd, hung), -ETIMEDOUT);
	/* Not before the scheduler's timeout (10 s): the device did hang. */
	igt_assert_f(secs > 9.0, "ended after %.1f s\n", secs);
	igt_assert_eq(syncobj_wait(fd, queued, JOB_TIMEOUT), 0);
	igt_assert_eq(syncobj_status(fd, queued), -ESTALE);

	/*
	 * Running again: the same ring's next job reaches the device. The
	 * driver asks for the display info after a reset, on its own: let
	 * that command come back before the queue is checked.
	 */
	for (i = 0; i < 100; i++) {
		s = vgpu_stats(fd);
		if (s.num_free == s.num)
			break;
		usleep(10 * 1000);
	}
	igt_assert_eq_u64(s.resets, base.resets + 1);
	/* The hung job's commands went out; the stale one did not. */
	igt_assert_eq_u64(s.sent, base.sent + DRM_GRING_VGPU_MAX_CMDS);
	assert_queue_idle(&s);
	c[0] = c_id(DRM_GRING_VGPU_GET_DISPLAY_INFO, 0);
	vrun_ok(fd, ring, c, 1);
	s = vgpu_stats(fd);
	igt_assert_eq_u64(s.sent, base.sent + DRM_GRING_VGPU_MAX_CMDS + 1);
	base = s;

	/* Lost: refused at SUBMIT, nothing sent, no seqno. */
	text = vgpu_debugfs_text(fd);
	igt_assert_f(strstr(text, "lost in a reset"),
		     "no lost resource in debugfs gring_vgpu:\n%s", text);
	free(text);
	c[0] = c_transfer(1, 64, 0, 0, 64, 64);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, 0, NULL), -ESTALE);
	c[0] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, 64, 64);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, 0, NULL), -ESTALE);
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_DETACH_BACKING, 1);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, 0, NULL), -ESTALE);
	c[0] = c_scanout(0, 1, 64, 64);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, 0, NULL), -ESTALE);
	c[0] = c_create(1, 64, 64);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, 0, NULL), -EEXIST);
	s = vgpu_stats(fd);
	assert_stats_eq(&base, &s);

	/* UNREF ends it without the device; the id is free again. */
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 1);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, queued, NULL), 0);
	igt_assert_eq(syncobj_wait(fd, queued, JOB_TIMEOUT), 0);
	igt_assert_eq(syncobj_status(fd, queued), 1);
	s = vgpu_stats_settle(fd, base.resources - 1);
	igt_assert_eq_u64(s.resources, base.resources - 1);
	igt_assert_eq_u64(s.sent, base.sent);
	c[0] = c_create(1, 64, 64);
	c[1] = c_attach(1, bo, 0, size);
	c[2] = c_transfer(1, 64, 0, 0, 64, 64);
	vrun_ok(fd, ring, c, 3);
	s = vgpu_stats(fd);
	igt_assert_eq_u64(s.sent, base.sent + 3);
	igt_assert_eq_u64(s.errors, base.errors);
	igt_assert_eq_u64(s.resources, base.resources);
	close(fd);
}

/* ---- virtio-unbind-while-completing ------------------------------------ */

#define UC_ROUNDS	3u
#define UC_THREADS	2u	/* streams, each its own file and ring */
#define UC_CMDS		8u	/* per job: transfers, then GET_DISPLAY_INFO */
#define UC_W		1024u
#define UC_H		1024u	/* 4 MiB of backing per stream */
#define UC_WINDOW	48u	/* a stream's jobs submitted, not yet waited for */
#define UC_MAX_JOBS	200000u	/* a stream nothing stops ends here */
#define UC_WAIT_MS	10000	/* for one fence */
#define UC_GONE_S	20u	/* for a stream to end once the device is gone */

/*
 * One stream of jobs on resource 1 of its file (UC_W x UC_H, all of its
 * BO as backing): a thread submits jobs of UC_CMDS - 1 transfers of the
 * whole resource and a GET_DISPLAY_INFO, exports each job's fence as a
 * sync_file (which outlives the device), takes the status of those that
 * signalled, and once UC_WINDOW are outstanding waits for the oldest,
 * until an ioctl fails. Then it waits for all it still holds. The
 * transfers keep the device busy (28 MiB of copies a job) and order the
 * stream's jobs (they read the same bytes): where submitting is fast
 * (Debian's kernel) a window of jobs waits behind the one on the device;
 * where it is slow (the debug kernel) the device keeps up, and a job or
 * two is in flight. A job ordered behind one that the unbind failed runs
 * on a stopped engine: -ENODEV as well. No IGT calls in the thread: the
 * test checks the counts.
 */
struct uc_stream {
	int fd;
	uint32_t ring;
	pthread_t thread;
	volatile unsigned int submitted;	/* jobs whose fence it holds */
	volatile unsigned int ok;		/* fences signalled, status 1 */
	volatile unsigned int enodev;		/* fences signalled, -ENODEV */
	volatile unsigned int other;		/* another status */
	volatile int first_other;		/* ... the first of them */
	volatile unsigned int unsignalled;	/* not in UC_WAIT_MS */
	volatile unsigned int lost;	/* submitted, fence not exported */
	const char *volatile what;	/* the call that ended the loop */
	volatile int err;		/* ... and its errno */
	volatile unsigned int outstanding;	/* held, not yet signalled */
	volatile bool done;
	volatile bool stop;
};

/* Count @sf's status once it signals (waiting up to @ms) and close it. */
static bool uc_settle(struct uc_stream *s, int sf, int ms)
{
	struct pollfd pfd = { .fd = sf, .events = POLLIN };
	struct sync_file_info info = {};

	if (poll(&pfd, 1, ms) != 1) {
		if (!ms)
			return false;	/* not yet: keep it */
		s->unsignalled++;
	} else if (ioctl(sf, SYNC_IOC_FILE_INFO, &info)) {
		if (!s->other++)
			s->first_other = -errno;
	} else if (info.status == 1) {
		s->ok++;
	} else if (info.status == -ENODEV) {
		s->enodev++;
	} else if (!s->other++) {
		s->first_other = info.status;
	}
	close(sf);
	return true;
}

static void *uc_loop(void *arg)
{
	struct uc_stream *s = arg;
	struct drm_gring_vgpu_cmd c[UC_CMDS];
	int window[UC_WINDOW];
	unsigned int head = 0, n = 0, i;

	for (i = 0; i + 1 < UC_CMDS; i++)
		c[i] = c_transfer(1, UC_W, 0, 0, UC_W, UC_H);
	c[i] = c_id(DRM_GRING_VGPU_GET_DISPLAY_INFO, 0);
	while (!s->stop && s->submitted < UC_MAX_JOBS) {
		struct drm_gring_submit sub = {
			.ring_id = s->ring, .cmds = (uintptr_t)c,
			.cmd_count = UC_CMDS, .cmd_size = sizeof(c[0]),
		};
		uint32_t sync;
		int ret, sf;

		if (drmSyncobjCreate(s->fd, 0, &sync)) {
			s->what = "SYNCOBJ_CREATE";
			s->err = errno;
			break;
		}
		sub.out_sync = sync;
		ret = __submit(s->fd, &sub);
		if (ret) {
			s->what = "SUBMIT";
			s->err = -ret;
		} else if (drmSyncobjExportSyncFile(s->fd, sync, &sf)) {
			/* The device went between the two. */
			s->what = "export of a submitted job's fence";
			s->err = errno;
			s->lost++;
			ret = -1;
		}
		drmSyncobjDestroy(s->fd, sync);
		if (ret)
			break;
		s->submitted++;
		window[(head + n++) % UC_WINDOW] = sf;
		/* The oldest that signalled; and room for the next one. */
		while (n && uc_settle(s, window[head],
				      n == UC_WINDOW ? UC_WAIT_MS : 0)) {
			head = (head + 1) % UC_WINDOW;
			n--;
		}
		s->outstanding = n;
	}
	for (; n; n--, head = (head + 1) % UC_WINDOW)
		uc_settle(s, window[head], UC_WAIT_MS);
	s->done = true;
	return NULL;
}

/*
 * One round: UC_THREADS streams on a freshly bound device; once each has
 * had @want jobs complete (the later the round, the longer the streams
 * run first) and has jobs outstanding, the function is unbound under
 * them. Adds to @ok and @enodev.
 */
static void uc_round(unsigned int round, unsigned int want, unsigned int *ok,
		     unsigned int *enodev)
{
	struct uc_stream s[UC_THREADS];
	unsigned int i, flowing = 0, held[UC_THREADS];
	uint64_t t0;

	memset(s, 0, sizeof(s));
	vt_take(&devs);
	for (i = 0; i < UC_THREADS; i++) {
		const uint64_t backing = UC_W * UC_H * CPP;
		struct drm_gring_vgpu_cmd c[2];
		uint32_t bo;

		s[i].fd = vt_open_render(devs.second);
		s[i].ring = vring_create(s[i].fd);
		s[i].what = "nothing";
		bo = igt_gring_gem_create(s[i].fd, backing, NULL);
		c[0] = c_create(1, UC_W, UC_H);
		c[1] = c_attach(1, bo, 0, backing);
		vrun_ok(s[i].fd, s[i].ring, c, 2);
		igt_assert_eq(pthread_create(&s[i].thread, NULL, uc_loop, &s[i]),
			      0);
	}

	/* Jobs completing, more outstanding behind them: unbind now. */
	for (t0 = now_ns(); now_ns() - t0 < 30 * NSEC_PER_SEC; usleep(1000)) {
		for (flowing = 0, i = 0; i < UC_THREADS; i++) {
			held[i] = s[i].outstanding;
			flowing += s[i].ok >= want && held[i] && !s[i].done;
		}
		if (flowing == UC_THREADS)
			break;
	}
	if (flowing != UC_THREADS)
		for (i = 0; i < UC_THREADS; i++)
			s[i].stop = true;
	igt_assert_f(flowing == UC_THREADS,
		     "round %u: streams did not get going (%u of %u)\n", round,
		     flowing, UC_THREADS);
	igt_assert_eq(__igt_gring_write_text(VT_GRING_PCI "/unbind",
					     devs.second), 0);
	igt_assert(!vt_bound_to(devs.second, "gring"));

	/* Each stream's ioctls fail now, and every fence it holds signals. */
	for (t0 = now_ns(); now_ns() - t0 < UC_GONE_S * NSEC_PER_SEC;
	     usleep(1000)) {
		for (flowing = 0, i = 0; i < UC_THREADS; i++)
			flowing += !s[i].done;
		if (!flowing)
			break;
	}
	igt_assert_f(!flowing, "round %u: %u streams still running %u s after the unbind\n",
		     round, flowing, UC_GONE_S);
	for (i = 0; i < UC_THREADS; i++) {
		struct uc_stream *t = &s[i];

		igt_assert_eq(pthread_join(t->thread, NULL), 0);
		igt_info("round %u, stream %u: %u jobs, %u outstanding at the unbind: %u OK, %u -ENODEV, %u other, %u unsignalled, %u lost; ended by %s: %s\n",
			 round, i, t->submitted, held[i], t->ok, t->enodev,
			 t->other, t->unsignalled, t->lost, t->what,
			 strerror(t->err));
		igt_assert_f(t->unsignalled == 0, "%u fences never signalled\n",
			     t->unsignalled);
		igt_assert_f(t->other == 0, "%u fences with another status, the first %d (%s)\n",
			     t->other, t->first_other,
			     strerror(-t->first_other));
		igt_assert_eq_u32(t->ok + t->enodev, t->submitted);
		igt_assert_f(t->err == ENODEV, "stream %u ended by %s with %s, not ENODEV\n",
			     i, t->what, strerror(t->err));
		*ok += t->ok;
		*enodev += t->enodev;
		close(t->fd);
	}
}

/*
 * The function unbound while jobs complete: streams of transfer jobs on
 * two files, each with jobs outstanding behind the one the device is
 * working on (a window of them where submitting outpaces the device), so
 * the unbind's reset meets interrupts, the dequeue work and its fence
 * signalling in progress. Each stream's ioctls end with ENODEV;
 * every fence it got signals, with OK (answered before the reset) or
 * -ENODEV, none hangs. Three rounds, each unbinding later in its stream;
 * then the rebound device works and its controlq is idle. The debug
 * lane's checks (lockdep, KASAN, DMA-API, kmemleak) watch all of it.
 */
static void test_unbind_while_completing(void)
{
	unsigned int round, ok = 0, enodev = 0;
	struct vgpu_stats s;
	uint32_t ring;
	int fd;

	fd = vgpu_open();
	igt_require_f(igt_gring_get_param(fd, DRM_GRING_PARAM_MAX_BO_SIZE) >=
		      UC_W * UC_H * CPP, "BOs of %u bytes\n", UC_W * UC_H * CPP);
	close(fd);
	for (round = 0; round < UC_ROUNDS; round++)
		uc_round(round, 8 + 40 * round, &ok, &enodev);
	igt_info("%u rounds: %u jobs OK, %u ended -ENODEV\n", UC_ROUNDS, ok,
		 enodev);

	fd = vgpu_open();
	ring = vring_create(fd);
	vrun_ok(fd, ring, (struct drm_gring_vgpu_cmd[]){
			c_id(DRM_GRING_VGPU_GET_DISPLAY_INFO, 0) }, 1);
	s = vgpu_stats(fd);
	assert_queue_idle(&s);
	close(fd);
}

igt_main
{
	igt_fixture {
		vt_require_two_devices(&devs);
		igt_install_exit_handler(exit_handler);
	}

	igt_describe("PARAM_ENGINES: the device gring made on the virtio-gpu function has the virtio-gpu engine, the platform device only the soft one, and RING_CREATE follows.");
	igt_subtest("virtio-engines-param")
		test_engines_param();

	igt_describe("GET_DISPLAY_INFO through a virtio-gpu ring writes the device's answer into the response BO: scanout 0 is the 1280x800 QEMU was given, nothing else enabled.");
	igt_subtest("virtio-ring-display-info")
		test_display_info();

	igt_describe("Create, attach, transfer, scanout, flush in one job: every response OK_NODATA, debugfs counts one resource with a backing, and scanout off + detach + unref take it back.");
	igt_subtest("virtio-2d-round-trip")
		test_round_trip();

	igt_describe("Every malformed command is refused with its errno, alone or beside good ones, before it reaches the device: counts and seqnos unchanged, good commands still work.");
	igt_subtest("virtio-bad-commands")
		test_bad_commands();

	igt_describe("A command the device refuses (a 16384x16384 resource, over QEMU's host memory) fails its job's fence with -ENOMEM; the ring goes on.");
	igt_subtest("virtio-device-error-fence")
		test_device_error();

	igt_describe("10000 commands in jobs of 32 leave no resource, backing, descriptor or BO behind.");
	igt_subtest("virtio-commands-10000")
		test_many();

	igt_describe("Closing a file frees its resources and backings, even one on a scanout.");
	igt_subtest("virtio-close-frees-resources")
		test_close_frees();

	igt_describe("While a transfer is queued behind an unsignalled in-fence its backing is the device's: CPU_PREP NOWAIT is -EBUSY there and 0 beside it, then 0 once the job is done.");
	igt_subtest("virtio-prep-busy-during-transfer")
		test_prep_busy();

	igt_describe("100 pairs of jobs on one ring, the second of each touching the first's bytes (the same backing rows, the same response bytes), the first busy on the device (30 transfers of 4 MiB), all submitted at once: the second waits for the first instead of being refused; every fence OK, every slot ends with the second job's display info.");
	igt_subtest("virtio-same-ring-overlap")
		test_same_ring_overlap();

	igt_describe("Unbinding the function with a job queued, a resource on the scanout and a file open: the job fails, the old file gets -ENODEV, and binding again gives a working device.");
	igt_subtest("virtio-unbind-busy")
		test_unbind_busy();

	igt_describe("A device that never answers: the job times out after 10 s with -ETIMEDOUT, the device is reset and set up again, a job queued behind it naming a resource ends -ESTALE unsent, the same ring's next job runs; the lost resource is -ESTALE at SUBMIT until unref'd, then created anew.");
	igt_subtest("virtio-hung-job-reset")
		test_hung_job();

	igt_describe("Unbinding the function while two streams of transfer jobs complete, more of each outstanding: every fence signals, OK or -ENODEV, each stream's ioctls end with ENODEV, nothing hangs; three rounds, then a rebind gives a working, idle device.");
	igt_subtest("virtio-unbind-while-completing")
		test_unbind_while_completing();

	igt_fixture
		vt_give_back(&devs);
}
