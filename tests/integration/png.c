// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "png.h"

static int fail(char *err, size_t len, const char *why)
{
	snprintf(err, len, "%s", why);
	return -1;
}

static uint32_t be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undo the per-row filters in place; raw has a filter byte before each row. */
static int unfilter(uint8_t *raw, uint32_t w, uint32_t h, int bpp)
{
	size_t stride = (size_t)w * bpp;

	for (uint32_t y = 0; y < h; y++) {
		uint8_t *row = raw + y * (stride + 1), f = row[0], *cur = row + 1;
		uint8_t *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;

		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)bpp ? cur[x - bpp] : 0, b = prev ? prev[x] : 0;
			int c = prev && x >= (size_t)bpp ? prev[x - bpp] : 0;

			switch (f) {
			case 0:
				break;
			case 1:
				cur[x] += a;
				break;
			case 2:
				cur[x] += b;
				break;
			case 3:
				cur[x] += (a + b) / 2;
				break;
			case 4:
				cur[x] += paeth(a, b, c);
				break;
			default:
				return -1;
			}
		}
	}
	return 0;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (sz = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(sz);
		if (buf && fread(buf, 1, sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		*n = sz;
	}
	fclose(f);
	return buf;
}

int png_read(const char *path, struct png_image *img, char *err, size_t len)
{
	size_t n = 0, idat_len = 0, pos = 8;
	uint8_t *d = slurp(path, &n), *idat = NULL, *raw = NULL;
	uLongf raw_len;
	int bpp = 0, rc = -1;

	memset(img, 0, sizeof(*img));
	if (!d || n < 8 || memcmp(d, "\x89PNG\r\n\x1a\n", 8)) {
		free(d);
		return fail(err, len, "not a PNG file");
	}
	idat = malloc(n);
	while (idat && pos + 12 <= n) {
		uint32_t clen = be32(d + pos);
		const uint8_t *type = d + pos + 4, *c = d + pos + 8;

		if (pos + 12 + clen > n)
			break;
		if (!memcmp(type, "IHDR", 4) && clen >= 13) {
			img->w = be32(c);
			img->h = be32(c + 4);
			bpp = c[9] == 2 ? 3 : c[9] == 6 ? 4 : 0;
			if (c[8] != 8 || c[12] != 0)
				bpp = 0;
		} else if (!memcmp(type, "IDAT", 4)) {
			memcpy(idat + idat_len, c, clen);
			idat_len += clen;
		}
		pos += 12 + clen;
	}
	if (!bpp || !img->w || !img->h) {
		fail(err, len, "not an 8-bit RGB(A) non-interlaced PNG");
		goto cleanup;
	}
	raw_len = (uLongf)img->h * (img->w * bpp + 1);
	raw = malloc(raw_len);
	img->rgb = malloc((size_t)img->w * img->h * 3);
	if (!raw || !img->rgb || uncompress(raw, &raw_len, idat, idat_len) != Z_OK ||
	    raw_len != (uLongf)img->h * (img->w * bpp + 1) || unfilter(raw, img->w, img->h, bpp)) {
		fail(err, len, "corrupt image data");
		goto cleanup;
	}
	for (size_t y = 0; y < img->h; y++)
		for (size_t x = 0; x < img->w; x++)
			memcpy(img->rgb + (y * img->w + x) * 3,
			       raw + y * (img->w * bpp + 1) + 1 + x * bpp, 3);
	rc = 0;
cleanup:
	if (rc)
		png_free(img);
	free(raw);
	free(idat);
	free(d);
	return rc;
}

void png_free(struct png_image *img)
{
	free(img->rgb);
	img->rgb = NULL;
}
