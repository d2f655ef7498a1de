/* The document model: values, nodes, the iterator and validation. */
#include "pk_test.h"

static pk_doc *doc_with(const char *title, const char *date)
{
    pk_doc *doc;
    assert_int_equal(pk_doc_new(&doc), PK_OK);
    pk_value *meta = pk_doc_meta(doc);
    if (title) {
        pk_value *v = pk_value_new_string(doc, title, strlen(title));
        pk_value_set_pos(v, 2, 8);
        assert_int_equal(pk_value_map_append(meta, "title", 5, v), PK_OK);
    }
    if (date) {
        pk_value *v = pk_value_new_string(doc, date, strlen(date));
        pk_value_set_pos(v, 3, 7);
        assert_int_equal(pk_value_map_append(meta, "date", 4, v), PK_OK);
    }
    pk_doc_set_source(doc, "r.md");
    return doc;
}

static void test_values_keep_order_and_types(void **state)
{
    (void)state;
    pk_doc *doc = doc_with("T", "2024-01-02");
    pk_value *meta = pk_doc_meta(doc);
    pk_value *list = pk_value_new_list(doc);
    pk_value_list_append(list, pk_value_new_integer(doc, -7));
    pk_value_list_append(list, pk_value_new_real(doc, 1.5));
    pk_value_list_append(list, pk_value_new_bool(doc, true));
    pk_value_list_append(list, pk_value_new_null(doc));
    pk_value_map_append(meta, "extra", 5, list);
    assert_null(pk_value_new_real(doc, 1.0 / 0.0));

    assert_int_equal(pk_value_count(meta), 3);
    PK_ASSERT_STR("title", pk_value_key_at(meta, 0, NULL));
    PK_ASSERT_STR("extra", pk_value_key_at(meta, 2, NULL));
    pk_value *got = pk_value_map_get(meta, "extra");
    assert_ptr_equal(got, list);
    assert_int_equal(pk_value_type_of(pk_value_at(got, 0)), PK_VALUE_INTEGER);
    assert_int_equal(pk_value_integer(pk_value_at(got, 0)), -7);
    assert_true(pk_value_real(pk_value_at(got, 1)) == 1.5);
    assert_true(pk_value_bool(pk_value_at(got, 2)));
    assert_int_equal(pk_value_type_of(pk_value_at(got, 3)), PK_VALUE_NULL);
    assert_null(pk_value_at(got, 4));
    assert_int_equal(pk_value_map_index(meta, "date", 4), 1);
    assert_int_equal(pk_value_map_index(meta, "nope", 4), -1);

    /* A value of another document cannot be attached. */
    pk_doc *other = doc_with("U", "2024-01-02");
    assert_int_equal(pk_value_list_append(list, pk_value_new_null(other)),
                     PK_EINVAL);
    pk_doc_free(other);
    pk_doc_free(doc);
}

static void test_strings_may_hold_nul(void **state)
{
    (void)state;
    pk_doc *doc = doc_with(NULL, NULL);
    pk_value *v = pk_value_new_string(doc, "a\0b", 3);
    size_t len;
    const char *s = pk_value_string(v, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 4);
    pk_doc_free(doc);
}

static void test_tree_and_iterator(void **state)
{
    (void)state;
    pk_doc *doc = doc_with("T", "2024-01-02");
    pk_node *root = pk_doc_root(doc);
    pk_node *para = pk_node_new(doc, PK_NODE_PARAGRAPH);
    pk_node *text = pk_node_new(doc, PK_NODE_TEXT);
    pk_node *emph = pk_node_new(doc, PK_NODE_EMPH);
    pk_node *inner = pk_node_new(doc, PK_NODE_TEXT);
    pk_node *brk = pk_node_new(doc, PK_NODE_SOFTBREAK);
    pk_node *list = pk_node_new(doc, PK_NODE_LIST);
    pk_node *item = pk_node_new(doc, PK_NODE_ITEM);
    pk_node_set_literal(text, "Hello ", 6);
    pk_node_set_literal(inner, "world", 5);
    assert_int_equal(pk_node_append_child(root, para), PK_OK);
    assert_int_equal(pk_node_append_child(para, text), PK_OK);
    assert_int_equal(pk_node_append_child(para, emph), PK_OK);
    assert_int_equal(pk_node_append_child(emph, inner), PK_OK);
    assert_int_equal(pk_node_append_child(para, brk), PK_OK);
    /* Nesting rules: no block in an inline, only items in lists. */
    assert_int_equal(pk_node_append_child(para, list), PK_EINVAL);
    assert_int_equal(pk_node_append_child(root, item), PK_EINVAL);
    assert_int_equal(pk_node_append_child(root, list), PK_OK);
    assert_int_equal(pk_node_append_child(list, item), PK_OK);
    assert_int_equal(pk_node_append_child(root, text), PK_EINVAL); /* attached */
    assert_null(pk_node_new(doc, PK_NODE_DOCUMENT));

    static const char *const expected[] = {
        "+document", "+paragraph", "+text", "+emph", "+text", "-emph",
        "+softbreak", "-paragraph", "+list", "+item", "-item", "-list",
        "-document"};
    pk_iter *it = pk_iter_new(root);
    pk_event ev;
    size_t i = 0;
    while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        char got[32];
        snprintf(got, sizeof got, "%c%s", ev == PK_EVENT_ENTER ? '+' : '-',
                 pk_node_type_name(pk_node_get_type(pk_iter_node(it))));
        assert_true(i < sizeof expected / sizeof *expected);
        PK_ASSERT_STR(expected[i], got);
        i++;
    }
    assert_int_equal(i, sizeof expected / sizeof *expected);
    pk_iter_free(it);

    size_t len;
    PK_ASSERT_STR("Hello world ", pk_node_text(para, &len));
    assert_int_equal(len, 12);
    assert_ptr_equal(pk_node_parent(inner), emph);
    assert_ptr_equal(pk_node_next(text), emph);
    assert_ptr_equal(pk_node_prev(emph), text);
    assert_ptr_equal(pk_node_last_child(para), brk);
    assert_true(pk_node_is_block(para) && pk_node_is_inline(text));
    pk_doc_free(doc);
}

static void test_node_attributes(void **state)
{
    (void)state;
    pk_doc *doc = doc_with("T", "2024-01-02");
    pk_node *h = pk_node_new(doc, PK_NODE_HEADING);
    assert_int_equal(pk_node_set_heading_level(h, 7), PK_EINVAL);
    assert_int_equal(pk_node_set_heading_level(h, 3), PK_OK);
    assert_int_equal(pk_node_heading_level(h), 3);
    pk_node *l = pk_node_new(doc, PK_NODE_LIST);
    assert_int_equal(pk_node_list_type(l), PK_LIST_BULLET);
    assert_int_equal(pk_node_list_start(l), 0);
    pk_node_set_list_type(l, PK_LIST_ORDERED);
    pk_node_set_list_start(l, 4);
    pk_node_set_list_tight(l, false);
    assert_int_equal(pk_node_list_start(l), 4);
    assert_false(pk_node_list_tight(l));
    pk_node *a = pk_node_new(doc, PK_NODE_LINK);
    pk_node_set_url(a, "https://x/", 10);
    PK_ASSERT_STR("https://x/", pk_node_url(a));
    PK_ASSERT_STR("", pk_node_title(a));
    assert_null(pk_node_url(h));
    assert_int_equal(pk_node_set_literal(a, "x", 1), PK_EINVAL);
    for (int t = PK_NODE_FIRST_BLOCK; t <= PK_NODE_LAST_INLINE; t++)
        assert_int_equal(pk_node_type_from_name(pk_node_type_name((pk_node_type)t)), t);
    assert_int_equal(pk_node_type_from_name("bogus"), PK_NODE_NONE);
    pk_doc_free(doc);
}

static void expect_invalid(pk_doc *doc, const char *message, unsigned long line,
                           unsigned long col)
{
    pk_diag d = PK_DIAG_INIT;
    assert_int_equal(pk_doc_validate(doc, &d), PK_EINPUT);
    char buf[1024], want[1024];
    snprintf(want, sizeof want, "r.md:%lu:%lu: %s", line, col, message);
    PK_ASSERT_STR(want, pk_diag_format(&d, buf, sizeof buf));
    pk_doc_free(doc);
}

static void test_validation(void **state)
{
    (void)state;
    expect_invalid(doc_with(NULL, "2024-01-02"),
                   "title: missing; a release needs a title", 1, 1);
    expect_invalid(doc_with("", "2024-01-02"),
                   "title: expected a non-empty string", 2, 8);
    expect_invalid(doc_with("T", NULL), "date: missing; a release needs a date",
                   1, 1);
    expect_invalid(doc_with("T", "25 Aug 2022"),
                   "date: expected YYYY-MM-DD or an RFC 3339 date-time, got \"25 Aug 2022\"",
                   3, 7);
    expect_invalid(doc_with("T", "2023-02-29"),
                   "date: expected YYYY-MM-DD or an RFC 3339 date-time, got \"2023-02-29\"",
                   3, 7);

    pk_doc *doc = doc_with("T", "2024-02-29");
    pk_value *m = pk_value_new_map(doc);
    pk_value_set_pos(m, 4, 3);
    pk_value_map_append(pk_doc_meta(doc), "ministers", 9, m);
    expect_invalid(doc, "ministers: expected a string or a list of strings, got a map",
                   4, 3);

    doc = doc_with("T", "2024-02-29");
    pk_value *l = pk_value_new_list(doc);
    pk_value *n = pk_value_new_integer(doc, 3);
    pk_value_set_pos(n, 6, 5);
    pk_value_list_append(l, pk_value_new_string(doc, "Defence", 7));
    pk_value_list_append(l, n);
    pk_value_map_append(pk_doc_meta(doc), "portfolios", 10, l);
    expect_invalid(doc, "portfolios[1]: expected a non-empty string, got an integer",
                   6, 5);

    doc = doc_with("T", "2024-02-29");
    pk_value *lang = pk_value_new_string(doc, "english!", 8);
    pk_value_set_pos(lang, 5, 7);
    pk_value_map_append(pk_doc_meta(doc), "lang", 4, lang);
    expect_invalid(doc, "lang: expected a language tag such as \"en\" or \"mi-NZ\", got \"english!\"",
                   5, 7);
}

static void test_known_fields(void **state)
{
    (void)state;
    pk_doc *doc = doc_with("A title", "2024-02-29T09:30:00+13:00");
    pk_value_map_append(pk_doc_meta(doc), "ministers", 9,
                        pk_value_new_string(doc, "Hon Jane Doe", 12));
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    PK_ASSERT_STR("A title", pk_doc_title(doc));
    PK_ASSERT_STR("en", pk_doc_lang(doc));
    assert_null(pk_doc_url(doc));
    assert_int_equal(pk_doc_minister_count(doc), 1);
    PK_ASSERT_STR("Hon Jane Doe", pk_doc_minister(doc, 0));
    assert_null(pk_doc_minister(doc, 1));
    assert_int_equal(pk_doc_portfolio_count(doc), 0);
    assert_int_equal(pk_doc_date(doc)->offset_minutes, 13 * 60);
    pk_doc_free(doc);
}

/* Warnings: kept in order up to PK_DOC_WARNINGS_MAX, all counted, each
 * located in the source and truncated like any diagnostic. */
static void test_warnings(void **state)
{
    (void)state;
    pk_doc *doc;
    assert_int_equal(pk_doc_new(&doc), PK_OK);
    assert_int_equal(pk_doc_set_source(doc, "w.md"), PK_OK);
    pk_diag w;
    assert_int_equal(pk_doc_warning_count(doc), 0);
    assert_false(pk_doc_warning(doc, 0, &w));
    for (unsigned long i = 1; i <= PK_DOC_WARNINGS_MAX + 5; i++)
        assert_int_equal(pk_doc_warn(doc, i, i == 2 ? 0 : 7, "bad %lu", i),
                         PK_OK);
    assert_int_equal(pk_doc_warning_count(doc), PK_DOC_WARNINGS_MAX + 5);
    char buf[256];
    assert_true(pk_doc_warning(doc, 0, &w));
    assert_int_equal(w.status, PK_OK);
    assert_string_equal(pk_diag_format(&w, buf, sizeof buf), "w.md:1:7: bad 1");
    assert_true(pk_doc_warning(doc, 1, &w));
    assert_string_equal(pk_diag_format(&w, buf, sizeof buf), "w.md:2: bad 2");
    assert_true(pk_doc_warning(doc, PK_DOC_WARNINGS_MAX - 1, &w));
    assert_int_equal(w.line, PK_DOC_WARNINGS_MAX);
    assert_false(pk_doc_warning(doc, PK_DOC_WARNINGS_MAX, &w));
    /* A long message is cut on a character boundary, like pk_diag's. */
    char big[2 * PK_DIAG_MESSAGE_MAX];
    memset(big, 'x', sizeof big - 3);
    memcpy(big + sizeof big - 3, "\xc3\xa9", 3);
    pk_doc *d2;
    assert_int_equal(pk_doc_new(&d2), PK_OK);
    assert_int_equal(pk_doc_warn(d2, 1, 1, "%s", big), PK_OK);
    assert_true(pk_doc_warning(d2, 0, &w));
    assert_int_equal(strlen(w.message), PK_DIAG_MESSAGE_MAX - 1);
    pk_doc_free(d2);
    pk_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_keep_order_and_types),
        cmocka_unit_test(test_strings_may_hold_nul),
        cmocka_unit_test(test_tree_and_iterator),
        cmocka_unit_test(test_node_attributes),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_known_fields),
        cmocka_unit_test(test_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
