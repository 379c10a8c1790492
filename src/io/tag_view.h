/*
 * tag_view: what `vendormatch classify` prints: the re-tag's counts, and
 * each vendor's evidence (the classify workflow's explanation, JSON shaped
 * as docs/json.md documents) as a table, CSV or JSON. Pure: values in, text
 * out.
 */
#ifndef VM_IO_TAG_VIEW_H
#define VM_IO_TAG_VIEW_H

#include <jansson.h>
#include <stdio.h>

#include "core/util.h"
#include "io/output.h"

/* The re-tag's counts and time; -1 when the JSON cannot be written. */
int render_retag_summary(long vendors, long tags_changed, long updated, double seconds,
                         enum out_format fmt, FILE *out);
/* all: one object per vendor as app_classify's explanation gives it. */
int render_tag_explain(const json_t *all, enum out_format fmt, FILE *out, struct vm_err *err);

#endif
