/*
 * presskit/node.h - the body of a release: a tree of block and inline nodes.
 *
 * Modelled on cmark's node API: opaque nodes in the document's arena,
 * walked with first_child/next or with an ENTER/EXIT iterator.  Every
 * pointer returned here is borrowed from the document and lives until
 * pk_doc_free().
 */
#ifndef PRESSKIT_NODE_H
#define PRESSKIT_NODE_H

#include <stdbool.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_doc pk_doc;
typedef struct pk_node pk_node;

/* Node kinds.  Blocks and inlines are contiguous ranges, so "is this a
 * block" is a range check (pk_node_is_block). */
typedef enum pk_node_type {
    PK_NODE_NONE = 0,
    /* blocks */
    PK_NODE_DOCUMENT,
    PK_NODE_BLOCK_QUOTE,
    PK_NODE_LIST,
    PK_NODE_ITEM,
    PK_NODE_CODE_BLOCK,
    PK_NODE_HTML_BLOCK,
    PK_NODE_PARAGRAPH,
    PK_NODE_HEADING,
    PK_NODE_THEMATIC_BREAK,
    /* inlines */
    PK_NODE_TEXT,
    PK_NODE_SOFTBREAK,
    PK_NODE_LINEBREAK,
    PK_NODE_CODE,
    PK_NODE_HTML_INLINE,
    PK_NODE_EMPH,
    PK_NODE_STRONG,
    PK_NODE_LINK,
    PK_NODE_IMAGE,

    PK_NODE_FIRST_BLOCK = PK_NODE_DOCUMENT,
    PK_NODE_LAST_BLOCK = PK_NODE_THEMATIC_BREAK,
    PK_NODE_FIRST_INLINE = PK_NODE_TEXT,
    PK_NODE_LAST_INLINE = PK_NODE_IMAGE
} pk_node_type;

/* Kinds of list. */
typedef enum pk_list_type {
    PK_LIST_NONE = 0,
    PK_LIST_BULLET,
    PK_LIST_ORDERED
} pk_list_type;

/* Returns the canonical snake_case name of a node type ("paragraph",
 * "code_block", "html_inline"…), static; "none" for unknown types. */
PK_EXTERN const char *pk_node_type_name(pk_node_type type);
/* Returns the node type named name (as pk_node_type_name gives it), or
 * PK_NODE_NONE. */
PK_EXTERN pk_node_type pk_node_type_from_name(const char *name);

/* Creates a detached node of the given type in doc's arena; NULL on out of
 * memory or an invalid type (DOCUMENT is created with the doc). */
PK_EXTERN pk_node *pk_node_new(pk_doc *doc, pk_node_type type);
/* Appends child as the last child of parent.  Returns PK_OK, or PK_EINVAL
 * if child is attached already, belongs to another document, or the
 * nesting is not allowed (an inline holding a block, a list holding
 * anything but items, an item outside a list, a leaf with children). */
PK_EXTERN int pk_node_append_child(pk_node *parent, pk_node *child);

/* Returns the type of node. */
PK_EXTERN pk_node_type pk_node_get_type(const pk_node *node);
/* Returns true if node is a block. */
PK_EXTERN bool pk_node_is_block(const pk_node *node);
/* Returns true if node is an inline. */
PK_EXTERN bool pk_node_is_inline(const pk_node *node);
/* Returns true if node may have children (document, block quote, list,
 * item, paragraph, heading, emph, strong, link, image). */
PK_EXTERN bool pk_node_is_container(const pk_node *node);

/* Tree navigation; each returns a borrowed node or NULL. */
PK_EXTERN pk_node *pk_node_parent(const pk_node *node);
PK_EXTERN pk_node *pk_node_first_child(const pk_node *node);
PK_EXTERN pk_node *pk_node_last_child(const pk_node *node);
PK_EXTERN pk_node *pk_node_next(const pk_node *node);
PK_EXTERN pk_node *pk_node_prev(const pk_node *node);

/* Returns the literal text of a TEXT, CODE, CODE_BLOCK, HTML_BLOCK or
 * HTML_INLINE node (borrowed, NUL-terminated, "" if unset) and its length
 * in *len if len is not NULL; NULL for other types. */
PK_EXTERN const char *pk_node_literal(const pk_node *node, size_t *len);
/* Sets the literal of a node that has one to a copy of s[0..len).
 * Returns PK_OK, PK_EINVAL for other types, or PK_ENOMEM. */
PK_EXTERN int pk_node_set_literal(pk_node *node, const char *s, size_t len);

/* Returns the level (1-6) of a HEADING, 0 for other types. */
PK_EXTERN int pk_node_heading_level(const pk_node *node);
/* Sets the level of a HEADING; PK_EINVAL unless 1 <= level <= 6. */
PK_EXTERN int pk_node_set_heading_level(pk_node *node, int level);

/* Returns the type of a LIST, PK_LIST_NONE for other types. */
PK_EXTERN pk_list_type pk_node_list_type(const pk_node *node);
/* Sets the type of a LIST; PK_EINVAL for other nodes or types. */
PK_EXTERN int pk_node_set_list_type(pk_node *node, pk_list_type type);
/* Returns the start number of an ordered LIST (default 1), else 0. */
PK_EXTERN long pk_node_list_start(const pk_node *node);
/* Sets the start number of a LIST (0..999999999); PK_EINVAL otherwise. */
PK_EXTERN int pk_node_set_list_start(pk_node *node, long start);
/* Returns whether a LIST is tight (items not separated by blank lines). */
PK_EXTERN bool pk_node_list_tight(const pk_node *node);
/* Sets whether a LIST is tight; PK_EINVAL for other nodes. */
PK_EXTERN int pk_node_set_list_tight(pk_node *node, bool tight);

/* Returns the info string of a CODE_BLOCK (borrowed, "" if none), NULL for
 * other types. */
PK_EXTERN const char *pk_node_fence_info(const pk_node *node);
/* Sets the info string of a CODE_BLOCK to a copy of s[0..len). */
PK_EXTERN int pk_node_set_fence_info(pk_node *node, const char *s, size_t len);

/* Returns the destination of a LINK or IMAGE (borrowed, "" if unset),
 * NULL for other types. */
PK_EXTERN const char *pk_node_url(const pk_node *node);
/* Sets the destination of a LINK or IMAGE to a copy of s[0..len). */
PK_EXTERN int pk_node_set_url(pk_node *node, const char *s, size_t len);
/* Returns the title of a LINK or IMAGE (borrowed, "" if unset), NULL for
 * other types. */
PK_EXTERN const char *pk_node_title(const pk_node *node);
/* Sets the title of a LINK or IMAGE to a copy of s[0..len). */
PK_EXTERN int pk_node_set_title(pk_node *node, const char *s, size_t len);

/* Sets the source position (1-based line and byte column of the node's
 * first character in the input file; 0 when unknown). */
PK_EXTERN void pk_node_set_pos(pk_node *node, unsigned long line,
                               unsigned long column);
/* Returns the source line of node, 0 if unknown. */
PK_EXTERN unsigned long pk_node_line(const pk_node *node);
/* Returns the source column of node, 0 if unknown. */
PK_EXTERN unsigned long pk_node_column(const pk_node *node);

/*
 * Returns the plain text of node and its descendants: text, code, and the
 * content of emphasis, links and images; a soft break as a space, a hard
 * break and the boundary between two blocks as "\n"; code blocks and raw
 * HTML left out.  The string is NUL-terminated, allocated in the node's
 * document (borrowed; freed with it), its length stored in *len if len is
 * not NULL.  Safe on a document other threads are reading.  NULL on out of
 * memory.
 */
PK_EXTERN const char *pk_node_text(const pk_node *node, size_t *len);

/* ENTER/EXIT iteration.  Containers are visited twice (ENTER then EXIT),
 * leaves once (ENTER). */
typedef enum pk_event {
    PK_EVENT_NONE = 0,
    PK_EVENT_DONE,
    PK_EVENT_ENTER,
    PK_EVENT_EXIT
} pk_event;

typedef struct pk_iter pk_iter;

/* Creates an iterator over root and its descendants.  The caller owns it
 * and frees it with pk_iter_free(); NULL on out of memory.  The tree must
 * not change while it is walked. */
PK_EXTERN pk_iter *pk_iter_new(pk_node *root);
/* Frees an iterator; NULL is allowed. */
PK_EXTERN void pk_iter_free(pk_iter *iter);
/* Advances and returns the next event (PK_EVENT_DONE at the end). */
PK_EXTERN pk_event pk_iter_next(pk_iter *iter);
/* Returns the node of the current event (borrowed). */
PK_EXTERN pk_node *pk_iter_node(const pk_iter *iter);
/* Returns the current event. */
PK_EXTERN pk_event pk_iter_event(const pk_iter *iter);

#ifdef __cplusplus
}
#endif
#endif
