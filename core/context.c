/*
 * context.c - the plugin registry: loading, lookup, and the read pipeline.
 */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "internal.h"

typedef struct entry {
    /* A host-sized copy of the plugin's descriptor (pk_plugin_copy), so
     * the host reads every field it knows even from an older plugin. */
    pk_plugin *plugin;
    char *file;
    void *handle;   /* NULL for registered descriptors */
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
};

int pk_context_new(pk_context **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? PK_OK : PK_ENOMEM;
}

void pk_context_free(pk_context *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->n_plugins; i++) {
        if (ctx->plugins[i].handle)
            dlclose(ctx->plugins[i].handle);
        free(ctx->plugins[i].plugin);
        free(ctx->plugins[i].file);
    }
    for (size_t i = 0; i < ctx->n_failures; i++) {
        free(ctx->failures[i].file);
        free(ctx->failures[i].reason);
    }
    free(ctx->plugins);
    free(ctx->failures);
    free(ctx);
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

/* Checks and adds a descriptor; the handle is adopted only on success. */
static int add(pk_context *ctx, const pk_plugin *p, const char *file,
               void *handle, pk_diag *diag)
{
    int rc = pk_plugin_check(p, diag);
    if (rc == PK_OK) {
        for (size_t i = 0; i < ctx->n_plugins; i++) {
            const pk_plugin *q = ctx->plugins[i].plugin;
            if (q->kind == p->kind && strcmp(q->name, p->name) == 0) {
                rc = pk_diag_set(diag, PK_EPLUGIN, NULL, 0, 0,
                                 "duplicate %s \"%s\": already loaded from %s",
                                 pk_plugin_kind_name(p->kind), p->name,
                                 ctx->plugins[i].file);
                break;
            }
        }
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
    ctx->plugins[ctx->n_plugins++] = (entry){desc, copy, handle};
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
    /* RTLD_LOCAL: two plugins may link different libraries with clashing
     * symbols.  RTLD_NOW: an unresolved symbol fails here, with a message,
     * not later in the middle of a conversion.  RTLD_NODELETE: libraries
     * a plugin pulls in (libxml2) keep process-wide state that is never
     * freed; unmapping them at exit only turns that state into leaks that
     * LeakSanitizer cannot trace. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!h) {
        const char *err = dlerror();
        pk_diag_set(diag, PK_EPLUGIN, path, 0, 0, "cannot load: %s",
                    err ? err : "unknown error");
        return record_failure(ctx, path, diag->message) ? PK_ENOMEM : PK_EPLUGIN;
    }
    pk_plugin_entry_fn entry_fn;
    void *sym = dlsym(h, PK_PLUGIN_ENTRY_NAME);
    /* ISO C forbids converting void * to a function pointer; POSIX
     * requires dlsym's result to be usable as one. */
    memcpy(&entry_fn, &sym, sizeof entry_fn);
    if (!sym) {
        dlclose(h);
        pk_diag_set(diag, PK_EPLUGIN, path, 0, 0,
                    "not a presskit plugin: no %s symbol", PK_PLUGIN_ENTRY_NAME);
        return record_failure(ctx, path, diag->message) ? PK_ENOMEM : PK_EPLUGIN;
    }
    int rc = add(ctx, entry_fn(), path, h, diag);
    if (rc != PK_OK)
        dlclose(h);
    return rc;
}

static int select_so(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 3 && strcmp(e->d_name + n - 3, ".so") == 0;
}

int pk_context_load_dir(pk_context *ctx, const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, select_so, alphasort);
    if (n < 0)
        return PK_OK; /* a missing directory simply holds no plugins */
    int rc = PK_OK;
    for (int i = 0; i < n; i++) {
        if (rc == PK_OK) {
            size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
            char *path = malloc(len);
            if (!path) {
                rc = PK_ENOMEM;
            } else {
                snprintf(path, len, "%s/%s", dir, names[i]->d_name);
                if (pk_context_load_file(ctx, path, NULL) == PK_ENOMEM)
                    rc = PK_ENOMEM;
                free(path);
            }
        }
        free(names[i]);
    }
    free(names);
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

size_t pk_context_plugin_count(const pk_context *ctx) { return ctx->n_plugins; }

const pk_plugin *pk_context_plugin(const pk_context *ctx, size_t i)
{
    return i < ctx->n_plugins ? ctx->plugins[i].plugin : NULL;
}

const char *pk_context_plugin_file(const pk_context *ctx, size_t i)
{
    return i < ctx->n_plugins ? ctx->plugins[i].file : NULL;
}

size_t pk_context_failure_count(const pk_context *ctx) { return ctx->n_failures; }

const char *pk_context_failure(const pk_context *ctx, size_t i,
                               const char **reason)
{
    if (i >= ctx->n_failures)
        return NULL;
    if (reason)
        *reason = ctx->failures[i].reason;
    return ctx->failures[i].file;
}

const pk_plugin *pk_context_find(const pk_context *ctx, pk_plugin_kind kind,
                                 const char *name)
{
    for (size_t i = 0; name && i < ctx->n_plugins; i++) {
        const pk_plugin *p = ctx->plugins[i].plugin;
        if (p->kind == kind && strcmp(p->name, name) == 0)
            return p;
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
        const pk_plugin *p = ctx->plugins[i].plugin;
        if (p->kind != PK_PLUGIN_READER || !p->extensions)
            continue;
        for (const char *const *e = p->extensions; *e; e++)
            if (strcasecmp(*e, dot + 1) == 0)
                return p;
    }
    return NULL;
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
