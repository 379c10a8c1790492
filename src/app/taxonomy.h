/*
 * taxonomy (workflow): `vendormatch taxonomy`: look at and extend the
 * service taxonomy. The import reads a CSV of phrase,category[,process_type,
 * weight,name] rows and stores them all or none, in one transaction; an
 * error names FILE:LINE:COLUMN and is bad data (65) unless the server went
 * away (69).
 */
#ifndef VM_APP_TAXONOMY_H
#define VM_APP_TAXONOMY_H

#include <stdbool.h>

#include "core/util.h"
#include "db/conn.h"
#include "io/output.h"

/* Every alias with its category (db/taxonomy_db.h: taxonomy_db_list). The
 * caller table_frees *out, whatever the result (so for unknown). */
int app_taxonomy_list(const struct vm_db_options *db, struct table *out, struct vm_err *err);
/* The service phrases no alias matched, most frequent first, at most limit. */
int app_taxonomy_unknown(const struct vm_db_options *db, long limit, struct table *out,
                         struct vm_err *err);
/* Maps phrase to the category with this code; *added false when it did
 * already (VM_EXIT_FAILURE for an unknown category or a phrase mapped to
 * another). */
int app_taxonomy_add(const struct vm_db_options *db, const char *phrase, const char *code,
                     bool *added, struct vm_err *err);

struct app_taxonomy_import_counts {
    long rows;  /* data rows read */
    long added; /* new aliases */
};

/* Imports path ("-" = standard input): all rows or none. */
int app_taxonomy_import(const struct vm_db_options *db, const char *path,
                        struct app_taxonomy_import_counts *out, struct vm_err *err);

#endif
