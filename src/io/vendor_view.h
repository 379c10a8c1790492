/*
 * vendor_view: turns the JSON shape of vendors (docs/json.md) into the
 * table and CSV views people read. Pure: JSON in, text out.
 */
#ifndef VM_IO_VENDOR_VIEW_H
#define VM_IO_VENDOR_VIEW_H

#include <jansson.h>
#include <stdio.h>

#include "core/util.h"
#include "io/output.h"

/* rows: array of vendor objects as vendor_db_list returns them. */
int render_vendor_list(const json_t *rows, enum out_format fmt, FILE *out, struct vm_err *err);
/* v: one vendor object as vendor_db_show returns it; a readable page. */
int render_vendor_detail(const json_t *v, FILE *out, struct vm_err *err);
/* stats: object as vendor_db_stats returns it, as text tables or CSV. */
int render_stats(const json_t *stats, enum out_format fmt, FILE *out, struct vm_err *err);

/* "a; b; c" from a JSON array of strings (NULL-safe); malloc'd. */
char *json_join(const json_t *arr, const char *sep);
/* Text of a scalar JSON value ("" for null); malloc'd. */
char *json_text(const json_t *v);

#endif
