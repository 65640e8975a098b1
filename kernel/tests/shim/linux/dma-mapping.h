/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_DMA_MAPPING_H_
#define _SHIM_LINUX_DMA_MAPPING_H_

#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

/*
 * A device hands out DMA handles from @next_dma, page by page, so a test
 * knows the handle it will get without asking the code under test.
 */
struct device {
	dma_addr_t next_dma;
	int live;
};

static inline void *dma_alloc_coherent(struct device *dev, size_t size,
				       dma_addr_t *handle, gfp_t gfp)
{
	size_t pages = (size + 4095) / 4096;
	void *p = aligned_alloc(4096, pages * 4096);

	(void)gfp;
	if (!p)
		return NULL;
	memset(p, 0, pages * 4096);
	*handle = dev->next_dma;
	dev->next_dma += pages * 4096;
	dev->live++;
	return p;
}

static inline void dma_free_coherent(struct device *dev, size_t size,
				     void *vaddr, dma_addr_t handle)
{
	(void)size;
	(void)handle;
	dev->live--;
	free(vaddr);
}

#endif
