// SPDX-License-Identifier: MIT
/*
 * gringctl present: show a test pattern or a raw XRGB8888 frame on the
 * display of the virtio-gpu device gring drives.
 *
 * It finds the gring device that has the virtio-gpu engine, asks the
 * device for its scanouts (GET_DISPLAY_INFO through the ring), makes a 2D
 * resource backed by a mapped BO, fills the BO, attaches it, sets the
 * scanout and presents (TRANSFER_TO_HOST_2D + RESOURCE_FLUSH, waited for).
 * The resource lives as long as the DRM file, i.e. this process: --hold
 * or --exec keep the frame up for whoever wants to look at it.
 *
 * --render CMD lets another program draw the frame straight into the BO:
 * the BO is exported as a dma-buf, whose fd CMD inherits (its number in
 * GRING_FRAME_FD, the frame's size in GRING_FRAME_WIDTH, _HEIGHT and
 * _STRIDE); CMD maps it, brackets its writes with DMA_BUF_IOCTL_SYNC, and
 * exits 0 before the frame is presented.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include <gring.h>

#include "gringctl.h"

#define NSEC_PER_SEC	1000000000ull
/* Longest wait for one job; the device answers in well under a second. */
#define JOB_TIMEOUT_NS	(10 * NSEC_PER_SEC)
/* The only resource of the file, so any non-zero id does. */
#define RESOURCE_ID	1

const char present_usage[] =
	"Usage: gringctl present [--pattern NAME | --raw FILE [--width W --height H]\n"
	"                         | --render CMD]\n"
	"                        [--scanout N] [--hold SECONDS] [--exec CMD]\n"
	"                        [--json] [--device PATH]\n"
	"\n"
	"Show an image on the display of the virtio-gpu device gring drives:\n"
	"ask the device for its scanouts, make a 2D resource backed by a\n"
	"gring buffer object, fill it, put it on the scanout and present it\n"
	"(transfer + flush, waited for). The resource has the scanout's size,\n"
	"or the raw frame's when --width and --height are given.\n"
	"\n"
	"The frame stays up while gringctl runs (the resource belongs to its\n"
	"DRM file): --hold and --exec keep it there.\n"
	"\n"
	"Options:\n"
	"  -p, --pattern NAME  a test pattern computed here: bars (default),\n"
	"                      gradient or checker\n"
	"  -r, --raw FILE      a raw frame: W * H pixels, XRGB8888, 4 bytes\n"
	"                      each, little-endian (bytes B, G, R, X), rows\n"
	"                      top to bottom, nothing else in the file\n"
	"  -W, --width W       the raw frame's width in pixels (default: the\n"
	"                      scanout's)\n"
	"  -H, --height H      the raw frame's height in pixels (default: the\n"
	"                      scanout's)\n"
	"      --render CMD    let CMD (through sh -c) draw the frame into the BO\n"
	"                      itself: it inherits the BO as a dma-buf, fd\n"
	"                      $GRING_FRAME_FD, XRGB8888, $GRING_FRAME_WIDTH x\n"
	"                      $GRING_FRAME_HEIGHT pixels $GRING_FRAME_STRIDE\n"
	"                      bytes apart; it must exit 0\n"
	"  -s, --scanout N     the scanout to use (default 0)\n"
	"      --hold SECONDS  keep the frame up this long before exiting\n"
	"      --exec CMD      run CMD (through sh -c) while the frame is up;\n"
	"                      its non-zero exit status fails the command\n"
	"  -j, --json          print one JSON object instead of text\n"
	"  -d, --device PATH   use this DRM node instead of searching\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	"No virtio-gpu bound to gring? As root, for the PCI function BDF:\n"
	"  echo BDF > /sys/bus/pci/devices/BDF/driver/unbind\n"
	"  echo gring > /sys/bus/pci/devices/BDF/driver_override\n"
	"  echo BDF > /sys/bus/pci/drivers_probe\n";

enum pattern {
	PATTERN_BARS,
	PATTERN_GRADIENT,
	PATTERN_CHECKER,
	PATTERN_RAW,
	PATTERN_RENDER,
};

static const char *const pattern_names[] = {
	[PATTERN_BARS] = "bars",
	[PATTERN_GRADIENT] = "gradient",
	[PATTERN_CHECKER] = "checker",
	[PATTERN_RAW] = "raw",
	[PATTERN_RENDER] = "render",
};

struct present_opts {
	enum pattern pattern;
	const char *raw;
	const char *render;
	uint32_t width, height;		/* the raw frame's, 0 if not given */
	uint32_t scanout;
	unsigned int hold_s;
	const char *exec;
	bool json;
};

/* What it did, for the report. */
struct present_result {
	struct gring_vgpu_scanout mode;
	struct gring_vgpu_resource res;
	uint64_t bo_size;
	double info_ms, setup_ms, present_ms;
	int exec_status;		/* -1: no --exec */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* "1280" -> 1280; anything but a whole number in [min, max] is false. */
static bool parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n < min || n > max)
		return false;
	*v = (uint32_t)n;
	return true;
}

/* An XRGB8888 pixel of test pattern @p at (@x, @y) of a @w x @h frame. */
static uint32_t pattern_pixel(enum pattern p, uint32_t x, uint32_t y,
			      uint32_t w, uint32_t h)
{
	/* White, yellow, cyan, green, magenta, red, blue, black. */
	static const uint32_t bars[8] = {
		0xffffff, 0xffff00, 0x00ffff, 0x00ff00,
		0xff00ff, 0xff0000, 0x0000ff, 0x000000,
	};
	uint32_t r, g;

	switch (p) {
	case PATTERN_GRADIENT:
		r = w > 1 ? (uint32_t)((uint64_t)x * 255 / (w - 1)) : 0;
		g = h > 1 ? (uint32_t)((uint64_t)y * 255 / (h - 1)) : 0;
		return r << 16 | g << 8 | 0x80;
	case PATTERN_CHECKER:
		return ((x / 32) ^ (y / 32)) & 1 ? 0xffffff : 0x000000;
	default:
		return bars[(uint64_t)x * 8 / w];
	}
}

/*
 * Fill the backing: rows of res->width pixels, stored little-endian
 * whatever the CPU (XRGB8888 is defined on bytes B, G, R, X).
 */
static void fill_pattern(uint8_t *p, enum pattern pat,
			 const struct gring_vgpu_resource *res)
{
	uint32_t x, y;

	for (y = 0; y < res->height; y++) {
		for (x = 0; x < res->width; x++, p += 4) {
			uint32_t v = pattern_pixel(pat, x, y, res->width,
						   res->height);

			p[0] = v & 0xff;
			p[1] = (v >> 8) & 0xff;
			p[2] = (v >> 16) & 0xff;
			p[3] = 0xff;
		}
	}
}

/* Read exactly @len bytes of @path into @p; the file must be that long. */
static int read_raw(const char *path, uint8_t *p, uint64_t len)
{
	struct stat st;
	uint64_t done = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "gringctl present: %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != len) {
		fprintf(stderr,
			"gringctl present: %s: %" PRIu64 " bytes, want %" PRIu64
			" (width * height * 4)\n", path,
			(uint64_t)st.st_size, len);
		close(fd);
		return -1;
	}
	while (done < len) {
		ssize_t n = read(fd, p + done, len - done);

		if (n <= 0) {
			fprintf(stderr, "gringctl present: %s: %s\n", path,
				n ? strerror(errno) : "short read");
			ret = -1;
			break;
		}
		done += (uint64_t)n;
	}
	close(fd);
	return ret;
}

/* Is sysfs file @dir/@dev/@attr exactly @want (newline included)? */
static bool pci_attr_is(const char *dir, const char *dev, const char *attr,
			const char *want)
{
	char path[PATH_MAX], val[16] = "";
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, dev, attr);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(val, sizeof(val), f) && !strcmp(val, want);
	fclose(f);
	return ok;
}

/* The virtio-gpu PCI functions and their drivers, for the bind hint. */
static void hint_virtio_gpus(void)
{
	const char *dir = "/sys/bus/pci/devices";
	struct dirent *e;
	bool any = false;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX], link[PATH_MAX] = "";
		ssize_t n;

		if (e->d_name[0] == '.' ||
		    !pci_attr_is(dir, e->d_name, "vendor", "0x1af4\n") ||
		    !pci_attr_is(dir, e->d_name, "device", "0x1050\n"))
			continue;
		snprintf(path, sizeof(path), "%s/%s/driver", dir, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		fprintf(stderr, "  virtio-gpu at %s, driver %s\n", e->d_name,
			n > 0 ? strrchr(link, '/') + 1 : "(none)");
		any = true;
	}
	closedir(d);
	if (!any)
		fprintf(stderr, "  (no virtio-gpu PCI function on this machine)\n");
}

/* Open the gring device with the virtio-gpu engine, or say why not. */
static int open_vgpu(const struct global_opts *g, struct gring_device *dev)
{
	struct gring_device any;
	uint64_t mask;
	int ret;

	if (g->device) {
		ret = open_device(g, dev);
		if (ret)
			return ret;
		ret = gring_device_engines(dev, &mask);
		if (!ret && !(mask & (1ull << DRM_GRING_ENGINE_VIRTIO_GPU)))
			ret = -ENODEV;
		if (ret) {
			fprintf(stderr,
				"gringctl present: %s: %s\n", g->device,
				ret == -ENODEV ? "this gring device has no virtio-gpu engine" :
				strerror(-ret));
			gring_device_close(dev);
		}
		return ret;
	}

	ret = gring_device_open_engine(dev, DRM_GRING_ENGINE_VIRTIO_GPU);
	if (ret != -ENODEV) {
		if (ret)
			fprintf(stderr, "gringctl present: cannot open a gring device: %s\n",
				strerror(-ret));
		return ret;
	}

	/* Tell "no gring at all" from "gring, but no virtio-gpu bound". */
	ret = gring_device_open(&any);
	if (ret == -ENODEV) {
		fprintf(stderr,
			"gringctl present: no gring device found (is gring.ko loaded?)\n");
		return -ENODEV;
	}
	if (!ret)
		gring_device_close(&any);
	fprintf(stderr,
		"gringctl present: no virtio-gpu device is bound to gring.\n"
		"Bind one as root (BDF: its PCI address, e.g. 0000:00:03.0):\n"
		"  echo BDF > /sys/bus/pci/devices/BDF/driver/unbind\n"
		"  echo gring > /sys/bus/pci/devices/BDF/driver_override\n"
		"  echo BDF > /sys/bus/pci/drivers_probe\n");
	hint_virtio_gpus();
	return -ENODEV;
}

/*
 * Run @cmd with the frame's BO as a dma-buf it inherits, and wait for it:
 * it draws straight into the BO's memory. 0 if it exited 0.
 */
static int render_into(const struct gring_device *dev, const struct gring_bo *bo,
		       const struct gring_vgpu_resource *res, const char *cmd)
{
	char num[4][24];
	int fd, status;
	pid_t pid;

	/* Not close-on-exec: the renderer is to inherit it. */
	if (drmPrimeHandleToFD(gring_device_fd(dev), bo->handle, DRM_RDWR, &fd)) {
		fprintf(stderr, "gringctl present: exporting the frame's BO: %s\n",
			strerror(errno));
		return -errno;
	}
	snprintf(num[0], sizeof(num[0]), "%d", fd);
	snprintf(num[1], sizeof(num[1]), "%u", res->width);
	snprintf(num[2], sizeof(num[2]), "%u", res->height);
	snprintf(num[3], sizeof(num[3]), "%u", res->width * 4);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setenv("GRING_FRAME_FD", num[0], 1);
		setenv("GRING_FRAME_WIDTH", num[1], 1);
		setenv("GRING_FRAME_HEIGHT", num[2], 1);
		setenv("GRING_FRAME_STRIDE", num[3], 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "gringctl present: --render: %s\n", strerror(errno));
		return -errno;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "gringctl present: --render '%s' failed (status %d)\n",
			cmd, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -EIO;
	}
	return 0;
}

/* Run @cmd through sh -c; its exit status, or -1 if it did not run. */
static int run_exec(const char *cmd)
{
	int status;

	fflush(stdout);
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void report_text(const struct gring_device *dev,
			const struct present_opts *o,
			const struct present_result *r)
{
	const struct drm_gring_vgpu_rect *m = &r->mode.rect;

	printf("node:      %s\n", gring_device_path(dev));
	printf("scanout:   %u, %ux%u+%u+%u as the device reports it\n",
	       o->scanout, m->width, m->height, m->x, m->y);
	printf("resource:  id %u, %ux%u XRGB8888, backed by a %" PRIu64
	       "-byte BO\n", r->res.id, r->res.width, r->res.height,
	       r->bo_size);
	if (o->pattern == PATTERN_RAW)
		printf("image:     raw frame %s\n", o->raw);
	else if (o->pattern == PATTERN_RENDER)
		printf("image:     drawn into the BO by: %s\n", o->render);
	else
		printf("image:     test pattern \"%s\"\n",
		       pattern_names[o->pattern]);
	printf("display info %.2f ms, create + attach + scanout %.2f ms, "
	       "transfer + flush %.2f ms (each waited for)\n",
	       r->info_ms, r->setup_ms, r->present_ms);
}

static struct json_object *rect_json(const struct drm_gring_vgpu_rect *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "x", json_object_new_int64(r->x));
	json_object_object_add(o, "y", json_object_new_int64(r->y));
	json_object_object_add(o, "width", json_object_new_int64(r->width));
	json_object_object_add(o, "height", json_object_new_int64(r->height));
	return o;
}

static struct json_object *ms_json(double ms)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", ms);
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

static void report_json(const struct gring_device *dev,
			const struct present_opts *o,
			const struct present_result *r)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *scanout = json_object_new_object();
	struct json_object *res = json_object_new_object();
	struct json_object *image = json_object_new_object();
	struct json_object *times = json_object_new_object();

	json_object_object_add(doc, "node",
			       json_object_new_string(gring_device_path(dev)));
	json_object_object_add(scanout, "id", json_object_new_int64(o->scanout));
	json_object_object_add(scanout, "mode", rect_json(&r->mode.rect));
	json_object_object_add(scanout, "enabled",
			       json_object_new_boolean(r->mode.enabled));
	json_object_object_add(doc, "scanout", scanout);
	json_object_object_add(res, "id", json_object_new_int64(r->res.id));
	json_object_object_add(res, "format",
			       json_object_new_string("XRGB8888"));
	json_object_object_add(res, "width", json_object_new_int64(r->res.width));
	json_object_object_add(res, "height",
			       json_object_new_int64(r->res.height));
	json_object_object_add(res, "bo_size",
			       json_object_new_uint64(r->bo_size));
	json_object_object_add(doc, "resource", res);
	json_object_object_add(image, "source", json_object_new_string(
				       pattern_names[o->pattern]));
	if (o->raw)
		json_object_object_add(image, "file",
				       json_object_new_string(o->raw));
	if (o->render)
		json_object_object_add(image, "command",
				       json_object_new_string(o->render));
	json_object_object_add(doc, "image", image);
	json_object_object_add(times, "display_info_ms", ms_json(r->info_ms));
	json_object_object_add(times, "setup_ms", ms_json(r->setup_ms));
	json_object_object_add(times, "present_ms", ms_json(r->present_ms));
	json_object_object_add(doc, "times", times);
	if (r->exec_status >= 0)
		json_object_object_add(doc, "exec_status",
				       json_object_new_int(r->exec_status));

	puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

static int parse_present_opts(int argc, char **argv, struct global_opts *g,
			      struct present_opts *o)
{
	enum { OPT_HOLD = 0x100, OPT_EXEC, OPT_RENDER };
	static const struct option longopts[] = {
		{ "pattern", required_argument, NULL, 'p' },
		{ "raw", required_argument, NULL, 'r' },
		{ "width", required_argument, NULL, 'W' },
		{ "height", required_argument, NULL, 'H' },
		{ "scanout", required_argument, NULL, 's' },
		{ "hold", required_argument, NULL, OPT_HOLD },
		{ "exec", required_argument, NULL, OPT_EXEC },
		{ "render", required_argument, NULL, OPT_RENDER },
		{ "json", no_argument, NULL, 'j' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_pattern = false;
	uint32_t hold;
	int opt;
	unsigned int i;

	while ((opt = getopt_long(argc, argv, ":p:r:W:H:s:jd:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			for (i = 0; i < PATTERN_RAW; i++)
				if (!strcmp(optarg, pattern_names[i]))
					break;
			if (i == PATTERN_RAW)
				return usage_error("present",
						   "unknown pattern '%s' (bars, gradient, checker)",
						   optarg);
			o->pattern = i;
			have_pattern = true;
			break;
		case 'r':
			o->raw = optarg;
			break;
		case 'W':
			if (!parse_u32(optarg, 1, DRM_GRING_VGPU_MAX_DIM, &o->width))
				return usage_error("present", "bad width '%s' (1 to %u)",
						   optarg, DRM_GRING_VGPU_MAX_DIM);
			break;
		case 'H':
			if (!parse_u32(optarg, 1, DRM_GRING_VGPU_MAX_DIM, &o->height))
				return usage_error("present", "bad height '%s' (1 to %u)",
						   optarg, DRM_GRING_VGPU_MAX_DIM);
			break;
		case 's':
			if (!parse_u32(optarg, 0, GRING_VGPU_MAX_SCANOUTS - 1,
				       &o->scanout))
				return usage_error("present", "bad scanout '%s' (0 to %u)",
						   optarg, GRING_VGPU_MAX_SCANOUTS - 1);
			break;
		case OPT_HOLD:
			if (!parse_u32(optarg, 0, 86400, &hold))
				return usage_error("present", "bad --hold '%s' (seconds)",
						   optarg);
			o->hold_s = hold;
			break;
		case OPT_EXEC:
			o->exec = optarg;
			break;
		case OPT_RENDER:
			o->render = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'd':
			g->device = optarg;
			break;
		case 'h':
			fputs(present_usage, stdout);
			return EXIT_SUCCESS;
		default:
			return bad_option("present", opt, argv);
		}
	}
	if (optind < argc)
		return usage_error("present", "unexpected argument '%s'",
				   argv[optind]);
	if (!!o->raw + !!o->render + have_pattern > 1)
		return usage_error("present",
				   "--pattern, --raw and --render exclude each other");
	if (o->render)
		o->pattern = PATTERN_RENDER;
	if (o->raw && !o->width != !o->height)
		return usage_error("present", "--width and --height go together");
	if (!o->raw && (o->width || o->height))
		return usage_error("present", "--width and --height go with --raw");
	if (o->raw)
		o->pattern = PATTERN_RAW;
	return -1;
}

/* The kernel objects of one presentation. */
struct present_ctx {
	struct gring_cmdring ring;
	struct gring_bo resp;
	struct gring_bo bo;
};

/*
 * Everything from the ring to the frame on the scanout; 0 or a negative
 * errno, said on stderr. present_end() releases what it made either way.
 */
static int present_show(const struct gring_device *dev,
			const struct present_opts *o, struct present_ctx *c,
			struct present_result *r)
{
	struct drm_gring_vgpu_cmd cmds[3];
	struct gring_vgpu_display_info info;
	struct drm_gring_vgpu_rect whole;
	const char *what;
	double t;
	int ret;

	what = "creating a virtio-gpu ring";
	ret = gring_cmdring_create(dev, DRM_GRING_ENGINE_VIRTIO_GPU, 0,
				   &c->ring);
	if (ret)
		goto fail;

	what = "the response buffer";
	ret = gring_bo_create(dev, GRING_VGPU_RESP_DISPLAY_SIZE, 0, &c->resp);
	if (!ret)
		ret = gring_bo_map(dev, &c->resp);
	if (ret)
		goto fail;

	what = "GET_DISPLAY_INFO";
	t = now_ms();
	ret = gring_vgpu_display_info(dev, &c->ring, &c->resp, 0, &info,
				      JOB_TIMEOUT_NS);
	r->info_ms = now_ms() - t;
	if (ret)
		goto fail;
	r->mode = info.scanouts[o->scanout];
	if (!r->mode.enabled || !r->mode.rect.width || !r->mode.rect.height) {
		fprintf(stderr, "gringctl present: scanout %u is not enabled on this device\n",
			o->scanout);
		return -ENODEV;
	}

	r->res = (struct gring_vgpu_resource){
		.id = RESOURCE_ID,
		.format = GRING_VGPU_FORMAT_XRGB8888,
		.width = o->width ? o->width : r->mode.rect.width,
		.height = o->height ? o->height : r->mode.rect.height,
	};
	whole = (struct drm_gring_vgpu_rect){
		.width = r->res.width,
		.height = r->res.height,
	};

	what = "the frame's buffer object";
	ret = gring_bo_create(dev, gring_vgpu_backing_size(&r->res), 0, &c->bo);
	if (!ret)
		ret = gring_bo_map(dev, &c->bo);
	if (ret)
		goto fail;
	r->bo_size = c->bo.size;

	/* No job has the BO yet; the CPU takes it anyway, as a client must. */
	what = "CPU_PREP of the frame";
	ret = gring_cpu_prep(dev, &c->bo, 0, c->bo.size, DRM_GRING_PREP_WRITE,
			     JOB_TIMEOUT_NS);
	if (ret)
		goto fail;
	if (o->render) {
		/* render_into() said why, if it failed. */
		ret = render_into(dev, &c->bo, &r->res, o->render);
	} else if (o->raw) {
		if (read_raw(o->raw, c->bo.map, gring_vgpu_backing_size(&r->res)))
			ret = -EINVAL;
	} else {
		fill_pattern(c->bo.map, o->pattern, &r->res);
	}
	gring_cpu_fini(dev, &c->bo, 0, c->bo.size);
	if (ret)
		return ret;	/* read_raw() said why */

	what = "RESOURCE_CREATE_2D + ATTACH_BACKING + SET_SCANOUT";
	gring_vgpu_op_create_2d(&cmds[0], &r->res);
	gring_vgpu_op_attach_backing(&cmds[1], &r->res, &c->bo, 0,
				     gring_vgpu_backing_size(&r->res));
	gring_vgpu_op_set_scanout(&cmds[2], o->scanout, &r->res, &whole);
	t = now_ms();
	ret = gring_vgpu_run(dev, &c->ring, cmds, 3, 0, JOB_TIMEOUT_NS);
	r->setup_ms = now_ms() - t;
	if (ret)
		goto fail;

	what = "TRANSFER_TO_HOST_2D + RESOURCE_FLUSH";
	t = now_ms();
	ret = gring_vgpu_present(dev, &c->ring, &r->res, NULL, 0,
				 JOB_TIMEOUT_NS);
	r->present_ms = now_ms() - t;
	if (ret)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "gringctl present: %s: %s\n", what, strerror(-ret));
	return ret;
}

/*
 * Take the frame down in order (scanout off, then the resource) rather
 * than leave it to the file's close, then free the rest.
 */
static int present_end(const struct gring_device *dev,
		       const struct present_opts *o, struct present_ctx *c,
		       const struct present_result *r, bool shown)
{
	struct drm_gring_vgpu_cmd cmds[2];
	int ret = 0;

	if (shown) {
		gring_vgpu_op_set_scanout(&cmds[0], o->scanout, NULL, NULL);
		gring_vgpu_op_unref(&cmds[1], &r->res);
		ret = gring_vgpu_run(dev, &c->ring, cmds, 2, 0, JOB_TIMEOUT_NS);
		if (ret)
			fprintf(stderr,
				"gringctl present: SET_SCANOUT off + RESOURCE_UNREF: %s\n",
				strerror(-ret));
	}
	gring_bo_close(dev, &c->bo);
	gring_bo_close(dev, &c->resp);
	gring_cmdring_destroy(dev, &c->ring);
	return ret;
}

int cmd_present(int argc, char **argv, struct global_opts *g)
{
	struct present_opts o = { .pattern = PATTERN_BARS };
	struct present_result r = { .exec_status = -1 };
	struct present_ctx c;
	struct gring_device dev;
	int ret;

	ret = parse_present_opts(argc, argv, g, &o);
	if (ret >= 0)
		return ret;

	if (open_vgpu(g, &dev))
		return EXIT_FAILURE;
	memset(&c, 0, sizeof(c));
	ret = present_show(&dev, &o, &c, &r);
	if (!ret) {
		/* Text now, while the frame is up; JSON once all is known. */
		if (!o.json)
			report_text(&dev, &o, &r);
		if (o.exec)
			r.exec_status = run_exec(o.exec);
		if (o.hold_s)
			sleep(o.hold_s);
	}
	if (present_end(&dev, &o, &c, &r, !ret) && !ret)
		ret = -EIO;
	if (!ret && o.json)
		report_json(&dev, &o, &r);
	else if (!ret && o.exec)
		printf("--exec exited %d\n", r.exec_status);
	gring_device_close(&dev);
	if (ret)
		return EXIT_FAILURE;
	if (o.exec && r.exec_status != 0) {
		fprintf(stderr, "gringctl present: --exec '%s' %s %d\n", o.exec,
			r.exec_status < 0 ? "did not run:" : "exited",
			r.exec_status);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
