// SPDX-License-Identifier: MIT
/*
 * Finding, opening and querying the gring DRM node.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gring.h"
#include "gring_internal.h"

int gring_check_fd(int fd)
{
	char name[sizeof(GRING_DRIVER_NAME)] = { 0 };
	struct drm_version v = {
		.name_len = sizeof(name),
		.name = name,
	};
	int ret;

	ret = gring_ioctl(fd, DRM_IOCTL_VERSION, &v);
	if (ret == -ENOTTY || ret == -EINVAL)
		return -ENODEV;	/* not a DRM node at all */
	if (ret)
		return ret;

	/* name_len comes back as the full length, however much was copied. */
	if (v.name_len != strlen(GRING_DRIVER_NAME) ||
	    memcmp(name, GRING_DRIVER_NAME, v.name_len))
		return -ENODEV;
	return 0;
}

int gring_device_open_path(struct gring_device *dev, const char *path)
{
	size_t len = strlen(path);
	int fd, ret;

	dev->fd = -1;
	dev->path[0] = '\0';
	if (len >= sizeof(dev->path))
		return -ENAMETOOLONG;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	ret = gring_check_fd(fd);
	if (ret) {
		close(fd);
		return ret;
	}

	dev->fd = fd;
	memcpy(dev->path, path, len + 1);
	return 0;
}

int gring_device_engines(const struct gring_device *dev, uint64_t *mask)
{
	uint64_t value;
	int ret;

	ret = gring_get_param(dev, DRM_GRING_PARAM_ENGINES, &value);
	/* Before uapi v4 every gring device had the soft engine only. */
	if (ret == -EINVAL)
		value = 1ull << DRM_GRING_ENGINE_SOFT;
	else if (ret)
		return ret;
	*mask = value;
	return 0;
}

/*
 * Open @path if it is gring's and, when @engine is not NO_ENGINE, has that
 * engine; a gring node without it is closed again and is -ENODEV.
 */
#define NO_ENGINE	UINT32_MAX

static int probe_node(struct gring_device *dev, const char *path,
		      uint32_t engine)
{
	uint64_t mask;
	int ret;

	ret = gring_device_open_path(dev, path);
	if (ret || engine == NO_ENGINE)
		return ret;

	ret = gring_device_engines(dev, &mask);
	if (!ret && (engine >= 64 || !(mask & (1ull << engine))))
		ret = -ENODEV;
	if (ret)
		gring_device_close(dev);
	return ret;
}

/*
 * Remember the most telling failure while probing nodes: a node we could
 * not open may have been gring's, so its errno beats a plain -ENODEV.
 */
static void note_probe_error(int *err, int ret)
{
	if (ret != -ENODEV && *err == -ENODEV)
		*err = ret;
}

static int open_from_drm_devices(struct gring_device *dev, uint32_t engine,
				 int *err)
{
	drmDevicePtr *devices;
	int count, i, ret;

	count = drmGetDevices2(0, NULL, 0);
	if (count <= 0)
		return -ENODEV;	/* no /dev/dri, or nothing libdrm can classify */

	devices = calloc(count, sizeof(*devices));
	if (!devices)
		return -ENOMEM;

	count = drmGetDevices2(0, devices, count);
	ret = -ENODEV;
	for (i = 0; i < count && ret; i++) {
		drmDevicePtr d = devices[i];
		const char *node;

		if (!d)
			continue;
		if (d->available_nodes & (1 << DRM_NODE_RENDER))
			node = d->nodes[DRM_NODE_RENDER];
		else if (d->available_nodes & (1 << DRM_NODE_PRIMARY))
			node = d->nodes[DRM_NODE_PRIMARY];
		else
			continue;

		ret = probe_node(dev, node, engine);
		if (ret)
			note_probe_error(err, ret);
	}

	if (count > 0)
		drmFreeDevices(devices, count);
	free(devices);
	return ret;
}

/*
 * drmGetDevices2() skips nodes whose bus it does not know; look at the
 * nodes themselves too, render nodes first, so such a gring is still found.
 */
static int open_from_dev_dri(struct gring_device *dev, const char *prefix,
			     uint32_t engine, int *err)
{
	char path[GRING_PATH_MAX];
	struct dirent *ent;
	DIR *dir;
	int ret = -ENODEV;

	dir = opendir(DRM_DIR_NAME);
	if (!dir)
		return -ENODEV;

	while (ret && (ent = readdir(dir))) {
		if (strncmp(ent->d_name, prefix, strlen(prefix)))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", DRM_DIR_NAME,
			     ent->d_name) >= (int)sizeof(path))
			continue;

		ret = probe_node(dev, path, engine);
		if (ret)
			note_probe_error(err, ret);
	}

	closedir(dir);
	return ret;
}

static int open_first(struct gring_device *dev, uint32_t engine)
{
	int err = -ENODEV;
	int ret;

	dev->fd = -1;
	dev->path[0] = '\0';

	ret = open_from_drm_devices(dev, engine, &err);
	if (ret == -ENOMEM)
		return ret;
	if (!ret)
		return 0;

	ret = open_from_dev_dri(dev, DRM_RENDER_MINOR_NAME, engine, &err);
	if (!ret)
		return 0;
	ret = open_from_dev_dri(dev, DRM_PRIMARY_MINOR_NAME, engine, &err);
	if (!ret)
		return 0;

	return err;
}

int gring_device_open(struct gring_device *dev)
{
	return open_first(dev, NO_ENGINE);
}

int gring_device_open_engine(struct gring_device *dev, uint32_t engine)
{
	return open_first(dev, engine);
}

void gring_device_close(struct gring_device *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

int gring_device_fd(const struct gring_device *dev)
{
	return dev->fd;
}

const char *gring_device_path(const struct gring_device *dev)
{
	return dev->path;
}

int gring_device_version(const struct gring_device *dev,
			 struct gring_version *ver)
{
	struct drm_version v;
	int ret;

	memset(ver, 0, sizeof(*ver));
	if (dev->fd < 0)
		return -EBADF;

	/* One byte of each buffer stays zero: the kernel does not terminate. */
	memset(&v, 0, sizeof(v));
	v.name = ver->name;
	v.name_len = sizeof(ver->name) - 1;
	v.date = ver->date;
	v.date_len = sizeof(ver->date) - 1;
	v.desc = ver->desc;
	v.desc_len = sizeof(ver->desc) - 1;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_VERSION, &v);
	if (ret) {
		memset(ver, 0, sizeof(*ver));
		return ret;
	}

	ver->major = v.version_major;
	ver->minor = v.version_minor;
	ver->patchlevel = v.version_patchlevel;
	return 0;
}

int gring_get_param(const struct gring_device *dev, uint32_t param,
		    uint64_t *value)
{
	struct drm_gring_get_param req = {
		.param = param,
	};
	int ret;

	if (dev->fd < 0)
		return -EBADF;

	ret = gring_ioctl(dev->fd, DRM_IOCTL_GRING_GET_PARAM, &req);
	if (ret)
		return ret;

	*value = req.value;
	return 0;
}
