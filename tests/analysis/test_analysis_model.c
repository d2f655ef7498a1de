/*
 * The analysis pass on documents built through the model API (no reader):
 * highlights and lead, ids, word count and reading time, quote lookup.
 */
#include <stdlib.h>

#include "pk_test.h"

static void meta_string(pk_doc *doc, const char *key, const char *s)
{
    pk_value *v = pk_value_new_string(doc, s, strlen(s));
    assert_non_null(v);
    assert_int_equal(pk_value_map_append(pk_doc_meta(doc), key, strlen(key), v),
                     PK_OK);
}

/* A document with a title, a date, a source name and, if not NULL, a
 * NULL-terminated list of ministers. */
static pk_doc *new_doc(const char *date, const char *source,
                       const char *const *ministers)
{
    pk_doc *doc;
    assert_int_equal(pk_doc_new(&doc), PK_OK);
    meta_string(doc, "title", "A release");
    meta_string(doc, "date", date);
    if (ministers) {
        pk_value *list = pk_value_new_list(doc);
        for (const char *const *m = ministers; *m; m++)
            assert_int_equal(pk_value_list_append(
                                 list, pk_value_new_string(doc, *m, strlen(*m))),
                             PK_OK);
        assert_int_equal(pk_value_map_append(pk_doc_meta(doc), "ministers", 9,
                                             list),
                         PK_OK);
    }
    if (source)
        assert_int_equal(pk_doc_set_source(doc, source), PK_OK);
    return doc;
}

static pk_node *text_node(pk_doc *doc, const char *s)
{
    pk_node *t = pk_node_new(doc, PK_NODE_TEXT);
    assert_int_equal(pk_node_set_literal(t, s, strlen(s)), PK_OK);
    return t;
}

/* Appends a block of the given type holding one text node. */
static pk_node *add_block(pk_doc *doc, pk_node_type type, const char *s)
{
    pk_node *b = pk_node_new(doc, type);
    if (type == PK_NODE_HEADING)
        pk_node_set_heading_level(b, 2);
    assert_int_equal(pk_node_append_child(b, text_node(doc, s)), PK_OK);
    assert_int_equal(pk_node_append_child(pk_doc_root(doc), b), PK_OK);
    return b;
}

static pk_node *add_para(pk_doc *doc, const char *s)
{
    return add_block(doc, PK_NODE_PARAGRAPH, s);
}

/* Appends a list of the given type with one paragraph item per string. */
static pk_node *add_list(pk_doc *doc, pk_list_type type, const char *const *items)
{
    pk_node *list = pk_node_new(doc, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(list, type), PK_OK);
    for (const char *const *s = items; *s; s++) {
        pk_node *item = pk_node_new(doc, PK_NODE_ITEM);
        pk_node *p = pk_node_new(doc, PK_NODE_PARAGRAPH);
        assert_int_equal(pk_node_append_child(p, text_node(doc, *s)), PK_OK);
        assert_int_equal(pk_node_append_child(item, p), PK_OK);
        assert_int_equal(pk_node_append_child(list, item), PK_OK);
    }
    assert_int_equal(pk_node_append_child(pk_doc_root(doc), list), PK_OK);
    return list;
}

static void analyse(pk_doc *doc, const char *authority)
{
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    PK_ASSERT_OK(pk_doc_analyse(doc, authority, &d), &d);
}

static const char *const two_items[] = {"First point", "Second point", NULL};

static void test_highlights_before_first_paragraph(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
    add_block(doc, PK_NODE_HEADING, "Heading first");
    pk_node *list = add_list(doc, PK_LIST_BULLET, two_items);
    pk_node *lead = add_para(doc, "The lead.");
    add_para(doc, "More.");
    analyse(doc, NULL);
    assert_ptr_equal(pk_doc_highlights(doc), list);
    assert_ptr_equal(pk_doc_lead(doc), lead);
    pk_doc_free(doc);
}

static void test_list_after_paragraph_is_not_highlights(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
    pk_node *lead = add_para(doc, "The lead.");
    add_list(doc, PK_LIST_BULLET, two_items);
    analyse(doc, NULL);
    assert_null(pk_doc_highlights(doc));
    assert_ptr_equal(pk_doc_lead(doc), lead);
    pk_doc_free(doc);
}

static void test_ordered_list_is_not_highlights(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
    add_list(doc, PK_LIST_ORDERED, two_items);
    pk_node *bullets = add_list(doc, PK_LIST_BULLET, two_items);
    add_para(doc, "The lead.");
    analyse(doc, NULL);
    /* The first BULLET list before the first paragraph. */
    assert_ptr_equal(pk_doc_highlights(doc), bullets);
    pk_doc_free(doc);
}

static void test_highlights_only_and_empty_body(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
    pk_node *list = add_list(doc, PK_LIST_BULLET, two_items);
    analyse(doc, NULL);
    assert_ptr_equal(pk_doc_highlights(doc), list);
    assert_null(pk_doc_lead(doc));
    assert_int_equal(pk_doc_word_count(doc), 4);
    assert_int_equal(pk_doc_reading_minutes(doc), 1);
    pk_doc_free(doc);

    doc = new_doc("2024-03-01", "a.md", NULL);
    analyse(doc, NULL);
    assert_null(pk_doc_highlights(doc));
    assert_null(pk_doc_lead(doc));
    assert_int_equal(pk_doc_word_count(doc), 0);
    assert_int_equal(pk_doc_reading_minutes(doc), 0);
    assert_int_equal(pk_doc_quote_count(doc), 0);
    assert_null(pk_doc_quote(doc, 0));
    pk_doc_free(doc);
}

static void test_lead_skips_non_paragraphs(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
    add_block(doc, PK_NODE_HEADING, "Title");
    pk_node *tb = pk_node_new(doc, PK_NODE_THEMATIC_BREAK);
    assert_int_equal(pk_node_append_child(pk_doc_root(doc), tb), PK_OK);
    pk_node *lead = add_para(doc, "The lead.");
    analyse(doc, NULL);
    assert_null(pk_doc_highlights(doc));
    assert_ptr_equal(pk_doc_lead(doc), lead);
    pk_doc_free(doc);
}

static void test_id_prefers_url_then_explicit_then_tag(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2022-08-25", "releases/x.md", NULL);
    meta_string(doc, "url", "https://example.org/r/1");
    assert_int_equal(pk_doc_set_id(doc, "urn:explicit"), PK_OK);
    analyse(doc, NULL);
    PK_ASSERT_STR("https://example.org/r/1", pk_doc_id(doc));
    pk_doc_free(doc);

    doc = new_doc("2022-08-25", "releases/x.md", NULL);
    assert_int_equal(pk_doc_set_id(doc, "urn:explicit"), PK_OK);
    analyse(doc, NULL);
    PK_ASSERT_STR("urn:explicit", pk_doc_id(doc));
    /* Re-analysis keeps an explicit id. */
    analyse(doc, "example.org");
    PK_ASSERT_STR("urn:explicit", pk_doc_id(doc));
    pk_doc_free(doc);

    doc = new_doc("2022-08-25", "releases/x.md", NULL);
    analyse(doc, NULL);
    PK_ASSERT_STR("tag:presskit.invalid,2022-08-25:x", pk_doc_id(doc));
    /* A derived id is derived again with the new authority. */
    analyse(doc, "example.org");
    PK_ASSERT_STR("tag:example.org,2022-08-25:x", pk_doc_id(doc));
    /* An id set after the analysis wins over the derived one. */
    assert_int_equal(pk_doc_set_id(doc, "urn:later"), PK_OK);
    PK_ASSERT_STR("urn:later", pk_doc_id(doc));
    analyse(doc, NULL);
    PK_ASSERT_STR("urn:later", pk_doc_id(doc));
    pk_doc_free(doc);
}

static void check_slug(const char *date, const char *source, const char *id)
{
    pk_doc *doc = new_doc(date, source, NULL);
    analyse(doc, "beehive.govt.nz");
    PK_ASSERT_STR(id, pk_doc_id(doc));
    pk_doc_free(doc);
}

static void test_tag_slugs(void **state)
{
    (void)state;
    check_slug("2022-08-25", "/srv/in/release-2022-08-25-d-isis.md",
               "tag:beehive.govt.nz,2022-08-25:release-2022-08-25-d-isis");
    check_slug("2022-08-25T09:30:00+12:00", "A  Big__Day!!.MD",
               "tag:beehive.govt.nz,2022-08-25:a-big-day");
    check_slug("2021-01-02", "--Weird--.name.md",
               "tag:beehive.govt.nz,2021-01-02:weird-name");
    check_slug("2021-01-02", "<stdin>", "tag:beehive.govt.nz,2021-01-02:stdin");
    check_slug("2021-01-02", "dir/___.md", "tag:beehive.govt.nz,2021-01-02:release");
    check_slug("2021-01-02", NULL, "tag:beehive.govt.nz,2021-01-02:release");
    /* Non-ASCII letters are outside [a-z0-9]: each run becomes one '-'. */
    check_slug("2021-01-02", "M\xC4\x81ori-k\xC4\x81inga.md",
               "tag:beehive.govt.nz,2021-01-02:m-ori-k-inga");
    check_slug("2021-01-02", "noext", "tag:beehive.govt.nz,2021-01-02:noext");
}

static void test_word_count_rules(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
    /* Six words: punctuation-only runs and a lone dash are not words;
     * NO-BREAK SPACE separates; a NON-BREAKING HYPHEN joins; letters of
     * any script count. */
    add_para(doc, "Kia ora \xE2\x80\x94 ... 30\xC2\xA0June non\xE2\x80\x91military "
                  "\xC4\x80whina !!");
    /* "foo*bar*" is one word across two inline nodes; a soft break
     * separates. */
    pk_node *p = pk_node_new(doc, PK_NODE_PARAGRAPH);
    pk_node *emph = pk_node_new(doc, PK_NODE_EMPH);
    pk_node_append_child(p, text_node(doc, "foo"));
    pk_node_append_child(emph, text_node(doc, "bar"));
    pk_node_append_child(p, emph);
    pk_node_append_child(p, pk_node_new(doc, PK_NODE_SOFTBREAK));
    pk_node_append_child(p, text_node(doc, "baz"));
    pk_node_append_child(pk_doc_root(doc), p);
    /* Items of a list do not run together. */
    add_list(doc, PK_LIST_BULLET, two_items);
    analyse(doc, NULL);
    assert_int_equal(pk_doc_word_count(doc), 6 + 2 + 4);
    assert_int_equal(pk_doc_reading_minutes(doc), 1);
    pk_doc_free(doc);
}

static void test_reading_minutes_round_up(void **state)
{
    (void)state;
    size_t counts[] = {200, 201, 400, 401};
    unsigned minutes[] = {1, 2, 2, 3};
    for (size_t c = 0; c < 4; c++) {
        pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
        char *s = malloc(counts[c] * 2 + 1);
        for (size_t i = 0; i < counts[c]; i++) {
            s[2 * i] = 'w';
            s[2 * i + 1] = ' ';
        }
        s[counts[c] * 2] = '\0';
        add_para(doc, s);
        free(s);
        analyse(doc, NULL);
        assert_int_equal(pk_doc_word_count(doc), counts[c]);
        assert_int_equal(pk_doc_reading_minutes(doc), minutes[c]);
        pk_doc_free(doc);
    }
}

static const char *const ministers[] = {"Hon Jane Doe", "Hon Ari Smith", NULL};

static void test_quotes_through_model(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", ministers);
    add_list(doc, PK_LIST_BULLET, two_items);                       /* 0 */
    pk_node *lead = add_para(doc, "The lead.");                     /* 1 */
    pk_node *q1 = add_para(doc, "\xE2\x80\x9COne,\xE2\x80\x9D Foreign "
                                "Minister Jane Doe said.");        /* 2 */
    pk_node *q2a = add_para(doc, "\xE2\x80\x9CTwo starts.");        /* 3 */
    pk_node *q2b = add_para(doc, "\xE2\x80\x9CTwo ends,\xE2\x80\x9D "
                                 "said Mr Smith.");                /* 4 */
    analyse(doc, NULL);
    assert_int_equal(pk_doc_quote_count(doc), 2);
    const pk_quote *a = pk_doc_quote(doc, 0), *b = pk_doc_quote(doc, 1);
    PK_ASSERT_STR("Hon Jane Doe", pk_quote_speaker(a));
    PK_ASSERT_STR("Foreign Minister", pk_quote_title(a));
    assert_int_equal(pk_quote_minister(a), 0);
    PK_ASSERT_STR("One,", pk_quote_text(a));
    assert_int_equal(pk_quote_paragraph_count(a), 1);
    assert_ptr_equal(pk_quote_paragraph(a, 0), q1);
    assert_int_equal(pk_quote_paragraph_index(a, 0), 2);
    assert_null(pk_quote_paragraph(a, 1));
    assert_true(pk_quote_paragraph_index(a, 1) == SIZE_MAX);

    PK_ASSERT_STR("Hon Ari Smith", pk_quote_speaker(b));
    assert_null(pk_quote_title(b));
    assert_int_equal(pk_quote_minister(b), 1);
    PK_ASSERT_STR("Two starts.\n\nTwo ends,", pk_quote_text(b));
    assert_int_equal(pk_quote_paragraph_count(b), 2);
    assert_int_equal(pk_quote_paragraph_index(b, 0), 3);
    assert_int_equal(pk_quote_paragraph_index(b, 1), 4);

    assert_ptr_equal(pk_doc_quote_of(doc, q1), a);
    assert_ptr_equal(pk_doc_quote_of(doc, q2a), b);
    assert_ptr_equal(pk_doc_quote_of(doc, q2b), b);
    assert_null(pk_doc_quote_of(doc, lead));
    assert_null(pk_doc_quote_of(doc, NULL));
    assert_null(pk_doc_quote(doc, 2));

    /* Idempotent: a second run finds the same. */
    analyse(doc, NULL);
    assert_int_equal(pk_doc_quote_count(doc), 2);
    PK_ASSERT_STR("Two starts.\n\nTwo ends,",
                  pk_quote_text(pk_doc_quote(doc, 1)));
    assert_ptr_equal(pk_doc_quote_of(doc, q2b), pk_doc_quote(doc, 1));
    pk_doc_free(doc);
}

/* Many quoted paragraphs: every one maps back to its own quote, also
 * when the nodes were made in another order than the body's (a reader
 * may build the tree in any order). */
static void test_quote_of_many(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", ministers);
    enum { N = 3000 };
    pk_node **paras = malloc(N * sizeof *paras);
    for (size_t i = N; i-- > 0;) {
        paras[i] = pk_node_new(doc, PK_NODE_PARAGRAPH);
        pk_node_append_child(paras[i],
                             text_node(doc, i % 3 == 2 ? "Prose between."
                                                       : "\xE2\x80\x9CQuoted,\xE2\x80\x9D she said."));
    }
    for (size_t i = 0; i < N; i++)
        assert_int_equal(pk_node_append_child(pk_doc_root(doc), paras[i]), PK_OK);
    analyse(doc, NULL);
    assert_int_equal(pk_doc_quote_count(doc), 2 * N / 3);
    for (size_t i = 0; i < N; i++) {
        const pk_quote *q = pk_doc_quote_of(doc, paras[i]);
        if (i % 3 == 2) {
            assert_null(q);
        } else {
            assert_non_null(q);
            assert_ptr_equal(pk_quote_paragraph(q, 0), paras[i]);
            assert_int_equal(pk_quote_paragraph_index(q, 0), i);
        }
    }
    free(paras);
    pk_doc_free(doc);
}

static void test_unvalidated_document_is_refused(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("2024-03-01", "a.md", NULL);
    pk_diag d = PK_DIAG_INIT;
    assert_int_equal(pk_doc_analyse(doc, NULL, &d), PK_EINVAL);
    assert_int_equal(d.status, PK_EINVAL);
    assert_non_null(strstr(d.message, "validated"));
    /* Before any analysis the accessors answer "nothing". */
    assert_null(pk_doc_highlights(doc));
    assert_null(pk_doc_lead(doc));
    assert_null(pk_doc_id(doc));
    assert_int_equal(pk_doc_word_count(doc), 0);
    assert_int_equal(pk_doc_quote_count(doc), 0);
    assert_null(pk_quote_speaker(NULL));
    assert_int_equal(pk_quote_minister(NULL), -1);
    pk_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_highlights_before_first_paragraph),
        cmocka_unit_test(test_list_after_paragraph_is_not_highlights),
        cmocka_unit_test(test_ordered_list_is_not_highlights),
        cmocka_unit_test(test_highlights_only_and_empty_body),
        cmocka_unit_test(test_lead_skips_non_paragraphs),
        cmocka_unit_test(test_id_prefers_url_then_explicit_then_tag),
        cmocka_unit_test(test_tag_slugs),
        cmocka_unit_test(test_word_count_rules),
        cmocka_unit_test(test_reading_minutes_round_up),
        cmocka_unit_test(test_quotes_through_model),
        cmocka_unit_test(test_quote_of_many),
        cmocka_unit_test(test_unvalidated_document_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
