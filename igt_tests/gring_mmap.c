// SPDX-License-Identifier: MIT
/*
 * gring_mmap: every way to map a BO, and what each one shows.
 *
 * A BO is device memory: a private (copy-on-write) mapping of it would send
 * writes to a copy the device never sees, and remap_pfn_range() records
 * the page frame number of such a mapping in vm_pgoff, which
 * /proc/self/maps prints as the mapping's offset -- a physical address for
 * any user to read. So private mappings must be refused with EINVAL, and
 * the mappings that are allowed must show an offset inside the buffer.
 *
 * The offset each mapping should show is computed here from what the test
 * asked for: gring rebases a mapping's page offset onto the start of the
 * buffer, so a dma-buf mapping made at offset k pages shows k pages, and a
 * GEM mapping -- which DRM only makes from the fake offset itself, the
 * start of the BO (drm_gem_mmap() looks the offset up exactly) -- shows 0.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"

IGT_TEST_DESCRIPTION("CPU mappings of gring BOs: refused when private, never showing an address.");

#define BO_PAGES	4

/* mmap() that must fail with @err; it must not leave a mapping behind. */
static void mmap_must_fail(int fd, uint64_t offset, uint64_t size, int prot,
			   int flags, int err)
{
	void *ptr = mmap(NULL, size, prot, flags, fd, offset);
	int saved = errno;

	if (ptr != MAP_FAILED) {
		igt_warn("mapping at %p shows offset %#" PRIx64 "\n", ptr,
			 igt_gring_maps_offset(ptr));
		munmap(ptr, size);
	}
	igt_assert_f(ptr == MAP_FAILED, "mmap(prot %#x, flags %#x) succeeded\n",
		     prot, flags);
	igt_assert_eq(saved, err);
}

/*
 * Map @pages pages starting @first pages into the BO, through @fd at
 * @base + @first pages, and check the mapping: the offset /proc/self/maps
 * shows is exactly @first pages, the bytes are the BO's (the first word of
 * each page holds its page number, written by the caller), and writes
 * through a writable mapping reach the BO.
 */
static void check_mapping(int fd, uint64_t base, uint64_t first,
			  uint64_t pages, int prot, uint32_t *bo_words)
{
	const uint64_t page = igt_gring_page_size();
	const uint64_t words = page / sizeof(uint32_t);
	uint32_t *ptr;
	uint64_t shown;

	ptr = mmap(NULL, pages * page, prot, MAP_SHARED, fd, base + first * page);
	igt_assert_f(ptr != MAP_FAILED, "mmap at page %" PRIu64 " failed: %m\n",
		     first);

	shown = igt_gring_maps_offset(ptr);
	igt_assert_eq_u64(shown, first * page);
	igt_assert_lte_u64(shown + pages * page, BO_PAGES * page);

	for (uint64_t p = 0; p < pages; p++)
		igt_assert_eq_u32(ptr[p * words], first + p);

	if (prot & PROT_WRITE) {
		ptr[1] = 0xc0ffee00u + first;
		igt_assert_eq_u32(bo_words[first * words + 1], 0xc0ffee00u + first);
	}

	munmap(ptr, pages * page);
}

struct bo {
	uint32_t handle;
	uint64_t size;
	uint64_t offset;	/* fake offset for mmap() on the DRM fd */
	uint32_t *words;	/* a shared RW mapping of the whole BO */
};

static struct bo bo_create(int fd)
{
	const uint64_t page = igt_gring_page_size();
	const uint64_t words = page / sizeof(uint32_t);
	struct bo bo;

	bo.handle = igt_gring_gem_create(fd, BO_PAGES * page, &bo.size);
	bo.offset = igt_gring_gem_mmap_offset(fd, bo.handle);
	bo.words = igt_gring_gem_mmap(fd, bo.handle, bo.size);
	for (uint64_t p = 0; p < BO_PAGES; p++)
		bo.words[p * words] = p;
	return bo;
}

static void bo_destroy(int fd, struct bo *bo)
{
	munmap(bo->words, bo->size);
	gem_close(fd, bo->handle);
}

static void test_shared(int fd, int prot)
{
	struct bo bo = bo_create(fd);

	check_mapping(fd, bo.offset, 0, BO_PAGES, prot, bo.words);
	check_mapping(fd, bo.offset, 0, 1, prot, bo.words);
	bo_destroy(fd, &bo);
}

static void test_private(int fd)
{
	const uint64_t page = igt_gring_page_size();
	struct bo bo = bo_create(fd);

	mmap_must_fail(fd, bo.offset, bo.size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE, EINVAL);
	/* Read-only private is still copy-on-write: mprotect() can add write. */
	mmap_must_fail(fd, bo.offset, bo.size, PROT_READ, MAP_PRIVATE, EINVAL);
	mmap_must_fail(fd, bo.offset + page, page, PROT_READ, MAP_PRIVATE,
		       EINVAL);
	bo_destroy(fd, &bo);
}

static void test_dmabuf(int fd, int prot)
{
	struct bo bo = bo_create(fd);
	int dmabuf = igt_gring_prime_export(fd, bo.handle);

	check_mapping(dmabuf, 0, 0, BO_PAGES, prot, bo.words);
	check_mapping(dmabuf, 0, 1, 2, prot, bo.words);
	check_mapping(dmabuf, 0, BO_PAGES - 1, 1, prot, bo.words);
	close(dmabuf);
	bo_destroy(fd, &bo);
}

static void test_dmabuf_private(int fd)
{
	struct bo bo = bo_create(fd);
	int dmabuf = igt_gring_prime_export(fd, bo.handle);

	mmap_must_fail(dmabuf, 0, bo.size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		       EINVAL);
	mmap_must_fail(dmabuf, 0, bo.size, PROT_READ, MAP_PRIVATE, EINVAL);
	close(dmabuf);
	bo_destroy(fd, &bo);
}

igt_main
{
	static int fd = -1;

	igt_fixture
		fd = igt_gring_open();

	igt_describe("A shared read-write mapping works and /proc/self/maps shows its offset inside the BO.");
	igt_subtest("mmap-shared-rw-offset")
		test_shared(fd, PROT_READ | PROT_WRITE);

	igt_describe("A shared read-only mapping works and /proc/self/maps shows its offset inside the BO.");
	igt_subtest("mmap-shared-ro-offset")
		test_shared(fd, PROT_READ);

	igt_describe("A private (copy-on-write) mapping of a BO is refused with EINVAL.");
	igt_subtest("mmap-private-refused")
		test_private(fd);

	igt_describe("A shared mapping of an exported dma-buf works and shows its offset inside the BO.");
	igt_subtest("dmabuf-mmap-shared-offset") {
		test_dmabuf(fd, PROT_READ | PROT_WRITE);
		test_dmabuf(fd, PROT_READ);
	}

	igt_describe("A private mapping of an exported dma-buf is refused with EINVAL.");
	igt_subtest("dmabuf-mmap-private-refused")
		test_dmabuf_private(fd);

	igt_fixture
		close(fd);
}
