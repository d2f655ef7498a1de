/*
 * testplugin.c - a tiny writer built several ways to exercise the loader:
 * good, with another ABI major or a newer minor, without its entry symbol,
 * under a duplicate name, with a descriptor too small for ABI 1.0, or an
 * entry function returning NULL.  It writes each title on a line.
 *
 * For the plugin index: TEST_MARKER adds a constructor that appends the
 * plugin's name to the file $PK_TEST_MARKER, proof that it was loaded;
 * TEST_READER makes it a reader of ".tr" files; TEST_ODD gives it strings
 * the index must escape (TAB, LF, backslash, commas) and no media type.
 */
#include <presskit/presskit.h>

#ifdef TEST_MARKER
#include <stdio.h>
#include <stdlib.h>
#endif

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

#ifndef TEST_READER
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
#endif

static const pk_option_def options[] = {
    {"flag", PK_OPTION_BOOL, "false", "a test flag"},
    {NULL, 0, NULL, NULL},
};
#if defined(TEST_READER)
static int read_(pk_doc *doc, const char *data, size_t len,
                 const pk_options *opts, pk_diag *diag)
{
    (void)opts;
    (void)diag;
    pk_value *meta = pk_doc_meta(doc);
    int rc = pk_value_map_append(meta, "title", 5,
                                 pk_value_new_string(doc, data, len));
    if (rc == PK_OK)
        rc = pk_value_map_append(meta, "date", 4,
                                 pk_value_new_string(doc, "2024-01-02", 10));
    return rc;
}
static const char *const exts[] = {"tr", NULL};
static const pk_reader_ops rops = {.read = read_};
static const pk_plugin plugin = {
    TEST_ABI_MAJOR, TEST_ABI_MINOR, (uint32_t)(TEST_SIZE),
    TEST_NAME, PK_PLUGIN_READER, "0.0.1", "the whole input is the title",
    exts, "text/plain", 0, options, &rops, NULL,
};
#else
static const pk_writer_ops ops = {open_, write_, close_};
#if defined(TEST_ODD)
static const char *const exts[] = {"a,b", "c\\d", NULL};
static const pk_plugin plugin = {
    TEST_ABI_MAJOR, TEST_ABI_MINOR, (uint32_t)(TEST_SIZE),
    TEST_NAME, PK_PLUGIN_WRITER, "0.0.1\t\\N",
    "tab\there, line\nthere\r, back\\slash, comma,",
    exts, NULL, PK_PLUGIN_AGGREGATE, options, NULL, &ops,
};
#else
static const char *const exts[] = {"txt", NULL};
static const pk_plugin plugin = {
    TEST_ABI_MAJOR, TEST_ABI_MINOR, (uint32_t)(TEST_SIZE),
    TEST_NAME, PK_PLUGIN_WRITER, "0.0.1", "titles, one per line",
    exts, "text/plain", 0, options, NULL, &ops,
};
#endif
#endif

#ifdef TEST_MARKER
__attribute__((constructor)) static void mark(void)
{
    const char *file = getenv("PK_TEST_MARKER");
    FILE *fp = file ? fopen(file, "a") : NULL;
    if (fp) {
        fputs(TEST_NAME "\n", fp);
        fclose(fp);
    }
}
#endif

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
