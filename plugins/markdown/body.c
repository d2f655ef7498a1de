/*
 * body.c - the CommonMark body to pk_nodes, with cmark.
 *
 * cmark's ENTER/EXIT iterator drives one switch over node kinds, so deep
 * nesting costs no C stack.  The cmark tree never leaves this file: it is
 * freed on every path, and only pk_nodes reach the document.
 *
 * Adjacent text nodes are merged into one (cmark 0.30 does this itself,
 * but older releases split text around brackets, escapes and entities,
 * and the model must not depend on the cmark build: one node per run).
 * A run is collected in a heap buffer and stored once when it ends, so a
 * run of many pieces costs linear, not quadratic, arena space.
 *
 * Positions are cmark's (CMARK_OPT_SOURCEPOS), shifted by the line the
 * body starts on; columns are bytes, as cmark counts them.  Block
 * positions are exact; cmark 0.30's inline positions have known faults,
 * handled so:
 * - soft and hard breaks have none: they get 0:0 (unknown);
 * - an autolink's column is counted from the paragraph's start: it is
 *   taken from its text instead, one byte after the '<';
 * - after a backslash hard break cmark stops counting lines, and a
 *   continuation line's extra indentation is not counted: a position that
 *   falls outside its line is dropped (0:0) rather than reported wrong.
 *   One that still fits its line may be off; we cannot tell.
 * - a code span's column is that of its content, after the backticks.
 *
 * Limits (markdown.max_depth, markdown.max_images) are checked twice:
 * on the text, line by line, before cmark sees it (prescan), because
 * cmark would spend memory on every '>' of a line of a million and
 * quadratic time on paragraphs of many "![" (cmark 0.30.2 walks every
 * open image bracket for each link); and exactly on the tree, where a
 * list nested by indentation, line after line, first shows its depth.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "markdown.h"

/* A text run being collected.  Most runs are one piece: it stays
 * borrowed from cmark until a second piece comes. */
typedef struct run {
    pk_node *node;   /* the run's TEXT node, NULL when none is open */
    const char *piece;   /* the only piece so far, or NULL: in buf */
    size_t piece_len;
    char *buf;
    size_t len, cap;
} run;

static int buf_add(run *r, const char *s, size_t len)
{
    if (len > r->cap - r->len) {
        size_t cap = r->cap ? r->cap : 64;
        char *nb;
        while (cap - r->len < len)
            cap *= 2;
        nb = realloc(r->buf, cap);
        if (!nb)
            return PK_ENOMEM;
        r->buf = nb;
        r->cap = cap;
    }
    if (len)
        memcpy(r->buf + r->len, s, len);
    r->len += len;
    return PK_OK;
}

/* Opens a run at TEXT node node with its first piece. */
static void run_start(run *r, pk_node *node, const char *s, size_t len)
{
    r->node = node;
    r->piece = s;
    r->piece_len = len;
    r->len = 0;
}

/* Appends the next piece of the open run. */
static int run_add(run *r, const char *s, size_t len)
{
    if (r->piece) {
        if (buf_add(r, r->piece, r->piece_len) != PK_OK)
            return PK_ENOMEM;
        r->piece = NULL;
    }
    return buf_add(r, s, len);
}

/* Stores the open run's text in its node and closes the run. */
static int run_flush(run *r)
{
    int rc = PK_OK;

    if (r->node && r->piece)
        rc = pk_node_set_literal(r->node, r->piece, r->piece_len);
    else if (r->node)
        rc = pk_node_set_literal(r->node, r->len ? r->buf : "", r->len);
    r->node = NULL;
    r->piece = NULL;
    r->len = 0;
    return rc;
}

/* The line starts of the body, to check cmark's positions against. */
typedef struct lines {
    size_t *start;   /* byte offset of each line */
    size_t count;
    size_t len;      /* of the body */
} lines;

static int lines_index(lines *l, const char *body, size_t len)
{
    const char *end = body + len, *p;
    size_t n = 1, k = 0;

    for (p = body; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        n++;
    l->start = malloc(n * sizeof *l->start);
    if (!l->start)
        return PK_ENOMEM;
    l->start[k++] = 0;
    for (p = body; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        l->start[k++] = (size_t)(p - body) + 1;
    l->count = n;
    l->len = len;
    return PK_OK;
}

/* Returns the length of line i (0-based), without its LF. */
static size_t line_length(const lines *l, size_t i)
{
    size_t end = i + 1 < l->count ? l->start[i + 1] - 1 : l->len;
    return end - l->start[i];
}

/*
 * Finds the body position (1-based, relative to the body) of cmark node n
 * in *line and *column, or leaves them 0 when cmark's is missing or
 * cannot be right (see the top of this file).
 */
static void node_pos(const lines *l, cmark_node *n, unsigned long *line,
                     unsigned long *column)
{
    int cl = cmark_node_get_start_line(n);
    int cc = cmark_node_get_start_column(n);
    cmark_node *child;

    *line = *column = 0;
    if (cl <= 0 || cc <= 0)
        return;
    /* A link starts before its text; only a misplaced autolink does not. */
    if (cmark_node_get_type(n) == CMARK_NODE_LINK &&
        (child = cmark_node_first_child(n)) != NULL &&
        cmark_node_get_type(child) == CMARK_NODE_TEXT &&
        cmark_node_get_start_line(child) == cl &&
        cmark_node_get_start_column(child) > 1 &&
        cmark_node_get_start_column(child) <= cc)
        cc = cmark_node_get_start_column(child) - 1;
    if ((size_t)cl > l->count || (size_t)cc > line_length(l, (size_t)cl - 1) + 1)
        return;
    *line = (unsigned long)cl;
    *column = (unsigned long)cc;
}

static pk_node_type map_type(cmark_node_type t)
{
    switch (t) {
    case CMARK_NODE_DOCUMENT: return PK_NODE_DOCUMENT;
    case CMARK_NODE_BLOCK_QUOTE: return PK_NODE_BLOCK_QUOTE;
    case CMARK_NODE_LIST: return PK_NODE_LIST;
    case CMARK_NODE_ITEM: return PK_NODE_ITEM;
    case CMARK_NODE_CODE_BLOCK: return PK_NODE_CODE_BLOCK;
    case CMARK_NODE_HTML_BLOCK: return PK_NODE_HTML_BLOCK;
    case CMARK_NODE_PARAGRAPH: return PK_NODE_PARAGRAPH;
    case CMARK_NODE_HEADING: return PK_NODE_HEADING;
    case CMARK_NODE_THEMATIC_BREAK: return PK_NODE_THEMATIC_BREAK;
    case CMARK_NODE_TEXT: return PK_NODE_TEXT;
    case CMARK_NODE_SOFTBREAK: return PK_NODE_SOFTBREAK;
    case CMARK_NODE_LINEBREAK: return PK_NODE_LINEBREAK;
    case CMARK_NODE_CODE: return PK_NODE_CODE;
    case CMARK_NODE_HTML_INLINE: return PK_NODE_HTML_INLINE;
    case CMARK_NODE_EMPH: return PK_NODE_EMPH;
    case CMARK_NODE_STRONG: return PK_NODE_STRONG;
    case CMARK_NODE_LINK: return PK_NODE_LINK;
    case CMARK_NODE_IMAGE: return PK_NODE_IMAGE;
    /* Custom nodes come only from cmark's API or extensions, never from
     * cmark_parse_document; the model has nothing to hold them. */
    case CMARK_NODE_CUSTOM_BLOCK:
    case CMARK_NODE_CUSTOM_INLINE:
    case CMARK_NODE_NONE:
        break;
    }
    return PK_NODE_NONE;
}

/* Returns s, or "" for NULL (cmark returns NULL for unset strings). */
static const char *str_or_empty(const char *s)
{
    return s ? s : "";
}

/* Copies the attributes of cmark node n to pk node node. */
static int copy_attributes(pk_node *node, cmark_node *n)
{
    const char *s;
    int rc = PK_OK;

    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_LIST:
        if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
            rc = pk_node_set_list_type(node, PK_LIST_ORDERED);
            if (rc == PK_OK)
                rc = pk_node_set_list_start(node, cmark_node_get_list_start(n));
        } else {
            rc = pk_node_set_list_type(node, PK_LIST_BULLET);
        }
        if (rc == PK_OK)
            rc = pk_node_set_list_tight(node, cmark_node_get_list_tight(n) != 0);
        break;
    case CMARK_NODE_HEADING:
        rc = pk_node_set_heading_level(node, cmark_node_get_heading_level(n));
        break;
    case CMARK_NODE_CODE_BLOCK:
        /* A code block has an info string, and a literal below. */
        s = str_or_empty(cmark_node_get_fence_info(n));
        rc = pk_node_set_fence_info(node, s, strlen(s));
        /* fall through */
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE:
        if (rc == PK_OK) {
            s = str_or_empty(cmark_node_get_literal(n));
            rc = pk_node_set_literal(node, s, strlen(s));
        }
        break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        s = str_or_empty(cmark_node_get_url(n));
        rc = pk_node_set_url(node, s, strlen(s));
        if (rc == PK_OK) {
            s = str_or_empty(cmark_node_get_title(n));
            rc = pk_node_set_title(node, s, strlen(s));
        }
        break;
    default:
        break;
    }
    return rc;
}

static int no_memory(const char *file, pk_diag *diag)
{
    return pk_diag_set(diag, PK_ENOMEM, file, 0, 0, "out of memory");
}

static int too_deep(const char *file, unsigned long line, unsigned long column,
                    size_t max_depth, pk_diag *diag)
{
    return pk_diag_set(diag, PK_ELIMIT, file, line, column,
                       "nesting deeper than %zu levels "
                       "(option markdown.max_depth)", max_depth);
}

int md_body_convert(pk_doc *doc, struct cmark_node *tree, const char *body,
                    size_t len, unsigned long first_line, size_t max_depth,
                    pk_diag *diag)
{
    const char *file = pk_doc_source(doc);
    cmark_iter *iter = NULL;
    cmark_event_type ev;
    pk_node *parent = NULL;
    size_t depth = 0;          /* of parent; the DOCUMENT is at 0 */
    run text = {NULL, NULL, 0, NULL, 0, 0};
    lines body_lines = {NULL, 0, 0};
    int rc = PK_OK;

    if (cmark_node_get_type(tree) != CMARK_NODE_DOCUMENT) {
        rc = pk_diag_set(diag, PK_EPLUGIN, file, 0, 0,
                         "a CommonMark tree must start with a document");
        goto out;
    }
    iter = cmark_iter_new(tree);
    if (!iter || lines_index(&body_lines, body, len) != PK_OK) {
        rc = no_memory(file, diag);
        goto out;
    }
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(iter);
        cmark_node_type ct = cmark_node_get_type(n);
        unsigned long line, column;
        pk_node *node;
        const char *s;

        node_pos(&body_lines, n, &line, &column);
        if (line)
            line += first_line - 1;
        if (text.node && !(ev == CMARK_EVENT_ENTER && ct == CMARK_NODE_TEXT)) {
            if (run_flush(&text) != PK_OK) {
                rc = no_memory(file, diag);
                goto out;
            }
        }
        if (ev == CMARK_EVENT_EXIT) {
            parent = pk_node_parent(parent);
            depth--;
            continue;
        }
        if (ct == CMARK_NODE_DOCUMENT) {
            parent = pk_doc_root(doc);
            pk_node_set_pos(parent, line, column);
            continue;
        }
        /* The event before was this text's sibling: extend its run. */
        if (ct == CMARK_NODE_TEXT && text.node) {
            s = str_or_empty(cmark_node_get_literal(n));
            if (run_add(&text, s, strlen(s)) != PK_OK) {
                rc = no_memory(file, diag);
                goto out;
            }
            continue;
        }
        if (depth >= max_depth) {
            /* Breaks and some inlines have no position: the nearest
             * ancestor's stands in. */
            for (pk_node *a = parent; !line && a; a = pk_node_parent(a)) {
                line = pk_node_line(a);
                column = pk_node_column(a);
            }
            rc = too_deep(file, line, column, max_depth, diag);
            goto out;
        }
        if (map_type(ct) == PK_NODE_NONE) {
            rc = pk_diag_set(diag, PK_EPLUGIN, file, line, column,
                             "unsupported CommonMark node \"%s\"",
                             cmark_node_get_type_string(n));
            goto out;
        }
        node = pk_node_new(doc, map_type(ct));
        if (!node) {
            rc = no_memory(file, diag);
            goto out;
        }
        rc = copy_attributes(node, n);
        if (rc == PK_ENOMEM) {
            rc = no_memory(file, diag);
            goto out;
        }
        if (rc != PK_OK) {
            rc = pk_diag_set(diag, PK_EPLUGIN, file, line, column,
                             "cannot copy the attributes of a %s node",
                             pk_node_type_name(pk_node_get_type(node)));
            goto out;
        }
        pk_node_set_pos(node, line, column);
        rc = pk_node_append_child(parent, node);
        if (rc != PK_OK) {
            /* cmark's nesting is the model's: this would be our bug. */
            rc = pk_diag_set(diag, PK_EPLUGIN, file, line, column,
                             "cannot put a %s node in a %s node",
                             pk_node_type_name(pk_node_get_type(node)),
                             pk_node_type_name(pk_node_get_type(parent)));
            goto out;
        }
        if (ct == CMARK_NODE_TEXT) {
            s = str_or_empty(cmark_node_get_literal(n));
            run_start(&text, node, s, strlen(s));
        }
        /* Containers get an EXIT event from cmark; leaves do not. */
        if (pk_node_is_container(node)) {
            parent = node;
            depth++;
        }
    }
    if (run_flush(&text) != PK_OK)
        rc = no_memory(file, diag);
out:
    if (iter)
        cmark_iter_free(iter);
    free(text.buf);
    free(body_lines.start);
    return rc;
}

/* The prescan ---------------------------------------------------------*/

/* What the prescan of one line knows of it. */
typedef struct scan_line {
    const char *start, *end;   /* the line, without its LF */
    unsigned long line;        /* file line */
    /* For '-' and '*': the last byte that is neither that character nor
     * a blank, and how many of that character the line holds; counted
     * on first use (only a line with such a marker needs them). */
    bool counted;
    const char *last_other[2];
    size_t count[2];
} scan_line;

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static void scan_count(scan_line *sl)
{
    sl->counted = true;
    for (int k = 0; k < 2; k++) {
        sl->last_other[k] = NULL;
        sl->count[k] = 0;
    }
    for (const char *p = sl->start; p < sl->end; p++) {
        if (*p == '-') {
            sl->count[0]++;
            sl->last_other[1] = p;
        } else if (*p == '*') {
            sl->count[1]++;
            sl->last_other[0] = p;
        } else if (!blank(*p)) {
            sl->last_other[0] = sl->last_other[1] = p;
        }
    }
}

/*
 * Returns true if the rest of the line from p, where a '-' or '*' stands,
 * is a thematic break (three or more of it, blanks between): cmark reads
 * "- - - -" as a rule, not as nested lists.  seen is how many of that
 * character came before p.
 */
static bool rest_is_rule(scan_line *sl, const char *p, size_t seen)
{
    int k = *p == '-' ? 0 : 1;

    if (!sl->counted)
        scan_count(sl);
    return (!sl->last_other[k] || sl->last_other[k] < p) &&
           sl->count[k] - seen >= 3;
}

/*
 * Counts the containers the markers at the start of one line open, as
 * cmark would nest them: '>' one level (a block quote), a list marker two
 * (list and item).  Blanks between markers are skipped whatever their
 * width, so a line of markers in an indented context still counts (at
 * worst a line of over max_depth markers that cmark reads as code is
 * refused).  p is the line's first byte that is not blank.  Returns PK_OK
 * or fails at the marker that goes too deep.
 */
static int scan_depth(scan_line *sl, const char *p, size_t max_depth,
                      const char *file, pk_diag *diag)
{
    size_t levels = 0, seen[2] = {0, 0};

    for (;;) {
        const char *marker, *q;
        while (p < sl->end && blank(*p))
            p++;
        if (p == sl->end)
            return PK_OK;
        marker = p;
        if (*p == '>') {
            levels += 1;
            p++;
        } else if (*p == '-' || *p == '*' || *p == '+') {
            if (p + 1 < sl->end && !blank(p[1]))
                return PK_OK;
            if (*p != '+' && rest_is_rule(sl, p, seen[*p == '-' ? 0 : 1]))
                return PK_OK;
            if (*p != '+')
                seen[*p == '-' ? 0 : 1]++;
            levels += 2;
            p++;
        } else if (*p >= '0' && *p <= '9') {
            for (q = p; q < sl->end && q - p < 10 && *q >= '0' && *q <= '9';)
                q++;
            if (q - p > 9 || q == sl->end || (*q != '.' && *q != ')') ||
                (q + 1 < sl->end && !blank(q[1])))
                return PK_OK;
            levels += 2;
            p = q + 1;
        } else {
            return PK_OK;
        }
        if (levels > max_depth)
            return too_deep(file, sl->line,
                            (unsigned long)(marker - sl->start) + 1, max_depth,
                            diag);
    }
}

int md_body_prescan(const char *body, size_t len, unsigned long first_line,
                    const md_limits *limits, const char *file, pk_diag *diag)
{
    const char *end = body + len, *p = body;
    unsigned long line = first_line;
    size_t images = 0;
    int rc;

    while (p < end) {
        const char *lf = memchr(p, '\n', (size_t)(end - p));
        const char *eol = lf ? lf : end;
        const char *q = p;

        while (q < eol && blank(*q))
            q++;
        if (q == eol) {
            images = 0;   /* a blank line ends the paragraph */
        } else {
            scan_line sl;
            sl.start = p;
            sl.end = eol;
            sl.line = line;
            sl.counted = false;
            rc = scan_depth(&sl, q, limits->max_depth, file, diag);
            if (rc != PK_OK)
                return rc;
            for (; q + 1 < eol &&
                   (q = memchr(q, '!', (size_t)(eol - 1 - q))) != NULL;
                 q++) {
                if (q[1] == '[' && ++images > limits->max_images)
                    return pk_diag_set(diag, PK_ELIMIT, file, line,
                                       (unsigned long)(q - p) + 1,
                                       "more than %zu image openers \"![\" "
                                       "in one paragraph (option "
                                       "markdown.max_images)",
                                       limits->max_images);
            }
        }
        p = lf ? lf + 1 : end;
        line++;
    }
    return PK_OK;
}

int md_body_read(pk_doc *doc, const char *body, size_t len,
                 unsigned long first_line, const md_limits *limits,
                 pk_diag *diag)
{
    cmark_node *tree;
    int rc;

    rc = md_body_prescan(body, len, first_line, limits, pk_doc_source(doc),
                         diag);
    if (rc != PK_OK)
        return rc;
    /* CMARK_OPT_DEFAULT keeps quotes and dashes as written (no smart
     * punctuation) and leaves raw HTML in place for the writers. */
    tree = cmark_parse_document(body, len,
                                CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);
    if (!tree)
        return no_memory(pk_doc_source(doc), diag);
    rc = md_body_convert(doc, tree, body, len, first_line, limits->max_depth,
                         diag);
    cmark_node_free(tree);
    return rc;
}
