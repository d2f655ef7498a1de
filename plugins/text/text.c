/*
 * text.c - the text writer: a release as plain text for email and
 * terminals.
 *
 *     Title of the release
 *     ====================
 *
 *     Date: 2024-02-12
 *     Ministers: Hon A, Hon B
 *     Portfolios: Transport
 *     URL: https://example.govt.nz/release/x
 *
 *       * the first highlight
 *       * the second
 *
 *     The body, paragraphs wrapped at text.width columns…
 *
 * The title is wrapped like a paragraph and underlined to its widest
 * line; a metadata field that runs long continues under its value.  The
 * highlights (the analysis's bullet list) come right after the metadata
 * and are not repeated in the body.  With text.quotes=true a "Quotes"
 * section follows the body: one item per quote, `Speaker (Title): “…”`,
 * "Unattributed" standing in for a missing speaker, each paragraph of a
 * quote opening with “ and the last closing with ” (the convention the
 * releases follow); a release with no quotes has no such section.
 *
 * Widths are display widths (width.c): a CJK character takes two columns,
 * a combining mark none.  Several documents in one output are separated
 * by a line holding only a form feed.  render.c says what each body block
 * and inline becomes.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define DEFAULT_WIDTH 72
/* Narrower than this, wrapped text stops being readable prose. */
#define MIN_WIDTH 20

static const pk_option_def options[] = {
    {"width", PK_OPTION_INT, "72",
     "wrap lines at this many columns (0: no wrapping, else at least 20)"},
    {"quotes", PK_OPTION_BOOL, "false",
     "append a Quotes section listing each attributed quote"},
    {NULL, 0, NULL, NULL}
};

/* The state of one output. */
typedef struct writer {
    pk_sink *sink;     /* borrowed until close */
    bool quotes;       /* text.quotes */
    size_t count;      /* documents written so far */
    int status;        /* the error that spoiled the output, PK_OK if none */
    tx_out out;
} writer;

static int text_open(void **state, pk_sink *sink, const pk_options *opts,
                     unsigned mode, pk_diag *diag)
{
    (void)mode;   /* one document or many look the same, bar the \f */
    long width = DEFAULT_WIDTH;
    bool quotes = false;
    if (opts) {
        width = pk_options_get_int(opts, "width");
        quotes = pk_options_get_bool(opts, "quotes");
    }
    if (width != 0 && width < MIN_WIDTH)
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "option text.width: expected 0 (no wrapping) or "
                           "at least %d columns, got %ld", MIN_WIDTH, width);
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
    w->sink = sink;
    w->quotes = quotes;
    w->out.sink = sink;
    w->out.width = (size_t)width;
    *state = w;
    return PK_OK;
}

/* Writes one metadata field, continuing under its value when it wraps. */
static int field(tx_out *out, tx_buf *value, const char *label)
{
    if (value->failed)
        return out->status = PK_ENOMEM;
    char first[TX_PREFIX_MAX], cont[TX_PREFIX_MAX];
    size_t n = strlen(label);
    memcpy(first, label, n + 1);
    memset(cont, ' ', n);
    cont[n] = '\0';
    if (!tx_out_push(out, first, cont))
        return PK_ENOMEM;
    int rc = tx_out_wrapped(out, value->data ? value->data : "", value->len,
                            NULL);
    tx_out_pop(out);
    return rc;
}

/* Writes a list-valued field ("Ministers: A, B"); nothing if empty. */
static int list_field(tx_out *out, tx_buf *tmp, const char *label,
                      const pk_doc *doc,
                      size_t (*count)(const pk_doc *),
                      const char *(*item)(const pk_doc *, size_t))
{
    size_t n = count(doc);
    if (n == 0)
        return PK_OK;
    tx_buf_reset(tmp);
    for (size_t i = 0; i < n; i++) {
        const char *s = item(doc, i);
        if (i)
            tx_buf_add(tmp, ", ", 2);
        tx_buf_add_clean(tmp, s ? s : "", s ? strlen(s) : 0, TX_FLOW);
    }
    return field(out, tmp, label);
}

static int header(tx_out *out, const pk_doc *doc)
{
    tx_buf tmp = TX_BUF_INIT;
    const char *s = pk_doc_title(doc);
    size_t widest = 0;
    int rc;
    tx_buf_add_clean(&tmp, s ? s : "", s ? strlen(s) : 0, TX_FLOW);
    if (tmp.failed)
        rc = out->status = PK_ENOMEM;
    else
        rc = tx_out_wrapped(out, tmp.data ? tmp.data : "", tmp.len, &widest);
    if (rc == PK_OK && widest > 0)
        rc = tx_out_rule(out, '=', widest);
    if (rc == PK_OK)
        rc = tx_out_blank(out);
    if (rc == PK_OK) {
        s = pk_doc_date_string(doc);
        tx_buf_reset(&tmp);
        tx_buf_add_clean(&tmp, s ? s : "", s ? strlen(s) : 0, TX_FLOW);
        rc = field(out, &tmp, "Date: ");
    }
    if (rc == PK_OK)
        rc = list_field(out, &tmp, "Ministers: ", doc, pk_doc_minister_count,
                        pk_doc_minister);
    if (rc == PK_OK)
        rc = list_field(out, &tmp, "Portfolios: ", doc,
                        pk_doc_portfolio_count, pk_doc_portfolio);
    if (rc == PK_OK && (s = pk_doc_url(doc)) != NULL) {
        tx_buf_reset(&tmp);
        tx_buf_add_clean(&tmp, s, strlen(s), TX_FLOW);
        rc = field(out, &tmp, "URL: ");
    }
    tx_buf_free(&tmp);
    return rc;
}

/* Writes paragraph text[0..len) of a quote as part of its item. */
static int quote_paragraph(tx_out *out, tx_buf *tmp, const char *label,
                           const char *text, size_t len, bool last)
{
    tx_buf_reset(tmp);
    if (label) {
        tx_buf_add_clean(tmp, label, strlen(label), TX_FLOW);
        tx_buf_add(tmp, ": ", 2);
    }
    tx_buf_puts(tmp, "\xE2\x80\x9C");   /* “ */
    tx_buf_add_clean(tmp, text, len, TX_FLOW);
    if (last)
        tx_buf_puts(tmp, "\xE2\x80\x9D");   /* ” */
    if (tmp->failed)
        return out->status = PK_ENOMEM;
    return tx_out_wrapped(out, tmp->data, tmp->len, NULL);
}

static int quote(tx_out *out, tx_buf *tmp, const pk_quote *q)
{
    const char *speaker = pk_quote_speaker(q);
    const char *title = pk_quote_title(q);
    tx_buf label = TX_BUF_INIT;
    tx_buf_puts(&label, speaker ? speaker : "Unattributed");
    if (title) {
        tx_buf_add(&label, " (", 2);
        tx_buf_puts(&label, title);
        tx_buf_add(&label, ")", 1);
    }
    tx_buf_add(&label, "", 1);   /* NUL-terminate */
    int rc = PK_OK;
    if (label.failed)
        rc = out->status = PK_ENOMEM;
    else if (!tx_out_push(out, "  * ", "    "))
        rc = PK_ENOMEM;
    if (rc != PK_OK) {
        tx_buf_free(&label);
        return rc;
    }
    /* The analysis joins a quote's paragraphs with "\n\n". */
    const char *s = pk_quote_text(q);
    if (!s)
        s = "";
    const char *end = s + strlen(s);
    bool first = true;
    while (rc == PK_OK) {
        const char *sep = strstr(s, "\n\n");
        const char *stop = sep ? sep : end;
        if (!first)
            rc = tx_out_blank(out);
        if (rc == PK_OK)
            rc = quote_paragraph(out, tmp, first ? label.data : NULL, s,
                                 (size_t)(stop - s), sep == NULL);
        first = false;
        if (!sep)
            break;
        s = sep + 2;
    }
    tx_out_pop(out);
    tx_buf_free(&label);
    return rc;
}

static int quotes_section(tx_out *out, const pk_doc *doc)
{
    size_t n = pk_doc_quote_count(doc);
    if (n == 0)
        return PK_OK;
    int rc = tx_out_blank(out);
    if (rc == PK_OK)
        rc = tx_out_line(out, "Quotes", 6);
    if (rc == PK_OK)
        rc = tx_out_rule(out, '-', 6);
    tx_buf tmp = TX_BUF_INIT;
    for (size_t i = 0; rc == PK_OK && i < n; i++) {
        const pk_quote *q = pk_doc_quote(doc, i);
        if (!q)
            continue;
        if ((rc = tx_out_blank(out)) == PK_OK)
            rc = quote(out, &tmp, q);
    }
    tx_buf_free(&tmp);
    return rc;
}

static int render(writer *w, const pk_doc *doc)
{
    tx_out *out = &w->out;
    tx_out_begin(out);
    int rc = header(out, doc);
    pk_node *highlights = pk_doc_highlights(doc);
    if (rc == PK_OK && highlights)
        rc = tx_render_block(out, highlights);
    for (pk_node *n = pk_node_first_child(pk_doc_root(doc));
         rc == PK_OK && n; n = pk_node_next(n))
        if (n != highlights)
            rc = tx_render_block(out, n);
    if (rc == PK_OK && w->quotes)
        rc = quotes_section(out, doc);
    return rc;
}

static int text_write(void *state, const pk_doc *doc, pk_diag *diag)
{
    writer *w = state;
    if (w->status != PK_OK)
        return pk_diag_set(diag, w->status, pk_doc_source(doc), 0, 0,
                           "text: the output failed earlier");
    if (w->count++ > 0)
        pk_sink_write(w->sink, "\f\n", 2);
    int rc = render(w, doc);
    if (rc == PK_OK)
        rc = pk_sink_error(w->sink);
    if (rc == PK_OK)
        return PK_OK;
    w->status = rc;
    if (rc == PK_ENOMEM)
        return pk_diag_set(diag, rc, pk_doc_source(doc), 0, 0,
                           "text: out of memory");
    return pk_diag_set(diag, rc, pk_doc_source(doc), 0, 0,
                       "text: writing %s failed: %s", pk_sink_name(w->sink),
                       pk_status_str(rc));
}

static int text_close(void *state, pk_diag *diag)
{
    writer *w = state;
    int rc = w->status;
    if (rc == PK_OK)
        rc = pk_sink_error(w->sink);
    if (rc != PK_OK)
        pk_diag_set(diag, rc, NULL, 0, 0, "text: writing %s failed: %s",
                    pk_sink_name(w->sink), pk_status_str(rc));
    tx_out_free(&w->out);
    free(w);
    return rc;
}

static const pk_writer_ops ops = {text_open, text_write, text_close};

static const char *const extensions[] = {"txt", NULL};

static const pk_plugin plugin = {
    PK_PLUGIN_HEADER, "text", PK_PLUGIN_WRITER, "1.0",
    "Plain text for email and terminals, wrapped by display width",
    extensions, "text/plain; charset=utf-8", 0, options, NULL, &ops,
};

PK_PLUGIN_DEFINE(plugin)
