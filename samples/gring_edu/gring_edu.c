// SPDX-License-Identifier: GPL-2.0-only
/*
 * gring_edu: QEMU's educational PCI device (-device edu) driven through
 * gring's core alone -- a second driver on the core, and not a GPU.
 *
 * The device has a 4 KiB buffer of its own and a DMA engine that copies
 * between it and RAM, one direction per command, raising an interrupt
 * when a copy is done. This driver moves userspace's bytes to the device
 * and back: one coherent buffer, two views of it (src and dst), both
 * leased to the device for the length of a transfer.
 */

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "gring_view.h"

/*
 * The device (QEMU's hw/misc/edu.c, docs/specs/edu.rst): registers in
 * BAR0, 32-bit accesses below 0x80, 32 or 64 above.
 */
#define EDU_PCI_VENDOR		0x1234
#define EDU_PCI_DEVICE		0x11e8
#define EDU_REG_ID		0x00	/* 0xRRrr00ed */
#define EDU_ID_MASK		0xffff
#define EDU_ID			0x00ed
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_DMA_RUN		BIT(0)
#define EDU_DMA_TO_RAM		BIT(1)	/* else RAM to the device */
#define EDU_DMA_IRQ		BIT(2)	/* raise EDU_IRQ_DMA when done */
#define EDU_IRQ_DMA		BIT(8)
/* The device's own buffer, at this address on its side of the engine. */
#define EDU_DEV_BUF		0x40000
#define EDU_DEV_BUF_SIZE	SZ_4K
/* The engine drops every address bit above these (QEMU's dma_mask). */
#define EDU_DMA_BITS		28
/*
 * The most one copy may move. QEMU up to 7.2 (Debian 12's) checks a copy's
 * end against the device buffer's with < where <= was meant, and stops the
 * whole machine (hw_error()) on a copy that ends at the buffer's last
 * byte. So no copy ever does: a transfer of 4096 bytes is two round trips
 * through the device buffer, 4095 bytes and then 1.
 */
#define EDU_COPY_MAX		(EDU_DEV_BUF_SIZE - 1)

/*
 * A copy takes 100 ms of the guest's virtual clock; a transfer is two, or
 * four. Five seconds leave room for a loaded host and a debug kernel.
 */
#define EDU_TIMEOUT		(5 * HZ)
#define EDU_STOP_TIMEOUT_US	(1000 * USEC_PER_MSEC)

/**
 * DOC: a transfer through the core
 *
 * gring_edu allocates one coherent buffer of 8 KiB, named after the device
 * ("gring_edu 0000:00:04.0"), and carves two views out of it: ``src``,
 * what the device reads, and ``dst``, what it writes. The device's DMA
 * limit (28 bits) is set with dma_set_mask_and_coherent() before the
 * allocation, so the DMA API places the buffer below 256 MiB.
 *
 * A transfer of n bytes (1 to 4096, one write() on /dev/gring_eduN):
 *
 * 1. the CPU writes the bytes into ``src`` with gring_view_write();
 * 2. the first n bytes of ``src`` and of ``dst`` are leased to the device
 *    (gring_lease_give()); the device is told their DMA handles
 *    (gring_view_dma_handle()) and copies ``src`` into its own buffer;
 * 3. on that copy's interrupt, it is told to copy its buffer into
 *    ``dst``;
 * 4. on the second interrupt the handler takes both leases back
 *    (gring_lease_take()) and wakes the writer (a transfer of 4096 bytes
 *    makes two such round trips, see %EDU_COPY_MAX, and the leases come
 *    back on the fourth);
 * 5. read() copies ``dst`` out with gring_view_read().
 *
 * Between 2 and 4 every CPU access to those bytes is refused by the core,
 * counted in the buffer's statistics and reported under the buffer's
 * name. If the device never interrupts, the writer gives up after a
 * timeout: it turns the device's bus mastering off (from then on the
 * engine cannot reach memory), waits until the engine is idle, and only
 * then takes the leases back.
 */

enum edu_stage {
	EDU_IDLE,
	EDU_TO_DEVICE,		/* src -> device buffer in flight */
	EDU_TO_RAM,		/* device buffer -> dst in flight */
	EDU_STOPPING,		/* given up: interrupts are ignored */
};

/**
 * struct gring_edu - one edu device
 * @pdev: the PCI device.
 * @mmio: its registers (BAR0).
 * @ref: held by the probe until remove, and by every open file.
 * @name: the buffer's name, "gring_edu <PCI name>": refusals and traces
 *	of the buffer name the device, not the framework.
 * @misc_name: "gring_eduN", the misc device's name.
 * @misc: /dev/gring_eduN.
 * @minor_id: the N of gring_eduN.
 * @debugfs: /sys/kernel/debug/gring_edu/<PCI name>/.
 * @buf: the coherent buffer; NULL after remove.
 * @src: its first 4 KiB: what the device reads.
 * @dst: its second 4 KiB: what the device writes.
 * @lock: serialises transfers, read() and remove; protects the fields
 *	below it up to @irq_lock.
 * @gone: the device was removed; files still open get -ENODEV.
 * @broken: the engine did not stop after a timeout (its bus mastering is
 *	left off): every later transfer fails with this errno.
 * @last_len: bytes of the last transfer, what read() returns from @dst.
 * @transfers: completed transfers.
 * @misuse_armed: the next transfer tries a CPU write into @dst while the
 *	device owns it.
 * @misuse_result: what that write returned (1: never tried).
 * @no_irq_armed: the next transfer starts its first copy without asking
 *	for the interrupt (fault injection: the timeout path).
 * @bounce: userspace's bytes on their way in and out.
 * @irq_lock: protects @stage, the leases and the @xfer_ fields, between
 *	the writer and the interrupt handler.
 * @stage: where the transfer in flight is.
 * @xfer_src: the bytes of @src the device reads in this transfer.
 * @xfer_dst: the bytes of @dst the device writes in this transfer.
 * @xfer_len: their number.
 * @xfer_off: where the round trip in flight starts, in both.
 * @xfer_copy: its length, at most %EDU_COPY_MAX.
 * @src_lease: @src's bytes handed to the device for this transfer.
 * @dst_lease: @dst's bytes handed to the device for this transfer.
 * @done: completed by the handler when both leases are back.
 */
struct gring_edu {
	struct pci_dev *pdev;
	void __iomem *mmio;
	struct kref ref;
	char name[32];
	char misc_name[24];
	struct miscdevice misc;
	int minor_id;
	struct dentry *debugfs;

	struct gring_coherent *buf;
	struct gring_view src;
	struct gring_view dst;

	struct mutex lock; /* see above */
	bool gone;
	int broken;
	size_t last_len;
	u64 transfers;
	bool misuse_armed;
	int misuse_result;
	bool no_irq_armed;
	u8 bounce[EDU_DEV_BUF_SIZE];

	spinlock_t irq_lock; /* see above */
	enum edu_stage stage;
	struct gring_view xfer_src;
	struct gring_view xfer_dst;
	size_t xfer_len;
	size_t xfer_off;
	size_t xfer_copy;
	struct gring_lease src_lease;
	struct gring_lease dst_lease;
	struct completion done;
};

static DEFINE_IDA(edu_ida);
static struct dentry *edu_debugfs_root;

static void edu_release(struct kref *ref)
{
	kfree(container_of(ref, struct gring_edu, ref));
}

static void edu_put(struct gring_edu *edu)
{
	kref_put(&edu->ref, edu_release);
}

/* Program one copy; the engine ignores all four while it runs. */
static void edu_start_dma(struct gring_edu *edu, u64 src, u64 dst, u64 len,
			  u32 cmd)
{
	writeq(src, edu->mmio + EDU_REG_DMA_SRC);
	writeq(dst, edu->mmio + EDU_REG_DMA_DST);
	writeq(len, edu->mmio + EDU_REG_DMA_CNT);
	writeq(cmd | EDU_DMA_RUN, edu->mmio + EDU_REG_DMA_CMD);
}

/* A removed (or broken) PCI device reads as all ones. */
static bool edu_present(struct gring_edu *edu)
{
	return readl(edu->mmio + EDU_REG_ID) != ~0U;
}

/*
 * Start the copy @edu->stage names, of the round trip at @edu->xfer_off:
 * a view of those bytes gives the address, never arithmetic on a handle.
 */
static void edu_start_copy(struct gring_edu *edu, u32 irq)
{
	bool to_dev = edu->stage == EDU_TO_DEVICE;
	struct gring_view part;

	/* Inside the views the transfer began with: this cannot fail. */
	if (WARN_ON_ONCE(gring_view_sub(to_dev ? &edu->xfer_src :
					&edu->xfer_dst, edu->xfer_off,
					edu->xfer_copy, 0, &part)))
		return;
	if (to_dev)
		edu_start_dma(edu, gring_view_dma_handle(&part), EDU_DEV_BUF,
			      edu->xfer_copy, irq);
	else
		edu_start_dma(edu, EDU_DEV_BUF, gring_view_dma_handle(&part),
			      edu->xfer_copy, EDU_DMA_TO_RAM | irq);
}

/*
 * One copy done. The engine clears its run bit before it raises the
 * interrupt, so the next copy can be programmed from here.
 */
static void edu_dma_done(struct gring_edu *edu)
{
	int err;

	spin_lock(&edu->irq_lock);
	switch (edu->stage) {
	case EDU_TO_DEVICE:
		edu->stage = EDU_TO_RAM;
		edu_start_copy(edu, EDU_DMA_IRQ);
		break;
	case EDU_TO_RAM:
		edu->xfer_off += edu->xfer_copy;
		if (edu->xfer_off < edu->xfer_len) {
			edu->xfer_copy = min(edu->xfer_len - edu->xfer_off,
					     EDU_COPY_MAX);
			edu->stage = EDU_TO_DEVICE;
			edu_start_copy(edu, EDU_DMA_IRQ);
			break;
		}
		/*
		 * The device wrote the last byte of dst before it raised
		 * this interrupt: both views are the CPU's again. The takes
		 * cannot fail (the writer gave both, and only this handler
		 * or the stopped writer takes them back, under irq_lock).
		 */
		err = gring_lease_take(&edu->dst_lease);
		err = gring_lease_take(&edu->src_lease) ?: err;
		WARN_ON_ONCE(err);
		edu->stage = EDU_IDLE;
		complete(&edu->done);
		break;
	case EDU_IDLE:
	case EDU_STOPPING:
		/* A transfer the writer gave up on: it takes the leases. */
		break;
	}
	spin_unlock(&edu->irq_lock);
}

static irqreturn_t edu_irq(int irq, void *arg)
{
	struct gring_edu *edu = arg;
	u32 status = readl(edu->mmio + EDU_REG_IRQ_STATUS);

	/* Not ours (INTx may be shared), or the device is gone. */
	if (!status || status == ~0U)
		return IRQ_NONE;
	/* The device keeps its interrupt raised until told otherwise. */
	writel(status, edu->mmio + EDU_REG_IRQ_ACK);
	if (status & EDU_IRQ_DMA)
		edu_dma_done(edu);
	return IRQ_HANDLED;
}

/*
 * Make sure the engine no longer touches memory: bus mastering off (a DMA
 * the engine starts from now on cannot reach RAM), then wait for it to be
 * idle. The MMIO read of the poll also flushes the device's posted writes.
 * Return 0 with bus mastering back on if @restart; -EIO if the engine is
 * still busy, -ENODEV if the device is gone (bus mastering left off).
 */
static int edu_stop(struct gring_edu *edu, bool restart)
{
	u32 cmd;
	int err;

	pci_clear_master(edu->pdev);
	err = readl_poll_timeout(edu->mmio + EDU_REG_DMA_CMD, cmd,
				 cmd == ~0U || !(cmd & EDU_DMA_RUN),
				 USEC_PER_MSEC, EDU_STOP_TIMEOUT_US);
	if (cmd == ~0U)
		return -ENODEV;
	if (err)
		return -EIO;
	/* Whatever the stopped copy raised is stale. */
	writel(~0U, edu->mmio + EDU_REG_IRQ_ACK);
	if (restart)
		pci_set_master(edu->pdev);
	return 0;
}

/**
 * edu_give_up() - end a transfer whose last interrupt did not come
 * @edu: the device, with @edu->lock held
 *
 * Who holds what: until the engine is known to be stopped, both leases
 * stay the device's, since it may still be reading src or writing dst.
 * The handler is told to ignore the transfer first (%EDU_STOPPING), then
 * edu_stop() cuts the engine off from memory and waits for it, and only
 * then are the leases taken back. If the engine does not stop, bus
 * mastering stays off, so the device still cannot reach the buffer, and
 * the device is marked broken.
 *
 * Return: 0 if the transfer completed after all (the interrupt came at
 * the deadline), else -ETIMEDOUT, or -ENODEV if the device is gone.
 */
static int edu_give_up(struct gring_edu *edu)
{
	int err;

	spin_lock_irq(&edu->irq_lock);
	if (edu->stage == EDU_IDLE) {
		spin_unlock_irq(&edu->irq_lock);
		return 0;
	}
	edu->stage = EDU_STOPPING;
	spin_unlock_irq(&edu->irq_lock);

	err = edu_stop(edu, true);
	if (err)
		edu->broken = err;

	spin_lock_irq(&edu->irq_lock);
	if (gring_lease_active(&edu->dst_lease))
		WARN_ON_ONCE(gring_lease_take(&edu->dst_lease));
	if (gring_lease_active(&edu->src_lease))
		WARN_ON_ONCE(gring_lease_take(&edu->src_lease));
	edu->stage = EDU_IDLE;
	spin_unlock_irq(&edu->irq_lock);

	pci_warn(edu->pdev, "transfer of %zu bytes timed out%s\n",
		 edu->xfer_len, err ? "; the device did not stop" : "");
	return err == -ENODEV ? err : -ETIMEDOUT;
}

/*
 * The misuse the debugfs file asks for: a CPU write into dst while the
 * device owns it. The core refuses it (-EBUSY) and reports it under the
 * buffer's name; nothing is written.
 */
static int edu_misuse(struct gring_edu *edu)
{
	u8 poison = 0xa5;

	lockdep_assert_held(&edu->irq_lock);
	return gring_view_write(&edu->xfer_dst, 0, &poison, 1);
}

/**
 * edu_transfer() - move @len bytes of @edu->bounce through the device
 * @edu: the device, with @edu->lock held
 * @len: 1 to %EDU_DEV_BUF_SIZE
 *
 * On success the bytes are in @edu->dst, every byte of the buffer is
 * CPU-owned again, and @edu->bounce is unchanged.
 *
 * Return: 0, or -ETIMEDOUT, -ENODEV, -EIO (broken device), or a refusal
 * of the core (which would be a bug here).
 */
static int edu_transfer(struct gring_edu *edu, size_t len)
{
	u32 irq = EDU_DMA_IRQ;
	int err;

	lockdep_assert_held(&edu->lock);
	if (edu->broken)
		return edu->broken;
	if (!edu_present(edu))
		return -ENODEV;

	err = gring_view_write(&edu->src, 0, edu->bounce, len);
	if (err)
		return err;

	if (edu->no_irq_armed) {
		edu->no_irq_armed = false;
		irq = 0;
	}

	spin_lock_irq(&edu->irq_lock);
	/* Exactly the bytes the device will touch, no more. */
	err = gring_view_sub(&edu->src, 0, len, 0, &edu->xfer_src) ?:
	      gring_view_sub(&edu->dst, 0, len, 0, &edu->xfer_dst);
	if (err)
		goto out_unlock;
	err = gring_lease_give(&edu->xfer_src, &edu->src_lease);
	if (err)
		goto out_unlock;
	err = gring_lease_give(&edu->xfer_dst, &edu->dst_lease);
	if (err) {
		gring_lease_take(&edu->src_lease);
		goto out_unlock;
	}
	edu->xfer_len = len;
	edu->xfer_off = 0;
	edu->xfer_copy = min(len, EDU_COPY_MAX);
	edu->stage = EDU_TO_DEVICE;
	reinit_completion(&edu->done);
	/* After the gives: their dma_wmb() orders src's bytes before this. */
	edu_start_copy(edu, irq);
	/*
	 * Still under irq_lock, so the handler cannot have taken dst back:
	 * the device owns it for certain, whatever the host's scheduler did.
	 */
	if (edu->misuse_armed) {
		edu->misuse_armed = false;
		edu->misuse_result = edu_misuse(edu);
	}
out_unlock:
	spin_unlock_irq(&edu->irq_lock);
	if (err)
		return err;

	if (!wait_for_completion_timeout(&edu->done, EDU_TIMEOUT))
		return edu_give_up(edu);
	return 0;
}

static int edu_open(struct inode *inode, struct file *file)
{
	/* misc_open() holds misc_mtx: remove cannot free @edu meanwhile. */
	struct gring_edu *edu = container_of(file->private_data,
					     struct gring_edu, misc);

	kref_get(&edu->ref);
	file->private_data = edu;
	return 0;
}

static int edu_file_release(struct inode *inode, struct file *file)
{
	edu_put(file->private_data);
	return 0;
}

/* One whole transfer of the bytes written; the file position is unused. */
static ssize_t edu_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct gring_edu *edu = file->private_data;
	int err;

	if (!count || count > EDU_DEV_BUF_SIZE)
		return -EINVAL;
	err = mutex_lock_interruptible(&edu->lock);
	if (err)
		return err;
	if (edu->gone) {
		err = -ENODEV;
		goto out;
	}
	if (copy_from_user(edu->bounce, ubuf, count)) {
		err = -EFAULT;
		goto out;
	}
	/* What dst held belongs to no transfer until this one succeeds. */
	edu->last_len = 0;
	err = edu_transfer(edu, count);
	if (!err) {
		edu->last_len = count;
		edu->transfers++;
	}
out:
	mutex_unlock(&edu->lock);
	return err ?: count;
}

/* dst's bytes of the last transfer, read through the core. */
static ssize_t edu_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	struct gring_edu *edu = file->private_data;
	ssize_t ret;

	ret = mutex_lock_interruptible(&edu->lock);
	if (ret)
		return ret;
	if (edu->gone) {
		ret = -ENODEV;
		goto out;
	}
	ret = gring_view_read(&edu->dst, 0, edu->bounce, edu->last_len);
	if (ret)
		goto out;
	ret = simple_read_from_buffer(ubuf, count, ppos, edu->bounce,
				      edu->last_len);
out:
	mutex_unlock(&edu->lock);
	return ret;
}

static const struct file_operations edu_fops = {
	.owner = THIS_MODULE,
	.open = edu_open,
	.release = edu_file_release,
	.read = edu_read,
	.write = edu_write,
	.llseek = default_llseek,
};

/* --- debugfs: counters (no address of any kind), misuse, faults --------- */

static int edu_transfers_show(struct seq_file *m, void *unused)
{
	struct gring_edu *edu = m->private;
	int err;

	err = mutex_lock_interruptible(&edu->lock);
	if (err)
		return err;
	seq_printf(m, "%llu\n", edu->transfers);
	mutex_unlock(&edu->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_transfers);

static int edu_refusals_show(struct seq_file *m, void *unused)
{
	struct gring_edu *edu = m->private;
	struct gring_coherent_stats stats;

	gring_coherent_get_stats(edu->buf, &stats);
	seq_printf(m, "%llu\n", stats.cpu_refused);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_refusals);

/* The whole of the core's account of the buffer, for the tests. */
static int edu_buffer_show(struct seq_file *m, void *unused)
{
	struct gring_edu *edu = m->private;
	struct gring_coherent_stats stats;

	gring_coherent_get_stats(edu->buf, &stats);
	seq_printf(m, "name %s\n", edu->buf->name);
	seq_printf(m, "to_gpu %llu\nto_cpu %llu\ncpu_refused %llu\n",
		   stats.to_gpu, stats.to_cpu, stats.cpu_refused);
	seq_printf(m, "give_busy %llu\ngive_twice %llu\ntake_unheld %llu\n",
		   stats.give_busy, stats.give_twice, stats.take_unheld);
	seq_printf(m, "bad_view %llu\ndevice_leases %zu\n", stats.bad_view,
		   gring_coherent_gpu_ranges(edu->buf, NULL, 0));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_buffer);

static bool edu_view_fits(const struct gring_view *view, u64 mask)
{
	u64 first = gring_view_dma_handle(view);
	u64 last = first + view->size - 1;

	return last >= first && last <= mask;
}

/* 1 if the buffer and both views lie below the device's 28-bit limit. */
static int edu_dma_mask_ok_show(struct seq_file *m, void *unused)
{
	struct gring_edu *edu = m->private;
	u64 mask = DMA_BIT_MASK(EDU_DMA_BITS);
	struct gring_view all;
	bool ok;

	ok = dma_get_mask(&edu->pdev->dev) == mask &&
	     !gring_coherent_view(edu->buf, 0, edu->buf->size, 0, &all) &&
	     edu_view_fits(&all, mask) && edu_view_fits(&edu->src, mask) &&
	     edu_view_fits(&edu->dst, mask);
	seq_printf(m, "%d\n", ok);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_dma_mask_ok);

/* Write a boolean to arm @flag for the next transfer. */
static ssize_t edu_arm(struct file *file, const char __user *ubuf,
		       size_t count, bool *flag)
{
	struct gring_edu *edu = file_inode(file)->i_private;
	bool arm;
	int err;

	err = kstrtobool_from_user(ubuf, count, &arm);
	if (err)
		return err;
	err = mutex_lock_interruptible(&edu->lock);
	if (err)
		return err;
	*flag = arm;
	mutex_unlock(&edu->lock);
	return count;
}

static ssize_t edu_misuse_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct gring_edu *edu = file_inode(file)->i_private;

	return edu_arm(file, ubuf, count, &edu->misuse_armed);
}

/* "armed", "none" (never tried) or the errno the write got. */
static int edu_misuse_show(struct seq_file *m, void *unused)
{
	struct gring_edu *edu = m->private;
	int err;

	err = mutex_lock_interruptible(&edu->lock);
	if (err)
		return err;
	if (edu->misuse_armed)
		seq_puts(m, "armed\n");
	else if (edu->misuse_result > 0)
		seq_puts(m, "none\n");
	else
		seq_printf(m, "%d\n", edu->misuse_result);
	mutex_unlock(&edu->lock);
	return 0;
}

static int edu_misuse_open(struct inode *inode, struct file *file)
{
	return single_open(file, edu_misuse_show, inode->i_private);
}

static const struct file_operations edu_misuse_fops = {
	.owner = THIS_MODULE,
	.open = edu_misuse_open,
	.read = seq_read,
	.write = edu_misuse_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static ssize_t edu_no_irq_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct gring_edu *edu = file_inode(file)->i_private;

	return edu_arm(file, ubuf, count, &edu->no_irq_armed);
}

static const struct file_operations edu_no_irq_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = edu_no_irq_write,
	.llseek = noop_llseek,
};

static void edu_debugfs_init(struct gring_edu *edu)
{
	struct dentry *d = debugfs_create_dir(pci_name(edu->pdev),
					      edu_debugfs_root);

	edu->debugfs = d;
	debugfs_create_file("transfers", 0400, d, edu, &edu_transfers_fops);
	debugfs_create_file("refusals", 0400, d, edu, &edu_refusals_fops);
	debugfs_create_file("buffer", 0400, d, edu, &edu_buffer_fops);
	debugfs_create_file("dma_mask_ok", 0400, d, edu,
			    &edu_dma_mask_ok_fops);
	debugfs_create_file("misuse", 0600, d, edu, &edu_misuse_fops);
	debugfs_create_file("inject_no_irq", 0200, d, edu, &edu_no_irq_fops);
}

/* --- the PCI driver ------------------------------------------------------ */

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct gring_edu *edu;
	int err;

	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	kref_init(&edu->ref);
	mutex_init(&edu->lock);
	spin_lock_init(&edu->irq_lock);
	init_completion(&edu->done);
	gring_lease_init(&edu->src_lease);
	gring_lease_init(&edu->dst_lease);
	edu->pdev = pdev;
	edu->misuse_result = 1;
	snprintf(edu->name, sizeof(edu->name), "gring_edu %s", pci_name(pdev));

	err = pcim_enable_device(pdev);
	if (err)
		goto err_put;
	edu->mmio = pcim_iomap_region(pdev, 0, "gring_edu");
	if (IS_ERR(edu->mmio)) {
		err = PTR_ERR(edu->mmio);
		goto err_put;
	}
	if ((readl(edu->mmio + EDU_REG_ID) & EDU_ID_MASK) != EDU_ID) {
		err = -ENODEV;
		goto err_put;
	}
	/* Before the allocation: the DMA API places the buffer by it. */
	err = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(EDU_DMA_BITS));
	if (err)
		goto err_put;
	pci_set_master(pdev);
	/* A previous driver's interrupt, still raised. */
	writel(~0U, edu->mmio + EDU_REG_IRQ_ACK);

	err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);
	if (err < 0)
		goto err_put;
	err = request_irq(pci_irq_vector(pdev, 0), edu_irq, IRQF_SHARED,
			  "gring_edu", edu);
	if (err)
		goto err_vectors;

	edu->buf = gring_coherent_alloc(&pdev->dev, 2 * EDU_DEV_BUF_SIZE,
					GFP_KERNEL, edu->name);
	if (IS_ERR(edu->buf)) {
		err = PTR_ERR(edu->buf);
		edu->buf = NULL;
		goto err_irq;
	}
	err = gring_coherent_view(edu->buf, 0, EDU_DEV_BUF_SIZE, 0,
				  &edu->src) ?:
	      gring_coherent_view(edu->buf, EDU_DEV_BUF_SIZE, EDU_DEV_BUF_SIZE,
				  0, &edu->dst);
	if (err)
		goto err_buf;

	edu->minor_id = ida_alloc(&edu_ida, GFP_KERNEL);
	if (edu->minor_id < 0) {
		err = edu->minor_id;
		goto err_buf;
	}
	snprintf(edu->misc_name, sizeof(edu->misc_name), "gring_edu%d",
		 edu->minor_id);
	edu->misc.minor = MISC_DYNAMIC_MINOR;
	edu->misc.name = edu->misc_name;
	edu->misc.fops = &edu_fops;
	edu->misc.parent = &pdev->dev;
	edu->misc.mode = 0600;
	pci_set_drvdata(pdev, edu);
	edu_debugfs_init(edu);
	/* Last: from here on userspace can reach the device. */
	err = misc_register(&edu->misc);
	if (err)
		goto err_debugfs;

	pci_info(pdev, "%s: %s, DMA through gring views\n", edu->misc_name,
		 pdev->msi_enabled ? "MSI" : "INTx");
	return 0;

err_debugfs:
	debugfs_remove_recursive(edu->debugfs);
	ida_free(&edu_ida, edu->minor_id);
err_buf:
	gring_coherent_free(edu->buf);
err_irq:
	free_irq(pci_irq_vector(pdev, 0), edu);
err_vectors:
	pci_free_irq_vectors(pdev);
err_put:
	edu_put(edu);
	return err;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct gring_edu *edu = pci_get_drvdata(pdev);

	/* No new file, no debugfs access in flight once these return. */
	misc_deregister(&edu->misc);
	debugfs_remove_recursive(edu->debugfs);

	/*
	 * A transfer in flight holds the lock until it has both leases
	 * back, timeout included: after this nothing is the device's.
	 */
	mutex_lock(&edu->lock);
	edu->gone = true;
	edu_stop(edu, false);
	mutex_unlock(&edu->lock);

	free_irq(pci_irq_vector(pdev, 0), edu);
	pci_free_irq_vectors(pdev);
	gring_coherent_free(edu->buf);
	edu->buf = NULL;
	ida_free(&edu_ida, edu->minor_id);
	/* Files still open keep @edu, and see -ENODEV. */
	edu_put(edu);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "gring_edu",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init edu_init(void)
{
	int err;

	edu_debugfs_root = debugfs_create_dir("gring_edu", NULL);
	err = pci_register_driver(&edu_driver);
	if (err)
		debugfs_remove(edu_debugfs_root);
	return err;
}
module_init(edu_init);

static void __exit edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	debugfs_remove(edu_debugfs_root);
	ida_destroy(&edu_ida);
}
module_exit(edu_exit);

MODULE_DESCRIPTION("QEMU edu device, DMA through gring's views and leases");
MODULE_LICENSE("GPL");
/* gring_core's exports are in namespace GRING (6.12: a bare token). */
MODULE_IMPORT_NS(GRING);
