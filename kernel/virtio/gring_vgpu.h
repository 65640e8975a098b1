/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: the virtio-gpu engine -- rings whose jobs are virtio-gpu 2D
 * control commands, checked and encoded by the kernel, sent down a bound
 * virtio-gpu function's controlq.
 */
#ifndef _GRING_VGPU_H_
#define _GRING_VGPU_H_

#include <linux/types.h>

struct drm_file;
struct drm_gring_submit;
struct seq_file;
struct gring_drm_device;
struct gring_file;
struct gring_job;
struct gring_queue;
struct gring_vpci;

/* A virtio-gpu ring's command slots: request, then room for the response. */
#define GRING_VGPU_SLOT_SIZE	512
#define GRING_VGPU_REQ_MAX	64
/* A job still running after this long hangs the device: it is reset. */
#define GRING_VGPU_TIMEOUT_MS	10000

int gring_vgpu_device_init(struct gring_drm_device *gdev,
			   struct gring_vpci *vpci);
void gring_vgpu_file_close(struct gring_drm_device *gdev,
			   struct gring_file *gfile);
int gring_vgpu_debugfs_show(struct seq_file *m, void *data);

#endif /* _GRING_VGPU_H_ */
