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
#include <linux/kref.h>
#include <linux/llist.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "gring_drm.h"
#include "gring_job.h"
#include "gring_vgpu.h"
#include "gring_virtio_pci.h"

/* Most scanouts a virtio-gpu device has (VIRTIO_GPU_MAX_SCANOUTS). */
#define GRING_VGPU_MAX_SCANOUTS	16

/**
 * struct gring_vgpu - the virtio-gpu engine of one gring device
 * @vpci: the transport; reached only inside drm_dev_enter(), as it goes
 *	with the PCI function
 * @ids: device resource ids in use (from 1)
 * @resources: resources whose id is taken (struct gring_vgpu_res alive)
 * @res_lock: protects @res_list
 * @res_list: every resource of the device, for debugfs
 * @scanout_owner: the file (struct gring_file) each scanout belongs to,
 *	or NULL; claimed with cmpxchg() by a SUBMIT's SET_SCANOUT
 * @sent: commands sent to the device
 * @completed: commands whose response came back
 * @errors: responses that were errors
 * @resets: hangs the device was reset for (gring_vgpu_reset())
 */
struct gring_vgpu {
	struct gring_vpci *vpci;
	struct ida ids;
	atomic_t resources;
	spinlock_t res_lock; /* res_list */
	struct list_head res_list;
	void *scanout_owner[GRING_VGPU_MAX_SCANOUTS];
	atomic64_t sent;
	atomic64_t completed;
	atomic64_t errors;
	atomic_t resets;
};

/**
 * struct gring_vgpu_held - a BO a resource holds for the device
 * @node: in the resource's @held list
 * @bo: the BO (a reference)
 *
 * Allocated with each ATTACH_BACKING. The device may take the backing
 * whenever the ATTACH runs, and commands of other rings may run before or
 * after it, so the only point from which the device surely reads none of
 * a resource's backings is the resource's end: every BO ever attached is
 * held until then. A DETACH changes the file's view, not the references.
 */
struct gring_vgpu_held {
	struct llist_node node;
	struct gring_gem_object *bo;
};

/**
 * struct gring_vgpu_res - one 2D resource, as the device holds it
 * @ref: the file's table holds one, and so does every queued command that
 *	names the resource; the last one releases it (gring_vgpu_res_put())
 * @release_work: that release: it may have to tell the device
 * @link: in the device's @res_list
 * @gdev: the device, held until the resource is released
 * @vgpu: its engine
 * @hw_id: the device's id for it; given back only when the device no
 *	longer has the resource and no command naming it is queued, so no
 *	queued command can ever act on a later resource of that id
 * @format: VIRTIO_GPU_FORMAT_*
 * @width: pixels
 * @height: pixels
 * @gone: the device executed its UNREF (set before that job's fence
 *	signals), refused its CREATE, or lost it in a reset: it holds no such
 *	resource
 * @lost: a device reset (gring_vgpu_reset()) took it: every command that
 *	names it fails -ESTALE, but an UNREF, which only ends it
 * @refused: its CREATE failed or never ran: set before that job's fence
 *	signals, so a SUBMIT after the fence finds its id free even while
 *	the job's release (gring_vgpu_cmd_done()) is still to come
 * @backing: the attached BO, or NULL: the file's view, as the queued
 *	commands leave it (the file's SUBMIT lock); @held keeps it alive
 * @b_off: where the backing starts in @backing
 * @b_size: backing bytes
 * @held: every BO an ATTACH_BACKING queued for the resource, held until
 *	its release (struct gring_vgpu_held)
 */
struct gring_vgpu_res {
	struct kref ref;
	struct work_struct release_work;
	struct list_head link;
	struct gring_drm_device *gdev;
	struct gring_vgpu *vgpu;
	u32 hw_id;
	u32 format;
	u32 width;
	u32 height;
	bool gone;
	bool lost;
	bool refused;
	struct gring_gem_object *backing;
	u64 b_off;
	u64 b_size;
	struct llist_head held;
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
 * @type: DRM_GRING_VGPU_*
 * @uid: the file's id of the resource it names
 * @res: the resource it names (a reference once queued), or NULL
 * @attach_bo: the BO an ATTACH_BACKING attaches (the resource holds it)
 * @put_bo: the backing a DETACH or UNREF takes off the file's view, for
 *	putting it back if the device refuses (no reference)
 * @held: an ATTACH's hold on its BO, until queued
 * @local: nothing to send: an UNREF of a resource the device lost, done
 *	when the job runs
 * @result: 0 once the device executed the command; its error, or
 *	-ECANCELED when it was never sent
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
	u32 type;
	u32 uid;
	struct gring_vgpu_res *res;
	struct gring_gem_object *attach_bo;
	struct gring_gem_object *put_bo;
	struct gring_vgpu_held *held;
	bool local;
	int result;
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

/*
 * A SUBMIT being checked: one allocation sized for its commands
 * (gring_vgpu_check_alloc()), arrays of @count entries (@ranges: twice).
 */
struct gring_vgpu_check {
	struct drm_file *file;
	struct gring_vgpu *vgpu;
	struct gring_file *gfile;
	u32 scanouts;
	u32 n;
	/* Resources as the commands so far leave them: at most one each. */
	struct gring_vgpu_shadow *shadow;
	/* Per command: the BOs it named, with references. */
	struct gring_gem_object **bo;
	struct gring_gem_object **resp;
	struct drm_gring_vgpu_cmd *ucmd;
	u32 count;
	/* Scanouts this SUBMIT claimed, given back if it fails. */
	u32 claimed;
	/* A TRANSFER's backing rows and a response's range, per command. */
	struct gring_vgpu_range *ranges;
};

int gring_vgpu_check_one(struct gring_vgpu_check *c, u32 i,
			 struct gring_vgpu_cmd *cmd,
			 struct gring_vgpu_range *range);
int gring_vgpu_check_resp(struct gring_vgpu_check *c, u32 i,
			  struct gring_vgpu_cmd *cmd);
void gring_vgpu_check_fini(struct gring_vgpu_check *c);
void gring_vgpu_commit(struct gring_vgpu_check *c,
		       struct gring_vgpu_job *vjob);
void gring_vgpu_res_put(struct gring_vgpu_res *res);
void gring_vgpu_res_release_work(struct work_struct *work);
void gring_vgpu_cmd_done(struct gring_file *gfile, struct gring_vgpu_cmd *cmd);

#endif /* _GRING_VGPU_PRIV_H_ */
