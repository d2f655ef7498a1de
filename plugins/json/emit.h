/*
 * emit.h - JSON text written straight into a memory buffer, byte for
 * byte as jansson's json_dumps lays it out with the writer's flags
 * (JSON_PRESERVE_ORDER, JSON_REAL_PRECISION(15), and JSON_INDENT(2) or
 * JSON_COMPACT), without building a jansson tree first.
 *
 * Building one json_t per node and value, dumping it through a callback
 * and freeing it again cost the writer most of its time; this writes
 * the same bytes directly.  Reals alone are still formatted by jansson,
 * so they read exactly as the installed jansson writes them.
 *
 * Usage: pkj_out_reset, then open/close containers and write members:
 *
 *     pkj_open(o, '{');
 *     pkj_key(o, "title", 5);  pkj_string(o, s, len);
 *     pkj_key(o, "tags", 4);   pkj_open(o, '[');
 *         pkj_item(o);  pkj_string(o, t, n);
 *     pkj_close(o, ']');
 *     pkj_close(o, '}');
 *
 * Out of memory is sticky: check pkj_out_failed once at the end.
 */
#ifndef PK_JSON_EMIT_H
#define PK_JSON_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pkj_out {
    char *data;            /* the text so far (not NUL-terminated) */
    size_t len, cap;
    bool failed;           /* out of memory */
    bool pretty;           /* JSON_INDENT(2); else JSON_COMPACT */
    size_t base;           /* indent levels added to every line */
    size_t depth;          /* containers open */
    unsigned char *filled; /* filled[d]: container d has a member yet */
    size_t filled_cap;
} pkj_out;

/* Starts a new text in o (keeping its memory): pretty or compact, every
 * line after the first indented by base more levels (2 spaces each), as
 * the writer lays out an object inside its array. */
void pkj_out_reset(pkj_out *o, bool pretty, size_t base);
/* Frees o's memory. */
void pkj_out_free(pkj_out *o);
/* True if memory ran out since the last reset. */
bool pkj_out_failed(const pkj_out *o);

/* Opens an object ('{') or an array ('[') as the current value. */
void pkj_open(pkj_out *o, char c);
/* Closes the innermost container: c is '}' or ']'. */
void pkj_close(pkj_out *o, char c);
/* Starts the next item of the innermost array. */
void pkj_item(pkj_out *o);
/* Starts the next member of the innermost object: its key, then ": ".
 * The key is written as pkj_string writes strings. */
void pkj_key(pkj_out *o, const char *key, size_t len);

/* As pkj_key, for a key that needs no escaping (the format's own keys:
 * ASCII letters, digits and '_'). */
void pkj_key_plain(pkj_out *o, const char *key, size_t len);

/* Writes s[0..len) as a JSON string: each byte that does not begin a
 * well-formed UTF-8 character becomes U+FFFD; quote, backslash and
 * control characters are escaped as jansson escapes them. */
void pkj_string(pkj_out *o, const char *s, size_t len);
/* Writes a NUL-terminated string (NULL: an empty one) as pkj_string. */
void pkj_cstring(pkj_out *o, const char *s);
/* As pkj_string, for a string that needs no escaping (the format's own
 * names: ASCII letters, digits and '_'), written without a scan. */
void pkj_string_plain(pkj_out *o, const char *s, size_t len);
/* Writes an integer. */
void pkj_integer(pkj_out *o, int64_t v);
/* Writes a finite real as jansson formats it with JSON_REAL_PRECISION(15). */
void pkj_real(pkj_out *o, double v);
/* Writes true, false or null. */
void pkj_bool(pkj_out *o, bool b);
void pkj_null(pkj_out *o);

/* Returns the length of s[0..len) once each byte that does not begin a
 * well-formed UTF-8 character is replaced by U+FFFD (3 bytes), and, if
 * out is not NULL, writes that form there (the caller makes room for
 * len * 3 bytes).  Returns len unchanged for valid UTF-8. */
size_t pkj_utf8_fix(const char *s, size_t len, char *out);

#endif
