/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: the soft engine -- a command processor that plays the device.
 *
 * It is written as a device would be: it knows nothing of GEM objects,
 * files or views, only DMA addresses. Every address it is given -- the
 * ring it reads commands from, the buffers those commands name -- is
 * resolved through its own table of mapped buffers (struct gring_soft_mmu),
 * the way a GPU's MMU resolves a GPU virtual address. An address outside
 * every mapping is a device fault, reported to the driver; the engine never
 * touches memory it was not given.
 *
 * Commands are a little-endian stream of 64-bit words in the ring. Each
 * starts with a header word (opcode, length in words, a 32-bit argument),
 * followed by its operands; a command never crosses the end of the ring
 * (the producer pads to the end with a NOP).
 */
#ifndef _GRING_ENGINE_SOFT_H_
#define _GRING_ENGINE_SOFT_H_

#include <linux/atomic.h>
#include <linux/maple_tree.h>
#include <linux/types.h>

/* Opcodes of the soft engine's command stream. */
enum gring_soft_op {
	GRING_SOFT_OP_NOP = 0,		/* skip the command's words */
	GRING_SOFT_OP_WRITE32 = 1,	/* [hdr(arg=value)] [dst] */
	GRING_SOFT_OP_WRITE64 = 2,	/* [hdr] [dst] [value] */
	GRING_SOFT_OP_COPY = 3,		/* [hdr] [dst] [src] [bytes] */
	GRING_SOFT_OP_FILL = 4,		/* [hdr(arg=pattern)] [dst] [bytes] */
	GRING_SOFT_OP_TIMESTAMP = 5,	/* [hdr] [dst]: u64 ns, monotonic */
	GRING_SOFT_OP_FENCE = 6,	/* [hdr] [dst] [seqno]: ordered last */
	GRING_SOFT_OP_STALL = 7,	/* [hdr] [ns]: busy the engine */
	GRING_SOFT_OP_COUNT
};

#define GRING_SOFT_HDR_OP_MASK		0xffull
#define GRING_SOFT_HDR_LEN_SHIFT	8
#define GRING_SOFT_HDR_LEN_MASK		0xffull
#define GRING_SOFT_HDR_ARG_SHIFT	32

/* Bytes in one word of the command stream. */
#define GRING_SOFT_WORD			8

/**
 * gring_soft_hdr() - build a command header word
 * @op: one of enum gring_soft_op
 * @words: the command's length in 64-bit words, header included (1..255)
 * @arg: the opcode's 32-bit argument (WRITE32's value, FILL's pattern)
 *
 * Return: the header word, in CPU order; the ring stores it little-endian.
 */
static inline u64 gring_soft_hdr(enum gring_soft_op op, unsigned int words,
				 u32 arg)
{
	return (u64)op | (u64)(words & GRING_SOFT_HDR_LEN_MASK)
			 << GRING_SOFT_HDR_LEN_SHIFT |
	       (u64)arg << GRING_SOFT_HDR_ARG_SHIFT;
}

/**
 * gring_soft_op_words() - the length every command of an opcode has
 * @op: one of enum gring_soft_op other than NOP (whose length is free)
 *
 * Inline: the engine asks once per command it decodes, and SUBMIT once
 * per command it encodes.
 *
 * Return: words, header included, or 0 for an unknown opcode or NOP.
 */
static inline unsigned int gring_soft_op_words(enum gring_soft_op op)
{
	switch (op) {
	case GRING_SOFT_OP_WRITE32:
	case GRING_SOFT_OP_TIMESTAMP:
	case GRING_SOFT_OP_STALL:
		return 2;
	case GRING_SOFT_OP_WRITE64:
	case GRING_SOFT_OP_FILL:
	case GRING_SOFT_OP_FENCE:
		return 3;
	case GRING_SOFT_OP_COPY:
		return 4;
	default:
		return 0;
	}
}

/**
 * struct gring_soft_mapping - one buffer the engine may reach
 * @dma: the buffer's DMA address
 * @size: its size in bytes (non-zero)
 * @vaddr: the kernel mapping the engine uses to play the device's accesses
 *
 * Owned by whoever maps it (the buffer object embeds one); it must stay
 * valid until gring_soft_mmu_unmap() has returned.
 */
struct gring_soft_mapping {
	dma_addr_t dma;
	size_t size;
	void *vaddr;
};

/**
 * struct gring_soft_mmu - the engine's table of mapped buffers
 * @mt: DMA address range -> struct gring_soft_mapping. The maple tree
 *	answers "which mapping covers this address" directly; in RCU mode
 *	the engine looks up under RCU while buffers come and go.
 * @unmaps: bumped after each unmap: a mapping a ring's earlier run found
 *	is still the one at its addresses while this has not moved (see
 *	struct gring_soft_exec's @tlb)
 */
struct gring_soft_mmu {
	struct maple_tree mt;
	atomic_t unmaps;
};

void gring_soft_mmu_init(struct gring_soft_mmu *mmu);
void gring_soft_mmu_destroy(struct gring_soft_mmu *mmu);
int gring_soft_mmu_map(struct gring_soft_mmu *mmu,
		       struct gring_soft_mapping *map);
void gring_soft_mmu_unmap(struct gring_soft_mmu *mmu,
			  struct gring_soft_mapping *map);
void *gring_soft_mmu_resolve(struct gring_soft_mmu *mmu, dma_addr_t dma,
			     size_t len);

/**
 * struct gring_soft_exec - one run of the engine over a stretch of a ring
 * @mmu: the table every address is resolved through
 * @ring: DMA address of the ring's first byte
 * @ring_size: the ring's size in bytes, a multiple of %GRING_SOFT_WORD
 * @head: in, ring offset of the first command; out, where the engine
 *	stopped (one past the stretch after a clean run, modulo the ring
 *	size; the failing command otherwise)
 * @bytes: in, length of the stretch, at most @ring_size; it wraps through
 *	the end of the ring when @head + @bytes passes it. A length rather
 *	than an end offset, so that a stretch filling the whole ring is
 *	not mistaken for an empty one.
 * @should_stop: polled while stalling; returns true when the driver resets
 *	the engine (a hung job). May be NULL.
 * @stop_data: argument to @should_stop
 * @resched: yield the CPU between commands (cond_resched()): a job of any
 *	length on a workqueue. A bounded job run inline does without.
 * @tlb: in, a copy of the mapping an earlier run of the same ring resolved
 *	its last address through, or size 0 for none; out, the same for this
 *	run: the engine's one-entry IOTLB, which the ring keeps between its
 *	runs (see gring_soft_exec_run())
 * @tlb_gen: in, @mmu's @unmaps when @tlb was found; out, as of this run
 * @commands: out, commands completed
 * @fault_op: out, opcode of the command that failed (valid on error; its
 *	ring offset is @head)
 *
 * The driver fills the inputs and calls gring_soft_exec_run(). The outputs
 * carry ring offsets and opcodes only: a fault's DMA address is the
 * engine's business, never something to pass on to userspace.
 */
struct gring_soft_exec {
	struct gring_soft_mmu *mmu;
	dma_addr_t ring;
	u32 ring_size;
	u32 head;
	u32 bytes;
	bool (*should_stop)(void *stop_data);
	void *stop_data;
	bool resched;
	struct gring_soft_mapping tlb;
	unsigned int tlb_gen;

	u32 commands;
	u32 fault_op;
};

int gring_soft_exec_run(struct gring_soft_exec *x);
int gring_soft_publish_rptr(struct gring_soft_exec *x, dma_addr_t rptr_dma,
			    u32 rptr);

#endif /* _GRING_ENGINE_SOFT_H_ */
