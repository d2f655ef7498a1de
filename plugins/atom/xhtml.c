/*
 * xhtml.c - a release body as the XHTML div of an Atom content element.
 *
 * One switch over node kinds, driven by the ENTER/EXIT iterator, like
 * cmark's html.c.  The div is serialized when the document is written
 * (the document is only borrowed for that call) with indentation off:
 * whitespace inside mixed content is text.  Raw HTML never becomes
 * markup: it is written as escaped text.  Links and images with a
 * javascript:, vbscript:, file: or non-image data: URL lose the URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "atom.h"

/*
 * Containers nested deeper than this are flattened to their content:
 * libxml2, like many parsers, refuses documents nested deeper than 256
 * elements, and feed > entry > content > div adds four.
 */
#define MAX_DEPTH 100

typedef struct render {
    xmlTextWriterPtr w;
    size_t depth;       /* containers entered */
    const char *base;   /* the entry's url, or NULL */
    atom_buf scratch;   /* the XML-safe copy of the current text */
    int status;         /* PK_ENOMEM once anything failed */
} render;

static int buf_write(void *ctx, const char *data, int len)
{
    return atom_buf_put(ctx, data, (size_t)len) ? len : -1;
}

static int buf_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* Makes s[0..len) XML-safe in the scratch buffer; NULL on failure. */
static const xmlChar *clean(render *r, const char *s, size_t len)
{
    r->scratch.len = 0;
    if (r->scratch.data)
        r->scratch.data[0] = '\0';
    if (!atom_buf_put_xml(&r->scratch, s ? s : "", s ? len : 0) ||
        !atom_buf_put(&r->scratch, "", 0))
        return NULL;
    return (const xmlChar *)r->scratch.data;
}

static bool text(render *r, const char *s, size_t len)
{
    if (len == 0)
        return true;
    const xmlChar *c = clean(r, s, len);
    return c && xmlTextWriterWriteString(r->w, c) >= 0;
}

static bool start(render *r, const char *name)
{
    return xmlTextWriterStartElement(r->w, (const xmlChar *)name) >= 0;
}

static bool end(render *r)
{
    return xmlTextWriterEndElement(r->w) >= 0;
}

/* A newline between blocks, as cmark writes them: only whitespace
 * between block elements, so it changes no text a reader shows. */
static bool nl(render *r)
{
    return xmlTextWriterWriteString(r->w, (const xmlChar *)"\n") >= 0;
}

static bool attr(render *r, const char *name, const char *value)
{
    const xmlChar *c = clean(r, value, strlen(value));
    return c && xmlTextWriterWriteAttribute(r->w, (const xmlChar *)name, c) >= 0;
}

/* Writes attribute name = url resolved against the base, unless url is
 * dangerous.  Returns false on failure; *kept says whether it was
 * written. */
static bool url_attr(render *r, const char *name, const char *url, bool *kept)
{
    *kept = false;
    if (atom_uri_is_dangerous(url))
        return true;
    char *abs = atom_uri_resolve(r->base, url);
    if (!abs)
        return false;
    bool ok = attr(r, name, abs);
    free(abs);
    *kept = ok;
    return ok;
}

/* Paragraphs of tight list items have no <p>, as in cmark. */
static bool tight_paragraph(const pk_node *n)
{
    const pk_node *item = pk_node_parent(n);
    if (!item || pk_node_get_type(item) != PK_NODE_ITEM)
        return false;
    const pk_node *list = pk_node_parent(item);
    return list && pk_node_list_tight(list);
}

static bool literal(render *r, const pk_node *n)
{
    size_t len;
    const char *s = pk_node_literal(n, &len);
    return text(r, s, len);
}

static bool code_block(render *r, const pk_node *n)
{
    if (!start(r, "pre") || !start(r, "code"))
        return false;
    const char *info = pk_node_fence_info(n);
    size_t word = info ? strcspn(info, " \t") : 0;
    if (word) {
        atom_buf cls = {0};
        atom_buf_puts(&cls, "language-");
        atom_buf_put(&cls, info, word);
        char *v = atom_buf_take(&cls);
        bool ok = v && attr(r, "class", v);
        free(v);
        if (!ok)
            return false;
    }
    return literal(r, n) && end(r) && end(r) && nl(r);
}

/* Raw HTML as text: a block as preformatted source, inline as is. */
static bool raw_html_block(render *r, const pk_node *n)
{
    size_t len;
    const char *s = pk_node_literal(n, &len);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    return start(r, "pre") && text(r, s, len) && end(r) && nl(r);
}

static bool image(render *r, pk_node *n)
{
    size_t alt_len = 0;
    const char *alt = pk_node_text(n, &alt_len);
    if (!alt)
        return false;
    if (atom_uri_is_dangerous(pk_node_url(n)))
        return text(r, alt, alt_len);
    bool kept;
    if (!start(r, "img") || !url_attr(r, "src", pk_node_url(n), &kept))
        return false;
    const char *title = pk_node_title(n);
    return attr(r, "alt", alt) && (!*title || attr(r, "title", title)) &&
           end(r);
}

static bool enter(render *r, pk_node *n)
{
    switch (pk_node_get_type(n)) {
    case PK_NODE_DOCUMENT:
        return true;
    case PK_NODE_BLOCK_QUOTE:
        return start(r, "blockquote") && nl(r);
    case PK_NODE_LIST:
        if (pk_node_list_type(n) != PK_LIST_ORDERED)
            return start(r, "ul") && nl(r);
        if (!start(r, "ol"))
            return false;
        if (pk_node_list_start(n) != 1) {
            char num[32];
            snprintf(num, sizeof num, "%ld", pk_node_list_start(n));
            if (!attr(r, "start", num))
                return false;
        }
        return nl(r);
    case PK_NODE_ITEM:
        return start(r, "li") &&
               (pk_node_list_tight(pk_node_parent(n)) || nl(r));
    case PK_NODE_CODE_BLOCK:
        return code_block(r, n);
    case PK_NODE_HTML_BLOCK:
        return raw_html_block(r, n);
    case PK_NODE_PARAGRAPH:
        return tight_paragraph(n) || start(r, "p");
    case PK_NODE_HEADING: {
        char h[3] = {'h', (char)('0' + pk_node_heading_level(n)), '\0'};
        if (h[1] < '1' || h[1] > '6')
            h[1] = '6';
        return start(r, h);
    }
    case PK_NODE_THEMATIC_BREAK:
        return start(r, "hr") && end(r) && nl(r);
    case PK_NODE_TEXT:
    case PK_NODE_HTML_INLINE:
        return literal(r, n);
    case PK_NODE_SOFTBREAK:
        return text(r, "\n", 1);
    case PK_NODE_LINEBREAK:
        return start(r, "br") && end(r) && text(r, "\n", 1);
    case PK_NODE_CODE:
        return start(r, "code") && literal(r, n) && end(r);
    case PK_NODE_EMPH:
        return start(r, "em");
    case PK_NODE_STRONG:
        return start(r, "strong");
    case PK_NODE_LINK: {
        bool kept;
        if (!start(r, "a") || !url_attr(r, "href", pk_node_url(n), &kept))
            return false;
        const char *title = pk_node_title(n);
        return !*title || attr(r, "title", title);
    }
    case PK_NODE_IMAGE:
        return image(r, n);
    case PK_NODE_NONE:
        break;
    }
    return true;
}

static bool leave(render *r, pk_node *n)
{
    switch (pk_node_get_type(n)) {
    case PK_NODE_BLOCK_QUOTE:
    case PK_NODE_LIST:
    case PK_NODE_ITEM:
    case PK_NODE_HEADING:
        return end(r) && nl(r);
    case PK_NODE_EMPH:
    case PK_NODE_STRONG:
    case PK_NODE_LINK:
        return end(r);
    case PK_NODE_PARAGRAPH:
        return tight_paragraph(n) || (end(r) && nl(r));
    default:
        return true;
    }
}

static bool walk(render *r, pk_node *root)
{
    pk_iter *it = pk_iter_new(root);
    if (!it)
        return false;
    bool ok = true;
    pk_node *skip = NULL; /* an image: its children are its alt text */
    pk_event ev;
    while (ok && (ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        pk_node *n = pk_iter_node(it);
        if (skip) {
            if (n != skip || ev != PK_EVENT_EXIT)
                continue;
            skip = NULL;
        }
        pk_node_type type = pk_node_get_type(n);
        bool container = type != PK_NODE_DOCUMENT && pk_node_is_container(n);
        if (ev == PK_EVENT_ENTER) {
            if (container && ++r->depth > MAX_DEPTH)
                continue; /* flattened: only what is inside */
            ok = enter(r, n);
            if (type == PK_NODE_IMAGE)
                skip = n;
        } else if (ev == PK_EVENT_EXIT) {
            if (container && r->depth-- > MAX_DEPTH)
                ok = !pk_node_is_block(n) || nl(r);
            else
                ok = leave(r, n);
        }
    }
    pk_iter_free(it);
    return ok;
}

int atom_render_xhtml(const pk_doc *doc, const char *base, char **out)
{
    *out = NULL;
    atom_buf sink = {0};
    render r = {NULL, 0, base, {0}, PK_OK};
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(buf_write, buf_close,
                                                    &sink, NULL);
    if (!ob)
        return PK_ENOMEM;
    r.w = xmlNewTextWriter(ob);
    if (!r.w) {
        xmlOutputBufferClose(ob);
        return PK_ENOMEM;
    }
    bool ok = xmlTextWriterStartElementNS(r.w, NULL, (const xmlChar *)"div",
                                          (const xmlChar *)XHTML_NS) >= 0 &&
              nl(&r) && walk(&r, pk_doc_root(doc)) &&
              xmlTextWriterEndElement(r.w) >= 0 && xmlTextWriterFlush(r.w) >= 0;
    xmlFreeTextWriter(r.w); /* closes ob */
    atom_buf_free(&r.scratch);
    if (!ok || sink.failed) {
        atom_buf_free(&sink);
        return PK_ENOMEM;
    }
    *out = atom_buf_take(&sink);
    return *out ? PK_OK : PK_ENOMEM;
}
