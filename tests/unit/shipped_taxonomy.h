/*
 * shipped_taxonomy: the taxonomy every database gets from its migrations,
 * built without a database. Parses each migrations/NNNN_taxonomy*.sql in
 * order (0002 seed, 0004 multilingual, 0009 knowledge services...) with
 * taxonomy_parse_seed. Include after <cmocka.h>, "core/taxonomy.h" and
 * "test_support.h".
 */
#ifndef VM_SHIPPED_TAXONOMY_H
#define VM_SHIPPED_TAXONOMY_H

#include <glob.h>

/* Calls fn(path) for each taxonomy migration, in version order; returns how many. */
static inline size_t each_taxonomy_migration(void (*fn)(const char *path, void *arg), void *arg)
{
    glob_t g;
    assert_int_equal(
        glob(VM_SOURCE_DIR "/migrations/[0-9][0-9][0-9][0-9]_taxonomy*.sql", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++)
        fn(g.gl_pathv[i], arg);
    size_t n = g.gl_pathc;
    globfree(&g);
    return n;
}

static inline void parse_taxonomy_migration(const char *path, void *arg)
{
    char *sql = slurp(path);
    struct vm_err err;
    vm_err_clear(&err);
    if (taxonomy_parse_seed(arg, sql, &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    free(sql);
}

/* A new taxonomy holding every shipped category and alias. */
static inline struct taxonomy *shipped_taxonomy(void)
{
    struct taxonomy *t = taxonomy_new();
    assert_true(each_taxonomy_migration(parse_taxonomy_migration, t) >= 3);
    return t;
}

#endif
