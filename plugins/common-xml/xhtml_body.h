/*
 * xhtml_body.h - the body of a release as XHTML elements, for the xhtml
 * writer's EPUB content documents and for any writer that embeds XHTML
 * (Atom content type="xhtml").
 *
 * The renderer writes unprefixed element names into whatever element the
 * caller has open, so they take the caller's default namespace: open an
 * element with xmlns="http://www.w3.org/1999/xhtml" first.  It never
 * writes live markup from the input: raw HTML becomes escaped text, links
 * and images keep their URL only if uri.h's policy allows it (no
 * javascript:, no data: but for images where allowed), and nothing ever
 * carries an event attribute.
 */
#ifndef PKX_XHTML_BODY_H
#define PKX_XHTML_BODY_H

#include <stdbool.h>

#include "xmlout.h"

/* The XHTML namespace. */
#define PKX_XHTML_NS "http://www.w3.org/1999/xhtml"

/* How to render.  Initialise with PKX_XHTML_OPTIONS_INIT; fields are only
 * ever added at the end. */
typedef struct pkx_xhtml_options {
    unsigned version;            /* PKX_XHTML_OPTIONS_VERSION */
    /* A node left out with its subtree (the highlights list when a header
     * shows it already), or NULL. */
    const pk_node *skip;
    /* Added to every heading level, the result capped at 6 (1 when the
     * page's own title is the h1). */
    int heading_offset;
    /* Paragraphs of an analysed quote get class="quote" and
     * data-speaker="NAME" when the speaker is known. */
    bool mark_quotes;
    /* The lead paragraph gets class="lead". */
    bool mark_lead;
    /* Remote (http, https) images become <a href="SRC">ALT</a>: EPUB
     * forbids remote resources.  Off: they stay <img>. */
    bool remote_images_as_links;
    /* An absolute URL (Atom: the entry's url) that every link and image
     * URL is resolved against (pkx_uri_resolve), or NULL: URLs are
     * written as they are. */
    const char *base_url;
    /* Images with a data: URL of a PNG, GIF, JPEG or WebP image keep it
     * (Atom).  Off: they become their description (EPUB). */
    bool data_images;
} pkx_xhtml_options;

#define PKX_XHTML_OPTIONS_VERSION 2
#define PKX_XHTML_OPTIONS_INIT                                                \
    {PKX_XHTML_OPTIONS_VERSION, NULL, 0, false, false, false, NULL, false}

/*
 * Writes node and its subtree as XHTML through out (a DOCUMENT node writes
 * only its children; an ITEM takes tightness from its list).  doc is the
 * document node belongs to, for the analysis (quotes, lead).  opts may be
 * NULL (PKX_XHTML_OPTIONS_INIT).  Block elements are separated by
 * newlines, as cmark's HTML renderer does.  The subtree must be at most
 * PKX_MAX_DEPTH deep (pkx_node_depth); deeper ones are refused with
 * PK_ELIMIT before anything is written.  Returns PK_OK or the error.
 */
int pkx_xhtml_render(pkx_out *out, const pk_doc *doc, const pk_node *node,
                     const pkx_xhtml_options *opts);

/* Writes the whole body of doc: pkx_xhtml_render of its DOCUMENT node. */
int pkx_xhtml_render_body(pkx_out *out, const pk_doc *doc,
                          const pkx_xhtml_options *opts);

#endif
