/*
 * inputs.c - the inputs of a batch, in a deterministic order, one at a
 * time.
 *
 * The order is that of a depth-first walk of each operand, the entries of
 * each directory sorted by name (strcmp).  Only the directories on the
 * current path are held, each as its sorted entries, so a batch of a
 * million files costs no more memory than one of a thousand.
 *
 * Entries are typed by readdir's d_type where the file system gives it;
 * the first entry of every directory is lstat'ed all the same, and if
 * that fails (a directory that can be listed but not searched) every
 * entry of that directory is, so errors are reported as they always
 * were: "cannot read: ..." for the entry itself.
 */
#define _GNU_SOURCE /* d_type, O_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { MAX_DEPTH = 64 };

/* Operands are looked at once, at the start, as they always were: one
 * that appears later (this run's own output directory, say) is still
 * missing. */
enum { OP_DIR = -1, OP_OTHER = 0 };

/* Entry types as kept in a level: d_type, or this when unknown. */
enum { TYPE_UNKNOWN = 0 };

/* Names are kept in blocks that never move: a big directory costs its
 * names and a pointer each, with no doubling on top. */
typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

/* One directory being walked. */
typedef struct level {
    char *dir;          /* the path as reached */
    char *rel;          /* the path below the operand ("" at the top) */
    block *blocks;      /* the entries: a type byte, the name, a NUL */
    char **ents;        /* the entries, sorted by name */
    size_t count, pos;
    int depth;
    bool lstat_all;     /* the first entry could not be lstat'ed */
    bool have_id;
    dev_t dev;
    ino_t ino;
} level;

struct inputs {
    const pk_context *ctx;
    const pk_plugin *forced, *stdin_reader;
    char **ops;
    size_t nops, opi;
    int *op_state;      /* per operand, as found at the start: OP_DIR,
                         * OP_OTHER, or the errno of stat */
    bool owns_state;
    level stack[MAX_DEPTH + 1];
    int top;            /* levels in use */
    input *q;           /* produced, not yet taken: q[qhead..qlen) */
    size_t qhead, qlen, qcap;
    bool ended;
    bool counting;      /* count instead of keeping */
    bool emitted;
    long counted;
    char *pbuf, *rbuf;  /* scratch: an entry's path and rel */
    size_t pcap, rcap;
};

static char *const stdin_op[] = {"-"};

void input_clear(input *in)
{
    free(in->buf);
    free(in->error);
    memset(in, 0, sizeof *in);
}

static bool has_ext(const pk_plugin *p, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || !p->extensions)
        return false;
    for (const char *const *e = p->extensions; *e; e++)
        if (strcasecmp(*e, dot + 1) == 0)
            return true;
    return false;
}

static const pk_plugin *reader_for(const pk_context *ctx,
                                   const pk_plugin *forced, const char *name)
{
    if (forced)
        return has_ext(forced, name) ? forced : NULL;
    return pk_context_reader_for(ctx, name);
}

/* Produces one input (or counts it).  path is NULL or equal to name. */
static int emit(inputs *it, bool has_path, const char *name, const char *rel,
                const pk_plugin *reader, const char *error, const level *walked)
{
    it->emitted = true;
    if (it->counting) {
        it->counted++;
        return 0;
    }
    if (it->qlen == it->qcap) {
        size_t cap = it->qcap ? it->qcap * 2 : 8;
        input *p = realloc(it->q, cap * sizeof *p);
        if (!p)
            return -1;
        it->q = p;
        it->qcap = cap;
    }
    size_t nlen = strlen(name), rlen = strlen(rel);
    input in = {0};
    in.buf = malloc(nlen + rlen + 2);
    in.error = error ? strdup(error) : NULL;
    if (!in.buf || (error && !in.error)) {
        input_clear(&in);
        return -1;
    }
    memcpy(in.buf, name, nlen + 1);
    memcpy(in.buf + nlen + 1, rel, rlen + 1);
    in.name = in.buf;
    in.rel = in.buf + nlen + 1;
    in.path = has_path ? in.buf : NULL;
    in.reader = reader;
    if (walked && walked->have_id) {
        in.walked = true;
        in.dir_dev = walked->dev;
        in.dir_ino = walked->ino;
    }
    it->q[it->qlen++] = in;
    return 0;
}

static int emit_errno(inputs *it, bool has_path, const char *name,
                      const char *rel, const char *what, int err)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
    return emit(it, has_path, name, rel, NULL, msg, NULL);
}

static void level_free(level *lv)
{
    free(lv->dir);
    free(lv->rel);
    while (lv->blocks) {
        block *next = lv->blocks->next;
        free(lv->blocks);
        lv->blocks = next;
    }
    free(lv->ents);
    memset(lv, 0, sizeof *lv);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Room for n bytes of entries: in the current block, or a new one. */
static char *entry_room(level *lv, size_t n)
{
    block *b = lv->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = b ? b->cap * 2 : 2048;
        if (cap > 32 * 1024)
            cap = 32 * 1024;
        if (cap < n)
            cap = n;
        block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        lv->blocks = b = nb;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

/* Reads dir's entries into a new level on top of the stack, or reports
 * the directory as a bad input. */
static int push_level(inputs *it, const char *dir, const char *rel, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return emit_errno(it, false, dir, rel, "cannot read directory", errno);
    level lv = {0};
    lv.depth = depth;
    struct stat st;
    if (fstat(dirfd(d), &st) == 0) {
        lv.have_id = true;
        lv.dev = st.st_dev;
        lv.ino = st.st_ino;
    }
    size_t ecap = 0;
    int err = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            err = errno;
            break;
        }
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(e->d_name) + 2;
        char *p = entry_room(&lv, n);
        if (!p) {
            err = ENOMEM;
            break;
        }
        if (lv.count == ecap) {
            size_t c = ecap ? ecap + ecap / 2 : 64;
            char **q = realloc(lv.ents, c * sizeof *q);
            if (!q) {
                err = ENOMEM;
                break;
            }
            lv.ents = q;
            ecap = c;
        }
        unsigned char type = TYPE_UNKNOWN;
#ifdef _DIRENT_HAVE_D_TYPE
        type = e->d_type;
#endif
        p[0] = (char)type;
        memcpy(p + 1, e->d_name, n - 1);
        lv.ents[lv.count++] = p;
    }
    closedir(d);
    if (err) {
        level_free(&lv);
        if (err == ENOMEM)
            return -1;
        return emit_errno(it, false, dir, rel, "cannot read directory", err);
    }
    lv.dir = strdup(dir);
    lv.rel = strdup(rel);
    if (!lv.dir || !lv.rel) {
        level_free(&lv);
        return -1;
    }
    if (lv.count > 1)
        qsort(lv.ents, lv.count, sizeof *lv.ents, by_name);
    it->stack[it->top++] = lv;
    return 0;
}

static int grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    char *p = realloc(*buf, c);
    if (!p)
        return -1;
    *buf = p;
    *cap = c;
    return 0;
}

/* The next entry of the top level. */
static int step_entry(inputs *it)
{
    level *lv = &it->stack[it->top - 1];
    if (lv->pos == lv->count) {
        level_free(lv);
        it->top--;
        return 0;
    }
    bool first = lv->pos == 0;
    const char *entry = lv->ents[lv->pos++];
    unsigned char type = (unsigned char)entry[0];
    const char *base = entry + 1;
    size_t dlen = strlen(lv->dir), rlen = strlen(lv->rel), blen = strlen(base);
    if (grow(&it->pbuf, &it->pcap, dlen + blen + 2) ||
        grow(&it->rbuf, &it->rcap, rlen + blen + 2))
        return -1;
    char *path = it->pbuf, *sub = it->rbuf;
    snprintf(path, it->pcap, "%s%s%s", lv->dir,
             lv->dir[dlen - 1] == '/' ? "" : "/", base);
    snprintf(sub, it->rcap, "%s%s%s", lv->rel, *lv->rel ? "/" : "", base);

    mode_t mode;
    /* lstat, not stat: a symbolic link to a directory is not followed, so
     * a link cycle cannot make the walk endless.  d_type says the same
     * without a system call, once the first entry showed that entries of
     * this directory can be looked up; a path too long to look up is
     * lstat'ed so that it fails as it always did. */
    if (first || lv->lstat_all || type == TYPE_UNKNOWN ||
        strlen(path) >= PATH_MAX - 1) {
        struct stat st;
        if (lstat(path, &st) != 0) {
            if (first)
                lv->lstat_all = true;
            return emit_errno(it, false, path, sub, "cannot read", errno);
        }
        mode = st.st_mode;
    } else {
        switch (type) {
        case DT_DIR: mode = S_IFDIR; break;
        case DT_REG: mode = S_IFREG; break;
        case DT_LNK: mode = S_IFLNK; break;
        default: mode = 0; break; /* a device, FIFO or socket: skipped */
        }
    }
    if (S_ISDIR(mode)) {
        if (lv->depth < MAX_DEPTH)
            return push_level(it, path, sub, lv->depth + 1);
        return 0;
    }
    const pk_plugin *r = reader_for(it->ctx, it->forced, base);
    if (r && (S_ISREG(mode) || S_ISLNK(mode)))
        return emit(it, true, path, sub, r, NULL, S_ISREG(mode) ? lv : NULL);
    return 0;
}

static int step_operand(inputs *it)
{
    int state = it->op_state[it->opi];
    const char *op = it->ops[it->opi++];
    if (strcmp(op, "-") == 0)
        return emit(it, false, "<stdin>", "stdin", it->stdin_reader,
                    it->stdin_reader ? NULL
                                     : "no reader for standard input: use -f",
                    NULL);
    if (state > 0)
        return emit_errno(it, true, op, op, "cannot read", state);
    if (state == OP_DIR)
        return push_level(it, op, "", 0);
    const char *base = strrchr(op, '/');
    base = base ? base + 1 : op;
    const pk_plugin *r = it->forced ? it->forced
                                    : pk_context_reader_for(it->ctx, op);
    return emit(it, true, op, base, r,
                r ? NULL : "no reader for this file's extension: use -f", NULL);
}

/* Walks until one input is produced (1) or the walk is over (0). */
static int advance(inputs *it)
{
    it->emitted = false;
    while (!it->emitted) {
        int rc;
        if (it->top > 0)
            rc = step_entry(it);
        else if (it->opi < it->nops)
            rc = step_operand(it);
        else {
            it->ended = true;
            return 0;
        }
        if (rc)
            return -1;
    }
    return 1;
}

static inputs *make(const pk_context *ctx, const pk_plugin *forced,
                    char **operands, size_t n)
{
    inputs *it = calloc(1, sizeof *it);
    if (!it)
        return NULL;
    it->ctx = ctx;
    it->forced = forced;
    /* Looked up (and so loaded) only when standard input is read. */
    bool has_stdin = n == 0;
    for (size_t i = 0; i < n && !has_stdin; i++)
        has_stdin = strcmp(operands[i], "-") == 0;
    if (has_stdin)
        it->stdin_reader = forced ? forced
                                  : pk_context_find(ctx, PK_PLUGIN_READER,
                                                    "markdown");
    /* No operand: standard input, exactly as "-". */
    it->ops = n ? operands : (char **)stdin_op;
    it->nops = n ? n : 1;
    return it;
}

int inputs_open(inputs **out, const pk_context *ctx, const pk_plugin *forced,
                char **operands, size_t n)
{
    inputs *it = make(ctx, forced, operands, n);
    *out = it;
    if (!it)
        return -1;
    it->op_state = malloc(it->nops * sizeof *it->op_state);
    if (!it->op_state)
        return -1;
    it->owns_state = true;
    for (size_t i = 0; i < it->nops; i++) {
        struct stat st;
        if (strcmp(it->ops[i], "-") == 0)
            it->op_state[i] = OP_OTHER;
        else if (stat(it->ops[i], &st) != 0)
            it->op_state[i] = errno > 0 ? errno : EIO;
        else
            it->op_state[i] = S_ISDIR(st.st_mode) ? OP_DIR : OP_OTHER;
    }
    return 0;
}

int inputs_walk_all(inputs *it)
{
    int rc;
    while ((rc = advance(it)) > 0)
        ;
    return rc;
}

int inputs_next(inputs *it, input *in)
{
    if (it->qhead == it->qlen) {
        it->qhead = it->qlen = 0;
        if (it->ended)
            return 0;
        int rc = advance(it);
        if (rc <= 0)
            return rc;
    }
    *in = it->q[it->qhead++];
    if (it->qhead == it->qlen)
        it->qhead = it->qlen = 0;
    return 1;
}

long inputs_peek(inputs *it, size_t k)
{
    while (it->qlen - it->qhead < k && !it->ended)
        if (advance(it) < 0)
            return -1;
    size_t have = it->qlen - it->qhead;
    return (long)(have < k ? have : k);
}

const input *inputs_peek_at(const inputs *it, size_t i)
{
    return &it->q[it->qhead + i];
}

long inputs_drain(inputs *it)
{
    long n = (long)(it->qlen - it->qhead);
    for (size_t i = it->qhead; i < it->qlen; i++)
        input_clear(&it->q[i]);
    it->qhead = it->qlen = 0;
    it->counting = true;
    it->counted = 0;
    int rc;
    while ((rc = advance(it)) > 0)
        ;
    return rc < 0 ? -1 : n + it->counted;
}

long inputs_count_all(const inputs *it)
{
    inputs *c = make(it->ctx, it->forced, it->ops, it->nops);
    if (!c)
        return -1;
    c->op_state = it->op_state;
    c->counting = true;
    int rc;
    while ((rc = advance(c)) > 0)
        ;
    long n = rc < 0 ? -1 : c->counted;
    inputs_close(c);
    return n;
}

void inputs_close(inputs *it)
{
    if (!it)
        return;
    for (size_t i = it->qhead; i < it->qlen; i++)
        input_clear(&it->q[i]);
    free(it->q);
    while (it->top > 0)
        level_free(&it->stack[--it->top]);
    free(it->pbuf);
    free(it->rbuf);
    if (it->owns_state)
        free(it->op_state);
    free(it);
}

/* --- may the walk see this run's own outputs? -------------------------- */

typedef struct devino {
    dev_t dev;
    ino_t ino;
} devino;

enum { MAX_ANCESTORS = 512 };

/* The directory at path and every one above it up to the root, as the
 * kernel resolves "..".  Returns the count, or -1 when unsure. */
static int ancestors(const char *path, devino *out)
{
#ifdef O_PATH
    const int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
#else
    const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
#endif
    int fd = open(path, flags), n = 0;
    while (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) != 0 || n == MAX_ANCESTORS)
            break;
        if (n > 0 && out[n - 1].dev == st.st_dev && out[n - 1].ino == st.st_ino) {
            close(fd);
            return n; /* ".." of the root is the root */
        }
        out[n++] = (devino){st.st_dev, st.st_ino};
        int up = openat(fd, "..", flags);
        close(fd);
        fd = up;
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

static bool among(const devino *list, int n, dev_t dev, ino_t ino)
{
    for (int i = 0; i < n; i++)
        if (list[i].dev == dev && list[i].ino == ino)
            return true;
    return false;
}

/* The nearest existing directory at or above path by its text: path
 * itself, or path without its last components.  NULL when a component
 * taken off is "." or "..", whose meaning depends on what gets made. */
static char *nearest_existing(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return NULL;
    for (;;) {
        struct stat st;
        if (stat(p, &st) == 0)
            return p;
        size_t len = strlen(p);
        while (len > 1 && p[len - 1] == '/')
            p[--len] = '\0';
        char *slash = strrchr(p, '/');
        const char *last = slash ? slash + 1 : p;
        if (!*last || strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
            free(p);
            return NULL;
        }
        if (!slash) {
            strcpy(p, ".");
        } else if (slash == p) {
            p[1] = '\0';
        } else {
            *slash = '\0';
        }
    }
}

/* Is a directory the walk reads at, above or (below, if below) at
 * target?  target must exist. */
static bool meets_operands(const char *target, bool below, const inputs *it)
{
    devino up[MAX_ANCESTORS], opup[MAX_ANCESTORS];
    int nup = ancestors(target, up);
    if (nup < 0)
        return true;
    char *const *ops = it->ops;
    for (size_t i = 0; i < it->nops; i++) {
        struct stat st;
        if (it->op_state[i] != OP_DIR)
            continue;
        if (stat(ops[i], &st) != 0 || !S_ISDIR(st.st_mode))
            return true; /* changed since: unsure */
        if (among(up, nup, st.st_dev, st.st_ino))
            return true; /* the operand holds the target */
        if (below) {
            int nop = ancestors(ops[i], opup);
            if (nop < 0 || among(opup, nop, up[0].dev, up[0].ino))
                return true; /* the target holds the operand */
        }
    }
    return false;
}

bool inputs_overlap(const inputs *it, const pk_plugin *writer,
                    const char *output_dir, const char *errors_json)
{
    const pk_context *ctx = it->ctx;
    const pk_plugin *forced = it->forced;
    if (output_dir) {
        /* A writer of one file per input writes NAME.EXT; an aggregate
         * writer names its own files. */
        char probe[64] = "";
        if (writer->extensions && writer->extensions[0])
            snprintf(probe, sizeof probe, "x.%s", writer->extensions[0]);
        if ((writer->flags & PK_PLUGIN_AGGREGATE) || !*probe ||
            reader_for(ctx, forced, probe)) {
            char *at = nearest_existing(output_dir);
            if (!at)
                return true;
            /* Below: only if the output directory exists already. */
            bool met = meets_operands(at, strcmp(at, output_dir) == 0, it);
            free(at);
            if (met)
                return true;
        }
    }
    if (errors_json) {
        /* A file made now, that a reader claims, in a walked directory. */
        const char *slash = strrchr(errors_json, '/');
        const char *base = slash ? slash + 1 : errors_json;
        struct stat st;
        if (*base && *base != '.' && reader_for(ctx, forced, base) &&
            lstat(errors_json, &st) != 0) {
            char *dir = slash ? strndup(errors_json, (size_t)(slash - errors_json))
                              : strdup(".");
            if (!dir)
                return true;
            bool met = meets_operands(*dir ? dir : "/", false, it);
            free(dir);
            if (met)
                return true;
        }
    }
    return false;
}
