// SPDX-License-Identifier: MIT
/*
 * gring-fuzz: the record of the last calls, the checks made on each, and
 * the C program that makes them again.
 *
 * A reproducer must compile and run on its own, so it names every
 * argument field by name with its literal value, and every vector as the
 * bytes the kernel was given. What it cannot know literally is remapped
 * at run time: file descriptors (fdmap[], by the number the fuzzer saw),
 * mappings (mapv[]) and absolute timeouts (now + the recorded delta).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gring_drm.h"
#include "fuzz.h"

/* --- PRNG ---------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * One stream per thread (and per forked child): the seed and the stream
 * number both go through splitmix64, so neighbouring streams of one seed
 * share no visible structure.
 */
void fz_rng_seed(struct fz_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ splitmix64(&stream);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fz_rng_next(struct fz_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t fz_rng_below(struct fz_rng *r, uint64_t n)
{
	return n ? fz_rng_next(r) % n : 0;
}

bool fz_rng_pct(struct fz_rng *r, unsigned int pct)
{
	return fz_rng_below(r, 100) < pct;
}

/* --- the log ------------------------------------------------------------- */

int fz_log_init(struct fz_log *log, unsigned int cap)
{
	log->recs = calloc(cap, sizeof(*log->recs));
	log->cap = cap;
	log->count = 0;
	return log->recs ? 0 : -ENOMEM;
}

void fz_log_fini(struct fz_log *log)
{
	free(log->recs);
	log->recs = NULL;
}

struct fz_rec *fz_log_next(struct fz_log *log)
{
	struct fz_rec *r = &log->recs[log->count++ % log->cap];

	memset(r, 0, offsetof(struct fz_rec, vec));
	return r;
}

unsigned int fz_log_len(const struct fz_log *log)
{
	return log->count < log->cap ? (unsigned int)log->count : log->cap;
}

const struct fz_rec *fz_log_at(const struct fz_log *log, unsigned int i)
{
	uint64_t first = log->count - fz_log_len(log);

	return &log->recs[(first + i) % log->cap];
}

/* --- checks -------------------------------------------------------------- */

/*
 * x86-64's kernel half starts at 0xffff800000000000 (4-level paging; the
 * direct map at 0xffff888..., vmalloc and modules above). gring never
 * returns an address, so a value there in an output is a leak. Small
 * negative numbers (a __s32 -1 read as 64 bits) are not addresses.
 */
bool fz_looks_like_kernel_ptr(uint64_t v)
{
	return v >= 0xffff800000000000ull && v < 0xfffffffffffff000ull;
}

static bool check_outputs(const struct fz_rec *rec, const struct fz_desc *d,
			  char *why, size_t len)
{
	unsigned int i;

	for (i = 0; i < d->nr_fields; i++) {
		const struct fz_field *f = &d->fields[i];
		uint64_t v;

		if (!(f->flags & FZ_F_OUT) || f->size != 8)
			continue;
		v = fz_field_get(rec->out, f);
		if (fz_looks_like_kernel_ptr(v)) {
			snprintf(why, len,
				 "%s returned %s = 0x%" PRIx64 ", a kernel address",
				 d->name, f->name, v);
			return false;
		}
	}
	return true;
}

/* What gring's own successful outputs must be, from the uapi's text. */
static bool check_gring_success(const struct fz_rec *rec, char *why,
				size_t len)
{
	switch (rec->kind) {
	case FZ_GEM_CREATE: {
		uint64_t in, out;

		memcpy(&in, rec->arg + offsetof(struct drm_gring_gem_create, size), 8);
		memcpy(&out, rec->out + offsetof(struct drm_gring_gem_create, size), 8);
		if (out < in || out % 4096 || out - in >= 4096) {
			snprintf(why, len,
				 "GEM_CREATE size %" PRIu64 " came back as %" PRIu64
				 ", not rounded up to the page", in, out);
			return false;
		}
		break;
	}
	case FZ_GEM_MMAP_OFFSET: {
		uint64_t off;

		memcpy(&off, rec->out +
		       offsetof(struct drm_gring_gem_mmap_offset, offset), 8);
		if (!off || off % 4096) {
			snprintf(why, len,
				 "GEM_MMAP_OFFSET gave offset 0x%" PRIx64
				 ", not a non-zero page multiple", off);
			return false;
		}
		break;
	}
	case FZ_RING_QUERY: {
		uint32_t size, wptr, rptr;
		uint64_t submitted, completed;

#define Q(field) (rec->out + offsetof(struct drm_gring_ring_query, field))
		memcpy(&size, Q(size), 4);
		memcpy(&wptr, Q(wptr), 4);
		memcpy(&rptr, Q(rptr), 4);
		memcpy(&submitted, Q(submitted), 8);
		memcpy(&completed, Q(completed), 8);
#undef Q
		if ((size && (wptr >= size || rptr >= size)) ||
		    (!size && (wptr || rptr)) || completed > submitted) {
			snprintf(why, len,
				 "RING_QUERY: size %u wptr %u rptr %u submitted %"
				 PRIu64 " completed %" PRIu64 " is impossible",
				 size, wptr, rptr, submitted, completed);
			return false;
		}
		break;
	}
	}
	return true;
}

bool fz_check_rec(const struct fz_rec *rec, char *why, size_t len)
{
	const struct fz_desc *d = fz_desc(rec->kind);
	char buf[16];

	if (rec->ret < 0) {
		if (!fz_errno_allowed(rec->kind, rec->err)) {
			snprintf(why, len,
				 "%s failed with %s, which its documentation does not list",
				 fz_kind_name(rec->kind),
				 fz_errno_name(rec->err, buf, sizeof(buf)));
			return false;
		}
		/*
		 * The DRM core copies the argument back even on failure;
		 * gring promises it wrote nothing ("Output fields are only
		 * written when the ioctl succeeds").
		 */
		if (d && d->gring && memcmp(rec->arg, rec->out, d->size)) {
			snprintf(why, len,
				 "%s failed (%s) but changed its argument",
				 d->name, fz_errno_name(rec->err, buf, sizeof(buf)));
			return false;
		}
		return true;
	}
	if (!d)
		return true;
	if (!check_outputs(rec, d, why, len))
		return false;
	return !d->gring || check_gring_success(rec, why, len);
}

/* --- the reproducer ------------------------------------------------------ */

static const char repro_head[] =
	"#define _GNU_SOURCE\n"
	"#include <errno.h>\n"
	"#include <fcntl.h>\n"
	"#include <poll.h>\n"
	"#include <stdint.h>\n"
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"#include <time.h>\n"
	"#include <unistd.h>\n"
	"#include <sys/ioctl.h>\n"
	"#include <sys/mman.h>\n"
	"#include <sys/wait.h>\n"
	"#include <linux/dma-buf.h>\n"
	"#include <linux/sync_file.h>\n"
	"#include \"gring_drm.h\"\n"
	"\n"
	"/* The fuzzer's fd numbers, and mappings, as this run has them. */\n"
	"static int fdmap[4096];\n"
	"static void *mapv[4096];\n"
	"#define F(n) fdmap[n]\n"
	"\n"
	"static int64_t now_ns(void)\n"
	"{\n"
	"\tstruct timespec ts;\n"
	"\n"
	"\tclock_gettime(CLOCK_MONOTONIC, &ts);\n"
	"\treturn ts.tv_sec * 1000000000ll + ts.tv_nsec;\n"
	"}\n"
	"\n"
	"static long report(unsigned long n, const char *what, long ret, long want)\n"
	"{\n"
	"\tint err = errno;\n"
	"\n"
	"\tprintf(\"%lu %s = %ld%s%s (fuzzer: %ld)\\n\", n, what, ret,\n"
	"\t       ret < 0 ? \" \" : \"\", ret < 0 ? strerror(err) : \"\", want);\n"
	"\treturn ret;\n"
	"}\n"
	"\n"
	"static long do_ioctl(int fd, unsigned long req, void *arg)\n"
	"{\n"
	"\treturn ioctl(fd, req, arg);\n"
	"}\n"
	"\n";

static void print_value(FILE *f, const struct fz_field *fl, uint64_t v)
{
	if (fl->flags & FZ_F_SIGNED)
		fprintf(f, "%" PRId64, fl->size == 4 ? (int64_t)(int32_t)v :
						       (int64_t)v);
	else if (v < 4096)
		fprintf(f, "%" PRIu64, v);
	else
		fprintf(f, "0x%" PRIx64, v);
}

static const struct fz_vec *vec_of(const struct fz_rec *r, unsigned int off)
{
	unsigned int i;

	for (i = 0; i < r->nr_vecs; i++)
		if (r->vecs[i].field_off == off)
			return &r->vecs[i];
	return NULL;
}

static void print_vecs(FILE *f, const struct fz_rec *r)
{
	unsigned int i, j;

	for (i = 0; i < r->nr_vecs; i++) {
		const struct fz_vec *v = &r->vecs[i];
		unsigned int words = (v->len + 7) / 8;

		fprintf(f, "\t\tstatic uint64_t v%u[%u]", i, words ? words : 1);
		if (!(v->flags & FZ_VEC_IN)) {
			fprintf(f, "; /* out */\n");
			continue;
		}
		fprintf(f, " = {");
		for (j = 0; j < words; j++) {
			uint64_t w = 0;

			memcpy(&w, r->vec + v->off + j * 8,
			       v->len - j * 8 < 8 ? v->len - j * 8 : 8);
			fprintf(f, "%s0x%" PRIx64,
				!j ? "\n\t\t\t" : j % 4 ? ", " : ",\n\t\t\t", w);
		}
		fprintf(f, "\n\t\t};\n");
	}
}

/* The argument as a designated initializer, fds and pointers remapped. */
static void print_arg(FILE *f, const struct fz_rec *r, const struct fz_desc *d)
{
	unsigned int i;

	print_vecs(f, r);
	fprintf(f, "\t\t%s a = {\n", d->type);
	for (i = 0; i < d->nr_fields; i++) {
		const struct fz_field *fl = &d->fields[i];
		uint64_t v = fz_field_get(r->arg, fl);
		const struct fz_vec *vec;

		if (!(fl->flags & FZ_F_IN) && !v)
			continue;
		fprintf(f, "\t\t\t.%s = ", fl->name);
		if ((fl->flags & FZ_F_PTR) && (vec = vec_of(r, fl->off))) {
			fprintf(f, "(uintptr_t)v%u,",
				(unsigned int)(vec - r->vecs));
		} else if ((fl->flags & FZ_F_FD) && (fl->flags & FZ_F_IN) &&
			   (int32_t)v >= 0 && (int32_t)v < 4096) {
			fprintf(f, "F(%d),", (int32_t)v);
		} else if (fl->flags & FZ_F_ABSTIME) {
			fprintf(f, "now_ns() + %" PRId64 ",", (int64_t)v);
		} else {
			print_value(f, fl, v);
			fputc(',', f);
		}
		if (i == r->mutated - 1u)
			fprintf(f, " /* mutated */");
		fputc('\n', f);
	}
	fprintf(f, "\t\t};\n");
}

static void print_rec(FILE *f, const struct fz_rec *r,
		      const struct fz_repro_info *info)
{
	const struct fz_desc *d = fz_desc(r->kind);
	unsigned int i;
	long want = r->ret < 0 ? -(long)r->err : (long)r->ret;

	fprintf(f, "\t{ /* call %" PRIu64 " (thread call %u): %s -> %ld */\n",
		r->gseq, r->seq, fz_kind_name(r->kind), want);
	if (d) {
		print_arg(f, r, d);
		fprintf(f, "\t\treport(%" PRIu64 "ul, \"%s\", do_ioctl(F(%d), %s, &a), %ld);\n",
			r->gseq, d->name, r->fd, d->req_name, want);
		/* Outputs that are fds: this run's number for the fuzzer's. */
		for (i = 0; r->ret >= 0 && i < d->nr_fields; i++) {
			const struct fz_field *fl = &d->fields[i];
			int32_t v = (int32_t)fz_field_get(r->out, fl);

			if ((fl->flags & (FZ_F_FD | FZ_F_OUT)) ==
			    (FZ_F_FD | FZ_F_OUT) && v >= 0 && v < 4096 &&
			    (r->kind != FZ_PRIME_FD_TO_HANDLE &&
			     r->kind != FZ_SYNCOBJ_FD_TO_HANDLE))
				fprintf(f, "\t\tfdmap[%d] = a.%s;\n", v,
					fl->name);
		}
		fprintf(f, "\t}\n");
		return;
	}

	switch (r->kind) {
	case FZ_OPEN:
		fprintf(f, "\t\tint fd = open(\"%s\", O_RDWR | O_CLOEXEC);\n\n",
			r->dev >= 0 && (unsigned int)r->dev < info->nr_devs ?
			info->dev_paths[r->dev] : "/dev/null");
		fprintf(f, "\t\treport(%" PRIu64 "ul, \"open\", fd, %ld);\n",
			r->gseq, want);
		if (r->ret >= 0 && r->ret < 4096)
			fprintf(f, "\t\tfdmap[%" PRId64 "] = fd;\n", r->ret);
		break;
	case FZ_CLOSE:
		fprintf(f, "\t\treport(%" PRIu64 "ul, \"close\", close(F(%d)), %ld);\n",
			r->gseq, r->fd, want);
		break;
	case FZ_MMAP:
		fprintf(f, "\t\tmapv[%" PRIu64 "] = mmap(NULL, 0x%" PRIx64
			", 0x%" PRIx64 ", 0x%" PRIx64 ", F(%d), 0x%" PRIx64 ");\n",
			r->a[4] % 4096, r->a[1], r->a[2], r->a[3], r->fd, r->a[0]);
		fprintf(f, "\t\treport(%" PRIu64 "ul, \"mmap\", mapv[%" PRIu64
			"] == MAP_FAILED ? -1 : 0, %ld);\n",
			r->gseq, r->a[4] % 4096, want);
		break;
	case FZ_MUNMAP:
		fprintf(f, "\t\treport(%" PRIu64 "ul, \"munmap\", munmap(mapv[%"
			PRIu64 "], 0x%" PRIx64 "), %ld);\n",
			r->gseq, r->a[0] % 4096, r->a[1], want);
		break;
	case FZ_TOUCH:
		fprintf(f, "\t\tif (mapv[%" PRIu64 "] && mapv[%" PRIu64 "] != MAP_FAILED)\n",
			r->a[0] % 4096, r->a[0] % 4096);
		if (r->a[2] >> 8)
			fprintf(f, "\t\t\t((volatile uint8_t *)mapv[%" PRIu64 "])[0x%"
				PRIx64 "] = 0x%02x;\n", r->a[0] % 4096, r->a[1],
				(unsigned int)(r->a[2] & 0xff));
		else
			fprintf(f, "\t\t\t(void)((volatile uint8_t *)mapv[%" PRIu64
				"])[0x%" PRIx64 "];\n", r->a[0] % 4096, r->a[1]);
		break;
	case FZ_POLL:
		fprintf(f, "\t\tstruct pollfd p = { .fd = F(%d), .events = 0x%" PRIx64 " };\n\n",
			r->fd, r->a[0]);
		fprintf(f, "\t\treport(%" PRIu64 "ul, \"poll\", poll(&p, 1, %" PRIu64 "), %ld);\n",
			r->gseq, r->a[1], want);
		break;
	case FZ_FORK:
		/*
		 * The child's own calls are in its own log (it prints its
		 * reproducer if it fails); what the parent sees is a
		 * process sharing its files for a while, then exiting.
		 */
		fprintf(f, "\t\tpid_t pid = fork();\n\n");
		fprintf(f, "\t\tif (pid == 0)\n\t\t\t_exit(0);\n");
		fprintf(f, "\t\tif (pid > 0)\n\t\t\twaitpid(pid, NULL, 0);\n");
		break;
	}
	fprintf(f, "\t}\n");
}

void fz_repro_print(FILE *f, const struct fz_rec *const *recs, unsigned int n,
		    const struct fz_repro_info *info)
{
	bool opened[4096] = { false };
	unsigned int i;

	fprintf(f, "/*\n * gring-fuzz reproducer: seed 0x%" PRIx64 "\n", info->seed);
	fprintf(f, " * failure: %s\n", info->why);
	fprintf(f, " * The last %u calls before it, in order. Handles and ids are\n"
		" * literal: they repeat when the same calls run on a fresh file.\n"
		" * Build: cc -I uapi -I /usr/include/libdrm -o repro repro.c\n */\n",
		n);
	fputs(repro_head, f);
	fprintf(f, "int main(void)\n{\n");
	fprintf(f, "\tfor (int i = 0; i < 4096; i++)\n\t\tfdmap[i] = i;\n");

	/*
	 * A device file opened before the first call shown is opened again
	 * here; other fds from before it (dma-bufs, sync_files) cannot be
	 * made without their history and stay as they were numbered.
	 */
	for (i = 0; i < n; i++) {
		const struct fz_rec *r = recs[i];

		if (r->kind == FZ_OPEN && r->ret >= 0 && r->ret < 4096)
			opened[r->ret] = true;
		if (r->fd >= 0 && r->fd < 4096 && !opened[r->fd] && r->dev >= 0 &&
		    (unsigned int)r->dev < info->nr_devs &&
		    r->kind < FZ_NR_IOCTLS && r->kind != FZ_SYNC_MERGE &&
		    r->kind != FZ_SYNC_FILE_INFO && r->kind != FZ_DMABUF_SYNC &&
		    r->kind != FZ_DMABUF_EXPORT_SYNC_FILE &&
		    r->kind != FZ_DMABUF_IMPORT_SYNC_FILE) {
			fprintf(f, "\tfdmap[%d] = open(\"%s\", O_RDWR | O_CLOEXEC);\n",
				r->fd, info->dev_paths[r->dev]);
			opened[r->fd] = true;
		}
	}
	for (i = 0; i < n; i++)
		print_rec(f, recs[i], info);
	fprintf(f, "\treturn 0;\n}\n");
}
