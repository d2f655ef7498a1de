/*
 * buf.c - growable buffers of clean UTF-8 text.
 *
 * Everything the text writer prints passes through tx_buf_add_clean, so
 * the output is valid UTF-8 whatever the model holds, a terminal never
 * sees an escape sequence from a release, and a form feed inside a
 * release cannot pass for the line that separates two documents.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Makes room for n more bytes; false (and failed set) if there is none. */
static bool reserve(tx_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (n <= b->cap - b->len)
        return true;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void tx_buf_add(tx_buf *b, const char *s, size_t n)
{
    if (n && reserve(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
}

void tx_buf_puts(tx_buf *b, const char *s)
{
    tx_buf_add(b, s, strlen(s));
}

void tx_buf_fill(tx_buf *b, char c, size_t n)
{
    if (n && reserve(b, n)) {
        memset(b->data + b->len, c, n);
        b->len += n;
    }
}

void tx_buf_reset(tx_buf *b)
{
    b->len = 0;
}

void tx_buf_free(tx_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

void tx_buf_add_clean(tx_buf *b, const char *s, size_t n, int mode)
{
    size_t i = 0, run = 0;   /* s[run..i) is clean and not yet copied */
    while (i < n) {
        /* ASCII without a call into libpresskit. */
        uint32_t cp = (unsigned char)s[i];
        size_t k = cp < 0x80 ? 1 : pk_utf8_decode(s + i, n - i, &cp);
        bool control = k && (cp < 0x20 || cp == 0x7F ||
                             (cp >= 0x80 && cp <= 0x9F));
        if (k && !control) {
            i += k;
            continue;
        }
        tx_buf_add(b, s + run, i - run);
        if (!k) {
            tx_buf_add(b, REPLACEMENT, 3);
            i++;
        } else if (mode == TX_VERBATIM && (cp == '\t' || cp == '\n')) {
            tx_buf_add(b, s + i, 1);
            i++;
        } else if (mode == TX_VERBATIM && cp == '\r') {
            i++;
        } else if (mode == TX_FLOW && (cp == '\t' || cp == '\n' ||
                                       cp == '\r' || cp == '\v' ||
                                       cp == '\f')) {
            tx_buf_add(b, " ", 1);
            i++;
        } else {
            tx_buf_add(b, REPLACEMENT, 3);
            i += k;
        }
        run = i;
    }
    tx_buf_add(b, s + run, i - run);
}
