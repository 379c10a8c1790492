/*
 * progress: a rate-limited stderr progress bar (see progress.h). Draws with
 * "\r" and erase-to-end-of-line so it never scrolls the terminal.
 */
#include "io/progress.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "io/output.h"

#define BAR_WIDTH 24
#define REDRAW_SECONDS 0.1

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, FILE *out, bool want, const char *label,
                   long long total_bytes)
{
    const char *nc = getenv("NO_COLOR");
    p->out = out;
    p->enabled = want && isatty(fileno(out));
    p->color = !(nc && *nc);
    p->drawn = false;
    p->label = label;
    p->total = total_bytes;
    p->start = p->last = progress_now();
}

/* Starts the line: erase it, then the label (a file name: untrusted text). */
static void draw_label(struct progress *p)
{
    char *safe = output_terminal_safe(p->label);
    fprintf(p->out, "\r\033[K%s ", safe);
    free(safe);
}

static void draw_bar(struct progress *p, double frac)
{
    int fill = (int)(frac * BAR_WIDTH + 0.5);
    fputs(p->color ? "\033[32m" : "[", p->out);
    for (int i = 0; i < BAR_WIDTH; i++)
        fputs(i < fill ? (p->color ? "\u2588" : "#") : (p->color ? "\u2591" : "."), p->out);
    fputs(p->color ? "\033[0m" : "]", p->out);
}

void progress_update(struct progress *p, long long bytes, long rows)
{
    if (!p->enabled)
        return;
    double now = progress_now();
    if (now - p->last < REDRAW_SECONDS)
        return;
    p->last = now;
    double secs = now - p->start > 1e-6 ? now - p->start : 1e-6;
    draw_label(p);
    if (p->total > 0) {
        double frac = bytes >= p->total ? 1.0 : (double)bytes / (double)p->total;
        draw_bar(p, frac);
        fprintf(p->out, " %3.0f%% %.1f/%.1f MB", frac * 100, bytes / 1e6, p->total / 1e6);
    } else {
        fprintf(p->out, "%.1f MB", bytes / 1e6);
    }
    fprintf(p->out, "  %.0f rows/s", rows / secs);
    if (p->total > 0 && bytes > 0 && bytes < p->total) {
        double eta = secs * (double)(p->total - bytes) / (double)bytes;
        fprintf(p->out, "  ETA %d:%02d", (int)eta / 60, (int)eta % 60);
    }
    fflush(p->out);
    p->drawn = true;
}

void progress_phase(struct progress *p, const char *what)
{
    if (!p->enabled)
        return;
    draw_label(p);
    fputs(what, p->out);
    fflush(p->out);
    p->drawn = true;
}

void progress_finish(struct progress *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    p->drawn = false;
}
