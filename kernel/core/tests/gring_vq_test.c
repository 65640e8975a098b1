// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite gring_core_vq: the split virtqueue's layout, descriptors,
 * free list, 16-bit wrap, full queue, event-idx suppression, ownership of
 * descriptors and buffers, and bad device answers.
 *
 * Every expected value is computed here by hand from the virtio 1.x
 * layout (desc 16 bytes, avail: flags, idx, ring[num], used_event; used:
 * flags, idx, ring[num] of {id, len}, avail_event), and a small "device"
 * below reads and writes the raw bytes as QEMU would, without calling
 * the code under test.
 *
 * Fixture: a 16 KiB coherent buffer of a KUnit device; an 8-entry queue
 * at offset 0 (desc 0..127, avail 128..149, used 152..223); data buffers
 * from 4096. The barrier order (avail entries, dma_wmb, idx; mb before
 * the suppression read) is kernel/tests/test_vq.c's, on the host.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "gring_core_test.h"
#include "gring_vq.h"

#define SIZE		16384
#define NUM		8
#define DESC		0
#define AVAIL		128
#define USED		152
#define AREA		224
#define USED_EVENT	(AVAIL + 4 + 2 * NUM)	/* 148 */
#define AVAIL_EVENT	(USED + 4 + 8 * NUM)	/* 220 */
#define DATA		4096

struct vq_fix {
	struct gring_coherent *buf;
	u8 *mem;
	dma_addr_t base;
	struct gring_vq vq;
};

static void vq_fix_fini(void *data)
{
	struct vq_fix *f = data;

	/* 0 after gring_vq_fini(); else a case that stopped halfway. */
	kfree(f->vq.slots);
}

static struct vq_fix *vq_fixture(struct kunit *test, bool event_idx)
{
	struct gring_vq_views v;
	struct gring_view area;
	struct vq_fix *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->buf = gring_test_buf(test, SIZE, "vq-test");
	f->mem = f->buf->vaddr;
	f->base = f->buf->dma_handle;
	memset(f->mem, 0xa5, SIZE);	/* init must zero the three areas */
	area = gring_test_view(test, f->buf, 0, AREA);
	KUNIT_ASSERT_EQ(test, gring_vq_carve(&area, NUM, &v), 0);
	KUNIT_ASSERT_EQ(test, gring_vq_init(&f->vq, &v, NUM, event_idx, "vq"), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vq_fix_fini, f), 0);
	return f;
}

/* The device's view of the memory: little-endian fields at offsets. */
static u16 rd16(struct vq_fix *f, size_t off)
{
	return get_unaligned_le16(f->mem + off);
}

static u32 rd32(struct vq_fix *f, size_t off)
{
	return get_unaligned_le32(f->mem + off);
}

static u64 rd64(struct vq_fix *f, size_t off)
{
	return get_unaligned_le64(f->mem + off);
}

static void wr16(struct vq_fix *f, size_t off, u16 v)
{
	put_unaligned_le16(v, f->mem + off);
}

static void wr32(struct vq_fix *f, size_t off, u32 v)
{
	put_unaligned_le32(v, f->mem + off);
}

/* The device returns chain @id: its own used idx, kept in the used ring. */
static void device_use(struct vq_fix *f, u32 id, u32 len)
{
	u16 idx = rd16(f, USED + 2);

	wr32(f, USED + 4 + 8 * (idx % NUM), id);
	wr32(f, USED + 4 + 8 * (idx % NUM) + 4, len);
	wr16(f, USED + 2, idx + 1);
}

/* After a device reset: every chain back, the used ring the CPU's. */
static void vq_reset_fini(struct kunit *test, struct vq_fix *f)
{
	void *tok;

	while (gring_vq_detach(&f->vq, &tok) == 1)
		;
	KUNIT_EXPECT_EQ(test, gring_vq_fini(&f->vq), 0);
}

static void layout(struct kunit *test)
{
	struct vq_fix *f = vq_fixture(test, false);
	struct gring_view area, a, b;
	struct gring_vq_views v;
	struct gring_vq q;
	size_t i;

	KUNIT_EXPECT_EQ(test, gring_vq_area_size(8), 224);
	/* 256: desc 4096, avail 518 -> 4614, used at 4616, 2056 bytes. */
	KUNIT_EXPECT_EQ(test, gring_vq_area_size(256), 6672);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&f->vq.views.desc), f->base + DESC);
	KUNIT_EXPECT_EQ(test, f->vq.views.desc.size, 128);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&f->vq.views.avail), f->base + AVAIL);
	KUNIT_EXPECT_EQ(test, f->vq.views.avail.size, 22);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&f->vq.views.used), f->base + USED);
	KUNIT_EXPECT_EQ(test, f->vq.views.used.size, 72);
	for (i = 0; i < AREA; i++)
		if (f->mem[i] != (i == 150 || i == 151 ? 0xa5 : 0))
			break;
	KUNIT_EXPECT_EQ(test, i, AREA);	/* the two-byte gap before used is no area's */
	KUNIT_EXPECT_EQ(test, f->mem[AREA], 0xa5);	/* nothing past the area touched */
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->vq.views.used), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->vq.views.avail), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->vq.views.desc), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_vq_num_free(&f->vq), 8);

	/* The descriptor table must sit on 16 bytes. */
	area = gring_test_view(test, f->buf, 8, AREA);
	KUNIT_EXPECT_EQ(test, gring_vq_carve(&area, NUM, &v), -EINVAL);
	area = gring_test_view(test, f->buf, 4096, AREA - 1);
	KUNIT_EXPECT_EQ(test, gring_vq_carve(&area, NUM, &v), -ERANGE);

	area = gring_test_view(test, f->buf, 4096, AREA);
	KUNIT_ASSERT_EQ(test, gring_vq_carve(&area, NUM, &v), 0);
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, 6, false, "q"), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, 0, false, "q"), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, 16, false, "q"), -EINVAL);
	a = v.used;
	v.used = gring_test_view(test, f->buf, 4096 + 152, 70);	/* the spec's 6 + 8 * 8 */
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.used = gring_test_view(test, f->buf, 4096 + 154, 72);	/* 2-aligned only */
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.used = gring_test_view(test, f->buf, 4096 + 120, 72);	/* overlaps desc */
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.used = a;
	b = v.avail;
	v.avail = gring_test_view(test, f->buf, 4096 + 129, 22);	/* odd */
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, NUM, false, "q"), -EINVAL);
	v.avail = b;
	/* The fixture's queue owns its used ring: a second queue on it is refused. */
	v.used = f->vq.views.used;
	KUNIT_EXPECT_EQ(test, gring_vq_init(&q, &v, NUM, false, "q"), -EBUSY);
	v.used = a;
	KUNIT_ASSERT_EQ(test, gring_vq_init(&q, &v, NUM, false, "q"), 0);
	KUNIT_EXPECT_EQ(test, gring_view_dma_handle(&q.views.used), f->base + 4096 + USED);
	KUNIT_EXPECT_EQ(test, gring_vq_fini(&q), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&a), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_vq_fini(&f->vq), 0);
}

/* After add-and-reclaim's first chain: three descriptors, then a bad answer. */
static noinline_for_stack void
chain_of_three(struct kunit *test, struct vq_fix *f, struct gring_view out,
	       struct gring_view in, struct gring_view in2)
{
	struct gring_vq_state st;
	struct gring_view o[2];
	void *tok = NULL;
	u32 len = 0;
	int a = 1, b = 2;

	/*
	 * The chain went back to the front of the free list: 0 -> 1 -> 2.
	 * A three-buffer chain now takes descriptors 0, 1, 2 in that order.
	 */
	o[0] = out;
	o[1] = in2;
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, o, 2, &in, 1, &b), 0);
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 14), 1);
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 16 + 14), 2);
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 16 + 12), 1);	/* out: NEXT only */
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 32 + 12), 2);	/* in, last: WRITE */
	KUNIT_EXPECT_EQ(test, rd64(f, DESC + 32), f->base + DATA + 128);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 4 + 2), 0);	/* avail ring[1] = head 0 */
	gring_vq_publish(&f->vq);
	/*
	 * More than the chain's 32 writable bytes: the device is wrong. The
	 * rest needs a broken queue with the chain still out (else the fini
	 * below would free the queue under the adds after it).
	 */
	device_use(f, 0, 33);
	KUNIT_ASSERT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), -EIO);
	gring_vq_query(&f->vq, &st);
	KUNIT_EXPECT_EQ(test, st.stats.bad_used, 1);
	KUNIT_EXPECT_TRUE(test, st.broken);
	KUNIT_EXPECT_EQ(test, st.inflight, 1);
	KUNIT_EXPECT_EQ(test, st.device_descs, 3);
	KUNIT_ASSERT_EQ(test, gring_vq_fini(&f->vq), -EBUSY);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &in2, 1, NULL, 0, &a), -EIO);
	/* Reset: take the chain back whatever the used ring says. */
	KUNIT_EXPECT_EQ(test, gring_vq_detach(&f->vq, &tok), 1);
	KUNIT_EXPECT_PTR_EQ(test, tok, (void *)&b);
	KUNIT_EXPECT_EQ(test, gring_vq_detach(&f->vq, &tok), 0);
	KUNIT_EXPECT_EQ(test, rd16(f, USED + 2), 0);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), 0);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&out), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_vq_num_free(&f->vq), 8);
	KUNIT_EXPECT_EQ(test, gring_vq_fini(&f->vq), 0);
}

static void add_and_reclaim(struct kunit *test)
{
	struct vq_fix *f = vq_fixture(test, false);
	struct gring_view out, in, in2, d0;
	struct gring_coherent_stats bs, as;
	struct gring_vq_desc junk = {};
	void *tok = NULL;
	u32 len = 0;
	int a = 1, b = 2;

	out = gring_test_view(test, f->buf, DATA, 64);
	in = gring_test_view(test, f->buf, DATA + 128, 32);
	in2 = gring_test_view(test, f->buf, DATA + 256, 16);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &out, 1, &in, 1, &a), 0);
	/* desc 0: out, NEXT -> 1; desc 1: in, WRITE, end. */
	KUNIT_EXPECT_EQ(test, rd64(f, DESC + 0), f->base + DATA);
	KUNIT_EXPECT_EQ(test, rd32(f, DESC + 8), 64);
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 12), 1);
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 14), 1);
	KUNIT_EXPECT_EQ(test, rd64(f, DESC + 16), f->base + DATA + 128);
	KUNIT_EXPECT_EQ(test, rd32(f, DESC + 24), 32);
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 28), 2);
	KUNIT_EXPECT_EQ(test, rd16(f, DESC + 30), 0);
	/* In the avail ring, not yet published. */
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 4), 0);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), 0);
	KUNIT_EXPECT_EQ(test, gring_vq_num_free(&f->vq), 6);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&out), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&in), GRING_OWNER_GPU);
	d0 = gring_test_view(test, f->buf, DESC, 32);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&d0), GRING_OWNER_GPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&in2), GRING_OWNER_CPU);

	/* Reuse before return: the buffer is the device's, refused. */
	gring_coherent_get_stats(f->buf, &bs);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &in2, 1, &in, 1, &b), -EBUSY);
	KUNIT_EXPECT_EQ(test, gring_vq_num_free(&f->vq), 6);
	KUNIT_EXPECT_EQ(test, f->vq.avail_idx, 1);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&in2), GRING_OWNER_CPU);	/* unwound */
	/* Descriptor 2 was written, then not given. */
	KUNIT_EXPECT_EQ(test, rd64(f, DESC + 32), f->base + DATA + 256);
	/* The descriptors are the device's: a CPU write is refused. */
	KUNIT_EXPECT_EQ(test, gring_view_write(&d0, 0, &junk, sizeof(junk)), -EBUSY);
	gring_coherent_get_stats(f->buf, &as);
	KUNIT_EXPECT_EQ(test, as.give_busy, bs.give_busy + 1);
	KUNIT_EXPECT_EQ(test, as.cpu_refused, bs.cpu_refused + 1);
	KUNIT_EXPECT_EQ(test, rd64(f, DESC + 0), f->base + DATA);

	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, NULL, 0, NULL, 0, &b), -EINVAL);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &in2, 1, NULL, 0, NULL), -EINVAL);

	gring_vq_publish(&f->vq);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), 1);
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 0);

	device_use(f, 0, 20);
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 1);
	KUNIT_EXPECT_PTR_EQ(test, tok, (void *)&a);
	KUNIT_EXPECT_EQ(test, len, 20);
	KUNIT_EXPECT_EQ(test, gring_vq_num_free(&f->vq), 8);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&out), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&in), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&f->vq.views.desc), GRING_OWNER_CPU);
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 0);

	chain_of_three(test, f, out, in, in2);
}

/* A queue with one chain of one buffer, added and published: head 0. */
static struct vq_fix *one_chain(struct kunit *test, int *token)
{
	struct vq_fix *f = vq_fixture(test, false);
	struct gring_view b0 = gring_test_view(test, f->buf, DATA, 8);

	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b0, 1, NULL, 0, token), 0);
	gring_vq_publish(&f->vq);
	return f;
}

static void bad_used_expect(struct kunit *test, struct vq_fix *f)
{
	struct gring_view b0 = gring_test_view(test, f->buf, DATA, 8);
	struct gring_vq_state st;
	void *tok = NULL;
	u32 len;

	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), -EIO);
	/* Broken: it stays refused, and nothing was taken back. */
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), -EIO);
	KUNIT_EXPECT_NULL(test, tok);
	gring_vq_query(&f->vq, &st);
	KUNIT_EXPECT_EQ(test, st.stats.bad_used, 1);
	KUNIT_EXPECT_EQ(test, st.stats.used, 0);
	KUNIT_EXPECT_TRUE(test, st.broken);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&b0), GRING_OWNER_GPU);	/* kept */
	vq_reset_fini(test, f);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&b0), GRING_OWNER_CPU);
}

static void bad_used_unknown_head(struct kunit *test)
{
	int a;
	struct vq_fix *f = one_chain(test, &a);

	device_use(f, 5, 0);	/* a head that was never handed out */
	bad_used_expect(test, f);
}

static void bad_used_out_of_range(struct kunit *test)
{
	int a;
	struct vq_fix *f = one_chain(test, &a);

	device_use(f, NUM, 0);	/* no such descriptor */
	bad_used_expect(test, f);
}

static void bad_used_idx_ahead(struct kunit *test)
{
	int a;
	struct vq_fix *f = one_chain(test, &a);

	/* A used idx two ahead when one chain was published. */
	device_use(f, 0, 0);
	device_use(f, 0, 0);
	bad_used_expect(test, f);
}

static void bad_used_unpublished(struct kunit *test)
{
	int a;
	struct vq_fix *f = one_chain(test, &a);
	struct gring_view b1 = gring_test_view(test, f->buf, DATA + 8, 8);

	/* An added but unpublished chain returned by the device. */
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b1, 1, NULL, 0, &a), 0);
	device_use(f, 1, 0);
	bad_used_expect(test, f);
}

static void full(struct kunit *test)
{
	struct vq_fix *f = vq_fixture(test, false);
	struct gring_view b[NUM + 1], two[2];
	int tokens[NUM];
	void *tok;
	u32 len;
	int i;

	for (i = 0; i <= NUM; i++)
		b[i] = gring_test_view(test, f->buf, DATA + 64 * i, 64);
	for (i = 0; i < NUM; i++)
		KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b[i], 1, NULL, 0, &tokens[i]), 0);
	KUNIT_EXPECT_EQ(test, gring_vq_num_free(&f->vq), 0);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b[NUM], 1, NULL, 0, &tokens[0]), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->vq.stats.full, 1);
	KUNIT_EXPECT_EQ(test, gring_view_owner(&b[NUM]), GRING_OWNER_CPU);
	gring_vq_publish(&f->vq);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), NUM);
	for (i = 0; i < NUM; i++)
		KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 4 + 2 * i), i);

	/* One back (descriptor 3): a two-descriptor chain still does not fit. */
	device_use(f, 3, 0);
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 1);
	KUNIT_EXPECT_PTR_EQ(test, tok, (void *)&tokens[3]);
	two[0] = b[3];
	two[1] = b[NUM];
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, two, 2, NULL, 0, &tokens[0]), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->vq.stats.full, 2);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b[NUM], 1, NULL, 0, &tokens[3]), 0);
	/* It took descriptor 3, the only free one; avail ring[8 % 8]. */
	KUNIT_EXPECT_EQ(test, rd64(f, DESC + 16 * 3), f->base + DATA + 64 * NUM);
	gring_vq_publish(&f->vq);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 4), 3);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), NUM + 1);
	vq_reset_fini(test, f);
}

/*
 * A device that reads only raw memory: takes the next avail entry,
 * follows its chain through the descriptor table, checks each descriptor
 * against what the test expects and returns it. Returns the chain length.
 */
static int device_consume(struct vq_fix *f, u16 *dev_avail, u64 expect_addr0,
			  u32 *writable)
{
	u16 head = rd16(f, AVAIL + 4 + 2 * (*dev_avail % NUM)), d = head;
	int n = 0;

	*writable = 0;
	for (;;) {
		u16 fl = rd16(f, DESC + 16 * d + 12);

		if (n == 0 && rd64(f, DESC + 16 * d) != expect_addr0)
			return -1;
		if (fl & 2)
			*writable += rd32(f, DESC + 16 * d + 8);
		n++;
		if (!(fl & 1) || n > NUM)
			break;
		d = rd16(f, DESC + 16 * d + 14);
	}
	(*dev_avail)++;
	device_use(f, head, *writable);
	return n;
}

#define WRAP_CHAINS	70000

static void wrap(struct kunit *test)
{
	struct vq_fix *f = vq_fixture(test, true);
	struct gring_view bufs[4];
	u16 dev_avail = 0;
	void *tok;
	u32 len, w;
	int chain, k;
	long i;

	for (k = 0; k < 4; k++)
		bufs[k] = gring_test_view(test, f->buf, DATA + 256 * k, 16 * (k + 1));
	for (i = 0; i < WRAP_CHAINS; i++) {
		chain = 1 + i % 4;
		/* chain - 1 out buffers then one in buffer. */
		KUNIT_ASSERT_EQ(test, gring_vq_add(&f->vq, bufs, chain - 1, &bufs[chain - 1], 1,
						   (void *)(uintptr_t)(i + 1)), 0);
		gring_vq_publish(&f->vq);
		KUNIT_ASSERT_EQ(test, rd16(f, AVAIL + 2), (u16)(i + 1));
		KUNIT_ASSERT_EQ(test, device_consume(f, &dev_avail, chain > 1 ?
						     f->base + DATA :
						     f->base + DATA + 256 * (chain - 1), &w),
				chain);
		KUNIT_ASSERT_EQ(test, w, 16u * chain);
		KUNIT_ASSERT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 1);
		KUNIT_ASSERT_PTR_EQ(test, tok, (void *)(uintptr_t)(i + 1));
		KUNIT_ASSERT_EQ(test, len, w);
		/* Callbacks on, event idx: used_event follows the driver. */
		KUNIT_ASSERT_EQ(test, rd16(f, USED_EVENT), (u16)(i + 1));
		KUNIT_ASSERT_EQ(test, gring_vq_num_free(&f->vq), NUM);
	}
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), WRAP_CHAINS % 65536);
	KUNIT_EXPECT_EQ(test, rd16(f, USED + 2), WRAP_CHAINS % 65536);
	KUNIT_EXPECT_EQ(test, f->vq.stats.used, WRAP_CHAINS);
	KUNIT_EXPECT_EQ(test, gring_vq_fini(&f->vq), 0);
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

static void need_event(struct kunit *test)
{
	unsigned int o, d, e, bad = 0;

	KUNIT_EXPECT_TRUE(test, gring_vq_need_event(0xffff, 0x0001, 0xfffe));
	KUNIT_EXPECT_TRUE(test, gring_vq_need_event(0x0000, 0x0001, 0xffff));
	KUNIT_EXPECT_FALSE(test, gring_vq_need_event(0x0001, 0x0001, 0xffff));
	KUNIT_EXPECT_FALSE(test, gring_vq_need_event(0xfffd, 0x0001, 0xfffe));
	KUNIT_EXPECT_FALSE(test, gring_vq_need_event(0x0005, 0x0005, 0x0005));
	for (o = 0xff00; o < 0x10100; o += 7)
		for (d = 0; d < 20; d++)
			for (e = 0; e < 24; e++) {
				u16 old_idx = o, new_idx = o + d;
				u16 ev = o - 2 + e;

				if (gring_vq_need_event(ev, new_idx, old_idx) !=
				    crossed(ev, new_idx, old_idx))
					bad++;
			}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static void event_idx(struct kunit *test)
{
	struct vq_fix *f = vq_fixture(test, true);
	struct gring_view b, c;
	unsigned int o;
	void *tok;
	u32 len;
	int t;

	b = gring_test_view(test, f->buf, DATA, 16);
	c = gring_test_view(test, f->buf, DATA + 16, 16);
	/* Run the indices up to 0xfffe. */
	for (o = 0; o < 0xfffe; o++) {
		KUNIT_ASSERT_EQ(test, gring_vq_add(&f->vq, &b, 1, NULL, 0, &t), 0);
		gring_vq_publish(&f->vq);
		device_use(f, 0, 0);	/* a returned chain heads the free list */
		KUNIT_ASSERT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 1);
	}
	/* avail_event is still 0, which [0, 0xfffe) contains. */
	KUNIT_EXPECT_TRUE(test, gring_vq_kick_prepare(&f->vq));
	KUNIT_EXPECT_EQ(test, f->vq.avail_pub, 0xfffe);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), 0xfffe);
	/* Nothing new since the last kick: no notify. */
	KUNIT_EXPECT_FALSE(test, gring_vq_kick_prepare(&f->vq));

	/* Device asks to hear of avail idx 0xffff (i.e. entry 0xffff). */
	wr16(f, AVAIL_EVENT, 0xffff);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b, 1, NULL, 0, &t), 0);
	gring_vq_publish(&f->vq);			/* 0xfffe -> 0xffff */
	/* 0xffff is not in [0xfffe, 0xffff). */
	KUNIT_EXPECT_FALSE(test, gring_vq_kick_prepare(&f->vq));
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &c, 1, NULL, 0, &t), 0);
	gring_vq_publish(&f->vq);			/* 0xffff -> 0x0000 */
	KUNIT_EXPECT_TRUE(test, gring_vq_kick_prepare(&f->vq));
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), 0);
	KUNIT_EXPECT_EQ(test, f->vq.stats.notified, 2);
	/* Two chains published, one kick, event behind: suppressed. */
	device_use(f, 0, 0);			/* b took descriptor 0, c 1 */
	device_use(f, 1, 0);
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 1);
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 1);
	KUNIT_EXPECT_EQ(test, rd16(f, USED_EVENT), 0);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b, 1, NULL, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &c, 1, NULL, 0, &t), 0);
	gring_vq_publish(&f->vq);			/* 0 -> 2 in one store */
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL + 2), 2);
	/* The event, 0xffff, is not in [0, 2). */
	KUNIT_EXPECT_FALSE(test, gring_vq_kick_prepare(&f->vq));
	KUNIT_EXPECT_EQ(test, f->vq.stats.suppressed, 2);
	/* The flags must stay 0 with event idx (spec 2.7.7.2). */
	gring_vq_disable_cb(&f->vq);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL), 0);
	KUNIT_EXPECT_EQ(test, rd16(f, USED_EVENT), 0xffff);	/* last_used - 1 */
	device_use(f, 0, 0);
	/* Came back while disabled: enable says "drain first". */
	KUNIT_EXPECT_FALSE(test, gring_vq_enable_cb(&f->vq));
	KUNIT_EXPECT_EQ(test, rd16(f, USED_EVENT), 0);
	vq_reset_fini(test, f);
}

static void no_event_idx(struct kunit *test)
{
	struct vq_fix *f = vq_fixture(test, false);
	struct gring_view b = gring_test_view(test, f->buf, DATA, 16);
	void *tok;
	u32 len;
	int t;

	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b, 1, NULL, 0, &t), 0);
	gring_vq_publish(&f->vq);
	wr16(f, USED, 1);				/* VRING_USED_F_NO_NOTIFY */
	KUNIT_EXPECT_FALSE(test, gring_vq_kick_prepare(&f->vq));
	device_use(f, 0, 0);
	KUNIT_EXPECT_EQ(test, gring_vq_get_used(&f->vq, &tok, &len), 1);
	KUNIT_EXPECT_EQ(test, gring_vq_add(&f->vq, &b, 1, NULL, 0, &t), 0);
	gring_vq_publish(&f->vq);
	wr16(f, USED, 0);
	KUNIT_EXPECT_TRUE(test, gring_vq_kick_prepare(&f->vq));
	KUNIT_EXPECT_FALSE(test, gring_vq_kick_prepare(&f->vq));	/* nothing new */
	gring_vq_disable_cb(&f->vq);
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL), 1);		/* VRING_AVAIL_F_NO_INTERRUPT */
	KUNIT_EXPECT_EQ(test, rd16(f, USED_EVENT), 0);		/* untouched without event idx */
	KUNIT_EXPECT_TRUE(test, gring_vq_enable_cb(&f->vq));	/* nothing pending */
	KUNIT_EXPECT_EQ(test, rd16(f, AVAIL), 0);
	vq_reset_fini(test, f);
}

static struct kunit_case gring_core_vq_cases[] = {
	GRING_KUNIT_CASE(layout, "layout"),
	GRING_KUNIT_CASE(add_and_reclaim, "add-and-reclaim"),
	GRING_KUNIT_CASE(bad_used_unknown_head, "bad-used-unknown-head"),
	GRING_KUNIT_CASE(bad_used_out_of_range, "bad-used-out-of-range"),
	GRING_KUNIT_CASE(bad_used_idx_ahead, "bad-used-idx-ahead"),
	GRING_KUNIT_CASE(bad_used_unpublished, "bad-used-unpublished"),
	GRING_KUNIT_CASE(full, "full"),
	GRING_KUNIT_CASE_SLOW(wrap, "wrap-16-bit"),
	GRING_KUNIT_CASE(need_event, "need-event"),
	GRING_KUNIT_CASE(event_idx, "event-idx"),
	GRING_KUNIT_CASE(no_event_idx, "no-event-idx"),
	{}
};

static struct kunit_suite gring_core_vq_suite = {
	.name = "gring_core_vq",
	.test_cases = gring_core_vq_cases,
};

kunit_test_suite(gring_core_vq_suite);
