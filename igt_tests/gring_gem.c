// SPDX-License-Identifier: MIT
/*
 * gring_gem: coherent buffer objects through GEM_CREATE, GEM_MMAP_OFFSET and
 * DRM_IOCTL_GEM_CLOSE -- sizes, mappings, lifetimes, and every way to get
 * them wrong.
 *
 * Object counts come from the driver's debugfs gring_gem file, which counts
 * the whole device: run these subtests alone on it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"

IGT_TEST_DESCRIPTION("GEM buffer objects of the gring DRM driver.");

/* Output fields are preset to these; a failed ioctl must leave them. */
#define UNTOUCHED_HANDLE	0xdeadbeefu
#define UNTOUCHED_OFFSET	0x5a5a5a5a5a5a5a5aull

/* A handle no test ever creates: handles are allocated from 1 upwards. */
#define NEVER_USED_HANDLE	0x7fffffffu

/* Distinct for every 32-bit word of the first 64 Ki pages. */
static uint32_t pattern(uint64_t page, uint64_t word)
{
	return (uint32_t)(page << 16 | (word & 0xffff)) ^ 0xa5a5a5a5u;
}

static void test_create_mmap_rw(int fd)
{
	const uint64_t page = igt_gring_page_size();
	const uint64_t pages = 16, words = page / sizeof(uint32_t);
	uint64_t size;
	uint32_t handle = igt_gring_gem_create(fd, pages * page, &size);
	uint32_t *writer, *reader;

	igt_assert_eq_u64(size, pages * page);
	writer = igt_gring_gem_mmap(fd, handle, size);
	reader = igt_gring_gem_mmap(fd, handle, size);
	igt_assert(writer != reader);

	for (uint64_t p = 0; p < pages; p++)
		for (uint64_t w = 0; w < words; w++)
			writer[p * words + w] = pattern(p, w);

	for (uint64_t p = 0; p < pages; p++)
		for (uint64_t w = 0; w < words; w++)
			igt_assert_f(reader[p * words + w] == pattern(p, w),
				     "page %" PRIu64 " word %" PRIu64 ": %#x, expected %#x\n",
				     p, w, reader[p * words + w], pattern(p, w));

	munmap(writer, size);
	munmap(reader, size);
	gem_close(fd, handle);
}

static void test_create_zeroed(int fd)
{
	const uint64_t size = 64 * igt_gring_page_size();
	uint32_t handle = igt_gring_gem_create(fd, size, NULL);
	const uint8_t *bytes = igt_gring_gem_mmap(fd, handle, size);

	for (uint64_t i = 0; i < size; i++)
		igt_assert_f(bytes[i] == 0, "byte %" PRIu64 " of a new BO is %#x\n",
			     i, bytes[i]);

	munmap((void *)bytes, size);
	gem_close(fd, handle);
}

static void test_create_rounds_size(int fd)
{
	const uint64_t page = igt_gring_page_size();
	const uint64_t sizes[] = {
		1, page - 1, page, page + 1, 2 * page - 1, 3 * page + 5,
	};

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t allocated;
		uint32_t handle = igt_gring_gem_create(fd, sizes[i], &allocated);

		igt_debug("asked %" PRIu64 ", got %" PRIu64 "\n",
			  sizes[i], allocated);
		igt_assert_eq_u64(allocated, igt_gring_page_round(sizes[i]));
		gem_close(fd, handle);
	}
}

/*
 * Try a GEM_CREATE that must fail with -@err, and check it changed nothing
 * the caller can see: not one byte of the struct, and no new object.
 */
static void create_must_fail(int fd, uint64_t size, uint32_t flags,
			     uint64_t extensions, int err)
{
	struct drm_gring_gem_create arg = {
		.size = size,
		.flags = flags,
		.handle = UNTOUCHED_HANDLE,
		.extensions = extensions,
	};
	const struct drm_gring_gem_create sent = arg;

	igt_debug("size %#" PRIx64 " flags %#x extensions %#" PRIx64 "\n",
		  size, flags, extensions);
	igt_assert_eq(__igt_gring_gem_create(fd, &arg), -err);
	igt_assert_eq_u32(arg.handle, UNTOUCHED_HANDLE);
	igt_assert_eq_u64(arg.size, sent.size);
	igt_assert(!memcmp(&arg, &sent, sizeof(arg)));
}

static void test_create_max_size(int fd, uint64_t max)
{
	uint64_t allocated;
	uint32_t handle = igt_gring_gem_create(fd, max, &allocated);
	volatile uint8_t *bytes;

	igt_assert_eq_u64(allocated, max);

	/* The whole range is backed: both ends can be written and read. */
	bytes = igt_gring_gem_mmap(fd, handle, max);
	bytes[0] = 0x11;
	bytes[max - 1] = 0x22;
	igt_assert_eq(bytes[0], 0x11);
	igt_assert_eq(bytes[max - 1], 0x22);

	munmap((void *)bytes, max);
	gem_close(fd, handle);
}

static void test_create_error_leaves_no_object(int fd, uint64_t max)
{
	const uint64_t page = igt_gring_page_size();
	const struct {
		uint64_t size;
		uint32_t flags;
		uint64_t extensions;
		int err;
	} bad[] = {
		{ 0, 0, 0, EINVAL },
		{ max + page, 0, 0, E2BIG },
		{ ~0ull, 0, 0, EINVAL },
		{ page, 1, 0, EINVAL },
		{ page, 0, 1, EINVAL },
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct igt_gring_gem_stats before = igt_gring_gem_stats(fd), after;

		create_must_fail(fd, bad[i].size, bad[i].flags,
				 bad[i].extensions, bad[i].err);

		after = igt_gring_gem_stats(fd);
		igt_assert_eq_u64(after.objects, before.objects);
		igt_assert_eq_u64(after.bytes, before.bytes);
	}
}

static void mmap_offset_must_fail(int fd, uint32_t handle, uint32_t flags,
				  int err)
{
	struct drm_gring_gem_mmap_offset arg = {
		.handle = handle,
		.flags = flags,
		.offset = UNTOUCHED_OFFSET,
	};

	igt_debug("handle %u flags %#x\n", handle, flags);
	igt_assert_eq(__igt_gring_gem_mmap_offset(fd, &arg), -err);
	igt_assert_eq_u64(arg.offset, UNTOUCHED_OFFSET);
}

static void test_mmap_offset_bad_handle(int fd)
{
	uint32_t closed = igt_gring_gem_create(fd, 1, NULL);

	gem_close(fd, closed);

	mmap_offset_must_fail(fd, 0, 0, ENOENT);
	mmap_offset_must_fail(fd, NEVER_USED_HANDLE, 0, ENOENT);
	mmap_offset_must_fail(fd, closed, 0, ENOENT);
}

static void test_mmap_offset_bad_flags(int fd)
{
	uint32_t handle = igt_gring_gem_create(fd, 1, NULL);

	mmap_offset_must_fail(fd, handle, 1, EINVAL);
	mmap_offset_must_fail(fd, handle, 0x80000000u, EINVAL);
	mmap_offset_must_fail(fd, handle, ~0u, EINVAL);

	gem_close(fd, handle);
}

static void test_close_twice(int fd)
{
	uint32_t handle = igt_gring_gem_create(fd, 1, NULL);

	igt_assert_eq(__gem_close(fd, handle), 0);
	igt_assert_eq(__gem_close(fd, handle), -EINVAL);
}

static void test_create_free_many(int fd, unsigned int count)
{
	const uint64_t page = igt_gring_page_size();
	struct igt_gring_gem_stats start, full, end;
	uint32_t *handles = calloc(count, sizeof(*handles));
	uint64_t bytes = 0;

	igt_assert(handles);
	start = igt_gring_gem_stats(fd);

	/* Sizes of 1 to 4 pages, each one byte over a page boundary. */
	for (unsigned int i = 0; i < count; i++) {
		uint64_t size = (i % 4) * page + 1;

		handles[i] = igt_gring_gem_create(fd, size, NULL);
		bytes += igt_gring_page_round(size);
	}

	full = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(full.objects - start.objects, count);
	igt_assert_eq_u64(full.bytes - start.bytes, bytes);

	for (unsigned int i = 0; i < count; i++)
		gem_close(fd, handles[i]);
	free(handles);

	end = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(end.objects, start.objects);
	igt_assert_eq_u64(end.bytes, start.bytes);
}

static void test_close_fd_frees_objects(int fd)
{
	const uint64_t page = igt_gring_page_size();
	struct igt_gring_gem_stats start, full, end;
	int other = igt_gring_reopen(fd);

	start = igt_gring_gem_stats(fd);
	for (unsigned int i = 0; i < 10; i++)
		igt_gring_gem_create(other, page, NULL);

	full = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(full.objects - start.objects, 10);
	igt_assert_eq_u64(full.bytes - start.bytes, 10 * page);

	/* No GEM_CLOSE: closing the file must release its handles. */
	close(other);

	end = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(end.objects, start.objects);
	igt_assert_eq_u64(end.bytes, start.bytes);
}

igt_main
{
	/* static: kept intact across the siglongjmp() out of each subtest */
	static int fd = -1;
	static uint64_t page, max;

	igt_fixture {
		fd = igt_gring_open();
		page = igt_gring_page_size();
		max = igt_gring_get_param(fd, DRM_GRING_PARAM_MAX_BO_SIZE);
	}

	igt_describe("A BO mapped twice shows through the second mapping what was written, page by page, through the first.");
	igt_subtest("create-mmap-rw")
		test_create_mmap_rw(fd);

	igt_describe("A new BO reads as zeroes: no stale memory reaches userspace.");
	igt_subtest("create-zeroed")
		test_create_zeroed(fd);

	igt_describe("GEM_CREATE rounds the size up to whole pages and reports the rounded size.");
	igt_subtest("create-rounds-size")
		test_create_rounds_size(fd);

	igt_describe("A zero size is refused with EINVAL.");
	igt_subtest("create-zero-size")
		create_must_fail(fd, 0, 0, 0, EINVAL);

	igt_describe("A size that rounds above PARAM_MAX_BO_SIZE is refused with E2BIG.");
	igt_subtest("create-too-large") {
		create_must_fail(fd, max + 1, 0, 0, E2BIG);
		create_must_fail(fd, max + page, 0, 0, E2BIG);
		create_must_fail(fd, 2 * max, 0, 0, E2BIG);
	}

	igt_describe("A BO of exactly PARAM_MAX_BO_SIZE can be created and used end to end.");
	igt_subtest("create-max-size")
		test_create_max_size(fd, max);

	igt_describe("A size whose rounding would overflow 64 bits is refused with EINVAL.");
	igt_subtest("create-overflow") {
		create_must_fail(fd, ~0ull, 0, 0, EINVAL);
		create_must_fail(fd, ~0ull - 1, 0, 0, EINVAL);
	}

	igt_describe("Any flag in GEM_CREATE is refused with EINVAL.");
	igt_subtest("create-bad-flags") {
		create_must_fail(fd, page, 1, 0, EINVAL);
		create_must_fail(fd, page, 0x80000000u, 0, EINVAL);
		create_must_fail(fd, page, ~0u, 0, EINVAL);
	}

	igt_describe("A non-zero extensions pointer in GEM_CREATE is refused with EINVAL.");
	igt_subtest("create-bad-extensions") {
		uint64_t chain = 0;

		create_must_fail(fd, page, 0, (uintptr_t)&chain, EINVAL);
		create_must_fail(fd, page, 0, 1, EINVAL);
		create_must_fail(fd, page, 0, ~0ull, EINVAL);
	}

	igt_describe("A failed GEM_CREATE leaves no object behind and writes nothing back.");
	igt_subtest("create-error-leaves-no-object")
		test_create_error_leaves_no_object(fd, max);

	igt_describe("GEM_MMAP_OFFSET of a handle that names no object fails with ENOENT.");
	igt_subtest("mmap-offset-bad-handle")
		test_mmap_offset_bad_handle(fd);

	igt_describe("Any flag in GEM_MMAP_OFFSET is refused with EINVAL.");
	igt_subtest("mmap-offset-bad-flags")
		test_mmap_offset_bad_flags(fd);

	igt_describe("GEM_CLOSE of a handle never handed out fails with EINVAL.");
	igt_subtest("close-bad-handle") {
		igt_assert_eq(__gem_close(fd, NEVER_USED_HANDLE), -EINVAL);
		igt_assert_eq(__gem_close(fd, 0), -EINVAL);
	}

	igt_describe("The second GEM_CLOSE of a handle fails with EINVAL.");
	igt_subtest("close-twice")
		test_close_twice(fd);

	igt_describe("1000 BOs created then closed: the device's object and byte counts rise by exactly what was created, then return.");
	igt_subtest("create-free-1000")
		test_create_free_many(fd, 1000);

	igt_describe("Closing a DRM file frees the BOs it still holds.");
	igt_subtest("close-fd-frees-objects")
		test_close_fd_frees_objects(fd);

	igt_fixture
		close(fd);
}
