/*
 * text.h - the pieces of the text writer, shared by its files.
 *
 * text.c holds the descriptor and lays out a release (title, metadata,
 * highlights, body, quotes); render.c turns body blocks and inlines into
 * lines; out.c writes lines behind the prefixes of the enclosing blocks
 * ("> ", "  * "); wrap.c fills lines to a display width that width.c
 * measures; buf.c collects clean UTF-8 text.
 *
 * Everything here is internal to the plugin (hidden visibility) and keeps
 * no state outside the writer's own: the core calls writers from several
 * threads at once.
 */
#ifndef PK_TEXT_H
#define PK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <presskit/presskit.h>

/* buf.c -----------------------------------------------------------------*/

/* A growable byte buffer.  Errors are sticky: after a failed allocation
 * every call does nothing and failed stays true. */
typedef struct tx_buf {
    char *data;
    size_t len, cap;
    bool failed;
} tx_buf;

#define TX_BUF_INIT {NULL, 0, 0, false}

/* Appends s[0..n). */
void tx_buf_add(tx_buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string. */
void tx_buf_puts(tx_buf *b, const char *s);
/* Appends n copies of the byte c. */
void tx_buf_fill(tx_buf *b, char c, size_t n);
/* Empties b, keeping its memory. */
void tx_buf_reset(tx_buf *b);
/* Frees b's memory and empties it. */
void tx_buf_free(tx_buf *b);

/* How tx_buf_add_clean treats whitespace controls. */
enum {
    /* Running text: tab, newline, CR, VT and FF become a space. */
    TX_FLOW = 0,
    /* Preformatted text (code, raw HTML): tab and newline are kept, CR is
     * dropped. */
    TX_VERBATIM = 1
};

/*
 * Appends s[0..n) as text safe for a terminal and for the form feed that
 * separates documents: every other C0 or C1 control and DEL, and every
 * byte that does not begin well-formed UTF-8, becomes U+FFFD.
 */
void tx_buf_add_clean(tx_buf *b, const char *s, size_t n, int mode);

/* width.c ---------------------------------------------------------------*/

/* Returns the columns cp takes on a terminal: 0 for combining marks,
 * format characters and controls, 2 for East Asian wide and fullwidth
 * characters, else 1. */
int tx_char_width(uint32_t cp);
/* Returns the display width of s[0..len); a byte that is not UTF-8
 * counts 1. */
size_t tx_display_width(const char *s, size_t len);

/* wrap.c ----------------------------------------------------------------*/

/* Receives one line of wrapped text (without its newline) and its display
 * width; returns PK_OK or an error that stops the wrapping. */
typedef int (*tx_line_fn)(const char *s, size_t len, size_t width,
                          void *payload);

/*
 * Fills lines of at most avail columns (0: no limit) from s[0..len),
 * greedily.  A newline in s is a hard break.  Lines break only at ASCII
 * spaces, which are dropped at the break; a word wider than avail gets a
 * line of its own.  Spaces at the start or end of a line are dropped, so
 * are empty lines at the end.  Returns PK_OK or the callback's error.
 */
int tx_wrap(const char *s, size_t len, size_t avail, tx_line_fn fn,
            void *payload);

/* out.c -----------------------------------------------------------------*/

/* The longest prefix one block adds ("999999999. ", "Portfolios: "). */
#define TX_PREFIX_MAX 24

/* What one open block adds in front of each of its lines. */
typedef struct tx_frame {
    char first[TX_PREFIX_MAX];   /* on the block's first line */
    char cont[TX_PREFIX_MAX];    /* on the lines after it, same width */
    bool used;                   /* the first line was written */
    /* Lists only: how the items are marked. */
    bool ordered;
    bool tight;
    long number;                 /* the next item's number */
} tx_frame;

/* Writes one document's lines to a sink. */
typedef struct tx_out {
    pk_sink *sink;         /* borrowed */
    size_t width;          /* text.width; 0: no wrapping */
    tx_frame *frames;      /* the open blocks, outermost first */
    size_t depth, cap;
    tx_buf line;           /* scratch for one output line */
    tx_buf text;           /* the inline text of the block being built */
    bool started;          /* a line of this document was written */
    bool last_blank;       /* the last line written was a separator */
    int status;            /* PK_ENOMEM once an allocation failed */
} tx_out;

/* Prepares out for a new document (keeps the buffers' memory). */
void tx_out_begin(tx_out *out);
/* Frees out's memory. */
void tx_out_free(tx_out *out);

/* Opens a block adding first on its first line and cont (as wide) on the
 * others; returns the frame (valid until the next push) or NULL on out of
 * memory. */
tx_frame *tx_out_push(tx_out *out, const char *first, const char *cont);
/* Closes the innermost block. */
void tx_out_pop(tx_out *out);
/* Returns the innermost open block, or NULL. */
tx_frame *tx_out_top(tx_out *out);

/* Writes s[0..len) as one line behind the current prefixes (trailing
 * blanks of the prefix dropped when s is empty). */
int tx_out_line(tx_out *out, const char *s, size_t len);
/* Writes the blank line that separates two blocks, unless nothing was
 * written yet or the last line was one already.  Blocks not yet started
 * add nothing to it, so it stays outside them. */
int tx_out_blank(tx_out *out);
/* Returns the columns left for text behind the current prefixes (at least
 * 10), or 0 if there is no wrapping. */
size_t tx_out_avail(const tx_out *out);
/* Wraps s[0..len) to the columns left and writes the lines; stores the
 * widest line's width in *widest if not NULL. */
int tx_out_wrapped(tx_out *out, const char *s, size_t len, size_t *widest);
/* Writes a line of n copies of c (a heading's underline). */
int tx_out_rule(tx_out *out, char c, size_t n);

/* render.c --------------------------------------------------------------*/

/* Writes the block node (and everything in it) to out.  Returns PK_OK or
 * PK_ENOMEM; sink errors are left in the sink. */
int tx_render_block(tx_out *out, pk_node *node);

#endif
