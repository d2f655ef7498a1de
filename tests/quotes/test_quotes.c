/*
 * test_quotes.c - the quotes writer module: exact TSV and JSON Lines for
 * a release with several forms of quote, escaping, several documents into
 * one output, the format option, a failing output and threads.
 *
 * Usage: test_quotes QUOTES.so MARKDOWN_READER.so
 *
 * Releases are written as Markdown and read with the markdown reader
 * (pk_read, which also runs the analysis), as the CLI does.
 */
#include <pthread.h>
#include <stdlib.h>

#include "pk_test.h"

static const char *module_paths[2];

/* The plugins under test, loaded once for the whole run. */
static pk_context *ctx;
static const pk_plugin *writer, *reader;

/* Curly quotation marks, U+201C and U+201D. */
#define LQ "\xe2\x80\x9c"
#define RQ "\xe2\x80\x9d"

#define HEADER "date\tspeaker\ttitle\tid\ttext\n"

/* ---- helpers ---------------------------------------------------------- */

static pk_doc *read_release(const char *name, const char *md)
{
    pk_doc *doc = NULL;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_read(reader, NULL, name, md, strlen(md), &doc, &d), &d);
    assert_non_null(doc);
    return doc;
}

/* Writes n documents through the quotes writer into memory, with mode
 * and quotes.format (NULL: unset); returns the output (free()). */
static char *write_docs(pk_doc *const *docs, size_t n, unsigned mode,
                        const char *format)
{
    pk_sink *sink;
    pk_options *opts;
    void *state;
    pk_diag d = PK_DIAG_INIT;
    size_t len;

    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(pk_options_new(&opts, "quotes", writer->options), &d);
    if (format)
        PK_ASSERT_OK(pk_options_set(opts, "format", format, &d), &d);
    PK_ASSERT_OK(writer->writer->open(&state, sink, opts, mode, &d), &d);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_OK(writer->writer->write(state, docs[i], &d), &d);
    PK_ASSERT_OK(writer->writer->close(state, &d), &d);
    const char *data = pk_sink_memory_data(sink, &len);
    char *out = malloc(len + 1);
    assert_non_null(out);
    memcpy(out, data, len + 1);
    assert_int_equal(strlen(out), len); /* no raw NUL in either format */
    pk_sink_free(sink);
    pk_options_free(opts);
    return out;
}

static char *write_one(pk_doc *doc, const char *format)
{
    return write_docs(&doc, 1, PK_OUTPUT_SINGLE, format);
}

/* ---- the releases ----------------------------------------------------- */

/*
 * Quotes closed by an attribution to a minister, opened by a lead-in,
 * running over two paragraphs with a title, in straight marks by someone
 * who is not a minister, unattributed, in two parts around "she said",
 * and over a hard break; a literal backslash and a tab in the text.
 * Paragraph 1 (the lead) is no quote: the indexes skip it.
 */
static const char ferries_md[] =
    "---\n"
    "title: Harbour ferries run late\n"
    "date: 2024-06-01\n"
    "url: https://example.org/r/ferries\n"
    "ministers:\n"
    "  - Hon Kiri Tane\n"
    "  - Hon Ana Lee\n"
    "---\n"
    "\n"
    "- Ferries until midnight\n"
    "\n"
    "The harbour ferries will run until midnight from July.\n"
    "\n"
    LQ "Evenings on the water belong to everyone," RQ " Kiri Tane said.\n"
    "\n"
    "Ana Lee said: " LQ "Late ferries mean safer trips home." RQ "\n"
    "\n"
    LQ "Crews were asked first.\n"
    "\n"
    LQ "They said yes: rosters\tat C:\\\\new\\\\ferries," RQ
    " said Foreign Minister Ana Lee.\n"
    "\n"
    "\"Straight marks work too,\" Sam Doe said.\n"
    "\n"
    LQ "Nobody is named here." RQ "\n"
    "\n"
    LQ "A," RQ " she said. " LQ "B." RQ "\n"
    "\n"
    "A hard break follows.\n"
    "\n"
    LQ "Line one  \n"
    "line two," RQ " Kiri Tane said.\n";

#define FERRIES "2024-06-01"
#define FERRIES_ID "https://example.org/r/ferries"

static const char ferries_tsv[] =
    HEADER
    FERRIES "\tHon Kiri Tane\t\t" FERRIES_ID
    "\tEvenings on the water belong to everyone,\n"
    FERRIES "\tHon Ana Lee\t\t" FERRIES_ID
    "\tLate ferries mean safer trips home.\n"
    FERRIES "\tHon Ana Lee\tForeign Minister\t" FERRIES_ID
    "\tCrews were asked first.\\n\\nThey said yes: rosters\\tat "
    "C:\\\\new\\\\ferries,\n"
    FERRIES "\tSam Doe\t\t" FERRIES_ID "\tStraight marks work too,\n"
    FERRIES "\t\t\t" FERRIES_ID "\tNobody is named here.\n"
    FERRIES "\tSam Doe\t\t" FERRIES_ID "\tA, B.\n"
    FERRIES "\tHon Kiri Tane\t\t" FERRIES_ID "\tLine one\\nline two,\n";

#define ROW(speaker, title, text, paragraphs)                                 \
    "{\"date\":\"" FERRIES "\",\"speaker\":" speaker ",\"title\":" title      \
    ",\"id\":\"" FERRIES_ID "\",\"text\":\"" text "\",\"paragraphs\":["       \
    paragraphs "]}\n"

static const char ferries_jsonl[] =
    ROW("\"Hon Kiri Tane\"", "null",
        "Evenings on the water belong to everyone,", "2")
    ROW("\"Hon Ana Lee\"", "null", "Late ferries mean safer trips home.", "3")
    ROW("\"Hon Ana Lee\"", "\"Foreign Minister\"",
        "Crews were asked first.\\n\\nThey said yes: rosters\\tat "
        "C:\\\\new\\\\ferries,",
        "4,5")
    ROW("\"Sam Doe\"", "null", "Straight marks work too,", "6")
    ROW("null", "null", "Nobody is named here.", "7")
    ROW("\"Sam Doe\"", "null", "A, B.", "8")
    ROW("\"Hon Kiri Tane\"", "null", "Line one\\nline two,", "10");

/* No quotes at all. */
static const char quiet_md[] =
    "---\n"
    "title: Nothing said\n"
    "date: 2024-06-02T10:00:00+12:00\n"
    "---\n"
    "\n"
    "No quotes here.\n";

/* No url: the id is a tag: URI made from the file name. */
static const char third_md[] =
    "---\n"
    "title: Third\n"
    "date: 2024-06-03\n"
    "ministers: Hon Ana Lee\n"
    "---\n"
    "\n"
    LQ "Only this," RQ " Ana Lee said.\n";

static const char third_tsv_row[] =
    "2024-06-03\tHon Ana Lee\t\ttag:presskit.invalid,2024-06-03:third-one"
    "\tOnly this,\n";
static const char third_jsonl_row[] =
    "{\"date\":\"2024-06-03\",\"speaker\":\"Hon Ana Lee\",\"title\":null,"
    "\"id\":\"tag:presskit.invalid,2024-06-03:third-one\","
    "\"text\":\"Only this,\",\"paragraphs\":[0]}\n";

/* ---- tests ------------------------------------------------------------ */

static void test_descriptor(void **state)
{
    (void)state;
    assert_string_equal(writer->name, "quotes");
    assert_int_equal(writer->kind, PK_PLUGIN_WRITER);
    assert_non_null(writer->writer);
    assert_null(writer->reader);
    assert_int_equal(writer->flags, 0);
    assert_string_equal(writer->media_type, "text/tab-separated-values");
    assert_string_equal(writer->extensions[0], "tsv");
    assert_null(writer->extensions[1]);
    const pk_option_def *o = writer->options;
    assert_non_null(o);
    assert_string_equal(o[0].name, "format");
    assert_int_equal(o[0].type, PK_OPTION_STRING);
    assert_string_equal(o[0].default_value, "tsv");
    assert_null(o[1].name);
    assert_ptr_equal(pk_context_find(ctx, PK_PLUGIN_WRITER, "quotes"), writer);
}

static void test_tsv(void **state)
{
    (void)state;
    pk_doc *doc = read_release("ferries.md", ferries_md);
    assert_int_equal(pk_doc_quote_count(doc), 7);
    char *out = write_one(doc, NULL);
    PK_ASSERT_STR(ferries_tsv, out);
    free(out);
    /* tsv is the default, and may be named. */
    out = write_one(doc, "tsv");
    PK_ASSERT_STR(ferries_tsv, out);
    free(out);
    pk_doc_free(doc);
}

static void test_jsonl(void **state)
{
    (void)state;
    pk_doc *doc = read_release("ferries.md", ferries_md);
    char *out = write_one(doc, "jsonl");
    PK_ASSERT_STR(ferries_jsonl, out);
    free(out);
    pk_doc_free(doc);
}

/* Everything TSV escapes, in every field that can hold it, and text that
 * is not UTF-8. */
static void test_escaping(void **state)
{
    (void)state;
    pk_diag d = PK_DIAG_INIT;
    pk_doc *doc;
    PK_ASSERT_OK(pk_doc_new(&doc), &d);
    PK_ASSERT_OK(pk_doc_set_source(doc, "esc.md"), &d);
    pk_value *m = pk_doc_meta(doc);
    const char *minister = "Hon Kiri\tTane";
    pk_value *ministers = pk_value_new_list(doc);
    assert_non_null(ministers);
    assert_int_equal(pk_value_list_append(ministers,
                         pk_value_new_string(doc, minister, strlen(minister))),
                     PK_OK);
    assert_int_equal(pk_value_map_append(m, "title", 5,
                                         pk_value_new_string(doc, "E", 1)),
                     PK_OK);
    assert_int_equal(pk_value_map_append(m, "date", 4,
                         pk_value_new_string(doc, "2024-01-02", 10)),
                     PK_OK);
    assert_int_equal(pk_value_map_append(m, "ministers", 9, ministers), PK_OK);
    pk_node *p = pk_node_new(doc, PK_NODE_PARAGRAPH);
    pk_node *t = pk_node_new(doc, PK_NODE_TEXT);
    assert_non_null(p);
    assert_non_null(t);
    const char *text = LQ "tab\there cr\rthere nl\nthere back\\slash "
                          "bad\xff" "byte \\t," RQ " Kiri Tane said.";
    PK_ASSERT_OK(pk_node_set_literal(t, text, strlen(text)), &d);
    PK_ASSERT_OK(pk_node_append_child(p, t), &d);
    PK_ASSERT_OK(pk_node_append_child(pk_doc_root(doc), p), &d);
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    PK_ASSERT_OK(pk_doc_analyse(doc, NULL, &d), &d);
    assert_int_equal(pk_doc_quote_count(doc), 1);
    PK_ASSERT_STR(minister, pk_quote_speaker(pk_doc_quote(doc, 0)));

    char *out = write_one(doc, NULL);
    PK_ASSERT_STR(HEADER
                  "2024-01-02\tHon Kiri\\tTane\t\t"
                  "tag:presskit.invalid,2024-01-02:esc\t"
                  "tab\\there cr\\rthere nl\\nthere back\\\\slash "
                  "bad\xef\xbf\xbd" "byte \\\\t,\n",
                  out);
    free(out);
    out = write_one(doc, "jsonl");
    PK_ASSERT_STR("{\"date\":\"2024-01-02\","
                  "\"speaker\":\"Hon Kiri\\tTane\",\"title\":null,"
                  "\"id\":\"tag:presskit.invalid,2024-01-02:esc\","
                  "\"text\":\"tab\\there cr\\rthere nl\\nthere "
                  "back\\\\slash bad\xef\xbf\xbd" "byte \\\\t,\","
                  "\"paragraphs\":[0]}\n",
                  out);
    free(out);
    pk_doc_free(doc);
}

static void test_several_documents(void **state)
{
    (void)state;
    pk_doc *docs[3] = {
        read_release("archive/ferries.md", ferries_md),
        read_release("archive/quiet.md", quiet_md),
        read_release("archive/2024/Third One.md", third_md),
    };
    char want[4096];

    /* One header, then the rows of each document in turn; a document
     * without quotes adds nothing. */
    snprintf(want, sizeof want, "%s%s", ferries_tsv, third_tsv_row);
    char *out = write_docs(docs, 3, 0, NULL);
    PK_ASSERT_STR(want, out);
    free(out);
    snprintf(want, sizeof want, "%s%s", HEADER, third_tsv_row);
    out = write_docs(docs + 1, 2, 0, NULL);
    PK_ASSERT_STR(want, out);
    free(out);

    snprintf(want, sizeof want, "%s%s", ferries_jsonl, third_jsonl_row);
    out = write_docs(docs, 3, 0, "jsonl");
    PK_ASSERT_STR(want, out);
    free(out);

    /* No documents, or none with quotes: the header alone, or nothing. */
    out = write_docs(docs, 0, 0, NULL);
    PK_ASSERT_STR(HEADER, out);
    free(out);
    out = write_docs(docs + 1, 1, PK_OUTPUT_SINGLE, NULL);
    PK_ASSERT_STR(HEADER, out);
    free(out);
    out = write_docs(docs, 0, 0, "jsonl");
    PK_ASSERT_STR("", out);
    free(out);
    out = write_docs(docs + 1, 1, PK_OUTPUT_SINGLE, "jsonl");
    PK_ASSERT_STR("", out);
    free(out);

    for (size_t i = 0; i < 3; i++)
        pk_doc_free(docs[i]);
}

/* Opens the writer with quotes.format=value; expects PK_EINVAL and returns
 * the formatted diagnostic in buf.  Nothing reaches the sink. */
static const char *open_error(const char *value, char *buf, size_t cap)
{
    pk_sink *sink;
    pk_options *opts;
    void *state = NULL;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(pk_options_new(&opts, "quotes", writer->options), &d);
    PK_ASSERT_OK(pk_options_set(opts, "format", value, &d), &d);
    int rc = writer->writer->open(&state, sink, opts, 0, &d);
    if (rc == PK_OK) {
        writer->writer->close(state, &d);
        fail_msg("quotes.format=%s was accepted", value);
    }
    assert_int_equal(rc, PK_EINVAL);
    assert_int_equal(d.status, PK_EINVAL);
    size_t len;
    pk_sink_memory_data(sink, &len);
    assert_int_equal(len, 0);
    pk_sink_free(sink);
    pk_options_free(opts);
    return pk_diag_format(&d, buf, cap);
}

static void test_bad_format(void **state)
{
    (void)state;
    char buf[1024];
    PK_ASSERT_STR("option quotes.format: expected tsv or jsonl, got \"xml\"",
                  open_error("xml", buf, sizeof buf));
    PK_ASSERT_STR("option quotes.format: expected tsv or jsonl, got \"TSV\"",
                  open_error("TSV", buf, sizeof buf));
    PK_ASSERT_STR("option quotes.format: expected tsv or jsonl, got \"\"",
                  open_error("", buf, sizeof buf));
    PK_ASSERT_STR("option quotes.format: expected tsv or jsonl, got "
                  "\"jsonl \"",
                  open_error("jsonl ", buf, sizeof buf));
    /* Only format is declared. */
    pk_options *opts;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_options_new(&opts, "quotes", writer->options), &d);
    assert_int_equal(pk_options_set(opts, "lines", "true", &d), PK_ENOTFOUND);
    pk_options_free(opts);
}

static void test_sink_failure(void **state)
{
    (void)state;
    /* A stream opened for reading: the sink's first flush fails. */
    FILE *fp = fopen("/dev/null", "r");
    assert_non_null(fp);
    pk_sink *sink;
    void *w;
    pk_diag d = PK_DIAG_INIT;
    char buf[1024], want[256];
    PK_ASSERT_OK(pk_sink_new_stream(&sink, fp, "<read-only>"), &d);
    size_t n = 200000;
    char *md = malloc(n + 100);
    assert_non_null(md);
    strcpy(md, "---\ntitle: Big\ndate: 2024-01-01\n---\n\n" LQ);
    size_t at = strlen(md);
    memset(md + at, 'x', n);
    strcpy(md + at + n, RQ " Sam Doe said.\n");
    pk_doc *doc = read_release("big.md", md);
    free(md);
    assert_int_equal(pk_doc_quote_count(doc), 1);

    PK_ASSERT_OK(writer->writer->open(&w, sink, NULL, 0, &d), &d);
    assert_int_equal(writer->writer->write(w, doc, &d), PK_EIO);
    snprintf(want, sizeof want,
             "<read-only>: quotes writer: cannot write the output: %s",
             pk_status_str(PK_EIO));
    PK_ASSERT_STR(want, pk_diag_format(&d, buf, sizeof buf));
    /* Later calls and close report the spoiled output. */
    pk_diag_clear(&d);
    assert_int_equal(writer->writer->write(w, doc, &d), PK_EIO);
    PK_ASSERT_STR("<read-only>: quotes writer: the output failed earlier",
                  pk_diag_format(&d, buf, sizeof buf));
    assert_int_equal(writer->writer->close(w, &d), PK_EIO);
    pk_sink_free(sink);
    fclose(fp);
    pk_doc_free(doc);
}

/* ---- threads ---------------------------------------------------------- */

enum { THREADS = 8, ROUNDS = 25 };

/* Each thread writes the shared document in both formats, ROUNDS times;
 * returns NULL when every output matched. */
static void *thread_main(void *arg)
{
    const pk_doc *doc = arg;
    for (int i = 0; i < ROUNDS; i++) {
        for (int jsonl = 0; jsonl < 2; jsonl++) {
            pk_sink *sink = NULL;
            pk_options *opts = NULL;
            void *w;
            pk_diag d = PK_DIAG_INIT;
            bool ok = false;
            if (pk_sink_new_memory(&sink) == PK_OK &&
                pk_options_new(&opts, "quotes", writer->options) == PK_OK &&
                pk_options_set(opts, "format", jsonl ? "jsonl" : "tsv",
                               &d) == PK_OK &&
                writer->writer->open(&w, sink, opts, 0, &d) == PK_OK) {
                int rc = writer->writer->write(w, doc, &d);
                ok = writer->writer->close(w, &d) == PK_OK && rc == PK_OK &&
                     strcmp(pk_sink_memory_data(sink, NULL),
                            jsonl ? ferries_jsonl : ferries_tsv) == 0;
            }
            pk_sink_free(sink);
            pk_options_free(opts);
            if (!ok)
                return (void *)"failed";
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pk_doc *doc = read_release("ferries.md", ferries_md);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, doc), 0);
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        void *res;
        assert_int_equal(pthread_join(t[i], &res), 0);
        failures += res != NULL;
    }
    assert_int_equal(failures, 0);
    pk_doc_free(doc);
}

/* ---- main ------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    pk_diag d = PK_DIAG_INIT;
    char buf[2048];
    if (pk_context_new(&ctx) != PK_OK)
        return -1;
    for (size_t i = 0; i < 2; i++) {
        if (pk_context_load_file(ctx, module_paths[i], &d) != PK_OK) {
            fprintf(stderr, "cannot load %s: %s\n", module_paths[i],
                    pk_diag_format(&d, buf, sizeof buf));
            return -1;
        }
    }
    writer = pk_context_find(ctx, PK_PLUGIN_WRITER, "quotes");
    reader = pk_context_find(ctx, PK_PLUGIN_READER, "markdown");
    return writer && reader ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pk_context_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s QUOTES MARKDOWN_READER\n", argv[0]);
        return 2;
    }
    module_paths[0] = argv[1];
    module_paths[1] = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_several_documents),
        cmocka_unit_test(test_bad_format),
        cmocka_unit_test(test_sink_failure),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
