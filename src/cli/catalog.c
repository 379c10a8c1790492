/*
 * catalog: how every catalog command gets its connection (vm_open_catalog in
 * cmd.h): the global options, handed to the workflow layer's
 * app_catalog_open (src/app/catalog.h), which holds the rules.
 */
#include "cli/cmd.h"

#include "app/catalog.h"

struct vm_db_options vm_ctx_db_options(const struct vm_ctx *ctx)
{
    return (struct vm_db_options){.db = ctx->db_option,
                                  .schema = ctx->schema_option,
                                  .connect_timeout = ctx->connect_timeout_option,
                                  .quiet = ctx->quiet,
                                  .verbose = ctx->verbose};
}

int vm_open_catalog(struct vm_ctx *ctx, PGconn **out, struct vm_err *err)
{
    struct vm_db_options opt = vm_ctx_db_options(ctx);
    return app_catalog_open(&opt, out, err);
}
