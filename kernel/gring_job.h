/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: queues (a ring, its scheduler and its engine context) and the
 * jobs submitted to them.
 *
 * Userspace says "ring"; the kernel's struct gring_ring is only the
 * protocol over views (gring_ring.h), so the object that owns one, with a
 * drm_sched scheduler and an engine behind it, is a queue here.
 */
#ifndef _GRING_JOB_H_
#define _GRING_JOB_H_

#include <linux/bitmap.h>
#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/gpu_scheduler.h>

#include "gring_drm.h"
#include "gring_ring.h"
#include "gring_view.h"

struct drm_file;
struct seq_file;
struct gring_drm_device;
struct gring_gem_object;

/**
 * struct gring_queue - one ring of one file, with its scheduler and engine
 * @refcount: SUBMIT and RING_QUERY hold a reference while they use it
 * @dev_link: in the device's list of queues (queues_lock)
 * @gdev: the device
 * @gfile: the file it belongs to
 * @id: the ring id userspace knows it by (per file)
 * @ring_size: bytes in the ring
 * @name: for traces and workqueues, unique on the device
 * @bo: the one coherent allocation holding the ring and its writeback area
 * @ring: the ring protocol over views of @bo
 * @wb_rptr: the view of the writeback area's read pointer
 * @wb_seqno: the view of the writeback area's completed seqno, which
 *	every job's last command (a FENCE) writes
 * @sched: the queue's own scheduler: one ring, one entity
 * @entity: the entity jobs are pushed to
 * @engine_wq: the soft engine's hardware queue for this ring: ordered, so
 *	jobs execute one after another, in ring order; on a virtio-gpu ring,
 *	the scheduler's submit_wq (see gring_queue_create())
 * @submit_lock: serialises ring writes and the scheduler pushes behind
 *	them, so ring order and job order are the same
 * @space_wq: where SUBMIT waits for ring space
 * @idle_wq: where teardown waits for the last job to be freed
 * @fence_context: the dma_fence context of the queue's hardware fences
 * @fence_lock: the lock of those fences
 * @lock: protects @inflight and the counters below
 * @inflight: jobs handed to the engine and not yet completed
 * @jobs_alive: jobs pushed and not yet freed
 * @retired: bumped at every completion, for SUBMIT waiting for room
 * @seqno: the last seqno given to a job
 * @completed: the last seqno whose job completed (whatever its outcome)
 * @faults: jobs that ended with a device fault or malformed command
 * @timeouts: jobs cancelled because they hung
 * @busy_ns: engine time spent on this queue's jobs
 * @engine: DRM_GRING_ENGINE_SOFT (@ring, @wb_rptr, @wb_seqno in use) or
 *	DRM_GRING_ENGINE_VIRTIO_GPU (@bo holds command slots instead)
 * @vgpu_slots: a virtio-gpu ring's slots in use (@lock)
 */
struct gring_queue {
	struct kref refcount;
	struct list_head dev_link;
	struct gring_drm_device *gdev;
	struct gring_file *gfile;
	u32 id;
	u32 ring_size;
	char name[24];
	struct gring_gem_object *bo;
	struct gring_ring ring;
	struct gring_view wb_rptr;
	struct gring_view wb_seqno;

	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	struct workqueue_struct *engine_wq;

	struct mutex submit_lock; /* ring writes + pushes, in order */
	wait_queue_head_t space_wq;
	wait_queue_head_t idle_wq;

	u64 fence_context;
	spinlock_t fence_lock; /* of the hardware fences */

	spinlock_t lock; /* inflight and counters */
	struct list_head inflight;
	atomic_t jobs_alive;
	atomic_t retired;
	u64 seqno;
	u64 completed;
	u64 faults;
	u64 timeouts;
	u64 busy_ns;
	u32 engine;
	DECLARE_BITMAP(vgpu_slots, DRM_GRING_VGPU_MAX_CMDS);
};

/**
 * struct gring_job_range - one buffer range a job's commands touch
 * @bo: the buffer; the job holds a reference
 * @offset: first byte
 * @size: bytes
 * @write: the engine writes it (else only reads)
 * @lease: the range belongs to the engine while the job executes
 * @busy_link: in the buffer's list of ranges jobs have in flight
 * @fence: the job's finished fence, for CPU_PREP and later jobs to wait on
 */
struct gring_job_range {
	struct gring_gem_object *bo;
	u64 offset;
	u64 size;
	bool write;
	struct gring_lease lease;
	struct list_head busy_link;
	struct dma_fence *fence;
};

/**
 * struct gring_job - one SUBMIT
 * @base: the scheduler's job
 * @queue: the queue it was submitted to
 * @hw_fence: signalled by the engine when the job has executed
 * @seqno: its seqno on the queue
 * @ring_offset: where its commands start in the ring
 * @ring_bytes: bytes of ring it occupies (padding included)
 * @ring_lease: the ring bytes holding its commands, the engine's until it
 *	completes
 * @work: the engine executing it
 * @link: in the queue's @inflight list
 * @cancel: set when the job hung: the engine stops it
 * @engine_data: the virtio-gpu engine's part of the job, or NULL
 * @nr_ranges: entries in @ranges
 * @ranges: the buffer ranges its commands touch
 */
struct gring_job {
	struct drm_sched_job base;
	struct gring_queue *queue;
	struct dma_fence *hw_fence;
	u64 seqno;
	u32 ring_offset;
	u32 ring_bytes;
	struct gring_lease ring_lease;
	struct work_struct work;
	struct list_head link;
	bool cancel;
	void *engine_data;
	unsigned int nr_ranges;
	struct gring_job_range ranges[] __counted_by(nr_ranges);
};

/**
 * struct gring_file - what gring keeps per open DRM file
 * @queues: ring id -> struct gring_queue
 * @holds: the CPU_PREP holds the file has not given back (busy_lock)
 * @engine_ns: engine time spent on this file's jobs, for fdinfo
 * @vgpu_lock: serialises the file's virtio-gpu SUBMITs, which check and
 *	change @vgpu_res
 * @vgpu_res: the file's virtio-gpu resources: its id -> struct
 *	gring_vgpu_res
 */
struct gring_file {
	struct xarray queues;
	struct list_head holds;
	atomic64_t engine_ns;
	struct mutex vgpu_lock; /* the file's virtio-gpu SUBMITs */
	struct xarray vgpu_res;
};

/* gring_job.c */
extern const struct drm_sched_backend_ops gring_sched_ops;
unsigned int gring_job_timeout_ms(void);
int gring_job_give_ranges(struct gring_job *job);
void gring_job_take_ranges(struct gring_job *job);
void gring_queue_job_done(struct gring_queue *q, struct gring_job *job,
			  int err, u64 ns);
void gring_queue_job_lost(struct gring_queue *q, struct gring_job *job);

/* gring_queue.c */
struct gring_queue *gring_queue_create(struct gring_drm_device *gdev,
				       struct gring_file *gfile, u32 engine,
				       u32 size);
void gring_queue_put(struct gring_queue *q);
struct gring_queue *gring_queue_lookup(struct gring_file *gfile, u32 id);
void gring_engine_stop_all(struct gring_drm_device *gdev);

/* gring_query.c */
void gring_queue_debugfs_show(struct gring_queue *q, struct seq_file *m);
struct gring_job *gring_job_alloc(struct gring_queue *q,
				  unsigned int nr_ranges, u32 credits,
				  struct drm_file *file);
void gring_job_abort(struct gring_job *job);
struct dma_fence *gring_job_push(struct gring_job *job, u64 seqno);

/* gring_submit.c */
struct drm_syncobj;
struct dma_fence_chain;

/**
 * struct gring_out_sync - the syncobj a SUBMIT signals, looked up first
 * @syncobj: the syncobj, with a reference, or NULL
 * @chain: a preallocated timeline link for a point, or NULL
 */
struct gring_out_sync {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
};

int gring_out_sync_prepare(struct drm_file *file,
			   const struct drm_gring_submit *args,
			   struct gring_out_sync *out);
void gring_out_sync_commit(struct gring_out_sync *out, struct dma_fence *fence,
			   u64 point);
void gring_out_sync_fini(struct gring_out_sync *out);
int gring_submit_in_syncs(struct drm_file *file,
			  const struct drm_gring_submit *args,
			  struct gring_job *job);
void gring_job_merge_ranges(struct gring_job *job);

/* gring_prep.c */
int gring_busy_check_job(struct gring_drm_device *gdev,
			 struct gring_job *job);
void gring_busy_publish_job(struct gring_drm_device *gdev,
			    struct gring_job *job);
void gring_busy_release_job(struct gring_drm_device *gdev,
			    struct gring_job *job);
void gring_prep_file_close(struct gring_drm_device *gdev,
			   struct gring_file *gfile);

#endif /* _GRING_JOB_H_ */
