/*
 * quotes.c - finds the quotes of a release and who said them.
 *
 * Only top-level paragraphs are looked at: a block quote in a release is
 * an excerpt (a letter, a report), not something a minister said today,
 * and list items are highlights, not speech.
 *
 * A quote starts at a paragraph that opens with a quotation mark (curly
 * “ or straight "), or with a short lead-in naming the speaker
 * ("Jane Doe said: “…”").  A paragraph whose mark is still open at its
 * end runs on into the next paragraph if that one opens with the same
 * mark (the newspaper convention: an opening mark on every paragraph,
 * the closing one only on the last).  The attribution may follow a
 * closing mark ("…,” Jane Doe said.", "…,” said Jane Doe.", "…” — Jane
 * Doe"), precede the quote (the lead-in), or sit between two parts of
 * it ("“A,” she said. “B.”").  Quoted words inside a sentence (scare
 * quotes, titles of reports) are not quotes: a paragraph counts only if
 * the mark opens it, and a quoted passage followed by ordinary prose
 * ("“Pathways to Work” found that…") is rejected.
 *
 * Everything is linear in the size of the body: each paragraph is
 * scanned a bounded number of times, speaker phrases are at most
 * MAX_PHRASE words, and ministers are looked up by binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes.h"

enum {
    MAX_PHRASE = 12,      /* words in a speaker phrase */
    KEY_MAX = 256,        /* bytes of a normalised name */
    LOOKBACK = 64,        /* earlier quotes searched for a title or name */
    MAX_PORTFOLIOS = 64   /* portfolios tried to end "Minister for X" */
};

typedef enum mark { MARK_NONE, MARK_CURLY, MARK_STRAIGHT } mark;

typedef enum outcome { REJECT, CLOSED, OPEN } outcome;

/* A token of a paragraph's text: the word t[b..e) without its trailing
 * punctuation, punct the first of that punctuation (0 if none), end the
 * offset after the whole token. */
typedef struct word {
    size_t b, e, end;
    char punct;
    bool has_mark;   /* the token holds a quotation mark */
} word;

typedef enum attr_kind {
    ATTR_NONE,     /* no attribution */
    ATTR_NAME,     /* a name, maybe with a title */
    ATTR_PRONOUN,  /* he, she, they: the previous speaker */
    ATTR_TITLE,    /* "the Minister": a title without a name */
    ATTR_ANON      /* "the report said": attributed, but to no person */
} attr_kind;

typedef struct attribution {
    attr_kind kind;
    const char *title;   /* as written, or NULL */
    size_t title_len;
    const char *name;    /* as written, leading honorifics removed */
    size_t name_len;
} attribution;

/* A minister's name normalised for matching, and where it came from. */
typedef struct mkey {
    const char *key;
    size_t index;
} mkey;

typedef struct seg {
    const char *s;
    size_t len;
    bool new_para;   /* first segment of a paragraph: "\n\n" before it */
} seg;

typedef struct qpara {
    pk_node *node;
    size_t index;
} qpara;

typedef struct builder {
    pk_doc *doc;
    mkey *full, *last;   /* ministers by full name and by surname */
    size_t n_ministers;
    pk_quote *quotes;
    size_t nq, capq;
    qpara *paras;        /* the paragraphs of every quote, body order */
    size_t np, capp;
    seg *segs;           /* the parts of the quote being built */
    size_t ns, caps;
    /* The quote being built. */
    bool active, open, new_para;
    mark mark;
    size_t para_start;
    attribution attr;
    /* The last speaker, for "she said" and "the Minister said". */
    const char *prev_speaker;
    long prev_minister;
} builder;

static int grow(pk_doc *doc, void **items, size_t *cap, size_t count,
                size_t size)
{
    if (count < *cap)
        return PK_OK;
    size_t n = *cap ? *cap * 2 : 16;
    if (n > SIZE_MAX / size)
        return PK_ENOMEM;
    void *p = pk_doc_alloc(doc, n * size);
    if (!p)
        return PK_ENOMEM;
    if (count)
        memcpy(p, *items, count * size);
    /* The old array stays in the arena until the document goes. */
    *items = p;
    *cap = n;
    return PK_OK;
}

/* ---- characters ------------------------------------------------------ */

/* A word as written in the tables below, with its length. */
typedef struct wordlit {
    const char *s;
    size_t len;
} wordlit;

#define LIT(x) {x, sizeof x - 1}

/* Whether c is punctuation that may close a word: one of ".,;:!?)". */
static bool closing_punct(char c)
{
    switch (c) {
    case '.': case ',': case ';': case ':': case '!': case '?': case ')':
        return true;
    default:
        return false;
    }
}

static mark open_mark(const char *t, size_t n, size_t i, size_t *len)
{
    if (i < n && t[i] == '"') {
        *len = 1;
        return MARK_STRAIGHT;
    }
    if (i + 2 < n && memcmp(t + i, "\xE2\x80\x9C", 3) == 0) {
        *len = 3;
        return MARK_CURLY;
    }
    return MARK_NONE;
}

static bool is_mark_at(const char *t, size_t n, size_t i)
{
    return t[i] == '"' ||
           (i + 2 < n && (unsigned char)t[i] == 0xE2 &&
            (unsigned char)t[i + 1] == 0x80 &&
            ((unsigned char)t[i + 2] == 0x9C || (unsigned char)t[i + 2] == 0x9D));
}

/* Finds the mark closing a quote of kind k whose text starts at t[i]:
 * curly marks nest (“outer “inner” outer”), straight ones cannot.
 * Stores its offset and length; false if the paragraph ends first. */
static bool find_close(const char *t, size_t n, size_t i, mark k,
                       size_t *at, size_t *len)
{
    if (k == MARK_STRAIGHT) {
        const char *q = memchr(t + i, '"', n - i);
        if (!q)
            return false;
        *at = (size_t)(q - t);
        *len = 1;
        return true;
    }
    unsigned depth = 1;
    while (i + 2 < n) {
        const char *p = memchr(t + i, 0xE2, n - 2 - i);
        if (!p)
            return false;
        i = (size_t)(p - t);
        if ((unsigned char)t[i + 1] == 0x80 && (unsigned char)t[i + 2] == 0x9C) {
            depth++;
            i += 3;
        } else if ((unsigned char)t[i + 1] == 0x80 &&
                   (unsigned char)t[i + 2] == 0x9D) {
            if (--depth == 0) {
                *at = i;
                *len = 3;
                return true;
            }
            i += 3;
        } else {
            i++;
        }
    }
    return false;
}

static size_t skip_spaces(const char *t, size_t n, size_t i)
{
    size_t sp;
    while (i < n && (sp = pk_space_len(t, n, i)))
        i += sp;
    return i;
}

/* Whether only white space and closing punctuation remain: "“…”." */
static bool only_trailing(const char *t, size_t n, size_t i)
{
    while (i < n) {
        size_t sp = pk_space_len(t, n, i);
        if (sp)
            i += sp;
        else if (closing_punct(t[i]))
            i++;
        else
            return false;
    }
    return true;
}

/* An em dash, en dash, horizontal bar, "--" or a spaced "-". */
static size_t dash_len(const char *t, size_t n, size_t i)
{
    if (i + 2 < n && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
        (unsigned char)t[i + 2] >= 0x93 && (unsigned char)t[i + 2] <= 0x95)
        return 3;
    if (i + 1 < n && t[i] == '-' && t[i + 1] == '-')
        return 2;
    if (i + 1 < n && t[i] == '-' && pk_space_len(t, n, i + 1))
        return 1;
    return 0;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

/* Whether s[0..len) is lit[0..n) (lower case) in any case. */
static bool ieq_n(const char *s, size_t len, const char *lit, size_t n)
{
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lit[i])
            return false;
    return true;
}

static bool ieq(const char *s, size_t len, const char *lit)
{
    return ieq_n(s, len, lit, strlen(lit));
}

/* ---- words ----------------------------------------------------------- */

/* Reads the token starting at or after t[i] (before limit) into *w. */
static bool next_word(const char *t, size_t limit, size_t i, word *w)
{
    i = skip_spaces(t, limit, i);
    if (i >= limit)
        return false;
    size_t e = i;
    w->has_mark = false;
    while (e < limit && !pk_space_len(t, limit, e)) {
        if (is_mark_at(t, limit, e))
            w->has_mark = true;
        e++;
    }
    w->b = i;
    w->end = e;
    w->punct = 0;
    while (e > i && closing_punct(t[e - 1])) {
        w->punct = t[e - 1];
        e--;
    }
    w->e = e;
    return true;
}

static bool word_is_n(const char *t, const word *w, const char *lit, size_t n)
{
    return w->e - w->b == n && memcmp(t + w->b, lit, n) == 0;
}

static bool word_is(const char *t, const word *w, const char *lit)
{
    return word_is_n(t, w, lit, strlen(lit));
}

/* Whether the word w is one of list[0..n). */
static bool word_in(const char *t, const word *w, const wordlit *list, size_t n)
{
    size_t len = w->e - w->b;
    for (size_t i = 0; i < n; i++)
        if (list[i].len == len && memcmp(t + w->b, list[i].s, len) == 0)
            return true;
    return false;
}

static bool word_ieq(const char *t, const word *w, const char *lit)
{
    return ieq(t + w->b, w->e - w->b, lit);
}

static bool honorific_text(const char *s, size_t len)
{
    static const wordlit list[] = {
        LIT("hon"), LIT("rt"), LIT("right"), LIT("honourable"),
        LIT("honorable"), LIT("dr"), LIT("mr"), LIT("mrs"), LIT("ms"),
        LIT("mx"), LIT("miss"), LIT("sir"), LIT("dame")};
    while (len && s[len - 1] == '.')
        len--;
    if (len < 2 || len > 10)
        return false;
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (ieq_n(s, len, list[i].s, list[i].len))
            return true;
    return false;
}

static bool honorific(const char *t, const word *w)
{
    return honorific_text(t + w->b, w->e - w->b);
}

/* A word that ends a sentence or clause: any trailing punctuation but the
 * full stop of "Dr." or "Mr.". */
static bool breaks_phrase(const char *t, const word *w)
{
    return w->punct && !(w->punct == '.' && honorific(t, w));
}

static bool is_verb(const char *t, const word *w)
{
    static const wordlit verbs[] = {
        LIT("said"), LIT("says"), LIT("added"), LIT("adds"),
        LIT("explained"), LIT("explains"), LIT("noted"), LIT("notes"),
        LIT("stated"), LIT("continued"), LIT("continues"), LIT("told"),
        LIT("asked"), LIT("asks"), LIT("commented"), LIT("comments"),
        LIT("concluded"), LIT("concludes"), LIT("remarked"),
        LIT("announced"), LIT("announces"), LIT("declared"),
        LIT("confirmed"), LIT("confirms"), LIT("acknowledged"),
        LIT("acknowledges"), LIT("emphasised"), LIT("emphasized"),
        LIT("stressed"), LIT("stresses"), LIT("observed"), LIT("warned"),
        LIT("warns"), LIT("urged"), LIT("urges"), LIT("wrote"),
        LIT("writes"), LIT("replied"), LIT("admitted"), LIT("insisted"),
        LIT("insists"), LIT("agreed"), LIT("recalled"), LIT("reflected")};
    /* Every verb starts with a lower-case letter from 'a' to 'w'. */
    unsigned char c = (unsigned char)t[w->b];
    if (w->e - w->b < 4 || c < 'a' || c > 'w')
        return false;
    return word_in(t, w, verbs, sizeof verbs / sizeof verbs[0]);
}

static bool is_pronoun(const char *t, const word *w)
{
    return word_ieq(t, w, "he") || word_ieq(t, w, "she") ||
           word_ieq(t, w, "they");
}

static bool capitalised(const char *t, const word *w)
{
    unsigned char c = (unsigned char)t[w->b];
    /* Non-ASCII capitals (Ā, É…) start at U+00C0; 0xE2 starts dashes and
     * quotation marks. */
    return (c >= 'A' && c <= 'Z') || (c >= 0xC3 && c != 0xE2);
}

/* Lower-case words that may sit inside a name: "Jan van Dijk". */
static bool particle(const char *t, const word *w)
{
    static const wordlit list[] = {
        LIT("van"), LIT("von"), LIT("de"), LIT("der"), LIT("den"),
        LIT("da"), LIT("di"), LIT("du"), LIT("le"), LIT("la"), LIT("te"),
        LIT("ter"), LIT("bin"), LIT("al")};
    return word_in(t, w, list, sizeof list / sizeof list[0]);
}

/* ---- names ----------------------------------------------------------- */

/*
 * Normalises a name for matching: words split on white space, leading
 * honorifics ("Hon", "Rt Hon", "The Right Honourable", "Dr.") dropped,
 * trailing full stops and commas dropped, ASCII lower-cased, one space
 * between words.  Returns the length written to out (NUL-terminated) and
 * the number of words in *words; SIZE_MAX if it does not fit.
 */
static size_t normalise(const char *s, size_t n, char *out, size_t cap,
                        size_t *words)
{
    size_t o = 0, count = 0;
    bool leading = true;
    word w, next;
    for (size_t i = 0; next_word(s, n, i, &w); i = w.end) {
        size_t b = w.b, e = w.end;
        while (e > b && (s[e - 1] == '.' || s[e - 1] == ','))
            e--;
        if (leading) {
            if (honorific_text(s + b, e - b))
                continue;
            if (ieq(s + b, e - b, "the") && next_word(s, n, w.end, &next) &&
                honorific_text(s + next.b, next.end - next.b))
                continue;
            leading = false;
        }
        if (e == b)
            continue;
        if (o + (count ? 1 : 0) + (e - b) + 1 > cap)
            return SIZE_MAX;
        if (count)
            out[o++] = ' ';
        for (size_t k = b; k < e; k++)
            out[o++] = lower(s[k]);
        count++;
    }
    out[o] = '\0';
    if (words)
        *words = count;
    return o;
}

static int mkey_cmp(const void *a, const void *b)
{
    const mkey *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The first entry of a sorted table whose key is key, or NULL. */
static const mkey *lower_bound(const mkey *tab, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(tab[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(tab[lo].key, key) == 0 ? &tab[lo] : NULL;
}

static int build_ministers(builder *b)
{
    size_t n = pk_doc_minister_count(b->doc);
    b->n_ministers = 0;
    if (n == 0)
        return PK_OK;
    b->full = pk_doc_alloc(b->doc, n * sizeof *b->full);
    b->last = pk_doc_alloc(b->doc, n * sizeof *b->last);
    if (!b->full || !b->last)
        return PK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *m = pk_doc_minister(b->doc, i);
        size_t len = strlen(m);
        char *key = pk_doc_alloc(b->doc, len + 1);
        if (!key)
            return PK_ENOMEM;
        /* Never longer than the input: words only lose bytes. */
        normalise(m, len, key, len + 1, NULL);
        const char *sp = strrchr(key, ' ');
        b->full[i] = (mkey){key, i};
        b->last[i] = (mkey){sp ? sp + 1 : key, i};
    }
    qsort(b->full, n, sizeof *b->full, mkey_cmp);
    qsort(b->last, n, sizeof *b->last, mkey_cmp);
    b->n_ministers = n;
    return PK_OK;
}

/* The minister named s[0..len): full name, else a lone surname that
 * belongs to exactly one minister.  -1 if none. */
static long find_minister(const builder *b, const char *s, size_t len,
                          bool surname_ok)
{
    char key[KEY_MAX];
    size_t words;
    if (b->n_ministers == 0 ||
        normalise(s, len, key, sizeof key, &words) == SIZE_MAX || !words)
        return -1;
    const mkey *k = lower_bound(b->full, b->n_ministers, key);
    if (k)
        return (long)k->index;
    if (!surname_ok || words != 1)
        return -1;
    k = lower_bound(b->last, b->n_ministers, key);
    if (!k)
        return -1;
    const mkey *end = b->last + b->n_ministers;
    if (k + 1 < end && strcmp(k[1].key, key) == 0)
        return -1; /* two ministers share it: say nothing */
    return (long)k->index;
}

/*
 * Where the name starts in "Minister for X… Name": words r..k are X and
 * the name, with nothing to show where one ends.  In order: a suffix
 * that is a minister's full name; an honorific; the longest portfolio of
 * the front matter that X starts with; else a two-word name.  At least
 * one word goes to X.
 */
static size_t portfolio_end(const builder *b, const char *t, const word *w,
                            size_t r, size_t k)
{
    if (r + 1 >= k)
        return k;
    for (size_t e = r + 1; e < k; e++)
        if (find_minister(b, t + w[e].b, w[k - 1].e - w[e].b, false) >= 0)
            return e;
    for (size_t e = r + 1; e < k; e++)
        if (honorific(t, &w[e]))
            return e;
    size_t best = 0, np = pk_doc_portfolio_count(b->doc);
    for (size_t p = 0; p < np && p < MAX_PORTFOLIOS; p++) {
        const char *s = pk_doc_portfolio(b->doc, p);
        size_t len = strlen(s), j = r;
        word pw;
        bool ok = true;
        for (size_t i = 0; ok && next_word(s, len, i, &pw); i = pw.end, j++)
            ok = j < k && w[j].e - w[j].b == pw.end - pw.b &&
                 same_ci(t + w[j].b, s + pw.b, pw.end - pw.b);
        if (ok && j > r && j < k && j - r > best)
            best = j - r;
    }
    if (best)
        return r + best;
    return k - 2 > r ? k - 2 : r + 1;
}

/* ---- speaker phrases ------------------------------------------------- */

static void set_span(const char **s, size_t *len, const char *t,
                     const word *first, const word *last)
{
    *s = t + first->b;
    *len = last->e - first->b;
}

/*
 * Reads a speaker phrase w[0..k) ("Foreign Minister Nanaia Mahuta", "Mr
 * Macindoe", "she", "the Minister", "Minister for Disability Issues Jane
 * Doe").  A title is the words before the name that end in "Minister",
 * or "Minister for/of X".  False if the phrase does not name anyone the
 * way an attribution does (lower-case words where the name should be).
 */
static bool classify(const builder *b, const char *t, const word *w,
                     size_t k, attribution *a)
{
    memset(a, 0, sizeof *a);
    if (k == 0)
        return false;
    if (k == 1 && is_pronoun(t, &w[0])) {
        a->kind = ATTR_PRONOUN;
        return true;
    }
    /* "Environment Minister Jane Doe and Finance Minister Ari Smith
     * said": a joint statement goes to the first minister named. */
    for (size_t j = 1; j + 1 < k; j++) {
        if (!word_is(t, &w[j], "and"))
            continue;
        attribution left, right;
        if (classify(b, t, w, j, &left) && left.kind == ATTR_NAME &&
            find_minister(b, left.name, left.name_len, true) >= 0 &&
            classify(b, t, w + j + 1, k - j - 1, &right) &&
            right.kind == ATTR_NAME) {
            *a = left;
            return true;
        }
        break;
    }
    size_t s = 0;
    if (word_ieq(t, &w[0], "the")) {
        if (k >= 2 && honorific(t, &w[1])) {
            s = 1; /* "the Rt Hon Jane Doe" */
        } else {
            for (size_t j = 1; j < k; j++)
                if (word_is(t, &w[j], "Minister")) {
                    a->kind = ATTR_TITLE;
                    set_span(&a->title, &a->title_len, t, &w[1], &w[k - 1]);
                    return true;
                }
            if (k > 6)
                return false;
            a->kind = ATTR_ANON; /* "the report", "the spokesperson" */
            return true;
        }
    }
    size_t m = SIZE_MAX, ns;
    for (size_t j = s; j < k; j++)
        if (word_is(t, &w[j], "Minister"))
            m = j;
    if (m != SIZE_MAX) {
        size_t ts = m;
        while (ts > s && (capitalised(t, &w[ts - 1]) ||
                          word_is(t, &w[ts - 1], "and") ||
                          word_is(t, &w[ts - 1], "&")))
            ts--;
        if (m + 1 < k && (word_is(t, &w[m + 1], "for") ||
                          word_is(t, &w[m + 1], "of")))
            ns = portfolio_end(b, t, w, m + 2, k);
        else
            ns = m + 1;
        set_span(&a->title, &a->title_len, t, &w[ts], &w[ns - 1]);
        if (ns == k) {
            a->kind = ATTR_TITLE; /* "Prime Minister said" */
            return true;
        }
    } else {
        ns = k;
        while (ns > s && (capitalised(t, &w[ns - 1]) ||
                          (ns < k && ns - 1 > s && particle(t, &w[ns - 1]))))
            ns--;
        while (ns < k && particle(t, &w[ns]))
            ns++;
        if (ns == k)
            return false;
    }
    for (size_t j = ns; j < k; j++)
        if (!capitalised(t, &w[j]) && !particle(t, &w[j]))
            return false;
    while (ns < k && honorific(t, &w[ns]))
        ns++;
    if (ns == k)
        return false;
    a->kind = ATTR_NAME;
    set_span(&a->name, &a->name_len, t, &w[ns], &w[k - 1]);
    return true;
}

/* "Jane Doe said: “…”": the attribution before the first mark of a
 * paragraph that does not open with one.  Stores where the mark is. */
static bool lead_in(const builder *b, const char *t, size_t n, size_t *qpos,
                    attribution *a)
{
    size_t q = pk_first_open_mark(t, n);
    if (q >= n)
        return false;
    /* Back over white space (ASCII or NO-BREAK SPACE) to ':' or ','. */
    size_t j = q;
    for (;;) {
        if (j >= 1 && pk_space_len(t, n, j - 1) == 1)
            j--;
        else if (j >= 2 && pk_space_len(t, n, j - 2) == 2)
            j -= 2;
        else
            break;
    }
    if (j == 0 || (t[j - 1] != ':' && t[j - 1] != ','))
        return false;
    /* The words since the last clause break, the verb last. */
    word w[MAX_PHRASE], prev[MAX_PHRASE], tok;
    size_t k = 0, kp = 0;
    bool over = false;
    for (size_t i = 0; next_word(t, j, i, &tok); i = tok.end) {
        if (tok.has_mark) {
            k = kp = 0;
            over = false;
            continue;
        }
        if (tok.end == j) {
            /* The verb, with its ':' or ','.  No words since the last
             * break: an apposition, "One principal, Jane Doe, said:". */
            if (!is_verb(t, &tok) || over)
                return false;
            *qpos = q;
            if (k == 0)
                return kp && classify(b, t, prev, kp, a);
            return classify(b, t, w, k, a);
        }
        if (k == MAX_PHRASE)
            over = true;
        else
            w[k++] = tok;
        if (breaks_phrase(t, &tok)) {
            kp = 0;
            if (tok.punct == ',' && !over) {
                memcpy(prev, w, k * sizeof *w);
                kp = k;
            }
            k = 0;
            over = false;
        }
    }
    return false;
}

/* The title in an apposition, "…, the Foreign Minister, said": the
 * words w[0..k) without a leading article, if they hold "Minister". */
static void apposition_title(const char *t, const word *w, size_t k,
                             attribution *a)
{
    size_t s = 0;
    if (k && (word_ieq(t, &w[0], "the") || word_ieq(t, &w[0], "a")))
        s = 1;
    if (a->title || s >= k)
        return;
    bool minister = false;
    for (size_t j = s; j < k; j++) {
        if (!capitalised(t, &w[j]) && !word_is(t, &w[j], "and") &&
            !word_is(t, &w[j], "&") && !word_is(t, &w[j], "for") &&
            !word_is(t, &w[j], "of"))
            return; /* "who is also the Health Minister": not a title */
        minister |= word_is(t, &w[j], "Minister");
    }
    if (minister)
        set_span(&a->title, &a->title_len, t, &w[s], &w[k - 1]);
}

/*
 * The attribution after a closing mark, at t[r]: "— Jane Doe", "said Jane
 * Doe", "Jane Doe said".  Stores where it ends (the rest of the sentence
 * may go on: "…, adding that…").
 */
static bool after_close(const builder *b, const char *t, size_t n, size_t r,
                        attribution *a, size_t *after)
{
    word w[MAX_PHRASE], tok;
    size_t k = 0, dl = dash_len(t, n, r);
    if (dl) {
        size_t i = r + dl;
        while (next_word(t, n, i, &tok)) {
            if (tok.has_mark || k == MAX_PHRASE)
                return false;
            w[k++] = tok;
            i = tok.end;
            if (breaks_phrase(t, &tok))
                break;
        }
        if (!classify(b, t, w, k, a))
            return false;
        /* "— Jane Doe, Foreign Minister" */
        if (k && w[k - 1].punct == ',') {
            word tw[MAX_PHRASE];
            size_t tk = 0;
            while (tk < MAX_PHRASE && next_word(t, n, i, &tok) && !tok.has_mark) {
                tw[tk++] = tok;
                i = tok.end;
                if (tok.punct)
                    break;
            }
            apposition_title(t, tw, tk, a);
        }
        *after = n;
        return true;
    }
    if (!next_word(t, n, r, &tok) || tok.has_mark)
        return false;
    if (is_verb(t, &tok)) {
        /* "said Jane Doe." */
        if (tok.punct)
            return false;
        size_t i = tok.end;
        while (next_word(t, n, i, &tok)) {
            if (tok.has_mark || k == MAX_PHRASE)
                return false;
            w[k++] = tok;
            i = tok.end;
            if (breaks_phrase(t, &tok))
                break;
        }
        if (!classify(b, t, w, k, a))
            return false;
        *after = w[k - 1].e;
        return true;
    }
    /* "Jane Doe said", "Jane Doe, the Foreign Minister, said" */
    size_t commas = 0, k1 = 0;
    for (;;) {
        if (k >= 1 && is_verb(t, &tok)) {
            if (commas == 0) {
                if (!classify(b, t, w, k, a))
                    return false;
            } else if (commas == 2 && w[k - 1].punct == ',') {
                if (!classify(b, t, w, k1, a) || a->kind == ATTR_ANON)
                    return false;
                apposition_title(t, w + k1, k - k1, a);
            } else {
                return false;
            }
            *after = tok.e;
            return true;
        }
        if (k == MAX_PHRASE || tok.has_mark)
            return false;
        if (tok.punct == ',') {
            if (++commas == 1)
                k1 = k + 1;
        } else if (breaks_phrase(t, &tok)) {
            return false;
        }
        w[k++] = tok;
        if (!next_word(t, n, tok.end, &tok))
            return false;
    }
}

/*
 * After an attribution: the mark of a second part, or SIZE_MAX.  The
 * sentence of the attribution may go on a little ("…,” she told
 * reporters. “…”) but must end in punctuation right before the mark
 * ("…, adding: “…”"): quoted words later in a sentence ("…, adding
 * that the “quiet period” is over") are not a second part.
 */
static size_t second_part(const char *t, size_t n, size_t i)
{
    char last = 0;
    size_t words = 0, ml;
    bool in_word = false;
    while (i < n && open_mark(t, n, i, &ml) == MARK_NONE) {
        size_t sp = pk_space_len(t, n, i);
        if (sp) {
            i += sp;
            in_word = false;
            continue;
        }
        if (!in_word && ++words > MAX_PHRASE)
            return SIZE_MAX;
        in_word = true;
        last = t[i++];
    }
    if (i >= n)
        return SIZE_MAX;
    return !last || (strchr(".,:;", last) && last) ? i : SIZE_MAX;
}

/* ---- building quotes ------------------------------------------------- */

static int add_seg(builder *b, const char *t, size_t s, size_t e)
{
    s = skip_spaces(t, e, s);
    for (;;) {
        if (e > s && pk_space_len(t, e, e - 1) == 1)
            e--;
        else if (e >= s + 2 && pk_space_len(t, e, e - 2) == 2)
            e -= 2;
        else if (e >= s + 3 && pk_space_len(t, e, e - 3) == 3)
            e -= 3;
        else
            break;
    }
    if (e <= s)
        return PK_OK;
    if (grow(b->doc, (void **)&b->segs, &b->caps, b->ns, sizeof *b->segs))
        return PK_ENOMEM;
    b->segs[b->ns++] = (seg){t + s, e - s, b->new_para};
    b->new_para = false;
    return PK_OK;
}

/*
 * Reads the quoted parts of one paragraph, from the mark at t[pos]: a
 * part, then an attribution or another part, and so on.  OPEN if the
 * last part runs past the paragraph's end; REJECT if the paragraph's
 * first part is followed by ordinary prose and this paragraph would
 * start the quote.
 */
static outcome parse_parts(builder *b, const char *t, size_t n, size_t pos,
                           bool starts_quote, int *rc)
{
    bool first = true;
    for (;;) {
        size_t ml = 0, at, cl;
        mark k = open_mark(t, n, pos, &ml);
        if (k == MARK_NONE)
            return first && starts_quote ? REJECT : CLOSED;
        size_t s = pos + ml;
        if (!find_close(t, n, s, k, &at, &cl)) {
            b->mark = k;
            *rc = add_seg(b, t, s, n);
            return OPEN;
        }
        size_t r = skip_spaces(t, n, at + cl);
        attribution a;
        size_t after;
        if (only_trailing(t, n, r)) {
            *rc = add_seg(b, t, s, at);
            return CLOSED;
        }
        if (open_mark(t, n, r, &ml) != MARK_NONE) {
            /* “One.” “Two.” */
            if ((*rc = add_seg(b, t, s, at)))
                return CLOSED;
            pos = r;
        } else if (after_close(b, t, n, r, &a, &after)) {
            if ((*rc = add_seg(b, t, s, at)))
                return CLOSED;
            if (b->attr.kind == ATTR_NONE)
                b->attr = a;
            pos = second_part(t, n, after);
            if (pos == SIZE_MAX)
                return CLOSED;
        } else {
            if (first && starts_quote)
                return REJECT;
            *rc = add_seg(b, t, s, at);
            return CLOSED;
        }
        first = false;
    }
}

static bool title_matches(const char *title, const char *s, size_t len)
{
    return title && strlen(title) == len && same_ci(title, s, len);
}

/* "Ms Lund" after "Sarah Lund": a lone surname naming someone quoted
 * earlier who is not a minister (ministers are resolved by
 * find_minister, which keeps a surname two of them share unresolved). */
static const char *earlier_speaker(const builder *b, const char *name,
                                   size_t len)
{
    word w;
    if (!next_word(name, len, 0, &w) || w.end != len)
        return NULL; /* not one word */
    for (size_t i = b->nq, seen = 0; i-- > 0 && seen < LOOKBACK; seen++) {
        const pk_quote *p = &b->quotes[i];
        if (!p->speaker || p->minister >= 0)
            continue;
        size_t sl = strlen(p->speaker), last = 0;
        for (size_t j = 0; next_word(p->speaker, sl, j, &w); j = w.end)
            last = w.b;
        if (last && sl - last == len && same_ci(p->speaker + last, name, len))
            return p->speaker;
    }
    return NULL;
}

/* Who an attribution names, against the ministers and the quotes before. */
static int resolve(builder *b, pk_quote *q)
{
    const attribution *a = &b->attr;
    q->minister = -1;
    if (a->title && !(q->title = pk_doc_strndup(b->doc, a->title, a->title_len)))
        return PK_ENOMEM;
    switch (a->kind) {
    case ATTR_NAME:
        q->minister = find_minister(b, a->name, a->name_len, true);
        if (q->minister >= 0) {
            q->speaker = pk_doc_minister(b->doc, (size_t)q->minister);
        } else if (!(q->speaker = earlier_speaker(b, a->name, a->name_len)) &&
                   !(q->speaker = pk_doc_strndup(b->doc, a->name, a->name_len))) {
            return PK_ENOMEM;
        }
        break;
    case ATTR_TITLE:
        /* "the Foreign Minister": the last one the body called that. */
        for (size_t i = b->nq, seen = 0; i-- > 0 && seen < LOOKBACK; seen++) {
            const pk_quote *p = &b->quotes[i];
            if (p->speaker && title_matches(p->title, a->title, a->title_len)) {
                q->speaker = p->speaker;
                q->minister = p->minister;
                return PK_OK;
            }
        }
        /* fall through */
    case ATTR_PRONOUN:
        if (b->prev_speaker) {
            q->speaker = b->prev_speaker;
            q->minister = b->prev_minister;
        } else if (b->n_ministers == 1) {
            q->speaker = pk_doc_minister(b->doc, 0);
            q->minister = 0;
        }
        break;
    case ATTR_ANON:
    case ATTR_NONE:
        break;
    }
    return PK_OK;
}

/* Ends the quote being built: joins its parts, resolves its speaker. */
static int finish(builder *b)
{
    if (!b->active)
        return PK_OK;
    size_t total = 1;
    for (size_t i = 0; i < b->ns; i++)
        total += b->segs[i].len + (i ? (b->segs[i].new_para ? 2 : 1) : 0);
    char *text = pk_doc_alloc(b->doc, total);
    if (!text || grow(b->doc, (void **)&b->quotes, &b->capq, b->nq,
                      sizeof *b->quotes))
        return PK_ENOMEM;
    size_t o = 0;
    for (size_t i = 0; i < b->ns; i++) {
        if (i && b->segs[i].new_para) {
            memcpy(text + o, "\n\n", 2);
            o += 2;
        } else if (i) {
            text[o++] = ' ';
        }
        memcpy(text + o, b->segs[i].s, b->segs[i].len);
        o += b->segs[i].len;
    }
    text[o] = '\0';
    pk_quote *q = &b->quotes[b->nq];
    memset(q, 0, sizeof *q);
    q->text = text;
    q->first = b->para_start;
    q->n_paragraphs = b->np - b->para_start;
    int rc = resolve(b, q);
    if (rc)
        return rc;
    b->nq++;
    if (q->speaker) {
        b->prev_speaker = q->speaker;
        b->prev_minister = q->minister;
    }
    b->active = b->open = false;
    b->ns = 0;
    b->para_start = b->np;
    memset(&b->attr, 0, sizeof b->attr);
    return PK_OK;
}

static int add_para(builder *b, pk_node *node, size_t index)
{
    if (grow(b->doc, (void **)&b->paras, &b->capp, b->np, sizeof *b->paras))
        return PK_ENOMEM;
    b->paras[b->np++] = (qpara){node, index};
    return PK_OK;
}

/* One top-level paragraph: continues the open quote, starts a new one,
 * or is prose. */
static int paragraph(builder *b, pk_node *node, size_t index)
{
    size_t n;
    const char *t;
    /* A paragraph of one text node is that node's text: no copy. */
    if (node->first && node->first == node->last &&
        node->first->type == PK_NODE_TEXT) {
        t = node->first->literal;
        n = node->first->literal_len;
    } else {
        t = pk_node_text(node, &n);
    }
    if (!t)
        return PK_ENOMEM;
    size_t p = skip_spaces(t, n, 0), ml;
    mark k = open_mark(t, n, p, &ml);
    int rc = PK_OK;
    b->new_para = true;
    if (b->active && b->open && k == b->mark) {
        if ((rc = add_para(b, node, index)))
            return rc;
        outcome o = parse_parts(b, t, n, p, false, &rc);
        if (rc)
            return rc;
        return o == OPEN ? PK_OK : finish(b);
    }
    if ((rc = finish(b)))
        return rc;
    attribution lead = {ATTR_NONE, NULL, 0, NULL, 0};
    if (k == MARK_NONE && !lead_in(b, t, n, &p, &lead))
        return PK_OK;
    b->attr = lead;
    outcome o = parse_parts(b, t, n, p, true, &rc);
    if (rc)
        return rc;
    if (o == REJECT) {
        b->ns = 0;
        memset(&b->attr, 0, sizeof b->attr);
        return PK_OK;
    }
    if ((rc = add_para(b, node, index)))
        return rc;
    b->active = true;
    b->open = o == OPEN;
    return b->open ? PK_OK : finish(b);
}

static int ref_cmp(const void *a, const void *b)
{
    uintptr_t x = ((const pk_quote_ref *)a)->node;
    uintptr_t y = ((const pk_quote_ref *)b)->node;
    return x < y ? -1 : x > y;
}

int pk_quotes_find(pk_doc *doc, pk_quote_set *out)
{
    memset(out, 0, sizeof *out);
    builder b;
    memset(&b, 0, sizeof b);
    b.doc = doc;
    b.prev_minister = -1;
    int rc = build_ministers(&b);
    size_t index = 0;
    for (pk_node *n = pk_node_first_child(pk_doc_root(doc)); n && !rc;
         n = pk_node_next(n), index++) {
        if (pk_node_get_type(n) == PK_NODE_PARAGRAPH)
            rc = paragraph(&b, n, index);
        else
            rc = finish(&b);
    }
    if (!rc)
        rc = finish(&b);
    if (rc)
        return rc;
    if (b.nq == 0)
        return PK_OK;

    pk_node **nodes = pk_doc_alloc(doc, b.np * sizeof *nodes);
    size_t *indexes = pk_doc_alloc(doc, b.np * sizeof *indexes);
    pk_quote_ref *refs = pk_doc_alloc(doc, b.np * sizeof *refs);
    if (!nodes || !indexes || !refs)
        return PK_ENOMEM;
    for (size_t i = 0; i < b.np; i++) {
        nodes[i] = b.paras[i].node;
        indexes[i] = b.paras[i].index;
    }
    for (size_t i = 0; i < b.nq; i++) {
        pk_quote *q = &b.quotes[i];
        q->paragraphs = nodes + q->first;
        q->indexes = indexes + q->first;
        for (size_t j = 0; j < q->n_paragraphs; j++)
            refs[q->first + j] = (pk_quote_ref){(uintptr_t)q->paragraphs[j], q};
    }
    qsort(refs, b.np, sizeof *refs, ref_cmp);
    out->quotes = b.quotes;
    out->count = b.nq;
    out->refs = refs;
    out->n_refs = b.np;
    return PK_OK;
}

const pk_quote *pk_quotes_of(const pk_quote_set *set, const pk_node *paragraph)
{
    uintptr_t key = (uintptr_t)paragraph;
    size_t lo = 0, hi = set->n_refs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->refs[mid].node < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->n_refs && set->refs[lo].node == key ? set->refs[lo].quote
                                                         : NULL;
}
