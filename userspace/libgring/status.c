// SPDX-License-Identifier: MIT
/*
 * libgring: a ring's completion read from its status page, mapped
 * read-only (struct drm_gring_ring_status), so that a finished job costs
 * no ioctl and a waited one costs the wait alone; the syncobj path is
 * the fallback whenever the page cannot say.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "gring.h"
#include "gring_internal.h"

int gring_ring_status_map(const struct gring_device *dev, uint32_t ring_id,
			  struct gring_ring_status *status)
{
	void *p;

	if (dev->fd < 0)
		return -EBADF;
	if (!ring_id || ring_id > DRM_GRING_MAX_RING_ID)
		return -EINVAL;
	p = mmap(NULL, DRM_GRING_STATUS_SIZE, PROT_READ, MAP_SHARED, dev->fd,
		 DRM_GRING_RING_STATUS_OFFSET(ring_id));
	if (p == MAP_FAILED)
		return -errno;
	status->page = p;
	status->ring_id = ring_id;
	return 0;
}

int gring_ring_status_unmap(struct gring_ring_status *status)
{
	int ret = 0;

	if (status->page && munmap((void *)status->page,
				   DRM_GRING_STATUS_SIZE))
		ret = -errno;
	status->page = NULL;
	return ret;
}

/* A u64 of the page, with acquire ordering (the kernel's release). */
static uint64_t load_acquire(const volatile __u64 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

int gring_ring_status_job(const struct gring_ring_status *status,
			  uint64_t seqno)
{
	const volatile struct drm_gring_ring_status *st = status->page;
	const unsigned int n = DRM_GRING_STATUS_ERRORS;
	uint64_t e1, e2, oldest = 0;
	unsigned int i, tries;
	int err;

	if (!st || !seqno)
		return -EINVAL;
	if (seqno > load_acquire(&st->completed))
		return 0;
	/* Bounded: a ring failing faster than this loop reads is unusual. */
	for (tries = 0; tries < 16; tries++) {
		bool found = false;

		e1 = load_acquire(&st->errors);
		err = 0;
		for (i = 0; i < (e1 < n ? e1 : n); i++) {
			/* Error, then (read barrier) seqno: see the uapi. */
			int e = st->error[i];

			atomic_thread_fence(memory_order_acquire);
			if (st->error_seqno[i] == seqno) {
				err = e;
				found = true;
			}
		}
		if (e1 > n)
			oldest = st->error_seqno[e1 % n];
		atomic_thread_fence(memory_order_acquire);
		e2 = st->errors;
		if (e1 != e2)
			continue;
		if (found)
			return err < 0 ? err : -EIO;
		if (e1 <= n || seqno > oldest)
			return 1;
		return -ENODATA;
	}
	return -ENODATA;
}

int gring_ring_wait(const struct gring_device *dev,
		    const struct gring_ring_status *status, uint64_t seqno,
		    uint32_t syncobj, uint64_t point, uint64_t timeout_ns)
{
	int ret = gring_ring_status_job(status, seqno);

	if (ret == 1)
		return 0;
	if (ret < 0 && ret != -ENODATA)
		return ret;
	if (!ret) {
		/* Not done: sleep on the fence, then ask the page again. */
		ret = gring_wait_signalled(dev, syncobj, point, timeout_ns);
		if (ret)
			return ret;
		ret = gring_ring_status_job(status, seqno);
		if (ret == 1)
			return 0;
		if (ret < 0 && ret != -ENODATA)
			return ret;
	}
	/*
	 * The page cannot say: an earlier job of the ring still runs (jobs
	 * may complete out of order), or the log no longer reaches back to
	 * this one. The fence knows.
	 */
	return gring_wait(dev, syncobj, point, timeout_ns);
}
