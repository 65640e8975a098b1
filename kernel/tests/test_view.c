// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of gring_view.c: projections, DMA handles, ownership.
 *
 * Every expected value is written out by hand from the fixture below
 * (a buffer of 8 KiB whose DMA handle is 0x10000000), never obtained from
 * the code under test.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "../core/gring_view.h"
#include "shim/shim.h"
#include "test.h"

#define BASE	0x10000000ull
#define SIZE	8192

/* Page-aligned, from main(): alignment tests rely on it. */
static u8 *mem;
static struct gring_coherent buf;

/* A type with a hole: a at 0, b at 8, c at 16, size 24, alignment 8. */
struct tobj {
	u32 a;
	u64 b;
	u16 c;
};

static void fixture(void)
{
	memset(mem, 0, SIZE);
	gring_coherent_init(&buf, mem, BASE, SIZE, "test");
	shim_log_reset();
}

static struct gring_view view(size_t offset, size_t size)
{
	struct gring_view v = {};

	if (gring_coherent_view(&buf, offset, size, 0, &v))
		shim_die("a fixture projection was refused");
	return v;
}

static bool view_is(const struct gring_view *v, size_t offset, size_t size)
{
	return v->buf == &buf && v->offset == offset && v->size == size;
}

static void test_bounds_and_overflow(void)
{
	struct gring_view v, parent, untouched;
	struct gring_coherent_stats st;

	TEST_GROUP("bounds and overflow");
	fixture();
	memset(&untouched, 0xa5, sizeof(untouched));

	CHECK_EQ(gring_coherent_view(&buf, 0, SIZE, 0, &v), 0);
	CHECK(view_is(&v, 0, 8192));
	CHECK_EQ(gring_coherent_view(&buf, 8191, 1, 0, &v), 0);
	CHECK(view_is(&v, 8191, 1));

	/* Refusals never write the output. */
	v = untouched;
	CHECK_EQ(gring_coherent_view(&buf, 8192, 1, 0, &v), -ERANGE);
	CHECK_EQ(gring_coherent_view(&buf, 8191, 2, 0, &v), -ERANGE);
	CHECK_EQ(gring_coherent_view(&buf, 0, 8193, 0, &v), -ERANGE);
	CHECK_EQ(gring_coherent_view(&buf, 0, 0, 0, &v), -EINVAL);
	CHECK_EQ(gring_coherent_view(&buf, SIZE_MAX, 1, 0, &v), -EOVERFLOW);
	CHECK_EQ(gring_coherent_view(&buf, 1, SIZE_MAX, 0, &v), -EOVERFLOW);
	CHECK_EQ(gring_coherent_view(&buf, SIZE_MAX - 3, 8, 0, &v),
		 -EOVERFLOW);
	/* Not clamped to the end: refused. */
	CHECK_EQ(gring_coherent_view(&buf, 8000, 4096, 0, &v), -ERANGE);
	CHECK(!memcmp(&v, &untouched, sizeof(v)));

	/* Nested: bounds are the parent's, not the buffer's. */
	CHECK_EQ(gring_coherent_view(&buf, 4096, 1024, 0, &parent), 0);
	CHECK_EQ(gring_view_sub(&parent, 1000, 24, 0, &v), 0);
	CHECK(view_is(&v, 5096, 24));
	v = untouched;
	CHECK_EQ(gring_view_sub(&parent, 1000, 25, 0, &v), -ERANGE);
	CHECK_EQ(gring_view_sub(&parent, 1024, 1, 0, &v), -ERANGE);
	CHECK_EQ(gring_view_sub(&parent, SIZE_MAX - 10, 20, 0, &v),
		 -EOVERFLOW);
	CHECK_EQ(gring_view_sub(&parent, 0, 0, 0, &v), -EINVAL);
	CHECK(!memcmp(&v, &untouched, sizeof(v)));
	/* A projection may replace its parent in place. */
	CHECK_EQ(gring_view_sub(&parent, 16, 32, 0, &parent), 0);
	CHECK(view_is(&parent, 4112, 32));

	/* 12 refusals above, each counted once. */
	gring_coherent_get_stats(&buf, &st);
	CHECK_EQ(st.bad_view, 12);
	/* Projections are not ownership events. */
	CHECK_EQ(st.to_gpu + st.cpu_refused, 0);
}

static void test_alignment(void)
{
	u8 *odd_mem = aligned_alloc(64, 64);
	struct gring_coherent odd;
	struct gring_view v, parent;

	TEST_GROUP("alignment");
	fixture();
	if (!odd_mem)
		shim_die("out of memory");

	CHECK_EQ(gring_coherent_view(&buf, 8, 8, 8, &v), 0);
	CHECK_EQ(gring_coherent_view(&buf, 4, 8, 8, &v), -EINVAL);
	CHECK_EQ(gring_coherent_view(&buf, 4096, 16, 4096, &v), 0);
	CHECK_EQ(gring_coherent_view(&buf, 4100, 4, 4096, &v), -EINVAL);
	/* Not a power of two: refused even when the offset would do. */
	CHECK_EQ(gring_coherent_view(&buf, 0, 8, 3, &v), -EINVAL);
	CHECK_EQ(gring_coherent_view(&buf, 0, 8, 12, &v), -EINVAL);
	/* 0 and 1 ask for nothing. */
	CHECK_EQ(gring_coherent_view(&buf, 3, 1, 0, &v), 0);
	CHECK_EQ(gring_coherent_view(&buf, 3, 1, 1, &v), 0);

	/* Nested: the absolute address is what must be aligned. */
	CHECK_EQ(gring_coherent_view(&buf, 4, 100, 0, &parent), 0);
	CHECK_EQ(gring_view_sub(&parent, 4, 8, 8, &v), 0);
	CHECK(view_is(&v, 8, 8));
	CHECK_EQ(gring_view_sub(&parent, 0, 8, 8, &v), -EINVAL);

	/*
	 * A buffer whose DMA handle (0x20000004) and CPU address disagree
	 * about alignment: both must be aligned.
	 */
	gring_coherent_init(&odd, odd_mem, 0x20000004ull, 64, "odd");
	CHECK_EQ(gring_coherent_view(&odd, 0, 8, 8, &v), -EINVAL);
	CHECK_EQ(gring_coherent_view(&odd, 4, 8, 8, &v), -EINVAL);
	CHECK_EQ(gring_coherent_view(&odd, 4, 8, 4, &v), 0);
	free(odd_mem);
}

static void test_handles(void)
{
	struct gring_view v1, v2, v3, f;

	TEST_GROUP("DMA handle = base + offset, at any depth");
	fixture();

	CHECK_EQ(gring_coherent_view(&buf, 1024, 2048, 0, &v1), 0);
	CHECK_EQ(gring_view_sub(&v1, 512, 512, 0, &v2), 0);
	CHECK_EQ(gring_view_sub(&v2, 8, 16, 0, &v3), 0);
	CHECK_EQ(gring_view_dma_handle(&v1), 0x10000400ull);
	CHECK_EQ(gring_view_dma_handle(&v2), 0x10000600ull);
	CHECK_EQ(gring_view_dma_handle(&v3), 0x10000608ull);

	/* A field's handle: struct at 0x40, field b at +8. */
	CHECK_EQ(gring_view_sub_type(&v1, 0x40, struct tobj, &v2), 0);
	CHECK_EQ(gring_view_field(&v2, struct tobj, b, &f), 0);
	CHECK_EQ(gring_view_dma_handle(&f), 0x10000448ull);
	CHECK_EQ(f.size, 8);
}

static void test_typed(void)
{
	struct gring_view all, obj, small, arr, f, e;
	u64 b = 0;
	u16 c = 0;
	u32 a = 0;

	TEST_GROUP("typed projections and accessors");
	fixture();
	all = view(0, SIZE);

	CHECK_EQ(gring_view_sub_type(&all, 64, struct tobj, &obj), 0);
	CHECK(view_is(&obj, 64, 24));
	/* struct tobj wants 8-byte alignment. */
	CHECK_EQ(gring_view_sub_type(&all, 68, struct tobj, &f), -EINVAL);

	CHECK_EQ(gring_view_field(&obj, struct tobj, a, &f), 0);
	CHECK(view_is(&f, 64, 4));
	CHECK_EQ(gring_view_field(&obj, struct tobj, b, &f), 0);
	CHECK(view_is(&f, 72, 8));
	CHECK_EQ(gring_view_field(&obj, struct tobj, c, &f), 0);
	CHECK(view_is(&f, 80, 2));

	/* A view too small to hold the type has no fields. */
	small = view(64, 16);
	CHECK_EQ(gring_view_field(&small, struct tobj, a, &f), -ERANGE);
	CHECK_EQ(gring_view_wr_field(&small, struct tobj, a, 1), -ERANGE);

	/* The accessors write exactly the field, where the type says. */
	memset(mem + 64, 0xee, 24);
	CHECK_EQ(gring_view_wr_field(&obj, struct tobj, b,
				     0x1122334455667788ull), 0);
	CHECK_EQ(gring_view_wr_field(&obj, struct tobj, c, 0xabcd), 0);
	CHECK_EQ(gring_view_wr_field(&obj, struct tobj, a, 0x01020304), 0);
	CHECK_EQ(*(u64 *)(mem + 72), 0x1122334455667788ull);
	CHECK_EQ(*(u16 *)(mem + 80), 0xabcd);
	CHECK_EQ(*(u32 *)(mem + 64), 0x01020304);
	CHECK_EQ(mem[68], 0xee);	/* the hole after a */
	CHECK_EQ(mem[82], 0xee);	/* the tail padding after c */
	CHECK_EQ(gring_view_rd_field(&obj, struct tobj, b, &b), 0);
	CHECK_EQ(gring_view_rd_field(&obj, struct tobj, c, &c), 0);
	CHECK_EQ(gring_view_rd_field(&obj, struct tobj, a, &a), 0);
	CHECK_EQ(b, 0x1122334455667788ull);
	CHECK_EQ(c, 0xabcd);
	CHECK_EQ(a, 0x01020304);

	/* Arrays: element i at i * 24. */
	arr = view(128, 4 * 24);
	CHECK_EQ(gring_view_elem(&arr, struct tobj, 3, &e), 0);
	CHECK(view_is(&e, 200, 24));
	CHECK_EQ(gring_view_elem(&arr, struct tobj, 4, &e), -ERANGE);
	/*
	 * (2^61 + 1) * 24 = 3 * 2^64 + 24: unchecked, it would wrap to a
	 * valid-looking offset of 24.
	 */
	CHECK_EQ(gring_view_elem(&arr, struct tobj, SIZE_MAX / 8 + 2, &e),
		 -EOVERFLOW);
	CHECK_EQ(gring_view_elem(&arr, struct tobj, SIZE_MAX / 2, &e),
		 -EOVERFLOW);

	/* Raw accessors: inside the view only, never truncated. */
	CHECK_EQ(gring_view_write(&small, 12, "abcd", 4), 0);
	CHECK_EQ(gring_view_write(&small, 13, "abcd", 4), -ERANGE);
	CHECK_EQ(gring_view_write(&small, SIZE_MAX, "abcd", 4), -EOVERFLOW);
	CHECK(!memcmp(mem + 76, "abcd", 4));
	CHECK_EQ(mem[80], 0xcd);	/* c's low byte, not touched */
}

static void test_ownership(void)
{
	struct gring_view v0, v1, over, after, obj;
	struct gring_lease l0 = {}, l1 = {}, never = {};
	struct gring_coherent_stats st;
	struct gring_range ranges[3];
	u32 word = 0;
	u64 b = 0;
	void *p;
	int mark;

	TEST_GROUP("ownership state machine");
	fixture();
	v0 = view(0, 256);
	v1 = view(256, 256);
	over = view(128, 256);
	after = view(512, 256);

	/* Everything starts CPU-owned. */
	CHECK_EQ(gring_view_owner(&v0), GRING_OWNER_CPU);
	CHECK(gring_view_cpu_ptr(&v0) == mem);
	CHECK(!gring_lease_active(&l0));

	/* Handing back what was never given. */
	CHECK_EQ(gring_lease_take(&never), -EPERM);

	/* CPU -> GPU. */
	shim_log_reset();
	CHECK_EQ(gring_lease_give(&v0, &l0), 0);
	CHECK(gring_lease_active(&l0));
	CHECK_EQ(shim_log_count("dma_wmb"), 1);
	CHECK_EQ(shim_log_count("gring_to_gpu"), 1);
	CHECK_EQ(gring_view_owner(&v0), GRING_OWNER_GPU);
	CHECK_EQ(gring_view_owner(&over), GRING_OWNER_MIXED);
	CHECK_EQ(gring_view_owner(&v1), GRING_OWNER_CPU);

	/* Double handoff of the same lease, even of other bytes. */
	shim_log_reset();
	CHECK_EQ(gring_lease_give(&after, &l0), -EALREADY);
	CHECK(l0.offset == 0 && l0.size == 256 && l0.active);
	/* Bytes already device-owned, through another, overlapping view. */
	CHECK_EQ(gring_lease_give(&over, &l1), -EBUSY);
	CHECK(!gring_lease_active(&l1));
	CHECK_EQ(shim_log_count("dma_wmb"), 0);
	CHECK_EQ(shim_log_count("gring_refused"), 2);
	CHECK_EQ(gring_view_owner(&v1), GRING_OWNER_CPU);

	/* Adjacent is not overlapping. */
	CHECK_EQ(gring_lease_give(&v1, &l1), 0);
	CHECK_EQ(gring_view_owner(&over), GRING_OWNER_GPU);
	/* The map: [0, 256) and [256, 512), by offset, not merged. */
	memset(ranges, 0xa5, sizeof(ranges));
	CHECK_EQ(gring_coherent_gpu_ranges(&buf, ranges, 3), 2);
	CHECK(ranges[0].offset == 0 && ranges[0].size == 256);
	CHECK(ranges[1].offset == 256 && ranges[1].size == 256);
	CHECK_EQ(ranges[2].offset, 0xa5a5a5a5a5a5a5a5ull);
	CHECK_EQ(gring_coherent_gpu_ranges(&buf, ranges, 0), 2);

	/* CPU access touching a device-owned byte, through any view. */
	memset(mem + 200, 0x5a, 8);
	p = gring_view_cpu_ptr(&v0);
	CHECK(IS_ERR(p) && PTR_ERR(p) == -EBUSY);
	p = gring_view_cpu_ptr(&over);
	CHECK(IS_ERR(p) && PTR_ERR(p) == -EBUSY);
	CHECK_EQ(gring_view_write(&over, 72, "xxxxxxxx", 8), -EBUSY);
	CHECK_EQ(mem[200], 0x5a);
	word = 7;
	CHECK_EQ(gring_view_read(&v0, 0, &word, 4), -EBUSY);
	CHECK_EQ(word, 7);
	CHECK_EQ(gring_view_sub_type(&v0, 64, struct tobj, &obj), 0);
	CHECK_EQ(gring_view_wr_field(&obj, struct tobj, b, 9), -EBUSY);
	CHECK_EQ(gring_view_rd_field(&obj, struct tobj, b, &b), -EBUSY);
	CHECK_EQ(*(u64 *)(mem + 72), 0);
	CHECK_EQ(gring_view_write(&after, 0, "ok", 2), 0);

	/* The one read allowed on device-owned bytes: a published word. */
	*(u64 *)(mem + 72) = 0x600dull;	/* the device writes */
	shim_log_reset();
	CHECK_EQ(gring_view_poll_field(&obj, struct tobj, b, &b), 0);
	CHECK_EQ(b, 0x600d);
	CHECK_EQ(shim_log_find(0, "READ_ONCE", mem + 72), 0);
	CHECK_EQ(shim_log_find(0, "dma_rmb", NULL), 1);

	/* GPU -> CPU: the barrier comes after the state change. */
	shim_log_reset();
	CHECK_EQ(gring_lease_take(&l0), 0);
	CHECK(!gring_lease_active(&l0));
	mark = shim_log_find(0, "dma_rmb", NULL);
	CHECK(mark >= 0);
	CHECK(shim_log_find(mark, "gring_to_cpu", NULL) > mark);
	CHECK(gring_view_cpu_ptr(&v0) == mem);
	CHECK_EQ(gring_view_owner(&over), GRING_OWNER_MIXED);

	/* Handing back twice. */
	CHECK_EQ(gring_lease_take(&l0), -EPERM);
	/* A lease is reusable once taken back. */
	CHECK_EQ(gring_lease_give(&after, &l0), 0);
	CHECK_EQ(gring_view_owner(&after), GRING_OWNER_GPU);

	gring_coherent_get_stats(&buf, &st);
	CHECK_EQ(st.to_gpu, 3);
	CHECK_EQ(st.to_cpu, 1);
	CHECK_EQ(st.give_twice, 1);
	CHECK_EQ(st.give_busy, 1);
	CHECK_EQ(st.take_unheld, 1);	/* "never" had no buffer to count on */
	CHECK_EQ(st.cpu_refused, 6);
	CHECK_EQ(st.bad_view, 0);

	/* Freeing a buffer the device owns part of: a kernel bug, WARNed. */
	shim_log_reset();
	CHECK_EQ(gring_coherent_fini(&buf), -EBUSY);
	CHECK_EQ(shim_log_count("WARN"), 1);
	CHECK_EQ(gring_lease_take(&l0), 0);
	CHECK_EQ(gring_lease_take(&l1), 0);
	CHECK_EQ(gring_coherent_fini(&buf), 0);
	/* Userspace-reachable refusals above never WARNed. */
	CHECK_EQ(shim_log_count("WARN"), 1);
}

static void touch_busy(const struct gring_view *v)
{
	void *p = gring_view_cpu_ptr(v);	/* one call site */

	CHECK(IS_ERR(p));
}

static void test_once_per_site(void)
{
	struct gring_lease l = {};
	struct gring_coherent_stats st;
	struct gring_view v;
	int i;

	TEST_GROUP("reported once per call site, counted and traced always");
	fixture();
	v = view(0, 64);
	CHECK_EQ(gring_lease_give(&v, &l), 0);

	shim_log_reset();
	for (i = 0; i < 3; i++)
		touch_busy(&v);
	CHECK_EQ(shim_log_count("pr_warn"), 1);
	CHECK_EQ(shim_log_count("gring_refused"), 3);
	CHECK(strstr(shim_last_printk(), "test_view.c"));
	CHECK(strstr(shim_last_printk(), "touch_busy"));

	/* Another call site reports again, once. */
	for (i = 0; i < 2; i++)
		CHECK_EQ(gring_view_write(&v, 0, "x", 1), -EBUSY);
	CHECK_EQ(shim_log_count("pr_warn"), 2);
	CHECK_EQ(shim_log_count("gring_refused"), 5);
	CHECK(strstr(shim_last_printk(), "test_once_per_site"));
	/* Userspace can drive these paths: never a WARN. */
	CHECK_EQ(shim_log_count("WARN"), 0);

	gring_coherent_get_stats(&buf, &st);
	CHECK_EQ(st.cpu_refused, 5);
	CHECK_EQ(gring_lease_take(&l), 0);
}

static void test_alloc(void)
{
	struct device dev = { .next_dma = 0x40000000ull };
	struct gring_coherent *a, *b;
	struct gring_lease l = {};
	struct gring_view v;

	TEST_GROUP("gring_coherent_alloc/free");
	shim_log_reset();

	CHECK(PTR_ERR(gring_coherent_alloc(&dev, 0, GFP_KERNEL, "zero")) ==
	      -EINVAL);
	a = gring_coherent_alloc(&dev, 100, GFP_KERNEL, "a");
	b = gring_coherent_alloc(&dev, 5000, GFP_KERNEL, "b");
	CHECK(!IS_ERR(a) && !IS_ERR(b));
	if (IS_ERR(a) || IS_ERR(b))
		return;
	CHECK_EQ(a->dma_handle, 0x40000000ull);
	CHECK_EQ(a->size, 100);
	CHECK_EQ(b->dma_handle, 0x40001000ull);
	CHECK_EQ(dev.live, 2);

	CHECK_EQ(gring_coherent_view(b, 4999, 1, 0, &v), 0);
	CHECK_EQ(gring_view_dma_handle(&v), 0x40002387ull);
	CHECK_EQ(gring_coherent_view(b, 5000, 1, 0, &v), -ERANGE);

	/* Not freed while the device owns part of it. */
	CHECK_EQ(gring_lease_give(&v, &l), 0);
	gring_coherent_free(b);
	CHECK_EQ(dev.live, 2);
	CHECK_EQ(gring_lease_take(&l), 0);
	gring_coherent_free(b);
	gring_coherent_free(a);
	gring_coherent_free(NULL);
	CHECK_EQ(dev.live, 0);
}

/*
 * Random gives, takes and queries of random ranges, against a map of who
 * owns each byte kept here: the lease tree must answer exactly as the map.
 */
static u32 rand_state = 11;

static u32 rnd(u32 below)
{
	rand_state = rand_state * 1103515245u + 12345u;
	return (rand_state >> 16) % below;
}

#define RL_BYTES	1024
#define RL_LEASES	48

static void test_random_leases(void)
{
	struct gring_lease lease[RL_LEASES] = {};
	size_t loff[RL_LEASES] = {}, lsize[RL_LEASES] = {};
	u8 map[RL_BYTES] = {};	/* 0: CPU, else the owning lease + 1 */
	size_t off, size, j, gpu;
	struct gring_range want_r[RL_LEASES], got_r[RL_LEASES];
	int gave = 0, busy = 0, took = 0;
	size_t n;
	struct gring_view v;
	int i, k, err, want;
	void *p;

	TEST_GROUP("50000 random handoffs against a byte map");
	fixture();
	for (i = 0; i < 50000 && test_failures < 20; i++) {
		shim_log_reset();
		k = rnd(RL_LEASES);
		off = rnd(RL_BYTES);
		size = 1 + rnd(96);
		if (size > RL_BYTES - off)
			size = RL_BYTES - off;
		v = view(off, size);
		for (j = off, gpu = 0; j < off + size; j++)
			gpu += !!map[j];

		switch (rnd(3)) {
		case 0:
			want = lease[k].active ? -EALREADY : gpu ? -EBUSY : 0;
			err = gring_lease_give(&v, &lease[k]);
			CHECK_EQ(err, want);
			gave += !err;
			busy += err == -EBUSY;
			if (!err && !want) {
				memset(map + off, k + 1, size);
				loff[k] = off;
				lsize[k] = size;
			}
			break;
		case 1:
			want = lease[k].active ? 0 : -EPERM;
			err = gring_lease_take(&lease[k]);
			CHECK_EQ(err, want);
			took += !err;
			if (!err && !want)
				memset(map + loff[k], 0, lsize[k]);
			break;
		default:
			CHECK_EQ(gring_view_owner(&v), !gpu ? GRING_OWNER_CPU :
				 gpu == size ? GRING_OWNER_GPU :
				 GRING_OWNER_MIXED);
			p = gring_view_cpu_ptr(&v);
			CHECK(gpu ? IS_ERR(p) : p == mem + off);
			err = gring_view_write(&v, size - 1, "z", 1);
			CHECK_EQ(err, map[off + size - 1] ? -EBUSY : 0);
			break;
		}
	}
	/* The mix exercised both outcomes, many times. */
	printf("# random: %d gives, %d refused busy, %d takes\n", gave, busy,
	       took);
	CHECK(gave > 1000 && busy > 1000 && took > 1000);
	/* Every byte, one by one, at the end. */
	for (j = 0; j < RL_BYTES; j++) {
		v = view(j, 1);
		CHECK_EQ(gring_view_owner(&v), map[j] ? GRING_OWNER_GPU :
			 GRING_OWNER_CPU);
	}
	/* The map as ranges: the test's own leases, sorted by offset. */
	for (k = 0, n = 0; k < RL_LEASES; k++) {
		if (!lease[k].active)
			continue;
		for (j = n++; j > 0 && want_r[j - 1].offset > loff[k]; j--)
			want_r[j] = want_r[j - 1];
		want_r[j].offset = loff[k];
		want_r[j].size = lsize[k];
	}
	CHECK(n > 0);
	CHECK_EQ(gring_coherent_gpu_ranges(&buf, got_r, RL_LEASES), n);
	CHECK(!memcmp(got_r, want_r, n * sizeof(got_r[0])));
	for (k = 0; k < RL_LEASES; k++)
		if (lease[k].active)
			CHECK_EQ(gring_lease_take(&lease[k]), 0);
	CHECK_EQ(gring_coherent_fini(&buf), 0);
}

/**
 * main() - run the view tests
 *
 * Return: 0 if every check passed, else 1.
 */
int main(void)
{
	mem = aligned_alloc(4096, SIZE);
	if (!mem)
		shim_die("out of memory");
	test_bounds_and_overflow();
	test_alignment();
	test_handles();
	test_typed();
	test_ownership();
	test_once_per_site();
	test_alloc();
	test_random_leases();
	return test_result("test_view");
}
