/*
 * report_md: the shortlist as Markdown, the same content as the HTML page
 * in headings, lists and tables, for pasting into a wiki, a ticket or an
 * e-mail. Every piece of document text goes through rp_md, which escapes
 * Markdown syntax and writes < > & as entities, so a vendor called
 * "<script>" is text in every common renderer, never markup.
 */
#include "io/report.h"

#include <stdlib.h>
#include <string.h>

#include "io/report_common.h"

/* "| label | text |" row of the facts table, skipped when text is empty. */
static void fact_row(FILE *f, const char *label, char *text)
{
    if (text && *text) {
        fprintf(f, "| %s | ", label);
        rp_md(f, text);
        fputs(" |\n", f);
    }
    free(text);
}

static void brief(FILE *f, const json_t *doc, const json_t *results)
{
    const char *type = rj_str(doc, "process_type");
    const char *reason = rj_str(doc, "process_type_reason");
    const char *headline = rp_type_headline(type);
    char *need = rp_need_plain(rj_get(doc, "need"));

    fputs("## The brief\n\n", f);
    rp_md(f, need);
    fputs("\n\n", f);
    free(need);
    if (type) {
        fputs(rj_true(doc, "process_type_inferred") ? "**Recommendation: " : "**Requested: ", f);
        rp_md(f, headline ? headline : type);
        fputs("**", f);
        if (reason) {
            fputs(" \xe2\x80\x94 ", f);
            rp_md(f, reason);
        }
        fputs("\n\n", f);
    }
    size_t counts[RP_NTYPES] = {0}, total = rj_len(results);
    for (size_t i = 0; i < total; i++)
        counts[rp_type_of(rj_str(json_array_get(results, i), "process_type"))]++;
    fputs("Shortlist by type:", f);
    for (int t = 0; t < RP_NTYPES; t++) {
        if (!counts[t] && t == RP_UNCLASSIFIED)
            continue;
        fprintf(f, "%s %s %zu (%.0f%%)", t ? "," : "", rp_type_names[t], counts[t],
                total ? 100.0 * (double)counts[t] / (double)total : 0.0);
    }
    fputs("\n\n", f);
}

/* " (unverified: language, hourly rate)" after a vendor's name, when any. */
static void unverified_mark(FILE *f, const json_t *entry)
{
    char *facts = rp_unverified(entry);
    if (!facts)
        return;
    fputs(" **(unverified: ", f);
    rp_md(f, facts);
    fputs(")**", f);
    free(facts);
}

/* The #1/#2 swap sentence and how the robustness figures were drawn. */
static void robustness(FILE *f, const json_t *doc)
{
    char *swap = rp_swap_plain(doc), *method = rp_robust_method_plain(doc);
    if (swap) {
        rp_md(f, swap);
        fputs("\n\n", f);
    }
    if (method) {
        fputs("*", f);
        rp_md(f, method);
        fputs("*\n\n", f);
    }
    free(swap);
    free(method);
}

static void ranking(FILE *f, const json_t *doc, const json_t *results)
{
    char a[32];
    fputs("## Ranking\n\n", f);
    if (!rj_len(results)) {
        fputs("No vendor met every requirement.\n\n", f);
        return;
    }
    fputs("| # | Vendor | Type | Location | Rate | Rating | Score |\n"
          "|--:|---|---|---|---|--:|--:|\n",
          f);
    for (size_t i = 0; i < rj_len(results); i++) {
        const json_t *e = json_array_get(results, i), *vendor = rj_get(e, "vendor");
        const char *name = rj_str(e, "name");
        double rank, score, rating;
        fprintf(f, "| %s | ", rp_num(rj_num(e, "rank", &rank) ? rank : (double)i + 1, a, sizeof a));
        rp_md(f, name ? name : "(unnamed vendor)");
        unverified_mark(f, e);
        fputs(" | ", f);
        rp_md(f, rj_str(e, "process_type"));
        char *loc = rp_location(vendor), *rate = rp_rate(vendor);
        fputs(" | ", f);
        rp_md(f, loc);
        fputs(" | ", f);
        rp_md(f, rate);
        free(loc);
        free(rate);
        fprintf(f, " | %s", rj_num(vendor, "rating", &rating) ? rp_num(rating, a, sizeof a) : "");
        fprintf(f, " | %s |\n", rj_num(e, "score", &score) ? rp_num(score, a, sizeof a) : "");
    }
    fputs("\n", f);
    robustness(f, doc);
}

static void vendor_section(FILE *f, const json_t *doc, const json_t *e, size_t index,
                           const struct rp_criteria *crit)
{
    const json_t *vendor = rj_get(e, "vendor"), *bd = rj_get(e, "breakdown");
    const json_t *weights = rj_get(doc, "weights");
    const char *name = rj_str(e, "name"), *type = rj_str(e, "process_type");
    char a[32], b[128];
    double rank, score, v;

    fprintf(f, "### %s. ",
            rp_num(rj_num(e, "rank", &rank) ? rank : (double)index + 1, a, sizeof a));
    rp_md(f, name ? name : "(unnamed vendor)");
    if (type) {
        fputs(" \xe2\x80\x94 ", f);
        rp_md(f, type);
    }
    if (rj_num(e, "score", &score))
        fprintf(f, ", %s / 100", rp_num(score, a, sizeof a));
    fputs("\n\n", f);

    const json_t *reasons = rj_arr(e, "reasons");
    for (size_t i = 0; i < rj_len(reasons); i++) {
        const json_t *r = json_array_get(reasons, i);
        if (!json_is_string(r) || rp_is_unverified_reason(e, json_string_value(r)))
            continue;
        fputs("- ", f);
        rp_md(f, json_string_value(r));
        fputs("\n", f);
    }
    if (rj_len(reasons))
        fputs("\n", f);
    const json_t *unverified = rj_arr(e, "unverified_reasons");
    if (rj_len(unverified))
        fputs("**Unverified: check with the vendor**\n\n", f);
    for (size_t i = 0; i < rj_len(unverified); i++) {
        const json_t *r = json_array_get(unverified, i);
        if (!json_is_string(r))
            continue;
        char *claim = rp_unverified_claim(json_string_value(r));
        fputs("- ", f);
        rp_md(f, claim);
        fputs("\n", f);
        free(claim);
    }
    if (rj_len(unverified))
        fputs("\n", f);

    fputs("| | |\n|---|---|\n", f);
    fact_row(f, "Location", rp_location(vendor));
    fact_row(f, "Size", rp_size(vendor));
    fact_row(f, "Rate", rp_rate(vendor));
    if (rj_num(vendor, "rating", &v))
        fact_row(f, "Rating", xasprintf("%s / 5", rp_num(v, a, sizeof a)));
    const json_t *services = rj_arr(vendor, "services");
    fact_row(f, "Services",
             rj_join(rj_len(services) ? services : rj_arr(vendor, "matched_services"), ", ",
                     rp_service));
    fact_row(f, "Matched services", rj_join(rj_arr(vendor, "matched_services"), ", ", rp_service));
    fact_row(f, "Industries", rj_join(rj_arr(vendor, "industries"), ", ", NULL));
    fact_row(f, "Languages", rj_join(rj_arr(vendor, "languages"), ", ", rp_language));
    fact_row(f, "Certifications", rj_join(rj_arr(vendor, "certifications"), ", ", rp_cert));
    fact_row(f, "Robustness", rp_robust_plain(e));
    if (rj_true(vendor, "manual_tag"))
        fact_row(f, "Type tag", xstrdup("set manually by an analyst"));
    else if (rj_num(vendor, "confidence", &v))
        fact_row(f, "Type tag", xasprintf("%s%% confidence", rp_num(v * 100.0, a, sizeof a)));
    fact_row(f, "E-mail", rj_str(vendor, "email") ? xstrdup(rj_str(vendor, "email")) : NULL);
    fact_row(f, "Phone", rj_str(vendor, "phone") ? xstrdup(rj_str(vendor, "phone")) : NULL);
    fact_row(f, "Website", rp_host(rj_str(vendor, "website")));
    fputs("\n", f);

    bool header = false;
    for (size_t i = 0; i < crit->len; i++) {
        double pts, w;
        bool has_pts = rj_num(bd, crit->keys[i], &pts), has_w = rj_num(weights, crit->keys[i], &w);
        if (!has_pts && !has_w)
            continue;
        if (!header)
            fputs("| Criterion | Points | of |\n|---|--:|--:|\n", f);
        header = true;
        fputs("| ", f);
        rp_md(f, rp_criterion_label(crit->keys[i], b, sizeof b));
        fprintf(f, " | %s", has_pts ? rp_num(pts, a, sizeof a) : "\xe2\x80\x93");
        fprintf(f, " | %s |\n", has_w ? rp_num(w, a, sizeof a) : "");
    }
    if (header)
        fputs("\n", f);
}

static void misses(FILE *f, const json_t *excluded)
{
    fputs("## Near misses\n\n", f);
    if (!rj_len(excluded)) {
        fputs("No other vendor came close.\n\n", f);
        return;
    }
    fputs("| Vendor | Why it is not on the list |\n|---|---|\n", f);
    for (size_t i = 0; i < rj_len(excluded); i++) {
        const json_t *e = json_array_get(excluded, i);
        const char *name = rj_str(e, "name");
        fputs("| ", f);
        rp_md(f, name ? name : "(unnamed vendor)");
        fputs(" | ", f);
        char *why = rj_join(rj_arr(e, "reasons"), "; ", NULL);
        rp_md(f, *why ? why : "not recorded");
        free(why);
        unverified_mark(f, e);
        fputs(" |\n", f);
    }
    fputs("\n", f);
}

static void footer(FILE *f, const json_t *doc, const struct rp_criteria *crit)
{
    char *produced = rp_produced_plain(doc), *weights = rp_weights_plain(doc, crit);
    const json_t *catalog = rj_arr(doc, "catalog");

    fputs("---\n\n", f);
    rp_md(f, produced);
    fputs("\n\nCatalog files:", f);
    fputs(rj_len(catalog) ? "\n\n" : " not recorded.\n", f);
    for (size_t i = 0; i < rj_len(catalog); i++) {
        const json_t *c = json_array_get(catalog, i);
        const char *file = rj_str(c, "file");
        char *detail = rp_catalog_detail(c);
        fputs("- ", f);
        rp_md(f, file ? file : "(unnamed file)");
        if (*detail) {
            fputs(" (", f);
            rp_md(f, detail);
            fputs(")", f);
        }
        fputs("\n", f);
        free(detail);
    }
    fputs("\nWeights: ", f);
    rp_md(f, weights ? weights : "not recorded");
    fputs(".\n", f);
    free(produced);
    free(weights);
}

int report_render_md(const json_t *doc, FILE *f, struct vm_err *err)
{
    const char *name = rj_str(doc, "name");
    if (!name)
        name = rj_str(rj_get(doc, "need"), "name");
    const json_t *results = rj_arr(doc, "results"), *excluded = rj_arr(doc, "excluded");
    struct rp_criteria crit;

    rp_criteria_of(doc, &crit);
    fputs("# Shortlist: ", f);
    rp_md(f, name ? name : "untitled");
    char *summary = rp_summary_plain(doc);
    fputs("\n\n*", f);
    rp_md(f, summary);
    free(summary);
    fputs("*\n\n", f);
    brief(f, doc, results);
    ranking(f, doc, results);
    if (rj_len(results))
        fputs("## Vendor profiles\n\n", f);
    for (size_t i = 0; i < rj_len(results); i++)
        vendor_section(f, doc, json_array_get(results, i), i, &crit);
    misses(f, excluded);
    footer(f, doc, &crit);
    rp_criteria_free(&crit);
    if (ferror(f))
        return vm_err_set(err, VM_EXIT_FAILURE, "could not write the Markdown report");
    return 0;
}
