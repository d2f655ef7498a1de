/*
 * presskit/plugin.h - the plugin contract.
 *
 * A plugin is a shared object that exports one function, PK_PLUGIN_ENTRY,
 * returning a pointer to a constant pk_plugin descriptor.  The descriptor is
 * declarative (FFmpeg-style): name, kind, version, extensions, flags, option
 * table and operations.  Plugins keep no global mutable state: the core
 * calls them from several threads at once, each call with its own
 * document, sink and writer state.
 *
 *     static const pk_plugin plugin = {
 *         PK_PLUGIN_HEADER,
 *         .name = "csv", .kind = PK_PLUGIN_WRITER, .version = "1.0",
 *         .summary = "CSV rows", .extensions = exts,
 *         .media_type = "text/csv", .options = options, .writer = &ops,
 *     };
 *     PK_PLUGIN_DEFINE(plugin)
 *
 * Designated initializers leave the fields a later ABI minor appends zero
 * ("absent").  docs/PLUGINS.md is the author's guide and states the ABI
 * promise; examples/plugin-csv is a complete writer.
 */
#ifndef PRESSKIT_PLUGIN_H
#define PRESSKIT_PLUGIN_H

#include "common.h"
#include "diag.h"
#include "doc.h"
#include "options.h"
#include "sink.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The plugin ABI version.  The host loads a plugin whose major equals
 * PK_ABI_MAJOR and whose minor is at most PK_ABI_MINOR.  Within a major the
 * descriptor and the operation tables only grow at their end, fields a
 * plugin's size does not cover read as zero, pk_option_def never changes,
 * and enumerations are never renumbered (tests/loader/abi10plugin.c holds
 * the 1.0 layout frozen).
 *
 * 1.1 added pk_reader_ops.check_options and, in libpresskit, document
 * warnings (pk_doc_warn).
 */
#define PK_ABI_MAJOR 1
#define PK_ABI_MINOR 1

/* The name of the exported entry function, as a string for dlsym. */
#define PK_PLUGIN_ENTRY_NAME "pk_plugin_entry"

/* What a plugin does. */
typedef enum pk_plugin_kind {
    PK_PLUGIN_READER = 1,   /* bytes in, a pk_doc out */
    PK_PLUGIN_WRITER = 2    /* pk_docs in, bytes out */
} pk_plugin_kind;

/* Writer flags. */
enum {
    /* One open for the whole batch (a feed, an EPUB folder).  Without -O
     * the writer gets the one output stream; with -O DIR it gets a
     * directory sink and names its files with pk_sink_open_sibling(). */
    PK_PLUGIN_AGGREGATE = 1u << 0,
    /* Cannot put several documents into one stream: the CLI requires -O
     * when more than one document is converted. */
    PK_PLUGIN_ONE_PER_OUTPUT = 1u << 1
};

/* Reader operations. */
typedef struct pk_reader_ops {
    /*
     * Fills doc (empty, source name set) from data[0..len), which is not
     * NUL-terminated.  Sets metadata and body only; the core validates and
     * analyses afterwards.  Returns PK_OK, or an error with diag filled
     * (file = pk_doc_source(doc), line and column of the fault).  opts
     * is never NULL: unset options read as their declared defaults.
     */
    int (*read)(pk_doc *doc, const char *data, size_t len,
                const pk_options *opts, pk_diag *diag);
    /*
     * ABI 1.1, optional (NULL: nothing to check).  Checks the option
     * values once, before any input is read, so a bad value is a usage
     * error and not one failure per input.  Returns PK_OK, or PK_EINVAL
     * with diag naming the option (no file) and what was expected.  The
     * host calls it only for plugins declaring abi_minor >= 1; see
     * pk_reader_check_options().
     */
    int (*check_options)(const pk_options *opts, pk_diag *diag);
} pk_reader_ops;

/* Modes passed to a writer's open. */
enum {
    /* Exactly one document will be written to this sink (-O, or a command
     * line naming one input): write it alone, with no list or collection
     * around it. */
    PK_OUTPUT_SINGLE = 1u << 0
};

/* Writer operations: open, write once per document, close. */
typedef struct pk_writer_ops {
    /* Prepares to write to sink (borrowed until close); mode is a set of
     * PK_OUTPUT_* flags; opts is never NULL.  Stores the writer's private
     * state in *state.  Returns PK_OK or an error (then close is not
     * called).  Reject bad option values here: the CLI opens every writer
     * before any input is read and reports a failure as a usage error. */
    int (*open)(void **state, pk_sink *sink, const pk_options *opts,
                unsigned mode, pk_diag *diag);
    /* Writes (or, for an aggregating writer, takes in) one validated
     * document.  doc is borrowed for this call only: copy what you keep. */
    int (*write)(void *state, const pk_doc *doc, pk_diag *diag);
    /* Finishes the output and frees state, whether or not an earlier call
     * failed.  Returns PK_OK or the error that spoiled the output. */
    int (*close)(void *state, pk_diag *diag);
} pk_writer_ops;

/* The descriptor a plugin returns.  Only ever grows at its end. */
typedef struct pk_plugin {
    uint32_t abi_major;            /* PK_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;            /* PK_ABI_MINOR the plugin was built with */
    uint32_t size;                 /* sizeof(pk_plugin) as the plugin saw it */
    const char *name;              /* [a-z0-9_-]+, unique per kind */
    pk_plugin_kind kind;
    const char *version;           /* the plugin's own version */
    const char *summary;           /* one line, no final period */
    const char *const *extensions; /* NULL-terminated, without dots; a
                                      writer's first is its output's */
    const char *media_type;        /* e.g. "application/json" */
    unsigned flags;                /* PK_PLUGIN_* flags */
    const pk_option_def *options;  /* ends with a NULL name; NULL for none */
    const pk_reader_ops *reader;   /* set for readers */
    const pk_writer_ops *writer;   /* set for writers */
} pk_plugin;

/* The first three fields of every descriptor. */
#define PK_PLUGIN_HEADER PK_ABI_MAJOR, PK_ABI_MINOR, (uint32_t)sizeof(pk_plugin)

/* The type of the entry function. */
typedef const pk_plugin *(*pk_plugin_entry_fn)(void);

/* Defines the exported entry function returning &descriptor. */
#define PK_PLUGIN_DEFINE(descriptor)                                          \
    __attribute__((visibility("default"))) const pk_plugin *pk_plugin_entry(  \
        void);                                                                \
    const pk_plugin *pk_plugin_entry(void) { return &(descriptor); }

/* Returns a static name for a kind ("reader", "writer"). */
PK_EXTERN const char *pk_plugin_kind_name(pk_plugin_kind kind);

/*
 * Checks a descriptor: ABI version against the host's, size, name syntax,
 * kind and matching operations.  Returns PK_OK or PK_EPLUGIN with diag
 * saying why (e.g. "plugin ABI 2.0, presskit supports 1.0 to 1.1").
 */
PK_EXTERN int pk_plugin_check(const pk_plugin *plugin, pk_diag *diag);

/*
 * Runs reader plugin's check_options on opts when it has one (a plugin of
 * ABI 1.1 or later that sets it); PK_OK for any other plugin, a writer
 * included.  Returns the plugin's status with diag filled on failure.
 */
PK_EXTERN int pk_reader_check_options(const pk_plugin *plugin,
                                      const pk_options *opts, pk_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
