/*
 * xmlout.h - what presskit's XML writers share: an XML output into a
 * pk_sink or a buffer (libxml2's xmlTextWriter, or a direct serialiser
 * writing the same bytes), text made safe for XML 1.0, a nesting limit,
 * and (uri.h) the URLs they may write.
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
 * One XML output, through one of two back ends with the same bytes:
 *
 * - libxml2's xmlTextWriter (w non-NULL; pkx_out_open), for the writers
 *   that also call xmlTextWriter directly (xml, xhtml: XML declaration,
 *   DTD);
 * - a direct serialiser (w NULL; pkx_out_open_direct, pkx_out_open_buf)
 *   that escapes runs of safe bytes straight into an output buffer.  It
 *   writes exactly what an xmlTextWriter would for the same calls (tests
 *   /xml/test_xmlout.c compares them on random documents), including its
 *   indentation, at a fraction of the cost.
 *
 * Either way every text and attribute value is cleaned (pkx_clean) and
 * escaped; only pkx_raw writes bytes as they are.  Open with one of the
 * pkx_out_open functions, close with pkx_out_close().
 */
typedef struct pkx_out {
    xmlTextWriterPtr w;       /* the libxml2 back end, or NULL */
    pk_sink *sink;            /* borrowed; NULL for pkx_out_open_buf */
    pkx_buf scratch;          /* libxml2: cleaned text */
    /* The direct back end. */
    pkx_buf *buf;             /* the output: own, or the caller's */
    pkx_buf own;
    unsigned flags;           /* PKX_OUT_* */
    bool doindent;            /* xmlTextWriter's doindent */
    bool open_tag;            /* the innermost element's start tag is open */
    bool failed;              /* out of memory: sticky */
    size_t base;              /* elements open around the output */
    size_t depth;             /* elements open here */
    size_t *names;            /* offsets of their names in stack */
    size_t names_cap;
    pkx_buf stack;            /* the open elements' names, NUL-separated */
    const char *ns;           /* xmlns of the open start tag, or NULL */
} pkx_out;

/* Flags of the direct back end. */
enum {
    /* Two-space indentation, as xmlTextWriterSetIndent with "  ". */
    PKX_OUT_INDENT = 1u << 0,
    /* Non-ASCII characters in attribute values as character references
     * (&#x101;), as an xmlTextWriter does when no encoding was given to
     * xmlTextWriterStartDocument.  Off: UTF-8, as with "UTF-8". */
    PKX_OUT_ASCII_ATTRS = 1u << 1,
};

/*
 * Creates a text writer into sink (borrowed until pkx_out_close), with
 * two-space indentation if indent.  Returns PK_OK or PK_ENOMEM.
 */
int pkx_out_open(pkx_out *out, pk_sink *sink, bool indent);
/* Opens the direct back end into sink (borrowed until pkx_out_close);
 * bytes reach the sink in blocks and at pkx_out_flush.  Returns PK_OK. */
int pkx_out_open_direct(pkx_out *out, pk_sink *sink, unsigned flags);
/* Opens the direct back end appending to buf (borrowed, NUL-terminated
 * after each call), as if written inside `depth` open elements whose
 * start tags are closed (their indentation).  Returns PK_OK. */
int pkx_out_open_buf(pkx_out *out, pkx_buf *buf, unsigned flags,
                     size_t depth);
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
 * Names are ASCII (XML names); text and attribute values are cleaned as
 * pkx_clean does and escaped (never written raw). */
int pkx_start(pkx_out *out, const char *name);
/* Starts an element declaring uri as the default namespace (written
 * after its other attributes, as xmlTextWriterStartElementNS does). */
int pkx_start_ns(pkx_out *out, const char *name, const char *uri);
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
/* Writes s[0..len) as it is (markup or text the caller made safe), as
 * xmlTextWriterWriteRawLen. */
int pkx_raw(pkx_out *out, const char *s, size_t len);

/* Appends s[0..len) cleaned (pkx_clean) and escaped as character data,
 * as xmlTextWriterWriteString writes it: & < > " and CR as references.
 * Returns 0, or -1 on out of memory (b is then unchanged but for its
 * capacity).  Not NUL-terminated. */
int pkx_buf_add_text(pkx_buf *b, const char *s, size_t len);
/* Appends s[0..len) cleaned and escaped as an attribute value between
 * double quotes, as xmlTextWriterWriteAttribute writes it: & < > " tab
 * LF CR as references, and with ascii every non-ASCII character as a
 * hexadecimal character reference (&#x101;).  Returns 0 or -1. */
int pkx_buf_add_attr(pkx_buf *b, const char *s, size_t len, bool ascii);

/* Returns the depth of the deepest node below root (root's children are
 * at depth 1), counting at most up to limit + 1. */
size_t pkx_node_depth(const pk_node *root, size_t limit);
/* Returns the nesting depth of value v (a scalar is 0, a list or map 1 +
 * its deepest item), counting at most up to limit + 1. */
size_t pkx_value_depth(const pk_value *v, size_t limit);

#endif
