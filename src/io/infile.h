/*
 * infile: opening an input file the one way every command does: "-" is
 * standard input (never closed here), anything else is opened for reading;
 * a file that cannot be opened is VM_EXIT_FAILURE (exit 1) with
 * "PATH: cannot open: REASON (check the path)" (README, Exit codes).
 */
#ifndef VM_IO_INFILE_H
#define VM_IO_INFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"

/* path's stream, or NULL with err set. */
FILE *vm_infile_open(const char *path, struct vm_err *err);
/* True when path names standard input. */
bool vm_infile_is_stdin(const char *path);
/* How messages name path: "stdin" for "-", else path itself. */
const char *vm_infile_name(const char *path);
/* vm_infile_name as text the catalog can store: a file name is bytes, the
 * catalog's text is UTF-8, so each byte that is not UTF-8 becomes U+FFFD
 * ("lat\xe9.csv" -> "lat\uFFFD.csv"). Malloc'd. */
char *vm_infile_text(const char *path);
/* Closes what vm_infile_open opened (standard input stays open; NULL is fine). */
void vm_infile_close(FILE *f);

#endif
