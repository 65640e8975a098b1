// SPDX-License-Identifier: MIT
/*
 * Helpers shared by gring's IGT tests; see gring_test.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"

uint64_t igt_gring_page_size(void)
{
	long page = sysconf(_SC_PAGESIZE);

	igt_assert(page > 0);
	return page;
}

uint64_t igt_gring_page_round(uint64_t size)
{
	uint64_t page = igt_gring_page_size();

	return (size + page - 1) / page * page;
}

bool igt_gring_is_gring(int fd)
{
	drmVersionPtr version = drmGetVersion(fd);
	bool is_gring;

	if (!version)
		return false;

	is_gring = version->name_len == strlen("gring") &&
		   !strncmp(version->name, "gring", version->name_len);
	drmFreeVersion(version);
	return is_gring;
}

int igt_gring_open(void)
{
	/*
	 * Not drm_open_driver_render(): DRIVER_ANY includes DRIVER_INTEL, so
	 * it also runs i915's cache cleanup through debugfs, which asserts
	 * for anyone but root and would make every test root-only.
	 */
	int fd = __drm_open_driver_render(DRIVER_ANY);

	igt_require_f(fd >= 0, "no DRM render node to open\n");
	if (!igt_gring_is_gring(fd)) {
		close(fd);
		igt_skip("The DRM device found is not gring; run with IGT_FORCE_DRIVER=gring.\n");
	}
	return fd;
}

int igt_gring_reopen(int fd)
{
	char *path = drmGetDeviceNameFromFd2(fd);
	int fd2;

	igt_assert(path);
	fd2 = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(fd2 >= 0, "cannot reopen %s: %m\n", path);
	free(path);
	return fd2;
}

/* drmIoctl() as 0 or -errno, leaving errno as it was found. */
static int gring_ioctl(int fd, unsigned long request, void *arg)
{
	int saved = errno;
	int ret = 0;

	if (drmIoctl(fd, request, arg))
		ret = -errno;
	errno = saved;
	return ret;
}

int __igt_gring_get_param(int fd, struct drm_gring_get_param *arg)
{
	return gring_ioctl(fd, DRM_IOCTL_GRING_GET_PARAM, arg);
}

uint64_t igt_gring_get_param(int fd, uint32_t param)
{
	struct drm_gring_get_param arg = { .param = param };

	igt_assert_eq(__igt_gring_get_param(fd, &arg), 0);
	return arg.value;
}

int __igt_gring_gem_create(int fd, struct drm_gring_gem_create *arg)
{
	return gring_ioctl(fd, DRM_IOCTL_GRING_GEM_CREATE, arg);
}

uint32_t igt_gring_gem_create(int fd, uint64_t size, uint64_t *allocated)
{
	struct drm_gring_gem_create arg = { .size = size };

	igt_assert_eq(__igt_gring_gem_create(fd, &arg), 0);
	igt_assert(arg.handle != 0);
	if (allocated)
		*allocated = arg.size;
	return arg.handle;
}

int __igt_gring_gem_mmap_offset(int fd, struct drm_gring_gem_mmap_offset *arg)
{
	return gring_ioctl(fd, DRM_IOCTL_GRING_GEM_MMAP_OFFSET, arg);
}

uint64_t igt_gring_gem_mmap_offset(int fd, uint32_t handle)
{
	struct drm_gring_gem_mmap_offset arg = { .handle = handle };

	igt_assert_eq(__igt_gring_gem_mmap_offset(fd, &arg), 0);
	return arg.offset;
}

void *igt_gring_gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	uint64_t offset = igt_gring_gem_mmap_offset(fd, handle);
	void *ptr;

	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert_f(ptr != MAP_FAILED, "mmap of handle %u failed: %m\n",
		     handle);
	return ptr;
}

int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return gring_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

void gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(__gem_close(fd, handle), 0);
}

int igt_gring_prime_export(int fd, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);
	igt_assert(dmabuf >= 0);
	return dmabuf;
}

uint32_t igt_gring_prime_import(int fd, int dmabuf)
{
	uint32_t handle = 0;

	igt_assert_eq(drmPrimeFDToHandle(fd, dmabuf, &handle), 0);
	igt_assert(handle != 0);
	return handle;
}

uint64_t igt_gring_maps_offset(const void *addr)
{
	uintptr_t want = (uintptr_t)addr;
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[512];
	bool found = false;
	uint64_t offset = 0;

	igt_assert(maps);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long start, end, off;

		/* "start-end perms offset dev inode path", all hex but inode */
		if (sscanf(line, "%llx-%llx %*s %llx", &start, &end, &off) != 3)
			continue;
		if (want >= start && want < end) {
			igt_debug("maps: %s", line);
			offset = off;
			found = true;
			break;
		}
	}
	fclose(maps);
	igt_assert_f(found, "no line of /proc/self/maps covers %p\n", addr);
	return offset;
}

char *igt_gring_read_text(const char *path)
{
	char *buf = calloc(1, 4096);
	ssize_t len = 0, ret;
	int file;

	igt_assert(buf);
	file = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_f(file >= 0, "cannot open %s: %m\n", path);
	while ((ret = read(file, buf + len, 4095 - len)) > 0)
		len += ret;
	close(file);
	igt_assert_f(ret == 0, "reading %s failed: %m\n", path);
	return buf;
}

char *igt_gring_debugfs_text(int fd, const char *name)
{
	size_t len = 0, room = 1 << 16;
	char *buf = malloc(room);
	ssize_t ret;
	int dir, file;

	igt_assert(buf);
	dir = igt_debugfs_dir(fd);
	igt_require_f(dir >= 0, "no debugfs directory for the gring device\n");
	file = openat(dir, name, O_RDONLY | O_CLOEXEC);
	close(dir);
	igt_assert_f(file >= 0, "cannot open debugfs %s: %m\n", name);
	while ((ret = read(file, buf + len, room - 1 - len)) > 0) {
		len += ret;
		if (len == room - 1) {
			room *= 2;
			buf = realloc(buf, room);
			igt_assert(buf);
		}
	}
	close(file);
	igt_assert_f(ret == 0, "reading debugfs %s failed: %m\n", name);
	buf[len] = '\0';
	return buf;
}

int __igt_gring_write_text(const char *path, const char *text)
{
	int file = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (file < 0)
		return -errno;
	if (write(file, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -errno;
	close(file);
	return ret;
}

uint64_t igt_gring_read_u64(const char *path)
{
	char *text = igt_gring_read_text(path), *end;
	uint64_t value;

	errno = 0;
	value = strtoull(text, &end, 10);
	igt_assert_f(!errno && end != text, "%s holds no number: \"%s\"\n",
		     path, text);
	free(text);
	return value;
}

/* Parse "<key><decimal>\n" at *pos and step past it. */
static bool parse_line(const char **pos, const char *key, uint64_t *value)
{
	size_t len = strlen(key);
	char *end;

	if (strncmp(*pos, key, len) || !isdigit((unsigned char)(*pos)[len]))
		return false;

	errno = 0;
	*value = strtoull(*pos + len, &end, 10);
	if (errno || *end != '\n')
		return false;

	*pos = end + 1;
	return true;
}

struct igt_gring_gem_stats igt_gring_gem_stats(int fd)
{
	struct igt_gring_gem_stats stats;
	char buf[256];
	const char *pos = buf;
	size_t len = 0;
	ssize_t ret;
	int dir, file;

	dir = igt_debugfs_dir(fd);
	igt_require_f(dir >= 0, "no debugfs directory for the gring device\n");
	file = openat(dir, "gring_gem", O_RDONLY | O_CLOEXEC);
	close(dir);
	igt_assert_f(file >= 0, "cannot open debugfs gring_gem: %m\n");

	while ((ret = read(file, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += ret;
	close(file);
	igt_assert_f(ret == 0, "reading debugfs gring_gem failed: %m\n");
	buf[len] = '\0';

	igt_assert_f(parse_line(&pos, "objects: ", &stats.objects) &&
		     parse_line(&pos, "bytes: ", &stats.bytes) && *pos == '\0',
		     "debugfs gring_gem is not \"objects: N\\nbytes: M\\n\": \"%s\"\n",
		     buf);
	return stats;
}

struct igt_gring_gem_stats igt_gring_gem_stats_settle(int fd,
						      struct igt_gring_gem_stats want)
{
	struct igt_gring_gem_stats now;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		now = igt_gring_gem_stats(fd);
		if (now.objects == want.objects && now.bytes == want.bytes)
			break;
		usleep(10 * 1000);
	}
	return now;
}

void igt_gring_inject_faults(int fd, unsigned int n)
{
	char text[16];
	int dir, file, len;

	dir = igt_debugfs_dir(fd);
	igt_require_f(dir >= 0, "no debugfs directory for the gring device\n");
	file = openat(dir, "gring_inject_faults", O_WRONLY | O_CLOEXEC);
	close(dir);
	igt_assert_f(file >= 0, "cannot open debugfs gring_inject_faults: %m\n");
	len = snprintf(text, sizeof(text), "%u", n);
	igt_assert_eq(write(file, text, len), len);
	close(file);
}
