/*
 * doc.c - the document: arena, metadata, body root, validation of the
 * known fields and their typed accessors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

pk_node *pk_node_new_document(pk_doc *doc);

int pk_doc_new(pk_doc **out)
{
    *out = NULL;
    pk_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return PK_ENOMEM;
    pk_arena_init(&doc->arena);
    if (pthread_mutex_init(&doc->lock, NULL) != 0) {
        free(doc);
        return PK_ENOMEM;
    }
    doc->source = "";
    doc->lang = "en";
    doc->meta = pk_value_new_map(doc);
    doc->root = pk_node_new_document(doc);
    if (!doc->meta || !doc->root) {
        pk_doc_free(doc);
        return PK_ENOMEM;
    }
    *out = doc;
    return PK_OK;
}

void pk_doc_free(pk_doc *doc)
{
    if (!doc)
        return;
    pk_arena_release(&doc->arena);
    pthread_mutex_destroy(&doc->lock);
    free(doc);
}

void *pk_doc_alloc(pk_doc *doc, size_t size)
{
    if (!doc)
        return NULL;
    pthread_mutex_lock(&doc->lock);
    void *p = pk_arena_alloc(&doc->arena, size);
    pthread_mutex_unlock(&doc->lock);
    return p;
}

char *pk_doc_strndup(pk_doc *doc, const char *s, size_t len)
{
    if (!doc || len == SIZE_MAX)
        return NULL;
    pthread_mutex_lock(&doc->lock);
    char *p = pk_arena_alloc_raw(&doc->arena, len + 1);
    pthread_mutex_unlock(&doc->lock);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

int pk_doc_set_source(pk_doc *doc, const char *name)
{
    char *copy = pk_doc_strndup(doc, name ? name : "", name ? strlen(name) : 0);
    if (!copy)
        return PK_ENOMEM;
    doc->source = copy;
    return PK_OK;
}

const char *pk_doc_source(const pk_doc *doc) { return doc->source; }

struct pk_doc_warning {
    struct pk_doc_warning *next;
    unsigned long line, column;
    char message[]; /* NUL-terminated, at most PK_DIAG_MESSAGE_MAX - 1 */
};

int pk_doc_warn(pk_doc *doc, unsigned long line, unsigned long column,
                const char *fmt, ...)
{
    pk_diag d = PK_DIAG_INIT;
    va_list ap;
    va_start(ap, fmt);
    pk_diag_vset(&d, PK_OK, NULL, line, column, fmt, ap);
    va_end(ap);
    size_t len = strlen(d.message);
    pthread_mutex_lock(&doc->lock);
    int rc = PK_OK;
    if (doc->n_warnings < PK_DOC_WARNINGS_MAX) {
        struct pk_doc_warning *w =
            pk_arena_alloc(&doc->arena, sizeof *w + len + 1);
        if (w) {
            w->line = line;
            w->column = column;
            memcpy(w->message, d.message, len + 1);
            if (doc->warnings_tail)
                doc->warnings_tail->next = w;
            else
                doc->warnings = w;
            doc->warnings_tail = w;
        } else {
            rc = PK_ENOMEM;
        }
    }
    if (rc == PK_OK)
        doc->n_warnings++;
    pthread_mutex_unlock(&doc->lock);
    return rc;
}

size_t pk_doc_warning_count(const pk_doc *doc) { return doc->n_warnings; }

bool pk_doc_warning(const pk_doc *doc, size_t i, pk_diag *out)
{
    pk_diag_clear(out);
    const struct pk_doc_warning *w = doc->warnings;
    for (; w && i > 0; i--)
        w = w->next;
    if (!w)
        return false;
    pk_diag_set(out, PK_OK, doc->source, w->line, w->column, "%s",
                w->message);
    return true;
}
pk_value *pk_doc_meta(const pk_doc *doc) { return doc->meta; }
pk_node *pk_doc_root(const pk_doc *doc) { return doc->root; }

/* "a string", "an integer", "null": for "expected X, got Y" messages. */
static const char *describe(const pk_value *v)
{
    switch (pk_value_type_of(v)) {
    case PK_VALUE_NULL: return "null";
    case PK_VALUE_BOOL: return "a boolean";
    case PK_VALUE_INTEGER: return "an integer";
    case PK_VALUE_REAL: return "a number";
    case PK_VALUE_STRING: return "a string";
    case PK_VALUE_LIST: return "a list";
    case PK_VALUE_MAP: return "a map";
    }
    return "a value";
}

/* Quotes s for a message: at most 60 bytes, control characters and quotes
 * escaped, cut on a character boundary. */
static void quote(char *buf, size_t cap, const char *s, size_t len)
{
    size_t o = 0;
    buf[o++] = '"';
    for (size_t i = 0; i < len && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i >= 60 && (c & 0xC0) != 0x80) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c < 0x20 || c == 0x7F)
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02X", c);
        else if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else
            buf[o++] = (char)c;
    }
    buf[o++] = '"';
    buf[o] = '\0';
}

static int at(pk_diag *diag, const pk_doc *doc, const pk_value *v,
              const char *fmt, const char *key, const char *what)
{
    /* A missing key is reported where the front matter's map starts,
     * when the reader recorded it. */
    if (!v && pk_value_line(doc->meta))
        v = doc->meta;
    unsigned long line = v ? pk_value_line(v) : 1;
    unsigned long col = v ? pk_value_column(v) : 1;
    return pk_diag_set(diag, PK_EINPUT, doc->source, line, col, fmt, key, what);
}

static int string_field(pk_doc *doc, const char *key, bool required,
                        const char **out, pk_diag *diag)
{
    pk_value *v = pk_value_map_get(doc->meta, key);
    if (!v) {
        if (required)
            return at(diag, doc, NULL, "%s: missing; a release needs a %s",
                      key, key);
        return PK_OK;
    }
    size_t len;
    const char *s = pk_value_string(v, &len);
    if (!s)
        return at(diag, doc, v, "%s: expected a string, got %s", key,
                  describe(v));
    if (required && len == 0)
        return at(diag, doc, v, "%s: expected a non-empty string%s", key, "");
    if (memchr(s, '\0', len))
        return at(diag, doc, v, "%s: expected text, got %s", key,
                  "a NUL character");
    *out = s;
    return PK_OK;
}

/* A string or a list of strings, as an array of borrowed strings. */
static int list_field(pk_doc *doc, const char *key, const char ***out,
                      size_t *count, pk_diag *diag)
{
    *out = NULL;
    *count = 0;
    pk_value *v = pk_value_map_get(doc->meta, key);
    if (!v || pk_value_type_of(v) == PK_VALUE_NULL)
        return PK_OK;
    size_t n = pk_value_type_of(v) == PK_VALUE_LIST ? pk_value_count(v) : 1;
    if (pk_value_type_of(v) != PK_VALUE_LIST && !pk_value_string(v, NULL))
        return at(diag, doc, v, "%s: expected a string or a list of strings, got %s",
                  key, describe(v));
    const char **items = pk_doc_alloc(doc, (n ? n : 1) * sizeof *items);
    if (!items)
        return PK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        pk_value *item = pk_value_type_of(v) == PK_VALUE_LIST ? pk_value_at(v, i) : v;
        size_t len;
        const char *s = pk_value_string(item, &len);
        if (!s || len == 0 || memchr(s, '\0', len)) {
            char where[64];
            snprintf(where, sizeof where, "%s[%zu]", key, i);
            return at(diag, doc, item, "%s: expected a non-empty string, got %s",
                      where, s ? "an empty or NUL-holding string" : describe(item));
        }
        items[i] = s;
    }
    *out = items;
    *count = n;
    return PK_OK;
}

/* BCP 47 in its common shape: 2-8 letters, then -subtags of 1-8. */
static bool lang_tag_ok(const char *s)
{
    size_t n = 0;
    bool first = true;
    for (;; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
            (!first && *s >= '0' && *s <= '9')) {
            if (++n > 8)
                return false;
        } else if (*s == '-' || *s == '\0') {
            if (n < (first ? 2u : 1u))
                return false;
            if (*s == '\0')
                return true;
            first = false;
            n = 0;
        } else {
            return false;
        }
    }
}

int pk_doc_validate(pk_doc *doc, pk_diag *diag)
{
    int rc;
    doc->valid = false;
    if ((rc = string_field(doc, "title", true, &doc->title, diag)))
        return rc;
    if ((rc = string_field(doc, "date", true, &doc->date_string, diag))) {
        pk_value *v = pk_value_map_get(doc->meta, "date");
        if (v && rc == PK_EINPUT && !pk_value_string(v, NULL))
            return at(diag, doc, v,
                      "%s: expected YYYY-MM-DD or an RFC 3339 date-time, got %s",
                      "date", describe(v));
        return rc;
    }
    if (pk_date_parse(doc->date_string, strlen(doc->date_string), &doc->date)) {
        char q[128];
        quote(q, sizeof q, doc->date_string, strlen(doc->date_string));
        return at(diag, doc, pk_value_map_get(doc->meta, "date"),
                  "%s: expected YYYY-MM-DD or an RFC 3339 date-time, got %s",
                  "date", q);
    }
    doc->url = NULL;
    if ((rc = string_field(doc, "url", false, &doc->url, diag)))
        return rc;
    doc->lang = "en";
    if ((rc = string_field(doc, "lang", false, &doc->lang, diag)))
        return rc;
    if (!lang_tag_ok(doc->lang)) {
        char q[128];
        quote(q, sizeof q, doc->lang, strlen(doc->lang));
        return at(diag, doc, pk_value_map_get(doc->meta, "lang"),
                  "%s: expected a language tag such as \"en\" or \"mi-NZ\", got %s",
                  "lang", q);
    }
    if ((rc = list_field(doc, "ministers", &doc->ministers, &doc->n_ministers,
                         diag)))
        return rc;
    if ((rc = list_field(doc, "portfolios", &doc->portfolios,
                         &doc->n_portfolios, diag)))
        return rc;
    doc->valid = true;
    return PK_OK;
}

const char *pk_doc_title(const pk_doc *doc) { return doc->title; }
const char *pk_doc_date_string(const pk_doc *doc) { return doc->date_string; }
const pk_date *pk_doc_date(const pk_doc *doc) { return &doc->date; }
const char *pk_doc_url(const pk_doc *doc) { return doc->url; }
const char *pk_doc_lang(const pk_doc *doc) { return doc->lang; }
size_t pk_doc_minister_count(const pk_doc *doc) { return doc->n_ministers; }
size_t pk_doc_portfolio_count(const pk_doc *doc) { return doc->n_portfolios; }

const char *pk_doc_minister(const pk_doc *doc, size_t i)
{
    return i < doc->n_ministers ? doc->ministers[i] : NULL;
}

const char *pk_doc_portfolio(const pk_doc *doc, size_t i)
{
    return i < doc->n_portfolios ? doc->portfolios[i] : NULL;
}
