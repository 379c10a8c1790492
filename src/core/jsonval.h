/*
 * jsonval: small jansson conveniences every layer uses to build values:
 * NULL-safe strings and string lists. Pure: no I/O (printing JSON is
 * io/output's json_print).
 */
#ifndef VM_CORE_JSONVAL_H
#define VM_CORE_JSONVAL_H

#include <jansson.h>

#include "core/util.h"

/* A JSON string, or null for NULL (new reference). */
json_t *json_string_or_null(const char *s);
/* An array of the list's strings (new reference). */
json_t *json_strlist(const struct strlist *l);

#endif
