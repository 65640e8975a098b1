// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring_third: a module of its own on gring_core.ko, as a third driver
 * would be written. It is built only against what `make install-core-devel`
 * installs: the core's headers (its include path is the install's include/,
 * never kernel/core/) and the core's Module.symvers (KBUILD_EXTRA_SYMBOLS),
 * so modpost records the dependency on gring_core and the symbol CRCs the
 * core was built with.
 *
 * At load it exercises the core on a device of its own, prints one line
 * saying what it checked ("gring_third: PASS ..." or "gring_third: FAIL
 * ..."), and fails the load on any failure. On success it keeps the
 * buffer until unload, as a driver keeps its rings, so the core is held
 * (/sys/module/gring_core/holders/gring_third) while it is loaded.
 */
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/printk.h>
#include <linux/sizes.h>

#include <gring_view.h>

#define THIRD_NAME "gring_third"

/* A writeback area as a device would publish it: its seqno is the fence. */
struct third_wb {
	u32 rptr;
	u32 pad;
	u64 seqno;
};

static struct platform_device *third_pdev;
static struct gring_coherent *third_buf;

/*
 * One step of the load-time check: on failure, say which and with what.
 * The verdict line is the only one a test needs to read.
 */
#define third_check(cond, fmt, ...) ({					\
	bool __ok = (cond);						\
	if (!__ok)							\
		pr_err(THIRD_NAME ": FAIL: " fmt "\n", ##__VA_ARGS__);	\
	__ok;								\
})

/*
 * Give the writeback area to the device, try a CPU write while it owns
 * it (refused, and counted once), take it back. @wb is CPU-owned on entry
 * and on return.
 */
static int third_handoff(struct gring_coherent *buf, const struct gring_view *wb)
{
	struct gring_coherent_stats before, after;
	struct gring_lease lease = {};
	dma_addr_t dma = gring_view_dma_handle(wb);
	u64 seqno = 0;
	int err;

	/* The view carries its own DMA handle; it is never printed. */
	if (!third_check(dma, "the view has no DMA handle"))
		return -EIO;
	err = gring_view_wr_field(wb, struct third_wb, seqno, 1);
	if (!third_check(!err, "CPU write of a CPU-owned view: %d", err))
		return -EIO;

	gring_coherent_get_stats(buf, &before);
	err = gring_lease_give(wb, &lease);
	if (!third_check(!err, "gring_lease_give(): %d", err))
		return -EIO;
	if (!third_check(gring_view_owner(wb) == GRING_OWNER_GPU,
			 "the view is not device-owned after the give"))
		goto err_take;

	/* The refusal this module exists to see. */
	err = gring_view_wr_field(wb, struct third_wb, seqno, 2);
	if (!third_check(err == -EBUSY,
			 "CPU write of a device-owned view: %d, want %d",
			 err, -EBUSY))
		goto err_take;
	gring_coherent_get_stats(buf, &after);
	if (!third_check(after.cpu_refused == before.cpu_refused + 1,
			 "cpu_refused %llu -> %llu, want one more",
			 before.cpu_refused, after.cpu_refused))
		goto err_take;

	err = gring_lease_take(&lease);
	if (!third_check(!err, "gring_lease_take(): %d", err))
		return -EIO;
	err = gring_view_rd_field(wb, struct third_wb, seqno, &seqno);
	if (!third_check(!err && seqno == 1,
			 "read back after the take: %d, seqno %llu, want 0, 1",
			 err, seqno))
		return -EIO;

	/* Whole counts for the verdict line: one give, one take back. */
	gring_coherent_get_stats(buf, &after);
	pr_info(THIRD_NAME ": PASS: view [%#zx, +%#zx) with its own DMA handle given and taken back, CPU write refused while given (cpu_refused %llu -> %llu, to_gpu %llu, to_cpu %llu)\n",
		wb->offset, wb->size, before.cpu_refused,
		after.cpu_refused, after.to_gpu, after.to_cpu);
	return 0;

err_take:
	gring_lease_take(&lease);
	return -EIO;
}

static int __init gring_third_init(void)
{
	struct gring_view all, wb;
	int err;

	/*
	 * A device of its own, bound to no driver: the core needs only a
	 * struct device that may do coherent DMA, i.e. one with a mask.
	 */
	third_pdev = platform_device_register_simple(THIRD_NAME,
						     PLATFORM_DEVID_NONE,
						     NULL, 0);
	if (IS_ERR(third_pdev)) {
		err = PTR_ERR(third_pdev);
		pr_err(THIRD_NAME ": FAIL: platform device: %d\n", err);
		return err;
	}
	err = dma_set_mask_and_coherent(&third_pdev->dev, DMA_BIT_MASK(32));
	if (err) {
		pr_err(THIRD_NAME ": FAIL: DMA mask: %d\n", err);
		goto err_pdev;
	}

	third_buf = gring_coherent_alloc(&third_pdev->dev, SZ_4K, GFP_KERNEL,
					 THIRD_NAME);
	if (IS_ERR(third_buf)) {
		err = PTR_ERR(third_buf);
		pr_err(THIRD_NAME ": FAIL: gring_coherent_alloc(): %d\n", err);
		goto err_pdev;
	}

	err = gring_coherent_view(third_buf, 0, SZ_4K, 0, &all) ?:
	      gring_view_sub_type(&all, SZ_2K, struct third_wb, &wb);
	if (err) {
		pr_err(THIRD_NAME ": FAIL: views: %d\n", err);
		goto err_buf;
	}

	err = third_handoff(third_buf, &wb);
	if (err)
		goto err_buf;
	return 0;

err_buf:
	gring_coherent_free(third_buf);
err_pdev:
	platform_device_unregister(third_pdev);
	return err;
}

static void __exit gring_third_exit(void)
{
	gring_coherent_free(third_buf);
	platform_device_unregister(third_pdev);
}

module_init(gring_third_init);
module_exit(gring_third_exit);

MODULE_DESCRIPTION("A third module on gring_core: views and a refused CPU write");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GRING);
