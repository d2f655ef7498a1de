/*
 * quotes.h - quote detection (quotes.c) and the text helpers it shares
 * with the rest of the analysis pass (analysis.c).  Internal to the core.
 */
#ifndef PK_QUOTES_H
#define PK_QUOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

struct pk_quote {
    const char *speaker;   /* NULL: unattributed */
    const char *title;     /* NULL: the body gives none */
    const char *text;
    long minister;         /* index in the ministers list, or -1 */
    size_t n_paragraphs;
    pk_node **paragraphs;  /* n_paragraphs PARAGRAPH nodes, body order */
    size_t *indexes;       /* their indexes among the top-level blocks */
    size_t first;          /* quotes.c: offset of paragraphs[0] while building */
};

/* Maps a paragraph to its quote; kept sorted by node address so
 * pk_doc_quote_of is a binary search. */
typedef struct pk_quote_ref {
    uintptr_t node;
    const pk_quote *quote;
} pk_quote_ref;

typedef struct pk_quote_set {
    pk_quote *quotes;      /* count quotes, body order, in the doc's arena */
    size_t count;
    pk_quote_ref *refs;    /* one per quoted paragraph, sorted by node */
    size_t n_refs;
} pk_quote_set;

/* Finds the quotes among the top-level paragraphs of a validated doc.
 * Everything is allocated in doc's arena.  Returns PK_OK or PK_ENOMEM. */
int pk_quotes_find(pk_doc *doc, pk_quote_set *out);

/* Returns the quote paragraph belongs to, or NULL: O(log n). */
const pk_quote *pk_quotes_of(const pk_quote_set *set, const pk_node *paragraph);

/*
 * Returns the byte length of the white-space character at s[i] (ASCII
 * white space, U+00A0 NO-BREAK SPACE, U+1680, U+2000..U+200A, U+202F,
 * U+205F, U+3000), or 0 if s[i] starts anything else.  NO-BREAK SPACE is
 * a separator for us: it joins words on screen, it does not make one word
 * of them.
 */
static inline size_t pk_space_len(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (c < 0xC2)
        return 0;
    unsigned char c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
    if (c == 0xC2)
        return c1 == 0xA0 ? 2 : 0;
    unsigned char c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;
    if (c == 0xE1 && c1 == 0x9A && c2 == 0x80)
        return 3;
    if (c == 0xE2 && c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xAF))
        return 3;
    if (c == 0xE2 && c1 == 0x81 && c2 == 0x9F)
        return 3;
    if (c == 0xE3 && c1 == 0x80 && c2 == 0x80)
        return 3;
    return 0;
}

/*
 * Returns the offset of the first opening quotation mark in t[0..n): a
 * straight '"' or a curly U+201C (E2 80 9C), or n if there is none.
 * memchr finds the candidates: most paragraphs hold no mark, or only
 * late.
 */
static inline size_t pk_first_open_mark(const char *t, size_t n)
{
    const char *dq = memchr(t, '"', n);
    size_t lim = dq ? (size_t)(dq - t) : n;
    for (size_t k = 0; k < lim;) {
        const char *e = memchr(t + k, 0xE2, lim - k);
        if (!e)
            break;
        k = (size_t)(e - t);
        if (k + 2 < n && (unsigned char)t[k + 1] == 0x80 &&
            (unsigned char)t[k + 2] == 0x9C)
            return k;
        k++;
    }
    return lim;
}

#endif
