/*
 * outfile: output files written atomically, never through a link, never
 * onto an input (see outfile.h). One owner for the rule, so every option
 * that writes a file behaves the same.
 */
#include "io/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The input that is the same file (device and inode) as out, or NULL. */
static const char *same_as_input(const struct stat *out, const char *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat in;
        bool is_stdin = strcmp(inputs[i], "-") == 0;
        if ((is_stdin ? fstat(STDIN_FILENO, &in) : stat(inputs[i], &in)) != 0)
            continue; /* reading it will fail and say so */
        if (in.st_dev == out->st_dev && in.st_ino == out->st_ino)
            return is_stdin ? "standard input" : inputs[i];
    }
    return NULL;
}

/* A device or FIFO: written in place, without following a link that might
 * have replaced it since lstat. */
static int open_direct(struct vm_outfile *o, struct vm_err *err)
{
    struct stat st;
    int fd = open(o->path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return vm_err_set(err, VM_EXIT_FAILURE, "%s %s: cannot write: %s", o->what, o->path,
                          strerror(errno));
    if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode) || !(o->f = fdopen(fd, "w"))) {
        close(fd);
        return vm_err_set(err, VM_EXIT_FAILURE, "%s %s: cannot write: it changed while opening",
                          o->what, o->path);
    }
    return 0;
}

/* A temporary file next to path, with the mode a new file would get. */
static int open_temporary(struct vm_outfile *o, struct vm_err *err)
{
    o->tmp = xasprintf("%s.tmp.XXXXXX", o->path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int rc = vm_err_set(err, VM_EXIT_FAILURE, "%s %s: cannot create '%s': %s", o->what, o->path,
                            o->tmp, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return rc;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "w"))) {
        int rc = vm_err_set(err, VM_EXIT_FAILURE, "%s %s: cannot write '%s': %s", o->what, o->path,
                            o->tmp, strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return rc;
    }
    return 0;
}

int vm_outfile_open(struct vm_outfile *o, const char *what, const char *path,
                    const char *const *inputs, size_t n_inputs, struct vm_err *err)
{
    struct stat st;
    int rc;
    memset(o, 0, sizeof *o);
    o->what = what;
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    if (!path[0])
        return vm_err_set(err, VM_EXIT_USAGE, "%s needs a file name (or - for standard output)",
                          what);
    bool exists = lstat(path, &st) == 0;
    const char *input = exists ? same_as_input(&st, inputs, n_inputs) : NULL;
    if (exists && S_ISLNK(st.st_mode))
        return vm_err_set(err, VM_EXIT_USAGE,
                          "%s %s: is a symbolic link; vendormatch does not write through links "
                          "(name the file itself; - is standard output)",
                          what, path);
    if (exists && S_ISDIR(st.st_mode))
        return vm_err_set(err, VM_EXIT_USAGE, "%s %s: is a directory (name a file)", what, path);
    if (input)
        return vm_err_set(err, VM_EXIT_USAGE,
                          "%s %s: is the same file as the input %s; writing it would destroy "
                          "what is being read (name another file)",
                          what, path, input);
    o->path = xstrdup(path);
    rc = exists && !S_ISREG(st.st_mode) ? open_direct(o, err) : open_temporary(o, err);
    if (rc) {
        free(o->path);
        o->path = NULL;
    }
    return rc;
}

/* The rename is durable once the directory entry is: best effort, since some
 * file systems cannot fsync a directory and the data itself is already synced. */
static void sync_directory(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

int vm_outfile_commit(struct vm_outfile *o, struct vm_err *err)
{
    int rc = 0;
    if (!o->f)
        return 0;
    if (o->f == stdout) {
        o->f = NULL;
        return fflush(stdout) == 0 ? 0
                                   : vm_err_set(err, VM_EXIT_FAILURE, "%s: cannot write: %s",
                                                o->what, strerror(errno));
    }
    bool synced = fflush(o->f) == 0 && !ferror(o->f) && (!o->tmp || fsync(fileno(o->f)) == 0);
    int saved = errno;
    bool closed = fclose(o->f) == 0;
    o->f = NULL;
    if (!synced || !closed || (o->tmp && rename(o->tmp, o->path) != 0)) {
        rc = vm_err_set(err, VM_EXIT_FAILURE, "%s %s: cannot write: %s", o->what, o->path,
                        strerror(synced ? errno : saved));
        vm_outfile_discard(o);
        return rc;
    }
    if (o->tmp)
        sync_directory(o->path);
    free(o->tmp);
    o->tmp = NULL; /* renamed: nothing left to remove */
    vm_outfile_discard(o);
    return 0;
}

void vm_outfile_discard(struct vm_outfile *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    free(o->path);
    o->path = NULL;
}
