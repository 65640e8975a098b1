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
 * @link: in the caller's list for gring_vpci_send(), then the transport's
 *	(backlog, then the list of chains to complete)
 * @out: the request, which the device reads
 * @in: room for the response, which the device writes
 * @len: the transport's: what @done is given as @len
 * @status: the transport's: what @done is given as @status
 * @done: called exactly once per chain gring_vpci_send() took: when the
 *	device returned it (@len: bytes it wrote into @in, @status 0), when
 *	the device was reset first (@len 0, @status < 0), or when the chain
 *	was refused before it reached the device (@status < 0).
 *
 * The completion contract of @done:
 *
 * - Context: process context, never hard or soft IRQ: the transport's
 *   dequeue work item (which the interrupt handler only schedules), or the
 *   thread in gring_vpci_quiesce() for what the reset ended.
 * - Never under the controlq's lock: @done may call gring_vpci_send(). In
 *   the dequeue work it runs with no lock held; in gring_vpci_quiesce()
 *   with the transport's reset mutex and whatever the quiescing caller
 *   holds.
 * - It must not sleep: no mutex, no GFP_KERNEL allocation, no waiting. It
 *   may take spinlocks (plain or irqsave), free memory, give back IDA ids
 *   and signal dma-fences: the dequeue work is a dma-fence signalling
 *   critical section (annotated for lockdep), every completion of the
 *   device waits behind it.
 * - Calls are serialised per device: never two @done at once, and chains
 *   the device returned are completed in the order it returned them. By
 *   the time gring_vpci_quiesce() or gring_vpci_sync() returns, the
 *   @done of every chain they cover has returned.
 * - It must not call gring_vpci_quiesce() or gring_vpci_sync(): both wait
 *   for the context @done runs in.
 *
 * @done may free the memory of its own chain (nothing touches it after),
 * but not of another chain still in flight.
 */
struct gring_vpci_chain {
	struct list_head link;
	struct gring_view out;
	struct gring_view in;
	u32 len;
	int status;
	void (*done)(struct gring_vpci_chain *chain, u32 len, int status);
};

int gring_vpci_send(struct gring_vpci *v, struct list_head *chains);
void gring_vpci_quiesce(struct gring_vpci *v, int status);
int gring_vpci_recover(struct gring_vpci *v, int status);
void gring_vpci_sync(struct gring_vpci *v);
u32 gring_vpci_num_scanouts(struct gring_vpci *v);
int gring_vpci_resource_unref(struct gring_vpci *v, u32 hw_id);
void gring_vpci_controlq_show(struct gring_vpci *v, struct seq_file *m);

int gring_virtio_pci_register(void);
void gring_virtio_pci_unregister(void);

#endif /* _GRING_VIRTIO_PCI_H_ */
