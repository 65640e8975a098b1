// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite gring_core_ring: the linear command ring's pointer math,
 * wrap, full and empty, padding, ownership of the free and pending parts,
 * bad device read pointers, reset, and a long run against a
 * byte-occupancy model of the ring written independently here.
 *
 * Fixture: an 8 KiB coherent buffer of a KUnit device; the ring is its
 * first 256 bytes (32 slots of 8), the writeback is at 4096. The test
 * plays the device by writing the writeback's read pointer in memory.
 * The barrier order (data, dma_wmb, publish; read, dma_rmb, data) is
 * kernel/tests/test_ring.c's, on the host, where it can be observed.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/string.h>

#include "gring_core_test.h"
#include "gring_ring.h"

#define SIZE		8192
#define RING		256
#define WB		4096
#define NOP		0x4e4f5021u

struct ring_fix {
	struct gring_coherent *buf;
	u8 *mem;
	struct gring_ring ring;
	struct gring_lease l[32];	/* the commands' (off the stack) */
};

static void ring_fix_fini(void *data)
{
	struct ring_fix *f = data;

	/* After a case that stopped halfway: only the bookkeeping. */
	gring_ring_abandon(&f->ring);
}

static struct ring_fix *ring_fixture(struct kunit *test)
{
	struct gring_view rv, wv;
	struct ring_fix *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->buf = gring_test_buf(test, SIZE, "ring-test");
	f->mem = f->buf->vaddr;
	memset(f->mem + WB, 0xff, 16);	/* init must zero the writeback */
	rv = gring_test_view(test, f->buf, 0, RING);
	wv = gring_test_view(test, f->buf, WB, 64);
	KUNIT_ASSERT_EQ(test, gring_ring_init(&f->ring, &rv, &wv, NOP, "ring"), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ring_fix_fini, f), 0);
	return f;
}

/* The device reports how far it has read. */
static void device_rptr(struct ring_fix *f, u32 rptr)
{
	WRITE_ONCE(*(u32 *)(f->mem + WB), rptr);
}

/* Reserve, fill with @tag, commit: the ring offset used, or an errno. */
static long submit(struct ring_fix *f, u32 len, u32 tag,
		   struct gring_lease *lease)
{
	struct gring_ring_reservation res;
	u32 *p, i;
	int err;

	err = gring_ring_reserve(&f->ring, len, &res);
	if (err)
		return err;
	p = gring_view_cpu_ptr(&res.view);
	if (IS_ERR(p))
		return PTR_ERR(p);
	for (i = 0; i < len / 4; i++)
		p[i] = tag;
	err = gring_ring_commit(&f->ring, &res, lease);
	return err ? err : (long)res.view.offset;
}

static bool words_are(struct ring_fix *f, size_t offset, size_t len, u32 word)
{
	size_t i;

	for (i = 0; i < len; i += 4)
		if (*(u32 *)(f->mem + offset + i) != word)
			return false;
	return true;
}

static bool region_is(const struct gring_ring_region *r, u32 offset, u32 size,
		      enum gring_owner owner)
{
	return r->offset == offset && r->size == size && r->owner == owner;
}

static void ring_init(struct kunit *test)
{
	struct ring_fix *f = ring_fixture(test);
	struct gring_view rv, wv, small;
	struct gring_lease l = {};
	struct gring_ring r;

	KUNIT_EXPECT_TRUE(test, words_are(f, WB, 16, 0));
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->ring.wb), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&f->ring.wb), f->buf->dma_handle + 0x1000);
	KUNIT_EXPECT_EQ(test, f->ring.wb.size, 16);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->ring.ring), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_ring_max_reserve(&f->ring), 128);

	wv = gring_test_view(test, f->buf, 2048, 16);
	rv = gring_test_view(test, f->buf, 1024, 12);
	KUNIT_EXPECT_EQ(test, gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = gring_test_view(test, f->buf, 1024, 8);
	KUNIT_EXPECT_EQ(test, gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = gring_test_view(test, f->buf, 1028, 64);
	KUNIT_EXPECT_EQ(test, gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = gring_test_view(test, f->buf, 1024, 1040);	/* overlaps the writeback */
	KUNIT_EXPECT_EQ(test, gring_ring_init(&r, &rv, &wv, NOP, "r"), -EINVAL);
	rv = gring_test_view(test, f->buf, 1024, 64);
	small = gring_test_view(test, f->buf, 2048, 8);
	KUNIT_EXPECT_EQ(test, gring_ring_init(&r, &rv, &small, NOP, "r"), -EINVAL);
	small = gring_test_view(test, f->buf, 2052, 16);	/* misaligned */
	KUNIT_EXPECT_EQ(test, gring_ring_init(&r, &rv, &small, NOP, "r"), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_lease_give(&rv, &l), 0);
	KUNIT_EXPECT_EQ(test, gring_ring_init(&r, &rv, &wv, NOP, "r"), -EBUSY);
	KUNIT_EXPECT_EQ(test, gring_lease_take(&l), 0);
	KUNIT_ASSERT_EQ(test, gring_ring_init(&r, &rv, &wv, NOP, "r"), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&wv), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&r), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&wv), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&f->ring), 0);
}

static void empty_and_full(struct kunit *test)
{
	struct ring_fix *f = ring_fixture(test);
	struct gring_lease *l = f->l, *done;
	struct gring_ring_reservation res;
	struct gring_ring_state st;
	struct gring_view v[2];
	int i;

	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 0, v), 0);
	gring_ring_query(&f->ring, &st);
	KUNIT_EXPECT_TRUE(test, st.wptr == 0 && st.tail == 0 && st.pending == 0);
	KUNIT_EXPECT_EQ(test, st.nr_regions, 1);
	KUNIT_EXPECT_TRUE(test, region_is(&st.regions[0], 0, 256, GRING_OWNER_CPU));
	KUNIT_EXPECT_EQ(test, st.free, 248);

	KUNIT_EXPECT_EQ(test, gring_ring_reserve(&f->ring, 0, &res), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_ring_reserve(&f->ring, 12, &res), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_ring_reserve(&f->ring, 136, &res), -E2BIG);

	/* 15 commands of 16 bytes: 240 of 256 bytes. */
	for (i = 0; i < 15; i++)
		KUNIT_EXPECT_EQ(test, submit(f, 16, i + 1, &l[i]), i * 16);
	/* 8 bytes left, which are the empty slot: 16 does not fit... */
	KUNIT_EXPECT_EQ(test, gring_ring_reserve(&f->ring, 16, &res), -EAGAIN);
	/* ...8 does, at 240, leaving exactly one slot. */
	KUNIT_EXPECT_EQ(test, submit(f, 8, 16, &l[15]), 240);
	KUNIT_EXPECT_EQ(test, gring_ring_wptr(&f->ring), 248);
	/* Full: wptr == tail would look empty, so nothing more fits. */
	KUNIT_EXPECT_EQ(test, gring_ring_reserve(&f->ring, 8, &res), -EAGAIN);

	gring_ring_query(&f->ring, &st);
	KUNIT_EXPECT_TRUE(test, st.wptr == 248 && st.tail == 0);
	KUNIT_EXPECT_EQ(test, st.pending, 248);
	KUNIT_EXPECT_EQ(test, st.free, 0);
	KUNIT_EXPECT_EQ(test, st.stats.full, 2);
	KUNIT_EXPECT_EQ(test, st.stats.commits, 16);
	/* The device sees 248 bytes to do, not 0. */
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 0, v), 1);
	KUNIT_EXPECT_TRUE(test, v[0].offset == 0 && v[0].size == 248);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&v[0]), GRING_OWNER_GPU);

	/* The device has read everything: all 16 come back, in order. */
	device_rptr(f, 248);
	for (i = 0; i < 16; i++) {
		done = NULL;
		KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
		KUNIT_EXPECT_PTR_EQ(test, done, &l[i]);
	}
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 0);
	gring_ring_query(&f->ring, &st);
	KUNIT_EXPECT_TRUE(test, st.wptr == 248 && st.tail == 248 && st.pending == 0);
	KUNIT_EXPECT_EQ(test, st.rptr, 248);
	KUNIT_EXPECT_EQ(test, st.free, 248);
	KUNIT_EXPECT_EQ(test, st.stats.retired, 16);
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 248, v), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->ring.ring), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&f->ring), 0);
}

static void wrap_and_pad(struct kunit *test)
{
	struct ring_fix *f = ring_fixture(test);
	struct gring_lease *l = f->l, *done;
	struct gring_ring_reservation res;
	dma_addr_t base = f->buf->dma_handle;
	struct gring_ring_state st;
	struct gring_view v[2], pad;
	int i;

	/* Bring both pointers to 192: three commands of 64, all read. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, submit(f, 64, 0x100 + i, &l[i]), i * 64);
	device_rptr(f, 192);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);

	/* 64 bytes end exactly at 256: no padding, wptr wraps to 0. */
	KUNIT_EXPECT_EQ(test, submit(f, 64, 0x200, &l[3]), 192);
	KUNIT_EXPECT_EQ(test, gring_ring_wptr(&f->ring), 0);
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 192, v), 1);
	KUNIT_EXPECT_TRUE(test, v[0].offset == 192 && v[0].size == 64);
	device_rptr(f, 0);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_PTR_EQ(test, done, &l[3]);

	/* Now 0/0. Two of 64, the first read: tail 64, wptr 128. */
	KUNIT_EXPECT_EQ(test, submit(f, 64, 0x300, &l[4]), 0);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 0x301, &l[5]), 64);
	device_rptr(f, 64);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);

	/* 120 bytes: 128 + 120 = 248, fits before the end. */
	KUNIT_EXPECT_EQ(test, submit(f, 120, 0x302, &l[6]), 128);
	/* 64 bytes need padding and would end past tail - one slot. */
	KUNIT_EXPECT_EQ(test, gring_ring_reserve(&f->ring, 64, &res), -EAGAIN);
	/* 56 bytes: 8 left at the end; pad them, put it at 0..56, tail 64. */
	KUNIT_EXPECT_EQ(test, submit(f, 56, 0x303, &l[7]), 0);
	KUNIT_EXPECT_EQ(test, gring_ring_wptr(&f->ring), 56);
	KUNIT_EXPECT_TRUE(test, words_are(f, 248, 8, NOP));
	KUNIT_EXPECT_TRUE(test, words_are(f, 0, 56, 0x303));
	pad = gring_test_view(test, f->buf, 248, 8);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&pad), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_view_write(&pad, 0, "x", 1), -EBUSY);

	gring_ring_query(&f->ring, &st);
	KUNIT_EXPECT_EQ(test, st.stats.pad_bytes, 8);
	KUNIT_EXPECT_EQ(test, st.stats.wraps, 2);
	KUNIT_EXPECT_EQ(test, st.pending, 64 + 120 + 8 + 56);
	KUNIT_EXPECT_EQ(test, st.free, 0);
	/* Cut at wptr 56 and tail 64; the owners are the leases'. */
	KUNIT_EXPECT_EQ(test, st.nr_regions, 3);
	KUNIT_EXPECT_TRUE(test, region_is(&st.regions[0], 0, 56, GRING_OWNER_GPU));
	KUNIT_EXPECT_TRUE(test, region_is(&st.regions[1], 56, 8, GRING_OWNER_CPU));
	KUNIT_EXPECT_TRUE(test, region_is(&st.regions[2], 64, 192, GRING_OWNER_GPU));

	/* Two views, computed once: [64, 256) then [0, 56). */
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 64, v), 2);
	KUNIT_EXPECT_TRUE(test, v[0].offset == 64 && v[0].size == 192);
	KUNIT_EXPECT_TRUE(test, v[1].offset == 0 && v[1].size == 56);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&v[0]), base + 0x40);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&v[1]), base);
	/* From the middle: [128, 256) then [0, 56). */
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 128, v), 2);
	KUNIT_EXPECT_TRUE(test, v[0].offset == 128 && v[0].size == 128);
	/* After the end, before the wrapped command: one view. */
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 0, v), 1);
	KUNIT_EXPECT_TRUE(test, v[0].offset == 0 && v[0].size == 56);

	/* Read up to 0: 0x301 and 0x302 come back, the padding silently. */
	device_rptr(f, 0);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_PTR_EQ(test, done, &l[5]);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_PTR_EQ(test, done, &l[6]);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&pad), GRING_OWNER_CPU);
	gring_ring_query(&f->ring, &st);
	KUNIT_EXPECT_EQ(test, st.tail, 0);
	/* Only [0, 56) is pending: it and the rest of the ring. */
	KUNIT_EXPECT_EQ(test, st.nr_regions, 2);
	KUNIT_EXPECT_TRUE(test, region_is(&st.regions[0], 0, 56, GRING_OWNER_GPU));
	KUNIT_EXPECT_TRUE(test, region_is(&st.regions[1], 56, 200, GRING_OWNER_CPU));
	KUNIT_EXPECT_EQ(test, st.stats.retired, 3 + 1 + 1 + 3);
	device_rptr(f, 56);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_PTR_EQ(test, done, &l[7]);
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&f->ring), 0);
}

static void overwrite_in_flight(struct kunit *test)
{
	struct ring_fix *f = ring_fixture(test);
	struct gring_lease *l = f->l, *done;
	struct gring_ring_reservation res;
	struct gring_view pending;
	u8 before[8];
	int i;

	/* tail 128, wptr 64, pending [128, 256) + [0, 64). */
	KUNIT_EXPECT_EQ(test, submit(f, 64, 1, &l[0]), 0);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 2, &l[1]), 64);
	device_rptr(f, 128);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 3, &l[2]), 128);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 4, &l[3]), 192);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 5, &l[4]), 0);

	/* Free is [64, 120): a reservation of 56 ends at 120. */
	KUNIT_EXPECT_EQ(test, gring_ring_reserve(&f->ring, 64, &res), -EAGAIN);
	KUNIT_ASSERT_EQ(test, gring_ring_reserve(&f->ring, 56, &res), 0);
	KUNIT_EXPECT_TRUE(test, res.view.offset == 64 && res.view.size == 56);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&res.view), GRING_OWNER_CPU);
	/* Writing as if [wptr, end) were free is refused, not truncated. */
	memcpy(before, f->mem + 120, 8);
	KUNIT_EXPECT_EQ(test, gring_view_write(&res.view, 0, f->mem + 1024, 64), -ERANGE);
	KUNIT_EXPECT_EQ(test, gring_view_write(&res.view, 56, "12345678", 8), -ERANGE);
	KUNIT_EXPECT_MEMEQ(test, before, f->mem + 120, 8);
	/* And the pending bytes cannot be reached through any other view. */
	pending = gring_test_view(test, f->buf, 128, 8);
	KUNIT_EXPECT_EQ(test, gring_view_write(&pending, 0, "12345678", 8), -EBUSY);
	KUNIT_EXPECT_TRUE(test, IS_ERR(gring_view_cpu_ptr(&pending)));
	KUNIT_EXPECT_TRUE(test, words_are(f, 128, 64, 3));
	/* A commit of a lease already in flight changes nothing. */
	KUNIT_EXPECT_EQ(test, gring_ring_commit(&f->ring, &res, &l[4]), -EALREADY);
	KUNIT_EXPECT_EQ(test, gring_ring_wptr(&f->ring), 64);
	KUNIT_EXPECT_EQ(test, gring_ring_commit(&f->ring, &res, &l[5]), 0);
	KUNIT_EXPECT_EQ(test, gring_ring_wptr(&f->ring), 120);

	/* Everything read: four commands come back, the ring is idle. */
	device_rptr(f, 120);
	for (i = 2; i < 6; i++) {
		KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
		KUNIT_EXPECT_PTR_EQ(test, done, &l[i]);
	}
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&f->ring), 0);
}

static void bad_rptr(struct kunit *test)
{
	struct ring_fix *f = ring_fixture(test);
	struct gring_lease *l = f->l, *done = NULL;
	struct gring_ring_state st;
	struct gring_view v[2];

	KUNIT_EXPECT_EQ(test, submit(f, 32, 1, &l[0]), 0);
	KUNIT_EXPECT_EQ(test, submit(f, 32, 2, &l[1]), 32);

	device_rptr(f, 72);	/* past wptr */
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), -EIO);
	device_rptr(f, 12);	/* misaligned */
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), -EIO);
	device_rptr(f, 256);	/* not in the ring */
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), -EIO);
	KUNIT_EXPECT_NULL(test, done);
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 72, v), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_ring_pending(&f->ring, 4, v), -EINVAL);
	gring_ring_query(&f->ring, &st);
	KUNIT_EXPECT_EQ(test, st.stats.bad_rptr, 3);
	KUNIT_EXPECT_EQ(test, st.stats.retired, 0);
	KUNIT_EXPECT_EQ(test, st.pending, 64);

	/* Partway into a command retires nothing of it. */
	device_rptr(f, 40);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_PTR_EQ(test, done, &l[0]);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 0);
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&f->ring), -EBUSY);
	device_rptr(f, 64);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_PTR_EQ(test, done, &l[1]);
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&f->ring), 0);
}

static void reset(struct kunit *test)
{
	struct ring_fix *f = ring_fixture(test);
	struct gring_lease *l = f->l, *done;
	struct gring_ring_state st;
	int i;

	KUNIT_EXPECT_EQ(test, submit(f, 64, 1, &l[0]), 0);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 2, &l[1]), 64);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 3, &l[2]), 128);
	device_rptr(f, 128);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	/* Wrap with padding so a pad lease is in flight too. */
	KUNIT_EXPECT_EQ(test, submit(f, 72, 4, &l[3]), 0);
	*(u64 *)(f->mem + WB + 8) = 41;	/* the device's last seqno */

	for (i = 2; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, gring_ring_reset(&f->ring, &done), 1);
		KUNIT_EXPECT_PTR_EQ(test, done, &l[i]);
	}
	KUNIT_EXPECT_EQ(test, gring_ring_reset(&f->ring, &done), 0);
	gring_ring_query(&f->ring, &st);
	KUNIT_EXPECT_TRUE(test, st.wptr == 0 && st.tail == 0 && st.rptr == 0);
	KUNIT_EXPECT_EQ(test, st.seqno, 41);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->ring.ring), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->ring.wb), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, submit(f, 64, 5, &l[0]), 0);
	device_rptr(f, 64);
	KUNIT_EXPECT_EQ(test, gring_ring_retire(&f->ring, &done), 1);
	KUNIT_EXPECT_EQ(test, gring_ring_fini(&f->ring), 0);
}

/*
 * The long run. The test keeps its own picture of the ring: which bytes
 * are busy (committed commands and padding not yet retired), where the
 * next command goes, and the rule "the next command goes at wptr if it
 * fits before the end, else at 0 after padding; it is accepted iff those
 * bytes are free and the byte after it stays free". The ring must accept
 * and place exactly as that picture says, and a device walking the
 * pending views must find the commands in order, each whole in one view.
 * The ownership layer's map of device-owned bytes must be the picture's.
 */
struct model_cmd {
	u32 offset, len, tag;
	bool pad;
};

#define MODEL_MAX	64
#define MODEL_STEPS	20000

struct model {
	struct ring_fix *f;
	struct model_cmd fifo[MODEL_MAX];
	int head, n, dev;	/* dev: the next entry the device expects */
	u32 wptr, rptr;
	u8 busy[RING];
	u8 owned[RING];
	struct gring_range ranges[MODEL_MAX + 2];
	struct gring_lease lease[MODEL_MAX];
	u32 seed;
};

static u32 model_rand(struct model *m, u32 below)
{
	m->seed = m->seed * 1103515245u + 12345u;
	return (m->seed >> 16) % below;
}

static void model_push(struct kunit *test, struct model *m, u32 offset,
		       u32 len, u32 tag, bool pad)
{
	struct model_cmd *c = &m->fifo[(m->head + m->n) % MODEL_MAX];

	KUNIT_ASSERT_LT(test, m->n, MODEL_MAX);
	c->offset = offset;
	c->len = len;
	c->tag = tag;
	c->pad = pad;
	memset(m->busy + offset, 1, len);
	m->n++;
}

static void model_submit(struct kunit *test, struct model *m, u32 tag)
{
	u32 len = 8 * (1 + model_rand(m, 16));	/* 8..128 */
	u32 start, pad, new_w, i;
	u8 busy[RING];
	bool ok = true;
	long got;

	if (m->wptr + len <= RING) {
		start = m->wptr;
		pad = 0;
	} else {
		start = 0;
		pad = RING - m->wptr;
	}
	new_w = (start + len) % RING;
	/* Padding and command on a copy: no byte twice, one free after. */
	memcpy(busy, m->busy, RING);
	for (i = 0; i < pad; i++)
		ok &= !busy[m->wptr + i]++;
	for (i = 0; i < len; i++)
		ok &= !busy[start + i]++;
	ok &= !busy[new_w];

	got = submit(m->f, len, tag, &m->lease[tag % MODEL_MAX]);
	if (!ok) {
		KUNIT_ASSERT_EQ(test, got, -EAGAIN);
		return;
	}
	KUNIT_ASSERT_EQ(test, got, start);
	if (pad)
		model_push(test, m, m->wptr, pad, 0, true);
	model_push(test, m, start, len, tag, false);
	m->wptr = new_w;
}

/* The device runs up to @count commands, as a device would: by handle. */
static void model_device(struct kunit *test, struct model *m, int count)
{
	dma_addr_t base = m->f->buf->dma_handle;
	struct gring_view v[2];
	int n, i, done = 0;
	struct model_cmd *c;
	u32 p, end, word;

	n = gring_ring_pending(&m->f->ring, m->rptr, v);
	KUNIT_ASSERT_TRUE(test, n >= 0 && n <= 2);
	for (i = 0; i < n && done < count; i++) {
		p = gring_view_dma_handle(&v[i]) - base;
		end = p + v[i].size;
		while (p < end && done < count) {
			word = *(u32 *)(m->f->mem + p);
			if (word == NOP) {
				p += 4;
				continue;
			}
			/* The next real command, whole, in this view. */
			while (m->fifo[m->dev].pad)
				m->dev = (m->dev + 1) % MODEL_MAX;
			c = &m->fifo[m->dev];
			m->dev = (m->dev + 1) % MODEL_MAX;
			KUNIT_ASSERT_EQ(test, word, c->tag);
			KUNIT_ASSERT_EQ(test, p, c->offset);
			KUNIT_ASSERT_LE(test, p + c->len, end);
			p += c->len;
			done++;
		}
		m->rptr = p % RING;
	}
	device_rptr(m->f, m->rptr);
}

/* The CPU retires what the device passed: leases in commit order. */
static void model_retire(struct kunit *test, struct model *m)
{
	u32 consumed = (m->rptr + RING -
			(m->n ? m->fifo[m->head].offset : m->rptr)) % RING;
	struct gring_lease *done;
	struct model_cmd *c;

	while (m->n && m->fifo[m->head].len <= consumed) {
		c = &m->fifo[m->head];
		if (!c->pad) {
			done = NULL;
			KUNIT_ASSERT_EQ(test, gring_ring_retire(&m->f->ring, &done), 1);
			KUNIT_ASSERT_PTR_EQ(test, done, &m->lease[c->tag % MODEL_MAX]);
		}
		memset(m->busy + c->offset, 0, c->len);
		consumed -= c->len;
		m->head = (m->head + 1) % MODEL_MAX;
		m->n--;
	}
	KUNIT_ASSERT_EQ(test, gring_ring_retire(&m->f->ring, &done), 0);
}

/* The device-owned bytes of the ring, as the ownership layer has them. */
static void model_owned(struct kunit *test, struct model *m)
{
	size_t n, i;

	n = gring_coherent_gpu_ranges(m->f->buf, m->ranges, ARRAY_SIZE(m->ranges));
	KUNIT_ASSERT_LE(test, n, ARRAY_SIZE(m->ranges));
	memset(m->owned, 0, RING);
	for (i = 0; i < n; i++) {
		if (m->ranges[i].offset >= RING)
			continue;	/* the writeback */
		KUNIT_ASSERT_LE(test, m->ranges[i].offset + m->ranges[i].size, RING);
		memset(m->owned + m->ranges[i].offset, 1, m->ranges[i].size);
	}
}

static void model_run(struct kunit *test)
{
	struct gring_ring_state st;
	u32 tag, pending;
	struct model *m;
	int i, j;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->f = ring_fixture(test);
	m->seed = 2026;

	for (i = 0, tag = 1; i < MODEL_STEPS; i++) {
		if (model_rand(m, 3)) {
			model_submit(test, m, tag++);
		} else {
			model_device(test, m, 1 + model_rand(m, 4));
			model_retire(test, m);
		}
		gring_ring_query(&m->f->ring, &st);
		KUNIT_ASSERT_EQ(test, st.wptr, m->wptr);
		for (j = 0, pending = 0; j < RING; j++)
			pending += m->busy[j];
		KUNIT_ASSERT_EQ(test, st.pending, pending);
		/* Busy bytes are the device's, free ones the CPU's. */
		model_owned(test, m);
		KUNIT_ASSERT_MEMEQ(test, m->owned, m->busy, RING);
	}
	KUNIT_EXPECT_GT(test, st.stats.wraps, 100);
	KUNIT_EXPECT_GT(test, st.stats.full, 100);
	KUNIT_EXPECT_GT(test, st.stats.pad_bytes, 0);
	kunit_info(test, "%llu commits, %llu wraps, %llu pad bytes, %llu full\n",
		   st.stats.commits, st.stats.wraps, st.stats.pad_bytes,
		   st.stats.full);
}

static struct kunit_case gring_core_ring_cases[] = {
	GRING_KUNIT_CASE(ring_init, "init"),
	GRING_KUNIT_CASE(empty_and_full, "empty-and-full"),
	GRING_KUNIT_CASE(wrap_and_pad, "wrap-and-pad"),
	GRING_KUNIT_CASE(overwrite_in_flight, "overwrite-in-flight"),
	GRING_KUNIT_CASE(bad_rptr, "bad-rptr"),
	GRING_KUNIT_CASE(reset, "reset"),
	GRING_KUNIT_CASE(model_run, "occupancy-model"),
	{}
};

static struct kunit_suite gring_core_ring_suite = {
	.name = "gring_core_ring",
	.test_cases = gring_core_ring_cases,
};

kunit_test_suite(gring_core_ring_suite);
