// SPDX-License-Identifier: MIT
/*
 * gring_basic: the device can be found, and DRM_IOCTL_GRING_GET_PARAM
 * answers what the uapi promises and refuses what it does not know.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"

IGT_TEST_DESCRIPTION("Device discovery and GET_PARAM of the gring DRM driver.");

/* Written by a successful GET_PARAM only: seeing it again means untouched. */
#define UNTOUCHED	0x5a5a5a5a5a5a5a5aull

static void check_param_einval(int fd, uint32_t param, uint32_t pad)
{
	struct drm_gring_get_param arg = {
		.param = param,
		.pad = pad,
		.value = UNTOUCHED,
	};

	igt_debug("param %#x pad %#x\n", param, pad);
	do_ioctl_err(fd, DRM_IOCTL_GRING_GET_PARAM, &arg, EINVAL);
	igt_assert_eq_u64(arg.value, UNTOUCHED);
}

igt_main
{
	/* static: kept intact across the siglongjmp() out of each subtest */
	static int fd = -1;

	/* Before the fixture: if gring cannot be found, this must fail. */
	igt_describe("With IGT_FORCE_DRIVER=gring, IGT finds a render node whose driver is named \"gring\".");
	igt_subtest("open-by-name") {
		const char *forced = getenv("IGT_FORCE_DRIVER");
		int node;

		igt_require_f(forced && !strcmp(forced, "gring"),
			      "needs IGT_FORCE_DRIVER=gring\n");

		node = __drm_open_driver_render(DRIVER_ANY);
		igt_assert_f(node >= 0, "no render node of a driver named gring\n");
		igt_assert_eq(drmGetNodeTypeFromFd(node), DRM_NODE_RENDER);
		igt_assert(igt_gring_is_gring(node));
		close(node);
	}

	igt_fixture
		fd = igt_gring_open();

	igt_describe("PARAM_UAPI_VERSION is the DRM_GRING_UAPI_VERSION this test was built against.");
	igt_subtest("get-param-uapi-version")
		igt_assert_eq_u64(igt_gring_get_param(fd, DRM_GRING_PARAM_UAPI_VERSION),
				  DRM_GRING_UAPI_VERSION);

	igt_describe("PARAM_MAX_BO_SIZE is a non-zero whole number of pages, at least 1 MiB.");
	igt_subtest("get-param-max-bo-size") {
		uint64_t max = igt_gring_get_param(fd, DRM_GRING_PARAM_MAX_BO_SIZE);
		uint64_t page = igt_gring_page_size();

		igt_info("max BO size: %" PRIu64 " bytes\n", max);
		igt_assert_neq_u64(max, 0);
		igt_assert_eq_u64(max % page, 0);
		igt_assert_lte_u64(1ull << 20, max);
	}

	igt_describe("PARAM_BO_ALIGN, the granule BO sizes are rounded to, is the page size.");
	igt_subtest("get-param-bo-align")
		igt_assert_eq_u64(igt_gring_get_param(fd, DRM_GRING_PARAM_BO_ALIGN),
				  igt_gring_page_size());

	igt_describe("PARAM_ENGINES of gring's own (platform) device is the soft engine alone.");
	igt_subtest("get-param-engines")
		igt_assert_eq_u64(igt_gring_get_param(fd, DRM_GRING_PARAM_ENGINES),
				  1ull << DRM_GRING_ENGINE_SOFT);

	igt_describe("An unknown parameter is refused with EINVAL and value is left alone.");
	igt_subtest("get-param-invalid") {
		check_param_einval(fd, DRM_GRING_PARAM_MAX_RINGS + 1, 0);
		check_param_einval(fd, 0x80000000u, 0);
		check_param_einval(fd, ~0u, 0);
	}

	igt_describe("A non-zero pad is refused with EINVAL, even with a valid parameter.");
	igt_subtest("get-param-nonzero-pad") {
		check_param_einval(fd, DRM_GRING_PARAM_UAPI_VERSION, 1);
		check_param_einval(fd, DRM_GRING_PARAM_UAPI_VERSION, 0x80000000u);
		check_param_einval(fd, DRM_GRING_PARAM_MAX_BO_SIZE, ~0u);
	}

	igt_fixture
		close(fd);
}
