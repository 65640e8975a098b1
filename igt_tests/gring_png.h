/* SPDX-License-Identifier: MIT */
/*
 * A small PNG reader for the screendumps QEMU writes (QMP screendump,
 * "format": "png"): 8-bit RGB or RGBA, not interlaced. Plain C with zlib,
 * no IGT, so a host test can check it (tests/png_test.py).
 */
#ifndef GRING_PNG_H
#define GRING_PNG_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct gring_png - a decoded image
 * @width: pixels per row.
 * @height: rows.
 * @bpp: bytes per pixel, 3 (RGB) or 4 (RGBA).
 * @pixels: @height rows of @width * @bpp bytes, R first; malloc()ed.
 */
struct gring_png {
	uint32_t width;
	uint32_t height;
	uint32_t bpp;
	uint8_t *pixels;
};

/*
 * Decode the PNG in @data (@len bytes) into @img. Returns 0, or -EINVAL
 * for anything malformed or outside what this reader takes, -ENOMEM.
 * On failure @img->pixels is NULL.
 */
int gring_png_decode(const uint8_t *data, size_t len, struct gring_png *img);

/* Read and decode the PNG file @path; as gring_png_decode(), or -errno. */
int gring_png_read(const char *path, struct gring_png *img);

#endif /* GRING_PNG_H */
