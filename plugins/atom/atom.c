/*
 * atom.c - the atom writer: one Atom 1.0 feed (RFC 4287) from many
 * releases, and with -O DIR and atom.split one more feed per portfolio or
 * minister.  README.md beside this file documents the options and every
 * choice the output depends on.
 *
 * The core hands documents over in input order, but a feed lists them
 * newest first, so nothing is written before close.  Each document is
 * rendered at once into the bytes of its entry (entry.c) and let go.  Each
 * feed keeps its entries in a bounded heap (atom.limit) whose root is the
 * entry that sorts last, so memory grows with the entries kept, not with
 * the number of releases.  Entries are shared between the main feed and
 * the per-term feeds and counted.  Output depends only on the set of
 * documents, never on their order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "uri.h"

#define DEFAULT_TITLE "Press releases"
#define DEFAULT_AUTHORITY "presskit.invalid"
#define EMPTY_UPDATED "1970-01-01T00:00:00Z"
#define MAIN_FILE "feed.atom"

static const pk_option_def options[] = {
    {"title", PK_OPTION_STRING, DEFAULT_TITLE, "feed title"},
    {"subtitle", PK_OPTION_STRING, NULL, "feed subtitle (none by default)"},
    {"id", PK_OPTION_STRING, NULL,
     "feed id, an absolute URI (default: atom.link, else "
     "tag:AUTHORITY,YEAR:feed, YEAR that of the oldest release)"},
    {"author", PK_OPTION_STRING, NULL,
     "feed author, covering entries without ministers (default: the title)"},
    {"link", PK_OPTION_STRING, NULL,
     "URL of the web page the feed mirrors (link rel=alternate)"},
    {"self", PK_OPTION_STRING, NULL,
     "URL the feed is published at (link rel=self); per-term feeds get it "
     "resolved against their own path"},
    {"tz", PK_OPTION_STRING, "+00:00",
     "UTC offset (+HH:MM, -HH:MM or Z) of dates written without one; a "
     "plain date is midnight there"},
    {"limit", PK_OPTION_INT, "0",
     "keep only the N newest entries in each feed (0: all)"},
    {"scheme", PK_OPTION_STRING, NULL,
     "scheme URI of the portfolio categories (none by default)"},
    {"split", PK_OPTION_STRING, NULL,
     "with -O DIR, one more feed per portfolio (portfolio/SLUG.atom) or "
     "per minister (minister/SLUG.atom): portfolio or minister"},
    {"authority", PK_OPTION_STRING, DEFAULT_AUTHORITY,
     "authority (domain or email) of the default tag: feed id"},
    {NULL, 0, NULL, NULL},
};

/* One feed: the main one (label NULL) or one per split term. */
typedef struct feed {
    char *label;             /* the term as written (XML-safe) */
    char *slug;              /* file name stem, assigned at close */
    atom_entry **items;      /* a heap under atom.limit, else a list */
    size_t count, cap;
} feed;

typedef struct writer {
    pk_sink *sink;                   /* borrowed until close */
    char *title, *subtitle, *id, *author, *link, *self, *scheme, *authority;
    int tz;                          /* minutes east of UTC */
    size_t limit;                    /* 0: keep everything */
    atom_split split;
    feed main;
    feed **terms;
    size_t n_terms, cap_terms;
    atom_entry **live;               /* entries held by a feed, by id */
    size_t live_cap, live_count;
    uint64_t *gone;                  /* id hashes of entries dropped */
    size_t gone_cap, gone_count;
    int oldest_year;                 /* of all releases written, 0: none */
    int status;                      /* sticky PK_ENOMEM */
    atom_scratch scratch;            /* reused by each entry's rendering */
} writer;

/* ---- options ---------------------------------------------------------- */

static const char *opt(const pk_options *opts, const char *name)
{
    const char *v = opts ? pk_options_get(opts, name) : NULL;
    return v && *v ? v : NULL;
}

static bool parse_tz(const char *s, int *out)
{
    if (!strcmp(s, "Z") || !strcmp(s, "z")) {
        *out = 0;
        return true;
    }
    if (strlen(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':')
        return false;
    for (int i = 1; i < 6; i++)
        if (i != 3 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[1] - '0') * 10 + (s[2] - '0');
    int m = (s[4] - '0') * 10 + (s[5] - '0');
    if (h > 23 || m > 59)
        return false;
    *out = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return true;
}

/* An absolute URI without spaces or controls. */
static bool absolute_uri(const char *s)
{
    if (!pkx_uri_has_scheme(s))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7F)
            return false;
    return true;
}

static bool valid_authority(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
              *p == '@'))
            return false;
    return *s != '\0';
}

/* Copies option name (XML-safe) into *out, or def when unset. */
static bool copy_opt(const pk_options *opts, const char *name,
                     const char *def, char **out)
{
    const char *v = opt(opts, name);
    if (!v)
        v = def;
    if (!v)
        return true;
    return (*out = atom_xml_strdup(v, strlen(v))) != NULL;
}

static void writer_free(writer *w);

static int atom_open(void **state, pk_sink *sink, const pk_options *opts,
                     unsigned mode, pk_diag *diag)
{
    (void)mode; /* a feed is a feed, whatever the number of releases */
    *state = NULL;
    const char *v;
    int tz = 0;
    if ((v = opt(opts, "tz")) && !parse_tz(v, &tz))
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "atom.tz: expected +HH:MM, -HH:MM or Z, got \"%s\"",
                           v);
    long limit = opts ? pk_options_get_int(opts, "limit") : 0;
    if (limit < 0)
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "atom.limit: expected 0 (all) or more, got %ld",
                           limit);
    atom_split split = ATOM_SPLIT_NONE;
    if ((v = opt(opts, "split"))) {
        if (!strcmp(v, "portfolio"))
            split = ATOM_SPLIT_PORTFOLIO;
        else if (!strcmp(v, "minister"))
            split = ATOM_SPLIT_MINISTER;
        else if (strcmp(v, "none"))
            return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                               "atom.split: expected portfolio, minister or "
                               "none, got \"%s\"", v);
        if (split != ATOM_SPLIT_NONE && !pk_sink_is_directory(sink))
            return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                               "atom.split needs -O DIR: it writes one "
                               "feed per %s", v);
    }
    static const char *const uris[] = {"id", "link", "self", "scheme"};
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++)
        if ((v = opt(opts, uris[i])) && !absolute_uri(v))
            return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                               "atom.%s: expected an absolute URI such as "
                               "https://example.org/releases, got \"%s\"",
                               uris[i], v);
    if ((v = opt(opts, "authority")) && !valid_authority(v))
        return pk_diag_set(diag, PK_EINVAL, NULL, 0, 0,
                           "atom.authority: expected a domain name or an "
                           "email address, got \"%s\"", v);

    writer *w = calloc(1, sizeof *w);
    if (!w)
        goto nomem;
    w->sink = sink;
    w->tz = tz;
    w->limit = (size_t)limit;
    w->split = split;
    if (!copy_opt(opts, "title", DEFAULT_TITLE, &w->title) ||
        !copy_opt(opts, "subtitle", NULL, &w->subtitle) ||
        !copy_opt(opts, "id", NULL, &w->id) ||
        !copy_opt(opts, "author", NULL, &w->author) ||
        !copy_opt(opts, "link", NULL, &w->link) ||
        !copy_opt(opts, "self", NULL, &w->self) ||
        !copy_opt(opts, "scheme", NULL, &w->scheme) ||
        !copy_opt(opts, "authority", DEFAULT_AUTHORITY, &w->authority))
        goto nomem;
    if (!w->author && !(w->author = strdup(w->title)))
        goto nomem;
    *state = w;
    return PK_OK;
nomem:
    writer_free(w);
    return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- entries by id, and ids of dropped entries ------------------------ */

static atom_entry *live_find(const writer *w, const char *id, uint64_t h)
{
    if (!w->live_cap)
        return NULL;
    size_t mask = w->live_cap - 1;
    for (size_t i = h & mask; w->live[i]; i = (i + 1) & mask)
        if (w->live[i]->hash == h && !strcmp(w->live[i]->id, id))
            return w->live[i];
    return NULL;
}

static void live_insert(atom_entry **slots, size_t cap, atom_entry *e)
{
    size_t i = e->hash & (cap - 1);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = e;
}

static bool live_add(writer *w, atom_entry *e)
{
    if ((w->live_count + 1) * 4 > w->live_cap * 3) {
        size_t cap = w->live_cap ? w->live_cap * 2 : 16;
        atom_entry **slots = calloc(cap, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; i < w->live_cap; i++)
            if (w->live[i])
                live_insert(slots, cap, w->live[i]);
        free(w->live);
        w->live = slots;
        w->live_cap = cap;
    }
    live_insert(w->live, w->live_cap, e);
    w->live_count++;
    return true;
}

/* Removes e, shifting back the entries probed past it (no tombstones). */
static void live_remove(writer *w, const atom_entry *e)
{
    if (!w->live_cap)
        return;
    size_t mask = w->live_cap - 1, i = e->hash & mask;
    while (w->live[i] && w->live[i] != e)
        i = (i + 1) & mask;
    if (!w->live[i])
        return;
    for (size_t j = i;;) {
        j = (j + 1) & mask;
        if (!w->live[j])
            break;
        size_t home = w->live[j]->hash & mask;
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            w->live[i] = w->live[j];
            i = j;
        }
    }
    w->live[i] = NULL;
    w->live_count--;
}

static bool gone_has(const writer *w, uint64_t h)
{
    if (!w->gone_cap)
        return false;
    size_t mask = w->gone_cap - 1;
    for (size_t i = h & mask; w->gone[i]; i = (i + 1) & mask)
        if (w->gone[i] == h)
            return true;
    return false;
}

/* Remembers the id hash of an entry no feed keeps any more (atom.limit),
 * 8 bytes a release: enough to report a duplicate of it later. */
static void gone_add(writer *w, uint64_t h)
{
    if (gone_has(w, h))
        return;
    if ((w->gone_count + 1) * 4 > w->gone_cap * 3) {
        size_t cap = w->gone_cap ? w->gone_cap * 2 : 64;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots) {
            w->status = PK_ENOMEM;
            return;
        }
        for (size_t i = 0; i < w->gone_cap; i++) {
            if (!w->gone[i])
                continue;
            size_t k = w->gone[i] & (cap - 1);
            while (slots[k])
                k = (k + 1) & (cap - 1);
            slots[k] = w->gone[i];
        }
        free(w->gone);
        w->gone = slots;
        w->gone_cap = cap;
    }
    size_t k = h & (w->gone_cap - 1);
    while (w->gone[k])
        k = (k + 1) & (w->gone_cap - 1);
    w->gone[k] = h;
    w->gone_count++;
}

/* Frees e once no feed holds it. */
static void settle(writer *w, atom_entry *e)
{
    if (e->refs)
        return;
    live_remove(w, e);
    if (w->limit)
        gone_add(w, e->hash);
    atom_entry_free(e);
}

static void release(writer *w, atom_entry *e)
{
    e->refs--;
    settle(w, e);
}

/* ---- feeds ------------------------------------------------------------ */

/* True if a sorts after b: the heap's root is the entry to drop next. */
static bool after(const writer *w, const atom_entry *a, const atom_entry *b)
{
    return atom_entry_cmp(a, b, w->tz) > 0;
}

static void swap(feed *f, size_t i, size_t j)
{
    atom_entry *t = f->items[i];
    f->items[i] = f->items[j];
    f->items[j] = t;
}

static void sift_up(const writer *w, feed *f, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!after(w, f->items[i], f->items[p]))
            break;
        swap(f, i, p);
        i = p;
    }
}

static void sift_down(const writer *w, feed *f, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < f->count && after(w, f->items[l], f->items[m]))
            m = l;
        if (r < f->count && after(w, f->items[r], f->items[m]))
            m = r;
        if (m == i)
            return;
        swap(f, i, m);
        i = m;
    }
}

/* Offers e to f: kept unless f holds atom.limit entries that all sort
 * before it.  Returns false on out of memory. */
static bool offer(writer *w, feed *f, atom_entry *e)
{
    if (!w->limit || f->count < w->limit) {
        if (f->count == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 16;
            if (w->limit && cap > w->limit)
                cap = w->limit;
            atom_entry **p = realloc(f->items, cap * sizeof *p);
            if (!p)
                return false;
            f->items = p;
            f->cap = cap;
        }
        f->items[f->count++] = e;
        e->refs++;
        if (w->limit)
            sift_up(w, f, f->count - 1);
        return true;
    }
    if (!after(w, f->items[0], e))
        return true;
    atom_entry *old = f->items[0];
    f->items[0] = e;
    e->refs++;
    sift_down(w, f, 0);
    release(w, old);
    return true;
}

/* Takes e out of f, if f holds it. */
static void withdraw(writer *w, feed *f, atom_entry *e)
{
    for (size_t i = 0; i < f->count; i++) {
        if (f->items[i] != e)
            continue;
        f->items[i] = f->items[--f->count];
        if (w->limit && i < f->count) {
            sift_down(w, f, i);
            sift_up(w, f, i);
        }
        release(w, e);
        return;
    }
}

/* The feed of a split term, created on first use; NULL on out of
 * memory. */
static feed *term_feed(writer *w, const char *label)
{
    for (size_t i = 0; i < w->n_terms; i++)
        if (!strcmp(w->terms[i]->label, label))
            return w->terms[i];
    if (w->n_terms == w->cap_terms) {
        size_t cap = w->cap_terms ? w->cap_terms * 2 : 8;
        feed **p = realloc(w->terms, cap * sizeof *p);
        if (!p)
            return NULL;
        w->terms = p;
        w->cap_terms = cap;
    }
    feed *f = calloc(1, sizeof *f);
    if (!f || !(f->label = strdup(label))) {
        free(f);
        return NULL;
    }
    w->terms[w->n_terms++] = f;
    return f;
}

/* Offers a new entry to every feed it belongs to. */
static bool keep(writer *w, atom_entry *e)
{
    if (!live_add(w, e)) {
        atom_entry_free(e);
        return false;
    }
    bool ok = offer(w, &w->main, e);
    const char *t = e->terms;
    for (unsigned i = 0; ok && i < e->n_terms; i++, t += strlen(t) + 1) {
        feed *f = term_feed(w, t);
        ok = f && offer(w, f, e);
    }
    settle(w, e);
    return ok;
}

/* Takes e out of every feed (it lost to a duplicate). */
static void drop(writer *w, atom_entry *e)
{
    e->refs++; /* hold it while the feeds let go */
    withdraw(w, &w->main, e);
    const char *t = e->terms;
    for (unsigned i = 0; i < e->n_terms; i++, t += strlen(t) + 1)
        for (size_t j = 0; j < w->n_terms; j++)
            if (!strcmp(w->terms[j]->label, t))
                withdraw(w, w->terms[j], e);
    release(w, e);
}

static int atom_write(void *state, const pk_doc *doc, pk_diag *diag)
{
    writer *w = state;
    if (w->status)
        return pk_diag_set(diag, w->status, pk_doc_source(doc), 0, 0,
                           "the feed was abandoned: out of memory");
    atom_entry *e;
    int rc = atom_entry_new(doc, w->tz, w->split, w->scheme, &w->scratch,
                            &e, diag);
    if (rc == PK_ENOMEM)
        w->status = rc;
    if (rc != PK_OK)
        return rc;
    if (!w->oldest_year || e->date.year < w->oldest_year)
        w->oldest_year = e->date.year;

    /* Of two entries with one id the feed keeps the one that sorts first,
     * so the output does not depend on which came first. */
    atom_entry *twin = live_find(w, e->id, e->hash);
    if (twin) {
        rc = pk_diag_set(diag, PK_EINPUT, e->source, 0, 0,
                         "duplicate entry id %s: also in %s", e->id,
                         twin->source);
        if (atom_entry_cmp(e, twin, w->tz) >= 0) {
            atom_entry_free(e);
            return rc;
        }
        drop(w, twin);
    } else if (w->limit && gone_has(w, e->hash)) {
        rc = pk_diag_set(diag, PK_EINPUT, e->source, 0, 0,
                         "duplicate entry id %s: also in an earlier input "
                         "older than the %zu entries atom.limit keeps",
                         e->id, w->limit);
    }
    if (!keep(w, e) || w->status) {
        w->status = PK_ENOMEM;
        return pk_diag_set(diag, PK_ENOMEM, pk_doc_source(doc), 0, 0,
                           "out of memory");
    }
    return rc;
}

/* ---- close: sort and write -------------------------------------------- */

/* qsort has no context argument: each element carries the offset. */
typedef struct sorter {
    atom_entry *e;
    int tz;
} sorter;

static int cmp_sorter(const void *a, const void *b)
{
    const sorter *x = a, *y = b;
    return atom_entry_cmp(x->e, y->e, x->tz);
}

/* Sorts f's entries newest first. */
static bool sort_feed(const writer *w, feed *f)
{
    if (f->count < 2)
        return true;
    sorter *s = malloc(f->count * sizeof *s);
    if (!s)
        return false;
    for (size_t i = 0; i < f->count; i++)
        s[i] = (sorter){f->items[i], w->tz};
    qsort(s, f->count, sizeof *s, cmp_sorter);
    for (size_t i = 0; i < f->count; i++)
        f->items[i] = s[i].e;
    free(s);
    return true;
}

static int cmp_label(const void *a, const void *b)
{
    const feed *const *x = a, *const *y = b;
    return strcmp((*x)->label, (*y)->label);
}

static bool slug_taken(const writer *w, size_t upto, const char *slug)
{
    for (size_t i = 0; i < upto; i++)
        if (w->terms[i]->slug && !strcmp(w->terms[i]->slug, slug))
            return true;
    return false;
}

/* Gives every term feed a distinct file name: terms in bytewise order,
 * a slug already taken gets -2, -3… */
static bool assign_slugs(writer *w, const char *kind)
{
    qsort(w->terms, w->n_terms, sizeof *w->terms, cmp_label);
    for (size_t i = 0; i < w->n_terms; i++) {
        char *base = atom_slug(w->terms[i]->label);
        if (!base)
            return false;
        if (!*base) {
            free(base);
            if (!(base = strdup(kind)))
                return false;
        }
        size_t n = strlen(base) + 24;
        char *slug = malloc(n);
        if (!slug) {
            free(base);
            return false;
        }
        snprintf(slug, n, "%s", base);
        for (unsigned k = 2; slug_taken(w, i, slug); k++)
            snprintf(slug, n, "%s-%u", base, k);
        free(base);
        w->terms[i]->slug = slug;
    }
    return true;
}

/* Writes f to a new file relpath beside the directory sink, committed
 * only when complete. */
static int emit_file(writer *w, const char *relpath, const atom_head *h,
                     const feed *f, pk_diag *diag)
{
    pk_sink *out = NULL;
    int rc = pk_sink_open_sibling(w->sink, relpath, &out, diag);
    if (rc == PK_OK)
        rc = atom_emit_feed(out, h, f->items, f->count, diag);
    if (rc == PK_OK)
        rc = pk_sink_commit(out, diag);
    pk_sink_free(out);
    return rc;
}

static char *concat(const char *a, const char *b, const char *c,
                    const char *d)
{
    atom_buf buf = {0};
    atom_buf_puts(&buf, a);
    atom_buf_puts(&buf, b);
    atom_buf_puts(&buf, c);
    atom_buf_puts(&buf, d);
    return atom_buf_take(&buf);
}

static int finish(writer *w, pk_diag *diag)
{
    int rc = PK_OK;
    char *tag = NULL;
    if (!sort_feed(w, &w->main))
        goto nomem;
    atom_head h = {0};
    h.title = w->title;
    h.subtitle = w->subtitle;
    h.author = w->author;
    h.link = w->link;
    h.self = w->self;
    h.updated = w->main.count ? w->main.items[0]->updated : EMPTY_UPDATED;
    h.id = w->id ? w->id : w->link;
    if (!h.id) {
        char year[16];
        snprintf(year, sizeof year, ",%04d:feed",
                 w->oldest_year ? w->oldest_year : 1970);
        if (!(tag = concat("tag:", w->authority, year, "")))
            goto nomem;
        h.id = tag;
    }
    if (!pk_sink_is_directory(w->sink)) {
        rc = atom_emit_feed(w->sink, &h, w->main.items, w->main.count, diag);
        goto out;
    }
    if ((rc = emit_file(w, MAIN_FILE, &h, &w->main, diag)) != PK_OK)
        goto out;
    if (w->split == ATOM_SPLIT_NONE)
        goto out;

    const char *kind = w->split == ATOM_SPLIT_PORTFOLIO ? "portfolio"
                                                         : "minister";
    if (!assign_slugs(w, kind))
        goto nomem;
    for (size_t i = 0; rc == PK_OK && i < w->n_terms; i++) {
        feed *f = w->terms[i];
        if (!f->count) /* every entry lost to a duplicate */
            continue;
        char *rel = concat(kind, "/", f->slug, ".atom");
        char *title = concat(w->title, ": ", f->label, "");
        char *frag = concat(kind, "/", f->slug, "");
        char *id = frag ? concat(h.id, strchr(h.id, '#') ? "/" : "#", frag, "")
                        : NULL;
        free(frag);
        char *self = w->self && rel ? pkx_uri_resolve(w->self, rel) : NULL;
        if (!rel || !title || !id || (w->self && !self) || !sort_feed(w, f)) {
            rc = pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            atom_head th = h;
            th.id = id;
            th.title = title;
            th.self = self;
            th.updated = f->items[0]->updated;
            rc = emit_file(w, rel, &th, f, diag);
        }
        free(rel);
        free(title);
        free(id);
        free(self);
    }
out:
    free(tag);
    return rc;
nomem:
    free(tag);
    return pk_diag_set(diag, PK_ENOMEM, NULL, 0, 0, "out of memory");
}

static void free_feed(writer *w, feed *f)
{
    for (size_t i = 0; i < f->count; i++)
        release(w, f->items[i]);
    free(f->items);
    free(f->label);
    free(f->slug);
}

static void writer_free(writer *w)
{
    if (!w)
        return;
    w->limit = 0; /* no need to remember ids any more */
    free_feed(w, &w->main);
    for (size_t i = 0; i < w->n_terms; i++) {
        free_feed(w, w->terms[i]);
        free(w->terms[i]);
    }
    free(w->terms);
    free(w->live);
    free(w->gone);
    atom_scratch_free(&w->scratch);
    free(w->title);
    free(w->subtitle);
    free(w->id);
    free(w->author);
    free(w->link);
    free(w->self);
    free(w->scheme);
    free(w->authority);
    free(w);
}

static int atom_close(void *state, pk_diag *diag)
{
    writer *w = state;
    int rc = w->status ? pk_diag_set(diag, w->status, NULL, 0, 0,
                                     "the feed was abandoned: out of memory")
                       : finish(w, diag);
    writer_free(w);
    return rc;
}

static const char *const extensions[] = {"atom", "xml", NULL};

static const pk_writer_ops ops = {atom_open, atom_write, atom_close};

static const pk_plugin plugin = {
    PK_PLUGIN_HEADER,
    "atom",
    PK_PLUGIN_WRITER,
    PK_VERSION_STRING,
    "Atom 1.0 feed of the releases, newest first",
    extensions,
    "application/atom+xml",
    PK_PLUGIN_AGGREGATE,
    options,
    NULL,
    &ops,
};

PK_PLUGIN_DEFINE(plugin)
