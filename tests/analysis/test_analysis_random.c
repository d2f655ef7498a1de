/*
 * test_analysis_random.c - the analysis pass's text walks against simple
 * references on many random documents built through the model API:
 * pk_node_text of every node (two passes over the tree, straight into
 * the arena) against the pk_iter walk into a growing buffer it replaced,
 * the word count (runs of ASCII skipped eight bytes at a time) against a
 * byte-at-a-time counter, and the search for a paragraph's first opening
 * quotation mark against a byte-at-a-time loop.  Texts are random
 * pieces: ASCII words and punctuation, every white space the analysis
 * knows (NO-BREAK SPACE, U+2000 to U+200A, U+3000…), letters, dashes,
 * quotation marks, control characters, NUL and invalid UTF-8.
 */
#include <stdlib.h>

#include "pk_test.h"
#include "quotes.h"

/* splitmix64: the same values on every run. */
static uint64_t rng_state;

static uint64_t next(void)
{
    return pk_test_random(&rng_state);
}

static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}

static size_t random_text(char *buf, size_t cap)
{
    static const char *const pieces[] = {
        "a", "Z", "9", " ", "  ", "\t", "\n", "\r", "\v", "\f", "\x01",
        "\x1f", "\x7f", "\0", "!", ".", ",", "-", "--", "(", ")", "'", "\"",
        "word", "Minister", "said", "hello world ", "abcdefghijklmnop",
        "x1y2z3w4v5u6t7s8r9", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80",
        "\xE2\x80\x8A", "\xE2\x80\x8B", "\xE2\x80\xAF", "\xE2\x81\x9F",
        "\xE3\x80\x80", "\xE3\x80\x81", "\xC3\xA9", "\xC4\x81", "\xC3\x97",
        "\xC2\xBF", "\xE2\x80\x94", "\xE2\x80\x9C", "\xE2\x80\x9D",
        "\xE2\x80\x91", "\xE2\x80\xA6", "\xEF\xBF\xBD", "\xEF\xBF\xB0",
        "\xF0\x9F\x98\x80", "\xE4\xB8\xAD", "\xff", "\x80", "\xC3", "\xE2",
        "\xE2\x80", "\xE3\x80", "\xC2", "\xF0\x9F", "\xED\xA0\x80",
    };
    size_t n = 0, count = below(5) ? below(30) : below(300);
    for (size_t i = 0; i < count; i++) {
        const char *p = pieces[below(sizeof pieces / sizeof pieces[0])];
        size_t len = p[0] ? strlen(p) : 1;
        if (n + len > cap)
            break;
        memcpy(buf + n, p, len);
        n += len;
    }
    return n;
}

/* ---- references ------------------------------------------------------- */

typedef struct textbuf {
    char *data;
    size_t len, cap;
} textbuf;

static void tb_add(textbuf *tb, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (tb->len + n + 1 > tb->cap) {
        size_t cap = tb->cap ? tb->cap : 64;
        while (cap < tb->len + n + 1)
            cap *= 2;
        tb->data = realloc(tb->data, cap);
        assert_non_null(tb->data);
        tb->cap = cap;
    }
    memcpy(tb->data + tb->len, s, n);
    tb->len += n;
}

/* pk_node_text as an ENTER/EXIT walk into a growing buffer. */
static char *ref_node_text(pk_node *node, size_t *len)
{
    textbuf tb = {NULL, 0, 0};
    pk_iter *it = pk_iter_new(node);
    pk_event ev;
    assert_non_null(it);
    while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        pk_node *n = pk_iter_node(it);
        size_t l;
        const char *s;
        if (ev != PK_EVENT_ENTER)
            continue;
        if (n != node && pk_node_is_block(n) && pk_node_prev(n) && tb.len)
            tb_add(&tb, "\n", 1);
        switch (pk_node_get_type(n)) {
        case PK_NODE_TEXT: case PK_NODE_CODE:
            s = pk_node_literal(n, &l);
            tb_add(&tb, s, l);
            break;
        case PK_NODE_SOFTBREAK:
            tb_add(&tb, " ", 1);
            break;
        case PK_NODE_LINEBREAK:
            tb_add(&tb, "\n", 1);
            break;
        default:
            break;
        }
    }
    pk_iter_free(it);
    *len = tb.len;
    if (!tb.data)
        tb.data = calloc(1, 1);
    return tb.data;
}

typedef struct counter {
    size_t words;
    bool in_word, counts;
} counter;

static void count_flush(counter *c)
{
    if (c->in_word && c->counts)
        c->words++;
    c->in_word = c->counts = false;
}

static size_t ref_decode(const char *s, size_t n, size_t i, unsigned long *cp)
{
    unsigned char c = (unsigned char)s[i];
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (len == 1 || i + len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned long v = c & (0x3Fu >> (len - 1));
    for (size_t k = 1; k < len; k++) {
        unsigned char cc = (unsigned char)s[i + k];
        if ((cc & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (cc & 0x3Fu);
    }
    *cp = v;
    return len;
}

static bool ref_wordish(unsigned long cp)
{
    return !((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
             (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
             (cp >= 0xFE30 && cp <= 0xFE4F) || cp >= 0xFFF0);
}

/* One character at a time. */
static void ref_count_text(counter *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t sp = pk_space_len(s, n, i);
        if (sp) {
            count_flush(c);
            i += sp;
            continue;
        }
        unsigned char ch = (unsigned char)s[i];
        c->in_word = true;
        if (ch < 0x80) {
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                (ch >= '0' && ch <= '9'))
                c->counts = true;
            i++;
        } else {
            unsigned long cp;
            i += ref_decode(s, n, i, &cp);
            if (ref_wordish(cp))
                c->counts = true;
        }
    }
}

static size_t ref_count_words(pk_node *root)
{
    counter c = {0, false, false};
    pk_iter *it = pk_iter_new(root);
    pk_event ev;
    assert_non_null(it);
    while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        pk_node *n = pk_iter_node(it);
        pk_node_type t = pk_node_get_type(n);
        if (pk_node_is_block(n) || t == PK_NODE_SOFTBREAK ||
            t == PK_NODE_LINEBREAK) {
            count_flush(&c);
        } else if (ev == PK_EVENT_ENTER &&
                   (t == PK_NODE_TEXT || t == PK_NODE_CODE)) {
            size_t len;
            const char *s = pk_node_literal(n, &len);
            ref_count_text(&c, s, len);
        }
    }
    count_flush(&c);
    pk_iter_free(it);
    return c.words;
}

static size_t ref_first_open_mark(const char *t, size_t n)
{
    size_t q = 0;
    while (q < n && t[q] != '"' &&
           !(q + 2 < n && memcmp(t + q, "\xE2\x80\x9C", 3) == 0))
        q++;
    return q;
}

/* ---- random documents ------------------------------------------------- */

static pk_node *leaf(pk_doc *doc, pk_node_type type)
{
    char buf[4096];
    pk_node *n = pk_node_new(doc, type);
    assert_non_null(n);
    if (type == PK_NODE_TEXT || type == PK_NODE_CODE ||
        type == PK_NODE_HTML_INLINE || type == PK_NODE_CODE_BLOCK ||
        type == PK_NODE_HTML_BLOCK) {
        size_t len = random_text(buf, sizeof buf);
        assert_int_equal(pk_node_set_literal(n, buf, len), PK_OK);
    }
    return n;
}

static void add_inlines(pk_doc *doc, pk_node *parent, int depth)
{
    static const pk_node_type kinds[] = {
        PK_NODE_TEXT, PK_NODE_TEXT, PK_NODE_TEXT, PK_NODE_CODE,
        PK_NODE_SOFTBREAK, PK_NODE_LINEBREAK, PK_NODE_HTML_INLINE,
        PK_NODE_EMPH, PK_NODE_STRONG, PK_NODE_LINK, PK_NODE_IMAGE};
    unsigned count = below(6);
    for (unsigned i = 0; i < count; i++) {
        pk_node_type t = kinds[below(sizeof kinds / sizeof kinds[0])];
        pk_node *n = leaf(doc, t);
        assert_int_equal(pk_node_append_child(parent, n), PK_OK);
        if (pk_node_is_container(n) && depth < 4)
            add_inlines(doc, n, depth + 1);
    }
}

static void add_blocks(pk_doc *doc, pk_node *parent, int depth)
{
    unsigned count = below(depth ? 4 : 10);
    for (unsigned i = 0; i < count; i++) {
        unsigned k = below(depth < 3 ? 8 : 5);
        pk_node *n;
        switch (k) {
        case 0: case 1:
            n = leaf(doc, PK_NODE_PARAGRAPH);
            add_inlines(doc, n, 0);
            break;
        case 2:
            n = leaf(doc, PK_NODE_HEADING);
            add_inlines(doc, n, 0);
            break;
        case 3:
            n = leaf(doc, below(2) ? PK_NODE_CODE_BLOCK : PK_NODE_HTML_BLOCK);
            break;
        case 4:
            n = leaf(doc, PK_NODE_THEMATIC_BREAK);
            break;
        case 5:
            n = leaf(doc, PK_NODE_BLOCK_QUOTE);
            add_blocks(doc, n, depth + 1);
            break;
        default: {
            n = leaf(doc, PK_NODE_LIST);
            unsigned items = below(4);
            for (unsigned j = 0; j < items; j++) {
                pk_node *item = leaf(doc, PK_NODE_ITEM);
                add_blocks(doc, item, depth + 1);
                assert_int_equal(pk_node_append_child(n, item), PK_OK);
            }
            break;
        }
        }
        assert_int_equal(pk_node_append_child(parent, n), PK_OK);
    }
}

static void meta_string(pk_doc *doc, const char *key, const char *s)
{
    pk_value *v = pk_value_new_string(doc, s, strlen(s));
    assert_non_null(v);
    assert_int_equal(pk_value_map_append(pk_doc_meta(doc), key, strlen(key), v),
                     PK_OK);
}

static void test_text_and_words_random(void **state)
{
    (void)state;
    rng_state = 3;
    for (int r = 0; r < 4000; r++) {
        uint64_t seed = rng_state;
        pk_doc *doc;
        pk_diag d = PK_DIAG_INIT;
        assert_int_equal(pk_doc_new(&doc), PK_OK);
        meta_string(doc, "title", "A release");
        meta_string(doc, "date", "2024-05-01");
        add_blocks(doc, pk_doc_root(doc), 0);
        PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
        PK_ASSERT_OK(pk_doc_analyse(doc, NULL, &d), &d);
        size_t want = ref_count_words(pk_doc_root(doc));
        if (pk_doc_word_count(doc) != want)
            fail_msg("seed %llu: %zu words, want %zu",
                     (unsigned long long)seed, pk_doc_word_count(doc), want);
        /* Every node's text, from the root down. */
        pk_iter *it = pk_iter_new(pk_doc_root(doc));
        pk_event ev;
        while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
            if (ev != PK_EVENT_ENTER)
                continue;
            pk_node *n = pk_iter_node(it);
            size_t wl, gl = 12345;
            char *w = ref_node_text(n, &wl);
            const char *g = pk_node_text(n, &gl);
            assert_non_null(g);
            if (wl != gl || memcmp(w, g, wl) != 0 || g[gl] != '\0')
                fail_msg("seed %llu: pk_node_text of a %s differs "
                         "(%zu bytes, want %zu)", (unsigned long long)seed,
                         pk_node_type_name(pk_node_get_type(n)), gl, wl);
            assert_int_equal(pk_node_text(n, NULL) != NULL, 1);
            free(w);
        }
        pk_iter_free(it);
        pk_doc_free(doc);
    }
}

static void test_first_open_mark_random(void **state)
{
    static const char *const pieces[] = {
        "a", " ", "\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x94",
        "\xE2", "\xE2\x80", "\x80\x9C", "\x9C", "said", "\xC2\xA0"};
    char buf[256];
    (void)state;
    rng_state = 4;
    for (int r = 0; r < 200000; r++) {
        size_t n = 0, count = below(20);
        for (size_t i = 0; i < count; i++) {
            const char *p = pieces[below(sizeof pieces / sizeof pieces[0])];
            size_t len = strlen(p);
            memcpy(buf + n, p, len);
            n += len;
        }
        /* Cut anywhere, even inside a mark. */
        size_t cut = n ? below((unsigned)n + 1) : 0;
        char *t = malloc(cut ? cut : 1);
        assert_non_null(t);
        memcpy(t, buf, cut);
        assert_int_equal(pk_first_open_mark(t, cut),
                         ref_first_open_mark(t, cut));
        free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_and_words_random),
        cmocka_unit_test(test_first_open_mark_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
