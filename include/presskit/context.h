/*
 * presskit/context.h - the plugin registry and the read pipeline.
 *
 * A pk_context holds the plugins of one process: built once (load the
 * search path, register static descriptors), then only read, so any
 * number of threads may use it.  Plugins stay loaded until the context is
 * freed.  A lazy context (pk_context_set_lazy, below) loads a plugin its
 * directory's index describes only when it is first used; that happens
 * under a lock inside the context, so the functions that read a context
 * stay safe from any number of threads.
 */
#ifndef PRESSKIT_CONTEXT_H
#define PRESSKIT_CONTEXT_H

#include <stdbool.h>

#include "common.h"
#include "diag.h"
#include "doc.h"
#include "options.h"
#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_context pk_context;

/* Creates an empty registry.  The caller owns it: pk_context_free().
 * Returns PK_OK or PK_ENOMEM. */
PK_EXTERN int pk_context_new(pk_context **out);
/* Unloads every plugin and frees ctx; NULL is allowed. */
PK_EXTERN void pk_context_free(pk_context *ctx);

/*
 * Loads every "*.so" file of directory dir (not recursive, in name order).
 * A file that cannot be loaded (no entry symbol, wrong ABI, bad descriptor,
 * a name already registered for its kind) is refused and recorded as a
 * failure; loading goes on.  A missing directory is not an error.  In a
 * lazy context, files the directory's index describes are registered
 * without being loaded (see "Lazy loading" below).  Returns PK_OK, or
 * PK_ENOMEM.
 */
PK_EXTERN int pk_context_load_dir(pk_context *ctx, const char *dir);
/* Loads one plugin file.  Returns PK_OK or PK_EPLUGIN (also recorded as a
 * failure, with diag filled: file = path). */
PK_EXTERN int pk_context_load_file(pk_context *ctx, const char *path,
                                   pk_diag *diag);
/* Registers a descriptor linked into the program (borrowed; must outlive
 * ctx).  file is a label for listings (copied, may be NULL).  Returns
 * PK_OK, or PK_EPLUGIN with diag filled. */
PK_EXTERN int pk_context_register(pk_context *ctx, const pk_plugin *plugin,
                                  const char *file, pk_diag *diag);

/*
 * Loads the default search path: each directory of dirs (a ':'-separated
 * list from --plugin-path, may be NULL), then of the PRESSKIT_PLUGIN_PATH
 * environment variable, then the plugin directory of the build tree or
 * installation the running executable belongs to.  Never the current
 * directory.  The first plugin of a kind and name wins; later ones are
 * refused as duplicates.  Returns PK_OK or PK_ENOMEM.
 */
PK_EXTERN int pk_context_load_default(pk_context *ctx, const char *dirs);

/* Returns the number of loaded plugins (in a lazy context, after loading
 * every deferred one: see "Lazy loading"). */
PK_EXTERN size_t pk_context_plugin_count(const pk_context *ctx);
/* Returns loaded plugin i (borrowed), or NULL. Plugins are in load order.
 * The descriptor is the context's copy in this header's layout: fields a
 * plugin built for an older ABI minor lacks read as zero (absent); the
 * strings, tables and operations it points to are the plugin's. */
PK_EXTERN const pk_plugin *pk_context_plugin(const pk_context *ctx, size_t i);
/* Returns the file plugin i came from (borrowed), or NULL. */
PK_EXTERN const char *pk_context_plugin_file(const pk_context *ctx, size_t i);
/* Returns the number of files that were refused. */
PK_EXTERN size_t pk_context_failure_count(const pk_context *ctx);
/* Returns refused file i and stores why in *reason (both borrowed). */
PK_EXTERN const char *pk_context_failure(const pk_context *ctx, size_t i,
                                         const char **reason);

/* Returns the plugin of that kind and name (borrowed), or NULL.  In a
 * lazy context, loads it first if it is deferred (NULL if it is then
 * refused). */
PK_EXTERN const pk_plugin *pk_context_find(const pk_context *ctx,
                                           pk_plugin_kind kind,
                                           const char *name);
/* Returns the first reader (in load order) declaring the extension of path
 * (case-insensitive), or NULL.  In a lazy context, loads it first if it is
 * deferred; one that is then refused is passed over for the next. */
PK_EXTERN const pk_plugin *pk_context_reader_for(const pk_context *ctx,
                                                 const char *path);

/*
 * Lazy loading (added after presskit 0.1.0: these declarations only add to
 * the ones above, whose behaviour in a context that is not lazy - the
 * default - is unchanged).
 *
 * A plugin directory may hold an index of its plugins, the file
 * PK_PLUGIN_INDEX_NAME: one text line per plugin file with the file's
 * size and modification time and what its descriptor declares (kind,
 * name, ABI, flags, extensions, media type, version, summary).  It is
 * written by pk_context_write_index() (presskit --write-plugin-index DIR,
 * which presskit's build and installation run); docs/PLUGINS.md gives
 * the format.
 *
 * In a lazy context, pk_context_load_dir() reads the index, and a file
 * whose size and modification time are those of its line is registered
 * deferred: known by its line, not loaded.  Every other file (no index,
 * no line, changed since, a line this presskit cannot use) is loaded at
 * once, as in a context that is not lazy.  Precedence and duplicates are
 * as if every file had been loaded: when a file would duplicate a
 * deferred plugin, that plugin is loaded then and there to settle which
 * of the two wins.
 *
 * A deferred plugin is loaded on first use - pk_context_find(),
 * pk_context_reader_for(), pk_context_entry_load() - at most once, under
 * the context's lock.  Its descriptor must then match its index line in
 * every field the line holds, or the plugin is refused and recorded as a
 * failure ("does not match its line in DIR/plugins.index (...)"); a
 * refused plugin is no longer found.  So in a lazy context the failure
 * list can grow after loading, and a deferred plugin that cannot load
 * (its library gone) is reported only when something needs it.
 *
 * pk_context_plugin_count(), pk_context_plugin() and
 * pk_context_plugin_file() keep their meaning, the plugins that loaded:
 * in a lazy context the first call of any of them loads every deferred
 * plugin.  To list plugins without loading them, use the entry functions.
 */

/* The name of a directory's plugin index. */
#define PK_PLUGIN_INDEX_NAME "plugins.index"

/* Makes ctx lazy (or not) for the directories loaded from then on: they
 * are read through their index as described above.  A new context is not
 * lazy. */
PK_EXTERN void pk_context_set_lazy(pk_context *ctx, bool lazy);

/* Returns the number of entries: plugins loaded, deferred, and deferred
 * then refused, in load order.  Equals pk_context_plugin_count() in a
 * context that is not lazy.  Loads nothing. */
PK_EXTERN size_t pk_context_entry_count(const pk_context *ctx);
/* Returns what is known of entry i without loading it (borrowed, valid
 * until the context is freed): the loaded descriptor, as
 * pk_context_plugin() gives it; for a deferred entry, one made from its
 * index line, with no options and no operations (options, reader and
 * writer NULL).  NULL when entry i was refused or does not exist. */
PK_EXTERN const pk_plugin *pk_context_entry_info(const pk_context *ctx,
                                                 size_t i);
/* Returns the file entry i comes from (borrowed), or NULL. */
PK_EXTERN const char *pk_context_entry_file(const pk_context *ctx, size_t i);
/* Returns whether entry i is loaded (false while deferred, or refused). */
PK_EXTERN bool pk_context_entry_loaded(const pk_context *ctx, size_t i);
/* Loads entry i if it is deferred and returns its loaded descriptor, or
 * NULL if it is refused (then recorded as a failure) or does not exist.
 * Thread-safe. */
PK_EXTERN const pk_plugin *pk_context_entry_load(const pk_context *ctx,
                                                 size_t i);

/*
 * Writes the index of directory dir, dir/PK_PLUGIN_INDEX_NAME, replacing
 * it whole (through a temporary file renamed into place): one line for
 * every "*.so" file that loads and passes the checks of this presskit,
 * in name order.  A file left out (not a plugin, a wrong ABI, ...) is
 * recorded as a failure of log when log is not NULL (see
 * pk_context_failure; nothing is registered in log); a lazy context will
 * load it, and refuse it, as if there were no index.  *indexed, if not
 * NULL, gets the number of lines.  Returns PK_OK, or PK_EIO (dir cannot
 * be read or the index cannot be written) or PK_ENOMEM with diag filled.
 * Loads every plugin of dir into the process (RTLD_LOCAL).
 */
PK_EXTERN int pk_context_write_index(pk_context *log, const char *dir,
                                     size_t *indexed, pk_diag *diag);

/* Options of the read pipeline.  Initialise with PK_READ_OPTIONS_INIT;
 * fields are only ever added at the end. */
typedef struct pk_read_options {
    unsigned version;              /* PK_READ_OPTIONS_VERSION */
    const pk_options *reader_opts; /* the reader's options, NULL: defaults */
    const char *id_authority;      /* for tag: ids of releases without url,
                                      NULL: "presskit.invalid" */
} pk_read_options;

#define PK_READ_OPTIONS_VERSION 1
#define PK_READ_OPTIONS_INIT {PK_READ_OPTIONS_VERSION, NULL, NULL}

/*
 * The read pipeline: runs reader on data[0..len) named source, validates
 * the metadata, then runs the analysis pass.  On success stores a new
 * document in *out (the caller owns it: pk_doc_free()); on failure *out is
 * NULL and diag says where and why.  opts may be NULL (defaults).
 * Thread-safe.
 */
PK_EXTERN int pk_read(const pk_plugin *reader, const pk_read_options *opts,
                      const char *source, const char *data, size_t len,
                      pk_doc **out, pk_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
