// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the soft engine (gring_engine_soft.c: its table of mapped
 * buffers and its command processor) and of the translation of userspace
 * commands (gring_cmd.h), built from the module's own sources.
 *
 * Command words are written here by hand from the layout documented in
 * gring_engine_soft.h (op in bits 0-7, length in words in bits 8-15, the
 * argument in bits 32-63), not with the engine's helpers, so that a wrong
 * helper cannot agree with itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/array_size.h>
#include <linux/ktime.h>

#include "gring_cmd.h"
#include "gring_engine_soft.h"
#include "shim.h"
#include "test.h"

#define HDR(op, words, arg) ((u64)(op) | (u64)(words) << 8 | (u64)(arg) << 32)

/* Opcodes as gring_engine_soft.h documents them. */
enum {
	NOP = 0, W32 = 1, W64 = 2, COPY = 3, FILL = 4, TS = 5, FENCE = 6,
	STALL = 7,
};

#define RING_DMA	0x100000ull
#define RING_SIZE	256
#define DATA_DMA	0x200000ull
#define DATA_SIZE	4096
#define NEXT_DMA	(DATA_DMA + DATA_SIZE)	/* right after DATA */

static u64 ring[RING_SIZE / 8];
static u8 data[DATA_SIZE];
static u8 next[DATA_SIZE];

static struct gring_soft_mmu mmu;
static struct gring_soft_mapping ring_map = { RING_DMA, RING_SIZE, ring };
static struct gring_soft_mapping data_map = { DATA_DMA, DATA_SIZE, data };
static struct gring_soft_mapping next_map = { NEXT_DMA, DATA_SIZE, next };

static void setup(void)
{
	memset(ring, 0, sizeof(ring));
	memset(data, 0, sizeof(data));
	memset(next, 0, sizeof(next));
	gring_soft_mmu_init(&mmu);
	CHECK_EQ(gring_soft_mmu_map(&mmu, &ring_map), 0);
	CHECK_EQ(gring_soft_mmu_map(&mmu, &data_map), 0);
	CHECK_EQ(gring_soft_mmu_map(&mmu, &next_map), 0);
}

static struct gring_soft_exec run(u32 head, u32 bytes, int expect)
{
	struct gring_soft_exec x = {
		.mmu = &mmu, .ring = RING_DMA, .ring_size = RING_SIZE,
		.head = head, .bytes = bytes,
	};

	CHECK_EQ(gring_soft_exec_run(&x), (unsigned long long)(long long)expect);
	return x;
}

static void test_mmu(void)
{
	struct gring_soft_mapping overlap = { DATA_DMA + 8, 16, data };
	struct gring_soft_mapping empty = { 0x900000, 0, data };
	struct gring_soft_mapping wraps = { ~0ull - 7, 16, data };

	TEST_GROUP("mmu");
	setup();
	CHECK(gring_soft_mmu_resolve(&mmu, DATA_DMA, 1) == data);
	CHECK(gring_soft_mmu_resolve(&mmu, DATA_DMA + DATA_SIZE - 4, 4) ==
	      data + DATA_SIZE - 4);
	CHECK(gring_soft_mmu_resolve(&mmu, NEXT_DMA, 8) == next);
	/* A buffer ends where it ends, even with another right after it. */
	CHECK(!gring_soft_mmu_resolve(&mmu, DATA_DMA + DATA_SIZE - 4, 8));
	CHECK(!gring_soft_mmu_resolve(&mmu, DATA_DMA - 1, 2));
	CHECK(!gring_soft_mmu_resolve(&mmu, 0x300000, 4));
	CHECK(!gring_soft_mmu_resolve(&mmu, DATA_DMA, 0));
	CHECK(!gring_soft_mmu_resolve(&mmu, ~0ull - 3, 8));
	CHECK(!gring_soft_mmu_resolve(&mmu, ~0ull << 12, 4));

	CHECK_EQ(gring_soft_mmu_map(&mmu, &overlap), -EEXIST);
	CHECK_EQ(gring_soft_mmu_map(&mmu, &empty), -EINVAL);
	CHECK_EQ(gring_soft_mmu_map(&mmu, &wraps), -EINVAL);

	gring_soft_mmu_unmap(&mmu, &data_map);
	CHECK(!gring_soft_mmu_resolve(&mmu, DATA_DMA, 4));
	CHECK(gring_soft_mmu_resolve(&mmu, NEXT_DMA, 4) == next);
	gring_soft_mmu_unmap(&mmu, &next_map);
	gring_soft_mmu_unmap(&mmu, &ring_map);
	CHECK_EQ(shim_log_count("WARN"), 0);
	gring_soft_mmu_destroy(&mmu);
	CHECK_EQ(shim_log_count("WARN"), 0);
}

/*
 * The IOTLB a ring keeps between runs: used while no buffer was unmapped
 * since it was found, never after -- the buffer's DMA addresses may have
 * gone to another one by then. A run reads its ring first, so the entry
 * is tried on the ring's address. The entry is a copy of a mapping, so
 * that a stale one is never read through a pointer to a freed buffer.
 */
static void test_iotlb(void)
{
	static u64 shadow[RING_SIZE / 8];
	/* The ring's addresses, other memory. */
	struct gring_soft_mapping alias = { RING_DMA, RING_SIZE, shadow };
	struct gring_soft_exec x = {
		.mmu = &mmu, .ring = RING_DMA, .ring_size = RING_SIZE,
		.bytes = 16,
	};

	TEST_GROUP("iotlb");
	setup();
	ring[0] = HDR(W32, 2, 0x11);
	ring[1] = DATA_DMA;
	CHECK_EQ(gring_soft_exec_run(&x), 0);
	CHECK(x.tlb.vaddr == data);	/* the last access went to DATA */
	CHECK_EQ(*(u32 *)data, 0x11);

	/*
	 * A hit is not walked again: an entry the table does not hold, but
	 * as recent as the table, is what the run reads its commands through.
	 */
	shadow[0] = HDR(W32, 2, 0x22);
	shadow[1] = DATA_DMA;
	x.tlb = alias;
	x.head = 0;
	CHECK_EQ(gring_soft_exec_run(&x), 0);
	CHECK_EQ(*(u32 *)data, 0x22);

	/*
	 * The ring's buffer goes and ALIAS takes its addresses: the entry
	 * found before the unmap must not be used, or the engine reads
	 * memory the driver has freed.
	 */
	x.tlb = ring_map;
	gring_soft_mmu_unmap(&mmu, &ring_map);
	CHECK_EQ(gring_soft_mmu_map(&mmu, &alias), 0);
	shadow[0] = HDR(W32, 2, 0x33);
	ring[0] = HDR(W32, 2, 0x44);
	x.head = 0;
	CHECK_EQ(gring_soft_exec_run(&x), 0);
	CHECK_EQ(*(u32 *)data, 0x33);

	gring_soft_mmu_unmap(&mmu, &alias);
	gring_soft_mmu_unmap(&mmu, &data_map);
	gring_soft_mmu_unmap(&mmu, &next_map);
	gring_soft_mmu_destroy(&mmu);
	CHECK_EQ(shim_log_count("WARN"), 0);
}

static void test_commands(void)
{
	u64 *w = ring;
	u64 stamp;
	struct gring_soft_exec x;
	unsigned int i;

	TEST_GROUP("commands");
	setup();
	for (i = 0; i < 64; i++)
		next[i] = (u8)(0x40 + i);

	*w++ = HDR(W32, 2, 0xdeadbeef);
	*w++ = DATA_DMA + 4;
	*w++ = HDR(W64, 3, 0);
	*w++ = DATA_DMA + 16;
	*w++ = 0x0123456789abcdefull;
	*w++ = HDR(FILL, 3, 0xa5a5a5a5);
	*w++ = DATA_DMA + 100;
	*w++ = 12;
	*w++ = HDR(COPY, 4, 0);
	*w++ = DATA_DMA + 201;		/* unaligned both ways */
	*w++ = NEXT_DMA + 3;
	*w++ = 7;
	*w++ = HDR(NOP, 2, 77);		/* a NOP may be any length */
	*w++ = 0xffffffffffffffffull;
	*w++ = HDR(TS, 2, 0);
	*w++ = DATA_DMA + 512;
	*w++ = HDR(FENCE, 3, 0);
	*w++ = DATA_DMA + 1024;
	*w++ = 42;

	x = run(0, (w - ring) * 8, 0);
	CHECK_EQ(x.commands, 7);
	CHECK_EQ(x.head, (w - ring) * 8);

	CHECK_EQ(*(u32 *)(data + 4), 0xdeadbeef);
	CHECK_EQ(*(u32 *)(data + 0), 0);
	CHECK_EQ(*(u32 *)(data + 8), 0);
	CHECK_EQ(*(u64 *)(data + 16), 0x0123456789abcdefull);
	CHECK_EQ(*(u32 *)(data + 96), 0);
	for (i = 100; i < 112; i += 4)
		CHECK_EQ(*(u32 *)(data + i), 0xa5a5a5a5);
	CHECK_EQ(*(u32 *)(data + 112), 0);
	CHECK_EQ(data[200], 0);
	for (i = 0; i < 7; i++)
		CHECK_EQ(data[201 + i], 0x43 + i);
	CHECK_EQ(data[208], 0);
	stamp = *(u64 *)(data + 512);
	CHECK(stamp != 0 && stamp <= ktime_get_ns());
	CHECK_EQ(*(u64 *)(data + 1024), 42);
}

/* A stretch that runs past the ring's end continues at offset 0. */
static void test_wrap(void)
{
	struct gring_soft_exec x;

	TEST_GROUP("wrap");
	setup();
	/* Last 16 bytes: one WRITE32. Then, from 0: one WRITE32. */
	ring[RING_SIZE / 8 - 2] = HDR(W32, 2, 1);
	ring[RING_SIZE / 8 - 1] = DATA_DMA;
	ring[0] = HDR(W32, 2, 2);
	ring[1] = DATA_DMA + 4;
	x = run(RING_SIZE - 16, 32, 0);
	CHECK_EQ(x.commands, 2);
	CHECK_EQ(x.head, 16);
	CHECK_EQ(*(u32 *)(data + 0), 1);
	CHECK_EQ(*(u32 *)(data + 4), 2);

	/* A whole-ring stretch is not an empty one. */
	setup();
	for (unsigned int i = 0; i < RING_SIZE / 8; i++)
		ring[i] = HDR(NOP, 1, 0);
	x = run(8, RING_SIZE, 0);
	CHECK_EQ(x.commands, RING_SIZE / 8);
	CHECK_EQ(x.head, 8);
}

static void test_faults(void)
{
	struct gring_soft_exec x;

	TEST_GROUP("faults");
	setup();
	ring[0] = HDR(W32, 2, 1);
	ring[1] = DATA_DMA;
	ring[2] = HDR(W32, 2, 2);
	ring[3] = 0x300000;		/* mapped by nobody */
	ring[4] = HDR(W32, 2, 3);
	ring[5] = DATA_DMA + 4;
	x = run(0, 48, -EFAULT);
	CHECK_EQ(x.commands, 1);
	CHECK_EQ(x.fault_op, W32);
	CHECK_EQ(x.head, 16);
	CHECK_EQ(*(u32 *)(data + 0), 1);
	CHECK_EQ(*(u32 *)(data + 4), 0);	/* the engine stopped */

	/* A copy that reads one byte past its buffer touches nothing. */
	setup();
	ring[0] = HDR(COPY, 4, 0);
	ring[1] = NEXT_DMA;
	ring[2] = DATA_DMA + DATA_SIZE - 8;
	ring[3] = 9;
	run(0, 32, -EFAULT);
	CHECK_EQ(next[0], 0);

	/* Malformed: unknown op, wrong length, zero length. */
	setup();
	ring[0] = HDR(99, 2, 0);
	run(0, 16, -EINVAL);
	ring[0] = HDR(W32, 3, 0);
	run(0, 24, -EINVAL);
	ring[0] = HDR(NOP, 0, 0);
	run(0, 8, -EINVAL);
	/* A command crossing the end of the stretch, or of the ring. */
	ring[0] = HDR(W64, 3, 0);
	ring[1] = DATA_DMA;
	run(0, 16, -EINVAL);
	ring[RING_SIZE / 8 - 1] = HDR(W32, 2, 0);
	x = run(RING_SIZE - 8, 16, -EINVAL);
	CHECK_EQ(x.head, RING_SIZE - 8);

	/* Nonsense parameters are refused before anything runs. */
	run(4, 8, -EINVAL);
	run(0, RING_SIZE + 8, -EINVAL);
	run(RING_SIZE, 8, -EINVAL);
}

static bool stop_now(void *data)
{
	return *(bool *)data;
}

static void test_stall(void)
{
	struct gring_soft_exec x = {
		.mmu = &mmu, .ring = RING_DMA, .ring_size = RING_SIZE,
		.head = 0, .bytes = 16, .should_stop = stop_now,
	};
	bool stop = true;
	u64 t0;

	TEST_GROUP("stall");
	setup();
	ring[0] = HDR(STALL, 2, 0);
	ring[1] = 60ull * 1000 * 1000 * 1000;	/* a minute */
	x.stop_data = &stop;
	t0 = ktime_get_ns();
	CHECK_EQ(gring_soft_exec_run(&x), -ECANCELED);
	CHECK(ktime_get_ns() - t0 < 1000ull * 1000 * 1000);

	ring[1] = 2 * 1000 * 1000;		/* 2 ms, not stopped */
	stop = false;
	x.head = 0;
	t0 = ktime_get_ns();
	CHECK_EQ(gring_soft_exec_run(&x), 0);
	CHECK(ktime_get_ns() - t0 >= 2 * 1000 * 1000);
}

/*
 * Barrier order on the device side: a job's data writes are visible
 * before its FENCE seqno, and everything before the read pointer the
 * engine writes back.
 */
static void test_barriers(void)
{
	struct gring_soft_exec x;
	int wmb, seq, ptr;

	TEST_GROUP("barriers");
	setup();
	ring[0] = HDR(W32, 2, 7);
	ring[1] = DATA_DMA;
	ring[2] = HDR(FENCE, 3, 0);
	ring[3] = DATA_DMA + 8;
	ring[4] = 5;
	shim_log_reset();
	x = run(0, 40, 0);
	wmb = shim_log_find(shim_log_find(0, "WRITE_ONCE", data), "dma_wmb",
			    NULL);
	seq = shim_log_find(0, "WRITE_ONCE", data + 8);
	CHECK(wmb >= 0 && seq > wmb);

	shim_log_reset();
	CHECK_EQ(gring_soft_publish_rptr(&x, DATA_DMA + 64, 40), 0);
	ptr = shim_log_find(0, "WRITE_ONCE", data + 64);
	wmb = shim_log_find(0, "dma_wmb", NULL);
	CHECK(wmb >= 0 && ptr > wmb);
	CHECK_EQ(*(u32 *)(data + 64), 40);
	CHECK_EQ(gring_soft_publish_rptr(&x, 0x300000, 40), -EFAULT);
}

/* ---- gring_cmd.h ------------------------------------------------------- */

static void test_cmd_check(void)
{
	const u64 bo = 8192, other = 4096;
	struct gring_cmd_range dst, src;
	const struct {
		struct drm_gring_cmd c;
		int ret;	/* -EINVAL, or the ring words of the format */
	} cases[] = {
		{ { .op = DRM_GRING_OP_NOP }, 1 },
		{ { .op = DRM_GRING_OP_NOP, .value = 1 }, -EINVAL },
		{ { .op = 7 }, -EINVAL },
		{ { .op = DRM_GRING_OP_NOP, .flags = 1 }, -EINVAL },
		{ { .op = 1, .dst_handle = 1, .dst_offset = 8188, .value = 1 }, 2 },
		{ { .op = 1, .dst_handle = 1, .dst_offset = 8192 }, -EINVAL },
		{ { .op = 1, .dst_handle = 1, .dst_offset = 2 }, -EINVAL },
		{ { .op = 1, .dst_handle = 1, .value = 1ull << 32 }, -EINVAL },
		{ { .op = 1, .dst_offset = 0 }, -EINVAL },
		{ { .op = 1, .dst_handle = 1, .src_handle = 2 }, -EINVAL },
		{ { .op = 2, .dst_handle = 1, .dst_offset = 8184 }, 3 },
		{ { .op = 2, .dst_handle = 1, .dst_offset = 8188 }, -EINVAL },
		{ { .op = 3, .dst_handle = 1, .src_handle = 2, .dst_offset = 1,
		    .src_offset = 4095, .size = 1 }, 4 },
		{ { .op = 3, .dst_handle = 1, .src_handle = 2,
		    .src_offset = 4095, .size = 2 }, -EINVAL },
		{ { .op = 3, .dst_handle = 1, .src_handle = 2,
		    .dst_offset = ~0ull, .size = 2 }, -EINVAL },
		{ { .op = 3, .dst_handle = 1, .src_handle = 2 }, -EINVAL },
		{ { .op = 3, .dst_handle = 1, .size = 4 }, -EINVAL },
		{ { .op = 4, .dst_handle = 1, .dst_offset = 4, .size = 8188,
		    .value = 0xffffffff }, 3 },
		{ { .op = 4, .dst_handle = 1, .size = 6 }, -EINVAL },
		{ { .op = 4, .dst_handle = 1, .dst_offset = 2, .size = 4 },
		  -EINVAL },
		{ { .op = 5, .dst_handle = 1, .dst_offset = 16 }, 2 },
		{ { .op = 5, .dst_handle = 1, .dst_offset = 16, .value = 1 },
		  -EINVAL },
		{ { .op = 6, .value = DRM_GRING_STALL_MAX_NS }, 2 },
		{ { .op = 6, .value = DRM_GRING_STALL_MAX_NS + 1 }, -EINVAL },
		{ { .op = 6, .size = 1 }, -EINVAL },
	};
	unsigned int i;

	TEST_GROUP("cmd-check");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct drm_gring_cmd *c = &cases[i].c;
		int ret = gring_cmd_check(c, c->dst_handle ? bo : 0,
					  c->src_handle ? other : 0, &dst, &src);

		if (ret != cases[i].ret)
			fprintf(stderr, "case %u: %d, expected %d\n", i, ret,
				cases[i].ret);
		CHECK_EQ(ret, (unsigned long long)(long long)cases[i].ret);
	}

	/* The ranges a COPY touches: written dst, read src. */
	{
		struct drm_gring_cmd c = { .op = 3, .dst_handle = 1,
			.src_handle = 2, .dst_offset = 10, .src_offset = 20,
			.size = 30 };

		CHECK_EQ(gring_cmd_check(&c, bo, other, &dst, &src), 4);
		CHECK_EQ(dst.offset, 10);
		CHECK_EQ(dst.size, 30);
		CHECK(dst.write);
		CHECK_EQ(src.offset, 20);
		CHECK_EQ(src.size, 30);
		CHECK(!src.write);
	}
}

static void test_cmd_encode(void)
{
	__le64 out[GRING_CMD_MAX_WORDS];
	struct drm_gring_cmd c;

	TEST_GROUP("cmd-encode");
	c = (struct drm_gring_cmd){ .op = 1, .dst_handle = 1, .value = 0x1234 };
	CHECK_EQ(gring_cmd_encode(&c, 0xabc000, 0, out), 2);
	CHECK_EQ(out[0], HDR(W32, 2, 0x1234));
	CHECK_EQ(out[1], 0xabc000);

	c = (struct drm_gring_cmd){ .op = 3, .dst_handle = 1, .src_handle = 2,
				    .size = 99 };
	CHECK_EQ(gring_cmd_encode(&c, 0x1000, 0x2000, out), 4);
	CHECK_EQ(out[0], HDR(COPY, 4, 0));
	CHECK_EQ(out[1], 0x1000);
	CHECK_EQ(out[2], 0x2000);
	CHECK_EQ(out[3], 99);

	c = (struct drm_gring_cmd){ .op = 4, .dst_handle = 1, .size = 64,
				    .value = 0xcafef00d };
	CHECK_EQ(gring_cmd_encode(&c, 0x3000, 0, out), 3);
	CHECK_EQ(out[0], HDR(FILL, 3, 0xcafef00d));
	CHECK_EQ(out[2], 64);

	c = (struct drm_gring_cmd){ .op = 6, .value = 5000 };
	CHECK_EQ(gring_cmd_encode(&c, 0, 0, out), 2);
	CHECK_EQ(out[0], HDR(STALL, 2, 0));
	CHECK_EQ(out[1], 5000);

	c = (struct drm_gring_cmd){ .op = 0 };
	CHECK_EQ(gring_cmd_encode(&c, 0, 0, out), 1);
	CHECK_EQ(out[0], HDR(NOP, 1, 0));
}

/**
 * main() - run the soft engine and command translation tests
 *
 * Return: 0 if every check passed, else 1.
 */
int main(void)
{
	test_mmu();
	test_iotlb();
	test_commands();
	test_wrap();
	test_faults();
	test_stall();
	test_barriers();
	test_cmd_check();
	test_cmd_encode();
	return test_result("test_engine");
}
