/*
 * reader.c - the json reader: canonical JSON (docs/json-format.md) back
 * into a pk_doc.
 *
 * jansson parses the whole text (rejecting duplicate keys, allowing NUL in
 * strings); then "meta" becomes the metadata map and "body" the node tree.
 * The other top-level keys are derived from those two by the writer and
 * are ignored, except that a hand-written file without "meta" has its
 * known fields taken from the top level, and that "id" is kept (see
 * read_id).  Every structural error names the JSON path of the value at
 * fault.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <presskit/presskit.h>

#include "common.h"

/* The state of one read: the document being filled and where to report. */
typedef struct reader {
    pk_doc *doc;
    pk_diag *diag;
} reader;

/* The top-level keys that stand for metadata when "meta" is absent. */
static const char *const meta_fields[] = {
    "title", "date", "url", "ministers", "portfolios", "lang", NULL,
};

/* "an object", "a string"…: for "expected X, got Y" messages. */
static const char *describe(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* Records a structural error at path (NULL: the whole document).  JSON
 * values carry no positions once parsed, so line and column stay 0. */
static int fail(reader *r, const pkj_path *at, const char *fmt, ...)
    PK_PRINTF(3, 4);
static int fail(reader *r, const pkj_path *at, const char *fmt, ...)
{
    char msg[PK_DIAG_MESSAGE_MAX];
    char path[PKJ_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *src = pk_doc_source(r->doc);
    if (!at)
        return pk_diag_set(r->diag, PK_EPARSE, src, 0, 0, "%s", msg);
    return pk_diag_set(r->diag, PK_EPARSE, src, 0, 0, "%s: %s",
                       pkj_path_format(at, path), msg);
}

static int no_memory(reader *r)
{
    return pk_diag_set(r->diag, PK_ENOMEM, pk_doc_source(r->doc), 0, 0,
                       "out of memory");
}

/* Turns the status of a model setter into a diagnostic.  The values are
 * checked before they are set, so only memory should ever run out. */
static int model_status(reader *r, const pkj_path *at, int rc)
{
    if (rc == PK_OK)
        return PK_OK;
    if (rc == PK_ENOMEM)
        return no_memory(r);
    return fail(r, at, "rejected by the document model (%s)",
                pk_status_str(rc));
}

/* Whether string j is exactly lit (a NUL inside j makes it differ). */
static bool string_is(const json_t *j, const char *lit)
{
    size_t len = strlen(lit);
    return json_is_string(j) && json_string_length(j) == len &&
           memcmp(json_string_value(j), lit, len) == 0;
}

/*
 * A jansson syntax error, located by the byte offset where the parser
 * stopped (the last byte of the offending token, or the byte that is not
 * UTF-8): jansson counts columns in characters, presskit in bytes.
 */
static int syntax_error(reader *r, const char *data, size_t len,
                        const json_error_t *err)
{
    if (json_error_code(err) == json_error_out_of_memory)
        return no_memory(r);
    size_t pos = err->position > 0 ? (size_t)err->position : 0;
    /* A byte that is not UTF-8 is reported before it is counted. */
    if (json_error_code(err) == json_error_invalid_utf8)
        pos++;
    if (pos > len)
        pos = len;
    unsigned long line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < pos; i++) {
        if (data[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    }
    /* jansson quotes the input near the error: keep control bytes from
     * reaching a terminal. */
    char text[JSON_ERROR_TEXT_LENGTH];
    size_t n = strnlen(err->text, sizeof text - 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)err->text[i];
        text[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    text[n] = '\0';
    return pk_diag_set(r->diag, PK_EPARSE, pk_doc_source(r->doc), line,
                       (unsigned long)(pos - line_start), "invalid JSON: %s",
                       text);
}

/* Converts any JSON value into a metadata value of the document. */
static int value_from_json(reader *r, const json_t *j, pk_value **out)
{
    pk_doc *doc = r->doc;
    pk_value *v = NULL;
    switch (json_typeof(j)) {
    case JSON_NULL:
        v = pk_value_new_null(doc);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        v = pk_value_new_bool(doc, json_is_true(j));
        break;
    case JSON_INTEGER:
        v = pk_value_new_integer(doc, (int64_t)json_integer_value(j));
        break;
    case JSON_REAL:
        /* jansson never yields a non-finite number, so NULL here means
         * out of memory. */
        v = pk_value_new_real(doc, json_real_value(j));
        break;
    case JSON_STRING:
        v = pk_value_new_string(doc, json_string_value(j),
                                json_string_length(j));
        break;
    case JSON_ARRAY:
        if (!(v = pk_value_new_list(doc)))
            break;
        for (size_t i = 0; i < json_array_size(j); i++) {
            pk_value *item;
            int rc = value_from_json(r, json_array_get(j, i), &item);
            if (rc)
                return rc;
            if (pk_value_list_append(v, item))
                return no_memory(r);
        }
        break;
    case JSON_OBJECT:
        if (!(v = pk_value_new_map(doc)))
            break;
        /* jansson keeps an object's keys in input order. */
        for (void *it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it)) {
            pk_value *item;
            int rc = value_from_json(r, json_object_iter_value(it), &item);
            if (rc)
                return rc;
            if (pk_value_map_append(v, json_object_iter_key(it),
                                    json_object_iter_key_len(it), item))
                return no_memory(r);
        }
        break;
    }
    if (!v)
        return no_memory(r);
    *out = v;
    return PK_OK;
}

/* Appends key -> the converted value j to the document's metadata. */
static int add_meta(reader *r, const char *key, size_t key_len,
                    const json_t *j)
{
    pk_value *v;
    int rc = value_from_json(r, j, &v);
    if (rc)
        return rc;
    if (pk_value_map_append(pk_doc_meta(r->doc), key, key_len, v))
        return no_memory(r);
    return PK_OK;
}

/* "meta": every key, in order, as the front matter had it. */
static int read_meta(reader *r, json_t *meta)
{
    const pkj_path at = {NULL, "meta", 4, 0};
    if (!json_is_object(meta))
        return fail(r, &at, "expected an object, got %s", describe(meta));
    for (void *it = json_object_iter(meta); it;
         it = json_object_iter_next(meta, it)) {
        int rc = add_meta(r, json_object_iter_key(it),
                          json_object_iter_key_len(it),
                          json_object_iter_value(it));
        if (rc)
            return rc;
    }
    return PK_OK;
}

/* No "meta": the known fields at the top level, in their input order, so
 * a hand-written file works. */
static int read_top_fields(reader *r, json_t *root)
{
    for (void *it = json_object_iter(root); it;
         it = json_object_iter_next(root, it)) {
        const char *key = json_object_iter_key(it);
        for (const char *const *f = meta_fields; *f; f++) {
            if (strcmp(*f, key) != 0)
                continue;
            int rc = add_meta(r, key, json_object_iter_key_len(it),
                              json_object_iter_value(it));
            if (rc)
                return rc;
        }
    }
    return PK_OK;
}

static int check_format(reader *r, json_t *root)
{
    const pkj_path at = {NULL, "format", 6, 0};
    const json_t *f = json_object_get(root, "format");
    if (!f)
        return PK_OK; /* hand-written files may leave it out */
    if (!json_is_string(f))
        return fail(r, &at, "expected \"%s\", got %s", PKJ_FORMAT,
                    describe(f));
    if (!string_is(f, PKJ_FORMAT)) {
        char q[128];
        pkj_quote(q, sizeof q, json_string_value(f), json_string_length(f),
                  40);
        return fail(r, &at, "unsupported format %s; this reader reads \"%s\"",
                    q, PKJ_FORMAT);
    }
    return PK_OK;
}

/* The keys a node of each type may have besides "type". */
static const char *const *node_keys(pk_node_type type)
{
    static const char *const container[] = {"children", NULL};
    static const char *const heading[] = {"level", "children", NULL};
    static const char *const list[] = {"list_type", "start", "tight",
                                       "children", NULL};
    static const char *const code_block[] = {"info", "text", NULL};
    static const char *const literal[] = {"text", NULL};
    static const char *const link[] = {"url", "title", "children", NULL};
    static const char *const none[] = {NULL};
    switch (type) {
    case PK_NODE_BLOCK_QUOTE:
    case PK_NODE_ITEM:
    case PK_NODE_PARAGRAPH:
    case PK_NODE_EMPH:
    case PK_NODE_STRONG:
        return container;
    case PK_NODE_HEADING:
        return heading;
    case PK_NODE_LIST:
        return list;
    case PK_NODE_CODE_BLOCK:
        return code_block;
    case PK_NODE_HTML_BLOCK:
    case PK_NODE_TEXT:
    case PK_NODE_CODE:
    case PK_NODE_HTML_INLINE:
        return literal;
    case PK_NODE_LINK:
    case PK_NODE_IMAGE:
        return link;
    case PK_NODE_THEMATIC_BREAK:
    case PK_NODE_SOFTBREAK:
    case PK_NODE_LINEBREAK:
    case PK_NODE_NONE:
    case PK_NODE_DOCUMENT:
        return none;
    }
    return none;
}

static int check_node_keys(reader *r, const pkj_path *at, json_t *j,
                           pk_node_type type)
{
    const char *name = pk_node_type_name(type);
    for (void *it = json_object_iter(j); it;
         it = json_object_iter_next(j, it)) {
        const char *key = json_object_iter_key(it);
        size_t key_len = json_object_iter_key_len(it);
        if (strcmp(key, "type") == 0)
            continue;
        bool known = false;
        for (const char *const *k = node_keys(type); *k && !known; k++)
            known = strcmp(*k, key) == 0;
        if (known)
            continue;
        if (strcmp(key, "children") == 0)
            return fail(r, at, "node type \"%s\" has no children", name);
        char q[128];
        pkj_quote(q, sizeof q, key, key_len, 40);
        return fail(r, at, "unknown key %s for node type \"%s\"", q, name);
    }
    return PK_OK;
}

/* A setter of one of a node's strings. */
typedef int (*set_text_fn)(pk_node *node, const char *s, size_t len);

/* Reads string attribute key of node object j into n with set.  The model
 * hands url, title and info back without a length, so those may not hold
 * NUL (nul_ok false); literal text may. */
static int read_text(reader *r, const pkj_path *at, json_t *j,
                     const char *key, bool required, bool nul_ok,
                     pk_node *n, set_text_fn set)
{
    const pkj_path key_at = {at, key, strlen(key), 0};
    const json_t *v = json_object_get(j, key);
    if (!v)
        return required ? fail(r, at, "missing \"%s\"", key) : PK_OK;
    if (!json_is_string(v))
        return fail(r, &key_at, "expected a string, got %s", describe(v));
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!nul_ok && memchr(s, '\0', len))
        return fail(r, &key_at, "expected a string without NUL characters");
    return model_status(r, &key_at, set(n, s, len));
}

static int read_heading(reader *r, const pkj_path *at, json_t *j, pk_node *n)
{
    const pkj_path key_at = {at, "level", 5, 0};
    const json_t *v = json_object_get(j, "level");
    if (!v)
        return fail(r, at, "missing \"level\"");
    if (!json_is_integer(v))
        return fail(r, &key_at, "expected an integer from 1 to 6, got %s",
                    describe(v));
    json_int_t level = json_integer_value(v);
    if (level < 1 || level > 6)
        return fail(r, &key_at,
                    "expected an integer from 1 to 6, got %"
                    JSON_INTEGER_FORMAT, level);
    return model_status(r, &key_at, pk_node_set_heading_level(n, (int)level));
}

static int read_list(reader *r, const pkj_path *at, json_t *j, pk_node *n)
{
    const pkj_path type_at = {at, "list_type", 9, 0};
    const pkj_path start_at = {at, "start", 5, 0};
    const pkj_path tight_at = {at, "tight", 5, 0};
    const json_t *type = json_object_get(j, "list_type");
    const json_t *start = json_object_get(j, "start");
    const json_t *tight = json_object_get(j, "tight");
    pk_list_type lt;

    if (!type)
        return fail(r, at, "missing \"list_type\"");
    if (string_is(type, "bullet"))
        lt = PK_LIST_BULLET;
    else if (string_is(type, "ordered"))
        lt = PK_LIST_ORDERED;
    else if (json_is_string(type)) {
        char q[128];
        pkj_quote(q, sizeof q, json_string_value(type),
                  json_string_length(type), 40);
        return fail(r, &type_at, "expected \"bullet\" or \"ordered\", got %s",
                    q);
    } else
        return fail(r, &type_at, "expected \"bullet\" or \"ordered\", got %s",
                    describe(type));
    int rc = model_status(r, &type_at, pk_node_set_list_type(n, lt));
    if (rc)
        return rc;

    if (start) {
        if (lt != PK_LIST_ORDERED)
            return fail(r, &start_at, "only an ordered list has a start");
        if (!json_is_integer(start))
            return fail(r, &start_at,
                        "expected an integer from 0 to 999999999, got %s",
                        describe(start));
        json_int_t s = json_integer_value(start);
        if (s < 0 || s > 999999999)
            return fail(r, &start_at,
                        "expected an integer from 0 to 999999999, got %"
                        JSON_INTEGER_FORMAT, s);
        rc = model_status(r, &start_at, pk_node_set_list_start(n, (long)s));
        if (rc)
            return rc;
    }
    if (tight) {
        if (!json_is_boolean(tight))
            return fail(r, &tight_at, "expected true or false, got %s",
                        describe(tight));
        rc = model_status(r, &tight_at,
                          pk_node_set_list_tight(n, json_is_true(tight)));
        if (rc)
            return rc;
    }
    return PK_OK;
}

static int read_node(reader *r, const pkj_path *at, json_t *j,
                     pk_node *parent);

/* The "children" of container j into node n; at is j's path. */
static int read_children(reader *r, const pkj_path *at, json_t *j, pk_node *n)
{
    const pkj_path kids_at = {at, "children", 8, 0};
    json_t *kids = json_object_get(j, "children");
    if (!kids)
        return PK_OK; /* hand-written files may leave out an empty list */
    if (!json_is_array(kids))
        return fail(r, &kids_at, "expected an array, got %s", describe(kids));
    for (size_t i = 0; i < json_array_size(kids); i++) {
        const pkj_path kid_at = {&kids_at, NULL, 0, i};
        int rc = read_node(r, &kid_at, json_array_get(kids, i), n);
        if (rc)
            return rc;
    }
    return PK_OK;
}

/* Reads node object j (at path at) and appends it to parent.  Recursion is
 * bounded by jansson's parser depth. */
static int read_node(reader *r, const pkj_path *at, json_t *j,
                     pk_node *parent)
{
    const pkj_path type_at = {at, "type", 4, 0};
    int rc;

    if (!json_is_object(j))
        return fail(r, at, "expected a node object, got %s", describe(j));
    const json_t *jtype = json_object_get(j, "type");
    if (!jtype)
        return fail(r, at, "missing \"type\"");
    if (!json_is_string(jtype))
        return fail(r, &type_at, "expected a string, got %s", describe(jtype));
    const char *name = json_string_value(jtype);
    size_t name_len = json_string_length(jtype);
    pk_node_type type = strlen(name) == name_len ? pk_node_type_from_name(name)
                                                 : PK_NODE_NONE;
    if (type == PK_NODE_DOCUMENT)
        return fail(r, at, "node type \"document\" cannot be in the body: "
                           "the body is the document's children");
    if (type == PK_NODE_NONE) {
        char q[128];
        pkj_quote(q, sizeof q, name, name_len, 40);
        return fail(r, at, "unknown node type %s", q);
    }
    if ((rc = check_node_keys(r, at, j, type)))
        return rc;

    pk_node *n = pk_node_new(r->doc, type);
    if (!n)
        return no_memory(r);
    if (pk_node_append_child(parent, n)) {
        if (pk_node_get_type(parent) == PK_NODE_DOCUMENT)
            return fail(r, at, "\"%s\" is not allowed at the top of the body",
                        name);
        return fail(r, at, "\"%s\" is not allowed inside \"%s\"", name,
                    pk_node_type_name(pk_node_get_type(parent)));
    }

    switch (type) {
    case PK_NODE_HEADING:
        rc = read_heading(r, at, j, n);
        break;
    case PK_NODE_LIST:
        rc = read_list(r, at, j, n);
        break;
    case PK_NODE_CODE_BLOCK:
        rc = read_text(r, at, j, "info", false, false, n,
                       pk_node_set_fence_info);
        if (rc == PK_OK)
            rc = read_text(r, at, j, "text", true, true, n,
                           pk_node_set_literal);
        break;
    case PK_NODE_HTML_BLOCK:
    case PK_NODE_TEXT:
    case PK_NODE_CODE:
    case PK_NODE_HTML_INLINE:
        rc = read_text(r, at, j, "text", true, true, n, pk_node_set_literal);
        break;
    case PK_NODE_LINK:
    case PK_NODE_IMAGE:
        rc = read_text(r, at, j, "url", true, false, n, pk_node_set_url);
        if (rc == PK_OK)
            rc = read_text(r, at, j, "title", false, false, n,
                           pk_node_set_title);
        break;
    default:
        break;
    }
    if (rc == PK_OK && pk_node_is_container(n))
        rc = read_children(r, at, j, n);
    return rc;
}

static int read_body(reader *r, json_t *body)
{
    const pkj_path at = {NULL, "body", 4, 0};
    if (!json_is_array(body))
        return fail(r, &at, "expected an array, got %s", describe(body));
    for (size_t i = 0; i < json_array_size(body); i++) {
        const pkj_path item_at = {&at, NULL, 0, i};
        int rc = read_node(r, &item_at, json_array_get(body, i),
                           pk_doc_root(r->doc));
        if (rc)
            return rc;
    }
    return PK_OK;
}

/*
 * "id": derived like the rest of the analysis, but kept, because a tag: id
 * is made from the source file's name: a release read from a.md and
 * written to b.json must keep a.md's id when b.json is read, so that
 * md -> json -> json gives the same bytes.  Anything but a string (null
 * from a document that was never analysed) is ignored like the other
 * derived keys; a string must be a usable id.
 */
static int read_id(reader *r, const json_t *id)
{
    const pkj_path at = {NULL, "id", 2, 0};
    if (!json_is_string(id))
        return PK_OK;
    size_t len = json_string_length(id);
    if (len == 0 || strlen(json_string_value(id)) != len)
        return fail(r, &at, "expected a non-empty string without NUL "
                            "characters");
    return model_status(r, &at, pk_doc_set_id(r->doc, json_string_value(id)));
}

/*
 * json.lenient: a copy of data[0..len) with each ill-formed UTF-8
 * sequence (its maximal subpart) replaced by U+FFFD, a warning for each at
 * its line and byte column.  *out stays NULL when every byte is fine, so
 * well-formed input costs one scan and no copy.
 */
static int repair_utf8(reader *r, const char *data, size_t len, char **out,
                       size_t *out_len)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    char *buf = NULL;
    size_t used = 0, done = 0, line_start = 0, i = 0;
    unsigned long line = 1;

    *out = NULL;
    *out_len = 0;
    while (i < len) {
        unsigned char c = (unsigned char)data[i];
        if (c < 0x80) {
            if (c == '\n') {
                line++;
                line_start = i + 1;
            }
            i++;
            continue;
        }
        size_t n = pk_utf8_decode(data + i, len - i, NULL);
        if (n > 0) {
            i += n;
            continue;
        }
        n = pk_utf8_bad_len(data + i, len - i);
        if (!buf) {
            /* Each bad byte becomes at most three: room for the worst. */
            if (len > (SIZE_MAX - 1) / 3 || !(buf = malloc(3 * len + 1)))
                return no_memory(r);
        }
        memcpy(buf + used, data + done, i - done);
        used += i - done;
        memcpy(buf + used, replacement, 3);
        used += 3;
        if (pk_doc_warn(r->doc, line, (unsigned long)(i - line_start + 1),
                        "invalid UTF-8 replaced with U+FFFD") != PK_OK) {
            free(buf);
            return no_memory(r);
        }
        i += n;
        done = i;
    }
    if (buf) {
        memcpy(buf + used, data + done, len - done);
        used += len - done;
        buf[used] = '\0';
        *out = buf;
        *out_len = used;
    }
    return PK_OK;
}

static int json_read(pk_doc *doc, const char *data, size_t len,
                     const pk_options *opts, pk_diag *diag)
{
    reader r = {doc, diag};
    json_error_t err;
    json_t *root;
    json_t *meta, *body;
    char *repaired = NULL;
    size_t repaired_len = 0;
    int rc;

    if (pk_options_get_bool(opts, "lenient")) {
        rc = repair_utf8(&r, data, len, &repaired, &repaired_len);
        if (rc != PK_OK)
            return rc;
        if (repaired) {
            data = repaired;
            len = repaired_len;
        }
    }
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!root) {
        rc = syntax_error(&r, data, len, &err);
        free(repaired);
        return rc;
    }
    if (!json_is_object(root)) {
        rc = fail(&r, NULL, "expected one release object, got %s",
                  describe(root));
        goto out;
    }
    if ((rc = check_format(&r, root)))
        goto out;
    meta = json_object_get(root, "meta");
    rc = meta ? read_meta(&r, meta) : read_top_fields(&r, root);
    if (rc)
        goto out;
    body = json_object_get(root, "body");
    if (body && (rc = read_body(&r, body)))
        goto out;
    rc = read_id(&r, json_object_get(root, "id"));
out:
    json_decref(root);
    free(repaired);
    return rc;
}

static const char *const extensions[] = {"json", NULL};

static const pk_option_def options[] = {
    {"lenient", PK_OPTION_BOOL, "false",
     "replace invalid UTF-8 with U+FFFD, with a warning, instead of "
     "refusing the input"},
    {NULL, 0, NULL, NULL},
};

static const pk_reader_ops reader_ops = {.read = json_read};

static const pk_plugin json_reader = {
    PK_PLUGIN_HEADER,
    "json",
    PK_PLUGIN_READER,
    PK_VERSION_STRING,
    "canonical presskit JSON (format presskit/1), as the json writer makes it",
    extensions,
    "application/json",
    0,
    options,
    &reader_ops,
    NULL,
};

PK_PLUGIN_DEFINE(json_reader)
