/*
 * infile: see infile.h.
 */
#include "io/infile.h"

#include <errno.h>
#include <string.h>

#include "core/normalize.h"

bool vm_infile_is_stdin(const char *path)
{
    return strcmp(path, "-") == 0;
}

const char *vm_infile_name(const char *path)
{
    return vm_infile_is_stdin(path) ? "stdin" : path;
}

char *vm_infile_text(const char *path)
{
    const char *s = vm_infile_name(path);
    size_t len = strlen(s), bad;
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(&b, "");
    while (!norm_utf8_valid(s, len, &bad)) {
        sbuf_append(&b, s, bad);
        sbuf_append(&b, "\xEF\xBF\xBD", 3); /* U+FFFD for the byte at bad */
        s += bad + 1;
        len -= bad + 1;
    }
    sbuf_append(&b, s, len);
    char *text = sbuf_detach(&b);
    return text ? text : xstrdup("");
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
