// SPDX-License-Identifier: MIT
/*
 * gring-bench: open the devices the benchmarks run on.
 *
 * gring is found by libgring. vgem is found here, by the driver name each
 * node reports (drmGetVersion), never by node number: a guest with two
 * virtio-gpu devices, vgem and gring numbers its nodes in probe order.
 * vgem is a platform device libdrm's enumeration may not classify, so
 * /dev/dri is read directly.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "bench.h"

#define DRI_DIR		"/dev/dri"
#define VGEM_NAME	"vgem"

static bool is_vgem(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool match;

	if (!v)
		return false;
	match = v->name && !strcmp(v->name, VGEM_NAME);
	drmFreeVersion(v);
	return match;
}

/*
 * Open the first node in /dev/dri whose name starts with @prefix and whose
 * driver is vgem; its path goes to @path. Returns the fd, or -1.
 */
static int open_vgem_node(const char *prefix, char *path, size_t len)
{
	struct dirent **names;
	int i, n, fd = -1;

	n = scandir(DRI_DIR, &names, NULL, alphasort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *d = names[i]->d_name;

		if (fd < 0 && !strncmp(d, prefix, strlen(prefix))) {
			snprintf(path, len, DRI_DIR "/%s", d);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd >= 0 && !is_vgem(fd)) {
				close(fd);
				fd = -1;
			}
		}
		free(names[i]);
	}
	free(names);
	if (fd < 0)
		path[0] = '\0';
	return fd;
}

/**
 * bench_ctx_open() - open gring and vgem; record why either is missing
 * @ctx: filled; a missing device is not an error here, the benchmarks
 *	that need it report it.
 */
void bench_ctx_open(struct bench_ctx *ctx)
{
	long page = sysconf(_SC_PAGESIZE);

	memset(ctx, 0, sizeof(*ctx));
	ctx->page_size = page > 0 ? (size_t)page : 4096;
	ctx->gring_err = gring_device_open(&ctx->gring);

	ctx->vgem_render = open_vgem_node("renderD", ctx->vgem_render_path,
					  sizeof(ctx->vgem_render_path));
	ctx->vgem_card = open_vgem_node("card", ctx->vgem_card_path,
					sizeof(ctx->vgem_card_path));
	if (ctx->vgem_render < 0 || ctx->vgem_card < 0)
		snprintf(ctx->vgem_why, sizeof(ctx->vgem_why),
			 "no vgem %s node in " DRI_DIR " (is vgem loaded?)",
			 ctx->vgem_render < 0 ? "render" : "primary");
}

/**
 * bench_ctx_close() - close what bench_ctx_open() opened
 * @ctx: the context; every fd is -1 afterwards.
 */
void bench_ctx_close(struct bench_ctx *ctx)
{
	gring_device_close(&ctx->gring);
	if (ctx->vgem_render >= 0)
		close(ctx->vgem_render);
	if (ctx->vgem_card >= 0)
		close(ctx->vgem_card);
	ctx->vgem_render = -1;
	ctx->vgem_card = -1;
}
