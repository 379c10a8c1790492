/*
 * pager: a child process reading our stdout through a pipe (see pager.h).
 * The one idea: stdout itself is redirected (dup2 onto fd 1), so every
 * renderer keeps writing to stdout and knows nothing about paging; SIGPIPE
 * is ignored while the pager runs, so a pager quit early turns into a write
 * error on stdout that pager_finish recognises and main keeps quiet about.
 */
#include "io/pager.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGER_DEFAULT "less -SFRX"

static pid_t pager_pid = -1;

const char *pager_command(void)
{
    const char *p = getenv("VENDORMATCH_PAGER");
    if (!p)
        p = getenv("PAGER");
    if (!p)
        p = PAGER_DEFAULT;
    p += strspn(p, " \t");
    if (!*p || strcmp(p, "cat") == 0)
        return NULL;
    return p;
}

bool pager_active(void)
{
    return pager_pid > 0;
}

bool pager_start(void)
{
    int fds[2];
    const char *cmd;
    if (pager_active())
        return true;
    if (!isatty(STDOUT_FILENO) || !(cmd = pager_command()))
        return false;
    fflush(stdout);
    if (pipe(fds) != 0)
        return false;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        /* As git does: a bare `less` or `lv` from $PAGER still behaves. */
        setenv("LESS", "FRSX", 0);
        setenv("LV", "-c", 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    signal(SIGPIPE, SIG_IGN);
    pager_pid = pid;
    return true;
}

bool pager_finish(void)
{
    if (!pager_active())
        return false;
    fflush(stdout);
    /* A pipe's only write error is EPIPE: the pager has gone. */
    bool quit_early = ferror(stdout) != 0;
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
        dup2(devnull, STDOUT_FILENO); /* closes the pipe: the pager sees EOF */
        close(devnull);
    } else {
        close(STDOUT_FILENO);
    }
    while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
        ;
    pager_pid = -1;
    if (quit_early)
        clearerr(stdout);
    return quit_early;
}
