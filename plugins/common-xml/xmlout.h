/*
 * xmlout.h - what presskit's XML writers share: an xmlTextWriter that
 * writes into a pk_sink, text made safe for XML 1.0, a nesting limit, and
 * (uri.h) the URLs they may write.
 *
 * Linked statically into each writer (xml, xhtml, atom); nothing here is
 * exported from a plugin.  Functions named like libxml2's return a
 * negative number on failure, as libxml2 does; the others return a
 * pk_status.
 */
#ifndef PKX_XMLOUT_H
#define PKX_XMLOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlwriter.h>
#include <presskit/presskit.h>

#include "uri.h"

/*
 * The deepest nesting of body nodes or metadata values a writer accepts.
 * libxml2, like many parsers, refuses documents nested deeper than 256
 * elements unless told otherwise; this leaves room for the elements
 * around the body, so whatever we write such a parser can read back.
 */
#define PKX_MAX_DEPTH ((size_t)200)

/* A growable scratch buffer; zero-initialise, free with pkx_buf_free(). */
typedef struct pkx_buf {
    char *data;
    size_t len, cap;
} pkx_buf;

/* Frees the buffer's memory and zeroes it. */
void pkx_buf_free(pkx_buf *b);
/* Appends s[0..len); returns 0, or -1 on out of memory. */
int pkx_buf_add(pkx_buf *b, const char *s, size_t len);
/* Appends s[0..len) made safe for XML as pkx_clean does (s may be NULL
 * when len is 0), NUL-terminated; returns 0, or -1 on out of memory. */
int pkx_buf_add_xml(pkx_buf *b, const char *s, size_t len);

/*
 * One XML output: the text writer, the sink it writes into (borrowed) and
 * a scratch buffer for cleaned text.  Open with pkx_out_open(), close with
 * pkx_out_close().
 */
typedef struct pkx_out {
    xmlTextWriterPtr w;
    pk_sink *sink;
    pkx_buf scratch;
} pkx_out;

/*
 * Creates a text writer into sink (borrowed until pkx_out_close), with
 * two-space indentation if indent.  Returns PK_OK or PK_ENOMEM.
 */
int pkx_out_open(pkx_out *out, pk_sink *sink, bool indent);
/* Flushes what the writer holds into the sink.  Returns PK_OK or the
 * output's error (pkx_out_status).  Sink errors surface here (or in a
 * later libxml2 call's pkx_out_status), not in the writing calls: end
 * every document with a flush. */
int pkx_out_flush(pkx_out *out);
/* Frees the writer and the scratch buffer (without flushing: call
 * pkx_out_flush first to keep the output).  Safe on a zeroed out. */
void pkx_out_close(pkx_out *out);
/* The status after a failed libxml2 call: the sink's sticky error if it
 * has one, else PK_ENOMEM (libxml2 fails only on memory or output). */
int pkx_out_status(const pkx_out *out);

/*
 * Copies s[0..len) into the scratch buffer, NUL-terminated, replacing with
 * U+FFFD every character XML 1.0 forbids (C0 controls other than tab, LF
 * and CR, NUL included; U+FFFE and U+FFFF) and every byte that does not
 * start a well-formed UTF-8 character (surrogates and overlong forms
 * included).  s may be NULL (empty).  Returns the copy (valid until the
 * next call) or NULL on out of memory.
 */
const xmlChar *pkx_clean(pkx_out *out, const char *s, size_t len);

/* Element and text helpers; each returns < 0 on failure, like libxml2.
 * Names are ASCII constants; text and attribute values go through
 * pkx_clean and are escaped by libxml2 (never written raw). */
int pkx_start(pkx_out *out, const char *name);
/* Closes the open element, as <x/> if it is empty. */
int pkx_end(pkx_out *out);
/* Closes the open element, always as <x></x> (XHTML non-void elements). */
int pkx_full_end(pkx_out *out);
/* Writes s[0..len) as character data. */
int pkx_text(pkx_out *out, const char *s, size_t len);
/* Writes the NUL-terminated s (NULL: nothing) as character data. */
int pkx_ctext(pkx_out *out, const char *s);
/* Writes an attribute of the open element. */
int pkx_attr(pkx_out *out, const char *name, const char *s, size_t len);
/* Writes an attribute with the NUL-terminated value s (NULL: ""). */
int pkx_cattr(pkx_out *out, const char *name, const char *s);
/* Writes <name>s</name> (<name></name> when s is empty or NULL). */
int pkx_element(pkx_out *out, const char *name, const char *s);

/* Returns the depth of the deepest node below root (root's children are
 * at depth 1), counting at most up to limit + 1. */
size_t pkx_node_depth(const pk_node *root, size_t limit);
/* Returns the nesting depth of value v (a scalar is 0, a list or map 1 +
 * its deepest item), counting at most up to limit + 1. */
size_t pkx_value_depth(const pk_value *v, size_t limit);

#endif
