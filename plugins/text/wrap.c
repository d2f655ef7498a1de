/*
 * wrap.c - greedy filling of lines to a display width.
 *
 * Lines break only at ASCII spaces (U+0020).  Everything else belongs to a
 * word: a NO-BREAK SPACE or a NON-BREAKING HYPHEN binds as its author
 * meant, and a plain hyphen is not a break either, so "co-operation" and
 * a URL always stay whole.  A word wider than the line gets a line of its
 * own rather than being cut.  Runs of spaces inside a line are kept as
 * written (two spaces after a full stop stay two).
 */
#include <string.h>

#include "text.h"

/* Fills one hard line s[0..n) (no newline in it). */
static int wrap_line(const char *s, size_t n, size_t avail, tx_line_fn fn,
                     void *payload)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (i == n)
        return fn(s, 0, 0, payload);

    size_t start = i, end = i, width = 0;   /* the line so far: s[start..end) */
    bool empty = true;
    while (i < n) {
        size_t word = i;
        while (i < n && s[i] != ' ')
            i++;
        size_t ww = tx_display_width(s + word, i - word);
        if (empty) {
            start = word;
            width = ww;
            empty = false;
        } else {
            size_t gap = word - end;   /* spaces, one column each */
            if (avail == 0 || width + gap + ww <= avail) {
                width += gap + ww;
            } else {
                int rc = fn(s + start, end - start, width, payload);
                if (rc != PK_OK)
                    return rc;
                start = word;
                width = ww;
            }
        }
        end = i;
        while (i < n && s[i] == ' ')
            i++;
    }
    return fn(s + start, end - start, width, payload);
}

int tx_wrap(const char *s, size_t len, size_t avail, tx_line_fn fn,
            void *payload)
{
    /* Trailing hard breaks would only make empty lines. */
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
        len--;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len;
        int rc = wrap_line(s + pos, end - pos, avail, fn, payload);
        if (rc != PK_OK)
            return rc;
        pos = end + 1;
    }
    return PK_OK;
}
