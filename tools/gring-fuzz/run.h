/* SPDX-License-Identifier: MIT */
/*
 * gring-fuzz: the running fuzzer -- its live objects, its threads, and
 * what they share. Everything lives in one struct fz_ctx the main program
 * owns; there is no global state.
 */
#ifndef GRING_FUZZ_RUN_H
#define GRING_FUZZ_RUN_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "fuzz.h"

#define FZ_MAX_DEVS	4
#define FZ_POOL_MAX	512
#define FZ_ERRNO_MAX	134	/* errno buckets: 0 is success */

enum fz_otype {
	FZ_O_DRM,	/* a file of a gring render node */
	FZ_O_BO,	/* a GEM handle of a file */
	FZ_O_RING,	/* a ring id of a file */
	FZ_O_SYNCOBJ,	/* a syncobj handle of a file */
	FZ_O_HOLD,	/* a range CPU_PREP gave a file */
	FZ_O_SYNCOBJ_FD,
	FZ_O_SYNC_FILE,
	FZ_O_DMABUF,
	FZ_O_MAP,	/* an mmap of a BO or a dma-buf */
	FZ_NR_OTYPES,
};

struct fz_obj {
	uint8_t type;
	bool live;		/* still pickable */
	int users;		/* borrowed by this many calls */
	int parent;		/* the FZ_O_DRM (or FZ_O_BO, a hold) it belongs to */
	int dev;
	int fd;			/* fd objects */
	uint32_t handle;	/* BO handle, ring id, syncobj handle */
	uint32_t engine;	/* ring */
	uint64_t size;		/* BO, ring, map or hold bytes */
	uint64_t off;		/* hold offset */
	uint64_t point;		/* syncobj: highest timeline point used */
	void *addr;		/* map */
	unsigned int map_slot;	/* map: its index in the reproducer's mapv[] */
	bool read_only;		/* map: a ring's status page, never stored to */
};

struct fz_pool {
	pthread_mutex_t lock;
	struct fz_obj objs[FZ_POOL_MAX];
	unsigned int count[FZ_NR_OTYPES];
	unsigned int next_map_slot;
};

struct fz_dev {
	char path[64];		/* /dev/dri/renderD* */
	char debugfs[96];	/* its debugfs directory, "" if none */
	uint64_t engines;	/* DRM_GRING_PARAM_ENGINES */
	uint64_t max_bo;
};

struct fz_opts {
	uint64_t seed;
	uint64_t calls;		/* 0: no bound */
	double seconds;		/* 0: no bound */
	unsigned int threads;
	unsigned int log_calls;	/* calls a reproducer shows */
	unsigned int mutate_pct;
	bool fork;
	bool vgpu;
	bool json;
	bool quiet;
	double progress_s;
};

struct fz_ctx {
	struct fz_opts opts;
	struct fz_dev devs[FZ_MAX_DEVS];
	unsigned int nr_devs;
	const char *dev_paths[FZ_MAX_DEVS];
	struct fz_pool pool;
	atomic_bool stop;
	atomic_uint_fast64_t gseq;	/* calls made, all threads */
	pthread_mutex_t fail_lock;
	bool failed;
	char fail_why[512];
	int fail_thread;	/* -1: not one thread's (kernel log, counts) */
	uint64_t fail_gseq;	/* the last call a reproducer shows */
	struct fz_thread *threads;
};

struct fz_thread {
	struct fz_ctx *ctx;
	unsigned int idx;
	pid_t tid;
	struct fz_rng rng;
	struct fz_log log;
	bool child;		/* in a forked child: its own pool */
	bool child_failed;
	struct fz_pool *pool;
	uint64_t calls;
	/* [kind][errno]: written by this thread only, read by the reporter */
	uint64_t counts[FZ_NR_KINDS][FZ_ERRNO_MAX];
	uint8_t *guard;		/* a page, then an inaccessible one */
	uint64_t vbuf[FZ_VEC_MAX][FZ_VEC_BYTES / 8];
};

/* gen.c */
void fz_pool_init(struct fz_pool *pool);
/* Make one call, chosen from the live objects. */
void fz_step(struct fz_thread *t);
/* Close and unmap everything the pool holds (all threads stopped). */
void fz_pool_drain(struct fz_thread *t);
/* Open one file on each device: the first objects. */
int fz_open_devices(struct fz_thread *t);

/* gring-fuzz.c */
/* Record a failure of thread @t (or, with @t NULL, of the run). */
void fz_fail(struct fz_ctx *ctx, struct fz_thread *t, const char *why);

#endif /* GRING_FUZZ_RUN_H */
