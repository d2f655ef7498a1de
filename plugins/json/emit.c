/*
 * emit.c - JSON text laid out as jansson's dump lays it out (emit.h).
 *
 * jansson's rules, from its dump.c, that the writer's flags select:
 * - a container's members are separated by "," and, when indenting, each
 *   starts on a new line indented one level deeper than the container;
 *   the closing bracket of a non-empty container goes on its own line;
 *   an empty container is "{}" or "[]";
 * - an object's key and value are separated by ": ", or ":" compact;
 * - in strings, '"' and '\\' are escaped, and so is every control
 *   character below U+0020: \b \f \n \r \t by name, the others as
 *   \u00XX in upper case; nothing else ('/', DEL, non-ASCII) is;
 * - integers print as %lld (JSON_INTEGER_FORMAT).
 * tests/json checks the bytes against jansson's own dump.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common.h"
#include "emit.h"

#define INDENT 2

/* Byte classes for strings: what a byte needs before it can be copied. */
enum { PLAIN = 0, ESCAPE = 1, UTF8 = 2 };

static const unsigned char byte_class[256] = {
    /* 0x00-0x1F: control characters */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 0x20-0x7F: '"' (0x22) and '\\' (0x5C) */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x80-0xFF: part of a multi-byte character, to be checked */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

void pkj_out_reset(pkj_out *o, bool pretty, size_t base)
{
    o->len = 0;
    o->failed = false;
    o->pretty = pretty;
    o->base = base;
    o->depth = 0;
}

void pkj_out_free(pkj_out *o)
{
    free(o->data);
    free(o->filled);
    memset(o, 0, sizeof *o);
}

bool pkj_out_failed(const pkj_out *o)
{
    return o->failed;
}

/* Makes room for n more bytes; false (and failed set) if there is none. */
static bool reserve(pkj_out *o, size_t n)
{
    if (n <= o->cap - o->len)
        return true;
    if (o->failed)
        return false;
    size_t cap = o->cap ? o->cap : 16384;
    while (cap - o->len < n) {
        if (cap > SIZE_MAX / 2) {
            o->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(o->data, cap);
    if (!p) {
        o->failed = true;
        return false;
    }
    o->data = p;
    o->cap = cap;
    return true;
}

static void put(pkj_out *o, const char *s, size_t n)
{
    if (!reserve(o, n))
        return;
    memcpy(o->data + o->len, s, n);
    o->len += n;
}

static void put_char(pkj_out *o, char c)
{
    if (!reserve(o, 1))
        return;
    o->data[o->len++] = c;
}

/* Writes n spaces at p, eight at a time: the caller reserved n + 8
 * bytes (what lies past the end is overwritten or never output). */
static char *spaces_at(char *p, size_t n)
{
    for (size_t k = 0; k < n; k += 8)
        memcpy(p + k, "        ", 8);
    return p + n;
}

/* A line break and the indentation of depth (pretty only). */
static void newline(pkj_out *o, size_t depth)
{
    size_t spaces = (depth + o->base) * INDENT;
    if (!reserve(o, spaces + 1 + 8))
        return;
    o->data[o->len++] = '\n';
    spaces_at(o->data + o->len, spaces);
    o->len += spaces;
}

void pkj_open(pkj_out *o, char c)
{
    put_char(o, c);
    if (o->depth + 1 >= o->filled_cap) {
        size_t cap = o->filled_cap ? o->filled_cap * 2 : 64;
        unsigned char *f = realloc(o->filled, cap);
        if (!f) {
            o->failed = true;
            return;
        }
        o->filled = f;
        o->filled_cap = cap;
    }
    o->filled[++o->depth] = 0;
}

void pkj_close(pkj_out *o, char c)
{
    if (o->failed)
        return;
    if (o->filled[o->depth] && o->pretty)
        newline(o, o->depth - 1);
    o->depth--;
    put_char(o, c);
}

void pkj_item(pkj_out *o)
{
    if (o->failed)
        return;
    if (o->filled[o->depth])
        put_char(o, ',');
    if (o->pretty)
        newline(o, o->depth);
    o->filled[o->depth] = 1;
}

void pkj_key(pkj_out *o, const char *key, size_t len)
{
    pkj_item(o);
    pkj_string(o, key, len);
    if (o->pretty)
        put(o, ": ", 2);
    else
        put_char(o, ':');
}

void pkj_key_plain(pkj_out *o, const char *key, size_t len)
{
    if (o->failed)
        return;
    size_t spaces = o->pretty ? (o->depth + o->base) * INDENT : 0;
    if (!reserve(o, len + spaces + 6 + 8))
        return;
    char *p = o->data + o->len;
    if (o->filled[o->depth])
        *p++ = ',';
    if (o->pretty) {
        *p++ = '\n';
        p = spaces_at(p, spaces);
    }
    o->filled[o->depth] = 1;
    *p++ = '"';
    memcpy(p, key, len);
    p += len;
    *p++ = '"';
    *p++ = ':';
    if (o->pretty)
        *p++ = ' ';
    o->len = (size_t)(p - o->data);
}

/* Writes the escape sequence of control character, quote or backslash c. */
static void escape(pkj_out *o, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char seq[6] = {'\\', 0, 0, 0, 0, 0};
    size_t n = 2;
    switch (c) {
    case '"': seq[1] = '"'; break;
    case '\\': seq[1] = '\\'; break;
    case '\b': seq[1] = 'b'; break;
    case '\f': seq[1] = 'f'; break;
    case '\n': seq[1] = 'n'; break;
    case '\r': seq[1] = 'r'; break;
    case '\t': seq[1] = 't'; break;
    default:
        seq[1] = 'u';
        seq[2] = '0';
        seq[3] = '0';
        seq[4] = hex[c >> 4];
        seq[5] = hex[c & 0xF];
        n = 6;
        break;
    }
    put(o, seq, n);
}

/* Non-zero if one of the 8 bytes of v is a control character, '"', '\\'
 * or not ASCII (the classic SWAR zero-byte and less-than tests, exact as
 * booleans; the lowest set bit is in the first such byte, since borrows
 * only run towards higher bytes). */
static inline uint64_t special8(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
    return (((q - ones) & ~q) | ((b - ones) & ~b) | ((v - ones * 0x20) & ~v) |
            v) & highs;
}

/* pkj_utf8_char with the common 2- and 3-byte characters decided here
 * (no surrogates or overlong forms among those), the rest there. */
static inline size_t utf8_char(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    if (c >= 0xC2 && c <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80)
        return 2;
    if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && len >= 3 &&
        (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
        return 3;
    return pkj_utf8_char(s, len);
}

void pkj_string(pkj_out *o, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0; /* u[run..i) is still to be copied */

    put_char(o, '"');
    while (i < len) {
        if (len - i >= 8) {
            uint64_t v, m;
            memcpy(&v, u + i, 8);
            m = special8(v);
            if (!m) {
                i += 8;
                continue;
            }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
            /* Straight to the first byte that is not plain. */
            i += (size_t)__builtin_ctzll(m) / 8;
#endif
        }
        unsigned char cls = byte_class[u[i]];
        if (cls == PLAIN) {
            i++;
            continue;
        }
        size_t n = cls == UTF8 ? utf8_char(u + i, len - i) : 0;
        if (n) {
            i += n;
            continue;
        }
        put(o, (const char *)u + run, i - run);
        if (cls == ESCAPE)
            escape(o, u[i]);
        else
            put(o, REPLACEMENT, 3);
        run = ++i;
    }
    put(o, (const char *)u + run, i - run);
    put_char(o, '"');
}

void pkj_cstring(pkj_out *o, const char *s)
{
    pkj_string(o, s ? s : "", s ? strlen(s) : 0);
}

void pkj_string_plain(pkj_out *o, const char *s, size_t len)
{
    if (!reserve(o, len + 2))
        return;
    char *p = o->data + o->len;
    *p++ = '"';
    memcpy(p, s, len);
    p[len] = '"';
    o->len += len + 2;
}

void pkj_integer(pkj_out *o, int64_t v)
{
    char buf[24];
    size_t i = sizeof buf;
    /* The magnitude as unsigned, so INT64_MIN has one. */
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[--i] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        buf[--i] = '-';
    put(o, buf + i, sizeof buf - i);
}

void pkj_real(pkj_out *o, double v)
{
    /* jansson's own formatting (its %.15g or dtoa variant, whichever it
     * was built with), so a real reads as jansson writes it. */
    char buf[64];
    json_t *r = json_real(v);
    size_t n = r ? json_dumpb(r, buf, sizeof buf,
                              JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))
                 : 0;
    json_decref(r);
    if (n == 0 || n > sizeof buf) {
        o->failed = true;
        return;
    }
    put(o, buf, n);
}

void pkj_bool(pkj_out *o, bool b)
{
    if (b)
        put(o, "true", 4);
    else
        put(o, "false", 5);
}

void pkj_null(pkj_out *o)
{
    put(o, "null", 4);
}

size_t pkj_utf8_fix(const char *s, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len) {
        size_t n = u[i] < 0x80 ? 1 : pkj_utf8_char(u + i, len - i);
        if (n) {
            if (out)
                memcpy(out + o, u + i, n);
            o += n;
            i += n;
        } else {
            if (out)
                memcpy(out + o, REPLACEMENT, 3);
            o += 3;
            i++;
        }
    }
    return o;
}
