/*
 * xhtml_body.c - the body tree as XHTML: one switch over node kinds,
 * driven by the ENTER/EXIT iterator, as cmark's html.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xhtml_body.h"

typedef struct render {
    pkx_out *out;
    const pk_doc *doc;
    const pkx_xhtml_options *opts;
    const pk_node *open_link;  /* the LINK whose <a> is open, or NULL:
                                  HTML forbids an <a> inside another */
    const pk_node *skipping;   /* a subtree being left out, or NULL */
    bool line_start;           /* the last character written was '\n' */
    pkx_buf alt;               /* an image's text alternative */
} render;

/* Writes a newline unless at the start of a line (cmark's cr()). */
static int cr(render *r)
{
    if (r->line_start)
        return 0;
    r->line_start = true;
    return pkx_raw(r->out, "\n", 1);
}

static int newline(render *r)
{
    r->line_start = true;
    return pkx_raw(r->out, "\n", 1);
}

static int start(render *r, const char *name)
{
    r->line_start = false;
    return pkx_start(r->out, name);
}

/* Closes a non-void element as <x></x>, never <x/>. */
static int end(render *r)
{
    r->line_start = false;
    return pkx_full_end(r->out);
}

/* A void element: <br/>, <hr/>, <img/>. */
static int end_void(render *r)
{
    r->line_start = false;
    return pkx_end(r->out);
}

static int text(render *r, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    r->line_start = s[len - 1] == '\n';
    return pkx_text(r->out, s, len);
}

/* Writes a URL attribute: url resolved against the base URL, if any. */
static int url_attr(render *r, const char *name, const char *url)
{
    if (!r->opts->base_url)
        return pkx_cattr(r->out, name, url);
    char *abs = pkx_uri_resolve(r->opts->base_url, url);
    int rc = abs ? pkx_cattr(r->out, name, abs) : -1;
    free(abs);
    return rc;
}

static int literal_text(render *r, const pk_node *node)
{
    size_t len;
    const char *s = pk_node_literal(node, &len);
    return text(r, s, len);
}

/* A paragraph directly in an item of a tight list is written without
 * <p>, as in cmark's HTML. */
static bool tight_paragraph(const pk_node *node)
{
    const pk_node *item = pk_node_parent(node);
    return item && pk_node_get_type(item) == PK_NODE_ITEM &&
           pk_node_list_tight(pk_node_parent(item));
}

static int paragraph(render *r, const pk_node *node)
{
    const pk_quote *q = r->opts->mark_quotes ? pk_doc_quote_of(r->doc, node)
                                             : NULL;
    bool lead = r->opts->mark_lead && pk_doc_lead(r->doc) == node;
    if (cr(r) < 0 || start(r, "p") < 0)
        return -1;
    if (q || lead) {
        const char *cls = q && lead ? "lead quote" : lead ? "lead" : "quote";
        if (pkx_cattr(r->out, "class", cls) < 0)
            return -1;
    }
    if (q && pk_quote_speaker(q) &&
        pkx_cattr(r->out, "data-speaker", pk_quote_speaker(q)) < 0)
        return -1;
    return 0;
}

static int heading(render *r, const pk_node *node, bool enter)
{
    char name[3] = "h1";
    int level = pk_node_heading_level(node) + r->opts->heading_offset;
    name[1] = (char)('0' + (level < 1 ? 1 : level > 6 ? 6 : level));
    if (!enter)
        return end(r) < 0 || newline(r) < 0 ? -1 : 0;
    return cr(r) < 0 || start(r, name) < 0 ? -1 : 0;
}

static int list(render *r, const pk_node *node, bool enter)
{
    bool ordered = pk_node_list_type(node) == PK_LIST_ORDERED;
    if (!enter)
        return cr(r) < 0 || end(r) < 0 || newline(r) < 0 ? -1 : 0;
    if (cr(r) < 0 || start(r, ordered ? "ol" : "ul") < 0)
        return -1;
    if (ordered && pk_node_list_start(node) != 1) {
        char n[24];
        snprintf(n, sizeof n, "%ld", pk_node_list_start(node));
        if (pkx_cattr(r->out, "start", n) < 0)
            return -1;
    }
    return newline(r);
}

/* <pre><code class="language-INFO">, INFO the first word of the info
 * string. */
static int code_block(render *r, const pk_node *node)
{
    const char *info = pk_node_fence_info(node);
    size_t n = strcspn(info ? info : "", " \t\r\n");
    if (cr(r) < 0 || start(r, "pre") < 0 || start(r, "code") < 0)
        return -1;
    if (n) {
        pkx_buf *cls = &r->alt;
        cls->len = 0;
        if (pkx_buf_add(cls, "language-", 9) < 0 ||
            pkx_buf_add(cls, info, n) < 0 ||
            pkx_attr(r->out, "class", cls->data, cls->len) < 0)
            return -1;
    }
    return literal_text(r, node) < 0 || end(r) < 0 || end(r) < 0 ||
                   newline(r) < 0
               ? -1
               : 0;
}

/* Raw HTML is never live: a block shows as escaped source. */
static int html_block(render *r, const pk_node *node)
{
    if (cr(r) < 0 || start(r, "pre") < 0 ||
        pkx_cattr(r->out, "class", "raw-html") < 0 ||
        literal_text(r, node) < 0 || end(r) < 0 || newline(r) < 0)
        return -1;
    return 0;
}

static int link(render *r, const pk_node *node, bool enter)
{
    if (!enter) {
        if (r->open_link != node)
            return 0;
        r->open_link = NULL;
        return end(r);
    }
    const char *url = pk_node_url(node), *title = pk_node_title(node);
    /* Inside another link, or with a URL that could run script, only the
     * link's text is kept. */
    if (r->open_link || !pkx_url_is_safe(url))
        return 0;
    r->open_link = node;
    if (start(r, "a") < 0 || url_attr(r, "href", url) < 0)
        return -1;
    if (title && *title && pkx_cattr(r->out, "title", title) < 0)
        return -1;
    return 0;
}

/* Collects the plain text of an image's description into r->alt. */
static int alt_text(render *r, const pk_node *image)
{
    pk_iter *it = pk_iter_new((pk_node *)image);
    pk_event ev;
    int rc = 0;
    r->alt.len = 0;
    if (!it || pkx_buf_add(&r->alt, "", 0) < 0) {
        pk_iter_free(it);
        return -1;
    }
    while (rc == 0 && (ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        const pk_node *n = pk_iter_node(it);
        if (ev != PK_EVENT_ENTER)
            continue;
        switch (pk_node_get_type(n)) {
        case PK_NODE_TEXT:
        case PK_NODE_CODE:
        case PK_NODE_HTML_INLINE: {
            size_t len;
            const char *s = pk_node_literal(n, &len);
            rc = pkx_buf_add(&r->alt, s, len);
            break;
        }
        case PK_NODE_SOFTBREAK:
        case PK_NODE_LINEBREAK:
            rc = pkx_buf_add(&r->alt, " ", 1);
            break;
        default:
            break;
        }
    }
    pk_iter_free(it);
    return rc;
}

/*
 * An image: <img src alt> for a local, data: (if allowed) or (unless the
 * options say otherwise) remote one; a link to a remote one for EPUB, or
 * just its text inside another link; just its text when uri.h's policy
 * refuses the URL.
 */
static int image(render *r, const pk_node *node)
{
    const char *url = pk_node_url(node), *title = pk_node_title(node);
    bool remote = pkx_url_is_remote(url);
    bool has_title = title && *title;
    if (alt_text(r, node) < 0)
        return -1;
    /* r->alt stays untouched below: pkx_attr cleans into the scratch. */
    if (!pkx_url_is_safe_image(url, r->opts->data_images) ||
        (remote && r->opts->remote_images_as_links && r->open_link))
        return text(r, r->alt.data, r->alt.len);
    if (remote && r->opts->remote_images_as_links) {
        if (start(r, "a") < 0 || url_attr(r, "href", url) < 0 ||
            (has_title && pkx_cattr(r->out, "title", title) < 0))
            return -1;
        /* A link needs text: the URL when the image has no description. */
        if ((r->alt.len ? text(r, r->alt.data, r->alt.len)
                        : text(r, url, strlen(url))) < 0)
            return -1;
        return end(r);
    }
    if (start(r, "img") < 0 || url_attr(r, "src", url) < 0 ||
        pkx_attr(r->out, "alt", r->alt.data, r->alt.len) < 0 ||
        (has_title && pkx_cattr(r->out, "title", title) < 0))
        return -1;
    return end_void(r);
}

/* Writes one event.  Returns < 0 on failure. */
static int event(render *r, const pk_node *node, pk_event ev)
{
    bool enter = ev == PK_EVENT_ENTER;

    switch (pk_node_get_type(node)) {
    case PK_NODE_DOCUMENT:
        return 0;
    case PK_NODE_BLOCK_QUOTE:
        if (enter)
            return cr(r) < 0 || start(r, "blockquote") < 0 || newline(r) < 0
                       ? -1 : 0;
        return cr(r) < 0 || end(r) < 0 || newline(r) < 0 ? -1 : 0;
    case PK_NODE_LIST:
        return list(r, node, enter);
    case PK_NODE_ITEM:
        if (enter)
            return cr(r) < 0 || start(r, "li") < 0 ? -1 : 0;
        return end(r) < 0 || newline(r) < 0 ? -1 : 0;
    case PK_NODE_CODE_BLOCK:
        return code_block(r, node);
    case PK_NODE_HTML_BLOCK:
        return html_block(r, node);
    case PK_NODE_PARAGRAPH:
        if (tight_paragraph(node))
            return 0;
        if (enter)
            return paragraph(r, node);
        return end(r) < 0 || newline(r) < 0 ? -1 : 0;
    case PK_NODE_HEADING:
        return heading(r, node, enter);
    case PK_NODE_THEMATIC_BREAK:
        return cr(r) < 0 || start(r, "hr") < 0 || end_void(r) < 0 ||
                       newline(r) < 0
                   ? -1 : 0;
    case PK_NODE_TEXT:
        return literal_text(r, node);
    case PK_NODE_SOFTBREAK:
        return newline(r);
    case PK_NODE_LINEBREAK:
        return start(r, "br") < 0 || end_void(r) < 0 || newline(r) < 0 ? -1 : 0;
    case PK_NODE_CODE:
        return start(r, "code") < 0 || literal_text(r, node) < 0 || end(r) < 0
                   ? -1 : 0;
    case PK_NODE_HTML_INLINE:
        /* Raw HTML is never live: inline, it shows as its source text. */
        return literal_text(r, node);
    case PK_NODE_EMPH:
        return enter ? start(r, "em") : end(r);
    case PK_NODE_STRONG:
        return enter ? start(r, "strong") : end(r);
    case PK_NODE_LINK:
        return link(r, node, enter);
    case PK_NODE_IMAGE:
        return image(r, node);
    case PK_NODE_NONE:
        break;
    }
    return 0;
}

int pkx_xhtml_render(pkx_out *out, const pk_doc *doc, const pk_node *node,
                     const pkx_xhtml_options *opts)
{
    static const pkx_xhtml_options defaults = PKX_XHTML_OPTIONS_INIT;
    render r = {out, doc, opts ? opts : &defaults, NULL, NULL, true, {0}};
    pk_iter *it;
    pk_event ev;
    int rc = PK_OK;

    if (pkx_node_depth(node, PKX_MAX_DEPTH) > PKX_MAX_DEPTH)
        return PK_ELIMIT;
    if (!(it = pk_iter_new((pk_node *)node)))
        return PK_ENOMEM;
    while ((ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        const pk_node *n = pk_iter_node(it);
        if (r.skipping) {
            if (n == r.skipping && ev == PK_EVENT_EXIT)
                r.skipping = NULL;
            continue;
        }
        if (ev == PK_EVENT_ENTER &&
            (n == r.opts->skip || pk_node_get_type(n) == PK_NODE_IMAGE)) {
            /* An image's children are its description, written whole by
             * image(): the walk skips over them. */
            if (n != r.opts->skip && event(&r, n, ev) < 0) {
                rc = pkx_out_status(out);
                break;
            }
            if (pk_node_is_container(n))
                r.skipping = n;
            continue;
        }
        if (event(&r, n, ev) < 0) {
            rc = pkx_out_status(out);
            break;
        }
    }
    pk_iter_free(it);
    pkx_buf_free(&r.alt);
    return rc;
}

int pkx_xhtml_render_body(pkx_out *out, const pk_doc *doc,
                          const pkx_xhtml_options *opts)
{
    return pkx_xhtml_render(out, doc, pk_doc_root(doc), opts);
}
