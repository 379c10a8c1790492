/* commands: the one table of subcommands. Adding a command = a file + a line. */
#include "cli/cmd.h"

#include <stddef.h>
#include <string.h>

extern const struct cmd_entry cmd_db_entry;
extern const struct cmd_entry cmd_migrate_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_sources_entry;
extern const struct cmd_entry cmd_vendors_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_classify_entry;
extern const struct cmd_entry cmd_tag_entry;
extern const struct cmd_entry cmd_taxonomy_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_match_entry;
extern const struct cmd_entry cmd_shortlists_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_complete_entry;
extern const struct cmd_entry cmd_fx_entry;

/* In the order of the work: the database, loading and tagging, matching,
 * reports (what `vendormatch --help` lists). */
const struct cmd_entry *const vm_commands[] = {
    &cmd_db_entry,
    &cmd_migrate_entry,
    &cmd_import_entry,
    &cmd_sources_entry,
    &cmd_vendors_entry,
    &cmd_classify_entry,
    &cmd_tag_entry,
    &cmd_taxonomy_entry,
    &cmd_match_entry,
    &cmd_shortlists_entry,
    &cmd_fx_entry,
    &cmd_report_entry,
    &cmd_stats_entry,
    &cmd_help_entry,
    &cmd_complete_entry,
    NULL,
};

const struct cmd_entry *cmd_find(const char *name)
{
    for (const struct cmd_entry *const *c = vm_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}
