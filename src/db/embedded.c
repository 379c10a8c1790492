/*
 * embedded: lifecycle of the private cluster. The idea: let PostgreSQL's own
 * tools do the work (initdb creates, pg_ctl starts and stops, and recovers a
 * stale postmaster.pid), and keep here only what they cannot know: where the
 * home is (a directory of its own, never someone's directory taken over),
 * which binaries to use, who the server runs as, whether the pid a lock file
 * names is really our postmaster, and the settings file (regenerated at
 * every start so the socket follows the home). A flock on
 * home/vendormatch.lock serialises concurrent starts and stops.
 */
#include "db/embedded.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/conn.h"
#include "db/pgutil.h"
#include "io/output.h"

#define SERVER_ACCOUNT "postgres"
#define VM_STR_(x) #x
#define VM_STR(x) VM_STR_(x)
#define SOCKET_FILE ".s.PGSQL." VM_STR(VM_EMBEDDED_PORT)
#define SOCKET_NAME_LEN (sizeof "/" SOCKET_FILE - 1)
#define START_ATTEMPTS 10 /* after a kill -9, orphaned backends may hold shared memory briefly */

static const char settings_header[] =
    "# Written by vendormatch at every start of the embedded server: do not edit.\n"
    "# Override a setting with ALTER SYSTEM (postgresql.auto.conf), which wins.\n";

/* Settings for a local analytics tool; durability (fsync, synchronous_commit)
 * is left at PostgreSQL's safe defaults because the catalog is user data.
 * wal_level = minimal (no replicas of a private server): a table emptied
 * in the loading transaction is written without WAL and synced at commit,
 * which is how a first import fills an empty catalog. */
static const char settings_tuning[] = "listen_addresses = ''\n"
                                      "unix_socket_permissions = 0700\n"
                                      "max_connections = 40\n"
                                      "work_mem = 32MB\n"
                                      "maintenance_work_mem = 256MB\n"
                                      "max_wal_size = 2GB\n"
                                      "wal_level = minimal\n"
                                      "max_wal_senders = 0\n"
                                      "checkpoint_timeout = 15min\n"
                                      "checkpoint_completion_target = 0.9\n"
                                      "recovery_init_sync_method = syncfs\n"
                                      "log_min_messages = warning\n"
                                      "log_line_prefix = '%m [%p] '\n";

/* Memory settings scale with the machine: shared_buffers an eighth of RAM
 * (between 128 MB and 4 GB) so a million-vendor catalog's match index stays
 * in PostgreSQL's cache; PostgreSQL touches these pages only as it uses them. */
static void memory_settings(struct sbuf *b)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    unsigned long long ram_mb =
        pages > 0 && page > 0 ? (unsigned long long)pages * (unsigned long long)page >> 20 : 2048;
    unsigned long long shared = ram_mb / 8;
    if (shared < 128)
        shared = 128;
    if (shared > 4096)
        shared = 4096;
    sbuf_printf(b, "shared_buffers = %lluMB\n", shared);
    sbuf_printf(b, "effective_cache_size = %lluMB\n", ram_mb / 2 > shared ? ram_mb / 2 : shared);
}

static char *absolute_path(const char *path)
{
    char *abs;
    if (path[0] == '/') {
        abs = xstrdup(path);
    } else {
        char cwd[4096];
        abs = xasprintf("%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", path);
    }
    size_t n = strlen(abs);
    while (n > 1 && abs[n - 1] == '/')
        abs[--n] = '\0';
    return abs;
}

static char *home_path(void)
{
    const char *v = getenv("VENDORMATCH_HOME");
    if (v && v[0])
        return absolute_path(v);
    v = getenv("XDG_DATA_HOME");
    if (v && v[0] == '/')
        return xasprintf("%s/vendormatch", v);
    v = getenv("HOME");
    if (!v || !v[0]) {
        struct passwd *pw = getpwuid(getuid());
        v = pw ? pw->pw_dir : "/";
    }
    return xasprintf("%s/.local/share/vendormatch", strcmp(v, "/") == 0 ? "" : v);
}

int vm_embedded_locate(struct vm_embedded *e, bool quiet, struct vm_err *err)
{
    memset(e, 0, sizeof *e);
    e->quiet = quiet;
    e->home = home_path();
    e->datadir = xasprintf("%s/data", e->home);
    e->logfile = xasprintf("%s/server.log", e->home);
    size_t socket_len = strlen(e->home) + SOCKET_NAME_LEN;
    if (socket_len >= sizeof(((struct sockaddr_un *)0)->sun_path))
        return vm_err_set(err, VM_EXIT_UNAVAILABLE,
                          "the embedded database's socket path %s/.s.PGSQL.%d would be %zu bytes, "
                          "over the %zu-byte limit of Unix sockets; set VENDORMATCH_HOME to a "
                          "shorter directory",
                          e->home, VM_EMBEDDED_PORT, socket_len,
                          sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
    return 0;
}

void vm_embedded_free(struct vm_embedded *e)
{
    free(e->home);
    free(e->datadir);
    free(e->logfile);
    free(e->bindir);
    free(e->server_user);
    memset(e, 0, sizeof *e);
}

static char *conninfo_for(const struct vm_embedded *e, const char *dbname)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "postgresql://%s@/%s?host=", VM_EMBEDDED_USER, dbname);
    for (const unsigned char *p = (const unsigned char *)e->home; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            sbuf_putc(&b, (char)*p);
        else
            sbuf_printf(&b, "%%%02X", *p);
    }
    sbuf_printf(&b, "&port=%d", VM_EMBEDDED_PORT);
    return sbuf_detach(&b);
}

char *vm_embedded_conninfo(const struct vm_embedded *e)
{
    return conninfo_for(e, VM_EMBEDDED_DBNAME);
}

/* The pid on the first line of a PostgreSQL lock file (postmaster.pid, the
 * socket's .lock), or 0. */
static long lock_file_pid(const char *path)
{
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
        pid = 0;
    fclose(f);
    return pid;
}

static long recorded_pid(const struct vm_embedded *e)
{
    char *path = xasprintf("%s/postmaster.pid", e->datadir);
    long pid = lock_file_pid(path);
    free(path);
    return pid;
}

/* A killed postmaster stays a zombie until its new parent reaps it, and
 * kill(pid, 0) still succeeds on it; /proc tells the two apart on Linux. */
static bool is_zombie(long pid)
{
    char path[64], state = '?';
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
        state = '?';
    fclose(f);
    return state == 'Z' || state == 'X';
}

/* A live process that is not a zombie. */
static bool is_alive(long pid)
{
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM) && !is_zombie(pid);
}

/* What a recorded pid turned out to be. */
enum pid_verdict { PID_NOT_OURS, PID_OURS, PID_UNSURE };

/* True when path names the same file (device and inode) as st. */
static bool same_file(const char *path, const struct stat *st)
{
    struct stat other;
    return stat(path, &other) == 0 && other.st_dev == st->st_dev && other.st_ino == st->st_ino;
}

static bool is_postgres_program(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* "postgres", or "postgres (deleted)" after a package upgrade */
    return strncmp(base, "postgres", 8) == 0 && (!base[8] || base[8] == ' ');
}

/* The command line of pid as argv[0] and the value of its -D, read from
 * /proc/PID/cmdline, which any user may read (unlike exe and cwd, which
 * need ptrace rights a container's root may lack). */
static enum pid_verdict judge_by_cmdline(long pid, const struct stat *data)
{
    char path[64], buf[8192];
    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return PID_UNSURE;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (n == 0)
        return PID_UNSURE; /* a kernel thread, or a process exiting */
    buf[n] = '\0';
    if (!is_postgres_program(buf))
        return PID_NOT_OURS;
    for (size_t i = strlen(buf) + 1; i < n; i += strlen(buf + i) + 1)
        if (strcmp(buf + i, "-D") == 0 && i + 3 < n && buf[i + 3] == '/')
            return same_file(buf + i + 3, data) ? PID_OURS : PID_NOT_OURS;
    return PID_UNSURE;
}

/*
 * Whether pid is the postmaster of our data directory, judged by what the
 * process is rather than that it exists. After a crash the kernel may give
 * the recorded pid to anything (a shell, a sleep, another cluster's server).
 * Ours runs as the data directory's owner (PostgreSQL insists), its program
 * is `postgres` and its working directory is the data directory (a
 * postmaster changes into it before writing postmaster.pid). Where /proc
 * hides exe and cwd (no ptrace rights), the command line's program and -D
 * decide. Anything that cannot be told is PID_UNSURE, which callers treat
 * as running: never removing a live server's lock is the safe side.
 */
static enum pid_verdict judge_pid(const struct vm_embedded *e, long pid)
{
    char path[64], exe[4096];
    struct stat data, proc;
    if (!is_alive(pid))
        return PID_NOT_OURS;
    snprintf(path, sizeof path, "/proc/%ld", pid);
    if (stat(e->datadir, &data) != 0 || stat(path, &proc) != 0)
        return PID_UNSURE; /* no cluster, or no /proc to ask */
    if (proc.st_uid != data.st_uid)
        return PID_NOT_OURS; /* PostgreSQL's own rule: another user's process is no rival */
    snprintf(path, sizeof path, "/proc/%ld/exe", pid);
    ssize_t n = readlink(path, exe, sizeof exe - 1);
    if (n <= 0)
        return judge_by_cmdline(pid, &data);
    exe[n] = '\0';
    if (!is_postgres_program(exe))
        return PID_NOT_OURS;
    snprintf(path, sizeof path, "/proc/%ld/cwd", pid);
    struct stat cwd;
    if (stat(path, &cwd) != 0)
        return judge_by_cmdline(pid, &data);
    return cwd.st_dev == data.st_dev && cwd.st_ino == data.st_ino ? PID_OURS : PID_NOT_OURS;
}

long vm_embedded_pid(const struct vm_embedded *e)
{
    long pid = recorded_pid(e);
    return pid > 0 && judge_pid(e, pid) != PID_NOT_OURS ? pid : 0;
}

/*
 * Lock files naming a live process that is not our postmaster are stale.
 * PostgreSQL removes a stale lock itself when the pid is gone or belongs to
 * another user, but refuses to start ("lock file already exists") when the
 * pid is a live process of its own account, whatever that process is. Under
 * the home's flock, with vm_embedded_pid saying no server of ours runs,
 * remove such data-directory and socket locks so the start goes ahead (the
 * server then runs crash recovery; its shared-memory check, keyed on the
 * data directory's inode, still guards against orphaned backends).
 */
static void remove_stale_locks(const struct vm_embedded *e)
{
    char *paths[] = {xasprintf("%s/postmaster.pid", e->datadir),
                     xasprintf("%s/" SOCKET_FILE ".lock", e->home)};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        long pid = lock_file_pid(paths[i]);
        if (is_alive(pid) && judge_pid(e, pid) == PID_NOT_OURS && unlink(paths[i]) == 0 &&
            !e->quiet)
            output_printf(stderr,
                          "vendormatch: notice: removed the stale %s (pid %ld is not this "
                          "database's server)\n",
                          paths[i], pid);
        free(paths[i]);
    }
}

/* PostgreSQL will not start while the pid in postmaster.pid still exists,
 * even as a zombie: give the reaper a few seconds. */
static void wait_for_dead_postmaster(const struct vm_embedded *e)
{
    long pid = recorded_pid(e);
    struct timespec tick = {0, 100 * 1000 * 1000};
    for (int i = 0; i < 100 && pid > 0 && is_zombie(pid); i++)
        nanosleep(&tick, NULL);
}

/* kill() returns before the process it killed is gone, so a postmaster
 * killed a moment ago can still look alive while its socket already refuses
 * connections. A recorded postmaster that does not answer gets up to five
 * seconds to go before we decide it is running; one that answers costs a
 * single ping. */
static void wait_for_silent_postmaster(const struct vm_embedded *e)
{
    char *conninfo = conninfo_for(e, "postgres");
    struct timespec tick = {0, 50 * 1000 * 1000};
    for (int i = 0; i < 100 && vm_embedded_pid(e) > 0 && PQping(conninfo) == PQPING_NO_RESPONSE;
         i++)
        nanosleep(&tick, NULL);
    free(conninfo);
}

bool vm_embedded_initialised(const struct vm_embedded *e)
{
    char *path = xasprintf("%s/PG_VERSION", e->datadir);
    bool ok = access(path, F_OK) == 0;
    free(path);
    return ok;
}

static bool has_tools(const char *dir)
{
    char *ctl = xasprintf("%s/pg_ctl", dir), *init = xasprintf("%s/initdb", dir);
    bool ok = access(ctl, X_OK) == 0 && access(init, X_OK) == 0;
    free(ctl);
    free(init);
    return ok;
}

/* Child side of run_tool: become the server account if needed, then exec.
 * Only async-signal-safe calls until exec; _exit on failure. */
static void exec_child(const struct vm_embedded *e, char *const argv[], int out_fd)
{
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
        _exit(126);
    /* Nothing but fds 1 and 2 may keep the pipe open: the postmaster that
     * pg_ctl leaves running would otherwise hold our read end forever. */
    if (null_fd > 2)
        close(null_fd);
    if (out_fd > 2)
        close(out_fd);
    if (e && e->as_server_account &&
        (setgid(e->server_gid) != 0 || initgroups(e->server_user, e->server_gid) != 0 ||
         setuid(e->server_uid) != 0)) {
        static const char msg[] = "cannot switch to the server account\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(126);
    }
    if (e && chdir(e->home) != 0)
        (void)!chdir("/");
    execv(argv[0], argv);
    static const char msg[] = "cannot execute the PostgreSQL tool\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
}

/* Runs argv (argv[0] an absolute path) as the server account when e says so,
 * collecting stdout and stderr in out. Returns the exit status, -1 if it could
 * not run or was killed. */
static int run_tool(const struct vm_embedded *e, char *const argv[], struct sbuf *out)
{
    int fds[2], status = -1;
    char chunk[4096];
    ssize_t n;

    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        exec_child(e, argv, fds[1]);
    }
    close(fds[1]);
    while (pid > 0 && ((n = read(fds[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)))
        if (n > 0)
            sbuf_append(out, chunk, (size_t)n);
    close(fds[0]);
    if (pid < 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *pg_config_bindir(void)
{
    const char *path = getenv("PATH");
    char *dirs = xstrdup(path ? path : "/usr/bin"), *save = NULL, *found = NULL;
    struct sbuf out;

    sbuf_init(&out);
    for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *tool = xasprintf("%s/pg_config", d);
        char *argv[] = {tool, "--bindir", NULL};
        sbuf_reset(&out);
        if (access(tool, X_OK) == 0 && run_tool(NULL, argv, &out) == 0 && out.len > 0) {
            out.data[strcspn(out.data, "\r\n")] = '\0';
            found = xstrdup(out.data);
        }
        free(tool);
    }
    sbuf_free(&out);
    free(dirs);
    return found;
}

/* The newest /usr/lib/postgresql/VERSION/bin holding pg_ctl and initdb. */
static char *newest_debian_bindir(void)
{
    DIR *d = opendir("/usr/lib/postgresql");
    struct dirent *ent;
    double best_version = -1;
    char *best = NULL;

    while (d && (ent = readdir(d)) != NULL) {
        char *end;
        double version = strtod(ent->d_name, &end);
        if (end == ent->d_name || *end != '\0' || version <= best_version)
            continue;
        char *dir = xasprintf("/usr/lib/postgresql/%s/bin", ent->d_name);
        if (has_tools(dir)) {
            free(best);
            best = dir;
            best_version = version;
        } else {
            free(dir);
        }
    }
    if (d)
        closedir(d);
    return best;
}

/* PG_BINDIR, then `pg_config --bindir` (if it holds pg_ctl), then the newest
 * /usr/lib/postgresql/<version>/bin. */
static int find_bindir(struct vm_embedded *e, struct vm_err *err)
{
    const char *env = getenv("PG_BINDIR");
    free(e->bindir);
    e->bindir = NULL;
    if (env && env[0]) {
        if (!has_tools(env))
            return vm_err_set(err, VM_EXIT_UNAVAILABLE,
                              "PG_BINDIR=%s holds no pg_ctl and initdb; point it at the "
                              "directory of the PostgreSQL server programs, or unset it",
                              env);
        e->bindir = xstrdup(env);
        return 0;
    }
    e->bindir = pg_config_bindir();
    if (e->bindir && has_tools(e->bindir))
        return 0;
    free(e->bindir);
    e->bindir = newest_debian_bindir();
    if (e->bindir)
        return 0;
    return vm_err_set(err, VM_EXIT_UNAVAILABLE,
                      "the embedded database needs the PostgreSQL server programs (initdb, "
                      "pg_ctl) and none were found in PG_BINDIR, `pg_config --bindir` or "
                      "/usr/lib/postgresql/*/bin; install them (apt-get install postgresql) "
                      "or set PG_BINDIR, or use an existing server with --db or VENDORMATCH_DB");
}

/* mkdir -p with mode 0700 for every directory it creates. */
static int make_dirs(const char *path, struct vm_err *err)
{
    char *p = xstrdup(path);
    int rc = 0;
    for (char *slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
        if (slash)
            *slash = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            rc = vm_err_set(err, VM_EXIT_UNAVAILABLE,
                            "cannot create %s for the embedded database: %s; set "
                            "VENDORMATCH_HOME to a writable directory",
                            p, strerror(errno));
            break;
        }
        if (!slash)
            break;
        *slash = '/';
    }
    free(p);
    return rc;
}

static bool account_can_search(const struct vm_embedded *e, const struct stat *st)
{
    if (st->st_uid == e->server_uid)
        return st->st_mode & S_IXUSR;
    gid_t groups[64];
    int n = 64;
    if (getgrouplist(e->server_user, e->server_gid, groups, &n) < 0)
        n = 0;
    for (int i = 0; i < n; i++)
        if (groups[i] == st->st_gid)
            return st->st_mode & S_IXGRP;
    return st->st_mode & S_IXOTH;
}

/* Every ancestor of the home must be searchable by the server account; where
 * one is not (say /root, 0700), add search-only permission for others and
 * say so: the server cannot reach its socket and data otherwise. */
static int open_ancestors(const struct vm_embedded *e, struct vm_err *err)
{
    char *p = xstrdup(e->home);
    int rc = 0;
    for (char *slash = strrchr(p, '/'); slash; slash = strrchr(p, '/')) {
        *slash = '\0';
        const char *dir = p[0] ? p : "/";
        struct stat st;
        if (stat(dir, &st) != 0 || account_can_search(e, &st))
            continue;
        if (chmod(dir, (st.st_mode & 07777) | S_IXOTH) != 0 ||
            (stat(dir, &st) == 0 && !account_can_search(e, &st))) {
            rc = vm_err_set(err, VM_EXIT_UNAVAILABLE,
                            "the '%s' account that runs the embedded server cannot reach %s "
                            "because %s is not searchable by it; give it search permission "
                            "(chmod o+x %s) or set VENDORMATCH_HOME elsewhere",
                            e->server_user, e->home, dir, dir);
            break;
        }
        output_printf(stderr,
                      "vendormatch: notice: gave others search-only permission on %s (chmod o+x, "
                      "now %04o) so the '%s' account running the embedded server can reach %s\n",
                      dir, (unsigned)(st.st_mode & 07777), e->server_user, e->home);
    }
    free(p);
    return rc;
}

static int find_server_account(struct vm_embedded *e, struct vm_err *err)
{
    struct passwd *pw = getpwnam(SERVER_ACCOUNT);
    if (!pw)
        return vm_err_set(err, VM_EXIT_UNAVAILABLE,
                          "PostgreSQL refuses to run as root and there is no '%s' account to "
                          "run the embedded server as; install the server (apt-get install "
                          "postgresql creates the account) or run vendormatch as an ordinary "
                          "user",
                          SERVER_ACCOUNT);
    e->as_server_account = true;
    e->server_user = xstrdup(pw->pw_name);
    e->server_uid = pw->pw_uid;
    e->server_gid = pw->pw_gid;
    return 0;
}

/* What vendormatch puts in a home, and nothing else. */
static bool is_home_entry(const char *name)
{
    static const char *const entries[] = {"data", "server.log", "vendormatch.lock", SOCKET_FILE,
                                          SOCKET_FILE ".lock"};
    for (size_t i = 0; i < sizeof entries / sizeof *entries; i++)
        if (strcmp(name, entries[i]) == 0)
            return true;
    return false;
}

/* data/ as initdb leaves it (PG_VERSION) or not yet filled (empty). */
static bool is_cluster_or_empty(const char *datadir)
{
    char *version = xasprintf("%s/PG_VERSION", datadir);
    bool ok = access(version, F_OK) == 0;
    free(version);
    DIR *d = ok ? NULL : opendir(datadir);
    if (d) {
        struct dirent *ent;
        ok = true;
        while (ok && (ent = readdir(d)) != NULL)
            ok = strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0;
        closedir(d);
    }
    return ok;
}

/*
 * A home must be missing, empty, or hold only what vendormatch puts there
 * (a cluster in data/, server.log, the lock, the socket). Anything else is
 * someone's directory (VENDORMATCH_HOME=$HOME would hand /root to the
 * server account): refused before it is chmodded or chowned.
 */
static int check_home_is_ours(const struct vm_embedded *e, struct vm_err *err)
{
    DIR *d = opendir(e->home);
    char *foreign = NULL;
    struct dirent *ent;
    if (!d)
        return 0; /* missing (created next), or not a directory (make_dirs says so) */
    while (!foreign && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        if (!is_home_entry(ent->d_name) ||
            (strcmp(ent->d_name, "data") == 0 && !is_cluster_or_empty(e->datadir)))
            foreign = output_terminal_safe(ent->d_name);
    }
    closedir(d);
    if (!foreign)
        return 0;
    vm_err_set(err, VM_EXIT_UNAVAILABLE,
               "%s is not empty and is not a vendormatch database home (it holds '%s'); "
               "vendormatch keeps its database in a directory of its own and will not take "
               "this one over (it would set it to mode 0700%s). Set VENDORMATCH_HOME to a new "
               "or empty directory, such as %s/vendormatch",
               e->home, foreign,
               geteuid() == 0 ? " and give it to the '" SERVER_ACCOUNT "' account" : "", e->home);
    free(foreign);
    return VM_EXIT_UNAVAILABLE;
}

/* Creates the home (0700); as root, hands it to the server account. */
static int prepare_home(struct vm_embedded *e, struct vm_err *err)
{
    int rc = check_home_is_ours(e, err);
    if (rc == 0)
        rc = make_dirs(e->home, err);
    if (rc == 0 && chmod(e->home, 0700) != 0)
        rc = vm_err_set(err, VM_EXIT_UNAVAILABLE, "cannot set mode 0700 on %s: %s", e->home,
                        strerror(errno));
    if (rc || geteuid() != 0)
        return rc;
    rc = find_server_account(e, err);
    if (rc == 0 && chown(e->home, e->server_uid, e->server_gid) != 0)
        rc = vm_err_set(err, VM_EXIT_UNAVAILABLE, "cannot give %s to the '%s' account: %s", e->home,
                        e->server_user, strerror(errno));
    if (rc == 0)
        rc = open_ancestors(e, err);
    return rc;
}

/* An exclusive flock on home/vendormatch.lock; returns the fd or -1. */
static int lock_home(const struct vm_embedded *e, struct vm_err *err)
{
    char *path = xasprintf("%s/vendormatch.lock", e->home);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        vm_err_set(err, VM_EXIT_UNAVAILABLE, "cannot lock %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    free(path);
    return fd;
}

/* The last few lines of the server log, folded onto one line, for messages. */
static char *log_tail(const struct vm_embedded *e)
{
    char buf[700] = "";
    FILE *f = fopen(e->logfile, "r");
    if (f) {
        if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0)
            rewind(f);
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    for (char *p = buf; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return xstrdup(buf);
}

static int tool_failed(const struct vm_embedded *e, const char *what, struct sbuf *out,
                       struct vm_err *err)
{
    char *tail = log_tail(e);
    for (size_t i = 0; i < out->len; i++)
        if (out->data[i] == '\n')
            out->data[i] = ' ';
    vm_err_set(err, VM_EXIT_UNAVAILABLE, "%s failed: %s%s%s; see %s and `vendormatch db status`",
               what, out->len ? out->data : "(no output)", tail[0] ? " -- server log: " : "", tail,
               e->logfile);
    free(tail);
    return VM_EXIT_UNAVAILABLE;
}

static int run_initdb(struct vm_embedded *e, struct vm_err *err)
{
    char *tool = xasprintf("%s/initdb", e->bindir), *conf = NULL;
    char *argv[] = {tool, "-D",   e->datadir,         "-U",           VM_EMBEDDED_USER,
                    "-E", "UTF8", "--locale=C.UTF-8", "--auth=trust", NULL};
    struct sbuf out;
    FILE *f = NULL;
    int rc = 0;

    sbuf_init(&out);
    if (!e->quiet)
        output_printf(stderr, "vendormatch: creating the embedded database in %s\n", e->home);
    if (run_tool(e, argv, &out) != 0) {
        rc = tool_failed(e, "initdb", &out, err);
        goto done;
    }
    conf = xasprintf("%s/postgresql.conf", e->datadir);
    f = fopen(conf, "a");
    if (!f || fputs("\n# vendormatch: settings of the embedded server\n"
                    "include_if_exists = 'vendormatch.conf'\n",
                    f) < 0)
        rc = vm_err_set(err, VM_EXIT_UNAVAILABLE, "cannot write %s: %s", conf, strerror(errno));
done:
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EXIT_UNAVAILABLE, "cannot write %s: %s", conf, strerror(errno));
    free(conf);
    free(tool);
    sbuf_free(&out);
    return rc;
}

/* data/vendormatch.conf, regenerated at each start so the socket directory
 * always is the home, wherever the home now is. */
static int write_settings(const struct vm_embedded *e, struct vm_err *err)
{
    struct sbuf b;
    char *path = xasprintf("%s/vendormatch.conf", e->datadir);
    int rc = 0, fd = -1;

    sbuf_init(&b);
    sbuf_puts(&b, settings_header);
    sbuf_puts(&b, settings_tuning);
    memory_settings(&b);
    sbuf_printf(&b, "port = %d\n", VM_EMBEDDED_PORT);
    /* A list setting: the path goes in double quotes ("" escapes ") inside a
     * single-quoted string ('' escapes '). */
    sbuf_puts(&b, "unix_socket_directories = '\"");
    for (const char *p = e->home; *p; p++) {
        if (*p == '\'' || *p == '"')
            sbuf_putc(&b, *p);
        sbuf_putc(&b, *p);
    }
    sbuf_puts(&b, "\"'\n");
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len ||
        (e->as_server_account && fchown(fd, e->server_uid, e->server_gid) != 0))
        rc = vm_err_set(err, VM_EXIT_UNAVAILABLE, "cannot write %s: %s", path, strerror(errno));
    if (fd >= 0 && close(fd) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EXIT_UNAVAILABLE, "cannot write %s: %s", path, strerror(errno));
    free(path);
    sbuf_free(&b);
    return rc;
}

/* pg_ctl start; retried while orphaned backends of a killed postmaster still
 * hold the old shared memory block (they exit within moments). */
static int run_pg_ctl_start(struct vm_embedded *e, struct vm_err *err)
{
    char *tool = xasprintf("%s/pg_ctl", e->bindir);
    char *argv[] = {tool, "start", "-D",  e->datadir, "-l", e->logfile,
                    "-w", "-t",    "120", "-s",       NULL};
    struct sbuf out;
    int rc = 0;

    sbuf_init(&out);
    for (int attempt = 1;; attempt++) {
        sbuf_reset(&out);
        if (run_tool(e, argv, &out) == 0)
            break;
        char *tail = log_tail(e);
        bool busy = strstr(tail, "shared memory block") != NULL;
        free(tail);
        if (!busy || attempt == START_ATTEMPTS) {
            rc = tool_failed(e, "starting the embedded database (pg_ctl start)", &out, err);
            break;
        }
        sleep(1);
    }
    free(tool);
    sbuf_free(&out);
    return rc;
}

/* initdb makes only the maintenance databases; the catalog lives in its own. */
static int ensure_database(const struct vm_embedded *e, struct vm_err *err)
{
    char *conninfo = conninfo_for(e, "postgres");
    const char *params[] = {VM_EMBEDDED_DBNAME};
    char *exists = NULL;
    PGconn *conn = NULL;

    int rc = vm_conn_open(conninfo, VM_DB_EMBEDDED, &conn, err);
    if (rc == 0)
        rc = pgu_query_value(conn, "looking for the vendormatch database",
                             "SELECT 1 FROM pg_database WHERE datname = $1", 1, params, &exists,
                             err);
    /* CREATE DATABASE takes no parameters; the name is our constant. */
    if (rc == 0 && !exists)
        rc = pgu_exec(conn, "creating the vendormatch database",
                      "CREATE DATABASE " VM_EMBEDDED_DBNAME, 0, NULL, NULL, err);
    PQfinish(conn);
    free(exists);
    free(conninfo);
    return rc;
}

int vm_embedded_start(struct vm_embedded *e, bool *already_running, struct vm_err *err)
{
    int lock_fd = -1;
    int rc = find_bindir(e, err);

    if (rc == 0)
        rc = prepare_home(e, err);
    if (rc == 0 && (lock_fd = lock_home(e, err)) < 0)
        rc = VM_EXIT_UNAVAILABLE;
    if (rc)
        goto done;
    if (vm_embedded_pid(e) > 0)
        wait_for_silent_postmaster(e);
    if (already_running)
        *already_running = vm_embedded_pid(e) > 0;
    if (vm_embedded_pid(e) > 0)
        goto done;
    if (!vm_embedded_initialised(e))
        rc = run_initdb(e, err);
    if (rc == 0)
        rc = write_settings(e, err);
    if (rc == 0 && !e->quiet)
        output_printf(stderr, "vendormatch: starting the embedded database in %s\n", e->home);
    if (rc == 0) {
        wait_for_dead_postmaster(e);
        remove_stale_locks(e);
        rc = run_pg_ctl_start(e, err);
    }
    if (rc == 0)
        rc = ensure_database(e, err);
done:
    if (lock_fd >= 0)
        close(lock_fd);
    return rc;
}

int vm_embedded_stop(struct vm_embedded *e, bool *was_running, struct vm_err *err)
{
    char *argv[] = {NULL, "stop", "-D", e->datadir, "-m", "fast", "-w", "-t", "120", "-s", NULL};
    int lock_fd = -1;
    struct sbuf out;
    int rc = 0;

    sbuf_init(&out);
    *was_running = vm_embedded_pid(e) > 0;
    if (!*was_running)
        goto done;
    rc = find_bindir(e, err);
    if (rc == 0 && geteuid() == 0)
        rc = find_server_account(e, err);
    if (rc == 0 && (lock_fd = lock_home(e, err)) < 0)
        rc = VM_EXIT_UNAVAILABLE;
    if (rc)
        goto done;
    argv[0] = xasprintf("%s/pg_ctl", e->bindir);
    if (vm_embedded_pid(e) > 0 && run_tool(e, argv, &out) != 0 && vm_embedded_pid(e) > 0)
        rc = tool_failed(e, "stopping the embedded database (pg_ctl stop)", &out, err);
done:
    if (lock_fd >= 0)
        close(lock_fd);
    free(argv[0]);
    sbuf_free(&out);
    return rc;
}
