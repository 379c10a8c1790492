/*
 * catalog: how a command reaches the catalog: it never connects itself; it
 * hands the global options (vm_ctx_db_options in cmd.h) to its workflow,
 * whose app_catalog_open (src/app/catalog.h) holds the rules.
 */
#include "cli/cmd.h"

struct vm_db_options vm_ctx_db_options(const struct vm_ctx *ctx)
{
    return (struct vm_db_options){.db = ctx->db_option,
                                  .schema = ctx->schema_option,
                                  .connect_timeout = ctx->connect_timeout_option,
                                  .quiet = ctx->quiet,
                                  .verbose = ctx->verbose};
}
