// SPDX-License-Identifier: MIT
/*
 * gring-bench: which benchmarks run, in which order, and which ratios are
 * reported. A new figure is a struct bench in a bench_*.c file plus a line
 * here; a new comparison is one line in ratio_table[]. Each ratio divides
 * medians of the same unit (checked at start-up): for us/op a ratio above
 * 1 means gring is slower than its baseline, for GB/s that it is faster.
 * A ratio may carry a target (at most / at least a bound); the report says
 * whether it was met, and a missed target is not a failed run.
 */
#include "bench.h"

const struct bench *const bench_table[] = {
	/* baselines */
	&bench_ioctl_gring,
	&bench_ioctl_vgem,
	&bench_uring_nop,
	&bench_uring_nop64,
	&bench_vgem_fence,
	&bench_memcpy,
	&bench_vgem_dumb_4k,
	&bench_vgem_dumb_1m,
	&bench_vgem_mmap_1m,
	&bench_memcpy_1m,
	/* issue 18's floors */
	&bench_syncobj_wait_signalled,
	&bench_wake_thread,
	/* gring */
	&bench_gem_create_4k,
	&bench_gem_create_1m,
	&bench_gem_mmap_1m,
	&bench_soft_nop_rt,
	&bench_soft_cmd64,
	&bench_soft_copy_1m,
	&bench_soft_copy_1m_x16,
	/* issue 18: the fast path */
	&bench_soft_nop_rt_wait,
	&bench_soft_nop_rt_syncobj,
	&bench_soft_nop_pipe,
	&bench_soft_nop_sched_rt,
	/* issue 12: the virtio-gpu engine against virtio_gpu */
	&bench_virtgpu_frame,
	&bench_virtgpu_rt,
	&bench_vgpu_frame,
	&bench_vgpu_rt,
	/* make bench gains, same boot: SUBMIT's ranges and CPU_PREP under it */
	&bench_submit_range_16,
	&bench_submit_range_256,
	&bench_submit_range_4096,
	&bench_prep_nowait_idle,
	&bench_prep_nowait_busy,
};

const size_t bench_table_len = sizeof(bench_table) / sizeof(bench_table[0]);

const struct bench_ratio ratio_table[] = {
	{
		.name = "ioctl/vgem",
		.num = "ioctl.gring",
		.den = "ioctl.vgem",
		.desc = "gring's bare ioctl against vgem's",
	},
	{
		.name = "create.4k/vgem",
		.num = "gem.create.4k",
		.den = "vgem.dumb.4k",
		.desc = "4 KiB create + close, gring (coherent) against vgem (shmem)",
	},
	{
		.name = "create.1m/vgem",
		.num = "gem.create.1m",
		.den = "vgem.dumb.1m",
		.desc = "1 MiB create + close, gring (coherent) against vgem (shmem)",
	},
	{
		.name = "mmap.1m/vgem",
		.num = "gem.mmap.1m",
		.den = "vgem.mmap.1m",
		.desc = "1 MiB map + touch + unmap, gring against vgem",
	},
	{
		.name = "create.4k/ioctl",
		.num = "gem.create.4k",
		.den = "ioctl.gring",
		.desc = "bare gring ioctls one 4 KiB create + close costs",
	},
	/* Issue 11's targets for the soft engine. */
	{
		.name = "nop.rt/ioctl",
		.num = "soft.nop.rt",
		.den = "ioctl.gring",
		.desc = "bare gring ioctls one NOP job's round trip (submit, engine, fence, waiter woken) costs",
		.target_kind = BENCH_AT_MOST,
		.target = 3,
	},
	{
		.name = "cmd64/uring64",
		.num = "soft.cmd64",
		.den = "uring.nop64",
		.desc = "per command at 64 per submit: soft-engine NOP against io_uring NOP",
		.target_kind = BENCH_AT_MOST,
		.target = 1,
	},
	{
		.name = "copy/memcpy",
		.num = "soft.copy.1m",
		.den = "memcpy.1m",
		.desc = "1 MiB copy bandwidth: soft-engine COPY job against the CPU copying the same BOs with the same instruction",
		.target_kind = BENCH_AT_LEAST,
		.target = 0.9,
	},
	{
		.name = "copy.x16/memcpy",
		.num = "soft.copy.1m.x16",
		.den = "memcpy.1m",
		.desc = "copy bandwidth at 16 COPYs of 1 MiB per job: the engine's copy itself, per-job cost spread thin",
	},
	/* Issue 18's targets: the fast path, in bare ioctls, and its floors. */
	{
		.name = "nop.rt.wait/ioctl",
		.num = "soft.nop.rt.wait",
		.den = "ioctl.gring",
		.desc = "bare gring ioctls one NOP job costs, waited for with libgring's gring_ring_wait()",
		.target_kind = BENCH_AT_MOST,
		.target = 2.5,
	},
	{
		.name = "nop.rt.syncobj/ioctl",
		.num = "soft.nop.rt.syncobj",
		.den = "ioctl.gring",
		.desc = "bare gring ioctls one NOP job costs beyond a SYNCOBJ_WAIT that need not wait",
		.target_kind = BENCH_AT_MOST,
		.target = 2,
	},
	{
		.name = "nop.pipe/ioctl",
		.num = "soft.nop.pipe",
		.den = "ioctl.gring",
		.desc = "bare gring ioctls per NOP job at 1000 back to back on one ring",
		.target_kind = BENCH_AT_MOST,
		.target = 2,
	},
	{
		.name = "nop.sched.rt/ioctl",
		.num = "soft.nop.sched.rt",
		.den = "ioctl.gring",
		.desc = "bare gring ioctls one NOP job costs when the scheduler must hold it for an in-fence",
		.target_kind = BENCH_AT_MOST,
		.target = 8,
	},
	{
		.name = "syncobj.wait/ioctl",
		.num = "syncobj.wait.signalled",
		.den = "ioctl.gring",
		.desc = "floor: a SYNCOBJ_WAIT with nothing to wait for, in bare gring ioctls",
	},
	{
		.name = "wake/ioctl",
		.num = "wake.thread",
		.den = "ioctl.gring",
		.desc = "floor: one thread wakeup + switch on one CPU, in bare gring ioctls",
	},
	/* Issue 12's targets: gring's virtio-gpu engine against virtio_gpu. */
	{
		.name = "frame/virtgpu",
		.num = "vgpu.frame",
		.den = "virtgpu.frame",
		.desc = "1280x800 frame (transfer + scanout + flush) to completion: gring's ring against virtio_gpu's modeset",
		.target_kind = BENCH_AT_MOST,
		.target = 0.8,
	},
	{
		.name = "rt/virtgpu",
		.num = "vgpu.rt",
		.den = "virtgpu.rt",
		.desc = "one waited round trip (create + attach a 1x1 resource, unref of another): gring against virtio_gpu",
		.target_kind = BENCH_AT_MOST,
		.target = 0.8,
	},
	/*
	 * make bench gains, same boot: a SUBMIT's cost linear in its ranges,
	 * and another file's CPU_PREP not held up by it.
	 */
	{
		.name = "submit.ranges",
		.num = "submit.range.256",
		.den = "submit.range.16",
		.desc = "SUBMIT's cost per range at 256 ranges against at 16 (1: linear; ~16: quadratic)",
		.target_kind = BENCH_AT_MOST,
		.target = 1.5,
	},
	{
		.name = "submit.ranges.4k",
		.num = "submit.range.4096",
		.den = "submit.range.256",
		.desc = "SUBMIT's cost per range at 4096 ranges against at 256 (1: linear; ~16: quadratic)",
	},
	{
		.name = "prep.nowait.contended",
		.num = "prep.nowait.busy",
		.den = "prep.nowait.idle",
		.desc = "median CPU_PREP NOWAIT of an unused BO while another file's 4096-range SUBMIT is in the kernel, against on an idle device",
		.target_kind = BENCH_AT_MOST,
		.target = 2,
	},
};

const size_t ratio_table_len = sizeof(ratio_table) / sizeof(ratio_table[0]);
