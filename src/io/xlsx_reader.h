/*
 * xlsx_reader: the rows of one sheet of an .xlsx workbook, as csv_reader
 * records (struct csv_record), streamed.
 *
 * The workbook is a zip (read with libzip) of XML parts (parsed with expat):
 * xl/workbook.xml names the sheets, its relationships say which part holds
 * each one, xl/sharedStrings.xml holds the text most cells point at, and
 * xl/styles.xml says which cells show dates. Writers store the sheet before
 * the shared strings, so the zip needs random access: the stream is first
 * copied to an unlinked temporary file (stdin works too). Shared strings go
 * to a second temporary file with an index, and are read back by position,
 * so memory stays flat however large the workbook; the sheet is parsed
 * incrementally, one row per call (expat suspends at each </row>).
 *
 * A record's line is the sheet's row number and a field's column is its
 * column number (A = 1); the first non-empty row is the header, and its
 * last non-empty cell sets the width. Empty rows are skipped like blank
 * lines. Values: shared and inline strings as text, numbers as Excel shows
 * them at full precision (15 significant digits), booleans TRUE/FALSE,
 * date-formatted numbers as ISO dates ("2024-03-01", with " HH:MM:SS" when
 * the time is not midnight).
 */
#ifndef VM_IO_XLSX_READER_H
#define VM_IO_XLSX_READER_H

#include <stdio.h>

#include "core/util.h"
#include "io/csv_reader.h"

struct xlsx_reader;

/* Copies raw (head first: the bytes already read from it) to a temporary
 * file, opens the sheet named `sheet` (NULL = the first) and reads its
 * header row. NULL on error (exit 65 for a bad or truncated workbook). */
struct xlsx_reader *xlsx_reader_open(FILE *raw, const unsigned char *head, size_t head_len,
                                     const char *display_name, const char *sheet,
                                     struct vm_err *err);

/* As csv_reader_next: 1, 0 at the end, -1 bad row, -2 fatal (bad XML...). */
int xlsx_reader_next(struct xlsx_reader *x, struct csv_record *rec, struct vm_err *err);

const struct csv_record *xlsx_reader_header(const struct xlsx_reader *x);
/* "FILE[SHEET]", the name messages use. */
const char *xlsx_reader_name(const struct xlsx_reader *x);
void xlsx_reader_close(struct xlsx_reader *x);

#endif
