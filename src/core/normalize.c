/*
 * normalize: catalog text to comparable values (see normalize.h).
 *
 * The idea: every lookup goes through one "key" form of the text: UTF-8
 * case-folded, accents stripped (utf8proc), punctuation squashed to single
 * spaces. Tables of keys (all ISO 3166-1 countries and ISO 639 languages from
 * the generated iso tables, plus the aliases people write) are built once,
 * lazily, into sorted arrays and searched with bsearch, so a call per row
 * costs one key conversion and a binary search, never a scan of 249 names.
 */
#include "core/normalize.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "core/iso.h"
#include "core/suggest.h"

/* ---- UTF-8 validation ------------------------------------------------------ */

bool norm_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: eight bytes at a time while no high bit is set. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* UTF-16 surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            goto bad; /* 80..C1 (continuation or overlong lead), F5..FF */
        }
        if (i + need >= len)
            goto bad; /* truncated */
        if (p[i + 1] < lo || p[i + 1] > hi)
            goto bad;
        for (size_t k = 2; k <= need; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
        i += need + 1;
        continue;
    bad:
        if (bad_offset)
            *bad_offset = i;
        return false;
    }
    return true;
}

/* ---- keys ------------------------------------------------------------------ */

/* Latin letters that carry no combining mark to strip (so utf8proc leaves
 * them alone) but that people type without: "Obsługa" = "Obsluga". Input is
 * already case folded. */
static const char *latin_fold(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x0142: /* ł */
        return "l";
    case 0x0131: /* dotless ı */
        return "i";
    case 0x00F8: /* ø */
        return "o";
    case 0x0111: /* đ */
    case 0x00F0: /* ð */
        return "d";
    case 0x00E6: /* æ */
        return "ae";
    case 0x0153: /* œ */
        return "oe";
    case 0x00FE: /* þ */
        return "th";
    case 0x0127: /* ħ */
        return "h";
    default:
        return NULL;
    }
}

/* Appends the key form of s[0..len) to *b: lower-case, accents folded,
 * apostrophes dropped, '&' read as "and", every other run of non-alphanumeric
 * characters one space, no space at either end. ASCII text takes a fast path
 * with no allocation; other text goes through utf8proc once. Invalid UTF-8
 * gives an empty key. */
/* What an ASCII byte is in a key: its lower-case self (letters, digits),
 * KEY_SEP, KEY_JOIN (apostrophes) or KEY_AND ('&'). */
enum { KEY_SEP = 0, KEY_JOIN = 1, KEY_AND = 2 };

static unsigned char ascii_key(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c + ('a' - 'A'));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return c;
    if (c == '\'' || c == '`')
        return KEY_JOIN;
    return c == '&' ? KEY_AND : KEY_SEP;
}

/* The common case, pure ASCII, written straight into the buffer. */
static void key_append_ascii(struct sbuf *b, const unsigned char *p, size_t len)
{
    size_t start = b->len;
    bool space = false;
    sbuf_reserve(b, len + 1); /* the key is never longer, but for "and" */
    for (size_t i = 0; i < len; i++) {
        unsigned char k = ascii_key(p[i]);
        if (k > KEY_AND) {
            if (space)
                b->data[b->len++] = ' ';
            space = false;
            b->data[b->len++] = (char)k;
        } else if (k == KEY_SEP) {
            space = b->len > start;
        } else if (k == KEY_AND) {
            sbuf_reserve(b, len - i + 5);
            if (b->len > start)
                b->data[b->len++] = ' ';
            memcpy(b->data + b->len, "and", 3);
            b->len += 3;
            space = true;
        }
    }
    b->data[b->len] = '\0';
}

static void key_append(struct sbuf *b, const char *s, size_t len)
{
    size_t start = b->len;
    bool space = false;
    size_t bad;
    const unsigned char *p = (const unsigned char *)s;
    utf8proc_uint8_t *mapped = NULL;
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if (p[i] >= 0x80) {
            ascii = false;
            break;
        }
    if (ascii) {
        key_append_ascii(b, p, len);
        return;
    }
    if (!norm_utf8_valid(s, len, &bad))
        return;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
                                      UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0)
        return;
    p = mapped;
    len = (size_t)n;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp = p[i];
        utf8proc_ssize_t step = 1;
        if (cp >= 0x80)
            step = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (step <= 0)
            break;
        bool word;
        if (cp < 0x80) {
            word = isalnum(cp) != 0;
        } else {
            utf8proc_category_t c = utf8proc_category(cp);
            word = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
                   (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) ||
                   (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
        }
        if (cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018) {
            /* apostrophes join: "d'Ivoire" -> "divoire" */
        } else if (cp == '&') {
            if (b->len > start)
                sbuf_putc(b, ' ');
            sbuf_puts(b, "and");
            space = true;
        } else if (!word) {
            space = b->len > start;
        } else {
            if (space)
                sbuf_putc(b, ' ');
            space = false;
            const char *latin = cp < 0x80 ? NULL : latin_fold(cp);
            if (cp < 0x80)
                sbuf_putc(b, (char)tolower(cp));
            else if (latin)
                sbuf_puts(b, latin);
            else
                sbuf_append(b, (const char *)p + i, (size_t)step);
        }
        i += (size_t)step;
    }
    free(mapped);
}

/* Key of a NUL-terminated string into a reusable buffer. */
static const char *key_of(struct sbuf *b, const char *s)
{
    sbuf_reset(b);
    key_append(b, s, strlen(s));
    sbuf_putc(b, '\0'); /* make data non-NULL even when empty */
    b->len--;
    return b->data;
}

char *norm_text_key(const char *text)
{
    struct sbuf b;
    sbuf_init(&b);
    key_of(&b, text ? text : "");
    return sbuf_detach(&b);
}

/* ---- lazily built lookup tables ---------------------------------------------- */

struct key_entry {
    const char *key; /* owned by the table, lives for the process */
    const char *code;
    size_t order; /* insertion order: the first entry for a key wins */
};

struct key_table {
    struct key_entry *v;
    size_t n, cap;
};

static void table_add(struct key_table *t, const char *text, const char *code)
{
    struct sbuf b;
    sbuf_init(&b);
    key_of(&b, text);
    if (b.len == 0) {
        sbuf_free(&b);
        return;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 512;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n] = (struct key_entry){sbuf_detach(&b), code, t->n};
    t->n++;
}

/* Also adds the text without "(...)" parts: "Greek, Modern (1453-)". */
static void table_add_variants(struct key_table *t, const char *text, const char *code)
{
    table_add(t, text, code);
    const char *paren = strchr(text, '(');
    if (paren && paren > text) {
        char *cut = xstrndup(text, (size_t)(paren - text));
        table_add(t, cut, code);
        free(cut);
    }
}

static int entry_cmp(const void *a, const void *b)
{
    const struct key_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void table_finish(struct key_table *t)
{
    qsort(t->v, t->n, sizeof *t->v, entry_cmp);
    size_t w = 0;
    for (size_t r = 0; r < t->n; r++) {
        if (w > 0 && strcmp(t->v[w - 1].key, t->v[r].key) == 0) {
            free((void *)t->v[r].key);
            continue;
        }
        t->v[w++] = t->v[r];
    }
    t->n = w;
}

static int key_search_cmp(const void *k, const void *e)
{
    return strcmp(k, ((const struct key_entry *)e)->key);
}

static const char *table_find(const struct key_table *t, const char *key)
{
    if (!key[0])
        return NULL;
    const struct key_entry *e = bsearch(key, t->v, t->n, sizeof *t->v, key_search_cmp);
    return e ? e->code : NULL;
}

/* ---- data: what people write besides the ISO names ---------------------------- */

struct alias {
    const char *text;
    const char *code;
};

/* Added before the ISO names, so an alias decides when keys collide. */
static const struct alias country_aliases[] = {
    {"USA", "US"},
    {"U.S.", "US"},
    {"U.S.A.", "US"},
    {"United States of America", "US"},
    {"America", "US"},
    {"United States", "US"},
    {"UK", "GB"},
    {"U.K.", "GB"},
    {"Great Britain", "GB"},
    {"Britain", "GB"},
    {"England", "GB"},
    {"Scotland", "GB"},
    {"Wales", "GB"},
    {"Northern Ireland", "GB"},
    {"United Kingdom", "GB"},
    {"Holland", "NL"},
    {"The Netherlands", "NL"},
    {"Nederland", "NL"},
    {"Russia", "RU"},
    {"South Korea", "KR"},
    {"Korea", "KR"},
    {"Republic of Korea", "KR"},
    {"Korea (South)", "KR"},
    {"North Korea", "KP"},
    {"Vietnam", "VN"},
    {"Czech Republic", "CZ"},
    {"Czechia", "CZ"},
    {"UAE", "AE"},
    {"U.A.E.", "AE"},
    {"Emirates", "AE"},
    {"Dubai", "AE"},
    {"Ivory Coast", "CI"},
    {"Turkey", "TR"},
    {"Türkiye", "TR"},
    {"Turkiye", "TR"},
    {"Iran", "IR"},
    {"Bolivia", "BO"},
    {"Venezuela", "VE"},
    {"Tanzania", "TZ"},
    {"Moldova", "MD"},
    {"Syria", "SY"},
    {"Laos", "LA"},
    {"Brunei", "BN"},
    {"Macedonia", "MK"},
    {"Taiwan", "TW"},
    {"Philippines", "PH"},
    {"The Philippines", "PH"},
    {"Deutschland", "DE"},
    {"España", "ES"},
    {"Brasil", "BR"},
    {"México", "MX"},
    {"Macau", "MO"},
    {"Vatican", "VA"},
    {"Vatican City", "VA"},
    {"Palestine", "PS"},
    {"Cape Verde", "CV"},
    {"Swaziland", "SZ"},
    {"Burma", "MM"},
    {"East Timor", "TL"},
    {"DRC", "CD"},
    {"DR Congo", "CD"},
    {"Democratic Republic of the Congo", "CD"},
    {"Congo-Kinshasa", "CD"},
    {"Republic of the Congo", "CG"},
    {"Congo-Brazzaville", "CG"},
    {"Micronesia", "FM"},
    {"The Bahamas", "BS"},
    {"The Gambia", "GM"},
    {"KSA", "SA"},
    {"Saudi", "SA"},
    {"Slovak Republic", "SK"},
    {"Kyrgyz Republic", "KG"},
    {"Falklands", "FK"},
    {"Hong Kong SAR", "HK"},
    {"Mainland China", "CN"},
    {"PRC", "CN"},
    {"People's Republic of China", "CN"},
    {"St Lucia", "LC"},
    {"St. Lucia", "LC"},
    {"St Kitts and Nevis", "KN"},
    {"St Vincent and the Grenadines", "VC"},
    {"Trinidad", "TT"},
    {"Bosnia", "BA"},
    {"Bosnia-Herzegovina", "BA"},
    {"Eswatini", "SZ"},
    {"Timor Leste", "TL"},
    {"Sao Tome", "ST"},
    {"Cabo Verde", "CV"},
    /* what catalogs written in other languages say */
    {"Norge", "NO"},
    {"Polska", "PL"},
    {"Ελλάδα", "GR"},
    {"Hellas", "GR"},
    {"Schweiz", "CH"},
    {"Suisse", "CH"},
    {"Svizzera", "CH"},
    {"Österreich", "AT"},
    {"Suomi", "FI"},
    {"Danmark", "DK"},
    {"Magyarország", "HU"},
    {"Ísland", "IS"},
    {"Belgique", "BE"},
    {"België", "BE"},
    {"România", "RO"},
    {"Sverige", "SE"},
    {"Italia", "IT"},
    {"Česko", "CZ"},
    {"Éire", "IE"},
    {"Hrvatska", "HR"},
    {"Lietuva", "LT"},
    {"Latvija", "LV"},
    {"Eesti", "EE"},
    {"Slovensko", "SK"},
    {"Slovenija", "SI"},
    {"Nippon", "JP"},
    {"日本", "JP"},
    {"中国", "CN"},
    {"Россия", "RU"},
    {"Україна", "UA"},
    {"Perú", "PE"},
    {"Filipinas", "PH"},
    {"Marruecos", "MA"},
    {"Maroc", "MA"},
    {"Bharat", "IN"},
};

/* US states and DC, for "Austin, TX" and "Austin, Texas". */
static const struct us_state {
    const char *code;
    const char *name;
} us_states[] = {
    {"AL", "Alabama"},        {"AK", "Alaska"},         {"AZ", "Arizona"},
    {"AR", "Arkansas"},       {"CA", "California"},     {"CO", "Colorado"},
    {"CT", "Connecticut"},    {"DE", "Delaware"},       {"DC", "District of Columbia"},
    {"FL", "Florida"},        {"GA", "Georgia"},        {"HI", "Hawaii"},
    {"ID", "Idaho"},          {"IL", "Illinois"},       {"IN", "Indiana"},
    {"IA", "Iowa"},           {"KS", "Kansas"},         {"KY", "Kentucky"},
    {"LA", "Louisiana"},      {"ME", "Maine"},          {"MD", "Maryland"},
    {"MA", "Massachusetts"},  {"MI", "Michigan"},       {"MN", "Minnesota"},
    {"MS", "Mississippi"},    {"MO", "Missouri"},       {"MT", "Montana"},
    {"NE", "Nebraska"},       {"NV", "Nevada"},         {"NH", "New Hampshire"},
    {"NJ", "New Jersey"},     {"NM", "New Mexico"},     {"NY", "New York"},
    {"NC", "North Carolina"}, {"ND", "North Dakota"},   {"OH", "Ohio"},
    {"OK", "Oklahoma"},       {"OR", "Oregon"},         {"PA", "Pennsylvania"},
    {"RI", "Rhode Island"},   {"SC", "South Carolina"}, {"SD", "South Dakota"},
    {"TN", "Tennessee"},      {"TX", "Texas"},          {"UT", "Utah"},
    {"VT", "Vermont"},        {"VA", "Virginia"},       {"WA", "Washington"},
    {"WV", "West Virginia"},  {"WI", "Wisconsin"},      {"WY", "Wyoming"},
};

static const struct alias language_aliases[] = {
    {"Español", "es"},
    {"Castellano", "es"},
    {"Deutsch", "de"},
    {"Français", "fr"},
    {"Italiano", "it"},
    {"Português", "pt"},
    {"Brazilian Portuguese", "pt"},
    {"Portuguese (Brazil)", "pt"},
    {"Mandarin", "zh"},
    {"Mandarin Chinese", "zh"},
    {"Cantonese", "zh"},
    {"Farsi", "fa"},
    {"Filipino", "tl"},
    {"Pilipino", "tl"},
    {"Taglish", "tl"},
    {"Flemish", "nl"},
    {"Nederlands", "nl"},
    {"Greek", "el"},
    {"Bangla", "bn"},
    {"Punjabi", "pa"},
    {"Русский", "ru"},
    {"日本語", "ja"},
    {"中文", "zh"},
    {"العربية", "ar"},
    {"Polski", "pl"},
    {"Türkçe", "tr"},
    {"Svenska", "sv"},
    {"Norsk", "no"},
    {"Dansk", "da"},
    {"Suomi", "fi"},
    {"Magyar", "hu"},
    {"Čeština", "cs"},
    {"Română", "ro"},
    {"Tiếng Việt", "vi"},
    {"Bahasa Indonesia", "id"},
    {"Bahasa", "id"},
    {"Bahasa Melayu", "ms"},
    {"Hindustani", "hi"},
    {"Moldovan", "ro"},
    {"Anglais", "en"},
    {"Inglés", "en"},
    {"Englisch", "en"},
    {"Inglese", "en"},
    {"Inglês", "en"},
    {"Allemand", "de"},
    {"Espagnol", "es"},
    {"Néerlandais", "nl"},
    {"Ελληνικά", "el"},
    {"Íslenska", "is"},
};

/* ISO 4217 codes come from iso-codes (iso_currencies, core/iso.h). Not
 * money: precious metals, units of account and the test codes. */
static const char *const currency_not_money[] = {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR",
                                                 "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"};
/* Codes that are also English words: read only when written in capitals
 * ("ALL 500" is 500 lek, "$25 all inclusive" is dollars). */
static const char *const currency_words[] = {"ALL", "TOP", "CUP", "MOP", "SOS", "BOB", "PEN",
                                             "MAD", "GEL", "LAK", "BAM", "AMD", "TRY", "COP",
                                             "SAR", "NIO", "CAD", "HUF", "DOP", "ANG", "AOA"};

static bool in_list(const char *code, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(code, list[i]) == 0)
            return true;
    return false;
}

static int currency_cmp(const void *key, const void *e)
{
    return strcmp(key, ((const struct iso_currency *)e)->alpha3);
}

/* The ISO 4217 code the three letters at p name (any case, but a code that
 * is also a word only in capitals), as a static string; NULL for none. */
static const char *iso_currency(const char *p)
{
    char code[4] = {(char)toupper((unsigned char)p[0]), (char)toupper((unsigned char)p[1]),
                    (char)toupper((unsigned char)p[2]), 0};
    const struct iso_currency *c =
        bsearch(code, iso_currencies, iso_currencies_count, sizeof *iso_currencies, currency_cmp);
    if (!c || in_list(code, currency_not_money, sizeof currency_not_money / sizeof(char *)))
        return NULL;
    if (memcmp(code, p, 3) != 0 &&
        in_list(code, currency_words, sizeof currency_words / sizeof(char *)))
        return NULL;
    return c->alpha3;
}

const char *norm_currency_name(const char *code)
{
    const struct iso_currency *c =
        bsearch(code, iso_currencies, iso_currencies_count, sizeof *iso_currencies, currency_cmp);
    return c ? c->name : NULL;
}

/* Longest first where one is a prefix of another ("US$" before "$"). */
static const struct alias currency_symbols[] = {
    {"US$", "USD"},
    {"A$", "AUD"},
    {"AU$", "AUD"},
    {"C$", "CAD"},
    {"CA$", "CAD"},
    {"NZ$", "NZD"},
    {"S$", "SGD"},
    {"HK$", "HKD"},
    {"R$", "BRL"},
    {"MX$", "MXN"},
    {"$", "USD"},
    {"\xE2\x82\xAC", "EUR"},
    {"\xC2\xA3", "GBP"},
    {"\xE2\x82\xB9", "INR"},
    {"Rs.", "INR"},
    {"Rs", "INR"},
    {"\xE2\x82\xB1", "PHP"},
    {"\xC2\xA5", "JPY"},
    {"z\xC5\x82", "PLN"},
    {"\xE2\x82\xAB", "VND"},
    {"\xE2\x82\xA9", "KRW"},
    {"\xE2\x82\xBA", "TRY"},
    {"\xE2\x82\xB4", "UAH"},
    {"RM", "MYR"},
};

/* Legal-form suffixes, as keys (see key_append): removed from the end of a
 * name key, longest match first, repeatedly ("Acme Co Ltd" -> "acme"). */
static const char *const legal_suffixes[] = {
    "private limited",
    "pvt ltd",
    "pvt",
    "private",
    "pty ltd",
    "pty",
    "pte ltd",
    "pte",
    "co ltd",
    "ltd",
    "limited",
    "l t d",
    "inc",
    "incorporated",
    "llc",
    "l l c",
    "llp",
    "l l p",
    "lp",
    "gmbh and co kg",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "s a s",
    "sas",
    "s a",
    "sa",
    "s a de c v",
    "sa de cv",
    "s de r l",
    "s r l",
    "srl",
    "s l",
    "sl",
    "s p a",
    "spa",
    "sarl",
    "s a r l",
    "bv",
    "b v",
    "nv",
    "n v",
    "oy",
    "oyj",
    "ab",
    "as",
    "a s",
    "aps",
    "asa",
    "co",
    "corp",
    "corporation",
    "company",
    "plc",
    "kk",
    "k k",
    "sdn bhd",
    "bhd",
    "sdn",
    "lda",
    "ltda",
    "jsc",
    "ojsc",
    "pjsc",
    "ooo",
    "sp z o o",
    "spzoo",
    "se",
    "ou",
    "pllc",
    "pc",
    "gk",
    "sro",
    "s r o",
    "doo",
    "d o o",
    "uab",
    "ehf",
    "hf",
    "kft",
    "zrt",
    "nyrt",
    "sia",
    "pt",
    "tbk",
    "ao",
    "zao",
};

/* Canonical codes that count as a security certification (--sensitivity high). */
static const char *const security_certs[] = {
    "ISO27001", "ISO27017", "ISO27018",        "ISO27701",
    "SOC2",     "PCIDSS",   "HITRUST",         "FEDRAMP",
    "CSASTAR",  "TISAX",    "CYBERESSENTIALS", "CYBERESSENTIALSPLUS",
};

/* ---- the tables, built once ------------------------------------------------- */

static struct key_table country_table, state_table, language_table, suffix_table;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
    for (size_t i = 0; i < sizeof country_aliases / sizeof *country_aliases; i++)
        table_add(&country_table, country_aliases[i].text, country_aliases[i].code);
    for (size_t i = 0; i < iso_countries_count; i++) {
        const struct iso_country *c = &iso_countries[i];
        table_add(&country_table, c->alpha2, c->alpha2);
        table_add(&country_table, c->alpha3, c->alpha2);
        table_add_variants(&country_table, c->name, c->alpha2);
        if (c->official_name)
            table_add_variants(&country_table, c->official_name, c->alpha2);
        if (c->common_name)
            table_add_variants(&country_table, c->common_name, c->alpha2);
    }
    table_finish(&country_table);

    for (size_t i = 0; i < sizeof us_states / sizeof *us_states; i++)
        table_add(&state_table, us_states[i].name, "US");
    table_finish(&state_table);

    for (size_t i = 0; i < sizeof legal_suffixes / sizeof *legal_suffixes; i++)
        table_add(&suffix_table, legal_suffixes[i], legal_suffixes[i]);
    table_finish(&suffix_table);

    for (size_t i = 0; i < sizeof language_aliases / sizeof *language_aliases; i++)
        table_add(&language_table, language_aliases[i].text, language_aliases[i].code);
    for (size_t i = 0; i < iso_languages_count; i++) {
        const struct iso_language *l = &iso_languages[i];
        if (!l->alpha2)
            continue; /* only languages with an ISO 639-1 code are returned */
        table_add(&language_table, l->alpha2, l->alpha2);
        table_add(&language_table, l->alpha3, l->alpha2);
        if (l->bibliographic)
            table_add(&language_table, l->bibliographic, l->alpha2);
        /* "Spanish; Castilian": each variant is a name */
        const char *s = l->name;
        while (*s) {
            const char *e = strstr(s, "; ");
            size_t n = e ? (size_t)(e - s) : strlen(s);
            char *one = xstrndup(s, n);
            table_add_variants(&language_table, one, l->alpha2);
            free(one);
            s += n;
            if (e)
                s += 2;
        }
    }
    table_finish(&language_table);
}

static void tables_init(void)
{
    pthread_once(&tables_once, build_tables);
}

/* ---- small text helpers ------------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* [*s, *e) without surrounding blanks (ASCII and U+00A0 no-break space). */
static void trim_span(const char **s, const char **e)
{
    for (;;) {
        if (*s < *e && is_blank(**s))
            (*s)++;
        else if (*e - *s >= 2 && (unsigned char)(*s)[0] == 0xC2 && (unsigned char)(*s)[1] == 0xA0)
            *s += 2;
        else
            break;
    }
    for (;;) {
        if (*e > *s && is_blank((*e)[-1]))
            (*e)--;
        else if (*e - *s >= 2 && (unsigned char)(*e)[-2] == 0xC2 && (unsigned char)(*e)[-1] == 0xA0)
            *e -= 2;
        else
            break;
    }
}

/* A text lower-cased once (ASCII only, as strncasecmp does in the C locale),
 * so the phrase lists below are plain strstr calls rather than a strncasecmp
 * at every position for every phrase, which was most of norm_rate's cost.
 * Short cells, nearly all of them, fit in buf; longer ones go to the heap. */
struct lowered {
    char *s;
    char buf[256];
};

static void lowered_init(struct lowered *l, const char *text)
{
    size_t n = strlen(text);
    l->s = n < sizeof l->buf ? l->buf : xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        l->s[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    l->s[n] = '\0';
}

static void lowered_free(struct lowered *l)
{
    if (l->s != l->buf)
        free(l->s);
}

/* needle (lower-case ASCII) in the lowered text; `word` also wants no letter
 * just before. Lower-casing keeps every byte's letterness, so the check on
 * the lowered text matches one on the original. */
static bool find_lower(const char *low, const char *needle, bool word)
{
    for (const char *p = strstr(low, needle); p; p = strstr(p + 1, needle))
        if (!word || p == low || !isalpha((unsigned char)p[-1]))
            return true;
    return false;
}

/* ---- countries and languages ---------------------------------------------------- */

static bool is_us_state_code(const char *s, const char *e)
{
    if (e - s != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
        return false;
    char code[3] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]), 0};
    for (size_t i = 0; i < sizeof us_states / sizeof *us_states; i++)
        if (strcmp(us_states[i].code, code) == 0)
            return true;
    return false;
}

/* Looks up the text from s to e in the country table, then as a US state. */
static const char *country_of_span(struct sbuf *k, const char *s, const char *e)
{
    sbuf_reset(k);
    key_append(k, s, (size_t)(e - s));
    sbuf_putc(k, '\0');
    const char *code = table_find(&country_table, k->data);
    if (!code && table_find(&state_table, k->data))
        code = "US";
    return code;
}

/* "City, Country", "City, State, Country", "City, ST": the shortest tail
 * of comma-separated parts that names a country (or US state) decides. */
static const char *country_from_parts(const char *text, char **city_out, struct sbuf *k)
{
    const char *starts[16];
    size_t n = 0;
    starts[n++] = text;
    for (const char *p = text; *p && n < 16; p++)
        if (*p == ',')
            starts[n++] = p + 1;
    const char *end = text + strlen(text);
    const char *code = NULL;
    size_t j;
    for (j = n - 1; j >= 1 && !code; j--) {
        const char *s = starts[j], *e = end;
        trim_span(&s, &e);
        if (j == n - 1 && is_us_state_code(s, e))
            code = "US";
        else
            code = country_of_span(k, s, e);
        if (code)
            break;
    }
    if (code && city_out) {
        const char *s = text, *e = starts[1] - 1;
        trim_span(&s, &e);
        if (e > s)
            *city_out = xstrndup(s, (size_t)(e - s));
    }
    return code;
}

/* "City - Country" (a spaced hyphen or en dash: "Guinea-Bissau" has none)
 * and "City (Country)": the second part names the country, the first is the
 * city; else "Country - note" and "Country (City)": the first part names
 * it, and no city is taken from a note. */
static const char *country_from_pair(const char *text, char **city_out, struct sbuf *k)
{
    static const char *const dashes[] = {" - ", " \xE2\x80\x93 "}; /* hyphen, U+2013 */
    const char *a_end = NULL, *b = NULL, *b_end = text + strlen(text);
    for (size_t i = 0; i < 2 && !a_end; i++)
        if ((a_end = strstr(text, dashes[i])))
            b = a_end + strlen(dashes[i]);
    if (!a_end && (a_end = strchr(text, '('))) {
        b = a_end + 1;
        b_end = strchr(b, ')');
        if (!b_end || b_end[1 + strspn(b_end + 1, " ")] != '\0')
            return NULL; /* something after the parenthesis */
    }
    if (!a_end)
        return NULL;
    const char *as = text, *ae = a_end, *bs = b, *be = b_end;
    trim_span(&as, &ae);
    trim_span(&bs, &be);
    if (ae <= as || be <= bs)
        return NULL;
    const char *code = country_of_span(k, bs, be);
    if (code && city_out)
        *city_out = xstrndup(as, (size_t)(ae - as));
    return code ? code : country_of_span(k, as, ae);
}

const char *norm_country(const char *text, char **city_out)
{
    if (city_out)
        *city_out = NULL;
    if (!text)
        return NULL;
    tables_init();
    struct sbuf k;
    sbuf_init(&k);
    const char *code = table_find(&country_table, key_of(&k, text));
    if (!code && strchr(text, ','))
        code = country_from_parts(text, city_out, &k);
    if (!code)
        code = country_from_pair(text, city_out, &k);
    sbuf_free(&k);
    return code;
}

const char *norm_language(const char *text)
{
    if (!text)
        return NULL;
    tables_init();
    struct sbuf k;
    sbuf_init(&k);
    const char *code = table_find(&language_table, key_of(&k, text));
    if (!code) {
        /* "English (native)", "English - fluent": the part before the note */
        const char *cut = strpbrk(text, "(-/:");
        if (cut && cut > text) {
            sbuf_reset(&k);
            key_append(&k, text, (size_t)(cut - text));
            sbuf_putc(&k, '\0');
            code = table_find(&language_table, k.data);
        }
    }
    sbuf_free(&k);
    return code;
}

/* ---- numbers ------------------------------------------------------------------- */

/* The bytes of a space that separates thousands in French, Scandinavian or
 * Polish exports ("1 000", "10 000" with a space, U+00A0 NO-BREAK SPACE,
 * U+202F NARROW NO-BREAK SPACE or U+2009 THIN SPACE) at s, else 0. */
static size_t group_space(const char *s)
{
    if (*s == ' ')
        return 1;
    if (s[0] == '\xC2' && s[1] == '\xA0')
        return 2;
    if (s[0] == '\xE2' && s[1] == '\x80' && (s[2] == '\xAF' || s[2] == '\x89'))
        return 3;
    return 0;
}

/* A number at *p: digits, ',' or '.' thousands groups of exactly three digits
 * ("1,000", "10.000"), with space_groups also space-separated ones after a
 * lead of one to three digits ("1 000", "10 000"), otherwise ',' or '.' as
 * the decimal mark ("4,8"), and an optional k/K (thousands) suffix. Advances
 * *p past it. */
static bool parse_number_groups(const char **p, double *out, bool space_groups)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s))
        return false;
    double v = 0;
    while (isdigit((unsigned char)*s))
        v = v * 10 + (*s++ - '0');
    space_groups = space_groups && s - *p <= 3;
    for (;;) {
        size_t sep = (*s == ',' || *s == '.') ? 1 : space_groups ? group_space(s) : 0;
        if (sep && isdigit((unsigned char)s[sep]) && isdigit((unsigned char)s[sep + 1]) &&
            isdigit((unsigned char)s[sep + 2]) && !isdigit((unsigned char)s[sep + 3])) {
            v = v * 1000 + (s[sep] - '0') * 100 + (s[sep + 1] - '0') * 10 + (s[sep + 2] - '0');
            s += sep + 3;
            continue;
        }
        break;
    }
    if ((*s == '.' || *s == ',') && isdigit((unsigned char)s[1])) {
        double scale = 0.1;
        s++;
        while (isdigit((unsigned char)*s)) {
            v += (*s++ - '0') * scale;
            scale /= 10;
        }
    }
    if ((*s == 'k' || *s == 'K') && !isalpha((unsigned char)s[1])) {
        v *= 1000;
        s++;
    }
    *p = s;
    *out = v;
    return true;
}

static bool parse_number(const char **p, double *out)
{
    return parse_number_groups(p, out, false);
}

/* Up to two numbers in text; *open_low / *open_high say whether the text
 * reads "< N" / "N+" or "more than N", "from N", "N and up". low is text
 * lowered (see struct lowered) when the caller has it, else NULL. Returns
 * how many numbers it found. */
static int parse_range(const char *text, const char *low, double v[2], bool *open_low,
                       bool *open_high)
{
    int n = 0;
    *open_low = *open_high = false;
    const char *p = text;
    while (*p && n < 2) {
        if (isdigit((unsigned char)*p)) {
            if (p > text && isalpha((unsigned char)p[-1])) { /* "ISO9001", "H1" */
                while (isalnum((unsigned char)*p))
                    p++;
                continue;
            }
            if (!parse_number_groups(&p, &v[n], true)) /* counts and rates: "1 000" */
                break;
            n++;
            const char *q = p;
            while (*q == ' ')
                q++;
            if (*q == '+')
                *open_high = true;
            continue;
        }
        if (n == 0 && (*p == '<' || (*p == '\xE2' && p[1] == '\x89' && p[2] == '\xA4')))
            *open_low = true; /* '<', "≤" (E2 89 A4) */
        if (n == 0 && (*p == '>' || (*p == '\xE2' && p[1] == '\x89' && p[2] == '\xA5')))
            *open_high = true; /* '>', "≥" (E2 89 A5) */
        p++;
    }
    if (n == 1 && !*open_low && !*open_high) {
        static const char *const below[] = {"less than", "under", "up to",   "fewer than",
                                            "below",     "max",   "maximum", "at most"};
        static const char *const above[] = {"more than", "over",        "above",  "at least",
                                            "from",      "starting at", "and up", "and above",
                                            "or more",   "min",         "minimum"};
        struct lowered own = {.s = NULL};
        if (!low) {
            lowered_init(&own, text);
            low = own.s;
        }
        for (size_t i = 0; i < sizeof below / sizeof *below && !*open_low; i++)
            *open_low = find_lower(low, below[i], true);
        for (size_t i = 0; i < sizeof above / sizeof *above && !*open_low && !*open_high; i++)
            *open_high = find_lower(low, above[i], true);
        if (own.s)
            lowered_free(&own);
    }
    return n;
}

/* The range of n numbers v read with the open ends parse_range found. */
static void make_range(const double v[2], int n, bool lo, bool hi, struct norm_range *r)
{
    if (n == 2 && !lo && !hi) {
        r->has_min = r->has_max = true;
        r->min = v[0] < v[1] ? v[0] : v[1];
        r->max = v[0] < v[1] ? v[1] : v[0];
    } else if (lo) {
        r->has_min = false;
        r->has_max = true;
        r->min = 0;
        r->max = v[n - 1];
    } else if (hi) {
        r->has_min = true;
        r->has_max = false;
        r->min = v[0];
        r->max = 0;
    } else {
        r->has_min = r->has_max = true;
        r->min = r->max = v[0];
    }
}

bool norm_employees(const char *text, struct norm_range *out)
{
    if (!text)
        return false;
    double v[2];
    bool lo, hi;
    int n = parse_range(text, NULL, v, &lo, &hi);
    if (n == 0 || v[0] > 1e7 || (n == 2 && v[1] > 1e7))
        return false;
    make_range(v, n, lo, hi, out);
    out->min = floor(out->min);
    out->max = floor(out->max);
    return true;
}

static const char *rate_currency(const char *text)
{
    /* an ISO code as its own word: "USD 18", "25 eur/h" */
    for (const char *p = text; *p; p++) {
        if (!isalpha((unsigned char)p[0]) || !isalpha((unsigned char)p[1]) ||
            !isalpha((unsigned char)p[2]) || isalpha((unsigned char)p[3]) ||
            (p > text && isalpha((unsigned char)p[-1])))
            continue;
        const char *code = iso_currency(p);
        if (code)
            return code;
    }
    for (size_t i = 0; i < sizeof currency_symbols / sizeof *currency_symbols; i++) {
        const char *sym = currency_symbols[i].text;
        for (const char *p = strstr(text, sym); p; p = strstr(p + 1, sym))
            if (!isalpha((unsigned char)sym[0]) || p == text || !isalpha((unsigned char)p[-1]))
                return currency_symbols[i].code;
    }
    return NULL;
}

const char *norm_currency(const char *text, size_t len)
{
    if (len == 3 && isalpha((unsigned char)text[0]) && isalpha((unsigned char)text[1]) &&
        isalpha((unsigned char)text[2])) {
        const char *code = iso_currency(text);
        if (code)
            return code;
    }
    for (size_t i = 0; i < sizeof currency_symbols / sizeof *currency_symbols; i++)
        if (strlen(currency_symbols[i].text) == len &&
            memcmp(currency_symbols[i].text, text, len) == 0)
            return currency_symbols[i].code;
    return NULL;
}

bool norm_rate(const char *text, struct norm_range *out, char cur[4])
{
    return norm_rate_in(text, out, cur, NULL);
}

bool norm_rate_in(const char *text, struct norm_range *out, char cur[4], const char *fallback)
{
    if (!text)
        return false;
    static const char *const not_hourly[] = {
        "/day",     "per day",   "/month", "per month", "/mo",     "/week",  "per week", "/year",
        "per year", "per annum", "/yr",    "daily",     "monthly", "annual", "weekly",   "fte"};
    struct lowered low;
    lowered_init(&low, text);
    for (size_t i = 0; i < sizeof not_hourly / sizeof *not_hourly; i++)
        if (find_lower(low.s, not_hourly[i], false)) {
            lowered_free(&low);
            return false; /* not converted: left to the original text */
        }
    double v[2];
    bool lo, hi;
    int n = parse_range(text, low.s, v, &lo, &hi);
    lowered_free(&low);
    if (n == 0)
        return false;
    make_range(v, n, lo, hi, out);
    const char *named = rate_currency(text);
    snprintf(cur, 4, "%s", named ? named : fallback && fallback[0] ? fallback : "USD");
    return true;
}

bool norm_rating(const char *text, double *out)
{
    if (!text)
        return false;
    const char *p = text;
    while (*p && !isdigit((unsigned char)*p))
        p++;
    double x, scale = 0;
    if (!parse_number(&p, &x))
        return false;
    while (*p == ' ')
        p++;
    if (*p == '/') {
        p++;
        while (*p == ' ')
            p++;
        if (!parse_number(&p, &scale) || scale <= 0)
            return false;
    } else if (*p == '%') {
        scale = 100;
    } else if (strncasecmp(p, "out of", 6) == 0) {
        p += 6;
        while (*p == ' ')
            p++;
        if (!parse_number(&p, &scale) || scale <= 0)
            return false;
    } else if (x <= 5) {
        scale = 5;
    } else if (x <= 10) {
        scale = 10;
    } else if (x <= 100) {
        scale = 100;
    } else {
        return false;
    }
    double r = x * 5 / scale;
    if (r < 0 || r > 5)
        return false;
    *out = round(r * 100) / 100;
    return true;
}

bool norm_founded(const char *text, int *year)
{
    if (!text)
        return false;
    for (const char *p = text; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > text && isdigit((unsigned char)p[-1])))
            continue;
        size_t n = 0;
        while (isdigit((unsigned char)p[n]))
            n++;
        if (n == 4) {
            int y = atoi(p);
            if (y >= 1800 && y <= 2100) {
                *year = y;
                return true;
            }
        }
    }
    return false;
}

/* ---- websites and names ------------------------------------------------------------- */

char *norm_website_host(const char *text)
{
    if (!text)
        return NULL;
    const char *s = text, *e = text + strlen(text);
    trim_span(&s, &e);
    const char *scheme = NULL;
    for (const char *p = s; p + 2 < e; p++) {
        if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
            scheme = p + 3;
            break;
        }
        if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
            break;
    }
    if (scheme)
        s = scheme;
    else if (e - s >= 2 && s[0] == '/' && s[1] == '/')
        s += 2;
    const char *hend = s;
    while (hend < e && *hend != '/' && *hend != '?' && *hend != '#')
        hend++;
    const char *at = memchr(s, '@', (size_t)(hend - s));
    if (at)
        s = at + 1;
    const char *colon = memchr(s, ':', (size_t)(hend - s));
    if (colon) {
        for (const char *q = colon + 1; q < hend; q++)
            if (!isdigit((unsigned char)*q))
                return NULL;
        hend = colon;
    }
    while (hend > s && hend[-1] == '.')
        hend--;
    if (hend - s > 4 && strncasecmp(s, "www.", 4) == 0)
        s += 4;
    size_t n = (size_t)(hend - s);
    if (n == 0 || n > 253)
        return NULL;
    char *host = xstrndup(s, n);
    bool dot = false, tld_alpha = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)host[i];
        if (c == '.') {
            if (i == 0 || host[i - 1] == '.')
                goto bad;
            dot = true;
            tld_alpha = false;
        } else if (isalpha(c) || c >= 0x80) {
            host[i] = (char)tolower(c);
            tld_alpha = true;
        } else if (!isdigit(c) && c != '-') {
            goto bad; /* spaces, commas, quotes... */
        }
    }
    if (!dot || !tld_alpha || !norm_utf8_valid(host, n, NULL))
        goto bad;
    return host;
bad:
    free(host);
    return NULL;
}

/* Length of the longest legal-form suffix ending key[0..len), with the
 * space before it, or 0. Suffixes have at most six words: the tails that
 * start after each of the last six spaces are looked up, longest first. */
static size_t legal_suffix_len(const char *key, size_t len)
{
    size_t spaces[6], n = 0;
    for (size_t i = len; i > 0 && n < 6; i--)
        if (key[i - 1] == ' ')
            spaces[n++] = i - 1;
    for (size_t k = n; k > 0; k--) {
        size_t sp = spaces[k - 1];
        if (sp > 0 && table_find(&suffix_table, key + sp + 1))
            return len - sp;
    }
    return 0;
}

char *norm_name_key(const char *name)
{
    tables_init();
    struct sbuf k;
    sbuf_init(&k);
    if (name)
        key_of(&k, name);
    char *key = sbuf_detach(&k);
    size_t len = strlen(key);
    if (len > 4 && memcmp(key, "the ", 4) == 0) {
        memmove(key, key + 4, len - 4 + 1);
        len -= 4;
    }
    size_t cut;
    while ((cut = legal_suffix_len(key, len)) > 0) {
        len -= cut;
        key[len] = '\0';
    }
    return key;
}

/* ---- multi-valued cells ----------------------------------------------------------------- */

void norm_split_multi(const char *cell, struct strlist *out)
{
    if (!cell)
        return;
    const char *seps = strpbrk(cell, ";|\n\r") ? ";|\n\r" : ",";
    const char *p = cell;
    for (;;) {
        size_t n = strcspn(p, seps);
        const char *s = p, *e = p + n;
        trim_span(&s, &e);
        if (e > s) {
            char *part = xstrndup(s, (size_t)(e - s));
            strlist_push_owned(out, part);
        }
        if (!p[n])
            break;
        p += n + 1;
    }
}

const char *norm_strip_share(const char *part, double *share)
{
    const char *p = part;
    double v;
    *share = -1;
    while (*p == ' ')
        p++;
    if (parse_number(&p, &v)) {
        while (*p == ' ')
            p++;
        if (*p == '%') {
            p++;
            while (*p == ' ' || *p == '-' || *p == ':')
                p++;
            *share = v;
            return p;
        }
    }
    return part;
}

/* ---- certifications ------------------------------------------------------------------- */

/* Needles searched in the upper-case alphanumeric squash of the text; the
 * first match wins, so the more specific needles come first. */
static const struct alias cert_rules[] = {
    {"27001", "ISO27001"},
    {"27701", "ISO27701"},
    {"27017", "ISO27017"},
    {"27018", "ISO27018"},
    {"22301", "ISO22301"},
    {"20000", "ISO20000"},
    {"14001", "ISO14001"},
    {"45001", "ISO45001"},
    {"13485", "ISO13485"},
    {"18295", "ISO18295"},
    {"9001", "ISO9001"},
    {"SOC2", "SOC2"},
    {"SOCII", "SOC2"},
    {"SOC1", "SOC1"},
    {"SOC3", "SOC3"},
    {"PCI", "PCIDSS"},
    {"HITRUST", "HITRUST"},
    {"HIPAA", "HIPAA"},
    {"GDPR", "GDPR"},
    {"COPC", "COPC"},
    {"FEDRAMP", "FEDRAMP"},
    {"CSASTAR", "CSASTAR"},
    {"TISAX", "TISAX"},
    {"CYBERESSENTIALSPLUS", "CYBERESSENTIALSPLUS"},
    {"CYBERESSENTIALS", "CYBERESSENTIALS"},
    {"SIXSIGMA", "SIXSIGMA"},
    {"ISAE3402", "ISAE3402"},
};

bool norm_certification(const char *text, char *out, size_t outlen)
{
    if (!outlen)
        return false;
    out[0] = '\0';
    if (!text)
        return false;
    struct sbuf k;
    sbuf_init(&k);
    key_of(&k, text);
    /* squash: upper-case ASCII letters and digits only */
    size_t w = 0;
    for (size_t i = 0; i < k.len; i++) {
        unsigned char c = (unsigned char)k.data[i];
        if (isalnum(c))
            k.data[w++] = (char)toupper(c);
    }
    k.data[w] = '\0';
    const char *code = NULL;
    char cmmi[8];
    const char *cm = strstr(k.data, "CMMI");
    if (cm) {
        const char *d = cm + 4;
        while (*d && !isdigit((unsigned char)*d))
            d++;
        if (*d >= '1' && *d <= '5') {
            snprintf(cmmi, sizeof cmmi, "CMMI%c", *d);
            code = cmmi;
        } else {
            code = "CMMI";
        }
    }
    for (size_t i = 0; !code && i < sizeof cert_rules / sizeof *cert_rules; i++)
        if (strstr(k.data, cert_rules[i].text))
            code = cert_rules[i].code;
    if (!code)
        code = k.data;
    snprintf(out, outlen, "%s", code);
    sbuf_free(&k);
    return out[0] != '\0';
}

bool norm_is_security_certification(const char *canonical_code)
{
    if (!canonical_code)
        return false;
    for (size_t i = 0; i < sizeof security_certs / sizeof *security_certs; i++)
        if (strcmp(canonical_code, security_certs[i]) == 0)
            return true;
    return false;
}

bool norm_certification_known(const char *code)
{
    if (strncmp(code, "CMMI", 4) == 0)
        return true;
    for (size_t i = 0; i < sizeof cert_rules / sizeof *cert_rules; i++)
        if (strcmp(code, cert_rules[i].code) == 0)
            return true;
    return false;
}

/* ---- names of codes, for people ------------------------------------------------- */

const char *norm_country_name(const char *alpha2)
{
    if (!alpha2 || strlen(alpha2) != 2)
        return NULL;
    for (size_t i = 0; i < iso_countries_count; i++)
        if (strcasecmp(iso_countries[i].alpha2, alpha2) == 0)
            return iso_countries[i].common_name ? iso_countries[i].common_name
                                                : iso_countries[i].name;
    return NULL;
}

const char *norm_language_name(const char *alpha2, char *buf, size_t size)
{
    if (!alpha2 || strlen(alpha2) != 2)
        return NULL;
    for (size_t i = 0; i < iso_languages_count; i++) {
        const struct iso_language *l = &iso_languages[i];
        if (l->alpha2 && strcasecmp(l->alpha2, alpha2) == 0) {
            snprintf(buf, size, "%.*s", (int)strcspn(l->name, ";"), l->name);
            return buf;
        }
    }
    return NULL;
}

/* ---- did you mean ---------------------------------------------------------------- */

const char *norm_suggest_country(const char *text)
{
    struct suggest s;
    suggest_init(&s, text);
    for (size_t i = 0; i < iso_countries_count; i++) {
        const struct iso_country *c = &iso_countries[i];
        suggest_offer_str(&s, c->name);
        if (c->common_name)
            suggest_offer_str(&s, c->common_name);
        if (c->official_name)
            suggest_offer(&s, c->official_name, strlen(c->official_name), c->name, strlen(c->name));
    }
    return s.best;
}

const char *norm_suggest_language(const char *text)
{
    struct suggest s;
    suggest_init(&s, text);
    for (size_t i = 0; i < iso_languages_count; i++) {
        const char *name = iso_languages[i].name;
        if (!iso_languages[i].alpha2)
            continue;
        for (const char *p = name; *p;) { /* "Spanish; Castilian": each variant */
            const char *e = strstr(p, "; ");
            size_t n = e ? (size_t)(e - p) : strlen(p);
            suggest_offer(&s, p, n, p, n);
            p += n + (e ? 2 : 0);
        }
    }
    if (!s.best)
        return NULL;
    /* shown: a variant inside a static name; return it NUL-terminated */
    static _Thread_local char shown[128];
    snprintf(shown, sizeof shown, "%.*s", (int)s.best_shown, s.best);
    return shown;
}

const char *norm_suggest_certification(const char *text)
{
    struct suggest s;
    suggest_init(&s, text);
    for (size_t i = 0; i < sizeof cert_rules / sizeof *cert_rules; i++)
        suggest_offer_str(&s, cert_rules[i].code);
    return s.best;
}
