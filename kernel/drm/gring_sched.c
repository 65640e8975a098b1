// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: engines and their hardware queues -- one drm_sched scheduler per
 * hardware queue, made when the device is, finished when the DRM device is
 * released -- and the hardware fences the queues signal.
 *
 * A scheduler's fences (drm_sched's finished and scheduled fences) point
 * at the scheduler: their timeline name is its name. Userspace can hold
 * such a fence in a syncobj or sync_file for as long as it likes, so the
 * memory behind the name must outlive the device, the ring and the file.
 * Every finished fence holds its hardware fence (drm_sched keeps the
 * parent until the scheduled fence is freed), and every hardware fence
 * holds the engine's memory and a module reference. The engine's memory
 * goes with the last of them, after an RCU grace period.
 */

#include <linux/dma-fence.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "gring_drv.h"
#include "gring_job.h"

/*
 * gring_wq: the driver's workqueue for releasing queues and files
 *
 * Their last references are often dropped inside a scheduler callback
 * (free_job), where tearing down an entity or a device must not happen.
 * Module exit drains it.
 */
struct workqueue_struct *gring_wq;

static unsigned int job_timeout_ms = 2000;
module_param(job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms,
		 "A soft-engine job still running after this many ms is cancelled (default 2000)");

/**
 * gring_job_timeout_ms() - how long a soft-engine job may run
 *
 * Return: the job_timeout_ms module parameter, at least 1.
 */
unsigned int gring_job_timeout_ms(void)
{
	return max(job_timeout_ms, 1U);
}

/* --- hardware fences ------------------------------------------------------- */

/**
 * struct gring_hw_fence - a hardware queue's completion of one job
 * @base: the fence
 * @lock: its own lock: the fence outlives the queue and the device
 * @sched: the hardware queue that signals it; its engine's memory is
 *	held by the fence. NULL for a direct fence (gring_direct_fence_init()),
 *	whose timeline name is a constant.
 */
struct gring_hw_fence {
	struct dma_fence base;
	spinlock_t lock; /* the fence's */
	struct gring_sched *sched;
};

static struct gring_hw_fence *to_hw_fence(struct dma_fence *fence)
{
	return container_of(fence, struct gring_hw_fence, base);
}

static const char *gring_hw_fence_driver_name(struct dma_fence *fence)
{
	return "gring";
}

static const char *gring_hw_fence_timeline_name(struct dma_fence *fence)
{
	return to_hw_fence(fence)->sched->name;
}

static void gring_engine_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct gring_engine, rcu));
}

static void gring_engine_release(struct kref *ref)
{
	struct gring_engine *engine = container_of(ref, struct gring_engine,
						   ref);

	/* Fence readers of a scheduler's name may be in an RCU section. */
	call_rcu(&engine->rcu, gring_engine_free_rcu);
}

/*
 * Hardware fences come from a slab of their own, SLAB_TYPESAFE_BY_RCU as
 * i915's requests do: a fence's memory is reused as soon as its last
 * reference goes, rather than a grace period later, so a ring's next
 * fence is the one just freed, still in the CPU's cache, and no RCU
 * callback runs per job. A reader that found a fence under RCU without
 * holding a reference may find it reused: it takes its reference with
 * dma_fence_get_rcu_safe(), which checks for exactly that, or rereads
 * under a seqcount (dma_resv). What a fence points at -- the engine's
 * memory for its name -- is still freed after a grace period
 * (gring_engine_release()).
 */
static struct kmem_cache *gring_fence_slab;

/*
 * Each fence holds a module reference: its ops are this module's code.
 * Releases count theirs here, and the first count of a batch queues
 * gring_fence_put_work, which drops the batch a grace period later. Module
 * exit flushes it: the work that drops the last reference has returned
 * before the code goes.
 */
static atomic_t gring_fence_puts = ATOMIC_INIT(0);

static void gring_fence_put_module(struct work_struct *work)
{
	int n = atomic_xchg(&gring_fence_puts, 0);

	while (n--)
		module_put(THIS_MODULE);
}

static struct rcu_work gring_fence_put_work;

static void gring_hw_fence_release(struct dma_fence *fence)
{
	struct gring_hw_fence *hw = to_hw_fence(fence);

	if (hw->sched)
		kref_put(&hw->sched->engine->ref, gring_engine_release);
	kmem_cache_free(gring_fence_slab, hw);
	if (atomic_inc_return(&gring_fence_puts) == 1)
		queue_rcu_work(system_wq, &gring_fence_put_work);
}

/**
 * gring_fences_init() - the hardware fences' slab, at module load
 *
 * Return: 0 or -ENOMEM.
 */
int gring_fences_init(void)
{
	INIT_RCU_WORK(&gring_fence_put_work, gring_fence_put_module);
	gring_fence_slab = kmem_cache_create("gring_fence",
					     sizeof(struct gring_hw_fence), 0,
					     SLAB_TYPESAFE_BY_RCU |
					     SLAB_ACCOUNT, NULL);
	return gring_fence_slab ? 0 : -ENOMEM;
}

/**
 * gring_fences_fini() - at module exit, when no fence is left (each held
 *	the module): wait for the work that dropped their references, then
 *	the slab goes (after the grace period its readers need)
 */
void gring_fences_fini(void)
{
	flush_rcu_work(&gring_fence_put_work);
	kmem_cache_destroy(gring_fence_slab);
}

static const struct dma_fence_ops gring_hw_fence_ops = {
	.get_driver_name = gring_hw_fence_driver_name,
	.get_timeline_name = gring_hw_fence_timeline_name,
	.release = gring_hw_fence_release,
};

static const char *gring_direct_fence_timeline_name(struct dma_fence *fence)
{
	return "gring-direct";
}

/*
 * A direct fence is signalled before anyone else sees it: it needs no
 * signalling callback, only a name and the same release.
 */
static const struct dma_fence_ops gring_direct_fence_ops = {
	.get_driver_name = gring_hw_fence_driver_name,
	.get_timeline_name = gring_direct_fence_timeline_name,
	.release = gring_hw_fence_release,
};

/**
 * gring_hw_fence_alloc() - memory for a job's hardware fence
 *
 * Allocated at SUBMIT, so that run_job, on the fence signalling path,
 * allocates nothing.
 *
 * Return: the fence, not initialised, or NULL.
 */
struct dma_fence *gring_hw_fence_alloc(void)
{
	struct gring_hw_fence *hw = kmem_cache_zalloc(gring_fence_slab,
						      GFP_KERNEL);

	return hw ? &hw->base : NULL;
}

/**
 * gring_hw_fence_free_unused() - free a fence gring_hw_fence_init() never saw
 * @fence: from gring_hw_fence_alloc(), or NULL
 */
void gring_hw_fence_free_unused(struct dma_fence *fence)
{
	if (fence)
		kmem_cache_free(gring_fence_slab, to_hw_fence(fence));
}

/**
 * gring_hw_fence_init() - make a job's fence the next on a hardware queue
 * @fence: from gring_hw_fence_alloc()
 * @sched: the hardware queue that will signal it
 *
 * The fence takes a reference to the engine's memory and to the module;
 * both go when the fence is freed. dma_fence_put() releases it from then
 * on.
 *
 * Context: run_job; allocates nothing.
 */
void gring_hw_fence_init(struct dma_fence *fence, struct gring_sched *sched)
{
	struct gring_hw_fence *hw = to_hw_fence(fence);

	spin_lock_init(&hw->lock);
	hw->sched = sched;
	kref_get(&sched->engine->ref);
	__module_get(THIS_MODULE);
	dma_fence_init(fence, &gring_hw_fence_ops, &hw->lock,
		       sched->fence_context,
		       atomic64_inc_return(&sched->seqno));
}

/**
 * gring_direct_fence_init() - make a job's fence the fence of a job that
 *	completes inline, in its SUBMIT
 * @fence: from gring_hw_fence_alloc()
 * @context: the ring's direct context (struct gring_queue's
 *	@direct_context)
 * @seqno: the job's ring seqno
 *
 * Not a hardware queue's fence: a hardware queue's seqnos are shared by
 * every ring running on it, and a fence signalled out of that order would
 * break the dma_fence rule that a context's fences signal in seqno order.
 * The ring's direct jobs run one at a time, in ring order, each signalled
 * before its SUBMIT returns, so on the ring's own context, numbered by
 * ring seqno, they are ordered and signal in order. The fence holds a
 * module reference (its ops are gring's code), not the engine: its
 * timeline name is a constant.
 *
 * Context: SUBMIT; allocates nothing.
 */
void gring_direct_fence_init(struct dma_fence *fence, u64 context, u64 seqno)
{
	struct gring_hw_fence *hw = to_hw_fence(fence);

	spin_lock_init(&hw->lock);
	hw->sched = NULL;
	__module_get(THIS_MODULE);
	dma_fence_init(fence, &gring_direct_fence_ops, &hw->lock, context,
		       seqno);
}

/* --- engines --------------------------------------------------------------- */

/*
 * The DRM device is released: every file, queue and job is gone, so no
 * entity is left on the schedulers. Finish them, and let go of the
 * device's reference to the memory; fences may hold it a while longer.
 */
static void gring_engine_fini(struct drm_device *drm, void *data)
{
	struct gring_engine *engine = data;
	unsigned int i;

	/* Jobs hold the device (through their queue): none can be left. */
	wait_event(engine->idle_wq, !atomic_read(&engine->jobs_alive));
	for (i = 0; i < engine->nr_scheds; i++)
		drm_sched_fini(&engine->scheds[i].base);
	kref_put(&engine->ref, gring_engine_release);
}

static void gring_device_wq_destroy(struct drm_device *drm, void *wq)
{
	destroy_workqueue(wq);
}

/**
 * gring_engine_create() - give a device an engine and its schedulers
 * @gdev: the device, in probe
 * @id: the engine's enum drm_gring_engine value
 * @ops: the engine kind
 * @priv: the engine kind's own device state, or NULL
 *
 * The schedulers run on the device's workqueue (created with the first
 * engine), so creating a ring later costs no thread.
 *
 * Return: 0, or -ENOMEM or the scheduler's error.
 */
int gring_engine_create(struct gring_drm_device *gdev, u32 id,
			const struct gring_engine_ops *ops, void *priv)
{
	static atomic_t engine_serial = ATOMIC_INIT(0);
	unsigned int serial = atomic_inc_return(&engine_serial);
	struct gring_engine *engine;
	unsigned int i;
	int ret;

	if (!gdev->wq) {
		gdev->wq = alloc_workqueue("gring-%s", WQ_MEM_RECLAIM |
					   WQ_HIGHPRI, 0,
					   dev_name(gdev->drm.dev));
		if (!gdev->wq)
			return -ENOMEM;
		ret = drmm_add_action_or_reset(&gdev->drm,
					       gring_device_wq_destroy,
					       gdev->wq);
		if (ret)
			return ret;
	}

	if (WARN_ON(!ops->nr_scheds || ops->nr_scheds > GRING_MAX_SCHEDS))
		return -EINVAL;
	engine = kzalloc(struct_size(engine, scheds, ops->nr_scheds),
			 GFP_KERNEL);
	if (!engine)
		return -ENOMEM;
	kref_init(&engine->ref);
	engine->ops = ops;
	engine->gdev = gdev;
	engine->id = id;
	engine->priv = priv;
	engine->nr_scheds = ops->nr_scheds;
	atomic_set(&engine->jobs_alive, 0);
	init_waitqueue_head(&engine->idle_wq);

	for (i = 0; i < engine->nr_scheds; i++) {
		struct gring_sched *s = &engine->scheds[i];
		struct drm_sched_init_args args = {
			.ops = ops->sched_ops,
			.submit_wq = gdev->wq,
			/* Entities use DRM_SCHED_PRIORITY_NORMAL: have its rq. */
			.num_rqs = DRM_SCHED_PRIORITY_COUNT,
			.credit_limit = ops->credit_limit,
			.timeout = msecs_to_jiffies(ops->timeout_ms()),
			.name = s->name,
			.dev = gdev->drm.dev,
		};

		engine->sched_list[i] = &s->base;
		s->engine = engine;
		s->fence_context = dma_fence_context_alloc(1);
		spin_lock_init(&s->lock);
		INIT_LIST_HEAD(&s->inflight);
		snprintf(s->name, sizeof(s->name), "gring-%s-%u.%u", ops->name,
			 serial, i);
		ret = drm_sched_init(&s->base, &args);
		if (ret)
			goto err_fini;
	}

	/*
	 * Released in reverse order of registration: after the device's
	 * workqueue action registered above, before it runs.
	 */
	gdev->engine[id] = engine;
	gdev->engines |= BIT(id);
	return drmm_add_action_or_reset(&gdev->drm, gring_engine_fini, engine);

err_fini:
	while (i--)
		drm_sched_fini(&engine->scheds[i].base);
	kfree(engine);
	return ret;
}

/**
 * gring_engines_stop() - stop every engine of a device being removed
 * @gdev: the device
 *
 * Jobs on an engine are cancelled; jobs the schedulers hand it later
 * complete with -ENODEV without executing. The schedulers themselves run
 * on until the DRM device is released, so that jobs and entities of files
 * still open end the ordinary way.
 */
void gring_engines_stop(struct gring_drm_device *gdev)
{
	unsigned int i;

	for (i = 0; i < GRING_ENGINE_KINDS; i++) {
		struct gring_engine *engine = gdev->engine[i];

		if (!engine)
			continue;
		WRITE_ONCE(engine->stopped, true);
		engine->ops->stop(engine);
	}
}
