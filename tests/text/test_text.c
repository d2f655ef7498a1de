/*
 * test_text.c - the text writer module: exact output for wrapping by
 * display width, every kind of block and inline, the metadata header,
 * several documents, the quotes section, its options; and, over the
 * example releases, that no line is wider than it may be.
 *
 * Usage: test_text TEXT.so MARKDOWN_READER.so [EXAMPLE.md...]
 *
 * Releases are written as Markdown and read with the markdown reader
 * (pk_read, which also runs the analysis), as the CLI does.  width.c is
 * compiled in to measure lines and to test the width table directly.
 */
#include <pthread.h>
#include <stdlib.h>

#include "pk_test.h"
#include "text.h"

static const char *text_path, *markdown_path;
static char **examples;
static int example_count;

/* The plugins under test, loaded once for the whole run. */
static pk_context *ctx;
static const pk_plugin *writer, *reader;

/* The header of a release made by doc_from_body(). */
#define HEAD "T\n=\n\nDate: 2024-01-02\n\n"

/* ---- helpers ---------------------------------------------------------- */

static char *copy_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    assert_non_null(p);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* Reads a whole release (front matter and body) with the markdown
 * reader. */
static pk_doc *read_release(const char *name, const char *md, size_t len)
{
    pk_doc *doc = NULL;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_read(reader, NULL, name, md, len, &doc, &d), &d);
    assert_non_null(doc);
    return doc;
}

/* Reads a release with title "T", date 2024-01-02 and the given body. */
static pk_doc *doc_from_body(const char *body)
{
    static const char fm[] = "---\ntitle: T\ndate: 2024-01-02\n---\n\n";
    size_t len = strlen(fm) + strlen(body);
    char *md = malloc(len + 1);
    assert_non_null(md);
    strcpy(md, fm);
    strcat(md, body);
    pk_doc *doc = read_release("t.md", md, len);
    free(md);
    return doc;
}

/* Writes n documents through the text writer into memory with options
 * given as "key=value" strings (NULL-terminated list, may be NULL);
 * returns the output (free()). */
static char *write_docs(pk_doc *const *docs, size_t n, unsigned mode,
                        const char *const *kv)
{
    pk_sink *sink;
    pk_options *opts;
    void *state;
    pk_diag d = PK_DIAG_INIT;
    size_t len;

    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(pk_options_new(&opts, "text", writer->options), &d);
    for (size_t i = 0; kv && kv[i]; i++) {
        char key[64];
        const char *eq = strchr(kv[i], '=');
        assert_non_null(eq);
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv[i]), kv[i]);
        PK_ASSERT_OK(pk_options_set(opts, key, eq + 1, &d), &d);
    }
    PK_ASSERT_OK(writer->writer->open(&state, sink, opts, mode, &d), &d);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_OK(writer->writer->write(state, docs[i], &d), &d);
    PK_ASSERT_OK(writer->writer->close(state, &d), &d);
    const char *data = pk_sink_memory_data(sink, &len);
    char *out = copy_bytes(data, len);
    assert_int_equal(strlen(out), len);   /* text never holds a NUL */
    pk_sink_free(sink);
    pk_options_free(opts);
    return out;
}

/* Renders a body alone with the given options and compares the whole
 * output with HEAD + expected. */
static void check_kv(const char *body, const char *const *kv,
                     const char *expected)
{
    pk_doc *doc = doc_from_body(body);
    char *out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, kv);
    char *want = malloc(strlen(HEAD) + strlen(expected) + 1);
    assert_non_null(want);
    strcpy(want, HEAD);
    strcat(want, expected);
    PK_ASSERT_STR(want, out);
    free(want);
    free(out);
    pk_doc_free(doc);
}

static void check_width(const char *body, const char *width,
                        const char *expected)
{
    char opt[32];
    snprintf(opt, sizeof opt, "width=%s", width);
    const char *kv[] = {opt, NULL};
    check_kv(body, kv, expected);
}

static void check(const char *body, const char *expected)
{
    check_kv(body, NULL, expected);
}

/* ---- the descriptor and options --------------------------------------- */

static void test_descriptor(void **st)
{
    (void)st;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_plugin_check(writer, &d), &d);
    PK_ASSERT_STR("text", writer->name);
    assert_int_equal(writer->kind, PK_PLUGIN_WRITER);
    PK_ASSERT_STR("txt", writer->extensions[0]);
    assert_null(writer->extensions[1]);
    PK_ASSERT_STR("text/plain; charset=utf-8", writer->media_type);
    assert_int_equal(writer->flags, 0);
    assert_null(writer->reader);
    assert_non_null(writer->writer);
    const pk_option_def *o = writer->options;
    PK_ASSERT_STR("width", o[0].name);
    assert_int_equal(o[0].type, PK_OPTION_INT);
    PK_ASSERT_STR("72", o[0].default_value);
    PK_ASSERT_STR("quotes", o[1].name);
    assert_int_equal(o[1].type, PK_OPTION_BOOL);
    PK_ASSERT_STR("false", o[1].default_value);
    assert_null(o[2].name);
}

/* Opens the writer with text.width=value; returns its status. */
static int open_with_width(const char *value, pk_diag *d)
{
    pk_sink *sink;
    pk_options *opts;
    void *state = NULL;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), d);
    PK_ASSERT_OK(pk_options_new(&opts, "text", writer->options), d);
    PK_ASSERT_OK(pk_options_set(opts, "width", value, d), d);
    int rc = writer->writer->open(&state, sink, opts, 0, d);
    if (rc == PK_OK) {
        pk_diag cd = PK_DIAG_INIT;
        PK_ASSERT_OK(writer->writer->close(state, &cd), &cd);
    }
    pk_options_free(opts);
    pk_sink_free(sink);
    return rc;
}

static void test_width_option(void **st)
{
    (void)st;
    static const char *const bad[] = {"19", "1", "-1", "-72"};
    static const char *const good[] = {"0", "20", "72", "1000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pk_diag d = PK_DIAG_INIT;
        assert_int_equal(open_with_width(bad[i], &d), PK_EINVAL);
        assert_int_equal(d.status, PK_EINVAL);
        if (!strstr(d.message, "text.width") ||
            !strstr(d.message, bad[i]) || !strstr(d.message, "20"))
            fail_msg("unclear message for width=%s: %s", bad[i], d.message);
    }
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        pk_diag d = PK_DIAG_INIT;
        PK_ASSERT_OK(open_with_width(good[i], &d), &d);
    }
}

/* No option set at all: the defaults (72 columns, no quotes). */
static void test_null_options(void **st)
{
    (void)st;
    pk_doc *doc = doc_from_body(
        "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
        "aaaaaaaaa aaaaaaaaa\n");
    pk_sink *sink;
    void *state;
    pk_diag d = PK_DIAG_INIT;
    size_t len;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&state, sink, NULL, 0, &d), &d);
    PK_ASSERT_OK(writer->writer->write(state, doc, &d), &d);
    PK_ASSERT_OK(writer->writer->close(state, &d), &d);
    PK_ASSERT_STR(HEAD "aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa aaaaaaaaa "
                  "aaaaaaaaa aaaaaaaaa\naaaaaaaaa\n",
                  pk_sink_memory_data(sink, &len));
    pk_sink_free(sink);
    pk_doc_free(doc);
}

/* ---- display width ---------------------------------------------------- */

static void test_char_width(void **st)
{
    (void)st;
    static const struct {
        uint32_t cp;
        int width;
    } cases[] = {
        {'a', 1}, {' ', 1}, {0x00A0, 1}, {0x00AD, 1}, {0x0101, 1},
        {0x2011, 1}, {0x2019, 1}, {0x0301, 0}, {0x0489, 0}, {0x200B, 0},
        {0x200D, 0}, {0xFEFF, 0}, {0xFE0F, 0}, {0xE0100, 0}, {0x1160, 0},
        {0x1100, 2}, {0x3000, 2}, {0x3042, 2}, {0x30AB, 2}, {0x4E00, 2},
        {0x9FFF, 2}, {0xAC00, 2}, {0xD7A3, 2}, {0xFF21, 2}, {0xFF61, 1},
        {0x1F600, 2}, {0x20000, 2}, {0x0E31, 0}, {0x0903, 1}, {0x1B, 0},
        {0x85, 0}, {0x0378, 1}, {0x10FFFF, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (tx_char_width(cases[i].cp) != cases[i].width)
            fail_msg("width of U+%04X: expected %d, got %d",
                     (unsigned)cases[i].cp, cases[i].width,
                     tx_char_width(cases[i].cp));
    assert_int_equal(tx_display_width("M\xC4\x81ori", 6), 5);
    assert_int_equal(tx_display_width("\xE6\x97\xA5\xE6\x9C\xAC", 6), 4);
    assert_int_equal(tx_display_width("e\xCC\x81", 3), 1);
}

/* ---- wrapping --------------------------------------------------------- */

/* Lines end exactly at the width, and the word that would pass it moves
 * down whole. */
static void test_wrap_ascii(void **st)
{
    (void)st;
    check_width("The quick brown fox jumps over the lazy dog and keeps "
                "running far away.\n",
                "30",
                "The quick brown fox jumps over\n"
                "the lazy dog and keeps running\n"
                "far away.\n");
}

/* Two bytes, one column: counting bytes would break after "whānau". */
static void test_wrap_macrons(void **st)
{
    (void)st;
    check_width("M\xC4\x81ori wh\xC4\x81nau T\xC4\x93pene "
                "\xC5\x8Dtautahi\n",
                "20",
                "M\xC4\x81ori wh\xC4\x81nau T\xC4\x93pene\n"
                "\xC5\x8Dtautahi\n");
}

/* Three bytes, two columns: 日本語の テキスト は fills 20 columns. */
static void test_wrap_cjk(void **st)
{
    (void)st;
    check_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE "
                "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88 "
                "\xE3\x81\xAF \xE5\xB9\x85\xE3\x81\x8C "
                "\xE4\xBA\x8C\xE5\x80\x8D\xE3\x81\xA7\xE3\x81\x99\n",
                "20",
                "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE "
                "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88 "
                "\xE3\x81\xAF\n"
                "\xE5\xB9\x85\xE3\x81\x8C "
                "\xE4\xBA\x8C\xE5\x80\x8D\xE3\x81\xA7\xE3\x81\x99\n");
}

/* A decomposed "cáfé" is 6 code points but 4 columns: 4 words a line. */
static void test_wrap_combining(void **st)
{
    (void)st;
#define CAFE "ca\xCC\x81" "fe\xCC\x81"
    check_width(CAFE " " CAFE " " CAFE " " CAFE " " CAFE "\n", "20",
                CAFE " " CAFE " " CAFE " " CAFE "\n" CAFE "\n");
#undef CAFE
}

/* NO-BREAK SPACE and NON-BREAKING HYPHEN bind; a plain hyphen is no
 * break either. */
static void test_wrap_never_breaks(void **st)
{
    (void)st;
#define NBSP "\xC2\xA0"
#define NBHY "\xE2\x80\x91"
    check_width("aaaa bbbb cccc NZ$" NBSP "120" NBSP "million dddd\n", "20",
                "aaaa bbbb cccc\n"
                "NZ$" NBSP "120" NBSP "million dddd\n");
    check_width("xxxxxxxxx drought" NBHY "tolerant crops\n", "20",
                "xxxxxxxxx\n"
                "drought" NBHY "tolerant\n"
                "crops\n");
    check_width("yyyyyyyyy well-known-thing\n", "20",
                "yyyyyyyyy\nwell-known-thing\n");
    /* Wider than the line: alone, not cut. */
    check_width("z" NBSP "zzzzzzzzzzzzzzzzzzzzzzzzzzzzz z\n", "20",
                "z" NBSP "zzzzzzzzzzzzzzzzzzzzzzzzzzzzz\nz\n");
#undef NBSP
#undef NBHY
}

static void test_wrap_long_word(void **st)
{
    (void)st;
    check_width("see https://example.govt.nz/a/very/long/path now\n", "20",
                "see\nhttps://example.govt.nz/a/very/long/path\nnow\n");
}

/* width=0: a paragraph is one line, hard breaks still break. */
static void test_width_zero(void **st)
{
    (void)st;
    check_width("one two three four five six seven eight nine ten eleven "
                "twelve thirteen fourteen fifteen sixteen seventeen "
                "eighteen\nnineteen twenty\\\nafter the break\n",
                "0",
                "one two three four five six seven eight nine ten eleven "
                "twelve thirteen fourteen fifteen sixteen seventeen "
                "eighteen nineteen twenty\nafter the break\n");
}

static void test_hard_breaks(void **st)
{
    (void)st;
    check_width("line one\\\nline two  \nline three is long enough to "
                "wrap\n",
                "20",
                "line one\nline two\nline three is long\nenough to wrap\n");
}

/* ---- blocks ----------------------------------------------------------- */

static void test_headings(void **st)
{
    (void)st;
    check("# One\n\n## Two\n\n### Three three\n\n###### Six\n\n"
          "## \xE6\x97\xA5\xE6\x9C\xAC\n\ntext\n",
          "One\n===\n\nTwo\n---\n\nThree three\n-----------\n\n"
          "Six\n---\n\n\xE6\x97\xA5\xE6\x9C\xAC\n----\n\ntext\n");
    /* A wrapped heading is underlined to its widest line. */
    check_width("## A heading long enough to need two lines\n", "20",
                "A heading long\nenough to need two\nlines\n"
                "------------------\n");
}

static void test_lists(void **st)
{
    (void)st;
    /* Ordered lists keep their numbers; nested lists start under the
     * item's text. */
    check("Lead.\n\n3. three\n4. four\n   - nested a\n   - nested b\n"
          "5. five\n\n- bullet\n  - nested\n    - deeper\n- back\n",
          "Lead.\n"
          "\n"
          "  3. three\n"
          "  4. four\n"
          "     * nested a\n"
          "     * nested b\n"
          "  5. five\n"
          "\n"
          "  * bullet\n"
          "    * nested\n"
          "      * deeper\n"
          "  * back\n");
    /* Continuation lines line up with the item's text. */
    check_width("Lead.\n\n- alpha beta gamma delta epsilon zeta eta theta\n"
                "8. one two three four five six seven\n"
                "9. x\n10. y\n",
                "30",
                "Lead.\n"
                "\n"
                "  * alpha beta gamma delta\n"
                "    epsilon zeta eta theta\n"
                "\n"
                "  8. one two three four five\n"
                "     six seven\n"
                "  9. x\n"
                "  10. y\n");
}

static void test_loose_lists(void **st)
{
    (void)st;
    check("Lead.\n\n- para one\n\n  para two\n- next\n\n- empty follows\n-\n",
          "Lead.\n"
          "\n"
          "  * para one\n"
          "\n"
          "    para two\n"
          "\n"
          "  * next\n"
          "\n"
          "  * empty follows\n"
          "\n"
          "  *\n");
}

static void test_block_quotes(void **st)
{
    (void)st;
    check_width("> quoted text that is long enough to wrap around\n>\n"
                "> second para\n\n"
                "> outer\n>\n> > inner\n\n"
                "> - a\n> - b\n\n"
                "Lead.\n\n"
                "- > quoted item\n",
                "30",
                "> quoted text that is long\n"
                "> enough to wrap around\n"
                ">\n"
                "> second para\n"
                "\n"
                "> outer\n"
                ">\n"
                "> > inner\n"
                "\n"
                ">   * a\n"
                ">   * b\n"
                "\n"
                "Lead.\n"
                "\n"
                "  * > quoted item\n");
}

static void test_code_blocks(void **st)
{
    (void)st;
    check_width("```c\nint main(void) { return 0; } /* longer than twenty "
                "*/\n\n  x = 1;\n```\n\n"
                "    indented *not emphasis*\n\n"
                "Lead.\n\n"
                "- item\n\n      in item\n",
                "20",
                "    int main(void) { return 0; } /* longer than twenty "
                "*/\n"
                "\n"
                "      x = 1;\n"
                "\n"
                "    indented *not emphasis*\n"
                "\n"
                "Lead.\n"
                "\n"
                "  * item\n"
                "\n"
                "        in item\n");
}

static void test_thematic_break(void **st)
{
    (void)st;
    check("above\n\n---\n\nbelow\n",
          "above\n\n"
          "                                 * * *\n"
          "\nbelow\n");
    check_width("***\n", "30", "            * * *\n");
}

/* Raw HTML is what the author wrote: kept, not wrapped, not stripped. */
static void test_raw_html(void **st)
{
    (void)st;
    check_width("<div class=\"box\">\nhello there all of you in the box\n"
                "</div>\n\npara with <b>bold</b> html\n",
                "20",
                "<div class=\"box\">\nhello there all of you in the box\n"
                "</div>\n\npara with\n<b>bold</b> html\n");
}

/* ---- inlines ---------------------------------------------------------- */

static void test_inlines(void **st)
{
    (void)st;
    check_width("*em* _em2_ **strong** __strong2__ ***both*** `co  de` "
                "\\*escaped\\*\n",
                "0",
                "em em2 strong strong2 both co  de *escaped*\n");
}

static void test_links_images(void **st)
{
    (void)st;
    check_width("See [the summary](https://e.nz/s \"Title\"), "
                "<https://e.nz/a>, <info@e.nz>, [https://e.nz/b](https://e.nz/b), "
                "[](https://e.nz/empty), [**bold** link](https://e.nz/c) and "
                "![a chart](chart.png). [![logo](l.png)](https://e.nz/)\n",
                "0",
                "See the summary <https://e.nz/s>, https://e.nz/a, info@e.nz, "
                "https://e.nz/b, <https://e.nz/empty>, bold link "
                "<https://e.nz/c> and a chart <chart.png>. "
                "logo <l.png> <https://e.nz/>\n");
    /* "text <url>" wraps like words; the url is never cut. */
    check_width("Read the [full programme summary](https://example.govt.nz/"
                "climate-finance) today.\n",
                "30",
                "Read the full programme\n"
                "summary\n"
                "<https://example.govt.nz/climate-finance>\n"
                "today.\n");
}

/* Terminal escapes and form feeds in a release cannot reach the output. */
static void test_controls(void **st)
{
    (void)st;
    check("a\x1b[31mred and\x7f del\n\nbefore\fafter\n",
          "a\xEF\xBF\xBD[31mred and\xEF\xBF\xBD del\n\nbefore after\n");
}

/* ---- the document ----------------------------------------------------- */

static void test_header(void **st)
{
    (void)st;
    static const char md[] =
        "---\n"
        "title: A rather long title that needs wrapping here\n"
        "date: 2024-02-12T09:30:00+13:00\n"
        "url: https://example.govt.nz/release/a-rather-long-title-here\n"
        "ministers:\n  - Hon Aroha T\xC4\x93pene\n  - Hon Sam Smith\n"
        "portfolios: [Foreign Affairs, Climate Change, Trade]\n"
        "tags: [ignored]\n"
        "---\n"
        "\n"
        "Body.\n";
    pk_doc *doc = read_release("h.md", md, sizeof md - 1);
    const char *kv[] = {"width=30", NULL};
    char *out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, kv);
    PK_ASSERT_STR("A rather long title that needs\n"
                  "wrapping here\n"
                  "==============================\n"
                  "\n"
                  "Date: 2024-02-12T09:30:00+13:00\n"
                  "Ministers: Hon Aroha T\xC4\x93pene,\n"
                  "           Hon Sam Smith\n"
                  "Portfolios: Foreign Affairs,\n"
                  "            Climate Change,\n"
                  "            Trade\n"
                  "URL: https://example.govt.nz/release/a-rather-long-title-here\n"
                  "\n"
                  "Body.\n",
                  out);
    free(out);
    pk_doc_free(doc);

    /* The title's underline counts columns, not bytes. */
    static const char wide[] =
        "---\ntitle: \"\xE6\x97\xA5\xE6\x9C\xAC \xC4\x81\"\ndate: 2024-01-02\n"
        "ministers: Hon One\n---\n\nx\n";
    doc = read_release("w.md", wide, sizeof wide - 1);
    out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, NULL);
    PK_ASSERT_STR("\xE6\x97\xA5\xE6\x9C\xAC \xC4\x81\n======\n\n"
                  "Date: 2024-01-02\nMinisters: Hon One\n\nx\n",
                  out);
    free(out);
    pk_doc_free(doc);
}

/* The highlights come right after the metadata, even after a heading in
 * the body, and are not repeated. */
static void test_highlights(void **st)
{
    (void)st;
    check("## Summary\n\n- first point\n- second point\n\nThe lead.\n\n"
          "- a later list\n",
          "  * first point\n"
          "  * second point\n"
          "\n"
          "Summary\n"
          "-------\n"
          "\n"
          "The lead.\n"
          "\n"
          "  * a later list\n");
}

static void test_several_documents(void **st)
{
    (void)st;
    pk_doc *docs[3] = {doc_from_body("one\n"), doc_from_body("two\n"),
                       doc_from_body("three\n")};
    char *out = write_docs(docs, 3, 0, NULL);
    PK_ASSERT_STR(HEAD "one\n\f\n" HEAD "two\n\f\n" HEAD "three\n", out);
    free(out);
    out = write_docs(docs, 1, 0, NULL);
    PK_ASSERT_STR(HEAD "one\n", out);
    free(out);
    out = write_docs(docs, 0, 0, NULL);
    PK_ASSERT_STR("", out);
    free(out);
    for (size_t i = 0; i < 3; i++)
        pk_doc_free(docs[i]);
}

static const char quotes_md[] =
    "---\n"
    "title: T\n"
    "date: 2024-01-02\n"
    "ministers:\n  - Hon Aroha T\xC4\x93pene\n"
    "---\n"
    "\n"
    "- A highlight\n"
    "\n"
    "The lead paragraph.\n"
    "\n"
    "\xE2\x80\x9CWe will act now,\xE2\x80\x9D Foreign Minister Aroha "
    "T\xC4\x93pene said.\n"
    "\n"
    "\xE2\x80\x9C" "First paragraph of a longer quote.\n"
    "\n"
    "\xE2\x80\x9C" "Second paragraph of it,\xE2\x80\x9D Aroha "
    "T\xC4\x93pene said.\n"
    "\n"
    "\xE2\x80\x9CNobody in particular said this.\xE2\x80\x9D\n";

/* The analysis's own answers, formatted as the quotes section does, so
 * this test checks the layout whatever the analysis decides. */
static char *expected_quotes(const pk_doc *doc)
{
    tx_buf b = TX_BUF_INIT;
    size_t n = pk_doc_quote_count(doc);
    if (n)
        tx_buf_puts(&b, "\nQuotes\n------\n");
    for (size_t i = 0; i < n; i++) {
        const pk_quote *q = pk_doc_quote(doc, i);
        const char *sp = pk_quote_speaker(q), *ti = pk_quote_title(q);
        tx_buf_puts(&b, "\n  * ");
        tx_buf_puts(&b, sp ? sp : "Unattributed");
        if (ti) {
            tx_buf_puts(&b, " (");
            tx_buf_puts(&b, ti);
            tx_buf_puts(&b, ")");
        }
        tx_buf_puts(&b, ": \xE2\x80\x9C");
        for (const char *s = pk_quote_text(q); *s; s++) {
            if (s[0] == '\n' && s[1] == '\n') {
                tx_buf_puts(&b, "\n\n    \xE2\x80\x9C");
                s++;
            } else {
                tx_buf_add(&b, s, 1);
            }
        }
        tx_buf_puts(&b, "\xE2\x80\x9D\n");
    }
    tx_buf_add(&b, "", 1);
    assert_false(b.failed);
    return b.data;
}

static void test_quotes(void **st)
{
    (void)st;
    pk_doc *doc = read_release("q.md", quotes_md, sizeof quotes_md - 1);
    /* The analysis finds the quotes this test is about. */
    assert_int_equal(pk_doc_quote_count(doc), 3);
    PK_ASSERT_STR("Hon Aroha T\xC4\x93pene",
                  pk_quote_speaker(pk_doc_quote(doc, 0)));
    PK_ASSERT_STR("Foreign Minister", pk_quote_title(pk_doc_quote(doc, 0)));
    assert_int_equal(pk_quote_paragraph_count(pk_doc_quote(doc, 1)), 2);
    assert_null(pk_quote_speaker(pk_doc_quote(doc, 2)));

    static const char body[] =
        "T\n=\n\nDate: 2024-01-02\nMinisters: Hon Aroha T\xC4\x93pene\n\n"
        "  * A highlight\n\nThe lead paragraph.\n\n"
        "\xE2\x80\x9CWe will act now,\xE2\x80\x9D Foreign Minister Aroha "
        "T\xC4\x93pene said.\n\n"
        "\xE2\x80\x9C" "First paragraph of a longer quote.\n\n"
        "\xE2\x80\x9C" "Second paragraph of it,\xE2\x80\x9D Aroha "
        "T\xC4\x93pene said.\n\n"
        "\xE2\x80\x9CNobody in particular said this.\xE2\x80\x9D\n";
    /* Off by default. */
    char *out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, NULL);
    PK_ASSERT_STR(body, out);
    free(out);

    /* At width 0 nothing wraps, so the layout is all there is. */
    const char *kv[] = {"quotes=true", "width=0", NULL};
    out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, kv);
    char *tail = expected_quotes(doc);
    char *want = malloc(strlen(body) + strlen(tail) + 1);
    assert_non_null(want);
    strcpy(want, body);
    strcat(want, tail);
    PK_ASSERT_STR(want, out);
    free(want);
    free(tail);
    free(out);
    pk_doc_free(doc);
}

/* The same section spelled out: what a reader of the email sees. */
static void test_quotes_golden(void **st)
{
    (void)st;
    pk_doc *doc = read_release("q.md", quotes_md, sizeof quotes_md - 1);
    const char *kv[] = {"quotes=true", "width=40", NULL};
    char *out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, kv);
    const char *tail = strstr(out, "\nQuotes\n");
    assert_non_null(tail);
    PK_ASSERT_STR("\nQuotes\n------\n\n"
                  "  * Hon Aroha T\xC4\x93pene (Foreign Minister):\n"
                  "    \xE2\x80\x9CWe will act now,\xE2\x80\x9D\n"
                  "\n"
                  "  * Hon Aroha T\xC4\x93pene: \xE2\x80\x9C" "First paragraph\n"
                  "    of a longer quote.\n"
                  "\n"
                  "    \xE2\x80\x9C" "Second paragraph of it,\xE2\x80\x9D\n"
                  "\n"
                  "  * Unattributed: \xE2\x80\x9CNobody in particular\n"
                  "    said this.\xE2\x80\x9D\n",
                  tail);
    free(out);
    pk_doc_free(doc);
}

/* A release with no quotes gets no section. */
static void test_no_quotes(void **st)
{
    (void)st;
    const char *kv[] = {"quotes=true", NULL};
    check_kv("Plain words only.\n", kv, "Plain words only.\n");
}

/* Hostile nesting is walked without recursion. */
/* The markdown reader refuses nesting past markdown.max_depth, but a
 * document from the API or another reader can be this deep: build it
 * directly. */
static void test_deep_nesting(void **st)
{
    (void)st;
    enum { DEPTH = 5000 };
    pk_doc *doc;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_new(&doc), &d);
    pk_value *meta = pk_doc_meta(doc);
    pk_value_map_append(meta, "title", 5, pk_value_new_string(doc, "T", 1));
    pk_value_map_append(meta, "date", 4,
                        pk_value_new_string(doc, "2024-01-02", 10));
    pk_node *parent = pk_doc_root(doc);
    for (int i = 0; i < DEPTH; i++) {
        pk_node *q = pk_node_new(doc, PK_NODE_BLOCK_QUOTE);
        assert_int_equal(pk_node_append_child(parent, q), PK_OK);
        parent = q;
    }
    pk_node *para = pk_node_new(doc, PK_NODE_PARAGRAPH);
    pk_node *text = pk_node_new(doc, PK_NODE_TEXT);
    pk_node_set_literal(text, "deep", 4);
    pk_node_append_child(para, text);
    pk_node_append_child(parent, para);
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    PK_ASSERT_OK(pk_doc_analyse(doc, NULL, &d), &d);
    char *out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, NULL);
    const char *line = out + strlen(HEAD);
    for (int i = 0; i < DEPTH; i++)
        if (strncmp(line + 2 * i, "> ", 2) != 0)
            fail_msg("quote level %d lost", i);
    PK_ASSERT_STR("deep\n", line + 2 * DEPTH);
    free(out);
    pk_doc_free(doc);
}

/* ---- threads ---------------------------------------------------------- */

typedef struct job {
    pk_doc *doc;
    const char *expected;
    int failures;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 50; i++) {
        pk_sink *sink;
        void *state;
        pk_diag d = PK_DIAG_INIT;
        size_t len;
        if (pk_sink_new_memory(&sink) != PK_OK)
            return NULL;
        if (writer->writer->open(&state, sink, NULL, 0, &d) == PK_OK) {
            writer->writer->write(state, j->doc, &d);
            writer->writer->close(state, &d);
        }
        if (strcmp(pk_sink_memory_data(sink, &len), j->expected) != 0)
            j->failures++;
        pk_sink_free(sink);
    }
    return NULL;
}

/* Writers share no state: outputs written at once are the same as alone. */
static void test_threads(void **st)
{
    (void)st;
    pk_doc *docs[2] = {
        doc_from_body("- one\n- two\n\n3. x\n   > y\n\nSome words that "
                      "wrap at seventy-two columns, which the default "
                      "width is, and then some more.\n"),
        doc_from_body("# \xE6\x97\xA5\xE6\x9C\xAC\n\n```\ncode\n```\n")};
    job jobs[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].doc = docs[i % 2];
        jobs[i].expected = write_docs(&docs[i % 2], 1, 0, NULL);
        jobs[i].failures = 0;
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run_job, &jobs[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(jobs[i].failures, 0);
        free((char *)jobs[i].expected);
    }
    pk_doc_free(docs[0]);
    pk_doc_free(docs[1]);
}

/* ---- the example releases --------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot read %s", path);
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
    } while (got > 0);
    fclose(fp);
    *len = n;
    return buf;
}

/* Every line of every example fits in 72 columns unless it is one word
 * (after its prefix) or code; no line ends in a space. */
static void test_examples_fit(void **st)
{
    (void)st;
    if (example_count == 0)
        skip();
    for (int e = 0; e < example_count; e++) {
        size_t len;
        char *md = slurp(examples[e], &len);
        pk_doc *doc = read_release(examples[e], md, len);
        char *out = write_docs(&doc, 1, PK_OUTPUT_SINGLE, NULL);
        int lineno = 1;
        for (char *line = out; *line; lineno++) {
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            size_t n = (size_t)(nl - line);
            if (n && line[n - 1] == ' ')
                fail_msg("%s: line %d ends in a space: \"%.*s\"",
                         examples[e], lineno, (int)n, line);
            if (tx_display_width(line, n) > 72 &&
                strncmp(line, "    ", 4) != 0) {
                size_t i = strspn(line, " >*.0123456789");
                if (memchr(line + i, ' ', n - i))
                    fail_msg("%s: line %d is wider than 72 columns: "
                             "\"%.*s\"", examples[e], lineno, (int)n, line);
            }
            line = nl + 1;
        }
        /* And the output is the same again. */
        char *again = write_docs(&doc, 1, PK_OUTPUT_SINGLE, NULL);
        PK_ASSERT_STR(out, again);
        free(again);
        free(out);
        pk_doc_free(doc);
        free(md);
    }
}

/* ---- main ------------------------------------------------------------- */

static int setup(void **st)
{
    (void)st;
    pk_diag d = PK_DIAG_INIT;
    char buf[2048];
    if (pk_context_new(&ctx) != PK_OK)
        return -1;
    if (pk_context_load_file(ctx, text_path, &d) != PK_OK ||
        pk_context_load_file(ctx, markdown_path, &d) != PK_OK) {
        fprintf(stderr, "%s\n", pk_diag_format(&d, buf, sizeof buf));
        return -1;
    }
    writer = pk_context_find(ctx, PK_PLUGIN_WRITER, "text");
    reader = pk_context_find(ctx, PK_PLUGIN_READER, "markdown");
    return writer && reader ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    pk_context_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s TEXT.so MARKDOWN.so [EXAMPLE.md...]\n",
                argv[0]);
        return 2;
    }
    text_path = argv[1];
    markdown_path = argv[2];
    examples = argv + 3;
    example_count = argc - 3;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_width_option),
        cmocka_unit_test(test_null_options),
        cmocka_unit_test(test_char_width),
        cmocka_unit_test(test_wrap_ascii),
        cmocka_unit_test(test_wrap_macrons),
        cmocka_unit_test(test_wrap_cjk),
        cmocka_unit_test(test_wrap_combining),
        cmocka_unit_test(test_wrap_never_breaks),
        cmocka_unit_test(test_wrap_long_word),
        cmocka_unit_test(test_width_zero),
        cmocka_unit_test(test_hard_breaks),
        cmocka_unit_test(test_headings),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_loose_lists),
        cmocka_unit_test(test_block_quotes),
        cmocka_unit_test(test_code_blocks),
        cmocka_unit_test(test_thematic_break),
        cmocka_unit_test(test_raw_html),
        cmocka_unit_test(test_inlines),
        cmocka_unit_test(test_links_images),
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_highlights),
        cmocka_unit_test(test_several_documents),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_quotes_golden),
        cmocka_unit_test(test_no_quotes),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_examples_fit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
