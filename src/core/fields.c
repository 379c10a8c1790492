/*
 * fields: the canonical field names (see fields.h), in the enum's order.
 */
#include "core/fields.h"

#include <string.h>

static const char *const field_names[VF_COUNT] = {
    "id",       "name",        "website",   "country",        "city",
    "services", "industries",  "languages", "certifications", "employees",
    "founded",  "hourly_rate", "rating",    "delivery",       "email",
    "phone",    "description", "expertise", "data_security",
};

const char *vendor_field_name(enum vendor_field f)
{
    return (f >= 0 && f < VF_COUNT) ? field_names[f] : "extra";
}

int vendor_field_by_name(const char *canonical)
{
    for (int f = 0; f < VF_COUNT; f++)
        if (strcmp(field_names[f], canonical) == 0)
            return f;
    return -1;
}
