/*
 * emit.c - one Atom feed document through libxml2's xmlTextWriter.
 *
 * The writer sits on an xmlOutputBuffer whose only callback is
 * pk_sink_write, with no encoder: xmlTextWriterStartDocument with an
 * encoding would look up a character-encoding handler, whose lazy global
 * initialisation in libxml2 2.9 races with other threads.  So the XML
 * declaration is written here, the text is UTF-8 already, and libxml2
 * writes non-ASCII characters in attribute values as character
 * references (same meaning, valid XML).
 *
 * Each entry's content div was serialized when its document was written;
 * it is our own well-formed markup (every piece of release text in it went
 * through xmlTextWriterWriteString) and is copied in with WriteRaw.  No
 * release text is ever written raw.
 */
#include <string.h>

#include <libxml/xmlwriter.h>

#include "atom.h"

#define X(s) ((const xmlChar *)(s))
/* Runs one xmlTextWriter call; any negative result spoils the feed. */
#define CHECK(call)                                                           \
    do {                                                                      \
        if ((call) < 0)                                                       \
            goto fail;                                                        \
    } while (0)

static int sink_write(void *ctx, const char *data, int len)
{
    return pk_sink_write(ctx, data, (size_t)len) == PK_OK ? len : -1;
}

static int sink_close(void *ctx)
{
    (void)ctx; /* the sink belongs to the caller */
    return 0;
}

static int element(xmlTextWriterPtr w, const char *name, const char *text)
{
    return xmlTextWriterWriteElement(w, X(name), X(text));
}

static int link_element(xmlTextWriterPtr w, const char *rel, const char *href,
                const char *type)
{
    if (xmlTextWriterStartElement(w, X("link")) < 0 ||
        xmlTextWriterWriteAttribute(w, X("rel"), X(rel)) < 0 ||
        (type && xmlTextWriterWriteAttribute(w, X("type"), X(type)) < 0) ||
        xmlTextWriterWriteAttribute(w, X("href"), X(href)) < 0)
        return -1;
    return xmlTextWriterEndElement(w);
}

static int author(xmlTextWriterPtr w, const char *name)
{
    if (xmlTextWriterStartElement(w, X("author")) < 0 ||
        element(w, "name", name) < 0)
        return -1;
    return xmlTextWriterEndElement(w);
}

/* Text elements are written only when non-empty (an empty WriteString
 * also upsets the writer's indentation). */
static int text_element(xmlTextWriterPtr w, const char *name,
                        const char *type, const char *text)
{
    if (xmlTextWriterStartElement(w, X(name)) < 0 ||
        (type && xmlTextWriterWriteAttribute(w, X("type"), X(type)) < 0) ||
        (*text && xmlTextWriterWriteString(w, X(text)) < 0))
        return -1;
    return xmlTextWriterEndElement(w);
}

static int entry(xmlTextWriterPtr w, const atom_entry *e, const char *scheme)
{
    CHECK(xmlTextWriterStartElement(w, X("entry")));
    if (e->lang)
        CHECK(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(e->lang)));
    CHECK(element(w, "id", e->id));
    CHECK(text_element(w, "title", NULL, e->title));
    CHECK(element(w, "published", e->updated));
    CHECK(element(w, "updated", e->updated));
    for (size_t i = 0; i < e->n_authors; i++)
        CHECK(author(w, e->authors[i]));
    for (size_t i = 0; i < e->n_categories; i++) {
        const atom_category *c = &e->categories[i];
        CHECK(xmlTextWriterStartElement(w, X("category")));
        CHECK(xmlTextWriterWriteAttribute(w, X("term"), X(c->term)));
        if (scheme)
            CHECK(xmlTextWriterWriteAttribute(w, X("scheme"), X(scheme)));
        CHECK(xmlTextWriterWriteAttribute(w, X("label"), X(c->label)));
        CHECK(xmlTextWriterEndElement(w));
    }
    if (e->url)
        CHECK(link_element(w, "alternate", e->url, NULL));
    if (e->summary)
        CHECK(text_element(w, "summary", "text", e->summary));
    CHECK(xmlTextWriterStartElement(w, X("content")));
    CHECK(xmlTextWriterWriteAttribute(w, X("type"), X("xhtml")));
    CHECK(xmlTextWriterWriteRaw(w, X(e->content)));
    CHECK(xmlTextWriterEndElement(w));
    CHECK(xmlTextWriterEndElement(w));
    return 0;
fail:
    return -1;
}

int atom_emit_feed(pk_sink *sink, const atom_head *h,
                   atom_entry *const *entries, size_t n, pk_diag *diag)
{
    xmlTextWriterPtr w = NULL;
    int rc = pk_sink_puts(sink, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (rc != PK_OK)
        goto fail;
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(sink_write, sink_close,
                                                    sink, NULL);
    if (!ob)
        goto fail;
    if (!(w = xmlNewTextWriter(ob))) {
        xmlOutputBufferClose(ob);
        goto fail;
    }
    CHECK(xmlTextWriterSetIndent(w, 1));
    CHECK(xmlTextWriterSetIndentString(w, X("  ")));
    CHECK(xmlTextWriterStartElementNS(w, NULL, X("feed"), X(ATOM_NS)));
    CHECK(element(w, "id", h->id));
    CHECK(text_element(w, "title", NULL, h->title));
    if (h->subtitle)
        CHECK(text_element(w, "subtitle", NULL, h->subtitle));
    CHECK(element(w, "updated", h->updated));
    if (h->self)
        CHECK(link_element(w, "self", h->self, "application/atom+xml"));
    if (h->link)
        CHECK(link_element(w, "alternate", h->link, NULL));
    CHECK(author(w, h->author));
    CHECK(xmlTextWriterStartElement(w, X("generator")));
    CHECK(xmlTextWriterWriteAttribute(w, X("version"), X(pk_version())));
    CHECK(xmlTextWriterWriteString(w, X("presskit")));
    CHECK(xmlTextWriterEndElement(w));
    for (size_t i = 0; i < n; i++)
        CHECK(entry(w, entries[i], h->scheme));
    CHECK(xmlTextWriterEndDocument(w));
    CHECK(xmlTextWriterFlush(w));
    xmlFreeTextWriter(w);
    w = NULL;
    if (pk_sink_error(sink) == PK_OK)
        return PK_OK;
fail:
    if (w)
        xmlFreeTextWriter(w);
    rc = pk_sink_error(sink);
    if (rc != PK_OK)
        return pk_diag_set(diag, rc, pk_sink_name(sink), 0, 0,
                           "cannot write the feed: %s", pk_status_str(rc));
    return pk_diag_set(diag, PK_ENOMEM, pk_sink_name(sink), 0, 0,
                       "cannot write the feed: the XML writer failed "
                       "(out of memory)");
}
