/*
 * test_markdown_body.c - the markdown reader's cmark-to-model conversion
 * (plugins/markdown/body.c, compiled in) on trees cmark's parser does not
 * build: cmark 0.30 already merges adjacent text nodes and never makes
 * custom nodes, so test_markdown cannot reach these paths through a file.
 */
#include "pk_test.h"

#include <stdlib.h>

#include <cmark.h>

#include "markdown.h"

static cmark_node *add(cmark_node *parent, cmark_node_type type,
                       const char *literal)
{
    cmark_node *n = cmark_node_new(type);

    assert_non_null(n);
    if (literal)
        assert_int_equal(cmark_node_set_literal(n, literal), 1);
    assert_int_equal(cmark_node_append_child(parent, n), 1);
    return n;
}

/* Converts tree and returns the status; the document in *out. */
static int convert(cmark_node *tree, pk_doc **out, pk_diag *d)
{
    int rc;

    PK_ASSERT_OK(pk_doc_new(out), d);
    PK_ASSERT_OK(pk_doc_set_source(*out, "t.md"), d);
    rc = md_body_convert(*out, tree, "", 0, 1, 100, d);
    cmark_node_free(tree);
    return rc;
}

static void expect_text(pk_node *n, const char *want)
{
    size_t len;

    assert_non_null(n);
    assert_int_equal(pk_node_get_type(n), PK_NODE_TEXT);
    PK_ASSERT_STR(want, pk_node_literal(n, &len));
    assert_int_equal(len, strlen(want));
}

static void test_adjacent_text_merged(void **state)
{
    cmark_node *tree = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_node *para = add(tree, CMARK_NODE_PARAGRAPH, NULL);
    cmark_node *emph;
    pk_diag d = PK_DIAG_INIT;
    pk_doc *doc = NULL;
    pk_node *p, *n;

    (void)state;
    add(para, CMARK_NODE_TEXT, "a");
    add(para, CMARK_NODE_TEXT, "b");
    add(para, CMARK_NODE_TEXT, "");
    emph = add(para, CMARK_NODE_EMPH, NULL);
    add(emph, CMARK_NODE_TEXT, "c");
    add(emph, CMARK_NODE_TEXT, "d");
    add(para, CMARK_NODE_TEXT, "e");
    add(para, CMARK_NODE_TEXT, "f");
    add(para, CMARK_NODE_SOFTBREAK, NULL);
    add(para, CMARK_NODE_TEXT, "g");
    PK_ASSERT_OK(convert(tree, &doc, &d), &d);

    p = pk_node_first_child(pk_doc_root(doc));
    assert_int_equal(pk_node_get_type(p), PK_NODE_PARAGRAPH);
    assert_null(pk_node_next(p));
    n = pk_node_first_child(p);
    expect_text(n, "ab");
    n = pk_node_next(n);
    assert_int_equal(pk_node_get_type(n), PK_NODE_EMPH);
    expect_text(pk_node_first_child(n), "cd");
    assert_null(pk_node_next(pk_node_first_child(n)));
    n = pk_node_next(n);
    expect_text(n, "ef");
    n = pk_node_next(n);
    assert_int_equal(pk_node_get_type(n), PK_NODE_SOFTBREAK);
    n = pk_node_next(n);
    expect_text(n, "g");
    assert_null(pk_node_next(n));
    /* Hand-made nodes have no source position. */
    assert_int_equal(pk_node_line(pk_node_first_child(p)), 0);
    pk_doc_free(doc);
}

static void test_long_run(void **state)
{
    enum { PIECES = 20000 };
    cmark_node *tree = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_node *para = add(tree, CMARK_NODE_PARAGRAPH, NULL);
    pk_diag d = PK_DIAG_INIT;
    pk_doc *doc = NULL;
    pk_node *n;
    const char *s;
    size_t len;

    (void)state;
    for (int i = 0; i < PIECES; i++)
        add(para, CMARK_NODE_TEXT, i % 2 ? "[" : "ab");
    PK_ASSERT_OK(convert(tree, &doc, &d), &d);
    n = pk_node_first_child(pk_node_first_child(pk_doc_root(doc)));
    assert_null(pk_node_next(n));
    s = pk_node_literal(n, &len);
    assert_int_equal(len, PIECES / 2 * 3);
    assert_memory_equal(s, "ab[ab[", 6);
    assert_memory_equal(s + len - 3, "ab[", 3);
    pk_doc_free(doc);
}

static void test_custom_nodes_refused(void **state)
{
    cmark_node *tree = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_node *para = add(tree, CMARK_NODE_PARAGRAPH, NULL);
    pk_diag d = PK_DIAG_INIT;
    pk_doc *doc = NULL;

    (void)state;
    add(para, CMARK_NODE_TEXT, "x");
    add(para, CMARK_NODE_CUSTOM_INLINE, NULL);
    assert_int_equal(convert(tree, &doc, &d), PK_EPLUGIN);
    PK_ASSERT_STR("unsupported CommonMark node \"custom_inline\"", d.message);
    PK_ASSERT_STR("t.md", d.file);
    pk_doc_free(doc);

    tree = cmark_node_new(CMARK_NODE_DOCUMENT);
    add(tree, CMARK_NODE_CUSTOM_BLOCK, NULL);
    pk_diag_clear(&d);
    assert_int_equal(convert(tree, &doc, &d), PK_EPLUGIN);
    PK_ASSERT_STR("unsupported CommonMark node \"custom_block\"", d.message);
    pk_doc_free(doc);

    tree = cmark_node_new(CMARK_NODE_PARAGRAPH);
    pk_diag_clear(&d);
    assert_int_equal(convert(tree, &doc, &d), PK_EPLUGIN);
    PK_ASSERT_STR("a CommonMark tree must start with a document", d.message);
    pk_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adjacent_text_merged),
        cmocka_unit_test(test_long_run),
        cmocka_unit_test(test_custom_nodes_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
