// SPDX-License-Identifier: MIT
/*
 * gring_vgpu_display: what the virtio-gpu device gring drives shows. QEMU's
 * own screendump of the display (the bench's gring-screendump, decoded by
 * gring_png) must equal, pixel for pixel, the frame the test wrote into a
 * BO and presented through a virtio-gpu ring -- and the one `gringctl
 * present` shows. Root, like gring_vgpu: it moves the device between
 * drivers and reads debugfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "igt_gring.h"
#include "gring_png.h"
#include "gring_test.h"
#include "gring_ring_test.h"
#include "gring_virtio_test.h"
#include "gring_vgpu_test.h"

IGT_TEST_DESCRIPTION("What the gring-driven virtio-gpu display shows, against QEMU's own screendump.");

/*
 * The device's own picture: the bench's gring-screendump asks QEMU (QMP
 * screendump) for a PNG of the display and prints its path; gring_png
 * decodes it.
 */
/* gring-screendump NAME, and the PNG it printed the path of. */
static void screendump(const char *name, struct gring_png *img)
{
	char cmd[128], path[256] = "";
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "gring-screendump %s", name);
	p = popen(cmd, "r");
	igt_assert(p);
	if (!fgets(path, sizeof(path), p))
		path[0] = '\0';
	st = pclose(p);
	igt_assert_f(st == 0, "%s: status %d\n", cmd, st);
	path[strcspn(path, "\n")] = '\0';
	igt_info("%s -> %s\n", cmd, path);
	igt_assert_eq(gring_png_read(path, img), 0);
}


/* Pixel (x, y) of frame @salt, XRGB8888; the X byte is noise on purpose. */
static uint32_t frame_px(uint32_t x, uint32_t y, uint32_t salt)
{
	return word_pattern((uint64_t)y * XRES + x, salt);
}

/*
 * Compare the dump with the frame: inside @r frame @in, outside @out.
 * Returns the number of wrong pixels (the first few are logged).
 */
static uint64_t compare_dump(const struct gring_png *img,
			     const struct drm_gring_vgpu_rect *r,
			     uint32_t in, uint32_t out)
{
	uint64_t bad = 0;
	uint32_t x, y;

	igt_assert_eq_u32(img->width, XRES);
	igt_assert_eq_u32(img->height, YRES);
	for (y = 0; y < YRES; y++) {
		for (x = 0; x < XRES; x++) {
			bool inside = x >= r->x && x < r->x + r->width &&
				      y >= r->y && y < r->y + r->height;
			uint32_t want = frame_px(x, y, inside ? in : out);
			const uint8_t *p = img->pixels +
				((size_t)y * XRES + x) * img->bpp;
			uint32_t got = (uint32_t)p[0] << 16 | p[1] << 8 | p[2];

			if (got != (want & 0xffffff) && bad++ < 5)
				igt_warn("(%u,%u): 0x%06x, want 0x%06x\n", x, y,
					 got, want & 0xffffff);
		}
	}
	return bad;
}

static void fill_frame(uint32_t *px, uint32_t salt)
{
	uint32_t x, y;

	for (y = 0; y < YRES; y++)
		for (x = 0; x < XRES; x++)
			px[(size_t)y * XRES + x] = frame_px(x, y, salt);
}

/* ---- virtio-gringctl-present ------------------------------------------- */

#define RAW_PATH	"/tmp/gring_vgpu-frame.raw"
#define RAW_SALT	0x5eed

static bool on_path(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* Frame RAW_SALT as gringctl present --raw takes it: bytes B, G, R, X. */
static void write_raw_frame(void)
{
	FILE *f = fopen(RAW_PATH, "wb");
	uint32_t x, y;

	igt_assert(f);
	for (y = 0; y < YRES; y++) {
		for (x = 0; x < XRES; x++) {
			uint32_t v = frame_px(x, y, RAW_SALT);
			uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

			igt_assert_eq(fwrite(b, 1, 4, f), 4);
		}
	}
	igt_assert_eq(fclose(f), 0);
}

/* Run @cmd, return its stdout (malloc()ed) and exit status. */
static char *run_capture(const char *cmd, int *status)
{
	size_t len = 0, room = 1 << 16;
	char *out = malloc(room);
	FILE *p = popen(cmd, "r");
	size_t n;

	igt_assert(out && p);
	while ((n = fread(out + len, 1, room - 1 - len, p)) > 0)
		len += n;
	out[len] = '\0';
	*status = pclose(p);
	return out;
}

static int64_t json_int(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v;

	igt_assert_f(json_object_object_get_ex(o, a, &v), "no \"%s\"\n", a);
	if (b)
		igt_assert_f(json_object_object_get_ex(v, b, &v),
			     "no \"%s.%s\"\n", a, b);
	return json_object_get_int64(v);
}

/*
 * make run's own command: gringctl present --raw FILE --width 1280
 * --height 800, through libgring's virtio-gpu verbs; its JSON report,
 * and nothing left behind once it exits.
 */
static void test_gringctl_present(void)
{
	int watch, status;
	struct vgpu_stats base, s;
	struct json_object *doc, *mode;
	char *out;

	igt_require_f(on_path("gringctl"), "no gringctl on PATH\n");
	watch = vgpu_open();
	base = vgpu_stats(watch);
	write_raw_frame();
	out = run_capture("gringctl present --raw " RAW_PATH
			  " --width 1280 --height 800 --json", &status);
	igt_info("gringctl present: %s", out);
	igt_assert_eq(status, 0);
	doc = json_tokener_parse(out);
	igt_assert_f(doc, "not JSON: %s\n", out);
	igt_assert_eq(json_int(doc, "resource", "width"), XRES);
	igt_assert_eq(json_int(doc, "resource", "height"), YRES);
	igt_assert_eq(json_int(doc, "resource", "bo_size"),
		      (int64_t)igt_gring_page_round(XRES * YRES * CPP));
	igt_assert_eq(json_int(doc, "scanout", "id"), 0);
	igt_assert(json_object_object_get_ex(doc, "scanout", &mode));
	igt_assert_eq(json_int(mode, "mode", "width"), XRES);
	igt_assert_eq(json_int(mode, "mode", "height"), YRES);
	json_object_put(doc);
	free(out);

	/*
	 * Display info, create + attach + scanout, transfer + flush, scanout
	 * off + unref: 1 + 3 + 2 + 2 commands, and nothing left once the
	 * resource is let go of (shortly after its UNREF's fence).
	 */
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.sent, base.sent + 8);
	igt_assert_eq_u64(s.completed, base.completed + 8);
	igt_assert_eq_u64(s.resources, base.resources);
	igt_assert_eq_u64(s.errors, base.errors);
	assert_queue_idle(&s);

	/* Without --width/--height the frame has the scanout's size. */
	out = run_capture("gringctl present --raw " RAW_PATH " --json", &status);
	igt_assert_f(status == 0, "status %d: %s\n", status, out);
	doc = json_tokener_parse(out);
	igt_assert_f(doc, "not JSON: %s\n", out);
	igt_assert_eq(json_int(doc, "resource", "width"), XRES);
	igt_assert_eq(json_int(doc, "resource", "height"), YRES);
	json_object_put(doc);
	free(out);
	s = vgpu_stats_settle(watch, base.resources);
	igt_assert_eq_u64(s.sent, base.sent + 16);
	igt_assert_eq_u64(s.resources, base.resources);

	/* Wrong-sized raw file: refused before anything is sent. */
	out = run_capture("gringctl present --raw " RAW_PATH
			  " --width 1280 --height 799 2>&1", &status);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		     "status %d: %s\n", status, out);
	free(out);
	s = vgpu_stats(watch);
	igt_assert_eq_u64(s.resources, base.resources);
	unlink(RAW_PATH);
	close(watch);
}


/* Frame @salt on scanout 0 from resource 1 (backed by @bo), shown. */
static void present(int fd, uint32_t ring, uint32_t bo, uint32_t *px,
		    uint32_t salt)
{
	const uint64_t size = (uint64_t)XRES * YRES * CPP;
	struct drm_gring_vgpu_cmd c[5];

	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_WRITE, 0, size,
				 JOB_TIMEOUT), 0);
	fill_frame(px, salt);
	igt_assert_eq(__cpu_fini(fd, bo, 0, size), 0);
	c[0] = c_create(1, XRES, YRES);
	c[1] = c_attach(1, bo, 0, size);
	c[2] = c_scanout(0, 1, XRES, YRES);
	c[3] = c_transfer(1, XRES, 0, 0, XRES, YRES);
	c[4] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, 0, 0, XRES, YRES);
	vrun_ok(fd, ring, c, 5);
}

/* virtio-screendump-pixel-exact itself. */
static void test_pixels(void)
{
	const uint64_t size = (uint64_t)XRES * YRES * CPP;
	const struct drm_gring_vgpu_rect all = { 0, 0, XRES, YRES };
	/* Odd position and size: the transfer's offset and row pitch show. */
	const struct drm_gring_vgpu_rect part = { 301, 207, 123, 45 };
	struct gring_png img;
	struct drm_gring_vgpu_cmd c[5];
	uint32_t ring, bo, *px;
	uint64_t bad;
	int fd;

	igt_require_f(on_path("gring-screendump"),
		      "no gring-screendump (the bench's screendump service)\n");
	fd = vgpu_open();
	ring = vring_create(fd);
	bo = igt_gring_gem_create(fd, size, NULL);
	px = igt_gring_gem_mmap(fd, bo, size);

	present(fd, ring, bo, px, 0x1234567);
	screendump("vgpu-pixels-1", &img);
	bad = compare_dump(&img, &all, 0x1234567, 0x1234567);
	free(img.pixels);
	igt_assert_f(bad == 0, "%" PRIu64 " pixels differ\n", bad);

	/* A new frame in the BO, but only @part sent: the rest stays old. */
	igt_assert_eq(__cpu_prep(fd, bo, DRM_GRING_PREP_WRITE, 0, size,
				 JOB_TIMEOUT), 0);
	fill_frame(px, 0x7654321);
	igt_assert_eq(__cpu_fini(fd, bo, 0, size), 0);
	c[0] = c_transfer(1, XRES, part.x, part.y, part.width, part.height);
	c[1] = c_rect(DRM_GRING_VGPU_RESOURCE_FLUSH, 1, part.x, part.y,
		      part.width, part.height);
	vrun_ok(fd, ring, c, 2);
	screendump("vgpu-pixels-2", &img);
	bad = compare_dump(&img, &part, 0x7654321, 0x1234567);
	free(img.pixels);
	igt_assert_f(bad == 0, "%" PRIu64 " pixels differ\n", bad);

	c[0] = c_scanout(0, 0, 0, 0);
	c[1] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 1);
	vrun_ok(fd, ring, c, 2);
	munmap(px, size);
	gem_close(fd, bo);
	close(fd);

	/* make run's path: a raw frame file through gringctl present. */
	if (on_path("gringctl")) {
		char *out;
		int status;

		write_raw_frame();
		out = run_capture("gringctl present --raw " RAW_PATH
				  " --width 1280 --height 800"
				  " --exec 'gring-screendump vgpu-pixels-3 >/dev/null'",
				  &status);
		igt_assert_f(status == 0, "gringctl present: %d\n%s", status,
			     out);
		free(out);
		unlink(RAW_PATH);
		igt_assert_eq(gring_png_read("/out/vgpu-pixels-3.png", &img), 0);
		bad = compare_dump(&img, &all, RAW_SALT, RAW_SALT);
		free(img.pixels);
		igt_assert_f(bad == 0, "gringctl present: %" PRIu64
			     " pixels differ\n", bad);
	}
}

/* ---- virtio-hang-frame-again -------------------------------------------- */

/*
 * A frame is up; the device hangs and is reset. The file's resource is
 * lost (-ESTALE), its scanout nobody's (another file may blank it); the
 * file unrefs the resource, presents a new frame the same way, and QEMU
 * shows exactly that frame: the same bound device displays again.
 */
static void test_hang_frame(void)
{
	const uint64_t size = (uint64_t)XRES * YRES * CPP;
	const struct drm_gring_vgpu_rect all = { 0, 0, XRES, YRES };
	struct drm_gring_vgpu_cmd c[2];
	uint32_t ring, bo, hung, *px;
	struct gring_png img;
	int fd, other;
	uint64_t bad;

	igt_require_f(on_path("gring-screendump"),
		      "no gring-screendump (the bench's screendump service)\n");
	fd = vgpu_open();
	other = vgpu_open();
	ring = vring_create(fd);
	bo = igt_gring_gem_create(fd, size, NULL);
	px = igt_gring_gem_mmap(fd, bo, size);
	present(fd, ring, bo, px, 0x600d);
	screendump("vgpu-hang-before", &img);
	bad = compare_dump(&img, &all, 0x600d, 0x600d);
	free(img.pixels);
	igt_assert_f(bad == 0, "%" PRIu64 " pixels differ\n", bad);
	/* fd's scanout: another file may not even blank it. */
	c[0] = c_scanout(0, 0, 0, 0);
	igt_assert_eq(__vsubmit(other, vring_create(other), c, 1, 0, 0, NULL),
		      -EBUSY);

	vgpu_hang_device();
	hung = syncobj_create(fd);
	c[0] = c_id(DRM_GRING_VGPU_GET_DISPLAY_INFO, 0);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, hung, NULL), 0);
	igt_assert_eq(syncobj_wait(fd, hung, 30 * NSEC_PER_SEC), 0);
	igt_assert_eq(syncobj_status(fd, hung), -ETIMEDOUT);

	/* The reset blanked the scanout: it is nobody's now. */
	c[0] = c_scanout(0, 1, XRES, YRES);
	igt_assert_eq(__vsubmit(fd, ring, c, 1, 0, 0, NULL), -ESTALE);
	c[0] = c_scanout(0, 0, 0, 0);
	vrun_ok(other, vring_create(other), c, 1);

	/* The file starts over, as a compositor would, and is shown. */
	c[0] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 1);
	vrun_ok(fd, ring, c, 1);
	present(fd, ring, bo, px, 0xa9a1);
	screendump("vgpu-hang-after", &img);
	bad = compare_dump(&img, &all, 0xa9a1, 0xa9a1);
	free(img.pixels);
	igt_assert_f(bad == 0, "%" PRIu64 " pixels differ after the reset\n",
		     bad);

	c[0] = c_scanout(0, 0, 0, 0);
	c[1] = c_id(DRM_GRING_VGPU_RESOURCE_UNREF, 1);
	vrun_ok(fd, ring, c, 2);
	munmap(px, size);
	close(other);
	close(fd);
}

igt_main
{
	igt_fixture {
		vt_require_two_devices(&devs);
		igt_install_exit_handler(exit_handler);
	}

	igt_describe("gringctl present --raw FILE --width 1280 --height 800 --json (make run's command) reports a 1280x800 resource on scanout 0, sends 8 commands, leaves nothing behind; without --width/--height the scanout's size is taken; a file of the wrong size is refused.");
	igt_subtest("virtio-gringctl-present")
		test_gringctl_present();

	igt_describe("What QEMU itself shows (its screendump, through the bench's gring-screendump) is pixel-exact the frame in the BO, after a full update and after a partial one at an odd offset, and gringctl present's raw frame too. Skips without gring-screendump.");
	igt_subtest("virtio-screendump-pixel-exact")
		test_pixels();

	igt_describe("After a forced hang the same bound device presents a frame again: the lost resource is -ESTALE, the blanked scanout is nobody's, and a frame presented anew is what QEMU shows, pixel for pixel.");
	igt_subtest("virtio-hang-frame-again")
		test_hang_frame();

	igt_fixture
		vt_give_back(&devs);
}
