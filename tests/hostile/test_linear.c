/*
 * test_linear.c - pathological inputs finish in linear time.
 *
 *     test_linear MARKDOWN_MODULE [JSON_READER_MODULE] [WRITER_MODULE...]
 *
 * Each case makes a release of about S bytes from a repeated unit (10,000
 * '*' or '[', a line of megabytes, block quotes nested past any limit,
 * 100k quotation marks, front matter with thousands of keys or aliases…)
 * and runs it through pk_read (reader, validation, analysis) and then
 * every writer given, into memory.  S grows until the work takes long
 * enough to measure; then the same case at 2S and 4S must not cost 3.4
 * times as much CPU, or more, at both doublings (twice, for linear work;
 * four times, for quadratic).  All sizes are timed in this one process,
 * interleaved, best of three, so the test holds on a slow or busy
 * machine and under valgrind, where a wall-clock bound would not.  Each
 * stage (read, each writer) is also judged on its own once it takes long
 * enough to time.
 *
 * PK_LINEAR_ONLY=SUBSTRING runs only the cases whose name holds it.
 */
#include "pk_test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

/* Under valgrind CPU time means little: each case then runs once, at a
 * small size, for memcheck's sake, and is not timed. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

#define MAX_WRITERS 16
#define MIN_SECONDS 0.03     /* grow S until one run takes this long */
#define MIN_STAGE 0.015      /* stages shorter than this are not judged */
#define MAX_SIZE ((size_t)32 << 20)  /* of the largest input, 4S */
/* Quadratic work costs about 4x per doubling; linear work on a busy
 * machine has been seen at 3.9x once an input outgrows the caches, but
 * never above 3.4x at BOTH doublings. */
#define MAX_RATIO 3.4

static pk_context *ctx;
static const pk_plugin *reader, *json_reader;
static const pk_plugin *writers[MAX_WRITERS];
static size_t nwriters;

/* A growable input. */
typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = realloc(b->s, cap);
        assert_non_null(b->s);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void adds(buf *b, const char *s)
{
    add(b, s, strlen(s));
}

static void addf(buf *b, const char *fmt, ...) PK_PRINTF(2, 3);
static void addf(buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    add(b, tmp, (size_t)n);
}

/* Appends unit until the input holds at least size bytes. */
static void repeat(buf *b, const char *unit, size_t size)
{
    size_t n = strlen(unit);

    while (b->len < size)
        add(b, unit, n);
}

static void header(buf *b)
{
    adds(b, "---\ntitle: Pathological\ndate: 2024-01-01\n"
            "ministers: [Hon Jane Doe, Hon John Roe]\n---\n");
}

/* One case: fills b with an input of about size bytes. */
typedef void (*gen_fn)(buf *b, size_t size);

#define BODY_CASE(name, prefix, unit, suffix)                                 \
    static void gen_##name(buf *b, size_t size)                               \
    {                                                                         \
        header(b);                                                            \
        adds(b, prefix);                                                      \
        repeat(b, unit, size);                                                \
        adds(b, suffix);                                                      \
    }

/* Nesting: far past markdown.max_depth, refused early and cheaply. */
BODY_CASE(quote_nest, "", "> ", "x\n")
BODY_CASE(quote_nest_tight, "", ">", "x\n")
BODY_CASE(list_nest, "", "- ", "x\n")
BODY_CASE(ordered_nest, "", "1. ", "x\n")
BODY_CASE(mixed_nest, "", "> - 1) ", "x\n")
/* Emphasis and links. */
BODY_CASE(stars, "", "*", "a\n")
BODY_CASE(star_word, "", "*a ", "\n")
BODY_CASE(star_under, "", "*_", "a\n")
BODY_CASE(strong_open, "", "**a ", "\n")
BODY_CASE(open_brackets, "", "[", "\n")
BODY_CASE(close_brackets, "", "]", "\n")
BODY_CASE(link_open, "", "[a](", "\n")
BODY_CASE(image_brackets, "", "![[]()", "\n")
BODY_CASE(bracket_star, "", "[*", "\n")
BODY_CASE(backticks, "", "a`", "\n")
BODY_CASE(backtick_runs, "", "``a`", "\n")
BODY_CASE(html_comments, "a", "<!--", "\n")
BODY_CASE(html_open, "", "<a ", "\n")
BODY_CASE(html_decl, "", "<!A ", "\n")
BODY_CASE(entities, "", "&#", "\n")
BODY_CASE(backslashes, "", "\\", "\n")
BODY_CASE(autolinks, "", "<http://a ", "\n")
/* Lines and blocks. */
BODY_CASE(long_line, "", "aaaaaaaaaaaaaaa ", "\n")
BODY_CASE(long_word, "", "aaaaaaaaaaaaaaaa", "\n")
BODY_CASE(soft_lines, "", "a\n", "")
BODY_CASE(paragraphs, "", "a\n\n", "")
BODY_CASE(list_items, "", "- a\n", "")
BODY_CASE(hard_breaks, "", "a  \n", "")
BODY_CASE(fences, "", "```\n", "")
BODY_CASE(headings, "", "# a\n", "")
BODY_CASE(ref_uses, "[x]: /u\n\n", "[x] ", "\n")
/* Quotation marks: the analysis's domain. */
BODY_CASE(curly_marks, "", "\xE2\x80\x9C", "\n")
BODY_CASE(straight_marks, "", "\"", "\n")
BODY_CASE(open_quote_paras, "", "\xE2\x80\x9C" "a\n\n", "")
BODY_CASE(said_paras, "",
          "\xE2\x80\x9CQuote,\xE2\x80\x9D said Minister Jane Doe.\n\n", "")
BODY_CASE(lead_in_paras, "", "Jane Doe said: \xE2\x80\x9C" "a b c\n\n", "")
BODY_CASE(quote_words, "", "\xE2\x80\x9C" "a said Jane ", "\n")
/* cmark's own pathological cases (test/pathological_tests.py). */
BODY_CASE(emph_closers, "", "a_ ", "\n")
BODY_CASE(emph_openers, "", "_a ", "\n")
BODY_CASE(link_closers, "", "a]", "\n")
BODY_CASE(link_openers, "", "[a", "\n")
BODY_CASE(mismatched_emph, "", "*a_ ", "\n")
BODY_CASE(multiple_of_3, "a**b", "c* ", "\n")
BODY_CASE(link_emph, "", "[ a_", "\n")
BODY_CASE(unclosed_link_a, "", "[a](<b", "\n")
BODY_CASE(unclosed_link_b, "", "[a](b", "\n")
BODY_CASE(image_openers, "", "![", "\n")
BODY_CASE(image_links, "", "![a](b) ", "\n")
BODY_CASE(image_in_link, "", "[![a](b)](c) ", "\n")
BODY_CASE(link_in_image, "", "![[a](b)](c) ", "\n")
BODY_CASE(image_open_link, "", "![[a](b) ", "\n")
BODY_CASE(bracket_paren, "", "[](", "\n")
BODY_CASE(html_cdata, "", "<![CDATA[", "\n")
BODY_CASE(html_pi, "", "<?", "\n")
BODY_CASE(html_close, "", "</a", "\n")
BODY_CASE(quote_lists, "", "> - ", "a\n")
BODY_CASE(quote_lazy, "", "> a\n", "")
BODY_CASE(tabs, "", "\t", "a\n")
BODY_CASE(ref_label_open, "", "[a]: <", "\n")

/* Nested strong and emphasis, closed: "*a **a " N times, b, closers. */
static void gen_nested_emph(buf *b, size_t size)
{
    header(b);
    while (b->len < size / 2)
        adds(b, "*a **a ");
    adds(b, "b");
    while (b->len < size)
        adds(b, " a** a*");
    adds(b, "\n");
}

/* Nested brackets, closed: "[" N times, a, "]" N times. */
static void gen_nested_brackets(buf *b, size_t size)
{
    header(b);
    repeat(b, "[", size / 2);
    adds(b, "a");
    repeat(b, "]", size);
    adds(b, "(/u)\n");
}

/* Backtick runs of growing length: e` e`` e``` ... */
static void gen_backtick_ladder(buf *b, size_t size)
{
    header(b);
    for (size_t i = 1; b->len < size; i++) {
        adds(b, "e");
        for (size_t k = 0; k < i && b->len < size; k++)
            adds(b, "`");
    }
    adds(b, "\n");
}

/* Many reference definitions, one label used many times. */
static void gen_many_refs(buf *b, size_t size)
{
    header(b);
    for (size_t i = 1; b->len < size / 2; i++)
        addf(b, "[%zu]: u\n", i);
    adds(b, "\n");
    repeat(b, "[0] ", size);
    adds(b, "\n");
}

/* The line ladder: item i indented 2i spaces (nested by indentation). */
static void gen_list_ladder(buf *b, size_t size)
{
    header(b);
    for (size_t i = 0; b->len < size; i++) {
        for (size_t k = 0; k < i; k++)
            adds(b, "  ");
        adds(b, "- x\n");
    }
}

/* Reference definitions, each used once. */
static void gen_ref_defs(buf *b, size_t size)
{
    header(b);
    for (size_t i = 0; b->len < size / 2; i++)
        addf(b, "[r%zu]: /u%zu\n", i, i);
    adds(b, "\n");
    for (size_t i = 0; b->len < size; i++)
        addf(b, "[r%zu] ", i);
    adds(b, "\n");
}

/* Front matter: many keys, anchors and aliases, a long scalar, deep
 * flow nesting, many ministers. */
static void gen_fm_keys(buf *b, size_t size)
{
    adds(b, "---\ntitle: Keys\ndate: 2024-01-01\n");
    for (size_t i = 0; b->len < size; i++)
        addf(b, "k%zu: v\n", i);
    adds(b, "---\nBody.\n");
}

static void gen_fm_aliases(buf *b, size_t size)
{
    size_t n = 0;

    adds(b, "---\ntitle: Aliases\ndate: 2024-01-01\n");
    for (; b->len < size / 2; n++)
        addf(b, "a%zu: &a%zu x\n", n, n);
    for (size_t i = 0; b->len < size; i++)
        addf(b, "b%zu: *a%zu\n", i, (i * 7919) % n);
    adds(b, "---\nBody.\n");
}

/* Many anchors that no alias finds. */
static void gen_fm_undefined(buf *b, size_t size)
{
    adds(b, "---\ntitle: Aliases\ndate: 2024-01-01\n");
    for (size_t i = 0; b->len < size; i++)
        addf(b, "a%zu: &a%zu x\n", i, i);
    adds(b, "z: *nope\n---\nBody.\n");
}

static void gen_fm_same_alias(buf *b, size_t size)
{
    adds(b, "---\ntitle: Aliases\ndate: 2024-01-01\nlist:\n - &a [1, 2]\n");
    repeat(b, " - *a\n", size);
    adds(b, "---\nBody.\n");
}

static void gen_fm_long_scalar(buf *b, size_t size)
{
    adds(b, "---\ntitle: Long\ndate: 2024-01-01\nlong: ");
    repeat(b, "aaaaaaaaaaaaaaa ", size);
    adds(b, "\n---\nBody.\n");
}

static void gen_fm_flow_nest(buf *b, size_t size)
{
    adds(b, "---\ntitle: Nest\ndate: 2024-01-01\nx: ");
    repeat(b, "[", size);
    adds(b, "\n---\nBody.\n");
}

static void gen_fm_list(buf *b, size_t size)
{
    adds(b, "---\ntitle: List\ndate: 2024-01-01\nlist:\n");
    repeat(b, "  - x\n", size);
    adds(b, "---\nBody.\n");
}

static void gen_fm_ministers(buf *b, size_t size)
{
    size_t n = 0;

    adds(b, "---\ntitle: Ministers\ndate: 2024-01-01\nministers:\n");
    for (; b->len < size / 2; n++)
        addf(b, "  - Hon Minister%zu Name%zu\n", n, n);
    adds(b, "---\n");
    for (size_t i = 0; b->len < size; i++)
        addf(b, "\xE2\x80\x9CQuote %zu,\xE2\x80\x9D said Minister%zu Name%zu."
                "\n\n", i, i % n, i % n);
}

/* Text hygiene over megabytes: invalid bytes (strict: refused at the
 * end; the error is at the last line), CRLF. */
static void gen_crlf(buf *b, size_t size)
{
    adds(b, "---\r\ntitle: CRLF\r\ndate: 2024-01-01\r\n---\r\n");
    repeat(b, "a\r\n", size);
}

/* JSON: many paragraphs, many metadata keys, one long text, many
 * attributed quotes. */
#define JSON_HEAD "{\"title\": \"T\", \"date\": \"2024-01-01\", "

static void gen_json_paragraphs(buf *b, size_t size)
{
    adds(b, JSON_HEAD "\"body\": [");
    while (b->len < size)
        adds(b, "{\"type\": \"paragraph\", \"children\": [{\"type\": "
                "\"emph\", \"children\": [{\"type\": \"text\", \"text\": "
                "\"a\"}]}]}, ");
    adds(b, "{\"type\": \"thematic_break\"}]}");
}

static void gen_json_meta_keys(buf *b, size_t size)
{
    adds(b, "{\"meta\": {\"title\": \"T\", \"date\": \"2024-01-01\"");
    for (size_t i = 0; b->len < size; i++)
        addf(b, ", \"k%zu\": [%zu, {\"x\": null}]", i, i);
    adds(b, "}}");
}

static void gen_json_long_text(buf *b, size_t size)
{
    adds(b, JSON_HEAD "\"body\": [{\"type\": \"paragraph\", \"children\": "
            "[{\"type\": \"text\", \"text\": \"");
    repeat(b, "a\\u0000\\u201c ", size);
    adds(b, "\"}]}]}");
}

static void gen_json_quotes(buf *b, size_t size)
{
    adds(b, JSON_HEAD "\"ministers\": [\"Hon Jane Doe\"], \"body\": [");
    while (b->len < size)
        adds(b, "{\"type\": \"paragraph\", \"children\": [{\"type\": "
                "\"text\", \"text\": \"\\u201cQuote,\\u201d said Jane Doe."
                "\"}]}, ");
    adds(b, "{\"type\": \"thematic_break\"}]}");
}

typedef struct lcase {
    const char *name;
    gen_fn gen;
    /* reader options, "key=value" pairs, NULL-terminated */
    const char *opts[4];
    bool json;   /* read with the json reader, not markdown */
} lcase;

/* Limits raised so the work itself is measured, not a refusal. */
#define RAISED {"max_values=100000000", "max_front_matter=100000000", NULL}

static const lcase cases[] = {
    {"quote_nest", gen_quote_nest, {NULL}, false},
    {"quote_nest_tight", gen_quote_nest_tight, {NULL}, false},
    {"list_nest", gen_list_nest, {NULL}, false},
    {"ordered_nest", gen_ordered_nest, {NULL}, false},
    {"mixed_nest", gen_mixed_nest, {NULL}, false},
    {"list_ladder", gen_list_ladder, {NULL}, false},
    {"stars", gen_stars, {NULL}, false},
    {"star_word", gen_star_word, {NULL}, false},
    {"star_under", gen_star_under, {NULL}, false},
    {"strong_open", gen_strong_open, {NULL}, false},
    {"open_brackets", gen_open_brackets, {NULL}, false},
    {"close_brackets", gen_close_brackets, {NULL}, false},
    {"link_open", gen_link_open, {NULL}, false},
    {"image_brackets", gen_image_brackets, {NULL}, false},
    {"bracket_star", gen_bracket_star, {NULL}, false},
    {"backticks", gen_backticks, {NULL}, false},
    {"backtick_runs", gen_backtick_runs, {NULL}, false},
    {"html_comments", gen_html_comments, {NULL}, false},
    {"html_open", gen_html_open, {NULL}, false},
    {"html_decl", gen_html_decl, {NULL}, false},
    {"entities", gen_entities, {NULL}, false},
    {"backslashes", gen_backslashes, {NULL}, false},
    {"autolinks", gen_autolinks, {NULL}, false},
    {"long_line", gen_long_line, {NULL}, false},
    {"long_word", gen_long_word, {NULL}, false},
    {"soft_lines", gen_soft_lines, {NULL}, false},
    {"paragraphs", gen_paragraphs, {NULL}, false},
    {"list_items", gen_list_items, {NULL}, false},
    {"hard_breaks", gen_hard_breaks, {NULL}, false},
    {"fences", gen_fences, {NULL}, false},
    {"headings", gen_headings, {NULL}, false},
    {"ref_uses", gen_ref_uses, {NULL}, false},
    {"ref_defs", gen_ref_defs, {NULL}, false},
    {"curly_marks", gen_curly_marks, {NULL}, false},
    {"straight_marks", gen_straight_marks, {NULL}, false},
    {"open_quote_paras", gen_open_quote_paras, {NULL}, false},
    {"said_paras", gen_said_paras, {NULL}, false},
    {"lead_in_paras", gen_lead_in_paras, {NULL}, false},
    {"quote_words", gen_quote_words, {NULL}, false},
    {"crlf", gen_crlf, {NULL}, false},
    {"emph_closers", gen_emph_closers, {NULL}, false},
    {"emph_openers", gen_emph_openers, {NULL}, false},
    {"link_closers", gen_link_closers, {NULL}, false},
    {"link_openers", gen_link_openers, {NULL}, false},
    {"mismatched_emph", gen_mismatched_emph, {NULL}, false},
    {"multiple_of_3", gen_multiple_of_3, {NULL}, false},
    {"link_emph", gen_link_emph, {NULL}, false},
    {"unclosed_link_a", gen_unclosed_link_a, {NULL}, false},
    {"unclosed_link_b", gen_unclosed_link_b, {NULL}, false},
    {"image_openers", gen_image_openers, {NULL}, false},
    {"image_links", gen_image_links, {NULL}, false},
    {"image_in_link", gen_image_in_link, {NULL}, false},
    {"link_in_image", gen_link_in_image, {NULL}, false},
    {"image_open_link", gen_image_open_link, {NULL}, false},
    {"bracket_paren", gen_bracket_paren, {NULL}, false},
    {"html_cdata", gen_html_cdata, {NULL}, false},
    {"html_pi", gen_html_pi, {NULL}, false},
    {"html_close", gen_html_close, {NULL}, false},
    {"quote_lists", gen_quote_lists, {NULL}, false},
    {"quote_lazy", gen_quote_lazy, {NULL}, false},
    {"tabs", gen_tabs, {NULL}, false},
    {"ref_label_open", gen_ref_label_open, {NULL}, false},
    {"nested_emph", gen_nested_emph, {NULL}, false},
    {"nested_brackets", gen_nested_brackets, {NULL}, false},
    {"backtick_ladder", gen_backtick_ladder, {NULL}, false},
    {"many_refs", gen_many_refs, {NULL}, false},
    {"fm_keys", gen_fm_keys, RAISED, false},
    {"fm_aliases", gen_fm_aliases, RAISED, false},
    {"fm_undefined", gen_fm_undefined, RAISED, false},
    {"fm_same_alias", gen_fm_same_alias, RAISED, false},
    {"fm_long_scalar", gen_fm_long_scalar, RAISED, false},
    {"fm_flow_nest", gen_fm_flow_nest, RAISED, false},
    {"fm_list", gen_fm_list, RAISED, false},
    {"fm_ministers", gen_fm_ministers, RAISED, false},
    {"json_paragraphs", gen_json_paragraphs, {NULL}, true},
    {"json_meta_keys", gen_json_meta_keys, {NULL}, true},
    {"json_long_text", gen_json_long_text, {NULL}, true},
    {"json_quotes", gen_json_quotes, {NULL}, true},
};

#define NCASES (sizeof cases / sizeof cases[0])
#define NSTAGES (1 + MAX_WRITERS)

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes doc with w into memory; the writer may refuse it (a limit). */
static void run_writer(const pk_plugin *w, const pk_doc *doc)
{
    pk_diag d = PK_DIAG_INIT;
    pk_options *o = NULL;
    pk_sink *sink = NULL;
    void *st = NULL;
    int rc;

    assert_int_equal(pk_options_new(&o, w->name, w->options), PK_OK);
    assert_int_equal(pk_sink_new_memory(&sink), PK_OK);
    PK_ASSERT_OK(w->writer->open(&st, sink, o, PK_OUTPUT_SINGLE, &d), &d);
    rc = w->writer->write(st, doc, &d);
    w->writer->close(st, &d);
    (void)rc;
    pk_sink_free(sink);
    pk_options_free(o);
}

/*
 * Runs the input once through every stage, adding each stage's CPU time
 * to t[] (t[0]: pk_read; t[1 + i]: writer i).  Returns the read status.
 */
static int run_once(const pk_plugin *r, const buf *in, const pk_options *opts,
                    double *t, char *msg, size_t msglen)
{
    pk_read_options ro = PK_READ_OPTIONS_INIT;
    pk_diag d = PK_DIAG_INIT;
    pk_doc *doc = NULL;
    double t0 = now();
    int rc;

    ro.reader_opts = opts;
    rc = pk_read(r, &ro, "p.md", in->s, in->len, &doc, &d);
    t[0] = now() - t0;
    if (msg)
        pk_diag_format(&d, msg, msglen);
    for (size_t i = 0; doc && i < nwriters; i++) {
        t0 = now();
        run_writer(writers[i], doc);
        t[1 + i] = now() - t0;
    }
    pk_doc_free(doc);
    return rc;
}

static double total(const double *t)
{
    double sum = 0;

    for (size_t s = 0; s < NSTAGES; s++)
        sum += t[s];
    return sum;
}

static const char *stage_name(size_t s)
{
    return s == 0 ? "read" : writers[s - 1]->name;
}

/* The inputs of one case at SIZES sizes, size << k, and each stage's
 * least time on each. */
#define SIZES 3

typedef struct sample {
    buf in[SIZES];
    double best[SIZES][NSTAGES];
} sample;

/* Makes the first n inputs of the sample. */
static void sample_make(sample *sm, const lcase *c, size_t size, int n)
{
    memset(sm, 0, sizeof *sm);
    for (int k = 0; k < SIZES; k++) {
        if (k < n)
            c->gen(&sm->in[k], size << k);
        for (size_t s = 0; s < NSTAGES; s++)
            sm->best[k][s] = -1;
    }
}

static void sample_free(sample *sm)
{
    for (int k = 0; k < SIZES; k++)
        free(sm->in[k].s);
}

/*
 * Times sizes 0..n-1 of the sample, reps rounds, interleaved (S, 2S, 4S,
 * S, 2S, 4S…) so that every size sees the same load, keeping each
 * stage's least time.  Returns the read status of size 0.
 */
static int measure(sample *sm, const lcase *c, const pk_options *opts, int n,
                   int reps, char *msg, size_t msglen)
{
    const pk_plugin *r = c->json ? json_reader : reader;
    int rc = PK_OK;

    for (int rep = 0; rep < reps; rep++) {
        for (int k = 0; k < n; k++) {
            double t[NSTAGES] = {0};
            int krc = run_once(r, &sm->in[k], opts, t,
                               rep == 0 && k == 0 ? msg : NULL, msglen);
            if (k == 0)
                rc = krc;
            for (size_t s = 0; s < NSTAGES; s++)
                if (sm->best[k][s] < 0 || t[s] < sm->best[k][s])
                    sm->best[k][s] = t[s];
        }
    }
    return rc;
}

/*
 * Returns NULL if the case scales linearly, else which stage does not.
 * Superlinear means: each of the two doublings, S to 2S and 2S to 4S,
 * costs MAX_RATIO times as much or more.  Quadratic work does that (x4,
 * x4); linear work does not (x2, x2), even when one doubling is slowed
 * by the working set outgrowing a cache.  Stages too quick to time at
 * 4S are not judged alone.
 */
static const char *judge(const sample *sm, double *r1, double *r2)
{
    for (size_t s = 0; s <= 1 + nwriters; s++) {
        bool whole = s == 1 + nwriters;
        double t0 = whole ? total(sm->best[0]) : sm->best[0][s];
        double t1 = whole ? total(sm->best[1]) : sm->best[1][s];
        double t2 = whole ? total(sm->best[2]) : sm->best[2][s];
        if (!whole && t2 < MIN_STAGE)
            continue;
        *r1 = t1 / (t0 > 0 ? t0 : 1e-9);
        *r2 = t2 / (t1 > 0 ? t1 : 1e-9);
        if (*r1 >= MAX_RATIO && *r2 >= MAX_RATIO)
            return whole ? "the whole" : stage_name(s);
    }
    return NULL;
}

static void run_case(const lcase *c)
{
    pk_options *opts = NULL;
    pk_diag d = PK_DIAG_INIT;
    size_t size = 4096;
    double r1 = 0, r2 = 0;
    char msg[1024] = "";
    const char *bad = NULL;
    const pk_plugin *r = c->json ? json_reader : reader;
    sample sm;
    int rc;

    if (!r)
        skip();
    assert_int_equal(pk_options_new(&opts, r->name, r->options), PK_OK);
    for (size_t i = 0; c->opts[i]; i++) {
        char kv[128], *eq;
        snprintf(kv, sizeof kv, "%s", c->opts[i]);
        eq = strchr(kv, '=');
        assert_non_null(eq);
        *eq = '\0';
        PK_ASSERT_OK(pk_options_set(opts, kv, eq + 1, &d), &d);
    }
    if (UNDER_VALGRIND()) {
        sample_make(&sm, c, 16384, 1);
        measure(&sm, c, opts, 1, 1, NULL, 0);
        sample_free(&sm);
        pk_options_free(opts);
        return;
    }
    /* Grow S until one run is long enough to time. */
    for (;;) {
        sample_make(&sm, c, size, 1);
        measure(&sm, c, opts, 1, 1, NULL, 0);
        if (total(sm.best[0]) >= MIN_SECONDS ||
            (size << SIZES) > MAX_SIZE)
            break;
        sample_free(&sm);
        size *= 2;
    }
    /* Timing is noisy: a case gets three tries to show it is linear.
     * A try that looks superlinear is repeated one doubling up (S to 2S,
     * while 4S stays within MAX_SIZE): a working set outgrowing the caches
     * can slow two doublings in a row, but only quadratic work keeps
     * costing four times as much at every scale (instruction counts of
     * such a case grow x2, x2 under callgrind). */
    for (int attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0 && (size << SIZES) <= MAX_SIZE)
            size *= 2;
        sample_free(&sm);
        sample_make(&sm, c, size, SIZES);
        rc = measure(&sm, c, opts, SIZES, 3, msg, sizeof msg);
        if (!(bad = judge(&sm, &r1, &r2)))
            break;
    }
    printf("%-18s %8zu -> %8zu -> %8zu bytes: %7.1f -> %7.1f -> %7.1f ms"
           "  %s\n", c->name, sm.in[0].len, sm.in[1].len, sm.in[2].len,
           total(sm.best[0]) * 1e3, total(sm.best[1]) * 1e3,
           total(sm.best[2]) * 1e3, rc == PK_OK ? "read" : msg);
    if (bad) {
        char detail[1024];
        size_t o = 0;
        for (size_t s = 0; s < 1 + nwriters && o < sizeof detail; s++)
            o += (size_t)snprintf(detail + o, sizeof detail - o,
                                  " %s %.1f/%.1f/%.1fms", stage_name(s),
                                  sm.best[0][s] * 1e3, sm.best[1][s] * 1e3,
                                  sm.best[2][s] * 1e3);
        sample_free(&sm);
        pk_options_free(opts);
        fail_msg("%s: %s grows x%.2f then x%.2f from %zu bytes:%s", c->name,
                 bad, r1, r2, size, detail);
    }
    sample_free(&sm);
    pk_options_free(opts);
}

static void test_linear(void **state)
{
    const lcase *c = *state;

    run_case(c);
}

static void skip_case(void **state)
{
    (void)state;
    skip();
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[NCASES];
    pk_diag d = PK_DIAG_INIT;
    char text[2048];

    if (argc < 2) {
        fprintf(stderr, "usage: %s MARKDOWN_MODULE [MODULE...]\n",
                argv[0]);
        return 2;
    }
    if (pk_context_new(&ctx) != PK_OK)
        return 2;
    for (int i = 1; i < argc; i++) {
        const pk_plugin *p;
        if (pk_context_load_file(ctx, argv[i], &d) != PK_OK) {
            fprintf(stderr, "%s\n", pk_diag_format(&d, text, sizeof text));
            return 2;
        }
        p = pk_context_plugin(ctx, pk_context_plugin_count(ctx) - 1);
        if (p->kind == PK_PLUGIN_READER && strcmp(p->name, "markdown") == 0)
            reader = p;
        else if (p->kind == PK_PLUGIN_READER && strcmp(p->name, "json") == 0)
            json_reader = p;
        else if (p->kind == PK_PLUGIN_WRITER && nwriters < MAX_WRITERS)
            writers[nwriters++] = p;
    }
    if (!reader) {
        fprintf(stderr, "no markdown reader among the modules\n");
        return 2;
    }
    for (size_t i = 0; i < NCASES; i++) {
        const char *only = getenv("PK_LINEAR_ONLY");
        memset(&tests[i], 0, sizeof tests[i]);
        if (only && *only && !strstr(cases[i].name, only))
            tests[i].test_func = skip_case;
        else
            tests[i].test_func = test_linear;
        tests[i].name = cases[i].name;
        tests[i].initial_state = (void *)&cases[i];
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    {
        int rc = cmocka_run_group_tests(tests, NULL, NULL);
        pk_context_free(ctx);
        return rc;
    }
}
