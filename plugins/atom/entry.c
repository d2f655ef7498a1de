/*
 * entry.c - what a feed keeps of one release.
 *
 * A writer only borrows each document for the call that hands it over, and
 * a feed is written in date order at the end, so every entry copies what
 * it needs: strings made XML-safe once, and the body already rendered as
 * its XHTML div.  Memory is then bounded by the entries kept.
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

static char *dup_xml(const char *s)
{
    return atom_xml_strdup(s, s ? strlen(s) : 0);
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

/* The summary: the highlights, one per line, else the lead's text. */
static int summary(const pk_doc *doc, char **out)
{
    *out = NULL;
    atom_buf b = {0};
    const pk_node *hl = pk_doc_highlights(doc);
    if (hl) {
        for (const pk_node *it = pk_node_first_child(hl); it;
             it = pk_node_next(it)) {
            size_t len;
            const char *t = pk_node_text(it, &len);
            if (!t)
                goto fail;
            if (b.len)
                atom_buf_put(&b, "\n", 1);
            atom_buf_put(&b, t, len);
        }
    } else if (pk_doc_lead(doc)) {
        size_t len;
        const char *t = pk_node_text(pk_doc_lead(doc), &len);
        if (!t)
            goto fail;
        atom_buf_put(&b, t, len);
    }
    if (b.failed)
        goto fail;
    if (b.len == 0) {
        atom_buf_free(&b);
        return PK_OK;
    }
    /* Cleaned whole: no character spans the '\n' between two lines. */
    *out = atom_xml_strdup(b.data, b.len);
    atom_buf_free(&b);
    return *out ? PK_OK : PK_ENOMEM;
fail:
    atom_buf_free(&b);
    return PK_ENOMEM;
}

/*
 * The body as the div of the content element, in the XHTML namespace
 * (the element declares it), rendered by common-xml as the xhtml writer's
 * is.  Serialized now, as the document is only borrowed for this call,
 * with indentation off: whitespace inside mixed content is text.
 * Relative links and images are resolved against base (may be NULL).
 * Stores the malloc'd markup in *out.  Returns PK_OK or PK_ENOMEM: the
 * caller has checked the depth.
 */
static int content(const pk_doc *doc, const char *base, char **out)
{
    pkx_xhtml_options ro = PKX_XHTML_OPTIONS_INIT;
    pk_sink *mem;
    pkx_out o;
    int rc;

    *out = NULL;
    ro.base_url = base;
    ro.data_images = true;
    if ((rc = pk_sink_new_memory(&mem)) != PK_OK)
        return rc;
    if ((rc = pkx_out_open(&o, mem, false)) != PK_OK)
        goto done;
    if (xmlTextWriterStartElementNS(o.w, NULL, BAD_CAST "div",
                                    BAD_CAST PKX_XHTML_NS) < 0 ||
        xmlTextWriterWriteString(o.w, BAD_CAST "\n") < 0)
        rc = pkx_out_status(&o);
    else if ((rc = pkx_xhtml_render_body(&o, doc, &ro)) == PK_OK)
        rc = pkx_full_end(&o) < 0 ? pkx_out_status(&o) : pkx_out_flush(&o);
    pkx_out_close(&o);
    if (rc == PK_OK) {
        size_t len;
        const char *data = pk_sink_memory_data(mem, &len);
        if ((*out = malloc(len + 1)))
            memcpy(*out, data, len + 1);
        else
            rc = PK_ENOMEM;
    }
done:
    pk_sink_free(mem);
    return rc;
}

/* Adds label to the distinct terms of e. */
static bool add_term(atom_entry *e, const char *label)
{
    for (size_t i = 0; i < e->n_terms; i++)
        if (!strcmp(e->terms[i], label))
            return true;
    char *copy = strdup(label);
    if (!copy)
        return false;
    e->terms[e->n_terms++] = copy;
    return true;
}

int atom_entry_new(const pk_doc *doc, int tz, atom_split split,
                   atom_entry **out, pk_diag *diag)
{
    *out = NULL;
    const char *id = pk_doc_id(doc);
    if (!pk_doc_title(doc) || !pk_doc_lang(doc) || !id || !*id)
        return pk_diag_set(diag, PK_EINVAL, pk_doc_source(doc), 0, 0,
                           "atom: the document was not validated and "
                           "analysed (pk_doc_validate, pk_doc_analyse)");
    /* As the other XML writers do: the content div sits four elements
     * deep (feed, entry, content, div), well within a parser's limit. */
    if (pkx_node_depth(pk_doc_root(doc), PKX_MAX_DEPTH) > PKX_MAX_DEPTH)
        return pk_diag_set(diag, PK_ELIMIT, pk_doc_source(doc), 0, 0,
                           "body: nested deeper than the %zu levels an XML "
                           "parser accepts by default", PKX_MAX_DEPTH);
    atom_entry *e = calloc(1, sizeof *e);
    if (!e)
        goto nomem;
    e->date = *pk_doc_date(doc);
    char when[64];
    pk_date_format_rfc3339(&e->date, tz, when, sizeof when);
    const char *url = pk_doc_url(doc);
    if (!(e->id = dup_xml(id)) ||
        !(e->title = dup_xml(pk_doc_title(doc))) ||
        !(e->source = strdup(pk_doc_source(doc))) ||
        !(e->updated = strdup(when)))
        goto nomem;
    e->hash = atom_hash(e->id);
    if (url && *url && pkx_uri_has_scheme(url) && pkx_url_is_safe(url) &&
        !(e->url = dup_xml(url)))
        goto nomem;
    if (valid_lang(pk_doc_lang(doc)) && !(e->lang = strdup(pk_doc_lang(doc))))
        goto nomem;
    if (summary(doc, &e->summary) != PK_OK)
        goto nomem;
    if (content(doc, e->url, &e->content) != PK_OK)
        goto nomem;

    /* The authors are the ministers as written; a release that names none
     * is authored by the people it quotes, in the order they first speak. */
    size_t nm = pk_doc_minister_count(doc), np = pk_doc_portfolio_count(doc);
    size_t nq = nm ? 0 : pk_doc_quote_count(doc);
    const char **names = calloc(nm + nq ? nm + nq : 1, sizeof *names);
    if (!names)
        goto nomem;
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
    e->authors = calloc(nm ? nm : 1, sizeof *e->authors);
    e->categories = calloc(np ? np : 1, sizeof *e->categories);
    size_t nt = split == ATOM_SPLIT_PORTFOLIO ? np
                : split == ATOM_SPLIT_MINISTER ? nm : 0;
    e->terms = calloc(nt ? nt : 1, sizeof *e->terms);
    if (!e->authors || !e->categories || !e->terms) {
        free(names);
        goto nomem;
    }
    for (size_t i = 0; i < nm; i++) {
        if (!(e->authors[i] = dup_xml(names[i]))) {
            free(names);
            goto nomem;
        }
        e->n_authors++;
        if (split == ATOM_SPLIT_MINISTER && !add_term(e, e->authors[i])) {
            free(names);
            goto nomem;
        }
    }
    free(names);
    for (size_t i = 0; i < np; i++) {
        atom_category *c = &e->categories[i];
        if (!(c->label = dup_xml(pk_doc_portfolio(doc, i))))
            goto nomem;
        e->n_categories++;
        if (!(c->term = atom_slug(c->label)))
            goto nomem;
        if (split == ATOM_SPLIT_PORTFOLIO && !add_term(e, c->label))
            goto nomem;
    }
    *out = e;
    return PK_OK;
nomem:
    atom_entry_free(e);
    return pk_diag_set(diag, PK_ENOMEM, pk_doc_source(doc), 0, 0,
                       "out of memory");
}

void atom_entry_free(atom_entry *e)
{
    if (!e)
        return;
    free(e->id);
    free(e->title);
    free(e->source);
    free(e->updated);
    free(e->url);
    free(e->lang);
    free(e->summary);
    free(e->content);
    for (size_t i = 0; i < e->n_authors; i++)
        free(e->authors[i]);
    free(e->authors);
    for (size_t i = 0; i < e->n_categories; i++) {
        free(e->categories[i].term);
        free(e->categories[i].label);
    }
    free(e->categories);
    for (size_t i = 0; i < e->n_terms; i++)
        free(e->terms[i]);
    free(e->terms);
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
