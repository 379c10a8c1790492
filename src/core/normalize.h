/*
 * normalize: turns the text people put in vendor catalogs into comparable
 * values: countries to ISO 3166-1 alpha-2, languages to ISO 639-1, employee
 * counts and hourly rates to ranges, certifications to canonical codes,
 * websites to a host, names to an identity key. Pure functions, no I/O.
 * Every function accepts any UTF-8 text (including empty) and says "not
 * recognised" instead of guessing; the caller keeps the original text.
 */
#ifndef VM_CORE_NORMALIZE_H
#define VM_CORE_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

/* Country name, alpha-2/alpha-3 code, common alias ("USA", "UK", "Holland")
 * or "City, Country" / "City, State, Country" -> static alpha-2 string, or
 * NULL. When city_out is not NULL and the text had a city part, *city_out
 * gets a malloc'd copy of it (else NULL). */
const char *norm_country(const char *text, char **city_out);

/* Language name or ISO 639-1/639-2 code -> static ISO 639-1 code ("en"), or NULL. */
const char *norm_language(const char *text);

/* Certification text -> canonical code written into out ("ISO27001",
 * "ISO9001", "SOC2", "PCIDSS", "HIPAA", "GDPR", "CMMI3", "COPC", ...).
 * "ISO/IEC 27001:2013", "ISO 27001" and "iso27001" all give "ISO27001".
 * Unknown text gives an upper-case alphanumeric squash of it. Returns false
 * when nothing usable remains (empty). */
bool norm_certification(const char *text, char *out, size_t outlen);
/* True when the canonical code (norm_certification) is one this module
 * knows by name (ISO27001, SOC2, PCIDSS, CMMI3...), not just a squashed
 * copy of the text. */
bool norm_certification_known(const char *canonical_code);

/* The English name of an ISO 3166-1 alpha-2 code, the common one where
 * iso-codes gives it ("IN" -> "India", "TW" -> "Taiwan"); a static string,
 * NULL when the code is unknown. */
const char *norm_country_name(const char *alpha2);
/* The English name of an ISO 639-1 code, the first variant ("es" ->
 * "Spanish"), written into buf and returned; NULL when unknown. */
const char *norm_language_name(const char *alpha2, char *buf, size_t size);

/* "Did you mean" hints for a name or code the functions above do not
 * recognise (suggest.h): the closest ISO 3166 country name ("Indai" ->
 * "India"), ISO 639 language name with a 639-1 code ("Englsh" ->
 * "English"), or known certification code ("ISO 2700" -> "ISO27001");
 * NULL when nothing is close. Static strings. */
const char *norm_suggest_country(const char *text);
const char *norm_suggest_language(const char *text);
const char *norm_suggest_certification(const char *text);

/* True for certifications that count as a security certification for
 * --sensitivity high (ISO27001, SOC2, PCIDSS, HITRUST, ISO27701...). */
bool norm_is_security_certification(const char *canonical_code);

/* A range read from a cell; an open end has no value (has_* false): "< 25",
 * "under 25", "up to 25" have no lower end, "25+", "> 25", "from 25",
 * "25 and up", "at least 25" no upper end. At least one end is present.
 * The known bound is inclusive ("< 25" is read as at most 25). */
struct norm_range {
    bool has_min, has_max;
    double min, max;
};

/* Employee counts: "51-200", "1,000 - 9,999", "10,000+", "51-200 employees",
 * "< 10", "about 250", "2-10", "5000". Returns false when not a count. */
bool norm_employees(const char *text, struct norm_range *out);

/* Rates: "$25 - $49 / hr", "< $25 / hr", "USD 18", "15-20", "€30/h",
 * "$100 - $149 / hr", "£40", "$150+ / hr", "from $40". min/max in the
 * currency's units, currency as ISO 4217 into cur (default "USD").
 * Returns false when no number is present. */
bool norm_rate(const char *text, struct norm_range *out, char cur[4]);
/* norm_rate where a text that names no currency is in fallback's (an ISO
 * 4217 code: the column header's, or import --currency); NULL or "" reads
 * as USD. The cell's own currency always wins. */
bool norm_rate_in(const char *text, struct norm_range *out, char cur[4], const char *fallback);

/* The ISO 4217 code that exactly the len bytes at text name: any code of
 * iso-codes' ISO 4217 table in any case ("eur"; a code that is also an
 * English word, such as ALL or TOP, only in capitals; not the metals and
 * test codes), or a symbol ("$", "€", "US$", "Rs"); NULL when they name no
 * known currency. */
const char *norm_currency(const char *text, size_t len);

/* The ISO 4217 name of a code ("EUR" -> "Euro"), NULL when unknown. */
const char *norm_currency_name(const char *code);

/* Rating "4.8", "4.8/5", "4,8", "96%" (-> 4.8) on a 0..5 scale. */
bool norm_rating(const char *text, double *out);

/* Founded year "2004", "est. 1998", "founded in 2010" -> year (1800..2100). */
bool norm_founded(const char *text, int *year);

/* Website "https://WWW.Example.com/about?x" -> malloc'd "example.com";
 * NULL when the text holds no plausible host. */
char *norm_website_host(const char *text);

/* Identity key of a name: lower-case, accents folded, punctuation squashed
 * to single spaces, legal suffixes removed ("Inc", "Ltd", "LLC", "Pvt Ltd",
 * "GmbH", "S.A.", "Private Limited", ...). Malloc'd; "" for no letters. */
char *norm_name_key(const char *name);

/* The comparison key every lookup here uses, for other modules to share:
 * case folded, accents stripped, apostrophes dropped, '&' read as "and",
 * other punctuation and spaces squashed to single spaces ("Côte d'Ivoire" ->
 * "cote divoire"). Malloc'd; "" for invalid UTF-8 or no letters/digits. */
char *norm_text_key(const char *text);

/* Splits a multi-valued cell on ';', '|' or newline, or on ',' when none of
 * those occurs; trims each part and drops empty ones. Appends to out. */
void norm_split_multi(const char *cell, struct strlist *out);

/* A leading share in a multi-valued part, as directories write service
 * focus ("40% Call Center Services"): returns the text after "40%" and sets
 * *share to 40, or returns part unchanged with *share = -1. */
const char *norm_strip_share(const char *part, double *share);

/* Valid UTF-8 (no overlongs, no surrogates)? On false, *bad_offset gets the
 * byte offset of the first invalid sequence. */
bool norm_utf8_valid(const char *s, size_t len, size_t *bad_offset);

#endif
