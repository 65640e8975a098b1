// SPDX-License-Identifier: MIT
/*
 * gring_unplug: the device goes away under its users (sysfs unbind of the
 * platform device) and comes back (bind).
 *
 * What must hold once it is gone: every ioctl on an old file fails with
 * ENODEV; every CPU mapping of its BOs -- through the DRM file or through
 * an exported dma-buf -- raises SIGBUS when touched, and no new one can be
 * made; the BOs' memory is given back at unbind, even while files,
 * dma-bufs and mappings still name it, because the DMA API allows it to be
 * freed only while the driver is bound to the device. After bind a new
 * device works, and once everything old is closed the module holds no
 * references for it.
 *
 * Needs root (sysfs bind/unbind, debugfs). Every subtest starts by binding
 * the device if a failed one left it unbound, and an exit handler does the
 * same, so a failure here cannot leave later tests without a device. These
 * change global state: this binary is separate from gring_gem so that its
 * failures cannot poison those tests.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "igt_gring.h"
#include "gring_test.h"

IGT_TEST_DESCRIPTION("Unbinding and rebinding the gring device under open files, mappings and dma-bufs.");

#define DRV_DIR		"/sys/bus/platform/drivers/gring"
#define DEV_NAME	"gring"
#define MIB		(1ull << 20)
#define NBOS		16
#define BO_SIZE		(4 * MIB)

static bool is_bound(void)
{
	return access(DRV_DIR "/" DEV_NAME, F_OK) == 0;
}

/* The exit handler, and the first step of each subtest. */
static void ensure_bound(int sig)
{
	(void)sig;
	if (!is_bound())
		__igt_gring_write_text(DRV_DIR "/bind", DEV_NAME);
}

static void unbind(void)
{
	igt_assert_eq(__igt_gring_write_text(DRV_DIR "/unbind", DEV_NAME), 0);
	igt_assert(!is_bound());
}

static void bind(void)
{
	igt_assert_eq(__igt_gring_write_text(DRV_DIR "/bind", DEV_NAME), 0);
	igt_assert(is_bound());
}

/*
 * gring's render node, found by driver name: after a rebind it is a new
 * node, and the old one may still be held by an old file.
 */
static int try_open_gring(void)
{
	for (int minor = 128; minor < 192; minor++) {
		char path[32];
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", minor);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (igt_gring_is_gring(fd))
			return fd;
		close(fd);
	}
	return -1;
}

/*
 * The node of a rebound device can be missing for a moment: the hotplug
 * helper (mdev) handles the old node's removal after devtmpfs made the new
 * one under the same name, then its creation. Wait for it, as a
 * distribution's tests wait for udev to settle.
 */
static int open_gring(void)
{
	for (int tries = 0; tries < 500; tries++) {
		int fd = try_open_gring();

		if (fd >= 0)
			return fd;
		usleep(10 * 1000);
	}
	igt_assert_f(false, "no gring render node after 5 s\n");
	return -1;
}

static uint64_t module_refcnt(void)
{
	return igt_gring_read_u64("/sys/module/gring/refcnt");
}

/*
 * The module's reference count once it stops moving: what an earlier
 * test's files left (rings, fences) lets go of the module shortly after
 * their close returned, and a baseline taken meanwhile is not one. Stable
 * over three reads 100 ms apart, or as it is after 10 s.
 */
static uint64_t module_refcnt_settled(void)
{
	uint64_t v = module_refcnt(), w;
	unsigned int i, same = 0;

	for (i = 0; i < 100 && same < 2; i++) {
		usleep(100 * 1000);
		w = module_refcnt();
		same = w == v ? same + 1 : 0;
		v = w;
	}
	return v;
}

/* MemFree from /proc/meminfo, in bytes. */
static uint64_t mem_free(void)
{
	char *text = igt_gring_read_text("/proc/meminfo");
	char *line = strstr(text, "MemFree:");
	uint64_t kib;

	igt_assert(line);
	kib = strtoull(line + strlen("MemFree:"), NULL, 10);
	free(text);
	return kib << 10;
}

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(sigbus_jmp, 1);
}

/* Does reading (or writing) the word at @ptr raise SIGBUS? */
static bool touch_raises_sigbus(volatile uint32_t *ptr, bool write)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile bool raised = false;

	sigemptyset(&sa.sa_mask);
	igt_assert_eq(sigaction(SIGBUS, &sa, &old), 0);
	if (sigsetjmp(sigbus_jmp, 1) == 0) {
		if (write)
			*ptr = 0x5a5a5a5a;
		else
			(void)*ptr;
	} else {
		raised = true;
	}
	igt_assert_eq(sigaction(SIGBUS, &old, NULL), 0);
	return raised;
}

static void assert_sigbus(volatile uint32_t *ptr, uint64_t size)
{
	igt_assert_f(touch_raises_sigbus(ptr, false), "read did not fault\n");
	igt_assert_f(touch_raises_sigbus(ptr, true), "write did not fault\n");
	igt_assert_f(touch_raises_sigbus(ptr + size / 4 - 1, false),
		     "read of the last word did not fault\n");
}

/* Every ioctl the driver has fails with ENODEV on a file of a gone device. */
static void assert_ioctls_enodev(int fd, uint32_t handle)
{
	struct drm_gring_get_param param = { .param = DRM_GRING_PARAM_UAPI_VERSION };
	struct drm_gring_gem_create create = { .size = 4096 };
	struct drm_gring_gem_mmap_offset offset = { .handle = handle };

	igt_assert_eq(__igt_gring_get_param(fd, &param), -ENODEV);
	igt_assert_eq(__igt_gring_gem_create(fd, &create), -ENODEV);
	igt_assert_eq(__igt_gring_gem_mmap_offset(fd, &offset), -ENODEV);
}

static void assert_mmap_enodev(int fd, uint64_t offset, uint64_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 offset);
	int err = errno;

	if (ptr != MAP_FAILED)
		munmap(ptr, size);
	igt_assert_f(ptr == MAP_FAILED, "mmap of a gone device succeeded\n");
	igt_assert_eq(err, ENODEV);
}

/*
 * At least three quarters of @bytes came back to the page allocator
 * between @before and now. The slack is for whatever else the guest
 * allocates meanwhile; @bytes is 64 MiB, far above that noise.
 */
static void assert_memory_returned(uint64_t before, uint64_t bytes)
{
	uint64_t after = mem_free();

	igt_info("MemFree %" PRIu64 " -> %" PRIu64 " KiB across unbind\n",
		 before >> 10, after >> 10);
	igt_assert_f(after > before && after - before >= bytes / 4 * 3,
		     "only %" PRId64 " of %" PRIu64 " bytes came back at unbind\n",
		     (int64_t)(after - before), bytes);
}

/* After bind: a new device that works, and starts with nothing. */
static void assert_new_device_works(void)
{
	int fd = open_gring();
	struct igt_gring_gem_stats stats = igt_gring_gem_stats(fd);
	uint64_t size;
	uint32_t handle;
	uint32_t *ptr;

	igt_assert_eq_u64(stats.objects, 0);
	igt_assert_eq_u64(stats.bytes, 0);

	handle = igt_gring_gem_create(fd, 4096, &size);
	ptr = igt_gring_gem_mmap(fd, handle, size);
	ptr[0] = 0x600dcafe;
	igt_assert_eq_u32(ptr[0], 0x600dcafe);
	munmap(ptr, size);
	gem_close(fd, handle);

	stats = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(stats.objects, 0);
	igt_assert_eq_u64(stats.bytes, 0);
	close(fd);
}

/*
 * How every unplug test ends: bind again, see that the new device works,
 * and that the module is back to the @refcnt it had before the test.
 */
static void rebind_and_check(uint64_t refcnt)
{
	unsigned int i;

	bind();
	assert_new_device_works();
	/*
	 * Fences and the last jobs of closed files hold the module until
	 * they are freed, shortly after the file's close returned.
	 */
	for (i = 0; i < 1000 && module_refcnt() != refcnt; i++)
		usleep(10 * 1000);
	igt_assert_eq_u64(module_refcnt(), refcnt);
}

static void test_open_fd(void)
{
	uint64_t refcnt = module_refcnt_settled();
	int fd = open_gring();
	uint32_t handle = igt_gring_gem_create(fd, 4096, NULL);
	uint64_t offset = igt_gring_gem_mmap_offset(fd, handle);

	unbind();
	assert_ioctls_enodev(fd, handle);
	assert_mmap_enodev(fd, offset, 4096);
	igt_assert_eq(__gem_close(fd, handle), -ENODEV);
	close(fd);

	rebind_and_check(refcnt);
}

/* A sync_file's status: 1 signalled, 0 busy, <0 the fence's error. */
static int sync_file_status(int sf)
{
	struct sync_file_info info = {};

	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	return info.status;
}

/*
 * Unbind while a ring's engine is in the middle of a long job and more
 * jobs wait behind it: the engine stops before the memory goes, every job
 * completes with an error and nothing it would have written is written,
 * the old file's ring ioctls fail with ENODEV, and closing it afterwards
 * (which tears the ring down) is clean.
 */
static void test_ring_busy(void)
{
	uint64_t refcnt = module_refcnt_settled();
	int fd = open_gring();
	uint32_t bo = igt_gring_gem_create(fd, 4096, NULL);
	struct drm_gring_ring_create rc = { .engine = DRM_GRING_ENGINE_SOFT };
	struct drm_gring_cmd cmds[] = {
		{ .op = DRM_GRING_OP_STALL, .value = 20ull * 1000 * 1000 * 1000 },
		{ .op = DRM_GRING_OP_WRITE32, .dst_handle = bo, .value = 1 },
	};
	struct drm_gring_submit sub = {
		.cmds = (uintptr_t)cmds, .cmd_count = 2,
		.cmd_size = sizeof(cmds[0]),
	};
	struct drm_gring_ring_query q = {};
	uint32_t sync[3];
	int sf[3], i;

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_RING_CREATE, &rc), 0);
	sub.ring_id = rc.ring_id;
	for (i = 0; i < 3; i++) {
		igt_assert_eq(drmSyncobjCreate(fd, 0, &sync[i]), 0);
		sub.out_sync = sync[i];
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_SUBMIT, &sub), 0);
		/* A sync_file outlives the device; a syncobj ioctl won't. */
		igt_assert_eq(drmSyncobjExportSyncFile(fd, sync[i], &sf[i]), 0);
	}
	/* Let the engine start on the first job. */
	usleep(100 * 1000);
	igt_assert_eq(sync_file_status(sf[0]), 0);

	unbind();
	/* The first was cancelled mid-stall; the others never ran. */
	for (i = 0; i < 3; i++) {
		igt_assert_f(sync_file_status(sf[i]) < 0,
			     "job %d: status %d after unbind\n", i,
			     sync_file_status(sf[i]));
		close(sf[i]);
	}
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_SUBMIT, &sub), -1);
	igt_assert_eq(errno, ENODEV);
	q.ring_id = rc.ring_id;
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_RING_QUERY, &q), -1);
	igt_assert_eq(errno, ENODEV);
	close(fd);

	rebind_and_check(refcnt);
}

/*
 * A sync_file whose fence came from a ring of a device that may be gone,
 * with the ring, the file and the scheduler behind it: every way of
 * looking at it must work. SYNC_IOC_FILE_INFO, with the fences' info
 * (their driver and timeline names come from the fence's ops, which must
 * not reach into freed memory), returns the file's status; every fence
 * must have names and agree with the file once it has signalled.
 */
#define MAX_FENCES	8

static int sync_file_query(int sf, const char *when)
{
	struct sync_fence_info fi[MAX_FENCES];
	struct sync_file_info info = {};
	unsigned int i, n;

	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	n = info.num_fences;
	igt_assert_f(n >= 1 && n <= MAX_FENCES, "%s: %u fences\n", when, n);
	igt_assert(memchr(info.name, '\0', sizeof(info.name)));

	memset(fi, 0, sizeof(fi));
	memset(&info, 0, sizeof(info));
	info.num_fences = n;
	info.sync_fence_info = (uintptr_t)fi;
	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	igt_assert_eq_u32(info.num_fences, n);
	igt_info("%s: sync_file \"%s\" status %d, %u fence(s)\n", when,
		 info.name, info.status, n);
	for (i = 0; i < n; i++) {
		igt_assert(memchr(fi[i].driver_name, '\0',
				  sizeof(fi[i].driver_name)));
		igt_assert(memchr(fi[i].obj_name, '\0', sizeof(fi[i].obj_name)));
		igt_info("  fence %u: driver \"%s\" timeline \"%s\" status %d timestamp %llu\n",
			 i, fi[i].driver_name, fi[i].obj_name, fi[i].status,
			 (unsigned long long)fi[i].timestamp_ns);
		igt_assert(fi[i].driver_name[0] && fi[i].obj_name[0]);
		igt_assert(fi[i].status >= -4095 && fi[i].status <= 1);
		/* Signalled: its time is known. */
		if (fi[i].status)
			igt_assert(fi[i].timestamp_ns);
	}
	igt_assert(info.status >= -4095 && info.status <= 1);
	if (n == 1)
		igt_assert_eq(fi[0].status, info.status);
	return info.status;
}

/* poll() with @timeout_ms: 1 if the sync_file is readable (signalled). */
static int sync_file_poll(int sf, int timeout_ms)
{
	struct pollfd pfd = { .fd = sf, .events = POLLIN };
	int ret = poll(&pfd, 1, timeout_ms);

	igt_assert_f(ret >= 0, "poll: %m\n");
	if (ret)
		igt_assert_eq(pfd.revents & (POLLIN | POLLERR | POLLNVAL),
			      POLLIN);
	return ret;
}

/*
 * Query, poll and wait for (poll up to 10 s) a sync_file whose device is
 * gone: it signals, with an error or (its job done before) success.
 * Returns its status.
 */
static int sync_file_settle(int sf, const char *when)
{
	char what[96];
	int status;

	snprintf(what, sizeof(what), "%s, before the wait", when);
	sync_file_query(sf, what);
	sync_file_poll(sf, 0);
	igt_assert_f(sync_file_poll(sf, 10000) == 1,
		     "%s: the fence did not signal in 10 s\n", when);
	snprintf(what, sizeof(what), "%s, after the wait", when);
	status = sync_file_query(sf, what);
	igt_assert_f(status == 1 || status < 0,
		     "%s: status %d once signalled\n", when, status);
	if (status == 1)
		igt_info("%s: the job completed (status 1)\n", when);
	else
		igt_info("%s: the job ended with error %d (%s)\n", when, status,
			 strerror(-status));
	return status;
}

/*
 * A soft-engine ring of @fd runs one job, [STALL 300 ms, WRITE32], whose
 * out-syncobj is exported as a sync_file: returned.
 */
static int submit_slow_job_sync_file(int fd)
{
	uint32_t bo = igt_gring_gem_create(fd, 4096, NULL);
	struct drm_gring_ring_create rc = { .engine = DRM_GRING_ENGINE_SOFT };
	struct drm_gring_cmd cmds[] = {
		{ .op = DRM_GRING_OP_STALL, .value = 300ull * 1000 * 1000 },
		{ .op = DRM_GRING_OP_WRITE32, .dst_handle = bo, .value = 1 },
	};
	struct drm_gring_submit sub = {
		.cmds = (uintptr_t)cmds, .cmd_count = 2,
		.cmd_size = sizeof(cmds[0]),
	};
	uint32_t sync;
	int sf;

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_RING_CREATE, &rc), 0);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &sync), 0);
	sub.ring_id = rc.ring_id;
	sub.out_sync = sync;
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_SUBMIT, &sub), 0);
	igt_assert_eq(drmSyncobjExportSyncFile(fd, sync, &sf), 0);
	igt_assert_eq(drmSyncobjDestroy(fd, sync), 0);
	sync_file_query(sf, "submitted");
	return sf;
}

static uint64_t elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000ull +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Unbind with a job in flight whose fence is held by a sync_file only: it
 * signals, and stays queryable after its file (and with it the ring and
 * its scheduler) is closed too.
 */
static void test_fence_after_unbind(void)
{
	uint64_t refcnt = module_refcnt_settled();
	int fd = open_gring();
	int sf = submit_slow_job_sync_file(fd), status;

	unbind();
	status = sync_file_settle(sf, "after the unbind");

	/* The ring, its scheduler and the device go with the last close. */
	close(fd);
	igt_assert_eq(sync_file_query(sf, "after the close"), status);
	igt_assert_eq(sync_file_poll(sf, 0), 1);
	close(sf);

	rebind_and_check(refcnt);
}

/*
 * The same with the file closed before the unbind (the job may still be
 * running: since uapi 5 the close does not wait for it).
 */
static void test_fence_after_close_and_unbind(void)
{
	uint64_t refcnt = module_refcnt_settled();
	int fd = open_gring();
	int sf = submit_slow_job_sync_file(fd);
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	close(fd);
	igt_info("close took %" PRIu64 " ms\n", elapsed_ms(&t0));

	unbind();
	sync_file_settle(sf, "after the close and the unbind");
	close(sf);

	rebind_and_check(refcnt);
}

/* A soft ring of @fd with one NOP job done; its status page, mapped. */
static const volatile struct drm_gring_ring_status *
status_page_of_done_job(int fd, uint32_t *ring, uint64_t *seqno)
{
	struct drm_gring_ring_create rc = { .engine = DRM_GRING_ENGINE_SOFT };
	struct drm_gring_cmd nop = { .op = DRM_GRING_OP_NOP };
	struct drm_gring_submit sub = {
		.cmds = (uintptr_t)&nop, .cmd_count = 1,
		.cmd_size = sizeof(nop),
	};
	uint32_t sync;
	void *p;

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_RING_CREATE, &rc), 0);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &sync), 0);
	sub.ring_id = rc.ring_id;
	sub.out_sync = sync;
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_SUBMIT, &sub), 0);
	igt_assert_eq(drmSyncobjWait(fd, &sync, 1, INT64_MAX, 0, NULL), 0);
	p = mmap(NULL, DRM_GRING_STATUS_SIZE, PROT_READ, MAP_SHARED, fd,
		 DRM_GRING_RING_STATUS_OFFSET(rc.ring_id));
	igt_assert(p != MAP_FAILED);
	*ring = rc.ring_id;
	*seqno = sub.seqno;
	return p;
}

/*
 * A ring's status page outlives the file that mapped it (the mapping
 * holds it); an unbind takes it away like every mapping of the device:
 * reading it raises SIGBUS, a new one is -ENODEV. Once unmapped, the
 * module and the device go as always.
 */
static void test_status_page_unbind(void)
{
	uint64_t refcnt = module_refcnt_settled(), seqno, seqno2;
	const volatile struct drm_gring_ring_status *st, *st2;
	int fd = open_gring(), fd2 = open_gring();
	uint32_t ring, ring2;
	void *p;

	st = status_page_of_done_job(fd, &ring, &seqno);
	st2 = status_page_of_done_job(fd2, &ring2, &seqno2);
	close(fd2);
	igt_assert_eq_u64(st2->completed, seqno2);
	igt_assert_eq_u64(st2->errors, 0);

	unbind();
	igt_assert(touch_raises_sigbus((volatile uint32_t *)&st->completed,
				       false));
	igt_assert(touch_raises_sigbus((volatile uint32_t *)&st2->completed,
				       false));
	p = mmap(NULL, DRM_GRING_STATUS_SIZE, PROT_READ, MAP_SHARED, fd,
		 DRM_GRING_RING_STATUS_OFFSET(ring));
	igt_assert(p == MAP_FAILED);
	igt_assert_eq(errno, ENODEV);
	close(fd);
	igt_assert_eq(munmap((void *)st, DRM_GRING_STATUS_SIZE), 0);
	igt_assert_eq(munmap((void *)st2, DRM_GRING_STATUS_SIZE), 0);

	rebind_and_check(refcnt);
}

static void test_live_mapping(void)
{
	uint64_t refcnt = module_refcnt_settled(), before;
	int fd = open_gring(), dmabuf;
	uint32_t handles[NBOS];
	uint64_t offsets[NBOS];
	uint32_t *maps[NBOS], *via_dmabuf;

	for (int i = 0; i < NBOS; i++) {
		handles[i] = igt_gring_gem_create(fd, BO_SIZE, NULL);
		offsets[i] = igt_gring_gem_mmap_offset(fd, handles[i]);
		maps[i] = igt_gring_gem_mmap(fd, handles[i], BO_SIZE);
		maps[i][0] = i;
		maps[i][BO_SIZE / 4 - 1] = ~i;
	}
	/* BO 0 is also mapped through a dma-buf, which stays open. */
	dmabuf = igt_gring_prime_export(fd, handles[0]);
	via_dmabuf = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  dmabuf, 0);
	igt_assert(via_dmabuf != MAP_FAILED);
	igt_assert_eq_u32(via_dmabuf[BO_SIZE / 4 - 1], ~0u);
	igt_assert(!touch_raises_sigbus(maps[1], false));

	before = mem_free();
	unbind();
	assert_memory_returned(before, NBOS * BO_SIZE);

	for (int i = 0; i < NBOS; i++)
		assert_sigbus(maps[i], BO_SIZE);
	assert_sigbus(via_dmabuf, BO_SIZE);
	assert_ioctls_enodev(fd, handles[0]);
	assert_mmap_enodev(fd, offsets[1], BO_SIZE);
	assert_mmap_enodev(dmabuf, 0, BO_SIZE);

	for (int i = 0; i < NBOS; i++)
		munmap(maps[i], BO_SIZE);
	munmap(via_dmabuf, BO_SIZE);
	close(dmabuf);
	close(fd);

	rebind_and_check(refcnt);
}

static void test_dmabuf_only(void)
{
	uint64_t refcnt = module_refcnt_settled(), before;
	int fd = open_gring(), dmabufs[NBOS];
	uint32_t *maps[NBOS];

	for (int i = 0; i < NBOS; i++) {
		uint32_t handle = igt_gring_gem_create(fd, BO_SIZE, NULL);

		dmabufs[i] = igt_gring_prime_export(fd, handle);
		gem_close(fd, handle);
		maps[i] = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED, dmabufs[i], 0);
		igt_assert(maps[i] != MAP_FAILED);
		maps[i][0] = i;
	}
	/* Only the dma-bufs and their mappings hold the BOs now. */
	close(fd);
	igt_assert_eq_u32(maps[NBOS - 1][0], NBOS - 1);

	before = mem_free();
	unbind();
	assert_memory_returned(before, NBOS * BO_SIZE);

	for (int i = 0; i < NBOS; i++) {
		assert_sigbus(maps[i], BO_SIZE);
		assert_mmap_enodev(dmabufs[i], 0, BO_SIZE);
	}

	for (int i = 0; i < NBOS; i++) {
		munmap(maps[i], BO_SIZE);
		close(dmabufs[i]);
	}

	rebind_and_check(refcnt);
}

struct creator {
	int fd;
	volatile unsigned int rounds;
	volatile bool stop;	/* set by the test if unbind did not stop it */
	volatile bool done;
	int err;
	const char *what;
};

/* Create, look up and close BOs until an ioctl fails. No IGT calls here. */
static void *creator_loop(void *arg)
{
	struct creator *c = arg;

	while (!c->stop) {
		struct drm_gring_gem_create create = { .size = 64 << 10 };
		struct drm_gring_gem_mmap_offset offset = { 0 };
		int ret;

		ret = __igt_gring_gem_create(c->fd, &create);
		if (ret) {
			c->what = "GEM_CREATE";
			c->err = -ret;
			break;
		}
		offset.handle = create.handle;
		ret = __igt_gring_gem_mmap_offset(c->fd, &offset);
		if (!ret)
			ret = __gem_close(c->fd, create.handle);
		if (ret) {
			c->what = "GEM_MMAP_OFFSET or GEM_CLOSE";
			c->err = -ret;
			break;
		}
		c->rounds++;
	}
	c->done = true;
	return NULL;
}

/*
 * A thread that maps BOs and writes every page of them, while the device
 * goes away: the race between faults and the unplug's zap and revoke. Its
 * SIGBUS handler jumps back into the thread itself (the signal goes to
 * the thread that faulted).
 */
static __thread sigjmp_buf thread_sigbus_jmp;

static void on_thread_sigbus(int sig)
{
	(void)sig;
	siglongjmp(thread_sigbus_jmp, 1);
}

static void *toucher_loop(void *arg)
{
	struct creator *c = arg;
	const uint64_t size = 64 << 10;

	while (!c->stop) {
		struct drm_gring_gem_create create = { .size = size };
		struct drm_gring_gem_mmap_offset offset = { 0 };
		volatile uint32_t *volatile ptr = MAP_FAILED;
		int ret;

		ret = __igt_gring_gem_create(c->fd, &create);
		if (ret) {
			c->what = "GEM_CREATE";
			c->err = -ret;
			break;
		}
		offset.handle = create.handle;
		ret = __igt_gring_gem_mmap_offset(c->fd, &offset);
		if (ret) {
			c->what = "GEM_MMAP_OFFSET";
			c->err = -ret;
			break;
		}
		ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   c->fd, offset.offset);
		if (ptr == MAP_FAILED) {
			c->what = "mmap";
			c->err = errno;
			break;
		}
		if (sigsetjmp(thread_sigbus_jmp, 1)) {
			munmap((void *)ptr, size);
			c->what = "a touch (SIGBUS)";
			c->err = ENODEV;
			break;
		}
		for (uint64_t i = 0; i < size / 4; i += 1024)
			ptr[i] = i;
		munmap((void *)ptr, size);
		ret = __gem_close(c->fd, create.handle);
		if (ret) {
			c->what = "GEM_CLOSE";
			c->err = -ret;
			break;
		}
		c->rounds++;
	}
	c->done = true;
	return NULL;
}

/*
 * Run @loop in a thread on a new file until it has done 20 rounds, unplug
 * the device under it, and check that the unplug stopped it with ENODEV
 * (@who names it in the log), and that the rebound device works and the
 * module holds no extra reference. With @sigbus, the thread's SIGBUS
 * handler is installed around the thread's life.
 */
static void unplug_under_thread(void *(*loop)(void *), const char *who,
				bool sigbus)
{
	uint64_t refcnt = module_refcnt_settled();
	struct creator c = { .fd = open_gring(), .what = "nothing" };
	struct sigaction sa = { .sa_handler = on_thread_sigbus }, old;
	pthread_t thread;

	sigemptyset(&sa.sa_mask);
	if (sigbus)
		igt_assert_eq(sigaction(SIGBUS, &sa, &old), 0);
	igt_assert_eq(pthread_create(&thread, NULL, loop, &c), 0);
	while (c.rounds < 20 && !c.done)
		usleep(1000);
	unbind();
	/* Give it 10 s to notice, so a device that stays usable fails, not hangs. */
	for (int ms = 0; ms < 10000 && !c.done; ms++)
		usleep(1000);
	c.stop = true;
	igt_assert_eq(pthread_join(thread, NULL), 0);
	if (sigbus)
		igt_assert_eq(sigaction(SIGBUS, &old, NULL), 0);

	/* Stopped by the unplug: an ioctl or mmap with ENODEV, or a SIGBUS. */
	igt_info("%s: %u rounds, then %s: errno %d\n", who, c.rounds, c.what,
		 c.err);
	igt_assert(c.rounds >= 20);
	igt_assert_eq(c.err, ENODEV);
	close(c.fd);

	rebind_and_check(refcnt);
}

static void test_creator_thread(void)
{
	unplug_under_thread(creator_loop, "creator", false);
}

static void test_toucher_thread(void)
{
	unplug_under_thread(toucher_loop, "toucher", true);
}

igt_main
{
	igt_fixture {
		igt_require_f(geteuid() == 0, "sysfs unbind needs root\n");
		igt_require_f(access(DRV_DIR, F_OK) == 0, "no " DRV_DIR "\n");
		igt_install_exit_handler(ensure_bound);
		ensure_bound(0);
		igt_require_f(is_bound(), "the gring device is not bound\n");
	}

	igt_describe("After unbind, an open file's ioctls and mmap fail with ENODEV; after bind a new device works.");
	igt_subtest("unbind-open-fd") {
		ensure_bound(0);
		test_open_fd();
	}

	igt_describe("Unbind with live GEM and dma-buf mappings: the memory is freed at once, touching any mapping raises SIGBUS, new mmaps fail with ENODEV.");
	igt_subtest("unbind-live-mapping") {
		ensure_bound(0);
		test_live_mapping();
	}

	igt_describe("Unbind while only exported dma-bufs (mapped) hold the BOs: the memory is freed at once, the mappings raise SIGBUS, new dma-buf mmaps fail with ENODEV.");
	igt_subtest("unbind-dmabuf-mapped") {
		ensure_bound(0);
		test_dmabuf_only();
	}

	igt_describe("Unbind while a ring's engine runs a long job with more queued: every job's fence carries an error, ring ioctls fail with ENODEV, teardown is clean.");
	igt_subtest("unbind-ring-busy") {
		ensure_bound(0);
		test_ring_busy();
	}

	igt_describe("Unbind with a soft-engine job in flight whose fence only a sync_file holds: the sync_file's info (names, status), poll and wait work and it signals (error, or 1 if done first); still so once the file is closed; bind gives a working device.");
	igt_subtest("fence-after-unbind") {
		ensure_bound(0);
		test_fence_after_unbind();
	}

	igt_describe("Export a job's fence as a sync_file, close the DRM file, unbind: the sync_file's info, poll and wait work and it signals (error, or 1 if done first); bind gives a working device.");
	igt_subtest("fence-after-close-and-unbind") {
		ensure_bound(0);
		test_fence_after_close_and_unbind();
	}

	igt_describe("A ring's status page still reads its completed seqno after its file is closed; after unbind reading it raises SIGBUS and a new mapping is ENODEV, as for BOs; once unmapped the module and device go.");
	igt_subtest("status-page-unbind") {
		ensure_bound(0);
		test_status_page_unbind();
	}

	igt_describe("Unbind while another thread creates and closes BOs in a loop: it stops with ENODEV, and a rebound device works.");
	igt_subtest("unbind-creator-thread") {
		ensure_bound(0);
		test_creator_thread();
	}

	igt_describe("Unbind while another thread maps BOs and writes every page: it stops with ENODEV or SIGBUS, and a rebound device works.");
	igt_subtest("unbind-toucher-thread") {
		ensure_bound(0);
		test_toucher_thread();
	}
}
