/* SPDX-License-Identifier: MIT */
/*
 * gring-fuzz: a structured fuzzer of gring's uapi.
 *
 * The pure parts -- what each call's argument looks like (desc.c), which
 * errors the uapi documents for it (desc.c), the record of a call and its
 * C reproducer (repro.c), the PRNG -- carry no state of their own and are
 * tested on the host (tests/fuzz-pure-test.c). The rest (gen.c, pool.c,
 * the main program) needs the device.
 */
#ifndef GRING_FUZZ_H
#define GRING_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Every call the fuzzer makes: ioctls first, then plain system calls. */
enum fz_kind {
	/* gring's own ioctls (uapi/gring_drm.h) */
	FZ_GET_PARAM,
	FZ_GEM_CREATE,
	FZ_GEM_MMAP_OFFSET,
	FZ_RING_CREATE,
	FZ_RING_DESTROY,
	FZ_SUBMIT,
	FZ_CPU_PREP,
	FZ_CPU_FINI,
	FZ_RING_QUERY,
	/* the DRM core's, on a gring file */
	FZ_GEM_CLOSE,
	FZ_PRIME_HANDLE_TO_FD,
	FZ_PRIME_FD_TO_HANDLE,
	FZ_SYNCOBJ_CREATE,
	FZ_SYNCOBJ_DESTROY,
	FZ_SYNCOBJ_HANDLE_TO_FD,
	FZ_SYNCOBJ_FD_TO_HANDLE,
	FZ_SYNCOBJ_WAIT,
	FZ_SYNCOBJ_TIMELINE_WAIT,
	FZ_SYNCOBJ_RESET,
	FZ_SYNCOBJ_SIGNAL,
	FZ_SYNCOBJ_TIMELINE_SIGNAL,
	FZ_SYNCOBJ_QUERY,
	FZ_SYNCOBJ_TRANSFER,
	/* sync_file and dma-buf */
	FZ_SYNC_MERGE,
	FZ_SYNC_FILE_INFO,
	FZ_DMABUF_SYNC,
	FZ_DMABUF_EXPORT_SYNC_FILE,
	FZ_DMABUF_IMPORT_SYNC_FILE,
	FZ_NR_IOCTLS,
	/* system calls */
	FZ_OPEN = FZ_NR_IOCTLS,
	FZ_CLOSE,
	FZ_MMAP,
	FZ_MUNMAP,
	FZ_TOUCH,
	FZ_POLL,
	FZ_FORK,
	FZ_NR_KINDS,
};

/* What a field of an argument is, for mutation, checks and printing. */
#define FZ_F_IN		0x01u	/* read by the kernel */
#define FZ_F_OUT	0x02u	/* written by the kernel on success */
#define FZ_F_PTR	0x04u	/* a user pointer (to a vector, see fz_vec) */
#define FZ_F_FD		0x08u	/* a file descriptor number */
#define FZ_F_ABSTIME	0x10u	/* absolute CLOCK_MONOTONIC ns: recorded
				 * relative, made absolute when called */
#define FZ_F_NOMUT	0x20u	/* never mutated (fds: see gen.c) */
#define FZ_F_SIGNED	0x40u	/* printed as a signed number */

struct fz_field {
	const char *name;
	uint16_t off;
	uint8_t size;		/* 4 or 8 (arrays of chars are not fields) */
	uint8_t flags;
};

struct fz_desc {
	const char *name;	/* short name: "SUBMIT" */
	const char *req_name;	/* the request macro, for the reproducer */
	const char *type;	/* "struct drm_gring_submit" */
	unsigned long req;
	uint16_t size;
	bool gring;		/* gring's uapi: unchanged on failure */
	const struct fz_field *fields;
	unsigned int nr_fields;
	const int *errnos;	/* documented errors, 0-terminated */
};

/*
 * The descriptor of @kind; NULL for a system call. Each call's documented
 * errors are listed with where they come from in desc.c.
 */
const struct fz_desc *fz_desc(enum fz_kind kind);
const char *fz_kind_name(enum fz_kind kind);
/* True if the uapi (or the core code gring relies on) documents @err. */
bool fz_errno_allowed(enum fz_kind kind, int err);
/* "EINVAL" for EINVAL; a number for one the table does not name. */
const char *fz_errno_name(int err, char *buf, size_t len);

/* Field descriptors of the vectors SUBMIT points to. */
extern const struct fz_field fz_cmd_fields[];
extern const unsigned int fz_cmd_nr_fields;
extern const struct fz_field fz_vgpu_cmd_fields[];
extern const unsigned int fz_vgpu_cmd_nr_fields;
extern const struct fz_field fz_sync_fields[];
extern const unsigned int fz_sync_nr_fields;

/* --- the record of one call -------------------------------------------- */

#define FZ_ARG_MAX	128	/* desc.c asserts every argument fits */
#define FZ_VEC_MAX	2
#define FZ_VEC_BYTES	2048

/*
 * A vector a pointer field points at: its bytes as the call was given them
 * (FZ_VEC_IN) or only its room (an output array).
 */
#define FZ_VEC_IN	0x1u
struct fz_vec {
	uint16_t field_off;	/* where the pointer is in the argument */
	uint16_t off;		/* where its bytes are in fz_rec.vec */
	uint16_t len;
	uint16_t flags;
};

struct fz_rec {
	uint64_t gseq;		/* order among all threads */
	uint32_t seq;		/* this thread's call number */
	uint16_t kind;		/* enum fz_kind */
	uint8_t nr_vecs;
	uint8_t mutated;	/* 1 + index of the mutated field, or 0 */
	int fd;			/* the fd the call was made on, -1 if none */
	int dev;		/* the device, for FZ_OPEN and fds of a device */
	int64_t ret;
	int err;		/* errno, when ret < 0 */
	/*
	 * Plain arguments of system calls: mmap (off, len, prot, flags,
	 * map slot), munmap/touch (map slot, len/offset, value), poll
	 * (events, timeout), close, fork (exit status).
	 */
	uint64_t a[5];
	uint8_t arg[FZ_ARG_MAX];	/* the argument as passed in */
	uint8_t out[FZ_ARG_MAX];	/* and as the call left it */
	struct fz_vec vecs[FZ_VEC_MAX];
	uint8_t vec[FZ_VEC_BYTES];
};

/* The last calls of one thread, oldest overwritten first. */
struct fz_log {
	struct fz_rec *recs;
	unsigned int cap;
	uint64_t count;		/* records ever added */
};

int fz_log_init(struct fz_log *log, unsigned int cap);
void fz_log_fini(struct fz_log *log);
/* A record to fill in, the newest. */
struct fz_rec *fz_log_next(struct fz_log *log);
/* The @i-th oldest record still held, 0 <= @i < fz_log_len(). */
const struct fz_rec *fz_log_at(const struct fz_log *log, unsigned int i);
unsigned int fz_log_len(const struct fz_log *log);

struct fz_repro_info {
	uint64_t seed;
	const char *why;		/* the failure, one line */
	const char *const *dev_paths;	/* node path of each device index */
	unsigned int nr_devs;
};

/*
 * Print @n records (oldest first) as a C program that makes the same calls
 * with the same argument values, in order.
 */
void fz_repro_print(FILE *f, const struct fz_rec *const *recs, unsigned int n,
		    const struct fz_repro_info *info);

/* --- checks on a finished call ------------------------------------------ */

/*
 * Whether @rec breaks an invariant the uapi promises: an undocumented
 * errno, an argument changed by a failed gring ioctl, a kernel address in
 * an output. Returns false and a reason in @why if so.
 */
bool fz_check_rec(const struct fz_rec *rec, char *why, size_t len);
/* Whether @v looks like a kernel virtual address (x86-64). */
bool fz_looks_like_kernel_ptr(uint64_t v);

/* --- PRNG: xoshiro256**, seeded through splitmix64 ----------------------- */

struct fz_rng {
	uint64_t s[4];
};

void fz_rng_seed(struct fz_rng *r, uint64_t seed, uint64_t stream);
uint64_t fz_rng_next(struct fz_rng *r);
/* Uniform in [0, n); 0 for n == 0. */
uint64_t fz_rng_below(struct fz_rng *r, uint64_t n);
/* True with probability @pct percent. */
bool fz_rng_pct(struct fz_rng *r, unsigned int pct);

/* Field access into an argument's bytes, in host byte order. */
uint64_t fz_field_get(const void *arg, const struct fz_field *f);
void fz_field_set(void *arg, const struct fz_field *f, uint64_t v);

#endif /* GRING_FUZZ_H */
