/*
 * writer.c - the json writer: each pk_doc as canonical JSON
 * (docs/json-format.md).
 *
 * A document is written as text into the writer's buffer (emit.c: the
 * bytes jansson's dump would give, without building a jansson tree),
 * then handed to the pk_sink whole, so a document the writer refuses
 * leaves the output as it was, and memory is bounded by the largest
 * release.  Several documents into one output make a JSON array, or with
 * lines=true JSON Lines; a single-document output holds the object alone.
 * Besides meta and body, each object carries the core's analysis (id,
 * word count, highlights, lead, quotes) for consumers that want it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <presskit/presskit.h>

#include "common.h"
#include "emit.h"

/*
 * Keys are written in the order the format fixes.  Reals have 15
 * significant digits (emit.c): any decimal of at most 15 digits survives
 * the trip through a double, so 0.1 prints as "0.1" and reads back to the
 * same double, and a written number prints the same after every later
 * read and write (17 digits would be exact for every double but print
 * 0.1 as 0.10000000000000001).  Non-ASCII text is written as UTF-8.
 * Indented output uses two spaces; json.lines output is compact.
 */

/* The state of one output. */
typedef struct writer {
    pk_sink *sink;    /* borrowed until close */
    bool single;      /* PK_OUTPUT_SINGLE: one object, no array around it */
    bool lines;       /* json.lines: one compact object per line */
    size_t count;     /* documents written so far */
    int status;       /* the error that spoiled the output, PK_OK if none */
    pkj_out out;      /* the text of the document being written */
} writer;

/* Records an error in a document (path NULL: the document as a whole). */
static int fail(const pk_doc *doc, pk_diag *diag, int status,
                const pkj_path *at, const char *fmt, ...) PK_PRINTF(5, 6);
static int fail(const pk_doc *doc, pk_diag *diag, int status,
                const pkj_path *at, const char *fmt, ...)
{
    char msg[PK_DIAG_MESSAGE_MAX];
    char path[PKJ_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!at)
        return pk_diag_set(diag, status, pk_doc_source(doc), 0, 0, "%s", msg);
    return pk_diag_set(diag, status, pk_doc_source(doc), 0, 0, "%s: %s",
                       pkj_path_format(at, path), msg);
}

static int no_memory(const pk_doc *doc, pk_diag *diag)
{
    return fail(doc, diag, PK_ENOMEM, NULL, "out of memory");
}

/* A key of a map as it will be written: invalid UTF-8 replaced. */
typedef struct fixed_key {
    const char *s;
    size_t len;
    char *owned;      /* s, when it had to be fixed */
} fixed_key;

/* Maps this size or smaller are checked for duplicates pairwise. */
enum { SMALL_MAP = 16 };

static bool same_key(const fixed_key *a, const fixed_key *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static int by_key_then_index(const void *pa, const void *pb)
{
    const fixed_key *const *a = pa, *const *b = pb;
    size_t n = (*a)->len < (*b)->len ? (*a)->len : (*b)->len;
    int c = memcmp((*a)->s, (*b)->s, n);
    if (c)
        return c;
    if ((*a)->len != (*b)->len)
        return (*a)->len < (*b)->len ? -1 : 1;
    return (*a < *b) ? -1 : (*a > *b);
}

/*
 * Fills keys[0..n) with the written form of map v's keys and dup[i] with
 * whether key i repeats an earlier one.  Returns PK_OK or PK_ENOMEM.
 */
static int map_keys(const pk_value *v, size_t n, fixed_key *keys, bool *dup)
{
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *key = pk_value_key_at(v, i, &len);
        size_t fixed = pkj_utf8_fix(key, len, NULL);
        keys[i].s = key;
        keys[i].len = len;
        keys[i].owned = NULL;
        dup[i] = false;
        if (fixed != len) {
            if (!(keys[i].owned = malloc(fixed)))
                return PK_ENOMEM;
            pkj_utf8_fix(key, len, keys[i].owned);
            keys[i].s = keys[i].owned;
            keys[i].len = fixed;
        }
    }
    if (n <= SMALL_MAP) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i && !dup[i]; j++)
                dup[i] = same_key(&keys[j], &keys[i]);
        return PK_OK;
    }
    /* Sorted by key, then by position: each run of equal keys starts
     * with the first of them; the rest repeat it. */
    const fixed_key **order = malloc(n * sizeof *order);
    if (!order)
        return PK_ENOMEM;
    for (size_t i = 0; i < n; i++)
        order[i] = &keys[i];
    qsort(order, n, sizeof *order, by_key_then_index);
    for (size_t i = 1; i < n; i++)
        if (same_key(order[i - 1], order[i]))
            dup[order[i] - keys] = true;
    free(order);
    return PK_OK;
}

static int value_out(pkj_out *o, const pk_doc *doc, pk_diag *diag,
                     const pk_value *v, const pkj_path *at, size_t depth);

/* Writes the pairs of map v (opened already); see value_out. */
static int map_out(pkj_out *o, const pk_doc *doc, pk_diag *diag,
                   const pk_value *v, const pkj_path *at, size_t depth)
{
    size_t n = pk_value_count(v);
    fixed_key small_keys[SMALL_MAP], *keys = small_keys;
    bool small_dup[SMALL_MAP], *dup = small_dup;
    int rc = PK_OK;

    if (n > SMALL_MAP) {
        keys = calloc(n, sizeof *keys);
        dup = calloc(n, sizeof *dup);
        if (!keys || !dup) {
            free(keys);
            free(dup);
            return no_memory(doc, diag);
        }
    }
    if (map_keys(v, n, keys, dup) != PK_OK) {
        rc = no_memory(doc, diag);
        goto out;
    }
    /* Checked in the order of the pairs, so the first fault is the one
     * reported, whatever follows it. */
    for (size_t i = 0; i < n; i++) {
        size_t key_len;
        const char *key = pk_value_key_at(v, i, &key_len);
        const pkj_path item_at = {at, key, key_len, 0};
        char q[128];
        if (memchr(key, '\0', key_len)) {
            /* jansson, like many JSON readers, refuses such keys. */
            pkj_quote(q, sizeof q, key, key_len, 40);
            rc = fail(doc, diag, PK_EINPUT, at,
                      "key %s holds a NUL character, which JSON "
                      "readers refuse", q);
            goto out;
        }
        if (dup[i]) {
            pkj_quote(q, sizeof q, keys[i].s, keys[i].len, 40);
            rc = fail(doc, diag, PK_EINPUT, at, "duplicate key %s", q);
            goto out;
        }
        pkj_key(o, key, key_len);
        rc = value_out(o, doc, diag, pk_value_at(v, i), &item_at, depth + 1);
        if (rc)
            goto out;
    }
out:
    for (size_t i = 0; i < n; i++)
        free(keys[i].owned);
    if (keys != small_keys) {
        free(keys);
        free(dup);
    }
    return rc;
}

/*
 * Writes metadata value v, at depth depth of the JSON document (the meta
 * object itself is at 2).
 */
static int value_out(pkj_out *o, const pk_doc *doc, pk_diag *diag,
                     const pk_value *v, const pkj_path *at, size_t depth)
{
    pk_value_type type = pk_value_type_of(v);
    int rc = PK_OK;

    if ((type == PK_VALUE_LIST || type == PK_VALUE_MAP) &&
        depth > PKJ_MAX_DEPTH)
        return fail(doc, diag, PK_ELIMIT, at,
                    "nested deeper than the %zu levels a JSON reader accepts",
                    PKJ_MAX_DEPTH);
    switch (type) {
    case PK_VALUE_NULL:
        pkj_null(o);
        break;
    case PK_VALUE_BOOL:
        pkj_bool(o, pk_value_bool(v));
        break;
    case PK_VALUE_INTEGER:
        pkj_integer(o, pk_value_integer(v));
        break;
    case PK_VALUE_REAL:
        /* The model holds finite numbers only. */
        pkj_real(o, pk_value_real(v));
        break;
    case PK_VALUE_STRING: {
        size_t len;
        const char *s = pk_value_string(v, &len);
        pkj_string(o, s, len);
        break;
    }
    case PK_VALUE_LIST:
        pkj_open(o, '[');
        for (size_t i = 0; i < pk_value_count(v) && rc == PK_OK; i++) {
            const pkj_path item_at = {at, NULL, 0, i};
            pkj_item(o);
            rc = value_out(o, doc, diag, pk_value_at(v, i), &item_at,
                           depth + 1);
        }
        pkj_close(o, ']');
        break;
    case PK_VALUE_MAP:
        pkj_open(o, '{');
        rc = map_out(o, doc, diag, v, at, depth);
        pkj_close(o, '}');
        break;
    }
    return rc;
}

/* Writes the n items item(doc, i) as an array of strings. */
static void string_list(pkj_out *o, const pk_doc *doc, size_t n,
                        const char *(*item)(const pk_doc *, size_t))
{
    pkj_open(o, '[');
    for (size_t i = 0; i < n; i++) {
        pkj_item(o);
        pkj_cstring(o, item(doc, i));
    }
    pkj_close(o, ']');
}

/* Writes node's plain text (pk_node_text); false on out of memory. */
static bool node_text(pkj_out *o, const pk_node *node)
{
    size_t len;
    const char *t = pk_node_text(node, &len);
    if (!t)
        return false;
    pkj_string(o, t, len);
    return true;
}

/* Writes s, or null when s is NULL. */
static void string_or_null(pkj_out *o, const char *s)
{
    if (s)
        pkj_cstring(o, s);
    else
        pkj_null(o);
}

/* Writes the text of each item of the highlights list ([] when there is
 * none); false on out of memory. */
static bool highlights_out(pkj_out *o, const pk_doc *doc)
{
    const pk_node *hl = pk_doc_highlights(doc);
    bool ok = true;
    pkj_open(o, '[');
    for (const pk_node *it = hl ? pk_node_first_child(hl) : NULL; ok && it;
         it = pk_node_next(it)) {
        pkj_item(o);
        ok = node_text(o, it);
    }
    pkj_close(o, ']');
    return ok;
}

/* Writes quote q as an object. */
static void quote_out(pkj_out *o, const pk_quote *q)
{
    long minister = pk_quote_minister(q);

    pkj_open(o, '{');
    pkj_key_plain(o, "speaker", 7);
    string_or_null(o, pk_quote_speaker(q));
    pkj_key_plain(o, "title", 5);
    string_or_null(o, pk_quote_title(q));
    pkj_key_plain(o, "minister", 8);
    if (minister >= 0)
        pkj_integer(o, minister);
    else
        pkj_null(o);
    pkj_key_plain(o, "paragraphs", 10);
    pkj_open(o, '[');
    for (size_t i = 0; i < pk_quote_paragraph_count(q); i++) {
        pkj_item(o);
        pkj_integer(o, (int64_t)pk_quote_paragraph_index(q, i));
    }
    pkj_close(o, ']');
    pkj_key_plain(o, "text", 4);
    string_or_null(o, pk_quote_text(q));
    pkj_close(o, '}');
}

/*
 * Writes the analysis: id, words, reading_minutes, highlights, lead and
 * quotes.  Derived from meta and body, so the reader ignores all but the
 * id.  A document the core never analysed (built by a plugin and only
 * validated) has no id unless it has a url, no words, and no highlights,
 * lead or quotes.  Returns false on out of memory.
 */
static bool analysis_out(pkj_out *o, const pk_doc *doc)
{
    const pk_node *lead = pk_doc_lead(doc);
    pkj_key_plain(o, "id", 2);
    string_or_null(o, pk_doc_id(doc));
    pkj_key_plain(o, "words", 5);
    pkj_integer(o, (int64_t)pk_doc_word_count(doc));
    pkj_key_plain(o, "reading_minutes", 15);
    pkj_integer(o, pk_doc_reading_minutes(doc));
    pkj_key_plain(o, "highlights", 10);
    if (!highlights_out(o, doc))
        return false;
    pkj_key_plain(o, "lead", 4);
    if (lead) {
        if (!node_text(o, lead))
            return false;
    } else {
        pkj_null(o);
    }
    pkj_key_plain(o, "quotes", 6);
    pkj_open(o, '[');
    for (size_t i = 0; i < pk_doc_quote_count(doc); i++) {
        pkj_item(o);
        quote_out(o, pk_doc_quote(doc, i));
    }
    pkj_close(o, ']');
    return true;
}

/* Writes the members of node's object but "children". */
static void node_out(pkj_out *o, const pk_node *node)
{
    pk_node_type type = pk_node_get_type(node);
    const char *lit, *title, *name;
    size_t len;

    pkj_key_plain(o, "type", 4);
    /* The core's names are ASCII letters and '_': nothing to escape. */
    name = pk_node_type_name(type);
    pkj_string_plain(o, name, strlen(name));
    switch (type) {
    case PK_NODE_HEADING:
        pkj_key_plain(o, "level", 5);
        pkj_integer(o, pk_node_heading_level(node));
        break;
    case PK_NODE_LIST:
        pkj_key_plain(o, "list_type", 9);
        if (pk_node_list_type(node) == PK_LIST_ORDERED) {
            pkj_string(o, "ordered", 7);
            pkj_key_plain(o, "start", 5);
            pkj_integer(o, pk_node_list_start(node));
        } else {
            pkj_string(o, "bullet", 6);
        }
        pkj_key_plain(o, "tight", 5);
        pkj_bool(o, pk_node_list_tight(node));
        break;
    case PK_NODE_CODE_BLOCK:
        lit = pk_node_literal(node, &len);
        pkj_key_plain(o, "info", 4);
        pkj_cstring(o, pk_node_fence_info(node));
        pkj_key_plain(o, "text", 4);
        pkj_string(o, lit, len);
        break;
    case PK_NODE_HTML_BLOCK:
    case PK_NODE_TEXT:
    case PK_NODE_CODE:
    case PK_NODE_HTML_INLINE:
        lit = pk_node_literal(node, &len);
        pkj_key_plain(o, "text", 4);
        pkj_string(o, lit, len);
        break;
    case PK_NODE_LINK:
    case PK_NODE_IMAGE:
        pkj_key_plain(o, "url", 3);
        pkj_cstring(o, pk_node_url(node));
        title = pk_node_title(node);
        if (title && *title) {
            pkj_key_plain(o, "title", 5);
            pkj_cstring(o, title);
        }
        break;
    case PK_NODE_NONE:
    case PK_NODE_DOCUMENT:
    case PK_NODE_BLOCK_QUOTE:
    case PK_NODE_ITEM:
    case PK_NODE_PARAGRAPH:
    case PK_NODE_THEMATIC_BREAK:
    case PK_NODE_SOFTBREAK:
    case PK_NODE_LINEBREAK:
    case PK_NODE_EMPH:
    case PK_NODE_STRONG:
        break;
    }
}

/*
 * Writes the body as an array, walking it with the ENTER/EXIT iterator:
 * depth counts the open "children" arrays, the body itself being the
 * first.
 */
static int body_out(pkj_out *o, const pk_doc *doc, pk_diag *diag)
{
    const pkj_path body_at = {NULL, "body", 4, 0};
    size_t depth = 0;
    pk_iter *it = pk_iter_new(pk_doc_root(doc));
    pk_event ev;
    int rc = PK_OK;

    if (!it)
        return no_memory(doc, diag);
    while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        const pk_node *node = pk_iter_node(it);
        pk_node_type type = pk_node_get_type(node);

        if (ev == PK_EVENT_EXIT) {
            depth--;
            pkj_close(o, ']');
            if (type != PK_NODE_DOCUMENT)
                pkj_close(o, '}');
            continue;
        }
        if (type == PK_NODE_DOCUMENT) {
            pkj_open(o, '[');
            depth++;
            continue;
        }
        if (type < PK_NODE_FIRST_BLOCK || type > PK_NODE_LAST_INLINE) {
            rc = fail(doc, diag, PK_EINVAL, &body_at,
                      "node of unknown type %d", (int)type);
            break;
        }
        /* The array at depth d is at JSON depth 2d, its objects at
         * 2d + 1. */
        bool container = pk_node_is_container(node);
        if (2 * depth + 1 > PKJ_MAX_DEPTH ||
            (container && 2 * depth + 2 > PKJ_MAX_DEPTH)) {
            rc = fail(doc, diag, PK_ELIMIT, &body_at,
                      "nested deeper than the %zu levels a JSON reader "
                      "accepts",
                      PKJ_MAX_DEPTH);
            break;
        }
        pkj_item(o);
        pkj_open(o, '{');
        node_out(o, node);
        if (!container) {
            pkj_close(o, '}');
            continue;
        }
        /* Last, so "children" closes the object. */
        pkj_key_plain(o, "children", 8);
        pkj_open(o, '[');
        depth++;
    }
    pk_iter_free(it);
    return rc;
}

/* Writes the canonical object of doc into o. */
static int release_out(pkj_out *o, const pk_doc *doc, pk_diag *diag)
{
    const pkj_path meta_at = {NULL, "meta", 4, 0};
    const char *url = pk_doc_url(doc);
    int rc;

    if (!pk_doc_title(doc) || !pk_doc_date_string(doc))
        return fail(doc, diag, PK_EINVAL, NULL,
                    "json writer: the document was not validated");
    pkj_open(o, '{');
    pkj_key_plain(o, "format", 6);
    pkj_cstring(o, PKJ_FORMAT);
    pkj_key_plain(o, "title", 5);
    pkj_cstring(o, pk_doc_title(doc));
    pkj_key_plain(o, "date", 4);
    pkj_cstring(o, pk_doc_date_string(doc));
    if (url) {
        pkj_key_plain(o, "url", 3);
        pkj_cstring(o, url);
    }
    pkj_key_plain(o, "ministers", 9);
    string_list(o, doc, pk_doc_minister_count(doc), pk_doc_minister);
    pkj_key_plain(o, "portfolios", 10);
    string_list(o, doc, pk_doc_portfolio_count(doc), pk_doc_portfolio);
    pkj_key_plain(o, "lang", 4);
    pkj_cstring(o, pk_doc_lang(doc));
    if (!analysis_out(o, doc))
        return no_memory(doc, diag);
    pkj_key_plain(o, "meta", 4);
    if ((rc = value_out(o, doc, diag, pk_doc_meta(doc), &meta_at, 2)))
        return rc;
    pkj_key_plain(o, "body", 4);
    if ((rc = body_out(o, doc, diag)))
        return rc;
    pkj_close(o, '}');
    if (pkj_out_failed(o))
        return no_memory(doc, diag);
    return PK_OK;
}

/* An output error: the sink's sticky one. */
static int output_failed(writer *w, pk_diag *diag)
{
    int rc = pk_sink_error(w->sink);
    if (rc == PK_OK)
        rc = PK_ENOMEM;
    w->status = rc;
    return pk_diag_set(diag, rc, pk_sink_name(w->sink), 0, 0,
                       "json writer: cannot write the output: %s",
                       pk_status_str(rc));
}

static int json_open(void **state, pk_sink *sink, const pk_options *opts,
                     unsigned mode, pk_diag *diag)
{
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return pk_diag_set(diag, PK_ENOMEM, pk_sink_name(sink), 0, 0,
                           "out of memory");
    w->sink = sink;
    w->single = (mode & PK_OUTPUT_SINGLE) != 0;
    w->lines = opts && pk_options_get_bool(opts, "lines");
    *state = w;
    return PK_OK;
}

static int json_write(void *state, const pk_doc *doc, pk_diag *diag)
{
    writer *w = state;
    const char *before = "", *after = "\n";
    bool nested = !w->single && !w->lines;
    int rc;

    if (w->status)
        return pk_diag_set(diag, w->status, pk_sink_name(w->sink), 0, 0,
                           "json writer: the output failed earlier");
    if (w->single && w->count > 0)
        return pk_diag_set(diag, PK_EINVAL, pk_sink_name(w->sink), 0, 0,
                           "json writer: a second document for a "
                           "single-document output");
    /* A document the writer cannot convert leaves the output as it was:
     * nothing of it has been written yet.  Inside the array, every line
     * of the object is indented one more level. */
    pkj_out_reset(&w->out, !w->lines, nested ? 1 : 0);
    if ((rc = release_out(&w->out, doc, diag)))
        return rc;
    if (nested) {
        before = w->count ? ",\n  " : "[\n  ";
        after = "";
    }
    if (pk_sink_puts(w->sink, before) ||
        pk_sink_write(w->sink, w->out.data, w->out.len) ||
        pk_sink_puts(w->sink, after))
        rc = output_failed(w, diag);
    else
        w->count++;
    return rc;
}

static int json_close(void *state, pk_diag *diag)
{
    writer *w = state;
    int rc = w->status;
    if (rc)
        pk_diag_set(diag, rc, pk_sink_name(w->sink), 0, 0,
                    "json writer: the output failed earlier");
    else if (!w->single && !w->lines &&
             pk_sink_puts(w->sink, w->count ? "\n]\n" : "[]\n"))
        rc = output_failed(w, diag);
    pkj_out_free(&w->out);
    free(w);
    return rc;
}

static const char *const extensions[] = {"json", NULL};

static const pk_option_def options[] = {
    {"lines", PK_OPTION_BOOL, "false",
     "write JSON Lines: one compact object per line"},
    {NULL, 0, NULL, NULL},
};

static const pk_writer_ops writer_ops = {json_open, json_write, json_close};

static const pk_plugin json_writer = {
    PK_PLUGIN_HEADER,
    "json",
    PK_PLUGIN_WRITER,
    PK_VERSION_STRING,
    "canonical presskit JSON (format presskit/1), one object per release",
    extensions,
    "application/json",
    0,
    options,
    NULL,
    &writer_ops,
};

PK_PLUGIN_DEFINE(json_writer)
