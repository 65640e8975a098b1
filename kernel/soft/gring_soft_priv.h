/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: what the soft engine's driver side shares between its rings and
 * run_job (gring_soft.c) and its SUBMIT (gring_soft_submit.c).
 */
#ifndef _GRING_SOFT_PRIV_H_
#define _GRING_SOFT_PRIV_H_

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_ring.h"
#include "gring_view.h"

struct drm_file;
struct drm_gring_submit;
struct gring_soft_scratch;

/**
 * struct gring_soft_queue - a soft-engine ring
 * @base: the queue
 * @ring: the ring protocol over views of the queue's BO
 * @wb_rptr: the view of the writeback area's read pointer
 * @wb_seqno: the view of the writeback area's completed seqno, which
 *	every job's last command (a FENCE) writes
 * @size: bytes in the ring
 * @space_wq: where SUBMIT waits for ring space
 * @retired: bumped at every completion, for SUBMIT waiting for room
 * @last_sched: the finished fence of the last job pushed to the scheduler,
 *	with a reference, or NULL (@base.submit_lock): the ring is idle once
 *	it has signalled
 * @scratch: a SUBMIT scratch kept for the next one (struct
 *	gring_soft_scratch), or NULL; taken and given back with xchg()
 * @nr_direct: jobs that took the direct path (@base.submit_lock)
 * @nr_scheduled: jobs pushed to the scheduler (@base.submit_lock)
 * @tlb: the engine's IOTLB entry after the ring's last run, and
 * @tlb_gen: when it was found (struct gring_soft_exec); the ring's runs
 *	follow one another, so only they touch these
 */
struct gring_soft_queue {
	struct gring_queue base;
	struct gring_ring ring;
	struct gring_view wb_rptr;
	struct gring_view wb_seqno;
	u32 size;
	wait_queue_head_t space_wq;
	atomic_t retired;
	struct dma_fence *last_sched;
	struct gring_soft_scratch *scratch;
	u64 nr_direct;
	u64 nr_scheduled;
	struct gring_soft_mapping tlb;
	unsigned int tlb_gen;
};

/**
 * struct gring_soft_job - a soft-engine job
 * @base: the job
 * @ring_offset: where its commands start in the ring
 * @ring_bytes: bytes of ring it occupies (padding included)
 * @ring_lease: the ring bytes holding its commands, the engine's until it
 *	completes
 */
struct gring_soft_job {
	struct gring_job base;
	u32 ring_offset;
	u32 ring_bytes;
	struct gring_lease ring_lease;
};

static inline struct gring_soft_queue *to_soft_queue(struct gring_queue *q)
{
	return container_of(q, struct gring_soft_queue, base);
}

static inline struct gring_soft_job *to_soft_job(struct gring_job *job)
{
	return container_of(job, struct gring_soft_job, base);
}

void gring_soft_execute(struct gring_soft_job *sjob);
int gring_soft_submit(struct drm_file *file, struct gring_queue *base,
		      const struct drm_gring_submit *args, u64 *seqno);

#endif /* _GRING_SOFT_PRIV_H_ */
