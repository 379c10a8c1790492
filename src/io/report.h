/*
 * report: turns a stored shortlist document (docs/shortlist-json.md) into
 * something a client can read: HTML (self-contained, no scripts, nothing
 * fetched), Markdown, CSV or the JSON itself. Renderers are pure functions
 * of the jansson document onto a FILE*: no database, no clock, so the same
 * document always renders to the same bytes. Every string in the document
 * is untrusted vendor text and is escaped for the format it lands in.
 */
#ifndef VM_IO_REPORT_H
#define VM_IO_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "core/util.h"

enum report_format {
    REPORT_HTML,
    REPORT_MD,
    REPORT_CSV,
    REPORT_JSON,
};

/* "html", "md" (or "markdown"), "csv", "json"; VM_EXIT_USAGE otherwise. */
int report_format_parse(const char *s, enum report_format *out, struct vm_err *err);

/* Renders doc in fmt on out. Missing optional keys and nulls are tolerated;
 * returns 0, or VM_EXIT_FAILURE when doc is not an object or out fails. */
int report_render(const json_t *doc, enum report_format fmt, FILE *out, struct vm_err *err);

/* One renderer per format (report_<fmt>.c); report_render dispatches. */
int report_render_html(const json_t *doc, FILE *out, struct vm_err *err);
int report_render_md(const json_t *doc, FILE *out, struct vm_err *err);
int report_render_csv(const json_t *doc, FILE *out, struct vm_err *err);
int report_render_json(const json_t *doc, FILE *out, struct vm_err *err);

/*
 * Catalog statistics as one self-contained HTML page (stats --format html):
 * the BPO/KPO/HYBRID/UNCLASSIFIED mix as an inline SVG chart, top countries
 * and services as bar charts, the sources. Input shape:
 * {"total", "by_type": {"BPO": n, ...}, "by_country": [{"country", "count"}],
 *  "by_service": [{"service", "name", "process_type", "count"}],
 *  "sources": [{"source", "vendors", "batches", "last_import"}], "generated_at"}
 */
int stats_render_html(const json_t *stats, FILE *out, struct vm_err *err);

#endif
