/*
 * infile: see infile.h.
 */
#include "io/infile.h"

#include <errno.h>
#include <string.h>

bool vm_infile_is_stdin(const char *path)
{
    return strcmp(path, "-") == 0;
}

const char *vm_infile_name(const char *path)
{
    return vm_infile_is_stdin(path) ? "stdin" : path;
}

FILE *vm_infile_open(const char *path, struct vm_err *err)
{
    if (vm_infile_is_stdin(path))
        return stdin;
    FILE *f = fopen(path, "rb");
    if (!f)
        vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot open: %s (check the path)", path,
                   strerror(errno));
    return f;
}

void vm_infile_close(FILE *f)
{
    if (f && f != stdin)
        fclose(f);
}
