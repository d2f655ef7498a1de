/*
 * analysis.c - the analysis pass: highlights, lead, id, word count and
 * reading time; quotes come from quotes.c.
 *
 * Runs once after any reader (pk_read calls it), so every writer sees the
 * same answers.  Everything it keeps lives in the document's arena, and
 * nothing here is global: documents are analysed on many threads at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "quotes.h"

#define DEFAULT_AUTHORITY "presskit.invalid"
#define WORDS_PER_MINUTE 200

struct pk_analysis {
    pk_node *highlights, *lead;
    size_t words;
    unsigned minutes;
    pk_quote_set quotes;
    const char *derived_id;   /* the tag: id we made, to tell it from an
                                 explicit pk_doc_set_id one */
};

/* Highlights: the first bullet list before the first paragraph (headings
 * or anything else but a paragraph may come first).  Lead: the first
 * paragraph, which is by construction the first one after the
 * highlights. */
static void find_highlights_and_lead(pk_node *root, pk_node **highlights,
                                     pk_node **lead)
{
    *highlights = *lead = NULL;
    for (pk_node *n = pk_node_first_child(root); n; n = pk_node_next(n)) {
        pk_node_type t = pk_node_get_type(n);
        if (t == PK_NODE_PARAGRAPH) {
            *lead = n;
            return;
        }
        if (t == PK_NODE_LIST && !*highlights &&
            pk_node_list_type(n) == PK_LIST_BULLET)
            *highlights = n;
    }
}

/* Decodes the code point at s[i] (of n bytes) into *cp; returns its
 * length, or 1 with *cp = 0xFFFD for a malformed sequence. */
static size_t decode(const char *s, size_t n, size_t i, unsigned long *cp)
{
    unsigned char c = (unsigned char)s[i];
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (len == 1 || i + len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned long v = c & (0x3Fu >> (len - 1));
    for (size_t k = 1; k < len; k++) {
        unsigned char cc = (unsigned char)s[i + k];
        if ((cc & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (cc & 0x3Fu);
    }
    *cp = v;
    return len;
}

/* Whether a non-ASCII code point can make a run of characters a word.
 * Punctuation and symbol blocks cannot: a lone dash, ellipsis or curly
 * quote between spaces is not a word.  Everything else (letters and
 * digits of every script, combining marks) can. */
static bool wordish(unsigned long cp)
{
    return !((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
             (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
             (cp >= 0xFE30 && cp <= 0xFE4F) || cp >= 0xFFF0);
}

/* Streaming word counter: the text of a block may be split over several
 * inline nodes ("foo*bar*" is one word), so state survives between
 * chunks until a separator. */
typedef struct counter {
    size_t words;
    bool in_word, counts;
} counter;

static void count_flush(counter *c)
{
    if (c->in_word && c->counts)
        c->words++;
    c->in_word = c->counts = false;
}

static void count_text(counter *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t sp = pk_space_len(s, n, i);
        if (sp) {
            count_flush(c);
            i += sp;
            continue;
        }
        unsigned char ch = (unsigned char)s[i];
        c->in_word = true;
        if (ch < 0x80) {
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                (ch >= '0' && ch <= '9'))
                c->counts = true;
            i++;
        } else {
            unsigned long cp;
            i += decode(s, n, i, &cp);
            if (wordish(cp))
                c->counts = true;
        }
    }
}

/*
 * Words of the body's text, the text being what pk_node_text gives (text
 * and inline code; no raw HTML, no code blocks), with one difference:
 * every block boundary separates words.  pk_node_text of a whole list
 * runs its items together ("alpha" + "beta" = "alphabeta"), which would
 * undercount highlights.
 */
static size_t count_words(pk_node *root, int *rc)
{
    counter c = {0, false, false};
    pk_iter *it = pk_iter_new(root);
    if (!it) {
        *rc = PK_ENOMEM;
        return 0;
    }
    pk_event ev;
    while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        pk_node *n = pk_iter_node(it);
        pk_node_type t = pk_node_get_type(n);
        if (pk_node_is_block(n) || t == PK_NODE_SOFTBREAK ||
            t == PK_NODE_LINEBREAK) {
            count_flush(&c);
        } else if (ev == PK_EVENT_ENTER &&
                   (t == PK_NODE_TEXT || t == PK_NODE_CODE)) {
            size_t len;
            const char *s = pk_node_literal(n, &len);
            count_text(&c, s, len);
        }
    }
    count_flush(&c);
    pk_iter_free(it);
    *rc = PK_OK;
    return c.words;
}

/* tag:AUTHORITY,YYYY-MM-DD:SLUG (RFC 4151), the slug from the source's
 * base name without extension: lower-case ASCII letters and digits, any
 * other run made one '-', none at either end; "release" if that leaves
 * nothing. */
static const char *make_tag(pk_doc *doc, const char *authority)
{
    const char *src = pk_doc_source(doc);
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    size_t blen = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        blen = (size_t)(dot - base);

    const pk_date *d = pk_doc_date(doc);
    char date[48];
    int dlen = snprintf(date, sizeof date, "%04d-%02d-%02d", d->year,
                        d->month, d->day);
    if (dlen < 0 || (size_t)dlen >= sizeof date)
        dlen = 0;
    size_t alen = strlen(authority);
    size_t cap = sizeof "tag:" + alen + 1 + (size_t)dlen + 1 + blen +
                 sizeof "release";
    char *out = pk_doc_alloc(doc, cap);
    if (!out)
        return NULL;
    size_t o = (size_t)snprintf(out, cap, "tag:%s,%s:", authority, date);
    size_t slug = o;
    bool dash = false;
    for (size_t i = 0; i < blen; i++) {
        char c = base[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && o > slug)
                out[o++] = '-';
            dash = false;
            out[o++] = c;
        } else {
            dash = true;
        }
    }
    if (o == slug) {
        memcpy(out + o, "release", sizeof "release" - 1);
        o += sizeof "release" - 1;
    }
    out[o] = '\0';
    return out;
}

int pk_doc_analyse(pk_doc *doc, const char *id_authority, pk_diag *diag)
{
    if (!doc)
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "analysis: no document");
    if (!doc->valid)
        return pk_diag_set(diag, PK_EINVAL, pk_doc_source(doc), 0, 0,
                           "analysis: the document has not been validated");
    int rc = PK_OK;
    struct pk_analysis *an = pk_doc_alloc(doc, sizeof *an);
    if (!an)
        goto nomem;
    find_highlights_and_lead(doc->root, &an->highlights, &an->lead);
    an->words = count_words(doc->root, &rc);
    if (rc != PK_OK)
        goto nomem;
    an->minutes = (unsigned)((an->words + WORDS_PER_MINUTE - 1) /
                             WORDS_PER_MINUTE);
    if ((rc = pk_quotes_find(doc, &an->quotes)) != PK_OK)
        goto nomem;

    /* An id set by pk_doc_set_id survives re-analysis; one we derived
     * earlier is derived again (the source may have changed). */
    bool explicit_id = doc->id &&
                       !(doc->analysis && doc->id == doc->analysis->derived_id);
    if (!explicit_id) {
        an->derived_id = make_tag(doc, id_authority && *id_authority
                                           ? id_authority
                                           : DEFAULT_AUTHORITY);
        if (!an->derived_id)
            goto nomem;
        doc->id = an->derived_id;
    }
    doc->analysis = an;
    return PK_OK;
nomem:
    return pk_diag_set(diag, PK_ENOMEM, pk_doc_source(doc), 0, 0,
                       "analysis: out of memory");
}

int pk_doc_set_id(pk_doc *doc, const char *id)
{
    if (!doc || !id)
        return PK_EINVAL;
    char *copy = pk_doc_strndup(doc, id, strlen(id));
    if (!copy)
        return PK_ENOMEM;
    doc->id = copy;
    return PK_OK;
}

pk_node *pk_doc_highlights(const pk_doc *doc)
{
    return doc->analysis ? doc->analysis->highlights : NULL;
}

pk_node *pk_doc_lead(const pk_doc *doc)
{
    return doc->analysis ? doc->analysis->lead : NULL;
}

const char *pk_doc_id(const pk_doc *doc)
{
    if (doc->url && *doc->url)
        return doc->url;
    return doc->id;
}

size_t pk_doc_word_count(const pk_doc *doc)
{
    return doc->analysis ? doc->analysis->words : 0;
}

unsigned pk_doc_reading_minutes(const pk_doc *doc)
{
    return doc->analysis ? doc->analysis->minutes : 0;
}

size_t pk_doc_quote_count(const pk_doc *doc)
{
    return doc->analysis ? doc->analysis->quotes.count : 0;
}

const pk_quote *pk_doc_quote(const pk_doc *doc, size_t i)
{
    if (!doc->analysis || i >= doc->analysis->quotes.count)
        return NULL;
    return &doc->analysis->quotes.quotes[i];
}

const pk_quote *pk_doc_quote_of(const pk_doc *doc, const pk_node *paragraph)
{
    if (!doc->analysis || !paragraph)
        return NULL;
    return pk_quotes_of(&doc->analysis->quotes, paragraph);
}

const char *pk_quote_speaker(const pk_quote *q) { return q ? q->speaker : NULL; }
const char *pk_quote_title(const pk_quote *q) { return q ? q->title : NULL; }
long pk_quote_minister(const pk_quote *q) { return q ? q->minister : -1; }
const char *pk_quote_text(const pk_quote *q) { return q ? q->text : NULL; }

size_t pk_quote_paragraph_count(const pk_quote *q)
{
    return q ? q->n_paragraphs : 0;
}

pk_node *pk_quote_paragraph(const pk_quote *q, size_t i)
{
    return q && i < q->n_paragraphs ? q->paragraphs[i] : NULL;
}

/* Out of range gives SIZE_MAX: 0 is a real index. */
size_t pk_quote_paragraph_index(const pk_quote *q, size_t i)
{
    return q && i < q->n_paragraphs ? q->indexes[i] : SIZE_MAX;
}
