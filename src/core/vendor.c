/*
 * vendor: one catalog row -> one normalised vendor record (see vendor.h).
 *
 * Every derived value comes from normalize.h; this file only decides which
 * cell feeds which value, what the identity key is, and what the content
 * hash covers: every stored value (raw texts, normalised values, extra), in
 * a fixed order with separators, so equal hashes mean equal stored rows.
 */
#include "core/vendor.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/normalize.h"

void vendor_record_init(struct vendor_record *r)
{
    memset(r, 0, sizeof *r);
    for (int f = 0; f < VF_COUNT; f++)
        sbuf_init(&r->rawbuf[f]);
    /* Text values are never NULL, so "" and absent hash the same way. */
    struct sbuf *texts[] = {&r->name_key,   &r->website_host, &r->city,
                            &r->extra_json, &r->ident,        &r->hashbuf};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        sbuf_init(texts[i]);
        sbuf_reserve(texts[i], 0);
        texts[i]->data[0] = '\0';
    }
    strlist_init(&r->parts);
    strlist_init(&r->service_phrases);
    strlist_init(&r->industries);
    strlist_init(&r->languages);
    strlist_init(&r->certifications);
    strlist_init(&r->delivery);
}

void vendor_record_free(struct vendor_record *r)
{
    for (int f = 0; f < VF_COUNT; f++)
        sbuf_free(&r->rawbuf[f]);
    sbuf_free(&r->name_key);
    sbuf_free(&r->website_host);
    sbuf_free(&r->city);
    sbuf_free(&r->extra_json);
    sbuf_free(&r->ident);
    sbuf_free(&r->hashbuf);
    strlist_free(&r->parts);
    strlist_free(&r->service_phrases);
    strlist_free(&r->industries);
    strlist_free(&r->languages);
    strlist_free(&r->certifications);
    strlist_free(&r->delivery);
}

/* Empties the lists but keeps nothing else: strlist owns its strings. */
static void strlist_clear(struct strlist *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    l->len = 0;
}

static void record_reset(struct vendor_record *r)
{
    for (int f = 0; f < VF_COUNT; f++) {
        r->raw[f] = NULL;
        sbuf_reset(&r->rawbuf[f]);
    }
    sbuf_reset(&r->name_key);
    sbuf_reset(&r->website_host);
    sbuf_reset(&r->city);
    sbuf_reset(&r->extra_json);
    sbuf_reset(&r->ident);
    strlist_clear(&r->service_phrases);
    strlist_clear(&r->industries);
    strlist_clear(&r->languages);
    strlist_clear(&r->certifications);
    strlist_clear(&r->delivery);
    r->country[0] = '\0';
    r->has_employees_min = r->has_employees_max = r->has_founded = false;
    r->has_rate = r->has_rate_min = r->has_rate_max = r->has_rating = false;
    r->employees_min = r->employees_max = 0;
    r->founded = 0;
    r->rate_min = r->rate_max = r->rating = 0;
    r->currency[0] = '\0';
    memset(r->unread, 0, sizeof r->unread);
}

bool vendor_field_normalised(enum vendor_field f)
{
    switch (f) {
    case VF_WEBSITE:
    case VF_COUNTRY:
    case VF_INDUSTRIES:
    case VF_LANGUAGES:
    case VF_CERTIFICATIONS:
    case VF_EMPLOYEES:
    case VF_FOUNDED:
    case VF_HOURLY_RATE:
    case VF_RATING:
    case VF_DELIVERY:
        return true;
    default:
        return false;
    }
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trimmed copy of cell into b; false when nothing but blanks. */
static bool trim_into(struct sbuf *b, const char *cell)
{
    if (!cell)
        return false;
    const char *s = cell, *e = cell + strlen(cell);
    while (s < e && is_space((unsigned char)*s))
        s++;
    while (e > s && is_space((unsigned char)e[-1]))
        e--;
    if (s == e)
        return false;
    sbuf_append(b, s, (size_t)(e - s));
    return true;
}

void vendor_json_string(struct sbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sbuf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            sbuf_putc(b, '\\');
            sbuf_putc(b, (char)*p);
        } else if (*p == '\n') {
            sbuf_append(b, "\\n", 2);
        } else if (*p == '\t') {
            sbuf_append(b, "\\t", 2);
        } else if (*p == '\r') {
            sbuf_append(b, "\\r", 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            sbuf_append(b, u, 6);
        } else {
            sbuf_putc(b, (char)*p);
        }
    }
    sbuf_putc(b, '"');
}

/* Lower-case (Unicode case folding) copy, pushed onto l unless present or
 * beyond the bounds of vendor.h (then false: the value is not kept). */
static bool push_folded_unique(struct strlist *l, const char *s)
{
    size_t len = strlen(s);
    if (l->len >= VENDOR_LIST_MAX_ITEMS || len > VENDOR_ITEM_MAX_BYTES)
        return false;
    /* Nearly every value is ASCII, where NFC changes nothing and case folding
     * is exactly A-Z -> a-z; doing that by hand skips utf8proc_map, which was
     * most of the import's Unicode cost. */
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) {
        char *v = xmalloc(len + 1);
        for (i = 0; i <= len; i++) /* with the NUL */
            v[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + ('a' - 'A') : s[i]);
        if (strlist_contains(l, v))
            free(v);
        else
            strlist_push_owned(l, v);
        return true;
    }
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    char *v = n >= 0 ? (char *)folded : xstrdup(s);
    if (n < 0)
        free(folded);
    if (strlist_contains(l, v))
        free(v);
    else
        strlist_push_owned(l, v);
    return true;
}

/* Pushes s onto l unless present; false when beyond the bounds (not kept). */
static bool push_unique(struct strlist *l, size_t max_items, size_t max_bytes, const char *s)
{
    if (strlist_contains(l, s))
        return true;
    if (l->len >= max_items || strlen(s) > max_bytes)
        return false;
    strlist_push(l, s);
    return true;
}

/* Splits a multi-valued raw cell into parts (scratch list, reused). */
static void split_cell(const char *raw, struct strlist *parts)
{
    strlist_clear(parts);
    if (raw)
        norm_split_multi(raw, parts);
}

static void normalise_lists(struct vendor_record *r, struct strlist *parts)
{
    split_cell(r->raw[VF_SERVICES], parts);
    for (size_t i = 0; i < parts->len; i++) {
        double share; /* "40% Call Center Services": the phrase without its share */
        const char *phrase = norm_strip_share(parts->items[i], &share);
        if (*phrase)
            push_unique(&r->service_phrases, SIZE_MAX, SIZE_MAX, phrase);
    }
    bool *unread = r->unread;
    split_cell(r->raw[VF_INDUSTRIES], parts);
    for (size_t i = 0; i < parts->len; i++)
        unread[VF_INDUSTRIES] |= !push_folded_unique(&r->industries, parts->items[i]);
    split_cell(r->raw[VF_DELIVERY], parts);
    for (size_t i = 0; i < parts->len; i++)
        unread[VF_DELIVERY] |= !push_folded_unique(&r->delivery, parts->items[i]);
    split_cell(r->raw[VF_LANGUAGES], parts);
    for (size_t i = 0; i < parts->len; i++) {
        const char *code = norm_language(parts->items[i]);
        unread[VF_LANGUAGES] |=
            !code || !push_unique(&r->languages, VENDOR_LANGUAGES_MAX, SIZE_MAX, code);
    }
    split_cell(r->raw[VF_CERTIFICATIONS], parts);
    for (size_t i = 0; i < parts->len; i++) {
        char code[64];
        /* An unknown certification is kept as its squashed text, but not
         * understood: it counts as unread. */
        bool kept =
            norm_certification(parts->items[i], code, sizeof code) &&
            push_unique(&r->certifications, VENDOR_LIST_MAX_ITEMS, VENDOR_ITEM_MAX_BYTES, code);
        unread[VF_CERTIFICATIONS] |= !kept || !norm_certification_known(code);
    }
}

static void normalise_place(struct vendor_record *r)
{
    char *city = NULL;
    const char *cc = r->raw[VF_COUNTRY] ? norm_country(r->raw[VF_COUNTRY], &city) : NULL;
    if (cc)
        snprintf(r->country, sizeof r->country, "%s", cc);
    r->unread[VF_COUNTRY] = r->raw[VF_COUNTRY] && !cc;
    if (r->raw[VF_CITY])
        sbuf_puts(&r->city, r->raw[VF_CITY]);
    else if (city)
        sbuf_puts(&r->city, city);
    free(city);
}

/* fallback: the currency of a rate cell that names none (vendor_layout). */
static void normalise_numbers(struct vendor_record *r, const char *fallback)
{
    struct norm_range g;
    if (r->raw[VF_EMPLOYEES] && norm_employees(r->raw[VF_EMPLOYEES], &g)) {
        r->has_employees_min = g.has_min;
        r->employees_min = (long)g.min;
        r->has_employees_max = g.has_max;
        r->employees_max = (long)g.max;
    } else
        r->unread[VF_EMPLOYEES] = r->raw[VF_EMPLOYEES] != NULL;
    r->has_founded = r->raw[VF_FOUNDED] && norm_founded(r->raw[VF_FOUNDED], &r->founded);
    r->has_rate =
        r->raw[VF_HOURLY_RATE] && norm_rate_in(r->raw[VF_HOURLY_RATE], &g, r->currency, fallback);
    if (r->has_rate) {
        r->has_rate_min = g.has_min;
        r->has_rate_max = g.has_max;
        r->rate_min = g.min;
        r->rate_max = g.max;
    } else
        r->currency[0] = '\0';
    r->has_rating = r->raw[VF_RATING] && norm_rating(r->raw[VF_RATING], &r->rating);
    r->unread[VF_FOUNDED] = r->raw[VF_FOUNDED] && !r->has_founded;
    r->unread[VF_HOURLY_RATE] = r->raw[VF_HOURLY_RATE] && !r->has_rate;
    r->unread[VF_RATING] = r->raw[VF_RATING] && !r->has_rating;
}

static void choose_identity(struct vendor_record *r)
{
    if (r->raw[VF_ID]) {
        r->ident_kind = VI_SOURCE_ID;
        sbuf_puts(&r->ident, "src:");
        sbuf_puts(&r->ident, r->raw[VF_ID]);
    } else if (r->website_host.len) {
        r->ident_kind = VI_WEBSITE;
        sbuf_puts(&r->ident, "web:");
        sbuf_puts(&r->ident, r->website_host.data);
    } else {
        r->ident_kind = VI_NAME;
        /* A name with no letters at all keys on its exact text. */
        const char *key = r->name_key.len ? r->name_key.data : r->raw[VF_NAME];
        sbuf_puts(&r->ident, "name:");
        sbuf_puts(&r->ident, key);
        sbuf_putc(&r->ident, '|');
        sbuf_puts(&r->ident, r->country);
    }
}

/* MurmurHash3 x64 128 (public domain, Austin Appleby): fast, well mixed.
 * Only compares a row with itself on the same machine, so native byte order
 * is fine; it is not a security boundary. */
static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static void murmur3_128(const unsigned char *data, size_t len, uint64_t out[2])
{
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
    uint64_t h1 = 0x766d, h2 = 0x766d, k1, k2;
    size_t nblocks = len / 16;
    for (size_t i = 0; i < nblocks; i++) {
        memcpy(&k1, data + i * 16, 8);
        memcpy(&k2, data + i * 16 + 8, 8);
        k1 *= c1, k1 = rotl64(k1, 31), k1 *= c2, h1 ^= k1;
        h1 = rotl64(h1, 27), h1 += h2, h1 = h1 * 5 + 0x52dce729;
        k2 *= c2, k2 = rotl64(k2, 33), k2 *= c1, h2 ^= k2;
        h2 = rotl64(h2, 31), h2 += h1, h2 = h2 * 5 + 0x38495ab5;
    }
    const unsigned char *tail = data + nblocks * 16;
    size_t rest = len & 15;
    k1 = k2 = 0;
    for (size_t i = rest; i > 8; i--)
        k2 ^= (uint64_t)tail[i - 1] << ((i - 9) * 8);
    if (rest > 8)
        k2 *= c2, k2 = rotl64(k2, 33), k2 *= c1, h2 ^= k2;
    for (size_t i = rest < 8 ? rest : 8; i > 0; i--)
        k1 ^= (uint64_t)tail[i - 1] << ((i - 1) * 8);
    if (rest)
        k1 *= c1, k1 = rotl64(k1, 31), k1 *= c2, h1 ^= k1;
    h1 ^= len, h2 ^= len;
    h1 += h2, h2 += h1;
    h1 = fmix64(h1), h2 = fmix64(h2);
    h1 += h2, h2 += h1;
    out[0] = h1, out[1] = h2;
}

/* The hash input: each value then a separator; absent values are marked so
 * "" and NULL differ. Numbers go in as their bytes (no formatting cost). */
static void hash_text(struct sbuf *h, const char *s)
{
    if (s)
        sbuf_puts(h, s);
    else
        sbuf_putc(h, '\x1e');
    sbuf_putc(h, '\x1f');
}

static void hash_list(struct sbuf *h, const struct strlist *l)
{
    for (size_t i = 0; i < l->len; i++) {
        sbuf_puts(h, l->items[i]);
        sbuf_putc(h, '\x1d');
    }
    sbuf_putc(h, '\x1f');
}

static void hash_bytes(struct sbuf *h, bool present, const void *p, size_t n)
{
    sbuf_putc(h, present ? '\x01' : '\x00');
    if (present)
        sbuf_append(h, p, n);
}

static void compute_hash(struct vendor_record *r, struct sbuf *h)
{
    sbuf_reset(h);
    for (int f = 0; f < VF_COUNT; f++)
        hash_text(h, r->raw[f]);
    hash_text(h, r->name_key.data);
    hash_text(h, r->website_host.data);
    hash_text(h, r->country);
    hash_text(h, r->city.data);
    hash_list(h, &r->service_phrases);
    hash_list(h, &r->industries);
    hash_list(h, &r->languages);
    hash_list(h, &r->certifications);
    hash_list(h, &r->delivery);
    hash_bytes(h, r->has_employees_min, &r->employees_min, sizeof r->employees_min);
    hash_bytes(h, r->has_employees_max, &r->employees_max, sizeof r->employees_max);
    hash_bytes(h, r->has_founded, &r->founded, sizeof r->founded);
    hash_bytes(h, r->has_rate_min, &r->rate_min, sizeof r->rate_min);
    hash_bytes(h, r->has_rate_max, &r->rate_max, sizeof r->rate_max);
    hash_text(h, r->currency);
    hash_bytes(h, r->has_rating, &r->rating, sizeof r->rating);
    hash_text(h, r->extra_json.data);
    uint64_t d[2];
    murmur3_128((const unsigned char *)h->data, h->len, d);
    static const char hex[] = "0123456789abcdef"; /* as "%016llx%016llx", without printf */
    for (int i = 0; i < 32; i++)
        r->content_hash[i] = hex[(d[i / 16] >> (60 - 4 * (i % 16))) & 15];
    r->content_hash[32] = '\0';
}

/* Recognised cells to raw[] (first non-blank wins); the rest to extra. */
static void take_cells(const struct vendor_layout *layout, const char *const *cells,
                       struct vendor_record *r)
{
    size_t nextra = 0;
    sbuf_putc(&r->extra_json, '{');
    for (size_t c = 0; c < layout->ncols; c++) {
        int f = layout->field[c];
        if (f >= 0 && f < VF_COUNT) {
            if (!r->raw[f] && trim_into(&r->rawbuf[f], cells[c]))
                r->raw[f] = r->rawbuf[f].data;
            continue;
        }
        if (!cells[c] || !cells[c][0])
            continue; /* an empty extra cell says nothing worth keeping */
        if (nextra++)
            sbuf_putc(&r->extra_json, ',');
        vendor_json_string(&r->extra_json, layout->headers[c] ? layout->headers[c] : "");
        sbuf_putc(&r->extra_json, ':');
        vendor_json_string(&r->extra_json, cells[c]);
    }
    sbuf_putc(&r->extra_json, '}');
}

/* The file column that holds field f (0 when none does). */
static size_t vendor_layout_column(const struct vendor_layout *layout, int f)
{
    for (size_t c = 0; c < layout->ncols; c++)
        if (layout->field[c] == f)
            return c;
    return 0;
}

int vendor_from_row(const struct vendor_layout *layout, const char *const *cells,
                    struct vendor_record *r, size_t *bad_col, const char **reason)
{
    record_reset(r);
    take_cells(layout, cells, r);
    if (!r->raw[VF_NAME]) {
        *bad_col = vendor_layout_column(layout, VF_NAME);
        *reason = "no vendor name";
        return -1;
    }
    if (strlen(r->raw[VF_NAME]) > VENDOR_NAME_MAX_BYTES) {
        *bad_col = vendor_layout_column(layout, VF_NAME);
        *reason = "vendor name longer than 300 bytes";
        return -1;
    }
    char *key = norm_name_key(r->raw[VF_NAME]);
    sbuf_puts(&r->name_key, key);
    free(key);
    char *host = r->raw[VF_WEBSITE] ? norm_website_host(r->raw[VF_WEBSITE]) : NULL;
    if (host)
        sbuf_puts(&r->website_host, host);
    r->unread[VF_WEBSITE] = r->raw[VF_WEBSITE] && !host;
    free(host);
    normalise_place(r);
    normalise_numbers(r, layout->rate_currency);
    normalise_lists(r, &r->parts);
    choose_identity(r);
    compute_hash(r, &r->hashbuf);
    return 0;
}
