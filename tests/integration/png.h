/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Just enough PNG to look at a browser's screenshot: 8-bit RGB or RGBA, not interlaced. */
#ifndef SYSRAY_TEST_PNG_H
#define SYSRAY_TEST_PNG_H

#include <stddef.h>
#include <stdint.h>

struct png_image {
	uint32_t w, h;
	uint8_t *rgb; /* w * h * 3 bytes */
};

/* 0, or -1 with a reason in err. */
int png_read(const char *path, struct png_image *img, char *err, size_t len);
void png_free(struct png_image *img);

#endif
