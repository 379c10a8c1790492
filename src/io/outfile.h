/*
 * outfile: every file a command writes because an option named it (import
 * --rejects, report -o). The idea: the named path is the only thing touched,
 * and only once the content is complete. A regular file is written to a
 * temporary file in the same directory, fsynced and renamed into place, so a
 * reader sees the old file or the new one, never half of one. A symbolic
 * link at the path is refused (never followed, never replaced), and so is a
 * path that is one of the command's inputs under any name (same device and
 * inode, hard links included), before anything is written. A device or FIFO
 * (/dev/null, a named pipe) cannot be renamed over and is written directly;
 * "-" is standard output.
 */
#ifndef VM_IO_OUTFILE_H
#define VM_IO_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/util.h"

struct vm_outfile {
    FILE *f;          /* write the content here */
    char *path;       /* as given (owned) */
    char *tmp;        /* the temporary file renamed to path on commit; NULL when direct */
    const char *what; /* the option, for messages ("--rejects") */
};

/*
 * Opens path for writing. inputs are the paths the command reads ("-" is
 * standard input); a path that is one of them, a symbolic link or a
 * directory is a usage error (VM_EXIT_USAGE) and nothing is created. Other
 * failures are VM_EXIT_FAILURE. On success the caller writes to o->f and
 * then calls vm_outfile_commit or vm_outfile_discard exactly once.
 */
int vm_outfile_open(struct vm_outfile *o, const char *what, const char *path,
                    const char *const *inputs, size_t n_inputs, struct vm_err *err);
/* Puts the content in place (flush, fsync, rename, fsync of the directory).
 * On failure the temporary file is removed and path is left as it was. */
int vm_outfile_commit(struct vm_outfile *o, struct vm_err *err);
/* Drops the content: path keeps what it held before. Safe after commit and
 * on a zeroed struct. */
void vm_outfile_discard(struct vm_outfile *o);

#endif
