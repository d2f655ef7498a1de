/*
 * render.c - body blocks and inlines as plain text.
 *
 * One ENTER/EXIT walk, one switch over node kinds, as cmark's renderers
 * do.  Containers push a frame on ENTER and pop it on EXIT (out.c);
 * paragraphs and headings collect their inlines into out->text and are
 * wrapped on EXIT.  What each kind becomes:
 *
 *   paragraph      wrapped to text.width
 *   heading        its text underlined: '=' for level 1, '-' for levels
 *                  2 to 6 (the level-1 look of the title, the level-2 look
 *                  of everything below it; no "#" marks, which are Markdown
 *                  and not text)
 *   block quote    "> " in front of every line, blank ones ">"
 *   list           items marked "  * " or "  3. " (an ordered list counts
 *                  from its start number); a list inside an item starts
 *                  under the item's text, i.e. 2 columns further in;
 *                  continuation lines line up with the item's text; tight
 *                  lists have no blank lines between items
 *   code block     indented 4 spaces, never wrapped; the info string is
 *                  dropped
 *   raw HTML       kept as written, never wrapped: it is what the author
 *                  put in the release, and stripping tags would guess at
 *                  a meaning
 *   thematic break "* * *", centred in 72 columns (or the width, when
 *                  narrower)
 *   emphasis, strong  their text, with no markup
 *   code span      its text as is
 *   link           "text <url>"; just the text when it is the url (an
 *                  autolink, or a mailto: link showing its address)
 *   image          "alt <src>", as a link: the alt text is kept
 *   soft break     a space; hard break: a new line
 *   inline HTML    kept as written, like raw HTML blocks
 *
 * Blocks are separated by one blank line, except inside tight lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The width thematic breaks are centred in. */
#define RULE_SPAN 72
#define RULE "* * *"

/* Open links and images: where their text starts in out->text. */
typedef struct marks {
    size_t *at;
    size_t len, cap;
} marks;

static bool mark_push(marks *m, size_t at)
{
    if (m->len == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        size_t *p = realloc(m->at, cap * sizeof *p);
        if (!p)
            return false;
        m->at = p;
        m->cap = cap;
    }
    m->at[m->len++] = at;
    return true;
}

static bool is_tight_list(const pk_node *n)
{
    return n && pk_node_get_type(n) == PK_NODE_LIST && pk_node_list_tight(n);
}

/* Writes the blank line that goes before block n, if it needs one. */
static int separate(tx_out *out, const pk_node *n)
{
    const pk_node *parent = pk_node_parent(n);
    if (!parent || pk_node_get_type(parent) == PK_NODE_DOCUMENT)
        return tx_out_blank(out);
    if (!pk_node_prev(n))
        return PK_OK;   /* the container's own separation covers it */
    if (pk_node_get_type(n) == PK_NODE_ITEM && is_tight_list(parent))
        return PK_OK;
    if (pk_node_get_type(parent) == PK_NODE_ITEM &&
        is_tight_list(pk_node_parent(parent)))
        return PK_OK;
    return tx_out_blank(out);
}

static int enter_list(tx_out *out, const pk_node *n)
{
    /* A top-level list is indented 2; one in an item starts at the
     * item's text, which is already 2 further in than its marker. */
    const pk_node *parent = pk_node_parent(n);
    bool nested = parent && pk_node_get_type(parent) == PK_NODE_ITEM;
    tx_frame *f = tx_out_push(out, nested ? "" : "  ", nested ? "" : "  ");
    if (!f)
        return PK_ENOMEM;
    f->ordered = pk_node_list_type(n) == PK_LIST_ORDERED;
    f->tight = pk_node_list_tight(n);
    f->number = pk_node_list_start(n);
    return PK_OK;
}

static int enter_item(tx_out *out)
{
    char first[TX_PREFIX_MAX] = "* ", cont[TX_PREFIX_MAX] = "  ";
    tx_frame *list = tx_out_top(out);
    if (list && list->ordered) {
        int n = snprintf(first, sizeof first, "%ld. ", list->number);
        if (n < 0 || (size_t)n >= sizeof first)
            n = 0;
        memset(cont, ' ', (size_t)n);
        cont[n] = '\0';
        list->number++;
    }
    return tx_out_push(out, first, cont) ? PK_OK : PK_ENOMEM;
}

static int heading(tx_out *out, int level)
{
    size_t widest = 0;
    if (out->text.len == 0)
        return PK_OK;
    int rc = tx_out_wrapped(out, out->text.data, out->text.len, &widest);
    if (rc == PK_OK && widest > 0)
        rc = tx_out_rule(out, level == 1 ? '=' : '-', widest);
    return rc;
}

/* Writes preformatted text line by line behind indent, unwrapped. */
static int preformatted(tx_out *out, const pk_node *n, const char *indent)
{
    size_t len;
    const char *lit = pk_node_literal(n, &len);
    tx_buf_reset(&out->text);
    tx_buf_add_clean(&out->text, lit ? lit : "", lit ? len : 0, TX_VERBATIM);
    if (out->text.failed)
        return out->status = PK_ENOMEM;
    const char *s = out->text.data;
    len = out->text.len;
    if (len > 0 && s[len - 1] == '\n')
        len--;   /* the newline that ends the last line */
    tx_buf line = TX_BUF_INIT;
    size_t pos = 0;
    int rc = PK_OK;
    while (rc == PK_OK && len > 0 && pos <= len) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len;
        tx_buf_reset(&line);
        if (end > pos) {
            tx_buf_puts(&line, indent);
            tx_buf_add(&line, s + pos, end - pos);
        }
        if (line.failed)
            rc = out->status = PK_ENOMEM;
        else
            rc = tx_out_line(out, line.data ? line.data : "", line.len);
        pos = end + 1;
    }
    tx_buf_free(&line);
    return rc;
}

static int thematic_break(tx_out *out)
{
    size_t span = out->width && out->width < RULE_SPAN ? out->width
                                                       : RULE_SPAN;
    size_t prefix = 0;
    for (size_t i = 0; i < out->depth; i++)
        prefix += strlen(out->frames[i].cont);
    size_t avail = span > prefix ? span - prefix : 0;
    size_t indent = avail > strlen(RULE) ? (avail - strlen(RULE)) / 2 : 0;
    char line[RULE_SPAN + sizeof RULE];
    memset(line, ' ', indent);
    memcpy(line + indent, RULE, sizeof RULE);
    return tx_out_line(out, line, indent + strlen(RULE));
}

/* Ends a link or image whose text starts at out->text[start]. */
static void end_link(tx_out *out, const pk_node *n, size_t start)
{
    const char *url = pk_node_url(n);
    if (!url || !*url)
        return;
    /* Compare with the url as it would be printed. */
    size_t ulen = strlen(url);
    size_t at = out->text.len;
    tx_buf_add_clean(&out->text, url, ulen, TX_FLOW);
    if (out->text.failed)
        return;
    const char *text = out->text.data + start;
    size_t tlen = at - start;
    const char *u = out->text.data + at;
    ulen = out->text.len - at;
    bool same = (tlen == ulen && memcmp(text, u, tlen) == 0) ||
                (ulen == tlen + 7 && memcmp(u, "mailto:", 7) == 0 &&
                 memcmp(u + 7, text, tlen) == 0);
    if (same) {
        out->text.len = at;
        return;
    }
    /* Turn "text" + "url" into "text <url>" in place. */
    size_t pre = tlen ? 2 : 1;
    tx_buf_fill(&out->text, ' ', pre + 1);
    if (out->text.failed)
        return;
    char *p = out->text.data + at;
    memmove(p + pre, p, ulen);
    if (tlen)
        p[0] = ' ';
    p[pre - 1] = '<';
    p[pre + ulen] = '>';
    out->text.len = at + pre + ulen + 1;
}

int tx_render_block(tx_out *out, pk_node *node)
{
    pk_iter *it = pk_iter_new(node);
    if (!it)
        return out->status = PK_ENOMEM;
    marks links = {NULL, 0, 0};
    pk_event ev;
    int rc = PK_OK;
    while (rc == PK_OK && (ev = pk_iter_next(it)) != PK_EVENT_DONE) {
        pk_node *n = pk_iter_node(it);
        bool enter = ev == PK_EVENT_ENTER;
        size_t len;
        const char *lit;
        switch (pk_node_get_type(n)) {
        case PK_NODE_BLOCK_QUOTE:
            if (!enter)
                tx_out_pop(out);
            else if ((rc = separate(out, n)) == PK_OK &&
                     !tx_out_push(out, "> ", "> "))
                rc = PK_ENOMEM;
            break;
        case PK_NODE_LIST:
            if (!enter)
                tx_out_pop(out);
            else if ((rc = separate(out, n)) == PK_OK)
                rc = enter_list(out, n);
            break;
        case PK_NODE_ITEM:
            if (enter) {
                if ((rc = separate(out, n)) == PK_OK)
                    rc = enter_item(out);
                break;
            }
            /* An empty item still shows its marker. */
            if (!tx_out_top(out)->used)
                rc = tx_out_line(out, "", 0);
            tx_out_pop(out);
            break;
        case PK_NODE_PARAGRAPH:
        case PK_NODE_HEADING:
            if (enter) {
                rc = separate(out, n);
                tx_buf_reset(&out->text);
                links.len = 0;
            } else if (out->text.failed) {
                rc = PK_ENOMEM;
            } else if (pk_node_get_type(n) == PK_NODE_HEADING) {
                rc = heading(out, pk_node_heading_level(n));
            } else {
                rc = tx_out_wrapped(out, out->text.data, out->text.len, NULL);
            }
            break;
        case PK_NODE_CODE_BLOCK:
            if ((rc = separate(out, n)) == PK_OK)
                rc = preformatted(out, n, "    ");
            break;
        case PK_NODE_HTML_BLOCK:
            if ((rc = separate(out, n)) == PK_OK)
                rc = preformatted(out, n, "");
            break;
        case PK_NODE_THEMATIC_BREAK:
            if ((rc = separate(out, n)) == PK_OK)
                rc = thematic_break(out);
            break;
        case PK_NODE_TEXT:
        case PK_NODE_CODE:
        case PK_NODE_HTML_INLINE:
            lit = pk_node_literal(n, &len);
            tx_buf_add_clean(&out->text, lit ? lit : "", lit ? len : 0,
                             TX_FLOW);
            break;
        case PK_NODE_SOFTBREAK:
            tx_buf_add(&out->text, " ", 1);
            break;
        case PK_NODE_LINEBREAK:
            tx_buf_add(&out->text, "\n", 1);
            break;
        case PK_NODE_LINK:
        case PK_NODE_IMAGE:
            if (enter) {
                if (!mark_push(&links, out->text.len))
                    rc = PK_ENOMEM;
            } else if (links.len > 0) {
                end_link(out, n, links.at[--links.len]);
            }
            break;
        case PK_NODE_DOCUMENT:
        case PK_NODE_EMPH:
        case PK_NODE_STRONG:
        default:
            break;
        }
        if (rc == PK_OK && (out->text.failed || out->status != PK_OK))
            rc = PK_ENOMEM;
    }
    free(links.at);
    pk_iter_free(it);
    if (rc == PK_ENOMEM)
        out->status = PK_ENOMEM;
    return rc;
}
