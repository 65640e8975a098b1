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
#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "gring_drv.h"

static void gring_gem_free(struct drm_gem_object *obj)
{
	struct gring_drm_device *gdev = to_gring_drm_device(obj->dev);
	struct gring_gem_object *bo = to_gring_gem_object(obj);
	size_t size = obj->size;

	/* Jobs hold references: none can be using the buffer any more. */
	WARN_ON(!list_empty(&bo->busy) || !list_empty(&bo->holds));
	gring_soft_mmu_unmap(&gdev->soft_mmu, &bo->soft_map);
	WARN_ON(gring_coherent_fini(&bo->coh));
	drm_gem_object_release(obj);
	dma_free_coherent(gdev->drm.dev, size, bo->vaddr, bo->dma_addr);
	kfree(bo);

	spin_lock(&gdev->bo_lock);
	gdev->bo_count--;
	gdev->bo_bytes -= size;
	spin_unlock(&gdev->bo_lock);
}

static int gring_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct gring_gem_object *bo = to_gring_gem_object(obj);

	/*
	 * vm_pgoff holds the fake offset drm_gem_mmap() used to find the
	 * object; the DMA API wants the page offset inside the buffer.
	 */
	vma->vm_pgoff -= drm_vma_node_start(&obj->vma_node);

	/*
	 * The buffer has a fixed size and is not ordinary process memory: it
	 * must not grow with mremap() nor land in core dumps.
	 */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);

	/*
	 * dma_mmap_coherent() picks the page protection the DMA API needs for
	 * this device's coherent memory, and wants the size that was
	 * allocated (not the VMA's): it checks the VMA against it.
	 */
	return dma_mmap_coherent(obj->dev->dev, vma, bo->vaddr, bo->dma_addr,
				 obj->size);
}

/*
 * Every mapping holds a reference on its object (taken by drm_gem_mmap(),
 * dropped by drm_gem_vm_close()), so the memory outlives its last mapping.
 * No .fault: dma_mmap_coherent() maps every page up front.
 */
static const struct vm_operations_struct gring_gem_vm_ops = {
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

/*
 * No .get_sg_table: the DMA address is for gring's device only, so a
 * PRIME export can be shared and mmapped but another device's attach is
 * refused by the DRM core (-ENOSYS).
 */
static const struct drm_gem_object_funcs gring_gem_funcs = {
	.free = gring_gem_free,
	.mmap = gring_gem_mmap,
	.vm_ops = &gring_gem_vm_ops,
};

/**
 * gring_gem_create() - allocate a buffer object in coherent DMA memory
 * @gdev: the device the buffer is for
 * @size: size in bytes; non-zero and a multiple of PAGE_SIZE
 *
 * The memory comes zeroed from dma_alloc_coherent(). Coherent does not
 * mean ordered: whoever hands the buffer to the device still owes the
 * barriers.
 *
 * Return: the new object holding one reference, or an ERR_PTR():
 * -EINVAL if @size is not a non-zero multiple of PAGE_SIZE, -ENOMEM if
 * memory is short, or the error from drm_gem_create_mmap_offset().
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

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	/*
	 * The size is the user's choice, and failing to find that much
	 * contiguous memory is their -ENOMEM, not a kernel problem to log.
	 */
	bo->vaddr = dma_alloc_coherent(drm->dev, size, &bo->dma_addr,
				       GFP_KERNEL | __GFP_NOWARN);
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

	INIT_LIST_HEAD(&bo->busy);
	INIT_LIST_HEAD(&bo->holds);
	gring_coherent_init(&bo->coh, bo->vaddr, bo->dma_addr, size, "gring-bo");
	bo->soft_map = (struct gring_soft_mapping){
		.dma = bo->dma_addr, .size = size, .vaddr = bo->vaddr,
	};
	ret = gring_soft_mmu_map(&gdev->soft_mmu, &bo->soft_map);
	if (ret)
		goto err_release;

	spin_lock(&gdev->bo_lock);
	gdev->bo_count++;
	gdev->bo_bytes += size;
	spin_unlock(&gdev->bo_lock);

	return bo;

err_release:
	drm_gem_object_release(&bo->base);
	dma_free_coherent(drm->dev, size, bo->vaddr, bo->dma_addr);
err_free_bo:
	kfree(bo);
	return ERR_PTR(ret);
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
