/*
 * output: how records leave the program. An aligned text table for people,
 * CSV for spreadsheets (cells a spreadsheet would run as a formula are
 * defused), JSON for programs. The one idea: untrusted text (vendor data,
 * need files, taxonomy phrases, file names, database error text) never
 * reaches a terminal, a CSV file or a report raw. output_char_unsafe is the
 * single rule; every view (tables, messages on stdout and stderr, CSV cells,
 * JSON, and the HTML/Markdown escapers of report_common) goes through it.
 */
#ifndef VM_IO_OUTPUT_H
#define VM_IO_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/jsonval.h"
#include "core/util.h"

/* Output formats shared by every command that prints records. */
enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON };

/* A table built row by row, then printed as aligned text or CSV. The
 * aligned view is the one table style of every command: headers in upper
 * case with '_' as a space ("usd_per_unit" -> "USD PER UNIT"), columns two
 * spaces apart, a cut cell ending in an ellipsis. CSV keeps the headers as
 * given (the machine names). */
struct table {
    size_t ncols;
    char **headers;
    struct strlist cells; /* row-major, ncols per row */
    size_t max_width;     /* aligned view cuts longer cells with an ellipsis (0 = 48) */
    size_t fit;           /* aligned view: each line at most this many display columns,
                             the widest columns narrowed first (0 = no limit) */
};

void table_init(struct table *t, size_t ncols, const char *const *headers);
void table_free(struct table *t);
/* Adds a row of ncols cells; NULL cells print as empty. */
void table_add_row(struct table *t, const char *const *cells);
size_t table_rows(const struct table *t);
void table_print_aligned(const struct table *t, FILE *f);
void table_print_csv(const struct table *t, FILE *f);
/* How table_print writes a column's cells in JSON. */
enum table_json {
    TABLE_JSON_STRING,  /* the text */
    TABLE_JSON_NUMBER,  /* the text read as a number */
    TABLE_JSON_OR_NULL, /* the text, or null when empty */
};
/* The table in fmt: aligned, CSV, or a JSON array of one object per row
 * keyed by the headers, each column written as json[column] says.
 * VM_EXIT_FAILURE when the JSON cannot be written. */
int table_print(const struct table *t, enum out_format fmt, const enum table_json *json, FILE *f,
                struct vm_err *err);

/* One CSV cell, quoted when needed, its text in OUT_SAFE_TEXT mode (so a
 * CSV printed on a terminal is as safe as a table). With defuse, a cell
 * starting with '=', '+', '-', '@', TAB or CR that is not a plain number is
 * prefixed with a single quote so spreadsheets show it as text. */
void csv_write_cell(FILE *f, const char *s, bool defuse);
bool csv_cell_needs_defusing(const char *s);

/*
 * The rule. A code point is unsafe when its Unicode general category is
 *   Cc  controls: C0 (U+0000-U+001F, ESC included), DEL, C1 (U+0080-U+009F);
 *   Cf  format characters: bidi embeddings, overrides and isolates
 *       (U+202A-U+202E, U+2066-U+2069), bidi marks (U+200E, U+200F, U+061C),
 *       zero-width space and joiners (U+200B-U+200D), word joiner and
 *       invisible operators (U+2060-U+2064), BOM (U+FEFF), soft hyphen,
 *       tag characters (U+E0000-U+E007F), and the rest of Cf;
 *   Zl, Zp  U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR.
 * In text views each unsafe code point, and each byte of invalid UTF-8,
 * becomes U+FFFD REPLACEMENT CHARACTER (a visible mark in any font), except the
 * whitespace controls, which follow the mode below. JSON keeps the data
 * exact instead: unsafe code points are written as \uXXXX escapes.
 */
bool output_char_unsafe(int32_t cp);

enum out_safe_mode {
    OUT_SAFE_LINE, /* one line (table cells, labels): TAB, LF and CR become a space */
    OUT_SAFE_TEXT, /* text (messages, CSV cells): TAB and LF kept, CR only before LF */
};

/* True when s[0..len) is printable ASCII (with TAB and LF in OUT_SAFE_TEXT
 * mode): the rule changes nothing, so callers may skip the copy. */
bool output_is_plain(const char *s, size_t len, enum out_safe_mode mode);
/* The rule one step at a time, for writers that escape further (HTML,
 * Markdown): consumes the next bytes of s[0..len), len > 0, and points *out
 * at what to write for them: the bytes themselves (a run the rule keeps) or
 * a replacement (U+FFFD, or a space in OUT_SAFE_LINE). Returns the bytes
 * consumed. Allocates nothing. */
size_t output_safe_next(const char *s, size_t len, enum out_safe_mode mode, const char **out,
                        size_t *out_len);
/* Appends len bytes of s to b, made safe per the rule and mode. */
void output_safe_append(struct sbuf *b, const char *s, size_t len, enum out_safe_mode mode);
/* Safe copy of s (NULL reads as ""); malloc'd. */
char *output_safe(const char *s, enum out_safe_mode mode);
/* output_safe(s, OUT_SAFE_LINE): for one table cell or one value on a line. */
char *output_terminal_safe(const char *s);
/* Writes s to f in OUT_SAFE_TEXT mode (NULL writes nothing). */
void output_fputs(FILE *f, const char *s);
/* printf for any message that may quote untrusted text: the formatted
 * result goes out in OUT_SAFE_TEXT mode. Returns -1 on a write error. */
int output_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Display width in terminal columns of UTF-8 text. */
size_t output_display_width(const char *s);
/* s cut to at most max (>= 1) display columns, ending in an ellipsis
 * (U+2026) when cut; cut only between grapheme clusters. Malloc'd. */
char *output_fit_width(const char *s, size_t max);
/* Writes first then text (made safe, OUT_SAFE_LINE) wrapped at spaces so no
 * line passes width display columns; later lines start with indent (the
 * caller's own text). A word longer than a line is cut with an ellipsis. */
void output_print_wrapped(FILE *f, const char *first, const char *indent, const char *text,
                          size_t width);

/* Pretty JSON on f followed by a newline; returns 0 or -1 on write error.
 * jansson escapes C0 controls; code points output_char_unsafe names beyond
 * those (DEL, C1, bidi, zero-width, ...) are written as \uXXXX escapes too,
 * so the text decodes exactly and shows nothing hidden on a terminal. */
int json_print(FILE *f, const json_t *v);

/* json_string_or_null and json_strlist are in core/jsonval.h (included above). */

#endif
