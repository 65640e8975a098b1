/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: the virtio-gpu PCI device, driven through gring's own split
 * virtqueues (the modern virtio PCI transport).
 */
#ifndef _GRING_VIRTIO_PCI_H_
#define _GRING_VIRTIO_PCI_H_

int gring_virtio_pci_register(void);
void gring_virtio_pci_unregister(void);

#endif /* _GRING_VIRTIO_PCI_H_ */
