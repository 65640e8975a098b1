/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: the virtio-gpu PCI device, driven through gring's own split
 * virtqueues (the modern virtio PCI transport).
 */
#ifndef _GRING_VIRTIO_PCI_H_
#define _GRING_VIRTIO_PCI_H_

#include <linux/list.h>
#include <linux/types.h>

#include "gring_view.h"

struct gring_vpci;
struct seq_file;

/**
 * struct gring_vpci_chain - one controlq command: a request and its response
 * @link: in the caller's list for gring_vpci_send(), then the backlog
 * @out: the request, which the device reads
 * @in: room for the response, which the device writes
 * @done: called once when the device returned the chain (@len: bytes it
 *	wrote into @in, @status 0) or was reset first (@status < 0). Runs
 *	under the controlq's spinlock, possibly in an interrupt handler.
 */
struct gring_vpci_chain {
	struct list_head link;
	struct gring_view out;
	struct gring_view in;
	void (*done)(struct gring_vpci_chain *chain, u32 len, int status);
};

int gring_vpci_send(struct gring_vpci *v, struct list_head *chains);
void gring_vpci_quiesce(struct gring_vpci *v, int status);
void gring_vpci_sync(struct gring_vpci *v);
u32 gring_vpci_num_scanouts(struct gring_vpci *v);
int gring_vpci_resource_unref(struct gring_vpci *v, u32 hw_id);
void gring_vpci_controlq_show(struct gring_vpci *v, struct seq_file *m);

int gring_virtio_pci_register(void);
void gring_virtio_pci_unregister(void);

#endif /* _GRING_VIRTIO_PCI_H_ */
