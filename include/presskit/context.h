/*
 * presskit/context.h - the plugin registry and the read pipeline.
 *
 * A pk_context holds the plugins of one process: built once (load the
 * search path, register static descriptors), then only read, so any
 * number of threads may use it.  Plugins stay loaded until the context is
 * freed.
 */
#ifndef PRESSKIT_CONTEXT_H
#define PRESSKIT_CONTEXT_H

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
 * failure; loading goes on.  A missing directory is not an error.  Returns
 * PK_OK, or PK_ENOMEM.
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

/* Returns the number of loaded plugins. */
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

/* Returns the plugin of that kind and name (borrowed), or NULL. */
PK_EXTERN const pk_plugin *pk_context_find(const pk_context *ctx,
                                           pk_plugin_kind kind,
                                           const char *name);
/* Returns the first reader (in load order) declaring the extension of path
 * (case-insensitive), or NULL. */
PK_EXTERN const pk_plugin *pk_context_reader_for(const pk_context *ctx,
                                                 const char *path);

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
