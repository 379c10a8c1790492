/*
 * csv_reader: a streaming CSV reader in two steps (see csv_reader.h).
 *
 * Step 1, the framer, walks each fread chunk once with a byte-class table
 * and tight inner loops over ordinary bytes. It follows the same grammar as
 * libcsv (leading spaces skipped, quotes only at the start of a field, "" for
 * a quote, CR, LF or CRLF ending a record, blank lines skipped), except that a
 * quote inside an unquoted field is data, as Python's csv module and
 * spreadsheets read it (37°36'37.8"N, 12" monitor), where libcsv's strict
 * mode rejects it. Text after a closing quote is still an error. It records
 * where each field starts (line, offset of the line start, offset), enforces
 * the field and record size limits, and collects the record's raw bytes.
 * Strict-grammar errors are found here, with their exact position.
 *
 * Step 2: when a record is complete and clean, its fields are decoded into
 * one reused buffer: each quoted field by libcsv (csv_parse + csv_fini on
 * the field's bytes), each unquoted one by trimming its spaces, which is what
 * libcsv gives for it, without paying for a second per-byte parse. Offsets are "virtual": they keep
 * counting when a record is too big and its bytes are no longer stored, so limits hold without
 * storing data.
 */
#include "io/csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/normalize.h"

/* More fields than this in one record is hostile input, not a catalog. */
#define CSV_MAX_FIELDS 100000

enum frame_state {
    ST_ROW,     /* no record begun: skipping blank lines and leading spaces */
    ST_FIELD,   /* after a delimiter, before the field's first character */
    ST_UNQ,     /* inside an unquoted field */
    ST_QUO,     /* inside a quoted field */
    ST_QEND,    /* just after a quote inside a quoted field */
    ST_QEND_SP, /* spaces after a closing quote */
};

enum byte_class { BC_PLAIN = 0, BC_DELIM, BC_QUOTE, BC_NL, BC_NUL };

/* Where something is inside the current record. */
struct rec_pos {
    size_t off;      /* virtual offset in the record */
    long line;       /* physical line */
    size_t line_off; /* virtual offset where that line starts in the record */
};

struct csv_reader {
    FILE *f;
    char *name;
    size_t max_field, max_record, chunk_size;
    char delim;
    unsigned char cls[256];  /* byte classes that stop the unquoted run */
    unsigned char qcls[256]; /* byte classes that stop the quoted run */
    struct csv_parser parser;

    /* The first bytes of the file, read ahead to detect the delimiter and
     * the BOM, then served to refill() before any further fread. */
    unsigned char *pre;
    size_t pre_len, pre_pos;

    /* input chunk */
    unsigned char *buf;
    size_t buf_len, pos;
    long long buf_file_off;
    int prev_last; /* last byte of the previous chunk, for CRLF across chunks */
    bool eof, done;

    /* framer state, kept across chunks */
    int state;
    long line; /* current physical line */

    /* record being framed */
    struct sbuf raw;
    size_t vlen;     /* virtual length so far */
    size_t line_off; /* virtual offset of the current line's start */
    bool truncated;
    long rec_line;
    size_t nf, fcap;
    struct rec_pos *fpos;
    bool *fquoted;            /* per field: does it start with a quote? */
    struct rec_pos quote_pos; /* opening quote of the current field */
    struct rec_pos end_pos;   /* where the record ends (before its newline) */
    bool has_err;
    bool stop; /* the record passed max_record, or the header is bad: read no further */
    struct rec_pos err_pos;
    char reason[200];
    const char *utf8_hint; /* not owned: the caller's, for the reader's life */

    /* decoded record */
    struct sbuf dec;
    size_t dn, out_cap;
    size_t *d_off, *d_len;
    const char **ptrs;
    long *lines, *cols;
    bool decode_failed;

    size_t header_n; /* 0 while reading the header */
    struct csv_record header;
    char *header_store;
    long nrecords;
};

static const char *human_size(size_t n, char *tmp, size_t tmplen)
{
    if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(tmp, tmplen, "%zu MiB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(tmp, tmplen, "%zu KiB", n >> 10);
    else
        snprintf(tmp, tmplen, "%zu bytes", n);
    return tmp;
}

/* ---- framer ---------------------------------------------------------------- */

static void set_err(struct csv_reader *r, struct rec_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(struct csv_reader *r, struct rec_pos at, const char *fmt, ...)
{
    if (r->has_err && r->err_pos.off <= at.off)
        return; /* keep the error that comes first in the file */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    r->err_pos = at;
    r->has_err = true;
}

static void begin_record(struct csv_reader *r)
{
    sbuf_reset(&r->raw);
    r->vlen = 0;
    r->line_off = 0;
    r->truncated = false;
    r->nf = 0;
    r->has_err = false;
    r->stop = false;
    r->rec_line = r->line;
}

static void push_field(struct csv_reader *r, size_t off)
{
    if (r->nf >= CSV_MAX_FIELDS) {
        if (r->nf == CSV_MAX_FIELDS)
            set_err(r, r->fpos[0], "record has more than %d fields", CSV_MAX_FIELDS);
        r->truncated = true;
        r->nf++;
        return;
    }
    if (r->nf == r->fcap) {
        r->fcap = r->fcap ? r->fcap * 2 : 64;
        r->fpos = xrealloc(r->fpos, r->fcap * sizeof *r->fpos);
        r->fquoted = xrealloc(r->fquoted, r->fcap * sizeof *r->fquoted);
    }
    r->fquoted[r->nf] = false;
    r->fpos[r->nf++] = (struct rec_pos){off, r->line, r->line_off};
}

static void check_field_size(struct csv_reader *r, size_t end)
{
    if (r->nf == 0 || r->nf > CSV_MAX_FIELDS)
        return;
    const struct rec_pos *fp = &r->fpos[r->nf - 1];
    if (end - fp->off > r->max_field) {
        char tmp[32];
        set_err(r, *fp, "field exceeds %s", human_size(r->max_field, tmp, sizeof tmp));
        r->truncated = true;
    }
}

/* Moves bytes [from, to) of the chunk into the record (or only counts them). */
static void keep(struct csv_reader *r, size_t from, size_t to)
{
    if (to <= from)
        return;
    if (!r->truncated)
        sbuf_append(&r->raw, (const char *)r->buf + from, to - from);
    r->vlen += to - from;
    if (r->state != ST_ROW)
        check_field_size(r, r->vlen);
    if (r->vlen > r->max_record && !r->stop) {
        /* The record may never end (/dev/zero, a 1 GB line): stop reading
         * here, keeping an earlier error (a field over its limit) if any. */
        char tmp[32];
        if (!r->has_err)
            set_err(r, (struct rec_pos){0, r->rec_line, 0}, "record exceeds %s",
                    human_size(r->max_record, tmp, sizeof tmp));
        r->truncated = true;
        r->stop = true;
    }
}

/* A NUL byte at virtual offset off: never text, so the framer reports it as
 * it goes (a binary file or /dev/zero fails in its first chunk). */
static void nul_at(struct csv_reader *r, size_t off)
{
    set_err(r, (struct rec_pos){off, r->line, r->line_off}, "NUL byte in field");
}

/* Line accounting for a CR or LF at chunk index i; `voff_next` is the virtual
 * offset just after it. CRLF counts as one line break. */
static void newline_at(struct csv_reader *r, size_t i, size_t voff_next)
{
    int prev = i > 0 ? r->buf[i - 1] : r->prev_last;
    if (!(r->buf[i] == '\n' && prev == '\r'))
        r->line++;
    r->line_off = voff_next;
}

/* Frames bytes from the chunk until a record is complete (returns 1) or the
 * chunk is used up (returns 0). */
static int frame(struct csv_reader *r)
{
    const unsigned char *b = r->buf;
    const unsigned char *cls = r->cls, *qcls = r->qcls;
    const unsigned char delim = (unsigned char)r->delim;
    size_t n = r->buf_len, i = r->pos, span = i;
    int complete = 0;

#define VOFF(k) (r->vlen + ((k)-span))
    while (i < n) {
        unsigned char c = b[i];
        switch (r->state) {
        case ST_UNQ:
            while (i < n && !cls[b[i]])
                i++;
            if (i == n)
                goto out;
            c = b[i];
            if (c == delim) {
                check_field_size(r, VOFF(i));
                push_field(r, VOFF(i + 1));
                r->state = ST_FIELD;
            } else if (c == '\0') {
                nul_at(r, VOFF(i));
            } else {
                check_field_size(r, VOFF(i));
                complete = 1;
                goto out;
            }
            i++;
            break;
        case ST_QUO:
            while (i < n && !qcls[b[i]])
                i++;
            if (i == n)
                goto out;
            if (b[i] == '"')
                r->state = ST_QEND;
            else if (b[i] == '\0')
                nul_at(r, VOFF(i));
            else
                newline_at(r, i, VOFF(i + 1));
            i++;
            break;
        case ST_ROW:
        case ST_FIELD:
            if ((c == ' ' || c == '\t') && c != delim) {
                i++;
                break;
            }
            if (c == '\r' || c == '\n') {
                if (r->state == ST_FIELD) {
                    complete = 1; /* the last field is empty */
                    goto out;
                }
                newline_at(r, i, 0); /* a blank line: forget it */
                i++;
                span = i;
                begin_record(r);
                break;
            }
            if (r->state == ST_ROW)
                push_field(r, 0);
            if (c == delim) {
                check_field_size(r, VOFF(i));
                push_field(r, VOFF(i + 1));
                r->state = ST_FIELD;
            } else if (c == '"') {
                r->quote_pos = (struct rec_pos){VOFF(i), r->line, r->line_off};
                r->state = ST_QUO;
                if (r->nf <= CSV_MAX_FIELDS)
                    r->fquoted[r->nf - 1] = true;
            } else {
                if (c == '\0')
                    nul_at(r, VOFF(i));
                r->state = ST_UNQ;
            }
            i++;
            break;
        case ST_QEND:
        case ST_QEND_SP:
            if (c == delim) {
                check_field_size(r, VOFF(i));
                push_field(r, VOFF(i + 1));
                r->state = ST_FIELD;
            } else if (c == '\r' || c == '\n') {
                check_field_size(r, VOFF(i));
                complete = 1;
                goto out;
            } else if (c == ' ' || c == '\t') {
                r->state = ST_QEND_SP;
            } else if (c == '"' && r->state == ST_QEND) {
                r->state = ST_QUO; /* "" is a quote */
            } else {
                set_err(r, (struct rec_pos){VOFF(i), r->line, r->line_off},
                        "unexpected character after a closing quote (double the quotes inside "
                        "a quoted field)");
                r->state = ST_UNQ;
            }
            i++;
            break;
        }
    }
out:
    keep(r, span, i);
    if (complete) {
        /* b[i] is the CR or LF that ends the record; it is not part of it. */
        r->end_pos = (struct rec_pos){r->vlen, r->line, r->line_off};
        newline_at(r, i, 0);
        i++;
        r->state = ST_ROW;
    }
#undef VOFF
    r->pos = i;
    return complete;
}

/* Reads the next chunk. Returns 1, 0 at end of file, -1 on a read error. */
static int refill(struct csv_reader *r, struct vm_err *err)
{
    if (r->eof)
        return 0;
    if (r->buf_len > 0)
        r->prev_last = r->buf[r->buf_len - 1];
    r->buf_file_off += (long long)r->buf_len;
    r->pos = 0;
    if (r->pre_pos < r->pre_len) {
        size_t n = r->pre_len - r->pre_pos;
        r->buf_len = n < r->chunk_size ? n : r->chunk_size;
        memcpy(r->buf, r->pre + r->pre_pos, r->buf_len);
        r->pre_pos += r->buf_len;
        if (r->pre_pos == r->pre_len) {
            free(r->pre); /* served: back to one chunk of memory */
            r->pre = NULL;
            r->pre_len = r->pre_pos = 0;
        }
        return 1;
    }
    r->buf_len = fread(r->buf, 1, r->chunk_size, r->f);
    if (r->buf_len == 0) {
        if (ferror(r->f)) {
            vm_err_set(err, VM_EXIT_FAILURE, "%s: read error: %s", r->name, strerror(errno));
            return -1;
        }
        r->eof = true;
        return 0;
    }
    return 1;
}

/* ---- positions and checks on a complete record ------------------------------ */

static long chars_between(const char *s, size_t from, size_t to)
{
    long n = 0;
    for (size_t k = from; k < to; k++)
        n += ((unsigned char)s[k] & 0xC0) != 0x80;
    return n;
}

/* Column of a position: characters from its line start, when the bytes are
 * stored; bytes otherwise (only past a size limit, never reported first). */
static long column_of(const struct csv_reader *r, struct rec_pos p)
{
    if (p.off <= r->raw.len)
        return chars_between(r->raw.data, p.line_off, p.off) + 1;
    return (long)(p.off - p.line_off) + 1;
}

/* Position of a stored byte offset, found by scanning the record (errors only). */
static struct rec_pos pos_of_offset(const struct csv_reader *r, size_t off)
{
    struct rec_pos p = {off, r->rec_line, 0};
    for (size_t k = 0; k < off; k++) {
        char c = r->raw.data[k];
        if (c == '\n' || (c == '\r' && !(k + 1 < r->raw.len && r->raw.data[k + 1] == '\n'))) {
            p.line++;
            p.line_off = k + 1;
        }
    }
    return p;
}

static void check_content(struct csv_reader *r, struct rec_pos end)
{
    /* raw.data is still NULL when a header field went over max_field before
     * any byte was stored, and memchr(NULL, ..., 0) is undefined. */
    const char *nul = r->raw.len ? memchr(r->raw.data, '\0', r->raw.len) : NULL;
    if (nul)
        set_err(r, pos_of_offset(r, (size_t)(nul - r->raw.data)), "NUL byte in field");
    size_t bad;
    if (!norm_utf8_valid(r->raw.data, r->raw.len, &bad))
        set_err(r, pos_of_offset(r, bad), "invalid UTF-8 (byte 0x%02X); %s",
                (unsigned char)r->raw.data[bad], r->utf8_hint);
    if (r->header_n && r->nf != r->header_n && r->nf <= CSV_MAX_FIELDS) {
        struct rec_pos at = r->nf > r->header_n ? r->fpos[r->header_n] : end;
        set_err(r, at, "expected %zu field%s, found %zu", r->header_n, r->header_n == 1 ? "" : "s",
                r->nf);
    }
}

static void on_field(void *s, size_t len, void *data)
{
    struct csv_reader *r = data;
    if (r->dn >= r->nf) {
        r->decode_failed = true;
        return;
    }
    r->d_off[r->dn] = r->dec.len;
    r->d_len[r->dn] = len;
    r->dn++;
    sbuf_append(&r->dec, s, len);
    sbuf_putc(&r->dec, '\0');
}

/* Decodes the fields of a clean record into r->dec. A quoted field goes
 * through libcsv (quotes, doubled quotes, spaces around the quotes); an
 * unquoted one is its bytes without leading and trailing spaces and TABs,
 * which is what libcsv would give, without a per-byte parse. */
static void decode(struct csv_reader *r)
{
    r->dn = 0;
    r->decode_failed = false;
    sbuf_reset(&r->dec);
    char *raw = r->raw.data;
    char tab = r->delim == '\t' ? ' ' : '\t';
    for (size_t k = 0; k < r->nf && !r->decode_failed; k++) {
        size_t s = r->fpos[k].off;
        size_t e = k + 1 < r->nf ? r->fpos[k + 1].off - 1 : r->raw.len;
        if (!r->fquoted[k]) {
            while (s < e && (raw[s] == ' ' || raw[s] == tab))
                s++;
            while (e > s && (raw[e - 1] == ' ' || raw[e - 1] == tab))
                e--;
            on_field(raw + s, e - s, r);
            continue;
        }
        size_t before = r->dn;
        size_t used = csv_parse(&r->parser, raw + s, e - s, on_field, NULL, r);
        if (used != e - s || csv_fini(&r->parser, on_field, NULL, r) != 0 || r->dn != before + 1)
            r->decode_failed = true;
    }
    if (r->decode_failed || r->dn != r->nf) {
        csv_fini(&r->parser, NULL, NULL, NULL);
        set_err(r, r->fpos[0], "malformed record");
    }
}

static void ensure_out_arrays(struct csv_reader *r)
{
    if (r->out_cap >= r->nf)
        return;
    r->out_cap = r->fcap > r->nf ? r->fcap : r->nf;
    r->d_off = xrealloc(r->d_off, r->out_cap * sizeof *r->d_off);
    r->d_len = xrealloc(r->d_len, r->out_cap * sizeof *r->d_len);
    r->ptrs = xrealloc(r->ptrs, r->out_cap * sizeof *r->ptrs);
    r->lines = xrealloc(r->lines, r->out_cap * sizeof *r->lines);
    r->cols = xrealloc(r->cols, r->out_cap * sizeof *r->cols);
}

static void fill_record(struct csv_reader *r, struct csv_record *rec, bool ok)
{
    memset(rec, 0, sizeof *rec);
    rec->line = r->rec_line;
    rec->raw = r->raw.data;
    rec->raw_len = r->raw.len;
    rec->raw_truncated = r->truncated;
    if (!ok) {
        rec->err_line = r->err_pos.line;
        rec->err_col = column_of(r, r->err_pos);
        rec->err_reason = r->reason;
        return;
    }
    /* Columns: characters counted incrementally, field after field. */
    size_t last_off = 0, last_line_off = (size_t)-1;
    long last_col = 1;
    for (size_t k = 0; k < r->nf; k++) {
        const struct rec_pos *p = &r->fpos[k];
        if (p->line_off != last_line_off) {
            last_off = p->line_off;
            last_line_off = p->line_off;
            last_col = 1;
        }
        last_col += chars_between(r->raw.data, last_off, p->off);
        last_off = p->off;
        r->cols[k] = last_col;
        r->lines[k] = p->line;
        r->ptrs[k] = r->dec.data + r->d_off[k];
    }
    rec->nfields = r->nf;
    rec->fields = r->ptrs;
    rec->lens = r->d_len;
    rec->field_line = r->lines;
    rec->field_col = r->cols;
}

/* Says why reading stopped after an error that ends the file. */
static void note_stop(const struct csv_reader *r, struct vm_err *err)
{
    char tmp[32];
    size_t len = strlen(err->msg);
    if (r->vlen <= r->max_record) /* a bad header */
        return;
    if (strncmp(r->reason, "record exceeds", 14) == 0)
        snprintf(err->msg + len, sizeof err->msg - len, "; the file was not read further");
    else
        snprintf(err->msg + len, sizeof err->msg - len,
                 "; the record runs past %s, so the file was not read further",
                 human_size(r->max_record, tmp, sizeof tmp));
}

/* Frames, checks and decodes the next record: 1, 0 (EOF), -1 (bad), -2. */
static int read_record(struct csv_reader *r, struct csv_record *rec, struct vm_err *err)
{
    if (r->done)
        return 0;
    begin_record(r);
    for (;;) {
        if (r->pos < r->buf_len && frame(r))
            break;
        /* Any header error is fatal, so the header stops at its first one. */
        if (r->has_err && r->header_n == 0)
            r->stop = true;
        if (r->stop) {
            r->done = true;
            r->end_pos = (struct rec_pos){r->vlen, r->line, r->line_off};
            break;
        }
        int rc = refill(r, err);
        if (rc < 0)
            return -2;
        if (rc == 0) {
            /* End of file: finish a record that has no final newline. */
            r->done = true;
            if (r->state == ST_ROW)
                return 0;
            if (r->state == ST_QUO)
                set_err(r, r->quote_pos, "unterminated quoted field at end of file");
            check_field_size(r, r->vlen);
            r->end_pos = (struct rec_pos){r->vlen, r->line, r->line_off};
            r->state = ST_ROW;
            break;
        }
    }
    check_content(r, r->end_pos);
    if (!r->has_err) {
        ensure_out_arrays(r);
        decode(r);
    }
    fill_record(r, rec, !r->has_err);
    if (r->has_err) {
        vm_err_set(err, VM_EXIT_DATAERR, "%s:%ld:%ld: %s", r->name, rec->err_line, rec->err_col,
                   r->reason);
        if (r->stop && err)
            note_stop(r, err);
        if (r->stop)
            r->done = true; /* also when the record ended inside the chunk */
        return r->stop ? -2 : -1;
    }
    return 1;
}

/* ---- delimiter detection ----------------------------------------------------- */

/* Field counts of the first records in buf for delimiter d, with the
 * framer's quoting: a quote opens a quoted field only at the field's start
 * (after spaces), or right after a closing quote ("" inside quotes). */
static size_t count_fields(const unsigned char *b, size_t n, char d, size_t *counts, size_t max,
                           bool at_eof)
{
    size_t nrec = 0, fields = 1;
    bool inq = false, content = false, at_start = true, after_close = false;
    for (size_t i = 0; i < n && nrec < max; i++) {
        unsigned char c = b[i];
        if (inq) {
            if (c == '"') {
                inq = false;
                after_close = true;
            }
            continue;
        }
        if (c == '"' && (at_start || after_close)) {
            inq = true;
            at_start = after_close = false;
            content = true;
            continue;
        }
        after_close = false;
        if (c == (unsigned char)d) {
            fields++;
            content = true;
            at_start = true;
        } else if (c == '\r' || c == '\n') {
            if (content)
                counts[nrec++] = fields;
            fields = 1;
            content = false;
            at_start = true;
        } else if (c != ' ' && c != '\t') {
            content = true;
            at_start = false;
        }
    }
    if (content && at_eof && nrec < max && !inq)
        counts[nrec++] = fields;
    return nrec;
}

static char detect_delimiter(const unsigned char *b, size_t n, bool at_eof)
{
    static const char cands[] = {',', ';', '\t', '|'};
    char best = ',';
    size_t best_h = 1;
    bool best_consistent = false;
    for (size_t k = 0; k < sizeof cands; k++) {
        size_t counts[20];
        size_t nrec = count_fields(b, n, cands[k], counts, 20, at_eof);
        if (nrec == 0) /* header longer than the chunk: count what there is */
            nrec = count_fields(b, n, cands[k], counts, 1, true);
        if (nrec == 0 || counts[0] < 2)
            continue;
        bool consistent = true;
        for (size_t j = 1; j < nrec; j++)
            consistent = consistent && counts[j] == counts[0];
        if ((consistent && !best_consistent) ||
            (consistent == best_consistent && counts[0] > best_h)) {
            best = cands[k];
            best_h = counts[0];
            best_consistent = consistent;
        }
    }
    return best;
}

/* ---- public API ------------------------------------------------------------ */

static void set_classes(struct csv_reader *r)
{
    memset(r->cls, BC_PLAIN, sizeof r->cls);
    memset(r->qcls, BC_PLAIN, sizeof r->qcls);
    r->cls[(unsigned char)r->delim] = BC_DELIM;
    r->qcls['"'] = BC_QUOTE; /* in an unquoted field a quote is data */
    r->cls['\r'] = r->cls['\n'] = r->qcls['\r'] = r->qcls['\n'] = BC_NL;
    r->cls['\0'] = r->qcls['\0'] = BC_NUL;
}

static void copy_header(struct csv_reader *r)
{
    size_t total = 0;
    for (size_t k = 0; k < r->nf; k++)
        total += r->d_len[k] + 1;
    r->header_store = xmalloc(total ? total : 1);
    char **fields = xcalloc(r->nf, sizeof *fields);
    size_t *lens = xcalloc(r->nf, sizeof *lens);
    long *lines = xcalloc(r->nf, sizeof *lines);
    long *cols = xcalloc(r->nf, sizeof *cols);
    char *p = r->header_store;
    for (size_t k = 0; k < r->nf; k++) {
        memcpy(p, r->ptrs[k], r->d_len[k] + 1);
        fields[k] = p;
        lens[k] = r->d_len[k];
        lines[k] = r->lines[k];
        cols[k] = r->cols[k];
        p += r->d_len[k] + 1;
    }
    r->header = (struct csv_record){.nfields = r->nf,
                                    .fields = (const char **)fields,
                                    .lens = lens,
                                    .field_line = lines,
                                    .field_col = cols,
                                    .line = r->rec_line,
                                    .index = 0};
    r->header_n = r->nf;
}

struct csv_reader *csv_reader_open(FILE *f, const char *display_name, const struct csv_options *opt,
                                   struct vm_err *err)
{
    struct csv_reader *r = xcalloc(1, sizeof *r);
    struct csv_options o = opt ? *opt : (struct csv_options){0};
    r->f = f;
    r->name = xstrdup(display_name ? display_name : "-");
    r->max_field = o.max_field ? o.max_field : CSV_DEFAULT_MAX_FIELD;
    r->max_record = o.max_record ? o.max_record : CSV_DEFAULT_MAX_RECORD;
    if (r->max_record < r->max_field)
        r->max_record = r->max_field;
    r->chunk_size = o.chunk_size ? o.chunk_size : CSV_DEFAULT_CHUNK;
    r->utf8_hint = o.utf8_hint ? o.utf8_hint : "save the file as UTF-8";
    r->buf = xmalloc(r->chunk_size);
    r->prev_last = -1;
    r->line = 1;
    r->state = ST_ROW;
    sbuf_init(&r->raw);
    sbuf_init(&r->dec);
    csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_blk_size(&r->parser, 64 << 10);

    /* fread fills the whole request unless at end of file, so a UTF-8 BOM
     * (EF BB BF) and the header line are in the read-ahead when present. */
    r->pre = xmalloc(CSV_DEFAULT_CHUNK);
    r->pre_len = fread(r->pre, 1, CSV_DEFAULT_CHUNK, r->f);
    if (r->pre_len < CSV_DEFAULT_CHUNK && ferror(r->f)) {
        vm_err_set(err, VM_EXIT_FAILURE, "%s: read error: %s", r->name, strerror(errno));
        goto fail;
    }
    if (r->pre_len >= 3 && memcmp(r->pre, "\xEF\xBB\xBF", 3) == 0) {
        r->pre_pos = 3;
        r->buf_file_off = 3;
    }
    if (o.delimiter) {
        r->delim = o.delimiter;
    } else {
        r->delim = detect_delimiter(r->pre + r->pre_pos, r->pre_len - r->pre_pos,
                                    r->pre_len < CSV_DEFAULT_CHUNK);
    }
    csv_set_delim(&r->parser, (unsigned char)r->delim);
    set_classes(r);

    struct csv_record hdr;
    int rc = read_record(r, &hdr, err);
    if (rc == 0) {
        vm_err_set(err, VM_EXIT_DATAERR, "%s:1:1: file is empty (expected a header row)", r->name);
        goto fail;
    }
    if (rc < 0) {
        if (err && err->code == VM_EXIT_DATAERR)
            snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg),
                     " (in the header row)");
        goto fail;
    }
    copy_header(r);
    return r;
fail:
    csv_reader_close(r);
    return NULL;
}

int csv_reader_next(struct csv_reader *r, struct csv_record *rec, struct vm_err *err)
{
    int rc = read_record(r, rec, err);
    if (rc == 1 || rc == -1) {
        r->nrecords++;
        rec->index = r->nrecords;
    }
    return rc;
}

void csv_reader_close(struct csv_reader *r)
{
    if (!r)
        return;
    csv_free(&r->parser);
    sbuf_free(&r->raw);
    sbuf_free(&r->dec);
    free(r->buf);
    free(r->pre);
    free(r->name);
    free(r->fpos);
    free(r->fquoted);
    free(r->d_off);
    free(r->d_len);
    free(r->ptrs);
    free(r->lines);
    free(r->cols);
    free(r->header_store);
    free((void *)r->header.fields);
    free((void *)r->header.lens);
    free((void *)r->header.field_line);
    free((void *)r->header.field_col);
    free(r);
}

const struct csv_record *csv_reader_header(const struct csv_reader *r)
{
    return &r->header;
}

char csv_reader_delimiter(const struct csv_reader *r)
{
    return r->delim;
}

long long csv_reader_bytes(const struct csv_reader *r)
{
    return r->buf_file_off + (long long)r->pos;
}

long csv_reader_record_count(const struct csv_reader *r)
{
    return r->nrecords;
}

const char *csv_reader_name(const struct csv_reader *r)
{
    return r->name;
}
