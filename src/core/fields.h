/*
 * fields: the canonical catalog fields (docs/import.md, "Columns"), one
 * enum for every module that names them: columns recognises headers as
 * these fields, vendor stores a row's cells under them, and the import
 * workflow hands the one to the other without translating. Pure.
 */
#ifndef VM_CORE_FIELDS_H
#define VM_CORE_FIELDS_H

enum vendor_field {
    VF_ID,
    VF_NAME,
    VF_WEBSITE,
    VF_COUNTRY,
    VF_CITY,
    VF_SERVICES,
    VF_INDUSTRIES,
    VF_LANGUAGES,
    VF_CERTIFICATIONS,
    VF_EMPLOYEES,
    VF_FOUNDED,
    VF_HOURLY_RATE,
    VF_RATING,
    VF_DELIVERY,
    VF_EMAIL,
    VF_PHONE,
    VF_DESCRIPTION,
    VF_EXPERTISE,
    VF_DATA_SECURITY,
    VF_COUNT
};
#define VF_EXTRA (-1) /* a column no canonical field claims: kept in extra */

/* "name", "hourly_rate", ... ("extra" out of range); and back, exactly as
 * written (-1 for an unknown name). */
const char *vendor_field_name(enum vendor_field f);
int vendor_field_by_name(const char *canonical);

#endif
