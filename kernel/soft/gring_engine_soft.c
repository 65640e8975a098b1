// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the soft engine's command processor and its table of mapped
 * buffers. See gring_engine_soft.h for the command stream.
 *
 * Everything here runs as "the device": it must not trust the ring's
 * contents any more than a GPU trusts a command buffer. Malformed commands
 * and unmapped addresses stop the run with an error; they are never
 * clamped, skipped or guessed at.
 */

#include <linux/compiler.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <asm/barrier.h>
#include <asm/byteorder.h>

#include "gring_engine_soft.h"

/* A stall sleeps in slices this long, so a reset is noticed quickly. */
#define GRING_SOFT_STALL_SLICE_US	500

/**
 * gring_soft_mmu_init() - start an empty table of mapped buffers
 * @mmu: the table
 */
void gring_soft_mmu_init(struct gring_soft_mmu *mmu)
{
	/*
	 * RCU mode: the engine looks addresses up (mtree_load(), under RCU)
	 * while buffers are mapped and unmapped, and a plain tree frees its
	 * nodes at once on every change -- a lookup could read a freed node
	 * (KASAN saw it once rings ran on several hardware queues).
	 */
	mt_init_flags(&mmu->mt, MT_FLAGS_USE_RCU);
	atomic_set(&mmu->unmaps, 0);
}

/**
 * gring_soft_mmu_destroy() - tear down a table
 * @mmu: the table; every mapping should have been unmapped
 *
 * A mapping still present here is a driver bug (a buffer freed without
 * being unmapped, or the engine torn down with buffers alive).
 */
void gring_soft_mmu_destroy(struct gring_soft_mmu *mmu)
{
	WARN_ON_ONCE(!mtree_empty(&mmu->mt));
	mtree_destroy(&mmu->mt);
}

/**
 * gring_soft_mmu_map() - let the engine reach a buffer
 * @mmu: the table
 * @map: the buffer's DMA address, size and kernel mapping; must stay valid
 *	until gring_soft_mmu_unmap()
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL for an empty or wrapping range, -EEXIST if any byte
 * of the range is already mapped (two buffers cannot share DMA addresses),
 * or -ENOMEM.
 */
int gring_soft_mmu_map(struct gring_soft_mmu *mmu,
		       struct gring_soft_mapping *map)
{
	dma_addr_t last;

	if (!map->size || check_add_overflow(map->dma, map->size - 1, &last))
		return -EINVAL;
	/* The tree is indexed by unsigned long: no silent truncation. */
	if (last > ULONG_MAX)
		return -EINVAL;

	return mtree_insert_range(&mmu->mt, map->dma, last, map, GFP_KERNEL);
}

/**
 * gring_soft_mmu_unmap() - take a buffer away from the engine
 * @mmu: the table
 * @map: a mapping gring_soft_mmu_map() accepted
 *
 * After this returns the engine resolves no address to @map. The caller
 * must also know that no run is still using a pointer resolved earlier:
 * the driver unmaps a buffer only when it is freed, and every job holds a
 * reference to each buffer its commands name.
 */
void gring_soft_mmu_unmap(struct gring_soft_mmu *mmu,
			  struct gring_soft_mapping *map)
{
	void *old = mtree_erase(&mmu->mt, map->dma);

	WARN_ON_ONCE(old != map);
	/*
	 * After the erase, before the caller frees the buffer (and its DMA
	 * addresses can be handed out again): fully ordered, so a run that
	 * reads the old count still found @map in the table.
	 */
	atomic_inc_return(&mmu->unmaps);
}

/* Does @map hold all of [@dma, @end)? */
static bool gring_soft_map_holds(const struct gring_soft_mapping *map,
				 dma_addr_t dma, dma_addr_t end)
{
	return dma >= map->dma && end - map->dma <= map->size;
}

/*
 * Translate a device access of @len bytes at @dma for a run: through the
 * IOTLB when it holds the access and no buffer was unmapped since it was
 * filled, else through the table (and the IOTLB then holds a copy of the
 * mapping found, as of the unmap count read before the walk).
 *
 * The IOTLB is a copy, never a pointer into the mapping: an entry an
 * earlier run left may be of a buffer that is being freed right now, and
 * only its numbers are looked at before they are known to be current.
 */
static void *gring_soft_resolve(struct gring_soft_exec *x, u64 dma, u64 len)
{
	unsigned int gen = atomic_read_acquire(&x->mmu->unmaps);
	const struct gring_soft_mapping *map;
	dma_addr_t end;

	if (!len || len > SIZE_MAX ||
	    check_add_overflow((dma_addr_t)dma, (dma_addr_t)len, &end) ||
	    dma > ULONG_MAX)
		return NULL;

	if (!x->tlb.size || x->tlb_gen != gen ||
	    !gring_soft_map_holds(&x->tlb, dma, end)) {
		/* Every address a run touches is in a buffer the job holds. */
		map = mtree_load(&x->mmu->mt, dma);
		if (!map || !gring_soft_map_holds(map, dma, end))
			return NULL;
		x->tlb = *map;
		x->tlb_gen = gen;
	}
	return x->tlb.vaddr + (dma - x->tlb.dma);
}

/**
 * gring_soft_mmu_resolve() - translate a device access to a kernel pointer
 * @mmu: the table
 * @dma: first byte the device wants to touch
 * @len: bytes it wants to touch (non-zero)
 *
 * The whole range must lie inside one mapping: a buffer ends where its
 * allocation ends, even if another happens to follow it in DMA space.
 *
 * Return: the kernel address of @dma, or NULL (a device fault).
 */
void *gring_soft_mmu_resolve(struct gring_soft_mmu *mmu, dma_addr_t dma,
			     size_t len)
{
	struct gring_soft_exec x = { .mmu = mmu };

	return gring_soft_resolve(&x, dma, len);
}

static u64 gring_soft_word(const __le64 *cmd, unsigned int i)
{
	return le64_to_cpu(READ_ONCE(cmd[i]));
}

static int gring_soft_stall(struct gring_soft_exec *x, u64 ns)
{
	u64 start = ktime_get_ns();

	while (ktime_get_ns() - start < ns) {
		if (x->should_stop && x->should_stop(x->stop_data))
			return -ECANCELED;
		fsleep(GRING_SOFT_STALL_SLICE_US);
	}
	return 0;
}

/*
 * Execute one decoded command: @cmd points at its header word, already
 * read into @hdr, and its length is the op's (checked by the caller), so
 * every word read here is the command's own.
 */
static int gring_soft_exec_one(struct gring_soft_exec *x, u32 op, u64 hdr,
			       const __le64 *cmd)
{
	u32 arg = hdr >> GRING_SOFT_HDR_ARG_SHIFT;
	u64 dst_dma;
	void *dst, *src;
	u64 bytes;

	/* A NOP may be one word: it has no operand to read. */
	if (op == GRING_SOFT_OP_NOP)
		return 0;
	dst_dma = gring_soft_word(cmd, 1);

	switch (op) {
	case GRING_SOFT_OP_WRITE32:
		dst = gring_soft_resolve(x, dst_dma, sizeof(u32));
		if (!dst)
			return -EFAULT;
		WRITE_ONCE(*(__le32 *)dst, cpu_to_le32(arg));
		return 0;
	case GRING_SOFT_OP_WRITE64:
		dst = gring_soft_resolve(x, dst_dma, sizeof(u64));
		if (!dst)
			return -EFAULT;
		WRITE_ONCE(*(__le64 *)dst, cpu_to_le64(gring_soft_word(cmd, 2)));
		return 0;
	case GRING_SOFT_OP_COPY:
		bytes = gring_soft_word(cmd, 3);
		dst = gring_soft_resolve(x, dst_dma, bytes);
		src = gring_soft_resolve(x, gring_soft_word(cmd, 2), bytes);
		if (!dst || !src)
			return -EFAULT;
		/* Like a DMA engine, a copy onto itself is defined. */
		memmove(dst, src, bytes);
		return 0;
	case GRING_SOFT_OP_FILL:
		bytes = gring_soft_word(cmd, 2);
		dst = gring_soft_resolve(x, dst_dma, bytes);
		if (!dst || bytes % sizeof(u32))
			return -EFAULT;
		memset32(dst, arg, bytes / sizeof(u32));
		return 0;
	case GRING_SOFT_OP_TIMESTAMP:
		dst = gring_soft_resolve(x, dst_dma, sizeof(u64));
		if (!dst)
			return -EFAULT;
		WRITE_ONCE(*(__le64 *)dst, cpu_to_le64(ktime_get_ns()));
		return 0;
	case GRING_SOFT_OP_FENCE:
		dst = gring_soft_resolve(x, dst_dma, sizeof(u64));
		if (!dst)
			return -EFAULT;
		/*
		 * A device orders its completion write after the data writes
		 * of the commands before it; the driver's dma_rmb() after
		 * reading the seqno pairs with this.
		 */
		dma_wmb();
		WRITE_ONCE(*(__le64 *)dst, cpu_to_le64(gring_soft_word(cmd, 2)));
		return 0;
	case GRING_SOFT_OP_STALL:
		return gring_soft_stall(x, dst_dma);
	}
	return -EINVAL;
}

/**
 * gring_soft_exec_run() - execute the @x->bytes of commands at @x->head
 * @x: the run; see struct gring_soft_exec
 *
 * Reads the commands through @x->mmu, like the rest of the engine's
 * accesses: each contiguous piece of the stretch is resolved once. Stops
 * at the first command that fails and leaves @x->head on it, so the
 * driver can report where the job went wrong and skip past it.
 *
 * A run keeps the last mapping it resolved through (@x->tlb, a copy), so
 * that a job's accesses to one buffer -- the ring, then the seqno and read
 * pointer beside it -- walk the table once, and the ring keeps it for its
 * next run, as a device's IOTLB outlives one job: a job of a ring whose
 * buffers stayed put walks the table not at all. The entry is not used
 * once any buffer was unmapped after it was found (@x->tlb_gen against
 * the table's count), so it never names a mapping that has gone, whose
 * DMA addresses another buffer may have been given. Within the run every
 * address touched is in a buffer the driver holds for the whole job (its
 * ranges, the ring's own buffer): a mapping found during it stays in the
 * table until it ends. gring_soft_publish_rptr() after the run still
 * counts as the run.
 *
 * Context: process context; may sleep (STALL).
 * Return: 0 when every command ran; -EFAULT for an address outside every
 * mapping (the ring itself included); -EINVAL for a malformed command (an
 * unknown opcode, a wrong length, or one crossing the end of the ring or
 * the stretch); -ECANCELED when @x->should_stop ended a stall.
 */
int gring_soft_exec_run(struct gring_soft_exec *x)
{
	u32 left = x->bytes;

	if (!x->ring_size || x->ring_size % GRING_SOFT_WORD ||
	    x->head >= x->ring_size || x->head % GRING_SOFT_WORD ||
	    x->bytes > x->ring_size || x->bytes % GRING_SOFT_WORD)
		return -EINVAL;

	x->commands = 0;
	while (left) {
		/*
		 * The stretch is at most two contiguous pieces, before and
		 * after the ring's end: each is resolved once, as a whole --
		 * the device's ring is one mapping -- and a command may cross
		 * the end of neither.
		 */
		u32 seg = min(left, x->ring_size - x->head);
		const __le64 *base;
		u32 pos = 0;

		base = gring_soft_resolve(x, x->ring + x->head, seg);
		if (!base) {
			x->fault_op = GRING_SOFT_OP_COUNT;
			return -EFAULT;
		}

		while (pos < seg) {
			const __le64 *cmd = base + pos / GRING_SOFT_WORD;
			u64 hdr = gring_soft_word(cmd, 0);
			u32 op = hdr & GRING_SOFT_HDR_OP_MASK;
			unsigned int words = hdr >> GRING_SOFT_HDR_LEN_SHIFT &
					     GRING_SOFT_HDR_LEN_MASK;
			int ret;

			if (!words || (op != GRING_SOFT_OP_NOP &&
				       words != gring_soft_op_words(op)) ||
			    words * GRING_SOFT_WORD > seg - pos)
				ret = -EINVAL;
			else
				ret = gring_soft_exec_one(x, op, hdr, cmd);
			if (ret) {
				/* @x->head is already this command's offset. */
				x->fault_op = op;
				return ret;
			}

			x->commands++;
			pos += words * GRING_SOFT_WORD;
			x->head += words * GRING_SOFT_WORD;
			if (x->resched)
				cond_resched();
		}
		left -= seg;
		if (x->head == x->ring_size)
			x->head = 0;
	}
	return 0;
}

/**
 * gring_soft_publish_rptr() - the engine writes back its read pointer
 * @x: the run that consumed the commands: the address is resolved as
 *	its other accesses are
 * @rptr_dma: DMA address of the writeback area's 32-bit read pointer
 * @rptr: the ring offset the engine has consumed up to
 *
 * Return: 0, or -EFAULT if @rptr_dma is not mapped.
 */
int gring_soft_publish_rptr(struct gring_soft_exec *x, dma_addr_t rptr_dma,
			    u32 rptr)
{
	__le32 *p = gring_soft_resolve(x, rptr_dma, sizeof(*p));

	if (!p)
		return -EFAULT;
	/*
	 * Everything the engine wrote for the commands before this point
	 * is visible before the pointer that says they are done: the
	 * driver's dma_rmb() after reading the pointer pairs with this.
	 */
	dma_wmb();
	WRITE_ONCE(*p, cpu_to_le32(rptr));
	return 0;
}
