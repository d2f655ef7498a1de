/*
 * entry.c - what a feed keeps of one release.
 *
 * A writer only borrows each document for the call that hands it over, and
 * a feed is written in date order at the end, so each release is rendered
 * at once into the bytes of its <entry> element, kept in one allocation
 * of about that size with the few strings the feeds order and split by.
 * Memory is then bounded by the XML of the entries kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "xhtml_body.h"

uint64_t atom_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3u;
    }
    return h ? h : 1;
}

/* A language tag the Atom schema accepts: [A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*. */
static bool valid_lang(const char *s)
{
    size_t i = 0;
    for (bool first = true;; first = false) {
        size_t n = 0;
        while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
               (!first && s[i] >= '0' && s[i] <= '9')) {
            i++;
            n++;
        }
        if (n < 1 || n > 8)
            return false;
        if (s[i] == '\0')
            return true;
        if (s[i++] != '-')
            return false;
    }
}

/* The summary: the highlights, one per line, else the lead's text, into
 * b (emptied first).  Returns PK_OK or PK_ENOMEM. */
static int summary(const pk_doc *doc, atom_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
    const pk_node *hl = pk_doc_highlights(doc);
    if (hl) {
        for (const pk_node *it = pk_node_first_child(hl); it;
             it = pk_node_next(it)) {
            size_t len;
            const char *t = pk_node_text(it, &len);
            if (!t)
                return PK_ENOMEM;
            if (b->len)
                atom_buf_put(b, "\n", 1);
            atom_buf_put(b, t, len);
        }
    } else if (pk_doc_lead(doc)) {
        size_t len;
        const char *t = pk_node_text(pk_doc_lead(doc), &len);
        if (!t)
            return PK_ENOMEM;
        atom_buf_put(b, t, len);
    }
    return b->failed ? PK_ENOMEM : PK_OK;
}

/*
 * The body as the div of the content element, in the XHTML namespace
 * (the element declares it), rendered by common-xml as the xhtml writer's
 * is, without indentation: whitespace inside mixed content is text.  It
 * goes straight after content's start tag, as raw markup would: its own
 * writer appends to o's buffer.  Relative links and images are resolved
 * against base (may be NULL).  Returns PK_OK, PK_ELIMIT for a body
 * nested too deep (checked before anything is written) or PK_ENOMEM.
 */
static int content(pkx_out *o, const pk_doc *doc, const char *base)
{
    pkx_xhtml_options ro = PKX_XHTML_OPTIONS_INIT;
    pkx_out div;
    ro.base_url = base;
    ro.data_images = true;
    if (pkx_raw(o, "", 0) < 0) /* closes content's start tag */
        return PK_ENOMEM;
    pkx_out_open_buf(&div, o->buf, PKX_OUT_ASCII_ATTRS, 0);
    int rc = pkx_start_ns(&div, "div", PKX_XHTML_NS) < 0 ||
                     pkx_raw(&div, "\n", 1) < 0
                 ? PK_ENOMEM
                 : pkx_xhtml_render_body(&div, doc, &ro);
    if (rc == PK_OK && pkx_full_end(&div) < 0)
        rc = PK_ENOMEM;
    pkx_out_close(&div);
    return rc;
}

/* <name>text</name>, <name></name> when empty. */
static int celement(pkx_out *o, const char *name, const char *s)
{
    if (pkx_start(o, name) < 0 || pkx_text(o, s, strlen(s)) < 0)
        return -1;
    return pkx_end(o);
}

/* Text elements are written <name/> when empty. */
static int text_element(pkx_out *o, const char *name, const char *type,
                        const char *s, size_t len)
{
    if (pkx_start(o, name) < 0 || (type && pkx_cattr(o, "type", type) < 0) ||
        (len && pkx_text(o, s, len) < 0))
        return -1;
    return pkx_end(o);
}

static int author(pkx_out *o, const char *name)
{
    if (pkx_start(o, "author") < 0 || celement(o, "name", name) < 0)
        return -1;
    return pkx_end(o);
}

/* Adds label (cleaned) to the distinct terms kept in keys from offset
 * first on; n counts them. */
static bool add_term(pkx_buf *keys, size_t first, unsigned *n,
                     const char *label)
{
    const char *p = keys->data + first;
    size_t llen = strlen(label);
    for (unsigned i = 0; i < *n; i++) {
        size_t plen = strlen(p);
        if (plen == llen && !memcmp(p, label, llen))
            return true;
        p += plen + 1;
    }
    if (pkx_buf_add(keys, label, llen + 1) < 0)
        return false;
    (*n)++;
    return true;
}

/* Who wrote the release: the ministers as written; a release that names
 * none is authored by the people it quotes, in the order they first speak.
 * Returns the count, names in names[] (capacity nm + nq). */
static size_t authors_of(const pk_doc *doc, const char **names)
{
    size_t nm = pk_doc_minister_count(doc);
    size_t nq = nm ? 0 : pk_doc_quote_count(doc);
    for (size_t i = 0; i < nm; i++)
        names[i] = pk_doc_minister(doc, i);
    /* A handful of authors is plenty, and the cap keeps this loop linear
     * in the number of quotes. */
    for (size_t i = 0; i < nq && nm < 16; i++) {
        const char *who = pk_quote_speaker(pk_doc_quote(doc, i));
        bool seen = !who;
        for (size_t k = 0; k < nm && !seen; k++)
            seen = strcmp(names[k], who) == 0;
        if (!seen)
            names[nm++] = who;
    }
    return nm;
}

/* Scratch buffers larger than this are freed after use. */
#define SCRATCH_KEEP ((size_t)1 << 20)

void atom_scratch_free(atom_scratch *s)
{
    pkx_buf_free(&s->xml);
    pkx_buf_free(&s->keys);
    pkx_buf_free(&s->clean);
    pkx_buf_free(&s->url);
    atom_buf_free(&s->summary);
}

/* Copies s, cleaned, into b (emptied first); returns it or NULL. */
static const char *cleaned(pkx_buf *b, const char *s)
{
    b->len = 0;
    if (pkx_buf_add_xml(b, s, s ? strlen(s) : 0) < 0)
        return NULL;
    return b->data;
}

/*
 * Renders the entry element as the feed carries it (inside <feed>, so
 * indented one level), with every piece of release text cleaned and
 * escaped as it is written.  The keys the feeds need go to sc->keys:
 * id, title (cleaned), source, updated, then the split terms (cleaned,
 * distinct; *n_terms of them).
 */
static int render(const pk_doc *doc, int tz, atom_split split,
                  const char *scheme, atom_scratch *sc, pk_date *date,
                  unsigned *n_terms)
{
    pkx_out o;
    int rc = PK_ENOMEM;
    const char *few[32], **names = NULL; /* the authors */
    char when[64];
    const char *id = pk_doc_id(doc), *title = pk_doc_title(doc);
    const char *url = pk_doc_url(doc), *lang = pk_doc_lang(doc);
    const char *source = pk_doc_source(doc);

    *date = *pk_doc_date(doc);
    pk_date_format_rfc3339(date, tz, when, sizeof when);
    sc->xml.len = sc->keys.len = 0;
    if (pkx_buf_add_xml(&sc->keys, id, strlen(id)) < 0 ||
        pkx_buf_add(&sc->keys, "", 1) < 0 ||
        pkx_buf_add_xml(&sc->keys, title, strlen(title)) < 0 ||
        pkx_buf_add(&sc->keys, "", 1) < 0 ||
        pkx_buf_add(&sc->keys, source, strlen(source) + 1) < 0 ||
        pkx_buf_add(&sc->keys, when, strlen(when) + 1) < 0)
        return PK_ENOMEM;
    size_t first_term = sc->keys.len;

    /* The alternate link, when its scheme is one the URL policy allows
     * for links; it is also the base of relative links in the body. */
    const char *base = NULL;
    if (url && *url && pkx_uri_has_scheme(url) && pkx_url_is_safe(url) &&
        !(base = cleaned(&sc->url, url)))
        return PK_ENOMEM;

    /* Text is cleaned as it is written: id and title as given. */
    pkx_out_open_buf(&o, &sc->xml, PKX_OUT_INDENT | PKX_OUT_ASCII_ATTRS, 1);
    if (pkx_start(&o, "entry") < 0 ||
        (valid_lang(lang) && pkx_cattr(&o, "xml:lang", lang) < 0) ||
        celement(&o, "id", id) < 0 ||
        text_element(&o, "title", NULL, title, strlen(title)) < 0 ||
        celement(&o, "published", when) < 0 ||
        celement(&o, "updated", when) < 0)
        goto out;

    size_t nm = pk_doc_minister_count(doc), np = pk_doc_portfolio_count(doc);
    size_t nq = nm ? 0 : pk_doc_quote_count(doc);
    names = nm + nq <= 32 ? few : malloc((nm + nq) * sizeof *names);
    if (!names)
        goto out;
    size_t na = authors_of(doc, names);
    for (size_t i = 0; i < na; i++) {
        const char *name;
        if (author(&o, names[i]) < 0)
            goto out;
        if (split == ATOM_SPLIT_MINISTER &&
            (!(name = cleaned(&sc->clean, names[i])) ||
             !add_term(&sc->keys, first_term, n_terms, name)))
            goto out;
    }
    for (size_t i = 0; i < np; i++) {
        /* The term is the slug of the label as written out (cleaned). */
        const char *label = cleaned(&sc->clean, pk_doc_portfolio(doc, i));
        char *term = label ? atom_slug(label) : NULL;
        if (!term)
            goto out;
        int bad = pkx_start(&o, "category") < 0 ||
                  pkx_cattr(&o, "term", term) < 0 ||
                  (scheme && pkx_cattr(&o, "scheme", scheme) < 0) ||
                  pkx_cattr(&o, "label", label) < 0 || pkx_end(&o) < 0;
        free(term);
        if (bad || (split == ATOM_SPLIT_PORTFOLIO &&
                    !add_term(&sc->keys, first_term, n_terms, label)))
            goto out;
    }
    if (base && (pkx_start(&o, "link") < 0 ||
                 pkx_cattr(&o, "rel", "alternate") < 0 ||
                 pkx_cattr(&o, "href", base) < 0 || pkx_end(&o) < 0))
        goto out;
    if (summary(doc, &sc->summary) != PK_OK)
        goto out;
    /* Cleaned whole: no character spans the '\n' between two lines. */
    if (sc->summary.len &&
        text_element(&o, "summary", "text", sc->summary.data,
                     sc->summary.len) < 0)
        goto out;
    if (pkx_start(&o, "content") < 0 || pkx_cattr(&o, "type", "xhtml") < 0)
        goto out;
    if ((rc = content(&o, doc, base)) == PK_OK &&
        (pkx_end(&o) < 0 || pkx_end(&o) < 0))
        rc = PK_ENOMEM;
out:
    if (names != few)
        free(names);
    pkx_out_close(&o);
    return rc;
}

int atom_entry_new(const pk_doc *doc, int tz, atom_split split,
                   const char *scheme, atom_scratch *sc, atom_entry **out,
                   pk_diag *diag)
{
    *out = NULL;
    const char *id = pk_doc_id(doc);
    if (!pk_doc_title(doc) || !pk_doc_lang(doc) || !id || !*id)
        return pk_diag_set(diag, PK_EINVAL, pk_doc_source(doc), 0, 0,
                           "atom: the document was not validated and "
                           "analysed (pk_doc_validate, pk_doc_analyse)");
    pk_date date;
    unsigned n_terms = 0;
    int rc = render(doc, tz, split, scheme, sc, &date, &n_terms);
    /* As the other XML writers do: the content div sits four elements
     * deep (feed, entry, content, div), well within a parser's limit.
     * The renderer checks the depth before it writes the body. */
    if (rc == PK_ELIMIT)
        return pk_diag_set(diag, PK_ELIMIT, pk_doc_source(doc), 0, 0,
                           "body: nested deeper than the %zu levels an XML "
                           "parser accepts by default", PKX_MAX_DEPTH);
    if (rc != PK_OK)
        goto nomem;

    /* One block: the header, the keys, the XML. */
    size_t keys = sc->keys.len, xml = sc->xml.len;
    atom_entry *e = malloc(sizeof *e + keys + xml + 1);
    if (!e)
        goto nomem;
    memcpy(e->data, sc->keys.data, keys);
    memcpy(e->data + keys, sc->xml.data, xml);
    e->data[keys + xml] = '\0';
    e->refs = 0;
    e->n_terms = n_terms;
    e->date = date;
    e->id = e->data;
    e->title = e->id + strlen(e->id) + 1;
    e->source = e->title + strlen(e->title) + 1;
    e->updated = e->source + strlen(e->source) + 1;
    e->terms = e->updated + strlen(e->updated) + 1;
    e->xml = e->data + keys;
    e->xml_len = xml;
    e->hash = atom_hash(e->id);
    *out = e;
    /* A huge release does not keep its scratch space for the rest of
     * the run. */
    if (sc->xml.cap > SCRATCH_KEEP || sc->keys.cap > SCRATCH_KEEP ||
        sc->summary.cap > SCRATCH_KEEP)
        atom_scratch_free(sc);
    return PK_OK;
nomem:
    return pk_diag_set(diag, PK_ENOMEM, pk_doc_source(doc), 0, 0,
                       "out of memory");
}

void atom_entry_free(atom_entry *e)
{
    free(e);
}

int atom_entry_cmp(const atom_entry *a, const atom_entry *b, int tz)
{
    int c = pk_date_compare(&b->date, &a->date, tz); /* newest first */
    if (c)
        return c;
    if ((c = strcmp(a->id, b->id)))
        return c;
    if ((c = strcmp(a->title, b->title)))
        return c;
    return strcmp(a->source, b->source);
}
