/*
 * input.c - input hygiene: one clean copy of the bytes before any parser
 * sees them.
 *
 * libyaml and cmark each have their own idea of line ends, BOMs and bad
 * bytes; normalising once here means both count lines the same way, so
 * every position we report is a line of the file as an editor shows it.
 * Bad bytes (NUL, invalid UTF-8) are refused here, or with
 * markdown.lenient replaced by U+FFFD, so no parser ever meets them.
 */
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

/*
 * Returns the length (1-4) of the well-formed UTF-8 sequence at p[0..n),
 * or 0 if it is ill-formed: overlong forms, surrogates, code points above
 * U+10FFFF, stray continuation bytes and truncated sequences are all
 * refused (Unicode 15, table 3-7), so no later stage meets them.  For an
 * ill-formed one, *bad is the length of its maximal subpart (the bytes
 * one U+FFFD replaces, Unicode 15 section 3.9): at least 1.
 */
static size_t utf8_sequence(const unsigned char *p, size_t n, size_t *bad)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;

    *bad = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (c == 0xED)
            hi = 0x9F;          /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;          /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;          /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < 2 || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (i >= n || p[i] < 0x80 || p[i] > 0xBF) {
            *bad = i;
            return 0;
        }
    }
    return len;
}

/* The output buffer, with room for cap bytes and a final NUL.  Strict,
 * it never grows (CRLF shrinks to LF, the BOM goes); lenient, each U+FFFD
 * may take more room than the bytes it replaces. */
typedef struct out_buf {
    char *s;
    size_t len, cap;
} out_buf;

static int put(out_buf *b, const void *p, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap;
        char *ns;
        while (n > cap - b->len)
            cap = cap < SIZE_MAX / 4 ? 2 * cap + 16 : SIZE_MAX - 1;
        ns = realloc(b->s, cap + 1);
        if (!ns)
            return PK_ENOMEM;
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    return PK_OK;
}

int md_input_normalise(char **out, size_t *out_len, const char *data,
                       size_t len, bool lenient, const char *file,
                       pk_diag *diag)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    const unsigned char *in = (const unsigned char *)data;
    out_buf b = {NULL, 0, 0};
    size_t i = 0;
    unsigned long line = 1, column = 1;
    int rc = PK_OK;

    *out = NULL;
    *out_len = 0;
    b.cap = len;
    b.s = malloc(len + 1);
    if (!b.s)
        goto nomem;
    if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
        i = 3;
    while (i < len) {
        unsigned char c = in[i];
        size_t n, bad = 1;
        if (c == '\r' || c == '\n') {
            if (put(&b, "\n", 1) != PK_OK)
                goto nomem;
            i += (c == '\r' && i + 1 < len && in[i + 1] == '\n') ? 2 : 1;
            line++;
            column = 1;
            continue;
        }
        n = c == 0 ? 0 : utf8_sequence(in + i, len - i, &bad);
        if (n > 0) {
            if (put(&b, in + i, n) != PK_OK)
                goto nomem;
            i += n;
            column += n;
            continue;
        }
        if (!lenient) {
            /* Both parsers stop at a NUL: the rest would vanish. */
            rc = c == 0 ? pk_diag_set(diag, PK_EPARSE, file, line, column,
                                      "NUL byte")
                        : pk_diag_set(diag, PK_EPARSE, file, line, column,
                                      "invalid UTF-8 at byte column %lu",
                                      column);
            goto out;
        }
        if (put(&b, replacement, 3) != PK_OK)
            goto nomem;
        n = c == 0 ? 1 : bad;
        i += n;
        column += n;
    }
    b.s[b.len] = '\0';
    *out = b.s;
    *out_len = b.len;
    b.s = NULL;
    goto out;
nomem:
    rc = pk_diag_set(diag, PK_ENOMEM, file, 0, 0, "out of memory");
out:
    free(b.s);
    return rc;
}
