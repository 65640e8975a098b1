// SPDX-License-Identifier: MIT
/*
 * Host test of gring-fuzz's pure parts: the errno table against the
 * errors uapi/gring_drm.h names, the per-call checks on fabricated
 * records, and that a reproducer is a C program the compiler accepts.
 *
 * usage: fuzz-pure-test UAPI_DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "gring_drm.h"
#include "../fuzz.h"

static int failures;

#define CHECK(cond, ...) do {					\
	if (!(cond)) {						\
		fprintf(stderr, "FAIL: " __VA_ARGS__);		\
		fputc('\n', stderr);				\
		failures++;					\
	}							\
} while (0)

/*
 * Every -EXXX the uapi header names must be allowed for some gring ioctl,
 * except those it names as a fence's status, which no ioctl returns.
 */
static void test_errnos_cover_uapi(const char *uapi_dir)
{
	static const char *const fence_only[] = { "ECANCELED", "EIO" };
	char path[4096], *text, *p;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/gring_drm.h", uapi_dir);
	f = fopen(path, "r");
	CHECK(f, "cannot open %s", path);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, len + 1);
	if (!text || fread(text, 1, len, f) != (size_t)len)
		abort();
	fclose(f);

	for (p = text; (p = strstr(p, "-E")); p++) {
		char name[32], buf[16];
		unsigned int n = 0, k, i;
		bool known = false, found = false;

		while (n < sizeof(name) - 1 &&
		       ((p[1 + n] >= 'A' && p[1 + n] <= 'Z') ||
			(p[1 + n] >= '0' && p[1 + n] <= '9')))
			name[n] = p[1 + n], n++;
		name[n] = '\0';
		for (i = 0; i < sizeof(fence_only) / sizeof(fence_only[0]); i++)
			known |= !strcmp(name, fence_only[i]);
		if (known)
			continue;
		/* The ioctls, and mmap(): the uapi documents its errnos too. */
		for (k = 0; k <= FZ_MMAP; k++) {
			if (k >= FZ_GEM_CLOSE && k != FZ_MMAP)
				continue;
			for (i = 1; i < 134; i++)
				if (!strcmp(fz_errno_name(i, buf, sizeof(buf)), name) &&
				    fz_errno_allowed(k, i))
					found = true;
		}
		CHECK(found, "uapi names -%s, which no gring ioctl (or mmap) may return in the table",
		      name);
	}
	free(text);
}

static void test_errno_table(void)
{
	enum fz_kind k;

	for (k = 0; k < FZ_GEM_CLOSE; k++)
		CHECK(fz_errno_allowed(k, EINVAL), "%s must allow EINVAL (pads, flags)",
		      fz_kind_name(k));
	CHECK(!fz_errno_allowed(FZ_GET_PARAM, ENOENT), "GET_PARAM names nothing");
	CHECK(!fz_errno_allowed(FZ_SUBMIT, ENOTTY), "SUBMIT is gring's own ioctl");
	CHECK(fz_errno_allowed(FZ_SUBMIT, EAGAIN), "SUBMIT NONBLOCK on a full ring");
	CHECK(fz_errno_allowed(FZ_RING_CREATE, EMFILE), "RING_CREATE past MAX_RINGS");
	CHECK(!fz_errno_allowed(FZ_CPU_FINI, EBUSY), "CPU_FINI never waits");
	CHECK(fz_errno_allowed(FZ_SYNCOBJ_WAIT, ETIME), "syncobj waits time out");
	CHECK(!fz_errno_allowed(FZ_TOUCH, EFAULT), "a touch cannot fail");
}

static void test_checks(void)
{
	struct fz_rec r;
	struct drm_gring_gem_create gc = { .size = 5000 };
	char why[256];

	memset(&r, 0, sizeof(r));
	r.kind = FZ_GEM_CREATE;
	memcpy(r.arg, &gc, sizeof(gc));
	memcpy(r.out, &gc, sizeof(gc));
	r.ret = -1;
	r.err = EINVAL;
	CHECK(fz_check_rec(&r, why, sizeof(why)), "EINVAL, unchanged: fine (%s)", why);
	r.err = EPERM;
	CHECK(!fz_check_rec(&r, why, sizeof(why)), "EPERM is undocumented");
	r.err = EINVAL;
	((struct drm_gring_gem_create *)r.out)->handle = 7;
	CHECK(!fz_check_rec(&r, why, sizeof(why)), "a failed GEM_CREATE wrote handle");
	CHECK(strstr(why, "changed its argument"), "reason: %s", why);

	/* Success: rounded up to the page, and never an address. */
	r.ret = 0;
	r.err = 0;
	((struct drm_gring_gem_create *)r.out)->size = 8192;
	CHECK(fz_check_rec(&r, why, sizeof(why)), "5000 -> 8192 is right (%s)", why);
	((struct drm_gring_gem_create *)r.out)->size = 4096;
	CHECK(!fz_check_rec(&r, why, sizeof(why)), "5000 -> 4096 shrank it");
	((struct drm_gring_gem_create *)r.out)->size = 0xffff888012345000ull;
	CHECK(!fz_check_rec(&r, why, sizeof(why)) && strstr(why, "kernel address"),
	      "a kernel address in size: %s", why);

	/* Not gring's: the core may copy back on failure. */
	memset(&r, 0, sizeof(r));
	r.kind = FZ_SYNCOBJ_WAIT;
	r.ret = -1;
	r.err = ETIME;
	r.out[0] = 1;
	CHECK(fz_check_rec(&r, why, sizeof(why)), "SYNCOBJ_WAIT ETIME (%s)", why);

	CHECK(fz_looks_like_kernel_ptr(0xffffffff81000000ull), "kernel text");
	CHECK(!fz_looks_like_kernel_ptr(0xffffffffffffffffull), "-1 is not one");
	CHECK(!fz_looks_like_kernel_ptr(0x100000000ull), "a fake mmap offset");
}

static void test_repro_compiles(const char *uapi_dir)
{
	static const char *const paths[] = { "/dev/dri/renderD128" };
	struct fz_repro_info info = {
		.seed = 42, .why = "test", .dev_paths = paths, .nr_devs = 1,
	};
	struct fz_rec recs[6];
	const struct fz_rec *p[6];
	struct drm_gring_submit s = {
		.ring_id = 1, .cmds = 0x1000, .cmd_count = 1,
		.cmd_size = sizeof(struct drm_gring_cmd), .flags = 1,
	};
	struct drm_gring_cmd cmd = { .op = DRM_GRING_OP_WRITE32, .dst_handle = 1,
				     .value = 0xdead };
	struct sync_merge_data m = { .fd2 = 5, .fence = 6 };
	char tmp[] = "/tmp/fuzz-repro-XXXXXX", cmdline[8192];
	unsigned int i;
	int fd;
	FILE *f;

	memset(recs, 0, sizeof(recs));
	recs[0].kind = FZ_OPEN;
	recs[0].ret = 3;
	recs[0].fd = -1;
	recs[1].kind = FZ_SUBMIT;
	recs[1].fd = 3;
	memcpy(recs[1].arg, &s, sizeof(s));
	recs[1].nr_vecs = 1;
	recs[1].vecs[0] = (struct fz_vec){
		.field_off = offsetof(struct drm_gring_submit, cmds),
		.len = sizeof(cmd), .flags = FZ_VEC_IN,
	};
	memcpy(recs[1].vec, &cmd, sizeof(cmd));
	recs[1].mutated = 2;
	recs[2].kind = FZ_SYNC_MERGE;
	recs[2].fd = 4;
	memcpy(recs[2].arg, &m, sizeof(m));
	memcpy(recs[2].out, &m, sizeof(m));
	recs[3].kind = FZ_MMAP;
	recs[3].fd = 3;
	recs[3].a[1] = 4096;
	recs[3].a[2] = 3;
	recs[3].a[3] = 1;
	recs[4].kind = FZ_TOUCH;
	recs[4].a[2] = 0x1ff;
	recs[5].kind = FZ_FORK;
	for (i = 0; i < 6; i++) {
		recs[i].gseq = i;
		p[i] = &recs[i];
	}

	fd = mkstemp(tmp);
	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fz_repro_print(f, p, 6, &info);
	fclose(f);
	snprintf(cmdline, sizeof(cmdline),
		 "cc -x c -std=gnu11 -Wall -Werror -fsyntax-only -I '%s' -I /usr/include/libdrm '%s'",
		 uapi_dir, tmp);
	CHECK(system(cmdline) == 0, "the reproducer does not compile: %s (kept)", tmp);
	if (!failures)
		unlink(tmp);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fuzz-pure-test UAPI_DIR\n");
		return 2;
	}
	test_errno_table();
	test_errnos_cover_uapi(argv[1]);
	test_checks();
	test_repro_compiles(argv[1]);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	else
		printf("ok\n");
	return failures ? 1 : 0;
}
