/*
 * progress: the one-line progress bar on stderr (bytes done, rows/s, ETA).
 *
 * The idea: callers report as often as they like; the bar redraws at most
 * ten times a second, and only when it was enabled (stderr is a terminal
 * and -q was not given), so reporting costs a clock read and nothing else.
 * NO_COLOR turns the coloured bar into plain characters.
 */
#ifndef VM_IO_PROGRESS_H
#define VM_IO_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
    bool enabled;
    bool color;
    bool drawn; /* something is on the line to clear */
    FILE *out;
    const char *label;  /* e.g. the file name */
    long long total;    /* bytes expected, or -1 when unknown (stdin) */
    double start, last; /* monotonic seconds */
};

/* Enabled only when want is true and out is a terminal. */
void progress_init(struct progress *p, FILE *out, bool want, const char *label,
                   long long total_bytes);
void progress_update(struct progress *p, long long bytes, long rows);
/* Shows a phase after the stream ("merging...") on the same line. */
void progress_phase(struct progress *p, const char *what);
/* Clears the line so the next output starts clean. */
void progress_finish(struct progress *p);

/* Monotonic seconds, for timing. */
double progress_now(void);

#endif
