// SPDX-License-Identifier: MIT
/*
 * gring_memory: BO memory is pinned, so it is capped device-wide
 * (DRM_GRING_PARAM_PINNED_CAP) and charged to the creator's memory cgroup.
 *
 * Needs root: the device-wide counters come from debugfs, and the cgroup
 * subtest creates a cgroup. Each subtest checks that the device's counters
 * are back where they started once its BOs are closed; the counters cover
 * every client, so run these alone on the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"

IGT_TEST_DESCRIPTION("Device-wide cap and memory-cgroup accounting of gring BO memory.");

#define MIB		(1ull << 20)
#define CAP_PARAM	"/sys/module/gring/parameters/pinned_cap"
#define CGROOT		"/sys/fs/cgroup"
#define CGDIR		CGROOT "/gring-igt-memory"

/*
 * What the cap should be, computed from the module parameter and the
 * machine, not from the driver: the parameter in bytes rounded down to
 * pages, or with the parameter at 0 a quarter of RAM (sysinfo()'s
 * totalram is the kernel's totalram_pages() in mem_unit = PAGE_SIZE units).
 */
static uint64_t expected_cap(void)
{
	uint64_t param = igt_gring_read_u64(CAP_PARAM);
	uint64_t page = igt_gring_page_size();
	struct sysinfo si;

	if (param)
		return param / page * page;
	igt_assert_eq(sysinfo(&si), 0);
	return (uint64_t)si.totalram * si.mem_unit / 4 / page * page;
}

static void test_cap_param(int fd)
{
	/* PINNED_CAP came with uapi version 2. */
	igt_assert(igt_gring_get_param(fd, DRM_GRING_PARAM_UAPI_VERSION) >= 2);
	igt_assert_eq_u64(igt_gring_get_param(fd, DRM_GRING_PARAM_PINNED_CAP),
			  expected_cap());
}

/* ---- the cap under two concurrent creators ------------------------------ */

struct creator {
	pthread_t thread;
	int fd;
	uint64_t bo_size;
	unsigned int max_bos;
	uint32_t *handles;
	unsigned int count;	/* BOs created */
	uint64_t bytes;		/* their sizes, as GEM_CREATE reported them */
	int err;		/* errno of the create that failed, 0 if none */
};

/* No IGT asserts in here: they cannot jump out of another thread. */
static void *creator_loop(void *arg)
{
	struct creator *c = arg;

	while (c->count < c->max_bos) {
		struct drm_gring_gem_create create = { .size = c->bo_size };
		int ret = __igt_gring_gem_create(c->fd, &create);

		if (ret) {
			c->err = -ret;
			break;
		}
		c->handles[c->count++] = create.handle;
		c->bytes += create.size;
	}
	return NULL;
}

static void test_cap_two_creators(int fd)
{
	const uint64_t cap = igt_gring_get_param(fd, DRM_GRING_PARAM_PINNED_CAP);
	const uint64_t bo_size = MIB;
	struct igt_gring_gem_stats start = igt_gring_gem_stats(fd), full, end;
	struct creator c[2];
	struct sysinfo si;
	uint64_t sum = 0;

	igt_assert_eq(sysinfo(&si), 0);
	igt_require_f(cap + 256 * MIB < (uint64_t)si.freeram * si.mem_unit,
		      "cap %" PRIu64 " leaves too little free memory to reach\n",
		      cap);

	for (int i = 0; i < 2; i++) {
		c[i] = (struct creator){
			.fd = igt_gring_reopen(fd),
			.bo_size = bo_size,
			/* Each could take the whole cap; one more proves it stops. */
			.max_bos = cap / bo_size + 1,
		};
		c[i].handles = calloc(c[i].max_bos, sizeof(uint32_t));
		igt_assert(c[i].handles);
	}
	for (int i = 0; i < 2; i++)
		igt_assert_eq(pthread_create(&c[i].thread, NULL, creator_loop,
					     &c[i]), 0);
	for (int i = 0; i < 2; i++)
		igt_assert_eq(pthread_join(c[i].thread, NULL), 0);

	for (int i = 0; i < 2; i++) {
		igt_info("creator %d: %u BOs, %" PRIu64 " bytes, then errno %d\n",
			 i, c[i].count, c[i].bytes, c[i].err);
		igt_assert_eq(c[i].err, ENOSPC);
		sum += c[i].bytes;
	}

	/* Never over the cap, and stopped by it: not even one more BO fits. */
	full = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(full.bytes, start.bytes + sum);
	igt_assert_lte_u64(full.bytes, cap);
	igt_assert_f(full.bytes + bo_size > cap,
		     "stopped at %" PRIu64 " of %" PRIu64 " bytes: not by the cap\n",
		     full.bytes, cap);

	for (int i = 0; i < 2; i++) {
		for (unsigned int n = 0; n < c[i].count; n++)
			gem_close(c[i].fd, c[i].handles[n]);
		close(c[i].fd);
		free(c[i].handles);
	}
	end = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(end.objects, start.objects);
	igt_assert_eq_u64(end.bytes, start.bytes);
}

/* At the cap: ENOSPC, nothing written back, nothing allocated; room again after a close. */
static void test_cap_errno(int fd)
{
	const uint64_t cap = igt_gring_get_param(fd, DRM_GRING_PARAM_PINNED_CAP);
	const uint64_t page = igt_gring_page_size();
	const uint64_t bo_size = 4 * MIB < cap ? 4 * MIB : page;
	struct igt_gring_gem_stats start = igt_gring_gem_stats(fd), full, end;
	/* Big BOs up to the cap, then at most bo_size / page small ones. */
	unsigned int max_bos = cap / bo_size + bo_size / page + 2, count = 0;
	uint32_t *handles = calloc(max_bos, sizeof(*handles));
	struct drm_gring_gem_create create, sent;
	struct sysinfo si;
	uint64_t size = bo_size;
	int ret = 0;

	igt_assert(handles);
	igt_assert_eq(sysinfo(&si), 0);
	igt_require(cap + 256 * MIB < (uint64_t)si.freeram * si.mem_unit);

	/* Big BOs until the cap refuses one, then fill what is left by pages. */
	while (count < max_bos) {
		create = (struct drm_gring_gem_create){ .size = size };
		ret = __igt_gring_gem_create(fd, &create);
		if (ret == -ENOSPC && size != page) {
			size = page;
			continue;
		}
		if (ret)
			break;
		handles[count++] = create.handle;
	}
	igt_assert_eq(ret, -ENOSPC);
	full = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(full.bytes, cap);

	/* The failed create wrote nothing back and allocated nothing. */
	create = (struct drm_gring_gem_create){ .size = 1, .handle = 0xdeadbeef };
	sent = create;
	igt_assert_eq(__igt_gring_gem_create(fd, &create), -ENOSPC);
	igt_assert(!memcmp(&create, &sent, sizeof(create)));
	end = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(end.objects, full.objects);
	igt_assert_eq_u64(end.bytes, full.bytes);

	/* The cap is about live BOs: closing one makes room for it again. */
	gem_close(fd, handles[0]);
	handles[0] = igt_gring_gem_create(fd, bo_size, NULL);

	for (unsigned int n = 0; n < count; n++)
		gem_close(fd, handles[n]);
	free(handles);
	end = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(end.objects, start.objects);
	igt_assert_eq_u64(end.bytes, start.bytes);
}

/* ---- the memory cgroup -------------------------------------------------- */

static bool cgroup_mounted_here;

static void write_text(const char *path, const char *text)
{
	int file = open(path, O_WRONLY | O_CLOEXEC);

	igt_assert_f(file >= 0, "cannot open %s: %m\n", path);
	igt_assert_f(write(file, text, strlen(text)) == (ssize_t)strlen(text),
		     "writing \"%s\" to %s failed: %m\n", text, path);
	close(file);
}

/* cgroup v2 with the memory controller available to child cgroups. */
static void setup_cgroup2(void)
{
	char *controllers;

	igt_require_f(geteuid() == 0, "needs root to create a cgroup\n");
	if (access(CGROOT "/cgroup.controllers", F_OK)) {
		igt_require_f(!mount("none", CGROOT, "cgroup2", 0, NULL),
			      "cannot mount cgroup2 on " CGROOT ": %m\n");
		cgroup_mounted_here = true;
	}
	controllers = igt_gring_read_text(CGROOT "/cgroup.controllers");
	igt_require_f(strstr(controllers, "memory"),
		      "no memory controller in cgroup2\n");
	free(controllers);
	write_text(CGROOT "/cgroup.subtree_control", "+memory");
}

static void cleanup_cgroup(int sig)
{
	(void)sig;
	rmdir(CGDIR);
	if (cgroup_mounted_here && !umount(CGROOT))
		cgroup_mounted_here = false;
}

/* What the child in the cgroup reports back through a pipe. */
struct child_report {
	uint64_t base;	/* the cgroup's memory.current before the first BO */
	uint64_t got;	/* bytes of BO it got */
	int err;	/* errno of the create that failed; 0: it never failed */
	int setup_err;	/* errno of a set-up step that failed */
};

/*
 * In the cgroup: create BOs of @bo_size until one fails or @stop bytes
 * were had. Plain code, no IGT calls: this is a forked child.
 */
static void child_create(const char *node, uint64_t bo_size, uint64_t stop,
			 int out)
{
	struct child_report r = { 0 };
	int fd, procs;

	procs = open(CGDIR "/cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (procs < 0 || write(procs, "0", 1) != 1) {
		r.setup_err = errno;
		goto report;
	}
	close(procs);

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		r.setup_err = errno;
		goto report;
	}

	{
		char buf[32] = "";
		int cur = open(CGDIR "/memory.current", O_RDONLY | O_CLOEXEC);

		if (cur < 0 || read(cur, buf, sizeof(buf) - 1) <= 0) {
			r.setup_err = errno;
			goto report;
		}
		close(cur);
		r.base = strtoull(buf, NULL, 10);
	}

	while (r.got < stop) {
		struct drm_gring_gem_create create = { .size = bo_size };
		int ret = __igt_gring_gem_create(fd, &create);

		if (ret) {
			r.err = -ret;
			break;
		}
		r.got += create.size;
	}
	/* Closing the file frees every BO: exit does it. */
report:
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

static void test_memcg_limit(int fd)
{
	const uint64_t limit = 32 * MIB, bo_size = MIB;
	struct igt_gring_gem_stats start = igt_gring_gem_stats(fd), end;
	char *node = drmGetDeviceNameFromFd2(fd), *events, *oom;
	struct child_report r;
	int pipefd[2], status;
	pid_t pid;

	igt_assert(node);
	setup_cgroup2();
	rmdir(CGDIR);
	igt_assert_f(!mkdir(CGDIR, 0755), "mkdir " CGDIR ": %m\n");
	write_text(CGDIR "/memory.max", "33554432");
	igt_assert_eq_u64(igt_gring_read_u64(CGDIR "/memory.max"), limit);

	igt_assert_eq(pipe(pipefd), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		/* Four times the limit: far past it if nothing is charged. */
		child_create(node, bo_size, 4 * limit, pipefd[1]);
	}
	close(pipefd[1]);
	igt_assert_eq(read(pipefd[0], &r, sizeof(r)), (ssize_t)sizeof(r));
	close(pipefd[0]);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	free(node);

	igt_info("cgroup limit %" PRIu64 ": base %" PRIu64 ", got %" PRIu64
		 " bytes of BO, then errno %d\n", limit, r.base, r.got, r.err);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "the creator did not exit normally (status %#x): killed?\n",
		     status);
	igt_assert_eq(r.setup_err, 0);

	/* Stopped with a clean ENOMEM, and nobody in the cgroup OOM-killed. */
	igt_assert_f(r.err == ENOMEM,
		     "creator got %" PRIu64 " bytes in a %" PRIu64 "-byte cgroup and %s\n",
		     r.got, limit, r.err ? strerror(r.err) : "never failed");
	events = igt_gring_read_text(CGDIR "/memory.events");
	oom = strstr(events, "oom_kill ");
	igt_assert_f(oom && strtoull(oom + strlen("oom_kill "), NULL, 10) == 0,
		     "memory.events: %s\n", events);
	free(events);

	/*
	 * Everything the child had is charged, so its BOs fit under the limit
	 * beside what the cgroup held before the first one (r.base). The
	 * lower bound says it was the limit that stopped it: it stopped only
	 * when less than one more BO fitted, give or take 1 MiB for the
	 * BOs' own bookkeeping, page tables and per-CPU charge batches.
	 */
	igt_assert_lte_u64(r.got + r.base, limit);
	igt_assert_f(r.got + r.base + bo_size + MIB > limit,
		     "stopped at %" PRIu64 " + %" PRIu64 " of %" PRIu64 "\n",
		     r.got, r.base, limit);

	end = igt_gring_gem_stats(fd);
	igt_assert_eq_u64(end.objects, start.objects);
	igt_assert_eq_u64(end.bytes, start.bytes);
	cleanup_cgroup(0);
}

igt_main
{
	static int fd = -1;

	igt_fixture {
		fd = igt_gring_open();
		igt_install_exit_handler(cleanup_cgroup);
	}

	igt_describe("GET_PARAM reports the pinned-bytes cap: the module parameter, or a quarter of RAM by default.");
	igt_subtest("pinned-cap-param")
		test_cap_param(fd);

	igt_describe("Two threads creating BOs at once both stop with ENOSPC at the cap, never above it.");
	igt_subtest("pinned-cap-two-creators")
		test_cap_two_creators(fd);

	igt_describe("At the cap GEM_CREATE fails with ENOSPC and allocates nothing; closing a BO makes room again.");
	igt_subtest("pinned-cap-errno")
		test_cap_errno(fd);

	igt_describe("A creator in a cgroup with memory.max stops with ENOMEM at the limit, and nothing is OOM-killed.");
	igt_subtest("memcg-limit")
		test_memcg_limit(fd);

	igt_fixture
		close(fd);
}
