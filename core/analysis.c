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

/* The ASCII bytes by what they do to a word: white space separates words
 * (pk_space_len's ASCII ones), letters and digits make a run a word,
 * anything else joins it; LEAD: not ASCII, decoded on the slow path. */
enum { CH_OTHER = 0, CH_ALNUM = 1, CH_SPACE = 2, CH_LEAD = 3 };

static const unsigned char char_class[256] = {
    ['\t'] = CH_SPACE, ['\n'] = CH_SPACE, ['\v'] = CH_SPACE,
    ['\f'] = CH_SPACE, ['\r'] = CH_SPACE, [' '] = CH_SPACE,
    ['0'] = CH_ALNUM, ['1'] = CH_ALNUM, ['2'] = CH_ALNUM, ['3'] = CH_ALNUM,
    ['4'] = CH_ALNUM, ['5'] = CH_ALNUM, ['6'] = CH_ALNUM, ['7'] = CH_ALNUM,
    ['8'] = CH_ALNUM, ['9'] = CH_ALNUM,
    ['A'] = CH_ALNUM, ['B'] = CH_ALNUM, ['C'] = CH_ALNUM, ['D'] = CH_ALNUM,
    ['E'] = CH_ALNUM, ['F'] = CH_ALNUM, ['G'] = CH_ALNUM, ['H'] = CH_ALNUM,
    ['I'] = CH_ALNUM, ['J'] = CH_ALNUM, ['K'] = CH_ALNUM, ['L'] = CH_ALNUM,
    ['M'] = CH_ALNUM, ['N'] = CH_ALNUM, ['O'] = CH_ALNUM, ['P'] = CH_ALNUM,
    ['Q'] = CH_ALNUM, ['R'] = CH_ALNUM, ['S'] = CH_ALNUM, ['T'] = CH_ALNUM,
    ['U'] = CH_ALNUM, ['V'] = CH_ALNUM, ['W'] = CH_ALNUM, ['X'] = CH_ALNUM,
    ['Y'] = CH_ALNUM, ['Z'] = CH_ALNUM,
    ['a'] = CH_ALNUM, ['b'] = CH_ALNUM, ['c'] = CH_ALNUM, ['d'] = CH_ALNUM,
    ['e'] = CH_ALNUM, ['f'] = CH_ALNUM, ['g'] = CH_ALNUM, ['h'] = CH_ALNUM,
    ['i'] = CH_ALNUM, ['j'] = CH_ALNUM, ['k'] = CH_ALNUM, ['l'] = CH_ALNUM,
    ['m'] = CH_ALNUM, ['n'] = CH_ALNUM, ['o'] = CH_ALNUM, ['p'] = CH_ALNUM,
    ['q'] = CH_ALNUM, ['r'] = CH_ALNUM, ['s'] = CH_ALNUM, ['t'] = CH_ALNUM,
    ['u'] = CH_ALNUM, ['v'] = CH_ALNUM, ['w'] = CH_ALNUM, ['x'] = CH_ALNUM,
    ['y'] = CH_ALNUM, ['z'] = CH_ALNUM,
    /* 0x80 to 0xFF: 128 entries. */
#define LEAD4 CH_LEAD, CH_LEAD, CH_LEAD, CH_LEAD
#define LEAD8 LEAD4, LEAD4
#define LEAD64 LEAD8, LEAD8, LEAD8, LEAD8, LEAD8, LEAD8, LEAD8, LEAD8
    [0x80] = LEAD64, LEAD64,
#undef LEAD64
#undef LEAD8
#undef LEAD4
};

/* Eight bytes at a time: the mask is non-zero if a byte is below 0x21
 * (white space, controls) or not ASCII, and its lowest set bit is in the
 * first such byte (borrows only run towards higher bytes). */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static uint64_t stop8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return ((w - ONES * 0x21) | w) & HIGHS;
}

/* The offset of the first byte at or after s[i] that is below 0x21 or
 * not ASCII, or n. */
static size_t skip_plain(const unsigned char *s, size_t n, size_t i)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
    for (; n - i >= 8; i += 8) {
        uint64_t m = stop8(s + i);
        if (m)
            return i + (size_t)__builtin_ctzll(m) / 8;
    }
#endif
    while (i < n && s[i] >= 0x21 && s[i] < 0x80)
        i++;
    return i;
}

/* Once a run holds a letter or digit, the rest of it up to white space
 * or a non-ASCII byte cannot change the count: it is skipped eight
 * bytes at a time.  Only non-ASCII characters go through pk_space_len
 * and decode. */
static void count_text(counter *c, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    bool in_word = c->in_word, counts = c->counts;
    size_t words = c->words;

    for (size_t i = 0; i < n;) {
        unsigned cl = char_class[u[i]];
        if (cl == CH_ALNUM) {
            in_word = counts = true;
            i = skip_plain(u, n, i + 1);
            /* The common case next, "word word": one space and a letter
             * or digit end this word and start a counting one. */
            while (n - i > 1 && u[i] == ' ' &&
                   char_class[u[i + 1]] == CH_ALNUM) {
                words++;
                i = skip_plain(u, n, i + 2);
            }
            continue;
        }
        if (cl == CH_OTHER) {
            in_word = true;
            i++;
            continue;
        }
        if (cl == CH_SPACE) {
            words += in_word && counts;
            in_word = counts = false;
            i++;
            continue;
        }
        size_t sp = pk_space_len(s, n, i);
        if (sp) {
            words += in_word && counts;
            in_word = counts = false;
            i += sp;
            continue;
        }
        unsigned long cp;
        in_word = true;
        i += decode(s, n, i, &cp);
        if (wordish(cp))
            counts = true;
    }
    c->in_word = in_word;
    c->counts = counts;
    c->words = words;
}

/*
 * Words of the body's text, the text being what pk_node_text gives (text
 * and inline code; no raw HTML, no code blocks), with one difference:
 * every block boundary separates words.  pk_node_text of a whole list
 * runs its items together ("alpha" + "beta" = "alphabeta"), which would
 * undercount highlights.
 */
static size_t count_words(const pk_node *root)
{
    counter c = {0, false, false};
    const pk_node *n = root;

    /* Depth first, as pk_iter walks: blocks separate words where they
     * start and where they end. */
    for (;;) {
        pk_node_type t = n->type;
        if ((t >= PK_NODE_FIRST_BLOCK && t <= PK_NODE_LAST_BLOCK) ||
            t == PK_NODE_SOFTBREAK || t == PK_NODE_LINEBREAK)
            count_flush(&c);
        else if (t == PK_NODE_TEXT || t == PK_NODE_CODE)
            count_text(&c, n->literal, n->literal_len);
        if (n->first) {
            n = n->first;
            continue;
        }
        while (n != root && !n->next) {
            n = n->parent;
            if (n->type >= PK_NODE_FIRST_BLOCK && n->type <= PK_NODE_LAST_BLOCK)
                count_flush(&c);
        }
        if (n == root)
            break;
        n = n->next;
    }
    count_flush(&c);
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
    an->words = count_words(doc->root);
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
