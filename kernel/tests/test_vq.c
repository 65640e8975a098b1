// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of gring_vq.c: the split virtqueue's layout, descriptors,
 * free list, 16-bit wrap, full queue, event-idx suppression, ownership of
 * descriptors and buffers, bad device answers, and barrier order.
 *
 * Every expected value is computed here by hand from the virtio 1.x
 * layout (desc 16 bytes, avail: flags, idx, ring[num], used_event; used:
 * flags, idx, ring[num] of {id, len}, avail_event), and a small "device"
 * below reads and writes the raw bytes as QEMU would, without calling
 * the code under test.
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

static u32 rd32(size_t off)
{
	u32 v;

	memcpy(&v, mem + off, 4);
	return v;
}

static u64 rd64(size_t off)
{
	u64 v;

	memcpy(&v, mem + off, 8);
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

static void test_layout(void)
{
	struct gring_vq_views v;
	struct gring_view area, a, b;
	struct gring_vq q;
	size_t i;

	TEST_GROUP("layout: three areas, three handles, spec alignment");
	CHECK_EQ(gring_vq_area_size(8), 224);
	/* 256: desc 4096, avail 518 -> 4614, used at 4616, 2056 bytes. */
	CHECK_EQ(gring_vq_area_size(256), 6672);
	fixture_ev(false);
	CHECK_EQ(gring_view_dma_handle(&vq.views.desc), BASE + DESC);
	CHECK_EQ(vq.views.desc.size, 128);
	CHECK_EQ(gring_view_dma_handle(&vq.views.avail), BASE + AVAIL);
	CHECK_EQ(vq.views.avail.size, 22);
	CHECK_EQ(gring_view_dma_handle(&vq.views.used), BASE + USED);
	CHECK_EQ(vq.views.used.size, 72);
	for (i = 0; i < AREA; i++)
		if (mem[i] != (i == 150 || i == 151 ? 0xa5 : 0))
			break;
	CHECK_EQ(i, AREA);	/* the two-byte gap before used is no area's */
	CHECK_EQ(mem[AREA], 0xa5);	/* nothing past the area touched */
	CHECK_EQ(gring_view_owner(&vq.views.used), GRING_OWNER_GPU);
	CHECK_EQ(gring_view_owner(&vq.views.avail), GRING_OWNER_CPU);
	CHECK_EQ(gring_view_owner(&vq.views.desc), GRING_OWNER_CPU);
	CHECK_EQ(gring_vq_num_free(&vq), 8);

	/* The descriptor table must sit on 16 bytes. */
	area = view(8, AREA);
	CHECK_EQ(gring_vq_carve(&area, NUM, &v), -EINVAL);
	area = view(4096, AREA - 1);
	CHECK_EQ(gring_vq_carve(&area, NUM, &v), -ERANGE);

	area = view(4096, AREA);
	CHECK_EQ(gring_vq_carve(&area, NUM, &v), 0);
	CHECK_EQ(gring_vq_init(&q, &v, 6, false, "q"), -EINVAL);
	CHECK_EQ(gring_vq_init(&q, &v, 0, false, "q"), -EINVAL);
	CHECK_EQ(gring_vq_init(&q, &v, 16, false, "q"), -EINVAL);
	a = v.used;
	v.used = view(4096 + 152, 70);		/* the spec's 6 + 8 * 8 */
	CHECK_EQ(gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.used = view(4096 + 154, 72);		/* 2-aligned only */
	CHECK_EQ(gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.used = view(4096 + 120, 72);		/* overlaps desc */
	CHECK_EQ(gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.used = a;
	b = v.avail;
	v.avail = view(4096 + 129, 22);		/* odd */
	CHECK_EQ(gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.avail = b;
	/* The queue above owns its used ring: a second queue on it is refused. */
	v.used = vq.views.used;
	CHECK_EQ(gring_vq_init(&q, &v, NUM, false, "q"), -EBUSY);
	v.used = a;
	CHECK_EQ(gring_vq_init(&q, &v, NUM, false, "q"), 0);
	CHECK_EQ(gring_vq_fini(&q), 0);
	CHECK_EQ(gring_view_owner(&a), GRING_OWNER_CPU);
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

static void test_add_and_reclaim(void)
{
	struct gring_view out = view(DATA, 64), in = view(DATA + 128, 32);
	struct gring_view in2 = view(DATA + 256, 16), d0;
	struct gring_coherent_stats bs;
	struct gring_vq_desc junk = {};
	struct gring_vq_state st;
	void *tok = NULL;
	u32 len = 0;
	int a = 1, b = 2;

	TEST_GROUP("add: descriptors hold the views' handles; reclaim");
	fixture_ev(false);
	CHECK_EQ(gring_vq_add(&vq, &out, 1, &in, 1, &a), 0);
	/* desc 0: out, NEXT -> 1; desc 1: in, WRITE, end. */
	CHECK_EQ(rd64(DESC + 0), BASE + DATA);
	CHECK_EQ(rd32(DESC + 8), 64);
	CHECK_EQ(rd16(DESC + 12), 1);
	CHECK_EQ(rd16(DESC + 14), 1);
	CHECK_EQ(rd64(DESC + 16), BASE + DATA + 128);
	CHECK_EQ(rd32(DESC + 24), 32);
	CHECK_EQ(rd16(DESC + 28), 2);
	CHECK_EQ(rd16(DESC + 30), 0);
	/* In the avail ring, not yet published. */
	CHECK_EQ(rd16(AVAIL + 4), 0);
	CHECK_EQ(rd16(AVAIL + 2), 0);
	CHECK_EQ(gring_vq_num_free(&vq), 6);
	CHECK_EQ(gring_view_owner(&out), GRING_OWNER_GPU);
	CHECK_EQ(gring_view_owner(&in), GRING_OWNER_GPU);
	d0 = view(DESC, 32);
	CHECK_EQ(gring_view_owner(&d0), GRING_OWNER_GPU);
	CHECK_EQ(gring_view_owner(&in2), GRING_OWNER_CPU);

	/* Reuse before return: the buffer is the device's, refused. */
	gring_coherent_get_stats(&buf, &bs);
	CHECK_EQ(gring_vq_add(&vq, &in2, 1, &in, 1, &b), -EBUSY);
	CHECK_EQ(gring_vq_num_free(&vq), 6);
	CHECK_EQ(vq.avail_idx, 1);
	CHECK_EQ(gring_view_owner(&in2), GRING_OWNER_CPU);	/* unwound */
	CHECK_EQ(rd64(DESC + 32), BASE + DATA + 256);	/* written, not given */
	CHECK_EQ(buf.stats.give_busy, bs.give_busy + 1);
	/* The descriptors are the device's: a CPU write is refused. */
	CHECK_EQ(gring_view_write(&d0, 0, &junk, sizeof(junk)), -EBUSY);
	CHECK_EQ(buf.stats.cpu_refused, bs.cpu_refused + 1);
	CHECK_EQ(rd64(DESC + 0), BASE + DATA);

	CHECK_EQ(gring_vq_add(&vq, NULL, 0, NULL, 0, &b), -EINVAL);
	CHECK_EQ(gring_vq_add(&vq, &in2, 1, NULL, 0, NULL), -EINVAL);

	gring_vq_publish(&vq);
	CHECK_EQ(rd16(AVAIL + 2), 1);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 0);

	device_use(0, 20);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 1);
	CHECK(tok == &a);
	CHECK_EQ(len, 20);
	CHECK_EQ(gring_vq_num_free(&vq), 8);
	CHECK_EQ(gring_view_owner(&out), GRING_OWNER_CPU);
	CHECK_EQ(gring_view_owner(&in), GRING_OWNER_CPU);
	CHECK_EQ(gring_view_owner(&vq.views.desc), GRING_OWNER_CPU);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 0);

	/*
	 * The chain went back to the front of the free list: 0 -> 1 -> 2.
	 * A three-buffer chain now takes descriptors 0, 1, 2 in that order.
	 */
	{
		struct gring_view o[2] = { out, in2 };

		CHECK_EQ(gring_vq_add(&vq, o, 2, &in, 1, &b), 0);
		CHECK_EQ(rd16(DESC + 14), 1);
		CHECK_EQ(rd16(DESC + 16 + 14), 2);
		CHECK_EQ(rd16(DESC + 16 + 12), 1);	/* out: NEXT only */
		CHECK_EQ(rd16(DESC + 32 + 12), 2);	/* in, last: WRITE */
		CHECK_EQ(rd64(DESC + 32), BASE + DATA + 128);
		CHECK_EQ(rd16(AVAIL + 4 + 2), 0);	/* avail ring[1] = head 0 */
	}
	gring_vq_publish(&vq);
	/* More than the chain's 32 writable bytes: the device is wrong. */
	device_use(0, 33);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), -EIO);
	gring_vq_query(&vq, &st);
	CHECK_EQ(st.stats.bad_used, 1);
	CHECK(st.broken);
	CHECK_EQ(st.inflight, 1);
	CHECK_EQ(st.device_descs, 3);
	CHECK_EQ(gring_vq_fini(&vq), -EBUSY);
	CHECK_EQ(gring_vq_add(&vq, &in2, 1, NULL, 0, &a), -EIO);
	/* Reset: take the chain back whatever the used ring says. */
	CHECK_EQ(gring_vq_detach(&vq, &tok), 1);
	CHECK(tok == &b);
	CHECK_EQ(gring_vq_detach(&vq, &tok), 0);
	CHECK_EQ(rd16(USED + 2), 0);
	CHECK_EQ(rd16(AVAIL + 2), 0);
	CHECK_EQ(gring_view_owner(&out), GRING_OWNER_CPU);
	CHECK_EQ(gring_vq_num_free(&vq), 8);
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

static void test_bad_used(void)
{
	struct gring_view b0 = view(DATA, 8), b1 = view(DATA + 8, 8);
	void *tok;
	u32 len;
	int a;

	TEST_GROUP("bad used elements are refused, queue broken");

	/* A head that was never handed out. */
	fixture_ev(false);
	CHECK_EQ(gring_vq_add(&vq, &b0, 1, NULL, 0, &a), 0);
	gring_vq_publish(&vq);
	device_use(5, 0);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), -EIO);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), -EIO);
	CHECK_EQ(vq.stats.bad_used, 1);
	CHECK_EQ(gring_view_owner(&b0), GRING_OWNER_GPU);	/* kept */
	while (gring_vq_detach(&vq, &tok) == 1)
		;
	CHECK_EQ(gring_vq_fini(&vq), 0);

	/* A used idx two ahead when one chain was published. */
	fixture_ev(false);
	CHECK_EQ(gring_vq_add(&vq, &b0, 1, NULL, 0, &a), 0);
	gring_vq_publish(&vq);
	device_use(0, 0);
	device_use(0, 0);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), -EIO);
	while (gring_vq_detach(&vq, &tok) == 1)
		;
	CHECK_EQ(gring_vq_fini(&vq), 0);

	/* An added but unpublished chain returned by the device. */
	fixture_ev(false);
	CHECK_EQ(gring_vq_add(&vq, &b0, 1, NULL, 0, &a), 0);
	gring_vq_publish(&vq);
	CHECK_EQ(gring_vq_add(&vq, &b1, 1, NULL, 0, &a), 0);
	device_use(1, 0);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), -EIO);
	while (gring_vq_detach(&vq, &tok) == 1)
		;
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

static void test_full(void)
{
	struct gring_view b[NUM + 1], two[2];
	int tokens[NUM];
	void *tok;
	u32 len;
	int i;

	TEST_GROUP("full queue: -ENOSPC, nothing changed");
	fixture_ev(false);
	for (i = 0; i <= NUM; i++)
		b[i] = view(DATA + 64 * i, 64);
	for (i = 0; i < NUM; i++)
		CHECK_EQ(gring_vq_add(&vq, &b[i], 1, NULL, 0, &tokens[i]), 0);
	CHECK_EQ(gring_vq_num_free(&vq), 0);
	CHECK_EQ(gring_vq_add(&vq, &b[NUM], 1, NULL, 0, &tokens[0]), -ENOSPC);
	CHECK_EQ(vq.stats.full, 1);
	CHECK_EQ(gring_view_owner(&b[NUM]), GRING_OWNER_CPU);
	gring_vq_publish(&vq);
	CHECK_EQ(rd16(AVAIL + 2), NUM);
	for (i = 0; i < NUM; i++)
		CHECK_EQ(rd16(AVAIL + 4 + 2 * i), i);

	/* One back (descriptor 3): a two-descriptor chain still does not fit. */
	device_use(3, 0);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 1);
	CHECK(tok == &tokens[3]);
	two[0] = b[3];
	two[1] = b[NUM];
	CHECK_EQ(gring_vq_add(&vq, two, 2, NULL, 0, &tokens[0]), -ENOSPC);
	CHECK_EQ(vq.stats.full, 2);
	CHECK_EQ(gring_vq_add(&vq, &b[NUM], 1, NULL, 0, &tokens[3]), 0);
	/* It took descriptor 3, the only free one; avail ring[8 % 8]. */
	CHECK_EQ(rd64(DESC + 16 * 3), BASE + DATA + 64 * NUM);
	gring_vq_publish(&vq);
	CHECK_EQ(rd16(AVAIL + 4), 3);
	CHECK_EQ(rd16(AVAIL + 2), NUM + 1);
	while (gring_vq_detach(&vq, &tok) == 1)
		;
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

/*
 * A device that reads only raw memory: takes the next avail entry,
 * follows its chain through the descriptor table, checks each descriptor
 * against what the test expects and returns it. Returns the chain length.
 */
static int device_consume(u16 *dev_avail, u64 expect_addr0, u32 *writable)
{
	u16 head = rd16(AVAIL + 4 + 2 * (*dev_avail % NUM)), d = head;
	int n = 0;

	*writable = 0;
	for (;;) {
		u16 fl = rd16(DESC + 16 * d + 12);

		if (n == 0 && rd64(DESC + 16 * d) != expect_addr0)
			return -1;
		if (fl & 2)
			*writable += rd32(DESC + 16 * d + 8);
		n++;
		if (!(fl & 1) || n > NUM)
			break;
		d = rd16(DESC + 16 * d + 14);
	}
	(*dev_avail)++;
	device_use(head, *writable);
	return n;
}

static void test_wrap(void)
{
	struct gring_view bufs[4];
	u16 dev_avail = 0;
	void *tok;
	u32 len, w;
	long i, bad = 0;
	int chain, k;

	TEST_GROUP("wrap: 70000 chains through the 16-bit indices");
	fixture_ev(true);
	for (k = 0; k < 4; k++)
		bufs[k] = view(DATA + 256 * k, 16 * (k + 1));
	for (i = 0; i < 70000; i++) {
		chain = 1 + i % 4;
		shim_log_reset();
		/* chain - 1 out buffers then one in buffer. */
		if (gring_vq_add(&vq, bufs, chain - 1, &bufs[chain - 1], 1,
				 (void *)(uintptr_t)(i + 1))) {
			bad++;
			break;
		}
		gring_vq_publish(&vq);
		if (rd16(AVAIL + 2) != (u16)(i + 1))
			bad++;
		if (device_consume(&dev_avail, chain > 1 ? BASE + DATA :
				   BASE + DATA + 256 * (chain - 1), &w) != chain)
			bad++;
		if (w != 16u * chain)
			bad++;
		if (gring_vq_get_used(&vq, &tok, &len) != 1 ||
		    tok != (void *)(uintptr_t)(i + 1) || len != w)
			bad++;
		/* Callbacks on, event idx: used_event follows the driver. */
		if (rd16(USED_EVENT) != (u16)(i + 1))
			bad++;
		if (gring_vq_num_free(&vq) != NUM)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(i, 70000);
	CHECK_EQ(rd16(AVAIL + 2), 70000 % 65536);
	CHECK_EQ(rd16(USED + 2), 70000 % 65536);
	CHECK_EQ(vq.stats.used, 70000);
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

/* Independent of the formula: is @event one of old, old+1, ..., new-1? */
static bool crossed(u16 event, u16 new_idx, u16 old_idx)
{
	u16 k;

	for (k = old_idx; k != new_idx; k++)
		if (k == event)
			return true;
	return false;
}

static void test_event_idx(void)
{
	struct gring_view b = view(DATA, 16), c = view(DATA + 16, 16);
	unsigned int o, d, e, bad = 0;
	void *tok;
	u32 len;
	int t;

	TEST_GROUP("event idx: need_event at the wrap, kick suppression");
	CHECK(gring_vq_need_event(0xffff, 0x0001, 0xfffe));
	CHECK(gring_vq_need_event(0x0000, 0x0001, 0xffff));
	CHECK(!gring_vq_need_event(0x0001, 0x0001, 0xffff));
	CHECK(!gring_vq_need_event(0xfffd, 0x0001, 0xfffe));
	CHECK(!gring_vq_need_event(0x0005, 0x0005, 0x0005));
	for (o = 0xff00; o < 0x10100; o += 7)
		for (d = 0; d < 20; d++)
			for (e = 0; e < 24; e++) {
				u16 old_idx = o, new_idx = o + d;
				u16 ev = o - 2 + e;

				if (gring_vq_need_event(ev, new_idx, old_idx) !=
				    crossed(ev, new_idx, old_idx))
					bad++;
			}
	CHECK_EQ(bad, 0);

	fixture_ev(true);
	/* Run the indices up to 0xfffe. */
	for (o = 0; o < 0xfffe; o++) {
		shim_log_reset();
		gring_vq_add(&vq, &b, 1, NULL, 0, &t);
		gring_vq_publish(&vq);
		device_use(0, 0);	/* a returned chain heads the free list */
		gring_vq_get_used(&vq, &tok, &len);
	}
	shim_log_reset();
	/* avail_event is still 0, which [0, 0xfffe) contains. */
	CHECK(gring_vq_kick_prepare(&vq));
	CHECK_EQ(vq.avail_pub, 0xfffe);
	CHECK_EQ(rd16(AVAIL + 2), 0xfffe);
	/* Nothing new since the last kick: no notify. */
	CHECK(!gring_vq_kick_prepare(&vq));

	/* Device asks to hear of avail idx 0xffff (i.e. entry 0xffff). */
	wr16(AVAIL_EVENT, 0xffff);
	CHECK_EQ(gring_vq_add(&vq, &b, 1, NULL, 0, &t), 0);
	gring_vq_publish(&vq);			/* 0xfffe -> 0xffff */
	CHECK(!gring_vq_kick_prepare(&vq));	/* 0xffff not in [fffe, ffff) */
	CHECK_EQ(gring_vq_add(&vq, &c, 1, NULL, 0, &t), 0);
	gring_vq_publish(&vq);			/* 0xffff -> 0x0000 */
	CHECK(gring_vq_kick_prepare(&vq));
	CHECK_EQ(rd16(AVAIL + 2), 0);
	CHECK_EQ(vq.stats.notified, 2);
	/* Two chains published, one kick, event behind: suppressed. */
	device_use(0, 0);			/* b took descriptor 0, c 1 */
	device_use(1, 0);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 1);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 1);
	CHECK_EQ(rd16(USED_EVENT), 0);
	CHECK_EQ(gring_vq_add(&vq, &b, 1, NULL, 0, &t), 0);
	CHECK_EQ(gring_vq_add(&vq, &c, 1, NULL, 0, &t), 0);
	gring_vq_publish(&vq);			/* 0 -> 2 in one store */
	CHECK_EQ(rd16(AVAIL + 2), 2);
	CHECK(!gring_vq_kick_prepare(&vq));	/* event 0xffff not in [0, 2) */
	CHECK_EQ(vq.stats.suppressed, 2);
	/* The flags must stay 0 with event idx (spec 2.7.7.2). */
	gring_vq_disable_cb(&vq);
	CHECK_EQ(rd16(AVAIL), 0);
	CHECK_EQ(rd16(USED_EVENT), 0xffff);	/* last_used - 1 */
	device_use(0, 0);
	/* Came back while disabled: enable says "drain first". */
	CHECK(!gring_vq_enable_cb(&vq));
	CHECK_EQ(rd16(USED_EVENT), 0);
	while (gring_vq_detach(&vq, &tok) == 1)
		;
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

static void test_no_event_idx(void)
{
	struct gring_view b = view(DATA, 16);
	void *tok;
	u32 len;
	int t;

	TEST_GROUP("no event idx: the flags words");
	fixture_ev(false);
	CHECK_EQ(gring_vq_add(&vq, &b, 1, NULL, 0, &t), 0);
	gring_vq_publish(&vq);
	wr16(USED, 1);				/* VRING_USED_F_NO_NOTIFY */
	CHECK(!gring_vq_kick_prepare(&vq));
	device_use(0, 0);
	CHECK_EQ(gring_vq_get_used(&vq, &tok, &len), 1);
	CHECK_EQ(gring_vq_add(&vq, &b, 1, NULL, 0, &t), 0);
	gring_vq_publish(&vq);
	wr16(USED, 0);
	CHECK(gring_vq_kick_prepare(&vq));
	CHECK(!gring_vq_kick_prepare(&vq));	/* nothing new */
	gring_vq_disable_cb(&vq);
	CHECK_EQ(rd16(AVAIL), 1);		/* VRING_AVAIL_F_NO_INTERRUPT */
	CHECK_EQ(rd16(USED_EVENT), 0);		/* untouched without event idx */
	CHECK(gring_vq_enable_cb(&vq));		/* nothing pending */
	CHECK_EQ(rd16(AVAIL), 0);
	while (gring_vq_detach(&vq, &tok) == 1)
		;
	CHECK_EQ(gring_vq_fini(&vq), 0);
}

static void test_barrier_order(void)
{
	struct gring_view b = view(DATA, 16), c = view(DATA + 64, 16);
	int give_desc, ring0, ring1, wmb, idx, mb_, ev, rused, rmb, relem, back;
	void *tok;
	u32 len;
	int t;

	TEST_GROUP("barrier order: publish, kick, get_used");
	fixture_ev(true);
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
	test_layout();
	test_add_and_reclaim();
	test_bad_used();
	test_full();
	test_wrap();
	test_event_idx();
	test_no_event_idx();
	test_barrier_order();
	return test_result("test_vq");
}
