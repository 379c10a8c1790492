/*
 * cmd_tag: `tag set ID TYPE --reason TEXT` and `tag clear ID`, the manual
 * override of a vendor's BPO/KPO tag. It writes only the manual_* columns;
 * effective_type (a generated column) prefers them, and neither `classify`
 * nor `import` ever writes them, so a manual tag survives both. The work
 * is the classify workflow's (app_tag_manual in src/app/classify.c).
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/classify.h"

static const char tag_usage[] =
    "usage: vendormatch tag set ID TYPE --reason TEXT\n"
    "       vendormatch tag clear ID\n"
    "\n"
    "Overrides the computed tag of vendor ID with TYPE (BPO, KPO, HYBRID or\n"
    "UNCLASSIFIED). The reason is required and is shown wherever the tag is\n"
    "explained. A manual tag wins over the computed one and survives re-import\n"
    "and `vendormatch classify`. `tag clear` goes back to the computed tag.\n"
    "\n"
    "Exit codes: 0 ok, 1 no such vendor or database error, 2 usage.\n";

const struct cmd_entry cmd_tag_entry;

static int tag_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_tag_entry;
    const char *reason = NULL;
    char computed[16];
    long long id;
    int o, rc;

    if (argc < 2)
        return cmd_usage_error(cmd, err, "say `set` or `clear`");
    const char *sub = argv[1];
    bool set = strcmp(sub, "set") == 0;
    if (!set && strcmp(sub, "clear") != 0)
        return cmd_usage_error(cmd, err, "unknown subcommand '%s' (use set or clear)", sub);
    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (o == 'r' && set)
            reason = optarg;
        else
            return cmd_usage_error(cmd, err, "unknown option '%s'", argv[optind]);
    }
    char **pos = argv + 1 + optind;
    int npos = argc - 1 - optind;
    if (npos != (set ? 2 : 1))
        return cmd_usage_error(cmd, err, set ? "tag set needs ID and TYPE" : "tag clear needs ID");
    if (!cmd_parse_vendor_id(pos[0], &id))
        return cmd_usage_error(cmd, err, "vendor ID must be a positive number, not '%s'", pos[0]);
    const char *type = set ? app_tag_canonical(pos[1]) : NULL; /* any case: "kpo" */
    if (set && !type)
        return cmd_usage_error(cmd, err, "TYPE must be BPO, KPO, HYBRID or UNCLASSIFIED, not '%s'",
                               pos[1]);
    if (set && (!reason || !*reason))
        return cmd_usage_error(cmd, err, "--reason TEXT is required: say why the tag is %s", type);
    struct vm_db_options db = vm_ctx_db_options(ctx);
    if ((rc = app_tag_manual(&db, id, type, reason, computed, err)))
        return rc;
    if (set)
        output_printf(stdout, "vendor %lld: manual tag %s (computed %s), reason: %s\n", id, type,
                      computed, reason);
    else
        output_printf(stdout, "vendor %lld: manual tag cleared, tag is the computed %s\n", id,
                      computed);
    return 0;
}

const struct cmd_entry cmd_tag_entry = {
    .name = "tag",
    .summary = "manual override of a vendor's BPO/KPO tag (set, clear)",
    .usage = tag_usage,
    .exec = tag_exec,
};
