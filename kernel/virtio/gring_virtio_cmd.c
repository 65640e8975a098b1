// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring: the virtio-gpu PCI driver's own controlq commands -- display
 * info at probe and on a config change, the debugfs round-trip test, the
 * UNREF of a closing file's resources -- and its debugfs files,
 * gring_virtio/<pci name>/. Offsets and counts only: never an address.
 */

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kstrtox.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <uapi/linux/virtio_gpu.h>

#include "gring_virtio_priv.h"

static struct dentry *gring_vpci_debugfs_root;

static void gring_vpci_cmd_done(struct gring_vpci_chain *chain, u32 len,
				int status)
{
	struct gring_vpci_cmd *cmd = container_of(chain, struct gring_vpci_cmd,
						  chain);

	cmd->len = len;
	cmd->status = status;
	complete(&cmd->done);
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

/**
 * gring_vpci_get_display_info() - ask the device for its displays
 * @v: the transport, its controlq running
 *
 * The answer (or the error) is kept for debugfs and for the scanout
 * count the engine checks against.
 *
 * Return: 0, or the error of the round trip (-EIO for a bad answer).
 */
int gring_vpci_get_display_info(struct gring_vpci *v)
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

/**
 * gring_vpci_config_work() - the device says the displays changed
 * @work: the transport's config_work
 *
 * Acknowledges the event and asks for the display info again.
 */
void gring_vpci_config_work(struct work_struct *work)
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

/**
 * gring_vpci_display_work() - ask for the display info after a recovery
 * @work: the transport's display_work
 *
 * A reset device is set up again by a timeout handler, which may not
 * wait for a command of its own: the display info is asked for here.
 */
void gring_vpci_display_work(struct work_struct *work)
{
	struct gring_vpci *v = container_of(work, struct gring_vpci,
					    display_work);

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
	/* One vector (or INTx) for both queues: each shows the same count. */
	irqs = READ_ONCE(q->v->queue_irqs);
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
 * Read once at probe: the field is fixed for the device's life, and
 * SUBMIT, which checks SET_SCANOUT against it, should not pay for an MMIO
 * read each time.
 *
 * Return: the device's num_scanouts, at most VIRTIO_GPU_MAX_SCANOUTS.
 */
u32 gring_vpci_num_scanouts(struct gring_vpci *v)
{
	return v->num_scanouts;
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
	seq_printf(m, "resets %llu\n", v->resets);
	seq_printf(m, "queue_irqs %llu\ndequeue_runs %llu\n",
		   READ_ONCE(v->queue_irqs), READ_ONCE(v->dequeue_runs));
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

/**
 * gring_vpci_debugfs_init() - a bound function's debugfs directory
 * @v: the transport
 *
 * display, transport, controlq and cursorq (read, root), display_query
 * (write N: N more GET_DISPLAY_INFO round trips, in batches), hold_used
 * (a test hook: Y makes the device look hung).
 */
void gring_vpci_debugfs_init(struct gring_vpci *v)
{
	v->debugfs = debugfs_create_dir(pci_name(v->pdev),
					gring_vpci_debugfs_root);
	debugfs_create_file("display", 0400, v->debugfs, v,
			    &gring_vpci_display_fops);
	debugfs_create_file("transport", 0400, v->debugfs, v,
			    &gring_vpci_transport_fops);
	debugfs_create_file("display_query", 0200, v->debugfs, v,
			    &gring_vpci_query_fops);
	debugfs_create_bool("hold_used", 0600, v->debugfs, &v->hold_used);
	debugfs_create_file("controlq", 0400, v->debugfs,
			    &v->queues[GRING_VPCI_CONTROLQ],
			    &gring_vpci_queue_fops);
	debugfs_create_file("cursorq", 0400, v->debugfs,
			    &v->queues[GRING_VPCI_CURSORQ],
			    &gring_vpci_queue_fops);
}

/**
 * gring_vpci_debugfs_register() - create debugfs gring_virtio/
 */
void gring_vpci_debugfs_register(void)
{
	gring_vpci_debugfs_root = debugfs_create_dir("gring_virtio", NULL);
}

/**
 * gring_vpci_debugfs_unregister() - remove debugfs gring_virtio/
 */
void gring_vpci_debugfs_unregister(void)
{
	debugfs_remove_recursive(gring_vpci_debugfs_root);
}
