// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite gring_core_view: projections, DMA handles, leases and the
 * CPU accessors, on an 8 KiB coherent buffer of a KUnit device.
 *
 * Every expected value is written out by hand from the fixture: offsets
 * are literals, and a DMA handle or CPU address is the buffer's own (from
 * dma_alloc_coherent()) plus a literal, never what the code under test
 * computed. The event order (barriers, traces, reports, WARNs) is
 * kernel/tests/test_view.c's, on the host, where it can be observed.
 */

#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "gring_core_test.h"

#define SIZE	8192

/* A type with a hole: a at 0, b at 8, c at 16, size 24, alignment 8. */
struct tobj {
	u32 a;
	u64 b;
	u16 c;
};

static bool view_is(const struct gring_view *v, struct gring_coherent *buf,
		    size_t offset, size_t size)
{
	return v->buf == buf && v->offset == offset && v->size == size;
}

static struct gring_coherent_stats stats(struct gring_coherent *buf)
{
	struct gring_coherent_stats st;

	gring_coherent_get_stats(buf, &st);
	return st;
}

static void bounds_and_overflow(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_view v, parent, untouched;
	struct gring_coherent_stats st;

	memset(&untouched, 0xa5, sizeof(untouched));

	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 0, SIZE, 0, &v), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&v, buf, 0, 8192));
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 8191, 1, 0, &v), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&v, buf, 8191, 1));

	/* Refusals never write the output. */
	v = untouched;
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 8192, 1, 0, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 8191, 2, 0, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 0, 8193, 0, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 0, 0, 0, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, SIZE_MAX, 1, 0, &v), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 1, SIZE_MAX, 0, &v), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, SIZE_MAX - 3, 8, 0, &v), -EOVERFLOW);
	/* Not clamped to the end: refused. */
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 8000, 4096, 0, &v), -ERANGE);
	KUNIT_EXPECT_MEMEQ(test, &v, &untouched, sizeof(v));

	/* Nested: bounds are the parent's, not the buffer's. */
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 4096, 1024, 0, &parent), 0);
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, 1000, 24, 0, &v), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&v, buf, 5096, 24));
	v = untouched;
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, 1000, 25, 0, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, 1024, 1, 0, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, SIZE_MAX - 10, 20, 0, &v), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, 0, 0, 0, &v), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, &v, &untouched, sizeof(v));
	/* A projection may replace its parent in place. */
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, 16, 32, 0, &parent), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&parent, buf, 4112, 32));

	/* 12 refusals above, each counted once. */
	st = stats(buf);
	KUNIT_EXPECT_EQ(test, st.bad_view, 12);
	/* Projections are not ownership events. */
	KUNIT_EXPECT_EQ(test, st.to_gpu + st.cpu_refused, 0);
}

static void alignment(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_coherent odd;
	struct gring_view v, parent;

	/* The buffer is page-aligned on both sides (gring_test_buf()). */
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 8, 8, 8, &v), 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 4, 8, 8, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 4096, 16, 4096, &v), 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 4100, 4, 4096, &v), -EINVAL);
	/* Not a power of two: refused even when the offset would do. */
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 0, 8, 3, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 0, 8, 12, &v), -EINVAL);
	/* 0 and 1 ask for nothing. */
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 3, 1, 0, &v), 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 3, 1, 1, &v), 0);

	/* Nested: the absolute address is what must be aligned. */
	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 4, 100, 0, &parent), 0);
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, 4, 8, 8, &v), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&v, buf, 8, 8));
	KUNIT_EXPECT_EQ(test, gring_view_sub(&parent, 0, 8, 8, &v), -EINVAL);

	/*
	 * A wrapper whose DMA handle (the buffer's + 4) and CPU address (the
	 * buffer's, page-aligned) disagree about alignment: both must be
	 * aligned. The handle is never given to a device.
	 */
	gring_coherent_init(&odd, buf->vaddr, buf->dma_handle + 4, 64, "odd");
	KUNIT_EXPECT_EQ(test, gring_coherent_view(&odd, 0, 8, 8, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(&odd, 4, 8, 8, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(&odd, 4, 8, 4, &v), 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_fini(&odd), 0);
}

static void dma_handles(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	dma_addr_t base = buf->dma_handle;
	struct gring_view v1, v2, v3, f;

	KUNIT_EXPECT_EQ(test, gring_coherent_view(buf, 1024, 2048, 0, &v1), 0);
	KUNIT_EXPECT_EQ(test, gring_view_sub(&v1, 512, 512, 0, &v2), 0);
	KUNIT_EXPECT_EQ(test, gring_view_sub(&v2, 8, 16, 0, &v3), 0);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&v1), base + 0x400);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&v2), base + 0x600);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&v3), base + 0x608);

	/* A field's handle: struct at 0x40 of v1, field b at +8. */
	KUNIT_EXPECT_EQ(test, gring_view_sub_type(&v1, 0x40, struct tobj, &v2), 0);
	KUNIT_EXPECT_EQ(test, gring_view_field(&v2, struct tobj, b, &f), 0);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&f), base + 0x448);
	KUNIT_EXPECT_EQ(test, f.size, 8);
}

static void typed_access(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_view all, obj, small, arr, f, e;
	u8 *mem = buf->vaddr;
	u64 b = 0;
	u16 c = 0;
	u32 a = 0;

	all = gring_test_view(test, buf, 0, SIZE);
	KUNIT_EXPECT_EQ(test, gring_view_sub_type(&all, 64, struct tobj, &obj), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&obj, buf, 64, 24));
	/* struct tobj wants 8-byte alignment. */
	KUNIT_EXPECT_EQ(test, gring_view_sub_type(&all, 68, struct tobj, &f), -EINVAL);

	KUNIT_EXPECT_EQ(test, gring_view_field(&obj, struct tobj, a, &f), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&f, buf, 64, 4));
	KUNIT_EXPECT_EQ(test, gring_view_field(&obj, struct tobj, b, &f), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&f, buf, 72, 8));
	KUNIT_EXPECT_EQ(test, gring_view_field(&obj, struct tobj, c, &f), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&f, buf, 80, 2));

	/* A view too small to hold the type has no fields. */
	small = gring_test_view(test, buf, 64, 16);
	KUNIT_EXPECT_EQ(test, gring_view_field(&small, struct tobj, a, &f), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_view_wr_field(&small, struct tobj, a, 1), -ERANGE);

	/* The accessors write exactly the field, where the type says. */
	memset(mem + 64, 0xee, 24);
	KUNIT_EXPECT_EQ(test, gring_view_wr_field(&obj, struct tobj, b, 0x1122334455667788ull), 0);
	KUNIT_EXPECT_EQ(test, gring_view_wr_field(&obj, struct tobj, c, 0xabcd), 0);
	KUNIT_EXPECT_EQ(test, gring_view_wr_field(&obj, struct tobj, a, 0x01020304), 0);
	KUNIT_EXPECT_EQ(test, *(u64 *)(mem + 72), 0x1122334455667788ull);
	KUNIT_EXPECT_EQ(test, *(u16 *)(mem + 80), 0xabcd);
	KUNIT_EXPECT_EQ(test, *(u32 *)(mem + 64), 0x01020304);
	KUNIT_EXPECT_EQ(test, mem[68], 0xee);	/* the hole after a */
	KUNIT_EXPECT_EQ(test, mem[82], 0xee);	/* the tail padding after c */
	KUNIT_EXPECT_EQ(test, gring_view_rd_field(&obj, struct tobj, b, &b), 0);
	KUNIT_EXPECT_EQ(test, gring_view_rd_field(&obj, struct tobj, c, &c), 0);
	KUNIT_EXPECT_EQ(test, gring_view_rd_field(&obj, struct tobj, a, &a), 0);
	KUNIT_EXPECT_EQ(test, b, 0x1122334455667788ull);
	KUNIT_EXPECT_EQ(test, c, 0xabcd);
	KUNIT_EXPECT_EQ(test, a, 0x01020304);

	/* Arrays: element i at i * 24. */
	arr = gring_test_view(test, buf, 128, 4 * 24);
	KUNIT_EXPECT_EQ(test, gring_view_elem(&arr, struct tobj, 3, &e), 0);
	KUNIT_EXPECT_TRUE(test, view_is(&e, buf, 200, 24));
	KUNIT_EXPECT_EQ(test, gring_view_elem(&arr, struct tobj, 4, &e), -ERANGE);
	/*
	 * (2^61 + 1) * 24 = 3 * 2^64 + 24: unchecked, it would wrap to a
	 * valid-looking offset of 24.
	 */
	KUNIT_EXPECT_EQ(test, gring_view_elem(&arr, struct tobj, SIZE_MAX / 8 + 2, &e), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, gring_view_elem(&arr, struct tobj, SIZE_MAX / 2, &e), -EOVERFLOW);

	/* Raw accessors: inside the view only, never truncated. */
	KUNIT_EXPECT_EQ(test, gring_view_write(&small, 12, "abcd", 4), 0);
	KUNIT_EXPECT_EQ(test, gring_view_write(&small, 13, "abcd", 4), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_view_write(&small, SIZE_MAX, "abcd", 4), -EOVERFLOW);
	KUNIT_EXPECT_MEMEQ(test, mem + 76, "abcd", 4);
	KUNIT_EXPECT_EQ(test, mem[80], 0xcd);	/* c's low byte, not touched */
}

static void give_take(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_view v0, v1, over;
	struct gring_lease l0 = {};
	struct gring_coherent_stats st;

	v0 = gring_test_view(test, buf, 0, 256);
	v1 = gring_test_view(test, buf, 256, 256);
	over = gring_test_view(test, buf, 128, 256);

	/* Everything starts CPU-owned. */
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v0), GRING_OWNER_CPU);
	KUNIT_EXPECT_PTR_EQ(test, gring_view_cpu_ptr(&v0), buf->vaddr);
	KUNIT_EXPECT_FALSE(test, gring_lease_active(&l0));

	/* CPU -> device: these bytes only, and the lease says which. */
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v0, &l0), 0);
	KUNIT_EXPECT_TRUE(test, gring_lease_active(&l0));
	KUNIT_EXPECT_TRUE(test, l0.buf == buf && l0.offset == 0 && l0.size == 256);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v0), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&over), GRING_OWNER_MIXED);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v1), GRING_OWNER_CPU);

	/* Device -> CPU. */
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l0), 0);
	KUNIT_EXPECT_FALSE(test, gring_lease_active(&l0));
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v0), GRING_OWNER_CPU);
	KUNIT_EXPECT_PTR_EQ(test, gring_view_cpu_ptr(&v0), buf->vaddr);

	/* A lease is reusable once taken back, for other bytes too. */
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v1, &l0), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v1), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v0), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l0), 0);

	st = stats(buf);
	KUNIT_EXPECT_EQ(test, st.to_gpu, 2);
	KUNIT_EXPECT_EQ(test, st.to_cpu, 2);
	KUNIT_EXPECT_EQ(test, st.give_twice + st.give_busy + st.take_unheld +
			      st.cpu_refused + st.bad_view, 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_fini(buf), 0);
}

static void double_give(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_view v0, after;
	struct gring_lease l0 = {};
	struct gring_coherent_stats st;

	v0 = gring_test_view(test, buf, 0, 256);
	after = gring_test_view(test, buf, 512, 256);
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v0, &l0), 0);

	/* The same lease again, even for other bytes: refused, unchanged. */
	KUNIT_EXPECT_EQ(test, gring_lease_give(&after, &l0), -EALREADY);
	KUNIT_EXPECT_TRUE(test, l0.offset == 0 && l0.size == 256 && l0.active);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&after), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v0, &l0), -EALREADY);

	st = stats(buf);
	KUNIT_EXPECT_EQ(test, st.give_twice, 2);
	KUNIT_EXPECT_EQ(test, st.to_gpu, 1);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l0), 0);
}

static void give_busy(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_lease l0 = {}, l1 = {};
	struct gring_view v0, v1, over;
	struct gring_coherent_stats st;
	struct gring_range ranges[3];

	v0 = gring_test_view(test, buf, 0, 256);
	v1 = gring_test_view(test, buf, 256, 256);
	over = gring_test_view(test, buf, 128, 256);
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v0, &l0), 0);

	/* Bytes already device-owned, through another, overlapping view. */
	KUNIT_EXPECT_EQ(test, gring_lease_give(&over, &l1), -EBUSY);
	KUNIT_EXPECT_FALSE(test, gring_lease_active(&l1));
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v1), GRING_OWNER_CPU);

	/* Adjacent is not overlapping. */
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v1, &l1), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&over), GRING_OWNER_GPU);
	/* The map: [0, 256) and [256, 512), by offset, not merged. */
	memset(ranges, 0xa5, sizeof(ranges));
	KUNIT_EXPECT_EQ(test, gring_coherent_gpu_ranges(buf, ranges, 3), 2);
	KUNIT_EXPECT_TRUE(test, ranges[0].offset == 0 && ranges[0].size == 256);
	KUNIT_EXPECT_TRUE(test, ranges[1].offset == 256 && ranges[1].size == 256);
	KUNIT_EXPECT_EQ(test, ranges[2].offset, 0xa5a5a5a5a5a5a5a5ull);
	KUNIT_EXPECT_EQ(test, gring_coherent_gpu_ranges(buf, ranges, 0), 2);

	st = stats(buf);
	KUNIT_EXPECT_EQ(test, st.give_busy, 1);
	KUNIT_EXPECT_EQ(test, st.to_gpu, 2);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l0), 0);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l1), 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_fini(buf), 0);
}

static void take_unheld(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_lease l0 = {}, never = {};
	struct gring_coherent_stats st;
	struct gring_view v0;

	v0 = gring_test_view(test, buf, 0, 256);

	/* Never given: refused, and there is no buffer to count it on. */
	KUNIT_EXPECT_EQ(test, gring_lease_take(&never), -EPERM);

	/* Given and taken back, then handed back a second time. */
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v0, &l0), 0);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l0), 0);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l0), -EPERM);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v0), GRING_OWNER_CPU);

	st = stats(buf);
	KUNIT_EXPECT_EQ(test, st.take_unheld, 1);
	KUNIT_EXPECT_EQ(test, st.to_cpu, 1);
}

static void cpu_refused(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	struct gring_view v0, over, after, obj;
	struct gring_coherent_stats st;
	struct gring_lease l0 = {};
	u8 *mem = buf->vaddr;
	u32 word;
	u64 b = 0;
	void *p;

	v0 = gring_test_view(test, buf, 0, 256);
	over = gring_test_view(test, buf, 128, 256);
	after = gring_test_view(test, buf, 512, 256);
	memset(mem + 200, 0x5a, 8);
	KUNIT_EXPECT_EQ(test, gring_lease_give(&v0, &l0), 0);

	/* CPU access touching a device-owned byte, through any view. */
	p = gring_view_cpu_ptr(&v0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(p) && PTR_ERR(p) == -EBUSY);
	p = gring_view_cpu_ptr(&over);
	KUNIT_EXPECT_TRUE(test, IS_ERR(p) && PTR_ERR(p) == -EBUSY);
	KUNIT_EXPECT_EQ(test, gring_view_write(&over, 72, "xxxxxxxx", 8), -EBUSY);
	KUNIT_EXPECT_EQ(test, mem[200], 0x5a);
	word = 7;
	KUNIT_EXPECT_EQ(test, gring_view_read(&v0, 0, &word, 4), -EBUSY);
	KUNIT_EXPECT_EQ(test, word, 7);
	KUNIT_EXPECT_EQ(test, gring_view_sub_type(&v0, 64, struct tobj, &obj), 0);
	KUNIT_EXPECT_EQ(test, gring_view_wr_field(&obj, struct tobj, b, 9), -EBUSY);
	KUNIT_EXPECT_EQ(test, gring_view_rd_field(&obj, struct tobj, b, &b), -EBUSY);
	KUNIT_EXPECT_EQ(test, *(u64 *)(mem + 72), 0);
	/* Bytes the device does not own stay the CPU's. */
	KUNIT_EXPECT_EQ(test, gring_view_write(&after, 0, "ok", 2), 0);
	KUNIT_EXPECT_MEMEQ(test, mem + 512, "ok", 2);

	/* The one read allowed on device-owned bytes: a published word. */
	*(u64 *)(mem + 72) = 0x600d;	/* the device writes */
	KUNIT_EXPECT_EQ(test, gring_view_poll_field(&obj, struct tobj, b, &b), 0);
	KUNIT_EXPECT_EQ(test, b, 0x600d);
	/* Only 4- or 8-byte words: not a way round the refusals. */
	KUNIT_EXPECT_EQ(test, __gring_view_poll(&obj, 0, &b, 2, GRING_SITE()), -EINVAL);

	/* Six refused accesses, counted; the poll is not one. */
	st = stats(buf);
	KUNIT_EXPECT_EQ(test, st.cpu_refused, 6);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l0), 0);
	/* Taken back: the same accessors work again. */
	KUNIT_EXPECT_EQ(test, gring_view_wr_field(&obj, struct tobj, b, 9), 0);
	KUNIT_EXPECT_EQ(test, *(u64 *)(mem + 72), 9);
	KUNIT_EXPECT_PTR_EQ(test, gring_view_cpu_ptr(&over), (void *)(mem + 128));
}

static void alloc_free(struct kunit *test)
{
	struct gring_coherent *a, *b;
	struct gring_view v;

	/* The fixture's first buffer registers the case's device. */
	a = gring_test_buf(test, 100, "a");
	KUNIT_EXPECT_PTR_EQ(test, gring_coherent_alloc(a->dev, 0, GFP_KERNEL, "zero"),
			    ERR_PTR(-EINVAL));
	b = gring_test_buf(test, 5000, "b");
	KUNIT_EXPECT_EQ(test, a->size, 100);
	KUNIT_EXPECT_EQ(test, b->size, 5000);
	KUNIT_EXPECT_PTR_EQ(test, a->dev, b->dev);
	KUNIT_EXPECT_NE(test, a->dma_handle, b->dma_handle);
	KUNIT_EXPECT_STREQ(test, b->name, "b");

	KUNIT_EXPECT_EQ(test, gring_coherent_view(b, 4999, 1, 0, &v), 0);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&v), b->dma_handle + 4999);
	KUNIT_EXPECT_EQ(test, gring_coherent_view(b, 5000, 1, 0, &v), -ERANGE);
	/* The whole allocation is the CPU's and writable. */
	KUNIT_EXPECT_EQ(test, gring_view_write(&v, 0, "z", 1), 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)b->vaddr)[4999], 'z');
	/* NULL is nothing to free. */
	gring_coherent_free(NULL);
}

/*
 * Random gives, takes and queries of random ranges, against a map of who
 * owns each byte kept here: the lease tree must answer exactly as the map.
 */
#define RL_BYTES	1024
#define RL_LEASES	48
#define RL_STEPS	50000

struct rl_state {
	struct gring_lease lease[RL_LEASES];
	size_t loff[RL_LEASES], lsize[RL_LEASES];
	u8 map[RL_BYTES];	/* 0: CPU, else the owning lease + 1 */
	struct gring_range want_r[RL_LEASES], got_r[RL_LEASES];
	u32 seed;
};

static u32 rl_rnd(struct rl_state *s, u32 below)
{
	s->seed = s->seed * 1103515245u + 12345u;
	return (s->seed >> 16) % below;
}

static void random_leases(struct kunit *test)
{
	struct gring_coherent *buf = gring_test_buf(test, SIZE, "view-test");
	int gave = 0, busy = 0, took = 0, i, k, err, want;
	struct rl_state *s;
	size_t off, size, j, gpu, n;
	struct gring_view v;
	void *p;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->seed = 11;
	for (i = 0; i < RL_STEPS; i++) {
		k = rl_rnd(s, RL_LEASES);
		off = rl_rnd(s, RL_BYTES);
		size = min_t(size_t, 1 + rl_rnd(s, 96), RL_BYTES - off);
		v = gring_test_view(test, buf, off, size);
		for (j = off, gpu = 0; j < off + size; j++)
			gpu += !!s->map[j];

		switch (rl_rnd(s, 3)) {
		case 0:
			want = s->lease[k].active ? -EALREADY : gpu ? -EBUSY : 0;
			err = gring_lease_give(&v, &s->lease[k]);
			KUNIT_ASSERT_EQ(test, err, want);
			gave += !err;
			busy += err == -EBUSY;
			if (!err) {
				memset(s->map + off, k + 1, size);
				s->loff[k] = off;
				s->lsize[k] = size;
			}
			break;
		case 1:
			want = s->lease[k].active ? 0 : -EPERM;
			err = gring_lease_take(&s->lease[k]);
			KUNIT_ASSERT_EQ(test, err, want);
			took += !err;
			if (!err)
				memset(s->map + s->loff[k], 0, s->lsize[k]);
			break;
		default:
			KUNIT_ASSERT_EQ(test, gring_view_owner(&v),
					!gpu ? GRING_OWNER_CPU :
					gpu == size ? GRING_OWNER_GPU :
					GRING_OWNER_MIXED);
			p = gring_view_cpu_ptr(&v);
			KUNIT_ASSERT_TRUE(test, gpu ? IS_ERR(p) : p == buf->vaddr + off);
			err = gring_view_write(&v, size - 1, "z", 1);
			KUNIT_ASSERT_EQ(test, err, s->map[off + size - 1] ? -EBUSY : 0);
			break;
		}
	}
	/* The mix exercised both outcomes, many times. */
	kunit_info(test, "%d gives, %d refused busy, %d takes\n", gave, busy, took);
	KUNIT_EXPECT_GT(test, gave, 1000);
	KUNIT_EXPECT_GT(test, busy, 1000);
	KUNIT_EXPECT_GT(test, took, 1000);
	/* Every byte, one by one, at the end. */
	for (j = 0; j < RL_BYTES; j++) {
		v = gring_test_view(test, buf, j, 1);
		KUNIT_EXPECT_EQ(test, gring_view_owner(&v),
				s->map[j] ? GRING_OWNER_GPU : GRING_OWNER_CPU);
	}
	/* The map as ranges: the test's own leases, sorted by offset. */
	for (k = 0, n = 0; k < RL_LEASES; k++) {
		if (!s->lease[k].active)
			continue;
		for (j = n++; j > 0 && s->want_r[j - 1].offset > s->loff[k]; j--)
			s->want_r[j] = s->want_r[j - 1];
		s->want_r[j].offset = s->loff[k];
		s->want_r[j].size = s->lsize[k];
	}
	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_gpu_ranges(buf, s->got_r, RL_LEASES), n);
	KUNIT_EXPECT_MEMEQ(test, s->got_r, s->want_r, n * sizeof(s->got_r[0]));
	for (k = 0; k < RL_LEASES; k++)
		if (s->lease[k].active)
			KUNIT_EXPECT_EQ(test, gring_lease_take(&s->lease[k]), 0);
	KUNIT_EXPECT_EQ(test, gring_coherent_fini(buf), 0);
}

static struct kunit_case gring_core_view_cases[] = {
	GRING_KUNIT_CASE(bounds_and_overflow, "bounds-and-overflow"),
	GRING_KUNIT_CASE(alignment, "alignment"),
	GRING_KUNIT_CASE(dma_handles, "dma-handles"),
	GRING_KUNIT_CASE(typed_access, "typed-access"),
	GRING_KUNIT_CASE(give_take, "give-take"),
	GRING_KUNIT_CASE(double_give, "double-give"),
	GRING_KUNIT_CASE(give_busy, "give-busy"),
	GRING_KUNIT_CASE(take_unheld, "take-unheld"),
	GRING_KUNIT_CASE(cpu_refused, "cpu-refused"),
	GRING_KUNIT_CASE(alloc_free, "alloc-free"),
	GRING_KUNIT_CASE(random_leases, "random-leases"),
	{}
};

static struct kunit_suite gring_core_view_suite = {
	.name = "gring_core_view",
	.test_cases = gring_core_view_cases,
};

kunit_test_suite(gring_core_view_suite);
