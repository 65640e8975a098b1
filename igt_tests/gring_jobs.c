// SPDX-License-Identifier: MIT
/*
 * gring_jobs: the job layer's contract of uapi version 5 -- a job outlives
 * its ring and its file (RING_DESTROY and close return at once, the job
 * runs on and its fence tells how it ended), rings cost no kernel thread
 * and a file has at most DRM_GRING_PARAM_MAX_RINGS of them, jobs' fences
 * sit in their BOs' dma_resv (dma-buf poll and DMA_BUF_IOCTL_SYNC wait for
 * them), and a job whose in-fence failed is skipped with -ECANCELED;
 * and (uapi 6) a ring's status page.
 *
 * Every expected value is the test's own: the words it asked jobs to
 * write, the stalls it asked for, the errnos the uapi documents.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "gring_ring_test.h"

IGT_TEST_DESCRIPTION("Jobs outlive their rings and files; rings cost no thread; jobs' fences in dma_resv; failed dependencies cancel.");

#define MSEC(ms)	((uint64_t)(ms) * NSEC_PER_MSEC)
/* Generous for TCG: the longest a wait for a short job may take. */
#define JOB_WAIT	(10 * NSEC_PER_SEC)

static uint64_t ms_of(uint64_t ns)
{
	return ns / NSEC_PER_MSEC;
}

/* The soft engine's job timeout, from the module parameter. */
static uint64_t job_timeout_ns(void)
{
	return MSEC(igt_gring_read_u64("/sys/module/gring/parameters/job_timeout_ms"));
}

/*
 * A BO exported as a dma-buf and mapped through the dma-buf: the mapping
 * holds the dma-buf, hence the BO, but not the DRM file, so the file can
 * really be closed while the test still reads the BO. (A mapping of the
 * DRM fd itself would hold the file open.)
 */
struct shared_bo {
	uint32_t handle;
	int dmabuf;
	uint64_t size;
	volatile uint32_t *map;
};

static struct shared_bo shared_bo_create(int fd, uint64_t size)
{
	struct shared_bo b = {
		.handle = igt_gring_gem_create(fd, size, &b.size),
	};
	void *p;

	b.dmabuf = igt_gring_prime_export(fd, b.handle);
	p = mmap(NULL, b.size, PROT_READ | PROT_WRITE, MAP_SHARED, b.dmabuf, 0);
	igt_assert_f(p != MAP_FAILED, "mmap of the dma-buf: %m\n");
	b.map = p;
	return b;
}

static void shared_bo_fini(struct shared_bo *b)
{
	munmap((void *)b->map, b->size);
	close(b->dmabuf);
}

/* One job [STALL @stall_ns, WRITE32 @v at @bo + @off], fence to @out. */
static uint64_t submit_stall_write(int fd, uint32_t ring, uint64_t stall_ns,
				   uint32_t bo, uint64_t off, uint32_t v,
				   uint32_t out)
{
	struct drm_gring_cmd cmds[] = {
		cmd_stall(stall_ns),
		cmd_write32(bo, off, v),
	};

	return submit(fd, ring, cmds, 2, out);
}

static int export_sync_file(int fd, uint32_t syncobj)
{
	int sf = -1;

	igt_assert_eq(drmSyncobjExportSyncFile(fd, syncobj, &sf), 0);
	igt_assert(sf >= 0);
	return sf;
}

/* poll() one fd for @events for up to @timeout_ns; returns revents. */
static short poll_one(int fd, short events, uint64_t timeout_ns)
{
	const uint64_t end = now_ns() + timeout_ns;
	struct pollfd p = { .fd = fd, .events = events };
	int ret;

	for (;;) {
		uint64_t now = now_ns();
		int ms = now >= end ? 0 : (int)((end - now + NSEC_PER_MSEC - 1) /
						NSEC_PER_MSEC);

		ret = poll(&p, 1, ms);
		if (ret >= 0)
			break;
		igt_assert_f(errno == EINTR, "poll: %m\n");
	}
	return ret ? p.revents : 0;
}

/* Has the sync_file signalled within @timeout_ns? */
static bool sync_file_wait(int sf, uint64_t timeout_ns)
{
	return poll_one(sf, POLLIN, timeout_ns) & POLLIN;
}

/* A fence name from SYNC_IOC_FILE_INFO: terminated, non-empty, printable. */
static void assert_fence_name(const char *what, const char *name, size_t room)
{
	size_t len = strnlen(name, room), i;

	igt_assert_f(len < room, "%s is not NUL-terminated in its %zu bytes\n",
		     what, room);
	igt_assert_f(len > 0, "%s is empty\n", what);
	for (i = 0; i < len; i++)
		igt_assert_f(isprint((unsigned char)name[i]),
			     "%s has byte %#x at %zu: not a name (freed memory?)\n",
			     what, (unsigned char)name[i], i);
}

/*
 * SYNC_IOC_FILE_INFO the way userspace does it: once for the number of
 * fences, once for their array. Every fence's driver and timeline names
 * are read and checked (they come from the fence's ops, which must still
 * be there). Returns the sync_file's status: 0 busy, 1 signalled, or the
 * error; each fence's status must agree with it.
 */
static int sync_file_info(int sf)
{
	struct sync_file_info info = {};
	struct sync_fence_info *fences;
	unsigned int i, n;
	int busy = 0, err = 0;

	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	n = info.num_fences;
	igt_assert_f(n >= 1 && n <= 64, "num_fences %u\n", n);

	fences = calloc(n, sizeof(*fences));
	igt_assert(fences);
	memset(&info, 0, sizeof(info));
	info.num_fences = n;
	info.sync_fence_info = (uintptr_t)fences;
	igt_assert_eq(ioctl(sf, SYNC_IOC_FILE_INFO, &info), 0);
	igt_assert_eq(info.num_fences, n);

	for (i = 0; i < n; i++) {
		assert_fence_name("driver_name", fences[i].driver_name,
				  sizeof(fences[i].driver_name));
		assert_fence_name("obj_name", fences[i].obj_name,
				  sizeof(fences[i].obj_name));
		igt_debug("fence %u: driver \"%s\" timeline \"%s\" status %d\n",
			  i, fences[i].driver_name, fences[i].obj_name,
			  fences[i].status);
		igt_assert_f(fences[i].status <= 1, "fence %u: status %d\n", i,
			     fences[i].status);
		if (fences[i].status == 0)
			busy = 1;
		else if (fences[i].status < 0 && !err)
			err = fences[i].status;
	}
	free(fences);

	/* The file's status: an error once signalled, else busy or 1. */
	if (!busy)
		igt_assert_eq(info.status, err ? err : 1);
	else if (!err)
		igt_assert_eq(info.status, 0);
	return info.status;
}

/*
 * What fence-after-destroy and fence-after-close share, once the job's
 * ring or file is gone: the job [STALL 300 ms, WRITE32] behind @sf is
 * still running, its sync_file answers FILE_INFO and poll(), then signals
 * with status 1, and the word is there in @word.
 */
static void fence_outlives(int sf, volatile uint32_t *word, uint32_t v,
			   uint64_t submitted)
{
	int status = sync_file_info(sf);

	igt_info("%" PRIu64 " ms after submit: sync_file status %d\n",
		 ms_of(now_ns() - submitted), status);
	igt_assert_f(status == 0,
		     "the job's fence is %d right after its ring went, before its 300 ms stall could end: the job did not run on\n",
		     status);
	igt_assert_eq(poll_one(sf, POLLIN, 0), 0);

	igt_assert_f(sync_file_wait(sf, JOB_WAIT),
		     "the job's fence did not signal in %" PRIu64 " ms\n",
		     ms_of(JOB_WAIT));
	status = sync_file_info(sf);
	igt_assert_f(status == 1, "the job's fence ended with %d (%s), not 1\n",
		     status, strerror(-status));
	igt_assert_eq_u32(*word, v);
}

static void test_fence_after_destroy(int fd)
{
	const uint64_t page = igt_gring_page_size(), off = 0x40;
	const uint32_t v = 0xde57c0de;
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, page);
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	uint64_t t0;
	int sf;

	map[off / 4] = ~v;
	t0 = now_ns();
	submit_stall_write(fd, ring, MSEC(300), bo, off, v, sync);
	sf = export_sync_file(fd, sync);
	ring_destroy(fd, ring);

	fence_outlives(sf, &map[off / 4], v, t0);
	/* The syncobj, still this file's, holds the same fence. */
	igt_assert_eq(syncobj_wait(fd, sync, JOB_WAIT), 0);
	igt_assert_eq(syncobj_status(fd, sync), 1);

	close(sf);
	drmSyncobjDestroy(fd, sync);
	munmap((void *)map, page);
	gem_close(fd, bo);
}

static void test_fence_after_close(int fd)
{
	const uint64_t off = 0x80;
	const uint32_t v = 0xc105edf1;
	int other = igt_gring_reopen(fd);
	struct shared_bo b = shared_bo_create(other, igt_gring_page_size());
	uint32_t ring = ring_create(other, 0), sync = syncobj_create(other);
	uint64_t t0;
	int sf;

	b.map[off / 4] = ~v;
	t0 = now_ns();
	submit_stall_write(other, ring, MSEC(300), b.handle, off, v, sync);
	sf = export_sync_file(other, sync);
	close(other);

	fence_outlives(sf, &b.map[off / 4], v, t0);

	close(sf);
	shared_bo_fini(&b);
}

/* Distinct values for the jobs of destroy-lets-jobs-finish. */
static uint32_t job_value(unsigned int i)
{
	return word_pattern(i, 0x10b5f1e1);
}

static void test_destroy_lets_jobs_finish(int fd)
{
	enum { JOBS = 4 };
	const uint64_t page = igt_gring_page_size(), stall = MSEC(200);
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	volatile uint32_t *map = igt_gring_gem_mmap(fd, bo, page);
	uint32_t ring = ring_create(fd, 0), sync[JOBS];
	int sf[JOBS], status[JOBS];
	bool signalled[JOBS], ok = true;
	uint64_t t0, took;
	unsigned int i;

	for (i = 0; i < JOBS; i++) {
		map[i] = ~job_value(i);
		sync[i] = syncobj_create(fd);
		submit_stall_write(fd, ring, stall, bo, i * 4ull, job_value(i),
				   sync[i]);
		sf[i] = export_sync_file(fd, sync[i]);
	}
	t0 = now_ns();
	ring_destroy(fd, ring);
	took = now_ns() - t0;

	for (i = 0; i < JOBS; i++) {
		signalled[i] = sync_file_wait(sf[i], JOB_WAIT);
		status[i] = signalled[i] ? sync_file_info(sf[i]) : 0;
	}
	igt_info("RING_DESTROY took %" PRIu64 " ms with %d jobs of %" PRIu64 " ms queued\n",
		 ms_of(took), JOBS, ms_of(stall));
	for (i = 0; i < JOBS; i++) {
		igt_info("job %u: fence %s, status %d; word %#x, expected %#x\n",
			 i, signalled[i] ? "signalled" : "NOT signalled",
			 status[i], map[i], job_value(i));
		ok &= signalled[i] && status[i] == 1 && map[i] == job_value(i);
	}

	igt_assert_f(took < MSEC(150),
		     "RING_DESTROY took %" PRIu64 " ms: it waited for the jobs\n",
		     ms_of(took));
	igt_assert_f(ok, "a job queued before RING_DESTROY did not end with status 1 and its word written\n");

	for (i = 0; i < JOBS; i++) {
		close(sf[i]);
		drmSyncobjDestroy(fd, sync[i]);
	}
	munmap((void *)map, page);
	gem_close(fd, bo);
}

static void test_close_returns_early(int fd)
{
	const uint64_t off = 0x100;
	const uint32_t v = 0x5106c105;
	/* Below the job timeout, so the job must complete, not be cancelled. */
	const uint64_t timeout = job_timeout_ns();
	const uint64_t stall = timeout * 3 / 4 < MSEC(1500) ? timeout * 3 / 4 :
							     MSEC(1500);
	int other = igt_gring_reopen(fd);
	struct shared_bo b = shared_bo_create(other, igt_gring_page_size());
	uint32_t ring = ring_create(other, 0), sync = syncobj_create(other);
	uint64_t t0, t1, t2;
	int sf, status;

	igt_require_f(stall >= MSEC(600),
		      "job_timeout_ms %" PRIu64 " leaves no room for a long job\n",
		      ms_of(timeout));
	b.map[off / 4] = ~v;
	t0 = now_ns();
	submit_stall_write(other, ring, stall, b.handle, off, v, sync);
	sf = export_sync_file(other, sync);
	t1 = now_ns();
	close(other);
	t2 = now_ns();

	igt_info("close took %" PRIu64 " ms with a %" PRIu64 " ms job running\n",
		 ms_of(t2 - t1), ms_of(stall));
	igt_assert_f(t2 - t1 < MSEC(500),
		     "close took %" PRIu64 " ms: it waited for the job\n",
		     ms_of(t2 - t1));

	igt_assert_f(sync_file_wait(sf, stall + JOB_WAIT),
		     "the job's fence did not signal\n");
	t2 = now_ns();
	status = sync_file_info(sf);
	igt_info("fence signalled %" PRIu64 " ms after submit, status %d\n",
		 ms_of(t2 - t0), status);
	igt_assert_f(status == 1, "the job ended with %d (%s), not 1\n",
		     status, strerror(-status));
	igt_assert_f(t2 - t0 >= stall,
		     "the fence signalled %" PRIu64 " ms after submit, before the %" PRIu64 " ms stall ended\n",
		     ms_of(t2 - t0), ms_of(stall));
	igt_assert_eq_u32(b.map[off / 4], v);

	close(sf);
	shared_bo_fini(&b);
}

/* --- kernel threads ------------------------------------------------------ */

/* <linux/sched.h>: the task is a kernel thread. */
#define PF_KTHREAD	0x00200000u

struct kthreads {
	unsigned int total;
	/*
	 * Sorted names of kernel threads with "gring" in their name, pool
	 * kworkers left out.
	 */
	char **gring;
	unsigned int ngring;
};

/*
 * A kworker of a shared pool: /proc shows it as "kworker/<pool>:<id>"
 * followed by the workqueue it last worked for ("-gring-soft"), which says
 * nothing about who owns it. A workqueue's own rescuer, "kworker/R-<wq>",
 * is that workqueue's thread, and counts.
 */
static bool pool_kworker(const char *comm)
{
	return !strncmp(comm, "kworker/", 8) && strncmp(comm, "kworker/R-", 10);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The kernel threads now: every /proc/<pid> whose stat has PF_KTHREAD in
 * its flags (field 9), named by comm (field 2, which may hold spaces and
 * parentheses: it ends at the last ')').
 */
static struct kthreads kthreads_now(void)
{
	struct kthreads k = {};
	unsigned int room = 0;
	struct dirent *e;
	DIR *proc = opendir("/proc");

	igt_assert(proc);
	while ((e = readdir(proc))) {
		char path[300], buf[512], *lparen, *rparen;
		unsigned long flags;
		ssize_t len;
		int f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = open(path, O_RDONLY | O_CLOEXEC);
		if (f < 0)
			continue; /* gone meanwhile */
		len = read(f, buf, sizeof(buf) - 1);
		close(f);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		lparen = strchr(buf, '(');
		rparen = strrchr(buf, ')');
		igt_assert_f(lparen && rparen > lparen, "%s: \"%s\"\n", path,
			     buf);
		/* ") S ppid pgrp session tty tpgid flags" */
		igt_assert_f(sscanf(rparen + 1, " %*c %*d %*d %*d %*d %*d %lu",
				    &flags) == 1, "%s: \"%s\"\n", path, buf);
		if (!(flags & PF_KTHREAD))
			continue;
		k.total++;
		*rparen = '\0';
		if (!strstr(lparen + 1, "gring") || pool_kworker(lparen + 1))
			continue;
		if (k.ngring == room) {
			room = room ? 2 * room : 16;
			k.gring = realloc(k.gring, room * sizeof(*k.gring));
			igt_assert(k.gring);
		}
		k.gring[k.ngring] = strdup(lparen + 1);
		igt_assert(k.gring[k.ngring]);
		k.ngring++;
	}
	closedir(proc);
	if (k.ngring)
		qsort(k.gring, k.ngring, sizeof(*k.gring), cmp_name);
	return k;
}

static void kthreads_print(const char *when, const struct kthreads *k)
{
	unsigned int i;

	igt_info("%s: %u kernel threads; %u named *gring*, pool kworkers aside%s\n", when, k->total,
		 k->ngring, k->ngring ? ":" : "");
	for (i = 0; i < k->ngring && i < 8; i++)
		igt_info("  %s\n", k->gring[i]);
	if (k->ngring > 8)
		igt_info("  ... and %u more\n", k->ngring - 8);
}

static bool kthreads_same_gring(const struct kthreads *a,
				const struct kthreads *b)
{
	unsigned int i;

	if (a->ngring != b->ngring)
		return false;
	for (i = 0; i < a->ngring; i++)
		if (strcmp(a->gring[i], b->gring[i]))
			return false;
	return true;
}

static void kthreads_free(struct kthreads *k)
{
	unsigned int i;

	for (i = 0; i < k->ngring; i++)
		free(k->gring[i]);
	free(k->gring);
}

static int __max_rings(int fd, uint64_t *max)
{
	struct drm_gring_get_param p = { .param = DRM_GRING_PARAM_MAX_RINGS };
	int ret = __igt_gring_get_param(fd, &p);

	if (!ret)
		*max = p.value;
	return ret;
}

/*
 * 1000 rings, on as many files as DRM_GRING_PARAM_MAX_RINGS asks for: the
 * kernel's threads are the same before and after (not one per ring, nor
 * one per file). Unrelated kworkers may come and go meanwhile: the total
 * may grow by 2, the threads named after gring (a rescuer is named after
 * its workqueue) not at all.
 */
static void test_rings_no_thread(int fd)
{
	const unsigned int rings = 1000;
	struct kthreads before, after;
	uint64_t per_file;
	unsigned int files, i;
	int *fds, ret;

	ret = __max_rings(fd, &per_file);
	if (ret) {
		/* rings-per-file-limit fails for that; here only the threads count. */
		igt_warn("GET_PARAM(MAX_RINGS): %d; assuming 64 rings per file\n",
			 ret);
		per_file = 64;
	}
	igt_assert(per_file >= 1);
	files = (rings + per_file - 1) / per_file;
	fds = calloc(files, sizeof(*fds));
	igt_assert(fds);

	before = kthreads_now();
	for (i = 0; i < files; i++)
		fds[i] = igt_gring_reopen(fd);
	for (i = 0; i < rings; i++)
		ring_create(fds[i / per_file], DRM_GRING_RING_SIZE_MIN);
	after = kthreads_now();

	igt_info("%u rings on %u files (%" PRIu64 " per file)\n", rings, files,
		 per_file);
	kthreads_print("before", &before);
	kthreads_print("with the rings", &after);
	for (i = 0; i < files; i++)
		close(fds[i]);
	free(fds);

	igt_assert_f(kthreads_same_gring(&before, &after),
		     "kernel threads named after gring: %u before, %u with %u rings\n",
		     before.ngring, after.ngring, rings);
	igt_assert_f(after.total <= before.total + 2,
		     "%u kernel threads before, %u with %u rings\n",
		     before.total, after.total, rings);
	kthreads_free(&before);
	kthreads_free(&after);
}

/*
 * A file holds at most MAX_RINGS rings: the next RING_CREATE is -EMFILE,
 * writes nothing and creates nothing (destroying one lets exactly one more
 * in); another file is not limited by this one's.
 */
static void test_rings_per_file_limit(int fd)
{
	int own = igt_gring_reopen(fd), other;
	struct drm_gring_ring_create rc = {
		.engine = DRM_GRING_ENGINE_SOFT,
		.size = DRM_GRING_RING_SIZE_MIN,
		.ring_id = UNTOUCHED,
	};
	uint32_t *ids;
	uint64_t max = 0, i;
	int ret = __max_rings(own, &max);

	igt_assert_f(ret == 0,
		     "GET_PARAM(DRM_GRING_PARAM_MAX_RINGS) failed with %d (%s): a version 5 kernel has it\n",
		     ret, strerror(-ret));
	igt_info("MAX_RINGS %" PRIu64 "\n", max);
	igt_assert(max >= 1 && max <= 65536);

	ids = calloc(max, sizeof(*ids));
	igt_assert(ids);
	for (i = 0; i < max; i++)
		ids[i] = ring_create(own, DRM_GRING_RING_SIZE_MIN);

	igt_assert_eq(__ring_create(own, &rc), -EMFILE);
	igt_assert_eq_u32(rc.ring_id, UNTOUCHED);
	igt_assert_eq_u32(rc.size, DRM_GRING_RING_SIZE_MIN);

	/* The limit is this file's. */
	other = igt_gring_reopen(fd);
	ring_create(other, DRM_GRING_RING_SIZE_MIN);
	close(other);

	/* The refused create took no slot: one destroyed, one more fits. */
	ring_destroy(own, ids[max / 2]);
	ids[max / 2] = ring_create(own, DRM_GRING_RING_SIZE_MIN);
	igt_assert_eq(__ring_create(own, &rc), -EMFILE);
	igt_assert_eq_u32(rc.ring_id, UNTOUCHED);

	free(ids);
	close(own);
}

/* --- implicit sync through dma_resv -------------------------------------- */

static void test_dmabuf_poll(int fd)
{
	const uint64_t off = 0x20, stall = MSEC(400);
	const uint32_t v = 0xb0f5a11e;
	struct shared_bo b = shared_bo_create(fd, igt_gring_page_size());
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	short out_busy, in_busy, out_done, in_done;
	uint64_t t0, t1;
	int job_busy;

	b.map[off / 4] = ~v;
	t0 = now_ns();
	submit_stall_write(fd, ring, stall, b.handle, off, v, sync);
	out_busy = poll_one(b.dmabuf, POLLOUT, 0);
	in_busy = poll_one(b.dmabuf, POLLIN, 0);
	job_busy = syncobj_status(fd, sync) == 0;
	out_done = poll_one(b.dmabuf, POLLOUT, JOB_WAIT);
	t1 = now_ns();
	/* Ready for writing: the job's write is done, so is reading. */
	in_done = poll_one(b.dmabuf, POLLIN, 0);

	igt_info("job running: POLLOUT %s, POLLIN %s; POLLOUT after %" PRIu64 " ms\n",
		 out_busy & POLLOUT ? "ready" : "not ready",
		 in_busy & POLLIN ? "ready" : "not ready", ms_of(t1 - t0));
	igt_assert_f(job_busy, "the job ended before the polls: nothing proven\n");
	igt_assert_f(!(out_busy & POLLOUT),
		     "poll(POLLOUT) on the dma-buf is ready while a job writes it\n");
	igt_assert_f(!(in_busy & POLLIN),
		     "poll(POLLIN) on the dma-buf is ready while a job writes it\n");
	igt_assert_f(out_done & POLLOUT, "poll(POLLOUT) never got ready\n");
	igt_assert_f(t1 - t0 >= MSEC(300),
		     "poll(POLLOUT) ready %" PRIu64 " ms after submit, before the %" PRIu64 " ms stall\n",
		     ms_of(t1 - t0), ms_of(stall));
	igt_assert_f(in_done & POLLIN, "poll(POLLIN) not ready after the job\n");
	/* Ready means the write is done: the word is there. */
	igt_assert_eq_u32(b.map[off / 4], v);
	igt_assert_eq(syncobj_wait(fd, sync, JOB_WAIT), 0);
	igt_assert_eq(syncobj_status(fd, sync), 1);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem_close(fd, b.handle);
	shared_bo_fini(&b);
}

static int dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };
	int ret;

	do {
		ret = ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

static void test_dmabuf_sync(int fd)
{
	const uint64_t off = 0x24, stall = MSEC(400);
	const uint32_t v = 0x5ca1ab1e;
	struct shared_bo b = shared_bo_create(fd, igt_gring_page_size());
	uint32_t ring = ring_create(fd, 0), sync = syncobj_create(fd);
	uint64_t t0, t1;
	uint32_t seen;
	int ret;

	b.map[off / 4] = ~v;
	t0 = now_ns();
	submit_stall_write(fd, ring, stall, b.handle, off, v, sync);
	ret = dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	t1 = now_ns();
	seen = b.map[off / 4];

	igt_info("DMA_BUF_IOCTL_SYNC START returned %d after %" PRIu64 " ms; word %#x\n",
		 ret, ms_of(t1 - t0), seen);
	igt_assert_eq(ret, 0);
	igt_assert_f(t1 - t0 >= MSEC(300),
		     "DMA_BUF_SYNC_START returned %" PRIu64 " ms after submit: it did not wait for the %" PRIu64 " ms job\n",
		     ms_of(t1 - t0), ms_of(stall));
	igt_assert_eq_u32(seen, v);
	igt_assert_eq(dmabuf_sync(b.dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	igt_assert_eq(syncobj_wait(fd, sync, JOB_WAIT), 0);
	igt_assert_eq(syncobj_status(fd, sync), 1);

	drmSyncobjDestroy(fd, sync);
	ring_destroy(fd, ring);
	gem_close(fd, b.handle);
	shared_bo_fini(&b);
}

/* --- failed dependencies ------------------------------------------------- */

/*
 * A hangs on ring 1 and times out; B on ring 2 waits for A through an
 * in-syncobj and must be skipped (-ECANCELED, its word not written); C,
 * queued behind B on ring 2 with no in-sync and another BO, runs.
 */
static void test_failed_in_fence(int fd)
{
	const uint64_t page = igt_gring_page_size(), timeout = job_timeout_ns();
	const uint64_t x = 0x30, y = 0x34;
	const uint32_t old = 0x01d01d01, v = 0xbadbad00, w = 0x600d600d;
	uint32_t bo_b = igt_gring_gem_create(fd, page, NULL);
	uint32_t bo_c = igt_gring_gem_create(fd, page, NULL);
	volatile uint32_t *map_b = igt_gring_gem_mmap(fd, bo_b, page);
	volatile uint32_t *map_c = igt_gring_gem_mmap(fd, bo_c, page);
	uint32_t ring1 = ring_create(fd, 0), ring2 = ring_create(fd, 0);
	uint32_t sa = syncobj_create(fd), sb = syncobj_create(fd);
	uint32_t sc = syncobj_create(fd);
	struct drm_gring_cmd hang = cmd_stall(DRM_GRING_STALL_MAX_NS);
	struct drm_gring_cmd write_b = cmd_write32(bo_b, x, v);
	struct drm_gring_cmd write_c = cmd_write32(bo_c, y, w);
	struct drm_gring_sync wait_a = { .handle = sa };
	struct drm_gring_submit arg = {
		.ring_id = ring2, .cmds = (uintptr_t)&write_b, .cmd_count = 1,
		.cmd_size = sizeof(write_b), .in_syncs = (uintptr_t)&wait_a,
		.in_sync_count = 1, .out_sync = sb,
	};
	const uint64_t wait = 3 * timeout + JOB_WAIT;
	int status_a, status_b, status_c;

	igt_require_f(2 * timeout < DRM_GRING_STALL_MAX_NS,
		      "job_timeout_ms %" PRIu64 ": a stall cannot outlast it\n",
		      ms_of(timeout));
	map_b[x / 4] = old;
	map_c[y / 4] = ~w;

	submit(fd, ring1, &hang, 1, sa);
	igt_assert_eq(__submit(fd, &arg), 0);
	submit(fd, ring2, &write_c, 1, sc);

	igt_assert_eq(syncobj_wait(fd, sa, wait), 0);
	igt_assert_eq(syncobj_wait(fd, sb, wait), 0);
	igt_assert_eq(syncobj_wait(fd, sc, wait), 0);
	status_a = syncobj_status(fd, sa);
	status_b = syncobj_status(fd, sb);
	status_c = syncobj_status(fd, sc);
	igt_info("A %d (%s), B %d (%s), C %d; B's word %#x (its value %#x, before %#x)\n",
		 status_a, strerror(-status_a), status_b, strerror(-status_b),
		 status_c, map_b[x / 4], v, old);

	igt_assert_f(status_a == -ETIMEDOUT, "A: %d, expected -ETIMEDOUT\n",
		     status_a);
	igt_assert_f(status_b == -ECANCELED,
		     "B, behind a failed in-fence: %d, expected -ECANCELED\n",
		     status_b);
	igt_assert_f(map_b[x / 4] == old,
		     "B's word is %#x: the job whose dependency failed ran\n",
		     map_b[x / 4]);
	igt_assert_f(status_c == 1, "C, after B on its ring: %d\n", status_c);
	igt_assert_eq_u32(map_c[y / 4], w);

	drmSyncobjDestroy(fd, sa);
	drmSyncobjDestroy(fd, sb);
	drmSyncobjDestroy(fd, sc);
	ring_destroy(fd, ring1);
	ring_destroy(fd, ring2);
	munmap((void *)map_b, page);
	munmap((void *)map_c, page);
	gem_close(fd, bo_b);
	gem_close(fd, bo_c);
}

/* --- the ring status page ------------------------------------------------- */

#define ST_FAULTS	70	/* > DRM_GRING_STATUS_ERRORS: the log wraps */

static int status_mmap_errno(int fd, size_t len, int prot, int flags,
			     uint64_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return -errno;
}

/*
 * The status page of a soft ring against the fences of its jobs: one good
 * job, ST_FAULTS injected faults (the log keeps the last
 * DRM_GRING_STATUS_ERRORS, in seqno order), one good job again; every
 * value checked against the job's own fence (a sync_file's status) and
 * the seqnos SUBMIT returned. The mapping is read-only, shared, one page,
 * the file's own ring only; it holds nothing but seqnos, counts and
 * errnos, and outlives RING_DESTROY.
 */
static void test_status_page(int fd)
{
	const uint64_t page = igt_gring_page_size();
	const volatile struct drm_gring_ring_status *st;
	uint32_t bo = igt_gring_gem_create(fd, page, NULL);
	uint32_t ring = ring_create(fd, 0);
	const uint64_t off = DRM_GRING_RING_STATUS_OFFSET(ring);
	uint32_t sync[ST_FAULTS + 2];
	uint64_t seqno[ST_FAULTS + 2], errors;
	int status[ST_FAULTS + 2], fd2 = igt_gring_open();
	const volatile uint8_t *bytes;
	struct drm_gring_cmd c;
	unsigned int i, k;
	void *p;

	/* Refused mappings, each with its errno. */
	igt_assert_eq(status_mmap_errno(fd, page, PROT_READ | PROT_WRITE,
					MAP_SHARED, off), -EACCES);
	igt_assert_eq(status_mmap_errno(fd, page, PROT_READ | PROT_EXEC,
					MAP_SHARED, off), -EACCES);
	igt_assert_eq(status_mmap_errno(fd, page, PROT_READ, MAP_PRIVATE, off),
		      -EINVAL);
	igt_assert_eq(status_mmap_errno(fd, 2 * page, PROT_READ, MAP_SHARED,
					off), -EINVAL);
	igt_assert_eq(status_mmap_errno(fd, page, PROT_READ, MAP_SHARED, 0),
		      -EINVAL);
	igt_assert_eq(status_mmap_errno(fd, page, PROT_READ, MAP_SHARED,
					DRM_GRING_RING_STATUS_OFFSET(ring + 1)),
		      -ENOENT);
	/* Another file has no such ring. */
	igt_assert_eq(status_mmap_errno(fd2, page, PROT_READ, MAP_SHARED, off),
		      -ENOENT);
	close(fd2);

	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, off);
	igt_assert(p != MAP_FAILED);
	st = p;
	bytes = p;
	/* Never writable, not even later. */
	igt_assert_eq(mprotect(p, page, PROT_READ | PROT_WRITE), -1);
	igt_assert_eq(errno, EACCES);
	igt_assert_eq_u64(st->completed, 0);
	igt_assert_eq_u64(st->errors, 0);

	/* Job 0 good; jobs 1..ST_FAULTS fault; the last good again. */
	for (i = 0; i < ST_FAULTS + 2; i++) {
		sync[i] = syncobj_create(fd);
		if (i == 1)
			igt_gring_inject_faults(fd, ST_FAULTS);
		c = cmd_write32(bo, 4 * i, i);
		seqno[i] = submit(fd, ring, &c, 1, sync[i]);
		if (i == 0 || i == ST_FAULTS + 1) {
			igt_assert_eq(syncobj_wait(fd, sync[i], JOB_WAIT), 0);
			/* Done means on the page too: it is written first. */
			igt_assert_eq_u64(st->completed, seqno[i]);
		}
	}
	for (i = 0; i < ST_FAULTS + 2; i++) {
		igt_assert_eq(syncobj_wait(fd, sync[i], JOB_WAIT), 0);
		status[i] = syncobj_status(fd, sync[i]);
		igt_assert_eq_u64(seqno[i], i + 1);
	}
	igt_assert_eq(status[0], 1);
	igt_assert_eq(status[ST_FAULTS + 1], 1);

	/* The log: the last DRM_GRING_STATUS_ERRORS failures, slot n % N. */
	errors = 0;
	for (i = 0; i < ST_FAULTS + 2; i++)
		errors += status[i] < 0;
	igt_assert_eq_u64(errors, ST_FAULTS);
	igt_assert_eq_u64(st->errors, errors);
	igt_assert_eq_u64(st->completed, seqno[ST_FAULTS + 1]);
	for (k = 0, i = 0; i < ST_FAULTS + 2; i++) {
		unsigned int slot;

		if (status[i] >= 0)
			continue;
		slot = k++ % DRM_GRING_STATUS_ERRORS;
		if (k + DRM_GRING_STATUS_ERRORS <= errors)
			continue;	/* overwritten since */
		igt_assert_eq_u64(st->error_seqno[slot], seqno[i]);
		igt_assert_eq(st->error[slot], status[i]);
	}

	/* Only seqnos, counts and errnos; the rest of the page is zero. */
	for (i = sizeof(struct drm_gring_ring_status); i < page; i++)
		igt_assert_eq(bytes[i], 0);

	/* The ring gone, the page stays, frozen. */
	ring_destroy(fd, ring);
	igt_assert_eq_u64(st->completed, seqno[ST_FAULTS + 1]);
	igt_assert_eq_u64(st->errors, errors);
	igt_assert_eq(status_mmap_errno(fd, page, PROT_READ, MAP_SHARED, off),
		      -ENOENT);
	munmap(p, page);
	for (i = 0; i < ST_FAULTS + 2; i++)
		drmSyncobjDestroy(fd, sync[i]);
	gem_close(fd, bo);
}

igt_main
{
	/* static: kept intact across the siglongjmp() out of each subtest */
	static int fd = -1;

	igt_fixture
		fd = igt_gring_open();

	igt_describe("After RING_DESTROY a running job's sync_file still reports names and status, polls busy, then signals with status 1, and its write lands.");
	igt_subtest("fence-after-destroy")
		test_fence_after_destroy(fd);

	igt_describe("After the DRM file is closed a running job's sync_file still reports names and status, polls busy, then signals with status 1, and its write lands.");
	igt_subtest("fence-after-close")
		test_fence_after_close(fd);

	igt_describe("RING_DESTROY returns at once with jobs queued, and every one of them still ends with status 1 and its value written.");
	igt_subtest("destroy-lets-jobs-finish")
		test_destroy_lets_jobs_finish(fd);

	igt_describe("Closing the DRM file returns at once while a job runs; the job completes with status 1 after its stall.");
	igt_subtest("close-returns-before-job-ends")
		test_close_returns_early(fd);

	igt_describe("1000 rings, and the files that hold them, add no kernel thread.");
	igt_subtest("rings-create-no-thread")
		test_rings_no_thread(fd);

	igt_describe("A file has at most PARAM_MAX_RINGS rings: the next RING_CREATE is -EMFILE and creates nothing.");
	igt_subtest("rings-per-file-limit")
		test_rings_per_file_limit(fd);

	igt_describe("poll() on a dma-buf a job writes is not ready (POLLOUT nor POLLIN) until the job is done.");
	igt_subtest("dmabuf-poll-waits-job")
		test_dmabuf_poll(fd);

	igt_describe("DMA_BUF_IOCTL_SYNC START waits for the job writing the dma-buf; its value is then visible through the dma-buf's mapping.");
	igt_subtest("dmabuf-sync-waits-job")
		test_dmabuf_sync(fd);

	igt_describe("A job whose in-fence ended in an error is skipped with -ECANCELED, writing nothing, and its ring goes on.");
	igt_subtest("failed-in-fence-skips-job")
		test_failed_in_fence(fd);

	igt_describe("A ring's status page, mapped read-only and shared only, says what the jobs' fences say: completed seqno, error count and the last DRM_GRING_STATUS_ERRORS failures in seqno order; nothing but seqnos and errnos; it outlives RING_DESTROY.");
	igt_subtest("ring-status-page")
		test_status_page(fd);

	igt_fixture
		close(fd);
}
