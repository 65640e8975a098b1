// SPDX-License-Identifier: MIT
/*
 * libgring checks that need no gring device (argument and error paths),
 * plus a BO round trip when a gring device is present.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gring.h>

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		failures++;						\
	}								\
} while (0)

static void test_params(void)
{
	static const char *const names[] = {
		[DRM_GRING_PARAM_UAPI_VERSION] = "UAPI_VERSION",
		[DRM_GRING_PARAM_MAX_BO_SIZE] = "MAX_BO_SIZE",
		[DRM_GRING_PARAM_BO_ALIGN] = "BO_ALIGN",
		[DRM_GRING_PARAM_PINNED_CAP] = "PINNED_CAP",
	};
	uint32_t p;

	for (p = 0; p < 4; p++) {
		const struct gring_param_info *info = gring_param_info(p);

		CHECK(info && info->param == p);
		CHECK(info && !strcmp(info->name, names[p]));
		CHECK(gring_param_name(p) && !strcmp(gring_param_name(p), names[p]));
	}
	CHECK(gring_param_info(DRM_GRING_PARAM_MAX_BO_SIZE)->unit == GRING_UNIT_BYTES);
	CHECK(gring_param_info(DRM_GRING_PARAM_UAPI_VERSION)->unit == GRING_UNIT_NONE);
	CHECK(gring_param_info(DRM_GRING_PARAM_PINNED_CAP)->unit == GRING_UNIT_BYTES);
	CHECK(!gring_param_info(4));
	CHECK(!gring_param_name(~0u));
}

static void test_open_errors(void)
{
	struct gring_device dev;
	char long_path[GRING_PATH_MAX + 8];
	int fds[2];

	dev.fd = 42;
	CHECK(gring_device_open_path(&dev, "/dev/null") == -ENODEV);
	CHECK(dev.fd == -1);
	CHECK(gring_device_open_path(&dev, "/nonexistent/renderD128") == -ENOENT);
	CHECK(dev.fd == -1);

	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	CHECK(gring_device_open_path(&dev, long_path) == -ENAMETOOLONG);

	gring_device_close(&dev);
	gring_device_close(&dev);
	CHECK(gring_device_fd(&dev) == -1);

	CHECK(gring_check_fd(-1) == -EBADF);
	CHECK(pipe(fds) == 0);
	CHECK(gring_check_fd(fds[0]) == -ENODEV);
	close(fds[0]);
	close(fds[1]);
}

static void test_closed_device(void)
{
	struct gring_device dev = { .fd = -1 };
	struct gring_version ver;
	struct gring_bo bo;
	uint64_t value = 7;

	CHECK(gring_get_param(&dev, DRM_GRING_PARAM_BO_ALIGN, &value) == -EBADF);
	CHECK(value == 7);
	CHECK(gring_device_version(&dev, &ver) == -EBADF);

	memset(&bo, 0xff, sizeof(bo));
	CHECK(gring_bo_create(&dev, 4096, 0, &bo) == -EBADF);
	CHECK(bo.handle == 0 && bo.size == 0 && !bo.map);
	CHECK(gring_bo_close(&dev, &bo) == 0);	/* zeroed: already closed */
	CHECK(gring_bo_unmap(&bo) == 0);
}

/* Only when a gring device is present (the VM): a BO's life, end to end. */
static void test_bo_round_trip(struct gring_device *dev)
{
	uint64_t align, max;
	struct gring_bo bo, again;
	unsigned char *p;
	uint64_t i;

	CHECK(gring_get_param(dev, DRM_GRING_PARAM_BO_ALIGN, &align) == 0);
	CHECK(gring_get_param(dev, DRM_GRING_PARAM_MAX_BO_SIZE, &max) == 0);
	CHECK(align && (align & (align - 1)) == 0);
	CHECK(gring_get_param(dev, 0xdead, &max) == -EINVAL);

	CHECK(gring_bo_create(dev, 0, 0, &bo) == -EINVAL);
	CHECK(gring_bo_create(dev, 4096, 1, &bo) == -EINVAL);
	CHECK(gring_bo_create(dev, max + 1, 0, &bo) == -E2BIG);
	CHECK(bo.handle == 0);

	CHECK(gring_bo_create(dev, align + 1, 0, &bo) == 0);
	CHECK(bo.handle != 0);
	CHECK(bo.size == 2 * align);
	CHECK(gring_bo_map(dev, &bo) == 0 && bo.map);
	CHECK(gring_bo_map(dev, &bo) == 0);	/* idempotent */
	p = bo.map;
	for (i = 0; p && i < bo.size; i++)
		p[i] = (unsigned char)(i * 7);

	/* A second mapping of the same object sees the same bytes. */
	again = bo;
	again.map = NULL;
	CHECK(gring_bo_map(dev, &again) == 0);
	for (i = 0; again.map && i < bo.size; i++)
		if (((unsigned char *)again.map)[i] != (unsigned char)(i * 7))
			break;
	CHECK(i == bo.size);
	CHECK(gring_bo_unmap(&again) == 0 && !again.map);

	CHECK(gring_bo_close(dev, &bo) == 0);
	CHECK(bo.handle == 0 && !bo.map);
	again.handle = 0x7fffffff;
	CHECK(gring_bo_close(dev, &again) == -EINVAL);
}

int main(int argc, char **argv)
{
	/* In the VM the device must be there: its absence is a failure. */
	int require = argc > 1 && !strcmp(argv[1], "--require-device");
	struct gring_device dev;
	int ret;

	test_params();
	test_open_errors();
	test_closed_device();

	ret = gring_device_open(&dev);
	if (ret == 0) {
		struct gring_version ver;

		CHECK(gring_device_version(&dev, &ver) == 0);
		CHECK(!strcmp(ver.name, GRING_DRIVER_NAME));
		CHECK(gring_check_fd(gring_device_fd(&dev)) == 0);
		test_bo_round_trip(&dev);
		gring_device_close(&dev);
	} else {
		printf("no gring device (%s): device checks skipped\n",
		       strerror(-ret));
		CHECK(ret == -ENODEV || ret == -EACCES);
		CHECK(dev.fd == -1);
		CHECK(!require);
	}

	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return EXIT_FAILURE;
	}
	printf("libgring: all checks passed\n");
	return EXIT_SUCCESS;
}
