/*
 * need: parses and normalises a client need. One setter, need_set(), turns a
 * (field, text) pair into normalised values with normalize.h, so options and
 * needs-file cells behave identically and vendors and needs compare as equal
 * codes. The process type is decided last, from the taxonomy's verdict on
 * the services, and explained in one sentence.
 */
#include "core/need.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "core/criteria.h"
#include "core/jsonval.h"
#include "core/match_defaults.h"
#include "core/normalize.h"

/* A criterion's weight key and default weight: criteria.c's table. */
const char *criterion_name(enum criterion c)
{
    return c < CRIT_COUNT ? crit_criteria[c].key : "?";
}

/* The index of name in names[0..n), ignoring case; -1 when absent. */
static int name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(name, names[i]) == 0)
            return i;
    return -1;
}

int criterion_by_name(const char *name)
{
    for (int c = 0; c < CRIT_COUNT; c++)
        if (strcasecmp(name, crit_criteria[c].key) == 0)
            return c;
    return -1;
}

static const char *const field_names[NF_COUNT] = {
    "need",     "service", "type",          "industry", "country",    "exclude_country",
    "language", "cert",    "min_employees", "max_rate", "min_rating", "sensitivity",
    "delivery", "weight",  "top",           "min_rate", "strict",     "require_known",
};

static const char *const fact_names[FACT_COUNT] = {
    "language", "cert", "country", "employees", "rate", "rating", "delivery",
};

const char *need_fact_name(enum need_fact f)
{
    return f < FACT_COUNT ? fact_names[f] : "?";
}

int need_fact_by_name(const char *name)
{
    return name_index(fact_names, FACT_COUNT, name);
}

bool need_requires_known(const struct need *n, enum need_fact f)
{
    return n->strict || (n->require_known & (1u << f));
}

const char *need_field_name(enum need_field f)
{
    return f < NF_COUNT ? field_names[f] : "?";
}

/* Header aliases, compared after squashing case, spaces and punctuation. */
static const struct {
    const char *key;
    enum need_field field;
} header_aliases[] = {
    {"need", NF_NAME},
    {"needname", NF_NAME},
    {"name", NF_NAME},
    {"client", NF_NAME},
    {"project", NF_NAME},
    {"service", NF_SERVICE},
    {"services", NF_SERVICE},
    {"servicelines", NF_SERVICE},
    {"capabilities", NF_SERVICE},
    {"offerings", NF_SERVICE},
    {"requiredservices", NF_SERVICE},
    {"type", NF_TYPE},
    {"processtype", NF_TYPE},
    {"industry", NF_INDUSTRY},
    {"industries", NF_INDUSTRY},
    {"sector", NF_INDUSTRY},
    {"sectors", NF_INDUSTRY},
    {"vertical", NF_INDUSTRY},
    {"verticals", NF_INDUSTRY},
    {"country", NF_COUNTRY},
    {"countries", NF_COUNTRY},
    {"location", NF_COUNTRY},
    {"hq", NF_COUNTRY},
    {"excludecountry", NF_EXCLUDE_COUNTRY},
    {"excludecountries", NF_EXCLUDE_COUNTRY},
    {"excludedcountries", NF_EXCLUDE_COUNTRY},
    {"language", NF_LANGUAGE},
    {"languages", NF_LANGUAGE},
    {"cert", NF_CERT},
    {"certs", NF_CERT},
    {"certification", NF_CERT},
    {"certifications", NF_CERT},
    {"minemployees", NF_MIN_EMPLOYEES},
    {"employees", NF_MIN_EMPLOYEES},
    {"headcount", NF_MIN_EMPLOYEES},
    {"teamsize", NF_MIN_EMPLOYEES},
    {"companysize", NF_MIN_EMPLOYEES},
    {"maxrate", NF_MAX_RATE},
    {"hourlyrate", NF_MAX_RATE},
    {"rate", NF_MAX_RATE},
    {"budget", NF_MAX_RATE},
    {"minrate", NF_MIN_RATE},
    {"minhourlyrate", NF_MIN_RATE},
    {"minrating", NF_MIN_RATING},
    {"rating", NF_MIN_RATING},
    {"sensitivity", NF_SENSITIVITY},
    {"datasensitivity", NF_SENSITIVITY},
    {"delivery", NF_DELIVERY},
    {"deliverymodel", NF_DELIVERY},
    {"weight", NF_WEIGHT},
    {"weights", NF_WEIGHT},
    {"top", NF_TOP},
    {"strict", NF_STRICT},
    {"requireknown", NF_REQUIRE_KNOWN},
    {"requiredknown", NF_REQUIRE_KNOWN},
};

int need_field_by_header(const char *header)
{
    char key[64];
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)header; *p && k + 1 < sizeof key; p++)
        if (isalnum(*p))
            key[k++] = (char)tolower(*p);
    key[k] = '\0';
    for (size_t i = 0; i < sizeof header_aliases / sizeof header_aliases[0]; i++)
        if (strcmp(key, header_aliases[i].key) == 0)
            return (int)header_aliases[i].field;
    return -1;
}

bool need_field_is_multi(enum need_field f)
{
    switch (f) {
    case NF_SERVICE:
    case NF_INDUSTRY:
    case NF_COUNTRY:
    case NF_EXCLUDE_COUNTRY:
    case NF_LANGUAGE:
    case NF_CERT:
    case NF_DELIVERY:
    case NF_WEIGHT:
    case NF_REQUIRE_KNOWN:
        return true;
    default:
        return false;
    }
}

void need_init(struct need *n)
{
    memset(n, 0, sizeof *n);
    strlist_init(&n->categories);
    strlist_init(&n->industries);
    strlist_init(&n->countries);
    strlist_init(&n->exclude_countries);
    strlist_init(&n->languages);
    strlist_init(&n->certifications);
    strlist_init(&n->delivery);
    for (int c = 0; c < CRIT_COUNT; c++)
        n->weights[c] = crit_criteria[c].weight;
    n->weight_sum = 100.0; /* the defaults' sum */
    memcpy(n->currency, "USD", 4);
    n->top = MATCH_DEFAULT_TOP;
}

void need_free(struct need *n)
{
    free(n->name);
    for (size_t i = 0; i < n->n_services; i++) {
        free(n->services[i].phrase);
        free(n->services[i].category);
    }
    free(n->services);
    strlist_free(&n->categories);
    strlist_free(&n->industries);
    strlist_free(&n->countries);
    strlist_free(&n->exclude_countries);
    strlist_free(&n->languages);
    strlist_free(&n->certifications);
    strlist_free(&n->delivery);
    free(n->process_reason);
    memset(n, 0, sizeof *n);
}

char *need_label_norm(const char *text)
{
    /* The importer's rule for industries and delivery (vendor.c): trimmed,
     * NFC, case folded. */
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    char *trimmed = xstrndup(text, len);
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)trimmed, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0) {
        free(folded);
        return trimmed;
    }
    free(trimmed);
    return (char *)folded;
}

static void push_unique(struct strlist *l, const char *s)
{
    if (!strlist_contains(l, s))
        strlist_push(l, s);
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

/* Need numbers are strict (util.h's plain decimals, thousands groups
 * allowed): "30abc", "0x10", "1e400", "inf" are errors, not 30, 16, 1 or
 * a huge value. */

/* A headcount at *p: whole, 0..MATCH_MAX_EMPLOYEES; advances *p. */
static bool scan_count(const char **p, long *out)
{
    double v;
    size_t len = vm_scan_decimal(*p, false, true, &v);
    if (len == 0 || !(v <= MATCH_MAX_EMPLOYEES))
        return false;
    *out = (long)v;
    *p += len;
    return true;
}

/* "/hr", "/ h", "/hour", "per hour", "an hour", "hourly" at p: the end of
 * the suffix, else NULL. */
static const char *skip_per_hour(const char *p)
{
    static const char *const units[] = {"hour", "hr", "h"};
    static const char *const leads[] = {"/", "per ", "an ", "a "};
    if (strncasecmp(p, "hourly", 6) == 0 && (!p[6] || p[6] == ' '))
        return p + 6;
    for (size_t i = 0; i < sizeof leads / sizeof *leads; i++) {
        size_t n = strlen(leads[i]);
        if (strncasecmp(p, leads[i], n) != 0)
            continue;
        const char *q = skip_spaces(p + n);
        for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
            size_t k = strlen(units[u]);
            if (strncasecmp(q, units[u], k) == 0 && (!q[k] || q[k] == ' '))
                return q + k;
        }
    }
    return NULL;
}

/* What a rate's text says besides its amounts. */
struct rate_words {
    const char *currency; /* ISO 4217 code, NULL until one is written */
    const char *unknown;  /* a three-letter word that is no known currency */
    int unknown_len;
};

/* A currency word or symbol at *p (up to the next space, digit, '-' or
 * '/'); advances *p. False when it names no known currency or another
 * currency than one already written ("EUR 25 USD"). */
static bool scan_currency(const char **p, struct rate_words *w)
{
    const char *s = *p;
    size_t n = strcspn(s, " -/0123456789");
    const char *code = n ? norm_currency(s, n) : NULL;
    if (!code) {
        bool word = n == 3;
        for (size_t i = 0; i < n && word; i++)
            word = isalpha((unsigned char)s[i]);
        if (word && !w->unknown) {
            w->unknown = s;
            w->unknown_len = 3;
        }
        return false;
    }
    if (w->currency && strcmp(w->currency, code) != 0)
        return false;
    w->currency = code;
    *p = s + n;
    return true;
}

/* "30", "22.50", "1,500", "EUR 25", "25 eur", "$30/hr", "€20 - €30 per hour":
 * amounts from 0 to MATCH_MAX_RATE; *lo and *hi the ends of a range (the
 * same amount for one). */
static bool parse_rate(const char *v, double *lo, double *hi, struct rate_words *w)
{
    const char *p = v;
    double amount[2];
    int k = 0;
    for (;;) {
        p = skip_spaces(p);
        if (*p && !isdigit((unsigned char)*p) && !scan_currency(&p, w))
            return false;
        p = skip_spaces(p);
        size_t len = vm_scan_decimal(p, true, true, &amount[k]);
        if (len == 0 || !(amount[k] <= MATCH_MAX_RATE))
            return false;
        p = skip_spaces(p + len);
        if (++k == 2 || *p != '-')
            break;
        p++;
    }
    while (*p) {
        const char *q = skip_per_hour(p);
        if (q)
            p = q;
        else if (isdigit((unsigned char)*p) || *p == '-' || !scan_currency(&p, w))
            return false;
        p = skip_spaces(p);
    }
    if (k == 2 && amount[0] > amount[1])
        return false;
    *lo = amount[0];
    *hi = amount[k - 1];
    return true;
}

static int set_type(struct need *n, const char *v, char **reason)
{
    if (strcasecmp(v, "BPO") == 0)
        n->type = NEED_TYPE_BPO;
    else if (strcasecmp(v, "KPO") == 0)
        n->type = NEED_TYPE_KPO;
    else if (strcasecmp(v, "auto") == 0)
        n->type = NEED_TYPE_AUTO;
    else if (strcasecmp(v, "any") == 0 || strcasecmp(v, "hybrid") == 0)
        n->type = NEED_TYPE_ANY;
    else
        *reason = xasprintf("unknown type '%s' (use BPO, KPO, any or auto)", v);
    return *reason ? -1 : 0;
}

static int set_sensitivity(struct need *n, const char *v, char **reason)
{
    if (strcasecmp(v, "low") == 0)
        n->sensitivity = SENS_LOW;
    else if (strcasecmp(v, "medium") == 0)
        n->sensitivity = SENS_MEDIUM;
    else if (strcasecmp(v, "high") == 0)
        n->sensitivity = SENS_HIGH;
    else
        *reason = xasprintf("unknown sensitivity '%s' (use low, medium or high)", v);
    return *reason ? -1 : 0;
}

static int set_country(struct strlist *l, const char *v, char **reason)
{
    const char *cc = norm_country(v, NULL);
    if (!cc) {
        const char *near = norm_suggest_country(v);
        *reason = near ? xasprintf("unknown country '%s': did you mean '%s'? (use a name or an "
                                   "ISO 3166-1 code)",
                                   v, near)
                       : xasprintf("unknown country '%s' (use a name or an ISO 3166-1 code)", v);
        return -1;
    }
    push_unique(l, cc);
    return 0;
}

static int set_language(struct need *n, const char *v, char **reason)
{
    const char *code = norm_language(v);
    if (!code) {
        const char *near = norm_suggest_language(v);
        *reason = near ? xasprintf("unknown language '%s': did you mean '%s'? (use a name or an "
                                   "ISO 639 code)",
                                   v, near)
                       : xasprintf("unknown language '%s' (use a name or an ISO 639 code)", v);
        return -1;
    }
    push_unique(&n->languages, code);
    return 0;
}

static int set_cert(struct need *n, const char *v, char **reason)
{
    char code[64];
    if (!norm_certification(v, code, sizeof code)) {
        *reason = xasprintf("unrecognised certification '%s'", v);
        return -1;
    }
    push_unique(&n->certifications, code);
    return 0;
}

static int set_min_employees(struct need *n, const char *v, char **reason)
{
    const char *p = v;
    long lo, hi;
    bool ok = scan_count(&p, &lo);
    p = skip_spaces(p);
    if (ok && *p == '+') {
        p = skip_spaces(p + 1);
    } else if (ok && *p == '-') {
        p = skip_spaces(p + 1);
        ok = scan_count(&p, &hi) && hi >= lo;
    }
    if (!ok || *p) {
        *reason = xasprintf("bad employee count '%s' (use a whole number from 0 to %d, such as "
                            "100 or 1,000; a range such as 50-200 or 500+ counts its lower end)",
                            v, MATCH_MAX_EMPLOYEES);
        return -1;
    }
    n->has_min_employees = true;
    n->min_employees = lo;
    return 0;
}

/* --max-rate (a range counts its upper end) and --min-rate (its lower end).
 * Both share the need's currency: a value naming none takes the other's,
 * two naming different ones are an error. */
static int set_rate(struct need *n, const char *v, bool is_max, char **reason)
{
    static const char forms[] =
        "use an hourly amount from 0 to %d: a plain number such as 30 or 22.50, with an "
        "optional ISO 4217 currency code or symbol and /hr (\"EUR 25\", \"$30/hr\"; USD by "
        "default); a range such as 20-30 counts its %s end";
    struct rate_words w = {.currency = NULL};
    double lo, hi;
    if (!parse_rate(v, &lo, &hi, &w)) {
        char *how = xasprintf(forms, MATCH_MAX_RATE, is_max ? "upper" : "lower");
        bool amount = strpbrk(v, "0123456789") != NULL; /* "inf" is no currency */
        *reason = w.unknown && amount ? xasprintf("bad rate '%s': unknown currency '%.*s' (%s)", v,
                                                  w.unknown_len, w.unknown, how)
                                      : xasprintf("bad rate '%s' (%s)", v, how);
        free(how);
        return -1;
    }
    const char *other = is_max ? n->min_rate_cur : n->max_rate_cur;
    if (w.currency && other && strcmp(w.currency, other) != 0) {
        *reason = xasprintf("rate '%s' is in %s, the other rate of the need in %s (use one "
                            "currency for --min-rate and --max-rate)",
                            v, w.currency, other);
        return -1;
    }
    *(is_max ? &n->max_rate_cur : &n->min_rate_cur) = w.currency;
    memcpy(n->currency, w.currency ? w.currency : other ? other : "USD", 4);
    if (is_max) {
        n->has_max_rate = true;
        n->max_rate = hi;
    } else {
        n->has_min_rate = true;
        n->min_rate = lo;
    }
    return 0;
}

static int set_min_rating(struct need *n, const char *v, char **reason)
{
    double r;
    size_t len = vm_scan_decimal(v, true, false, &r);
    bool percent = len > 0 && v[len] == '%' && v[len + 1] == '\0';
    if (percent)
        r = r / 100 * MATCH_RATING_SCALE;
    if (len == 0 || (!percent && v[len]) || !isfinite(r) || r < 0 || r > MATCH_RATING_SCALE) {
        *reason = xasprintf("bad rating '%s' (use a plain number from 0 to 5 such as 4.5, or a "
                            "percentage from 0%% to 100%% such as 90%%)",
                            v);
        return -1;
    }
    n->has_min_rating = true;
    n->min_rating = r;
    return 0;
}

static int set_weight(struct need *n, const char *v, char **reason)
{
    const char *eq = strchr(v, '=');
    char name[64];
    double w;
    if (!eq || (size_t)(eq - v) >= sizeof name) {
        *reason = xasprintf("bad weight '%s' (use CRITERION=NUMBER, e.g. rating=30)", v);
        return -1;
    }
    memcpy(name, v, (size_t)(eq - v));
    name[eq - v] = '\0';
    char *trimmed = need_label_norm(name);
    int c = criterion_by_name(trimmed);
    free(trimmed);
    if (c < 0) {
        *reason = xasprintf("unknown criterion '%s' in weight '%s' (use service_coverage, "
                            "industry, rating, price, capacity, languages or confidence)",
                            name, v);
        return -1;
    }
    if (!vm_parse_decimal(skip_spaces(eq + 1), 0, MATCH_MAX_WEIGHT, &w)) {
        *reason = xasprintf("bad weight '%s' (the weight must be a plain number from 0 to %d, "
                            "such as 30 or 12.5)",
                            v, MATCH_MAX_WEIGHT);
        return -1;
    }
    n->weights[c] = w;
    n->weight_given[c] = true;
    return 0;
}

static int set_top(struct need *n, const char *v, char **reason)
{
    long long t;
    if (!vm_parse_int(v, 1, MATCH_MAX_TOP, &t)) {
        *reason = xasprintf("bad top '%s' (use a whole number from 1 to %d)", v, MATCH_MAX_TOP);
        return -1;
    }
    n->top = (int)t;
    return 0;
}

/* --strict, or a needs file's strict cell: yes/true/1 or no/false/0. */
static int set_strict(struct need *n, const char *v, char **reason)
{
    static const char *const yes[] = {"yes", "true", "1", "y", "all"};
    static const char *const no[] = {"no", "false", "0", "n"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcasecmp(v, yes[i]) == 0) {
            n->strict = true;
            return 0;
        }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcasecmp(v, no[i]) == 0) {
            n->strict = false;
            return 0;
        }
    *reason = xasprintf("bad strict value '%s' (use yes or no)", v);
    return -1;
}

static int set_require_known(struct need *n, const char *v, char **reason)
{
    int f = need_fact_by_name(v);
    if (f < 0) {
        *reason = xasprintf("unknown fact '%s' to require known (use language, cert, country, "
                            "employees, rate, rating or delivery)",
                            v);
        return -1;
    }
    n->require_known |= 1u << f;
    return 0;
}

static void add_service(struct need *n, const char *v)
{
    for (size_t i = 0; i < n->n_services; i++)
        if (strcmp(n->services[i].phrase, v) == 0)
            return;
    n->services = xrealloc(n->services, (n->n_services + 1) * sizeof *n->services);
    n->services[n->n_services++] = (struct need_service){.phrase = xstrdup(v)};
}

static void add_label(struct strlist *l, const char *v)
{
    char *norm = need_label_norm(v);
    if (norm[0] && !strlist_contains(l, norm))
        strlist_push_owned(l, norm);
    else
        free(norm);
}

/* Fields whose value is free text (names, labels). */
static void set_text_field(struct need *n, enum need_field f, const char *v)
{
    switch (f) {
    case NF_NAME:
        free(n->name);
        n->name = xstrdup(v);
        break;
    case NF_SERVICE:
        add_service(n, v);
        break;
    case NF_INDUSTRY:
        add_label(&n->industries, v);
        break;
    default:
        add_label(&n->delivery, v);
        break;
    }
}

int need_set(struct need *n, enum need_field f, const char *value, char **reason)
{
    size_t bad;
    *reason = NULL;
    if (!norm_utf8_valid(value, strlen(value), &bad)) {
        *reason = xasprintf("invalid UTF-8 at byte %zu of the value", bad + 1);
        return -1;
    }
    char *v = xstrdup(value);
    char *s = v, *e = v + strlen(v);
    while (*s == ' ' || *s == '\t')
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    int rc = 0;
    if (!*s) {
        *reason =
            xasprintf("empty %s value (give one, or leave the option out)", need_field_name(f));
        free(v);
        return -1;
    }
    switch (f) {
    case NF_TYPE:
        rc = set_type(n, s, reason);
        break;
    case NF_COUNTRY:
        rc = set_country(&n->countries, s, reason);
        break;
    case NF_EXCLUDE_COUNTRY:
        rc = set_country(&n->exclude_countries, s, reason);
        break;
    case NF_LANGUAGE:
        rc = set_language(n, s, reason);
        break;
    case NF_CERT:
        rc = set_cert(n, s, reason);
        break;
    case NF_MIN_EMPLOYEES:
        rc = set_min_employees(n, s, reason);
        break;
    case NF_MAX_RATE:
    case NF_MIN_RATE:
        rc = set_rate(n, s, f == NF_MAX_RATE, reason);
        break;
    case NF_MIN_RATING:
        rc = set_min_rating(n, s, reason);
        break;
    case NF_SENSITIVITY:
        rc = set_sensitivity(n, s, reason);
        break;
    case NF_WEIGHT:
        rc = set_weight(n, s, reason);
        break;
    case NF_TOP:
        rc = set_top(n, s, reason);
        break;
    case NF_STRICT:
        rc = set_strict(n, s, reason);
        break;
    case NF_REQUIRE_KNOWN:
        rc = set_require_known(n, s, reason);
        break;
    default:
        set_text_field(n, f, s);
        break;
    }
    free(v);
    return rc;
}

int need_finish(struct need *n, char **reason)
{
    double sum = 0;
    *reason = NULL;
    for (int c = 0; c < CRIT_COUNT; c++)
        sum += n->weights[c];
    if (sum <= 0) {
        *reason = xstrdup("all weights are 0: at least one criterion must count");
        return -1;
    }
    n->weight_sum = sum;
    for (int c = 0; c < CRIT_COUNT; c++)
        n->weights[c] = n->weights[c] * 100.0 / sum;
    for (size_t i = 0; i < n->countries.len; i++)
        if (strlist_contains(&n->exclude_countries, n->countries.items[i])) {
            *reason = xasprintf("country %s is both required and excluded", n->countries.items[i]);
            return -1;
        }
    if (n->has_min_rate && n->has_max_rate && n->min_rate > n->max_rate) {
        *reason = xasprintf("min rate %g is above max rate %g", n->min_rate, n->max_rate);
        return -1;
    }
    return 0;
}

void need_set_service_category(struct need *n, size_t i, const char *category, const char *side)
{
    struct need_service *s = &n->services[i];
    if (!category)
        return;
    if (!s->category) { /* a phrase may name several categories; the first describes it */
        s->category = xstrdup(category);
        snprintf(s->side, sizeof s->side, "%s", side ? side : "");
    }
    push_unique(&n->categories, category);
}

/* "a", "a and b", "a, b and c" of the services on one side; returns the count. */
static size_t join_side(const struct need *n, const char *side, struct sbuf *b)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < n->n_services; i++)
        total += strcmp(n->services[i].side, side) == 0;
    for (size_t i = 0; i < n->n_services; i++) {
        if (strcmp(n->services[i].side, side) != 0)
            continue;
        if (k > 0)
            sbuf_puts(b, k + 1 == total ? " and " : ", ");
        sbuf_puts(b, n->services[i].phrase);
        k++;
    }
    return total;
}

static void side_clause(const struct need *n, const char *side, struct sbuf *b)
{
    size_t count = join_side(n, side, b);
    sbuf_printf(b, " %s %s work", count == 1 ? "is" : "are",
                strcmp(side, "BPO") == 0 ? "process" : "knowledge");
}

void need_resolve_type(struct need *n, const char *classified, double bpo_weight, double kpo_weight)
{
    struct sbuf b;
    sbuf_init(&b);
    n->process_inferred = n->type == NEED_TYPE_AUTO;
    if (n->type != NEED_TYPE_AUTO) {
        n->process = n->type == NEED_TYPE_BPO   ? NEED_PROCESS_BPO
                     : n->type == NEED_TYPE_KPO ? NEED_PROCESS_KPO
                                                : NEED_PROCESS_ANY;
        sbuf_printf(&b, "type %s was asked for (--type)", need_process_name(n->process));
    } else if (n->n_services == 0 || !classified) {
        n->process = NEED_PROCESS_ANY;
        sbuf_puts(&b, "either: no services were given, so any classified provider can serve");
    } else if (strcmp(classified, "BPO") == 0 || strcmp(classified, "KPO") == 0) {
        n->process = classified[0] == 'B' ? NEED_PROCESS_BPO : NEED_PROCESS_KPO;
        sbuf_printf(&b, "you need a %s provider because ", classified);
        side_clause(n, classified, &b);
        sbuf_printf(&b, " (BPO evidence %.1f, KPO %.1f)", bpo_weight, kpo_weight);
    } else if (strcmp(classified, "HYBRID") == 0) {
        n->process = NEED_PROCESS_ANY;
        sbuf_puts(&b, "either: your services span both (HYBRID): ");
        side_clause(n, "BPO", &b);
        sbuf_puts(&b, " and ");
        side_clause(n, "KPO", &b);
        sbuf_printf(&b, " (BPO evidence %.1f, KPO %.1f)", bpo_weight, kpo_weight);
    } else {
        n->process = NEED_PROCESS_ANY;
        sbuf_puts(&b, "either: none of your services says BPO or KPO, so any classified "
                      "provider can serve");
    }
    free(n->process_reason);
    n->process_reason = sbuf_detach(&b);
}

const char *need_process_name(enum need_process p)
{
    return p == NEED_PROCESS_BPO ? "BPO" : p == NEED_PROCESS_KPO ? "KPO" : "ANY";
}

const char *need_type_name(enum need_type t)
{
    switch (t) {
    case NEED_TYPE_BPO:
        return "BPO";
    case NEED_TYPE_KPO:
        return "KPO";
    case NEED_TYPE_ANY:
        return "ANY";
    default:
        return "auto";
    }
}

const char *need_sensitivity_name(enum need_sensitivity s)
{
    switch (s) {
    case SENS_LOW:
        return "low";
    case SENS_MEDIUM:
        return "medium";
    case SENS_HIGH:
        return "high";
    default:
        return NULL;
    }
}

json_t *need_weights_json(const struct need *n)
{
    json_t *w = json_object();
    for (int c = 0; c < CRIT_COUNT; c++)
        json_object_set_new(w, criterion_name(c), json_real(round(n->weights[c] * 100) / 100));
    return w;
}

json_t *need_to_json(const struct need *n)
{
    json_t *o = json_object(), *svc = json_array();
    const char *sens = need_sensitivity_name(n->sensitivity);
    for (size_t i = 0; i < n->n_services; i++)
        json_array_append_new(svc, json_string(n->services[i].phrase));
    json_object_set_new(o, "name", n->name ? json_string(n->name) : json_null());
    json_object_set_new(o, "services", svc);
    json_object_set_new(o, "service_categories", json_strlist(&n->categories));
    json_object_set_new(o, "type", json_string(need_type_name(n->type)));
    json_object_set_new(o, "industries", json_strlist(&n->industries));
    json_object_set_new(o, "countries", json_strlist(&n->countries));
    json_object_set_new(o, "exclude_countries", json_strlist(&n->exclude_countries));
    json_object_set_new(o, "languages", json_strlist(&n->languages));
    json_object_set_new(o, "certifications", json_strlist(&n->certifications));
    json_object_set_new(o, "min_employees",
                        n->has_min_employees ? json_integer(n->min_employees) : json_null());
    json_object_set_new(o, "max_rate", n->has_max_rate ? json_real(n->max_rate) : json_null());
    json_object_set_new(o, "min_rate", n->has_min_rate ? json_real(n->min_rate) : json_null());
    json_object_set_new(o, "currency", json_string(n->currency));
    json_object_set_new(o, "min_rating",
                        n->has_min_rating ? json_real(n->min_rating) : json_null());
    json_object_set_new(o, "sensitivity", sens ? json_string(sens) : json_null());
    json_object_set_new(o, "delivery", json_strlist(&n->delivery));
    json_object_set_new(o, "top", json_integer(n->top));
    json_object_set_new(o, "strict", json_boolean(n->strict));
    json_t *known = json_array();
    for (int f = 0; f < FACT_COUNT; f++)
        if (need_requires_known(n, f))
            json_array_append_new(known, json_string(need_fact_name(f)));
    json_object_set_new(o, "require_known", known);
    return o;
}
