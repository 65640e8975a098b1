// SPDX-License-Identifier: MIT
/*
 * gring-fuzz: a structured, reproducible fuzzer of gring's uapi.
 *
 * The main thread finds the devices, takes the baseline of what the
 * driver holds, starts the workers (gen.c), and meanwhile watches the
 * kernel log and the clock. At the end it closes everything and waits for
 * the driver's counts to come back to the baseline: jobs free their BOs
 * and rings asynchronously, so "not yet" is only a failure once the wait
 * is over.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <xf86drm.h>

#include "gring_drm.h"
#include "run.h"

#define DEBUGFS_DRI	"/sys/kernel/debug/dri"
#define SETTLE_S	60

static void usage(FILE *f)
{
	fprintf(f,
"usage: gring-fuzz [options]\n"
"\n"
"Fuzz gring's uapi: calls built from live objects (render-node files, BOs,\n"
"rings, syncobjs, sync_files, dma-bufs, mappings, forked children), mostly\n"
"well formed, some with one field mutated. Fails (exit 1) on an errno the\n"
"uapi does not document, an argument a failed gring ioctl changed, a\n"
"kernel address in an output, a kernel-log report (BUG, WARNING, KASAN,\n"
"lockdep, kmemleak, DMA-API, Oops), or driver counts (debugfs gring_gem,\n"
"gring_rings, the module's refcount) that do not come back to where they\n"
"were once everything is closed. On failure it prints the seed and the\n"
"last calls as a C program that makes them again.\n"
"\n"
"  --seed N        the run's seed (default: from the clock; printed)\n"
"  --calls N       stop after N calls in all\n"
"  --seconds S     stop after S seconds (default 10 when no --calls)\n"
"  --threads N     worker threads (default 2). Each draws from its own\n"
"                  stream of the seed, so a run with one thread repeats\n"
"                  exactly; with more, the threads' interleaving (and so\n"
"                  what each call finds) is the scheduler's and does not\n"
"  --mutate PCT    percent of calls with one field mutated (default 30)\n"
"  --no-fork       make no forked children\n"
"  --vgpu          bind the bench's second virtio-gpu function to gring\n"
"                  (as root), so that virtio-gpu rings are fuzzed too; it\n"
"                  is given back to its driver at the end\n"
"  --log-calls N   calls a reproducer shows (default 50)\n"
"  --repro FILE    also write the reproducer to FILE\n"
"  --progress S    a progress line every S seconds (default 5; 0: none)\n"
"  --json          the summary as one JSON object on stdout\n"
"  -h, --help      this text\n");
}

/* --- kernel log ----------------------------------------------------------- */

static const char *const kmsg_bad[] = {
	"BUG:", "WARNING:", "KASAN", "possible circular locking",
	"possible recursive locking", "inconsistent lock state", "kmemleak",
	"DMA-API", "Oops", "general protection fault", "ODEBUG:", "UBSAN:",
	"suspicious RCU usage",
};

/*
 * Read every record /dev/kmsg has not given us yet; return the first one
 * with a report in it (in @line), or false. Records lost to a wrapped
 * buffer (EPIPE) are skipped: what matters is what is still readable.
 */
static bool kmsg_scan(int fd, char *line, size_t len)
{
	char rec[2048];
	bool found = false;
	ssize_t n;
	size_t i;

	if (fd < 0)
		return false;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		for (i = 0; !found && i < sizeof(kmsg_bad) / sizeof(kmsg_bad[0]); i++) {
			if (strstr(rec, kmsg_bad[i])) {
				char *msg = strchr(rec, ';');
				char *nl;

				const char *text = msg ? msg + 1 : rec;
				size_t n = strnlen(text, len - 1);

				memcpy(line, text, n);
				line[n] = '\0';
				nl = strchr(line, '\n');
				if (nl)
					*nl = '\0';
				found = true;
			}
		}
	}
	return found;
}

/* --- driver counts -------------------------------------------------------- */

struct fz_counts {
	uint64_t objects, bytes;
	char rings[4096];	/* every gring_rings, concatenated */
	long refcnt;
};

static void read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return;
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
}

static void read_counts(const struct fz_ctx *ctx, struct fz_counts *c)
{
	char path[256], buf[256];
	unsigned int i;
	size_t used = 0;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ctx->nr_devs; i++) {
		unsigned long long objs = 0, bytes = 0;

		if (!ctx->devs[i].debugfs[0])
			continue;
		snprintf(path, sizeof(path), "%s/gring_gem", ctx->devs[i].debugfs);
		read_file(path, buf, sizeof(buf));
		if (sscanf(buf, "objects: %llu\nbytes: %llu", &objs, &bytes) == 2) {
			c->objects += objs;
			c->bytes += bytes;
		}
		snprintf(path, sizeof(path), "%s/gring_rings", ctx->devs[i].debugfs);
		read_file(path, c->rings + used, sizeof(c->rings) - used);
		used = strlen(c->rings);
	}
	read_file("/sys/module/gring/refcnt", buf, sizeof(buf));
	c->refcnt = strtol(buf, NULL, 10);
}

static bool counts_equal(const struct fz_counts *a, const struct fz_counts *b)
{
	return a->objects == b->objects && a->bytes == b->bytes &&
	       a->refcnt == b->refcnt && !strcmp(a->rings, b->rings);
}

/* --- devices -------------------------------------------------------------- */

/*
 * The debugfs directory of a node: dri/<minor of its primary node>, which
 * is the directory holding the driver's files (render minors have none
 * of their own in 6.12).
 */
static void find_debugfs(struct fz_dev *dev, int fd)
{
	char path[PATH_MAX], *primary;
	struct stat st;

	dev->debugfs[0] = '\0';
	if (fstat(fd, &st))
		return;
	primary = drmGetPrimaryDeviceNameFromFd(fd);
	if (primary && !stat(primary, &st))
		snprintf(path, sizeof(path), DEBUGFS_DRI "/%u/gring_gem",
			 minor(st.st_rdev));
	else
		path[0] = '\0';
	free(primary);
	if (path[0] && !access(path, R_OK)) {
		*strrchr(path, '/') = '\0';
		snprintf(dev->debugfs, sizeof(dev->debugfs), "%s", path);
	}
}

static int find_devices(struct fz_ctx *ctx)
{
	struct dirent **names;
	int i, n;

	n = scandir("/dev/dri", &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		struct fz_dev *dev = &ctx->devs[ctx->nr_devs];
		struct drm_gring_get_param p = { 0 };
		drmVersionPtr v;
		int fd;

		if (strncmp(names[i]->d_name, "renderD", 7) ||
		    ctx->nr_devs == FZ_MAX_DEVS)
			goto next;
		if (strlen(names[i]->d_name) >= sizeof(dev->path) - 10)
			goto next;
		strcpy(dev->path, "/dev/dri/");
		strcat(dev->path, names[i]->d_name);
		fd = open(dev->path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			goto next;
		v = drmGetVersion(fd);
		if (v && v->name && !strcmp(v->name, "gring")) {
			p.param = DRM_GRING_PARAM_ENGINES;
			if (!ioctl(fd, DRM_IOCTL_GRING_GET_PARAM, &p))
				dev->engines = p.value;
			find_debugfs(dev, fd);
			ctx->dev_paths[ctx->nr_devs] = dev->path;
			ctx->nr_devs++;
		}
		drmFreeVersion(v);
		close(fd);
next:
		free(names[i]);
	}
	free(names);
	return ctx->nr_devs ? 0 : -ENODEV;
}

/* --- the virtio-gpu function (--vgpu) ------------------------------------- */

#define PCI_DEVICES "/sys/bus/pci/devices"

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -errno : 0;
}

static void driver_of(const char *bdf, char *out, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	out[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		const char *name = strrchr(link, '/') + 1;
		size_t l = strnlen(name, len - 1);

		memcpy(out, name, l);
		out[l] = '\0';
	}
}

/* The bench's second 1af4:1050 function; the first stays with virtio. */
static bool second_vgpu(char *bdf, size_t len)
{
	struct dirent **names;
	char path[PATH_MAX], id[32];
	int i, n, seen = 0;
	bool found = false;

	n = scandir(PCI_DEVICES, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", names[i]->d_name);
		read_file(path, id, sizeof(id));
		if (!strncmp(id, "0x1af4", 6)) {
			snprintf(path, sizeof(path), PCI_DEVICES "/%s/device",
				 names[i]->d_name);
			read_file(path, id, sizeof(id));
			if (!strncmp(id, "0x1050", 6) && ++seen == 2 && !found &&
			    strlen(names[i]->d_name) < len) {
				strcpy(bdf, names[i]->d_name);
				found = true;
			}
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return found;
}

static int rebind(const char *bdf, const char *drv)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver/unbind", bdf);
	if (!access(path, F_OK) && (ret = write_text(path, bdf)))
		return ret;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", bdf);
	if ((ret = write_text(path, drv[0] ? drv : "\n")))
		return ret;
	return write_text("/sys/bus/pci/drivers_probe", bdf);
}

/* Bind it to gring and wait for its render node; @was gets the old driver. */
static int vgpu_bind(char *bdf, size_t len, char *was, size_t was_len)
{
	char path[PATH_MAX];
	struct dirent *de;
	int i, ret;
	DIR *d;

	if (!second_vgpu(bdf, len))
		return -ENODEV;
	driver_of(bdf, was, was_len);
	if (!strcmp(was, "gring"))
		return 0;
	ret = rebind(bdf, "gring");
	if (ret)
		return ret;
	/* mdev makes the node asynchronously: wait for it, up to 10 s. */
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/drm", bdf);
		d = opendir(path);
		while (d && (de = readdir(d))) {
			char node[300];

			if (strncmp(de->d_name, "renderD", 7))
				continue;
			snprintf(node, sizeof(node), "/dev/dri/%s", de->d_name);
			if (!access(node, R_OK | W_OK)) {
				closedir(d);
				return 0;
			}
		}
		if (d)
			closedir(d);
		usleep(100 * 1000);
	}
	return -ETIMEDOUT;
}

/* --- failure and reproducer ------------------------------------------------ */

void fz_fail(struct fz_ctx *ctx, struct fz_thread *t, const char *why)
{
	if (t && t->child) {
		/*
		 * In a forked child nothing shared may be locked (another
		 * thread may have held it at the fork): print from here, on
		 * a stream of our own.
		 */
		const struct fz_rec *recs[4096];
		struct fz_repro_info info = {
			.seed = ctx->opts.seed, .why = why,
			.dev_paths = ctx->dev_paths, .nr_devs = ctx->nr_devs,
		};
		unsigned int i, n = fz_log_len(&t->log);
		FILE *f = fdopen(dup(2), "w");

		if (t->child_failed || !f)
			return;
		t->child_failed = true;
		for (i = 0; i < n && i < 4096; i++)
			recs[i] = fz_log_at(&t->log, i);
		fprintf(f, "gring-fuzz: FAIL in a forked child (pid %d): %s\n",
			(int)getpid(), why);
		fz_repro_print(f, recs, n, &info);
		fclose(f);
		return;
	}
	pthread_mutex_lock(&ctx->fail_lock);
	if (!ctx->failed) {
		ctx->failed = true;
		snprintf(ctx->fail_why, sizeof(ctx->fail_why), "%s", why);
		ctx->fail_thread = t ? (int)t->idx : -1;
		/*
		 * A thread's failure is its newest call; the run's is
		 * whatever was made until now. Calls after it (the
		 * other threads', the final closes) are not shown.
		 */
		ctx->fail_gseq = t && t->log.count ?
			fz_log_at(&t->log, fz_log_len(&t->log) - 1)->gseq :
			atomic_load(&ctx->gseq);
	}
	pthread_mutex_unlock(&ctx->fail_lock);
	atomic_store(&ctx->stop, true);
}

static int cmp_gseq(const void *a, const void *b)
{
	const struct fz_rec *x = *(const struct fz_rec *const *)a;
	const struct fz_rec *y = *(const struct fz_rec *const *)b;

	return x->gseq < y->gseq ? -1 : x->gseq > y->gseq;
}

/*
 * The failing thread's last calls; for a failure no one thread made (a
 * kernel report, counts at the end), every thread's, merged in the order
 * they were made.
 */
static void print_repro(struct fz_ctx *ctx, FILE *f)
{
	unsigned int i, j, n = 0, total = 0;
	const struct fz_rec **recs;
	struct fz_repro_info info = {
		.seed = ctx->opts.seed, .why = ctx->fail_why,
		.dev_paths = ctx->dev_paths, .nr_devs = ctx->nr_devs,
	};

	for (i = 0; i < ctx->opts.threads; i++)
		total += fz_log_len(&ctx->threads[i].log);
	recs = calloc(total ? total : 1, sizeof(*recs));
	if (!recs)
		return;
	for (i = 0; i < ctx->opts.threads; i++) {
		if (ctx->fail_thread >= 0 && (int)i != ctx->fail_thread)
			continue;
		for (j = 0; j < fz_log_len(&ctx->threads[i].log); j++) {
			const struct fz_rec *r = fz_log_at(&ctx->threads[i].log, j);

			if (r->gseq <= ctx->fail_gseq)
				recs[n++] = r;
		}
	}
	qsort(recs, n, sizeof(*recs), cmp_gseq);
	if (n > ctx->opts.log_calls) {
		memmove(recs, recs + n - ctx->opts.log_calls,
			ctx->opts.log_calls * sizeof(*recs));
		n = ctx->opts.log_calls;
	}
	fz_repro_print(f, recs, n, &info);
	free(recs);
}

/* --- workers -------------------------------------------------------------- */

static int thread_init(struct fz_ctx *ctx, struct fz_thread *t, unsigned int idx)
{
	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->idx = idx;
	t->pool = &ctx->pool;
	fz_rng_seed(&t->rng, ctx->opts.seed, idx);
	t->guard = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->guard == MAP_FAILED)
		return -errno;
	mprotect(t->guard + 4096, 4096, PROT_NONE);
	return fz_log_init(&t->log, ctx->opts.log_calls);
}

static void *worker(void *arg)
{
	struct fz_thread *t = arg;
	struct fz_ctx *ctx = t->ctx;

	t->tid = (pid_t)syscall(SYS_gettid);
	while (!atomic_load(&ctx->stop)) {
		if (ctx->opts.calls && atomic_load(&ctx->gseq) >= ctx->opts.calls)
			break;
		fz_step(t);
	}
	return NULL;
}

/* --- reporting ------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Totals over threads: per kind and errno, relaxed reads of live counters. */
static void sum_counts(const struct fz_ctx *ctx, uint64_t (*sum)[FZ_ERRNO_MAX])
{
	unsigned int i, k, e;

	memset(sum, 0, sizeof(uint64_t) * FZ_NR_KINDS * FZ_ERRNO_MAX);
	for (i = 0; i < ctx->opts.threads; i++)
		for (k = 0; k < FZ_NR_KINDS; k++)
			for (e = 0; e < FZ_ERRNO_MAX; e++)
				sum[k][e] += __atomic_load_n(&ctx->threads[i].counts[k][e],
							     __ATOMIC_RELAXED);
}

static void progress(const struct fz_ctx *ctx, double elapsed,
		     uint64_t (*sum)[FZ_ERRNO_MAX])
{
	uint64_t by_err[FZ_ERRNO_MAX] = { 0 }, total = 0;
	unsigned int k, e, shown;
	char buf[16];

	sum_counts(ctx, sum);
	for (k = 0; k < FZ_NR_KINDS; k++)
		for (e = 0; e < FZ_ERRNO_MAX; e++) {
			by_err[e] += sum[k][e];
			total += sum[k][e];
		}
	fprintf(stderr, "gring-fuzz: %6.1f s %9" PRIu64 " calls %7.0f/s  ok %.0f%%",
		elapsed, total, elapsed > 0 ? total / elapsed : 0,
		total ? 100.0 * by_err[0] / total : 0);
	for (shown = 0; shown < 4; shown++) {
		unsigned int best = 0;

		for (e = 1; e < FZ_ERRNO_MAX; e++)
			if (by_err[e] > by_err[best] || !best)
				best = by_err[e] ? e : best;
		if (!best || !by_err[best])
			break;
		fprintf(stderr, "  %s %.0f%%", fz_errno_name(best, buf, sizeof(buf)),
			100.0 * by_err[best] / total);
		by_err[best] = 0;
	}
	fputc('\n', stderr);
}

static void summary(const struct fz_ctx *ctx, double elapsed,
		    uint64_t (*sum)[FZ_ERRNO_MAX], const char *counts_note)
{
	uint64_t total = 0;
	unsigned int k, e;
	char buf[16];

	for (k = 0; k < FZ_NR_KINDS; k++)
		for (e = 0; e < FZ_ERRNO_MAX; e++)
			total += sum[k][e];

	if (ctx->opts.json) {
		struct json_object *o = json_object_new_object();
		struct json_object *calls = json_object_new_object();

		json_object_object_add(o, "seed", json_object_new_uint64(ctx->opts.seed));
		json_object_object_add(o, "threads", json_object_new_int(ctx->opts.threads));
		json_object_object_add(o, "seconds", json_object_new_double(elapsed));
		json_object_object_add(o, "calls", json_object_new_uint64(total));
		json_object_object_add(o, "calls_per_second",
				       json_object_new_double(elapsed > 0 ? total / elapsed : 0));
		for (k = 0; k < FZ_NR_KINDS; k++) {
			struct json_object *c = json_object_new_object();
			struct json_object *errs = json_object_new_object();
			uint64_t n = 0;

			for (e = 0; e < FZ_ERRNO_MAX; e++) {
				n += sum[k][e];
				if (e && sum[k][e])
					json_object_object_add(errs,
						fz_errno_name(e, buf, sizeof(buf)),
						json_object_new_uint64(sum[k][e]));
			}
			json_object_object_add(c, "calls", json_object_new_uint64(n));
			json_object_object_add(c, "ok", json_object_new_uint64(sum[k][0]));
			json_object_object_add(c, "errors", errs);
			json_object_object_add(calls, fz_kind_name(k), c);
		}
		json_object_object_add(o, "per_call", calls);
		json_object_object_add(o, "verdict",
				       json_object_new_string(ctx->failed ? "fail" : "pass"));
		if (ctx->failed)
			json_object_object_add(o, "failure",
					       json_object_new_string(ctx->fail_why));
		json_object_object_add(o, "counts", json_object_new_string(counts_note));
		printf("%s\n", json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		return;
	}

	printf("gring-fuzz: seed %" PRIu64 ", %u thread(s), %" PRIu64
	       " calls in %.1f s (%.0f/s)\n", ctx->opts.seed, ctx->opts.threads,
	       total, elapsed, elapsed > 0 ? total / elapsed : 0);
	for (k = 0; k < FZ_NR_KINDS; k++) {
		uint64_t n = 0;

		for (e = 0; e < FZ_ERRNO_MAX; e++)
			n += sum[k][e];
		if (!n)
			continue;
		printf("  %-24s %9" PRIu64 "  ok %9" PRIu64, fz_kind_name(k), n,
		       sum[k][0]);
		for (e = 1; e < FZ_ERRNO_MAX; e++)
			if (sum[k][e])
				printf("  %s %" PRIu64,
				       fz_errno_name(e, buf, sizeof(buf)), sum[k][e]);
		putchar('\n');
	}
	printf("gring-fuzz: driver counts: %s\n", counts_note);
	printf("gring-fuzz: %s%s%s (seed %" PRIu64 ", %" PRIu64 " calls)\n",
	       ctx->failed ? "FAIL: " : "PASS", ctx->failed ? ctx->fail_why : "",
	       "", ctx->opts.seed, total);
}

/* --- main ----------------------------------------------------------------- */

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && *s && !*end;
}

static int parse_opts(int argc, char **argv, struct fz_opts *o, const char **repro)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "threads", required_argument, NULL, 't' },
		{ "mutate", required_argument, NULL, 'm' },
		{ "no-fork", no_argument, NULL, 'F' },
		{ "vgpu", no_argument, NULL, 'V' },
		{ "log-calls", required_argument, NULL, 'l' },
		{ "repro", required_argument, NULL, 'r' },
		{ "progress", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool have_seed = false;
	uint64_t v;
	int c;

	*o = (struct fz_opts){
		.threads = 2, .log_calls = 50, .mutate_pct = 30, .fork = true,
		.progress_s = 5,
	};
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!parse_u64(optarg, &o->seed))
				goto bad;
			have_seed = true;
			break;
		case 'c':
			if (!parse_u64(optarg, &o->calls))
				goto bad;
			break;
		case 'S':
			o->seconds = strtod(optarg, NULL);
			if (o->seconds <= 0)
				goto bad;
			break;
		case 't':
			if (!parse_u64(optarg, &v) || !v || v > 64)
				goto bad;
			o->threads = v;
			break;
		case 'm':
			if (!parse_u64(optarg, &v) || v > 100)
				goto bad;
			o->mutate_pct = v;
			break;
		case 'F':
			o->fork = false;
			break;
		case 'V':
			o->vgpu = true;
			break;
		case 'l':
			if (!parse_u64(optarg, &v) || !v || v > 4096)
				goto bad;
			o->log_calls = v;
			break;
		case 'r':
			*repro = optarg;
			break;
		case 'p':
			o->progress_s = strtod(optarg, NULL);
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			goto bad_usage;
		}
	}
	if (optind != argc)
		goto bad_usage;
	if (!o->calls && !o->seconds)
		o->seconds = 10;
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		o->seed = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
		o->seed ^= (uint64_t)getpid() << 32;
	}
	return 0;
bad:
	fprintf(stderr, "gring-fuzz: bad value: %s\n", optarg);
bad_usage:
	usage(stderr);
	return -1;
}

int main(int argc, char **argv)
{
	static uint64_t sum[FZ_NR_KINDS][FZ_ERRNO_MAX];
	struct fz_counts before, after;
	char bdf[64] = "", was[64] = "", line[512], note[600];
	const char *repro = NULL;
	struct fz_ctx *ctx;
	pthread_t *tids;
	double start, next_progress, elapsed;
	unsigned int i;
	int kmsg, ret;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return 2;
	if (parse_opts(argc, argv, &ctx->opts, &repro))
		return 2;
	pthread_mutex_init(&ctx->fail_lock, NULL);
	fz_pool_init(&ctx->pool);
	fprintf(stderr, "gring-fuzz: seed %" PRIu64 " (--seed %" PRIu64 " repeats it%s)\n",
		ctx->opts.seed, ctx->opts.seed,
		ctx->opts.threads > 1 ? " up to the threads' interleaving" : "");

	/* Reports already in the log are not this run's, but are shown. */
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg < 0)
		fprintf(stderr, "gring-fuzz: warning: cannot read /dev/kmsg (%m): "
			"kernel reports will not be seen\n");
	if (kmsg_scan(kmsg, line, sizeof(line)))
		fprintf(stderr, "gring-fuzz: note: the kernel log had a report before the run: %s\n",
			line);

	if (ctx->opts.vgpu) {
		ret = vgpu_bind(bdf, sizeof(bdf), was, sizeof(was));
		if (ret) {
			fprintf(stderr, "gring-fuzz: --vgpu: cannot bind the second virtio-gpu function to gring: %s\n",
				strerror(-ret));
			return 2;
		}
		fprintf(stderr, "gring-fuzz: %s bound to gring (was: %s)\n", bdf,
			was[0] ? was : "none");
	}
	ret = find_devices(ctx);
	if (ret) {
		fprintf(stderr, "gring-fuzz: no gring render node: %s\n", strerror(-ret));
		return 2;
	}
	for (i = 0; i < ctx->nr_devs; i++)
		fprintf(stderr, "gring-fuzz: device %u: %s engines 0x%" PRIx64 " debugfs %s\n",
			i, ctx->devs[i].path, ctx->devs[i].engines,
			ctx->devs[i].debugfs[0] ? ctx->devs[i].debugfs : "(none: counts unchecked)");
	read_counts(ctx, &before);

	ctx->threads = calloc(ctx->opts.threads, sizeof(*ctx->threads));
	tids = calloc(ctx->opts.threads, sizeof(*tids));
	if (!ctx->threads || !tids)
		return 2;
	for (i = 0; i < ctx->opts.threads; i++)
		if (thread_init(ctx, &ctx->threads[i], i))
			return 2;
	if (fz_open_devices(&ctx->threads[0])) {
		fprintf(stderr, "gring-fuzz: cannot open the devices\n");
		return 2;
	}

	start = now_s();
	next_progress = start + ctx->opts.progress_s;
	for (i = 0; i < ctx->opts.threads; i++)
		pthread_create(&tids[i], NULL, worker, &ctx->threads[i]);
	for (;;) {
		double now = now_s();
		bool done = true;

		if (kmsg_scan(kmsg, line, sizeof(line))) {
			snprintf(note, sizeof(note), "kernel log: %s", line);
			fz_fail(ctx, NULL, note);
		}
		if (ctx->opts.seconds && now - start >= ctx->opts.seconds)
			atomic_store(&ctx->stop, true);
		if (ctx->opts.progress_s > 0 && now >= next_progress) {
			progress(ctx, now - start, sum);
			next_progress += ctx->opts.progress_s;
		}
		if (!atomic_load(&ctx->stop) && !(ctx->opts.calls &&
		    atomic_load(&ctx->gseq) >= ctx->opts.calls))
			done = false;
		if (done)
			break;
		usleep(50 * 1000);
	}
	atomic_store(&ctx->stop, true);
	for (i = 0; i < ctx->opts.threads; i++)
		pthread_join(tids[i], NULL);
	elapsed = now_s() - start;

	/*
	 * Close everything, then wait for the jobs still in flight to
	 * finish and free what they hold (a hung one takes the engine's
	 * timeout).
	 */
	fz_pool_drain(&ctx->threads[0]);
	for (i = 0; i < SETTLE_S * 10; i++) {
		read_counts(ctx, &after);
		if (counts_equal(&before, &after))
			break;
		usleep(100 * 1000);
	}
	if (counts_equal(&before, &after)) {
		snprintf(note, sizeof(note), "back to baseline (%" PRIu64 " BOs, %"
			 PRIu64 " bytes, module refcount %ld)", before.objects,
			 before.bytes, before.refcnt);
	} else {
		snprintf(note, sizeof(note),
			 "not back to baseline after %d s: BOs %" PRIu64 " -> %" PRIu64
			 ", bytes %" PRIu64 " -> %" PRIu64 ", module refcount %ld -> %ld%s",
			 SETTLE_S, before.objects, after.objects, before.bytes,
			 after.bytes, before.refcnt, after.refcnt,
			 strcmp(before.rings, after.rings) ? ", rings left in debugfs gring_rings" : "");
		fz_fail(ctx, NULL, note);
	}
	/* What the last closes and frees made the kernel say. */
	if (kmsg_scan(kmsg, line, sizeof(line))) {
		char why[600];

		snprintf(why, sizeof(why), "kernel log: %s", line);
		fz_fail(ctx, NULL, why);
	}

	if (ctx->opts.vgpu && strcmp(was, "gring") && rebind(bdf, was))
		fprintf(stderr, "gring-fuzz: warning: could not give %s back to %s\n",
			bdf, was[0] ? was : "no driver");

	sum_counts(ctx, sum);
	if (ctx->failed) {
		fprintf(stderr, "gring-fuzz: FAIL: %s\n", ctx->fail_why);
		fprintf(stderr, "gring-fuzz: seed %" PRIu64 "; the last calls%s as a C program:\n",
			ctx->opts.seed, ctx->fail_thread >= 0 ? " of the failing thread" :
			" of all threads, in order");
		fprintf(stderr, "----- 8< ----- reproducer -----\n");
		print_repro(ctx, stderr);
		fprintf(stderr, "----- >8 -----\n");
		if (repro) {
			FILE *f = fopen(repro, "w");

			if (f) {
				print_repro(ctx, f);
				fclose(f);
			}
		}
	}
	summary(ctx, elapsed, sum, note);
	return ctx->failed ? 1 : 0;
}
