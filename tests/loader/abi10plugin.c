/*
 * abi10plugin.c - a writer built against a frozen copy of the ABI 1.0
 * plugin contract, the way a plugin compiled years ago against presskit
 * 1.0 headers sees it.  test_loader loads it and drives it: every later
 * minor must still accept it, which holds only while the descriptor and
 * the operation tables grow at their ends and pk_option_def never changes.
 *
 * NEVER EDIT THE FROZEN DECLARATIONS BELOW.  If this file stops compiling
 * or loading, the change to include/presskit/plugin.h broke ABI 1: undo
 * it, or make it a new major (then freeze that major's layout here).
 *
 * It uses presskit.h for the model and sink functions only; the layouts
 * it hands to the host are its own.
 */
#include <stddef.h>
#include <stdint.h>

#include <presskit/presskit.h>

/* --- ABI 1.0 as released (frozen) ---------------------------------------- */

typedef struct abi10_option_def {
    const char *name;
    int type;                      /* 1 string, 2 bool, 3 int */
    const char *default_value;
    const char *help;
} abi10_option_def;

typedef struct abi10_reader_ops {
    int (*read)(pk_doc *doc, const char *data, size_t len,
                const pk_options *opts, pk_diag *diag);
} abi10_reader_ops;

typedef struct abi10_writer_ops {
    int (*open)(void **state, pk_sink *sink, const pk_options *opts,
                unsigned mode, pk_diag *diag);
    int (*write)(void *state, const pk_doc *doc, pk_diag *diag);
    int (*close)(void *state, pk_diag *diag);
} abi10_writer_ops;

typedef struct abi10_plugin {
    uint32_t abi_major;            /* 1 */
    uint32_t abi_minor;            /* 0 */
    uint32_t size;                 /* sizeof(abi10_plugin) */
    const char *name;
    int kind;                      /* 1 reader, 2 writer */
    const char *version;
    const char *summary;
    const char *const *extensions;
    const char *media_type;
    unsigned flags;                /* 1 aggregate, 2 one per output */
    const abi10_option_def *options;
    const abi10_reader_ops *reader;
    const abi10_writer_ops *writer;
} abi10_plugin;

/* --- the same facts, checked against today's headers at compile time ----- */

#define SAME_OFFSET(old, cur, field)                                          \
    _Static_assert(offsetof(old, field) == offsetof(cur, field),              \
                   #cur "." #field " moved: ABI 1 broken")

SAME_OFFSET(abi10_plugin, pk_plugin, abi_major);
SAME_OFFSET(abi10_plugin, pk_plugin, abi_minor);
SAME_OFFSET(abi10_plugin, pk_plugin, size);
SAME_OFFSET(abi10_plugin, pk_plugin, name);
SAME_OFFSET(abi10_plugin, pk_plugin, kind);
SAME_OFFSET(abi10_plugin, pk_plugin, version);
SAME_OFFSET(abi10_plugin, pk_plugin, summary);
SAME_OFFSET(abi10_plugin, pk_plugin, extensions);
SAME_OFFSET(abi10_plugin, pk_plugin, media_type);
SAME_OFFSET(abi10_plugin, pk_plugin, flags);
SAME_OFFSET(abi10_plugin, pk_plugin, options);
SAME_OFFSET(abi10_plugin, pk_plugin, reader);
SAME_OFFSET(abi10_plugin, pk_plugin, writer);
_Static_assert(sizeof(abi10_plugin) <= sizeof(pk_plugin),
               "pk_plugin shrank: ABI 1 broken");
SAME_OFFSET(abi10_reader_ops, pk_reader_ops, read);
SAME_OFFSET(abi10_writer_ops, pk_writer_ops, open);
SAME_OFFSET(abi10_writer_ops, pk_writer_ops, write);
SAME_OFFSET(abi10_writer_ops, pk_writer_ops, close);
/* Option tables are arrays: their element can never grow within a major. */
_Static_assert(sizeof(abi10_option_def) == sizeof(pk_option_def),
               "pk_option_def changed size: ABI 1 broken");
SAME_OFFSET(abi10_option_def, pk_option_def, name);
SAME_OFFSET(abi10_option_def, pk_option_def, type);
SAME_OFFSET(abi10_option_def, pk_option_def, default_value);
SAME_OFFSET(abi10_option_def, pk_option_def, help);
_Static_assert(PK_PLUGIN_READER == 1 && PK_PLUGIN_WRITER == 2,
               "plugin kinds renumbered: ABI 1 broken");
_Static_assert(PK_OPTION_STRING == 1 && PK_OPTION_BOOL == 2 &&
               PK_OPTION_INT == 3, "option types renumbered: ABI 1 broken");
_Static_assert(PK_PLUGIN_AGGREGATE == 1 && PK_PLUGIN_ONE_PER_OUTPUT == 2 &&
               PK_OUTPUT_SINGLE == 1, "flags renumbered: ABI 1 broken");

/* --- the plugin: "abi10", each title on a line after abi10.prefix ------- */

#include <stdlib.h>

typedef struct state {
    pk_sink *sink;
    const char *prefix;   /* borrowed from the options, alive until close */
} state;

static int abi10_open(void **out, pk_sink *sink, const pk_options *opts,
                      unsigned mode, pk_diag *diag)
{
    (void)mode;
    state *s = malloc(sizeof *s);
    if (!s)
        return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
    s->sink = sink;
    s->prefix = pk_options_get(opts, "prefix");
    *out = s;
    return PK_OK;
}

static int abi10_write(void *st, const pk_doc *doc, pk_diag *diag)
{
    state *s = st;
    (void)diag;
    return pk_sink_printf(s->sink, "%s%s\n", s->prefix ? s->prefix : "",
                          pk_doc_title(doc));
}

static int abi10_close(void *st, pk_diag *diag)
{
    state *s = st;
    int rc = pk_sink_error(s->sink);
    free(s);
    if (rc != PK_OK)
        pk_diag_set(diag, rc, NULL, 0, 0, "abi10: write failed");
    return rc;
}

static const char *const exts[] = {"t10", NULL};
static const abi10_option_def options[] = {
    {"prefix", 1, "", "text before each title"},
    {NULL, 0, NULL, NULL},
};
static const abi10_writer_ops ops = {abi10_open, abi10_write, abi10_close};
static const abi10_plugin plugin = {
    1, 0, (uint32_t)sizeof(abi10_plugin),
    "abi10", 2, "1.0.0", "titles, built against the frozen ABI 1.0 layout",
    exts, "text/plain", 0, options, NULL, &ops,
};

__attribute__((visibility("default"))) const void *pk_plugin_entry(void);
const void *pk_plugin_entry(void) { return &plugin; }
