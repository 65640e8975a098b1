// SPDX-License-Identifier: MIT
/*
 * Host check of gring_png (the IGT tests' screendump reader):
 *   png_check FILE.png W H BPP FILE.raw   decodes to exactly these pixels
 *   png_check --refuse FILE.png           is refused (-EINVAL)
 * Driven by png_test.py, which writes the files with its own encoder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gring_png.h"

int main(int argc, char **argv)
{
	struct gring_png img;
	unsigned long w, h, bpp;
	size_t size;
	uint8_t *want;
	FILE *f;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "--refuse")) {
		ret = gring_png_read(argv[2], &img);
		if (ret != -EINVAL || img.pixels) {
			fprintf(stderr, "%s: %d, want -EINVAL\n", argv[2], ret);
			return 1;
		}
		return 0;
	}
	if (argc != 6) {
		fprintf(stderr, "usage: png_check FILE.png W H BPP FILE.raw | --refuse FILE.png\n");
		return 2;
	}
	w = strtoul(argv[2], NULL, 10);
	h = strtoul(argv[3], NULL, 10);
	bpp = strtoul(argv[4], NULL, 10);
	ret = gring_png_read(argv[1], &img);
	if (ret) {
		fprintf(stderr, "%s: decode failed: %d\n", argv[1], ret);
		return 1;
	}
	if (img.width != w || img.height != h || img.bpp != bpp) {
		fprintf(stderr, "%s: %ux%u x%u, want %lux%lu x%lu\n", argv[1],
			img.width, img.height, img.bpp, w, h, bpp);
		return 1;
	}
	size = w * h * bpp;
	want = malloc(size + 1);
	f = fopen(argv[5], "rb");
	if (!want || !f || fread(want, 1, size + 1, f) != size) {
		fprintf(stderr, "%s: cannot read %zu bytes\n", argv[5], size);
		return 1;
	}
	fclose(f);
	for (size_t i = 0; i < size; i++) {
		if (img.pixels[i] != want[i]) {
			fprintf(stderr, "%s: byte %zu (pixel %zu): %u, want %u\n",
				argv[1], i, i / bpp, img.pixels[i], want[i]);
			return 1;
		}
	}
	free(want);
	free(img.pixels);
	return 0;
}
