/*
 * classify (workflow): `vendormatch classify` and `vendormatch tag`, the
 * catalog's tags end to end. The re-tag loads the taxonomy, streams the
 * vendors (db/tag_db) through classify (core/classify) and stores what
 * changed; the explanation decodes each vendor's stored evidence back into
 * the items a person checks; the manual tag overrides the computed one.
 */
#ifndef VM_APP_CLASSIFY_H
#define VM_APP_CLASSIFY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/taxonomy.h"
#include "core/util.h"
#include "db/conn.h"
#include "db/tag_db.h"

struct app_classify_result {
    struct retag_stats stats;
    double seconds; /* the re-tag's own time */
    /* With explain: one object per vendor, by id: {id, name, computed_type,
     * confidence, manual_type, manual_reason, effective_type, evidence} with
     * evidence as classification_evidence_json gives it; else NULL. */
    json_t *explain;
};

/*
 * Re-tags every vendor (vendor_id <= 0) or one (VM_EXIT_FAILURE when it
 * does not exist) with the taxonomy as stored, in one transaction; manual
 * tags are never written. The caller json_decrefs out->explain.
 */
int app_classify(const struct vm_db_options *db, long long vendor_id, bool explain,
                 struct app_classify_result *out, struct vm_err *err);

/* Re-tags the vendors whose ids the SQL subquery ids gives (a constant such
 * as VCOLS_RETAG_IDS) inside the caller's transaction on conn: the import
 * and `sources` re-tag the vendors they merged again. */
int app_retag_listed(PGconn *conn, struct taxonomy *t, const char *ids, struct retag_stats *stats,
                     struct vm_err *err);

/* Sets (type BPO, KPO, HYBRID or UNCLASSIFIED, with a reason) or clears
 * (type NULL) a vendor's manual tag; *computed (16 bytes) gets its computed
 * tag. VM_EXIT_FAILURE for a vendor that does not exist. */
int app_tag_manual(const struct vm_db_options *db, long long vendor_id, const char *type,
                   const char *reason, char computed[16], struct vm_err *err);

/* The tag type names, in any case ("kpo" as match --type reads it), as one
 * of the four tags a vendor can have ("KPO"); NULL for anything else. */
const char *app_tag_canonical(const char *type);

#endif
