// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of gring_view.c: what only the shim's event log shows. The
 * barrier each handoff ends in (dma_wmb() on give, dma_rmb() on take and
 * poll) and where it falls, the trace events, the refusal report printed
 * once per call site and never as a WARN, and the WARN (and leak) when a
 * buffer the device owns part of is freed: on real hardware primitives,
 * in KUnit, none of these can be observed, and a WARN fails the guest run.
 *
 * Everything else of gring_view.c (projections, DMA handles, leases and
 * their refusals, the CPU accessors, a random run against a byte map) is
 * tested in the kernel, on real DMA memory: kernel/core/tests/
 * gring_view_test.c, the KUnit suite gring_core_view.
 *
 * Fixture: a buffer of 8 KiB whose DMA handle is 0x10000000.
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

static void test_handoff_events(void)
{
	struct gring_view v0, v1, over, obj;
	struct gring_lease l0 = {}, l1 = {};
	u64 b = 0;
	int mark;

	TEST_GROUP("handoff events: barriers, traces, no WARN for refusals");
	fixture();
	v0 = view(0, 256);
	v1 = view(256, 256);
	over = view(128, 256);

	/* CPU -> GPU: one dma_wmb, one trace. */
	shim_log_reset();
	CHECK_EQ(gring_lease_give(&v0, &l0), 0);
	CHECK_EQ(shim_log_count("dma_wmb"), 1);
	CHECK_EQ(shim_log_count("gring_to_gpu"), 1);

	/* Refused handoffs: traced, no barrier, no WARN. */
	shim_log_reset();
	CHECK_EQ(gring_lease_give(&v1, &l0), -EALREADY);
	CHECK_EQ(gring_lease_give(&over, &l1), -EBUSY);
	CHECK_EQ(shim_log_count("dma_wmb"), 0);
	CHECK_EQ(shim_log_count("gring_refused"), 2);
	CHECK_EQ(shim_log_count("WARN"), 0);

	/* The one read allowed on device-owned bytes: load, then dma_rmb. */
	CHECK_EQ(gring_view_sub_type(&v0, 64, struct tobj, &obj), 0);
	*(u64 *)(mem + 72) = 0x600dull;	/* the device writes */
	shim_log_reset();
	CHECK_EQ(gring_view_poll_field(&obj, struct tobj, b, &b), 0);
	CHECK_EQ(b, 0x600d);
	CHECK_EQ(shim_log_find(0, "READ_ONCE", mem + 72), 0);
	CHECK_EQ(shim_log_find(0, "dma_rmb", NULL), 1);

	/* GPU -> CPU: the barrier comes after the state change. */
	shim_log_reset();
	CHECK_EQ(gring_lease_take(&l0), 0);
	mark = shim_log_find(0, "dma_rmb", NULL);
	CHECK(mark >= 0);
	CHECK(shim_log_find(mark, "gring_to_cpu", NULL) > mark);

	/* Freeing a buffer the device owns part of: a kernel bug, WARNed. */
	CHECK_EQ(gring_lease_give(&v1, &l1), 0);
	shim_log_reset();
	CHECK_EQ(gring_coherent_fini(&buf), -EBUSY);
	CHECK_EQ(shim_log_count("WARN"), 1);
	CHECK_EQ(gring_lease_take(&l1), 0);
	CHECK_EQ(gring_coherent_fini(&buf), 0);
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

static void test_free_busy(void)
{
	struct device dev = { .next_dma = 0x40000000ull };
	struct gring_lease l = {};
	struct gring_coherent *b;
	struct gring_view v;

	TEST_GROUP("gring_coherent_free of a buffer the device owns: leaked, WARNed");
	b = gring_coherent_alloc(&dev, 5000, GFP_KERNEL, "b");
	CHECK(!IS_ERR(b));
	if (IS_ERR(b))
		return;
	CHECK_EQ(gring_coherent_view(b, 4999, 1, 0, &v), 0);
	CHECK_EQ(gring_lease_give(&v, &l), 0);
	/* Its WARN_ONCE fired in test_handoff_events() already. */
	gring_coherent_free(b);
	CHECK_EQ(dev.live, 1);
	CHECK_EQ(gring_lease_take(&l), 0);
	gring_coherent_free(b);
	CHECK_EQ(dev.live, 0);
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
	test_handoff_events();
	test_once_per_site();
	test_free_busy();
	return test_result("test_view");
}
