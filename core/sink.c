/*
 * sink.c - buffered outputs: memory, an open stream, or a file written
 * beside its target and renamed into place only when complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

enum sink_kind { SINK_MEMORY, SINK_STREAM, SINK_FILE, SINK_DIRECTORY };
enum { BUF_SIZE = 64 * 1024 };

struct pk_sink {
    enum sink_kind kind;
    int error;
    char *name;
    /* Memory sinks keep everything in buf; the others flush it when full. */
    char *buf;
    size_t len, cap;
    FILE *fp;          /* SINK_STREAM */
    int fd;            /* SINK_FILE */
    char *tmp_path;    /* SINK_FILE, until committed */
    bool tmp_created;  /* the temporary exists and is ours to remove */
    int err_no;        /* errno of the first failed write */
    bool committed;
    bool durable;      /* fsync the file and its directory on commit */
};

static int sink_alloc(pk_sink **out, enum sink_kind kind, const char *name,
                      size_t cap)
{
    pk_sink *s = calloc(1, sizeof *s);
    if (!s)
        return PK_ENOMEM;
    s->kind = kind;
    s->fd = -1;
    s->name = strdup(name);
    s->buf = malloc(cap);
    s->cap = cap;
    if (!s->name || !s->buf) {
        pk_sink_free(s);
        return PK_ENOMEM;
    }
    s->buf[0] = '\0';
    *out = s;
    return PK_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Hands the buffered bytes to the stream or file. */
static int flush(pk_sink *s)
{
    if (s->error || s->kind == SINK_MEMORY || s->len == 0)
        return s->error;
    int failed;
    if (s->kind == SINK_STREAM)
        failed = fwrite(s->buf, 1, s->len, s->fp) != s->len;
    else
        failed = write_all(s->fd, s->buf, s->len);
    if (failed) {
        s->err_no = errno;
        s->error = PK_EIO;
    }
    s->len = 0;
    return s->error;
}

int pk_sink_write(pk_sink *s, const void *data, size_t len)
{
    if (s->error)
        return s->error;
    if (s->kind == SINK_DIRECTORY)
        return s->error = PK_EINVAL;
    if (s->kind == SINK_MEMORY) {
        if (len >= s->cap - s->len) {
            size_t cap = s->cap;
            while (len >= cap - s->len) {
                if (cap > SIZE_MAX / 2)
                    return s->error = PK_ENOMEM;
                cap *= 2;
            }
            char *p = realloc(s->buf, cap);
            if (!p)
                return s->error = PK_ENOMEM;
            s->buf = p;
            s->cap = cap;
        }
        memcpy(s->buf + s->len, data, len);
        s->len += len;
        s->buf[s->len] = '\0';
        return PK_OK;
    }
    if (len > s->cap - s->len) {
        if (flush(s))
            return s->error;
        if (len >= s->cap) {
            /* Too big to buffer: write it straight through. */
            int failed = s->kind == SINK_STREAM
                             ? fwrite(data, 1, len, s->fp) != len
                             : write_all(s->fd, data, len);
            if (failed) {
                s->err_no = errno;
                s->error = PK_EIO;
            }
            return s->error;
        }
    }
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    return PK_OK;
}

int pk_sink_puts(pk_sink *sink, const char *s)
{
    return pk_sink_write(sink, s, strlen(s));
}

int pk_sink_putc(pk_sink *sink, int c)
{
    char ch = (char)c;
    return pk_sink_write(sink, &ch, 1);
}

int pk_sink_printf(pk_sink *sink, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return sink->error = PK_EINVAL;
    if ((size_t)n < sizeof small)
        return pk_sink_write(sink, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return sink->error = PK_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = pk_sink_write(sink, big, (size_t)n);
    free(big);
    return rc;
}

int pk_sink_error(const pk_sink *sink) { return sink->error; }
const char *pk_sink_name(const pk_sink *sink) { return sink->name; }

int pk_sink_new_memory(pk_sink **out)
{
    return sink_alloc(out, SINK_MEMORY, "<memory>", 256);
}

const char *pk_sink_memory_data(const pk_sink *sink, size_t *len)
{
    if (sink->kind != SINK_MEMORY)
        return NULL;
    if (len)
        *len = sink->len;
    return sink->buf;
}

int pk_sink_new_stream(pk_sink **out, FILE *fp, const char *name)
{
    int rc = sink_alloc(out, SINK_STREAM, name ? name : "<stream>", BUF_SIZE);
    if (rc == PK_OK)
        (*out)->fp = fp;
    return rc;
}

/* mkdir -p of the directory part of path. */
static int make_parents(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return -1;
    int rc = 0;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            rc = -1;
            break;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}

int pk_sink_new_file(pk_sink **out, const char *path, pk_diag *diag)
{
    *out = NULL;
    pk_sink *s;
    int rc = sink_alloc(&s, SINK_FILE, path, BUF_SIZE);
    if (rc)
        return pk_diag_set(diag, rc, path, 0, 0, "out of memory");
    size_t n = strlen(path) + 64;
    s->tmp_path = malloc(n);
    if (!s->tmp_path) {
        pk_sink_free(s);
        return pk_diag_set(diag, PK_ENOMEM, path, 0, 0, "out of memory");
    }
    /* The temporary lives beside the target so rename() is atomic; the
     * name is unique per process, thread and attempt, and O_EXCL makes
     * sure we never write into someone else's file.  Missing parent
     * directories are made when the first open says so, not before every
     * file: a batch writes thousands into a few directories. */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    struct timespec ts;
    bool parents_made = false;
    clock_gettime(CLOCK_REALTIME, &ts);
    for (unsigned attempt = 0; attempt < 100;) {
        snprintf(s->tmp_path, n, "%.*s.%s.%ld.%lx.%u.tmp", (int)dirlen, path,
                 "pk", (long)getpid(),
                 (unsigned long)ts.tv_nsec ^ (unsigned long)(uintptr_t)s, attempt);
        s->fd = open(s->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (s->fd >= 0)
            break;
        if (errno == ENOENT && !parents_made) {
            parents_made = true;
            if (make_parents(path) != 0) {
                int e = errno;
                pk_sink_free(s);
                return pk_diag_set(diag, PK_EIO, path, 0, 0,
                                   "cannot create the output directory: %s",
                                   strerror(e));
            }
            continue; /* the same name, now that its directory exists */
        }
        if (errno != EEXIST)
            break;
        attempt++;
    }
    s->tmp_created = s->fd >= 0;
    if (s->fd < 0) {
        int e = errno;
        free(s->tmp_path);
        s->tmp_path = NULL;
        pk_sink_free(s);
        return pk_diag_set(diag, PK_EIO, path, 0, 0, "cannot write: %s",
                           strerror(e));
    }
    *out = s;
    return PK_OK;
}

int pk_sink_new_directory(pk_sink **out, const char *dir, pk_diag *diag)
{
    *out = NULL;
    int rc = sink_alloc(out, SINK_DIRECTORY, dir, 1);
    if (rc)
        return pk_diag_set(diag, rc, dir, 0, 0, "out of memory");
    return PK_OK;
}

bool pk_sink_is_directory(const pk_sink *sink)
{
    return sink->kind == SINK_DIRECTORY;
}

/* A relative path that stays below its directory. */
static bool safe_relpath(const char *p)
{
    if (!*p || *p == '/')
        return false;
    for (const char *c = p;; ) {
        const char *end = strchr(c, '/');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if (n == 0 || (n == 1 && c[0] == '.') ||
            (n == 2 && c[0] == '.' && c[1] == '.'))
            return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)c[i] < 0x20 || c[i] == '\\' || c[i] == 0x7F)
                return false;
        if (!end)
            return true;
        c = end + 1;
    }
}

int pk_sink_open_sibling(pk_sink *sink, const char *relpath, pk_sink **out,
                         pk_diag *diag)
{
    *out = NULL;
    if (sink->kind != SINK_DIRECTORY && sink->kind != SINK_FILE)
        return pk_diag_set(diag, PK_EINVAL, sink->name, 0, 0,
                           "cannot write %s: several output files need an "
                           "output directory (-O DIR)", relpath);
    if (!safe_relpath(relpath))
        return pk_diag_set(diag, PK_EINVAL, sink->name, 0, 0,
                           "unsafe output name \"%s\": it must stay inside "
                           "the output directory", relpath);
    size_t dirlen;
    if (sink->kind == SINK_DIRECTORY) {
        dirlen = strlen(sink->name);
    } else {
        const char *slash = strrchr(sink->name, '/');
        dirlen = slash ? (size_t)(slash - sink->name) : 0;
    }
    size_t len = dirlen + strlen(relpath) + 2;
    char *path = malloc(len);
    if (!path)
        return pk_diag_set(diag, PK_ENOMEM, sink->name, 0, 0, "out of memory");
    if (dirlen)
        snprintf(path, len, "%.*s/%s", (int)dirlen, sink->name, relpath);
    else
        snprintf(path, len, "%s", relpath);
    int rc = pk_sink_new_file(out, path, diag);
    free(path);
    if (rc == PK_OK)
        (*out)->durable = sink->durable;
    return rc;
}

void pk_sink_set_durable(pk_sink *sink, bool durable)
{
    sink->durable = durable;
}

/* Syncs the directory holding path, so a rename into it survives a crash.
 * File systems that cannot sync a directory say EINVAL: nothing to do. */
static int sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                      : strdup(".");
    if (!dir)
        return ENOMEM;
    int e = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL))
        e = errno;
    if (fd >= 0)
        close(fd);
    free(dir);
    return e;
}

int pk_sink_commit(pk_sink *s, pk_diag *diag)
{
    if (s->committed)
        return PK_OK;
    if (s->kind == SINK_DIRECTORY) {
        s->committed = true;
        return PK_OK;
    }
    flush(s);
    if (s->kind == SINK_STREAM && !s->error && fflush(s->fp) != 0) {
        s->err_no = errno;
        s->error = PK_EIO;
    }
    if (s->kind == SINK_FILE && !s->error) {
        if (s->durable && fsync(s->fd) != 0) {
            s->err_no = errno;
            s->error = PK_EIO;
        }
        if (close(s->fd) != 0 && !s->error) {
            s->err_no = errno;
            s->error = PK_EIO;
        }
        s->fd = -1;
        if (!s->error && rename(s->tmp_path, s->name) != 0) {
            s->err_no = errno;
            s->error = PK_EIO;
        }
        /* Renamed: the file is in place whatever the directory's sync
         * says, so the temporary is no longer ours to remove. */
        if (!s->error)
            s->tmp_created = false;
        if (!s->error && s->durable && (s->err_no = sync_parent(s->name)))
            s->error = PK_EIO;
    }
    if (s->error)
        return pk_diag_set(diag, s->error, s->name, 0, 0, "cannot write: %s",
                           s->err_no ? strerror(s->err_no)
                                     : pk_status_str(s->error));
    s->committed = true;
    return PK_OK;
}

void pk_sink_free(pk_sink *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    if (s->kind == SINK_FILE && s->tmp_created && !s->committed)
        unlink(s->tmp_path);
    free(s->tmp_path);
    free(s->buf);
    free(s->name);
    free(s);
}
