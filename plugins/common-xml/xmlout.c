/*
 * xmlout.c - an xmlTextWriter into a pk_sink, XML-safe text, nesting
 * depth and URL checks shared by the XML writers.
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

/* Returns the length of the well-formed UTF-8 character at s[0..len) and
 * its code point in *cp, or 0 if there is none (a stray continuation
 * byte, a truncated or overlong sequence, a surrogate, beyond U+10FFFF). */
static size_t utf8_char(const unsigned char *s, size_t len, unsigned long *cp)
{
    unsigned c = s[0];
    size_t n;
    unsigned long v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* XML 1.0's Char production, for a code point that is valid UTF-8. */
static bool xml_char(unsigned long cp)
{
    if (cp < 0x20)
        return cp == 0x09 || cp == 0x0A || cp == 0x0D;
    return cp != 0xFFFE && cp != 0xFFFF;
}

const xmlChar *pkx_clean(pkx_out *out, const char *s, size_t len)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    pkx_buf *b = &out->scratch;
    b->len = 0;
    if (!s)
        len = 0;
    if (pkx_buf_add(b, "", 0) < 0)
        return NULL;
    size_t i = 0;
    while (i < len) {
        /* Copy the longest clean run at once. */
        size_t start = i, n = 0;
        unsigned long cp = 0;
        while (i < len && (n = utf8_char(u + i, len - i, &cp)) != 0 &&
               xml_char(cp))
            i += n;
        if (i > start && pkx_buf_add(b, (const char *)u + start, i - start) < 0)
            return NULL;
        if (i == len)
            break;
        /* One bad character (n bytes) or one bad byte (n == 0). */
        if (pkx_buf_add(b, fffd, 3) < 0)
            return NULL;
        i += n ? n : 1;
    }
    return (const xmlChar *)b->data;
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

/* ---- URLs ------------------------------------------------------------- */

static bool ascii_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Finds the scheme of url the way browsers do: leading spaces and
 * controls skipped, tabs and newlines anywhere ignored, then a letter
 * followed by letters, digits, '+', '-' or '.' up to a ':'.  Stores it in
 * lower case in buf (cap bytes; a longer scheme is cut, which never
 * matches a known one).  Returns false if url has no scheme.
 */
static bool url_scheme(const char *url, char *buf, size_t cap)
{
    const unsigned char *p = (const unsigned char *)url;
    size_t n = 0;
    while (*p && *p <= 0x20)
        p++;
    for (;; p++) {
        int c = *p;
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == ':') {
            buf[n < cap ? n : cap - 1] = '\0';
            return n > 0;
        }
        if (!(ascii_alpha(c) ||
              (n > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' ||
                         c == '.'))))
            return false;
        if (n + 1 < cap)
            buf[n] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        n++;
    }
}

/* A reference that starts with two slashes (or backslashes, which
 * browsers read as slashes) names a host. */
static bool network_path(const char *url)
{
    const unsigned char *p = (const unsigned char *)url;
    while (*p && *p <= 0x20)
        p++;
    return (p[0] == '/' || p[0] == '\\') && (p[1] == '/' || p[1] == '\\');
}

bool pkx_url_is_safe(const char *url)
{
    static const char *const safe[] = {"http", "https", "mailto", "tel", "ftp"};
    char scheme[16];
    if (!url || !url_scheme(url, scheme, sizeof scheme))
        return true;
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
        if (strcmp(scheme, safe[i]) == 0)
            return true;
    return false;
}

bool pkx_url_is_remote(const char *url)
{
    char scheme[16];
    if (!url)
        return false;
    if (url_scheme(url, scheme, sizeof scheme))
        return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
    return network_path(url);
}

bool pkx_url_is_local(const char *url)
{
    char scheme[16];
    return url && !url_scheme(url, scheme, sizeof scheme) && !network_path(url);
}
