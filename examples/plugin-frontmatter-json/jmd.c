/*
 * jmd.c - an example presskit reader: a release whose front matter is a
 * JSON object instead of YAML (extension .jmd).
 *
 *     {
 *       "title": "Coastal ferry timetable extended",
 *       "date": "2024-05-02",
 *       "ministers": ["Hon Jane Doe"]
 *     }
 *     ---
 *     - Two extra sailings a day from June
 *
 *     “Island families told us the last sailing was too early,” …
 *
 * The JSON object runs from the start of the file to the first line that
 * is exactly "---" (a JSON text cannot hold such a line: a string cannot
 * span lines); everything after that line is the CommonMark body.  Every
 * key is kept, in order, with its JSON type; the core then checks title,
 * date and the other known keys and runs its analysis.
 *
 * jansson parses the object, cmark the body.  An out-of-tree plugin
 * cannot use presskit's own markdown plugin: it links what it needs.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <jansson.h>
#include <presskit/presskit.h>

/* Finds the line "---" (or "---\r"); stores the offsets where it starts
 * and where the body after it starts, and the body's first line number.
 * Returns false if there is none. */
static bool split(const char *data, size_t len, size_t *end_json,
                  size_t *body, unsigned long *body_line)
{
    unsigned long line = 1;
    for (size_t i = 0; i < len; line++) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t eol = nl ? (size_t)(nl - data) : len;
        size_t n = eol - i;
        if (n > 0 && data[eol - 1] == '\r')
            n--;
        if (n == 3 && memcmp(data + i, "---", 3) == 0) {
            *end_json = i;
            *body = nl ? eol + 1 : len;
            *body_line = line + 1;
            return true;
        }
        i = nl ? eol + 1 : len;
    }
    return false;
}

/* Converts a JSON value to a metadata value in doc's arena; NULL on out of
 * memory.  jansson limits nesting, so the recursion is bounded. */
static pk_value *to_value(pk_doc *doc, json_t *j)
{
    pk_value *v = NULL;
    size_t i;
    const char *key;
    json_t *item;

    switch (json_typeof(j)) {
    case JSON_OBJECT:
        v = pk_value_new_map(doc);
        json_object_foreach(j, key, item) {
            pk_value *x = to_value(doc, item);
            if (!v || !x || pk_value_map_append(v, key, strlen(key), x))
                return NULL;
        }
        return v;
    case JSON_ARRAY:
        v = pk_value_new_list(doc);
        json_array_foreach(j, i, item) {
            pk_value *x = to_value(doc, item);
            if (!v || !x || pk_value_list_append(v, x))
                return NULL;
        }
        return v;
    case JSON_STRING:
        return pk_value_new_string(doc, json_string_value(j),
                                   json_string_length(j));
    case JSON_INTEGER: return pk_value_new_integer(doc, json_integer_value(j));
    case JSON_REAL: return pk_value_new_real(doc, json_real_value(j));
    case JSON_TRUE: return pk_value_new_bool(doc, true);
    case JSON_FALSE: return pk_value_new_bool(doc, false);
    case JSON_NULL: return pk_value_new_null(doc);
    }
    return NULL;
}

static int read_front_matter(pk_doc *doc, const char *json, size_t len,
                             pk_diag *diag)
{
    const char *file = pk_doc_source(doc);
    json_error_t err;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        /* jansson counts columns in characters, presskit in bytes: count
         * back from the byte position of the error to its line's start. */
        size_t pos = err.position > 0 ? (size_t)err.position : 0, start;
        pos = pos < len ? pos : len;
        for (start = pos; start > 0 && json[start - 1] != '\n'; start--)
            ;
        return pk_diag_set(diag, PK_EPARSE, file, (unsigned long)err.line,
                           pos - start, "front matter: %s", err.text);
    }
    int rc = PK_OK;
    const char *key;
    json_t *item;
    if (!json_is_object(root)) {
        rc = pk_diag_set(diag, PK_EPARSE, file, 1, 1,
                         "front matter: expected a JSON object");
        goto out;
    }
    /* The keys go into the document's (empty) metadata map, in order. */
    json_object_foreach(root, key, item) {
        pk_value *v = to_value(doc, item);
        if (!v || pk_value_map_append(pk_doc_meta(doc), key, strlen(key), v)) {
            rc = pk_diag_set(diag, PK_ENOMEM, file, 0, 0, "out of memory");
            goto out;
        }
    }
out:
    json_decref(root);
    return rc;
}

static pk_node_type node_type(cmark_node_type t)
{
    switch (t) {
    case CMARK_NODE_DOCUMENT: return PK_NODE_DOCUMENT;
    case CMARK_NODE_BLOCK_QUOTE: return PK_NODE_BLOCK_QUOTE;
    case CMARK_NODE_LIST: return PK_NODE_LIST;
    case CMARK_NODE_ITEM: return PK_NODE_ITEM;
    case CMARK_NODE_CODE_BLOCK: return PK_NODE_CODE_BLOCK;
    case CMARK_NODE_HTML_BLOCK: return PK_NODE_HTML_BLOCK;
    case CMARK_NODE_PARAGRAPH: return PK_NODE_PARAGRAPH;
    case CMARK_NODE_HEADING: return PK_NODE_HEADING;
    case CMARK_NODE_THEMATIC_BREAK: return PK_NODE_THEMATIC_BREAK;
    case CMARK_NODE_TEXT: return PK_NODE_TEXT;
    case CMARK_NODE_SOFTBREAK: return PK_NODE_SOFTBREAK;
    case CMARK_NODE_LINEBREAK: return PK_NODE_LINEBREAK;
    case CMARK_NODE_CODE: return PK_NODE_CODE;
    case CMARK_NODE_HTML_INLINE: return PK_NODE_HTML_INLINE;
    case CMARK_NODE_EMPH: return PK_NODE_EMPH;
    case CMARK_NODE_STRONG: return PK_NODE_STRONG;
    case CMARK_NODE_LINK: return PK_NODE_LINK;
    case CMARK_NODE_IMAGE: return PK_NODE_IMAGE;
    default: return PK_NODE_NONE;   /* custom nodes: never from a parse */
    }
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Copies what a cmark node holds besides its children. */
static int copy_node(pk_node *node, cmark_node *n)
{
    const char *s;
    int rc = PK_OK;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_LIST:
        if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
            rc = pk_node_set_list_type(node, PK_LIST_ORDERED);
            if (rc == PK_OK)
                rc = pk_node_set_list_start(node, cmark_node_get_list_start(n));
        } else {
            rc = pk_node_set_list_type(node, PK_LIST_BULLET);
        }
        return rc ? rc : pk_node_set_list_tight(node, cmark_node_get_list_tight(n));
    case CMARK_NODE_HEADING:
        return pk_node_set_heading_level(node, cmark_node_get_heading_level(n));
    case CMARK_NODE_CODE_BLOCK:   /* an info string, then a literal */
        s = or_empty(cmark_node_get_fence_info(n));
        if ((rc = pk_node_set_fence_info(node, s, strlen(s))) != PK_OK)
            return rc;
        /* fall through */
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE:
        s = or_empty(cmark_node_get_literal(n));
        return pk_node_set_literal(node, s, strlen(s));
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        s = or_empty(cmark_node_get_url(n));
        if ((rc = pk_node_set_url(node, s, strlen(s))) != PK_OK)
            return rc;
        s = or_empty(cmark_node_get_title(n));
        return pk_node_set_title(node, s, strlen(s));
    default:
        return PK_OK;
    }
}

/* Parses the body with cmark and copies its tree under the document's
 * root, node by node, with the ENTER/EXIT iterator (no recursion). */
static int read_body(pk_doc *doc, const char *body, size_t len,
                     unsigned long first_line, pk_diag *diag)
{
    cmark_node *root = cmark_parse_document(body, len,
                                            CMARK_OPT_DEFAULT |
                                            CMARK_OPT_SOURCEPOS);
    cmark_iter *it = root ? cmark_iter_new(root) : NULL;
    pk_node *parent = pk_doc_root(doc);
    int rc = it ? PK_OK : PK_ENOMEM;
    cmark_event_type ev;

    while (rc == PK_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n == root)
            continue;
        if (ev == CMARK_EVENT_EXIT) {
            parent = pk_node_parent(parent);
            continue;
        }
        int line = cmark_node_get_start_line(n);
        int column = cmark_node_get_start_column(n);
        unsigned long l = line > 0 ? first_line + (unsigned long)line - 1 : 0;
        unsigned long c = line > 0 && column > 0 ? (unsigned long)column : 0;
        pk_node_type type = node_type(cmark_node_get_type(n));
        if (type == PK_NODE_NONE) {
            rc = pk_diag_set(diag, PK_EPARSE, pk_doc_source(doc), l, c,
                             "unsupported CommonMark node");
            break;
        }
        pk_node *node = pk_node_new(doc, type);
        rc = node ? copy_node(node, n) : PK_ENOMEM;
        if (rc == PK_OK)
            rc = pk_node_append_child(parent, node);
        if (rc != PK_OK) {
            rc = pk_diag_set(diag, rc, pk_doc_source(doc), l, c,
                             "cannot copy the body: %s", pk_status_str(rc));
            break;
        }
        pk_node_set_pos(node, l, c);
        /* cmark sends containers an EXIT event, leaves none. */
        if (pk_node_is_container(node))
            parent = node;
    }
    if (rc == PK_ENOMEM && diag && diag->status == PK_OK)
        pk_diag_set(diag, rc, pk_doc_source(doc), 0, 0, "out of memory");
    if (it)
        cmark_iter_free(it);
    if (root)
        cmark_node_free(root);
    return rc;
}

static int jmd_read(pk_doc *doc, const char *data, size_t len,
                    const pk_options *opts, pk_diag *diag)
{
    (void)opts;   /* the reader declares no options */
    size_t end_json, body;
    unsigned long body_line;
    if (!split(data, len, &end_json, &body, &body_line))
        return pk_diag_set(diag, PK_EPARSE, pk_doc_source(doc), 1, 1,
                           "expected a JSON object, then a line \"---\"");
    int rc = read_front_matter(doc, data, end_json, diag);
    if (rc == PK_OK)
        rc = read_body(doc, data + body, len - body, body_line, diag);
    return rc;
}

static const char *const extensions[] = {"jmd", NULL};

static const pk_reader_ops ops = {.read = jmd_read};

static const pk_plugin plugin = {
    PK_PLUGIN_HEADER,
    .name = "jmd",
    .kind = PK_PLUGIN_READER,
    .version = "1.0.0",
    .summary = "CommonMark with a JSON object as front matter",
    .extensions = extensions,
    .media_type = "text/markdown",
    .reader = &ops,
};

PK_PLUGIN_DEFINE(plugin)
