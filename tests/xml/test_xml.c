/*
 * test_xml.c - the xml writer module: exact output (golden files),
 * collections, hostile text, nesting limits, output errors and threads.
 *
 * Usage: test_xml XML.so GOLDEN_DIR [MARKDOWN.so]
 * PK_UPDATE_GOLDEN=1 rewrites the golden files (review the diff).
 */
#include <pthread.h>

#include "xmltest.h"

#define NS "https://presskit.invalid/ns/release/1"

static const char *module_paths[2];
static const char *golden_dir;
static pk_context *ctx;
static const pk_plugin *writer, *markdown;

/* ---- documents ---------------------------------------------------------- */

/*
 * A release with every kind of node and value: the known fields (ministers
 * as a list, portfolios as a single string), typed metadata with nesting,
 * a quote, and text that needs escaping.
 */
static pk_doc *model_doc(void)
{
    pk_doc *doc = xt_new_doc("releases/2024-05-01-model.md");
    pk_value *meta = pk_doc_meta(doc);
    pk_value *ministers = pk_value_new_list(doc);
    pk_value *extra = pk_value_new_map(doc);
    pk_value *list = pk_value_new_list(doc);
    pk_value *inner = pk_value_new_map(doc);

    xt_put(meta, "title", xt_str(doc, "Model release: <all> node types & values"));
    xt_put(meta, "date", xt_str(doc, "2024-05-01T09:30:00+12:00"));
    xt_put(meta, "url", xt_str(doc, "https://example.org/releases/model?a=1&b=2"));
    xt_push(ministers, xt_str(doc, "Hon Ana Example"));
    xt_push(ministers, xt_str(doc, "Hon Ben Sample"));
    xt_put(meta, "ministers", ministers);
    xt_put(meta, "portfolios", xt_str(doc, "Testing"));
    xt_put(meta, "lang", xt_str(doc, "en-NZ"));
    xt_put(meta, "count", pk_value_new_integer(doc, -9007199254740993LL));
    xt_put(meta, "tenth", pk_value_new_real(doc, 0.1));
    xt_put(meta, "third", pk_value_new_real(doc, 1.0 / 3.0));
    xt_put(meta, "avogadro", pk_value_new_real(doc, 6.02e23));
    xt_put(meta, "whole", pk_value_new_real(doc, 3.0));
    xt_put(meta, "draft", pk_value_new_bool(doc, false));
    xt_put(meta, "nothing", pk_value_new_null(doc));
    xt_put(meta, "empty", xt_str(doc, ""));
    xt_push(list, xt_str(doc, "one"));
    xt_push(list, pk_value_new_integer(doc, 2));
    xt_push(list, pk_value_new_null(doc));
    xt_push(list, pk_value_new_list(doc));
    xt_put(inner, "k", xt_str(doc, "v\twith tab\r\nand CRLF"));
    xt_push(list, inner);
    xt_put(extra, "list", list);
    xt_put(extra, "empty map", pk_value_new_map(doc));
    xt_put(meta, "extra", extra);

    pk_node *root = pk_doc_root(doc);
    pk_node *hl = xt_node(doc, root, PK_NODE_LIST);
    xt_para(doc, xt_node(doc, hl, PK_NODE_ITEM), "First highlight");
    xt_para(doc, xt_node(doc, hl, PK_NODE_ITEM), "Second & <last> highlight");

    pk_node *p = xt_node(doc, root, PK_NODE_PARAGRAPH);
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
    xt_lit(doc, p, PK_NODE_HTML_INLINE, "<kbd>", 5);
    xt_text(doc, p, "  two spaces kept  ");

    xt_para(doc, root,
            "\xE2\x80\x9CWe are testing every node,\xE2\x80\x9D Ana Example said.");

    pk_node *h = xt_node(doc, root, PK_NODE_HEADING);
    assert_int_equal(pk_node_set_heading_level(h, 2), PK_OK);
    xt_text(doc, h, "A section");

    xt_para(doc, xt_node(doc, root, PK_NODE_BLOCK_QUOTE), "A block quote");

    pk_node *ol = xt_node(doc, root, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(ol, PK_LIST_ORDERED), PK_OK);
    assert_int_equal(pk_node_set_list_start(ol, 3), PK_OK);
    assert_int_equal(pk_node_set_list_tight(ol, false), PK_OK);
    xt_para(doc, xt_node(doc, ol, PK_NODE_ITEM), "three");
    xt_para(doc, xt_node(doc, ol, PK_NODE_ITEM), "four");

    static const char code[] = "if (a < b && c)\n\treturn ']]>';\n";
    pk_node *cb = xt_lit(doc, root, PK_NODE_CODE_BLOCK, code, sizeof code - 1);
    assert_int_equal(pk_node_set_fence_info(cb, "c linenos", 9), PK_OK);
    xt_lit(doc, root, PK_NODE_HTML_BLOCK, "<div onclick=\"x()\">raw</div>\n", 29);
    xt_node(doc, root, PK_NODE_THEMATIC_BREAK);

    p = xt_node(doc, root, PK_NODE_PARAGRAPH);
    xt_text(doc, xt_target(doc, p, PK_NODE_IMAGE, "https://example.org/a.png",
                           "Remote"),
            "remote image");
    xt_text(doc, p, " ");
    xt_text(doc, xt_target(doc, p, PK_NODE_IMAGE, "images/b.png", NULL),
            "local image");
    xt_node(doc, root, PK_NODE_PARAGRAPH); /* an empty paragraph */
    xt_finish(doc);
    return doc;
}

/* A minimal valid release. */
static pk_doc *small_doc(const char *source, const char *title,
                         const char *date)
{
    pk_doc *doc = xt_new_doc(source);
    xt_put(pk_doc_meta(doc), "title", xt_str(doc, title));
    xt_put(pk_doc_meta(doc), "date", xt_str(doc, date));
    xt_para(doc, pk_doc_root(doc), "Body text.");
    xt_finish(doc);
    return doc;
}

/* ---- exact output ------------------------------------------------------- */

static void test_golden_model(void **state)
{
    (void)state;
    pk_doc *doc = model_doc();
    size_t len;
    const pk_doc *docs[] = {doc};
    char *out = xt_write(writer, docs, 1, PK_OUTPUT_SINGLE, NULL, &len);
    xt_golden(golden_dir, "model.xml", out, len);
    xmlFreeDoc(xt_parse(out, len));
    free(out);

    const xt_option compact[] = {{"indent", "false"}, {NULL, NULL}};
    out = xt_write(writer, docs, 1, PK_OUTPUT_SINGLE, compact, &len);
    xt_golden(golden_dir, "model-compact.xml", out, len);
    free(out);
    pk_doc_free(doc);
}

/* Indentation only adds whitespace between elements: with the
 * whitespace-only text nodes dropped, both forms are the same tree. */
static void test_indent_is_insignificant(void **state)
{
    (void)state;
    pk_doc *doc = model_doc();
    const pk_doc *docs[] = {doc};
    const xt_option compact[] = {{"indent", "false"}, {NULL, NULL}};
    size_t l1, l2;
    char *a = xt_write(writer, docs, 1, PK_OUTPUT_SINGLE, NULL, &l1);
    char *b = xt_write(writer, docs, 1, PK_OUTPUT_SINGLE, compact, &l2);
    xmlDocPtr x1 = xmlReadMemory(a, (int)l1, NULL, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    xmlDocPtr x2 = xmlReadMemory(b, (int)l2, NULL, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    assert_non_null(x1);
    assert_non_null(x2);
    xmlChar *s1, *s2;
    int n1, n2;
    xmlDocDumpMemory(x1, &s1, &n1);
    xmlDocDumpMemory(x2, &s2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(s1, s2, (size_t)n1);
    xmlFree(s1);
    xmlFree(s2);
    xmlFreeDoc(x1);
    xmlFreeDoc(x2);
    free(a);
    free(b);
    pk_doc_free(doc);
}

/* Through the markdown reader: a release as an author writes it. */
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
    xt_golden(golden_dir, "release.xml", out, len);
    free(out);
    free(md);
    pk_doc_free(doc);
}

/* ---- collections -------------------------------------------------------- */

static void test_collection(void **state)
{
    (void)state;
    pk_doc *a = small_doc("a.md", "First", "2024-01-01");
    pk_doc *b = small_doc("b.md", "Second", "2024-01-02");
    const pk_doc *docs[] = {a, b};
    size_t len;
    char *out = xt_write(writer, docs, 2, 0, NULL, &len);
    xmlDocPtr x = xt_parse(out, len);
    xmlNodePtr root = xmlDocGetRootElement(x);
    assert_string_equal((const char *)root->name, "releases");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href, NS);
    assert_int_equal(xt_count(root, "release"), 2);
    xmlNodePtr first = xt_find(root, "release");
    assert_non_null(first->ns);
    assert_string_equal((const char *)first->ns->href, NS);
    char *t = xt_content(xt_find(first, "title"));
    assert_string_equal(t, "First");
    xmlFree(t);
    xmlFreeDoc(x);
    free(out);

    /* A collection of one is still a collection. */
    out = xt_write(writer, docs, 1, 0, NULL, &len);
    x = xt_parse(out, len);
    assert_string_equal((const char *)xmlDocGetRootElement(x)->name, "releases");
    xmlFreeDoc(x);
    free(out);

    /* And of none, an empty one. */
    out = xt_write(writer, docs, 0, 0, NULL, &len);
    PK_ASSERT_STR("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<releases xmlns=\"" NS "\"/>\n",
                  out);
    free(out);
    pk_doc_free(a);
    pk_doc_free(b);
}

static void test_single_refuses_second(void **state)
{
    (void)state;
    pk_doc *a = small_doc("a.md", "First", "2024-01-01");
    pk_sink *sink;
    void *st;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&st, sink, NULL, PK_OUTPUT_SINGLE, &d), &d);
    PK_ASSERT_OK(writer->writer->write(st, a, &d), &d);
    assert_int_equal(writer->writer->write(st, a, &d), PK_EINVAL);
    assert_non_null(strstr(d.message, "second document"));
    PK_ASSERT_OK(writer->writer->close(st, &d), &d);
    size_t len;
    const char *out = pk_sink_memory_data(sink, &len);
    xmlDocPtr x = xt_parse(out, len);
    assert_int_equal(xt_count(xmlDocGetRootElement(x), "title"), 1);
    xmlFreeDoc(x);
    pk_sink_free(sink);
    pk_doc_free(a);
}

/* ---- hostile text ------------------------------------------------------- */

/* Every C0 control, then U+FFFE, U+FFFF, a lone continuation byte, an
 * overlong '<', an encoded surrogate and a truncated sequence. */
static const char hostile[] =
    "& < > \" ' ]]> <script>alert(1)</script> <![CDATA[x]]> <!-- c --> "
    "\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0B\x0C\r\x0E\x0F"
    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F"
    " \xEF\xBF\xBE \xEF\xBF\xBF \x80 \xC0\xBC \xED\xA0\x80 \xE2\x82";

/* What a parser must read back: each forbidden character or bad byte is
 * one U+FFFD (the surrogate's three bytes are three bad bytes). */
#define FFFD "\xEF\xBF\xBD"
static const char hostile_read[] =
    "& < > \" ' ]]> <script>alert(1)</script> <![CDATA[x]]> <!-- c --> "
    FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD "\t\n" FFFD FFFD "\r" FFFD FFFD
    FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD
    " " FFFD " " FFFD " " FFFD " " FFFD FFFD " " FFFD FFFD FFFD " " FFFD FFFD;

static pk_doc *hostile_doc(void)
{
    const size_t n = sizeof hostile - 1;
    pk_doc *doc = xt_new_doc("hostile.md");
    pk_value *meta = pk_doc_meta(doc);
    pk_value *list = pk_value_new_list(doc);
    xt_put(meta, "title", xt_str(doc, "Title </title><script>x</script>"));
    xt_put(meta, "date", xt_str(doc, "2024-05-14"));
    xt_put(meta, "ministers", xt_str(doc, "Pat \"O'Brien\" & <Co>"));
    xt_put(meta, "hostile", xt_strn(doc, hostile, n));
    /* A key with the same text, and a value with a NUL in it. */
    assert_int_equal(pk_value_map_append(meta, hostile, n, xt_strn(doc, "a\0b", 3)),
                     PK_OK);
    xt_push(list, xt_strn(doc, hostile, n));
    xt_put(meta, "list", list);

    pk_node *root = pk_doc_root(doc);
    pk_node *p = xt_node(doc, root, PK_NODE_PARAGRAPH);
    xt_lit(doc, p, PK_NODE_TEXT, hostile, n);
    xt_text(doc, xt_target(doc, p, PK_NODE_LINK, hostile, hostile), "link");
    xt_lit(doc, p, PK_NODE_HTML_INLINE, "<script>alert(1)</script>", 25);
    xt_lit(doc, root, PK_NODE_HTML_BLOCK, "<script>alert(2)</script>\n", 26);
    pk_node *cb = xt_lit(doc, root, PK_NODE_CODE_BLOCK, hostile, n);
    assert_int_equal(pk_node_set_fence_info(cb, hostile, n), PK_OK);
    xt_finish(doc);
    return doc;
}

static void check_hostile(const char *out, size_t len)
{
    xmlDocPtr x = xt_parse(out, len);
    xmlNodePtr root = xmlDocGetRootElement(x);
    assert_int_equal(xt_count(root, "script"), 0);
    assert_int_equal(strlen(out), len); /* no NUL reached the output */

    char *s = xt_content(xt_find(root, "title"));
    assert_string_equal(s, "Title </title><script>x</script>");
    xmlFree(s);
    /* Character data, attribute values and keys all read back as the
     * cleaned text: nothing broke out, nothing was lost but what XML
     * cannot carry. */
    xmlNodePtr text = xt_find(xt_find(root, "body"), "text");
    s = xt_content(text);
    assert_string_equal(s, hostile_read);
    xmlFree(s);
    xmlNodePtr link = xt_find(root, "link");
    s = (char *)xmlGetProp(link, BAD_CAST "url");
    assert_string_equal(s, hostile_read);
    xmlFree(s);
    s = (char *)xmlGetProp(xt_find(root, "code_block"), BAD_CAST "info");
    assert_string_equal(s, hostile_read);
    xmlFree(s);
    s = xt_content(xt_find(root, "code_block"));
    assert_string_equal(s, hostile_read);
    xmlFree(s);
    bool key_found = false, nul_found = false;
    for (xmlNodePtr n = xt_find(root, "meta")->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *k = xmlGetProp(n, BAD_CAST "key");
        if (k && strcmp((char *)k, hostile_read) == 0) {
            key_found = true;
            s = xt_content(n);
            assert_string_equal(s, "a" FFFD "b");
            nul_found = true;
            xmlFree(s);
        }
        xmlFree(k);
    }
    assert_true(key_found);
    assert_true(nul_found);
    s = xt_content(xt_find(root, "html_inline"));
    assert_string_equal(s, "<script>alert(1)</script>");
    xmlFree(s);
    xmlFreeDoc(x);
}

static void test_hostile(void **state)
{
    (void)state;
    pk_doc *doc = hostile_doc();
    const pk_doc *docs[] = {doc, doc};
    const xt_option compact[] = {{"indent", "false"}, {NULL, NULL}};
    size_t len;
    char *out = xt_write_one(writer, doc);
    len = strlen(out);
    check_hostile(out, len);
    free(out);
    out = xt_write(writer, docs, 2, 0, compact, &len);
    check_hostile(out, len);
    free(out);
    pk_doc_free(doc);
}

/* ---- limits and errors -------------------------------------------------- */

/* A body nested depth block quotes deep. */
static pk_doc *deep_doc(size_t depth)
{
    pk_doc *doc = xt_new_doc("deep.md");
    xt_put(pk_doc_meta(doc), "title", xt_str(doc, "Deep"));
    xt_put(pk_doc_meta(doc), "date", xt_str(doc, "2024-01-01"));
    pk_node *n = pk_doc_root(doc);
    for (size_t i = 1; i < depth; i++)
        n = xt_node(doc, n, PK_NODE_BLOCK_QUOTE);
    xt_node(doc, n, PK_NODE_THEMATIC_BREAK);
    xt_finish(doc);
    return doc;
}

static void test_depth_limit(void **state)
{
    (void)state;
    /* At the limit: written, and a parser with default limits reads it. */
    pk_doc *ok = deep_doc(200);
    size_t len;
    char *out = xt_write(writer, (const pk_doc *const[]){ok}, 1, 0, NULL, &len);
    xmlFreeDoc(xt_parse(out, len));
    free(out);
    pk_doc_free(ok);

    /* Beyond it: refused before anything of the document is written. */
    pk_doc *deep = deep_doc(201);
    pk_sink *sink;
    void *st;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&st, sink, NULL, PK_OUTPUT_SINGLE, &d), &d);
    assert_int_equal(writer->writer->write(st, deep, &d), PK_ELIMIT);
    PK_ASSERT_STR("deep.md: body: nested deeper than the 200 levels an XML "
                  "parser accepts by default",
                  pk_diag_format(&d, (char[256]){0}, 256));
    PK_ASSERT_OK(writer->writer->close(st, &d), &d);
    assert_int_equal(pk_sink_memory_data(sink, &len)[0], '\0');
    pk_sink_free(sink);
    pk_doc_free(deep);

    /* The same for metadata. */
    pk_doc *doc = small_doc("meta.md", "Meta", "2024-01-01");
    pk_value *v = pk_value_new_list(doc);
    xt_put(pk_doc_meta(doc), "deep", v);
    for (int i = 0; i < 250; i++) {
        pk_value *inner = pk_value_new_list(doc);
        xt_push(v, inner);
        v = inner;
    }
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&st, sink, NULL, 0, &d), &d);
    assert_int_equal(writer->writer->write(st, doc, &d), PK_ELIMIT);
    assert_non_null(strstr(d.message, "meta: nested deeper"));
    /* The collection stays well-formed without it. */
    PK_ASSERT_OK(writer->writer->close(st, &d), &d);
    const char *data = pk_sink_memory_data(sink, &len);
    xmlDocPtr x = xt_parse(data, len);
    assert_int_equal(xt_count(xmlDocGetRootElement(x), "release"), 0);
    xmlFreeDoc(x);
    pk_sink_free(sink);
    pk_doc_free(doc);
}

/* A full disk: the error reaches write and close, never silently lost. */
static void test_output_error(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        skip();
    setvbuf(fp, NULL, _IONBF, 0);
    pk_doc *doc = small_doc("big.md", "Big", "2024-01-01");
    size_t n = 300 * 1024;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);
    xt_lit(doc, pk_doc_root(doc), PK_NODE_CODE_BLOCK, big, n);
    free(big);

    pk_sink *sink;
    void *st;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_stream(&sink, fp, "/dev/full"), &d);
    PK_ASSERT_OK(writer->writer->open(&st, sink, NULL, 0, &d), &d);
    assert_int_equal(writer->writer->write(st, doc, &d), PK_EIO);
    assert_non_null(strstr(d.message, "cannot write the output"));
    assert_int_equal(writer->writer->write(st, doc, &d), PK_EIO);
    pk_diag_clear(&d);
    assert_int_equal(writer->writer->close(st, &d), PK_EIO);
    assert_int_equal(d.status, PK_EIO);
    pk_sink_free(sink);
    fclose(fp);
    pk_doc_free(doc);
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
    /* Several rounds each, so the threads really overlap. */
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

/* ---- the descriptor ----------------------------------------------------- */

static void test_descriptor(void **state)
{
    (void)state;
    assert_string_equal(writer->name, "xml");
    assert_int_equal(writer->kind, PK_PLUGIN_WRITER);
    assert_string_equal(writer->extensions[0], "xml");
    assert_null(writer->extensions[1]);
    assert_string_equal(writer->media_type, "application/xml");
    assert_int_equal(writer->flags, 0);
    assert_string_equal(writer->options[0].name, "indent");
    assert_string_equal(writer->options[0].default_value, "true");
    assert_null(writer->options[1].name);
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
    writer = pk_context_find(ctx, PK_PLUGIN_WRITER, "xml");
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
        fprintf(stderr, "usage: %s XML.so GOLDEN_DIR [MARKDOWN.so]\n", argv[0]);
        return 2;
    }
    module_paths[0] = argv[1];
    golden_dir = argv[2];
    module_paths[1] = argc > 3 ? argv[3] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_golden_model),
        cmocka_unit_test(test_indent_is_insignificant),
        cmocka_unit_test(test_golden_markdown),
        cmocka_unit_test(test_collection),
        cmocka_unit_test(test_single_refuses_second),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_output_error),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
