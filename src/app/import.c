/*
 * import (workflow): see import.h. The file is read once: a stdio cookie
 * hashes the bytes as the reader pulls them. A bad row either aborts the
 * file (the default: keep parsing to report the first errors, commit
 * nothing) or is set aside (--on-error skip). The columns' fields and the
 * classification reach import_db as the types core made them; nothing is
 * translated here.
 */
#define _GNU_SOURCE /* fopencookie */
#include "app/import.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/catalog.h"
#include "app/classify.h"
#include "core/classify.h"
#include "core/columns.h"
#include "core/normalize.h"
#include "core/sha256.h"
#include "core/vendor.h"
#include "db/pgutil.h"
#include "db/sources_db.h"
#include "db/taxonomy_db.h"
#include "db/vendor_cols.h"
#include "io/infile.h"
#include "io/input.h"
#include "io/outfile.h"
#include "io/output.h"
#include "io/progress.h"

#define MAX_LISTED_ERRORS 10

/* What stays the same across the files of one run. */
struct import_run {
    const struct app_import_opts *opts;
    PGconn *conn;
    struct taxonomy *taxonomy;
    struct vm_outfile rejects_out; /* --rejects FILE, put in place when the run succeeds */
    FILE *rejects;                 /* its stream, or NULL without --rejects */
};

/* ---- SIGINT: cancel the server's work, let the loop roll back ---- */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    pgu_cancel_request();
}

static void sigint_install(PGconn *conn, struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C kills outright */
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    pgu_cancel_arm(conn);
    sigaction(SIGINT, &sa, old);
}

static void sigint_restore(const struct sigaction *old)
{
    sigaction(SIGINT, old, NULL);
    pgu_cancel_disarm();
}

/* ---- reading a file while hashing it ---- */

struct hashed_file {
    FILE *f; /* vm_infile_open's: standard input for "-" */
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
    vm_infile_close(h->f);
    return 0;
}

/* Opens path ("-" = stdin) as a stream that hashes what is read through it.
 * *size gets the file size, or -1 when unknown. */
static FILE *hashed_open(const char *path, struct hashed_file *h, long long *size,
                         struct vm_err *err)
{
    static const cookie_io_functions_t io = {.read = hashed_read, .close = hashed_close};
    struct stat st;

    memset(h, 0, sizeof *h);
    if (!(h->f = vm_infile_open(path, err)))
        return NULL;
    vm_sha256_init(&h->sha);
    *size = (fstat(fileno(h->f), &st) == 0 && S_ISREG(st.st_mode)) ? (long long)st.st_size : -1;
    FILE *f = fopencookie(h, "r", io);
    if (!f) {
        hashed_close(h);
        vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot open a stream: %s", path, strerror(errno));
    }
    return f;
}

/* ---- header -> layout ---- */

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
    struct column_map map; /* its col_field is the layout's field */
    struct app_rate_origin rate;
    struct strlist headers;
    struct strlist header; /* the header row as read, remembered for the source */
    bool has_memory;       /* the source was imported before: what it remembers */
    struct strlist old_maps, old_header;
    char old_delimiter;
    struct strlist given_maps; /* a view of the run's --map items (not owned) */
    struct vendor_layout layout;
    struct vendor_record rec;
    struct sbuf evidence; /* the row's tag evidence (compact text), reused */
    struct import_db *db;
    struct strlist errors; /* the first MAX_LISTED_ERRORS, "file:line:col: reason" */
    long n_errors;
    long rows;
    struct progress progress;
    struct app_import_understood *understood; /* the file's, filled as it is read */
};

/* The default source: the base name without its extension, as UTF-8 text
 * (name is vm_infile_text's), cut on a character boundary. */
static void default_source(const char *name, char *out, size_t outlen)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    int n = (dot && dot != base) ? (int)(dot - base) : (int)strlen(base);
    snprintf(out, outlen, "%.*s", n, base);
    size_t bad;
    if (!norm_utf8_valid(out, strlen(out), &bad))
        out[bad] = '\0'; /* a character the size limit cut in two */
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

/* The header as understood: recognised columns in file order, then extras. */
static void understood_columns(struct app_import_understood *u, const struct csv_record *hdr,
                               const struct column_map *map)
{
    u->columns = xcalloc(VF_COUNT, sizeof *u->columns);
    for (size_t c = 0; c < hdr->nfields; c++)
        for (int f = 0; f < VF_COUNT; f++)
            if (map->field_col[f] == (int)c)
                u->columns[u->ncolumns++] =
                    (struct app_import_column){.header = xstrdup(hdr->fields[c]),
                                               .field = (enum vendor_field)f,
                                               .from_map = map->from_map[f]};
    for (size_t i = 0; i < map->nextra; i++)
        strlist_push(&u->extra, map->extra_names[i]);
}

/* A good row's values that could not be normalised, per field. */
static void understood_row(struct app_import_understood *u, const struct vendor_record *r)
{
    u->vendors++;
    for (int f = 0; f < VF_COUNT; f++) {
        if (!r->unread[f])
            continue;
        if (u->unread[f]++ == 0)
            u->unread_example[f] = xstrdup(r->raw[f] ? r->raw[f] : "");
    }
}

static void understood_free(struct app_import_understood *u)
{
    for (size_t i = 0; i < u->ncolumns; i++)
        free(u->columns[i].header);
    free(u->columns);
    strlist_free(&u->extra);
    for (int f = 0; f < VF_COUNT; f++)
        free(u->unread_example[f]);
    header_diff_free(&u->header_change);
    memset(u, 0, sizeof *u);
}

static int store_row(struct file_import *fi, struct vm_err *err)
{
    struct taxonomy *tax = fi->run->taxonomy;
    if (!tax)
        return import_db_add(fi->db, &fi->rec, NULL, NULL, err);

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
    if (strcmp(c.process_type, "UNCLASSIFIED") == 0)
        fi->understood->unclassified++;
    sbuf_reset(&fi->evidence);
    classification_evidence_compact(&c, &r->service_phrases, &fi->evidence);
    int rc = import_db_add(fi->db, r, &c, fi->evidence.data, err);
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
    understood_row(fi->understood, &fi->rec);
    return fi->db ? store_row(fi, err) : 0;
}

/* " (its remembered options: --map name=Firm --delimiter ';')", or "". */
static char *remembered_options(const struct file_import *fi)
{
    struct sbuf b;
    sbuf_init(&b);
    for (size_t i = 0; i < fi->old_maps.len; i++) {
        char *m = output_terminal_safe(fi->old_maps.items[i]);
        sbuf_printf(&b, " --map %s", m);
        free(m);
    }
    if (fi->old_delimiter)
        sbuf_printf(&b, fi->old_delimiter == '\t' ? " --delimiter tab" : " --delimiter '%c'",
                    fi->old_delimiter);
    char *text = b.len ? xasprintf(" (its remembered options:%s)", b.data) : xstrdup("");
    sbuf_free(&b);
    return text;
}

/*
 * The source's remembered mapping (docs/import.md, "Many sources"): a file
 * whose header differs from the one of the source's last import stops,
 * before anything is written, unless --remap accepts the new header. The
 * difference goes into what was understood of the file either way.
 */
static int check_remembered(struct file_import *fi, const struct strlist *maps, struct vm_err *err)
{
    struct header_diff *d = &fi->understood->header_change;
    if (!fi->has_memory)
        return 0;
    columns_header_diff((const char *const *)fi->old_header.items, fi->old_header.len,
                        (const char *const *)fi->header.items, fi->header.len,
                        (const char *const *)maps->items, maps->len, d);
    if (header_diff_empty(d) || fi->run->opts->remap)
        return 0;
    char *what = app_header_diff_text(d), *opts = remembered_options(fi);
    char *source = output_terminal_safe(fi->source);
    int rc = vm_err_set(err, VM_EXIT_DATAERR,
                        "%s: the columns differ from those of source \"%s\"'s last import (%s);"
                        " nothing was imported. If the file changed on purpose, re-run with"
                        " --remap: it reads the file with the --map and --delimiter given (none:"
                        " the header's own names) and remembers them%s.%s",
                        fi->display, source, what, opts,
                        fi->run->opts->source ? ""
                                              : " If it is another catalog, give it a source"
                                                " of its own: --source NAME");
    free(what);
    free(opts);
    free(source);
    return rc;
}

/* A rate cell that names no currency is in the header's, else --currency's,
 * else USD. */
static void rate_origin_of(const struct column_map *map, const struct csv_record *hdr,
                           const struct app_import_opts *o, struct app_rate_origin *r)
{
    int c = map->field_col[VF_HOURLY_RATE];
    r->has_rate_column = c >= 0;
    r->from = map->rate_currency[0] ? "header" : o->currency[0] ? "--currency" : "default";
    snprintf(r->currency, sizeof r->currency, "%s",
             map->rate_currency[0] ? map->rate_currency
             : o->currency[0]      ? o->currency
                                   : "USD");
    if (c >= 0 && map->rate_currency[0])
        snprintf(r->header, sizeof r->header, "%s", hdr->fields[c]);
}

static int open_file(struct file_import *fi, struct vm_err *err)
{
    const struct app_import_opts *o = fi->run->opts;
    int rc = sources_db_remembered(fi->run->conn, fi->source, &fi->has_memory, &fi->old_maps,
                                   &fi->old_header, &fi->old_delimiter, err);
    if (rc)
        return rc;
    bool reuse = fi->has_memory && o->n_maps == 0 && o->delimiter == 0 && !o->remap;
    fi->given_maps = (struct strlist){.items = (char **)o->maps, .len = o->n_maps};
    const struct strlist *maps = reuse ? &fi->old_maps : &fi->given_maps;
    struct input_options iopt = {.delimiter = reuse ? fi->old_delimiter : o->delimiter,
                                 .encoding = o->encoding,
                                 .sheet = o->sheet};

    if (!(fi->f = hashed_open(fi->path, &fi->hf, &fi->size, err)))
        return err->code;
    if (!(fi->in = input_open(fi->f, fi->display, &iopt, err)))
        return err->code ? err->code : VM_EXIT_DATAERR;
    fi->display = input_name(fi->in); /* "FILE[SHEET]" for a workbook */
    const struct csv_record *hdr = input_header(fi->in);
    for (size_t c = 0; c < hdr->nfields; c++)
        strlist_push(&fi->header, hdr->fields[c]);
    if ((rc = check_remembered(fi, maps, err)) != 0)
        return rc;
    rc = columns_map((const char *const *)hdr->fields, hdr->nfields,
                     (const char *const *)maps->items, maps->len, fi->display, hdr->line, &fi->map,
                     err);
    if (rc)
        return rc;
    understood_columns(fi->understood, hdr, &fi->map);
    layout_headers(hdr, &fi->map, &fi->headers);
    rate_origin_of(&fi->map, hdr, o, &fi->rate);
    fi->layout.ncols = hdr->nfields;
    fi->layout.field = fi->map.col_field;
    fi->layout.headers = (const char *const *)fi->headers.items;
    fi->layout.rate_currency = fi->rate.currency;
    struct import_db_opts dbo = {.source_name = fi->source,
                                 .file_name = fi->display,
                                 .skip_bad = o->skip_bad,
                                 .size_hint = fi->size,
                                 .maps = maps,
                                 .header = &fi->header,
                                 .delimiter = iopt.delimiter,
                                 .full = o->full,
                                 .dry_run = o->dry_run};
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

/* The vendors the merge listed (VCOLS_RETAG_TABLE) get their tags from
 * their merged values; nothing to do without a taxonomy (--no-classify). */
static int retag_merged(PGconn *conn, struct taxonomy *tax, struct vm_err *err)
{
    struct retag_stats st;
    return tax ? app_retag_listed(conn, tax, VCOLS_RETAG_IDS, &st, err) : 0;
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
    int rc = import_db_merge(fi->db, hex, fi->hf.bytes, fi->rows, counts, err);
    if (rc == 0)
        rc = retag_merged(fi->run->conn, fi->run->taxonomy, err);
    if (rc == 0)
        rc = import_db_commit(fi->db, err);
    if (rc == 0 && fi->rows == 0 && !fi->run->opts->quiet)
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
    column_map_free(&fi->map);
    strlist_free(&fi->headers);
    strlist_free(&fi->header);
    strlist_free(&fi->old_maps);
    strlist_free(&fi->old_header);
    strlist_free(&fi->errors);
}

/* One file, one transaction, under done->source; its outcome in *done. */
static int import_file(struct import_run *run, const char *path, struct app_import_file *done,
                       struct vm_err *err)
{
    struct file_import fi;
    double t0 = progress_now();

    memset(&fi, 0, sizeof fi);
    fi.run = run;
    fi.path = path;
    fi.display = done->file; /* vm_infile_text: the name the batch records */
    fi.understood = &done->understood;
    done->understood.classified = run->taxonomy != NULL;
    vendor_record_init(&fi.rec);
    sbuf_init(&fi.evidence);
    snprintf(fi.source, sizeof fi.source, "%s", done->source);
    int rc = open_file(&fi, err);
    progress_init(&fi.progress, stderr, !run->opts->quiet, fi.display, fi.size);
    if (rc == 0)
        rc = read_records(&fi, err);
    if (rc == 0)
        rc = finish_file(&fi, &done->counts, err);
    if (interrupted && rc != 0)
        rc = vm_err_set(err, VM_EXIT_INTERRUPTED,
                        "%s: interrupted; nothing from this file was committed", fi.display);
    done->rate = fi.rate;
    close_file(&fi);
    done->seconds = progress_now() - t0;
    return rc;
}

/* ---- the run ---- */

/* The catalog files are the inputs --rejects must not overwrite: checked
 * before any of them is read, and before connecting. */
static int run_setup(struct import_run *run, const struct vm_db_options *db,
                     const char *const *files, size_t n_files, struct vm_err *err)
{
    const struct app_import_opts *o = run->opts;
    if (o->rejects_path && o->dry_run)
        return vm_err_set(err, VM_EXIT_USAGE,
                          "--rejects: a dry run writes nothing, no rejects file either (the"
                          " summary counts the rejected rows; drop --rejects or --dry-run)");
    if (o->rejects_path) {
        int rc =
            vm_outfile_open(&run->rejects_out, "--rejects", o->rejects_path, files, n_files, err);
        if (rc)
            return rc;
        run->rejects = run->rejects_out.f;
        fputs("file,line,column,reason,raw\n", run->rejects);
    }
    int rc = app_catalog_open(db, &run->conn, err);
    if (rc == 0 && o->classify)
        rc = taxonomy_db_load(run->conn, &run->taxonomy, err);
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
    vm_conn_close(run->conn);
}

int app_import(const struct vm_db_options *db, const struct app_import_opts *o,
               const char *const *files, size_t n_files, app_import_done_fn done, void *arg,
               struct vm_err *err)
{
    struct import_run run = {.opts = o};
    struct sigaction old_sigint;
    int rc = run_setup(&run, db, files, n_files, err);

    if (rc == 0) {
        sigint_install(run.conn, &old_sigint);
        for (size_t i = 0; i < n_files && rc == 0; i++) {
            char source[256];
            char *file = vm_infile_text(files[i]); /* stored and shown: UTF-8 */
            default_source(file, source, sizeof source);
            struct app_import_file f = {
                .file = file, .source = o->source ? o->source : source, .dry_run = o->dry_run};
            rc = import_file(&run, files[i], &f, err);
            if (rc == 0 && done)
                done(&f, arg);
            understood_free(&f.understood);
            free(file);
        }
        sigint_restore(&old_sigint);
    }
    run_teardown(&run, &rc, err);
    return rc;
}
