/*
 * cmd_tag: `tag set ID TYPE --reason TEXT` and `tag clear ID`, the manual
 * override of a vendor's BPO/KPO tag. It writes only the manual_* columns;
 * effective_type (a generated column) prefers them, and neither `classify`
 * nor `import` ever writes them, so a manual tag survives both.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/pgutil.h"

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

static bool valid_type(const char *t)
{
    return strcmp(t, "BPO") == 0 || strcmp(t, "KPO") == 0 || strcmp(t, "HYBRID") == 0 ||
           strcmp(t, "UNCLASSIFIED") == 0;
}

static int tag_exec(struct vm_ctx *ctx, int argc, char **argv, struct vm_err *err)
{
    static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const struct cmd_entry *cmd = &cmd_tag_entry;
    const char *reason = NULL;
    PGconn *c = NULL;
    PGresult *res = NULL;
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
    if (set && !valid_type(pos[1]))
        return cmd_usage_error(cmd, err, "TYPE must be BPO, KPO, HYBRID or UNCLASSIFIED, not '%s'",
                               pos[1]);
    if (set && (!reason || !*reason))
        return cmd_usage_error(cmd, err, "--reason TEXT is required: say why the tag is %s",
                               pos[1]);
    if ((rc = vm_open_catalog(ctx, &c, err)))
        return rc;
    if (set) {
        const char *p[] = {pos[0], pos[1], reason};
        rc = pgu_exec(c, "setting the manual tag",
                      "UPDATE vendors SET manual_type = $2, manual_reason = $3, manual_at = now() "
                      "WHERE id = $1::bigint RETURNING computed_type",
                      3, p, &res, err);
    } else {
        const char *p[] = {pos[0]};
        rc = pgu_exec(c, "clearing the manual tag",
                      "UPDATE vendors SET manual_type = NULL, manual_reason = NULL, "
                      "manual_at = NULL WHERE id = $1::bigint RETURNING computed_type",
                      1, p, &res, err);
    }
    if (rc)
        goto done;
    if (PQntuples(res) == 0) {
        rc = vm_err_set(err, VM_EXIT_FAILURE,
                        "no vendor with id %lld (see `vendormatch vendors list`)", id);
        goto done;
    }
    if (set)
        output_printf(stdout, "vendor %lld: manual tag %s (computed %s), reason: %s\n", id, pos[1],
                      PQgetvalue(res, 0, 0), reason);
    else
        output_printf(stdout, "vendor %lld: manual tag cleared, tag is the computed %s\n", id,
                      PQgetvalue(res, 0, 0));
done:
    PQclear(res);
    PQfinish(c);
    return rc;
}

const struct cmd_entry cmd_tag_entry = {
    .name = "tag",
    .summary = "manual override of a vendor's BPO/KPO tag (set, clear)",
    .usage = tag_usage,
    .exec = tag_exec,
};
