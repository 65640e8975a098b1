// SPDX-License-Identifier: MIT
/*
 * gring-bench: which benchmarks run, in which order, and which ratios are
 * reported. A new figure is a struct bench in a bench_*.c file plus a line
 * here; a new comparison is one line in ratio_table[]. Each ratio divides
 * medians of the same unit (checked at start-up): for us/op a ratio above
 * 1 means gring is slower than its baseline, for GB/s that it is faster.
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
	/* gring */
	&bench_gem_create_4k,
	&bench_gem_create_1m,
	&bench_gem_mmap_1m,
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
};

const size_t ratio_table_len = sizeof(ratio_table) / sizeof(ratio_table[0]);
