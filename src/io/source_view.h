/*
 * source_view: the catalog's sources (`vendormatch sources list|show`) as
 * people read them, from the JSON db/sources_db gives (docs/json.md). Pure:
 * JSON in, text out.
 */
#ifndef VM_IO_SOURCE_VIEW_H
#define VM_IO_SOURCE_VIEW_H

#include <jansson.h>
#include <stdio.h>

#include "io/output.h"

/* list: every source; an aligned table or CSV. */
void render_source_list(const json_t *list, enum out_format fmt, FILE *out);
/* s: one source with its "imports"; a page of fields, then the batches. */
void render_source_detail(const json_t *s, FILE *out);
/* What `sources drop` did: the source's records and batches removed, the
 * vendors merged again and those deleted. */
void render_source_dropped(const char *name, long records, long batches, long remerged,
                           long deleted, FILE *out);
/* What `sources priority` did. */
void render_source_priority(const char *name, long long priority, long remerged, FILE *out);

#endif
