// SPDX-License-Identifier: MIT
/*
 * gring-osmesa-frame: render gring's reference frame with Mesa's llvmpipe
 * (OSMesa) and write it as a raw XRGB8888 little-endian file (bytes B, G,
 * R, X; stride width * 4; row 0 at the top), the layout a virtio-gpu
 * B8G8R8X8_UNORM resource takes and tools/png-compare reads.
 *
 *   gring-osmesa-frame --out FILE --width W --height H [--stride S] [--json]
 *   gring-osmesa-frame --dmabuf [--out FILE] [--json]
 *
 * With --dmabuf it renders straight into a buffer another process hands
 * it as a dma-buf (`gringctl present --render`: a gring BO): fd, size and
 * stride from GRING_FRAME_FD, _WIDTH, _HEIGHT and _STRIDE. The CPU's
 * writes are bracketed by DMA_BUF_IOCTL_SYNC, as the dma-buf uapi asks;
 * --out then also writes what the buffer holds.
 *
 * Exit status: 0 written, 1 rendering or writing failed, 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/dma-buf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "osmesa_frame.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gring-osmesa-frame --out FILE --width W --height H [--stride S] [--json]\n"
		"\n"
		"Render gring's reference frame (three flat triangles and a gradient band\n"
		"on a dark background; fixed, no time in it) with Mesa's llvmpipe through\n"
		"OSMesa and write it to FILE as raw XRGB8888 little-endian: W*H pixels of\n"
		"bytes B, G, R, X (X = 0xff), stride W*4, row 0 at the top -- what a\n"
		"virtio-gpu B8G8R8X8_UNORM resource holds.\n"
		"\n"
		"  --out FILE    where to write the frame ('-': standard output)\n"
		"  --width W     pixels, 1 to %d\n"
		"  --height H    pixels, 1 to %d\n"
		"  --stride S    bytes per row in FILE, a multiple of 4, >= W*4 (default\n"
		"                W*4); the bytes past W*4 in each row are zero\n"
		"  --dmabuf      render into the dma-buf whose fd, width, height and\n"
		"                stride are in GRING_FRAME_FD, GRING_FRAME_WIDTH,\n"
		"                GRING_FRAME_HEIGHT and GRING_FRAME_STRIDE (what\n"
		"                'gringctl present --render' passes); --out optional\n"
		"  --json        report size, renderer and render time as JSON\n"
		"  -h, --help    this text\n"
		"\n"
		"Exit status: 0 written, 1 rendering or writing failed, 2 bad usage.\n",
		OSMESA_FRAME_MAX_DIM, OSMESA_FRAME_MAX_DIM);
}

static int bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "gring-osmesa-frame: %s%s%s\n", msg, arg ? ": " : "",
		arg ? arg : "");
	fprintf(stderr, "Try 'gring-osmesa-frame --help'.\n");
	return 2;
}

static bool parse_dim(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < 1 ||
	    v > OSMESA_FRAME_MAX_DIM)
		return false;
	*out = (unsigned int)v;
	return true;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* An environment variable as a number in [min, max], or -1. */
static long env_num(const char *name, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	return n;
}

static int dmabuf_sync(int fd, unsigned long long flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync) ? -errno : 0;
}

static int write_all(const char *path, const void *buf, size_t len)
{
	bool to_stdout = !strcmp(path, "-");
	FILE *f = to_stdout ? stdout : fopen(path, "wb");
	int ret = 0;

	if (!f)
		return -errno;
	if (fwrite(buf, 1, len, f) != len)
		ret = -EIO;
	if ((to_stdout ? fflush(f) : fclose(f)) && !ret)
		ret = -errno;
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "width", required_argument, NULL, 'W' },
		{ "height", required_argument, NULL, 'H' },
		{ "stride", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "dmabuf", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	unsigned int w = 0, h = 0;
	unsigned long stride = 0;
	char *end;
	bool json = false, dmabuf = false;
	int dfd = -1;
	char renderer[128];
	double t0, render_ms;
	size_t len;
	void *buf;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'W':
			if (!parse_dim(optarg, &w))
				return bad_usage("bad --width", optarg);
			break;
		case 'H':
			if (!parse_dim(optarg, &h))
				return bad_usage("bad --height", optarg);
			break;
		case 's':
			errno = 0;
			stride = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    !stride || stride % 4 ||
			    stride / 4 > OSMESA_FRAME_MAX_DIM)
				return bad_usage("bad --stride", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'd':
			dmabuf = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			return bad_usage("option needs an argument", argv[optind - 1]);
		default:
			return bad_usage("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument", argv[optind]);
	if (dmabuf) {
		if (w || h || stride)
			return bad_usage("--dmabuf takes the size from GRING_FRAME_*", NULL);
		dfd = env_num("GRING_FRAME_FD", 0, 1 << 20);
		w = env_num("GRING_FRAME_WIDTH", 1, OSMESA_FRAME_MAX_DIM);
		h = env_num("GRING_FRAME_HEIGHT", 1, OSMESA_FRAME_MAX_DIM);
		stride = env_num("GRING_FRAME_STRIDE", 4, 4L * OSMESA_FRAME_MAX_DIM);
		if (dfd < 0 || (int)w < 0 || (int)h < 0 || (long)stride < 0)
			return bad_usage("--dmabuf: GRING_FRAME_FD, _WIDTH, _HEIGHT and _STRIDE must be set", NULL);
	} else if (!out || !w || !h) {
		return bad_usage("--out, --width and --height are required", NULL);
	}
	if (json && out && !strcmp(out, "-"))
		return bad_usage("--json and --out - both want standard output", NULL);

	if (!stride)
		stride = (unsigned long)w * 4;
	if (stride < (unsigned long)w * 4 || stride % 4)
		return bad_usage("the stride is less than width * 4, or not a multiple of 4", NULL);
	len = (size_t)stride * h;
	if (dmabuf) {
		buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
		if (buf == MAP_FAILED) {
			fprintf(stderr, "gring-osmesa-frame: mapping the dma-buf: %s\n",
				strerror(errno));
			return 1;
		}
	} else {
		buf = calloc(1, len);
	}
	if (!buf) {
		fprintf(stderr, "gring-osmesa-frame: no memory for %zu bytes\n", len);
		return 1;
	}
	t0 = now_ms();
	ret = dmabuf ? dmabuf_sync(dfd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW) : 0;
	if (!ret)
		ret = osmesa_frame_render(buf, w, h, stride, renderer,
					  sizeof(renderer));
	render_ms = now_ms() - t0;
	if (!ret && out && dmabuf) {
		/*
		 * Through a copy: write() straight from a device mapping
		 * fails on filesystems that pin the user pages (9p does).
		 */
		void *copy = malloc(len);

		ret = copy ? 0 : -ENOMEM;
		if (copy) {
			memcpy(copy, buf, len);
			ret = write_all(out, copy, len);
			free(copy);
		}
	} else if (!ret && out) {
		ret = write_all(out, buf, len);
	}
	if (dmabuf) {
		int end = dmabuf_sync(dfd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);

		ret = ret ?: end;
		munmap(buf, len);
	} else {
		free(buf);
	}
	if (ret) {
		fprintf(stderr, "gring-osmesa-frame: %s: %s\n",
			out ? out : "rendering", strerror(-ret));
		return 1;
	}
	if (json) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "out", out ? json_object_new_string(out) : NULL);
		json_object_object_add(doc, "into", json_object_new_string(dmabuf ? "dma-buf" : "memory"));
		json_object_object_add(doc, "width", json_object_new_int(w));
		json_object_object_add(doc, "height", json_object_new_int(h));
		json_object_object_add(doc, "stride",
				       json_object_new_int64((int64_t)stride));
		json_object_object_add(doc, "format",
				       json_object_new_string("XRGB8888"));
		json_object_object_add(doc, "bytes", json_object_new_int64(len));
		json_object_object_add(doc, "renderer",
				       json_object_new_string(renderer));
		json_object_object_add(doc, "render_ms",
				       json_object_new_double(render_ms));
		puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
		json_object_put(doc);
	} else if (!out || strcmp(out, "-")) {
		printf("%s: %ux%u XRGB8888, %zu bytes, rendered by %s in %.1f ms\n",
		       dmabuf ? "dma-buf" : out, w, h, len, renderer, render_ms);
	}
	return 0;
}
