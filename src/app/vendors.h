/*
 * vendors (workflow): `vendormatch vendors list|search|show`. The user's
 * filters, search text and names are read with the same rules as catalogs
 * (a "United Kingdom" filter finds vendors imported as "UK", "ACME gmbh"
 * names "Acme GmbH"; core/normalize), a service is found in the taxonomy
 * as catalog services are, then db/vendor_db runs the query. Results leave
 * as the JSON docs/json.md documents; io/vendor_view prints them.
 */
#ifndef VM_APP_VENDORS_H
#define VM_APP_VENDORS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"
#include "db/conn.h"
#include "db/vendor_db.h"

/* The filters of `vendors list`, built with app_vendor_query_set; zero it
 * first, free it with app_vendor_query_free. */
struct app_vendor_query {
    struct vendor_filter filter; /* normalised: what vendor_db_list reads */
    const char *service;         /* --service as given, or NULL */
    char *industry;              /* lower-cased --industry */
    char cert[128];              /* canonical --cert */
    char service_id[16];         /* the category --service resolves to */
};

/* Sets the filter called name ("type", "service", "country", "industry",
 * "cert", "language" or "source": the options' names) from the user's
 * value, normalised; VM_EXIT_USAGE saying why when it means nothing.
 * value is borrowed for as long as q is used. */
int app_vendor_query_set(struct app_vendor_query *q, const char *name, const char *value,
                         struct vm_err *err);
void app_vendor_query_free(struct app_vendor_query *q);

/* The vendors q selects, ordered by name (vendor_db_list). A service no
 * category or alias matches is VM_EXIT_USAGE. The caller json_decrefs *rows. */
int app_vendors_list(const struct vm_db_options *db, struct app_vendor_query *q, json_t **rows,
                     struct vm_err *err);

/*
 * search and show return VM_EXIT_USAGE with *bad_arg true when the user's
 * text cannot name a vendor (no letters or digits; an id out of range): the
 * command adds its usage. Every other error leaves *bad_arg false. note
 * (NULL: quiet) gets vendor_db_search's line about its index.
 */

/* The vendors whose name or website looks like text, best first, at most
 * limit (0 = all). The caller json_decrefs *rows. */
int app_vendors_search(const struct vm_db_options *db, const char *text, long limit, FILE *note,
                       json_t **rows, bool *bad_arg, struct vm_err *err);

/* Everything known about the vendor arg names: digits are an id, other
 * text a name, whatever its case, accents or legal suffix. A name several
 * vendors share is VM_EXIT_USAGE ("ambiguous") with the vendors in
 * *same_name; an unknown one is VM_EXIT_FAILURE suggesting close names. The
 * caller json_decrefs *vendor and *same_name. */
int app_vendors_show(const struct vm_db_options *db, const char *arg, FILE *note, json_t **vendor,
                     json_t **same_name, bool *bad_arg, struct vm_err *err);

/* The catalog at a glance (vendor_db_stats): vendors by tag, the top
 * countries and service categories, the sources. The caller json_decrefs
 * *out. */
int app_vendors_stats(const struct vm_db_options *db, int top, json_t **out, struct vm_err *err);

#endif
