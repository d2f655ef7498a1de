/*
 * utf8.c - strict UTF-8 decoding (RFC 3629, Unicode table 3-7): the
 * shortest form only, no surrogates, nothing beyond U+10FFFF.
 */
#include <presskit/utf8.h>

size_t pk_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n;
    uint32_t v, min;

    if (len == 0)
        return 0;
    if (u[0] < 0x80) {
        n = 1, v = u[0], min = 0;
    } else if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        n = 2, v = u[0] & 0x1Fu, min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        n = 3, v = u[0] & 0x0Fu, min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        n = 4, v = u[0] & 0x07u, min = 0x10000;
    } else {
        return 0; /* a continuation byte, C0, C1 or F5-FF */
    }
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    if (cp)
        *cp = v;
    return n;
}

size_t pk_utf8_bad_len(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;

    if (len == 0)
        return 0;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        n = 2;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        n = 3;
        if (u[0] == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (u[0] == 0xED)
            hi = 0x9F;          /* surrogates */
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        n = 4;
        if (u[0] == 0xF0)
            lo = 0x90;          /* overlong */
        else if (u[0] == 0xF4)
            hi = 0x8F;          /* above U+10FFFF */
    } else {
        return 1; /* ASCII, a continuation byte, C0, C1 or F5-FF */
    }
    /* The second byte has its own range; the rest are 80..BF. */
    if (len < 2 || u[1] < lo || u[1] > hi)
        return 1;
    for (size_t i = 2; i < n; i++)
        if (i >= len || u[i] < 0x80 || u[i] > 0xBF)
            return i;
    return n;
}
