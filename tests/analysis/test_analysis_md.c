/*
 * The analysis pass on releases read by the markdown reader: each
 * attribution form, the traps that are not quotes, a release shaped like
 * the seed, and pathological inputs under a time limit.
 *
 * Usage: test_analysis_md MARKDOWN_PLUGIN
 */
#include <stdlib.h>
#include <time.h>

#include "pk_test.h"
#include "support.h"

static const pk_plugin *reader;

#define LQ "\xE2\x80\x9C"   /* “ */
#define RQ "\xE2\x80\x9D"   /* ” */
#define NBSP "\xC2\xA0"
#define NBHY "\xE2\x80\x91" /* NON-BREAKING HYPHEN */
#define EMDASH "\xE2\x80\x94"
#define ENDASH "\xE2\x80\x93"

#define FRONT(ministers)                                                      \
    "---\ntitle: A test release\ndate: 2024-05-01\n" ministers "---\n\n"
#define TWO_MINISTERS "ministers:\n  - Hon Mere Tawhiri\n  - Hon Tom Macindoe\n"

static pk_doc *read_md(const char *source, const char *text)
{
    pk_doc *doc = NULL;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_read(reader, NULL, source, text, strlen(text), &doc, &d), &d);
    return doc;
}

/* One line per quote: "P=2,3 S=speaker T=title M=0 | text" ("-" for
 * NULL), so a failure shows everything that was found. */
static char *summary(const pk_doc *doc, bool with_text)
{
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < pk_doc_quote_count(doc); i++) {
        const pk_quote *q = pk_doc_quote(doc, i);
        char para[256] = "";
        size_t pl = 0;
        for (size_t j = 0; j < pk_quote_paragraph_count(q) && pl < 200; j++)
            pl += (size_t)snprintf(para + pl, sizeof para - pl, "%s%zu",
                                   j ? "," : "", pk_quote_paragraph_index(q, j));
        const char *s = pk_quote_speaker(q), *t = pk_quote_title(q);
        const char *text = with_text ? pk_quote_text(q) : "";
        size_t need = strlen(para) + (s ? strlen(s) : 1) + (t ? strlen(t) : 1) +
                      strlen(text) + 64;
        while (len + need >= cap)
            out = realloc(out, cap *= 2);
        len += (size_t)snprintf(out + len, cap - len, "P=%s S=%s T=%s M=%ld%s%s\n",
                                para, s ? s : "-", t ? t : "-",
                                pk_quote_minister(q), with_text ? " | " : "",
                                text);
    }
    return out;
}

static void expect(const char *body, const char *quotes, bool with_text)
{
    size_t n = strlen(FRONT(TWO_MINISTERS)) + strlen(body) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s", FRONT(TWO_MINISTERS), body);
    pk_doc *doc = read_md("t.md", text);
    char *got = summary(doc, with_text);
    if (strcmp(got, quotes) != 0)
        fail_msg("for body:\n%s\nexpected:\n%sgot:\n%s", body, quotes, got);
    free(got);
    free(text);
    pk_doc_free(doc);
}

/* ---- attribution forms ---------------------------------------------- */

static void test_title_name_said(void **state)
{
    (void)state;
    expect("Lead.\n\n" LQ "We will build it," RQ " Foreign Minister Mere Tawhiri said.\n",
           "P=1 S=Hon Mere Tawhiri T=Foreign Minister M=0 | We will build it,\n",
           true);
}

static void test_said_name(void **state)
{
    (void)state;
    expect(LQ "We will build it," RQ " said Mere Tawhiri.\n",
           "P=0 S=Hon Mere Tawhiri T=- M=0 | We will build it,\n", true);
    expect(LQ "We will build it," RQ " said Foreign Minister Mere Tawhiri.\n",
           "P=0 S=Hon Mere Tawhiri T=Foreign Minister M=0 | We will build it,\n",
           true);
}

static void test_says_honorific_surname(void **state)
{
    (void)state;
    expect(LQ "Costs fell," RQ " says Mr Macindoe.\n",
           "P=0 S=Hon Tom Macindoe T=- M=1 | Costs fell,\n", true);
    expect(LQ "Costs fell," RQ " Macindoe said.\n",
           "P=0 S=Hon Tom Macindoe T=- M=1 | Costs fell,\n", true);
    /* Not a minister: kept as written, minus the honorific. */
    expect(LQ "Costs fell," RQ " says Dr Hana Lee.\n",
           "P=0 S=Hana Lee T=- M=-1 | Costs fell,\n", true);
}

static void test_lead_in(void **state)
{
    (void)state;
    expect("Tom Macindoe said: " LQ "The work starts today." RQ "\n",
           "P=0 S=Hon Tom Macindoe T=- M=1 | The work starts today.\n", true);
    expect("Jane Roe said, " LQ "The work starts today." RQ "\n",
           "P=0 S=Jane Roe T=- M=-1 | The work starts today.\n", true);
    expect("Speaking at the launch, Associate Health Minister Mere Tawhiri said: "
           LQ "It is a good day." RQ "\n",
           "P=0 S=Hon Mere Tawhiri T=Associate Health Minister M=0 | It is a good day.\n",
           true);
    /* A lead-in quote that runs over two paragraphs. */
    expect("Mere Tawhiri said: " LQ "First.\n\n" LQ "Second." RQ "\n",
           "P=0,1 S=Hon Mere Tawhiri T=- M=0 | First.\n\nSecond.\n", true);
}

static void test_dash(void **state)
{
    (void)state;
    expect(LQ "Onward." RQ " " EMDASH " Hon Mere Tawhiri\n\n"
           LQ "Upward." RQ " " ENDASH " Tom Macindoe\n\n"
           LQ "Outward." RQ " -- Hon Mere Tawhiri, Foreign Minister\n",
           "P=0 S=Hon Mere Tawhiri T=- M=0 | Onward.\n"
           "P=1 S=Hon Tom Macindoe T=- M=1 | Upward.\n"
           "P=2 S=Hon Mere Tawhiri T=Foreign Minister M=0 | Outward.\n",
           true);
}

static void test_pronouns(void **state)
{
    (void)state;
    expect(LQ "One," RQ " Tom Macindoe said.\n\n"
           LQ "Two," RQ " he says.\n\n"
           LQ "Three," RQ " Mere Tawhiri said.\n\n"
           LQ "Four," RQ " she said.\n",
           "P=0 S=Hon Tom Macindoe T=- M=1\n"
           "P=1 S=Hon Tom Macindoe T=- M=1\n"
           "P=2 S=Hon Mere Tawhiri T=- M=0\n"
           "P=3 S=Hon Mere Tawhiri T=- M=0\n",
           false);
    /* No one before and two ministers: nobody to point at. */
    expect(LQ "One," RQ " she said.\n", "P=0 S=- T=- M=-1\n", false);
}

static void test_adding_that(void **state)
{
    (void)state;
    expect(LQ "It is done," RQ " Mere Tawhiri said, adding that the "
           LQ "quiet period" RQ " was over.\n",
           "P=0 S=Hon Mere Tawhiri T=- M=0 | It is done,\n", true);
    expect(LQ "It is done," RQ " Mere Tawhiri said, adding: " LQ "And paid for." RQ "\n",
           "P=0 S=Hon Mere Tawhiri T=- M=0 | It is done, And paid for.\n", true);
}

static void test_the_minister(void **state)
{
    (void)state;
    expect(LQ "One," RQ " Defence Minister Tom Macindoe said.\n\n"
           "Some prose.\n\n"
           LQ "Two," RQ " the Minister said.\n",
           "P=0 S=Hon Tom Macindoe T=Defence Minister M=1\n"
           "P=2 S=Hon Tom Macindoe T=Minister M=1\n",
           false);
    /* "the Foreign Minister" is whoever the body last called that. */
    expect(LQ "One," RQ " Foreign Minister Mere Tawhiri said.\n\n"
           LQ "Two," RQ " Defence Minister Tom Macindoe said.\n\n"
           LQ "Three," RQ " the Foreign Minister said.\n",
           "P=0 S=Hon Mere Tawhiri T=Foreign Minister M=0\n"
           "P=1 S=Hon Tom Macindoe T=Defence Minister M=1\n"
           "P=2 S=Hon Mere Tawhiri T=Foreign Minister M=0\n",
           false);
}

static void test_attribution_in_the_middle(void **state)
{
    (void)state;
    expect(LQ "First part," RQ " Jane Roe said. " LQ "Second part." RQ "\n",
           "P=0 S=Jane Roe T=- M=-1 | First part, Second part.\n", true);
    /* ...and the second part may run on into the next paragraph. */
    expect(LQ "First part," RQ " Mere Tawhiri said. " LQ "Second part.\n\n"
           LQ "Third part." RQ "\n",
           "P=0,1 S=Hon Mere Tawhiri T=- M=0 | First part, Second part.\n\nThird part.\n",
           true);
}

static void test_appositions_and_joint_statements(void **state)
{
    (void)state;
    expect(LQ "A," RQ " Mere Tawhiri, the Foreign Minister, said on Monday.\n\n"
           LQ "B," RQ " Tom Macindoe, who chairs the group, said.\n\n"
           "One expert, Hana Lee, said: " LQ "C." RQ "\n\n"
           LQ "D," RQ " Ms Lee said.\n\n"
           LQ "E," RQ " Foreign Minister Mere Tawhiri and Defence Minister Tom "
           "Macindoe said.\n\n"
           LQ "F," RQ " they said.\n",
           "P=0 S=Hon Mere Tawhiri T=Foreign Minister M=0\n"
           "P=1 S=Hon Tom Macindoe T=- M=1\n"
           "P=2 S=Hana Lee T=- M=-1\n"
           "P=3 S=Hana Lee T=- M=-1\n"
           "P=4 S=Hon Mere Tawhiri T=Foreign Minister M=0\n"
           "P=5 S=Hon Mere Tawhiri T=- M=0\n",
           false);
}

static void test_titles(void **state)
{
    (void)state;
    expect(LQ "A," RQ " Associate Education Minister Mere Tawhiri said.\n\n"
           LQ "B," RQ " Minister for Disability Issues Tom Macindoe said.\n\n"
           LQ "C," RQ " Deputy Prime Minister Mere Tawhiri said.\n\n"
           LQ "D," RQ " Minister of Foreign Affairs and Trade Jane Roe said.\n\n"
           LQ "E," RQ " Associate Minister of Health Hon Tom Macindoe said.\n",
           "P=0 S=Hon Mere Tawhiri T=Associate Education Minister M=0\n"
           "P=1 S=Hon Tom Macindoe T=Minister for Disability Issues M=1\n"
           "P=2 S=Hon Mere Tawhiri T=Deputy Prime Minister M=0\n"
           "P=3 S=Jane Roe T=Minister of Foreign Affairs and Trade M=-1\n"
           "P=4 S=Hon Tom Macindoe T=Associate Minister of Health M=1\n",
           false);
}

static void test_resolution(void **state)
{
    (void)state;
    /* Honorifics on both sides are ignored; a shared surname resolves to
     * no one. */
    const char *text =
        "---\ntitle: T\ndate: 2024-05-01\nministers:\n"
        "  - Rt Hon Ana Ngata\n  - Hon Dr Rawiri Ngata\n  - Hon Lee Park\n---\n\n"
        LQ "A," RQ " Dr Rawiri Ngata said.\n\n"
        LQ "B," RQ " Ana Ngata said.\n\n"
        LQ "C," RQ " Ngata said.\n\n"
        LQ "D," RQ " Ms Park said.\n\n"
        LQ "E," RQ " said the Right Honourable Ana Ngata.\n";
    pk_doc *doc = read_md("r.md", text);
    char *got = summary(doc, false);
    PK_ASSERT_STR("P=0 S=Hon Dr Rawiri Ngata T=- M=1\n"
                  "P=1 S=Rt Hon Ana Ngata T=- M=0\n"
                  "P=2 S=Ngata T=- M=-1\n"
                  "P=3 S=Hon Lee Park T=- M=2\n"
                  "P=4 S=Rt Hon Ana Ngata T=- M=0\n",
                  got);
    free(got);
    pk_doc_free(doc);

    /* One minister: "she said" with no one before points at them. */
    doc = read_md("r.md", "---\ntitle: T\ndate: 2024-05-01\nministers: Hon Lee Park\n"
                          "---\n\n" LQ "A," RQ " she said.\n");
    got = summary(doc, false);
    PK_ASSERT_STR("P=0 S=Hon Lee Park T=- M=0\n", got);
    free(got);
    pk_doc_free(doc);
}

static void test_unattributed_and_straight(void **state)
{
    (void)state;
    expect("Lead.\n\n" LQ "We are ready." RQ "\n",
           "P=1 S=- T=- M=-1 | We are ready.\n", true);
    expect("\"Straight and simple,\" Mere Tawhiri said. \"Second.\"\n\n"
           "\"Runs on\n\n\"and ends,\" said Tom Macindoe.\n",
           "P=0 S=Hon Mere Tawhiri T=- M=0 | Straight and simple, Second.\n"
           "P=1,2 S=Hon Tom Macindoe T=- M=1 | Runs on\n\nand ends,\n",
           true);
}

/* ---- not quotes ------------------------------------------------------ */

static void test_traps(void **state)
{
    (void)state;
    expect("The so-called " LQ "quiet period" RQ " ends today.\n\n"
           "The report " LQ "Pathways to Work" RQ " found gaps.\n\n"
           LQ "Pathways to Work" RQ " is the name of the report.\n\n"
           "Officials said, " LQ "quiet period" RQ " rules apply.\n\n"
           "> " LQ "A quote in a block quote," RQ " Mere Tawhiri said.\n\n"
           "- " LQ "A quote in a list," RQ " Mere Tawhiri said.\n\n"
           LQ "Yes," RQ " said nobody in particular.\n",
           "", false);
}

static void test_nested_quotes_stay_in_text(void **state)
{
    (void)state;
    expect(LQ "They called it " LQ "the big fix" RQ " and the 'small win'," RQ
           " Mere Tawhiri said.\n\n"
           "\"Say " LQ "hello" RQ " *now*,\" she said.\n",
           "P=0 S=Hon Mere Tawhiri T=- M=0 | They called it " LQ "the big fix" RQ
           " and the 'small win',\n"
           "P=1 S=Hon Mere Tawhiri T=- M=0 | Say " LQ "hello" RQ " now,\n",
           true);
}

static void test_multi_paragraph_breaks(void **state)
{
    (void)state;
    /* An open quote ends at a paragraph that does not open with a mark;
     * a heading between ends it too. */
    expect(LQ "Left open.\n\nPlain prose.\n\n" LQ "Open again.\n\n## Heading\n\n"
           LQ "Closed," RQ " Mere Tawhiri said.\n",
           "P=0 S=- T=- M=-1\nP=2 S=- T=- M=-1\nP=4 S=Hon Mere Tawhiri T=- M=0\n",
           false);
}

/* ---- the seed's shape ------------------------------------------------ */

/* Same arrangement as seeds/release-2022-08-25-d-isis.md, other words:
 * two highlights, a lead, a one-paragraph quote with a title, a quote
 * over two paragraphs, prose, a second minister's one-paragraph quote
 * with a title, then their quote over three paragraphs. */
static const char seed_shape[] =
    "---\n"
    "title: \"New phase for the coastal restoration partnership\"\n"
    "date: 2023-03-14\n"
    "ministers:\n"
    "  - Hon Aroha Wikitoria\n"
    "  - Hon Tane Rangipuni\n"
    "portfolios:\n"
    "  - Conservation\n"
    "  - Trade\n"
    "---\n"
    "\n"
    "- Planting programme to finish in May 2024\n"
    "- $3 million for community nurseries\n"
    "\n"
    "The partnership restoring the eastern coastline will change focus now "
    "that most of the dunes are replanted, the Government said today.\n"
    "\n"
    LQ "The partnership has replanted forty kilometres of dunes. Our work now "
    "turns to keeping them healthy," RQ " Conservation Minister Aroha Wikitoria said.\n"
    "\n"
    LQ "Funding since 2015 has paid for nurseries, fencing and pest control "
    "along the whole coast.\n"
    "\n"
    LQ "Volunteers have given more than 30" NBSP "000 hours to the work," RQ
    " Aroha Wikitoria said.\n"
    "\n"
    "The new funding runs over three years and pays for nurseries run by "
    "local schools and marae.\n"
    "\n"
    LQ "Trade in native seedlings will open to the region as the programme "
    "winds down, after which we expect the nurseries to stand on their "
    "own as non" NBHY "profit trusts," RQ " Trade Minister Tane Rangipuni said.\n"
    "\n"
    LQ "This is a shared commitment to the coast and the people who live on it.\n"
    "\n"
    LQ "I want to thank every volunteer who has carried a tray of seedlings "
    "up a dune.\n"
    "\n"
    LQ "That includes the first planting days in 2015 and the school "
    "programmes that followed. Nursery staff have also trained new growers "
    "across the region," RQ " Tane Rangipuni said.\n";

static void test_seed_shape(void **state)
{
    (void)state;
    pk_doc *doc = read_md("/in/release-2023-03-14-coast.md", seed_shape);
    char *got = summary(doc, false);
    PK_ASSERT_STR("P=2 S=Hon Aroha Wikitoria T=Conservation Minister M=0\n"
                  "P=3,4 S=Hon Aroha Wikitoria T=- M=0\n"
                  "P=6 S=Hon Tane Rangipuni T=Trade Minister M=1\n"
                  "P=7,8,9 S=Hon Tane Rangipuni T=- M=1\n",
                  got);
    free(got);
    pk_node *hl = pk_doc_highlights(doc);
    assert_non_null(hl);
    assert_ptr_equal(hl, pk_node_first_child(pk_doc_root(doc)));
    assert_ptr_equal(pk_doc_lead(doc), pk_node_next(hl));
    PK_ASSERT_STR("tag:presskit.invalid,2023-03-14:release-2023-03-14-coast",
                  pk_doc_id(doc));
    const pk_quote *q = pk_doc_quote(doc, 1);
    PK_ASSERT_STR("Funding since 2015 has paid for nurseries, fencing and pest "
                  "control along the whole coast.\n\nVolunteers have given more "
                  "than 30" NBSP "000 hours to the work,",
                  pk_quote_text(q));
    assert_ptr_equal(pk_doc_quote_of(doc, pk_quote_paragraph(q, 1)), q);
    /* Counted independently (a script splitting on white space and
     * NO-BREAK SPACE): highlights 7 + 5, lead 21, quotes 21, 15 + 14
     * ("30 000" is two words), prose 17, quotes 33, 15 + 16 + 27. */
    assert_int_equal(pk_doc_word_count(doc),
                     7 + 5 + 21 + 21 + 15 + 14 + 17 + 33 + 15 + 16 + 27);
    assert_int_equal(pk_doc_reading_minutes(doc), 1);
    pk_doc_free(doc);
}

/* ---- pathological inputs --------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads FRONT + body and checks it took under limit seconds: quadratic
 * work on these sizes takes minutes. */
static pk_doc *timed(const char *body, size_t body_len, double limit)
{
    size_t fl = strlen(FRONT(TWO_MINISTERS));
    char *text = malloc(fl + body_len + 1);
    memcpy(text, FRONT(TWO_MINISTERS), fl);
    memcpy(text + fl, body, body_len);
    text[fl + body_len] = '\0';
    double t0 = now();
    pk_doc *doc = read_md("big.md", text);
    double took = now() - t0;
    free(text);
    if (took > limit)
        fail_msg("took %.2f s (limit %.2f s)", took, limit);
    return doc;
}

/* Repeats unit n times into a new buffer. */
static char *repeat(const char *unit, size_t n, size_t *len)
{
    size_t ul = strlen(unit);
    char *s = malloc(ul * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * ul, unit, ul);
    s[ul * n] = '\0';
    *len = ul * n;
    return s;
}

static void test_pathological(void **state)
{
    (void)state;
    const double limit = 20.0; /* generous for sanitizers and valgrind */
    size_t len;
    struct { const char *unit; size_t n; size_t quotes; } cases[] = {
        {LQ, 200000, 1},                            /* opening marks */
        {RQ, 200000, 0},                            /* closing marks */
        {"\"", 200001, 1},                          /* straight marks */
        {LQ "a" RQ " ", 100000, 1},                 /* many parts */
        {LQ "a," RQ " she said. ", 50000, 1},       /* many attributions */
        {"word ", 400000, 0},                       /* a huge paragraph */
        {LQ "Open\n\n", 20000, 1},                  /* one long quote */
        {LQ "x," RQ " the Foreign Minister said.\n\n", 20000, 20000},
        {"said: ", 100000, 0},                      /* lead-in-like prose */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *body = repeat(cases[c].unit, cases[c].n, &len);
        if (cases[c].quotes == 0 && c == 8) {
            /* end with a mark so the lead-in scan has work to do */
            body = realloc(body, len + 8);
            memcpy(body + len, LQ "x" RQ, 7);
            len += 7;
        }
        pk_doc *doc = timed(body, len, limit);
        if (pk_doc_quote_count(doc) != cases[c].quotes)
            fail_msg("case %zu: %zu quotes, expected %zu", c,
                     pk_doc_quote_count(doc), cases[c].quotes);
        pk_doc_free(doc);
        free(body);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s MARKDOWN_PLUGIN\n", argv[0]);
        return 2;
    }
    pk_context *ctx = an_load_markdown(argv[1], &reader);
    if (!ctx)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_name_said),
        cmocka_unit_test(test_said_name),
        cmocka_unit_test(test_says_honorific_surname),
        cmocka_unit_test(test_lead_in),
        cmocka_unit_test(test_dash),
        cmocka_unit_test(test_pronouns),
        cmocka_unit_test(test_adding_that),
        cmocka_unit_test(test_the_minister),
        cmocka_unit_test(test_attribution_in_the_middle),
        cmocka_unit_test(test_appositions_and_joint_statements),
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_unattributed_and_straight),
        cmocka_unit_test(test_traps),
        cmocka_unit_test(test_nested_quotes_stay_in_text),
        cmocka_unit_test(test_multi_paragraph_breaks),
        cmocka_unit_test(test_seed_shape),
        cmocka_unit_test(test_pathological),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    pk_context_free(ctx);
    return rc;
}
