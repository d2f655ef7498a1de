/*
 * test_atom.c - the atom writer, loaded as a module the way the CLI loads
 * it, fed documents built through the model API.
 *
 * Usage: test_atom PLUGIN.so GOLDEN.atom
 * PK_UPDATE_GOLDEN=1 rewrites GOLDEN.atom from the current output (then
 * read the diff before committing it).
 *
 * The plugin's text.c is compiled in and common-xml (where its body
 * renderer, URL policy and RFC 3986 resolution live) linked, to check the
 * slugs, the URL policy and the resolution table directly.
 */
#include "pk_test.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "atom.h"
#include "xhtml_body.h"

#define XHTML_NS PKX_XHTML_NS

static const char *plugin_path;
static const char *golden_path;
static pk_context *ctx;
static const pk_plugin *atom;

/* ---- building documents ------------------------------------------------ */

typedef struct spec {
    const char *source, *title, *date, *url, *lang;
    const char *ministers[4];
    const char *portfolios[4];
} spec;

static void put(pk_doc *d, const char *key, pk_value *v)
{
    assert_non_null(v);
    assert_int_equal(pk_value_map_append(pk_doc_meta(d), key, strlen(key), v),
                     PK_OK);
}

static pk_value *str(pk_doc *d, const char *s)
{
    return pk_value_new_string(d, s, strlen(s));
}

static pk_value *list(pk_doc *d, const char *const *items)
{
    pk_value *l = pk_value_new_list(d);
    assert_non_null(l);
    for (size_t i = 0; i < 4 && items[i]; i++)
        assert_int_equal(pk_value_list_append(l, str(d, items[i])), PK_OK);
    return l;
}

/* A document with the metadata of s and an empty body. */
static pk_doc *new_doc(const spec *s)
{
    pk_doc *d;
    assert_int_equal(pk_doc_new(&d), PK_OK);
    assert_int_equal(pk_doc_set_source(d, s->source), PK_OK);
    put(d, "title", str(d, s->title));
    put(d, "date", str(d, s->date));
    if (s->url)
        put(d, "url", str(d, s->url));
    if (s->lang)
        put(d, "lang", str(d, s->lang));
    if (s->ministers[0])
        put(d, "ministers", list(d, s->ministers));
    if (s->portfolios[0])
        put(d, "portfolios", list(d, s->portfolios));
    return d;
}

static pk_doc *cur; /* the document the helpers below add to */

static pk_node *node(pk_node *parent, pk_node_type type)
{
    pk_node *n = pk_node_new(cur, type);
    assert_non_null(n);
    assert_int_equal(pk_node_append_child(parent, n), PK_OK);
    return n;
}

static pk_node *leaf(pk_node *parent, pk_node_type type, const char *s,
                     size_t len)
{
    pk_node *n = node(parent, type);
    assert_int_equal(pk_node_set_literal(n, s, len), PK_OK);
    return n;
}

static pk_node *text(pk_node *parent, const char *s)
{
    return leaf(parent, PK_NODE_TEXT, s, strlen(s));
}

static pk_node *para(pk_node *parent, const char *s)
{
    pk_node *p = node(parent, PK_NODE_PARAGRAPH);
    text(p, s);
    return p;
}

static pk_node *link_to(pk_node *parent, pk_node_type type, const char *url,
                        const char *title, const char *label)
{
    pk_node *a = node(parent, type);
    assert_int_equal(pk_node_set_url(a, url, strlen(url)), PK_OK);
    if (title)
        assert_int_equal(pk_node_set_title(a, title, strlen(title)), PK_OK);
    text(a, label);
    return a;
}

static pk_node *list_of(pk_node *parent, pk_list_type type, long start,
                        bool tight, const char *const *items)
{
    pk_node *l = node(parent, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(l, type), PK_OK);
    if (type == PK_LIST_ORDERED)
        assert_int_equal(pk_node_set_list_start(l, start), PK_OK);
    assert_int_equal(pk_node_set_list_tight(l, tight), PK_OK);
    for (size_t i = 0; items[i]; i++)
        para(node(l, PK_NODE_ITEM), items[i]);
    return l;
}

/* Validates and analyses the document being built. */
static pk_doc *done(void)
{
    pk_diag diag = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_validate(cur, &diag), &diag);
    PK_ASSERT_OK(pk_doc_analyse(cur, NULL, &diag), &diag);
    pk_doc *d = cur;
    cur = NULL;
    return d;
}

/* A release with highlights and a lead paragraph. */
static pk_doc *simple(const spec *s)
{
    cur = new_doc(s);
    pk_node *root = pk_doc_root(cur);
    static const char *const hl[] = {"First point", "Second point", NULL};
    list_of(root, PK_LIST_BULLET, 0, true, hl);
    para(root, "The lead paragraph.");
    return done();
}

/* ---- running the writer ------------------------------------------------ */

typedef struct kv {
    const char *key, *value;
} kv;

static pk_options *options(const kv *opts)
{
    pk_options *o;
    pk_diag diag = PK_DIAG_INIT;
    assert_int_equal(pk_options_new(&o, "atom", atom->options), PK_OK);
    for (size_t i = 0; opts && opts[i].key; i++)
        PK_ASSERT_OK(pk_options_set(o, opts[i].key, opts[i].value, &diag),
                     &diag);
    return o;
}

/* Writes docs[order[i]] in that order (order NULL: as given) into a
 * memory sink with options opts; every write must succeed.  Returns the
 * feed (malloc'd). */
static char *feed_of(const kv *opts, pk_doc **docs, size_t n,
                     const size_t *order)
{
    pk_options *o = options(opts);
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state;
    assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
    PK_ASSERT_OK(atom->writer->open(&state, sink, o, 0, &diag), &diag);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_OK(atom->writer->write(state, docs[order ? order[i] : i],
                                         &diag),
                     &diag);
    PK_ASSERT_OK(atom->writer->close(state, &diag), &diag);
    size_t len;
    char *out = strdup(pk_sink_memory_data(sink, &len));
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    pk_sink_free(sink);
    pk_options_free(o);
    return out;
}

static void free_docs(pk_doc **docs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pk_doc_free(docs[i]);
}

/* Parses a feed with libxml2 (no network, no entities from outside);
 * fails the test if it is not well-formed. */
static xmlDocPtr parse(const char *xml)
{
    xmlDocPtr x = xmlReadMemory(xml, (int)strlen(xml), "feed.xml", NULL,
                                XML_PARSE_NONET);
    if (!x)
        fail_msg("the feed is not well-formed XML:\n%s", xml);
    return x;
}

/* Collects, in document order, attribute attr (or the text when attr is
 * NULL) of every element name in namespace ns. */
typedef struct strings {
    char *items[128];
    size_t count;
} strings;

static void collect(xmlNodePtr n, const char *ns, const char *name,
                    const char *attr, strings *out)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)n->name, name) && n->ns &&
            !strcmp((const char *)n->ns->href, ns) && out->count < 128) {
            xmlChar *v = attr ? xmlGetProp(n, (const xmlChar *)attr)
                              : xmlNodeGetContent(n);
            out->items[out->count++] = v ? strdup((char *)v) : NULL;
            xmlFree(v);
        }
        collect(n->children, ns, name, attr, out);
    }
}

static strings find_all(const char *xml, const char *ns, const char *name,
                        const char *attr)
{
    strings s = {{0}, 0};
    xmlDocPtr x = parse(xml);
    collect(xmlDocGetRootElement(x), ns, name, attr, &s);
    xmlFreeDoc(x);
    return s;
}

static void free_strings(strings *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    s->count = 0;
}

static bool has_element_named(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            (!xmlStrcasecmp(n->name, (const xmlChar *)name) ||
             has_element_named(n->children, name)))
            return true;
    }
    return false;
}

/* Asserts that the entries' ids are want[0..n) in that order. */
static void assert_ids(const char *xml, const char *const *want, size_t n)
{
    strings ids = find_all(xml, ATOM_NS, "id", NULL);
    /* the first id is the feed's */
    if (ids.count != n + 1)
        fail_msg("expected %zu entries, got %zu:\n%s", n,
                 ids.count ? ids.count - 1 : 0, xml);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_STR(want[i], ids.items[i + 1]);
    free_strings(&ids);
}

/* Next permutation of idx[0..n) in lexicographic order; false after the
 * last. */
static bool next_permutation(size_t *idx, size_t n)
{
    if (n < 2)
        return false;
    size_t i = n - 1;
    while (i > 0 && idx[i - 1] >= idx[i])
        i--;
    if (i == 0)
        return false;
    size_t j = n - 1;
    while (idx[j] <= idx[i - 1])
        j--;
    size_t t = idx[i - 1];
    idx[i - 1] = idx[j];
    idx[j] = t;
    for (size_t a = i, b = n - 1; a < b; a++, b--) {
        t = idx[a];
        idx[a] = idx[b];
        idx[b] = t;
    }
    return true;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *p = realloc(buf, cap);
            assert_non_null(p);
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* ---- the tests ---------------------------------------------------------- */

static void test_descriptor(void **unused)
{
    (void)unused;
    PK_ASSERT_STR("atom", atom->name);
    assert_int_equal(atom->kind, PK_PLUGIN_WRITER);
    assert_true(atom->flags & PK_PLUGIN_AGGREGATE);
    PK_ASSERT_STR("atom", atom->extensions[0]);
    PK_ASSERT_STR("application/atom+xml", atom->media_type);
    static const char *const names[] = {"title", "subtitle", "id", "author",
                                        "link", "self", "tz", "limit",
                                        "scheme", "split", "authority"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        bool found = false;
        for (const pk_option_def *d = atom->options; d->name; d++)
            if (!strcmp(d->name, names[i])) {
                found = true;
                assert_non_null(d->help);
            }
        if (!found)
            fail_msg("option %s is not declared", names[i]);
    }
}

/* The golden feed: two releases covering every element the writer can
 * produce. */
static pk_doc *golden_release(void)
{
    spec s = {"2024/2024-03-05-harbour.md",
              "Harbour upgrade & the \"new\" wharf",
              "2024-03-05",
              "https://www.example.govt.nz/release/harbour-upgrade",
              NULL,
              {"Hon Mereana Pōtae", "Hon Jo Bloggs", NULL},
              {"Māori Development", "Arts, Culture and Heritage", NULL}};
    cur = new_doc(&s);
    pk_node *root = pk_doc_root(cur);
    static const char *const hl[] = {"NZ$ 24 million over four years",
                                     "Work starts in May", NULL};
    list_of(root, PK_LIST_BULLET, 0, true, hl);
    pk_node *p = node(root, PK_NODE_PARAGRAPH);
    text(p, "The wharf will be ");
    text(node(p, PK_NODE_EMPH), "rebuilt");
    text(p, ", the ");
    text(node(p, PK_NODE_STRONG), "Minister");
    text(p, " said.");
    node(p, PK_NODE_SOFTBREAK);
    text(p, "See ");
    link_to(p, PK_NODE_LINK, "/release/plan", "The plan", "the plan");
    text(p, " and ");
    leaf(p, PK_NODE_CODE, "a < b", 5);
    node(p, PK_NODE_LINEBREAK);
    link_to(p, PK_NODE_IMAGE, "img/wharf.jpg", NULL, "The wharf");
    pk_node *h = node(root, PK_NODE_HEADING);
    assert_int_equal(pk_node_set_heading_level(h, 2), PK_OK);
    text(h, "How it works");
    static const char *const steps[] = {"Apply", "Wait", NULL};
    list_of(root, PK_LIST_ORDERED, 3, false, steps);
    para(node(root, PK_NODE_BLOCK_QUOTE), "Quoted.");
    pk_node *code = leaf(root, PK_NODE_CODE_BLOCK, "x = 1;\n  y\n", 11);
    assert_int_equal(pk_node_set_fence_info(code, "c extra", 7), PK_OK);
    node(root, PK_NODE_THEMATIC_BREAK);
    leaf(root, PK_NODE_HTML_BLOCK, "<div class=\"x\">raw</div>\n", 25);
    return done();
}

static pk_doc *golden_second(void)
{
    /* no url, no ministers, no highlights, a language of its own */
    spec s = {"2023-12-01-notice.md", "Pānui", "2023-12-01T09:30:00+13:00",
              NULL, "mi", {NULL}, {NULL}};
    cur = new_doc(&s);
    para(pk_doc_root(cur), "Only a lead.");
    return done();
}

static void test_golden(void **unused)
{
    (void)unused;
    pk_doc *docs[] = {golden_second(), golden_release()};
    static const kv opts[] = {
        {"title", "Example releases"},
        {"subtitle", "News from the example ministry"},
        {"link", "https://www.example.govt.nz/releases"},
        {"self", "https://www.example.govt.nz/feeds/feed.atom"},
        {"scheme", "https://www.example.govt.nz/portfolio"},
        {NULL, NULL}};
    char *got = feed_of(opts, docs, 2, NULL);
    if (getenv("PK_UPDATE_GOLDEN")) {
        FILE *f = fopen(golden_path, "wb");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    }
    char *want = read_file(golden_path);
    if (!want)
        fail_msg("cannot read %s", golden_path);
    if (strcmp(want, got) != 0) {
        FILE *f = fopen("atom-golden.actual", "wb");
        if (f) {
            fputs(got, f);
            fclose(f);
        }
        fail_msg("the feed differs from %s: see atom-golden.actual in the "
                 "test's directory (PK_UPDATE_GOLDEN=1 rewrites the golden "
                 "file)", golden_path);
    }
    xmlFreeDoc(parse(got));
    free(want);
    free(got);
    free_docs(docs, 2);
}

static void test_order(void **unused)
{
    (void)unused;
    /* Instants: B and C are simultaneous (ids break the tie), D is a
     * date-time east of UTC that is older than the plain date A. */
    spec specs[] = {
        {"a.md", "A", "2024-05-02", "https://example.org/a", NULL, {NULL}, {NULL}},
        {"c.md", "C", "2024-05-01", "https://example.org/c", NULL, {NULL}, {NULL}},
        {"b.md", "B", "2024-05-01T00:00:00Z", "https://example.org/b", NULL,
         {NULL}, {NULL}},
        {"d.md", "D", "2024-05-02T09:00:00+13:00", "https://example.org/d",
         NULL, {NULL}, {NULL}},
    };
    pk_doc *docs[4];
    for (size_t i = 0; i < 4; i++)
        docs[i] = simple(&specs[i]);
    size_t idx[] = {0, 1, 2, 3};
    char *first = feed_of(NULL, docs, 4, idx);
    static const char *const want[] = {
        "https://example.org/a", "https://example.org/d",
        "https://example.org/b", "https://example.org/c"};
    assert_ids(first, want, 4);
    size_t perms = 0;
    while (next_permutation(idx, 4)) {
        char *again = feed_of(NULL, docs, 4, idx);
        if (strcmp(first, again))
            fail_msg("input order changed the feed");
        free(again);
        perms++;
    }
    assert_int_equal(perms, 23);
    free(first);
    free_docs(docs, 4);
}

static void test_limit(void **unused)
{
    (void)unused;
    enum { N = 7 };
    pk_doc *docs[N];
    char src[N][16], url[N][64], date[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(src[i], sizeof src[i], "r%d.md", i);
        snprintf(url[i], sizeof url[i], "https://example.org/r%d", i);
        /* r3 and r4 share a date: r3's id sorts first */
        snprintf(date[i], sizeof date[i], "2024-01-%02d", i == 4 ? 13 : 10 + i);
        spec s = {src[i], src[i], date[i], url[i], NULL, {NULL}, {NULL}};
        docs[i] = simple(&s);
    }
    static const kv three[] = {{"limit", "3"}, {NULL, NULL}};
    static const char *const want[] = {"https://example.org/r6",
                                       "https://example.org/r5",
                                       "https://example.org/r3"};
    size_t orders[][N] = {{0, 1, 2, 3, 4, 5, 6},
                          {6, 5, 4, 3, 2, 1, 0},
                          {3, 6, 0, 4, 1, 5, 2},
                          {4, 2, 6, 1, 3, 0, 5}};
    char *first = NULL;
    for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
        char *got = feed_of(three, docs, N, orders[o]);
        assert_ids(got, want, 3);
        if (!first)
            first = got;
        else {
            PK_ASSERT_STR(first, got);
            free(got);
        }
    }
    /* the feed's updated is the newest entry's */
    strings upd = find_all(first, ATOM_NS, "updated", NULL);
    PK_ASSERT_STR("2024-01-16T00:00:00Z", upd.items[0]);
    free_strings(&upd);
    free(first);

    static const kv zero[] = {{"limit", "0"}, {NULL, NULL}};
    char *all = feed_of(zero, docs, N, NULL);
    strings ids = find_all(all, ATOM_NS, "entry", NULL);
    assert_int_equal(ids.count, N);
    free_strings(&ids);
    free(all);
    free_docs(docs, N);
}

static void test_tz(void **unused)
{
    (void)unused;
    spec specs[] = {
        {"plain.md", "Plain", "2024-05-01", "https://example.org/plain", NULL,
         {NULL}, {NULL}},
        {"local.md", "Local", "2024-05-01T09:30", "https://example.org/local",
         NULL, {NULL}, {NULL}},
        {"utc.md", "UTC", "2024-04-30T13:00:00Z", "https://example.org/utc",
         NULL, {NULL}, {NULL}},
    };
    pk_doc *docs[3];
    for (size_t i = 0; i < 3; i++)
        docs[i] = simple(&specs[i]);
    static const kv nz[] = {{"tz", "+12:00"}, {NULL, NULL}};
    char *got = feed_of(nz, docs, 3, NULL);
    /* plain: 2024-04-30T12:00Z, older than utc */
    static const char *const want[] = {"https://example.org/local",
                                       "https://example.org/utc",
                                       "https://example.org/plain"};
    assert_ids(got, want, 3);
    strings pub = find_all(got, ATOM_NS, "published", NULL);
    assert_int_equal(pub.count, 3);
    PK_ASSERT_STR("2024-05-01T09:30:00+12:00", pub.items[0]);
    PK_ASSERT_STR("2024-04-30T13:00:00Z", pub.items[1]);
    PK_ASSERT_STR("2024-05-01T00:00:00+12:00", pub.items[2]);
    free_strings(&pub);
    free(got);

    /* the default is UTC: plain is newer than utc then */
    got = feed_of(NULL, docs, 3, NULL);
    static const char *const utc_order[] = {"https://example.org/local",
                                            "https://example.org/plain",
                                            "https://example.org/utc"};
    assert_ids(got, utc_order, 3);
    assert_non_null(strstr(got, "<published>2024-05-01T00:00:00Z</published>"));
    free(got);

    static const kv west[] = {{"tz", "-05:30"}, {NULL, NULL}};
    got = feed_of(west, docs, 3, NULL);
    assert_non_null(strstr(got, "<published>2024-05-01T00:00:00-05:30</published>"));
    free(got);
    free_docs(docs, 3);
}

static void expect_open_error(const kv *opts, const char *needle)
{
    pk_options *o = options(opts);
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state = NULL;
    assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
    int rc = atom->writer->open(&state, sink, o, 0, &diag);
    if (rc != PK_EINVAL)
        fail_msg("open with %s=%s returned %s, expected invalid argument",
                 opts[0].key, opts[0].value, pk_status_str(rc));
    if (!strstr(diag.message, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, diag.message);
    assert_null(state);
    pk_sink_free(sink);
    pk_options_free(o);
}

/* A document straight from a reader, not validated or analysed, is
 * refused (not a crash), and the feed goes on. */
static void test_unvalidated(void **unused)
{
    (void)unused;
    spec s = {"raw.md", "Raw", "2024-01-01", NULL, NULL, {NULL}, {NULL}};
    pk_doc *raw = new_doc(&s);
    pk_doc *ok = simple(&(spec){"ok.md", "OK", "2024-01-02",
                                "https://example.org/ok", NULL, {NULL},
                                {NULL}});
    pk_options *o = options(NULL);
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state;
    assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
    PK_ASSERT_OK(atom->writer->open(&state, sink, o, 0, &diag), &diag);
    assert_int_equal(atom->writer->write(state, raw, &diag), PK_EINVAL);
    PK_ASSERT_STR("raw.md", diag.file);
    PK_ASSERT_OK(atom->writer->write(state, ok, &diag), &diag);
    PK_ASSERT_OK(atom->writer->close(state, &diag), &diag);
    assert_ids(pk_sink_memory_data(sink, NULL),
               (const char *const[]){"https://example.org/ok"}, 1);
    pk_sink_free(sink);
    pk_options_free(o);
    pk_doc_free(raw);
    pk_doc_free(ok);
}

static void test_bad_options(void **unused)
{
    (void)unused;
    static const kv bad[][2] = {
        {{"tz", "+1200"}, {NULL, NULL}},
        {{"tz", "12:00"}, {NULL, NULL}},
        {{"tz", "+24:00"}, {NULL, NULL}},
        {{"tz", "+05:60"}, {NULL, NULL}},
        {{"tz", "UTC"}, {NULL, NULL}},
        {{"limit", "-1"}, {NULL, NULL}},
        {{"split", "year"}, {NULL, NULL}},
        {{"split", "portfolio"}, {NULL, NULL}},
        {{"link", "/releases"}, {NULL, NULL}},
        {{"id", "not a uri"}, {NULL, NULL}},
        {{"self", "https://example.org/a feed"}, {NULL, NULL}},
        {{"authority", "example.org,2020"}, {NULL, NULL}},
    };
    static const char *const needles[] = {
        "atom.tz", "atom.tz", "atom.tz", "atom.tz", "atom.tz", "atom.limit",
        "atom.split", "atom.split needs -O DIR", "atom.link", "atom.id",
        "atom.self", "atom.authority"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_open_error(bad[i], needles[i]);
}

static void test_duplicate(void **unused)
{
    (void)unused;
    spec sa = {"a.md", "Newer", "2024-02-02", "https://example.org/same", NULL,
               {NULL}, {NULL}};
    spec sb = {"b.md", "Older", "2024-02-01", "https://example.org/same", NULL,
               {NULL}, {NULL}};
    spec sc = {"c.md", "Other", "2024-01-01", "https://example.org/other",
               NULL, {NULL}, {NULL}};
    pk_doc *docs[] = {simple(&sa), simple(&sb), simple(&sc)};
    static const size_t orders[][3] = {{0, 1, 2}, {1, 0, 2}, {2, 1, 0}};
    char *first = NULL;
    for (size_t o = 0; o < 3; o++) {
        pk_options *opts = options(NULL);
        pk_sink *sink;
        pk_diag diag = PK_DIAG_INIT;
        void *state;
        assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
        PK_ASSERT_OK(atom->writer->open(&state, sink, opts, 0, &diag), &diag);
        int errors = 0;
        for (size_t i = 0; i < 3; i++) {
            const pk_doc *d = docs[orders[o][i]];
            pk_diag_clear(&diag);
            int rc = atom->writer->write(state, d, &diag);
            if (rc == PK_OK)
                continue;
            errors++;
            assert_int_equal(rc, PK_EINPUT);
            PK_ASSERT_STR(pk_doc_source(d), diag.file);
            const char *other = d == docs[0] ? "b.md" : "a.md";
            char want[256];
            snprintf(want, sizeof want,
                     "duplicate entry id https://example.org/same: also in %s",
                     other);
            PK_ASSERT_STR(want, diag.message);
        }
        assert_int_equal(errors, 1);
        PK_ASSERT_OK(atom->writer->close(state, &diag), &diag);
        const char *got = pk_sink_memory_data(sink, NULL);
        /* the newer of the two is kept, whichever came first */
        assert_non_null(strstr(got, "<title>Newer</title>"));
        assert_null(strstr(got, "<title>Older</title>"));
        if (!first)
            first = strdup(got);
        else
            PK_ASSERT_STR(first, got);
        pk_sink_free(sink);
        pk_options_free(opts);
    }
    free(first);

    /* Under atom.limit the first copy may be gone already: still an
     * error. */
    static const kv one[] = {{"limit", "1"}, {NULL, NULL}};
    pk_options *opts = options(one);
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state;
    assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
    PK_ASSERT_OK(atom->writer->open(&state, sink, opts, 0, &diag), &diag);
    spec newest = {"n.md", "Newest", "2025-01-01", "https://example.org/n",
                   NULL, {NULL}, {NULL}};
    pk_doc *n = simple(&newest);
    PK_ASSERT_OK(atom->writer->write(state, docs[1], &diag), &diag);
    PK_ASSERT_OK(atom->writer->write(state, n, &diag), &diag);
    assert_int_equal(atom->writer->write(state, docs[0], &diag), PK_EINPUT);
    assert_non_null(strstr(diag.message, "duplicate entry id "
                                         "https://example.org/same"));
    PK_ASSERT_OK(atom->writer->close(state, &diag), &diag);
    assert_ids(pk_sink_memory_data(sink, NULL),
               (const char *const[]){"https://example.org/n"}, 1);
    pk_sink_free(sink);
    pk_options_free(opts);
    pk_doc_free(n);
    free_docs(docs, 3);
}

/* RFC 3986 section 5.4: every normal and abnormal example. */
static const char *const rfc3986[][2] = {
    {"g:h", "g:h"},
    {"g", "http://a/b/c/g"},
    {"./g", "http://a/b/c/g"},
    {"g/", "http://a/b/c/g/"},
    {"/g", "http://a/g"},
    {"//g", "http://g"},
    {"?y", "http://a/b/c/d;p?y"},
    {"g?y", "http://a/b/c/g?y"},
    {"#s", "http://a/b/c/d;p?q#s"},
    {"g#s", "http://a/b/c/g#s"},
    {"g?y#s", "http://a/b/c/g?y#s"},
    {";x", "http://a/b/c/;x"},
    {"g;x", "http://a/b/c/g;x"},
    {"g;x?y#s", "http://a/b/c/g;x?y#s"},
    {"", "http://a/b/c/d;p?q"},
    {".", "http://a/b/c/"},
    {"./", "http://a/b/c/"},
    {"..", "http://a/b/"},
    {"../", "http://a/b/"},
    {"../g", "http://a/b/g"},
    {"../..", "http://a/"},
    {"../../", "http://a/"},
    {"../../g", "http://a/g"},
    {"../../../g", "http://a/g"},
    {"../../../../g", "http://a/g"},
    {"/./g", "http://a/g"},
    {"/../g", "http://a/g"},
    {"g.", "http://a/b/c/g."},
    {".g", "http://a/b/c/.g"},
    {"g..", "http://a/b/c/g.."},
    {"..g", "http://a/b/c/..g"},
    {"./../g", "http://a/b/g"},
    {"./g/.", "http://a/b/c/g/"},
    {"g/./h", "http://a/b/c/g/h"},
    {"g/../h", "http://a/b/c/h"},
    {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
    {"g;x=1/../y", "http://a/b/c/y"},
    {"g?y/./x", "http://a/b/c/g?y/./x"},
    {"g?y/../x", "http://a/b/c/g?y/../x"},
    {"g#s/./x", "http://a/b/c/g#s/./x"},
    {"g#s/../x", "http://a/b/c/g#s/../x"},
    {"http:g", "http:g"},
};

static void test_uri_table(void **unused)
{
    (void)unused;
    for (size_t i = 0; i < sizeof rfc3986 / sizeof rfc3986[0]; i++) {
        char *got = pkx_uri_resolve("http://a/b/c/d;p?q", rfc3986[i][0]);
        if (!got || strcmp(got, rfc3986[i][1]))
            fail_msg("\"%s\": expected %s, got %s", rfc3986[i][0],
                     rfc3986[i][1], got ? got : "(null)");
        free(got);
    }
    /* a base with an authority and no path */
    char *got = pkx_uri_resolve("https://example.org", "x/y");
    PK_ASSERT_STR("https://example.org/x/y", got);
    free(got);
    /* no base, or a relative one: left alone */
    got = pkx_uri_resolve(NULL, "../x");
    PK_ASSERT_STR("../x", got);
    free(got);
    got = pkx_uri_resolve("/relative/base", "x");
    PK_ASSERT_STR("x", got);
    free(got);

    /* The one URL policy of the XML writers (common-xml's uri.h), which
     * the atom writer shares since it uses their renderer: an allowlist,
     * where atom's own was a blocklist of javascript:, vbscript:, file:
     * and non-image data:. */
    static const char *const links_ok[] = {
        "https://example.org/javascript:", "/javascript:x", "../x?y#z", "",
        "#top", "//cdn.example.org/x", "HTTP://EXAMPLE.ORG", "mailto:a@b",
        "tel:+6441234567", "ftp://example.org/f"};
    for (size_t i = 0; i < sizeof links_ok / sizeof links_ok[0]; i++)
        if (!pkx_url_is_safe(links_ok[i]))
            fail_msg("link \"%s\" refused", links_ok[i]);
    static const char *const links_bad[] = {
        "javascript:alert(1)", " \x01JaVa\tScRiPt:alert(1)", "vbscript:x",
        "file:///etc/passwd", "data:text/html,<script>",
        "data:image/png;base64,AAAA", "urn:isbn:0451450523", "gopher://x"};
    for (size_t i = 0; i < sizeof links_bad / sizeof links_bad[0]; i++)
        if (pkx_url_is_safe(links_bad[i]))
            fail_msg("link \"%s\" allowed", links_bad[i]);
    /* Images: web and local ones; data: PNG, GIF, JPEG or WebP only where
     * the writer allows them (atom does), never SVG. */
    assert_true(pkx_url_is_safe_image("img/a.png", false));
    assert_true(pkx_url_is_safe_image("https://example.org/a.png", false));
    assert_false(pkx_url_is_safe_image("", true));
    assert_false(pkx_url_is_safe_image(NULL, true));
    assert_false(pkx_url_is_safe_image("ftp://example.org/a.png", true));
    assert_false(pkx_url_is_safe_image("data:image/png;base64,AAAA", false));
    assert_true(pkx_url_is_safe_image("data:image/png;base64,AAAA", true));
    assert_true(pkx_url_is_safe_image(" DATA:Image/\tJPEG,x", true));
    assert_true(pkx_url_is_safe_image("data:image/gif,x", true));
    assert_true(pkx_url_is_safe_image("data:image/webp;base64,x", true));
    assert_false(pkx_url_is_safe_image("data:image/svg+xml,<svg/>", true));
    assert_false(pkx_url_is_safe_image("data:image/pngx,x", true));
    assert_false(pkx_url_is_safe_image("data:text/html,x", true));
    assert_false(pkx_url_is_safe_image("javascript:alert(1)", true));
}

/* The same table through the writer: links in an entry's content are
 * resolved against its url. */
static void test_relative_links(void **unused)
{
    (void)unused;
    size_t n = sizeof rfc3986 / sizeof rfc3986[0];
    spec s = {"links.md", "Links", "2024-01-01", "http://a/b/c/d;p?q", NULL,
              {NULL}, {NULL}};
    cur = new_doc(&s);
    pk_node *p = node(pk_doc_root(cur), PK_NODE_PARAGRAPH);
    for (size_t i = 0; i < n && i < 60; i++)
        link_to(p, PK_NODE_LINK, rfc3986[i][0], NULL, "x");
    link_to(p, PK_NODE_IMAGE, "../img/a.png", NULL, "alt");
    link_to(p, PK_NODE_LINK, "javascript:alert(1)", NULL, "bad");
    link_to(p, PK_NODE_IMAGE, "data:text/html,x", NULL, "bad image");
    link_to(p, PK_NODE_IMAGE, "data:image/png;base64,AAAA", NULL, "dot");
    pk_doc *d = done();

    /* Without a url the references stay as written. */
    spec t = {"nourl.md", "No url", "2024-01-02", NULL, NULL, {NULL}, {NULL}};
    cur = new_doc(&t);
    p = node(pk_doc_root(cur), PK_NODE_PARAGRAPH);
    link_to(p, PK_NODE_LINK, "../x?y#z", NULL, "rel");
    pk_doc *d2 = done();

    pk_doc *docs[] = {d, d2};
    char *got = feed_of(NULL, docs, 2, NULL);
    strings a = find_all(got, XHTML_NS, "a", "href");
    PK_ASSERT_STR("../x?y#z", a.items[0]); /* the newer entry comes first */
    /* A link the URL policy refuses keeps only its text: no <a> at all
     * (atom's own renderer used to write an <a> without href).  That is
     * javascript:, and "g:h" too, whose scheme is not on the allowlist. */
    size_t k = 1;
    for (size_t i = 0; i < n; i++) {
        if (!pkx_url_is_safe(rfc3986[i][0]))
            continue;
        if (k >= a.count || !a.items[k] || strcmp(a.items[k], rfc3986[i][1]))
            fail_msg("link \"%s\": expected %s, got %s", rfc3986[i][0],
                     rfc3986[i][1],
                     k < a.count && a.items[k] ? a.items[k] : "none");
        k++;
    }
    assert_int_equal(k, n); /* only "g:h" refused */
    assert_int_equal(a.count, k);
    free_strings(&a);
    strings img = find_all(got, XHTML_NS, "img", "src");
    assert_int_equal(img.count, 2);
    PK_ASSERT_STR("http://a/b/img/a.png", img.items[0]);
    PK_ASSERT_STR("data:image/png;base64,AAAA", img.items[1]);
    free_strings(&img);
    assert_non_null(strstr(got, "bad image")); /* alt text kept as text */
    assert_null(strstr(got, "javascript"));
    assert_null(strstr(got, "data:text"));
    free(got);
    free_docs(docs, 2);
}

static void test_hostile(void **unused)
{
    (void)unused;
    /* & < > " ' ]]>, C0 controls, U+FFFE, a lone surrogate, stray bytes */
    static const char nasty[] =
        "& < > \" ' ]]> \x01\x08\x0B\x0C\x1F|\xEF\xBF\xBE|\xED\xA0\x80|\xFF|"
        "\tok\r\n";
    static const char clean[] =
        "& < > \" ' ]]> \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
        "\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
        "\xEF\xBF\xBD|\tok\r\n";
    spec s = {"hostile.md", nasty, "2024-01-01",
              "https://example.org/x?a=1&b=\"2\"", NULL,
              {nasty, NULL}, {nasty, "<script>", NULL}};
    cur = new_doc(&s);
    pk_node *root = pk_doc_root(cur);
    leaf(root, PK_NODE_HTML_BLOCK, "<script>alert(1)</script>\n", 26);
    pk_node *p = node(root, PK_NODE_PARAGRAPH);
    text(p, nasty);
    leaf(p, PK_NODE_TEXT, "nul\0byte", 8);
    leaf(p, PK_NODE_HTML_INLINE, "<script src=\"x.js\">", 19);
    leaf(p, PK_NODE_HTML_INLINE, "</script>", 9);
    link_to(p, PK_NODE_LINK, "https://example.org/\"onmouseover=\"x", nasty,
            "link");
    link_to(p, PK_NODE_IMAGE, "x.png", nasty, nasty);
    leaf(root, PK_NODE_CODE_BLOCK, nasty, sizeof nasty - 1);
    pk_doc *d = done();
    static const kv opts[] = {{"title", "Feed \x01 & <b>"},
                              {"author", "]]> \x02"},
                              {NULL, NULL}};
    char *got = feed_of(opts, &d, 1, NULL);

    xmlDocPtr x = parse(got);
    assert_false(has_element_named(xmlDocGetRootElement(x), "script"));
    assert_false(has_element_named(xmlDocGetRootElement(x), "b"));
    xmlFreeDoc(x);
    for (const char *c = got; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t' && *c != '\r')
            fail_msg("raw control character 0x%02x in the feed",
                     (unsigned char)*c);
    assert_null(strstr(got, "\xEF\xBF\xBE"));
    assert_null(strstr(got, "\xED\xA0"));

    strings titles = find_all(got, ATOM_NS, "title", NULL);
    assert_int_equal(titles.count, 2);
    PK_ASSERT_STR("Feed \xEF\xBF\xBD & <b>", titles.items[0]);
    PK_ASSERT_STR(clean, titles.items[1]);
    free_strings(&titles);
    strings names = find_all(got, ATOM_NS, "name", NULL);
    assert_int_equal(names.count, 2);
    PK_ASSERT_STR("]]> \xEF\xBF\xBD", names.items[0]);
    PK_ASSERT_STR(clean, names.items[1]);
    free_strings(&names);
    strings labels = find_all(got, ATOM_NS, "category", "label");
    assert_int_equal(labels.count, 2);
    PK_ASSERT_STR(clean, labels.items[0]);
    PK_ASSERT_STR("<script>", labels.items[1]);
    free_strings(&labels);
    strings terms = find_all(got, ATOM_NS, "category", "term");
    PK_ASSERT_STR("ok", terms.items[0]);
    PK_ASSERT_STR("script", terms.items[1]);
    free_strings(&terms);
    strings titles_a = find_all(got, XHTML_NS, "a", "title");
    PK_ASSERT_STR(clean, titles_a.items[0]);
    free_strings(&titles_a);
    strings alts = find_all(got, XHTML_NS, "img", "alt");
    PK_ASSERT_STR(clean, alts.items[0]);
    free_strings(&alts);
    strings pres = find_all(got, XHTML_NS, "pre", NULL);
    assert_int_equal(pres.count, 2);
    /* The raw block's source whole, final newline included, as the xhtml
     * writer shows it (atom's own renderer used to strip it). */
    PK_ASSERT_STR("<script>alert(1)</script>\n", pres.items[0]);
    PK_ASSERT_STR(clean, pres.items[1]);
    free_strings(&pres);
    strings ps = find_all(got, XHTML_NS, "p", NULL);
    assert_int_equal(ps.count, 1);
    assert_non_null(strstr(ps.items[0], "nul\xEF\xBF\xBD" "byte"));
    assert_non_null(strstr(ps.items[0], "<script src=\"x.js\"></script>"));
    free_strings(&ps);
    strings links = find_all(got, ATOM_NS, "link", "href");
    PK_ASSERT_STR("https://example.org/x?a=1&b=\"2\"", links.items[0]);
    free_strings(&links);
    free(got);
    pk_doc_free(d);

    /* A truncated sequence becomes one U+FFFD per byte, as in the xml and
     * xhtml writers (atom's own cleaner used to replace the longest
     * prefix of a character, here E2 82, with a single one). */
    char *t = atom_xml_strdup("a\xE2\x82z\xF0\x9F\x98", 7);
    PK_ASSERT_STR("a\xEF\xBF\xBD\xEF\xBF\xBDz"
                  "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", t);
    free(t);
}

/* ---- random feeds, read back -------------------------------------------- */

/* splitmix64: the same feeds on every run. */
static uint64_t rng_state;

static uint64_t rng(void)
{
    return pk_test_random(&rng_state);
}

/* Random text (NUL-terminated, no NUL inside) after prefix: markup
 * characters, controls, UTF-8 of every length, U+FFFE, bytes that are not
 * UTF-8, Latin letters with macrons and plain words. */
static void random_text(char *buf, size_t cap, const char *prefix)
{
    static const char *const pieces[] = {
        "a", "Z", " ", "Health", "M\xC4\x81ori", "&", "<", ">", "\"", "'",
        "]]>", "\t", "\n", "\r", "\x01", "\x1f", "\x7f", "\xC2\xA0",
        "\xE2\x80\x9C", "\xE2\x80\x91", "\xF0\x9F\x98\x80", "\xEF\xBF\xBE",
        "\xff", "\x80", "\xC3", "\xE2\x80", "\xED\xA0\x80", "\xC0\xAF",
        "\xC3\x9F", "\xC3\x86", "\xE2\x80\x99", "-", "the quick brown fox",
    };
    size_t n = strlen(prefix), count = rng() % 12;
    memcpy(buf, prefix, n);
    for (size_t i = 0; i < count; i++) {
        const char *p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        size_t l = strlen(p);
        if (n + l >= cap)
            break;
        memcpy(buf + n, p, l);
        n += l;
    }
    buf[n] = '\0';
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (n = n ? n->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
            return n;
    return NULL;
}

static void assert_text(xmlNodePtr n, const char *raw)
{
    char *want = atom_xml_strdup(raw, strlen(raw));
    xmlChar *got = n ? xmlNodeGetContent(n) : NULL;
    assert_non_null(want);
    if (!got || strcmp((const char *)got, want))
        fail_msg("expected \"%s\", read back \"%s\"", want,
                 got ? (const char *)got : "(none)");
    xmlFree(got);
    free(want);
}

static void assert_prop(xmlNodePtr n, const char *attr, const char *want)
{
    xmlChar *got = xmlGetProp(n, (const xmlChar *)attr);
    if (!got || strcmp((const char *)got, want))
        fail_msg("%s: expected \"%s\", read back \"%s\"", attr, want,
                 got ? (const char *)got : "(none)");
    xmlFree(got);
}

/*
 * Feeds of random releases, their text full of markup characters,
 * controls and bytes that are not UTF-8, in random order and with random
 * options, parsed back with libxml2: every text and attribute reads back
 * as written, cleaned (atom_xml_strdup); category terms are the slugs of
 * the cleaned labels; entries come newest first, atom.limit of them.
 */
static void test_random_feeds(void **unused)
{
    (void)unused;
    rng_state = 42;
    enum { MAX = 6 };
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + rng() % MAX;
        spec specs[MAX];
        char text[MAX][10][256], src[MAX][32], url[MAX][64], date[MAX][16];
        pk_doc *docs[MAX];
        for (size_t i = 0; i < n; i++) {
            spec *sp = &specs[i];
            memset(sp, 0, sizeof *sp);
            snprintf(src[i], sizeof src[i], "r%zu.md", i);
            snprintf(url[i], sizeof url[i], "https://example.org/r/%d-%zu",
                     round, i);
            snprintf(date[i], sizeof date[i], "2024-01-%02d",
                     1 + (int)(rng() % 3));
            random_text(text[i][0], sizeof text[i][0], "T");
            sp->source = src[i];
            sp->title = text[i][0];
            sp->date = date[i];
            sp->url = url[i];
            size_t nm = rng() % 4, np = rng() % 4;
            for (size_t k = 0; k < nm; k++) {
                random_text(text[i][1 + k], sizeof text[i][1 + k], "Hon ");
                sp->ministers[k] = text[i][1 + k];
            }
            for (size_t k = 0; k < np; k++) {
                random_text(text[i][4 + k], sizeof text[i][4 + k], "-");
                sp->portfolios[k] = text[i][4 + k];
            }
            cur = new_doc(sp);
            random_text(text[i][7], sizeof text[i][7], "P");
            para(pk_doc_root(cur), text[i][7]);
            random_text(text[i][8], sizeof text[i][8], "L");
            random_text(text[i][9], sizeof text[i][9], "");
            link_to(node(pk_doc_root(cur), PK_NODE_PARAGRAPH), PK_NODE_LINK,
                    "rel/x?a=1&b=2", text[i][9], text[i][8]);
            docs[i] = done();
        }
        char title[256], limit[8];
        random_text(title, sizeof title, "F");
        size_t lim = rng() % 3;
        snprintf(limit, sizeof limit, "%zu", lim);
        kv opts[] = {{"title", title},
                     {"limit", limit},
                     {rng() % 2 ? "scheme" : NULL, "https://example.org/s"},
                     {NULL, NULL}};
        size_t order[MAX];
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = n; i > 1; i--) {
            size_t j = rng() % i, t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        char *got = feed_of(opts, docs, n, order);

        xmlDocPtr x = parse(got);
        xmlNodePtr feed = xmlDocGetRootElement(x);
        assert_text(child(feed, "title"), title);
        size_t seen = 0;
        const char *prev_date = NULL, *prev_id = NULL;
        for (xmlNodePtr e = feed->children; e; e = e->next) {
            if (e->type != XML_ELEMENT_NODE ||
                strcmp((const char *)e->name, "entry"))
                continue;
            seen++;
            xmlChar *id = xmlNodeGetContent(child(e, "id"));
            size_t i = 0;
            while (i < n && strcmp(url[i], (const char *)id))
                i++;
            assert_true(i < n);
            /* Newest first; one date, by id. */
            if (prev_date) {
                int c = strcmp(prev_date, date[i]);
                assert_true(c > 0 || (c == 0 && strcmp(prev_id, url[i]) < 0));
            }
            prev_date = date[i];
            prev_id = url[i];
            xmlFree(id);
            assert_text(child(e, "title"), specs[i].title);
            size_t k = 0;
            for (xmlNodePtr a = e->children; a; a = a->next) {
                if (a->type != XML_ELEMENT_NODE)
                    continue;
                if (!strcmp((const char *)a->name, "author"))
                    assert_text(child(a, "name"), specs[i].ministers[k++]);
            }
            assert_true(k == 4 || !specs[i].ministers[k]);
            k = 0;
            for (xmlNodePtr c = e->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE ||
                    strcmp((const char *)c->name, "category"))
                    continue;
                const char *raw = specs[i].portfolios[k++];
                char *label = atom_xml_strdup(raw, strlen(raw));
                char *term = atom_slug(label);
                assert_prop(c, "label", label);
                assert_prop(c, "term", term);
                free(label);
                free(term);
            }
            assert_true(k == 4 || !specs[i].portfolios[k]);
            xmlNodePtr div = child(child(e, "content"), "div");
            xmlNodePtr p = child(div, "p");
            assert_text(p, text[i][7]);
            xmlNodePtr a = child(p ? xmlNextElementSibling(p) : NULL, "a");
            assert_text(a, text[i][8]);
            char *t = atom_xml_strdup(text[i][9], strlen(text[i][9]));
            if (*t)
                assert_prop(a, "title", t);
            free(t);
            assert_prop(a, "href", "https://example.org/r/rel/x?a=1&b=2");
        }
        assert_int_equal(seen, lim && lim < n ? lim : n);
        xmlFreeDoc(x);
        free(got);
        free_docs(docs, n);
    }
}

/* A release whose body is depth levels deep (pkx_node_depth: the text
 * inside depth - 2 block quotes and a paragraph). */
static pk_doc *deep_doc(const char *source, const char *url, size_t depth)
{
    spec s = {source, "Deep", "2024-01-01", url, NULL, {NULL}, {NULL}};
    cur = new_doc(&s);
    pk_node *n = pk_doc_root(cur);
    for (size_t i = 0; i + 2 < depth; i++)
        n = node(n, PK_NODE_BLOCK_QUOTE);
    para(n, "bottom");
    return done();
}

/*
 * Nesting: the atom writer takes the limit of the other XML writers
 * (PKX_MAX_DEPTH), and a body deeper than that is refused with PK_ELIMIT
 * and a message, as xml and xhtml refuse it: they share one renderer.
 * (Atom's own renderer used to flatten containers deeper than 100 to
 * their text instead.)  In a feed the release fails as an input error
 * and the other entries are written.  The deepest body accepted still
 * gives a feed libxml2 reads with its default limits, all its text kept.
 */
static void test_deep(void **unused)
{
    (void)unused;
    pk_doc *ok = deep_doc("ok.md", "https://example.org/ok", PKX_MAX_DEPTH);
    char *got = feed_of(NULL, &ok, 1, NULL);
    xmlDocPtr x = parse(got);
    xmlChar *all = xmlNodeGetContent(xmlDocGetRootElement(x));
    assert_non_null(strstr((char *)all, "bottom"));
    xmlFree(all);
    xmlFreeDoc(x);
    size_t quotes = 0;
    for (const char *q = got; (q = strstr(q, "<blockquote>")); q++)
        quotes++;
    assert_int_equal(quotes, PKX_MAX_DEPTH - 2);
    free(got);

    /* One level more, and the old test's body: 400 block quotes, then 300
     * nested inlines around an image. */
    pk_doc *deeper = deep_doc("deeper.md", "https://example.org/deeper",
                              PKX_MAX_DEPTH + 1);
    spec s = {"deep.md", "Deep", "2024-01-01", "https://example.org/deep",
              NULL, {NULL}, {NULL}};
    cur = new_doc(&s);
    pk_node *n = pk_doc_root(cur);
    for (int i = 0; i < 400; i++)
        n = node(n, PK_NODE_BLOCK_QUOTE);
    pk_node *e = para(n, "bottom ");
    for (int i = 0; i < 300; i++)
        e = node(e, i % 2 ? PK_NODE_EMPH : PK_NODE_STRONG);
    link_to(e, PK_NODE_IMAGE, "x.png", NULL, "deepest");
    pk_doc *deepest = done();

    pk_options *o = options(NULL);
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state;
    char want[128];
    snprintf(want, sizeof want, "body: nested deeper than the %zu levels an "
             "XML parser accepts by default", PKX_MAX_DEPTH);
    assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
    PK_ASSERT_OK(atom->writer->open(&state, sink, o, 0, &diag), &diag);
    pk_doc *refused[] = {deeper, deepest};
    for (size_t i = 0; i < 2; i++) {
        pk_diag_clear(&diag);
        assert_int_equal(atom->writer->write(state, refused[i], &diag),
                         PK_ELIMIT);
        PK_ASSERT_STR(pk_doc_source(refused[i]), diag.file);
        PK_ASSERT_STR(want, diag.message);
    }
    PK_ASSERT_OK(atom->writer->write(state, ok, &diag), &diag);
    PK_ASSERT_OK(atom->writer->close(state, &diag), &diag);
    assert_ids(pk_sink_memory_data(sink, NULL),
               (const char *const[]){"https://example.org/ok"}, 1);
    pk_sink_free(sink);
    pk_options_free(o);
    pk_doc_free(deepest);
    pk_doc_free(deeper);
    pk_doc_free(ok);
}

/* Feeds written on several threads at once (each with its own documents:
 * a document is read-only once analysed, but pk_node_text allocates in its
 * arena) come out as on one thread: the writer keeps no shared state. */
typedef struct job {
    pk_doc *docs[2];
    const pk_options *opts;
    char *out;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state;
    if (pk_sink_new_memory(&sink) != PK_OK)
        return NULL;
    if (atom->writer->open(&state, sink, j->opts, 0, &diag) == PK_OK) {
        int rc = PK_OK;
        for (int round = 0; round < 20 && rc == PK_OK; round++) {
            rc = atom->writer->write(state, j->docs[0], &diag);
            if (rc == PK_OK)
                rc = atom->writer->write(state, j->docs[1], &diag);
            if (rc != PK_OK || round == 19)
                break;
            rc = atom->writer->close(state, &diag);
            pk_sink_free(sink);
            if (rc != PK_OK || pk_sink_new_memory(&sink) != PK_OK)
                return NULL;
            rc = atom->writer->open(&state, sink, j->opts, 0, &diag);
        }
        if (atom->writer->close(state, &diag) == PK_OK && rc == PK_OK)
            j->out = strdup(pk_sink_memory_data(sink, NULL));
    }
    pk_sink_free(sink);
    return NULL;
}

static void test_threads(void **unused)
{
    (void)unused;
    enum { THREADS = 4 };
    static const kv split[] = {{"limit", "1"}, {NULL, NULL}};
    pk_options *o = options(split);
    job jobs[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){{golden_release(), golden_second()}, o, NULL};
        assert_int_equal(pthread_create(&t[i], NULL, run_job, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    pk_doc *one[] = {jobs[0].docs[0], jobs[0].docs[1]};
    char *want = feed_of(split, one, 2, NULL);
    for (int i = 0; i < THREADS; i++) {
        if (!jobs[i].out)
            fail_msg("thread %d failed", i);
        PK_ASSERT_STR(want, jobs[i].out);
        free(jobs[i].out);
        free_docs(jobs[i].docs, 2);
    }
    free(want);
    pk_options_free(o);
}

static void test_empty_feed(void **unused)
{
    (void)unused;
    char *got = feed_of(NULL, NULL, 0, NULL);
    strings id = find_all(got, ATOM_NS, "id", NULL);
    assert_int_equal(id.count, 1);
    PK_ASSERT_STR("tag:presskit.invalid,1970:feed", id.items[0]);
    free_strings(&id);
    strings upd = find_all(got, ATOM_NS, "updated", NULL);
    PK_ASSERT_STR("1970-01-01T00:00:00Z", upd.items[0]);
    free_strings(&upd);
    strings name = find_all(got, ATOM_NS, "name", NULL);
    PK_ASSERT_STR("Press releases", name.items[0]);
    free_strings(&name);
    free(got);

    /* The tag id takes the year of the oldest release and the authority
     * option; atom.id and atom.link take precedence, in that order. */
    spec s1 = {"1.md", "One", "2019-06-01", NULL, NULL, {NULL}, {NULL}};
    spec s2 = {"2.md", "Two", "2024-06-01", NULL, NULL, {NULL}, {NULL}};
    pk_doc *docs[] = {simple(&s2), simple(&s1)};
    static const kv auth[] = {{"authority", "example.govt.nz"}, {NULL, NULL}};
    got = feed_of(auth, docs, 2, NULL);
    assert_non_null(strstr(got, "<id>tag:example.govt.nz,2019:feed</id>"));
    free(got);
    static const kv link[] = {{"link", "https://example.org/news"},
                              {NULL, NULL}};
    got = feed_of(link, docs, 2, NULL);
    assert_non_null(strstr(got, "<id>https://example.org/news</id>"));
    free(got);
    static const kv with_id[] = {{"link", "https://example.org/news"},
                            {"id", "urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6"},
                            {"author", "Ministry"},
                            {NULL, NULL}};
    got = feed_of(with_id, docs, 2, NULL);
    assert_non_null(strstr(got, "<id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>"));
    assert_non_null(strstr(got, "<name>Ministry</name>"));
    free(got);
    free_docs(docs, 2);
}

static void test_slugs(void **unused)
{
    (void)unused;
    static const char *const cases[][2] = {
        {"Māori Development", "maori-development"},
        {"Arts, Culture and Heritage", "arts-culture-and-heritage"},
        {"Children's Services", "childrens-services"},
        {"Children\xE2\x80\x99s Services", "childrens-services"},
        {"Ærøskøbing Straße", "aeroskobing-strasse"},
        {"Łódź — Žižkov", "lodz-zizkov"},
        {"non\xE2\x80\x91military\xC2\xA0work", "non-military-work"},
        {"a\xCC\x84" "b", "ab"},
        {"日本", ""},
        {"  --Health--  ", "health"},
        {"COVID-19 Response", "covid-19-response"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = atom_slug(cases[i][0]);
        if (!got || strcmp(got, cases[i][1]))
            fail_msg("slug of \"%s\": expected \"%s\", got \"%s\"",
                     cases[i][0], cases[i][1], got ? got : "(null)");
        free(got);
    }
    char longer[300];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    char *got = atom_slug(longer);
    assert_int_equal(strlen(got), ATOM_SLUG_MAX);
    free(got);
}

/* Lists the regular files under dir, relative, sorted, one per line. */
static void list_tree(const char *dir, const char *rel, char *out, size_t cap)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") && strcmp(name, "..")) {
            char sub[1024], full[2048];
            snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", name);
            snprintf(full, sizeof full, "%s/%s", dir, sub);
            struct stat st;
            assert_int_equal(stat(full, &st), 0);
            if (S_ISDIR(st.st_mode)) {
                list_tree(dir, sub, out, cap);
            } else {
                strncat(out, sub, cap - strlen(out) - 1);
                strncat(out, "\n", cap - strlen(out) - 1);
            }
        }
        free(names[i]);
    }
    free(names);
}

static char *slurp(const char *dir, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *s = read_file(path);
    if (!s)
        fail_msg("cannot read %s", path);
    return s;
}

static void remove_tree(const char *dir)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void split_run(const char *dir, const char *split, pk_doc **docs,
                      size_t n)
{
    const kv opts[] = {{"split", split},
                       {"self", "https://example.org/feeds/feed.atom"},
                       {"limit", "2"},
                       {NULL, NULL}};
    pk_options *o = options(opts);
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state;
    PK_ASSERT_OK(pk_sink_new_directory(&sink, dir, &diag), &diag);
    PK_ASSERT_OK(atom->writer->open(&state, sink, o, 0, &diag), &diag);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_OK(atom->writer->write(state, docs[i], &diag), &diag);
    PK_ASSERT_OK(atom->writer->close(state, &diag), &diag);
    PK_ASSERT_OK(pk_sink_commit(sink, &diag), &diag);
    pk_sink_free(sink);
    pk_options_free(o);
}

static void test_split(void **unused)
{
    (void)unused;
    spec specs[] = {
        {"1.md", "One", "2024-01-01", "https://example.org/1", NULL,
         {"Hon A Person", NULL}, {"Health", "Māori Development", NULL}},
        {"2.md", "Two", "2024-01-02", "https://example.org/2", NULL,
         {"Hon A Person", "Hon B Person", NULL}, {"health", NULL}},
        {"3.md", "Three", "2024-01-03", "https://example.org/3", NULL,
         {NULL}, {"Health", "日本", NULL}},
        {"4.md", "Four", "2024-01-04", "https://example.org/4", NULL,
         {"Hon Ōtaki", NULL}, {"Health", NULL}},
    };
    pk_doc *docs[4];
    for (size_t i = 0; i < 4; i++)
        docs[i] = simple(&specs[i]);
    char tmpl[] = "/tmp/pk-atom-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);

    split_run(dir, "portfolio", docs, 4);
    char files[2048] = "";
    list_tree(dir, "", files, sizeof files);
    /* "Health" sorts before "health": it gets the plain slug */
    PK_ASSERT_STR("feed.atom\n"
                  "portfolio/health-2.atom\n"
                  "portfolio/health.atom\n"
                  "portfolio/maori-development.atom\n"
                  "portfolio/portfolio.atom\n",
                  files);
    char *main_feed = slurp(dir, "feed.atom");
    assert_ids(main_feed, (const char *const[]){"https://example.org/4",
                                                "https://example.org/3"}, 2);
    free(main_feed);
    /* each term feed keeps its own two newest */
    char *health = slurp(dir, "portfolio/health.atom");
    assert_ids(health, (const char *const[]){"https://example.org/4",
                                             "https://example.org/3"}, 2);
    assert_non_null(strstr(health, "<title>Press releases: Health</title>"));
    assert_non_null(strstr(health, "href=\"https://example.org/feeds/portfolio/health.atom\""));
    assert_non_null(strstr(health, "<id>tag:presskit.invalid,2024:feed#portfolio/health</id>"));
    free(health);
    char *lower = slurp(dir, "portfolio/health-2.atom");
    assert_ids(lower, (const char *const[]){"https://example.org/2"}, 1);
    free(lower);
    char *maori = slurp(dir, "portfolio/maori-development.atom");
    assert_ids(maori, (const char *const[]){"https://example.org/1"}, 1);
    free(maori);
    remove_tree(dir);

    assert_non_null(mkdtemp(strcpy(tmpl, "/tmp/pk-atom-test-XXXXXX")));
    /* the same in another order gives the same files and bytes */
    pk_doc *rev[] = {docs[3], docs[1], docs[2], docs[0]};
    split_run(dir, "minister", rev, 4);
    files[0] = '\0';
    list_tree(dir, "", files, sizeof files);
    PK_ASSERT_STR("feed.atom\n"
                  "minister/hon-a-person.atom\n"
                  "minister/hon-b-person.atom\n"
                  "minister/hon-otaki.atom\n",
                  files);
    char *a = slurp(dir, "minister/hon-a-person.atom");
    assert_ids(a, (const char *const[]){"https://example.org/2",
                                        "https://example.org/1"}, 2);
    char *tmpl2 = strdup("/tmp/pk-atom-test-XXXXXX");
    assert_non_null(mkdtemp(tmpl2));
    split_run(tmpl2, "minister", docs, 4);
    char *b = slurp(tmpl2, "minister/hon-a-person.atom");
    PK_ASSERT_STR(a, b);
    char *fa = slurp(dir, "feed.atom"), *fb = slurp(tmpl2, "feed.atom");
    PK_ASSERT_STR(fa, fb);
    free(a);
    free(b);
    free(fa);
    free(fb);
    remove_tree(tmpl2);
    free(tmpl2);
    remove_tree(dir);
    free_docs(docs, 4);
}

/* Without a directory the main feed still works through -O: a file sink
 * beside which nothing else is written. */
static void test_directory_without_split(void **unused)
{
    (void)unused;
    spec s = {"1.md", "One", "2024-01-01", "https://example.org/1", NULL,
              {NULL}, {"Health", NULL}};
    pk_doc *d = simple(&s);
    char tmpl[] = "/tmp/pk-atom-test-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    pk_options *o = options(NULL);
    pk_sink *sink;
    pk_diag diag = PK_DIAG_INIT;
    void *state;
    PK_ASSERT_OK(pk_sink_new_directory(&sink, tmpl, &diag), &diag);
    PK_ASSERT_OK(atom->writer->open(&state, sink, o, 0, &diag), &diag);
    PK_ASSERT_OK(atom->writer->write(state, d, &diag), &diag);
    PK_ASSERT_OK(atom->writer->close(state, &diag), &diag);
    pk_sink_free(sink);
    char files[256] = "";
    list_tree(tmpl, "", files, sizeof files);
    PK_ASSERT_STR("feed.atom\n", files);
    remove_tree(tmpl);
    pk_options_free(o);
    pk_doc_free(d);
}

static int setup(void **unused)
{
    (void)unused;
    pk_diag diag = PK_DIAG_INIT;
    if (pk_context_new(&ctx) != PK_OK)
        return -1;
    if (pk_context_load_file(ctx, plugin_path, &diag) != PK_OK) {
        char buf[2048];
        fprintf(stderr, "cannot load %s: %s\n", plugin_path,
                pk_diag_format(&diag, buf, sizeof buf));
        return -1;
    }
    atom = pk_context_find(ctx, PK_PLUGIN_WRITER, "atom");
    return atom ? 0 : -1;
}

static int teardown(void **unused)
{
    (void)unused;
    pk_context_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PLUGIN.so GOLDEN.atom\n", argv[0]);
        return 2;
    }
    plugin_path = argv[1];
    golden_path = argv[2];
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_tz),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_unvalidated),
        cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_uri_table),
        cmocka_unit_test(test_relative_links),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_random_feeds),
        cmocka_unit_test(test_deep),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_empty_feed),
        cmocka_unit_test(test_slugs),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_directory_without_split),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    xmlCleanupParser();
    return failed;
}
