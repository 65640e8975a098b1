/* SPDX-License-Identifier: MIT */
/*
 * libgring internals shared between its source files; not installed.
 */
#ifndef _GRING_INTERNAL_H_
#define _GRING_INTERNAL_H_

#include <errno.h>
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

#endif /* _GRING_INTERNAL_H_ */
