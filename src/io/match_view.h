/*
 * match_view: how a match document (docs/shortlist-json.md) reads, for
 * `match` and `shortlists show` alike. The table view is for a person: a
 * ranking that fits MATCH_VIEW_WIDTH columns (rank, score, name, type,
 * country, rate, one short reason), and with --explain one block per vendor
 * below it (points per criterion, every reason) and the near misses. CSV
 * keeps every column for spreadsheets; JSON is the document itself. Also
 * the list of saved shortlists (`shortlists list`).
 */
#ifndef VM_IO_MATCH_VIEW_H
#define VM_IO_MATCH_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "io/output.h"

/* The width the table view keeps to, in display columns. */
#define MATCH_VIEW_WIDTH 100

/* Prints one match document, or a JSON array of them (--needs), in the
 * chosen format. Returns 0, or -1 on a write error. */
int match_doc_print(FILE *f, const json_t *docs, enum out_format fmt, bool explain);

/* The saved shortlists (shortlist_db_list's array: id, name, created_at,
 * process_type, results, services) as a table or CSV, one row each.
 * Returns 0, or -1 on a write error. */
int match_list_print(FILE *f, const json_t *list, enum out_format fmt);

/* One ranked vendor's --explain block: a heading line, then one labelled
 * line per fact (points, reasons, ...), each wrapped at MATCH_VIEW_WIDTH.
 * A new fact is one more match_explain_line call in it. */
void match_explain_block(FILE *f, const json_t *doc, const json_t *result);
/* "    label    text", wrapped with the text's later lines under its start. */
void match_explain_line(FILE *f, const char *label, const char *text);

#endif
