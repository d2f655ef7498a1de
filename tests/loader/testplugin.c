/*
 * testplugin.c - a tiny writer built several ways to exercise the loader:
 * good, with another ABI major or a newer minor, without its entry symbol,
 * under a duplicate name, with a descriptor too small for ABI 1.0, or an
 * entry function returning NULL.  It writes each title on a line.
 */
#include <presskit/presskit.h>

#ifndef TEST_NAME
#define TEST_NAME "testw"
#endif
#ifndef TEST_ABI_MAJOR
#define TEST_ABI_MAJOR PK_ABI_MAJOR
#endif
#ifndef TEST_ABI_MINOR
#define TEST_ABI_MINOR PK_ABI_MINOR
#endif
#ifndef TEST_SIZE
#define TEST_SIZE sizeof(pk_plugin)
#endif

static int open_(void **state, pk_sink *sink, const pk_options *opts,
                 unsigned mode, pk_diag *diag)
{
    (void)opts;
    (void)mode;
    (void)diag;
    *state = sink;
    return PK_OK;
}

static int write_(void *state, const pk_doc *doc, pk_diag *diag)
{
    (void)diag;
    return pk_sink_printf(state, "%s\n", pk_doc_title(doc));
}

static int close_(void *state, pk_diag *diag)
{
    (void)state;
    (void)diag;
    return PK_OK;
}

static const char *const exts[] = {"txt", NULL};
static const pk_option_def options[] = {
    {"flag", PK_OPTION_BOOL, "false", "a test flag"},
    {NULL, 0, NULL, NULL},
};
static const pk_writer_ops ops = {open_, write_, close_};
static const pk_plugin plugin = {
    TEST_ABI_MAJOR, TEST_ABI_MINOR, (uint32_t)(TEST_SIZE),
    TEST_NAME, PK_PLUGIN_WRITER, "0.0.1", "titles, one per line",
    exts, "text/plain", 0, options, NULL, &ops,
};

#if defined(TEST_NULL_DESCRIPTOR)
__attribute__((visibility("default"))) const pk_plugin *pk_plugin_entry(void);
const pk_plugin *pk_plugin_entry(void)
{
    (void)plugin;
    return NULL;
}
#elif !defined(TEST_NO_ENTRY)
PK_PLUGIN_DEFINE(plugin)
#else
/* Keeps the descriptor referenced so the file still builds cleanly. */
__attribute__((visibility("default"))) const pk_plugin *wrong_name(void);
const pk_plugin *wrong_name(void) { return &plugin; }
#endif
