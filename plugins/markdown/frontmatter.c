/*
 * frontmatter.c - YAML front matter to pk_values, with libyaml's event API.
 *
 * Events are turned into values as they come, with an explicit stack of
 * open lists and maps rather than recursion, so deep nesting costs heap,
 * not C stack.  A container is attached to its parent when it opens (the
 * pending key is used at once) and filled afterwards.
 *
 * Limits and choices worth knowing:
 * - Scalars are read with the YAML 1.2 core schema (scalar.c).  Explicit
 *   tags !!str !!int !!float !!bool !!null !!map !!seq and the
 *   non-specific "!" are honoured; any other tag is an error, since we
 *   could not keep its meaning.
 * - Keys must be scalars and are kept as their text.  "<<" is an ordinary
 *   key: merge keys are YAML 1.1, not 1.2.
 * - Aliases are expanded by copying, within a budget of
 *   markdown.max_values values for the whole front matter, checked
 *   *before* each copy, so an alias bomb fails at once without
 *   allocating.  The copy's root takes the alias's position; values
 *   inside keep the position of their text.
 * - Lists and maps nest at most markdown.max_depth deep (the top-level
 *   map is depth 1), an alias's copy counted where it lands, so every
 *   writer can write what the reader accepts.
 * - Positions: libyaml counts lines with YAML 1.1 breaks (NEL, LS, PS) and
 *   columns in characters.  We instead map its character index to a byte
 *   offset and count LF-separated lines ourselves, so positions are file
 *   lines and byte columns like everywhere else.
 * - Known limit: libyaml still *parses* NEL, LS and PS as line breaks, as
 *   YAML 1.1 says (1.2 does not): inside a scalar they are folded like a
 *   newline, and a NEL in a plain scalar can make it invalid YAML.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "markdown.h"

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

/* What a node's tag asks for. */
typedef enum tag_kind {
    TAG_NONE,        /* no tag: resolve by the core schema */
    TAG_NONSPECIFIC, /* "!": a string, whatever it looks like */
    TAG_STR,
    TAG_INT,
    TAG_FLOAT,
    TAG_BOOL,
    TAG_NULL,
    TAG_MAP,
    TAG_SEQ,
    TAG_OTHER
} tag_kind;

/*
 * A hash index over numbered items (map keys, anchor names), so that
 * finding a duplicate key or an alias's anchor costs constant time, not
 * a scan: front matter with 100,000 keys stays linear.  Open addressing;
 * a slot holds item + 1 (0: empty) and the item's hash, so growing needs
 * no keys.
 */
typedef struct hslot {
    size_t item;
    uint64_t hash;
} hslot;

typedef struct hindex {
    hslot *slots;
    size_t cap;                /* a power of two, or 0 */
    size_t count;
} hindex;

/* Whether item of ctx has the key s[0..len). */
typedef bool (*hindex_eq)(const void *ctx, size_t item, const char *s,
                          size_t len);

static uint64_t hash_key(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u;    /* FNV-1a */

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

/* Returns the slot of the item with key s[0..len), or the empty slot
 * where it would go.  The index must have room (cap > count). */
static hslot *hindex_find(const hindex *ix, uint64_t h, const char *s,
                          size_t len, hindex_eq eq, const void *ctx)
{
    size_t mask = ix->cap - 1;

    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        hslot *slot = &ix->slots[i];
        if (!slot->item ||
            (slot->hash == h && eq(ctx, slot->item - 1, s, len)))
            return slot;
    }
}

/* Makes room for one more item, keeping the load under a half. */
static int hindex_reserve(hindex *ix)
{
    hslot *old = ix->slots;
    size_t old_cap = ix->cap, cap = old_cap ? 2 * old_cap : 16;

    if (2 * (ix->count + 1) <= old_cap)
        return PK_OK;
    ix->slots = calloc(cap, sizeof *ix->slots);
    if (!ix->slots) {
        ix->slots = old;
        return PK_ENOMEM;
    }
    ix->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        size_t k;
        if (!old[i].item)
            continue;
        for (k = (size_t)old[i].hash & (cap - 1); ix->slots[k].item;)
            k = (k + 1) & (cap - 1);
        ix->slots[k] = old[i];
    }
    free(old);
    return PK_OK;
}

/* An open list or map. */
typedef struct frame {
    pk_value *value;
    unsigned long *key_lines;  /* map: the file line of each key so far */
    size_t key_cap;
    hindex keys;               /* map: its keys, to find duplicates */
    bool have_key;             /* map: a key waits for its value */
    const char *key;           /* in the doc's arena */
    size_t key_len;
    size_t anchor;             /* index + 1 into anchors, 0 for none */
    size_t values_before;      /* the budget used when it opened */
    size_t height;             /* levels of lists and maps, itself included */
} frame;

/* A node with an anchor, for later aliases. */
typedef struct anchor {
    char *name;                /* malloc'd */
    pk_value *value;
    const char *text;          /* a scalar's text (arena), for alias keys */
    size_t text_len;
    size_t size;               /* values in the subtree */
    size_t height;             /* levels of lists and maps in it (0: scalar) */
    bool complete;
} anchor;

typedef struct state {
    pk_doc *doc;
    const md_limits *limits;
    const char *file;
    pk_diag *diag;
    const char *text;          /* the YAML text */
    size_t len;
    unsigned long first_line;  /* file line of text[0] */
    size_t *lines;             /* byte offset of each line start */
    size_t nlines;
    size_t cur_char, cur_byte; /* last character index mapped */
    frame *stack;
    size_t depth, stack_cap;
    anchor *anchors;
    size_t nanchors, anchor_cap;
    hindex anchor_names;       /* the latest anchor of each name */
    size_t values;             /* values created so far */
    int documents;
} state;

/* Positions ------------------------------------------------------------*/

static int index_lines(state *st)
{
    const char *end = st->text + st->len, *p;
    size_t n = 1, k = 0;

    for (p = st->text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        n++;
    st->lines = malloc(n * sizeof *st->lines);
    if (!st->lines)
        return PK_ENOMEM;
    st->lines[k++] = 0;
    for (p = st->text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        st->lines[k++] = (size_t)(p - st->text) + 1;
    st->nlines = n;
    return PK_OK;
}

/* Converts a byte offset of the YAML text to a file line and column. */
static void byte_pos(const state *st, size_t byte, unsigned long *line,
                     unsigned long *column)
{
    size_t lo = 0, hi = st->nlines;

    /* The last line starting at or before byte. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->lines[mid] <= byte)
            lo = mid;
        else
            hi = mid;
    }
    *line = st->first_line + lo;
    *column = byte - st->lines[lo] + 1;
}

/*
 * Converts a libyaml mark to a file line and byte column.  libyaml's index
 * counts characters; marks arrive nearly in order, so a cursor walked
 * forwards or backwards from the last one makes this cheap.  The text is
 * valid UTF-8 (input.c checked it).
 */
static void mark_pos(state *st, const yaml_mark_t *m, unsigned long *line,
                     unsigned long *column)
{
    /* Eight ASCII bytes are eight characters (and the byte after them
     * starts one: the text is valid UTF-8). */
    while (m->index > st->cur_char && m->index - st->cur_char >= 8 &&
           st->len - st->cur_byte >= 8) {
        uint64_t w;
        memcpy(&w, st->text + st->cur_byte, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
        st->cur_byte += 8;
        st->cur_char += 8;
    }
    while (st->cur_char < m->index && st->cur_byte < st->len) {
        st->cur_byte++;
        while (st->cur_byte < st->len &&
               ((unsigned char)st->text[st->cur_byte] & 0xC0) == 0x80)
            st->cur_byte++;
        st->cur_char++;
    }
    while (st->cur_char > m->index && st->cur_byte > 0) {
        st->cur_byte--;
        while (st->cur_byte > 0 &&
               ((unsigned char)st->text[st->cur_byte] & 0xC0) == 0x80)
            st->cur_byte--;
        st->cur_char--;
    }
    byte_pos(st, st->cur_byte, line, column);
}

static int fail_at(state *st, int status, const yaml_mark_t *m,
                   const char *fmt, ...) PK_PRINTF(4, 5);

/* Fills diag with a message located at libyaml mark m. */
static int fail_at(state *st, int status, const yaml_mark_t *m,
                   const char *fmt, ...)
{
    unsigned long line, column;
    va_list ap;
    int rc;

    mark_pos(st, m, &line, &column);
    va_start(ap, fmt);
    rc = pk_diag_vset(st->diag, status, st->file, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

static int out_of_memory(state *st)
{
    return pk_diag_set(st->diag, PK_ENOMEM, st->file, 0, 0, "out of memory");
}

/*
 * Writes s[0..len) into buf as a short, printable quotation for a message:
 * quotes, backslashes and control bytes escaped, long text cut with "...".
 */
static const char *quote(char *buf, size_t size, const char *s, size_t len)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 8 >= size) {
            /* Cutting inside a character: drop its first bytes too. */
            if ((c & 0xC0) == 0x80) {
                while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
                    o--;
                if (o > 0)
                    o--;
            }
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = '\0';
    return buf;
}

/* Names a tag as the user wrote it, "!!int" rather than the full URI. */
static const char *tag_name(const char *tag, char *buf, size_t size)
{
    size_t plen = strlen(YAML_TAG_PREFIX);

    if (strncmp(tag, YAML_TAG_PREFIX, plen) == 0)
        snprintf(buf, size, "!!%s", tag + plen);
    else
        snprintf(buf, size, "%s", tag);
    return buf;
}

/* Tags -----------------------------------------------------------------*/

static tag_kind classify_tag(const yaml_char_t *utag)
{
    static const struct {
        const char *suffix;
        tag_kind kind;
    } known[] = {
        {"str", TAG_STR},     {"int", TAG_INT},   {"float", TAG_FLOAT},
        {"bool", TAG_BOOL},   {"null", TAG_NULL}, {"map", TAG_MAP},
        {"seq", TAG_SEQ},
    };
    const char *tag = (const char *)utag;
    size_t plen = strlen(YAML_TAG_PREFIX);

    if (!tag)
        return TAG_NONE;
    if (strcmp(tag, "!") == 0)
        return TAG_NONSPECIFIC;
    if (strncmp(tag, YAML_TAG_PREFIX, plen) != 0)
        return TAG_OTHER;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(tag + plen, known[i].suffix) == 0)
            return known[i].kind;
    return TAG_OTHER;
}

/*
 * Checks that a node's tag suits its kind of node (want: TAG_STR for any
 * scalar, TAG_MAP or TAG_SEQ).  Returns PK_OK or fills diag.
 */
static int check_tag(state *st, const yaml_event_t *ev, const yaml_char_t *tag,
                     tag_kind want)
{
    static const char *const what[] = {"a scalar", "a mapping", "a sequence"};
    tag_kind k = classify_tag(tag);
    char name[128];
    const char *node = want == TAG_MAP ? what[1]
                       : want == TAG_SEQ ? what[2] : what[0];
    bool scalar_tag = k >= TAG_STR && k <= TAG_NULL;

    if (k == TAG_NONE || k == TAG_NONSPECIFIC)
        return PK_OK;
    if (k == TAG_OTHER)
        return fail_at(st, PK_EPARSE, &ev->start_mark,
                       "unsupported YAML tag \"%s\"",
                       tag_name((const char *)tag, name, sizeof name));
    if ((want == TAG_STR && scalar_tag) || k == want)
        return PK_OK;
    return fail_at(st, PK_EPARSE, &ev->start_mark,
                   "YAML tag %s cannot be applied to %s",
                   tag_name((const char *)tag, name, sizeof name), node);
}

/* Values ---------------------------------------------------------------*/

/* Counts one more value against the budget. */
static int spend(state *st, const yaml_mark_t *m)
{
    if (st->values >= st->limits->max_values)
        return fail_at(st, PK_ELIMIT, m,
                       "front matter has more than %zu values "
                       "(option markdown.max_values)",
                       st->limits->max_values);
    st->values++;
    return PK_OK;
}

/* Fails for a list or map (or an alias to one, height levels) that would
 * end deeper than max_depth if put into the open container. */
static int check_depth(state *st, const yaml_mark_t *m, size_t height)
{
    if (height > st->limits->max_depth - st->depth)
        return fail_at(st, PK_ELIMIT, m,
                       "nesting deeper than %zu levels "
                       "(option markdown.max_depth)",
                       st->limits->max_depth);
    return PK_OK;
}

/*
 * Makes the value of a scalar event: its tag if it has one, else a string
 * when quoted or block-styled, else the core schema's reading.
 */
static int scalar_value(state *st, const yaml_event_t *ev, pk_value **out)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    tag_kind tag = classify_tag(ev->data.scalar.tag);
    pk_doc *doc = st->doc;
    char q[96];
    const char *problem = NULL;
    pk_value *v = NULL;
    md_number num;
    int64_t i = 0;
    double r = 0;
    bool b = false;
    int err = PK_OK;

    *out = NULL;
    if (tag == TAG_NONE && !ev->data.scalar.plain_implicit)
        tag = TAG_STR;          /* quoted, literal or folded */
    switch (tag) {
    case TAG_NONE:
        if (md_scalar_is_null(s, len)) {
            v = pk_value_new_null(doc);
        } else if (md_scalar_is_bool(s, len, &b)) {
            v = pk_value_new_bool(doc, b);
        } else if ((num = md_scalar_int(s, len, &i, &r, &err)) !=
                   MD_NUMBER_NONE) {
            /* An int too big even for a double stays text. */
            v = num == MD_NUMBER_INT    ? pk_value_new_integer(doc, i)
                : num == MD_NUMBER_REAL ? pk_value_new_real(doc, r)
                                        : pk_value_new_string(doc, s, len);
        } else if (err == PK_OK &&
                   md_scalar_float(s, len, &r, &err) == MD_NUMBER_REAL) {
            v = pk_value_new_real(doc, r);
        } else if (err == PK_OK) {
            /* Includes floats overflowing to infinity and .inf/.nan: the
             * model has only finite reals, and the text is not lost. */
            v = pk_value_new_string(doc, s, len);
        }
        break;
    case TAG_STR:
    case TAG_NONSPECIFIC:
        v = pk_value_new_string(doc, s, len);
        break;
    case TAG_INT:
        num = md_scalar_int(s, len, &i, &r, &err);
        if (num == MD_NUMBER_INT)
            v = pk_value_new_integer(doc, i);
        else if (err == PK_OK)
            problem = num == MD_NUMBER_NONE ? "!!int: expected an integer, got"
                                            : "!!int: out of range:";
        break;
    case TAG_FLOAT:
        num = md_scalar_int(s, len, &i, &r, &err);
        if (num == MD_NUMBER_INT) {
            v = pk_value_new_real(doc, (double)i);
        } else if (num == MD_NUMBER_REAL) {
            v = pk_value_new_real(doc, r);
        } else if (err == PK_OK && num == MD_NUMBER_NONE) {
            num = md_scalar_float(s, len, &r, &err);
            if (num == MD_NUMBER_REAL)
                v = pk_value_new_real(doc, r);
        }
        if (!v && err == PK_OK)
            problem = num == MD_NUMBER_RANGE || md_scalar_is_nonfinite(s, len)
                          ? "!!float: not a finite number:"
                          : "!!float: expected a number, got";
        break;
    case TAG_BOOL:
        if (md_scalar_is_bool(s, len, &b))
            v = pk_value_new_bool(doc, b);
        else
            problem = "!!bool: expected true or false, got";
        break;
    case TAG_NULL:
        if (md_scalar_is_null(s, len))
            v = pk_value_new_null(doc);
        else
            problem = "!!null: expected null, got";
        break;
    case TAG_MAP:
    case TAG_SEQ:
    case TAG_OTHER:
        /* check_tag() refused these already. */
        problem = "unexpected tag on scalar";
        break;
    }
    if (problem)
        return fail_at(st, PK_EPARSE, &ev->start_mark, "%s \"%s\"", problem,
                       quote(q, sizeof q, s, len));
    if (err != PK_OK || !v)
        return out_of_memory(st);
    *out = v;
    return PK_OK;
}

/* Copies the tree src (size values) for an alias, iteratively. */
static int copy_value(state *st, const pk_value *src, pk_value **out)
{
    typedef struct copy_frame {
        const pk_value *src;
        pk_value *dst;
        size_t next;
    } copy_frame;
    copy_frame *stack = NULL;
    size_t depth = 0, cap = 0;
    pk_value *root = NULL;
    int rc = PK_OK;

    *out = NULL;
    for (const pk_value *v = src; v;) {
        pk_value *c = NULL;
        const char *s;
        size_t len = 0;

        switch (pk_value_type_of(v)) {
        case PK_VALUE_NULL: c = pk_value_new_null(st->doc); break;
        case PK_VALUE_BOOL: c = pk_value_new_bool(st->doc, pk_value_bool(v)); break;
        case PK_VALUE_INTEGER:
            c = pk_value_new_integer(st->doc, pk_value_integer(v));
            break;
        case PK_VALUE_REAL: c = pk_value_new_real(st->doc, pk_value_real(v)); break;
        case PK_VALUE_STRING:
            s = pk_value_string(v, &len);
            c = pk_value_new_string(st->doc, s, len);
            break;
        case PK_VALUE_LIST: c = pk_value_new_list(st->doc); break;
        case PK_VALUE_MAP: c = pk_value_new_map(st->doc); break;
        }
        if (!c) {
            rc = PK_ENOMEM;
            goto out;
        }
        pk_value_set_pos(c, pk_value_line(v), pk_value_column(v));
        st->values++;
        if (depth == 0) {
            root = c;
        } else {
            copy_frame *top = &stack[depth - 1];
            const pk_value *parent = top->src;
            if (pk_value_type_of(parent) == PK_VALUE_MAP) {
                const char *key = pk_value_key_at(parent, top->next - 1, &len);
                rc = pk_value_map_append(top->dst, key, len, c);
            } else {
                rc = pk_value_list_append(top->dst, c);
            }
            if (rc != PK_OK)
                goto out;
        }
        if (pk_value_count(v) > 0) {
            if (depth == cap) {
                size_t ncap = cap ? 2 * cap : 8;
                copy_frame *ns = realloc(stack, ncap * sizeof *ns);
                if (!ns) {
                    rc = PK_ENOMEM;
                    goto out;
                }
                stack = ns;
                cap = ncap;
            }
            stack[depth++] = (copy_frame){v, c, 0};
        }
        /* The next value to copy: the next child of the innermost open
         * container that has one left. */
        v = NULL;
        while (depth > 0 && !v) {
            copy_frame *top = &stack[depth - 1];
            if (top->next < pk_value_count(top->src))
                v = pk_value_at(top->src, top->next++);
            else
                depth--;
        }
    }
    *out = root;
out:
    free(stack);
    return rc;
}

/* Anchors --------------------------------------------------------------*/

/* Whether anchor item of state ctx is called s[0..len). */
static bool anchor_is(const void *ctx, size_t item, const char *s, size_t len)
{
    const char *name = ((const state *)ctx)->anchors[item].name;

    return strlen(name) == len && memcmp(name, s, len) == 0;
}

/* Records an anchor for a node being made; returns its index + 1 in *id. */
static int add_anchor(state *st, const yaml_char_t *name, pk_value *v,
                      size_t *id)
{
    anchor *a;

    *id = 0;
    if (!name)
        return PK_OK;
    if (st->nanchors == st->anchor_cap) {
        size_t ncap = st->anchor_cap ? 2 * st->anchor_cap : 8;
        anchor *na = realloc(st->anchors, ncap * sizeof *na);
        if (!na)
            return out_of_memory(st);
        st->anchors = na;
        st->anchor_cap = ncap;
    }
    if (hindex_reserve(&st->anchor_names) != PK_OK)
        return out_of_memory(st);
    a = &st->anchors[st->nanchors];
    memset(a, 0, sizeof *a);
    a->name = strdup((const char *)name);
    if (!a->name)
        return out_of_memory(st);
    a->value = v;
    st->nanchors++;
    *id = st->nanchors;
    /* A later anchor of the same name hides the earlier one. */
    {
        size_t len = strlen(a->name);
        uint64_t h = hash_key(a->name, len);
        hslot *slot = hindex_find(&st->anchor_names, h, a->name, len,
                                  anchor_is, st);
        if (!slot->item)
            st->anchor_names.count++;
        slot->item = st->nanchors;
        slot->hash = h;
    }
    return PK_OK;
}

/* Returns the anchor an alias names (the latest one, as YAML says), or
 * NULL with *rc and diag set. */
static anchor *find_anchor(state *st, const yaml_event_t *ev, int *rc)
{
    const char *name = (const char *)ev->data.alias.anchor;
    size_t len = strlen(name);
    hslot *slot = st->anchor_names.cap
                      ? hindex_find(&st->anchor_names, hash_key(name, len),
                                    name, len, anchor_is, st)
                      : NULL;

    if (slot && slot->item) {
        anchor *a = &st->anchors[slot->item - 1];
        if (a->complete)
            return a;
        *rc = fail_at(st, PK_EPARSE, &ev->start_mark,
                      "YAML alias \"*%s\" refers to a node that contains it",
                      name);
        return NULL;
    }
    *rc = fail_at(st, PK_EPARSE, &ev->start_mark,
                  "undefined YAML alias \"*%s\"", name);
    return NULL;
}

/* The tree ------------------------------------------------------------*/

static int push(state *st, pk_value *v, size_t anchor_id)
{
    if (st->depth == st->stack_cap) {
        size_t ncap = st->stack_cap ? 2 * st->stack_cap : 16;
        frame *ns = realloc(st->stack, ncap * sizeof *ns);
        if (!ns)
            return out_of_memory(st);
        st->stack = ns;
        st->stack_cap = ncap;
    }
    memset(&st->stack[st->depth], 0, sizeof st->stack[0]);
    st->stack[st->depth].value = v;
    st->stack[st->depth].anchor = anchor_id;
    /* The container itself was counted already. */
    st->stack[st->depth].values_before = st->values - 1;
    st->stack[st->depth].height = 1;
    st->depth++;
    return PK_OK;
}

/* Records that the open container holds height levels below it. */
static void grow(state *st, size_t height)
{
    frame *top = &st->stack[st->depth - 1];

    if (height + 1 > top->height)
        top->height = height + 1;
}

static void pop(state *st)
{
    frame *f = &st->stack[--st->depth];

    if (f->anchor) {
        anchor *a = &st->anchors[f->anchor - 1];
        a->size = st->values - f->values_before;
        a->height = f->height;
        a->complete = true;
    }
    if (st->depth > 0)
        grow(st, f->height);
    free(f->key_lines);
    free(f->keys.slots);
}

/* Attaches a new value to the open container (not for the top level). */
static int attach(state *st, pk_value *v)
{
    frame *top = &st->stack[st->depth - 1];
    int rc;

    if (pk_value_type_of(top->value) == PK_VALUE_MAP) {
        rc = pk_value_map_append(top->value, top->key, top->key_len, v);
        top->have_key = false;
    } else {
        rc = pk_value_list_append(top->value, v);
    }
    return rc == PK_OK ? PK_OK : out_of_memory(st);
}

/*
 * Takes a key for the open map: its text must be a scalar's, and new to
 * the map.
 */
/* Whether key item of map ctx is s[0..len). */
static bool key_is(const void *ctx, size_t item, const char *s, size_t len)
{
    size_t klen = 0;
    const char *k = pk_value_key_at(ctx, item, &klen);

    return k && klen == len && memcmp(k, s, len) == 0;
}

static int take_key(state *st, const yaml_event_t *ev, const char *key,
                    size_t len)
{
    frame *top = &st->stack[st->depth - 1];
    size_t n = pk_value_count(top->value);
    uint64_t h = hash_key(key, len);
    unsigned long line, column;
    hslot *slot;
    char q[96];

    mark_pos(st, &ev->start_mark, &line, &column);
    if (hindex_reserve(&top->keys) != PK_OK)
        return out_of_memory(st);
    slot = hindex_find(&top->keys, h, key, len, key_is, top->value);
    if (slot->item)
        return pk_diag_set(st->diag, PK_EPARSE, st->file, line, column,
                           "duplicate key \"%s\" (first at line %lu)",
                           quote(q, sizeof q, key, len),
                           top->key_lines[slot->item - 1]);
    if (n == top->key_cap) {
        size_t ncap = top->key_cap ? 2 * top->key_cap : 8;
        unsigned long *nl = realloc(top->key_lines, ncap * sizeof *nl);
        if (!nl)
            return out_of_memory(st);
        top->key_lines = nl;
        top->key_cap = ncap;
    }
    top->key_lines[n] = line;
    top->key = pk_doc_strndup(st->doc, key, len);
    if (!top->key)
        return out_of_memory(st);
    top->key_len = len;
    top->have_key = true;
    /* The key joins the map with its value, before the next key comes. */
    slot->item = n + 1;
    slot->hash = h;
    top->keys.count++;
    return PK_OK;
}

/* Returns true if the next node event is a key of the open map. */
static bool expecting_key(const state *st)
{
    const frame *top;

    if (st->depth == 0)
        return false;
    top = &st->stack[st->depth - 1];
    return pk_value_type_of(top->value) == PK_VALUE_MAP && !top->have_key;
}

static int on_scalar(state *st, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    tag_kind tag = classify_tag(ev->data.scalar.tag);
    unsigned long line, column;
    pk_value *v = NULL;
    size_t id = 0;
    int rc;

    rc = check_tag(st, ev, ev->data.scalar.tag, TAG_STR);
    if (rc != PK_OK)
        return rc;
    if (st->depth == 0)
        return fail_at(st, PK_EPARSE, &ev->start_mark,
                       "front matter must be a mapping, not %s", "a scalar");
    if (expecting_key(st) && !ev->data.scalar.anchor &&
        (tag == TAG_NONE || tag == TAG_STR || tag == TAG_NONSPECIFIC))
        return take_key(st, ev, s, len);
    /* A value; or a key whose tag must be checked (!!int abc), or that has
     * an anchor (an alias may later use it as a value). */
    rc = spend(st, &ev->start_mark);
    if (rc == PK_OK)
        rc = scalar_value(st, ev, &v);
    if (rc != PK_OK)
        return rc;
    mark_pos(st, &ev->start_mark, &line, &column);
    pk_value_set_pos(v, line, column);
    rc = add_anchor(st, ev->data.scalar.anchor, v, &id);
    if (rc != PK_OK)
        return rc;
    if (id) {
        anchor *a = &st->anchors[id - 1];
        a->text = pk_doc_strndup(st->doc, s, len);
        if (!a->text)
            return out_of_memory(st);
        a->text_len = len;
        a->size = 1;
        a->complete = true;
    }
    if (expecting_key(st))
        return take_key(st, ev, s, len);
    return attach(st, v);
}

static int on_alias(state *st, const yaml_event_t *ev)
{
    unsigned long line, column;
    anchor *a;
    pk_value *v = NULL;
    int rc = PK_EPARSE;

    if (st->depth == 0)
        return fail_at(st, PK_EPARSE, &ev->start_mark,
                       "front matter must be a mapping, not %s", "an alias");
    a = find_anchor(st, ev, &rc);
    if (!a)
        return rc;
    if (expecting_key(st)) {
        if (!a->text)
            return fail_at(st, PK_EPARSE, &ev->start_mark, "%s",
                           "expected a scalar key");
        return take_key(st, ev, a->text, a->text_len);
    }
    if (a->size > st->limits->max_values - st->values)
        return fail_at(st, PK_ELIMIT, &ev->start_mark,
                       "YAML alias expansion exceeds %zu values "
                       "(option markdown.max_values)",
                       st->limits->max_values);
    rc = check_depth(st, &ev->start_mark, a->height);
    if (rc != PK_OK)
        return rc;
    if (copy_value(st, a->value, &v) != PK_OK)
        return out_of_memory(st);
    mark_pos(st, &ev->start_mark, &line, &column);
    pk_value_set_pos(v, line, column);
    grow(st, a->height);
    return attach(st, v);
}

static int on_container_start(state *st, const yaml_event_t *ev, bool is_map)
{
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag
                                    : ev->data.sequence_start.tag;
    const yaml_char_t *anchor_name = is_map ? ev->data.mapping_start.anchor
                                            : ev->data.sequence_start.anchor;
    unsigned long line, column;
    pk_value *v;
    size_t id = 0;
    int rc;

    rc = check_tag(st, ev, tag, is_map ? TAG_MAP : TAG_SEQ);
    if (rc != PK_OK)
        return rc;
    if (st->depth == 0 && !is_map)
        return fail_at(st, PK_EPARSE, &ev->start_mark,
                       "front matter must be a mapping, not %s", "a sequence");
    if (expecting_key(st))
        return fail_at(st, PK_EPARSE, &ev->start_mark, "%s",
                       "expected a scalar key");
    rc = check_depth(st, &ev->start_mark, 1);
    if (rc == PK_OK)
        rc = spend(st, &ev->start_mark);
    if (rc != PK_OK)
        return rc;
    /* The top-level mapping is the document's own metadata map. */
    if (st->depth == 0)
        v = pk_doc_meta(st->doc);
    else
        v = is_map ? pk_value_new_map(st->doc) : pk_value_new_list(st->doc);
    if (!v)
        return out_of_memory(st);
    mark_pos(st, &ev->start_mark, &line, &column);
    pk_value_set_pos(v, line, column);
    if (st->depth > 0 && (rc = attach(st, v)) != PK_OK)
        return rc;
    rc = add_anchor(st, anchor_name, v, &id);
    if (rc != PK_OK)
        return rc;
    return push(st, v, id);
}

static int on_event(state *st, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++st->documents > 1)
            return fail_at(st, PK_EPARSE, &ev->start_mark, "%s",
                           "front matter holds more than one YAML document");
        return PK_OK;
    case YAML_SCALAR_EVENT:
        return on_scalar(st, ev);
    case YAML_ALIAS_EVENT:
        return on_alias(st, ev);
    case YAML_MAPPING_START_EVENT:
        return on_container_start(st, ev, true);
    case YAML_SEQUENCE_START_EVENT:
        return on_container_start(st, ev, false);
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        /* libyaml pairs every end with a start; the check is cheap. */
        if (st->depth > 0)
            pop(st);
        return PK_OK;
    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_END_EVENT:
        break;
    }
    return PK_OK;
}

/* Reports a libyaml failure at its mark, in file lines. */
static int parser_error(state *st, const yaml_parser_t *parser)
{
    unsigned long line = 0, column = 0, ctx_line = 0, ctx_column = 0;
    const char *problem = parser->problem ? parser->problem : "unknown error";
    yaml_mark_t mark = parser->problem_mark;

    switch (parser->error) {
    case YAML_MEMORY_ERROR:
        return out_of_memory(st);
    case YAML_READER_ERROR:
        /* Reader errors carry a byte offset instead of a mark. */
        byte_pos(st, parser->problem_offset < st->len ? parser->problem_offset
                                                      : st->len,
                 &line, &column);
        break;
    default:
        mark_pos(st, &mark, &line, &column);
        break;
    }
    if (parser->error != YAML_READER_ERROR && parser->context) {
        mark = parser->context_mark;
        mark_pos(st, &mark, &ctx_line, &ctx_column);
        return pk_diag_set(st->diag, PK_EPARSE, st->file, line, column,
                           "invalid YAML: %s (%s at line %lu, column %lu)",
                           problem, parser->context, ctx_line, ctx_column);
    }
    return pk_diag_set(st->diag, PK_EPARSE, st->file, line, column,
                       "invalid YAML: %s", problem);
}

int md_front_matter_read(pk_doc *doc, const char *yaml, size_t len,
                         unsigned long first_line, const md_limits *limits,
                         pk_diag *diag)
{
    state st;
    yaml_parser_t parser;
    yaml_event_t event;
    bool parser_ready = false;
    int rc;

    memset(&st, 0, sizeof st);
    st.doc = doc;
    st.limits = limits;
    st.file = pk_doc_source(doc);
    st.diag = diag;
    st.text = yaml;
    st.len = len;
    st.first_line = first_line;
    rc = index_lines(&st);
    if (rc != PK_OK) {
        rc = out_of_memory(&st);
        goto out;
    }
    if (!yaml_parser_initialize(&parser)) {
        rc = out_of_memory(&st);
        goto out;
    }
    parser_ready = true;
    /* input.c guaranteed UTF-8: do not let libyaml guess UTF-16. */
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    for (;;) {
        yaml_event_type_t type;

        if (!yaml_parser_parse(&parser, &event)) {
            rc = parser_error(&st, &parser);
            goto out;
        }
        rc = on_event(&st, &event);
        type = event.type;
        yaml_event_delete(&event);
        if (rc != PK_OK || type == YAML_STREAM_END_EVENT)
            break;
    }
out:
    if (parser_ready)
        yaml_parser_delete(&parser);
    while (st.depth > 0)
    {
        --st.depth;
        free(st.stack[st.depth].key_lines);
        free(st.stack[st.depth].keys.slots);
    }
    free(st.stack);
    for (size_t i = 0; i < st.nanchors; i++)
        free(st.anchors[i].name);
    free(st.anchors);
    free(st.anchor_names.slots);
    free(st.lines);
    return rc;
}
