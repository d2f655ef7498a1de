/*
 * xmlout.c - an xmlTextWriter into a pk_sink, XML-safe text and nesting
 * depth, shared by the XML writers.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
static int buf_grow(pkx_buf *b, size_t n);

static inline int buf_reserve(pkx_buf *b, size_t n)
{
    if (n < b->cap - b->len && b->data)
        return 0;
    return buf_grow(b, n);
}

static int buf_grow(pkx_buf *b, size_t n)
{
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

int pkx_out_open_direct(pkx_out *out, pk_sink *sink, unsigned flags)
{
    memset(out, 0, sizeof *out);
    out->sink = sink;
    out->buf = &out->own;
    out->flags = flags;
    out->doindent = true; /* xmlTextWriterSetIndent sets it */
    return PK_OK;
}

int pkx_out_open_buf(pkx_out *out, pkx_buf *buf, unsigned flags,
                     size_t depth)
{
    memset(out, 0, sizeof *out);
    out->buf = buf;
    out->flags = flags;
    out->doindent = true;
    out->base = depth;
    return PK_OK;
}

/* Hands the direct back end's bytes to the sink. */
static void direct_drain(pkx_out *out)
{
    if (out->sink && out->buf->len) {
        pk_sink_write(out->sink, out->buf->data, out->buf->len);
        out->buf->len = 0;
        out->buf->data[0] = '\0';
    }
}

int pkx_out_flush(pkx_out *out)
{
    if (!out->w) {
        if (out->failed)
            return pkx_out_status(out);
        direct_drain(out);
        return out->sink ? pk_sink_error(out->sink) : PK_OK;
    }
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
    pkx_buf_free(&out->own);
    pkx_buf_free(&out->stack);
    free(out->names);
    out->names = NULL;
    out->names_cap = out->depth = 0;
}

int pkx_out_status(const pkx_out *out)
{
    int rc = out->sink ? pk_sink_error(out->sink) : PK_OK;
    return rc != PK_OK ? rc : PK_ENOMEM;
}

/* ---- XML-safe text ---------------------------------------------------- */

const xmlChar *pkx_clean(pkx_out *out, const char *s, size_t len)
{
    out->scratch.len = 0;
    if (pkx_buf_add_xml(&out->scratch, s, len) < 0)
        return NULL;
    return (const xmlChar *)out->scratch.data;
}

/*
 * Cleaning and escaping in one pass, for the direct back end: runs of
 * bytes that need neither are copied at once.  What comes out is what
 * pkx_clean followed by libxml2's escaping gives (xmlEncodeSpecialChars
 * for text, xmlBufAttrSerializeTxtContent for attributes).
 */
enum { COPY = 0, ESCAPE, FORBIDDEN, MULTIBYTE };

/* The class of each byte in text and in attribute values, and when
 * cleaning only (pkx_buf_add_xml). */
static unsigned char text_class[256], attr_class[256], clean_class[256];

__attribute__((constructor)) static void init_classes(void)
{
    for (int c = 0; c < 256; c++) {
        unsigned char k = c >= 0x80 ? MULTIBYTE
                          : c < 0x20 && c != '\t' && c != '\n' && c != '\r'
                              ? FORBIDDEN
                              : COPY;
        text_class[c] = attr_class[c] = clean_class[c] = k;
    }
    static const char text_esc[] = "<>&\"\r", attr_esc[] = "<>&\"\r\n\t";
    for (const char *p = text_esc; *p; p++)
        text_class[(unsigned char)*p] = ESCAPE;
    for (const char *p = attr_esc; *p; p++)
        attr_class[(unsigned char)*p] = ESCAPE;
}

static const char *escape_of(unsigned char c)
{
    switch (c) {
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '"': return "&quot;";
    case '\r': return "&#13;";
    case '\n': return "&#10;";
    default: return "&#9;"; /* tab, in attributes */
    }
}

/*
 * The index of the first byte from i on that may need work: every byte
 * that is not COPY in either class is found, and a few that are (tab, LF)
 * may be.  Sixteen bytes at a time where SSE2 is there (all x86-64).
 */
static inline size_t scan(const unsigned char *s, size_t i, size_t len,
                          const unsigned char *cls)
{
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(0x20), lt = _mm_set1_epi8('<'),
                  gt = _mm_set1_epi8('>'), amp = _mm_set1_epi8('&'),
                  quot = _mm_set1_epi8('"');
    while (len - i >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        /* Signed: below 0x20 are the controls and every byte >= 0x80. */
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, lt)),
            _mm_or_si128(_mm_cmpeq_epi8(x, gt),
                         _mm_or_si128(_mm_cmpeq_epi8(x, amp),
                                      _mm_cmpeq_epi8(x, quot))));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < len && cls[s[i]] == COPY)
        i++;
    return i;
}

static int add_escaped(pkx_buf *b, const char *str, size_t len,
                       const unsigned char *cls, bool refs)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, start_len = b->len;
    if (!s)
        len = 0;
    /* Room for the rest of the input plus one escape is kept at every
     * escape: runs are copied without a check. */
    if (len > SIZE_MAX / 2 || buf_reserve(b, len + 16) < 0)
        return -1;
    while (i < len) {
        size_t start = i;
        uint32_t cp = 0;
        size_t n = 0;
        unsigned char k = COPY;
        for (;;) {
            i = scan(s, i, len, cls);
            if (i == len)
                break;
            k = cls[s[i]];
            if (k == COPY) {
                i++;
                continue;
            }
            if (k == MULTIBYTE) {
                n = pk_utf8_decode((const char *)s + i, len - i, &cp);
                /* Text keeps well-formed characters XML allows. */
                if (!refs && n && cp != 0xFFFE && cp != 0xFFFF) {
                    i += n;
                    continue;
                }
            }
            break;
        }
        if (i > start) {
            memcpy(b->data + b->len, s + start, i - start);
            b->len += i - start;
        }
        if (i == len)
            break;
        /* One character to escape, replace or reference: at most 10
         * bytes out ("&#x10FFFF;"). */
        if (b->cap - b->len <= len - i + 16 && buf_reserve(b, len - i + 16) < 0)
            goto fail;
        char *o = b->data + b->len;
        unsigned char c = s[i];
        if (k == ESCAPE) {
            const char *e = escape_of(c);
            size_t el = strlen(e);
            memcpy(o, e, el);
            b->len += el;
            i++;
            continue;
        }
        if (k == FORBIDDEN)
            n = 0;
        if (n == 0 || cp == 0xFFFE || cp == 0xFFFF) {
            i += n ? n : 1;
            if (!refs) {
                memcpy(o, "\xEF\xBF\xBD", 3); /* U+FFFD */
                b->len += 3;
                continue;
            }
            cp = 0xFFFD;
            n = 0;
        }
        /* A character reference, as libxml2's xmlSerializeHexCharRef. */
        static const char hex[] = "0123456789ABCDEF";
        char tmp[8];
        size_t t = 0;
        for (uint32_t v = cp; v; v >>= 4)
            tmp[t++] = hex[v & 0xF];
        *o++ = '&', *o++ = '#', *o++ = 'x';
        while (t)
            *o++ = tmp[--t];
        *o++ = ';';
        b->len = (size_t)(o - b->data);
        i += n; /* 0 for a replacement, counted above */
    }
    b->data[b->len] = '\0';
    return 0;
fail:
    b->len = start_len;
    b->data[b->len] = '\0';
    return -1;
}

int pkx_buf_add_xml(pkx_buf *b, const char *s, size_t len)
{
    return add_escaped(b, s, len, clean_class, false);
}

int pkx_buf_add_text(pkx_buf *b, const char *s, size_t len)
{
    return add_escaped(b, s, len, text_class, false);
}

int pkx_buf_add_attr(pkx_buf *b, const char *s, size_t len, bool ascii)
{
    return add_escaped(b, s, len, attr_class, ascii);
}

/* ---- the direct back end --------------------------------------------- */

/*
 * It follows xmlTextWriter's state machine (libxml2 2.9 xmlwriter.c) for
 * the calls presskit makes: an element's start tag stays open for
 * attributes until content, a child or its end; namespace declarations
 * come last in the tag; with indentation, a start tag goes on a new line
 * indented by its depth, and an end tag too unless text or raw bytes came
 * last (doindent).
 */

static int d_fail(pkx_out *out)
{
    out->failed = true;
    return -1;
}

/* Makes room for n more bytes (and a NUL); returns where they go, or NULL
 * on out of memory.  The caller adds what it wrote to buf->len. */
static inline char *d_room(pkx_out *out, size_t n)
{
    pkx_buf *b = out->buf;
    if (buf_reserve(b, n) < 0) {
        d_fail(out);
        return NULL;
    }
    return b->data + b->len;
}

static inline int d_put(pkx_out *out, const char *s, size_t n)
{
    char *o = d_room(out, n);
    if (!o)
        return -1;
    memcpy(o, s, n);
    out->buf->len += n;
    o[n] = '\0';
    return 0;
}

static char *put_indent(char *o, size_t levels)
{
    memset(o, ' ', 2 * levels);
    return o + 2 * levels;
}

/* Large outputs go to the sink in blocks. */
static int d_done(pkx_out *out)
{
    if (out->sink && out->buf->len >= 64 * 1024)
        direct_drain(out);
    return 0;
}

/* Writes the open start tag's namespace declaration, if any. */
static int d_ns(pkx_out *out)
{
    if (!out->ns)
        return 0;
    const char *ns = out->ns;
    out->ns = NULL;
    if (d_put(out, " xmlns=\"", 8) < 0 ||
        pkx_buf_add_attr(out->buf, ns, strlen(ns),
                         out->flags & PKX_OUT_ASCII_ATTRS) < 0 ||
        d_put(out, "\"", 1) < 0)
        return d_fail(out);
    return 0;
}

/* Closes the open start tag, with its namespace declaration. */
static int d_close_tag(pkx_out *out)
{
    if (!out->open_tag)
        return 0;
    out->open_tag = false;
    if (d_ns(out) < 0)
        return -1;
    return d_put(out, ">", 1);
}

static int d_start(pkx_out *out, const char *name)
{
    bool indent = out->flags & PKX_OUT_INDENT;
    if (out->failed || !name || !*name)
        return -1;
    size_t nlen = strlen(name);
    if (out->open_tag) {
        if (d_close_tag(out) < 0 || (indent && d_put(out, "\n", 1) < 0))
            return -1;
    }
    if (out->depth == out->names_cap) {
        size_t cap = out->names_cap ? 2 * out->names_cap : 32;
        size_t *p = realloc(out->names, cap * sizeof *p);
        if (!p)
            return d_fail(out);
        out->names = p;
        out->names_cap = cap;
    }
    out->names[out->depth++] = out->stack.len;
    if (pkx_buf_add(&out->stack, name, nlen + 1) < 0)
        return d_fail(out);
    out->open_tag = true;
    size_t levels = indent ? out->base + out->depth - 1 : 0;
    char *o = d_room(out, 2 * levels + nlen + 1);
    if (!o)
        return -1;
    o = put_indent(o, levels);
    *o++ = '<';
    memcpy(o, name, nlen);
    o += nlen;
    *o = '\0';
    out->buf->len = (size_t)(o - out->buf->data);
    return d_done(out);
}

/* Ends the innermost element: <x/> if its start tag is open and !full,
 * else </x>. */
static int d_end(pkx_out *out, bool full)
{
    bool indent = out->flags & PKX_OUT_INDENT;
    if (out->failed || out->depth == 0)
        return -1;
    const char *name = out->stack.data + out->names[out->depth - 1];
    size_t nlen = out->stack.len - out->names[out->depth - 1] - 1;
    char *o;
    if (out->open_tag && !full) {
        out->open_tag = false;
        if (d_ns(out) < 0 || !(o = d_room(out, 3)))
            return -1;
        *o++ = '/', *o++ = '>';
    } else {
        if (out->open_tag) {
            if (d_close_tag(out) < 0)
                return -1;
            out->doindent = false;
        }
        size_t levels =
            indent && out->doindent ? out->base + out->depth - 1 : 0;
        if (!(o = d_room(out, 2 * levels + nlen + 4)))
            return -1;
        o = put_indent(o, levels);
        *o++ = '<', *o++ = '/';
        memcpy(o, name, nlen);
        o += nlen;
        *o++ = '>';
    }
    if (indent)
        *o++ = '\n';
    *o = '\0';
    out->buf->len = (size_t)(o - out->buf->data);
    out->doindent = true;
    out->depth--;
    out->stack.len = out->names[out->depth];
    return d_done(out);
}

/* Content: closes the open start tag (no newline, as libxml2) first. */
static int d_content(pkx_out *out)
{
    if (out->failed || d_close_tag(out) < 0)
        return -1;
    out->doindent = false;
    return 0;
}

static int d_text(pkx_out *out, const char *s, size_t len)
{
    if (d_content(out) < 0)
        return -1;
    if (pkx_buf_add_text(out->buf, s, len) < 0)
        return d_fail(out);
    return d_done(out);
}

static int d_attr(pkx_out *out, const char *name, const char *s, size_t len)
{
    if (out->failed || !out->open_tag || !name || !*name)
        return -1;
    if (d_put(out, " ", 1) < 0 || d_put(out, name, strlen(name)) < 0 ||
        d_put(out, "=\"", 2) < 0)
        return -1;
    if (pkx_buf_add_attr(out->buf, s, len,
                         out->flags & PKX_OUT_ASCII_ATTRS) < 0)
        return d_fail(out);
    if (d_put(out, "\"", 1) < 0)
        return -1;
    return d_done(out);
}

/* ---- writing ---------------------------------------------------------- */

int pkx_start(pkx_out *out, const char *name)
{
    if (!out->w)
        return d_start(out, name);
    return xmlTextWriterStartElement(out->w, BAD_CAST name);
}

int pkx_start_ns(pkx_out *out, const char *name, const char *uri)
{
    if (out->w)
        return xmlTextWriterStartElementNS(out->w, NULL, BAD_CAST name,
                                           BAD_CAST uri);
    if (d_start(out, name) < 0)
        return -1;
    out->ns = uri;
    return 0;
}

int pkx_end(pkx_out *out)
{
    if (!out->w)
        return d_end(out, false);
    return xmlTextWriterEndElement(out->w);
}

int pkx_full_end(pkx_out *out)
{
    if (!out->w)
        return d_end(out, true);
    return xmlTextWriterFullEndElement(out->w);
}

int pkx_text(pkx_out *out, const char *s, size_t len)
{
    if (!out->w)
        return d_text(out, s, len);
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
    if (!out->w)
        return d_attr(out, name, s, len);
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

int pkx_raw(pkx_out *out, const char *s, size_t len)
{
    if (out->w) {
        if (len > INT_MAX)
            return -1;
        return xmlTextWriterWriteRawLen(out->w, BAD_CAST(s ? s : ""),
                                        (int)len);
    }
    if (d_content(out) < 0 || d_put(out, s, len) < 0)
        return -1;
    return d_done(out);
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
