/*
 * node.c - the body tree: creation, navigation, attributes, iteration.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const type_names[] = {
    [PK_NODE_NONE] = "none",
    [PK_NODE_DOCUMENT] = "document",
    [PK_NODE_BLOCK_QUOTE] = "block_quote",
    [PK_NODE_LIST] = "list",
    [PK_NODE_ITEM] = "item",
    [PK_NODE_CODE_BLOCK] = "code_block",
    [PK_NODE_HTML_BLOCK] = "html_block",
    [PK_NODE_PARAGRAPH] = "paragraph",
    [PK_NODE_HEADING] = "heading",
    [PK_NODE_THEMATIC_BREAK] = "thematic_break",
    [PK_NODE_TEXT] = "text",
    [PK_NODE_SOFTBREAK] = "softbreak",
    [PK_NODE_LINEBREAK] = "linebreak",
    [PK_NODE_CODE] = "code",
    [PK_NODE_HTML_INLINE] = "html_inline",
    [PK_NODE_EMPH] = "emph",
    [PK_NODE_STRONG] = "strong",
    [PK_NODE_LINK] = "link",
    [PK_NODE_IMAGE] = "image",
};

const char *pk_node_type_name(pk_node_type type)
{
    if ((unsigned)type > PK_NODE_LAST_INLINE)
        return "none";
    return type_names[type];
}

pk_node_type pk_node_type_from_name(const char *name)
{
    if (!name)
        return PK_NODE_NONE;
    for (int t = PK_NODE_FIRST_BLOCK; t <= PK_NODE_LAST_INLINE; t++)
        if (strcmp(type_names[t], name) == 0)
            return (pk_node_type)t;
    return PK_NODE_NONE;
}

static bool is_block_type(pk_node_type t)
{
    return t >= PK_NODE_FIRST_BLOCK && t <= PK_NODE_LAST_BLOCK;
}

static bool is_inline_type(pk_node_type t)
{
    return t >= PK_NODE_FIRST_INLINE && t <= PK_NODE_LAST_INLINE;
}

static bool has_literal(pk_node_type t)
{
    return t == PK_NODE_TEXT || t == PK_NODE_CODE || t == PK_NODE_CODE_BLOCK ||
           t == PK_NODE_HTML_BLOCK || t == PK_NODE_HTML_INLINE;
}

/* The node for a new document; only doc.c calls it. */
pk_node *pk_node_new_document(pk_doc *doc);
pk_node *pk_node_new_document(pk_doc *doc)
{
    pk_node *n = pk_doc_alloc(doc, sizeof *n);
    if (n) {
        n->type = PK_NODE_DOCUMENT;
        n->doc = doc;
    }
    return n;
}

pk_node *pk_node_new(pk_doc *doc, pk_node_type type)
{
    if (!doc || type == PK_NODE_DOCUMENT ||
        !(is_block_type(type) || is_inline_type(type)))
        return NULL;
    pk_node *n = pk_doc_alloc(doc, sizeof *n);
    if (!n)
        return NULL;
    n->type = type;
    n->doc = doc;
    n->literal = n->info = n->url = n->title = "";
    if (type == PK_NODE_LIST) {
        n->list_type = PK_LIST_BULLET;
        n->tight = true;
        n->start = 1;
    } else if (type == PK_NODE_HEADING) {
        n->start = 1;
    }
    return n;
}

bool pk_node_is_container(const pk_node *node)
{
    if (!node)
        return false;
    switch (node->type) {
    case PK_NODE_DOCUMENT: case PK_NODE_BLOCK_QUOTE: case PK_NODE_LIST:
    case PK_NODE_ITEM: case PK_NODE_PARAGRAPH: case PK_NODE_HEADING:
    case PK_NODE_EMPH: case PK_NODE_STRONG: case PK_NODE_LINK:
    case PK_NODE_IMAGE:
        return true;
    default:
        return false;
    }
}

/* The nesting rules of CommonMark, which every writer may rely on. */
static bool may_contain(pk_node_type parent, pk_node_type child)
{
    switch (parent) {
    case PK_NODE_DOCUMENT:
    case PK_NODE_BLOCK_QUOTE:
    case PK_NODE_ITEM:
        return is_block_type(child) && child != PK_NODE_ITEM &&
               child != PK_NODE_DOCUMENT;
    case PK_NODE_LIST:
        return child == PK_NODE_ITEM;
    case PK_NODE_PARAGRAPH: case PK_NODE_HEADING: case PK_NODE_EMPH:
    case PK_NODE_STRONG: case PK_NODE_LINK: case PK_NODE_IMAGE:
        return is_inline_type(child);
    default:
        return false;
    }
}

int pk_node_append_child(pk_node *parent, pk_node *child)
{
    if (!parent || !child || child->parent || child->doc != parent->doc ||
        child->type == PK_NODE_DOCUMENT || child == parent ||
        !may_contain(parent->type, child->type))
        return PK_EINVAL;
    child->parent = parent;
    child->prev = parent->last;
    child->next = NULL;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
    return PK_OK;
}

pk_node_type pk_node_get_type(const pk_node *node)
{
    return node ? node->type : PK_NODE_NONE;
}

bool pk_node_is_block(const pk_node *node)
{
    return node && is_block_type(node->type);
}

bool pk_node_is_inline(const pk_node *node)
{
    return node && is_inline_type(node->type);
}

pk_node *pk_node_parent(const pk_node *node) { return node ? node->parent : NULL; }
pk_node *pk_node_first_child(const pk_node *node) { return node ? node->first : NULL; }
pk_node *pk_node_last_child(const pk_node *node) { return node ? node->last : NULL; }
pk_node *pk_node_next(const pk_node *node) { return node ? node->next : NULL; }
pk_node *pk_node_prev(const pk_node *node) { return node ? node->prev : NULL; }

const char *pk_node_literal(const pk_node *node, size_t *len)
{
    if (!node || !has_literal(node->type))
        return NULL;
    if (len)
        *len = node->literal_len;
    return node->literal;
}

static int set_string(pk_node *node, const char **field, const char *s,
                      size_t len)
{
    char *copy = pk_doc_strndup(node->doc, s ? s : "", s ? len : 0);
    if (!copy)
        return PK_ENOMEM;
    *field = copy;
    return PK_OK;
}

int pk_node_set_literal(pk_node *node, const char *s, size_t len)
{
    if (!node || !has_literal(node->type))
        return PK_EINVAL;
    int rc = set_string(node, &node->literal, s, len);
    if (rc == PK_OK)
        node->literal_len = s ? len : 0;
    return rc;
}

int pk_node_heading_level(const pk_node *node)
{
    return node && node->type == PK_NODE_HEADING ? (int)node->start : 0;
}

int pk_node_set_heading_level(pk_node *node, int level)
{
    if (!node || node->type != PK_NODE_HEADING || level < 1 || level > 6)
        return PK_EINVAL;
    node->start = level;
    return PK_OK;
}

pk_list_type pk_node_list_type(const pk_node *node)
{
    return node && node->type == PK_NODE_LIST ? node->list_type : PK_LIST_NONE;
}

int pk_node_set_list_type(pk_node *node, pk_list_type type)
{
    if (!node || node->type != PK_NODE_LIST ||
        (type != PK_LIST_BULLET && type != PK_LIST_ORDERED))
        return PK_EINVAL;
    node->list_type = type;
    return PK_OK;
}

long pk_node_list_start(const pk_node *node)
{
    if (!node || node->type != PK_NODE_LIST || node->list_type != PK_LIST_ORDERED)
        return 0;
    return node->start;
}

int pk_node_set_list_start(pk_node *node, long start)
{
    /* CommonMark allows at most nine digits. */
    if (!node || node->type != PK_NODE_LIST || start < 0 || start > 999999999)
        return PK_EINVAL;
    node->start = start;
    return PK_OK;
}

bool pk_node_list_tight(const pk_node *node)
{
    return node && node->type == PK_NODE_LIST && node->tight;
}

int pk_node_set_list_tight(pk_node *node, bool tight)
{
    if (!node || node->type != PK_NODE_LIST)
        return PK_EINVAL;
    node->tight = tight;
    return PK_OK;
}

const char *pk_node_fence_info(const pk_node *node)
{
    return node && node->type == PK_NODE_CODE_BLOCK ? node->info : NULL;
}

int pk_node_set_fence_info(pk_node *node, const char *s, size_t len)
{
    if (!node || node->type != PK_NODE_CODE_BLOCK)
        return PK_EINVAL;
    return set_string(node, &node->info, s, len);
}

static bool is_link(const pk_node *node)
{
    return node && (node->type == PK_NODE_LINK || node->type == PK_NODE_IMAGE);
}

const char *pk_node_url(const pk_node *node)
{
    return is_link(node) ? node->url : NULL;
}

int pk_node_set_url(pk_node *node, const char *s, size_t len)
{
    return is_link(node) ? set_string(node, &node->url, s, len) : PK_EINVAL;
}

const char *pk_node_title(const pk_node *node)
{
    return is_link(node) ? node->title : NULL;
}

int pk_node_set_title(pk_node *node, const char *s, size_t len)
{
    return is_link(node) ? set_string(node, &node->title, s, len) : PK_EINVAL;
}

void pk_node_set_pos(pk_node *node, unsigned long line, unsigned long column)
{
    if (node) {
        node->line = line;
        node->column = column;
    }
}

unsigned long pk_node_line(const pk_node *node) { return node ? node->line : 0; }
unsigned long pk_node_column(const pk_node *node) { return node ? node->column : 0; }

/*
 * The plain text of the subtree at root: written to out if not NULL, and
 * its length returned either way, so a first pass sizes the buffer and a
 * second fills it.  Depth first, as pk_iter walks; a block that follows
 * another starts on a new line once there is text.
 */
static size_t text_walk(const pk_node *root, char *out)
{
    const pk_node *n = root;
    size_t len = 0;

    for (;;) {
        if (n != root && is_block_type(n->type) && n->prev && len) {
            if (out)
                out[len] = '\n';
            len++;
        }
        switch (n->type) {
        case PK_NODE_TEXT: case PK_NODE_CODE:
            if (out && n->literal_len)
                memcpy(out + len, n->literal, n->literal_len);
            len += n->literal_len;
            break;
        case PK_NODE_SOFTBREAK:
            if (out)
                out[len] = ' ';
            len++;
            break;
        case PK_NODE_LINEBREAK:
            if (out)
                out[len] = '\n';
            len++;
            break;
        default:
            break;
        }
        if (n->first && pk_node_is_container(n)) {
            n = n->first;
            continue;
        }
        while (n != root && !n->next)
            n = n->parent;
        if (n == root)
            return len;
        n = n->next;
    }
}

const char *pk_node_text(const pk_node *node, size_t *len)
{
    if (!node)
        return NULL;
    size_t n = text_walk(node, NULL);
    if (n == SIZE_MAX)
        return NULL;
    char *out = pk_doc_alloc(node->doc, n + 1);
    if (!out)
        return NULL;
    text_walk(node, out);
    out[n] = '\0';
    if (len)
        *len = n;
    return out;
}

struct pk_iter {
    pk_node *root, *cur;
    pk_event ev;
};

pk_iter *pk_iter_new(pk_node *root)
{
    if (!root)
        return NULL;
    pk_iter *it = malloc(sizeof *it);
    if (!it)
        return NULL;
    it->root = root;
    it->cur = NULL;
    it->ev = PK_EVENT_NONE;
    return it;
}

void pk_iter_free(pk_iter *iter)
{
    free(iter);
}

pk_event pk_iter_next(pk_iter *it)
{
    if (it->ev == PK_EVENT_DONE)
        return PK_EVENT_DONE;
    if (it->ev == PK_EVENT_NONE) {
        it->cur = it->root;
        it->ev = PK_EVENT_ENTER;
        return it->ev;
    }
    pk_node *n = it->cur;
    if (it->ev == PK_EVENT_ENTER && pk_node_is_container(n)) {
        if (n->first) {
            it->cur = n->first;
            it->ev = PK_EVENT_ENTER;
        } else {
            it->ev = PK_EVENT_EXIT;
        }
        return it->ev;
    }
    /* Leaving n: go to its next sibling, or exit its parent. */
    if (n == it->root) {
        it->ev = PK_EVENT_DONE;
        it->cur = NULL;
        return it->ev;
    }
    if (n->next) {
        it->cur = n->next;
        it->ev = PK_EVENT_ENTER;
    } else {
        it->cur = n->parent;
        it->ev = PK_EVENT_EXIT;
    }
    return it->ev;
}

pk_node *pk_iter_node(const pk_iter *iter)
{
    return iter->cur;
}

pk_event pk_iter_event(const pk_iter *iter)
{
    return iter->ev;
}
