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

#include "core/normalize.h"
#include "db/embedded.h"
#include "db/pgutil.h"
#include "io/output.h"

static const char *nonempty(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* The libpq variables that make a psql user's environment a target. */
static const char *const pgenv_triggers[] = {"PGSERVICE", "PGHOST", "PGDATABASE", NULL};

/* "PGHOST, PGDATABASE": the trigger variables that are set, or "" for none. */
static void pgenv_set(char *buf, size_t size)
{
    buf[0] = '\0';
    for (const char *const *v = pgenv_triggers; *v; v++)
        if (nonempty(getenv(*v)))
            snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? ", " : "", *v);
}

int vm_schema_name_check(const char *name, const char *what, struct vm_err *err)
{
    size_t len = strlen(name), bad;
    bool control = false;
    for (const char *p = name; *p; p++)
        control |= (unsigned char)*p < 0x20 || *p == 0x7f;
    if (len > 63 || control || !norm_utf8_valid(name, len, &bad) || strncmp(name, "pg_", 3) == 0)
        return vm_err_set(err, VM_EXIT_USAGE,
                          "invalid schema name from %s: give 1 to 63 bytes of UTF-8 without "
                          "control characters, not starting with \"pg_\" (e.g. vendormatch)",
                          what);
    return 0;
}

/* Whole seconds, 0 to 86400, digits only. */
static int parse_timeout(const char *s, const char *what, int *out, struct vm_err *err)
{
    long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && v <= 86400; p++)
        v = v * 10 + (*p - '0');
    if (*p || p == s || v > 86400)
        return vm_err_set(err, VM_EXIT_USAGE,
                          "invalid connect timeout '%.40s' from %s: give whole seconds from 0 "
                          "(wait forever) to 86400, e.g. 10",
                          s, what);
    *out = (int)v;
    return 0;
}

static int resolve_timeout(const struct vm_db_options *opt, struct vm_db_target *out,
                           struct vm_err *err)
{
    const char *v;
    out->connect_timeout = VM_DEFAULT_CONNECT_TIMEOUT;
    snprintf(out->timeout_why, sizeof out->timeout_why, "the default");
    if ((v = nonempty(getenv("PGCONNECT_TIMEOUT")))) {
        /* libpq's own setting: libpq reads and checks it. */
        out->connect_timeout = -1;
        snprintf(out->timeout_why, sizeof out->timeout_why, "PGCONNECT_TIMEOUT");
        return 0;
    }
    if ((v = nonempty(opt->connect_timeout))) {
        snprintf(out->timeout_why, sizeof out->timeout_why, "--connect-timeout");
        return parse_timeout(v, "--connect-timeout", &out->connect_timeout, err);
    }
    if ((v = nonempty(getenv("VENDORMATCH_CONNECT_TIMEOUT")))) {
        snprintf(out->timeout_why, sizeof out->timeout_why, "VENDORMATCH_CONNECT_TIMEOUT");
        return parse_timeout(v, "VENDORMATCH_CONNECT_TIMEOUT", &out->connect_timeout, err);
    }
    return 0;
}

int vm_db_resolve(const struct vm_db_options *opt, struct vm_db_target *out, struct vm_err *err)
{
    const char *v;
    char pgenv[64];

    memset(out, 0, sizeof *out);
    pgenv_set(pgenv, sizeof pgenv);
    if ((v = nonempty(opt->db))) {
        out->source = VM_DB_FROM_OPTION;
        snprintf(out->why, sizeof out->why, "--db");
    } else if ((v = nonempty(getenv("VENDORMATCH_DB")))) {
        out->source = VM_DB_FROM_VENDORMATCH;
        snprintf(out->why, sizeof out->why, "VENDORMATCH_DB (no --db)");
    } else if ((v = nonempty(getenv("DATABASE_URL")))) {
        out->source = VM_DB_FROM_DATABASE_URL;
        snprintf(out->why, sizeof out->why, "DATABASE_URL (no --db or VENDORMATCH_DB)");
    } else if (pgenv[0]) {
        out->source = VM_DB_FROM_PGENV;
        v = "";
        snprintf(out->why, sizeof out->why,
                 "the libpq environment: %s set (no --db, VENDORMATCH_DB or DATABASE_URL)", pgenv);
    } else {
        out->source = VM_DB_EMBEDDED;
        snprintf(out->why, sizeof out->why,
                 "the embedded database (no --db, VENDORMATCH_DB, DATABASE_URL, PGSERVICE, "
                 "PGHOST or PGDATABASE)");
    }
    out->conninfo = v;
    out->schema = VM_DEFAULT_SCHEMA;
    out->schema_why = "the default";
    if ((v = nonempty(opt->schema))) {
        out->schema = v;
        out->schema_why = "--schema";
    } else if ((v = nonempty(getenv("VENDORMATCH_SCHEMA")))) {
        out->schema = v;
        out->schema_why = "VENDORMATCH_SCHEMA";
    }
    int rc = vm_schema_name_check(out->schema, out->schema_why, err);
    return rc ? rc : resolve_timeout(opt, out, err);
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
    case VM_DB_FROM_PGENV:
        return "the libpq environment";
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
    case VM_DB_FROM_PGENV:
        return "check that the server is running and the PG* variables (PGHOST, PGPORT, "
               "PGDATABASE, PGUSER, PGSERVICE), ~/.pgpass and service file are right, or "
               "unset PGSERVICE, PGHOST and PGDATABASE to use the embedded database";
    case VM_DB_EMBEDDED:
        break;
    }
    return "see `vendormatch db status` and the server.log in the vendormatch home";
}

static void ignore_notice(void *arg, const char *message)
{
}

char *vm_conn_describe(const PGconn *conn)
{
    const char *host = PQhost(conn), *port = PQport(conn), *db = PQdb(conn), *user = PQuser(conn);
    return xasprintf("host=%s port=%s dbname=%s user=%s", host && host[0] ? host : "(default)",
                     port && port[0] ? port : "5432", db ? db : "", user ? user : "");
}

/* " after N s (connect timeout from WHERE)" when libpq gave up waiting. */
static void timeout_note(const PGconn *conn, const struct vm_db_target *t, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!strstr(PQerrorMessage(conn), "timeout expired"))
        return;
    if (t->connect_timeout >= 0)
        snprintf(buf, size,
                 " (no answer within the connect timeout, %d s from %s; change it "
                 "with --connect-timeout or VENDORMATCH_CONNECT_TIMEOUT)",
                 t->connect_timeout, t->timeout_why);
    else
        snprintf(buf, size, " (no answer within the connect timeout from PGCONNECT_TIMEOUT)");
}

/* Connects to t->conninfo; the connect timeout goes before the conninfo so
 * that a connect_timeout in it wins, and is left out when PGCONNECT_TIMEOUT
 * (libpq's own) is set. */
static int conn_open(const struct vm_db_target *t, PGconn **out, struct vm_err *err)
{
    char timeout[16];
    const char *keys[6], *vals[6];
    int k = 0;
    struct strlist secrets;
    char *parse_err = NULL, *why = NULL, *where = NULL;
    PGconn *conn = NULL;
    const char *pgpassword = getenv("PGPASSWORD");
    int rc = 0;

    if (t->connect_timeout >= 0) {
        snprintf(timeout, sizeof timeout, "%d", t->connect_timeout);
        keys[k] = "connect_timeout";
        vals[k++] = timeout;
    }
    keys[k] = "dbname", vals[k++] = t->conninfo;
    keys[k] = "client_encoding", vals[k++] = "UTF8";
    keys[k] = "fallback_application_name", vals[k++] = "vendormatch";
    keys[k] = NULL, vals[k] = NULL;

    strlist_init(&secrets);
    if (pgpassword && pgpassword[0])
        strlist_push(&secrets, pgpassword);
    char *shown = redact_collect(t->conninfo, &secrets);
    PQconninfoOption *opts = PQconninfoParse(t->conninfo, &parse_err);
    if (!opts) {
        why = scrub(parse_err ? parse_err : "out of memory", &secrets);
        rc = vm_err_set(err, t->source == VM_DB_FROM_OPTION ? VM_EXIT_USAGE : VM_EXIT_UNAVAILABLE,
                        "cannot parse the connection string '%s' (from %s): %s; give a URI "
                        "(postgresql://user@host/dbname) or key=value pairs (host=... "
                        "dbname=...)",
                        shown, vm_db_source_name(t->source), why);
        goto done;
    }
    collect_parsed_secrets(opts, &secrets);
    conn = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        char note[200];
        timeout_note(conn, t, note, sizeof note);
        why = scrub(PQerrorMessage(conn), &secrets);
        where = vm_conn_describe(conn);
        if (shown[0])
            rc = vm_err_set(err, VM_EXIT_UNAVAILABLE,
                            "cannot connect to the database '%s' (%s, from %s): %s%s; %s", shown,
                            where, vm_db_source_name(t->source), why, note, what_to_do(t->source));
        else
            rc = vm_err_set(err, VM_EXIT_UNAVAILABLE,
                            "cannot connect to the database %s (from %s): %s%s; %s", where, t->why,
                            why, note, what_to_do(t->source));
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
    free(where);
    free(shown);
    strlist_free(&secrets);
    return rc;
}

int vm_conn_open(const char *conninfo, enum vm_db_source origin, PGconn **out, struct vm_err *err)
{
    struct vm_db_target t = {.source = origin,
                             .conninfo = conninfo,
                             .connect_timeout = VM_DEFAULT_CONNECT_TIMEOUT,
                             .timeout_why = "the default"};
    snprintf(t.why, sizeof t.why, "%s", vm_db_source_name(origin));
    return conn_open(&t, out, err);
}

struct vm_conn_params vm_conn_params(const PGconn *conn)
{
    return (struct vm_conn_params){PQhost(conn), PQport(conn), PQdb(conn), PQuser(conn)};
}

void vm_conn_close(PGconn *conn)
{
    PQfinish(conn);
}

int vm_conn_set_search_path(PGconn *conn, const char *schema, struct vm_err *err)
{
    const char *params[] = {schema};
    return pgu_exec(
        conn, "setting search_path to the catalog schema",
        "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident($1), false)", 1, params,
        NULL, err);
}

/* The -v line: which database and schema, and which rules chose them. */
static void say_target(const PGconn *conn, const struct vm_db_target *t)
{
    char *where = vm_conn_describe(conn);
    output_printf(stderr, "vendormatch: database %s, schema %s; source: %s; schema from %s\n",
                  where, t->schema, t->why, t->schema_why);
    free(where);
}

int vm_db_connect(const struct vm_db_options *opt, PGconn **out, struct vm_db_target *target,
                  struct vm_err *err)
{
    struct vm_db_target t;
    struct vm_embedded e;
    char *conninfo = NULL;
    PGconn *conn = NULL;
    bool embedded_open = false;
    int rc = vm_db_resolve(opt, &t, err);

    if (target)
        *target = t;
    if (rc)
        return rc;
    if (t.source != VM_DB_EMBEDDED) {
        rc = conn_open(&t, &conn, err);
    } else {
        embedded_open = true;
        rc = vm_embedded_locate(&e, opt->quiet, err);
        if (rc == 0)
            rc = vm_embedded_start(&e, NULL, err);
        if (rc == 0) {
            conninfo = vm_embedded_conninfo(&e);
            t.conninfo = conninfo;
            rc = conn_open(&t, &conn, err);
            t.conninfo = NULL;
        }
    }
    if (rc == 0)
        rc = vm_conn_set_search_path(conn, t.schema, err);
    if (rc == 0 && opt->verbose > 0)
        say_target(conn, &t);
    if (rc == 0)
        *out = conn;
    else
        PQfinish(conn);
    if (embedded_open)
        vm_embedded_free(&e);
    free(conninfo);
    return rc;
}
