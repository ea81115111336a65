/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sysray top's terminal: ncurses on /dev/tty (so the traced command's output, or sysray's
 * own stdout, can go elsewhere). ncurses sends only what changed between two frames, so a
 * refresh does not flicker and costs little over ssh, and it reads the terminal's
 * capabilities from terminfo rather than assuming ANSI (docs/design.md, "sysray top").
 */
#ifndef SYSRAY_TOP_SCREEN_H
#define SYSRAY_TOP_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "top/top_rows.h"

/* What one screen shows. */
struct top_frame {
	const char *scope; /* printable ASCII */
	enum top_view view;
	enum top_col sort;
	bool asc;
	bool paused;
	bool editing;	    /* the filter is being typed */
	bool waiting;	    /* no refresh yet */
	const char *filter; /* as applied, or as typed so far */
	double refresh_s, elapsed_s;
	double calls_s, errors_s;
	__u64 received, dropped, dropped_window;
	size_t active; /* processes with calls in the window */
	const struct top_row *const *rows;
	size_t nrows;	   /* rows that pass the filter, in order */
	size_t total_rows; /* before the filter */
};

/* Keys that are not characters. */
enum {
	TOP_KEY_NONE = -1,
	TOP_KEY_RESIZE = 0x1000,
	TOP_KEY_LEFT,
	TOP_KEY_RIGHT,
	TOP_KEY_BACKSPACE,
	TOP_KEY_ENTER,
	TOP_KEY_ESC,
	TOP_KEY_REDRAW, /* Ctrl-L */
};

struct top_screen;

/* Whether the view can run here, before tracing starts: 0, or -ENOTTY and a message. */
int top_screen_probe(void);
/* Take the terminal; a message says why not (no terminal, unknown TERM). */
int top_screen__open(struct top_screen **out);
/* Give the terminal back as it was. */
void top_screen__close(struct top_screen *s);
/* The next key pressed, TOP_KEY_NONE if none is waiting; never blocks. */
int top_screen__key(struct top_screen *s);
void top_screen__draw(struct top_screen *s, const struct top_frame *f);
/* Repaint everything at the next draw (Ctrl-L: something else wrote on the terminal). */
void top_screen__invalidate(struct top_screen *s);

#endif /* SYSRAY_TOP_SCREEN_H */
