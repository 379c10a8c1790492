/*
 * sources (workflow): `vendormatch sources`, the catalogs a vendor's facts
 * came from as things a user manages. Listing and showing read them
 * (db/sources_db); dropping one and changing a priority merge the vendors
 * concerned again and re-tag them (app/classify) in the one transaction the
 * change runs in.
 */
#ifndef VM_APP_SOURCES_H
#define VM_APP_SOURCES_H

#include <jansson.h>

#include "core/util.h"
#include "db/conn.h"
#include "db/sources_db.h"

/* name NULL: every source (db/sources_db.h: sources_db_list); else that
 * source with its import batches (sources_db_show; VM_EXIT_FAILURE for an
 * unknown name). The caller json_decrefs *out. */
int app_sources_read(const struct vm_db_options *db, const char *name, json_t **out,
                     struct vm_err *err);
/* Drops the source; the vendors it described are merged again from their
 * other sources and re-tagged, those no other source lists deleted. */
int app_sources_drop(const struct vm_db_options *db, const char *name, struct source_drop_counts *n,
                     struct vm_err *err);
/* Sets the source's priority; the vendors it shares with other sources
 * (*remerged) are merged again and re-tagged. */
int app_sources_set_priority(const struct vm_db_options *db, const char *name, int priority,
                             long *remerged, struct vm_err *err);

#endif
