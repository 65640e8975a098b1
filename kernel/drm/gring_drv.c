// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the DRM driver -- device, module and debugfs glue.
 *
 * gring has no hardware of its own yet, so the module creates a platform
 * device and binds a platform driver to it. Going through a real driver
 * binding (rather than creating the DRM device from module init as vgem
 * does) gives the device a DMA mask and a probe/remove pair, which is
 * what a device-backed engine will need later.
 */

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_vma_manager.h>
#include <drm/drm_print.h>

#include "gring_drm.h"
#include "gring_drv.h"
#include "gring_job.h"
#include "gring_vgpu.h"
#include "gring_virtio_pci.h"

#define DRIVER_NAME	"gring"
#define DRIVER_DESC	"GPU ring-buffer framework on coherent DMA"
#define DRIVER_MAJOR	1
#define DRIVER_MINOR	5
#define DRIVER_PATCHLEVEL 0

/*
 * Without CMA, dma_alloc_coherent() gets a buffer from a single buddy
 * allocation, so this is the most it can ever return in one piece.
 */
#define GRING_BO_SIZE_LIMIT	(PAGE_SIZE << MAX_PAGE_ORDER)

static unsigned long max_bo_size = GRING_BO_SIZE_LIMIT;
module_param(max_bo_size, ulong, 0444);
MODULE_PARM_DESC(max_bo_size,
		 "Largest buffer object in bytes (rounded down to pages, at most PAGE_SIZE << MAX_PAGE_ORDER, default that limit)");

/*
 * BO memory is pinned: it cannot be swapped or reclaimed while the BO
 * lives, and every render-node user can ask for it. A quarter of RAM by
 * default: TTM lets all of its users together pin at most half of RAM, and
 * a quarter leaves room for another driver's share as well as the rest of
 * the system. Per-user limits come from memory cgroups, which are charged
 * for the same memory.
 */
static unsigned long pinned_cap;
module_param(pinned_cap, ulong, 0444);
MODULE_PARM_DESC(pinned_cap,
		 "Most bytes all buffer objects of the device may pin together (rounded down to pages; 0, the default: a quarter of RAM)");

static struct platform_device *gring_pdev;

static int gring_debugfs_gem_show(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct gring_drm_device *gdev = to_gring_drm_device(entry->dev);
	u64 count, bytes;

	mutex_lock(&gdev->bo_lock);
	count = gdev->bo_count;
	bytes = gdev->bo_bytes;
	mutex_unlock(&gdev->bo_lock);

	seq_printf(m, "objects: %llu\n", count);
	seq_printf(m, "bytes: %llu\n", bytes);
	return 0;
}

static int gring_debugfs_rings_show(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct gring_drm_device *gdev = to_gring_drm_device(entry->dev);
	struct gring_queue *q;
	int idx;

	/* The rings' state is read from their memory: only while it exists. */
	if (!drm_dev_enter(&gdev->drm, &idx))
		return -ENODEV;
	mutex_lock(&gdev->queues_lock);
	list_for_each_entry(q, &gdev->queues, dev_link)
		gring_queue_debugfs_show(q, m);
	mutex_unlock(&gdev->queues_lock);
	drm_dev_exit(idx);
	return 0;
}

static const struct drm_debugfs_info gring_debugfs_files[] = {
	{ .name = "gring_gem", .show = gring_debugfs_gem_show },
	{ .name = "gring_rings", .show = gring_debugfs_rings_show },
};

static void gring_debugfs_init(struct drm_minor *minor)
{
	struct gring_drm_device *gdev = to_gring_drm_device(minor->dev);

	drm_debugfs_add_files(minor->dev, gring_debugfs_files,
			      ARRAY_SIZE(gring_debugfs_files));
	if (gdev->vgpu)
		drm_debugfs_add_file(minor->dev, "gring_vgpu",
				     gring_vgpu_debugfs_show, NULL);
	/* Root only, like all of debugfs: a test hook, not an interface. */
	debugfs_create_atomic_t("gring_inject_faults", 0600,
				minor->debugfs_root, &gdev->inject_faults);
}

static void gring_file_release_work(struct work_struct *work)
{
	struct gring_file *gfile = container_of(work, struct gring_file,
						release_work);
	struct gring_drm_device *gdev = gfile->gdev;

	/* No ring and no job of the file is left: its resources can go. */
	gring_vgpu_file_close(gdev, gfile);
	xa_destroy(&gfile->queues);
	kfree(gfile);
	drm_dev_put(&gdev->drm);
}

static void gring_file_release(struct kref *ref)
{
	struct gring_file *gfile = container_of(ref, struct gring_file, ref);

	/* Often dropped by a queue's teardown, itself on gring_wq. */
	INIT_WORK(&gfile->release_work, gring_file_release_work);
	queue_work(gring_wq, &gfile->release_work);
}

/**
 * gring_file_put() - drop a reference to a file's gring state
 * @gfile: the state; the last reference releases it from gring_wq
 */
void gring_file_put(struct gring_file *gfile)
{
	kref_put(&gfile->ref, gring_file_release);
}

static int gring_file_open(struct drm_device *drm, struct drm_file *file)
{
	struct gring_file *gfile;

	gfile = kzalloc(sizeof(*gfile), GFP_KERNEL_ACCOUNT);
	if (!gfile)
		return -ENOMEM;
	kref_init(&gfile->ref);
	gfile->gdev = to_gring_drm_device(drm);
	drm_dev_get(drm);
	/* Ring ids start at 1: 0 never names a ring. */
	xa_init_flags(&gfile->queues, XA_FLAGS_ALLOC1);
	spin_lock_init(&gfile->holds_lock);
	INIT_LIST_HEAD(&gfile->holds);
	/* The file's virtio-gpu resources (gring_vgpu.c). */
	mutex_init(&gfile->vgpu_lock);
	xa_init(&gfile->vgpu_res);
	file->driver_priv = gfile;
	return 0;
}

/*
 * Closing never waits for jobs: each ring is let go of as RING_DESTROY
 * does, and its jobs run on holding it (and, through it, the file's
 * state and the device). The CPU's holds go now: nobody can give them
 * back any more.
 */
static void gring_file_postclose(struct drm_device *drm,
				 struct drm_file *file)
{
	struct gring_file *gfile = file->driver_priv;
	struct gring_queue *q;
	unsigned long id;

	xa_for_each(&gfile->queues, id, q) {
		xa_erase(&gfile->queues, id);
		gring_queue_put(q);
	}
	gring_prep_file_close(gfile);
	gring_file_put(gfile);
}

static const struct drm_ioctl_desc gring_ioctls[] = {
	DRM_IOCTL_DEF_DRV(GRING_GET_PARAM, gring_ioctl_get_param,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_GEM_CREATE, gring_ioctl_gem_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_GEM_MMAP_OFFSET, gring_ioctl_gem_mmap_offset,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_RING_CREATE, gring_ioctl_ring_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_RING_DESTROY, gring_ioctl_ring_destroy,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_SUBMIT, gring_ioctl_submit, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_CPU_PREP, gring_ioctl_cpu_prep,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_CPU_FINI, gring_ioctl_cpu_fini,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GRING_RING_QUERY, gring_ioctl_ring_query,
			  DRM_RENDER_ALLOW),
};

/*
 * Offsets below DRM_FILE_PAGE_OFFSET_START are never a BO's: there, the
 * page offset is a ring id, and the mapping its status page.
 */
static int gring_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff < DRM_FILE_PAGE_OFFSET_START)
		return gring_queue_status_mmap(filp, vma);
	return drm_gem_mmap(filp, vma);
}

static const struct file_operations gring_fops = {
	.owner		= THIS_MODULE,
	.open		= drm_open,
	.release	= drm_release,
	.unlocked_ioctl	= drm_ioctl,
	.compat_ioctl	= drm_compat_ioctl,
	.poll		= drm_poll,
	.read		= drm_read,
	.llseek		= noop_llseek,
	.mmap		= gring_mmap,
	.fop_flags	= FOP_UNSIGNED_OFFSET,
	.show_fdinfo	= drm_show_fdinfo,
};

/*
 * The standard drm-*-memory keys, and the time each engine spent on the
 * file's jobs (Documentation/gpu/drm-usage-stats.rst), one
 * drm-engine-<name> key per engine the device has, so that generic GPU
 * top tools see every client.
 */
static void gring_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct gring_drm_device *gdev = to_gring_drm_device(file->minor->dev);
	struct gring_file *gfile = file->driver_priv;
	unsigned int i;

	drm_show_memory_stats(p, file);
	for (i = 0; i < GRING_ENGINE_KINDS; i++)
		if (gdev->engine[i])
			drm_printf(p, "drm-engine-%s:\t%llu ns\n",
				   gdev->engine[i]->ops->name,
				   (u64)atomic64_read(&gfile->engine_ns[i]));
}

/*
 * gring driver version history (DRIVER_MINOR, and DRM_GRING_UAPI_VERSION
 * = minor + 1 in uapi/gring_drm.h):
 * 1.0 - GET_PARAM, GEM_CREATE, GEM_MMAP_OFFSET
 * 1.1 - PARAM_PINNED_CAP and -ENOSPC from GEM_CREATE; private mmaps refused
 * 1.2 - rings on the soft engine: RING_CREATE, RING_DESTROY, SUBMIT (with
 *       syncobjs, timeline points included), CPU_PREP, CPU_FINI,
 *       RING_QUERY; drm-engine-soft in fdinfo
 * 1.3 - PARAM_ENGINES; a gring device per virtio-gpu PCI function bound
 *       to gring, with DRM_GRING_ENGINE_VIRTIO_GPU rings
 * 1.4 - PARAM_MAX_RINGS (-EMFILE beyond); RING_DESTROY and close do not
 *       wait for jobs; fences in BOs' dma_resv; failed dependencies skip
 *       a job (-ECANCELED); CPU_PREP timeouts as documented;
 *       drm-engine-virtio-gpu in fdinfo
 * 1.5 - a ring's status page (mmap at DRM_GRING_RING_STATUS_OFFSET());
 *       ring ids below DRM_GRING_MAX_RING_ID; virtio-gpu hang recovery
 */
static const struct drm_driver gring_drm_driver = {
	.driver_features	= DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
				  DRIVER_SYNCOBJ_TIMELINE,
	.open			= gring_file_open,
	.postclose		= gring_file_postclose,
	.ioctls			= gring_ioctls,
	.num_ioctls		= ARRAY_SIZE(gring_ioctls),
	.fops			= &gring_fops,
	.show_fdinfo		= gring_show_fdinfo,
	.debugfs_init		= gring_debugfs_init,

	.name			= DRIVER_NAME,
	.desc			= DRIVER_DESC,
	.major			= DRIVER_MAJOR,
	.minor			= DRIVER_MINOR,
	.patchlevel		= DRIVER_PATCHLEVEL,
};

static void gring_soft_mmu_release(struct drm_device *drm, void *mmu)
{
	gring_soft_mmu_destroy(mmu);
}

/**
 * gring_drm_device_create() - a gring DRM device on a device that does DMA
 * @dev: the parent: gring's platform device, or a virtio-gpu PCI function
 * @vpci: the virtio-gpu transport of @dev, or NULL for the soft engine only
 *
 * Buffer objects are @dev's coherent memory, so an engine behind @dev
 * reaches them at the DMA addresses @dev was given. The DRM device is
 * managed on @dev: it goes when @dev is unbound (after
 * gring_drm_device_remove()) and its last file is closed.
 *
 * Context: @dev's probe.
 * Return: the registered device, or an ERR_PTR().
 */
struct gring_drm_device *gring_drm_device_create(struct device *dev,
						 struct gring_vpci *vpci)
{
	struct gring_drm_device *gdev;
	int ret;

	/*
	 * dma_alloc_coherent() serves only devices with a DMA mask. The
	 * device reaches buffers by DMA address alone, so take the widest
	 * mask the platform allows.
	 */
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		return ERR_PTR(dev_err_probe(dev, ret, "no usable DMA mask\n"));

	/*
	 * BOs are mapped to userspace with ordinary cached page protection
	 * (see gring_gem_fault()), which is right only for a coherent device.
	 */
	if (!dev_is_dma_coherent(dev))
		return ERR_PTR(dev_err_probe(dev, -ENODEV,
					     "device is not DMA-coherent\n"));

	gdev = devm_drm_dev_alloc(dev, &gring_drm_driver,
				  struct gring_drm_device, drm);
	if (IS_ERR(gdev))
		return gdev;

	ret = drmm_mutex_init(&gdev->drm, &gdev->bo_lock);
	if (ret)
		return ERR_PTR(ret);
	INIT_LIST_HEAD(&gdev->bo_list);
	ret = drmm_mutex_init(&gdev->drm, &gdev->queues_lock);
	if (ret)
		return ERR_PTR(ret);
	INIT_LIST_HEAD(&gdev->queues);
	gring_soft_mmu_init(&gdev->soft_mmu);
	/* Buffers hold the device: the table is empty when it goes. */
	ret = drmm_add_action_or_reset(&gdev->drm, gring_soft_mmu_release,
				       &gdev->soft_mmu);
	if (ret)
		return ERR_PTR(ret);
	ret = gring_engine_create(gdev, DRM_GRING_ENGINE_SOFT,
				  &gring_soft_engine_ops, NULL);
	if (ret)
		return ERR_PTR(ret);
	if (vpci) {
		ret = gring_vgpu_device_init(gdev, vpci);
		if (ret)
			return ERR_PTR(ret);
	}
	gdev->max_bo_size = clamp_t(u64, round_down(max_bo_size, PAGE_SIZE),
				    PAGE_SIZE, GRING_BO_SIZE_LIMIT);
	if (pinned_cap)
		gdev->pinned_cap = round_down((u64)pinned_cap, PAGE_SIZE);
	else
		gdev->pinned_cap = (u64)(totalram_pages() / 4) << PAGE_SHIFT;

	/* Last: from here on userspace can open the device. */
	ret = drm_dev_register(&gdev->drm, 0);
	return ret ? ERR_PTR(ret) : gdev;
}

/**
 * gring_drm_device_remove() - unplug a gring DRM device whose parent goes
 * @gdev: the device gring_drm_device_create() made
 *
 * Returns with no engine running and every buffer's memory freed; files,
 * mappings and dma-bufs still open get -ENODEV (or SIGBUS) from now on.
 *
 * Context: the parent's remove, before the parent's own teardown.
 */
void gring_drm_device_remove(struct gring_drm_device *gdev)
{
	/*
	 * The unplug model. The driver can be unbound through sysfs while
	 * files, dma-bufs and mappings of its BOs are still open, and the DMA
	 * API allows a device's coherent memory to be freed only while the
	 * driver is bound (DMA-API debugging reports any allocation left at
	 * unbind). Keeping the device bound until the last BO goes is not in
	 * the driver's hands, and plain unregister (vgem's model, fine for
	 * memory that is not a device's) would free BOs later on a device
	 * that is gone. So the BOs' memory goes now:
	 *
	 * drm_dev_unplug() waits for every ioctl body, fault and fdinfo
	 * read inside drm_dev_enter(), makes new ones fail, and zaps every
	 * CPU mapping in the device's address space -- DRM files' and, since
	 * exported dma-bufs' files share that address space, dma-bufs' too.
	 * Then nothing can reach a BO's memory, and revoking frees it; the
	 * objects live on as husks until their last user lets go. The
	 * drm_device itself lives until its last file or dma-buf is closed.
	 *
	 * The engines reach BO memory too, so they stop first: a virtio-gpu
	 * device is reset, which ends its DMA, and its commands in flight
	 * complete with -ENODEV; soft-engine jobs are cancelled, and jobs
	 * the schedulers hand an engine later complete with -ENODEV without
	 * executing. Engine work runs inside drm_dev_enter(), so
	 * drm_dev_unplug() also waits for the last of it. The schedulers
	 * live on until the DRM device is released (gring_sched.c): files
	 * still open end their rings the ordinary way.
	 */
	gring_engines_stop(gdev);
	drm_dev_unplug(&gdev->drm);
	gring_gem_revoke_all(gdev);
}

static int gring_probe(struct platform_device *pdev)
{
	struct gring_drm_device *gdev;

	gdev = gring_drm_device_create(&pdev->dev, NULL);
	if (IS_ERR(gdev))
		return PTR_ERR(gdev);
	platform_set_drvdata(pdev, gdev);
	return 0;
}

static void gring_remove(struct platform_device *pdev)
{
	gring_drm_device_remove(platform_get_drvdata(pdev));
}

static struct platform_driver gring_platform_driver = {
	.probe = gring_probe,
	.remove = gring_remove,
	.driver = {
		.name = DRIVER_NAME,
		/* gring_init() relies on knowing the outcome of probe. */
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

static int __init gring_init(void)
{
	int ret;

	ret = gring_fences_init();
	if (ret)
		return ret;
	gring_wq = alloc_workqueue("gring", WQ_UNBOUND, 0);
	if (!gring_wq) {
		ret = -ENOMEM;
		goto err_fences;
	}
	ret = platform_driver_register(&gring_platform_driver);
	if (ret)
		goto err_wq;

	gring_pdev = platform_device_register_simple(DRIVER_NAME,
						     PLATFORM_DEVID_NONE,
						     NULL, 0);
	if (IS_ERR(gring_pdev)) {
		ret = PTR_ERR(gring_pdev);
		goto err_unregister_driver;
	}

	/*
	 * A failed probe leaves the device registered but unbound (the
	 * reason is in the kernel log). Fail the load instead of leaving a
	 * module that has no DRM device.
	 */
	if (!device_is_bound(&gring_pdev->dev)) {
		ret = -ENODEV;
		goto err_unregister_device;
	}

	/* Binds nothing by itself: see gring_virtio_pci.c. */
	ret = gring_virtio_pci_register();
	if (ret)
		goto err_unregister_device;

	return 0;

err_unregister_device:
	platform_device_unregister(gring_pdev);
err_unregister_driver:
	platform_driver_unregister(&gring_platform_driver);
err_wq:
	destroy_workqueue(gring_wq);
err_fences:
	gring_fences_fini();
	return ret;
}

/*
 * No file and no fence is left (each holds the module), but releases of
 * queues and files may still be queued, and the work dropping fences'
 * module references and RCU frees of engines may be in flight: all run
 * this module's code.
 */
static void __exit gring_exit(void)
{
	gring_virtio_pci_unregister();
	platform_device_unregister(gring_pdev);
	platform_driver_unregister(&gring_platform_driver);
	destroy_workqueue(gring_wq);
	gring_fences_fini();
	rcu_barrier();
}

module_init(gring_init);
module_exit(gring_exit);

MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_LICENSE("GPL");
/* gring_core.ko's exports (6.12: a bare token, see core/gring_view.c). */
MODULE_IMPORT_NS(GRING);
