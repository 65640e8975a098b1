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
 * gring_virtio/<pci name>/.
 */

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kstrtox.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
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
#include "gring_vq.h"

#define GRING_VPCI_NAME		"gring"
#define GRING_VPCI_CONTROLQ	0
#define GRING_VPCI_CURSORQ	1
#define GRING_VPCI_NQUEUES	2
/* Ring entries per queue; the device may offer more (QEMU: 256). */
#define GRING_VPCI_QUEUE_MAX	64
/* Each queue's three areas start on their own page of the rings buffer. */
#define GRING_VPCI_QUEUE_STRIDE	4096
/*
 * Commands go out in batches of up to GRING_VPCI_BATCH: request i at
 * i * REQ_STRIDE, response i at RESP_OFF + i * RESP_STRIDE of the command
 * buffer, one chain (request view, response view) each.
 */
#define GRING_VPCI_BATCH	16
#define GRING_VPCI_REQ_STRIDE	64
#define GRING_VPCI_RESP_OFF	4096
#define GRING_VPCI_RESP_STRIDE	512
#define GRING_VPCI_CMD_SIZE	(GRING_VPCI_RESP_OFF + \
				 GRING_VPCI_BATCH * GRING_VPCI_RESP_STRIDE)
/* The most GET_DISPLAY_INFO round trips one debugfs write may ask for. */
#define GRING_VPCI_QUERY_MAX	100000
/* TCG is slow, but a device that answers nothing in this long is dead. */
#define GRING_VPCI_CMD_TIMEOUT	(10 * HZ)

static bool force_intx;
module_param(force_intx, bool, 0644);
MODULE_PARM_DESC(force_intx,
		 "virtio-gpu devices bound later use INTx, not MSI-X (tests the fallback)");

static struct dentry *gring_vpci_debugfs_root;

/* One command of the driver's own batch in flight (batches are serialised). */
struct gring_vpci_cmd {
	struct gring_vpci_chain chain;
	struct completion done;
	u32 len;
	int status;
};

struct gring_vpci_queue {
	struct gring_vq vq;
	struct gring_vpci *v;
	spinlock_t lock;	/* serialises every call on @vq, IRQ included */
	void __iomem *notify;
	u16 index;
	u16 vector;
	bool ready;
	u64 irqs;
	u64 notifies;
};

struct gring_vpci {
	struct pci_dev *pdev;
	struct virtio_pci_common_cfg __iomem *common;
	u8 __iomem *isr;
	struct virtio_gpu_config __iomem *config;
	void __iomem *notify_base;
	size_t notify_len;
	u32 notify_mult;

	u64 offered;
	u64 features;
	bool msix;
	int nvec;

	struct gring_coherent *rings;
	struct gring_coherent *cmdbuf;
	struct gring_view req, resp;
	struct gring_vpci_queue queues[GRING_VPCI_NQUEUES];

	struct mutex cmd_lock;	/* one batch of controlq commands at a time */
	struct gring_vpci_cmd cmd[GRING_VPCI_BATCH];
	/*
	 * Chains waiting for controlq descriptors, in order (the controlq's
	 * lock): gring_vpci_send() and every completion add what fits.
	 */
	struct list_head backlog;
	bool dead;		/* reset for good: nothing is sent any more */
	struct gring_drm_device *gdev;	/* the DRM device on this function */
	u64 queries;		/* GET_DISPLAY_INFO round trips completed */

	struct work_struct config_work;
	u64 config_irqs;
	u64 display_events;

	struct mutex display_lock;	/* protects display, display_err */
	struct virtio_gpu_resp_display_info display;
	int display_err;

	struct dentry *debugfs;
};

/* --- transport: status, features, reset --------------------------------- */

static u8 gring_vpci_status(struct gring_vpci *v)
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

/* --- interrupts --------------------------------------------------------- */

static void gring_vpci_cmd_done(struct gring_vpci_chain *chain, u32 len,
				int status)
{
	struct gring_vpci_cmd *cmd = container_of(chain, struct gring_vpci_cmd,
						  chain);

	cmd->len = len;
	cmd->status = status;
	complete(&cmd->done);
}

/*
 * Add as many backlogged chains as the queue has descriptors for, then
 * publish them with one avail idx update and at most one doorbell.
 */
static void gring_vpci_pump_locked(struct gring_vpci *v,
				   struct gring_vpci_queue *q)
{
	struct gring_vpci_chain *c;
	bool added = false;
	int err;

	lockdep_assert_held(&q->lock);
	while (!list_empty(&v->backlog) && gring_vq_num_free(&q->vq) >= 2) {
		c = list_first_entry(&v->backlog, struct gring_vpci_chain,
				     link);
		list_del_init(&c->link);
		err = gring_vq_add(&q->vq, &c->out, 1, &c->in, 1, c);
		if (err) {
			/* Refused by the ownership layer: a gring bug. */
			c->done(c, 0, err);
			continue;
		}
		added = true;
	}
	if (!added)
		return;
	gring_vq_publish(&q->vq);
	/*
	 * iowrite16() is ordered after the avail idx store and the mb() in
	 * gring_vq_kick_prepare(): MMIO accessors are.
	 */
	if (gring_vq_kick_prepare(&q->vq)) {
		iowrite16(q->index, q->notify);
		q->notifies++;
	}
}

/**
 * gring_vpci_send() - queue command chains on the controlq
 * @v: the transport
 * @chains: struct gring_vpci_chain entries (by @link); emptied on success
 *
 * Each chain is one request view the device reads and one response view
 * it writes; the views' DMA handles go into the descriptors. Chains go
 * out in list order, as many as the queue has room for at once, the rest
 * as earlier ones come back. Each chain's @done is called once, from the
 * interrupt handler (or from gring_vpci_quiesce()), with the bytes the
 * device wrote and 0, or with 0 and a negative error when the device is
 * reset first. It runs under the queue's spinlock: it must not sleep nor
 * call back in here.
 *
 * Return: 0; -ENODEV when the device is reset for good (then no @done
 * is ever called and @chains is left as it was).
 */
int gring_vpci_send(struct gring_vpci *v, struct list_head *chains)
{
	struct gring_vpci_queue *q = &v->queues[GRING_VPCI_CONTROLQ];
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&q->lock, flags);
	if (v->dead || !q->ready) {
		err = -ENODEV;
	} else {
		list_splice_tail_init(chains, &v->backlog);
		gring_vpci_pump_locked(v, q);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return err;
}

static void gring_vpci_queue_irq(struct gring_vpci_queue *q)
{
	unsigned long flags;
	void *token;
	u32 len;
	int ret;

	spin_lock_irqsave(&q->lock, flags);
	q->irqs++;
	if (!q->ready)
		goto out;
	do {
		while ((ret = gring_vq_get_used(&q->vq, &token, &len)) == 1) {
			struct gring_vpci_chain *c = token;

			c->done(c, len, 0);
		}
		if (ret < 0)
			break;	/* broken: the waiter times out and resets */
	} while (!gring_vq_enable_cb(&q->vq));
	/* Descriptors came back: what waited for them goes out. */
	if (q->index == GRING_VPCI_CONTROLQ && ret >= 0)
		gring_vpci_pump_locked(q->v, q);
out:
	spin_unlock_irqrestore(&q->lock, flags);
}

static void gring_vpci_config_irq(struct gring_vpci *v)
{
	v->config_irqs++;
	schedule_work(&v->config_work);
}

static irqreturn_t gring_vpci_msix_config(int irq, void *data)
{
	gring_vpci_config_irq(data);
	return IRQ_HANDLED;
}

static irqreturn_t gring_vpci_msix_queues(int irq, void *data)
{
	struct gring_vpci *v = data;
	int i;

	for (i = 0; i < GRING_VPCI_NQUEUES; i++)
		gring_vpci_queue_irq(&v->queues[i]);
	return IRQ_HANDLED;
}

/* INTx is shared: the ISR byte says whether it was us, and reading it acks. */
static irqreturn_t gring_vpci_intx(int irq, void *data)
{
	struct gring_vpci *v = data;
	u8 isr = ioread8(v->isr);

	if (!isr)
		return IRQ_NONE;
	if (isr & VIRTIO_PCI_ISR_CONFIG)
		gring_vpci_config_irq(v);
	if (isr & 1)
		gring_vpci_msix_queues(irq, v);
	return IRQ_HANDLED;
}

/* MSI-X: vector 0 for config changes, vector 1 for both queues. */
static int gring_vpci_setup_irqs(struct gring_vpci *v)
{
	struct pci_dev *pdev = v->pdev;
	int err;

	v->nvec = -ENOSPC;
	if (!force_intx)
		v->nvec = pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX);
	if (v->nvec == 2) {
		v->msix = true;
		err = request_irq(pci_irq_vector(pdev, 0),
				  gring_vpci_msix_config, 0, "gring-virtio-config",
				  v);
		if (err)
			goto out_free_vectors;
		err = request_irq(pci_irq_vector(pdev, 1),
				  gring_vpci_msix_queues, 0, "gring-virtio-queues",
				  v);
		if (err) {
			free_irq(pci_irq_vector(pdev, 0), v);
			goto out_free_vectors;
		}
		return 0;
	}
	v->msix = false;
	v->nvec = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_INTX);
	if (v->nvec < 0)
		return v->nvec;
	err = request_irq(pci_irq_vector(pdev, 0), gring_vpci_intx,
			  IRQF_SHARED, "gring-virtio", v);
	if (err)
		goto out_free_vectors;
	return 0;

out_free_vectors:
	pci_free_irq_vectors(pdev);
	return err;
}

static void gring_vpci_free_irqs(struct gring_vpci *v)
{
	int i;

	for (i = 0; i < v->nvec; i++)
		free_irq(pci_irq_vector(v->pdev, i), v);
	pci_free_irq_vectors(v->pdev);
}

/* --- queues ------------------------------------------------------------- */

static void gring_vpci_write_addr(__le32 __iomem *lo, __le32 __iomem *hi,
				  dma_addr_t addr)
{
	iowrite32(lower_32_bits(addr), lo);
	iowrite32(upper_32_bits(addr), hi);
}

static int gring_vpci_setup_queue(struct gring_vpci *v, u16 index,
				  const char *name)
{
	struct virtio_pci_common_cfg __iomem *c = v->common;
	struct gring_vpci_queue *q = &v->queues[index];
	struct gring_vq_views views;
	struct gring_view area;
	u16 max, num, off;
	size_t noff;
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

	/* Where this queue's doorbell is: the notify cap's rule. */
	off = ioread16(&c->queue_notify_off);
	noff = (size_t)off * v->notify_mult;
	if (noff + 2 > v->notify_len) {
		err = -ENODEV;
		goto err_fini;
	}
	q->notify = v->notify_base + noff;

	iowrite16(num, &c->queue_size);
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
	if (v->msix && ioread16(&c->queue_msix_vector) != q->vector) {
		err = -EBUSY;
		goto err_fini;
	}
	iowrite16(1, &c->queue_enable);
	q->ready = true;
	return 0;

err_fini:
	gring_vq_fini(&q->vq);
	return err;
}

/*
 * After a reset (the device is off the queues): complete what was in
 * flight, and what waited for room, with @status, and hand the queue
 * memory back to the CPU.
 */
static void gring_vpci_teardown_queue(struct gring_vpci_queue *q, int status)
{
	struct gring_vpci_chain *c;
	unsigned long flags;
	void *token;

	spin_lock_irqsave(&q->lock, flags);
	if (q->ready) {
		while (gring_vq_detach(&q->vq, &token) == 1) {
			c = token;
			c->done(c, 0, status);
		}
		gring_vq_fini(&q->vq);
		q->ready = false;
	}
	if (q->index == GRING_VPCI_CONTROLQ) {
		while (!list_empty(&q->v->backlog)) {
			c = list_first_entry(&q->v->backlog,
					     struct gring_vpci_chain, link);
			list_del_init(&c->link);
			c->done(c, 0, -ENODEV);
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

/**
 * gring_vpci_quiesce() - reset the device for good, failing what is sent
 * @v: the transport
 * @status: the error chains in flight complete with (those still waiting
 *	for descriptors complete with -ENODEV)
 *
 * Afterwards the device touches no memory, every chain's @done has been
 * called, and gring_vpci_send() fails with -ENODEV. Used when a command
 * hangs (the device cannot cancel one) and before the DRM device on the
 * function goes.
 *
 * Context: process context; may sleep for the reset.
 */
void gring_vpci_quiesce(struct gring_vpci *v, int status)
{
	struct gring_vpci_queue *q = &v->queues[GRING_VPCI_CONTROLQ];
	unsigned long flags;
	int i;

	spin_lock_irqsave(&q->lock, flags);
	v->dead = true;
	spin_unlock_irqrestore(&q->lock, flags);
	gring_vpci_reset(v);
	for (i = 0; i < GRING_VPCI_NQUEUES; i++)
		gring_vpci_teardown_queue(&v->queues[i], status);
}

/* --- the controlq: one command at a time --------------------------------- */

/*
 * Send @n commands whose requests (@req_len bytes each) the caller wrote
 * into the request slots, as @n chains published with one avail idx
 * update and at most one doorbell; wait for all @n responses (up to
 * @resp_len bytes each, lengths in v->cmd[i].len). Caller holds cmd_lock.
 */
static int gring_vpci_commands(struct gring_vpci *v, unsigned int n,
			       size_t req_len, size_t resp_len)
{
	LIST_HEAD(chains);
	unsigned int i;
	int err = 0, ret;

	lockdep_assert_held(&v->cmd_lock);
	if (!n || n > GRING_VPCI_BATCH || req_len > GRING_VPCI_REQ_STRIDE ||
	    resp_len > GRING_VPCI_RESP_STRIDE)
		return -EINVAL;

	for (i = 0; i < n; i++) {
		struct gring_vpci_cmd *cmd = &v->cmd[i];

		err = gring_view_sub(&v->req, i * GRING_VPCI_REQ_STRIDE,
				     req_len, 0, &cmd->chain.out) ?:
		      gring_view_sub(&v->resp, i * GRING_VPCI_RESP_STRIDE,
				     resp_len, 0, &cmd->chain.in);
		if (err)
			return err;
		cmd->chain.done = gring_vpci_cmd_done;
		reinit_completion(&cmd->done);
		list_add_tail(&cmd->chain.link, &chains);
	}
	/* One publish, at most one doorbell, for the whole batch. */
	err = gring_vpci_send(v, &chains);
	if (err)
		return err;

	for (i = 0; i < n; i++) {
		if (!wait_for_completion_timeout(&v->cmd[i].done,
						 GRING_VPCI_CMD_TIMEOUT)) {
			/*
			 * The device still owns the chains. Reset it so it
			 * lets go, then take everything back: the driver is
			 * dead until the device is bound again.
			 */
			pci_err(v->pdev, "controlq command timed out; resetting\n");
			gring_vpci_quiesce(v, -ETIMEDOUT);
			return -ETIMEDOUT;
		}
		ret = v->cmd[i].status;
		if (ret && !err)
			err = ret;
	}
	return err;
}

/* Write a GET_DISPLAY_INFO request into the first @n request slots. */
static int gring_vpci_display_requests(struct gring_vpci *v, unsigned int n)
{
	struct virtio_gpu_ctrl_hdr hdr = {
		.type = cpu_to_le32(VIRTIO_GPU_CMD_GET_DISPLAY_INFO),
	};
	unsigned int i;
	int err = 0;

	for (i = 0; i < n && !err; i++)
		err = gring_view_write(&v->req, i * GRING_VPCI_REQ_STRIDE, &hdr,
				       sizeof(hdr));
	return err;
}

/*
 * Response @i of the last batch, which is CPU-owned again: its chain
 * came back. -EIO unless it is a whole display info.
 */
static int gring_vpci_display_response(struct gring_vpci *v, unsigned int i,
				       struct virtio_gpu_resp_display_info *info)
{
	int err;

	err = gring_view_read(&v->resp, i * GRING_VPCI_RESP_STRIDE, info,
			      sizeof(*info));
	if (err)
		return err;
	if (v->cmd[i].len < sizeof(*info) ||
	    le32_to_cpu(info->hdr.type) != VIRTIO_GPU_RESP_OK_DISPLAY_INFO) {
		pci_err(v->pdev, "GET_DISPLAY_INFO: response %#x, %u bytes\n",
			le32_to_cpu(info->hdr.type), v->cmd[i].len);
		return -EIO;
	}
	return 0;
}

static int gring_vpci_get_display_info(struct gring_vpci *v)
{
	struct virtio_gpu_resp_display_info *info;
	int err;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	mutex_lock(&v->cmd_lock);
	err = gring_vpci_display_requests(v, 1) ?:
	      gring_vpci_commands(v, 1, sizeof(struct virtio_gpu_ctrl_hdr),
				  sizeof(*info)) ?:
	      gring_vpci_display_response(v, 0, info);
	if (!err)
		v->queries++;
	mutex_unlock(&v->cmd_lock);

	mutex_lock(&v->display_lock);
	v->display_err = err;
	if (!err)
		v->display = *info;
	mutex_unlock(&v->display_lock);
	kfree(info);
	return err;
}

/*
 * Ask for the display info @count times, in batches, and check that
 * every answer is the one probe got: a round-trip test of the controlq
 * on the real device (descriptor reuse, index wrap, notification
 * suppression) that changes nothing but counters.
 */
static int gring_vpci_display_query(struct gring_vpci *v, unsigned int count)
{
	struct virtio_gpu_resp_display_info *info;
	unsigned int n, i;
	int err = 0;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	mutex_lock(&v->cmd_lock);
	while (count && !err) {
		n = min_t(unsigned int, count, GRING_VPCI_BATCH);
		err = gring_vpci_display_requests(v, n) ?:
		      gring_vpci_commands(v, n,
					  sizeof(struct virtio_gpu_ctrl_hdr),
					  sizeof(*info));
		for (i = 0; i < n && !err; i++) {
			err = gring_vpci_display_response(v, i, info);
			mutex_lock(&v->display_lock);
			if (!err && memcmp(info->pmodes, v->display.pmodes,
					   sizeof(info->pmodes)))
				err = -EIO;
			mutex_unlock(&v->display_lock);
			if (!err)
				v->queries++;
		}
		count -= n;
	}
	mutex_unlock(&v->cmd_lock);
	kfree(info);
	return err;
}

/**
 * gring_vpci_resource_unref() - free a device resource, and wait
 * @v: the transport
 * @hw_id: the device's resource id
 *
 * For a DRM file that closes with resources left: the device drops the
 * resource and its backing, after which the backing's memory is the
 * CPU's again.
 *
 * Return: 0 once the device answered OK_NODATA; -EIO for another answer;
 * -ENODEV, -ETIMEDOUT when the device is gone or reset.
 */
int gring_vpci_resource_unref(struct gring_vpci *v, u32 hw_id)
{
	struct virtio_gpu_resource_unref req = {
		.hdr.type = cpu_to_le32(VIRTIO_GPU_CMD_RESOURCE_UNREF),
		.resource_id = cpu_to_le32(hw_id),
	};
	struct virtio_gpu_ctrl_hdr resp;
	int err;

	mutex_lock(&v->cmd_lock);
	err = gring_view_write(&v->req, 0, &req, sizeof(req)) ?:
	      gring_vpci_commands(v, 1, sizeof(req), sizeof(resp)) ?:
	      gring_view_read(&v->resp, 0, &resp, sizeof(resp));
	if (!err && (v->cmd[0].len < sizeof(resp) ||
		     le32_to_cpu(resp.type) != VIRTIO_GPU_RESP_OK_NODATA))
		err = -EIO;
	mutex_unlock(&v->cmd_lock);
	return err;
}

/* The device says the displays changed: acknowledge and ask again. */
static void gring_vpci_config_work(struct work_struct *work)
{
	struct gring_vpci *v = container_of(work, struct gring_vpci,
					    config_work);
	u32 events = ioread32(&v->config->events_read);

	if (!(events & VIRTIO_GPU_EVENT_DISPLAY))
		return;
	iowrite32(VIRTIO_GPU_EVENT_DISPLAY, &v->config->events_clear);
	v->display_events++;
	gring_vpci_get_display_info(v);
}

/* --- debugfs ------------------------------------------------------------ */

static int gring_vpci_display_show(struct seq_file *m, void *unused)
{
	struct gring_vpci *v = m->private;
	struct virtio_gpu_display_one *p;
	int i;

	mutex_lock(&v->display_lock);
	if (v->display_err) {
		seq_printf(m, "error %d\n", v->display_err);
		goto out;
	}
	for (i = 0; i < VIRTIO_GPU_MAX_SCANOUTS; i++) {
		p = &v->display.pmodes[i];
		if (!le32_to_cpu(p->enabled))
			continue;
		seq_printf(m, "scanout %d: %ux%u+%u+%u flags %#x\n", i,
			   le32_to_cpu(p->r.width), le32_to_cpu(p->r.height),
			   le32_to_cpu(p->r.x), le32_to_cpu(p->r.y),
			   le32_to_cpu(p->flags));
	}
out:
	mutex_unlock(&v->display_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gring_vpci_display);

static void gring_vpci_queue_print(struct gring_vpci_queue *q,
				   struct seq_file *m)
{
	struct gring_vq_state st;
	unsigned long flags;
	bool ready;
	u64 irqs, notifies;

	spin_lock_irqsave(&q->lock, flags);
	ready = q->ready;
	irqs = q->irqs;
	notifies = q->notifies;
	if (ready)
		gring_vq_query(&q->vq, &st);
	spin_unlock_irqrestore(&q->lock, flags);
	if (!ready) {
		seq_puts(m, "ready 0\n");
		return;
	}
	/* Offsets in the rings buffer, never DMA addresses. */
	seq_printf(m, "ready 1\nindex %u\nnum %u\nnum_free %u\n",
		   q->index, st.num, st.num_free);
	seq_printf(m, "desc_offset %#zx\navail_offset %#zx\nused_offset %#zx\n",
		   q->vq.views.desc.offset, q->vq.views.avail.offset,
		   q->vq.views.used.offset);
	seq_printf(m, "event_idx %d\nbroken %d\n", st.event_idx, st.broken);
	seq_printf(m, "avail_idx %u\navail_published %u\nlast_used %u\n",
		   st.avail_idx, st.avail_pub, st.last_used);
	seq_printf(m, "used_idx %u\nused_flags %#x\navail_event %u\n",
		   st.used_idx, st.used_flags, st.avail_event);
	seq_printf(m, "used_event %u\navail_flags %#x\n", st.used_event,
		   st.avail_flags);
	seq_printf(m, "inflight %u\ndevice_descs %u\n", st.inflight,
		   st.device_descs);
	seq_printf(m, "added %llu\npublished %llu\nnotified %llu\n",
		   st.stats.added, st.stats.published, st.stats.notified);
	seq_printf(m, "suppressed %llu\nused %llu\nfull %llu\nbad_used %llu\n",
		   st.stats.suppressed, st.stats.used, st.stats.full,
		   st.stats.bad_used);
	seq_printf(m, "doorbells %llu\nirqs %llu\n", notifies, irqs);
}

static int gring_vpci_queue_show(struct seq_file *m, void *unused)
{
	gring_vpci_queue_print(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gring_vpci_queue);

/**
 * gring_vpci_controlq_show() - the controlq's indices and owners, for debugfs
 * @v: the transport
 * @m: where to print: offsets in the rings buffer and counts, no address
 */
void gring_vpci_controlq_show(struct gring_vpci *v, struct seq_file *m)
{
	gring_vpci_queue_print(&v->queues[GRING_VPCI_CONTROLQ], m);
}

/**
 * gring_vpci_num_scanouts() - how many scanouts the device has
 * @v: the transport
 *
 * Return: the device's num_scanouts, at most VIRTIO_GPU_MAX_SCANOUTS.
 */
u32 gring_vpci_num_scanouts(struct gring_vpci *v)
{
	return min_t(u32, ioread32(&v->config->num_scanouts),
		     VIRTIO_GPU_MAX_SCANOUTS);
}

static int gring_vpci_transport_show(struct seq_file *m, void *unused)
{
	struct gring_vpci *v = m->private;

	seq_printf(m, "status %#x\n", gring_vpci_status(v));
	seq_printf(m, "features_offered %#llx\nfeatures %#llx\n", v->offered,
		   v->features);
	seq_printf(m, "irq %s\n", v->msix ? "msix" : "intx");
	seq_printf(m, "config_irqs %llu\ndisplay_events %llu\n",
		   v->config_irqs, v->display_events);
	seq_printf(m, "display_queries %llu\n", v->queries);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gring_vpci_transport);

static ssize_t gring_vpci_query_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	struct gring_vpci *v = file->private_data;
	unsigned int count;
	int err;

	err = kstrtouint_from_user(ubuf, len, 0, &count);
	if (err)
		return err;
	if (!count || count > GRING_VPCI_QUERY_MAX)
		return -EINVAL;
	err = gring_vpci_display_query(v, count);
	return err ? err : len;
}

static const struct file_operations gring_vpci_query_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = gring_vpci_query_write,
};

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
					"virtio-rings");
	if (IS_ERR(v->rings)) {
		v->rings = NULL;
		return -ENOMEM;
	}
	v->cmdbuf = gring_coherent_alloc(dev, GRING_VPCI_CMD_SIZE, GFP_KERNEL,
					 "virtio-cmd");
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
	for (i = 0; i < GRING_VPCI_BATCH; i++)
		init_completion(&v->cmd[i].done);
	INIT_WORK(&v->config_work, gring_vpci_config_work);
	INIT_LIST_HEAD(&v->backlog);
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
	err = gring_vpci_setup_queue(v, GRING_VPCI_CONTROLQ, "controlq");
	if (!err)
		err = gring_vpci_setup_queue(v, GRING_VPCI_CURSORQ, "cursorq");
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

	v->debugfs = debugfs_create_dir(pci_name(pdev),
					gring_vpci_debugfs_root);
	debugfs_create_file("display", 0400, v->debugfs, v,
			    &gring_vpci_display_fops);
	debugfs_create_file("transport", 0400, v->debugfs, v,
			    &gring_vpci_transport_fops);
	/* Write N: N more GET_DISPLAY_INFO round trips, in batches. */
	debugfs_create_file("display_query", 0200, v->debugfs, v,
			    &gring_vpci_query_fops);
	debugfs_create_file("controlq", 0400, v->debugfs,
			    &v->queues[GRING_VPCI_CONTROLQ],
			    &gring_vpci_queue_fops);
	debugfs_create_file("cursorq", 0400, v->debugfs,
			    &v->queues[GRING_VPCI_CURSORQ],
			    &gring_vpci_queue_fops);
	pci_info(pdev, "gring virtio-gpu: %s, features %#llx\n",
		 v->msix ? "MSI-X" : "INTx", v->features);
	return 0;

err_reset:
err_queues:
	gring_vpci_reset(v);
	for (i = 0; i < GRING_VPCI_NQUEUES; i++)
		gring_vpci_teardown_queue(&v->queues[i], -ENODEV);
err_irqs:
	gring_vpci_free_irqs(v);
	cancel_work_sync(&v->config_work);
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
	/*
	 * Reset (again, if the DRM device did): afterwards the device touches
	 * no queue and no buffer, so their leases can be taken back and the
	 * memory freed.
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
 * Creates the debugfs directory gring_virtio/ and registers the driver,
 * which binds only devices whose driver_override is "gring".
 *
 * Return: 0 or the error of pci_register_driver().
 */
int gring_virtio_pci_register(void)
{
	int err;

	gring_vpci_debugfs_root = debugfs_create_dir("gring_virtio", NULL);
	err = pci_register_driver(&gring_vpci_driver);
	if (err)
		debugfs_remove_recursive(gring_vpci_debugfs_root);
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
	debugfs_remove_recursive(gring_vpci_debugfs_root);
}
