/*
 * test_xmlout.c - common-xml's direct serialiser writes the bytes
 * libxml2's xmlTextWriter writes for the same calls.
 *
 * The atom writer serialises through the direct back end of pkx_out
 * (plugins/common-xml/xmlout.c); the xml and xhtml writers through
 * libxml2.  Both must give the same bytes, so this test drives the two
 * with the same calls and compares: hand-picked strings, many random
 * documents of random calls (random bytes in text and attributes: markup
 * characters, controls, NUL, invalid UTF-8, U+FFFE), in the four layouts
 * (indented or not, attributes with character references or UTF-8), at a
 * given depth (pkx_out_open_buf), and many random release bodies through
 * the XHTML renderer.  Every direct output is also parsed back with
 * libxml2: well-formed, and its text is the text written, cleaned.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "pk_test.h"
#include "xhtml_body.h"
#include "xmlout.h"

#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

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

/* A string of random pieces: plain text, markup characters, controls,
 * NUL, UTF-8 of every length, forbidden characters and bytes that are not
 * UTF-8. */
static size_t random_bytes(char *buf, size_t cap)
{
    static const struct {
        const char *s;
        size_t len;
    } pieces[] = {
#define P(s) {s, sizeof s - 1}
        P("a"), P("Z"), P(" "), P("hello world"), P("<"), P(">"), P("&"),
        P("\""), P("'"), P("]]>"), P("&amp;"), P("\n"), P("\r"), P("\r\n"),
        P("\t"), P("\x01"), P("\x1f"), P("\x7f"), {"\0", 1}, P("\xC2\x80"),
        P("\xC3\xA9"), P("\xC4\x81"), P("\xE2\x80\x9C"), P("\xC2\xA0"),
        P("\xE2\x80\x91"), P("\xF0\x9F\x98\x80"), P("\xEF\xBF\xBD"),
        P("\xEF\xBF\xBE"), P("\xEF\xBF\xBF"), P("\xF4\x8F\xBF\xBF"),
        P("\xff"), P("\xfe"), P("\x80"), P("\xC3"), P("\xE2\x80"),
        P("\xED\xA0\x80"), P("\xC0\xAF"), P("\xF4\x90\x80\x80"),
        P("\xF0\x9F\x98"), P("\xE0\x80\xAF"), P("\xC1\xBF"), P("\xF5"),
        P("M\xC4\x81ori"), P("NZ$\xC2\xA0" "20"),
        P("The quick brown fox jumps over the lazy dog"),
#undef P
    };
    size_t n = 0, count = below(below(3) ? 8 : 40);
    for (size_t i = 0; i < count; i++) {
        size_t k = below(sizeof pieces / sizeof pieces[0]);
        if (n + pieces[k].len > cap)
            break;
        memcpy(buf + n, pieces[k].s, pieces[k].len);
        n += pieces[k].len;
    }
    return n;
}

/* ---- the two back ends, driven alike ----------------------------------- */

typedef struct pair {
    pk_sink *mem;   /* libxml2's output */
    pkx_out lx;     /* libxml2 */
    pkx_out dx;     /* direct, into its own buffer and a sink */
    pk_sink *dmem;
    pkx_out *extra; /* a third writer driven alike, or NULL */
    unsigned flags;
    size_t skip;    /* bytes of libxml2's output before ours */
} pair;

static void pair_open(pair *p, unsigned flags)
{
    memset(p, 0, sizeof *p);
    p->flags = flags;
    assert_int_equal(pk_sink_new_memory(&p->mem), PK_OK);
    assert_int_equal(pk_sink_new_memory(&p->dmem), PK_OK);
    assert_int_equal(pkx_out_open(&p->lx, p->mem, flags & PKX_OUT_INDENT),
                     PK_OK);
    assert_int_equal(pkx_out_open_direct(&p->dx, p->dmem, flags), PK_OK);
    /* libxml2 writes attributes in UTF-8 only with an encoding. */
    if (!(flags & PKX_OUT_ASCII_ATTRS)) {
        assert_true(xmlTextWriterStartDocument(p->lx.w, NULL, "UTF-8",
                                               NULL) >= 0);
        p->skip = strlen(DECL);
    }
}

/* Flushes both and compares; returns the direct output (until
 * pair_close). */
static const char *pair_check(pair *p, size_t *len)
{
    size_t ll, dl;
    assert_int_equal(pkx_out_flush(&p->lx), PK_OK);
    assert_int_equal(pkx_out_flush(&p->dx), PK_OK);
    const char *l = pk_sink_memory_data(p->mem, &ll);
    const char *d = pk_sink_memory_data(p->dmem, &dl);
    assert_true(ll >= p->skip);
    if (p->skip)
        assert_memory_equal(l, DECL, p->skip);
    l += p->skip;
    ll -= p->skip;
    if (ll != dl || memcmp(l, d, dl)) {
        size_t i = 0;
        while (i < ll && i < dl && l[i] == d[i])
            i++;
        size_t from = i > 60 ? i - 60 : 0;
        fail_msg("flags %u: outputs differ at byte %zu\nlibxml2: %.*s\n"
                 "direct:  %.*s", p->flags, i, (int)(ll - from > 120 ? 120 : ll - from),
                 l + from, (int)(dl - from > 120 ? 120 : dl - from), d + from);
    }
    *len = dl;
    return d;
}

static void pair_close(pair *p)
{
    pkx_out_close(&p->lx);
    pkx_out_close(&p->dx);
    pk_sink_free(p->mem);
    pk_sink_free(p->dmem);
}

/* Each call on every writer of the pair; all succeed. */
#define ALL(p, call)                                                          \
    do {                                                                      \
        pkx_out *o_;                                                          \
        o_ = &(p)->lx;                                                        \
        assert_true((call) >= 0);                                             \
        o_ = &(p)->dx;                                                        \
        assert_true((call) >= 0);                                             \
        if ((o_ = (p)->extra))                                                \
            assert_true((call) >= 0);                                         \
    } while (0)

static void start(pair *p, const char *name)
{
    ALL(p, pkx_start(o_, name));
}
static void start_ns(pair *p, const char *name, const char *uri)
{
    ALL(p, pkx_start_ns(o_, name, uri));
}
static void attr(pair *p, const char *name, const char *s, size_t len)
{
    ALL(p, pkx_attr(o_, name, s, len));
}
static void text(pair *p, const char *s, size_t len)
{
    ALL(p, pkx_text(o_, s, len));
}
static void raw(pair *p, const char *s)
{
    ALL(p, pkx_raw(o_, s, strlen(s)));
}
static void end(pair *p, bool full)
{
    if (full)
        ALL(p, pkx_full_end(o_));
    else
        ALL(p, pkx_end(o_));
}

/* ---- parsing back ------------------------------------------------------ */

/* Appends the text of n and its descendants. */
static void text_of(xmlNodePtr n, pkx_buf *out)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE)
            assert_int_equal(pkx_buf_add(out, (const char *)n->content,
                                         strlen((const char *)n->content)),
                             0);
        else if (n->type == XML_ELEMENT_NODE)
            text_of(n->children, out);
    }
}

/* Parses xml (one element), and unless want is NULL checks its text. */
static void parse_back(const char *xml, size_t len, const pkx_buf *want)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "direct.xml", "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    if (!doc)
        fail_msg("libxml2 cannot parse the output:\n%.*s", (int)len, xml);
    if (want) {
        pkx_buf got = {0};
        assert_int_equal(pkx_buf_add(&got, "", 0), 0);
        text_of(xmlDocGetRootElement(doc), &got);
        if (got.len != want->len || memcmp(got.data, want->data, got.len))
            fail_msg("text read back differs:\nwant: %s\ngot:  %s",
                     want->data, got.data);
        pkx_buf_free(&got);
    }
    xmlFreeDoc(doc);
}

/* ---- hand-picked ------------------------------------------------------- */

static void test_escapes(void **unused)
{
    (void)unused;
    static const char *const cases[] = {
        "", "plain", "<a href=\"x\">&amp;</a>", "tab\there\nnew\rline\r\n",
        "M\xC4\x81ori \xE2\x80\x9Cquoted\xE2\x80\x9D NZ$\xC2\xA0" "5",
        "emoji \xF0\x9F\x98\x80 max \xF4\x8F\xBF\xBF",
        "bad \xff \xC3 \xED\xA0\x80 \xC0\xAF \xEF\xBF\xBE\xEF\xBF\xBF end",
        "ctl \x01\x02\x1f\x7f \xC2\x80\xC2\x9F",
        "trailing lead \xC3",
    };
    for (unsigned flags = 0; flags < 4; flags++) {
        pair p;
        pair_open(&p, flags);
        start_ns(&p, "root", "urn:x?a=1&b=<2>\"\xC4\x81");
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            start(&p, "e");
            attr(&p, "v", cases[i], strlen(cases[i]));
            attr(&p, "xml:lang", "en", 2);
            text(&p, cases[i], strlen(cases[i]));
            end(&p, false);
            start(&p, "empty");
            attr(&p, "v", cases[i], strlen(cases[i]));
            end(&p, i % 2);
        }
        text(&p, "with NUL\0inside", 15);
        end(&p, false);
        size_t len;
        const char *d = pair_check(&p, &len);
        parse_back(d, len, NULL);
        pair_close(&p);
    }
}

/*
 * The cleaning, written independently: every character XML 1.0 forbids
 * and every byte that does not start well-formed UTF-8 (pk_utf8_decode)
 * becomes U+FFFD.
 */
static void ref_clean(pkx_buf *out, const char *s, size_t len)
{
    assert_int_equal(pkx_buf_add(out, "", 0), 0);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = pk_utf8_decode(s + i, len - i, &cp);
        bool ok = n > 0 && (cp >= 0x20 || cp == 0x09 || cp == 0x0A ||
                            cp == 0x0D) &&
                  cp != 0xFFFE && cp != 0xFFFF;
        if (ok)
            assert_int_equal(pkx_buf_add(out, s + i, n), 0);
        else
            assert_int_equal(pkx_buf_add(out, "\xEF\xBF\xBD", 3), 0);
        i += n ? n : 1;
    }
}

/* The cleaner and the text escaper alone, against the reference cleaning
 * and libxml2's own escaping; appending after what a buffer holds. */
static void test_buf_escapers(void **unused)
{
    (void)unused;
    rng_state = 1;
    for (int round = 0; round < 5000; round++) {
        char s[1024];
        size_t n = random_bytes(s, sizeof s);
        pkx_buf ref = {0}, clean = {0}, got = {0};
        ref_clean(&ref, s, n);
        assert_int_equal(pkx_buf_add(&clean, "x", 1), 0);
        assert_int_equal(pkx_buf_add_xml(&clean, s, n), 0);
        assert_int_equal(clean.len, 1 + ref.len);
        assert_memory_equal(clean.data + 1, ref.data, ref.len);
        assert_int_equal(clean.data[clean.len], '\0');
        xmlChar *want = xmlEncodeSpecialChars(NULL, BAD_CAST ref.data);
        assert_int_equal(pkx_buf_add(&got, "x", 1), 0);
        assert_int_equal(pkx_buf_add_text(&got, s, n), 0);
        assert_int_equal(got.len, 1 + strlen((const char *)want));
        assert_string_equal(got.data + 1, (const char *)want);
        xmlFree(want);
        pkx_buf_free(&ref);
        pkx_buf_free(&clean);
        pkx_buf_free(&got);
    }
}

/* ---- random documents --------------------------------------------------- */

static const char *const element_names[] = {"p", "em", "div", "x-y", "h6",
                                            "entry", "a"};
static const char *const attr_names[] = {"class", "href", "xml:lang",
                                         "data-speaker", "t"};
static const char *const uris[] = {
    "http://www.w3.org/1999/xhtml", "http://www.w3.org/2005/Atom",
    "urn:x?a=1&b=<2>", "http://example.org/M\xC4\x81ori",
};
static const char *const raws[] = {"\n", "", "x", "<i/>", "&amp;",
                                   "\xC4\x81", "\n\n"};

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/*
 * Random calls inside one root (or, with depth > 0, inside elements
 * already open): starts, attributes while a start tag is open, text, raw
 * bytes, ends of both kinds; everything opened is closed.  The text
 * written, cleaned, goes to want.  Text only inside an element: outside
 * any, libxml2 writes it unescaped, the direct back end escaped.
 */
static void random_calls(pair *p, pkx_buf *want, bool root, bool top_text)
{
    size_t depth = 0, steps = below(60);
    bool open = false;
    unsigned used = 0; /* attributes of the open start tag */
    char s[1024];
    if (root) {
        start_ns(p, PICK(element_names), PICK(uris));
        depth = 1;
        open = true;
    }
    (void)used;
    for (size_t i = 0; i < steps; i++) {
        unsigned op = below(10);
        if (op < 2 && open) {
            size_t n = random_bytes(s, sizeof s);
            unsigned k = below(sizeof attr_names / sizeof attr_names[0]);
            if (used & (1u << k))
                continue; /* an attribute appears once */
            used |= 1u << k;
            attr(p, attr_names[k], s, n);
        } else if (op < 4 && depth < 12) {
            if (below(4))
                start(p, PICK(element_names));
            else
                start_ns(p, PICK(element_names), PICK(uris));
            depth++;
            open = true;
            used = 0;
        } else if (op < 7 && !depth && !top_text) {
            continue;
        } else if (op < 6) {
            size_t n = random_bytes(s, sizeof s);
            text(p, s, n);
            ref_clean(want, s, n);
            open = false;
        } else if (op < 7) {
            const char *r = PICK(raws);
            raw(p, r);
            if (strcmp(r, "<i/>") && strcmp(r, "&amp;"))
                assert_int_equal(pkx_buf_add(want, r, strlen(r)), 0);
            else if (!strcmp(r, "&amp;"))
                assert_int_equal(pkx_buf_add(want, "&", 1), 0);
            open = false;
        } else if (depth > (root ? 1u : 0u)) {
            end(p, below(2));
            depth--;
            open = false;
        }
    }
    while (depth > 0) {
        end(p, below(2));
        depth--;
    }
}

static void test_random_documents(void **unused)
{
    (void)unused;
    rng_state = 7;
    for (int round = 0; round < 4000; round++) {
        unsigned flags = (unsigned)round % 4;
        pair p;
        pkx_buf want = {0};
        assert_int_equal(pkx_buf_add(&want, "", 0), 0);
        pair_open(&p, flags);
        random_calls(&p, &want, true, false);
        size_t len;
        const char *d = pair_check(&p, &len);
        /* Indentation adds text of its own: compare text unindented. */
        parse_back(d, len, flags & PKX_OUT_INDENT ? NULL : &want);
        pair_close(&p);
        pkx_buf_free(&want);
    }
}

/*
 * pkx_out_open_buf(depth): the bytes libxml2 writes for the same calls
 * inside `depth` open elements that already have content.
 */
static void test_depth(void **unused)
{
    (void)unused;
    rng_state = 11;
    for (int round = 0; round < 2000; round++) {
        unsigned flags = (unsigned)round % 4;
        size_t depth = below(4);
        pair p;
        pkx_buf want = {0}, got = {0};
        assert_int_equal(pkx_buf_add(&want, "", 0), 0);
        pair_open(&p, flags);
        for (size_t i = 0; i < depth; i++) {
            start(&p, "wrap");
            raw(&p, "w");
        }
        size_t before;
        assert_int_equal(pkx_out_flush(&p.dx), PK_OK);
        pk_sink_memory_data(p.dmem, &before);
        pkx_out b;
        assert_int_equal(pkx_out_open_buf(&b, &got, flags, depth), PK_OK);
        p.extra = &b;
        random_calls(&p, &want, below(2), depth > 0);
        p.extra = NULL;
        size_t len;
        const char *d = pair_check(&p, &len);
        assert_true(len >= before);
        assert_int_equal(len - before, got.len);
        assert_memory_equal(d + before, got.data ? got.data : "", got.len);
        pkx_out_close(&b);
        pair_close(&p);
        pkx_buf_free(&want);
        pkx_buf_free(&got);
    }
}

/* ---- random release bodies --------------------------------------------- */

static pk_doc *cur;

static pk_node *node(pk_node *parent, pk_node_type type)
{
    pk_node *n = pk_node_new(cur, type);
    assert_non_null(n);
    assert_int_equal(pk_node_append_child(parent, n), PK_OK);
    return n;
}

static void set_literal(pk_node *n)
{
    char s[1024];
    size_t len = random_bytes(s, sizeof s);
    assert_int_equal(pk_node_set_literal(n, s, len), PK_OK);
}

static const char *const urls[] = {
    "https://example.org/a?b=1&c=<2>", "relative/path", "../up", "#frag",
    "javascript:alert(1)", "data:image/png;base64,AAAA",
    "data:text/html,<b>", "mailto:a@example.org", "http://x/\xC4\x81",
    "//host/p", "", " JaVaScRiPt:x", "ftp://f/\x01",
};

static void inlines(pk_node *parent, int depth)
{
    size_t n = below(6);
    for (size_t i = 0; i < n; i++) {
        unsigned k = depth > 4 ? below(5) : below(10);
        pk_node *c;
        switch (k) {
        case 0: case 1:
            set_literal(node(parent, PK_NODE_TEXT));
            break;
        case 2:
            node(parent, below(2) ? PK_NODE_SOFTBREAK : PK_NODE_LINEBREAK);
            break;
        case 3:
            set_literal(node(parent, PK_NODE_CODE));
            break;
        case 4:
            set_literal(node(parent, PK_NODE_HTML_INLINE));
            break;
        case 5:
            inlines(node(parent, PK_NODE_EMPH), depth + 1);
            break;
        case 6:
            inlines(node(parent, PK_NODE_STRONG), depth + 1);
            break;
        default: {
            c = node(parent, k == 9 ? PK_NODE_IMAGE : PK_NODE_LINK);
            const char *u = PICK(urls);
            assert_int_equal(pk_node_set_url(c, u, strlen(u)), PK_OK);
            if (below(2)) {
                char t[256];
                size_t tl = random_bytes(t, sizeof t);
                assert_int_equal(pk_node_set_title(c, t, tl), PK_OK);
            }
            inlines(c, depth + 1);
            break;
        }
        }
    }
}

static void blocks(pk_node *parent, int depth)
{
    size_t n = 1 + below(5);
    for (size_t i = 0; i < n; i++) {
        unsigned k = depth > 3 ? below(4) : below(9);
        pk_node *c;
        switch (k) {
        case 0: case 1:
            inlines(node(parent, PK_NODE_PARAGRAPH), 0);
            break;
        case 2:
            c = node(parent, PK_NODE_HEADING);
            assert_int_equal(pk_node_set_heading_level(c, 1 + (int)below(6)),
                             PK_OK);
            inlines(c, 0);
            break;
        case 3: {
            c = node(parent, PK_NODE_CODE_BLOCK);
            set_literal(c);
            if (below(2)) {
                char info[64];
                size_t il = random_bytes(info, sizeof info);
                assert_int_equal(pk_node_set_fence_info(c, info, il), PK_OK);
            }
            break;
        }
        case 4:
            set_literal(node(parent, PK_NODE_HTML_BLOCK));
            break;
        case 5:
            node(parent, PK_NODE_THEMATIC_BREAK);
            break;
        case 6:
            blocks(node(parent, PK_NODE_BLOCK_QUOTE), depth + 1);
            break;
        default: {
            c = node(parent, PK_NODE_LIST);
            bool ordered = below(2);
            assert_int_equal(pk_node_set_list_type(c, ordered
                                                          ? PK_LIST_ORDERED
                                                          : PK_LIST_BULLET),
                             PK_OK);
            if (ordered)
                assert_int_equal(pk_node_set_list_start(c, (long)below(4)),
                                 PK_OK);
            assert_int_equal(pk_node_set_list_tight(c, below(2)), PK_OK);
            size_t items = 1 + below(3);
            for (size_t j = 0; j < items; j++)
                blocks(node(c, PK_NODE_ITEM), depth + 1);
            break;
        }
        }
    }
}

static void test_random_bodies(void **unused)
{
    (void)unused;
    rng_state = 23;
    for (int round = 0; round < 1500; round++) {
        assert_int_equal(pk_doc_new(&cur), PK_OK);
        blocks(pk_doc_root(cur), 0);
        pkx_xhtml_options ro = PKX_XHTML_OPTIONS_INIT;
        ro.heading_offset = (int)below(3);
        ro.remote_images_as_links = below(2);
        ro.data_images = below(2);
        if (below(2))
            ro.base_url = "https://example.org/releases/x?y#z";
        /* The atom writer's layout (no indentation, character references)
         * and the xhtml writer's (UTF-8). */
        unsigned flags = below(2) ? PKX_OUT_ASCII_ATTRS : 0;
        pair p;
        pair_open(&p, flags);
        start_ns(&p, "div", PKX_XHTML_NS);
        raw(&p, "\n");
        assert_int_equal(pkx_xhtml_render_body(&p.lx, cur, &ro), PK_OK);
        assert_int_equal(pkx_xhtml_render_body(&p.dx, cur, &ro), PK_OK);
        end(&p, true);
        size_t len;
        const char *d = pair_check(&p, &len);
        parse_back(d, len, NULL);
        pair_close(&p);
        pk_doc_free(cur);
        cur = NULL;
    }
}

int main(void)
{
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_buf_escapers),
        cmocka_unit_test(test_random_documents),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_random_bodies),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
