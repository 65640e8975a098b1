/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: the virtio-gpu PCI driver's own structures, shared by
 * gring_virtio_pci.c (transport, interrupts, queues, probe) and
 * gring_virtio_cmd.c (the driver's own controlq commands, debugfs).
 */
#ifndef _GRING_VIRTIO_PRIV_H_
#define _GRING_VIRTIO_PRIV_H_

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <uapi/linux/virtio_gpu.h>
#include <uapi/linux/virtio_pci.h>

#include "gring_view.h"
#include "gring_virtio_pci.h"
#include "gring_vq.h"

struct dentry;
struct pci_dev;

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
	/*
	 * Serialises every call on @vq, @ready, @notifies and, on the
	 * controlq, the transport's backlog, refused and dead. Process
	 * context only: the interrupt handlers do not take it.
	 */
	spinlock_t lock;
	void __iomem *notify;
	u16 index;
	u16 vector;
	bool live;	/* @vq is set up (gring_vq_init()) */
	bool ready;	/* and the device has it: chains may be added */
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
	u32 num_scanouts;	/* read at probe; see gring_vpci_num_scanouts() */
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
	 * lock): gring_vpci_send() and every dequeue add what fits.
	 */
	struct list_head backlog;
	/*
	 * Chains the virtqueue refused (a gring bug), each with its status,
	 * for the dequeue work to complete (the controlq's lock).
	 */
	struct list_head refused;
	/*
	 * Reset for good, or being reset (set under the controlq's lock
	 * before the reset starts): from then on nothing is added to the
	 * controlq and its doorbell is not rung, by gring_vpci_send() or by
	 * the dequeue work, until gring_vpci_recover() has the device
	 * running again.
	 */
	bool dead;
	/* Quiesced for good (@reset_lock): never recovered again. */
	bool removed;
	u64 resets;		/* recoveries that brought the device back */
	/*
	 * debugfs hold_used (root): while set, the dequeue work leaves
	 * returned chains in the used ring, as if the device never answered,
	 * so tests can prove a hung job resets the device.
	 */
	bool hold_used;
	/*
	 * The completion's bottom half: the queue interrupt only schedules
	 * it; it takes the used chains off both queues, sends the backlog
	 * and calls each chain's done() outside the lock. Disabled for good
	 * by gring_vpci_quiesce().
	 */
	struct work_struct dequeue_work;
	/* Serialises gring_vpci_quiesce(): one reset and its completions. */
	struct mutex reset_lock;
	u64 queue_irqs;		/* queue interrupts (the handler's count) */
	u64 dequeue_runs;	/* dequeue work runs */
	struct gring_drm_device *gdev;	/* the DRM device on this function */
	u64 queries;		/* GET_DISPLAY_INFO round trips completed */

	struct work_struct config_work;
	/* Asks for the display info again after a recovery. */
	struct work_struct display_work;
	u64 config_irqs;
	u64 display_events;

	struct mutex display_lock;	/* protects display, display_err */
	struct virtio_gpu_resp_display_info display;
	int display_err;

	struct dentry *debugfs;
};

/* gring_virtio_pci.c */
u8 gring_vpci_status(struct gring_vpci *v);

/* gring_virtio_irq.c */
int gring_vpci_wq_create(void);
void gring_vpci_wq_destroy(void);
void gring_vpci_dequeue_queue(struct gring_vpci_queue *q,
			      struct list_head *done);
void gring_vpci_complete(struct list_head *done);
void gring_vpci_dequeue_work(struct work_struct *work);
int gring_vpci_setup_irqs(struct gring_vpci *v);
void gring_vpci_free_irqs(struct gring_vpci *v);
void gring_vpci_synchronize_irqs(struct gring_vpci *v);

/* gring_virtio_cmd.c */
int gring_vpci_get_display_info(struct gring_vpci *v);
void gring_vpci_config_work(struct work_struct *work);
void gring_vpci_display_work(struct work_struct *work);
void gring_vpci_debugfs_init(struct gring_vpci *v);
void gring_vpci_debugfs_register(void);
void gring_vpci_debugfs_unregister(void);

#endif /* _GRING_VIRTIO_PRIV_H_ */
