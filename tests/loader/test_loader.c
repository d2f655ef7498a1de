/* The plugin loader: what it accepts, what it refuses and why. */
#include <stdlib.h>

#include "pk_test.h"

static const char *dir;

static char *path_of(const char *variant)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s/%s.so", dir, variant, variant);
    return buf;
}

/* Loads one file into a fresh context and returns the message, or "" if
 * it loaded. */
static void expect(const char *variant, const char *message)
{
    pk_context *ctx;
    assert_int_equal(pk_context_new(&ctx), PK_OK);
    pk_diag d = PK_DIAG_INIT;
    int rc = pk_context_load_file(ctx, path_of(variant), &d);
    if (!message) {
        PK_ASSERT_OK(rc, &d);
        assert_int_equal(pk_context_plugin_count(ctx), 1);
    } else {
        assert_int_equal(rc, PK_EPLUGIN);
        PK_ASSERT_STR(path_of(variant), d.file);
        if (!strstr(d.message, message))
            fail_msg("expected \"%s\" in \"%s\"", message, d.message);
        assert_int_equal(pk_context_failure_count(ctx), 1);
        const char *why;
        PK_ASSERT_STR(path_of(variant), pk_context_failure(ctx, 0, &why));
        PK_ASSERT_STR(d.message, why);
        assert_int_equal(pk_context_plugin_count(ctx), 0);
    }
    pk_context_free(ctx);
}

static void test_good(void **state)
{
    (void)state;
    expect("good", NULL);
}

static void test_refusals(void **state)
{
    (void)state;
    char want[128];
    snprintf(want, sizeof want, "plugin ABI 0.0, presskit supports %d.0 to %d.%d",
             PK_ABI_MAJOR, PK_ABI_MAJOR, PK_ABI_MINOR);
    expect("oldmajor", want);
    snprintf(want, sizeof want, "plugin ABI 2.0, presskit supports %d.0 to %d.%d",
             PK_ABI_MAJOR, PK_ABI_MAJOR, PK_ABI_MINOR);
    expect("newmajor", want);
    snprintf(want, sizeof want, "plugin ABI %d.%d, presskit supports %d.0 to %d.%d",
             PK_ABI_MAJOR, PK_ABI_MINOR + 1, PK_ABI_MAJOR, PK_ABI_MAJOR,
             PK_ABI_MINOR);
    expect("newminor", want);
    expect("noentry", "not a presskit plugin: no pk_plugin_entry symbol");
    expect("badname", "invalid plugin name");
    snprintf(want, sizeof want, "descriptor too small (16 bytes) for ABI %d.%d",
             PK_ABI_MAJOR, PK_ABI_MINOR);
    expect("small", want);
    expect("nulldesc", "the entry function returned no descriptor");
}

/* A writer compiled against the frozen ABI 1.0 layout (abi10plugin.c)
 * loads and works on this host, whatever its minor. */
static void test_abi10_plugin_loads(void **state)
{
    (void)state;
    expect("abi10", NULL);
    pk_context *ctx;
    assert_int_equal(pk_context_new(&ctx), PK_OK);
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_context_load_file(ctx, path_of("abi10"), &d), &d);
    const pk_plugin *p = pk_context_find(ctx, PK_PLUGIN_WRITER, "abi10");
    assert_non_null(p);
    assert_int_equal(p->abi_major, 1);
    assert_int_equal(p->abi_minor, 0);
    PK_ASSERT_STR("1.0.0", p->version);
    PK_ASSERT_STR("t10", p->extensions[0]);
    PK_ASSERT_STR("text/plain", p->media_type);
    assert_int_equal(p->flags, 0);
    PK_ASSERT_STR("prefix", p->options[0].name);
    assert_int_equal(p->options[0].type, PK_OPTION_STRING);
    assert_null(p->options[1].name);
    assert_null(p->reader);

    pk_options *opts;
    assert_int_equal(pk_options_new(&opts, p->name, p->options), PK_OK);
    PK_ASSERT_OK(pk_options_set(opts, "prefix", "> ", &d), &d);
    pk_doc *doc;
    assert_int_equal(pk_doc_new(&doc), PK_OK);
    pk_value *meta = pk_doc_meta(doc);
    assert_int_equal(pk_value_map_append(meta, "title", 5,
                                         pk_value_new_string(doc, "Old", 3)),
                     PK_OK);
    assert_int_equal(pk_value_map_append(meta, "date", 4,
                                         pk_value_new_string(doc, "2024-01-02",
                                                             10)),
                     PK_OK);
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    pk_sink *sink;
    assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
    void *w;
    PK_ASSERT_OK(p->writer->open(&w, sink, opts, PK_OUTPUT_SINGLE, &d), &d);
    PK_ASSERT_OK(p->writer->write(w, doc, &d), &d);
    PK_ASSERT_OK(p->writer->close(w, &d), &d);
    PK_ASSERT_STR("> Old\n", pk_sink_memory_data(sink, NULL));
    pk_sink_free(sink);
    pk_doc_free(doc);
    pk_options_free(opts);
    pk_context_free(ctx);
}

static void test_missing_file(void **state)
{
    (void)state;
    pk_context *ctx;
    pk_context_new(&ctx);
    pk_diag d = PK_DIAG_INIT;
    assert_int_equal(pk_context_load_file(ctx, "/nonexistent/x.so", &d), PK_EPLUGIN);
    assert_non_null(strstr(d.message, "cannot load"));
    pk_context_free(ctx);
}

static void test_duplicate_and_search_order(void **state)
{
    (void)state;
    pk_context *ctx;
    pk_context_new(&ctx);
    char dirs[2048];
    /* good and dup both call themselves "testw": the first in the path
     * wins, the second is refused naming the first. */
    snprintf(dirs, sizeof dirs, "%s/dup:%s/good:/nonexistent", dir, dir);
    assert_int_equal(pk_context_load_default(ctx, dirs), PK_OK);
    const pk_plugin *p = pk_context_find(ctx, PK_PLUGIN_WRITER, "testw");
    assert_non_null(p);
    for (size_t i = 0; i < pk_context_plugin_count(ctx); i++)
        if (pk_context_plugin(ctx, i) == p)
            PK_ASSERT_STR(path_of("dup"), pk_context_plugin_file(ctx, i));
    int found = 0;
    for (size_t i = 0; i < pk_context_failure_count(ctx); i++) {
        const char *why;
        const char *file = pk_context_failure(ctx, i, &why);
        if (strcmp(file, path_of("good")) == 0) {
            char want[1200];
            snprintf(want, sizeof want,
                     "duplicate writer \"testw\": already loaded from %s",
                     path_of("dup"));
            PK_ASSERT_STR(want, why);
            found = 1;
        }
    }
    assert_true(found);
    assert_null(pk_context_find(ctx, PK_PLUGIN_READER, "testw"));
    pk_context_free(ctx);
}

static int refuse_all(const pk_options *opts, pk_diag *diag)
{
    (void)opts;
    return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0, "option r.x: refused");
}

static int no_read(pk_doc *doc, const char *data, size_t len,
                   const pk_options *opts, pk_diag *diag)
{
    (void)doc, (void)data, (void)len, (void)opts, (void)diag;
    return PK_OK;
}

/* check_options (ABI 1.1) runs only for plugins declaring minor 1 or
 * later: a 1.0 reader's operation table ends before the field. */
static void test_check_options(void **state)
{
    (void)state;
    static const pk_reader_ops ops = {.read = no_read,
                                      .check_options = refuse_all};
    static const pk_reader_ops plain = {.read = no_read};
    pk_plugin p = {PK_PLUGIN_HEADER, .name = "r", .kind = PK_PLUGIN_READER,
                   .version = "1", .summary = "s", .reader = &ops};
    pk_diag d = PK_DIAG_INIT;
    assert_int_equal(pk_reader_check_options(&p, NULL, &d), PK_EINVAL);
    PK_ASSERT_STR("option r.x: refused", d.message);
    pk_diag_clear(&d);
    p.abi_minor = 0;
    assert_int_equal(pk_reader_check_options(&p, NULL, &d), PK_OK);
    p.abi_minor = PK_ABI_MINOR;
    p.reader = &plain;
    assert_int_equal(pk_reader_check_options(&p, NULL, &d), PK_OK);
    p.kind = PK_PLUGIN_WRITER;
    p.reader = &ops;
    assert_int_equal(pk_reader_check_options(&p, NULL, &d), PK_OK);
    assert_int_equal(pk_reader_check_options(NULL, NULL, &d), PK_OK);
    assert_int_equal(d.status, PK_OK);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_loader PLUGIN_DIR\n");
        return 2;
    }
    dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_abi10_plugin_loads),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_duplicate_and_search_order),
        cmocka_unit_test(test_check_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
