/*
 * input.c - input hygiene: one clean copy of the bytes before any parser
 * sees them.
 *
 * libyaml and cmark each have their own idea of line ends, BOMs and bad
 * bytes; normalising once here means both count lines the same way, so
 * every position we report is a line of the file as an editor shows it.
 */
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

/*
 * Returns the length (1-4) of the well-formed UTF-8 sequence at p[0..n),
 * or 0 if it is ill-formed: overlong forms, surrogates, code points above
 * U+10FFFF, stray continuation bytes and truncated sequences are all
 * refused (Unicode 15, table 3-7), so no later stage meets them.
 */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;

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
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

int md_input_normalise(char **out, size_t *out_len, const char *data,
                       size_t len, const char *file, pk_diag *diag)
{
    const unsigned char *in = (const unsigned char *)data;
    char *buf = NULL;
    size_t i = 0, o = 0;
    unsigned long line = 1, column = 1;
    int rc = PK_OK;

    *out = NULL;
    *out_len = 0;
    /* The copy never grows: CRLF shrinks to LF and the BOM goes. */
    buf = malloc(len + 1);
    if (!buf) {
        rc = pk_diag_set(diag, PK_ENOMEM, file, 0, 0, "out of memory");
        goto out;
    }
    if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
        i = 3;
    while (i < len) {
        unsigned char c = in[i];
        if (c == '\r' || c == '\n') {
            buf[o++] = '\n';
            i += (c == '\r' && i + 1 < len && in[i + 1] == '\n') ? 2 : 1;
            line++;
            column = 1;
        } else if (c == 0) {
            /* Both parsers stop at a NUL: the rest would vanish. */
            rc = pk_diag_set(diag, PK_EPARSE, file, line, column, "NUL byte");
            goto out;
        } else {
            size_t n = utf8_sequence(in + i, len - i);
            if (n == 0) {
                rc = pk_diag_set(diag, PK_EPARSE, file, line, column,
                                 "invalid UTF-8 at byte column %lu", column);
                goto out;
            }
            memcpy(buf + o, in + i, n);
            o += n;
            i += n;
            column += n;
        }
    }
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    buf = NULL;
out:
    free(buf);
    return rc;
}
