/*
 * pager: sends a command's standard output through the user's pager when it
 * is a terminal, the way git and psql do. The choice of program follows
 * git/psql: $VENDORMATCH_PAGER, else $PAGER, else "less -SFRX" (-F quits at
 * once when the output fits one screen, so short output reads as if printed).
 * An empty value or "cat" means no pager. The command's exit status never
 * depends on the pager: its status is ignored, and a pager quit early (the
 * next write fails with EPIPE) ends the output quietly.
 */
#ifndef VM_IO_PAGER_H
#define VM_IO_PAGER_H

#include <stdbool.h>

/* The pager command the environment asks for, or NULL for none. */
const char *pager_command(void);

/*
 * If stdout is a terminal and a pager is configured, starts it (through
 * /bin/sh -c) and points stdout at it. Calling it again does nothing.
 * Returns true when a pager is running.
 */
bool pager_start(void);

/* True while output goes to a pager started by pager_start. */
bool pager_active(void);

/*
 * Flushes stdout, closes the pipe and waits for the pager to exit. Returns
 * true if stdout's write failed only because the pager had quit (EPIPE), so
 * main can say nothing about it. Safe to call when no pager runs.
 */
bool pager_finish(void);

#endif
