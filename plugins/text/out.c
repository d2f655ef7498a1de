/*
 * out.c - lines behind the prefixes of the blocks they sit in.
 *
 * Each open block (block quote, list, item, a metadata field) is a frame
 * with two prefixes: one for its first line ("  3. ", "> ") and one for
 * every later line, as wide ("     ", "> ").  A line is written behind
 * the prefixes of all open frames, outermost first, so an item's marker
 * appears once, on the first line written inside it, and its
 * continuation lines, later paragraphs and nested lists line up under its
 * text.  All prefixes are ASCII: their width is their length.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

void tx_out_begin(tx_out *out)
{
    out->depth = 0;
    out->started = false;
    out->last_blank = false;
    tx_buf_reset(&out->line);
    tx_buf_reset(&out->text);
}

void tx_out_free(tx_out *out)
{
    free(out->frames);
    out->frames = NULL;
    out->depth = out->cap = 0;
    tx_buf_free(&out->line);
    tx_buf_free(&out->text);
}

/* Copies s into a prefix field, cut to fit (prefixes are ASCII). */
static void set_prefix(char *dst, const char *s)
{
    size_t n = strlen(s);
    if (n >= TX_PREFIX_MAX)
        n = TX_PREFIX_MAX - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

tx_frame *tx_out_push(tx_out *out, const char *first, const char *cont)
{
    if (out->depth == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        tx_frame *f = realloc(out->frames, cap * sizeof *f);
        if (!f) {
            out->status = PK_ENOMEM;
            return NULL;
        }
        out->frames = f;
        out->cap = cap;
    }
    tx_frame *f = &out->frames[out->depth++];
    memset(f, 0, sizeof *f);
    set_prefix(f->first, first);
    set_prefix(f->cont, cont);
    return f;
}

void tx_out_pop(tx_out *out)
{
    if (out->depth > 0)
        out->depth--;
}

tx_frame *tx_out_top(tx_out *out)
{
    return out->depth ? &out->frames[out->depth - 1] : NULL;
}

/* Drops trailing spaces from the line being built. */
static void trim_line(tx_out *out)
{
    while (out->line.len > 0 && out->line.data[out->line.len - 1] == ' ')
        out->line.len--;
}

/* Sends the line being built, with its newline, to the sink. */
static int flush_line(tx_out *out)
{
    tx_buf_add(&out->line, "\n", 1);
    if (out->line.failed)
        return out->status = PK_ENOMEM;
    /* The sink's errors are sticky: write() collects them at the end. */
    pk_sink_write(out->sink, out->line.data, out->line.len);
    out->started = true;
    return PK_OK;
}

int tx_out_line(tx_out *out, const char *s, size_t len)
{
    tx_buf_reset(&out->line);
    for (size_t i = 0; i < out->depth; i++) {
        tx_frame *f = &out->frames[i];
        tx_buf_puts(&out->line, f->used ? f->cont : f->first);
        f->used = true;
    }
    if (len == 0)
        trim_line(out);
    tx_buf_add(&out->line, s, len);
    out->last_blank = false;
    return flush_line(out);
}

int tx_out_blank(tx_out *out)
{
    if (!out->started || out->last_blank)
        return PK_OK;
    tx_buf_reset(&out->line);
    for (size_t i = 0; i < out->depth && out->frames[i].used; i++)
        tx_buf_puts(&out->line, out->frames[i].cont);
    trim_line(out);
    out->last_blank = true;
    return flush_line(out);
}

size_t tx_out_avail(const tx_out *out)
{
    if (out->width == 0)
        return 0;
    size_t prefix = 0;
    for (size_t i = 0; i < out->depth; i++)
        prefix += strlen(out->frames[i].cont);
    /* Deep nesting: overflow the width rather than one word a line. */
    return prefix + 10 <= out->width ? out->width - prefix : 10;
}

/* Collects the width of the widest line for tx_out_wrapped. */
typedef struct wrap_target {
    tx_out *out;
    size_t widest;
} wrap_target;

static int wrapped_line(const char *s, size_t len, size_t width,
                        void *payload)
{
    wrap_target *t = payload;
    if (width > t->widest)
        t->widest = width;
    return tx_out_line(t->out, s, len);
}

int tx_out_wrapped(tx_out *out, const char *s, size_t len, size_t *widest)
{
    wrap_target t = {out, 0};
    int rc = tx_wrap(s, len, tx_out_avail(out), wrapped_line, &t);
    if (widest)
        *widest = t.widest;
    return rc;
}

int tx_out_rule(tx_out *out, char c, size_t n)
{
    tx_buf rule = TX_BUF_INIT;
    tx_buf_fill(&rule, c, n);
    int rc = rule.failed ? (out->status = PK_ENOMEM)
                         : tx_out_line(out, rule.data, rule.len);
    tx_buf_free(&rule);
    return rc;
}
