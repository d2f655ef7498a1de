/*
 * xmltest.h - helpers the xml and xhtml writer tests share: building
 * documents through the model API, running a writer module into memory,
 * comparing with golden files and re-parsing the output with libxml2.
 *
 * Header-only (static functions) so each test program stays one file.
 */
#ifndef PK_XMLTEST_H
#define PK_XMLTEST_H

#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "pk_test.h"

/* ---- building documents ----------------------------------------------- */

static inline pk_doc *xt_new_doc(const char *source)
{
    pk_doc *doc;
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_new(&doc), &d);
    PK_ASSERT_OK(pk_doc_set_source(doc, source), &d);
    return doc;
}

static inline pk_value *xt_strn(pk_doc *doc, const char *s, size_t len)
{
    pk_value *v = pk_value_new_string(doc, s, len);
    assert_non_null(v);
    return v;
}

static inline pk_value *xt_str(pk_doc *doc, const char *s)
{
    return xt_strn(doc, s, strlen(s));
}

static inline void xt_put(pk_value *map, const char *key, pk_value *v)
{
    assert_non_null(v);
    assert_int_equal(pk_value_map_append(map, key, strlen(key), v), PK_OK);
}

static inline void xt_push(pk_value *list, pk_value *v)
{
    assert_non_null(v);
    assert_int_equal(pk_value_list_append(list, v), PK_OK);
}

/* Appends a new node of type (in doc) to parent and returns it. */
static inline pk_node *xt_node(pk_doc *doc, pk_node *parent, pk_node_type type)
{
    pk_node *n = pk_node_new(doc, type);
    assert_non_null(n);
    assert_int_equal(pk_node_append_child(parent, n), PK_OK);
    return n;
}

/* Appends a node with a literal (text, code, html…). */
static inline pk_node *xt_lit(pk_doc *doc, pk_node *parent, pk_node_type type,
                              const char *s, size_t len)
{
    pk_node *n = xt_node(doc, parent, type);
    assert_int_equal(pk_node_set_literal(n, s, len), PK_OK);
    return n;
}

static inline pk_node *xt_text(pk_doc *doc, pk_node *parent, const char *s)
{
    return xt_lit(doc, parent, PK_NODE_TEXT, s, strlen(s));
}

/* A paragraph holding one text node. */
static inline pk_node *xt_para(pk_doc *doc, pk_node *parent, const char *s)
{
    pk_node *p = xt_node(doc, parent, PK_NODE_PARAGRAPH);
    xt_text(doc, p, s);
    return p;
}

/* A link or image with url and title. */
static inline pk_node *xt_target(pk_doc *doc, pk_node *parent,
                                 pk_node_type type, const char *url,
                                 const char *title)
{
    pk_node *n = xt_node(doc, parent, type);
    assert_int_equal(pk_node_set_url(n, url, strlen(url)), PK_OK);
    if (title)
        assert_int_equal(pk_node_set_title(n, title, strlen(title)), PK_OK);
    return n;
}

/* Validates and analyses doc, as pk_read does after a reader. */
static inline void xt_finish(pk_doc *doc)
{
    pk_diag d = PK_DIAG_INIT;
    PK_ASSERT_OK(pk_doc_validate(doc, &d), &d);
    PK_ASSERT_OK(pk_doc_analyse(doc, NULL, &d), &d);
}

/* ---- running a writer ------------------------------------------------- */

/* An option for xt_write: "name=value". */
typedef struct xt_option {
    const char *name, *value;
} xt_option;

/* Writes n documents through writer into memory with mode and options
 * (NULL-terminated by a NULL name, or NULL); returns the bytes (free())
 * and their count in *len. */
static inline char *xt_write(const pk_plugin *writer,
                             const pk_doc *const *docs, size_t n,
                             unsigned mode, const xt_option *opt,
                             size_t *len)
{
    pk_sink *sink;
    pk_options *opts;
    void *state;
    pk_diag d = PK_DIAG_INIT;
    size_t size;

    PK_ASSERT_OK(pk_sink_new_memory(&sink), &d);
    PK_ASSERT_OK(pk_options_new(&opts, writer->name, writer->options), &d);
    for (; opt && opt->name; opt++)
        PK_ASSERT_OK(pk_options_set(opts, opt->name, opt->value, &d), &d);
    PK_ASSERT_OK(writer->writer->open(&state, sink, opts, mode, &d), &d);
    for (size_t i = 0; i < n; i++)
        PK_ASSERT_OK(writer->writer->write(state, docs[i], &d), &d);
    PK_ASSERT_OK(writer->writer->close(state, &d), &d);
    const char *data = pk_sink_memory_data(sink, &size);
    char *out = malloc(size + 1);
    assert_non_null(out);
    memcpy(out, data, size);
    out[size] = '\0';
    if (len)
        *len = size;
    pk_sink_free(sink);
    pk_options_free(opts);
    return out;
}

static inline char *xt_write_one(const pk_plugin *writer, const pk_doc *doc)
{
    return xt_write(writer, &doc, 1, PK_OUTPUT_SINGLE, NULL, NULL);
}

/* ---- files ------------------------------------------------------------ */

/* Reads a whole file; NULL if it cannot be read. */
static inline char *xt_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0, r;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((r = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static inline void xt_write_file(const char *path, const char *data,
                                 size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/*
 * Compares actual with the golden file dir/name.  With PK_UPDATE_GOLDEN=1
 * in the environment it rewrites the file instead (review the diff before
 * committing it).  On a mismatch it writes actual beside the build's
 * working directory as name.actual and fails naming the first difference.
 */
static inline void xt_golden(const char *dir, const char *name,
                             const char *actual, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    const char *update = getenv("PK_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        xt_write_file(path, actual, len);
        return;
    }
    size_t elen = 0;
    char *expected = xt_read_file(path, &elen);
    if (!expected)
        fail_msg("cannot read golden file %s (PK_UPDATE_GOLDEN=1 makes it)",
                 path);
    if (elen != len || memcmp(expected, actual, len) != 0) {
        size_t i = 0, line = 1;
        while (i < elen && i < len && expected[i] == actual[i])
            if (expected[i++] == '\n')
                line++;
        char saved[4200];
        snprintf(saved, sizeof saved, "%s.actual", name);
        xt_write_file(saved, actual, len);
        free(expected);
        fail_msg("%s differs from the golden file at line %zu (byte %zu); "
                 "the output is in %s: diff -u %s %s",
                 name, line, i, saved, path, saved);
    }
    free(expected);
}

/* ---- parsing the output ----------------------------------------------- */

/* Parses out as XML without network access or entity expansion tricks;
 * fails the test if it is not well-formed.  Free with xmlFreeDoc(). */
static inline xmlDocPtr xt_parse(const char *out, size_t len)
{
    assert_true(len < (size_t)INT32_MAX);
    xmlDocPtr x = xmlReadMemory(out, (int)len, "output.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
    if (!x) {
        xmlErrorPtr e = xmlGetLastError();
        fail_msg("output is not well-formed XML: %s (line %d)",
                 e && e->message ? e->message : "?", e ? e->line : 0);
    }
    return x;
}

/* Counts the elements called name (any namespace) in the tree at n. */
static inline size_t xt_count(xmlNodePtr n, const char *name)
{
    size_t c = 0;
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            xmlStrcmp(n->name, BAD_CAST name) == 0)
            c++;
        c += xt_count(n->children, name);
    }
    return c;
}

/* Returns the first element called name in document order, or NULL. */
static inline xmlNodePtr xt_find(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            xmlStrcmp(n->name, BAD_CAST name) == 0)
            return n;
        xmlNodePtr found = xt_find(n->children, name);
        if (found)
            return found;
    }
    return NULL;
}

/* Returns true if any element of the tree has an attribute whose name
 * starts with prefix (case-insensitive), e.g. "on" for event handlers. */
static inline bool xt_has_attr_prefix(xmlNodePtr n, const char *prefix)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                if (xmlStrncasecmp(a->name, BAD_CAST prefix,
                                   (int)strlen(prefix)) == 0)
                    return true;
            if (xt_has_attr_prefix(n->children, prefix))
                return true;
        }
    }
    return false;
}

/* The text content of element n (free with xmlFree). */
static inline char *xt_content(xmlNodePtr n)
{
    assert_non_null(n);
    return (char *)xmlNodeGetContent(n);
}

#endif
