/* The plugin loader: what it accepts, what it refuses and why; the
 * plugin index and lazy loading. */
#define _GNU_SOURCE /* RTLD_NOLOAD */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_test.h"

static const char *dir;

/* The ABI the test plugins are built for, as the index writes it. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define ABI STR(PK_ABI_MAJOR) "." STR(PK_ABI_MINOR)

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

/* --- the plugin index and lazy loading --------------------------------- */

/* A fresh directory: plugins copied into it are new files, which no
 * earlier test can have loaded (loading is RTLD_NODELETE). */
static char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    char *d = malloc(1024);
    assert_non_null(d);
    snprintf(d, 1024, "%s/pk-loader.XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(d));
    return d;
}

static void rm_dir(char *d)
{
    DIR *dh = opendir(d);
    struct dirent *e;
    char p[1200];
    while (dh && (e = readdir(dh)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", d, e->d_name);
            unlink(p);
        }
    if (dh)
        closedir(dh);
    rmdir(d);
    free(d);
}

static const char *in(const char *d, const char *name)
{
    static char buf[4][1200];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", d, name);
    return buf[k];
}

/* Copies test plugin variant into d as NAME.so (or variant.so). */
static void copy_plugin(const char *variant, const char *d, const char *name)
{
    char to[1200];
    snprintf(to, sizeof to, "%s/%s.so", d, name ? name : variant);
    FILE *src = fopen(path_of(variant), "rb"), *dst = fopen(to, "wb");
    assert_non_null(src);
    assert_non_null(dst);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, src)) > 0)
        assert_int_equal(fwrite(buf, 1, n, dst), n);
    fclose(src);
    assert_int_equal(fclose(dst), 0);
}

/* Whether the file is mapped in this process (dlopen without loading). */
static bool mapped(const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (h)
        dlclose(h);
    return h != NULL;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = calloc(1, 65536);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* Replaces the first `from` in file path with `to`. */
static void edit(const char *path, const char *from, const char *to)
{
    char *text = slurp(path);
    assert_non_null(text);
    char *at = strstr(text, from);
    if (!at)
        fail_msg("\"%s\" not in %s", from, path);
    char out[65536];
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to,
             at + strlen(from));
    spit(path, out);
    free(text);
}

/* Writes d's index in a child process: writing loads every plugin of d,
 * and this process must not have them mapped (nor run their markers). */
static void write_index(const char *d, size_t want)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        unsetenv("PK_TEST_MARKER");
        pk_diag diag = PK_DIAG_INIT;
        size_t n = 0;
        int rc = pk_context_write_index(NULL, d, &n, &diag);
        if (rc != PK_OK)
            fprintf(stderr, "write_index: %s\n", diag.message);
        _exit(rc == PK_OK && n < 100 ? (int)n : 100);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), want);
}

static pk_context *lazy_context(const char *dirs)
{
    pk_context *ctx;
    assert_int_equal(pk_context_new(&ctx), PK_OK);
    pk_context_set_lazy(ctx, true);
    /* Not load_default: the build's own plugins stay out of it. */
    char *copy = strdup(dirs), *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
        assert_int_equal(pk_context_load_dir(ctx, d), PK_OK);
    free(copy);
    return ctx;
}

static char *marker;

static int set_marker(void **state)
{
    (void)state;
    char *d = tmp_dir();
    marker = malloc(1200);
    snprintf(marker, 1200, "%s.marker", d);
    rm_dir(d);
    unlink(marker);
    setenv("PK_TEST_MARKER", marker, 1);
    return 0;
}

static int clear_marker(void **state)
{
    (void)state;
    unlink(marker);
    free(marker);
    return 0;
}

/* The index describes what loading would find; a lazy context lists it
 * without loading anything, and loads one plugin when it is asked for. */
static void test_index_lazy(void **state)
{
    (void)state;
    /* Files that are not plugins are left out, and said so. */
    char *d = tmp_dir();
    copy_plugin("good", d, NULL);
    copy_plugin("noentry", d, NULL);
    copy_plugin("newmajor", d, NULL);
    pk_context *log;
    assert_int_equal(pk_context_new(&log), PK_OK);
    pk_diag diag = PK_DIAG_INIT;
    size_t n = 0;
    PK_ASSERT_OK(pk_context_write_index(log, d, &n, &diag), &diag);
    assert_int_equal(n, 1);
    assert_int_equal(pk_context_failure_count(log), 2);
    const char *why;
    PK_ASSERT_STR(in(d, "newmajor.so"), pk_context_failure(log, 0, &why));
    assert_non_null(strstr(why, "plugin ABI 2.0"));
    PK_ASSERT_STR(in(d, "noentry.so"), pk_context_failure(log, 1, &why));
    assert_non_null(strstr(why, "no pk_plugin_entry symbol"));
    assert_int_equal(pk_context_plugin_count(log), 0);
    pk_context_free(log);
    rm_dir(d);

    d = tmp_dir();
    copy_plugin("good", d, NULL);
    copy_plugin("marker", d, NULL);
    copy_plugin("odd", d, NULL);
    copy_plugin("ra", d, NULL);
    copy_plugin("noentry", d, NULL);
    copy_plugin("newmajor", d, NULL);
    write_index(d, 4);
    char *text = slurp(in(d, PK_PLUGIN_INDEX_NAME));
    assert_non_null(text);
    assert_int_equal(strncmp(text, "presskit-plugin-index 1\n", 24), 0);
    assert_non_null(strstr(text, "\nmarker.so\t"));
    assert_null(strstr(text, "noentry.so"));
    free(text);

    pk_context *ctx = lazy_context(d);
    /* The two that are not indexed were loaded, and refused, as ever. */
    assert_int_equal(pk_context_failure_count(ctx), 2);
    assert_int_equal(pk_context_entry_count(ctx), 4);
    for (size_t i = 0; i < 4; i++) {
        assert_false(pk_context_entry_loaded(ctx, i));
        assert_false(mapped(pk_context_entry_file(ctx, i)));
    }
    assert_int_equal(access(marker, F_OK), -1);
    /* Entries in name order, as loading would give them. */
    PK_ASSERT_STR("testw", pk_context_entry_info(ctx, 0)->name);
    PK_ASSERT_STR(in(d, "good.so"), pk_context_entry_file(ctx, 0));
    PK_ASSERT_STR("marker", pk_context_entry_info(ctx, 1)->name);
    PK_ASSERT_STR("odd", pk_context_entry_info(ctx, 2)->name);
    PK_ASSERT_STR("ra", pk_context_entry_info(ctx, 3)->name);

    /* What the index says is what the descriptor says: odd.so, with
     * every character the format escapes, against the original file. */
    pk_context *eager;
    assert_int_equal(pk_context_new(&eager), PK_OK);
    PK_ASSERT_OK(pk_context_load_file(eager, path_of("odd"), &diag), &diag);
    const pk_plugin *want = pk_context_plugin(eager, 0);
    const pk_plugin *got = pk_context_entry_info(ctx, 2);
    assert_int_equal(got->kind, want->kind);
    assert_int_equal(got->abi_major, want->abi_major);
    assert_int_equal(got->abi_minor, want->abi_minor);
    assert_int_equal(got->flags, want->flags);
    PK_ASSERT_STR(want->version, got->version);
    PK_ASSERT_STR(want->summary, got->summary);
    assert_null(got->media_type);
    assert_null(want->media_type);
    PK_ASSERT_STR("a,b", got->extensions[0]);
    PK_ASSERT_STR("c\\d", got->extensions[1]);
    assert_null(got->extensions[2]);
    /* A deferred entry has no options and no operations yet. */
    assert_null(got->options);
    assert_null(got->writer);
    pk_context_free(eager);
    const pk_plugin *ra = pk_context_entry_info(ctx, 3);
    PK_ASSERT_STR("tr", ra->extensions[0]);
    PK_ASSERT_STR("text/plain", ra->media_type);
    assert_int_equal(ra->kind, PK_PLUGIN_READER);

    /* Asking for one writer loads that file and no other. */
    const pk_plugin *w = pk_context_find(ctx, PK_PLUGIN_WRITER, "testw");
    assert_non_null(w);
    assert_non_null(w->writer);
    PK_ASSERT_STR("flag", w->options[0].name);
    assert_true(pk_context_entry_loaded(ctx, 0));
    assert_ptr_equal(pk_context_entry_info(ctx, 0), w);
    assert_ptr_equal(pk_context_entry_load(ctx, 0), w);
    assert_true(mapped(in(d, "good.so")));
    for (size_t i = 1; i < 4; i++) {
        assert_false(pk_context_entry_loaded(ctx, i));
        assert_false(mapped(pk_context_entry_file(ctx, i)));
    }
    assert_int_equal(access(marker, F_OK), -1);
    /* Not a reader of that name, and no reader for .txt: nothing more. */
    assert_null(pk_context_find(ctx, PK_PLUGIN_READER, "testw"));
    assert_null(pk_context_reader_for(ctx, "x.txt"));
    assert_false(mapped(in(d, "ra.so")));
    /* The reader of .tr, by extension. */
    const pk_plugin *r = pk_context_reader_for(ctx, "dir/X.TR");
    assert_non_null(r);
    PK_ASSERT_STR("ra", r->name);
    assert_true(mapped(in(d, "ra.so")));
    assert_false(mapped(in(d, "marker.so")));
    text = slurp(marker);
    PK_ASSERT_STR("ra\n", text);
    free(text);

    /* The old listing functions mean "loaded": they load the rest. */
    assert_int_equal(pk_context_plugin_count(ctx), 4);
    PK_ASSERT_STR("marker", pk_context_plugin(ctx, 1)->name);
    PK_ASSERT_STR(in(d, "odd.so"), pk_context_plugin_file(ctx, 2));
    assert_true(mapped(in(d, "marker.so")));
    text = slurp(marker);
    PK_ASSERT_STR("ra\nmarker\n", text);
    free(text);
    assert_int_equal(pk_context_failure_count(ctx), 2);
    pk_context_free(ctx);
    rm_dir(d);
}

/* A context that is not lazy ignores the index: everything loads. */
static void test_index_not_lazy(void **state)
{
    (void)state;
    char *d = tmp_dir();
    copy_plugin("marker", d, NULL);
    write_index(d, 1);
    pk_context *ctx;
    assert_int_equal(pk_context_new(&ctx), PK_OK);
    assert_int_equal(pk_context_load_dir(ctx, d), PK_OK);
    assert_true(pk_context_entry_loaded(ctx, 0));
    assert_true(mapped(in(d, "marker.so")));
    assert_int_equal(access(marker, F_OK), 0);
    pk_context_free(ctx);
    rm_dir(d);
}

/* A file changed since it was indexed, or not in the index, is loaded at
 * once; a line for a file that is gone is ignored. */
static void test_index_stale(void **state)
{
    (void)state;
    char *d = tmp_dir();
    copy_plugin("good", d, NULL);
    copy_plugin("marker", d, NULL);
    copy_plugin("ra", d, NULL);
    write_index(d, 3);
    unlink(in(d, "ra.so"));
    copy_plugin("abi10", d, NULL);
    /* Same size, another time: rebuilt, or copied without -p. */
    struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 5}};
    assert_int_equal(utimensat(AT_FDCWD, in(d, "marker.so"), times, 0), 0);

    pk_context *ctx = lazy_context(d);
    assert_int_equal(pk_context_failure_count(ctx), 0);
    assert_int_equal(pk_context_entry_count(ctx), 3);
    PK_ASSERT_STR("abi10", pk_context_entry_info(ctx, 0)->name);
    assert_true(pk_context_entry_loaded(ctx, 0));
    PK_ASSERT_STR("testw", pk_context_entry_info(ctx, 1)->name);
    assert_false(pk_context_entry_loaded(ctx, 1));
    assert_false(mapped(in(d, "good.so")));
    PK_ASSERT_STR("marker", pk_context_entry_info(ctx, 2)->name);
    assert_true(pk_context_entry_loaded(ctx, 2));
    char *text = slurp(marker);
    PK_ASSERT_STR("marker\n", text);
    free(text);
    pk_context_free(ctx);

    /* Rewriting the index makes it current again. */
    write_index(d, 3);
    ctx = lazy_context(d);
    for (size_t i = 0; i < 3; i++)
        assert_false(pk_context_entry_loaded(ctx, i));
    pk_context_free(ctx);
    rm_dir(d);
}

/* No index, an index of another version, lines that do not parse: the
 * files they do not describe load as if there were no index. */
static void test_index_missing_or_foreign(void **state)
{
    (void)state;
    char *d = tmp_dir();
    copy_plugin("good", d, NULL);
    copy_plugin("marker", d, NULL);
    pk_context *ctx = lazy_context(d);
    assert_int_equal(pk_context_entry_count(ctx), 2);
    assert_true(pk_context_entry_loaded(ctx, 0));
    assert_true(pk_context_entry_loaded(ctx, 1));
    assert_int_equal(pk_context_plugin_count(ctx), 2);
    pk_context_free(ctx);

    write_index(d, 2);
    const char *ix = in(d, PK_PLUGIN_INDEX_NAME);
    char *orig = slurp(ix);
    edit(ix, "presskit-plugin-index 1\n", "presskit-plugin-index 2\n");
    ctx = lazy_context(d);
    assert_true(pk_context_entry_loaded(ctx, 0));
    assert_true(pk_context_entry_loaded(ctx, 1));
    pk_context_free(ctx);

    /* good.so's line loses a field; marker.so's line stays good. */
    spit(ix, orig);
    edit(ix, "\twriter\ttestw\t", "\twriter testw\t");
    ctx = lazy_context(d);
    PK_ASSERT_STR("testw", pk_context_entry_info(ctx, 0)->name);
    assert_true(pk_context_entry_loaded(ctx, 0));
    assert_false(pk_context_entry_loaded(ctx, 1));
    pk_context_free(ctx);

    /* A line naming an ABI this presskit does not take is not trusted:
     * the file is loaded, and judged, as it is. */
    spit(ix, orig);
    edit(ix, "\twriter\ttestw\t" ABI "\t", "\twriter\ttestw\t2.0\t");
    ctx = lazy_context(d);
    assert_true(pk_context_entry_loaded(ctx, 0));
    pk_context_free(ctx);
    free(orig);
    rm_dir(d);
}

/* A deferred plugin whose descriptor does not say what its line says is
 * refused when it is loaded, once, with a message naming the index. */
static void test_index_mismatch(void **state)
{
    (void)state;
    char *d = tmp_dir();
    copy_plugin("good", d, NULL);
    copy_plugin("marker", d, NULL);
    write_index(d, 2);
    const char *ix = in(d, PK_PLUGIN_INDEX_NAME);
    edit(ix, "\ttestw\t" ABI "\t0\ttxt\ttext/plain\t0.0.1\t",
         "\ttestw\t" ABI "\t0\ttxt\ttext/plain\t0.0.2\t");
    edit(ix, "\twriter\tmarker\t", "\twriter\tother\t");

    pk_context *ctx = lazy_context(d);
    assert_int_equal(pk_context_failure_count(ctx), 0);
    PK_ASSERT_STR("0.0.2", pk_context_entry_info(ctx, 0)->version);
    assert_null(pk_context_find(ctx, PK_PLUGIN_WRITER, "testw"));
    assert_int_equal(pk_context_failure_count(ctx), 1);
    const char *why;
    PK_ASSERT_STR(in(d, "good.so"), pk_context_failure(ctx, 0, &why));
    char want[3000];
    snprintf(want, sizeof want,
             "does not match its line in %s/plugins.index (version: \"0.0.2\" "
             "in the index, \"0.0.1\" in the plugin); run 'presskit "
             "--write-plugin-index %s'", d, d);
    PK_ASSERT_STR(want, why);
    /* Refused: no longer listed, found or loaded again. */
    assert_null(pk_context_entry_info(ctx, 0));
    assert_null(pk_context_entry_load(ctx, 0));
    assert_false(pk_context_entry_loaded(ctx, 0));
    assert_null(pk_context_find(ctx, PK_PLUGIN_WRITER, "testw"));
    assert_int_equal(pk_context_failure_count(ctx), 1);

    /* Under another name in the index: found by that name, refused. */
    assert_null(pk_context_find(ctx, PK_PLUGIN_WRITER, "marker"));
    assert_null(pk_context_find(ctx, PK_PLUGIN_WRITER, "other"));
    pk_context_failure(ctx, 1, &why);
    assert_non_null(strstr(why, "(name: \"other\" in the index, \"marker\" "
                                "in the plugin)"));
    assert_int_equal(pk_context_plugin_count(ctx), 0);
    assert_int_equal(pk_context_failure_count(ctx), 2);
    pk_context_free(ctx);
    rm_dir(d);
}

/* First in the path wins, as without an index; a deferred plugin that
 * another file duplicates is loaded to settle it. */
static void test_index_precedence(void **state)
{
    (void)state;
    char *a = tmp_dir(), *b = tmp_dir(), *c = tmp_dir();
    copy_plugin("good", a, NULL);   /* testw, indexed */
    write_index(a, 1);
    copy_plugin("dup", b, NULL);    /* testw, no index */
    copy_plugin("dup", c, NULL);    /* testw, indexed */
    write_index(c, 1);
    char dirs[4000];
    snprintf(dirs, sizeof dirs, "%s:%s:%s", a, b, c);

    pk_context *ctx = lazy_context(dirs);
    assert_int_equal(pk_context_entry_count(ctx), 1);
    PK_ASSERT_STR(in(a, "good.so"), pk_context_entry_file(ctx, 0));
    assert_true(pk_context_entry_loaded(ctx, 0));
    assert_int_equal(pk_context_failure_count(ctx), 2);
    const char *why;
    char want[3000];
    snprintf(want, sizeof want,
             "duplicate writer \"testw\": already loaded from %s", in(a, "good.so"));
    PK_ASSERT_STR(in(b, "dup.so"), pk_context_failure(ctx, 0, &why));
    PK_ASSERT_STR(want, why);
    PK_ASSERT_STR(in(c, "dup.so"), pk_context_failure(ctx, 1, &why));
    PK_ASSERT_STR(want, why);
    /* The indexed duplicate was refused from its line alone. */
    assert_false(mapped(in(c, "dup.so")));
    pk_context_free(ctx);

    /* If the first cannot load, the next one wins, as without an index. */
    edit(in(a, PK_PLUGIN_INDEX_NAME), "\t0.0.1\t", "\t9.9.9\t");
    snprintf(dirs, sizeof dirs, "%s:%s", a, c);
    ctx = lazy_context(dirs);
    assert_int_equal(pk_context_failure_count(ctx), 1);
    PK_ASSERT_STR(in(a, "good.so"), pk_context_failure(ctx, 0, &why));
    assert_non_null(strstr(why, "does not match"));
    const pk_plugin *w = pk_context_find(ctx, PK_PLUGIN_WRITER, "testw");
    assert_non_null(w);
    assert_ptr_equal(pk_context_entry_info(ctx, 1), w);
    PK_ASSERT_STR(in(c, "dup.so"), pk_context_entry_file(ctx, 1));
    pk_context_free(ctx);
    rm_dir(a);
    rm_dir(b);
    rm_dir(c);
}

/* A reader that fails to load claims no extension: the next one does. */
static void test_index_reader_fallback(void **state)
{
    (void)state;
    char *d = tmp_dir();
    copy_plugin("ra", d, NULL);
    copy_plugin("rb", d, NULL);
    write_index(d, 2);
    edit(in(d, PK_PLUGIN_INDEX_NAME), "\ttr\ttext/plain\t0.0.1\t",
         "\ttr\ttext/plain\t0.0.9\t");
    pk_context *ctx = lazy_context(d);
    assert_null(pk_context_reader_for(ctx, "x.zz"));
    assert_false(mapped(in(d, "ra.so")));
    const pk_plugin *r = pk_context_reader_for(ctx, "x.tr");
    assert_non_null(r);
    PK_ASSERT_STR("rb", r->name);
    assert_int_equal(pk_context_failure_count(ctx), 1);
    assert_ptr_equal(pk_context_reader_for(ctx, "y.tr"), r);
    assert_int_equal(pk_context_failure_count(ctx), 1);
    /* It reads: the full pipeline through a plugin loaded on demand. */
    pk_doc *doc;
    pk_diag diag = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_read(r, NULL, "x.tr", "Lazy", 4, &doc, &diag), &diag);
    PK_ASSERT_STR("Lazy", pk_doc_title(doc));
    pk_doc_free(doc);
    pk_context_free(ctx);
    rm_dir(d);
}

typedef struct racer {
    const pk_context *ctx;
    pthread_barrier_t *go;
    const pk_plugin *got;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    pthread_barrier_wait(r->go);
    r->got = pk_context_find(r->ctx, PK_PLUGIN_WRITER, "marker");
    (void)pk_context_entry_info(r->ctx, 0);
    (void)pk_context_failure_count(r->ctx);
    return NULL;
}

/* Threads that need one deferred plugin at once all get it, loaded once. */
static void test_index_threads(void **state)
{
    (void)state;
    char *d = tmp_dir();
    copy_plugin("marker", d, NULL);
    write_index(d, 1);
    pk_context *ctx = lazy_context(d);
    enum { N = 8 };
    pthread_t t[N];
    racer r[N];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    for (int i = 0; i < N; i++) {
        r[i] = (racer){ctx, &go, NULL};
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&go);
    assert_non_null(r[0].got);
    for (int i = 1; i < N; i++)
        assert_ptr_equal(r[i].got, r[0].got);
    char *text = slurp(marker);
    PK_ASSERT_STR("marker\n", text);
    free(text);
    pk_context_free(ctx);
    rm_dir(d);
}

static void test_index_write_errors(void **state)
{
    (void)state;
    pk_diag diag = PK_DIAG_INIT;
    assert_int_equal(pk_context_write_index(NULL, "/nonexistent/dir", NULL, &diag),
                     PK_EIO);
    PK_ASSERT_STR("/nonexistent/dir", diag.file);
    assert_non_null(strstr(diag.message, "cannot read directory"));
    /* An empty directory gets an index with no lines. */
    char *d = tmp_dir();
    write_index(d, 0);
    char *text = slurp(in(d, PK_PLUGIN_INDEX_NAME));
    assert_int_equal(strncmp(text, "presskit-plugin-index 1\n", 24), 0);
    free(text);
    rm_dir(d);
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
        cmocka_unit_test_setup_teardown(test_index_lazy, set_marker, clear_marker),
        cmocka_unit_test_setup_teardown(test_index_not_lazy, set_marker, clear_marker),
        cmocka_unit_test_setup_teardown(test_index_stale, set_marker, clear_marker),
        cmocka_unit_test(test_index_missing_or_foreign),
        cmocka_unit_test(test_index_mismatch),
        cmocka_unit_test(test_index_precedence),
        cmocka_unit_test_setup_teardown(test_index_reader_fallback, set_marker,
                                        clear_marker),
        cmocka_unit_test_setup_teardown(test_index_threads, set_marker, clear_marker),
        cmocka_unit_test(test_index_write_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
