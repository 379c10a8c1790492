/*
 * import options (workflow): what `vendormatch import` asks for, from the
 * command line's strings. Each option's value is checked as it is given
 * (app_import_request_set), so a command only maps its option names to
 * enum app_import_option and says "usage" around the message.
 */
#include "app/import.h"

#include <ctype.h>
#include <string.h>

#include "core/columns.h"
#include "core/normalize.h"
#include "io/input.h"

void app_import_request_init(struct app_import_request *r, bool quiet)
{
    memset(r, 0, sizeof *r);
    r->run.classify = true;
    r->run.quiet = quiet;
    strlist_init(&r->maps);
}

void app_import_request_free(struct app_import_request *r)
{
    strlist_free(&r->maps);
}

/* --currency: three letters that are an ISO 4217 code of iso-codes, any
 * case, into code; -1 for anything else (symbols such as "US$" too). */
static int parse_currency(const char *arg, char code[4])
{
    char up[4] = "";
    for (size_t i = 0; i < 3 && arg[i]; i++)
        up[i] = (char)toupper((unsigned char)arg[i]);
    bool letters = strlen(arg) == 3 && isalpha((unsigned char)up[0]) &&
                   isalpha((unsigned char)up[1]) && isalpha((unsigned char)up[2]);
    const char *iso = letters ? norm_currency(up, 3) : NULL;
    if (!iso)
        return -1;
    snprintf(code, 4, "%s", iso);
    return 0;
}

/* The options that take no value. */
static bool set_flag(struct app_import_opts *o, enum app_import_option opt)
{
    bool *flag = opt == AIO_NO_CLASSIFY ? &o->classify
                 : opt == AIO_REMAP     ? &o->remap
                 : opt == AIO_FULL      ? &o->full
                 : opt == AIO_DRY_RUN   ? &o->dry_run
                                        : NULL;
    if (flag)
        *flag = opt != AIO_NO_CLASSIFY;
    return flag != NULL;
}

int app_import_request_set(struct app_import_request *r, enum app_import_option opt,
                           const char *arg, struct vm_err *err)
{
    struct app_import_opts *o = &r->run;
    int delim;
    if (set_flag(o, opt))
        return 0;
    switch (opt) {
    case AIO_SOURCE:
        if (!*arg)
            return vm_err_set(err, VM_EXIT_USAGE, "--source needs a non-empty name");
        o->source = arg;
        return 0;
    case AIO_DELIMITER:
        if ((delim = input_parse_delimiter(arg)) < 0)
            return vm_err_set(err, VM_EXIT_USAGE, "--delimiter must be ',', ';', '|' or 'tab'");
        o->delimiter = (char)delim;
        return 0;
    case AIO_MAP:
        if (!columns_map_arg_ok(arg))
            return vm_err_set(err, VM_EXIT_USAGE,
                              "--map '%s': expected FIELD=HEADER with a canonical field (name,"
                              " website, country, services, ...)",
                              arg);
        strlist_push(&r->maps, arg);
        o->maps = (const char *const *)r->maps.items;
        o->n_maps = r->maps.len;
        return 0;
    case AIO_ON_ERROR:
        if (strcmp(arg, "abort") && strcmp(arg, "skip"))
            return vm_err_set(err, VM_EXIT_USAGE, "--on-error must be abort or skip");
        o->skip_bad = strcmp(arg, "skip") == 0;
        return 0;
    case AIO_REJECTS:
        o->rejects_path = arg;
        return 0;
    case AIO_FORMAT:
        if (strcmp(arg, "table") && strcmp(arg, "json"))
            return vm_err_set(err, VM_EXIT_USAGE, "--format must be table or json");
        r->json = strcmp(arg, "json") == 0;
        return 0;
    case AIO_ENCODING:
        if (input_check_encoding(arg, err))
            return err->code;
        o->encoding = arg;
        return 0;
    case AIO_SHEET:
        if (!*arg)
            return vm_err_set(err, VM_EXIT_USAGE, "--sheet needs a sheet name");
        o->sheet = arg;
        return 0;
    case AIO_CURRENCY:
        if (parse_currency(arg, o->currency) != 0)
            return vm_err_set(err, VM_EXIT_USAGE,
                              "--currency '%s': not an ISO 4217 currency code (such as USD,"
                              " EUR, GBP, INR)",
                              arg);
        return 0;
    default:
        return vm_err_set(err, VM_EXIT_USAGE, "unknown import option %d", (int)opt);
    }
}
