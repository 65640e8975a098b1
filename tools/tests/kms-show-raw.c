// SPDX-License-Identifier: MIT
/*
 * kms-show-raw: show a raw XRGB8888 frame on a KMS device's first
 * connected connector through the kernel's own driver (a dumb buffer,
 * SETCRTC, DIRTYFB), then hold it until a line (or EOF) on stdin.
 *
 *   kms-show-raw CARD FILE WIDTH HEIGHT
 *
 * A test helper of the bench (tools/tests/screendump-test.sh): it lights
 * the gring display with a known frame through upstream virtio_gpu, so
 * the screendump service is proven pixel-exact without gring's own
 * display path. Prints "shown WxH on connector N" once the frame is up.
 * Exit status: 0 shown, 1 failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "kms-show-raw: %s: %s\n", what, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct drm_mode_create_dumb create = { .bpp = 32 };
	struct drm_mode_map_dumb map = { 0 };
	drmModeConnector *conn = NULL;
	drmModeModeInfo *mode = NULL;
	drmModeEncoder *enc;
	drmModeRes *res;
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	uint32_t fb, crtc = 0, y;
	unsigned long w, h;
	uint8_t *map_ptr;
	char line[16];
	FILE *f;
	int fd, i;

	if (argc != 5) {
		fprintf(stderr, "usage: kms-show-raw CARD FILE WIDTH HEIGHT\n");
		return 2;
	}
	w = strtoul(argv[3], NULL, 10);
	h = strtoul(argv[4], NULL, 10);
	if (!w || !h || w > 16384 || h > 16384)
		return fail("bad size", EINVAL);
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(argv[1], errno);
	res = drmModeGetResources(fd);
	if (!res)
		return fail("GETRESOURCES", errno);
	for (i = 0; i < res->count_connectors && !mode; i++) {
		conn = drmModeGetConnector(fd, res->connectors[i]);
		if (!conn)
			continue;
		for (int m = 0; m < conn->count_modes; m++)
			if (conn->connection == DRM_MODE_CONNECTED &&
			    conn->modes[m].hdisplay == w &&
			    conn->modes[m].vdisplay == h) {
				mode = &conn->modes[m];
				break;
			}
		if (!mode)
			drmModeFreeConnector(conn);
	}
	if (!mode)
		return fail("no connected connector with that mode", ENOENT);
	enc = conn->count_encoders ?
	      drmModeGetEncoder(fd, conn->encoders[0]) : NULL;
	for (i = 0; enc && i < res->count_crtcs; i++)
		if (enc->possible_crtcs & (1u << i)) {
			crtc = res->crtcs[i];
			break;
		}
	if (!crtc)
		return fail("no CRTC for the connector", ENOENT);

	create.width = w;
	create.height = h;
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create))
		return fail("CREATE_DUMB", errno);
	map.handle = create.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map))
		return fail("MAP_DUMB", errno);
	map_ptr = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, map.offset);
	if (map_ptr == MAP_FAILED)
		return fail("mmap", errno);
	f = fopen(argv[2], "rb");
	if (!f)
		return fail(argv[2], errno);
	for (y = 0; y < h; y++)
		if (fread(map_ptr + (size_t)y * create.pitch, 4, w, f) != w)
			return fail("the frame file is short", EIO);
	fclose(f);

	handles[0] = create.handle;
	pitches[0] = create.pitch;
	if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches,
			  offsets, &fb, 0))
		return fail("ADDFB2", errno);
	if (drmModeSetCrtc(fd, crtc, fb, 0, 0, &conn->connector_id, 1, mode))
		return fail("SETCRTC", errno);
	/* virtio_gpu transfers and flushes damage: say all of it changed. */
	if (drmModeDirtyFB(fd, fb, NULL, 0) && errno != ENOSYS)
		return fail("DIRTYFB", errno);
	printf("shown %lux%lu on connector %u\n", w, h, conn->connector_id);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = '\0';
	return 0;
}
