/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: engines, queues and jobs.
 *
 * The shape is v3d's and panfrost's. Each engine of a device (the soft
 * engine; the virtio-gpu engine of a bound function) has its hardware
 * queues, one drm_sched scheduler each, made with the device and living
 * until the DRM device is released. A ring userspace creates is a queue
 * here: one drm_sched_entity on its engine's schedulers, and whatever the
 * engine keeps per ring (the soft engine: the linear ring in a BO).
 * Creating a ring creates no thread.
 *
 * Lifetimes, outermost first:
 *
 * - The engine's memory (struct gring_engine, its schedulers and their
 *   names) is kref'd: the device holds a reference until its release, and
 *   every hardware fence holds one, because a fence handed out through a
 *   syncobj or sync_file may be asked its timeline name long after the
 *   device and the ring are gone. A hardware fence also holds a module
 *   reference: its ops are gring's code.
 * - A job holds its queue; a queue holds its file's state (struct
 *   gring_file); that holds the DRM device. So RING_DESTROY and close
 *   return at once, jobs run on (panfrost: "jobs can outlive their file
 *   context"), and the last job's free lets go of everything in turn,
 *   from a work item, never inside the scheduler's own callbacks.
 *
 * Userspace says "ring"; struct gring_ring is only the protocol over views
 * (gring_ring.h), so the object userspace creates is a queue here.
 */
#ifndef _GRING_JOB_H_
#define _GRING_JOB_H_

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>

#include "gring_drm.h"
#include "gring_view.h"

struct drm_device;
struct drm_file;
struct file;
struct page;
struct vm_area_struct;
struct seq_file;
struct gring_drm_device;
struct gring_engine;
struct gring_file;
struct gring_gem_object;
struct gring_job;
struct gring_busy_range;
struct gring_queue;
struct gring_ring_state;

/* Most hardware queues one engine has. */
#define GRING_MAX_SCHEDS	8

/* How many engine kinds the uapi names: enum drm_gring_engine. */
#define GRING_ENGINE_KINDS	(DRM_GRING_ENGINE_VIRTIO_GPU + 1)

/**
 * struct gring_engine_ops - what one kind of engine does; the rest of the
 *	driver never asks which kind it has
 * @name: for fdinfo (drm-engine-<name>), debugfs and scheduler names
 * @sched_ops: its schedulers' backend
 * @nr_scheds: hardware queues (schedulers) per engine instance
 * @credit_limit: credits each scheduler has (see @sched_ops and SUBMIT)
 * @timeout_ms: how long a job may run before its timeout handler runs
 * @queue_size: bytes of the engine's queue struct, which embeds struct
 *	gring_queue
 * @job_size: bytes of the engine's job struct, which embeds struct
 *	gring_job; the job's ranges follow it
 * @queue_init: give a new queue its engine state (@size: RING_CREATE's)
 * @queue_fini: release it, once the queue's last job has been freed; the
 *	device may be gone by then
 * @submit: SUBMIT on a ring of this engine, the generic fields checked
 * @query: fill RING_QUERY's ring state
 * @show: describe a queue in debugfs gring_rings
 * @job_fini: release the engine's part of a job (pushed or not)
 * @stop: stop the engine at remove: what runs is cancelled, what comes
 *	later completes with -ENODEV without running
 */
struct gring_engine_ops {
	const char *name;
	const struct drm_sched_backend_ops *sched_ops;
	unsigned int nr_scheds;
	u32 credit_limit;
	unsigned int (*timeout_ms)(void);
	size_t queue_size;
	size_t job_size;
	int (*queue_init)(struct gring_queue *q, u32 size);
	void (*queue_fini)(struct gring_queue *q);
	int (*submit)(struct drm_file *file, struct gring_queue *q,
		      const struct drm_gring_submit *args, u64 *seqno);
	void (*query)(struct gring_queue *q, struct gring_ring_state *st);
	void (*show)(struct gring_queue *q, struct seq_file *m);
	void (*job_fini)(struct gring_job *job);
	void (*stop)(struct gring_engine *engine);
};

/**
 * struct gring_sched - one hardware queue of an engine
 * @base: its scheduler
 * @engine: the engine it belongs to
 * @fence_context: the dma_fence context of its hardware fences: the
 *	queue completes jobs in order, so one timeline
 * @seqno: the last hardware fence seqno it gave
 * @lock: protects @inflight
 * @inflight: jobs handed to the hardware queue and not completed, so that
 *	a stop can cancel them
 * @name: the scheduler's name; fences return it as their timeline name
 */
struct gring_sched {
	struct drm_gpu_scheduler base;
	struct gring_engine *engine;
	u64 fence_context;
	atomic64_t seqno;
	spinlock_t lock; /* inflight */
	struct list_head inflight;
	char name[32];
};

/**
 * struct gring_engine - one engine instance of a device
 * @ref: the device's reference (until its release) and one per live
 *	hardware fence; the last frees the memory (RCU-deferred)
 * @ops: what kind of engine it is
 * @gdev: the device; valid only while the device's reference is held,
 *	so never reached from a fence
 * @id: the enum drm_gring_engine value userspace names it by
 * @priv: the engine kind's own device state (virtio-gpu: its transport)
 * @stopped: set at remove: nothing executes any more
 * @jobs_alive: jobs pushed to the schedulers and not yet freed
 * @idle_wq: where the release waits for @jobs_alive to reach zero
 * @rcu: for freeing
 * @sched_list: @scheds' schedulers, as entities take them: drm_sched
 *	keeps the array's address, so it lives with the engine
 * @nr_scheds: entries of @scheds
 * @scheds: the hardware queues
 */
struct gring_engine {
	struct kref ref;
	const struct gring_engine_ops *ops;
	struct gring_drm_device *gdev;
	u32 id;
	void *priv;
	bool stopped;
	atomic_t jobs_alive;
	wait_queue_head_t idle_wq;
	struct rcu_head rcu;
	struct drm_gpu_scheduler *sched_list[GRING_MAX_SCHEDS];
	unsigned int nr_scheds;
	struct gring_sched scheds[] __counted_by(nr_scheds);
};

/* How far ahead of a ring's oldest running job another may complete. */
#define GRING_RETIRE_WINDOW	64

/*
 * Jobs touching at most this many buffer ranges are allocated at one size,
 * and a freed one is kept by its queue for the next (struct gring_queue's
 * @spare).
 */
#define GRING_JOB_SPARE_RANGES	4

/**
 * struct gring_queue - one ring of one file
 * @refcount: the file's (until RING_DESTROY or close), and one per job
 *	until the job is freed; SUBMIT and RING_QUERY hold one while they
 *	use it
 * @release_work: the last reference's teardown, run on the driver's
 *	workqueue: it may be dropped in the scheduler's free_job
 * @dev_link: in the device's list of queues, for debugfs (queues_lock)
 * @gdev: the device
 * @engine: its engine
 * @ops: @engine->ops
 * @gfile: the file it was created by; the queue holds a reference, so
 *	it stays valid after the file is closed
 * @id: the ring id userspace knows it by (per file); 0 until RING_CREATE
 *	publishes the queue, then set under the table's lock and never changed
 * @name: for traces and logs, unique on the device
 * @bo: the one coherent allocation holding the engine's ring memory
 * @entity: the scheduler entity its jobs are pushed to
 * @direct_context: the dma_fence context of the fences of its jobs that
 *	completed inline, in SUBMIT (the direct path): a timeline of its own,
 *	seqno the job's ring seqno, so ordered and signalled in order
 * @spare: the memory of a freed job of this queue, kept for the next one
 *	(gring_job_alloc_bare()), or NULL; taken and put back with xchg()
 * @submit_lock: serialises ring writes and the scheduler pushes behind
 *	them, so ring order and job order are the same
 * @lock: protects the counters below
 * @seqno: the last seqno given to a job (@submit_lock)
 * @completed: every job up to this seqno completed (whatever its outcome)
 * @retire_mask: jobs after @completed already done: bit n for seqno
 *	@completed + 1 + n. A job completes at most GRING_RETIRE_WINDOW
 *	seqnos ahead of the oldest one still running: no engine runs more
 *	of one ring's jobs at once (a virtio-gpu ring: 32, the soft engine:
 *	one).
 * @retire_err: the errors of those jobs, by seqno % GRING_RETIRE_WINDOW
 * @status: the ring's struct drm_gring_ring_status, userspace's
 *	read-only view of @completed and the errors (gring_queue_retire())
 * @status_page: the page @status is in; a mapping holds its own reference
 * @faults: jobs that ended with a device fault or malformed command
 * @timeouts: jobs cancelled because they hung
 * @skipped: jobs not run because a dependency failed
 * @busy_ns: engine time spent on this queue's jobs
 */
struct gring_queue {
	struct kref refcount;
	struct work_struct release_work;
	struct list_head dev_link;
	struct gring_drm_device *gdev;
	struct gring_engine *engine;
	const struct gring_engine_ops *ops;
	struct gring_file *gfile;
	u32 id;
	char name[24];
	struct gring_gem_object *bo;
	struct drm_sched_entity entity;
	u64 direct_context;
	struct gring_job *spare;
	struct mutex submit_lock; /* ring writes + pushes, in order */

	spinlock_t lock; /* counters */
	u64 seqno;
	u64 completed;
	u64 retire_mask;
	int retire_err[GRING_RETIRE_WINDOW];
	struct drm_gring_ring_status *status;
	struct page *status_page;
	u64 faults;
	u64 timeouts;
	u64 skipped;
	u64 busy_ns;
};

/**
 * struct gring_job_range - one buffer range a job's commands touch
 * @bo: the buffer; the job holds a reference
 * @offset: first byte
 * @size: bytes
 * @write: the engine writes it (else only reads)
 * @lease: the range belongs to the engine while the job executes
 * @busy: on the first range of each BO, the claim SUBMIT allocated for
 *	the BO's busy tree, until it is published there (gring_busy.c)
 */
struct gring_job_range {
	struct gring_gem_object *bo;
	u64 offset;
	u64 size;
	bool write;
	struct gring_lease lease;
	struct gring_busy_range *busy;
};

/**
 * struct gring_claim - bytes of a BO someone has a claim on
 * @rb: in one of the BO's interval trees (its reservation lock)
 * @start: first byte
 * @last: last byte (inclusive, as interval trees have it)
 * @subtree_last: the interval tree's
 */
struct gring_claim {
	struct rb_node rb;
	u64 start;
	u64 last;
	u64 subtree_last;
};

/**
 * struct gring_cpu_hold - a range CPU_PREP gave the CPU
 * @node: in the BO's tree of holds
 * @file_link: in the file's list of holds, released when it closes
 * @bo: the BO; the hold keeps a reference
 * @flags: the DRM_GRING_PREP_READ/WRITE flags it was taken with
 */
struct gring_cpu_hold {
	struct gring_claim node;
	struct list_head file_link;
	struct gring_gem_object *bo;
	u32 flags;
};

/**
 * struct gring_job - one SUBMIT
 * @base: the scheduler's job
 * @queue: the queue it was submitted to; the job holds a reference
 * @sched: the hardware queue run_job handed it to
 * @hw_fence: signalled by the engine when the job has executed; on the
 *	direct path the job's only fence (gring_job_direct_begin())
 * @seqno: its seqno on the queue
 * @link: in its hardware queue's @inflight list while it executes
 * @cancel: set when the job hung or the engine stops: the engine ends it
 * @pushed: armed and pushed: the scheduler frees it
 * @direct: it takes the direct path: never seen by the scheduler, executed
 *	and completed inside SUBMIT, freed by gring_job_direct_free()
 * @spare_sized: allocated with room for GRING_JOB_SPARE_RANGES ranges,
 *	so its memory may become its queue's @spare when it is freed
 * @nr_ranges: entries in @ranges
 * @ranges: the buffer ranges its commands touch, sorted, merged, and
 *	allocated with the job
 */
struct gring_job {
	struct drm_sched_job base;
	struct gring_queue *queue;
	struct gring_sched *sched;
	struct dma_fence *hw_fence;
	u64 seqno;
	struct list_head link;
	bool cancel;
	bool pushed;
	bool direct;
	bool spare_sized;
	unsigned int nr_ranges;
	struct gring_job_range *ranges;
};

/**
 * struct gring_file - what gring keeps per open DRM file
 * @ref: the DRM file's, until postclose, and one per queue; the last one
 *	releases the file's state from a work item
 * @release_work: that release
 * @gdev: the device; the file state holds a reference to it
 * @queues: ring id -> struct gring_queue
 * @nr_queues: entries in @queues (xa_lock of @queues)
 * @holds_lock: protects @holds
 * @holds: the CPU_PREP holds the file has not given back
 * @engine_ns: engine time spent on this file's jobs, per engine kind,
 *	for fdinfo
 * @vgpu_lock: serialises the file's virtio-gpu SUBMITs, which check and
 *	change @vgpu_res
 * @vgpu_res: the file's virtio-gpu resources: its id -> struct
 *	gring_vgpu_res
 */
struct gring_file {
	struct kref ref;
	struct work_struct release_work;
	struct gring_drm_device *gdev;
	struct xarray queues;
	u32 nr_queues;
	spinlock_t holds_lock; /* holds */
	struct list_head holds;
	atomic64_t engine_ns[GRING_ENGINE_KINDS];
	struct mutex vgpu_lock; /* the file's virtio-gpu SUBMITs */
	struct xarray vgpu_res;
};

static inline struct gring_job *to_gring_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct gring_job, base);
}

static inline struct gring_sched *to_gring_sched(struct drm_gpu_scheduler *s)
{
	return container_of(s, struct gring_sched, base);
}

/* gring_sched.c */
extern struct workqueue_struct *gring_wq;
unsigned int gring_job_timeout_ms(void);
int gring_engine_create(struct gring_drm_device *gdev, u32 id,
			const struct gring_engine_ops *ops, void *priv);
void gring_engines_stop(struct gring_drm_device *gdev);
int gring_fences_init(void);
void gring_fences_fini(void);
struct dma_fence *gring_hw_fence_alloc(void);
void gring_hw_fence_free_unused(struct dma_fence *fence);
void gring_hw_fence_init(struct dma_fence *fence, struct gring_sched *sched);
void gring_direct_fence_init(struct dma_fence *fence, u64 context, u64 seqno);

/* gring_job.c */
struct gring_job *gring_job_alloc(struct gring_queue *q,
				  unsigned int nr_ranges, u32 credits,
				  struct drm_file *file);
struct gring_job *gring_job_alloc_bare(struct gring_queue *q,
				       unsigned int nr_ranges);
int gring_job_sched_init(struct gring_job *job, u32 credits,
			 struct drm_file *file);
void gring_job_direct_begin(struct gring_job *job);
void gring_job_direct_free(struct gring_job *job);
void gring_job_abort(struct gring_job *job);
struct dma_fence *gring_job_push(struct gring_job *job);
struct dma_fence *gring_job_run_begin(struct gring_job *job);
int gring_job_deps_status(struct gring_job *job);
int gring_job_give_ranges(struct gring_job *job);
void gring_job_take_ranges(struct gring_job *job);
void gring_job_done(struct gring_job *job, int err, u64 ns, ktime_t end);
void gring_job_free(struct drm_sched_job *sched_job);
void gring_job_merge_ranges(struct gring_job *job);
enum drm_gpu_sched_stat gring_job_timedout(struct drm_sched_job *sched_job,
					   void (*reset)(struct gring_job *));

/* gring_queue.c */
u32 gring_max_rings(void);
struct gring_queue *gring_queue_create(struct gring_drm_device *gdev,
				       struct gring_file *gfile,
				       struct gring_engine *engine, u32 size);
void gring_queue_put(struct gring_queue *q);
struct gring_queue *gring_queue_lookup(struct gring_file *gfile, u32 id);
void gring_queue_retire(struct gring_queue *q, u64 seqno, int err);
int gring_queue_status_mmap(struct file *filp, struct vm_area_struct *vma);
void gring_queue_debugfs_show(struct gring_queue *q, struct seq_file *m);

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
bool gring_submit_in_syncs_signalled(struct drm_file *file,
				     const struct drm_gring_submit *args);

/* gring_busy.c */

/**
 * struct gring_busy_lock - the reservation locks of one job's BOs
 * @ctx: the ww acquire context
 * @objs: each BO once, in the job's range order: @few, or allocated
 * @count: entries in @objs
 * @few: @objs of a job with few ranges, without an allocation
 */
struct gring_busy_lock {
	struct ww_acquire_ctx ctx;
	struct drm_gem_object **objs;
	unsigned int count;
	struct drm_gem_object *few[4];
};

int gring_busy_lock_job(struct gring_job *job, struct gring_busy_lock *l);
void gring_busy_unlock(struct gring_busy_lock *l);
int gring_busy_check_job(struct gring_job *job);
void gring_busy_publish_job(struct gring_job *job, struct dma_fence *finished);
int gring_busy_job_ready(struct gring_job *job);
void gring_busy_publish_fence(struct gring_job *job, struct dma_fence *fence);
void gring_busy_range_discard(struct gring_job_range *r);
void gring_busy_bo_init(struct gring_gem_object *bo);
void gring_busy_bo_fini(struct gring_gem_object *bo);
struct dma_fence *gring_busy_conflict(struct gring_gem_object *bo, u64 offset,
				      u64 size, bool write);
void gring_busy_hold_add(struct gring_gem_object *bo,
			 struct gring_cpu_hold *hold, u64 offset, u64 size);
void gring_busy_hold_del(struct gring_cpu_hold *hold);

/* gring_prep.c */
int gring_ioctl_cpu_prep(struct drm_device *drm, void *data,
			 struct drm_file *file);
int gring_ioctl_cpu_fini(struct drm_device *drm, void *data,
			 struct drm_file *file);
void gring_prep_file_close(struct gring_file *gfile);

/* gring_drv.c */
void gring_file_put(struct gring_file *gfile);

#endif /* _GRING_JOB_H_ */
