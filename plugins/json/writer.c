/*
 * writer.c - the json writer: each pk_doc as canonical JSON
 * (docs/json-format.md).
 *
 * A document becomes one jansson object, dumped through pk_sink as soon as
 * it is written and then freed, so memory is bounded by the largest
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

#include <jansson.h>
#include <presskit/presskit.h>

#include "common.h"

/*
 * Insertion order is the key order the format fixes.  15 significant
 * digits: any decimal of at most 15 digits survives the trip through a
 * double, so 0.1 prints as "0.1" and reads back to the same double, and a
 * written number prints the same after every later read and write (17
 * digits would be exact for every double but print 0.1 as
 * 0.10000000000000001).  JSON_ENSURE_ASCII stays off: non-ASCII text is
 * written as UTF-8.
 */
#define DUMP_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
#define PRETTY_FLAGS (DUMP_FLAGS | JSON_INDENT(2))
#define COMPACT_FLAGS (DUMP_FLAGS | JSON_COMPACT)

/* The state of one output. */
typedef struct writer {
    pk_sink *sink;    /* borrowed until close */
    bool single;      /* PK_OUTPUT_SINGLE: one object, no array around it */
    bool lines;       /* json.lines: one compact object per line */
    size_t count;     /* documents written so far */
    int status;       /* the error that spoiled the output, PK_OK if none */
} writer;

/* Where json_dump_callback's text goes. */
typedef struct dump_target {
    pk_sink *sink;
    bool nested;      /* inside the array: indent every line two spaces */
} dump_target;

static int emit(const char *buf, size_t size, void *data)
{
    const dump_target *t = data;
    if (!t->nested)
        return pk_sink_write(t->sink, buf, size) == PK_OK ? 0 : -1;
    /* A newline in jansson's output is always its own: newlines inside
     * strings are escaped. */
    const char *end = buf + size;
    while (buf < end) {
        const char *nl = memchr(buf, '\n', (size_t)(end - buf));
        size_t n = nl ? (size_t)(nl - buf) + 1 : (size_t)(end - buf);
        if (pk_sink_write(t->sink, buf, n) != PK_OK ||
            (nl && pk_sink_write(t->sink, "  ", 2) != PK_OK))
            return -1;
        buf += n;
    }
    return 0;
}

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

/*
 * Returns a new JSON string of s[0..len), or NULL on out of memory.  JSON
 * text must be UTF-8, so each byte that does not begin a well-formed
 * character becomes U+FFFD; NUL and control characters are kept (jansson
 * escapes them).
 */
static json_t *new_string(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t i = 0, n;
    if (!s)
        len = 0;
    while (i < len && (n = pkj_utf8_char(u + i, len - i)) != 0)
        i += n;
    if (i == len)
        return json_stringn((const char *)u, len);

    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *fixed = malloc(len * 3 + 1);
    if (!fixed)
        return NULL;
    size_t o = 0;
    for (i = 0; i < len;) {
        n = pkj_utf8_char(u + i, len - i);
        if (n) {
            memcpy(fixed + o, u + i, n);
            o += n;
            i += n;
        } else {
            memcpy(fixed + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    json_t *j = json_stringn(fixed, o);
    free(fixed);
    return j;
}

static json_t *new_cstring(const char *s)
{
    return new_string(s, s ? strlen(s) : 0);
}

/*
 * Converts metadata value v, at depth depth of the JSON document (the meta
 * object itself is at 2), into *out.
 */
static int value_to_json(const pk_doc *doc, pk_diag *diag, const pk_value *v,
                         const pkj_path *at, size_t depth, json_t **out)
{
    json_t *j = NULL;
    int rc = PK_OK;
    pk_value_type type = pk_value_type_of(v);

    if ((type == PK_VALUE_LIST || type == PK_VALUE_MAP) &&
        depth > PKJ_MAX_DEPTH)
        return fail(doc, diag, PK_ELIMIT, at,
                    "nested deeper than the %zu levels a JSON reader accepts",
                    PKJ_MAX_DEPTH);
    switch (type) {
    case PK_VALUE_NULL:
        j = json_null();
        break;
    case PK_VALUE_BOOL:
        j = json_boolean(pk_value_bool(v));
        break;
    case PK_VALUE_INTEGER:
        j = json_integer((json_int_t)pk_value_integer(v));
        break;
    case PK_VALUE_REAL:
        /* The model holds finite numbers only: NULL is out of memory. */
        j = json_real(pk_value_real(v));
        break;
    case PK_VALUE_STRING: {
        size_t len;
        const char *s = pk_value_string(v, &len);
        j = new_string(s, len);
        break;
    }
    case PK_VALUE_LIST:
        if (!(j = json_array()))
            break;
        for (size_t i = 0; i < pk_value_count(v); i++) {
            const pkj_path item_at = {at, NULL, 0, i};
            json_t *item;
            rc = value_to_json(doc, diag, pk_value_at(v, i), &item_at,
                               depth + 1, &item);
            if (rc)
                goto out;
            if (json_array_append_new(j, item)) {
                rc = no_memory(doc, diag);
                goto out;
            }
        }
        break;
    case PK_VALUE_MAP:
        if (!(j = json_object()))
            break;
        for (size_t i = 0; i < pk_value_count(v); i++) {
            size_t key_len;
            const char *key = pk_value_key_at(v, i, &key_len);
            const pkj_path item_at = {at, key, key_len, 0};
            char q[128];
            json_t *item, *jkey;
            if (memchr(key, '\0', key_len)) {
                /* jansson, like many JSON readers, refuses such keys. */
                pkj_quote(q, sizeof q, key, key_len, 40);
                rc = fail(doc, diag, PK_EINPUT, at,
                          "key %s holds a NUL character, which JSON "
                          "readers refuse", q);
                goto out;
            }
            /* The key as it will be written, invalid UTF-8 replaced. */
            if (!(jkey = new_string(key, key_len))) {
                rc = no_memory(doc, diag);
                goto out;
            }
            const char *k = json_string_value(jkey);
            size_t k_len = json_string_length(jkey);
            if (json_object_getn(j, k, k_len)) {
                pkj_quote(q, sizeof q, k, k_len, 40);
                json_decref(jkey);
                rc = fail(doc, diag, PK_EINPUT, at, "duplicate key %s", q);
                goto out;
            }
            rc = value_to_json(doc, diag, pk_value_at(v, i), &item_at,
                               depth + 1, &item);
            if (rc == PK_OK && json_object_setn_new(j, k, k_len, item))
                rc = no_memory(doc, diag);
            json_decref(jkey);
            if (rc)
                goto out;
        }
        break;
    }
    if (!j)
        return no_memory(doc, diag);
out:
    if (rc) {
        json_decref(j);
        return rc;
    }
    *out = j;
    return PK_OK;
}

/* Returns a new JSON string array of the n items item(doc, i). */
static json_t *string_list(const pk_doc *doc, size_t n,
                           const char *(*item)(const pk_doc *, size_t))
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if (json_array_append_new(a, new_cstring(item(doc, i)))) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

/* Returns a new JSON string of node's plain text (pk_node_text), or NULL
 * on out of memory. */
static json_t *node_text(const pk_node *node)
{
    size_t len;
    const char *t = pk_node_text(node, &len);
    return t ? new_string(t, len) : NULL;
}

/* Returns a new JSON string of s, or null when s is NULL; NULL on out of
 * memory. */
static json_t *string_or_null(const char *s)
{
    return s ? new_cstring(s) : json_null();
}

/* Returns a new JSON array of the text of each item of the highlights
 * list ([] when there is none), or NULL on out of memory. */
static json_t *highlights_to_json(const pk_doc *doc)
{
    json_t *a = json_array();
    const pk_node *hl = pk_doc_highlights(doc);
    for (const pk_node *it = hl ? pk_node_first_child(hl) : NULL; a && it;
         it = pk_node_next(it)) {
        if (json_array_append_new(a, node_text(it))) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

/* Returns a new JSON object for quote q, or NULL on out of memory. */
static json_t *quote_to_json(const pk_quote *q)
{
    json_t *o = json_object();
    json_t *paras = json_array();
    long minister = pk_quote_minister(q);
    int rc = 0; /* each set returns 0 or -1, and frees the value on failure */

    if (!o || !paras) {
        json_decref(o);
        json_decref(paras);
        return NULL;
    }
    for (size_t i = 0; i < pk_quote_paragraph_count(q); i++) {
        size_t index = pk_quote_paragraph_index(q, i);
        rc |= json_array_append_new(paras, json_integer((json_int_t)index));
    }
    rc |= json_object_set_new(o, "speaker",
                              string_or_null(pk_quote_speaker(q)));
    rc |= json_object_set_new(o, "title", string_or_null(pk_quote_title(q)));
    rc |= json_object_set_new(o, "minister",
                              minister >= 0 ? json_integer(minister)
                                            : json_null());
    rc |= json_object_set_new(o, "paragraphs", paras);
    rc |= json_object_set_new(o, "text", string_or_null(pk_quote_text(q)));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Returns a new JSON array of the quotes, in body order, or NULL on out of
 * memory. */
static json_t *quotes_to_json(const pk_doc *doc)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < pk_doc_quote_count(doc); i++) {
        if (json_array_append_new(a, quote_to_json(pk_doc_quote(doc, i)))) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

/*
 * Adds the analysis to o: id, words, reading_minutes, highlights, lead and
 * quotes.  Derived from meta and body, so the reader ignores all but the
 * id.  A document the core never analysed (built by a plugin and only
 * validated) has no id unless it has a url, no words, and no highlights,
 * lead or quotes.  Returns 0 or -1 on out of memory.
 */
static int analysis_to_json(const pk_doc *doc, json_t *o)
{
    const pk_node *lead = pk_doc_lead(doc);
    if (json_object_set_new(o, "id", string_or_null(pk_doc_id(doc))) ||
        json_object_set_new(o, "words",
                            json_integer((json_int_t)pk_doc_word_count(doc))) ||
        json_object_set_new(o, "reading_minutes",
                            json_integer(pk_doc_reading_minutes(doc))) ||
        json_object_set_new(o, "highlights", highlights_to_json(doc)) ||
        json_object_set_new(o, "lead", lead ? node_text(lead) : json_null()) ||
        json_object_set_new(o, "quotes", quotes_to_json(doc)))
        return -1;
    return 0;
}

/* Returns a new JSON object for node, without its children, or NULL on out
 * of memory. */
static json_t *node_to_json(const pk_node *node)
{
    pk_node_type type = pk_node_get_type(node);
    json_t *o = json_object();
    const char *lit, *title;
    size_t len;
    int rc; /* each set returns 0 or -1, and frees the value on failure */

    if (!o)
        return NULL;
    rc = json_object_set_new(o, "type", json_string(pk_node_type_name(type)));
    switch (type) {
    case PK_NODE_HEADING:
        rc |= json_object_set_new(o, "level",
                                  json_integer(pk_node_heading_level(node)));
        break;
    case PK_NODE_LIST:
        if (pk_node_list_type(node) == PK_LIST_ORDERED) {
            rc |= json_object_set_new(o, "list_type", json_string("ordered"));
            rc |= json_object_set_new(o, "start",
                                      json_integer(pk_node_list_start(node)));
        } else {
            rc |= json_object_set_new(o, "list_type", json_string("bullet"));
        }
        rc |= json_object_set_new(o, "tight",
                                  json_boolean(pk_node_list_tight(node)));
        break;
    case PK_NODE_CODE_BLOCK:
        lit = pk_node_literal(node, &len);
        rc |= json_object_set_new(o, "info",
                                  new_cstring(pk_node_fence_info(node)));
        rc |= json_object_set_new(o, "text", new_string(lit, len));
        break;
    case PK_NODE_HTML_BLOCK:
    case PK_NODE_TEXT:
    case PK_NODE_CODE:
    case PK_NODE_HTML_INLINE:
        lit = pk_node_literal(node, &len);
        rc |= json_object_set_new(o, "text", new_string(lit, len));
        break;
    case PK_NODE_LINK:
    case PK_NODE_IMAGE:
        rc |= json_object_set_new(o, "url", new_cstring(pk_node_url(node)));
        title = pk_node_title(node);
        if (title && *title)
            rc |= json_object_set_new(o, "title", new_cstring(title));
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
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * Converts the body into a JSON array in *out, walking it with the
 * ENTER/EXIT iterator: stack[] holds the "children" array of every open
 * container, stack[0] being the body itself.
 */
static int body_to_json(const pk_doc *doc, pk_diag *diag, json_t **out)
{
    const pkj_path body_at = {NULL, "body", 4, 0};
    json_t *body = json_array();
    json_t **stack = NULL;
    size_t depth = 0, cap = 0;
    pk_iter *it = NULL;
    pk_event ev;
    int rc = PK_OK;

    if (!body || !(it = pk_iter_new(pk_doc_root(doc)))) {
        rc = no_memory(doc, diag);
        goto out;
    }
    while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        const pk_node *node = pk_iter_node(it);
        json_t *open_array, *jnode;

        if (ev == PK_EVENT_EXIT) {
            depth--;
            continue;
        }
        if (pk_node_get_type(node) == PK_NODE_DOCUMENT) {
            open_array = body;
        } else {
            pk_node_type type = pk_node_get_type(node);
            if (type < PK_NODE_FIRST_BLOCK || type > PK_NODE_LAST_INLINE) {
                rc = fail(doc, diag, PK_EINVAL, &body_at,
                          "node of unknown type %d", (int)type);
                goto out;
            }
            /* The array at stack depth d is at JSON depth 2d, its
             * objects at 2d + 1. */
            if (2 * depth + 1 > PKJ_MAX_DEPTH ||
                (pk_node_is_container(node) && 2 * depth + 2 > PKJ_MAX_DEPTH)) {
                rc = fail(doc, diag, PK_ELIMIT, &body_at,
                          "nested deeper than the %zu levels a JSON reader "
                          "accepts",
                          PKJ_MAX_DEPTH);
                goto out;
            }
            if (!(jnode = node_to_json(node)) ||
                json_array_append_new(stack[depth - 1], jnode)) {
                rc = no_memory(doc, diag);
                goto out;
            }
            if (!pk_node_is_container(node))
                continue;
            /* Last, so "children" closes the object. */
            open_array = json_array();
            if (json_object_set_new(jnode, "children", open_array)) {
                rc = no_memory(doc, diag);
                goto out;
            }
        }
        if (depth == cap) {
            size_t new_cap = cap ? cap * 2 : 16;
            json_t **s = realloc(stack, new_cap * sizeof *s);
            if (!s) {
                rc = no_memory(doc, diag);
                goto out;
            }
            stack = s;
            cap = new_cap;
        }
        stack[depth++] = open_array; /* borrowed: its parent owns it */
    }
    *out = body;
    body = NULL;
out:
    pk_iter_free(it);
    free(stack);
    json_decref(body);
    return rc;
}

/* Builds the canonical object of doc in *out. */
static int release_to_json(const pk_doc *doc, pk_diag *diag, json_t **out)
{
    const pkj_path meta_at = {NULL, "meta", 4, 0};
    json_t *o = json_object();
    json_t *meta = NULL, *body = NULL;
    const char *url = pk_doc_url(doc);
    int rc = PK_OK;

    if (!pk_doc_title(doc) || !pk_doc_date_string(doc)) {
        rc = fail(doc, diag, PK_EINVAL, NULL,
                  "json writer: the document was not validated");
        goto out;
    }
    if (!o || json_object_set_new(o, "format", json_string(PKJ_FORMAT)) ||
        json_object_set_new(o, "title", new_cstring(pk_doc_title(doc))) ||
        json_object_set_new(o, "date", new_cstring(pk_doc_date_string(doc))) ||
        (url && json_object_set_new(o, "url", new_cstring(url))) ||
        json_object_set_new(o, "ministers",
                            string_list(doc, pk_doc_minister_count(doc),
                                        pk_doc_minister)) ||
        json_object_set_new(o, "portfolios",
                            string_list(doc, pk_doc_portfolio_count(doc),
                                        pk_doc_portfolio)) ||
        json_object_set_new(o, "lang", new_cstring(pk_doc_lang(doc))) ||
        analysis_to_json(doc, o)) {
        rc = no_memory(doc, diag);
        goto out;
    }
    if ((rc = value_to_json(doc, diag, pk_doc_meta(doc), &meta_at, 2, &meta)))
        goto out;
    if (json_object_set_new(o, "meta", meta)) {
        rc = no_memory(doc, diag);
        goto out;
    }
    if ((rc = body_to_json(doc, diag, &body)))
        goto out;
    if (json_object_set_new(o, "body", body)) {
        rc = no_memory(doc, diag);
        goto out;
    }
out:
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return PK_OK;
}

/* An output error: the sink's sticky one, or jansson out of memory. */
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
    json_t *o = NULL;
    dump_target target = {w->sink, false};
    const char *before = "", *after = "\n";
    size_t flags = w->lines ? COMPACT_FLAGS : PRETTY_FLAGS;
    int rc;

    if (w->status)
        return pk_diag_set(diag, w->status, pk_sink_name(w->sink), 0, 0,
                           "json writer: the output failed earlier");
    if (w->single && w->count > 0)
        return pk_diag_set(diag, PK_EINVAL, pk_sink_name(w->sink), 0, 0,
                           "json writer: a second document for a "
                           "single-document output");
    /* A document the writer cannot convert leaves the output as it was:
     * nothing of it has been written yet. */
    if ((rc = release_to_json(doc, diag, &o)))
        return rc;
    if (!w->single && !w->lines) {
        before = w->count ? ",\n  " : "[\n  ";
        after = "";
        target.nested = true;
    }
    if (pk_sink_puts(w->sink, before) ||
        json_dump_callback(o, emit, &target, flags) ||
        pk_sink_puts(w->sink, after))
        rc = output_failed(w, diag);
    else
        w->count++;
    json_decref(o);
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
