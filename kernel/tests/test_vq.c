// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test of gring_vq.c: the barrier order of publish, kick and
 * get_used (avail entries, dma_wmb, idx; idx, mb, avail_event; used idx,
 * dma_rmb, element; used_event, mb), which only the shim's event log
 * shows. Everything else of the split virtqueue (layout, descriptors,
 * free list, 16-bit wrap, full queue, event-idx suppression, ownership,
 * bad device answers) is the KUnit suite gring_core_vq, in the kernel on
 * real DMA memory: kernel/core/tests/gring_vq_test.c.
 *
 * Offsets are computed here by hand from the virtio 1.x layout (desc 16
 * bytes, avail: flags, idx, ring[num], used_event; used: flags, idx,
 * ring[num] of {id, len}, avail_event).
 *
 * Fixture: a 16 KiB buffer with DMA handle 0x10000000; an 8-entry queue
 * at offset 0 (desc 0..127, avail 128..149, used 152..223); data buffers
 * from 4096.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>

#include "../core/gring_vq.h"
#include "shim/shim.h"
#include "test.h"

#define BASE		0x10000000ull
#define SIZE		16384
#define NUM		8
#define DESC		0
#define AVAIL		128
#define USED		152
#define AREA		224
#define USED_EVENT	(AVAIL + 4 + 2 * NUM)	/* 148 */
#define AVAIL_EVENT	(USED + 4 + 8 * NUM)	/* 220 */
#define DATA		4096

static u8 *mem;
static struct gring_coherent buf;
static struct gring_vq vq;

static struct gring_view view(size_t offset, size_t size)
{
	struct gring_view v = {};

	if (gring_coherent_view(&buf, offset, size, 0, &v))
		shim_die("a fixture projection was refused");
	return v;
}

static u16 rd16(size_t off)
{
	u16 v;

	memcpy(&v, mem + off, 2);
	return v;
}

static void wr16(size_t off, u16 v)
{
	memcpy(mem + off, &v, 2);
}

static void wr32(size_t off, u32 v)
{
	memcpy(mem + off, &v, 4);
}

static void fixture_ev(bool event_idx)
{
	struct gring_vq_views v;
	struct gring_view area;

	memset(mem, 0xa5, SIZE);	/* init must zero the three areas */
	gring_coherent_init(&buf, mem, BASE, SIZE, "vqbuf");
	area = view(0, AREA);
	if (gring_vq_carve(&area, NUM, &v) ||
	    gring_vq_init(&vq, &v, NUM, event_idx, "vq"))
		shim_die("the test queue was refused");
	shim_log_reset();
}

/* The device's side: its own used idx, kept in the used ring itself. */
static void device_use(u32 id, u32 len)
{
	u16 idx = rd16(USED + 2);

	wr32(USED + 4 + 8 * (idx % NUM), id);
	wr32(USED + 4 + 8 * (idx % NUM) + 4, len);
	wr16(USED + 2, idx + 1);
}

static void test_barrier_order(void)
{
	int give_desc, ring0, ring1, wmb, idx, mb_, ev, rused, rmb, relem, back;
	struct gring_view b, c;
	void *tok;
	u32 len;
	int t;

	TEST_GROUP("barrier order: publish, kick, get_used");
	fixture_ev(true);
	b = view(DATA, 16);
	c = view(DATA + 64, 16);
	shim_log_reset();
	CHECK_EQ(gring_vq_add(&vq, &b, 1, NULL, 0, &t), 0);
	CHECK_EQ(gring_vq_add(&vq, NULL, 0, &c, 1, &t), 0);
	gring_vq_publish(&vq);
	CHECK(gring_vq_kick_prepare(&vq));

	/* Each give: dma_wmb then its trace (see __gring_lease_give()). */
	give_desc = shim_log_find(0, "gring_to_gpu", NULL);
	ring0 = shim_log_find(0, "WRITE_ONCE", mem + AVAIL + 4);
	ring1 = shim_log_find(0, "WRITE_ONCE", mem + AVAIL + 6);
	idx = shim_log_find(0, "WRITE_ONCE", mem + AVAIL + 2);
	wmb = shim_log_find(ring1, "dma_wmb", NULL);
	mb_ = shim_log_find(idx, "mb", NULL);
	ev = shim_log_find(0, "READ_ONCE", mem + AVAIL_EVENT);
	CHECK(give_desc >= 0 && ring0 > give_desc && ring1 > ring0);
	/* Both avail entries, then dma_wmb, then the idx: exactly once. */
	CHECK(wmb > ring1 && idx > wmb);
	CHECK_EQ(shim_log_count("WRITE_ONCE"), 3);
	/* The idx store, a full barrier, then the device's avail_event. */
	CHECK(mb_ > idx && ev > mb_);
	CHECK_EQ(shim_log_find(0, "READ_ONCE", mem + AVAIL_EVENT), ev);
	CHECK_EQ(shim_log_find(0, "READ_ONCE", NULL), ev);

	shim_log_reset();
	device_use(0, 0);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 1);
	rused = shim_log_find(0, "READ_ONCE", mem + USED);
	rmb = shim_log_find(rused, "dma_rmb", NULL);
	relem = shim_log_find(0, "READ_ONCE", mem + USED + 4);
	back = shim_log_find(0, "gring_to_cpu", NULL);
	CHECK(rused >= 0 && rmb > rused && relem > rmb && back > relem);
	/* No element read before the idx. */
	CHECK_EQ(shim_log_find(0, "READ_ONCE", NULL), rused);
	/* used_event follows, then a full barrier. */
	CHECK(shim_log_find(back, "WRITE_ONCE", mem + USED_EVENT) > back);
	CHECK(shim_log_find(shim_log_find(back, "WRITE_ONCE",
					  mem + USED_EVENT), "mb", NULL) > 0);

	/* enable_cb: the request, a full barrier, then the used idx. */
	shim_log_reset();
	gring_vq_enable_cb(&vq);
	idx = shim_log_find(0, "WRITE_ONCE", mem + USED_EVENT);
	mb_ = shim_log_find(0, "mb", NULL);
	rused = shim_log_find(0, "READ_ONCE", mem + USED);
	CHECK(idx >= 0 && mb_ > idx && rused > mb_);
	while (gring_vq_detach(&vq, &tok) == 1)
		;
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

/**
 * main() - run the virtqueue tests
 *
 * Return: 0 if every check passed, else 1.
 */
int main(void)
{
	mem = aligned_alloc(4096, SIZE);
	if (!mem)
		shim_die("out of memory");
	test_barrier_order();
	return test_result("test_vq");
}
