/* SPDX-License-Identifier: MIT */
/*
 * What gring's IGT tests share: finding the device, thin wrappers over the
 * raw ioctls, and the BO counters the driver keeps in debugfs.
 *
 * The wrappers go straight to drmIoctl() with the uapi structs, never
 * through libgring, so a bug in the library cannot hide one in the kernel.
 * A wrapper whose name starts with "__" returns 0 or -errno and leaves the
 * verdict to the test; the others assert success.
 */
#ifndef GRING_TEST_H
#define GRING_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "gring_drm.h"

/* The kernel's page size: the test's own idea of the BO granule. */
uint64_t igt_gring_page_size(void);

/* Round @size up to a whole number of pages, computed by the test. */
uint64_t igt_gring_page_round(uint64_t size);

/* Is @fd a DRM device whose driver calls itself "gring"? */
bool igt_gring_is_gring(int fd);

/*
 * Open gring's render node (DRIVER_ANY with IGT_FORCE_DRIVER=gring), and
 * skip if there is none or the device found is another driver.
 */
int igt_gring_open(void);

/* Open @fd's device node once more: a second, independent DRM file. */
int igt_gring_reopen(int fd);

int __igt_gring_get_param(int fd, struct drm_gring_get_param *arg);
uint64_t igt_gring_get_param(int fd, uint32_t param);

int __igt_gring_gem_create(int fd, struct drm_gring_gem_create *arg);
/* Create a BO of @size bytes; the allocated size goes to @allocated. */
uint32_t igt_gring_gem_create(int fd, uint64_t size, uint64_t *allocated);

int __igt_gring_gem_mmap_offset(int fd, struct drm_gring_gem_mmap_offset *arg);
uint64_t igt_gring_gem_mmap_offset(int fd, uint32_t handle);
/* Map @size bytes of the BO shared, readable and writable. */
void *igt_gring_gem_mmap(int fd, uint32_t handle, uint64_t size);

int __gem_close(int fd, uint32_t handle);
void gem_close(int fd, uint32_t handle);

/* PRIME: export @handle as a read-write dma-buf fd; import one as a handle. */
int igt_gring_prime_export(int fd, uint32_t handle);
uint32_t igt_gring_prime_import(int fd, int dmabuf);

/*
 * The file offset /proc/self/maps shows for the mapping that contains
 * @addr (fails if no mapping does).
 */
uint64_t igt_gring_maps_offset(const void *addr);

/*
 * Make the next @n soft-engine jobs of @fd's device fault (debugfs
 * gring_inject_faults, root only); skips without debugfs.
 */
void igt_gring_inject_faults(int fd, unsigned int n);

/*
 * The whole of the gring device's debugfs file @name (malloc()ed, NUL
 * terminated, any size); skips without debugfs.
 */
char *igt_gring_debugfs_text(int fd, const char *name);

/* Read a whole small file (sysfs, procfs, cgroupfs) as a string. */
char *igt_gring_read_text(const char *path);
/* The first decimal number in @path. */
uint64_t igt_gring_read_u64(const char *path);
/*
 * Write @text to @path in one write() (a sysfs attribute such as a
 * driver's bind or unbind). Returns 0 or -errno and asserts nothing, so
 * exit handlers may call it.
 */
int __igt_gring_write_text(const char *path, const char *text);

/*
 * Device-wide live BOs, as the driver reports them in its debugfs file
 * gring_gem ("objects: <N>\nbytes: <M>\n"). Skips without debugfs; fails if
 * the file is missing or not in that exact format.
 */
struct igt_gring_gem_stats {
	uint64_t objects;
	uint64_t bytes;
};

struct igt_gring_gem_stats igt_gring_gem_stats(int fd);
/*
 * The counts once they are back to @want, or as they are after 10 s.
 * Since uapi version 5 a closed file's or destroyed ring's last jobs free
 * what they hold after close or RING_DESTROY has returned, so counts
 * settle shortly after rather than at once.
 */
struct igt_gring_gem_stats igt_gring_gem_stats_settle(int fd,
						      struct igt_gring_gem_stats want);

#endif /* GRING_TEST_H */
