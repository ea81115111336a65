// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <curses.h>
#include <term.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/log.h"
#include "top/top_screen.h"

/* Width of a number column, its separating space included. */
#define NUM_W 10
#define PID_W 8
#define HEAD  4 /* lines above the rows */

struct top_screen {
	FILE *tty;
	SCREEN *scr;
};

int top_screen_probe(void)
{
	const char *term = getenv("TERM");
	FILE *tty = fopen("/dev/tty", "r+e");
	int err = 0, rc = -ENOTTY;
	char *cup;

	if (!tty) {
		p_err("sysray top needs a terminal: /dev/tty: %s", strerror(errno));
		return -ENOTTY;
	}
	if (setupterm(NULL, fileno(tty), &err) != OK) {
		p_err("sysray top: unknown terminal type '%s' (set TERM)", term ? term : "");
	} else {
		/* A terminal that cannot move its cursor (dumb) cannot show a screen. */
		cup = tigetstr("cup");
		if (!cup || cup == (char *)-1)
			p_err("sysray top: terminal type '%s' cannot address the cursor", term);
		else
			rc = 0;
		del_curterm(cur_term);
		cur_term = NULL;
	}
	fclose(tty);
	return rc;
}

int top_screen__open(struct top_screen **out)
{
	struct top_screen *s = calloc(1, sizeof(*s));
	const char *term = getenv("TERM");

	if (!s)
		return -ENOMEM;
	/* The terminal itself: stdout may be a file, and the command's output another. */
	s->tty = fopen("/dev/tty", "r+e");
	if (!s->tty) {
		p_err("sysray top needs a terminal: /dev/tty: %s", strerror(errno));
		free(s);
		return -ENOTTY;
	}
	s->scr = newterm(NULL, s->tty, s->tty);
	if (!s->scr) {
		p_err("sysray top: cannot use terminal type '%s' (set TERM)", term ? term : "");
		fclose(s->tty);
		free(s);
		return -ENOTTY;
	}
	set_term(s->scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	*out = s;
	return 0;
}

void top_screen__close(struct top_screen *s)
{
	if (!s)
		return;
	set_term(s->scr);
	endwin();
	delscreen(s->scr);
	fclose(s->tty);
	free(s);
}

int top_screen__key(struct top_screen *s)
{
	int c;

	set_term(s->scr);
	c = getch();
	switch (c) {
	case ERR:
		return TOP_KEY_NONE;
	case KEY_RESIZE:
		return TOP_KEY_RESIZE;
	case KEY_LEFT:
		return TOP_KEY_LEFT;
	case KEY_RIGHT:
		return TOP_KEY_RIGHT;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return TOP_KEY_BACKSPACE;
	case KEY_ENTER:
	case '\r':
	case '\n':
		return TOP_KEY_ENTER;
	case 27:
		return TOP_KEY_ESC;
	case 12:
		return TOP_KEY_REDRAW;
	default:
		return c >= 0 && c < 0x100 ? c : TOP_KEY_NONE;
	}
}

void top_screen__invalidate(struct top_screen *s)
{
	set_term(s->scr);
	clearok(curscr, TRUE);
}

/* A line, cut at the screen's width. */
static void line(int y, const char *text, int attr)
{
	if (y >= LINES)
		return;
	attron(attr);
	mvaddnstr(y, 0, text, COLS);
	if (attr & A_REVERSE)
		for (int x = (int)strlen(text); x < COLS; x++)
			mvaddch(y, x, ' ');
	attroff(attr);
}

static void put_status(const struct top_frame *f)
{
	char buf[512], r[16], e[16];
	long up = (long)f->elapsed_s;

	snprintf(buf, sizeof(buf), " sysray top%s  up %ld:%02ld:%02ld  every %gs  %s",
		 f->paused ? " [PAUSED]" : "", up / 3600, up / 60 % 60, up % 60, f->refresh_s,
		 f->scope);
	line(0, buf, A_REVERSE | A_BOLD);
	snprintf(buf, sizeof(buf),
		 " calls %s/s  errors %s/s  procs %zu  dropped %llu (%llu in all)  "
		 "received %llu",
		 top_fmt_rate(r, sizeof(r), f->calls_s), top_fmt_rate(e, sizeof(e), f->errors_s),
		 f->active, (unsigned long long)f->dropped_window, (unsigned long long)f->dropped,
		 (unsigned long long)f->received);
	line(1, buf, f->dropped_window ? A_BOLD : 0);
	if (f->editing)
		snprintf(buf, sizeof(buf), " filter: %s_   (Enter: apply, Esc: cancel)", f->filter);
	else
		snprintf(buf, sizeof(buf),
			 " view %s (g)  sort %s %s (< > r)  filter %s (/)  %zu/%zu rows",
			 top_view_names[f->view], top_col_names[f->sort], f->asc ? "asc" : "desc",
			 f->filter && *f->filter ? f->filter : "none", f->nrows, f->total_rows);
	line(2, buf, 0);
}

/* The name column's width for this terminal. */
static int name_width(const struct top_frame *f)
{
	int w = COLS - 5 * NUM_W - (f->view == TOP_VIEW_PROCESS ? PID_W : 0);

	return w < 8 ? 8 : w;
}

static void put_header(const struct top_frame *f)
{
	static const char *const titles[TOP_COL_CNT] = { "",	"CALLS/S", "ERRORS/S",
							 "P50", "P99",	   "MAX" };
	static const char *const names[TOP_VIEW_CNT] = { "SYSCALL", "COMMAND", "CGROUP" };
	char buf[1024], t[16];
	int n = 0, w = name_width(f);

	if (f->view == TOP_VIEW_PROCESS)
		n += snprintf(buf + n, sizeof(buf) - n, "%*s ", PID_W - 1, "PID");
	snprintf(t, sizeof(t), "%s%s", f->sort == TOP_COL_NAME ? "*" : "", names[f->view]);
	n += snprintf(buf + n, sizeof(buf) - n, "%-*.*s", w, w, t);
	for (int c = TOP_COL_CALLS; c < TOP_COL_CNT; c++) {
		snprintf(t, sizeof(t), "%s%s", (int)f->sort == c ? "*" : "", titles[c]);
		n += snprintf(buf + n, sizeof(buf) - n, "%*s", NUM_W, t);
	}
	line(3, buf, A_REVERSE);
}

static void put_row(int y, const struct top_frame *f, const struct top_row *r)
{
	char buf[1024], a[16], b[16], c[16], d[16], e[16];
	const char *name = r->name;
	int n = 0, w = name_width(f), len = strlen(name);

	if (f->view == TOP_VIEW_PROCESS)
		n += snprintf(buf + n, sizeof(buf) - n, "%*u ", PID_W - 1, r->pid);
	/* A cgroup path says most at its end. */
	if (len > w && f->view == TOP_VIEW_CGROUP && w > 3)
		n += snprintf(buf + n, sizeof(buf) - n, "...%s", name + len - (w - 3));
	else
		n += snprintf(buf + n, sizeof(buf) - n, "%-*.*s", w, w, name);
	snprintf(buf + n, sizeof(buf) - n, "%*s%*s%*s%*s%*s", NUM_W,
		 top_fmt_rate(a, sizeof(a), r->calls_s), NUM_W,
		 top_fmt_rate(b, sizeof(b), r->errors_s), NUM_W, top_fmt_ns(c, sizeof(c), r->p50),
		 NUM_W, top_fmt_ns(d, sizeof(d), r->p99), NUM_W, top_fmt_ns(e, sizeof(e), r->max));
	line(y, buf, 0);
}

void top_screen__draw(struct top_screen *s, const struct top_frame *f)
{
	int rows = LINES - HEAD - 1;

	set_term(s->scr);
	erase();
	put_status(f);
	put_header(f);
	if (f->waiting)
		line(HEAD, " collecting the first refresh...", 0);
	else if (!f->nrows)
		line(HEAD,
		     f->total_rows ? " no row matches the filter" : " no calls in this refresh", 0);
	for (int i = 0; i < rows && (size_t)i < f->nrows; i++)
		put_row(HEAD + i, f, f->rows[i]);
	line(LINES - 1,
	     " q quit  p pause  g view  < > sort  r reverse  / filter  n c e 5 9 m: sort by",
	     A_REVERSE);
	wnoutrefresh(stdscr);
	doupdate();
}
