/*
 * common.h - what the json reader and writer share: the format's name and
 * limits, a UTF-8 check, and JSON paths ("body[3].children[0]") and quoted
 * strings for diagnostics.
 *
 * Both modules compile common.c into themselves; nothing here is exported.
 */
#ifndef PK_JSON_COMMON_H
#define PK_JSON_COMMON_H

#include <stddef.h>

#include <jansson.h>

/* The value of the "format" key; bumped only for incompatible changes. */
#define PKJ_FORMAT "presskit/1"

/* The deepest nesting of arrays and objects jansson's parser accepts.  The
 * writer refuses to produce anything deeper, so whatever it writes the
 * reader can read back. */
#define PKJ_MAX_DEPTH ((size_t)JSON_PARSER_MAX_DEPTH)

/*
 * One step of a path from the top of the JSON document to a value, kept
 * on the stack of the recursive walk that reaches it: a key of an object
 * (key != NULL) or an index into an array.  Only rendered when something
 * goes wrong.
 */
typedef struct pkj_path {
    const struct pkj_path *up; /* the enclosing step, NULL at the top */
    const char *key;           /* NULL for an array index */
    size_t key_len;
    size_t index;
} pkj_path;

/* Longest path pkj_path_format writes, NUL included. */
#define PKJ_PATH_MAX 256

/*
 * Writes path as "body[3].children[0]", "meta.tags[1]" or
 * `meta["odd key"]` into buf (PKJ_PATH_MAX bytes).  A path too long for
 * the buffer loses its start, marked "...": the innermost steps are the
 * useful ones.  Returns buf.
 */
char *pkj_path_format(const pkj_path *path, char *buf);

/* Returns the length of the well-formed UTF-8 character at s[0..len) (no
 * overlong forms, no surrogates, nothing above U+10FFFF: the rules jansson
 * checks), or 0 if there is none.  len must be at least 1. */
size_t pkj_utf8_char(const unsigned char *s, size_t len);

/*
 * Writes s[0..len) double-quoted into buf of size cap (at least 16) for a
 * message: quote and backslash escaped, control characters as \u00XX,
 * bytes that are not UTF-8 as \xXX; at most max bytes of s kept, cut on a
 * character boundary and marked "...".  Returns the length written (buf is
 * NUL-terminated).
 */
size_t pkj_quote(char *buf, size_t cap, const char *s, size_t len,
                 size_t max);

#endif
