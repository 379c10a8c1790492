/*
 * report_common: the pieces every report renderer shares. The document is
 * read through shortlist_doc.h's tolerant readers (missing, null and
 * mistyped values alike are unknown), so an old or partial document still
 * renders. Escapers are the only way vendor text reaches a report. Labels
 * come from the ISO tables generated at build time, so "IN" reads "India"
 * without a hand-typed list.
 */
#include "io/report_common.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/match_defaults.h"
#include "core/money.h"
#include "core/normalize.h"
#include "core/robust.h"
#include "io/output.h"
#include "io/report.h"

/* --- escaping ------------------------------------------------------------ */

/* Writes s made safe by the one rule (output.h: controls, bidi and
 * zero-width characters, invalid UTF-8 become U+FFFD; TAB and LF stay), with
 * each byte that special() names replaced by its text; the remaining control
 * bytes (TAB, LF, CR of CRLF) become spaces unless special() keeps them. */
static void rp_escape(FILE *f, const char *s, const char *(*special)(unsigned char c))
{
    size_t len = s ? strlen(s) : 0;
    while (len > 0) {
        const char *out;
        size_t out_len, n = output_safe_next(s, len, OUT_SAFE_TEXT, &out, &out_len);
        for (const unsigned char *p = (const unsigned char *)out;
             p < (const unsigned char *)out + out_len; p++) {
            const char *r = special(*p);
            if (r)
                fputs(r, f);
            else
                fputc(*p < 0x20 ? ' ' : *p, f);
        }
        s += n;
        len -= n;
    }
}

/* The three bytes both HTML and Markdown (which passes HTML through) need
 * as entities. */
static const char *entity(unsigned char c)
{
    return c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : NULL;
}

static const char *html_special(unsigned char c)
{
    switch (c) {
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    case '\n':
        return "\n";
    case '\t':
        return "\t";
    default:
        return entity(c);
    }
}

static const char *md_special(unsigned char c)
{
    switch (c) {
    case '\\':
        return "\\\\";
    case '`':
        return "\\`";
    case '*':
        return "\\*";
    case '_':
        return "\\_";
    case '[':
        return "\\[";
    case ']':
        return "\\]";
    case '|':
        return "\\|";
    case '~':
        return "\\~";
    default:
        return entity(c);
    }
}

void rp_html(FILE *f, const char *s)
{
    rp_escape(f, s, html_special);
}

void rp_md(FILE *f, const char *s)
{
    rp_escape(f, s, md_special);
}

/* --- numbers and labels -------------------------------------------------- */

const char *rp_num(double v, char *buf, size_t n)
{
    snprintf(buf, n, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, n, "0");
    return buf;
}

const char *rp_int(double v, char *buf, size_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v) < 1e18 ? v : 0.0);
    size_t len = strlen(digits), o = 0, start = digits[0] == '-';
    if (start && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = start; i < len && o + 1 < n; i++) {
        if (i > start && (len - i) % 3 == 0 && o + 1 < n)
            buf[o++] = ',';
        if (o + 1 < n)
            buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *rp_country(const char *code, char *buf, size_t n)
{
    const char *name = norm_country_name(code);
    if (!name)
        return code ? code : "";
    snprintf(buf, n, "%s", name);
    return buf;
}

const char *rp_country_in(const char *code, char *buf, size_t n)
{
    /* English puts "the" before these country names. */
    static const char *const with_the[] = {"PH", "NL", "US", "GB", "AE", "DO", "BS",
                                           "MV", "GM", "KM", "KY", "MH", "SB", "CF"};
    const char *name = norm_country_name(code);
    if (!name)
        return code ? code : "";
    bool the = false;
    for (size_t i = 0; i < sizeof with_the / sizeof *with_the; i++)
        the |= strcasecmp(with_the[i], code) == 0;
    snprintf(buf, n, "%s%s", the ? "the " : "", name);
    return buf;
}

const char *rp_language(const char *code, char *buf, size_t n)
{
    const char *name = norm_language_name(code, buf, n);
    return name ? name : code ? code : "";
}

const char *rp_cert(const char *code, char *buf, size_t n)
{
    if (!code)
        return "";
    /* Letters then digits: a space between reads as written ("ISO 27001"). */
    size_t letters = 0;
    while (code[letters] && isupper((unsigned char)code[letters]))
        letters++;
    if (letters == 0 || !isdigit((unsigned char)code[letters]))
        return code;
    snprintf(buf, n, "%.*s %s", (int)letters, code, code + letters);
    return buf;
}

const char *rp_service(const char *code, char *buf, size_t n)
{
    if (!code)
        return "";
    snprintf(buf, n, "%s", code);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    return buf;
}

char *rp_host(const char *website)
{
    if (!website)
        return NULL;
    const char *s = website;
    while (*s == ' ' || *s == '\t')
        s++;
    const char *scheme = strstr(s, "://");
    if (scheme && strcspn(s, "/?#") > (size_t)(scheme - s))
        s = scheme + 3;
    else if (strncmp(s, "//", 2) == 0)
        s += 2;
    size_t len = strcspn(s, "/?# \t\r\n");
    const char *at = memchr(s, '@', len);
    if (at) {
        len -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    if (len == 0)
        return NULL;
    /* Only what a host name can hold (IDN bytes included) and a port; text
     * such as "javascript:alert(1)" is not a host and is not shown. */
    size_t port = len;
    const char *colon = memchr(s, ':', len);
    if (colon) {
        port = (size_t)(colon - s);
        if (port + 1 == len || strspn(colon + 1, "0123456789") != len - port - 1)
            return NULL;
    }
    for (size_t i = 0; i < port; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '.' || c == '-' || c >= 0x80))
            return NULL;
    }
    if (port == 0)
        return NULL;
    char *host = xstrndup(s, len);
    for (char *p = host; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return host;
}

const char *rp_date(const char *iso, char *buf, size_t n)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y, mo, d, h, mi, used = 0;
    if (!iso)
        return "";
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5 || mo < 1 ||
        mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
        return iso;
    const char *rest = iso + used;
    if (rest[0] == ':')
        rest += strspn(rest + 1, "0123456789.") + 1;
    const char *zone =
        strcmp(rest, "Z") == 0 || strcmp(rest, "+00:00") == 0 || strcmp(rest, "+00") == 0 ? "UTC"
                                                                                          : rest;
    snprintf(buf, n, "%d %s %04d, %02d:%02d%s%s", d, months[mo - 1], y, h, mi, *zone ? " " : "",
             zone);
    return buf;
}

char *rp_rate(const json_t *vendor)
{
    double lo = 0, hi = 0;
    bool has_lo = rj_num(vendor, "rate_min", &lo), has_hi = rj_num(vendor, "rate_max", &hi);
    char text[128];
    if (!has_lo && !has_hi)
        return NULL;
    money_rate_text(text, sizeof text, rj_str(vendor, "currency"), has_lo, lo, has_hi, hi);
    return xstrdup(text);
}

char *rp_size(const json_t *vendor)
{
    double lo = 0, hi = 0;
    bool has_lo = rj_num(vendor, "employees_min", &lo);
    bool has_hi = rj_num(vendor, "employees_max", &hi);
    char a[32], b[32];
    if (has_lo && has_hi && lo != hi)
        return xasprintf("%s\xe2\x80\x93%s employees", rp_int(lo, a, sizeof a),
                         rp_int(hi, b, sizeof b));
    if (has_lo && has_hi)
        return xasprintf("%s employees", rp_int(lo, a, sizeof a));
    if (has_lo)
        return xasprintf("%s+ employees", rp_int(lo, a, sizeof a));
    if (has_hi)
        return xasprintf("up to %s employees", rp_int(hi, b, sizeof b));
    return NULL;
}

char *rp_location(const json_t *vendor)
{
    const char *city = rj_str(vendor, "city"), *country = rj_str(vendor, "country");
    char buf[128];
    if (city && *city && country && *country)
        return xasprintf("%s, %s", city, rp_country(country, buf, sizeof buf));
    if (country && *country)
        return xstrdup(rp_country(country, buf, sizeof buf));
    if (city && *city)
        return xstrdup(city);
    return NULL;
}

/* --- criteria ------------------------------------------------------------ */

/* The documented criteria, in SPEC "Matching" order, with their labels. */
static const struct {
    const char *key, *label;
} known_criteria[] = {
    {"service_coverage", "Service coverage"},
    {"industry", "Industry experience"},
    {"rating", "Rating"},
    {"price", "Price fit"},
    {"capacity", "Capacity fit"},
    {"languages", "Languages"},
    {"confidence", "Tag confidence"},
};
#define N_KNOWN (sizeof known_criteria / sizeof *known_criteria)

static bool criteria_has(const struct rp_criteria *c, const char *key)
{
    for (size_t i = 0; i < c->len; i++)
        if (strcmp(c->keys[i], key) == 0)
            return true;
    return false;
}

static void criteria_add_keys(struct rp_criteria *c, size_t *cap, const json_t *obj)
{
    const char *key;
    json_t *v;
    if (!obj || !json_is_object(obj))
        return;
    json_object_foreach((json_t *)obj, key, v)
    {
        (void)v;
        if (criteria_has(c, key))
            continue;
        if (c->len == *cap) {
            *cap *= 2;
            c->keys = xrealloc(c->keys, *cap * sizeof *c->keys);
        }
        c->keys[c->len++] = key;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void rp_criteria_of(const json_t *doc, struct rp_criteria *c)
{
    size_t cap = N_KNOWN + 8;
    c->keys = xmalloc(cap * sizeof *c->keys);
    c->len = 0;
    for (size_t i = 0; i < N_KNOWN; i++)
        c->keys[c->len++] = known_criteria[i].key;
    criteria_add_keys(c, &cap, rj_get(doc, "weights"));
    const json_t *results = rj_arr(doc, "results");
    for (size_t i = 0; i < rj_len(results); i++)
        criteria_add_keys(c, &cap, rj_get(json_array_get(results, i), "breakdown"));
    qsort(c->keys + N_KNOWN, c->len - N_KNOWN, sizeof *c->keys, cmp_str);
}

void rp_criteria_free(struct rp_criteria *c)
{
    free(c->keys);
    c->keys = NULL;
    c->len = 0;
}

const char *rp_criterion_label(const char *key, char *buf, size_t n)
{
    for (size_t i = 0; i < N_KNOWN; i++)
        if (strcmp(known_criteria[i].key, key) == 0)
            return known_criteria[i].label;
    rp_service(key, buf, n);
    if (buf[0])
        buf[0] = (char)toupper((unsigned char)buf[0]);
    return buf;
}

/* --- process types ------------------------------------------------------- */

const char *const rp_type_names[RP_NTYPES] = {"BPO", "KPO", "HYBRID", "UNCLASSIFIED"};

enum rp_type rp_type_of(const char *name)
{
    for (int i = 0; i < RP_NTYPES; i++)
        if (name && strcmp(name, rp_type_names[i]) == 0)
            return (enum rp_type)i;
    return RP_UNCLASSIFIED;
}

const char *rp_type_class(const char *name)
{
    static const char *const classes[RP_NTYPES] = {"bpo", "kpo", "hybrid", "unclassified"};
    if (name && strcmp(name, "ANY") == 0)
        return "any";
    return classes[rp_type_of(name)];
}

const char *rp_type_headline(const char *t)
{
    if (!t)
        return NULL;
    if (strcmp(t, "BPO") == 0)
        return "a BPO provider (business process outsourcing)";
    if (strcmp(t, "KPO") == 0)
        return "a KPO provider (knowledge process outsourcing)";
    if (strcmp(t, "ANY") == 0 || strcmp(t, "HYBRID") == 0)
        return "either kind of provider: the need mixes process (BPO) and knowledge (KPO) work";
    return NULL;
}

/* --- the need in plain words --------------------------------------------- */

/* Appends the strings of arr as "a, b and c" (or "or"), each through label. */
static void join_words(struct sbuf *b, const json_t *arr, const char *last_sep,
                       const char *(*label)(const char *, char *, size_t))
{
    size_t n = 0, total = 0;
    char buf[256];
    for (size_t i = 0; i < rj_len(arr); i++)
        total += json_is_string(json_array_get(arr, i));
    for (size_t i = 0; i < rj_len(arr); i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_string(v))
            continue;
        if (n)
            sbuf_puts(b, n + 1 == total ? last_sep : ", ");
        const char *s = json_string_value(v);
        sbuf_puts(b, label ? label(s, buf, sizeof buf) : s);
        n++;
    }
}

static size_t count_strings(const json_t *arr)
{
    size_t n = 0;
    for (size_t i = 0; i < rj_len(arr); i++)
        n += json_is_string(json_array_get(arr, i));
    return n;
}

/* Starts a new clause: ", " between clauses. */
static void clause(struct sbuf *b)
{
    if (b->len)
        sbuf_puts(b, ", ");
}

/* "at most $30/h", "at least EUR 20/h": the need's rate `key` as a clause. */
static void rate_clause(struct sbuf *b, const json_t *need, const char *key, const char *how)
{
    double v;
    char x[64];
    if (!rj_num(need, key, &v))
        return;
    clause(b);
    money_hourly_text(x, sizeof x, rj_str(need, "currency"), v);
    sbuf_printf(b, "%s %s", how, x);
}

char *rp_need_plain(const json_t *need)
{
    struct sbuf b;
    char x[32];
    double v;
    sbuf_init(&b);

    const json_t *services = rj_arr(need, "services");
    if (count_strings(services))
        join_words(&b, services, " and ", NULL);
    else if (count_strings(rj_arr(need, "service_categories")))
        join_words(&b, rj_arr(need, "service_categories"), " and ", rp_service);
    else
        sbuf_puts(&b, "any service");
    const char *type = rj_str(need, "type");
    if (type && (strcmp(type, "BPO") == 0 || strcmp(type, "KPO") == 0))
        sbuf_printf(&b, " from a %s provider", type);
    if (count_strings(rj_arr(need, "countries"))) {
        clause(&b);
        sbuf_puts(&b, "in ");
        join_words(&b, rj_arr(need, "countries"), " or ", rp_country_in);
    }
    if (count_strings(rj_arr(need, "exclude_countries"))) {
        clause(&b);
        sbuf_puts(&b, "not in ");
        join_words(&b, rj_arr(need, "exclude_countries"), " or ", rp_country_in);
    }
    if (count_strings(rj_arr(need, "industries"))) {
        clause(&b);
        join_words(&b, rj_arr(need, "industries"), " and ", NULL);
        sbuf_puts(&b, " experience");
    }
    if (count_strings(rj_arr(need, "languages"))) {
        clause(&b);
        join_words(&b, rj_arr(need, "languages"), " and ", rp_language);
        sbuf_puts(&b, " spoken");
    }
    if (count_strings(rj_arr(need, "certifications"))) {
        clause(&b);
        join_words(&b, rj_arr(need, "certifications"), " and ", rp_cert);
        sbuf_puts(&b, " required");
    }
    if (rj_num(need, "min_employees", &v)) {
        clause(&b);
        sbuf_printf(&b, "at least %s staff", rp_int(v, x, sizeof x));
    }
    rate_clause(&b, need, "max_rate", "at most");
    rate_clause(&b, need, "min_rate", "at least");
    if (rj_num(need, "min_rating", &v)) {
        clause(&b);
        sbuf_printf(&b, "rated %s or better", rp_num(v, x, sizeof x));
    }
    const char *sens = rj_str(need, "sensitivity");
    if (sens && *sens) {
        clause(&b);
        sbuf_printf(&b, "%s data sensitivity", sens);
    }
    if (count_strings(rj_arr(need, "delivery"))) {
        clause(&b);
        join_words(&b, rj_arr(need, "delivery"), " or ", NULL);
        sbuf_puts(&b, " delivery");
    }
    sbuf_putc(&b, '.');
    if (islower((unsigned char)b.data[0]))
        b.data[0] = (char)toupper((unsigned char)b.data[0]);
    return sbuf_detach(&b);
}

/* --- lines shared by the HTML and Markdown reports ----------------------- */

char *rp_summary_plain(const json_t *doc)
{
    size_t n = rj_len(rj_arr(doc, "results")), m = rj_len(rj_arr(doc, "excluded"));
    const char *created = rj_str(doc, "created_at");
    char buf[128];
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%zu vendor%s ranked \xc2\xb7 %zu near miss%s", n, n == 1 ? "" : "s", m,
                m == 1 ? "" : "es");
    if (created)
        sbuf_printf(&b, " \xc2\xb7 prepared %s", rp_date(created, buf, sizeof buf));
    return sbuf_detach(&b);
}

char *rp_produced_plain(const json_t *doc)
{
    const char *created = rj_str(doc, "created_at");
    char buf[128];
    double id;
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(&b, "Produced");
    if (created)
        sbuf_printf(&b, " %s", rp_date(created, buf, sizeof buf));
    sbuf_puts(&b, " by vendormatch");
    if (rj_num(doc, "id", &id))
        sbuf_printf(&b, " from saved shortlist #%s", rp_num(id, buf, sizeof buf));
    sbuf_putc(&b, '.');
    return sbuf_detach(&b);
}

char *rp_catalog_detail(const json_t *c)
{
    const char *source = rj_str(c, "source"), *when = rj_str(c, "imported_at");
    const char *sha = rj_str(c, "sha256");
    char buf[128];
    double batch;
    struct sbuf b;
    sbuf_init(&b);
    if (source)
        sbuf_printf(&b, "source %s", source);
    if (rj_num(c, "batch_id", &batch))
        sbuf_printf(&b, "%sbatch %s", b.len ? ", " : "", rp_num(batch, buf, sizeof buf));
    if (when)
        sbuf_printf(&b, "%simported %s", b.len ? ", " : "", rp_date(when, buf, sizeof buf));
    if (sha) /* the first 12 digits identify a file well enough to a reader */
        sbuf_printf(&b, "%ssha256 %.12s%s", b.len ? ", " : "", sha,
                    strlen(sha) > 12 ? "\xe2\x80\xa6" : "");
    return sbuf_detach(&b);
}

char *rp_weights_plain(const json_t *doc, const struct rp_criteria *crit)
{
    const json_t *weights = rj_get(doc, "weights");
    char label[128], num[32];
    struct sbuf b;
    sbuf_init(&b);
    for (size_t i = 0; i < crit->len; i++) {
        double w;
        if (!rj_num(weights, crit->keys[i], &w))
            continue;
        sbuf_printf(&b, "%s%s %s", b.len ? " \xc2\xb7 " : "",
                    rp_criterion_label(crit->keys[i], label, sizeof label),
                    rp_num(w, num, sizeof num));
    }
    if (!b.len) {
        sbuf_free(&b);
        return NULL;
    }
    return sbuf_detach(&b);
}

/* --- robustness --------------------------------------------------------- */

char *rp_robust_plain(const json_t *result)
{
    const json_t *rob = rj_get(result, "robustness");
    double rank, kept, top3;
    if (!rj_num(result, "rank", &rank) || !rj_num(rob, "rank_kept", &kept) ||
        !rj_num(rob, "top3_kept", &top3))
        return NULL;
    return xasprintf("#%.0f in %d%% of weightings, top %d in %d%%", rank, robust_percent(kept),
                     MATCH_ROBUST_TOP, robust_percent(top3));
}

char *rp_robust_method_plain(const json_t *doc)
{
    const json_t *rob = rj_get(doc, "robustness");
    double draws, spread, compared;
    if (!rj_num(rob, "draws", &draws) || !rj_num(rob, "spread", &spread))
        return NULL;
    char d[32], s[32];
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "Robustness: each weight varied by up to \xc2\xb1%s%%, %s draws",
                rp_num(spread * 100.0, s, sizeof s), rp_int(draws, d, sizeof d));
    if (rj_num(rob, "compared", &compared))
        sbuf_printf(&b, ", %.0f vendors compared", compared);
    sbuf_puts(&b, ".");
    return sbuf_detach(&b);
}

/* "#2 Bravo": a rank and the name of the result at that place. */
static void ranked_name(struct sbuf *b, const json_t *doc, size_t i)
{
    const char *name = rj_str(json_array_get(rj_arr(doc, "results"), i), "name");
    sbuf_printf(b, "#%zu%s%s", i + 1, name ? " " : "", name ? name : "");
}

char *rp_swap_plain(const json_t *doc)
{
    const json_t *sw = rj_get(doc, "swap");
    const char *crit = rj_str(sw, "criterion"), *dir = rj_str(sw, "direction");
    double w, t, max = MATCH_MAX_WEIGHT;
    char label[128], tn[32], wn[32], mn[32];
    struct sbuf b;
    if (!json_is_object(sw))
        return NULL;
    rj_num(sw, "max_weight", &max);
    sbuf_init(&b);
    if (crit && dir && rj_num(sw, "weight", &w) && rj_num(sw, "threshold", &t)) {
        bool rises = strcmp(dir, "rises") == 0;
        rp_service(crit, label, sizeof label); /* "service_coverage" -> "service coverage" */
        ranked_name(&b, doc, 1);
        sbuf_printf(&b, " takes first place if the %s weight %s %s (now %s).", label,
                    rises   ? "rises above"
                    : t > 0 ? "falls below"
                            : "falls to",
                    rp_num(t, tn, sizeof tn), rp_num(w, wn, sizeof wn));
    } else {
        sbuf_printf(&b, "No single weight from 0 to %s puts ", rp_num(max, mn, sizeof mn));
        ranked_name(&b, doc, 1);
        sbuf_puts(&b, " ahead of ");
        ranked_name(&b, doc, 0);
        sbuf_puts(&b, ".");
    }
    return sbuf_detach(&b);
}

/* --- the BPO/KPO mix chart ----------------------------------------------- */

void rp_html_mix_chart(FILE *f, const size_t counts[RP_NTYPES], const char *aria_label)
{
    size_t total = 0;
    char pct[32];
    for (int i = 0; i < RP_NTYPES; i++)
        total += counts[i];
    fputs("<figure class=\"mix\">\n<svg class=\"mix-bar\" viewBox=\"0 0 1000 36\" "
          "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"",
          f);
    rp_html(f, aria_label);
    fputs(
        "\">\n<rect class=\"mix-empty\" x=\"0\" y=\"0\" width=\"1000\" height=\"36\" rx=\"4\"/>\n",
        f);
    double x = 0;
    for (int i = 0; i < RP_NTYPES && total; i++) {
        if (!counts[i])
            continue;
        double w = 1000.0 * (double)counts[i] / (double)total;
        fprintf(f, "<rect class=\"fill-%s\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"36\"/>\n",
                rp_type_class(rp_type_names[i]), x, w);
        x += w;
    }
    fputs("</svg>\n<figcaption><ul class=\"legend\">\n", f);
    for (int i = 0; i < RP_NTYPES; i++) {
        if (!counts[i] && i == RP_UNCLASSIFIED)
            continue;
        double p = total ? 100.0 * (double)counts[i] / (double)total : 0.0;
        snprintf(pct, sizeof pct, "%.0f%%", p);
        fprintf(f,
                "<li><span class=\"swatch fill-%s\"></span><b>%s</b> %zu <span "
                "class=\"muted\">(%s)</span></li>\n",
                rp_type_class(rp_type_names[i]), rp_type_names[i], counts[i], pct);
    }
    fputs("</ul></figcaption>\n</figure>\n", f);
}

const char rp_html_base_css[] =
    ":root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--soft:#f4f6f8;--accent:#1f4e79;"
    "--bpo:#2f6690;--kpo:#7a4f9a;--hybrid:#2a8c82;--unclassified:#9aa3ad;--any:#52606d}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;background:#fff;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "main{max-width:1080px;margin:0 auto;padding:40px 48px 56px}\n"
    "h1{font-size:30px;line-height:1.2;margin:4px 0 6px;font-weight:650;"
    "overflow-wrap:break-word}\n"
    "h2{font-size:13px;letter-spacing:.08em;text-transform:uppercase;color:var(--accent);"
    "margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--accent);"
    "break-after:avoid}\n"
    "h3{font-size:18px;margin:0;font-weight:620;overflow-wrap:break-word}\n"
    "p{margin:0 0 10px}\n"
    ".eyebrow{font-size:12px;letter-spacing:.12em;text-transform:uppercase;color:var(--muted);"
    "margin:0}\n"
    ".muted{color:var(--muted)}\n"
    ".num{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}\n"
    "table{width:100%;border-collapse:collapse;font-size:14px}\n"
    "thead{display:table-header-group}\n"
    "th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;"
    "letter-spacing:.04em;text-transform:uppercase;border-bottom:1px solid var(--line);"
    "padding:6px 8px}\n"
    "td{padding:8px;border-bottom:1px solid var(--line);vertical-align:top;"
    "overflow-wrap:break-word}\n"
    "tr{break-inside:avoid}\n"
    ".badge{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.06em;"
    "padding:2px 8px;border-radius:999px;color:#fff;vertical-align:middle;white-space:nowrap}\n"
    ".badge.bpo,.fill-bpo{background:var(--bpo);fill:var(--bpo)}\n"
    ".badge.kpo,.fill-kpo{background:var(--kpo);fill:var(--kpo)}\n"
    ".badge.hybrid,.fill-hybrid{background:var(--hybrid);fill:var(--hybrid)}\n"
    ".badge.unclassified,.fill-unclassified{background:var(--unclassified);"
    "fill:var(--unclassified)}\n"
    ".badge.any,.fill-any{background:var(--any);fill:var(--any)}\n"
    ".mix{margin:10px 0 0}\n"
    ".mix-bar{display:block;width:100%;height:18px}\n"
    ".mix-empty{fill:var(--soft)}\n"
    ".legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;"
    "gap:6px 18px;font-size:13px}\n"
    ".swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}\n"
    ".bar{display:block;width:100%;min-width:36px;height:8px}\n"
    ".bar .track{fill:var(--soft)}\n"
    ".bar .val{fill:var(--accent)}\n"
    "footer{margin-top:40px;padding-top:14px;border-top:1px solid var(--line);font-size:12px;"
    "color:var(--muted)}\n"
    "footer p{margin:0 0 6px}\n"
    "@page{size:A4;margin:16mm 14mm}\n"
    "@media print{body{font-size:10pt}main{max-width:none;padding:0}"
    "h2{margin-top:22px}.card,.kpi,figure{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}\n"
    "@media screen and (max-width:700px){main{padding:24px 16px}}\n";

/* --- the entry points every caller uses ---------------------------------- */

int report_format_parse(const char *s, enum report_format *out, struct vm_err *err)
{
    if (strcmp(s, "html") == 0)
        *out = REPORT_HTML;
    else if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
        *out = REPORT_MD;
    else if (strcmp(s, "csv") == 0)
        *out = REPORT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = REPORT_JSON;
    else
        return vm_err_set(err, VM_EXIT_USAGE, "unknown --format '%s' (use html, md, csv or json)",
                          s);
    return 0;
}

int report_render(const json_t *doc, enum report_format fmt, FILE *out, struct vm_err *err)
{
    if (!doc || !json_is_object(doc))
        return vm_err_set(err, VM_EXIT_FAILURE, "the shortlist document is not a JSON object");
    switch (fmt) {
    case REPORT_HTML:
        return report_render_html(doc, out, err);
    case REPORT_MD:
        return report_render_md(doc, out, err);
    case REPORT_CSV:
        return report_render_csv(doc, out, err);
    case REPORT_JSON:
        return report_render_json(doc, out, err);
    }
    return vm_err_set(err, VM_EXIT_FAILURE, "unknown report format");
}
