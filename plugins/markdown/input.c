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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

/*
 * Where input byte `at` lies, as the line and column an editor shows
 * (columns in bytes, counted after the BOM on line 1, a CRLF one line
 * end).  Lines are counted from the last offset asked for, so the copy
 * loop below keeps no count of its own and any number of questions, in
 * increasing order, costs one pass over the input in all.
 */
typedef struct md_cursor {
    size_t at;            /* counted up to here */
    size_t line_start;    /* offset of the first byte of its line */
    unsigned long line;
} md_cursor;

static void locate(md_cursor *c, const unsigned char *in, size_t len,
                   size_t at, unsigned long *line, unsigned long *column)
{
    for (size_t j = c->at; j < at; j++) {
        if (in[j] == '\n' ||
            (in[j] == '\r' && (j + 1 >= len || in[j + 1] != '\n'))) {
            c->line++;
            c->line_start = j + 1;
        }
    }
    if (at > c->at)
        c->at = at;
    *line = c->line;
    *column = (unsigned long)(at - c->line_start) + 1;
}

/* Eight bytes at a time: a word with a byte that is NUL, CR or not ASCII
 * gives a non-zero mask, whose lowest set bit is in the first such byte
 * (the borrows of the NUL and CR tests only run towards higher bytes). */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static uint64_t special8(uint64_t w)
{
    uint64_t cr = w ^ (ONES * '\r');
    return (((w - ONES) & ~w) | ((cr - ONES) & ~cr) | w) & HIGHS;
}

/* The offset of the first NUL, CR or non-ASCII byte of the eight at p,
 * whose special8 is mask (not 0). */
static size_t first_special(const unsigned char *p, uint64_t mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
    (void)p;
    return (size_t)__builtin_ctzll(mask) / 8;
#else
    size_t k = 0;
    (void)mask;
    while (p[k] && p[k] != '\r' && p[k] < 0x80)
        k++;
    return k;
#endif
}

/* Makes room for at least need bytes and the final NUL in *s (capacity
 * *cap): only lenient replacements ever need more than the input. */
static int reserve(char **s, size_t *cap, size_t need)
{
    size_t ncap = *cap;
    char *ns;

    if (need <= ncap)
        return PK_OK;
    while (ncap < need)
        ncap = ncap < SIZE_MAX / 4 ? 2 * ncap + 16 : SIZE_MAX - 1;
    ns = realloc(*s, ncap + 1);
    if (!ns)
        return PK_ENOMEM;
    *s = ns;
    *cap = ncap;
    return PK_OK;
}

int md_input_normalise(char **out, size_t *out_len, const char *data,
                       size_t len, bool lenient, pk_doc *warn,
                       const char *file, pk_diag *diag)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    const unsigned char *in = (const unsigned char *)data;
    md_cursor cur = {0, 0, 1};
    char *s;
    size_t cap = len, i = 0, o = 0;
    int rc = PK_OK;

    *out = NULL;
    *out_len = 0;
    s = malloc(len + 1);
    if (!s)
        goto nomem;
    if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
        i = cur.at = cur.line_start = 3;
    /* Invariant: cap - o >= len - i, so whole words may be stored. */
    for (;;) {
        unsigned char c;
        size_t n;
        unsigned long line, column;

        while (len - i >= 8) {
            uint64_t w = load8(in + i), mask = special8(w);
            memcpy(s + o, &w, 8);
            if (mask) {
                n = first_special(in + i, mask);
                i += n;
                o += n;
                break;
            }
            i += 8;
            o += 8;
        }
        if (i >= len)
            break;
        c = in[i];
        if (c == '\r') {
            s[o++] = '\n';
            i += (i + 1 < len && in[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c < 0x80 && c != 0) {
            s[o++] = (char)c;
            i++;
            continue;
        }
        /* Overlong forms, surrogates, code points above U+10FFFF, stray
         * continuation bytes and truncated sequences are all refused
         * (Unicode 15, table 3-7), so no later stage meets them. */
        n = c == 0 ? 0 : pk_utf8_decode((const char *)in + i, len - i, NULL);
        if (n > 0) {
            memcpy(s + o, in + i, n);
            i += n;
            o += n;
            continue;
        }
        /* A NUL or an ill-formed sequence at in[i]: refused at line and
         * column, or (lenient) replaced there, one U+FFFD for the NUL or
         * for the sequence's maximal ill-formed part. */
        locate(&cur, in, len, i, &line, &column);
        if (!lenient) {
            /* Both parsers stop at a NUL: the rest would vanish. */
            rc = c == 0 ? pk_diag_set(diag, PK_EPARSE, file, line, column,
                                      "NUL byte")
                        : pk_diag_set(diag, PK_EPARSE, file, line, column,
                                      "invalid UTF-8 at byte column %lu",
                                      column);
            goto out;
        }
        n = c == 0 ? 1 : pk_utf8_bad_len((const char *)in + i, len - i);
        if (reserve(&s, &cap, o + 3 + (len - i - n)) != PK_OK)
            goto nomem;
        if (warn && pk_doc_warn(warn, line, column, c == 0
                                    ? "NUL byte replaced with U+FFFD"
                                    : "invalid UTF-8 replaced with U+FFFD"))
            goto nomem;
        memcpy(s + o, replacement, 3);
        o += 3;
        i += n;
    }
    s[o] = '\0';
    *out = s;
    *out_len = o;
    s = NULL;
    goto out;
nomem:
    rc = pk_diag_set(diag, PK_ENOMEM, file, 0, 0, "out of memory");
out:
    free(s);
    return rc;
}
