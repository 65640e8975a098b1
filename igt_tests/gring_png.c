// SPDX-License-Identifier: MIT
/*
 * PNG reading, from the PNG specification (W3C, 2nd edition): the
 * signature, then chunks (length, type, data, CRC); IHDR first, the
 * image's zlib stream split over IDAT chunks, IEND last. Each decoded row
 * starts with its filter type (section 9), undone here byte by byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gring_png.h"

/* Largest image taken: the bench's screens are 1280x800. */
#define MAX_SIDE	16384u

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The Paeth predictor (section 9.4). */
static uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
	int p = a + b - c;
	int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* Undo each row's filter: @raw holds rows of 1 + @stride bytes. */
static int unfilter(const uint8_t *raw, struct gring_png *img)
{
	const size_t stride = (size_t)img->width * img->bpp;
	const uint32_t bpp = img->bpp;
	uint32_t y;
	size_t x;

	for (y = 0; y < img->height; y++) {
		const uint8_t *in = raw + y * (stride + 1);
		uint8_t *out = img->pixels + y * stride;
		const uint8_t *up = y ? out - stride : NULL;
		uint8_t filter = *in++;

		if (filter > 4)
			return -EINVAL;
		for (x = 0; x < stride; x++) {
			uint8_t a = x >= bpp ? out[x - bpp] : 0;
			uint8_t b = up ? up[x] : 0;
			uint8_t c = up && x >= bpp ? up[x - bpp] : 0;
			uint8_t pred = 0;

			switch (filter) {
			case 1:
				pred = a;
				break;
			case 2:
				pred = b;
				break;
			case 3:
				pred = (uint8_t)((a + b) / 2);
				break;
			case 4:
				pred = paeth(a, b, c);
				break;
			}
			out[x] = (uint8_t)(in[x] + pred);
		}
	}
	return 0;
}

int gring_png_decode(const uint8_t *data, size_t len, struct gring_png *img)
{
	static const uint8_t sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	};
	uint8_t *idat = NULL, *raw = NULL;
	size_t idat_len = 0, pos = sizeof(sig);
	int have_ihdr = 0, have_iend = 0, ret = -EINVAL;
	uLongf raw_len, want;

	memset(img, 0, sizeof(*img));
	if (len < sizeof(sig) || memcmp(data, sig, sizeof(sig)))
		return -EINVAL;

	while (!have_iend && len - pos >= 12) {
		uint32_t n = be32(data + pos);
		const uint8_t *type = data + pos + 4, *body = data + pos + 8;

		if (n > len - pos - 12)
			goto out;
		if (be32(body + n) != crc32(0, type, n + 4))
			goto out;
		if (!memcmp(type, "IHDR", 4)) {
			if (n != 13 || have_ihdr)
				goto out;
			img->width = be32(body);
			img->height = be32(body + 4);
			/* 8 bits, RGB (2) or RGBA (6), deflate, filter 0, no interlace. */
			if (body[8] != 8 || (body[9] != 2 && body[9] != 6) ||
			    body[10] || body[11] || body[12])
				goto out;
			if (!img->width || !img->height ||
			    img->width > MAX_SIDE || img->height > MAX_SIDE)
				goto out;
			img->bpp = body[9] == 2 ? 3 : 4;
			have_ihdr = 1;
		} else if (!memcmp(type, "IDAT", 4)) {
			uint8_t *more;

			if (!have_ihdr)
				goto out;
			more = realloc(idat, idat_len + n + 1);
			if (!more) {
				ret = -ENOMEM;
				goto out;
			}
			idat = more;
			memcpy(idat + idat_len, body, n);
			idat_len += n;
		} else if (!memcmp(type, "IEND", 4)) {
			have_iend = 1;
		}
		pos += 12 + (size_t)n;
	}
	if (!have_ihdr || !have_iend || !idat_len)
		goto out;

	want = (uLongf)img->height * ((uLongf)img->width * img->bpp + 1);
	raw = malloc(want);
	img->pixels = malloc((size_t)img->height * img->width * img->bpp);
	if (!raw || !img->pixels) {
		ret = -ENOMEM;
		goto out;
	}
	raw_len = want;
	if (uncompress(raw, &raw_len, idat, idat_len) != Z_OK ||
	    raw_len != want)
		goto out;
	ret = unfilter(raw, img);
out:
	free(idat);
	free(raw);
	if (ret) {
		free(img->pixels);
		img->pixels = NULL;
	}
	return ret;
}

int gring_png_read(const char *path, struct gring_png *img)
{
	uint8_t *buf = NULL;
	size_t len = 0, room = 0;
	FILE *f;
	int ret;

	memset(img, 0, sizeof(*img));
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	for (;;) {
		size_t n;

		if (len == room) {
			uint8_t *more = realloc(buf, room ? 2 * room : 1 << 20);

			if (!more) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = more;
			room = room ? 2 * room : 1 << 20;
		}
		n = fread(buf + len, 1, room - len, f);
		if (!n)
			break;
		len += n;
	}
	ret = ferror(f) ? -EIO : gring_png_decode(buf, len, img);
	fclose(f);
	free(buf);
	return ret;
}
