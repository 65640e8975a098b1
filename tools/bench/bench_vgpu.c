// SPDX-License-Identifier: MIT
/*
 * gring-bench: the virtio-gpu engine against the kernel's own virtio_gpu
 * driver, on the bench's two identical virtio-gpu-pci devices (1280x800):
 * the first stays with virtio_gpu, the second is bound to gring (the
 * benchmark binds it if nobody has, and gives it back afterwards).
 *
 * Every figure is to completion -- until the device has answered -- never
 * to an ioctl's return:
 *
 * vgpu.frame is a full-frame update through a gring virtio-gpu ring: one
 * job of TRANSFER_TO_HOST_2D (1280x800 XRGB), SET_SCANOUT and
 * RESOURCE_FLUSH, its fence waited for. Two resources take turns on the
 * scanout, so every frame is a new scanout, as on the other side.
 *
 * virtgpu.frame is the same through virtio_gpu. In 2D mode (no virgl) its
 * TRANSFER_TO_HOST ioctl attaches no fence, so WAIT returns at once; its
 * only flush is KMS's, and neither DIRTYFB nor a modeset to a dumb
 * framebuffer on the primary plane waits for the device (6.12's
 * prepare_fb makes a fence only for blob BOs). So one iteration is
 * drmModeSetCrtc() with the other of two dumb 1280x800 framebuffers (the
 * driver queues a transfer of the whole BO, the scanout and the flush)
 * followed by a barrier the uapi does wait for: RESOURCE_CREATE of a 1x1
 * resource (its create and attach carry a fence) and WAIT on it, then
 * GEM_CLOSE. The device answers the controlq in order, so the wait ends
 * only after the frame's three commands. The barrier costs virtio_gpu one
 * create + attach more than gring: that is virtgpu.rt, measured alone.
 *
 * gring's jobs are waited for as libgring's gring_ring_wait() does: the
 * ring's status page, the out-syncobj to sleep on, the page again for
 * the job's outcome (virtio_gpu's WAIT says nothing of one).
 *
 * vgpu.rt and virtgpu.rt are the round trip of the smallest operation each
 * driver's uapi waits for: a 1x1 resource created with backing (CREATE_2D
 * + ATTACH_BACKING, waited for) and one dropped (UNREF): the same three
 * commands for the device on both sides. virtio_gpu: RESOURCE_CREATE,
 * WAIT, GEM_CLOSE (whose unref it queues without waiting); gring batches
 * them as a client would: one job of UNREF (of the previous iteration's
 * resource) + CREATE_2D + ATTACH_BACKING, waited for.
 *
 * Each side runs on the CPU its device's queue interrupt is delivered to
 * (its extra "cpu"; -1 when that cannot be found, then unpinned). Both
 * drivers complete in a work item queued from the interrupt, on that
 * CPU; a waiter on the other vCPU pays a cross-CPU wakeup, which under
 * TCG (both vCPUs on one host thread) costs about as much as either
 * driver's own work. Left to the scheduler, a ratio follows where MSI-X
 * happened to route each device (0.71 to 0.94 for one build), not the
 * drivers.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>

#include "bench.h"

#define VGPU_W			1280
#define VGPU_H			800
#define VGPU_FRAME		((uint64_t)VGPU_W * VGPU_H * 4)
#define VGPU_FORMAT		2	/* VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM */
#define VGPU_WAIT_NS		(10ull * 1000 * 1000 * 1000)
#define PCI_DEVICES		"/sys/bus/pci/devices"

/* virtgpu_drm.h's RESOURCE_CREATE and WAIT (not in every libdrm). */
struct bench_virtgpu_resource_create {
	uint32_t target;
	uint32_t format;
	uint32_t bind;
	uint32_t width;
	uint32_t height;
	uint32_t depth;
	uint32_t array_size;
	uint32_t last_level;
	uint32_t nr_samples;
	uint32_t flags;
	uint32_t bo_handle;
	uint32_t res_handle;
	uint32_t size;
	uint32_t stride;
};

struct bench_virtgpu_wait {
	uint32_t handle;
	uint32_t flags;
};

#define BENCH_VIRTGPU_RESOURCE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + 0x04, struct bench_virtgpu_resource_create)
#define BENCH_VIRTGPU_WAIT \
	DRM_IOW(DRM_COMMAND_BASE + 0x08, struct bench_virtgpu_wait)

/* The benchmark's CPU while it runs: its device's interrupt's. */
struct irq_pin {
	cpu_set_t saved;	/* the thread's affinity before */
	bool pinned;
	int cpu;		/* -1: not pinned */
};

enum { X_CPU };

static const struct bench_extra vgpu_extras[] = {
	[X_CPU] = { "cpu", NULL },
};

struct vgpu_priv {
	struct irq_pin pin;
	int fd;			/* gring's device on the second function */
	char bdf[32];
	bool bound_here;	/* this benchmark bound it: give it back */
	uint32_t ring, sync;
	struct gring_ring_status status;	/* the ring's, mapped */
	uint64_t seqno;		/* of the last job submitted */
	uint32_t bo[2];
	uint32_t frame;		/* frames shown, for the turn taking */
};

struct virtgpu_priv {
	struct irq_pin pin;
	int fd;			/* virtio_gpu's primary node */
	uint32_t crtc, conn;
	drmModeModeInfo mode;
	uint32_t bo[2], fb[2];
	uint32_t frame;
};

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * The first CPU the interrupt of PCI function @bdf whose name ends in
 * @suffix is delivered to (/proc/interrupts, then the IRQ's
 * effective_affinity_list), or -1.
 */
static int irq_cpu(const char *bdf, const char *suffix)
{
	char line[1024], path[64], list[64];
	FILE *f = fopen("/proc/interrupts", "re");
	int irq = -1, cpu = -1;
	size_t sl = strlen(suffix);

	if (!f)
		return -1;
	while (irq < 0 && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");

		line[len] = '\0';
		if (strstr(line, bdf) && len >= sl &&
		    !strcmp(line + len - sl, suffix))
			irq = atoi(line);
	}
	fclose(f);
	if (irq < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/irq/%d/effective_affinity_list",
		 irq);
	if (!read_text(path, list, sizeof(list)) &&
	    list[0] >= '0' && list[0] <= '9')
		cpu = atoi(list);
	return cpu;
}

/* Run the calling thread on the CPU of @bdf's interrupt @suffix. */
static void irq_pin(struct irq_pin *pin, const char *bdf, const char *suffix)
{
	cpu_set_t set;

	pin->pinned = false;
	pin->cpu = irq_cpu(bdf, suffix);
	if (pin->cpu < 0 || sched_getaffinity(0, sizeof(pin->saved),
					      &pin->saved)) {
		pin->cpu = -1;
		return;
	}
	CPU_ZERO(&set);
	CPU_SET(pin->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		pin->cpu = -1;
		return;
	}
	pin->pinned = true;
}

static void irq_unpin(struct irq_pin *pin)
{
	if (pin->pinned)
		sched_setaffinity(0, sizeof(pin->saved), &pin->saved);
	pin->pinned = false;
}

/* The @nth (0-based) virtio-gpu PCI function, in bus order. */
static int find_virtio_gpu(unsigned int nth, char *bdf, size_t len)
{
	struct dirent **names;
	int n, i, ret = -ENODEV;

	n = scandir(PCI_DEVICES, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		char path[512], ven[16], dev[16];

		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor",
			 names[i]->d_name);
		if (read_text(path, ven, sizeof(ven)))
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/device",
			 names[i]->d_name);
		if (read_text(path, dev, sizeof(dev)))
			continue;
		if (!strcmp(ven, "0x1af4\n") && !strcmp(dev, "0x1050\n") &&
		    nth-- == 0 && ret &&
		    (size_t)snprintf(bdf, len, "%s", names[i]->d_name) < len)
			ret = 0;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

static bool bound_to(const char *bdf, const char *driver)
{
	char path[512], link[512];
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return !strcmp(strrchr(link, '/') + 1, driver);
}

/* Open the first node named @prefix* under @dir, or -1. */
static int open_node_in(const char *dir, const char *prefix)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		char path[300];

		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	closedir(d);
	return fd;
}

static void vgpu_give_back(struct vgpu_priv *p)
{
	char path[512];

	if (!p->bound_here)
		return;
	write_text("/sys/bus/pci/drivers/gring/unbind", p->bdf);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", p->bdf);
	write_text(path, "\n");
	write_text("/sys/bus/pci/drivers_probe", p->bdf);
	p->bound_here = false;
}

/* gring's device on the second virtio-gpu function, bound if need be. */
static int vgpu_open(struct bench_run *r, struct vgpu_priv *p)
{
	char path[512];
	int ret;

	p->fd = -1;
	if (find_virtio_gpu(1, p->bdf, sizeof(p->bdf)))
		return bench_unavailable(r, "no second virtio-gpu PCI function");
	if (!bound_to(p->bdf, "gring")) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver/unbind",
			 p->bdf);
		write_text(path, p->bdf);
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override",
			 p->bdf);
		ret = write_text(path, "gring");
		if (!ret)
			ret = write_text("/sys/bus/pci/drivers_probe", p->bdf);
		p->bound_here = true;
		if (ret || !bound_to(p->bdf, "gring")) {
			vgpu_give_back(p);
			return bench_unavailable(r, "cannot bind %s to gring (root?): %s",
						 p->bdf, strerror(-ret));
		}
	}
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/drm", p->bdf);
	p->fd = open_node_in(path, "renderD");
	if (p->fd < 0) {
		vgpu_give_back(p);
		return bench_fail(r, "no gring render node for %s", p->bdf);
	}
	return 0;
}

static int vgpu_submit(struct bench_run *r, struct vgpu_priv *p,
		       const struct drm_gring_vgpu_cmd *cmds, uint32_t n,
		       uint32_t sync)
{
	struct drm_gring_submit s = {
		.ring_id = p->ring,
		.cmds = (uintptr_t)cmds,
		.cmd_count = n,
		.cmd_size = sizeof(*cmds),
		.out_sync = sync,
	};

	if (drmIoctl(p->fd, DRM_IOCTL_GRING_SUBMIT, &s))
		return bench_fail(r, "SUBMIT (virtio-gpu): %s", strerror(errno));
	p->seqno = s.seqno;
	return 0;
}

/*
 * Wait for the last job, and check it did not fail: as a client would,
 * libgring's gring_ring_wait(): the status page first, the syncobj to
 * sleep on, the page again for the job's outcome.
 */
static int vgpu_wait(struct bench_run *r, struct vgpu_priv *p)
{
	const struct gring_device dev = { .fd = p->fd };
	int ret = gring_ring_wait(&dev, &p->status, p->seqno, p->sync, 0,
				  VGPU_WAIT_NS);

	if (ret)
		return bench_fail(r, "the job: %s", strerror(-ret));
	return 0;
}

static void vgpu_teardown(struct bench_run *r)
{
	struct vgpu_priv *p = r->priv;

	irq_unpin(&p->pin);
	gring_ring_status_unmap(&p->status);
	if (p->fd >= 0) {
		/* Closing the file unrefs its resources on the device. */
		close(p->fd);
		p->fd = -1;
	}
	vgpu_give_back(p);
}

static int vgpu_setup(struct bench_run *r)
{
	struct vgpu_priv *p = r->priv;
	struct drm_gring_ring_create rc = {
		.engine = DRM_GRING_ENGINE_VIRTIO_GPU,
	};
	int ret = vgpu_open(r, p);

	if (ret)
		return ret;
	if (drmIoctl(p->fd, DRM_IOCTL_GRING_RING_CREATE, &rc) ||
	    drmSyncobjCreate(p->fd, 0, &p->sync)) {
		ret = bench_fail(r, "virtio-gpu ring: %s", strerror(errno));
		vgpu_teardown(r);
		return ret;
	}
	p->ring = rc.ring_id;
	ret = gring_ring_status_map(&(struct gring_device){ .fd = p->fd },
				    p->ring, &p->status);
	if (ret) {
		ret = bench_fail(r, "status page: %s", strerror(-ret));
		vgpu_teardown(r);
		return ret;
	}
	/* gring's controlq completes through its "queues" vector. */
	irq_pin(&p->pin, p->bdf, "gring-virtio-queues");
	return 0;
}

/* Two 1280x800 resources, each backed by a BO holding a frame. */
static int vgpu_frame_setup(struct bench_run *r)
{
	struct vgpu_priv *p = r->priv;
	struct drm_gring_vgpu_cmd cmds[4] = {};
	unsigned int i;
	int ret = vgpu_setup(r);

	if (ret)
		return ret;
	for (i = 0; i < 2; i++) {
		struct drm_gring_gem_create c = { .size = VGPU_FRAME };

		if (drmIoctl(p->fd, DRM_IOCTL_GRING_GEM_CREATE, &c)) {
			ret = bench_fail(r, "GEM_CREATE: %s", strerror(errno));
			goto err;
		}
		p->bo[i] = c.handle;
		cmds[2 * i] = (struct drm_gring_vgpu_cmd){
			.type = DRM_GRING_VGPU_RESOURCE_CREATE_2D,
			.resource_id = i + 1, .format = VGPU_FORMAT,
			.width = VGPU_W, .height = VGPU_H,
		};
		cmds[2 * i + 1] = (struct drm_gring_vgpu_cmd){
			.type = DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING,
			.resource_id = i + 1, .bo_handle = p->bo[i],
			.bo_size = VGPU_FRAME,
		};
	}
	ret = vgpu_submit(r, p, cmds, 4, p->sync);
	if (!ret)
		ret = vgpu_wait(r, p);
	if (!ret)
		return 0;
err:
	vgpu_teardown(r);
	return ret;
}

static int vgpu_frame_run(struct bench_run *r, uint64_t iters)
{
	struct vgpu_priv *p = r->priv;
	const struct drm_gring_vgpu_rect full = { 0, 0, VGPU_W, VGPU_H };
	uint64_t i;
	int ret;

	r->extra[X_CPU] = p->pin.cpu;
	for (i = 0; i < iters; i++) {
		uint32_t res = 1 + (p->frame++ & 1);
		const struct drm_gring_vgpu_cmd cmds[] = {
			{ .type = DRM_GRING_VGPU_TRANSFER_TO_HOST_2D,
			  .resource_id = res, .rect = full },
			{ .type = DRM_GRING_VGPU_SET_SCANOUT,
			  .resource_id = res, .rect = full },
			{ .type = DRM_GRING_VGPU_RESOURCE_FLUSH,
			  .resource_id = res, .rect = full },
		};

		ret = vgpu_submit(r, p, cmds, 3, p->sync);
		if (!ret)
			ret = vgpu_wait(r, p);
		if (ret)
			return ret;
	}
	return 0;
}

static int vgpu_rt_run(struct bench_run *r, uint64_t iters)
{
	struct vgpu_priv *p = r->priv;
	uint64_t i;
	int ret;

	r->extra[X_CPU] = p->pin.cpu;
	for (i = 0; i < iters; i++) {
		/* Ids 1 and 2 take turns: the job drops the other one. */
		uint32_t id = 1 + (p->frame & 1), old = 2 - (p->frame & 1);
		struct drm_gring_vgpu_cmd cmds[] = {
			{ .type = DRM_GRING_VGPU_RESOURCE_UNREF,
			  .resource_id = old },
			{ .type = DRM_GRING_VGPU_RESOURCE_CREATE_2D,
			  .resource_id = id, .format = VGPU_FORMAT,
			  .width = 1, .height = 1 },
			{ .type = DRM_GRING_VGPU_RESOURCE_ATTACH_BACKING,
			  .resource_id = id, .bo_handle = p->bo[id - 1],
			  .bo_size = 4096 },
		};
		/* The very first job has nothing to drop. */
		bool first = !p->frame++;

		ret = vgpu_submit(r, p, cmds + first, 3 - first, p->sync);
		if (!ret)
			ret = vgpu_wait(r, p);
		if (ret)
			return ret;
	}
	return 0;
}

static int vgpu_rt_setup(struct bench_run *r)
{
	struct vgpu_priv *p = r->priv;
	unsigned int i;
	int ret = vgpu_setup(r);

	if (ret)
		return ret;
	for (i = 0; i < 2; i++) {
		struct drm_gring_gem_create c = { .size = 4096 };

		if (drmIoctl(p->fd, DRM_IOCTL_GRING_GEM_CREATE, &c)) {
			ret = bench_fail(r, "GEM_CREATE: %s", strerror(errno));
			vgpu_teardown(r);
			return ret;
		}
		p->bo[i] = c.handle;
	}
	return 0;
}

/* --- virtio_gpu ----------------------------------------------------------- */

/* virtio_gpu's primary node on the first virtio-gpu function. */
static int virtgpu_open(struct bench_run *r, struct virtgpu_priv *p)
{
	char bdf[32], path[512];

	p->fd = -1;
	if (find_virtio_gpu(0, bdf, sizeof(bdf)) || !bound_to(bdf, "virtio-pci"))
		return bench_unavailable(r, "no virtio-gpu function on virtio-pci");
	/* virtio_gpu registers its DRM device on the PCI function. */
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/drm", bdf);
	p->fd = open_node_in(path, "card");
	if (p->fd < 0)
		return bench_unavailable(r, "no virtio_gpu card node for %s", bdf);
	/* virtio_gpu's controlq: the virtio core names it "virtioN-control". */
	irq_pin(&p->pin, bdf, "-control");
	return 0;
}

static void virtgpu_teardown(struct bench_run *r)
{
	struct virtgpu_priv *p = r->priv;
	unsigned int i;

	irq_unpin(&p->pin);
	if (p->fd < 0)
		return;
	for (i = 0; i < 2; i++) {
		if (p->fb[i])
			drmModeRmFB(p->fd, p->fb[i]);
		if (p->bo[i]) {
			struct drm_mode_destroy_dumb d = { .handle = p->bo[i] };

			drmIoctl(p->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
		}
	}
	close(p->fd);
	p->fd = -1;
}

/* The first connected connector, its first mode, and a CRTC for it. */
static int virtgpu_pick_output(struct bench_run *r, struct virtgpu_priv *p)
{
	drmModeRes *res = drmModeGetResources(p->fd);
	int i, ret = -1;

	if (!res)
		return bench_fail(r, "GETRESOURCES: %s", strerror(errno));
	for (i = 0; i < res->count_connectors && ret; i++) {
		drmModeConnector *c = drmModeGetConnector(p->fd,
							  res->connectors[i]);

		if (c && c->connection == DRM_MODE_CONNECTED &&
		    c->count_modes && res->count_crtcs) {
			p->conn = c->connector_id;
			p->mode = c->modes[0];
			p->crtc = res->crtcs[0];
			ret = 0;
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	if (ret)
		return bench_unavailable(r, "virtio_gpu has no connected output");
	if (p->mode.hdisplay != VGPU_W || p->mode.vdisplay != VGPU_H)
		return bench_unavailable(r, "virtio_gpu's mode is %ux%u, not %ux%u",
					 p->mode.hdisplay, p->mode.vdisplay,
					 VGPU_W, VGPU_H);
	return 0;
}

static int virtgpu_frame_setup(struct bench_run *r)
{
	struct virtgpu_priv *p = r->priv;
	unsigned int i;
	int ret = virtgpu_open(r, p);

	if (ret)
		return ret;
	ret = virtgpu_pick_output(r, p);
	for (i = 0; i < 2 && !ret; i++) {
		struct drm_mode_create_dumb c = {
			.width = VGPU_W, .height = VGPU_H, .bpp = 32,
		};

		if (drmIoctl(p->fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) ||
		    drmModeAddFB(p->fd, VGPU_W, VGPU_H, 24, 32, c.pitch,
				 c.handle, &p->fb[i]))
			ret = bench_fail(r, "dumb framebuffer: %s",
					 strerror(errno));
		p->bo[i] = c.handle;
	}
	if (ret)
		virtgpu_teardown(r);
	return ret;
}

/* A 1x1 resource created, waited for, and closed: one fenced round trip. */
static int virtgpu_round_trip(struct bench_run *r, struct virtgpu_priv *p)
{
	struct bench_virtgpu_resource_create c = {
		.target = 2,		/* PIPE_TEXTURE_2D */
		.format = VGPU_FORMAT,
		.bind = 2,		/* VIRGL_BIND_RENDER_TARGET */
		.width = 1, .height = 1, .depth = 1, .array_size = 1,
		.size = 4096,
	};
	struct bench_virtgpu_wait w = {};

	if (drmIoctl(p->fd, BENCH_VIRTGPU_RESOURCE_CREATE, &c))
		return bench_fail(r, "VIRTGPU_RESOURCE_CREATE: %s",
				  strerror(errno));
	/* The create's fence is on the BO: this waits for the device. */
	w.handle = c.bo_handle;
	if (drmIoctl(p->fd, BENCH_VIRTGPU_WAIT, &w)) {
		int err = errno;

		drmCloseBufferHandle(p->fd, c.bo_handle);
		return bench_fail(r, "VIRTGPU_WAIT: %s", strerror(err));
	}
	drmCloseBufferHandle(p->fd, c.bo_handle);
	return 0;
}

static int virtgpu_frame_run(struct bench_run *r, uint64_t iters)
{
	struct virtgpu_priv *p = r->priv;
	uint64_t i;
	int ret;

	r->extra[X_CPU] = p->pin.cpu;
	for (i = 0; i < iters; i++) {
		uint32_t fb = p->fb[p->frame++ & 1];

		/* A new framebuffer: transfer, scanout and flush, queued. */
		if (drmModeSetCrtc(p->fd, p->crtc, fb, 0, 0, &p->conn, 1,
				   &p->mode))
			return bench_fail(r, "SETCRTC (needs DRM master): %s",
					  strerror(errno));
		/* ... and the device done with them. */
		ret = virtgpu_round_trip(r, p);
		if (ret)
			return ret;
	}
	return 0;
}

static int virtgpu_rt_setup(struct bench_run *r)
{
	return virtgpu_open(r, r->priv);
}

static int virtgpu_rt_run(struct bench_run *r, uint64_t iters)
{
	struct virtgpu_priv *p = r->priv;
	uint64_t i;
	int ret;

	r->extra[X_CPU] = p->pin.cpu;
	for (i = 0; i < iters; i++) {
		ret = virtgpu_round_trip(r, p);
		if (ret)
			return ret;
	}
	return 0;
}

const struct bench bench_vgpu_frame = {
	.name = "vgpu.frame",
	.desc = "1280x800 frame through a gring virtio-gpu ring: transfer + scanout + flush, fence waited",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.extras = vgpu_extras,
	.nextra = 1,
	.priv_size = sizeof(struct vgpu_priv),
	.setup = vgpu_frame_setup,
	.run = vgpu_frame_run,
	.teardown = vgpu_teardown,
};

const struct bench bench_vgpu_rt = {
	.name = "vgpu.rt",
	.desc = "gring virtio-gpu: one job of unref (the last one's) + create + attach of a 1x1 resource, waited",
	.section = BENCH_GRING,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.extras = vgpu_extras,
	.nextra = 1,
	.priv_size = sizeof(struct vgpu_priv),
	.setup = vgpu_rt_setup,
	.run = vgpu_rt_run,
	.teardown = vgpu_teardown,
};

const struct bench bench_virtgpu_frame = {
	.name = "virtgpu.frame",
	.desc = "1280x800 frame through virtio_gpu: modeset to the other dumb FB (transfer + scanout + fenced flush, waited)",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.extras = vgpu_extras,
	.nextra = 1,
	.priv_size = sizeof(struct virtgpu_priv),
	.setup = virtgpu_frame_setup,
	.run = virtgpu_frame_run,
	.teardown = virtgpu_teardown,
};

const struct bench bench_virtgpu_rt = {
	.name = "virtgpu.rt",
	.desc = "virtio_gpu: RESOURCE_CREATE of a 1x1 resource + WAIT; GEM_CLOSE (unref queued)",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.extras = vgpu_extras,
	.nextra = 1,
	.priv_size = sizeof(struct virtgpu_priv),
	.setup = virtgpu_rt_setup,
	.run = virtgpu_rt_run,
	.teardown = virtgpu_teardown,
};
