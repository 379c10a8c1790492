/*
 * xlsx_reader: one sheet of an .xlsx workbook as records (see xlsx_reader.h).
 *
 * Each XML part is parsed by expat with namespace processing, so element
 * names are matched by their local name whatever prefix a writer chose. The
 * small parts (relationships, workbook, styles) and the shared strings are
 * parsed whole at open; the sheet is parsed one buffer at a time and the
 * parser suspends at each </row>, so a call to xlsx_reader_next holds one row.
 */
#include "io/xlsx_reader.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

#define XLSX_CHUNK (64 << 10)
#define XLSX_MAX_COLS 16384   /* column XFD, Excel's last */
#define XLSX_MAX_ROWS 1048576 /* Excel's last row */

struct rel {
    char *id, *type, *target;
};

struct sheet_ref {
    char *name, *rid;
};

/* One XML part of the zip being parsed. */
struct xml_part {
    const char *path;
    zip_file_t *zf;
    XML_Parser p;
    bool final, suspended, done;
};

struct cell {
    long col;
    size_t off, len; /* in vals */
};

struct xlsx_reader {
    char *file; /* the file's display name */
    char *name; /* FILE[SHEET] */
    zip_t *zip;
    struct vm_err fatal; /* set by a callback that stops the parser */
    XML_Parser cur;      /* the parser running now, for callbacks */

    struct rel *rels;
    size_t nrels;
    struct sheet_ref *sheets;
    size_t nsheets;
    bool date1904;

    /* styles: which cell formats show dates */
    long *date_fmts; /* custom number formats whose code is a date */
    size_t ndate_fmts;
    bool *xf_date; /* per cellXfs entry */
    size_t nxf;
    bool in_numfmts, in_cellxfs;

    /* character data being collected (a <v> or a <t>) */
    struct sbuf text;
    bool collecting, text_over;
    int in_rph; /* phonetic runs are not part of the text */

    /* shared strings, in temporary files: the text and an index of offsets */
    FILE *ss_data, *ss_index;
    uint64_t ss_count, ss_off;
    struct sbuf sval;

    /* the sheet, one row at a time */
    struct xml_part sheet;
    char *sheet_path;
    long row_num, cur_col, cell_style;
    char cell_type[16];
    bool in_cell, in_is, row_ready, row_over;
    struct cell *cells;
    size_t ncells, cells_cap;
    struct sbuf vals;
    char row_err[200];
    long row_err_col;

    /* records handed out */
    size_t header_n;
    struct csv_record header;
    char *header_store;
    const char **ptrs;
    size_t *lens;
    long *lines, *cols;
    size_t out_cap;
    struct sbuf raw;
    long nrecords;
};

/* ---- expat helpers ---- */

static const char *local_name(const char *n)
{
    const char *bar = strrchr(n, '|');
    return bar ? bar + 1 : n;
}

static const char *attr(const char **atts, const char *name)
{
    for (; *atts; atts += 2)
        if (strcmp(local_name(atts[0]), name) == 0)
            return atts[1];
    return NULL;
}

static void stop_fatal(struct xlsx_reader *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void stop_fatal(struct xlsx_reader *x, const char *fmt, ...)
{
    if (!x->fatal.code) {
        char why[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, sizeof why, fmt, ap);
        va_end(ap);
        vm_err_set(&x->fatal, VM_EXIT_DATAERR, "%s: %s", x->name ? x->name : x->file, why);
    }
    XML_StopParser(x->cur, XML_FALSE);
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx_reader *x = ud;
    if (!x->collecting || x->in_rph || x->text_over)
        return;
    if (x->text.len + (size_t)len > CSV_DEFAULT_MAX_FIELD) {
        x->text_over = true;
        return;
    }
    sbuf_append(&x->text, s, (size_t)len);
}

static void collect(struct xlsx_reader *x)
{
    sbuf_reset(&x->text);
    x->collecting = true;
    x->text_over = false;
}

static int part_open(struct xlsx_reader *x, struct xml_part *pt, const char *path,
                     XML_StartElementHandler start, XML_EndElementHandler end, struct vm_err *err)
{
    memset(pt, 0, sizeof *pt);
    pt->path = path;
    if (!(pt->zf = zip_fopen(x->zip, path, 0)))
        return vm_err_set(err, VM_EXIT_DATAERR, "%s: not a readable .xlsx workbook: %s: %s",
                          x->file, path, zip_error_strerror(zip_get_error(x->zip)));
    pt->p = XML_ParserCreateNS(NULL, '|');
    XML_SetUserData(pt->p, x);
    XML_SetElementHandler(pt->p, start, end);
    XML_SetCharacterDataHandler(pt->p, on_text);
    return 0;
}

static void part_close(struct xml_part *pt)
{
    if (pt->p)
        XML_ParserFree(pt->p);
    if (pt->zf)
        zip_fclose(pt->zf);
    memset(pt, 0, sizeof *pt);
}

/* Parses the next buffer (or resumes): 1 progress, 0 done, -1 error. */
static int part_step(struct xlsx_reader *x, struct xml_part *pt, struct vm_err *err)
{
    enum XML_Status st;
    if (pt->done)
        return 0;
    x->cur = pt->p;
    if (pt->suspended) {
        st = XML_ResumeParser(pt->p);
    } else {
        void *buf = XML_GetBuffer(pt->p, XLSX_CHUNK);
        if (!buf) {
            vm_err_set(err, VM_EXIT_FAILURE, "%s: out of memory parsing %s", x->file, pt->path);
            return -1;
        }
        zip_int64_t n = zip_fread(pt->zf, buf, XLSX_CHUNK);
        if (n < 0) {
            vm_err_set(err, VM_EXIT_DATAERR, "%s: corrupt workbook: %s: %s", x->file, pt->path,
                       zip_error_strerror(zip_file_get_error(pt->zf)));
            return -1;
        }
        pt->final = n == 0;
        st = XML_ParseBuffer(pt->p, (int)n, pt->final);
    }
    if (st == XML_STATUS_ERROR) {
        if (x->fatal.code)
            *err = x->fatal;
        else
            vm_err_set(err, VM_EXIT_DATAERR, "%s: %s:%lu:%lu: bad XML: %s", x->file, pt->path,
                       (unsigned long)XML_GetCurrentLineNumber(pt->p),
                       (unsigned long)XML_GetCurrentColumnNumber(pt->p) + 1,
                       XML_ErrorString(XML_GetErrorCode(pt->p)));
        return -1;
    }
    pt->suspended = st == XML_STATUS_SUSPENDED;
    pt->done = !pt->suspended && pt->final;
    return 1;
}

/* Parses a whole part; a missing optional part is no error. */
static int part_run(struct xlsx_reader *x, const char *path, bool optional,
                    XML_StartElementHandler start, XML_EndElementHandler end, struct vm_err *err)
{
    struct xml_part pt;
    if (optional && zip_name_locate(x->zip, path, 0) < 0)
        return 0;
    int rc = part_open(x, &pt, path, start, end, err);
    while (rc == 0 && (rc = part_step(x, &pt, err)) == 1)
        rc = 0;
    part_close(&pt);
    return rc < 0 ? err->code : 0;
}

/* ---- relationships and workbook ---- */

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx_reader *x = ud;
    if (strcmp(local_name(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    if (!id || !type || !target)
        return;
    x->rels = xrealloc(x->rels, (x->nrels + 1) * sizeof *x->rels);
    x->rels[x->nrels++] = (struct rel){xstrdup(id), xstrdup(type), xstrdup(target)};
}

static void workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx_reader *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(n, "sheet") == 0) {
        const char *sname = attr(atts, "name"), *rid = attr(atts, "id");
        if (!sname || !rid)
            return;
        x->sheets = xrealloc(x->sheets, (x->nsheets + 1) * sizeof *x->sheets);
        x->sheets[x->nsheets++] = (struct sheet_ref){xstrdup(sname), xstrdup(rid)};
    }
}

static void ignore_end(void *ud, const XML_Char *name)
{
}

/* The zip path of a relationship's target (relative to xl/, or absolute). */
static char *rel_path(const struct rel *r)
{
    return r->target[0] == '/' ? xstrdup(r->target + 1) : xasprintf("xl/%s", r->target);
}

static const struct rel *rel_by_type(const struct xlsx_reader *x, const char *suffix)
{
    size_t sl = strlen(suffix);
    for (size_t i = 0; i < x->nrels; i++) {
        size_t tl = strlen(x->rels[i].type);
        if (tl >= sl && strcmp(x->rels[i].type + tl - sl, suffix) == 0)
            return &x->rels[i];
    }
    return NULL;
}

/* ---- styles: which formats are dates ---- */

static bool builtin_date_fmt(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A format code shows a date or time when it has d, m, y, h or s outside
 * quoted text, [colour] brackets and escaped characters. */
static bool date_code(const char *code)
{
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            p = strchr(p + 1, '"');
            if (!p)
                return false;
        } else if (*p == '[') {
            const char *e = strchr(p, ']');
            if (!e)
                return false;
            if (strchr("hHmMsS", p[1])) /* [h]:mm elapsed time */
                return true;
            p = e;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (!*++p)
                return false;
        } else if (strchr("dDmMyYhHsS", *p)) {
            return true;
        }
    }
    return false;
}

static bool is_date_fmt(const struct xlsx_reader *x, long id)
{
    if (builtin_date_fmt(id))
        return true;
    for (size_t i = 0; i < x->ndate_fmts; i++)
        if (x->date_fmts[i] == id)
            return true;
    return false;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx_reader *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "numFmts") == 0) {
        x->in_numfmts = true;
    } else if (strcmp(n, "cellXfs") == 0) {
        x->in_cellxfs = true;
    } else if (x->in_numfmts && strcmp(n, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (id && code && date_code(code)) {
            x->date_fmts = xrealloc(x->date_fmts, (x->ndate_fmts + 1) * sizeof *x->date_fmts);
            x->date_fmts[x->ndate_fmts++] = atol(id);
        }
    } else if (x->in_cellxfs && strcmp(n, "xf") == 0) {
        const char *id = attr(atts, "numFmtId");
        x->xf_date = xrealloc(x->xf_date, (x->nxf + 1) * sizeof *x->xf_date);
        x->xf_date[x->nxf++] = id && is_date_fmt(x, atol(id));
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    struct xlsx_reader *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "numFmts") == 0)
        x->in_numfmts = false;
    else if (strcmp(n, "cellXfs") == 0)
        x->in_cellxfs = false;
}

/* ---- shared strings ---- */

static void ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx_reader *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "si") == 0) {
        collect(x);
        x->collecting = false;
    } else if (strcmp(n, "t") == 0) {
        x->collecting = true;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph++;
    }
}

static void ss_end(void *ud, const XML_Char *name)
{
    struct xlsx_reader *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "t") == 0) {
        x->collecting = false;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph--;
    } else if (strcmp(n, "si") == 0) {
        if (x->text_over) {
            stop_fatal(x, "shared string %llu is over %zu MiB", (unsigned long long)x->ss_count,
                       CSV_DEFAULT_MAX_FIELD >> 20);
            return;
        }
        fwrite(&x->ss_off, sizeof x->ss_off, 1, x->ss_index);
        fwrite(x->text.data, 1, x->text.len, x->ss_data);
        x->ss_off += x->text.len;
        x->ss_count++;
    }
}

static int load_shared_strings(struct xlsx_reader *x, struct vm_err *err)
{
    const struct rel *r = rel_by_type(x, "/sharedStrings");
    if (!r)
        return 0;
    char *path = rel_path(r);
    int rc = 0;
    if (!(x->ss_data = tmpfile()) || !(x->ss_index = tmpfile())) {
        rc = vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot create a temporary file: %s", x->file,
                        strerror(errno));
        goto done;
    }
    rc = part_run(x, path, true, ss_start, ss_end, err);
    fwrite(&x->ss_off, sizeof x->ss_off, 1, x->ss_index); /* the end of the last one */
    if (rc == 0 && (fflush(x->ss_data) || fflush(x->ss_index) || ferror(x->ss_data)))
        rc = vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot write a temporary file: %s", x->file,
                        strerror(errno));
done:
    free(path);
    return rc;
}

/* Shared string i into x->sval; false when there is none. */
static bool shared_string(struct xlsx_reader *x, uint64_t i)
{
    uint64_t off[2];
    if (i >= x->ss_count ||
        pread(fileno(x->ss_index), off, sizeof off, (off_t)(i * sizeof off[0])) != sizeof off ||
        off[1] < off[0])
        return false;
    size_t n = (size_t)(off[1] - off[0]);
    sbuf_reset(&x->sval);
    sbuf_reserve(&x->sval, n + 1);
    if (n && pread(fileno(x->ss_data), x->sval.data, n, (off_t)off[0]) != (ssize_t)n)
        return false;
    x->sval.len = n;
    x->sval.data[n] = '\0';
    return true;
}

/* ---- cell values ---- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

/* An Excel serial date as ISO 8601; false when it is out of range. */
static bool serial_to_iso(double serial, bool date1904, char *out, size_t outlen)
{
    if (!(serial >= 0 && serial < 2958466)) /* up to 9999-12-31 */
        return false;
    long long days = (long long)floor(serial);
    int secs = (int)lround((serial - (double)days) * 86400.0);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
    }
    /* 1900 system: serial 1 is 1900-01-01, and Excel counts a 1900-02-29 (60). */
    long long epoch = date1904 ? -24107 : (days < 61 ? -25568 : -25569);
    char tm[48] = "";
    if (secs)
        snprintf(tm, sizeof tm, "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
    if (days == 0 && !date1904) {
        snprintf(out, outlen, "%s", secs ? tm : "1900-01-00");
        return secs != 0;
    }
    long long y;
    unsigned m, d;
    civil_from_days(days + epoch, &y, &m, &d);
    snprintf(out, outlen, "%04lld-%02u-%02u%s%s", y, m, d, secs ? " " : "", tm);
    return true;
}

/* The cell's value as text, appended to x->vals. */
static void cell_value(struct xlsx_reader *x, struct sbuf *out)
{
    sbuf_putc(&x->text, '\0'); /* v is a C string */
    x->text.len--;
    const char *t = x->cell_type, *v = x->text.data;
    if (x->text.len == 0)
        return; /* no value: an empty cell, whatever its type */
    if (strcmp(t, "s") == 0) {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(v, &end, 10);
        if (end == v || *end || errno || !shared_string(x, i)) {
            stop_fatal(x, "%s: row %ld: cell refers to shared string '%s', which does not exist",
                       x->sheet_path, x->row_num, v);
            return;
        }
        sbuf_append(out, x->sval.data, x->sval.len);
    } else if (strcmp(t, "b") == 0) {
        if (x->text.len)
            sbuf_puts(out, strcmp(v, "0") == 0 ? "FALSE" : "TRUE");
    } else if (strcmp(t, "n") == 0 && x->text.len) {
        char *end, num[48];
        double d = strtod(v, &end);
        bool date =
            x->cell_style >= 0 && (size_t)x->cell_style < x->nxf && x->xf_date[x->cell_style];
        if (*end || !isfinite(d))
            sbuf_puts(out, v);
        else if (date && serial_to_iso(d, x->date1904, num, sizeof num))
            sbuf_puts(out, num);
        else {
            snprintf(num, sizeof num, "%.15g", d);
            sbuf_puts(out, num);
        }
    } else if (strcmp(t, "d") == 0 && x->text.len > 9 &&
               strcmp(v + x->text.len - 9, "T00:00:00") == 0) {
        sbuf_append(out, v, x->text.len - 9);
    } else {
        sbuf_append(out, v, x->text.len); /* inlineStr, str, e, d */
    }
}

/* ---- the sheet ---- */

static void row_error(struct xlsx_reader *x, long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row_error(struct xlsx_reader *x, long col, const char *fmt, ...)
{
    if (x->row_err[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->row_err, sizeof x->row_err, fmt, ap);
    va_end(ap);
    x->row_err_col = col;
}

/* Column number of a reference such as "C5" (A = 1); 0 without letters. */
static long ref_column(const char *ref)
{
    long c = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && c <= XLSX_MAX_COLS; ref++)
        c = c * 26 + (*ref - 'A' + 1);
    return c;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx_reader *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "row") == 0) {
        const char *r = attr(atts, "r");
        char *end = NULL;
        long num = r ? strtol(r, &end, 10) : x->row_num + 1;
        if (num < 1 || num > XLSX_MAX_ROWS || (r && *end)) {
            stop_fatal(x, "%s: bad row number '%s' (rows are 1 to %d)", x->sheet_path,
                       r ? r : "(after the last)", XLSX_MAX_ROWS);
            return;
        }
        x->row_num = num;
        x->cur_col = 0;
        x->ncells = 0;
        x->row_over = false;
        x->row_err[0] = '\0';
        sbuf_reset(&x->vals);
    } else if (strcmp(n, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        long col = r ? ref_column(r) : 0;
        x->cur_col = col > 0 ? col : x->cur_col + 1;
        if (x->cur_col > XLSX_MAX_COLS) {
            stop_fatal(x, "%s: row %ld: bad cell reference '%s'", x->sheet_path, x->row_num,
                       r ? r : "");
            return;
        }
        snprintf(x->cell_type, sizeof x->cell_type, "%s", t ? t : "n");
        x->cell_style = s ? atol(s) : 0;
        x->in_cell = true;
        sbuf_reset(&x->text);
    } else if (x->in_cell && strcmp(n, "v") == 0) {
        collect(x);
    } else if (x->in_cell && strcmp(n, "is") == 0) {
        x->in_is = true;
        collect(x);
        x->collecting = false;
    } else if (x->in_is && strcmp(n, "t") == 0) {
        x->collecting = true;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph++;
    }
}

static void end_cell(struct xlsx_reader *x)
{
    x->in_cell = false;
    if (x->text_over) {
        row_error(x, x->cur_col, "field exceeds %zu MiB", CSV_DEFAULT_MAX_FIELD >> 20);
        return;
    }
    size_t off = x->vals.len;
    cell_value(x, &x->vals);
    size_t len = x->vals.len - off;
    if (len == 0)
        return;
    if (x->vals.len > CSV_DEFAULT_MAX_RECORD) {
        x->vals.len = off;
        if (!x->row_over)
            row_error(x, 1, "record exceeds %zu MiB", CSV_DEFAULT_MAX_RECORD >> 20);
        x->row_over = true;
        return;
    }
    sbuf_putc(&x->vals, '\0');
    if (x->ncells == x->cells_cap) {
        x->cells_cap = x->cells_cap ? x->cells_cap * 2 : 64;
        x->cells = xrealloc(x->cells, x->cells_cap * sizeof *x->cells);
    }
    x->cells[x->ncells++] = (struct cell){x->cur_col, off, len};
}

static void sheet_end(void *ud, const XML_Char *name)
{
    struct xlsx_reader *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
        x->collecting = false;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph--;
    } else if (strcmp(n, "c") == 0 && x->in_cell) {
        end_cell(x);
    } else if (strcmp(n, "row") == 0) {
        x->row_ready = true;
        XML_StopParser(x->cur, XML_TRUE); /* hand this row out */
    }
}

/* ---- rows to records ---- */

static void ensure_out(struct xlsx_reader *x, size_t n)
{
    if (x->out_cap >= n)
        return;
    x->out_cap = n;
    x->ptrs = xrealloc(x->ptrs, n * sizeof *x->ptrs);
    x->lens = xrealloc(x->lens, n * sizeof *x->lens);
    x->lines = xrealloc(x->lines, n * sizeof *x->lines);
    x->cols = xrealloc(x->cols, n * sizeof *x->cols);
}

/* The row as one CSV line, for a rejects file. */
static void row_as_csv(struct xlsx_reader *x, size_t n)
{
    sbuf_reset(&x->raw);
    for (size_t c = 0; c < n; c++) {
        const char *s = x->ptrs[c];
        if (c)
            sbuf_putc(&x->raw, ',');
        if (!strpbrk(s, ",\"\r\n") && !(x->lens[c] && (s[0] == ' ' || s[x->lens[c] - 1] == ' '))) {
            sbuf_append(&x->raw, s, x->lens[c]);
            continue;
        }
        sbuf_putc(&x->raw, '"');
        for (; *s; s++) {
            if (*s == '"')
                sbuf_putc(&x->raw, '"');
            sbuf_putc(&x->raw, *s);
        }
        sbuf_putc(&x->raw, '"');
    }
    sbuf_putc(&x->raw, '\0');
    x->raw.len--;
}

/* The ready row as a record: 1 good, -1 bad, 2 empty (skip it). */
static int row_record(struct xlsx_reader *x, struct csv_record *rec, struct vm_err *err)
{
    if (x->ncells == 0 && !x->row_err[0])
        return 2;
    size_t width = x->header_n;
    if (!width)
        for (size_t i = 0; i < x->ncells; i++)
            width = (size_t)x->cells[i].col > width ? (size_t)x->cells[i].col : width;
    if (!width)
        width = 1;
    ensure_out(x, width);
    for (size_t c = 0; c < width; c++) {
        x->ptrs[c] = "";
        x->lens[c] = 0;
        x->lines[c] = x->row_num;
        x->cols[c] = (long)c + 1;
    }
    for (size_t i = 0; i < x->ncells; i++) {
        const struct cell *ce = &x->cells[i];
        if ((size_t)ce->col > width) {
            row_error(x, ce->col, "expected %zu fields, found a value in column %ld", width,
                      ce->col);
            continue;
        }
        x->ptrs[ce->col - 1] = x->vals.data + ce->off;
        x->lens[ce->col - 1] = ce->len;
    }
    row_as_csv(x, width);
    memset(rec, 0, sizeof *rec);
    rec->line = x->row_num;
    rec->raw = x->raw.data;
    rec->raw_len = x->raw.len;
    if (x->row_err[0]) {
        rec->err_line = x->row_num;
        rec->err_col = x->row_err_col;
        rec->err_reason = x->row_err;
        vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: %s", x->name, rec->err_line, rec->err_col,
                   x->row_err);
        return -1;
    }
    rec->nfields = width;
    rec->fields = x->ptrs;
    rec->lens = x->lens;
    rec->field_line = x->lines;
    rec->field_col = x->cols;
    return 1;
}

static int next_row(struct xlsx_reader *x, struct csv_record *rec, struct vm_err *err)
{
    for (;;) {
        if (x->row_ready) {
            x->row_ready = false;
            int rc = row_record(x, rec, err);
            if (rc != 2)
                return rc;
        }
        int st = part_step(x, &x->sheet, err);
        if (st < 0)
            return -2;
        if (st == 0)
            return 0;
    }
}

static void keep_header(struct xlsx_reader *x, const struct csv_record *h)
{
    size_t n = h->nfields, total = 0;
    for (size_t c = 0; c < n; c++)
        total += h->lens[c] + 1;
    char *p = x->header_store = xmalloc(total);
    const char **fields = xcalloc(n, sizeof *fields);
    size_t *lens = xcalloc(n, sizeof *lens);
    long *lines = xcalloc(n, sizeof *lines), *cols = xcalloc(n, sizeof *cols);
    for (size_t c = 0; c < n; c++) {
        memcpy(p, h->fields[c], h->lens[c] + 1);
        fields[c] = p;
        lens[c] = h->lens[c];
        lines[c] = h->field_line[c];
        cols[c] = h->field_col[c];
        p += h->lens[c] + 1;
    }
    x->header = (struct csv_record){.nfields = n,
                                    .fields = fields,
                                    .lens = lens,
                                    .field_line = lines,
                                    .field_col = cols,
                                    .line = h->line};
    x->header_n = n;
}

/* ---- opening ---- */

/* Copies the stream to an unlinked temporary file and opens it as a zip. */
static int open_zip(struct xlsx_reader *x, FILE *raw, const unsigned char *head, size_t head_len,
                    struct vm_err *err)
{
    FILE *tmp = tmpfile();
    if (!tmp)
        return vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot create a temporary file: %s", x->file,
                          strerror(errno));
    char *buf = xmalloc(XLSX_CHUNK);
    size_t n;
    fwrite(head, 1, head_len, tmp);
    while ((n = fread(buf, 1, XLSX_CHUNK, raw)) > 0)
        fwrite(buf, 1, n, tmp);
    free(buf);
    int rc = 0, fd = -1;
    if (ferror(raw))
        rc = vm_err_set(err, VM_EXIT_FAILURE, "%s: read error: %s", x->file, strerror(errno));
    else if (fflush(tmp) || ferror(tmp) || (fd = dup(fileno(tmp))) < 0)
        rc = vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot write a temporary file: %s", x->file,
                        strerror(errno));
    fclose(tmp);
    if (rc)
        return rc;
    lseek(fd, 0, SEEK_SET);
    int zerr = 0;
    if (!(x->zip = zip_fdopen(fd, ZIP_CHECKCONS, &zerr))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rc = vm_err_set(err, VM_EXIT_DATAERR,
                        "%s: not a readable .xlsx workbook: %s (is the file truncated?)", x->file,
                        zip_error_strerror(&ze));
        zip_error_fini(&ze);
        close(fd);
    }
    return rc;
}

static int pick_sheet(struct xlsx_reader *x, const char *want, struct vm_err *err)
{
    const struct sheet_ref *s = NULL;
    for (size_t i = 0; i < x->nsheets && !s; i++)
        if (!want || strcmp(x->sheets[i].name, want) == 0)
            s = &x->sheets[i];
    for (size_t i = 0; i < x->nsheets && !s; i++)
        if (strcasecmp(x->sheets[i].name, want) == 0)
            s = &x->sheets[i];
    if (!s) {
        struct sbuf names;
        sbuf_init(&names);
        for (size_t i = 0; i < x->nsheets; i++)
            sbuf_printf(&names, "%s\"%s\"", i ? ", " : "", x->sheets[i].name);
        int rc = want ? vm_err_set(err, VM_EXIT_DATAERR,
                                   "%s: no sheet named \"%s\" (the workbook has %s)", x->file, want,
                                   names.data ? names.data : "none")
                      : vm_err_set(err, VM_EXIT_DATAERR, "%s: the workbook has no sheet", x->file);
        sbuf_free(&names);
        return rc;
    }
    for (size_t i = 0; i < x->nrels && !x->sheet_path; i++)
        if (strcmp(x->rels[i].id, s->rid) == 0)
            x->sheet_path = rel_path(&x->rels[i]);
    if (!x->sheet_path)
        return vm_err_set(err, VM_EXIT_DATAERR, "%s: sheet \"%s\" has no part in the workbook",
                          x->file, s->name);
    x->name = xasprintf("%s[%s]", x->file, s->name);
    return 0;
}

static int load_workbook(struct xlsx_reader *x, const char *sheet, struct vm_err *err)
{
    int rc;
    if (zip_name_locate(x->zip, "xl/workbook.xml", 0) < 0)
        return vm_err_set(err, VM_EXIT_DATAERR,
                          "%s: a zip file but not an .xlsx workbook (no xl/workbook.xml);"
                          " save it as .xlsx or CSV",
                          x->file);
    if ((rc = part_run(x, "xl/_rels/workbook.xml.rels", false, rels_start, ignore_end, err)) ||
        (rc = part_run(x, "xl/workbook.xml", false, workbook_start, ignore_end, err)) ||
        (rc = pick_sheet(x, sheet, err)))
        return rc;
    const struct rel *st = rel_by_type(x, "/styles");
    if (st) {
        char *path = rel_path(st);
        rc = part_run(x, path, true, styles_start, styles_end, err);
        free(path);
        if (rc)
            return rc;
    }
    return load_shared_strings(x, err);
}

struct xlsx_reader *xlsx_reader_open(FILE *raw, const unsigned char *head, size_t head_len,
                                     const char *display_name, const char *sheet,
                                     struct vm_err *err)
{
    struct xlsx_reader *x = xcalloc(1, sizeof *x);
    struct csv_record hdr;
    x->file = xstrdup(display_name ? display_name : "-");
    sbuf_init(&x->text);
    sbuf_init(&x->sval);
    sbuf_init(&x->vals);
    sbuf_init(&x->raw);
    int rc = open_zip(x, raw, head, head_len, err);
    if (!rc)
        rc = load_workbook(x, sheet, err);
    if (!rc)
        rc = part_open(x, &x->sheet, x->sheet_path, sheet_start, sheet_end, err);
    if (!rc) {
        int got = next_row(x, &hdr, err);
        if (got == 0)
            rc = vm_err_set(err, VM_EXIT_DATAERR, "%s: the sheet is empty (expected a header row)",
                            x->name);
        else if (got == -1) {
            size_t used = strlen(err->msg);
            snprintf(err->msg + used, sizeof err->msg - used, " (in the header row)");
            rc = VM_EXIT_DATAERR;
        } else if (got < 0)
            rc = err->code ? err->code : VM_EXIT_DATAERR;
        else
            keep_header(x, &hdr);
    }
    if (rc) {
        xlsx_reader_close(x);
        return NULL;
    }
    return x;
}

int xlsx_reader_next(struct xlsx_reader *x, struct csv_record *rec, struct vm_err *err)
{
    int rc = next_row(x, rec, err);
    if (rc == 1 || rc == -1)
        rec->index = ++x->nrecords;
    return rc;
}

const struct csv_record *xlsx_reader_header(const struct xlsx_reader *x)
{
    return &x->header;
}

const char *xlsx_reader_name(const struct xlsx_reader *x)
{
    return x->name;
}

void xlsx_reader_close(struct xlsx_reader *x)
{
    if (!x)
        return;
    part_close(&x->sheet);
    if (x->zip)
        zip_discard(x->zip);
    if (x->ss_data)
        fclose(x->ss_data);
    if (x->ss_index)
        fclose(x->ss_index);
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
    }
    free(x->rels);
    free(x->sheets);
    free(x->date_fmts);
    free(x->xf_date);
    free(x->cells);
    free(x->sheet_path);
    free(x->header_store);
    free((void *)x->header.fields);
    free((void *)x->header.lens);
    free((void *)x->header.field_line);
    free((void *)x->header.field_col);
    free(x->ptrs);
    free(x->lens);
    free(x->lines);
    free(x->cols);
    sbuf_free(&x->text);
    sbuf_free(&x->sval);
    sbuf_free(&x->vals);
    sbuf_free(&x->raw);
    free(x->file);
    free(x->name);
    free(x);
}
