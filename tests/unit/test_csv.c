/*
 * test_csv: the CSV reader's contract. Every parsing feature, every error with
 * its exact line and column, the size limits on hostile input, and records
 * that straddle read-chunk boundaries (tests force tiny chunks).
 */
#define _GNU_SOURCE /* fopencookie */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/columns.h"
#include "io/csv_reader.h"

/* An in-memory reader over `len` bytes of `data` (copied into a tmpfile so
 * embedded NULs survive). */
struct fx {
    FILE *f;
    struct csv_reader *r;
    struct vm_err err;
};

static void fx_open_opt(struct fx *x, const char *data, size_t len, const struct csv_options *opt)
{
    x->f = tmpfile();
    assert_non_null(x->f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, x->f), len);
    rewind(x->f);
    vm_err_clear(&x->err);
    x->r = csv_reader_open(x->f, "t.csv", opt, &x->err);
}

static void fx_open(struct fx *x, const char *data)
{
    fx_open_opt(x, data, strlen(data), NULL);
}

static void fx_close(struct fx *x)
{
    csv_reader_close(x->r);
    fclose(x->f);
}

static void test_basic_lf(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x, "name,country\nAcme,US\nBeta Ltd,IN\n");
    assert_non_null(x.r);
    assert_int_equal(csv_reader_delimiter(x.r), ',');
    const struct csv_record *h = csv_reader_header(x.r);
    assert_int_equal(h->nfields, 2);
    assert_string_equal(h->fields[0], "name");
    assert_string_equal(h->fields[1], "country");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(rec.nfields, 2);
    assert_string_equal(rec.fields[0], "Acme");
    assert_string_equal(rec.fields[1], "US");
    assert_int_equal(rec.lens[0], 4);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.index, 1);
    assert_int_equal(rec.field_col[0], 1);
    assert_int_equal(rec.field_col[1], 6);
    assert_int_equal(rec.raw_len, 7);
    assert_memory_equal(rec.raw, "Acme,US", 7);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[0], "Beta Ltd");
    assert_int_equal(rec.line, 3);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    assert_int_equal(csv_reader_record_count(x.r), 2);
    assert_int_equal(csv_reader_bytes(x.r), 33);
    fx_close(&x);
}

static void test_crlf_bom_semicolon(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x,
            "\xEF\xBB\xBFVendor;HQ\r\nSoci\xC3\xA9t\xC3\xA9;FR\r\n\xC3\x89lan;\"Paris; FR\"\r\n");
    assert_non_null(x.r);
    assert_int_equal(csv_reader_delimiter(x.r), ';');
    assert_string_equal(csv_reader_header(x.r)->fields[0], "Vendor");
    assert_int_equal(csv_reader_header(x.r)->field_col[0], 1);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[0], "Soci\xC3\xA9t\xC3\xA9");
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.field_col[1], 9); /* characters, not bytes */
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[1], "Paris; FR");
    assert_int_equal(rec.line, 3);
    assert_int_equal(rec.field_col[1], 6);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);
}

static void test_quotes_newlines(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x, "id,description,name\n"
                "1,\"He said \"\"hi\"\", then\nleft, twice\r\nok\",Acme\n"
                "2,  plain  ,\"\"\n"
                "3,\"x\"  ,last");
    assert_non_null(x.r);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[1], "He said \"hi\", then\nleft, twice\r\nok");
    assert_string_equal(rec.fields[2], "Acme");
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.field_line[2], 4);
    assert_int_equal(rec.field_col[2], 5);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(rec.line, 5);
    assert_string_equal(rec.fields[1], "plain"); /* unquoted spaces trimmed */
    assert_string_equal(rec.fields[2], "");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(rec.line, 6);
    assert_string_equal(rec.fields[1], "x");
    assert_string_equal(rec.fields[2], "last"); /* no final newline */
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);
}

/* Spaces around fields: unquoted trimmed, quoted kept inside the quotes,
 * TAB is data only when it is not the delimiter. */
static void test_spaces_and_tabs(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x, "a\tb\tc\n  x y  \t \" q \"  \t\n");
    assert_int_equal(csv_reader_delimiter(x.r), '\t');
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[0], "x y");
    assert_string_equal(rec.fields[1], " q ");
    assert_string_equal(rec.fields[2], "");
    fx_close(&x);
    fx_open(&x, "a,b\n\t x\t , \"\"\"\"\n");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[0], "x");
    assert_string_equal(rec.fields[1], "\"");
    fx_close(&x);
}

static void test_blank_lines_and_empty_fields(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x, "\n\na,b,c\n\n,,\n   \n1,,3\n\n");
    assert_non_null(x.r);
    assert_int_equal(csv_reader_header(x.r)->line, 3);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(rec.line, 5);
    assert_int_equal(rec.nfields, 3);
    assert_string_equal(rec.fields[2], "");
    assert_int_equal(rec.field_col[2], 3);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(rec.line, 7);
    assert_string_equal(rec.fields[2], "3");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);
}

static void test_delimiter_detection(void **state)
{
    struct fx x;
    fx_open(&x, "a\tb\tc\n1\t2\t3\n");
    assert_int_equal(csv_reader_delimiter(x.r), '\t');
    fx_close(&x);
    fx_open(&x, "a|b|c\n1|2|3\n");
    assert_int_equal(csv_reader_delimiter(x.r), '|');
    fx_close(&x);
    /* commas inside quotes do not count */
    fx_open(&x, "\"a,b,c,d\";e;f\n\"1,2\";3;4\n");
    assert_int_equal(csv_reader_delimiter(x.r), ';');
    assert_int_equal(csv_reader_header(x.r)->nfields, 3);
    fx_close(&x);
    /* consistency wins over count: the header has 3 ';' but rows disagree */
    fx_open(&x, "name,notes;a;b;c\nAcme,x\nBeta,y;z\n");
    assert_int_equal(csv_reader_delimiter(x.r), ',');
    fx_close(&x);
    /* single column */
    fx_open(&x, "name\nAcme\n");
    assert_int_equal(csv_reader_delimiter(x.r), ',');
    assert_int_equal(csv_reader_header(x.r)->nfields, 1);
    fx_close(&x);
    /* forced */
    struct csv_options o = {.delimiter = ';'};
    fx_open_opt(&x, "a,b;c\n", 6, &o);
    assert_int_equal(csv_reader_delimiter(x.r), ';');
    assert_string_equal(csv_reader_header(x.r)->fields[0], "a,b");
    fx_close(&x);
}

static void test_empty_and_header_only(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x, "");
    assert_null(x.r);
    assert_int_equal(x.err.code, VM_EXIT_DATAERR);
    assert_non_null(strstr(x.err.msg, "t.csv:1:1: file is empty"));
    fclose(x.f);
    fx_open(&x, "\xEF\xBB\xBF\r\n  \n");
    assert_null(x.r);
    assert_non_null(strstr(x.err.msg, "file is empty"));
    fclose(x.f);
    fx_open(&x, "name,website\n");
    assert_non_null(x.r);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    assert_int_equal(csv_reader_record_count(x.r), 0);
    fx_close(&x);
}

static void expect_bad(const char *data, size_t len, const struct csv_options *opt, long line,
                       long col, const char *reason)
{
    struct fx x;
    struct csv_record rec;
    fx_open_opt(&x, data, len, opt);
    assert_non_null(x.r);
    int rc;
    while ((rc = csv_reader_next(x.r, &rec, &x.err)) == 1)
        ;
    assert_int_equal(rc, -1);
    char want[256];
    snprintf(want, sizeof want, "t.csv:%ld:%ld: %s", line, col, reason);
    if (strncmp(x.err.msg, want, strlen(want)) != 0)
        fail_msg("got \"%s\", want \"%s\"", x.err.msg, want);
    assert_int_equal(x.err.code, VM_EXIT_DATAERR);
    assert_int_equal(rec.err_line, line);
    assert_int_equal(rec.err_col, col);
    fx_close(&x);
}

static void test_errors_positions(void **state)
{
    const char *s;
    s = "a,b,c\n1,2,3\n4,5,6,7\n";
    expect_bad(s, strlen(s), NULL, 3, 7, "expected 3 fields, found 4");
    s = "a,b,c\n1,2\n";
    expect_bad(s, strlen(s), NULL, 2, 4, "expected 3 fields, found 2");
    s = "a,b\n1,\"multi\nline\",3\n";
    expect_bad(s, strlen(s), NULL, 3, 7, "expected 2 fields, found 3");
    s = "a,b\n1,\"open\n2,3\n";
    expect_bad(s, strlen(s), NULL, 2, 3, "unterminated quoted field");
    s = "a,b\nx,caf\xC3\xA9 \xFF\n";
    expect_bad(s, strlen(s), NULL, 2, 8, "invalid UTF-8 (byte 0xFF)");
    s = "a,b\nx,\"m\n\xC3\xA9\xC3\xA9\xC0\x80\"\n";
    expect_bad(s, strlen(s), NULL, 3, 3, "invalid UTF-8 (byte 0xC0)");
    s = "a,b\n1,ab\0cd\n";
    expect_bad(s, 12, NULL, 2, 5, "NUL byte in field");
    /* RFC 4180 in a quoted field, as Python's csv.reader(strict=True): text
     * after the closing quote is an error (its default would silently drop
     * the quotes: "ab"cd -> abcd, "ab"c"d" -> abc"d"). */
    s = "a,b\n1,\"ab\"cd\n";
    expect_bad(s, strlen(s), NULL, 2, 7, "unexpected character after a closing quote");
    s = "a,b\n1,\"ab\"c\"d\"\n";
    expect_bad(s, strlen(s), NULL, 2, 7, "unexpected character after a closing quote");
    s = "a,b\n1,\"He said \"hi\" to me\"\n";
    expect_bad(s, strlen(s), NULL, 2, 13, "unexpected character after a closing quote");
    s = "a,b\n1,  \"x\"\"\"y\n";
    expect_bad(s, strlen(s), NULL, 2, 10, "unexpected character after a closing quote");
    s = "a,b\n1,\"ab\"\",x\n";
    expect_bad(s, strlen(s), NULL, 2, 3, "unterminated quoted field");
    struct csv_options o = {.max_field = 8};
    s = "a,b\n1,123456789\n";
    expect_bad(s, strlen(s), &o, 2, 3, "field exceeds 8 bytes");
}

/* A quote inside an unquoted field is data, kept as written, as Python's
 * csv module (strict or not) and spreadsheets read it. */
#define MODESTO "37°36'37.8\"N 121°2'17.9\"W"

static void test_bare_quotes_are_data(void **state)
{
    const char *s = "id,coords,city\n"
                    "2095257564," MODESTO ",Modesto\n"
                    "2,12\" monitor,ab\"\"cd\n"
                    "3,a\"b\"\",  x\" \n"
                    "4,\"\"\"quoted\"\"\",ab\"\n";
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        struct csv_options o = {.chunk_size = chunk};
        struct fx x;
        struct csv_record rec;
        fx_open_opt(&x, s, strlen(s), &o);
        assert_non_null(x.r);
        assert_int_equal(csv_reader_delimiter(x.r), ',');
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
        assert_int_equal(rec.nfields, 3);
        assert_string_equal(rec.fields[0], "2095257564");
        assert_string_equal(rec.fields[1], MODESTO);
        assert_string_equal(rec.fields[2], "Modesto");
        /* characters: each degree sign counts one */
        assert_int_equal(rec.field_col[2], 38);
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
        assert_string_equal(rec.fields[1], "12\" monitor");
        assert_string_equal(rec.fields[2], "ab\"\"cd"); /* "" is not an escape outside quotes */
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
        assert_string_equal(rec.fields[1], "a\"b\"\"");
        assert_string_equal(rec.fields[2], "x\""); /* spaces trimmed, the quote kept */
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
        assert_string_equal(rec.fields[1], "\"quoted\"");
        assert_string_equal(rec.fields[2], "ab\"");
        assert_int_equal(rec.line, 5);
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
        fx_close(&x);
    }
}

/* A bare quote opens nothing: the line end still ends the record, and a
 * delimiter after it still ends the field. */
static void test_bare_quote_opens_nothing(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x, "a,b\nab\"\ncd\",x\nq\"r,s\"t\n");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), -1);
    assert_int_equal(rec.line, 2);
    assert_string_equal(rec.err_reason, "expected 2 fields, found 1");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(rec.line, 3);
    assert_string_equal(rec.fields[0], "cd\"");
    assert_string_equal(rec.fields[1], "x");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[0], "q\"r");
    assert_string_equal(rec.fields[1], "s\"t");
    assert_int_equal(rec.field_col[1], 5);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);
    /* In the header too, and the delimiter is detected past it: a quote
     * there once hid the rest of the file from the detection. */
    fx_open(&x, "Name;Size (\");City\nAcme;12;Paris\nBeta;15;Lyon\n");
    assert_non_null(x.r);
    assert_int_equal(csv_reader_delimiter(x.r), ';');
    assert_int_equal(csv_reader_header(x.r)->nfields, 3);
    assert_string_equal(csv_reader_header(x.r)->fields[1], "Size (\")");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[2], "Paris");
    fx_close(&x);
}

static void test_skip_mode_continues(void **state)
{
    struct fx x;
    struct csv_record rec;
    fx_open(&x, "a,b\n1,2\n3,4,5\n6,\xFF\n7,8\n");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), -1);
    assert_int_equal(rec.line, 3);
    assert_memory_equal(rec.raw, "3,4,5", 5);
    assert_int_equal(rec.raw_len, 5);
    assert_string_equal(rec.err_reason, "expected 2 fields, found 3");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), -1);
    assert_int_equal(rec.line, 4);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[0], "7");
    assert_int_equal(rec.index, 4);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);
}

static void test_header_errors(void **state)
{
    struct fx x;
    fx_open(&x, "name,\xFFx\n1,2\n");
    assert_null(x.r);
    assert_non_null(strstr(x.err.msg, "t.csv:1:6: invalid UTF-8"));
    assert_non_null(strstr(x.err.msg, "header"));
    fclose(x.f);
}

/* A header field over max_field that ends inside the first chunk: the
 * record's bytes were never stored, and the content check must not hand a
 * NULL buffer to memchr (undefined behaviour, caught by UBSan). */
static void test_header_field_over_limit(void **state)
{
    struct csv_options o = {.max_field = 4};
    struct fx x;
    const char *s = "abcdefgh,b\n1,2\n";
    fx_open_opt(&x, s, strlen(s), &o);
    assert_null(x.r);
    assert_string_equal(x.err.msg, "t.csv:1:1: field exceeds 4 bytes (in the header row)");
    assert_int_equal(x.err.code, VM_EXIT_DATAERR);
    fclose(x.f);
}

/* A 2 MiB field is a bad record (bounded memory, raw truncated) and the next
 * record reads; a 10 MiB one also passes the 8 MiB record limit, which ends
 * the file: the reader stops there instead of reading the record whole. */
static void test_huge_field(void **state)
{
    size_t big = 10u << 20;
    char *data = malloc(big + 64);
    size_t n = 0;
    n += (size_t)sprintf(data, "name,notes\nA,\"");
    memset(data + n, 'x', 2u << 20);
    n += 2u << 20;
    n += (size_t)sprintf(data + n, "\"\nB,ok\n");
    struct fx x;
    struct csv_record rec;
    fx_open_opt(&x, data, n, NULL);
    assert_non_null(x.r);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), -1);
    assert_string_equal(x.err.msg, "t.csv:2:3: field exceeds 1 MiB");
    assert_true(rec.raw_truncated);
    assert_true(rec.raw_len < (2u << 20));
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_string_equal(rec.fields[0], "B");
    assert_int_equal(rec.line, 3);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);

    n = (size_t)sprintf(data, "name,notes\nA,\"");
    memset(data + n, 'x', big);
    n += big;
    n += (size_t)sprintf(data + n, "\"\nB,ok\n");
    fx_open_opt(&x, data, n, NULL);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), -2);
    assert_int_equal(x.err.code, VM_EXIT_DATAERR);
    assert_string_equal(x.err.msg, "t.csv:2:3: field exceeds 1 MiB; the record runs past 8 MiB, "
                                   "so the file was not read further");
    assert_true(csv_reader_bytes(x.r) < (long long)(9u << 20));
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);

    /* An unquoted 10 MB line of delimiters: limited too. */
    n = (size_t)sprintf(data, "a,b\n");
    memset(data + n, ',', big);
    n += big;
    fx_open_opt(&x, data, n, NULL);
    free(data);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), -2);
    assert_non_null(strstr(x.err.msg, "t.csv:2:1: record has more than"));
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);
}

/* An endless stream: a prefix, then one byte forever; counts what the
 * reader pulls from it. */
struct endless {
    const char *prefix;
    char byte;
    size_t served;
};

static ssize_t endless_read(void *cookie, char *buf, size_t size)
{
    struct endless *e = cookie;
    size_t plen = strlen(e->prefix), k = 0;
    for (; k < size && e->served + k < plen; k++)
        buf[k] = e->prefix[e->served + k];
    memset(buf + k, e->byte, size - k);
    e->served += size;
    return (ssize_t)size;
}

static FILE *endless_open(struct endless *e, const char *prefix, char byte)
{
    static const cookie_io_functions_t io = {.read = endless_read};
    *e = (struct endless){prefix, byte, 0};
    return fopencookie(e, "r", io);
}

static void test_endless_input_stops(void **state)
{
    struct endless e;
    struct vm_err err;
    struct csv_record rec;

    FILE *f = endless_open(&e, "", '\0');
    vm_err_clear(&err);
    assert_null(csv_reader_open(f, "zero", NULL, &err));
    assert_int_equal(err.code, VM_EXIT_DATAERR);
    assert_string_equal(err.msg, "zero:1:1: NUL byte in field (in the header row)");
    assert_true(e.served <= 4 * CSV_DEFAULT_CHUNK);
    fclose(f);

    f = endless_open(&e, "", 'y');
    vm_err_clear(&err);
    assert_null(csv_reader_open(f, "yes", NULL, &err));
    assert_string_equal(err.msg, "yes:1:1: field exceeds 1 MiB (in the header row)");
    assert_true(e.served <= (2u << 20));
    fclose(f);

    /* Tiny limits show the bound is the option, not the default. */
    struct csv_options o = {.max_field = 100, .max_record = 1000, .chunk_size = 16};
    f = endless_open(&e, "", ',');
    vm_err_clear(&err);
    assert_null(csv_reader_open(f, "commas", &o, &err));
    assert_string_equal(err.msg, "commas:1:1: record exceeds 1000 bytes; the file was not read "
                                 "further (in the header row)");
    assert_true(e.served <= 2 * CSV_DEFAULT_CHUNK);
    fclose(f);

    /* A good header and row, then a line that never ends: -2, then EOF. */
    f = endless_open(&e, "a,b\n1,2\n3,", 'x');
    vm_err_clear(&err);
    struct csv_reader *r = csv_reader_open(f, "line", &o, &err);
    assert_non_null(r);
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_string_equal(rec.fields[1], "2");
    assert_int_equal(csv_reader_next(r, &rec, &err), -2);
    assert_string_equal(err.msg, "line:3:3: field exceeds 100 bytes; the record runs past 1000 "
                                 "bytes, so the file was not read further");
    size_t served = e.served;
    assert_true(served <= 2 * CSV_DEFAULT_CHUNK);
    assert_int_equal(csv_reader_next(r, &rec, &err), 0);
    assert_int_equal(e.served, served);
    csv_reader_close(r);
    fclose(f);
}

/* A record past max_record that ends inside the read chunk is final too:
 * the lines after it are not read (found by fuzz_csv_reader). */
static void test_stop_inside_chunk(void **state)
{
    struct csv_options o = {.max_field = 8, .max_record = 16};
    struct fx x;
    struct csv_record rec;
    const char *s = "a,b\n1,2\n3,xxxxxxxxxxxxxxxxxxxx\n4,5\n";
    fx_open_opt(&x, s, strlen(s), &o);
    assert_non_null(x.r);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), -2);
    assert_string_equal(x.err.msg, "t.csv:3:3: field exceeds 8 bytes; the record runs past 16 "
                                   "bytes, so the file was not read further");
    assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
    fx_close(&x);
}

/* Every chunk size from 1 to 40 must give the same records as one big read:
 * quoted fields, CRLF and the BOM then straddle every possible boundary. */
static void test_chunk_boundaries(void **state)
{
    const char *s = "\xEF\xBB\xBF"
                    "name;desc;city\r\n"
                    "Acme;\"a;b\r\nc \"\"q\"\"\";Z\xC3\xBCrich\r\n"
                    "\r\n"
                    "Beta;  x  ;\"\"\r\n"
                    "Gamma;\"\";\"end\"";
    for (size_t chunk = 1; chunk <= 40; chunk++) {
        struct csv_options o = {.chunk_size = chunk};
        struct fx x;
        struct csv_record rec;
        fx_open_opt(&x, s, strlen(s), &o);
        assert_non_null(x.r);
        assert_int_equal(csv_reader_delimiter(x.r), ';');
        assert_string_equal(csv_reader_header(x.r)->fields[0], "name");
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
        assert_string_equal(rec.fields[1], "a;b\r\nc \"q\"");
        assert_string_equal(rec.fields[2], "Z\xC3\xBCrich");
        assert_int_equal(rec.field_line[2], 3);
        assert_int_equal(rec.field_col[2], 10);
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
        assert_int_equal(rec.line, 5);
        assert_string_equal(rec.fields[1], "x");
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 1);
        assert_int_equal(rec.line, 6);
        assert_string_equal(rec.fields[2], "end");
        assert_int_equal(csv_reader_next(x.r, &rec, &x.err), 0);
        assert_int_equal(csv_reader_bytes(x.r), (long long)strlen(s));
        fx_close(&x);
    }
}

/* A quoted field across the default 64 KiB read boundary. */
static void test_default_chunk_boundary(void **state)
{
    size_t n = 0, cap = 200000;
    char *data = malloc(cap);
    n += (size_t)sprintf(data, "name,notes\n");
    while (n < 65536 - 20)
        n += (size_t)sprintf(data + n, "Acme,plain\n");
    n += (size_t)sprintf(data + n, "Edge,\"");
    for (int k = 0; k < 100; k++)
        n += (size_t)sprintf(data + n, "l%d\r\n", k);
    n += (size_t)sprintf(data + n, "\"\r\nLast,x\r\n");
    struct fx x;
    struct csv_record rec;
    fx_open_opt(&x, data, n, NULL);
    int rc;
    long count = 0;
    while ((rc = csv_reader_next(x.r, &rec, &x.err)) == 1) {
        count++;
        if (strcmp(rec.fields[0], "Edge") == 0) {
            assert_int_equal(rec.lens[1], 490);
            assert_memory_equal(rec.fields[1], "l0\r\nl1\r\n", 8);
        }
    }
    assert_int_equal(rc, 0);
    assert_string_equal(rec.fields[0], "Last");
    assert_int_equal(rec.line, count + 1 + 100);
    fx_close(&x);
    free(data);
}

/* Bad or truncated UTF-8 at the very end of the file. */
static void test_truncated_utf8_at_eof(void **state)
{
    const char *s = "a,b\n1,\xE2\x82";
    expect_bad(s, strlen(s), NULL, 2, 3, "invalid UTF-8 (byte 0xE2)");
}

static FILE *open_fixture(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", VM_FIXTURES_DIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    return f;
}

/* The committed catalogs parse cleanly, with the delimiter and the columns
 * fixtures/README.md promises. */
static void test_fixture_catalogs(void **state)
{
    static const struct {
        const char *file;
        char delim;
        long records;
        size_t extra;
    } cases[] = {
        {"catalogs/canonical.csv", ',', 20, 0},
        {"catalogs/clutch_export.csv", ',', 28, 3},
        {"catalogs/excel_semicolon.csv", ';', 21, 1},
        {"catalogs/partner_overlap.csv", ',', 20, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        FILE *f = open_fixture(cases[i].file);
        struct vm_err err;
        struct csv_reader *r = csv_reader_open(f, cases[i].file, NULL, &err);
        assert_non_null(r);
        assert_int_equal(csv_reader_delimiter(r), cases[i].delim);
        const struct csv_record *h = csv_reader_header(r);
        struct column_map m;
        assert_int_equal(columns_map(h->fields, h->nfields, NULL, 0, cases[i].file, 0, &m, &err),
                         0);
        assert_int_equal(m.nextra, cases[i].extra);
        struct csv_record rec;
        int rc;
        while ((rc = csv_reader_next(r, &rec, &err)) == 1)
            assert_int_equal(rec.nfields, h->nfields);
        if (rc != 0)
            fail_msg("%s", err.msg);
        assert_int_equal(csv_reader_record_count(r), cases[i].records);
        column_map_free(&m);
        csv_reader_close(r);
        fclose(f);
    }
}

/* Each hostile file fails where fixtures/README.md says it does. */
static void test_fixture_broken(void **state)
{
    static const struct {
        const char *file;
        const char *error; /* NULL: every record reads */
        long records;
    } cases[] = {
        {"broken/empty.csv", "broken/empty.csv:1:1: file is empty", 0},
        {"broken/header_only.csv", NULL, 0},
        {"broken/ragged_rows.csv", "broken/ragged_rows.csv:4:81: expected 5 fields, found 6", 4},
        {"broken/unterminated_quote.csv",
         "broken/unterminated_quote.csv:3:22: unterminated quoted field", 2},
        {"broken/invalid_utf8.csv", "broken/invalid_utf8.csv:3:7: invalid UTF-8 (byte 0xE9)", 3},
        {"broken/nul_byte.csv", "broken/nul_byte.csv:2:6: NUL byte in field", 2},
        {"broken/injection.csv", NULL, 10},
        {"broken/html_formula.csv", NULL, 9},
        {"broken/no_name_column.csv", NULL, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        FILE *f = open_fixture(cases[i].file);
        struct vm_err err;
        vm_err_clear(&err);
        bool seen = false;
        struct csv_reader *r = csv_reader_open(f, cases[i].file, NULL, &err);
        if (!r) {
            seen = cases[i].error && strstr(err.msg, cases[i].error) == err.msg;
        } else {
            struct csv_record rec;
            int rc;
            while ((rc = csv_reader_next(r, &rec, &err)) != 0) {
                assert_int_not_equal(rc, -2);
                if (rc == -1) {
                    if (!cases[i].error || strstr(err.msg, cases[i].error) != err.msg)
                        fail_msg("%s: unexpected \"%s\"", cases[i].file, err.msg);
                    seen = true;
                }
            }
            assert_int_equal(csv_reader_record_count(r), cases[i].records);
            csv_reader_close(r);
        }
        if (cases[i].error && !seen)
            fail_msg("%s: want \"%s\", got \"%s\"", cases[i].file, cases[i].error, err.msg);
        fclose(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_lf),
        cmocka_unit_test(test_crlf_bom_semicolon),
        cmocka_unit_test(test_quotes_newlines),
        cmocka_unit_test(test_spaces_and_tabs),
        cmocka_unit_test(test_blank_lines_and_empty_fields),
        cmocka_unit_test(test_delimiter_detection),
        cmocka_unit_test(test_empty_and_header_only),
        cmocka_unit_test(test_errors_positions),
        cmocka_unit_test(test_bare_quotes_are_data),
        cmocka_unit_test(test_bare_quote_opens_nothing),
        cmocka_unit_test(test_skip_mode_continues),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_header_field_over_limit),
        cmocka_unit_test(test_huge_field),
        cmocka_unit_test(test_endless_input_stops),
        cmocka_unit_test(test_stop_inside_chunk),
        cmocka_unit_test(test_chunk_boundaries),
        cmocka_unit_test(test_default_chunk_boundary),
        cmocka_unit_test(test_truncated_utf8_at_eof),
        cmocka_unit_test(test_fixture_catalogs),
        cmocka_unit_test(test_fixture_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
