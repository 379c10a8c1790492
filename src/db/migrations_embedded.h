/* migrations_embedded: migrations/NNNN_*.sql compiled into the binary, in order. */
#ifndef VM_DB_MIGRATIONS_EMBEDDED_H
#define VM_DB_MIGRATIONS_EMBEDDED_H

#include <stddef.h>

struct embedded_migration {
    const char *file_name; /* "0001_schema.sql" */
    const char *sql;
};

extern const struct embedded_migration embedded_migrations[];
extern const size_t embedded_migrations_count;

#endif
