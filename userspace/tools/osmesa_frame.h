/* SPDX-License-Identifier: MIT */
/*
 * osmesa_frame: gring's reference frame, rendered by Mesa's llvmpipe
 * through OSMesa into memory the caller owns (a mapped gring BO, or a
 * plain buffer), in the layout a virtio-gpu B8G8R8X8_UNORM resource
 * holds: XRGB8888 little-endian (bytes B, G, R, X), row 0 at the top.
 */
#ifndef GRING_OSMESA_FRAME_H
#define GRING_OSMESA_FRAME_H

#include <stddef.h>

/* OSMesa's own limit is larger; virtio-gpu's 2D resources stop here. */
#define OSMESA_FRAME_MAX_DIM	16384

/**
 * osmesa_frame_render() - render the reference scene into @pixels
 * @pixels: width x height pixels, @stride bytes apart, written in full
 * @width: 1 to OSMESA_FRAME_MAX_DIM
 * @height: 1 to OSMESA_FRAME_MAX_DIM
 * @stride: bytes from one row to the next, a multiple of 4, >= width * 4
 * @renderer: if not NULL, receives GL_RENDERER (e.g. "llvmpipe (LLVM ...)")
 * @renderer_len: size of @renderer
 *
 * The scene is fixed and has no time in it: the same size gives the same
 * bytes on every call. Nothing is kept between calls (the OSMesa context
 * lives for the call only). The X byte of every pixel is 0xff.
 *
 * Return: 0, -EINVAL for a bad size or stride, -ENOMEM or -EIO if OSMesa
 * could not make or use a context.
 */
int osmesa_frame_render(void *pixels, unsigned int width, unsigned int height,
			size_t stride, char *renderer, size_t renderer_len);

#endif
