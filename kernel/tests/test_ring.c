// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test of gring_ring.c: the barrier order of the producer and the
 * consumer (data, dma_wmb, publish; read, dma_rmb, data), which only the
 * shim's event log shows. Everything else of the ring (pointer math, wrap,
 * full and empty, padding, ownership, bad read pointers, reset, the
 * occupancy model) is the KUnit suite gring_core_ring, in the kernel on
 * real DMA memory: kernel/core/tests/gring_ring_test.c.
 *
 * Fixture: an 8 KiB buffer with DMA handle 0x10000000; the ring is its
 * first 256 bytes (32 slots of 8), the writeback is at 4096.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>

#include "../core/gring_ring.h"
#include "shim/shim.h"
#include "test.h"

#define BASE		0x10000000ull
#define SIZE		8192
#define RING		256
#define WB		4096
#define NOP		0x4e4f5021u

/* Page-aligned, from main(): alignment tests rely on it. */
static u8 *mem;
static struct gring_coherent buf;
static struct gring_ring ring;

static struct gring_view view(size_t offset, size_t size)
{
	struct gring_view v = {};

	if (gring_coherent_view(&buf, offset, size, 0, &v))
		shim_die("a fixture projection was refused");
	return v;
}

static void fixture(void)
{
	struct gring_view rv, wv;

	memset(mem, 0, SIZE);
	memset(mem + WB, 0xff, 16);	/* init must zero the writeback */
	gring_coherent_init(&buf, mem, BASE, SIZE, "ringbuf");
	rv = view(0, RING);
	wv = view(WB, 64);
	if (gring_ring_init(&ring, &rv, &wv, NOP, "ring"))
		shim_die("gring_ring_init() refused the test ring");
	shim_log_reset();
}

/* The device reports how far it has read. */
static void device_rptr(u32 rptr)
{
	*(u32 *)(mem + WB) = rptr;
}

static void test_barrier_order(void)
{
	struct gring_lease l = {}, *done;
	struct gring_ring_reservation res;
	struct gring_view v[2];
	int data, wmb, publish, bell, rd, rmb, take;

	TEST_GROUP("barrier order: data, dma_wmb, publish; read, dma_rmb, data");
	fixture();

	CHECK_EQ(gring_ring_reserve(&ring, 16, &res), 0);
	CHECK_EQ(gring_view_write(&res.view, 0, "0123456789abcdef", 16), 0);
	shim_log_reset();
	shim_event("data written", NULL);
	CHECK_EQ(gring_ring_commit(&ring, &res, &l), 0);
	shim_event("doorbell", NULL);

	data = shim_log_find(0, "data written", NULL);
	wmb = shim_log_find(0, "dma_wmb", NULL);
	publish = shim_log_find(0, "WRITE_ONCE", &ring.wptr);
	bell = shim_log_find(0, "doorbell", NULL);
	CHECK(data >= 0 && wmb > data && publish > wmb && bell > publish);
	/* Published once, and never before the barrier. */
	CHECK_EQ(shim_log_find(publish + 1, "WRITE_ONCE", &ring.wptr), -1);
	CHECK_EQ(gring_ring_wptr(&ring), 16);

	/* The engine: pointer, then barrier, then commands. */
	shim_log_reset();
	CHECK_EQ(gring_ring_pending(&ring, 0, v), 1);
	rd = shim_log_find(0, "READ_ONCE", &ring.wptr);
	rmb = shim_log_find(0, "dma_rmb", NULL);
	CHECK(rd >= 0 && rmb > rd);

	/* The way back: read the device's pointer, dma_rmb, then own. */
	device_rptr(16);
	shim_log_reset();
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	rd = shim_log_find(0, "READ_ONCE", mem + WB);
	rmb = shim_log_find(0, "dma_rmb", NULL);
	take = shim_log_find(0, "gring_to_cpu", NULL);
	CHECK(rd >= 0 && rmb > rd && take > rmb);
	/* And no further barrier-free read of the pointer afterwards. */
	CHECK_EQ(shim_log_find(rd + 1, "READ_ONCE", mem + WB), -1);
}

/**
 * main() - run the ring tests
 *
 * Return: 0 if every check passed, else 1.
 */
int main(void)
{
	mem = aligned_alloc(4096, SIZE);
	if (!mem)
		shim_die("out of memory");
	test_barrier_order();
	return test_result("test_ring");
}
