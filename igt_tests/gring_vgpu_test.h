/* SPDX-License-Identifier: MIT */
/*
 * What the virtio-gpu engine's IGT binaries share (gring_vgpu: the uapi;
 * gring_vgpu_display: what the device shows): QEMU's configuration, the
 * virtio spec's codes, the device moved to gring and back, debugfs
 * counts, submit helpers and command builders written from the uapi doc.
 * Header-only, like gring_ring_test.h: each binary has its own copy of
 * the device state.
 */
#ifndef GRING_VGPU_TEST_H
#define GRING_VGPU_TEST_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"
#include "gring_ring_test.h"
#include "gring_virtio_test.h"

/* What tools/vm gives the second virtio-gpu-pci, and QEMU's defaults. */
#define XRES		1280
#define YRES		800
#define SCANOUTS	1

/* The virtio spec's numbers (<linux/virtio_gpu.h>), spelled out here. */
#define RESP_OK_NODATA		0x1100
#define RESP_OK_DISPLAY_INFO	0x1101
#define RESP_ERR_OUT_OF_MEMORY	0x1201
#define FORMAT_B8G8R8X8		2	/* XRGB8888 */
#define HDR_SIZE		24	/* struct virtio_gpu_ctrl_hdr */
#define DISPLAY_SIZE		(HDR_SIZE + 16 * 24)

#define CPP		4
#define JOB_TIMEOUT	(10 * NSEC_PER_SEC)

static struct vt_devices devs;

static inline void exit_handler(int sig)
{
	(void)sig;
	vt_give_back(&devs);
}

/*
 * debugfs dri/<minor>/gring_vgpu, as gring_vgpu_debugfs_show() writes it:
 *
 *   resources <n>
 *   resets <n>
 *     resource <hw id>: <w>x<h> refs <n> backing attached|none[, ...]
 *     scanout <n>: owned by a file
 *   commands sent <n> completed <n> errors <n>
 *   <the controlq's "<key> <number>" lines: num, num_free, inflight, ...>
 *
 * "completed" counts commands whose response came back, errors included;
 * "resources" those whose device id is taken, which a resource keeps until
 * nothing queued names it any more: shortly after the fence of its UNREF.
 */
struct vgpu_stats {
	uint64_t resources, resets, sent, completed, errors;
	uint64_t num, num_free, inflight, device_descs;
};

/* The number after "<key> " at the start of a line of @text. */
static inline uint64_t stat_field(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;
	char *end;

	while (p && *p) {
		if (!strncmp(p, key, len) && p[len] == ' ') {
			uint64_t n = strtoull(p + len + 1, &end, 0);

			igt_assert_f(end != p + len + 1 && (*end == '\n' || *end == ' '),
				     "bad line for %s in:\n%s", key, text);
			return n;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	igt_assert_f(false, "no %s in debugfs gring_vgpu:\n%s", key, text);
	return 0;
}

/*
 * The whole of debugfs gring_vgpu (malloc()ed): a line per resource, so
 * as long as the device has resources.
 */
static inline char *vgpu_debugfs_text(int fd)
{
	return igt_gring_debugfs_text(fd, "gring_vgpu");
}

static inline struct vgpu_stats vgpu_stats(int fd)
{
	char *buf = vgpu_debugfs_text(fd), *line;
	struct vgpu_stats s;

	s.resources = stat_field(buf, "resources");
	s.resets = stat_field(buf, "resets");
	line = strstr(buf, "\ncommands sent ");
	igt_assert_f(line && sscanf(line, "\ncommands sent %" SCNu64
				    " completed %" SCNu64 " errors %" SCNu64,
				    &s.sent, &s.completed, &s.errors) == 3,
		     "no \"commands sent N completed N errors N\" in:\n%s", buf);
	s.num = stat_field(buf, "num");
	s.num_free = stat_field(buf, "num_free");
	s.inflight = stat_field(buf, "inflight");
	s.device_descs = stat_field(buf, "device_descs");
	free(buf);
	return s;
}

/*
 * The counts once the device holds @resources resources again, or as they
 * are after 10 s: a closed file's resources are given back once its last
 * job has let go, shortly after close returned (uapi version 5).
 */
static inline struct vgpu_stats vgpu_stats_settle(int fd, uint64_t resources)
{
	struct vgpu_stats s;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		s = vgpu_stats(fd);
		if (s.resources == resources)
			break;
		usleep(10 * 1000);
	}
	return s;
}

/* Every descriptor back: none in flight, none the device's. */
static inline void assert_queue_idle(const struct vgpu_stats *s)
{
	igt_assert_eq_u64(s->num_free, s->num);
	igt_assert_eq_u64(s->inflight, 0);
	igt_assert_eq_u64(s->device_descs, 0);
}

static inline void assert_stats_eq(const struct vgpu_stats *a,
			    const struct vgpu_stats *b)
{
	igt_assert_eq_u64(a->resources, b->resources);
	igt_assert_eq_u64(a->sent, b->sent);
	igt_assert_eq_u64(a->completed, b->completed);
	igt_assert_eq_u64(a->errors, b->errors);
	igt_assert_eq_u64(a->num_free, b->num_free);
}

/* A fresh file on the virtio gring device. */
static inline int vgpu_open(void)
{
	vt_take(&devs);
	return vt_open_render(devs.second);
}

static inline int __vring_create(int fd, uint32_t engine, uint32_t size,
			  uint32_t *id)
{
	struct drm_gring_ring_create arg = { .engine = engine, .size = size };
	int ret = __ring_create(fd, &arg);

	if (!ret)
		*id = arg.ring_id;
	return ret;
}

static inline uint32_t vring_create(int fd)
{
	uint32_t id = 0;

	igt_assert_eq(__vring_create(fd, DRM_GRING_ENGINE_VIRTIO_GPU, 0, &id),
		      0);
	igt_assert(id);
	return id;
}

static inline int __vsubmit(int fd, uint32_t ring, const struct drm_gring_vgpu_cmd *c,
		     uint32_t n, uint32_t in_sync, uint32_t out_sync,
		     uint64_t *seqno)
{
	struct drm_gring_sync in = { .handle = in_sync };
	struct drm_gring_submit arg = {
		.ring_id = ring,
		.cmds = (uintptr_t)c,
		.cmd_count = n,
		.cmd_size = sizeof(*c),
		.in_syncs = in_sync ? (uintptr_t)&in : 0,
		.in_sync_count = !!in_sync,
		.out_sync = out_sync,
		.seqno = UNTOUCHED,
	};
	int ret = __submit(fd, &arg);

	if (seqno)
		*seqno = arg.seqno;
	if (ret)
		igt_assert_eq_u64(arg.seqno, UNTOUCHED);
	return ret;
}

/* Submit and wait; the fence's status (1: done without error, <0 error). */
static inline int vrun(int fd, uint32_t ring, const struct drm_gring_vgpu_cmd *c,
		uint32_t n)
{
	uint32_t sync = syncobj_create(fd);
	int status;

	igt_assert_eq(__vsubmit(fd, ring, c, n, 0, sync, NULL), 0);
	igt_assert_eq(syncobj_wait(fd, sync, JOB_TIMEOUT), 0);
	status = syncobj_status(fd, sync);
	drmSyncobjDestroy(fd, sync);
	return status;
}

static inline void vrun_ok(int fd, uint32_t ring, const struct drm_gring_vgpu_cmd *c,
		    uint32_t n)
{
	igt_assert_eq(vrun(fd, ring, c, n), 1);
}

/* Builders, written here from the uapi doc rather than taken from libgring. */
static inline struct drm_gring_vgpu_cmd c_create(uint32_t id, uint32_t w, uint32_t h)
{
	return (struct drm_gring_vgpu_cmd){
		.type = DRM_GRING_VGPU_RESOURCE_CREATE_2D, .resource_id = id,
		.format = FORMAT_B8G8R8X8, .width = w, .height = h };
}

static inline struct drm_gring_vgpu_cmd c_attach(uint32_t id, uint32_t bo,
					  uint64_t off, uint64_t size)
{
	return (struct drm_gring_vgpu_cmd){
		.type = DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING,
		.resource_id = id, .bo_handle = bo, .bo_offset = off,
		.bo_size = size };
}

static inline struct drm_gring_vgpu_cmd c_rect(uint32_t type, uint32_t id,
					uint32_t x, uint32_t y, uint32_t w,
					uint32_t h)
{
	return (struct drm_gring_vgpu_cmd){ .type = type, .resource_id = id,
		.rect = { x, y, w, h } };
}

/* TRANSFER of a rect, offset from a backing of @pitch_px pixels per row. */
static inline struct drm_gring_vgpu_cmd c_transfer(uint32_t id, uint32_t pitch_px,
					    uint32_t x, uint32_t y,
					    uint32_t w, uint32_t h)
{
	struct drm_gring_vgpu_cmd c =
		c_rect(DRM_GRING_VGPU_TRANSFER_TO_HOST_2D, id, x, y, w, h);

	c.bo_offset = ((uint64_t)y * pitch_px + x) * CPP;
	return c;
}

static inline struct drm_gring_vgpu_cmd c_id(uint32_t type, uint32_t id)
{
	return (struct drm_gring_vgpu_cmd){ .type = type, .resource_id = id };
}

static inline struct drm_gring_vgpu_cmd c_scanout(uint32_t scanout, uint32_t id,
					   uint32_t w, uint32_t h)
{
	struct drm_gring_vgpu_cmd c =
		c_rect(DRM_GRING_VGPU_SET_SCANOUT, id, 0, 0, w, h);

	c.scanout_id = scanout;
	return c;
}

static inline struct drm_gring_vgpu_cmd with_resp(struct drm_gring_vgpu_cmd c,
					   uint32_t bo, uint32_t off)
{
	c.resp_handle = bo;
	c.resp_offset = off;
	return c;
}

static inline uint32_t le32(const void *p)
{
	const uint8_t *b = p;

	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The response header's type at @off of a mapped BO, read under CPU_PREP. */
static inline uint32_t resp_type(int fd, uint32_t bo, const uint8_t *map,
			  uint64_t off)
{
	uint32_t type;

	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_READ, off, HDR_SIZE,
				 JOB_TIMEOUT), 0);
	type = le32(map + off);
	igt_assert_eq(__cpu_fini(fd, bo, off, HDR_SIZE), 0);
	return type;
}

static inline void assert_display_response(const uint8_t *p)
{
	unsigned int i;

	igt_assert_eq_u32(le32(p), RESP_OK_DISPLAY_INFO);
	p += HDR_SIZE;
	igt_info("scanout 0: %ux%u+%u+%u enabled %u\n", le32(p + 8),
		 le32(p + 12), le32(p), le32(p + 4), le32(p + 16));
	igt_assert_eq_u32(le32(p), 0);
	igt_assert_eq_u32(le32(p + 4), 0);
	igt_assert_eq_u32(le32(p + 8), XRES);
	igt_assert_eq_u32(le32(p + 12), YRES);
	igt_assert_eq_u32(le32(p + 16), 1);
	for (i = 1; i < 16; i++)
		igt_assert_eq_u32(le32(p + i * 24 + 16), 0);
}

static inline uint64_t ring_submitted(int fd, uint32_t ring, uint64_t *completed,
			       uint64_t *faults)
{
	struct drm_gring_ring_query q;

	query(fd, ring, &q, NULL, 0);
	if (completed)
		*completed = q.completed;
	if (faults)
		*faults = q.faults;
	return q.submitted;
}

/*
 * Make the device look hung from now on (root): debugfs hold_used has the
 * dequeue work leave the used ring alone, so the next job times out
 * (10 s) and the device is reset, which ends the simulated hang. The
 * reset is logged as an error, rightly; IGT's marker tells the runner it
 * is expected here (gring-igt-runner honours it for the rest of the
 * test; a splat would still count).
 */
static inline void vgpu_hang_device(void)
{
	char path[PATH_MAX];

	igt_assert_eq(__igt_gring_write_text("/dev/kmsg",
		"<6>[IGT] add ignored dmesg regex: gring-virtio-gpu-[0-9]+: job [0-9]+ hung; resetting the device\n"),
		      0);
	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/gring_virtio/%s/hold_used", devs.second);
	igt_assert_eq(__igt_gring_write_text(path, "Y"), 0);
}

#endif
