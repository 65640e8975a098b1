// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the virtio-gpu transport's completion, in two halves as in the
 * kernel's virtio-gpu: the queue interrupt only schedules the dequeue
 * work, which takes the returned chains off the used ring under the
 * controlq's lock, sends what waited for descriptors, drops the lock and
 * then calls each chain's done() (struct gring_vpci_chain has the
 * contract). Also the interrupts themselves (MSI-X, or INTx) and the
 * doorbell's side of sending (gring_vpci_send()).
 */

#include <linux/dma-fence.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "gring_virtio_pci.h"
#include "gring_virtio_priv.h"
#include "gring_vq.h"

static bool force_intx;
module_param(force_intx, bool, 0644);
MODULE_PARM_DESC(force_intx,
		 "virtio-gpu devices bound later use INTx, not MSI-X (tests the fallback)");

/*
 * The dequeue work's queue: high priority, and able to make progress under
 * memory pressure, as dma-fences signalled from it must (it is the only
 * way their jobs complete).
 */
static struct workqueue_struct *gring_vpci_wq;

/**
 * gring_vpci_wq_create() - make the dequeue work's queue, at module load
 *
 * Return: 0 or -ENOMEM.
 */
int gring_vpci_wq_create(void)
{
	gring_vpci_wq = alloc_workqueue("gring-virtio",
					WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	return gring_vpci_wq ? 0 : -ENOMEM;
}

/**
 * gring_vpci_wq_destroy() - destroy it, once no device is bound
 */
void gring_vpci_wq_destroy(void)
{
	destroy_workqueue(gring_vpci_wq);
}

/*
 * Add as many backlogged chains as the queue has descriptors for, then
 * publish them with one avail idx update and at most one doorbell. Not
 * once the device is dead or being reset: nothing is added, the doorbell
 * stays silent. A chain the virtqueue refuses goes to the refused list,
 * which the dequeue work completes.
 */
static void gring_vpci_pump_locked(struct gring_vpci *v,
				   struct gring_vpci_queue *q)
{
	struct gring_vpci_chain *c;
	bool added = false;
	int err;

	lockdep_assert_held(&q->lock);
	if (v->dead || !q->ready)
		return;
	while (!list_empty(&v->backlog) && gring_vq_num_free(&q->vq) >= 2) {
		c = list_first_entry(&v->backlog, struct gring_vpci_chain,
				     link);
		list_del_init(&c->link);
		err = gring_vq_add(&q->vq, &c->out, 1, &c->in, 1, c);
		if (err) {
			/* Refused by the ownership layer: a gring bug. */
			c->len = 0;
			c->status = err;
			list_add_tail(&c->link, &v->refused);
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
 * as earlier ones come back. Each chain's @done is then called exactly
 * once, later, as struct gring_vpci_chain says: from the dequeue work
 * with the bytes the device wrote and 0, or with 0 and a negative error
 * when the device is reset first. Never from in here.
 *
 * Context: any; takes the controlq's spinlock (irqsave).
 * Return: 0; -ENODEV when the device is reset for good or being reset
 * (then no @done is ever called and @chains is left as it was).
 */
int gring_vpci_send(struct gring_vpci *v, struct list_head *chains)
{
	struct gring_vpci_queue *q = &v->queues[GRING_VPCI_CONTROLQ];
	unsigned long flags;
	bool refused;
	int err = 0;

	spin_lock_irqsave(&q->lock, flags);
	if (v->dead || !q->ready) {
		err = -ENODEV;
	} else {
		list_splice_tail_init(chains, &v->backlog);
		gring_vpci_pump_locked(v, q);
	}
	refused = !list_empty(&v->refused);
	spin_unlock_irqrestore(&q->lock, flags);
	if (refused)
		queue_work(gring_vpci_wq, &v->dequeue_work);
	return err;
}

/**
 * gring_vpci_dequeue_queue() - take a queue's returned chains off it
 * @q: the queue
 * @done: where the chains go
 *
 * Move what the device returned on @q to @done, each chain with its len
 * and status, ask for the next interrupt (draining again whatever came
 * back meanwhile, so none is lost), and on the controlq send what waited
 * for descriptors and take the refused chains too. Nothing is completed
 * here: the caller calls done() once the lock is dropped
 * (gring_vpci_complete()).
 */
void gring_vpci_dequeue_queue(struct gring_vpci_queue *q,
			      struct list_head *done)
{
	struct gring_vpci *v = q->v;
	void *token;
	u32 len;
	int ret = 0;

	spin_lock_irq(&q->lock);
	/* debugfs hold_used: a device that never answers, for the tests. */
	if (q->ready && !READ_ONCE(v->hold_used)) {
		do {
			while ((ret = gring_vq_get_used(&q->vq, &token,
							&len)) == 1) {
				struct gring_vpci_chain *c = token;

				c->len = len;
				c->status = 0;
				list_add_tail(&c->link, done);
			}
			if (ret < 0)
				break;	/* broken: the waiter times out and resets */
		} while (!gring_vq_enable_cb(&q->vq));
		/* Descriptors came back: what waited for them goes out. */
		if (q->index == GRING_VPCI_CONTROLQ && ret >= 0)
			gring_vpci_pump_locked(v, q);
	}
	if (q->index == GRING_VPCI_CONTROLQ)
		list_splice_tail_init(&v->refused, done);
	spin_unlock_irq(&q->lock);
}

/**
 * gring_vpci_complete() - complete dequeued chains
 * @done: the chains, from gring_vpci_dequeue_queue()
 *
 * Call each chain's done(), in list order, with no transport lock held.
 * A chain is off the list before its done() runs, which may free it.
 */
void gring_vpci_complete(struct list_head *done)
{
	struct gring_vpci_chain *c, *next;

	list_for_each_entry_safe(c, next, done, link) {
		list_del_init(&c->link);
		c->done(c, c->len, c->status);
	}
}

/**
 * gring_vpci_dequeue_work() - the second half of completion
 * @work: the device's dequeue_work
 *
 * Queued by the queue interrupt, by gring_vpci_sync(), and by
 * gring_vpci_send() for refused chains: dequeues every queue, then
 * completes what came back.
 */
void gring_vpci_dequeue_work(struct work_struct *work)
{
	struct gring_vpci *v = container_of(work, struct gring_vpci,
					    dequeue_work);
	bool cookie = dma_fence_begin_signalling();
	LIST_HEAD(done);
	int i;

	v->dequeue_runs++;
	for (i = 0; i < GRING_VPCI_NQUEUES; i++)
		gring_vpci_dequeue_queue(&v->queues[i], &done);
	gring_vpci_complete(&done);
	dma_fence_end_signalling(cookie);
}

/**
 * gring_vpci_sync() - collect what the device has already answered
 * @v: the transport
 *
 * What a timeout handler asks before it calls a command hung: an
 * interrupt may be pending, or its dequeue work queued or running. Runs
 * the dequeue work once more and waits for it: when this returns, every
 * chain the device had put in the used ring when it was called has had
 * its done() called (unless debugfs hold_used is set, or the device is
 * being reset: then gring_vpci_quiesce() completes them).
 *
 * Context: process context; sleeps. Not from a chain's done().
 */
void gring_vpci_sync(struct gring_vpci *v)
{
	queue_work(gring_vpci_wq, &v->dequeue_work);
	flush_work(&v->dequeue_work);
}

/* Hard IRQ: count, and leave the rest to the dequeue work. */
static void gring_vpci_queues_irq(struct gring_vpci *v)
{
	v->queue_irqs++;
	queue_work(gring_vpci_wq, &v->dequeue_work);
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
	gring_vpci_queues_irq(data);
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
		gring_vpci_queues_irq(v);
	return IRQ_HANDLED;
}

/**
 * gring_vpci_setup_irqs() - request the device's interrupts
 * @v: the device
 *
 * MSI-X: vector 0 for config changes, vector 1 for both queues; INTx,
 * shared, when MSI-X is not there or the module parameter force_intx
 * asks for it.
 *
 * Return: 0, or the error of pci_alloc_irq_vectors() or request_irq().
 */
int gring_vpci_setup_irqs(struct gring_vpci *v)
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

/**
 * gring_vpci_free_irqs() - free what gring_vpci_setup_irqs() requested
 * @v: the device
 */
void gring_vpci_free_irqs(struct gring_vpci *v)
{
	int i;

	for (i = 0; i < v->nvec; i++)
		free_irq(pci_irq_vector(v->pdev, i), v);
	pci_free_irq_vectors(v->pdev);
	v->nvec = 0;
}

/**
 * gring_vpci_synchronize_irqs() - wait for the running interrupt handlers
 * @v: the device
 *
 * On every vector.
 */
void gring_vpci_synchronize_irqs(struct gring_vpci *v)
{
	int i;

	for (i = 0; i < v->nvec; i++)
		synchronize_irq(pci_irq_vector(v->pdev, i));
}
