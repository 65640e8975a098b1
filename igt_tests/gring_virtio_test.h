/* SPDX-License-Identifier: MIT */
/*
 * Moving the bench's second virtio-gpu-pci between virtio-pci and gring,
 * as an admin would (unbind, driver_override, drivers_probe), for the
 * tests that need gring to drive it. Header-only, like gring_ring_test.h.
 *
 * The first of the two devices always stays with virtio-pci: gring must
 * not take what it was not given. vt_give_back() is safe in an exit
 * handler: it asserts nothing.
 */
#ifndef GRING_VIRTIO_TEST_H
#define GRING_VIRTIO_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"

#define VT_PCI_DEVICES	"/sys/bus/pci/devices"
#define VT_GRING_PCI	"/sys/bus/pci/drivers/gring"

/* The bench's two 1af4:1050 functions, in bus order; "" until found. */
struct vt_devices {
	char first[32];
	char second[32];
};

/* A sysfs name into a small buffer: "" if it does not fit. */
static inline void vt_copy_name(char *out, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (n >= len)
		n = 0;
	memcpy(out, name, n);
	out[n] = '\0';
}

/* The name of the driver bound to @bdf, "" if none. */
static inline void vt_driver_of(const char *bdf, char *out, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), VT_PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		out[0] = '\0';
		return;
	}
	link[n] = '\0';
	vt_copy_name(out, len,
		     strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
}

static inline bool vt_bound_to(const char *bdf, const char *drv)
{
	char cur[64];

	vt_driver_of(bdf, cur, sizeof(cur));
	return !strcmp(cur, drv);
}

static inline int vt_unbind_any(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), VT_PCI_DEVICES "/%s/driver/unbind", bdf);
	return access(path, F_OK) ? 0 : __igt_gring_write_text(path, bdf);
}

static inline int vt_set_override(const char *bdf, const char *drv)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), VT_PCI_DEVICES "/%s/driver_override",
		 bdf);
	return __igt_gring_write_text(path, drv);
}

/* Is @name's sysfs file @attr exactly @want (with its newline)? */
static inline bool vt_attr_is(const char *name, const char *attr,
			      const char *want)
{
	char path[PATH_MAX], buf[32] = "";
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), VT_PCI_DEVICES "/%s/%s", name, attr);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f) && !strcmp(buf, want);
	fclose(f);
	return ok;
}

/* Fill @d with the virtio-gpu functions; returns how many there are. */
static inline int vt_find_devices(struct vt_devices *d)
{
	struct dirent **names;
	int n, i, found = 0;

	memset(d, 0, sizeof(*d));
	n = scandir(VT_PCI_DEVICES, &names, NULL, alphasort);
	igt_assert(n >= 0);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (name[0] != '.' && vt_attr_is(name, "vendor", "0x1af4\n") &&
		    vt_attr_is(name, "device", "0x1050\n")) {
			if (found < 2)
				vt_copy_name(found ? d->second : d->first,
					     sizeof(d->first), name);
			found++;
		}
		free(names[i]);
	}
	free(names);
	return found;
}

/*
 * What every binary that moves the second virtio-gpu function needs:
 * root (sysfs, debugfs), gring.ko loaded, and two functions, found into
 * @d. Skips otherwise.
 */
static inline void vt_require_two_devices(struct vt_devices *d)
{
	igt_require_f(geteuid() == 0, "sysfs and debugfs need root\n");
	igt_require_f(access(VT_GRING_PCI, F_OK) == 0,
		      "no " VT_GRING_PCI " (gring.ko not loaded)\n");
	igt_require_f(vt_find_devices(d) >= 2,
		      "needs two virtio-gpu-pci devices\n");
}

/* The second device back to virtio-pci (so to virtio_gpu); no asserts. */
static inline void vt_give_back(const struct vt_devices *d)
{
	if (!d->second[0] || vt_bound_to(d->second, "virtio-pci"))
		return;
	vt_unbind_any(d->second);
	vt_set_override(d->second, "\n");
	__igt_gring_write_text("/sys/bus/pci/drivers_probe", d->second);
}

/* The second device to gring; the first stays with virtio-pci. */
static inline void vt_take(const struct vt_devices *d)
{
	if (vt_bound_to(d->second, "gring"))
		return;
	igt_assert_eq(vt_unbind_any(d->second), 0);
	igt_assert_eq(vt_set_override(d->second, "gring"), 0);
	igt_assert_eq(__igt_gring_write_text("/sys/bus/pci/drivers_probe",
					     d->second), 0);
	igt_assert_f(vt_bound_to(d->second, "gring"),
		     "%s did not bind to gring\n", d->second);
	igt_assert(vt_bound_to(d->first, "virtio-pci"));
}

/*
 * Open the render node of the DRM device gring made on @bdf (its
 * drm/renderD* in sysfs), waiting up to 2 s for the node to appear.
 */
static inline int vt_open_render(const char *bdf)
{
	char path[PATH_MAX], node[PATH_MAX] = "";
	struct dirent *e;
	int tries, fd;
	DIR *dir;

	snprintf(path, sizeof(path), VT_PCI_DEVICES "/%s/drm", bdf);
	dir = opendir(path);
	igt_assert_f(dir, "%s has no DRM device (%m)\n", bdf);
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "renderD", 7))
			snprintf(node, sizeof(node), "/dev/dri/%s", e->d_name);
	closedir(dir);
	igt_assert_f(node[0], "%s has no render node\n", bdf);

	for (tries = 0; tries < 200; tries++) {
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			break;
		usleep(10000);
	}
	igt_assert_f(fd >= 0, "cannot open %s: %m\n", node);
	igt_assert(igt_gring_is_gring(fd));
	return fd;
}

#endif /* GRING_VIRTIO_TEST_H */
