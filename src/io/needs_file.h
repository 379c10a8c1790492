/*
 * needs_file: the needs CSV of `match --needs FILE` (docs/matching.md): a
 * header naming need fields (need, services, countries, max_rate...), then
 * one need per row. A column that names no field, a bad value or a need
 * that contradicts itself is bad data at FILE:LINE:COLUMN, so a misspelt
 * constraint is never silently dropped.
 */
#ifndef VM_IO_NEEDS_FILE_H
#define VM_IO_NEEDS_FILE_H

#include <stddef.h>

#include "core/need.h"
#include "core/util.h"

/* A need and where it came from, for error positions. */
struct need_item {
    struct need need;
    char *where;  /* "FILE:LINE", or NULL for the need the options gave */
    long svc_col; /* column of the services cell (needs files) */
};

void need_items_free(struct need_item *items, size_t n);

/*
 * Reads path ('-' for standard input) into *items (n of them, finished
 * with need_finish; the caller frees them with need_items_free, also on
 * error). shared holds "FIELD=value" strings (enum need_field number) that
 * need_set accepted, applied to each row before its own cells (--top,
 * --weight). Errors: VM_EXIT_DATAERR with FILE:LINE:COLUMN, VM_EXIT_FAILURE
 * for a file that cannot be opened.
 */
int needs_file_read(const char *path, const struct strlist *shared, struct need_item **items,
                    size_t *n, struct vm_err *err);

#endif
