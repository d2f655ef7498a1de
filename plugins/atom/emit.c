/*
 * emit.c - one Atom feed document: the head through common-xml's direct
 * serialiser, then the entries' XML as each was rendered when its
 * document was written (entry.c), then the end tag.
 *
 * The serialiser writes what libxml2's xmlTextWriter wrote here before,
 * indentation included (tests/xmlout compares the two), with the XML
 * declaration written by hand and non-ASCII characters in attribute
 * values as character references (same meaning, valid XML), as an
 * xmlTextWriter without an encoding does.  Every piece of text is cleaned
 * and escaped as it is written; an entry's bytes are our own markup, made
 * the same way.
 */
#include <string.h>

#include "atom.h"

/* <name>text</name> (<name></name> when empty). */
static int element(pkx_out *o, const char *name, const char *text)
{
    if (pkx_start(o, name) < 0 || pkx_ctext(o, text) < 0)
        return -1;
    return pkx_end(o);
}

static int link_element(pkx_out *o, const char *rel, const char *href,
                        const char *type)
{
    if (pkx_start(o, "link") < 0 || pkx_cattr(o, "rel", rel) < 0 ||
        (type && pkx_cattr(o, "type", type) < 0) ||
        pkx_cattr(o, "href", href) < 0)
        return -1;
    return pkx_end(o);
}

/* Text elements are written only when non-empty: <name/> else. */
static int text_element(pkx_out *o, const char *name, const char *text)
{
    if (pkx_start(o, name) < 0 || (*text && pkx_ctext(o, text) < 0))
        return -1;
    return pkx_end(o);
}

static int head(pkx_out *o, const atom_head *h)
{
    if (pkx_start_ns(o, "feed", ATOM_NS) < 0 || element(o, "id", h->id) < 0 ||
        text_element(o, "title", h->title) < 0 ||
        (h->subtitle && text_element(o, "subtitle", h->subtitle) < 0) ||
        element(o, "updated", h->updated) < 0 ||
        (h->self &&
         link_element(o, "self", h->self, "application/atom+xml") < 0) ||
        (h->link && link_element(o, "alternate", h->link, NULL) < 0) ||
        pkx_start(o, "author") < 0 || element(o, "name", h->author) < 0 ||
        pkx_end(o) < 0 || pkx_start(o, "generator") < 0 ||
        pkx_cattr(o, "version", pk_version()) < 0 ||
        pkx_ctext(o, "presskit") < 0 || pkx_end(o) < 0)
        return -1;
    return 0;
}

int atom_emit_feed(pk_sink *sink, const atom_head *h,
                   atom_entry *const *entries, size_t n, pk_diag *diag)
{
    pkx_out o;
    int rc = pk_sink_puts(sink, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    pkx_out_open_direct(&o, sink, PKX_OUT_INDENT | PKX_OUT_ASCII_ATTRS);
    if (rc == PK_OK && head(&o, h) == 0 && pkx_out_flush(&o) == PK_OK) {
        /* The entries sit where the writer is now: inside feed, after a
         * closed element, one level deep. */
        for (size_t i = 0; i < n; i++)
            pk_sink_write(sink, entries[i]->xml, entries[i]->xml_len);
        if (pkx_end(&o) == 0)
            rc = pkx_out_flush(&o);
        else
            rc = pkx_out_status(&o);
    } else if (rc == PK_OK) {
        rc = pkx_out_status(&o);
    }
    pkx_out_close(&o);
    if (rc == PK_OK && (rc = pk_sink_error(sink)) == PK_OK)
        return PK_OK;
    if (rc == PK_ENOMEM)
        return pk_diag_set(diag, PK_ENOMEM, pk_sink_name(sink), 0, 0,
                           "cannot write the feed: the XML writer failed "
                           "(out of memory)");
    return pk_diag_set(diag, rc, pk_sink_name(sink), 0, 0,
                       "cannot write the feed: %s", pk_status_str(rc));
}
