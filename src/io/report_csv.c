/*
 * report_csv: the shortlist as one CSV row per ranked vendor, for a
 * spreadsheet: rank, id, name, type, score, one column per scoring
 * criterion (stable order, see rp_criteria_of), reasons joined with "; ",
 * then country, contact and the robustness sentence (with #2's, the
 * sentence saying which weight would make it #1). Every cell goes through csv_write_cell with
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
    static const char *const head[] = {"rank", "vendor_id", "name", "process_type", "score"};
    static const char *const tail[] = {"reasons", "country", "website",
                                       "email",   "phone",   "robustness"};
    const json_t *results = rj_arr(doc, "results");
    struct rp_criteria crit;

    rp_criteria_of(doc, &crit);
    for (size_t i = 0; i < 5; i++)
        cell(f, head[i], false);
    for (size_t i = 0; i < crit.len; i++)
        cell(f, crit.keys[i], false);
    for (size_t i = 0; i < 6; i++)
        cell(f, tail[i], i == 5);
    char *swap = rp_swap_plain(doc);

    for (size_t r = 0; r < rj_len(results); r++) {
        const json_t *e = json_array_get(results, r), *vendor = rj_get(e, "vendor");
        const json_t *bd = rj_get(e, "breakdown");
        num_cell(f, e, "rank");
        num_cell(f, e, "vendor_id");
        cell(f, rj_str(e, "name"), false);
        cell(f, rj_str(e, "process_type"), false);
        num_cell(f, e, "score");
        for (size_t i = 0; i < crit.len; i++)
            num_cell(f, bd, crit.keys[i]);
        char *reasons = rj_join(rj_arr(e, "reasons"), "; ", NULL);
        cell(f, reasons, false);
        free(reasons);
        cell(f, rj_str(vendor, "country"), false);
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
