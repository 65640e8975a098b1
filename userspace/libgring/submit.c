// SPDX-License-Identifier: MIT
/*
 * Jobs: submit, syncobjs, and waiting for a job with its error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "gring.h"
#include "gring_internal.h"

int gring_submit_raw(int fd, uint32_t ring_id, const void *cmds,
		     uint32_t count, uint32_t cmd_size,
		     const struct gring_cmdring_syncs *syncs, uint32_t flags,
		     uint64_t *seqno)
{
	struct drm_gring_submit req = {
		.ring_id = ring_id,
		.flags = flags,
		.cmds = (uintptr_t)cmds,
		.cmd_count = count,
		.cmd_size = cmd_size,
	};
	int ret;

	if (fd < 0)
		return -EBADF;
	if (syncs) {
		req.in_syncs = (uintptr_t)syncs->in;
		req.in_sync_count = syncs->in_count;
		req.out_sync = syncs->out;
		req.out_sync_point = syncs->out_point;
	}

	/*
	 * Not drmIoctl(): it restarts on EAGAIN too, which would turn
	 * DRM_GRING_SUBMIT_NONBLOCK's "ring full" into a busy loop.
	 */
	do {
		ret = ioctl(fd, DRM_IOCTL_GRING_SUBMIT, &req);
	} while (ret == -1 && errno == EINTR);
	if (ret)
		return -errno;

	if (seqno)
		*seqno = req.seqno;
	return 0;
}

int gring_cmdring_submit(const struct gring_device *dev,
			 const struct gring_cmdring *ring,
			 const struct drm_gring_cmd *cmds, uint32_t count,
			 const struct gring_cmdring_syncs *syncs, uint32_t flags,
			 uint64_t *seqno)
{
	return gring_submit_raw(dev->fd, ring->id, cmds, count, sizeof(*cmds),
				syncs, flags, seqno);
}

int gring_syncobj_create(const struct gring_device *dev, uint32_t *handle)
{
	struct drm_syncobj_create req = { .flags = 0 };
	int ret;

	if (dev->fd < 0)
		return -EBADF;
	ret = gring_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_CREATE, &req);
	if (ret)
		return ret;
	*handle = req.handle;
	return 0;
}

int gring_syncobj_destroy(const struct gring_device *dev, uint32_t handle)
{
	struct drm_syncobj_destroy req = { .handle = handle };

	if (dev->fd < 0)
		return -EBADF;
	return gring_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &req);
}

/* A sync_file holding the fence of @syncobj (binary, point 0). */
static int export_sync_file(int fd, uint32_t syncobj, int *sync_file)
{
	struct drm_syncobj_handle req = {
		.handle = syncobj,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	int ret;

	ret = gring_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &req);
	if (ret)
		return ret;
	*sync_file = req.fd;
	return 0;
}

/*
 * The status of the first fence in a sync_file: 1 signalled, 0 pending,
 * negative its error. For a timeline point the sync_file holds the
 * point's dma_fence_chain link, and unwrapping it lists the point's own
 * job fence first, then those of earlier points; only the first is this
 * job's (the chain link itself carries no error).
 */
static int sync_file_first_status(int sync_file)
{
	/*
	 * Room for the common cases (one job fence; a timeline point with a
	 * few earlier ones) on the stack: one ioctl. The kernel refuses a
	 * buffer that is too small without filling anything but the count.
	 */
	struct sync_fence_info few[8], *fences = few;
	struct sync_file_info info;
	int ret;

	memset(&info, 0, sizeof(info));
	info.num_fences = sizeof(few) / sizeof(few[0]);
	info.sync_fence_info = (uintptr_t)few;
	if (!ioctl(sync_file, SYNC_IOC_FILE_INFO, &info))
		return info.num_fences ? few[0].status : info.status;
	if (errno != EINVAL)
		return -errno;

	memset(&info, 0, sizeof(info));
	if (ioctl(sync_file, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	if (!info.num_fences)
		return info.status;
	fences = calloc(info.num_fences, sizeof(*fences));
	if (!fences)
		return -ENOMEM;
	info.sync_fence_info = (uintptr_t)fences;
	if (ioctl(sync_file, SYNC_IOC_FILE_INFO, &info))
		ret = -errno;
	else
		ret = fences[0].status;
	free(fences);
	return ret;
}

/* 1, 0 or the error of the fence in a binary syncobj. */
static int binary_status(int fd, uint32_t syncobj)
{
	int sync_file, ret;

	ret = export_sync_file(fd, syncobj, &sync_file);
	if (ret)
		return ret;
	ret = sync_file_first_status(sync_file);
	close(sync_file);
	return ret;
}

/*
 * Put the fence of timeline point @point of @syncobj into a new binary
 * syncobj *@tmp, which then keeps that job's own fence alive: the
 * timeline itself forgets a signalled point once a later one signals.
 */
static int capture_point(const struct gring_device *dev, uint32_t syncobj,
			 uint64_t point, uint32_t *tmp)
{
	struct drm_syncobj_transfer xfer = {
		.src_handle = syncobj,
		.src_point = point,
	};
	int ret;

	ret = gring_syncobj_create(dev, tmp);
	if (ret)
		return ret;
	xfer.dst_handle = *tmp;
	ret = gring_ioctl(dev->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &xfer);
	if (ret) {
		gring_syncobj_destroy(dev, *tmp);
		*tmp = 0;
	}
	return ret;
}

int gring_fence_status(const struct gring_device *dev, uint32_t syncobj,
		       uint64_t point)
{
	uint32_t tmp;
	int ret;

	if (dev->fd < 0)
		return -EBADF;
	if (!point)
		return binary_status(dev->fd, syncobj);

	/* sync_file export takes only a binary syncobj: copy the point. */
	ret = capture_point(dev, syncobj, point, &tmp);
	if (ret)
		return ret;
	ret = binary_status(dev->fd, tmp);
	gring_syncobj_destroy(dev, tmp);
	return ret;
}

static int wait_one(int fd, uint32_t syncobj, uint64_t point,
		    int64_t deadline, uint32_t flags)
{
	struct drm_syncobj_timeline_wait req = {
		.handles = (uintptr_t)&syncobj,
		.points = (uintptr_t)&point,
		.count_handles = 1,
		.timeout_nsec = deadline,
		.flags = flags,
	};

	return gring_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &req);
}

/* The kernel takes an absolute CLOCK_MONOTONIC deadline. */
static int64_t deadline_in(uint64_t timeout_ns)
{
	struct timespec now;
	uint64_t now_ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	now_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	return timeout_ns > (uint64_t)INT64_MAX - now_ns ?
	       INT64_MAX : (int64_t)(now_ns + timeout_ns);
}

int gring_wait_signalled(const struct gring_device *dev, uint32_t syncobj,
			 uint64_t point, uint64_t timeout_ns)
{
	if (dev->fd < 0)
		return -EBADF;
	return wait_one(dev->fd, syncobj, point, deadline_in(timeout_ns),
			DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
}

int gring_wait(const struct gring_device *dev, uint32_t syncobj,
	       uint64_t point, uint64_t timeout_ns)
{
	const uint32_t submitted = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	uint32_t tmp = 0;
	int64_t deadline;
	int ret;

	if (dev->fd < 0)
		return -EBADF;
	deadline = deadline_in(timeout_ns);

	/*
	 * A timeline point: once its job is submitted, hold the job's own
	 * fence in a binary syncobj before it can signal, so its error is
	 * still there to read however soon later points signal after it.
	 */
	if (point) {
		ret = wait_one(dev->fd, syncobj, point, deadline, submitted |
			       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE);
		if (ret)
			return ret;
		ret = capture_point(dev, syncobj, point, &tmp);
		if (ret)
			return ret;
		syncobj = tmp;
	}

	ret = wait_one(dev->fd, syncobj, 0, deadline, submitted);
	if (!ret) {
		ret = binary_status(dev->fd, syncobj);
		/* Signalled for the wait, so it cannot be pending here. */
		ret = ret == 1 ? 0 : ret ? ret : -EIO;
	}
	if (tmp)
		gring_syncobj_destroy(dev, tmp);
	return ret;
}
