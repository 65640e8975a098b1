/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: what the driver's files share -- the device, the buffer object,
 * and the entry points one file calls in another.
 */
#ifndef _GRING_DRV_H_
#define _GRING_DRV_H_

#include <linux/container_of.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/types.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>

#include "gring_engine_soft.h"
#include "gring_job.h"
#include "gring_view.h"

struct drm_file;
struct gring_vgpu;
struct gring_vpci;

/**
 * struct gring_drm_device - one gring DRM device
 * @drm: the DRM device; devm_drm_dev_alloc() allocates
 *	gring_drm_device around it.
 * @max_bo_size: largest buffer object, in bytes, that GEM_CREATE accepts.
 *	Fixed at probe so that GET_PARAM always reports what GEM_CREATE
 *	enforces, whatever happens to the module parameter later.
 * @pinned_cap: most bytes all buffer objects of the device may hold
 *	together. Fixed at probe, like @max_bo_size.
 * @bo_lock: protects @bo_list, @bo_count, @bo_bytes and @revoked, and the
 *	memory (vaddr) of every object on @bo_list. A mutex: revoking frees
 *	DMA memory under it, which may sleep. Lock order: it is taken under
 *	mmap_lock (munmap -> drm_gem_vm_close() -> object free) and under
 *	the device lock (remove -> revoke), and nothing but the page
 *	allocator is called with it held; allocation happens outside it.
 * @bo_list: the objects that still hold DMA memory, so that remove can
 *	free the memory of each while the device is still bound.
 * @bo_count: number of objects on @bo_list.
 * @bo_bytes: bytes pinned: the sizes of the objects on @bo_list plus the
 *	reservations of creations in progress. Never above @pinned_cap.
 * @revoked: set once remove has freed every object's memory; no object
 *	gets memory after that.
 * @soft_mmu: the soft engine's table of the buffers it may reach: every
 *	buffer object is mapped in it from creation until its memory goes.
 * @queue_serial: numbers queues for names that are unique on the device.
 * @queues_lock: protects @queues.
 * @queues: every queue of every file (struct gring_queue.dev_link), for
 *	debugfs.
 * @inject_faults: debugfs gring_inject_faults: this many coming jobs get
 *	an address outside every mapping for their first destination, so
 *	tests can prove a device fault is caught and reported.
 * @wq: the device's workqueue: its schedulers' submit_wq and the soft
 *	engine's execution; made with the first engine, destroyed at the
 *	DRM device's release.
 * @engines: the engines rings may use, (1 << enum drm_gring_engine) each.
 * @engine: each engine by its enum drm_gring_engine value, or NULL.
 * @vgpu: the virtio-gpu engine, on a device bound to a virtio-gpu PCI
 *	function; NULL otherwise.
 */
struct gring_drm_device {
	struct drm_device drm;
	u64 max_bo_size;
	u64 pinned_cap;

	struct mutex bo_lock; /* see above */
	struct list_head bo_list;
	u64 bo_count;
	u64 bo_bytes;
	bool revoked;

	struct gring_soft_mmu soft_mmu;
	atomic_t queue_serial;
	struct mutex queues_lock; /* queues */
	struct list_head queues;
	atomic_t inject_faults;
	struct workqueue_struct *wq;
	u32 engines;
	struct gring_engine *engine[GRING_ENGINE_KINDS];
	struct gring_vgpu *vgpu;
};

/**
 * struct gring_gem_object - a buffer object backed by one coherent DMA allocation
 * @base: the GEM object; its size is the allocation's size.
 * @vaddr: the kernel's mapping of the buffer; NULL once the device is
 *	gone and the memory revoked. Stable for whoever is inside
 *	drm_dev_enter(), since revoking happens after drm_dev_unplug().
 * @dma_addr: the buffer's address as the device sees it. It never leaves
 *	the kernel: userspace names buffers by GEM handle only.
 * @link: entry in &gring_drm_device.bo_list while the object has memory.
 * @coh: the buffer for the view and ownership layer: every DMA handle the
 *	driver hands an engine is a view's, and the engine owns a range only
 *	between a handoff and its return.
 * @soft_map: the buffer's entry in the soft engine's table, while it has
 *	memory.
 * @busy: ranges jobs in flight touch (struct gring_busy_range): an
 *	interval tree under the object's reservation lock (gring_busy.c).
 * @holds: ranges CPU_PREP gave the CPU (struct gring_cpu_hold): an
 *	interval tree under the reservation lock.
 * @nr_busy: entries in @busy.
 * @prune_at: @nr_busy at which @busy is next swept of finished jobs.
 */
struct gring_gem_object {
	struct drm_gem_object base;
	void *vaddr;
	dma_addr_t dma_addr;
	struct list_head link;
	struct gring_coherent coh;
	struct gring_soft_mapping soft_map;
	struct rb_root_cached busy;
	struct rb_root_cached holds;
	unsigned int nr_busy;
	unsigned int prune_at;
};

static inline struct gring_drm_device *
to_gring_drm_device(struct drm_device *drm)
{
	return container_of(drm, struct gring_drm_device, drm);
}

static inline struct gring_gem_object *to_gring_gem_object(struct drm_gem_object *obj)
{
	return container_of(obj, struct gring_gem_object, base);
}

/* The engine kinds (gring_soft.c, gring_vgpu.c). */
extern const struct gring_engine_ops gring_soft_engine_ops;
extern const struct gring_engine_ops gring_vgpu_engine_ops;

/* gring_drv.c */
struct gring_drm_device *gring_drm_device_create(struct device *dev,
						 struct gring_vpci *vpci);
void gring_drm_device_remove(struct gring_drm_device *gdev);

/* gring_gem.c */
struct gring_gem_object *gring_gem_create(struct gring_drm_device *gdev,
					  size_t size);
int gring_gem_create_with_handle(struct gring_drm_device *gdev,
				 struct drm_file *file, size_t size,
				 u32 *handle);
void gring_gem_revoke_all(struct gring_drm_device *gdev);

/* gring_submit.c */
int gring_ioctl_ring_create(struct drm_device *drm, void *data,
			    struct drm_file *file);
int gring_ioctl_ring_destroy(struct drm_device *drm, void *data,
			     struct drm_file *file);
int gring_ioctl_submit(struct drm_device *drm, void *data,
		       struct drm_file *file);

/* gring_query.c */
int gring_ioctl_ring_query(struct drm_device *drm, void *data,
			   struct drm_file *file);

/* gring_ioctl.c */
int gring_ioctl_get_param(struct drm_device *drm, void *data,
			  struct drm_file *file);
int gring_ioctl_gem_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int gring_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
				struct drm_file *file);

#endif /* _GRING_DRV_H_ */
