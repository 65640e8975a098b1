/* SPDX-License-Identifier: MIT */
/*
 * libgring internals shared between its source files; not installed.
 */
#ifndef _GRING_INTERNAL_H_
#define _GRING_INTERNAL_H_

#include <errno.h>
#include <stdint.h>
#include <xf86drm.h>

/*
 * drmIoctl() restarts on EINTR/EAGAIN and reports failure as -1 + errno;
 * the library's convention is a negative errno instead.
 */
static inline int gring_ioctl(int fd, unsigned long request, void *arg)
{
	if (drmIoctl(fd, request, arg))
		return -errno;
	return 0;
}

struct gring_cmdring_syncs;

/*
 * SUBMIT of @count commands of @cmd_size bytes each, whatever the ring's
 * engine: gring_cmdring_submit() and gring_vgpu_submit() differ only in
 * the command type.
 */
int gring_submit_raw(int fd, uint32_t ring_id, const void *cmds,
		     uint32_t count, uint32_t cmd_size,
		     const struct gring_cmdring_syncs *syncs, uint32_t flags,
		     uint64_t *seqno);

/*
 * Wait until @syncobj (@point) signals, whatever its status: 0, -ETIME,
 * or the syncobj's error.
 */
struct gring_device;
int gring_wait_signalled(const struct gring_device *dev, uint32_t syncobj,
			 uint64_t point, uint64_t timeout_ns);

#endif /* _GRING_INTERNAL_H_ */
