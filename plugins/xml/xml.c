/*
 * xml.c - the xml writer: each pk_doc as canonical XML (docs/xml-format.md,
 * schema docs/presskit-release.rnc).
 *
 * Lossless like the JSON: the known fields, every front-matter value with
 * its type, the analysis and the whole body tree, one element per node,
 * text always inside a leaf element so whitespace between elements never
 * matters.  A document is streamed through xmlTextWriter into the sink
 * and flushed when it ends, so memory is bounded by the largest release.
 * Several documents into one output are wrapped in <releases>; a
 * single-document output has <release> as its root.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <presskit/presskit.h>

#include "xmlout.h"

/* The namespace of the format; a new major version gets a new one. */
#define PK_XML_NS "https://presskit.invalid/ns/release/1"

/* The state of one output. */
typedef struct writer {
    pkx_out out;
    bool single;      /* PK_OUTPUT_SINGLE: <release> is the root */
    size_t count;     /* documents written so far */
    int status;       /* the error that spoiled the output, PK_OK if none */
} writer;

/* Records a failure of the output itself. */
static int output_failed(writer *w, pk_diag *diag)
{
    w->status = pkx_out_status(&w->out);
    return pk_diag_set(diag, w->status, pk_sink_name(w->out.sink), 0, 0,
                       "xml writer: cannot write the output: %s",
                       pk_status_str(w->status));
}

/* ---- metadata --------------------------------------------------------- */

/* Formats a finite double as an xsd:double that reads back to the same
 * number: 15 significant digits when they suffice (0.1 stays "0.1"),
 * else 17. */
static void format_real(double r, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.15g", r);
    if (strtod(buf, NULL) != r)
        snprintf(buf, cap, "%.17g", r);
    /* A locale with a decimal comma must not leak into the format. */
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
}

/* Writes value v as a typed element, with a key attribute when key is not
 * NULL (a map's pair) and none for a list's item.  Nesting was checked
 * (pkx_value_depth), so the recursion is bounded. */
static int write_value(pkx_out *o, const pk_value *v, const char *key,
                       size_t key_len)
{
    pk_value_type type = pk_value_type_of(v);
    char num[40];
    size_t len;
    const char *s;

    if (pkx_start(o, pk_value_type_name(type)) < 0 ||
        (key && pkx_attr(o, "key", key, key_len) < 0))
        return -1;
    switch (type) {
    case PK_VALUE_NULL:
        return pkx_end(o);
    case PK_VALUE_BOOL:
        s = pk_value_bool(v) ? "true" : "false";
        return pkx_ctext(o, s) < 0 ? -1 : pkx_full_end(o);
    case PK_VALUE_INTEGER:
        snprintf(num, sizeof num, "%" PRId64, pk_value_integer(v));
        return pkx_ctext(o, num) < 0 ? -1 : pkx_full_end(o);
    case PK_VALUE_REAL:
        format_real(pk_value_real(v), num, sizeof num);
        return pkx_ctext(o, num) < 0 ? -1 : pkx_full_end(o);
    case PK_VALUE_STRING:
        s = pk_value_string(v, &len);
        return pkx_text(o, s, len) < 0 ? -1 : pkx_full_end(o);
    case PK_VALUE_LIST:
        for (size_t i = 0; i < pk_value_count(v); i++)
            if (write_value(o, pk_value_at(v, i), NULL, 0) < 0)
                return -1;
        return pkx_end(o);
    case PK_VALUE_MAP:
        for (size_t i = 0; i < pk_value_count(v); i++) {
            const char *k = pk_value_key_at(v, i, &len);
            if (write_value(o, pk_value_at(v, i), k, len) < 0)
                return -1;
        }
        return pkx_end(o);
    }
    return pkx_end(o);
}

/* <NAME><ITEM>…</ITEM>…</NAME> for a list of the known fields. */
static int write_strings(pkx_out *o, const char *name, const char *item,
                         const pk_doc *doc, size_t n,
                         const char *(*at)(const pk_doc *, size_t))
{
    if (pkx_start(o, name) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (pkx_element(o, item, at(doc, i)) < 0)
            return -1;
    return pkx_end(o);
}

/* ---- analysis --------------------------------------------------------- */

/* The index of node among the body's top-level blocks, or -1. */
static long block_index(const pk_doc *doc, const pk_node *node)
{
    long i = 0;
    if (!node || pk_node_parent(node) != pk_doc_root(doc))
        return -1;
    for (const pk_node *n = pk_node_first_child(pk_doc_root(doc)); n;
         n = pk_node_next(n), i++)
        if (n == node)
            return i;
    return -1;
}

/* <NAME block="N"/>, when node is a top-level block. */
static int write_reference(pkx_out *o, const char *name, const pk_doc *doc,
                           const pk_node *node)
{
    char num[24];
    long i = block_index(doc, node);
    if (i < 0)
        return 0;
    snprintf(num, sizeof num, "%ld", i);
    if (pkx_start(o, name) < 0 || pkx_cattr(o, "block", num) < 0)
        return -1;
    return pkx_end(o);
}

static int write_quote(pkx_out *o, const pk_quote *q)
{
    char num[24];
    pkx_buf list = {0};
    int rc = -1;

    if (pkx_start(o, "quote") < 0 ||
        (pk_quote_speaker(q) && pkx_cattr(o, "speaker", pk_quote_speaker(q)) < 0) ||
        (pk_quote_title(q) && pkx_cattr(o, "title", pk_quote_title(q)) < 0))
        goto out;
    if (pk_quote_minister(q) >= 0) {
        snprintf(num, sizeof num, "%ld", pk_quote_minister(q));
        if (pkx_cattr(o, "minister", num) < 0)
            goto out;
    }
    for (size_t i = 0; i < pk_quote_paragraph_count(q); i++) {
        int n = snprintf(num, sizeof num, "%s%zu", i ? " " : "",
                         pk_quote_paragraph_index(q, i));
        if (pkx_buf_add(&list, num, (size_t)n) < 0)
            goto out;
    }
    if (pkx_attr(o, "paragraphs", list.data, list.len) < 0 ||
        pkx_element(o, "text", pk_quote_text(q)) < 0)
        goto out;
    rc = pkx_end(o);
out:
    pkx_buf_free(&list);
    return rc;
}

static int write_analysis(pkx_out *o, const pk_doc *doc)
{
    char num[24];
    if (pkx_start(o, "analysis") < 0 ||
        (pk_doc_id(doc) && pkx_element(o, "id", pk_doc_id(doc)) < 0))
        return -1;
    snprintf(num, sizeof num, "%zu", pk_doc_word_count(doc));
    if (pkx_element(o, "words", num) < 0)
        return -1;
    snprintf(num, sizeof num, "%u", pk_doc_reading_minutes(doc));
    if (pkx_element(o, "reading-minutes", num) < 0 ||
        write_reference(o, "highlights", doc, pk_doc_highlights(doc)) < 0 ||
        write_reference(o, "lead", doc, pk_doc_lead(doc)) < 0 ||
        pkx_start(o, "quotes") < 0)
        return -1;
    for (size_t i = 0; i < pk_doc_quote_count(doc); i++)
        if (write_quote(o, pk_doc_quote(doc, i)) < 0)
            return -1;
    return pkx_end(o) < 0 ? -1 : pkx_end(o);
}

/* ---- body ------------------------------------------------------------- */

/* The start tag and attributes of node's element, and a leaf's text and
 * end tag. */
static int enter_node(pkx_out *o, const pk_node *node)
{
    pk_node_type type = pk_node_get_type(node);
    char num[24];
    const char *s;
    size_t len;

    if (pkx_start(o, type == PK_NODE_DOCUMENT ? "body"
                                              : pk_node_type_name(type)) < 0)
        return -1;
    switch (type) {
    case PK_NODE_HEADING:
        snprintf(num, sizeof num, "%d", pk_node_heading_level(node));
        return pkx_cattr(o, "level", num);
    case PK_NODE_LIST:
        if (pk_node_list_type(node) == PK_LIST_ORDERED) {
            snprintf(num, sizeof num, "%ld", pk_node_list_start(node));
            if (pkx_cattr(o, "type", "ordered") < 0 ||
                pkx_cattr(o, "start", num) < 0)
                return -1;
        } else if (pkx_cattr(o, "type", "bullet") < 0) {
            return -1;
        }
        return pkx_cattr(o, "tight", pk_node_list_tight(node) ? "true" : "false");
    case PK_NODE_LINK:
    case PK_NODE_IMAGE:
        s = pk_node_title(node);
        if (pkx_cattr(o, "url", pk_node_url(node)) < 0 ||
            (s && *s && pkx_cattr(o, "title", s) < 0))
            return -1;
        return 0;
    case PK_NODE_CODE_BLOCK:
        s = pk_node_fence_info(node);
        if (s && *s && pkx_cattr(o, "info", s) < 0)
            return -1;
        /* fall through */
    case PK_NODE_HTML_BLOCK:
    case PK_NODE_TEXT:
    case PK_NODE_CODE:
    case PK_NODE_HTML_INLINE:
        s = pk_node_literal(node, &len);
        return pkx_text(o, s, len) < 0 ? -1 : pkx_full_end(o);
    case PK_NODE_THEMATIC_BREAK:
    case PK_NODE_SOFTBREAK:
    case PK_NODE_LINEBREAK:
        return pkx_end(o);
    case PK_NODE_NONE:
    case PK_NODE_DOCUMENT:
    case PK_NODE_BLOCK_QUOTE:
    case PK_NODE_ITEM:
    case PK_NODE_PARAGRAPH:
    case PK_NODE_EMPH:
    case PK_NODE_STRONG:
        break;
    }
    return 0;
}

/* <body> and the tree, walked without recursion. */
static int write_body(pkx_out *o, const pk_doc *doc)
{
    pk_iter *it = pk_iter_new(pk_doc_root(doc));
    pk_event ev;
    int rc = 0;
    if (!it)
        return -1;
    while (rc >= 0 && (ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        const pk_node *node = pk_iter_node(it);
        if (ev == PK_EVENT_ENTER)
            rc = enter_node(o, node);
        else if (ev == PK_EVENT_EXIT)
            rc = pkx_end(o);
    }
    pk_iter_free(it);
    return rc;
}

/* ---- the release ------------------------------------------------------ */

static int write_release(pkx_out *o, const pk_doc *doc, bool root)
{
    const pk_value *meta = pk_doc_meta(doc);

    if (pkx_start(o, "release") < 0 ||
        (root && xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns",
                                             BAD_CAST PK_XML_NS) < 0) ||
        pkx_element(o, "title", pk_doc_title(doc)) < 0 ||
        pkx_element(o, "date", pk_doc_date_string(doc)) < 0 ||
        (pk_doc_url(doc) && pkx_element(o, "url", pk_doc_url(doc)) < 0) ||
        pkx_element(o, "lang", pk_doc_lang(doc)) < 0 ||
        write_strings(o, "ministers", "minister", doc,
                      pk_doc_minister_count(doc), pk_doc_minister) < 0 ||
        write_strings(o, "portfolios", "portfolio", doc,
                      pk_doc_portfolio_count(doc), pk_doc_portfolio) < 0 ||
        pkx_start(o, "meta") < 0)
        return -1;
    for (size_t i = 0; i < pk_value_count(meta); i++) {
        size_t len;
        const char *key = pk_value_key_at(meta, i, &len);
        if (write_value(o, pk_value_at(meta, i), key, len) < 0)
            return -1;
    }
    if (pkx_end(o) < 0 || write_analysis(o, doc) < 0 || write_body(o, doc) < 0)
        return -1;
    return pkx_end(o);
}

/* ---- the writer ------------------------------------------------------- */

static int xml_open(void **state, pk_sink *sink, const pk_options *opts,
                    unsigned mode, pk_diag *diag)
{
    writer *w = calloc(1, sizeof *w);
    bool indent = !opts || pk_options_get_bool(opts, "indent");
    if (!w || pkx_out_open(&w->out, sink, indent) != PK_OK) {
        free(w);
        return pk_diag_set(diag, PK_ENOMEM, pk_sink_name(sink), 0, 0,
                           "out of memory");
    }
    w->single = (mode & PK_OUTPUT_SINGLE) != 0;
    if (!w->single &&
        (xmlTextWriterStartDocument(w->out.w, NULL, "UTF-8", NULL) < 0 ||
         pkx_start(&w->out, "releases") < 0 ||
         xmlTextWriterWriteAttribute(w->out.w, BAD_CAST "xmlns",
                                     BAD_CAST PK_XML_NS) < 0)) {
        int rc = output_failed(w, diag);
        pkx_out_close(&w->out);
        free(w);
        return rc;
    }
    *state = w;
    return PK_OK;
}

static int xml_write(void *state, const pk_doc *doc, pk_diag *diag)
{
    writer *w = state;
    const char *src = pk_doc_source(doc);

    if (w->status)
        return pk_diag_set(diag, w->status, pk_sink_name(w->out.sink), 0, 0,
                           "xml writer: the output failed earlier");
    if (w->single && w->count > 0)
        return pk_diag_set(diag, PK_EINVAL, pk_sink_name(w->out.sink), 0, 0,
                           "xml writer: a second document for a "
                           "single-document output");
    if (!pk_doc_title(doc) || !pk_doc_date_string(doc))
        return pk_diag_set(diag, PK_EINVAL, src, 0, 0,
                           "xml writer: the document was not validated");
    /* Refused before a byte of it is written, so the output stays whole. */
    if (pkx_node_depth(pk_doc_root(doc), PKX_MAX_DEPTH) > PKX_MAX_DEPTH)
        return pk_diag_set(diag, PK_ELIMIT, src, 0, 0,
                           "body: nested deeper than the %zu levels an XML "
                           "parser accepts by default", PKX_MAX_DEPTH);
    if (pkx_value_depth(pk_doc_meta(doc), PKX_MAX_DEPTH) > PKX_MAX_DEPTH)
        return pk_diag_set(diag, PK_ELIMIT, src, 0, 0,
                           "meta: nested deeper than the %zu levels an XML "
                           "parser accepts by default", PKX_MAX_DEPTH);

    if ((w->single &&
         xmlTextWriterStartDocument(w->out.w, NULL, "UTF-8", NULL) < 0) ||
        write_release(&w->out, doc, w->single) < 0 ||
        (w->single && xmlTextWriterEndDocument(w->out.w) < 0) ||
        pkx_out_flush(&w->out) != PK_OK)
        return output_failed(w, diag);
    w->count++;
    return PK_OK;
}

static int xml_close(void *state, pk_diag *diag)
{
    writer *w = state;
    int rc = w->status;
    if (rc)
        pk_diag_set(diag, rc, pk_sink_name(w->out.sink), 0, 0,
                    "xml writer: the output failed earlier");
    else if ((!w->single && xmlTextWriterEndDocument(w->out.w) < 0) ||
             pkx_out_flush(&w->out) != PK_OK)
        rc = output_failed(w, diag);
    pkx_out_close(&w->out);
    free(w);
    return rc;
}

static const char *const extensions[] = {"xml", NULL};

static const pk_option_def options[] = {
    {"indent", PK_OPTION_BOOL, "true",
     "indent nested elements two spaces (text is never touched)"},
    {NULL, 0, NULL, NULL},
};

static const pk_writer_ops writer_ops = {xml_open, xml_write, xml_close};

static const pk_plugin xml_writer = {
    PK_PLUGIN_HEADER,
    "xml",
    PK_PLUGIN_WRITER,
    PK_VERSION_STRING,
    "canonical presskit XML, lossless: every field, value and node",
    extensions,
    "application/xml",
    0,
    options,
    NULL,
    &writer_ops,
};

PK_PLUGIN_DEFINE(xml_writer)
