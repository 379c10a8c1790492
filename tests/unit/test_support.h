/*
 * test_support: small helpers shared by the cmocka unit tests. Include after
 * <cmocka.h> and "core/util.h".
 */
#ifndef VM_TEST_SUPPORT_H
#define VM_TEST_SUPPORT_H

#include <stdio.h>

/* The whole file at path as a malloc'd string; fails the test if unreadable. */
static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct sbuf b;
    sbuf_init(&b);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_append(&b, buf, n);
    fclose(f);
    return sbuf_detach(&b);
}

#endif
