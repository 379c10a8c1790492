/*
 * jsonval: see jsonval.h.
 */
#include "core/jsonval.h"

json_t *json_string_or_null(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    return v ? v : json_null(); /* invalid UTF-8 never reaches here: import rejects it */
}

json_t *json_strlist(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->len; i++)
        json_array_append_new(a, json_string_or_null(l->items[i]));
    return a;
}
