/*
 * output: how records leave the program. An aligned text table for people,
 * CSV for spreadsheets (cells a spreadsheet would run as a formula are
 * defused), JSON for programs. Vendor text is untrusted: the table view
 * replaces control characters so a cell cannot move the terminal's cursor.
 */
#ifndef VM_IO_OUTPUT_H
#define VM_IO_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"

/* Output formats shared by every command that prints records. */
enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON };

/* A table built row by row, then printed as aligned text or CSV. */
struct table {
    size_t ncols;
    char **headers;
    struct strlist cells; /* row-major, ncols per row */
    size_t max_width;     /* aligned view truncates longer cells with "..." (0 = 48) */
};

void table_init(struct table *t, size_t ncols, const char *const *headers);
void table_free(struct table *t);
/* Adds a row of ncols cells; NULL cells print as empty. */
void table_add_row(struct table *t, const char *const *cells);
size_t table_rows(const struct table *t);
void table_print_aligned(const struct table *t, FILE *f);
void table_print_csv(const struct table *t, FILE *f);

/* One CSV cell, quoted when needed. With defuse, a cell starting with '=',
 * '+', '-', '@', TAB or CR that is not a plain number is prefixed with a
 * single quote so spreadsheets show it as text. */
void csv_write_cell(FILE *f, const char *s, bool defuse);
bool csv_cell_needs_defusing(const char *s);

/* Terminal-safe copy: control characters (C0, DEL, C1) become U+FFFD-free
 * '?' and invalid UTF-8 bytes become '?'. Malloc'd. */
char *output_terminal_safe(const char *s);
/* Display width in terminal columns of UTF-8 text. */
size_t output_display_width(const char *s);

/* Pretty JSON on f followed by a newline; returns 0 or -1 on write error. */
int json_print(FILE *f, const json_t *v);

/* Small jansson conveniences: NULL-safe strings, numbers from text. */
json_t *json_string_or_null(const char *s);
json_t *json_strlist(const struct strlist *l);

#endif
