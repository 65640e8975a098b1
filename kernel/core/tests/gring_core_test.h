/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring_core_test.ko: the core's KUnit suites (views and leases, the
 * linear ring, the split virtqueue) on real coherent DMA memory of a
 * KUnit test device, under the kernel's own spinlocks and DMA API.
 */
#ifndef _GRING_CORE_TEST_H_
#define _GRING_CORE_TEST_H_

#include <kunit/test.h>

#include "gring_view.h"

/*
 * A case named for the behaviour it proves, in IGT's spelling
 * (give-take): the name results.json shows is the name KTAP prints, so
 * one grep finds both.
 */
#define GRING_KUNIT_CASE(fn, case_name)					\
	{ .run_case = (fn), .name = (case_name), .module_name = KBUILD_MODNAME }

/* The same, for a case that takes seconds (KUnit asks for the mark). */
#define GRING_KUNIT_CASE_SLOW(fn, case_name)				\
	{ .run_case = (fn), .name = (case_name), .module_name = KBUILD_MODNAME, \
	  .attr.speed = KUNIT_SPEED_SLOW }

struct gring_coherent *gring_test_buf(struct kunit *test, size_t size,
				      const char *name);
struct gring_view gring_test_view(struct kunit *test,
				  struct gring_coherent *buf, size_t offset,
				  size_t size);

#endif /* _GRING_CORE_TEST_H_ */
