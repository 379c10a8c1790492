/*
 * report_json: the stored shortlist document itself, unchanged, for
 * programs (schema: docs/shortlist-json.md). JSON escaping is jansson's.
 */
#include "io/report.h"

#include "io/output.h"

int report_render_json(const json_t *doc, FILE *f, struct vm_err *err)
{
    if (json_print(f, doc) != 0 || ferror(f))
        return vm_err_set(err, VM_EXIT_FAILURE, "could not write the JSON report");
    return 0;
}
