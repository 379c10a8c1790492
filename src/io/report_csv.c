/*
 * report_csv: the shortlist as one CSV row per ranked vendor, for a
 * spreadsheet: rank, id, name, type, score, the vendor's facts as a reader
 * wants them (rating in stars, rate with its currency, country and
 * language names), one points_<criterion> column per scoring criterion
 * (stable order, see rp_criteria_of), the facts passed unverified
 * ("language; rate": to check with the vendor), reasons joined with "; ",
 * then contact and the robustness sentence (with #2's, the sentence saying
 * which weight would make it #1). Every cell goes through csv_write_cell with
 * defusing on, so a vendor named =HYPERLINK(...) stays text.
 */
#include "io/report.h"

#include <stdlib.h>

#include "io/output.h"
#include "io/report_common.h"

static void cell(FILE *f, const char *s, bool last)
{
    csv_write_cell(f, s ? s : "", true);
    fputs(last ? "\r\n" : ",", f);
}

static void num_cell(FILE *f, const json_t *obj, const char *key)
{
    char buf[32];
    double v;
    cell(f, rj_num(obj, key, &v) ? rp_num(v, buf, sizeof buf) : NULL, false);
}

int report_render_csv(const json_t *doc, FILE *f, struct vm_err *err)
{
    static const char *const head[] = {"rank",   "vendor_id", "name",    "process_type", "score",
                                       "rating", "rate",      "country", "languages"};
    static const char *const tail[] = {"unverified", "reasons", "website",
                                       "email",      "phone",   "robustness"};
    const size_t n_head = sizeof head / sizeof *head, n_tail = sizeof tail / sizeof *tail;
    const json_t *results = rj_arr(doc, "results");
    struct rp_criteria crit;
    char buf[128];

    rp_criteria_of(doc, &crit);
    for (size_t i = 0; i < n_head; i++)
        cell(f, head[i], false);
    for (size_t i = 0; i < crit.len; i++) {
        char *name = xasprintf("points_%s", crit.keys[i]);
        cell(f, name, false);
        free(name);
    }
    for (size_t i = 0; i < n_tail; i++)
        cell(f, tail[i], i + 1 == n_tail);
    char *swap = rp_swap_plain(doc);

    for (size_t r = 0; r < rj_len(results); r++) {
        const json_t *e = json_array_get(results, r), *vendor = rj_get(e, "vendor");
        const json_t *bd = rj_get(e, "breakdown");
        num_cell(f, e, "rank");
        num_cell(f, e, "vendor_id");
        cell(f, rj_str(e, "name"), false);
        cell(f, rj_str(e, "process_type"), false);
        num_cell(f, e, "score");
        num_cell(f, vendor, "rating");
        char *rate = rp_rate(vendor),
             *languages = rj_join(rj_arr(vendor, "languages"), "; ", rp_language);
        cell(f, rate, false);
        cell(f, rp_country(rj_str(vendor, "country"), buf, sizeof buf), false);
        cell(f, languages, false);
        free(rate);
        free(languages);
        for (size_t i = 0; i < crit.len; i++)
            num_cell(f, bd, crit.keys[i]);
        char *unverified = rj_join(rj_arr(e, "unverified"), "; ", NULL);
        cell(f, unverified, false);
        free(unverified);
        char *reasons = rj_join(rj_arr(e, "reasons"), "; ", NULL);
        cell(f, reasons, false);
        free(reasons);
        cell(f, rj_str(vendor, "website"), false);
        cell(f, rj_str(vendor, "email"), false);
        cell(f, rj_str(vendor, "phone"), false);
        /* The #1/#2 swap sentence goes with #2, the vendor it is about. */
        char *rob = rp_robust_plain(e);
        char *text = rob && swap && r == 1 ? xasprintf("%s; %s", rob, swap) : NULL;
        cell(f, text ? text : rob, true);
        free(text);
        free(rob);
    }
    free(swap);
    rp_criteria_free(&crit);
    if (ferror(f))
        return vm_err_set(err, VM_EXIT_FAILURE, "could not write the CSV report");
    return 0;
}
