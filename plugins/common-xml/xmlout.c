/*
 * xmlout.c - an xmlTextWriter into a pk_sink, XML-safe text and nesting
 * depth, shared by the XML writers.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "xmlout.h"

/*
 * libxml2 sets some tables up lazily and unlocked on first use (the
 * encoding handlers among them), so it must be initialised before two
 * threads use it.  Plugins are loaded on one thread before any writer
 * runs; initialising at load time is idempotent and keeps no state of our
 * own.
 */
__attribute__((constructor)) static void init_libxml2(void)
{
    xmlInitParser();
}

void pkx_buf_free(pkx_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Makes room for n more bytes and a NUL. */
static int buf_reserve(pkx_buf *b, size_t n)
{
    if (n < b->cap - b->len && b->data)
        return 0;
    if (n > SIZE_MAX / 2 - b->len - 1)
        return -1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int pkx_buf_add(pkx_buf *b, const char *s, size_t len)
{
    if (buf_reserve(b, len) < 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

/* ---- the output ------------------------------------------------------- */

/*
 * Hands libxml2's bytes to the sink.  A failed write is not reported to
 * libxml2, which would print "I/O error" on stderr behind our back: the
 * sink keeps the error (it is sticky and drops later bytes) and
 * pkx_out_flush reports it when the document ends.
 */
static int sink_write(void *context, const char *buf, int len)
{
    if (len > 0)
        pk_sink_write(context, buf, (size_t)len);
    return len < 0 ? 0 : len;
}

/* The sink belongs to the caller: closing the libxml2 buffer leaves it. */
static int sink_close(void *context)
{
    (void)context;
    return 0;
}

int pkx_out_open(pkx_out *out, pk_sink *sink, bool indent)
{
    memset(out, 0, sizeof *out);
    out->sink = sink;
    xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(sink_write, sink_close,
                                                     sink, NULL);
    if (!buf)
        return PK_ENOMEM;
    out->w = xmlNewTextWriter(buf);
    if (!out->w) {
        xmlOutputBufferClose(buf);
        return PK_ENOMEM;
    }
    if (indent && (xmlTextWriterSetIndent(out->w, 1) < 0 ||
                   xmlTextWriterSetIndentString(out->w, BAD_CAST "  ") < 0)) {
        pkx_out_close(out);
        return PK_ENOMEM;
    }
    return PK_OK;
}

int pkx_out_flush(pkx_out *out)
{
    if (xmlTextWriterFlush(out->w) < 0 || pk_sink_error(out->sink))
        return pkx_out_status(out);
    return PK_OK;
}

void pkx_out_close(pkx_out *out)
{
    if (out->w)
        xmlFreeTextWriter(out->w);
    out->w = NULL;
    pkx_buf_free(&out->scratch);
}

int pkx_out_status(const pkx_out *out)
{
    int rc = out->sink ? pk_sink_error(out->sink) : PK_OK;
    return rc != PK_OK ? rc : PK_ENOMEM;
}

/* ---- XML-safe text ---------------------------------------------------- */

/* XML 1.0's Char production, for a code point that is valid UTF-8. */
static bool xml_char(uint32_t cp)
{
    if (cp < 0x20)
        return cp == 0x09 || cp == 0x0A || cp == 0x0D;
    return cp != 0xFFFE && cp != 0xFFFF;
}

int pkx_buf_add_xml(pkx_buf *b, const char *s, size_t len)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    size_t i = 0;
    if (!s)
        len = 0;
    if (pkx_buf_add(b, "", 0) < 0)
        return -1;
    while (i < len) {
        /* Copy the longest clean run at once.  ASCII, most of any text,
         * is decoded here: a call per byte into libpresskit would cost
         * more than the rest of the loop. */
        size_t start = i, n = 0;
        uint32_t cp;
        while (i < len) {
            cp = (unsigned char)s[i];
            n = cp < 0x80 ? 1 : pk_utf8_decode(s + i, len - i, &cp);
            if (n == 0 || !xml_char(cp))
                break;
            i += n;
        }
        if (i > start && pkx_buf_add(b, s + start, i - start) < 0)
            return -1;
        if (i == len)
            break;
        /* One bad character (n bytes) or one bad byte (n == 0). */
        if (pkx_buf_add(b, fffd, 3) < 0)
            return -1;
        i += n ? n : 1;
    }
    return 0;
}

const xmlChar *pkx_clean(pkx_out *out, const char *s, size_t len)
{
    out->scratch.len = 0;
    if (pkx_buf_add_xml(&out->scratch, s, len) < 0)
        return NULL;
    return (const xmlChar *)out->scratch.data;
}

/* ---- writing ---------------------------------------------------------- */

int pkx_start(pkx_out *out, const char *name)
{
    return xmlTextWriterStartElement(out->w, BAD_CAST name);
}

int pkx_end(pkx_out *out)
{
    return xmlTextWriterEndElement(out->w);
}

int pkx_full_end(pkx_out *out)
{
    return xmlTextWriterFullEndElement(out->w);
}

int pkx_text(pkx_out *out, const char *s, size_t len)
{
    const xmlChar *t = pkx_clean(out, s, len);
    if (!t)
        return -1;
    return xmlTextWriterWriteString(out->w, t);
}

int pkx_ctext(pkx_out *out, const char *s)
{
    return s ? pkx_text(out, s, strlen(s)) : 0;
}

int pkx_attr(pkx_out *out, const char *name, const char *s, size_t len)
{
    const xmlChar *t = pkx_clean(out, s, len);
    if (!t)
        return -1;
    return xmlTextWriterWriteAttribute(out->w, BAD_CAST name, t);
}

int pkx_cattr(pkx_out *out, const char *name, const char *s)
{
    return pkx_attr(out, name, s, s ? strlen(s) : 0);
}

int pkx_element(pkx_out *out, const char *name, const char *s)
{
    if (pkx_start(out, name) < 0 ||
        pkx_text(out, s, s ? strlen(s) : 0) < 0)
        return -1;
    return pkx_full_end(out);
}

/* ---- nesting ---------------------------------------------------------- */

size_t pkx_node_depth(const pk_node *root, size_t limit)
{
    /* Walked without recursion: the tree may be arbitrarily deep. */
    size_t depth = 0, deepest = 0;
    const pk_node *n = pk_node_first_child(root);
    while (n && n != root) {
        if (depth + 1 > deepest)
            deepest = depth + 1;
        if (deepest > limit)
            return deepest;
        const pk_node *child = pk_node_first_child(n);
        if (child) {
            depth++;
            n = child;
            continue;
        }
        while (n != root && !pk_node_next(n)) {
            n = pk_node_parent(n);
            depth--;
        }
        if (n != root)
            n = pk_node_next(n);
    }
    return deepest;
}

size_t pkx_value_depth(const pk_value *v, size_t limit)
{
    pk_value_type t = pk_value_type_of(v);
    if (t != PK_VALUE_LIST && t != PK_VALUE_MAP)
        return 0;
    if (limit == 0)
        return 1;
    /* Recursion stops at limit, so the stack stays small. */
    size_t deepest = 0;
    for (size_t i = 0; i < pk_value_count(v); i++) {
        size_t d = pkx_value_depth(pk_value_at(v, i), limit - 1);
        if (d > deepest)
            deepest = d;
        if (deepest >= limit)
            break;
    }
    return deepest + 1;
}
