/*
 * conn: target resolution, redaction and connecting. Redaction is textual
 * (it must work on strings libpq refuses to parse), and as a second line of
 * defence every message built from libpq text is scrubbed of the password
 * values found both textually and by PQconninfoParse (percent-decoded).
 */
#include "db/conn.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "db/embedded.h"

void vm_db_resolve(const char *db_option, struct vm_db_target *out)
{
    const char *v;
    if (db_option) {
        *out = (struct vm_db_target){VM_DB_FROM_OPTION, db_option};
    } else if ((v = getenv("VENDORMATCH_DB")) && v[0]) {
        *out = (struct vm_db_target){VM_DB_FROM_VENDORMATCH, v};
    } else if ((v = getenv("DATABASE_URL")) && v[0]) {
        *out = (struct vm_db_target){VM_DB_FROM_DATABASE_URL, v};
    } else {
        *out = (struct vm_db_target){VM_DB_EMBEDDED, NULL};
    }
}

const char *vm_db_source_name(enum vm_db_source source)
{
    switch (source) {
    case VM_DB_FROM_OPTION:
        return "--db";
    case VM_DB_FROM_VENDORMATCH:
        return "VENDORMATCH_DB";
    case VM_DB_FROM_DATABASE_URL:
        return "DATABASE_URL";
    case VM_DB_EMBEDDED:
        break;
    }
    return "the embedded database";
}

static bool is_uri(const char *s)
{
    return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0;
}

/* Appends value (or "***" when it is a password) and remembers the secret. */
static void put_value(struct sbuf *out, bool secret, const char *v, size_t n,
                      struct strlist *secrets)
{
    if (!secret) {
        sbuf_append(out, v, n);
        return;
    }
    sbuf_puts(out, "***");
    if (secrets && n > 0)
        strlist_push_owned(secrets, xstrndup(v, n));
}

/* URI: scheme://user:PASSWORD@host/db?password=PASSWORD&... The userinfo ends
 * at the first '@' unless a '/' comes first, as libpq parses it. */
static void redact_uri(const char *s, struct sbuf *out, struct strlist *secrets)
{
    const char *p = strstr(s, "://") + 3;
    sbuf_append(out, s, (size_t)(p - s));
    const char *at = p + strcspn(p, "@/");
    if (*at == '@') {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        const char *user_end = colon ? colon : at;
        sbuf_append(out, p, (size_t)(user_end - p));
        if (colon) {
            sbuf_putc(out, ':');
            put_value(out, true, colon + 1, (size_t)(at - colon - 1), secrets);
        }
        p = at;
    }
    const char *q = strchr(p, '?');
    if (!q) {
        sbuf_puts(out, p);
        return;
    }
    sbuf_append(out, p, (size_t)(q - p));
    while (*q) {
        sbuf_putc(out, *q++); /* '?' or '&' */
        size_t keylen = strcspn(q, "=&");
        sbuf_append(out, q, keylen);
        q += keylen;
        if (*q != '=')
            continue;
        sbuf_putc(out, *q++);
        size_t vlen = strcspn(q, "&");
        put_value(out, keylen == 8 && strncmp(q - 9, "password", 8) == 0, q, vlen, secrets);
        q += vlen;
    }
}

/* Length of a key=value value: quoted with '' (backslash escapes) or bare. */
static size_t kv_value_len(const char *v)
{
    const char *p = v;
    bool quoted = *p == '\'';
    if (quoted)
        p++;
    while (*p && (quoted ? *p != '\'' : !isspace((unsigned char)*p))) {
        if (*p == '\\' && p[1])
            p++;
        p++;
    }
    if (quoted && *p == '\'')
        p++;
    return (size_t)(p - v);
}

static void copy_spaces(const char **p, struct sbuf *out)
{
    while (isspace((unsigned char)**p))
        sbuf_putc(out, *(*p)++);
}

static void redact_kv(const char *p, struct sbuf *out, struct strlist *secrets)
{
    while (*p) {
        copy_spaces(&p, out);
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t keylen = (size_t)(p - key);
        sbuf_append(out, key, keylen);
        copy_spaces(&p, out);
        if (*p != '=')
            continue;
        sbuf_putc(out, *p++);
        copy_spaces(&p, out);
        size_t vlen = kv_value_len(p);
        put_value(out, keylen == 8 && strncmp(key, "password", 8) == 0, p, vlen, secrets);
        p += vlen;
    }
}

static char *redact_collect(const char *conninfo, struct strlist *secrets)
{
    struct sbuf out;
    sbuf_init(&out);
    if (is_uri(conninfo))
        redact_uri(conninfo, &out, secrets);
    else
        redact_kv(conninfo, &out, secrets);
    return sbuf_detach(&out);
}

char *vm_conninfo_redact(const char *conninfo)
{
    return redact_collect(conninfo, NULL);
}

/* Replaces every secret in msg by "***" and folds libpq's multi-line text
 * (newline + tab) into one line. Returns a malloc'd string. */
static char *scrub(const char *msg, const struct strlist *secrets)
{
    struct sbuf out;
    sbuf_init(&out);
    for (const char *p = msg; *p;) {
        size_t hit = 0;
        for (size_t i = 0; i < secrets->len && !hit; i++)
            if (strncmp(p, secrets->items[i], strlen(secrets->items[i])) == 0)
                hit = strlen(secrets->items[i]);
        if (hit) {
            sbuf_puts(&out, "***");
            p += hit;
        } else if (*p == '\n' || *p == '\t') {
            if (out.len && out.data[out.len - 1] != ' ' && p[1])
                sbuf_putc(&out, ' ');
            p++;
        } else {
            sbuf_putc(&out, *p++);
        }
    }
    return sbuf_detach(&out);
}

/* Adds the password values libpq itself would use (percent-decoded). */
static void collect_parsed_secrets(PQconninfoOption *opts, struct strlist *secrets)
{
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
            strlist_push(secrets, o->val);
}

static const char *what_to_do(enum vm_db_source origin)
{
    switch (origin) {
    case VM_DB_FROM_OPTION:
        return "check that the server is running and the --db value is right";
    case VM_DB_FROM_VENDORMATCH:
        return "check that the server is running and VENDORMATCH_DB is right, or unset "
               "VENDORMATCH_DB to use the embedded database";
    case VM_DB_FROM_DATABASE_URL:
        return "check that the server is running and DATABASE_URL is right, or unset "
               "DATABASE_URL to use the embedded database";
    case VM_DB_EMBEDDED:
        break;
    }
    return "see `vendormatch db status` and the server.log in the vendormatch home";
}

static void ignore_notice(void *arg, const char *message)
{
}

int vm_conn_open(const char *conninfo, enum vm_db_source origin, PGconn **out, struct vm_err *err)
{
    const char *const keys[] = {"dbname", "client_encoding", "fallback_application_name", NULL};
    const char *const vals[] = {conninfo, "UTF8", "vendormatch", NULL};
    struct strlist secrets;
    char *parse_err = NULL, *why = NULL;
    PGconn *conn = NULL;
    int rc = 0;

    strlist_init(&secrets);
    char *shown = redact_collect(conninfo, &secrets);
    PQconninfoOption *opts = PQconninfoParse(conninfo, &parse_err);
    if (!opts) {
        why = scrub(parse_err ? parse_err : "out of memory", &secrets);
        rc = vm_err_set(err, origin == VM_DB_FROM_OPTION ? VM_EXIT_USAGE : VM_EXIT_UNAVAILABLE,
                        "cannot parse the connection string '%s' (from %s): %s; give a URI "
                        "(postgresql://user@host/dbname) or key=value pairs (host=... "
                        "dbname=...)",
                        shown, vm_db_source_name(origin), why);
        goto done;
    }
    collect_parsed_secrets(opts, &secrets);
    conn = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        why = scrub(PQerrorMessage(conn), &secrets);
        rc = vm_err_set(err, VM_EXIT_UNAVAILABLE,
                        "cannot connect to the database '%s' (from %s): %s; %s", shown,
                        vm_db_source_name(origin), why, what_to_do(origin));
        goto done;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    *out = conn;
    conn = NULL;
done:
    PQfinish(conn);
    PQconninfoFree(opts);
    PQfreemem(parse_err);
    free(why);
    free(shown);
    strlist_free(&secrets);
    return rc;
}

int vm_db_connect(const char *db_option, bool quiet, PGconn **out, struct vm_db_target *target,
                  struct vm_err *err)
{
    struct vm_db_target t;
    struct vm_embedded e;
    char *conninfo = NULL;
    int rc;

    vm_db_resolve(db_option, &t);
    if (target)
        *target = t;
    if (t.source != VM_DB_EMBEDDED)
        return vm_conn_open(t.conninfo, t.source, out, err);
    rc = vm_embedded_locate(&e, quiet, err);
    if (rc == 0)
        rc = vm_embedded_start(&e, NULL, err);
    if (rc == 0) {
        conninfo = vm_embedded_conninfo(&e);
        rc = vm_conn_open(conninfo, VM_DB_EMBEDDED, out, err);
    }
    vm_embedded_free(&e);
    free(conninfo);
    return rc;
}
