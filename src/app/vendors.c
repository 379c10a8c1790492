/*
 * vendors (workflow): see vendors.h.
 */
#include "app/vendors.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/catalog.h"
#include "app/classify.h"
#include "core/normalize.h"
#include "core/taxonomy.h"
#include "db/taxonomy_db.h"
#include "io/output.h"

int app_vendor_query_set(struct app_vendor_query *q, const char *name, const char *value,
                         struct vm_err *err)
{
    struct vendor_filter *f = &q->filter;
    if (strcmp(name, "type") == 0) {
        if (!(f->process_type = app_tag_canonical(value)))
            return vm_err_set(err, VM_EXIT_USAGE,
                              "--type must be BPO, KPO, HYBRID or UNCLASSIFIED");
    } else if (strcmp(name, "service") == 0) {
        q->service = value;
    } else if (strcmp(name, "country") == 0) {
        if (!(f->country = norm_country(value, NULL)))
            return vm_err_set(err, VM_EXIT_USAGE, "unknown country '%s'", value);
    } else if (strcmp(name, "industry") == 0) {
        free(q->industry);
        q->industry = xstrdup(value);
        for (char *p = q->industry; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        f->industry = q->industry;
    } else if (strcmp(name, "cert") == 0) {
        if (!norm_certification(value, q->cert, sizeof q->cert))
            return vm_err_set(err, VM_EXIT_USAGE, "empty --cert");
        f->certification = q->cert;
    } else if (strcmp(name, "language") == 0) {
        if (!(f->language = norm_language(value)))
            return vm_err_set(err, VM_EXIT_USAGE, "unknown language '%s'", value);
    } else if (strcmp(name, "source") == 0) {
        f->source = value;
    } else {
        return vm_err_set(err, VM_EXIT_USAGE, "no filter called '%s'", name);
    }
    return 0;
}

void app_vendor_query_free(struct app_vendor_query *q)
{
    free(q->industry);
    q->industry = NULL;
}

/* --service takes a category code or a phrase; a phrase goes through the
 * same taxonomy matching as catalog services and names its category. The
 * filter is the category's id (vendors.services holds ids). */
static int resolve_service(PGconn *c, struct app_vendor_query *q, struct vm_err *err)
{
    struct taxonomy *t = NULL;
    struct tax_match m[4];
    const struct tax_category *cat;
    int rc = taxonomy_db_load(c, &t, err);
    if (rc)
        return rc;
    if (!(cat = taxonomy_find_category(t, q->service)) &&
        taxonomy_match_phrase(t, q->service, m, 4) > 0)
        cat = m[0].category;
    if (cat) {
        snprintf(q->service_id, sizeof q->service_id, "%d", cat->id);
        q->filter.service_id = q->service_id;
    } else {
        rc = vm_err_set(err, VM_EXIT_USAGE,
                        "vendors: no service category matches '%s' (see `vendormatch taxonomy "
                        "list`)",
                        q->service);
    }
    taxonomy_free(t);
    return rc;
}

int app_vendors_list(const struct vm_db_options *db, struct app_vendor_query *q, json_t **rows,
                     struct vm_err *err)
{
    PGconn *c = NULL;
    *rows = NULL;
    int rc = app_catalog_open(db, &c, err);
    if (rc == 0 && q->service)
        rc = resolve_service(c, q, err);
    if (rc == 0)
        rc = vendor_db_list(c, &q->filter, rows, err);
    vm_conn_close(c);
    return rc;
}

/* The name key of user text, or a bad argument when it holds no letters or digits. */
static int text_key(const char *text, char **key, bool *bad_arg, struct vm_err *err)
{
    *key = norm_name_key(text);
    if (**key)
        return 0;
    free(*key);
    *key = NULL;
    *bad_arg = true;
    return vm_err_set(err, VM_EXIT_USAGE, "'%s' has no letters or digits to look for", text);
}

int app_vendors_search(const struct vm_db_options *db, const char *text, long limit, FILE *note,
                       json_t **rows, bool *bad_arg, struct vm_err *err)
{
    char *key = NULL, *host = NULL;
    PGconn *c = NULL;
    *rows = NULL;
    *bad_arg = false;
    int rc = text_key(text, &key, bad_arg, err);
    if (rc == 0)
        rc = app_catalog_open(db, &c, err);
    if (rc == 0) {
        host = norm_website_host(text);
        rc = vendor_db_search(c, key, host, limit, note, rows, err);
    }
    vm_conn_close(c);
    free(key);
    free(host);
    return rc;
}

/* "; did you mean: A (id 1), B (id 2)?" from the closest names,
 * terminal-safe, or "" when there are none. */
static char *did_you_mean(PGconn *c, const char *key, FILE *note)
{
    struct vm_err ignored;
    json_t *rows = NULL, *v;
    struct sbuf b;
    size_t i;
    sbuf_init(&b);
    if (vendor_db_search(c, key, NULL, 5, note, &rows, &ignored) == 0 &&
        json_array_size(rows) > 0) {
        sbuf_puts(&b, "; did you mean: ");
        json_array_foreach(rows, i, v)
        {
            char *safe = output_terminal_safe(json_string_value(json_object_get(v, "name")));
            char *item = xasprintf("%s%s (id %lld)", i ? ", " : "", safe,
                                   (long long)json_integer_value(json_object_get(v, "id")));
            sbuf_puts(&b, item);
            free(item);
            free(safe);
        }
        sbuf_puts(&b, "?");
    }
    json_decref(rows);
    return sbuf_detach(&b);
}

/* The id arg stands for: digits are an id; a name must be one vendor's. */
static int resolve_vendor(PGconn *c, const char *arg, FILE *note, long long *id, json_t **same_name,
                          bool *bad_arg, struct vm_err *err)
{
    char *key = NULL, *hint = NULL, *safe = NULL;
    json_t *rows = NULL;
    if (arg[0] && strspn(arg, "0123456789") == strlen(arg)) { /* digits: an id */
        if (vm_parse_int(arg, 1, INT64_MAX, id))
            return 0;
        *bad_arg = true;
        return vm_err_set(err, VM_EXIT_USAGE, "'%s' is not a vendor ID (a whole number from 1)",
                          arg);
    }
    int rc = text_key(arg, &key, bad_arg, err);
    if (rc || (rc = vendor_db_find_by_name(c, key, &rows, err)))
        goto done;
    size_t n = json_array_size(rows);
    safe = output_terminal_safe(arg);
    if (n == 1) {
        *id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
    } else if (n > 1) {
        *same_name = json_incref(rows);
        rc = vm_err_set(err, VM_EXIT_USAGE,
                        "vendors show: '%s' names %zu vendors: ambiguous, use the id "
                        "(`vendormatch vendors show ID`)",
                        safe, n);
    } else {
        hint = did_you_mean(c, key, note);
        rc = vm_err_set(err, VM_EXIT_FAILURE, "no vendor named '%s'%s", safe,
                        *hint ? hint : " (`vendormatch vendors search TEXT` finds close names)");
    }
done:
    json_decref(rows);
    free(key);
    free(hint);
    free(safe);
    return rc;
}

int app_vendors_show(const struct vm_db_options *db, const char *arg, FILE *note, json_t **vendor,
                     json_t **same_name, bool *bad_arg, struct vm_err *err)
{
    PGconn *c = NULL;
    long long id = 0;
    *vendor = *same_name = NULL;
    *bad_arg = false;
    int rc = app_catalog_open(db, &c, err);
    if (rc == 0)
        rc = resolve_vendor(c, arg, note, &id, same_name, bad_arg, err);
    if (rc == 0)
        rc = vendor_db_show(c, id, vendor, err);
    vm_conn_close(c);
    return rc;
}

int app_vendors_stats(const struct vm_db_options *db, int top, json_t **out, struct vm_err *err)
{
    PGconn *c = NULL;
    *out = NULL;
    int rc = app_catalog_open(db, &c, err);
    if (rc == 0)
        rc = vendor_db_stats(c, top, out, err);
    vm_conn_close(c);
    return rc;
}
