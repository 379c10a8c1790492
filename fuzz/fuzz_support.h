/*
 * fuzz_support: what the libFuzzer targets in fuzz/ share: a FILE over the
 * fuzzer's bytes, a split into NUL-terminated lines, the seeded taxonomy
 * built in memory from the seed migrations, and FUZZ_CHECK, which
 * turns a broken invariant into a crash the fuzzer keeps as an artifact.
 * Header-only, so each target stays one translation unit.
 */
#ifndef VM_FUZZ_SUPPORT_H
#define VM_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/taxonomy.h"
#include "core/util.h"
#include "db/migrations_embedded.h"

/* An invariant the code under test promises; a failure aborts, so libFuzzer
 * saves the input as crash-<sha1>. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A read-only stream over size bytes (fmemopen keeps a pointer, not a copy). */
static inline FILE *fuzz_stream(const uint8_t *data, size_t size)
{
    static char empty[1];
    FILE *f = fmemopen(size ? (void *)(uintptr_t)data : empty, size, "rb");
    FUZZ_CHECK(f != NULL);
    return f;
}

/* Splits the bytes at '\n' into NUL-terminated lines (a final line without
 * '\n' counts; embedded NULs end a line's string early). */
static inline void fuzz_lines(const uint8_t *data, size_t size, struct strlist *out)
{
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            if (i > start || i < size) {
                char *line = xmalloc(i - start + 1);
                memcpy(line, data + start, i - start);
                line[i - start] = '\0';
                strlist_push_owned(out, line);
            }
            start = i + 1;
        }
    }
}

/* The shipped taxonomy (migrations 0002, 0004 and 0009, as the unit tests load
 * it) without a database: the seed SQL compiled into the binary is parsed
 * by taxonomy_parse_seed. */
static inline struct taxonomy *fuzz_seed_taxonomy(void)
{
    static const char *const seeds[] = {"0002_taxonomy_seed.sql", "0004_taxonomy_multilingual.sql",
                                        "0009_taxonomy_knowledge_services.sql"};
    struct taxonomy *t = taxonomy_new();
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        const char *sql = NULL;
        for (size_t k = 0; k < embedded_migrations_count; k++)
            if (strcmp(embedded_migrations[k].file_name, seeds[i]) == 0)
                sql = embedded_migrations[k].sql;
        struct vm_err err;
        vm_err_clear(&err);
        if (!sql || taxonomy_parse_seed(t, sql, &err) != 0) {
            fprintf(stderr, "fuzz: %s: %s\n", seeds[i], sql ? err.msg : "not embedded");
            abort();
        }
    }
    return t;
}

#endif
