/*
 * test_xhtml.c - the xhtml writer module: exact content documents (golden
 * files), hostile text, the EPUB folder (names, order, identifier,
 * timestamps, stylesheet, reproducibility), errors, threads, and the SHA-1
 * and UUID code behind the book's identifier.
 *
 * Usage: test_xhtml XHTML.so GOLDEN_DIR [MARKDOWN.so]
 * PK_UPDATE_GOLDEN=1 rewrites the golden files (review the diff).
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <pthread.h>
#include <unistd.h>

#include "sha1.h"
#include "xmltest.h"

static const char *module_paths[2];
static const char *golden_dir;
static pk_context *ctx;
static const pk_plugin *writer, *markdown;

#define FFFD "\xEF\xBF\xBD"

/* ---- documents ---------------------------------------------------------- */

static pk_doc *model_doc(void)
{
    pk_doc *doc = xt_new_doc("releases/2024-05-01-model.md");
    pk_value *meta = pk_doc_meta(doc);
    pk_value *ministers = pk_value_new_list(doc);
    pk_value *portfolios = pk_value_new_list(doc);
    xt_put(meta, "title", xt_str(doc, "Model release: <all> node types & more"));
    xt_put(meta, "date", xt_str(doc, "2024-05-01T09:30:00.123456+12:00"));
    xt_put(meta, "url", xt_str(doc, "https://example.org/releases/model"));
    xt_push(ministers, xt_str(doc, "Hon Ana Example"));
    xt_push(ministers, xt_str(doc, "Hon Ben Sample"));
    xt_put(meta, "ministers", ministers);
    xt_push(portfolios, xt_str(doc, "Testing"));
    xt_push(portfolios, xt_str(doc, "Quality"));
    xt_put(meta, "portfolios", portfolios);
    xt_put(meta, "lang", xt_str(doc, "en-NZ"));

    pk_node *root = pk_doc_root(doc), *p, *n;
    pk_node *hl = xt_node(doc, root, PK_NODE_LIST);
    xt_para(doc, xt_node(doc, hl, PK_NODE_ITEM), "First highlight");
    p = xt_node(doc, xt_node(doc, hl, PK_NODE_ITEM), PK_NODE_PARAGRAPH);
    xt_text(doc, p, "Second ");
    xt_text(doc, xt_node(doc, p, PK_NODE_EMPH), "highlight");

    p = xt_node(doc, root, PK_NODE_PARAGRAPH);
    xt_text(doc, p, "The lead has ");
    xt_text(doc, xt_node(doc, p, PK_NODE_EMPH), "emphasis");
    xt_text(doc, p, ", ");
    xt_text(doc, xt_node(doc, p, PK_NODE_STRONG), "strength");
    xt_text(doc, p, ", ");
    xt_lit(doc, p, PK_NODE_CODE, "a < b", 5);
    xt_node(doc, p, PK_NODE_SOFTBREAK);
    xt_text(doc, p, "a ");
    xt_text(doc, xt_target(doc, p, PK_NODE_LINK, "https://example.org/?q=1&r=2",
                           "The \"title\""),
            "link");
    xt_node(doc, p, PK_NODE_LINEBREAK);
    xt_lit(doc, p, PK_NODE_HTML_INLINE, "<b onclick=\"x()\">", 17);
    xt_text(doc, p, "raw inline");

    xt_para(doc, root,
            "\xE2\x80\x9CWe are testing every node,\xE2\x80\x9D Ana Example said.");

    n = xt_node(doc, root, PK_NODE_HEADING);
    xt_text(doc, n, "A level-one heading");
    n = xt_node(doc, root, PK_NODE_HEADING);
    assert_int_equal(pk_node_set_heading_level(n, 6), PK_OK);
    xt_text(doc, n, "A level-six heading");

    xt_para(doc, xt_node(doc, root, PK_NODE_BLOCK_QUOTE), "A block quote");

    pk_node *ol = xt_node(doc, root, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(ol, PK_LIST_ORDERED), PK_OK);
    assert_int_equal(pk_node_set_list_start(ol, 3), PK_OK);
    assert_int_equal(pk_node_set_list_tight(ol, false), PK_OK);
    xt_para(doc, xt_node(doc, ol, PK_NODE_ITEM), "three");
    xt_para(doc, xt_node(doc, ol, PK_NODE_ITEM), "four");

    pk_node *ul = xt_node(doc, root, PK_NODE_LIST);
    pk_node *item = xt_node(doc, ul, PK_NODE_ITEM);
    xt_para(doc, item, "tight item");
    xt_para(doc, xt_node(doc, xt_node(doc, item, PK_NODE_LIST), PK_NODE_ITEM),
            "nested item");

    static const char code[] = "if (a < b && c)\n\treturn ']]>';\n";
    n = xt_lit(doc, root, PK_NODE_CODE_BLOCK, code, sizeof code - 1);
    assert_int_equal(pk_node_set_fence_info(n, "c linenos", 9), PK_OK);
    xt_lit(doc, root, PK_NODE_HTML_BLOCK, "<script>alert(1)</script>\n", 26);
    xt_node(doc, root, PK_NODE_THEMATIC_BREAK);

    /* Images and links the renderer must treat differently. */
    p = xt_node(doc, root, PK_NODE_PARAGRAPH);
    xt_text(doc, xt_target(doc, p, PK_NODE_IMAGE, "https://example.org/a.png",
                           "Remote"),
            "remote image");
    xt_text(doc, p, " | ");
    xt_text(doc, xt_target(doc, p, PK_NODE_IMAGE, "images/b.png", "Local"),
            "local image");
    xt_text(doc, p, " | ");
    n = xt_target(doc, p, PK_NODE_LINK, "https://example.org/", NULL);
    xt_text(doc, xt_target(doc, n, PK_NODE_IMAGE, "//cdn.example.org/c.png", NULL),
            "image in a link");
    xt_text(doc, p, " | ");
    xt_text(doc, xt_target(doc, p, PK_NODE_LINK, "javascript:alert(1)", NULL),
            "script link");
    xt_text(doc, p, " | ");
    xt_text(doc, xt_target(doc, p, PK_NODE_LINK, " JaVa\tScRiPt:alert(1)", NULL),
            "hidden script link");
    xt_text(doc, p, " | ");
    xt_text(doc, xt_target(doc, p, PK_NODE_IMAGE, "data:image/png;base64,AAAA",
                           NULL),
            "data image");
    xt_text(doc, p, " | ");
    xt_target(doc, p, PK_NODE_IMAGE, "https://example.org/no-alt.png", NULL);
    xt_text(doc, p, " | ");
    n = xt_target(doc, p, PK_NODE_LINK, "https://example.org/outer", NULL);
    xt_text(doc, n, "outer ");
    xt_text(doc, xt_target(doc, n, PK_NODE_LINK, "https://example.org/inner", NULL),
            "inner");
    xt_text(doc, p, " | ");
    xt_text(doc, xt_target(doc, p, PK_NODE_IMAGE, "", NULL), "no source");
    xt_text(doc, p, " | ");
    xt_text(doc, xt_target(doc, p, PK_NODE_LINK, "mailto:press@example.org", NULL),
            "mail");
    xt_node(doc, root, PK_NODE_PARAGRAPH); /* empty: <p></p>, never <p/> */
    xt_finish(doc);
    return doc;
}

static pk_doc *small_doc(const char *source, const char *title,
                         const char *date, const char *url)
{
    pk_doc *doc = xt_new_doc(source);
    xt_put(pk_doc_meta(doc), "title", xt_str(doc, title));
    xt_put(pk_doc_meta(doc), "date", xt_str(doc, date));
    if (url)
        xt_put(pk_doc_meta(doc), "url", xt_str(doc, url));
    xt_para(doc, pk_doc_root(doc), "Body text.");
    xt_finish(doc);
    return doc;
}

/* Checks what every content document must be: well-formed, the XHTML
 * namespace, nothing live from the input. */
static xmlDocPtr check_page(const char *out, size_t len)
{
    xmlDocPtr x = xt_parse(out, len);
    xmlNodePtr root = xmlDocGetRootElement(x);
    assert_string_equal((const char *)root->name, "html");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href,
                        "http://www.w3.org/1999/xhtml");
    assert_int_equal(xt_count(root, "script"), 0);
    assert_int_equal(xt_count(root, "iframe"), 0);
    assert_false(xt_has_attr_prefix(root, "on"));
    assert_null(strstr(out, "href=\"javascript"));
    assert_null(strstr(out, "src=\"data:"));
    assert_true(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<!DOCTYPE html>\n", 55) == 0);
    return x;
}

/* ---- content documents -------------------------------------------------- */

static void test_golden_model(void **state)
{
    (void)state;
    pk_doc *doc = model_doc();
    size_t len;
    char *out = xt_write(writer, (const pk_doc *const[]){doc}, 1,
                         PK_OUTPUT_SINGLE, NULL, &len);
    xt_golden(golden_dir, "model.xhtml", out, len);
    xmlDocPtr x = check_page(out, len);
    xmlNodePtr root = xmlDocGetRootElement(x);
    /* Remote images became links, the local one stayed an image. */
    assert_int_equal(xt_count(root, "img"), 1);
    assert_int_equal(xt_count(root, "a") > 0, 1);
    xmlFreeDoc(x);
    free(out);
    pk_doc_free(doc);
}

static void test_golden_markdown(void **state)
{
    (void)state;
    if (!markdown)
        skip();
    char path[4096];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/release.md", golden_dir);
    char *md = xt_read_file(path, &len);
    assert_non_null(md);
    pk_doc *doc;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_read(markdown, NULL, "golden/release.md", md, len, &doc, &d),
                 &d);
    char *out = xt_write(writer, (const pk_doc *const[]){doc}, 1,
                         PK_OUTPUT_SINGLE, NULL, &len);
    xt_golden(golden_dir, "release.xhtml", out, len);
    xmlFreeDoc(check_page(out, len));
    free(out);
    free(md);
    pk_doc_free(doc);
}

static void test_hostile(void **state)
{
    (void)state;
    static const char evil[] =
        "& < > \" ' ]]> <script>alert(1)</script> \x01\x0B\x1F \xEF\xBF\xBE "
        "\xEF\xBF\xBF \xFF";
    const size_t n = sizeof evil - 1;
    pk_doc *doc = xt_new_doc("hostile.md");
    pk_value *meta = pk_doc_meta(doc);
    xt_put(meta, "title", xt_strn(doc, evil, n));
    xt_put(meta, "date", xt_str(doc, "2024-05-14"));
    xt_put(meta, "ministers", xt_str(doc, "</p><script>x</script>"));
    xt_put(meta, "lang", xt_str(doc, "en"));
    pk_node *root = pk_doc_root(doc);
    pk_node *hl = xt_node(doc, root, PK_NODE_LIST);
    pk_node *p = xt_node(doc, xt_node(doc, hl, PK_NODE_ITEM), PK_NODE_PARAGRAPH);
    xt_lit(doc, p, PK_NODE_HTML_INLINE, "<img src=x onerror=alert(1)>", 28);
    p = xt_node(doc, root, PK_NODE_PARAGRAPH);
    xt_lit(doc, p, PK_NODE_TEXT, evil, n);
    xt_text(doc, xt_target(doc, p, PK_NODE_LINK, evil, evil), "link");
    xt_text(doc, xt_target(doc, p, PK_NODE_IMAGE, evil, evil), "image");
    xt_lit(doc, root, PK_NODE_HTML_BLOCK, "<iframe src=\"https://x/\"></iframe>\n", 35);
    pk_node *cb = xt_lit(doc, root, PK_NODE_CODE_BLOCK, evil, n);
    assert_int_equal(pk_node_set_fence_info(cb, evil, n), PK_OK);
    xt_finish(doc);

    size_t len;
    char *out = xt_write(writer, (const pk_doc *const[]){doc}, 1,
                         PK_OUTPUT_SINGLE, NULL, &len);
    assert_int_equal(strlen(out), len);
    xmlDocPtr x = check_page(out, len);
    xmlNodePtr root_el = xmlDocGetRootElement(x);
    char *s = xt_content(xt_find(root_el, "title"));
    assert_string_equal(s, "& < > \" ' ]]> <script>alert(1)</script> " FFFD
                           FFFD FFFD " " FFFD " " FFFD " " FFFD);
    xmlFree(s);
    /* Raw HTML shows as its source, as text. */
    xmlNodePtr pre = xt_find(root_el, "pre");
    s = (char *)xmlGetProp(pre, BAD_CAST "class");
    assert_string_equal(s, "raw-html");
    xmlFree(s);
    s = xt_content(pre);
    assert_string_equal(s, "<iframe src=\"https://x/\"></iframe>\n");
    xmlFree(s);
    s = xt_content(xt_find(root_el, "li"));
    assert_string_equal(s, "<img src=x onerror=alert(1)>");
    xmlFree(s);
    xmlFreeDoc(x);
    free(out);
    pk_doc_free(doc);
}

static void test_stream_refuses_second(void **state)
{
    (void)state;
    pk_doc *a = small_doc("a.md", "First", "2024-01-01", NULL);
    pk_sink *sink;
    void *st;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&st, sink, NULL, PK_OUTPUT_SINGLE, &d), &d);
    PK_ASSERT_OK(writer->writer->write(st, a, &d), &d);
    assert_int_equal(writer->writer->write(st, a, &d), PK_EINVAL);
    assert_non_null(strstr(d.message, "-O DIR"));
    PK_ASSERT_OK(writer->writer->close(st, &d), &d);
    size_t len;
    const char *out = pk_sink_memory_data(sink, &len);
    xmlFreeDoc(check_page(out, len));
    pk_sink_free(sink);
    pk_doc_free(a);
}

/* Without -O the stylesheet is linked as given, not copied. */
static void test_stream_css(void **state)
{
    (void)state;
    pk_doc *a = small_doc("a.md", "First", "2024-01-01", NULL);
    const xt_option css[] = {{"css", "styles/press & co.css"}, {NULL, NULL}};
    size_t len;
    char *out = xt_write(writer, (const pk_doc *const[]){a}, 1,
                         PK_OUTPUT_SINGLE, css, &len);
    assert_non_null(strstr(out, "<link rel=\"stylesheet\" "
                                "href=\"styles/press &amp; co.css\"/>\n"));
    free(out);
    pk_doc_free(a);
}

static void test_depth_limit(void **state)
{
    (void)state;
    pk_doc *doc = small_doc("deep.md", "Deep", "2024-01-01", NULL);
    pk_node *n = pk_doc_root(doc);
    for (int i = 0; i < 300; i++)
        n = xt_node(doc, n, PK_NODE_BLOCK_QUOTE);
    pk_sink *sink;
    void *st;
    pk_diag d = PK_DIAG_INIT;
    size_t len;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&st, sink, NULL, PK_OUTPUT_SINGLE, &d), &d);
    assert_int_equal(writer->writer->write(st, doc, &d), PK_ELIMIT);
    assert_non_null(strstr(d.message, "nested deeper than the 200 levels"));
    PK_ASSERT_OK(writer->writer->close(st, &d), &d);
    assert_int_equal(pk_sink_memory_data(sink, &len)[0], '\0');
    pk_sink_free(sink);
    pk_doc_free(doc);
}

/* ---- the EPUB folder ---------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static char *temp_dir(void)
{
    char *dir = strdup("/tmp/pk-test-xhtml-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_tree(char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

static char *book_file(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *data = xt_read_file(path, len);
    if (!data)
        fail_msg("%s was not written", path);
    return data;
}

static bool book_has(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

/* Writes docs as an EPUB folder into a new temporary directory. */
static char *write_book(const pk_doc *const *docs, size_t n,
                        const xt_option *opt)
{
    char *dir = temp_dir();
    pk_sink *sink;
    pk_options *opts;
    void *st;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_directory(&sink, dir, &d), &d);
    PK_ASSERT_OK(pk_options_new(&opts, "xhtml", writer->options), &d);
    for (; opt && opt->name; opt++)
        PK_ASSERT_OK(pk_options_set(opts, opt->name, opt->value, &d), &d);
    PK_ASSERT_OK(writer->writer->open(&st, sink, opts, 0, &d), &d);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_OK(writer->writer->write(st, docs[i], &d), &d);
    PK_ASSERT_OK(writer->writer->close(st, &d), &d);
    PK_ASSERT_OK(pk_sink_commit(sink, &d), &d);
    pk_sink_free(sink);
    pk_options_free(opts);
    return dir;
}

/* Four releases whose names collide and whose dates tie, out of order. */
static void book_docs(pk_doc *docs[4])
{
    /* 2024-01-31T19:15:30Z: the newest. */
    docs[0] = small_doc("a/x.md", "Zeta", "2024-02-01T08:15:30+13:00",
                        "https://example.org/1");
    /* 2024-01-02T00:00:00Z, tied with the next: by title, Beta second. */
    docs[1] = small_doc("b/x.md", "Beta", "2024-01-02T13:00:00+13:00",
                        "https://example.org/2");
    docs[2] = small_doc("x-2.md", "Alpha", "2024-01-02", "https://example.org/3");
    /* 2024-01-01T00:59:59Z, the oldest; no usable file name. */
    docs[3] = small_doc("", "Omega", "2023-12-31T23:59:59-01:00",
                        "https://example.org/4");
}

static void test_epub_folder(void **state)
{
    (void)state;
    pk_doc *docs[4];
    book_docs(docs);
    char *dir = write_book((const pk_doc *const *)docs, 4, NULL);
    size_t len;

    char *mt = book_file(dir, "mimetype", &len);
    assert_int_equal(len, 20);
    assert_memory_equal(mt, "application/epub+zip", 20);
    free(mt);

    /* Names from the sources, collisions numbered in input order. */
    const char *names[] = {"text/x.xhtml", "text/x-2.xhtml", "text/x-2-2.xhtml",
                           "text/release.xhtml"};
    for (size_t i = 0; i < 4; i++) {
        char *page = book_file(dir, names[i], &len);
        xmlFreeDoc(check_page(page, len));
        free(page);
    }
    assert_false(book_has(dir, "style.css"));

    char *nav = book_file(dir, "nav.xhtml", &len);
    xt_golden(golden_dir, "book-nav.xhtml", nav, len);
    xmlFreeDoc(check_page(nav, len));
    /* Date order, ties by title. */
    const char *a = strstr(nav, "text/release.xhtml");
    const char *b = strstr(nav, "text/x-2-2.xhtml");
    const char *c = strstr(nav, "text/x-2.xhtml");
    const char *e = strstr(nav, "text/x.xhtml");
    assert_true(a && b && c && e && a < b && b < c && c < e);
    free(nav);

    char *opf = book_file(dir, "package.opf", &len);
    xt_golden(golden_dir, "book-package.opf", opf, len);
    xmlFreeDoc(xt_parse(opf, len));
    /* uuid5(NAMESPACE_URL, the sorted ids each followed by "\n"). */
    assert_non_null(strstr(opf, "urn:uuid:caa0a999-cc53-586c-be9a-cea1234a1c4b"));
    assert_non_null(strstr(opf, ">2024-01-31T19:15:30Z</meta>"));
    free(opf);

    char *container = book_file(dir, "META-INF/container.xml", &len);
    xt_golden(golden_dir, "book-container.xml", container, len);
    free(container);

    /* Written again: the same bytes, identifier and timestamp included
     * (nothing depends on the clock). */
    char *again = write_book((const pk_doc *const *)docs, 4, NULL);
    const char *files[] = {"nav.xhtml", "package.opf", "text/x-2.xhtml",
                           "META-INF/container.xml", "mimetype"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t l1, l2;
        char *f1 = book_file(dir, files[i], &l1);
        char *f2 = book_file(again, files[i], &l2);
        assert_int_equal(l1, l2);
        assert_memory_equal(f1, f2, l1);
        free(f1);
        free(f2);
    }
    remove_tree(again);
    remove_tree(dir);
    for (size_t i = 0; i < 4; i++)
        pk_doc_free(docs[i]);
}

static void test_epub_css(void **state)
{
    (void)state;
    char *cssdir = temp_dir();
    char css[4096];
    snprintf(css, sizeof css, "%s/my style.css", cssdir);
    static const char sheet[] = "body { margin: 0 }\n/* \xC3\xA9 */\n";
    xt_write_file(css, sheet, sizeof sheet - 1);
    const xt_option opt[] = {{"css", css}, {"title", "Book & <title>"},
                             {NULL, NULL}};
    pk_doc *doc = small_doc("one.md", "One", "2024-01-01", NULL);
    char *dir = write_book((const pk_doc *const[]){doc}, 1, opt);
    size_t len;
    char *copy = book_file(dir, "style.css", &len);
    assert_int_equal(len, sizeof sheet - 1);
    assert_memory_equal(copy, sheet, len);
    free(copy);
    char *page = book_file(dir, "text/one.xhtml", &len);
    assert_non_null(strstr(page, "<link rel=\"stylesheet\" href=\"../style.css\"/>"));
    free(page);
    char *nav = book_file(dir, "nav.xhtml", &len);
    assert_non_null(strstr(nav, "<link rel=\"stylesheet\" href=\"style.css\"/>"));
    assert_non_null(strstr(nav, "<h1>Book &amp; &lt;title&gt;</h1>"));
    free(nav);
    char *opf = book_file(dir, "package.opf", &len);
    assert_non_null(strstr(opf, "<item id=\"style\" href=\"style.css\" "
                                "media-type=\"text/css\"/>"));
    assert_non_null(strstr(opf, "<dc:title>Book &amp; &lt;title&gt;</dc:title>"));
    /* Without a url the id is a tag: URI, still a stable identifier. */
    assert_non_null(strstr(opf, "urn:uuid:"));
    free(opf);
    remove_tree(dir);
    remove_tree(cssdir);
    pk_doc_free(doc);
}

static void test_epub_css_missing(void **state)
{
    (void)state;
    char *dir = temp_dir();
    pk_sink *sink;
    pk_options *opts;
    void *st = NULL;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_directory(&sink, dir, &d), &d);
    PK_ASSERT_OK(pk_options_new(&opts, "xhtml", writer->options), &d);
    PK_ASSERT_OK(pk_options_set(opts, "css", "/nonexistent/style.css", &d), &d);
    assert_int_equal(writer->writer->open(&st, sink, opts, 0, &d), PK_EIO);
    char buf[2048];
    PK_ASSERT_STR("/nonexistent/style.css: xhtml.css: cannot read the "
                  "stylesheet: No such file or directory",
                  pk_diag_format(&d, buf, sizeof buf));
    pk_sink_free(sink);
    pk_options_free(opts);
    remove_tree(dir);
}

/* No release, no book: nothing is written. */
static void test_epub_empty(void **state)
{
    (void)state;
    char *dir = write_book(NULL, 0, NULL);
    assert_false(book_has(dir, "mimetype"));
    assert_false(book_has(dir, "package.opf"));
    remove_tree(dir);
}

/* ---- threads ------------------------------------------------------------ */

typedef struct job {
    const pk_doc *doc;
    char *out;
} job;

static void *thread_main(void *arg)
{
    job *j = arg;
    char *last = NULL;
    for (int i = 0; i < 20; i++) {
        pk_sink *sink;
        void *st;
        pk_diag d = PK_DIAG_INIT;
        size_t len;
        if (pk_sink_new_memory(&sink) ||
            writer->writer->open(&st, sink, NULL, PK_OUTPUT_SINGLE, &d))
            return NULL;
        int rc = writer->writer->write(st, j->doc, &d);
        rc |= writer->writer->close(st, &d);
        const char *data = pk_sink_memory_data(sink, &len);
        free(last);
        last = rc ? NULL : strndup(data, len);
        pk_sink_free(sink);
    }
    j->out = last;
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pk_doc *doc = model_doc();
    char *expected = xt_write_one(writer, doc);
    pthread_t t[4];
    job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].doc = doc;
        jobs[i].out = NULL;
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_non_null(jobs[i].out);
        assert_string_equal(jobs[i].out, expected);
        free(jobs[i].out);
    }
    free(expected);
    pk_doc_free(doc);
}

/* ---- SHA-1 and UUIDs ---------------------------------------------------- */

static void sha1_hex(const void *data, size_t len, size_t chunk, char out[41])
{
    pkx_sha1 s;
    unsigned char d[20];
    const unsigned char *p = data;
    pkx_sha1_init(&s);
    while (len > 0) {
        size_t n = len < chunk ? len : chunk;
        pkx_sha1_update(&s, p, n);
        p += n;
        len -= n;
    }
    pkx_sha1_final(&s, d);
    for (int i = 0; i < 20; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_sha1(void **state)
{
    (void)state;
    char hex[41];
    /* FIPS 180 examples. */
    sha1_hex("", 0, 1, hex);
    assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    sha1_hex("abc", 3, 64, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    static const char two_blocks[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    for (size_t chunk = 1; chunk <= 64; chunk += 7) {
        sha1_hex(two_blocks, sizeof two_blocks - 1, chunk, hex);
        assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    sha1_hex(million, 1000000, 4093, hex);
    assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    free(million);
}

static void test_uuid5(void **state)
{
    (void)state;
    static const unsigned char ns_dns[16] = {
        0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
        0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    pkx_sha1 s;
    char uuid[37];
    /* Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"). */
    pkx_uuid5_init(&s, ns_dns);
    pkx_sha1_update(&s, "python.org", 10);
    pkx_uuid5_final(&s, uuid);
    assert_string_equal(uuid, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    pkx_uuid5_init(&s, pkx_uuid_ns_url);
    pkx_uuid5_final(&s, uuid);
    assert_string_equal(uuid, "1b4db7eb-4057-5ddf-91e0-36dec72071f5");
}

/* ---- the descriptor ----------------------------------------------------- */

static void test_descriptor(void **state)
{
    (void)state;
    assert_string_equal(writer->name, "xhtml");
    assert_int_equal(writer->kind, PK_PLUGIN_WRITER);
    assert_string_equal(writer->extensions[0], "xhtml");
    assert_null(writer->extensions[1]);
    assert_string_equal(writer->media_type, "application/xhtml+xml");
    assert_int_equal(writer->flags,
                     PK_PLUGIN_AGGREGATE | PK_PLUGIN_ONE_PER_OUTPUT);
}

/* ---- main --------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    pk_diag d = PK_DIAG_INIT;
    char buf[2048];
    if (pk_context_new(&ctx) != PK_OK)
        return -1;
    for (size_t i = 0; i < 2 && module_paths[i]; i++) {
        if (pk_context_load_file(ctx, module_paths[i], &d) != PK_OK) {
            fprintf(stderr, "%s\n", pk_diag_format(&d, buf, sizeof buf));
            return -1;
        }
    }
    writer = pk_context_find(ctx, PK_PLUGIN_WRITER, "xhtml");
    markdown = pk_context_find(ctx, PK_PLUGIN_READER, "markdown");
    return writer ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pk_context_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s XHTML.so GOLDEN_DIR [MARKDOWN.so]\n",
                argv[0]);
        return 2;
    }
    module_paths[0] = argv[1];
    golden_dir = argv[2];
    module_paths[1] = argc > 3 ? argv[3] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_sha1),
        cmocka_unit_test(test_uuid5),
        cmocka_unit_test(test_golden_model),
        cmocka_unit_test(test_golden_markdown),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_stream_refuses_second),
        cmocka_unit_test(test_stream_css),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_epub_folder),
        cmocka_unit_test(test_epub_css),
        cmocka_unit_test(test_epub_css_missing),
        cmocka_unit_test(test_epub_empty),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
