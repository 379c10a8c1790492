/*
 * cmd_import: `vendormatch import FILE...`: CSV and .xlsx catalogs into the
 * catalog.
 *
 * Wiring only: input streams records (CSV, gzip'd or not, in any encoding,
 * or a workbook's sheet; src/io/input.c), vendor turns each into a
 * normalised record, classify tags it, import_db streams it into the
 * server; one transaction per file. The file is hashed (SHA-256) as it is
 * read through a stdio cookie, so it is read once. A bad row either aborts
 * the file (default: keep parsing to report the first errors, commit
 * nothing) or is set aside (--on-error skip). SIGINT cancels the running
 * statement on the server and the transaction rolls back.
 */
#define _GNU_SOURCE /* fopencookie */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/classify.h"
#include "core/columns.h"
#include "core/sha256.h"
#include "core/vendor.h"
#include "db/import_db.h"
#if __has_include("db/taxonomy_db.h")
#include "db/taxonomy_db.h"
#define HAVE_TAXONOMY_DB 1
#endif
#include "io/input.h"
#include "io/outfile.h"
#include "io/output.h"
#include "io/progress.h"

#define MAX_LISTED_ERRORS 10
#define VM_EXIT_INTERRUPTED 130 /* 128 + SIGINT, as shells report it */

static const char import_usage[] =
    "usage: vendormatch import FILE... [--source NAME] [--delimiter C] [--map FIELD=HEADER]...\n"
    "                              [--encoding NAME] [--sheet NAME]\n"
    "                              [--on-error abort|skip] [--rejects FILE]\n"
    "                              [--format table|json] [--no-classify]\n"
    "\n"
    "Loads vendor catalogs (CSV or .xlsx with a header row) into the catalog. Each file\n"
    "is one transaction; FILE '-' reads standard input. The format is recognised by the\n"
    "file's first bytes, whatever its name: CSV, gzip'd CSV (e.g. catalog.csv.gz),\n"
    "UTF-16 or UTF-8 text with a byte order mark, or an .xlsx workbook (first sheet).\n"
    "Vendors are matched by the file's id column within the source, else by website\n"
    "host, else by name and country; known vendors are updated in place and every\n"
    "vendor is tagged BPO/KPO/HYBRID.\n"
    "\n"
    "  --source NAME        the catalog's source name (default: the file's base name\n"
    "                       without extension; \"stdin\" for '-'); scopes the id column\n"
    "  --delimiter C        ',', ';', '|' or 'tab' (default: detected from the header)\n"
    "  --map FIELD=HEADER   read canonical FIELD from column HEADER (repeatable)\n"
    "  --encoding NAME      the CSV's text encoding when it is not UTF-8: LATIN1,\n"
    "                       WINDOWS-1252 (older Excel), UTF-16LE, UTF-16BE, UTF-16, or\n"
    "                       any name `iconv -l` lists; a BOM in the file takes precedence\n"
    "  --sheet NAME         the .xlsx sheet to read (default: the first)\n"
    "  --on-error abort     a bad row aborts the file: nothing committed, exit 65 (default)\n"
    "  --on-error skip      commit the good rows; bad rows go to import_rejects and --rejects\n"
    "  --rejects FILE       write rejected rows as CSV: file,line,column,reason,raw;\n"
    "                       FILE appears (atomically) only when the whole run succeeds;\n"
    "                       a symbolic link or one of the catalog files is refused\n"
    "  --format table|json  the summary per file (json: one object, or an array for\n"
    "                       several files)\n"
    "  --no-classify        store vendors UNCLASSIFIED without tagging (benchmarking;\n"
    "                       run `vendormatch classify` afterwards)\n"
    "\n"
    "Exit codes: 0 ok, 1 failure, 2 usage, 65 bad data, 69 database unavailable,\n"
    "130 interrupted (nothing from the interrupted file is committed).\n";

const struct cmd_entry cmd_import_entry;

struct import_opts {
    const char *source;
    char delimiter;
    struct strlist maps; /* "field=Header" */
    bool skip_bad;
    const char *rejects_path;
    const char *encoding; /* --encoding, NULL = UTF-8 */
    const char *sheet;    /* --sheet, NULL = the first */
    enum out_format format;
    bool classify;
};

/* What stays the same across the files of one run. */
struct import_run {
    struct vm_ctx *ctx;
    const struct import_opts *opts;
    PGconn *conn;
    struct taxonomy *taxonomy;
    struct vm_outfile rejects_out; /* --rejects FILE, put in place when the run succeeds */
    FILE *rejects;                 /* its stream, or NULL without --rejects */
};

/* ---- SIGINT: cancel the server's work, let the loop roll back ---- */

static volatile sig_atomic_t interrupted;
static PGcancel *volatile cancel_handle;

static void on_sigint(int sig)
{
    char buf[256];
    (void)sig;
    interrupted = 1;
    if (cancel_handle)
        PQcancel(cancel_handle, buf, sizeof buf); /* async-signal-safe */
}

static void sigint_install(PGconn *conn, struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C kills outright */
    sigemptyset(&sa.sa_mask);
    cancel_handle = PQgetCancel(conn);
    sigaction(SIGINT, &sa, old);
}

static void sigint_restore(const struct sigaction *old)
{
    PGcancel *c = cancel_handle;
    sigaction(SIGINT, old, NULL);
    cancel_handle = NULL;
    PQfreeCancel(c);
}

/* ---- reading a file while hashing it ---- */

struct hashed_file {
    FILE *f;
    bool owned; /* fclose it (not stdin) */
    struct vm_sha256 sha;
    long long bytes;
};

static ssize_t hashed_read(void *cookie, char *buf, size_t size)
{
    struct hashed_file *h = cookie;
    size_t n = fread(buf, 1, size, h->f);
    if (n == 0 && ferror(h->f))
        return -1;
    vm_sha256_update(&h->sha, buf, n);
    h->bytes += (long long)n;
    return (ssize_t)n;
}

static int hashed_close(void *cookie)
{
    struct hashed_file *h = cookie;
    vm_sha256_discard(&h->sha); /* an import that failed never reached final */
    return h->owned ? fclose(h->f) : 0;
}

/* Opens path ("-" = stdin) as a stream that hashes what is read through it.
 * *size gets the file size, or -1 when unknown. */
static FILE *hashed_open(const char *path, struct hashed_file *h, long long *size,
                         struct vm_err *err)
{
    static const cookie_io_functions_t io = {.read = hashed_read, .close = hashed_close};
    struct stat st;

    memset(h, 0, sizeof *h);
    vm_sha256_init(&h->sha);
    h->owned = strcmp(path, "-") != 0;
    h->f = h->owned ? fopen(path, "rb") : stdin;
    if (!h->f) {
        vm_sha256_discard(&h->sha);
        vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot open: %s (check the path)", path,
                   strerror(errno));
        return NULL;
    }
    *size = (fstat(fileno(h->f), &st) == 0 && S_ISREG(st.st_mode)) ? (long long)st.st_size : -1;
    FILE *f = fopencookie(h, "r", io);
    if (!f) {
        hashed_close(h);
        vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot open a stream: %s", path, strerror(errno));
    }
    return f;
}

/* ---- header -> layout ---- */

/* columns.h and vendor.h number the canonical fields alike; the layout
 * passes one as the other. */
_Static_assert((int)COL_NFIELDS == (int)VF_COUNT, "col_field and vendor_field differ");
_Static_assert((int)COL_ID == (int)VF_ID && (int)COL_NAME == (int)VF_NAME &&
                   (int)COL_SERVICES == (int)VF_SERVICES &&
                   (int)COL_HOURLY_RATE == (int)VF_HOURLY_RATE &&
                   (int)COL_RATING == (int)VF_RATING && (int)COL_FOUNDED == (int)VF_FOUNDED &&
                   (int)COL_DATA_SECURITY == (int)VF_DATA_SECURITY,
               "col_field and vendor_field differ");

/* The header names the layout stores extra cells under: a recognised
 * column keeps its header, an extra one gets its unique name from map. */
static void layout_headers(const struct csv_record *hdr, const struct column_map *map,
                           struct strlist *out)
{
    for (size_t c = 0; c < hdr->nfields; c++)
        strlist_push(out, hdr->fields[c]);
    for (size_t i = 0; i < map->nextra; i++) {
        size_t c = map->extra[i];
        free(out->items[c]);
        out->items[c] = xstrdup(map->extra_names[i]);
    }
}

/* ---- one file ---- */

struct file_import {
    struct import_run *run;
    const char *path;    /* as given; "-" = stdin */
    const char *display; /* for messages: the path, or "stdin" */
    char source[256];
    struct hashed_file hf;
    FILE *f;
    long long size;
    struct vm_input *in;
    struct strlist headers;
    int *field;
    struct vendor_layout layout;
    struct vendor_record rec;
    struct sbuf evidence; /* the row's tag evidence (JSON), reused */
    struct import_db *db;
    struct strlist errors; /* the first MAX_LISTED_ERRORS, "file:line:col: reason" */
    long n_errors;
    long rows;
    struct progress progress;
};

/* The default source: the base name without its extension. */
static void default_source(const char *path, char *out, size_t outlen)
{
    if (strcmp(path, "-") == 0) {
        snprintf(out, outlen, "stdin");
        return;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    int n = (dot && dot != base) ? (int)(dot - base) : (int)strlen(base);
    snprintf(out, outlen, "%.*s", n, base);
}

static void write_reject_csv(FILE *out, const char *file, long line, long col, const char *reason,
                             const char *raw)
{
    char num[24];
    csv_write_cell(out, file, true);
    fputc(',', out);
    snprintf(num, sizeof num, "%ld", line);
    csv_write_cell(out, num, false);
    fputc(',', out);
    snprintf(num, sizeof num, "%ld", col);
    csv_write_cell(out, num, false);
    fputc(',', out);
    csv_write_cell(out, reason, true);
    fputc(',', out);
    csv_write_cell(out, raw ? raw : "", true);
    fputc('\n', out);
}

/* A bad row: listed (abort) or set aside (skip). In abort mode the first one
 * drops the transaction; parsing goes on only to report the next errors. */
static int bad_row(struct file_import *fi, long line, long col, const char *reason, const char *raw,
                   size_t raw_len, struct vm_err *err)
{
    if (fi->n_errors++ < MAX_LISTED_ERRORS)
        strlist_push_owned(&fi->errors,
                           xasprintf("%s:%ld:%ld: %s", fi->display, line, col, reason));
    if (!fi->run->opts->skip_bad) {
        import_db_free(fi->db);
        fi->db = NULL;
        return 0;
    }
    if (fi->run->rejects)
        write_reject_csv(fi->run->rejects, fi->display, line, col, reason, raw);
    return import_db_reject(fi->db, line, col, reason, raw, raw_len, err);
}

static int store_row(struct file_import *fi, struct vm_err *err)
{
    struct import_tags tags = {.process_type = "UNCLASSIFIED"};
    struct taxonomy *tax = fi->run->taxonomy;
    if (!tax)
        return import_db_add(fi->db, &fi->rec, &tags, err);

    const struct vendor_record *r = &fi->rec;
    struct classify_input in = {
        .services = (const char *const *)r->service_phrases.items,
        .n_services = r->service_phrases.len,
        .description = r->raw[VF_DESCRIPTION],
        .expertise = r->raw[VF_EXPERTISE],
        .data_security = r->raw[VF_DATA_SECURITY],
    };
    struct classification c;
    classify(tax, &in, &c);
    sbuf_reset(&fi->evidence);
    classification_evidence_compact(&c, &r->service_phrases, &fi->evidence);
    tags.process_type = c.process_type;
    tags.confidence = c.confidence;
    tags.categories = c.categories;
    tags.n_categories = c.n_categories;
    tags.unknown = &c.unknown;
    tags.evidence = fi->evidence.data;
    int rc = import_db_add(fi->db, r, &tags, err);
    classification_free(&c);
    return rc;
}

static int handle_record(struct file_import *fi, const struct csv_record *rec, struct vm_err *err)
{
    size_t bad_col = 0;
    const char *reason = NULL;
    if (vendor_from_row(&fi->layout, rec->fields, &fi->rec, &bad_col, &reason) != 0) {
        long col = bad_col < rec->nfields ? rec->field_col[bad_col] : 1;
        return bad_row(fi, rec->line, col, reason, rec->raw, rec->raw_len, err);
    }
    return fi->db ? store_row(fi, err) : 0;
}

static int open_file(struct file_import *fi, struct vm_err *err)
{
    const struct import_opts *o = fi->run->opts;
    struct input_options iopt = {
        .delimiter = o->delimiter, .encoding = o->encoding, .sheet = o->sheet};

    if (!(fi->f = hashed_open(fi->path, &fi->hf, &fi->size, err)))
        return err->code;
    if (!(fi->in = input_open(fi->f, fi->display, &iopt, err)))
        return err->code ? err->code : VM_EXIT_DATAERR;
    fi->display = input_name(fi->in); /* "FILE[SHEET]" for a workbook */
    const struct csv_record *hdr = input_header(fi->in);
    struct column_map map;
    int rc = columns_map((const char *const *)hdr->fields, hdr->nfields,
                         (const char *const *)o->maps.items, o->maps.len, fi->display, &map, err);
    if (rc)
        return rc;
    fi->field = xcalloc(hdr->nfields ? hdr->nfields : 1, sizeof *fi->field);
    for (size_t c = 0; c < hdr->nfields; c++)
        fi->field[c] = map.col_field[c] >= 0 ? map.col_field[c] : VF_EXTRA;
    layout_headers(hdr, &map, &fi->headers);
    column_map_free(&map);
    fi->layout.ncols = hdr->nfields;
    fi->layout.field = fi->field;
    fi->layout.headers = (const char *const *)fi->headers.items;
    struct import_db_opts dbo = {.source_name = fi->source,
                                 .file_name = fi->display,
                                 .skip_bad = o->skip_bad,
                                 .size_hint = fi->size};
    return import_db_begin(fi->run->conn, &dbo, &fi->db, err);
}

/* Reads every record; stops early only on a fatal error or an interrupt. */
static int read_records(struct file_import *fi, struct vm_err *err)
{
    struct csv_record rec;
    int rc = 0;
    while (rc == 0) {
        if (interrupted)
            return VM_EXIT_INTERRUPTED;
        int r = input_next(fi->in, &rec, err);
        if (r == 0)
            break;
        if (r == -2 && err->code == VM_EXIT_DATAERR) { /* a record past the size bound */
            size_t len = strlen(err->msg);
            snprintf(err->msg + len, sizeof err->msg - len,
                     "; nothing was imported from this file");
        }
        if (r == -2)
            return err->code ? err->code : VM_EXIT_FAILURE;
        fi->rows++;
        if (r == -1)
            rc = bad_row(fi, rec.err_line, rec.err_col, rec.err_reason, rec.raw, rec.raw_len, err);
        else if (rec.nfields != fi->layout.ncols)
            rc = bad_row(fi, rec.line, 1, "wrong number of fields", rec.raw, rec.raw_len, err);
        else
            rc = handle_record(fi, &rec, err);
        progress_update(&fi->progress, fi->hf.bytes, fi->rows);
    }
    vm_err_clear(err);
    return rc;
}

/* The abort-mode verdict: the first errors on stderr, the count in err. */
static int report_bad_rows(struct file_import *fi, struct vm_err *err)
{
    for (size_t i = 0; i < fi->errors.len; i++)
        output_printf(stderr, "%s\n", fi->errors.items[i]);
    if (fi->n_errors > MAX_LISTED_ERRORS)
        fprintf(stderr, "and %ld more\n", fi->n_errors - MAX_LISTED_ERRORS);
    return vm_err_set(err, VM_EXIT_DATAERR,
                      "%s: %ld bad row%s; nothing was imported from this file (fix the rows, or"
                      " use --on-error skip to import the good rows)",
                      fi->display, fi->n_errors, fi->n_errors == 1 ? "" : "s");
}

static int finish_file(struct file_import *fi, struct import_counts *counts, struct vm_err *err)
{
    unsigned char digest[VM_SHA256_DIGEST_LEN];
    char hex[VM_SHA256_HEX_LEN + 1];

    if (fi->n_errors && !fi->run->opts->skip_bad)
        return report_bad_rows(fi, err);
    /* Drain what the reader left unread (nothing, normally) so the hash is
     * of the whole file. */
    char sink[4096];
    while (fread(sink, 1, sizeof sink, fi->f) > 0)
        ;
    vm_sha256_final(&fi->hf.sha, digest);
    vm_sha256_to_hex(digest, hex);
    progress_phase(&fi->progress, "merging into the catalog...");
    int rc = import_db_commit(fi->db, hex, fi->hf.bytes, fi->rows, counts, err);
    if (rc == 0 && fi->rows == 0 && !fi->run->ctx->quiet)
        output_printf(stderr,
                      "vendormatch: warning: %s: no data rows (header only); nothing imported\n",
                      fi->display);
    return rc;
}

static void close_file(struct file_import *fi)
{
    progress_finish(&fi->progress);
    import_db_free(fi->db);
    vendor_record_free(&fi->rec);
    sbuf_free(&fi->evidence);
    input_close(fi->in);
    if (fi->f)
        fclose(fi->f);
    free(fi->field);
    strlist_free(&fi->headers);
    strlist_free(&fi->errors);
}

static int import_file(struct import_run *run, const char *path, struct import_counts *counts,
                       double *seconds, struct vm_err *err)
{
    struct file_import fi;
    double t0 = progress_now();

    memset(&fi, 0, sizeof fi);
    fi.run = run;
    fi.path = path;
    fi.display = strcmp(path, "-") == 0 ? "stdin" : path;
    vendor_record_init(&fi.rec);
    sbuf_init(&fi.evidence);
    if (run->opts->source)
        snprintf(fi.source, sizeof fi.source, "%s", run->opts->source);
    else
        default_source(path, fi.source, sizeof fi.source);
    int rc = open_file(&fi, err);
    progress_init(&fi.progress, stderr, !run->ctx->quiet, fi.display, fi.size);
    if (rc == 0)
        rc = read_records(&fi, err);
    if (rc == 0)
        rc = finish_file(&fi, counts, err);
    if (interrupted && rc != 0)
        rc = vm_err_set(err, VM_EXIT_INTERRUPTED,
                        "%s: interrupted; nothing from this file was committed", fi.display);
    close_file(&fi);
    *seconds = progress_now() - t0;
    return rc;
}

/* ---- summaries ---- */

static json_t *summary_json(const char *file, const char *source, const struct import_counts *n,
                            double seconds)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "file", file, "source",
                     source, "rows", (json_int_t)n->rows, "inserted", (json_int_t)n->inserted,
                     "updated", (json_int_t)n->updated, "unchanged", (json_int_t)n->unchanged,
                     "merged", (json_int_t)n->merged, "rejected", (json_int_t)n->rejected,
                     "batch_id", (json_int_t)n->batch_id, "seconds",
                     (double)(long long)(seconds * 1000 + 0.5) / 1000);
}

static void summary_table(const char *file, const char *source, const struct import_counts *n,
                          double seconds)
{
    char *safe_file = output_terminal_safe(file), *safe_source = output_terminal_safe(source);
    printf("%s: source \"%s\", batch %lld, %.2f s\n", safe_file, safe_source, n->batch_id, seconds);
    printf("  rows: %ld\n  inserted: %ld\n  updated: %ld\n  unchanged: %ld\n", n->rows, n->inserted,
           n->updated, n->unchanged);
    if (n->merged)
        printf("  merged: %ld (rows naming a vendor a later row also names)\n", n->merged);
    printf("  rejected: %ld\n", n->rejected);
    free(safe_file);
    free(safe_source);
}

/* ---- the command ---- */

static int parse_import_opts(int argc, char **argv, struct import_opts *o, struct vm_err *err)
{
    static const struct option opts[] = {
        {"source", required_argument, NULL, 's'},  {"delimiter", required_argument, NULL, 'd'},
        {"map", required_argument, NULL, 'm'},     {"on-error", required_argument, NULL, 'e'},
        {"rejects", required_argument, NULL, 'r'}, {"format", required_argument, NULL, 'f'},
        {"no-classify", no_argument, NULL, 'n'},   {"encoding", required_argument, NULL, 'E'},
        {"sheet", required_argument, NULL, 'S'},   {NULL, 0, NULL, 0},
    };
    const struct cmd_entry *cmd = &cmd_import_entry;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (!*optarg)
                return cmd_usage_error(cmd, err, "--source needs a non-empty name");
            o->source = optarg;
            break;
        case 'd':
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                o->delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(",;|\t", optarg[0]))
                o->delimiter = optarg[0];
            else
                return cmd_usage_error(cmd, err, "--delimiter must be ',', ';', '|' or 'tab'");
            break;
        case 'm': {
            const char *eq = strchr(optarg, '=');
            char name[64];
            snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - optarg) : 0, optarg);
            if (!eq || col_field_by_name(name) < 0)
                return cmd_usage_error(cmd, err,
                                       "--map '%s': expected FIELD=HEADER with a canonical field"
                                       " (name, website, country, services, ...)",
                                       optarg);
            strlist_push(&o->maps, optarg);
            break;
        }
        case 'e':
            if (strcmp(optarg, "abort") && strcmp(optarg, "skip"))
                return cmd_usage_error(cmd, err, "--on-error must be abort or skip");
            o->skip_bad = strcmp(optarg, "skip") == 0;
            break;
        case 'r':
            o->rejects_path = optarg;
            break;
        case 'f':
            if (parse_out_format(optarg, &o->format, err) || o->format == OUT_CSV)
                return cmd_usage_error(cmd, err, "--format must be table or json");
            break;
        case 'n':
            o->classify = false;
            break;
        case 'E':
            if (input_check_encoding(optarg, err))
                return err->code;
            o->encoding = optarg;
            break;
        case 'S':
            if (!*optarg)
                return cmd_usage_error(cmd, err, "--sheet needs a sheet name");
            o->sheet = optarg;
            break;
        default:
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cmd_usage_error(cmd, err, "no catalog file given");
    return 0;
}

/* The catalog files are the inputs --rejects must not overwrite: checked
 * before any of them is read. */
static int run_setup(struct import_run *run, char *const *files, int n_files, struct vm_err *err)
{
    const struct import_opts *o = run->opts;
    if (o->rejects_path) {
        int rc = vm_outfile_open(&run->rejects_out, "--rejects", o->rejects_path,
                                 (const char *const *)files, (size_t)n_files, err);
        if (rc)
            return rc;
        run->rejects = run->rejects_out.f;
        fputs("file,line,column,reason,raw\n", run->rejects);
    }
    int rc = vm_open_catalog(run->ctx, &run->conn, err);
#ifdef HAVE_TAXONOMY_DB
    if (rc == 0 && o->classify)
        rc = taxonomy_db_load(run->conn, &run->taxonomy, err);
#endif
    return rc;
}

/* The rejects file appears (or replaces the old one) only when every file
 * imported; otherwise what was there stays. */
static void run_teardown(struct import_run *run, int *rc, struct vm_err *err)
{
    if (run->rejects && *rc == 0)
        *rc = vm_outfile_commit(&run->rejects_out, err);
    else
        vm_outfile_discard(&run->rejects_out);
    if (run->taxonomy)
        taxonomy_free(run->taxonomy);
    PQfinish(run->conn);
}

static int cmd_import(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    struct import_opts o = {.classify = true, .format = OUT_TABLE};
    struct import_run run = {.ctx = ctx, .opts = &o};
    json_t *summaries = json_array();
    struct sigaction old_sigint;
    int rc;

    strlist_init(&o.maps);
    if ((rc = parse_import_opts(argc, argv, &o, err)) != 0)
        goto done;
    int first = optind;
    if ((rc = run_setup(&run, argv + first, argc - first, err)) != 0)
        goto done;
    sigint_install(run.conn, &old_sigint);
    for (int i = first; i < argc && rc == 0; i++) {
        struct import_counts n;
        double secs;
        if ((rc = import_file(&run, argv[i], &n, &secs, err)) != 0)
            break;
        const char *file = strcmp(argv[i], "-") == 0 ? "stdin" : argv[i];
        const char *src = o.source;
        char defsrc[256];
        if (!src) {
            default_source(argv[i], defsrc, sizeof defsrc);
            src = defsrc;
        }
        if (o.format == OUT_JSON)
            json_array_append_new(summaries, summary_json(file, src, &n, secs));
        else
            summary_table(file, src, &n, secs);
    }
    sigint_restore(&old_sigint);
    if (o.format == OUT_JSON && json_array_size(summaries) > 0)
        json_print(stdout, argc - first == 1 ? json_array_get(summaries, 0) : summaries);
done:
    run_teardown(&run, &rc, err);
    json_decref(summaries);
    strlist_free(&o.maps);
    return rc;
}

const struct cmd_entry cmd_import_entry = {
    .name = "import",
    .summary = "load vendor catalogs (CSV) into the catalog",
    .usage = import_usage,
    .exec = cmd_import,
};
