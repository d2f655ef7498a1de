/*
 * quotes.c - the quotes writer: one row per quote of each release (date,
 * speaker, title, release id, text), for people who study who said what
 * (plugins/quotes/README.md).
 *
 *     presskit -t quotes archive/ | grep Mahuta
 *
 * TSV by default: a header row, then tab-separated rows with tab,
 * newline, carriage return and backslash escaped.  With quotes.format=jsonl,
 * JSON Lines made with jansson.  Several documents into one output just
 * append rows.  A document's rows are built in memory and written at once,
 * so memory is bounded by the largest release and a document that cannot
 * be converted leaves the output as it was.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <presskit/presskit.h>

/* Insertion order is the key order; non-ASCII text stays UTF-8. */
#define JSONL_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

static const char tsv_header[] = "date\tspeaker\ttitle\tid\ttext\n";

typedef enum format { FORMAT_TSV, FORMAT_JSONL } format;

/* The state of one output. */
typedef struct writer {
    pk_sink *sink;   /* borrowed until close */
    format fmt;
    int status;      /* the error that spoiled the output, PK_OK if none */
} writer;

/* A growable byte buffer; failed is sticky, so callers check once. */
typedef struct buf {
    char *data;
    size_t len, cap;
    bool failed;
} buf;

static void buf_put(buf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void buf_puts(buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

/* Returns the length of the well-formed UTF-8 character at s[0..len) (no
 * overlong forms, surrogates or code points above U+10FFFF), or 0. */
static size_t utf8_char(const unsigned char *s, size_t len)
{
    return pk_utf8_decode((const char *)s, len, NULL);
}

/*
 * Appends s (NULL: nothing) to b as UTF-8, each byte that does not begin
 * a well-formed character replaced by U+FFFD, so that the output is always
 * UTF-8 (and jansson accepts it).  With tsv, also escapes tab, newline,
 * carriage return and backslash as \t, \n, \r and \\, so a field never
 * spans a tab or a line.
 */
static void put_text(buf *b, const char *s, bool tsv)
{
    if (!s)
        return;
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), run = 0, i = 0;
    while (i < len) {
        const char *esc = NULL;
        size_t n = 1;
        if (tsv) {
            switch (u[i]) {
            case '\t': esc = "\\t"; break;
            case '\n': esc = "\\n"; break;
            case '\r': esc = "\\r"; break;
            case '\\': esc = "\\\\"; break;
            default: break;
            }
        }
        if (!esc && (n = utf8_char(u + i, len - i)) != 0) {
            i += n;
            continue;
        }
        buf_put(b, s + run, i - run);
        buf_puts(b, esc ? esc : "\xEF\xBF\xBD");
        run = ++i;
    }
    buf_put(b, s + run, i - run);
}

/* One TSV row: date, speaker, title, id, text. */
static void tsv_row(buf *b, const pk_doc *doc, const pk_quote *q)
{
    put_text(b, pk_doc_date_string(doc), true);
    buf_put(b, "\t", 1);
    put_text(b, pk_quote_speaker(q), true);
    buf_put(b, "\t", 1);
    put_text(b, pk_quote_title(q), true);
    buf_put(b, "\t", 1);
    put_text(b, pk_doc_id(doc), true);
    buf_put(b, "\t", 1);
    put_text(b, pk_quote_text(q), true);
    buf_put(b, "\n", 1);
}

/* Returns a new JSON string of s made UTF-8, or null when s is NULL; NULL
 * on out of memory. */
static json_t *jstring(const char *s)
{
    if (!s)
        return json_null();
    buf t = {0};
    put_text(&t, s, false);
    json_t *j = t.failed ? NULL : json_stringn(t.data ? t.data : "", t.len);
    free(t.data);
    return j;
}

static int dump_to_buf(const char *data, size_t size, void *payload)
{
    buf *b = payload;
    buf_put(b, data, size);
    return b->failed ? -1 : 0;
}

/* One JSON Lines row: date, speaker, title, id, text, paragraphs. */
static void jsonl_row(buf *b, const pk_doc *doc, const pk_quote *q)
{
    json_t *o = json_object();
    json_t *paras = json_array();
    int rc = 0; /* each call returns 0 or -1 (and frees the value) */

    if (!o || !paras) {
        json_decref(paras);
        goto out;
    }
    for (size_t i = 0; i < pk_quote_paragraph_count(q); i++)
        rc |= json_array_append_new(
            paras, json_integer((json_int_t)pk_quote_paragraph_index(q, i)));
    rc |= json_object_set_new(o, "date", jstring(pk_doc_date_string(doc)));
    rc |= json_object_set_new(o, "speaker", jstring(pk_quote_speaker(q)));
    rc |= json_object_set_new(o, "title", jstring(pk_quote_title(q)));
    rc |= json_object_set_new(o, "id", jstring(pk_doc_id(doc)));
    rc |= json_object_set_new(o, "text", jstring(pk_quote_text(q)));
    rc |= json_object_set_new(o, "paragraphs", paras);
    if (rc == 0 && json_dump_callback(o, dump_to_buf, b, JSONL_FLAGS) == 0) {
        buf_put(b, "\n", 1);
        json_decref(o);
        return;
    }
out:
    json_decref(o);
    b->failed = true;
}

/* An output error: the sink's sticky one. */
static int output_failed(writer *w, pk_diag *diag)
{
    int rc = pk_sink_error(w->sink);
    if (rc == PK_OK)
        rc = PK_EIO;
    w->status = rc;
    return pk_diag_set(diag, rc, pk_sink_name(w->sink), 0, 0,
                       "quotes writer: cannot write the output: %s",
                       pk_status_str(rc));
}

static int quotes_open(void **state, pk_sink *sink, const pk_options *opts,
                       unsigned mode, pk_diag *diag)
{
    (void)mode; /* one document or many: rows are rows */
    const char *v = opts ? pk_options_get(opts, "format") : NULL;
    format fmt;
    if (!v || strcmp(v, "tsv") == 0) {
        fmt = FORMAT_TSV;
    } else if (strcmp(v, "jsonl") == 0) {
        fmt = FORMAT_JSONL;
    } else {
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "option quotes.format: expected tsv or jsonl, "
                           "got \"%s\"", v);
    }
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
    w->sink = sink;
    w->fmt = fmt;
    /* The header goes first, so that an output without quotes is still a
     * table, and once per output however many documents follow. */
    if (fmt == FORMAT_TSV && pk_sink_puts(sink, tsv_header) != PK_OK) {
        int rc = output_failed(w, diag);
        free(w);
        return rc;
    }
    *state = w;
    return PK_OK;
}

static int quotes_write(void *state, const pk_doc *doc, pk_diag *diag)
{
    writer *w = state;
    buf b = {0};
    int rc = PK_OK;

    if (w->status)
        return pk_diag_set(diag, w->status, pk_sink_name(w->sink), 0, 0,
                           "quotes writer: the output failed earlier");
    for (size_t i = 0; i < pk_doc_quote_count(doc) && !b.failed; i++) {
        const pk_quote *q = pk_doc_quote(doc, i);
        if (w->fmt == FORMAT_TSV)
            tsv_row(&b, doc, q);
        else
            jsonl_row(&b, doc, q);
    }
    if (b.failed)
        rc = pk_diag_set(diag, PK_ENOMEM, pk_doc_source(doc), 0, 0,
                         "quotes writer: out of memory");
    else if (b.len && pk_sink_write(w->sink, b.data, b.len) != PK_OK)
        rc = output_failed(w, diag);
    free(b.data);
    return rc;
}

static int quotes_close(void *state, pk_diag *diag)
{
    writer *w = state;
    int rc = w->status;
    if (rc)
        pk_diag_set(diag, rc, pk_sink_name(w->sink), 0, 0,
                    "quotes writer: the output failed earlier");
    free(w);
    return rc;
}

/* With jsonl the output is still named .tsv: a descriptor is constant. */
static const char *const extensions[] = {"tsv", NULL};

static const pk_option_def options[] = {
    {"format", PK_OPTION_STRING, "tsv",
     "tsv (a header row, then one tab-separated row per quote) or jsonl "
     "(one JSON object per quote and line)"},
    {NULL, 0, NULL, NULL},
};

static const pk_writer_ops writer_ops = {quotes_open, quotes_write,
                                         quotes_close};

static const pk_plugin quotes_writer = {
    PK_PLUGIN_HEADER,
    .name = "quotes",
    .kind = PK_PLUGIN_WRITER,
    .version = PK_VERSION_STRING,
    .summary = "one row per quote: date, speaker, title, release id, text "
               "(TSV or JSON Lines)",
    .extensions = extensions,
    .media_type = "text/tab-separated-values",
    .flags = 0,
    .options = options,
    .writer = &writer_ops,
};

PK_PLUGIN_DEFINE(quotes_writer)
