// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: a PCI driver for QEMU's virtio-gpu (1af4:1050) that speaks the
 * modern virtio PCI transport itself (virtio 1.x, "Virtio Over PCI Bus")
 * and runs its controlq and cursorq on gring_vq, so every byte the device
 * reads or writes is a view with an owner.
 *
 * It binds only when asked: the ID table is empty, so the kernel's
 * virtio-pci + virtio_gpu keep every virtio-gpu device until an admin
 * writes "gring" to its driver_override and probes it. A bound device
 * gets a gring DRM device of its own, whose buffers are this function's
 * coherent memory and whose virtio-gpu rings (gring_vgpu.c) send their
 * commands down the controlq through gring_vpci_send(). What the
 * transport learnt (display info, queue state) is in debugfs,
 * gring_virtio/<pci name>/ (gring_virtio_cmd.c, with the driver's own
 * commands).
 *
 * Completion is in two halves, as in the kernel's virtio-gpu: the queue
 * interrupt only schedules the dequeue work, which takes the returned
 * chains off the used ring under the controlq's lock, sends what waited
 * for descriptors, drops the lock and then calls each chain's done()
 * (struct gring_vpci_chain has the contract; gring_virtio_irq.c has
 * both halves). gring_vpci_quiesce() stops the doorbell, the handlers and
 * the work before it resets the device.
 */

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_gpu.h>
#include <uapi/linux/virtio_pci.h>
#include <uapi/linux/virtio_ring.h>

#include "gring_drv.h"
#include "gring_view.h"
#include "gring_virtio_pci.h"
#include "gring_virtio_priv.h"
#include "gring_vq.h"

/* --- transport: status, features, reset --------------------------------- */

/**
 * gring_vpci_status() - the device status register
 * @v: the transport
 *
 * Return: VIRTIO_CONFIG_S_* bits the device reports.
 */
u8 gring_vpci_status(struct gring_vpci *v)
{
	return ioread8(&v->common->device_status);
}

static void gring_vpci_add_status(struct gring_vpci *v, u8 bits)
{
	iowrite8(gring_vpci_status(v) | bits, &v->common->device_status);
}

/*
 * Writing 0 resets the device; the spec has the driver wait until it
 * reads 0 back, after which the device no longer touches any queue: only
 * then may the CPU take the queues' memory back.
 */
static int gring_vpci_reset(struct gring_vpci *v)
{
	int i;

	iowrite8(0, &v->common->device_status);
	for (i = 0; i < 1000; i++) {
		if (!gring_vpci_status(v))
			return 0;
		usleep_range(1000, 2000);
	}
	pci_err(v->pdev, "device did not reset\n");
	return -ETIMEDOUT;
}

static u64 gring_vpci_read_features(struct gring_vpci *v)
{
	u64 lo, hi;

	iowrite32(0, &v->common->device_feature_select);
	lo = ioread32(&v->common->device_feature);
	iowrite32(1, &v->common->device_feature_select);
	hi = ioread32(&v->common->device_feature);
	return hi << 32 | lo;
}

static void gring_vpci_write_features(struct gring_vpci *v, u64 features)
{
	iowrite32(0, &v->common->guest_feature_select);
	iowrite32(lower_32_bits(features), &v->common->guest_feature);
	iowrite32(1, &v->common->guest_feature_select);
	iowrite32(upper_32_bits(features), &v->common->guest_feature);
}

/*
 * VERSION_1 is the modern transport itself; EVENT_IDX is what lets the
 * queues suppress notifications both ways; ACCESS_PLATFORM only says the
 * device goes through the DMA API, which gring always does. Nothing else
 * (virgl, EDID, blob resources) is used yet, so nothing else is accepted.
 */
static int gring_vpci_negotiate(struct gring_vpci *v)
{
	u64 want = BIT_ULL(VIRTIO_F_VERSION_1) |
		   BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |
		   BIT_ULL(VIRTIO_F_ACCESS_PLATFORM);

	v->offered = gring_vpci_read_features(v);
	if (!(v->offered & BIT_ULL(VIRTIO_F_VERSION_1))) {
		pci_err(v->pdev, "device does not offer VIRTIO_F_VERSION_1\n");
		return -ENODEV;
	}
	v->features = v->offered & want;
	gring_vpci_write_features(v, v->features);
	gring_vpci_add_status(v, VIRTIO_CONFIG_S_FEATURES_OK);
	/* The device clears FEATURES_OK if it cannot work with our subset. */
	if (!(gring_vpci_status(v) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		pci_err(v->pdev, "device refused features %#llx\n",
			v->features);
		return -ENODEV;
	}
	return 0;
}

/* --- capabilities ------------------------------------------------------- */

/*
 * Map the first vendor capability of @type (the spec asks drivers to use
 * the first one they understand). @minlen: bytes the driver will access.
 */
static void __iomem *gring_vpci_map_cap(struct gring_vpci *v, u8 type,
					size_t minlen, size_t *len, int *capp)
{
	struct pci_dev *pdev = v->pdev;
	u8 cfg_type, bar;
	u32 offset, length;
	int pos;

	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos > 0;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap,
							  cfg_type), &cfg_type);
		if (cfg_type != type)
			continue;
		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap,
							  bar), &bar);
		pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
							   offset), &offset);
		pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
							   length), &length);
		if (bar >= PCI_STD_NUM_BARS || length < minlen ||
		    !(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) ||
		    (u64)offset + length > pci_resource_len(pdev, bar)) {
			pci_err(pdev, "virtio cap %u: bad bar %u [%#x, +%#x)\n",
				type, bar, offset, length);
			return NULL;
		}
		if (len)
			*len = length;
		if (capp)
			*capp = pos;
		return pci_iomap_range(pdev, bar, offset, length);
	}
	pci_err(pdev, "no virtio cap of type %u\n", type);
	return NULL;
}

static void gring_vpci_unmap(struct gring_vpci *v)
{
	if (v->common)
		pci_iounmap(v->pdev, v->common);
	if (v->isr)
		pci_iounmap(v->pdev, v->isr);
	if (v->config)
		pci_iounmap(v->pdev, v->config);
	if (v->notify_base)
		pci_iounmap(v->pdev, v->notify_base);
}

static int gring_vpci_map(struct gring_vpci *v)
{
	int notify_cap = 0;

	v->common = gring_vpci_map_cap(v, VIRTIO_PCI_CAP_COMMON_CFG,
				       sizeof(struct virtio_pci_common_cfg),
				       NULL, NULL);
	v->isr = gring_vpci_map_cap(v, VIRTIO_PCI_CAP_ISR_CFG, 1, NULL, NULL);
	v->config = gring_vpci_map_cap(v, VIRTIO_PCI_CAP_DEVICE_CFG,
				       sizeof(struct virtio_gpu_config),
				       NULL, NULL);
	v->notify_base = gring_vpci_map_cap(v, VIRTIO_PCI_CAP_NOTIFY_CFG, 2,
					    &v->notify_len, &notify_cap);
	if (!v->common || !v->isr || !v->config || !v->notify_base) {
		gring_vpci_unmap(v);
		return -ENODEV;
	}
	pci_read_config_dword(v->pdev, notify_cap +
			      offsetof(struct virtio_pci_notify_cap,
				       notify_off_multiplier),
			      &v->notify_mult);
	return 0;
}

/* --- queues ------------------------------------------------------------- */

static void gring_vpci_write_addr(__le32 __iomem *lo, __le32 __iomem *hi,
				  dma_addr_t addr)
{
	iowrite32(lower_32_bits(addr), lo);
	iowrite32(upper_32_bits(addr), hi);
}

/*
 * Tell the device where @q's three areas are, and enable it: at probe,
 * and again after a reset (gring_vpci_recover()), which forgets them.
 */
static int gring_vpci_program_queue(struct gring_vpci *v,
				    struct gring_vpci_queue *q)
{
	struct virtio_pci_common_cfg __iomem *c = v->common;
	u16 off;
	size_t noff;

	iowrite16(q->index, &c->queue_select);
	if (ioread16(&c->queue_enable))
		return -ENODEV;
	/* Where this queue's doorbell is: the notify cap's rule. */
	off = ioread16(&c->queue_notify_off);
	noff = (size_t)off * v->notify_mult;
	if (noff + 2 > v->notify_len)
		return -ENODEV;
	q->notify = v->notify_base + noff;

	iowrite16(q->vq.num, &c->queue_size);
	/* The three views' handles: no address arithmetic here. */
	gring_vpci_write_addr(&c->queue_desc_lo, &c->queue_desc_hi,
			      gring_view_dma_handle(&q->vq.views.desc));
	gring_vpci_write_addr(&c->queue_avail_lo, &c->queue_avail_hi,
			      gring_view_dma_handle(&q->vq.views.avail));
	gring_vpci_write_addr(&c->queue_used_lo, &c->queue_used_hi,
			      gring_view_dma_handle(&q->vq.views.used));
	q->vector = v->msix ? 1 : VIRTIO_MSI_NO_VECTOR;
	iowrite16(q->vector, &c->queue_msix_vector);
	/* A device out of vectors answers NO_VECTOR: no interrupts, fail. */
	if (v->msix && ioread16(&c->queue_msix_vector) != q->vector)
		return -EBUSY;
	iowrite16(1, &c->queue_enable);
	spin_lock_irq(&q->lock);
	q->ready = true;
	spin_unlock_irq(&q->lock);
	return 0;
}

static int gring_vpci_setup_queue(struct gring_vpci *v, u16 index,
				  const char *name)
{
	struct virtio_pci_common_cfg __iomem *c = v->common;
	struct gring_vpci_queue *q = &v->queues[index];
	struct gring_vq_views views;
	struct gring_view area;
	u16 max, num;
	int err;

	iowrite16(index, &c->queue_select);
	max = ioread16(&c->queue_size);
	if (!max || ioread16(&c->queue_enable))
		return -ENODEV;
	num = rounddown_pow_of_two(min_t(u16, max, GRING_VPCI_QUEUE_MAX));

	err = gring_coherent_view(v->rings, index * GRING_VPCI_QUEUE_STRIDE,
				  gring_vq_area_size(num), 16, &area) ?:
	      gring_vq_carve(&area, num, &views) ?:
	      gring_vq_init(&q->vq, &views, num,
			    v->features & BIT_ULL(VIRTIO_RING_F_EVENT_IDX),
			    name);
	if (err)
		return err;
	q->live = true;
	err = gring_vpci_program_queue(v, q);
	if (err) {
		gring_vq_fini(&q->vq);
		q->live = false;
	}
	return err;
}

/*
 * After a reset (the device is off the queues): move what was in flight
 * to @done with @status, and on the controlq what waited for room with
 * @backlog_status (and what was refused, with its own status). The
 * queue memory is the CPU's again: gring_vq_detach() leaves the queue as
 * gring_vq_init() did, ready for gring_vpci_program_queue(); unless
 * @keep, it is finished too. The caller completes @done without the lock.
 */
static void gring_vpci_teardown_queue(struct gring_vpci_queue *q, int status,
				      int backlog_status, bool keep,
				      struct list_head *done)
{
	struct gring_vpci_chain *c;
	void *token;

	spin_lock_irq(&q->lock);
	q->ready = false;
	if (q->live) {
		while (gring_vq_detach(&q->vq, &token) == 1) {
			c = token;
			c->len = 0;
			c->status = status;
			list_add_tail(&c->link, done);
		}
		if (!keep) {
			gring_vq_fini(&q->vq);
			q->live = false;
		}
	}
	if (q->index == GRING_VPCI_CONTROLQ) {
		list_for_each_entry(c, &q->v->backlog, link) {
			c->len = 0;
			c->status = backlog_status;
		}
		list_splice_tail_init(&q->v->backlog, done);
		list_splice_tail_init(&q->v->refused, done);
	}
	spin_unlock_irq(&q->lock);
}

/*
 * The reset gring_vpci_quiesce() and gring_vpci_recover() share, under
 * the reset mutex: see gring_vpci_quiesce() for the order. Returns
 * gring_vpci_reset()'s error; the queues are kept only if it succeeded.
 */
static int gring_vpci_stop(struct gring_vpci *v, int status,
			   int backlog_status, bool keep)
{
	struct gring_vpci_queue *q = &v->queues[GRING_VPCI_CONTROLQ];
	LIST_HEAD(done);
	int err, i;

	lockdep_assert_held(&v->reset_lock);
	spin_lock_irq(&q->lock);
	v->dead = true;
	spin_unlock_irq(&q->lock);

	/*
	 * No handler is still between its interrupt and queue_work(), and a
	 * later one finds the work disabled: after this nothing but this
	 * thread completes a chain.
	 */
	gring_vpci_synchronize_irqs(v);
	disable_work_sync(&v->dequeue_work);
	for (i = 0; i < GRING_VPCI_NQUEUES; i++)
		gring_vpci_dequeue_queue(&v->queues[i], &done);
	gring_vpci_complete(&done);

	err = gring_vpci_reset(v);
	for (i = 0; i < GRING_VPCI_NQUEUES; i++)
		gring_vpci_teardown_queue(&v->queues[i], status,
					  backlog_status, keep && !err, &done);
	gring_vpci_complete(&done);
	return err;
}

/**
 * gring_vpci_quiesce() - reset the device for good, failing what is sent
 * @v: the transport
 * @status: the error chains in flight complete with (those still waiting
 *	for descriptors complete with -ENODEV)
 *
 * In order: the device is marked dead under the controlq's lock (no chain
 * is added and no doorbell rung from then on, by gring_vpci_send() or by
 * the dequeue work); the interrupt handlers running are waited for and
 * the dequeue work is disabled for good, waiting for a run in progress
 * (its done() calls included); what the device already answered is
 * completed with its answer; the device is reset; then every chain still
 * outstanding completes with @status, once, outside the lock.
 *
 * Afterwards the device touches no memory, every chain's @done has
 * returned and none is ever called again, and gring_vpci_send() fails
 * with -ENODEV. Used when a command hangs (the device cannot cancel one)
 * and before the DRM device on the function goes. Concurrent calls are
 * serialised: each returns only once all of that is true.
 *
 * Context: process context; sleeps (the reset). Not from a chain's done().
 */
void gring_vpci_quiesce(struct gring_vpci *v, int status)
{
	mutex_lock(&v->reset_lock);
	v->removed = true;
	gring_vpci_stop(v, status, -ENODEV, false);
	mutex_unlock(&v->reset_lock);
}

/* Spec 3.1.1 again, for the device a reset left: features, queues, go. */
static int gring_vpci_restart(struct gring_vpci *v)
{
	u64 features = v->features;
	int err, i;

	gring_vpci_add_status(v, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	gring_vpci_add_status(v, VIRTIO_CONFIG_S_DRIVER);
	err = gring_vpci_negotiate(v);
	if (err)
		return err;
	/* What the engine was built on, resource formats included. */
	if (v->features != features)
		return -ENODEV;
	iowrite16(v->msix ? 0 : VIRTIO_MSI_NO_VECTOR, &v->common->msix_config);
	if (v->msix && ioread16(&v->common->msix_config) != 0)
		return -EBUSY;
	for (i = 0; i < GRING_VPCI_NQUEUES; i++) {
		err = gring_vpci_program_queue(v, &v->queues[i]);
		if (err)
			return err;
	}
	gring_vpci_add_status(v, VIRTIO_CONFIG_S_DRIVER_OK);
	return 0;
}

/**
 * gring_vpci_recover() - reset a hung device and start it again
 * @v: the transport
 * @status: the error the chains in flight, and those still waiting for
 *	descriptors, complete with
 *
 * The reset of gring_vpci_quiesce(), in the same order, then the device
 * is set up again on the same queue memory and gring_vpci_send() works
 * once more. The device forgets everything in a reset: its resources,
 * their backings and what its scanouts showed are gone, which the
 * caller tells its users. Nothing is allocated (a GPU reset path may not
 * allocate). debugfs hold_used, the simulated hang, ends with the reset
 * as a real hang would.
 *
 * Context: process context; sleeps. Not from a chain's done().
 * Return: 0 when the device runs again; -ENODEV if it was quiesced for
 * good meanwhile; else the error of resetting or setting it up, and the
 * device stays reset for good, as after gring_vpci_quiesce().
 */
int gring_vpci_recover(struct gring_vpci *v, int status)
{
	struct gring_vpci_queue *q = &v->queues[GRING_VPCI_CONTROLQ];
	int err = -ENODEV, i;

	mutex_lock(&v->reset_lock);
	if (v->removed)
		goto out;
	err = gring_vpci_stop(v, status, status, true) ?:
	      gring_vpci_restart(v);
	if (err) {
		pci_err(v->pdev, "device did not come back from a reset: %d\n",
			err);
		gring_vpci_reset(v);
		gring_vpci_add_status(v, VIRTIO_CONFIG_S_FAILED);
		for (i = 0; i < GRING_VPCI_NQUEUES; i++) {
			spin_lock_irq(&v->queues[i].lock);
			v->queues[i].ready = false;
			if (v->queues[i].live)
				gring_vq_fini(&v->queues[i].vq);
			v->queues[i].live = false;
			spin_unlock_irq(&v->queues[i].lock);
		}
		v->removed = true;
		goto out;
	}
	WRITE_ONCE(v->hold_used, false);
	v->resets++;
	/*
	 * The work first: once the device is live again, a chain sent may
	 * come back at once, and an interrupt finding the work disabled
	 * would be lost.
	 */
	enable_work(&v->dequeue_work);
	spin_lock_irq(&q->lock);
	v->dead = false;
	spin_unlock_irq(&q->lock);
	/* Its scanouts' modes, as at probe (the display debugfs file). */
	schedule_work(&v->display_work);
out:
	mutex_unlock(&v->reset_lock);
	return err;
}

/* --- probe and remove ---------------------------------------------------- */

static void gring_vpci_free_buffers(struct gring_vpci *v)
{
	if (v->cmdbuf)
		gring_coherent_free(v->cmdbuf);
	if (v->rings)
		gring_coherent_free(v->rings);
}

static int gring_vpci_alloc_buffers(struct gring_vpci *v)
{
	struct device *dev = &v->pdev->dev;

	v->rings = gring_coherent_alloc(dev, GRING_VPCI_NQUEUES *
					GRING_VPCI_QUEUE_STRIDE, GFP_KERNEL,
					"gring-virtio-rings");
	if (IS_ERR(v->rings)) {
		v->rings = NULL;
		return -ENOMEM;
	}
	v->cmdbuf = gring_coherent_alloc(dev, GRING_VPCI_CMD_SIZE, GFP_KERNEL,
					 "gring-virtio-cmd");
	if (IS_ERR(v->cmdbuf)) {
		v->cmdbuf = NULL;
		gring_vpci_free_buffers(v);
		return -ENOMEM;
	}
	return gring_coherent_view(v->cmdbuf, 0,
				   GRING_VPCI_BATCH * GRING_VPCI_REQ_STRIDE,
				   8, &v->req) ?:
	       gring_coherent_view(v->cmdbuf, GRING_VPCI_RESP_OFF,
				   GRING_VPCI_CMD_SIZE - GRING_VPCI_RESP_OFF,
				   8, &v->resp);
}

static int gring_vpci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct gring_vpci *v;
	int err, i;

	/*
	 * Only driver_override gets here, and it can name any device: take
	 * the one this driver knows, modern virtio-gpu, and nothing else.
	 */
	if (pdev->vendor != PCI_VENDOR_ID_REDHAT_QUMRANET ||
	    pdev->device != 0x1050)
		return -ENODEV;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->pdev = pdev;
	mutex_init(&v->cmd_lock);
	mutex_init(&v->display_lock);
	mutex_init(&v->reset_lock);
	for (i = 0; i < GRING_VPCI_BATCH; i++)
		init_completion(&v->cmd[i].done);
	INIT_WORK(&v->config_work, gring_vpci_config_work);
	INIT_WORK(&v->display_work, gring_vpci_display_work);
	INIT_WORK(&v->dequeue_work, gring_vpci_dequeue_work);
	INIT_LIST_HEAD(&v->backlog);
	INIT_LIST_HEAD(&v->refused);
	for (i = 0; i < GRING_VPCI_NQUEUES; i++) {
		spin_lock_init(&v->queues[i].lock);
		v->queues[i].v = v;
		v->queues[i].index = i;
	}
	pci_set_drvdata(pdev, v);

	err = pci_enable_device(pdev);
	if (err)
		goto err_free;
	err = pci_request_regions(pdev, GRING_VPCI_NAME);
	if (err)
		goto err_disable;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		goto err_release;
	pci_set_master(pdev);
	err = gring_vpci_map(v);
	if (err)
		goto err_release;

	/* Spec 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK. */
	err = gring_vpci_reset(v);
	if (err)
		goto err_unmap;
	gring_vpci_add_status(v, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	gring_vpci_add_status(v, VIRTIO_CONFIG_S_DRIVER);
	err = gring_vpci_negotiate(v);
	if (err)
		goto err_failed;
	/* Device config is valid once FEATURES_OK is set (spec 3.1.1). */
	v->num_scanouts = min_t(u32, ioread32(&v->config->num_scanouts),
				VIRTIO_GPU_MAX_SCANOUTS);

	err = gring_vpci_alloc_buffers(v);
	if (err)
		goto err_failed;
	err = gring_vpci_setup_irqs(v);
	if (err)
		goto err_buffers;
	iowrite16(v->msix ? 0 : VIRTIO_MSI_NO_VECTOR, &v->common->msix_config);
	if (v->msix && ioread16(&v->common->msix_config) != 0) {
		err = -EBUSY;
		goto err_irqs;
	}
	err = gring_vpci_setup_queue(v, GRING_VPCI_CONTROLQ,
				     "gring-virtio-controlq");
	if (!err)
		err = gring_vpci_setup_queue(v, GRING_VPCI_CURSORQ,
					     "gring-virtio-cursorq");
	if (err)
		goto err_queues;
	gring_vpci_add_status(v, VIRTIO_CONFIG_S_DRIVER_OK);

	err = gring_vpci_get_display_info(v);
	if (err)
		goto err_reset;

	/* Last: from here on userspace can reach the device through DRM. */
	v->gdev = gring_drm_device_create(&pdev->dev, v);
	if (IS_ERR(v->gdev)) {
		err = PTR_ERR(v->gdev);
		goto err_reset;
	}

	gring_vpci_debugfs_init(v);
	pci_info(pdev, "gring virtio-gpu: %s, features %#llx\n",
		 v->msix ? "MSI-X" : "INTx", v->features);
	return 0;

err_reset:
err_queues:
	gring_vpci_quiesce(v, -ENODEV);
err_irqs:
	gring_vpci_free_irqs(v);
	cancel_work_sync(&v->config_work);
	cancel_work_sync(&v->display_work);
	/* Queued by an interrupt before the queues were there: a no-op. */
	cancel_work_sync(&v->dequeue_work);
err_buffers:
	gring_vpci_free_buffers(v);
err_failed:
	gring_vpci_add_status(v, VIRTIO_CONFIG_S_FAILED);
err_unmap:
	gring_vpci_unmap(v);
err_release:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(v);
	return err;
}

static void gring_vpci_remove(struct pci_dev *pdev)
{
	struct gring_vpci *v = pci_get_drvdata(pdev);

	/*
	 * The DRM device first: it resets the device (gring_vpci_quiesce()),
	 * so nothing of its buffers is the device's when it frees them, and
	 * from then on no file reaches this transport.
	 */
	gring_drm_device_remove(v->gdev);
	debugfs_remove_recursive(v->debugfs);
	cancel_work_sync(&v->config_work);
	cancel_work_sync(&v->display_work);
	/*
	 * Reset (again, if the DRM device did): afterwards the device touches
	 * no queue and no buffer, no interrupt handler or dequeue work is
	 * running or will run, and every chain is complete, so the leases
	 * can be taken back and the memory freed.
	 */
	gring_vpci_quiesce(v, -ENODEV);
	gring_vpci_free_irqs(v);
	cancel_work_sync(&v->config_work);
	gring_vpci_free_buffers(v);
	gring_vpci_unmap(v);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	kfree(v);
}

/*
 * Empty on purpose: a device reaches probe only through driver_override
 * (pci_match_device() then hands over a catch-all ID), never by
 * matching, so the kernel's virtio-pci keeps every device by default.
 */
static const struct pci_device_id gring_vpci_ids[] = {
	{ }
};

static struct pci_driver gring_vpci_driver = {
	.name = GRING_VPCI_NAME,
	.id_table = gring_vpci_ids,
	.probe = gring_vpci_probe,
	.remove = gring_vpci_remove,
};

/**
 * gring_virtio_pci_register() - register the virtio-gpu PCI driver
 *
 * Creates the completion workqueue and the debugfs directory
 * gring_virtio/, and registers the driver, which binds only devices whose
 * driver_override is "gring".
 *
 * Return: 0, -ENOMEM or the error of pci_register_driver().
 */
int gring_virtio_pci_register(void)
{
	int err;

	err = gring_vpci_wq_create();
	if (err)
		return err;
	gring_vpci_debugfs_register();
	err = pci_register_driver(&gring_vpci_driver);
	if (err) {
		gring_vpci_debugfs_unregister();
		gring_vpci_wq_destroy();
	}
	return err;
}

/**
 * gring_virtio_pci_unregister() - unbind every device and unregister
 *
 * Each bound device is reset and its queues and buffers freed (remove).
 */
void gring_virtio_pci_unregister(void)
{
	pci_unregister_driver(&gring_vpci_driver);
	gring_vpci_debugfs_unregister();
	gring_vpci_wq_destroy();
}
