/*
 * test_json.c - the json reader and writer modules: exact output, round
 * trips, multi-document outputs and the reader's diagnostics.
 *
 * Usage: test_json JSON_READER.so JSON_WRITER.so [MARKDOWN_READER.so]
 *
 * With PK_JSON_SAMPLES set to a directory, the outputs of the writer tests
 * are also saved there, for tests/json/check_schema.py.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "pk_test.h"

static const char *module_paths[3];

/* The plugins under test, loaded once for the whole run. */
static pk_context *ctx;
static const pk_plugin *reader, *writer, *markdown;

/* ---- helpers ---------------------------------------------------------- */

static char *copy_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    assert_non_null(p);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* Writes n documents through the json writer into memory, with the given
 * mode and "lines" option (NULL: default); returns the output (free()). */
static char *write_docs(const pk_doc *const *docs, size_t n, unsigned mode,
                        const char *lines)
{
    pk_sink *sink;
    pk_options *opts;
    void *state;
    pk_diag d = PK_DIAG_INIT;
    size_t len;

    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(pk_options_new(&opts, "json", writer->options), &d);
    if (lines)
        PK_ASSERT_OK(pk_options_set(opts, "lines", lines, &d), &d);
    PK_ASSERT_OK(writer->writer->open(&state, sink, opts, mode, &d), &d);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_OK(writer->writer->write(state, docs[i], &d), &d);
    PK_ASSERT_OK(writer->writer->close(state, &d), &d);
    const char *data = pk_sink_memory_data(sink, &len);
    char *out = copy_bytes(data, len);
    assert_int_equal(strlen(out), len); /* JSON text never holds a raw NUL */
    pk_sink_free(sink);
    pk_options_free(opts);
    return out;
}

/* Saves text as $PK_JSON_SAMPLES/name, when that is set. */
static void save_sample(const char *name, const char *text)
{
    const char *dir = getenv("PK_JSON_SAMPLES");
    char path[4096];
    if (!dir || !*dir)
        return;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        fail_msg("cannot create %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    size_t len = strlen(text);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static char *write_one(const pk_doc *doc)
{
    return write_docs(&doc, 1, PK_OUTPUT_SINGLE, NULL);
}

/* Reads text through plugin p with the whole pipeline; fails the test on
 * error. */
static pk_doc *read_with(const pk_plugin *p, const char *source,
                         const char *text, size_t len)
{
    pk_doc *doc;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_read(p, NULL, source, text, len, &doc, &d), &d);
    return doc;
}

static pk_doc *read_json(const char *text)
{
    return read_with(reader, "test.json", text, strlen(text));
}

/* Reads text expecting failure with status; returns the formatted
 * diagnostic in buf. */
static const char *read_error(const char *source, const char *text,
                              size_t len, int status, char *buf, size_t cap)
{
    pk_doc *doc = NULL;
    pk_diag d = PK_DIAG_INIT;
    int rc = pk_read(reader, NULL, source, text, len, &doc, &d);
    if (rc == PK_OK)
        fail_msg("reading %s succeeded; expected %s", source,
                 pk_status_str(status));
    assert_null(doc);
    if (rc != status)
        fail_msg("expected %s, got %s: %s", pk_status_str(status),
                 pk_status_str(rc), pk_diag_format(&d, buf, cap));
    assert_int_equal(d.status, status);
    return pk_diag_format(&d, buf, cap);
}

#define ASSERT_READ_ERROR(source, text, status, expected)                     \
    do {                                                                      \
        char buf_[2048];                                                      \
        PK_ASSERT_STR(expected, read_error(source, text, strlen(text),        \
                                           status, buf_, sizeof buf_));       \
    } while (0)

static pk_doc *new_doc(const char *source)
{
    pk_doc *doc;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_new(&doc), &d);
    PK_ASSERT_OK(pk_doc_set_source(doc, source), &d);
    return doc;
}

static pk_value *str(pk_doc *doc, const char *s)
{
    pk_value *v = pk_value_new_string(doc, s, strlen(s));
    assert_non_null(v);
    return v;
}

static void put(pk_value *map, const char *key, pk_value *v)
{
    assert_non_null(v);
    assert_int_equal(pk_value_map_append(map, key, strlen(key), v), PK_OK);
}

static void push(pk_value *list, pk_value *v)
{
    assert_non_null(v);
    assert_int_equal(pk_value_list_append(list, v), PK_OK);
}

static pk_node *add(pk_doc *doc, pk_node *parent, pk_node_type type)
{
    pk_node *n = pk_node_new(doc, type);
    assert_non_null(n);
    assert_int_equal(pk_node_append_child(parent, n), PK_OK);
    return n;
}

/* Adds a node with a literal of len bytes. */
static pk_node *add_lit(pk_doc *doc, pk_node *parent, pk_node_type type,
                        const char *s, size_t len)
{
    pk_node *n = add(doc, parent, type);
    assert_int_equal(pk_node_set_literal(n, s, len), PK_OK);
    return n;
}

static pk_node *add_text(pk_doc *doc, pk_node *parent, const char *s)
{
    return add_lit(doc, parent, PK_NODE_TEXT, s, strlen(s));
}

static pk_node *add_para(pk_doc *doc, pk_node *parent, const char *s)
{
    pk_node *p = add(doc, parent, PK_NODE_PARAGRAPH);
    add_text(doc, p, s);
    return p;
}

/* Validates and analyses doc, as pk_read does after a reader.  Run again
 * after changing a document, so its analysis is not stale. */
static void validate(pk_doc *doc)
{
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    PK_ASSERT_OK(pk_doc_analyse(doc, NULL, &d), &d);
}

/* A valid document with just a title and a date. */
static pk_doc *minimal_doc(const char *title, const char *date)
{
    pk_doc *doc = new_doc("minimal.md");
    put(pk_doc_meta(doc), "title", str(doc, title));
    put(pk_doc_meta(doc), "date", str(doc, date));
    validate(doc);
    return doc;
}

/* The document of the golden test: every node type and every value type. */
static pk_doc *sample_doc(void)
{
    pk_doc *doc = new_doc("/some/where/sample.md");
    pk_value *m = pk_doc_meta(doc);
    put(m, "title", str(doc, "Sample release"));
    put(m, "date", str(doc, "2022-08-25"));
    put(m, "url", str(doc, "https://example.org/r/1"));
    pk_value *ministers = pk_value_new_list(doc);
    push(ministers, str(doc, "Hon A Person"));
    push(ministers, str(doc, "Hon B Person"));
    put(m, "ministers", ministers);
    put(m, "portfolios", str(doc, "Defence")); /* one string: a list of one */
    put(m, "count", pk_value_new_integer(doc, 42));
    put(m, "big", pk_value_new_integer(doc, INT64_C(-9007199254740993)));
    put(m, "ratio", pk_value_new_real(doc, 0.1));
    put(m, "whole", pk_value_new_real(doc, 2.0));
    put(m, "published", pk_value_new_bool(doc, true));
    put(m, "draft", pk_value_new_bool(doc, false));
    put(m, "note", pk_value_new_null(doc));
    pk_value *tags = pk_value_new_list(doc);
    push(tags, str(doc, "a"));
    push(tags, pk_value_new_integer(doc, 1));
    push(tags, pk_value_new_list(doc));
    push(tags, pk_value_new_map(doc));
    put(m, "tags", tags);
    pk_value *extra = pk_value_new_map(doc);
    pk_value *deep = pk_value_new_list(doc);
    push(deep, pk_value_new_null(doc));
    put(extra, "deep", deep);
    put(m, "extra", extra);

    pk_node *root = pk_doc_root(doc);
    pk_node *h = add(doc, root, PK_NODE_HEADING);
    assert_int_equal(pk_node_set_heading_level(h, 2), PK_OK);
    add_text(doc, h, "Heading");

    pk_node *p = add(doc, root, PK_NODE_PARAGRAPH);
    add_text(doc, p, "Plain ");
    add_text(doc, add(doc, p, PK_NODE_EMPH), "emph");
    add_text(doc, add(doc, p, PK_NODE_STRONG), "strong");
    add(doc, p, PK_NODE_SOFTBREAK);
    add_lit(doc, p, PK_NODE_CODE, "x = 1", 5);
    add(doc, p, PK_NODE_LINEBREAK);
    add_lit(doc, p, PK_NODE_HTML_INLINE, "<br>", 4);
    pk_node *link = add(doc, p, PK_NODE_LINK);
    assert_int_equal(pk_node_set_url(link, "https://example.org", 19), PK_OK);
    assert_int_equal(pk_node_set_title(link, "Ex", 2), PK_OK);
    add_text(doc, link, "link");
    pk_node *img = add(doc, p, PK_NODE_IMAGE);
    assert_int_equal(pk_node_set_url(img, "pic.png", 7), PK_OK);
    add_text(doc, img, "alt");

    add_para(doc, add(doc, root, PK_NODE_BLOCK_QUOTE), "Quoted");

    pk_node *ul = add(doc, root, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(ul, PK_LIST_BULLET), PK_OK);
    assert_int_equal(pk_node_set_list_tight(ul, true), PK_OK);
    add_para(doc, add(doc, ul, PK_NODE_ITEM), "one");
    add_para(doc, add(doc, ul, PK_NODE_ITEM), "two");

    pk_node *ol = add(doc, root, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(ol, PK_LIST_ORDERED), PK_OK);
    assert_int_equal(pk_node_set_list_start(ol, 3), PK_OK);
    assert_int_equal(pk_node_set_list_tight(ol, false), PK_OK);
    add_para(doc, add(doc, ol, PK_NODE_ITEM), "three");

    pk_node *code = add_lit(doc, root, PK_NODE_CODE_BLOCK, "int x;\n", 7);
    assert_int_equal(pk_node_set_fence_info(code, "c", 1), PK_OK);
    add_lit(doc, root, PK_NODE_HTML_BLOCK, "<div>raw</div>\n", 15);
    add(doc, root, PK_NODE_THEMATIC_BREAK);
    validate(doc);
    return doc;
}

static const char sample_json[] =
    "{\n"
    "  \"format\": \"presskit/1\",\n"
    "  \"title\": \"Sample release\",\n"
    "  \"date\": \"2022-08-25\",\n"
    "  \"url\": \"https://example.org/r/1\",\n"
    "  \"ministers\": [\n"
    "    \"Hon A Person\",\n"
    "    \"Hon B Person\"\n"
    "  ],\n"
    "  \"portfolios\": [\n"
    "    \"Defence\"\n"
    "  ],\n"
    "  \"lang\": \"en\",\n"
    "  \"id\": \"https://example.org/r/1\",\n"
    "  \"words\": 10,\n"
    "  \"reading_minutes\": 1,\n"
    "  \"highlights\": [],\n"
    "  \"lead\": \"Plain emphstrong x = 1\\nlinkalt\",\n"
    "  \"quotes\": [],\n"
    "  \"meta\": {\n"
    "    \"title\": \"Sample release\",\n"
    "    \"date\": \"2022-08-25\",\n"
    "    \"url\": \"https://example.org/r/1\",\n"
    "    \"ministers\": [\n"
    "      \"Hon A Person\",\n"
    "      \"Hon B Person\"\n"
    "    ],\n"
    "    \"portfolios\": \"Defence\",\n"
    "    \"count\": 42,\n"
    "    \"big\": -9007199254740993,\n"
    "    \"ratio\": 0.1,\n"
    "    \"whole\": 2.0,\n"
    "    \"published\": true,\n"
    "    \"draft\": false,\n"
    "    \"note\": null,\n"
    "    \"tags\": [\n"
    "      \"a\",\n"
    "      1,\n"
    "      [],\n"
    "      {}\n"
    "    ],\n"
    "    \"extra\": {\n"
    "      \"deep\": [\n"
    "        null\n"
    "      ]\n"
    "    }\n"
    "  },\n"
    "  \"body\": [\n"
    "    {\n"
    "      \"type\": \"heading\",\n"
    "      \"level\": 2,\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"Heading\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"paragraph\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"Plain \"\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"emph\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"text\",\n"
    "              \"text\": \"emph\"\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"strong\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"text\",\n"
    "              \"text\": \"strong\"\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"softbreak\"\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"code\",\n"
    "          \"text\": \"x = 1\"\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"linebreak\"\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"html_inline\",\n"
    "          \"text\": \"<br>\"\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"link\",\n"
    "          \"url\": \"https://example.org\",\n"
    "          \"title\": \"Ex\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"text\",\n"
    "              \"text\": \"link\"\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"image\",\n"
    "          \"url\": \"pic.png\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"text\",\n"
    "              \"text\": \"alt\"\n"
    "            }\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"block_quote\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"paragraph\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"text\",\n"
    "              \"text\": \"Quoted\"\n"
    "            }\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"list\",\n"
    "      \"list_type\": \"bullet\",\n"
    "      \"tight\": true,\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"item\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"paragraph\",\n"
    "              \"children\": [\n"
    "                {\n"
    "                  \"type\": \"text\",\n"
    "                  \"text\": \"one\"\n"
    "                }\n"
    "              ]\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"item\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"paragraph\",\n"
    "              \"children\": [\n"
    "                {\n"
    "                  \"type\": \"text\",\n"
    "                  \"text\": \"two\"\n"
    "                }\n"
    "              ]\n"
    "            }\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"list\",\n"
    "      \"list_type\": \"ordered\",\n"
    "      \"start\": 3,\n"
    "      \"tight\": false,\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"item\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"paragraph\",\n"
    "              \"children\": [\n"
    "                {\n"
    "                  \"type\": \"text\",\n"
    "                  \"text\": \"three\"\n"
    "                }\n"
    "              ]\n"
    "            }\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"code_block\",\n"
    "      \"info\": \"c\",\n"
    "      \"text\": \"int x;\\n\"\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"html_block\",\n"
    "      \"text\": \"<div>raw</div>\\n\"\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"thematic_break\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* Writes doc, reads the text back, writes again: the same bytes.  Returns
 * the text (free()). */
static char *assert_round_trip(const pk_doc *doc)
{
    char *first = write_one(doc);
    pk_doc *back = read_json(first);
    char *second = write_one(back);
    PK_ASSERT_STR(first, second);
    /* And once more from the re-read document's own output. */
    pk_doc *again = read_json(second);
    char *third = write_one(again);
    PK_ASSERT_STR(first, third);
    free(second);
    free(third);
    pk_doc_free(back);
    pk_doc_free(again);
    return first;
}

/* ---- descriptors ------------------------------------------------------ */

static void test_descriptors(void **state)
{
    (void)state;
    assert_string_equal(reader->name, "json");
    assert_int_equal(reader->kind, PK_PLUGIN_READER);
    assert_non_null(reader->reader);
    assert_null(reader->writer);
    assert_string_equal(writer->name, "json");
    assert_int_equal(writer->kind, PK_PLUGIN_WRITER);
    assert_non_null(writer->writer);
    assert_null(writer->reader);
    assert_int_equal(writer->flags, 0);
    const pk_plugin *both[] = {reader, writer};
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(both[i]->media_type, "application/json");
        assert_string_equal(both[i]->extensions[0], "json");
        assert_null(both[i]->extensions[1]);
    }
    const pk_option_def *o = writer->options;
    assert_non_null(o);
    assert_string_equal(o[0].name, "lines");
    assert_int_equal(o[0].type, PK_OPTION_BOOL);
    assert_string_equal(o[0].default_value, "false");
    assert_string_equal(o[0].help,
                        "write JSON Lines: one compact object per line");
    assert_null(o[1].name);
    /* The registry finds them by kind and name. */
    assert_ptr_equal(pk_context_find(ctx, PK_PLUGIN_READER, "json"), reader);
    assert_ptr_equal(pk_context_find(ctx, PK_PLUGIN_WRITER, "json"), writer);
}

/* ---- the writer ------------------------------------------------------- */

static void test_golden(void **state)
{
    (void)state;
    pk_doc *doc = sample_doc();
    char *out = write_one(doc);
    PK_ASSERT_STR(sample_json, out);
    save_sample("golden.json", out);
    free(out);
    pk_doc_free(doc);
}

static void test_golden_round_trip(void **state)
{
    (void)state;
    pk_doc *doc = sample_doc();
    free(assert_round_trip(doc));
    pk_doc_free(doc);
    /* Reading the golden text gives a model that writes the same text. */
    doc = read_json(sample_json);
    char *out = write_one(doc);
    PK_ASSERT_STR(sample_json, out);
    free(out);
    pk_doc_free(doc);
}

/* The text in every string slot that can hold arbitrary bytes. */
static const char hostile[] =
    "q\"uote b\\ack s/ash \x01\x02\x08\t\n\x0b\x0c\r\x1b\x1f\x7f "
    "nul\0after ls\xe2\x80\xa8ps\xe2\x80\xa9 emoji\xf0\x9f\x98\x80 "
    "nbsp\xc2\xa0nbh\xe2\x80\x91 </script> \\u0000";

/* What jansson makes of it: escapes for quote, backslash and controls,
 * everything else (DEL, U+2028, U+00A0…) as UTF-8. */
static const char hostile_json[] =
    "\"q\\\"uote b\\\\ack s/ash \\u0001\\u0002\\b\\t\\n\\u000B\\f\\r\\u001B"
    "\\u001F\x7f nul\\u0000after ls\xe2\x80\xa8ps\xe2\x80\xa9 "
    "emoji\xf0\x9f\x98\x80 nbsp\xc2\xa0nbh\xe2\x80\x91 </script> "
    "\\\\u0000\"";

static void test_hostile_strings(void **state)
{
    (void)state;
    const size_t n = sizeof hostile - 1;
    pk_doc *doc = new_doc("hostile.md");
    pk_value *m = pk_doc_meta(doc);
    /* title and url may not hold NUL or be empty; the rest may. */
    put(m, "title", str(doc, "T \"q\" \\ \x01 \xe2\x80\xa8 \xf0\x9f\x98\x80"));
    put(m, "date", str(doc, "2022-08-25"));
    put(m, "url", str(doc, "https://example.org/?a=\"b\"&c=\\"));
    pk_value *ministers = pk_value_new_list(doc);
    push(ministers,
         str(doc, "Hon\xc2\xa0Ng\xc4\x81ti Non\xe2\x80\x91" "Break"));
    put(m, "ministers", ministers);
    put(m, "hostile", pk_value_new_string(doc, hostile, n));
    put(m, "k\"e\\y\x01 \xe2\x80\xa8", str(doc, "odd key"));
    pk_node *root = pk_doc_root(doc);
    pk_node *p = add(doc, root, PK_NODE_PARAGRAPH);
    add_lit(doc, p, PK_NODE_TEXT, hostile, n);
    add_lit(doc, p, PK_NODE_CODE, hostile, n);
    add_lit(doc, p, PK_NODE_HTML_INLINE, hostile, n);
    pk_node *link = add(doc, p, PK_NODE_LINK);
    assert_int_equal(pk_node_set_url(link, "javascript:\"x\"\\", 15), PK_OK);
    assert_int_equal(pk_node_set_title(link, "t\x01\xe2\x80\xa8", 5), PK_OK);
    add_lit(doc, root, PK_NODE_CODE_BLOCK, hostile, n);
    add_lit(doc, root, PK_NODE_HTML_BLOCK, hostile, n);
    validate(doc);

    char *out = assert_round_trip(doc);
    save_sample("hostile.json", out);
    /* The exact escaping, checked on the meta string and the body. */
    char want[512];
    snprintf(want, sizeof want, "\"hostile\": %s,\n", hostile_json);
    if (!strstr(out, want))
        fail_msg("no %s in\n%s", want, out);
    snprintf(want, sizeof want, "\"text\": %s\n", hostile_json);
    if (!strstr(out, want))
        fail_msg("no %s in\n%s", want, out);
    assert_non_null(strstr(out, "\"k\\\"e\\\\y\\u0001 \xe2\x80\xa8\": "
                                "\"odd key\""));
    assert_non_null(strstr(out, "\"title\": \"t\\u0001\xe2\x80\xa8\""));
    /* No \u escapes for non-ASCII characters. */
    assert_null(strstr(out, "\\u2028"));
    assert_null(strstr(out, "\\u00a0"));
    assert_null(strstr(out, "\\ud83d"));

    /* The strings come back byte for byte, NUL included. */
    pk_doc *back = read_json(out);
    size_t len;
    const char *s = pk_value_string(pk_value_map_get(pk_doc_meta(back),
                                                     "hostile"), &len);
    assert_non_null(s);
    assert_int_equal(len, n);
    assert_memory_equal(s, hostile, n);
    pk_node *text = pk_node_first_child(pk_node_first_child(pk_doc_root(back)));
    s = pk_node_literal(text, &len);
    assert_int_equal(len, n);
    assert_memory_equal(s, hostile, n);
    pk_doc_free(back);
    free(out);
    pk_doc_free(doc);
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    pk_doc *doc = minimal_doc("T", "2022-08-25");
    /* A stray byte, an overlong '/', a surrogate, a truncated sequence. */
    add_text(doc, add(doc, pk_doc_root(doc), PK_NODE_PARAGRAPH),
             "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x80");
    validate(doc);
    char *out = assert_round_trip(doc);
    save_sample("utf8.json", out);
    const char *want =
        "\"text\": \"a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd"
        "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd\"";
    if (!strstr(out, want))
        fail_msg("no %s in\n%s", want, out);
    free(out);
    pk_doc_free(doc);
}

static void test_numbers(void **state)
{
    (void)state;
    pk_doc *doc = new_doc("n.md");
    pk_value *m = pk_doc_meta(doc);
    put(m, "title", str(doc, "Numbers"));
    put(m, "date", str(doc, "2022-08-25T10:30:00+12:00"));
    const double reals[] = {0.1, 1.0, -0.0, 1e300, 1e-7, 123456.789, 1e15,
                            2.5e-308, 0.30000000000000004};
    pk_value *list = pk_value_new_list(doc);
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        push(list, pk_value_new_real(doc, reals[i]));
    put(m, "reals", list);
    pk_value *ints = pk_value_new_list(doc);
    push(ints, pk_value_new_integer(doc, INT64_MAX));
    push(ints, pk_value_new_integer(doc, INT64_MIN));
    push(ints, pk_value_new_integer(doc, 0));
    put(m, "ints", ints);
    validate(doc);
    char *out = assert_round_trip(doc);
    save_sample("numbers.json", out);
    const char *want =
        "    \"reals\": [\n"
        "      0.1,\n"
        "      1.0,\n"
        "      -0.0,\n"
        "      1e300,\n"
        "      1e-7,\n"
        "      123456.789,\n"
        "      1e15,\n"
        "      2.5e-308,\n"
        "      0.3\n" /* 15 significant digits */
        "    ],\n"
        "    \"ints\": [\n"
        "      9223372036854775807,\n"
        "      -9223372036854775808,\n"
        "      0\n"
        "    ]\n";
    if (!strstr(out, want))
        fail_msg("no\n%s\nin\n%s", want, out);
    assert_non_null(
        strstr(out, "  \"date\": \"2022-08-25T10:30:00+12:00\",\n"));

    /* Types survive: a real stays a real even when it is whole. */
    pk_doc *back = read_json(out);
    pk_value *r = pk_value_map_get(pk_doc_meta(back), "reals");
    assert_int_equal(pk_value_type_of(pk_value_at(r, 1)), PK_VALUE_REAL);
    assert_true(pk_value_real(pk_value_at(r, 0)) == 0.1);
    pk_value *i = pk_value_map_get(pk_doc_meta(back), "ints");
    assert_int_equal(pk_value_type_of(pk_value_at(i, 0)), PK_VALUE_INTEGER);
    assert_true(pk_value_integer(pk_value_at(i, 1)) == INT64_MIN);
    pk_doc_free(back);
    free(out);
    pk_doc_free(doc);
}

static void test_empty_and_defaults(void **state)
{
    (void)state;
    pk_doc *doc = minimal_doc("Only", "2022-01-01");
    char *out = assert_round_trip(doc);
    PK_ASSERT_STR("{\n"
                  "  \"format\": \"presskit/1\",\n"
                  "  \"title\": \"Only\",\n"
                  "  \"date\": \"2022-01-01\",\n"
                  "  \"ministers\": [],\n"
                  "  \"portfolios\": [],\n"
                  "  \"lang\": \"en\",\n"
                  "  \"id\": \"tag:presskit.invalid,2022-01-01:minimal\",\n"
                  "  \"words\": 0,\n"
                  "  \"reading_minutes\": 0,\n"
                  "  \"highlights\": [],\n"
                  "  \"lead\": null,\n"
                  "  \"quotes\": [],\n"
                  "  \"meta\": {\n"
                  "    \"title\": \"Only\",\n"
                  "    \"date\": \"2022-01-01\"\n"
                  "  },\n"
                  "  \"body\": []\n"
                  "}\n",
                  out);
    free(out);
    pk_doc_free(doc);

    /* Empty containers, an empty code block, a link without title, an
     * ordered list starting at 0, lang set. */
    doc = new_doc("e.md");
    put(pk_doc_meta(doc), "lang", str(doc, "mi-NZ"));
    put(pk_doc_meta(doc), "title", str(doc, "E"));
    put(pk_doc_meta(doc), "date", str(doc, "2022-01-02"));
    pk_node *root = pk_doc_root(doc);
    add(doc, root, PK_NODE_PARAGRAPH);
    add(doc, root, PK_NODE_BLOCK_QUOTE);
    pk_node *ol = add(doc, root, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(ol, PK_LIST_ORDERED), PK_OK);
    assert_int_equal(pk_node_set_list_start(ol, 0), PK_OK);
    add(doc, ol, PK_NODE_ITEM);
    add(doc, root, PK_NODE_CODE_BLOCK);
    add(doc, add(doc, root, PK_NODE_PARAGRAPH), PK_NODE_LINK);
    validate(doc);
    out = assert_round_trip(doc);
    save_sample("empty-nodes.json", out);
    PK_ASSERT_STR("{\n"
                  "  \"format\": \"presskit/1\",\n"
                  "  \"title\": \"E\",\n"
                  "  \"date\": \"2022-01-02\",\n"
                  "  \"ministers\": [],\n"
                  "  \"portfolios\": [],\n"
                  "  \"lang\": \"mi-NZ\",\n"
                  "  \"id\": \"tag:presskit.invalid,2022-01-02:e\",\n"
                  "  \"words\": 0,\n"
                  "  \"reading_minutes\": 0,\n"
                  "  \"highlights\": [],\n"
                  "  \"lead\": \"\",\n"
                  "  \"quotes\": [],\n"
                  "  \"meta\": {\n"
                  "    \"lang\": \"mi-NZ\",\n"
                  "    \"title\": \"E\",\n"
                  "    \"date\": \"2022-01-02\"\n"
                  "  },\n"
                  "  \"body\": [\n"
                  "    {\n"
                  "      \"type\": \"paragraph\",\n"
                  "      \"children\": []\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"block_quote\",\n"
                  "      \"children\": []\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"list\",\n"
                  "      \"list_type\": \"ordered\",\n"
                  "      \"start\": 0,\n"
                  "      \"tight\": true,\n"
                  "      \"children\": [\n"
                  "        {\n"
                  "          \"type\": \"item\",\n"
                  "          \"children\": []\n"
                  "        }\n"
                  "      ]\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"code_block\",\n"
                  "      \"info\": \"\",\n"
                  "      \"text\": \"\"\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"paragraph\",\n"
                  "      \"children\": [\n"
                  "        {\n"
                  "          \"type\": \"link\",\n"
                  "          \"url\": \"\",\n"
                  "          \"children\": []\n"
                  "        }\n"
                  "      ]\n"
                  "    }\n"
                  "  ]\n"
                  "}\n",
                  out);
    free(out);
    pk_doc_free(doc);
}

/* Curly quotation marks, U+201C and U+201D. */
#define LQ "\xe2\x80\x9c"
#define RQ "\xe2\x80\x9d"

/* A release with every part the analysis finds: highlights, a lead, a
 * quote resolved to a minister, one running over two paragraphs with a
 * title, and one whose speaker is not a minister. */
static pk_doc *analysed_doc(void)
{
    pk_doc *doc = new_doc("/x/y/Analysed Release.md");
    pk_value *m = pk_doc_meta(doc);
    put(m, "title", str(doc, "Analysed"));
    put(m, "date", str(doc, "2023-05-06T09:00:00+12:00"));
    pk_value *ministers = pk_value_new_list(doc);
    push(ministers, str(doc, "Hon Kiri Tane"));
    push(ministers, str(doc, "Hon Ana Lee"));
    put(m, "ministers", ministers);
    pk_node *root = pk_doc_root(doc);
    pk_node *ul = add(doc, root, PK_NODE_LIST);
    assert_int_equal(pk_node_set_list_type(ul, PK_LIST_BULLET), PK_OK);
    pk_node *p = add(doc, add(doc, ul, PK_NODE_ITEM), PK_NODE_PARAGRAPH);
    add_text(doc, p, "First ");
    add_text(doc, add(doc, p, PK_NODE_EMPH), "highlight");
    add_para(doc, add(doc, ul, PK_NODE_ITEM), "Second \"one\"\tand\\");
    add_para(doc, root, "The lead paragraph.");
    add_para(doc, root, LQ "Curly quote," RQ " Kiri Tane said.");
    add_para(doc, root, LQ "Runs on over");
    add_para(doc, root,
             LQ "two paragraphs," RQ " said Foreign Minister Ana Lee.");
    add_para(doc, root, "Plain prose between.");
    add_para(doc, root, "\"Straight marks,\" Sam Doe said.");
    validate(doc);
    return doc;
}

static const char analysed_json[] =
    "{\n"
    "  \"format\": \"presskit/1\",\n"
    "  \"title\": \"Analysed\",\n"
    "  \"date\": \"2023-05-06T09:00:00+12:00\",\n"
    "  \"ministers\": [\n"
    "    \"Hon Kiri Tane\",\n"
    "    \"Hon Ana Lee\"\n"
    "  ],\n"
    "  \"portfolios\": [],\n"
    "  \"lang\": \"en\",\n"
    "  \"id\": \"tag:presskit.invalid,2023-05-06:analysed-release\",\n"
    "  \"words\": 31,\n"
    "  \"reading_minutes\": 1,\n"
    "  \"highlights\": [\n"
    "    \"First highlight\",\n"
    "    \"Second \\\"one\\\"\\tand\\\\\"\n"
    "  ],\n"
    "  \"lead\": \"The lead paragraph.\",\n"
    "  \"quotes\": [\n"
    "    {\n"
    "      \"speaker\": \"Hon Kiri Tane\",\n"
    "      \"title\": null,\n"
    "      \"minister\": 0,\n"
    "      \"paragraphs\": [\n"
    "        2\n"
    "      ],\n"
    "      \"text\": \"Curly quote,\"\n"
    "    },\n"
    "    {\n"
    "      \"speaker\": \"Hon Ana Lee\",\n"
    "      \"title\": \"Foreign Minister\",\n"
    "      \"minister\": 1,\n"
    "      \"paragraphs\": [\n"
    "        3,\n"
    "        4\n"
    "      ],\n"
    "      \"text\": \"Runs on over\\n\\ntwo paragraphs,\"\n"
    "    },\n"
    "    {\n"
    "      \"speaker\": \"Sam Doe\",\n"
    "      \"title\": null,\n"
    "      \"minister\": null,\n"
    "      \"paragraphs\": [\n"
    "        6\n"
    "      ],\n"
    "      \"text\": \"Straight marks,\"\n"
    "    }\n"
    "  ],\n"
    "  \"meta\": {\n"
    "    \"title\": \"Analysed\",\n"
    "    \"date\": \"2023-05-06T09:00:00+12:00\",\n"
    "    \"ministers\": [\n"
    "      \"Hon Kiri Tane\",\n"
    "      \"Hon Ana Lee\"\n"
    "    ]\n"
    "  },\n"
    "  \"body\": [\n"
    "    {\n"
    "      \"type\": \"list\",\n"
    "      \"list_type\": \"bullet\",\n"
    "      \"tight\": true,\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"item\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"paragraph\",\n"
    "              \"children\": [\n"
    "                {\n"
    "                  \"type\": \"text\",\n"
    "                  \"text\": \"First \"\n"
    "                },\n"
    "                {\n"
    "                  \"type\": \"emph\",\n"
    "                  \"children\": [\n"
    "                    {\n"
    "                      \"type\": \"text\",\n"
    "                      \"text\": \"highlight\"\n"
    "                    }\n"
    "                  ]\n"
    "                }\n"
    "              ]\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"item\",\n"
    "          \"children\": [\n"
    "            {\n"
    "              \"type\": \"paragraph\",\n"
    "              \"children\": [\n"
    "                {\n"
    "                  \"type\": \"text\",\n"
    "                  \"text\": \"Second \\\"one\\\"\\tand\\\\\"\n"
    "                }\n"
    "              ]\n"
    "            }\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"paragraph\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"The lead paragraph.\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"paragraph\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"" LQ "Curly quote," RQ " Kiri Tane said.\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"paragraph\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"" LQ "Runs on over\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"paragraph\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"" LQ "two paragraphs," RQ
    " said Foreign Minister Ana Lee.\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"paragraph\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"Plain prose between.\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"type\": \"paragraph\",\n"
    "      \"children\": [\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"\\\"Straight marks,\\\" Sam Doe said.\"\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void test_analysis(void **state)
{
    (void)state;
    pk_doc *doc = analysed_doc();
    char *out = assert_round_trip(doc);
    save_sample("analysis.json", out);
    PK_ASSERT_STR(analysed_json, out);
    free(out);
    pk_doc_free(doc);
}

/* A document the core never analysed (a plugin built it and validated
 * it): no id unless it has a url, nothing found. */
static void test_unanalysed(void **state)
{
    (void)state;
    pk_diag d = PK_DIAG_INIT;
    pk_doc *doc = new_doc("raw.md");
    put(pk_doc_meta(doc), "title", str(doc, "Raw"));
    put(pk_doc_meta(doc), "date", str(doc, "2022-01-01"));
    add_para(doc, pk_doc_root(doc), LQ "Unseen," RQ " Ana said.");
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    char *out = write_one(doc);
    const char *want = "  \"lang\": \"en\",\n"
                       "  \"id\": null,\n"
                       "  \"words\": 0,\n"
                       "  \"reading_minutes\": 0,\n"
                       "  \"highlights\": [],\n"
                       "  \"lead\": null,\n"
                       "  \"quotes\": [],\n"
                       "  \"meta\": {\n";
    if (!strstr(out, want))
        fail_msg("no\n%s\nin\n%s", want, out);
    save_sample("unanalysed.json", out);
    /* Read back, it is analysed: the id comes from the new source. */
    pk_doc *back = read_with(reader, "dir/back.json", out, strlen(out));
    PK_ASSERT_STR("tag:presskit.invalid,2022-01-01:back", pk_doc_id(back));
    assert_int_equal(pk_doc_quote_count(back), 1);
    pk_doc_free(back);
    free(out);

    put(pk_doc_meta(doc), "url", str(doc, "https://example.org/raw"));
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    out = write_one(doc);
    assert_non_null(strstr(out, "\n  \"id\": \"https://example.org/raw\",\n"));
    free(out);
    pk_doc_free(doc);
}

/* A tag: id is made from the source file's name; the json reader keeps
 * the one the text carries, so the id survives a json file of another
 * name and md -> json -> json stays byte-identical. */
static void test_id_survives(void **state)
{
    (void)state;
    pk_doc *doc = analysed_doc();
    char *first = write_one(doc);
    pk_doc *back = read_with(reader, "else/where/other name.json", first,
                             strlen(first));
    PK_ASSERT_STR("tag:presskit.invalid,2023-05-06:analysed-release",
                  pk_doc_id(back));
    char *second = write_one(back);
    PK_ASSERT_STR(first, second);
    free(first);
    free(second);
    pk_doc_free(back);
    pk_doc_free(doc);

    if (!markdown)
        return;
    static const char md[] = "---\n"
                             "title: No url\n"
                             "date: 2024-02-29\n"
                             "---\n"
                             "\n"
                             "Body.\n";
    doc = read_with(markdown, "/a/b/Some Release.md", md, strlen(md));
    first = write_one(doc);
    assert_non_null(strstr(
        first, "\n  \"id\": \"tag:presskit.invalid,2024-02-29:some-release\",\n"));
    back = read_with(reader, "z/moved.json", first, strlen(first));
    second = write_one(back);
    PK_ASSERT_STR(first, second);
    free(first);
    free(second);
    pk_doc_free(back);
    pk_doc_free(doc);
}

static const char two_docs_array[] =
    "[\n"
    "  {\n"
    "    \"format\": \"presskit/1\",\n"
    "    \"title\": \"One\",\n"
    "    \"date\": \"2022-01-01\",\n"
    "    \"ministers\": [],\n"
    "    \"portfolios\": [],\n"
    "    \"lang\": \"en\",\n"
    "    \"id\": \"tag:presskit.invalid,2022-01-01:minimal\",\n"
    "    \"words\": 0,\n"
    "    \"reading_minutes\": 0,\n"
    "    \"highlights\": [],\n"
    "    \"lead\": null,\n"
    "    \"quotes\": [],\n"
    "    \"meta\": {\n"
    "      \"title\": \"One\",\n"
    "      \"date\": \"2022-01-01\"\n"
    "    },\n"
    "    \"body\": []\n"
    "  },\n"
    "  {\n"
    "    \"format\": \"presskit/1\",\n"
    "    \"title\": \"Two\",\n"
    "    \"date\": \"2022-01-02\",\n"
    "    \"ministers\": [],\n"
    "    \"portfolios\": [],\n"
    "    \"lang\": \"en\",\n"
    "    \"id\": \"tag:presskit.invalid,2022-01-02:minimal\",\n"
    "    \"words\": 2,\n"
    "    \"reading_minutes\": 1,\n"
    "    \"highlights\": [],\n"
    "    \"lead\": \"line\\nbreak\",\n"
    "    \"quotes\": [],\n"
    "    \"meta\": {\n"
    "      \"title\": \"Two\",\n"
    "      \"date\": \"2022-01-02\"\n"
    "    },\n"
    "    \"body\": [\n"
    "      {\n"
    "        \"type\": \"paragraph\",\n"
    "        \"children\": [\n"
    "          {\n"
    "            \"type\": \"text\",\n"
    "            \"text\": \"line\\nbreak\"\n"
    "          }\n"
    "        ]\n"
    "      }\n"
    "    ]\n"
    "  }\n"
    "]\n";

static const char two_docs_lines[] =
    "{\"format\":\"presskit/1\",\"title\":\"One\",\"date\":\"2022-01-01\","
    "\"ministers\":[],\"portfolios\":[],\"lang\":\"en\","
    "\"id\":\"tag:presskit.invalid,2022-01-01:minimal\",\"words\":0,"
    "\"reading_minutes\":0,\"highlights\":[],\"lead\":null,\"quotes\":[],"
    "\"meta\":{\"title\":\"One\",\"date\":\"2022-01-01\"},\"body\":[]}\n"
    "{\"format\":\"presskit/1\",\"title\":\"Two\",\"date\":\"2022-01-02\","
    "\"ministers\":[],\"portfolios\":[],\"lang\":\"en\","
    "\"id\":\"tag:presskit.invalid,2022-01-02:minimal\",\"words\":2,"
    "\"reading_minutes\":1,\"highlights\":[],\"lead\":\"line\\nbreak\","
    "\"quotes\":[],\"meta\":{\"title\":\"Two\",\"date\":\"2022-01-02\"},\"body\":[{\"type\":\"paragraph\","
    "\"children\":[{\"type\":\"text\",\"text\":\"line\\nbreak\"}]}]}\n";

static void test_multi_document(void **state)
{
    (void)state;
    pk_doc *docs[2] = {minimal_doc("One", "2022-01-01"),
                       minimal_doc("Two", "2022-01-02")};
    add_para(docs[1], pk_doc_root(docs[1]), "line\nbreak");
    validate(docs[1]);
    const pk_doc *const *all = (const pk_doc *const *)docs;

    char *out = write_docs(all, 2, 0, NULL);
    PK_ASSERT_STR(two_docs_array, out);
    save_sample("array.json", out);
    free(out);
    out = write_docs(all, 2, 0, "false");
    PK_ASSERT_STR(two_docs_array, out);
    free(out);
    out = write_docs(all, 0, 0, NULL);
    PK_ASSERT_STR("[]\n", out);
    free(out);
    out = write_docs(all, 1, 0, NULL);
    assert_int_equal(strncmp(out, "[\n  {\n    \"format\"", 18), 0);
    assert_int_equal(strcmp(out + strlen(out) - 8, "]\n  }\n]\n"), 0);
    free(out);

    out = write_docs(all, 2, 0, "true");
    PK_ASSERT_STR(two_docs_lines, out);
    save_sample("lines.jsonl", out);
    free(out);
    out = write_docs(all, 0, 0, "true");
    PK_ASSERT_STR("", out);
    free(out);
    /* lines wins over a single-document output: still one compact line. */
    out = write_docs(all, 1, PK_OUTPUT_SINGLE, "true");
    assert_int_equal(strlen(out), strchr(two_docs_lines, '\n') + 1 -
                                      two_docs_lines);
    assert_memory_equal(out, two_docs_lines, strlen(out));
    /* Each line reads back to a document that writes the same line. */
    pk_doc *back = read_json(out);
    char *again = write_docs((const pk_doc *const *)&back, 1, PK_OUTPUT_SINGLE,
                             "true");
    PK_ASSERT_STR(out, again);
    free(again);
    pk_doc_free(back);
    free(out);

    /* The array's elements are the single-document objects, indented. */
    out = write_one(docs[0]);
    assert_non_null(strstr(two_docs_array, "  \"meta\": {\n      \"title\""));
    assert_int_equal(strncmp(out, "{\n  \"format\"", 12), 0);
    free(out);
    pk_doc_free(docs[0]);
    pk_doc_free(docs[1]);
}

static void test_single_output_refuses_second(void **state)
{
    (void)state;
    pk_doc *doc = minimal_doc("One", "2022-01-01");
    pk_sink *sink;
    void *w;
    pk_diag d = PK_DIAG_INIT;
    char buf[1024];
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&w, sink, NULL, PK_OUTPUT_SINGLE, &d),
                 &d);
    PK_ASSERT_OK(writer->writer->write(w, doc, &d), &d);
    assert_int_equal(writer->writer->write(w, doc, &d), PK_EINVAL);
    PK_ASSERT_STR("<memory>: json writer: a second document for a "
                  "single-document output",
                  pk_diag_format(&d, buf, sizeof buf));
    /* The first document is intact. */
    PK_ASSERT_OK(writer->writer->close(w, &d), &d);
    char *one = write_one(doc);
    PK_ASSERT_STR(one, pk_sink_memory_data(sink, NULL));
    free(one);
    pk_sink_free(sink);
    pk_doc_free(doc);
}

/* Writes doc alone, expecting failure with status; returns the formatted
 * diagnostic in buf. */
static const char *write_error(const pk_doc *doc, int status, char *buf,
                               size_t cap)
{
    pk_sink *sink;
    void *w;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(writer->writer->open(&w, sink, NULL, 0, &d), &d);
    int rc = writer->writer->write(w, doc, &d);
    if (rc != status)
        fail_msg("expected %s, got %s: %s", pk_status_str(status),
                 pk_status_str(rc), pk_diag_format(&d, buf, cap));
    pk_diag_format(&d, buf, cap);
    /* A document the writer refuses does not spoil the output. */
    pk_diag d2 = PK_DIAG_INIT;
    PK_ASSERT_OK(writer->writer->close(w, &d2), &d2);
    PK_ASSERT_STR("[]\n", pk_sink_memory_data(sink, NULL));
    pk_sink_free(sink);
    return buf;
}

/* Maps of more than 16 keys are checked for duplicates by sorting: the
 * same answers as pairwise, the first repeat in the map's order named. */
static void test_writer_large_maps(void **state)
{
    (void)state;
    char buf[1024], key[32];

    /* Forty distinct keys write and read back. */
    pk_doc *doc = minimal_doc("T", "2022-01-01");
    pk_value *map = pk_value_new_map(doc);
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%02d", 39 - i);
        put(map, key, pk_value_new_integer(doc, i));
    }
    put(pk_doc_meta(doc), "big", map);
    free(assert_round_trip(doc));
    pk_doc_free(doc);

    /* Key 30 repeats key 5 and key 35 repeats key 2: key 30 is named. */
    doc = minimal_doc("T", "2022-01-01");
    map = pk_value_new_map(doc);
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%02d", i == 30 ? 5 : i == 35 ? 2 : i);
        put(map, key, pk_value_new_integer(doc, i));
    }
    put(pk_doc_meta(doc), "big", map);
    PK_ASSERT_STR("minimal.md: meta.big: duplicate key \"k05\"",
                  write_error(doc, PK_EINPUT, buf, sizeof buf));
    pk_doc_free(doc);

    /* Keys that differ only in bytes that are not UTF-8 collide once
     * replaced; an error in an earlier value comes first. */
    doc = minimal_doc("T", "2022-01-01");
    map = pk_value_new_map(doc);
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof key, "k%02d", i);
        put(map, key, pk_value_new_null(doc));
    }
    put(map, "x\xff", pk_value_new_null(doc));
    put(map, "x\xfe", pk_value_new_null(doc));
    put(pk_doc_meta(doc), "big", map);
    PK_ASSERT_STR("minimal.md: meta.big: duplicate key \"x\xef\xbf\xbd\"",
                  write_error(doc, PK_EINPUT, buf, sizeof buf));
    pk_doc_free(doc);
}

static void test_writer_refuses(void **state)
{
    (void)state;
    char buf[1024];

    /* The model leaves duplicate keys to its callers; JSON cannot hold
     * them (our reader rejects them). */
    pk_doc *doc = minimal_doc("T", "2022-01-01");
    pk_value *inner = pk_value_new_map(doc);
    put(inner, "k", pk_value_new_integer(doc, 1));
    put(inner, "k", pk_value_new_integer(doc, 2));
    put(pk_doc_meta(doc), "a b", inner);
    PK_ASSERT_STR("minimal.md: meta[\"a b\"]: duplicate key \"k\"",
                  write_error(doc, PK_EINPUT, buf, sizeof buf));
    pk_doc_free(doc);

    doc = minimal_doc("T", "2022-01-01");
    assert_int_equal(pk_value_map_append(pk_doc_meta(doc), "a\0b", 3,
                                         pk_value_new_null(doc)),
                     PK_OK);
    PK_ASSERT_STR("minimal.md: meta: key \"a\\u0000b\" holds a NUL "
                  "character, which JSON readers refuse",
                  write_error(doc, PK_EINPUT, buf, sizeof buf));
    pk_doc_free(doc);

    /* Invalid UTF-8 in two keys that becomes the same key. */
    doc = minimal_doc("T", "2022-01-01");
    put(pk_doc_meta(doc), "x\xff", pk_value_new_null(doc));
    put(pk_doc_meta(doc), "x\xfe", pk_value_new_null(doc));
    PK_ASSERT_STR("minimal.md: meta: duplicate key \"x\xef\xbf\xbd\"",
                  write_error(doc, PK_EINPUT, buf, sizeof buf));
    pk_doc_free(doc);

    /* Paths quote odd keys, bytes that are not UTF-8 escaped. */
    doc = minimal_doc("T", "2022-01-01");
    inner = pk_value_new_map(doc);
    put(inner, "k", pk_value_new_integer(doc, 1));
    put(inner, "k", pk_value_new_integer(doc, 2));
    pk_value *list = pk_value_new_list(doc);
    push(list, inner);
    put(pk_doc_meta(doc), "\xff\"", list);
    PK_ASSERT_STR("minimal.md: meta[\"\\xFF\\\"\"][0]: duplicate key \"k\"",
                  write_error(doc, PK_EINPUT, buf, sizeof buf));
    pk_doc_free(doc);

    /* A document that was never validated. */
    doc = new_doc("raw.md");
    PK_ASSERT_STR("raw.md: json writer: the document was not validated",
                  write_error(doc, PK_EINVAL, buf, sizeof buf));
    pk_doc_free(doc);
}

/* As assert_round_trip, in compact JSON Lines form: deeply nested
 * documents indented are megabytes of spaces. */
static void assert_compact_round_trip(const pk_doc *doc)
{
    char *first = write_docs(&doc, 1, PK_OUTPUT_SINGLE, "true");
    pk_doc *back = read_json(first);
    char *second = write_docs((const pk_doc *const *)&back, 1,
                              PK_OUTPUT_SINGLE, "true");
    PK_ASSERT_STR(first, second);
    free(first);
    free(second);
    pk_doc_free(back);
}

/* jansson reads at most 2048 nested arrays and objects: a block quote at
 * level k is an object at depth 2k + 1 with a children array at 2k + 2. */
static void test_depth_limits(void **state)
{
    (void)state;
    char buf[1024];
    pk_doc *doc = minimal_doc("Deep", "2022-01-01");
    pk_node *n = pk_doc_root(doc);
    for (int i = 0; i < 1023; i++)
        n = add(doc, n, PK_NODE_BLOCK_QUOTE);
    assert_compact_round_trip(doc); /* the deepest the reader accepts */
    free(write_one(doc));           /* and indented too */
    add(doc, n, PK_NODE_BLOCK_QUOTE);
    PK_ASSERT_STR("minimal.md: body: nested deeper than the 2048 levels a "
                  "JSON reader accepts",
                  write_error(doc, PK_ELIMIT, buf, sizeof buf));
    pk_doc_free(doc);

    /* A thematic break (no children array) one level further down. */
    doc = minimal_doc("Deep", "2022-01-01");
    n = pk_doc_root(doc);
    for (int i = 0; i < 1023; i++)
        n = add(doc, n, PK_NODE_BLOCK_QUOTE);
    add(doc, n, PK_NODE_THEMATIC_BREAK);
    write_error(doc, PK_ELIMIT, buf, sizeof buf);
    pk_doc_free(doc);

    /* meta is at depth 2: lists nested 2046 deep are the most. */
    doc = minimal_doc("Deep", "2022-01-01");
    pk_value *v = pk_value_new_list(doc);
    put(pk_doc_meta(doc), "deep", v);
    for (int i = 1; i < 2046; i++) {
        pk_value *inner = pk_value_new_list(doc);
        push(v, inner);
        v = inner;
    }
    assert_compact_round_trip(doc);
    push(v, pk_value_new_list(doc));
    /* The path "meta.deep[0]...[0]" is too long to show whole: its
     * innermost steps fill the 255 bytes, after a "...". */
    char want[512] = "minimal.md: ...";
    for (int i = 0; i < 84; i++)
        strcat(want, "[0]");
    strcat(want, ": nested deeper than the 2048 levels a JSON reader accepts");
    PK_ASSERT_STR(want, write_error(doc, PK_ELIMIT, buf, sizeof buf));
    pk_doc_free(doc);
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
    char buf[1024];
    PK_ASSERT_OK(pk_sink_new_stream(&sink, fp, "<read-only>"), &d);
    pk_doc *doc = minimal_doc("Big", "2022-01-01");
    size_t n = 200000;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);
    add_lit(doc, add(doc, pk_doc_root(doc), PK_NODE_PARAGRAPH), PK_NODE_TEXT,
            big, n);
    free(big);
    PK_ASSERT_OK(writer->writer->open(&w, sink, NULL, 0, &d), &d);
    assert_int_equal(writer->writer->write(w, doc, &d), PK_EIO);
    char want[256];
    snprintf(want, sizeof want,
             "<read-only>: json writer: cannot write the output: %s",
             pk_status_str(PK_EIO));
    PK_ASSERT_STR(want, pk_diag_format(&d, buf, sizeof buf));
    /* Later calls and close report the spoiled output. */
    assert_int_equal(writer->writer->write(w, doc, &d), PK_EIO);
    assert_int_equal(writer->writer->close(w, &d), PK_EIO);
    pk_sink_free(sink);
    fclose(fp);
    pk_doc_free(doc);
}

/* ---- the reader ------------------------------------------------------- */

static void test_read_hand_written(void **state)
{
    (void)state;
    /* No "meta": the known fields come from the top level, in their
     * order; other keys are ignored but for "id", which is kept; format,
     * children, info, tight and start may be left out. */
    pk_doc *doc = read_json(
        "{\"date\": \"2022-08-25\", \"title\": \"Hand\", \"extra\": 1,\n"
        " \"ministers\": \"Hon X\", \"id\": \"tag:example.org,2022:hand\",\n"
        " \"words\": 99, \"lead\": \"stale\",\n"
        " \"body\": [{\"type\": \"paragraph\", \"children\": [\n"
        "   {\"type\": \"text\", \"text\": \"hi\"}]},\n"
        "   {\"type\": \"thematic_break\"}, {\"type\": \"block_quote\"},\n"
        "   {\"type\": \"code_block\", \"text\": \"x\"},\n"
        "   {\"type\": \"list\", \"list_type\": \"ordered\"}]}");
    char *out = write_one(doc);
    save_sample("hand-written.json", out);
    PK_ASSERT_STR("{\n"
                  "  \"format\": \"presskit/1\",\n"
                  "  \"title\": \"Hand\",\n"
                  "  \"date\": \"2022-08-25\",\n"
                  "  \"ministers\": [\n"
                  "    \"Hon X\"\n"
                  "  ],\n"
                  "  \"portfolios\": [],\n"
                  "  \"lang\": \"en\",\n"
                  "  \"id\": \"tag:example.org,2022:hand\",\n"
                  "  \"words\": 1,\n"
                  "  \"reading_minutes\": 1,\n"
                  "  \"highlights\": [],\n"
                  "  \"lead\": \"hi\",\n"
                  "  \"quotes\": [],\n"
                  "  \"meta\": {\n"
                  "    \"date\": \"2022-08-25\",\n"
                  "    \"title\": \"Hand\",\n"
                  "    \"ministers\": \"Hon X\"\n"
                  "  },\n"
                  "  \"body\": [\n"
                  "    {\n"
                  "      \"type\": \"paragraph\",\n"
                  "      \"children\": [\n"
                  "        {\n"
                  "          \"type\": \"text\",\n"
                  "          \"text\": \"hi\"\n"
                  "        }\n"
                  "      ]\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"thematic_break\"\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"block_quote\",\n"
                  "      \"children\": []\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"code_block\",\n"
                  "      \"info\": \"\",\n"
                  "      \"text\": \"x\"\n"
                  "    },\n"
                  "    {\n"
                  "      \"type\": \"list\",\n"
                  "      \"list_type\": \"ordered\",\n"
                  "      \"start\": 1,\n"
                  "      \"tight\": true,\n"
                  "      \"children\": []\n"
                  "    }\n"
                  "  ]\n"
                  "}\n",
                  out);
    free(out);
    pk_doc_free(doc);
}

static void test_read_ignores_derived(void **state)
{
    (void)state;
    /* With "meta" present, the top-level copies and the analysis fields
     * are derived data: ignored, even when they disagree or are odd; the
     * analysis is made afresh.  Only a string "id" is kept. */
    pk_doc *doc = read_json(
        "{\"format\": \"presskit/1\", \"title\": \"Stale\", \"date\": 7,\n"
        " \"ministers\": {}, \"lang\": [], \"id\": \"tag:x\",\n"
        " \"words\": 5, \"reading_minutes\": \"no\", \"lead\": \"old\",\n"
        " \"highlights\": [1, 2], \"quotes\": null,\n"
        " \"meta\": {\"title\": \"Real\", \"date\": \"2022-08-25\"},\n"
        " \"body\": [{\"type\": \"paragraph\", \"children\": [\n"
        "   {\"type\": \"text\", \"text\": \"\\u201cNew,\\u201d Ana said.\"}]}]}");
    assert_string_equal(pk_doc_title(doc), "Real");
    assert_int_equal(pk_value_count(pk_doc_meta(doc)), 2);
    assert_int_equal(pk_doc_minister_count(doc), 0);
    PK_ASSERT_STR("tag:x", pk_doc_id(doc));
    assert_int_equal(pk_doc_word_count(doc), 3);
    assert_ptr_equal(pk_doc_lead(doc), pk_node_first_child(pk_doc_root(doc)));
    assert_null(pk_doc_highlights(doc));
    assert_int_equal(pk_doc_quote_count(doc), 1);
    PK_ASSERT_STR("Ana", pk_quote_speaker(pk_doc_quote(doc, 0)));
    pk_doc_free(doc);

    /* An id that is not a string is ignored like the rest: the core
     * derives one from the source name. */
    doc = read_json("{\"id\": null, \"meta\": {\"title\": \"T\", "
                    "\"date\": \"2022-08-25\"}}");
    PK_ASSERT_STR("tag:presskit.invalid,2022-08-25:test", pk_doc_id(doc));
    pk_doc_free(doc);
    doc = read_json("{\"id\": 7, \"title\": \"T\", \"date\": \"2022-08-25\"}");
    PK_ASSERT_STR("tag:presskit.invalid,2022-08-25:test", pk_doc_id(doc));
    pk_doc_free(doc);
    /* The url, when there is one, is the id whatever "id" says. */
    doc = read_json("{\"id\": \"tag:x\", \"meta\": {\"title\": \"T\", "
                    "\"date\": \"2022-08-25\", \"url\": \"https://u.example/\"}}");
    PK_ASSERT_STR("https://u.example/", pk_doc_id(doc));
    char *out = write_one(doc);
    assert_non_null(strstr(out, "\n  \"id\": \"https://u.example/\",\n"));
    free(out);
    pk_doc_free(doc);

    /* Without body, an empty body. */
    doc = read_json("{\"meta\": {\"title\": \"T\", \"date\": \"2022-08-25\"}}");
    assert_null(pk_node_first_child(pk_doc_root(doc)));
    pk_doc_free(doc);
}

static void test_read_syntax_errors(void **state)
{
    (void)state;
    ASSERT_READ_ERROR("bad.json", "{\n  \"title\": \"x\",\n  \"date\": ]\n}",
                      PK_EPARSE,
                      "bad.json:3:11: invalid JSON: unexpected token near ']'");
    ASSERT_READ_ERROR("dup.json",
                      "{\"meta\": {\"title\": \"a\",\n   \"title\": \"b\"}}",
                      PK_EPARSE,
                      "dup.json:2:10: invalid JSON: duplicate object key near "
                      "'\"title\"'");
    /* Columns count bytes: "é" is two. */
    ASSERT_READ_ERROR("col.json", "{\"\xc3\xa9\": x}", PK_EPARSE,
                      "col.json:1:8: invalid JSON: invalid token near 'x'");
    ASSERT_READ_ERROR("trunc.json", "{\"title\": \"x\",\n", PK_EPARSE,
                      "trunc.json:2: invalid JSON: string or '}' expected "
                      "near end of file");
    ASSERT_READ_ERROR("empty.json", "", PK_EPARSE,
                      "empty.json:1: invalid JSON: '[' or '{' expected near "
                      "end of file");
    ASSERT_READ_ERROR("two.json", "{} {}", PK_EPARSE,
                      "two.json:1:4: invalid JSON: end of file expected near "
                      "'{'");
    ASSERT_READ_ERROR("utf8.json", "{\"a\": \"\xff\"}", PK_EPARSE,
                      "utf8.json:1:8: invalid JSON: unable to decode byte "
                      "0xff near '\"'");
    ASSERT_READ_ERROR("ctl.json", "{\"a\": \x1b[31m}", PK_EPARSE,
                      "ctl.json:1:7: invalid JSON: invalid token near '?'");
    /* A NUL byte in the text (not an escaped one) is not JSON. */
    char buf[1024];
    PK_ASSERT_STR("nul.json:1:8: invalid JSON: control character 0x0 near "
                  "'\"a'",
                  read_error("nul.json", "{\"a\": \"a\0\"}", 11, PK_EPARSE,
                             buf, sizeof buf));
}

/* json.lenient: each ill-formed sequence becomes one U+FFFD and one
 * warning at its line and byte column; without it the input fails. */
static void test_read_lenient(void **state)
{
    (void)state;
    static const char text[] =
        "{\"meta\": {\"title\": \"T\xff\",\n"
        "  \"date\": \"2022-08-25\"},\n"
        " \"body\": [{\"type\": \"paragraph\", \"children\": "
        "[{\"type\": \"text\", \"text\": \"a\xe2\x80" "b\xed\xa0\x80" "c\"}]}]}";
    char buf[1024];
    PK_ASSERT_STR("l.json:1:22: invalid JSON: unable to decode byte 0xff "
                  "near '\"T'",
                  read_error("l.json", text, strlen(text), PK_EPARSE, buf,
                             sizeof buf));

    pk_diag d = PK_DIAG_INIT;
    pk_options *opts;
    assert_int_equal(pk_options_new(&opts, "json", reader->options), PK_OK);
    PK_ASSERT_OK(pk_options_set(opts, "lenient", "true", &d), &d);
    pk_read_options ro = PK_READ_OPTIONS_INIT;
    ro.reader_opts = opts;
    pk_doc *doc = NULL;
    PK_ASSERT_OK(pk_read(reader, &ro, "l.json", text, strlen(text), &doc, &d),
                 &d);
    PK_ASSERT_STR("T\xef\xbf\xbd", pk_doc_title(doc));
    size_t len;
    pk_node *t = pk_node_first_child(pk_node_first_child(pk_doc_root(doc)));
    const char *lit = pk_node_literal(t, &len);
    PK_ASSERT_STR("a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "c",
                  lit);
    assert_int_equal(pk_doc_warning_count(doc), 5);
    static const char *const want[] = {
        "l.json:1:22: invalid UTF-8 replaced with U+FFFD",
        "l.json:3:73: invalid UTF-8 replaced with U+FFFD",
        "l.json:3:76: invalid UTF-8 replaced with U+FFFD",
        "l.json:3:77: invalid UTF-8 replaced with U+FFFD",
        "l.json:3:78: invalid UTF-8 replaced with U+FFFD",
    };
    for (size_t i = 0; i < 5; i++) {
        pk_diag w;
        assert_true(pk_doc_warning(doc, i, &w));
        assert_int_equal(w.status, PK_OK);
        PK_ASSERT_STR(want[i], pk_diag_format(&w, buf, sizeof buf));
    }
    pk_diag w;
    assert_false(pk_doc_warning(doc, 5, &w));
    assert_int_equal(w.message[0], '\0');
    pk_doc_free(doc);

    /* Well-formed input is read as it is, with no warning. */
    static const char good[] =
        "{\"title\": \"T\xc3\xa9\", \"date\": \"2022-08-25\"}";
    PK_ASSERT_OK(pk_read(reader, &ro, "g.json", good, strlen(good), &doc, &d),
                 &d);
    PK_ASSERT_STR("T\xc3\xa9", pk_doc_title(doc));
    assert_int_equal(pk_doc_warning_count(doc), 0);
    pk_doc_free(doc);
    pk_options_free(opts);
}

static void test_read_structure_errors(void **state)
{
    (void)state;
#define META "\"meta\": {\"title\": \"T\", \"date\": \"2022-08-25\"}"
    ASSERT_READ_ERROR("a.json", "[{}, {}]", PK_EPARSE,
                      "a.json: expected one release object, got an array");
    ASSERT_READ_ERROR("f.json", "{\"format\": \"presskit/2\", " META "}",
                      PK_EPARSE,
                      "f.json: format: unsupported format \"presskit/2\"; "
                      "this reader reads \"presskit/1\"");
    ASSERT_READ_ERROR("f.json", "{\"format\": 1}", PK_EPARSE,
                      "f.json: format: expected \"presskit/1\", got an "
                      "integer");
    ASSERT_READ_ERROR("f.json", "{\"format\": \"presskit/1\\u0000\"}",
                      PK_EPARSE,
                      "f.json: format: unsupported format "
                      "\"presskit/1\\u0000\"; this reader reads "
                      "\"presskit/1\"");
    ASSERT_READ_ERROR("i.json", "{\"id\": \"\", " META "}", PK_EPARSE,
                      "i.json: id: expected a non-empty string without NUL "
                      "characters");
    ASSERT_READ_ERROR("i.json", "{" META ", \"id\": \"tag:a\\u0000b\"}",
                      PK_EPARSE,
                      "i.json: id: expected a non-empty string without NUL "
                      "characters");
    ASSERT_READ_ERROR("m.json", "{\"meta\": [1]}", PK_EPARSE,
                      "m.json: meta: expected an object, got an array");
    ASSERT_READ_ERROR("b.json", "{" META ", \"body\": {}}", PK_EPARSE,
                      "b.json: body: expected an array, got an object");
    ASSERT_READ_ERROR("n.json",
                      "{" META ", \"body\": [{\"type\": \"thematic_break\"},\n"
                      "{\"type\": \"paragraph\", \"children\": [\n"
                      "  {\"type\": \"foo\"}]}]}",
                      PK_EPARSE,
                      "n.json: body[1].children[0]: unknown node type "
                      "\"foo\"");
    ASSERT_READ_ERROR("n.json", "{" META ", \"body\": [{\"type\": \"none\"}]}",
                      PK_EPARSE, "n.json: body[0]: unknown node type \"none\"");
    ASSERT_READ_ERROR("n.json",
                      "{" META ", \"body\": [{\"type\": \"document\"}]}",
                      PK_EPARSE,
                      "n.json: body[0]: node type \"document\" cannot be in "
                      "the body: the body is the document's children");
    ASSERT_READ_ERROR("n.json", "{" META ", \"body\": [3]}", PK_EPARSE,
                      "n.json: body[0]: expected a node object, got an "
                      "integer");
    ASSERT_READ_ERROR("n.json", "{" META ", \"body\": [{}]}", PK_EPARSE,
                      "n.json: body[0]: missing \"type\"");
    ASSERT_READ_ERROR("n.json", "{" META ", \"body\": [{\"type\": null}]}",
                      PK_EPARSE,
                      "n.json: body[0].type: expected a string, got null");
    /* Nesting the model refuses, located by path. */
    ASSERT_READ_ERROR("nest.json",
                      "{" META ", \"body\": [{\"type\": \"list\", "
                      "\"list_type\": \"bullet\", \"children\": [\n"
                      "  {\"type\": \"item\"}, {\"type\": \"paragraph\"}]}]}",
                      PK_EPARSE,
                      "nest.json: body[0].children[1]: \"paragraph\" is not "
                      "allowed inside \"list\"");
    ASSERT_READ_ERROR("nest.json",
                      "{" META ", \"body\": [{\"type\": \"text\", "
                      "\"text\": \"loose\"}]}",
                      PK_EPARSE,
                      "nest.json: body[0]: \"text\" is not allowed at the "
                      "top of the body");
    ASSERT_READ_ERROR("nest.json",
                      "{" META ", \"body\": [{\"type\": \"paragraph\", "
                      "\"children\": [{\"type\": \"emph\", \"children\": "
                      "[{\"type\": \"block_quote\"}]}]}]}",
                      PK_EPARSE,
                      "nest.json: body[0].children[0].children[0]: "
                      "\"block_quote\" is not allowed inside \"emph\"");
    ASSERT_READ_ERROR("nest.json",
                      "{" META ", \"body\": [{\"type\": \"item\"}]}",
                      PK_EPARSE,
                      "nest.json: body[0]: \"item\" is not allowed at the "
                      "top of the body");
    /* Attributes. */
    ASSERT_READ_ERROR("h.json",
                      "{" META ", \"body\": [{\"type\": \"heading\", "
                      "\"level\": 7}]}",
                      PK_EPARSE,
                      "h.json: body[0].level: expected an integer from 1 to "
                      "6, got 7");
    ASSERT_READ_ERROR("h.json",
                      "{" META ", \"body\": [{\"type\": \"heading\", "
                      "\"level\": 1.0}]}",
                      PK_EPARSE,
                      "h.json: body[0].level: expected an integer from 1 to "
                      "6, got a real number");
    ASSERT_READ_ERROR("h.json",
                      "{" META ", \"body\": [{\"type\": \"heading\"}]}",
                      PK_EPARSE, "h.json: body[0]: missing \"level\"");
    ASSERT_READ_ERROR("l.json",
                      "{" META ", \"body\": [{\"type\": \"list\", "
                      "\"list_type\": \"bullet\", \"start\": 2}]}",
                      PK_EPARSE,
                      "l.json: body[0].start: only an ordered list has a "
                      "start");
    ASSERT_READ_ERROR("l.json",
                      "{" META ", \"body\": [{\"type\": \"list\", "
                      "\"list_type\": \"ordered\", \"start\": -1}]}",
                      PK_EPARSE,
                      "l.json: body[0].start: expected an integer from 0 to "
                      "999999999, got -1");
    ASSERT_READ_ERROR("l.json",
                      "{" META ", \"body\": [{\"type\": \"list\", "
                      "\"list_type\": \"dashed\"}]}",
                      PK_EPARSE,
                      "l.json: body[0].list_type: expected \"bullet\" or "
                      "\"ordered\", got \"dashed\"");
    ASSERT_READ_ERROR("l.json",
                      "{" META ", \"body\": [{\"type\": \"list\"}]}",
                      PK_EPARSE, "l.json: body[0]: missing \"list_type\"");
    ASSERT_READ_ERROR("l.json",
                      "{" META ", \"body\": [{\"type\": \"list\", "
                      "\"list_type\": \"bullet\", \"tight\": \"yes\"}]}",
                      PK_EPARSE,
                      "l.json: body[0].tight: expected true or false, got a "
                      "string");
    ASSERT_READ_ERROR("k.json",
                      "{" META ", \"body\": [{\"type\": \"paragraph\", "
                      "\"childs\": []}]}",
                      PK_EPARSE,
                      "k.json: body[0]: unknown key \"childs\" for node "
                      "type \"paragraph\"");
    ASSERT_READ_ERROR("k.json",
                      "{" META ", \"body\": [{\"type\": \"paragraph\", "
                      "\"children\": [{\"type\": \"text\", \"text\": \"x\", "
                      "\"children\": []}]}]}",
                      PK_EPARSE,
                      "k.json: body[0].children[0]: node type \"text\" has "
                      "no children");
    ASSERT_READ_ERROR("k.json",
                      "{" META ", \"body\": [{\"type\": \"paragraph\", "
                      "\"children\": [{\"type\": \"code\"}]}]}",
                      PK_EPARSE,
                      "k.json: body[0].children[0]: missing \"text\"");
    ASSERT_READ_ERROR("k.json",
                      "{" META ", \"body\": [{\"type\": \"paragraph\", "
                      "\"children\": {}}]}",
                      PK_EPARSE,
                      "k.json: body[0].children: expected an array, got an "
                      "object");
    ASSERT_READ_ERROR("u.json",
                      "{" META ", \"body\": [{\"type\": \"paragraph\", "
                      "\"children\": [{\"type\": \"link\", "
                      "\"url\": \"a\\u0000b\"}]}]}",
                      PK_EPARSE,
                      "u.json: body[0].children[0].url: expected a string "
                      "without NUL characters");
    ASSERT_READ_ERROR("u.json",
                      "{" META ", \"body\": [{\"type\": \"paragraph\", "
                      "\"children\": [{\"type\": \"image\", "
                      "\"url\": \"x\", \"title\": false}]}]}",
                      PK_EPARSE,
                      "u.json: body[0].children[0].title: expected a string, "
                      "got false");
#undef META
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Random edits of the golden text: whatever the reader accepts must write,
 * read back and write again to the same bytes; whatever it refuses, it
 * refuses with a status and a message. */
static void test_mutations(void **state)
{
    (void)state;
    static const char alphabet[] = "{}[]\",:0123456789-+.eE \\u\ntrufalsn";
    uint64_t seed = UINT64_C(0x9E3779B97F4A7C15);
    const size_t n = strlen(sample_json);
    char *buf = malloc(n * 2);
    int accepted = 0, refused = 0;
    assert_non_null(buf);
    for (int round = 0; round < 1000; round++) {
        size_t len = n;
        memcpy(buf, sample_json, n);
        for (int e = 1 + (int)(xorshift(&seed) % 3); e > 0; e--) {
            size_t at = (size_t)(xorshift(&seed) % len);
            uint64_t r = xorshift(&seed);
            switch (r % 4) {
            case 0: /* replace with a JSON-ish byte */
                buf[at] = alphabet[(r >> 8) % (sizeof alphabet - 1)];
                break;
            case 1: /* replace with any byte */
                buf[at] = (char)(r >> 8);
                break;
            case 2: /* delete */
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
                break;
            default: /* duplicate */
                memmove(buf + at + 1, buf + at, len - at);
                len++;
                break;
            }
        }
        pk_doc *doc = NULL;
        pk_diag d = PK_DIAG_INIT;
        int rc = pk_read(reader, NULL, "m.json", buf, len, &doc, &d);
        if (rc == PK_OK) {
            accepted++;
            char *first = write_one(doc);
            pk_doc *back = read_json(first);
            char *second = write_one(back);
            PK_ASSERT_STR(first, second);
            free(first);
            free(second);
            pk_doc_free(back);
            pk_doc_free(doc);
        } else {
            refused++;
            assert_null(doc);
            assert_int_equal(d.status, rc);
            assert_true(rc == PK_EPARSE || rc == PK_EINPUT);
            assert_true(d.message[0] != '\0');
            assert_string_equal(d.file, "m.json");
        }
    }
    free(buf);
    /* Both paths were exercised. */
    assert_true(accepted > 100);
    assert_true(refused > 100);
}

/* The core's own checks run after the reader: only their status is ours to
 * assert. */
static void test_read_validation(void **state)
{
    (void)state;
    char buf[1024];
    const char *meta_no_title = "{\"meta\": {\"date\": \"2022-08-25\"}}";
    read_error("v.json", meta_no_title, strlen(meta_no_title), PK_EINPUT, buf,
               sizeof buf);
    const char *no_title = "{\"date\": \"2022-08-25\", \"body\": []}";
    read_error("v.json", no_title, strlen(no_title), PK_EINPUT, buf,
               sizeof buf);
    const char *bad_date =
        "{\"meta\": {\"title\": \"T\", \"date\": \"25 Aug\"}}";
    read_error("v.json", bad_date, strlen(bad_date), PK_EINPUT, buf,
               sizeof buf);
    const char *bad_title = "{\"title\": 3, \"date\": \"2022-08-25\"}";
    read_error("v.json", bad_title, strlen(bad_title), PK_EINPUT, buf,
               sizeof buf);
}

/* ---- markdown -> json -> json ------------------------------------------ */

static const char markdown_text[] =
    "---\n"
    "title: \"Test release \xe2\x80\x94 \\\"quoted\\\"\"\n"
    "date: 2021-03-04\n"
    "url: https://example.org/releases/test\n"
    "ministers:\n"
    "  - Hon First Minister\n"
    "  - Hon Second\xc2\xa0Minister\n"
    "portfolios: Health\n"
    "count: 3\n"
    "ratio: 0.25\n"
    "flag: yes\n"
    "empty: null\n"
    "nested: {a: [1, 2.5, true], b: ~}\n"
    "---\n"
    "\n"
    "- First highlight\n"
    "- Second highlight with a non\xe2\x80\x91" "breaking hyphen\n"
    "\n"
    "A lead paragraph with *emphasis*, **strength**, `code` and a\n"
    "[link](https://example.org \"its title\").\n"
    "\n"
    "\xe2\x80\x9c" "A quote that runs on,\xe2\x80\x9d Second Minister said.\n"
    "\n"
    "## A heading\n"
    "\n"
    "> Quoted text  \n"
    "> after a hard break.\n"
    "\n"
    "3. three\n"
    "4. four\n"
    "\n"
    "```sh\n"
    "echo \"hi\"\n"
    "```\n"
    "\n"
    "<div>raw html</div>\n"
    "\n"
    "***\n"
    "\n"
    "![an image](pic.png) and <b>inline</b> html.\n";

static void test_markdown_round_trip(void **state)
{
    (void)state;
    if (!markdown)
        skip();
    pk_doc *doc = read_with(markdown, "/a/b/test.md", markdown_text,
                            strlen(markdown_text));
    char *first = write_one(doc);
    save_sample("markdown.json", first);
    /* No trace of where the input lived. */
    assert_null(strstr(first, "/a/b"));
    assert_null(strstr(first, "test.md"));
    assert_non_null(strstr(first, "\"type\": \"block_quote\""));
    assert_non_null(strstr(first, "\"type\": \"linebreak\""));
    assert_non_null(strstr(first, "\"start\": 3"));
    assert_non_null(strstr(first, "\"title\": \"its title\""));
    assert_non_null(strstr(first, "\"flag\": \"yes\""));
    assert_non_null(strstr(first, "\"ratio\": 0.25"));
    assert_non_null(strstr(first, "Second\xc2\xa0Minister"));
    /* The analysis, after "lang". */
    const char *analysis =
        "  \"lang\": \"en\",\n"
        "  \"id\": \"https://example.org/releases/test\",\n"
        "  \"words\": 41,\n"
        "  \"reading_minutes\": 1,\n"
        "  \"highlights\": [\n"
        "    \"First highlight\",\n"
        "    \"Second highlight with a non\xe2\x80\x91" "breaking hyphen\"\n"
        "  ],\n"
        "  \"lead\": \"A lead paragraph with emphasis, strength, code and a "
        "link.\",\n"
        "  \"quotes\": [\n"
        "    {\n"
        /* "Second Minister said": a title, no name. */
        "      \"speaker\": null,\n"
        "      \"title\": \"Second Minister\",\n"
        "      \"minister\": null,\n"
        "      \"paragraphs\": [\n"
        "        2\n"
        "      ],\n"
        "      \"text\": \"A quote that runs on,\"\n"
        "    }\n"
        "  ],\n"
        "  \"meta\": {\n";
    if (!strstr(first, analysis))
        fail_msg("no\n%s\nin\n%s", analysis, first);
    pk_doc *back = read_json(first);
    char *second = write_one(back);
    PK_ASSERT_STR(first, second);
    /* The same input under another name gives the same bytes. */
    pk_doc *elsewhere = read_with(markdown, "other.md", markdown_text,
                                  strlen(markdown_text));
    char *third = write_one(elsewhere);
    PK_ASSERT_STR(first, third);
    free(first);
    free(second);
    free(third);
    pk_doc_free(doc);
    pk_doc_free(back);
    pk_doc_free(elsewhere);
}

/* ---- threads ---------------------------------------------------------- */

enum { THREADS = 8, ROUNDS = 25 };

/* Each thread reads the golden text and writes it again, ROUNDS times;
 * returns NULL when every output matched. */
static void *thread_main(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pk_doc *doc = NULL;
        pk_sink *sink = NULL;
        void *w;
        pk_diag d = PK_DIAG_INIT;
        const char *bad = "failed";
        if (pk_read(reader, NULL, "t.json", sample_json, strlen(sample_json),
                    &doc, &d) == PK_OK &&
            pk_sink_new_memory(&sink) == PK_OK &&
            writer->writer->open(&w, sink, NULL, PK_OUTPUT_SINGLE, &d) ==
                PK_OK) {
            int rc = writer->writer->write(w, doc, &d);
            if (writer->writer->close(w, &d) == PK_OK && rc == PK_OK &&
                strcmp(pk_sink_memory_data(sink, NULL), sample_json) == 0)
                bad = NULL;
        }
        pk_sink_free(sink);
        pk_doc_free(doc);
        if (bad)
            return (void *)bad;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, NULL), 0);
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        void *res;
        assert_int_equal(pthread_join(t[i], &res), 0);
        failures += res != NULL;
    }
    assert_int_equal(failures, 0);
}

/* ---- main ------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    pk_diag d = PK_DIAG_INIT;
    char buf[2048];
    if (pk_context_new(&ctx) != PK_OK)
        return -1;
    for (size_t i = 0; i < 3 && module_paths[i]; i++) {
        if (pk_context_load_file(ctx, module_paths[i], &d) != PK_OK) {
            fprintf(stderr, "cannot load %s: %s\n", module_paths[i],
                    pk_diag_format(&d, buf, sizeof buf));
            return -1;
        }
    }
    reader = pk_context_find(ctx, PK_PLUGIN_READER, "json");
    writer = pk_context_find(ctx, PK_PLUGIN_WRITER, "json");
    markdown = pk_context_find(ctx, PK_PLUGIN_READER, "markdown");
    return reader && writer ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pk_context_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s JSON_READER JSON_WRITER [MARKDOWN_READER]\n",
                argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        module_paths[i - 1] = argv[i];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptors),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_golden_round_trip),
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_empty_and_defaults),
        cmocka_unit_test(test_analysis),
        cmocka_unit_test(test_unanalysed),
        cmocka_unit_test(test_id_survives),
        cmocka_unit_test(test_multi_document),
        cmocka_unit_test(test_single_output_refuses_second),
        cmocka_unit_test(test_writer_refuses),
        cmocka_unit_test(test_writer_large_maps),
        cmocka_unit_test(test_depth_limits),
        cmocka_unit_test(test_sink_failure),
        cmocka_unit_test(test_read_hand_written),
        cmocka_unit_test(test_read_ignores_derived),
        cmocka_unit_test(test_read_syntax_errors),
        cmocka_unit_test(test_read_lenient),
        cmocka_unit_test(test_read_structure_errors),
        cmocka_unit_test(test_read_validation),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_markdown_round_trip),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
