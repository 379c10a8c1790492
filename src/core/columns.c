/*
 * columns: header recognition (see columns.h).
 *
 * The idea: one "squash" of a header (normalize's key with the spaces taken
 * out: "Avg. Hourly Rate" -> "avghourlyrate") compared with the squash of each
 * alias in one table. A header that matches nothing is tried once more without
 * a leading "Company"/"Vendor"/... ("Vendor Website" -> "website"). The alias
 * table is data: adding a header people use is adding a line.
 */
#include "core/columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/normalize.h"

static const char *const field_names[COL_NFIELDS] = {
    "id",       "name",        "website",   "country",        "city",
    "services", "industries",  "languages", "certifications", "employees",
    "founded",  "hourly_rate", "rating",    "delivery",       "email",
    "phone",    "description", "expertise", "data_security",
};

/* Headers people write for each field (the canonical name always counts).
 * Listed in the "no name column" message in this order, so the common
 * spellings of a name come first. */
static const struct {
    const char *header;
    enum col_field field;
} aliases[] = {
    {"Company", COL_NAME},
    {"Company Name", COL_NAME},
    {"Vendor", COL_NAME},
    {"Vendor Name", COL_NAME},
    {"Provider", COL_NAME},
    {"Provider Name", COL_NAME},
    {"Supplier", COL_NAME},
    {"Supplier Name", COL_NAME},
    {"Organization", COL_NAME},
    {"Organisation", COL_NAME},
    {"Organization Name", COL_NAME},
    {"Organisation Name", COL_NAME},
    {"Firm", COL_NAME},
    {"Firm Name", COL_NAME},
    {"Business Name", COL_NAME},
    {"Legal Name", COL_NAME},
    {"Account Name", COL_NAME},
    {"Partner", COL_NAME},
    {"Partner Name", COL_NAME},

    {"Vendor ID", COL_ID},
    {"Company ID", COL_ID},
    {"Supplier ID", COL_ID},
    {"Provider ID", COL_ID},
    {"External ID", COL_ID},
    {"Record ID", COL_ID},
    {"Ref", COL_ID},
    {"Reference", COL_ID},

    {"URL", COL_WEBSITE},
    {"Web", COL_WEBSITE},
    {"Site", COL_WEBSITE},
    {"Web Site", COL_WEBSITE},
    {"Website URL", COL_WEBSITE},
    {"Homepage", COL_WEBSITE},
    {"Domain", COL_WEBSITE},
    {"Web Address", COL_WEBSITE},

    {"HQ", COL_COUNTRY},
    {"Location", COL_COUNTRY},
    {"Headquarters", COL_COUNTRY},
    {"Headquarters Location", COL_COUNTRY},
    {"HQ Location", COL_COUNTRY},
    {"HQ Country", COL_COUNTRY},
    {"Headquarters Country", COL_COUNTRY},
    {"Country of Origin", COL_COUNTRY},
    {"Based In", COL_COUNTRY},

    {"HQ City", COL_CITY},
    {"Headquarters City", COL_CITY},
    {"Town", COL_CITY},

    {"Service", COL_SERVICES},
    {"Service Lines", COL_SERVICES},
    {"Capabilities", COL_SERVICES},
    {"Offerings", COL_SERVICES},
    {"Service Offerings", COL_SERVICES},
    {"Service Focus", COL_SERVICES},
    {"Services Offered", COL_SERVICES},
    {"Core Services", COL_SERVICES},
    {"Focus Areas", COL_SERVICES},
    {"Solutions", COL_SERVICES},
    {"Lines of Business", COL_SERVICES},

    {"Industry", COL_INDUSTRIES},
    {"Verticals", COL_INDUSTRIES},
    {"Vertical", COL_INDUSTRIES},
    {"Industry Focus", COL_INDUSTRIES},
    {"Industries Served", COL_INDUSTRIES},
    {"Client Industries", COL_INDUSTRIES},
    {"Sectors", COL_INDUSTRIES},
    {"Sector", COL_INDUSTRIES},

    {"Language", COL_LANGUAGES},
    {"Languages Spoken", COL_LANGUAGES},
    {"Supported Languages", COL_LANGUAGES},
    {"Language Support", COL_LANGUAGES},

    {"Certification", COL_CERTIFICATIONS},
    {"Certs", COL_CERTIFICATIONS},
    {"Certificates", COL_CERTIFICATIONS},
    {"Accreditations", COL_CERTIFICATIONS},
    {"Compliance", COL_CERTIFICATIONS},
    {"Standards", COL_CERTIFICATIONS},

    {"Headcount", COL_EMPLOYEES},
    {"Team Size", COL_EMPLOYEES},
    {"Company Size", COL_EMPLOYEES},
    {"Size", COL_EMPLOYEES},
    {"Employee Count", COL_EMPLOYEES},
    {"Number of Employees", COL_EMPLOYEES},
    {"No. of Employees", COL_EMPLOYEES},
    {"Staff", COL_EMPLOYEES},
    {"Workforce", COL_EMPLOYEES},
    {"FTEs", COL_EMPLOYEES},

    {"Year Founded", COL_FOUNDED},
    {"Founded Year", COL_FOUNDED},
    {"Established", COL_FOUNDED},
    {"Year Established", COL_FOUNDED},
    {"Founding Year", COL_FOUNDED},
    {"Since", COL_FOUNDED},

    {"Hourly Rate", COL_HOURLY_RATE},
    {"Rate", COL_HOURLY_RATE},
    {"Avg Hourly Rate", COL_HOURLY_RATE},
    {"Average Hourly Rate", COL_HOURLY_RATE},
    {"Price", COL_HOURLY_RATE},
    {"Pricing", COL_HOURLY_RATE},
    {"Hourly", COL_HOURLY_RATE},
    {"Rate per Hour", COL_HOURLY_RATE},
    {"Price per Hour", COL_HOURLY_RATE},
    {"Cost per Hour", COL_HOURLY_RATE},
    {"Billing Rate", COL_HOURLY_RATE},

    {"Reviews Rating", COL_RATING},
    {"Review Rating", COL_RATING},
    {"Average Rating", COL_RATING},
    {"Avg Rating", COL_RATING},
    {"Score", COL_RATING},
    {"Review Score", COL_RATING},
    {"Stars", COL_RATING},

    {"Delivery Model", COL_DELIVERY},
    {"Delivery Centers", COL_DELIVERY},
    {"Delivery Centres", COL_DELIVERY},
    {"Delivery Locations", COL_DELIVERY},
    {"Engagement Model", COL_DELIVERY},
    {"Shore", COL_DELIVERY},

    {"E-mail", COL_EMAIL},
    {"Email Address", COL_EMAIL},
    {"Contact Email", COL_EMAIL},
    {"Mail", COL_EMAIL},

    {"Telephone", COL_PHONE},
    {"Phone Number", COL_PHONE},
    {"Tel", COL_PHONE},
    {"Contact Phone", COL_PHONE},
    {"Mobile", COL_PHONE},

    {"About", COL_DESCRIPTION},
    {"Overview", COL_DESCRIPTION},
    {"Summary", COL_DESCRIPTION},
    {"Company Description", COL_DESCRIPTION},
    {"Profile", COL_DESCRIPTION},

    {"Specialisation", COL_EXPERTISE},
    {"Specialization", COL_EXPERTISE},
    {"Specialisations", COL_EXPERTISE},
    {"Specializations", COL_EXPERTISE},
    {"Specialties", COL_EXPERTISE},
    {"Qualifications", COL_EXPERTISE},
    {"Skills", COL_EXPERTISE},
    {"Domain Expertise", COL_EXPERTISE},

    {"Security", COL_DATA_SECURITY},
    {"Security Controls", COL_DATA_SECURITY},
    {"Information Security", COL_DATA_SECURITY},
    {"InfoSec", COL_DATA_SECURITY},
    {"Data Protection", COL_DATA_SECURITY},
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

const char *col_field_name(enum col_field f)
{
    return (f >= 0 && f < COL_NFIELDS) ? field_names[f] : "?";
}

/* The canonical field whose name squashes to sq, or -1. */
static int canonical_of_squash(const char *sq)
{
    int found = -1;
    for (int f = 0; f < COL_NFIELDS && found < 0 && sq[0]; f++) {
        char *c = squash(field_names[f]);
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
    for (int f = 0; f < COL_NFIELDS; f++)
        sbuf_printf(b, "%s%s", f ? ", " : "", field_names[f]);
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
    bool given[COL_NFIELDS] = {false};
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
                            field_names[f]);
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

static void no_name_message(const char *file, struct vm_err *err)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(&b, "name");
    int shown = 0;
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases && shown < 9; i++)
        if (aliases[i].field == COL_NAME && ++shown)
            sbuf_printf(&b, ", %s", aliases[i].header);
    sbuf_puts(&b, ", ...");
    vm_err_set(err, VM_EXIT_DATAERR, "%s%sno name column (looked for: %s); use --map name=HEADER",
               file ? file : "", file ? ": " : "", b.data);
    sbuf_free(&b);
}

int columns_map(const char *const *headers, size_t nheaders, const char *const *maps, size_t nmaps,
                const char *file, struct column_map *out, struct vm_err *err)
{
    memset(out, 0, sizeof *out);
    for (int f = 0; f < COL_NFIELDS; f++)
        out->field_col[f] = -1;
    bool disabled[COL_NFIELDS] = {false};
    int rc = apply_maps(headers, nheaders, maps, nmaps, file, out, disabled, err);
    if (rc)
        return rc;

    out->ncols = nheaders;
    out->col_field = xcalloc(nheaders ? nheaders : 1, sizeof *out->col_field);
    for (size_t c = 0; c < nheaders; c++)
        out->col_field[c] = -1;
    for (int f = 0; f < COL_NFIELDS; f++)
        if (out->field_col[f] >= 0)
            out->col_field[out->field_col[f]] = f;
    for (size_t c = 0; c < nheaders; c++) {
        bool taken = false;
        for (int f = 0; f < COL_NFIELDS && !taken; f++)
            taken = out->field_col[f] == (int)c;
        if (taken)
            continue; /* claimed by --map */
        int f = col_field_of_header(headers[c]);
        if (f >= 0 && out->field_col[f] < 0 && !disabled[f]) {
            out->field_col[f] = (int)c;
            out->col_field[c] = f;
        }
    }
    if (out->field_col[COL_NAME] < 0) {
        no_name_message(file, err);
        column_map_free(out);
        return VM_EXIT_DATAERR;
    }
    /* --map may give one column to two fields ("country" and "city" from
     * "Location"); a column is extra only when no field holds it. */
    out->extra = xcalloc(nheaders ? nheaders : 1, sizeof *out->extra);
    for (size_t c = 0; c < nheaders; c++) {
        bool used = false;
        for (int f = 0; f < COL_NFIELDS && !used; f++)
            used = out->field_col[f] == (int)c;
        if (!used)
            out->extra[out->nextra++] = c;
    }
    name_extras(headers, out);
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
    for (int f = 0; f < COL_NFIELDS; f++)
        m->field_col[f] = -1;
}
