// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: coherent DMA buffers as GEM objects.
 *
 * Each buffer object is one dma_alloc_coherent() allocation: the CPU and
 * the device see the same bytes with no cache maintenance, which is what a
 * ring shared between them needs. Debian does not build
 * drm_gem_dma_helper, so this file is gring's own, smaller version of it.
 */

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "gring_drv.h"

/*
 * How BO memory is allocated.
 *
 * __GFP_ACCOUNT (in GFP_KERNEL_ACCOUNT): the memory is charged to the
 * creator's memory cgroup. dma_alloc_coherent() hands the flags through
 * dma_direct_alloc() to alloc_pages_node() (6.12, kernel/dma/direct.c;
 * Debian's kernel has no CMA that could take the allocation elsewhere), and
 * the page allocator charges the pages when the flag is set.
 *
 * __GFP_RETRY_MAYFAIL: when the cgroup (or the machine) is out of memory,
 * reclaim is tried, then the allocation fails with -ENOMEM; the OOM killer
 * is never invoked (try_charge_memcg() gives up before mem_cgroup_oom()).
 * A BO is pinned: the memory cannot be swapped or reclaimed while it lives.
 * Killing another task of the cgroup to make room for an allocation that
 * the caller can simply be refused is the wrong trade, and -ENOMEM tells
 * the caller exactly what happened.
 */
#define GRING_BO_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL)

/*
 * Give @bo's memory back. Called with bo_lock held, by the object's free
 * and by revoking, whichever comes first: the lock makes sure the memory
 * is freed exactly once and always while the device is still bound.
 */
static void gring_gem_release_memory(struct gring_drm_device *gdev,
				     struct gring_gem_object *bo)
{
	size_t size = bo->base.size;

	lockdep_assert_held(&gdev->bo_lock);

	/* The engine stopped before any revoke; on free no job holds it. */
	gring_soft_mmu_unmap(&gdev->soft_mmu, &bo->soft_map);
	dma_free_coherent(gdev->drm.dev, size, bo->vaddr, bo->dma_addr);
	/* fdinfo's status and rss callbacks read it without the lock. */
	WRITE_ONCE(bo->vaddr, NULL);
	list_del_init(&bo->link);
	gdev->bo_count--;
	gdev->bo_bytes -= size;
}

static void gring_gem_free(struct drm_gem_object *obj)
{
	struct gring_drm_device *gdev = to_gring_drm_device(obj->dev);
	struct gring_gem_object *bo = to_gring_gem_object(obj);

	mutex_lock(&gdev->bo_lock);
	if (bo->vaddr)
		gring_gem_release_memory(gdev, bo);
	mutex_unlock(&gdev->bo_lock);

	/* Jobs and holds keep a reference: only finished ranges are left. */
	gring_busy_bo_fini(bo);
	/*
	 * Nothing may be the engine's any more -- except on a device whose
	 * engine was stopped mid-job by remove, where the memory is gone
	 * and its ownership with it.
	 */
	if (gring_coherent_fini(&bo->coh))
		WARN_ON(!READ_ONCE(gdev->revoked));
	drm_gem_object_release(obj);
	kfree(bo);
}

/*
 * The page frame of page @page of the buffer. dma-direct hands out
 * coherent memory from the kernel's linear map, or a vmalloc remap of it
 * on some configurations; probe makes sure the device is cache-coherent,
 * so the VMA's ordinary (cached) protection is what dma_mmap_coherent()
 * would have picked too.
 */
static unsigned long gring_gem_pfn(struct gring_gem_object *bo, pgoff_t page)
{
	void *addr = bo->vaddr + (page << PAGE_SHIFT);

	if (is_vmalloc_addr(addr))
		return vmalloc_to_pfn(addr);
	return PHYS_PFN(virt_to_phys(addr));
}

/*
 * Pages are inserted at the first fault rather than at mmap() time (as
 * dma_mmap_coherent() would), because only a fault can be fenced against
 * unplug: it runs inside drm_dev_enter(), so drm_dev_unplug() waits for it
 * and zaps what it inserted, and a fault after that gets SIGBUS. A mapping
 * filled at mmap() time is linked into the file's address space only after
 * the driver's mmap returns, so the zap could miss it and leave userspace
 * with pages freed by the revoke. The first fault maps the whole VMA: one
 * fault per mapping, not one per page.
 */
static vm_fault_t gring_gem_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct gring_gem_object *bo = to_gring_gem_object(obj);
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long addr;
	int idx;

	if (!drm_dev_enter(obj->dev, &idx))
		return VM_FAULT_SIGBUS;

	/* Revoking happens only after unplug, so bo->vaddr is stable here. */
	if (bo->vaddr) {
		for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
			pgoff_t page = vma->vm_pgoff +
				       ((addr - vma->vm_start) >> PAGE_SHIFT);

			ret = vmf_insert_pfn(vma, addr, gring_gem_pfn(bo, page));
			if (ret != VM_FAULT_NOPAGE)
				break;
		}
	}

	drm_dev_exit(idx);
	return ret;
}

/*
 * Reached from drm_gem_mmap() (mmap of the DRM file) and from
 * drm_gem_prime_mmap() (mmap of an exported dma-buf). Both add the
 * object's fake offset to vm_pgoff before calling here -- the dma-buf path
 * adds it to the dma-buf file offset -- so subtracting it leaves the page
 * offset inside the buffer in both cases, which is also what
 * /proc/<pid>/maps shows.
 */
static int gring_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	/*
	 * A private mapping would be copy-on-write: the CPU's writes would
	 * land in a copy the device never sees. Refused as
	 * drm_gem_shmem_mmap() does.
	 */
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;

	/*
	 * drm_gem_mmap() checks this already; the dma-buf path does not. A
	 * mapping that slips past the check is harmless: it has no pages
	 * until a fault, and faults fail once the device is gone.
	 */
	if (drm_dev_is_unplugged(obj->dev))
		return -ENODEV;

	vma->vm_pgoff -= drm_vma_node_start(&obj->vma_node);
	if (vma->vm_pgoff + vma_pages(vma) > obj->size >> PAGE_SHIFT)
		return -EINVAL;

	/*
	 * Raw page frames, not struct-page mappings: no get_user_pages() on
	 * them, no growth with mremap(), no core dumps.
	 */
	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

/*
 * Every mapping holds a reference on its object (taken by drm_gem_mmap()
 * or drm_gem_prime_mmap(), dropped by drm_gem_vm_close()).
 */
static const struct vm_operations_struct gring_gem_vm_ops = {
	.fault = gring_gem_fault,
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

/* For fdinfo: a BO is resident, in full, from creation until revoked. */
static enum drm_gem_object_status gring_gem_status(struct drm_gem_object *obj)
{
	return READ_ONCE(to_gring_gem_object(obj)->vaddr) ?
	       DRM_GEM_OBJECT_RESIDENT : 0;
}

static size_t gring_gem_rss(struct drm_gem_object *obj)
{
	return READ_ONCE(to_gring_gem_object(obj)->vaddr) ? obj->size : 0;
}

/*
 * No .get_sg_table: the DMA address is for gring's device only, so a
 * PRIME export can be shared and mmapped but another device's attach is
 * refused by the DRM core (-ENOSYS).
 */
static const struct drm_gem_object_funcs gring_gem_funcs = {
	.free = gring_gem_free,
	.mmap = gring_gem_mmap,
	.status = gring_gem_status,
	.rss = gring_gem_rss,
	.vm_ops = &gring_gem_vm_ops,
};

/*
 * Take @size bytes out of the device's pinned budget before allocating, so
 * that creators racing each other cannot all pass a check and then all
 * allocate: the reservation is the check.
 */
static int gring_gem_reserve(struct gring_drm_device *gdev, size_t size)
{
	int ret = 0;

	mutex_lock(&gdev->bo_lock);
	if (gdev->revoked)
		ret = -ENODEV;
	else if (size > gdev->pinned_cap - gdev->bo_bytes)
		ret = -ENOSPC;
	else
		gdev->bo_bytes += size;
	mutex_unlock(&gdev->bo_lock);
	return ret;
}

static void gring_gem_unreserve(struct gring_drm_device *gdev, size_t size)
{
	mutex_lock(&gdev->bo_lock);
	gdev->bo_bytes -= size;
	mutex_unlock(&gdev->bo_lock);
}

/**
 * gring_gem_create() - allocate a buffer object in coherent DMA memory
 * @gdev: the device the buffer is for
 * @size: size in bytes; non-zero and a multiple of PAGE_SIZE
 *
 * The memory comes zeroed from dma_alloc_coherent() and is charged to the
 * caller's memory cgroup. Coherent does not mean ordered: whoever hands
 * the buffer to the device still owes the barriers.
 *
 * Must be called inside drm_dev_enter(): remove revokes every object's
 * memory after drm_dev_unplug(), and an object created past that point
 * would keep memory of a device that is no longer bound.
 *
 * Return: the new object holding one reference, or an ERR_PTR():
 * -EINVAL if @size is not a non-zero multiple of PAGE_SIZE, -ENOSPC if it
 * would take the device's pinned bytes above &gring_drm_device.pinned_cap,
 * -ENOMEM if memory (or the caller's memory cgroup) is short, -ENODEV if
 * the device's memory was already revoked, or the error from
 * drm_gem_create_mmap_offset(). Nothing is left allocated or reserved on
 * failure.
 */
struct gring_gem_object *gring_gem_create(struct gring_drm_device *gdev,
					  size_t size)
{
	struct drm_device *drm = &gdev->drm;
	struct gring_gem_object *bo;
	int ret;

	/* Callers validate sizes; drm_gem_private_object_init() BUGs on these. */
	if (WARN_ON(!size || !PAGE_ALIGNED(size)))
		return ERR_PTR(-EINVAL);

	ret = gring_gem_reserve(gdev, size);
	if (ret)
		return ERR_PTR(ret);

	bo = kzalloc(sizeof(*bo), GRING_BO_GFP);
	if (!bo) {
		ret = -ENOMEM;
		goto err_unreserve;
	}
	INIT_LIST_HEAD(&bo->link);

	/*
	 * The size is the user's choice, and failing to find that much
	 * contiguous memory is their -ENOMEM, not a kernel problem to log.
	 */
	bo->vaddr = dma_alloc_coherent(drm->dev, size, &bo->dma_addr,
				       GRING_BO_GFP | __GFP_NOWARN);
	if (!bo->vaddr) {
		ret = -ENOMEM;
		goto err_free_bo;
	}

	/* Private: the pages are the DMA allocation, there is no shmem file. */
	bo->base.funcs = &gring_gem_funcs;
	drm_gem_private_object_init(drm, &bo->base, size);

	ret = drm_gem_create_mmap_offset(&bo->base);
	if (ret)
		goto err_release;

	gring_busy_bo_init(bo);
	gring_coherent_init(&bo->coh, bo->vaddr, bo->dma_addr, size, "gring-bo");
	bo->soft_map = (struct gring_soft_mapping){
		.dma = bo->dma_addr, .size = size, .vaddr = bo->vaddr,
	};
	ret = gring_soft_mmu_map(&gdev->soft_mmu, &bo->soft_map);
	if (ret)
		goto err_release;

	/* The bytes were reserved above: only the object joins the list. */
	mutex_lock(&gdev->bo_lock);
	list_add_tail(&bo->link, &gdev->bo_list);
	gdev->bo_count++;
	mutex_unlock(&gdev->bo_lock);

	return bo;

err_release:
	drm_gem_object_release(&bo->base);
	dma_free_coherent(drm->dev, size, bo->vaddr, bo->dma_addr);
err_free_bo:
	kfree(bo);
err_unreserve:
	gring_gem_unreserve(gdev, size);
	return ERR_PTR(ret);
}

/**
 * gring_gem_revoke_all() - free the memory of every buffer object
 * @gdev: a device being removed, already unplugged
 *
 * Called from remove after drm_dev_unplug(): no ioctl, mmap or fault of
 * the device is running any more, and every CPU mapping of its objects
 * (through DRM files and through exported dma-bufs, whose files share the
 * device's address space) has been zapped, so nothing can reach the
 * memory. What stays of each object is a husk without memory, freed when
 * its last handle, dma-buf or mapping goes; a fault on an old mapping gets
 * SIGBUS. The memory must go now, while the driver is still bound: the DMA
 * API allows freeing a device's coherent memory only then.
 */
void gring_gem_revoke_all(struct gring_drm_device *gdev)
{
	struct gring_gem_object *bo, *next;

	mutex_lock(&gdev->bo_lock);
	gdev->revoked = true;
	list_for_each_entry_safe(bo, next, &gdev->bo_list, link)
		gring_gem_release_memory(gdev, bo);
	mutex_unlock(&gdev->bo_lock);
}

/**
 * gring_gem_create_with_handle() - allocate a buffer object for userspace
 * @gdev: the device the buffer is for
 * @file: the DRM file that will own the handle
 * @size: as for gring_gem_create()
 * @handle: where to store the new handle; written only on success
 *
 * The handle holds the only reference once this returns, so closing it
 * (or the file) frees the buffer.
 *
 * Return: 0 on success, or a negative errno from gring_gem_create() or
 * drm_gem_handle_create(); nothing stays allocated on failure.
 */
int gring_gem_create_with_handle(struct gring_drm_device *gdev,
				 struct drm_file *file, size_t size,
				 u32 *handle)
{
	struct gring_gem_object *bo;
	u32 new_handle;
	int ret;

	bo = gring_gem_create(gdev, size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	ret = drm_gem_handle_create(file, &bo->base, &new_handle);
	/*
	 * Drop the creation reference either way: on success the handle
	 * keeps the object alive, on failure this frees it.
	 */
	drm_gem_object_put(&bo->base);
	if (ret)
		return ret;

	*handle = new_handle;
	return 0;
}
