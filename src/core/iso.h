/*
 * iso: ISO 3166-1 countries, ISO 639 languages and ISO 4217 currencies
 * (sorted by code), generated at build time
 * from Debian's iso-codes JSON by tools/gen_iso.c (never typed by hand).
 * Every entry of the standards is here; aliases people actually write
 * ("USA", "UK", "Holland") live in normalize.c on top of these tables.
 */
#ifndef VM_CORE_ISO_H
#define VM_CORE_ISO_H

#include <stddef.h>

struct iso_country {
    const char *alpha2;        /* "US" */
    const char *alpha3;        /* "USA" */
    const char *name;          /* "United States" */
    const char *official_name; /* "United States of America", or NULL */
    const char *common_name;   /* "Taiwan", or NULL */
};

struct iso_language {
    const char *alpha2;        /* "en", or NULL for languages with no 639-1 code */
    const char *alpha3;        /* "eng" (terminology code) */
    const char *bibliographic; /* "fre" for French, or NULL */
    const char *name;          /* "English"; may hold "; " separated variants */
};

struct iso_currency {
    const char *alpha3; /* "EUR" */
    const char *name;   /* "Euro" */
};

extern const struct iso_country iso_countries[];
extern const size_t iso_countries_count;
extern const struct iso_language iso_languages[];
extern const size_t iso_languages_count;
extern const struct iso_currency iso_currencies[];
extern const size_t iso_currencies_count;

#endif
