/*
 * input: sniff, gunzip and decode a catalog file into UTF-8 records (see
 * input.h).
 *
 * The CSV path is a pull pipeline of three small readers, each filling the
 * caller's buffer from the one below: raw_read (the first bytes, read ahead
 * for sniffing, then the stream), plain_read (inflate when gzip'd) and
 * text_read (iconv to UTF-8 when the text is in another encoding). text_read
 * is the read function of a stdio cookie, so csv_reader reads a FILE as
 * before and knows nothing of the layers. A layer that fails records why in
 * in->fail and returns -1; the reader then reports a read error, which
 * input_next replaces with that reason. Memory is a few fixed buffers.
 */
#define _GNU_SOURCE /* fopencookie */
#include "io/input.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "io/xlsx_reader.h"

#define INPUT_CHUNK ((size_t)64 << 10)

struct vm_input {
    FILE *raw;
    char *name;
    struct vm_err fail; /* why a layer below the text stream failed */

    /* first raw bytes, read to sniff the format, served first */
    unsigned char head[4];
    size_t head_len, head_pos;

    /* gzip */
    bool gz, z_ended, z_in_eof;
    z_stream z;
    unsigned char *zbuf;

    /* first bytes after gunzip, read for a BOM, served first */
    unsigned char bom[4];
    size_t bom_len, bom_pos;

    /* iconv to UTF-8 */
    iconv_t cd;
    char enc[64];
    unsigned char *cbuf;
    size_t cbuf_len;
    bool c_eof, c_need_more;
    long line, col; /* where the decoded text is, for errors */
    bool last_cr;

    FILE *text;
    struct csv_reader *csv;
    struct xlsx_reader *xlsx;
};

static int fail(struct vm_input *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct vm_input *in, const char *fmt, ...)
{
    if (in->fail.code)
        return -1;
    char why[sizeof in->fail.msg - 300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    vm_err_set(&in->fail, VM_EXIT_DATAERR, "%s%s", in->name, why);
    return -1;
}

/* Reads up to n bytes; loops so that a short read means end of file. */
static ssize_t read_full(FILE *f, unsigned char *buf, size_t n)
{
    size_t got = fread(buf, 1, n, f);
    if (got < n && ferror(f))
        return -1;
    return (ssize_t)got;
}

/* Serves bytes read ahead (src[*pos..len)) before the stream; 0 when none are left. */
static size_t serve_ahead(const unsigned char *src, size_t len, size_t *pos, unsigned char *buf,
                          size_t n)
{
    size_t k = len - *pos;
    k = k < n ? k : n;
    memcpy(buf, src + *pos, k);
    *pos += k;
    return k;
}

/* ---- layer 1: the raw stream, after the sniffed head ---- */

static ssize_t raw_read(struct vm_input *in, unsigned char *buf, size_t n)
{
    if (in->head_pos < in->head_len)
        return (ssize_t)serve_ahead(in->head, in->head_len, &in->head_pos, buf, n);
    ssize_t got = read_full(in->raw, buf, n);
    if (got < 0)
        return fail(in, ": read error: %s", strerror(errno));
    return got;
}

/* ---- layer 2: gunzip ---- */

static ssize_t plain_read(struct vm_input *in, unsigned char *buf, size_t n)
{
    if (!in->gz)
        return raw_read(in, buf, n);
    z_stream *z = &in->z;
    z->next_out = buf;
    z->avail_out = (uInt)n;
    while (z->avail_out == n) {
        if (z->avail_in == 0 && !in->z_in_eof) {
            ssize_t got = raw_read(in, in->zbuf, INPUT_CHUNK);
            if (got < 0)
                return -1;
            in->z_in_eof = got == 0;
            z->next_in = in->zbuf;
            z->avail_in = (uInt)got;
        }
        if (in->z_ended) {
            if (z->avail_in == 0)
                break;       /* end of the last member */
            inflateReset(z); /* gzip allows several members, one after another */
            in->z_ended = false;
        }
        if (z->avail_in == 0 && in->z_in_eof)
            return fail(in, ": truncated gzip file (it ends inside the compressed data)");
        int rc = inflate(z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END)
            in->z_ended = true;
        else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
            return fail(in, ": corrupt gzip data (%s)", z->msg ? z->msg : "bad stream");
        else if (rc == Z_MEM_ERROR)
            return fail(in, ": out of memory inflating gzip data");
    }
    return (ssize_t)(n - z->avail_out);
}

/* ---- layer 3: the text, in UTF-8 ---- */

static ssize_t byte_read(struct vm_input *in, unsigned char *buf, size_t n)
{
    if (in->bom_pos < in->bom_len)
        return (ssize_t)serve_ahead(in->bom, in->bom_len, &in->bom_pos, buf, n);
    return plain_read(in, buf, n);
}

/* Lines and columns as csv_reader counts them: CR, LF or CRLF ends a line;
 * columns are characters. */
static void track(struct vm_input *in, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || (c == '\n' && !in->last_cr)) {
            in->line++;
            in->col = 1;
        } else if (c != '\n' && (c & 0xC0) != 0x80) {
            in->col++;
        }
        in->last_cr = c == '\r';
    }
}

static ssize_t convert(struct vm_input *in, char *buf, size_t n)
{
    char *out = buf;
    size_t outleft = n;
    while (outleft == n) {
        if (!in->c_eof && (in->cbuf_len == 0 || in->c_need_more)) {
            ssize_t got = byte_read(in, in->cbuf + in->cbuf_len, INPUT_CHUNK - in->cbuf_len);
            if (got < 0)
                return -1;
            in->c_eof = got == 0;
            in->cbuf_len += (size_t)got;
            in->c_need_more = false;
        }
        if (in->cbuf_len == 0)
            break;
        char *inp = (char *)in->cbuf, *before = out;
        size_t inleft = in->cbuf_len;
        size_t rc = iconv(in->cd, &inp, &inleft, &out, &outleft);
        int e = errno;
        track(in, before, (size_t)(out - before));
        if (rc == (size_t)-1 && e == EILSEQ) {
            const unsigned char *bad = (const unsigned char *)inp;
            char bytes[16];
            if (inleft > 1 && (strstr(in->enc, "16") || strstr(in->enc, "32")))
                snprintf(bytes, sizeof bytes, "bytes 0x%02X 0x%02X", bad[0], bad[1]);
            else
                snprintf(bytes, sizeof bytes, "byte 0x%02X", bad[0]);
            return fail(in, ":%ld:%ld: not valid %s text (%s); check --encoding", in->line, in->col,
                        in->enc, bytes);
        }
        memmove(in->cbuf, inp, inleft);
        in->cbuf_len = inleft;
        if (rc == (size_t)-1 && e == EINVAL) {
            if (in->c_eof)
                return fail(in, ":%ld:%ld: the file ends inside a %s character", in->line, in->col,
                            in->enc);
            in->c_need_more = true;
        } else if (rc == (size_t)-1 && e != E2BIG) {
            return fail(in, ": cannot decode %s text: %s", in->enc, strerror(e));
        }
        if (rc == (size_t)-1 && e == E2BIG)
            break;
    }
    return (ssize_t)(n - outleft);
}

static ssize_t text_read(void *cookie, char *buf, size_t n)
{
    struct vm_input *in = cookie;
    if (in->fail.code)
        return -1;
    if (in->cd == (iconv_t)-1)
        return byte_read(in, (unsigned char *)buf, n);
    return convert(in, buf, n);
}

/* ---- opening ---- */

static bool is_utf8_name(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

int input_parse_delimiter(const char *arg)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
        return '\t';
    if (strlen(arg) == 1 && strchr(",;|\t", arg[0]))
        return arg[0];
    return -1;
}

int input_check_encoding(const char *name, struct vm_err *err)
{
    if (is_utf8_name(name))
        return 0;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return vm_err_set(err, VM_EXIT_USAGE,
                          "--encoding %s: unknown encoding (try LATIN1, WINDOWS-1252, UTF-16,"
                          " UTF-16LE, UTF-16BE or UTF-8; `iconv -l` lists them all)",
                          name);
    iconv_close(cd);
    return 0;
}

/* ASCII text in UTF-16 has a NUL in every other byte: "n\0a\0" or "\0n\0a". */
static bool looks_utf16(const unsigned char *b, size_t n)
{
    return n == 4 && ((b[0] && !b[1] && b[2] && !b[3]) || (!b[0] && b[1] && !b[2] && b[3]));
}

/* Picks the text's encoding: a BOM first, then --encoding, else UTF-8. */
static int setup_encoding(struct vm_input *in, const char *encoding, struct vm_err *err)
{
    ssize_t got = plain_read(in, in->bom, sizeof in->bom);
    if (got < 0)
        return -1;
    in->bom_len = (size_t)got;
    const char *enc = encoding && !is_utf8_name(encoding) ? encoding : NULL;
    if (in->bom_len >= 3 && memcmp(in->bom, "\xEF\xBB\xBF", 3) == 0) {
        enc = NULL; /* csv_reader skips a UTF-8 BOM itself */
    } else if (in->bom_len >= 2 && memcmp(in->bom, "\xFF\xFE", 2) == 0) {
        enc = "UTF-16LE";
        in->bom_pos = 2;
    } else if (in->bom_len >= 2 && memcmp(in->bom, "\xFE\xFF", 2) == 0) {
        enc = "UTF-16BE";
        in->bom_pos = 2;
    }
    if (!enc && !encoding && looks_utf16(in->bom, in->bom_len))
        return fail(in,
                    ": looks like UTF-16%s text without a byte order mark; name its encoding"
                    " with --encoding UTF-16%s",
                    in->bom[1] == 0 ? "LE" : "BE", in->bom[1] == 0 ? "LE" : "BE");
    if (!enc)
        return 0;
    snprintf(in->enc, sizeof in->enc, "%s", enc);
    for (char *p = in->enc; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    in->cd = iconv_open("UTF-8", enc);
    if (in->cd == (iconv_t)-1) {
        input_check_encoding(enc, err);
        return -1;
    }
    in->cbuf = xmalloc(INPUT_CHUNK);
    return 0;
}

/* The reader's own error, or the reason a layer below it failed. */
static void take_failure(struct vm_input *in, struct vm_err *err)
{
    if (in->fail.code && err)
        *err = in->fail;
}

static int open_csv(struct vm_input *in, const struct input_options *o, struct vm_err *err)
{
    static const cookie_io_functions_t io = {.read = text_read};
    if (in->head_len >= 2 && in->head[0] == 0x1F && in->head[1] == 0x8B) {
        in->gz = true;
        in->zbuf = xmalloc(INPUT_CHUNK);
        if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
            return vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot start zlib", in->name);
    }
    if (setup_encoding(in, o->encoding, err) != 0) {
        take_failure(in, err);
        return err->code ? err->code : VM_EXIT_FAILURE;
    }
    if (!(in->text = fopencookie(in, "r", io)))
        return vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot open a stream: %s", in->name,
                          strerror(errno));
    struct csv_options copt = {
        .delimiter = o->delimiter,
        .utf8_hint = o->encoding ? NULL
                                 : "if the file is in another encoding, name it with --encoding"
                                   " (e.g. --encoding WINDOWS-1252), or save it as UTF-8",
    };
    if (!(in->csv = csv_reader_open(in->text, in->name, &copt, err))) {
        take_failure(in, err);
        return err->code ? err->code : VM_EXIT_DATAERR;
    }
    return 0;
}

struct vm_input *input_open(FILE *raw, const char *display_name, const struct input_options *o,
                            struct vm_err *err)
{
    struct vm_input *in = xcalloc(1, sizeof *in);
    struct input_options none = {0};
    o = o ? o : &none;
    in->raw = raw;
    in->name = xstrdup(display_name ? display_name : "-");
    in->cd = (iconv_t)-1;
    in->line = in->col = 1;
    ssize_t got = read_full(raw, in->head, sizeof in->head);
    int rc;
    if (got < 0) {
        rc = vm_err_set(err, VM_EXIT_FAILURE, "%s: read error: %s", in->name, strerror(errno));
    } else {
        in->head_len = (size_t)got;
        if (in->head_len == 4 && memcmp(in->head, "PK\x03\x04", 4) == 0) {
            in->xlsx = xlsx_reader_open(raw, in->head, in->head_len, in->name, o->sheet, err);
            rc = in->xlsx ? 0 : (err->code ? err->code : VM_EXIT_DATAERR);
            if (rc == 0 && o->encoding && !is_utf8_name(o->encoding))
                rc = vm_err_set(err, VM_EXIT_USAGE,
                                "%s: --encoding applies to CSV files; a workbook's text is"
                                " always Unicode",
                                in->name);
        } else if (in->head_len == 4 && memcmp(in->head, "\xD0\xCF\x11\xE0", 4) == 0) {
            rc = vm_err_set(err, VM_EXIT_DATAERR,
                            "%s: an Excel 97-2003 (.xls) workbook, which import does not read;"
                            " save it as .xlsx or CSV",
                            in->name);
        } else if (o->sheet) {
            rc = vm_err_set(err, VM_EXIT_USAGE,
                            "%s: --sheet applies to .xlsx workbooks; this file is not one",
                            in->name);
        } else {
            rc = open_csv(in, o, err);
        }
    }
    if (rc != 0) {
        input_close(in);
        return NULL;
    }
    return in;
}

int input_next(struct vm_input *in, struct csv_record *rec, struct vm_err *err)
{
    if (in->xlsx)
        return xlsx_reader_next(in->xlsx, rec, err);
    int rc = csv_reader_next(in->csv, rec, err);
    if (rc == -2)
        take_failure(in, err);
    return rc;
}

const struct csv_record *input_header(const struct vm_input *in)
{
    return in->xlsx ? xlsx_reader_header(in->xlsx) : csv_reader_header(in->csv);
}

const char *input_name(const struct vm_input *in)
{
    return in->xlsx ? xlsx_reader_name(in->xlsx) : in->name;
}

void input_close(struct vm_input *in)
{
    if (!in)
        return;
    csv_reader_close(in->csv);
    xlsx_reader_close(in->xlsx);
    if (in->text)
        fclose(in->text);
    if (in->gz)
        inflateEnd(&in->z);
    if (in->cd != (iconv_t)-1)
        iconv_close(in->cd);
    free(in->zbuf);
    free(in->cbuf);
    free(in->name);
    free(in);
}
