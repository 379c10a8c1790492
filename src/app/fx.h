/*
 * fx (workflow): `vendormatch fx`, the exchange rates money is compared
 * with (fx_rates): list the stored rates, store one, or read the European
 * Central Bank's reference-rate CSV (core/fx parses it) and store the
 * chosen row's rates, all or none. FILE is opened the one way every command
 * opens its input (io/infile: "-" is standard input).
 */
#ifndef VM_APP_FX_H
#define VM_APP_FX_H

#include <stddef.h>

#include "core/util.h"
#include "db/conn.h"
#include "io/output.h"

/* Every stored rate, ordered by currency, as a table of currency,
 * usd_per_unit (as the server prints it), date, source and name (ISO 4217,
 * "" when unknown). The caller table_frees *out, whatever the result. */
int app_fx_list(const struct vm_db_options *db, struct table *out, struct vm_err *err);

/* Stores usd_per_unit for code (an ISO 4217 code, upper-case) dated date,
 * or today (UTC) when date is NULL; day gets the date stored. */
int app_fx_set(const struct vm_db_options *db, const char *code, double usd_per_unit,
               const char *date, char day[11], struct vm_err *err);

struct app_fx_import_result {
    const char *file; /* as given, "stdin" for "-" */
    size_t rates;     /* rates stored */
    struct strlist kept; /* currencies whose stored rate is newer than the file's: kept */
    char date[11];    /* the row's date */
    double eur;       /* US dollars per euro */
};

/* Reads path ("-" = standard input; exit 1 when it cannot be opened) and
 * stores the rates of its row dated date, or of its newest row (date NULL)
 * except where the catalog holds a newer rate of the currency (out->kept). A bad file is
 * VM_EXIT_DATAERR naming FILE:LINE:COLUMN, and nothing is stored. The caller
 * strlist_frees out->kept, whatever the result. */
int app_fx_import(const struct vm_db_options *db, const char *path, const char *date,
                  struct app_fx_import_result *out, struct vm_err *err);

#endif
