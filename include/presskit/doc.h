/*
 * presskit/doc.h - the canonical document: one release.
 *
 * A pk_doc owns all its memory in one arena: metadata values, body nodes
 * and every string.  pk_doc_free() releases it all at once; pointers
 * returned by any accessor are borrowed and die with the document.
 *
 * Readers fill the metadata map and the body tree; the core then calls
 * pk_doc_validate(), which checks the known fields and makes the typed
 * accessors below meaningful.  After validation a document is read-only
 * and may be shared between threads.
 */
#ifndef PRESSKIT_DOC_H
#define PRESSKIT_DOC_H

#include <stdbool.h>
#include "common.h"
#include "diag.h"
#include "node.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates an empty document (empty metadata map, empty DOCUMENT node) and
 * stores it in *out.  The caller owns it: free with pk_doc_free().
 * Returns PK_OK or PK_ENOMEM. */
PK_EXTERN int pk_doc_new(pk_doc **out);
/* Frees doc and everything allocated in it; NULL is allowed. */
PK_EXTERN void pk_doc_free(pk_doc *doc);

/* Allocates size bytes (aligned for any type, zeroed) in doc's arena;
 * freed with the document.  Thread-safe.  NULL on out of memory. */
PK_EXTERN void *pk_doc_alloc(pk_doc *doc, size_t size);
/* Copies s[0..len) into doc's arena and NUL-terminates it; freed with the
 * document.  NULL on out of memory. */
PK_EXTERN char *pk_doc_strndup(pk_doc *doc, const char *s, size_t len);

/* Sets the name of the input the document was read from (copied).  Used
 * in diagnostics and to derive ids; never written to canonical output. */
PK_EXTERN int pk_doc_set_source(pk_doc *doc, const char *name);
/* Returns the source name (borrowed), "" if unset. */
PK_EXTERN const char *pk_doc_source(const pk_doc *doc);

/* Returns the front-matter map (borrowed), every key in input order. */
PK_EXTERN pk_value *pk_doc_meta(const pk_doc *doc);
/* Returns the DOCUMENT node at the root of the body (borrowed). */
PK_EXTERN pk_node *pk_doc_root(const pk_doc *doc);

/* A calendar date, with an optional time of day and UTC offset. */
typedef struct pk_date {
    int year, month, day;
    bool has_time;        /* false for a plain YYYY-MM-DD */
    int hour, minute, second;
    unsigned long nanosecond;
    bool has_offset;      /* false when no Z or +HH:MM was given */
    int offset_minutes;   /* east of UTC, when has_offset */
} pk_date;

/*
 * Parses s[0..len) as YYYY-MM-DD or an RFC 3339 date-time
 * (YYYY-MM-DDTHH:MM[:SS[.frac]][Z|+HH:MM|-HH:MM]; 't' or ' ' may stand for
 * 'T'), checking the calendar (month lengths, leap years).  Returns PK_OK
 * and fills *out, or PK_EPARSE.
 */
PK_EXTERN int pk_date_parse(const char *s, size_t len, pk_date *out);
/*
 * Formats d as an RFC 3339 date-time into buf (at least 40 bytes): a
 * plain date becomes midnight, a missing offset becomes
 * default_offset_minutes ("Z" for 0).  Returns the length written.
 */
PK_EXTERN size_t pk_date_format_rfc3339(const pk_date *d,
                                        int default_offset_minutes,
                                        char *buf, size_t len);
/* Compares two dates as instants (missing time = midnight, missing offset
 * = default_offset_minutes): <0, 0 or >0. */
PK_EXTERN int pk_date_compare(const pk_date *a, const pk_date *b,
                              int default_offset_minutes);

/*
 * Checks the known fields of the metadata and caches their typed forms:
 * title (required, non-empty string), date (required, pk_date_parse),
 * url (string), ministers and portfolios (a string or a list of strings),
 * lang (string, default "en").  On failure fills diag with the value's
 * location (file = the source name) and returns PK_EINPUT.
 */
PK_EXTERN int pk_doc_validate(pk_doc *doc, pk_diag *diag);

/* Typed accessors, meaningful after pk_doc_validate() succeeded.  Strings
 * are borrowed from the document. */
/* Returns the title. */
PK_EXTERN const char *pk_doc_title(const pk_doc *doc);
/* Returns the date as written in the front matter. */
PK_EXTERN const char *pk_doc_date_string(const pk_doc *doc);
/* Returns the parsed date (borrowed). */
PK_EXTERN const pk_date *pk_doc_date(const pk_doc *doc);
/* Returns the url, or NULL if the release has none. */
PK_EXTERN const char *pk_doc_url(const pk_doc *doc);
/* Returns the language tag (default "en"). */
PK_EXTERN const char *pk_doc_lang(const pk_doc *doc);
/* Returns the number of ministers. */
PK_EXTERN size_t pk_doc_minister_count(const pk_doc *doc);
/* Returns minister i (borrowed), or NULL if out of range. */
PK_EXTERN const char *pk_doc_minister(const pk_doc *doc, size_t i);
/* Returns the number of portfolios. */
PK_EXTERN size_t pk_doc_portfolio_count(const pk_doc *doc);
/* Returns portfolio i (borrowed), or NULL if out of range. */
PK_EXTERN const char *pk_doc_portfolio(const pk_doc *doc, size_t i);

/*
 * Warnings (ABI 1.1): what a reader accepted but had to change, such as
 * invalid UTF-8 it replaced with U+FFFD in lenient mode.  They do not make
 * the conversion fail; the CLI prints them as "FILE:LINE:COL: warning: ...".
 */

/* The most warnings a document keeps; later ones are only counted. */
#define PK_DOC_WARNINGS_MAX 20

/* Records a warning at line:column of doc's source (1-based, 0 when
 * unknown; column counts bytes), message printf-style, copied into the
 * document.  Thread-safe.  Returns PK_OK or PK_ENOMEM. */
PK_EXTERN int pk_doc_warn(pk_doc *doc, unsigned long line,
                          unsigned long column, const char *fmt, ...)
    PK_PRINTF(4, 5);
/* Returns how many warnings were recorded, including those not kept. */
PK_EXTERN size_t pk_doc_warning_count(const pk_doc *doc);
/* Fills *out with kept warning i (0-based, below PK_DOC_WARNINGS_MAX and
 * the count), status PK_OK and file the source name; out is the caller's.
 * Returns false, leaving *out cleared, if there is no such warning. */
PK_EXTERN bool pk_doc_warning(const pk_doc *doc, size_t i, pk_diag *out);

#ifdef __cplusplus
}
#endif
#endif
