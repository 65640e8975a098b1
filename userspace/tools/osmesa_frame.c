// SPDX-License-Identifier: MIT
/*
 * The reference frame: a dark background, three flat triangles (red with
 * its right angle top-left, green pointing up, blue with its right angle
 * bottom-right: any flip or mirror changes the picture) and a smooth
 * orange-to-blue gradient band below them. Fixed-function GL 1.x in
 * window coordinates, so the geometry is the same numbers at any size.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <GL/gl.h>
#include <GL/osmesa.h>

#include "osmesa_frame.h"

/* One vertex: position as a fraction of the frame, colour. */
struct vtx {
	float x, y;
	GLubyte r, g, b;
};

/*
 * Fractions, y down. The host test (userspace/tests/osmesa-frame-test.py)
 * keeps its own copy to decide which colour each pixel must have: change
 * both or neither. GL_FLAT takes a triangle's colour from its last vertex.
 */
static const struct vtx triangles[][3] = {
	{ { 0.05f, 0.05f, 230, 40, 40 }, { 0.40f, 0.05f, 230, 40, 40 },
	  { 0.05f, 0.55f, 230, 40, 40 } },
	{ { 0.50f, 0.05f, 40, 200, 80 }, { 0.70f, 0.55f, 40, 200, 80 },
	  { 0.30f, 0.55f, 40, 200, 80 } },
	{ { 0.95f, 0.05f, 60, 90, 230 }, { 0.95f, 0.55f, 60, 90, 230 },
	  { 0.75f, 0.55f, 60, 90, 230 } },
};

/* The gradient band: left edge orange, right edge blue. */
static const struct vtx band[4] = {
	{ 0.05f, 0.62f, 255, 128, 0 }, { 0.95f, 0.62f, 0, 128, 255 },
	{ 0.95f, 0.92f, 0, 128, 255 }, { 0.05f, 0.92f, 255, 128, 0 },
};

static void vertex(const struct vtx *v, unsigned int w, unsigned int h)
{
	glColor3ub(v->r, v->g, v->b);
	glVertex2f(v->x * (float)w, v->y * (float)h);
}

static void draw_scene(unsigned int w, unsigned int h)
{
	size_t i;
	int k;

	glViewport(0, 0, (GLsizei)w, (GLsizei)h);
	glMatrixMode(GL_PROJECTION);
	glLoadIdentity();
	/* y = 0 at the top: the scene reads like the image it becomes. */
	glOrtho(0, w, h, 0, -1, 1);
	glMatrixMode(GL_MODELVIEW);
	glLoadIdentity();
	glDisable(GL_DEPTH_TEST);
	glDisable(GL_DITHER);	/* dithering would make pixels noisy */

	glClearColor(0x18 / 255.0f, 0x20 / 255.0f, 0x30 / 255.0f, 1.0f);
	glClear(GL_COLOR_BUFFER_BIT);

	glShadeModel(GL_FLAT);
	glBegin(GL_TRIANGLES);
	for (i = 0; i < sizeof(triangles) / sizeof(triangles[0]); i++)
		for (k = 0; k < 3; k++)
			vertex(&triangles[i][k], w, h);
	glEnd();

	glShadeModel(GL_SMOOTH);
	glBegin(GL_QUADS);
	for (k = 0; k < 4; k++)
		vertex(&band[k], w, h);
	glEnd();
	glFinish();
}

int osmesa_frame_render(void *pixels, unsigned int width, unsigned int height,
			size_t stride, char *renderer, size_t renderer_len)
{
	OSMesaContext ctx;
	const GLubyte *name;

	if (!pixels || !width || !height || width > OSMESA_FRAME_MAX_DIM ||
	    height > OSMESA_FRAME_MAX_DIM || stride % 4 ||
	    stride < (size_t)width * 4 || stride / 4 > OSMESA_FRAME_MAX_DIM)
		return -EINVAL;

	/* BGRA: bytes B, G, R, A in memory, i.e. XRGB8888 little-endian. */
	ctx = OSMesaCreateContextExt(OSMESA_BGRA, 0, 0, 0, NULL);
	if (!ctx)
		return -ENOMEM;
	if (!OSMesaMakeCurrent(ctx, pixels, GL_UNSIGNED_BYTE, (GLsizei)width,
			       (GLsizei)height)) {
		OSMesaDestroyContext(ctx);
		return -EIO;
	}
	/* Row 0 at the top, as scanout reads it (GL's default is bottom). */
	OSMesaPixelStore(OSMESA_Y_UP, 0);
	OSMesaPixelStore(OSMESA_ROW_LENGTH, (GLint)(stride / 4));

	draw_scene(width, height);

	if (renderer && renderer_len) {
		name = glGetString(GL_RENDERER);
		snprintf(renderer, renderer_len, "%s",
			 name ? (const char *)name : "unknown");
	}
	OSMesaMakeCurrent(NULL, NULL, GL_UNSIGNED_BYTE, 0, 0);
	OSMesaDestroyContext(ctx);
	return 0;
}
