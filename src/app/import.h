/*
 * import (workflow): `vendormatch import` end to end, callable from C.
 *
 * One run reads each catalog file (CSV, gzip'd or not, in any encoding, or a
 * workbook's sheet; io/input), maps its header to the canonical fields
 * (core/columns), normalises each row into a vendor record (core/vendor),
 * tags it (core/classify) and streams it into the server (db/import_db), one
 * transaction per file; then reports the file's counts. Around that it owns
 * what a run needs: the file's SHA-256 computed as it is read, the bad-row
 * policy (abort the file, or set the row aside), the --rejects file, and
 * cancellation (SIGINT cancels the running statement; the file rolls back).
 * import_options.c turns a command line's option values into a request,
 * import_report.c runs it and prints each file's summary: a command only
 * maps its option names and calls app_import_report.
 */
#ifndef VM_APP_IMPORT_H
#define VM_APP_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/columns.h"
#include "core/fields.h"
#include "core/util.h"
#include "db/conn.h"
#include "db/import_db.h"

struct app_import_opts {
    const char *source;      /* --source; NULL: each file's base name, "stdin" for "-" */
    char delimiter;          /* --delimiter; 0 = detected from the header */
    const char *const *maps; /* --map "FIELD=HEADER" strings */
    size_t n_maps;
    bool skip_bad;            /* --on-error skip (default: a bad row aborts its file) */
    const char *rejects_path; /* --rejects FILE, or NULL */
    const char *encoding;     /* --encoding, NULL = UTF-8 */
    const char *sheet;        /* --sheet, NULL = the first */
    char currency[4];         /* --currency: ISO 4217 code of rates that name none and
                                 whose header names none either; "" = USD */
    bool classify;            /* false: --no-classify, store UNCLASSIFIED */
    bool quiet;               /* -q: no progress line, no warnings on stderr */
    bool remap;   /* --remap: a header that differs from the source's last one is accepted,
                     read with the options given (not the remembered ones) */
    bool full;    /* --full: each file is its source's whole catalog (absent vendors retire) */
    bool dry_run; /* --dry-run: everything but the COMMIT; nothing stays (no --rejects) */
};

/* Where the currency of a file's bare rates ("25") came from: a rate's
 * currency is its cell's, else the rate header's, else --currency, else USD. */
struct app_rate_origin {
    bool has_rate_column;
    char currency[4]; /* "EUR" */
    const char *from; /* "header", "--currency" or "default" */
    char header[128]; /* the rate column's header, when from the header */
};

/* One recognised column: its header as written and the field it feeds
 * (a column --map gives to two fields appears twice). */
struct app_import_column {
    char *header;
    enum vendor_field field;
    bool from_map; /* given by --map, not recognised by name */
};

/* What the import understood of one file (docs/import.md, "What the import
 * understood"): how its header was read and what its rows' values gave. */
struct app_import_understood {
    struct app_import_column *columns; /* in file order */
    size_t ncolumns;
    struct strlist extra;           /* the extra columns, by the names extra stores them under */
    bool classified;                /* false with --no-classify: unclassified means nothing */
    long vendors;                   /* good rows normalised (and classified) */
    long unclassified;              /* of those, the rows the classifier left UNCLASSIFIED */
    long unread[VF_COUNT];          /* rows with a value field f could not normalise */
    char *unread_example[VF_COUNT]; /* the first such cell's text, or NULL */
    struct header_diff header_change; /* the header against the source's last import's
                                         (empty: the same, or a new source); only --remap
                                         lets a file with a difference import */
};

/* What one committed file reports. Strings are valid during the callback. */
struct app_import_file {
    const char *file;   /* as given, "stdin" for "-" */
    const char *source; /* the source name it was imported under */
    struct import_counts counts;
    struct app_rate_origin rate;
    double seconds;
    bool dry_run; /* nothing was written: counts are what the import would do */
    struct app_import_understood understood;
};

/* Told about each file right after it commits (before the next starts). */
typedef void (*app_import_done_fn)(const struct app_import_file *done, void *arg);

/*
 * Imports files[0..n_files) in order into the catalog db names (opened with
 * app_catalog_open), stopping at the first file that fails; the files before
 * it stay committed. The --rejects file is checked before anything is read
 * and appears only when every file imported. Errors as vm_err: VM_EXIT_DATAERR
 * for bad data (the first errors listed on stderr), VM_EXIT_UNAVAILABLE for a
 * lost server, VM_EXIT_INTERRUPTED after Ctrl-C, VM_EXIT_USAGE for a --map
 * naming a header the file lacks, else VM_EXIT_FAILURE.
 */
int app_import(const struct vm_db_options *db, const struct app_import_opts *o,
               const char *const *files, size_t n_files, app_import_done_fn done, void *arg,
               struct vm_err *err);

/* ---- import_options.c: what a command line asks for ---- */

/* What `vendormatch import` asks for: the run's options and how to show it. */
struct app_import_request {
    struct app_import_opts run;
    struct strlist maps; /* the --map strings run.maps points at */
    bool json;           /* --format json (default: table) */
};

/* The options a command line gives, each with its value (NULL for a flag);
 * from 256 on, so a getopt table can use them as its values. */
enum app_import_option {
    AIO_SOURCE = 256,
    AIO_DELIMITER,
    AIO_MAP,
    AIO_ON_ERROR,
    AIO_REJECTS,
    AIO_FORMAT,
    AIO_NO_CLASSIFY,
    AIO_ENCODING,
    AIO_SHEET,
    AIO_REMAP,
    AIO_FULL,
    AIO_DRY_RUN,
    AIO_CURRENCY,
};

/* An empty request (classify on, table format); quiet is -q. */
void app_import_request_init(struct app_import_request *r, bool quiet);
void app_import_request_free(struct app_import_request *r);
/* Checks one option's value and sets it into r (arg must outlive r).
 * VM_EXIT_USAGE with a message naming the option and what it takes. */
int app_import_request_set(struct app_import_request *r, enum app_import_option opt,
                           const char *arg, struct vm_err *err);

/* ---- import_report.c: what a run shows ---- */

/*
 * Runs app_import and prints each file's summary as it commits: with the
 * table format, what was understood on stderr (not with quiet) and the
 * counts on stdout; with JSON, one object (one file) or an array at the end.
 * A dry run ends with "dry run: nothing was written" (on stderr with JSON
 * or after an error, unless quiet). Errors as app_import's.
 */
int app_import_report(const struct vm_db_options *db, const struct app_import_request *r,
                      const char *const *files, size_t n_files, struct vm_err *err);

/* The file's summary, as `import --format json` prints it (new reference,
 * with what was understood) and as the table lines of the default format. */
json_t *app_import_summary_json(const struct app_import_file *f);
void app_import_summary_print(FILE *out, const struct app_import_file *f);
/* What was understood of the file, as the few lines the table format
 * prints on stderr (every header and value made safe to print). */
void app_import_understood_print(FILE *out, const struct app_import_file *f);
/* 'new: "A"; missing: "B"; moved: website from "URL" (was "Website")', each
 * header made safe to print and cut; malloc'd. */
char *app_header_diff_text(const struct header_diff *d);

#endif
