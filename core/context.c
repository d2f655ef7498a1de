/*
 * context.c - the plugin registry: loading (eager, or deferred through a
 * directory's plugin index), lookup, and the read pipeline.
 */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* What an entry is.  Eager files are loaded (or refused, and then not an
 * entry at all) as they are found; a file its directory's index describes
 * is registered deferred and becomes loaded or refused on first use. */
enum { ST_LOADED, ST_DEFERRED, ST_REFUSED };

typedef struct entry {
    /* A host-sized copy of the plugin's descriptor (pk_plugin_copy), so
     * the host reads every field it knows even from an older plugin; NULL
     * until a deferred entry is loaded. */
    pk_plugin *plugin;
    /* A deferred entry's index line; kept once it is loaded or refused,
     * so descriptors pk_context_entry_info() gave out stay valid. */
    pk_index_rec *rec;
    char *file;
    void *handle;   /* NULL for registered descriptors */
    /* ST_*: changes only from ST_DEFERRED, under the context's lock, and
     * is read with atomic loads (double-checked, like pthread_once). */
    int state;
} entry;

typedef struct failure {
    char *file;
    char *reason;
} failure;

struct pk_context {
    entry *plugins;
    size_t n_plugins, cap_plugins;
    failure *failures;
    size_t n_failures, cap_failures;
    bool lazy;          /* pk_context_set_lazy: read plugin indexes */
    bool any_deferred;  /* some entry was registered deferred */
    /* Serialises loading deferred entries and the failure list they add
     * to, so the read-only functions stay safe from many threads. */
    pthread_mutex_t lock;
};

int pk_context_new(pk_context **out)
{
    pk_context *ctx = calloc(1, sizeof *ctx);
    if (ctx && pthread_mutex_init(&ctx->lock, NULL) != 0) {
        free(ctx);
        ctx = NULL;
    }
    *out = ctx;
    return ctx ? PK_OK : PK_ENOMEM;
}

void pk_context_free(pk_context *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->n_plugins; i++) {
        if (ctx->plugins[i].handle)
            dlclose(ctx->plugins[i].handle);
        free(ctx->plugins[i].plugin);
        free(ctx->plugins[i].rec);
        free(ctx->plugins[i].file);
    }
    for (size_t i = 0; i < ctx->n_failures; i++) {
        free(ctx->failures[i].file);
        free(ctx->failures[i].reason);
    }
    free(ctx->plugins);
    free(ctx->failures);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}

void pk_context_set_lazy(pk_context *ctx, bool lazy)
{
    ctx->lazy = lazy;
}

static int grow(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return PK_OK;
    size_t n = *cap ? *cap * 2 : 8;
    void *p = realloc(*items, n * size);
    if (!p)
        return PK_ENOMEM;
    *items = p;
    *cap = n;
    return PK_OK;
}

static int record_failure(pk_context *ctx, const char *file, const char *why)
{
    if (grow((void **)&ctx->failures, &ctx->cap_failures, ctx->n_failures,
             sizeof *ctx->failures))
        return PK_ENOMEM;
    failure *f = &ctx->failures[ctx->n_failures];
    f->file = strdup(file ? file : "");
    f->reason = strdup(why);
    if (!f->file || !f->reason) {
        free(f->file);
        free(f->reason);
        return PK_ENOMEM;
    }
    ctx->n_failures++;
    return PK_OK;
}

static int state_of(const entry *e)
{
    return __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);
}

/* What is known of an entry without loading it: its descriptor, its
 * index line's, or NULL once refused. */
static const pk_plugin *info_of(const entry *e)
{
    switch (state_of(e)) {
    case ST_LOADED: return e->plugin;
    case ST_DEFERRED: return &e->rec->desc;
    default: return NULL;
    }
}

/* dlopen()s path and calls its entry function: *out is the descriptor it
 * returned (not checked yet, may be NULL).  Returns PK_OK or PK_EPLUGIN
 * with diag filled (nothing recorded). */
static int open_plugin(const char *path, void **handle, const pk_plugin **out,
                       pk_diag *diag)
{
    /* RTLD_LOCAL: two plugins may link different libraries with clashing
     * symbols.  RTLD_NOW: an unresolved symbol fails here, with a message,
     * not later in the middle of a conversion.  RTLD_NODELETE: libraries
     * a plugin pulls in (libxml2) keep process-wide state that is never
     * freed; unmapping them at exit only turns that state into leaks that
     * LeakSanitizer cannot trace. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!h) {
        const char *err = dlerror();
        return pk_diag_set(diag, PK_EPLUGIN, path, 0, 0, "cannot load: %s",
                           err ? err : "unknown error");
    }
    pk_plugin_entry_fn entry_fn;
    void *sym = dlsym(h, PK_PLUGIN_ENTRY_NAME);
    /* ISO C forbids converting void * to a function pointer; POSIX
     * requires dlsym's result to be usable as one. */
    memcpy(&entry_fn, &sym, sizeof entry_fn);
    if (!sym) {
        dlclose(h);
        return pk_diag_set(diag, PK_EPLUGIN, path, 0, 0,
                           "not a presskit plugin: no %s symbol",
                           PK_PLUGIN_ENTRY_NAME);
    }
    *handle = h;
    *out = entry_fn();
    return PK_OK;
}

/* Loads deferred entry e (the caller holds the lock): the file must still
 * be a plugin this host accepts, and declare what its index line says. */
static void load_deferred(pk_context *ctx, entry *e)
{
    pk_diag d = PK_DIAG_INIT;
    void *h = NULL;
    const pk_plugin *p = NULL;
    pk_plugin *copy = NULL;
    int rc = open_plugin(e->file, &h, &p, &d);
    if (rc == PK_OK && (rc = pk_plugin_check(p, &d)) == PK_OK &&
        !(copy = malloc(sizeof *copy)))
        rc = pk_diag_set(&d, PK_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == PK_OK) {
        pk_plugin_copy(copy, p);
        char diff[256];
        if (pk_index_compare(&e->rec->desc, copy, diff, sizeof diff)) {
            const char *slash = strrchr(e->file, '/');
            int dl = slash ? (int)(slash - e->file) : 1;
            const char *dir = slash ? e->file : ".";
            rc = pk_diag_set(&d, PK_EPLUGIN, NULL, 0, 0,
                             "does not match its line in %.*s/%s (%s); run "
                             "'presskit --write-plugin-index %.*s'",
                             dl, dir, PK_PLUGIN_INDEX_NAME, diff, dl, dir);
        }
    }
    if (rc == PK_OK) {
        e->plugin = copy;
        e->handle = h;
        __atomic_store_n(&e->state, ST_LOADED, __ATOMIC_RELEASE);
        return;
    }
    free(copy);
    if (h)
        dlclose(h);
    /* Out of memory here only loses the record, not the refusal. */
    (void)record_failure(ctx, e->file, d.message);
    __atomic_store_n(&e->state, ST_REFUSED, __ATOMIC_RELEASE);
}

/* Returns entry i's descriptor, loading it first if it is deferred; NULL
 * if it is refused.  Safe from any number of threads: a deferred entry
 * is loaded once, under the lock. */
static const pk_plugin *resolve(const pk_context *cctx, size_t i)
{
    pk_context *ctx = (pk_context *)cctx;
    entry *e = &ctx->plugins[i];
    int st = state_of(e);
    if (st == ST_DEFERRED) {
        pthread_mutex_lock(&ctx->lock);
        if (e->state == ST_DEFERRED)
            load_deferred(ctx, e);
        st = e->state;
        pthread_mutex_unlock(&ctx->lock);
    }
    return st == ST_LOADED ? e->plugin : NULL;
}

/* The entry that holds kind and name, or -1.  A deferred one is loaded
 * first: whether it really loads decides which file wins the name, so
 * precedence is the same as if every file had been loaded. */
static long holder(pk_context *ctx, pk_plugin_kind kind, const char *name)
{
    for (size_t i = 0; i < ctx->n_plugins; i++) {
        const pk_plugin *q = info_of(&ctx->plugins[i]);
        if (!q || q->kind != kind || strcmp(q->name, name) != 0)
            continue;
        if (resolve(ctx, i))
            return (long)i;
    }
    return -1;
}

static int duplicate(pk_context *ctx, const pk_plugin *p, long i, pk_diag *diag)
{
    return pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                       "duplicate %s \"%s\": already loaded from %s",
                       pk_plugin_kind_name(p->kind), p->name,
                       ctx->plugins[i].file);
}

/* Checks and adds a descriptor; the handle is adopted only on success. */
static int add(pk_context *ctx, const pk_plugin *p, const char *file,
               void *handle, pk_diag *diag)
{
    int rc = pk_plugin_check(p, diag);
    if (rc == PK_OK) {
        long i = holder(ctx, p->kind, p->name);
        if (i >= 0)
            rc = duplicate(ctx, p, i, diag);
    }
    if (rc == PK_OK &&
        grow((void **)&ctx->plugins, &ctx->cap_plugins, ctx->n_plugins,
             sizeof *ctx->plugins))
        rc = pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
    char *copy = NULL;
    pk_plugin *desc = NULL;
    if (rc == PK_OK && (!(copy = strdup(file ? file : p->name)) ||
                        !(desc = malloc(sizeof *desc)))) {
        free(copy);
        rc = pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc != PK_OK) {
        if (diag && file)
            pk_strlcpy_utf8(diag->file, sizeof diag->file, file, strlen(file));
        if (record_failure(ctx, file ? file : "", diag ? diag->message : ""))
            return PK_ENOMEM;
        return rc == PK_ENOMEM ? rc : PK_EPLUGIN;
    }
    pk_plugin_copy(desc, p);
    ctx->plugins[ctx->n_plugins++] = (entry){desc, NULL, copy, handle, ST_LOADED};
    return PK_OK;
}

/* Registers the plugin file path, which index line rec describes, without
 * loading it; takes rec.  Returns PK_OK or PK_ENOMEM. */
static int add_deferred(pk_context *ctx, pk_index_rec *rec, const char *path)
{
    const pk_plugin *p = &rec->desc;
    pk_diag d = PK_DIAG_INIT;
    int rc = PK_OK;
    long i = holder(ctx, p->kind, p->name);
    if (i >= 0) {
        duplicate(ctx, p, i, &d);
        rc = record_failure(ctx, path, d.message);
        free(rec);
        return rc;
    }
    char *copy = strdup(path);
    if (!copy || grow((void **)&ctx->plugins, &ctx->cap_plugins,
                      ctx->n_plugins, sizeof *ctx->plugins)) {
        free(copy);
        free(rec);
        return PK_ENOMEM;
    }
    entry *e = &ctx->plugins[ctx->n_plugins++];
    memset(e, 0, sizeof *e);
    e->rec = rec;
    e->file = copy;
    e->state = ST_DEFERRED;
    ctx->any_deferred = true;
    return PK_OK;
}

int pk_context_register(pk_context *ctx, const pk_plugin *plugin,
                        const char *file, pk_diag *diag)
{
    return add(ctx, plugin, file, NULL, diag);
}

int pk_context_load_file(pk_context *ctx, const char *path, pk_diag *diag)
{
    pk_diag local = PK_DIAG_INIT;
    if (!diag)
        diag = &local;
    void *h = NULL;
    const pk_plugin *p = NULL;
    if (open_plugin(path, &h, &p, diag) != PK_OK)
        return record_failure(ctx, path, diag->message) ? PK_ENOMEM : PK_EPLUGIN;
    int rc = add(ctx, p, path, h, diag);
    if (rc != PK_OK)
        dlclose(h);
    return rc;
}

static int select_so(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 3 && strcmp(e->d_name + n - 3, ".so") == 0;
}

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s", dir, name);
    return path;
}

/* Whether an index line can stand for its file: what this host accepts
 * and the checks of pk_plugin_check() that need no loading.  A line that
 * cannot is ignored, so the file is loaded (and refused) as today. */
static bool deferrable(const pk_plugin *p)
{
    return p->abi_major == PK_ABI_MAJOR && p->abi_minor <= PK_ABI_MINOR &&
           pk_plugin_name_ok(p->name) &&
           (p->kind == PK_PLUGIN_READER ||
            (p->kind == PK_PLUGIN_WRITER && p->extensions && p->extensions[0]));
}

int pk_context_load_dir(pk_context *ctx, const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, select_so, alphasort);
    if (n < 0)
        return PK_OK; /* a missing directory simply holds no plugins */
    pk_index idx = {0};
    int rc = ctx->lazy && n > 0 ? pk_index_read(dir, &idx) : PK_OK;
    for (int i = 0; i < n; i++) {
        if (rc == PK_OK) {
            char *path = join(dir, names[i]->d_name);
            const pk_index_rec *r = pk_index_find(&idx, names[i]->d_name);
            struct stat st;
            if (!path)
                rc = PK_ENOMEM;
            else if (r && deferrable(&r->desc) && stat(path, &st) == 0 &&
                     pk_index_same_file(r, &st))
                rc = add_deferred(ctx, pk_index_take(&idx, r), path);
            else if (pk_context_load_file(ctx, path, NULL) == PK_ENOMEM)
                rc = PK_ENOMEM;
            free(path);
        }
        free(names[i]);
    }
    free(names);
    pk_index_free(&idx);
    return rc;
}

static int load_list(pk_context *ctx, const char *list)
{
    if (!list)
        return PK_OK;
    char *copy = strdup(list);
    if (!copy)
        return PK_ENOMEM;
    int rc = PK_OK;
    char *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d && rc == PK_OK;
         d = strtok_r(NULL, ":", &save))
        rc = pk_context_load_dir(ctx, d);
    free(copy);
    return rc;
}

/* The plugin directory of the libpresskit we are: <libdir>/presskit/plugins
 * in the build tree and in an installation alike; else the configured
 * installation directory. */
static int load_own_dir(pk_context *ctx)
{
    Dl_info info;
    if (dladdr((void *)&pk_context_load_default, &info) && info.dli_fname) {
        const char *slash = strrchr(info.dli_fname, '/');
        if (slash) {
            size_t len = (size_t)(slash - info.dli_fname) + sizeof "/presskit/plugins";
            char *dir = malloc(len);
            if (!dir)
                return PK_ENOMEM;
            snprintf(dir, len, "%.*s/presskit/plugins",
                     (int)(slash - info.dli_fname), info.dli_fname);
            /* An installed command reaches us through its rpath,
             * <bindir>/../lib: list plugins under the plain path. */
            char *real = realpath(dir, NULL);
            struct stat st;
            int found = real && stat(real, &st) == 0 && S_ISDIR(st.st_mode);
            int rc = found ? pk_context_load_dir(ctx, real) : PK_OK;
            free(real);
            free(dir);
            if (found || rc)
                return rc;
        }
    }
    return pk_context_load_dir(ctx, PK_PLUGIN_INSTALLED_DIR);
}

int pk_context_load_default(pk_context *ctx, const char *dirs)
{
    int rc = load_list(ctx, dirs);
    if (rc == PK_OK)
        rc = load_list(ctx, getenv("PRESSKIT_PLUGIN_PATH"));
    if (rc == PK_OK)
        rc = load_own_dir(ctx);
    return rc;
}

/* --- the plugins that loaded (every deferred one is loaded first) ------ */

/* The entry of loaded plugin i, counting loaded entries only. */
static const entry *nth_loaded(const pk_context *ctx, size_t i)
{
    if (!ctx->any_deferred)
        return i < ctx->n_plugins ? &ctx->plugins[i] : NULL;
    for (size_t k = 0; k < ctx->n_plugins; k++)
        resolve(ctx, k);
    for (size_t k = 0; k < ctx->n_plugins; k++)
        if (state_of(&ctx->plugins[k]) == ST_LOADED && i-- == 0)
            return &ctx->plugins[k];
    return NULL;
}

size_t pk_context_plugin_count(const pk_context *ctx)
{
    if (!ctx->any_deferred)
        return ctx->n_plugins;
    size_t n = 0;
    while (nth_loaded(ctx, n))
        n++;
    return n;
}

const pk_plugin *pk_context_plugin(const pk_context *ctx, size_t i)
{
    const entry *e = nth_loaded(ctx, i);
    return e ? e->plugin : NULL;
}

const char *pk_context_plugin_file(const pk_context *ctx, size_t i)
{
    const entry *e = nth_loaded(ctx, i);
    return e ? e->file : NULL;
}

size_t pk_context_failure_count(const pk_context *ctx)
{
    pk_context *c = (pk_context *)ctx;
    pthread_mutex_lock(&c->lock);
    size_t n = c->n_failures;
    pthread_mutex_unlock(&c->lock);
    return n;
}

const char *pk_context_failure(const pk_context *ctx, size_t i,
                               const char **reason)
{
    pk_context *c = (pk_context *)ctx;
    const char *file = NULL;
    pthread_mutex_lock(&c->lock);
    if (i < c->n_failures) {
        if (reason)
            *reason = c->failures[i].reason;
        file = c->failures[i].file;
    }
    pthread_mutex_unlock(&c->lock);
    return file;
}

/* --- entries: loaded or deferred, listed without loading --------------- */

size_t pk_context_entry_count(const pk_context *ctx) { return ctx->n_plugins; }

const pk_plugin *pk_context_entry_info(const pk_context *ctx, size_t i)
{
    return i < ctx->n_plugins ? info_of(&ctx->plugins[i]) : NULL;
}

const char *pk_context_entry_file(const pk_context *ctx, size_t i)
{
    return i < ctx->n_plugins ? ctx->plugins[i].file : NULL;
}

bool pk_context_entry_loaded(const pk_context *ctx, size_t i)
{
    return i < ctx->n_plugins && state_of(&ctx->plugins[i]) == ST_LOADED;
}

const pk_plugin *pk_context_entry_load(const pk_context *ctx, size_t i)
{
    return i < ctx->n_plugins ? resolve(ctx, i) : NULL;
}

/* --- lookup ------------------------------------------------------------ */

const pk_plugin *pk_context_find(const pk_context *ctx, pk_plugin_kind kind,
                                 const char *name)
{
    for (size_t i = 0; name && i < ctx->n_plugins; i++) {
        const pk_plugin *p = info_of(&ctx->plugins[i]);
        /* Names are unique per kind among entries not refused. */
        if (p && p->kind == kind && strcmp(p->name, name) == 0)
            return resolve(ctx, i);
    }
    return NULL;
}

const pk_plugin *pk_context_reader_for(const pk_context *ctx, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return NULL;
    for (size_t i = 0; i < ctx->n_plugins; i++) {
        const pk_plugin *p = info_of(&ctx->plugins[i]);
        if (!p || p->kind != PK_PLUGIN_READER || !p->extensions)
            continue;
        for (const char *const *e = p->extensions; *e; e++)
            if (strcasecmp(*e, dot + 1) == 0) {
                /* A deferred reader that fails to load claims nothing:
                 * the next one declaring the extension gets the file. */
                const pk_plugin *r = resolve(ctx, i);
                if (r)
                    return r;
                break;
            }
    }
    return NULL;
}

/* --- writing an index -------------------------------------------------- */

static void left_out(pk_context *log, const char *path, const char *why)
{
    if (log) {
        pthread_mutex_lock(&log->lock);
        (void)record_failure(log, path, why);
        pthread_mutex_unlock(&log->lock);
    }
}

/* The line of plugin file name in dir, or NULL with why filled. */
static char *index_line(const char *path, const char *name, pk_diag *why)
{
    struct stat before, after;
    void *h = NULL;
    const pk_plugin *p = NULL;
    char *line = NULL;
    if (stat(path, &before) != 0 || !S_ISREG(before.st_mode)) {
        pk_diag_set(why, PK_EPLUGIN, path, 0, 0, "not a regular file");
        return NULL;
    }
    if (open_plugin(path, &h, &p, why) != PK_OK)
        return NULL;
    pk_plugin local;
    if (pk_plugin_check(p, why) == PK_OK) {
        pk_plugin_copy(&local, p);
        pk_index_rec *back = NULL;
        if (stat(path, &after) != 0 || after.st_size != before.st_size ||
            after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
            after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)
            pk_diag_set(why, PK_EPLUGIN, path, 0, 0,
                        "changed while it was being indexed");
        else if (!(line = pk_index_format_line(name, &after, &local)))
            pk_diag_set(why, PK_ENOMEM, path, 0, 0, "out of memory");
        /* What the line says must read back as the plugin: else the
         * file is better loaded every time. */
        else if (!(back = pk_index_parse_line(line, strlen(line))) ||
                 !pk_index_same_file(back, &after) ||
                 strcmp(back->file, name) != 0 ||
                 pk_index_compare(&back->desc, &local, why->message,
                                  sizeof why->message) ||
                 !deferrable(&back->desc)) {
            pk_diag_set(why, PK_EPLUGIN, path, 0, 0,
                        "cannot be described in an index");
            free(line);
            line = NULL;
        }
        free(back);
    }
    dlclose(h);
    return line;
}

int pk_context_write_index(pk_context *log, const char *dir, size_t *indexed,
                           pk_diag *diag)
{
    if (indexed)
        *indexed = 0;
    char *final = join(dir, PK_PLUGIN_INDEX_NAME);
    char tmpname[64];
    snprintf(tmpname, sizeof tmpname, ".%s.%ld", PK_PLUGIN_INDEX_NAME,
             (long)getpid());
    char *tmp = join(dir, tmpname);
    if (!final || !tmp) {
        free(final);
        free(tmp);
        return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    struct dirent **names = NULL;
    int n = scandir(dir, &names, select_so, alphasort);
    int rc = PK_OK;
    FILE *fp = NULL;
    if (n < 0) {
        rc = pk_diag_set(diag, PK_EIO, dir, 0, 0, "cannot read directory: %s",
                         strerror(errno));
        goto out;
    }
    /* A temporary beside the index, renamed over it when complete: a
     * reader sees the old index or the new one, never half of one. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 || !(fp = fdopen(fd, "w"))) {
        rc = pk_diag_set(diag, PK_EIO, final, 0, 0, "cannot write: %s",
                         strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    fprintf(fp, "presskit-plugin-index 1\n"
                "# Written by presskit %s (plugin ABI %d.%d): presskit "
                "--write-plugin-index DIR\n"
                "# FILE\tSIZE\tMTIME\tKIND\tNAME\tABI\tFLAGS\tEXTENSIONS\t"
                "MEDIA-TYPE\tVERSION\tSUMMARY\n",
            pk_version(), PK_ABI_MAJOR, PK_ABI_MINOR);
    for (int i = 0; i < n && rc == PK_OK; i++) {
        char *path = join(dir, names[i]->d_name);
        if (!path) {
            rc = pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        pk_diag why = PK_DIAG_INIT;
        char *line = index_line(path, names[i]->d_name, &why);
        if (line) {
            fprintf(fp, "%s\n", line);
            if (indexed)
                (*indexed)++;
        } else if (why.status == PK_ENOMEM) {
            rc = pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            left_out(log, path, why.message);
        }
        free(line);
        free(path);
    }
    if (fflush(fp) != 0 || ferror(fp)) {
        if (rc == PK_OK)
            rc = pk_diag_set(diag, PK_EIO, final, 0, 0, "cannot write: %s",
                             strerror(errno));
    }
    if (fclose(fp) != 0 && rc == PK_OK)
        rc = pk_diag_set(diag, PK_EIO, final, 0, 0, "cannot write: %s",
                         strerror(errno));
    if (rc == PK_OK && rename(tmp, final) != 0)
        rc = pk_diag_set(diag, PK_EIO, final, 0, 0, "cannot write: %s",
                         strerror(errno));
    if (rc != PK_OK)
        unlink(tmp);
out:
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(final);
    free(tmp);
    return rc;
}

int pk_read(const pk_plugin *reader, const pk_read_options *opts,
            const char *source, const char *data, size_t len, pk_doc **out,
            pk_diag *diag)
{
    static const pk_read_options defaults = PK_READ_OPTIONS_INIT;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (!reader || reader->kind != PK_PLUGIN_READER)
        return pk_diag_set(diag, PK_EINVAL, source, 0, 0, "not a reader");
    pk_doc *doc;
    int rc = pk_doc_new(&doc);
    if (rc == PK_OK)
        rc = pk_doc_set_source(doc, source);
    if (rc != PK_OK) {
        pk_doc_free(doc);
        return pk_diag_set(diag, rc, source, 0, 0, "out of memory");
    }
    pk_diag_clear(diag);
    /* Plugins never see NULL options: defaults come from their table. */
    pk_options *defaults_opts = NULL;
    const pk_options *ropts = opts->reader_opts;
    if (!ropts) {
        if (pk_options_new(&defaults_opts, reader->name, reader->options)) {
            pk_doc_free(doc);
            return pk_diag_set(diag, PK_ENOMEM, source, 0, 0, "out of memory");
        }
        ropts = defaults_opts;
    }
    rc = reader->reader->read(doc, data, len, ropts, diag);
    pk_options_free(defaults_opts);
    if (rc != PK_OK) {
        /* A reader that failed without saying why still gets a message. */
        if (diag && diag->status == PK_OK)
            pk_diag_set(diag, rc, source, 0, 0, "%s reader failed: %s",
                        reader->name, pk_status_str(rc));
        else if (diag && !diag->file[0] && source)
            pk_strlcpy_utf8(diag->file, sizeof diag->file, source,
                            strlen(source));
        goto fail;
    }
    if ((rc = pk_doc_validate(doc, diag)) != PK_OK)
        goto fail;
    if ((rc = pk_doc_analyse(doc, opts->id_authority, diag)) != PK_OK)
        goto fail;
    *out = doc;
    return PK_OK;
fail:
    pk_doc_free(doc);
    return rc;
}
