// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring_core_test.ko: what the core's suites share. Each case gets its
 * own KUnit device and coherent buffers from the real DMA API
 * (dma_alloc_coherent() through gring_coherent_alloc()), freed when the
 * case ends, whether it passed or not.
 */

#include <kunit/device.h>
#include <kunit/resource.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>

#include "gring_core_test.h"

/*
 * The case's end, passed or failed: a case that stopped halfway (a failed
 * assertion) may leave leases active, and they lived on its stack, which
 * is gone. Forget them without touching them, then free: the device of a
 * test never read the memory, so nothing can still reach it.
 */
static void gring_test_buf_free(void *data)
{
	struct gring_coherent *buf = data;
	unsigned long flags;

	spin_lock_irqsave(&buf->lock, flags);
	buf->leases = RB_ROOT;
	spin_unlock_irqrestore(&buf->lock, flags);
	gring_coherent_free(buf);
}

/**
 * gring_test_buf() - a coherent buffer of the case's test device
 * @test: the case
 * @size: bytes
 * @name: the buffer's name in reports
 *
 * The first call of a case registers its device (a KUnit device, with a
 * 64-bit DMA mask set); the buffer and the device go when the case ends.
 * Fails the case unless the allocation's CPU address and DMA handle are
 * both page-aligned: the suites' alignment expectations rely on it.
 *
 * Return: the buffer, every byte CPU-owned.
 */
struct gring_coherent *gring_test_buf(struct kunit *test, size_t size,
				      const char *name)
{
	struct gring_coherent *buf;
	struct device *dev = test->priv;

	if (!dev) {
		dev = kunit_device_register(test, "gring-core-test");
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
		KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
		test->priv = dev;
	}
	buf = gring_coherent_alloc(dev, size, GFP_KERNEL, name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, gring_test_buf_free, buf), 0);
	KUNIT_ASSERT_TRUE(test, PAGE_ALIGNED(buf->vaddr));
	KUNIT_ASSERT_TRUE(test, PAGE_ALIGNED(buf->dma_handle));
	return buf;
}

/**
 * gring_test_view() - a view the case's fixture needs
 * @test: the case
 * @buf: the buffer
 * @offset: first byte
 * @size: bytes
 *
 * Return: the view; a refusal fails (and ends) the case.
 */
struct gring_view gring_test_view(struct kunit *test,
				  struct gring_coherent *buf, size_t offset,
				  size_t size)
{
	struct gring_view v = {};

	KUNIT_ASSERT_EQ(test, gring_coherent_view(buf, offset, size, 0, &v), 0);
	return v;
}

MODULE_DESCRIPTION("KUnit suites of gring_core: views and leases, the linear ring, the split virtqueue");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GRING);
