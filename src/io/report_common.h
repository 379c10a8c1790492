/*
 * report_common: what the report renderers share. The tolerant readers of
 * the shortlist document (a missing key and a null read the same: unknown)
 * come from io/shortlist_doc.h, beside the document's writer; here:
 * escaping for HTML and Markdown, the need in plain words, labels for
 * criteria, countries, languages and certifications, and the inline SVG
 * chart of a BPO/KPO mix. The one idea: untrusted text is only ever written
 * through rp_html / rp_md, never with a bare fputs.
 */
#ifndef VM_IO_REPORT_COMMON_H
#define VM_IO_REPORT_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/util.h"
#include "io/shortlist_doc.h"

/* The document's tolerant readers (rj_*) and its unverified facts
 * (rp_unverified...) are shortlist_doc.h's, beside its writer. */

/* --- escaping */
/* HTML text or attribute value: & < > " ' become entities; what
 * output_char_unsafe names (controls, bidi, zero-width) and invalid UTF-8
 * become U+FFFD; newline and tab stay. NULL writes nothing. */
void rp_html(FILE *f, const char *s);
/* Markdown inline text or table cell: \ ` * _ [ ] | escaped with a
 * backslash, < > & as entities (so <script> shows as text), unsafe code
 * points as U+FFFD, newlines and tabs as spaces. */
void rp_md(FILE *f, const char *s);

/* --- numbers and labels */
/* A number without trailing zeros: 30 -> "30", 87.5 -> "87.5", 4.25 -> "4.25"
 * (at most 2 decimals). Returns buf. */
const char *rp_num(double v, char *buf, size_t n);
/* An integer with thousands separators: 9999 -> "9,999". Returns buf. */
const char *rp_int(double v, char *buf, size_t n);
/* "IN" -> "India"; unknown codes come back as given. Returns buf or code. */
const char *rp_country(const char *code, char *buf, size_t n);
/* Like rp_country with "the " for names that take it ("the Philippines"). */
const char *rp_country_in(const char *code, char *buf, size_t n);
/* "en" -> "English"; unknown codes come back as given. */
const char *rp_language(const char *code, char *buf, size_t n);
/* "ISO27001" -> "ISO 27001", "SOC2" -> "SOC 2"; others as given. */
const char *rp_cert(const char *code, char *buf, size_t n);
/* "customer_support" -> "customer support". */
const char *rp_service(const char *code, char *buf, size_t n);
/* The host part of a website ("https://Acme.example/x" -> "acme.example"),
 * NULL when what is left is not a host name ("javascript:alert(1)");
 * malloc'd, NULL when s is NULL or empty. Shown as text, never as a link. */
char *rp_host(const char *website);
/* "2026-11-24T01:02:03Z" -> "24 November 2026, 01:02 UTC"; other text as is. */
const char *rp_date(const char *iso, char *buf, size_t n);
/* Rate as "$15-24/h", "EUR 18/h"; NULL when unknown. malloc'd. */
char *rp_rate(const json_t *vendor);
/* Size as "1,000-9,999 employees"; NULL when unknown. malloc'd. */
char *rp_size(const json_t *vendor);
/* "Pune, India"; NULL when unknown. malloc'd. */
char *rp_location(const json_t *vendor);

/* --- the scoring criteria of a document, in a stable order */
struct rp_criteria {
    const char **keys; /* borrowed from the document or static */
    size_t len;
};
/* The documented criteria first (SPEC order), then any other key found in
 * weights or a breakdown, sorted, so the columns never depend on storage. */
void rp_criteria_of(const json_t *doc, struct rp_criteria *c);
void rp_criteria_free(struct rp_criteria *c);
const char *rp_criterion_label(const char *key, char *buf, size_t n);

/* --- process types */
enum rp_type { RP_BPO, RP_KPO, RP_HYBRID, RP_UNCLASSIFIED, RP_NTYPES };
extern const char *const rp_type_names[RP_NTYPES];
/* Index of a type name; unknown names count as UNCLASSIFIED. */
enum rp_type rp_type_of(const char *name);
/* A CSS class for a type badge, from a fixed list (never the input text). */
const char *rp_type_class(const char *name);

/*
 * The client's need in plain words: "Customer support and collections, in
 * India or the Philippines, healthcare experience, English, ISO 27001
 * required, at least 100 staff, at most $30/h, rated 4 or better, high data
 * sensitivity, offshore delivery." Plain text (escape it to print);
 * malloc'd; "Any vendor." when the need says nothing.
 */
char *rp_need_plain(const json_t *need);

/* Lines of plain text (escape them to print), malloc'd:
 * "5 vendors ranked · 3 near misses · prepared 24 November 2026, 01:02 UTC" */
char *rp_summary_plain(const json_t *doc);
/* "Produced 24 November 2026, 01:02 UTC by vendormatch from saved shortlist #3." */
char *rp_produced_plain(const json_t *doc);
/* What is known of one catalog[] entry besides its file name: "source clutch,
 * batch 1, imported 24 November 2026, 00:59 UTC, sha256 3f1c9a7e52d0…"
 * ("" when nothing is). */
char *rp_catalog_detail(const json_t *entry);
/* "Service coverage 40 · Industry experience 10 · ..."; NULL without weights. */
struct rp_criteria;
char *rp_weights_plain(const json_t *doc, const struct rp_criteria *crit);

/* --- robustness (docs/matching.md "Robustness"); plain text, malloc'd, NULL
 * when the document has no such figures (saved before they existed) */
/* "#1 in 94% of weightings, top 3 in 100%", from a result's "robustness". */
char *rp_robust_plain(const json_t *result);
/* "Weights each varied by up to ±25%, 1000 draws, 15 vendors compared." */
char *rp_robust_method_plain(const json_t *doc);
/* From the document's "swap": "#2 Bravo takes first place if the price weight
 * rises above 24.36 (now 10)." or "No single weight from 0 to 1000 puts #2
 * Bravo ahead of #1 Alpha." */
char *rp_swap_plain(const json_t *doc);

/* The recommended type and its reason as one sentence headline:
 * "a BPO provider", "a KPO provider", "any provider (BPO or KPO)". */
const char *rp_type_headline(const char *process_type);

/* Inline SVG stacked bar of counts per type with a legend (label, count,
 * percentage) as HTML. Only numbers and fixed labels are written. */
void rp_html_mix_chart(FILE *f, const size_t counts[RP_NTYPES], const char *aria_label);
/* The CSS the mix chart and badges use; part of every HTML page. */
extern const char rp_html_base_css[];

#endif
