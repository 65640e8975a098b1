/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: the virtio-gpu engine's own structures, shared by gring_vgpu.c
 * (running jobs, files) and gring_vgpu_cmd.c (checking and encoding).
 */
#ifndef _GRING_VGPU_PRIV_H_
#define _GRING_VGPU_PRIV_H_

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/idr.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "gring_drm.h"
#include "gring_job.h"
#include "gring_vgpu.h"
#include "gring_virtio_pci.h"

/**
 * struct gring_vgpu - the virtio-gpu engine of one gring device
 * @vpci: the transport; reached only inside drm_dev_enter(), as it goes
 *	with the PCI function
 * @ids: device resource ids in use (from 1)
 * @resources: resources the device holds: created and not yet unref'd
 *	by an executed RESOURCE_UNREF
 * @sent: commands sent to the device
 * @completed: commands whose response came back
 * @errors: responses that were errors
 */
struct gring_vgpu {
	struct gring_vpci *vpci;
	struct ida ids;
	atomic_t resources;
	atomic64_t sent;
	atomic64_t completed;
	atomic64_t errors;
};

/**
 * struct gring_vgpu_res - one 2D resource of a file
 * @hw_id: the device's id for it
 * @format: VIRTIO_GPU_FORMAT_*
 * @width: pixels
 * @height: pixels
 * @backing: the attached BO (a reference), or NULL
 * @b_off: where the backing starts in @backing
 * @b_size: backing bytes
 */
struct gring_vgpu_res {
	u32 hw_id;
	u32 format;
	u32 width;
	u32 height;
	struct gring_gem_object *backing;
	u64 b_off;
	u64 b_size;
};

/**
 * struct gring_vgpu_cmd - one command of a job, as the device will get it
 * @chain: its request and response views on the controlq
 * @vjob: the job
 * @req: the request, encoded by the kernel
 * @req_len: bytes of @req
 * @resp_len: bytes of response the command expects
 * @resp_type: the OK response type the command expects
 * @slot: the ring slot it runs in
 * @resp_bo: the BO userspace asked the response to be copied to (a
 *	reference), or NULL
 * @resp_off: where in @resp_bo
 * @unref: the resource this command's RESOURCE_UNREF frees once executed
 * @put_bo: a backing this command detached, released once it is done
 * @len: bytes the device wrote
 * @status: 0, or the error the chain came back with
 */
struct gring_vgpu_cmd {
	struct gring_vpci_chain chain;
	struct gring_vgpu_job *vjob;
	u8 req[GRING_VGPU_REQ_MAX];
	u32 req_len;
	u32 resp_len;
	u32 resp_type;
	u32 slot;
	struct gring_gem_object *resp_bo;
	u64 resp_off;
	struct gring_vgpu_res *unref;
	struct gring_gem_object *put_bo;
	u32 len;
	int status;
};

/**
 * struct gring_vgpu_job - a virtio-gpu job
 * @base: the job
 * @pending: chains not back yet
 * @start_ns: when the job was sent
 * @count: entries in @cmds
 * @cmds: its commands, allocated at SUBMIT
 */
struct gring_vgpu_job {
	struct gring_job base;
	atomic_t pending;
	u64 start_ns;
	u32 count;
	struct gring_vgpu_cmd *cmds;
};

/**
 * struct gring_vgpu_queue - a virtio-gpu ring
 * @base: the queue; its BO holds the command slots
 * @slots: the slots in use (@base.lock)
 */
struct gring_vgpu_queue {
	struct gring_queue base;
	DECLARE_BITMAP(slots, DRM_GRING_VGPU_MAX_CMDS);
};

/* Every 2D format is 4 bytes a pixel. */
#define GRING_VGPU_CPP	4

/*
 * What a resource looks like to the commands of one SUBMIT: the file's
 * state as the earlier commands of the same SUBMIT leave it. Nothing real
 * changes until the job is queued.
 */
struct gring_vgpu_shadow {
	u32 id;
	bool alive;
	bool created;		/* by this SUBMIT: @res is new */
	struct gring_vgpu_res *res;
	struct gring_gem_object *backing;
	u64 b_off;
	u64 b_size;
};

/**
 * struct gring_vgpu_range - a BO range a command touches, while checking
 * @bo: the BO (the checking state holds the reference)
 * @offset: first byte
 * @size: bytes; 0 for none
 * @write: the device writes it
 *
 * What becomes a struct gring_job_range once the job is allocated.
 */
struct gring_vgpu_range {
	struct gring_gem_object *bo;
	u64 offset;
	u64 size;
	bool write;
};

struct gring_vgpu_check {
	struct drm_file *file;
	struct gring_vgpu *vgpu;
	struct gring_file *gfile;
	u32 scanouts;
	u32 n;
	struct gring_vgpu_shadow shadow[DRM_GRING_VGPU_MAX_CMDS];
	/* Per command: the BOs it named, with references. */
	struct gring_gem_object *bo[DRM_GRING_VGPU_MAX_CMDS];
	struct gring_gem_object *resp[DRM_GRING_VGPU_MAX_CMDS];
	struct drm_gring_vgpu_cmd ucmd[DRM_GRING_VGPU_MAX_CMDS];
	u32 count;
	/* A TRANSFER's backing rows and a response's range, per command. */
	struct gring_vgpu_range ranges[2 * DRM_GRING_VGPU_MAX_CMDS];
};

int gring_vgpu_check_one(struct gring_vgpu_check *c, u32 i,
			 struct gring_vgpu_cmd *cmd,
			 struct gring_vgpu_range *range);
int gring_vgpu_check_resp(struct gring_vgpu_check *c, u32 i,
			  struct gring_vgpu_cmd *cmd);
void gring_vgpu_check_fini(struct gring_vgpu_check *c);
void gring_vgpu_commit(struct gring_vgpu_check *c,
		       struct gring_vgpu_job *vjob);

#endif /* _GRING_VGPU_PRIV_H_ */
