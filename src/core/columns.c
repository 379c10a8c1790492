/*
 * columns: header recognition (see columns.h).
 *
 * The idea: one "squash" of a header (normalize's key with the spaces taken
 * out: "Avg. Hourly Rate" -> "avghourlyrate") compared with the squash of each
 * alias in one table. A header that matches nothing is tried once more without
 * a leading "Company"/"Vendor"/... ("Vendor Website" -> "website"), then, for
 * the rate, without a currency and unit ("Hourly rate (EUR)", "Rate €/h":
 * the currency is kept for the rates that name none). The alias table is
 * data: adding a header people use is adding a line.
 */
#include "core/columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/normalize.h"

/* Headers people write for each field (the canonical name always counts).
 * Listed in the "no name column" message in this order, so the common
 * spellings of a name come first. */
static const struct {
    const char *header;
    enum vendor_field field;
} aliases[] = {
    {"Company", VF_NAME},
    {"Company Name", VF_NAME},
    {"Vendor", VF_NAME},
    {"Vendor Name", VF_NAME},
    {"Provider", VF_NAME},
    {"Provider Name", VF_NAME},
    {"Supplier", VF_NAME},
    {"Supplier Name", VF_NAME},
    {"Organization", VF_NAME},
    {"Organisation", VF_NAME},
    {"Organization Name", VF_NAME},
    {"Organisation Name", VF_NAME},
    {"Firm", VF_NAME},
    {"Firm Name", VF_NAME},
    {"Business Name", VF_NAME},
    {"Legal Name", VF_NAME},
    {"Account Name", VF_NAME},
    {"Partner", VF_NAME},
    {"Partner Name", VF_NAME},

    {"Vendor ID", VF_ID},
    {"Company ID", VF_ID},
    {"Supplier ID", VF_ID},
    {"Provider ID", VF_ID},
    {"External ID", VF_ID},
    {"Record ID", VF_ID},
    {"Ref", VF_ID},
    {"Reference", VF_ID},

    {"URL", VF_WEBSITE},
    {"Web", VF_WEBSITE},
    {"Site", VF_WEBSITE},
    {"Web Site", VF_WEBSITE},
    {"Website URL", VF_WEBSITE},
    {"Homepage", VF_WEBSITE},
    {"Domain", VF_WEBSITE},
    {"Web Address", VF_WEBSITE},

    {"HQ", VF_COUNTRY},
    {"Location", VF_COUNTRY},
    {"Headquarters", VF_COUNTRY},
    {"Headquarters Location", VF_COUNTRY},
    {"HQ Location", VF_COUNTRY},
    {"HQ Country", VF_COUNTRY},
    {"Headquarters Country", VF_COUNTRY},
    {"Country of Origin", VF_COUNTRY},
    {"Based In", VF_COUNTRY},

    {"HQ City", VF_CITY},
    {"Headquarters City", VF_CITY},
    {"Town", VF_CITY},

    {"Service", VF_SERVICES},
    {"Service Lines", VF_SERVICES},
    {"Capabilities", VF_SERVICES},
    {"Offerings", VF_SERVICES},
    {"Service Offerings", VF_SERVICES},
    {"Service Focus", VF_SERVICES},
    {"Services Offered", VF_SERVICES},
    {"Core Services", VF_SERVICES},
    {"Focus Areas", VF_SERVICES},
    {"Solutions", VF_SERVICES},
    {"Lines of Business", VF_SERVICES},

    {"Industry", VF_INDUSTRIES},
    {"Verticals", VF_INDUSTRIES},
    {"Vertical", VF_INDUSTRIES},
    {"Industry Focus", VF_INDUSTRIES},
    {"Industries Served", VF_INDUSTRIES},
    {"Client Industries", VF_INDUSTRIES},
    {"Sectors", VF_INDUSTRIES},
    {"Sector", VF_INDUSTRIES},

    {"Language", VF_LANGUAGES},
    {"Languages Spoken", VF_LANGUAGES},
    {"Supported Languages", VF_LANGUAGES},
    {"Language Support", VF_LANGUAGES},

    {"Certification", VF_CERTIFICATIONS},
    {"Certs", VF_CERTIFICATIONS},
    {"Certificates", VF_CERTIFICATIONS},
    {"Accreditations", VF_CERTIFICATIONS},
    {"Compliance", VF_CERTIFICATIONS},
    {"Standards", VF_CERTIFICATIONS},

    {"Headcount", VF_EMPLOYEES},
    {"Team Size", VF_EMPLOYEES},
    {"Company Size", VF_EMPLOYEES},
    {"Size", VF_EMPLOYEES},
    {"Employee Count", VF_EMPLOYEES},
    {"Number of Employees", VF_EMPLOYEES},
    {"No. of Employees", VF_EMPLOYEES},
    {"Staff", VF_EMPLOYEES},
    {"Workforce", VF_EMPLOYEES},
    {"FTEs", VF_EMPLOYEES},

    {"Year Founded", VF_FOUNDED},
    {"Founded Year", VF_FOUNDED},
    {"Established", VF_FOUNDED},
    {"Year Established", VF_FOUNDED},
    {"Founding Year", VF_FOUNDED},
    {"Since", VF_FOUNDED},

    {"Hourly Rate", VF_HOURLY_RATE},
    {"Rate", VF_HOURLY_RATE},
    {"Avg Hourly Rate", VF_HOURLY_RATE},
    {"Average Hourly Rate", VF_HOURLY_RATE},
    {"Price", VF_HOURLY_RATE},
    {"Pricing", VF_HOURLY_RATE},
    {"Hourly", VF_HOURLY_RATE},
    {"Rate per Hour", VF_HOURLY_RATE},
    {"Price per Hour", VF_HOURLY_RATE},
    {"Cost per Hour", VF_HOURLY_RATE},
    {"Billing Rate", VF_HOURLY_RATE},

    {"Reviews Rating", VF_RATING},
    {"Review Rating", VF_RATING},
    {"Average Rating", VF_RATING},
    {"Avg Rating", VF_RATING},
    {"Score", VF_RATING},
    {"Review Score", VF_RATING},
    {"Stars", VF_RATING},

    {"Delivery Model", VF_DELIVERY},
    {"Delivery Centers", VF_DELIVERY},
    {"Delivery Centres", VF_DELIVERY},
    {"Delivery Locations", VF_DELIVERY},
    {"Engagement Model", VF_DELIVERY},
    {"Shore", VF_DELIVERY},

    {"E-mail", VF_EMAIL},
    {"Email Address", VF_EMAIL},
    {"Contact Email", VF_EMAIL},
    {"Mail", VF_EMAIL},

    {"Telephone", VF_PHONE},
    {"Phone Number", VF_PHONE},
    {"Tel", VF_PHONE},
    {"Contact Phone", VF_PHONE},
    {"Mobile", VF_PHONE},

    {"About", VF_DESCRIPTION},
    {"Overview", VF_DESCRIPTION},
    {"Summary", VF_DESCRIPTION},
    {"Company Description", VF_DESCRIPTION},
    {"Profile", VF_DESCRIPTION},

    {"Specialisation", VF_EXPERTISE},
    {"Specialization", VF_EXPERTISE},
    {"Specialisations", VF_EXPERTISE},
    {"Specializations", VF_EXPERTISE},
    {"Specialties", VF_EXPERTISE},
    {"Qualifications", VF_EXPERTISE},
    {"Skills", VF_EXPERTISE},
    {"Domain Expertise", VF_EXPERTISE},

    {"Security", VF_DATA_SECURITY},
    {"Security Controls", VF_DATA_SECURITY},
    {"Information Security", VF_DATA_SECURITY},
    {"InfoSec", VF_DATA_SECURITY},
    {"Data Protection", VF_DATA_SECURITY},
};

/* Prefixes tried off a header that matches nothing as written. */
static const char *const owner_prefixes[] = {"company",  "vendor",       "supplier",
                                             "provider", "organization", "organisation",
                                             "firm",     "partner",      "business"};

/* Lower-case letters and digits only: "Avg. Hourly Rate" -> "avghourlyrate". */
static char *squash(const char *text)
{
    char *k = norm_text_key(text);
    size_t w = 0;
    for (size_t r = 0; k[r]; r++)
        if (k[r] != ' ')
            k[w++] = k[r];
    k[w] = '\0';
    return k;
}

/* The canonical field whose name squashes to sq, or -1. */
static int canonical_of_squash(const char *sq)
{
    int found = -1;
    for (int f = 0; f < VF_COUNT && found < 0 && sq[0]; f++) {
        char *c = squash(vendor_field_name((enum vendor_field)f));
        if (strcmp(c, sq) == 0)
            found = f;
        free(c);
    }
    return found;
}

static int field_of_squash(const char *sq)
{
    int found = canonical_of_squash(sq);
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases && found < 0 && sq[0]; i++) {
        char *a = squash(aliases[i].header);
        if (strcmp(a, sq) == 0)
            found = (int)aliases[i].field;
        free(a);
    }
    return found;
}

int col_field_by_name(const char *name)
{
    char *sq = squash(name ? name : "");
    int found = canonical_of_squash(sq);
    free(sq);
    return found;
}

bool columns_map_arg_ok(const char *arg)
{
    const char *eq = strchr(arg, '=');
    char name[64];
    snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - arg) : 0, arg);
    return eq && col_field_by_name(name) >= 0;
}

int col_field_of_header(const char *header)
{
    char *sq = squash(header ? header : "");
    int f = field_of_squash(sq);
    for (size_t i = 0; f < 0 && i < sizeof owner_prefixes / sizeof *owner_prefixes; i++) {
        size_t n = strlen(owner_prefixes[i]);
        if (strncmp(sq, owner_prefixes[i], n) == 0 && sq[n])
            f = field_of_squash(sq + n);
    }
    free(sq);
    return f;
}

/* ---- a rate column's currency, from its header ---- */

/* Bytes that separate the words of a header ("Rate (GBP/hour)"). */
static const char header_separators[] = " \t()[]{}/\\,;:|-_.";

/* Words a rate header adds for its unit ("Rate €/h", "Rate (GBP/hour)"). */
static bool unit_word(const char *w, size_t n)
{
    static const char *const units[] = {"h", "hr", "hrs", "hour", "hours"};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strlen(units[i]) == n && strncasecmp(units[i], w, n) == 0)
            return true;
    return false;
}

/* The header's words without its currency (and, with units, without the
 * unit words too), joined by spaces into rest. Returns the one ISO 4217
 * code the words name ("EUR" for "Hourly rate (EUR)", "€" or "eur"), or
 * NULL when they name none or two different ones. */
static const char *split_currency(const char *header, bool units, struct sbuf *rest)
{
    const char *code = NULL;
    bool clash = false;
    sbuf_reset(rest);
    sbuf_puts(rest, "");
    for (const char *p = header; *p;) {
        p += strspn(p, header_separators);
        size_t n = strcspn(p, header_separators);
        if (n == 0)
            break;
        const char *c = norm_currency(p, n);
        if (c) {
            clash |= code && strcmp(code, c) != 0;
            code = c;
        } else if (!(units && unit_word(p, n))) {
            sbuf_printf(rest, "%s%.*s", rest->len ? " " : "", (int)n, p);
        }
        p += n;
    }
    return clash ? NULL : code;
}

const char *col_header_currency(const char *header, int *field)
{
    struct sbuf rest;
    sbuf_init(&rest);
    const char *code = split_currency(header ? header : "", false, &rest);
    int f = code ? col_field_of_header(rest.data) : -1;
    if (code && f < 0) {
        split_currency(header, true, &rest);
        f = col_field_of_header(rest.data);
    }
    sbuf_free(&rest);
    if (field)
        *field = f == VF_HOURLY_RATE ? f : -1;
    return f == VF_HOURLY_RATE ? code : NULL;
}

/* The currency of the rate column: any its header names when --map chose
 * the column ("Tarif (EUR)"), else only a recognised rate header's. */
static void rate_column_currency(const char *const *headers, bool mapped, struct column_map *m)
{
    const char *header = headers[m->field_col[VF_HOURLY_RATE]], *code;
    if (mapped) {
        struct sbuf rest;
        sbuf_init(&rest);
        code = split_currency(header, false, &rest);
        sbuf_free(&rest);
    } else {
        code = col_header_currency(header, NULL);
    }
    snprintf(m->rate_currency, sizeof m->rate_currency, "%s", code ? code : "");
}

/* The column a --map HEADER names: exact text first, then ignoring case,
 * spaces and punctuation. -1 when absent. */
static int find_header(const char *const *headers, size_t n, const char *want)
{
    for (size_t c = 0; c < n; c++)
        if (strcmp(headers[c], want) == 0)
            return (int)c;
    char *sq = squash(want);
    int found = -1;
    for (size_t c = 0; c < n && found < 0 && sq[0]; c++) {
        char *h = squash(headers[c]);
        if (strcmp(h, sq) == 0)
            found = (int)c;
        free(h);
    }
    free(sq);
    return found;
}

static void list_fields(struct sbuf *b)
{
    for (int f = 0; f < VF_COUNT; f++)
        sbuf_printf(b, "%s%s", f ? ", " : "", vendor_field_name((enum vendor_field)f));
}

static void list_headers(struct sbuf *b, const char *const *headers, size_t n)
{
    for (size_t c = 0; c < n; c++)
        sbuf_printf(b, "%s\"%s\"", c ? ", " : "", headers[c]);
}

/* Applies the --map strings to m->field_col; disabled[f] for "FIELD=". */
static int apply_maps(const char *const *headers, size_t n, const char *const *maps, size_t nmaps,
                      const char *file, struct column_map *m, bool *disabled, struct vm_err *err)
{
    bool given[VF_COUNT] = {false};
    struct sbuf b;
    sbuf_init(&b);
    int rc = 0;
    for (size_t i = 0; i < nmaps; i++) {
        const char *eq = strchr(maps[i], '=');
        if (!eq) {
            rc = vm_err_set(err, VM_EXIT_USAGE, "--map %s: expected FIELD=HEADER", maps[i]);
            goto done;
        }
        char *fname = xstrndup(maps[i], (size_t)(eq - maps[i]));
        int f = col_field_by_name(fname);
        free(fname);
        if (f < 0) {
            list_fields(&b);
            rc = vm_err_set(err, VM_EXIT_USAGE, "--map %s: unknown field \"%.*s\" (fields: %s)",
                            maps[i], (int)(eq - maps[i]), maps[i], b.data);
            goto done;
        }
        if (given[f]) {
            rc = vm_err_set(err, VM_EXIT_USAGE, "--map %s: field %s is mapped twice", maps[i],
                            vendor_field_name((enum vendor_field)f));
            goto done;
        }
        given[f] = true;
        if (!eq[1]) {
            disabled[f] = true;
            continue;
        }
        int c = find_header(headers, n, eq + 1);
        if (c < 0) {
            list_headers(&b, headers, n);
            rc = vm_err_set(err, VM_EXIT_USAGE, "--map %s: %s%sno column \"%s\" (columns: %s)",
                            maps[i], file ? file : "", file ? ": " : "", eq + 1, b.data);
            goto done;
        }
        m->field_col[f] = c;
        m->from_map[f] = true;
    }
done:
    sbuf_free(&b);
    return rc;
}

/* Unique names for the extra columns: "Notes", "Notes (2)", "column 7". */
static void name_extras(const char *const *headers, struct column_map *m)
{
    m->extra_names = xcalloc(m->nextra ? m->nextra : 1, sizeof *m->extra_names);
    for (size_t i = 0; i < m->nextra; i++) {
        size_t c = m->extra[i];
        char *base = headers[c][0] ? xstrdup(headers[c]) : xasprintf("column %zu", c + 1);
        char *name = xstrdup(base);
        for (int k = 2;; k++) {
            bool clash = false;
            for (size_t j = 0; j < i && !clash; j++)
                clash = strcmp(m->extra_names[j], name) == 0;
            if (!clash)
                break;
            free(name);
            name = xasprintf("%s (%d)", base, k);
        }
        free(base);
        m->extra_names[i] = name;
    }
}

/* "FILE:LINE:1: no name column ...": the header line, as every data error
 * names its place; "FILE: " without a line, nothing without a file. */
static void no_name_message(const char *file, long line, struct vm_err *err)
{
    struct sbuf b, where;
    sbuf_init(&b);
    sbuf_init(&where);
    if (file && line > 0)
        sbuf_printf(&where, "%s:%ld:1: ", file, line);
    else if (file)
        sbuf_printf(&where, "%s: ", file);
    sbuf_puts(&b, "name");
    int shown = 0;
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases && shown < 9; i++)
        if (aliases[i].field == VF_NAME && ++shown)
            sbuf_printf(&b, ", %s", aliases[i].header);
    sbuf_puts(&b, ", ...");
    vm_err_set(err, VM_EXIT_DATAERR, "%sno name column (looked for: %s); use --map name=HEADER",
               where.data ? where.data : "", b.data);
    sbuf_free(&b);
    sbuf_free(&where);
}

int columns_map(const char *const *headers, size_t nheaders, const char *const *maps, size_t nmaps,
                const char *file, long header_line, struct column_map *out, struct vm_err *err)
{
    memset(out, 0, sizeof *out);
    for (int f = 0; f < VF_COUNT; f++)
        out->field_col[f] = -1;
    bool disabled[VF_COUNT] = {false};
    int rc = apply_maps(headers, nheaders, maps, nmaps, file, out, disabled, err);
    if (rc)
        return rc;
    bool rate_mapped = out->field_col[VF_HOURLY_RATE] >= 0;

    out->ncols = nheaders;
    out->col_field = xcalloc(nheaders ? nheaders : 1, sizeof *out->col_field);
    for (size_t c = 0; c < nheaders; c++)
        out->col_field[c] = -1;
    for (int f = 0; f < VF_COUNT; f++)
        if (out->field_col[f] >= 0)
            out->col_field[out->field_col[f]] = f;
    for (size_t c = 0; c < nheaders; c++) {
        bool taken = false;
        for (int f = 0; f < VF_COUNT && !taken; f++)
            taken = out->field_col[f] == (int)c;
        if (taken)
            continue; /* claimed by --map */
        int f = col_field_of_header(headers[c]);
        if (f < 0) /* "Hourly rate (EUR)", "Rate €/h" */
            col_header_currency(headers[c], &f);
        if (f >= 0 && out->field_col[f] < 0 && !disabled[f]) {
            out->field_col[f] = (int)c;
            out->col_field[c] = f;
        }
    }
    if (out->field_col[VF_NAME] < 0) {
        no_name_message(file, header_line, err);
        column_map_free(out);
        return VM_EXIT_DATAERR;
    }
    /* --map may give one column to two fields ("country" and "city" from
     * "Location"); a column is extra only when no field holds it. */
    out->extra = xcalloc(nheaders ? nheaders : 1, sizeof *out->extra);
    for (size_t c = 0; c < nheaders; c++) {
        bool used = false;
        for (int f = 0; f < VF_COUNT && !used; f++)
            used = out->field_col[f] == (int)c;
        if (!used)
            out->extra[out->nextra++] = c;
    }
    name_extras(headers, out);
    if (out->field_col[VF_HOURLY_RATE] >= 0)
        rate_column_currency(headers, rate_mapped, out);
    return 0;
}

void column_map_free(struct column_map *m)
{
    if (!m)
        return;
    free(m->col_field);
    free(m->extra);
    for (size_t i = 0; m->extra_names && i < m->nextra; i++)
        free(m->extra_names[i]);
    free(m->extra_names);
    memset(m, 0, sizeof *m);
    for (int f = 0; f < VF_COUNT; f++)
        m->field_col[f] = -1;
}

/* The headers of a[] that b[] lacks, one per occurrence ("Notes" twice in a
 * and once in b is one "Notes"), in a's order. */
static void headers_missing(const char *const *a, size_t na, const char *const *b, size_t nb,
                            struct strlist *out)
{
    bool *used = xcalloc(nb ? nb : 1, sizeof *used);
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t k = 0; k < nb && !found; k++)
            if (!used[k] && strcmp(a[i], b[k]) == 0)
                found = used[k] = true;
        if (!found)
            strlist_push(out, a[i]);
    }
    free(used);
}

static bool header_present(const char *const *headers, size_t n, const char *h)
{
    for (size_t c = 0; c < n; c++)
        if (strcmp(headers[c], h) == 0)
            return true;
    return false;
}

void columns_header_diff(const char *const *old_hdr, size_t n_old, const char *const *new_hdr,
                         size_t n_new, const char *const *maps, size_t nmaps,
                         struct header_diff *out)
{
    memset(out, 0, sizeof *out);
    headers_missing(new_hdr, n_new, old_hdr, n_old, &out->added);
    headers_missing(old_hdr, n_old, new_hdr, n_new, &out->removed);
    struct column_map om, nm;
    struct vm_err ignored;
    if (columns_map(old_hdr, n_old, maps, nmaps, NULL, 0, &om, &ignored) != 0)
        return; /* the old header no longer maps: added/removed say why */
    if (columns_map(new_hdr, n_new, maps, nmaps, NULL, 0, &nm, &ignored) == 0) {
        for (int f = 0; f < VF_COUNT; f++) {
            if (om.field_col[f] < 0 || nm.field_col[f] < 0)
                continue;
            const char *was = old_hdr[om.field_col[f]], *now = new_hdr[nm.field_col[f]];
            if (strcmp(was, now) != 0 && header_present(new_hdr, n_new, was))
                out->moved[out->nmoved++] = (struct header_move){
                    .field = (enum vendor_field)f, .header = xstrdup(now), .was = xstrdup(was)};
        }
        column_map_free(&nm);
    }
    column_map_free(&om);
}

bool header_diff_empty(const struct header_diff *d)
{
    return d->added.len == 0 && d->removed.len == 0 && d->nmoved == 0;
}

void header_diff_free(struct header_diff *d)
{
    strlist_free(&d->added);
    strlist_free(&d->removed);
    for (size_t i = 0; i < d->nmoved; i++) {
        free(d->moved[i].header);
        free(d->moved[i].was);
    }
    memset(d, 0, sizeof *d);
}
