// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of gring_ring.c: pointer math, wrap, full/empty, ownership of
 * the free and pending parts, barrier order, and a long run against a
 * byte-occupancy model of the ring written independently here.
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

/* Reserve, fill with @tag, commit: the ring offset used, or an errno. */
static long submit(u32 len, u32 tag, struct gring_lease *lease)
{
	struct gring_ring_reservation res;
	u32 *p, i;
	int err;

	err = gring_ring_reserve(&ring, len, &res);
	if (err)
		return err;
	p = gring_view_cpu_ptr(&res.view);
	if (IS_ERR(p))
		return PTR_ERR(p);
	for (i = 0; i < len / 4; i++)
		p[i] = tag;
	err = gring_ring_commit(&ring, &res, lease);
	return err ? err : (long)res.view.offset;
}

static bool words_are(size_t offset, size_t len, u32 word)
{
	size_t i;

	for (i = 0; i < len; i += 4)
		if (*(u32 *)(mem + offset + i) != word)
			return false;
	return true;
}

static void test_init(void)
{
	struct gring_view rv, wv, small;
	struct gring_lease l = {};
	struct gring_ring r;

	TEST_GROUP("init");
	fixture();
	CHECK(words_are(WB, 16, 0));
	CHECK_EQ(gring_view_owner(&ring.wb), GRING_OWNER_GPU);
	CHECK_EQ(gring_view_dma_handle(&ring.wb), 0x10001000ull);
	CHECK_EQ(ring.wb.size, 16);
	CHECK_EQ(gring_view_owner(&ring.ring), GRING_OWNER_CPU);
	CHECK_EQ(gring_ring_max_reserve(&ring), 128);

	wv = view(2048, 16);
	rv = view(1024, 12);
	CHECK_EQ(gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = view(1024, 8);
	CHECK_EQ(gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = view(1028, 64);
	CHECK_EQ(gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = view(1024, 1040);	/* overlaps the writeback */
	CHECK_EQ(gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = view(1024, 64);
	small = view(2048, 8);
	CHECK_EQ(gring_ring_init(&r, &rv, &small, NOP, "r"), -EINVAL);
	small = view(2052, 16);	/* misaligned */
	CHECK_EQ(gring_ring_init(&r, &rv, &small, NOP, "r"), -EINVAL);
	CHECK_EQ(gring_lease_give(&rv, &l), 0);
	CHECK_EQ(gring_ring_init(&r, &rv, &wv, NOP, "r"), -EBUSY);
	CHECK_EQ(gring_lease_take(&l), 0);
	CHECK_EQ(gring_ring_init(&r, &rv, &wv, NOP, "r"), 0);
	CHECK_EQ(gring_ring_fini(&r), 0);
	CHECK_EQ(gring_view_owner(&wv), GRING_OWNER_CPU);
}

static void test_empty_and_full(void)
{
	struct gring_lease l[32] = {}, *done;
	struct gring_ring_reservation res;
	struct gring_ring_state st;
	struct gring_view v[2];
	int i;

	TEST_GROUP("empty slot: full and empty are told apart");
	fixture();

	CHECK_EQ(gring_ring_pending(&ring, 0, v), 0);
	gring_ring_query(&ring, &st);
	CHECK(st.wptr == 0 && st.tail == 0 && st.pending == 0);
	CHECK(st.nr_regions == 1 && st.regions[0].offset == 0 &&
	      st.regions[0].size == 256 &&
	      st.regions[0].owner == GRING_OWNER_CPU);
	CHECK_EQ(st.free, 248);

	CHECK_EQ(gring_ring_reserve(&ring, 0, &res), -EINVAL);
	CHECK_EQ(gring_ring_reserve(&ring, 12, &res), -EINVAL);
	CHECK_EQ(gring_ring_reserve(&ring, 136, &res), -E2BIG);

	/* 15 commands of 16 bytes: 240 of 256 bytes. */
	for (i = 0; i < 15; i++)
		CHECK_EQ(submit(16, i + 1, &l[i]), i * 16);
	/* 8 bytes left, which are the empty slot: 16 does not fit... */
	CHECK_EQ(gring_ring_reserve(&ring, 16, &res), -EAGAIN);
	/* ...8 does, at 240, leaving exactly one slot. */
	CHECK_EQ(submit(8, 16, &l[15]), 240);
	CHECK_EQ(gring_ring_wptr(&ring), 248);
	/* Full: wptr == tail would look empty, so nothing more fits. */
	CHECK_EQ(gring_ring_reserve(&ring, 8, &res), -EAGAIN);

	gring_ring_query(&ring, &st);
	CHECK(st.wptr == 248 && st.tail == 0);
	CHECK_EQ(st.pending, 248);
	CHECK_EQ(st.free, 0);
	CHECK_EQ(st.stats.full, 2);
	CHECK_EQ(st.stats.commits, 16);
	/* The device sees 248 bytes to do, not 0. */
	CHECK_EQ(gring_ring_pending(&ring, 0, v), 1);
	CHECK(v[0].offset == 0 && v[0].size == 248);
	CHECK_EQ(gring_view_owner(&v[0]), GRING_OWNER_GPU);

	/* The device has read everything: all 16 come back, in order. */
	device_rptr(248);
	for (i = 0; i < 16; i++) {
		done = NULL;
		CHECK_EQ(gring_ring_retire(&ring, &done), 1);
		CHECK(done == &l[i]);
	}
	CHECK_EQ(gring_ring_retire(&ring, &done), 0);
	gring_ring_query(&ring, &st);
	CHECK(st.wptr == 248 && st.tail == 248 && st.pending == 0);
	CHECK_EQ(st.rptr, 248);
	CHECK_EQ(st.free, 248);
	CHECK_EQ(gring_ring_pending(&ring, 248, v), 0);
	CHECK_EQ(gring_view_owner(&ring.ring), GRING_OWNER_CPU);
}

static void test_exact_end_and_pad(void)
{
	struct gring_lease l[8] = {}, *done;
	struct gring_ring_reservation res;
	struct gring_ring_state st;
	struct gring_view v[2], pad;
	int i;

	TEST_GROUP("wrap: exactly at the end, and pad-and-wrap");
	fixture();

	/* Bring both pointers to 192: three commands of 64, all read. */
	for (i = 0; i < 3; i++)
		CHECK_EQ(submit(64, 0x100 + i, &l[i]), i * 64);
	device_rptr(192);
	for (i = 0; i < 3; i++)
		CHECK_EQ(gring_ring_retire(&ring, &done), 1);

	/* 64 bytes end exactly at 256: no padding, wptr wraps to 0. */
	CHECK_EQ(submit(64, 0x200, &l[3]), 192);
	CHECK_EQ(gring_ring_wptr(&ring), 0);
	CHECK_EQ(gring_ring_pending(&ring, 192, v), 1);
	CHECK(v[0].offset == 192 && v[0].size == 64);
	device_rptr(0);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	CHECK(done == &l[3]);

	/* Now 0/0. Two of 64, the first read: tail 64, wptr 128. */
	CHECK_EQ(submit(64, 0x300, &l[4]), 0);
	CHECK_EQ(submit(64, 0x301, &l[5]), 64);
	device_rptr(64);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);

	/* 120 bytes: 128 + 120 = 248, fits before the end. */
	CHECK_EQ(submit(120, 0x302, &l[6]), 128);
	/* 64 bytes need padding and would end past tail - one slot. */
	CHECK_EQ(gring_ring_reserve(&ring, 64, &res), -EAGAIN);
	/* 56 bytes: 8 left at the end; pad them, put it at 0..56, tail 64. */
	CHECK_EQ(submit(56, 0x303, &l[7]), 0);
	CHECK_EQ(gring_ring_wptr(&ring), 56);
	CHECK(words_are(248, 8, NOP));
	CHECK(words_are(0, 56, 0x303));
	pad = view(248, 8);
	CHECK_EQ(gring_view_owner(&pad), GRING_OWNER_GPU);
	CHECK_EQ(gring_view_write(&pad, 0, "x", 1), -EBUSY);

	gring_ring_query(&ring, &st);
	CHECK_EQ(st.stats.pad_bytes, 8);
	CHECK_EQ(st.stats.wraps, 2);
	CHECK_EQ(st.pending, 64 + 120 + 8 + 56);
	CHECK_EQ(st.free, 0);
	/* Cut at wptr 56 and tail 64; the owners are the leases'. */
	CHECK_EQ(st.nr_regions, 3);
	CHECK(st.regions[0].offset == 0 && st.regions[0].size == 56 &&
	      st.regions[0].owner == GRING_OWNER_GPU);
	CHECK(st.regions[1].offset == 56 && st.regions[1].size == 8 &&
	      st.regions[1].owner == GRING_OWNER_CPU);
	CHECK(st.regions[2].offset == 64 && st.regions[2].size == 192 &&
	      st.regions[2].owner == GRING_OWNER_GPU);

	/* Two views, computed once: [64, 256) then [0, 56). */
	CHECK_EQ(gring_ring_pending(&ring, 64, v), 2);
	CHECK(v[0].offset == 64 && v[0].size == 192);
	CHECK(v[1].offset == 0 && v[1].size == 56);
	CHECK_EQ(gring_view_dma_handle(&v[0]), 0x10000040ull);
	CHECK_EQ(gring_view_dma_handle(&v[1]), 0x10000000ull);
	/* From the middle: [128, 256) then [0, 56). */
	CHECK_EQ(gring_ring_pending(&ring, 128, v), 2);
	CHECK(v[0].offset == 128 && v[0].size == 128);
	/* After the end, before the wrapped command: one view. */
	CHECK_EQ(gring_ring_pending(&ring, 0, v), 1);
	CHECK(v[0].offset == 0 && v[0].size == 56);

	/* Read up to 0: 0x301 and 0x302 come back, the padding silently. */
	device_rptr(0);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	CHECK(done == &l[5]);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	CHECK(done == &l[6]);
	CHECK_EQ(gring_ring_retire(&ring, &done), 0);
	CHECK_EQ(gring_view_owner(&pad), GRING_OWNER_CPU);
	gring_ring_query(&ring, &st);
	CHECK_EQ(st.tail, 0);
	/* Only [0, 56) is pending: it and the rest of the ring. */
	CHECK_EQ(st.nr_regions, 2);
	CHECK(st.regions[0].offset == 0 && st.regions[0].size == 56 &&
	      st.regions[0].owner == GRING_OWNER_GPU);
	CHECK(st.regions[1].offset == 56 && st.regions[1].size == 200 &&
	      st.regions[1].owner == GRING_OWNER_CPU);
	CHECK_EQ(st.stats.retired, 3 + 1 + 1 + 3);
	device_rptr(56);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	CHECK(done == &l[7]);
	CHECK_EQ(gring_ring_fini(&ring), 0);
}

static void test_overwrite_in_flight(void)
{
	struct gring_lease l[8] = {}, *done;
	struct gring_ring_reservation res;
	struct gring_view pending;
	u8 before[8];
	void *p;
	int i;

	TEST_GROUP("overwrite in flight: the free part ends before tail");
	fixture();

	/* tail 128, wptr 64, pending [128, 256) + [0, 64). */
	CHECK_EQ(submit(64, 1, &l[0]), 0);
	CHECK_EQ(submit(64, 2, &l[1]), 64);
	device_rptr(128);
	for (i = 0; i < 2; i++)
		CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	CHECK_EQ(submit(64, 3, &l[2]), 128);
	CHECK_EQ(submit(64, 4, &l[3]), 192);
	CHECK_EQ(submit(64, 5, &l[4]), 0);

	/* Free is [64, 120): a reservation of 56 ends at 120. */
	CHECK_EQ(gring_ring_reserve(&ring, 64, &res), -EAGAIN);
	CHECK_EQ(gring_ring_reserve(&ring, 56, &res), 0);
	CHECK(res.view.offset == 64 && res.view.size == 56);
	CHECK_EQ(gring_view_owner(&res.view), GRING_OWNER_CPU);
	/* Writing as if [wptr, end) were free is refused, not truncated. */
	memcpy(before, mem + 120, 8);
	CHECK_EQ(gring_view_write(&res.view, 0, mem + 1024, 64), -ERANGE);
	CHECK_EQ(gring_view_write(&res.view, 56, "12345678", 8), -ERANGE);
	CHECK(!memcmp(before, mem + 120, 8));
	/* And the pending bytes cannot be reached through any other view. */
	pending = view(128, 8);
	CHECK_EQ(gring_view_write(&pending, 0, "12345678", 8), -EBUSY);
	p = gring_view_cpu_ptr(&pending);
	CHECK(IS_ERR(p));
	CHECK(words_are(128, 64, 3));
	/* A commit of a lease already in flight changes nothing. */
	CHECK_EQ(gring_ring_commit(&ring, &res, &l[4]), -EALREADY);
	CHECK_EQ(gring_ring_wptr(&ring), 64);
	CHECK_EQ(gring_ring_commit(&ring, &res, &l[5]), 0);
	CHECK_EQ(gring_ring_wptr(&ring), 120);
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

static void test_bad_rptr(void)
{
	struct gring_lease l[2] = {}, *done = NULL;
	struct gring_ring_state st;
	struct gring_view v[2];

	TEST_GROUP("a read pointer outside the pending part is refused");
	fixture();
	CHECK_EQ(submit(32, 1, &l[0]), 0);
	CHECK_EQ(submit(32, 2, &l[1]), 32);

	device_rptr(72);	/* past wptr */
	CHECK_EQ(gring_ring_retire(&ring, &done), -EIO);
	device_rptr(12);	/* misaligned */
	CHECK_EQ(gring_ring_retire(&ring, &done), -EIO);
	device_rptr(256);	/* not in the ring */
	CHECK_EQ(gring_ring_retire(&ring, &done), -EIO);
	CHECK(!done);
	CHECK_EQ(gring_ring_pending(&ring, 72, v), -EINVAL);
	CHECK_EQ(gring_ring_pending(&ring, 4, v), -EINVAL);
	gring_ring_query(&ring, &st);
	CHECK_EQ(st.stats.bad_rptr, 3);
	CHECK_EQ(st.stats.retired, 0);
	CHECK_EQ(st.pending, 64);

	/* Partway into a command retires nothing of it. */
	device_rptr(40);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	CHECK(done == &l[0]);
	CHECK_EQ(gring_ring_retire(&ring, &done), 0);
	CHECK_EQ(gring_ring_fini(&ring), -EBUSY);
}

static void test_reset(void)
{
	struct gring_lease l[4] = {}, *done;
	struct gring_ring_state st;
	int i;

	TEST_GROUP("reset after a hang");
	fixture();
	CHECK_EQ(submit(64, 1, &l[0]), 0);
	CHECK_EQ(submit(64, 2, &l[1]), 64);
	CHECK_EQ(submit(64, 3, &l[2]), 128);
	device_rptr(128);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	CHECK_EQ(gring_ring_retire(&ring, &done), 1);
	/* Wrap with padding so a pad lease is in flight too. */
	CHECK_EQ(submit(72, 4, &l[3]), 0);
	*(u64 *)(mem + WB + 8) = 41;	/* the device's last seqno */

	for (i = 2; i < 4; i++) {
		CHECK_EQ(gring_ring_reset(&ring, &done), 1);
		CHECK(done == &l[i]);
	}
	CHECK_EQ(gring_ring_reset(&ring, &done), 0);
	gring_ring_query(&ring, &st);
	CHECK(st.wptr == 0 && st.tail == 0 && st.rptr == 0);
	CHECK_EQ(st.seqno, 41);
	CHECK_EQ(gring_view_owner(&ring.ring), GRING_OWNER_CPU);
	CHECK_EQ(gring_view_owner(&ring.wb), GRING_OWNER_GPU);
	CHECK_EQ(submit(64, 5, &l[0]), 0);
}

/*
 * The long run. The test keeps its own picture of the ring: which bytes
 * are busy (committed commands and padding not yet retired), where the
 * next command goes, and the rule "the next command goes at wptr if it
 * fits before the end, else at 0 after padding; it is accepted iff those
 * bytes are free and the byte after it stays free". The ring must accept
 * and place exactly as that picture says, and a device walking the
 * pending views must find the commands in order, each whole in one view.
 */
struct model_cmd {
	u32 offset, len, tag;
	bool pad;
};

#define MODEL_MAX 64

static struct {
	struct model_cmd fifo[MODEL_MAX];
	int head, n, dev;	/* dev: the next entry the device expects */
	u32 wptr, rptr;
	u8 busy[RING];
	struct gring_lease lease[MODEL_MAX];
	u32 seed;
} m;

static u32 model_rand(u32 below)
{
	m.seed = m.seed * 1103515245u + 12345u;
	return (m.seed >> 16) % below;
}

static void model_push(u32 offset, u32 len, u32 tag, bool pad)
{
	struct model_cmd *c = &m.fifo[(m.head + m.n) % MODEL_MAX];

	if (m.n == MODEL_MAX)
		shim_die("model fifo full");
	c->offset = offset;
	c->len = len;
	c->tag = tag;
	c->pad = pad;
	memset(m.busy + offset, 1, len);
	m.n++;
}

static void model_submit(u32 tag)
{
	u32 len = 8 * (1 + model_rand(16));	/* 8..128 */
	u32 start, pad, new_w, i;
	u8 busy[RING];
	bool ok = true;
	long got;

	if (m.wptr + len <= RING) {
		start = m.wptr;
		pad = 0;
	} else {
		start = 0;
		pad = RING - m.wptr;
	}
	new_w = (start + len) % RING;
	/* Padding and command on a copy: no byte twice, one free after. */
	memcpy(busy, m.busy, RING);
	for (i = 0; i < pad; i++)
		ok &= !busy[m.wptr + i]++;
	for (i = 0; i < len; i++)
		ok &= !busy[start + i]++;
	ok &= !busy[new_w];

	got = submit(len, tag, &m.lease[tag % MODEL_MAX]);
	if (!ok) {
		CHECK_EQ(got, -EAGAIN);
		return;
	}
	CHECK_EQ(got, start);
	if (got != start)
		return;
	if (pad)
		model_push(m.wptr, pad, 0, true);
	model_push(start, len, tag, false);
	m.wptr = new_w;
}

/* The device runs up to @count commands, as a device would: by handle. */
static void model_device(int count)
{
	struct gring_view v[2];
	int n, i, done = 0;
	u32 p, end, word;
	struct model_cmd *c;

	n = gring_ring_pending(&ring, m.rptr, v);
	CHECK(n >= 0 && n <= 2);
	for (i = 0; i < n && done < count; i++) {
		p = gring_view_dma_handle(&v[i]) - BASE;
		end = p + v[i].size;
		while (p < end && done < count) {
			word = *(u32 *)(mem + p);
			if (word == NOP) {
				p += 4;
				continue;
			}
			/* The next real command, whole, in this view. */
			while (m.fifo[m.dev].pad)
				m.dev = (m.dev + 1) % MODEL_MAX;
			c = &m.fifo[m.dev];
			m.dev = (m.dev + 1) % MODEL_MAX;
			CHECK_EQ(word, c->tag);
			CHECK_EQ(p, c->offset);
			CHECK(p + c->len <= end);
			if (word != c->tag || p != c->offset)
				return;
			p += c->len;
			done++;
		}
		m.rptr = p % RING;
	}
	device_rptr(m.rptr);
}

/* The CPU retires what the device passed: leases in commit order. */
static void model_retire(void)
{
	struct gring_lease *done;
	u32 consumed = (m.rptr + RING - (m.n ? m.fifo[m.head].offset : m.rptr)) % RING;
	struct model_cmd *c;
	int ret;

	while (m.n && m.fifo[m.head].len <= consumed) {
		c = &m.fifo[m.head];
		if (!c->pad) {
			done = NULL;
			ret = gring_ring_retire(&ring, &done);
			CHECK_EQ(ret, 1);
			CHECK(done == &m.lease[c->tag % MODEL_MAX]);
		}
		memset(m.busy + c->offset, 0, c->len);
		consumed -= c->len;
		m.head = (m.head + 1) % MODEL_MAX;
		m.n--;
	}
	CHECK_EQ(gring_ring_retire(&ring, &done), 0);
}

static void test_model(void)
{
	struct gring_ring_state st;
	u32 tag, pending = 0;
	int i, j;

	TEST_GROUP("20000 steps against an occupancy model");
	fixture();
	memset(&m, 0, sizeof(m));
	m.seed = 2026;

	for (i = 0, tag = 1; i < 20000; i++) {
		shim_log_reset();
		if (model_rand(3)) {
			model_submit(tag++);
		} else {
			model_device(1 + model_rand(4));
			model_retire();
		}
		gring_ring_query(&ring, &st);
		CHECK_EQ(st.wptr, m.wptr);
		pending = 0;
		for (j = 0; j < RING; j++) {
			struct gring_view b = view(j, 1);

			pending += m.busy[j];
			/* Busy bytes are the device's, free ones the CPU's. */
			CHECK_EQ(gring_view_owner(&b), m.busy[j] ?
				 GRING_OWNER_GPU : GRING_OWNER_CPU);
		}
		CHECK_EQ(st.pending, pending);
		if (test_failures > 20)
			return;
	}
	CHECK(st.stats.wraps > 100);
	CHECK(st.stats.full > 100);
	CHECK(st.stats.pad_bytes > 0);
	printf("# model: %llu commits, %llu wraps, %llu pad bytes, %llu full\n",
	       (unsigned long long)st.stats.commits,
	       (unsigned long long)st.stats.wraps,
	       (unsigned long long)st.stats.pad_bytes,
	       (unsigned long long)st.stats.full);
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
	test_init();
	test_empty_and_full();
	test_exact_end_and_pad();
	test_overwrite_in_flight();
	test_barrier_order();
	test_bad_rptr();
	test_reset();
	test_model();
	return test_result("test_ring");
}
