// SPDX-License-Identifier: MIT
/*
 * libgring checks that need no gring device (argument and error paths,
 * command builders), plus, when a gring device is present, a BO round trip
 * and the ring verbs: every expected value (bytes, offsets, seqnos,
 * owners, errnos) is computed here from what the test asked for.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gring.h>

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		failures++;						\
	}								\
} while (0)

static void test_params(void)
{
	static const char *const names[] = {
		[DRM_GRING_PARAM_UAPI_VERSION] = "UAPI_VERSION",
		[DRM_GRING_PARAM_MAX_BO_SIZE] = "MAX_BO_SIZE",
		[DRM_GRING_PARAM_BO_ALIGN] = "BO_ALIGN",
		[DRM_GRING_PARAM_PINNED_CAP] = "PINNED_CAP",
		[DRM_GRING_PARAM_ENGINES] = "ENGINES",
	};
	uint32_t p;

	for (p = 0; p < 5; p++) {
		const struct gring_param_info *info = gring_param_info(p);

		CHECK(info && info->param == p);
		CHECK(info && !strcmp(info->name, names[p]));
		CHECK(gring_param_name(p) && !strcmp(gring_param_name(p), names[p]));
	}
	CHECK(gring_param_info(DRM_GRING_PARAM_MAX_BO_SIZE)->unit == GRING_UNIT_BYTES);
	CHECK(gring_param_info(DRM_GRING_PARAM_UAPI_VERSION)->unit == GRING_UNIT_NONE);
	CHECK(gring_param_info(DRM_GRING_PARAM_PINNED_CAP)->unit == GRING_UNIT_BYTES);
	CHECK(gring_param_info(DRM_GRING_PARAM_ENGINES)->unit == GRING_UNIT_NONE);
	CHECK(!gring_param_info(5));
	CHECK(!gring_param_name(~0u));
}

static void test_open_errors(void)
{
	struct gring_device dev;
	char long_path[GRING_PATH_MAX + 8];
	int fds[2];

	dev.fd = 42;
	CHECK(gring_device_open_path(&dev, "/dev/null") == -ENODEV);
	CHECK(dev.fd == -1);
	CHECK(gring_device_open_path(&dev, "/nonexistent/renderD128") == -ENOENT);
	CHECK(dev.fd == -1);

	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	CHECK(gring_device_open_path(&dev, long_path) == -ENAMETOOLONG);

	gring_device_close(&dev);
	gring_device_close(&dev);
	CHECK(gring_device_fd(&dev) == -1);

	CHECK(gring_check_fd(-1) == -EBADF);
	CHECK(pipe(fds) == 0);
	CHECK(gring_check_fd(fds[0]) == -ENODEV);
	close(fds[0]);
	close(fds[1]);
}

static void test_closed_device(void)
{
	struct gring_device dev = { .fd = -1 };
	struct gring_version ver;
	struct gring_bo bo;
	uint64_t value = 7;

	CHECK(gring_get_param(&dev, DRM_GRING_PARAM_BO_ALIGN, &value) == -EBADF);
	CHECK(value == 7);
	CHECK(gring_device_version(&dev, &ver) == -EBADF);

	memset(&bo, 0xff, sizeof(bo));
	CHECK(gring_bo_create(&dev, 4096, 0, &bo) == -EBADF);
	CHECK(bo.handle == 0 && bo.size == 0 && !bo.map);
	CHECK(gring_bo_close(&dev, &bo) == 0);	/* zeroed: already closed */
	CHECK(gring_bo_unmap(&bo) == 0);
}

/* The ring verbs on a closed device: -EBADF, outputs untouched. */
static void test_closed_device_rings(void)
{
	struct gring_device dev = { .fd = -1 };
	struct gring_cmdring ring = { .id = 3 };
	struct gring_cmdring_info info = { .size = 77 };
	struct gring_bo bo = { .handle = 1, .size = 4096 };
	struct drm_gring_cmd nop;
	uint64_t seqno = 9;
	uint32_t h = 5;

	gring_op_nop(&nop);
	CHECK(gring_cmdring_query(&dev, &ring, &info) == -EBADF);
	CHECK(info.size == 77);
	CHECK(gring_cmdring_submit(&dev, &ring, &nop, 1, NULL, 0, &seqno) == -EBADF);
	CHECK(seqno == 9);
	CHECK(gring_cmdring_destroy(&dev, &ring) == -EBADF);
	CHECK(ring.id == 3);
	CHECK(gring_syncobj_create(&dev, &h) == -EBADF);
	CHECK(h == 5);
	CHECK(gring_syncobj_destroy(&dev, 1) == -EBADF);
	CHECK(gring_wait(&dev, 1, 0, 0) == -EBADF);
	{
		struct gring_ring_status st = { 0 };

		CHECK(gring_ring_status_map(&dev, 1, &st) == -EBADF);
		CHECK(!st.page);
	}
	CHECK(gring_fence_status(&dev, 1, 0) == -EBADF);
	CHECK(gring_cpu_prep(&dev, &bo, 0, 4, DRM_GRING_PREP_READ, 0) == -EBADF);
	CHECK(gring_cpu_fini(&dev, &bo, 0, 4) == -EBADF);
	CHECK(gring_cmdring_create(&dev, DRM_GRING_ENGINE_SOFT, 0, &ring) == -EBADF);
	CHECK(ring.id == 0 && ring.size == 0);
}

/*
 * Each builder writes every field of the command: start from all-ones
 * and compare with the command as the uapi's documentation spells it.
 */
static void test_op_builders(void)
{
	const struct gring_bo dst = { .handle = 0x11, .size = 8192 };
	const struct gring_bo src = { .handle = 0x22, .size = 8192 };
	struct drm_gring_cmd got, want;

#define BUILT_AS(call, ...) do {					\
		memset(&got, 0xff, sizeof(got));			\
		call;							\
		want = (struct drm_gring_cmd){ __VA_ARGS__ };		\
		CHECK(!memcmp(&got, &want, sizeof(got)));		\
	} while (0)

	BUILT_AS(gring_op_nop(&got), .op = DRM_GRING_OP_NOP);
	BUILT_AS(gring_op_write32(&got, &dst, 12, 0xdeadbeef),
		 .op = DRM_GRING_OP_WRITE32, .dst_handle = 0x11,
		 .dst_offset = 12, .value = 0xdeadbeef);
	BUILT_AS(gring_op_write64(&got, &dst, 16, 0x0123456789abcdefull),
		 .op = DRM_GRING_OP_WRITE64, .dst_handle = 0x11,
		 .dst_offset = 16, .value = 0x0123456789abcdefull);
	BUILT_AS(gring_op_copy(&got, &dst, 3, &src, 5, 7),
		 .op = DRM_GRING_OP_COPY, .dst_handle = 0x11, .dst_offset = 3,
		 .src_handle = 0x22, .src_offset = 5, .size = 7);
	BUILT_AS(gring_op_fill(&got, &dst, 64, 128, 0xa5a5a5a5),
		 .op = DRM_GRING_OP_FILL, .dst_handle = 0x11, .dst_offset = 64,
		 .size = 128, .value = 0xa5a5a5a5);
	BUILT_AS(gring_op_timestamp(&got, &dst, 24),
		 .op = DRM_GRING_OP_TIMESTAMP, .dst_handle = 0x11,
		 .dst_offset = 24);
	BUILT_AS(gring_op_stall(&got, 1000),
		 .op = DRM_GRING_OP_STALL, .value = 1000);
#undef BUILT_AS
}

/*
 * The virtio-gpu builders, like the soft ones: from all-ones, every field
 * as the uapi's doc comment of struct drm_gring_vgpu_cmd spells it, the
 * transfer offset worked out here from the resource's row pitch.
 */
static void test_vgpu_builders(void)
{
	const struct gring_bo bo = { .handle = 0x33, .size = 1 << 20 };
	const struct gring_bo resp = { .handle = 0x44, .size = 4096 };
	const struct gring_vgpu_resource res = {
		.id = 7, .format = 2, .width = 640, .height = 480,
	};
	const struct gring_vgpu_resource big = {
		.id = 9, .format = 2, .width = 16384, .height = 16384,
	};
	const struct drm_gring_vgpu_rect r = {
		.x = 10, .y = 20, .width = 30, .height = 40,
	};
	const struct drm_gring_vgpu_rect corner = {
		.x = 16383, .y = 16383, .width = 1, .height = 1,
	};
	const struct gring_vgpu_resource huge = {
		.id = 9, .format = 2, .width = 100000, .height = 100000,
	};
	const struct drm_gring_vgpu_rect far = {
		.x = 3, .y = 50000, .width = 1, .height = 1,
	};
	struct drm_gring_vgpu_cmd got, want;

#define BUILT_AS(call, ...) do {					\
		memset(&got, 0xff, sizeof(got));			\
		call;							\
		want = (struct drm_gring_vgpu_cmd){ __VA_ARGS__ };	\
		CHECK(!memcmp(&got, &want, sizeof(got)));		\
	} while (0)

	/* VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM is 2 in the virtio spec. */
	CHECK(GRING_VGPU_FORMAT_XRGB8888 == 2);
	/* ctrl_hdr: type, flags, fence_id (64), ctx_id, ring_idx + 3 pad. */
	CHECK(GRING_VGPU_RESP_HDR_SIZE == 4 + 4 + 8 + 4 + 4);
	CHECK(GRING_VGPU_RESP_DISPLAY_SIZE == 24 + 16 * (16 + 4 + 4));

	BUILT_AS(gring_vgpu_op_get_display_info(&got, &resp, 64),
		 .type = 0x0100, .resp_handle = 0x44, .resp_offset = 64);
	BUILT_AS(gring_vgpu_op_create_2d(&got, &res),
		 .type = 0x0101, .resource_id = 7, .format = 2, .width = 640,
		 .height = 480);
	BUILT_AS(gring_vgpu_op_unref(&got, &res),
		 .type = 0x0102, .resource_id = 7);
	BUILT_AS(gring_vgpu_op_set_scanout(&got, 3, &res, &r),
		 .type = 0x0103, .resource_id = 7, .scanout_id = 3,
		 .rect = { 10, 20, 30, 40 });
	/* Scanout off: resource 0 and no rectangle, whatever @rect says. */
	BUILT_AS(gring_vgpu_op_set_scanout(&got, 1, NULL, &r),
		 .type = 0x0103, .scanout_id = 1);
	BUILT_AS(gring_vgpu_op_flush(&got, &res, &r),
		 .type = 0x0104, .resource_id = 7, .rect = { 10, 20, 30, 40 });
	/* Row 20 of 640 pixels, then 10 pixels, 4 bytes each. */
	BUILT_AS(gring_vgpu_op_transfer(&got, &res, &r),
		 .type = 0x0105, .resource_id = 7, .bo_offset = 51240,
		 .rect = { 10, 20, 30, 40 });
	/* The last pixel of the largest resource. */
	BUILT_AS(gring_vgpu_op_transfer(&got, &big, &corner),
		 .type = 0x0105, .resource_id = 9,
		 .bo_offset = 1073741820ull,
		 .rect = { 16383, 16383, 1, 1 });
	/* Beyond MAX_DIM (the kernel's to refuse): no 32-bit wrap. */
	BUILT_AS(gring_vgpu_op_transfer(&got, &huge, &far),
		 .type = 0x0105, .resource_id = 9,
		 .bo_offset = 20000000012ull,
		 .rect = { 3, 50000, 1, 1 });
	BUILT_AS(gring_vgpu_op_attach_backing(&got, &res, &bo, 8192, 1228800),
		 .type = 0x0106, .resource_id = 7, .bo_handle = 0x33,
		 .bo_offset = 8192, .bo_size = 1228800);
	BUILT_AS(gring_vgpu_op_detach_backing(&got, &res),
		 .type = 0x0107, .resource_id = 7);
	/* A response on any command touches only the two response fields. */
	BUILT_AS((gring_vgpu_op_flush(&got, &res, &r),
		  gring_vgpu_op_response(&got, &resp, 128)),
		 .type = 0x0104, .resource_id = 7, .rect = { 10, 20, 30, 40 },
		 .resp_handle = 0x44, .resp_offset = 128);
#undef BUILT_AS

	CHECK(gring_vgpu_backing_size(&res) == 1228800);
	CHECK(gring_vgpu_backing_size(&big) == 1073741824ull);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* A display-info response laid out byte by byte as the virtio spec has it. */
static void test_vgpu_parse_display_info(void)
{
	unsigned char buf[24 + 16 * 24 + 8];
	struct gring_vgpu_display_info info;
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	put_le32(buf, 0x1101);		/* VIRTIO_GPU_RESP_OK_DISPLAY_INFO */
	put_le32(buf + 4, 0xffffffff);	/* header flags: not ours to read */
	for (i = 0; i < 16; i++) {
		unsigned char *one = buf + 24 + i * 24;

		put_le32(one, 100 * i);
		put_le32(one + 4, 100 * i + 1);
		put_le32(one + 8, i == 0 ? 1280 : 1000 + i);
		put_le32(one + 12, i == 0 ? 800 : 2000 + i);
		put_le32(one + 16, i == 0 || i == 15);
		put_le32(one + 20, 0x10 + i);
	}

	memset(&info, 0xaa, sizeof(info));
	CHECK(gring_vgpu_parse_display_info(buf, 24 + 16 * 24, &info) == 0);
	for (i = 0; i < 16; i++) {
		const struct gring_vgpu_scanout *s = &info.scanouts[i];

		CHECK(s->rect.x == 100 * i && s->rect.y == 100 * i + 1);
		CHECK(s->rect.width == (i == 0 ? 1280 : 1000 + i));
		CHECK(s->rect.height == (i == 0 ? 800 : 2000 + i));
		CHECK(s->enabled == (i == 0 || i == 15));
		CHECK(s->flags == 0x10 + i);
	}

	/* Too short, or not an OK_DISPLAY_INFO: refused, @info untouched. */
	memset(&info, 0xaa, sizeof(info));
	CHECK(gring_vgpu_parse_display_info(buf, 24 + 16 * 24 - 1, &info) ==
	      -EINVAL);
	put_le32(buf, 0x1200);		/* VIRTIO_GPU_RESP_ERR_UNSPEC */
	CHECK(gring_vgpu_parse_display_info(buf, sizeof(buf), &info) ==
	      -EPROTO);
	put_le32(buf, 0x1100);		/* OK_NODATA is not display info */
	CHECK(gring_vgpu_parse_display_info(buf, sizeof(buf), &info) ==
	      -EPROTO);
	CHECK(info.scanouts[0].rect.width == 0xaaaaaaaa);
}

/* The virtio-gpu verbs on a closed device: -EBADF, outputs untouched. */
static void test_closed_device_vgpu(void)
{
	struct gring_device dev = { .fd = -1 };
	struct gring_cmdring ring = { .id = 3,
		.engine = DRM_GRING_ENGINE_VIRTIO_GPU };
	struct gring_bo resp = { .handle = 1, .size = 4096 };
	const struct gring_vgpu_resource res = {
		.id = 1, .format = 2, .width = 8, .height = 8,
	};
	struct gring_vgpu_display_info info = { 0 };
	struct drm_gring_vgpu_cmd cmd;
	uint64_t seqno = 9, mask = 5;
	unsigned char page[4096];

	gring_vgpu_op_unref(&cmd, &res);
	CHECK(gring_vgpu_submit(&dev, &ring, &cmd, 1, NULL, 0, &seqno) == -EBADF);
	CHECK(seqno == 9);
	CHECK(gring_vgpu_run(&dev, &ring, &cmd, 1, 0, 0) == -EBADF);
	CHECK(gring_vgpu_present(&dev, &ring, &res, NULL, 0, 0) == -EBADF);
	CHECK(gring_device_engines(&dev, &mask) == -EBADF);
	CHECK(mask == 5);
	/* Unmapped response BO: refused before anything is submitted. */
	CHECK(gring_vgpu_display_info(&dev, &ring, &resp, 0, &info, 0) ==
	      -EFAULT);
	resp.map = page;
	CHECK(gring_vgpu_display_info(&dev, &ring, &resp, 0, &info, 0) ==
	      -EBADF);
	CHECK(info.scanouts[0].rect.width == 0);
}

/* Only when a gring device is present (the VM): a BO's life, end to end. */
static void test_bo_round_trip(struct gring_device *dev)
{
	uint64_t align, max;
	struct gring_bo bo, again;
	unsigned char *p;
	uint64_t i;

	CHECK(gring_get_param(dev, DRM_GRING_PARAM_BO_ALIGN, &align) == 0);
	CHECK(gring_get_param(dev, DRM_GRING_PARAM_MAX_BO_SIZE, &max) == 0);
	CHECK(align && (align & (align - 1)) == 0);
	CHECK(gring_get_param(dev, 0xdead, &max) == -EINVAL);

	CHECK(gring_bo_create(dev, 0, 0, &bo) == -EINVAL);
	CHECK(gring_bo_create(dev, 4096, 1, &bo) == -EINVAL);
	CHECK(gring_bo_create(dev, max + 1, 0, &bo) == -E2BIG);
	CHECK(bo.handle == 0);

	CHECK(gring_bo_create(dev, align + 1, 0, &bo) == 0);
	CHECK(bo.handle != 0);
	CHECK(bo.size == 2 * align);
	CHECK(gring_bo_map(dev, &bo) == 0 && bo.map);
	CHECK(gring_bo_map(dev, &bo) == 0);	/* idempotent */
	p = bo.map;
	for (i = 0; p && i < bo.size; i++)
		p[i] = (unsigned char)(i * 7);

	/* A second mapping of the same object sees the same bytes. */
	again = bo;
	again.map = NULL;
	CHECK(gring_bo_map(dev, &again) == 0);
	for (i = 0; again.map && i < bo.size; i++)
		if (((unsigned char *)again.map)[i] != (unsigned char)(i * 7))
			break;
	CHECK(i == bo.size);
	CHECK(gring_bo_unmap(&again) == 0 && !again.map);

	CHECK(gring_bo_close(dev, &bo) == 0);
	CHECK(bo.handle == 0 && !bo.map);
	again.handle = 0x7fffffff;
	CHECK(gring_bo_close(dev, &again) == -EINVAL);
}

#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_SEC	1000000000ull

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Ring bytes of one soft-engine command, as the uapi's engine lays them out. */
static uint32_t words_of(uint32_t op)
{
	switch (op) {
	case DRM_GRING_OP_NOP: return 1;
	case DRM_GRING_OP_WRITE32: return 2;
	case DRM_GRING_OP_WRITE64: return 3;
	case DRM_GRING_OP_COPY: return 4;
	case DRM_GRING_OP_FILL: return 3;
	case DRM_GRING_OP_TIMESTAMP: return 2;
	case DRM_GRING_OP_STALL: return 2;
	}
	return 0;
}

/* A job's ring bytes: its commands plus the kernel's 3-word FENCE. */
static uint32_t job_bytes(const struct drm_gring_cmd *cmds, unsigned int n)
{
	uint32_t w = 3;

	while (n--)
		w += words_of(cmds[n].op);
	return w * 8;
}

static void test_cmdring_lifecycle(struct gring_device *dev)
{
	struct gring_cmdring ring, other, bogus;
	struct gring_cmdring_info info;

	memset(&ring, 0xff, sizeof(ring));
	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_VIRTIO_GPU + 1, 0,
				   &ring) == -EINVAL);
	CHECK(ring.id == 0 && ring.size == 0);
	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_SOFT, 3 * 4096,
				   &ring) == -EINVAL);

	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_SOFT, 0, &ring) == 0);
	CHECK(ring.id != 0 && ring.size == DRM_GRING_RING_SIZE_DEFAULT);
	CHECK(ring.engine == DRM_GRING_ENGINE_SOFT);
	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_SOFT,
				   DRM_GRING_RING_SIZE_MIN, &other) == 0);
	CHECK(other.id != ring.id && other.size == DRM_GRING_RING_SIZE_MIN);

	CHECK(gring_cmdring_query(dev, &other, &info) == 0);
	CHECK(info.size == DRM_GRING_RING_SIZE_MIN);
	CHECK(info.wptr == 0 && info.rptr == 0 && info.submitted == 0);
	CHECK(info.region_count == 1);
	CHECK(info.regions[0].offset == 0);
	CHECK(info.regions[0].size == DRM_GRING_RING_SIZE_MIN);
	CHECK(info.regions[0].owner == DRM_GRING_OWNER_CPU);

	bogus = other;
	CHECK(gring_cmdring_destroy(dev, &other) == 0);
	CHECK(other.id == 0);
	CHECK(gring_cmdring_destroy(dev, &other) == 0);	/* zeroed */
	/* The old id is gone: -ENOENT, the struct kept, info untouched. */
	info.size = 1234;
	CHECK(gring_cmdring_query(dev, &bogus, &info) == -ENOENT);
	CHECK(info.size == 1234);
	CHECK(gring_cmdring_destroy(dev, &bogus) == -ENOENT);
	CHECK(bogus.id != 0);
	CHECK(gring_cmdring_destroy(dev, &ring) == 0);
}

/*
 * One job of every data command; the bytes the BOs must hold afterwards
 * are computed here by doing the same operations on a plain copy.
 */
static void test_submit_results(struct gring_device *dev)
{
	const uint64_t size = 8192;
	struct gring_bo a, b;
	struct gring_cmdring ring;
	struct drm_gring_cmd cmds[6];
	unsigned char *want_a, *want_b;
	uint32_t sync, pattern = 0xc0ffee11, w32 = 0x12345678;
	uint64_t w64 = 0x8877665544332211ull, seqno = 0, t0, t1, ts;
	struct gring_cmdring_syncs syncs = { 0 };
	uint64_t i;

	want_a = calloc(1, size);
	want_b = calloc(1, size);
	CHECK(want_a && want_b);
	CHECK(gring_bo_create(dev, size, 0, &a) == 0);
	CHECK(gring_bo_create(dev, size, 0, &b) == 0);
	CHECK(gring_bo_map(dev, &a) == 0 && gring_bo_map(dev, &b) == 0);
	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_SOFT, 0, &ring) == 0);
	CHECK(gring_syncobj_create(dev, &sync) == 0);
	if (!want_a || !want_b || !a.map || !b.map)
		goto out;

	for (i = 0; i < size; i++)
		((unsigned char *)a.map)[i] = want_a[i] = (unsigned char)(i * 13 + 1);

	gring_op_fill(&cmds[0], &a, 4096, 256, pattern);
	gring_op_write32(&cmds[1], &a, 4096 + 260, w32);
	gring_op_write64(&cmds[2], &a, 4096 + 264, w64);
	/* Odd offsets and size, reading what FILL just wrote. */
	gring_op_copy(&cmds[3], &b, 3, &a, 4096 + 250, 333);
	gring_op_timestamp(&cmds[4], &b, size - 8);
	gring_op_nop(&cmds[5]);

	for (i = 0; i < 256; i += 4)
		memcpy(want_a + 4096 + i, &pattern, 4);
	memcpy(want_a + 4096 + 260, &w32, 4);
	memcpy(want_a + 4096 + 264, &w64, 8);
	memcpy(want_b + 3, want_a + 4096 + 250, 333);

	syncs.out = sync;
	t0 = now_ns();
	CHECK(gring_cmdring_submit(dev, &ring, cmds, 6, &syncs, 0, &seqno) == 0);
	CHECK(seqno == 1);
	CHECK(gring_wait(dev, sync, 0, 10 * NSEC_PER_SEC) == 0);
	t1 = now_ns();
	CHECK(gring_fence_status(dev, sync, 0) == 1);

	CHECK(!memcmp(a.map, want_a, size));
	CHECK(!memcmp(b.map, want_b, size - 8));
	memcpy(&ts, (unsigned char *)b.map + size - 8, 8);
	CHECK(ts >= t0 && ts <= t1);

	/* The next job gets the next seqno; seqno may be NULL. */
	CHECK(gring_cmdring_submit(dev, &ring, &cmds[5], 1, NULL, 0, &seqno) == 0);
	CHECK(seqno == 2);
	CHECK(gring_cmdring_submit(dev, &ring, &cmds[5], 1, NULL, 0, NULL) == 0);

	/* A bad command: -EINVAL, seqno untouched, nothing queued. */
	gring_op_write32(&cmds[0], &a, size, 1);
	CHECK(gring_cmdring_submit(dev, &ring, cmds, 1, NULL, 0, &seqno) == -EINVAL);
	CHECK(seqno == 2);
out:
	gring_syncobj_destroy(dev, sync);
	gring_cmdring_destroy(dev, &ring);
	gring_bo_close(dev, &a);
	gring_bo_close(dev, &b);
	free(want_a);
	free(want_b);
}

/*
 * While a stalled job is queued, its ring bytes and the BO range it
 * writes are the engine's (RING_QUERY, CPU_PREP NOWAIT); after the wait
 * both are the CPU's again, and a range the CPU holds refuses a job.
 */
static void test_ownership(struct gring_device *dev)
{
	const uint32_t rsize = DRM_GRING_RING_SIZE_MIN;
	struct gring_cmdring_syncs syncs = { 0 };
	struct gring_cmdring_info info;
	struct gring_cmdring ring;
	struct drm_gring_cmd cmds[2];
	struct gring_bo bo;
	uint32_t sync, bytes, *words;
	uint64_t seqno = 0;

	CHECK(gring_bo_create(dev, 8192, 0, &bo) == 0);
	CHECK(gring_bo_map(dev, &bo) == 0);
	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_SOFT, rsize, &ring) == 0);
	CHECK(gring_syncobj_create(dev, &sync) == 0);
	if (!bo.map)
		goto out;
	words = bo.map;

	gring_op_stall(&cmds[0], 400 * NSEC_PER_MSEC);
	gring_op_fill(&cmds[1], &bo, 4096, 4096, 0x5a5a0001);
	bytes = job_bytes(cmds, 2);
	syncs.out = sync;
	CHECK(gring_fence_status(dev, sync, 0) == -EINVAL);	/* no fence yet */
	CHECK(gring_cmdring_submit(dev, &ring, cmds, 2, &syncs, 0, &seqno) == 0);

	CHECK(gring_cmdring_query(dev, &ring, &info) == 0);
	CHECK(info.wptr == bytes && info.submitted == 1);
	CHECK(info.region_count == 2);
	CHECK(info.regions[0].offset == 0 && info.regions[0].size == bytes);
	CHECK(info.regions[0].owner == DRM_GRING_OWNER_GPU);
	CHECK(info.regions[1].offset == bytes);
	CHECK(info.regions[1].size == rsize - bytes);
	CHECK(info.regions[1].owner == DRM_GRING_OWNER_CPU);

	CHECK(gring_fence_status(dev, sync, 0) == 0);
	CHECK(gring_wait(dev, sync, 0, 10 * NSEC_PER_MSEC) == -ETIME);
	CHECK(gring_cpu_prep(dev, &bo, 8188, 4, DRM_GRING_PREP_READ |
			     DRM_GRING_PREP_NOWAIT, 0) == -EBUSY);
	/* The first page is not the job's: the CPU may take it now. */
	CHECK(gring_cpu_prep(dev, &bo, 0, 4096, DRM_GRING_PREP_WRITE |
			     DRM_GRING_PREP_NOWAIT, 0) == 0);
	CHECK(gring_cpu_fini(dev, &bo, 0, 4096) == 0);

	/* Blocking READ: returns after the job, its writes visible. */
	CHECK(gring_cpu_prep(dev, &bo, 4096, 4096, DRM_GRING_PREP_READ,
			     10 * NSEC_PER_SEC) == 0);
	CHECK(words[1024] == 0x5a5a0001 && words[2047] == 0x5a5a0001);
	CHECK(words[1023] == 0);
	CHECK(gring_cpu_fini(dev, &bo, 4096, 4096) == 0);
	CHECK(gring_cpu_fini(dev, &bo, 4096, 4096) == -EINVAL);
	CHECK(gring_wait(dev, sync, 0, 10 * NSEC_PER_SEC) == 0);

	CHECK(gring_cmdring_query(dev, &ring, &info) == 0);
	CHECK(info.rptr == bytes && info.completed == 1);
	CHECK(info.region_count == 1);
	CHECK(info.regions[0].offset == 0 && info.regions[0].size == rsize);
	CHECK(info.regions[0].owner == DRM_GRING_OWNER_CPU);

	/* Held by the CPU: a job writing it is refused, seqno untouched. */
	CHECK(gring_cpu_prep(dev, &bo, 0, 64, DRM_GRING_PREP_WRITE, 0) == 0);
	gring_op_write32(&cmds[0], &bo, 60, 1);
	CHECK(gring_cmdring_submit(dev, &ring, cmds, 1, NULL, 0, &seqno) == -EBUSY);
	CHECK(seqno == 1);
	CHECK(gring_cpu_fini(dev, &bo, 0, 64) == 0);
	CHECK(gring_cmdring_submit(dev, &ring, cmds, 1, NULL, 0, &seqno) == 0);
	CHECK(seqno == 2);
out:
	gring_syncobj_destroy(dev, sync);
	gring_cmdring_destroy(dev, &ring);
	gring_bo_close(dev, &bo);
}

/*
 * NONBLOCK on a full ring returns -EAGAIN at once (it must not be
 * retried inside the library); seqnos count up by one per job.
 */
static void test_nonblock_full(struct gring_device *dev)
{
	const uint32_t rsize = DRM_GRING_RING_SIZE_MIN;
	struct gring_cmdring ring;
	struct drm_gring_cmd stall, w;
	struct gring_bo bo;
	uint64_t seqno = 0, t0;
	unsigned int fitted = 0, most;
	int ret;

	CHECK(gring_bo_create(dev, 4096, 0, &bo) == 0);
	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_SOFT, rsize, &ring) == 0);
	/*
	 * Long enough for ~100 SUBMITs on the debug kernel under load, short
	 * of the 2 s job timeout.
	 */
	gring_op_stall(&stall, 1500 * NSEC_PER_MSEC);
	gring_op_write32(&w, &bo, 0, 1);
	/* The most that can fit beside the stall, one 8-byte slot kept free. */
	most = (rsize - 8 - job_bytes(&stall, 1)) / job_bytes(&w, 1);

	t0 = now_ns();
	CHECK(gring_cmdring_submit(dev, &ring, &stall, 1, NULL, 0, NULL) == 0);
	while ((ret = gring_cmdring_submit(dev, &ring, &w, 1, NULL,
					   DRM_GRING_SUBMIT_NONBLOCK, &seqno)) == 0) {
		fitted++;
		if (seqno != fitted + 1 || fitted > most)
			break;
	}
	CHECK(ret == -EAGAIN);
	CHECK(fitted <= most && fitted + 1 >= most);
	CHECK(seqno == fitted + 1);
	/* Still inside the stall: nothing waited for room. */
	CHECK(now_ns() - t0 < 1500 * NSEC_PER_MSEC);

	gring_cmdring_destroy(dev, &ring);
	gring_bo_close(dev, &bo);
}

/*
 * The same jobs through the ring's status page (after
 * test_wait_job_error(): jobs 1 and 2 hung, job 3 good): each outcome as
 * the fences said, without an ioctl; then a job still running, waited
 * for with gring_ring_wait().
 */
static void test_status_page(struct gring_device *dev,
			     const struct gring_cmdring *ring, uint32_t sync,
			     const struct gring_bo *bo)
{
	struct gring_cmdring_syncs syncs = { .out = sync };
	struct gring_ring_status st = { 0 };
	struct drm_gring_cmd cmds[2];
	uint64_t seqno = 0;

	CHECK(gring_ring_status_job(&st, 1) == -EINVAL);	/* unmapped */
	CHECK(gring_ring_status_map(dev, 0, &st) == -EINVAL);
	CHECK(gring_ring_status_map(dev, ring->id + 1, &st) == -ENOENT);
	CHECK(gring_ring_status_map(dev, ring->id, &st) == 0);
	if (!st.page)
		return;
	CHECK(gring_ring_status_job(&st, 1) == -ETIMEDOUT);
	CHECK(gring_ring_status_job(&st, 2) == -ETIMEDOUT);
	CHECK(gring_ring_status_job(&st, 3) == 1);
	CHECK(gring_ring_status_job(&st, 4) == 0);
	CHECK(gring_ring_status_job(&st, 0) == -EINVAL);
	CHECK(gring_ring_wait(dev, &st, 3, sync, 0, 0) == 0);

	/* Still running when the wait starts: 50 ms of stall, then a write. */
	gring_op_stall(&cmds[0], 50 * NSEC_PER_MSEC);
	gring_op_write32(&cmds[1], bo, 8, 0x5eed);
	CHECK(gring_cmdring_submit(dev, ring, cmds, 2, &syncs, 0, &seqno) == 0);
	CHECK(seqno == 4);
	CHECK(gring_ring_wait(dev, &st, seqno, sync, 0, 10 * NSEC_PER_SEC) == 0);
	CHECK(gring_ring_status_job(&st, seqno) == 1);
	CHECK(((uint32_t *)bo->map)[2] == 0x5eed);
	CHECK(st.page->completed == 4 && st.page->errors == 2);
	CHECK(gring_ring_status_unmap(&st) == 0);
	CHECK(!st.page);
}

/*
 * A hung job's error reaches gring_wait(), for a binary syncobj and for
 * a timeline point; a later point's own (good) status is not mixed up
 * with the earlier point's error.
 */
static void test_wait_job_error(struct gring_device *dev)
{
	struct gring_cmdring_syncs syncs = { 0 };
	struct gring_cmdring_info info;
	struct gring_cmdring ring;
	struct drm_gring_cmd hang[2], ok;
	struct gring_bo bo;
	uint32_t bin, tl, *words;

	CHECK(gring_bo_create(dev, 4096, 0, &bo) == 0);
	CHECK(gring_bo_map(dev, &bo) == 0);
	CHECK(gring_cmdring_create(dev, DRM_GRING_ENGINE_SOFT, 0, &ring) == 0);
	CHECK(gring_syncobj_create(dev, &bin) == 0);
	CHECK(gring_syncobj_create(dev, &tl) == 0);
	if (!bo.map)
		goto out;
	words = bo.map;
	gring_op_stall(&hang[0], DRM_GRING_STALL_MAX_NS);
	gring_op_write32(&hang[1], &bo, 0, 0xdead);
	gring_op_write32(&ok, &bo, 4, 0xa11fe);

	syncs.out = bin;
	CHECK(gring_cmdring_submit(dev, &ring, hang, 2, &syncs, 0, NULL) == 0);
	CHECK(gring_wait(dev, bin, 0, 60 * NSEC_PER_SEC) == -ETIMEDOUT);
	CHECK(gring_fence_status(dev, bin, 0) == -ETIMEDOUT);

	syncs.out = tl;
	syncs.out_point = 1;
	CHECK(gring_cmdring_submit(dev, &ring, hang, 2, &syncs, 0, NULL) == 0);
	syncs.out_point = 2;
	CHECK(gring_cmdring_submit(dev, &ring, &ok, 1, &syncs, 0, NULL) == 0);
	CHECK(gring_wait(dev, tl, 1, 60 * NSEC_PER_SEC) == -ETIMEDOUT);
	CHECK(gring_wait(dev, tl, 2, 60 * NSEC_PER_SEC) == 0);
	CHECK(words[0] == 0 && words[1] == 0xa11fe);

	CHECK(gring_cmdring_query(dev, &ring, &info) == 0);
	CHECK(info.timeouts == 2 && info.completed == 3);
	CHECK(gring_wait(dev, 0x7fffffff, 0, 0) == -ENOENT);
	test_status_page(dev, &ring, bin, &bo);
out:
	gring_syncobj_destroy(dev, bin);
	gring_syncobj_destroy(dev, tl);
	gring_cmdring_destroy(dev, &ring);
	gring_bo_close(dev, &bo);
}

int main(int argc, char **argv)
{
	/* In the VM the device must be there: its absence is a failure. */
	int require = argc > 1 && !strcmp(argv[1], "--require-device");
	struct gring_device dev;
	int ret;

	test_params();
	test_open_errors();
	test_closed_device();
	test_closed_device_rings();
	test_op_builders();
	test_vgpu_builders();
	test_vgpu_parse_display_info();
	test_closed_device_vgpu();

	ret = gring_device_open(&dev);
	if (ret == 0) {
		struct gring_version ver;

		CHECK(gring_device_version(&dev, &ver) == 0);
		CHECK(!strcmp(ver.name, GRING_DRIVER_NAME));
		CHECK(gring_check_fd(gring_device_fd(&dev)) == 0);
		test_bo_round_trip(&dev);
		test_cmdring_lifecycle(&dev);
		test_submit_results(&dev);
		test_ownership(&dev);
		test_nonblock_full(&dev);
		test_wait_job_error(&dev);
		gring_device_close(&dev);
	} else {
		printf("no gring device (%s): device checks skipped\n",
		       strerror(-ret));
		CHECK(ret == -ENODEV || ret == -EACCES);
		CHECK(dev.fd == -1);
		CHECK(!require);
	}

	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return EXIT_FAILURE;
	}
	printf("libgring: all checks passed\n");
	return EXIT_SUCCESS;
}
